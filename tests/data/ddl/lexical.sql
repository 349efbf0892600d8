-- Lexical variety: keyword case, quoting, comments of every kind,
-- executable comments, charset introducers, hex and bit literals, numbers,
-- Unicode identifiers, keywords used as names. An ordered script; the
-- default schema is dmrt_main and dmrt_x exists next to it.

# Keyword case
create table lx1 (a int not null default 1, b varchar(10) character set latin1 collate latin1_bin);
CREATE TABLE LX2 (A INT NOT NULL DEFAULT 1, B VARCHAR(10) CHARACTER SET LATIN1 COLLATE LATIN1_BIN);
CrEaTe TaBlE lx3 (a InT nOt NuLl, PrImArY kEy (a)) EnGiNe=InNoDb;
alter table LX2 add column C int after B;
Alter Table lx3 Add Column `Bb` Int First;

-- Backticks, doubled backticks, odd names
CREATE TABLE `lx 4` (`a b` INT, `c``d` INT, ```e` INT, `f``` INT);
CREATE TABLE `lx``5` (`select` INT, `from` INT, `where` INT, `order` INT, `group` INT, `key` INT);
CREATE TABLE `lx-6` (`a-b` INT, `c.d` INT, `e;f` INT, `g/*h*/` INT, `i--j` INT, `k#l` INT);
CREATE TABLE `lx'7` (`'` INT, `"` INT, `\` INT);
CREATE TABLE `123` (`456` INT);
CREATE TABLE 9lives (1a INT, 2b2 INT, c3 INT);
CREATE TABLE lx8 (`$dollar` INT, _under INT, $mixed$ INT, a$b INT);
CREATE TABLE ` lx9` (`a name with ? and ! and spaces` INT);

-- Unicode identifiers, quoted and not
CREATE TABLE `表格` (`列` INT, `ünïcödé` VARCHAR(10));
CREATE TABLE täble (spalte_ä INT, 名前 VARCHAR(20), имя INT);
CREATE TABLE `emoji_☃` (`col_✓` INT);
ALTER TABLE täble ADD COLUMN größe INT AFTER spalte_ä;

-- Keywords that are not reserved, used as plain names
CREATE TABLE status (date DATE, time TIME, timestamp TIMESTAMP NULL, text TEXT, comment INT, action INT, data INT, user INT, password INT, value INT, names INT, position INT, level INT, type INT, format INT, engine INT, key_block_size INT, min_rows INT, first INT, last INT, signed INT, bit BIT, enum INT, national INT);
CREATE TABLE `status2` (id INT, `status` VARCHAR(10), `date` DATE, `year` YEAR, `month` INT, `hour` INT, `second` INT, `week` INT);
CREATE TABLE columns (column_name INT, `columns` INT, fields INT, `indexes` INT, tables INT, engines INT);
CREATE TABLE json (json JSON, inet6 INET6, uuid UUID, geometry GEOMETRY, point POINT);
CREATE TABLE view (view INT, trigger_ INT, event INT, server INT, plugin INT, role INT, sequence INT);
CREATE TABLE lx10 (invisible INT, virtual INT, stored INT, persistent INT, generated INT, always INT, compressed INT, ignored INT);
CREATE TABLE lx11 (period INT, versioning INT, history INT, current INT, system_time INT, system INT, without INT, overlaps INT);
CREATE TABLE lx12 (algorithm INT, `lock` INT, `wait` INT, nowait INT, partitions INT, subpartitions INT, `range` INT, list INT, hash INT, `columns` INT);

-- Strings: quotes and escapes (no ANSI_QUOTES, backslash escapes on)
CREATE TABLE lx13 (a VARCHAR(50) DEFAULT 'single', b VARCHAR(50) DEFAULT "double", c VARCHAR(50) DEFAULT 'it''s', d VARCHAR(50) DEFAULT "say ""hi""");
CREATE TABLE lx14 (a VARCHAR(50) DEFAULT 'mixed "dq" inside', b VARCHAR(50) DEFAULT "mixed 'sq' inside", c VARCHAR(50) DEFAULT 'a\'b', d VARCHAR(50) DEFAULT "a\"b");
CREATE TABLE lx15 (a VARCHAR(50) DEFAULT 'nl\n cr\r tab\t bs\\ z\Z nul\0 b\b', b VARCHAR(50) DEFAULT 'pct\% und\_ x\y');
CREATE TABLE lx16 (a VARCHAR(50) DEFAULT 'adj' "acent" 'strings', b VARCHAR(50) DEFAULT ''
  'after empty');
CREATE TABLE lx17 (a VARCHAR(50) COMMENT 'comment with -- dashes and # hash and /* slashes */ and ; semicolon');
CREATE TABLE lx18 (a VARCHAR(50) DEFAULT 'multi
line
string');
CREATE TABLE lx19 (a VARCHAR(30) DEFAULT '`backticks` in a string', `b` INT COMMENT "`x`");

-- Charset introducers, national strings, hex and bit literals
CREATE TABLE lx20 (a VARCHAR(10) CHARACTER SET latin1 DEFAULT _latin1'abc', b VARCHAR(10) DEFAULT _utf8mb4'ü', c VARCHAR(10) DEFAULT _utf8mb3"x");
CREATE TABLE lx21 (a VARCHAR(10) CHARACTER SET latin1 DEFAULT _latin1 X'E9', b VARCHAR(10) DEFAULT _utf8mb4 0xC3BC, c VARBINARY(10) DEFAULT _binary'bin');
CREATE TABLE lx22 (a VARCHAR(10) DEFAULT N'national', b VARCHAR(10) DEFAULT n'lower n', c CHAR(3) DEFAULT _ascii'asc');
CREATE TABLE lx23 (a VARBINARY(8) DEFAULT X'', b VARBINARY(8) DEFAULT x'0aFF', c VARBINARY(8) DEFAULT 0x00010203, d INT DEFAULT 0xFF);
CREATE TABLE lx24 (a BIT(8) DEFAULT B'11110000', b BIT(8) DEFAULT b'1', c BIT(8) DEFAULT 0b101, d BIT(1) DEFAULT b'');
CREATE TABLE lx25 (a VARCHAR(10) DEFAULT _latin1'abc' COLLATE latin1_bin, b VARCHAR(10) COLLATE utf8mb4_bin DEFAULT (_utf8mb4'x' COLLATE utf8mb4_bin));

-- Numbers
CREATE TABLE lx26 (a DOUBLE DEFAULT 1e3, b DOUBLE DEFAULT 1.5E-3, c DOUBLE DEFAULT .25, d DOUBLE DEFAULT 3., e DOUBLE DEFAULT -1e+2);
CREATE TABLE lx27 (a DECIMAL(30,10) DEFAULT 12345678901234567890.0123456789, b BIGINT UNSIGNED DEFAULT 18446744073709551615);
CREATE TABLE lx28 (a INT DEFAULT (5--2), b INT DEFAULT (5- -2), c INT DEFAULT (-(-3)), d INT DEFAULT (+4));
CREATE TABLE lx29 (a INT DEFAULT 007, b DECIMAL(5,2) DEFAULT 00.50, c INT DEFAULT (1 /* inline */ + 2));

-- Comments of every kind
CREATE TABLE lx30 ( -- a dash-dash comment
  a INT, # a hash comment
  /* a block comment */ b INT,
  /* a block comment
     over several lines; with a semicolon */
  c INT
);
CREATE /* between */ TABLE /* more */ lx31 /* and more */ (a /**/ INT /***/);
CREATE TABLE lx32 (a INT) /*!ENGINE=MyISAM*/;
CREATE TABLE lx33 (a INT) /*!40101 ENGINE=MyISAM */ /*!40101 DEFAULT CHARSET=latin1 */;
CREATE TABLE lx34 (a INT /*!50100 NOT NULL */ /*!100300 DEFAULT 3 */);
CREATE TABLE lx35 (a INT /*M! NOT NULL */, b INT /*M!100500 DEFAULT 5 */);
CREATE TABLE lx36 (a INT /*!999999 THIS IS IGNORED BY 10.11 */, b INT /*M!999999 ALSO IGNORED */);
CREATE TABLE lx37 (a INT, b INT /*!110000 INVISIBLE */) /*!110000 ENGINE=MyISAM */;
/*!40101 CREATE TABLE lx38 (a INT) */;
/*!50503 CREATE TABLE lx39 (a INT, b VARCHAR(10)) */;
CREATE TABLE lx40 (a INT)/* trailing */;
CREATE TABLE lx41 (a INT) -- trailing dash comment
;
CREATE TABLE lx42 (a INT) # trailing hash comment
;
CREATE TABLE lx43 (a INT DEFAULT (1--1
));
CREATE TABLE lx44 (a VARCHAR(30) DEFAULT '/* not a comment */', b VARCHAR(20) DEFAULT '-- nor this', c VARCHAR(10) DEFAULT '# nor this');
/* a comment before the statement */ CREATE TABLE lx45 (a INT);
CREATE TABLE lx46 (a INT /*! COMMENT 'inside exec' */, b INT /*!50100 COMMENT 'c/*' */);

-- Whitespace
CREATE	TABLE	lx47	(	a	INT	,	b	INT	)	;
CREATE
TABLE
lx48
(
a
INT
)
;
  CREATE TABLE lx49(a INT,b INT,KEY(a),PRIMARY KEY(b))ENGINE=InnoDB;

-- Qualified names, default schema spelled out, dotted forms
CREATE TABLE dmrt_main.lx50 (a INT);
CREATE TABLE `dmrt_main`.`lx51` (a INT);
CREATE TABLE dmrt_main . lx52 (a INT);
CREATE TABLE `dmrt_x`.lx53 (a INT);
CREATE TABLE dmrt_x.`lx 54` (a INT);
CREATE TABLE dmrt_x.9lives (a INT);
CREATE TABLE lx55 (a INT, CONSTRAINT fk55 FOREIGN KEY (a) REFERENCES dmrt_main.lx49 (b));
ALTER TABLE dmrt_main.lx50 ADD b INT;
ALTER TABLE `dmrt_x`.`lx53` ADD b INT, RENAME TO `dmrt_main`.lx56;
RENAME TABLE dmrt_main.lx51 TO dmrt_x.lx51, `dmrt_x`.`lx 54` TO `dmrt_main`.`lx 54`;
DROP TABLE dmrt_main.lx52, dmrt_x.lx51;
TRUNCATE TABLE dmrt_main.lx50;
CREATE INDEX i ON dmrt_main.lx50 (a);
DROP INDEX i ON `dmrt_main`.`lx50`;

-- Variables and odd spellings inside DDL
CREATE TABLE lx57 (a INT DEFAULT (@@auto_increment_increment), b VARCHAR(10) DEFAULT (@@character_set_client));
CREATE TABLE lx58 (a INT DEFAULT (@@session.auto_increment_offset), b INT DEFAULT (@@global.auto_increment_offset));
CREATE TABLE lx59 (a DATETIME DEFAULT CURRENT_TIMESTAMP, b DATE DEFAULT CURRENT_DATE, c TIME DEFAULT CURRENT_TIME);
CREATE TABLE lx60 (a DATETIME DEFAULT current_timestamp(), b DATE DEFAULT curdate(), c TIME DEFAULT curtime());
CREATE TABLE lx61 (a INT DEFAULT (`lx61`.`b`), b INT DEFAULT 2);
CREATE TABLE lx62 (a INT, b INT AS (`a` + 1), c INT AS (dmrt_main.lx62.a * 2));
