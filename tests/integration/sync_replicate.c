/* SPDX-License-Identifier: Apache-2.0 */
/*
 * End-to-end replication through the dm-run binary (task-mode
 * incremental) between the sandbox upstream and downstream, with
 * workloads running while it replicates:
 *
 *   - position mode: sysbench (oltp_write_only, oltp_insert,
 *     oltp_update_index, oltp_delete) plus random row changes on tables
 *     with a primary key, a NOT NULL unique key, a nullable unique key, no
 *     key, and one table of many column types, plus DDL on live tables;
 *   - the same, smaller, in GTID mode;
 *   - block-allow list, table routes (merge and rename), a binlog event
 *     filter and an expression filter;
 *   - SIGKILL of dm-run at random moments, restarted each time;
 *   - FLUSH BINARY LOGS during replication;
 *   - --stop-at FILE:POS, --remove-meta, and a run with nothing new.
 *
 * Every test ends with the downstream compared with the upstream (or with
 * what the rules imply, computed with SQL on the upstream) row by row:
 * each row becomes the hex of every column's bytes, both sides are sorted
 * by that text and compared line by line. test 1 corrupts a downstream
 * row once to prove that the comparison can fail.
 *
 * dm-run is found in $DM_BUILD_DIR/bin (default build/release/bin);
 * sysbench in $PATH (its bundled Lua tests). Passwords go into files
 * only (source.yaml, task.yaml, sysbench --config-file), never argv.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-sync_replicate
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

#define META_SCHEMA "dmtest_sync_meta"
#define SOURCE_ID "dmtest-sync-01"
/* A run that does not end by then is a hang: killed, the test fails. */
#define HANG_GUARD_S 240

static sandbox_server up, down;
static MYSQL *um, *dm; /* check connections, time_zone +00:00 */
static char dir[256];
static char src_pos[300], src_gtid[300], sb_cfg[300];

/* ------------------------------------------------------------ helpers */

/* --------------------------------------------------------- processes */

/* ------------------------------------------------------------ config */

static void write_task(const char *path, const char *name, bool gtid,
		       const char *extra_instance, const char *extra_top,
		       const char *first_file)
{
	char file[128] = "", gset[512] = "";
	unsigned long long pos = 4;
	char *g = NULL;

	/* The meta: where the upstream is now (each test's own changes
	 * start here), or the start of first_file. */
	master_pos(file, sizeof(file), &pos);
	if (first_file) {
		snprintf(file, sizeof(file), "%s", first_file);
		pos = 4;
	}
	if (gtid) {
		g = value(um, "SELECT @@GLOBAL.gtid_binlog_pos");
		snprintf(gset, sizeof(gset), "%s", g ? g : "");
		free(g);
	}
	assert_int_equal(
		write_file(path,
			   "name: \"%s\"\n"
			   "task-mode: incremental\n"
			   "meta-schema: \"" META_SCHEMA "\"\n"
			   "target-database:\n"
			   "  host: \"%s\"\n"
			   "  port: %u\n"
			   "  user: \"%s\"\n"
			   "  password: \"%s\"\n"
			   "%s"
			   "mysql-instances:\n"
			   "  - source-id: \"" SOURCE_ID "\"\n"
			   "    meta:\n"
			   "      binlog-name: \"%s\"\n"
			   "      binlog-pos: %llu\n"
			   "      binlog-gtid: \"%s\"\n"
			   "    syncer-config-name: \"g\"\n"
			   "%s"
			   "syncers:\n"
			   "  g:\n"
			   "    worker-count: 4\n"
			   "    batch: 100\n"
			   "    safe-mode: false\n",
			   name, down.host, down.port, down.user, down.password,
			   extra_top ? extra_top : "", file, pos, gset,
			   extra_instance ? extra_instance : ""),
		0);
}

/* ------------------------------------------------------ comparison */

/* --------------------------------------------------------- workload */

/* The tables the random workload writes, in schema db. */
static void create_tables(MYSQL *m, const char *db)
{
	EXEC(m, "CREATE DATABASE `%s`", db);
	EXEC(m,
	     "CREATE TABLE `%s`.t_pk (id INT PRIMARY KEY, v VARCHAR(40), "
	     "n INT NOT NULL DEFAULT 0);"
	     "CREATE TABLE `%s`.t_uk (a INT NOT NULL, b VARCHAR(20), c INT, "
	     "UNIQUE KEY uk_a (a));"
	     "CREATE TABLE `%s`.t_uk_null (a INT NULL, b VARCHAR(20), c INT, "
	     "UNIQUE KEY uk_a (a));"
	     "CREATE TABLE `%s`.t_nokey (a INT, b VARCHAR(20), c DOUBLE);"
	     "CREATE TABLE `%s`.d_live (id INT PRIMARY KEY, v INT, "
	     "w VARCHAR(30));"
	     "CREATE TABLE `%s`.t_types ("
	     " id INT PRIMARY KEY,"
	     " ti TINYINT, uti TINYINT UNSIGNED, si SMALLINT,"
	     " usi SMALLINT UNSIGNED, mi MEDIUMINT, umi MEDIUMINT UNSIGNED,"
	     " i INT, ui INT UNSIGNED, bi BIGINT, ubi BIGINT UNSIGNED,"
	     " d1 DECIMAL(10,2), d2 DECIMAL(65,30), ud DECIMAL(12,4) UNSIGNED,"
	     " f FLOAT, dbl DOUBLE, b1 BIT(1), b64 BIT(64),"
	     " c_u8 CHAR(10) CHARACTER SET utf8mb4,"
	     " vc_u8 VARCHAR(200) CHARACTER SET utf8mb4,"
	     " tx_u8 TEXT CHARACTER SET utf8mb4,"
	     " c_l1 CHAR(10) CHARACTER SET latin1,"
	     " vc_l1 VARCHAR(100) CHARACTER SET latin1,"
	     " tx_l1 TEXT CHARACTER SET latin1,"
	     " bn BINARY(8), vbn VARBINARY(300), bl BLOB, mbl MEDIUMBLOB,"
	     " dt DATE, tm TIME(3), tm0 TIME, dtm DATETIME(6), dtm0 DATETIME,"
	     " ts TIMESTAMP(4) NULL DEFAULT NULL, yr YEAR,"
	     " en ENUM('a','b','c d','é'), st SET('x','y','z','w'),"
	     " js JSON, geo GEOMETRY, pt POINT,"
	     " tt TINYTEXT, lt LONGTEXT, tb TINYBLOB, lb LONGBLOB,"
	     " ls LINESTRING, pg POLYGON, mp MULTIPOINT,"
	     " gc GEOMETRYCOLLECTION, i6 INET6, i4 INET4, uu UUID,"
	     " tm6 TIME(6), dtm3 DATETIME(3), ts0 TIMESTAMP NULL DEFAULT NULL,"
	     " dec0 DECIMAL(5,0), zf INT(6) UNSIGNED ZEROFILL,"
	     " g_virt BIGINT AS (i * 2) VIRTUAL,"
	     " g_stor VARCHAR(220) AS (CONCAT(vc_u8, '!')) STORED)",
	     db, db, db, db, db, db);
}

static const char *pick(unsigned *seed, const char *const *v, size_t n)
{
	return v[(size_t)rand_r(seed) % n];
}

#define PICK(seed, arr) pick((seed), (arr), sizeof(arr) / sizeof(arr[0]))

static const char *const v_ti[] = { "-128", "127", "0", "-1", "NULL", "42" };
static const char *const v_uti[] = { "0", "255", "128", "NULL" };
static const char *const v_si[] = { "-32768", "32767", "0", "-7" };
static const char *const v_usi[] = { "0", "65535", "32768" };
static const char *const v_mi[] = { "-8388608", "8388607", "0", "NULL" };
static const char *const v_umi[] = { "0", "16777215", "8388608" };
static const char *const v_i[] = { "-2147483648", "2147483647", "0", "-1",
				   "NULL", "FLOOR(RAND()*1000000)" };
static const char *const v_ui[] = { "0", "4294967295", "2147483648" };
static const char *const v_bi[] = { "-9223372036854775808",
				    "9223372036854775807", "0", "-1" };
static const char *const v_ubi[] = { "0", "18446744073709551615",
				     "9223372036854775808", "NULL" };
static const char *const v_d1[] = { "-99999999.99", "99999999.99", "0.00",
				    "-0.01", "NULL", "ROUND(RAND()*1000, 2)" };
static const char *const v_d2[] = {
	"-99999999999999999999999999999999999.999999999999999999999999999999",
	"0.000000000000000000000000000001", "123456789.123456789", "0"
};
static const char *const v_ud[] = { "0", "99999999.9999", "1.5" };
static const char *const v_f[] = { "-3.40282e38", "3.40282e38",
				   "1.17549e-38", "0", "-1.5", "NULL",
				   "RAND()" };
static const char *const v_dbl[] = { "-1.7976931348623157e308",
				     "1.7976931348623157e308",
				     "2.2250738585072014e-308", "0", "0.1",
				     "NULL", "RAND()" };
static const char *const v_b1[] = { "b'0'", "b'1'", "NULL" };
static const char *const v_b64[] = { "b'0'", "x'FFFFFFFFFFFFFFFF'",
				     "x'8000000000000001'", "NULL" };
static const char *const v_cu8[] = { "''", "'abc'", "'ÄÖÜ🐬'", "NULL",
				     "'0123456789'" };
static const char *const v_vcu8[] = {
	"''", "'a''b\\\\c'", "'🐬😀 four-byte'", "REPEAT('é', 200)",
	"CONCAT('nl', CHAR(10), 'tab', CHAR(9), 'nul', CHAR(0))", "NULL",
	"MD5(RAND())"
};
static const char *const v_txu8[] = { "''", "'tëxt 🐬'",
				      "REPEAT('ü', 3000)", "NULL" };
static const char *const v_cl1[] = { "''", "X'E9E8'", "'plain'", "NULL" };
static const char *const v_vcl1[] = { "''", "X'636166E9'", "X'FF00FE'",
				      "NULL" };
static const char *const v_txl1[] = { "X'C0C1C2'", "REPEAT(X'E9', 500)",
				      "NULL" };
static const char *const v_bn[] = { "X'0000000000000000'",
				    "X'FFFFFFFFFFFFFFFF'", "X'0102'", "''",
				    "RANDOM_BYTES(8)" };
static const char *const v_vbn[] = { "''", "RANDOM_BYTES(300)", "X'00'",
				     "NULL", "RANDOM_BYTES(17)" };
static const char *const v_bl[] = { "''", "RANDOM_BYTES(1024)",
				    "REPEAT(X'00FF', 3000)", "X'00'",
				    "RANDOM_BYTES(1)" };
static const char *const v_mbl[] = { "NULL", "REPEAT(RANDOM_BYTES(1000), 70)",
				     "''" };
static const char *const v_dt[] = { "'1000-01-01'", "'9999-12-31'",
				    "'0000-00-00'", "'2024-02-29'", "NULL" };
static const char *const v_tm[] = { "'-838:59:59.999'", "'838:59:59.999'",
				    "'00:00:00'", "'-00:00:00.001'",
				    "'12:34:56.789'" };
static const char *const v_tm0[] = { "'-838:59:59'", "'01:02:03'", "NULL" };
static const char *const v_dtm[] = { "'1000-01-01 00:00:00'",
				     "'9999-12-31 23:59:59.999999'",
				     "'0000-00-00 00:00:00'", "NOW(6)",
				     "NULL" };
static const char *const v_dtm0[] = { "'2000-01-01 01:02:03'", "NOW()" };
static const char *const v_ts[] = { "'1970-01-01 00:00:01'",
				    "'2038-01-19 03:14:07.9999'", "NOW(4)",
				    "NULL" };
static const char *const v_yr[] = { "1901", "2155", "0", "2024", "NULL" };
static const char *const v_en[] = { "'a'", "'c d'", "'é'", "NULL" };
static const char *const v_st[] = { "''", "'x'", "'x,w'", "'x,y,z,w'",
				    "NULL" };
static const char *const v_js[] = { "'{}'",
				    "'{\"a\": [1, 2.5, \"x\", null, true]}'",
				    "'[]'", "'\"s\"'", "NULL" };
static const char *const v_geo[] = {
	"ST_GeomFromText('POINT(1 2)')",
	"ST_GeomFromText('LINESTRING(0 0,1 1,2 2)', 4326)",
	"ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))')", "NULL"
};
static const char *const v_pt[] = { "POINT(-1.5, 2.25)", "POINT(0, 0)",
				    "NULL" };

static const char *const v_tt[] = { "''", "'tiny ü'", "NULL" };
static const char *const v_lt[] = { "REPEAT('long ', 1000)", "''", "NULL" };
static const char *const v_tb[] = { "X'00'", "RANDOM_BYTES(200)", "NULL" };
static const char *const v_lb[] = { "REPEAT(RANDOM_BYTES(100), 300)", "''",
				    "NULL" };
static const char *const v_ls[] = {
	"ST_GeomFromText('LINESTRING(0 0,1 1,5 -2.5)')", "NULL"
};
static const char *const v_pg[] = {
	"ST_GeomFromText('POLYGON((0 0,2 0,2 2,0 2,0 0))')", "NULL"
};
static const char *const v_mp[] = {
	"ST_GeomFromText('MULTIPOINT(1 1,2 2)')", "NULL"
};
static const char *const v_gc[] = {
	"ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),"
	"LINESTRING(0 0,1 1))')", "NULL"
};
static const char *const v_i6[] = { "'::1'", "'2001:db8::ff00:42:8329'",
				    "'::ffff:192.0.2.1'", "'::'", "NULL" };
static const char *const v_i4[] = { "'127.0.0.1'", "'255.255.255.255'",
				    "'0.0.0.0'", "NULL" };
static const char *const v_uu[] = { "UUID()",
				    "'00000000-0000-0000-0000-000000000000'",
				    "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
				    "NULL" };
static const char *const v_tm6[] = { "'-838:59:59.000000'",
				     "'12:00:00.123456'", "'00:00:00.000001'",
				     "NULL" };
static const char *const v_dtm3[] = { "NOW(3)", "'2020-02-29 12:00:00.001'",
				      "NULL" };
static const char *const v_ts0[] = { "NOW()", "'2001-02-03 04:05:06'",
				     "NULL" };
static const char *const v_dec0[] = { "-99999", "99999", "0", "NULL" };
static const char *const v_zf[] = { "0", "42", "4294967295", "NULL" };

static void types_values(char *out, size_t cap, unsigned *s)
{
	int n = snprintf(out, cap,
		 "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
		 "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
		 "%s, %s, %s, %s, %s, %s, %s, %s, %s",
		 PICK(s, v_ti), PICK(s, v_uti), PICK(s, v_si), PICK(s, v_usi),
		 PICK(s, v_mi), PICK(s, v_umi), PICK(s, v_i), PICK(s, v_ui),
		 PICK(s, v_bi), PICK(s, v_ubi), PICK(s, v_d1), PICK(s, v_d2),
		 PICK(s, v_ud), PICK(s, v_f), PICK(s, v_dbl), PICK(s, v_b1),
		 PICK(s, v_b64), PICK(s, v_cu8), PICK(s, v_vcu8),
		 PICK(s, v_txu8), PICK(s, v_cl1), PICK(s, v_vcl1),
		 PICK(s, v_txl1), PICK(s, v_bn), PICK(s, v_vbn), PICK(s, v_bl),
		 PICK(s, v_mbl), PICK(s, v_dt), PICK(s, v_tm), PICK(s, v_tm0),
		 PICK(s, v_dtm), PICK(s, v_dtm0), PICK(s, v_ts), PICK(s, v_yr),
		 PICK(s, v_en), PICK(s, v_st), PICK(s, v_js), PICK(s, v_geo),
		 PICK(s, v_pt));

	if (n < 0 || (size_t)n >= cap)
		return;
	snprintf(out + n, cap - (size_t)n,
		 ", %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
		 "%s, %s",
		 PICK(s, v_tt), PICK(s, v_lt), PICK(s, v_tb), PICK(s, v_lb),
		 PICK(s, v_ls), PICK(s, v_pg), PICK(s, v_mp), PICK(s, v_gc),
		 PICK(s, v_i6), PICK(s, v_i4), PICK(s, v_uu), PICK(s, v_tm6),
		 PICK(s, v_dtm3), PICK(s, v_ts0), PICK(s, v_dec0),
		 PICK(s, v_zf));
}

#define TYPES_COLS \
	"ti, uti, si, usi, mi, umi, i, ui, bi, ubi, d1, d2, ud, f, dbl, " \
	"b1, b64, c_u8, vc_u8, tx_u8, c_l1, vc_l1, tx_l1, bn, vbn, bl, " \
	"mbl, dt, tm, tm0, dtm, dtm0, ts, yr, en, st, js, geo, pt, tt, lt, " \
	"tb, lb, ls, pg, mp, gc, i6, i4, uu, tm6, dtm3, ts0, dec0, zf"

typedef struct workload {
	const char *db;
	unsigned seed;
	int next_id;           /* ids handed out for inserts */
	atomic_bool stop;
	long ops;              /* statements that succeeded */
	pthread_t thread;
	MYSQL *m;
} workload;

/* The workload a test has open and running: a failing test leaves it
 * so, the teardown ends it. */
static workload *open_workload, *running_workload;

/* One random statement (errors are tolerated: a DDL may have renamed a
 * table under it; the binlog only has what succeeded). */
static void random_stmt(workload *w)
{
	char sql[16384];
	char vals[8192];
	unsigned *s = &w->seed;
	const char *db = w->db;
	int r = rand_r(s) % 100, tab = rand_r(s) % 6;
	int id = w->next_id > 1 ? 1 + rand_r(s) % (w->next_id - 1) : 1;
	int k = rand_r(s) % 40;

	if (r < 55) { /* insert */
		int nid = w->next_id++;

		switch (tab) {
		case 0:
			snprintf(sql, sizeof(sql),
				 "INSERT INTO `%s`.t_pk (id, v, n) VALUES "
				 "(%d, MD5(RAND()), %d)", db, nid, k);
			break;
		case 1:
			snprintf(sql, sizeof(sql),
				 "INSERT INTO `%s`.t_uk (a, b, c) VALUES "
				 "(%d, 'b%d', %d)", db, nid, k, k);
			break;
		case 2:
			if (k % 4 == 0)
				snprintf(sql, sizeof(sql),
					 "INSERT INTO `%s`.t_uk_null (a, b, c) "
					 "VALUES (NULL, 'n%d', %d)", db, k, nid);
			else
				snprintf(sql, sizeof(sql),
					 "INSERT INTO `%s`.t_uk_null (a, b, c) "
					 "VALUES (%d, 'u%d', %d)", db, nid, k,
					 k);
			break;
		case 3: /* duplicates on purpose */
			snprintf(sql, sizeof(sql),
				 "INSERT INTO `%s`.t_nokey VALUES (%d, 'x%d', "
				 "%s)", db, k, k % 3, k % 2 ? "0.5" : "NULL");
			break;
		case 4:
			snprintf(sql, sizeof(sql),
				 "INSERT INTO `%s`.d_live (id, v) VALUES "
				 "(%d, %d)", db, nid, k);
			break;
		default:
			types_values(vals, sizeof(vals), s);
			snprintf(sql, sizeof(sql),
				 "INSERT INTO `%s`.t_types (id, " TYPES_COLS
				 ") VALUES (%d, %s)", db, nid, vals);
			break;
		}
	} else if (r < 85) { /* update */
		switch (tab) {
		case 0:
			snprintf(sql, sizeof(sql),
				 "UPDATE `%s`.t_pk SET v = CONCAT(LEFT(v, 30), "
				 "'u'), n = n + 1 WHERE id = %d", db, id);
			break;
		case 1: /* the unique key itself changes too */
			snprintf(sql, sizeof(sql),
				 "UPDATE `%s`.t_uk SET c = c + 1, a = a + "
				 "1000000 WHERE a = %d", db, id);
			break;
		case 2:
			if (k % 3 == 0)
				snprintf(sql, sizeof(sql),
					 "UPDATE `%s`.t_uk_null SET c = c + 1 "
					 "WHERE a IS NULL AND b = 'n%d' LIMIT 1",
					 db, k);
			else
				snprintf(sql, sizeof(sql),
					 "UPDATE `%s`.t_uk_null SET a = IF(a %% 2, "
					 "NULL, a), b = 'v' WHERE a = %d", db,
					 id);
			break;
		case 3:
			snprintf(sql, sizeof(sql),
				 "UPDATE `%s`.t_nokey SET b = 'y%d' WHERE a = %d "
				 "LIMIT 1", db, k % 2, k);
			break;
		case 4:
			snprintf(sql, sizeof(sql),
				 "UPDATE `%s`.d_live SET v = v + 1 WHERE id = %d",
				 db, id);
			break;
		default:
			/* Some columns get new random values. */
			{
				char set[9000];
				const char *cols[] = { "vc_u8", "bl", "dbl",
						       "ts", "js", "geo",
						       "i", "b64" };
				const char *const *vv[] = { v_vcu8, v_bl, v_dbl,
							    v_ts, v_js, v_geo,
							    v_i, v_b64 };
				const size_t nv[] = {
					sizeof(v_vcu8) / sizeof(*v_vcu8),
					sizeof(v_bl) / sizeof(*v_bl),
					sizeof(v_dbl) / sizeof(*v_dbl),
					sizeof(v_ts) / sizeof(*v_ts),
					sizeof(v_js) / sizeof(*v_js),
					sizeof(v_geo) / sizeof(*v_geo),
					sizeof(v_i) / sizeof(*v_i),
					sizeof(v_b64) / sizeof(*v_b64)
				};
				size_t off = 0, c;

				for (c = 0; c < 8; c++)
					off += (size_t)snprintf(
						set + off, sizeof(set) - off,
						"%s%s = %s", c ? ", " : "",
						cols[c], pick(s, vv[c], nv[c]));
				snprintf(sql, sizeof(sql),
					 "UPDATE `%s`.t_types SET %s WHERE id = %d",
					 db, set, id);
			}
			break;
		}
	} else { /* delete */
		static const char *const tname[] = { "t_pk", "t_uk",
						     "t_uk_null", "t_nokey",
						     "d_live", "t_types" };
		static const char *const where[] = {
			"id = %d", "a = %d",
			"a = %d OR a IS NULL ORDER BY c LIMIT 1",
			"a = %d LIMIT 1", "id = %d", "id = %d"
		};
		char cond[128];
		const char *pct = strstr(where[tab], "%d");

		/* where[] holds one %d: put the number in by hand. */
		snprintf(cond, sizeof(cond), "%.*s%d%s",
			 (int)(pct - where[tab]), where[tab],
			 tab == 3 ? k : id, pct + 2);
		snprintf(sql, sizeof(sql), "DELETE FROM `%s`.%s WHERE %s", db,
			 tname[tab], cond);
	}
	if (mysql_query(w->m, sql) == 0) {
		w->ops++;
	} else if (mysql_errno(w->m) != 1146 && mysql_errno(w->m) != 1054 &&
		   mysql_errno(w->m) != 1062) {
		fprintf(stderr, "workload: %s: %.200s\n", mysql_error(w->m),
			sql);
	}
}

/* A transaction of 1-6 random statements. */
static void random_txn(workload *w)
{
	int n = 1 + rand_r(&w->seed) % 6, i;
	bool txn = n > 1;

	if (txn)
		mysql_query(w->m, "BEGIN");
	for (i = 0; i < n; i++)
		random_stmt(w);
	if (txn && mysql_query(w->m, "COMMIT") != 0)
		fprintf(stderr, "workload: COMMIT: %s\n", mysql_error(w->m));
}

static void *workload_main(void *arg)
{
	workload *w = arg;

	while (!atomic_load(&w->stop))
		random_txn(w);
	return NULL;
}

static void workload_init(workload *w, const char *db, unsigned seed)
{
	memset(w, 0, sizeof(*w));
	w->db = db;
	w->seed = seed;
	w->next_id = 1;
	w->m = sandbox_connect(&up, NULL);
	assert_non_null(w->m);
	open_workload = w;
}

static void workload_start(workload *w)
{
	running_workload = w;
	atomic_store(&w->stop, false);
	assert_int_equal(pthread_create(&w->thread, NULL, workload_main, w), 0);
}

static void workload_stop(workload *w)
{
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	running_workload = NULL;
}

static void workload_free(workload *w)
{
	open_workload = NULL;
	mysql_close(w->m);
	w->m = NULL;
}

/* Runs n transactions in this thread. */
static void workload_run(workload *w, int n)
{
	while (n-- > 0)
		random_txn(w);
}

/* DDL on the tables the workload writes (and some of its own), with
 * pauses so that row changes interleave. */
static void ddl_script(const char *db, bool full)
{
	EXEC(um, "ALTER TABLE `%s`.d_live ADD COLUMN extra INT DEFAULT 7",
	     db);
	sleep_ms(150);
	EXEC(um, "ALTER TABLE `%s`.d_live ADD INDEX idx_v (v)", db);
	EXEC(um, "ALTER TABLE `%s`.d_live MODIFY COLUMN w VARCHAR(100) "
		 "DEFAULT 'mod'", db);
	sleep_ms(150);
	EXEC(um, "ALTER TABLE `%s`.d_live RENAME COLUMN extra TO extra2", db);
	sleep_ms(150);
	EXEC(um, "ALTER TABLE `%s`.d_live DROP COLUMN extra2", db);
	EXEC(um, "ALTER TABLE `%s`.d_live DROP INDEX idx_v", db);
	EXEC(um, "ALTER TABLE `%s`.t_pk ADD COLUMN added DATETIME(6) "
		 "DEFAULT '2001-02-03 04:05:06.789'", db);
	sleep_ms(150);
	EXEC(um, "CREATE TABLE `%s`.d_new (id INT PRIMARY KEY, s TEXT);"
		 "INSERT INTO `%s`.d_new VALUES (1, 'one'), (2, 'two');"
		 "RENAME TABLE `%s`.d_new TO `%s`.d_new2;"
		 "INSERT INTO `%s`.d_new2 VALUES (3, 'three')",
	     db, db, db, db, db);
	EXEC(um, "CREATE TABLE `%s`.d_trunc (id INT PRIMARY KEY, v INT);"
		 "INSERT INTO `%s`.d_trunc VALUES (1, 1), (2, 2), (3, 3);"
		 "TRUNCATE TABLE `%s`.d_trunc;"
		 "INSERT INTO `%s`.d_trunc VALUES (2, 20)",
	     db, db, db, db);
	EXEC(um, "CREATE TABLE `%s`.d_drop (id INT PRIMARY KEY);"
		 "INSERT INTO `%s`.d_drop VALUES (1);"
		 "DROP TABLE `%s`.d_drop",
	     db, db, db);
	if (full) {
		EXEC(um, "CREATE DATABASE `%s_x`;"
			 "CREATE TABLE `%s_x`.t (id INT PRIMARY KEY);"
			 "INSERT INTO `%s_x`.t VALUES (1), (2);"
			 "DROP DATABASE `%s_x`",
		     db, db, db, db);
		EXEC(um, "CREATE DATABASE `%s_y`;"
			 "CREATE TABLE `%s_y`.t (id INT PRIMARY KEY, "
			 "v VARCHAR(10));"
			 "INSERT INTO `%s_y`.t VALUES (1, 'a'), (2, 'b');"
			 "UPDATE `%s_y`.t SET v = 'c' WHERE id = 2",
		     db, db, db, db);
		/* The workload's table goes away for a moment. */
		EXEC(um, "RENAME TABLE `%s`.d_live TO `%s`.d_live_r", db, db);
		sleep_ms(100);
		EXEC(um, "INSERT INTO `%s`.d_live_r (id, v) VALUES "
			 "(-1, -1)", db);
		EXEC(um, "RENAME TABLE `%s`.d_live_r TO `%s`.d_live", db, db);
	}
	sleep_ms(150);
	EXEC(um, "ALTER TABLE `%s`.t_pk MODIFY COLUMN v VARCHAR(60)", db);
	EXEC(um, "ALTER TABLE `%s`.t_pk DROP COLUMN added", db);
}

/* ------------------------------------------------------------ setup */

static int group_setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	if (sandbox_upstream(1, &up) != 0 || sandbox_downstream(&down) != 0)
		return -1;
	um = sandbox_connect(&up, NULL);
	dm = sandbox_connect(&down, NULL);
	if (!um || !dm)
		return -1;
	if (sandbox_exec(um, "SET SESSION time_zone = '+00:00'") ||
	    sandbox_exec(dm, "SET SESSION time_zone = '+00:00'"))
		return -1;
	snprintf(dir, sizeof(dir), "%s/sync-replicate.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	kit_up = um;
	kit_down = dm;
	kit_dir = dir;
	kit_sb_cfg = sb_cfg;
	kit_hang_guard_s = HANG_GUARD_S;
	path_in(src_pos, sizeof(src_pos), "source-pos.yaml");
	path_in(src_gtid, sizeof(src_gtid), "source-gtid.yaml");
	path_in(sb_cfg, sizeof(sb_cfg), "sysbench.cfg");
	if (write_file(src_pos,
		       "source-id: \"" SOURCE_ID "\"\n"
		       "enable-gtid: false\n"
		       "from:\n"
		       "  host: \"%s\"\n"
		       "  port: %u\n"
		       "  user: \"%s\"\n"
		       "  password: \"%s\"\n",
		       up.host, up.port, up.user, up.password) ||
	    write_file(src_gtid,
		       "source-id: \"" SOURCE_ID "\"\n"
		       "flavor: \"mariadb\"\n"
		       "enable-gtid: true\n"
		       "from:\n"
		       "  host: \"%s\"\n"
		       "  port: %u\n"
		       "  user: \"%s\"\n"
		       "  password: \"%s\"\n",
		       up.host, up.port, up.user, up.password) ||
	    write_file(sb_cfg,
		       "mysql-host=%s\nmysql-port=%u\nmysql-user=%s\n"
		       "mysql-password=%s\n",
		       up.host, up.port, up.user, up.password))
		return -1;
	return 0;
}

/* Drops every database of these tests on both sides (upstream without
 * binlog) and the task state. */
static void drop_all(void)
{
	static const char sql[] =
		"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
		"SCHEMA_NAME LIKE 'dmtest\\_sync\\_%%'";
	MYSQL *m[2] = { um, dm };
	size_t n, i;
	int s;

	sandbox_exec(um, "SET SESSION sql_log_bin = 0");
	for (s = 0; s < 2; s++) {
		char **v = list_of(m[s], &n, sql);

		for (i = 0; i < n; i++)
			sandbox_exec(m[s], "DROP DATABASE IF EXISTS `%s`", v[i]);
		rows_free(v, n);
	}
	sandbox_exec(um, "SET SESSION sql_log_bin = 1");
}

static int group_teardown(void **state)
{
	char cmd[400];

	(void)state;
	drop_all();
	mysql_close(um);
	mysql_close(dm);
	/* Everything in dir is ours. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (getenv("DM_KEEP_TEST_DIR") == NULL && system(cmd) != 0)
		return -1;
	return 0;
}

static int test_cleanup(void **state)
{
	(void)state;
	/* What a failed test left running. */
	if (running_workload)
		workload_stop(running_workload);
	if (open_workload)
		workload_free(open_workload);
	children_kill();
	drop_all();
	return 0;
}

/* The log files of one test: out (stdout+stderr) and log (--log-file). */
typedef struct run_files {
	char task[300], log[300], out[300], sb[300];
} run_files;

static void run_files_init(run_files *f, const char *name)
{
	char b[128];

	snprintf(b, sizeof(b), "%s-task.yaml", name);
	path_in(f->task, sizeof(f->task), b);
	snprintf(b, sizeof(b), "%s.log", name);
	path_in(f->log, sizeof(f->log), b);
	snprintf(b, sizeof(b), "%s.out", name);
	path_in(f->out, sizeof(f->out), b);
	snprintf(b, sizeof(b), "%s-sysbench.out", name);
	path_in(f->sb, sizeof(f->sb), b);
}

/* ------------------------------------------------------------ tests */

#define POS_DB "dmtest_sync_pos"
#define POS_SB "dmtest_sync_pos_sb"

static void test_sync__position_mode_workload_replicates_every_row(void **state)
{
	static const char *const sb_tests[] = { "oltp_write_only",
						"oltp_insert",
						"oltp_update_index",
						"oltp_delete" };
	run_files f;
	static workload w;
	pid_t run, sb;
	size_t i;
	int st;

	(void)state;
	run_files_init(&f, "pos");
	/* meta = the start of the binlog: its first file, position 4. */
	assert_int_equal(mysql_query(um, "SHOW BINARY LOGS"), 0);
	{
		MYSQL_RES *r = mysql_store_result(um);
		MYSQL_ROW row;

		assert_non_null(r);
		row = mysql_fetch_row(r);
		assert_non_null(row);
		write_task(f.task, "dmtest_sync_pos", false,
			   "    block-allow-list: \"bal\"\n",
			   "block-allow-list:\n"
			   "  bal:\n"
			   "    do-dbs: [\"~^dmtest_sync_pos\"]\n",
			   row[0]);
		mysql_free_result(r);
	}
	create_tables(um, POS_DB);
	EXEC(um, "CREATE DATABASE " POS_SB);
	workload_init(&w, POS_DB, 1234);
	workload_run(&w, 200);

	run = dmrun_start(src_pos, f.task, f.log, f.out, NULL, NULL, NULL);
	workload_start(&w);
	sysbench(POS_SB, "oltp_write_only", "prepare", 4, 2000, 1, f.sb);
	sb = fork();
	assert_true(sb >= 0);
	if (sb > 0)
		child_add(sb);
	if (sb == 0) {
		/* The four loads at the same time, in a child. */
		pid_t p[sizeof(sb_tests) / sizeof(*sb_tests)];
		int bad = 0;

		for (i = 0; i < sizeof(sb_tests) / sizeof(*sb_tests); i++)
			p[i] = sysbench_start(POS_SB, sb_tests[i], "run", 4,
					      2000, 4, f.sb);
		for (i = 0; i < sizeof(sb_tests) / sizeof(*sb_tests); i++)
			if (waitpid(p[i], &st, 0) != p[i] || !WIFEXITED(st) ||
			    WEXITSTATUS(st) != 0)
				bad = 1;
		_exit(bad);
	}
	ddl_script(POS_DB, true);
	st = wait_child(sb);
	if (st != 0) {
		show_file("sysbench output", f.sb);
		fail_msg("sysbench exited %d", st);
	}
	workload_stop(&w);
	print_message("random workload: %ld statements\n", w.ops);
	workload_free(&w);
	/* Mid-stream stop, then the rest. */
	dmrun_term(run, f.log, f.out);
	/* The stopped run left its checkpoint. */
	assert_true(value_ll(dm, "SELECT COUNT(*) FROM " META_SCHEMA
				 ".dmtest_sync_pos_syncer_checkpoint WHERE "
				 "is_global") == 1);
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_dbs_equal("dmtest_sync_pos");
	assert_true(value_ll(um, "SELECT COUNT(*) FROM " POS_SB ".sbtest1") > 0);

	/* The comparison can fail: one downstream byte changed. */
	print_message("corrupting the downstream on purpose; the "
		      "differences reported next are expected\n");
	EXEC(dm, "UPDATE " POS_DB ".t_types SET bl = CONCAT(bl, X'00') "
		 "WHERE bl IS NOT NULL ORDER BY id LIMIT 1");
	assert_int_not_equal(compare_db(POS_DB), 0);
	EXEC(dm, "UPDATE " POS_DB ".t_types SET bl = LEFT(bl, LENGTH(bl) - 1) "
		 "WHERE bl IS NOT NULL ORDER BY id LIMIT 1");
	/* ... and a missing row of a table without keys. */
	EXEC(dm, "DELETE FROM " POS_DB ".t_nokey LIMIT 1");
	assert_int_not_equal(compare_db(POS_DB), 0);
	assert_file_lacks(f.log, "Duplicate entry");
}

#define GTID_DB "dmtest_sync_gtid"
#define GTID_SB "dmtest_sync_gtid_sb"

static void test_sync__gtid_mode_workload_replicates_every_row(void **state)
{
	run_files f;
	static workload w;
	pid_t run;
	char *cp;

	(void)state;
	run_files_init(&f, "gtid");
	write_task(f.task, "dmtest_sync_gtid", true,
		   "    block-allow-list: \"bal\"\n",
		   "block-allow-list:\n"
		   "  bal:\n"
		   "    do-dbs: [\"~^dmtest_sync_gtid\"]\n",
		   NULL);
	create_tables(um, GTID_DB);
	EXEC(um, "CREATE DATABASE " GTID_SB);
	workload_init(&w, GTID_DB, 99);
	run = dmrun_start(src_gtid, f.task, f.log, f.out, NULL, NULL, NULL);
	workload_start(&w);
	sysbench(GTID_SB, "oltp_write_only", "prepare", 2, 1000, 1, f.sb);
	sysbench(GTID_SB, "oltp_write_only", "run", 2, 1000, 2, f.sb);
	ddl_script(GTID_DB, false);
	workload_stop(&w);
	workload_free(&w);
	dmrun_term(run, f.log, f.out);
	/* The checkpoint carries a GTID set, and the next run starts from
	 * it. */
	cp = value(dm, "SELECT binlog_gtid FROM " META_SCHEMA
		       ".dmtest_sync_gtid_syncer_checkpoint WHERE is_global");
	assert_non_null(cp);
	assert_non_null(strstr(cp, "0-101-"));
	free(cp);
	dmrun(src_gtid, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_dbs_equal("dmtest_sync_gtid");
	cp = value(dm, "SELECT binlog_gtid FROM " META_SCHEMA
		       ".dmtest_sync_gtid_syncer_checkpoint WHERE is_global");
	{
		char *now = value(um, "SELECT @@GLOBAL.gtid_binlog_pos");

		assert_non_null(cp);
		assert_non_null(now);
		assert_string_equal(cp, now);
		free(now);
	}
	free(cp);
	assert_file_lacks(f.log, "Duplicate entry");
}

#define RA "dmtest_sync_rules_a"
#define RB "dmtest_sync_rules_b"
#define RX "dmtest_sync_rules_exp"

static void test_sync__rules_filter_route_and_expression_filter(void **state)
{
	run_files f;
	char **v;
	size_t n;

	(void)state;
	run_files_init(&f, "rules");
	write_task(f.task, "dmtest_sync_rules", false,
		   "    block-allow-list: \"bal\"\n"
		   "    route-rules: [\"merge\", \"rename\"]\n"
		   "    filter-rules: [\"nodel\"]\n"
		   "    expression-filters: [\"even_c\"]\n",
		   "routes:\n"
		   "  merge:\n"
		   "    schema-pattern: \"" RA "\"\n"
		   "    table-pattern: \"merge_*\"\n"
		   "    target-schema: \"" RA "\"\n"
		   "    target-table: \"merged\"\n"
		   "  rename:\n"
		   "    schema-pattern: \"" RA "\"\n"
		   "    table-pattern: \"renamed_src\"\n"
		   "    target-schema: \"" RA "\"\n"
		   "    target-table: \"renamed_dst\"\n"
		   "filters:\n"
		   "  nodel:\n"
		   "    schema-pattern: \"" RA "\"\n"
		   "    table-pattern: \"nodel\"\n"
		   "    events: [\"delete\"]\n"
		   "    action: Ignore\n"
		   "expression-filter:\n"
		   "  even_c:\n"
		   "    schema: \"" RA "\"\n"
		   "    table: \"expr\"\n"
		   "    insert-value-expr: \"c % 2 = 0\"\n"
		   "block-allow-list:\n"
		   "  bal:\n"
		   "    do-dbs: [\"" RA "\"]\n"
		   "    ignore-tables:\n"
		   "      - db-name: \"" RA "\"\n"
		   "        tbl-name: \"skipme\"\n",
		   NULL);
	EXEC(um, "CREATE DATABASE " RA "; CREATE DATABASE " RB);
	EXEC(um,
	     "CREATE TABLE " RA ".keep1 (id INT PRIMARY KEY, v VARCHAR(20));"
	     "CREATE TABLE " RA ".merge_1 (id INT PRIMARY KEY, v VARCHAR(20));"
	     "CREATE TABLE " RA ".merge_2 (id INT PRIMARY KEY, v VARCHAR(20));"
	     "CREATE TABLE " RA ".renamed_src (id INT PRIMARY KEY, "
	     "v VARCHAR(20));"
	     "CREATE TABLE " RA ".nodel (id INT PRIMARY KEY, v INT);"
	     "CREATE TABLE " RA ".expr (id INT PRIMARY KEY, c INT, "
	     "s VARCHAR(10));"
	     "CREATE TABLE " RA ".skipme (id INT PRIMARY KEY);"
	     "CREATE TABLE " RB ".t (id INT PRIMARY KEY)");
	EXEC(um,
	     "INSERT INTO " RA ".keep1 SELECT seq, CONCAT('k', seq) FROM "
	     RA ".seq_1_to_50;"
	     "INSERT INTO " RA ".merge_1 SELECT seq, 'one' FROM " RA ".seq_1_to_50;"
	     "INSERT INTO " RA ".merge_2 SELECT seq, 'two' FROM "
	     RA ".seq_1001_to_1050;"
	     "INSERT INTO " RA ".renamed_src SELECT seq, 'r' FROM " RA ".seq_1_to_30;"
	     "INSERT INTO " RA ".nodel SELECT seq, seq FROM " RA ".seq_1_to_60;"
	     "INSERT INTO " RA ".expr SELECT seq, seq * 7 %% 13, 'e' FROM "
	     RA ".seq_1_to_80;"
	     "INSERT INTO " RA ".skipme SELECT seq FROM " RA ".seq_1_to_10;"
	     "INSERT INTO " RB ".t SELECT seq FROM " RA ".seq_1_to_10");
	for (int i = 0; i < 20; i++) /* single-row events too */
		EXEC(um, "INSERT INTO " RA ".expr VALUES (%d, %d, 'one')",
		     100 + i, i);
	EXEC(um,
	     "UPDATE " RA ".keep1 SET v = 'upd' WHERE id %% 4 = 0;"
	     "UPDATE " RA ".merge_2 SET v = 'two!' WHERE id %% 2 = 0;"
	     "UPDATE " RA ".renamed_src SET v = 'r2' WHERE id > 20;"
	     "UPDATE " RA ".nodel SET v = v * 10 WHERE id %% 4 = 0");
	/* What the downstream nodel must hold: every row before the
	 * deletes (kept out of the binlog). */
	EXEC(um, "SET SESSION sql_log_bin = 0; CREATE DATABASE " RX "; "
		 "CREATE TABLE " RX ".nodel AS SELECT * FROM " RA ".nodel; "
		 "SET SESSION sql_log_bin = 1");
	EXEC(um,
	     "DELETE FROM " RA ".keep1 WHERE id %% 5 = 0;"
	     "DELETE FROM " RA ".merge_1 WHERE id %% 3 = 0;"
	     "DELETE FROM " RA ".nodel WHERE id %% 3 = 0;"
	     "DELETE FROM " RA ".expr WHERE id %% 10 = 1 AND c %% 2 = 1;"
	     "DELETE FROM " RA ".renamed_src WHERE id < 5;"
	     "DELETE FROM " RA ".skipme;"
	     "UPDATE " RB ".t SET id = id + 100");

	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);

	v = list_of(dm, &n, "SELECT TABLE_NAME FROM information_schema.TABLES "
			    "WHERE TABLE_SCHEMA = '" RA "' ORDER BY 1");
	{
		static const char *const want[] = { "expr", "keep1", "merged",
						     "nodel", "renamed_dst" };
		size_t i;

		for (i = 0; i < n; i++)
			print_message("downstream table: %s\n", v[i]);
		assert_int_equal(n, 5);
		for (i = 0; i < n; i++)
			assert_string_equal(v[i], want[i]);
	}
	rows_free(v, n);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM information_schema."
				      "SCHEMATA WHERE SCHEMA_NAME = '" RB "'"),
			 0);
	assert_int_equal(compare_rows(RA ".keep1", RA, "keep1"), 0);
	assert_int_equal(compare_rows("(SELECT * FROM " RA ".merge_1 UNION ALL "
				      "SELECT * FROM " RA ".merge_2) x",
				      RA, "merged"),
			 0);
	assert_int_equal(compare_rows(RA ".renamed_src", RA, "renamed_dst"), 0);
	assert_int_equal(compare_rows(RX ".nodel", RA, "nodel"), 0);
	assert_int_equal(compare_rows("(SELECT * FROM " RA ".expr WHERE "
				      "c % 2 <> 0) x",
				      RA, "expr"),
			 0);
	/* The rules did something: deletes on nodel happened upstream. */
	assert_true(value_ll(um, "SELECT COUNT(*) FROM " RA ".nodel") <
		    value_ll(dm, "SELECT COUNT(*) FROM " RA ".nodel"));
}

#define CRASH_DB "dmtest_sync_crash"

static void test_sync__sigkill_at_random_moments_loses_and_repeats_nothing(
	void **state)
{
	run_files f;
	static workload w;
	char *cfg;
	pid_t sb;
	unsigned seed = (unsigned)time(NULL);
	int i, st, kills = 0;

	(void)state;
	print_message("crash test seed %u\n", seed);
	run_files_init(&f, "crash");
	write_task(f.task, "dmtest_sync_crash", false,
		   "    block-allow-list: \"bal\"\n",
		   "block-allow-list:\n"
		   "  bal:\n"
		   "    do-dbs: [\"~^dmtest_sync_crash\"]\n",
		   NULL);
	/* No safe mode: replays must be exact by the progress rows alone. */
	cfg = slurp(f.task);
	assert_non_null(cfg);
	assert_non_null(strstr(cfg, "safe-mode: false"));
	assert_null(strstr(cfg, "safe-mode: true"));
	free(cfg);
	{
		char out[300];
		char *argv[] = { (char *)dm_run_path(), "--source", src_pos,
				 "--print-config", f.task, NULL };

		path_in(out, sizeof(out), "crash-print-config.out");
		assert_int_equal(wait_child(spawn(argv, out)), 0);
		cfg = slurp(out);
		assert_non_null(cfg);
		assert_non_null(strstr(cfg, "safe-mode: false"));
		assert_null(strstr(cfg, "safe-mode: true"));
		free(cfg);
	}
	create_tables(um, CRASH_DB);
	EXEC(um, "CREATE DATABASE " CRASH_DB "_sb");
	sysbench(CRASH_DB "_sb", "oltp_write_only", "prepare", 2, 1000, 1,
		 f.sb);
	workload_init(&w, CRASH_DB, seed);
	workload_start(&w);
	sb = sysbench_start(CRASH_DB "_sb", "oltp_write_only", "run", 2, 1000,
			    120, f.sb);
	for (i = 0; i < 20; i++) {
		char log[300], out[300], name[64];
		pid_t p;

		snprintf(name, sizeof(name), "crash-%02d.log", i);
		path_in(log, sizeof(log), name);
		snprintf(name, sizeof(name), "crash-%02d.out", i);
		path_in(out, sizeof(out), name);
		p = dmrun_start(src_pos, f.task, log, out, NULL, NULL, NULL);
		sleep_ms(200 + (unsigned)(rand_r(&seed) % 1801));
		kill(p, SIGKILL);
		assert_int_equal(waitpid(p, &st, 0), p);
		child_gone(p);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) {
			kills++;
		} else {
			show_file("dm-run output", out);
			show_file("dm-run log", log);
			fail_msg("run %d ended on its own (exit status %d) "
				 "before SIGKILL", i,
				 WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		}
	}
	kill(sb, SIGTERM);
	waitpid(sb, &st, 0);
	child_gone(sb);
	workload_stop(&w);
	print_message("crash test: %d kills, %ld random statements\n", kills,
		      w.ops);
	workload_free(&w);
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_dbs_equal(CRASH_DB);
	for (i = 0; i < 20; i++) {
		char path[300], name[64];

		snprintf(name, sizeof(name), "crash-%02d.log", i);
		path_in(path, sizeof(path), name);
		/* The server's words for 1062 (the bare number also occurs in
		 * binlog positions, ports and pids in the log). */
		assert_file_lacks(path, "Duplicate entry");
		snprintf(name, sizeof(name), "crash-%02d.out", i);
		path_in(path, sizeof(path), name);
		assert_file_lacks(path, "Duplicate entry");
	}
	assert_file_lacks(f.log, "Duplicate entry");
	assert_file_lacks(f.out, "Duplicate entry");
}

#define ROT_DB "dmtest_sync_rot"

static void test_sync__binlog_rotation_during_replication(void **state)
{
	run_files f;
	static workload w;
	char file0[128], file1[128];
	unsigned long long pos;
	char *cpfile;
	pid_t run;
	int i;

	(void)state;
	run_files_init(&f, "rot");
	write_task(f.task, "dmtest_sync_rot", false,
		   "    block-allow-list: \"bal\"\n",
		   "block-allow-list:\n"
		   "  bal:\n"
		   "    do-dbs: [\"" ROT_DB "\"]\n",
		   NULL);
	master_pos(file0, sizeof(file0), &pos);
	create_tables(um, ROT_DB);
	workload_init(&w, ROT_DB, 7);
	run = dmrun_start(src_pos, f.task, f.log, f.out, NULL, NULL, NULL);
	for (i = 0; i < 6; i++) {
		workload_run(&w, 60);
		EXEC(um, "FLUSH BINARY LOGS");
	}
	/* Rotations while transactions are being written. */
	workload_start(&w);
	for (i = 0; i < 3; i++) {
		sleep_ms(300);
		EXEC(um, "FLUSH BINARY LOGS");
	}
	workload_stop(&w);
	workload_run(&w, 30);
	workload_free(&w);
	dmrun_term(run, f.log, f.out);
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_dbs_equal(ROT_DB);
	master_pos(file1, sizeof(file1), &pos);
	cpfile = value(dm, "SELECT binlog_name FROM " META_SCHEMA
			   ".dmtest_sync_rot_syncer_checkpoint WHERE "
			   "is_global");
	assert_non_null(cpfile);
	assert_true(strcmp(file1, file0) > 0);
	assert_string_equal(cpfile, file1);
	free(cpfile);
}

#define STOP_DB "dmtest_sync_stop"

static void test_sync__stop_at_remove_meta_and_nothing_new(void **state)
{
	run_files f;
	static workload w;
	char file[128], stop_at[200], *cp1, *cp2;
	unsigned long long pos;
	long long applied;

	(void)state;
	run_files_init(&f, "stop");
	write_task(f.task, "dmtest_sync_stop", false,
		   "    block-allow-list: \"bal\"\n",
		   "block-allow-list:\n"
		   "  bal:\n"
		   "    do-dbs: [\"" STOP_DB "\"]\n",
		   NULL);
	create_tables(um, STOP_DB);
	workload_init(&w, STOP_DB, 4242);
	workload_run(&w, 150);
	/* The state at the stop position, kept out of the binlog. */
	master_pos(file, sizeof(file), &pos);
	snprintf(stop_at, sizeof(stop_at), "%s:%llu", file, pos);
	EXEC(um, "SET SESSION sql_log_bin = 0;"
		 "CREATE DATABASE " "dmtest_sync_exp_stop;"
		 "CREATE TABLE " "dmtest_sync_exp_stop.t_pk AS SELECT * FROM "
		 STOP_DB ".t_pk;"
		 "CREATE TABLE " "dmtest_sync_exp_stop.t_nokey AS SELECT * FROM "
		 STOP_DB ".t_nokey;"
		 "CREATE TABLE " "dmtest_sync_exp_stop.t_types AS SELECT * FROM "
		 STOP_DB ".t_types;"
		 "SET SESSION sql_log_bin = 1");
	workload_run(&w, 150);
	workload_free(&w);

	/* --stop-at: exit 0, the checkpoint exactly there, the rows as they
	 * were there. */
	dmrun(src_pos, f.task, f.log, f.out, "--stop-at", stop_at, NULL);
	cp1 = value(dm, "SELECT CONCAT(binlog_name, ':', binlog_pos) FROM "
			META_SCHEMA ".dmtest_sync_stop_syncer_checkpoint "
			"WHERE is_global");
	assert_non_null(cp1);
	assert_string_equal(cp1, stop_at);
	free(cp1);
	assert_int_equal(compare_rows("dmtest_sync_exp_stop.t_pk", STOP_DB, "t_pk"), 0);
	assert_int_equal(compare_rows("dmtest_sync_exp_stop.t_nokey", STOP_DB,
				      "t_nokey"),
			 0);
	assert_int_equal(compare_rows("(SELECT * FROM "
				      "dmtest_sync_exp_stop.t_types) x",
				      STOP_DB, "t_types"),
			 0);
	print_message("the upstream moved on after the stop position; the "
		      "differences reported next are expected\n");
	assert_int_not_equal(compare_rows(STOP_DB ".t_pk", STOP_DB, "t_pk"), 0);

	/* --remove-meta: the checkpoint is gone and the task starts over
	 * from its meta, so the downstream is rebuilt from nothing. */
	EXEC(dm, "DROP DATABASE " STOP_DB);
	dmrun(src_pos, f.task, f.log, f.out, "--remove-meta",
	      "--until-caught-up", NULL);
	assert_dbs_equal(STOP_DB);
	cp1 = value(dm, "SELECT CONCAT(binlog_name, ':', binlog_pos) FROM "
			META_SCHEMA ".dmtest_sync_stop_syncer_checkpoint "
			"WHERE is_global");
	assert_non_null(cp1);
	applied = value_ll(dm, "SELECT COUNT(*) FROM " STOP_DB ".t_pk");

	/* Nothing new: both ways of asking end with status 0 and move
	 * nothing. */
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	dmrun(src_pos, f.task, f.log, f.out, "--stop-at", stop_at, NULL);
	cp2 = value(dm, "SELECT CONCAT(binlog_name, ':', binlog_pos) FROM "
			META_SCHEMA ".dmtest_sync_stop_syncer_checkpoint "
			"WHERE is_global");
	assert_non_null(cp2);
	assert_string_equal(cp1, cp2);
	free(cp1);
	free(cp2);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " STOP_DB ".t_pk"),
			 applied);
	assert_dbs_equal(STOP_DB);
	assert_file_lacks(f.log, "Duplicate entry");
}

/* A checkpoint as DM leaves it: no progress table, TiDB's table_info, a
 * global point behind what was applied. libdm continues from it in safe
 * mode, replaying the window without duplicates. */
#define DMCK_DB "dmtest_sync_dmck"
#define DMCK_CP META_SCHEMA ".dmtest_sync_dmck_syncer_checkpoint"

static void test_sync__continues_from_a_dm_checkpoint(void **state)
{
	run_files f;
	static workload w;
	char file0[128], file1[128], stop_at[200];
	unsigned long long pos0, pos1;

	(void)state;
	run_files_init(&f, "dmck");
	write_task(f.task, "dmtest_sync_dmck", false,
		   "    block-allow-list: \"bal\"\n",
		   "block-allow-list:\n"
		   "  bal:\n"
		   "    do-tables:\n"
		   "    - db-name: \"" DMCK_DB "\"\n"
		   "      tbl-name: \"t_pk\"\n"
		   "    - db-name: \"" DMCK_DB "\"\n"
		   "      tbl-name: \"t_uk\"\n",
		   NULL);
	create_tables(um, DMCK_DB);
	workload_init(&w, DMCK_DB, 777);
	workload_run(&w, 150);
	master_pos(file0, sizeof(file0), &pos0);
	workload_run(&w, 100);
	master_pos(file1, sizeof(file1), &pos1);
	snprintf(stop_at, sizeof(stop_at), "%s:%llu", file1, pos1);
	dmrun(src_pos, f.task, f.log, f.out, "--stop-at", stop_at, NULL);

	/* What DM would have left: its own table only, a global point at
	 * pos0 though everything up to pos1 is applied. */
	EXEC(dm, "DROP TABLE " META_SCHEMA ".dmtest_sync_dmck_syncer_progress;"
		 "UPDATE " DMCK_CP " SET binlog_name = '%s', binlog_pos = %llu;"
		 "UPDATE " DMCK_CP " SET table_info = '{\"id\":71,\"name\":"
		 "{\"O\":\"t\",\"L\":\"t\"},\"cols\":[]}' WHERE NOT is_global",
	     file0, pos0);
	workload_run(&w, 100);
	workload_free(&w);
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_int_equal(compare_rows(DMCK_DB ".t_pk", DMCK_DB, "t_pk"), 0);
	assert_int_equal(compare_rows(DMCK_DB ".t_uk", DMCK_DB, "t_uk"), 0);
	assert_file_lacks(f.log, "Duplicate entry");
}

#define UNSEEN_DB "dmtest_sync_unseen"
#define UNSEEN_CP META_SCHEMA ".dmtest_sync_unseen_syncer_checkpoint"

/* DDL on tables the replication has not seen since its start: ALTER,
 * CREATE INDEX, TRUNCATE, DROP, CREATE TABLE LIKE and RENAME of tables
 * that got no row change first (the tracker fetches them from the
 * downstream, as DM does). Then a table renamed away and back with a
 * restart in between: the checkpoint forgets the old name, so the second
 * run does not find it tracked twice. */
static void test_sync__ddl_on_unseen_tables_and_renames_across_restarts(
	void **state)
{
	static const char *const tables[] = { "a", "b", "c", "d", "f", "g" };
	MYSQL *both[2] = { um, dm };
	run_files f;
	size_t i;
	int k;

	(void)state;
	run_files_init(&f, "unseen");
	/* The same tables and rows on both sides, before the start point. */
	for (k = 0; k < 2; k++) {
		EXEC(both[k], "CREATE DATABASE " UNSEEN_DB);
		for (i = 0; i < sizeof(tables) / sizeof(*tables); i++)
			EXEC(both[k], "CREATE TABLE " UNSEEN_DB ".%s (id INT "
				      "PRIMARY KEY, v VARCHAR(20)); INSERT "
				      "INTO " UNSEEN_DB ".%s VALUES (1, 'one'), "
				      "(2, 'two')", tables[i], tables[i]);
	}
	write_task(f.task, "dmtest_sync_unseen", false, NULL, NULL, NULL);
	EXEC(um, "ALTER TABLE " UNSEEN_DB ".a ADD COLUMN x INT DEFAULT 5;"
		 "INSERT INTO " UNSEEN_DB ".a VALUES (3, 'three', 33)");
	EXEC(um, "CREATE INDEX iv ON " UNSEEN_DB ".b (v);"
		 "UPDATE " UNSEEN_DB ".b SET v = 'deux' WHERE id = 2");
	EXEC(um, "TRUNCATE TABLE " UNSEEN_DB ".c;"
		 "INSERT INTO " UNSEEN_DB ".c VALUES (9, 'nine')");
	EXEC(um, "DROP TABLE " UNSEEN_DB ".d");
	EXEC(um, "CREATE TABLE " UNSEEN_DB ".e LIKE " UNSEEN_DB ".f;"
		 "INSERT INTO " UNSEEN_DB ".e VALUES (1, 'e')");
	EXEC(um, "RENAME TABLE " UNSEEN_DB ".g TO " UNSEEN_DB ".g2;"
		 "DELETE FROM " UNSEEN_DB ".g2 WHERE id = 1");
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_dbs_equal(UNSEEN_DB);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " UNSEEN_CP
				     " WHERE cp_table IN ('d', 'g')"), 0);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " UNSEEN_CP
				     " WHERE cp_table IN ('a', 'g2')"), 2);

	/* Away, a restart, and back. */
	EXEC(um, "RENAME TABLE " UNSEEN_DB ".a TO " UNSEEN_DB ".a_r;"
		 "INSERT INTO " UNSEEN_DB ".a_r VALUES (4, 'four', 44)");
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " UNSEEN_CP
				     " WHERE cp_table = 'a'"), 0);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " UNSEEN_CP
				     " WHERE cp_table = 'a_r'"), 1);
	EXEC(um, "RENAME TABLE " UNSEEN_DB ".a_r TO " UNSEEN_DB ".a;"
		 "INSERT INTO " UNSEEN_DB ".a VALUES (5, 'five', 55);"
		 "DROP TABLE " UNSEEN_DB ".e");
	dmrun(src_pos, f.task, f.log, f.out, "--until-caught-up", NULL, NULL);
	assert_dbs_equal(UNSEEN_DB);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " UNSEEN_CP
				     " WHERE cp_table IN ('a_r', 'e')"), 0);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " UNSEEN_CP
				     " WHERE cp_table = 'a'"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			test_sync__position_mode_workload_replicates_every_row,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync__gtid_mode_workload_replicates_every_row,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync__rules_filter_route_and_expression_filter,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync__sigkill_at_random_moments_loses_and_repeats_nothing,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync__binlog_rotation_during_replication,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync__continues_from_a_dm_checkpoint,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync__stop_at_remove_meta_and_nothing_new,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync__ddl_on_unseen_tables_and_renames_across_restarts,
			test_cleanup),
	};

	sandbox_require();
	signal(SIGPIPE, SIG_IGN);
	/* DM_TEST_FILTER=PATTERN runs only the tests whose names match. */
	if (getenv("DM_TEST_FILTER"))
		cmocka_set_test_filter(getenv("DM_TEST_FILTER"));
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
