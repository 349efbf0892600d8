/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row values of every column type, built here byte by byte in a MySQL 5.7
 * binlog: typed values, mariadb-binlog's "###" text (captured from
 * mariadb-binlog 10.11 on the same bytes, and compared with the installed
 * tool when there is one), row images, partial JSON, and the promise that
 * iterating rows allocates nothing per row.
 */
#include "binlog_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "util/alloc.h"

/* ------------------------------------------------------------ building */

typedef struct bb {
	unsigned char *p;
	size_t n, cap;
} bb;

static void put(bb *b, const void *d, size_t n)
{
	if (n == 0)
		return;
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 64;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void u8(bb *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	put(b, &c, 1);
}

static void le(bb *b, uint64_t v, int k)
{
	int i;

	for (i = 0; i < k; i++)
		u8(b, (unsigned)(v >> (8 * i)) & 0xff);
}

static void be(bb *b, uint64_t v, int k)
{
	int i;

	for (i = k - 1; i >= 0; i--)
		u8(b, (unsigned)(v >> (8 * i)) & 0xff);
}

static void str8(bb *b, const char *s)
{
	u8(b, (unsigned)strlen(s));
	put(b, s, strlen(s));
}

/* An event around `body` at file offset `*pos` (advanced), with a CRC32
 * when `crc`. */
static void event(bb *file, uint8_t type, const bb *body, bool crc,
		  uint32_t *pos)
{
	unsigned char hdr[19] = { 0 };
	size_t len = 19 + body->n + (crc ? 4 : 0);
	uint32_t end = *pos + (uint32_t)len;
	size_t start = file->n;

	hdr[0] = 0x10;
	hdr[1] = 0x27;
	hdr[4] = type;
	hdr[5] = 1;
	hdr[9] = (unsigned char)len;
	hdr[10] = (unsigned char)(len >> 8);
	hdr[11] = (unsigned char)(len >> 16);
	hdr[13] = (unsigned char)end;
	hdr[14] = (unsigned char)(end >> 8);
	hdr[15] = (unsigned char)(end >> 16);
	put(file, hdr, 19);
	put(file, body->p, body->n);
	if (crc)
		le(file, crc32(crc32(0L, NULL, 0), file->p + start, (uInt)(19 + body->n)),
		   4);
	*pos = end;
}

/* MySQL 5.7's FORMAT_DESCRIPTION, checksum OFF. */
static void fde(bb *file, uint32_t *pos)
{
	static const unsigned char phl[38] = {
		56, 13, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0, 95, 0, 4, 26, 8,
		0, 0, 0, 8, 8, 8, 2, 0, 0, 0, 10, 10, 10, 42, 42, 0, 18, 52, 0
	};
	char ver[50] = "5.7.30-log";
	bb b = { 0 };

	le(&b, 4, 2);
	put(&b, ver, 50);
	le(&b, 0, 4);
	u8(&b, 19);
	put(&b, phl, sizeof(phl));
	u8(&b, 0);           /* checksum OFF */
	le(&b, 0, 4);        /* the FDE's checksum field is always there */
	event(file, DM_BINLOG_FORMAT_DESCRIPTION_EVENT, &b, false, pos);
	free(b.p);
}

/* The columns: type, metadata bytes, nullable. */
typedef struct colspec {
	uint8_t type;
	unsigned char meta[2];
	int nmeta;
} colspec;

static const colspec cols[] = {
	{ DM_TYPE_TINY, { 0 }, 0 },                 /* 1 */
	{ DM_TYPE_TINY, { 0 }, 0 },                 /* 2 unsigned */
	{ DM_TYPE_SHORT, { 0 }, 0 },                /* 3 */
	{ DM_TYPE_INT24, { 0 }, 0 },                /* 4 */
	{ DM_TYPE_LONG, { 0 }, 0 },                 /* 5 */
	{ DM_TYPE_LONGLONG, { 0 }, 0 },             /* 6 */
	{ DM_TYPE_LONGLONG, { 0 }, 0 },             /* 7 unsigned */
	{ DM_TYPE_FLOAT, { 4 }, 1 },                /* 8 */
	{ DM_TYPE_DOUBLE, { 8 }, 1 },               /* 9 */
	{ DM_TYPE_NEWDECIMAL, { 10, 4 }, 2 },       /* 10 */
	{ DM_TYPE_NEWDECIMAL, { 65, 30 }, 2 },      /* 11 */
	{ DM_TYPE_YEAR, { 0 }, 0 },                 /* 12 */
	{ DM_TYPE_DATE, { 0 }, 0 },                 /* 13 */
	{ DM_TYPE_TIME2, { 0 }, 1 },                /* 14 */
	{ DM_TYPE_TIME2, { 3 }, 1 },                /* 15 */
	{ DM_TYPE_TIME2, { 6 }, 1 },                /* 16 */
	{ DM_TYPE_DATETIME2, { 0 }, 1 },            /* 17 */
	{ DM_TYPE_DATETIME2, { 6 }, 1 },            /* 18 */
	{ DM_TYPE_DATETIME2, { 1 }, 1 },            /* 19 */
	{ DM_TYPE_TIMESTAMP2, { 0 }, 1 },           /* 20 */
	{ DM_TYPE_TIMESTAMP2, { 4 }, 1 },           /* 21 */
	{ DM_TYPE_VARCHAR, { 0x2c, 0x01 }, 2 },     /* 22 VARCHAR(300 bytes) */
	{ DM_TYPE_STRING, { DM_TYPE_STRING, 40 }, 2 }, /* 23 CHAR(40 bytes) */
	{ DM_TYPE_BLOB, { 2 }, 1 },                 /* 24 */
	{ DM_TYPE_STRING, { DM_TYPE_ENUM, 1 }, 2 }, /* 25 */
	{ DM_TYPE_STRING, { DM_TYPE_SET, 1 }, 2 },  /* 26 */
	{ DM_TYPE_BIT, { 2, 1 }, 2 },               /* 27 BIT(10) */
	{ DM_TYPE_DATETIME, { 0 }, 0 },             /* 28 */
	{ DM_TYPE_TIMESTAMP, { 0 }, 0 },            /* 29 */
	{ DM_TYPE_TIME, { 0 }, 0 },                 /* 30 */
	{ DM_TYPE_GEOMETRY, { 4 }, 1 },             /* 31 */
	{ DM_TYPE_TIME2, { 2 }, 1 },                /* 32 */
	{ DM_TYPE_TIMESTAMP2, { 6 }, 1 },           /* 33 */
	{ DM_TYPE_STRING, { 0xee, 0x2c }, 2 },      /* 34 CHAR(300 bytes) */
};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static void table_map(bb *file, uint32_t *pos, uint64_t id)
{
	bb b = { 0 }, m = { 0 };
	size_t i;

	le(&b, id, 6);
	le(&b, 1, 2);
	str8(&b, "db");
	u8(&b, 0);
	str8(&b, "all_types");
	u8(&b, 0);
	u8(&b, NCOLS);
	for (i = 0; i < NCOLS; i++)
		u8(&b, cols[i].type);
	for (i = 0; i < NCOLS; i++)
		put(&m, cols[i].meta, (size_t)cols[i].nmeta);
	u8(&b, (unsigned)m.n);
	put(&b, m.p, m.n);
	for (i = 0; i < (NCOLS + 7) / 8; i++)
		u8(&b, 0xff); /* all nullable */
	/* SIGNEDNESS: numeric columns 1..11 (TINY, TINY, SHORT, INT24,
	 * LONG, LONGLONG, LONGLONG, FLOAT, DOUBLE, DECIMAL, DECIMAL): the
	 * second and seventh are unsigned. */
	u8(&b, 1);
	u8(&b, 2);
	u8(&b, 0x42);
	u8(&b, 0x00);
	/* DEFAULT_CHARSET utf8mb4 (45) with the BLOB (4th character
	 * column) binary. */
	u8(&b, 2);
	u8(&b, 3);
	u8(&b, 45);
	u8(&b, 2);
	u8(&b, 63);
	/* ENUM_STR_VALUE and SET_STR_VALUE. */
	u8(&b, 6);
	u8(&b, 6);
	u8(&b, 2);
	str8(&b, "x");
	str8(&b, "yy");
	u8(&b, 5);
	u8(&b, 7);
	u8(&b, 3);
	str8(&b, "a");
	str8(&b, "b");
	str8(&b, "c");
	event(file, DM_BINLOG_TABLE_MAP_EVENT, &b, false, pos);
	free(b.p);
	free(m.p);
}

/* MySQL's packed TIME to TIME2 storage, for fsp 0..6. */
static void time2(bb *b, int neg, unsigned h, unsigned mi, unsigned s,
		  unsigned usec, int fsp)
{
	int64_t packed = ((int64_t)((h << 12) | (mi << 6) | s) << 24) + usec;
	int64_t ip, fr;

	if (neg)
		packed = -packed;
	ip = packed >> 24;
	fr = packed % (1 << 24);
	switch (fsp) {
	case 0:
		be(b, (uint64_t)(ip + 0x800000), 3);
		break;
	case 1:
	case 2:
		be(b, (uint64_t)(ip + 0x800000), 3);
		u8(b, (unsigned)(unsigned char)(signed char)(fr / 10000));
		break;
	case 3:
	case 4:
		be(b, (uint64_t)(ip + 0x800000), 3);
		be(b, (uint16_t)(int16_t)(fr / 100), 2);
		break;
	default:
		be(b, (uint64_t)(packed + INT64_C(0x800000000000)), 6);
		break;
	}
}

static void datetime2(bb *b, unsigned y, unsigned mo, unsigned d, unsigned h,
		      unsigned mi, unsigned s, unsigned usec, int fsp)
{
	uint64_t ymd = ((uint64_t)(y * 13 + mo) << 5) | d;
	uint64_t hms = (h << 12) | (mi << 6) | s;

	be(b, ((ymd << 17) | hms) + UINT64_C(0x8000000000), 5);
	if (fsp == 1 || fsp == 2)
		u8(b, usec / 10000);
	else if (fsp == 3 || fsp == 4)
		be(b, usec / 100, 2);
	else if (fsp >= 5)
		be(b, usec, 3);
}

static void frac(bb *b, unsigned usec, int fsp)
{
	if (fsp == 1 || fsp == 2)
		u8(b, usec / 10000);
	else if (fsp == 3 || fsp == 4)
		be(b, usec / 100, 2);
	else if (fsp >= 5)
		be(b, usec, 3);
}

static const unsigned char dec_10_4[] = { 0x7f, 0xff, 0x84, 0xee, 0x6b };
static const unsigned char dec_65_30[] = {
	0x80, 0xbc, 0x61, 0x4e, 0x35, 0xb7, 0xbf, 0x87, 0x35, 0x0e, 0x34, 0xc0,
	0x2f, 0x07, 0x5f, 0x79, 0x07, 0x5b, 0xcd, 0x15, 0x00, 0xbc, 0x61, 0x4e,
	0x35, 0xb7, 0xbf, 0x87, 0x03, 0x7a
};
/* POINT(1 2) with SRID 0. */
static const unsigned char point[] = {
	0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0, 0,
	0, 0, 0, 0x40
};

/* Row 1: edge values. */
static void row_values(bb *b)
{
	float f = -1.5f;
	double d = 3.141592653589793;
	uint32_t fb;
	uint64_t db;
	size_t i;

	memcpy(&fb, &f, 4);
	memcpy(&db, &d, 8);
	for (i = 0; i < (NCOLS + 7) / 8; i++)
		u8(b, 0); /* null bitmap: none */
	le(b, 0x80, 1);                 /* -128 */
	le(b, 0xff, 1);                 /* 255 unsigned */
	le(b, 0x8000, 2);               /* -32768 */
	le(b, 0x800000, 3);             /* -8388608 */
	le(b, 0x7fffffff, 4);
	le(b, UINT64_C(0x8000000000000000), 8);
	le(b, UINT64_MAX, 8);           /* 18446744073709551615 */
	le(b, fb, 4);
	le(b, db, 8);
	put(b, dec_10_4, sizeof(dec_10_4));
	put(b, dec_65_30, sizeof(dec_65_30));
	u8(b, 2024 - 1900);
	le(b, (2020u << 9) | (2 << 5) | 29, 3);
	time2(b, 1, 838, 59, 59, 0, 0);
	time2(b, 1, 0, 0, 1, 500000, 3);
	time2(b, 0, 12, 34, 56, 123456, 6);
	datetime2(b, 9999, 12, 31, 23, 59, 59, 0, 0);
	datetime2(b, 2020, 1, 2, 3, 4, 5, 123456, 6);
	datetime2(b, 2020, 1, 2, 3, 4, 5, 100000, 1);
	be(b, 1700000000, 4);
	be(b, 1700000000, 4);
	frac(b, 123400, 4);
	le(b, 9, 2);
	put(b, "a'b\\c\x01\x1f ~", 9);
	u8(b, 3);
	put(b, "abc", 3);
	le(b, 4, 2);
	put(b, "\x00\xff\x7f\x80", 4);
	u8(b, 2);                       /* ENUM 'yy' */
	u8(b, 5);                       /* SET 'a,c' */
	be(b, 0x2a5, 2);                /* BIT(10) */
	le(b, UINT64_C(20010203040506), 8);
	le(b, 1234567890, 4);
	le(b, (uint32_t)(-123456) & 0xffffff, 3);
	le(b, sizeof(point), 4);
	put(b, point, sizeof(point));
	time2(b, 0, 0, 0, 0, 990000, 2);
	be(b, 1, 4);
	frac(b, 1, 6);
	le(b, 2, 2);                    /* CHAR over 255 bytes: 2-byte length */
	put(b, "zz", 2);
}

/* Row 2: every column NULL. */
static void row_nulls(bb *b)
{
	size_t i;

	for (i = 0; i < (NCOLS + 7) / 8; i++)
		u8(b, i + 1 < (NCOLS + 7) / 8 ? 0xff : (0xff >> (8 - NCOLS % 8)));
}

/* Row 3: zeros and the zero date. */
static void row_zeros(bb *b)
{
	size_t i;

	for (i = 0; i < (NCOLS + 7) / 8; i++)
		u8(b, 0);
	le(b, 0, 1);
	le(b, 0, 1);
	le(b, 0, 2);
	le(b, 0, 3);
	le(b, 0, 4);
	le(b, 0, 8);
	le(b, 0, 8);
	le(b, 0, 4);
	le(b, 0, 8);
	put(b, "\x80\x00\x00\x00\x01", 5);  /* 0.0001 */
	u8(b, 0x80);
	for (i = 1; i < sizeof(dec_65_30); i++)
		u8(b, 0);
	u8(b, 0);                       /* YEAR 0 */
	le(b, 0, 3);                    /* 0000-00-00 */
	time2(b, 0, 0, 0, 0, 0, 0);
	time2(b, 0, 0, 0, 0, 0, 3);
	time2(b, 0, 0, 0, 0, 0, 6);
	datetime2(b, 0, 0, 0, 0, 0, 0, 0, 0);
	datetime2(b, 0, 0, 0, 0, 0, 0, 0, 6);
	datetime2(b, 0, 0, 0, 0, 0, 0, 0, 1);
	be(b, 0, 4);
	be(b, 0, 4);
	frac(b, 0, 4);
	le(b, 0, 2);
	u8(b, 0);
	le(b, 0, 2);
	u8(b, 0);                       /* ENUM '' */
	u8(b, 0);
	be(b, 0, 2);
	le(b, 0, 8);
	le(b, 0, 4);
	le(b, 0, 3);
	le(b, 0, 4);
	time2(b, 0, 0, 0, 0, 0, 2);
	be(b, 0, 4);
	frac(b, 0, 6);
	le(b, 0, 2);
}

/* The whole binlog: magic, FDE, TABLE_MAP, WRITE_ROWS_V2 of three rows. */
static bb build_file(void)
{
	bb file = { 0 }, rows = { 0 };
	uint32_t pos = 4;
	size_t i;

	put(&file, "\xfe" "bin", 4);
	fde(&file, &pos);
	table_map(&file, &pos, 77);
	le(&rows, 77, 6);
	le(&rows, 1, 2);
	le(&rows, 2, 2);
	u8(&rows, NCOLS);
	for (i = 0; i < (NCOLS + 7) / 8; i++)
		u8(&rows, 0xff);
	row_values(&rows);
	row_nulls(&rows);
	row_zeros(&rows);
	event(&file, DM_BINLOG_WRITE_ROWS_EVENT, &rows, false, &pos);
	free(rows.p);
	return file;
}

/* What mariadb-binlog 10.11.19 printed for the file (captured once). */
static const char expected_text[] =
	"### INSERT INTO `db`.`all_types`\n"
	"### SET\n"
	"###   @1=-128 (128)\n"
	"###   @2=-1 (255)\n"
	"###   @3=-32768 (32768)\n"
	"###   @4=-8388608 (8388608)\n"
	"###   @5=2147483647\n"
	"###   @6=-9223372036854775808 (9223372036854775808)\n"
	"###   @7=-1 (18446744073709551615)\n"
	"###   @8=-1.5                \n"
	"###   @9=3.141592653589793116\n"
	"###   @10=-123.4500\n"
	"###   @11=12345678901234567890123456789012345.123456789012345678901234567890\n"
	"###   @12=2024\n"
	"###   @13='2020:02:29'\n"
	"###   @14='-838:59:59'\n"
	"###   @15='-00:00:01.500'\n"
	"###   @16='12:34:56.123456'\n"
	"###   @17='9999-12-31 23:59:59'\n"
	"###   @18='2020-01-02 03:04:05.123456'\n"
	"###   @19='2020-01-02 03:04:05.1'\n"
	"###   @20=1700000000\n"
	"###   @21=1700000000.1234\n"
	"###   @22='a'b\\c\\x01\\x1f ~'\n"
	"###   @23='abc'\n"
	"###   @24='\\x00\xff"  "\x7f"  "\x80"  "'\n"
	"###   @25=2\n"
	"###   @26=b'00000101'\n"
	"###   @27=b'1010100101'\n"
	"###   @28='2001-02-03 04:05:06'\n"
	"###   @29=1234567890\n"
	"###   @30='-12:34:56'\n"
	"###   @31='\\x00\\x00\\x00\\x00\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\xf0"  "?\\x00\\x00\\x00\\x00\\x00\\x00\\x00@'\n"
	"###   @32='00:00:00.99'\n"
	"###   @33=1.000001\n"
	"###   @34='zz'\n"
	"### INSERT INTO `db`.`all_types`\n"
	"### SET\n"
	"###   @1=NULL\n"
	"###   @2=NULL\n"
	"###   @3=NULL\n"
	"###   @4=NULL\n"
	"###   @5=NULL\n"
	"###   @6=NULL\n"
	"###   @7=NULL\n"
	"###   @8=NULL\n"
	"###   @9=NULL\n"
	"###   @10=NULL\n"
	"###   @11=NULL\n"
	"###   @12=NULL\n"
	"###   @13=NULL\n"
	"###   @14=NULL\n"
	"###   @15=NULL\n"
	"###   @16=NULL\n"
	"###   @17=NULL\n"
	"###   @18=NULL\n"
	"###   @19=NULL\n"
	"###   @20=NULL\n"
	"###   @21=NULL\n"
	"###   @22=NULL\n"
	"###   @23=NULL\n"
	"###   @24=NULL\n"
	"###   @25=NULL\n"
	"###   @26=NULL\n"
	"###   @27=NULL\n"
	"###   @28=NULL\n"
	"###   @29=NULL\n"
	"###   @30=NULL\n"
	"###   @31=NULL\n"
	"###   @32=NULL\n"
	"###   @33=NULL\n"
	"###   @34=NULL\n"
	"### INSERT INTO `db`.`all_types`\n"
	"### SET\n"
	"###   @1=0\n"
	"###   @2=0\n"
	"###   @3=0\n"
	"###   @4=0\n"
	"###   @5=0\n"
	"###   @6=0\n"
	"###   @7=0\n"
	"###   @8=0                   \n"
	"###   @9=0\n"
	"###   @10=0.0001\n"
	"###   @11=0.000000000000000000000000000000\n"
	"###   @12=1900\n"
	"###   @13='0000:00:00'\n"
	"###   @14='00:00:00'\n"
	"###   @15='00:00:00.000'\n"
	"###   @16='00:00:00.000000'\n"
	"###   @17='0000-00-00 00:00:00'\n"
	"###   @18='0000-00-00 00:00:00.000000'\n"
	"###   @19='0000-00-00 00:00:00.0'\n"
	"###   @20=0\n"
	"###   @21=0.0000\n"
	"###   @22=''\n"
	"###   @23=''\n"
	"###   @24=''\n"
	"###   @25=0\n"
	"###   @26=b'00000000'\n"
	"###   @27=b'0000000000'\n"
	"###   @28='0000-00-00 00:00:00'\n"
	"###   @29=0\n"
	"###   @30='00:00:00'\n"
	"###   @31=''\n"
	"###   @32='00:00:00.00'\n"
	"###   @33=0.000000\n"
	"###   @34=''\n";

static const dm_binlog_event *decode_file(dm_binlog_decoder *d, const bb *f,
					  size_t *off, uint32_t type)
{
	const dm_binlog_event *ev = NULL;

	while (*off < f->n) {
		size_t n = f->p[*off + 9] | f->p[*off + 10] << 8 |
			   f->p[*off + 11] << 16;
		dm_error *e = NULL;

		if (dm_binlog_decode(d, &ev, f->p + *off, n, *off, &e))
			fail_msg("%s", bt_errmsg(e));
		*off += n;
		if (ev->type == type)
			return ev;
	}
	fail_msg("no event of type %u", type);
	return NULL;
}

static void test_rows__every_type_prints_as_mariadb_binlog(void **state)
{
	bb f = build_file();
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_buf t = DM_BUF_INIT;
	dm_error *e = NULL;
	size_t off = 4;

	(void)state;
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, NULL, &e), 0);
	ev = decode_file(d, &f, &off, DM_BINLOG_WRITE_ROWS_EVENT);
	if (dm_binlog_format_rows_text(&t, d, ev, &e))
		fail_msg("%s", bt_errmsg(e));
	if (strcmp(t.data, expected_text) != 0) {
		size_t i = 0;

		while (t.data[i] && t.data[i] == expected_text[i])
			i++;
		fail_msg("text differs at byte %zu:\n%.80s\nwant:\n%.80s", i,
			 t.data + i, expected_text + i);
	}
	dm_buf_free(&t);
	dm_binlog_decoder_free(d);
	free(f.p);
}

/* The installed mariadb-binlog, when there is one, prints the same. */
static void test_rows__every_type_matches_installed_mariadb_binlog(void **state)
{
	bb f = build_file();
	char path[] = "/tmp/dm-binlog-types.XXXXXX";
	char cmd[512];
	dm_buf out = DM_BUF_INIT;
	FILE *p;
	char line[4096];
	int fd;

	(void)state;
	if (system("mariadb-binlog --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "mariadb-binlog not installed: skipped\n");
		free(f.p);
		skip();
	}
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, f.p, f.n), (ssize_t)f.n);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "mariadb-binlog --verbose --base64-output=decode-rows %s "
		 "2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p))
		if (strncmp(line, "###", 3) == 0)
			dm_buf_puts(&out, line);
	pclose(p);
	if (getenv("BT_KEEP"))
		fprintf(stderr, "kept %s\n", path);
	else
		unlink(path);
	assert_non_null(out.data);
	assert_string_equal(out.data, expected_text);
	dm_buf_free(&out);
	free(f.p);
}

static void test_rows__every_type_gives_typed_values(void **state)
{
	bb f = build_file();
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	dm_buf t = DM_BUF_INIT;
	size_t off = 4;

	(void)state;
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, NULL, &e), 0);
	ev = decode_file(d, &f, &off, DM_BINLOG_WRITE_ROWS_EVENT);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	assert_null(bv);
	assert_int_equal(av[0].kind, DM_VALUE_INT);
	assert_int_equal(av[0].v.i, -128);
	assert_int_equal(av[0].flags, 0);
	assert_int_equal(av[1].kind, DM_VALUE_UINT);
	assert_int_equal(av[1].v.u, 255);
	assert_int_equal(av[5].v.i, INT64_MIN);
	assert_int_equal(av[6].v.u, UINT64_MAX);
	assert_true(av[7].v.f == -1.5f);
	assert_true(av[8].v.d == 3.141592653589793);
	assert_int_equal(av[9].kind, DM_VALUE_DECIMAL);
	assert_string_equal(av[9].v.str.ptr, "-123.4500");
	assert_int_equal(av[11].v.u, 2024);
	assert_int_equal(av[12].v.time.year, 2020);
	assert_int_equal(av[12].v.time.day, 29);
	assert_true(av[13].v.time.negative);
	assert_int_equal(av[13].v.time.hour, 838);
	assert_true(av[14].v.time.negative);
	assert_int_equal(av[14].v.time.second, 1);
	assert_int_equal(av[14].v.time.microsecond, 500000);
	assert_int_equal(av[15].v.time.microsecond, 123456);
	assert_int_equal(av[17].v.time.microsecond, 123456);
	assert_int_equal(av[17].v.time.fsp, 6);
	assert_int_equal(av[19].kind, DM_VALUE_TIMESTAMP);
	assert_int_equal(av[19].v.ts.sec, 1700000000);
	assert_int_equal(av[20].v.ts.usec, 123400);
	assert_int_equal(av[21].kind, DM_VALUE_STRING);
	assert_int_equal(av[21].charset, 45);
	assert_int_equal(av[23].kind, DM_VALUE_BYTES);
	assert_int_equal(av[23].charset, 63);
	assert_int_equal(av[24].kind, DM_VALUE_ENUM);
	assert_int_equal(av[24].v.enm.index, 2);
	assert_int_equal(av[24].v.enm.nnames, 2);
	assert_int_equal(av[25].v.set.mask, 5);
	assert_int_equal(av[26].v.bit.bits, 0x2a5);
	assert_int_equal(av[26].v.bit.nbits, 10);
	assert_int_equal(av[27].v.time.year, 2001);
	assert_int_equal(av[28].v.ts.sec, 1234567890);
	assert_true(av[29].v.time.negative);
	assert_int_equal(av[30].kind, DM_VALUE_GEOMETRY);
	assert_int_equal(av[30].v.str.len, sizeof(point));
	/* SELECT's text and SQL literals of a few. */
	assert_int_equal(dm_value_format_text(&t, &av[17], &e), 0);
	assert_string_equal(t.data, "2020-01-02 03:04:05.123456");
	dm_buf_clear(&t);
	assert_int_equal(dm_value_format_text(&t, &av[13], &e), 0);
	assert_string_equal(t.data, "-838:59:59");
	dm_buf_clear(&t);
	assert_int_equal(dm_value_format_text(&t, &av[25], &e), 0);
	assert_string_equal(t.data, "a,c");
	dm_buf_clear(&t);
	assert_int_equal(dm_value_format_sql(&t, &av[24], 0, &e), 0);
	assert_string_equal(t.data, "'yy'");
	dm_buf_clear(&t);
	assert_int_equal(dm_value_format_sql(&t, &av[20], 0, &e), 0);
	assert_string_equal(t.data, "FROM_UNIXTIME(1700000000.123400)");
	dm_buf_clear(&t);
	assert_int_equal(dm_value_format_text(&t, &av[19], &e), 0);
	assert_string_equal(t.data, "2023-11-14 22:13:20");
	dm_buf_clear(&t);

	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	assert_int_equal(av[0].kind, DM_VALUE_NULL);
	assert_int_equal(av[NCOLS - 1].kind, DM_VALUE_NULL);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	assert_int_equal(av[24].v.enm.index, 0);
	assert_int_equal(av[11].v.u, 0);
	assert_int_equal(dm_binlog_rows_index(it), 2);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), DM_DONE);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), DM_DONE);
	dm_buf_free(&t);
	dm_binlog_decoder_free(d);
	free(f.p);
}

/* ---------------------------------------------------------- row images */

static const unsigned char tm3[] = {
	5, 0, 0, 0, 0, 0, 1, 0, 1, 'd', 0, 1, 't', 0, 3,
	DM_TYPE_LONG, DM_TYPE_BLOB, DM_TYPE_LONG, 1, 2, 0x07,
};

static void test_rows__minimal_image_marks_absent_columns(void **state)
{
	/* UPDATE: before has column 1 only, after columns 2 and 3. */
	static const unsigned char rows[] = {
		5, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0x01, 0x06,
		0x00, 7, 0, 0, 0,
		0x02, 2, 0, 'h', 'i',
	};
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	char *expect = "### UPDATE `d`.`t`\n### WHERE\n###   @1=7\n### SET\n"
		       "###   @2='hi'\n###   @3=NULL\n";
	dm_buf t = DM_BUF_INIT;

	(void)state;
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm3, sizeof(tm3));
	ev = bt_decode_body(d, DM_BINLOG_UPDATE_ROWS_EVENT, rows, sizeof(rows));
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	assert_int_equal(bv[0].kind, DM_VALUE_INT);
	assert_int_equal(bv[0].v.i, 7);
	assert_int_equal(bv[1].kind, DM_VALUE_ABSENT);
	assert_int_equal(bv[2].kind, DM_VALUE_ABSENT);
	assert_int_equal(av[0].kind, DM_VALUE_ABSENT);
	assert_int_equal(av[1].kind, DM_VALUE_BYTES);
	assert_int_equal(av[2].kind, DM_VALUE_NULL);
	assert_false(dm_value_is_null(&av[0]));
	assert_true(dm_value_is_null(&av[2]));
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), DM_DONE);
	assert_int_equal(dm_binlog_format_rows_text(&t, d, ev, &e), 0);
	assert_string_equal(t.data, expect);
	dm_buf_free(&t);
	dm_binlog_decoder_free(d);
}

static void test_rows__unmapped_table_and_empty_insert(void **state)
{
	unsigned char rows[] = { 9, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0x07 };
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	dm_error *e = NULL;
	dm_buf t = DM_BUF_INIT;

	(void)state;
	ev = bt_decode_body(d, DM_BINLOG_WRITE_ROWS_EVENT, rows, sizeof(rows));
	assert_null(ev->u.rows.table);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e),
			 DM_E_BINLOG_EXPECT_TABLE_MAP_EV);
	assert_non_null(strstr(bt_errmsg(e), "test-bin.000001:4: Write_rows "
				"event: table id 9 is not mapped"));
	e = NULL;
	assert_int_equal(dm_binlog_format_rows_text(&t, d, ev, &e), 0);
	assert_string_equal(t.data, "### Row event for unknown table #9");
	dm_buf_clear(&t);
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm3, sizeof(tm3));
	rows[0] = 5;
	ev = bt_decode_body(d, DM_BINLOG_WRITE_ROWS_EVENT, rows, sizeof(rows));
	assert_int_equal(dm_binlog_format_rows_text(&t, d, ev, &e), 0);
	assert_string_equal(t.data, "### INSERT INTO `d`.`t` VALUES ()\n");
	dm_buf_free(&t);
	dm_binlog_decoder_free(d);
}

/* ------------------------------------------------------ partial JSON */

static void test_rows__partial_json_applies_diffs_to_before_image(void **state)
{
	static const unsigned char tm[] = {
		6, 0, 0, 0, 0, 0, 1, 0, 1, 'd', 0, 1, 'j', 0, 2,
		DM_TYPE_LONG, DM_TYPE_JSON, 1, 4, 0x03,
	};
	/* {"a": 1} as binary JSON. */
	static const unsigned char doc[] = { 0x00, 0x01, 0x00, 0x0c, 0x00,
		0x0b, 0x00, 0x01, 0x00, 0x05, 0x01, 0x00, 0x61 };
	/* REPLACE $.a with 2. */
	static const unsigned char diff[] = { 0x00, 0x03, '$', '.', 'a', 0x03,
					      0x05, 0x02, 0x00 };
	bb b = { 0 };
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	dm_buf t = DM_BUF_INIT;

	(void)state;
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm, sizeof(tm));
	le(&b, 6, 6);
	le(&b, 1, 2);
	le(&b, 2, 2);
	u8(&b, 2);
	u8(&b, 0x03);
	u8(&b, 0x03);
	/* Before: both columns. */
	u8(&b, 0);
	le(&b, 1, 4);
	le(&b, sizeof(doc), 4);
	put(&b, doc, sizeof(doc));
	/* After: partial JSON bit set, then the diffs. */
	u8(&b, 1);
	u8(&b, 1);
	u8(&b, 0);
	le(&b, 1, 4);
	le(&b, sizeof(diff), 4);
	put(&b, diff, sizeof(diff));
	ev = bt_decode_body(d, DM_BINLOG_PARTIAL_UPDATE_ROWS_EVENT, b.p, b.n);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	if (dm_binlog_rows_next(it, &bv, &av, &e))
		fail_msg("%s", bt_errmsg(e));
	assert_int_equal(bv[1].kind, DM_VALUE_JSON_BINARY);
	assert_int_equal(av[1].kind, DM_VALUE_JSON);
	assert_int_equal(av[1].v.str.len, 8);
	assert_memory_equal(av[1].v.str.ptr, "{\"a\": 2}", 8);
	assert_int_equal(dm_binlog_format_rows_text(&t, d, ev, &e), 0);
	assert_string_equal(t.data,
			    "### UPDATE `d`.`j`\n### WHERE\n###   @1=1\n"
			    "###   @2='{\"a\": 1}'\n### SET\n###   @1=1\n"
			    "###   @2='{\"a\": 2}'\n");
	dm_buf_free(&t);
	free(b.p);
	dm_binlog_decoder_free(d);
}

/* ---------------------------------------------- no allocation per row */

static void test_rows__no_allocation_per_row(void **state)
{
	bb b = { 0 };
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	unsigned long before_alloc, after_alloc;
	size_t i, nrows = 20000, got = 0;
	static const unsigned char tm[] = {
		7, 0, 0, 0, 0, 0, 1, 0, 1, 'd', 0, 1, 'w', 0, 4,
		DM_TYPE_LONG, DM_TYPE_NEWDECIMAL, DM_TYPE_VARCHAR,
		DM_TYPE_DATETIME2, 5, 10, 2, 0x40, 0x00, 3, 0x0f,
	};

	(void)state;
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm, sizeof(tm));
	le(&b, 7, 6);
	le(&b, 1, 2);
	le(&b, 2, 2);
	u8(&b, 4);
	u8(&b, 0x0f);
	for (i = 0; i < nrows; i++) {
		u8(&b, i % 7 == 0 ? 0x04 : 0);
		le(&b, i, 4);
		put(&b, "\x80\x00\x00\x01\x00", 5);
		if (i % 7) {
			u8(&b, 5);
			put(&b, "hello", 5);
		}
		datetime2(&b, 2020, 1, 2, 3, 4, 5, 123000, 3);
	}
	ev = bt_decode_body(d, DM_BINLOG_WRITE_ROWS_EVENT, b.p, b.n);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	got++;
	before_alloc = dm__alloc_count();
	while (dm_binlog_rows_next(it, &bv, &av, &e) == 0)
		got++;
	after_alloc = dm__alloc_count();
	assert_int_equal(got, nrows);
	assert_int_equal(after_alloc, before_alloc);
	/* Decoding the same event again reuses everything. */
	ev = bt_decode_body(d, DM_BINLOG_WRITE_ROWS_EVENT, b.p, b.n);
	before_alloc = dm__alloc_count();
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	while (dm_binlog_rows_next(it, &bv, &av, &e) == 0)
		;
	assert_int_equal(dm__alloc_count(), before_alloc);
	free(b.p);
	dm_binlog_decoder_free(d);
}

/* Negative zero decimals and fractional temporal edge values, as
 * mariadb-binlog 10.11 prints them. */
static void test_rows__negative_zero_and_fractions(void **state)
{
	static const unsigned char tm[] = {
		5, 0, 0, 0, 0, 0, 1, 0, 1, 'd', 0, 1, 't', 0, 6,
		DM_TYPE_NEWDECIMAL, DM_TYPE_NEWDECIMAL, DM_TYPE_NEWDECIMAL,
		DM_TYPE_TIME2, DM_TYPE_DATETIME2, DM_TYPE_TIMESTAMP2,
		9, 4, 2, 4, 2, 5, 0, 1, 4, 2, 0x3f,
	};
	bb b = { 0 };
	dm_binlog_decoder *d = bt_decoder("5.7.30-log");
	const dm_binlog_event *ev;
	dm_buf t = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm, sizeof(tm));
	le(&b, 5, 6);
	le(&b, 1, 2);
	le(&b, 2, 2);
	u8(&b, 6);
	u8(&b, 0x3f);
	u8(&b, 0);
	put(&b, "\x7f\xff", 2);          /* -0.00 */
	put(&b, "\x80\x00", 2);          /* 0.00 */
	put(&b, "\x7f\xff\xff", 3);      /* -0, scale 0: plain 0 */
	time2(&b, 1, 0, 0, 0, 500000, 1);
	datetime2(&b, 2024, 2, 29, 23, 59, 59, 999900, 4);
	be(&b, 1, 4);
	u8(&b, 99);
	ev = bt_decode_body(d, DM_BINLOG_WRITE_ROWS_EVENT, b.p, b.n);
	assert_int_equal(dm_binlog_format_rows_text(&t, d, ev, &e), 0);
	assert_string_equal(t.data,
			    "### INSERT INTO `d`.`t`\n### SET\n###   @1=-0.00\n"
			    "###   @2=0.00\n###   @3=0\n"
			    "###   @4='-00:00:00.5'\n"
			    "###   @5='2024-02-29 23:59:59.9999'\n"
			    "###   @6=1.99\n");
	dm_buf_free(&t);
	free(b.p);
	dm_binlog_decoder_free(d);
}

int binlog_test_rows_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows__every_type_prints_as_mariadb_binlog),
		cmocka_unit_test(test_rows__every_type_matches_installed_mariadb_binlog),
		cmocka_unit_test(test_rows__every_type_gives_typed_values),
		cmocka_unit_test(test_rows__minimal_image_marks_absent_columns),
		cmocka_unit_test(test_rows__unmapped_table_and_empty_insert),
		cmocka_unit_test(test_rows__partial_json_applies_diffs_to_before_image),
		cmocka_unit_test(test_rows__no_allocation_per_row),
		cmocka_unit_test(test_rows__negative_zero_and_fractions),
	};

	return cmocka_run_group_tests_name("binlog_rows", tests, NULL, NULL);
}
