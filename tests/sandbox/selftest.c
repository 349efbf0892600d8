/*
 * Proves that tests/sandbox/sandbox starts what integration tests rely on,
 * through the sandbox.h helpers. Run under a sandbox with 2+ upstreams:
 *
 *   tests/sandbox/sandbox run --upstreams 2 -- ./sandbox-selftest
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox.h"

#define BLOB_SIZE (16u * 1024 * 1024)

static MYSQL *connect_upstream(unsigned i)
{
	sandbox_server s;
	MYSQL *m;

	assert_int_equal(sandbox_upstream(i, &s), 0);
	m = sandbox_connect(&s, NULL);
	assert_non_null(m);
	return m;
}

static MYSQL *connect_downstream(void)
{
	sandbox_server s;
	MYSQL *m;

	assert_int_equal(sandbox_downstream(&s), 0);
	m = sandbox_connect(&s, NULL);
	assert_non_null(m);
	return m;
}

static void assert_value(MYSQL *m, const char *sql, const char *want)
{
	char *got = sandbox_query_value(m, sql, NULL);

	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_sandbox__upstreams_are_binlogging_row_servers(void **state)
{
	unsigned i, n = sandbox_upstream_count();
	(void)state;

	assert_true(n >= 2);
	for (i = 1; i <= n; i++) {
		sandbox_server s;
		MYSQL *m = connect_upstream(i);
		char want[32];

		assert_int_equal(sandbox_upstream(i, &s), 0);
		assert_string_equal(s.host, "127.0.0.1");
		assert_non_null(s.socket);
		snprintf(want, sizeof(want), "%u", 100 + i);
		assert_value(m, "SELECT @@server_id", want);
		snprintf(want, sizeof(want), "%u", s.port);
		assert_value(m, "SELECT @@port", want);
		assert_value(m, "SELECT @@log_bin", "1");
		assert_value(m, "SELECT @@binlog_format", "ROW");
		assert_value(m, "SELECT @@binlog_row_image", "FULL");
		assert_value(m, "SELECT @@binlog_checksum", "CRC32");
		assert_value(m, "SELECT @@log_slave_updates", "1");
		assert_value(m, "SELECT @@gtid_strict_mode", "1");
		assert_value(m, "SELECT @@bind_address", "127.0.0.1");
		assert_value(m, "SELECT @@max_allowed_packet", "67108864");
		assert_value(m, "SELECT @@character_set_server", "utf8mb4");
		/* The password setup left no trace in the binlog. */
		assert_value(m, "SELECT @@gtid_binlog_pos", "");
		mysql_close(m);
	}
}

static void test_sandbox__downstream_has_no_binlog(void **state)
{
	MYSQL *m = connect_downstream();
	(void)state;

	assert_value(m, "SELECT @@server_id", "200");
	assert_value(m, "SELECT @@log_bin", "0");
	mysql_close(m);
}

static void test_sandbox__login_needs_the_right_password(void **state)
{
	sandbox_server s, other;
	MYSQL *m;
	(void)state;

	assert_int_equal(sandbox_upstream(1, &s), 0);
	assert_int_equal(sandbox_upstream(2, &other), 0);
	assert_true(strlen(s.password) >= 16);
	assert_string_not_equal(s.password, other.password);

	s.password = "";
	m = sandbox_connect(&s, NULL);
	assert_null(m);
	s.password = other.password;
	m = sandbox_connect(&s, NULL);
	assert_null(m);
}

static void test_sandbox__upstream_index_out_of_range_fails(void **state)
{
	sandbox_server s;
	(void)state;

	assert_int_equal(sandbox_upstream(0, &s), -1);
	assert_int_equal(sandbox_upstream(sandbox_upstream_count() + 1, &s), -1);
}

static void test_sandbox__exec_returns_server_errno(void **state)
{
	MYSQL *m = connect_downstream();
	(void)state;

	assert_int_equal(sandbox_exec(m, "SELEC %d", 1), 1064);
	assert_int_equal(sandbox_exec(m, "SELECT * FROM mysql.no_such_table"),
			 1146);
	/* Statements after a failing one do not run. */
	assert_int_equal(sandbox_exec(m, "DROP DATABASE IF EXISTS selftest;"
					 "CREATE DATABASE selftest;"
					 "SELEC 1; CREATE TABLE selftest.t (a INT)"),
			 1064);
	assert_int_equal(sandbox_exec(m, "SELECT 1"), 0);
	assert_int_equal(sandbox_exec(m, "CREATE TABLE selftest.t (a INT);"
					 "INSERT INTO selftest.t VALUES (%d), (%d);"
					 "SELECT * FROM selftest.t",
				      1, 2),
			 0);
	assert_value(m, "SELECT SUM(a) FROM selftest.t", "3");
	assert_int_equal(sandbox_exec(m, "DROP DATABASE selftest"), 0);
	mysql_close(m);
}

static void test_sandbox__query_value_tells_null_from_error(void **state)
{
	MYSQL *m = connect_downstream();
	size_t len = 99;
	char *v;
	(void)state;

	assert_null(sandbox_query_value(m, "SELECT NULL", &len));
	assert_int_equal(mysql_errno(m), 0);
	assert_int_equal(len, 0);
	assert_null(sandbox_query_value(m, "SELECT 1 FROM DUAL WHERE 0", NULL));
	assert_int_equal(mysql_errno(m), 0);
	assert_null(sandbox_query_value(m, "SELEC 1", NULL));
	assert_int_equal(mysql_errno(m), 1064);

	v = sandbox_query_value(m, "SELECT 'a\\0b'", &len);
	assert_non_null(v);
	assert_int_equal(len, 3);
	assert_memory_equal(v, "a\0b", 4);
	free(v);
	mysql_close(m);
}

/* Later tests move 16 MB values: more than one protocol packet. */
static void test_sandbox__sixteen_megabyte_blob_round_trips(void **state)
{
	MYSQL *m = connect_upstream(1);
	char *blob = malloc(BLOB_SIZE + 1);
	char *got;
	size_t len;
	(void)state;

	assert_non_null(blob);
	memset(blob, 'x', BLOB_SIZE);
	blob[BLOB_SIZE] = '\0';
	assert_int_equal(sandbox_exec(m, "CREATE DATABASE selftest_blob;"
					 "CREATE TABLE selftest_blob.t (b LONGBLOB)"),
			 0);
	assert_int_equal(sandbox_exec(m, "INSERT INTO selftest_blob.t VALUES ('%s')",
				      blob),
			 0);
	got = sandbox_query_value(m, "SELECT b FROM selftest_blob.t", &len);
	assert_non_null(got);
	assert_int_equal(len, BLOB_SIZE);
	assert_memory_equal(got, blob, BLOB_SIZE);
	free(got);
	free(blob);
	assert_int_equal(sandbox_exec(m, "DROP DATABASE selftest_blob"), 0);
	mysql_close(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sandbox__upstreams_are_binlogging_row_servers),
		cmocka_unit_test(test_sandbox__downstream_has_no_binlog),
		cmocka_unit_test(test_sandbox__login_needs_the_right_password),
		cmocka_unit_test(test_sandbox__upstream_index_out_of_range_fails),
		cmocka_unit_test(test_sandbox__exec_returns_server_errno),
		cmocka_unit_test(test_sandbox__query_value_tells_null_from_error),
		cmocka_unit_test(test_sandbox__sixteen_megabyte_blob_round_trips),
	};

	sandbox_require();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
