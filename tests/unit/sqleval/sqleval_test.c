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
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* dm_sql_eval_text's text of `expr` (the row as for eval), or NULL on
 * an error with fx.status and fx.err set. */
static const char *eval_text(const char *expr)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *st = NULL;
	bool isnull = true;
	const char *result = NULL;

	dm_error_free(fx.err);
	fx.err = NULL;
	dm_buf_clear(&fx.text);
	if (dm_sql_parse_expr(&st, expr, strlen(expr), &po, &fx.err))
		fail_msg("%s: %s", expr, dm_error_message(fx.err));
	fx.status = dm_sql_eval_text(&fx.text, &isnull, dm_sql_stmt_expr(st),
				     &fx.row, NULL, &fx.err);
	if (fx.status == 0) {
		dm_buf_puts(&fx.text, "");
		result = fx.text.data;
		assert_int_equal(isnull, !strcmp(result, "NULL"));
	} else {
		assert_non_null(fx.err);
	}
	dm_sql_stmt_free(st);
	return result;
}

#define EXPECT_TEXT(expr, want)                                              \
	do {                                                                 \
		const char *got_ = eval_text(expr);                          \
		if (!got_ || strcmp(got_, want))                             \
			fail_msg("%s: got %s, want %s", expr,                \
				 got_ ? got_ : "(error)", want);             \
	} while (0)

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


/* The session of the new-function tests: SET timestamp=1700000000.987654
 * and SET time_zone='+05:30' on the server that gave the values. */
static const char *eval_at(const char *expr)
{
	dm_sql_eval_opts o = DM_SQL_EVAL_OPTS_INIT;

	o.now_sec = 1700000000;
	o.now_usec = 987654;
	o.tz_offset = 5 * 3600 + 1800;
	return eval_opts(expr, &o);
}

#define EXPECT_AT(expr, want)                                                \
	do {                                                                 \
		const char *got_ = eval_at(expr);                            \
		if (!got_)                                                   \
			fail_msg("%s: error %s", expr,                       \
				 dm_error_message(fx.err));                  \
		if (strcmp(got_, want) != 0)                                 \
			fail_msg("%s: got \"%s\", want \"%s\"", expr, got_,  \
				 want);                                      \
	} while (0)

#define EXPECT_ERR_AT(expr, code)                                            \
	do {                                                                 \
		const char *got_ = eval_at(expr);                            \
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

/* ------------------------------------ REGEXP, time, JSON, bits (MariaDB
 * 10.11 results for the fixture row, checked with SELECT on the server) */

static void test_sqleval__regexp(void **state)
{
	(void)state;
	EXPECT_AT("b REGEXP 'h.*'",
		  "1");
	EXPECT_AT("b REGEXP '^H'",
		  "1");
	EXPECT_AT("b NOT REGEXP 'L{2}'",
		  "0");
	EXPECT_AT("b RLIKE 'x|o$'",
		  "1");
	EXPECT_AT("BINARY b REGEXP '^H'",
		  "0");
	EXPECT_AT("b REGEXP _binary 'L'",
		  "1");
	EXPECT_AT("s REGEXP 'a'",
		  "NULL");
	EXPECT_AT("b REGEXP s",
		  "NULL");
	EXPECT_AT("a REGEXP '^7$'",
		  "1");
	EXPECT_AT("d REGEXP '-01-'",
		  "1");
	EXPECT_AT("c REGEXP '\\\\.34$'",
		  "1");
	EXPECT_AT("'é' REGEXP '^.$'",
		  "1");
	EXPECT_AT("_binary 'é' REGEXP '^.$'",
		  "0");
	EXPECT_AT("'É' REGEXP 'é'",
		  "1");
	EXPECT_AT("'a\\nb' REGEXP '^b'",
		  "0");
}

static void test_sqleval__current_time(void **state)
{
	(void)state;
	EXPECT_AT("NOW()",
		  "2023-11-15 03:43:20");
	EXPECT_AT("NOW(3)",
		  "2023-11-15 03:43:20.987");
	EXPECT_AT("CURRENT_TIMESTAMP",
		  "2023-11-15 03:43:20");
	EXPECT_AT("CURRENT_TIMESTAMP(6)",
		  "2023-11-15 03:43:20.987654");
	EXPECT_AT("LOCALTIME()",
		  "2023-11-15 03:43:20");
	EXPECT_AT("LOCALTIMESTAMP",
		  "2023-11-15 03:43:20");
	EXPECT_AT("CURDATE()",
		  "2023-11-15");
	EXPECT_AT("CURRENT_DATE",
		  "2023-11-15");
	EXPECT_AT("CURTIME()",
		  "03:43:20");
	EXPECT_AT("CURTIME(2)",
		  "03:43:20.98");
	EXPECT_AT("CURRENT_TIME",
		  "03:43:20");
	EXPECT_AT("UTC_TIMESTAMP()",
		  "2023-11-14 22:13:20");
	EXPECT_AT("UTC_TIMESTAMP(1)",
		  "2023-11-14 22:13:20.9");
	EXPECT_AT("UTC_DATE()",
		  "2023-11-14");
	EXPECT_AT("UTC_TIME()",
		  "22:13:20");
	EXPECT_AT("NOW() + 0",
		  "20231115034320");
	EXPECT_AT("NOW(2) + 0",
		  "20231115034320.98");
	EXPECT_AT("CURDATE() + 0",
		  "20231115");
	EXPECT_AT("DATEDIFF(CURDATE(), d)",
		  "-77");
	EXPECT_AT("NOW() > dt",
		  "0");
	EXPECT_AT("DATE_FORMAT(NOW(6), '%H:%i:%s.%f')",
		  "03:43:20.987654");
}

static void test_sqleval__timestampdiff(void **state)
{
	(void)state;
	EXPECT_AT("TIMESTAMPDIFF(DAY, d, dt)",
		  "29");
	EXPECT_AT("TIMESTAMPDIFF(MONTH, d, dt)",
		  "0");
	EXPECT_AT("TIMESTAMPDIFF(MONTH, '2024-01-31', '2024-02-29')",
		  "0");
	EXPECT_AT("TIMESTAMPDIFF(YEAR, '2000-02-29', '2001-02-28')",
		  "0");
	EXPECT_AT("TIMESTAMPDIFF(QUARTER, '2024-01-01', '2023-01-01')",
		  "-4");
	EXPECT_AT("TIMESTAMPDIFF(WEEK, d, '2024-03-15')",
		  "6");
	EXPECT_AT("TIMESTAMPDIFF(HOUR, dt, d)",
		  "-719");
	EXPECT_AT("TIMESTAMPDIFF(MINUTE, d, dt)",
		  "43199");
	EXPECT_AT("TIMESTAMPDIFF(SECOND, '2024-01-01', '2024-01-02 00:00:01.5')",
		  "86401");
	EXPECT_AT("TIMESTAMPDIFF(MICROSECOND, '2024-01-01', '2024-01-02 00:00:01.5')",
		  "86401500000");
	EXPECT_AT("TIMESTAMPDIFF(SQL_TSI_DAY, '2024-01-01', '2024-01-10')",
		  "9");
	EXPECT_AT("TIMESTAMPDIFF(DAY, '2024-02-30', d)",
		  "NULL");
	EXPECT_AT("TIMESTAMPDIFF(DAY, s, d)",
		  "NULL");
	EXPECT_AT("TIMESTAMPDIFF(DAY, 20240101, 20240201)",
		  "31");
}

static void test_sqleval__unix_timestamp(void **state)
{
	(void)state;
	EXPECT_AT("UNIX_TIMESTAMP()",
		  "1700000000");
	EXPECT_AT("UNIX_TIMESTAMP(dt)",
		  "1709231370");
	EXPECT_AT("UNIX_TIMESTAMP(d)",
		  "1706639400");
	EXPECT_AT("UNIX_TIMESTAMP('2024-01-01 00:00:00.50')",
		  "1704047400.50");
	EXPECT_AT("UNIX_TIMESTAMP(20240101000000.5)",
		  "1704047400.5");
	EXPECT_AT("UNIX_TIMESTAMP('1969-12-31')",
		  "NULL");
	EXPECT_AT("UNIX_TIMESTAMP('2038-01-19 08:44:07')",
		  "2147483647");
	EXPECT_AT("UNIX_TIMESTAMP('2038-01-19 08:44:08')",
		  "NULL");
	EXPECT_AT("UNIX_TIMESTAMP('1970-01-01 05:30:00')",
		  "0");
	EXPECT_AT("UNIX_TIMESTAMP('x')",
		  "NULL");
	EXPECT_AT("UNIX_TIMESTAMP(s)",
		  "NULL");
	EXPECT_AT("UNIX_TIMESTAMP(b)",
		  "NULL");
	EXPECT_AT("UNIX_TIMESTAMP(CAST(dt AS DATETIME(3)))",
		  "1709231370.000");
	EXPECT_AT("FROM_UNIXTIME(0)",
		  "1970-01-01 05:30:00");
	EXPECT_AT("FROM_UNIXTIME(1700000000)",
		  "2023-11-15 03:43:20");
	EXPECT_AT("FROM_UNIXTIME(1700000000.5)",
		  "2023-11-15 03:43:20.5");
	EXPECT_AT("FROM_UNIXTIME(1700000000.1234567)",
		  "2023-11-15 03:43:20.123456");
	EXPECT_AT("FROM_UNIXTIME(1.25e0)",
		  "1970-01-01 05:30:01.250000");
	EXPECT_AT("FROM_UNIXTIME(1e9)",
		  "2001-09-09 07:16:40");
	EXPECT_AT("FROM_UNIXTIME(-1)",
		  "NULL");
	EXPECT_AT("FROM_UNIXTIME(2147483647)",
		  "2038-01-19 08:44:07");
	EXPECT_AT("FROM_UNIXTIME(2147483648)",
		  "NULL");
	EXPECT_AT("FROM_UNIXTIME(s)",
		  "NULL");
	EXPECT_AT("FROM_UNIXTIME('1700000000')",
		  "2023-11-15 03:43:20");
	EXPECT_AT("FROM_UNIXTIME(a)",
		  "1970-01-01 05:30:07");
	EXPECT_AT("FROM_UNIXTIME(c)",
		  "1970-01-01 05:30:12.34");
	EXPECT_AT("FROM_UNIXTIME(1700000000, '%Y %D %M %h:%i %p')",
		  "2023 15th November 03:43 AM");
	EXPECT_AT("FROM_UNIXTIME(1700000000, s)",
		  "NULL");
}

static void test_sqleval__date_format(void **state)
{
	(void)state;
	EXPECT_AT("DATE_FORMAT(dt, '%a|%b|%c|%D|%d|%e|%f|%H|%h|%I|%i|%j|%k|%l|%M|%m|%p|%r|%S|%s|%T|%U|%u|%V|%v|%W|%w|%X|%x|%Y|%y|%%|%Q|%')",
		  "Thu|Feb|2|29th|29|29|000000|23|11|11|59|060|23|11|February|02|PM|11:59:30 PM|30|30|23:59:30|08|09|08|09|Thursday|4|2024|2024|2024|24|%|Q|%");
	EXPECT_AT("DATE_FORMAT(d, '%W %D of %M %Y, week %U/%u/%V/%v of %X/%x')",
		  "Wednesday 31st of January 2024, week 04/05/04/05 of 2024/2024");
	EXPECT_AT("DATE_FORMAT('2021-01-01', '%U %u %V %v %X %x')",
		  "00 00 52 53 2020 2020");
	EXPECT_AT("DATE_FORMAT('2024-12-30', '%U %u %V %v %X %x')",
		  "52 53 52 01 2024 2025");
	EXPECT_AT("DATE_FORMAT('2027-01-03', '%U %u %V %v %X %x %w %a')",
		  "01 00 01 53 2027 2026 0 Sun");
	EXPECT_AT("DATE_FORMAT('2024-01-01 00:00:00', '%r %p %l %h %k')",
		  "12:00:00 AM AM 12 12 0");
	EXPECT_AT("DATE_FORMAT('0000-00-00', '%Y-%m-%d')",
		  "0000-00-00");
	EXPECT_AT("DATE_FORMAT('2024-00-00', '%M')",
		  "NULL");
	EXPECT_AT("DATE_FORMAT('2024-00-05', '%a %w %U %u %V %v %X %x %D')",
		  "Tue 2 613566752 613566753 613566752 01 2024 2025 5th");
	EXPECT_AT("DATE_FORMAT(CAST('-30:11:12' AS TIME), '%H %k %h %T %r')",
		  "-30 30 06 30:11:12 06:11:12 AM");
	EXPECT_AT("DATE_FORMAT(d, '')",
		  "NULL");
	EXPECT_AT("DATE_FORMAT(s, '%Y')",
		  "NULL");
	EXPECT_AT("DATE_FORMAT(d, s)",
		  "NULL");
	EXPECT_AT("DATE_FORMAT('x', '%Y')",
		  "NULL");
	EXPECT_AT("DATE_FORMAT(20240131, '%d.%m.%y')",
		  "31.01.24");
}

static void test_sqleval__json(void **state)
{
	(void)state;
	EXPECT_AT("JSON_EXTRACT('{\"a\": {\"b\" :  [1, 2 ,3]}, \"c\":\"x\"}', '$.a')",
		  "{\"b\": [1, 2, 3]}");
	EXPECT_AT("JSON_EXTRACT('{\"a\": {\"b\" :  [1, 2 ,3]}, \"c\":\"x\"}', '$.a.b[1]')",
		  "2");
	EXPECT_AT("JSON_EXTRACT('{\"a\": {\"b\" :  [1, 2 ,3]}, \"c\":\"x\"}', '$.c')",
		  "\"x\"");
	EXPECT_AT("JSON_EXTRACT('{\"a\": {\"b\" :  [1, 2 ,3]}, \"c\":\"x\"}', '$.a.b[*]')",
		  "[1, 2, 3]");
	EXPECT_AT("JSON_EXTRACT('{\"a\": {\"b\" :  [1, 2 ,3]}, \"c\":\"x\"}', '$.*')",
		  "[{\"b\": [1, 2, 3]}, \"x\"]");
	EXPECT_AT("JSON_EXTRACT('{\"a\": {\"b\" :  [1, 2 ,3]}, \"c\":\"x\"}', '$.c', '$.a.b[0]')",
		  "[1, \"x\"]");
	EXPECT_AT("JSON_EXTRACT('{\"a\": {\"b\" :  [1, 2 ,3]}, \"c\":\"x\"}', '$.c', '$.zz')",
		  "[\"x\"]");
	EXPECT_AT("JSON_EXTRACT('{\"a\":{\"b\":1},\"c\":{\"b\":[{\"b\":3}]}}', '$**.b')",
		  "[1, [{\"b\": 3}], 3]");
	EXPECT_AT("JSON_EXTRACT('[1,2,3]', '$[last]')",
		  "3");
	EXPECT_AT("JSON_EXTRACT('[1,2,3]', '$[last-1]')",
		  "2");
	EXPECT_AT("JSON_EXTRACT('[1,2,3]', '$[-1]')",
		  "3");
	EXPECT_AT("JSON_EXTRACT('[1,2,3]', '$[0 to 1]')",
		  "[1, 2]");
	EXPECT_AT("JSON_EXTRACT('[1,2,3]', '$[5]')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('{\"a b\":1}', '$.\"a b\"')",
		  "1");
	EXPECT_AT("JSON_EXTRACT('1', '$[0]')",
		  "1");
	EXPECT_AT("JSON_EXTRACT('{\"a\":1}', '$[0]')",
		  "{\"a\": 1}");
	EXPECT_AT("JSON_EXTRACT('{\"a\":1,\"a\":2}', '$.a')",
		  "1");
	EXPECT_AT("JSON_EXTRACT('[{\"a\":1}]', '$.a')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[1.50, -0, 1e2, true, null, \"q\\\\\"\" ]', '$')",
		  "[1.50, -0, 1e2, true, null, \"q\\\"\"]");
	EXPECT_AT("JSON_EXTRACT('{\"a\":1, \"b\":', '$.a')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[1]', 'a')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[1]', '$.')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[1]', '$**')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[1]', '$[ 0 ]')",
		  "1");
	EXPECT_AT("JSON_EXTRACT(s, '$')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[1]', s)",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT(a, '$')",
		  "7");
	EXPECT_AT("JSON_EXTRACT(b, '$')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '$')",
		  "NULL");
	EXPECT_AT("JSON_EXTRACT('[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', '$[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]')",
		  "[1]");
	EXPECT_AT("JSON_UNQUOTE('\"a\\\\tb\\\\u00e9\\\\ud83d\\\\ude00\"')",
		  "a\tbé😀");
	EXPECT_AT("JSON_UNQUOTE('abc')",
		  "abc");
	EXPECT_AT("JSON_UNQUOTE(JSON_EXTRACT('{\"a\":\"x y\"}', '$.a'))",
		  "x y");
	EXPECT_AT("JSON_UNQUOTE(JSON_EXTRACT('{\"a\":[1, 2]}', '$.a'))",
		  "[1, 2]");
	EXPECT_AT("JSON_UNQUOTE(s)",
		  "NULL");
}

static void test_sqleval__bits(void **state)
{
	(void)state;
	EXPECT_AT("5 & 3",
		  "1");
	EXPECT_AT("5 | 3",
		  "7");
	EXPECT_AT("5 ^ 3",
		  "6");
	EXPECT_AT("~0",
		  "18446744073709551615");
	EXPECT_AT("~a",
		  "18446744073709551608");
	EXPECT_AT("1 << 63",
		  "9223372036854775808");
	EXPECT_AT("1 << 64",
		  "0");
	EXPECT_AT("(-1) >> 1",
		  "9223372036854775807");
	EXPECT_AT("a << 2",
		  "28");
	EXPECT_AT("u >> 60",
		  "15");
	EXPECT_AT("u & a",
		  "7");
	EXPECT_AT("(-1) | 0",
		  "18446744073709551615");
	EXPECT_AT("1.5 | 0",
		  "2");
	EXPECT_AT("2.5 | 0",
		  "3");
	EXPECT_AT("(-1.5) | 0",
		  "18446744073709551614");
	EXPECT_AT("1e20 | 0",
		  "18446744073709551615");
	EXPECT_AT("(-1e20) | 0",
		  "9223372036854775808");
	EXPECT_AT("'3' | 0",
		  "3");
	EXPECT_AT("'abc' | 1",
		  "1");
	EXPECT_AT("'2.6' | 0",
		  "3");
	EXPECT_AT("0x10 | 0",
		  "16");
	EXPECT_AT("X'10' | 0",
		  "0");
	EXPECT_AT("NULL | 1",
		  "NULL");
	EXPECT_AT("s & 1",
		  "NULL");
	EXPECT_AT("1 << -1",
		  "0");
	EXPECT_AT("1 << 1.6",
		  "4");
	EXPECT_AT("d | 0",
		  "20240131");
	EXPECT_AT("dt & 1",
		  "0");
	EXPECT_AT("BIT_COUNT(7)",
		  "3");
	EXPECT_AT("BIT_COUNT(-1)",
		  "64");
	EXPECT_AT("BIT_COUNT(NULL)",
		  "NULL");
	EXPECT_AT("BIT_COUNT('x')",
		  "0");
	EXPECT_AT("BIT_COUNT(2.5)",
		  "2");
	EXPECT_AT("BIT_COUNT(u)",
		  "64");
	EXPECT_AT("1 | 2 & 3",
		  "3");
	EXPECT_AT("1 << 2 + 1",
		  "8");
	EXPECT_AT("a & 3 = 3",
		  "1");
}

static void test_sqleval__regexp_errors(void **state)
{
	(void)state;
	/* ERROR 1139 on the server */
	EXPECT_ERR_AT("b REGEXP '('", DM_E_INVALID_ARGUMENT);
	assert_non_null(strstr(dm_error_message(fx.err),
			       "Regex error 'missing closing parenthesis at "
			       "offset 1'"));
	EXPECT_ERR_AT("b REGEXP '*'", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR_AT("s REGEXP 'a{2,1}'", DM_E_INVALID_ARGUMENT);
	/* the pattern is compiled even for a NULL subject */
	EXPECT_ERR_AT("s REGEXP '('", DM_E_INVALID_ARGUMENT);
	EXPECT_AT("'a' REGEXP s", "NULL");
}

static void test_sqleval__current_time_errors(void **state)
{
	(void)state;
	/* ERROR 1426 and syntax errors on the server */
	EXPECT_ERR_AT("NOW(7)", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR_AT("NOW(a)", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR_AT("CURDATE(1)", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR_AT("TIMESTAMPDIFF(DAY_HOUR, d, dt)", DM_E_INVALID_ARGUMENT);
}

/* now_sec = now_usec = 0 is the wall clock, read once per call. */
static void test_sqleval__wall_clock_when_now_unset(void **state)
{
	dm_sql_eval_opts o = DM_SQL_EVAL_OPTS_INIT;
	const char *got;
	long long before, after, v;

	(void)state;
	before = (long long)time(NULL);
	got = eval_opts("UNIX_TIMESTAMP()", &o);
	after = (long long)time(NULL);
	assert_non_null(got);
	v = strtoll(got, NULL, 10);
	assert_true(v >= before && v <= after);
	got = eval_opts("NOW(6) = NOW(6)", &o);
	assert_non_null(got);
	assert_string_equal(got, "1");
}

/* ------------------------------------------------------- not supported */

static void test_sqleval__unsupported_functions(void **state)
{
	static const char *const exprs[] = {
		"STR_TO_DATE(b, '%Y')", "b SOUNDS LIKE 'x'", "@v + 1",
		"JSON_VALUE('{}', '$.a')", "REGEXP_REPLACE(b, 'l', 'L')",
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
		"b REGEXP 'h.*' AND NOT b REGEXP 'x'",
		"JSON_EXTRACT('{\"a\": [1, 2, {\"b\": 3}]}', '$**.b', '$.a[0]')",
		"DATE_FORMAT(dt, '%W %D %M %Y %r') = FROM_UNIXTIME(0, '%Y')",
		"JSON_UNQUOTE('\"x\\\\u00e9\"')",
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
/* Results as MariaDB 10.11 prints them (each checked on a server). */
static void test_sqleval__text_as_mariadb_prints(void **state)
{
	(void)state;
	/* quotients: nine-digit groups, truncated, printed at the type's
	 * decimals, also through CASE */
	EXPECT_TEXT("(CASE WHEN 1 THEN 6.07 ELSE c * 68.00000 END) / (-3)",
		    "-2.02333333300");
	EXPECT_TEXT("(1/3)*3", "1.0000");
	EXPECT_TEXT("-1/1000000", "0.0000");
	EXPECT_TEXT("c / 7", "1.762857");
	/* MOD's negative zero */
	EXPECT_TEXT("MOD(-4.00, 2)", "-0.00");
	EXPECT_TEXT("IFNULL(MOD(-4.00, 2), 1)", "-0.00");
	EXPECT_TEXT("MOD(-4.00, 2) + 0", "0.00");
	EXPECT_TEXT("IF(1, -4, 1.5) % 2", "0.0");
	/* doubles */
	EXPECT_TEXT("0.1e0 + 0.2e0", "0.30000000000000004");
	EXPECT_TEXT("1/3e0", "0.3333333333333333");
	EXPECT_TEXT("123456789012345678e0", "1.2345678901234568e17");
	EXPECT_TEXT("1e15 + 0.5e0", "1000000000000000.5");
	EXPECT_TEXT("1e15", "1e15");
	EXPECT_TEXT("1e-15", "0.000000000000001");
	EXPECT_TEXT("1.5e-16", "1.5e-16");
	EXPECT_TEXT("-(0e0)", "0");
	/* below the DOUBLE range a literal is 0, beyond it an error (1367) */
	EXPECT_TEXT("1e-400", "0");
	assert_null(eval_text("1e400"));
	assert_null(eval_text("-99999E647120247 + 1"));
	EXPECT_TEXT("ROUND(1e0, 2)", "1.00");
	EXPECT_TEXT("ROUND(-19 * 1.5e0, 0)", "-28");
	EXPECT_TEXT("CAST(c AS CHAR) * 5", "62");
	EXPECT_TEXT("'1.25' + 0", "1.25");
	/* branches MariaDB does not evaluate raise no error */
	EXPECT_TEXT("COALESCE(1, u + 1)", "1");
	EXPECT_TEXT("IF(0, u + 1, 2)", "2");
	EXPECT_TEXT("NULL >= (u + 1)", "NULL");
	assert_null(eval_text("IF(1, u + 1, 2)"));
	/* a decimal beyond BIGINT saturates in CAST AS SIGNED */
	EXPECT_TEXT("CAST(18446744073709550743.0 AS SIGNED)",
		    "9223372036854775807");
	EXPECT_TEXT("CAST(18446744073709550743 AS SIGNED)", "-873");
}

/* Values copied from MariaDB 10.11 (SELECT on the sandbox). */
static void test_sqleval__decimals_beyond_38_digits(void **state)
{
	(void)state;
	EXPECT_TEXT("99999999999999999999999999999999999999999999999999999999999999999 * 10", "999999999999999999999999999999999999999999999999999999999999999990");
	EXPECT_TEXT("99999999999999999999999999999999999999999999999999999999999999999 * 10 * 10", "9999999999999999999999999999999999999999999999999999999999999999900");
	EXPECT_TEXT("99999999999999999999999999999999999999999999999999999999999999999 + 99999999999999999999999999999999999999999999999999999999999999999", "199999999999999999999999999999999999999999999999999999999999999998");
	EXPECT_TEXT("999999999999999999999999999999999999999999999999999999999999999999999999999999999 - 1", "999999999999999999999999999999999999999999999999999999999999999999999999999999998");
	/* 82 integer digits: the literal becomes 65 nines */
	EXPECT_TEXT("9999999999999999999999999999999999999999999999999999999999999999999999999999999999", "99999999999999999999999999999999999999999999999999999999999999999");
	/* the fraction keeps the words the integer part leaves */
	EXPECT_TEXT("1111111111111111111111111111111111111111.1111111111111111111111111111111111111111", "1111111111111111111111111111111111111111.111111111111111111111111111111111111");
	EXPECT_TEXT("0.111111111111111111111111111111111111111111111", "0.111111111111111111111111111111111111111111111");
	EXPECT_TEXT("0.111111111111111111111111111111111111111111111 + 0", "0.11111111111111111111111111111111111111");
	EXPECT_TEXT("12345678901234567890123456789012345678901234."
		    "123456789012345678901234567 * 1.11111111111",
		    "13717421001358024679135802467913580246791357."
		    "530864319753580245789986282580000000");
	EXPECT_TEXT("0.1234567890123456789012345 * 0.1234567890123456789012345",
		    "0.01524157875323883675049533479957338669");
	EXPECT_TEXT("1111111111111111111111111111111111111111 * 1111111111111111111111111111111111111111",
		    "1234567901234567901234567901234567901234320987654320987654320987654320987654321");
	EXPECT_TEXT("1234567890123456789012345678901234567890.123 / 0.0007",
		    "1763668414462081127160493827001763668414461.4285714");
	EXPECT_TEXT("1111111111111111111111111111111111111111.25 / 7.5", "148148148148148148148148148148148148148.166667");
	EXPECT_TEXT("99999999999999999999999999999999999999999999999999999999999999999 MOD 7", "4");
	EXPECT_TEXT("-1111111111111111111111111111111111111111.5 MOD 7", "-5.5");
	EXPECT_TEXT("CAST(1/3 AS DECIMAL(65,30))",
		    "0.333333333000000000000000000000");
	EXPECT_TEXT("CAST(99999999999999999999999999999999999999999999999999999999999999999 AS DECIMAL(65,30))",
		    "99999999999999999999999999999999999.999999999999999999999999999999");
	EXPECT_TEXT("CAST(-1e70 AS DECIMAL(65,2))", "-999999999999999999999999999999999999999999999999999999999999999.99");
	EXPECT_TEXT("ROUND(99999999999999999999999999999999999999999999999999999999999999999.5)", "100000000000000000000000000000000000000000000000000000000000000000");
	EXPECT_TEXT("TRUNCATE(1111111111111111111111111111111111111111.123456, 3)", "1111111111111111111111111111111111111111.123");
	EXPECT_TEXT("FLOOR(-1111111111111111111111111111111111111111.1)", "-1111111111111111111111111111111111111112");
	EXPECT_TEXT("ROUND(0.5, 35)", "0.50000000000000000000000000000000000");
	EXPECT_TEXT("1111111111111111111111111111111111111111 = 1111111111111111111111111111111111111111.0", "1");
	EXPECT_TEXT("GREATEST(1111111111111111111111111111111111111111, 1.5)", "1111111111111111111111111111111111111111.0");
	EXPECT_TEXT("SIGN(-1111111111111111111111111111111111111111)", "-1");
	EXPECT_TEXT("CAST(1111111111111111111111111111111111111111 AS UNSIGNED)", "18446744073709551615");
	EXPECT_TEXT("CAST(1111111111111111111111111111111111111111.5 AS DOUBLE)", "1.1111111111111112e39");
	/* overflow is an error (1690), in any sql_mode */
	assert_null(eval_text("99999999999999999999999999999999999999999999999999999999999999999 * 100000000000000000"));
	assert_null(eval_text("999999999999999999999999999999999999999999999999999999999999999999999999999999999 + 1"));
	assert_null(eval_text("99999999999999999999999999999999999999999999999999999999999999999 DIV 7"));
}

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

/* ------------------------------------------- agreement with the server
 * Expected values from MariaDB 10.11 (SELECT ... FROM a table holding the
 * fixture's row). */

/* A NULL literal, a string or a DOUBLE on the left of / makes a DOUBLE
 * division, which evaluates its right side (and raises its error); an
 * exact NULL does not. A NULL literal makes arithmetic DOUBLE. */
static void test_sqleval__null_left_of_division(void **state)
{
	(void)state;
	EXPECT_ERR("NULL / (9223372036854775807 + 1)", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR("s / (9223372036854775807 + 1)", DM_E_INVALID_ARGUMENT);
	EXPECT_ERR("s * (9223372036854775807 + 1)", DM_E_INVALID_ARGUMENT);
	EXPECT("CAST(NULL AS SIGNED) / (9223372036854775807 + 1)", "NULL");
	EXPECT_TEXT("COALESCE(NULL / 2, 18446744073709551615)",
		    "18446744073709552000.0000");
	EXPECT_TEXT("COALESCE(-NULL, 18446744073709551615)",
		    "18446744073709552000");
	EXPECT_TEXT("COALESCE(c DIV 0, 1)", "1");
}

/* A zero quotient keeps the sign unless printing rounds it. */
static void test_sqleval__negative_zero_quotient(void **state)
{
	(void)state;
	EXPECT_TEXT("-7.00000 / 18446744073709551615", "-0.000000000");
	EXPECT_TEXT("-7.0000 / 18446744073709551615", "0.00000000");
	EXPECT_TEXT("-7.000000 / 18446744073709551615", "0.0000000000");
	EXPECT_TEXT("LEAST(-7, c) / 18446744073709551615", "0.000000");
	EXPECT_TEXT("(-7.00000 / 18446744073709551615) + 0", "0.000000000");
}

/* A DECIMAL column counts the integer digits of its type (but for
 * leading zero words), a CAST whole words: that decides which fraction
 * words a product drops. */
static void test_sqleval__decimal_integer_digits(void **state)
{
	(void)state;
	EXPECT_TEXT("c * 1234567890123456789012345678901234567890123456789012345678901.123456789123456789",
		    "15234567764123456776412345677641234567764123456776412345677638.340000000000000000");
	EXPECT_TEXT("(c + 0) * 1234567890123456789012345678901234567890123456789012345678901.123456789123456789",
		    "15234567764123456776412345677641234567764123456776412345677638.340000000000000000");
	EXPECT_TEXT("(c * 2) * 1234567890123456789012345678901234567890123456789012345678901.123456789123456789",
		    "30469135528246913552824691355282469135528246913552824691355276.680000000000000000");
	EXPECT_TEXT("7.0 * 1234567890123456789012345678901234567890123456789012345678901.123456789123456789",
		    "8641975230864197523086419752308641975230864197523086419752307.864197523864197523");
	EXPECT_TEXT("CAST(7 AS DECIMAL(5,0)) * 1234567890123456789012345678901234567890123456789012345678901.123456789123456789",
		    "8641975230864197523086419752308641975230864197523086419752307.864197523000000000");
	EXPECT_TEXT("7 * 1234567890123456789012345678901234567890123456789012345678901.123456789123456789",
		    "8641975230864197523086419752308641975230864197523086419752307.864197523864197523");
	EXPECT_TEXT("CAST(c AS DECIMAL(65,30)) * CAST(c AS DECIMAL(65,30))",
		    "152.27560000000000000000000000000000000000");
}

/* JSON_EXTRACT read as a number: a string's contents, true 1; compared
 * with a string: a JSON string's contents (the other side as written). */
static void test_sqleval__json_extract_as_number_and_string(void **state)
{
	(void)state;
	EXPECT("JSON_EXTRACT('{\"a\":5}', '$.a') = 5", "1");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') + 0", "0");
	EXPECT("JSON_EXTRACT('{\"a\":\"12\"}', '$.a') + 0", "12");
	EXPECT("JSON_EXTRACT('{\"a\":true}', '$.a') * 5", "5");
	EXPECT("JSON_EXTRACT('{\"a\":[1,2]}', '$.a') + 1", "1");
	EXPECT("JSON_EXTRACT('{\"a\":\"12\"}', '$.a') > 5", "1");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') = 'x'", "1");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') = 'X'", "1");
	EXPECT("'x' = JSON_EXTRACT('{\"a\":\"x\"}', '$.a')", "1");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') = '\"x\"'", "0");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') <=> 'x'", "1");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') IN ('x', 'y')", "0");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') LIKE 'x'", "0");
	EXPECT("JSON_EXTRACT('{\"a\":\"x\"}', '$.a') = "
	       "JSON_EXTRACT('{\"a\":\"x\"}', '$.a')", "0");
	EXPECT("NULLIF(JSON_EXTRACT('{\"a\":\"x\"}', '$.a'), 'x')", "NULL");
	EXPECT("NULLIF(JSON_EXTRACT('{\"a\":\"x\"}', '$.a'), 'y')", "\"x\"");
	EXPECT("JSON_EXTRACT('{\"a\":\"\\\\u0078y\"}', '$.a') = 'xy'", "1");
	EXPECT("IFNULL(JSON_EXTRACT('{\"a\":true}', '$.a'), 0) + 0", "0");
	EXPECT("CAST(JSON_EXTRACT('{\"a\":\"12\"}', '$.a') AS SIGNED)", "0");
	EXPECT("JSON_EXTRACT('{\"a\":\"12\"}', '$.a') DIV 5", "2");
}

/* DIV with a non-integer operand divides decimals (a DOUBLE by its
 * shortest digits) and truncates to a BIGINT. */
static void test_sqleval__int_div_of_doubles(void **state)
{
	(void)state;
	EXPECT("73493004277727264e0 DIV 1", "73493004277727260");
	EXPECT("1234567890123456789e0 DIV 1", "1234567890123456800");
	EXPECT_ERR("9.22337203685478e18 DIV 1", DM_E_INVALID_ARGUMENT);
	EXPECT("1 DIV 1e-300", "NULL");
	EXPECT("1e300 DIV 1e299", "1");
	EXPECT("-7.5e0 DIV 2", "-3");
	EXPECT("u DIV 1e0", "18446744073709551615");
	EXPECT("'12.7' DIV 1.5e0", "8");
}

/* IN with a NULL on the left compares with nothing: a list that is not
 * all constants is not evaluated. */
static void test_sqleval__in_with_null_left(void **state)
{
	(void)state;
	EXPECT("s NOT IN ((a - u), 5)", "NULL");
	EXPECT("s IN (5, (1 - u))", "NULL");
	EXPECT("a IN (7, (1 - u))", "1");
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
		cmocka_unit_test(test_sqleval__regexp),
		cmocka_unit_test(test_sqleval__current_time),
		cmocka_unit_test(test_sqleval__timestampdiff),
		cmocka_unit_test(test_sqleval__unix_timestamp),
		cmocka_unit_test(test_sqleval__date_format),
		cmocka_unit_test(test_sqleval__json),
		cmocka_unit_test(test_sqleval__bits),
		cmocka_unit_test(test_sqleval__regexp_errors),
		cmocka_unit_test(test_sqleval__current_time_errors),
		cmocka_unit_test(test_sqleval__wall_clock_when_now_unset),
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
		cmocka_unit_test(test_sqleval__text_as_mariadb_prints),
		cmocka_unit_test(test_sqleval__decimals_beyond_38_digits),
		cmocka_unit_test(test_sqleval__null_left_of_division),
		cmocka_unit_test(test_sqleval__negative_zero_quotient),
		cmocka_unit_test(test_sqleval__decimal_integer_digits),
		cmocka_unit_test(test_sqleval__json_extract_as_number_and_string),
		cmocka_unit_test(test_sqleval__int_div_of_doubles),
		cmocka_unit_test(test_sqleval__in_with_null_left),
	};

	return cmocka_run_group_tests_name("sqleval", tests, setup, teardown);
}
