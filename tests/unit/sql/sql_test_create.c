/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CREATE TABLE and CREATE/ALTER/DROP DATABASE: each input restores to the
 * expected canonical text and survives the round trip. The expected texts
 * were checked by executing input and output on MariaDB 10.11 and
 * comparing SHOW CREATE TABLE.
 */
#include "sql_test.h"

#include <stdlib.h>
#include <string.h>

struct pair {
	const char *in;
	const char *out;
};

static const struct pair create_pairs[] = {
	{ "CREATE TABLE t (a TINYINT(3) UNSIGNED ZEROFILL, b SMALLINT, c MEDIUMINT UNSIGNED, d INT(11) NOT NULL DEFAULT 0, e BIGINT(20) UNSIGNED DEFAULT 42, f INTEGER, g INT1, h INT2, i INT3, j INT4, k INT8, l MIDDLEINT)",
	  "CREATE TABLE `t` (`a` TINYINT(3) UNSIGNED ZEROFILL, `b` SMALLINT, `c` MEDIUMINT UNSIGNED, `d` INT(11) NOT NULL DEFAULT 0, `e` BIGINT(20) UNSIGNED DEFAULT 42, `f` INT, `g` TINYINT, `h` SMALLINT, `i` MEDIUMINT, `j` INT, `k` BIGINT, `l` MEDIUMINT)" },
	{ "CREATE TABLE t (a DECIMAL, b DECIMAL(10), c DECIMAL(10,2) UNSIGNED, d DEC(5,1), e NUMERIC(7,3), f FIXED(4,2), g FLOAT, h FLOAT(7,4), i FLOAT(30), j DOUBLE, k DOUBLE(10,3), l DOUBLE PRECISION, m REAL, n FLOAT4, o FLOAT8)",
	  "CREATE TABLE `t` (`a` DECIMAL, `b` DECIMAL(10), `c` DECIMAL(10,2) UNSIGNED, `d` DECIMAL(5,1), `e` DECIMAL(7,3), `f` DECIMAL(4,2), `g` FLOAT, `h` FLOAT(7,4), `i` FLOAT(30), `j` DOUBLE, `k` DOUBLE(10,3), `l` DOUBLE, `m` DOUBLE, `n` FLOAT, `o` DOUBLE)" },
	{ "CREATE TABLE t (a BIT, b BIT(8) DEFAULT b'101', c BOOL DEFAULT TRUE, d BOOLEAN DEFAULT FALSE, e SERIAL)",
	  "CREATE TABLE `t` (`a` BIT, `b` BIT(8) DEFAULT b'101', `c` TINYINT(1) DEFAULT TRUE, `d` TINYINT(1) DEFAULT FALSE, `e` SERIAL)" },
	{ "CREATE TABLE t (a DATE DEFAULT '2020-01-01', b TIME(3), c DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), d TIMESTAMP NULL DEFAULT NULL, e YEAR, f YEAR(4), g TIMESTAMP(2) NOT NULL DEFAULT '2000-01-01 00:00:00.00')",
	  "CREATE TABLE `t` (`a` DATE DEFAULT '2020-01-01', `b` TIME(3), `c` DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6), `d` TIMESTAMP NULL DEFAULT NULL, `e` YEAR, `f` YEAR(4), `g` TIMESTAMP(2) NOT NULL DEFAULT '2000-01-01 00:00:00.00')" },
	{ "CREATE TABLE t (a CHAR, b CHAR(10) BINARY, c VARCHAR(255) CHARACTER SET latin1 COLLATE latin1_bin, d NCHAR(5), e NATIONAL CHARACTER(5), f NVARCHAR(20), g CHARACTER VARYING(12), h VARCHAR(10) CHARSET utf8mb4, i CHAR(3) ASCII, j VARCHAR(5) UNICODE, k CHAR(4) BYTE)",
	  "CREATE TABLE `t` (`a` CHAR, `b` CHAR(10) BINARY, `c` VARCHAR(255) CHARACTER SET latin1 COLLATE latin1_bin, `d` NCHAR(5), `e` NCHAR(5), `f` NVARCHAR(20), `g` VARCHAR(12), `h` VARCHAR(10) CHARACTER SET utf8mb4, `i` CHAR(3) CHARACTER SET latin1, `j` VARCHAR(5) CHARACTER SET ucs2, `k` CHAR(4) CHARACTER SET binary)" },
	{ "CREATE TABLE t (a BINARY(4), b VARBINARY(200), c TINYBLOB, d BLOB, e BLOB(1000), f MEDIUMBLOB, g LONGBLOB, h LONG VARBINARY, i TINYTEXT, j TEXT, k TEXT(100), l MEDIUMTEXT CHARACTER SET utf8mb4, m LONGTEXT COLLATE utf8mb4_unicode_ci, n LONG VARCHAR, o LONG)",
	  "CREATE TABLE `t` (`a` BINARY(4), `b` VARBINARY(200), `c` TINYBLOB, `d` BLOB, `e` BLOB(1000), `f` MEDIUMBLOB, `g` LONGBLOB, `h` MEDIUMBLOB, `i` TINYTEXT, `j` TEXT, `k` TEXT(100), `l` MEDIUMTEXT CHARACTER SET utf8mb4, `m` LONGTEXT COLLATE utf8mb4_unicode_ci, `n` MEDIUMTEXT, `o` MEDIUMTEXT)" },
	{ "CREATE TABLE t (a ENUM('x','y','it''s') NOT NULL DEFAULT 'x', b SET('a','b','c') DEFAULT 'a,b', c ENUM('a\\\\b','c') CHARACTER SET latin1)",
	  "CREATE TABLE `t` (`a` ENUM('x','y','it''s') NOT NULL DEFAULT 'x', `b` SET('a','b','c') DEFAULT 'a,b', `c` ENUM('a\\\\b','c') CHARACTER SET latin1)" },
	{ "CREATE TABLE t (a JSON, b GEOMETRY, c POINT NOT NULL, d LINESTRING, e POLYGON, f MULTIPOINT, g MULTILINESTRING, h MULTIPOLYGON, i GEOMETRYCOLLECTION, j INET6, k UUID, l INET4)",
	  "CREATE TABLE `t` (`a` JSON, `b` GEOMETRY, `c` POINT NOT NULL, `d` LINESTRING, `e` POLYGON, `f` MULTIPOINT, `g` MULTILINESTRING, `h` MULTIPOLYGON, `i` GEOMETRYCOLLECTION, `j` INET6, `k` UUID, `l` INET4)" },
	{ "CREATE TABLE t (id INT PRIMARY KEY, u INT UNIQUE, v INT UNIQUE KEY, w INT KEY, x INT COMMENT 'col comment', y INT AUTO_INCREMENT UNIQUE)",
	  "CREATE TABLE `t` (`id` INT PRIMARY KEY, `u` INT UNIQUE KEY, `v` INT UNIQUE KEY, `w` INT PRIMARY KEY, `x` INT COMMENT 'col comment', `y` INT AUTO_INCREMENT UNIQUE KEY)" },
	{ "CREATE TABLE t (a INT, b INT AS (a + 1), c INT GENERATED ALWAYS AS (a * 2) VIRTUAL, d INT AS (a - 1) PERSISTENT, e INT AS (a DIV 2) STORED, f VARCHAR(10) AS (CONCAT(a, 'x')) VIRTUAL INVISIBLE)",
	  "CREATE TABLE `t` (`a` INT, `b` INT GENERATED ALWAYS AS (`a` + 1) VIRTUAL, `c` INT GENERATED ALWAYS AS (`a` * 2) VIRTUAL, `d` INT GENERATED ALWAYS AS (`a` - 1) STORED, `e` INT GENERATED ALWAYS AS (`a` DIV 2) STORED, `f` VARCHAR(10) GENERATED ALWAYS AS (CONCAT(`a`, 'x')) VIRTUAL INVISIBLE)" },
	{ "CREATE TABLE t (a INT, b INT INVISIBLE DEFAULT 1, c INT DEFAULT NULL INVISIBLE)",
	  "CREATE TABLE `t` (`a` INT, `b` INT DEFAULT 1 INVISIBLE, `c` INT DEFAULT NULL INVISIBLE)" },
	{ "CREATE TABLE t (a INT CHECK (a > 0), b INT, CONSTRAINT c1 CHECK (b < 100), CHECK (a <> b), CONSTRAINT CHECK (a + b > 0))",
	  "CREATE TABLE `t` (`a` INT CHECK (`a` > 0), `b` INT, CONSTRAINT `c1` CHECK (`b` < 100), CHECK (`a` <> `b`), CHECK (`a` + `b` > 0))" },
	{ "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL, c VARCHAR(100), PRIMARY KEY (a, b) USING BTREE, UNIQUE KEY uk (c(10)), KEY k1 (b DESC) COMMENT 'idx', INDEX k2 USING HASH (a), FULLTEXT KEY ft (c), KEY k3 (c) KEY_BLOCK_SIZE=8)",
	  "CREATE TABLE `t` (`a` INT NOT NULL, `b` INT NOT NULL, `c` VARCHAR(100), PRIMARY KEY (`a`,`b`) USING BTREE, UNIQUE KEY `uk` (`c`(10)), KEY `k1` (`b` DESC) COMMENT 'idx', KEY `k2` (`a`) USING HASH, FULLTEXT KEY `ft` (`c`), KEY `k3` (`c`) KEY_BLOCK_SIZE=8)" },
	{ "CREATE TABLE t (g GEOMETRY NOT NULL, SPATIAL INDEX (g))",
	  "CREATE TABLE `t` (`g` GEOMETRY NOT NULL, SPATIAL KEY (`g`))" },
	{ "CREATE TABLE t (a INT, b INT, KEY (a) IGNORED, KEY (b) NOT IGNORED)",
	  "CREATE TABLE `t` (`a` INT, `b` INT, KEY (`a`) IGNORED, KEY (`b`) NOT IGNORED)" },
	{ "CREATE TABLE t (a INT, KEY ia (a), CONSTRAINT fk FOREIGN KEY (a) REFERENCES t0 (id) ON DELETE SET NULL ON UPDATE CASCADE)",
	  "CREATE TABLE `t` (`a` INT, KEY `ia` (`a`), CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `t0` (`id`) ON DELETE SET NULL ON UPDATE CASCADE)" },
	{ "CREATE TABLE t (a INT, FOREIGN KEY (a) REFERENCES t0 (id) MATCH FULL ON DELETE NO ACTION ON UPDATE RESTRICT)",
	  "CREATE TABLE `t` (`a` INT, FOREIGN KEY (`a`) REFERENCES `t0` (`id`) MATCH FULL ON DELETE NO ACTION ON UPDATE RESTRICT)" },
	{ "CREATE TABLE t (a INT, FOREIGN KEY fkname (a) REFERENCES va.t0 (id))",
	  "CREATE TABLE `t` (`a` INT, FOREIGN KEY `fkname` (`a`) REFERENCES `va`.`t0` (`id`))" },
	{ "CREATE TABLE t (a INT) ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE=latin1_bin COMMENT='x' ROW_FORMAT=FIXED MAX_ROWS=100 MIN_ROWS=1 AVG_ROW_LENGTH=10 CHECKSUM=1 DELAY_KEY_WRITE=1 PACK_KEYS=0",
	  "CREATE TABLE `t` (`a` INT) ENGINE=MyISAM DEFAULT CHARSET=latin1 COLLATE=latin1_bin COMMENT='x' ROW_FORMAT=FIXED MAX_ROWS=100 MIN_ROWS=1 AVG_ROW_LENGTH=10 CHECKSUM=1 DELAY_KEY_WRITE=1 PACK_KEYS=0" },
	{ "CREATE TABLE t (a INT) ENGINE=InnoDB ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8 STATS_PERSISTENT=1 STATS_AUTO_RECALC=0 STATS_SAMPLE_PAGES=20",
	  "CREATE TABLE `t` (`a` INT) ENGINE=InnoDB ROW_FORMAT=COMPRESSED KEY_BLOCK_SIZE=8 STATS_PERSISTENT=1 STATS_AUTO_RECALC=0 STATS_SAMPLE_PAGES=20" },
	{ "CREATE TABLE t (a INT) ENGINE=Aria PAGE_CHECKSUM=1 TRANSACTIONAL=1",
	  "CREATE TABLE `t` (`a` INT) ENGINE=Aria PAGE_CHECKSUM=1 TRANSACTIONAL=1" },
	{ "CREATE TABLE t (a INT) DEFAULT CHARACTER SET = utf8mb4 DEFAULT COLLATE = utf8mb4_unicode_ci, ENGINE = InnoDB",
	  "CREATE TABLE `t` (`a` INT) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci ENGINE=InnoDB" },
	{ "CREATE TABLE t (a INT) CHARSET latin1",
	  "CREATE TABLE `t` (`a` INT) DEFAULT CHARSET=latin1" },
	{ "CREATE TABLE t (x INT) WITH SYSTEM VERSIONING",
	  "CREATE TABLE `t` (`x` INT) WITH SYSTEM VERSIONING" },
	{ "CREATE TABLE t (x INT, start_trxid BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, end_trxid BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE, PERIOD FOR SYSTEM_TIME(start_trxid, end_trxid)) ENGINE=InnoDB WITH SYSTEM VERSIONING",
	  "CREATE TABLE `t` (`x` INT, `start_trxid` BIGINT UNSIGNED GENERATED ALWAYS AS ROW START INVISIBLE, `end_trxid` BIGINT UNSIGNED GENERATED ALWAYS AS ROW END INVISIBLE, PERIOD FOR SYSTEM_TIME (`start_trxid`,`end_trxid`)) ENGINE=InnoDB WITH SYSTEM VERSIONING" },
	{ "CREATE TABLE t (x INT, s TIMESTAMP(6) GENERATED ALWAYS AS ROW START, e TIMESTAMP(6) GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME (s, e)) WITH SYSTEM VERSIONING",
	  "CREATE TABLE `t` (`x` INT, `s` TIMESTAMP(6) GENERATED ALWAYS AS ROW START, `e` TIMESTAMP(6) GENERATED ALWAYS AS ROW END, PERIOD FOR SYSTEM_TIME (`s`,`e`)) WITH SYSTEM VERSIONING" },
	{ "CREATE TABLE t (id INT, s DATE, e DATE, PERIOD FOR p(s, e), UNIQUE (id, p WITHOUT OVERLAPS))",
	  "CREATE TABLE `t` (`id` INT, `s` DATE, `e` DATE, PERIOD FOR `p` (`s`,`e`), UNIQUE KEY (`id`,`p` WITHOUT OVERLAPS))" },
	{ "CREATE TABLE t (a INT NOT NULL, b DATE) PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)",
	  "CREATE TABLE `t` (`a` INT NOT NULL, `b` DATE) PARTITION BY RANGE (a) (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)" },
	{ "CREATE TABLE t (a INT NOT NULL, b DATE) PARTITION BY RANGE (YEAR(b)) (PARTITION p0 VALUES LESS THAN (2000) ENGINE = InnoDB, PARTITION p1 VALUES LESS THAN (2010) ENGINE = InnoDB)",
	  "CREATE TABLE `t` (`a` INT NOT NULL, `b` DATE) PARTITION BY RANGE (YEAR(b)) (PARTITION p0 VALUES LESS THAN (2000) ENGINE = InnoDB, PARTITION p1 VALUES LESS THAN (2010) ENGINE = InnoDB)" },
	{ "CREATE TABLE t (a INT NOT NULL) PARTITION BY LIST (a) (PARTITION p0 VALUES IN (1,2,3), PARTITION p1 VALUES IN (4,5))",
	  "CREATE TABLE `t` (`a` INT NOT NULL) PARTITION BY LIST (a) (PARTITION p0 VALUES IN (1, 2, 3), PARTITION p1 VALUES IN (4, 5))" },
	{ "CREATE TABLE t (a INT NOT NULL) PARTITION BY KEY (a) PARTITIONS 3",
	  "CREATE TABLE `t` (`a` INT NOT NULL) PARTITION BY KEY (a) PARTITIONS 3" },
	{ "CREATE TABLE t (a INT NOT NULL) PARTITION BY LINEAR HASH (a) PARTITIONS 2",
	  "CREATE TABLE `t` (`a` INT NOT NULL) PARTITION BY LINEAR HASH (a) PARTITIONS 2" },
	{ "CREATE TABLE t (a VARCHAR(10), b INT) PARTITION BY RANGE COLUMNS (a, b) (PARTITION p0 VALUES LESS THAN ('m', 5), PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE))",
	  "CREATE TABLE `t` (`a` VARCHAR(10), `b` INT) PARTITION BY RANGE COLUMNS (a, b) (PARTITION p0 VALUES LESS THAN ('m', 5), PARTITION p1 VALUES LESS THAN (MAXVALUE, MAXVALUE))" },
	{ "CREATE TABLE t (a INT NOT NULL, b INT NOT NULL) PARTITION BY RANGE (a) SUBPARTITION BY HASH (b) SUBPARTITIONS 2 (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)",
	  "CREATE TABLE `t` (`a` INT NOT NULL, `b` INT NOT NULL) PARTITION BY RANGE (a) SUBPARTITION BY HASH (b) SUBPARTITIONS 2 (PARTITION p0 VALUES LESS THAN (10), PARTITION p1 VALUES LESS THAN MAXVALUE)" },
	{ "CREATE TEMPORARY TABLE IF NOT EXISTS t (a INT)",
	  "CREATE TEMPORARY TABLE IF NOT EXISTS `t` (`a` INT)" },
	{ "CREATE OR REPLACE TABLE t (a INT)",
	  "CREATE OR REPLACE TABLE `t` (`a` INT)" },
	{ "CREATE TABLE t (a VARCHAR(10) DEFAULT 'a\\nb', b VARCHAR(10) DEFAULT 'tab\\there', c VARCHAR(10) DEFAULT 'q\"q', d VARCHAR(10) DEFAULT \"dq'x\", e VARCHAR(10) DEFAULT 'back\\\\slash', f VARCHAR(10) DEFAULT '', g VARCHAR(20) DEFAULT 'zero\\0byte')",
	  "CREATE TABLE `t` (`a` VARCHAR(10) DEFAULT 'a\\nb', `b` VARCHAR(10) DEFAULT 'tab\there', `c` VARCHAR(10) DEFAULT 'q\"q', `d` VARCHAR(10) DEFAULT 'dq''x', `e` VARCHAR(10) DEFAULT 'back\\\\slash', `f` VARCHAR(10) DEFAULT '', `g` VARCHAR(20) DEFAULT 'zero\\0byte')" },
	{ "CREATE TABLE t (a VARCHAR(10) COMMENT 'new\\nline', b INT COMMENT \"it's\") COMMENT 'table ''quoted'' comment'",
	  "CREATE TABLE `t` (`a` VARCHAR(10) COMMENT 'new\\nline', `b` INT COMMENT 'it''s') COMMENT='table ''quoted'' comment'" },
	{ "CREATE TABLE t (a INT DEFAULT -1, b DECIMAL(5,2) DEFAULT -0.5, c DOUBLE DEFAULT 1e3, d DOUBLE DEFAULT -1.5E-3, e INT DEFAULT +5, f VARCHAR(5) DEFAULT _utf8mb4'x', g VARBINARY(5) DEFAULT X'4142', h VARCHAR(5) DEFAULT N'n')",
	  "CREATE TABLE `t` (`a` INT DEFAULT -1, `b` DECIMAL(5,2) DEFAULT -0.5, `c` DOUBLE DEFAULT 1e3, `d` DOUBLE DEFAULT -1.5E-3, `e` INT DEFAULT +5, `f` VARCHAR(5) DEFAULT _utf8mb4'x', `g` VARBINARY(5) DEFAULT X'4142', `h` VARCHAR(5) DEFAULT N'n')" },
	{ "CREATE TABLE t (a INT, b INT DEFAULT (a * 2), c VARCHAR(36) DEFAULT (UUID()), d DATETIME DEFAULT (NOW() + INTERVAL 1 DAY), e DATE DEFAULT (CURDATE()), f INT DEFAULT (1 + 1))",
	  "CREATE TABLE `t` (`a` INT, `b` INT DEFAULT (`a` * 2), `c` VARCHAR(36) DEFAULT (UUID()), `d` DATETIME DEFAULT (NOW() + INTERVAL 1 DAY), `e` DATE DEFAULT (CURDATE()), `f` INT DEFAULT (1 + 1))" },
	{ "CREATE TABLE t (a DATETIME DEFAULT NOW(), b TIMESTAMP DEFAULT LOCALTIMESTAMP, c TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3), d DATETIME DEFAULT LOCALTIME())",
	  "CREATE TABLE `t` (`a` DATETIME DEFAULT NOW(), `b` TIMESTAMP DEFAULT LOCALTIMESTAMP(), `c` TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3), `d` DATETIME DEFAULT LOCALTIME())" },
	{ "CREATE TABLE t (a INT, b INT, c INT AS (CASE WHEN a > 0 THEN 1 WHEN a < 0 THEN -1 ELSE 0 END), d INT AS (IF(a IS NULL, 0, a)), e INT AS (COALESCE(a, b, 0)), f VARCHAR(10) AS (CAST(a AS CHAR(10))), g INT AS (a BETWEEN 1 AND 10), h INT AS (a IN (1, 2, 3)), i INT AS (a NOT IN (4)), j INT AS (b IS NOT NULL))",
	  "CREATE TABLE `t` (`a` INT, `b` INT, `c` INT GENERATED ALWAYS AS (CASE WHEN `a` > 0 THEN 1 WHEN `a` < 0 THEN -1 ELSE 0 END) VIRTUAL, `d` INT GENERATED ALWAYS AS (IF(`a` IS NULL, 0, `a`)) VIRTUAL, `e` INT GENERATED ALWAYS AS (COALESCE(`a`, `b`, 0)) VIRTUAL, `f` VARCHAR(10) GENERATED ALWAYS AS (CAST(`a` AS CHAR(10))) VIRTUAL, `g` INT GENERATED ALWAYS AS (`a` BETWEEN 1 AND 10) VIRTUAL, `h` INT GENERATED ALWAYS AS (`a` IN (1, 2, 3)) VIRTUAL, `i` INT GENERATED ALWAYS AS (`a` NOT IN (4)) VIRTUAL, `j` INT GENERATED ALWAYS AS (`b` IS NOT NULL) VIRTUAL)" },
	{ "CREATE TABLE t (a VARCHAR(10), b INT AS (a LIKE 'x%'), c INT AS (a NOT LIKE 'y\\\\_%' ESCAPE '\\\\'), d INT AS (a REGEXP '^[a-z]+$'), e VARCHAR(10) AS (LOWER(TRIM(a))), f VARCHAR(10) AS (TRIM(LEADING 'x' FROM a)), g VARCHAR(10) AS (SUBSTRING(a, 2, 3)), h VARCHAR(10) AS (SUBSTRING(a FROM 2)), i INT AS (LOCATE('b', a)), j INT AS (POSITION('c' IN a)))",
	  "CREATE TABLE `t` (`a` VARCHAR(10), `b` INT GENERATED ALWAYS AS (`a` LIKE 'x%') VIRTUAL, `c` INT GENERATED ALWAYS AS (`a` NOT LIKE 'y\\\\_%' ESCAPE '\\\\') VIRTUAL, `d` INT GENERATED ALWAYS AS (`a` REGEXP '^[a-z]+$') VIRTUAL, `e` VARCHAR(10) GENERATED ALWAYS AS (LOWER(TRIM(`a`))) VIRTUAL, `f` VARCHAR(10) GENERATED ALWAYS AS (TRIM(LEADING 'x' FROM `a`)) VIRTUAL, `g` VARCHAR(10) GENERATED ALWAYS AS (SUBSTRING(`a`, 2, 3)) VIRTUAL, `h` VARCHAR(10) GENERATED ALWAYS AS (SUBSTRING(`a`, 2)) VIRTUAL, `i` INT GENERATED ALWAYS AS (LOCATE('b', `a`)) VIRTUAL, `j` INT GENERATED ALWAYS AS (POSITION('c' IN `a`)) VIRTUAL)" },
	{ "CREATE TABLE t (a INT, b INT AS (a & 3 | 4 ^ 1), c INT AS (a << 2 >> 1), d INT AS (~a), e INT AS (-a), f INT AS (a % 3), g INT AS (a MOD 3), h INT AS (MOD(a, 3)), i INT AS (!a), j INT AS (a XOR 1), k INT AS (a <=> NULL))",
	  "CREATE TABLE `t` (`a` INT, `b` INT GENERATED ALWAYS AS (`a` & 3 | 4 ^ 1) VIRTUAL, `c` INT GENERATED ALWAYS AS (`a` << 2 >> 1) VIRTUAL, `d` INT GENERATED ALWAYS AS (~`a`) VIRTUAL, `e` INT GENERATED ALWAYS AS (-`a`) VIRTUAL, `f` INT GENERATED ALWAYS AS (`a` % 3) VIRTUAL, `g` INT GENERATED ALWAYS AS (`a` % 3) VIRTUAL, `h` INT GENERATED ALWAYS AS (MOD(`a`, 3)) VIRTUAL, `i` INT GENERATED ALWAYS AS (NOT `a`) VIRTUAL, `j` INT GENERATED ALWAYS AS (`a` XOR 1) VIRTUAL, `k` INT GENERATED ALWAYS AS (`a` <=> NULL) VIRTUAL)" },
	{ "CREATE TABLE t (a DATETIME, b INT AS (EXTRACT(YEAR FROM a)), c DATETIME AS (DATE_ADD(a, INTERVAL 1 HOUR)), d DATETIME AS (a - INTERVAL 2 DAY), e INT AS (TIMESTAMPDIFF(SECOND, a, '2020-01-01')), f DATE AS (DATE(a)), g VARCHAR(20) AS (DATE_FORMAT(a, '%Y-%m-%d')))",
	  "CREATE TABLE `t` (`a` DATETIME, `b` INT GENERATED ALWAYS AS (EXTRACT(YEAR FROM `a`)) VIRTUAL, `c` DATETIME GENERATED ALWAYS AS (DATE_ADD(`a`, INTERVAL 1 HOUR)) VIRTUAL, `d` DATETIME GENERATED ALWAYS AS (`a` - INTERVAL 2 DAY) VIRTUAL, `e` INT GENERATED ALWAYS AS (TIMESTAMPDIFF(SECOND, `a`, '2020-01-01')) VIRTUAL, `f` DATE GENERATED ALWAYS AS (DATE(`a`)) VIRTUAL, `g` VARCHAR(20) GENERATED ALWAYS AS (DATE_FORMAT(`a`, '%Y-%m-%d')) VIRTUAL)" },
	{ "CREATE TABLE t (a VARCHAR(10), b VARCHAR(10) AS (a COLLATE utf8mb4_bin), c VARBINARY(10) AS (BINARY a), d VARCHAR(10) AS (CONVERT(a USING latin1)), e INT AS (CONVERT(a, SIGNED)), f DECIMAL(10,2) AS (CAST(a AS DECIMAL(10,2))), g VARCHAR(10) AS (CHAR(65, 66 USING utf8mb4)))",
	  "CREATE TABLE `t` (`a` VARCHAR(10), `b` VARCHAR(10) GENERATED ALWAYS AS (`a` COLLATE utf8mb4_bin) VIRTUAL, `c` VARBINARY(10) GENERATED ALWAYS AS (BINARY `a`) VIRTUAL, `d` VARCHAR(10) GENERATED ALWAYS AS (CONVERT(`a` USING latin1)) VIRTUAL, `e` INT GENERATED ALWAYS AS (CAST(`a` AS SIGNED)) VIRTUAL, `f` DECIMAL(10,2) GENERATED ALWAYS AS (CAST(`a` AS DECIMAL(10,2))) VIRTUAL, `g` VARCHAR(10) GENERATED ALWAYS AS (CHAR(65, 66 USING utf8mb4)) VIRTUAL)" },
	{ "CREATE TABLE t (j LONGTEXT, k VARCHAR(10) AS (JSON_UNQUOTE(JSON_EXTRACT(j, '$.k'))), CHECK (JSON_VALID(j)))",
	  "CREATE TABLE `t` (`j` LONGTEXT, `k` VARCHAR(10) GENERATED ALWAYS AS (JSON_UNQUOTE(JSON_EXTRACT(`j`, '$.k'))) VIRTUAL, CHECK (JSON_VALID(`j`)))" },
	{ "CREATE TABLE t (a INT, b INT, CONSTRAINT chk CHECK (a > 0 AND (b > 0 OR b IS NULL) AND NOT (a = b)))",
	  "CREATE TABLE `t` (`a` INT, `b` INT, CONSTRAINT `chk` CHECK (`a` > 0 AND (`b` > 0 OR `b` IS NULL) AND NOT (`a` = `b`)))" },
	{ "CREATE TABLE t (a INT) ENGINE=MEMORY",
	  "CREATE TABLE `t` (`a` INT) ENGINE=MEMORY" },
	{ "CREATE TABLE `weird``name` (`col``x` INT, `sp ace` INT, `\303\274n\303\257` INT)",
	  "CREATE TABLE `weird``name` (`col``x` INT, `sp ace` INT, `\303\274n\303\257` INT)" },
	{ "CREATE TABLE t (a INT) COMMENT='a\\\\b'",
	  "CREATE TABLE `t` (`a` INT) COMMENT='a\\\\b'" },
	{ "CREATE TABLE t (a INT, b INT AS ((a + 1) * (a - 1)) VIRTUAL, c INT AS (a - (1 - a)), d INT AS (a / 2 / 3), e INT AS (a / (2 / 3)), f INT AS (-(-a)), g INT AS (- -a))",
	  "CREATE TABLE `t` (`a` INT, `b` INT GENERATED ALWAYS AS ((`a` + 1) * (`a` - 1)) VIRTUAL, `c` INT GENERATED ALWAYS AS (`a` - (1 - `a`)) VIRTUAL, `d` INT GENERATED ALWAYS AS (`a` / 2 / 3) VIRTUAL, `e` INT GENERATED ALWAYS AS (`a` / (2 / 3)) VIRTUAL, `f` INT GENERATED ALWAYS AS (-(-`a`)) VIRTUAL, `g` INT GENERATED ALWAYS AS (-(-`a`)) VIRTUAL)" },
	{ "CREATE TABLE t (a INT, b INT AS (a = 1 = 0), c INT AS ((a = 1) IS TRUE), d INT AS (a IS NULL IS NOT TRUE), e INT AS (NOT a IS NULL), f INT AS (a > 1 AND NOT a > 2))",
	  "CREATE TABLE `t` (`a` INT, `b` INT GENERATED ALWAYS AS ((`a` = 1) = 0) VIRTUAL, `c` INT GENERATED ALWAYS AS ((`a` = 1) IS TRUE) VIRTUAL, `d` INT GENERATED ALWAYS AS ((`a` IS NULL) IS NOT TRUE) VIRTUAL, `e` INT GENERATED ALWAYS AS (NOT (`a` IS NULL)) VIRTUAL, `f` INT GENERATED ALWAYS AS (`a` > 1 AND NOT (`a` > 2)) VIRTUAL)" },
	{ "CREATE TABLE t (a INT, b INT AS (a BETWEEN 1 AND 2 + 3), c INT AS (1 < a BETWEEN 0 AND 1))",
	  "CREATE TABLE `t` (`a` INT, `b` INT GENERATED ALWAYS AS (`a` BETWEEN 1 AND 2 + 3) VIRTUAL, `c` INT GENERATED ALWAYS AS (1 < (`a` BETWEEN 0 AND 1)) VIRTUAL)" },
	{ "CREATE TABLE t (a INT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'pk', PRIMARY KEY (a)) AUTO_INCREMENT=100",
	  "CREATE TABLE `t` (`a` INT UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'pk', PRIMARY KEY (`a`)) AUTO_INCREMENT=100" },
	{ "CREATE TABLE t (a INT) UNION=(t0)",
	  "CREATE TABLE `t` (`a` INT) UNION=(`t0`)" },
	{ "CREATE TABLE t (a INT) ENGINE=MRG_MyISAM UNION=(t1, t2) INSERT_METHOD=LAST",
	  "CREATE TABLE `t` (`a` INT) ENGINE=MRG_MyISAM UNION=(`t1`,`t2`) INSERT_METHOD=LAST" },
	{ "CREATE TABLE t (a VARCHAR(10) COMPRESSED, b BLOB COMPRESSED=zlib)",
	  "CREATE TABLE `t` (`a` VARCHAR(10) COMPRESSED, `b` BLOB COMPRESSED = zlib)" },
	{ "CREATE TABLE t (a INT COLUMN_FORMAT FIXED, b INT STORAGE DISK)",
	  "CREATE TABLE `t` (`a` INT COLUMN_FORMAT FIXED, `b` INT STORAGE DISK)" },
	{ "CREATE TABLE t (a INT, b INT WITHOUT SYSTEM VERSIONING) WITH SYSTEM VERSIONING",
	  "CREATE TABLE `t` (`a` INT, `b` INT WITHOUT SYSTEM VERSIONING) WITH SYSTEM VERSIONING" },
	{ "CREATE TABLE t (id BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB ENCRYPTED=YES ENCRYPTION_KEY_ID=1",
	  "CREATE TABLE `t` (`id` BIGINT NOT NULL, PRIMARY KEY (`id`)) ENGINE=InnoDB ENCRYPTED=YES ENCRYPTION_KEY_ID=1" },
	{ "CREATE TABLE t (a INT) ENGINE=InnoDB PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=5",
	  "CREATE TABLE `t` (`a` INT) ENGINE=InnoDB PAGE_COMPRESSED=1 PAGE_COMPRESSION_LEVEL=5" },
	{ "CREATE TABLE t (s VARCHAR(100), FULLTEXT KEY f (s) WITH PARSER ngram)",
	  "CREATE TABLE `t` (`s` VARCHAR(100), FULLTEXT KEY `f` (`s`) WITH PARSER `ngram`)" },
	{ "CREATE TABLE t (a INT, UNIQUE KEY u (a) USING HASH)",
	  "CREATE TABLE `t` (`a` INT, UNIQUE KEY `u` (`a`) USING HASH)" },
	{ "CREATE TABLE t (a BLOB, UNIQUE KEY (a))",
	  "CREATE TABLE `t` (`a` BLOB, UNIQUE KEY (`a`))" },
	{ "CREATE TABLE t (a INT REFERENCES t0 (id))",
	  "CREATE TABLE `t` (`a` INT REFERENCES `t0` (`id`))" },
	{ "CREATE DATABASE d",
	  "CREATE DATABASE `d`" },
	{ "CREATE SCHEMA IF NOT EXISTS `d``x` DEFAULT CHARACTER SET = utf8mb4 DEFAULT COLLATE = utf8mb4_unicode_ci",
	  "CREATE DATABASE IF NOT EXISTS `d``x` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci" },
	{ "CREATE OR REPLACE DATABASE d CHARSET latin1 COMMENT 'my db'",
	  "CREATE OR REPLACE DATABASE `d` CHARACTER SET latin1 COMMENT 'my db'" },
	{ "CREATE DATABASE d CHARACTER SET 'utf8mb4' COLLATE \"utf8mb4_bin\"",
	  "CREATE DATABASE `d` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" },
	{ "ALTER DATABASE d DEFAULT CHARACTER SET utf8mb4",
	  "ALTER DATABASE `d` CHARACTER SET utf8mb4" },
	{ "ALTER SCHEMA COLLATE = latin1_swedish_ci",
	  "ALTER DATABASE COLLATE latin1_swedish_ci" },
	{ "ALTER DATABASE d COMMENT = 'x''y'",
	  "ALTER DATABASE `d` COMMENT 'x''y'" },
	{ "DROP DATABASE d",
	  "DROP DATABASE `d`" },
	{ "DROP SCHEMA IF EXISTS d",
	  "DROP DATABASE IF EXISTS `d`" },
};

/* Regressions found by executing on MariaDB: 0x.. is not X'..' there,
 * and REF_SYSTEM_ID must follow the type. */
static const struct pair create_form_pairs[] = {
	{ "CREATE TABLE t (a INT DEFAULT 0x10, b VARBINARY(2) DEFAULT X'0a', c BIT(4) DEFAULT 0b101, d BIT(4) DEFAULT b'11', e INT DEFAULT 0b11)",
	  "CREATE TABLE `t` (`a` INT DEFAULT 0x10, `b` VARBINARY(2) DEFAULT X'0A', `c` BIT(4) DEFAULT 0b101, `d` BIT(4) DEFAULT b'11', `e` INT DEFAULT 0b11)" },
	{ "CREATE TABLE t (a GEOMETRY REF_SYSTEM_ID=4326 NOT NULL, b POINT REF_SYSTEM_ID = 3857 COMMENT 'x')",
	  "CREATE TABLE `t` (`a` GEOMETRY REF_SYSTEM_ID = 4326 NOT NULL, `b` POINT REF_SYSTEM_ID = 3857 COMMENT 'x')" },
};

static void test_create__restores_canonical_text(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(create_pairs) / sizeof(create_pairs[0]); i++)
		sqlt_restore_eq(create_pairs[i].in, create_pairs[i].out);
	for (i = 0; i < sizeof(create_form_pairs) / sizeof(create_form_pairs[0]); i++)
		sqlt_restore_eq(create_form_pairs[i].in, create_form_pairs[i].out);
}

static void test_create__show_create_table_of_mariadb_parses(void **state)
{
	static const char *const inputs[] = {
		"CREATE TABLE `t1` (\n"
		"  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
		"  `ts` timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),\n"
		"  `j` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),\n"
		"  `h` int(11) DEFAULT NULL INVISIBLE,\n"
		"  `c` varchar(10) DEFAULT 'it''s' COMMENT 'say \"hi\"',\n"
		"  PRIMARY KEY (`id`)\n"
		") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci PAGE_CHECKSUM=1\n"
		" PARTITION BY HASH (`id`)\n"
		"PARTITIONS 4",
		"CREATE TABLE `p` (\n"
		"  `a` int(11) NOT NULL\n"
		") ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci\n"
		" /*!50100 PARTITION BY RANGE (`a`)\n"
		"(PARTITION `p0` VALUES LESS THAN (10) ENGINE = InnoDB,\n"
		" PARTITION `p1` VALUES LESS THAN MAXVALUE ENGINE = InnoDB) */",
		"CREATE TABLE `v` (\n"
		"  `x` int(11) DEFAULT NULL\n"
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci WITH SYSTEM VERSIONING",
	};
	static const char *const outputs[] = {
		"CREATE TABLE `t1` (`id` INT(11) NOT NULL AUTO_INCREMENT, "
		"`ts` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP() ON UPDATE CURRENT_TIMESTAMP(), "
		"`j` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (JSON_VALID(`j`)), "
		"`h` INT(11) DEFAULT NULL INVISIBLE, "
		"`c` VARCHAR(10) DEFAULT 'it''s' COMMENT 'say \"hi\"', "
		"PRIMARY KEY (`id`)) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 "
		"COLLATE=utf8mb4_general_ci PAGE_CHECKSUM=1 PARTITION BY HASH (`id`) PARTITIONS 4",
		"CREATE TABLE `p` (`a` INT(11) NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=latin1 "
		"COLLATE=latin1_swedish_ci PARTITION BY RANGE (`a`) (PARTITION `p0` VALUES LESS "
		"THAN (10) ENGINE = InnoDB, PARTITION `p1` VALUES LESS THAN MAXVALUE ENGINE = InnoDB)",
		"CREATE TABLE `v` (`x` INT(11) DEFAULT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
		"COLLATE=utf8mb4_general_ci WITH SYSTEM VERSIONING",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		sqlt_restore_eq(inputs[i], outputs[i]);
}

static void test_create__real_as_float_mode_changes_real(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;

	(void)state;
	po.sql_mode = DM_SQL_MODE_REAL_AS_FLOAT;
	sqlt_restore_eq_opts("CREATE TABLE t (a REAL(5,2))", &po,
			     "CREATE TABLE `t` (`a` FLOAT(5,2))");
	sqlt_restore_eq("CREATE TABLE t (a REAL(5,2))",
			"CREATE TABLE `t` (`a` DOUBLE(5,2))");
}

static void test_create__ansi_quotes_and_no_backslash_escapes(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;

	(void)state;
	po.sql_mode = DM_SQL_MODE_ANSI_QUOTES;
	sqlt_restore_eq_opts("CREATE TABLE \"t\" (\"a\" INT DEFAULT 'x' COMMENT 'y')", &po,
			     "CREATE TABLE `t` (`a` INT DEFAULT 'x' COMMENT 'y')");
	po.sql_mode = DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
	sqlt_restore_eq_opts("CREATE TABLE t (a VARCHAR(5) DEFAULT 'c:\\dir' COMMENT 'a\\b')", &po,
			     "CREATE TABLE `t` (`a` VARCHAR(5) DEFAULT 'c:\\\\dir' COMMENT 'a\\\\b')");
}

static void test_create__restore_for_no_backslash_escapes_sessions(void **state)
{
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_stmt *st;
	char *text;

	(void)state;
	ro.flags = DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES;
	st = sqlt_parse("CREATE TABLE t (a VARCHAR(5) DEFAULT 'x\\\\y\\'z' COMMENT 'n\\nl') "
			"COMMENT='c\\\\'", NULL);
	text = sqlt_restore(st, &ro);
	assert_string_equal(text, "CREATE TABLE `t` (`a` VARCHAR(5) DEFAULT 'x\\y''z' "
				  "COMMENT 'n\nl') COMMENT='c\\'");
	free(text);
	text = sqlt_restore(st, NULL);
	assert_string_equal(text, "CREATE TABLE `t` (`a` VARCHAR(5) DEFAULT 'x\\\\y''z' "
				  "COMMENT 'n\\nl') COMMENT='c\\\\'");
	free(text);
	dm_sql_stmt_free(st);
}

static void test_create__select_is_reported_unsupported(void **state)
{
	static const char *const inputs[] = {
		"CREATE TABLE t (a INT) SELECT 1 AS a",
		"CREATE TABLE t AS SELECT * FROM u",
		"CREATE TABLE t (a INT) IGNORE SELECT a FROM u",
		"CREATE TABLE t REPLACE AS SELECT a FROM u",
		"CREATE TABLE t (SELECT 1)",
		"CREATE TABLE t (a INT) ENGINE=InnoDB PARTITION BY HASH (a) SELECT 1",
	};
	static const char *const outputs[] = {
		"CREATE TABLE `t` (`a` INT) SELECT 1 AS a",
		"CREATE TABLE `t` AS SELECT * FROM u",
		"CREATE TABLE `t` (`a` INT) IGNORE SELECT a FROM u",
		"CREATE TABLE `t` REPLACE AS SELECT a FROM u",
		"CREATE TABLE `t` (SELECT 1)",
		"CREATE TABLE `t` (`a` INT) ENGINE=InnoDB PARTITION BY HASH (a) SELECT 1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		dm_sql_stmt *st = sqlt_parse(inputs[i], NULL);
		const dm_sql_create_table *ct = dm_sql_stmt_create_table(st);

		assert_int_equal(dm_sql_stmt_kind(st), DM_SQL_CREATE_TABLE);
		assert_string_equal(dm_sql_stmt_unsupported_reason(st),
				    "CREATE TABLE ... SELECT is not supported");
		assert_non_null(ct);
		assert_non_null(ct->select);
		dm_sql_stmt_free(st);
		sqlt_restore_eq(inputs[i], outputs[i]);
	}
}

static void test_create__like(void **state)
{
	dm_sql_stmt *st;
	const dm_sql_create_table *ct;

	(void)state;
	sqlt_restore_eq("CREATE TABLE t1 LIKE t2", "CREATE TABLE `t1` LIKE `t2`");
	sqlt_restore_eq("CREATE TABLE IF NOT EXISTS db.t1 (LIKE db2.t2)",
			"CREATE TABLE IF NOT EXISTS `db`.`t1` LIKE `db2`.`t2`");
	st = sqlt_parse("create table a.b like c", NULL);
	assert_int_equal(dm_sql_stmt_kind(st), DM_SQL_CREATE_TABLE_LIKE);
	ct = dm_sql_stmt_create_table(st);
	assert_non_null(ct->like);
	assert_string_equal(ct->like->table, "c");
	assert_string_equal(ct->like->schema, "");
	assert_null(dm_sql_stmt_unsupported_reason(st));
	dm_sql_stmt_free(st);
}

int sql_test_create_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create__restores_canonical_text),
		cmocka_unit_test(test_create__show_create_table_of_mariadb_parses),
		cmocka_unit_test(test_create__real_as_float_mode_changes_real),
		cmocka_unit_test(test_create__ansi_quotes_and_no_backslash_escapes),
		cmocka_unit_test(test_create__restore_for_no_backslash_escapes_sessions),
		cmocka_unit_test(test_create__select_is_reported_unsupported),
		cmocka_unit_test(test_create__like),
	};

	return cmocka_run_group_tests_name("sql_create", tests, NULL, NULL);
}
