/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Quoting against real servers: names with backticks, quotes, spaces and
 * non-ASCII letters, every byte value in binary columns and 4-byte UTF-8
 * in utf8mb4 columns, written through dm_db_quote_ident/dm_db_quote_value
 * and read back byte for byte, with and without NO_BACKSLASH_ESCAPES.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-db_roundtrip
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
#include "dm/err.h"
#include "dm/util.h"
#include "sandbox/sandbox.h"

#define TEST_DB "dmtest_db_roundtrip"
/* MariaDB keeps identifiers in utf8mb3: no 4-byte characters in names. */
#define WEIRD_DB TEST_DB " we`ird ' \" \xC3\xA9 \xE4\xB8\xAD"
#define WEIRD_TABLE "ta`ble ' \" \xE4\xB8\xAD name"
#define WEIRD_COL1 "co`l ' \" \xC3\xA9"
#define WEIRD_COL2 "c2 \"x\" 'y' `z` \\ back"
#define EMOJI "\xF0\x9F\x98\x80"

static sandbox_server servers[2];
static MYSQL *checks[2]; /* independent connections, upstream, downstream */

/* sql_mode variants every round trip runs under. */
static const char *const modes[] = {
	"STRICT_ALL_TABLES",
	"NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES",
	"ANSI_QUOTES,NO_BACKSLASH_ESCAPES,STRICT_ALL_TABLES",
	"ANSI,STRICT_ALL_TABLES",
};
#define N_MODES (sizeof(modes) / sizeof(modes[0]))

static dm_db *open_db(int server, const char *sql_mode, const char *db_name)
{
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_db *db = NULL;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	o.host = servers[server].host;
	o.port = servers[server].port;
	o.user = servers[server].user;
	o.password = servers[server].password;
	o.database = db_name;
	o.sql_mode = sql_mode;
	o.scope = server ? DM_ERR_SCOPE_DOWNSTREAM : DM_ERR_SCOPE_UPSTREAM;
	if (dm_db_open(&db, NULL, &o, &e) != 0) {
		dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
		fail_msg("dm_db_open: %s", b.data);
	}
	return db;
}

static void qi(dm_buf *b, const char *name)
{
	assert_int_equal(dm_db_quote_ident(b, name, strlen(name)), 0);
}

static void qv(dm_buf *b, const void *data, size_t len, unsigned flags)
{
	assert_int_equal(dm_db_quote_value(b, data, len, flags), 0);
}

static void put(dm_buf *b, const char *s)
{
	assert_int_equal(dm_buf_puts(b, s), 0);
}

static void exec_buf(dm_db *db, dm_buf *sql)
{
	dm_error *e = NULL;
	dm_buf f = DM_BUF_INIT;

	if (dm_db_exec(db, sql->data, sql->len, &e) != 0) {
		dm_error_format(&f, e, DM_ERROR_FORMAT_FULL);
		fail_msg("%s", f.data);
	}
	dm_buf_clear(sql);
}

static void exec_str(dm_db *db, const char *s)
{
	dm_buf b = DM_BUF_INIT;

	put(&b, s);
	exec_buf(db, &b);
	dm_buf_free(&b);
}

static dm_db_result *query_buf(dm_db *db, dm_buf *sql)
{
	dm_db_result *res = NULL;
	dm_error *e = NULL;
	dm_buf f = DM_BUF_INIT;

	if (dm_db_query(db, &res, sql->data, sql->len, &e) != 0) {
		dm_error_format(&f, e, DM_ERROR_FORMAT_FULL);
		fail_msg("%s", f.data);
	}
	dm_buf_clear(sql);
	return res;
}

static void assert_bytes(const char *what, const char *got, size_t got_len,
			 const void *want, size_t want_len)
{
	if (!got)
		fail_msg("%s: got NULL", what);
	if (got_len != want_len || memcmp(got, want, want_len) != 0)
		fail_msg("%s: got %zu bytes, want %zu", what, got_len,
			 want_len);
}

static void assert_col(dm_db_result *res, size_t col, const void *want,
		       size_t want_len, const char *what)
{
	size_t len;
	const char *v = dm_db_result_value(res, col, &len);

	assert_bytes(what, v, len, want, want_len);
}

static char *to_hex(const unsigned char *p, size_t n)
{
	char *h = malloc(2 * n + 1);
	size_t i;

	assert_non_null(h);
	for (i = 0; i < n; i++)
		snprintf(h + 2 * i, 3, "%02X", p[i]);
	h[2 * n] = '\0';
	return h;
}

static int group_setup(void **state)
{
	int i;

	(void)state;
	if (dm_global_init(NULL) != 0 || sandbox_upstream(1, &servers[0]) ||
	    sandbox_downstream(&servers[1]))
		return -1;
	for (i = 0; i < 2; i++) {
		checks[i] = sandbox_connect(&servers[i], NULL);
		if (!checks[i] ||
		    sandbox_exec(checks[i],
				 "DROP DATABASE IF EXISTS " TEST_DB "; "
				 "CREATE DATABASE " TEST_DB
				 " CHARACTER SET utf8mb4"))
			return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		sandbox_exec(checks[i], "DROP DATABASE IF EXISTS " TEST_DB);
		/* Left behind only when a test failed half-way. */
		sandbox_exec(checks[i], "DROP DATABASE IF EXISTS `" TEST_DB
					" we``ird ' \" \xC3\xA9 \xE4\xB8\xAD`");
		mysql_close(checks[i]);
	}
	dm_global_cleanup();
	return 0;
}

/* ------------------------------------------------------------------ names */

static const char *const weird_values[] = {
	"we`ird ' \" " EMOJI " value",
	"plain",
	"back\\slash and 'quote'",
	"",
};

static void weird_names_once(int server, const char *mode)
{
	static const char *const cols[] = { "id", WEIRD_COL1, WEIRD_COL2 };
	dm_db *db = open_db(server, mode, NULL);
	dm_db_result *res;
	dm_buf b = DM_BUF_INIT;
	size_t i;

	put(&b, "DROP DATABASE IF EXISTS ");
	qi(&b, WEIRD_DB);
	exec_buf(db, &b);
	put(&b, "CREATE DATABASE ");
	qi(&b, WEIRD_DB);
	put(&b, " CHARACTER SET utf8mb4");
	exec_buf(db, &b);
	put(&b, "CREATE TABLE ");
	qi(&b, WEIRD_DB);
	put(&b, ".");
	qi(&b, WEIRD_TABLE);
	put(&b, " (id INT PRIMARY KEY, ");
	qi(&b, WEIRD_COL1);
	put(&b, " VARCHAR(100), ");
	qi(&b, WEIRD_COL2);
	put(&b, " TEXT) CHARACTER SET utf8mb4");
	exec_buf(db, &b);

	for (i = 0; i < sizeof(weird_values) / sizeof(weird_values[0]); i++) {
		const char *v = weird_values[i];

		put(&b, "INSERT INTO ");
		qi(&b, WEIRD_DB);
		put(&b, ".");
		qi(&b, WEIRD_TABLE);
		put(&b, " (id, ");
		qi(&b, WEIRD_COL1);
		put(&b, ", ");
		qi(&b, WEIRD_COL2);
		assert_int_equal(dm_buf_printf(&b, ") VALUES (%zu, ", i), 0);
		qv(&b, v, strlen(v), 0);
		put(&b, ", ");
		qv(&b, v, strlen(v), 0);
		put(&b, ")");
		exec_buf(db, &b);
	}

	put(&b, "SELECT id, ");
	qi(&b, WEIRD_COL1);
	put(&b, ", ");
	qi(&b, WEIRD_COL2);
	put(&b, " FROM ");
	qi(&b, WEIRD_DB);
	put(&b, ".");
	qi(&b, WEIRD_TABLE);
	put(&b, " ORDER BY id");
	res = query_buf(db, &b);
	assert_int_equal(dm_db_result_nrows(res), 4);
	assert_string_equal(dm_db_result_col_name(res, 1), WEIRD_COL1);
	assert_string_equal(dm_db_result_col_name(res, 2), WEIRD_COL2);
	for (i = 0; i < 4; i++) {
		assert_int_equal(dm_db_result_next(res), 0);
		assert_col(res, 1, weird_values[i], strlen(weird_values[i]),
			   "weird value, column 1");
		assert_col(res, 2, weird_values[i], strlen(weird_values[i]),
			   "weird value, column 2");
	}
	dm_db_result_free(res);

	/* The catalog holds exactly the names we meant. */
	put(&b, "SELECT column_name FROM information_schema.columns "
		"WHERE table_schema = ");
	qv(&b, WEIRD_DB, strlen(WEIRD_DB), 0);
	put(&b, " AND table_name = ");
	qv(&b, WEIRD_TABLE, strlen(WEIRD_TABLE), 0);
	put(&b, " ORDER BY ordinal_position");
	res = query_buf(db, &b);
	assert_int_equal(dm_db_result_nrows(res), 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(dm_db_result_next(res), 0);
		assert_col(res, 0, cols[i], strlen(cols[i]), "column name");
	}
	dm_db_result_free(res);

	/* 4-byte characters reach the server intact, which refuses them in
	 * names (1300): the message echoes the exact bytes we sent. */
	{
		dm_error *e = NULL;

		put(&b, "CREATE TABLE ");
		qi(&b, WEIRD_DB);
		put(&b, ".");
		qi(&b, "t`'\" " EMOJI);
		put(&b, " (id INT)");
		assert_int_equal(dm_db_exec(db, b.data, b.len, &e),
				 DM_E_DB_EXECUTE_FAILED);
		assert_int_equal(dm_error_server_errno(e), 1300);
		assert_non_null(strstr(dm_error_raw_cause(e),
				       "t`'\" \\xF0\\x9F\\x98\\x80"));
		dm_error_free(e);
		dm_buf_clear(&b);
	}

	put(&b, "DROP DATABASE ");
	qi(&b, WEIRD_DB);
	exec_buf(db, &b);
	dm_buf_free(&b);
	dm_db_close(db);
}

static void test_db_roundtrip__weird_names(void **state)
{
	int server;
	size_t m;

	(void)state;
	for (server = 0; server < 2; server++)
		for (m = 0; m < N_MODES; m++)
			weird_names_once(server, modes[m]);
}

/* ----------------------------------------------------------------- binary */

#define N_SINGLE 256
#define N_RANDOM 200
#define ROW_ALL 0
#define ROW_EMPTY (1 + N_SINGLE)
#define ROW_NULL (ROW_EMPTY + 1)
#define ROW_RANDOM (ROW_NULL + 1)
#define N_ROWS (ROW_RANDOM + N_RANDOM)

/* Deterministic bytes biased towards the ones quoting cares about. */
static size_t random_value(unsigned char *out, unsigned seed)
{
	static const unsigned char special[] = { '\'', '\\', '"', '`', 0,
						 '\n', 0x1a, 0x7f, 0xff, 0xc3,
						 0xa9, 0xf0, 0x9f, '%', '_' };
	uint32_t x = seed * 2654435761u + 12345u;
	size_t n, i;

	x ^= x >> 13;
	n = x % 64;
	for (i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		out[i] = (x >> 24) & 1 ? special[(x >> 16) % sizeof(special)] :
					 (unsigned char)(x >> 8);
	}
	return n;
}

/* Expected content of row `id`; false for the NULL row. */
static bool row_bytes(unsigned id, unsigned char *buf, size_t *len)
{
	unsigned i;

	if (id == ROW_ALL) {
		for (i = 0; i < 256; i++)
			buf[i] = (unsigned char)i;
		*len = 256;
	} else if (id <= N_SINGLE) {
		buf[0] = (unsigned char)(id - 1);
		*len = 1;
	} else if (id == ROW_EMPTY) {
		*len = 0;
	} else if (id == ROW_NULL) {
		return false;
	} else {
		*len = random_value(buf, id);
	}
	return true;
}

static void binary_once(int server, const char *mode, unsigned flags)
{
	dm_db *db = open_db(server, mode, TEST_DB);
	dm_db_result *res;
	dm_buf b = DM_BUF_INIT;
	unsigned char buf[256];
	size_t len;
	unsigned id;
	char *want_hex, *got_hex;

	exec_str(db, "DROP TABLE IF EXISTS bin");
	exec_str(db, "CREATE TABLE bin (id INT PRIMARY KEY, vb VARBINARY(300), "
		     "bl BLOB)");
	/* One statement per row for a few, one big statement for the rest. */
	for (id = 0; id < N_ROWS; id++) {
		put(&b, id <= 9 ? "INSERT INTO bin VALUES (" : ", (");
		assert_int_equal(dm_buf_printf(&b, "%u, ", id), 0);
		if (row_bytes(id, buf, &len)) {
			qv(&b, buf, len, flags);
			put(&b, ", ");
			qv(&b, buf, len, flags);
		} else {
			put(&b, "NULL, NULL");
		}
		put(&b, ")");
		if (id <= 8)
			exec_buf(db, &b);
	}
	exec_buf(db, &b);

	put(&b, "SELECT id, vb, bl, HEX(vb), HEX(bl), LENGTH(bl) FROM bin "
		"ORDER BY id");
	res = query_buf(db, &b);
	assert_int_equal(dm_db_result_nrows(res), N_ROWS);
	for (id = 0; id < N_ROWS; id++) {
		char what[64];

		assert_int_equal(dm_db_result_next(res), 0);
		snprintf(what, sizeof(what), "row %u (%s, flags %u)", id, mode,
			 flags);
		if (!row_bytes(id, buf, &len)) {
			assert_null(dm_db_result_value(res, 1, NULL));
			assert_null(dm_db_result_value(res, 2, NULL));
			continue;
		}
		assert_col(res, 1, buf, len, what);
		assert_col(res, 2, buf, len, what);
		want_hex = to_hex(buf, len);
		assert_col(res, 3, want_hex, strlen(want_hex), what);
		assert_col(res, 4, want_hex, strlen(want_hex), what);
		free(want_hex);
	}
	assert_int_equal(dm_db_result_next(res), DM_DONE);
	dm_db_result_free(res);

	/* Independent look at the row with every byte. */
	row_bytes(ROW_ALL, buf, &len);
	want_hex = to_hex(buf, len);
	got_hex = sandbox_query_value(checks[server],
				      "SELECT HEX(bl) FROM " TEST_DB
				      ".bin WHERE id = 0",
				      NULL);
	assert_non_null(got_hex);
	assert_string_equal(got_hex, want_hex);
	free(got_hex);
	free(want_hex);
	exec_str(db, "DROP TABLE bin");
	dm_buf_free(&b);
	dm_db_close(db);
}

static void test_db_roundtrip__every_byte_in_binary_columns(void **state)
{
	int server;
	size_t m;

	(void)state;
	for (server = 0; server < 2; server++) {
		for (m = 0; m < N_MODES; m++) {
			binary_once(server, modes[m], 0);
			binary_once(server, modes[m], DM_DB_QUOTE_BINARY);
		}
	}
}

/* ------------------------------------------------------------------- text */

struct text {
	const char *s;
	size_t len;
	int chars; /* CHAR_LENGTH in utf8mb4 */
};
#define TEXT(lit, chars) { lit, sizeof(lit) - 1, chars }

static const struct text texts[] = {
	TEXT(EMOJI, 1),
	TEXT("a'b" EMOJI "'", 5),
	TEXT("\\" EMOJI "\\", 3),
	TEXT("line1\nline2 " EMOJI, 13),
	TEXT("tab\there\r\n", 10),
	TEXT("\xE4\xB8\xAD\xE6\x96\x87 \xC3\xA9 \xC3\xBC", 6),
	TEXT("\xF0\x9D\x84\x9E music \xF4\x8F\xBF\xBF", 9),
	TEXT("quote '' double \" back ` pct % under _", 38),
	TEXT("del \x7f and ^Z \x1a", 14),
	TEXT("nul \0 inside", 12),
	TEXT("", 0),
};

static void text_once(int server, const char *mode, unsigned flags)
{
	dm_db *db = open_db(server, mode, TEST_DB);
	dm_db_result *res;
	dm_buf b = DM_BUF_INIT;
	size_t i, n = sizeof(texts) / sizeof(texts[0]);
	char *hex;

	exec_str(db, "DROP TABLE IF EXISTS txt");
	exec_str(db, "CREATE TABLE txt (id INT PRIMARY KEY, "
		     "v VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, "
		     "t TEXT CHARACTER SET utf8mb4)");
	for (i = 0; i < n; i++) {
		assert_int_equal(dm_buf_printf(&b, "INSERT INTO txt VALUES "
						   "(%zu, ",
					       i),
				 0);
		qv(&b, texts[i].s, texts[i].len, flags);
		put(&b, ", ");
		qv(&b, texts[i].s, texts[i].len, flags);
		put(&b, ")");
		exec_buf(db, &b);
	}
	put(&b, "SELECT v, t, CHAR_LENGTH(v), HEX(t) FROM txt ORDER BY id");
	res = query_buf(db, &b);
	for (i = 0; i < n; i++) {
		char what[64], nchars[16];

		snprintf(what, sizeof(what), "text %zu (%s, flags %u)", i, mode,
			 flags);
		assert_int_equal(dm_db_result_next(res), 0);
		assert_col(res, 0, texts[i].s, texts[i].len, what);
		assert_col(res, 1, texts[i].s, texts[i].len, what);
		/* Characters, not bytes: stored as utf8mb4 text. */
		snprintf(nchars, sizeof(nchars), "%d", texts[i].chars);
		assert_col(res, 2, nchars, strlen(nchars), what);
		hex = to_hex((const unsigned char *)texts[i].s, texts[i].len);
		assert_col(res, 3, hex, strlen(hex), what);
		free(hex);
	}
	dm_db_result_free(res);

	/* Independent read of the emoji row over a utf8mb4 connection. */
	hex = sandbox_query_value(checks[server],
				  "SELECT CONCAT(HEX(v), ':', CHAR_LENGTH(v)) "
				  "FROM " TEST_DB ".txt WHERE id = 0",
				  NULL);
	assert_non_null(hex);
	assert_string_equal(hex, "F09F9880:1");
	free(hex);
	exec_str(db, "DROP TABLE txt");
	dm_buf_free(&b);
	dm_db_close(db);
}

static void test_db_roundtrip__utf8mb4_text(void **state)
{
	int server;
	size_t m;

	(void)state;
	for (server = 0; server < 2; server++) {
		for (m = 0; m < N_MODES; m++) {
			text_once(server, modes[m], 0);
			text_once(server, modes[m], DM_DB_QUOTE_BINARY);
		}
	}
}

/* Invalid UTF-8 is sent as hex and refused by a strict utf8mb4 column,
 * with the server's errno kept. */
static void test_db_roundtrip__invalid_utf8_is_refused_by_text(void **state)
{
	dm_db *db = open_db(1, "STRICT_ALL_TABLES", TEST_DB);
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	exec_str(db, "CREATE TABLE bad (v TEXT CHARACTER SET utf8mb4)");
	put(&b, "INSERT INTO bad VALUES (");
	qv(&b, "\xff\xfe", 2, 0);
	put(&b, ")");
	assert_int_equal(dm_db_exec(db, b.data, b.len, &e),
			 DM_E_DB_EXECUTE_FAILED);
	assert_int_equal(dm_error_server_errno(e), 1366);
	assert_string_equal(dm_error_sqlstate(e), "22007");
	dm_error_free(e);
	exec_str(db, "DROP TABLE bad");
	dm_buf_free(&b);
	dm_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_db_roundtrip__weird_names),
		cmocka_unit_test(test_db_roundtrip__every_byte_in_binary_columns),
		cmocka_unit_test(test_db_roundtrip__utf8mb4_text),
		cmocka_unit_test(test_db_roundtrip__invalid_utf8_is_refused_by_text),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("db_roundtrip", tests, group_setup,
					   group_teardown);
}
