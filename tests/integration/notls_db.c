/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_db against servers that offer no TLS (sandbox --no-tls): asking for TLS
 * must fail rather than fall back to plain text, verified or not.
 *
 * Run: tests/sandbox/sandbox run --no-tls -- build/release/tests/integ-notls_db
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "dm/db.h"
#include "sandbox/sandbox.h"

static dm_ctx *ctx;
static sandbox_server down;

static dm_db_opts plain_opts(void)
{
	dm_db_opts o = DM_DB_OPTS_INIT;

	o.host = down.host;
	o.port = down.port;
	o.user = down.user;
	o.password = down.password;
	o.scope = DM_ERR_SCOPE_DOWNSTREAM;
	return o;
}

static void test_notls_db__server_really_offers_no_tls(void **state)
{
	dm_db_opts o = plain_opts();
	dm_db *db = NULL;
	dm_buf b = DM_BUF_INIT;
	bool is_null;

	(void)state;
	assert_int_equal(dm_db_open(&db, ctx, &o, NULL), 0);
	assert_int_equal(dm_db_query_value(db, &b, &is_null,
					   "SELECT @@have_ssl", NULL),
			 0);
	assert_string_equal(b.data, "DISABLED");
	dm_buf_free(&b);
	dm_db_close(db);
}

static void tls_is_refused(bool verify)
{
	dm_db_opts o = plain_opts();
	dm_db *db = NULL;
	dm_error *e = NULL;

	/* Any CA file: the point is that TLS was asked for. */
	o.ssl_ca = "/etc/ssl/certs/ca-certificates.crt";
	o.ssl_verify = verify;
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_TLS);
	assert_null(db);
	assert_int_equal(dm_error_get_scope(e), DM_ERR_SCOPE_DOWNSTREAM);
	dm_error_free(e);
}

static void test_notls_db__unverified_tls_does_not_fall_back(void **state)
{
	dm_db_opts o = plain_opts();
	dm_db *db = NULL;
	dm_error *e = NULL;

	(void)state;
	tls_is_refused(false);
	o.ssl_ca = "/etc/ssl/certs/ca-certificates.crt";
	assert_int_equal(dm_db_open(&db, ctx, &o, &e), DM_E_DB_TLS);
	assert_non_null(strstr(dm_error_message(e), "server does not offer TLS"));
	dm_error_free(e);
}

static void test_notls_db__verified_tls_does_not_fall_back(void **state)
{
	(void)state;
	tls_is_refused(true);
}

static int group_setup(void **state)
{
	(void)state;
	if (dm_global_init(NULL) != 0 || dm_ctx_new(&ctx, NULL) != 0)
		return -1;
	return sandbox_downstream(&down) != 0 ? -1 : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_notls_db__server_really_offers_no_tls),
		cmocka_unit_test(test_notls_db__unverified_tls_does_not_fall_back),
		cmocka_unit_test(test_notls_db__verified_tls_does_not_fall_back),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("notls_db", tests, group_setup,
					   group_teardown);
}
