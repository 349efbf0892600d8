/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run's status and control server (--status-addr) against the sandbox
 * upstream and downstream, through plain HTTP/1.1 on a loopback socket:
 *
 *   - the task status in DM's OpenAPI shape and the /metrics text while
 *     rows replicate;
 *   - pause: stage Paused, nothing applied while the upstream writes on;
 *     resume: caught up again; the stage errors DM gives (40050, 40051);
 *   - a DDL the downstream rejects (a unique key over rows that a
 *     downstream-only row duplicates): the unit is Paused with the error
 *     and the process stays up; operate-schema GET and PUT while paused;
 *     handle-error skip, then resume goes past it;
 *   - a second rejected DDL replaced with handle-error replace (at the
 *     position the error names), then resume;
 *   - at the end every row is equal upstream and downstream (but for the
 *     downstream-only row), and SIGTERM ends dm-run with status 0.
 *
 * dm-run is found in $DM_BUILD_DIR/bin (default build/release/bin).
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-dmrun_control
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

#define TASK "dmtest_ctl_task"
#define META_SCHEMA "dmtest_ctl_meta"
#define SOURCE_ID "dmtest-ctl-01"
#define DB_A "dmtest_ctl_a"
#define DB_B "dmtest_ctl_b"
#define WAIT_S 90

static sandbox_server up, down;
static MYSQL *um, *dm;
static char dir[256], src_yaml[300], task_yaml[300], log_path[300],
	out_path[300];
static unsigned port;
static pid_t child;

/* ------------------------------------------------------------ helpers */

static void ctl_show_file(const char *what, const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[8192];
	size_t n;
	long size;

	if (!f) {
		print_message("---- %s (%s): none\n", what, path);
		return;
	}
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size > (long)sizeof(buf) - 1 ? size - (long)sizeof(buf) + 1
					       : 0,
	      SEEK_SET);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	print_message("---- %s (%s), last part:\n%s\n", what, path, buf);
}

static char *ctl_value(MYSQL *m, const char *sql)
{
	char *v = sandbox_query_value(m, sql, NULL);

	if (!v && mysql_errno(m))
		fail_msg("%s: %s", sql, mysql_error(m));
	return v;
}

/* A free loopback port (the kernel's pick, released again). */
static unsigned free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned p;

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	p = ntohs(a.sin_port);
	close(fd);
	return p;
}

/* ------------------------------------------------------------- HTTP */

typedef struct http_reply {
	int status;     /* 0: no answer */
	char *body;     /* malloc'd, NUL-terminated */
} http_reply;

/* One request on a new connection ("Connection: close"); the reply is
 * read to the end. */
static http_reply http(const char *method, const char *path,
		       const char *body)
{
	http_reply r = { 0, NULL };
	struct sockaddr_in a;
	char head[1024];
	char *buf = NULL, *sep;
	size_t len = 0, cap = 0, blen = body ? strlen(body) : 0;
	int fd, n;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return r;
	}
	n = snprintf(head, sizeof(head),
		     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
		     "Connection: close\r\nContent-Type: application/json\r\n"
		     "Content-Length: %zu\r\n\r\n",
		     method, path, port, blen);
	assert_true(n > 0 && (size_t)n < sizeof(head));
	assert_int_equal(write(fd, head, (size_t)n), n);
	if (blen)
		assert_int_equal(write(fd, body, blen), (ssize_t)blen);
	for (;;) {
		ssize_t got;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = read(fd, buf + len, cap - len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	if (!buf)
		return r;
	buf[len] = '\0';
	if (sscanf(buf, "HTTP/1.%*d %d", &r.status) != 1)
		r.status = 0;
	sep = strstr(buf, "\r\n\r\n");
	r.body = strdup(sep ? sep + 4 : "");
	free(buf);
	return r;
}

/* The request must answer `status`; its body is returned (free it). */
static char *call(int status, const char *method, const char *path,
		  const char *body)
{
	http_reply r = http(method, path, body);

	if (r.status != status) {
		ctl_show_file("dm-run log", log_path);
		fail_msg("%s %s: status %d, expected %d; body: %s", method,
			 path, r.status, status, r.body ? r.body : "(none)");
	}
	return r.body;
}

static void assert_has(const char *text, const char *needle)
{
	if (!text || !strstr(text, needle))
		fail_msg("\"%s\" not in: %s", needle, text ? text : "(null)");
}

/* The stage of the first unit in the task status. */
static void stage_of(char *out, size_t cap)
{
	char *b = call(200, "GET", "/api/v1/tasks/" TASK "/status", NULL);
	const char *p = strstr(b, "\"stage\":\"");

	out[0] = '\0';
	if (p) {
		p += 9;
		snprintf(out, cap, "%.*s", (int)strcspn(p, "\""), p);
	}
	free(b);
}

static void wait_stage(const char *want)
{
	char st[32] = "";
	int i;

	for (i = 0; i < WAIT_S * 10; i++) {
		stage_of(st, sizeof(st));
		if (strcmp(st, want) == 0)
			return;
		sleep_ms(100);
	}
	ctl_show_file("dm-run log", log_path);
	fail_msg("stage %s, expected %s after %d s", st, want, WAIT_S);
}

/* Waits until the downstream query gives the value of the upstream one. */
static void wait_equal(const char *up_sql, const char *down_sql)
{
	long long a = -2, b = -3;
	int i;

	for (i = 0; i < WAIT_S * 10; i++) {
		a = value_ll(um, "%s", up_sql);
		b = value_ll(dm, "%s", down_sql);
		if (a == b)
			return;
		sleep_ms(100);
	}
	ctl_show_file("dm-run log", log_path);
	fail_msg("upstream %lld, downstream %lld after %d s (%s)", a, b,
		 WAIT_S, down_sql);
}

/* -------------------------------------------------------- processes */

static void ctl_dmrun_start(void)
{
	char addr[64];
	char *argv[] = { (char *)dm_run_path(), "--source", src_yaml,
			 "--log-level", "info", "--log-file", log_path,
			 "--status-addr", addr, task_yaml, NULL };
	http_reply r;
	int i;

	port = free_port();
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
	child = fork();
	if (child == 0) {
		int fd = open(out_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int null = open("/dev/null", O_RDONLY);

		if (fd < 0 || null < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0 ||
		    dup2(null, 0) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	assert_true(child > 0);
	for (i = 0; i < 200; i++) {
		r = http("GET", "/api/v1/tasks/" TASK "/status", NULL);
		free(r.body);
		if (r.status == 200)
			return;
		sleep_ms(50);
	}
	ctl_show_file("dm-run output", out_path);
	fail_msg("dm-run's status server did not answer on port %u", port);
}

/* SIGTERM: dm-run must end with status 0. */
static void ctl_dmrun_term(void)
{
	int st = -1, i;

	assert_int_equal(kill(child, SIGTERM), 0);
	for (i = 0; i < WAIT_S * 20; i++) {
		if (waitpid(child, &st, WNOHANG) == child)
			break;
		sleep_ms(50);
	}
	if (i == WAIT_S * 20) {
		kill(child, SIGKILL);
		waitpid(child, &st, 0);
	}
	child = 0;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		ctl_show_file("dm-run output", out_path);
		ctl_show_file("dm-run log", log_path);
		fail_msg("dm-run stopped by SIGTERM: status 0x%x", st);
	}
}

/* -------------------------------------------------------------- setup */

static void drop_all(void)
{
	MYSQL *m[2] = { um, dm };
	int s;

	sandbox_exec(um, "SET SESSION sql_log_bin = 0");
	for (s = 0; s < 2; s++)
		sandbox_exec(m[s],
			     "DROP DATABASE IF EXISTS " DB_A ";"
			     "DROP DATABASE IF EXISTS " DB_B ";"
			     "DROP DATABASE IF EXISTS " META_SCHEMA);
	sandbox_exec(um, "SET SESSION sql_log_bin = 1");
}

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
	snprintf(dir, sizeof(dir), "%s/dmrun-control.XXXXXX",
		 t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(src_yaml, sizeof(src_yaml), "%s/source.yaml", dir);
	snprintf(task_yaml, sizeof(task_yaml), "%s/task.yaml", dir);
	snprintf(log_path, sizeof(log_path), "%s/dm-run.log", dir);
	snprintf(out_path, sizeof(out_path), "%s/dm-run.out", dir);
	drop_all();
	return write_file(src_yaml,
			  "source-id: \"" SOURCE_ID "\"\n"
			  "enable-gtid: false\n"
			  "from:\n"
			  "  host: \"%s\"\n"
			  "  port: %u\n"
			  "  user: \"%s\"\n"
			  "  password: \"%s\"\n",
			  up.host, up.port, up.user, up.password);
}

static int group_teardown(void **state)
{
	char cmd[400];

	(void)state;
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	drop_all();
	mysql_close(um);
	mysql_close(dm);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (getenv("DM_KEEP_TEST_DIR") == NULL && system(cmd) != 0)
		return -1;
	return 0;
}

/* The task, starting at the upstream's current position. */
static void write_task(void)
{
	MYSQL_RES *r;
	MYSQL_ROW row;

	assert_int_equal(mysql_query(um, "SHOW MASTER STATUS"), 0);
	r = mysql_store_result(um);
	assert_non_null(r);
	row = mysql_fetch_row(r);
	assert_non_null(row);
	assert_int_equal(
		write_file(task_yaml,
			   "name: \"" TASK "\"\n"
			   "task-mode: incremental\n"
			   "meta-schema: \"" META_SCHEMA "\"\n"
			   "target-database:\n"
			   "  host: \"%s\"\n"
			   "  port: %u\n"
			   "  user: \"%s\"\n"
			   "  password: \"%s\"\n"
			   "block-allow-list:\n"
			   "  ctl:\n"
			   "    do-dbs: [\"dmtest_ctl_*\"]\n"
			   "mysql-instances:\n"
			   "  - source-id: \"" SOURCE_ID "\"\n"
			   "    block-allow-list: \"ctl\"\n"
			   "    meta:\n"
			   "      binlog-name: \"%s\"\n"
			   "      binlog-pos: %s\n",
			   down.host, down.port, down.user, down.password,
			   row[0], row[1]),
		0);
	mysql_free_result(r);
}

static void insert_rows(const char *table, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		EXEC(um, "INSERT INTO %s VALUES (%d, %d)", table, i, i * 7);
}

/* "event start FILE:POS for handle-error -b" of an error message. */
static void event_start(char *out, size_t cap, const char *msg)
{
	const char *p = strstr(msg, "event start ");
	size_t n;

	assert_non_null(p);
	p += strlen("event start ");
	n = strcspn(p, " ");
	assert_true(n > 0 && n < cap);
	memcpy(out, p, n);
	out[n] = '\0';
}

/* ------------------------------------------------------------- tests */

static void test_ctl__status_metrics_pause_and_resume(void **state)
{
	char *b;
	long long before;
	int i;

	(void)state;
	write_task();
	EXEC(um, "CREATE DATABASE " DB_A ";"
		 "CREATE TABLE " DB_A ".t (id INT PRIMARY KEY, v INT)");
	ctl_dmrun_start();
	insert_rows(DB_A ".t", 0, 200);
	wait_equal("SELECT COUNT(*) FROM " DB_A ".t",
		   "SELECT COUNT(*) FROM " DB_A ".t");

	/* The status in DM's OpenAPI shape, snake_case, numbers as such. */
	b = call(200, "GET", "/api/v1/tasks/" TASK "/status", NULL);
	assert_has(b, "{\"total\":1,\"data\":[{\"name\":\"" TASK "\"");
	assert_has(b, "\"source_name\":\"" SOURCE_ID "\"");
	assert_has(b, "\"worker_name\":\"dm-run\"");
	assert_has(b, "\"stage\":\"Running\"");
	assert_has(b, "\"unit\":\"Sync\"");
	assert_has(b, "\"sync_status\":{\"total_events\":");
	assert_has(b, "\"master_binlog\":\"(mysql-bin.");
	assert_has(b, "\"syncer_binlog\":");
	assert_has(b, "\"blocking_ddls\":[]");
	assert_has(b, "\"unresolved_groups\":[]");
	assert_has(b, "\"binlog_type\":\"remote\"");
	assert_has(b, "\"seconds_behind_master\":");
	assert_null(strstr(b, "\"totalEvents\""));
	assert_null(strstr(b, "\"total_events\":\""));
	assert_null(strstr(b, "error_msg"));
	free(b);

	b = call(200, "GET", "/metrics", NULL);
	assert_has(b, "# TYPE dm_syncer_binlog_pos gauge");
	assert_has(b, "dm_syncer_binlog_pos{node=\"syncer\",task=\"" TASK "\"");
	assert_has(b, "dm_syncer_finished_jobs_total{type=\"dml\"");
	assert_has(b, "dm_worker_task_state{task=\"" TASK "\",source_id=\""
		      SOURCE_ID "\",worker=\"dm-run\"} 2");
	free(b);

	/* Errors in DM's shape. */
	b = call(404, "GET", "/api/v1/nothing", NULL);
	assert_has(b, "\"error_code\":49001");
	free(b);
	b = call(400, "GET", "/api/v1/tasks/other/status", NULL);
	assert_has(b, "\"error_msg\":\"[code=40054:");
	free(b);
	b = call(400, "POST", "/api/v1/tasks/" TASK "/pause", "[\"nope\"]");
	assert_has(b, "\"error_code\":49002");
	free(b);
	b = call(400, "POST", "/api/v1/tasks/" TASK "/pause", "{\"a\":");
	assert_has(b, "\"error_code\":49001");
	free(b);
	/* operate-schema needs a paused unit. */
	b = call(400, "GET",
		 "/api/v1/tasks/" TASK "/sources/" SOURCE_ID "/schemas/" DB_A
		 "/t", NULL);
	assert_has(b, "\"error_code\":40051");
	free(b);
	b = call(400, "POST", "/api/v1/tasks/" TASK "/resume", NULL);
	assert_has(b, "\"error_code\":40051");
	free(b);

	/* Pause: nothing is applied while the upstream writes on. */
	free(call(200, "POST", "/api/v1/tasks/" TASK "/pause",
		  "[\"" SOURCE_ID "\"]"));
	wait_stage("Paused");
	b = call(200, "GET", "/metrics", NULL);
	assert_has(b, "worker=\"dm-run\"} 3");
	free(b);
	b = call(400, "POST", "/api/v1/tasks/" TASK "/pause", NULL);
	assert_has(b, "\"error_code\":40050");
	free(b);
	before = value_ll(dm, "SELECT COUNT(*) FROM " DB_A ".t");
	insert_rows(DB_A ".t", 200, 300);
	EXEC(um, "UPDATE " DB_A ".t SET v = v + 1 WHERE id < 50");
	for (i = 0; i < 3; i++) {
		sleep_ms(1000);
		assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " DB_A ".t"),
				 before);
	}
	b = call(200, "GET",
		 "/api/v1/tasks/" TASK "/sources/" SOURCE_ID "/schemas/" DB_A
		 "/t", NULL);
	assert_has(b, "\"schema_name\":\"" DB_A "\",\"table_name\":\"t\"");
	assert_has(b, "\"schema_create_sql\":\"CREATE TABLE");
	free(b);

	/* Resume: caught up again. */
	free(call(200, "POST", "/api/v1/tasks/" TASK "/resume", NULL));
	wait_stage("Running");
	wait_equal("SELECT COUNT(*) FROM " DB_A ".t",
		   "SELECT COUNT(*) FROM " DB_A ".t");
	wait_equal("SELECT SUM(v) FROM " DB_A ".t",
		   "SELECT SUM(v) FROM " DB_A ".t");
	ctl_dmrun_term();
}

static void test_ctl__rejected_ddl_pauses_then_skip_and_replace(void **state)
{
	char *b, *msg, pos[200];
	long long n;

	(void)state;
	drop_all();
	write_task();
	EXEC(um, "CREATE DATABASE " DB_B ";"
		 "CREATE TABLE " DB_B ".u (id INT PRIMARY KEY, k INT)");
	ctl_dmrun_start();
	insert_rows(DB_B ".u", 0, 100);
	wait_equal("SELECT COUNT(*) FROM " DB_B ".u",
		   "SELECT COUNT(*) FROM " DB_B ".u");

	/* A row only the downstream has duplicates k = 7: the unique key
	 * the upstream adds cannot be built downstream (1062). */
	EXEC(dm, "INSERT INTO " DB_B ".u VALUES (100000, 7)");
	EXEC(um, "ALTER TABLE " DB_B ".u ADD UNIQUE KEY uk (k)");
	insert_rows(DB_B ".u", 100, 150);
	wait_stage("Paused");
	b = call(200, "GET", "/api/v1/tasks/" TASK "/status", NULL);
	assert_has(b, "\"error_msg\":\"[code=10006:class=database");
	assert_has(b, "ADD UNIQUE KEY");
	assert_has(b, "Duplicate entry");
	free(b);
	/* Not resumable: it stays Paused, and the process up. */
	sleep_ms(2500);
	b = call(200, "GET", "/api/v1/tasks/" TASK "/status", NULL);
	assert_has(b, "\"stage\":\"Paused\"");
	free(b);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM " DB_B ".u"), 101);

	/* operate-schema while paused: the structure the checkpoint has
	 * (without the key), set again as it is. */
	b = call(200, "GET",
		 "/api/v1/tasks/" TASK "/sources/" SOURCE_ID "/schemas/" DB_B
		 "/u", NULL);
	assert_has(b, "\"table_name\":\"u\"");
	assert_has(b, "CREATE TABLE");
	assert_null(strstr(b, "uk"));
	free(b);
	free(call(200, "PUT",
		  "/api/v1/tasks/" TASK "/sources/" SOURCE_ID "/schemas/" DB_B
		  "/u",
		  "{\"sql_content\":\"CREATE TABLE u (id INT NOT NULL, "
		  "k INT DEFAULT NULL, PRIMARY KEY (id))\",\"flush\":true}"));
	b = call(400, "PUT",
		 "/api/v1/tasks/" TASK "/sources/" SOURCE_ID "/schemas/" DB_B
		 "/u", "{\"flush\":true}");
	assert_has(b, "\"error_code\":49001");
	free(b);

	/* handle-error skip, resume: past the DDL. */
	b = call(400, "POST",
		 "/api/v1/tasks/" TASK "/sources/" SOURCE_ID "/handle-error",
		 "{\"op\":\"jump\"}");
	free(b);
	free(call(200, "POST",
		  "/api/v1/tasks/" TASK "/sources/" SOURCE_ID "/handle-error",
		  "{\"op\":\"skip\"}"));
	free(call(200, "POST", "/api/v1/tasks/" TASK "/resume", NULL));
	wait_equal("SELECT COUNT(*) + 1 FROM " DB_B ".u",
		   "SELECT COUNT(*) FROM " DB_B ".u");
	wait_stage("Running");

	/* A second rejected DDL, replaced by one the downstream takes. */
	EXEC(um, "ALTER TABLE " DB_B ".u ADD UNIQUE KEY uk2 (k)");
	insert_rows(DB_B ".u", 150, 200);
	wait_stage("Paused");
	b = call(200, "GET", "/api/v1/tasks/" TASK "/status", NULL);
	msg = strstr(b, "\"error_msg\":");
	assert_non_null(msg);
	assert_has(msg, "uk2");
	event_start(pos, sizeof(pos), msg);
	free(b);
	{
		char body[600];

		snprintf(body, sizeof(body),
			 "{\"op\":\"replace\",\"binlog_pos\":\"%s\","
			 "\"sqls\":[\"ALTER TABLE " DB_B ".u ADD KEY k2 (k)\"]}",
			 pos);
		free(call(200, "POST",
			  "/api/v1/tasks/" TASK "/sources/" SOURCE_ID
			  "/handle-error",
			  body));
	}
	free(call(200, "POST", "/api/v1/tasks/" TASK "/resume",
		  "[\"" SOURCE_ID "\"]"));
	wait_equal("SELECT COUNT(*) + 1 FROM " DB_B ".u",
		   "SELECT COUNT(*) FROM " DB_B ".u");
	n = value_ll(dm, "SELECT COUNT(*) FROM information_schema.STATISTICS "
			 "WHERE TABLE_SCHEMA = '" DB_B "' AND TABLE_NAME = 'u' "
			 "AND INDEX_NAME = 'k2'");
	assert_int_equal(n, 1);
	assert_int_equal(value_ll(dm, "SELECT COUNT(*) FROM "
				      "information_schema.STATISTICS WHERE "
				      "TABLE_SCHEMA = '" DB_B "' AND "
				      "INDEX_NAME LIKE 'uk%%'"),
			 0);

	/* Everything equal but for the downstream's own row. */
	EXEC(um, "UPDATE " DB_B ".u SET k = k + 1000 WHERE id %% 3 = 0;"
		 "DELETE FROM " DB_B ".u WHERE id %% 5 = 0");
	wait_equal("SELECT COUNT(*) + 1 FROM " DB_B ".u",
		   "SELECT COUNT(*) FROM " DB_B ".u");
	wait_equal("SELECT SUM(k) FROM " DB_B ".u",
		   "SELECT SUM(k) - 7 FROM " DB_B ".u");
	{
		static const char q[] =
			"SELECT GROUP_CONCAT(id, ':', IFNULL(k, 'N') ORDER BY id) "
			"FROM " DB_B ".u WHERE id <> 100000";
		char *a = ctl_value(um, q), *d = ctl_value(dm, q);

		assert_non_null(a);
		assert_non_null(d);
		assert_string_equal(a, d);
		free(a);
		free(d);
	}
	b = call(200, "GET", "/api/v1/tasks/" TASK "/status", NULL);
	assert_has(b, "\"stage\":\"Running\"");
	assert_null(strstr(b, "error_msg"));
	free(b);
	ctl_dmrun_term();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ctl__status_metrics_pause_and_resume),
		cmocka_unit_test(
			test_ctl__rejected_ddl_pauses_then_skip_and_replace),
	};

	sandbox_require();
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
