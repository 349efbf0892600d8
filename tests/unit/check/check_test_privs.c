/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whether SHOW GRANTS covers what the dump, the replication and the target
 * need, and DM's "lack of ... privilege" report.
 */
#include "check_test.h"

#include <string.h>

static const dm__check_need dump_needs[] = {
	{ DM__PRIV_SELECT, "shop", "orders" },
	{ DM__PRIV_SELECT, "shop", "items" },
	{ DM__PRIV_RELOAD, NULL, NULL },
};

static const dm__check_need repl_needs[] = {
	{ DM__PRIV_REPL_CLIENT, NULL, NULL },
	{ DM__PRIV_REPL_SLAVE, NULL, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Runs the privilege check; returns the item for inspection. */
static void run(dm__check_item *it, const char *const *lines, size_t n,
		const dm__check_need *needs, size_t nneeds, unsigned flags)
{
	check_test_item(it, DM__CHECK_DUMP_PRIV);
	assert_int_equal(dm__check_privileges(it, lines, n, needs, nneeds,
					      flags, "'dm'@'%'"),
			 0);
}

static void expect_pass(const char *const *lines, size_t n,
			const dm__check_need *needs, size_t nneeds,
			unsigned flags)
{
	dm__check_item it;

	run(&it, lines, n, needs, nneeds, flags);
	if (it.pub.state != DM_CHECK_SUCCESS)
		fail_msg("expected success, got: %s",
			 it.pub.errors[0].short_error);
	assert_int_equal(it.pub.nerrors, 0);
	dm__check_item_free(&it);
}

static void expect_lack(const char *const *lines, size_t n,
			const dm__check_need *needs, size_t nneeds,
			unsigned flags, const char *msg, const char *fix)
{
	dm__check_item it;

	run(&it, lines, n, needs, nneeds, flags);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	assert_int_equal(it.pub.nerrors, 1);
	assert_int_equal(it.pub.errors[0].severity, DM_CHECK_FAIL);
	assert_string_equal(it.pub.errors[0].short_error, msg);
	if (fix)
		assert_string_equal(it.pub.errors[0].instruction, fix);
	assert_string_equal(it.pub.instruction,
			    "Grant the required privileges to the account.");
	dm__check_item_free(&it);
}

static void test_check__privs_all_privileges_cover_everything(void **state)
{
	const char *lines[] = {
		"GRANT ALL PRIVILEGES ON *.* TO `root`@`%` IDENTIFIED BY "
		"PASSWORD '*66171F895C690D0C5BE0375CE7A6EFBCC3526B2E' WITH "
		"GRANT OPTION",
	};

	(void)state;
	expect_pass(lines, 1, dump_needs, N(dump_needs), 0);
	expect_pass(lines, 1, repl_needs, N(repl_needs), 0);
}

static void test_check__privs_db_level_all_is_not_global(void **state)
{
	const char *lines[] = {
		"GRANT USAGE ON *.* TO `dm`@`%`",
		"GRANT ALL PRIVILEGES ON `shop`.* TO `dm`@`%`",
	};

	(void)state;
	expect_lack(lines, 2, dump_needs, N(dump_needs), 0,
		    "lack of RELOAD global (*.*) privilege; ",
		    "GRANT RELOAD ON *.* TO 'dm'@'%';");
	expect_lack(lines, 2, repl_needs, N(repl_needs), 0,
		    "lack of REPLICATION CLIENT global (*.*) privilege; "
		    "lack of REPLICATION SLAVE global (*.*) privilege; ",
		    "GRANT REPLICATION CLIENT, REPLICATION SLAVE ON *.* TO "
		    "'dm'@'%';");
}

static void test_check__privs_column_select_is_not_enough(void **state)
{
	const char *lines[] = {
		"GRANT RELOAD ON *.* TO `dm`@`%`",
		"GRANT SELECT (`id`) ON `shop`.`orders` TO `dm`@`%`",
		"GRANT SELECT ON `shop`.`items` TO `dm`@`%`",
	};

	(void)state;
	expect_lack(lines, 3, dump_needs, N(dump_needs), 0,
		    "lack of Select privilege: {`shop`.`orders`}; ",
		    "GRANT SELECT ON `shop`.`orders` TO 'dm'@'%';");
}

static void test_check__privs_report_groups_schemas_and_tables(void **state)
{
	static const dm__check_need needs[] = {
		{ DM__PRIV_RELOAD, NULL, NULL },
		{ DM__PRIV_SELECT, "b", "t3" },
		{ DM__PRIV_SELECT, "a", "t2" },
		{ DM__PRIV_SELECT, "a", "t1" },
	};
	const char *lines[] = { "GRANT USAGE ON *.* TO 'dm'@'%'" };

	(void)state;
	expect_lack(lines, 1, needs, N(needs), 0,
		    "lack of Select privilege: {`a`.`t1`, `a`.`t2`; `b`.`t3`}; "
		    "lack of RELOAD global (*.*) privilege; ",
		    "GRANT RELOAD ON *.* TO 'dm'@'%'; GRANT SELECT ON "
		    "`a`.`t1` TO 'dm'@'%'; GRANT SELECT ON `a`.`t2` TO "
		    "'dm'@'%'; GRANT SELECT ON `b`.`t3` TO 'dm'@'%';");
}

static void test_check__privs_binlog_monitor_is_replication_client(void **state)
{
	const char *ok[] = {
		"GRANT REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `dm`@`%`",
	};
	const char *admin_only[] = {
		"GRANT BINLOG MONITOR, REPLICATION SLAVE ADMIN, SLAVE MONITOR "
		"ON *.* TO `dm`@`%`",
	};

	(void)state;
	expect_pass(ok, 1, repl_needs, N(repl_needs), 0);
	expect_lack(admin_only, 1, repl_needs, N(repl_needs), 0,
		    "lack of REPLICATION SLAVE global (*.*) privilege; ", NULL);
}

static void test_check__privs_super_counts_only_where_it_should(void **state)
{
	const char *lines[] = {
		"GRANT SUPER, REPLICATION SLAVE ON *.* TO `dm`@`%`",
	};

	(void)state;
	expect_pass(lines, 1, repl_needs, N(repl_needs),
		    DM__PRIV_SUPER_IS_REPL_CLIENT);
	/* MariaDB >= 10.5.2: SUPER no longer includes BINLOG MONITOR. */
	expect_lack(lines, 1, repl_needs, N(repl_needs), 0,
		    "lack of REPLICATION CLIENT global (*.*) privilege; ",
		    NULL);
}

static void test_check__privs_flush_tables_is_reload(void **state)
{
	const char *lines[] = {
		"GRANT SELECT ON *.* TO `dm`@`%`",
		"GRANT BACKUP_ADMIN,FLUSH_TABLES ON *.* TO `dm`@`%`",
	};

	(void)state;
	expect_pass(lines, 2, dump_needs, N(dump_needs), 0);
}

static void test_check__privs_table_level_grants_count(void **state)
{
	const char *lines[] = {
		"GRANT RELOAD ON *.* TO `dm`@`%`",
		"GRANT SELECT, INSERT ON `shop`.`orders` TO `dm`@`%`",
		"GRANT ALL PRIVILEGES ON `shop`.`items` TO `dm`@`%`",
	};

	(void)state;
	expect_pass(lines, 3, dump_needs, N(dump_needs), 0);
}

static void test_check__privs_partial_revoke_removes_a_schema(void **state)
{
	const char *lines[] = {
		"GRANT SELECT, RELOAD ON *.* TO `dm`@`%`",
		"REVOKE SELECT ON `shop`.* FROM `dm`@`%`",
	};

	(void)state;
	expect_lack(lines, 2, dump_needs, N(dump_needs), 0,
		    "lack of Select privilege: {`shop`.`items`, "
		    "`shop`.`orders`}; ",
		    NULL);
}

static void test_check__privs_lock_tables_once_per_schema(void **state)
{
	static const dm__check_need needs[] = {
		{ DM__PRIV_LOCK_TABLES, "a", NULL },
		{ DM__PRIV_LOCK_TABLES, "a", NULL },
		{ DM__PRIV_LOCK_TABLES, "b", NULL },
	};
	const char *lines[] = {
		"GRANT SELECT, LOCK TABLES ON `b`.* TO `dm`@`%`",
	};

	(void)state;
	expect_lack(lines, 1, needs, 3, 0,
		    "lack of LOCK TABLES privilege: {`a`.*}; ",
		    "GRANT LOCK TABLES ON `a`.* TO 'dm'@'%';");
}

static void test_check__privs_wildcard_schema_grants(void **state)
{
	static const dm__check_need needs[] = {
		{ DM__PRIV_CREATE, "dm_test1", NULL },
		{ DM__PRIV_INSERT, "dm_test1", NULL },
		{ DM__PRIV_CREATE, "dmXtest1", NULL },
	};
	const char *lines[] = {
		"GRANT ALL PRIVILEGES ON `dm\\_test%`.* TO `dm`@`%`",
		"GRANT INSERT ON `dm_t_st_`.* TO `dm`@`%`",
	};

	(void)state;
	expect_lack(lines, 2, needs, N(needs), 0,
		    "lack of Create privilege: {`dmXtest1`.*}; ",
		    "GRANT CREATE ON `dmXtest1`.* TO 'dm'@'%';");
}

static void test_check__privs_target_schema_report(void **state)
{
	static const dm__check_priv privs[] = {
		DM__PRIV_CREATE, DM__PRIV_SELECT, DM__PRIV_INSERT,
		DM__PRIV_UPDATE, DM__PRIV_DELETE, DM__PRIV_DROP,
		DM__PRIV_ALTER,	 DM__PRIV_INDEX,
	};
	dm__check_need needs[16];
	const char *lines[] = {
		"GRANT USAGE ON *.* TO `down`@`%`",
		"GRANT SELECT, INSERT ON `app`.* TO `down`@`%`",
		"GRANT ALL PRIVILEGES ON `dm_meta`.* TO `down`@`%`",
	};
	size_t i;

	(void)state;
	for (i = 0; i < 8; i++) {
		needs[i].priv = needs[8 + i].priv = privs[i];
		needs[i].db = "app";
		needs[8 + i].db = "dm_meta";
		needs[i].table = needs[8 + i].table = NULL;
	}
	expect_lack(lines, 3, needs, 16, 0,
		    "lack of Create privilege: {`app`.*}; "
		    "lack of Update privilege: {`app`.*}; "
		    "lack of Delete privilege: {`app`.*}; "
		    "lack of Drop privilege: {`app`.*}; "
		    "lack of Alter privilege: {`app`.*}; "
		    "lack of Index privilege: {`app`.*}; ",
		    "GRANT CREATE, UPDATE, DELETE, DROP, ALTER, INDEX ON "
		    "`app`.* TO 'dm'@'%';");
}

static void test_check__privs_roles_and_proxy_lines_are_skipped(void **state)
{
	const char *lines[] = {
		"GRANT `dm_role` TO `dm`@`%`",
		"GRANT PROXY ON ''@'%' TO 'dm'@'%'",
		"GRANT RELOAD, SELECT ON *.* TO `dm_role`",
		"SET DEFAULT ROLE `dm_role` FOR `dm`@`%`",
	};

	(void)state;
	expect_pass(lines, 4, dump_needs, N(dump_needs), 0);
}

static void test_check__privs_no_grants_or_bad_line(void **state)
{
	const char *bad[] = {
		"GRANT RELOAD ON *.* TO `dm`@`%`",
		"GRANT SELECT ON `a`.`b`.`c` TO `dm`@`%`",
	};
	dm__check_item it;

	(void)state;
	check_test_item(&it, DM__CHECK_REPL_PRIV);
	assert_int_equal(dm__check_privileges(&it, NULL, 0, repl_needs, 2, 0,
					      NULL),
			 0);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	assert_string_equal(it.pub.errors[0].short_error,
			    "there is no such grant defined for current user "
			    "on host '%'");
	dm__check_item_free(&it);

	check_test_item(&it, DM__CHECK_DUMP_PRIV);
	assert_int_equal(dm__check_privileges(&it, bad, 2, dump_needs, 3, 0,
					      NULL),
			 0);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	check_test_has_error(&it, DM_CHECK_FAIL,
			     "SHOW GRANTS line not understood");
	dm__check_item_free(&it);

	/* Without an account the suggestion names a placeholder. */
	check_test_item(&it, DM__CHECK_REPL_PRIV);
	assert_int_equal(dm__check_privileges(&it, bad, 1, repl_needs, 2, 0,
					      NULL),
			 0);
	assert_non_null(strstr(it.pub.errors[0].instruction,
			       "TO 'user'@'host';"));
	dm__check_item_free(&it);
}

int check_test_privs_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__privs_all_privileges_cover_everything),
		cmocka_unit_test(test_check__privs_db_level_all_is_not_global),
		cmocka_unit_test(test_check__privs_column_select_is_not_enough),
		cmocka_unit_test(test_check__privs_report_groups_schemas_and_tables),
		cmocka_unit_test(test_check__privs_binlog_monitor_is_replication_client),
		cmocka_unit_test(test_check__privs_super_counts_only_where_it_should),
		cmocka_unit_test(test_check__privs_flush_tables_is_reload),
		cmocka_unit_test(test_check__privs_table_level_grants_count),
		cmocka_unit_test(test_check__privs_partial_revoke_removes_a_schema),
		cmocka_unit_test(test_check__privs_lock_tables_once_per_schema),
		cmocka_unit_test(test_check__privs_wildcard_schema_grants),
		cmocka_unit_test(test_check__privs_target_schema_report),
		cmocka_unit_test(test_check__privs_roles_and_proxy_lines_are_skipped),
		cmocka_unit_test(test_check__privs_no_grants_or_bad_line),
	};

	return cmocka_run_group_tests_name("check_privs", tests, NULL, NULL);
}
