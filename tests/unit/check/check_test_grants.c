/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHOW GRANTS lines as MySQL 5.7, MySQL 8 and MariaDB 10.11 print them,
 * read into kind, level, object and privileges.
 */
#include "check_test.h"

#include <string.h>

#include "dm/util.h"

#define BIT(p) DM__PRIV_BIT(DM__PRIV_##p)

static void parse_ok(dm__check_grant *g, const char *line)
{
	dm_error *e = NULL;

	if (dm__check_grant_parse(g, line, strlen(line), &e) != 0)
		fail_msg("[%s]: %s", line, dm_error_message(e));
	assert_null(e);
}

static void parse_fails(const char *line, const char *frag)
{
	dm__check_grant g;
	dm_error *e = NULL;

	assert_int_equal(dm__check_grant_parse(&g, line, strlen(line), &e),
			 DM_E_PARSE_SQL);
	assert_non_null(e);
	if (frag && !strstr(dm_error_message(e), frag))
		fail_msg("[%s]: message [%s] lacks [%s]", line,
			 dm_error_message(e), frag);
	/* The line itself (it may hold a password hash) is never quoted. */
	assert_null(strstr(dm_error_message(e), "*6BB48"));
	assert_null(g.db);
	assert_int_equal(g.roles.len, 0);
	dm_error_free(e);
}

static const char *role(const dm__check_grant *g, size_t i)
{
	assert_true(i < g->roles.len);
	return DM__VEC_DATA(&g->roles, char *)[i];
}

static void test_check__grant_mysql57_global_list(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION "
		     "CLIENT ON *.* TO 'dm'@'%' IDENTIFIED BY PASSWORD "
		     "'*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'");
	assert_int_equal(g.kind, DM__GRANT_PRIVS);
	assert_int_equal(g.level, DM__LEVEL_GLOBAL);
	assert_int_equal(g.privs, BIT(SELECT) | BIT(RELOAD) |
					  BIT(REPL_SLAVE) | BIT(REPL_CLIENT));
	assert_int_equal(g.col_privs, 0);
	assert_false(g.all);
	assert_null(g.db);
	dm__check_grant_free(&g);
}

static void test_check__grant_all_privileges_global_and_db(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` "
		     "WITH GRANT OPTION");
	assert_true(g.all);
	assert_int_equal(g.level, DM__LEVEL_GLOBAL);
	dm__check_grant_free(&g);

	parse_ok(&g, "GRANT ALL ON `shop`.* TO 'u'@'%'");
	assert_true(g.all);
	assert_int_equal(g.level, DM__LEVEL_DB);
	assert_string_equal(g.db, "shop");
	assert_null(g.table);
	dm__check_grant_free(&g);
}

static void test_check__grant_column_level_select(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT SELECT (`id`, `name`), INSERT ON `shop`.`orders` "
		     "TO `u`@`%`");
	assert_int_equal(g.level, DM__LEVEL_TABLE);
	assert_string_equal(g.db, "shop");
	assert_string_equal(g.table, "orders");
	assert_int_equal(g.col_privs, BIT(SELECT));
	assert_int_equal(g.privs, BIT(INSERT));
	dm__check_grant_free(&g);

	/* MariaDB writes column lists without a space before them too. */
	parse_ok(&g, "GRANT SELECT(`id`) ON `shop`.`orders` TO `u`@`%`");
	assert_int_equal(g.col_privs, BIT(SELECT));
	assert_int_equal(g.privs, 0);
	dm__check_grant_free(&g);
}

static void test_check__grant_mariadb_binlog_monitor(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT RELOAD, BINLOG MONITOR, REPLICATION SLAVE ADMIN, "
		     "SLAVE MONITOR, REPLICATION MASTER ADMIN ON *.* TO "
		     "`tidb-dm`@`%` IDENTIFIED BY PASSWORD "
		     "'*F140AD44180E4713D0DDC2FE46ADF5DBBACA16EE'");
	assert_int_equal(g.kind, DM__GRANT_PRIVS);
	/* BINLOG MONITOR is REPLICATION CLIENT; REPLICATION SLAVE ADMIN is
	 * not REPLICATION SLAVE. */
	assert_int_equal(g.privs, BIT(RELOAD) | BIT(REPL_CLIENT));
	dm__check_grant_free(&g);

	parse_ok(&g, "GRANT REPLICATION SLAVE, BINLOG MONITOR, DELETE HISTORY "
		     "ON *.* TO `dm`@`%`");
	assert_int_equal(g.privs, BIT(REPL_SLAVE) | BIT(REPL_CLIENT));
	dm__check_grant_free(&g);

	parse_ok(&g, "GRANT REPLICATION REPLICA ON *.* TO `dm`@`%`");
	assert_int_equal(g.privs, BIT(REPL_SLAVE));
	dm__check_grant_free(&g);
}

static void test_check__grant_mysql8_dynamic_privileges(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT BACKUP_ADMIN,FLUSH_TABLES,REPLICATION_SLAVE_ADMIN "
		     "ON *.* TO `u`@`%`");
	assert_int_equal(g.privs, BIT(FLUSH_TABLES));
	dm__check_grant_free(&g);
}

static void test_check__grant_usage_and_lower_case(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED VIA unix_socket "
		     "OR mysql_native_password USING 'invalid'");
	assert_int_equal(g.kind, DM__GRANT_PRIVS);
	assert_int_equal(g.privs, 0);
	assert_false(g.all);
	dm__check_grant_free(&g);

	parse_ok(&g, "grant select, lock tables on `a`.* to u");
	assert_int_equal(g.privs, BIT(SELECT) | BIT(LOCK_TABLES));
	assert_int_equal(g.level, DM__LEVEL_DB);
	dm__check_grant_free(&g);

	parse_ok(&g, "GRANT SELECT ON TABLE `a`.`b` TO u");
	assert_int_equal(g.level, DM__LEVEL_TABLE);
	dm__check_grant_free(&g);
}

static void test_check__grant_roles_mysql8_and_mariadb(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT `r1`@`%`,`r2`@`localhost` TO `u`@`%`");
	assert_int_equal(g.kind, DM__GRANT_ROLES);
	assert_int_equal(g.roles.len, 2);
	assert_string_equal(role(&g, 0), "`r1`@`%`");
	assert_string_equal(role(&g, 1), "`r2`@`localhost`");
	dm__check_grant_free(&g);

	parse_ok(&g, "GRANT `dm_role`@`%` TO `u`@`%` WITH ADMIN OPTION");
	assert_int_equal(g.kind, DM__GRANT_ROLES);
	assert_string_equal(role(&g, 0), "`dm_role`@`%`");
	dm__check_grant_free(&g);

	parse_ok(&g, "GRANT `dm_role` TO `u`@`%`");
	assert_int_equal(g.kind, DM__GRANT_ROLES);
	assert_string_equal(role(&g, 0), "`dm_role`");
	dm__check_grant_free(&g);

	parse_ok(&g, "SET DEFAULT ROLE `dm_role` FOR `u`@`%`");
	assert_int_equal(g.kind, DM__GRANT_DEFAULT_ROLE);
	assert_string_equal(role(&g, 0), "`dm_role`");
	dm__check_grant_free(&g);
}

static void test_check__grant_partial_revoke(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "REVOKE INSERT, UPDATE ON `mysql`.* FROM `u`@`%`");
	assert_int_equal(g.kind, DM__GRANT_REVOKE);
	assert_int_equal(g.level, DM__LEVEL_DB);
	assert_string_equal(g.db, "mysql");
	assert_int_equal(g.privs, BIT(INSERT) | BIT(UPDATE));
	dm__check_grant_free(&g);
}

static void test_check__grant_proxy_and_routines_grant_nothing(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT "
		     "OPTION");
	assert_int_equal(g.kind, DM__GRANT_OTHER);
	dm__check_grant_free(&g);
	parse_ok(&g, "GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE `db`.`p` TO "
		     "`u`@`%`");
	assert_int_equal(g.kind, DM__GRANT_OTHER);
	dm__check_grant_free(&g);
	parse_ok(&g, "GRANT EXECUTE ON FUNCTION `db`.`f` TO `u`@`%`");
	assert_int_equal(g.kind, DM__GRANT_OTHER);
	dm__check_grant_free(&g);
}

static void test_check__grant_quoted_names(void **state)
{
	dm__check_grant g;

	(void)state;
	parse_ok(&g, "GRANT SELECT ON `we``ird`.`t``1` TO u");
	assert_string_equal(g.db, "we`ird");
	assert_string_equal(g.table, "t`1");
	dm__check_grant_free(&g);

	/* A wildcard schema keeps its escapes: it is a LIKE pattern. */
	parse_ok(&g, "GRANT ALL PRIVILEGES ON `dm\\_test%`.* TO `u`@`%`");
	assert_string_equal(g.db, "dm\\_test%");
	dm__check_grant_free(&g);

	/* A schema with ON, TO and parentheses in its name. */
	parse_ok(&g, "GRANT SELECT ON `on to (x)`.* TO u");
	assert_string_equal(g.db, "on to (x)");
	assert_int_equal(g.level, DM__LEVEL_DB);
	dm__check_grant_free(&g);
}

static void test_check__grant_rejects_what_it_cannot_read(void **state)
{
	(void)state;
	parse_fails("", "expected GRANT");
	parse_fails("HELLO WORLD", "expected GRANT");
	parse_fails("GRANT SELECT ON", "expected");
	parse_fails("GRANT SELECT ON *. TO u", "'*'");
	parse_fails("GRANT SELECT ON *.* u IDENTIFIED BY PASSWORD "
		    "'*6BB4837EB74329105EE4568DDA7DC67ED2CA2AD9'",
		    "expected TO");
	parse_fails("GRANT SELECT (`a` ON `x`.* TO u", NULL);
	parse_fails("GRANT SELECT ON `x.* TO u", NULL);
	parse_fails("SET PASSWORD = 'x'", "DEFAULT ROLE");
	parse_fails("GRANT TO u", NULL);
}

int check_test_grants_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__grant_mysql57_global_list),
		cmocka_unit_test(test_check__grant_all_privileges_global_and_db),
		cmocka_unit_test(test_check__grant_column_level_select),
		cmocka_unit_test(test_check__grant_mariadb_binlog_monitor),
		cmocka_unit_test(test_check__grant_mysql8_dynamic_privileges),
		cmocka_unit_test(test_check__grant_usage_and_lower_case),
		cmocka_unit_test(test_check__grant_roles_mysql8_and_mariadb),
		cmocka_unit_test(test_check__grant_partial_revoke),
		cmocka_unit_test(test_check__grant_proxy_and_routines_grant_nothing),
		cmocka_unit_test(test_check__grant_quoted_names),
		cmocka_unit_test(test_check__grant_rejects_what_it_cannot_read),
	};

	return cmocka_run_group_tests_name("check_grants", tests, NULL, NULL);
}
