/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The replication tests' shared helpers; see kit.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

MYSQL *kit_up, *kit_down;
const char *kit_dir = ".";
const char *kit_sb_cfg = "";
unsigned kit_hang_guard_s = 240;

/* Children started and not yet reaped: a failing test leaves some
 * running, the teardown ends them (only these, by pid). */
#define MAX_CHILDREN 16
static pid_t children[MAX_CHILDREN];

/* $DM_BUILD_DIR/bin/<tool> (build/release by default), in buf. */
static const char *tool_path(char *buf, size_t cap, const char *tool)
{
	const char *b = getenv("DM_BUILD_DIR");

	snprintf(buf, cap, "%s/bin/%s", b && *b ? b : "build/release", tool);
	return buf;
}

const char *dm_run_path(void)
{
	static char path[1024];

	return tool_path(path, sizeof(path), "dm-run");
}

const char *dm_binlog_path(void)
{
	static char path[1024];

	return tool_path(path, sizeof(path), "dm-binlog");
}

void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

char *slurp(const char *path)
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

int write_file(const char *path, const char *fmt, ...)
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

void path_in(char *out, size_t cap, const char *name)
{
	if ((size_t)snprintf(out, cap, "%s/%s", kit_dir, name) >= cap)
		abort();
}

static char *vvalue(MYSQL *m, const char *fmt, va_list ap)
{
	char sql[2048];
	char *v;

	vsnprintf(sql, sizeof(sql), fmt, ap);
	v = sandbox_query_value(m, sql, NULL);
	if (!v && mysql_errno(m))
		fail_msg("%s: %s", sql, mysql_error(m));
	return v;
}

char *value(MYSQL *m, const char *fmt, ...)
{
	va_list ap;
	char *v;

	va_start(ap, fmt);
	v = vvalue(m, fmt, ap);
	va_end(ap);
	return v;
}

long long value_ll(MYSQL *m, const char *fmt, ...)
{
	va_list ap;
	char *v;
	long long n;

	va_start(ap, fmt);
	v = vvalue(m, fmt, ap);
	va_end(ap);
	n = v ? strtoll(v, NULL, 10) : -1;
	free(v);
	return n;
}

/* The upstream's current binlog file and position. */
void master_pos(char *file, size_t cap, unsigned long long *pos)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	assert_int_equal(mysql_query(kit_up, "SHOW MASTER STATUS"), 0);
	r = mysql_store_result(kit_up);
	assert_non_null(r);
	row = mysql_fetch_row(r);
	assert_non_null(row);
	snprintf(file, cap, "%s", row[0]);
	*pos = strtoull(row[1], NULL, 10);
	mysql_free_result(r);
}

void child_add(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (children[i] == 0) {
			children[i] = pid;
			return;
		}
}

void child_gone(pid_t pid)
{
	int i;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (children[i] == pid)
			children[i] = 0;
}

void children_kill(void)
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
pid_t spawn(char *const argv[], const char *out_path)
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
 * running after kit_hang_guard_s is killed and the test fails. */
int wait_child(pid_t pid)
{
	unsigned i;
	int st;

	for (i = 0; i < kit_hang_guard_s * 20; i++) {
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
		 kit_hang_guard_s);
	return -1;
}

/* dm-run --source SRC --log-level info --log-file LOG [opts...] TASK,
 * started in the background; its output goes to OUT. */
pid_t dmrun_start(const char *src, const char *task, const char *log,
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

void show_file(const char *what, const char *path)
{
	char *s = slurp(path);
	size_t n = s ? strlen(s) : 0;

	print_message("---- %s (%s), last part:\n%s\n", what, path,
		      s ? s + (n > 6000 ? n - 6000 : 0) : "(none)");
	free(s);
}

/* Runs dm-run to its end and asserts exit status 0. */
void dmrun(const char *src, const char *task, const char *log,
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
void dmrun_term(pid_t pid, const char *log, const char *out)
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
pid_t sysbench_start(const char *db, const char *test,
			    const char *mode, int tables, int size, int secs,
			    const char *out)
{
	char cfg[400], t[32], s[32], tm[32], dbo[160];
	char *argv[] = { "sysbench", cfg, dbo, t, s, tm, "--threads=4",
			 "--report-interval=0", (char *)test, (char *)mode,
			 NULL };

	snprintf(cfg, sizeof(cfg), "--config-file=%s", kit_sb_cfg);
	snprintf(dbo, sizeof(dbo), "--mysql-db=%s", db);
	snprintf(t, sizeof(t), "--tables=%d", tables);
	snprintf(s, sizeof(s), "--table-size=%d", size);
	snprintf(tm, sizeof(tm), "--time=%d", secs);
	return spawn(argv, out);
}

void sysbench(const char *db, const char *test, const char *mode,
		     int tables, int size, int secs, const char *out)
{
	int st = wait_child(sysbench_start(db, test, mode, tables, size, secs,
					   out));

	if (st != 0) {
		show_file("sysbench output", out);
		fail_msg("sysbench %s %s exited %d", test, mode, st);
	}
}

char **rows_of(MYSQL *m, const char *sql, size_t *n)
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

void rows_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Differences between two sorted lists of lines: 0 when equal; else
 * prints the first few and returns their count (at least 1). */
size_t diff_lists(const char *what, char **a, size_t na, char **b,
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
void row_query(char *sql, size_t cap, const char *from,
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
	cols = value(kit_down, "%s", q);
	if (!cols)
		fail_msg("downstream table %s.%s has no columns", dschema,
			 dtable);
	snprintf(sql, cap, "SELECT CONCAT(%s) AS r FROM %s ORDER BY r", cols,
		 from);
	free(cols);
}

/* Rows of upstream `up_from` (a table or a derived table) against the
 * downstream table; the number of differences. */
size_t compare_rows(const char *up_from, const char *dschema,
			   const char *dtable)
{
	static char sql[65536];
	char dfrom[300], what[700];
	char **a, **b;
	size_t na, nb, nd;

	row_query(sql, sizeof(sql), up_from, dschema, dtable);
	a = rows_of(kit_up, sql, &na);
	snprintf(dfrom, sizeof(dfrom), "`%s`.`%s`", dschema, dtable);
	row_query(sql, sizeof(sql), dfrom, dschema, dtable);
	b = rows_of(kit_down, sql, &nb);
	snprintf(what, sizeof(what), "%s vs %s", up_from, dfrom);
	nd = diff_lists(what, a, na, b, nb);
	rows_free(a, na);
	rows_free(b, nb);
	return nd;
}

char **list_of(MYSQL *m, size_t *n, const char *fmt, ...)
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
size_t compare_db(const char *db)
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

	a = list_of(kit_up, &na, tables_sql, db);
	b = list_of(kit_down, &nb, tables_sql, db);
	snprintf(what, sizeof(what), "tables of %s", db);
	nd = diff_lists(what, a, na, b, nb);
	ca = list_of(kit_up, &nca, cols_sql, db);
	cb = list_of(kit_down, &ncb, cols_sql, db);
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
void assert_dbs_equal(const char *prefix)
{
	static const char sql[] =
		"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
		"SCHEMA_NAME LIKE '%s%%' ORDER BY SCHEMA_NAME";
	char **a, **b;
	size_t na, nb, i, nd;

	a = list_of(kit_up, &na, sql, prefix);
	b = list_of(kit_down, &nb, sql, prefix);
	nd = diff_lists("databases", a, na, b, nb);
	assert_true(na > 0);
	for (i = 0; nd == 0 && i < na; i++)
		nd += compare_db(a[i]);
	rows_free(a, na);
	rows_free(b, nb);
	assert_int_equal(nd, 0);
}

void assert_file_lacks(const char *path, const char *needle)
{
	char *s = slurp(path);

	if (s && strstr(s, needle)) {
		show_file("file", path);
		free(s);
		fail_msg("%s contains \"%s\"", path, needle);
	}
	free(s);
}

