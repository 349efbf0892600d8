/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Malformed input: every event of several real binlogs cut at every byte
 * and with every byte flipped, decoded and used the way tools use events
 * (rows iterated and printed, payloads opened). Nothing may crash, and
 * every error must name its position. Also: allocation failures at every
 * allocation of a whole-file decode.
 */
#include "binlog_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define NEED_CORPUS()                                                   \
	do {                                                            \
		if (!bt_corpus_dir()) {                                 \
			fprintf(stderr, "binlog corpus not found: "     \
				"skipped\n");                           \
			skip();                                         \
		}                                                       \
	} while (0)

static const char *const files[] = {
	"psmo__binlog.000002",
	"myflash__haha.000007",
	"mbcj__mysql-bin.compressed",
	"rust_mysql_common__json.binlog.000001",
	"mariadb-poc__domain0_mariadb-repl-bin.000009",
	"rust_mysql_common__mysql-enum-string-set.000001",
	"rust_mysql_common__binlog_transaction_with_GTID_TAG.000001",
	"go-mysql__tcb-eval002c-bin.003320",
	"mysql-cdc-rs__5.7_31_update_rows_v2_log.bin",
	"mysql-cdc-rs__5.7_14_user_var_log.bin",
	"rust_mysql_common__mysql_type_bit.000001",
	"rust_mysql_common__update-partial-row.binlog",
	"mbcj__mysql-bin.aurora-padding",
};

/* Uses an event as a tool would; returns the first error status. */
static int use(dm_binlog_decoder *d, const dm_binlog_event *ev, dm_error **err)
{
	dm_buf t = DM_BUF_INIT;
	int rc = 0;

	if (ev->kind == DM_BINLOG_KIND_ROWS) {
		rc = dm_binlog_format_rows_text(&t, d, ev, err);
	} else if (ev->kind == DM_BINLOG_KIND_TRANSACTION_PAYLOAD) {
		dm_binlog_payload_iter *pi;
		const dm_binlog_event *in;

		rc = dm_binlog_payload_open(&pi, d, ev, err);
		while (!rc && (rc = dm_binlog_payload_next(pi, &in, err)) == 0)
			if (in->kind == DM_BINLOG_KIND_ROWS)
				rc = dm_binlog_format_rows_text(&t, d, in, err);
		if (rc == DM_DONE)
			rc = 0;
	}
	dm_buf_free(&t);
	return rc;
}

/* "name:offset: " somewhere in the message. */
static bool positioned(const char *m)
{
	const char *c;

	for (c = strchr(m, ':'); c; c = strchr(c + 1, ':')) {
		const char *p = c + 1;

		while (*p >= '0' && *p <= '9')
			p++;
		if (p > c + 1 && p[0] == ':' && p[1] == ' ')
			return true;
	}
	return false;
}

static void check_error(int rc, dm_error *e, const char *what, size_t at)
{
	const char *m;

	assert_true(rc < 0);
	assert_non_null(e);
	m = dm_error_message(e);
	if (rc != DM_E_NO_MEMORY && !positioned(m))
		fail_msg("%s, cut/flip at %zu: error without a position: %s",
			 what, at, m);
	dm_error_free(e);
}

/* Decodes `len` bytes of `ev` as an event of that size. */
static void try_event(dm_binlog_decoder *d, const unsigned char *src,
		      size_t len, bool fix_size, const char *what, size_t at)
{
	unsigned char *copy = malloc(len ? len : 1);
	const dm_binlog_event *out;
	dm_error *e = NULL;
	int rc;

	memcpy(copy, src, len);
	if (fix_size && len >= 13) {
		copy[9] = (unsigned char)len;
		copy[10] = (unsigned char)(len >> 8);
		copy[11] = (unsigned char)(len >> 16);
		copy[12] = (unsigned char)(len >> 24);
	}
	rc = dm_binlog_decode(d, &out, copy, len, 4, &e);
	if (rc == 0)
		rc = use(d, out, &e);
	if (rc)
		check_error(rc, e, what, at);
	free(copy);
}

/* Runs `fn` on every event of `name` with a decoder that has seen the
 * events before it. */
static void each_event(const char *name,
		       void (*fn)(dm_binlog_decoder *d, const unsigned char *ev,
				  size_t len, const char *name))
{
	dm_binlog_decoder_opts o = DM_BINLOG_DECODER_OPTS_INIT;
	dm_binlog_decoder *d;
	const dm_binlog_event *out;
	dm_error *e = NULL;
	unsigned char *f;
	size_t n, off = 4;

	f = bt_read_file(bt_corpus_path(name), &n);
	assert_non_null(f);
	o.verify_checksum = false;
	o.source_name = "test-bin.000001";
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, &o, &e), 0);
	while (off + 19 <= n) {
		size_t len = f[off + 9] | f[off + 10] << 8 | f[off + 11] << 16 |
			     (size_t)f[off + 12] << 24;

		if (len < 19 || len > n - off)
			break;
		fn(d, f + off, len, name);
		/* The real event restores the decoder's state. */
		if (dm_binlog_decode(d, &out, f + off, len, off, &e))
			fail_msg("%s at %zu: %s", name, off, bt_errmsg(e));
		off += len;
	}
	dm_binlog_decoder_free(d);
	free(f);
}

static void cut_everywhere(dm_binlog_decoder *d, const unsigned char *ev,
			   size_t len, const char *name)
{
	size_t k, step = len > 4096 ? len / 512 : 1;

	for (k = 0; k < len; k += step) {
		try_event(d, ev, k, true, name, k);
		try_event(d, ev, k, false, name, k);
	}
}

static void flip_everywhere(dm_binlog_decoder *d, const unsigned char *ev,
			    size_t len, const char *name)
{
	unsigned char *copy = malloc(len);
	size_t k, step = len > 4096 ? len / 512 : 1;
	static const unsigned char masks[] = { 0xff, 0x01, 0x80 };
	size_t m;

	for (m = 0; m < sizeof(masks); m++) {
		for (k = 9; k < len; k += step) {
			memcpy(copy, ev, len);
			copy[k] ^= masks[m];
			/* Keep the size consistent; flipping it is what the
			 * cuts test. */
			if (k >= 9 && k <= 12)
				continue;
			try_event(d, copy, len, false, name, k);
		}
	}
	free(copy);
}

static void test_malformed__every_cut_is_an_error_not_a_crash(void **state)
{
	size_t i;

	(void)state;
	NEED_CORPUS();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		each_event(files[i], cut_everywhere);
}

static void test_malformed__every_flipped_byte_is_handled(void **state)
{
	size_t i;

	(void)state;
	NEED_CORPUS();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		each_event(files[i], flip_everywhere);
}

/* A whole file, as dm-binlog would read it. */
static int walk(const char *name)
{
	dm_binlog_reader *r = NULL;
	const dm_binlog_event *ev;
	dm_error *e = NULL;
	int rc;

	rc = dm_binlog_reader_open_file(&r, NULL, bt_corpus_path(name), 0, NULL,
					&e);
	while (!rc && (rc = dm_binlog_reader_next(r, &ev, &e)) == 0)
		rc = use(dm_binlog_reader_decoder(r), ev, &e);
	dm_binlog_reader_free(r);
	if (rc == DM_DONE)
		rc = 0;
	dm_error_free(e);
	return rc;
}

static void test_malformed__allocation_failures_are_clean(void **state)
{
	size_t i;

	(void)state;
	NEED_CORPUS();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		unsigned long before = dm__alloc_count(), n, k;

		assert_int_equal(walk(files[i]), 0);
		n = dm__alloc_count() - before;
		for (k = 0; k < n; k++) {
			int rc;

			dm__alloc_fail_after((long)k);
			rc = walk(files[i]);
			dm__alloc_fail_after(-1);
			if (rc != 0 && rc != DM_E_NO_MEMORY)
				fail_msg("%s: failing allocation %lu of %lu "
					 "gave status %d", files[i], k, n, rc);
		}
		assert_int_equal(walk(files[i]), 0);
	}
}

/* Decoder misuse is refused, not crashed on. */
static void test_malformed__misuse(void **state)
{
	dm_binlog_decoder *d = bt_decoder("8.0.30"), *d2 = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	dm_binlog_payload_iter *pi;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	static const unsigned char tm[] = { 3, 0, 0, 0, 0, 0, 1, 0, 1, 'd',
		0, 1, 't', 0, 1, DM_TYPE_LONG, 0, 0x01 };
	static const unsigned char rows[] = { 3, 0, 0, 0, 0, 0, 1, 0, 2, 0, 1,
					      0x01, 0x00, 1, 0, 0, 0 };

	(void)state;
	assert_int_equal(dm_binlog_decode(NULL, &ev, rows, 1, 0, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm, sizeof(tm));
	ev = bt_decode_body(d, DM_BINLOG_WRITE_ROWS_EVENT, rows, sizeof(rows));
	/* Another decoder's event. */
	assert_int_equal(dm_binlog_rows_open(&it, d2, ev, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_binlog_payload_open(&pi, d, ev, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	/* The next decode ends the iterator. */
	bt_decode_body(d, DM_BINLOG_STOP_EVENT, NULL, 0);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	/* A TABLE_MAP of an unsupported column type. */
	{
		unsigned char bad[sizeof(tm)];
		unsigned char evb[64];
		size_t n;

		memcpy(bad, tm, sizeof(tm));
		bad[15] = DM_TYPE_DECIMAL;
		n = bt_event(evb, DM_BINLOG_TABLE_MAP_EVENT, 0, bad, sizeof(bad),
			     false);
		assert_non_null(strstr(bt_decode_fail(d, evb, n,
			DM_E_BINLOG_COLUMN_TYPE_NOT_SUPPORT), "column 1 has type 0"));
	}
	dm_binlog_decoder_free(d);
	dm_binlog_decoder_free(d2);
	dm_binlog_decoder_free(NULL);
	dm_binlog_decoder_reset(NULL);
}

int binlog_test_malformed_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malformed__every_cut_is_an_error_not_a_crash),
		cmocka_unit_test(test_malformed__every_flipped_byte_is_handled),
		cmocka_unit_test_teardown(test_malformed__allocation_failures_are_clean,
					  bt_reset_alloc),
		cmocka_unit_test(test_malformed__misuse),
	};

	return cmocka_run_group_tests_name("binlog_malformed", tests, NULL, NULL);
}
