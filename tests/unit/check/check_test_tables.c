/* SPDX-License-Identifier: Apache-2.0 */
/*
 * table_schema over SHOW CREATE TABLE text, shard consistency and
 * auto-increment keys, and target names that clash by case.
 */
#include "check_test.h"

#include <string.h>

#include "dm/util.h"

static dm__check_item eval_table(const char *sql, const dm__check_charsets *cs)
{
	dm_sql_stmt *st = check_test_parse(sql);
	dm__check_item it;

	check_test_item(&it, DM__CHECK_TABLE_SCHEMA);
	assert_int_equal(dm__check_table_eval(&it, "`db`.`t`", st, cs), 0);
	dm_sql_stmt_free(st);
	return it;
}

static void test_check__table_with_keys_passes(void **state)
{
	dm__check_charsets cs;
	dm__check_item it;

	(void)state;
	dm__check_charsets_init(&cs);
	it = eval_table("CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n"
			"  `v` varchar(10) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n"
			") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
			"COLLATE=utf8mb4_general_ci",
			&cs);
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	dm__check_item_free(&it);
	/* A unique key is enough, as in DM; so is an inline one. */
	it = eval_table("CREATE TABLE t (a int, b int, UNIQUE KEY uk (a, b))",
			&cs);
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	dm__check_item_free(&it);
	it = eval_table("CREATE TABLE t (a int UNIQUE)", &cs);
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	dm__check_item_free(&it);
	dm__check_charsets_free(&cs);
}

static void test_check__table_without_keys_fails(void **state)
{
	dm__check_charsets cs;
	dm__check_item it;

	(void)state;
	dm__check_charsets_init(&cs);
	it = eval_table("CREATE TABLE `t` (\n  `a` int(11) DEFAULT NULL,\n"
			"  KEY `k` (`a`)\n) ENGINE=InnoDB DEFAULT "
			"CHARSET=latin1",
			&cs);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	assert_int_equal(it.pub.nerrors, 1);
	assert_string_equal(it.pub.errors[0].short_error,
			    "table `db`.`t` primary/unique key does not exist");
	assert_string_equal(it.pub.errors[0].instruction,
			    "please set primary/unique key for the table");
	dm__check_item_free(&it);
	dm__check_charsets_free(&cs);
}

static void test_check__foreign_key_warns(void **state)
{
	dm__check_charsets cs;
	dm__check_item it;

	(void)state;
	dm__check_charsets_init(&cs);
	it = eval_table("CREATE TABLE `c` (\n  `id` int NOT NULL,\n  `p` int,"
			"\n  PRIMARY KEY (`id`),\n  KEY `fk_p` (`p`),\n"
			"  CONSTRAINT `fk_p` FOREIGN KEY (`p`) REFERENCES `par` "
			"(`id`) ON DELETE CASCADE\n) ENGINE=InnoDB",
			&cs);
	assert_int_equal(it.pub.state, DM_CHECK_WARN);
	check_test_has_error(&it, DM_CHECK_WARN,
			     "table `db`.`t` Foreign Key fk_p is not enforced");
	dm__check_item_free(&it);
	dm__check_charsets_free(&cs);
}

static void test_check__charsets_builtin_and_from_target(void **state)
{
	static const char sql[] =
		"CREATE TABLE t (id int PRIMARY KEY, a varchar(5) CHARACTER "
		"SET cp1251 COLLATE cp1251_bin, b blob) DEFAULT "
		"CHARSET=koi8r COLLATE=koi8r_general_ci";
	dm__check_charsets cs;
	dm__check_item it;

	(void)state;
	/* Without the target's list: DM's (TiDB's) character sets. */
	dm__check_charsets_init(&cs);
	it = eval_table(sql, &cs);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	check_test_has_error(&it, DM_CHECK_FAIL,
			     "table `db`.`t` charset koi8r is not supported");
	check_test_has_error(&it, DM_CHECK_FAIL,
			     "table `db`.`t` column a charset cp1251 is not "
			     "supported");
	assert_int_equal(it.pub.nerrors, 2); /* collations unchecked */
	dm__check_item_free(&it);
	it = eval_table("CREATE TABLE t (id int PRIMARY KEY) DEFAULT "
			"CHARSET=UTF8MB4 COLLATE=utf8mb4_uca1400_ai_ci",
			&cs);
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	dm__check_item_free(&it);
	it = eval_table("CREATE TABLE t (id int PRIMARY KEY) CHARACTER SET "
			"binary",
			&cs);
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	dm__check_item_free(&it);

	/* With the target's own lists, collations count too. */
	cs.from_target = true;
	assert_int_equal(dm__check_charsets_add(&cs, false, "KOI8R"), 0);
	assert_int_equal(dm__check_charsets_add(&cs, false, "cp1251"), 0);
	assert_int_equal(dm__check_charsets_add(&cs, true, "koi8r_general_ci"),
			 0);
	it = eval_table(sql, &cs);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	assert_int_equal(it.pub.nerrors, 1);
	check_test_has_error(&it, DM_CHECK_FAIL,
			     "column a collation cp1251_bin is not supported");
	dm__check_item_free(&it);
	dm__check_charsets_free(&cs);
}

static void test_check__table_not_create_table(void **state)
{
	dm__check_charsets cs;
	dm__check_item it;

	(void)state;
	dm__check_charsets_init(&cs);
	it = eval_table("CREATE VIEW v AS SELECT 1", &cs);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	check_test_has_error(&it, DM_CHECK_FAIL, "not CREATE TABLE");
	dm__check_item_free(&it);
	dm__check_charsets_free(&cs);
}

/* ------------------------------------------------------------ shards */

static dm__check_item shard(const char *const *sql, size_t n, bool optimistic,
			    bool auto_inc)
{
	dm__check_shard_member m[4];
	dm_sql_stmt *st[4];
	static const char *const ids[] = { "`s1`.`t`", "`s2`.`t`", "`s3`.`t`",
					   "`s4`.`t`" };
	dm__check_item it;
	size_t i;

	assert_true(n <= 4);
	for (i = 0; i < n; i++) {
		st[i] = sql[i] ? check_test_parse(sql[i]) : NULL;
		m[i].source_id = i % 2 ? "src-b" : "src-a";
		m[i].table_id = ids[i];
		m[i].stmt = st[i];
		m[i].error = sql[i] ? NULL : "statement cannot be parsed";
	}
	assert_int_equal(dm__check_item_init(&it, DM__CHECK_SHARD_SCHEMA,
					     "sharding table `m`.`t` "
					     "consistency checking",
					     NULL, NULL, NULL),
			 0);
	assert_int_equal(dm__check_shard_eval(&it, "`m`.`t`", m, n, optimistic,
					      auto_inc),
			 0);
	for (i = 0; i < n; i++)
		dm_sql_stmt_free(st[i]);
	return it;
}

static void test_check__shards_with_same_columns_pass(void **state)
{
	const char *sql[] = {
		"CREATE TABLE t (id bigint NOT NULL, v varchar(20), PRIMARY "
		"KEY (id, v))",
		"CREATE TABLE `t` (`ID` BIGINT NOT NULL, `v` VARCHAR(20) "
		"DEFAULT 'x', PRIMARY KEY (`id`, `v`))",
	};
	dm__check_item it = shard(sql, 2, false, true);

	(void)state;
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	assert_string_equal(it.pub.extra, "sourceID src-a on sharding `m`.`t`");
	assert_string_equal(it.pub.desc,
			    "check consistency of sharding table structures");
	dm__check_item_free(&it);
}

static void test_check__shards_with_other_columns_fail(void **state)
{
	const char *sql[] = {
		"CREATE TABLE t (id int, a int, PRIMARY KEY (id))",
		"CREATE TABLE t (id int, a int, b int, PRIMARY KEY (id))",
		"CREATE TABLE t (id int, a bigint, PRIMARY KEY (id))",
		"CREATE TABLE t (id int, a int, UNIQUE KEY (id))",
	};
	dm__check_item it = shard(sql, 4, false, false);

	(void)state;
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	assert_int_equal(it.pub.nerrors, 3);
	assert_string_equal(it.pub.errors[0].short_error,
			    "column length mismatch (self: 2 vs other: 3)");
	assert_string_equal(it.pub.errors[0].self,
			    "sourceID src-a table `s1`.`t` columns [id a]");
	assert_string_equal(it.pub.errors[0].other,
			    "sourceID src-b table `s2`.`t` columns [id a b]");
	assert_string_equal(it.pub.errors[1].short_error,
			    "different column definition");
	assert_string_equal(it.pub.errors[1].self,
			    "sourceID src-a table `s1`.`t` column a int");
	assert_string_equal(it.pub.errors[1].other,
			    "sourceID src-a table `s3`.`t` column a bigint");
	assert_string_equal(it.pub.errors[2].self,
			    "sourceID src-a table `s1`.`t` column id int "
			    "primary key");
	assert_string_equal(it.pub.errors[2].other,
			    "sourceID src-b table `s4`.`t` column id int "
			    "unique key");
	assert_string_equal(it.pub.instruction,
			    "please set same table structure for sharding "
			    "tables");
	assert_string_equal(it.pub.extra, "error on sharding `m`.`t`");
	dm__check_item_free(&it);
}

static void test_check__shards_optimistic_allow_other_columns(void **state)
{
	const char *ok[] = {
		"CREATE TABLE t (id int, a int, PRIMARY KEY (id))",
		"CREATE TABLE t (id int, a int, b int, PRIMARY KEY (id))",
	};
	const char *bad[] = {
		"CREATE TABLE t (id int, a int, PRIMARY KEY (id))",
		"CREATE TABLE t (id int, b int, PRIMARY KEY (id))",
		"CREATE TABLE t (id int, b text, PRIMARY KEY (id))",
	};
	dm__check_item it = shard(ok, 2, true, false);

	(void)state;
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	assert_string_equal(it.pub.extra, "sharding `m`.`t`");
	dm__check_item_free(&it);
	it = shard(bad, 3, true, false);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	assert_int_equal(it.pub.nerrors, 1);
	assert_string_equal(it.pub.errors[0].short_error,
			    "column b has different definitions");
	assert_string_equal(it.pub.errors[0].self,
			    "sourceID src-b table `s2`.`t` column b int");
	assert_string_equal(it.pub.errors[0].other,
			    "sourceID src-a table `s3`.`t` column b text");
	dm__check_item_free(&it);
}

static void test_check__shards_auto_increment_keys(void **state)
{
	const char *single[] = {
		"CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, PRIMARY KEY "
		"(id))",
		"CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, PRIMARY KEY "
		"(id))",
	};
	const char *unique[] = {
		"CREATE TABLE t (id int AUTO_INCREMENT UNIQUE, x int)",
		"CREATE TABLE t (id int AUTO_INCREMENT UNIQUE, x int)",
	};
	const char *composite[] = {
		"CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, shard int NOT "
		"NULL, PRIMARY KEY (id, shard))",
		"CREATE TABLE t (id int NOT NULL AUTO_INCREMENT, shard int NOT "
		"NULL, PRIMARY KEY (id, shard))",
	};
	dm__check_item it = shard(single, 2, false, true);

	(void)state;
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	assert_int_equal(it.pub.nerrors, 2);
	assert_string_equal(it.pub.errors[0].short_error,
			    "sourceID src-a table `s1`.`t` of sharding `m`.`t` "
			    "have auto-increment key id, would conflict with "
			    "each other to cause data corruption");
	assert_non_null(it.pub.errors[0].instruction);
	assert_string_equal(it.pub.extra, "auto-increment key checking");
	dm__check_item_free(&it);
	/* Ignored: the same tables pass. */
	it = shard(single, 2, false, false);
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	dm__check_item_free(&it);
	it = shard(unique, 2, true, true);
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	dm__check_item_free(&it);
	it = shard(composite, 2, false, true);
	assert_int_equal(it.pub.state, DM_CHECK_SUCCESS);
	dm__check_item_free(&it);
}

static void test_check__shard_member_without_structure(void **state)
{
	const char *sql[] = {
		"CREATE TABLE t (id int PRIMARY KEY)",
		NULL,
	};
	dm__check_item it = shard(sql, 2, false, true);

	(void)state;
	assert_int_equal(it.pub.state, DM_CHECK_FAIL);
	check_test_has_error(&it, DM_CHECK_FAIL,
			     "sourceID src-b table `s2`.`t`: statement cannot "
			     "be parsed");
	dm__check_item_free(&it);
}

/* ------------------------------------------------------------- names */

static void test_check__target_names_clash_by_case(void **state)
{
	const dm_check_table a[] = {
		{ "up", "t1", "Shop", "Orders" },
		{ "up", "t2", "shop", "orders" },
		{ "up", "T3", NULL, NULL },
	};
	const dm_check_table b[] = {
		{ "shop", "orders", NULL, "" }, /* same name: a merge */
		{ "UP", "t3", "", NULL },
	};
	dm_check_source src[2];
	dm_check_opts o = DM_CHECK_OPTS_INIT;
	dm_error *e = NULL;

	(void)state;
	memset(src, 0, sizeof(src));
	src[0].source_id = "a";
	src[0].tables = a;
	src[0].ntables = 3;
	src[1].source_id = "b";
	src[1].tables = b;
	src[1].ntables = 2;
	o.sources = src;
	o.nsources = 2;
	assert_int_equal(dm__check_same_table_names(&o, &e),
			 DM_E_TASK_CHECK_SAME_TABLE_NAME);
	assert_int_equal(dm_error_code(e), 26001);
	assert_non_null(strstr(dm_error_message(e),
			       "[same target table `Shop`.`Orders` vs "
			       "`shop`.`orders` same target table `up`.`T3` vs "
			       "`UP`.`t3`]"));
	dm_error_free(e);
	e = NULL;
	src[0].ntables = 1;
	src[1].ntables = 0;
	assert_int_equal(dm__check_same_table_names(&o, &e), 0);
	assert_null(e);
	assert_string_equal(dm__check_target_schema(&b[0]), "shop");
	assert_string_equal(dm__check_target_table(&b[0]), "orders");
}

int check_test_tables_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__table_with_keys_passes),
		cmocka_unit_test(test_check__table_without_keys_fails),
		cmocka_unit_test(test_check__foreign_key_warns),
		cmocka_unit_test(test_check__charsets_builtin_and_from_target),
		cmocka_unit_test(test_check__table_not_create_table),
		cmocka_unit_test(test_check__shards_with_same_columns_pass),
		cmocka_unit_test(test_check__shards_with_other_columns_fail),
		cmocka_unit_test(test_check__shards_optimistic_allow_other_columns),
		cmocka_unit_test(test_check__shards_auto_increment_keys),
		cmocka_unit_test(test_check__shard_member_without_structure),
		cmocka_unit_test(test_check__target_names_clash_by_case),
	};

	return cmocka_run_group_tests_name("check_tables", tests, NULL, NULL);
}
