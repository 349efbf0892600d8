/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Properties over every statement the tests use: the round trip
 * (parse(restore(x)) equals parse(x), restore is idempotent, for both
 * NO_BACKSLASH_ESCAPES settings), and allocation failures (failing the Nth
 * allocation for every N until the call succeeds: each failure is
 * DM_E_NO_MEMORY and leaves nothing behind).
 *
 * The "mysql_schema" part is SHOW CREATE TABLE of every table of the mysql
 * schema of a fresh MariaDB 10.11 (tests/sandbox), joined into one line.
 */
#include "sql_test.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

const char *const sql_test_corpus[] = {
	/* ct1 */
	"CREATE TABLE t (a INT)",
	"CREATE TABLE `t1` (`id` int(11) NOT NULL AUTO_INCREMENT, `c` varchar(10) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci DEFAULT 'x''y', `ts` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(), `d` decimal(10,2) unsigned zerofill DEFAULT NULL, `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)), `g` int(11) GENERATED ALWAYS AS (`id` + 1) VIRTUAL, `h` int(11) DEFAULT NULL INVISIBLE, `e` enum('a','b') DEFAULT 'a' COMMENT 'it''s', PRIMARY KEY (`id`), UNIQUE KEY `c` (`c`), KEY `idx` (`c`(5),`d`) COMMENT 'x', CONSTRAINT `fk1` FOREIGN KEY (`id`) REFERENCES `t0` (`id`) ON DELETE CASCADE, CONSTRAINT `CONSTRAINT_1` CHECK (`id` > 0)) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci PAGE_CHECKSUM=1 COMMENT='tbl' /*!50100 PARTITION BY HASH (`id`) PARTITIONS 4 */",
	"CREATE TABLE sbtest1(id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id)) /*! ENGINE = innodb */",
	"CREATE TABLE t (a INT CHECK (a > 0 AND b < 5 OR NOT c), b INT DEFAULT (a + 1) NOT NULL, c INT AS (a * (b - 1)) STORED)",
	"CREATE TABLE t2 SELECT * FROM t1",
	"CREATE TABLE t2 LIKE t1",
	"CREATE TABLE t (a BOOL, b DOUBLE PRECISION, c NATIONAL VARCHAR(10), d LONG, e REAL, f NUMERIC(10,2), g SERIAL, h BIT(1) DEFAULT b'1', i BINARY(16) DEFAULT 0x00ff)",
	/* ct2 */
	"CREATE TABLE t (a TINYINT(3) UNSIGNED ZEROFILL, b SMALLINT, c MEDIUMINT UNSIGNED, d INT(11) NOT NULL DEFAULT 0, e BIGINT(20) UNSIGNED DEFAULT 42, f INTEGER, g INT1, h INT2, i INT3, j INT4, k INT8, l MIDDLEINT)",
	"CREATE TABLE t (a DECIMAL, b DECIMAL(10), c DECIMAL(10,2) UNSIGNED, d DEC(5,1), e NUMERIC(7,3), f FIXED(4,2), g FLOAT, h FLOAT(7,4), i FLOAT(30), j DOUBLE, k DOUBLE(10,3), l DOUBLE PRECISION, m REAL, n FLOAT4, o FLOAT8)",
	"CREATE TABLE t (a BIT, b BIT(8) DEFAULT b'101', c BOOL DEFAULT TRUE, d BOOLEAN DEFAULT FALSE, e SERIAL)",
	"CREATE TABLE t (a DATE DEFAULT '2020-01-01', b TIME(3), c DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), d TIMESTAMP NULL DEFAULT NULL, e YEAR, f YEAR(4), g TIMESTAMP(2) NOT NULL DEFAULT '2000-01-01 00:00:00.00')",
	"CREATE TABLE t (a CHAR, b CHAR(10) BINARY, c VARCHAR(255) CHARACTER SET latin1 COLLATE latin1_bin, d NCHAR(5), e NATIONAL CHARACTER(5), f NVARCHAR(20), g CHARACTER VARYING(12), h VARCHAR(10) CHARSET utf8mb4, i CHAR(3) ASCII, j VARCHAR(5) UNICODE, k CHAR(4) BYTE)",
	"CREATE TABLE t (a BINARY(4), b VARBINARY(200), c TINYBLOB, d BLOB, e BLOB(1000), f MEDIUMBLOB, g LONGBLOB, h LONG VARBINARY, i TINYTEXT, j TEXT, k TEXT(100), l MEDIUMTEXT CHARACTER SET utf8mb4, m LONGTEXT COLLATE utf8mb4_unicode_ci, n LONG VARCHAR, o LONG)",
	"CREATE TABLE t (a ENUM('x','y','it''s') NOT NULL DEFAULT 'x', b SET('a','b','c') DEFAULT 'a,b', c ENUM('a\\\\b','c') CHARACTER SET latin1)",
	"CREATE TABLE t (a JSON, b GEOMETRY, c POINT NOT NULL, d LINESTRING, e POLYGON, f MULTIPOINT, g MULTILINESTRING, h MULTIPOLYGON, i GEOMETRYCOLLECTION, j INET6, k UUID, l INET4)",
	"CREATE TABLE t (id INT PRIMARY KEY, u INT UNIQUE, v INT UNIQUE KEY, w INT KEY, x INT COMMENT 'col comment', y INT AUTO_INCREMENT UNIQUE)",
	"CREATE TABLE t (a INT, b INT AS (a + 1), c INT GENERATED ALWAYS AS (a * 2) VIRTUAL, d INT AS (a - 1) PERSISTENT, e INT AS (a DIV 2) STORED, f VARCHAR(10) AS (CONCAT(a, 'x')) VIRTUAL INVISIBLE)",
	"CREATE TABLE t (a INT, b INT INVISIBLE DEFAULT 1, c INT DEFAULT NULL INVISIBLE)",
	"CREATE TABLE t (a INT CHECK (a > 0), b INT, CONSTRAINT c1 CHECK (b < 100), CHECK (a <> b), CONSTRAINT CHECK (a + b > 0))",
	"CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, c VARCHAR(100), PRIMARY KEY (a, b) USING BTREE, UNIQUE KEY uk (c(10)), KEY k1 (b DESC) COMMENT 'idx', INDEX k2 USING HASH (a), FULLTEXT KEY ft (c), KEY k3 (c) KEY_BLOCK_SIZE=8)",
	"CREATE TABLE t (g GEOMETRY NOT NULL, SPATIAL INDEX (g))",
	"CREATE TABLE t (a INT, b INT, KEY (a) IGNORED, KEY (b) NOT IGNORED)",
	"CREATE TABLE t (a INT, KEY ia (a), CONSTRAINT fk FOREIGN KEY (a) REFERENCES t0 (id) ON DELETE SET NULL ON UPDATE CASCADE)",
	"CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES t0 (id) MATCH FULL ON DELETE NO ACTION ON UPDATE RESTRICT)",
	"CREATE TABLE t (a INT, FOREIGN KEY fkname (a) REFERENCES va.t0 (id))",
	"CREATE TABLE t (a INT) ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE=latin1_bin COMMENT='x' ROW_FORMAT=FIXED MAX_ROWS=100 MIN_ROWS=1 AVG_ROW_LENGTH=10 CHECKSUM=1 DELAY_KEY_WRITE=1 PACK_KEYS=0",
	"CREATE TABLE t (a INT) ENGINE=InnoDB ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8 STATS_PERSISTENT=1 STATS_AUTO_RECALC=0 STATS_SAMPLE_PAGES=20",
	"CREATE TABLE t (a INT) ENGINE=Aria PAGE_CHECKSUM=1 TRANSACTIONAL=1",
	"CREATE TABLE t (a INT) DEFAULT CHARACTER SET = utf8mb4 DEFAULT COLLATE = utf8mb4_unicode_ci, ENGINE = InnoDB",
	"CREATE TABLE t (a INT) CHARSET latin1",
	"CREATE TABLE t (x INT) WITH SYSTEM VERSIONING",
	"CREATE TABLE t (x INT, start_trxid BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, end_trxid BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE, PERIOD FOR SYSTEM_TIME(start_trxid, end_trxid)) ENGINE=InnoDB WITH SYSTEM VERSIONING",
	"CREATE TABLE t (x INT, s TIMESTAMP(6) GENERATED ALWAYS AS ROW START, e TIMESTAMP(6) GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME (s, e)) WITH SYSTEM VERSIONING",
	"CREATE TABLE t (id INT, s DATE, e DATE, PERIOD FOR p(s, e), UNIQUE (id, p WITHOUT OVERLAPS))",
	"CREATE TABLE t (a INT NOT NULL, b DATE) PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)",
	"CREATE TABLE t (a INT NOT NULL, b DATE) PARTITION BY RANGE (YEAR(b)) (PARTITION p0 VALUES LESS THAN (2000) ENGINE = InnoDB, PARTITION p1 VALUES LESS THAN (2010) ENGINE = InnoDB)",
	"CREATE TABLE t (a INT NOT NULL) PARTITION BY LIST (a) (PARTITION p0 VALUES IN (1,2,3), PARTITION p1 VALUES IN (4,5))",
	"CREATE TABLE t (a INT NOT NULL) PARTITION BY KEY (a) PARTITIONS 3",
	"CREATE TABLE t (a INT NOT NULL) PARTITION BY LINEAR HASH (a) PARTITIONS 2",
	"CREATE TABLE t (a VARCHAR(10), b INT) PARTITION BY RANGE COLUMNS (a, b) (PARTITION p0 VALUES LESS THAN ('m', 5), PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE))",
	"CREATE TABLE t (a INT NOT NULL, b INT NOT NULL) PARTITION BY RANGE (a) SUBPARTITION BY HASH (b) SUBPARTITIONS 2 (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)",
	"CREATE TEMPORARY TABLE IF NOT EXISTS t (a INT)",
	"CREATE OR REPLACE TABLE t (a INT)",
	"CREATE TABLE t (a VARCHAR(10) DEFAULT 'a\\nb', b VARCHAR(10) DEFAULT 'tab\\there', c VARCHAR(10) DEFAULT 'q\"q', d VARCHAR(10) DEFAULT \"dq'x\", e VARCHAR(10) DEFAULT 'back\\\\slash', f VARCHAR(10) DEFAULT '', g VARCHAR(20) DEFAULT 'zero\\0byte')",
	"CREATE TABLE t (a VARCHAR(10) COMMENT 'new\\nline', b INT COMMENT \"it's\") COMMENT 'table ''quoted'' comment'",
	"CREATE TABLE t (a INT DEFAULT -1, b DECIMAL(5,2) DEFAULT -0.5, c DOUBLE DEFAULT 1e3, d DOUBLE DEFAULT -1.5E-3, e INT DEFAULT +5, f VARCHAR(5) DEFAULT _utf8mb4'x', g VARBINARY(5) DEFAULT X'4142', h VARCHAR(5) DEFAULT N'n')",
	"CREATE TABLE t (a INT, b INT DEFAULT (a * 2), c VARCHAR(36) DEFAULT (UUID()), d DATETIME DEFAULT (NOW() + INTERVAL 1 DAY), e DATE DEFAULT (CURDATE()), f INT DEFAULT (1 + 1))",
	"CREATE TABLE t (a DATETIME DEFAULT NOW(), b TIMESTAMP DEFAULT LOCALTIMESTAMP, c TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3), d DATETIME DEFAULT LOCALTIME())",
	"CREATE TABLE t (a INT, b INT, c INT AS (CASE WHEN a > 0 THEN 1 WHEN a < 0 THEN -1 ELSE 0 END), d INT AS (IF(a IS NULL, 0, a)), e INT AS (COALESCE(a, b, 0)), f VARCHAR(10) AS (CAST(a AS CHAR(10))), g INT AS (a BETWEEN 1 AND 10), h INT AS (a IN (1, 2, 3)), i INT AS (a NOT IN (4)), j INT AS (b IS NOT NULL))",
	"CREATE TABLE t (a VARCHAR(10), b INT AS (a LIKE 'x%'), c INT AS (a NOT LIKE 'y\\\\_%' ESCAPE '\\\\'), d INT AS (a REGEXP '^[a-z]+$'), e VARCHAR(10) AS (LOWER(TRIM(a))), f VARCHAR(10) AS (TRIM(LEADING 'x' FROM a)), g VARCHAR(10) AS (SUBSTRING(a, 2, 3)), h VARCHAR(10) AS (SUBSTRING(a FROM 2)), i INT AS (LOCATE('b', a)), j INT AS (POSITION('c' IN a)))",
	"CREATE TABLE t (a INT, b INT AS (a & 3 | 4 ^ 1), c INT AS (a << 2 >> 1), d INT AS (~a), e INT AS (-a), f INT AS (a % 3), g INT AS (a MOD 3), h INT AS (MOD(a, 3)), i INT AS (!a), j INT AS (a XOR 1), k INT AS (a <=> NULL))",
	"CREATE TABLE t (a DATETIME, b INT AS (EXTRACT(YEAR FROM a)), c DATETIME AS (DATE_ADD(a, INTERVAL 1 HOUR)), d DATETIME AS (a - INTERVAL 2 DAY), e INT AS (TIMESTAMPDIFF(SECOND, a, '2020-01-01')), f DATE AS (DATE(a)), g VARCHAR(20) AS (DATE_FORMAT(a, '%Y-%m-%d')))",
	"CREATE TABLE t (a VARCHAR(10), b VARCHAR(10) AS (a COLLATE utf8mb4_bin), c VARBINARY(10) AS (BINARY a), d VARCHAR(10) AS (CONVERT(a USING latin1)), e INT AS (CONVERT(a, SIGNED)), f DECIMAL(10,2) AS (CAST(a AS DECIMAL(10,2))), g VARCHAR(10) AS (CHAR(65, 66 USING utf8mb4)))",
	"CREATE TABLE t (j LONGTEXT, k VARCHAR(10) AS (JSON_UNQUOTE(JSON_EXTRACT(j, '$.k'))), CHECK (JSON_VALID(j)))",
	"CREATE TABLE t (a INT, b INT, CONSTRAINT chk CHECK (a > 0 AND (b > 0 OR b IS NULL) AND NOT (a = b)))",
	"CREATE TABLE t (a INT) ENGINE=MEMORY",
	"CREATE TABLE `weird``name` (`col``x` INT, `sp ace` INT, `\303\274n\303\257` INT)",
	"CREATE TABLE t (a INT) COMMENT='a\\\\b'",
	"CREATE TABLE t (a INT, b INT AS ((a + 1) * (a - 1)) VIRTUAL, c INT AS (a - (1 - a)), d INT AS (a / 2 / 3), e INT AS (a / (2 / 3)), f INT AS (-(-a)), g INT AS (- -a))",
	"CREATE TABLE t (a INT, b INT AS (a = 1 = 0), c INT AS ((a = 1) IS TRUE), d INT AS (a IS NULL IS NOT TRUE), e INT AS (NOT a IS NULL), f INT AS (a > 1 AND NOT a > 2))",
	"CREATE TABLE t (a INT, b INT AS (a BETWEEN 1 AND 2 + 3), c INT AS (1 < a BETWEEN 0 AND 1))",
	"CREATE TABLE t (a INT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'pk', PRIMARY KEY (a)) AUTO_INCREMENT=100",
	"CREATE TABLE t (a INT) UNION=(t0)",
	"CREATE TABLE t (a INT) ENGINE=MRG_MyISAM UNION=(t1, t2) INSERT_METHOD=LAST",
	"CREATE TABLE t (a VARCHAR(10) COMPRESSED, b BLOB COMPRESSED=zlib)",
	"CREATE TABLE t (a INT COLUMN_FORMAT FIXED, b INT STORAGE DISK)",
	"CREATE TABLE t (a INT, b INT WITHOUT SYSTEM VERSIONING) WITH SYSTEM VERSIONING",
	"CREATE TABLE t (id BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB ENCRYPTED=YES ENCRYPTION_KEY_ID=1",
	"CREATE TABLE t (a INT) ENGINE=InnoDB PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=5",
	"CREATE TABLE t (s VARCHAR(100), FULLTEXT KEY f (s) WITH PARSER ngram)",
	"CREATE TABLE t (a INT, UNIQUE KEY u (a) USING HASH)",
	"CREATE TABLE t (a BLOB, UNIQUE KEY (a))",
	"CREATE TABLE t (a INT REFERENCES t0 (id))",
	/* db */
	"CREATE DATABASE d",
	"CREATE SCHEMA IF NOT EXISTS `d``x` DEFAULT CHARACTER SET = utf8mb4 DEFAULT COLLATE = utf8mb4_unicode_ci",
	"CREATE OR REPLACE DATABASE d CHARSET latin1 COMMENT 'my db'",
	"CREATE DATABASE d CHARACTER SET 'utf8mb4' COLLATE \"utf8mb4_bin\"",
	"ALTER DATABASE d DEFAULT CHARACTER SET utf8mb4",
	"ALTER SCHEMA COLLATE = latin1_swedish_ci",
	"ALTER DATABASE d COMMENT = 'x''y'",
	"DROP DATABASE d",
	"DROP SCHEMA IF EXISTS d",
	/* alter */
	"ALTER TABLE t ADD COLUMN e INT NOT NULL DEFAULT 5 AFTER a",
	"ALTER TABLE t ADD e INT FIRST, ADD f VARCHAR(5) AFTER e",
	"ALTER TABLE t ADD COLUMN (e INT, f INT DEFAULT 1)",
	"ALTER TABLE t ADD COLUMN IF NOT EXISTS a INT",
	"ALTER TABLE t ADD INDEX kc (c), ADD UNIQUE (a, c), ADD FULLTEXT INDEX ft (b)",
	"ALTER TABLE t ADD KEY IF NOT EXISTS ka (a)",
	"ALTER TABLE t DROP PRIMARY KEY, MODIFY id INT NOT NULL, ADD PRIMARY KEY (id, a)",
	"ALTER TABLE t ADD CONSTRAINT fk2 FOREIGN KEY (a) REFERENCES t0 (id) ON DELETE CASCADE",
	"ALTER TABLE t ADD CONSTRAINT c2 CHECK (a < 100), ADD CHECK (id > 0)",
	"ALTER TABLE t DROP COLUMN c",
	"ALTER TABLE t DROP c, DROP COLUMN IF EXISTS zz",
	"ALTER TABLE t DROP INDEX ka, DROP KEY ub",
	"ALTER TABLE t DROP KEY IF EXISTS nothere",
	"ALTER TABLE t DROP FOREIGN KEY fk",
	"ALTER TABLE t DROP CONSTRAINT ck",
	"ALTER TABLE t DROP CONSTRAINT IF EXISTS ck",
	"ALTER TABLE t MODIFY COLUMN a BIGINT UNSIGNED NOT NULL COMMENT 'mod' FIRST",
	"ALTER TABLE t MODIFY b VARCHAR(50) CHARACTER SET latin1 AFTER c",
	"ALTER TABLE t CHANGE a a2 INT DEFAULT 7",
	"ALTER TABLE t CHANGE COLUMN b bb TEXT AFTER id",
	"ALTER TABLE t ALTER COLUMN a SET DEFAULT 3",
	"ALTER TABLE t ALTER b SET DEFAULT 'y', ALTER COLUMN a DROP DEFAULT",
	"ALTER TABLE t ALTER COLUMN c SET DEFAULT (NOW())",
	"ALTER TABLE t RENAME COLUMN a TO a3",
	"ALTER TABLE t RENAME INDEX ka TO ka2, RENAME KEY ub TO ub2",
	"ALTER TABLE t ALTER INDEX ka IGNORED",
	"ALTER TABLE t ENGINE=InnoDB",
	"ALTER TABLE t ENGINE=InnoDB AUTO_INCREMENT=100 COMMENT='hello'",
	"ALTER TABLE t COMMENT 'x', ROW_FORMAT=DYNAMIC",
	"ALTER TABLE t DEFAULT CHARSET=latin1",
	"ALTER TABLE t CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
	"ALTER TABLE t CONVERT TO CHARACTER SET latin1",
	"ALTER TABLE t CONVERT TO CHARSET utf8mb4 COLLATE utf8mb4_unicode_ci",
	"ALTER TABLE t ALGORITHM=COPY, LOCK=SHARED, ADD COLUMN z INT",
	"ALTER TABLE t ADD COLUMN z INT, ALGORITHM=INPLACE, LOCK=NONE",
	"ALTER TABLE t FORCE",
	"ALTER TABLE t ENABLE KEYS",
	"ALTER TABLE t DISABLE KEYS",
	"ALTER TABLE t ORDER BY a DESC, b",
	"ALTER TABLE t RENAME TO t9",
	"ALTER TABLE t RENAME AS t9",
	"ALTER IGNORE TABLE t ADD UNIQUE KEY u2 (c)",
	"ALTER ONLINE TABLE t ADD COLUMN q INT",
	"ALTER TABLE IF EXISTS t ADD COLUMN q INT",
	"ALTER TABLE t WAIT 5 ADD COLUMN q INT",
	"ALTER TABLE t NOWAIT ADD COLUMN q INT",
	"ALTER TABLE t ADD SYSTEM VERSIONING",
	"ALTER TABLE t PARTITION BY HASH (id) PARTITIONS 4",
	"ALTER TABLE t ENGINE=InnoDB PARTITION BY KEY (id) PARTITIONS 2",
	"ALTER TABLE t ADD PARTITION (PARTITION p2 VALUES LESS THAN (30))",
	"ALTER TABLE t DROP PARTITION p0, p1",
	"ALTER TABLE t TRUNCATE PARTITION p0",
	"ALTER TABLE t REORGANIZE PARTITION p1 INTO (PARTITION p1a VALUES LESS THAN (15), PARTITION p1b VALUES LESS THAN (20))",
	"ALTER TABLE t COALESCE PARTITION 2",
	"ALTER TABLE t REMOVE PARTITIONING",
	"ALTER TABLE t REBUILD PARTITION p0",
	"ALTER TABLE t ADD COLUMN g INT AS (a + 1) VIRTUAL, ADD COLUMN h INT INVISIBLE",
	"ALTER TABLE t ADD COLUMN e TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP",
	"ALTER TABLE t MODIFY COLUMN IF EXISTS a SMALLINT",
	"ALTER TABLE t CHANGE COLUMN IF EXISTS a a INT NULL",
	"ALTER TABLE t DROP FOREIGN KEY IF EXISTS fk",
	"ALTER TABLE t ADD KEY kk (a, b(5)) USING BTREE COMMENT 'c'",
	"ALTER TABLE t ADD COLUMN `weird``col` INT",
	"ALTER TABLE t",
	/* ddl_rest */
	"RENAME TABLE a TO b",
	"RENAME TABLES a TO b, db1.c TO db2.d, e TO f",
	"RENAME TABLE IF EXISTS a WAIT 10 TO b",
	"RENAME TABLE a NOWAIT TO b",
	"DROP TABLE t",
	"DROP TABLES IF EXISTS a, db.b, `c d`",
	"DROP TEMPORARY TABLE IF EXISTS t",
	"DROP TABLE t WAIT 3 CASCADE",
	"DROP TABLE t RESTRICT",
	"DROP TABLE IF EXISTS `t` /* generated by server */",
	"TRUNCATE TABLE t",
	"TRUNCATE db.t",
	"TRUNCATE TABLE t NOWAIT",
	"CREATE INDEX i ON t (a)",
	"CREATE UNIQUE INDEX i ON db.t (a, b DESC)",
	"CREATE OR REPLACE INDEX IF NOT EXISTS i ON t (a(10) ASC)",
	"CREATE FULLTEXT INDEX ft ON t (body) WITH PARSER ngram",
	"CREATE SPATIAL INDEX sp ON t (g)",
	"CREATE INDEX i USING HASH ON t (a) COMMENT 'c' ALGORITHM = INPLACE LOCK = NONE",
	"CREATE INDEX i ON t (a) WAIT 2 KEY_BLOCK_SIZE 4 IGNORED",
	"DROP INDEX i ON t",
	"DROP INDEX IF EXISTS i ON db.t ALGORITHM=COPY LOCK=SHARED",
	"DROP INDEX `PRIMARY` ON t",
	"CREATE TABLE t1 LIKE t2",
	"CREATE TABLE IF NOT EXISTS db.t1 (LIKE db2.t2)",
	"CREATE TABLE t (a INT) SELECT 1 AS a",
	"CREATE TABLE t AS SELECT * FROM u",
	"CREATE TABLE t (a INT) IGNORE SELECT a FROM u",
	"CREATE TABLE t REPLACE AS SELECT a FROM u",
	"CREATE TABLE t (SELECT 1)",
	/* other */
	"ALTER TABLE t ORDER BY a DESC, b, ADD COLUMN x INT",
	"CREATE VIEW v AS SELECT a FROM t",
	"CREATE OR REPLACE ALGORITHM=MERGE DEFINER='root'@'%' SQL SECURITY INVOKER VIEW db.v (x) AS SELECT 1",
	"ALTER VIEW v AS SELECT 2",
	"DROP VIEW IF EXISTS v1, db.v2 CASCADE",
	"CREATE TRIGGER db.trg AFTER UPDATE ON t FOR EACH ROW BEGIN UPDATE t2 SET a = 1; END",
	"DROP TRIGGER IF EXISTS db.trg",
	"CREATE PROCEDURE p(IN a INT) BEGIN SELECT a; END",
	"CREATE DEFINER=CURRENT_USER FUNCTION f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1",
	"DROP PROCEDURE IF EXISTS p",
	"DROP FUNCTION f",
	"CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO DELETE FROM t",
	"ALTER EVENT e DISABLE",
	"DROP EVENT e",
	"CREATE USER 'u'@'localhost' IDENTIFIED BY 'secret'",
	"ALTER USER u@localhost PASSWORD EXPIRE",
	"DROP USER 'u'@'%'",
	"RENAME USER a TO b",
	"GRANT SELECT, INSERT ON db.t TO 'u'@'%'",
	"GRANT ALL ON db.* TO u",
	"GRANT ALL PRIVILEGES ON *.* TO 'u'@'%' WITH GRANT OPTION",
	"REVOKE SELECT (a, b) ON t FROM u",
	"SET PASSWORD FOR 'u'@'%' = PASSWORD('x')",
	"FLUSH TABLES",
	"FLUSH TABLES t1, db.t2",
	"FLUSH NO_WRITE_TO_BINLOG TABLES t WITH READ LOCK",
	"FLUSH PRIVILEGES",
	"ANALYZE TABLE t1, t2",
	"OPTIMIZE NO_WRITE_TO_BINLOG TABLE t",
	"REPAIR TABLE t QUICK",
	"CHECK TABLE t FOR UPGRADE",
	"CHECKSUM TABLE t1, t2 EXTENDED",
	"SET @@session.sql_mode = 'ANSI', @a := 1, autocommit = 0",
	"SET GLOBAL read_only = 1",
	"BEGIN",
	"BEGIN WORK",
	"START TRANSACTION READ ONLY",
	"COMMIT",
	"COMMIT WORK AND NO CHAIN",
	"ROLLBACK",
	"ROLLBACK TO SAVEPOINT s1",
	"SAVEPOINT s1",
	"RELEASE SAVEPOINT s1",
	"XA START 'x'",
	"XA COMMIT 'x'",
	"INSERT INTO t (a, b) VALUES (1, 'x'), (2, \"y\")",
	"INSERT LOW_PRIORITY IGNORE db.t SET a = 1",
	"INSERT INTO t SELECT * FROM u ON DUPLICATE KEY UPDATE a = VALUES(a)",
	"REPLACE INTO t VALUES (1)",
	"REPLACE DELAYED t VALUES (1)",
	"UPDATE t SET a = a + 1 WHERE id = 5",
	"UPDATE LOW_PRIORITY IGNORE t1, db.t2 SET t1.a = t2.a WHERE t1.id = t2.id",
	"UPDATE t1 JOIN t2 ON t1.id = t2.id LEFT JOIN t3 USING (id) SET t1.a = 1",
	"DELETE FROM t WHERE a = 1",
	"DELETE QUICK IGNORE FROM db.t",
	"DELETE t1, t2.* FROM t1 INNER JOIN t2 WHERE t1.id = t2.id",
	"DELETE FROM t1, t2 USING t1 INNER JOIN t2 INNER JOIN t3 WHERE t1.id = t2.id",
	"LOAD DATA LOCAL INFILE '/tmp/x.csv' REPLACE INTO TABLE db.t FIELDS TERMINATED BY ','",
	"LOAD XML INFILE 'x.xml' INTO TABLE t",
	"SELECT 1",
	"SELECT * FROM t WHERE a = 'x'",
	"(SELECT 1) UNION (SELECT 2)",
	"WITH c AS (SELECT 1) SELECT * FROM c",
	"USE db",
	"USE `my db`",
	"CREATE SEQUENCE s START WITH 1 INCREMENT BY 1",
	"CREATE SEQUENCE IF NOT EXISTS db.s",
	"ALTER SEQUENCE s RESTART 10",
	"DROP SEQUENCE IF EXISTS s1, s2",
	"LOCK TABLES t1 READ, db.t2 AS x WRITE, t3 READ LOCAL",
	"LOCK TABLE t WRITE",
	"UNLOCK TABLES",
	"CREATE ROLE r",
	"DROP ROLE r",
	"CALL p(1)",
	"DO SLEEP(1)",
	"SHOW TABLES",
	"EXPLAIN SELECT 1",
	"CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (USER 'x')",
	"INSTALL PLUGIN x SONAME 'x.so'",
	"KILL 5",
	"PURGE BINARY LOGS TO 'mysql-bin.000003'",
	"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */",
	"/*!40000 ALTER TABLE `t` DISABLE KEYS */",
	"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `tr` BEFORE INSERT ON `t` FOR EACH ROW SET NEW.a = 1 */",
	"BEGIN NOT ATOMIC SELECT 1; END",
	"ANALYZE TABLE t PERSISTENT FOR ALL",
	"SET STATEMENT max_statement_time=10 FOR SELECT 1",
	"CREATE FUNCTION udf RETURNS STRING SONAME 'udf.so'",
	/* mysql_schema */
	"CREATE TABLE `servers` (   `Server_name` char(64) NOT NULL DEFAULT '',   `Host` varchar(2048) NOT NULL DEFAULT '',   `Db` char(64) NOT NULL DEFAULT '',   `Username` char(128) NOT NULL DEFAULT '',   `Password` char(64) NOT NULL DEFAULT '',   `Port` int(4) NOT NULL DEFAULT 0,   `Socket` char(108) NOT NULL DEFAULT '',   `Wrapper` char(64) NOT NULL DEFAULT '',   `Owner` varchar(512) NOT NULL DEFAULT '',   PRIMARY KEY (`Server_name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='MySQL Foreign Servers table'",
	"CREATE TABLE `columns_priv` (   `Host` char(255) NOT NULL DEFAULT '',   `Db` char(64) NOT NULL DEFAULT '',   `User` char(128) NOT NULL DEFAULT '',   `Table_name` char(64) NOT NULL DEFAULT '',   `Column_name` char(64) NOT NULL DEFAULT '',   `Timestamp` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   `Column_priv` set('Select','Insert','Update','References') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT '',   PRIMARY KEY (`Host`,`Db`,`User`,`Table_name`,`Column_name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Column privileges'",
	"CREATE TABLE `help_category` (   `help_category_id` smallint(5) unsigned NOT NULL,   `name` char(64) NOT NULL,   `parent_category_id` smallint(5) unsigned DEFAULT NULL,   `url` text NOT NULL,   PRIMARY KEY (`help_category_id`),   UNIQUE KEY `name` (`name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=0 COMMENT='help categories'",
	"CREATE TABLE `index_stats` (   `db_name` varchar(64) NOT NULL,   `table_name` varchar(64) NOT NULL,   `index_name` varchar(64) NOT NULL,   `prefix_arity` int(11) unsigned NOT NULL,   `avg_frequency` decimal(12,4) DEFAULT NULL,   PRIMARY KEY (`db_name`,`table_name`,`index_name`,`prefix_arity`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=0 COMMENT='Statistics on Indexes'",
	"CREATE TABLE `func` (   `name` char(64) NOT NULL DEFAULT '',   `ret` tinyint(1) NOT NULL DEFAULT 0,   `dl` char(128) NOT NULL DEFAULT '',   `type` enum('function','aggregate') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL,   PRIMARY KEY (`name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='User defined functions'",
	"CREATE TABLE `help_keyword` (   `help_keyword_id` int(10) unsigned NOT NULL,   `name` char(64) NOT NULL,   PRIMARY KEY (`help_keyword_id`),   UNIQUE KEY `name` (`name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=0 COMMENT='help keywords'",
	"CREATE TABLE `time_zone_leap_second` (   `Transition_time` bigint(20) NOT NULL,   `Correction` int(11) NOT NULL,   PRIMARY KEY (`Transition_time`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Leap seconds information for time zones'",
	"CREATE TABLE `proxies_priv` (   `Host` char(255) NOT NULL DEFAULT '',   `User` char(128) NOT NULL DEFAULT '',   `Proxied_host` char(255) NOT NULL DEFAULT '',   `Proxied_user` char(128) NOT NULL DEFAULT '',   `With_grant` tinyint(1) NOT NULL DEFAULT 0,   `Grantor` varchar(384) NOT NULL DEFAULT '',   `Timestamp` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   PRIMARY KEY (`Host`,`User`,`Proxied_host`,`Proxied_user`),   KEY `Grantor` (`Grantor`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='User proxy privileges'",
	"CREATE TABLE `table_stats` (   `db_name` varchar(64) NOT NULL,   `table_name` varchar(64) NOT NULL,   `cardinality` bigint(21) unsigned DEFAULT NULL,   PRIMARY KEY (`db_name`,`table_name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=0 COMMENT='Statistics on Tables'",
	"CREATE TABLE `column_stats` (   `db_name` varchar(64) NOT NULL,   `table_name` varchar(64) NOT NULL,   `column_name` varchar(64) NOT NULL,   `min_value` varbinary(255) DEFAULT NULL,   `max_value` varbinary(255) DEFAULT NULL,   `nulls_ratio` decimal(12,4) DEFAULT NULL,   `avg_length` decimal(12,4) DEFAULT NULL,   `avg_frequency` decimal(12,4) DEFAULT NULL,   `hist_size` tinyint(3) unsigned DEFAULT NULL,   `hist_type` enum('SINGLE_PREC_HB','DOUBLE_PREC_HB','JSON_HB') DEFAULT NULL,   `histogram` longblob DEFAULT NULL,   PRIMARY KEY (`db_name`,`table_name`,`column_name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=0 COMMENT='Statistics on Columns'",
	"CREATE TABLE `innodb_index_stats` (   `database_name` varchar(64) NOT NULL,   `table_name` varchar(199) NOT NULL,   `index_name` varchar(64) NOT NULL,   `last_update` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   `stat_name` varchar(64) NOT NULL,   `stat_value` bigint(20) unsigned NOT NULL,   `sample_size` bigint(20) unsigned DEFAULT NULL,   `stat_description` varchar(1024) NOT NULL,   PRIMARY KEY (`database_name`,`table_name`,`index_name`,`stat_name`) ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin STATS_PERSISTENT=0",
	"CREATE TABLE `event` (   `db` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL DEFAULT '',   `name` char(64) NOT NULL DEFAULT '',   `body` longblob NOT NULL,   `definer` varchar(384) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL DEFAULT '',   `execute_at` datetime DEFAULT NULL,   `interval_value` int(11) DEFAULT NULL,   `interval_field` enum('YEAR','QUARTER','MONTH','DAY','HOUR','MINUTE','WEEK','SECOND','MICROSECOND','YEAR_MONTH','DAY_HOUR','DAY_MINUTE','DAY_SECOND','HOUR_MINUTE','HOUR_SECOND','MINUTE_SECOND','DAY_MICROSECOND','HOUR_MICROSECOND','MINUTE_MICROSECOND','SECOND_MICROSECOND') DEFAULT NULL,   `created` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   `modified` timestamp NOT NULL DEFAULT '0000-00-00 00:00:00',   `last_executed` datetime DEFAULT NULL,   `starts` datetime DEFAULT NULL,   `ends` datetime DEFAULT NULL,   `status` enum('ENABLED','DISABLED','SLAVESIDE_DISABLED') NOT NULL DEFAULT 'ENABLED',   `on_completion` enum('DROP','PRESERVE') NOT NULL DEFAULT 'DROP',   `sql_mode` set('REAL_AS_FLOAT','PIPES_AS_CONCAT','ANSI_QUOTES','IGNORE_SPACE','IGNORE_BAD_TABLE_OPTIONS','ONLY_FULL_GROUP_BY','NO_UNSIGNED_SUBTRACTION','NO_DIR_IN_CREATE','POSTGRESQL','ORACLE','MSSQL','DB2','MAXDB','NO_KEY_OPTIONS','NO_TABLE_OPTIONS','NO_FIELD_OPTIONS','MYSQL323','MYSQL40','ANSI','NO_AUTO_VALUE_ON_ZERO','NO_BACKSLASH_ESCAPES','STRICT_TRANS_TABLES','STRICT_ALL_TABLES','NO_ZERO_IN_DATE','NO_ZERO_DATE','INVALID_DATES','ERROR_FOR_DIVISION_BY_ZERO','TRADITIONAL','NO_AUTO_CREATE_USER','HIGH_NOT_PRECEDENCE','NO_ENGINE_SUBSTITUTION','PAD_CHAR_TO_FULL_LENGTH','EMPTY_STRING_IS_NULL','SIMULTANEOUS_ASSIGNMENT','TIME_ROUND_FRACTIONAL') NOT NULL DEFAULT '',   `comment` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL DEFAULT '',   `originator` int(10) unsigned NOT NULL,   `time_zone` char(64) CHARACTER SET latin1 COLLATE latin1_swedish_ci NOT NULL DEFAULT 'SYSTEM',   `character_set_client` char(32) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin DEFAULT NULL,   `collation_connection` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin DEFAULT NULL,   `db_collation` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin DEFAULT NULL,   `body_utf8` longblob DEFAULT NULL,   PRIMARY KEY (`db`,`name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Events'",
	"CREATE TABLE `tables_priv` (   `Host` char(255) NOT NULL DEFAULT '',   `Db` char(64) NOT NULL DEFAULT '',   `User` char(128) NOT NULL DEFAULT '',   `Table_name` char(64) NOT NULL DEFAULT '',   `Grantor` varchar(384) NOT NULL DEFAULT '',   `Timestamp` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   `Table_priv` set('Select','Insert','Update','Delete','Create','Drop','Grant','References','Index','Alter','Create View','Show view','Trigger','Delete versioning rows') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT '',   `Column_priv` set('Select','Insert','Update','References') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT '',   PRIMARY KEY (`Host`,`Db`,`User`,`Table_name`),   KEY `Grantor` (`Grantor`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Table privileges'",
	"CREATE TABLE `roles_mapping` (   `Host` char(255) NOT NULL DEFAULT '',   `User` char(128) NOT NULL DEFAULT '',   `Role` char(128) NOT NULL DEFAULT '',   `Admin_option` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   UNIQUE KEY `Host` (`Host`,`User`,`Role`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Granted roles'",
	"CREATE TABLE `time_zone` (   `Time_zone_id` int(10) unsigned NOT NULL AUTO_INCREMENT,   `Use_leap_seconds` enum('Y','N') NOT NULL DEFAULT 'N',   PRIMARY KEY (`Time_zone_id`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Time zones'",
	"CREATE TABLE `proc` (   `db` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL DEFAULT '',   `name` char(64) NOT NULL DEFAULT '',   `type` enum('FUNCTION','PROCEDURE','PACKAGE','PACKAGE BODY') NOT NULL,   `specific_name` char(64) NOT NULL DEFAULT '',   `language` enum('SQL') NOT NULL DEFAULT 'SQL',   `sql_data_access` enum('CONTAINS_SQL','NO_SQL','READS_SQL_DATA','MODIFIES_SQL_DATA') NOT NULL DEFAULT 'CONTAINS_SQL',   `is_deterministic` enum('YES','NO') NOT NULL DEFAULT 'NO',   `security_type` enum('INVOKER','DEFINER') NOT NULL DEFAULT 'DEFINER',   `param_list` blob NOT NULL,   `returns` longblob NOT NULL,   `body` longblob NOT NULL,   `definer` varchar(384) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL DEFAULT '',   `created` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   `modified` timestamp NOT NULL DEFAULT '0000-00-00 00:00:00',   `sql_mode` set('REAL_AS_FLOAT','PIPES_AS_CONCAT','ANSI_QUOTES','IGNORE_SPACE','IGNORE_BAD_TABLE_OPTIONS','ONLY_FULL_GROUP_BY','NO_UNSIGNED_SUBTRACTION','NO_DIR_IN_CREATE','POSTGRESQL','ORACLE','MSSQL','DB2','MAXDB','NO_KEY_OPTIONS','NO_TABLE_OPTIONS','NO_FIELD_OPTIONS','MYSQL323','MYSQL40','ANSI','NO_AUTO_VALUE_ON_ZERO','NO_BACKSLASH_ESCAPES','STRICT_TRANS_TABLES','STRICT_ALL_TABLES','NO_ZERO_IN_DATE','NO_ZERO_DATE','INVALID_DATES','ERROR_FOR_DIVISION_BY_ZERO','TRADITIONAL','NO_AUTO_CREATE_USER','HIGH_NOT_PRECEDENCE','NO_ENGINE_SUBSTITUTION','PAD_CHAR_TO_FULL_LENGTH','EMPTY_STRING_IS_NULL','SIMULTANEOUS_ASSIGNMENT','TIME_ROUND_FRACTIONAL') NOT NULL DEFAULT '',   `comment` text CHARACTER SET utf8mb3 COLLATE utf8mb3_bin NOT NULL,   `character_set_client` char(32) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin DEFAULT NULL,   `collation_connection` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin DEFAULT NULL,   `db_collation` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_bin DEFAULT NULL,   `body_utf8` longblob DEFAULT NULL,   `aggregate` enum('NONE','GROUP') NOT NULL DEFAULT 'NONE',   PRIMARY KEY (`db`,`name`,`type`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Stored Procedures'",
	"CREATE TABLE `procs_priv` (   `Host` char(255) NOT NULL DEFAULT '',   `Db` char(64) NOT NULL DEFAULT '',   `User` char(128) NOT NULL DEFAULT '',   `Routine_name` char(64) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT '',   `Routine_type` enum('FUNCTION','PROCEDURE','PACKAGE','PACKAGE BODY') NOT NULL,   `Grantor` varchar(384) NOT NULL DEFAULT '',   `Proc_priv` set('Execute','Alter Routine','Grant') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT '',   `Timestamp` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   PRIMARY KEY (`Host`,`Db`,`User`,`Routine_name`,`Routine_type`),   KEY `Grantor` (`Grantor`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Procedure privileges'",
	"CREATE TABLE `slow_log` (   `start_time` timestamp(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),   `user_host` mediumtext NOT NULL,   `query_time` time(6) NOT NULL,   `lock_time` time(6) NOT NULL,   `rows_sent` bigint(20) unsigned NOT NULL,   `rows_examined` bigint(20) unsigned NOT NULL,   `db` varchar(512) NOT NULL,   `last_insert_id` int(11) NOT NULL,   `insert_id` int(11) NOT NULL,   `server_id` int(10) unsigned NOT NULL,   `sql_text` mediumtext NOT NULL,   `thread_id` bigint(21) unsigned NOT NULL,   `rows_affected` bigint(20) unsigned NOT NULL ) ENGINE=CSV DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci COMMENT='Slow log'",
	"CREATE TABLE `general_log` (   `event_time` timestamp(6) NOT NULL DEFAULT current_timestamp(6) ON UPDATE current_timestamp(6),   `user_host` mediumtext NOT NULL,   `thread_id` bigint(21) unsigned NOT NULL,   `server_id` int(10) unsigned NOT NULL,   `command_type` varchar(64) NOT NULL,   `argument` mediumtext NOT NULL ) ENGINE=CSV DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci COMMENT='General log'",
	"CREATE TABLE `global_priv` (   `Host` char(255) NOT NULL DEFAULT '',   `User` char(128) NOT NULL DEFAULT '',   `Priv` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '{}' CHECK (json_valid(`Priv`)),   PRIMARY KEY (`Host`,`User`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Users and global privileges'",
	"CREATE TABLE `gtid_slave_pos` (   `domain_id` int(10) unsigned NOT NULL,   `sub_id` bigint(20) unsigned NOT NULL,   `server_id` int(10) unsigned NOT NULL,   `seq_no` bigint(20) unsigned NOT NULL,   PRIMARY KEY (`domain_id`,`sub_id`) ) ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci COMMENT='Replication slave GTID position'",
	"CREATE TABLE `plugin` (   `name` varchar(64) NOT NULL DEFAULT '',   `dl` varchar(128) NOT NULL DEFAULT '',   PRIMARY KEY (`name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='MySQL plugins'",
	"CREATE TABLE `time_zone_name` (   `Name` char(64) NOT NULL,   `Time_zone_id` int(10) unsigned NOT NULL,   PRIMARY KEY (`Name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Time zone names'",
	"CREATE TABLE `db` (   `Host` char(255) NOT NULL DEFAULT '',   `Db` char(64) NOT NULL DEFAULT '',   `User` char(128) NOT NULL DEFAULT '',   `Select_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Insert_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Update_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Delete_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Create_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Drop_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Grant_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `References_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Index_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Alter_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Create_tmp_table_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Lock_tables_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Create_view_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Show_view_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Create_routine_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Alter_routine_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Execute_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Event_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Trigger_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   `Delete_history_priv` enum('N','Y') CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT NULL DEFAULT 'N',   PRIMARY KEY (`Host`,`Db`,`User`),   KEY `User` (`User`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Database privileges'",
	"CREATE TABLE `innodb_table_stats` (   `database_name` varchar(64) NOT NULL,   `table_name` varchar(199) NOT NULL,   `last_update` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),   `n_rows` bigint(20) unsigned NOT NULL,   `clustered_index_size` bigint(20) unsigned NOT NULL,   `sum_of_other_index_sizes` bigint(20) unsigned NOT NULL,   PRIMARY KEY (`database_name`,`table_name`) ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin STATS_PERSISTENT=0",
	"CREATE TABLE `time_zone_transition` (   `Time_zone_id` int(10) unsigned NOT NULL,   `Transition_time` bigint(20) NOT NULL,   `Transition_type_id` int(10) unsigned NOT NULL,   PRIMARY KEY (`Time_zone_id`,`Transition_time`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Time zone transitions'",
	"CREATE TABLE `help_relation` (   `help_topic_id` int(10) unsigned NOT NULL,   `help_keyword_id` int(10) unsigned NOT NULL,   PRIMARY KEY (`help_keyword_id`,`help_topic_id`),   KEY `help_topic_id` (`help_topic_id`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=0 COMMENT='keyword-topic relation'",
	"CREATE TABLE `help_topic` (   `help_topic_id` int(10) unsigned NOT NULL,   `name` char(64) NOT NULL,   `help_category_id` smallint(5) unsigned NOT NULL,   `description` text NOT NULL,   `example` text NOT NULL,   `url` text NOT NULL,   PRIMARY KEY (`help_topic_id`),   UNIQUE KEY `name` (`name`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=0 COMMENT='help topics'",
	"CREATE TABLE `time_zone_transition_type` (   `Time_zone_id` int(10) unsigned NOT NULL,   `Transition_type_id` int(10) unsigned NOT NULL,   `Offset` int(11) NOT NULL DEFAULT 0,   `Is_DST` tinyint(3) unsigned NOT NULL DEFAULT 0,   `Abbreviation` char(8) NOT NULL DEFAULT '',   PRIMARY KEY (`Time_zone_id`,`Transition_type_id`) ) ENGINE=Aria DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_general_ci PAGE_CHECKSUM=1 TRANSACTIONAL=1 COMMENT='Time zone transition types'",
	"CREATE TABLE `transaction_registry` (   `transaction_id` bigint(20) unsigned NOT NULL,   `commit_id` bigint(20) unsigned NOT NULL,   `begin_timestamp` timestamp(6) NOT NULL DEFAULT '0000-00-00 00:00:00.000000',   `commit_timestamp` timestamp(6) NOT NULL DEFAULT '0000-00-00 00:00:00.000000',   `isolation_level` enum('READ-UNCOMMITTED','READ-COMMITTED','REPEATABLE-READ','SERIALIZABLE') NOT NULL,   PRIMARY KEY (`transaction_id`),   UNIQUE KEY `commit_id` (`commit_id`),   KEY `begin_timestamp` (`begin_timestamp`),   KEY `commit_timestamp` (`commit_timestamp`,`transaction_id`) ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 COLLATE=utf8mb3_bin STATS_PERSISTENT=0",
	/* alter2 */
	"ALTER TABLE t ALTER COLUMN IF EXISTS a SET DEFAULT 9",
	"ALTER TABLE t ALTER COLUMN IF EXISTS zz DROP DEFAULT",
	"ALTER TABLE t RENAME COLUMN IF EXISTS missing TO still_missing",
	"ALTER TABLE t RENAME COLUMN IF EXISTS a TO a2",
	"ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS ck_q CHECK (a <> 14)",
	"ALTER TABLE t ADD CONSTRAINT IF NOT EXISTS ck CHECK (a <> 14)",
	"ALTER TABLE t RENAME INDEX IF EXISTS ka TO kb",
	"ALTER TABLE t ADD CONSTRAINT fk_q2 FOREIGN KEY IF NOT EXISTS (a) REFERENCES t0 (id)",
	"CREATE TABLE t (a INT) ENGINE=InnoDB `PAGE_COMPRESSED`='1' `PAGE_COMPRESSION_LEVEL`='3'",
	"CREATE TABLE t (a INT) ENGINE=InnoDB PAGE_COMPRESSED=1 page_compression_level=3",
	/* ct3 */
	"CREATE TABLE t (a INT DEFAULT 0x10, b VARBINARY(2) DEFAULT X'0a', c BIT(4) DEFAULT 0b101, d BIT(4) DEFAULT b'11', e INT DEFAULT 0b11)",
	"CREATE TABLE t (a GEOMETRY REF_SYSTEM_ID=4326 NOT NULL, b POINT REF_SYSTEM_ID = 3857 COMMENT 'x')",
	NULL
};

static void test_corpus__round_trip(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	size_t i;

	(void)state;
	po.default_db = "d";
	for (i = 0; sql_test_corpus[i]; i++)
		sqlt_roundtrip(sql_test_corpus[i], &po);
}

static int rename_all(const char *schema, const char *table,
		      const char **new_schema, const char **new_table,
		      void *userdata)
{
	(void)schema;
	(void)userdata;
	*new_schema = "routed";
	if (table)
		*new_table = "t_routed";
	return 0;
}

/* Everything one statement goes through, under allocation failure; when
 * it succeeds, the restored text must be `want`. */
static int exercise(const char *sql, const char *want)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_text_list *l = NULL;
	dm_sql_stmt *st = NULL;
	dm_buf b = DM_BUF_INIT;
	dm_error *err = NULL;
	int rc;

	po.default_db = "d";
	ro.rename = rename_all;
	ro.qualify = true;
	rc = dm_sql_parse(&st, sql, strlen(sql), &po, &err);
	if (rc)
		goto out;
	rc = dm_sql_restore(&b, st, &ro, &err);
	if (rc)
		goto out;
	if (want)
		assert_string_equal(b.data, want);
	rc = dm_sql_split_stmt(&l, st, DM_SQL_SPLIT_ALTER, &ro, &err);
	if (rc)
		goto out;
	rc = dm_sql_stmt_dump(&b, st);
out:
	if (rc) {
		if (rc != DM_E_NO_MEMORY)
			print_error("%s: rc %d %s\n", sql, rc,
				    err ? dm_error_message(err) : "");
		assert_int_equal(rc, DM_E_NO_MEMORY);
		if (err)
			assert_int_equal(dm_error_status(err), DM_E_NO_MEMORY);
	}
	dm_error_free(err);
	dm_sql_text_list_free(l);
	dm_buf_free(&b);
	dm_sql_stmt_free(st);
	return rc;
}

static void test_corpus__allocation_failures(void **state)
{
	size_t i, step = sqlt_quick() ? 7 : 1;

	(void)state;
	for (i = 0; sql_test_corpus[i]; i += step) {
		dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
		dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
		dm_sql_stmt *st;
		char *want;
		long n;

		po.default_db = "d";
		ro.rename = rename_all;
		ro.qualify = true;
		st = sqlt_parse(sql_test_corpus[i], &po);
		want = sqlt_restore(st, &ro);
		dm_sql_stmt_free(st);
		for (n = 0;; n++) {
			int rc;

			dm__alloc_fail_after(n);
			rc = exercise(sql_test_corpus[i], want);
			dm__alloc_fail_after(-1);
			if (rc == 0)
				break;
			assert_true(n < 100000);
		}
		free(want);
	}
}

static void test_corpus__expression_allocation_failures(void **state)
{
	static const char *const exprs[] = {
		"CASE WHEN a > 1 THEN CONCAT(b, 'x') ELSE CAST(c AS CHAR(3)) END",
		"d + INTERVAL 1 DAY BETWEEN NOW() AND TRIM(LEADING 'x' FROM s)",
		"a IN (1, 2, 3) AND NOT b LIKE 'q%' ESCAPE '!' OR j->>'$.x' IS NULL",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		long n;

		for (n = 0;; n++) {
			dm_sql_stmt *st = NULL;
			dm_buf b = DM_BUF_INIT;
			int rc;

			dm__alloc_fail_after(n);
			rc = dm_sql_parse_expr(&st, exprs[i], strlen(exprs[i]), NULL, NULL);
			if (!rc)
				rc = dm_sql_expr_restore(&b, dm_sql_stmt_expr(st), NULL, NULL);
			dm__alloc_fail_after(-1);
			dm_buf_free(&b);
			dm_sql_stmt_free(st);
			if (!rc)
				break;
			assert_int_equal(rc, DM_E_NO_MEMORY);
		}
	}
}

static void test_corpus__equal_distinguishes_statements(void **state)
{
	size_t i, n = 0, same = 0;

	(void)state;
	while (sql_test_corpus[n])
		n++;
	/* a statement equals itself parsed again; neighbours differ but for
	 * the few written as synonyms on purpose (RENAME TO / RENAME AS) */
	for (i = 0; i + 1 < n; i++) {
		dm_sql_stmt *a = sqlt_parse(sql_test_corpus[i], NULL);
		dm_sql_stmt *b = sqlt_parse(sql_test_corpus[i + 1], NULL);
		dm_sql_stmt *c = sqlt_parse(sql_test_corpus[i], NULL);

		if (dm_sql_stmt_equal(a, b))
			same++;
		assert_true(dm_sql_stmt_equal(a, c));
		dm_sql_stmt_free(a);
		dm_sql_stmt_free(b);
		dm_sql_stmt_free(c);
	}
	assert_true(same <= 3);
}

static void test_corpus__spelling_differences_are_equal(void **state)
{
	static const char *const same[][2] = {
		{ "create table T (A int key)", "CREATE TABLE `T` (`a` INTEGER PRIMARY KEY)" },
		{ "ALTER TABLE t ADD COLUMN a INT", "alter table `t` add a int" },
		{ "ALTER TABLE t ADD INDEX i (a)", "ALTER TABLE t ADD KEY `I` (`A`)" },
		{ "CREATE SCHEMA d", "CREATE DATABASE `d`" },
		{ "CREATE TABLE t (a BOOL)", "CREATE TABLE t (a TINYINT(1))" },
		{ "CREATE TABLE t (a INT CHECK (a <> 1 && b))", "CREATE TABLE t (a INT CHECK ((a != 1) AND (b)))" },
		{ "CREATE TABLE t (a INT) ENGINE InnoDB", "CREATE TABLE t (a INT) ENGINE=innodb" },
		{ "DROP TABLE t", "DROP TABLES `t`" },
		{ "TRUNCATE t", "TRUNCATE TABLE t" },
		{ "insert into t values (1)", "INSERT INTO `t` VALUES(1)" },
	};
	static const char *const differ[][2] = {
		{ "CREATE TABLE t (a INT)", "CREATE TABLE T (a INT)" },
		{ "CREATE TABLE t (a INT NULL)", "CREATE TABLE t (a INT)" },
		{ "CREATE TABLE t (a VARCHAR(2) DEFAULT 'x')", "CREATE TABLE t (a VARCHAR(2) DEFAULT 'X')" },
		{ "CREATE TABLE t (a INT DEFAULT 1)", "CREATE TABLE t (a INT DEFAULT 1.0)" },
		{ "CREATE TABLE t (a INT CHECK (a + b * c))", "CREATE TABLE t (a INT CHECK ((a + b) * c))" },
		{ "ALTER TABLE t ADD a INT", "ALTER TABLE t ADD a INT FIRST" },
		{ "DROP TABLE t", "DROP TABLE IF EXISTS t" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		dm_sql_stmt *a = sqlt_parse(same[i][0], NULL), *b = sqlt_parse(same[i][1], NULL);

		if (!dm_sql_stmt_equal(a, b))
			print_error("should be equal: %s | %s\n", same[i][0], same[i][1]);
		assert_true(dm_sql_stmt_equal(a, b));
		dm_sql_stmt_free(a);
		dm_sql_stmt_free(b);
	}
	for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
		dm_sql_stmt *a = sqlt_parse(differ[i][0], NULL), *b = sqlt_parse(differ[i][1], NULL);

		assert_false(dm_sql_stmt_equal(a, b));
		dm_sql_stmt_free(a);
		dm_sql_stmt_free(b);
	}
	assert_true(dm_sql_stmt_equal(NULL, NULL));
}

int sql_test_corpus_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus__round_trip),
		cmocka_unit_test_teardown(test_corpus__allocation_failures, sqlt_reset_alloc),
		cmocka_unit_test_teardown(test_corpus__expression_allocation_failures,
					  sqlt_reset_alloc),
		cmocka_unit_test(test_corpus__equal_distinguishes_statements),
		cmocka_unit_test(test_corpus__spelling_differences_are_equal),
	};

	return cmocka_run_group_tests_name("sql_corpus", tests, NULL, NULL);
}
