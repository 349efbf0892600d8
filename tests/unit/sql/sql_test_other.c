/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Statements without a full tree: their kind, the tables they touch, and
 * the token-level restore (tables renamed and quoted, the rest as written).
 */
#include "sql_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pair {
	const char *in;
	const char *out;
};

static const struct pair other_pairs[] = {
	{ "ALTER TABLE t ORDER BY a DESC, b, ADD COLUMN x INT",
	  "ALTER TABLE `t` ORDER BY a DESC, b, ADD COLUMN `x` INT" },
	{ "CREATE VIEW v AS SELECT a FROM t",
	  "CREATE VIEW `v` AS SELECT a FROM t" },
	{ "CREATE OR REPLACE ALGORITHM=MERGE DEFINER='root'@'%' SQL SECURITY INVOKER VIEW db.v (x) AS SELECT 1",
	  "CREATE OR REPLACE ALGORITHM = MERGE DEFINER = 'root'@'%' SQL SECURITY INVOKER VIEW `db`.`v` (x) AS SELECT 1" },
	{ "ALTER VIEW v AS SELECT 2",
	  "ALTER VIEW `v` AS SELECT 2" },
	{ "DROP VIEW IF EXISTS v1, db.v2 CASCADE",
	  "DROP VIEW IF EXISTS `v1`, `db`.`v2` CASCADE" },
	{ "CREATE TRIGGER db.trg AFTER UPDATE ON t FOR EACH ROW BEGIN UPDATE t2 SET a = 1; END",
	  "CREATE TRIGGER db.trg AFTER UPDATE ON `db`.`t` FOR EACH ROW BEGIN UPDATE t2 SET a = 1; END" },
	{ "DROP TRIGGER IF EXISTS db.trg",
	  "DROP TRIGGER IF EXISTS db.trg" },
	{ "CREATE PROCEDURE p(IN a INT) BEGIN SELECT a; END",
	  "CREATE PROCEDURE p(IN a INT) BEGIN SELECT a; END" },
	{ "CREATE DEFINER=CURRENT_USER FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
	  "CREATE DEFINER = CURRENT_USER FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1" },
	{ "DROP PROCEDURE IF EXISTS p",
	  "DROP PROCEDURE IF EXISTS p" },
	{ "DROP FUNCTION f",
	  "DROP FUNCTION f" },
	{ "CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t",
	  "CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t" },
	{ "ALTER EVENT e DISABLE",
	  "ALTER EVENT e DISABLE" },
	{ "DROP EVENT e",
	  "DROP EVENT e" },
	{ "CREATE USER 'u'@'localhost' IDENTIFIED BY 'secret'",
	  "CREATE USER 'u'@'localhost' IDENTIFIED BY 'secret'" },
	{ "ALTER USER u@localhost PASSWORD EXPIRE",
	  "ALTER USER u@localhost PASSWORD EXPIRE" },
	{ "DROP USER 'u'@'%'",
	  "DROP USER 'u'@'%'" },
	{ "RENAME USER a TO b",
	  "RENAME USER a TO b" },
	{ "GRANT SELECT, INSERT ON db.t TO 'u'@'%'",
	  "GRANT SELECT, INSERT ON `db`.`t` TO 'u'@'%'" },
	{ "GRANT ALL ON db.* TO u",
	  "GRANT ALL ON `db`.* TO u" },
	{ "GRANT ALL PRIVILEGES ON *.* TO 'u'@'%' WITH GRANT OPTION",
	  "GRANT ALL PRIVILEGES ON *.* TO 'u'@'%' WITH GRANT OPTION" },
	{ "REVOKE SELECT (a, b) ON t FROM u",
	  "REVOKE SELECT (a, b) ON `t` FROM u" },
	{ "SET PASSWORD FOR 'u'@'%' = PASSWORD('x')",
	  "SET PASSWORD FOR 'u'@'%' = PASSWORD('x')" },
	{ "FLUSH TABLES",
	  "FLUSH TABLES" },
	{ "FLUSH TABLES t1, db.t2",
	  "FLUSH TABLES `t1`, `db`.`t2`" },
	{ "FLUSH NO_WRITE_TO_BINLOG TABLES t WITH READ LOCK",
	  "FLUSH NO_WRITE_TO_BINLOG TABLES `t` WITH READ LOCK" },
	{ "FLUSH PRIVILEGES",
	  "FLUSH PRIVILEGES" },
	{ "ANALYZE TABLE t1, t2",
	  "ANALYZE TABLE `t1`, `t2`" },
	{ "OPTIMIZE NO_WRITE_TO_BINLOG TABLE t",
	  "OPTIMIZE NO_WRITE_TO_BINLOG TABLE `t`" },
	{ "REPAIR TABLE t QUICK",
	  "REPAIR TABLE `t` QUICK" },
	{ "CHECK TABLE t FOR UPGRADE",
	  "CHECK TABLE `t` FOR UPGRADE" },
	{ "CHECKSUM TABLE t1, t2 EXTENDED",
	  "CHECKSUM TABLE `t1`, `t2` EXTENDED" },
	{ "SET @@session.sql_mode = 'ANSI', @a := 1, autocommit = 0",
	  "SET @@session.sql_mode = 'ANSI', @a := 1, autocommit = 0" },
	{ "SET GLOBAL read_only = 1",
	  "SET GLOBAL read_only = 1" },
	{ "BEGIN",
	  "BEGIN" },
	{ "BEGIN WORK",
	  "BEGIN WORK" },
	{ "START TRANSACTION READ ONLY",
	  "START TRANSACTION READ ONLY" },
	{ "COMMIT",
	  "COMMIT" },
	{ "COMMIT WORK AND NO CHAIN",
	  "COMMIT WORK AND NO CHAIN" },
	{ "ROLLBACK",
	  "ROLLBACK" },
	{ "ROLLBACK TO SAVEPOINT s1",
	  "ROLLBACK TO SAVEPOINT s1" },
	{ "SAVEPOINT s1",
	  "SAVEPOINT s1" },
	{ "RELEASE SAVEPOINT s1",
	  "RELEASE SAVEPOINT s1" },
	{ "XA START 'x'",
	  "XA START 'x'" },
	{ "XA COMMIT 'x'",
	  "XA COMMIT 'x'" },
	{ "INSERT INTO t (a, b) VALUES (1, 'x'), (2, \"y\")",
	  "INSERT INTO `t` (a, b) VALUES (1, 'x'), (2, 'y')" },
	{ "INSERT LOW_PRIORITY IGNORE db.t SET a = 1",
	  "INSERT LOW_PRIORITY IGNORE `db`.`t` SET a = 1" },
	{ "INSERT INTO t SELECT * FROM u ON DUPLICATE KEY UPDATE a = VALUES(a)",
	  "INSERT INTO `t` SELECT * FROM u ON DUPLICATE KEY UPDATE a = VALUES(a)" },
	{ "REPLACE INTO t VALUES (1)",
	  "REPLACE INTO `t` VALUES (1)" },
	{ "REPLACE DELAYED t VALUES (1)",
	  "REPLACE DELAYED `t` VALUES (1)" },
	{ "UPDATE t SET a = a + 1 WHERE id = 5",
	  "UPDATE `t` SET a = a + 1 WHERE id = 5" },
	{ "UPDATE LOW_PRIORITY IGNORE t1, db.t2 SET t1.a = t2.a WHERE t1.id = t2.id",
	  "UPDATE LOW_PRIORITY IGNORE `t1`, `db`.`t2` SET t1.a = t2.a WHERE t1.id = t2.id" },
	{ "UPDATE t1 JOIN t2 ON t1.id = t2.id LEFT JOIN t3 USING (id) SET t1.a = 1",
	  "UPDATE `t1` JOIN `t2` ON t1.id = t2.id LEFT JOIN `t3` USING (id) SET t1.a = 1" },
	{ "DELETE FROM t WHERE a = 1",
	  "DELETE FROM `t` WHERE a = 1" },
	{ "DELETE QUICK IGNORE FROM db.t",
	  "DELETE QUICK IGNORE FROM `db`.`t`" },
	{ "DELETE t1, t2.* FROM t1 INNER JOIN t2 WHERE t1.id = t2.id",
	  "DELETE `t1`, `t2`.* FROM t1 INNER JOIN t2 WHERE t1.id = t2.id" },
	{ "DELETE FROM t1, t2 USING t1 INNER JOIN t2 INNER JOIN t3 WHERE t1.id = t2.id",
	  "DELETE FROM `t1`, `t2` USING t1 INNER JOIN t2 INNER JOIN t3 WHERE t1.id = t2.id" },
	{ "LOAD DATA LOCAL INFILE '/tmp/x.csv' REPLACE INTO TABLE db.t FIELDS TERMINATED BY ','",
	  "LOAD DATA LOCAL INFILE '/tmp/x.csv' REPLACE INTO TABLE `db`.`t` FIELDS TERMINATED BY ','" },
	{ "LOAD XML INFILE 'x.xml' INTO TABLE t",
	  "LOAD XML INFILE 'x.xml' INTO TABLE `t`" },
	{ "SELECT 1",
	  "SELECT 1" },
	{ "SELECT * FROM t WHERE a = 'x'",
	  "SELECT * FROM t WHERE a = 'x'" },
	{ "(SELECT 1) UNION (SELECT 2)",
	  "(SELECT 1) UNION (SELECT 2)" },
	{ "WITH c AS (SELECT 1) SELECT * FROM c",
	  "WITH c AS (SELECT 1) SELECT * FROM c" },
	{ "USE db",
	  "USE `db`" },
	{ "USE `my db`",
	  "USE `my db`" },
	{ "CREATE SEQUENCE s START WITH 1 INCREMENT BY 1",
	  "CREATE SEQUENCE `s` START WITH 1 INCREMENT BY 1" },
	{ "CREATE SEQUENCE IF NOT EXISTS db.s",
	  "CREATE SEQUENCE IF NOT EXISTS `db`.`s`" },
	{ "ALTER SEQUENCE s RESTART 10",
	  "ALTER SEQUENCE `s` RESTART 10" },
	{ "DROP SEQUENCE IF EXISTS s1, s2",
	  "DROP SEQUENCE IF EXISTS `s1`, `s2`" },
	{ "LOCK TABLES t1 READ, db.t2 AS x WRITE, t3 READ LOCAL",
	  "LOCK TABLES `t1` READ, `db`.`t2` AS x WRITE, `t3` READ LOCAL" },
	{ "LOCK TABLE t WRITE",
	  "LOCK TABLE `t` WRITE" },
	{ "UNLOCK TABLES",
	  "UNLOCK TABLES" },
	{ "CREATE ROLE r",
	  "CREATE ROLE r" },
	{ "DROP ROLE r",
	  "DROP ROLE r" },
	{ "CALL p(1)",
	  "CALL p(1)" },
	{ "DO SLEEP(1)",
	  "DO SLEEP(1)" },
	{ "SHOW TABLES",
	  "SHOW TABLES" },
	{ "EXPLAIN SELECT 1",
	  "EXPLAIN SELECT 1" },
	{ "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'x')",
	  "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'x')" },
	{ "INSTALL PLUGIN x SONAME 'x.so'",
	  "INSTALL PLUGIN x SONAME 'x.so'" },
	{ "KILL 5",
	  "KILL 5" },
	{ "PURGE BINARY LOGS TO 'mysql-bin.000003'",
	  "PURGE BINARY LOGS TO 'mysql-bin.000003'" },
	{ "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
	  "SET @OLD_CHARACTER_SET_CLIENT = @@CHARACTER_SET_CLIENT" },
	{ "/*!40000 ALTER TABLE `t` DISABLE KEYS */",
	  "ALTER TABLE `t` DISABLE KEYS" },
	{ "/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.a = 1 */",
	  "CREATE DEFINER = `root`@`localhost` TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.a = 1" },
	{ "BEGIN NOT ATOMIC SELECT 1; END",
	  "BEGIN NOT ATOMIC SELECT 1; END" },
	{ "ANALYZE TABLE t PERSISTENT FOR ALL",
	  "ANALYZE TABLE `t` PERSISTENT FOR ALL" },
	{ "SET STATEMENT max_statement_time=10 FOR SELECT 1",
	  "SET STATEMENT max_statement_time = 10 FOR SELECT 1" },
	{ "CREATE FUNCTION udf RETURNS STRING SONAME 'udf.so'",
	  "CREATE FUNCTION udf RETURNS STRING SONAME 'udf.so'" },
};

static void test_other__restores_tokens_with_quoted_tables(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(other_pairs) / sizeof(other_pairs[0]); i++)
		sqlt_restore_eq(other_pairs[i].in, other_pairs[i].out);
}

struct classify_case {
	const char *sql;
	dm_sql_kind kind;
	bool ddl;
	const char *tables; /* "s.t s.t" with default database "d" */
};

static const struct classify_case classify_cases[] = {
	{ "CREATE DATABASE x", DM_SQL_CREATE_DATABASE, true, "x." },
	{ "ALTER DATABASE CHARACTER SET utf8", DM_SQL_ALTER_DATABASE, true, "d." },
	{ "DROP SCHEMA x", DM_SQL_DROP_DATABASE, true, "x." },
	{ "CREATE TABLE t (a INT)", DM_SQL_CREATE_TABLE, true, "d.t" },
	{ "CREATE TABLE s.t LIKE u", DM_SQL_CREATE_TABLE_LIKE, true, "s.t d.u" },
	{ "ALTER TABLE t RENAME TO s.u, ADD a INT", DM_SQL_ALTER_TABLE, true, "d.t s.u" },
	{ "RENAME TABLE a TO b, s.c TO d", DM_SQL_RENAME_TABLE, true, "d.a d.b s.c d.d" },
	{ "DROP TABLE a, s.b", DM_SQL_DROP_TABLE, true, "d.a s.b" },
	{ "TRUNCATE t", DM_SQL_TRUNCATE_TABLE, true, "d.t" },
	{ "CREATE INDEX i ON s.t (a)", DM_SQL_CREATE_INDEX, true, "s.t" },
	{ "DROP INDEX i ON t", DM_SQL_DROP_INDEX, true, "d.t" },
	{ "CREATE VIEW s.v AS SELECT * FROM t", DM_SQL_CREATE_VIEW, true, "s.v" },
	{ "CREATE OR REPLACE DEFINER=`a`@`%` SQL SECURITY DEFINER VIEW v AS SELECT 1",
	  DM_SQL_CREATE_VIEW, true, "d.v" },
	{ "ALTER ALGORITHM=MERGE VIEW v AS SELECT 1", DM_SQL_ALTER_VIEW, true, "d.v" },
	{ "DROP VIEW IF EXISTS v, s.w", DM_SQL_DROP_VIEW, true, "d.v s.w" },
	{ "CREATE TRIGGER s.tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1",
	  DM_SQL_CREATE_TRIGGER, true, "s.t" },
	{ "CREATE DEFINER=root@localhost TRIGGER tr AFTER DELETE ON u.t FOR EACH ROW DELETE FROM x",
	  DM_SQL_CREATE_TRIGGER, true, "u.t" },
	{ "DROP TRIGGER tr", DM_SQL_DROP_TRIGGER, true, "" },
	{ "CREATE PROCEDURE p() SELECT 1", DM_SQL_CREATE_PROCEDURE, true, "" },
	{ "CREATE DEFINER=CURRENT_USER() FUNCTION f() RETURNS INT RETURN 1",
	  DM_SQL_CREATE_FUNCTION, true, "" },
	{ "CREATE AGGREGATE FUNCTION f RETURNS STRING SONAME 'x.so'",
	  DM_SQL_CREATE_FUNCTION, true, "" },
	{ "DROP PROCEDURE p", DM_SQL_DROP_PROCEDURE, true, "" },
	{ "DROP FUNCTION IF EXISTS f", DM_SQL_DROP_FUNCTION, true, "" },
	{ "ALTER PROCEDURE p COMMENT 'x'", DM_SQL_ALTER_PROCEDURE, true, "" },
	{ "ALTER FUNCTION f SQL SECURITY INVOKER", DM_SQL_ALTER_FUNCTION, true, "" },
	{ "CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1", DM_SQL_CREATE_EVENT, true, "" },
	{ "ALTER EVENT e ENABLE", DM_SQL_ALTER_EVENT, true, "" },
	{ "DROP EVENT e", DM_SQL_DROP_EVENT, true, "" },
	{ "CREATE USER u IDENTIFIED BY 'p'", DM_SQL_CREATE_USER, false, "" },
	{ "ALTER USER u ACCOUNT LOCK", DM_SQL_ALTER_USER, false, "" },
	{ "DROP USER u", DM_SQL_DROP_USER, false, "" },
	{ "RENAME USER u TO v", DM_SQL_RENAME_USER, false, "" },
	{ "CREATE ROLE r", DM_SQL_CREATE_ROLE, false, "" },
	{ "DROP ROLE r", DM_SQL_DROP_ROLE, false, "" },
	{ "GRANT SELECT ON s.t TO u", DM_SQL_GRANT, false, "s.t" },
	{ "GRANT SELECT ON TABLE t TO u", DM_SQL_GRANT, false, "d.t" },
	{ "GRANT ALL ON s.* TO u", DM_SQL_GRANT, false, "s." },
	{ "GRANT ALL ON *.* TO u", DM_SQL_GRANT, false, "" },
	{ "GRANT EXECUTE ON PROCEDURE s.p TO u", DM_SQL_GRANT, false, "" },
	{ "GRANT r TO u", DM_SQL_GRANT, false, "" },
	{ "REVOKE INSERT (a) ON t FROM u", DM_SQL_REVOKE, false, "d.t" },
	{ "SET PASSWORD = PASSWORD('x')", DM_SQL_SET_PASSWORD, false, "" },
	{ "FLUSH TABLES a, s.b", DM_SQL_FLUSH, false, "d.a s.b" },
	{ "FLUSH LOCAL TABLES", DM_SQL_FLUSH, false, "" },
	{ "FLUSH LOGS", DM_SQL_FLUSH, false, "" },
	{ "ANALYZE TABLE a, b", DM_SQL_ANALYZE, false, "d.a d.b" },
	{ "OPTIMIZE LOCAL TABLE s.a", DM_SQL_OPTIMIZE, false, "s.a" },
	{ "REPAIR NO_WRITE_TO_BINLOG TABLE a USE_FRM", DM_SQL_REPAIR, false, "d.a" },
	{ "CHECK TABLE a CHANGED", DM_SQL_CHECK, false, "d.a" },
	{ "CHECKSUM TABLE a", DM_SQL_CHECKSUM, false, "d.a" },
	{ "SET NAMES utf8mb4", DM_SQL_SET, false, "" },
	{ "SET @@SESSION.sql_mode='', @x=1", DM_SQL_SET, false, "" },
	{ "BEGIN", DM_SQL_BEGIN, false, "" },
	{ "START TRANSACTION WITH CONSISTENT SNAPSHOT", DM_SQL_BEGIN, false, "" },
	{ "COMMIT", DM_SQL_COMMIT, false, "" },
	{ "ROLLBACK WORK", DM_SQL_ROLLBACK, false, "" },
	{ "ROLLBACK WORK TO SAVEPOINT s", DM_SQL_ROLLBACK_TO_SAVEPOINT, false, "" },
	{ "SAVEPOINT s", DM_SQL_SAVEPOINT, false, "" },
	{ "RELEASE SAVEPOINT s", DM_SQL_RELEASE_SAVEPOINT, false, "" },
	{ "XA END 'x'", DM_SQL_XA, false, "" },
	{ "INSERT INTO s.t VALUES (1)", DM_SQL_INSERT, false, "s.t" },
	{ "INSERT t (a) SELECT 1", DM_SQL_INSERT, false, "d.t" },
	{ "REPLACE LOW_PRIORITY INTO t VALUES (1)", DM_SQL_REPLACE, false, "d.t" },
	{ "UPDATE t SET a = 1", DM_SQL_UPDATE, false, "d.t" },
	{ "UPDATE a AS x JOIN s.b ON x.id = b.id, c SET x.v = 1", DM_SQL_UPDATE, false, "d.a s.b d.c" },
	{ "UPDATE (SELECT 1) AS x, t SET t.a = 1", DM_SQL_UPDATE, false, "d.t" },
	{ "DELETE FROM t WHERE a > 1 LIMIT 5", DM_SQL_DELETE, false, "d.t" },
	{ "DELETE a, s.b.* FROM a JOIN s.b", DM_SQL_DELETE, false, "d.a s.b" },
	{ "DELETE FROM a.* USING a JOIN b", DM_SQL_DELETE, false, "d.a" },
	{ "LOAD DATA INFILE 'f' INTO TABLE s.t", DM_SQL_LOAD_DATA, false, "s.t" },
	{ "SELECT * FROM t", DM_SQL_SELECT, false, "" },
	{ "(SELECT 1)", DM_SQL_SELECT, false, "" },
	{ "WITH x AS (SELECT 1) SELECT 2", DM_SQL_SELECT, false, "" },
	{ "VALUES (1), (2)", DM_SQL_SELECT, false, "" },
	{ "TABLE t", DM_SQL_SELECT, false, "" },
	{ "USE s", DM_SQL_USE, false, "s." },
	{ "CREATE SEQUENCE s.q", DM_SQL_CREATE_SEQUENCE, true, "s.q" },
	{ "ALTER SEQUENCE IF EXISTS q MAXVALUE 10", DM_SQL_ALTER_SEQUENCE, true, "d.q" },
	{ "DROP TEMPORARY SEQUENCE q, r", DM_SQL_DROP_SEQUENCE, true, "d.q d.r" },
	{ "LOCK TABLES a READ, s.b AS x WRITE", DM_SQL_LOCK_TABLES, false, "d.a s.b" },
	{ "UNLOCK TABLES", DM_SQL_UNLOCK_TABLES, false, "" },
	{ "LOCK TABLE t WRITE CONCURRENT", DM_SQL_LOCK_TABLES, false, "d.t" },
	{ "CALL p()", DM_SQL_CALL, false, "" },
	{ "DO 1", DM_SQL_DO, false, "" },
	{ "SHOW CREATE TABLE t", DM_SQL_SHOW, false, "" },
	{ "EXPLAIN SELECT 1", DM_SQL_OTHER, false, "" },
	{ "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'h')", DM_SQL_OTHER, false, "" },
	{ "ALTER INSTANCE ROTATE INNODB MASTER KEY", DM_SQL_OTHER, false, "" },
	{ "DROP SERVER s", DM_SQL_OTHER, false, "" },
	{ "BEGIN NOT ATOMIC SELECT 1; END", DM_SQL_OTHER, false, "" },
	{ "START SLAVE", DM_SQL_OTHER, false, "" },
	{ "LOAD INDEX INTO CACHE t", DM_SQL_OTHER, false, "" },
	{ "LOCK INSTANCE FOR BACKUP", DM_SQL_OTHER, false, "" },
	{ "PURGE BINARY LOGS BEFORE '2020-01-01'", DM_SQL_OTHER, false, "" },
};

/* "s.t s.t ..." */
static void tables_text(const dm_sql_stmt *st, char *buf, size_t cap)
{
	const dm_sql_table_name *t;
	size_t n = dm_sql_stmt_tables(st, &t), i, used = 0;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		int w = snprintf(buf + used, cap - used, "%s%s.%s", i ? " " : "",
				 t[i].schema, t[i].table);

		assert_true(w > 0 && (size_t)w < cap - used);
		used += (size_t)w;
	}
}

static void test_other__classifies_kinds_and_tables(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	char buf[256];
	size_t i;

	(void)state;
	po.default_db = "d";
	for (i = 0; i < sizeof(classify_cases) / sizeof(classify_cases[0]); i++) {
		const struct classify_case *c = &classify_cases[i];
		dm_sql_stmt *st = sqlt_parse(c->sql, &po);

		tables_text(st, buf, sizeof(buf));
		if (dm_sql_stmt_kind(st) != c->kind || strcmp(buf, c->tables) ||
		    dm_sql_stmt_is_ddl(st) != c->ddl)
			print_error("%s\n  kind %s (want %s), ddl %d, tables '%s' (want '%s')\n",
				    c->sql, dm_sql_kind_name(dm_sql_stmt_kind(st)),
				    dm_sql_kind_name(c->kind), dm_sql_stmt_is_ddl(st),
				    buf, c->tables);
		assert_int_equal(dm_sql_stmt_kind(st), c->kind);
		assert_string_equal(buf, c->tables);
		assert_int_equal(dm_sql_stmt_is_ddl(st), c->ddl);
		dm_sql_stmt_free(st);
		sqlt_roundtrip(c->sql, &po);
	}
}

static void test_other__tables_without_default_database(void **state)
{
	dm_sql_stmt *st = sqlt_parse("INSERT INTO t VALUES (1)", NULL);
	const dm_sql_table_name *t;

	(void)state;
	assert_int_equal(dm_sql_stmt_tables(st, &t), 1);
	assert_string_equal(t[0].schema, "");
	assert_string_equal(t[0].table, "t");
	dm_sql_stmt_free(st);
}

static void test_other__kind_names(void **state)
{
	int k;

	(void)state;
	assert_string_equal(dm_sql_kind_name(DM_SQL_CREATE_TABLE), "create table");
	assert_string_equal(dm_sql_kind_name(DM_SQL_ALTER_TABLE), "alter table");
	assert_string_equal(dm_sql_kind_name(DM_SQL_OTHER), "other");
	assert_string_equal(dm_sql_kind_name((dm_sql_kind)9999), "unknown");
	for (k = DM_SQL_CREATE_DATABASE; k <= DM_SQL_EXPRESSION; k++)
		assert_string_not_equal(dm_sql_kind_name((dm_sql_kind)k), "unknown");
}

int sql_test_other_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other__restores_tokens_with_quoted_tables),
		cmocka_unit_test(test_other__classifies_kinds_and_tables),
		cmocka_unit_test(test_other__tables_without_default_database),
		cmocka_unit_test(test_other__kind_names),
	};

	return cmocka_run_group_tests_name("sql_other", tests, NULL, NULL);
}
