/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run replicating while one of the servers goes away and comes back,
 * restarted by the sandbox (tests/sandbox/sandbox restart / kill):
 *
 *   - the downstream shut down cleanly for 3 s while sysbench
 *     oltp_write_only runs upstream: dm-run's applier and DDL connection
 *     retry, dm-run keeps running;
 *   - the downstream SIGKILLed (crash recovery) while sysbench runs: the
 *     applier must find out which batches committed before the crash, so
 *     that nothing is applied twice (safe mode is off: a replayed insert
 *     would stop dm-run with 1062) and nothing is lost;
 *   - the upstream shut down cleanly for 3 s while dm-run streams its
 *     binlog and a writer keeps writing (reconnecting): the binlog stream
 *     reconnects and goes on in the binlog file the restarted server
 *     opened;
 *   - the same downstream restart under the library alone: a sync unit
 *     running in a thread (dm_sync_run) must still be running after it and
 *     stop with status 0 when asked (dm-run resumes a failed unit by
 *     itself, which would hide a unit that gives up).
 *
 * Each dm-run test then stops dm-run with SIGTERM, runs it again with
 * --until-caught-up and compares every table of its databases, row by row,
 * between the upstream and the downstream (the comparison helpers are
 * those of sync_replicate.c).
 *
 * dm-run is found in $DM_BUILD_DIR/bin (default build/release/bin), the
 * sandbox script in $DM_SANDBOX_SCRIPT (default tests/sandbox/sandbox),
 * sysbench in $PATH. The servers are restarted with their own port and
 * password, so the tests that run after these in the same sandbox see no
 * difference.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-sync_restart
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

#include "dm/dm.h"
#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

#define META_SCHEMA "dmtest_rst_meta"
#define SOURCE_ID "dmtest-rst-01"
/* A child that does not end by then is a hang: killed, the test fails. */
#define HANG_GUARD_S 120

static sandbox_server up, down;
static MYSQL *um, *dm; /* check connections, time_zone +00:00 */
static char dir[256];
static char src_pos[300], sb_cfg[300];

/* ------------------------------------------------------------ helpers */

/* --------------------------------------------------------- processes */

/* ------------------------------------------------------------ config */

/* A task replicating the databases named prefix* from the upstream's
 * current position. */
static void write_task(const char *path, const char *name,
		       const char *prefix)
{
	char file[128] = "";
	unsigned long long pos = 4;

	master_pos(file, sizeof(file), &pos);
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
			   "block-allow-list:\n"
			   "  bal:\n"
			   "    do-dbs: [\"~^%s\"]\n"
			   "mysql-instances:\n"
			   "  - source-id: \"" SOURCE_ID "\"\n"
			   "    meta:\n"
			   "      binlog-name: \"%s\"\n"
			   "      binlog-pos: %llu\n"
			   "    block-allow-list: \"bal\"\n"
			   "    syncer-config-name: \"g\"\n"
			   "syncers:\n"
			   "  g:\n"
			   "    worker-count: 4\n"
			   "    batch: 100\n"
			   "    safe-mode: false\n",
			   name, down.host, down.port, down.user, down.password,
			   prefix, file, pos),
		0);
}

/* ------------------------------------------------------ comparison */

/* ----------------------------------------------------------- servers */

static const char *sandbox_script(void)
{
	const char *s = getenv("DM_SANDBOX_SCRIPT");

	return s && *s ? s : "tests/sandbox/sandbox";
}

/* New check connections (the old ones died with a restarted server). */
static void reconnect_checks(void)
{
	if (um)
		mysql_close(um);
	if (dm)
		mysql_close(dm);
	um = sandbox_connect(&up, NULL);
	dm = sandbox_connect(&down, NULL);
	assert_non_null(um);
	assert_non_null(dm);
	EXEC(um, "SET SESSION time_zone = '+00:00'");
	EXEC(dm, "SET SESSION time_zone = '+00:00'");
	kit_up = um;
	kit_down = dm;
}

/* sandbox restart|kill [--down-for S] NAME; must succeed. */
static void sandbox_cmd(const char *cmd, const char *down_for,
			const char *name, const char *out)
{
	char *argv[8];
	int n = 0, st;

	argv[n++] = (char *)sandbox_script();
	argv[n++] = (char *)cmd;
	if (down_for) {
		argv[n++] = "--down-for";
		argv[n++] = (char *)down_for;
	}
	argv[n++] = (char *)name;
	argv[n] = NULL;
	print_message("sandbox %s %s%s%s%s\n", cmd,
		      down_for ? "--down-for " : "", down_for ? down_for : "",
		      down_for ? " " : "", name);
	st = wait_child(spawn(argv, out));
	if (st != 0) {
		show_file("sandbox output", out);
		fail_msg("sandbox %s %s exited %d", cmd, name, st);
	}
}

/* dm-run must still be running: it retries, it does not give up. */
static void assert_running(pid_t pid, const char *log, const char *out)
{
	int st;
	pid_t r = waitpid(pid, &st, WNOHANG);

	if (r == 0)
		return;
	child_gone(pid);
	show_file("dm-run output", out);
	show_file("dm-run log", log);
	fail_msg("dm-run ended (status %d) instead of riding out the restart",
		 r == pid && WIFEXITED(st) ? WEXITSTATUS(st) :
		 r == pid ? 128 + WTERMSIG(st) : -1);
}

static bool file_has(const char *path, const char *needle)
{
	char *s = slurp(path);
	bool has = s && strstr(s, needle);

	free(s);
	return has;
}

/* Waits up to `secs` for the downstream to hold at least `n` rows in
 * db.table (replication under way). */
static void wait_rows(const char *db, const char *table, long long n,
		      int secs)
{
	long long have = -1;
	int i;

	for (i = 0; i < secs * 10; i++) {
		char *v = NULL;
		char sql[300];

		/* Not yet created is no error. */
		snprintf(sql, sizeof(sql),
			 "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
			 "TABLE_SCHEMA = '%s' AND TABLE_NAME = '%s'", db, table);
		v = sandbox_query_value(dm, sql, NULL);
		if (v && strcmp(v, "1") == 0) {
			free(v);
			snprintf(sql, sizeof(sql),
				 "SELECT COUNT(*) FROM `%s`.`%s`", db, table);
			v = sandbox_query_value(dm, sql, NULL);
		} else {
			free(v);
			v = NULL;
		}
		have = v ? strtoll(v, NULL, 10) : -1;
		free(v);
		if (have >= n)
			return;
		sleep_ms(100);
	}
	fail_msg("the downstream has %lld rows in %s.%s after %d s, want %lld",
		 have, db, table, secs, n);
}

/* ------------------------------------------------------------ writer */

/* A writer on the upstream that outlives a restart of it: on any error
 * it reconnects, quietly, and goes on. */
typedef struct writer {
	const char *db;
	atomic_bool stop;
	atomic_long ok;        /* statements that succeeded */
	atomic_long failed;    /* statements or connects that failed */
	pthread_t thread;
	bool started;
} writer;

static writer *running_writer;

static MYSQL *quiet_connect(void)
{
	MYSQL *m = mysql_init(NULL);
	unsigned timeout = 2;

	if (!m)
		return NULL;
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
	if (!mysql_real_connect(m, up.host, up.user, up.password, NULL,
				up.port, NULL, 0)) {
		mysql_close(m);
		return NULL;
	}
	return m;
}

static void *writer_main(void *arg)
{
	writer *w = arg;
	MYSQL *m = NULL;
	unsigned seed = 99;
	char sql[512];

	while (!atomic_load(&w->stop)) {
		int r = rand_r(&seed) % 10;

		if (!m && !(m = quiet_connect())) {
			atomic_fetch_add(&w->failed, 1);
			sleep_ms(100);
			continue;
		}
		if (r < 6)
			snprintf(sql, sizeof(sql),
				 "INSERT INTO `%s`.w (v, s) VALUES (%d, "
				 "MD5(RAND()))", w->db, rand_r(&seed) % 1000);
		else if (r < 9)
			snprintf(sql, sizeof(sql),
				 "UPDATE `%s`.w SET v = v + 1, s = MD5(RAND()) "
				 "WHERE id %% 7 = %d", w->db, rand_r(&seed) % 7);
		else
			snprintf(sql, sizeof(sql),
				 "DELETE FROM `%s`.w WHERE id %% 13 = %d LIMIT 2",
				 w->db, rand_r(&seed) % 13);
		if (mysql_query(m, sql) == 0) {
			atomic_fetch_add(&w->ok, 1);
		} else {
			atomic_fetch_add(&w->failed, 1);
			mysql_close(m);
			m = NULL;
		}
		sleep_ms(2);
	}
	if (m)
		mysql_close(m);
	return NULL;
}

static void writer_start(writer *w, const char *db)
{
	memset(w, 0, sizeof(*w));
	w->db = db;
	assert_int_equal(pthread_create(&w->thread, NULL, writer_main, w), 0);
	w->started = true;
	running_writer = w;
}

static void writer_stop(writer *w)
{
	if (!w->started)
		return;
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	w->started = false;
	running_writer = NULL;
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
	snprintf(dir, sizeof(dir), "%s/sync-restart.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	kit_up = um;
	kit_down = dm;
	kit_dir = dir;
	kit_sb_cfg = sb_cfg;
	kit_hang_guard_s = HANG_GUARD_S;
	path_in(src_pos, sizeof(src_pos), "source.yaml");
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
	    write_file(sb_cfg,
		       "mysql-host=%s\nmysql-port=%u\nmysql-user=%s\n"
		       "mysql-password=%s\n",
		       up.host, up.port, up.user, up.password))
		return -1;
	return 0;
}

/* Drops every database of these tests on both sides (upstream without
 * binlog), the task state included. */
static void drop_all(void)
{
	static const char sql[] =
		"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
		"SCHEMA_NAME LIKE 'dmtest\\_rst\\_%%'";
	MYSQL *m[2];
	size_t n, i;
	int s;

	/* A failed test may have left a server restarted under them. */
	if (!um || !dm || mysql_ping(um) != 0 || mysql_ping(dm) != 0)
		reconnect_checks();
	m[0] = um;
	m[1] = dm;
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
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (getenv("DM_KEEP_TEST_DIR") == NULL && system(cmd) != 0)
		return -1;
	return 0;
}

/* A sync unit running in a thread of this process. */
typedef struct lib_run {
	dm_sync *s;
	pthread_t thread;
	bool started;
	int rc;
	dm_error *err;
} lib_run;

static lib_run *running_unit;

static void *lib_run_main(void *arg)
{
	lib_run *r = arg;

	r->rc = dm_sync_run(r->s, &r->err);
	return NULL;
}

static void lib_run_join(lib_run *r)
{
	if (!r->started)
		return;
	dm_sync_stop(r->s);
	pthread_join(r->thread, NULL);
	r->started = false;
	running_unit = NULL;
}

static int test_cleanup(void **state)
{
	(void)state;
	if (running_unit)
		lib_run_join(running_unit);
	if (running_writer)
		writer_stop(running_writer);
	children_kill();
	drop_all();
	return 0;
}

/* The files of one test: out (stdout+stderr) and log (--log-file). */
typedef struct run_files {
	char task[300], log[300], out[300], sb[300], sandbox[300];
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
	snprintf(b, sizeof(b), "%s-sandbox.out", name);
	path_in(f->sandbox, sizeof(f->sandbox), b);
}

/* dm-run, stopped with SIGTERM while it rode out a restart, then run to
 * the upstream's end: the databases prefix* are equal on both sides. */
static void finish_and_compare(pid_t run, const run_files *f,
			       const char *prefix)
{
	dmrun_term(run, f->log, f->out);
	dmrun(src_pos, f->task, f->log, f->out, "--until-caught-up", NULL,
	      NULL);
	assert_dbs_equal(prefix);
	assert_file_lacks(f->log, "Duplicate entry");
	assert_file_lacks(f->out, "Duplicate entry");
}

/* ------------------------------------------------------------ tests */

/* The downstream goes away (cleanly, or SIGKILL) in the middle of a
 * sysbench run that dm-run replicates. */
static void downstream_goes_away(const char *name, const char *db,
				 const char *cmd, const char *down_for)
{
	run_files f;
	pid_t run, sb;
	char sbdb[100];

	run_files_init(&f, name);
	write_task(f.task, name, db);
	snprintf(sbdb, sizeof(sbdb), "%s_sb", db);
	EXEC(um, "CREATE DATABASE `%s`", sbdb);
	sysbench(sbdb, "oltp_write_only", "prepare", 2, 1000, 1, f.sb);
	run = dmrun_start(src_pos, f.task, f.log, f.out, NULL, NULL, NULL);
	sb = sysbench_start(sbdb, "oltp_write_only", "run", 2, 1000, 10, f.sb);
	/* The prepared rows are downstream: the run's changes are being
	 * applied now. */
	wait_rows(sbdb, "sbtest2", 1000, 60);
	sleep_ms(1500);
	sandbox_cmd(cmd, down_for, "d", f.sandbox);
	assert_running(run, f.log, f.out);
	reconnect_checks();
	if (wait_child(sb) != 0) {
		show_file("sysbench output", f.sb);
		fail_msg("sysbench run failed");
	}
	/* Time to notice and retry a lost connection, if it has not yet. */
	sleep_ms(2000);
	assert_running(run, f.log, f.out);
	if (!file_has(f.log, "retrying downstream transaction")) {
		show_file("dm-run log", f.log);
		fail_msg("the applier never met the restart: the test did not "
			 "test what it should");
	}
	finish_and_compare(run, &f, db);
}

static void test_restart__downstream_restarted_dm_run_retries(void **state)
{
	(void)state;
	downstream_goes_away("dmtest_rst_down", "dmtest_rst_down", "restart",
			     "3");
}

static void test_restart__downstream_killed_nothing_lost_or_twice(
	void **state)
{
	(void)state;
	downstream_goes_away("dmtest_rst_kill", "dmtest_rst_kill", "kill",
			     NULL);
}

#define UP_DB "dmtest_rst_up"

static void test_restart__upstream_restarted_binlog_stream_reconnects(
	void **state)
{
	run_files f;
	static writer w;
	pid_t run;
	long ok_before, ok_after;
	char file0[128], file1[128];
	unsigned long long pos;

	(void)state;
	run_files_init(&f, UP_DB);
	write_task(f.task, UP_DB, UP_DB);
	master_pos(file0, sizeof(file0), &pos);
	EXEC(um, "CREATE DATABASE " UP_DB ";"
		 "CREATE DATABASE " UP_DB "_sb;"
		 "CREATE TABLE " UP_DB ".w (id INT AUTO_INCREMENT PRIMARY KEY, "
		 "v INT, s VARCHAR(40))");
	sysbench(UP_DB "_sb", "oltp_write_only", "prepare", 2, 1000, 1, f.sb);
	run = dmrun_start(src_pos, f.task, f.log, f.out, NULL, NULL, NULL);
	writer_start(&w, UP_DB);
	sysbench(UP_DB "_sb", "oltp_write_only", "run", 2, 1000, 3, f.sb);
	wait_rows(UP_DB "_sb", "sbtest2", 1000, 60);
	ok_before = atomic_load(&w.ok);
	sandbox_cmd("restart", "3", "u1", f.sandbox);
	assert_running(run, f.log, f.out);
	reconnect_checks();
	/* The writer is back, and so is sysbench, in the new binlog file. */
	sleep_ms(1000);
	sysbench(UP_DB "_sb", "oltp_write_only", "run", 2, 1000, 3, f.sb);
	ok_after = atomic_load(&w.ok);
	writer_stop(&w);
	print_message("writer: %ld statements before the restart, %ld in all, "
		      "%ld failures\n", ok_before, ok_after,
		      (long)atomic_load(&w.failed));
	assert_true(ok_before > 0);
	assert_true(ok_after > ok_before);
	master_pos(file1, sizeof(file1), &pos);
	assert_true(strcmp(file1, file0) > 0); /* a restart opens a new file */
	/* Time to reconnect (backoff) and read what came after. */
	sleep_ms(2000);
	assert_running(run, f.log, f.out);
	if (!file_has(f.log, "binlog stream resumed")) {
		show_file("dm-run log", f.log);
		fail_msg("no \"binlog stream resumed\" in dm-run's log");
	}
	finish_and_compare(run, &f, UP_DB);
}

#define LIB_DB "dmtest_rst_lib"

static void error_print(const char *what, const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	if (e && dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE) == 0)
		print_message("%s: %s\n", what, b.data);
	dm_buf_free(&b);
}

static void test_restart__library_unit_rides_out_downstream_restart(
	void **state)
{
	static writer w;
	static lib_run r;
	char path[300], log_path[300], sb_out[300], *text;
	dm_cfg_task *task = NULL;
	dm_cfg_source *src = NULL;
	dm_db_opts uo = DM_DB_OPTS_INIT, dopt = DM_DB_OPTS_INIT;
	dm_sync_opts so = DM_SYNC_OPTS_INIT;
	dm_log_file *lf = NULL;
	dm_ctx *ctx = NULL;
	dm_error *err = NULL;
	bool still_running;
	int i, rc;

	(void)state;
	path_in(path, sizeof(path), "lib-task.yaml");
	path_in(log_path, sizeof(log_path), "lib.log");
	path_in(sb_out, sizeof(sb_out), "lib-sandbox.out");
	write_task(path, LIB_DB, LIB_DB);
	text = slurp(path);
	assert_non_null(text);
	assert_int_equal(dm_cfg_task_parse(&task, text, strlen(text), path,
					   &err), 0);
	free(text);
	text = slurp(src_pos);
	assert_non_null(text);
	assert_int_equal(dm_cfg_source_parse(&src, text, strlen(text), src_pos,
					     &err), 0);
	free(text);
	assert_int_equal(dm_ctx_new(&ctx, &err), 0);
	assert_int_equal(dm_log_file_open(&lf, log_path, &err), 0);
	dm_ctx_set_logger(ctx, dm_log_file_write, lf);
	dm_ctx_set_log_level(ctx, DM_LOG_INFO);
	uo.host = up.host;
	uo.port = up.port;
	uo.user = up.user;
	uo.password = up.password;
	uo.scope = DM_ERR_SCOPE_UPSTREAM;
	dopt.host = down.host;
	dopt.port = down.port;
	dopt.user = down.user;
	dopt.password = down.password;
	dopt.scope = DM_ERR_SCOPE_DOWNSTREAM;
	so.task = task;
	so.source = src;
	so.upstream = &uo;
	so.downstream = &dopt;

	EXEC(um, "CREATE DATABASE " LIB_DB ";"
		 "CREATE TABLE " LIB_DB ".w (id INT AUTO_INCREMENT PRIMARY KEY, "
		 "v INT, s VARCHAR(40))");
	memset(&r, 0, sizeof(r));
	assert_int_equal(dm_sync_new(&r.s, ctx, &so, &err), 0);
	writer_start(&w, LIB_DB);
	assert_int_equal(pthread_create(&r.thread, NULL, lib_run_main, &r), 0);
	r.started = true;
	running_unit = &r;
	wait_rows(LIB_DB, "w", 50, 60);
	sandbox_cmd("restart", "2", "d", sb_out);
	reconnect_checks();
	/* Long enough for the applier's backoff and a periodic flush. */
	for (i = 0; i < 40 && dm_sync_running(r.s); i++)
		sleep_ms(100);
	writer_stop(&w);
	sleep_ms(1000);
	still_running = dm_sync_running(r.s);
	lib_run_join(&r);
	if (r.rc != 0) {
		error_print("dm_sync_run", r.err);
		show_file("library log", log_path);
	}
	assert_true(still_running);
	assert_int_equal(r.rc, 0);
	dm_error_free(r.err);
	dm_sync_free(r.s);

	/* What the stop left, applied to the end. */
	so.until_caught_up = true;
	assert_int_equal(dm_sync_new(&r.s, ctx, &so, &err), 0);
	rc = dm_sync_run(r.s, &err);
	if (rc)
		error_print("dm_sync_run --until-caught-up", err);
	assert_int_equal(rc, 0);
	dm_sync_free(r.s);
	r.s = NULL;
	assert_dbs_equal(LIB_DB);
	dm_cfg_task_free(task);
	dm_cfg_source_free(src);
	dm_ctx_free(ctx);
	dm_log_file_close(lf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			test_restart__downstream_restarted_dm_run_retries,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_restart__downstream_killed_nothing_lost_or_twice,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_restart__upstream_restarted_binlog_stream_reconnects,
			test_cleanup),
		cmocka_unit_test_teardown(
			test_restart__library_unit_rides_out_downstream_restart,
			test_cleanup),
	};
	dm_error *err = NULL;

	sandbox_require();
	if (dm_global_init(&err) != 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
