/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Routing: renaming schemas and tables everywhere in a statement,
 * qualifying bare names with the default database, splitting statements
 * and splitting a text into statements.
 */
#include "sql_test.h"

#include <stdlib.h>
#include <string.h>

/* Renames db.t -> db2.t2 for every table t; schema "old" -> "new". */
static int rename_cb(const char *schema, const char *table,
		     const char **new_schema, const char **new_table,
		     void *userdata)
{
	int *calls = userdata;

	(*calls)++;
	if (!strcmp(schema, "old"))
		*new_schema = "new";
	if (table && !strcmp(schema, "db")) {
		*new_schema = "db2";
		if (!strcmp(table, "t"))
			*new_table = "t2";
	}
	return 0;
}

static char *restore_with(const char *sql, const char *default_db,
			  bool rename, bool qualify, int *calls)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_stmt *st;
	char *text;

	po.default_db = default_db;
	st = sqlt_parse(sql, &po);
	if (rename) {
		ro.rename = rename_cb;
		ro.rename_userdata = calls;
	}
	ro.qualify = qualify;
	text = sqlt_restore(st, &ro);
	dm_sql_stmt_free(st);
	return text;
}

struct rename_case {
	const char *sql;
	const char *default_db;
	const char *out;
	int calls;
};

static const struct rename_case rename_cases[] = {
	{ "CREATE TABLE db.t (a INT)", NULL, "CREATE TABLE `db2`.`t2` (`a` INT)", 1 },
	{ "CREATE TABLE t (a INT)", "db", "CREATE TABLE `db2`.`t2` (`a` INT)", 1 },
	{ "CREATE TABLE t (a INT)", "other", "CREATE TABLE `t` (`a` INT)", 1 },
	{ "CREATE TABLE db.u (a INT, FOREIGN KEY (a) REFERENCES t (id))", "db",
	  "CREATE TABLE `db2`.`u` (`a` INT, FOREIGN KEY (`a`) REFERENCES `db2`.`t2` (`id`))", 2 },
	{ "CREATE TABLE db.t (a INT, b INT AS (t.a + 1), CHECK (db.t.a > 0))", NULL,
	  "CREATE TABLE `db2`.`t2` (`a` INT, `b` INT GENERATED ALWAYS AS (`db2`.`t2`.`a` + 1) VIRTUAL, "
	  "CHECK (`db2`.`t2`.`a` > 0))", 3 },
	{ "CREATE TABLE x.m (a INT) ENGINE=MRG_MyISAM UNION=(db.t, x.y)", NULL,
	  "CREATE TABLE `x`.`m` (`a` INT) ENGINE=MRG_MyISAM UNION=(`db2`.`t2`,`x`.`y`)", 3 },
	{ "CREATE TABLE db.t LIKE db.s", NULL, "CREATE TABLE `db2`.`t2` LIKE `db2`.`s`", 2 },
	{ "ALTER TABLE db.t RENAME TO db.s, ADD COLUMN a INT", NULL,
	  "ALTER TABLE `db2`.`t2` RENAME TO `db2`.`s`, ADD COLUMN `a` INT", 2 },
	{ "RENAME TABLE db.t TO db.s, x.a TO x.b", NULL,
	  "RENAME TABLE `db2`.`t2` TO `db2`.`s`, `x`.`a` TO `x`.`b`", 4 },
	{ "DROP TABLE db.t, t", "x", "DROP TABLE `db2`.`t2`, `t`", 2 },
	{ "TRUNCATE t", "db", "TRUNCATE TABLE `db2`.`t2`", 1 },
	{ "CREATE INDEX i ON db.t (a)", NULL, "CREATE INDEX `i` ON `db2`.`t2` (`a`)", 1 },
	{ "DROP INDEX i ON t", "db", "DROP INDEX `i` ON `db2`.`t2`", 1 },
	{ "CREATE DATABASE old", NULL, "CREATE DATABASE `new`", 1 },
	{ "DROP DATABASE IF EXISTS old", NULL, "DROP DATABASE IF EXISTS `new`", 1 },
	{ "ALTER DATABASE old CHARACTER SET utf8", NULL, "ALTER DATABASE `new` CHARACTER SET utf8", 1 },
	{ "ALTER DATABASE CHARACTER SET utf8", "old", "ALTER DATABASE `new` CHARACTER SET utf8", 1 },
	{ "INSERT INTO t VALUES (1)", "db", "INSERT INTO `db2`.`t2` VALUES (1)", 1 },
	{ "LOCK TABLES db.t READ, x.y WRITE", NULL, "LOCK TABLES `db2`.`t2` READ, `x`.`y` WRITE", 2 },
	{ "USE old", NULL, "USE `new`", 1 },
	{ "CREATE VIEW db.t AS SELECT 1", NULL, "CREATE VIEW `db2`.`t2` AS SELECT 1", 1 },
	{ "BEGIN", "db", "BEGIN", 0 },
};

static void test_rename__everywhere_a_table_is_named(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rename_cases) / sizeof(rename_cases[0]); i++) {
		const struct rename_case *c = &rename_cases[i];
		int calls = 0;
		char *text = restore_with(c->sql, c->default_db, true, false, &calls);

		if (strcmp(text, c->out) || calls != c->calls)
			print_error("%s\n  want %s (%d calls)\n  got  %s (%d calls)\n",
				    c->sql, c->out, c->calls, text, calls);
		assert_string_equal(text, c->out);
		assert_int_equal(calls, c->calls);
		free(text);
	}
}

static void test_rename__qualify_adds_the_default_database(void **state)
{
	char *text;

	(void)state;
	text = restore_with("CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES u (b), "
			    "CHECK (t.a > 0))", "d", false, true, NULL);
	/* column qualifiers stay as written */
	assert_string_equal(text, "CREATE TABLE `d`.`t` (`a` INT, FOREIGN KEY (`a`) "
				  "REFERENCES `d`.`u` (`b`), CHECK (`t`.`a` > 0))");
	free(text);
	text = restore_with("RENAME TABLE a TO x.b", "d", false, true, NULL);
	assert_string_equal(text, "RENAME TABLE `d`.`a` TO `x`.`b`");
	free(text);
	text = restore_with("INSERT INTO a SELECT * FROM b", "d", false, true, NULL);
	assert_string_equal(text, "INSERT INTO `d`.`a` SELECT * FROM b");
	free(text);
	text = restore_with("ALTER DATABASE COLLATE utf8mb4_bin", "d", false, true, NULL);
	assert_string_equal(text, "ALTER DATABASE `d` COLLATE utf8mb4_bin");
	free(text);
	/* no default database: nothing to add */
	text = restore_with("DROP TABLE a", NULL, false, true, NULL);
	assert_string_equal(text, "DROP TABLE `a`");
	free(text);
	/* without qualify the default database is only used for renaming */
	text = restore_with("DROP TABLE a", "d", false, false, NULL);
	assert_string_equal(text, "DROP TABLE `a`");
	free(text);
}

static int failing_cb(const char *schema, const char *table,
		      const char **new_schema, const char **new_table,
		      void *userdata)
{
	(void)schema;
	(void)new_schema;
	(void)new_table;
	(void)userdata;
	return table && !strcmp(table, "bad") ? DM_E_NOT_SUPPORTED : 0;
}

static void test_rename__callback_failure_stops_restore(void **state)
{
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_stmt *st = sqlt_parse("RENAME TABLE a TO bad", NULL);
	dm_buf b = DM_BUF_INIT;
	dm_error *err = NULL;

	(void)state;
	ro.rename = failing_cb;
	assert_int_equal(dm_buf_puts(&b, "keep"), 0);
	assert_int_equal(dm_sql_restore(&b, st, &ro, &err), DM_E_NOT_SUPPORTED);
	assert_non_null(err);
	assert_non_null(strstr(dm_error_message(err), "rename callback failed"));
	/* the buffer is as before the call */
	assert_string_equal(b.data, "keep");
	dm_error_free(err);
	dm_buf_free(&b);
	dm_sql_stmt_free(st);
}

static void split_is(const char *sql, unsigned flags, const char *default_db,
		     bool qualify, const char *const *want, size_t n)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_text_list *l = NULL;
	dm_sql_stmt *st;
	size_t i, len;

	po.default_db = default_db;
	ro.qualify = qualify;
	st = sqlt_parse(sql, &po);
	assert_int_equal(dm_sql_split_stmt(&l, st, flags, &ro, NULL), 0);
	if (dm_sql_text_list_count(l) != n) {
		for (i = 0; i < dm_sql_text_list_count(l); i++)
			print_error("  piece %zu: %s\n", i, dm_sql_text_list_get(l, i, NULL));
	}
	assert_int_equal(dm_sql_text_list_count(l), n);
	for (i = 0; i < n; i++) {
		const char *s = dm_sql_text_list_get(l, i, &len);

		assert_string_equal(s, want[i]);
		assert_int_equal(len, strlen(want[i]));
		/* every piece parses again */
		dm_sql_stmt_free(sqlt_parse(s, &po));
	}
	assert_null(dm_sql_text_list_get(l, n, &len));
	assert_int_equal(len, 0);
	dm_sql_text_list_free(l);
	dm_sql_stmt_free(st);
}

static void test_rename__split_statements(void **state)
{
	static const char *const rename_pieces[] = {
		"RENAME TABLE IF EXISTS `d`.`a` WAIT 3 TO `d`.`b`",
		"RENAME TABLE IF EXISTS `x`.`c` WAIT 3 TO `d`.`e`",
	};
	static const char *const drop_pieces[] = {
		"DROP TEMPORARY TABLE IF EXISTS `a`",
		"DROP TEMPORARY TABLE IF EXISTS `s`.`b`",
	};
	static const char *const alter_pieces[] = {
		"ALTER TABLE `t` ADD COLUMN `a` INT FIRST, ALGORITHM=INPLACE, LOCK=NONE",
		"ALTER TABLE `t` DROP COLUMN `b`, ALGORITHM=INPLACE, LOCK=NONE",
		"ALTER TABLE `t` ADD COLUMN `c` INT, ALGORITHM=INPLACE, LOCK=NONE",
		"ALTER TABLE `t` ADD COLUMN `d` TEXT, ALGORITHM=INPLACE, LOCK=NONE",
		"ALTER TABLE `t` ADD KEY `k` (`a`), ALGORITHM=INPLACE, LOCK=NONE",
	};
	static const char *const rename_then[] = {
		"ALTER TABLE `d`.`t` ADD COLUMN `a` INT",
		"ALTER TABLE `d`.`t` RENAME TO `d`.`u`",
		"ALTER TABLE `d`.`u` DROP COLUMN `b`",
		"ALTER TABLE `d`.`u` ENGINE=InnoDB AUTO_INCREMENT=5",
	};
	static const char *const whole[] = {
		"ALTER TABLE `t` ADD COLUMN `a` INT, DROP COLUMN `b`",
	};
	static const char *const modifiers_only[] = {
		"ALTER TABLE `t` ALGORITHM=COPY",
	};
	static const char *const one_table[] = { "DROP TABLE `a`" };
	static const char *const other[] = { "INSERT INTO `d`.`t` VALUES (1)" };

	(void)state;
	split_is("RENAME TABLE IF EXISTS a WAIT 3 TO b, x.c TO e", 0, "d", true,
		 rename_pieces, 2);
	split_is("DROP TEMPORARY TABLE IF EXISTS a, s.b", 0, NULL, false, drop_pieces, 2);
	split_is("ALTER TABLE t ADD a INT FIRST, ALGORITHM=INPLACE, DROP b, "
		 "ADD COLUMN (c INT, d TEXT), LOCK=NONE, ADD KEY k (a)",
		 DM_SQL_SPLIT_ALTER, NULL, false, alter_pieces, 5);
	split_is("ALTER TABLE t ADD a INT, RENAME TO u, DROP b, ENGINE=InnoDB AUTO_INCREMENT=5",
		 DM_SQL_SPLIT_ALTER, "d", true, rename_then, 4);
	split_is("ALTER TABLE t ADD a INT, DROP b", 0, NULL, false, whole, 1);
	split_is("ALTER TABLE t ALGORITHM=COPY", DM_SQL_SPLIT_ALTER, NULL, false,
		 modifiers_only, 1);
	split_is("DROP TABLE a", 0, NULL, false, one_table, 1);
	split_is("INSERT INTO t VALUES (1)", DM_SQL_SPLIT_ALTER, "d", true, other, 1);
}

static void test_rename__split_applies_rename(void **state)
{
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_text_list *l = NULL;
	dm_sql_stmt *st = sqlt_parse("DROP TABLE db.t, db.x", NULL);
	int calls = 0;

	(void)state;
	ro.rename = rename_cb;
	ro.rename_userdata = &calls;
	assert_int_equal(dm_sql_split_stmt(&l, st, 0, &ro, NULL), 0);
	assert_int_equal(dm_sql_text_list_count(l), 2);
	assert_string_equal(dm_sql_text_list_get(l, 0, NULL), "DROP TABLE `db2`.`t2`");
	assert_string_equal(dm_sql_text_list_get(l, 1, NULL), "DROP TABLE `db2`.`x`");
	dm_sql_text_list_free(l);
	dm_sql_stmt_free(st);
	assert_int_equal(dm_sql_text_list_count(NULL), 0);
	dm_sql_text_list_free(NULL);
}

static void spans_are(const char *text, const dm_sql_parse_opts *po,
		      const char *const *want, size_t n)
{
	dm_sql_span *spans = NULL;
	size_t count = 99, i;

	assert_int_equal(dm_sql_split(&spans, &count, text, strlen(text), po, NULL), 0);
	if (count != n)
		for (i = 0; i < count; i++)
			print_error("  span %zu: '%.*s'\n", i, (int)spans[i].len,
				    text + spans[i].offset);
	assert_int_equal(count, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(spans[i].len, strlen(want[i]));
		assert_memory_equal(text + spans[i].offset, want[i], spans[i].len);
	}
	dm_sql_spans_free(spans);
}

static void test_rename__split_text_into_statements(void **state)
{
	static const char *const a[] = {
		"CREATE TABLE t (a VARCHAR(3) DEFAULT ';')",
		"INSERT INTO t VALUES ('x;y', \"z;\")",
		"-- comment; still comment\nSELECT `semi;colon`",
		"/*!40101 SET x=1 */",
		"SELECT 'a\\';b'",
	};
	static const char *const b[] = { "SELECT 'a\\'", "SELECT 'b'" };
	static const char *const c[] = { "SELECT 1 /* ; */ + 2", "SELECT \"x\"" };
	const char *text = "  CREATE TABLE t (a VARCHAR(3) DEFAULT ';');\n"
			   "INSERT INTO t VALUES ('x;y', \"z;\") ;;\n"
			   "-- comment; still comment\nSELECT `semi;colon`;\n"
			   "/*!40101 SET x=1 */;\n"
			   "SELECT 'a\\';b'\n\n";
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_span *spans = NULL;
	size_t n = 5;
	dm_error *err = NULL;

	(void)state;
	spans_are(text, NULL, a, 5);
	po.sql_mode = DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
	spans_are("SELECT 'a\\';SELECT 'b'", &po, b, 2);
	po.sql_mode = DM_SQL_MODE_ANSI_QUOTES;
	spans_are("SELECT 1 /* ; */ + 2; SELECT \"x\"", &po, c, 2);
	spans_are("", NULL, NULL, 0);
	spans_are(" ; -- x\n ; /* y */", NULL, NULL, 0);
	assert_int_equal(dm_sql_split(&spans, &n, "SELECT 1; SELECT 'x", 19, NULL, &err),
			 DM_E_PARSE_SQL);
	assert_non_null(strstr(dm_error_message(err), "line 1 column 18"));
	assert_null(spans);
	assert_int_equal(n, 0);
	dm_error_free(err);
	assert_int_equal(dm_sql_split(NULL, &n, "x", 1, NULL, NULL), DM_E_INVALID_ARGUMENT);
}

int sql_test_rename_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rename__everywhere_a_table_is_named),
		cmocka_unit_test(test_rename__qualify_adds_the_default_database),
		cmocka_unit_test(test_rename__callback_failure_stops_restore),
		cmocka_unit_test(test_rename__split_statements),
		cmocka_unit_test(test_rename__split_applies_rename),
		cmocka_unit_test(test_rename__split_text_into_statements),
	};

	return cmocka_run_group_tests_name("sql_rename", tests, NULL, NULL);
}
