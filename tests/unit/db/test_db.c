/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/db without a server: quoting, UTF-8 validation, retry classification,
 * option checks and allocation failures. Server behaviour is covered by
 * tests/integration/db_*.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_private.h"
#include "dm/db.h"
#include "dm/err.h"
#include "dm/util.h"
#include "util/alloc.h"

/* ------------------------------------------------------------- helpers */

static void assert_ident(const char *name, size_t len, const char *want)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_db_quote_ident(&b, name, len), 0);
	assert_int_equal(b.len, strlen(want));
	assert_memory_equal(b.data, want, b.len);
	assert_int_equal(b.data[b.len], '\0');
	dm_buf_free(&b);
}

static void assert_value(const void *data, size_t len, unsigned flags,
			 const char *want)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_db_quote_value(&b, data, len, flags), 0);
	if (b.len != strlen(want) || memcmp(b.data, want, b.len) != 0)
		fail_msg("quoted as [%s], want [%s]", b.data, want);
	assert_int_equal(b.data[b.len], '\0');
	dm_buf_free(&b);
}

/* Independent reference: decode one code point the long way. */
static bool ref_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned long cp;
		size_t n, k;

		if (s[i] < 0x80) {
			i++;
			continue;
		} else if ((s[i] & 0xE0) == 0xC0) {
			n = 2;
			cp = s[i] & 0x1Fu;
		} else if ((s[i] & 0xF0) == 0xE0) {
			n = 3;
			cp = s[i] & 0x0Fu;
		} else if ((s[i] & 0xF8) == 0xF0) {
			n = 4;
			cp = s[i] & 0x07u;
		} else {
			return false;
		}
		if (len - i < n)
			return false;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3Fu);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000))
			return false; /* overlong */
		if (cp >= 0xD800 && cp <= 0xDFFF)
			return false; /* surrogate */
		if (cp > 0x10FFFF)
			return false;
		i += n;
	}
	return true;
}

/* ------------------------------------------------------------- quoting */

static void test_db__quote_ident_wraps_and_doubles_backticks(void **state)
{
	static const char weird[] = "we`ird ' \" \xF0\x9F\x98\x80 name";

	(void)state;
	assert_ident("t", 1, "`t`");
	assert_ident("a`b", 3, "`a``b`");
	assert_ident("``", 2, "``````");
	assert_ident("with space", 10, "`with space`");
	assert_ident("it's \"q\"", 8, "`it's \"q\"`");
	assert_ident(weird, sizeof(weird) - 1,
		     "`we``ird ' \" \xF0\x9F\x98\x80 name`");
	/* Any byte but NUL passes through, even invalid UTF-8. */
	assert_ident("\xff\x01", 2, "`\xff\x01`");
}

static void test_db__quote_ident_appends_to_buffer(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_buf_puts(&b, "SELECT * FROM "), 0);
	assert_int_equal(dm_db_quote_ident(&b, "db", 2), 0);
	assert_int_equal(dm_buf_putc(&b, '.'), 0);
	assert_int_equal(dm_db_quote_ident(&b, "t`1", 3), 0);
	assert_string_equal(b.data, "SELECT * FROM `db`.`t``1`");
	dm_buf_free(&b);
}

static void test_db__quote_ident_rejects_nul_and_empty(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_buf_puts(&b, "keep"), 0);
	assert_int_equal(dm_db_quote_ident(&b, "", 0), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_db_quote_ident(&b, "a\0b", 3),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_db_quote_ident(&b, "\0", 1), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_db_quote_ident(&b, NULL, 3), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_db_quote_ident(NULL, "a", 1),
			 DM_E_INVALID_ARGUMENT);
	assert_string_equal(b.data, "keep");
	assert_int_equal(b.len, 4);
	dm_buf_free(&b);
}

static void test_db__quote_value_plain_text_stays_a_string(void **state)
{
	static const char emoji[] = "\xF0\x9F\x98\x80 \xE4\xB8\xAD \xC3\xA9";

	(void)state;
	assert_value("abc", 3, 0, "'abc'");
	assert_value("it's", 4, 0, "'it''s'");
	assert_value("''", 2, 0, "''''''");
	assert_value("say \"hi\" `x`", 12, 0, "'say \"hi\" `x`'");
	assert_value(emoji, sizeof(emoji) - 1, 0,
		     "'\xF0\x9F\x98\x80 \xE4\xB8\xAD \xC3\xA9'");
	/* Highest code points of each length still count as text. */
	assert_value("\x7e\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF", 10, 0,
		     "'\x7e\xDF\xBF\xEF\xBF\xBF\xF4\x8F\xBF\xBF'");
}

static void test_db__quote_value_escapable_bytes_become_hex(void **state)
{
	(void)state;
	assert_value("a\\b", 3, 0, "X'615C62'");
	assert_value("a\0b", 3, 0, "X'610062'");
	assert_value("\\", 1, 0, "X'5C'");
	assert_value("line\n", 5, 0, "X'6C696E650A'");
	assert_value("\t", 1, 0, "X'09'");
	assert_value("\x1f", 1, 0, "X'1F'");
	assert_value("\x7f", 1, 0, "X'7F'");
	assert_value("\x1a", 1, 0, "X'1A'"); /* ^Z, mysql's \Z */
	/* Quotes next to a backslash: the whole value is hex. */
	assert_value("'\\'", 3, 0, "X'275C27'");
}

static void test_db__quote_value_invalid_utf8_becomes_hex(void **state)
{
	(void)state;
	assert_value("\xff", 1, 0, "X'FF'");
	assert_value("\x80", 1, 0, "X'80'");        /* lone continuation */
	assert_value("\xC0\xAF", 2, 0, "X'C0AF'");  /* overlong '/' */
	assert_value("\xC1\xBF", 2, 0, "X'C1BF'");  /* overlong */
	assert_value("\xE0\x80\xAF", 3, 0, "X'E080AF'"); /* overlong */
	assert_value("\xED\xA0\x80", 3, 0, "X'EDA080'"); /* surrogate */
	assert_value("\xF0\x80\x80\xAF", 4, 0, "X'F08080AF'"); /* overlong */
	assert_value("\xF4\x90\x80\x80", 4, 0, "X'F4908080'"); /* > U+10FFFF */
	assert_value("\xF5\x80\x80\x80", 4, 0, "X'F5808080'");
	assert_value("ab\xE2\x82", 4, 0, "X'6162E282'"); /* truncated */
	assert_value("\xE2\x28\xA1", 3, 0, "X'E228A1'"); /* bad continuation */
}

static void test_db__quote_value_empty_and_binary_flag(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_value("", 0, 0, "''");
	assert_value(NULL, 0, 0, "''");
	assert_value("", 0, DM_DB_QUOTE_BINARY, "_binary''");
	assert_value("a'b", 3, DM_DB_QUOTE_BINARY, "_binary'a''b'");
	/* Hex literals are binary already. */
	assert_value("\x00\xff", 2, DM_DB_QUOTE_BINARY, "X'00FF'");
	assert_int_equal(dm_db_quote_value(&b, NULL, 1, 0),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_db_quote_value(NULL, "a", 1, 0),
			 DM_E_INVALID_ARGUMENT);
	assert_null(b.data);
}

static void test_db__quote_value_covers_every_byte(void **state)
{
	unsigned char all[256];
	dm_buf b = DM_BUF_INIT;
	char want[3 + 512 + 1];
	int i;

	(void)state;
	for (i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	assert_int_equal(dm_db_quote_value(&b, all, sizeof(all), 0), 0);
	want[0] = 'X';
	want[1] = '\'';
	for (i = 0; i < 256; i++)
		snprintf(want + 2 + 2 * i, 3, "%02X", i);
	want[514] = '\'';
	want[515] = '\0';
	assert_string_equal(b.data, want);
	/* Each single byte: printable ASCII except '\' stays a string. */
	for (i = 0; i < 256; i++) {
		unsigned char c = (unsigned char)i;
		bool plain = c >= 0x20 && c < 0x7f && c != '\\';

		dm_buf_clear(&b);
		assert_int_equal(dm_db_quote_value(&b, &c, 1, 0), 0);
		assert_int_equal(b.data[0] == '\'', plain);
		if (plain)
			assert_int_equal(b.len, c == '\'' ? 4u : 3u);
		else
			assert_int_equal(b.len, 5);
	}
	dm_buf_free(&b);
}

static void test_db__utf8_validation_matches_reference(void **state)
{
	unsigned char s[4];
	unsigned long x;

	(void)state;
	/* Every 1- and 2-byte sequence, and every 3-byte one. */
	for (x = 0; x < 256; x++) {
		s[0] = (unsigned char)x;
		assert_int_equal(dm__db_utf8_valid(s, 1), ref_utf8_valid(s, 1));
	}
	for (x = 0; x < 65536; x++) {
		s[0] = (unsigned char)(x >> 8);
		s[1] = (unsigned char)x;
		assert_int_equal(dm__db_utf8_valid(s, 2), ref_utf8_valid(s, 2));
	}
	for (x = 0; x < (1ul << 24); x++) {
		s[0] = (unsigned char)(x >> 16);
		s[1] = (unsigned char)(x >> 8);
		s[2] = (unsigned char)x;
		if (dm__db_utf8_valid(s, 3) != ref_utf8_valid(s, 3))
			fail_msg("3-byte sequence %06lX disagrees", x);
	}
	/* 4-byte sequences: every lead and second byte, a spread of the rest. */
	for (x = 0; x < (1ul << 16); x++) {
		unsigned t;

		s[0] = (unsigned char)(x >> 8);
		s[1] = (unsigned char)x;
		for (t = 0; t < 256; t += 17) {
			s[2] = (unsigned char)t;
			s[3] = (unsigned char)(255 - t);
			if (dm__db_utf8_valid(s, 4) != ref_utf8_valid(s, 4))
				fail_msg("4-byte sequence %04lX%02X%02X "
					 "disagrees",
					 x, s[2], s[3]);
		}
	}
}

static void test_db__quote_fails_cleanly_when_out_of_memory(void **state)
{
	static const char *const values[] = { "plain", "it's", "back\\slash",
					      "\xff\xfe", "" };
	static const char long_name[] = "a long identifier name that needs "
					"a bigger buffer than 64 bytes `x`";
	size_t i;
	long n;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		for (n = 0;; n++) {
			dm_buf b = DM_BUF_INIT;
			int rc;

			dm__alloc_fail_after(n);
			rc = dm_db_quote_value(&b, values[i],
					       strlen(values[i]), 0);
			dm__alloc_fail_after(-1);
			if (rc == 0) {
				assert_non_null(b.data);
				dm_buf_free(&b);
				break;
			}
			assert_int_equal(rc, DM_E_NO_MEMORY);
			assert_null(b.data);
			assert_int_equal(b.len, 0);
			assert_true(n < 10);
		}
		assert_true(n >= 1); /* the first allocation did fail */
	}
	for (n = 0;; n++) {
		dm_buf b = DM_BUF_INIT;
		int rc;

		assert_int_equal(dm_buf_puts(&b, "x"), 0);
		/* Force a reallocation on the next append. */
		dm_buf_truncate(&b, 1);
		dm__alloc_fail_after(n);
		rc = dm_db_quote_ident(&b, long_name, strlen(long_name));
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(b.data[0], 'x');
			dm_buf_free(&b);
			break;
		}
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_string_equal(b.data, "x"); /* unchanged */
		dm_buf_free(&b);
		assert_true(n < 10);
	}
	assert_true(n >= 1);
}

/* ----------------------------------------------------- classification */

static void test_db__errno_retry_list_follows_dm(void **state)
{
	static const unsigned yes[] = { 1213, 8005, 8022, 8027, 8028, 8245,
					9001, 9003, 9004, 9007, 2006, 2013,
					2055, 4031, 1927, 1053, 2002, 2003 };
	static const unsigned no[] = { 0,    1205, 1062, 1064, 1146, 1105,
				       9002, 9005, 1045, 2026, 1049, 1317,
				       8002, 1452 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!dm_db_errno_is_retryable(yes[i]))
			fail_msg("errno %u should be retryable", yes[i]);
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (dm_db_errno_is_retryable(no[i]))
			fail_msg("errno %u should not be retryable", no[i]);
}

static dm_error *db_error(int status, unsigned no, const char *raw)
{
	dm_error *e = NULL;

	dm_error_set_db(&e, status, DM_ERR_SCOPE_DOWNSTREAM, no, "HY000", raw,
			"INSERT INTO t VALUES (1)");
	return e;
}

static void test_db__error_retry_walks_cause_chain(void **state)
{
	dm_error *e;

	(void)state;
	assert_false(dm_db_error_is_retryable(NULL));
	assert_false(dm_db_error_is_conn_lost(NULL));

	e = db_error(DM_E_DB_EXECUTE_FAILED, 1213, "Deadlock found");
	assert_true(dm_db_error_is_retryable(e));
	assert_false(dm_db_error_is_conn_lost(e));
	dm_error_free(e);

	e = db_error(DM_E_DB_EXECUTE_FAILED, 1205, "Lock wait timeout");
	assert_false(dm_db_error_is_retryable(e));
	dm_error_free(e);

	e = db_error(DM_E_DB_EXECUTE_FAILED, 1062, "Duplicate entry");
	assert_false(dm_db_error_is_retryable(e));
	dm_error_free(e);

	e = db_error(DM_E_DB_EXECUTE_FAILED, 1105,
		     "Information schema is out of date: schema failed");
	assert_true(dm_db_error_is_retryable(e));
	dm_error_free(e);

	e = db_error(DM_E_DB_EXECUTE_FAILED, 1105,
		     "[domain:8028]Information schema is changed during the "
		     "execution");
	assert_true(dm_db_error_is_retryable(e));
	dm_error_free(e);

	e = db_error(DM_E_DB_EXECUTE_FAILED, 1105, "unknown error");
	assert_false(dm_db_error_is_retryable(e));
	dm_error_free(e);

	e = db_error(DM_E_DB_BAD_CONN, 2013, "Lost connection");
	assert_true(dm_db_error_is_retryable(e));
	assert_true(dm_db_error_is_conn_lost(e));
	dm_error_free(e);

	/* An error another module wraps around a lost connection. */
	e = db_error(DM_E_DB_QUERY_FAILED, 2006, "server has gone away");
	dm_error_set(&e, DM_E_INTERNAL, "flush checkpoint");
	assert_int_equal(dm_error_status(e), DM_E_INTERNAL);
	assert_true(dm_db_error_is_conn_lost(e));
	assert_true(dm_db_error_is_retryable(e));
	dm_error_free(e);

	e = db_error(DM_E_DB_INVALID_CONN, 0, NULL);
	assert_true(dm_db_error_is_conn_lost(e));
	assert_true(dm_db_error_is_retryable(e));
	dm_error_free(e);

	/* A connection that could not be made in the first place. */
	e = db_error(DM_E_DB_CONNECT, 2003, "Can't connect");
	assert_false(dm_db_error_is_conn_lost(e));
	assert_false(dm_db_error_is_retryable(e));
	dm_error_free(e);
	e = db_error(DM_E_DB_CONNECT, 1045, "Access denied");
	assert_false(dm_db_error_is_retryable(e));
	dm_error_free(e);

	e = NULL;
	dm_error_set(&e, DM_E_INVALID_ARGUMENT, "x");
	assert_false(dm_db_error_is_retryable(e));
	assert_false(dm_db_error_is_conn_lost(e));
	dm_error_free(e);
}

/* -------------------------------------------------------------- options */

static void expect_invalid(const dm_db_opts *o, const char *needle)
{
	dm_error *e = NULL;

	assert_int_equal(dm__db_opts_check(o, &e), DM_E_INVALID_ARGUMENT);
	assert_non_null(e);
	if (!strstr(dm_error_message(e), needle))
		fail_msg("message [%s] lacks [%s]", dm_error_message(e),
			 needle);
	dm_error_free(e);
}

static void test_db__opts_check_rejects_bad_options(void **state)
{
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_db_var vars[2] = { { "tidb_txn_mode", "'optimistic'" },
			      { "foreign_key_checks", "0" } };
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm__db_opts_check(&o, &e), 0);
	assert_null(e);
	o.session_vars = vars;
	o.n_session_vars = 2;
	o.port = 65535;
	o.max_allowed_packet = 1024ull * 1024 * 1024;
	o.charset = "latin1";
	assert_int_equal(dm__db_opts_check(&o, &e), 0);

	expect_invalid(NULL, "missing");
	o.version = 2;
	expect_invalid(&o, "version");
	o.version = 1;
	o.port = 65536;
	expect_invalid(&o, "port");
	o.port = 0;
	o.host = "";
	expect_invalid(&o, "host");
	o.host = NULL;
	o.charset = "utf8mb4; DROP";
	expect_invalid(&o, "charset");
	o.charset = NULL;
	o.max_allowed_packet = 1024ull * 1024 * 1024 + 1;
	expect_invalid(&o, "max_allowed_packet");
	o.max_allowed_packet = 0;
	o.scope = (dm_error_scope)9;
	expect_invalid(&o, "scope");
	o.scope = DM_ERR_SCOPE_UPSTREAM;
	vars[1].name = "a = 1, b";
	expect_invalid(&o, "session variable name");
	vars[1].name = "";
	expect_invalid(&o, "session variable name");
	vars[1].name = NULL;
	expect_invalid(&o, "session variable name");
	vars[1].name = "x";
	vars[1].value = NULL;
	expect_invalid(&o, "has no value");
	vars[1].value = "";
	expect_invalid(&o, "has no value");
	o.session_vars = NULL;
	expect_invalid(&o, "no array");
}

static void test_db__open_checks_options_before_connecting(void **state)
{
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_db *db = (dm_db *)&o; /* must be reset to NULL */
	dm_error *e = NULL;

	(void)state;
	o.version = 7;
	assert_int_equal(dm_db_open(&db, NULL, &o, &e), DM_E_INVALID_ARGUMENT);
	assert_null(db);
	assert_int_equal(dm_error_code(e), 11902);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_db_open(NULL, NULL, &o, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
}

/* A unix socket that does not exist fails at once, without a server. */
static void test_db__open_reports_connect_failure(void **state)
{
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_db *db = NULL;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	o.socket = "/nonexistent/libdm-test.sock";
	o.user = "someone";
	o.password = "s3cret-Pa55";
	o.scope = DM_ERR_SCOPE_UPSTREAM;
	assert_int_equal(dm_db_open(&db, NULL, &o, &e), DM_E_DB_CONNECT);
	assert_null(db);
	assert_int_equal(dm_error_server_errno(e), 2002);
	assert_int_equal(dm_error_get_scope(e), DM_ERR_SCOPE_UPSTREAM);
	assert_false(dm_db_error_is_retryable(e));
	assert_int_equal(dm_error_format(&b, e, DM_ERROR_FORMAT_FULL), 0);
	assert_non_null(strstr(b.data, "/nonexistent/libdm-test.sock"));
	assert_non_null(strstr(b.data, "someone"));
	assert_null(strstr(b.data, "s3cret"));
	dm_buf_free(&b);
	dm_error_free(e);
}

static void test_db__open_fails_cleanly_when_out_of_memory(void **state)
{
	dm_db_var vars[1] = { { "autocommit", "1" } };
	dm_db_opts o = DM_DB_OPTS_INIT;
	long n;

	(void)state;
	o.socket = "/nonexistent/libdm-test.sock";
	o.user = "u";
	o.password = "p";
	o.database = "d";
	o.ssl_ca = "/nonexistent/ca.pem";
	o.time_zone = "+00:00";
	o.sql_mode = "";
	o.session_vars = vars;
	o.n_session_vars = 1;
	for (n = 0;; n++) {
		dm_db *db = NULL;
		dm_error *e = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = dm_db_open(&db, NULL, &o, &e);
		dm__alloc_fail_after(-1);
		assert_null(db);
		assert_non_null(e);
		dm_error_free(e);
		if (rc != DM_E_NO_MEMORY) {
			/* TLS is asked for, so this is either outcome. */
			assert_true(rc == DM_E_DB_CONNECT || rc == DM_E_DB_TLS);
			break;
		}
		assert_true(n < 100);
	}
	assert_true(n >= 10);
}

static void test_db__accessors_accept_null(void **state)
{
	(void)state;
	dm_db_close(NULL);
	dm_db_result_free(NULL);
	assert_int_equal(dm_db_affected_rows(NULL), 0);
	assert_int_equal(dm_db_last_insert_id(NULL), 0);
	assert_string_equal(dm_db_server_version(NULL), "");
	assert_false(dm_db_is_mariadb(NULL));
	assert_int_equal(dm_db_result_ncols(NULL), 0);
	assert_int_equal(dm_db_result_nrows(NULL), 0);
	assert_null(dm_db_result_col_name(NULL, 0));
	assert_int_equal(dm_db_result_next(NULL), DM_DONE);
	assert_null(dm_db_result_value(NULL, 0, NULL));
	assert_int_equal(dm_db_exec(NULL, "SELECT 1", 8, NULL),
			 DM_E_INVALID_ARGUMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db__quote_ident_wraps_and_doubles_backticks),
		cmocka_unit_test(test_db__quote_ident_appends_to_buffer),
		cmocka_unit_test(test_db__quote_ident_rejects_nul_and_empty),
		cmocka_unit_test(test_db__quote_value_plain_text_stays_a_string),
		cmocka_unit_test(test_db__quote_value_escapable_bytes_become_hex),
		cmocka_unit_test(test_db__quote_value_invalid_utf8_becomes_hex),
		cmocka_unit_test(test_db__quote_value_empty_and_binary_flag),
		cmocka_unit_test(test_db__quote_value_covers_every_byte),
		cmocka_unit_test(test_db__utf8_validation_matches_reference),
		cmocka_unit_test(test_db__quote_fails_cleanly_when_out_of_memory),
		cmocka_unit_test(test_db__errno_retry_list_follows_dm),
		cmocka_unit_test(test_db__error_retry_walks_cause_chain),
		cmocka_unit_test(test_db__opts_check_rejects_bad_options),
		cmocka_unit_test(test_db__open_checks_options_before_connecting),
		cmocka_unit_test(test_db__open_reports_connect_failure),
		cmocka_unit_test(test_db__open_fails_cleanly_when_out_of_memory),
		cmocka_unit_test(test_db__accessors_accept_null),
	};

	return cmocka_run_group_tests_name("db", tests, NULL, NULL);
}
