/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The instance items over server values, including the ones a MariaDB
 * sandbox cannot produce (server_id 0, old versions, MySQL gtid_mode).
 */
#include "check_test.h"

#include <string.h>


static void expect(dm__check_item *it, dm_check_state state,
		   const char *frag, const char *instruction)
{
	assert_int_equal(it->pub.state, state);
	if (frag)
		check_test_has_error(it, state, frag);
	else
		assert_int_equal(it->pub.nerrors, 0);
	if (instruction)
		assert_string_equal(it->pub.instruction, instruction);
	dm__check_item_free(it);
}

static void test_check__version_parse(void **state)
{
	dm__check_version v;

	(void)state;
	assert_int_equal(dm__check_version_parse(&v, "10.11.19-MariaDB-0+deb12u1-log"), 0);
	assert_int_equal(v.major, 10);
	assert_int_equal(v.minor, 11);
	assert_int_equal(v.patch, 19);
	assert_true(v.mariadb);
	assert_int_equal(dm__check_version_parse(&v, "8.0.36"), 0);
	assert_false(v.mariadb);
	assert_int_equal(dm__check_version_parse(&v, "5.7.18-log"), 0);
	assert_int_equal(v.minor, 7);
	assert_int_equal(dm__check_version_parse(&v, "5.7.25-TiDB-v7.5.0"), 0);
	assert_int_equal(dm__check_version_parse(&v, "8.0"), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__check_version_parse(&v, "8.0.1.2"), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__check_version_parse(&v, "a.b.c"), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__check_version_parse(&v, ""), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__check_version_parse(&v, NULL), DM_E_INVALID_ARGUMENT);
}

static void test_check__version_rules(void **state)
{
	dm__check_item it;

	(void)state;
	check_test_item(&it, DM__CHECK_VERSION);
	assert_int_equal(dm__check_eval_version(&it, "10.11.6-MariaDB", NULL), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_VERSION);
	assert_int_equal(dm__check_eval_version(&it, "10.1.1-MariaDB", "mariadb"), 0);
	expect(&it, DM_CHECK_FAIL, "version required at least 10.1.2 but got 10.1.1",
	       "Please upgrade your database system");
	check_test_item(&it, DM__CHECK_VERSION);
	assert_int_equal(dm__check_eval_version(&it, "5.5.62-log", NULL), 0);
	expect(&it, DM_CHECK_FAIL, "version required at least 5.6.0 but got 5.5.62", NULL);
	check_test_item(&it, DM__CHECK_VERSION);
	assert_int_equal(dm__check_eval_version(&it, "8.4.0", "mysql"), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_VERSION);
	assert_int_equal(dm__check_eval_version(&it, "garbage", NULL), 0);
	expect(&it, DM_CHECK_FAIL, "MySQL version garbage not valid", NULL);
	/* libdm's addition: a flavor that contradicts the server warns. */
	check_test_item(&it, DM__CHECK_VERSION);
	assert_int_equal(dm__check_eval_version(&it, "10.11.6-MariaDB", "mysql"), 0);
	expect(&it, DM_CHECK_WARN, "flavor is mysql but the server is MariaDB 10.11.6", NULL);
	check_test_item(&it, DM__CHECK_VERSION);
	assert_int_equal(dm__check_eval_version(&it, "8.0.36", "MariaDB"), 0);
	expect(&it, DM_CHECK_WARN, "but the server is MySQL 8.0.36", NULL);
}

static void test_check__server_id_rules(void **state)
{
	dm__check_item it;

	(void)state;
	check_test_item(&it, DM__CHECK_SERVER_ID);
	assert_int_equal(dm__check_eval_server_id(&it, true, "101"), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_SERVER_ID);
	assert_int_equal(dm__check_eval_server_id(&it, true, "0"), 0);
	expect(&it, DM_CHECK_FAIL, "server_id is 0", "please set server_id greater than 0");
	check_test_item(&it, DM__CHECK_SERVER_ID);
	assert_int_equal(dm__check_eval_server_id(&it, false, NULL), 0);
	expect(&it, DM_CHECK_FAIL, "server_id not set", "please set server_id in your database");
	check_test_item(&it, DM__CHECK_SERVER_ID);
	assert_int_equal(dm__check_eval_server_id(&it, true, "x1"), 0);
	expect(&it, DM_CHECK_FAIL, "is not a number", NULL);
}

static void test_check__binlog_rules(void **state)
{
	dm__check_item it;

	(void)state;
	check_test_item(&it, DM__CHECK_BINLOG_ENABLE);
	assert_int_equal(dm__check_eval_log_bin(&it, "ON"), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_BINLOG_ENABLE);
	assert_int_equal(dm__check_eval_log_bin(&it, "OFF"), 0);
	expect(&it, DM_CHECK_FAIL, "log_bin is OFF, and should be ON", NULL);
	check_test_item(&it, DM__CHECK_BINLOG_FORMAT);
	assert_int_equal(dm__check_eval_binlog_format(&it, "row"), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_BINLOG_FORMAT);
	assert_int_equal(dm__check_eval_binlog_format(&it, "MIXED"), 0);
	expect(&it, DM_CHECK_FAIL, "binlog_format is MIXED, and should be ROW",
	       "please execute 'set global binlog_format=ROW;'");
	check_test_item(&it, DM__CHECK_BINLOG_ROW_IMAGE);
	assert_int_equal(dm__check_eval_row_image(&it, "10.11.6-MariaDB", "MINIMAL"), 0);
	expect(&it, DM_CHECK_FAIL, "binlog_row_image is MINIMAL, and should be FULL",
	       "please execute 'set global binlog_row_image = FULL;'");
	check_test_item(&it, DM__CHECK_BINLOG_ROW_IMAGE);
	assert_int_equal(dm__check_eval_row_image(&it, "8.0.36", "NOBLOB"), 0);
	expect(&it, DM_CHECK_FAIL, "binlog_row_image is NOBLOB", NULL);
	/* Before the variable existed rows were always full. */
	check_test_item(&it, DM__CHECK_BINLOG_ROW_IMAGE);
	assert_int_equal(dm__check_eval_row_image(&it, "5.6.1-log", NULL), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_BINLOG_ROW_IMAGE);
	assert_int_equal(dm__check_eval_row_image(&it, "10.1.5-MariaDB", NULL), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_BINLOG_ROW_IMAGE);
	assert_int_equal(dm__check_eval_row_image(&it, "10.1.6-MariaDB", "FULL"), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
}

static void test_check__gtid_mode_rules(void **state)
{
	dm__check_item it;

	(void)state;
	check_test_item(&it, DM__CHECK_GTID_MODE);
	assert_int_equal(dm__check_eval_gtid_mode(&it, true, NULL), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_GTID_MODE);
	assert_int_equal(dm__check_eval_gtid_mode(&it, false, "ON"), 0);
	expect(&it, DM_CHECK_SUCCESS, NULL, NULL);
	check_test_item(&it, DM__CHECK_GTID_MODE);
	assert_int_equal(dm__check_eval_gtid_mode(&it, false, "OFF_PERMISSIVE"), 0);
	expect(&it, DM_CHECK_FAIL, "gtid_mode is OFF_PERMISSIVE", NULL);
	check_test_item(&it, DM__CHECK_GTID_MODE);
	assert_int_equal(dm__check_eval_gtid_mode(&it, false, NULL), 0);
	expect(&it, DM_CHECK_FAIL, "gtid_mode is not available", NULL);
}

int check_test_eval_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__version_parse),
		cmocka_unit_test(test_check__version_rules),
		cmocka_unit_test(test_check__server_id_rules),
		cmocka_unit_test(test_check__binlog_rules),
		cmocka_unit_test(test_check__gtid_mode_rules),
	};

	return cmocka_run_group_tests_name("check_eval", tests, NULL, NULL);
}
