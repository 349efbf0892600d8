/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_sql_eval and dm_sql_eval_convert: results and errors of expressions
 * over one row of the table below, as MariaDB 10.11 gives them (the values
 * were checked with `SELECT expr FROM t` on the sandbox server).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dm/dm.h"
#include "dm/sql.h"
#include "util/alloc.h"

#define NCOLS 7

static const char *const table_sql =
	"CREATE TABLE t (a INT, b VARCHAR(20), c DECIMAL(10,2), d DATE, "
	"u BIGINT UNSIGNED, dt DATETIME, s VARCHAR(20))";

/* The row every test uses unless it changes a cell: NULL for s. */
static const char *const cells[NCOLS] = {
	"7", "hello", "12.34", "2024-01-31", "18446744073709551615",
	"2024-02-29 23:59:30", NULL
};

typedef struct fixture {
	dm_sql_stmt *table;
	const dm_sql_create_table *ct;
	dm_value values[NCOLS];
	dm_buf scratch[NCOLS];
	dm_sql_eval_column cols[NCOLS];
	dm_sql_eval_row row;
	dm_buf text;
	dm_error *err;
	int status;
} fixture;

static fixture fx;

/* Stores `text` (NULL for NULL) into column k as a strict INSERT would. */
static int set_cell(int k, const char *text)
{
	dm_value in;

	memset(&in, 0, sizeof(in));
	in.kind = text ? DM_VALUE_STRING : DM_VALUE_NULL;
	in.v.str.ptr = text ? text : "";
	in.v.str.len = text ? strlen(text) : 0;
	dm_buf_clear(&fx.scratch[k]);
	dm_error_free(fx.err);
	fx.err = NULL;
	return dm_sql_eval_convert(&fx.values[k], &fx.scratch[k], &in,
				   fx.ct->columns[k]->type, &fx.err);
}

static int setup(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_error *e = NULL;
	int k;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	if (dm_sql_parse(&fx.table, table_sql, strlen(table_sql), &po, &e))
		return -1;
	fx.ct = dm_sql_stmt_create_table(fx.table);
	if (!fx.ct || fx.ct->ncolumns != NCOLS)
		return -1;
	for (k = 0; k < NCOLS; k++) {
		if (set_cell(k, cells[k]))
			return -1;
		fx.cols[k].name = fx.ct->columns[k]->name;
		fx.cols[k].value = &fx.values[k];
		fx.cols[k].type = fx.ct->columns[k]->type;
	}
	fx.row.columns = fx.cols;
	fx.row.ncolumns = NCOLS;
	return 0;
}

static int teardown(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < NCOLS; k++)
		dm_buf_free(&fx.scratch[k]);
	dm_buf_free(&fx.text);
	dm_error_free(fx.err);
	dm_sql_stmt_free(fx.table);
	return 0;
}

/* Evaluates `expr` with `opts`; the text MariaDB's client would print, or
 * NULL with fx.status and fx.err set. */
static const char *eval_opts(const char *expr, const dm_sql_eval_opts *opts)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *st = NULL;
	dm_buf scratch = DM_BUF_INIT;
	dm_value out;
	const char *result = NULL;

	dm_error_free(fx.err);
	fx.err = NULL;
	dm_buf_clear(&fx.text);
	if (dm_sql_parse_expr(&st, expr, strlen(expr), &po, &fx.err))
		fail_msg("%s: %s", expr, dm_error_message(fx.err));
	fx.status = dm_sql_eval(&out, &scratch, dm_sql_stmt_expr(st), &fx.row,
				opts, &fx.err);
	if (fx.status == 0) {
		if (fx.err)
			fail_msg("%s: error set on success", expr);
		assert_int_equal(dm_value_format_text(&fx.text, &out, NULL), 0);
		dm_buf_puts(&fx.text, "");
		result = fx.text.data;
	} else {
		assert_non_null(fx.err);
		assert_int_equal(dm_error_status(fx.err), fx.status);
	}
	dm_buf_free(&scratch);
	dm_sql_stmt_free(st);
	return result;
}

static const char *eval(const char *expr)
{
	return eval_opts(expr, NULL);
}

#define EXPECT(expr, want)                                                   \
	do {                                                                 \
		const char *got_ = eval(expr);                               \
		if (!got_)                                                   \
			fail_msg("%s: error %s", expr,                       \
				 dm_error_message(fx.err));                  \
		if (strcmp(got_, want) != 0)                                 \
			fail_msg("%s: got \"%s\", want \"%s\"", expr, got_,  \
				 want);                                      \
	} while (0)

#define EXPECT_ERR(expr, code)                                               \
	do {                                                                 \
		const char *got_ = eval(expr);                               \
		if (got_)                                                    \
			fail_msg("%s: got \"%s\", want an error", expr, got_); \
		assert_int_equal(fx.status, code);                           \
	} while (0)

/* ---------------------------------------------------------- literals */

static void test_sqleval__integer_literals(void **state)
{
	(void)state;
	EXPECT("42", "42");
	EXPECT("-9223372036854775808", "-9223372036854775808");
	EXPECT("18446744073709551615", "18446744073709551615");
}

static void test_sqleval__decimal_and_string_literals(void **state)
{
	(void)state;
	EXPECT("1.50", "1.50");
	EXPECT("'it''s'", "it's");
	EXPECT("'a' 'b' 'c'", "abc");
	EXPECT("_utf8mb4'x'", "x");
}

static void test_sqleval__null_literal_and_column(void **state)
{
	(void)state;
	EXPECT("NULL", "NULL");
	EXPECT("s", "NULL");
	EXPECT("s IS NULL", "1");
	EXPECT("a IS NOT NULL", "1");
}

static void test_sqleval__columns_are_case_insensitive(void **state)
{
	(void)state;
	EXPECT("A + `B` IS NULL", "0");
	EXPECT("t.a", "7");
}

static void test_sqleval__unknown_column_fails(void **state)
{
	(void)state;
	EXPECT_ERR("nope + 1", DM_E_INVALID_ARGUMENT);
}

/* ------------------------------------------------------------ NULL logic */

static void test_sqleval__and_or_with_null(void **state)
{
	(void)state;
	EXPECT("NULL AND 0", "0");
	EXPECT("NULL AND 1", "NULL");
	EXPECT("NULL OR 1", "1");
	EXPECT("NULL OR 0", "NULL");
}

static void test_sqleval__xor_not_with_null(void **state)
{
	(void)state;
	EXPECT("1 XOR NULL", "NULL");
	EXPECT("1 XOR 1", "0");
	EXPECT("NOT NULL", "NULL");
	EXPECT("NOT 0", "1");
}

static void test_sqleval__is_true_false_unknown(void **state)
{
	(void)state;
	EXPECT("NULL IS TRUE", "0");
	EXPECT("NULL IS NOT FALSE", "1");
	EXPECT("NULL IS UNKNOWN", "1");
	EXPECT("2 IS TRUE", "1");
}

static void test_sqleval__null_safe_equal(void **state)
{
	(void)state;
	EXPECT("NULL <=> NULL", "1");
	EXPECT("s <=> 1", "0");
	EXPECT("NULL = NULL", "NULL");
}

/* ------------------------------------------------------------ arithmetic */

static void test_sqleval__integer_arithmetic(void **state)
{
	(void)state;
	EXPECT("a * 3 - 1", "20");
	EXPECT("a DIV 2", "3");
	EXPECT("a % 4", "3");
	EXPECT("-a MOD 4", "-3");
}

static void test_sqleval__division_gives_decimal(void **state)
{
	(void)state;
	EXPECT("a / 2", "3.5000");
	EXPECT("1 / 3", "0.3333");
	EXPECT("c / 3", "4.113333");
}

static void test_sqleval__division_by_zero_is_null(void **state)
{
	(void)state;
	EXPECT("a / 0", "NULL");
	EXPECT("a DIV 0", "NULL");
	EXPECT("a % 0", "NULL");
}

static void test_sqleval__bigint_overflow_fails(void **state)
{
	(void)state;
	EXPECT_ERR("9223372036854775807 + a", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR("-9223372036854775807 - a", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR("4611686018427387904 * 2", DM_E_INVALID_ARGUMENT);
}

static void test_sqleval__unsigned_arithmetic(void **state)
{
	(void)state;
	EXPECT("u - 1", "18446744073709551614");
	EXPECT_ERR("u + 1", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR("CAST(0 AS UNSIGNED) - 1", DM_E_INVALID_ARGUMENT);
}

static void test_sqleval__decimal_scale(void **state)
{
	(void)state;
	EXPECT("c + 0.001", "12.341");
	EXPECT("c * 1.5", "18.510");
	EXPECT("c - c", "0.00");
	EXPECT("-c", "-12.34");
}

static void test_sqleval__decimal_conversion_rounds(void **state)
{
	(void)state;
	assert_int_equal(set_cell(2, "2.345"), 0);
	EXPECT("c", "2.35");
	assert_int_equal(set_cell(2, "-2.345"), 0);
	EXPECT("c", "-2.35");
	assert_int_equal(set_cell(2, cells[2]), 0);
}

static void test_sqleval__string_in_arithmetic(void **state)
{
	(void)state;
	EXPECT("'3' + 4", "7");
	EXPECT("b + 0", "0");
}

/* ------------------------------------------------------------ comparison */

static void test_sqleval__compare_numbers(void **state)
{
	(void)state;
	EXPECT("a > 6.99", "1");
	EXPECT("c = 12.340", "1");
	EXPECT("a <> 7", "0");
	EXPECT("u > 0", "1");
}

static void test_sqleval__compare_strings_case_insensitive(void **state)
{
	(void)state;
	EXPECT("b = 'HELLO'", "1");
	EXPECT("b < 'help'", "1");
	EXPECT("'a ' = 'a'", "1");
}

static void test_sqleval__compare_string_with_number(void **state)
{
	(void)state;
	EXPECT("'12abc' = 12", "1");
	EXPECT("'1e1' = 10", "1");
	EXPECT("b = 0", "1");
}

static void test_sqleval__compare_date_with_string(void **state)
{
	(void)state;
	EXPECT("d = '2024-01-31'", "1");
	EXPECT("d < '2024-02-01'", "1");
	EXPECT("dt > '2024-02-29'", "1");
}

/* ----------------------------------------------------------- predicates */

static void test_sqleval__like(void **state)
{
	(void)state;
	EXPECT("b LIKE 'h%o'", "1");
	EXPECT("b LIKE 'H_LLO'", "1");
	EXPECT("b NOT LIKE '%x%'", "1");
	EXPECT("s LIKE '%'", "NULL");
}

static void test_sqleval__like_escape(void **state)
{
	(void)state;
	EXPECT("'a_b' LIKE 'a\\_b'", "1");
	EXPECT("'axb' LIKE 'a\\_b'", "0");
	EXPECT("'x%' LIKE 'x!%' ESCAPE '!'", "1");
	EXPECT("'xy' LIKE 'x!%' ESCAPE '!'", "0");
}

static void test_sqleval__in_list(void **state)
{
	(void)state;
	EXPECT("a IN (1, 7, 9)", "1");
	EXPECT("a IN (1, 2)", "0");
	EXPECT("a IN (1, NULL)", "NULL");
	EXPECT("a NOT IN (7, NULL)", "0");
}

static void test_sqleval__between(void **state)
{
	(void)state;
	EXPECT("a BETWEEN 7 AND 8", "1");
	EXPECT("a NOT BETWEEN 1 AND 6", "1");
	EXPECT("d BETWEEN '2024-01-01' AND '2024-12-31'", "1");
	EXPECT("a BETWEEN NULL AND 8", "NULL");
}

/* --------------------------------------------------------- conditionals */

static void test_sqleval__case(void **state)
{
	(void)state;
	EXPECT("CASE WHEN a > 10 THEN 'big' WHEN a > 5 THEN 'mid' END", "mid");
	EXPECT("CASE a WHEN 1 THEN 'one' ELSE 'other' END", "other");
	EXPECT("CASE WHEN s THEN 1 END", "NULL");
}

static void test_sqleval__if_ifnull_nullif(void **state)
{
	(void)state;
	EXPECT("IF(a > 5, 'y', 'n')", "y");
	EXPECT("IF(s, 1, 2)", "2");
	EXPECT("IFNULL(s, 'dflt')", "dflt");
	EXPECT("NULLIF(a, 7)", "NULL");
	EXPECT("NULLIF(a, 8)", "7");
}

static void test_sqleval__coalesce(void **state)
{
	(void)state;
	EXPECT("COALESCE(s, NULL, a, 1)", "7");
	EXPECT("COALESCE(s, NULL)", "NULL");
}

/* ------------------------------------------------------------------ CAST */

static void test_sqleval__cast_numbers(void **state)
{
	(void)state;
	EXPECT("CAST(c AS SIGNED)", "12");
	EXPECT("CAST('-3.7' AS DECIMAL(5,1))", "-3.7");
	EXPECT("CAST(a AS DECIMAL(6,2))", "7.00");
	EXPECT("CAST(-1 AS UNSIGNED)", "18446744073709551615");
}

static void test_sqleval__cast_strings_and_dates(void **state)
{
	(void)state;
	EXPECT("CAST(a AS CHAR)", "7");
	EXPECT("CAST('2024-03-01' AS DATE)", "2024-03-01");
	EXPECT("CAST(dt AS DATE)", "2024-02-29");
	EXPECT("CONVERT(c, SIGNED)", "12");
}

/* ------------------------------------------------------- string functions */

static void test_sqleval__concat(void **state)
{
	(void)state;
	EXPECT("CONCAT(b, '-', a)", "hello-7");
	EXPECT("CONCAT(b, s)", "NULL");
	EXPECT("CONCAT_WS(',', b, s, a)", "hello,7");
}

static void test_sqleval__length_and_case(void **state)
{
	(void)state;
	EXPECT("LENGTH(b)", "5");
	EXPECT("CHAR_LENGTH('\xc3\xa9t\xc3\xa9')", "3");
	EXPECT("LENGTH('\xc3\xa9t\xc3\xa9')", "5");
	EXPECT("UPPER(b)", "HELLO");
	EXPECT("LOWER('MiXeD')", "mixed");
}

static void test_sqleval__substring_left_right(void **state)
{
	(void)state;
	EXPECT("SUBSTRING(b, 2, 3)", "ell");
	EXPECT("SUBSTRING(b, -3)", "llo");
	EXPECT("SUBSTRING(b FROM 2)", "ello");
	EXPECT("LEFT(b, 2)", "he");
	EXPECT("RIGHT(b, 2)", "lo");
}

static void test_sqleval__trim_replace_locate(void **state)
{
	(void)state;
	EXPECT("TRIM('  x  ')", "x");
	EXPECT("TRIM(LEADING 'x' FROM 'xxaxx')", "axx");
	EXPECT("REPLACE(b, 'l', 'L')", "heLLo");
	EXPECT("LOCATE('l', b)", "3");
	EXPECT("LOCATE('l', b, 4)", "4");
	EXPECT("INSTR(b, 'z')", "0");
}

static void test_sqleval__pad(void **state)
{
	(void)state;
	EXPECT("LPAD(b, 8, '*')", "***hello");
	EXPECT("RPAD(b, 7, 'ab')", "helloab");
	EXPECT("LPAD(b, 3, '*')", "hel");
}

/* --------------------------------------------------------- math functions */

static void test_sqleval__abs_sign_ceil_floor(void **state)
{
	(void)state;
	EXPECT("ABS(-a)", "7");
	EXPECT("SIGN(-c)", "-1");
	EXPECT("CEIL(c)", "13");
	EXPECT("FLOOR(-c)", "-13");
}

static void test_sqleval__round_truncate(void **state)
{
	(void)state;
	EXPECT("ROUND(c, 1)", "12.3");
	EXPECT("ROUND(2.5)", "3");
	EXPECT("ROUND(-2.5)", "-3");
	EXPECT("ROUND(1234, -2)", "1200");
	EXPECT("TRUNCATE(c, 1)", "12.3");
	EXPECT("TRUNCATE(-c, 0)", "-12");
}

static void test_sqleval__greatest_least_mod(void **state)
{
	(void)state;
	EXPECT("GREATEST(a, 3, 9)", "9");
	EXPECT("LEAST(a, 3, 9)", "3");
	EXPECT("GREATEST(a, NULL)", "NULL");
	EXPECT("MOD(a, 3)", "1");
	EXPECT("MOD(c, 5)", "2.34");
}

static void test_sqleval__pow_sqrt(void **state)
{
	(void)state;
	EXPECT("POW(2, 10)", "1024");
	EXPECT("SQRT(16)", "4");
	EXPECT("SQRT(-1)", "NULL");
}

/* ---------------------------------------------------------- dates, times */

static void test_sqleval__date_parts(void **state)
{
	(void)state;
	EXPECT("YEAR(d)", "2024");
	EXPECT("MONTH(d)", "1");
	EXPECT("DAY(d)", "31");
	EXPECT("HOUR(dt)", "23");
	EXPECT("MINUTE(dt)", "59");
	EXPECT("SECOND(dt)", "30");
	EXPECT("DATE(dt)", "2024-02-29");
}

static void test_sqleval__interval_arithmetic(void **state)
{
	(void)state;
	EXPECT("d + INTERVAL 1 MONTH", "2024-02-29");
	EXPECT("DATE_ADD(d, INTERVAL 1 YEAR)", "2025-01-31");
	EXPECT("DATE_SUB(d, INTERVAL 31 DAY)", "2023-12-31");
	EXPECT("dt + INTERVAL 30 SECOND", "2024-03-01 00:00:00");
	EXPECT("d + INTERVAL 1 HOUR", "2024-01-31 01:00:00");
}

static void test_sqleval__datediff(void **state)
{
	(void)state;
	EXPECT("DATEDIFF(d, '2023-12-25')", "37");
	EXPECT("DATEDIFF(dt, d)", "29");
	EXPECT("DATEDIFF(s, d)", "NULL");
}

static void test_sqleval__invalid_date_conversion_fails(void **state)
{
	(void)state;
	assert_int_equal(set_cell(3, "2023-02-29"), DM_E_INVALID_ARGUMENT);
	assert_int_equal(set_cell(3, cells[3]), 0);
	assert_int_equal(set_cell(0, "12abc"), DM_E_INVALID_ARGUMENT);
	assert_int_equal(set_cell(0, cells[0]), 0);
}

/* ------------------------------------------------------- not supported */

static void test_sqleval__unsupported_functions(void **state)
{
	static const char *const exprs[] = {
		"NOW()", "CURDATE()", "UNIX_TIMESTAMP(dt)", "FROM_UNIXTIME(0)",
		"TIMESTAMPDIFF(DAY, d, dt)", "DATE_FORMAT(d, '%Y')",
		"JSON_EXTRACT('{}', '$.a')", "b REGEXP 'h.*'",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++)
		EXPECT_ERR(exprs[i], DM_E_NOT_SUPPORTED);
}

static void test_sqleval__unknown_function_not_supported(void **state)
{
	(void)state;
	EXPECT_ERR("NO_SUCH_FUNCTION(a)", DM_E_NOT_SUPPORTED);
}

/* ------------------------------------------------------------- limits */

static void test_sqleval__depth_limit(void **state)
{
	dm_buf e = DM_BUF_INIT;
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;
	dm_buf scratch = DM_BUF_INIT;
	dm_value out;
	int i, rc;

	(void)state;
	/* Shallow enough for the parser, too deep for the evaluator? The
	 * parser has its own bound; either way the call must fail cleanly. */
	for (i = 0; i < 5000; i++)
		dm_buf_puts(&e, "-");
	dm_buf_puts(&e, "1");
	rc = dm_sql_parse_expr(&st, e.data, e.len, &po, &err);
	if (rc == 0) {
		rc = dm_sql_eval(&out, &scratch, dm_sql_stmt_expr(st), &fx.row,
				 NULL, &err);
		assert_int_equal(rc, DM_E_INVALID_ARGUMENT);
	}
	assert_true(rc < 0);
	assert_non_null(err);
	dm_error_free(err);
	dm_sql_stmt_free(st);
	dm_buf_free(&scratch);
	dm_buf_free(&e);
}

static void test_sqleval__moderate_nesting_works(void **state)
{
	dm_buf e = DM_BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		dm_buf_puts(&e, "(");
	dm_buf_puts(&e, "a");
	for (i = 0; i < 100; i++)
		dm_buf_puts(&e, " + 1)");
	EXPECT(e.data, "107");
	dm_buf_free(&e);
}

static void test_sqleval__null_arguments_refused(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *st = NULL;
	dm_buf scratch = DM_BUF_INIT;
	dm_value out, in;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_sql_parse_expr(&st, "1", 1, &po, &err), 0);
	assert_int_equal(dm_sql_eval(NULL, &scratch, dm_sql_stmt_expr(st),
				     NULL, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_sql_eval(&out, &scratch, NULL, NULL, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	err = NULL;
	memset(&in, 0, sizeof(in));
	in.kind = DM_VALUE_NULL;
	assert_int_equal(dm_sql_eval_convert(&out, &scratch, &in, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	dm_sql_stmt_free(st);
	dm_buf_free(&scratch);
}

static void test_sqleval__row_without_columns_is_empty(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *st = NULL;
	dm_buf scratch = DM_BUF_INIT;
	dm_value out;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_sql_parse_expr(&st, "1 + 1", 5, &po, &err), 0);
	assert_int_equal(dm_sql_eval(&out, &scratch, dm_sql_stmt_expr(st),
				     NULL, NULL, &err),
			 0);
	assert_int_equal(out.kind, DM_VALUE_INT);
	assert_int_equal(out.v.i, 2);
	dm_sql_stmt_free(st);
	dm_buf_free(&scratch);
}

/* Every allocation of an evaluation failing in turn: DM_E_NO_MEMORY and
 * nothing leaked (the asan build checks), then success. */
static void test_sqleval__allocation_failures(void **state)
{
	static const char *const exprs[] = {
		"CONCAT(b, '-', LPAD(a, 5, '0'), UPPER(b))",
		"c / 3 + ROUND(c * 1.5, 1)",
		"REPLACE(CONCAT_WS(',', b, b, b), 'l', 'LL')",
		"d + INTERVAL 1 MONTH",
	};
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		dm_sql_stmt *st = NULL;
		dm_error *err = NULL;
		long n;
		int rc = -1;

		assert_int_equal(dm_sql_parse_expr(&st, exprs[i],
						   strlen(exprs[i]), &po, &err),
				 0);
		for (n = 0; n < 1000 && rc != 0; n++) {
			dm_buf scratch = DM_BUF_INIT;
			dm_value out;

			dm__alloc_fail_after(n);
			rc = dm_sql_eval(&out, &scratch, dm_sql_stmt_expr(st),
					 &fx.row, NULL, &err);
			dm__alloc_fail_after(-1);
			if (rc != 0) {
				assert_int_equal(rc, DM_E_NO_MEMORY);
				assert_non_null(err);
				dm_error_free(err);
				err = NULL;
			}
			dm_buf_free(&scratch);
		}
		assert_int_equal(rc, 0);
		dm_sql_stmt_free(st);
	}
}

static void test_sqleval__timestamp_shown_in_time_zone(void **state)
{
	dm_sql_eval_opts o = DM_SQL_EVAL_OPTS_INIT;
	dm_sql_eval_column col;
	dm_sql_eval_row row = { &col, 1 };
	const dm_sql_eval_row saved = fx.row;
	dm_value v;
	const char *got;

	(void)state;
	memset(&v, 0, sizeof(v));
	v.kind = DM_VALUE_TIMESTAMP;
	v.v.ts.sec = 1700000000; /* 2023-11-14 22:13:20 UTC */
	col.name = "ts";
	col.value = &v;
	col.type = NULL;
	fx.row = row;
	o.tz_offset = 2 * 3600;
	got = eval_opts("ts", &o);
	fx.row = saved;
	assert_non_null(got);
	assert_string_equal(got, "2023-11-15 00:13:20");
}

/* 0x.. and b'..' literals are numbers where a number is wanted and binary
 * strings elsewhere; X'..' is always a string (MariaDB 10.11). */
static void test_sqleval__hex_literal_in_numeric_context(void **state)
{
	(void)state;
	EXPECT("0x41 + 0", "65");
	EXPECT("0x41 = 65", "1");
	EXPECT("CONCAT(0x41)", "A");
	EXPECT("X'41' + 0", "0");
	EXPECT("b'1000001' + 0", "65");
	EXPECT("0b1000001 + 0", "65");
	EXPECT("CONCAT(b'1000001')", "A");
	EXPECT("0x4142 + 0", "16706");
	EXPECT("0x41 = 'A'", "1");
	EXPECT("0x41 = '65'", "0");
	EXPECT("0x41 * 2", "130");
	EXPECT("-0x41", "-65");
	EXPECT("0x41 + 0.5", "65.5");
	EXPECT("0x41 / 1", "65.0000");
	EXPECT("0x41 IN (65)", "1");
	EXPECT("0x41 BETWEEN 60 AND 70", "1");
	EXPECT("0x41 = 65.5", "0");
	EXPECT("0x41 % 10", "5");
	EXPECT("LENGTH(0x41)", "1");
	EXPECT("CAST(0x41 AS SIGNED)", "65");
	EXPECT("0xFFFFFFFFFFFFFFFF + 0", "18446744073709551615");
	EXPECT("0x010000000000000000 + 0", "0");
	EXPECT("NOT 0x41", "0");
}

/* UPPER/LOWER map Latin-1, Latin Extended-A, Greek and Cyrillic letters as
 * utf8mb4_general_ci does (checked code point by code point on the server);
 * comparisons fold the same way. */
static void test_sqleval__upper_lower_unicode(void **state)
{
	(void)state;
	EXPECT("UPPER('\xc3\xa9t\xc3\xa9')", "\xc3\x89T\xc3\x89");
	EXPECT("LOWER('\xc3\x89T\xc3\x89')", "\xc3\xa9t\xc3\xa9");
	EXPECT("UCASE('\xc3\xbf')", "\xc5\xb8");                 /* ÿ -> Ÿ */
	EXPECT("LCASE('\xc5\xb8')", "\xc3\xbf");
	EXPECT("UPPER('\xc2\xb5')", "\xce\x9c");                 /* µ -> Μ */
	EXPECT("UPPER('\xc3\x9f\xc3\x97\xc3\xb7')", "\xc3\x9f\xc3\x97\xc3\xb7");
	EXPECT("UPPER('\xc4\xb1')", "I");                        /* ı */
	EXPECT("LOWER('\xc4\xb0')", "i");                        /* İ */
	EXPECT("UPPER('\xc5\xbf')", "S");                        /* ſ */
	EXPECT("UPPER('\xc5\x89')", "\xc5\x89");                 /* ŉ */
	EXPECT("UPPER('\xc5\x82\xc5\xbe\xc4\x81')", "\xc5\x81\xc5\xbd\xc4\x80");
	EXPECT("LOWER('\xc5\x81\xc5\xbd\xc4\x80')", "\xc5\x82\xc5\xbe\xc4\x81");
	EXPECT("UPPER('\xce\xb1\xce\xb2\xcf\x82\xce\xac\xcf\x8e')",
	       "\xce\x91\xce\x92\xce\xa3\xce\x86\xce\x8f");      /* αβςάώ */
	EXPECT("LOWER('\xce\x91\xce\x92\xce\xa3\xce\x86\xce\x8f')",
	       "\xce\xb1\xce\xb2\xcf\x83\xce\xac\xcf\x8e");
	EXPECT("UPPER('\xce\x90')", "\xce\x90");                 /* ΐ */
	EXPECT("UPPER('\xd0\xbf\xd1\x80\xd0\xb8\xd1\x91\xd1\x92')",
	       "\xd0\x9f\xd0\xa0\xd0\x98\xd0\x81\xd0\x82");      /* приёђ */
	EXPECT("LOWER('\xd0\x9f\xd0\xa0\xd0\x98\xd0\x81\xd0\x82')",
	       "\xd0\xbf\xd1\x80\xd0\xb8\xd1\x91\xd1\x92");
	EXPECT("UPPER('\xd1\xa1\xd3\x82\xd3\xb9')",
	       "\xd1\xa0\xd3\x81\xd3\xb8");                      /* ѡӂӹ */
	EXPECT("UPPER(CAST('\xc3\xa9' AS BINARY))", "\xc3\xa9");
	EXPECT("'\xc4\xba' = '\xc4\xb9'", "1");                  /* ĺ = Ĺ */
	EXPECT("'\xcf\x82' = '\xcf\x83'", "1");                  /* ς = σ */
	EXPECT("'\xd0\xb6' = '\xd0\x96'", "1");                  /* ж = Ж */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqleval__integer_literals),
		cmocka_unit_test(test_sqleval__decimal_and_string_literals),
		cmocka_unit_test(test_sqleval__null_literal_and_column),
		cmocka_unit_test(test_sqleval__columns_are_case_insensitive),
		cmocka_unit_test(test_sqleval__unknown_column_fails),
		cmocka_unit_test(test_sqleval__and_or_with_null),
		cmocka_unit_test(test_sqleval__xor_not_with_null),
		cmocka_unit_test(test_sqleval__is_true_false_unknown),
		cmocka_unit_test(test_sqleval__null_safe_equal),
		cmocka_unit_test(test_sqleval__integer_arithmetic),
		cmocka_unit_test(test_sqleval__division_gives_decimal),
		cmocka_unit_test(test_sqleval__division_by_zero_is_null),
		cmocka_unit_test(test_sqleval__bigint_overflow_fails),
		cmocka_unit_test(test_sqleval__unsigned_arithmetic),
		cmocka_unit_test(test_sqleval__decimal_scale),
		cmocka_unit_test(test_sqleval__decimal_conversion_rounds),
		cmocka_unit_test(test_sqleval__string_in_arithmetic),
		cmocka_unit_test(test_sqleval__compare_numbers),
		cmocka_unit_test(test_sqleval__compare_strings_case_insensitive),
		cmocka_unit_test(test_sqleval__compare_string_with_number),
		cmocka_unit_test(test_sqleval__compare_date_with_string),
		cmocka_unit_test(test_sqleval__like),
		cmocka_unit_test(test_sqleval__like_escape),
		cmocka_unit_test(test_sqleval__in_list),
		cmocka_unit_test(test_sqleval__between),
		cmocka_unit_test(test_sqleval__case),
		cmocka_unit_test(test_sqleval__if_ifnull_nullif),
		cmocka_unit_test(test_sqleval__coalesce),
		cmocka_unit_test(test_sqleval__cast_numbers),
		cmocka_unit_test(test_sqleval__cast_strings_and_dates),
		cmocka_unit_test(test_sqleval__concat),
		cmocka_unit_test(test_sqleval__length_and_case),
		cmocka_unit_test(test_sqleval__substring_left_right),
		cmocka_unit_test(test_sqleval__trim_replace_locate),
		cmocka_unit_test(test_sqleval__pad),
		cmocka_unit_test(test_sqleval__abs_sign_ceil_floor),
		cmocka_unit_test(test_sqleval__round_truncate),
		cmocka_unit_test(test_sqleval__greatest_least_mod),
		cmocka_unit_test(test_sqleval__pow_sqrt),
		cmocka_unit_test(test_sqleval__date_parts),
		cmocka_unit_test(test_sqleval__interval_arithmetic),
		cmocka_unit_test(test_sqleval__datediff),
		cmocka_unit_test(test_sqleval__invalid_date_conversion_fails),
		cmocka_unit_test(test_sqleval__unsupported_functions),
		cmocka_unit_test(test_sqleval__unknown_function_not_supported),
		cmocka_unit_test(test_sqleval__depth_limit),
		cmocka_unit_test(test_sqleval__moderate_nesting_works),
		cmocka_unit_test(test_sqleval__null_arguments_refused),
		cmocka_unit_test(test_sqleval__row_without_columns_is_empty),
		cmocka_unit_test(test_sqleval__allocation_failures),
		cmocka_unit_test(test_sqleval__timestamp_shown_in_time_zone),
		cmocka_unit_test(test_sqleval__hex_literal_in_numeric_context),
		cmocka_unit_test(test_sqleval__upper_lower_unicode),
	};

	return cmocka_run_group_tests_name("sqleval", tests, setup, teardown);
}
