/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of binlog decoding against mariadb-binlog, on the same files in
 * the same run (run it through `make bench`, which starts the sandbox):
 *
 *  1. sysbench oltp_write_only writes at least DM_BENCH_BINLOG_EVENTS
 *     (default 1,000,000) rows events into the sandbox upstream's binlog;
 *  2. each reader then reads the same files to /dev/null, one after the
 *     other: `cat` (the read limit), `mariadb-binlog --verbose
 *     --base64-output=decode-rows`, `dm-binlog --stats` (full decode, every
 *     row, no output), `dm-binlog --format=text` and `--format=json`.
 *
 * Prints per reader (the fastest of three runs) the wall and CPU time,
 * events/s, MB/s, the ratio to mariadb-binlog and to cat, and the child's
 * peak RSS (wait4), next to the targets of the binlog issue. Asserts
 * nothing.
 *
 * DM_BENCH_BINLOG_FILES="f1 f2 ..." skips step 1 and reads those files.
 * The sandbox password reaches no command line: sysbench connects as a
 * password-less user that exists only on 127.0.0.1 of the throw-away
 * server.
 */
#include <errno.h>
#include <fcntl.h>
#include <mysql.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <dm/dm.h>

extern char **environ;

#define MAX_FILES 64

static char *files[MAX_FILES];
static size_t nfiles;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

typedef struct run_result {
	double wall, cpu;
	long rss_kb;
	int status;
} run_result;

/* Runs argv with stdout to /dev/null (stderr kept), timing it. */
static run_result run_once(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	run_result r = { 0, 0, 0, -1 };
	struct rusage ru;
	double t0;
	pid_t pid;
	int st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now();
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		fprintf(stderr, "binlog: cannot run %s: %s\n", argv[0],
			strerror(errno));
		posix_spawn_file_actions_destroy(&fa);
		return r;
	}
	posix_spawn_file_actions_destroy(&fa);
	if (wait4(pid, &st, 0, &ru) < 0)
		return r;
	r.wall = now() - t0;
	r.cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	r.rss_kb = ru.ru_maxrss;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return r;
}

/* The fastest of three runs: other load on the machine only slows. */
static run_result run(char *const argv[])
{
	run_result best = run_once(argv), r;
	int i;

	for (i = 1; i < 3 && best.status == 0; i++) {
		r = run_once(argv);
		if (r.status != 0 || r.wall < best.wall)
			best = r;
	}
	return best;
}

static MYSQL *connect_upstream(void)
{
	MYSQL *m = mysql_init(NULL);
	unsigned port = (unsigned)atoi(env_or("DM_UPSTREAM_PORT", "0"));

	if (!m || !mysql_real_connect(m, env_or("DM_UPSTREAM_HOST", "127.0.0.1"),
				      env_or("DM_UPSTREAM_USER", "root"),
				      getenv("DM_UPSTREAM_PASSWORD"), NULL, port,
				      NULL, CLIENT_MULTI_STATEMENTS)) {
		fprintf(stderr, "binlog: cannot connect to the upstream: %s\n",
			m ? mysql_error(m) : "out of memory");
		exit(1);
	}
	return m;
}

static void sql(MYSQL *m, const char *q)
{
	if (mysql_query(m, q) != 0) {
		fprintf(stderr, "binlog: %s: %s\n", q, mysql_error(m));
		exit(1);
	}
	do {
		MYSQL_RES *res = mysql_store_result(m);

		if (res)
			mysql_free_result(res);
	} while (mysql_next_result(m) == 0);
}

static int sysbench(const char *cmd, const char *threads, const char *events)
{
	char port[32];
	char *argv[16];
	run_result r;
	int n = 0;

	snprintf(port, sizeof(port), "--mysql-port=%s",
		 env_or("DM_UPSTREAM_PORT", "3306"));
	argv[n++] = "sysbench";
	argv[n++] = "oltp_write_only";
	argv[n++] = "--db-driver=mysql";
	argv[n++] = "--mysql-host=127.0.0.1";
	argv[n++] = port;
	argv[n++] = "--mysql-user=dmbench";
	argv[n++] = "--mysql-db=sbtest";
	argv[n++] = "--tables=4";
	argv[n++] = "--table-size=100000";
	if (threads)
		argv[n++] = (char *)threads;
	if (events) {
		argv[n++] = (char *)events;
		argv[n++] = "--time=0";
	}
	argv[n++] = (char *)cmd;
	argv[n] = NULL;
	r = run_once(argv);
	fprintf(stderr, "binlog: sysbench %s: %.1f s\n", cmd, r.wall);
	return r.status;
}

/* Rows events and all events of the files, counted with the library. */
static void count_events(unsigned long long *events, unsigned long long *rows,
			 unsigned long long *bytes)
{
	size_t i;

	*events = *rows = *bytes = 0;
	for (i = 0; i < nfiles; i++) {
		dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;
		dm_binlog_reader *r;
		const dm_binlog_event *ev;
		dm_error *e = NULL;
		int rc;

		o.decoder.verify_checksum = false;
		/* pread() through a small buffer, not mapped windows: a child
		 * started by posix_spawn() shares this process's memory until
		 * exec, and Linux reports this process's peak RSS as part of
		 * the child's ru_maxrss. */
		o.flags = DM_BINLOG_READER_PARTIAL_TAIL_OK;
		if (dm_binlog_reader_open_file(&r, NULL, files[i], 0, &o, &e)) {
			dm_buf b = DM_BUF_INIT;

			dm_error_format(&b, e, 0);
			fprintf(stderr, "binlog: %s\n", b.data);
			exit(1);
		}
		while ((rc = dm_binlog_reader_next(r, &ev, &e)) == 0) {
			(*events)++;
			*bytes += ev->raw_len;
			if (ev->kind == DM_BINLOG_KIND_ROWS)
				(*rows)++;
		}
		dm_binlog_reader_free(r);
		dm_error_free(e);
	}
}

/* The upstream's binlog files but the last, empty one after FLUSH. */
static void list_files(MYSQL *m)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	const char *dir = getenv("DM_SANDBOX_DIR");

	if (mysql_query(m, "SHOW BINARY LOGS") != 0 ||
	    !(res = mysql_store_result(m))) {
		fprintf(stderr, "binlog: SHOW BINARY LOGS: %s\n", mysql_error(m));
		exit(1);
	}
	while ((row = mysql_fetch_row(res)) && nfiles < MAX_FILES) {
		char path[1024];

		snprintf(path, sizeof(path), "%s/u1/data/%s", dir, row[0]);
		files[nfiles++] = strdup(path);
	}
	mysql_free_result(res);
	if (nfiles > 1)
		free(files[--nfiles]);
}

static void generate(unsigned long long want_rows)
{
	MYSQL *m = connect_upstream();
	char events[64];

	/* A faster server: nothing here needs durability. */
	sql(m, "SET GLOBAL innodb_flush_log_at_trx_commit = 0");
	sql(m, "SET GLOBAL sync_binlog = 0");
	sql(m, "SET SESSION sql_log_bin = 0; "
	       "CREATE USER IF NOT EXISTS dmbench@'127.0.0.1'; "
	       "GRANT ALL ON sbtest.* TO dmbench@'127.0.0.1'; "
	       "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest");
	sql(m, "RESET MASTER");
	if (sysbench("prepare", NULL, NULL) != 0)
		exit(1);
	/* A write-only transaction logs 4 rows events (2 updates, a delete,
	 * an insert), plus what prepare logged. */
	snprintf(events, sizeof(events), "--events=%llu", want_rows / 4 + 1);
	if (sysbench("run", "--threads=8", events) != 0)
		exit(1);
	sql(m, "FLUSH BINARY LOGS");
	list_files(m);
	mysql_close(m);
}

static void report(const char *name, const run_result *r, double ref_cpu,
		   double ref_wall, double cat_wall, unsigned long long events,
		   double mb)
{
	printf("%-34s %8.2f %8.2f %12.0f %9.1f %8.2fx %8.2fx %8.2fx %7.1f\n",
	       name, r->wall, r->cpu, r->wall > 0 ? events / r->wall : 0,
	       r->wall > 0 ? mb / r->wall : 0,
	       r->wall > 0 ? ref_wall / r->wall : 0,
	       r->cpu > 0 ? ref_cpu / r->cpu : 0,
	       cat_wall > 0 ? r->wall / cat_wall : 0, r->rss_kb / 1024.0);
	if (r->status != 0)
		printf("  (%s exited with status %d)\n", name, r->status);
}

int main(void)
{
	const char *build = env_or("DM_BUILD_DIR", "build/release");
	unsigned long long want = strtoull(env_or("DM_BENCH_BINLOG_EVENTS",
						  "1000000"), NULL, 10);
	unsigned long long events, rows, bytes;
	char tool[1024];
	char *argv[MAX_FILES + 8];
	run_result cat, ref, stats, text, json;
	const char *given = getenv("DM_BENCH_BINLOG_FILES");
	double mb;
	size_t i;

	snprintf(tool, sizeof(tool), "%s/bin/dm-binlog", build);
	if (access(tool, X_OK) != 0) {
		fprintf(stderr, "binlog: %s is missing (make tools)\n", tool);
		return 1;
	}
	if (given && *given) {
		char *copy = strdup(given), *save = NULL, *f;

		for (f = strtok_r(copy, " ", &save); f && nfiles < MAX_FILES;
		     f = strtok_r(NULL, " ", &save))
			files[nfiles++] = strdup(f);
		free(copy);
	} else {
		if (!getenv("DM_UPSTREAM_PORT")) {
			fprintf(stderr, "binlog: run through `make bench` "
					"(needs the sandbox)\n");
			return 1;
		}
		if (mysql_library_init(0, NULL, NULL))
			return 1;
		generate(want);
	}
	if (nfiles == 0) {
		fprintf(stderr, "binlog: no binlog files\n");
		return 1;
	}
	count_events(&events, &rows, &bytes);
	mb = bytes / 1e6;
	printf("binlog files: %zu, %.1f MB, %llu events, %llu rows events "
	       "(sysbench oltp_write_only)\n", nfiles, mb, events, rows);
	if (rows < want && !given)
		printf("warning: fewer rows events than the %llu wanted\n", want);

	/* Warm the page cache: every reader then reads from memory. */
	argv[0] = "cat";
	for (i = 0; i < nfiles; i++)
		argv[1 + i] = files[i];
	argv[1 + nfiles] = NULL;
	run_once(argv);
	cat = run(argv);

	argv[0] = "mariadb-binlog";
	argv[1] = "--verbose";
	argv[2] = "--base64-output=decode-rows";
	for (i = 0; i < nfiles; i++)
		argv[3 + i] = files[i];
	argv[3 + nfiles] = NULL;
	ref = run(argv);

	argv[0] = tool;
	argv[1] = "--stats";
	for (i = 0; i < nfiles; i++)
		argv[2 + i] = files[i];
	argv[2 + nfiles] = NULL;
	stats = run(argv);
	argv[1] = "--format=text";
	text = run(argv);
	argv[1] = "--format=json";
	json = run(argv);

	printf("\n%-34s %8s %8s %12s %9s %9s %9s %9s %7s\n", "reader", "wall s",
	       "cpu s", "events/s", "MB/s", "vs ref", "vs ref", "x cat",
	       "RSS MB");
	printf("%-34s %8s %8s %12s %9s %9s %9s %9s %7s\n", "", "", "", "", "",
	       "(wall)", "(cpu)", "(wall)", "");
	report("cat", &cat, ref.cpu, ref.wall, cat.wall, events, mb);
	report("mariadb-binlog -v (reference)", &ref, ref.cpu, ref.wall,
	       cat.wall, events, mb);
	report("dm-binlog --stats (full decode)", &stats, ref.cpu, ref.wall,
	       cat.wall, events, mb);
	report("dm-binlog --format=text", &text, ref.cpu, ref.wall, cat.wall,
	       events, mb);
	report("dm-binlog --format=json", &json, ref.cpu, ref.wall, cat.wall,
	       events, mb);
	printf("\ntargets: full decode >= 25x mariadb-binlog and <= 5x cat: "
	       "%.1fx, %.1fx cat; text >= 5x mariadb-binlog: %.1fx; "
	       "peak RSS < 64 MB: %.1f / %.1f / %.1f MB\n",
	       stats.wall > 0 ? ref.wall / stats.wall : 0,
	       cat.wall > 0 ? stats.wall / cat.wall : 0,
	       text.wall > 0 ? ref.wall / text.wall : 0, stats.rss_kb / 1024.0,
	       text.rss_kb / 1024.0, json.rss_kb / 1024.0);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	if (!given)
		mysql_library_end();
	return 0;
}
