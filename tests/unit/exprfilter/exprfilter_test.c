/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of dm_expr_filter: DM's documented example, the combination
 * rules (OR over rules, UPDATE old AND new with a missing side true), NULL
 * results, table matching, columns the table lacks, bad grammar with the
 * rule's position, and what the evaluator cannot run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dm/dm.h>

#include "util/alloc.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A rule definition with every string set ("" when unused). */
static dm_cfg_expr_filter def(const char *name, const char *schema,
			      const char *table, const char *ins,
			      const char *upd_old, const char *upd_new,
			      const char *del)
{
	dm_cfg_expr_filter d;

	memset(&d, 0, sizeof(d));
	d.name = name;
	d.schema = schema;
	d.table = table;
	d.insert_value_expr = ins ? ins : "";
	d.update_old_value_expr = upd_old ? upd_old : "";
	d.update_new_value_expr = upd_new ? upd_new : "";
	d.delete_value_expr = del ? del : "";
	return d;
}

static dm_expr_filter *compile(const dm_cfg_expr_filter *defs, size_t n)
{
	const dm_cfg_expr_filter *ptrs[8];
	dm_expr_filter *f = NULL;
	dm_error *err = NULL;
	size_t i;
	int rc;

	assert_true(n <= NELEM(ptrs));
	for (i = 0; i < n; i++)
		ptrs[i] = &defs[i];
	rc = dm_expr_filter_new(&f, ptrs, n, NULL, &err);
	if (rc) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
		print_error("compile: %s\n", b.data);
		dm_buf_free(&b);
	}
	assert_int_equal(rc, 0);
	assert_non_null(f);
	dm_error_free(err);
	return f;
}

/* Table expr_filter.tbl (id INT, c INT, name VARCHAR(20)). */
static const dm_sql_data_type t_int = { "INT", -1, -1, false, false, false,
					NULL, NULL, NULL, 0 };
static const dm_sql_data_type t_varchar = { "VARCHAR", 20, -1, false, false,
					    false, NULL, NULL, NULL, 0 };
static const dm_expr_filter_column tbl_cols[] = {
	{ "id", &t_int },
	{ "c", &t_int },
	{ "name", &t_varchar },
};
static const dm_expr_filter_table tbl = { tbl_cols, NELEM(tbl_cols), NULL };

typedef struct row3 {
	dm_value v[3];
} row3;

static dm_value v_int(int64_t i)
{
	dm_value v;

	memset(&v, 0, sizeof(v));
	v.kind = DM_VALUE_INT;
	v.type = DM_TYPE_LONG;
	v.v.i = i;
	return v;
}

static dm_value v_null(void)
{
	dm_value v;

	memset(&v, 0, sizeof(v));
	v.kind = DM_VALUE_NULL;
	return v;
}

static dm_value v_str(const char *s)
{
	dm_value v;

	memset(&v, 0, sizeof(v));
	v.kind = DM_VALUE_STRING;
	v.type = DM_TYPE_VARCHAR;
	v.charset = 45; /* utf8mb4_general_ci */
	v.v.str.ptr = s;
	v.v.str.len = strlen(s);
	return v;
}

static row3 row(int64_t id, int64_t c, const char *name)
{
	row3 r;

	r.v[0] = v_int(id);
	r.v[1] = v_int(c);
	r.v[2] = name ? v_str(name) : v_null();
	return r;
}

static bool skip_on(const dm_expr_filter *f, const char *schema,
		    const char *table, dm_filter_event ev, const row3 *before,
		    const row3 *after)
{
	dm_buf scratch = DM_BUF_INIT;
	dm_error *err = NULL;
	bool skip = true;
	int rc;

	rc = dm_expr_filter_skip(&skip, f, schema, table, &tbl, ev,
				 before ? before->v : NULL,
				 after ? after->v : NULL, &scratch, &err);
	if (rc) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
		print_error("skip: %s\n", b.data);
		dm_buf_free(&b);
	}
	assert_int_equal(rc, 0);
	dm_buf_free(&scratch);
	return skip;
}

static bool skip_ins(const dm_expr_filter *f, row3 r)
{
	return skip_on(f, "expr_filter", "tbl", DM_FILTER_EVENT_INSERT, NULL,
		       &r);
}

static bool skip_del(const dm_expr_filter *f, row3 r)
{
	return skip_on(f, "expr_filter", "tbl", DM_FILTER_EVENT_DELETE, &r,
		       NULL);
}

static bool skip_upd(const dm_expr_filter *f, row3 before, row3 after)
{
	return skip_on(f, "expr_filter", "tbl", DM_FILTER_EVENT_UPDATE,
		       &before, &after);
}

/* The error code of a failed dm_expr_filter_new, its message in `msg`. */
static int compile_fails(const dm_cfg_expr_filter *d, dm_cfg_pos pos,
			 const char *file, dm_buf *msg)
{
	dm_cfg_expr_filter copy = *d;
	const dm_cfg_expr_filter *p = &copy;
	dm_expr_filter_opts o = DM_EXPR_FILTER_OPTS_INIT;
	dm_expr_filter *f = NULL;
	dm_error *err = NULL;
	int rc, code;

	copy.pos = pos;
	o.file = file;
	rc = dm_expr_filter_new(&f, &p, 1, &o, &err);
	assert_true(rc < 0);
	assert_null(f);
	assert_non_null(err);
	assert_int_equal(dm_error_status(err), rc);
	code = dm_error_code(err);
	dm_error_format(msg, err, 0);
	dm_error_free(err);
	return code;
}

/* ------------------------------------------------------------- tests */

/* DM's documentation: even_c on expr_filter.tbl with
 * insert-value-expr "c % 2 = 0"; INSERT (1,1),(2,2),(3,3),(4,4) leaves
 * rows 1 and 3 downstream. */
static void test_exprfilter__doc_example_even_c_skips_even_inserts(void **st)
{
	dm_cfg_expr_filter d = def("even_c", "expr_filter", "tbl",
				   "c % 2 = 0", NULL, NULL, NULL);
	dm_expr_filter *f = compile(&d, 1);

	(void)st;
	assert_false(skip_ins(f, row(1, 1, "a")));
	assert_true(skip_ins(f, row(2, 2, "b")));
	assert_false(skip_ins(f, row(3, 3, "c")));
	assert_true(skip_ins(f, row(4, 4, "d")));
	/* an insert rule says nothing about updates and deletes */
	assert_false(skip_del(f, row(2, 2, "b")));
	assert_false(skip_upd(f, row(2, 2, "b"), row(2, 4, "b")));
	assert_true(dm_expr_filter_has_table(f, "expr_filter", "tbl"));
	assert_false(dm_expr_filter_has_table(f, "expr_filter", "tbl2"));
	dm_expr_filter_free(f);
}

static void test_exprfilter__rules_on_one_table_are_ored(void **st)
{
	dm_cfg_expr_filter d[] = {
		def("even_c", "expr_filter", "tbl", "c % 2 = 0", NULL, NULL,
		    NULL),
		def("big_id", "expr_filter", "tbl", "id > 100", NULL, NULL,
		    NULL),
		def("del_test", "expr_filter", "tbl", NULL, NULL, NULL,
		    "name LIKE 'test%'"),
		def("del_big", "expr_filter", "tbl", NULL, NULL, NULL,
		    "c > 10"),
	};
	dm_expr_filter *f = compile(d, NELEM(d));

	(void)st;
	assert_false(skip_ins(f, row(1, 1, "x")));
	assert_true(skip_ins(f, row(1, 2, "x")));
	assert_true(skip_ins(f, row(101, 1, "x")));
	assert_true(skip_ins(f, row(101, 2, "x")));
	assert_false(skip_del(f, row(1, 1, "x")));
	assert_true(skip_del(f, row(1, 1, "testing")));
	assert_true(skip_del(f, row(1, 11, "x")));
	assert_false(skip_del(f, row(1, 10, "atest")));
	dm_expr_filter_free(f);
}

static void test_exprfilter__update_needs_old_and_new(void **st)
{
	dm_cfg_expr_filter d = def("upd", "expr_filter", "tbl", NULL,
				   "c = 1", "c = 2", NULL);
	dm_expr_filter *f = compile(&d, 1);

	(void)st;
	assert_true(skip_upd(f, row(1, 1, "a"), row(1, 2, "a")));
	assert_false(skip_upd(f, row(1, 1, "a"), row(1, 3, "a")));
	assert_false(skip_upd(f, row(1, 3, "a"), row(1, 2, "a")));
	assert_false(skip_upd(f, row(1, 2, "a"), row(1, 1, "a")));
	dm_expr_filter_free(f);
}

static void test_exprfilter__update_missing_side_counts_as_true(void **st)
{
	dm_cfg_expr_filter only_old = def("o", "expr_filter", "tbl", NULL,
					  "c > 5", NULL, NULL);
	dm_cfg_expr_filter only_new = def("n", "expr_filter", "tbl", NULL,
					  NULL, "name = 'gone'", NULL);
	dm_expr_filter *f = compile(&only_old, 1);

	(void)st;
	assert_true(skip_upd(f, row(1, 6, "a"), row(1, 0, "a")));
	assert_false(skip_upd(f, row(1, 5, "a"), row(1, 9, "a")));
	dm_expr_filter_free(f);

	f = compile(&only_new, 1);
	assert_true(skip_upd(f, row(1, 1, "a"), row(1, 1, "gone")));
	assert_true(skip_upd(f, row(1, 1, "a"), row(1, 1, "GONE")));
	assert_false(skip_upd(f, row(1, 1, "gone"), row(1, 1, "kept")));
	dm_expr_filter_free(f);
}

/* Pairs stay together: rule A's old side and rule B's new side holding
 * does not skip. */
static void test_exprfilter__update_rules_pair_within_a_rule(void **st)
{
	dm_cfg_expr_filter d[] = {
		def("a", "expr_filter", "tbl", NULL, "c = 1", "c = 2", NULL),
		def("b", "expr_filter", "tbl", NULL, "c = 3", "c = 4", NULL),
	};
	dm_expr_filter *f = compile(d, NELEM(d));

	(void)st;
	assert_true(skip_upd(f, row(1, 1, "a"), row(1, 2, "a")));
	assert_true(skip_upd(f, row(1, 3, "a"), row(1, 4, "a")));
	assert_false(skip_upd(f, row(1, 1, "a"), row(1, 4, "a")));
	assert_false(skip_upd(f, row(1, 3, "a"), row(1, 2, "a")));
	dm_expr_filter_free(f);
}

static void test_exprfilter__null_result_keeps_the_row(void **st)
{
	dm_cfg_expr_filter d[] = {
		def("n1", "expr_filter", "tbl", "name = 'x'", NULL, NULL,
		    NULL),
		def("n2", "expr_filter", "tbl", NULL, NULL, NULL,
		    "name LIKE 'a%' OR NULL"),
		def("n3", "expr_filter", "tbl", NULL, "name <> 'y'", NULL,
		    NULL),
	};
	dm_expr_filter *f = compile(d, NELEM(d));

	(void)st;
	assert_false(skip_ins(f, row(1, 1, NULL)));
	assert_true(skip_ins(f, row(1, 1, "x")));
	assert_false(skip_del(f, row(1, 1, "b")));  /* FALSE OR NULL */
	assert_true(skip_del(f, row(1, 1, "ab")));  /* TRUE OR NULL */
	assert_false(skip_upd(f, row(1, 1, NULL), row(1, 1, "z")));
	assert_true(skip_upd(f, row(1, 1, "z"), row(1, 1, NULL)));
	dm_expr_filter_free(f);
}

/* DM tests for the integer 1: IS NULL yields 1, a bare column holding 2
 * does not. */
static void test_exprfilter__only_integer_one_skips(void **st)
{
	dm_cfg_expr_filter d[] = {
		def("isnull", "expr_filter", "tbl", "name IS NULL", NULL, NULL,
		    NULL),
		def("bare", "expr_filter", "tbl", NULL, NULL, NULL, "c"),
	};
	dm_expr_filter *f = compile(d, NELEM(d));

	(void)st;
	assert_true(skip_ins(f, row(1, 1, NULL)));
	assert_false(skip_ins(f, row(1, 1, "n")));
	assert_true(skip_del(f, row(1, 1, "n")));
	assert_false(skip_del(f, row(1, 2, "n")));
	assert_false(skip_del(f, row(1, 0, "n")));
	dm_expr_filter_free(f);
}

static void test_exprfilter__other_tables_are_untouched(void **st)
{
	dm_cfg_expr_filter d = def("even_c", "expr_filter", "tbl",
				   "c % 2 = 0", NULL, NULL, NULL);
	dm_expr_filter *f = compile(&d, 1);
	row3 r = row(2, 2, "b");

	(void)st;
	assert_false(skip_on(f, "expr_filter", "tbl2",
			     DM_FILTER_EVENT_INSERT, NULL, &r));
	assert_false(skip_on(f, "other", "tbl", DM_FILTER_EVENT_INSERT, NULL,
			     &r));
	/* exact names: no wildcards, and by default no case folding */
	assert_false(skip_on(f, "expr_filter", "TBL", DM_FILTER_EVENT_INSERT,
			     NULL, &r));
	assert_false(skip_on(f, "expr_*", "tbl", DM_FILTER_EVENT_INSERT, NULL,
			     &r));
	assert_true(skip_on(f, "expr_filter", "tbl", DM_FILTER_EVENT_INSERT,
			    NULL, &r));
	dm_expr_filter_free(f);
}

static void test_exprfilter__case_insensitive_option_folds_names(void **st)
{
	dm_cfg_expr_filter d = def("even_c", "Expr_Filter", "Tbl",
				   "c % 2 = 0", NULL, NULL, NULL);
	const dm_cfg_expr_filter *p = &d;
	dm_expr_filter_opts o = DM_EXPR_FILTER_OPTS_INIT;
	dm_expr_filter *f = NULL;
	dm_error *err = NULL;
	row3 r = row(2, 2, "b");

	(void)st;
	o.case_sensitive = false;
	assert_int_equal(dm_expr_filter_new(&f, &p, 1, &o, &err), 0);
	assert_true(skip_on(f, "EXPR_FILTER", "tbl", DM_FILTER_EVENT_INSERT,
			    NULL, &r));
	assert_true(dm_expr_filter_has_table(f, "expr_filter", "TBL"));
	dm_expr_filter_free(f);
}

/* DM: an expression naming a column the table lacks filters nothing. */
static void test_exprfilter__unknown_column_filters_nothing(void **st)
{
	dm_cfg_expr_filter d[] = {
		def("gone", "expr_filter", "tbl", "missing = 1 OR 1 = 1", NULL,
		    NULL, NULL),
		def("upd", "expr_filter", "tbl", NULL, "missing IS NULL",
		    "c = 1", NULL),
	};
	dm_expr_filter *f = compile(d, NELEM(d));

	(void)st;
	assert_false(skip_ins(f, row(1, 1, "a")));
	assert_false(skip_upd(f, row(1, 1, "a"), row(1, 1, "a")));
	dm_expr_filter_free(f);
}

static void test_exprfilter__columns_from_create_table(void **st)
{
	static const char ddl[] =
		"CREATE TABLE tbl (id INT PRIMARY KEY, price DECIMAL(10,2), "
		"status VARCHAR(10))";
	dm_cfg_expr_filter d = def("pricey", "shop", "tbl", NULL, NULL, NULL,
				   "price > 100 AND status = 'done'");
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *stmt = NULL;
	dm_expr_filter *f = compile(&d, 1);
	dm_expr_filter_table t = { NULL, 0, NULL };
	dm_buf scratch = DM_BUF_INIT;
	dm_error *err = NULL;
	dm_value v[3];
	bool skip = false;

	(void)st;
	assert_int_equal(dm_sql_parse(&stmt, ddl, strlen(ddl), &po, &err), 0);
	t.create = dm_sql_stmt_create_table(stmt);
	assert_non_null(t.create);
	v[0] = v_int(1);
	memset(&v[1], 0, sizeof(v[1]));
	v[1].kind = DM_VALUE_DECIMAL;
	v[1].type = DM_TYPE_NEWDECIMAL;
	v[1].v.str.ptr = "100.50";
	v[1].v.str.len = 6;
	v[2] = v_str("done");
	assert_int_equal(dm_expr_filter_skip(&skip, f, "shop", "tbl", &t,
					     DM_FILTER_EVENT_DELETE, v, NULL,
					     &scratch, &err),
			 0);
	assert_true(skip);
	v[1].v.str.ptr = "100.00";
	assert_int_equal(dm_expr_filter_skip(&skip, f, "shop", "tbl", &t,
					     DM_FILTER_EVENT_DELETE, v, NULL,
					     &scratch, &err),
			 0);
	assert_false(skip);
	dm_buf_free(&scratch);
	dm_sql_stmt_free(stmt);
	dm_expr_filter_free(f);
}

static void test_exprfilter__bad_grammar_names_rule_and_position(void **st)
{
	dm_cfg_expr_filter d = def("broken", "expr_filter", "tbl",
				   "c % = 2", NULL, NULL, NULL);
	dm_cfg_pos pos = { 42, 3 };
	dm_buf msg = DM_BUF_INIT;

	(void)st;
	assert_int_equal(compile_fails(&d, pos, "task.yaml", &msg), 20041);
	assert_non_null(strstr(msg.data, "task.yaml:42:3: expression filter broken"));
	assert_non_null(strstr(msg.data, "insert-value-expr"));
	assert_non_null(strstr(msg.data, "code=20041"));
	dm_buf_free(&msg);

	d = def("broken2", "s", "t", NULL, "c = 1", "c IN (", NULL);
	pos.line = 7;
	pos.column = 5;
	assert_int_equal(compile_fails(&d, pos, NULL, &msg), 20041);
	assert_non_null(strstr(msg.data, "task:7:5: expression filter broken2"));
	assert_non_null(strstr(msg.data, "update-new-value-expr"));
	dm_buf_free(&msg);
}

static void test_exprfilter__unsupported_function_is_config_error(void **st)
{
	dm_cfg_expr_filter d = def("fn", "expr_filter", "tbl",
				   "c = 1 OR no_such_function(c) = 1", NULL,
				   NULL, NULL);
	dm_cfg_expr_filter hidden = def("fn2", "expr_filter", "tbl", NULL,
					NULL, NULL,
					"CASE WHEN c = 1 THEN str_to_date(name, '%Y') = 1 END");
	dm_cfg_pos pos = { 3, 9 };
	dm_buf msg = DM_BUF_INIT;

	(void)st;
	assert_int_equal(compile_fails(&d, pos, "t.yaml", &msg), 20041);
	assert_non_null(strstr(msg.data, "t.yaml:3:9: expression filter fn"));
	assert_non_null(strstr(msg.data, "cannot evaluate"));
	dm_buf_free(&msg);
	/* found even in a branch a row of NULLs never takes */
	assert_int_equal(compile_fails(&hidden, pos, "t.yaml", &msg), 20041);
	dm_buf_free(&msg);
}

static void test_exprfilter__config_checks(void **st)
{
	dm_cfg_expr_filter empty = def("e", "", "tbl", "c = 1", NULL, NULL,
				       NULL);
	dm_cfg_expr_filter many = def("m", "s", "t", "c = 1", NULL, NULL,
				      "c = 2");
	dm_cfg_pos pos = { 1, 1 };
	dm_buf msg = DM_BUF_INIT;

	(void)st;
	assert_int_equal(compile_fails(&empty, pos, NULL, &msg), 20042);
	dm_buf_free(&msg);
	assert_int_equal(compile_fails(&many, pos, NULL, &msg), 20039);
	dm_buf_free(&msg);
}

static void test_exprfilter__misuse_is_reported(void **st)
{
	dm_cfg_expr_filter d = def("even_c", "expr_filter", "tbl",
				   "c % 2 = 0", NULL, NULL, NULL);
	dm_expr_filter *f = compile(&d, 1);
	dm_buf scratch = DM_BUF_INIT;
	dm_error *err = NULL;
	row3 r = row(1, 2, "x");
	bool skip = true;

	(void)st;
	assert_int_equal(dm_expr_filter_skip(&skip, f, "expr_filter", "tbl",
					     &tbl, DM_FILTER_EVENT_CREATE_TABLE,
					     NULL, r.v, &scratch, &err),
			 DM_E_INVALID_ARGUMENT);
	assert_false(skip);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_expr_filter_skip(&skip, f, "expr_filter", "tbl",
					     &tbl, DM_FILTER_EVENT_INSERT,
					     r.v, NULL, &scratch, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_expr_filter_new(NULL, NULL, 0, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	dm_expr_filter_free(NULL);
	dm_buf_free(&scratch);
	dm_expr_filter_free(f);
}

static void test_exprfilter__empty_filter_skips_nothing(void **st)
{
	dm_expr_filter *f = NULL;
	dm_error *err = NULL;
	row3 r = row(1, 2, "x");

	(void)st;
	assert_int_equal(dm_expr_filter_new(&f, NULL, 0, NULL, &err), 0);
	assert_false(skip_on(f, "expr_filter", "tbl", DM_FILTER_EVENT_INSERT,
			     NULL, &r));
	dm_expr_filter_free(f);
}

/* Every rule of DM's advanced template loads through dm_cfg and compiles. */
static void test_exprfilter__sample_task_config_compiles(void **st)
{
	static const char yaml[] =
		"name: test\n"
		"task-mode: all\n"
		"target-database:\n"
		"  host: \"127.0.0.1\"\n"
		"  port: 4000\n"
		"  user: \"root\"\n"
		"  password: \"\"\n"
		"mysql-instances:\n"
		"  - source-id: \"mysql-replica-01\"\n"
		"    expression-filters: [\"even_c\"]\n"
		"expression-filter:\n"
		"  even_c:\n"
		"    schema: \"expr_filter\"\n"
		"    table: \"tbl\"\n"
		"    insert-value-expr: \"c % 2 = 0\"\n";
	dm_cfg_task *task = NULL;
	dm_expr_filter *f = NULL;
	dm_error *err = NULL;
	int rc;

	(void)st;
	rc = dm_cfg_task_parse(&task, yaml, strlen(yaml), "task.yaml", &err);
	if (rc) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, err, 0);
		print_error("%s\n", b.data);
		dm_buf_free(&b);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(task->n_expression_filters, 1);
	assert_int_equal(task->expression_filters[0]->pos.line, 12);
	assert_int_equal(dm_expr_filter_new(&f, task->expression_filters,
					    task->n_expression_filters, NULL,
					    &err),
			 0);
	assert_true(skip_ins(f, row(2, 2, "b")));
	assert_false(skip_ins(f, row(3, 3, "c")));
	dm_expr_filter_free(f);
	dm_cfg_task_free(task);
}

/* Every allocation of compiling and deciding may fail: an error comes
 * back, nothing leaks, and the next try works. */
static void test_exprfilter__survives_failed_allocations(void **st)
{
	dm_cfg_expr_filter d[] = {
		def("a", "expr_filter", "tbl", "c % 2 = 0 AND name LIKE 'x%'",
		    NULL, NULL, NULL),
		def("b", "expr_filter", "tbl", NULL, "c = 1", "c = 2", NULL),
	};
	const dm_cfg_expr_filter *p[] = { &d[0], &d[1] };
	long n;
	bool done = false;

	(void)st;
	for (n = 0; !done && n < 10000; n++) {
		dm_expr_filter *f = NULL;
		dm_error *err = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = dm_expr_filter_new(&f, p, 2, NULL, &err);
		dm__alloc_fail_after(-1);
		if (rc) {
			assert_null(f);
			assert_int_equal(rc, DM_E_NO_MEMORY);
			dm_error_free(err);
			continue;
		}
		done = true;
		assert_true(skip_ins(f, row(1, 2, "xy")));
		dm_expr_filter_free(f);
	}
	assert_true(done);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exprfilter__doc_example_even_c_skips_even_inserts),
		cmocka_unit_test(test_exprfilter__rules_on_one_table_are_ored),
		cmocka_unit_test(test_exprfilter__update_needs_old_and_new),
		cmocka_unit_test(test_exprfilter__update_missing_side_counts_as_true),
		cmocka_unit_test(test_exprfilter__update_rules_pair_within_a_rule),
		cmocka_unit_test(test_exprfilter__null_result_keeps_the_row),
		cmocka_unit_test(test_exprfilter__only_integer_one_skips),
		cmocka_unit_test(test_exprfilter__other_tables_are_untouched),
		cmocka_unit_test(test_exprfilter__case_insensitive_option_folds_names),
		cmocka_unit_test(test_exprfilter__unknown_column_filters_nothing),
		cmocka_unit_test(test_exprfilter__columns_from_create_table),
		cmocka_unit_test(test_exprfilter__bad_grammar_names_rule_and_position),
		cmocka_unit_test(test_exprfilter__unsupported_function_is_config_error),
		cmocka_unit_test(test_exprfilter__config_checks),
		cmocka_unit_test(test_exprfilter__misuse_is_reported),
		cmocka_unit_test(test_exprfilter__empty_filter_skips_nothing),
		cmocka_unit_test(test_exprfilter__sample_task_config_compiles),
		cmocka_unit_test(test_exprfilter__survives_failed_allocations),
	};

	return cmocka_run_group_tests_name("exprfilter", tests, NULL, NULL);
}
