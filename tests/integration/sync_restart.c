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

static const char *dm_run_path(void)
{
	static char path[1024];
	const char *b = getenv("DM_BUILD_DIR");

	snprintf(path, sizeof(path), "%s/bin/dm-run",
		 b && *b ? b : "build/release");
	return path;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

static int write_file(const char *path, const char *fmt, ...)
{
	FILE *f = fopen(path, "w");
	va_list ap;
	int rc;

	if (!f)
		return -1;
	va_start(ap, fmt);
	rc = vfprintf(f, fmt, ap) < 0;
	va_end(ap);
	return fclose(f) != 0 || rc ? -1 : 0;
}

static void path_in(char *out, size_t cap, const char *name)
{
	if ((size_t)snprintf(out, cap, "%s/%s", dir, name) >= cap)
		abort();
}

/* Runs sql on m; the test fails when it fails. */
#define EXEC(m, ...) assert_int_equal(sandbox_exec((m), __VA_ARGS__), 0)

static char *value(MYSQL *m, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	char *v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	v = sandbox_query_value(m, sql, NULL);
	if (!v && mysql_errno(m))
		fail_msg("%s: %s", sql, mysql_error(m));
	return v;
}

/* The upstream's current binlog file and position. */
static void master_pos(char *file, size_t cap, unsigned long long *pos)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	assert_int_equal(mysql_query(um, "SHOW MASTER STATUS"), 0);
	r = mysql_store_result(um);
	assert_non_null(r);
	row = mysql_fetch_row(r);
	assert_non_null(row);
	snprintf(file, cap, "%s", row[0]);
	*pos = strtoull(row[1], NULL, 10);
	mysql_free_result(r);
}

/* --------------------------------------------------------- processes */

/* Children started and not yet reaped: a failing test leaves some
 * running, the teardown ends them (only these, by pid). */
#define MAX_CHILDREN 16
static pid_t children[MAX_CHILDREN];

static void child_add(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (children[i] == 0) {
			children[i] = pid;
			return;
		}
}

static void child_gone(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (children[i] == pid)
			children[i] = 0;
}

static void children_kill(void)
{
	int i, st;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (children[i] > 0) {
			kill(children[i], SIGKILL);
			waitpid(children[i], &st, 0);
			children[i] = 0;
		}
}

/* Starts argv[0] with stdout and stderr appended to out_path. */
static pid_t spawn(char *const argv[], const char *out_path)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int null = open("/dev/null", O_RDONLY);

		if (fd < 0 || null < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 ||
		    dup2(null, 0) < 0)
			_exit(126);
		execvp(argv[0], argv);
		_exit(127);
	}
	assert_true(pid > 0);
	child_add(pid);
	return pid;
}

/* Waits for pid; its exit status, 128+n for signal n. A child still
 * running after HANG_GUARD_S is killed and the test fails. */
static int wait_child(pid_t pid)
{
	int st, i;

	for (i = 0; i < HANG_GUARD_S * 20; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			child_gone(pid);
		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) :
					       128 + WTERMSIG(st);
		assert_true(r == 0);
		sleep_ms(50);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	child_gone(pid);
	fail_msg("child %d still running after %d s: killed", (int)pid,
		 HANG_GUARD_S);
	return -1;
}

/* dm-run --source SRC --log-level info --log-file LOG [opts...] TASK,
 * started in the background; its output goes to OUT. */
static pid_t dmrun_start(const char *src, const char *task, const char *log,
			 const char *out, const char *o1, const char *o2,
			 const char *o3)
{
	char *argv[16];
	int n = 0;

	argv[n++] = (char *)dm_run_path();
	argv[n++] = "--source";
	argv[n++] = (char *)src;
	argv[n++] = "--log-level";
	argv[n++] = "info";
	argv[n++] = "--log-file";
	argv[n++] = (char *)log;
	if (o1)
		argv[n++] = (char *)o1;
	if (o2)
		argv[n++] = (char *)o2;
	if (o3)
		argv[n++] = (char *)o3;
	argv[n++] = (char *)task;
	argv[n] = NULL;
	return spawn(argv, out);
}

static void show_file(const char *what, const char *path)
{
	char *s = slurp(path);
	size_t n = s ? strlen(s) : 0;

	print_message("---- %s (%s), last part:\n%s\n", what, path,
		      s ? s + (n > 6000 ? n - 6000 : 0) : "(none)");
	free(s);
}

/* Runs dm-run to its end and asserts exit status 0. */
static void dmrun(const char *src, const char *task, const char *log,
		  const char *out, const char *o1, const char *o2,
		  const char *o3)
{
	int st = wait_child(dmrun_start(src, task, log, out, o1, o2, o3));

	if (st != 0) {
		show_file("dm-run output", out);
		show_file("dm-run log", log);
		fail_msg("dm-run %s %s %s exited %d", o1 ? o1 : "",
			 o2 ? o2 : "", o3 ? o3 : "", st);
	}
}

/* SIGTERM to a running dm-run: it must stop with exit status 0. */
static void dmrun_term(pid_t pid, const char *log, const char *out)
{
	int st;

	assert_int_equal(kill(pid, SIGTERM), 0);
	st = wait_child(pid);
	if (st != 0) {
		show_file("dm-run output", out);
		show_file("dm-run log", log);
		fail_msg("dm-run stopped by SIGTERM exited %d", st);
	}
}

/* sysbench TEST on db, in the background (output to out). prepare and
 * cleanup are run with mode "prepare"/"cleanup", a load with "run". */
static pid_t sysbench_start(const char *db, const char *test,
			    const char *mode, int tables, int size, int secs,
			    const char *out)
{
	char cfg[400], t[32], s[32], tm[32], dbo[160];
	char *argv[] = { "sysbench", cfg, dbo, t, s, tm, "--threads=4",
			 "--report-interval=0", (char *)test, (char *)mode,
			 NULL };

	snprintf(cfg, sizeof(cfg), "--config-file=%s", sb_cfg);
	snprintf(dbo, sizeof(dbo), "--mysql-db=%s", db);
	snprintf(t, sizeof(t), "--tables=%d", tables);
	snprintf(s, sizeof(s), "--table-size=%d", size);
	snprintf(tm, sizeof(tm), "--time=%d", secs);
	return spawn(argv, out);
}

static void sysbench(const char *db, const char *test, const char *mode,
		     int tables, int size, int secs, const char *out)
{
	int st = wait_child(sysbench_start(db, test, mode, tables, size, secs,
					   out));

	if (st != 0) {
		show_file("sysbench output", out);
		fail_msg("sysbench %s %s exited %d", test, mode, st);
	}
}

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

static char **rows_of(MYSQL *m, const char *sql, size_t *n)
{
	MYSQL_RES *r;
	MYSQL_ROW row;
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (mysql_query(m, sql) != 0)
		fail_msg("%.300s: %s", sql, mysql_error(m));
	r = mysql_store_result(m);
	if (!r)
		fail_msg("%.300s: %s", sql, mysql_error(m));
	while ((row = mysql_fetch_row(r)) != NULL) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			assert_non_null(v);
		}
		v[(*n)++] = strdup(row[0] ? row[0] : "NULL");
	}
	mysql_free_result(r);
	return v;
}

static void rows_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Differences between two sorted lists of lines: 0 when equal; else
 * prints the first few and returns their count (at least 1). */
static size_t diff_lists(const char *what, char **a, size_t na, char **b,
			 size_t nb)
{
	size_t i = 0, j = 0, nd = 0;

	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : strcmp(a[i], b[j]);

		if (c == 0) {
			i++;
			j++;
			continue;
		}
		if (nd++ < 3)
			print_message("%s: only %s: %.400s\n", what,
				      c < 0 ? "upstream" : "downstream",
				      c < 0 ? a[i] : b[j]);
		if (c < 0)
			i++;
		else
			j++;
	}
	if (nd)
		print_message("%s: %zu differing rows (upstream %zu, "
			      "downstream %zu)\n", what, nd, na, nb);
	return nd;
}

/* The SELECT of every row of `from` as one text: the hex of each
 * column's bytes (numbers and times as their text), NULL as N, sorted.
 * Columns are those of the downstream table dschema.dtable. */
static void row_query(char *sql, size_t cap, const char *from,
		      const char *dschema, const char *dtable)
{
	char q[1024];
	char *cols;

	snprintf(q, sizeof(q),
		 "SELECT GROUP_CONCAT(CONCAT('IFNULL(HEX(CAST(`', COLUMN_NAME, "
		 "'` AS BINARY)), ''N'')') ORDER BY ORDINAL_POSITION "
		 "SEPARATOR ', '','', ') FROM information_schema.COLUMNS "
		 "WHERE TABLE_SCHEMA = '%s' AND TABLE_NAME = '%s'",
		 dschema, dtable);
	cols = value(dm, "%s", q);
	if (!cols)
		fail_msg("downstream table %s.%s has no columns", dschema,
			 dtable);
	snprintf(sql, cap, "SELECT CONCAT(%s) AS r FROM %s ORDER BY r", cols,
		 from);
	free(cols);
}

/* Rows of upstream `up_from` (a table or a derived table) against the
 * downstream table; the number of differences. */
static size_t compare_rows(const char *up_from, const char *dschema,
			   const char *dtable)
{
	static char sql[65536];
	char dfrom[300], what[700];
	char **a, **b;
	size_t na, nb, nd;

	row_query(sql, sizeof(sql), up_from, dschema, dtable);
	a = rows_of(um, sql, &na);
	snprintf(dfrom, sizeof(dfrom), "`%s`.`%s`", dschema, dtable);
	row_query(sql, sizeof(sql), dfrom, dschema, dtable);
	b = rows_of(dm, sql, &nb);
	snprintf(what, sizeof(what), "%s vs %s", up_from, dfrom);
	nd = diff_lists(what, a, na, b, nb);
	rows_free(a, na);
	rows_free(b, nb);
	return nd;
}

static char **list_of(MYSQL *m, size_t *n, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return rows_of(m, sql, n);
}

/* Every table of db: the same tables, the same column definitions and
 * the same rows on both sides. The number of differences. */
static size_t compare_db(const char *db)
{
	static const char tables_sql[] =
		"SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
		"TABLE_SCHEMA = '%s' AND TABLE_TYPE = 'BASE TABLE' "
		"ORDER BY TABLE_NAME";
	static const char cols_sql[] =
		"SELECT CONCAT(TABLE_NAME, ' ', ORDINAL_POSITION, ' ', "
		"COLUMN_NAME, ' ', COLUMN_TYPE, ' ', IS_NULLABLE, ' ', "
		"IFNULL(CHARACTER_SET_NAME, '-'), ' ', "
		"IFNULL(GENERATION_EXPRESSION, '-')) AS c "
		"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '%s' "
		"ORDER BY c";
	char **a, **b, **ca, **cb;
	size_t na, nb, nca, ncb, i, nd;
	char what[200];

	a = list_of(um, &na, tables_sql, db);
	b = list_of(dm, &nb, tables_sql, db);
	snprintf(what, sizeof(what), "tables of %s", db);
	nd = diff_lists(what, a, na, b, nb);
	ca = list_of(um, &nca, cols_sql, db);
	cb = list_of(dm, &ncb, cols_sql, db);
	snprintf(what, sizeof(what), "columns of %s", db);
	nd += diff_lists(what, ca, nca, cb, ncb);
	rows_free(ca, nca);
	rows_free(cb, ncb);
	if (nd == 0) {
		for (i = 0; i < na; i++) {
			char from[300];

			snprintf(from, sizeof(from), "`%s`.`%s`", db, a[i]);
			nd += compare_rows(from, db, a[i]);
		}
	}
	rows_free(a, na);
	rows_free(b, nb);
	return nd;
}

/* The databases named like prefix%: the same on both sides, each equal. */
static void assert_dbs_equal(const char *prefix)
{
	static const char sql[] =
		"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
		"SCHEMA_NAME LIKE '%s%%' ORDER BY SCHEMA_NAME";
	char **a, **b;
	size_t na, nb, i, nd;

	a = list_of(um, &na, sql, prefix);
	b = list_of(dm, &nb, sql, prefix);
	nd = diff_lists("databases", a, na, b, nb);
	assert_true(na > 0);
	for (i = 0; nd == 0 && i < na; i++)
		nd += compare_db(a[i]);
	rows_free(a, na);
	rows_free(b, nb);
	assert_int_equal(nd, 0);
}
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

static void assert_file_lacks(const char *path, const char *needle)
{
	char *s = slurp(path);

	if (s && strstr(s, needle)) {
		show_file("file", path);
		free(s);
		fail_msg("%s contains \"%s\"", path, needle);
	}
	free(s);
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
