/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of replication (dm-run, task-mode incremental) against MariaDB's
 * own replication, on the same backlog into the same downstream in the same
 * run (run it through `make bench`, which starts the sandbox):
 *
 *  1. sysbench prepares its tables on the sandbox upstream; they are copied
 *     to the downstream (mariadb-dump) as the starting state of every
 *     contender, then sysbench oltp_insert and oltp_write_only write a
 *     backlog of at least DM_BENCH_SYNC_EVENTS (default 500,000) rows
 *     events, starting in a new binlog file;
 *  2. each contender starts from a downstream reset to that state and
 *     applies the whole backlog: native replication with
 *     slave_parallel_threads 0, then 4 in optimistic mode (timed from START
 *     SLAVE until the SQL thread has executed the backlog's last event),
 *     and `dm-run --until-caught-up` with worker-count 1, 4 and 16 (batch
 *     100), and 16 again with multiple-rows; every result must checksum
 *     equal to the upstream's tables, so a fast wrong answer shows;
 *  3. lag: dm-run (the fastest worker-count) replicates live while sysbench
 *     oltp_write_only runs with --rate at half the maximum row events/s
 *     (four rows events a transaction) for DM_BENCH_SYNC_LAG_SECONDS
 *     (default 20); a heartbeat row is updated upstream every 100 ms and
 *     the downstream polled every 10 ms, and a heartbeat's lag is the time
 *     from its commit upstream until it is seen downstream. With two CPUs
 *     or more the CPUs are split (see split_init): the load on one half,
 *     the replication on the other, and the maximum rate is that of the
 *     same dm-run on the backlog so pinned; DM_BENCH_SYNC_SPLIT=0 shares
 *     them and takes the fastest rate above. The same load then runs on
 *     native replication (4 threads, optimistic), split alike, and dm-run
 *     once more with the CPUs shared.
 *
 * Prints per contender the wall time, row events/s, the ratios to both
 * native runs and dm-run's peak RSS (wait4), then the lag percentiles and
 * the targets, met or not. Asserts nothing.
 *
 * Sizes: DM_BENCH_SYNC_EVENTS, DM_BENCH_SYNC_TABLES (default 4),
 * DM_BENCH_SYNC_TABLE_SIZE (default 25000), DM_BENCH_SYNC_LAG_SECONDS
 * (0 skips step 3). DM_BENCH_SYNC_LAG_RATE (transactions/s) and
 * DM_BENCH_SYNC_LAG_WORKERS replace step 3's rate and worker-count (by
 * default half the maximum rate, with the fastest dm-run's settings;
 * DM_BENCH_SYNC_LAG_MULTI_ROWS=1 adds multiple-rows to a given
 * worker-count; DM_BENCH_SYNC_LAG_THREADS, sysbench's threads, default 4);
 * DM_BENCH_SYNC_RAND_TYPE is passed to sysbench as --rand-type;
 * DM_BENCH_SYNC_LOG_LEVEL is passed to dm-run as --log-level. Both
 * servers get a 512M buffer pool. The upstream, which only produces the
 * backlog, runs with innodb_flush_log_at_trx_commit=0 and sync_binlog=0;
 * the downstream keeps the server's durable default (=1, as replicas
 * run) unless DM_BENCH_SYNC_DURABLE=0 makes it 0 too. The sandbox
 * passwords reach no command line: sysbench
 * connects as a password-less user that exists only on 127.0.0.1 of the
 * throw-away upstream, the mariadb tools and dm-run read files of mode
 * 0600 in the sandbox directory, and native replication gets the password
 * through CHANGE MASTER TO.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <mysql.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <dm/dm.h>

extern char **environ;

#define MAX_TABLES 64
#define LAG_MAX_BEATS 20000

static const char *build;
static char work[1024];		/* $DM_SANDBOX_DIR/bench-sync */
static unsigned tables, table_size;
static bool durable;
static unsigned lag_workers;	/* dm-run's worker-count in the lag run */
static bool lag_multi_rows;	/* ... and its multiple-rows */
/* The CPU split of the lag measurement (see "split" below). */
static bool split;
static cpu_set_t all_cpus, load_cpus, repl_cpus;
static const cpu_set_t *spawn_cpus;	/* for spawn(); NULL: inherit */
static const cpu_set_t *self_cpus = &all_cpus;	/* this process's */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_s(double s)
{
	struct timespec ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static unsigned long long env_num(const char *name, unsigned long long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 10) : def;
}

/* ------------------------------------------------------------ children */

typedef struct run_result {
	double wall, cpu;
	long rss_kb;
	int status;
} run_result;

/* Starts argv with stdout to `out` (NULL: /dev/null), stderr kept. */
static pid_t spawn(char *const argv[], const char *out)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out ? out : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	/* The child inherits this (single-threaded) process's affinity,
	 * from its first instruction on: no thread of it runs elsewhere. */
	if (spawn_cpus)
		sched_setaffinity(0, sizeof(cpu_set_t), spawn_cpus);
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		fprintf(stderr, "sync: cannot run %s: %s\n", argv[0],
			strerror(errno));
		pid = -1;
	}
	if (spawn_cpus)
		sched_setaffinity(0, sizeof(cpu_set_t), self_cpus);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

/* Waits for pid (started at t0), with its CPU time and peak RSS. */
static run_result reap(pid_t pid, double t0)
{
	run_result r = { 0, 0, 0, -1 };
	struct rusage ru;
	int st;

	if (pid < 0)
		return r;
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return r;
	r.wall = now() - t0;
	r.cpu = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
		(double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	r.rss_kb = ru.ru_maxrss;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return r;
}

static run_result run_once(char *const argv[], const char *out)
{
	double t0 = now();

	return reap(spawn(argv, out), t0);
}

/* --------------------------------------------------------------- SQL */

static MYSQL *connect_to(const char *who)
{
	char name[64];
	unsigned port;
	MYSQL *m = mysql_init(NULL);
	const char *host, *user, *pw;

	snprintf(name, sizeof(name), "DM_%s_PORT", who);
	port = (unsigned)atoi(env_or(name, "0"));
	snprintf(name, sizeof(name), "DM_%s_HOST", who);
	host = env_or(name, "127.0.0.1");
	snprintf(name, sizeof(name), "DM_%s_USER", who);
	user = env_or(name, "root");
	snprintf(name, sizeof(name), "DM_%s_PASSWORD", who);
	pw = getenv(name);
	if (!m || !mysql_real_connect(m, host, user, pw, NULL, port, NULL,
				      CLIENT_MULTI_STATEMENTS)) {
		fprintf(stderr, "sync: cannot connect to the %s: %s\n", who,
			m ? mysql_error(m) : "out of memory");
		exit(1);
	}
	return m;
}

static void drain(MYSQL *m)
{
	do {
		MYSQL_RES *res = mysql_store_result(m);

		if (res)
			mysql_free_result(res);
	} while (mysql_next_result(m) == 0);
}

/* Runs a formatted statement list; exits on error unless `soft`, then
 * returns the server's error number. */
__attribute__((format(printf, 3, 4)))
static unsigned sqlf(MYSQL *m, bool soft, const char *fmt, ...)
{
	char q[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	if (mysql_query(m, q) != 0) {
		if (soft)
			return mysql_errno(m);
		fprintf(stderr, "sync: %s: %s\n", q, mysql_error(m));
		exit(1);
	}
	drain(m);
	return mysql_errno(m);
}

/* The first column of the first row of q into out ("" for NULL or no
 * row); false on an error. */
static bool sql_value(MYSQL *m, const char *q, char *out, size_t len)
{
	MYSQL_RES *res;
	MYSQL_ROW row;

	out[0] = 0;
	if (mysql_query(m, q) != 0 || !(res = mysql_store_result(m)))
		return false;
	row = mysql_fetch_row(res);
	if (row && row[0])
		snprintf(out, len, "%s", row[0]);
	mysql_free_result(res);
	drain(m);
	return true;
}

typedef struct position {
	char file[256];
	unsigned long long pos;
	char gtid[512];
} position;

static position master_status(MYSQL *up)
{
	position p;
	MYSQL_RES *res;
	MYSQL_ROW row;

	memset(&p, 0, sizeof(p));
	if (mysql_query(up, "SHOW MASTER STATUS") != 0 ||
	    !(res = mysql_store_result(up)) || !(row = mysql_fetch_row(res))) {
		fprintf(stderr, "sync: SHOW MASTER STATUS: %s\n",
			mysql_error(up));
		exit(1);
	}
	snprintf(p.file, sizeof(p.file), "%s", row[0]);
	p.pos = strtoull(row[1], NULL, 10);
	mysql_free_result(res);
	sql_value(up, "SELECT @@gtid_binlog_pos", p.gtid, sizeof(p.gtid));
	return p;
}

/* CHECKSUM TABLE of every sbtest table, one line each. */
static void checksums(MYSQL *m, char *out, size_t len)
{
	unsigned i;
	size_t n = 0;

	out[0] = 0;
	for (i = 1; i <= tables && n < len; i++) {
		char q[128], v[64];
		MYSQL_RES *res;
		MYSQL_ROW row;

		snprintf(q, sizeof(q), "CHECKSUM TABLE sbtest.sbtest%u", i);
		v[0] = 0;
		if (mysql_query(m, q) == 0 && (res = mysql_store_result(m))) {
			if ((row = mysql_fetch_row(res)) && row[1])
				snprintf(v, sizeof(v), "%s", row[1]);
			mysql_free_result(res);
		}
		n += (size_t)snprintf(out + n, len - n, "%s%s",
				      i > 1 ? " " : "", v[0] ? v : "?");
	}
}

/* ---------------------------------------------------------- sysbench */

/* sysbench TEST with the common options, then the extra ones, then CMD;
 * stdout to `out` (NULL: /dev/null). */
static run_result sysbench(const char *test, const char *cmd,
			   const char *extra1, const char *extra2,
			   const char *extra3, const char *out)
{
	char port[32], ntab[32], size[32];
	char *argv[20];
	const char *rand_type = getenv("DM_BENCH_SYNC_RAND_TYPE");
	char rt[64];
	run_result r;
	int n = 0;

	snprintf(port, sizeof(port), "--mysql-port=%s",
		 env_or("DM_UPSTREAM_PORT", "3306"));
	snprintf(ntab, sizeof(ntab), "--tables=%u", tables);
	snprintf(size, sizeof(size), "--table-size=%u", table_size);
	argv[n++] = "sysbench";
	argv[n++] = (char *)test;
	argv[n++] = "--db-driver=mysql";
	argv[n++] = "--mysql-host=127.0.0.1";
	argv[n++] = port;
	argv[n++] = "--mysql-user=dmbench";
	argv[n++] = "--mysql-db=sbtest";
	argv[n++] = ntab;
	argv[n++] = size;
	if (rand_type && *rand_type) {
		snprintf(rt, sizeof(rt), "--rand-type=%s", rand_type);
		argv[n++] = rt;
	}
	if (extra1)
		argv[n++] = (char *)extra1;
	if (extra2)
		argv[n++] = (char *)extra2;
	if (extra3)
		argv[n++] = (char *)extra3;
	argv[n++] = (char *)cmd;
	argv[n] = NULL;
	r = run_once(argv, out);
	fprintf(stderr, "sync: sysbench %s %s: %.1f s\n", test, cmd, r.wall);
	if (r.status != 0) {
		fprintf(stderr, "sync: sysbench exited with status %d\n",
			r.status);
		exit(1);
	}
	return r;
}

/* ------------------------------------------------------------ backlog */

typedef struct backlog {
	position start, end;
	unsigned long long rows_events, rows, trx, events, bytes;
	unsigned long long ins_trx, wo_trx;
	char sums[64 * MAX_TABLES];
} backlog;

/* Rows events, rows, transactions (XIDs) and all events from the start
 * of start.file (FLUSHed just before the backlog) to end, counted with
 * the library. */
static void count_backlog(backlog *b)
{
	const char *dir = getenv("DM_SANDBOX_DIR");
	char name[256];
	unsigned long long seq = strtoull(strrchr(b->start.file, '.') + 1,
					  NULL, 10);
	unsigned long long last = strtoull(strrchr(b->end.file, '.') + 1,
					   NULL, 10);
	size_t stem = (size_t)(strrchr(b->start.file, '.') - b->start.file);

	for (; seq <= last; seq++) {
		dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;
		dm_binlog_reader *r;
		const dm_binlog_event *ev;
		dm_error *e = NULL;
		char path[1024];
		int rc;

		snprintf(name, sizeof(name), "%.*s.%06llu", (int)stem,
			 b->start.file, seq);
		snprintf(path, sizeof(path), "%s/u1/data/%s", dir, name);
		o.decoder.verify_checksum = false;
		/* pread() through a small buffer, not mapped windows: the
		 * children started later share this process's memory until
		 * exec, and Linux counts this process's peak RSS in theirs. */
		o.flags = DM_BINLOG_READER_PARTIAL_TAIL_OK;
		if (dm_binlog_reader_open_file(&r, NULL, path, 0, &o, &e)) {
			dm_buf buf = DM_BUF_INIT;

			dm_error_format(&buf, e, 0);
			fprintf(stderr, "sync: %s\n", buf.data);
			exit(1);
		}
		while ((rc = dm_binlog_reader_next(r, &ev, &e)) == 0) {
			if (seq == last && ev->pos >= b->end.pos)
				break;
			b->events++;
			b->bytes += ev->raw_len;
			if (ev->kind == DM_BINLOG_KIND_XID)
				b->trx++;
			if (ev->kind == DM_BINLOG_KIND_ROWS) {
				dm_binlog_row_iter *it;

				b->rows_events++;
				if (dm_binlog_rows_open(&it,
						dm_binlog_reader_decoder(r),
						ev, &e) == 0)
					while (dm_binlog_rows_next(it, NULL,
							NULL, &e) == 0)
						b->rows++;
			}
		}
		dm_binlog_reader_free(r);
		dm_error_free(e);
	}
}

/* `sysbench ... run` stdout: "transactions: N (X per sec.)". */
static double sysbench_tps(const char *path, unsigned long long *trx)
{
	FILE *f = fopen(path, "r");
	char line[512];
	double tps = 0;

	if (trx)
		*trx = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "transactions:");
		unsigned long long n;
		double x;

		if (p && sscanf(p, "transactions: %llu (%lf", &n, &x) == 2) {
			tps = x;
			if (trx)
				*trx = n;
		}
	}
	fclose(f);
	return tps;
}

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	size_t len = strlen(text);

	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		fprintf(stderr, "sync: cannot write %s: %s\n", path,
			strerror(errno));
		exit(1);
	}
	close(fd);
}

/* A client option file for the mariadb tools. */
static void write_cnf(char *path, size_t len, const char *file,
		      const char *who)
{
	char text[1024], port[64], pw[64];

	snprintf(port, sizeof(port), "DM_%s_PORT", who);
	snprintf(pw, sizeof(pw), "DM_%s_PASSWORD", who);
	snprintf(path, len, "%s/%s", work, file);
	snprintf(text, sizeof(text),
		 "[client]\nuser=root\npassword=%s\nhost=127.0.0.1\n"
		 "port=%s\n", env_or(pw, ""), env_or(port, "3306"));
	write_file(path, text);
}

static void generate(MYSQL *up, MYSQL *down, unsigned long long want,
		     backlog *b)
{
	char events[64], out[1100], cmd[4096], upcnf[1100], downcnf[1100];
	char *sh[6];
	run_result r;

	sqlf(up, false, "SET SESSION sql_log_bin = 0; "
	     "CREATE USER IF NOT EXISTS dmbench@'127.0.0.1'; "
	     "GRANT ALL ON sbtest.* TO dmbench@'127.0.0.1'; "
	     "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest; "
	     "SET SESSION sql_log_bin = 1");
	sysbench("oltp_write_only", "prepare", NULL, NULL, NULL, NULL);

	/* The starting state of every contender, kept on the downstream. */
	sqlf(down, false, "DROP DATABASE IF EXISTS sbtest_base; "
	     "CREATE DATABASE sbtest_base");
	/* Option files of our own: the sandbox's have client options
	 * mariadb-dump refuses. */
	write_cnf(upcnf, sizeof(upcnf), "up.cnf", "UPSTREAM");
	write_cnf(downcnf, sizeof(downcnf), "down.cnf", "DOWNSTREAM");
	snprintf(cmd, sizeof(cmd),
		 "mariadb-dump --defaults-file='%s' --single-transaction "
		 "--skip-add-locks sbtest | "
		 "mariadb --defaults-file='%s' sbtest_base", upcnf, downcnf);
	sh[0] = "bash";
	sh[1] = "-o";
	sh[2] = "pipefail";
	sh[3] = "-ec";
	sh[4] = cmd;
	sh[5] = NULL;
	r = run_once(sh, NULL);
	fprintf(stderr, "sync: starting state copied to the downstream: "
		"%.1f s\n", r.wall);
	if (r.status != 0)
		exit(1);

	sqlf(up, false, "FLUSH BINARY LOGS");
	b->start = master_status(up);
	/* Half the rows events from oltp_insert (one a transaction), half
	 * from oltp_write_only (four: two updates, a delete, an insert). */
	snprintf(events, sizeof(events), "--events=%llu", want / 2 + 1);
	snprintf(out, sizeof(out), "%s/sysbench-insert.out", work);
	sysbench("oltp_insert", "run", "--threads=8", events, "--time=0", out);
	sysbench_tps(out, &b->ins_trx);
	snprintf(events, sizeof(events), "--events=%llu", want / 8 + 1);
	snprintf(out, sizeof(out), "%s/sysbench-write-only.out", work);
	sysbench("oltp_write_only", "run", "--threads=8", events, "--time=0",
		 out);
	sysbench_tps(out, &b->wo_trx);
	/* No FLUSH here: `dm-run --until-caught-up` would then wait for
	 * its next heartbeat (a second) to pass the new file's first
	 * events, which are no transaction. */
	b->end = master_status(up);
	checksums(up, b->sums, sizeof(b->sums));
	count_backlog(b);
}

/* The downstream as it was when the backlog started, and nothing else. */
static void reset_downstream(MYSQL *down)
{
	unsigned i;
	double t0 = now();

	sqlf(down, false, "DROP DATABASE IF EXISTS sbtest; "
	     "DROP DATABASE IF EXISTS dm_meta; CREATE DATABASE sbtest");
	for (i = 1; i <= tables; i++)
		sqlf(down, false, "CREATE TABLE sbtest.sbtest%u LIKE "
		     "sbtest_base.sbtest%u; INSERT INTO sbtest.sbtest%u "
		     "SELECT * FROM sbtest_base.sbtest%u", i, i, i, i);
	fprintf(stderr, "sync: downstream reset: %.1f s\n", now() - t0);
}

/* ------------------------------------------------------------ contenders */

typedef struct contender {
	const char *name;
	unsigned workers;	/* native: slave_parallel_threads */
	bool native, multi_rows;
	run_result r;
	bool ok;		/* checksums equal to the upstream's */
} contender;

static void write_source_yaml(char *path, size_t len)
{
	char text[1024];

	snprintf(path, len, "%s/source.yaml", work);
	snprintf(text, sizeof(text),
		 "source-id: mysql-01\n"
		 "from:\n"
		 "  host: 127.0.0.1\n"
		 "  port: %s\n"
		 "  user: root\n"
		 "  password: \"%s\"\n",
		 env_or("DM_UPSTREAM_PORT", "3306"),
		 env_or("DM_UPSTREAM_PASSWORD", ""));
	write_file(path, text);
}

static void write_task_yaml(char *path, size_t len, const char *name,
			    unsigned workers, bool multi_rows,
			    const position *from)
{
	char text[2048];

	snprintf(path, len, "%s/%s.yaml", work, name);
	snprintf(text, sizeof(text),
		 "name: %s\n"
		 "task-mode: incremental\n"
		 "target-database:\n"
		 "  host: 127.0.0.1\n"
		 "  port: %s\n"
		 "  user: root\n"
		 "  password: \"%s\"\n"
		 "mysql-instances:\n"
		 "  - source-id: mysql-01\n"
		 "    block-allow-list: bal\n"
		 "    meta:\n"
		 "      binlog-name: %s\n"
		 "      binlog-pos: %llu\n"
		 "    syncer-config-name: s\n"
		 "block-allow-list:\n"
		 "  bal:\n"
		 "    do-dbs: [\"sbtest\"]\n"
		 "syncers:\n"
		 "  s:\n"
		 "    worker-count: %u\n"
		 "    batch: 100\n"
		 "    multiple-rows: %s\n",
		 name, env_or("DM_DOWNSTREAM_PORT", "3306"),
		 env_or("DM_DOWNSTREAM_PASSWORD", ""), from->file, from->pos,
		 workers, multi_rows ? "true" : "false");
	write_file(path, text);
}

static pid_t start_dm_run(const char *source, const char *task,
			  bool until_caught_up)
{
	char tool[1024];
	char *argv[12];
	int n = 0;

	snprintf(tool, sizeof(tool), "%s/bin/dm-run", build);
	argv[n++] = tool;
	if (getenv("DM_BENCH_SYNC_LOG_LEVEL")) {
		argv[n++] = "--log-level";
		argv[n++] = getenv("DM_BENCH_SYNC_LOG_LEVEL");
	}
	argv[n++] = "--source";
	argv[n++] = (char *)source;
	if (until_caught_up)
		argv[n++] = "--until-caught-up";
	argv[n++] = "--remove-meta";
	argv[n++] = (char *)task;
	argv[n] = NULL;
	return spawn(argv, NULL);
}

static run_result run_dm(const contender *c, const backlog *b)
{
	char source[1100], task[1100], name[64];

	snprintf(name, sizeof(name), "bench_w%u%s", c->workers,
		 c->multi_rows ? "_mr" : "");
	write_source_yaml(source, sizeof(source));
	write_task_yaml(task, sizeof(task), name, c->workers, c->multi_rows,
			&b->start);
	{
		double t0 = now();

		return reap(start_dm_run(source, task, true), t0);
	}
}

/* Slave_SQL_Running and Last_SQL_Error of the downstream. */
static void slave_state(MYSQL *down, char *running, size_t rlen, char *err,
			size_t elen)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	MYSQL_FIELD *f;
	unsigned i, n;

	running[0] = err[0] = 0;
	if (mysql_query(down, "SHOW SLAVE STATUS") != 0 ||
	    !(res = mysql_store_result(down)))
		return;
	if ((row = mysql_fetch_row(res))) {
		n = mysql_num_fields(res);
		f = mysql_fetch_fields(res);
		for (i = 0; i < n; i++) {
			if (!strcmp(f[i].name, "Slave_SQL_Running"))
				snprintf(running, rlen, "%s",
					 row[i] ? row[i] : "");
			if (!strcmp(f[i].name, "Last_SQL_Error") ||
			    (!strcmp(f[i].name, "Last_IO_Error") && !err[0]))
				snprintf(err, elen, "%s", row[i] ? row[i] : "");
		}
	}
	mysql_free_result(res);
}

static void start_native(MYSQL *down, unsigned threads, const position *p)
{
	sqlf(down, true, "STOP SLAVE");
	sqlf(down, true, "RESET SLAVE ALL");
	sqlf(down, false, "SET GLOBAL slave_parallel_threads = %u; "
	     "SET GLOBAL slave_parallel_mode = 'optimistic'", threads);
	sqlf(down, false, "CHANGE MASTER TO MASTER_HOST = '127.0.0.1', "
	     "MASTER_PORT = %s, MASTER_USER = 'root', MASTER_PASSWORD = '%s', "
	     "MASTER_LOG_FILE = '%s', MASTER_LOG_POS = %llu, "
	     "MASTER_USE_GTID = no",
	     env_or("DM_UPSTREAM_PORT", "3306"),
	     env_or("DM_UPSTREAM_PASSWORD", ""), p->file, p->pos);
	sqlf(down, false, "START SLAVE");
}

static void stop_native(MYSQL *down)
{
	sqlf(down, true, "STOP SLAVE");
	sqlf(down, true, "RESET SLAVE ALL");
}

static run_result run_native(MYSQL *down, const contender *c,
			     const backlog *b)
{
	run_result r = { 0, 0, 0, -1 };
	char q[512], v[64], running[16], err[1024];
	double t0, limit = 7200;

	snprintf(q, sizeof(q), "SELECT MASTER_POS_WAIT('%s', %llu, 1)",
		 b->end.file, b->end.pos);
	t0 = now();
	start_native(down, c->workers, &b->start);
	for (;;) {
		if (!sql_value(down, q, v, sizeof(v))) {
			fprintf(stderr, "sync: %s: %s\n", q, mysql_error(down));
			break;
		}
		if (v[0] && strcmp(v, "-1") != 0) {	/* reached */
			r.wall = now() - t0;
			r.status = 0;
			break;
		}
		slave_state(down, running, sizeof(running), err, sizeof(err));
		if (err[0] || (!v[0] && strcmp(running, "Yes") != 0 &&
			       now() - t0 > 5)) {
			fprintf(stderr, "sync: native replication stopped: "
				"%s\n", err[0] ? err : "(no error)");
			r.status = 1;
			break;
		}
		if (!v[0])	/* SQL thread not up yet */
			sleep_s(0.01);
		if (now() - t0 > limit) {
			fprintf(stderr, "sync: native replication did not "
				"finish in %.0f s\n", limit);
			r.status = 1;
			break;
		}
	}
	stop_native(down);
	return r;
}

/* ------------------------------------------------------------------ lag */

typedef struct lag_result {
	bool ran;
	double rate_asked, tps, seconds;
	double p50, p99, max;
	size_t n;
	run_result dm;
	bool ok;
} lag_result;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double percentile(const double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)ceil(p * (double)n);
	return v[i ? i - 1 : 0];
}

/*
 * The split. On a machine this small, the load (sysbench and the upstream
 * server executing it) takes most of the CPU time while a lag is measured,
 * so the replication falls behind at any rate that matters however fast
 * it is: a measure of the machine, not of the replication. With the split,
 * the load runs on one half of the CPUs and the replication under test
 * (the downstream server and dm-run; for native replication the
 * downstream server, whose threads replicate) on the other, and "the
 * maximum rate" that the lag load is half of is measured on that half
 * too, by applying the backlog again so pinned. A replica on a machine of
 * its own is in the same position. The lag is also measured without the
 * split, at the same rate, for comparison.
 */
static void split_init(void)
{
	int i, n = 0, k = 0;

	if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus) != 0)
		return;
	n = CPU_COUNT(&all_cpus);
	CPU_ZERO(&load_cpus);
	CPU_ZERO(&repl_cpus);
	for (i = 0; i < CPU_SETSIZE && n >= 2; i++) {
		if (!CPU_ISSET(i, &all_cpus))
			continue;
		if (k++ < n / 2)
			CPU_SET(i, &load_cpus);
		else
			CPU_SET(i, &repl_cpus);
	}
	split = n >= 2 && env_num("DM_BENCH_SYNC_SPLIT", 1) != 0;
}

static void cpus_text(const cpu_set_t *set, char *out, size_t len)
{
	size_t at = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < CPU_SETSIZE && at + 8 < len; i++)
		if (CPU_ISSET(i, set))
			at += (size_t)snprintf(out + at, len - at, "%s%d",
					       at ? "," : "", i);
}

/* Every thread of pid onto `set`; threads it starts later inherit. */
static void pin_process(pid_t pid, const cpu_set_t *set)
{
	char path[64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "sync: cannot pin %ld: %s\n", (long)pid,
			strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		pid_t tid = (pid_t)atol(de->d_name);

		if (tid > 0 && sched_setaffinity(tid, sizeof(*set), set) != 0)
			fprintf(stderr, "sync: cannot pin thread %ld: %s\n",
				(long)tid, strerror(errno));
	}
	closedir(d);
}

/* The pid of sandbox server `name` (u1, d). */
static pid_t server_pid(const char *name)
{
	char path[1100], text[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/pid", getenv("DM_SANDBOX_DIR"),
		 name);
	f = fopen(path, "r");
	if (!f || !fgets(text, sizeof(text), f)) {
		fprintf(stderr, "sync: cannot read %s\n", path);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	return (pid_t)atol(text);
}

/* on: the upstream and this process to the load's CPUs, the downstream to
 * the replication's; off: everything everywhere again. */
static void pin_servers(bool on)
{
	pid_t u = server_pid("u1"), d = server_pid("d");

	self_cpus = on ? &load_cpus : &all_cpus;
	sched_setaffinity(0, sizeof(cpu_set_t), self_cpus);
	if (u > 0)
		pin_process(u, on ? &load_cpus : &all_cpus);
	if (d > 0)
		pin_process(d, on ? &repl_cpus : &all_cpus);
}

/* Lag of dm-run (worker-count lag_workers) or, `native`, of native replication
 * with 4 threads, from the upstream's current position; the downstream
 * must hold what the upstream holds. `pinned`: with the split (the
 * servers are pinned by the caller). */
static void measure_lag(MYSQL *up, MYSQL *down, double rate_tx,
			unsigned seconds, bool native, bool pinned,
			lag_result *lr)
{
	static double written[LAG_MAX_BEATS], lag[LAG_MAX_BEATS];
	char source[1100], task[1100], rate[64], time_opt[64], out[1100];
	char *argv[24], port[32], ntab[32], size[32], v[64], poll[128];
	char threads[32];
	unsigned id = native ? 2 : 1;
	char sums[64 * MAX_TABLES];
	unsigned long long seq = 0, seen = 0, trx;
	double t0, next_beat, warm, bench_end = 0, deadline;
	pid_t dm = -1, sb;
	position from;
	int n = 0;
	size_t i;

	memset(lr, 0, sizeof(*lr));
	lr->ran = true;
	lr->rate_asked = rate_tx;
	lr->seconds = seconds;
	from = master_status(up);
	/* A row of its own for each run: the downstream still shows the
	 * last one's. */
	sqlf(up, false, "CREATE TABLE IF NOT EXISTS sbtest.dmbench_heartbeat "
	     "(id INT PRIMARY KEY, seq BIGINT NOT NULL); "
	     "INSERT INTO sbtest.dmbench_heartbeat VALUES (%u, 0)", id);
	snprintf(poll, sizeof(poll), "SELECT seq FROM sbtest.dmbench_heartbeat "
		 "WHERE id = %u", id);
	write_source_yaml(source, sizeof(source));
	write_task_yaml(task, sizeof(task), "bench_lag", lag_workers,
			lag_multi_rows, &from);

	snprintf(port, sizeof(port), "--mysql-port=%s",
		 env_or("DM_UPSTREAM_PORT", "3306"));
	snprintf(ntab, sizeof(ntab), "--tables=%u", tables);
	snprintf(size, sizeof(size), "--table-size=%u", table_size);
	snprintf(rate, sizeof(rate), "--rate=%.0f", rate_tx < 1 ? 1 : rate_tx);
	snprintf(time_opt, sizeof(time_opt), "--time=%u", seconds);
	snprintf(threads, sizeof(threads), "--threads=%llu",
		 env_num("DM_BENCH_SYNC_LAG_THREADS", 4));
	snprintf(out, sizeof(out), "%s/sysbench-lag.out", work);
	argv[n++] = "sysbench";
	argv[n++] = "oltp_write_only";
	argv[n++] = "--db-driver=mysql";
	argv[n++] = "--mysql-host=127.0.0.1";
	argv[n++] = port;
	argv[n++] = "--mysql-user=dmbench";
	argv[n++] = "--mysql-db=sbtest";
	argv[n++] = ntab;
	argv[n++] = size;
	argv[n++] = threads;
	argv[n++] = rate;
	argv[n++] = time_opt;
	argv[n++] = "--events=0";
	argv[n++] = "run";
	argv[n] = NULL;

	t0 = now();
	if (native) {
		start_native(down, 4, &from);
	} else {
		spawn_cpus = pinned ? &repl_cpus : NULL;
		dm = start_dm_run(source, task, false);
	}
	/* The heartbeat row is downstream: replication runs. */
	deadline = t0 + 60;
	while (now() < deadline &&
	       !(sql_value(down, poll, v, sizeof(v)) && v[0]))
		sleep_s(0.05);
	spawn_cpus = pinned ? &load_cpus : NULL;
	sb = spawn(argv, out);
	spawn_cpus = NULL;
	warm = now() + 3;	/* steady state after the first seconds */
	next_beat = now();
	deadline = now() + seconds + 120;
	for (;;) {
		double t = now();

		if (!bench_end && sb > 0 && waitpid(sb, NULL, WNOHANG) == sb) {
			sb = -1;
			bench_end = t;
			next_beat = t;	/* one more, after sysbench's last */
		}
		if (t >= next_beat && seq + 1 < LAG_MAX_BEATS) {
			sqlf(up, false, "UPDATE sbtest.dmbench_heartbeat "
			     "SET seq = %llu WHERE id = %u", seq + 1, id);
			written[++seq] = now();
			/* Every 100 ms, without a burst after a stall. */
			next_beat = bench_end ? 1e300 :
				    next_beat + 0.1 < t ? t + 0.1 :
				    next_beat + 0.1;
		}
		if (sql_value(down, poll, v, sizeof(v)) && v[0]) {
			unsigned long long s = strtoull(v, NULL, 10);

			t = now();
			for (; seen < s && seen < seq; seen++)
				lag[seen + 1] = t - written[seen + 1];
		}
		if (bench_end && seen >= seq)
			break;
		if (t > deadline) {
			fprintf(stderr, "sync: lag: heartbeat %llu of %llu "
				"seen when giving up\n", seen, seq);
			break;
		}
		sleep_s(0.01);
	}
	if (sb > 0) {
		waitpid(sb, NULL, 0);
		bench_end = now();
	}
	if (native) {
		stop_native(down);
	} else {
		kill(dm, SIGTERM);
		lr->dm = reap(dm, t0);
	}
	lr->tps = sysbench_tps(out, &trx);
	/* The course of the lag, one heartbeat a second, for the log. */
	fprintf(stderr, "sync: %s lag by second:", native ? "native" :
		"dm-run");
	for (i = 1; i <= seen; i += 10)
		fprintf(stderr, " %.2f", lag[i]);
	fprintf(stderr, "\n");
	/* Heartbeats written in steady state, while sysbench ran. */
	for (i = 1; i <= seen; i++)
		if (written[i] >= warm && written[i] <= bench_end)
			lag[lr->n++] = lag[i];
	qsort(lag, lr->n, sizeof(double), cmp_double);
	lr->p50 = percentile(lag, lr->n, 0.50);
	lr->p99 = percentile(lag, lr->n, 0.99);
	lr->max = lr->n ? lag[lr->n - 1] : 0;
	/* Everything sysbench wrote is downstream, as is the heartbeat
	 * written after it: the tables must be equal. */
	checksums(up, sums, sizeof(sums));
	{
		char dsums[64 * MAX_TABLES];

		checksums(down, dsums, sizeof(dsums));
		lr->ok = seen >= seq && strcmp(sums, dsums) == 0;
	}
}

/* ---------------------------------------------------------------- main */

static void print_lag(const char *name, const lag_result *lr)
{
	printf("  %-30s %.0f transactions/s done, %zu heartbeats: p50 %.3f s, "
	       "p99 %.3f s, max %.3f s", name, lr->tps, lr->n, lr->p50,
	       lr->p99, lr->max);
	if (lr->dm.rss_kb)
		printf("; peak RSS %.1f MB, exit %d", lr->dm.rss_kb / 1024.0,
		       lr->dm.status);
	printf("; %s\n", lr->ok ? "checksums equal" : "CHECKSUMS DIFFER");
}

static void print_row(const contender *c, unsigned long long events,
		      double native1, double nativep)
{
	double w = c->r.wall;
	char rss[32];

	if (c->native)
		snprintf(rss, sizeof(rss), "%7s", "-");
	else
		snprintf(rss, sizeof(rss), "%7.1f", c->r.rss_kb / 1024.0);
	printf("%-36s %8.2f %10.0f %9.2fx %9.2fx %8.2f %s  %s\n", c->name, w,
	       w > 0 ? events / w : 0, w > 0 ? native1 / w : 0,
	       w > 0 ? nativep / w : 0, c->native ? 0 : c->r.cpu, rss,
	       c->r.status != 0 ? "FAILED" : c->ok ? "ok" : "WRONG DATA");
}

int main(void)
{
	unsigned long long want = env_num("DM_BENCH_SYNC_EVENTS", 500000);
	unsigned lag_seconds = (unsigned)env_num("DM_BENCH_SYNC_LAG_SECONDS",
						 20);
	contender cs[] = {
		{ "native, slave_parallel_threads=0", 0, true, false,
		  { 0, 0, 0, -1 }, false },
		{ "native, 4 threads optimistic", 4, true, false,
		  { 0, 0, 0, -1 }, false },
		{ "dm-run worker-count 1", 1, false, false,
		  { 0, 0, 0, -1 }, false },
		{ "dm-run worker-count 4", 4, false, false,
		  { 0, 0, 0, -1 }, false },
		{ "dm-run worker-count 16", 16, false, false,
		  { 0, 0, 0, -1 }, false },
		{ "dm-run worker-count 16 multiple-rows", 16, false, true,
		  { 0, 0, 0, -1 }, false },
	};
	size_t nc = sizeof(cs) / sizeof(cs[0]), i;
	const char *dir = getenv("DM_SANDBOX_DIR");
	backlog b;
	lag_result lr, nlr, slr;
	char lname[64];
	MYSQL *up, *down;
	char tool[1024], sums[64 * MAX_TABLES];
	double native1, nativep, best = 0, best_rate = 0, best_rss = 0;
	double lag_rate, lag_max, load[1];
	const contender *bestc = NULL;
	long max_rss = 0;

	build = env_or("DM_BUILD_DIR", "build/release");
	tables = (unsigned)env_num("DM_BENCH_SYNC_TABLES", 4);
	table_size = (unsigned)env_num("DM_BENCH_SYNC_TABLE_SIZE", 25000);
	durable = env_num("DM_BENCH_SYNC_DURABLE", 1) != 0;
	/* 0: the worker-count of the fastest dm-run on the backlog. */
	lag_workers = (unsigned)env_num("DM_BENCH_SYNC_LAG_WORKERS", 0);
	lag_multi_rows = env_num("DM_BENCH_SYNC_LAG_MULTI_ROWS", 0) != 0;
	split_init();
	if (tables < 1 || tables > MAX_TABLES)
		tables = 4;
	snprintf(tool, sizeof(tool), "%s/bin/dm-run", build);
	if (access(tool, X_OK) != 0) {
		fprintf(stderr, "sync: %s is missing (make tools)\n", tool);
		return 1;
	}
	if (!dir || !getenv("DM_UPSTREAM_PORT") ||
	    !getenv("DM_DOWNSTREAM_PORT")) {
		fprintf(stderr, "sync: run through `make bench` (needs the "
				"sandbox's upstream and downstream)\n");
		return 1;
	}
	snprintf(work, sizeof(work), "%s/bench-sync", dir);
	if (mkdir(work, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "sync: mkdir %s: %s\n", work, strerror(errno));
		return 1;
	}
	if (mysql_library_init(0, NULL, NULL))
		return 1;
	up = connect_to("UPSTREAM");
	down = connect_to("DOWNSTREAM");
	/* The upstream only makes the backlog (and the live load): fast.
	 * The downstream is the replica every contender writes to, alike
	 * for all of them: durable unless asked otherwise. */
	sqlf(up, false, "SET GLOBAL innodb_flush_log_at_trx_commit = 0;"
	     " SET GLOBAL sync_binlog = 0");
	if (!durable)
		sqlf(down, false, "SET GLOBAL innodb_flush_log_at_trx_commit "
		     "= 0");
	sqlf(up, true, "SET GLOBAL innodb_buffer_pool_size = 512 * "
	     "1024 * 1024");
	sqlf(down, true, "SET GLOBAL innodb_buffer_pool_size = 512 * "
	     "1024 * 1024");

	memset(&b, 0, sizeof(b));
	generate(up, down, want, &b);
	printf("backlog: %llu rows events (%llu rows) in %llu transactions "
	       "(oltp_insert %llu, oltp_write_only %llu), %.1f MB of binlog, "
	       "%s:%llu to %s:%llu; %u tables of %u rows at the start\n",
	       b.rows_events, b.rows, b.trx, b.ins_trx, b.wo_trx,
	       b.bytes / 1e6, b.start.file, b.start.pos, b.end.file,
	       b.end.pos, tables, table_size);
	if (b.rows_events < want)
		printf("warning: fewer rows events than the %llu wanted\n",
		       want);
	printf("servers: upstream innodb_flush_log_at_trx_commit=0, "
	       "downstream %s; load average %.1f\n",
	       durable ? "innodb_flush_log_at_trx_commit=1 (durable, the "
			 "server's default)" :
			 "innodb_flush_log_at_trx_commit=0",
	       getloadavg(load, 1) == 1 ? load[0] : -1.0);
	fflush(stdout);

	for (i = 0; i < nc; i++) {
		contender *c = &cs[i];

		reset_downstream(down);
		fprintf(stderr, "sync: %s ...\n", c->name);
		c->r = c->native ? run_native(down, c, &b) : run_dm(c, &b);
		checksums(down, sums, sizeof(sums));
		c->ok = strcmp(sums, b.sums) == 0;
		fprintf(stderr, "sync: %s: %.2f s, status %d, %s\n", c->name,
			c->r.wall, c->r.status, c->ok ? "checksums equal" :
			"CHECKSUMS DIFFER");
		if (!c->ok)
			fprintf(stderr, "sync:   upstream   %s\n"
				"sync:   downstream %s\n", b.sums, sums);
	}
	native1 = cs[0].r.status == 0 && cs[0].ok ? cs[0].r.wall : 0;
	nativep = cs[1].r.status == 0 && cs[1].ok ? cs[1].r.wall : 0;
	for (i = 0; i < nc; i++) {
		const contender *c = &cs[i];

		if (c->native)
			continue;
		if (c->r.rss_kb > max_rss)
			max_rss = c->r.rss_kb;
		if (c->r.status == 0 && c->ok &&
		    (!bestc || c->r.wall < bestc->r.wall))
			bestc = c;
	}
	if (bestc) {
		best = bestc->r.wall;
		best_rate = b.rows_events / best;
		best_rss = bestc->r.rss_kb / 1024.0;
		if (!lag_workers) {
			lag_workers = bestc->workers;
			lag_multi_rows = bestc->multi_rows;
		}
	}
	if (!lag_workers)
		lag_workers = 16;

	printf("\n%-36s %8s %10s %10s %10s %8s %7s  %s\n", "contender",
	       "wall s", "events/s", "vs native", "vs native", "cpu s",
	       "RSS MB", "result");
	printf("%-36s %8s %10s %10s %10s %8s %7s\n", "", "", "", "1 thread",
	       "parallel", "", "");
	for (i = 0; i < nc; i++)
		print_row(&cs[i], b.rows_events, native1, nativep);

	memset(&lr, 0, sizeof(lr));
	memset(&nlr, 0, sizeof(nlr));
	memset(&slr, 0, sizeof(slr));
	lag_max = best_rate;
	if (lag_seconds > 0 && bestc && !cs[nc - 1].ok) {
		printf("\nlag not measured: the downstream is not in the "
		       "backlog's end state\n");
	} else if (lag_seconds > 0 && bestc) {
		snprintf(lname, sizeof(lname), "dm-run worker-count %u%s",
			 lag_workers, lag_multi_rows ? " multiple-rows" : "");
		if (split) {
			/* The maximum rate on the replication's CPUs. */
			contender pc = { lname, lag_workers, false,
					 lag_multi_rows, { 0, 0, 0, -1 },
					 false };
			char lc[256], rc[256];

			cpus_text(&load_cpus, lc, sizeof(lc));
			cpus_text(&repl_cpus, rc, sizeof(rc));
			reset_downstream(down);
			pin_servers(true);
			fprintf(stderr, "sync: %s, split ...\n", lname);
			spawn_cpus = &repl_cpus;
			pc.r = run_dm(&pc, &b);
			spawn_cpus = NULL;
			checksums(down, sums, sizeof(sums));
			pc.ok = strcmp(sums, b.sums) == 0;
			if (pc.r.rss_kb > max_rss)
				max_rss = pc.r.rss_kb;
			printf("\nsplit: the load (upstream server, sysbench) "
			       "on CPU %s, the replication (downstream server, "
			       "dm-run) on CPU %s\n", lc, rc);
			printf("%s on the backlog, split: %.2f s, %.0f "
			       "events/s, peak RSS %.1f MB, %s\n", lname,
			       pc.r.wall, pc.r.wall > 0 ?
			       b.rows_events / pc.r.wall : 0,
			       pc.r.rss_kb / 1024.0,
			       pc.r.status != 0 ? "FAILED" :
			       pc.ok ? "ok" : "WRONG DATA");
			if (pc.r.status == 0 && pc.ok) {
				lag_max = b.rows_events / pc.r.wall;
			} else {
				printf("the split run failed: the lag is "
				       "measured without the split\n");
				pin_servers(false);
				split = false;
			}
		}
		if (getenv("DM_BENCH_SYNC_LAG_RATE"))
			lag_rate = (double)env_num("DM_BENCH_SYNC_LAG_RATE",
						   0);
		else	/* in oltp_write_only transactions */
			lag_rate = lag_max / 2 / 4;
		fprintf(stderr, "sync: lag at %.0f transactions/s for %u s "
			"...\n", lag_rate, lag_seconds);
		measure_lag(up, down, lag_rate, lag_seconds, false, split,
			    &lr);
		if (lr.dm.rss_kb > max_rss)
			max_rss = lr.dm.rss_kb;
		printf("\nlag under sysbench oltp_write_only --rate=%.0f "
		       "(%.0f rows events/s, half the maximum rate%s) for %u "
		       "s, from heartbeats written after the first 3 s:\n",
		       lag_rate, lag_rate * 4, split ? " split" : "",
		       lag_seconds);
		print_lag(split ? "dm-run, split" : lname, &lr);
		/* The same load on native replication. */
		if (lr.ok) {
			measure_lag(up, down, lag_rate, lag_seconds, true,
				    split, &nlr);
			print_lag(split ? "native 4 threads optimistic, split"
					: "native, 4 threads optimistic",
				  &nlr);
		}
		/* And dm-run on the same load with the CPUs shared. */
		if (split) {
			pin_servers(false);
			if (lr.ok && nlr.ok) {
				measure_lag(up, down, lag_rate, lag_seconds,
					    false, false, &slr);
				if (slr.dm.rss_kb > max_rss)
					max_rss = slr.dm.rss_kb;
				print_lag("dm-run, CPUs shared", &slr);
			}
		}
	}

	printf("\nload average at the end: %.1f (machine cores: %ld)\n",
	       getloadavg(load, 1) == 1 ? load[0] : -1.0,
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("\ntargets (best dm-run: %s):\n", bestc ? bestc->name : "none");
	printf("  >= 1.5x native single-threaded: %.2fx  %s\n",
	       best > 0 && native1 > 0 ? native1 / best : 0,
	       best > 0 && native1 > 0 && native1 / best >= 1.5 ? "met" :
	       "NOT MET");
	printf("  >= 1.0x native parallel:        %.2fx  %s\n",
	       best > 0 && nativep > 0 ? nativep / best : 0,
	       best > 0 && nativep > 0 && nativep / best >= 1.0 ? "met" :
	       "NOT MET");
	printf("  peak RSS < 256 MB:              %.1f MB (largest of all "
	       "dm-run runs; best %.1f MB)  %s\n", max_rss / 1024.0,
	       best_rss, max_rss > 0 && max_rss < 256 * 1024 ? "met" :
	       "NOT MET");
	if (lr.ran)
		printf("  lag p99 < 1 s at half rate:     %.3f s (%s; the load "
		       "did %.0f of the %.0f transactions/s asked)  %s\n",
		       lr.p99, split ? "split" : "CPUs shared", lr.tps,
		       lr.rate_asked,
		       lr.n > 0 && lr.ok && lr.p99 < 1.0 ? "met" : "NOT MET");
	else
		printf("  lag p99 < 1 s at half rate:     not measured\n");
	mysql_close(up);
	mysql_close(down);
	mysql_library_end();
	return 0;
}
