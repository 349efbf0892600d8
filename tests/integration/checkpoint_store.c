/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checkpoint store against a real downstream: DM's table layout, flush
 * and reload of every point, table rows that are only rewritten when the
 * structure changed, per-queue progress rows that commit or roll back with
 * the applier's transaction, deletion, --remove-meta, names that need
 * quoting, two sources sharing one task's tables, and tables DM itself
 * created holding TiDB's table info.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-checkpoint_store
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"
#include "sandbox/sandbox.h"

#define META "dmtest_cp_meta"
#define REF "dmtest_cp_ref"
/* Names that need quoting (MariaDB names hold no 4-byte characters). */
#define WEIRD_META "dmtest cp`meta 'x'"
#define WEIRD_META_SQL "`dmtest cp``meta 'x'`"
#define WEIRD_TASK "ta`sk 'x' \"y\" \xC3\xA9"
#define WEIRD_TASK_SQL "ta``sk 'x' \"y\" \xC3\xA9"

/* DM's own DDL for the table (syncer/checkpoint.go), as DM sends it. */
#define DM_CHECKPOINT_DDL(name)                                              \
	"CREATE TABLE IF NOT EXISTS " name " (\n"                            \
	"  id VARCHAR(32) NOT NULL,\n"                                       \
	"  cp_schema VARCHAR(128) NOT NULL,\n"                               \
	"  cp_table VARCHAR(128) NOT NULL,\n"                                \
	"  binlog_name VARCHAR(128),\n"                                      \
	"  binlog_pos INT UNSIGNED,\n"                                       \
	"  binlog_gtid TEXT,\n"                                              \
	"  exit_safe_binlog_name VARCHAR(128) DEFAULT '',\n"                 \
	"  exit_safe_binlog_pos INT UNSIGNED DEFAULT 0,\n"                   \
	"  exit_safe_binlog_gtid TEXT,\n"                                    \
	"  table_info JSON NOT NULL,\n"                                      \
	"  is_global BOOLEAN,\n"                                             \
	"  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"      \
	"  update_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON "     \
	"UPDATE CURRENT_TIMESTAMP,\n"                                        \
	"  UNIQUE KEY uk_id_schema_table (id, cp_schema, cp_table)\n"        \
	")"

/* A TableInfo as TiDB marshals it (DM stores this in table_info). */
static const char tidb_json[] =
	"{\"id\":57,\"name\":{\"O\":\"t1\",\"L\":\"t1\"},\"charset\":"
	"\"utf8mb4\",\"collate\":\"utf8mb4_bin\",\"cols\":[{\"id\":1,\"name\":"
	"{\"O\":\"id\",\"L\":\"id\"},\"offset\":0,\"origin_default\":null,"
	"\"origin_default_bit\":null,\"default\":null,\"default_bit\":null,"
	"\"default_is_expr\":false,\"generated_expr_string\":\"\","
	"\"generated_stored\":false,\"dependences\":null,\"type\":{\"Tp\":3,"
	"\"Flag\":4099,\"Flen\":11,\"Decimal\":0,\"Charset\":\"binary\","
	"\"Collate\":\"binary\",\"Elems\":null},\"state\":5,\"comment\":\"\","
	"\"hidden\":false,\"change_state_info\":null,\"version\":2}],"
	"\"index_info\":null,\"constraint_info\":null,\"fk_info\":null,"
	"\"state\":5,\"pk_is_handle\":true,\"is_common_handle\":false,"
	"\"comment\":\"\",\"auto_inc_id\":0,\"max_col_id\":1,"
	"\"max_idx_id\":0,\"update_timestamp\":429573216912441351,"
	"\"partition\":null,\"version\":4}";

static sandbox_server down;
static MYSQL *check;

/* ------------------------------------------------------------- helpers */

static void fail_err(const char *what, dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
	fail_msg("%s: %s", what, b.data ? b.data : "(no error)");
}

static dm_db *open_db(void)
{
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_db *db = NULL;
	dm_error *e = NULL;

	o.host = down.host;
	o.port = down.port;
	o.user = down.user;
	o.password = down.password;
	o.scope = DM_ERR_SCOPE_DOWNSTREAM;
	if (dm_db_open(&db, NULL, &o, &e) != 0)
		fail_err("dm_db_open", e);
	return db;
}

static dm_checkpoint *open_cp(dm_db *db, const char *meta, const char *task,
			      const char *source)
{
	dm_checkpoint_opts o = DM_CHECKPOINT_OPTS_INIT;
	dm_checkpoint *cp = NULL;
	dm_error *e = NULL;

	o.meta_schema = meta;
	o.task = task;
	o.source_id = source;
	if (dm_checkpoint_open(&cp, db, &o, &e) != 0)
		fail_err("dm_checkpoint_open", e);
	assert_non_null(cp);
	return cp;
}

static dm_location loc(const char *file, uint64_t pos, uint32_t row)
{
	dm_location l = DM_LOCATION_INIT;

	assert_int_equal(dm_location_set(&l, file, pos, row, NULL), 0);
	return l;
}

static void flush(dm_checkpoint *cp, dm_db *db, const dm_location *l,
		  const char *gtid, const dm_location *safe,
		  const char *safe_gtid, const dm_schema_tracker *tr)
{
	dm_error *e = NULL;

	if (dm_checkpoint_flush(cp, db, l, gtid, safe, safe_gtid, tr, &e))
		fail_err("dm_checkpoint_flush", e);
}

static void run(dm_db *db, const char *sql)
{
	dm_error *e = NULL;

	if (dm_db_exec(db, sql, strlen(sql), &e) != 0)
		fail_err(sql, e);
}

static void exec_check(const char *sql)
{
	assert_int_equal(sandbox_exec(check, "%s", sql), 0);
}

/* The first value of a query on the independent connection, "NULL" for
 * SQL NULL or no row. */
static char *value(const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	char *v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = sandbox_query_value(check, sql, NULL);
	if (!v) {
		if (mysql_errno(check))
			fail_msg("%s: %s", sql, mysql_error(check));
		v = strdup("NULL");
	}
	return v;
}

static void assert_value(const char *want, const char *fmt, ...)
{
	char sql[4096];
	va_list ap;
	char *v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = value("%s", sql);
	if (strcmp(v, want) != 0)
		fail_msg("%s:\n got: %s\nwant: %s", sql, v, want);
	free(v);
}

static void assert_loc(const dm_location *got, const char *file,
		       uint64_t pos, uint32_t row)
{
	assert_string_equal(got->file, file);
	assert_int_equal(got->pos, pos);
	assert_int_equal(got->row, row);
}

static dm_schema_tracker *tracker(const char *const *ddl, size_t n)
{
	dm_schema_tracker *tr = NULL;
	dm_error *e = NULL;
	size_t i;

	assert_int_equal(dm_schema_tracker_new(&tr, NULL, NULL), 0);
	for (i = 0; i < n; i++)
		if (dm_schema_tracker_apply(tr, ddl[i], strlen(ddl[i]), "db1",
					    &e))
			fail_err(ddl[i], e);
	return tr;
}

static void apply(dm_schema_tracker *tr, const char *ddl)
{
	dm_error *e = NULL;

	if (dm_schema_tracker_apply(tr, ddl, strlen(ddl), "db1", &e))
		fail_err(ddl, e);
}

static char *create_of(const dm_schema_tracker *tr, const char *schema,
		       const char *table)
{
	const dm_schema_table *t = dm_schema_tracker_get(tr, schema, table);
	dm_buf b = DM_BUF_INIT;

	assert_non_null(t);
	assert_int_equal(dm_schema_table_create_sql(&b, t, NULL), 0);
	return dm_buf_detach(&b);
}

/* Runs a queue's progress statement (and a data row) in a transaction. */
static void apply_queue(dm_checkpoint *cp, dm_db *db, unsigned queue,
			unsigned nqueues, const dm_location *l, int data,
			bool commit)
{
	dm_buf sql = DM_BUF_INIT;
	dm_error *e = NULL;
	char ins[128];

	if (dm_checkpoint_queue_sql(&sql, cp, queue, nqueues, l, &e))
		fail_err("dm_checkpoint_queue_sql", e);
	if (dm_db_begin(db, &e))
		fail_err("begin", e);
	snprintf(ins, sizeof(ins), "INSERT INTO " REF ".data VALUES (%d)",
		 data);
	run(db, ins);
	if (dm_db_exec(db, sql.data, sql.len, &e))
		fail_err(sql.data, e);
	if (commit ? dm_db_commit(db, &e) : dm_db_rollback(db, &e))
		fail_err("end of transaction", e);
	dm_buf_free(&sql);
}

static const char *const cols_sql =
	"SELECT GROUP_CONCAT(CONCAT_WS('|', COLUMN_NAME, COLUMN_TYPE,"
	" IS_NULLABLE, IFNULL(COLUMN_DEFAULT, '-'), EXTRA)"
	" ORDER BY ORDINAL_POSITION SEPARATOR '\\n')"
	" FROM information_schema.COLUMNS"
	" WHERE TABLE_SCHEMA = '%s' AND TABLE_NAME = '%s'";
static const char *const keys_sql =
	"SELECT GROUP_CONCAT(CONCAT_WS('|', INDEX_NAME, NON_UNIQUE,"
	" SEQ_IN_INDEX, COLUMN_NAME) ORDER BY INDEX_NAME, SEQ_IN_INDEX"
	" SEPARATOR ',') FROM information_schema.STATISTICS"
	" WHERE TABLE_SCHEMA = '%s' AND TABLE_NAME = '%s'";

/* --------------------------------------------------------------- tests */

static void test_checkpoint_store__open_creates_dm_layout(void **s)
{
	dm_db *db = open_db();
	dm_checkpoint *cp;
	char *ref_cols, *ref_keys;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	cp = open_cp(db, META, "task1", "src1");
	assert_false(dm_checkpoint_global(cp, NULL, NULL));
	assert_false(dm_checkpoint_safe_exit(cp, NULL, NULL));
	assert_int_equal(dm_checkpoint_ntables(cp), 0);
	assert_int_equal(dm_checkpoint_queues(cp), 0);
	assert_false(dm_checkpoint_queue(cp, 0, NULL));

	/* The same columns and keys as a table made by DM's DDL. */
	exec_check(DM_CHECKPOINT_DDL(REF ".dm_cp"));
	ref_cols = value(cols_sql, REF, "dm_cp");
	ref_keys = value(keys_sql, REF, "dm_cp");
	assert_value(ref_cols, cols_sql, META, "task1_syncer_checkpoint");
	assert_value(ref_keys, keys_sql, META, "task1_syncer_checkpoint");
	/* ... which are these on MariaDB (JSON is a checked LONGTEXT). */
	assert_non_null(strstr(ref_cols, "table_info|longtext|NO|-|\n"));
	assert_non_null(strstr(ref_cols, "binlog_pos|int(10) unsigned|YES|"
					 "NULL|\n"));
	assert_non_null(strstr(ref_cols, "exit_safe_binlog_name|varchar(128)|"
					 "YES|''|\n"));
	assert_non_null(strstr(ref_cols, "update_time|timestamp|NO|"
					 "current_timestamp()|on update "
					 "current_timestamp()"));
	assert_string_equal(ref_keys, "uk_id_schema_table|0|1|id,"
				      "uk_id_schema_table|0|2|cp_schema,"
				      "uk_id_schema_table|0|3|cp_table");
	free(ref_cols);
	free(ref_keys);

	assert_value("id|varchar(32)|NO|-|\n"
		     "queue|int(10) unsigned|NO|-|\n"
		     "queue_count|int(10) unsigned|NO|-|\n"
		     "binlog_name|varchar(128)|NO|-|\n"
		     "binlog_pos|int(10) unsigned|NO|-|\n"
		     "binlog_row|int(10) unsigned|NO|0|\n"
		     "update_time|timestamp|NO|current_timestamp()|"
		     "on update current_timestamp()",
		     cols_sql, META, "task1_syncer_progress");
	assert_value("PRIMARY|0|1|id,PRIMARY|0|2|queue", keys_sql, META,
		     "task1_syncer_progress");
	assert_value("0", "SELECT COUNT(*) FROM " META ".task1_syncer_checkpoint");

	/* Opening again finds the tables and changes nothing. */
	dm_checkpoint_free(cp);
	cp = open_cp(db, META, "task1", "src1");
	assert_int_equal(dm_checkpoint_ntables(cp), 0);
	dm_checkpoint_free(cp);
	dm_db_close(db);
}

static void test_checkpoint_store__flush_and_reload_points(void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE db1.a (id INT PRIMARY KEY, v VARCHAR(20) "
		"CHARACTER SET latin1 DEFAULT 'x''y', g INT AS (id + 1) STORED, "
		"e ENUM('p','q\"') NOT NULL, st SET('m','n'), "
		"UNIQUE KEY uv (v(4), e), KEY kg (g DESC)) "
		"COMMENT 'c \\\\ \\n \xC3\xA9'",
		"CREATE TABLE db2.`b``q` (k BIGINT UNSIGNED, "
		"t TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP "
		"ON UPDATE CURRENT_TIMESTAMP)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *tr = tracker(ddl, 2), *back;
	dm_checkpoint *cp;
	dm_location g = loc("mysql-bin.000003", 4231, 0), got;
	dm_location safe = loc("mysql-bin.000004", 120, 0);
	dm_location big = loc("mysql-bin.000005", 4294967296ull, 0);
	const char *gtid = NULL, *schema, *table;
	dm_error *e = NULL;
	size_t i;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	cp = open_cp(db, META, "task2", "src1");
	flush(cp, db, &g, "0-1-5,1-2-9", &safe, "0-1-7", tr);
	assert_true(dm_checkpoint_global(cp, &got, &gtid));
	assert_loc(&got, "mysql-bin.000003", 4231, 0);
	assert_string_equal(gtid, "0-1-5,1-2-9");
	assert_true(dm_checkpoint_safe_exit(cp, &got, &gtid));
	assert_loc(&got, "mysql-bin.000004", 120, 0);
	assert_string_equal(gtid, "0-1-7");
	assert_int_equal(dm_checkpoint_ntables(cp), 2);
	dm_checkpoint_free(cp);

	/* DM's row shapes. */
	assert_value("1|null|mysql-bin.000003|4231|0-1-5,1-2-9|"
		     "mysql-bin.000004|120|0-1-7",
		     "SELECT CONCAT_WS('|', is_global, table_info, binlog_name,"
		     " binlog_pos, binlog_gtid, exit_safe_binlog_name,"
		     " exit_safe_binlog_pos, exit_safe_binlog_gtid) FROM " META
		     ".task2_syncer_checkpoint WHERE id = 'src1' AND"
		     " cp_schema = '' AND cp_table = ''");
	assert_value("0|mysql-bin.000003|4231|0-1-5,1-2-9||0|1",
		     "SELECT CONCAT_WS('|', is_global, binlog_name, binlog_pos,"
		     " binlog_gtid, exit_safe_binlog_name, exit_safe_binlog_pos,"
		     " JSON_VALID(table_info)) FROM " META
		     ".task2_syncer_checkpoint WHERE id = 'src1' AND"
		     " cp_schema = 'db2' AND cp_table = 'b`q'");

	cp = open_cp(db, META, "task2", "src1");
	assert_true(dm_checkpoint_global(cp, &got, &gtid));
	assert_loc(&got, "mysql-bin.000003", 4231, 0);
	assert_string_equal(gtid, "0-1-5,1-2-9");
	assert_true(dm_checkpoint_safe_exit(cp, &got, &gtid));
	assert_loc(&got, "mysql-bin.000004", 120, 0);
	assert_string_equal(gtid, "0-1-7");
	assert_int_equal(dm_checkpoint_ntables(cp), 2);
	assert_int_equal(dm_checkpoint_table_at(cp, 0, &schema, &table, &got),
			 0);
	assert_string_equal(schema, "db1");
	assert_string_equal(table, "a");
	assert_loc(&got, "mysql-bin.000003", 4231, 0);
	assert_int_equal(dm_checkpoint_table_at(cp, 1, &schema, &table, NULL),
			 0);
	assert_string_equal(schema, "db2");
	assert_string_equal(table, "b`q");
	assert_int_equal(dm_checkpoint_table_at(cp, 2, &schema, &table, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_null(dm_checkpoint_table_info(cp, "db1", "nope"));

	/* The saved structures restore the same tables. */
	assert_int_equal(dm_schema_tracker_new(&back, NULL, NULL), 0);
	for (i = 0; i < 2; i++) {
		char *want, *have;

		assert_int_equal(dm_checkpoint_table_at(cp, i, &schema, &table,
							NULL), 0);
		if (dm_checkpoint_table_schema(
			    back, schema, table,
			    dm_checkpoint_table_info(cp, schema, table), &e))
			fail_err("dm_checkpoint_table_schema", e);
		want = create_of(tr, schema, table);
		have = create_of(back, schema, table);
		assert_string_equal(have, want);
		free(want);
		free(have);
	}
	dm_schema_tracker_free(back);

	/* Clearing the exit point; no GTID. */
	g = loc("mysql-bin.000003", 9000, 4);
	flush(cp, db, &g, NULL, NULL, "ignored", NULL);
	assert_false(dm_checkpoint_safe_exit(cp, NULL, NULL));
	assert_true(dm_checkpoint_global(cp, &got, &gtid));
	assert_loc(&got, "mysql-bin.000003", 9000, 0);
	assert_string_equal(gtid, "");
	dm_checkpoint_free(cp);
	assert_value("mysql-bin.000003|9000||<>|0|<>",
		     "SELECT CONCAT_WS('|', binlog_name, binlog_pos,"
		     " binlog_gtid, CONCAT('<', exit_safe_binlog_name, '>'),"
		     " exit_safe_binlog_pos,"
		     " CONCAT('<', exit_safe_binlog_gtid, '>')) FROM " META
		     ".task2_syncer_checkpoint WHERE cp_schema = ''");
	cp = open_cp(db, META, "task2", "src1");
	assert_false(dm_checkpoint_safe_exit(cp, NULL, NULL));
	assert_true(dm_checkpoint_global(cp, &got, &gtid));
	assert_loc(&got, "mysql-bin.000003", 9000, 0);
	assert_string_equal(gtid, "");

	/* A position the INT UNSIGNED column cannot hold is refused and
	 * nothing is written. */
	assert_int_equal(dm_checkpoint_flush(cp, db, &big, NULL, NULL, NULL,
					     NULL, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_checkpoint_flush(cp, db, &g, NULL, &big, NULL,
					     NULL, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_true(dm_checkpoint_global(cp, &got, NULL));
	assert_loc(&got, "mysql-bin.000003", 9000, 0);
	assert_value("9000", "SELECT binlog_pos FROM " META
			     ".task2_syncer_checkpoint WHERE cp_schema = ''");
	/* The largest one fits. */
	big.pos = UINT32_MAX;
	flush(cp, db, &big, NULL, &big, NULL, NULL);
	assert_value("4294967295|4294967295",
		     "SELECT CONCAT_WS('|', binlog_pos, exit_safe_binlog_pos)"
		     " FROM " META ".task2_syncer_checkpoint"
		     " WHERE cp_schema = ''");

	dm_checkpoint_free(cp);
	dm_schema_tracker_free(tr);
	dm_db_close(db);
}

static void test_checkpoint_store__only_changed_tables_rewritten(void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE db1.a (id INT PRIMARY KEY)",
		"CREATE TABLE db1.b (id INT PRIMARY KEY)",
		"CREATE TABLE db1.c (id INT PRIMARY KEY)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *tr = tracker(ddl, 3);
	dm_checkpoint *cp;
	dm_location l1 = loc("mysql-bin.000001", 100, 0);
	dm_location l2 = loc("mysql-bin.000001", 200, 0);
	dm_location l3 = loc("mysql-bin.000002", 300, 0), got;
	const char *sql = "SELECT GROUP_CONCAT(CONCAT(cp_table, '=',"
			  " binlog_pos) ORDER BY cp_table) FROM " META
			  ".task3_syncer_checkpoint WHERE is_global = 0";

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	cp = open_cp(db, META, "task3", "src1");
	flush(cp, db, &l1, NULL, NULL, NULL, tr);
	assert_value("a=100,b=100,c=100", sql);

	/* Only a changed: b and c keep their rows (and their old point). */
	apply(tr, "ALTER TABLE db1.a ADD COLUMN x INT");
	flush(cp, db, &l2, NULL, NULL, NULL, tr);
	assert_value("a=200,b=100,c=100", sql);
	assert_int_equal(dm_checkpoint_table_at(cp, 1, NULL, NULL, &got), 0);
	assert_loc(&got, "mysql-bin.000001", 100, 0);
	assert_value("200", "SELECT binlog_pos FROM " META
			    ".task3_syncer_checkpoint WHERE cp_schema = ''");

	/* Rows nobody rewrites stay as they are, whatever they hold: mark
	 * b's, then flush twice with nothing changed. */
	exec_check("UPDATE " META ".task3_syncer_checkpoint SET table_info ="
		   " '{\"marker\":1}' WHERE cp_table = 'b'");
	flush(cp, db, &l3, NULL, NULL, NULL, tr);
	flush(cp, db, &l3, NULL, NULL, NULL, tr);
	assert_value("a=200,b=100,c=100", sql);
	assert_value("{\"marker\":1}", "SELECT table_info FROM " META
				       ".task3_syncer_checkpoint"
				       " WHERE cp_table = 'b'");
	dm_checkpoint_free(cp);

	/* After a reload the comparison is with what the rows hold: b's
	 * marker is not libdm's form, so b is written again; a new table d
	 * gets its first row. */
	cp = open_cp(db, META, "task3", "src1");
	apply(tr, "CREATE TABLE db1.d (id INT)");
	flush(cp, db, &l3, NULL, NULL, NULL, tr);
	assert_value("a=200,b=300,c=100,d=300", sql);
	assert_int_equal(dm_checkpoint_ntables(cp), 4);
	dm_checkpoint_free(cp);
	dm_schema_tracker_free(tr);
	dm_db_close(db);
}

static void test_checkpoint_store__failed_flush_rolls_back(void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE db1.a (id INT PRIMARY KEY)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *tr = tracker(ddl, 1);
	dm_checkpoint *cp;
	dm_location l1 = loc("mysql-bin.000001", 100, 0);
	dm_location l2 = loc("mysql-bin.000001", 200, 0), got;
	dm_error *e = NULL;
	int rc;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	cp = open_cp(db, META, "task4", "src1");
	flush(cp, db, &l1, "0-1-1", NULL, NULL, tr);
	/* Make the new table's row fail after the global row was written:
	 * its name no longer fits the column (strict mode). */
	exec_check("ALTER TABLE " META ".task4_syncer_checkpoint"
		   " MODIFY cp_table VARCHAR(1) NOT NULL");
	apply(tr, "CREATE TABLE db1.long_name (id INT)");
	rc = dm_checkpoint_flush(cp, db, &l2, "0-1-2", NULL, NULL, tr, &e);
	assert_int_equal(rc, DM_E_DB_EXECUTE_FAILED);
	assert_int_not_equal(dm_error_server_errno(e), 0);
	dm_error_free(e);
	e = NULL;
	/* Neither the global row nor the loaded state moved. */
	assert_value("100|0-1-1", "SELECT CONCAT_WS('|', binlog_pos,"
				  " binlog_gtid) FROM " META
				  ".task4_syncer_checkpoint"
				  " WHERE cp_schema = ''");
	assert_true(dm_checkpoint_global(cp, &got, NULL));
	assert_loc(&got, "mysql-bin.000001", 100, 0);
	assert_int_equal(dm_checkpoint_ntables(cp), 1);
	/* The connection is usable and out of the transaction. */
	exec_check("ALTER TABLE " META ".task4_syncer_checkpoint"
		   " MODIFY cp_table VARCHAR(128) NOT NULL");
	flush(cp, db, &l2, "0-1-2", NULL, NULL, tr);
	assert_int_equal(dm_checkpoint_ntables(cp), 2);
	assert_value("2", "SELECT COUNT(*) FROM " META
			  ".task4_syncer_checkpoint WHERE binlog_pos = 200");
	dm_checkpoint_free(cp);
	dm_schema_tracker_free(tr);
	dm_db_close(db);
}

static void test_checkpoint_store__queue_progress_is_transactional(void **s)
{
	dm_db *db = open_db();
	dm_checkpoint *cp;
	dm_location a = loc("mysql-bin.000007", 1000, 1);
	dm_location b = loc("mysql-bin.000007", 2000, 0);
	dm_location c = loc("mysql-bin.000008", 4, 3);
	dm_location d = loc("mysql-bin.000007", 1500, 2), got;
	dm_buf sql = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	exec_check("DELETE FROM " REF ".data");
	cp = open_cp(db, META, "task5", "src1");

	apply_queue(cp, db, 0, 2, &a, 1, true);
	apply_queue(cp, db, 1, 2, &b, 2, true);
	/* A rolled-back transaction leaves the old progress (and no data). */
	apply_queue(cp, db, 0, 2, &c, 3, false);
	/* An update of an existing row. */
	apply_queue(cp, db, 1, 2, &d, 4, true);
	assert_value("1,2,4", "SELECT GROUP_CONCAT(v ORDER BY v) FROM " REF
			      ".data");
	assert_value("0|2|mysql-bin.000007|1000|1,1|2|mysql-bin.000007|1500|2",
		     "SELECT GROUP_CONCAT(CONCAT_WS('|', queue, queue_count,"
		     " binlog_name, binlog_pos, binlog_row) ORDER BY queue)"
		     " FROM " META ".task5_syncer_progress WHERE id = 'src1'");
	/* The store shows what it loaded, not what was written since ... */
	assert_int_equal(dm_checkpoint_queues(cp), 0);
	/* ... but reads the downstream's rows on demand, from any
	 * connection. */
	{
		dm_db *other = open_db();
		bool found = true;

		if (dm_checkpoint_queue_read(cp, other, 0, &got, &found, &e))
			fail_err("dm_checkpoint_queue_read", e);
		assert_true(found);
		assert_loc(&got, "mysql-bin.000007", 1000, 1);
		if (dm_checkpoint_queue_read(cp, db, 1, &got, &found, &e))
			fail_err("dm_checkpoint_queue_read", e);
		assert_true(found);
		assert_loc(&got, "mysql-bin.000007", 1500, 2);
		if (dm_checkpoint_queue_read(cp, db, 5, &got, &found, &e))
			fail_err("dm_checkpoint_queue_read", e);
		assert_false(found);
		assert_int_equal(dm_checkpoint_queue_read(cp, db, 0, &got,
							  NULL, NULL),
				 DM_E_INVALID_ARGUMENT);
		dm_db_close(other);
	}
	dm_checkpoint_free(cp);

	cp = open_cp(db, META, "task5", "src1");
	assert_int_equal(dm_checkpoint_queues(cp), 2);
	assert_true(dm_checkpoint_queue(cp, 0, &got));
	assert_loc(&got, "mysql-bin.000007", 1000, 1);
	assert_true(dm_checkpoint_queue(cp, 1, &got));
	assert_loc(&got, "mysql-bin.000007", 1500, 2);
	assert_false(dm_checkpoint_queue(cp, 2, &got));

	/* Argument checks leave the buffer as it was. */
	assert_int_equal(dm_buf_puts(&sql, "keep"), 0);
	assert_int_equal(dm_checkpoint_queue_sql(&sql, cp, 2, 2, &a, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_checkpoint_queue_sql(&sql, cp, 0, 0, &a, NULL),
			 DM_E_INVALID_ARGUMENT);
	got = loc("", 5, 0);
	assert_int_equal(dm_checkpoint_queue_sql(&sql, cp, 0, 1, &got, NULL),
			 DM_E_INVALID_ARGUMENT);
	got = loc("mysql-bin.000001", 4294967296ull, 0);
	assert_int_equal(dm_checkpoint_queue_sql(&sql, cp, 0, 1, &got, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_queue_sql(&sql, cp, 0, 1, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_string_equal(sql.data, "keep");
	/* It appends one statement. */
	assert_int_equal(dm_checkpoint_queue_sql(&sql, cp, 0, 1, &a, NULL), 0);
	assert_memory_equal(sql.data, "keepINSERT INTO ", 16);
	assert_null(strchr(sql.data, ';'));
	dm_buf_free(&sql);

	/* Rows written with another count than the current one: the largest
	 * count is reported, every row still is. */
	apply_queue(cp, db, 3, 4, &c, 5, true);
	dm_checkpoint_free(cp);
	cp = open_cp(db, META, "task5", "src1");
	assert_int_equal(dm_checkpoint_queues(cp), 4);
	assert_true(dm_checkpoint_queue(cp, 1, &got));
	assert_false(dm_checkpoint_queue(cp, 2, &got));
	assert_true(dm_checkpoint_queue(cp, 3, &got));
	assert_loc(&got, "mysql-bin.000008", 4, 3);

	if (dm_checkpoint_clear_queues(cp, db, &e))
		fail_err("dm_checkpoint_clear_queues", e);
	assert_int_equal(dm_checkpoint_queues(cp), 0);
	assert_false(dm_checkpoint_queue(cp, 0, &got));
	dm_checkpoint_free(cp);
	cp = open_cp(db, META, "task5", "src1");
	assert_int_equal(dm_checkpoint_queues(cp), 0);
	assert_value("0", "SELECT COUNT(*) FROM " META
			  ".task5_syncer_progress");
	dm_checkpoint_free(cp);
	dm_db_close(db);
}

static void test_checkpoint_store__delete_table_and_schema(void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE db1.a (id INT)", "CREATE TABLE db1.b (id INT)",
		"CREATE TABLE db2.c (id INT)", "CREATE TABLE db2.d (id INT)",
		"CREATE TABLE db3.e (id INT)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *tr = tracker(ddl, 5);
	dm_checkpoint *cp;
	dm_location l = loc("mysql-bin.000001", 100, 0);
	const char *sql = "SELECT GROUP_CONCAT(CONCAT(cp_schema, '.', cp_table)"
			  " ORDER BY cp_schema, cp_table) FROM " META
			  ".task6_syncer_checkpoint WHERE is_global = 0";
	const char *schema, *table;
	dm_error *e = NULL;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	cp = open_cp(db, META, "task6", "src1");
	flush(cp, db, &l, NULL, NULL, NULL, tr);
	assert_value("db1.a,db1.b,db2.c,db2.d,db3.e", sql);

	if (dm_checkpoint_delete_table(cp, db, "db1", "a", &e))
		fail_err("delete db1.a", e);
	if (dm_checkpoint_delete_table(cp, db, "db2", NULL, &e))
		fail_err("delete db2", e);
	/* A table without a row is fine. */
	if (dm_checkpoint_delete_table(cp, db, "db9", "x", &e))
		fail_err("delete db9.x", e);
	assert_value("db1.b,db3.e", sql);
	assert_int_equal(dm_checkpoint_ntables(cp), 2);
	assert_int_equal(dm_checkpoint_table_at(cp, 0, &schema, &table, NULL),
			 0);
	assert_string_equal(table, "b");
	assert_int_equal(dm_checkpoint_table_at(cp, 1, &schema, &table, NULL),
			 0);
	assert_string_equal(table, "e");
	/* The global row cannot be named. */
	assert_int_equal(dm_checkpoint_delete_table(cp, db, "", NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_delete_table(cp, db, "db1", "", NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_value("1", "SELECT COUNT(*) FROM " META
			  ".task6_syncer_checkpoint WHERE is_global = 1");
	dm_checkpoint_free(cp);

	cp = open_cp(db, META, "task6", "src1");
	assert_int_equal(dm_checkpoint_ntables(cp), 2);
	assert_non_null(dm_checkpoint_table_info(cp, "db1", "b"));
	assert_null(dm_checkpoint_table_info(cp, "db2", "c"));
	/* A dropped table that comes back is written again. */
	flush(cp, db, &l, NULL, NULL, NULL, tr);
	assert_value("db1.a,db1.b,db2.c,db2.d,db3.e", sql);
	dm_checkpoint_free(cp);
	dm_schema_tracker_free(tr);
	dm_db_close(db);
}

/* Forgotten rows go with the next flush, in its transaction; a table the
 * tracker holds again by then keeps its row; a failed flush forgets
 * nothing. */
static void test_checkpoint_store__forgotten_tables_go_with_the_flush(
	void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE db1.a (id INT)", "CREATE TABLE db1.b (id INT)",
		"CREATE TABLE db2.c (id INT)", "CREATE TABLE db2.d (id INT)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *tr = tracker(ddl, 4);
	dm_checkpoint *cp;
	dm_location l = loc("mysql-bin.000001", 100, 0);
	const char *sql = "SELECT GROUP_CONCAT(CONCAT(cp_schema, '.', cp_table)"
			  " ORDER BY cp_schema, cp_table) FROM " META
			  ".task7_syncer_checkpoint WHERE is_global = 0";
	dm_error *e = NULL;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	cp = open_cp(db, META, "task7", "src1");
	flush(cp, db, &l, NULL, NULL, NULL, tr);
	assert_value("db1.a,db1.b,db2.c,db2.d", sql);

	/* RENAME db1.a TO db1.a2, DROP DATABASE db2, then db2.c anew. */
	apply(tr, "RENAME TABLE db1.a TO db1.a2");
	apply(tr, "DROP DATABASE db2");
	apply(tr, "CREATE TABLE db2.c (id INT)");
	if (dm_checkpoint_forget_table(cp, "db1", "a", &e) ||
	    dm_checkpoint_forget_table(cp, "db2", NULL, &e))
		fail_err("forget", e);
	/* Nothing happens before the flush. */
	assert_value("db1.a,db1.b,db2.c,db2.d", sql);
	assert_int_equal(dm_checkpoint_ntables(cp), 4);
	/* A flush that fails after its deletes (the name a2 does not fit
	 * the column) keeps both the rows and the marks. */
	exec_check("ALTER TABLE " META ".task7_syncer_checkpoint"
		   " MODIFY cp_table VARCHAR(1) NOT NULL");
	l = loc("mysql-bin.000001", 200, 0);
	assert_int_equal(dm_checkpoint_flush(cp, db, &l, "", NULL, NULL, tr,
					     NULL), DM_E_DB_EXECUTE_FAILED);
	assert_value("db1.a,db1.b,db2.c,db2.d", sql);
	exec_check("ALTER TABLE " META ".task7_syncer_checkpoint"
		   " MODIFY cp_table VARCHAR(128) NOT NULL");
	flush(cp, db, &l, NULL, NULL, NULL, tr);
	assert_value("db1.a2,db1.b,db2.c", sql);
	assert_value("200", "SELECT binlog_pos FROM " META
			    ".task7_syncer_checkpoint WHERE cp_table = 'c'");
	assert_int_equal(dm_checkpoint_ntables(cp), 3);
	assert_null(dm_checkpoint_table_info(cp, "db1", "a"));
	assert_non_null(dm_checkpoint_table_info(cp, "db2", "c"));
	/* Names are required; unknown ones are fine. */
	assert_int_equal(dm_checkpoint_forget_table(cp, "", NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_forget_table(cp, "db1", "", NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_forget_table(cp, "db9", "x", NULL), 0);
	dm_checkpoint_free(cp);

	cp = open_cp(db, META, "task7", "src1");
	assert_int_equal(dm_checkpoint_ntables(cp), 3);
	dm_checkpoint_free(cp);
	dm_schema_tracker_free(tr);
	dm_db_close(db);
}

static void test_checkpoint_store__remove_meta_drops_task_tables(void **s)
{
	dm_db *db = open_db();
	dm_checkpoint *cp;
	dm_error *e = NULL;
	const char *count = "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY"
			    " TABLE_NAME) FROM information_schema.TABLES"
			    " WHERE TABLE_SCHEMA = '" META "'";

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	cp = open_cp(db, META, "task7", "src1");
	dm_checkpoint_free(cp);
	cp = open_cp(db, META, "other", "src1");
	dm_checkpoint_free(cp);
	exec_check("CREATE TABLE " META ".task7_loader_checkpoint (id INT);"
		   "CREATE TABLE " META ".task7_syncer_sharding_meta (id INT);"
		   "CREATE TABLE " META ".task7_onlineddl (id INT);"
		   "CREATE TABLE " META ".task7_unrelated (id INT)");
	if (dm_checkpoint_remove_meta(db, META, "task7", &e))
		fail_err("dm_checkpoint_remove_meta", e);
	assert_value("other_syncer_checkpoint,other_syncer_progress,"
		     "task7_unrelated", count);
	/* Nothing left to drop is fine. */
	if (dm_checkpoint_remove_meta(db, META, "task7", &e))
		fail_err("dm_checkpoint_remove_meta again", e);

	/* The default meta schema. */
	exec_check("CREATE DATABASE IF NOT EXISTS dm_meta;"
		   "CREATE TABLE IF NOT EXISTS dm_meta.`dmtest_cp_task"
		   "_syncer_checkpoint` (id INT)");
	if (dm_checkpoint_remove_meta(db, NULL, "dmtest_cp_task", &e))
		fail_err("dm_checkpoint_remove_meta dm_meta", e);
	assert_value("0", "SELECT COUNT(*) FROM information_schema.TABLES"
			  " WHERE TABLE_SCHEMA = 'dm_meta' AND TABLE_NAME"
			  " LIKE 'dmtest_cp_task%%'");
	dm_db_close(db);
}

static void test_checkpoint_store__names_that_need_quoting(void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE `s'q\"`.`t``b` (id INT)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *tr = tracker(ddl, 1);
	dm_checkpoint *cp;
	dm_location l = loc("my'bin`\".000001", 100, 0), got;
	const char *gtid, *schema, *table;
	dm_error *e = NULL;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " WEIRD_META_SQL);
	cp = open_cp(db, WEIRD_META, WEIRD_TASK, "s'1\\");
	flush(cp, db, &l, "x'y", &l, "\\'", tr);
	apply_queue(cp, db, 0, 1, &l, 10, true);
	dm_checkpoint_free(cp);
	assert_value("2", "SELECT COUNT(*) FROM " WEIRD_META_SQL ".`"
			  WEIRD_TASK_SQL "_syncer_checkpoint`");
	assert_value("1", "SELECT COUNT(*) FROM " WEIRD_META_SQL ".`"
			  WEIRD_TASK_SQL "_syncer_progress`"
			  " WHERE id = 's\\'1\\\\'");

	cp = open_cp(db, WEIRD_META, WEIRD_TASK, "s'1\\");
	assert_true(dm_checkpoint_global(cp, &got, &gtid));
	assert_loc(&got, "my'bin`\".000001", 100, 0);
	assert_string_equal(gtid, "x'y");
	assert_true(dm_checkpoint_safe_exit(cp, &got, &gtid));
	assert_string_equal(gtid, "\\'");
	assert_int_equal(dm_checkpoint_table_at(cp, 0, &schema, &table, NULL),
			 0);
	assert_string_equal(schema, "s'q\"");
	assert_string_equal(table, "t`b");
	assert_true(dm_checkpoint_queue(cp, 0, &got));
	assert_loc(&got, "my'bin`\".000001", 100, 0);
	if (dm_checkpoint_delete_table(cp, db, "s'q\"", "t`b", &e))
		fail_err("delete", e);
	assert_int_equal(dm_checkpoint_ntables(cp), 0);
	dm_checkpoint_free(cp);

	if (dm_checkpoint_remove_meta(db, WEIRD_META, WEIRD_TASK, &e))
		fail_err("dm_checkpoint_remove_meta", e);
	assert_value("0", "SELECT COUNT(*) FROM information_schema.TABLES"
			  " WHERE TABLE_SCHEMA = 'dmtest cp`meta \\'x\\''");
	exec_check("DROP DATABASE IF EXISTS " WEIRD_META_SQL);
	dm_schema_tracker_free(tr);
	dm_db_close(db);
}

static void test_checkpoint_store__sources_do_not_see_each_other(void **s)
{
	static const char *const ddl1[] = { "CREATE TABLE db1.t (a INT)" };
	static const char *const ddl2[] = {
		"CREATE TABLE db1.t (a INT, b INT)",
		"CREATE TABLE db1.u (a INT)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *t1 = tracker(ddl1, 1), *t2 = tracker(ddl2, 2);
	dm_checkpoint *c1, *c2;
	dm_location l1 = loc("a-bin.000001", 10, 0);
	dm_location l2 = loc("b-bin.000009", 90, 0), got;
	dm_schema_tracker *back;
	const char *gtid;
	char *want, *have;
	dm_error *e = NULL;

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	exec_check("DELETE FROM " REF ".data");
	c1 = open_cp(db, META, "task8", "src1");
	c2 = open_cp(db, META, "task8", "src2");
	flush(c1, db, &l1, "0-1-1", NULL, NULL, t1);
	flush(c2, db, &l2, "0-2-2", &l2, NULL, t2);
	apply_queue(c1, db, 0, 1, &l1, 1, true);
	apply_queue(c2, db, 0, 3, &l2, 2, true);
	apply_queue(c2, db, 2, 3, &l2, 3, true);
	dm_checkpoint_free(c1);
	dm_checkpoint_free(c2);

	c1 = open_cp(db, META, "task8", "src1");
	c2 = open_cp(db, META, "task8", "src2");
	assert_true(dm_checkpoint_global(c1, &got, &gtid));
	assert_loc(&got, "a-bin.000001", 10, 0);
	assert_string_equal(gtid, "0-1-1");
	assert_false(dm_checkpoint_safe_exit(c1, NULL, NULL));
	assert_true(dm_checkpoint_global(c2, &got, &gtid));
	assert_loc(&got, "b-bin.000009", 90, 0);
	assert_string_equal(gtid, "0-2-2");
	assert_true(dm_checkpoint_safe_exit(c2, NULL, &gtid));
	assert_string_equal(gtid, "");
	assert_int_equal(dm_checkpoint_ntables(c1), 1);
	assert_int_equal(dm_checkpoint_ntables(c2), 2);
	assert_int_equal(dm_checkpoint_queues(c1), 1);
	assert_int_equal(dm_checkpoint_queues(c2), 3);

	/* The same table name, each source's own structure. */
	assert_int_equal(dm_schema_tracker_new(&back, NULL, NULL), 0);
	if (dm_checkpoint_table_schema(back, "db1", "t",
				       dm_checkpoint_table_info(c2, "db1", "t"),
				       &e))
		fail_err("dm_checkpoint_table_schema", e);
	want = create_of(t2, "db1", "t");
	have = create_of(back, "db1", "t");
	assert_string_equal(have, want);
	free(want);
	free(have);
	dm_schema_tracker_free(back);

	/* Deleting and clearing for one source leaves the other's rows. */
	if (dm_checkpoint_delete_table(c1, db, "db1", NULL, &e) ||
	    dm_checkpoint_clear_queues(c1, db, &e))
		fail_err("delete/clear", e);
	dm_checkpoint_free(c1);
	dm_checkpoint_free(c2);
	c1 = open_cp(db, META, "task8", "src1");
	c2 = open_cp(db, META, "task8", "src2");
	assert_int_equal(dm_checkpoint_ntables(c1), 0);
	assert_int_equal(dm_checkpoint_queues(c1), 0);
	assert_true(dm_checkpoint_global(c1, NULL, NULL));
	assert_int_equal(dm_checkpoint_ntables(c2), 2);
	assert_int_equal(dm_checkpoint_queues(c2), 3);
	dm_checkpoint_free(c1);
	dm_checkpoint_free(c2);
	dm_schema_tracker_free(t1);
	dm_schema_tracker_free(t2);
	dm_db_close(db);
}

static void test_checkpoint_store__opens_tables_dm_created(void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE shard_db.t1 (id INT PRIMARY KEY)",
	};
	dm_db *db = open_db();
	dm_schema_tracker *tr;
	dm_checkpoint *cp;
	dm_location got;
	const char *gtid, *schema, *table, *info;
	char *cols;
	char insert[4096];

	(void)s;
	exec_check("DROP DATABASE IF EXISTS " META);
	exec_check("CREATE SCHEMA IF NOT EXISTS " META);
	exec_check(DM_CHECKPOINT_DDL(META ".`dmtask_syncer_checkpoint`"));
	exec_check("INSERT INTO " META ".dmtask_syncer_checkpoint (id,"
		   " cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid,"
		   " exit_safe_binlog_name, exit_safe_binlog_pos,"
		   " exit_safe_binlog_gtid, table_info, is_global) VALUES"
		   " ('mysql-replica-01', '', '', 'mysql-bin|000001.000123',"
		   " 456789, '0-1-77,1-2-3', '', 0, '', 'null', 1)");
	snprintf(insert, sizeof(insert),
		 "INSERT INTO " META ".dmtask_syncer_checkpoint (id,"
		 " cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid,"
		 " table_info, is_global) VALUES"
		 " ('mysql-replica-01', 'shard_db', 't1',"
		 " 'mysql-bin|000001.000120', 4, '0-1-70', '%s', 0)",
		 tidb_json);
	exec_check(insert);
	/* A source that never got past DM's fresh global row. */
	exec_check("INSERT INTO " META ".dmtask_syncer_checkpoint (id,"
		   " cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid,"
		   " table_info, is_global) VALUES"
		   " ('mysql-replica-02', '', '', '', 4, '', 'null', 1)");
	cols = value(cols_sql, META, "dmtask_syncer_checkpoint");

	cp = open_cp(db, META, "dmtask", "mysql-replica-01");
	assert_true(dm_checkpoint_global(cp, &got, &gtid));
	assert_loc(&got, "mysql-bin|000001.000123", 456789, 0);
	assert_string_equal(gtid, "0-1-77,1-2-3");
	assert_false(dm_checkpoint_safe_exit(cp, NULL, NULL));
	assert_int_equal(dm_checkpoint_ntables(cp), 1);
	assert_int_equal(dm_checkpoint_table_at(cp, 0, &schema, &table, &got),
			 0);
	assert_string_equal(schema, "shard_db");
	assert_string_equal(table, "t1");
	assert_loc(&got, "mysql-bin|000001.000120", 4, 0);
	info = dm_checkpoint_table_info(cp, "shard_db", "t1");
	assert_non_null(info);
	assert_non_null(strstr(info, "\"pk_is_handle\""));

	/* TiDB's JSON is not libdm's form: ask the downstream instead. */
	assert_int_equal(dm_schema_tracker_new(&tr, NULL, NULL), 0);
	assert_int_equal(dm_checkpoint_table_schema(tr, schema, table, info,
						    NULL), DM_DONE);
	assert_null(dm_schema_tracker_get(tr, "shard_db", "t1"));
	dm_schema_tracker_free(tr);

	/* The next flush writes libdm's form into DM's table, which keeps
	 * its layout. */
	tr = tracker(ddl, 1);
	got = loc("mysql-bin|000001.000124", 4, 0);
	flush(cp, db, &got, "0-1-80", NULL, NULL, tr);
	dm_checkpoint_free(cp);
	assert_value(cols, cols_sql, META, "dmtask_syncer_checkpoint");
	free(cols);
	cp = open_cp(db, META, "dmtask", "mysql-replica-01");
	info = dm_checkpoint_table_info(cp, "shard_db", "t1");
	assert_non_null(strstr(info, "libdm-create-table"));
	dm_schema_tracker_free(tr);
	assert_int_equal(dm_schema_tracker_new(&tr, NULL, NULL), 0);
	assert_int_equal(dm_checkpoint_table_schema(tr, "shard_db", "t1", info,
						    NULL), 0);
	assert_non_null(dm_schema_tracker_get(tr, "shard_db", "t1"));
	dm_schema_tracker_free(tr);
	dm_checkpoint_free(cp);

	cp = open_cp(db, META, "dmtask", "mysql-replica-02");
	assert_false(dm_checkpoint_global(cp, NULL, NULL));
	assert_int_equal(dm_checkpoint_ntables(cp), 0);
	dm_checkpoint_free(cp);
	dm_db_close(db);
}

static void test_checkpoint_store__server_errors_pass_through(void **s)
{
	dm_checkpoint_opts o = DM_CHECKPOINT_OPTS_INIT;
	dm_db *db = open_db();
	dm_checkpoint *cp = NULL;
	dm_error *e = NULL;
	char name[80];

	(void)s;
	/* A table name longer than the server allows (64 characters). */
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	o.meta_schema = META;
	o.task = name;
	o.source_id = "src1";
	assert_int_equal(dm_checkpoint_open(&cp, db, &o, &e),
			 DM_E_DB_EXECUTE_FAILED);
	assert_null(cp);
	/* ER_WRONG_TABLE_NAME */
	assert_int_equal(dm_error_server_errno(e), 1103);
	dm_error_free(e);
	e = NULL;
	dm_db_close(db);
}

static int group_setup(void **state)
{
	(void)state;
	if (dm_global_init(NULL) != 0 || sandbox_downstream(&down))
		return -1;
	check = sandbox_connect(&down, NULL);
	/* A failed test may leave a transaction open on its connection:
	 * do not wait for it forever. */
	if (!check || sandbox_exec(check, "SET SESSION lock_wait_timeout = 20;"
					  "DROP DATABASE IF EXISTS " REF "; "
					  "CREATE DATABASE " REF "; "
					  "CREATE TABLE " REF ".data (v INT"
					  " PRIMARY KEY) ENGINE=InnoDB"))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	sandbox_exec(check, "DROP DATABASE IF EXISTS " REF "; "
			    "DROP DATABASE IF EXISTS " META "; "
			    "DROP DATABASE IF EXISTS " WEIRD_META_SQL);
	mysql_close(check);
	dm_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checkpoint_store__open_creates_dm_layout),
		cmocka_unit_test(test_checkpoint_store__flush_and_reload_points),
		cmocka_unit_test(
			test_checkpoint_store__only_changed_tables_rewritten),
		cmocka_unit_test(
			test_checkpoint_store__failed_flush_rolls_back),
		cmocka_unit_test(
			test_checkpoint_store__queue_progress_is_transactional),
		cmocka_unit_test(
			test_checkpoint_store__delete_table_and_schema),
		cmocka_unit_test(
			test_checkpoint_store__forgotten_tables_go_with_the_flush),
		cmocka_unit_test(
			test_checkpoint_store__remove_meta_drops_task_tables),
		cmocka_unit_test(
			test_checkpoint_store__names_that_need_quoting),
		cmocka_unit_test(
			test_checkpoint_store__sources_do_not_see_each_other),
		cmocka_unit_test(test_checkpoint_store__opens_tables_dm_created),
		cmocka_unit_test(
			test_checkpoint_store__server_errors_pass_through),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("checkpoint_store", tests,
					   group_setup, group_teardown);
}
