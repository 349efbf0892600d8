/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binary GTID sets: MySQL PREVIOUS_GTIDS / COM_BINLOG_DUMP_GTID sets
 * (classic and tagged layouts) and MariaDB GTID_LIST bodies. Hand-made
 * byte strings for every error path, captured fixtures, and the real
 * binlog files of ../shared/corpus/binlog (walked event by event here,
 * independently of lib/binlog; MariaDB lists compared with the
 * mariadb-binlog reference decodings next to them).
 */
#include "gtid_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS "../shared/corpus/binlog"
#define MYSQL_BIN DM_E_BINLOG_DECODE_MYSQL_GTID_SET
#define MARIA_BIN DM_E_BINLOG_PARSE_MARIADB_GTID_SET

/* ------------------------------------------------------------ helpers */

typedef struct bytes {
	unsigned char *p;
	size_t n;
	size_t cap;
} bytes;

static void b_put(bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 16;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void b_u8(bytes *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	b_put(b, &c, 1);
}

static void b_le32(bytes *b, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		b_u8(b, (v >> (8 * i)) & 0xff);
}

static void b_le64(bytes *b, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		b_u8(b, (unsigned)(v >> (8 * i)) & 0xff);
}

static void b_uuid(bytes *b, unsigned char fill)
{
	unsigned char u[16];

	memset(u, fill, sizeof(u));
	b_put(b, u, sizeof(u));
}

static bool read_file(const char *path, bytes *out)
{
	FILE *f = fopen(path, "rb");
	unsigned char buf[4096];
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!f)
		return false;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		b_put(out, buf, n);
	fclose(f);
	return true;
}

static int hexv(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A .hex fixture (whitespace ignored) as bytes; false when absent. */
static bool read_hex(const char *name, bytes *out)
{
	char path[512];
	bytes text;
	size_t i;
	int hi = -1;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, name);
	if (!read_file(path, &text))
		return false;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < text.n; i++) {
		int v = hexv(text.p[i]);

		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			b_u8(out, (unsigned)(hi << 4 | v));
			hi = -1;
		}
	}
	free(text.p);
	return true;
}

static bool corpus_present(void)
{
	DIR *d = opendir(CORPUS);

	if (!d)
		return false;
	closedir(d);
	return true;
}

static void decode_mysql_fails(const bytes *b, const char *frag)
{
	dm_gtid_set *s = (dm_gtid_set *)&s;
	dm_error *e = NULL;

	assert_int_equal(dm_gtid_set_decode_mysql(&s, b->p, b->n, NULL, &e),
			 MYSQL_BIN);
	assert_null(s);
	assert_non_null(e);
	if (frag && !strstr(dm_error_message(e), frag))
		fail_msg("[%s] lacks [%s]", dm_error_message(e), frag);
	dm_error_free(e);
}

static char *decode_mysql_text(const void *p, size_t n)
{
	dm_gtid_set *s = NULL;
	dm_error *e = NULL;
	char *t;

	if (dm_gtid_set_decode_mysql(&s, p, n, NULL, &e) != 0)
		fail_msg("decode: %s", dm_error_message(e));
	t = gtid_test_format(s);
	dm_gtid_set_free(s);
	return t;
}

static void assert_encodes_to(const char *text, unsigned flags,
			      const bytes *want)
{
	dm_gtid_set *s = gtid_test_parse(DM_GTID_MYSQL, text);
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_gtid_set_encode_mysql(&b, s, flags), 0);
	assert_int_equal(b.len, want->n);
	assert_memory_equal(b.data, want->p, want->n);
	dm_buf_free(&b);
	dm_gtid_set_free(s);
}

/* ------------------------------------------------------ MySQL, by hand */

static void test_gtid__decode_mysql_classic_and_tagged(void **state)
{
	bytes b = { 0 };
	char *t;

	(void)state;
	/* Classic: two sources, out of order, one with two intervals. */
	b_le64(&b, 2);
	b_uuid(&b, 0xbb);
	b_le64(&b, 2);
	b_le64(&b, 1);
	b_le64(&b, 6);
	b_le64(&b, 10);
	b_le64(&b, 11);
	b_uuid(&b, 0xaa);
	b_le64(&b, 1);
	b_le64(&b, 7);
	b_le64(&b, 8);
	t = decode_mysql_text(b.p, b.n);
	assert_string_equal(t, "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa:7,"
			       "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb:1-5:10");
	free(t);
	free(b.p);

	/* Tagged: format 1 in the top and the low byte, count in between;
	 * an untagged entry has a zero tag length. */
	memset(&b, 0, sizeof(b));
	b_le64(&b, 1ULL << 56 | 2ULL << 8 | 1);
	b_uuid(&b, 0x11);
	b_u8(&b, 0);
	b_le64(&b, 1);
	b_le64(&b, 1);
	b_le64(&b, 4);
	b_uuid(&b, 0x11);
	b_u8(&b, 3 << 1);
	b_put(&b, "Abc", 3);
	b_le64(&b, 1);
	b_le64(&b, 9223372036854775806ULL);
	b_le64(&b, 9223372036854775807ULL);
	t = decode_mysql_text(b.p, b.n);
	assert_string_equal(t, "11111111-1111-1111-1111-111111111111:1-3:abc:"
			       "9223372036854775806");
	free(t);
	free(b.p);
}

static void test_gtid__decode_mysql_accepts_long_varlen_tag_length(
	void **state)
{
	bytes b = { 0 };
	char *t;

	(void)state;
	/* Length 5 written in two bytes: 0b010101 (one trailing one, value
	 * bits 000101 after the two low bits), then 0x00. */
	b_le64(&b, 1ULL << 56 | 1ULL << 8 | 1);
	b_uuid(&b, 0x22);
	b_u8(&b, 5 << 2 | 1);
	b_u8(&b, 0);
	b_put(&b, "tag_5", 5);
	b_le64(&b, 1);
	b_le64(&b, 3);
	b_le64(&b, 4);
	t = decode_mysql_text(b.p, b.n);
	assert_string_equal(t, "22222222-2222-2222-2222-222222222222:tag_5:3");
	free(t);
	free(b.p);
}

static void test_gtid__decode_mysql_merges_repeated_sources(void **state)
{
	bytes b = { 0 };
	char *t;

	(void)state;
	b_le64(&b, 2);
	b_uuid(&b, 0x01);
	b_le64(&b, 1);
	b_le64(&b, 5);
	b_le64(&b, 8);
	b_uuid(&b, 0x01);
	b_le64(&b, 1);
	b_le64(&b, 1);
	b_le64(&b, 5);
	t = decode_mysql_text(b.p, b.n);
	assert_string_equal(t, "01010101-0101-0101-0101-010101010101:1-7");
	free(t);
	free(b.p);
}

static void test_gtid__decode_mysql_rejects_malformed(void **state)
{
	bytes b = { 0 };

	(void)state;
	decode_mysql_fails(&b, "no room for the 8-byte source count at byte 0");
	b_put(&b, "\0\0\0\0\0\0\0", 7);
	decode_mysql_fails(&b, "no room");
	b.n = 0;
	b_le64(&b, 2ULL << 56);
	decode_mysql_fails(&b, "unknown GTID set encoding format 2 at byte 7");
	b.n = 0;
	b_le64(&b, 1);
	decode_mysql_fails(&b, "1 sources do not fit in 0 bytes");
	b.n = 0;
	b_le64(&b, 0x00ffffffffffffffULL);
	decode_mysql_fails(&b, "sources do not fit");
	b.n = 0;
	b_le64(&b, 1);
	b_uuid(&b, 1);
	b_le64(&b, 1);
	decode_mysql_fails(&b, "1 intervals do not fit in 0 bytes at byte 24");
	b.n = 0;
	b_le64(&b, 1);
	b_uuid(&b, 1);
	b_le64(&b, 0xffffffffffffffffULL);
	b_le64(&b, 1);
	b_le64(&b, 2);
	decode_mysql_fails(&b, "intervals do not fit");

	/* Interval values. */
	{
		static const uint64_t bad_ivs[][4] = {
			{ 1, 0, 5, 0 },            /* start 0 */
			{ 1, 5, 5, 0 },            /* empty */
			{ 1, 6, 5, 0 },            /* reversed */
			{ 1, 1, 9223372036854775808ULL, 0 }, /* past GNO_END */
			{ 2, 1, 5, 5 },            /* touches the previous */
			{ 2, 1, 5, 3 },            /* overlaps */
			{ 2, 10, 12, 1 },          /* out of order */
		};
		size_t i;

		for (i = 0; i < sizeof(bad_ivs) / sizeof(bad_ivs[0]); i++) {
			b.n = 0;
			b_le64(&b, 1);
			b_uuid(&b, 1);
			b_le64(&b, bad_ivs[i][0]);
			b_le64(&b, bad_ivs[i][1]);
			b_le64(&b, bad_ivs[i][2]);
			if (bad_ivs[i][0] == 2) {
				b_le64(&b, bad_ivs[i][3]);
				b_le64(&b, bad_ivs[i][3] + 20);
			}
			decode_mysql_fails(&b, bad_ivs[i][0] == 2
						       ? "at byte 48"
						       : "at byte 32");
		}
	}

	/* Tags. */
	b.n = 0;
	b_le64(&b, 1ULL << 56 | 1ULL << 8 | 1);
	b_uuid(&b, 1);
	b_u8(&b, 33 << 1);
	b_put(&b, "abcdefghijklmnopqrstuvwxyz0123456", 33);
	b_le64(&b, 0);
	decode_mysql_fails(&b, "tag length 33 above 32 at byte 24");
	b.n = 0;
	b_le64(&b, 1ULL << 56 | 1ULL << 8 | 1);
	b_uuid(&b, 1);
	b_u8(&b, 3 << 1);
	b_put(&b, "a-b", 3);
	b_le64(&b, 0);
	decode_mysql_fails(&b, "invalid tag at byte 24");
	b.n = 0;
	b_le64(&b, 1ULL << 56 | 1ULL << 8 | 1);
	b_uuid(&b, 1);
	b_u8(&b, 3 << 1);
	b_put(&b, "a\0b", 3);
	b_le64(&b, 0);
	decode_mysql_fails(&b, "invalid tag");
	b.n = 0;
	b_le64(&b, 1ULL << 56 | 1ULL << 8 | 1);
	b_uuid(&b, 1);
	b_u8(&b, 2 << 1);
	b_put(&b, "9x", 2);
	b_le64(&b, 0);
	decode_mysql_fails(&b, "invalid tag");
	b.n = 0;
	b_le64(&b, 1ULL << 56 | 2ULL << 8 | 1);
	b_uuid(&b, 1);
	b_u8(&b, 0);
	b_le64(&b, 1);
	b_le64(&b, 1);
	b_le64(&b, 2);
	b_uuid(&b, 2);
	b_u8(&b, 0xff); /* nine-byte length, cut short */
	b_put(&b, "\1\0\0\0\0\0\0", 7);
	decode_mysql_fails(&b, "truncated tag length at byte 65");
	b.n = 0;
	b_le64(&b, 1ULL << 56 | 1ULL << 8 | 1);
	b_uuid(&b, 1);
	b_u8(&b, 0xff);
	b_le64(&b, 1ULL << 40);
	decode_mysql_fails(&b, "tag length 1099511627776 above 32");
	b.n = 0;
	b_le64(&b, 1ULL << 56 | 1ULL << 8 | 1);
	b_uuid(&b, 1);
	b_u8(&b, 20 << 1);
	b_put(&b, "short", 5);
	b_put(&b, "\0\0\0", 3);
	decode_mysql_fails(&b, "truncated tag of 20 bytes");

	/* Trailing bytes: an error unless the caller asks how many were
	 * used. */
	b.n = 0;
	b_le64(&b, 0);
	b_u8(&b, 0x42);
	decode_mysql_fails(&b, "1 bytes after the GTID set at byte 8 of 9");
	{
		dm_gtid_set *s = NULL;
		size_t used = 0;

		assert_int_equal(dm_gtid_set_decode_mysql(&s, b.p, b.n, &used,
							  NULL),
				 0);
		assert_int_equal(used, 8);
		assert_true(dm_gtid_set_is_empty(s));
		dm_gtid_set_free(s);
		assert_int_equal(dm_gtid_set_decode_mysql(NULL, b.p, b.n,
							  NULL, NULL),
				 DM_E_INVALID_ARGUMENT);
		assert_int_equal(dm_gtid_set_decode_mysql(&s, NULL, 3, NULL,
							  NULL),
				 DM_E_INVALID_ARGUMENT);
	}
	free(b.p);
}

static void test_gtid__decode_mysql_rejects_every_truncation(void **state)
{
	dm_gtid_set *s = gtid_test_parse(
		DM_GTID_MYSQL, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:9:t:3,"
			       "b5cd1624-5f30-11e4-b4e9-1051721bd241:7");
	dm_buf enc = DM_BUF_INIT;
	size_t n;

	(void)state;
	assert_int_equal(dm_gtid_set_encode_mysql(&enc, s, 0), 0);
	for (n = 0; n < enc.len; n++) {
		dm_gtid_set *d = NULL;
		dm_error *e = NULL;
		unsigned char *copy = malloc(n ? n : 1);

		/* A fresh allocation of exactly n bytes, so ASan and
		 * valgrind see any read past the end. */
		memcpy(copy, enc.data, n);
		assert_int_equal(dm_gtid_set_decode_mysql(&d, copy, n, NULL, &e),
				 MYSQL_BIN);
		assert_null(d);
		dm_error_free(e);
		free(copy);
	}
	dm_buf_free(&enc);
	dm_gtid_set_free(s);
}

static void test_gtid__encode_mysql_layouts(void **state)
{
	bytes want = { 0 };
	dm_gtid_set *m = gtid_test_parse(DM_GTID_MARIADB, "0-1-2");
	dm_gtid_set *s;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	/* Empty set: a zero count. */
	b_le64(&want, 0);
	assert_encodes_to("", 0, &want);
	/* Tagged sources make the whole set tagged. */
	want.n = 0;
	b_le64(&want, 1ULL << 56 | 2ULL << 8 | 1);
	b_uuid(&want, 0xab);
	b_u8(&want, 0);
	b_le64(&want, 1);
	b_le64(&want, 1);
	b_le64(&want, 3);
	b_uuid(&want, 0xab);
	b_u8(&want, 2 << 1);
	b_put(&want, "tg", 2);
	b_le64(&want, 2);
	b_le64(&want, 5);
	b_le64(&want, 6);
	b_le64(&want, 7);
	b_le64(&want, 8);
	assert_encodes_to("abababab-abab-abab-abab-abababababab:1-2:TG:5:7", 0,
			  &want);
	/* Skipping tagged sources gives the classic layout. */
	want.n = 0;
	b_le64(&want, 1);
	b_uuid(&want, 0xab);
	b_le64(&want, 1);
	b_le64(&want, 1);
	b_le64(&want, 3);
	assert_encodes_to("abababab-abab-abab-abab-abababababab:1-2:TG:5:7",
			  DM_GTID_ENCODE_SKIP_TAGGED, &want);
	want.n = 0;
	b_le64(&want, 0);
	assert_encodes_to("abababab-abab-abab-abab-abababababab:x:1",
			  DM_GTID_ENCODE_SKIP_TAGGED, &want);

	/* Appends; refuses the other flavor and unknown flags. */
	s = gtid_test_parse(DM_GTID_MYSQL, "");
	assert_int_equal(dm_buf_puts(&b, "xy"), 0);
	assert_int_equal(dm_gtid_set_encode_mysql(&b, s, 0), 0);
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.data, "xy\0\0\0\0\0\0\0\0", 10);
	assert_int_equal(dm_gtid_set_encode_mysql(&b, m, 0),
			 DM_E_NOT_MYSQL_GTID);
	assert_int_equal(dm_gtid_set_encode_mysql(&b, s, 2),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_encode_mysql(NULL, s, 0),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_encode_mariadb(&b, s, 0),
			 DM_E_NOT_MARIADB_GTID);
	assert_int_equal(dm_gtid_set_encode_mariadb(&b, m, 16),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(b.len, 10);
	dm_buf_free(&b);
	dm_gtid_set_free(s);
	dm_gtid_set_free(m);
	free(want.p);
}

/* ---------------------------------------------------- MariaDB, by hand */

static void test_gtid__decode_mariadb_list(void **state)
{
	bytes b = { 0 };
	dm_gtid_set *s = NULL;
	dm_error *e = NULL;
	unsigned flags = 0;
	size_t used = 0;
	char *t;

	(void)state;
	b_le32(&b, 3u | 2u << 28);
	b_le32(&b, 1);
	b_le32(&b, 10);
	b_le64(&b, 5);
	b_le32(&b, 0);
	b_le32(&b, 4294967295u);
	b_le64(&b, 18446744073709551615ULL);
	b_le32(&b, 1); /* same pair again, lower seq */
	b_le32(&b, 10);
	b_le64(&b, 2);
	b_put(&b, "\0\0", 2); /* padding is left to the caller */
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, &flags, b.p, b.n, &used,
						    &e),
			 0);
	assert_int_equal(flags, 2);
	assert_int_equal(used, b.n - 2);
	t = gtid_test_format(s);
	assert_string_equal(t, "0-4294967295-18446744073709551615,1-10-5");
	free(t);
	dm_gtid_set_free(s);
	/* used and out_flags may be NULL. */
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, NULL, b.p, b.n, NULL,
						    NULL),
			 0);
	dm_gtid_set_free(s);

	/* Errors. */
	s = (dm_gtid_set *)&s;
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, NULL, b.p, 3, NULL, &e),
			 MARIA_BIN);
	assert_null(s);
	assert_non_null(strstr(dm_error_message(e),
			       "no room for the 4-byte GTID count at byte 0 of 3"));
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, NULL, b.p, 4 + 16 * 3 - 1,
						    NULL, &e),
			 MARIA_BIN);
	assert_non_null(strstr(dm_error_message(e),
			       "3 GTIDs do not fit in 47 bytes"));
	dm_error_free(e);
	e = NULL;
	b.n = 0;
	b_le32(&b, 0x0fffffffu);
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, NULL, b.p, b.n, NULL, &e),
			 MARIA_BIN);
	dm_error_free(e);
	assert_int_equal(dm_gtid_set_decode_mariadb(NULL, NULL, b.p, b.n, NULL,
						    NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, NULL, NULL, 1, NULL,
						    NULL),
			 DM_E_INVALID_ARGUMENT);
	/* Flags alone, no GTIDs. */
	b.n = 0;
	b_le32(&b, 0xf0000000u);
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, &flags, b.p, b.n, NULL,
						    NULL),
			 0);
	assert_int_equal(flags, 15);
	assert_true(dm_gtid_set_is_empty(s));
	dm_gtid_set_free(s);
	free(b.p);
}

static void test_gtid__encode_mariadb_list(void **state)
{
	dm_gtid_set *s = gtid_test_parse(DM_GTID_MARIADB, "1-10-5,0-2-7");
	dm_buf b = DM_BUF_INIT;
	bytes want = { 0 };

	(void)state;
	b_le32(&want, 2u | 1u << 28);
	b_le32(&want, 0);
	b_le32(&want, 2);
	b_le64(&want, 7);
	b_le32(&want, 1);
	b_le32(&want, 10);
	b_le64(&want, 5);
	assert_int_equal(dm_gtid_set_encode_mariadb(&b, s, 1), 0);
	assert_int_equal(b.len, want.n);
	assert_memory_equal(b.data, want.p, want.n);
	dm_buf_free(&b);
	dm_gtid_set_free(s);
	free(want.p);
}

/* ------------------------------------------------------------ fixtures */

static void test_gtid__fixture_previous_gtids_two_uuids(void **state)
{
	bytes b;
	char *t;

	(void)state;
	if (!read_hex("mbcj__previous_gtids_body__two_uuids.hex", &b))
		skip();
	t = decode_mysql_text(b.p, b.n);
	assert_string_equal(t, "b5cd1624-5f30-11e4-b4e9-1051721bd241:1-7081968,"
			       "bb421d26-5f30-11e4-b4e9-d89d672b2ef8:1-7823824");
	assert_encodes_to(t, 0, &b);
	free(t);
	free(b.p);
}

static void test_gtid__fixture_gtid_list_body(void **state)
{
	bytes b;
	dm_gtid_set *s = NULL;
	size_t used = 0;
	unsigned flags = 9;
	char *t;

	(void)state;
	if (!read_hex("mbcj__mariadb_gtid_list_body__0-102-7255.hex", &b))
		skip();
	assert_int_equal(b.n, 21);
	assert_int_equal(dm_gtid_set_decode_mariadb(&s, &flags, b.p, b.n, &used,
						    NULL),
			 0);
	assert_int_equal(used, 20); /* the captured trailing byte is left */
	assert_int_equal(flags, 0);
	t = gtid_test_format(s);
	assert_string_equal(t, "0-102-7255");
	free(t);
	dm_gtid_set_free(s);
	free(b.p);
}

/* ------------------------------------------------ real binlog files */

/* PREVIOUS_GTIDS sets of the corpus files that have a non-empty one, as
 * decoded by an independent throw-away script; every other file's set is
 * empty. */
static const char *const known_previous[][2] = {
	{ "easypost__bin-log.000001",
	  "87cee3a4-6b31-11e7-bdfd-0d98d6698870:1-14916" },
	{ "rust_mysql_common__binlog_transaction_previous_GTID_no_tag.000001",
	  "b9b88c66-0755-11f1-9899-4a9da94c4d71:1-2" },
	{ "rust_mysql_common__binlog_transaction_with_GTID_TAG.000001",
	  "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2" },
	{ "solodba__master-bin.000018",
	  "d535e991-b60f-11ef-8546-000c294584c2:1-9,"
	  "d5dbce47-b60f-11ef-93c4-000c2993c1b2:1-74" },
	{ "solodba__mysql-bin.000002",
	  "9d2a4d46-c1f3-11ef-9c54-080027148414:9-18" },
	{ "solodba__mysql-bin.000010",
	  "9d2a4d46-c1f3-11ef-9c54-080027148414:9-66" },
	{ "walg__binlog_small_test",
	  "6abc8ecb-bf5c-11e9-9821-c897993b5a14:1-106777" },
};
#define NKNOWN (sizeof(known_previous) / sizeof(known_previous[0]))

typedef struct walk_stats {
	size_t files;
	size_t previous;        /* PREVIOUS_GTIDS events decoded */
	size_t previous_known;  /* ... with a non-empty expected set */
	size_t tagged;          /* ... in the tagged layout */
	size_t lists;           /* GTID_LIST events decoded */
	size_t lists_checked;   /* ... compared with mariadb-binlog */
	bool seen_known[NKNOWN];
} walk_stats;

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Version number of an FDE's server version ("5.6.41-debug" -> 50641). */
static unsigned version_of(const unsigned char *body, size_t n)
{
	unsigned part[3] = { 0, 0, 0 }, k = 0;
	size_t i;

	for (i = 2; i < n && i < 52 && body[i] && k < 3; i++) {
		if (body[i] >= '0' && body[i] <= '9')
			part[k] = part[k] * 10 + (unsigned)(body[i] - '0');
		else if (body[i] == '.')
			k++;
		else
			break;
	}
	return part[0] * 10000 + part[1] * 100 + part[2];
}

static void check_previous(walk_stats *st, const char *name,
			   const unsigned char *body, size_t n)
{
	dm_gtid_set *s = NULL;
	dm_error *e = NULL;
	dm_buf enc = DM_BUF_INIT;
	const char *want = "";
	char *got;
	size_t i;

	if (dm_gtid_set_decode_mysql(&s, body, n, NULL, &e) != 0)
		fail_msg("%s: PREVIOUS_GTIDS: %s", name, dm_error_message(e));
	for (i = 0; i < NKNOWN; i++)
		if (strcmp(name, known_previous[i][0]) == 0) {
			want = known_previous[i][1];
			st->seen_known[i] = true;
			st->previous_known++;
		}
	got = gtid_test_format(s);
	if (strcmp(got, want) != 0)
		fail_msg("%s: PREVIOUS_GTIDS is [%s], want [%s]", name, got,
			 want);
	/* The server wrote the canonical encoding: ours is byte-identical. */
	assert_int_equal(dm_gtid_set_encode_mysql(&enc, s, 0), 0);
	if (enc.len != n || memcmp(enc.data, body, n) != 0)
		fail_msg("%s: re-encoded PREVIOUS_GTIDS differs", name);
	if (n >= 8 && body[7] == 1)
		st->tagged++;
	st->previous++;
	free(got);
	dm_buf_free(&enc);
	dm_gtid_set_free(s);
}

/* The "Gtid list [...]" of the event ending at end_pos in the reference
 * decoding, or NULL when there is none (malloc'd). */
static char *reference_list(const char *name, uint32_t end_pos)
{
	char path[512], key[64], *start, *open, *close, *out = NULL;
	bytes text;

	snprintf(path, sizeof(path), "%s/%s.mariadb-binlog.txt", CORPUS, name);
	if (!read_file(path, &text))
		return NULL;
	b_u8(&text, 0);
	snprintf(key, sizeof(key), "end_log_pos %u ", (unsigned)end_pos);
	start = strstr((char *)text.p, key);
	if (start) {
		char *eol = strchr(start, '\n');

		open = strstr(start, "Gtid list [");
		if (open && (!eol || open < eol)) {
			open += strlen("Gtid list [");
			close = strchr(open, ']');
			if (close) {
				out = malloc((size_t)(close - open) + 1);
				memcpy(out, open, (size_t)(close - open));
				out[close - open] = '\0';
			}
		}
	}
	free(text.p);
	return out;
}

static void check_list(walk_stats *st, const char *name, uint32_t end_pos,
		       const unsigned char *body, size_t n)
{
	dm_gtid_set *s = NULL, *r;
	dm_error *e = NULL;
	dm_buf enc = DM_BUF_INIT;
	unsigned flags = 0;
	size_t used = 0;
	char *ref;

	if (dm_gtid_set_decode_mariadb(&s, &flags, body, n, &used, &e) != 0)
		fail_msg("%s: GTID_LIST: %s", name, dm_error_message(e));
	assert_true(used <= n);
	assert_int_equal(dm_gtid_set_encode_mariadb(&enc, s, flags), 0);
	if (enc.len != used || memcmp(enc.data, body, used) != 0)
		fail_msg("%s: re-encoded GTID_LIST differs", name);
	ref = reference_list(name, end_pos);
	if (ref) {
		r = gtid_test_parse(DM_GTID_MARIADB, ref);
		if (!dm_gtid_set_equal(s, r))
			fail_msg("%s: GTID_LIST at %u differs from "
				 "mariadb-binlog's [%s]",
				 name, (unsigned)end_pos, ref);
		dm_gtid_set_free(r);
		free(ref);
		st->lists_checked++;
	}
	st->lists++;
	dm_buf_free(&enc);
	dm_gtid_set_free(s);
}

static void walk_file(walk_stats *st, const char *name, const bytes *f)
{
	size_t pos = 4;
	bool crc = false;

	if (f->n < 4 || memcmp(f->p, "\xfe" "bin", 4) != 0)
		return;
	st->files++;
	while (f->n - pos >= 19) {
		const unsigned char *h = f->p + pos;
		uint32_t size = rd32(h + 9);
		const unsigned char *body = h + 19;
		size_t n;
		unsigned type = h[4];

		if (size < 19 || size > f->n - pos)
			break; /* truncated file */
		n = size - 19;
		if (type == 15) { /* FORMAT_DESCRIPTION */
			/* From 5.6.1 the FDE ends with the checksum algorithm
			 * and its own CRC. */
			crc = version_of(body, n) >= 50601 && n >= 5 &&
			      body[n - 5] == 1;
		} else if (type == 35 || type == 163) {
			if (crc) {
				assert_true(n >= 4);
				n -= 4;
			}
			if (type == 35)
				check_previous(st, name, body, n);
			else
				check_list(st, name, rd32(h + 13), body, n);
		}
		pos += size;
	}
}

static void test_gtid__corpus_binlog_sets_decode_and_reencode(void **state)
{
	walk_stats st;
	DIR *d;
	struct dirent *de;
	size_t i;

	(void)state;
	if (!corpus_present()) {
		fprintf(stderr, "unit-gtid: %s not found, corpus test skipped\n",
			CORPUS);
		skip();
	}
	memset(&st, 0, sizeof(st));
	d = opendir(CORPUS);
	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		char path[512];
		bytes f;

		if (strstr(de->d_name, ".txt") || strstr(de->d_name, ".hex") ||
		    strstr(de->d_name, ".md") || de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS, de->d_name);
		if (!read_file(path, &f))
			continue;
		walk_file(&st, de->d_name, &f);
		free(f.p);
	}
	closedir(d);
	fprintf(stderr,
		"unit-gtid: corpus: %zu binlogs, %zu PREVIOUS_GTIDS (%zu "
		"non-empty, %zu tagged), %zu GTID_LIST (%zu checked against "
		"mariadb-binlog)\n",
		st.files, st.previous, st.previous_known, st.tagged, st.lists,
		st.lists_checked);
	/* Every file of the table that is in the folder was seen. */
	for (i = 0; i < NKNOWN; i++) {
		char path[512];
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", CORPUS,
			 known_previous[i][0]);
		f = fopen(path, "rb");
		if (f) {
			fclose(f);
			if (!st.seen_known[i])
				fail_msg("%s: no PREVIOUS_GTIDS found",
					 known_previous[i][0]);
		}
	}
	assert_true(st.previous >= 20);
	assert_true(st.tagged >= 1);
	assert_true(st.lists >= 5);
	assert_true(st.lists_checked >= 5);
}

/* The tagged set of MySQL 9.6 from text encodes to the server's bytes. */
static void test_gtid__tagged_text_encodes_like_mysql_9(void **state)
{
	static const char name[] =
		"rust_mysql_common__binlog_transaction_with_GTID_TAG.000001";
	char path[512];
	bytes f, body = { 0 };

	(void)state;
	snprintf(path, sizeof(path), "%s/%s", CORPUS, name);
	if (!read_file(path, &f))
		skip();
	/* FDE at 4, PREVIOUS_GTIDS right after it, CRC32 on. */
	{
		size_t pos = 4 + rd32(f.p + 4 + 9);
		uint32_t size = rd32(f.p + pos + 9);

		assert_int_equal(f.p[pos + 4], 35);
		b_put(&body, f.p + pos + 19, size - 19 - 4);
	}
	assert_encodes_to("55778904-0299-11F1-B1B8-4EF0C4956FEB:MyTag:1-2,"
			  "55778904-0299-11f1-b1b8-4ef0c4956feb:1-13",
			  0, &body);
	free(body.p);
	free(f.p);
}

int gtid_test_codec_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtid__decode_mysql_classic_and_tagged),
		cmocka_unit_test(test_gtid__decode_mysql_accepts_long_varlen_tag_length),
		cmocka_unit_test(test_gtid__decode_mysql_merges_repeated_sources),
		cmocka_unit_test(test_gtid__decode_mysql_rejects_malformed),
		cmocka_unit_test(test_gtid__decode_mysql_rejects_every_truncation),
		cmocka_unit_test(test_gtid__encode_mysql_layouts),
		cmocka_unit_test(test_gtid__decode_mariadb_list),
		cmocka_unit_test(test_gtid__encode_mariadb_list),
		cmocka_unit_test(test_gtid__fixture_previous_gtids_two_uuids),
		cmocka_unit_test(test_gtid__fixture_gtid_list_body),
		cmocka_unit_test(test_gtid__corpus_binlog_sets_decode_and_reencode),
		cmocka_unit_test(test_gtid__tagged_text_encodes_like_mysql_9),
	};

	return cmocka_run_group_tests_name("gtid_codec", tests, NULL,
					   gtid_test_reset_alloc);
}
