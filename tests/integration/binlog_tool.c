/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every column type MariaDB has, with edge values, through the binlog:
 * a table per type gets rows inserted, updated and deleted on the sandbox
 * upstream (binlog_row_metadata=FULL), then
 *   (a) the binlog files, decoded by the library, hold exactly the values
 *       SELECT returned before and after the update;
 *   (b) the "###" lines of `dm-binlog --format=text` equal those of
 *       `mariadb-binlog --verbose --base64-output=decode-rows` for the same
 *       files;
 *   (c) the live stream (lib/binlog/stream.h) yields the same values as (a).
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-binlog_tool
 * (dm-binlog is found in $DM_BUILD_DIR/bin, default build/release/bin).
 *
 * binlog_compressed.c includes this file with BINLOG_TOOL_COMPRESSED
 * defined: the same workload then runs with log_bin_compress=ON, so the
 * server writes MariaDB's compressed QUERY and ROWS events (types
 * 165-171), and every check above must hold for them too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "binlog/stream.h"
#include "dm/binlog.h"
#include "dm/err.h"
#include "dm/log.h"
#include "dm/util.h"
#include "dm/value.h"
#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

#ifdef BINLOG_TOOL_COMPRESSED
#define TEST_DB "dmtest_binlog_compressed"
#define TEST_NAME "binlog_compressed"
#else
#define TEST_DB "dmtest_binlog_tool"
#define TEST_NAME "binlog_tool"
#endif
#define MAX_VALUES 12

enum {
	CMP_TEXT = 0,   /* dm_value_format_text equals SELECT's bytes */
	CMP_FLOAT,      /* the same float (SELECT rounds to 6 digits) */
	CMP_DOUBLE      /* the same double */
};

typedef struct type_case {
	const char *name;               /* table t_<name> */
	const char *type;               /* the column's SQL type */
	const char *values[MAX_VALUES]; /* SQL literals; NULL ends */
	int cmp;
	const char *select;             /* what to SELECT for v; NULL: v */
} type_case;

#define BYTES_ALL \
	"X'000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F" \
	"202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F" \
	"404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F" \
	"606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F" \
	"808182838485868788898A8B8C8D8E8F909192939495969798999A9B9C9D9E9F" \
	"A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF" \
	"C0C1C2C3C4C5C6C7C8C9CACBCCCDCECFD0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF" \
	"E0E1E2E3E4E5E6E7E8E9EAEBECEDEEEFF0F1F2F3F4F5F6F7F8F9FAFBFCFDFEFF'"

#define FSP_CASES(kind, zero, lo, hi)                                     \
	{ kind "0", kind "(0)", { zero, lo, hi, "NULL" }, CMP_TEXT, NULL }, \
	{ kind "1", kind "(1)", { zero, lo, hi, "NULL" }, CMP_TEXT, NULL }, \
	{ kind "2", kind "(2)", { zero, lo, hi, "NULL" }, CMP_TEXT, NULL }, \
	{ kind "3", kind "(3)", { zero, lo, hi, "NULL" }, CMP_TEXT, NULL }, \
	{ kind "4", kind "(4)", { zero, lo, hi, "NULL" }, CMP_TEXT, NULL }, \
	{ kind "5", kind "(5)", { zero, lo, hi, "NULL" }, CMP_TEXT, NULL }, \
	{ kind "6", kind "(6)", { zero, lo, hi, "NULL" }, CMP_TEXT, NULL }

static const type_case cases[] = {
	{ "tinyint", "TINYINT", { "-128", "127", "0", "-1", "NULL" }, 0, NULL },
	{ "utinyint", "TINYINT UNSIGNED", { "0", "255", "128", "NULL" }, 0, NULL },
	{ "bool", "BOOLEAN", { "TRUE", "FALSE", "NULL" }, 0, NULL },
	{ "smallint", "SMALLINT", { "-32768", "32767", "0", "-1" }, 0, NULL },
	{ "usmallint", "SMALLINT UNSIGNED", { "0", "65535", "32768" }, 0, NULL },
	{ "mediumint", "MEDIUMINT", { "-8388608", "8388607", "0", "-1" }, 0, NULL },
	{ "umediumint", "MEDIUMINT UNSIGNED", { "0", "16777215", "8388608" },
	  0, NULL },
	{ "int", "INT", { "-2147483648", "2147483647", "0", "-1", "NULL" },
	  0, NULL },
	{ "uint", "INT UNSIGNED", { "0", "4294967295", "2147483648" }, 0, NULL },
	{ "bigint", "BIGINT",
	  { "-9223372036854775808", "9223372036854775807", "0", "-1" }, 0, NULL },
	{ "ubigint", "BIGINT UNSIGNED",
	  { "0", "18446744073709551615", "9223372036854775808" }, 0, NULL },
	{ "dec10_2", "DECIMAL(10,2)",
	  { "-99999999.99", "99999999.99", "-0.00", "0.01", "-0.01", "NULL" },
	  0, NULL },
	{ "dec65_30", "DECIMAL(65,30)",
	  { "-99999999999999999999999999999999999.999999999999999999999999999999",
	    "99999999999999999999999999999999999.999999999999999999999999999999",
	    "-0.000000000000000000000000000000",
	    "0.000000000000000000000000000001", "123456789.123456789" },
	  0, NULL },
	{ "dec65_0", "DECIMAL(65,0)",
	  { "-99999999999999999999999999999999999999999999999999999999999999999",
	    "99999999999999999999999999999999999999999999999999999999999999999",
	    "0", "-1" }, 0, NULL },
	{ "dec5_5", "DECIMAL(5,5)", { "-0.99999", "0.99999", "-0.00000", "0" },
	  0, NULL },
	{ "udec", "DECIMAL(12,4) UNSIGNED", { "0", "99999999.9999", "1.5" },
	  0, NULL },
	{ "float", "FLOAT",
	  { "-3.40282e38", "3.40282e38", "1.17549e-38", "0", "-1.5", "NULL" },
	  CMP_FLOAT, NULL },
	{ "double", "DOUBLE",
	  { "-1.7976931348623157e308", "1.7976931348623157e308",
	    "2.2250738585072014e-308", "0", "0.1", "-2.5", "NULL" },
	  CMP_DOUBLE, NULL },
	{ "bit1", "BIT(1)", { "b'0'", "b'1'", "NULL" }, 0, NULL },
	{ "bit10", "BIT(10)", { "b'0'", "b'1111111111'", "b'1000000001'" },
	  0, NULL },
	{ "bit64", "BIT(64)",
	  { "b'0'", "x'FFFFFFFFFFFFFFFF'", "x'8000000000000001'" }, 0, NULL },
	{ "year", "YEAR", { "1901", "2155", "0", "2024", "NULL" }, 0, NULL },
	{ "date", "DATE",
	  { "'1000-01-01'", "'9999-12-31'", "'0000-00-00'", "'2024-02-29'",
	    "'2024-00-00'", "NULL" }, 0, NULL },
	FSP_CASES("time", "'00:00:00'", "'-838:59:59.999999'",
		  "'838:59:59.999999'"),
	{ "time_neg", "TIME(6)",
	  { "'-00:00:00.000001'", "'-00:00:01'", "'-01:02:03.5'",
	    "'12:34:56.789'" }, 0, NULL },
	FSP_CASES("datetime", "'0000-00-00 00:00:00'",
		  "'1000-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'"),
	FSP_CASES("timestamp", "'0000-00-00 00:00:00'",
		  "'1970-01-01 00:00:01'", "'2038-01-19 03:14:07.999999'"),
	{ "char", "CHAR(10) CHARACTER SET utf8mb4",
	  { "''", "'abc'", "'ÄÖÜ🐬'", "'0123456789'", "NULL" }, 0, NULL },
	{ "char255", "CHAR(255) CHARACTER SET utf8mb4",
	  { "''", "REPEAT('🐬', 255)", "'x'" }, 0, NULL },
	{ "varchar", "VARCHAR(300) CHARACTER SET utf8mb4",
	  { "''", "'a''b\\\\c'", "'🐬😀 four-byte'", "REPEAT('é', 300)",
	    "CONCAT('nl', CHAR(10), 'tab', CHAR(9), 'nul', CHAR(0))", "NULL" },
	  0, NULL },
	/* SELECT converts latin1 to the session's utf8mb4: read the bytes. */
	{ "varchar_latin1", "VARCHAR(20) CHARACTER SET latin1",
	  { "''", "X'636166E9'", "'plain'" }, 0, "CAST(v AS BINARY)" },
	{ "binary", "BINARY(8)",
	  { "X'0000000000000000'", "X'FFFFFFFFFFFFFFFF'", "X'0102'", "''" },
	  0, NULL },
	{ "varbinary", "VARBINARY(300)", { "''", BYTES_ALL, "X'00'", "NULL" },
	  0, NULL },
	{ "tinyblob", "TINYBLOB", { "''", "REPEAT(X'FF', 255)", "X'00'" },
	  0, NULL },
	{ "blob", "BLOB", { "''", BYTES_ALL, "REPEAT(X'00FF', 32767)" }, 0, NULL },
	{ "mediumblob", "MEDIUMBLOB", { "''", BYTES_ALL, "REPEAT('m', 70000)" },
	  0, NULL },
	{ "longblob", "LONGBLOB",
	  { "''", BYTES_ALL, "REPEAT(X'00FF7F80', 4 * 1024 * 1024)", "NULL" },
	  0, NULL },
	{ "tinytext", "TINYTEXT CHARACTER SET utf8mb4",
	  { "''", "'🐬'", "REPEAT('t', 255)" }, 0, NULL },
	{ "text", "TEXT CHARACTER SET utf8mb4",
	  { "''", "'tëxt 🐬'", "REPEAT('ü', 30000)" }, 0, NULL },
	{ "mediumtext", "MEDIUMTEXT CHARACTER SET utf8mb4",
	  { "''", "REPEAT('a', 70000)" }, 0, NULL },
	{ "longtext", "LONGTEXT CHARACTER SET utf8mb4",
	  { "''", "REPEAT('🐬', 100000)", "NULL" }, 0, NULL },
	{ "enum", "ENUM('a','b','c d','é')",
	  { "'a'", "'c d'", "'é'", "''", "NULL" }, 0, NULL },
	{ "set", "SET('a','b','c','d','e','f','g','h','i')",
	  { "''", "'a'", "'a,i'", "'a,b,c,d,e,f,g,h,i'", "NULL" }, 0, NULL },
	{ "json", "JSON",
	  { "'{}'", "'{\"a\": [1, 2.5, \"x\", null, true]}'", "'[]'", "'\"s\"'",
	    "NULL" }, 0, NULL },
	{ "geometry", "GEOMETRY",
	  { "ST_GeomFromText('POINT(1 2)')",
	    "ST_GeomFromText('LINESTRING(0 0,1 1,2 2)', 4326)", "NULL" },
	  0, NULL },
	{ "point", "POINT", { "POINT(-1.5, 2.25)", "POINT(0, 0)" }, 0, NULL },
	{ "linestring", "LINESTRING",
	  { "ST_GeomFromText('LINESTRING(0 0,10 10)')" }, 0, NULL },
	{ "polygon", "POLYGON",
	  { "ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))')" }, 0, NULL },
	{ "multipoint", "MULTIPOINT",
	  { "ST_GeomFromText('MULTIPOINT(0 0,1 1)')" }, 0, NULL },
	{ "multilinestring", "MULTILINESTRING",
	  { "ST_GeomFromText('MULTILINESTRING((0 0,1 1),(2 2,3 3))')" }, 0,
	  NULL },
	{ "multipolygon", "MULTIPOLYGON",
	  { "ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))')" }, 0, NULL },
	{ "geomcollection", "GEOMETRYCOLLECTION",
	  { "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))')" },
	  0, NULL },
	{ "inet6", "INET6", { "'::'", "'::1'", "'2001:db8::ff00:42:8329'" },
	  0, "CAST(v AS BINARY(16))" },
	{ "uuid", "UUID",
	  { "'00000000-0000-0000-0000-000000000000'",
	    "'123e4567-e89b-12d3-a456-426614174000'" }, 0,
	  "CAST(v AS BINARY(16))" },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* A mixed table: YEAR before signed and unsigned integers, as the
 * signedness metadata numbers them. */
static const char mixed_ddl[] =
	"CREATE TABLE t_mixed (id INT PRIMARY KEY, y YEAR, f FLOAT, "
	"u BIGINT UNSIGNED, n TINYINT, d DECIMAL(5,2) UNSIGNED, "
	"s SMALLINT UNSIGNED)";
static const char mixed_rows[] =
	"INSERT INTO t_mixed VALUES (1, 2024, 1.5, 18446744073709551615, -128, "
	"999.99, 65535), (2, 1901, -2.5, 0, 127, 0, 0)";
static const char mixed_update[] = "UPDATE t_mixed SET n = -n - 1, u = u + 1 "
				   "WHERE id = 2";

/* One SELECT result: rows of (id, v) copied out. */
typedef struct cell {
	char *p;                /* NULL for SQL NULL */
	size_t n;
} cell;

typedef struct snapshot {
	size_t nrows, ncols;
	cell *cells;            /* nrows * ncols */
} snapshot;

typedef struct table_state {
	char name[64];
	const type_case *tc;    /* NULL for t_mixed */
	snapshot before, after; /* after the INSERT, after the UPDATE */
	/* Progress while decoding. */
	size_t ins, upd, del;
	size_t checked;
} table_state;

static table_state tables[NCASES + 1];
static size_t ntables;
static MYSQL *m;
static sandbox_server up;
static dm_ctx *ctx;
static char start_file[256];
static unsigned long long start_pos;
static char old_metadata[32];
static char old_compress[32];
static char old_compress_min[32];
/* Events seen by the file test, by type: proves which kinds were read. */
static size_t seen_types[256];

/* ------------------------------------------------------------- helpers */

static void exec_ok(const char *fmt, ...)
{
	char sql[8192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (mysql_real_query(m, sql, strlen(sql)) != 0)
		fail_msg("%.300s: %s", sql, mysql_error(m));
	while (1) {
		MYSQL_RES *r = mysql_store_result(m);

		if (r)
			mysql_free_result(r);
		if (mysql_next_result(m) != 0)
			break;
	}
}

static void take_snapshot(snapshot *s, const char *sql)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t r = 0, c;

	if (mysql_real_query(m, sql, strlen(sql)) != 0)
		fail_msg("%s: %s", sql, mysql_error(m));
	res = mysql_store_result(m);
	assert_non_null(res);
	s->nrows = mysql_num_rows(res);
	s->ncols = mysql_num_fields(res);
	s->cells = calloc(s->nrows * s->ncols + 1, sizeof(cell));
	assert_non_null(s->cells);
	while ((row = mysql_fetch_row(res)) != NULL) {
		unsigned long *len = mysql_fetch_lengths(res);

		for (c = 0; c < s->ncols; c++) {
			cell *x = &s->cells[r * s->ncols + c];

			if (!row[c])
				continue;
			x->p = malloc(len[c] + 1);
			assert_non_null(x->p);
			memcpy(x->p, row[c], len[c]);
			x->p[len[c]] = '\0';
			x->n = len[c];
		}
		r++;
	}
	mysql_free_result(res);
}

static void free_snapshot(snapshot *s)
{
	size_t i;

	for (i = 0; s->cells && i < s->nrows * s->ncols; i++)
		free(s->cells[i].p);
	free(s->cells);
	memset(s, 0, sizeof(*s));
}

static char *error_text(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	if (e)
		dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
	else
		dm_buf_puts(&b, "(no error object)");
	return dm_buf_detach(&b);
}

/* ----------------------------------------------------------- workload */

static void make_workload(void)
{
	size_t i, k, n;
	char *v;

	exec_ok("DROP DATABASE IF EXISTS " TEST_DB);
	v = sandbox_query_value(m, "SELECT @@GLOBAL.binlog_row_metadata", NULL);
	snprintf(old_metadata, sizeof(old_metadata), "%s", v ? v : "MINIMAL");
	free(v);
	exec_ok("SET GLOBAL binlog_row_metadata = FULL");
#ifdef BINLOG_TOOL_COMPRESSED
	v = sandbox_query_value(m, "SELECT @@GLOBAL.log_bin_compress", NULL);
	snprintf(old_compress, sizeof(old_compress), "%s", v ? v : "0");
	free(v);
	v = sandbox_query_value(m, "SELECT @@GLOBAL.log_bin_compress_min_len",
				NULL);
	snprintf(old_compress_min, sizeof(old_compress_min), "%s",
		 v ? v : "256");
	free(v);
	/* 10 is the smallest length the server takes: nearly every event
	 * gets compressed, small rows included. */
	exec_ok("SET GLOBAL log_bin_compress = ON");
	exec_ok("SET GLOBAL log_bin_compress_min_len = 10");
#endif
	/* A new session sees the global value. */
	mysql_close(m);
	m = sandbox_connect(&up, NULL);
	assert_non_null(m);
	exec_ok("SET NAMES utf8mb4");
	exec_ok("SET SESSION sql_mode = ''");
	exec_ok("SET SESSION time_zone = '+00:00'");
	exec_ok("CREATE DATABASE " TEST_DB);
	exec_ok("USE " TEST_DB);
	v = sandbox_query_value(m, "SELECT @@binlog_row_metadata", NULL);
	assert_non_null(v);
	assert_string_equal(v, "FULL");
	free(v);
	exec_ok("FLUSH BINARY LOGS");
	{
		MYSQL_RES *res;
		MYSQL_ROW row;

		if (mysql_query(m, "SHOW MASTER STATUS") != 0)
			fail_msg("SHOW MASTER STATUS: %s", mysql_error(m));
		res = mysql_store_result(m);
		row = res ? mysql_fetch_row(res) : NULL;
		assert_non_null(row);
		snprintf(start_file, sizeof(start_file), "%s", row[0]);
		start_pos = strtoull(row[1], NULL, 10);
		mysql_free_result(res);
	}
	for (i = 0; i < NCASES; i++) {
		const type_case *tc = &cases[i];
		table_state *t = &tables[ntables++];
		char sql[8192];

		t->tc = tc;
		snprintf(t->name, sizeof(t->name), "t_%s", tc->name);
		exec_ok("CREATE TABLE %s (id INT PRIMARY KEY, v %s NULL)",
			t->name, tc->type);
		for (n = 0; n < MAX_VALUES && tc->values[n]; n++)
			;
		/* Insert every value, one statement. */
		snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES ", t->name);
		for (k = 0; k < n; k++)
			snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql),
				 "%s(%zu, %s)", k ? ", " : "", k + 1,
				 tc->values[k]);
		exec_ok("%s", sql);
		snprintf(sql, sizeof(sql), "SELECT id, %s FROM %s ORDER BY id",
			 tc->select ? tc->select : "v", t->name);
		take_snapshot(&t->before, sql);
		/* Each row gets the next row's value: every value is both a
		 * before and an after image. */
		for (k = 0; k < n; k++)
			exec_ok("UPDATE %s SET v = %s WHERE id = %zu", t->name,
				tc->values[(k + 1) % n], k + 1);
		take_snapshot(&t->after, sql);
		exec_ok("DELETE FROM %s", t->name);
	}
	{
		table_state *t = &tables[ntables++];

		snprintf(t->name, sizeof(t->name), "t_mixed");
		exec_ok("%s", mixed_ddl);
		exec_ok("%s", mixed_rows);
		take_snapshot(&t->before, "SELECT * FROM t_mixed ORDER BY id");
		exec_ok("%s", mixed_update);
		take_snapshot(&t->after, "SELECT * FROM t_mixed WHERE id = 2");
		exec_ok("DELETE FROM t_mixed WHERE id = 2");
	}
	exec_ok("FLUSH BINARY LOGS");
}

/* ---------------------------------------------------------- comparing */

/* Differences found; a test fails at its end with all of them (the first
 * few per table), so that one run shows every type that is wrong. */
static dm_buf problems = DM_BUF_INIT;
static size_t nproblems;

static void note(const char *fmt, ...) DM_PRINTF(1, 2);

static void note(const char *fmt, ...)
{
	va_list ap;

	nproblems++;
	if (nproblems > 200)
		return;
	va_start(ap, fmt);
	dm_buf_vprintf(&problems, fmt, ap);
	va_end(ap);
	dm_buf_putc(&problems, '\n');
}

static void fail_on_problems(const char *how)
{
	if (nproblems == 0)
		return;
	fprintf(stderr, "%s: %zu values differ from SELECT:\n%s", how,
		nproblems, problems.data);
	dm_buf_free(&problems);
	nproblems = 0;
	fail_msg("%s: values differ from SELECT (listed above)", how);
}

static table_state *table_named(const dm_binlog_table *t)
{
	size_t i;

	if (t->schema.len != strlen(TEST_DB) ||
	    memcmp(t->schema.ptr, TEST_DB, t->schema.len) != 0)
		return NULL;
	for (i = 0; i < ntables; i++)
		if (strlen(tables[i].name) == t->name.len &&
		    memcmp(tables[i].name, t->name.ptr, t->name.len) == 0)
			return &tables[i];
	return NULL;
}

/* The value equals what SELECT showed, or a message why not. */
static void check_value(const table_state *t, const char *what, size_t row,
			size_t col, const dm_value *v, const cell *want)
{
	int cmp = t->tc && col == 1 ? t->tc->cmp : CMP_TEXT;
	dm_buf got = DM_BUF_INIT;
	dm_error *e = NULL;

	if (!want->p) {
		if (v->kind != DM_VALUE_NULL)
			note("%s %s row %zu column %zu: SELECT says NULL, "
				 "the binlog has kind %d", t->name, what, row,
				 col + 1, (int)v->kind);
		return;
	}
	if (v->kind == DM_VALUE_NULL) {
		note("%s %s row %zu column %zu: SELECT says '%.60s', the "
			 "binlog NULL", t->name, what, row, col + 1, want->p);
		return;
	}
	if (dm_value_format_text(&got, v, &e) != 0) {
		note("%s %s row %zu column %zu: %s", t->name, what, row,
			 col + 1, error_text(e));
		dm_error_free(e);
		return;
	}
	if (cmp == CMP_FLOAT || cmp == CMP_DOUBLE) {
		double a = strtod(want->p, NULL);
		double b = v->kind == DM_VALUE_FLOAT ? v->v.f : v->v.d;
		double tol = cmp == CMP_FLOAT ? 5e-6 : 1e-15;

		if (!(a == b || fabs(a - b) <= tol * fabs(a)))
			note("%s %s row %zu column %zu: SELECT %s, binlog "
				 "%s", t->name, what, row, col + 1, want->p,
				 got.data);
	} else if (got.len != want->n ||
		   memcmp(got.data ? got.data : "", want->p, want->n) != 0) {
		note("%s %s row %zu column %zu (%s): SELECT shows %zu bytes "
			 "'%.80s', the binlog value (kind %d) formats as %zu "
			 "bytes '%.80s'", t->name, what, row, col + 1,
			 t->tc ? t->tc->type : "mixed", want->n, want->p,
			 (int)v->kind, got.len, got.data ? got.data : "");
	}
	dm_buf_free(&got);
}

static void check_image(table_state *t, const char *what, const snapshot *s,
			size_t row, const dm_value *vals, size_t ncols)
{
	size_t c;

	if (row >= s->nrows)
		fail_msg("%s: more %s rows in the binlog than SELECT returned "
			 "(%zu)", t->name, what, s->nrows);
	assert_int_equal(ncols, s->ncols);
	for (c = 0; c < ncols; c++)
		check_value(t, what, row, c, &vals[c], &s->cells[row * s->ncols + c]);
	t->checked++;
}

/* The row of `s` whose first column (the id) is the image's. */
static size_t row_with_id(const table_state *t, const snapshot *s,
			  const dm_value *vals)
{
	dm_buf id = DM_BUF_INIT;
	size_t r;

	assert_int_equal(dm_value_format_text(&id, &vals[0], NULL), 0);
	for (r = 0; r < s->nrows; r++)
		if (s->cells[r * s->ncols].p &&
		    strcmp(s->cells[r * s->ncols].p, id.data) == 0)
			break;
	if (r == s->nrows)
		fail_msg("%s: the binlog has id %s, SELECT did not show it",
			 t->name, id.data);
	dm_buf_free(&id);
	return r;
}

/* Rows an UPDATE changed: the server logs no row it left as it was. */
static size_t changed_rows(const table_state *t)
{
	size_t r, c, n = 0;

	for (r = 0; r < t->before.nrows; r++) {
		size_t ra = r;

		if (!t->tc)
			return 1;
		for (c = 1; c < t->before.ncols; c++) {
			const cell *x = &t->before.cells[r * t->before.ncols + c];
			const cell *y = &t->after.cells[ra * t->after.ncols + c];

			if ((x->p == NULL) != (y->p == NULL) || x->n != y->n ||
			    (x->p && memcmp(x->p, y->p, x->n) != 0)) {
				n++;
				break;
			}
		}
	}
	return n;
}

static void reset_progress(void)
{
	size_t i;

	for (i = 0; i < ntables; i++)
		tables[i].ins = tables[i].upd = tables[i].del =
			tables[i].checked = 0;
}

static void check_rows_event(dm_binlog_decoder *d, const dm_binlog_event *ev)
{
	const dm_binlog_rows *r = &ev->u.rows;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	table_state *t;
	dm_error *e = NULL;
	int rc;

	if (!r->table || !(t = table_named(r->table)))
		return;
	rc = dm_binlog_rows_open(&it, d, ev, &e);
	if (rc)
		fail_msg("%s: %s", t->name, error_text(e));
	while ((rc = dm_binlog_rows_next(it, &bv, &av, &e)) == 0) {
		size_t n = (size_t)r->ncols;

		switch (r->action) {
		case DM_BINLOG_ROWS_WRITE:
			check_image(t, "inserted", &t->before, t->ins++, av, n);
			break;
		case DM_BINLOG_ROWS_UPDATE:
			if (!t->tc) {
				/* t_mixed: only row 2 is updated. */
				check_image(t, "updated (before)", &t->before, 1,
					    bv, n);
				check_image(t, "updated (after)", &t->after, 0,
					    av, n);
				t->upd++;
				break;
			}
			check_image(t, "updated (before)", &t->before,
				    row_with_id(t, &t->before, bv), bv, n);
			check_image(t, "updated (after)", &t->after,
				    row_with_id(t, &t->after, av), av, n);
			t->upd++;
			break;
		case DM_BINLOG_ROWS_DELETE:
			check_image(t, "deleted", &t->after, t->del++, bv, n);
			break;
		default:
			fail_msg("%s: unexpected rows action %d", t->name,
				 (int)r->action);
		}
	}
	if (rc != DM_DONE)
		fail_msg("%s: rows: %s", t->name, error_text(e));
}

static void check_all_seen(const char *how)
{
	size_t i;

	for (i = 0; i < ntables; i++) {
		const table_state *t = &tables[i];
		size_t want = t->tc ? 2 * t->before.nrows + 2 * changed_rows(t) :
				      2 + 2 + 1;

		if (t->checked != want)
			fail_msg("%s: %s: %zu row images checked, want %zu",
				 how, t->name, t->checked, want);
	}
}

/* ------------------------------------------------------------- tests */

static void test_binlog_tool__file_values_equal_select(void **state)
{
	dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;
	dm_binlog_reader *r = NULL;
	const dm_binlog_event *ev;
	dm_error *e = NULL;
	char dir[512];
	int rc;

	(void)state;
	reset_progress();
	snprintf(dir, sizeof(dir), "%s/u1/data", getenv("DM_SANDBOX_DIR"));
	rc = dm_binlog_reader_open_dir(&r, ctx, dir, "mysql-bin.index",
				       start_file, start_pos, &o, &e);
	if (rc)
		fail_msg("open %s/%s: %s", dir, start_file, error_text(e));
	memset(seen_types, 0, sizeof(seen_types));
	while ((rc = dm_binlog_reader_next(r, &ev, &e)) == 0) {
		seen_types[ev->type]++;
		if (ev->kind == DM_BINLOG_KIND_ROWS)
			check_rows_event(dm_binlog_reader_decoder(r), ev);
	}
	if (rc != DM_DONE)
		fail_msg("reading the binlog: %s", error_text(e));
	dm_binlog_reader_free(r);
	fail_on_problems("binlog files");
	check_all_seen("binlog files");
#ifdef BINLOG_TOOL_COMPRESSED
	/* The server really wrote compressed events, of every kind. */
	assert_true(seen_types[DM_BINLOG_MARIADB_QUERY_COMPRESSED_EVENT] > 0);
	assert_true(seen_types[DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1] +
		    seen_types[DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT] > 0);
	assert_true(seen_types[DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1] +
		    seen_types[DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT] > 0);
	assert_true(seen_types[DM_BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1] +
		    seen_types[DM_BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT] > 0);
#else
	assert_int_equal(seen_types[DM_BINLOG_MARIADB_QUERY_COMPRESSED_EVENT], 0);
#endif
}

/* Runs `shell` with bash; its exit status. */
static int run_bash(const char *shell)
{
	char *argv[] = { "bash", "-c", (char *)shell, NULL };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execvp("bash", argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void test_binlog_tool__text_rows_equal_mariadb_binlog(void **state)
{
	const char *tool = dm_binlog_path();
	char dir[512], index[600], line[512], ref[4096], ours[4096];
	char shell[8400];
	bool started = false;
	size_t files = 0;
	FILE *fi;

	(void)state;
	if (access(tool, X_OK) != 0)
		fail_msg("%s: not built (make tools)", tool);
	snprintf(dir, sizeof(dir), "%s/u1/data", getenv("DM_SANDBOX_DIR"));
	snprintf(index, sizeof(index), "%s/mysql-bin.index", dir);
	fi = fopen(index, "r");
	assert_non_null(fi);
	while (fgets(line, sizeof(line), fi)) {
		unsigned long long pos;
		char *base;
		int rc;

		line[strcspn(line, "\n")] = '\0';
		base = strrchr(line, '/');
		base = base ? base + 1 : line;
		if (!started && strcmp(base, start_file) != 0)
			continue;
		pos = started ? 4ULL : start_pos;
		snprintf(ref, sizeof(ref), "mariadb-binlog --verbose "
			 "--base64-output=decode-rows --start-position=%llu "
			 "'%s/%s' | grep -a '^###'", pos, dir, base);
		snprintf(ours, sizeof(ours), "'%s' --format=text "
			 "--start-position=%llu '%s/%s' | grep -a '^###'", tool,
			 pos, dir, base);
		/* Streamed: the 16 MB blobs make hundreds of MB of lines. */
		snprintf(shell, sizeof(shell), "set -o pipefail; "
			 "cmp -s <(%s) <(%s)", ref, ours);
		rc = run_bash(shell);
		if (rc != 0) {
			snprintf(shell, sizeof(shell),
				 "diff <(%s) <(%s) | head -4 | cut -c1-300 >&2",
				 ref, ours);
			run_bash(shell);
			fail_msg("%s: the ### lines of dm-binlog and "
				 "mariadb-binlog differ (first lines above)", base);
		}
		started = true;
		files++;
	}
	fclose(fi);
	assert_true(files >= 1);
}

static void test_binlog_tool__stream_values_equal_select(void **state)
{
	dm__binlog_stream_opts so = DM__BINLOG_STREAM_OPTS_INIT;
	dm_binlog_decoder_opts dopts = DM_BINLOG_DECODER_OPTS_INIT;
	dm_db_opts db = DM_DB_OPTS_INIT;
	dm__binlog_stream *s = NULL;
	dm_binlog_decoder *d = NULL;
	dm_error *e = NULL;
	int rc;

	(void)state;
	reset_progress();
	db.host = up.host;
	db.port = up.port;
	db.user = up.user;
	db.password = up.password;
	db.scope = DM_ERR_SCOPE_UPSTREAM;
	so.db = &db;
	so.server_id = 7311;
	so.file = start_file;
	so.pos = start_pos;
	so.non_blocking = true;
	assert_int_equal(dm_binlog_decoder_new(&d, ctx, &dopts, &e), 0);
	if (dm__binlog_stream_open(&s, ctx, &so, &e) != 0)
		fail_msg("stream open: %s", error_text(e));
	while (1) {
		const unsigned char *bytes;
		const dm_binlog_event *ev;
		size_t len;

		rc = dm__binlog_stream_next(s, &bytes, &len, &e);
		if (rc)
			break;
		if (dm__binlog_stream_event_flags(s) & DM__BINLOG_STREAM_HEARTBEAT)
			continue;
		rc = dm_binlog_decode(d, &ev, bytes, len, 0, &e);
		if (rc)
			fail_msg("decode: %s", error_text(e));
		if (ev->kind == DM_BINLOG_KIND_ROWS)
			check_rows_event(d, ev);
	}
	if (rc != DM_DONE)
		fail_msg("stream: %s", error_text(e));
	dm__binlog_stream_close(s);
	dm_binlog_decoder_free(d);
	fail_on_problems("live stream");
	check_all_seen("live stream");
}

static int setup(void **state)
{
	dm_error *e = NULL;

	(void)state;
	sandbox_require();
	if (sandbox_upstream(1, &up) != 0)
		return -1;
	m = sandbox_connect(&up, NULL);
	if (!m)
		return -1;
	if (dm_ctx_new(&ctx, &e) != 0)
		return -1;
	make_workload();
	return 0;
}

static int teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ntables; i++) {
		free_snapshot(&tables[i].before);
		free_snapshot(&tables[i].after);
	}
	if (m) {
		sandbox_exec(m, "DROP DATABASE IF EXISTS " TEST_DB);
		if (old_metadata[0])
			sandbox_exec(m, "SET GLOBAL binlog_row_metadata = %s",
				     old_metadata);
		if (old_compress[0])
			sandbox_exec(m, "SET GLOBAL log_bin_compress = %s",
				     old_compress);
		if (old_compress_min[0])
			sandbox_exec(m,
				     "SET GLOBAL log_bin_compress_min_len = %s",
				     old_compress_min);
		mysql_close(m);
	}
	dm_ctx_free(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binlog_tool__file_values_equal_select),
		cmocka_unit_test(test_binlog_tool__text_rows_equal_mariadb_binlog),
		cmocka_unit_test(test_binlog_tool__stream_values_equal_select),
	};

	return cmocka_run_group_tests_name(TEST_NAME, tests, setup,
					   teardown);
}
