/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_db against real servers: connecting, secrets kept out of errors and
 * logs, session set-up, errors with errno and SQLSTATE, results, affected
 * rows, transactions, lost connections and reconnect.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-db_conn
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dm/db.h"
#include "dm/err.h"
#include "dm/log.h"
#include "dm/util.h"
#include "sandbox/sandbox.h"

#define TEST_DB "dmtest_db_conn"
#define WRONG_PASSWORD "Wr0ng-pw-\xC3\xA9-dmtest-93f1"

static dm_ctx *ctx;
static dm_buf log_text = DM_BUF_INIT; /* every log line of the run */
static sandbox_server up, down;
static MYSQL *check; /* independent connection to the downstream */

static bool password_logged; /* checked at the end of the run */

static void capture_log(const dm_log_record *rec, void *userdata)
{
	dm_buf line = DM_BUF_INIT;

	(void)userdata;
	assert_int_equal(dm_log_format(&line, rec), 0);
	if (strstr(line.data, down.password) || strstr(line.data, up.password) ||
	    strstr(line.data, WRONG_PASSWORD) || strstr(line.data, "dmtest-pw-"))
		password_logged = true;
	assert_int_equal(dm_buf_append(&log_text, line.data, line.len), 0);
	dm_buf_free(&line);
}

static dm_db_opts opts_for(const sandbox_server *s, dm_error_scope scope)
{
	dm_db_opts o = DM_DB_OPTS_INIT;

	o.host = s->host;
	o.port = s->port;
	o.user = s->user;
	o.password = s->password;
	o.scope = scope;
	return o;
}

static dm_db *open_ok(const dm_db_opts *o)
{
	dm_db *db = NULL;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	if (dm_db_open(&db, ctx, o, &e) != 0) {
		dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
		fail_msg("dm_db_open: %s", b.data);
	}
	assert_null(e);
	assert_non_null(db);
	return db;
}

static dm_db *open_down(void)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);

	o.database = TEST_DB;
	return open_ok(&o);
}

static void exec_ok(dm_db *db, const char *sql)
{
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	if (dm_db_exec(db, sql, strlen(sql), &e) != 0) {
		dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
		fail_msg("%s: %s", sql, b.data);
	}
}

/* The first column of the first row as a string; "NULL" for SQL NULL. */
static char *value_of(dm_db *db, const char *sql)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;
	bool is_null = true;
	int rc;

	rc = dm_db_query_value(db, &b, &is_null, sql, &e);
	if (rc != 0) {
		dm_buf f = DM_BUF_INIT;

		dm_error_format(&f, e, DM_ERROR_FORMAT_FULL);
		fail_msg("%s: rc %d %s", sql, rc, f.data ? f.data : "");
	}
	if (is_null)
		assert_int_equal(dm_buf_puts(&b, "NULL"), 0);
	return dm_buf_detach(&b);
}

static void assert_value_is(dm_db *db, const char *sql, const char *want)
{
	char *got = value_of(db, sql);

	if (strcmp(got, want) != 0)
		fail_msg("%s: got [%s], want [%s]", sql, got, want);
	free(got);
}

static char *check_value(const char *sql)
{
	char *v = sandbox_query_value(check, sql, NULL);

	assert_int_equal(mysql_errno(check), 0);
	return v;
}

static bool contains(const dm_buf *b, const char *needle)
{
	return b->data && strstr(b->data, needle);
}

static int group_setup(void **state)
{
	dm_error *e = NULL;

	(void)state;
	if (dm_global_init(&e) != 0 || dm_ctx_new(&ctx, &e) != 0)
		return -1;
	dm_ctx_set_logger(ctx, capture_log, NULL);
	dm_ctx_set_log_level(ctx, DM_LOG_DEBUG);
	if (sandbox_upstream(1, &up) != 0 || sandbox_downstream(&down) != 0)
		return -1;
	check = sandbox_connect(&down, NULL);
	if (!check)
		return -1;
	return sandbox_exec(check, "DROP DATABASE IF EXISTS " TEST_DB
				   "; CREATE DATABASE " TEST_DB) ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	/* No password, right or wrong, may ever reach a log line. */
	if (password_logged) {
		fprintf(stderr, "a password was logged\n");
		return -1;
	}
	sandbox_exec(check, "DROP DATABASE IF EXISTS " TEST_DB);
	sandbox_exec(check, "DROP USER IF EXISTS 'dmtest_db_conn'@'%%'");
	mysql_close(check);
	dm_buf_free(&log_text);
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return 0;
}

/* ------------------------------------------------------------ connecting */

static void test_db_conn__connects_to_upstream_and_downstream(void **state)
{
	const sandbox_server *servers[2] = { &up, &down };
	char addr[64];
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		dm_db_opts o = opts_for(servers[i], i ? DM_ERR_SCOPE_DOWNSTREAM :
							DM_ERR_SCOPE_UPSTREAM);
		dm_db *db;

		dm_buf_clear(&log_text);
		db = open_ok(&o);
		assert_true(strlen(dm_db_server_version(db)) > 0);
		assert_true(dm_db_is_mariadb(db));
		assert_value_is(db, "SELECT 1 + 1", "2");
		assert_value_is(db, "SELECT @@character_set_client", "utf8mb4");
		/* Defaults: TCP, 64 MiB packets, no multi statements. */
		assert_value_is(db, "SELECT @@session.max_allowed_packet >= 0",
				"1");
		assert_int_equal(dm_db_ping(db, NULL), 0);
		snprintf(addr, sizeof(addr), "[host=%s] [port=%u] [user=root]",
			 servers[i]->host, servers[i]->port);
		if (!contains(&log_text, "connected to database") ||
		    !contains(&log_text, addr))
			fail_msg("log lacks the connect line: %s",
				 log_text.data ? log_text.data : "");
		dm_db_close(db);
	}
}

static void test_db_conn__connects_over_unix_socket(void **state)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db;

	(void)state;
	if (!down.socket)
		skip();
	o.host = NULL;
	o.port = 0;
	o.socket = down.socket;
	db = open_ok(&o);
	assert_value_is(db, "SELECT @@port > 0", "1");
	dm_db_close(db);
}

static void test_db_conn__multi_statements_are_refused(void **state)
{
	dm_db *db = open_down();
	dm_error *e = NULL;
	const char *sql = "SELECT 1; SELECT 2";

	(void)state;
	assert_int_equal(dm_db_exec(db, sql, strlen(sql), &e),
			 DM_E_DB_EXECUTE_FAILED);
	assert_int_equal(dm_error_server_errno(e), 1064);
	dm_error_free(e);
	dm_db_close(db);
}

static void test_db_conn__exec_multi_runs_all_and_names_the_failing_one(
	void **state)
{
	dm_db *db = open_down();
	dm_db_result *r = NULL;
	dm_error *e = NULL;
	size_t done = 99;
	const char *setup = "CREATE DATABASE IF NOT EXISTS dmtest_multi;"
			    "DROP TABLE IF EXISTS dmtest_multi.t;"
			    "CREATE TABLE dmtest_multi.t (id INT PRIMARY KEY)";
	const char *ok = "BEGIN;INSERT INTO dmtest_multi.t VALUES (1),(2);"
			 "SELECT 1;UPDATE dmtest_multi.t SET id = id + 10;"
			 "COMMIT";
	const char *bad = "INSERT INTO dmtest_multi.t VALUES (3);"
			  "INSERT INTO dmtest_multi.t VALUES (3);"
			  "INSERT INTO dmtest_multi.t VALUES (4)";
	const char *count = "SELECT COUNT(*), SUM(id) FROM dmtest_multi.t";

	(void)state;
	assert_int_equal(dm_db_exec_multi(db, setup, strlen(setup), &done, &e),
			 0);
	assert_int_equal(done, 3);
	assert_int_equal(dm_db_exec_multi(db, ok, strlen(ok), &done, &e), 0);
	assert_int_equal(done, 5);
	/* 2 inserted + 2 updated */
	assert_int_equal(dm_db_affected_rows(db), 4);
	assert_int_equal(dm_db_exec_multi(db, bad, strlen(bad), &done, &e),
			 DM_E_DB_EXECUTE_FAILED);
	assert_int_equal(done, 1);
	assert_int_equal(dm_error_server_errno(e), 1062);
	dm_error_free(e);
	e = NULL;
	/* The statement after the failing one never ran; the connection
	 * is still usable. */
	assert_int_equal(dm_db_query(db, &r, count, strlen(count), &e), 0);
	assert_int_equal(dm_db_result_next(r), 0);
	assert_string_equal(dm_db_result_value(r, 0, NULL), "3");
	assert_string_equal(dm_db_result_value(r, 1, NULL), "26");
	dm_db_result_free(r);
	assert_int_equal(dm_db_exec(db, "DROP DATABASE dmtest_multi", 26, &e),
			 0);
	dm_db_close(db);
}

static void test_db_conn__wrong_password_never_shows_it(void **state)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db = NULL;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;
	char addr[64];

	(void)state;
	dm_buf_clear(&log_text);
	o.password = WRONG_PASSWORD;
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_CONNECT);
	assert_null(db);
	assert_int_equal(dm_error_code(e), 10901);
	assert_int_equal(dm_error_server_errno(e), 1045);
	assert_string_equal(dm_error_sqlstate(e), "28000");
	assert_int_equal(dm_error_get_scope(e), DM_ERR_SCOPE_DOWNSTREAM);
	assert_non_null(strstr(dm_error_raw_cause(e), "Access denied"));
	assert_false(dm_db_error_is_retryable(e));
	assert_false(dm_db_error_is_conn_lost(e));
	assert_int_equal(dm_error_format(&b, e, DM_ERROR_FORMAT_FULL), 0);
	snprintf(addr, sizeof(addr), "%s:%u", down.host, down.port);
	assert_non_null(strstr(b.data, addr));
	assert_non_null(strstr(b.data, "root"));
	assert_null(strstr(b.data, WRONG_PASSWORD));
	assert_null(strstr(b.data, "Wr0ng"));
	assert_null(strstr(b.data, down.password));
	assert_true(contains(&log_text, "cannot connect to database"));
	assert_true(contains(&log_text, "[errno=1045]"));
	assert_false(contains(&log_text, "Wr0ng"));
	dm_buf_free(&b);
	dm_error_free(e);
}

/* A port nobody listens on: bind one, note it, close it. */
static unsigned closed_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	unsigned port;

	assert_true(fd >= 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

static void test_db_conn__refused_connection_is_a_connect_error(void **state)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db = NULL;
	dm_error *e = NULL;
	unsigned no;

	(void)state;
	o.port = closed_port();
	o.connect_timeout = 2;
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_CONNECT);
	assert_null(db);
	no = dm_error_server_errno(e);
	assert_true(no == 2002 || no == 2003);
	dm_error_free(e);
}

static void test_db_conn__tls_failure_is_a_tls_error(void **state)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db = NULL;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	o.ssl_ca = "/nonexistent/dmtest-ca.pem";
	o.ssl_verify = true;
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_TLS);
	assert_null(db);
	assert_int_equal(dm_error_server_errno(e), 2026);
	assert_int_equal(dm_error_format(&b, e, DM_ERROR_FORMAT_FULL), 0);
	assert_null(strstr(b.data, down.password));
	dm_buf_free(&b);
	dm_error_free(e);
}

static void test_db_conn__unknown_database_is_a_connect_error(void **state)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db = NULL;
	dm_error *e = NULL;

	(void)state;
	o.database = "dmtest_db_conn_missing";
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_CONNECT);
	assert_int_equal(dm_error_server_errno(e), 1049);
	assert_string_equal(dm_error_sqlstate(e), "42000");
	dm_error_free(e);
}

/* --------------------------------------------------------------- session */

static const dm_db_var session_vars[] = {
	{ "div_precision_increment", "7" },
	{ "group_concat_max_len", "12345" },
};

static dm_db *open_with_session(void)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);

	o.database = TEST_DB;
	o.time_zone = "+08:00";
	o.sql_mode = "NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES";
	o.session_vars = session_vars;
	o.n_session_vars = 2;
	return open_ok(&o);
}

static void assert_session_applied(dm_db *db)
{
	assert_value_is(db, "SELECT @@session.time_zone", "+08:00");
	assert_value_is(db, "SELECT @@session.sql_mode",
			"NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES");
	assert_value_is(db, "SELECT @@session.div_precision_increment", "7");
	assert_value_is(db, "SELECT @@session.group_concat_max_len", "12345");
	assert_value_is(db, "SELECT 1/3", "0.3333333");
	assert_value_is(db, "SELECT DATABASE()", TEST_DB);
}

static void test_db_conn__session_setup_is_applied(void **state)
{
	dm_db *db = open_with_session();

	(void)state;
	assert_session_applied(db);
	/* Independent check: FROM_UNIXTIME(0) in +08:00. */
	assert_value_is(db, "SELECT FROM_UNIXTIME(0)", "1970-01-01 08:00:00");
	dm_db_close(db);
}

static void test_db_conn__bad_session_variable_fails_open(void **state)
{
	static const dm_db_var bad[] = { { "dmtest_no_such_variable", "1" } };
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db = NULL;
	dm_error *e = NULL;

	(void)state;
	o.session_vars = bad;
	o.n_session_vars = 1;
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_SESSION);
	assert_null(db);
	assert_int_equal(dm_error_code(e), 10903);
	assert_int_equal(dm_error_server_errno(e), 1193);
	assert_string_equal(dm_error_sqlstate(e), "HY000");
	assert_non_null(strstr(dm_error_message(e), "dmtest_no_such_variable"));
	dm_error_free(e);
	e = NULL;

	o.n_session_vars = 0;
	o.time_zone = "Nowhere/Atlantis";
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_SESSION);
	assert_int_equal(dm_error_server_errno(e), 1298);
	dm_error_free(e);
}

/* ----------------------------------------------------------------- errors */

static dm_error *failing(dm_db *db, bool query, const char *sql, int status)
{
	dm_db_result *res = (dm_db_result *)db;
	dm_error *e = NULL;
	int rc;

	if (query) {
		rc = dm_db_query(db, &res, sql, strlen(sql), &e);
		assert_null(res);
	} else {
		rc = dm_db_exec(db, sql, strlen(sql), &e);
	}
	assert_int_equal(rc, status);
	assert_non_null(e);
	assert_int_equal(dm_error_status(e), status);
	return e;
}

static void test_db_conn__errors_keep_errno_and_sqlstate(void **state)
{
	dm_db *db = open_down();
	dm_error *e;
	char long_sql[1024];
	size_t n;

	(void)state;
	e = failing(db, true, "SELECT * FROM dmtest_missing_table",
		    DM_E_DB_QUERY_FAILED);
	assert_int_equal(dm_error_code(e), 10005);
	assert_int_equal(dm_error_server_errno(e), 1146);
	assert_string_equal(dm_error_sqlstate(e), "42S02");
	assert_int_equal(dm_error_get_scope(e), DM_ERR_SCOPE_DOWNSTREAM);
	assert_non_null(strstr(dm_error_message(e),
			       "SELECT * FROM dmtest_missing_table"));
	assert_non_null(strstr(dm_error_raw_cause(e), "doesn't exist"));
	assert_false(dm_db_error_is_retryable(e));
	dm_error_free(e);

	exec_ok(db, "CREATE TABLE dup (id INT PRIMARY KEY)");
	exec_ok(db, "INSERT INTO dup VALUES (1)");
	e = failing(db, false, "INSERT INTO dup VALUES (1)",
		    DM_E_DB_EXECUTE_FAILED);
	assert_int_equal(dm_error_code(e), 10006);
	assert_int_equal(dm_error_server_errno(e), 1062);
	assert_string_equal(dm_error_sqlstate(e), "23000");
	assert_non_null(strstr(dm_error_raw_cause(e), "Duplicate entry"));
	assert_false(dm_db_error_is_retryable(e));
	assert_false(dm_db_error_is_conn_lost(e));
	dm_error_free(e);

	e = failing(db, false, "SELEKT 1", DM_E_DB_EXECUTE_FAILED);
	assert_int_equal(dm_error_server_errno(e), 1064);
	assert_string_equal(dm_error_sqlstate(e), "42000");
	dm_error_free(e);

	/* Long statements are cut in the message, not in the server's text. */
	n = (size_t)snprintf(long_sql, sizeof(long_sql), "SELEKT '");
	memset(long_sql + n, 'x', 600);
	memcpy(long_sql + n + 600, "' AS tail_marker", 17);
	e = failing(db, false, long_sql, DM_E_DB_EXECUTE_FAILED);
	assert_null(strstr(dm_error_message(e), "tail_marker"));
	assert_non_null(strstr(dm_error_message(e), "SELEKT 'xxxx"));
	assert_non_null(strstr(dm_error_message(e), "..."));
	assert_true(strlen(dm_error_message(e)) < 256 + 64);
	dm_error_free(e);

	/* The connection is still good after all that. */
	assert_value_is(db, "SELECT COUNT(*) FROM dup", "1");
	exec_ok(db, "DROP TABLE dup");
	dm_db_close(db);
}

/* ---------------------------------------------------------------- results */

static void test_db_conn__results_iterate_with_nulls_and_bytes(void **state)
{
	static const char sql[] =
		"SELECT 1 AS n, NULL AS `nothing`, X'00FF0A27' AS bin, "
		"'' AS empty UNION ALL SELECT 2, 'x', X'', 'y'";
	dm_db *db = open_down();
	dm_db_result *res = NULL;
	const char *v;
	size_t len = 99;

	(void)state;
	assert_int_equal(dm_db_query(db, &res, sql, strlen(sql), NULL), 0);
	assert_non_null(res);
	assert_int_equal(dm_db_result_ncols(res), 4);
	assert_int_equal(dm_db_result_nrows(res), 2);
	assert_string_equal(dm_db_result_col_name(res, 0), "n");
	assert_string_equal(dm_db_result_col_name(res, 1), "nothing");
	assert_string_equal(dm_db_result_col_name(res, 2), "bin");
	assert_null(dm_db_result_col_name(res, 4));
	assert_null(dm_db_result_value(res, 0, &len)); /* before next */

	assert_int_equal(dm_db_result_next(res), 0);
	v = dm_db_result_value(res, 0, &len);
	assert_int_equal(len, 1);
	assert_memory_equal(v, "1", 1);
	len = 99;
	assert_null(dm_db_result_value(res, 1, &len));
	assert_int_equal(len, 0);
	v = dm_db_result_value(res, 2, &len);
	assert_int_equal(len, 4);
	assert_memory_equal(v, "\x00\xff\n'", 4);
	v = dm_db_result_value(res, 3, &len);
	assert_non_null(v); /* empty string is not NULL */
	assert_int_equal(len, 0);
	assert_null(dm_db_result_value(res, 4, &len));

	assert_int_equal(dm_db_result_next(res), 0);
	v = dm_db_result_value(res, 1, NULL);
	assert_string_equal(v, "x");
	v = dm_db_result_value(res, 2, &len);
	assert_non_null(v);
	assert_int_equal(len, 0);
	assert_int_equal(dm_db_result_next(res), DM_DONE);
	assert_null(dm_db_result_value(res, 0, &len));
	assert_int_equal(dm_db_result_next(res), DM_DONE);
	dm_db_result_free(res);

	/* A statement with no result set gives an empty result. */
	assert_int_equal(dm_db_query(db, &res, "DO 1", 4, NULL), 0);
	assert_int_equal(dm_db_result_ncols(res), 0);
	assert_int_equal(dm_db_result_next(res), DM_DONE);
	dm_db_result_free(res);
	dm_db_close(db);
}

static void test_db_conn__result_outlives_its_connection(void **state)
{
	dm_db *db = open_down();
	dm_db_result *res = NULL;
	const char *sql = "SELECT 'a' AS x UNION ALL SELECT 'b'";

	(void)state;
	assert_int_equal(dm_db_query(db, &res, sql, strlen(sql), NULL), 0);
	dm_db_close(db);
	assert_string_equal(dm_db_result_col_name(res, 0), "x");
	assert_int_equal(dm_db_result_next(res), 0);
	assert_string_equal(dm_db_result_value(res, 0, NULL), "a");
	assert_int_equal(dm_db_result_next(res), 0);
	assert_string_equal(dm_db_result_value(res, 0, NULL), "b");
	assert_int_equal(dm_db_result_next(res), DM_DONE);
	dm_db_result_free(res);
}

static void test_db_conn__query_value_handles_null_and_no_row(void **state)
{
	dm_db *db = open_down();
	dm_buf b = DM_BUF_INIT;
	bool is_null = false;

	(void)state;
	assert_int_equal(dm_buf_puts(&b, "v="), 0);
	assert_int_equal(dm_db_query_value(db, &b, &is_null, "SELECT 'abc'",
					   NULL),
			 0);
	assert_false(is_null);
	assert_string_equal(b.data, "v=abc"); /* appended */
	dm_buf_clear(&b);
	assert_int_equal(dm_db_query_value(db, &b, &is_null, "SELECT NULL",
					   NULL),
			 0);
	assert_true(is_null);
	assert_int_equal(b.len, 0);
	assert_int_equal(dm_db_query_value(db, &b, &is_null,
					   "SELECT 1 FROM DUAL WHERE 0", NULL),
			 DM_DONE);
	assert_false(is_null);
	dm_buf_free(&b);
	dm_db_close(db);
}

static void test_db_conn__exec_discards_result_sets(void **state)
{
	dm_db *db = open_down();

	(void)state;
	exec_ok(db, "SELECT 1, 2, 3");
	assert_int_equal(dm_db_affected_rows(db), 1); /* rows of the result */
	assert_value_is(db, "SELECT 42", "42");
	dm_db_close(db);
}

/* ------------------------------------------------------ rows and commits */

static void test_db_conn__affected_rows_count_real_changes(void **state)
{
	dm_db *db = open_down();

	(void)state;
	exec_ok(db, "CREATE TABLE ar (id INT AUTO_INCREMENT PRIMARY KEY, "
		    "v INT)");
	exec_ok(db, "INSERT INTO ar (v) VALUES (1), (2), (3)");
	assert_int_equal(dm_db_affected_rows(db), 3);
	assert_int_equal(dm_db_last_insert_id(db), 1);
	exec_ok(db, "INSERT INTO ar (v) VALUES (4)");
	assert_int_equal(dm_db_last_insert_id(db), 4);
	/* Matched but unchanged rows do not count (no CLIENT_FOUND_ROWS). */
	exec_ok(db, "UPDATE ar SET v = 1 WHERE v <= 2");
	assert_int_equal(dm_db_affected_rows(db), 1);
	exec_ok(db, "UPDATE ar SET v = v + 10");
	assert_int_equal(dm_db_affected_rows(db), 4);
	exec_ok(db, "UPDATE ar SET v = v WHERE id = 1");
	assert_int_equal(dm_db_affected_rows(db), 0);
	exec_ok(db, "DELETE FROM ar WHERE v > 12");
	assert_int_equal(dm_db_affected_rows(db), 2);
	exec_ok(db, "DROP TABLE ar");
	dm_db_close(db);
}

static void test_db_conn__transactions_commit_and_roll_back(void **state)
{
	dm_db *db = open_down();
	char *v;

	(void)state;
	exec_ok(db, "CREATE TABLE tx (id INT PRIMARY KEY) ENGINE=InnoDB");
	assert_int_equal(dm_db_begin(db, NULL), 0);
	exec_ok(db, "INSERT INTO tx VALUES (1), (2)");
	/* Not visible to another session before COMMIT. */
	v = check_value("SELECT COUNT(*) FROM " TEST_DB ".tx");
	assert_string_equal(v, "0");
	free(v);
	assert_int_equal(dm_db_rollback(db, NULL), 0);
	assert_value_is(db, "SELECT COUNT(*) FROM tx", "0");

	assert_int_equal(dm_db_begin(db, NULL), 0);
	exec_ok(db, "INSERT INTO tx VALUES (3)");
	assert_int_equal(dm_db_commit(db, NULL), 0);
	v = check_value("SELECT COUNT(*) FROM " TEST_DB ".tx");
	assert_string_equal(v, "1");
	free(v);
	exec_ok(db, "DROP TABLE tx");
	dm_db_close(db);
}

/* ------------------------------------------------ lost connections */

static void kill_and_wait(dm_db *db)
{
	char *id = value_of(db, "SELECT CONNECTION_ID()");
	char sql[128];
	int i;

	assert_int_equal(sandbox_exec(check, "KILL CONNECTION %s", id), 0);
	snprintf(sql, sizeof(sql),
		 "SELECT COUNT(*) FROM information_schema.processlist "
		 "WHERE id = %s",
		 id);
	for (i = 0; i < 500; i++) {
		char *n = check_value(sql);
		bool gone = strcmp(n, "0") == 0;

		free(n);
		if (gone)
			break;
		usleep(10000);
	}
	assert_true(i < 500);
	free(id);
}

static void test_db_conn__killed_connection_is_bad_conn(void **state)
{
	dm_db *db = open_with_session();
	dm_error *e = NULL;
	char *before, *after;
	unsigned no;

	(void)state;
	before = value_of(db, "SELECT CONNECTION_ID()");
	kill_and_wait(db);
	dm_buf_clear(&log_text);
	assert_int_equal(dm_db_exec(db, "INSERT INTO nowhere VALUES (1)", 30,
				    &e),
			 DM_E_DB_BAD_CONN);
	assert_int_equal(dm_error_code(e), 10002);
	no = dm_error_server_errno(e);
	if (no != 2006 && no != 2013 && no != 1927 && no != 4031)
		fail_msg("unexpected errno %u", no);
	assert_true(dm_db_error_is_conn_lost(e));
	assert_true(dm_db_error_is_retryable(e));
	assert_null(dm_error_find(e, DM_E_TIMEOUT));
	assert_true(contains(&log_text, "lost database connection"));
	dm_error_free(e);
	e = NULL;

	/* Still broken until reconnected; ping says so too. */
	assert_int_equal(dm_db_ping(db, &e), DM_E_DB_BAD_CONN);
	assert_true(dm_db_error_is_conn_lost(e));
	dm_error_free(e);
	e = NULL;

	assert_int_equal(dm_db_reconnect(db, &e), 0);
	assert_null(e);
	assert_true(contains(&log_text, "reconnected to database"));
	after = value_of(db, "SELECT CONNECTION_ID()");
	assert_string_not_equal(before, after);
	assert_session_applied(db);
	free(before);
	free(after);
	dm_db_close(db);
}

static void test_db_conn__read_timeout_is_bad_conn_with_timeout(void **state)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db;
	dm_db_result *res = NULL;
	dm_error *e = NULL;
	const char *sql = "SELECT SLEEP(4)";

	(void)state;
	o.read_timeout = 1;
	db = open_ok(&o);
	assert_int_equal(dm_db_query(db, &res, sql, strlen(sql), &e),
			 DM_E_DB_BAD_CONN);
	assert_null(res);
	assert_int_equal(dm_error_server_errno(e), 2013);
	assert_non_null(dm_error_find(e, DM_E_TIMEOUT));
	assert_true(dm_db_error_is_conn_lost(e));
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_db_reconnect(db, &e), 0);
	assert_value_is(db, "SELECT 7", "7");
	dm_db_close(db);
}

static void test_db_conn__failed_reconnect_leaves_closed_handle(void **state)
{
	dm_db_opts o = opts_for(&down, DM_ERR_SCOPE_DOWNSTREAM);
	dm_db *db;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(
		sandbox_exec(check,
			     "DROP USER IF EXISTS 'dmtest_db_conn'@'%%'; "
			     "CREATE USER 'dmtest_db_conn'@'%%' "
			     "IDENTIFIED BY 'dmtest-pw-1'"),
		0);
	o.user = "dmtest_db_conn";
	o.password = "dmtest-pw-1";
	db = open_ok(&o);
	assert_int_equal(sandbox_exec(check, "ALTER USER 'dmtest_db_conn'@'%%' "
					     "IDENTIFIED BY 'dmtest-pw-2'"),
			 0);
	assert_int_equal(dm_db_reconnect(db, &e), DM_E_DB_CONNECT);
	assert_int_equal(dm_error_server_errno(e), 1045);
	dm_error_free(e);
	e = NULL;
	/* The handle stays usable as an object: calls fail, reconnect works. */
	assert_int_equal(dm_db_exec(db, "SELECT 1", 8, &e),
			 DM_E_DB_INVALID_CONN);
	assert_true(dm_db_error_is_conn_lost(e));
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_db_ping(db, NULL), DM_E_DB_INVALID_CONN);
	assert_int_equal(sandbox_exec(check, "ALTER USER 'dmtest_db_conn'@'%%' "
					     "IDENTIFIED BY 'dmtest-pw-1'"),
			 0);
	assert_int_equal(dm_db_reconnect(db, &e), 0);
	assert_value_is(db, "SELECT CURRENT_USER()", "dmtest_db_conn@%");
	dm_db_close(db);
	assert_false(contains(&log_text, "dmtest-pw-"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_conn__connects_to_upstream_and_downstream),
		cmocka_unit_test(test_db_conn__connects_over_unix_socket),
		cmocka_unit_test(test_db_conn__multi_statements_are_refused),
		cmocka_unit_test(test_db_conn__exec_multi_runs_all_and_names_the_failing_one),
		cmocka_unit_test(test_db_conn__wrong_password_never_shows_it),
		cmocka_unit_test(test_db_conn__refused_connection_is_a_connect_error),
		cmocka_unit_test(test_db_conn__tls_failure_is_a_tls_error),
		cmocka_unit_test(test_db_conn__unknown_database_is_a_connect_error),
		cmocka_unit_test(test_db_conn__session_setup_is_applied),
		cmocka_unit_test(test_db_conn__bad_session_variable_fails_open),
		cmocka_unit_test(test_db_conn__errors_keep_errno_and_sqlstate),
		cmocka_unit_test(test_db_conn__results_iterate_with_nulls_and_bytes),
		cmocka_unit_test(test_db_conn__result_outlives_its_connection),
		cmocka_unit_test(test_db_conn__query_value_handles_null_and_no_row),
		cmocka_unit_test(test_db_conn__exec_discards_result_sets),
		cmocka_unit_test(test_db_conn__affected_rows_count_real_changes),
		cmocka_unit_test(test_db_conn__transactions_commit_and_roll_back),
		cmocka_unit_test(test_db_conn__killed_connection_is_bad_conn),
		cmocka_unit_test(test_db_conn__read_timeout_is_bad_conn_with_timeout),
		cmocka_unit_test(test_db_conn__failed_reconnect_leaves_closed_handle),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("db_conn", tests, group_setup,
					   group_teardown);
}
