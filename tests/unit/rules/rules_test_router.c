/* SPDX-License-Identifier: Apache-2.0 */
/* Table routing: DM's documented examples and tidb-tools' cases. */
#include "rules_test.h"

#include <stdio.h>
#include <string.h>

static dm_router *make(const dm_route_rule_def *rules, size_t n,
		       bool case_sensitive)
{
	dm_rules_opts o = rules_test_opts(case_sensitive);
	dm_router *r = NULL;
	dm_error *err = NULL;
	int rc = dm_router_new(&r, rules, n, &o, &err);

	if (rc)
		fail_msg("dm_router_new: %s", dm_error_message(err));
	return r;
}

static int route_err(const dm_router *r, const char *schema,
		     const char *table, const char *needle)
{
	dm_route_result res;
	dm_error *err = NULL;
	int rc = dm_router_route(&res, r, schema, table, &err);

	assert_int_not_equal(rc, 0);
	assert_int_equal(dm_error_status(err), rc);
	if (needle && !rules_test_msg_has(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", dm_error_message(err),
			 needle);
	dm_error_free(err);
	return rc;
}

/* "Merge sharded schemas and tables": test_{1,2,...}.t_{1,2,...} into
 * test.t, with the schema rule for CREATE/DROP SCHEMA. */
static void test_router__documented_shard_merge(void **state)
{
	static const dm_route_rule_def rules[] = {
		{ .schema_pattern = "test_*", .table_pattern = "t_*",
		  .target_schema = "test", .target_table = "t" },
		{ .schema_pattern = "test_*", .target_schema = "test" },
	};
	dm_router *r = make(rules, 2, false);
	dm_route_result res;
	int s, t;

	(void)state;
	for (s = 1; s <= 3; s++) {
		for (t = 1; t <= 3; t++) {
			char schema[32], table[32];

			snprintf(schema, sizeof(schema), "test_%d", s);
			snprintf(table, sizeof(table), "t_%d", t);
			rules_test_route(r, schema, table, "test", "t");
		}
	}
	/* CREATE/DROP SCHEMA test_1 */
	assert_int_equal(dm_router_route(&res, r, "test_1", "", NULL), 0);
	assert_string_equal(res.schema, "test");
	assert_string_equal(res.table, "");
	assert_int_equal(res.rule, 1);
	assert_int_equal(dm_router_route(&res, r, "test_1", NULL, NULL), 0);
	assert_int_equal(res.rule, 1);
	/* other tables of the shards keep their names in the merged schema */
	rules_test_route(r, "test_2", "other", "test", "other");
	/* unrelated tables are untouched, as given */
	rules_test_route(r, "Prod", "Orders", "Prod", "Orders");
	assert_int_equal(dm_router_route(&res, r, "prod", "t_1", NULL), 0);
	assert_int_equal(res.rule, -1);
	dm_router_free(r);
}

/* "Merge sharded schemas": one schema rule moves every table. */
static void test_router__documented_schema_merge(void **state)
{
	static const dm_route_rule_def rule = {
		.schema_pattern = "test_*", .target_schema = "test"
	};
	dm_router *r = make(&rule, 1, false);

	(void)state;
	rules_test_route(r, "test_1", "t_1", "test", "t_1");
	rules_test_route(r, "test_2", "t_3", "test", "t_3");
	rules_test_route(r, "test_2", "", "test", "");
	rules_test_route(r, "tes", "t_3", "tes", "t_3");
	dm_router_free(r);
}

/* "Incorrect table routing": test_1_bak.t_1_bak matches both rules. */
static void test_router__documented_ambiguity_is_an_error(void **state)
{
	static const dm_route_rule_def rules[] = {
		{ .schema_pattern = "test_*", .table_pattern = "t_*",
		  .target_schema = "test", .target_table = "t" },
		{ .schema_pattern = "test_1_bak", .table_pattern = "t_1_bak",
		  .target_schema = "test", .target_table = "t_bak" },
	};
	dm_router *r = make(rules, 2, false);

	(void)state;
	assert_int_equal(route_err(r, "test_1_bak", "t_1_bak",
				   "`test_1_bak`.`t_1_bak` matches 2 table-level route rules (rules 0 and 1"),
			 DM_E_GEN_TABLE_ROUTER);
	rules_test_route(r, "test_1", "t_1", "test", "t");
	rules_test_route(r, "test_1_bak", "t_2", "test", "t");
	dm_router_free(r);
}

/* "Extract table, schema, and source information and write into the
 * merged table": the four rows of the page's result. */
static void test_router__documented_extract_example(void **state)
{
	static const dm_route_rule_def rules[] = {
		{ .schema_pattern = "test_*", .table_pattern = "t_*",
		  .target_schema = "test", .target_table = "t",
		  .table_regexp = "t_(.*)", .table_column = "c_table",
		  .schema_regexp = "test_(.*)", .schema_column = "c_schema",
		  .source_regexp = "(.*)", .source_column = "c_source" },
		{ .schema_pattern = "test_*", .target_schema = "test" },
	};
	static const struct {
		const char *source, *schema, *table;
		const char *c_table, *c_schema;
	} rows[] = {
		{ "mysql-01", "test_11", "t_1", "1", "11" },
		{ "mysql-01", "test_11", "t_2", "2", "11" },
		{ "mysql-01", "test_12", "t_1", "1", "12" },
		{ "mysql-02", "test_13", "t_3", "3", "13" },
	};
	dm_router *r = make(rules, 2, false);
	dm_route_columns cols;
	dm_buf vals = DM_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(rows); i++) {
		dm_buf_clear(&vals);
		assert_int_equal(dm_router_extract(&cols, &vals, r,
						   rows[i].schema,
						   rows[i].table,
						   rows[i].source, NULL),
				 0);
		assert_int_equal(cols.n, 3);
		assert_string_equal(cols.col[0].name, "c_table");
		assert_string_equal(cols.col[1].name, "c_schema");
		assert_string_equal(cols.col[2].name, "c_source");
		assert_string_equal(vals.data + cols.col[0].off,
				    rows[i].c_table);
		assert_string_equal(vals.data + cols.col[1].off,
				    rows[i].c_schema);
		assert_string_equal(vals.data + cols.col[2].off,
				    rows[i].source);
		assert_int_equal(cols.col[2].len, strlen(rows[i].source));
		rules_test_route(r, rows[i].schema, rows[i].table, "test", "t");
	}
	/* the schema rule has no extractors */
	assert_int_equal(dm_router_extract(&cols, &vals, r, "test_1", "x",
					   "mysql-01", NULL), 0);
	assert_int_equal(cols.n, 0);
	assert_int_equal(dm_router_extract(&cols, &vals, r, "prod", "x",
					   "mysql-01", NULL), 0);
	assert_int_equal(cols.n, 0);
	dm_buf_free(&vals);
	dm_router_free(r);
}

/* tidb-tools TestFetchExtendColumn: table-level rules win, groups are
 * concatenated, names are used as given. */
static void test_router__tidb_tools_extract_cases(void **state)
{
	static const dm_route_rule_def rules[] = {
		{ .schema_pattern = "schema*", .table_pattern = "t*",
		  .target_schema = "test", .target_table = "t",
		  .table_regexp = "table_(.*)", .table_column = "table_name",
		  .schema_regexp = "schema_(.*)", .schema_column = "schema_name",
		  .source_regexp = "source_(.*)_(.*)",
		  .source_column = "source_name" },
		{ .schema_pattern = "schema*", .target_schema = "test",
		  .target_table = "t2",
		  .schema_regexp = "(.*)", .schema_column = "schema_name",
		  .source_regexp = "(.*)", .source_column = "source_name" },
	};
	dm_router *r = make(rules, 2, false);
	dm_route_columns cols;
	dm_buf vals = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_router_extract(&cols, &vals, r, "schema_s1",
					   "table_t1", "source_s1_s1", NULL),
			 0);
	assert_int_equal(cols.n, 3);
	assert_string_equal(cols.col[0].name, "table_name");
	assert_string_equal(vals.data + cols.col[0].off, "t1");
	assert_string_equal(cols.col[1].name, "schema_name");
	assert_string_equal(vals.data + cols.col[1].off, "s1");
	assert_string_equal(cols.col[2].name, "source_name");
	assert_string_equal(vals.data + cols.col[2].off, "s1s1");
	dm_buf_clear(&vals);
	assert_int_equal(dm_router_extract(&cols, &vals, r, "schema_s2",
					   "a_table_t2", "source_s2", NULL),
			 0);
	assert_int_equal(cols.n, 2);
	assert_string_equal(cols.col[0].name, "schema_name");
	assert_string_equal(vals.data + cols.col[0].off, "schema_s2");
	assert_string_equal(cols.col[1].name, "source_name");
	assert_string_equal(vals.data + cols.col[1].off, "source_s2");
	/* no match of the extractor: empty value; values append */
	dm_buf_clear(&vals);
	dm_buf_puts(&vals, "keep");
	assert_int_equal(dm_router_extract(&cols, &vals, r, "schema_x",
					   "tbl", "src", NULL), 0);
	assert_int_equal(cols.n, 3);
	assert_int_equal(cols.col[0].len, 0);
	assert_int_equal(cols.col[1].off, cols.col[0].off + 1);
	assert_string_equal(vals.data, "keep");
	assert_string_equal(vals.data + cols.col[2].off, "");
	dm_buf_free(&vals);
	dm_router_free(r);
}

/* tidb-tools TestRoute and TestCaseSensitive. */
static void test_router__tidb_tools_route_cases(void **state)
{
	dm_route_rule_def rules[7] = {
		{ .schema_pattern = "Test_1_*", .table_pattern = "abc*",
		  .target_schema = "t1", .target_table = "abc" },
		{ .schema_pattern = "test_1_*", .table_pattern = "test*",
		  .target_schema = "t2", .target_table = "test" },
		{ .schema_pattern = "test_1_*", .table_pattern = "",
		  .target_schema = "test", .target_table = "" },
		{ .schema_pattern = "test_2_*", .table_pattern = "abc*",
		  .target_schema = "t1", .target_table = "abc" },
		{ .schema_pattern = "test_2_*", .table_pattern = "test*",
		  .target_schema = "t2", .target_table = "test" },
	};
	dm_route_rule_def dup[6];
	dm_router *r;
	dm_error *err = NULL;
	size_t i;

	(void)state;
	r = make(rules, 5, false);
	rules_test_route(r, "test_1_a", "abc1", "t1", "abc");
	rules_test_route(r, "test_2_a", "abc2", "t1", "abc");
	rules_test_route(r, "test_1_a", "test1", "t2", "test");
	rules_test_route(r, "test_2_a", "test2", "t2", "test");
	rules_test_route(r, "test_1_a", "xyz", "test", "xyz");
	rules_test_route(r, "test_3_a", "", "test_3_a", "");
	dm_router_free(r);
	/* inserting a rule twice is refused */
	for (i = 0; i < 5; i++) {
		memcpy(dup, rules, 5 * sizeof(rules[0]));
		dup[5] = rules[i];
		assert_int_equal(dm_router_new(&r, dup, 6, NULL, &err),
				 DM_E_CONFIG_GEN_TABLE_ROUTER);
		assert_true(rules_test_msg_has(err, "route rule 5"));
		rules_test_clear(&err);
	}
	/* updated rule 0 */
	rules[0].target_table = "xxx";
	r = make(rules, 5, false);
	rules_test_route(r, "test_1_a", "abc1", "t1", "xxx");
	dm_router_free(r);
	/* removed rule 0: the schema rule takes abc1 */
	r = make(rules + 1, 4, false);
	rules_test_route(r, "test_1_a", "abc1", "test", "abc1");
	dm_router_free(r);
	/* several schema-level rules */
	rules[5] = (dm_route_rule_def){ .schema_pattern = "test_*",
					.target_schema = "error" };
	r = make(rules + 1, 5, false);
	assert_int_equal(route_err(r, "test_1_a", "", "schema-level"),
			 DM_E_GEN_TABLE_ROUTER);
	/* a table-level rule still decides for its tables */
	rules_test_route(r, "test_1_a", "test1", "t2", "test");
	/* no table-level rule: the two schema-level rules clash */
	route_err(r, "test_1_a", "xyz", NULL);
	dm_router_free(r);
	/* several table-level rules */
	rules[6] = (dm_route_rule_def){ .schema_pattern = "test_1_*",
					.table_pattern = "tes*",
					.target_schema = "error",
					.target_table = "error" };
	r = make(rules + 1, 6, false);
	assert_int_equal(route_err(r, "test_1_a", "test", "table-level"),
			 DM_E_GEN_TABLE_ROUTER);
	dm_router_free(r);
	/* case-sensitive: Test_1_* does not take test_1_a */
	r = make(rules, 5, true);
	rules_test_route(r, "test_1_a", "abc1", "test", "abc1");
	rules_test_route(r, "test_2_a", "abc2", "t1", "abc");
	rules_test_route(r, "test_1_a", "test1", "t2", "test");
	rules_test_route(r, "test_2_a", "test2", "t2", "test");
	rules_test_route(r, "test_1_a", "xyz", "test", "xyz");
	rules_test_route(r, "Test_1_a", "abc1", "t1", "xxx");
	dm_router_free(r);
}

static void test_router__targets_keep_their_case(void **state)
{
	static const dm_route_rule_def rules[] = {
		{ .schema_pattern = "Shard_*", .table_pattern = "Orders_*",
		  .target_schema = "MergedDB", .target_table = "AllOrders" },
	};
	dm_router *r = make(rules, 1, false);

	(void)state;
	rules_test_route(r, "SHARD_1", "orders_7", "MergedDB", "AllOrders");
	rules_test_route(r, "shard_1", "ORDERS_7", "MergedDB", "AllOrders");
	rules_test_route(r, "Other", "Orders_1", "Other", "Orders_1");
	dm_router_free(r);
}

static void test_router__regular_expression_patterns(void **state)
{
	static const dm_route_rule_def rules[] = {
		{ .schema_pattern = "~^shard_[0-9]+$", .table_pattern = "~^t_\\d+$",
		  .target_schema = "merged", .target_table = "t" },
		{ .schema_pattern = "~^shard_[0-9]+$", .target_schema = "merged" },
	};
	dm_router *r = make(rules, 2, false);

	(void)state;
	rules_test_route(r, "shard_12", "t_3", "merged", "t");
	rules_test_route(r, "SHARD_12", "T_3", "merged", "t");
	rules_test_route(r, "shard_12", "t_x", "merged", "t_x");
	rules_test_route(r, "shard_12", "", "merged", "");
	rules_test_route(r, "shard_x", "t_3", "shard_x", "t_3");
	dm_router_free(r);
}

static int new_err(const dm_route_rule_def *rules, size_t n,
		   const char *needle)
{
	dm_router *r = NULL;
	dm_error *err = NULL;
	int rc = dm_router_new(&r, rules, n, NULL, &err);

	assert_null(r);
	assert_non_null(err);
	assert_int_equal(dm_error_status(err), rc);
	if (needle && !rules_test_msg_has(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", dm_error_message(err),
			 needle);
	dm_error_free(err);
	return rc;
}

static void test_router__bad_rules_are_config_errors(void **state)
{
	dm_route_rule_def r = { .schema_pattern = "test*",
				.table_pattern = "abc*" };
	dm_router *rt;
	dm_route_result res;
	dm_route_columns cols;
	dm_buf vals = DM_BUF_INIT;

	(void)state;
	assert_int_equal(new_err(&r, 1, "target-schema"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.target_schema = "";
	assert_int_equal(new_err(&r, 1, "target-schema"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.target_schema = "x";
	r.schema_pattern = "";
	assert_int_equal(new_err(&r, 1, "schema pattern"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.schema_pattern = "a*b";
	assert_int_equal(new_err(&r, 1, "not valid"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.schema_pattern = "a*";
	r.table_regexp = "t_(.*)";
	assert_int_equal(new_err(&r, 1, "extract-table"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.table_column = "c";
	r.table_regexp = "~t_(.*)";
	assert_int_equal(new_err(&r, 1, "must not start with '~'"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.table_regexp = "t_(";
	assert_int_equal(new_err(&r, 1, "extract-table"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.table_regexp = NULL;
	r.table_column = NULL;
	r.source_column = "src";
	assert_int_equal(new_err(&r, 1, "extract-source"),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	r.source_column = NULL;
	/* arguments */
	assert_int_equal(dm_router_new(NULL, &r, 1, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_router_new(&rt, NULL, 1, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	rt = make(NULL, 0, false);
	assert_int_equal(dm_router_route(&res, rt, "a", NULL, NULL), 0);
	assert_string_equal(res.schema, "a");
	assert_string_equal(res.table, "");
	assert_int_equal(dm_router_route(&res, rt, NULL, "b", NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_router_route(NULL, rt, "a", "b", NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_router_extract(&cols, &vals, rt, "a", "b", "s",
					   NULL), 0);
	assert_int_equal(cols.n, 0);
	assert_int_equal(dm_router_extract(&cols, NULL, rt, "a", "b", "s",
					   NULL), DM_E_INVALID_ARGUMENT);
	dm_router_free(rt);
	dm_router_free(NULL);
	dm_buf_free(&vals);
}

int rules_test_router_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_router__documented_shard_merge),
		cmocka_unit_test(test_router__documented_schema_merge),
		cmocka_unit_test(test_router__documented_ambiguity_is_an_error),
		cmocka_unit_test(test_router__documented_extract_example),
		cmocka_unit_test(test_router__tidb_tools_extract_cases),
		cmocka_unit_test(test_router__tidb_tools_route_cases),
		cmocka_unit_test(test_router__targets_keep_their_case),
		cmocka_unit_test(test_router__regular_expression_patterns),
		cmocka_unit_test(test_router__bad_rules_are_config_errors),
	};

	return cmocka_run_group_tests_name("rules/router", tests, NULL, NULL);
}
