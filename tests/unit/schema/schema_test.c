/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/schema: the table model, the tracker's DDL handling, name rules,
 * snapshots and the JSON form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"

static dm_schema_tracker *new_tracker(int lctn)
{
	dm_schema_opts o = DM_SCHEMA_OPTS_INIT;
	dm_schema_tracker *tr = NULL;

	o.lower_case_table_names = lctn;
	assert_int_equal(dm_schema_tracker_new(&tr, &o, NULL), 0);
	return tr;
}

static void apply_ok(dm_schema_tracker *tr, const char *sql)
{
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	if (dm_schema_tracker_apply(tr, sql, strlen(sql), "db", &e) != 0) {
		dm_error_format(&b, e, 0);
		fail_msg("%s: %s", sql, b.data);
	}
}

static int apply_code(dm_schema_tracker *tr, const char *sql)
{
	dm_error *e = NULL;
	int rc = dm_schema_tracker_apply(tr, sql, strlen(sql), "db", &e);

	dm_error_free(e);
	return rc;
}

static char *create_sql(const dm_schema_tracker *tr, const char *s,
			const char *t)
{
	dm_buf b = DM_BUF_INIT;
	const dm_schema_table *tb = dm_schema_tracker_get(tr, s, t);

	assert_non_null(tb);
	assert_int_equal(dm_schema_table_create_sql(&b, tb, NULL), 0);
	return dm_buf_detach(&b);
}

static void test_schema__create_table_normalises_like_mariadb(void **state)
{
	dm_schema_tracker *tr = new_tracker(0);
	const dm_schema_table *t;
	const dm_schema_column *c;
	char *sql;

	(void)state;
	apply_ok(tr, "CREATE DATABASE db DEFAULT CHARSET utf8mb4");
	apply_ok(tr, "CREATE TABLE t (id INT UNSIGNED PRIMARY KEY, "
		     "d DECIMAL(6,2) DEFAULT 1.5, n INT DEFAULT '07', "
		     "s VARCHAR(10) CHARACTER SET latin1 DEFAULT 5, b BOOL, "
		     "z INT(4) ZEROFILL DEFAULT 3, x TEXT, KEY (n), KEY (n))");
	t = dm_schema_tracker_get(tr, "db", "t");
	assert_non_null(t);
	assert_int_equal(dm_schema_table_ncolumns(t), 7);
	c = dm_schema_table_column(t, 0);
	assert_string_equal(c->type, "int(10) unsigned");
	assert_false(c->nullable);
	assert_null(c->default_sql);
	assert_string_equal(dm_schema_table_column(t, 1)->default_sql, "1.50");
	assert_string_equal(dm_schema_table_column(t, 2)->default_sql, "7");
	c = dm_schema_table_column(t, 3);
	assert_string_equal(c->default_sql, "'5'");
	assert_string_equal(c->collation, "latin1_swedish_ci");
	assert_string_equal(dm_schema_table_column(t, 4)->type, "tinyint(1)");
	assert_string_equal(dm_schema_table_column(t, 5)->default_sql, "0003");
	assert_string_equal(dm_schema_table_column(t, 6)->charset, "utf8mb4");
	assert_int_equal(dm_schema_table_nkeys(t), 3);
	assert_string_equal(dm_schema_table_key(t, 0)->name, "PRIMARY");
	assert_string_equal(dm_schema_table_key(t, 1)->name, "n");
	assert_string_equal(dm_schema_table_key(t, 2)->name, "n_2");
	sql = create_sql(tr, "db", "t");
	assert_non_null(strstr(sql, "`s` varchar(10) CHARACTER SET latin1 "
				    "COLLATE latin1_swedish_ci DEFAULT '5'"));
	assert_non_null(strstr(sql, "DEFAULT CHARSET=utf8mb4 "
				    "COLLATE=utf8mb4_general_ci"));
	free(sql);
	dm_schema_tracker_free(tr);
}

static void test_schema__alter_specs_change_columns_and_keys(void **state)
{
	dm_schema_tracker *tr = new_tracker(0);
	const dm_schema_table *t;

	(void)state;
	apply_ok(tr, "CREATE TABLE t (a INT, b INT, c VARCHAR(5), "
		     "UNIQUE KEY u (a, b), KEY k (b, c))");
	assert_int_equal(apply_code(tr, "ALTER TABLE t DROP COLUMN a"),
			 DM_E_SCHEMA_TRACKER_CANNOT_EXEC_DDL);
	apply_ok(tr, "ALTER TABLE t DROP COLUMN c, ADD COLUMN d TEXT FIRST, "
		     "CHANGE b bb BIGINT NOT NULL AFTER d, RENAME INDEX k TO kk");
	t = dm_schema_tracker_get(tr, "db", "t");
	assert_string_equal(dm_schema_table_column(t, 0)->name, "d");
	assert_string_equal(dm_schema_table_column(t, 1)->name, "bb");
	assert_string_equal(dm_schema_table_column(t, 1)->type, "bigint(20)");
	assert_string_equal(dm_schema_table_key(t, 1)->name, "kk");
	assert_int_equal(dm_schema_table_key(t, 1)->nparts, 1);
	assert_string_equal(dm_schema_table_key(t, 0)->parts[1].column, "bb");
	apply_ok(tr, "ALTER TABLE t ALTER COLUMN a SET DEFAULT 4, "
		     "ADD PRIMARY KEY (a)");
	t = dm_schema_tracker_get(tr, "db", "t");
	assert_false(dm_schema_table_column(t, 2)->nullable);
	assert_string_equal(dm_schema_table_column(t, 2)->default_sql, "4");
	apply_ok(tr, "ALTER TABLE t CONVERT TO CHARACTER SET latin1");
	apply_ok(tr, "ALTER TABLE t CONVERT TO CHARACTER SET utf8mb4");
	t = dm_schema_tracker_get(tr, "db", "t");
	assert_string_equal(dm_schema_table_column(t, 0)->type, "mediumtext");
	apply_ok(tr, "CREATE INDEX ix ON t (bb)");
	apply_ok(tr, "DROP INDEX ix ON t");
	apply_ok(tr, "ALTER TABLE t RENAME TO db2.t2");
	assert_null(dm_schema_tracker_get(tr, "db", "t"));
	assert_non_null(dm_schema_tracker_get(tr, "db2", "t2"));
	apply_ok(tr, "RENAME TABLE db2.t2 TO t3, t3 TO t4");
	apply_ok(tr, "TRUNCATE t4");
	apply_ok(tr, "INSERT INTO t4 VALUES (1)"); /* ignored */
	assert_int_equal(apply_code(tr, "DROP TABLE t4, nope"),
			 DM_E_SCHEMA_TRACKER_CANNOT_DROP_TABLE);
	assert_non_null(dm_schema_tracker_get(tr, "db", "t4"));
	apply_ok(tr, "DROP TABLE IF EXISTS t4, nope");
	assert_int_equal(dm_schema_tracker_count(tr), 0);
	assert_int_equal(apply_code(tr, "ALTER TABLE nope ADD x INT"),
			 DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE);
	assert_int_equal(apply_code(tr, "CREATE TABLE ("),
			 DM_E_SCHEMA_TRACKER_CANNOT_EXEC_DDL);
	dm_schema_tracker_free(tr);
}

static void test_schema__lower_case_table_names(void **state)
{
	dm_schema_tracker *t0 = new_tracker(0), *t1 = new_tracker(1),
			  *t2 = new_tracker(2);

	(void)state;
	apply_ok(t0, "CREATE TABLE Db.Tab (a INT)");
	assert_null(dm_schema_tracker_get(t0, "db", "tab"));
	assert_non_null(dm_schema_tracker_get(t0, "Db", "Tab"));
	apply_ok(t1, "CREATE TABLE Db.Tab (a INT)");
	assert_string_equal(dm_schema_table_name(
		dm_schema_tracker_get(t1, "DB", "TAB")), "tab");
	apply_ok(t2, "CREATE TABLE Db.Tab (a INT)");
	assert_string_equal(dm_schema_table_name(
		dm_schema_tracker_get(t2, "db", "tab")), "Tab");
	assert_int_equal(apply_code(t2, "CREATE TABLE DB.TAB (a INT)"),
			 DM_E_SCHEMA_TRACKER_CANNOT_CREATE_TABLE);
	dm_schema_tracker_free(t0);
	dm_schema_tracker_free(t1);
	dm_schema_tracker_free(t2);
}

static void test_schema__snapshot_restore_and_json_round_trip(void **state)
{
	dm_schema_tracker *tr = new_tracker(0), *snap = NULL, *back = NULL;
	dm_schema_tracker *snap2 = NULL;
	dm_buf j1 = DM_BUF_INIT, j2 = DM_BUF_INIT;
	dm_error *e = NULL;
	char *a, *b;

	(void)state;
	apply_ok(tr, "CREATE DATABASE db CHARACTER SET latin1");
	apply_ok(tr, "CREATE TABLE t (a INT NOT NULL, b VARCHAR(9) "
		     "CHARACTER SET utf8mb4 DEFAULT 'it''s\\\\', c DATETIME(3) "
		     "DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE "
		     "CURRENT_TIMESTAMP(3), g INT AS (a + 1) VIRTUAL INVISIBLE "
		     "COMMENT 'x\"y', PRIMARY KEY (a), UNIQUE KEY (b(4))) "
		     "ENGINE=InnoDB COMMENT='tab'");
	apply_ok(tr, "CREATE TABLE u LIKE t");
	assert_int_equal(dm_schema_tracker_snapshot(&snap, tr, NULL), 0);
	apply_ok(tr, "ALTER TABLE t DROP COLUMN c");
	apply_ok(tr, "DROP TABLE u");
	a = create_sql(snap, "db", "t");
	assert_non_null(strstr(a, "`c` datetime(3)"));
	assert_int_equal(dm_schema_tracker_restore(tr, snap, NULL), 0);
	b = create_sql(tr, "db", "t");
	assert_string_equal(a, b);
	assert_non_null(dm_schema_tracker_get(tr, "db", "u"));
	assert_int_equal(dm_schema_tracker_to_json(&j1, tr, NULL), 0);
	if (dm_schema_tracker_from_json(&back, j1.data, j1.len, NULL, &e) != 0)
		fail_msg("%s\n%s", dm_error_message(e), j1.data);
	assert_int_equal(dm_schema_tracker_to_json(&j2, back, NULL), 0);
	assert_string_equal(j1.data, j2.data);
	assert_true(dm_schema_tracker_has_schema(back, "db"));
	assert_int_equal(dm_schema_tracker_from_json(&snap2, "{\"x\":", 5,
						     NULL, &e) < 0, 1);
	assert_int_equal(dm_error_code(e), 44001);
	dm_error_free(e);
	free(a);
	free(b);
	dm_buf_free(&j1);
	dm_buf_free(&j2);
	dm_schema_tracker_free(snap);
	dm_schema_tracker_free(back);
	dm_schema_tracker_free(tr);
}

/* A hand-edited or foreign saved form: the database gives half a charset
 * pair in odd case, and a charset name that is not a bare word. What loads
 * saves to a form that loads back the same (found by the table_info_json
 * fuzz target), and a syntax error says where it is. */
static void test_schema__json_load_normalises_charsets(void **state)
{
	static const char saved[] =
		"{\"version\":1,\"lower_case_table_names\":0,\"databases\":["
		"{\"name\":\"a\",\"charset\":\"UTF8MB4\"},"
		"{\"name\":\"b\",\"charset\":\"x(y\",\"collation\":null},"
		"{\"name\":\"c\",\"collation\":\"UTF8_bin\"},"
		"{\"name\":\"e\",\"charset\":\"Default\"}],"
		"\"tables\":[{\"schema\":\"a\",\"table\":\"t\",\"create\":"
		"\"CREATE TABLE t (i INT)\"},{\"schema\":\"b\",\"table\":"
		"\"t\",\"create\":\"CREATE TABLE t (i INT)\"},{\"schema\":"
		"\"c\",\"table\":\"t\",\"create\":\"CREATE TABLE t (i INT)\"}]}";
	dm_schema_tracker *tr = NULL, *back = NULL;
	dm_buf j1 = DM_BUF_INIT, j2 = DM_BUF_INIT;
	dm_error *e = NULL;
	char *sql;

	(void)state;
	if (dm_schema_tracker_from_json(&tr, saved, strlen(saved), NULL, &e))
		fail_msg("%s", dm_error_message(e));
	sql = create_sql(tr, "a", "t");
	assert_non_null(strstr(sql, "DEFAULT CHARSET=utf8mb4 "
				    "COLLATE=utf8mb4_general_ci"));
	free(sql);
	sql = create_sql(tr, "b", "t");
	assert_non_null(strstr(sql, "DEFAULT CHARSET='x(y' "
				    "COLLATE='x(y_general_ci'"));
	free(sql);
	sql = create_sql(tr, "c", "t");
	assert_non_null(strstr(sql, "DEFAULT CHARSET=utf8mb3 "
				    "COLLATE=utf8mb3_bin"));
	free(sql);
	/* CHARACTER SET DEFAULT is the server's: not recorded. */
	apply_ok(tr, "CREATE TABLE e.t (i INT)");
	sql = create_sql(tr, "e", "t");
	assert_null(strstr(sql, "CHARSET"));
	free(sql);
	/* A NUL in a default is written as \0, not cut off. */
	apply_ok(tr, "CREATE TABLE a.n (s CHAR(3) DEFAULT 'a\\0b')");
	sql = create_sql(tr, "a", "n");
	assert_non_null(strstr(sql, "DEFAULT 'a\\0b'"));
	free(sql);
	/* A string default of a number column that is no number stays a
	 * string (as a bare word it would read back as a column). */
	apply_ok(tr, "CREATE TABLE a.d (i INT DEFAULT 'u00e9', "
		     "j INT DEFAULT ' 12')");
	sql = create_sql(tr, "a", "d");
	assert_non_null(strstr(sql, "`i` int(11) DEFAULT 'u00e9'"));
	assert_non_null(strstr(sql, "`j` int(11) DEFAULT 12"));
	free(sql);
	assert_int_equal(dm_schema_tracker_to_json(&j1, tr, NULL), 0);
	if (dm_schema_tracker_from_json(&back, j1.data, j1.len, NULL, &e))
		fail_msg("%s\n%s", dm_error_message(e), j1.data);
	assert_int_equal(dm_schema_tracker_to_json(&j2, back, NULL), 0);
	assert_string_equal(j1.data, j2.data);
	dm_schema_tracker_free(back);
	back = NULL;
	assert_true(dm_schema_tracker_from_json(&back, "{\"version\": 1,]",
						15, NULL, &e) < 0);
	assert_null(back);
	assert_non_null(strstr(dm_error_message(e), "byte offset 14"));
	dm_error_free(e);
	dm_buf_free(&j1);
	dm_buf_free(&j2);
	dm_schema_tracker_free(tr);
}

static void test_schema__set_and_remove_table(void **state)
{
	dm_schema_tracker *tr = new_tracker(0);
	const char *ct = "CREATE TABLE `whatever` (`a` int(11) DEFAULT NULL)";

	(void)state;
	assert_int_equal(dm_schema_tracker_set_table(tr, "s", "t", ct,
						     strlen(ct), NULL), 0);
	assert_int_equal(dm_schema_table_ncolumns(
		dm_schema_tracker_get(tr, "s", "t")), 1);
	/* Names must be given (a saved form with "table": "" found by the
	 * table_info_json fuzz target). */
	assert_int_equal(dm_schema_tracker_set_table(tr, "s", "", ct,
						     strlen(ct), NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_schema_tracker_set_table(tr, "", "t", ct,
						     strlen(ct), NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_schema_tracker_set_table(tr, "s", "t", "DROP TABLE x",
						     12, NULL),
			 DM_E_SCHEMA_TRACKER_INVALID_CREATE_TABLE_STMT);
	assert_int_equal(dm_schema_tracker_remove_table(tr, "s", "t", NULL), 0);
	assert_int_equal(dm_schema_tracker_remove_table(tr, "s", "t", NULL),
			 DM_E_SCHEMA_TRACKER_CANNOT_DROP_TABLE);
	dm_schema_tracker_free(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schema__create_table_normalises_like_mariadb),
		cmocka_unit_test(test_schema__alter_specs_change_columns_and_keys),
		cmocka_unit_test(test_schema__lower_case_table_names),
		cmocka_unit_test(test_schema__snapshot_restore_and_json_round_trip),
		cmocka_unit_test(test_schema__json_load_normalises_charsets),
		cmocka_unit_test(test_schema__set_and_remove_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
