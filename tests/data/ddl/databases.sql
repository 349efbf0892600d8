-- CREATE / ALTER / DROP DATABASE and SCHEMA. An ordered script. Every
-- schema named here starts with dmrt_ so that the round-trip test can map
-- it to a schema of its own; the default schema is dmrt_main.

CREATE DATABASE dmrt_db1;
CREATE SCHEMA dmrt_db2;
CREATE DATABASE IF NOT EXISTS dmrt_db1;
CREATE SCHEMA IF NOT EXISTS dmrt_db3 CHARACTER SET latin1;
CREATE DATABASE dmrt_db4 DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE DATABASE dmrt_db5 COLLATE utf8mb4_unicode_ci;
CREATE DATABASE dmrt_db6 CHARSET ascii COMMENT 'a database comment';
CREATE DATABASE dmrt_db7 DEFAULT CHARSET=latin2 DEFAULT COLLATE=latin2_czech_cs COMMENT = 'it''s commented';
CREATE OR REPLACE DATABASE dmrt_db6;
CREATE OR REPLACE SCHEMA dmrt_db6 CHARACTER SET utf8mb3 COLLATE utf8mb3_unicode_ci;
CREATE DATABASE `dmrt_db 8`;
CREATE DATABASE `dmrt_db``9` /*!40100 DEFAULT CHARACTER SET utf8mb4 */;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `dmrt_db10` /*!40100 DEFAULT CHARACTER SET latin1 COLLATE latin1_bin */;
create database dmrt_db11 character set 'utf8mb4' collate 'utf8mb4_general_ci';
CREATE DATABASE `dmrt_ünï`;
CREATE DATABASE dmrt_db12 DEFAULT CHARACTER SET DEFAULT;

-- Tables inside them
CREATE TABLE dmrt_db1.t1 (a INT);
CREATE TABLE `dmrt_db 8`.`t 2` (a VARCHAR(10));
CREATE TABLE dmrt_db3.t3 (a VARCHAR(10), b TEXT);
CREATE TABLE dmrt_db4.t4 LIKE dmrt_db3.t3;
ALTER TABLE dmrt_db3.t3 ADD c INT;
RENAME TABLE dmrt_db1.t1 TO dmrt_db2.t1, dmrt_db3.t3 TO dmrt_db1.t3;

-- ALTER
ALTER DATABASE dmrt_db1 CHARACTER SET latin1;
ALTER SCHEMA dmrt_db1 COLLATE latin1_bin;
ALTER DATABASE dmrt_db2 DEFAULT CHARSET utf8mb3 DEFAULT COLLATE utf8mb3_bin;
ALTER DATABASE dmrt_db3 COMMENT = 'changed';
ALTER DATABASE dmrt_db3 COMMENT 'changed again' CHARACTER SET utf8mb4;
ALTER DATABASE `dmrt_db 8` DEFAULT CHARACTER SET = ascii;
ALTER SCHEMA `dmrt_db``9` COLLATE = utf8mb4_unicode_520_ci;
ALTER DATABASE CHARACTER SET latin1;
ALTER SCHEMA DEFAULT COLLATE utf8mb4_unicode_ci;
ALTER DATABASE COMMENT 'the default schema';
alter database dmrt_db11 character set latin1 collate latin1_german1_ci;

-- DROP
DROP DATABASE dmrt_db5;
DROP SCHEMA dmrt_db6;
DROP DATABASE IF EXISTS dmrt_db7;
DROP SCHEMA IF EXISTS dmrt_missing;
DROP DATABASE `dmrt_db 8`;
DROP DATABASE IF EXISTS `dmrt_db``9`;
drop database dmrt_db10;
DROP DATABASE `dmrt_ünï`;
DROP DATABASE dmrt_db1;
