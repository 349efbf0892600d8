/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Malformed binary JSON: each case must fail with DM_E_BINLOG_EVENT_DECODE
 * and a message naming the byte where the problem is and what it is, in
 * both the streaming printer and the tree builder of apply_diffs.
 */
#include "jsonbin_test.h"

#include <stdlib.h>
#include <string.h>

#include "value/jsonbin.h"

#define CHECK_ERR(at, what, ...)                                              \
	do {                                                                  \
		static const unsigned char in_[] = { __VA_ARGS__ };           \
		jt_check_error(in_, sizeof(in_), at, what);                   \
	} while (0)

static void test_jsonbin__rejects_bad_scalars(void **state)
{
	(void)state;
	CHECK_ERR(0, "unknown value type 0x0d", 0x0d);
	CHECK_ERR(0, "unknown value type 0xff", 0xff, 0x00);
	CHECK_ERR(1, "unknown literal 0x03", 0x04, 0x03);
	CHECK_ERR(1, "runs past the end", 0x04);
	CHECK_ERR(1, "2-byte number runs past the end", 0x05, 0x01);
	CHECK_ERR(1, "4-byte number runs past the end", 0x08, 1, 2, 3);
	CHECK_ERR(1, "8-byte number runs past the end", 0x0a, 1, 2, 3, 4, 5,
		  6, 7);
	CHECK_ERR(1, "8-byte number runs past the end", 0x0b);
	CHECK_ERR(1, "double is not a finite number", 0x0b, 0, 0, 0, 0, 0, 0,
		  0xf8, 0x7f);
	CHECK_ERR(1, "double is not a finite number", 0x0b, 0, 0, 0, 0, 0, 0,
		  0xf0, 0xff);
}

static void test_jsonbin__rejects_bad_string_lengths(void **state)
{
	(void)state;
	CHECK_ERR(1, "string of 5 bytes runs past the end", 0x0c, 0x05, 'a',
		  'b');
	CHECK_ERR(1, "length field runs past the end", 0x0c);
	CHECK_ERR(1, "length field runs past the end", 0x0c, 0x80);
	CHECK_ERR(1, "length field longer than 5 bytes", 0x0c, 0x80, 0x80,
		  0x80, 0x80, 0x80, 0x00);
	CHECK_ERR(1, "length field exceeds 32 bits", 0x0c, 0xff, 0xff, 0xff,
		  0xff, 0x7f);
	CHECK_ERR(1, "string of 300 bytes runs past the end", 0x0c, 0xac,
		  0x02, 'x');
}

static void test_jsonbin__rejects_bad_opaque_values(void **state)
{
	(void)state;
	CHECK_ERR(1, "opaque value lacks its field type", 0x0f);
	CHECK_ERR(2, "length field runs past the end", 0x0f, 0xfc);
	CHECK_ERR(1, "opaque value of 5 bytes runs past the end", 0x0f, 0xfc,
		  0x05, 'a');
	CHECK_ERR(1, "DECIMAL value lacks its precision and scale bytes", 0x0f,
		  0xf6, 0x01, 0x05);
	CHECK_ERR(1, "DECIMAL precision or scale out of range", 0x0f, 0xf6,
		  0x02, 0x00, 0x00);
	CHECK_ERR(1, "DECIMAL precision or scale out of range", 0x0f, 0xf6,
		  0x03, 0x02, 0x03, 0x80);
	CHECK_ERR(1, "DECIMAL precision or scale out of range", 0x0f, 0xf6,
		  0x03, 66, 0x00, 0x80);
	CHECK_ERR(1, "DECIMAL payload size does not match", 0x0f, 0xf6, 0x03,
		  0x04, 0x02, 0x80);
	CHECK_ERR(1, "DECIMAL payload size does not match", 0x0f, 0xf6, 0x05,
		  0x04, 0x02, 0x80, 0x00, 0x00);
	/* DECIMAL(2,0): one byte 0x7f after the sign flip is 127 > 99. */
	CHECK_ERR(1, "DECIMAL digit group out of range", 0x0f, 0xf6, 0x03,
		  0x02, 0x00, 0xff);
	/* DECIMAL(10,0): a 9-digit group of 0x7fffffff. */
	CHECK_ERR(1, "DECIMAL digit group out of range", 0x0f, 0xf6, 0x07,
		  0x0a, 0x00, 0x80, 0xff, 0xff, 0xff, 0x7f);
	/* DECIMAL(3,1): fraction digit 0x0a = 10. */
	CHECK_ERR(1, "DECIMAL digit group out of range", 0x0f, 0xf6, 0x04,
		  0x03, 0x01, 0x81, 0x0a);
	CHECK_ERR(1, "temporal value of field type 12 has 7 bytes, not 8",
		  0x0f, 0x0c, 0x07, 1, 2, 3, 4, 5, 6, 7);
	CHECK_ERR(1, "temporal value of field type 11 has 9 bytes, not 8",
		  0x0f, 0x0b, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9);
}

static void test_jsonbin__rejects_bad_container_headers(void **state)
{
	(void)state;
	CHECK_ERR(1, "object header needs 4 bytes, only 2 left", 0x00, 0x01,
		  0x00);
	CHECK_ERR(1, "object header needs 8 bytes, only 6 left", 0x01, 0x01,
		  0x00, 0x00, 0x00, 0x05, 0x00);
	CHECK_ERR(1, "array header needs 4 bytes, only 0 left", 0x02);
	/* go-mysql t11_c's before-image: size 12, 4 bytes present. */
	CHECK_ERR(1, "object of 12 bytes runs past the end (4 bytes left)",
		  0x00, 0x01, 0x00, 0x0c, 0x00);
	CHECK_ERR(1, "array of 8 bytes cannot hold its header and the entries of its 5 elements",
		  0x02, 0x05, 0x00, 0x08, 0x00, 0, 0, 0, 0);
	CHECK_ERR(1, "object of 4 bytes cannot hold its header and the entries of its 1 elements",
		  0x00, 0x01, 0x00, 0x04, 0x00);
	CHECK_ERR(1, "array of 8 bytes cannot hold its header and the entries of its 4294967295",
		  0x03, 0xff, 0xff, 0xff, 0xff, 0x08, 0, 0, 0);
}

static void test_jsonbin__rejects_offsets_outside_the_container(void **state)
{
	(void)state;
	CHECK_ERR(5, "value 0 points to offset 9, outside its container's data (7..7)",
		  0x02, 0x01, 0x00, 0x07, 0x00, 0x0c, 0x09, 0x00);
	CHECK_ERR(5, "value 0 points to offset 2", 0x02, 0x01, 0x00, 0x09,
		  0x00, 0x0c, 0x02, 0x00, 0x01, 0x61);
	CHECK_ERR(5, "value 0 has unknown type 0x0d", 0x02, 0x01, 0x00, 0x07,
		  0x00, 0x0d, 0x00, 0x00);
	CHECK_ERR(6, "unknown literal 0x07", 0x02, 0x01, 0x00, 0x07, 0x00,
		  0x04, 0x07, 0x00);
	CHECK_ERR(5, "key 0 (5 bytes at offset 11) lies outside its object's data (11..12)",
		  0x00, 0x01, 0x00, 0x0c, 0x00, 0x0b, 0x00, 0x05, 0x00, 0x04,
		  0x01, 0x00, 0x61);
	CHECK_ERR(5, "key 0 (1 bytes at offset 3) lies outside", 0x00, 0x01,
		  0x00, 0x0c, 0x00, 0x03, 0x00, 0x01, 0x00, 0x04, 0x01, 0x00,
		  0x61);
	/* A string inside an object reaching past the object's end. */
	CHECK_ERR(13, "string of 5 bytes runs past the end (1 bytes left)",
		  0x00, 0x01, 0x00, 0x0e, 0x00, 0x0b, 0x00, 0x01, 0x00, 0x0c,
		  0x0c, 0x00, 0x61, 0x05, 0x62, 0x63, 0x64, 0x65, 0x66);
	/* A nested array claiming more bytes than its parent has left. */
	CHECK_ERR(8, "array of 10 bytes runs past the end (4 bytes left)",
		  0x02, 0x01, 0x00, 0x0b, 0x00, 0x02, 0x07, 0x00, 0x00, 0x00,
		  0x0a, 0x00);
	CHECK_ERR(8, "array header needs 4 bytes, only 2 left", 0x02, 0x01,
		  0x00, 0x09, 0x00, 0x02, 0x07, 0x00, 0x00, 0x00);
}

static void test_jsonbin__rejects_unordered_or_duplicate_keys(void **state)
{
	(void)state;
	CHECK_ERR(9, "key 1 is out of order", 0x00, 0x02, 0x00, 0x14, 0x00,
		  0x12, 0x00, 0x01, 0x00, 0x13, 0x00, 0x01, 0x00, 0x04, 0x00,
		  0x00, 0x04, 0x01, 0x00, 'b', 'a');
	CHECK_ERR(9, "key 1 is a duplicate", 0x00, 0x02, 0x00, 0x14, 0x00,
		  0x12, 0x00, 0x01, 0x00, 0x13, 0x00, 0x01, 0x00, 0x04, 0x00,
		  0x00, 0x04, 0x01, 0x00, 'a', 'a');
	/* Shorter keys come first in MySQL's order. */
	CHECK_ERR(9, "key 1 is out of order", 0x00, 0x02, 0x00, 0x15, 0x00,
		  0x12, 0x00, 0x02, 0x00, 0x14, 0x00, 0x01, 0x00, 0x04, 0x00,
		  0x00, 0x04, 0x01, 0x00, 'a', 'a', 'b');
}

static void test_jsonbin__rejects_values_sharing_bytes(void **state)
{
	(void)state;
	/* Two entries pointing at one string: without this check a small
	 * input could print an exponentially large text. */
	CHECK_ERR(11, "this byte belongs to two values", 0x02, 0x02, 0x00,
		  0x0c, 0x00, 0x0c, 0x0a, 0x00, 0x0c, 0x0a, 0x00, 0x01, 0x61);
	/* Two keys on the same bytes. */
	CHECK_ERR(19, "this byte belongs to two values", 0x00, 0x02, 0x00,
		  0x14, 0x00, 0x12, 0x00, 0x01, 0x00, 0x12, 0x00, 0x02, 0x00,
		  0x04, 0x00, 0x00, 0x04, 0x01, 0x00, 'a', 'b');
	/* A value pointing into a key. */
	CHECK_ERR(12, "this byte belongs to two values", 0x00, 0x01, 0x00,
		  0x0d, 0x00, 0x0b, 0x00, 0x02, 0x00, 0x0c, 0x0b, 0x00, 0x01,
		  'a');
}

static void test_jsonbin__rejects_nesting_deeper_than_100(void **state)
{
	jt_bytes body = { 0 }, doc = { 0 };
	int k;

	(void)state;
	/* 101 arrays, each the only element of the one around it. */
	jt_put(&body, "\x00\x00\x04\x00", 4);
	for (k = 0; k < DM__JSONBIN_MAX_DEPTH; k++) {
		jt_bytes wrap = { 0 };

		jt_put16(&wrap, 1);
		jt_put16(&wrap, (uint32_t)(7 + body.n));
		jt_put8(&wrap, 0x02);
		jt_put16(&wrap, 7);
		jt_put(&wrap, body.p, body.n);
		jt_bytes_free(&body);
		body = wrap;
	}
	jt_put8(&doc, 0x02);
	jt_put(&doc, body.p, body.n);
	jt_check_error(doc.p, doc.n, 1 + 7 * DM__JSONBIN_MAX_DEPTH,
		       "arrays and objects nested deeper than 100");
	/* One level less is fine. */
	{
		char want[2 * DM__JSONBIN_MAX_DEPTH + 1];

		memset(want, '[', DM__JSONBIN_MAX_DEPTH);
		memset(want + DM__JSONBIN_MAX_DEPTH, ']', DM__JSONBIN_MAX_DEPTH);
		want[2 * DM__JSONBIN_MAX_DEPTH] = '\0';
		doc.p[7] = 0x02;
		jt_check_text(doc.p + 7, doc.n - 7, want);
	}
	jt_bytes_free(&body);
	jt_bytes_free(&doc);
}

int jt_malformed_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonbin__rejects_bad_scalars),
		cmocka_unit_test(test_jsonbin__rejects_bad_string_lengths),
		cmocka_unit_test(test_jsonbin__rejects_bad_opaque_values),
		cmocka_unit_test(test_jsonbin__rejects_bad_container_headers),
		cmocka_unit_test(test_jsonbin__rejects_offsets_outside_the_container),
		cmocka_unit_test(test_jsonbin__rejects_unordered_or_duplicate_keys),
		cmocka_unit_test(test_jsonbin__rejects_values_sharing_bytes),
		cmocka_unit_test(test_jsonbin__rejects_nesting_deeper_than_100),
	};

	return cmocka_run_group_tests_name("jsonbin malformed", tests, NULL,
					   NULL);
}
