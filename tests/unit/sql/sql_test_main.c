/* SPDX-License-Identifier: Apache-2.0 */
#include "sql_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

bool sqlt_quick(void)
{
	const char *q = getenv("DM_TEST_QUICK");
	const char *pre = getenv("LD_PRELOAD");

	if (q && *q && strcmp(q, "0") != 0)
		return true;
	return pre && strstr(pre, "vgpreload") != NULL;
}

int sqlt_reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

dm_sql_stmt *sqlt_parse(const char *sql, const dm_sql_parse_opts *opts)
{
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;
	int rc = dm_sql_parse(&st, sql, strlen(sql), opts, &err);

	if (rc)
		print_error("parse failed: %s\n  input: %s\n", dm_error_message(err), sql);
	dm_error_free(err);
	assert_int_equal(rc, 0);
	assert_non_null(st);
	return st;
}

char *sqlt_restore(const dm_sql_stmt *st, const dm_sql_restore_opts *ro)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *err = NULL;
	int rc = dm_sql_restore(&b, st, ro, &err);

	if (rc)
		print_error("restore failed: %s\n", dm_error_message(err));
	dm_error_free(err);
	assert_int_equal(rc, 0);
	return dm_buf_detach(&b);
}

static dm_sql_stmt *parse_n(const char *sql, size_t len,
			    const dm_sql_parse_opts *opts)
{
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;
	int rc = dm_sql_parse(&st, sql, len, opts, &err);

	if (rc)
		print_error("parse failed: %s\n  input: %s\n", dm_error_message(err), sql);
	dm_error_free(err);
	assert_int_equal(rc, 0);
	return st;
}

static void roundtrip_one(const dm_sql_stmt *st, const dm_sql_parse_opts *opts,
			  unsigned flags)
{
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_buf b = DM_BUF_INIT, b2 = DM_BUF_INIT;
	dm_sql_stmt *again;
	char *text, *text2;

	ro.flags = flags;
	po.default_db = opts ? opts->default_db : NULL;
	if (flags & DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES)
		po.sql_mode = DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
	/* NUL bytes stay raw in NO_BACKSLASH_ESCAPES output: use lengths */
	assert_int_equal(dm_sql_restore(&b, st, &ro, NULL), 0);
	text = b.data;
	again = parse_n(text, b.len, &po);
	if (!dm_sql_stmt_equal(st, again)) {
		dm_buf da = DM_BUF_INIT, db = DM_BUF_INIT;

		dm_sql_stmt_dump(&da, st);
		dm_sql_stmt_dump(&db, again);
		print_error("round trip changed the tree\n  restored: %s\n"
			    "  before:\n%s  after:\n%s", text, da.data, db.data);
		dm_buf_free(&da);
		dm_buf_free(&db);
		fail();
	}
	assert_int_equal(dm_sql_restore(&b2, again, &ro, NULL), 0);
	text2 = b2.data;
	if (b.len != b2.len || memcmp(text, text2, b.len))
		print_error("restore not idempotent:\n  %s\n  %s\n", text, text2);
	assert_int_equal(b.len, b2.len);
	assert_memory_equal(text, text2, b.len);
	dm_buf_free(&b);
	dm_buf_free(&b2);
	dm_sql_stmt_free(again);
}

void sqlt_roundtrip(const char *sql, const dm_sql_parse_opts *opts)
{
	dm_sql_stmt *st = sqlt_parse(sql, opts);

	roundtrip_one(st, opts, 0);
	roundtrip_one(st, opts, DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES);
	dm_sql_stmt_free(st);
}

void sqlt_restore_eq_opts(const char *sql, const dm_sql_parse_opts *opts,
			  const char *expected)
{
	dm_sql_stmt *st = sqlt_parse(sql, opts);
	char *text = sqlt_restore(st, NULL);

	if (strcmp(text, expected))
		print_error("input:    %s\nexpected: %s\ngot:      %s\n", sql,
			    expected, text);
	assert_string_equal(text, expected);
	free(text);
	roundtrip_one(st, opts, 0);
	roundtrip_one(st, opts, DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES);
	dm_sql_stmt_free(st);
}

void sqlt_restore_eq(const char *sql, const char *expected)
{
	sqlt_restore_eq_opts(sql, NULL, expected);
}

void sqlt_error(const char *sql, const char *msg)
{
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;
	int rc = dm_sql_parse(&st, sql, strlen(sql), NULL, &err);

	if (rc != DM_E_PARSE_SQL || !err ||
	    !strstr(dm_error_message(err), msg))
		print_error("input: %s\nexpected error containing: %s\ngot rc %d: %s\n",
			    sql, msg, rc, err ? dm_error_message(err) : "(none)");
	assert_int_equal(rc, DM_E_PARSE_SQL);
	assert_null(st);
	assert_non_null(err);
	assert_non_null(strstr(dm_error_message(err), msg));
	assert_int_equal(dm_error_code(err), 11006);
	dm_error_free(err);
}

void sqlt_expr_dump_eq(const char *expr, const dm_sql_parse_opts *opts,
		       const char *expected)
{
	dm_sql_stmt *st = NULL;
	dm_error *err = NULL;
	dm_buf d = DM_BUF_INIT;
	const char *line;
	size_t n;
	int rc = dm_sql_parse_expr(&st, expr, strlen(expr), opts, &err);

	if (rc)
		print_error("parse failed: %s\n  input: %s\n", dm_error_message(err), expr);
	dm_error_free(err);
	assert_int_equal(rc, 0);
	assert_int_equal(dm_sql_stmt_kind(st), DM_SQL_EXPRESSION);
	assert_int_equal(dm_sql_stmt_dump(&d, st), 0);
	/* "expression\n  (...)\n" */
	line = strstr(d.data, "\n  ");
	assert_non_null(line);
	line += 3;
	n = strlen(line);
	assert_true(n > 0 && line[n - 1] == '\n');
	if (strncmp(line, expected, n - 1) || strlen(expected) != n - 1)
		print_error("input:    %s\nexpected: %s\ngot:      %.*s\n", expr,
			    expected, (int)(n - 1), line);
	assert_int_equal(strlen(expected), n - 1);
	assert_memory_equal(line, expected, n - 1);
	dm_buf_free(&d);
	dm_sql_stmt_free(st);
}

int main(void)
{
	int failed = 0;

	if (sqlt_quick())
		fprintf(stderr, "unit-sql: quick mode, counts scaled down\n");
	failed += sql_test_lex_group();
	failed += sql_test_create_group();
	failed += sql_test_alter_group();
	failed += sql_test_expr_group();
	failed += sql_test_errors_group();
	failed += sql_test_other_group();
	failed += sql_test_rename_group();
	failed += sql_test_tree_group();
	failed += sql_test_corpus_group();
	return failed ? 1 : 0;
}
