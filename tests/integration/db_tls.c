/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_db over TLS against real servers that offer it (the sandbox makes a CA,
 * a server certificate for 127.0.0.1/localhost and a client certificate):
 * verified connections, client certificates, wrong CAs, and reconnects that
 * stay encrypted.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-db_tls
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/db.h"
#include "sandbox/sandbox.h"

#define X509_USER "dmtest_x509"
#define X509_PASSWORD "dmtest-x509-pw-71c2"

static dm_ctx *ctx;
static sandbox_server down;
static const char *ca, *cert, *key;
static MYSQL *check;

static dm_db_opts tls_opts(void)
{
	dm_db_opts o = DM_DB_OPTS_INIT;

	o.host = down.host;
	o.port = down.port;
	o.user = down.user;
	o.password = down.password;
	o.scope = DM_ERR_SCOPE_DOWNSTREAM;
	o.ssl_ca = ca;
	o.ssl_verify = true;
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
	return db;
}

/* The session's TLS cipher as the server sees it ("" for plain text). */
static char *cipher_of(dm_db *db)
{
	dm_db_result *res = NULL;
	dm_error *e = NULL;
	const char *v;
	char *out;

	assert_int_equal(dm_db_query(db, &res,
				     "SHOW SESSION STATUS LIKE 'Ssl_cipher'",
				     37, &e),
			 0);
	assert_int_equal(dm_db_result_next(res), 0);
	v = dm_db_result_value(res, 1, NULL);
	out = strdup(v ? v : "");
	dm_db_result_free(res);
	return out;
}

static void assert_encrypted(dm_db *db)
{
	char *c = cipher_of(db);

	if (c[0] == '\0')
		fail_msg("connection is not encrypted");
	free(c);
}

static char *current_user(dm_db *db)
{
	dm_buf b = DM_BUF_INIT;
	bool is_null;

	assert_int_equal(dm_db_query_value(db, &b, &is_null,
					   "SELECT CURRENT_USER()", NULL),
			 0);
	return dm_buf_detach(&b);
}

static void test_db_tls__verified_connection_is_encrypted(void **state)
{
	dm_db_opts o = tls_opts();
	dm_db *db;

	(void)state;
	db = open_ok(&o);
	assert_encrypted(db);
	dm_db_close(db);
}

static void test_db_tls__certificate_name_localhost_verifies(void **state)
{
	dm_db_opts o = tls_opts();
	dm_db *db;

	(void)state;
	o.host = "localhost";
	db = open_ok(&o);
	assert_encrypted(db);
	dm_db_close(db);
}

static void test_db_tls__unverified_tls_still_encrypts(void **state)
{
	dm_db_opts o = tls_opts();
	dm_db *db;

	(void)state;
	o.ssl_verify = false;
	db = open_ok(&o);
	assert_encrypted(db);
	dm_db_close(db);
}

static void test_db_tls__client_certificate_is_presented(void **state)
{
	dm_db_opts o = tls_opts();
	dm_db *db = NULL;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;
	char *who;

	(void)state;
	o.user = X509_USER;
	o.password = X509_PASSWORD;
	/* Without the certificate the account's REQUIRE X509 refuses us. */
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_CONNECT);
	assert_null(db);
	assert_int_equal(dm_error_server_errno(e), 1045);
	assert_int_equal(dm_error_format(&b, e, DM_ERROR_FORMAT_FULL), 0);
	assert_null(strstr(b.data, X509_PASSWORD));
	dm_buf_free(&b);
	dm_error_free(e);

	o.ssl_cert = cert;
	o.ssl_key = key;
	db = open_ok(&o);
	assert_encrypted(db);
	who = current_user(db);
	assert_string_equal(who, X509_USER "@127.0.0.1");
	free(who);
	dm_db_close(db);
}

static void test_db_tls__wrong_ca_fails_verification(void **state)
{
	dm_db_opts o = tls_opts();
	dm_db *db = NULL;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	/* The client certificate is no CA: the server's chain cannot verify. */
	o.ssl_ca = cert;
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_TLS);
	assert_null(db);
	assert_int_equal(dm_error_get_scope(e), DM_ERR_SCOPE_DOWNSTREAM);
	assert_int_equal(dm_error_format(&b, e, DM_ERROR_FORMAT_FULL), 0);
	assert_null(strstr(b.data, down.password));
	dm_buf_free(&b);
	dm_error_free(e);
}

static void test_db_tls__reconnect_stays_encrypted(void **state)
{
	dm_db_opts o = tls_opts();
	dm_db *db;
	dm_error *e = NULL;

	(void)state;
	o.ssl_cert = cert;
	o.ssl_key = key;
	db = open_ok(&o);
	assert_int_equal(dm_db_reconnect(db, &e), 0);
	assert_encrypted(db);
	dm_db_close(db);
}

static int group_setup(void **state)
{
	dm_error *e = NULL;

	(void)state;
	ca = getenv("DM_SANDBOX_SSL_CA");
	cert = getenv("DM_SANDBOX_SSL_CERT");
	key = getenv("DM_SANDBOX_SSL_KEY");
	if (!ca || !cert || !key) {
		fprintf(stderr, "db_tls: the sandbox exported no TLS files\n");
		return -1;
	}
	if (dm_global_init(&e) != 0 || dm_ctx_new(&ctx, &e) != 0)
		return -1;
	if (sandbox_downstream(&down) != 0)
		return -1;
	check = sandbox_connect(&down, NULL);
	if (!check)
		return -1;
	return sandbox_exec(check,
			    "DROP USER IF EXISTS '" X509_USER "'@'127.0.0.1'; "
			    "CREATE USER '" X509_USER "'@'127.0.0.1' "
			    "IDENTIFIED BY '" X509_PASSWORD "' REQUIRE X509")
		       ? -1
		       : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	sandbox_exec(check, "DROP USER IF EXISTS '" X509_USER "'@'127.0.0.1'");
	mysql_close(check);
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_tls__verified_connection_is_encrypted),
		cmocka_unit_test(test_db_tls__certificate_name_localhost_verifies),
		cmocka_unit_test(test_db_tls__unverified_tls_still_encrypts),
		cmocka_unit_test(test_db_tls__client_certificate_is_presented),
		cmocka_unit_test(test_db_tls__wrong_ca_fails_verification),
		cmocka_unit_test(test_db_tls__reconnect_stays_encrypted),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("db_tls", tests, group_setup,
					   group_teardown);
}
