/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DM's handle-error and operate-schema through the library: a sync unit
 * (dm_sync_new/dm_sync_run with until_caught_up) between the sandbox
 * upstream and downstream, and a DDL that fails downstream for real.
 *
 * The failure: rows inserted into the downstream table directly make a
 * duplicate value, so the upstream's ALTER TABLE ... ADD UNIQUE KEY, fine
 * upstream, fails downstream with 1062 (not one of the errors DM ignores).
 *
 *   - the failure: DM_E_DB_EXECUTE_FAILED, 1062 in the cause chain, the
 *     message naming the event start "FILE:POS for handle-error -b" (the
 *     Query event's position, read with SHOW BINLOG EVENTS); a run without
 *     an operator meets the same DDL again;
 *   - SKIP with no position: the DDL is left out, the rows after it come;
 *   - REPLACE at an explicit FILE:POS by a corrected statement;
 *   - REVERT of an operator set in advance (the DDL then fails), REVERT
 *     with none (DM_E_SYNCER_OPERATOR_NOT_EXIST), and the DDL running once
 *     the data is fixed;
 *   - operate-schema: get, set (used by the next run: a structure with an
 *     extra column makes the rows not match, one with the downstream's
 *     renamed column makes them land there), remove, a table the
 *     checkpoint does not know, and every call while dm_sync_run runs in
 *     another thread (DM_E_WORKER_NOT_PAUSED_STAGE);
 *   - a second until_caught_up run of one unit reads what the upstream
 *     wrote since the first.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-sync_handle_error
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dm/dm.h"
#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

#define META_SCHEMA "dmtest_he_meta"
#define SOURCE_ID "dmtest-he-01"

static sandbox_server up, down;
static MYSQL *um, *dm;
static char dir[256];
static dm_ctx *ctx;
static dm_log_file *log_file;
static dm_cfg_source *source;
static dm_db_opts up_opts = DM_DB_OPTS_INIT, down_opts = DM_DB_OPTS_INIT;

/* ------------------------------------------------------------ helpers */

/* Runs the DDL `sql` upstream with `db` as the default schema and puts
 * "FILE:POS" of the Query event that holds it (after its GTID event) in
 * at: what the error message and handle-error -b call the event start. */
static void upstream_ddl(const char *db, const char *sql, char *at,
			 size_t cap)
{
	char file[128], q[400];
	unsigned long long from;
	MYSQL_RES *r;
	MYSQL_ROW row;
	bool found = false;

	master_pos(file, sizeof(file), &from);
	EXEC(um, "USE `%s`; %s; USE mysql", db, sql);
	snprintf(q, sizeof(q), "SHOW BINLOG EVENTS IN '%s' FROM %llu", file,
		 from);
	assert_int_equal(mysql_query(um, q), 0);
	r = mysql_store_result(um);
	assert_non_null(r);
	/* Log_name, Pos, Event_type, Server_id, End_log_pos, Info */
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (!found && strcmp(row[2], "Query") == 0 &&
		    strstr(row[5], sql)) {
			snprintf(at, cap, "%s:%s", row[0], row[1]);
			found = true;
		}
	}
	mysql_free_result(r);
	if (!found)
		fail_msg("no Query event for \"%s\" after %s:%llu", sql, file,
			 from);
}

static char *error_text(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;
	char *s;

	if (!e)
		return strdup("(no error)");
	assert_int_equal(dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE), 0);
	s = strdup(b.data ? b.data : "");
	dm_buf_free(&b);
	return s;
}

/* True when e or one of its causes carries the server's errno no. */
static bool has_errno(const dm_error *e, unsigned no)
{
	for (; e; e = dm_error_cause(e))
		if (dm_error_server_errno(e) == no)
			return true;
	return false;
}

/* Index names of db.table downstream, sorted, comma-separated. */
static char *down_indexes(const char *db, const char *table)
{
	char sql[400];

	snprintf(sql, sizeof(sql),
		 "SELECT GROUP_CONCAT(DISTINCT INDEX_NAME ORDER BY INDEX_NAME) "
		 "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '%s' "
		 "AND TABLE_NAME = '%s'", db, table);
	return sandbox_query_value(dm, sql, NULL);
}

/* The rows of db.t as "id:v;..." on one side. */
static char *rows_text(MYSQL *m, const char *db, const char *cols,
		       const char *table)
{
	char sql[400];
	char *v;

	snprintf(sql, sizeof(sql),
		 "SELECT GROUP_CONCAT(CONCAT_WS(':', %s) ORDER BY id "
		 "SEPARATOR ';') FROM `%s`.`%s`", cols, db, table);
	v = sandbox_query_value(m, sql, NULL);
	if (!v && mysql_errno(m))
		fail_msg("%s: %s", sql, mysql_error(m));
	return v ? v : strdup("");
}

static void assert_same_rows(const char *db, const char *table)
{
	char *a = rows_text(um, db, "id, v", table);
	char *b = rows_text(dm, db, "id, v", table);

	if (strcmp(a, b) != 0)
		fail_msg("%s.%s differs:\n  upstream   %s\n  downstream %s", db,
			 table, a, b);
	free(a);
	free(b);
}

/* ------------------------------------------------------------- units */

/* One task (named like its database), its unit and a run's result. */
typedef struct fixture {
	char name[64];
	dm_cfg_task *task;
	dm_sync *s;
} fixture;

static fixture *open_fixture;

/* A task replicating database `name` from the upstream's position now,
 * with a unit that runs until caught up. */
static void fixture_open(fixture *f, const char *name, bool until_caught_up)
{
	char file[128], text[2048];
	unsigned long long pos;
	dm_sync_opts so = DM_SYNC_OPTS_INIT;
	dm_error *err = NULL;
	int n;

	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	master_pos(file, sizeof(file), &pos);
	n = snprintf(text, sizeof(text),
		     "name: \"%s\"\n"
		     "task-mode: incremental\n"
		     "meta-schema: \"" META_SCHEMA "\"\n"
		     "target-database:\n"
		     "  host: \"%s\"\n"
		     "  port: %u\n"
		     "  user: \"%s\"\n"
		     "  password: \"%s\"\n"
		     "block-allow-list:\n"
		     "  bal:\n"
		     "    do-dbs: [\"%s\"]\n"
		     "mysql-instances:\n"
		     "  - source-id: \"" SOURCE_ID "\"\n"
		     "    meta:\n"
		     "      binlog-name: \"%s\"\n"
		     "      binlog-pos: %llu\n"
		     "    block-allow-list: \"bal\"\n"
		     "    syncer-config-name: \"g\"\n"
		     "syncers:\n"
		     "  g:\n"
		     "    worker-count: 2\n"
		     "    batch: 50\n"
		     "    safe-mode: false\n",
		     name, down.host, down.port, down.user, down.password, name,
		     file, pos);
	assert_true(n > 0 && (size_t)n < sizeof(text));
	if (dm_cfg_task_parse(&f->task, text, (size_t)n, "task.yaml", &err)) {
		char *t = error_text(err);

		fail_msg("task: %s", t);
	}
	so.task = f->task;
	so.source = source;
	so.upstream = &up_opts;
	so.downstream = &down_opts;
	so.until_caught_up = until_caught_up;
	assert_int_equal(dm_sync_new(&f->s, ctx, &so, &err), 0);
	open_fixture = f;
}

/* A new unit for the same task, the old one freed (its operators with
 * it). A unit's until_caught_up end is fixed by its first run (see
 * test_sync_unit__until_caught_up_again_reads_what_came_since), so the
 * tests take a new unit to read changes made after a run. */
static void fixture_renew(fixture *f)
{
	dm_sync_opts so = DM_SYNC_OPTS_INIT;
	dm_error *err = NULL;
	bool until = true;

	dm_sync_free(f->s);
	f->s = NULL;
	so.task = f->task;
	so.source = source;
	so.upstream = &up_opts;
	so.downstream = &down_opts;
	so.until_caught_up = until;
	assert_int_equal(dm_sync_new(&f->s, ctx, &so, &err), 0);
}

static void fixture_close(fixture *f)
{
	dm_sync_free(f->s);
	dm_cfg_task_free(f->task);
	f->s = NULL;
	f->task = NULL;
	if (open_fixture == f)
		open_fixture = NULL;
}

/* dm_sync_run must return 0. */
static void run_ok(fixture *f)
{
	dm_error *err = NULL;
	int rc = dm_sync_run(f->s, &err);

	if (rc != 0) {
		char *t = error_text(err);

		fail_msg("dm_sync_run of %s: %d: %s", f->name, rc, t);
	}
}

/* dm_sync_run must fail with `status`; its error goes to *err. */
static void run_fails(fixture *f, int status, dm_error **err)
{
	int rc;

	*err = NULL;
	rc = dm_sync_run(f->s, err);
	if (rc != status) {
		char *t = error_text(*err);

		fail_msg("dm_sync_run of %s: %d, want %d: %s", f->name, rc,
			 status, t);
	}
	assert_non_null(*err);
	assert_int_equal(dm_error_status(*err), status);
}

/* The DDL at `at` failed downstream with errno `no`: the error says so
 * and names the event start for handle-error -b. */
static void assert_ddl_failure(const dm_error *e, unsigned no, const char *at)
{
	char want[300];
	char *t = error_text(e);

	print_message("error: %s\n", t);
	snprintf(want, sizeof(want), "event start %s for handle-error -b", at);
	if (!strstr(t, want))
		fail_msg("the error does not say \"%s\": %s", want, t);
	if (!has_errno(e, no))
		fail_msg("no server errno %u in the cause chain: %s", no, t);
	free(t);
}

/* A table t (id, v) with rows 1..10 (v = id), replicated; then a new
 * unit. */
static void make_table(fixture *f)
{
	EXEC(um, "CREATE DATABASE `%s`;"
		 "CREATE TABLE `%s`.t (id INT PRIMARY KEY, v INT);"
		 "INSERT INTO `%s`.t SELECT seq, seq FROM seq_1_to_10",
	     f->name, f->name, f->name);
	run_ok(f);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM `%s`.t", f->name),
			 10);
	fixture_renew(f);
}

/* ------------------------------------------------------------- setup */

static int group_setup(void **state)
{
	const char *t = getenv("TMPDIR");
	char path[300], text[1024];
	dm_error *err = NULL;
	int n;

	(void)state;
	if (sandbox_upstream(1, &up) != 0 || sandbox_downstream(&down) != 0)
		return -1;
	um = sandbox_connect(&up, "mysql");
	dm = sandbox_connect(&down, NULL);
	if (!um || !dm)
		return -1;
	kit_up = um;
	kit_down = dm;
	snprintf(dir, sizeof(dir), "%s/sync-handle-error.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/unit.log", dir);
	if (dm_global_init(&err) || dm_ctx_new(&ctx, &err) ||
	    dm_log_file_open(&log_file, path, &err))
		return -1;
	dm_ctx_set_logger(ctx, dm_log_file_write, log_file);
	dm_ctx_set_log_level(ctx, DM_LOG_INFO);
	n = snprintf(text, sizeof(text),
		     "source-id: \"" SOURCE_ID "\"\n"
		     "enable-gtid: false\n"
		     "from:\n"
		     "  host: \"%s\"\n"
		     "  port: %u\n"
		     "  user: \"%s\"\n"
		     "  password: \"%s\"\n",
		     up.host, up.port, up.user, up.password);
	if (dm_cfg_source_parse(&source, text, (size_t)n, "source.yaml", &err))
		return -1;
	up_opts.host = up.host;
	up_opts.port = up.port;
	up_opts.user = up.user;
	up_opts.password = up.password;
	up_opts.scope = DM_ERR_SCOPE_UPSTREAM;
	down_opts.host = down.host;
	down_opts.port = down.port;
	down_opts.user = down.user;
	down_opts.password = down.password;
	down_opts.scope = DM_ERR_SCOPE_DOWNSTREAM;
	return 0;
}

static void drop_all(void)
{
	static const char sql[] =
		"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
		"SCHEMA_NAME LIKE 'dmtest\\_he\\_%'";
	MYSQL *m[2] = { um, dm };
	int s;

	sandbox_exec(um, "SET SESSION sql_log_bin = 0");
	for (s = 0; s < 2; s++) {
		MYSQL_RES *r;
		MYSQL_ROW row;
		char names[32][80];
		int n = 0, i;

		if (mysql_query(m[s], sql) != 0 ||
		    !(r = mysql_store_result(m[s])))
			continue;
		while ((row = mysql_fetch_row(r)) != NULL && n < 32)
			snprintf(names[n++], sizeof(names[0]), "%s", row[0]);
		mysql_free_result(r);
		for (i = 0; i < n; i++)
			sandbox_exec(m[s], "DROP DATABASE IF EXISTS `%s`",
				     names[i]);
	}
	sandbox_exec(um, "SET SESSION sql_log_bin = 1");
}

static int group_teardown(void **state)
{
	char cmd[400];

	(void)state;
	drop_all();
	dm_cfg_source_free(source);
	dm_ctx_free(ctx);
	dm_log_file_close(log_file);
	mysql_close(um);
	mysql_close(dm);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (getenv("DM_KEEP_TEST_DIR") == NULL && system(cmd) != 0)
		return -1;
	return 0;
}

/* A unit running dm_sync_run in a thread. */
typedef struct bg_run {
	dm_sync *s;
	pthread_t thread;
	bool started;
	int rc;
	dm_error *err;
} bg_run;

static bg_run *running;

static void *bg_main(void *arg)
{
	bg_run *b = arg;

	b->rc = dm_sync_run(b->s, &b->err);
	return NULL;
}

static void bg_stop(bg_run *b)
{
	if (!b->started)
		return;
	dm_sync_stop(b->s);
	pthread_join(b->thread, NULL);
	b->started = false;
	running = NULL;
}

static int test_cleanup(void **state)
{
	(void)state;
	if (running)
		bg_stop(running);
	if (open_fixture)
		fixture_close(open_fixture);
	drop_all();
	return 0;
}

/* ------------------------------------------------------------- tests */

static void test_handle_error__failed_ddl_is_skipped(void **state)
{
	static fixture f;
	dm_error *err = NULL;
	char at[200], *idx;

	(void)state;
	fixture_open(&f, "dmtest_he_skip", true);
	make_table(&f);
	/* Only downstream: v = 7 twice. */
	EXEC(dm, "INSERT INTO dmtest_he_skip.t VALUES (100, 7)");
	upstream_ddl(f.name, "ALTER TABLE t ADD UNIQUE KEY uk_v (v)", at,
		     sizeof(at));
	EXEC(um, "INSERT INTO dmtest_he_skip.t VALUES (11, 11), (12, 12)");

	run_fails(&f, DM_E_DB_EXECUTE_FAILED, &err);
	assert_ddl_failure(err, 1062, at);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM dmtest_he_skip.t "
				      "WHERE id > 10 AND id < 100"), 0);
	/* Nothing set: the next run meets the same DDL again. */
	run_fails(&f, DM_E_DB_EXECUTE_FAILED, &err);
	assert_ddl_failure(err, 1062, at);
	dm_error_free(err);
	err = NULL;

	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_SKIP, NULL,
					      NULL, &err), 0);
	run_ok(&f);
	idx = down_indexes(f.name, "t");
	assert_non_null(idx);
	assert_string_equal(idx, "PRIMARY");
	free(idx);
	/* An operator is used once. */
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REVERT, at,
					      NULL, &err),
			 DM_E_SYNCER_OPERATOR_NOT_EXIST);
	dm_error_free(err);
	err = NULL;
	EXEC(dm, "DELETE FROM dmtest_he_skip.t WHERE id = 100");
	assert_same_rows(f.name, "t");
	/* And later changes keep coming. */
	EXEC(um, "INSERT INTO dmtest_he_skip.t VALUES (13, 13);"
		 "UPDATE dmtest_he_skip.t SET v = v + 1000 WHERE id < 3");
	fixture_renew(&f);
	run_ok(&f);
	assert_same_rows(f.name, "t");
	fixture_close(&f);
}

static void test_handle_error__failed_ddl_is_replaced_at_explicit_pos(
	void **state)
{
	static fixture f;
	dm_error *err = NULL;
	char at[200], *idx;

	(void)state;
	fixture_open(&f, "dmtest_he_replace", true);
	make_table(&f);
	EXEC(dm, "INSERT INTO dmtest_he_replace.t VALUES (100, 7)");
	upstream_ddl(f.name, "ALTER TABLE t ADD UNIQUE KEY uk_v (v)", at,
		     sizeof(at));
	EXEC(um, "INSERT INTO dmtest_he_replace.t VALUES (11, 11), (12, 12)");
	run_fails(&f, DM_E_DB_EXECUTE_FAILED, &err);
	assert_ddl_failure(err, 1062, at);
	dm_error_free(err);
	err = NULL;

	/* Refused: no FILE:POS, no statements. */
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REPLACE,
					      "mysql-bin.000001", "ALTER TABLE "
					      "t ADD INDEX k_v (v)", &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REPLACE, at,
					      NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	err = NULL;

	/* The corrected statement, unqualified: the event's schema. */
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REPLACE, at,
					      "ALTER TABLE t ADD INDEX k_v (v)",
					      &err), 0);
	run_ok(&f);
	idx = down_indexes(f.name, "t");
	assert_non_null(idx);
	assert_string_equal(idx, "k_v,PRIMARY"); /* case-insensitive order */
	free(idx);
	EXEC(dm, "DELETE FROM dmtest_he_replace.t WHERE id = 100");
	assert_same_rows(f.name, "t");
	EXEC(um, "INSERT INTO dmtest_he_replace.t VALUES (13, 13)");
	fixture_renew(&f);
	run_ok(&f);
	assert_same_rows(f.name, "t");
	fixture_close(&f);
}

static void test_handle_error__revert_removes_an_operator(void **state)
{
	static fixture f;
	dm_error *err = NULL;
	char at[200], *idx;

	(void)state;
	fixture_open(&f, "dmtest_he_revert", true);
	/* No failure yet: no "last error" to refer to. */
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_SKIP, NULL,
					      NULL, &err),
			 DM_E_SYNCER_OPERATOR_NOT_EXIST);
	dm_error_free(err);
	err = NULL;
	make_table(&f);
	EXEC(dm, "INSERT INTO dmtest_he_revert.t VALUES (100, 7)");
	upstream_ddl(f.name, "ALTER TABLE t ADD UNIQUE KEY uk_v (v)", at,
		     sizeof(at));
	EXEC(um, "INSERT INTO dmtest_he_revert.t VALUES (11, 11)");

	/* A skip set in advance, then taken back. */
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_SKIP, at,
					      NULL, &err), 0);
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REVERT, at,
					      NULL, &err), 0);
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REVERT, at,
					      NULL, &err),
			 DM_E_SYNCER_OPERATOR_NOT_EXIST);
	dm_error_free(err);
	err = NULL;
	run_fails(&f, DM_E_DB_EXECUTE_FAILED, &err);
	assert_ddl_failure(err, 1062, at);
	dm_error_free(err);
	err = NULL;

	/* Revert with no position: the operator of the last failure. */
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REVERT, NULL,
					      NULL, &err),
			 DM_E_SYNCER_OPERATOR_NOT_EXIST);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REPLACE, NULL,
					      "ALTER TABLE t ADD INDEX k (v)",
					      &err), 0);
	assert_int_equal(dm_sync_handle_error(f.s, DM_SYNC_ERROR_REVERT, NULL,
					      NULL, &err), 0);

	/* With the data fixed the DDL itself runs. */
	EXEC(dm, "DELETE FROM dmtest_he_revert.t WHERE id = 100");
	run_ok(&f);
	idx = down_indexes(f.name, "t");
	assert_non_null(idx);
	assert_string_equal(idx, "PRIMARY,uk_v");
	free(idx);
	assert_same_rows(f.name, "t");
	fixture_close(&f);
}

static void expect_status(int rc, dm_error **err, int want, const char *what)
{
	if (rc != want) {
		char *t = error_text(*err);

		fail_msg("%s: %d, want %d: %s", what, rc, want, t);
	}
	dm_error_free(*err);
	*err = NULL;
}

static char *schema_get(fixture *f, const char *table)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *err = NULL;
	char *s;
	int rc = dm_sync_schema_get(&b, f->s, f->name, table, &err);

	if (rc != 0) {
		char *t = error_text(err);

		fail_msg("dm_sync_schema_get %s.%s: %d: %s", f->name, table, rc,
			 t);
	}
	s = strdup(b.data ? b.data : "");
	dm_buf_free(&b);
	return s;
}

#define SC "dmtest_he_schema"

static void test_operate_schema__get_set_remove_and_not_while_running(
	void **state)
{
	static fixture f, g;
	static bg_run b;
	dm_buf buf = DM_BUF_INIT;
	dm_error *err = NULL;
	char *c;
	int i;

	(void)state;
	fixture_open(&f, SC, true);
	EXEC(um, "CREATE DATABASE " SC ";"
		 "CREATE TABLE " SC ".s (id INT PRIMARY KEY, a INT);"
		 "INSERT INTO " SC ".s SELECT seq, seq FROM seq_1_to_5");
	run_ok(&f);

	/* get: the structure the checkpoint keeps. */
	c = schema_get(&f, "s");
	print_message("get: %s\n", c);
	assert_non_null(strstr(c, "CREATE TABLE"));
	assert_non_null(strstr(c, "`a`"));
	assert_null(strstr(c, "`extra`"));
	free(c);
	expect_status(dm_sync_schema_get(&buf, f.s, SC, "nosuch", &err), &err,
		      DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE, "get of nosuch");

	/* set, then get: the new structure. */
	assert_int_equal(dm_sync_schema_set(f.s, SC, "s",
					    "CREATE TABLE s (id INT PRIMARY "
					    "KEY, a INT, extra INT)", &err), 0);
	c = schema_get(&f, "s");
	assert_non_null(strstr(c, "`extra`"));
	free(c);
	/* The next run uses it: three columns, the rows have two. */
	EXEC(um, "INSERT INTO " SC ".s VALUES (6, 6)");
	fixture_renew(&f);
	run_fails(&f, DM_E_SYNCER_UNIT_DML_COLUMN_NOT_MATCH, &err);
	dm_error_free(err);
	err = NULL;

	/* The downstream's column was renamed: the structure that says so
	 * makes the rows land there. */
	EXEC(dm, "ALTER TABLE " SC ".s CHANGE a b INT");
	assert_int_equal(dm_sync_schema_set(f.s, SC, "s",
					    "CREATE TABLE whatever (id INT "
					    "PRIMARY KEY, b INT)", &err), 0);
	c = schema_get(&f, "s");
	assert_non_null(strstr(c, "`b`"));
	assert_null(strstr(c, "`a`"));
	assert_null(strstr(c, "`extra`"));
	free(c);
	run_ok(&f);
	{
		char *a = rows_text(um, SC, "id, a", "s");
		char *d = rows_text(dm, SC, "id, b", "s");

		assert_string_equal(a, d);
		free(a);
		free(d);
	}

	/* remove: gone from the checkpoint; the next run takes the
	 * downstream's structure again (id, b). */
	assert_int_equal(dm_sync_schema_remove(f.s, SC, "s", &err), 0);
	expect_status(dm_sync_schema_get(&buf, f.s, SC, "s", &err), &err,
		      DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE, "get after remove");
	expect_status(dm_sync_schema_remove(f.s, SC, "s", &err), &err,
		      DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE, "remove twice");
	EXEC(um, "INSERT INTO " SC ".s VALUES (7, 7)");
	fixture_renew(&f);
	run_ok(&f);
	assert_int_equal(value_ll(dm, "SELECT b FROM " SC ".s WHERE id = 7"),
			 7);

	/* A table loaded with an extra downstream column (kept out of the
	 * binlog upstream): set to the upstream's structure, the rows of
	 * the binlog apply and the extra column takes its default. */
	EXEC(um, "SET SESSION sql_log_bin = 0;"
		 "CREATE TABLE " SC ".s2 (id INT PRIMARY KEY, a INT);"
		 "SET SESSION sql_log_bin = 1");
	EXEC(dm, "CREATE TABLE " SC ".s2 (id INT PRIMARY KEY, a INT, "
		 "extra INT NOT NULL DEFAULT 5)");
	expect_status(dm_sync_schema_get(&buf, f.s, SC, "s2", &err), &err,
		      DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE, "get of s2");
	assert_int_equal(dm_sync_schema_set(f.s, SC, "s2",
					    "CREATE TABLE s2 (id INT PRIMARY "
					    "KEY, a INT)", &err), 0);
	c = schema_get(&f, "s2");
	assert_non_null(strstr(c, "`a`"));
	assert_null(strstr(c, "`extra`"));
	free(c);
	EXEC(um, "INSERT INTO " SC ".s2 VALUES (1, 10), (2, 20);"
		 "UPDATE " SC ".s2 SET a = 21 WHERE id = 2");
	fixture_renew(&f);
	run_ok(&f);
	{
		char *d = rows_text(dm, SC, "id, a, extra", "s2");

		assert_string_equal(d, "1:10:5;2:21:5");
		free(d);
	}
	fixture_close(&f);

	/* Not while the unit runs: a unit of the same task in a thread. */
	fixture_open(&g, SC, false);
	memset(&b, 0, sizeof(b));
	b.s = g.s;
	assert_int_equal(pthread_create(&b.thread, NULL, bg_main, &b), 0);
	b.started = true;
	running = &b;
	for (i = 0; i < 300 && !dm_sync_running(g.s); i++)
		sleep_ms(50);
	assert_true(dm_sync_running(g.s));
	expect_status(dm_sync_schema_get(&buf, g.s, SC, "s", &err), &err,
		      DM_E_WORKER_NOT_PAUSED_STAGE, "get while running");
	expect_status(dm_sync_schema_set(g.s, SC, "s", "CREATE TABLE s (id "
					 "INT PRIMARY KEY, zz INT)", &err),
		      &err, DM_E_WORKER_NOT_PAUSED_STAGE, "set while running");
	expect_status(dm_sync_schema_remove(g.s, SC, "s", &err), &err,
		      DM_E_WORKER_NOT_PAUSED_STAGE, "remove while running");
	EXEC(um, "INSERT INTO " SC ".s VALUES (8, 8)");
	bg_stop(&b);
	if (b.rc != 0) {
		char *t = error_text(b.err);

		fail_msg("the unit run in a thread: %d: %s", b.rc, t);
	}
	assert_false(dm_sync_running(g.s));
	/* Stopped: allowed again, and nothing was changed meanwhile. */
	c = schema_get(&g, "s");
	assert_null(strstr(c, "`zz`"));
	free(c);
	dm_buf_free(&buf);
	fixture_close(&g);
}

/* The documented end of an until_caught_up run is the upstream's
 * position when dm_sync_run() starts: a second run of the same unit must
 * apply what the upstream wrote after the first one. */
static void test_sync_unit__until_caught_up_again_reads_what_came_since(
	void **state)
{
	static fixture f;

	(void)state;
	fixture_open(&f, "dmtest_he_again", true);
	EXEC(um, "CREATE DATABASE dmtest_he_again;"
		 "CREATE TABLE dmtest_he_again.t (id INT PRIMARY KEY, v INT);"
		 "INSERT INTO dmtest_he_again.t VALUES (1, 1)");
	run_ok(&f);
	assert_same_rows(f.name, "t");
	EXEC(um, "INSERT INTO dmtest_he_again.t VALUES (2, 2)");
	run_ok(&f);
	assert_same_rows(f.name, "t");
	fixture_close(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			test_handle_error__failed_ddl_is_skipped,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_handle_error__failed_ddl_is_replaced_at_explicit_pos,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_handle_error__revert_removes_an_operator,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_operate_schema__get_set_remove_and_not_while_running,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_sync_unit__until_caught_up_again_reads_what_came_since,
			test_cleanup),
	};

	sandbox_require();
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
