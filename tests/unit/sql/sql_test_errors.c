/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text that does not parse: DM_E_PARSE_SQL with line, column and the text
 * near the error, like MySQL's "near '...' at line N". Never a crash.
 */
#include "sql_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct error_case {
	const char *sql;
	const char *msg;
};

static const struct error_case cases[] = {
	{ "", "line 1 column 1 near '': empty statement" },
	{ "  -- only a comment\n", "empty statement" },
	{ ";", "empty statement" },
	{ "CREATE TABLE t (a INT", "line 1 column 22 near '': expected ',' or ')'" },
	{ "CREATE TABLE t (a FOO BAR)", "line 1 column 19 near 'FOO BAR)': expected a data type" },
	{ "CREATE TABLE t (a INT,\n  b VARCHAR(x))", "line 2 column 13 near 'x))': expected a number" },
	{ "CREATE TABLE t (a INT) ENGINE=", "line 1 column 31 near '': expected a value" },
	{ "CREATE TABLE t", "expected '('" },
	{ "CREATE TABLE (a INT)", "line 1 column 14 near '(a INT)': expected a table name" },
	{ "CREATE TABLE select (a INT)", "column 14 near 'select (a INT)': expected a table name" },
	{ "CREATE TABLE t (key INT)", "column 21 near 'INT)': expected '('" },
	{ "CREATE TABLE t (a INT DEFAULT)", "column 30 near ')': expected an expression" },
	{ "CREATE TABLE t (a INT CHECK (a >))", "column 33 near '))': expected an expression" },
	{ "CREATE TABLE t (a INT AS (a + ) STORED)", "expected an expression" },
	{ "CREATE TABLE t (a INT, PRIMARY KEY)", "expected '('" },
	{ "CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES)", "expected a table name" },
	{ "CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES u (b) ON DELETE NOTHING)",
	  "expected RESTRICT, CASCADE, SET NULL, SET DEFAULT or NO ACTION" },
	{ "CREATE TABLE t (a ENUM())", "expected a string" },
	{ "CREATE TABLE t (a INT(99999999999999999999))", "number out of range" },
	{ "CREATE TABLE t (a INT) PARTITION BY HASH (a", "expected ')'" },
	{ "CREATE TABLE t (a INT) PARTITION BY HASH (a))", "unbalanced ')'" },
	{ "CREATE TABLE t (a INT); DROP TABLE t", "column 23 near '; DROP TABLE t': unexpected text after the statement" },
	{ "CREATE TABLE t (a INT);;", "unexpected text after the statement" },
	{ "ALTER TABLE t ADD", "expected a column name" },
	{ "ALTER TABLE t DROP", "expected a column name" },
	{ "ALTER TABLE t RENAME COLUMN a b", "near 'b': unexpected token" },
	{ "ALTER TABLE t ALTER COLUMN a SET", "expected DEFAULT, VISIBLE or INVISIBLE" },
	{ "ALTER TABLE t ALTER INDEX i", "expected VISIBLE, INVISIBLE, IGNORED or NOT IGNORED" },
	{ "ALTER TABLE t ADD COLUMN a INT AFTER", "expected a column name" },
	{ "ALTER TABLE t CONVERT TO utf8", "expected CHARACTER SET" },
	{ "ALTER TABLE t ADD COLUMN a INT,", "column 32 near '': expected an alter specification" },
	{ "ALTER TABLE t ENGINE=InnoDB foo", "expected '='" },
	{ "CREATE TABLE t (a INT) AUTO_INCREMENT=abc", "near 'abc': expected a number" },
	{ "CREATE TABLE t (a INT) PACK_KEYS=yes", "expected a number" },
	{ "CREATE TABLE t (a INT) PARTITION BY", "near '': expected HASH, KEY, RANGE, LIST or SYSTEM_TIME" },
	{ "CREATE TABLE t (a INT) PARTITION BY HASH", "near '': expected '('" },
	{ "CREATE TABLE t (a INT) PARTITION BY KEY ALGORITHM=x (a)", "expected a number" },
	{ "ALTER TABLE t PARTITION BY LIST a", "expected '('" },
	{ "CREATE UNIQUE TABLE t (a INT)", "column 8 near 'UNIQUE TABLE t (a INT)': unknown statement" },
	{ "CREATE TEMPORARY DATABASE d", "expected TABLE or SEQUENCE" },
	{ "DROP TEMPORARY t", "expected TABLE or SEQUENCE" },
	{ "DROP TEMPORARY VIEW v", "expected TABLE or SEQUENCE" },
	{ "ALTER FROB x", "unknown statement" },
	{ "RENAME TABLE a b", "near 'b': unexpected token" },
	{ "RENAME TABLE a TO", "expected a table name" },
	{ "DROP TABLE", "expected a table name" },
	{ "DROP TABLE a,", "expected a table name" },
	{ "TRUNCATE TABLE", "expected a table name" },
	{ "CREATE INDEX ON t (a)", "expected an index name" },
	{ "CREATE INDEX i ON t", "expected '('" },
	{ "DROP INDEX i", "unexpected token" },
	{ "CREATE DATABASE", "expected a database name" },
	{ "ALTER DATABASE d", "expected a database option" },
	{ "CREATE DATABASE d CHARACTER SET", "expected a value" },
	{ "FROBNICATE the table", "line 1 column 1 near 'FROBNICATE the table': unknown statement" },
	{ "INSERT INTO", "expected a table name" },
	{ "LOAD DATA INFILE 'x'", "expected INTO TABLE" },
	{ "CREATE TABLE t (a VARCHAR(10) DEFAULT 'abc)", "column 39 near ''abc)': unterminated string" },
	{ "CREATE TABLE `t (a INT)", "unterminated quoted name" },
	{ "CREATE TABLE t (a INT) /* comment", "column 24 near '/* comment': unterminated comment" },
	{ "CREATE TABLE t (a INT) /*!50100 ENGINE=InnoDB", "unterminated comment" },
	{ "CREATE TABLE t (a INT DEFAULT X'1')", "bad hexadecimal literal" },
	{ "CREATE TABLE t (a BIT DEFAULT b'12')", "bad bit literal" },
	{ "CREATE TABLE t (a INT) [x]", "unexpected character" },
	{ "CREATE TABLE t (a INT CHECK (a IN (SELECT 1)))", "subqueries are not supported" },
	{ "CREATE TABLE t (a INT CHECK (EXISTS (SELECT 1)))", "subqueries are not supported" },
	{ "CREATE TABLE t (a INT CHECK (a > ANY (SELECT 1)))", "subqueries are not supported" },
	{ "CREATE TABLE t (a INT CHECK (COUNT(*) > 0))", "aggregate functions are not supported" },
	{ "CREATE TABLE t (a INT CHECK (a = ?))", "parameters are not supported" },
	{ "CREATE TABLE t (a INT CHECK (a IS 5))", "expected NULL, TRUE, FALSE or UNKNOWN" },
	{ "CREATE TABLE t (a INT CHECK (CASE END))", "near '))': expected WHEN" },
	{ "CREATE TABLE t (a INT CHECK (CASE a END))", "expected WHEN" },
	{ "CREATE TABLE t (a INT AS (a + INTERVAL 1 FORTNIGHT))", "expected an interval unit" },
	{ "CREATE TABLE t (a INT AS (CAST(a AS BANANA)))", "expected a data type" },
	{ "CREATE TABLE t (a INT AS (a->5))", "expected a JSON path string" },
	{ "CREATE TABLE t (\xc3\xa9\xc3\xa9 INT, b FOO)", "line 1 column 27 near 'FOO)'" },
	{ "CREATE TABLE t (a INT)\n\n  ) garbage", "line 3 column 3 near ') garbage': unexpected text" },
	{ "CREATE TABLE t (a INT)\n\n  garbage", "line 3 column 10 near '': expected '='" },
	{ "SELECT 1 /* x", "unterminated comment" },
	{ ";;", "empty statement" },
	{ "SELECT 1;;", "column 9 near ';;': unexpected text after the statement" },
	{ "CREATE TABLE t (a INT) PARTITION BY HASH (a);;", "unexpected text after the statement" },
	{ "ALTER TABLE t ORDER BY a; b", "near '; b': unexpected text after the statement" },
	{ "CREATE TABLE t AS SELECT 1; SELECT 2", "unexpected text after the statement" },
	{ "CREATE TABLE t (a INT AS (SUBSTRING(a,)))", "near ')))': expected an expression" },
	{ "CREATE TABLE t (a INT AS (ROW()))", "expected an expression" },
};

static void test_errors__are_positioned(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		sqlt_error(cases[i].sql, cases[i].msg);
}

static void test_errors__near_text_is_at_most_40_bytes(void **state)
{
	const char *sql = "DROP TABLE t 0123456789012345678901234567890123456789EXTRA";
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_sql_parse(&st, sql, strlen(sql), NULL, &err), DM_E_PARSE_SQL);
	assert_non_null(strstr(dm_error_message(err),
			       "near '0123456789012345678901234567890123456789'"));
	dm_error_free(err);
}

static void test_errors__nul_bytes_and_bad_arguments(void **state)
{
	static const char with_nul[] = "CREATE TABLE t (a INT)\0 trailing";
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;

	(void)state;
	/* a NUL byte inside the given length is not SQL */
	assert_int_equal(dm_sql_parse(&st, with_nul, sizeof(with_nul) - 1, NULL, &err),
			 DM_E_PARSE_SQL);
	dm_error_free(err);
	err = NULL;
	/* only the given length counts */
	assert_int_equal(dm_sql_parse(&st, with_nul, 22, NULL, NULL), 0);
	dm_sql_stmt_free(st);
	assert_int_equal(dm_sql_parse(NULL, "x", 1, NULL, &err), DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	assert_int_equal(dm_sql_parse(&st, NULL, 3, NULL, NULL), DM_E_INVALID_ARGUMENT);
	assert_null(st);
	{
		dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;

		po.version = 0;
		assert_int_equal(dm_sql_parse(&st, "BEGIN", 5, &po, NULL),
				 DM_E_INVALID_ARGUMENT);
	}
	/* NUL inside a quoted name */
	assert_int_equal(dm_sql_parse(&st, "DROP TABLE `a\0b`", 16, NULL, NULL),
			 DM_E_PARSE_SQL);
}

static void test_errors__deep_nesting_is_an_error_not_a_crash(void **state)
{
	size_t depth = 100000, i;
	char *sql = malloc(depth * 2 + 64);
	size_t n = 0;
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;

	(void)state;
	assert_non_null(sql);
	n += (size_t)snprintf(sql, 64, "CREATE TABLE t (a INT CHECK (");
	for (i = 0; i < depth; i++)
		sql[n++] = '(';
	sql[n++] = '1';
	for (i = 0; i < depth; i++)
		sql[n++] = ')';
	memcpy(sql + n, "))", 2);
	n += 2;
	assert_int_equal(dm_sql_parse(&st, sql, n, NULL, &err), DM_E_PARSE_SQL);
	assert_non_null(strstr(dm_error_message(err), "expression nested too deeply"));
	dm_error_free(err);
	err = NULL;
	/* unary operators and NOT nest too */
	n = 0;
	for (i = 0; i < depth; i++)
		sql[n++] = '-';
	sql[n++] = '1';
	assert_int_equal(dm_sql_parse_expr(&st, sql, n, NULL, &err), DM_E_PARSE_SQL);
	assert_non_null(strstr(dm_error_message(err), "nested too deeply"));
	dm_error_free(err);
	err = NULL;
	n = 0;
	for (i = 0; i < 5000; i++) {
		memcpy(sql + n, "NOT ", 4);
		n += 4;
	}
	sql[n++] = 'a';
	assert_int_equal(dm_sql_parse_expr(&st, sql, n, NULL, &err), DM_E_PARSE_SQL);
	dm_error_free(err);
	err = NULL;
	/* 150 levels are fine */
	n = 0;
	for (i = 0; i < 150; i++)
		sql[n++] = '(';
	sql[n++] = '1';
	for (i = 0; i < 150; i++)
		sql[n++] = ')';
	assert_int_equal(dm_sql_parse_expr(&st, sql, n, NULL, &err), 0);
	dm_sql_stmt_free(st);
	free(sql);
}

static void test_errors__expression_errors(void **state)
{
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_sql_parse_expr(&st, "", 0, NULL, &err), DM_E_PARSE_SQL);
	assert_non_null(strstr(dm_error_message(err), "empty expression"));
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_sql_parse_expr(&st, "a b", 3, NULL, &err), DM_E_PARSE_SQL);
	assert_non_null(strstr(dm_error_message(err),
			       "line 1 column 3 near 'b': unexpected text after the expression"));
	dm_error_free(err);
}

int sql_test_errors_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors__are_positioned),
		cmocka_unit_test(test_errors__near_text_is_at_most_40_bytes),
		cmocka_unit_test(test_errors__nul_bytes_and_bad_arguments),
		cmocka_unit_test(test_errors__deep_nesting_is_an_error_not_a_crash),
		cmocka_unit_test(test_errors__expression_errors),
	};

	return cmocka_run_group_tests_name("sql_errors", tests, NULL, NULL);
}
