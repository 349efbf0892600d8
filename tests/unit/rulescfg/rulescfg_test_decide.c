/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decisions of dm_rule_set over DM's task templates and the examples of
 * DM's documentation, with the explanation each one gives.
 */
#include "rulescfg_test.h"

#include <string.h>

#define TARGET                                                              \
	"target-database:\n"                                                \
	"  host: \"127.0.0.1\"\n"                                          \
	"  port: 4000\n"                                                    \
	"  user: \"root\"\n"

/* DM's advanced template, first instance: block-allow list bw-rule-1,
 * route-rule-1/2, filter-rule-1/2. */
static void test_rulescfg__advanced_template_first_instance(void **state)
{
	dm_cfg_task *t = rct_task_file("good/dm-task-advanced.yaml");
	dm_rule_set *rs = rct_rules(t, "mysql-replica-01", NULL);
	dm_rule_decision d;

	(void)state;
	assert_string_equal(dm_rule_set_source_id(rs), "mysql-replica-01");
	assert_false(dm_rule_set_case_sensitive(rs));
	rct_migrates(rs, "test_1", "t_2", "insert", NULL, "test", "t",
		     "block-allow-list bw-rule-1: do-tables ~^test.*.~^t.*; "
		     "filter rule filter-rule-2 (Do); route route-rule-1");
	rct_decide(&d, rs, "test_1", "t_2", "insert", NULL);
	assert_int_equal(d.route, 0);
	assert_int_equal(d.filter.rule, 1);
	assert_int_equal(d.ba.reason, DM_BA_DO_TABLES_HIT);
	assert_int_equal(d.ba.rule, 0);
	rct_filters(rs, "test_1", "t_2", "truncate table",
		    "TRUNCATE TABLE t_2", DM_RULE_STEP_EVENT_FILTER,
		    "filter rule filter-rule-1 (Ignore): lists truncate table");
	rct_decide(&d, rs, "test_1", "t_2", "drop table", NULL);
	assert_int_equal(d.filter.rule, 0);
	assert_int_equal(d.filter.reason, DM_FILTER_IGNORE_EVENT);
	/* filter-rule-2 is a Do rule for DML only: DDL of test_* is dropped. */
	rct_filters(rs, "test_1", "t_2", "alter table",
		    "ALTER TABLE t_2 ADD c INT", DM_RULE_STEP_EVENT_FILTER,
		    "filter rule filter-rule-2 (Do): does not list alter table");
	rct_filters(rs, "test_1", "", "create database", NULL,
		    DM_RULE_STEP_EVENT_FILTER,
		    "filter rule filter-rule-2 (Do): does not list create database");
	rct_migrates(rs, "user", "information", "update", NULL, "user",
		     "information",
		     "block-allow-list bw-rule-1: do-tables user.information");
	rct_filters(rs, "user", "log", "insert", NULL, DM_RULE_STEP_BA_LIST,
		    "block-allow-list bw-rule-1: not in do-tables");
	rct_filters(rs, "account", "a", "insert", NULL, DM_RULE_STEP_BA_LIST,
		    "block-allow-list bw-rule-1: not in do-dbs");
	rct_filters(rs, "test_1", "abc", "insert", NULL, DM_RULE_STEP_BA_LIST,
		    "block-allow-list bw-rule-1: not in do-tables");
	rct_filters(rs, "mysql", "user", "insert", NULL, DM_RULE_STEP_BA_LIST,
		    "system schema");
	/* Schema-level: the schema step alone, schema-level routes only. */
	rct_migrates(rs, "user", NULL, "", NULL, "user", "",
		     "block-allow-list bw-rule-1: do-dbs");
	rct_migrates(rs, "test_9", "", "", NULL, "test", "",
		     "block-allow-list bw-rule-1: do-dbs; route route-rule-2");
	/* Case-insensitive task: names fold, targets keep their case. */
	rct_migrates(rs, "TEST_1", "T_2", "delete", NULL, "test", "t",
		     "block-allow-list bw-rule-1: do-tables ~^test.*.~^t.*; "
		     "filter rule filter-rule-2 (Do); route route-rule-1");
	dm_rule_set_free(rs);
	dm_cfg_task_free(t);
}

/* The second instance names no rule: only system schemas and DM's
 * built-in list filter anything. */
static void test_rulescfg__instance_without_rules_migrates_everything(void **state)
{
	dm_cfg_task *t = rct_task_file("good/dm-task-advanced.yaml");
	dm_rule_set *rs = rct_rules(t, "mysql-replica-02", NULL);

	(void)state;
	rct_migrates(rs, "Shop", "Orders", "insert", NULL, "Shop", "Orders",
		     "no rule applies");
	rct_migrates(rs, "shop", "", "drop database", "DROP DATABASE shop",
		     "shop", "", "no rule applies");
	rct_filters(rs, "information_schema", "tables", "", NULL,
		    DM_RULE_STEP_BA_LIST, "system schema");
	rct_filters(rs, "shop", "", "", "FLUSH TABLES", DM_RULE_STEP_BUILTIN,
		    "built-in: a statement DM never replicates");
	rct_filters(rs, "shop", "orders", "", "  grant select on shop.* to u",
		    DM_RULE_STEP_BUILTIN,
		    "built-in: a statement DM never replicates");
	dm_rule_set_free(rs);
	dm_cfg_task_free(t);
}

/* DM's documented block/allow list example: which of the logs, forum and
 * forum_backup_* tables are migrated. */
static void test_rulescfg__documented_block_allow_example(void **state)
{
	static const char yaml[] =
		"name: ba\n"
		"task-mode: all\n" TARGET
		"block-allow-list:\n"
		"  bw-rule:\n"
		"    do-dbs: [\"forum_backup_2018\", \"forum\"]\n"
		"    ignore-dbs: ['~^forum_backup_']\n"
		"    do-tables:\n"
		"    - db-name: \"logs\"\n"
		"      tbl-name: '~_\\d{4}_\\d{2}_\\d{2}$'\n"
		"    - db-name: '~^forum.*'\n"
		"      tbl-name: \"messages\"\n"
		"    ignore-tables:\n"
		"    - db-name: '~.*'\n"
		"      tbl-name: '^messages.*'\n"
		"mysql-instances:\n"
		"  - source-id: \"mysql-01\"\n"
		"    block-allow-list: \"bw-rule\"\n";
	dm_cfg_task *t = rct_task(yaml);
	dm_rule_set *rs = rct_rules(t, NULL, NULL);

	(void)state;
	rct_filters(rs, "logs", "messages_2016", "insert", NULL,
		    DM_RULE_STEP_BA_LIST,
		    "block-allow-list bw-rule: not in do-dbs");
	rct_filters(rs, "logs", "messages_2018", "insert", NULL,
		    DM_RULE_STEP_BA_LIST,
		    "block-allow-list bw-rule: not in do-dbs");
	rct_filters(rs, "forum_backup_2016", "messages", "insert", NULL,
		    DM_RULE_STEP_BA_LIST,
		    "block-allow-list bw-rule: not in do-dbs");
	rct_filters(rs, "forum", "users", "insert", NULL, DM_RULE_STEP_BA_LIST,
		    "block-allow-list bw-rule: not in do-tables");
	rct_migrates(rs, "forum", "messages", "insert", NULL, "forum",
		     "messages",
		     "block-allow-list bw-rule: do-tables ~^forum.*.messages");
	rct_migrates(rs, "forum_backup_2018", "messages", "insert", NULL,
		     "forum_backup_2018", "messages",
		     "block-allow-list bw-rule: do-tables ~^forum.*.messages");
	dm_rule_set_free(rs);
	dm_cfg_task_free(t);
}

static const char shard_task[] =
	"name: shard\n"
	"task-mode: all\n"
	"shard-mode: pessimistic\n" TARGET
	"routes:\n"
	"  sale-route:\n"
	"    schema-pattern: \"store_*\"\n"
	"    table-pattern: \"sale_*\"\n"
	"    target-schema: \"store\"\n"
	"    target-table: \"sale\"\n"
	"  store-route:\n"
	"    schema-pattern: \"store_*\"\n"
	"    target-schema: \"store\"\n"
	"filters:\n"
	"  sale-filter:\n"
	"    schema-pattern: \"store_*\"\n"
	"    table-pattern: \"sale_*\"\n"
	"    events: [\"truncate table\", \"drop table\", \"delete\"]\n"
	"    action: Ignore\n"
	"  store-filter:\n"
	"    schema-pattern: \"store_*\"\n"
	"    events: [\"drop database\"]\n"
	"    action: Ignore\n"
	"  no-index:\n"
	"    schema-pattern: \"store_*\"\n"
	"    table-pattern: \"*\"\n"
	"    sql-pattern: ['ADD\\s+INDEX', '^CREATE\\s+INDEX']\n"
	"    action: Ignore\n"
	"block-allow-list:\n"
	"  no-log:\n"
	"    ignore-tables:\n"
	"    - db-name: \"store_*\"\n"
	"      tbl-name: \"log_bak\"\n"
	"mysql-instances:\n"
	"  - source-id: \"mysql-01\"\n"
	"    route-rules: [\"sale-route\", \"store-route\"]\n"
	"    filter-rules: [\"sale-filter\", \"store-filter\", \"no-index\"]\n"
	"    block-allow-list: \"no-log\"\n"
	"  - source-id: \"mysql-02\"\n"
	"    route-rules: [\"sale-route\", \"store-route\"]\n";

/* DM's documented shard merge: store_*.sale_* into store.sale, with
 * the filters its documentation pairs with it. */
static void test_rulescfg__shard_merge_with_filters(void **state)
{
	dm_cfg_task *t = rct_task(shard_task);
	dm_rule_set *rs = rct_rules(t, "mysql-01", NULL);

	(void)state;
	rct_migrates(rs, "store_01", "sale_01", "insert", NULL, "store",
		     "sale",
		     "block-allow-list no-log: not in ignore-tables; "
		     "route sale-route");
	rct_filters(rs, "store_01", "sale_01", "delete", NULL,
		    DM_RULE_STEP_EVENT_FILTER,
		    "filter rule sale-filter (Ignore): lists delete");
	rct_filters(rs, "store_01", "", "drop database",
		    "DROP DATABASE store_01", DM_RULE_STEP_EVENT_FILTER,
		    "filter rule store-filter (Ignore): lists drop database");
	rct_migrates(rs, "store_01", "", "create database",
		     "CREATE DATABASE store_01", "store", "",
		     "block-allow-list no-log: no rule excludes it; "
		     "route store-route");
	rct_filters(rs, "store_02", "sale_02", "alter table",
		    "ALTER TABLE sale_02 ADD  INDEX k (c)",
		    DM_RULE_STEP_EVENT_FILTER,
		    "filter rule no-index (Ignore): sql-pattern matches");
	rct_migrates(rs, "store_02", "sale_02", "alter table",
		     "ALTER TABLE sale_02 ADD COLUMN c INT", "store", "sale",
		     "block-allow-list no-log: not in ignore-tables; "
		     "route sale-route");
	rct_migrates(rs, "store_02", "stock", "insert", NULL, "store",
		     "stock",
		     "block-allow-list no-log: not in ignore-tables; "
		     "route store-route");
	rct_filters(rs, "store_02", "log_bak", "insert", NULL,
		    DM_RULE_STEP_BA_LIST,
		    "block-allow-list no-log: ignore-tables store_*.log_bak");
	rct_migrates(rs, "other", "t", "insert", NULL, "other", "t",
		     "block-allow-list no-log: not in ignore-tables");
	dm_rule_set_free(rs);

	/* The other source shares the routes only. */
	rs = rct_rules(t, "mysql-02", NULL);
	rct_migrates(rs, "store_01", "sale_01", "delete", NULL, "store",
		     "sale", "route sale-route");
	dm_rule_set_free(rs);
	dm_cfg_task_free(t);
}

static const char one_source_task[] =
	"name: src\n"
	"task-mode: all\n" TARGET
	"filters:\n"
	"  keep-dml:\n"
	"    schema-pattern: \"app\"\n"
	"    events: [\"all dml\"]\n"
	"    action: Do\n"
	"mysql-instances:\n"
	"  - source-id: \"mysql-replica-01\"\n"
	"    filter-rules: [\"keep-dml\"]\n";

static const char source_with_filters[] =
	"source-id: \"mysql-replica-01\"\n"
	"from:\n"
	"  host: \"127.0.0.1\"\n"
	"  port: 3306\n"
	"  user: \"root\"\n"
	"filters:\n"
	"  - schema-pattern: \"app\"\n"
	"    table-pattern: \"audit\"\n"
	"    events: [\"delete\"]\n"
	"    action: Ignore\n";

/* A source file's filters join the instance's, after them. */
static void test_rulescfg__source_filters_follow_the_task_filters(void **state)
{
	dm_cfg_task *t = rct_task(one_source_task);
	dm_cfg_source *s = rct_source(source_with_filters);
	dm_rule_set *rs = rct_rules(t, NULL, s);
	dm_rule_decision d;

	(void)state;
	assert_string_equal(dm_rule_set_source_id(rs), "mysql-replica-01");
	rct_filters(rs, "app", "audit", "delete", NULL,
		    DM_RULE_STEP_EVENT_FILTER,
		    "source filters[0] (Ignore): lists delete");
	rct_decide(&d, rs, "app", "audit", "delete", NULL);
	assert_int_equal(d.filter.rule, 1);
	rct_migrates(rs, "app", "orders", "delete", NULL, "app", "orders",
		     "filter rule keep-dml (Do)");
	rct_filters(rs, "app", "orders", "create table", NULL,
		    DM_RULE_STEP_EVENT_FILTER,
		    "filter rule keep-dml (Do): does not list create table");
	/* Without the source file the source filter is absent. */
	dm_rule_set_free(rs);
	rs = rct_rules(t, "mysql-replica-01", NULL);
	rct_migrates(rs, "app", "audit", "delete", NULL, "app", "audit",
		     "filter rule keep-dml (Do)");
	dm_rule_set_free(rs);
	dm_cfg_source_free(s);
	dm_cfg_task_free(t);
}

/* case-sensitive: true in the task, or in the source file, keeps names
 * as they are. */
static void test_rulescfg__case_sensitivity_of_task_or_source(void **state)
{
#define CS_TASK(flag)                                                       \
	"name: cs\n"                                                         \
	"task-mode: all\n"                                                   \
	"case-sensitive: " flag "\n" TARGET                                  \
	"routes:\n"                                                          \
	"  r:\n"                                                             \
	"    schema-pattern: \"Shop\"\n"                                     \
	"    target-schema: \"Mall\"\n"                                      \
	"mysql-instances:\n"                                                 \
	"  - source-id: \"s1\"\n"                                            \
	"    route-rules: [\"r\"]\n"
	static const char source[] =
		"source-id: \"s1\"\n"
		"case-sensitive: true\n"
		"from:\n"
		"  host: \"127.0.0.1\"\n"
		"  user: \"root\"\n";
	dm_cfg_task *t = rct_task(CS_TASK("true"));
	dm_cfg_task *ti = rct_task(CS_TASK("false"));
	dm_cfg_source *s = rct_source(source);
	dm_rule_set *rs = rct_rules(t, NULL, NULL);

	(void)state;
	assert_true(dm_rule_set_case_sensitive(rs));
	rct_migrates(rs, "Shop", "t", "", NULL, "Mall", "t", "route r");
	rct_migrates(rs, "shop", "t", "", NULL, "shop", "t",
		     "no rule applies");
	dm_rule_set_free(rs);

	rs = rct_rules(ti, NULL, NULL);
	assert_false(dm_rule_set_case_sensitive(rs));
	rct_migrates(rs, "shop", "t", "", NULL, "Mall", "t", "route r");
	dm_rule_set_free(rs);
	rs = rct_rules(ti, NULL, s);
	assert_true(dm_rule_set_case_sensitive(rs));
	rct_migrates(rs, "shop", "t", "", NULL, "shop", "t",
		     "no rule applies");
	dm_rule_set_free(rs);
	dm_cfg_task_free(ti);
	dm_cfg_source_free(s);
	dm_cfg_task_free(t);
}

/* Without an explanation buffer the decision is the same. */
static void test_rulescfg__decide_without_explanation(void **state)
{
	dm_cfg_task *t = rct_task(shard_task);
	dm_rule_set *rs = rct_rules(t, "mysql-01", NULL);
	dm_rule_decision d;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_rule_set_decide(&d, NULL, rs, "store_3", "sale_9",
					    DM_FILTER_EVENT_INSERT, NULL, 0,
					    &err),
			 0);
	assert_true(d.migrate);
	assert_string_equal(d.target_schema, "store");
	assert_string_equal(d.target_table, "sale");
	assert_int_equal(d.route, 0);
	assert_int_equal(dm_rule_set_decide(&d, NULL, rs, "store_3", "sale_9",
					    DM_FILTER_EVENT_DELETE, NULL, 0,
					    &err),
			 0);
	assert_false(d.migrate);
	assert_int_equal(d.step, DM_RULE_STEP_EVENT_FILTER);
	assert_int_equal(d.filter.rule, 0);
	assert_null(err);
	dm_rule_set_free(rs);
	dm_cfg_task_free(t);
}

static void test_rulescfg__step_names(void **state)
{
	(void)state;
	assert_string_equal(dm_rule_step_name(DM_RULE_STEP_NONE), "none");
	assert_string_equal(dm_rule_step_name(DM_RULE_STEP_BUILTIN),
			    "built-in");
	assert_string_equal(dm_rule_step_name(DM_RULE_STEP_BA_LIST),
			    "block-allow-list");
	assert_string_equal(dm_rule_step_name(DM_RULE_STEP_EVENT_FILTER),
			    "filter");
	assert_string_equal(dm_rule_step_name((dm_rule_step)42), "unknown");
}

int rulescfg_test_decide_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rulescfg__advanced_template_first_instance),
		cmocka_unit_test(test_rulescfg__instance_without_rules_migrates_everything),
		cmocka_unit_test(test_rulescfg__documented_block_allow_example),
		cmocka_unit_test(test_rulescfg__shard_merge_with_filters),
		cmocka_unit_test(test_rulescfg__source_filters_follow_the_task_filters),
		cmocka_unit_test(test_rulescfg__case_sensitivity_of_task_or_source),
		cmocka_unit_test(test_rulescfg__decide_without_explanation),
		cmocka_unit_test(test_rulescfg__step_names),
	};

	return cmocka_run_group_tests_name("rulescfg_decide", tests, NULL,
					   NULL);
}
