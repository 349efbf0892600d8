/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/dml against a real downstream: random change sequences (inserts,
 * updates that also move keys, deletes, NULLs) over tables with a primary
 * key, a NOT NULL unique key, a nullable unique key, no key at all,
 * generated columns, a composite key and every column type MariaDB has,
 * applied one by one, with multiple rows, compacted with multiple rows,
 * and in safe mode twice over. Every way must leave each table holding
 * exactly the rows the sequence ends with, compared as the server's own
 * text of every column.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-dml_apply
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"
#include "sandbox/sandbox.h"

#define DB "dmtest_dml"
#define N_CHANGES 2400
#define BATCH 300

static MYSQL *conn;
static dm_schema_tracker *tracker;

/* --------------------------------------------------------------- arena */

typedef struct blk {
	struct blk *next;
	size_t used, cap;
	max_align_t data[];
} blk;

static blk *arena;

static void *amalloc(size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	char *p;

	if (!arena || arena->cap - arena->used < need) {
		size_t cap = need > (1u << 20) ? need : (1u << 20);
		blk *b = malloc(sizeof(*b) + cap);

		assert_non_null(b);
		b->next = arena;
		b->used = 0;
		b->cap = cap;
		arena = b;
	}
	p = (char *)arena->data + arena->used;
	arena->used += need;
	return p;
}

static void arena_free(void)
{
	while (arena) {
		blk *n = arena->next;

		free(arena);
		arena = n;
	}
}

static const char *adup(const void *p, size_t n)
{
	char *d = amalloc(n + 1);

	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

/* -------------------------------------------------------------- random */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t rn(uint64_t n)
{
	return rnd() % n;
}

static bool chance(unsigned percent)
{
	return rn(100) < percent;
}

/* -------------------------------------------------------------- values */

static dm_value v_null(void)
{
	dm_value v = { 0 };

	v.kind = DM_VALUE_NULL;
	return v;
}

static dm_value v_int(int64_t i, uint8_t type)
{
	dm_value v = { 0 };

	v.kind = DM_VALUE_INT;
	v.type = type;
	v.v.i = i;
	return v;
}

/* An unsigned value as the decoder may hand it: UINT, or the signed
 * reading of the same bits with the sign unknown. */
static dm_value v_uint(uint64_t u, unsigned bits, uint8_t type)
{
	dm_value v = { 0 };

	v.type = type;
	if (chance(50)) {
		v.kind = DM_VALUE_UINT;
		v.flags = DM_VALUE_F_UNSIGNED;
		v.v.u = u;
	} else {
		v.kind = DM_VALUE_INT;
		v.flags = DM_VALUE_F_SIGN_UNKNOWN;
		if (bits < 64 && (u >> (bits - 1)))
			v.v.i = (int64_t)u - ((int64_t)1 << bits);
		else
			v.v.i = (int64_t)u;
	}
	return v;
}

static dm_value v_str(dm_value_kind kind, const void *p, size_t n)
{
	dm_value v = { 0 };

	v.kind = kind;
	v.type = kind == DM_VALUE_BYTES ? DM_TYPE_BLOB : DM_TYPE_VARCHAR;
	v.v.str.ptr = adup(p, n);
	v.v.str.len = n;
	return v;
}

static dm_value v_text(const char *s)
{
	return v_str(DM_VALUE_STRING, s, strlen(s));
}

static dm_value v_float(float f)
{
	dm_value v = { 0 };

	v.kind = DM_VALUE_FLOAT;
	v.type = DM_TYPE_FLOAT;
	v.v.f = f;
	return v;
}

static dm_value v_double(double d)
{
	dm_value v = { 0 };

	v.kind = DM_VALUE_DOUBLE;
	v.type = DM_TYPE_DOUBLE;
	v.v.d = d;
	return v;
}

static float rnd_float(void)
{
	float f = ldexpf((float)(rn(1u << 24)), (int)rn(40) - 40);

	return chance(50) ? -f : f;
}

static double rnd_double(void)
{
	double d = ldexp((double)(rnd() >> 11), (int)rn(200) - 150);

	return chance(50) ? -d : d;
}

/* Text from pieces that exercise quoting, case, multi-byte characters and
 * trailing spaces. */
static dm_value rnd_utf8(size_t maxchars, bool trailing)
{
	static const char *const pieces[] = {
		"a", "B", "z", "Q", "'", "\"", "\\", "%", "_", " ", "\n",
		"\t", "\xC3\xA9", "\xE4\xB8\xAD", "\xF0\x9F\x98\x80", "0",
		"`", ";", "\r", "\x01",
	};
	char buf[512];
	size_t n = rn(maxchars + 1), i, len = 0;

	for (i = 0; i < n; i++) {
		const char *p = pieces[rn(sizeof(pieces) / sizeof(pieces[0]))];

		memcpy(buf + len, p, strlen(p));
		len += strlen(p);
	}
	if (!trailing)
		while (len && buf[len - 1] == ' ')
			len--;
	return v_str(DM_VALUE_STRING, buf, len);
}

/* Bytes: random, or every byte value once. */
static dm_value rnd_bytes(dm_value_kind kind, size_t maxlen, bool all256)
{
	unsigned char buf[1024];
	size_t n, i;

	if (all256 && maxlen >= 256) {
		for (i = 0; i < 256; i++)
			buf[i] = (unsigned char)(chance(50) ? i : 255 - i);
		return v_str(kind, buf, 256);
	}
	n = rn(maxlen + 1);
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)rn(256);
	return v_str(kind, buf, n);
}

static dm_value rnd_latin1(size_t maxlen, bool trailing)
{
	dm_value v = rnd_bytes(DM_VALUE_STRING, maxlen, false);

	if (!trailing)
		while (v.v.str.len && v.v.str.ptr[v.v.str.len - 1] == ' ')
			v.v.str.len--;
	return v;
}

static dm_value v_time(dm_value_kind kind, unsigned fsp)
{
	static const uint32_t scale[] = { 1000000, 100000, 10000, 1000,
					  100,     10,     1 };
	dm_value v = { 0 };
	dm_time *t = &v.v.time;

	v.kind = kind;
	t->fsp = (uint8_t)fsp;
	t->microsecond = (uint32_t)rn(1000000) / scale[fsp] * scale[fsp];
	if (kind == DM_VALUE_TIME) {
		v.type = DM_TYPE_TIME2;
		t->hour = (uint16_t)rn(839);
		t->negative = chance(30) && t->hour;
	} else {
		v.type = kind == DM_VALUE_DATE ? DM_TYPE_DATE : DM_TYPE_DATETIME2;
		t->year = (uint16_t)(1000 + rn(9000));
		t->month = (uint8_t)(1 + rn(12));
		t->day = (uint8_t)(1 + rn(28));
		if (kind == DM_VALUE_DATETIME)
			t->hour = (uint16_t)rn(24);
	}
	if (kind != DM_VALUE_DATE) {
		t->minute = (uint8_t)rn(60);
		t->second = (uint8_t)rn(60);
	} else {
		t->microsecond = 0;
		t->fsp = 0;
	}
	if (t->hour == 838)
		t->minute = 0;
	return v;
}

static dm_value v_timestamp(unsigned fsp)
{
	static const uint32_t scale[] = { 1000000, 100000, 10000, 1000,
					  100,     10,     1 };
	dm_value v = { 0 };

	v.kind = DM_VALUE_TIMESTAMP;
	v.type = DM_TYPE_TIMESTAMP2;
	v.v.ts.fsp = (uint8_t)fsp;
	v.v.ts.sec = 1 + (int64_t)rn(2147483646);
	v.v.ts.usec = (uint32_t)rn(1000000) / scale[fsp] * scale[fsp];
	return v;
}

static const dm_str enum_names[] = { { "a", 1 }, { "b", 1 }, { "c d", 3 } };
static const dm_str set_names[] = { { "x", 1 }, { "y", 1 }, { "z", 1 } };

/* ---------------------------------------------------------------- tables */

struct tdef;
typedef void (*gen_fn)(const struct tdef *d, dm_value *row, long key);

enum { K_PK, K_UK, K_NUK, K_NONE };

typedef struct tdef {
	const char *name;
	const char *body;
	int keykind;
	bool idempotent;     /* safe mode may be replayed */
	gen_fn gen;
	dm_dml_table *t, *ref;
	size_t ncols;
	const dm_schema_table *st;
	/* the rows the sequence ends with */
	dm_value **rows;
	long *keys;          /* key number per row, -1 for NULL / none */
	size_t nrows, cap;
} tdef;

static void gen_pk(const tdef *d, dm_value *r, long key)
{
	(void)d;
	r[0] = v_int(key, DM_TYPE_LONG);
	r[1] = chance(10) ? v_null() : rnd_utf8(6, true);
	r[2] = chance(20) ? v_null() : v_int((int64_t)rn(1000) - 500,
					      DM_TYPE_LONG);
	r[3] = chance(10) ? v_null() : v_float(rnd_float());
	r[4] = chance(10) ? v_null() : v_double(rnd_double());
}

/* "k<key>" in random case, with up to two trailing spaces: equal under
 * the column's utf8mb4_general_ci. */
static void gen_uk(const tdef *d, dm_value *r, long key)
{
	char s[32];

	(void)d;
	snprintf(s, sizeof(s), "%c%ld%s", chance(50) ? 'k' : 'K', key,
		 chance(30) ? (chance(50) ? " " : "  ") : "");
	r[0] = v_int((int64_t)rn(5), DM_TYPE_LONG);
	r[1] = v_text(s);
	r[2] = chance(20) ? v_null() : v_int((int64_t)rn(100), DM_TYPE_LONG);
}

static void gen_nuk(const tdef *d, dm_value *r, long key)
{
	(void)d;
	r[0] = key < 0 ? v_null() : v_int(key, DM_TYPE_LONG);
	r[1] = chance(20) ? v_null() : rnd_utf8(4, true);
	r[2] = v_int((int64_t)rn(3), DM_TYPE_LONG);
}

/* Small domains: identical rows and rows the collation folds together. */
static void gen_nokey(const tdef *d, dm_value *r, long key)
{
	static const char *const s[] = { "x", "X", "x ", "y" };

	(void)d;
	(void)key;
	r[0] = chance(20) ? v_null() : v_int((int64_t)rn(3), DM_TYPE_LONG);
	r[1] = chance(20) ? v_null() : v_text(s[rn(4)]);
	r[2] = chance(30) ? v_null() : v_float(chance(50) ? 0.1f : 1.5f);
	r[3] = chance(30) ? v_null() : v_double(chance(50) ? 0.1 : 1e300);
}

static void gen_gen(const tdef *d, dm_value *r, long key)
{
	char s[32];

	(void)d;
	r[0] = v_int(key, DM_TYPE_LONG);
	if (chance(15)) {
		r[1] = r[2] = r[3] = v_null();
	} else {
		int64_t a = (int64_t)rn(1000);

		r[1] = v_int(a, DM_TYPE_LONG);
		r[2] = v_int(a * 2, DM_TYPE_LONG);
		snprintf(s, sizeof(s), "x%" PRId64, a);
		r[3] = v_text(s);
	}
	r[4] = rnd_utf8(5, true);
}

static void gen_cpk(const tdef *d, dm_value *r, long key)
{
	char s[32];

	(void)d;
	snprintf(s, sizeof(s), "%c%ld", chance(50) ? 's' : 'S', key / 3);
	r[0] = v_text(s);
	r[1] = v_int(key % 3, DM_TYPE_LONG);
	r[2] = v_float((float)(key % 7) / 10.0f);
	r[3] = v_int((int64_t)rn(1000), DM_TYPE_LONG);
}

#define ALL_COLUMNS \
	"ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT " \
	"UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED, i INT, " \
	"iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, " \
	"dc DECIMAL(20,6), fl FLOAT, db DOUBLE, bt BIT(13), " \
	"c CHAR(10), vc VARCHAR(40), tx TEXT, " \
	"cl CHAR(10) CHARACTER SET latin1, " \
	"vcl VARCHAR(40) CHARACTER SET latin1, " \
	"txl TEXT CHARACTER SET latin1, " \
	"bn BINARY(8), vb VARBINARY(300), bl BLOB, " \
	"dt DATE, tm0 TIME, tm3 TIME(3), tm6 TIME(6), dtm0 DATETIME, " \
	"dtm1 DATETIME(1), dtm6 DATETIME(6), ts0 TIMESTAMP NULL, " \
	"ts2 TIMESTAMP(2) NULL, ts6 TIMESTAMP(6) NULL, yr YEAR, " \
	"en ENUM('a','b','c d'), st SET('x','y','z'), js JSON, geo GEOMETRY"

enum { ALL_N = 39 };

static void gen_all(const tdef *d, dm_value *r, long key)
{
	char s[64];
	unsigned char bn[8];
	unsigned char wkb[25];
	double x, y;
	size_t i = 0, k;

	(void)d;
	r[i++] = v_int(key, DM_TYPE_LONG);
	r[i++] = v_int((int64_t)rn(256) - 128, DM_TYPE_TINY);
	r[i++] = v_uint(rn(256), 8, DM_TYPE_TINY);
	r[i++] = v_int((int64_t)rn(65536) - 32768, DM_TYPE_SHORT);
	r[i++] = v_uint(rn(65536), 16, DM_TYPE_SHORT);
	r[i++] = v_int((int64_t)rn(1 << 24) - (1 << 23), DM_TYPE_INT24);
	r[i++] = v_uint(rn(1 << 24), 24, DM_TYPE_INT24);
	r[i++] = v_int((int64_t)rn(UINT64_C(1) << 32) - ((int64_t)1 << 31),
		       DM_TYPE_LONG);
	r[i++] = v_uint(rn(UINT64_C(1) << 32), 32, DM_TYPE_LONG);
	r[i++] = v_int((int64_t)rnd(), DM_TYPE_LONGLONG);
	r[i++] = v_uint(rnd(), 64, DM_TYPE_LONGLONG);
	snprintf(s, sizeof(s), "%s%" PRIu64 ".%06u", chance(50) ? "-" : "",
		 rn(UINT64_C(100000000000000)), (unsigned)rn(1000000));
	r[i] = v_text(s);
	r[i].kind = DM_VALUE_DECIMAL;
	r[i++].type = DM_TYPE_NEWDECIMAL;
	r[i++] = v_float(rnd_float());
	r[i++] = v_double(rnd_double());
	r[i].kind = DM_VALUE_BIT;
	r[i].type = DM_TYPE_BIT;
	r[i].v.bit.bits = rn(1 << 13);
	r[i++].v.bit.nbits = 13;
	r[i++] = rnd_utf8(10, false); /* CHAR: no trailing spaces */
	r[i++] = rnd_utf8(40, true);
	r[i++] = rnd_utf8(100, true);
	r[i++] = rnd_latin1(10, false);
	r[i++] = rnd_latin1(40, true);
	r[i++] = rnd_latin1(300, true);
	for (k = 0; k < 8; k++)
		bn[k] = (unsigned char)rn(256);
	bn[7] |= 1;
	r[i++] = v_str(DM_VALUE_BYTES, bn, 8);
	r[i++] = rnd_bytes(DM_VALUE_BYTES, 300, chance(30));
	r[i++] = rnd_bytes(DM_VALUE_BYTES, 1000, chance(30));
	r[i++] = v_time(DM_VALUE_DATE, 0);
	r[i++] = v_time(DM_VALUE_TIME, 0);
	r[i++] = v_time(DM_VALUE_TIME, 3);
	r[i++] = v_time(DM_VALUE_TIME, 6);
	r[i++] = v_time(DM_VALUE_DATETIME, 0);
	r[i++] = v_time(DM_VALUE_DATETIME, 1);
	r[i++] = v_time(DM_VALUE_DATETIME, 6);
	r[i++] = v_timestamp(0);
	r[i++] = v_timestamp(2);
	r[i++] = v_timestamp(6);
	r[i].kind = DM_VALUE_YEAR;
	r[i].type = DM_TYPE_YEAR;
	r[i++].v.u = chance(10) ? 0 : 1901 + rn(255);
	r[i].kind = DM_VALUE_ENUM;
	r[i].type = DM_TYPE_STRING;
	r[i].v.enm.index = 1 + rn(3);
	r[i].v.enm.names = chance(50) ? enum_names : NULL;
	r[i++].v.enm.nnames = 3;
	r[i].kind = DM_VALUE_SET;
	r[i].type = DM_TYPE_STRING;
	r[i].v.set.mask = rn(8);
	r[i].v.set.names = chance(50) ? set_names : NULL;
	r[i++].v.set.nnames = 3;
	snprintf(s, sizeof(s), "{\"k\": %u, \"s\": \"it's \\\"q\\\"\"}",
		 (unsigned)rn(100));
	r[i] = v_text(s);
	r[i++].kind = DM_VALUE_JSON;
	/* SRID 0, then a WKB point. */
	memset(wkb, 0, sizeof(wkb));
	wkb[4] = 1;
	wkb[5] = 1;
	x = (double)rn(1000) / 8;
	y = -(double)rn(1000) / 4;
	memcpy(wkb + 9, &x, 8);
	memcpy(wkb + 17, &y, 8);
	r[i] = v_str(DM_VALUE_GEOMETRY, wkb, sizeof(wkb));
	r[i++].type = DM_TYPE_GEOMETRY;
	assert_int_equal(i, ALL_N);
	/* NULLs anywhere but in the key. */
	for (k = 1; k < ALL_N; k++)
		if (chance(8))
			r[k] = v_null();
}

static tdef tables[] = {
	{ .name = "t_pk",
	  .body = "(id INT PRIMARY KEY, a VARCHAR(20), b INT, f FLOAT, "
		  "d DOUBLE)",
	  .keykind = K_PK, .idempotent = true, .gen = gen_pk },
	{ .name = "t_uk",
	  .body = "(id INT NOT NULL, u VARCHAR(12) NOT NULL, a INT, "
		  "UNIQUE KEY uk (u))",
	  .keykind = K_UK, .idempotent = true, .gen = gen_uk },
	{ .name = "t_nuk",
	  .body = "(u INT NULL, a VARCHAR(10), b INT, UNIQUE KEY (u))",
	  .keykind = K_NUK, .idempotent = false, .gen = gen_nuk },
	{ .name = "t_nokey",
	  .body = "(a INT, s VARCHAR(8), f FLOAT, d DOUBLE)",
	  .keykind = K_NONE, .idempotent = false, .gen = gen_nokey },
	{ .name = "t_gen",
	  .body = "(id INT PRIMARY KEY, a INT, g INT AS (a * 2) STORED, "
		  "v VARCHAR(30) AS (CONCAT('x', a)) VIRTUAL, b VARCHAR(10))",
	  .keykind = K_PK, .idempotent = true, .gen = gen_gen },
	{ .name = "t_cpk",
	  .body = "(k1 VARCHAR(10), k2 INT, f FLOAT, a INT, "
		  "PRIMARY KEY (k1, k2))",
	  .keykind = K_PK, .idempotent = true, .gen = gen_cpk },
	{ .name = "t_all",
	  .body = "(id INT PRIMARY KEY, " ALL_COLUMNS ")",
	  .keykind = K_PK, .idempotent = true, .gen = gen_all },
	{ .name = "t_allnk",
	  .body = "(id INT, " ALL_COLUMNS ")",
	  .keykind = K_NONE, .idempotent = false, .gen = gen_all },
};

#define N_TABLES (sizeof(tables) / sizeof(tables[0]))

/* --------------------------------------------------------------- set-up */

static void must(int rc)
{
	if (rc)
		fail_msg("statement failed (%d), see stderr", rc);
}

static void track(const char *sql)
{
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	if (dm_schema_tracker_apply(tracker, sql, strlen(sql), DB, &e)) {
		dm_error_format(&b, e, 0);
		fail_msg("%s: %s", sql, b.data);
	}
}

static int group_setup(void **state)
{
	sandbox_server s;
	char sql[2048];
	size_t i;

	(void)state;
	if (dm_global_init(NULL) != 0 || sandbox_downstream(&s))
		return -1;
	conn = sandbox_connect(&s, NULL);
	if (!conn || dm_schema_tracker_new(&tracker, NULL, NULL))
		return -1;
	if (sandbox_exec(conn, "SET time_zone = '+00:00'; "
			       "DROP DATABASE IF EXISTS " DB "; "
			       "CREATE DATABASE " DB " CHARACTER SET utf8mb4 "
			       "COLLATE utf8mb4_general_ci"))
		return -1;
	track("CREATE DATABASE " DB " CHARACTER SET utf8mb4 "
	      "COLLATE utf8mb4_general_ci");
	for (i = 0; i < N_TABLES; i++) {
		tdef *d = &tables[i];

		snprintf(sql, sizeof(sql), "CREATE TABLE %s %s", d->name,
			 d->body);
		track(sql);
		if (sandbox_exec(conn, "USE " DB "; %s; CREATE TABLE ref_%s "
				       "LIKE %s", sql, d->name, d->name))
			return -1;
		d->st = dm_schema_tracker_get(tracker, DB, d->name);
		if (!d->st)
			return -1;
		d->ncols = dm_schema_table_ncolumns(d->st);
		snprintf(sql, sizeof(sql), "ref_%s", d->name);
		if (dm_dml_table_new(&d->t, d->st, DB, d->name, NULL) ||
		    dm_dml_table_new(&d->ref, d->st, DB, sql, NULL))
			return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N_TABLES; i++) {
		dm_dml_table_free(tables[i].t);
		dm_dml_table_free(tables[i].ref);
		free(tables[i].rows);
		free(tables[i].keys);
	}
	if (conn) {
		sandbox_exec(conn, "DROP DATABASE IF EXISTS " DB);
		mysql_close(conn);
	}
	dm_schema_tracker_free(tracker);
	arena_free();
	dm_global_cleanup();
	return 0;
}

/* ------------------------------------------------------------- the model */

static bool key_used(const tdef *d, long key)
{
	size_t i;

	for (i = 0; i < d->nrows; i++)
		if (d->keys[i] == key)
			return true;
	return false;
}

static long free_key(const tdef *d)
{
	long k;

	if (d->keykind == K_NONE)
		return -1;
	if (d->keykind == K_NUK && chance(25))
		return -1;
	do
		k = (long)rn(2 * d->nrows + 8);
	while (key_used(d, k));
	return k;
}

static dm_value *new_row(const tdef *d, long key)
{
	dm_value *r = amalloc(d->ncols * sizeof(*r));

	d->gen(d, r, key);
	return r;
}

static void add_row(tdef *d, dm_value *r, long key)
{
	if (d->nrows == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->rows = realloc(d->rows, d->cap * sizeof(*d->rows));
		d->keys = realloc(d->keys, d->cap * sizeof(*d->keys));
		assert_true(d->rows && d->keys);
	}
	d->rows[d->nrows] = r;
	d->keys[d->nrows++] = key;
}

static dm_dml_change *changes;

/* A random sequence over all tables, tracking the rows it leaves. */
static void make_sequence(size_t n)
{
	size_t i;

	changes = amalloc(n * sizeof(*changes));
	for (i = 0; i < n; i++) {
		tdef *d = &tables[rn(N_TABLES)];
		dm_dml_change *c = &changes[i];
		unsigned op = d->nrows ? (unsigned)rn(100) : 0;
		size_t at = d->nrows ? rn(d->nrows) : 0;
		long key;

		memset(c, 0, sizeof(*c));
		c->table = d->t;
		if (op < 40) {
			key = free_key(d);
			c->op = DM_DML_INSERT;
			c->after = new_row(d, key);
			add_row(d, (dm_value *)c->after, key);
		} else if (op < 75) {
			key = d->keys[at];
			/* A third of the updates move the row to a new key. */
			if (d->keykind != K_NONE && chance(33))
				key = free_key(d);
			c->op = DM_DML_UPDATE;
			c->before = d->rows[at];
			c->after = new_row(d, key);
			d->rows[at] = (dm_value *)c->after;
			d->keys[at] = key;
		} else {
			c->op = DM_DML_DELETE;
			c->before = d->rows[at];
			d->rows[at] = d->rows[d->nrows - 1];
			d->keys[at] = d->keys[d->nrows - 1];
			d->nrows--;
		}
	}
}

/* ---------------------------------------------------------------- apply */

static void apply(dm_dml_change *const *list, size_t n, unsigned flags,
		  size_t max_rows, size_t max_statement)
{
	dm_dml_format_opts o = DM_DML_FORMAT_OPTS_INIT;
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;
	size_t i = 0, used;

	o.flags = flags;
	o.max_rows = max_rows;
	o.max_statement = max_statement;
	while (i < n) {
		dm_buf_clear(&b);
		if (dm_dml_format(&b, &used, (const dm_dml_change *const *)list +
					      i, n - i, &o, &e)) {
			dm_buf f = DM_BUF_INIT;

			dm_error_format(&f, e, 0);
			fail_msg("dm_dml_format: %s", f.data);
		}
		must(sandbox_exec(conn, "%s", b.data));
		i += used;
	}
	dm_buf_free(&b);
}

static void truncate_all(void)
{
	size_t i;

	for (i = 0; i < N_TABLES; i++)
		must(sandbox_exec(conn, "TRUNCATE TABLE " DB ".%s",
				  tables[i].name));
}

/* Sorted rows of a table, each as the server's hex text of its columns. */
static char **table_rows(const tdef *d, const char *table, size_t *count)
{
	dm_buf q = DM_BUF_INIT;
	MYSQL_RES *res;
	MYSQL_ROW row;
	char **out;
	size_t i, n;

	dm_buf_puts(&q, "SELECT CONCAT_WS(',' ");
	for (i = 0; i < d->ncols; i++)
		dm_buf_printf(&q, ", IFNULL(HEX(CONCAT(`%s`)), 'N')",
			      dm_schema_table_column(d->st, i)->name);
	dm_buf_printf(&q, ") AS r FROM " DB ".%s ORDER BY r", table);
	if (mysql_query(conn, q.data))
		fail_msg("%s: %s", q.data, mysql_error(conn));
	res = mysql_store_result(conn);
	assert_non_null(res);
	n = (size_t)mysql_num_rows(res);
	out = calloc(n + 1, sizeof(*out));
	assert_non_null(out);
	for (i = 0; (row = mysql_fetch_row(res)) != NULL; i++)
		out[i] = strdup(row[0]);
	mysql_free_result(res);
	dm_buf_free(&q);
	*count = n;
	return out;
}

static void free_rows(char **r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(r[i]);
	free(r);
}

/* The reference tables hold what every table must end with. */
static void build_references(void)
{
	size_t i, k;

	for (i = 0; i < N_TABLES; i++) {
		tdef *d = &tables[i];

		must(sandbox_exec(conn, "TRUNCATE TABLE " DB ".ref_%s",
				  d->name));
		for (k = 0; k < d->nrows; k++) {
			dm_dml_change c;
			dm_dml_change *p = &c;

			memset(&c, 0, sizeof(c));
			c.op = DM_DML_INSERT;
			c.table = d->ref;
			c.after = d->rows[k];
			apply(&p, 1, 0, 0, 0);
		}
	}
}

static void expect_tables_match(const char *mode)
{
	size_t i, k, n1, n2;

	for (i = 0; i < N_TABLES; i++) {
		tdef *d = &tables[i];
		char ref[64];
		char **got, **want;

		snprintf(ref, sizeof(ref), "ref_%s", d->name);
		got = table_rows(d, d->name, &n1);
		want = table_rows(d, ref, &n2);
		if (n1 != n2)
			fail_msg("%s: %s has %zu rows, expected %zu", mode,
				 d->name, n1, n2);
		for (k = 0; k < n1; k++)
			if (strcmp(got[k], want[k]) != 0)
				fail_msg("%s: %s row %zu:\n got  %s\n want %s",
					 mode, d->name, k, got[k], want[k]);
		assert_int_equal(n1, d->nrows);
		free_rows(got, n1);
		free_rows(want, n2);
	}
}

/* --------------------------------------------------------------- tests */

static dm_dml_change **list_of(dm_dml_change *c, size_t n, bool safe)
{
	dm_dml_change **l = malloc(n * sizeof(*l));
	size_t i;

	assert_non_null(l);
	for (i = 0; i < n; i++) {
		c[i].safe = safe;
		l[i] = &c[i];
	}
	return l;
}

static void test_dml_apply__random_sequences_every_way(void **state)
{
	dm_dml_change **l, *out;
	size_t i, n, m, total = 0;

	(void)state;
	make_sequence(N_CHANGES);
	build_references();

	/* (a) one by one */
	l = list_of(changes, N_CHANGES, false);
	truncate_all();
	apply(l, N_CHANGES, 0, 0, 0);
	expect_tables_match("one by one");

	/* (b) multiple rows, default limits and tight ones */
	truncate_all();
	apply(l, N_CHANGES, DM_DML_MULTI_ROWS, 0, 0);
	expect_tables_match("multiple rows");
	truncate_all();
	apply(l, N_CHANGES, DM_DML_MULTI_ROWS, 3, 600);
	expect_tables_match("multiple rows, 3 rows / 600 bytes");

	/* (c) compacted in batches, then multiple rows */
	truncate_all();
	out = malloc(BATCH * sizeof(*out));
	assert_non_null(out);
	for (i = 0; i < N_CHANGES; i += n) {
		dm_dml_change *ptr[BATCH];
		size_t k;

		n = N_CHANGES - i < BATCH ? N_CHANGES - i : BATCH;
		m = dm_dml_compact(out, (const dm_dml_change *const *)l + i,
				   n);
		assert_true(m >= 1 && m <= n);
		total += m;
		for (k = 0; k < m; k++)
			ptr[k] = &out[k];
		apply(ptr, m, DM_DML_MULTI_ROWS, 0, 0);
	}
	free(out);
	print_message("compaction: %d changes became %zu\n", N_CHANGES, total);
	assert_true(total < N_CHANGES);
	expect_tables_match("compacted, multiple rows");
	free(l);

	/* (d) safe mode, then the same again where a replay is idempotent */
	l = list_of(changes, N_CHANGES, true);
	truncate_all();
	apply(l, N_CHANGES, 0, 0, 0);
	expect_tables_match("safe mode");
	apply(l, N_CHANGES, DM_DML_MULTI_ROWS, 0, 0);
	{
		/* Compare the idempotent tables only. */
		size_t k;

		for (k = 0; k < N_TABLES; k++) {
			tdef *d = &tables[k];
			char ref[64];
			char **got, **want;
			size_t n1, n2, r;

			if (!d->idempotent)
				continue;
			snprintf(ref, sizeof(ref), "ref_%s", d->name);
			got = table_rows(d, d->name, &n1);
			want = table_rows(d, ref, &n2);
			assert_int_equal(n1, n2);
			for (r = 0; r < n1; r++)
				if (strcmp(got[r], want[r]))
					fail_msg("safe replay: %s row %zu:\n"
						 " got  %s\n want %s", d->name,
						 r, got[r], want[r]);
			free_rows(got, n1);
			free_rows(want, n2);
		}
	}
	free(l);
}

/* The INSERT path itself keeps every byte and number: compare the server's
 * text with what the values say. */
static void test_dml_apply__values_arrive_exactly(void **state)
{
	tdef *d = &tables[6];
	static const char *const cols[] = { "biu", "bi", "dc", "vc", "tx",
					    "vcl", "txl", "cl", "bn", "vb",
					    "bl" };
	static const size_t idx[] = { 10, 9, 11, 16, 17, 19, 20, 18, 21, 22,
				      23 };
	size_t r, k, checked = 0;
	char sql[256];

	(void)state;
	assert_string_equal(d->name, "t_all");
	for (r = 0; r < d->nrows && r < 200; r++) {
		const dm_value *row = d->rows[r];

		for (k = 0; k < sizeof(cols) / sizeof(cols[0]); k++) {
			const dm_value *v = &row[idx[k]];
			char want[2100], *got;

			assert_string_equal(
				dm_schema_table_column(d->st, idx[k])->name,
				cols[k]);
			if (v->kind == DM_VALUE_NULL)
				continue;
			if (v->kind == DM_VALUE_INT &&
			    (v->flags & DM_VALUE_F_SIGN_UNKNOWN))
				snprintf(want, sizeof(want), "%" PRIu64,
					 (uint64_t)v->v.i);
			else if (v->kind == DM_VALUE_INT)
				snprintf(want, sizeof(want), "%" PRId64,
					 v->v.i);
			else if (v->kind == DM_VALUE_UINT)
				snprintf(want, sizeof(want), "%" PRIu64,
					 v->v.u);
			else if (v->kind == DM_VALUE_DECIMAL)
				snprintf(want, sizeof(want), "%.*s",
					 (int)v->v.str.len, v->v.str.ptr);
			else {
				size_t j;

				for (j = 0; j < v->v.str.len; j++)
					snprintf(want + 2 * j, 3, "%02X",
						 (unsigned char)v->v.str.ptr[j]);
				want[2 * v->v.str.len] = '\0';
			}
			if (v->kind == DM_VALUE_STRING ||
			    v->kind == DM_VALUE_BYTES)
				snprintf(sql, sizeof(sql),
					 "SELECT HEX(`%s`) FROM " DB
					 ".ref_t_all WHERE id = %ld",
					 cols[k], d->keys[r]);
			else
				snprintf(sql, sizeof(sql),
					 "SELECT `%s` FROM " DB
					 ".ref_t_all WHERE id = %ld",
					 cols[k], d->keys[r]);
			got = sandbox_query_value(conn, sql, NULL);
			assert_non_null(got);
			if (strcmp(got, want) != 0)
				fail_msg("t_all id %ld `%s`: got %s want %s",
					 d->keys[r], cols[k], got, want);
			free(got);
			checked++;
		}
	}
	print_message("%zu values checked\n", checked);
	assert_true(checked > 100);
}

/* Rows that only the bytes tell apart: each DELETE takes its own. */
static void test_dml_apply__keyless_delete_takes_the_exact_row(void **state)
{
	static const char *const s[] = { "ab", "AB", "ab ", "Ab" };
	tdef *d = &tables[3];
	dm_value rows[4][4];
	dm_dml_change c[4], *p;
	size_t i;
	char *left;

	(void)state;
	assert_string_equal(d->name, "t_nokey");
	must(sandbox_exec(conn, "TRUNCATE TABLE " DB ".t_nokey"));
	for (i = 0; i < 4; i++) {
		rows[i][0] = v_int(1, DM_TYPE_LONG);
		rows[i][1] = v_text(s[i]);
		rows[i][2] = v_float(0.1f);
		rows[i][3] = v_null();
		memset(&c[i], 0, sizeof(c[i]));
		c[i].op = DM_DML_INSERT;
		c[i].table = d->t;
		c[i].after = rows[i];
		p = &c[i];
		apply(&p, 1, 0, 0, 0);
	}
	for (i = 0; i < 3; i++) {
		c[i].op = DM_DML_DELETE;
		c[i].before = rows[i];
		c[i].after = NULL;
		p = &c[i];
		apply(&p, 1, 0, 0, 0);
	}
	left = sandbox_query_value(conn, "SELECT GROUP_CONCAT(s) FROM " DB
					 ".t_nokey", NULL);
	assert_non_null(left);
	assert_string_equal(left, "Ab");
	free(left);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dml_apply__random_sequences_every_way),
		cmocka_unit_test(test_dml_apply__values_arrive_exactly),
		cmocka_unit_test(test_dml_apply__keyless_delete_takes_the_exact_row),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("dml_apply", tests, group_setup,
					   group_teardown);
}
