/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every allocation of the pure parts may fail: the calls report
 * DM_E_NO_MEMORY (or finish) and leak nothing (valgrind and ASan runs).
 */
#include "check_test.h"

#include <string.h>

#include "dm/util.h"
#include "util/alloc.h"

typedef int (*op_fn)(void);

/* Fails allocation 0, 1, 2, ... until the operation gets through. */
static void each_failure(op_fn op)
{
	long n;
	int rc;

	for (n = 0; n < 100000; n++) {
		dm__alloc_fail_after(n);
		rc = op();
		dm__alloc_fail_after(-1);
		if (rc == 0)
			break;
		if (rc != DM_E_NO_MEMORY)
			fail_msg("allocation %ld: status %d", n, rc);
	}
	assert_int_equal(op(), 0);
}

static int op_privileges(void)
{
	static const dm__check_need needs[] = {
		{ DM__PRIV_SELECT, "a", "t1" },
		{ DM__PRIV_SELECT, "b", "t2" },
		{ DM__PRIV_RELOAD, NULL, NULL },
		{ DM__PRIV_REPL_SLAVE, NULL, NULL },
	};
	const char *lines[] = {
		"GRANT `r1`@`%` TO `u`@`%`",
		"GRANT SELECT (`x`) ON `a`.`t1` TO `u`@`%`",
		"GRANT SELECT, INSERT ON `b`.* TO `u`@`%`",
		"REVOKE SELECT ON `b`.* FROM `u`@`%`",
	};
	dm__check_item it;
	int rc = dm__check_item_init(&it, DM__CHECK_DUMP_PRIV, NULL, NULL,
				     "extra", "src");

	if (rc)
		return rc;
	rc = dm__check_privileges(&it, lines, 4, needs, 4, 0, "'u'@'%'");
	if (!rc && it.pub.nerrors != 1)
		rc = DM_E_INTERNAL;
	dm__check_item_free(&it);
	return rc;
}

static int op_result_json(void)
{
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	dm_check_result *res = NULL;
	dm__check_item it;
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;
	int rc, i;

	for (i = 0; i < 3; i++) {
		rc = dm__check_item_init(&it, DM__CHECK_BINLOG_FORMAT, NULL,
					 NULL, "x", "s");
		if (rc)
			goto out;
		rc = dm__check_eval_binlog_format(&it, i ? "ROW" : "MIXED");
		if (!rc)
			rc = dm__vec_push(&items, &it);
		if (rc) {
			dm__check_item_free(&it);
			goto out;
		}
	}
	rc = dm__check_result_new(&res, &items, true, 1, 1);
	if (!rc)
		rc = dm_check_result_message(&b, res);
	if (!rc) {
		rc = dm_check_result_error(res, &e);
		if (rc == DM_E_TASK_CHECK_SYNC_CONFIG_ERROR)
			rc = 0;
	}
	if (!rc && dm_error_status(e) == DM_E_NO_MEMORY)
		rc = DM_E_NO_MEMORY;
out:
	dm_error_free(e);
	dm_buf_free(&b);
	dm_check_result_free(res);
	for (i = 0; i < (int)items.len; i++)
		dm__check_item_free(DM__VEC_DATA(&items, dm__check_item) + i);
	dm__vec_free(&items);
	return rc;
}

static dm_sql_stmt *shard_stmt[2];

static int op_tables(void)
{
	dm__check_shard_member m[2] = {
		{ "a", "`a`.`t`", NULL, NULL },
		{ "b", "`b`.`t`", NULL, NULL },
	};
	dm__check_charsets cs;
	dm__check_item it;
	int rc;

	m[0].stmt = shard_stmt[0];
	m[1].stmt = shard_stmt[1];
	dm__check_charsets_init(&cs);
	cs.from_target = true;
	rc = dm__check_charsets_add(&cs, false, "utf8mb4");
	if (!rc)
		rc = dm__check_item_init(&it, DM__CHECK_TABLE_SCHEMA, NULL,
					 NULL, NULL, NULL);
	if (rc) {
		dm__check_charsets_free(&cs);
		return rc;
	}
	rc = dm__check_table_eval(&it, "`a`.`t`", shard_stmt[0], &cs);
	if (!rc)
		rc = dm__check_shard_eval(&it, "`m`.`t`", m, 2, false, true);
	dm__check_item_free(&it);
	dm__check_charsets_free(&cs);
	return rc;
}

static void test_check__alloc_failures_in_privileges(void **state)
{
	(void)state;
	each_failure(op_privileges);
}

static void test_check__alloc_failures_in_results(void **state)
{
	(void)state;
	each_failure(op_result_json);
}

static void test_check__alloc_failures_in_table_rules(void **state)
{
	(void)state;
	shard_stmt[0] = check_test_parse(
		"CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, a "
		"varchar(3) CHARACTER SET latin1, CONSTRAINT f FOREIGN KEY "
		"(a) REFERENCES p (a))");
	shard_stmt[1] = check_test_parse(
		"CREATE TABLE t (id int AUTO_INCREMENT PRIMARY KEY, b int)");
	each_failure(op_tables);
	dm_sql_stmt_free(shard_stmt[0]);
	dm_sql_stmt_free(shard_stmt[1]);
}

static int op_same_names(void)
{
	const dm_check_table t[] = {
		{ "a", "t", "X", "Y" },
		{ "b", "t", "x", "y" },
	};
	dm_check_source src;
	dm_check_opts o = DM_CHECK_OPTS_INIT;
	dm_error *e = NULL;
	int rc;

	memset(&src, 0, sizeof(src));
	src.source_id = "s";
	src.tables = t;
	src.ntables = 2;
	o.sources = &src;
	o.nsources = 1;
	rc = dm__check_same_table_names(&o, &e);
	dm_error_free(e);
	return rc == DM_E_TASK_CHECK_SAME_TABLE_NAME ? 0 : rc;
}

static void test_check__alloc_failures_in_name_clash(void **state)
{
	(void)state;
	each_failure(op_same_names);
}

int check_test_alloc_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__alloc_failures_in_privileges),
		cmocka_unit_test(test_check__alloc_failures_in_results),
		cmocka_unit_test(test_check__alloc_failures_in_table_rules),
		cmocka_unit_test(test_check__alloc_failures_in_name_clash),
	};

	return cmocka_run_group_tests_name("check_alloc", tests, NULL,
					   check_test_reset_alloc);
}
