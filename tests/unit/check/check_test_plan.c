/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ignore-checking-items, "all", and what DM leaves out by itself for a
 * task mode or without a shard mode.
 */
#include "check_test.h"

#include <string.h>

static bool on(const dm_check_opts *o, const char *name)
{
	return dm_check_item_enabled(o, name);
}

static void test_check__plan_everything_by_default(void **state)
{
	dm_check_opts o = DM_CHECK_OPTS_INIT;
	size_t n, i;
	const char *const *names = dm_check_item_names(&n);

	(void)state;
	o.shard_mode = DM_CHECK_SHARD_PESSIMISTIC;
	assert_int_equal(n, 14);
	assert_string_equal(names[0], "all");
	for (i = 1; i < n; i++) {
		assert_true(dm_check_item_is_known(names[i]));
		if (!on(&o, names[i]))
			fail_msg("%s is off by default", names[i]);
	}
	assert_false(on(&o, "all"));
	assert_false(on(&o, "no_such_item"));
	assert_false(on(NULL, "version"));
	assert_false(dm_check_item_is_known("Version"));
	assert_false(dm_check_item_is_known(NULL));
	assert_true(dm_check_item_is_known("all"));
}

static void test_check__plan_ignore_list(void **state)
{
	const char *ignore[] = { "binlog_format", "auto_increment_ID",
				 "target_privilege" };
	dm_check_opts o = DM_CHECK_OPTS_INIT;

	(void)state;
	o.shard_mode = DM_CHECK_SHARD_OPTIMISTIC;
	o.ignore_items = ignore;
	o.nignore_items = 3;
	assert_false(on(&o, "binlog_format"));
	assert_false(on(&o, "auto_increment_ID"));
	assert_false(on(&o, "target_privilege"));
	assert_true(on(&o, "schema_of_shard_tables"));
	assert_true(on(&o, "binlog_row_image"));
	assert_true(on(&o, "target_connectivity"));
}

static void test_check__plan_all_disables_everything(void **state)
{
	const char *ignore[] = { "version", "all" };
	dm_check_opts o = DM_CHECK_OPTS_INIT;
	bool en[DM__CHECK__COUNT];
	int k;

	(void)state;
	o.ignore_items = ignore;
	o.nignore_items = 2;
	assert_int_equal(dm__check_plan(en, &o, NULL), 0);
	for (k = 0; k < DM__CHECK__COUNT; k++)
		assert_false(en[k]);
}

static void test_check__plan_full_mode_skips_binlog_items(void **state)
{
	static const char *const off[] = {
		"replication_privilege", "binlog_enable", "binlog_format",
		"binlog_row_image",	 "server_id",	  "gtid_mode",
	};
	dm_check_opts o = DM_CHECK_OPTS_INIT;
	size_t i;

	(void)state;
	o.mode = DM_CHECK_MODE_FULL;
	o.shard_mode = DM_CHECK_SHARD_PESSIMISTIC;
	for (i = 0; i < sizeof(off) / sizeof(off[0]); i++)
		if (on(&o, off[i]))
			fail_msg("%s runs in full mode", off[i]);
	assert_true(on(&o, "dump_privilege"));
	assert_true(on(&o, "version"));
	assert_true(on(&o, "table_schema"));
	assert_true(on(&o, "schema_of_shard_tables"));
	assert_true(on(&o, "auto_increment_ID"));
	assert_true(on(&o, "target_privilege"));
}

static void test_check__plan_incremental_mode_skips_dump_items(void **state)
{
	dm_check_opts o = DM_CHECK_OPTS_INIT;

	(void)state;
	o.mode = DM_CHECK_MODE_INCREMENTAL;
	o.shard_mode = DM_CHECK_SHARD_PESSIMISTIC;
	assert_false(on(&o, "dump_privilege"));
	assert_false(on(&o, "schema_of_shard_tables"));
	assert_false(on(&o, "auto_increment_ID"));
	assert_true(on(&o, "replication_privilege"));
	assert_true(on(&o, "binlog_format"));
	assert_true(on(&o, "table_schema"));
}

static void test_check__plan_shard_items_need_a_shard_mode(void **state)
{
	const char *ignore[] = { "schema_of_shard_tables" };
	dm_check_opts o = DM_CHECK_OPTS_INIT;

	(void)state;
	assert_false(on(&o, "schema_of_shard_tables"));
	assert_false(on(&o, "auto_increment_ID"));
	/* auto_increment_ID lives inside the shard checker. */
	o.shard_mode = DM_CHECK_SHARD_PESSIMISTIC;
	o.ignore_items = ignore;
	o.nignore_items = 1;
	assert_false(on(&o, "auto_increment_ID"));
}

static void test_check__plan_rejects_unknown_names(void **state)
{
	const char *ignore[] = { "binlog_format", "binlog_fromat" };
	dm_check_opts o = DM_CHECK_OPTS_INIT;
	bool en[DM__CHECK__COUNT];
	dm_error *e = NULL;

	(void)state;
	o.ignore_items = ignore;
	o.nignore_items = 2;
	assert_int_equal(dm__check_plan(en, &o, &e),
			 DM_E_CONFIG_CHECK_ITEM_NOT_SUPPORT);
	assert_int_equal(dm_error_code(e), 20001);
	assert_non_null(strstr(dm_error_message(e), "binlog_fromat"));
	dm_error_free(e);
	assert_false(on(&o, "version"));
}

static void test_check__run_rejects_bad_options(void **state)
{
	const char *bad_item[] = { "binlog" };
	const char *all[] = { "all" };
	dm_db_opts db = DM_DB_OPTS_INIT;
	dm_check_table t = { "a", NULL, NULL, NULL };
	dm_check_source src = { "s1", &db, NULL, false, NULL, 0 };
	dm_check_opts o = DM_CHECK_OPTS_INIT;
	dm_check_result *res = (dm_check_result *)&o;
	dm_check_summary sum;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_check_run(NULL, NULL, &o, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_check_run(&res, NULL, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_null(res);
	o.version = 2;
	assert_int_equal(dm_check_run(&res, NULL, &o, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	o.version = 1;
	o.dump_consistency = "sometimes";
	assert_int_equal(dm_check_run(&res, NULL, &o, NULL),
			 DM_E_INVALID_ARGUMENT);
	o.dump_consistency = "lock";
	o.ignore_items = bad_item;
	o.nignore_items = 1;
	assert_int_equal(dm_check_run(&res, NULL, &o, NULL),
			 DM_E_CONFIG_CHECK_ITEM_NOT_SUPPORT);
	o.nignore_items = 0;
	/* A target item without a target. */
	assert_int_equal(dm_check_run(&res, NULL, &o, &e),
			 DM_E_INVALID_ARGUMENT);
	assert_non_null(strstr(dm_error_message(e), "no target"));
	dm_error_free(e);
	e = NULL;
	src.tables = &t;
	src.ntables = 1;
	o.sources = &src;
	o.nsources = 1;
	assert_int_equal(dm_check_run(&res, NULL, &o, NULL),
			 DM_E_INVALID_ARGUMENT); /* table without a name */
	src.source_id = NULL;
	assert_int_equal(dm_check_run(&res, NULL, &o, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_null(res);
	/* "all": nothing is connected to, an empty passed result. */
	o.ignore_items = all;
	o.nignore_items = 1;
	src.source_id = "s1";
	t.table = "t";
	assert_int_equal(dm_check_run(&res, NULL, &o, NULL), 0);
	assert_non_null(res);
	dm_check_result_summary(&sum, res);
	assert_true(sum.passed);
	assert_int_equal(sum.total, 0);
	dm_check_result_free(res);
	/* NULL results read as empty and passed. */
	dm_check_result_summary(&sum, NULL);
	assert_true(sum.passed);
	assert_null(dm_check_result_items(NULL, DM_CHECK_ITEMS_ALL, NULL));
	assert_int_equal(dm_check_result_error(NULL, NULL), 0);
}

int check_test_plan_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__plan_everything_by_default),
		cmocka_unit_test(test_check__plan_ignore_list),
		cmocka_unit_test(test_check__plan_all_disables_everything),
		cmocka_unit_test(test_check__plan_full_mode_skips_binlog_items),
		cmocka_unit_test(test_check__plan_incremental_mode_skips_dump_items),
		cmocka_unit_test(test_check__plan_shard_items_need_a_shard_mode),
		cmocka_unit_test(test_check__plan_rejects_unknown_names),
		cmocka_unit_test(test_check__run_rejects_bad_options),
	};

	return cmocka_run_group_tests_name("check_plan", tests, NULL, NULL);
}
