/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Expressions: MySQL precedence (checked on the tree's dump), folding of
 * synonyms, the special argument forms of built-ins, sql_mode effects, and
 * the canonical restore with just the parentheses needed.
 */
#include "sql_test.h"

#include <stdlib.h>
#include <string.h>

struct expr_case {
	const char *in;
	const char *dump;
	const char *restored;
};

static const struct expr_case cases[] = {
	{ "1 + 2 * 3", "(+ (int 1) (* (int 2) (int 3)))", "1 + 2 * 3" },
	{ "(1 + 2) * 3", "(* (+ (int 1) (int 2)) (int 3))", "(1 + 2) * 3" },
	{ "1 - 2 - 3", "(- (- (int 1) (int 2)) (int 3))", "1 - 2 - 3" },
	{ "1 - (2 - 3)", "(- (int 1) (- (int 2) (int 3)))", "1 - (2 - 3)" },
	{ "a / b * c DIV d % e MOD f",
	  "(% (% (div (* (/ (col `a`) (col `b`)) (col `c`)) (col `d`)) (col `e`)) (col `f`))",
	  "`a` / `b` * `c` DIV `d` % `e` % `f`" },
	{ "a OR b AND c", "(or (col `a`) (and (col `b`) (col `c`)))", "`a` OR `b` AND `c`" },
	{ "a OR b XOR c AND d", "(or (col `a`) (xor (col `b`) (and (col `c`) (col `d`))))",
	  "`a` OR `b` XOR `c` AND `d`" },
	{ "a || b && c", "(or (col `a`) (and (col `b`) (col `c`)))", "`a` OR `b` AND `c`" },
	{ "NOT a = b", "(not (= (col `a`) (col `b`)))", "NOT (`a` = `b`)" },
	{ "NOT a AND b", "(and (not (col `a`)) (col `b`))", "NOT `a` AND `b`" },
	{ "!a = b", "(= (not (col `a`)) (col `b`))", "(NOT `a`) = `b`" },
	{ "NOT NOT a", "(not (not (col `a`)))", "NOT (NOT `a`)" },
	{ "a = b = c", "(= (= (col `a`) (col `b`)) (col `c`))", "(`a` = `b`) = `c`" },
	{ "a = b LIKE c", "(= (col `a`) (like (col `b`) (col `c`)))", "`a` = (`b` LIKE `c`)" },
	{ "a LIKE b = c", "(= (like (col `a`) (col `b`)) (col `c`))", "(`a` LIKE `b`) = `c`" },
	{ "a < b <> c", "(<> (< (col `a`) (col `b`)) (col `c`))", "(`a` < `b`) <> `c`" },
	{ "a != b", "(<> (col `a`) (col `b`))", "`a` <> `b`" },
	{ "a <=> b >= c <= d > e", "(> (<= (>= (<=> (col `a`) (col `b`)) (col `c`)) (col `d`)) (col `e`))",
	  "(((`a` <=> `b`) >= `c`) <= `d`) > `e`" },
	{ "a BETWEEN 1 AND 2 AND c", "(and (between (col `a`) (int 1) (int 2)) (col `c`))",
	  "`a` BETWEEN 1 AND 2 AND `c`" },
	{ "a NOT BETWEEN b + 1 AND c * 2", "(not-between (col `a`) (+ (col `b`) (int 1)) (* (col `c`) (int 2)))",
	  "`a` NOT BETWEEN `b` + 1 AND `c` * 2" },
	{ "1 < a BETWEEN 0 AND 1", "(< (int 1) (between (col `a`) (int 0) (int 1)))",
	  "1 < (`a` BETWEEN 0 AND 1)" },
	{ "a IS NULL IS NOT TRUE", "(is-not true (is null (col `a`)))", "(`a` IS NULL) IS NOT TRUE" },
	{ "a = b IS UNKNOWN", "(is unknown (= (col `a`) (col `b`)))", "(`a` = `b`) IS UNKNOWN" },
	{ "a IS FALSE", "(is false (col `a`))", "`a` IS FALSE" },
	{ "a IN (1, 'x', b)", "(in (col `a`) (int 1) (str 'x') (col `b`))", "`a` IN (1, 'x', `b`)" },
	{ "a NOT IN (1)", "(not-in (col `a`) (int 1))", "`a` NOT IN (1)" },
	{ "a LIKE 'x\\_%' ESCAPE '!'", "(like (col `a`) (str 'x\\\\_%') (str '!'))",
	  "`a` LIKE 'x\\\\_%' ESCAPE '!'" },
	{ "a NOT REGEXP 'x' OR a RLIKE 'y'", "(or (not-regexp (col `a`) (str 'x')) (regexp (col `a`) (str 'y')))",
	  "`a` NOT REGEXP 'x' OR `a` REGEXP 'y'" },
	{ "a SOUNDS LIKE b", "(sounds-like (col `a`) (col `b`))", "`a` SOUNDS LIKE `b`" },
	{ "a | b & c << d + e * f ^ g",
	  "(| (col `a`) (& (col `b`) (<< (col `c`) (+ (col `d`) (* (col `e`) (^ (col `f`) (col `g`)))))))",
	  "`a` | `b` & `c` << `d` + `e` * `f` ^ `g`" },
	{ "a >> 1 << 2", "(<< (>> (col `a`) (int 1)) (int 2))", "`a` >> 1 << 2" },
	{ "- - 1", "(neg (neg (int 1)))", "-(-1)" },
	{ "-a * b", "(* (neg (col `a`)) (col `b`))", "-`a` * `b`" },
	{ "-(a * b)", "(neg (* (col `a`) (col `b`)))", "-(`a` * `b`)" },
	{ "- a ^ b", "(^ (neg (col `a`)) (col `b`))", "-`a` ^ `b`" },
	{ "a - -1", "(- (col `a`) (neg (int 1)))", "`a` - -1" },
	{ "+a", "(plus (col `a`))", "+`a`" },
	{ "~~a", "(~ (~ (col `a`)))", "~(~`a`)" },
	{ "BINARY a = b", "(= (binary (col `a`)) (col `b`))", "BINARY `a` = `b`" },
	{ "a COLLATE utf8mb4_bin = b", "(= (collate utf8mb4_bin (col `a`)) (col `b`))",
	  "`a` COLLATE utf8mb4_bin = `b`" },
	{ "-a COLLATE latin1_bin", "(neg (collate latin1_bin (col `a`)))", "-`a` COLLATE latin1_bin" },
	{ "(a + b) COLLATE x", "(collate x (+ (col `a`) (col `b`)))", "(`a` + `b`) COLLATE x" },
	{ "d + INTERVAL 1 DAY", "(+ (col `d`) (interval day (int 1)))", "`d` + INTERVAL 1 DAY" },
	{ "INTERVAL 2 HOUR + d", "(+ (interval hour (int 2)) (col `d`))", "INTERVAL 2 HOUR + `d`" },
	{ "d - INTERVAL a + 1 MINUTE_SECOND", "(- (col `d`) (interval minute_second (+ (col `a`) (int 1))))",
	  "`d` - INTERVAL (`a` + 1) MINUTE_SECOND" },
	{ "DATE_ADD(d, INTERVAL -1 YEAR_MONTH)", "(call date_add (col `d`) (interval year_month (neg (int 1))))",
	  "DATE_ADD(`d`, INTERVAL -1 YEAR_MONTH)" },
	{ "INTERVAL(5, 1, 10)", "(call interval (int 5) (int 1) (int 10))", "INTERVAL(5, 1, 10)" },
	{ "INTERVAL (5) SECOND", "(interval second (int 5))", "INTERVAL 5 SECOND" },
	{ "CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' ELSE 'z' END",
	  "(case (col `a`) (when (int 1) (str 'x')) (when (int 2) (str 'y')) (else (str 'z')))",
	  "CASE `a` WHEN 1 THEN 'x' WHEN 2 THEN 'y' ELSE 'z' END" },
	{ "CASE WHEN a THEN b END", "(case (when (col `a`) (col `b`)))", "CASE WHEN `a` THEN `b` END" },
	{ "CAST(a AS SIGNED INTEGER)", "(cast (col `a`) SIGNED)", "CAST(`a` AS SIGNED)" },
	{ "CAST(a AS UNSIGNED)", "(cast (col `a`) UNSIGNED)", "CAST(`a` AS UNSIGNED)" },
	{ "CAST(a AS DECIMAL(10,2))", "(cast (col `a`) DECIMAL(10,2))", "CAST(`a` AS DECIMAL(10,2))" },
	{ "CAST(a AS CHAR(3) CHARACTER SET latin1)", "(cast (col `a`) CHAR(3) charset=latin1)",
	  "CAST(`a` AS CHAR(3) CHARACTER SET latin1)" },
	{ "CAST(a AS DATETIME(6))", "(cast (col `a`) DATETIME(6))", "CAST(`a` AS DATETIME(6))" },
	{ "CAST(a AS BINARY(4))", "(cast (col `a`) BINARY(4))", "CAST(`a` AS BINARY(4))" },
	{ "CONVERT(a, DATE)", "(cast (col `a`) DATE)", "CAST(`a` AS DATE)" },
	{ "CONVERT(a USING utf8mb4)", "(convert (col `a`) utf8mb4)", "CONVERT(`a` USING utf8mb4)" },
	{ "TRIM(a)", "(call trim (col `a`))", "TRIM(`a`)" },
	{ "TRIM(' ' FROM a)", "(call trim (col `a`) (str ' '))", "TRIM(' ' FROM `a`)" },
	{ "TRIM(TRAILING FROM a)", "(call trim :trailing (col `a`))", "TRIM(TRAILING FROM `a`)" },
	{ "TRIM(BOTH 'x' FROM a)", "(call trim :both (col `a`) (str 'x'))", "TRIM(BOTH 'x' FROM `a`)" },
	{ "SUBSTRING(a FROM 2 FOR 3)", "(call substring (col `a`) (int 2) (int 3))", "SUBSTRING(`a`, 2, 3)" },
	{ "SUBSTR(a, 2)", "(call substr (col `a`) (int 2))", "SUBSTR(`a`, 2)" },
	{ "MID(a, 1, 2)", "(call mid (col `a`) (int 1) (int 2))", "MID(`a`, 1, 2)" },
	{ "POSITION('x' IN a)", "(call position (str 'x') (col `a`))", "POSITION('x' IN `a`)" },
	{ "EXTRACT(YEAR FROM d)", "(call extract :year (col `d`))", "EXTRACT(YEAR FROM `d`)" },
	{ "TIMESTAMPDIFF(SQL_TSI_MONTH, a, b)", "(call timestampdiff :month (col `a`) (col `b`))",
	  "TIMESTAMPDIFF(MONTH, `a`, `b`)" },
	{ "TIMESTAMPADD(MINUTE, 1, a)", "(call timestampadd :minute (int 1) (col `a`))",
	  "TIMESTAMPADD(MINUTE, 1, `a`)" },
	{ "GET_FORMAT(DATETIME, 'ISO')", "(call get_format :datetime (str 'ISO'))",
	  "GET_FORMAT(DATETIME, 'ISO')" },
	{ "CHAR(65, 66 USING utf8mb4)", "(call char :using utf8mb4 (int 65) (int 66))",
	  "CHAR(65, 66 USING utf8mb4)" },
	{ "concat_ws(',', a, b)", "(call concat_ws (str ',') (col `a`) (col `b`))",
	  "CONCAT_WS(',', `a`, `b`)" },
	{ "ifnull(a, 0) + nullif(b, 1) + coalesce(c, d, 0)",
	  "(+ (+ (call ifnull (col `a`) (int 0)) (call nullif (col `b`) (int 1))) (call coalesce (col `c`) (col `d`) (int 0)))",
	  "IFNULL(`a`, 0) + NULLIF(`b`, 1) + COALESCE(`c`, `d`, 0)" },
	{ "IF(a, LEFT(b, 1), RIGHT(b, 2))", "(call if (col `a`) (call left (col `b`) (int 1)) (call right (col `b`) (int 2)))",
	  "IF(`a`, LEFT(`b`, 1), RIGHT(`b`, 2))" },
	{ "`if`(a)", "(call `if` (col `a`))", "`if`(`a`)" },
	{ "db.f(1)", "(call `db`.`f` (int 1))", "`db`.`f`(1)" },
	{ "NOW() + CURRENT_TIMESTAMP + CURRENT_TIMESTAMP(3) + UTC_DATE",
	  "(+ (+ (+ (call now) (call current_timestamp)) (call current_timestamp (int 3))) (call utc_date))",
	  "NOW() + CURRENT_TIMESTAMP() + CURRENT_TIMESTAMP(3) + UTC_DATE()" },
	{ "j->'$.a'", "(call json_extract (col `j`) (str '$.a'))", "JSON_EXTRACT(`j`, '$.a')" },
	{ "t.j->>'$.a'", "(call json_unquote (call json_extract (col `t`.`j`) (str '$.a')))",
	  "JSON_UNQUOTE(JSON_EXTRACT(`t`.`j`, '$.a'))" },
	{ "s.t.c + t.c + c", "(+ (+ (col `s`.`t`.`c`) (col `t`.`c`)) (col `c`))", "`s`.`t`.`c` + `t`.`c` + `c`" },
	{ "@a + @`b c` + @@x + @@session.y", "(+ (+ (+ (@ `a`) (@ `b c`)) (@@ `x`)) (@@ session `y`))",
	  "@a + @`b c` + @@x + @@SESSION.y" },
	{ "NULL + TRUE + false", "(+ (+ null true) false)", "NULL + TRUE + FALSE" },
	{ "1e3 + .5 + 2. + 0.50", "(+ (+ (+ (float 1e3) (dec .5)) (dec 2.)) (dec 0.50))", "1e3 + .5 + 2. + 0.50" },
	/* 0x.. and X'..' are not the same to MariaDB: the form is kept */
	{ "X'0a' + 0xF + b'1' + 0b10",
	  "(+ (+ (+ (hex '0A') (hex '0F' prefixed)) (bit '1')) (bit '10' prefixed))",
	  "X'0A' + 0x0F + b'1' + 0b10" },
	{ "_latin1 X'41' = _utf8mb4'a' COLLATE utf8mb4_bin",
	  "(= (hex '41' _latin1) (collate utf8mb4_bin (str 'a' _utf8mb4)))",
	  "_latin1 X'41' = _utf8mb4'a' COLLATE utf8mb4_bin" },
	{ "N'a' 'b' = 'c' \"d\"", "(= (str 'ab' national) (str 'cd'))", "N'ab' = 'cd'" },
	{ "DATE '2020-01-01' < TIMESTAMP '2020-01-01 10:00:00'",
	  "(< (date '2020-01-01') (timestamp '2020-01-01 10:00:00'))",
	  "DATE '2020-01-01' < TIMESTAMP '2020-01-01 10:00:00'" },
	{ "ROW(1, 2) = (a, b)", "(= (row (int 1) (int 2)) (row (col `a`) (col `b`)))", "(1, 2) = (`a`, `b`)" },
	{ "'it''s' = \"say \\\"x\\\"\"", "(= (str 'it\\'s') (str 'say \"x\"'))", "'it''s' = 'say \"x\"'" },
	{ "'\\n\\0\\Z\\\\'", "(str '\\x0a\\x00\\x1a\\\\')", "'\\n\\0\\Z\\\\'" },
};

static void test_expr__precedence_dump_and_restore(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dm_sql_stmt *st = NULL, *again = NULL;
		dm_buf b = DM_BUF_INIT;
		dm_error *err = NULL;
		dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
		int rc;

		/* dumps fold names: compare with folding off via equal() below */
		rc = dm_sql_parse_expr(&st, cases[i].in, strlen(cases[i].in), &po, &err);
		if (rc)
			print_error("%s: %s\n", cases[i].in, dm_error_message(err));
		assert_int_equal(rc, 0);
		assert_int_equal(dm_sql_restore(&b, st, NULL, NULL), 0);
		if (strcmp(b.data, cases[i].restored))
			print_error("input:    %s\nexpected: %s\ngot:      %s\n",
				    cases[i].in, cases[i].restored, b.data);
		assert_string_equal(b.data, cases[i].restored);
		rc = dm_sql_parse_expr(&again, b.data, b.len, &po, &err);
		assert_int_equal(rc, 0);
		assert_true(dm_sql_stmt_equal(st, again));
		dm_buf_free(&b);
		dm_sql_stmt_free(st);
		dm_sql_stmt_free(again);
	}
}

/* The dump keeps the case of names; these compare against it. */
static void test_expr__tree_shape(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dm_sql_stmt *st = NULL;
		dm_buf d = DM_BUF_INIT, want = DM_BUF_INIT;
		const char *p;
		size_t k;

		assert_int_equal(dm_sql_parse_expr(&st, cases[i].in, strlen(cases[i].in),
						   NULL, NULL), 0);
		assert_int_equal(dm_sql_stmt_dump(&d, st), 0);
		p = strstr(d.data, "\n  ") + 3;
		/* compare case-insensitively outside quotes: the dump keeps
		 * the spelling of keywords and function names */
		assert_int_equal(strlen(p), strlen(cases[i].dump) + 1);
		for (k = 0; cases[i].dump[k]; k++) {
			char a = p[k], e = cases[i].dump[k];

			if (a >= 'A' && a <= 'Z')
				a = (char)(a + 32);
			if (e >= 'A' && e <= 'Z')
				e = (char)(e + 32);
			if (a != e) {
				print_error("input: %s\nexpected: %s\ngot:      %s", cases[i].in,
					    cases[i].dump, p);
				fail();
			}
		}
		dm_buf_free(&d);
		dm_buf_free(&want);
		dm_sql_stmt_free(st);
	}
}

static void test_expr__sql_modes(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;

	(void)state;
	po.sql_mode = DM_SQL_MODE_PIPES_AS_CONCAT;
	sqlt_expr_dump_eq("a || b || c", &po,
			  "(call CONCAT (call CONCAT (col `a`) (col `b`)) (col `c`))");
	/* || binds tighter than * under PIPES_AS_CONCAT */
	sqlt_expr_dump_eq("a || b * c", &po, "(* (call CONCAT (col `a`) (col `b`)) (col `c`))");
	po.sql_mode = DM_SQL_MODE_HIGH_NOT_PRECEDENCE;
	sqlt_expr_dump_eq("NOT a BETWEEN b AND c", &po,
			  "(between (not (col `a`)) (col `b`) (col `c`))");
	sqlt_expr_dump_eq("NOT a = b", &po, "(= (not (col `a`)) (col `b`))");
	po.sql_mode = DM_SQL_MODE_ANSI_QUOTES;
	sqlt_expr_dump_eq("\"a\" = 'b'", &po, "(= (col `a`) (str 'b'))");
	po.sql_mode = 0;
	sqlt_expr_dump_eq("\"a\" = 'b'", &po, "(= (str 'a') (str 'b'))");
	po.sql_mode = DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
	sqlt_expr_dump_eq("'a\\n'", &po, "(str 'a\\\\n')");
	po.sql_mode = DM_SQL_MODE_IGNORE_SPACE;
	sqlt_expr_dump_eq("count (a)", &po, "(call COUNT (col `a`))");
}

static void test_expr__public_tree_fields(void **state)
{
	dm_sql_stmt *st = NULL;
	const dm_sql_expr *e, *l, *r;

	(void)state;
	assert_int_equal(dm_sql_parse_expr(&st, "t.a + 1 > 2.5", 13, NULL, NULL), 0);
	e = dm_sql_stmt_expr(st);
	assert_int_equal(e->kind, DM_SQL_EXPR_BINARY);
	assert_int_equal(e->op, DM_SQL_OP_GT);
	assert_int_equal(e->nargs, 2);
	l = e->args[0];
	r = e->args[1];
	assert_int_equal(l->op, DM_SQL_OP_ADD);
	assert_int_equal(l->args[0]->kind, DM_SQL_EXPR_COLUMN);
	assert_string_equal(l->args[0]->value.ptr, "a");
	assert_string_equal(l->args[0]->table, "t");
	assert_null(l->args[0]->schema);
	assert_int_equal(l->args[1]->kind, DM_SQL_EXPR_INT);
	assert_string_equal(l->args[1]->value.ptr, "1");
	assert_int_equal(r->kind, DM_SQL_EXPR_DECIMAL);
	assert_string_equal(r->value.ptr, "2.5");
	dm_sql_stmt_free(st);
	assert_int_equal(dm_sql_parse_expr(&st, "_binary'a\\0b'", 13, NULL, NULL), 0);
	e = dm_sql_stmt_expr(st);
	assert_int_equal(e->kind, DM_SQL_EXPR_STRING);
	assert_int_equal(e->value.len, 3);
	assert_memory_equal(e->value.ptr, "a\0b", 3);
	assert_string_equal(e->charset, "binary");
	dm_sql_stmt_free(st);
}

static void test_expr__restore_renames_column_qualifiers(void **state)
{
	dm_sql_stmt *st = NULL;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_sql_parse_expr(&st, "s.t.a + t.b + c", 15, NULL, NULL), 0);
	assert_int_equal(dm_sql_expr_restore(&b, dm_sql_stmt_expr(st), NULL, NULL), 0);
	assert_string_equal(b.data, "`s`.`t`.`a` + `t`.`b` + `c`");
	dm_buf_free(&b);
	dm_sql_stmt_free(st);
}

int sql_test_expr_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expr__precedence_dump_and_restore),
		cmocka_unit_test(test_expr__tree_shape),
		cmocka_unit_test(test_expr__sql_modes),
		cmocka_unit_test(test_expr__public_tree_fields),
		cmocka_unit_test(test_expr__restore_renames_column_qualifiers),
	};

	return cmocka_run_group_tests_name("sql_expr", tests, NULL, NULL);
}
