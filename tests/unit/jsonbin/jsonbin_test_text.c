/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fixed vectors: scalars, strings, doubles, opaque values and containers,
 * with the text MySQL prints for them. Sources of the expectations:
 * MySQL's json_dom.cc (wrapper_to_string, double_quote), strings/dtoa.cc
 * (my_gcvt), mysys/base64.cc, my_time.cc, strings/decimal.cc; decimal
 * vectors from go-mysql's row_event_test.go (TestDecodeDecimal), temporal
 * and container vectors from go-mysql's json_mysql_text_test.go.
 */
#include "jsonbin_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/jsonbin.h"
#include "util/alloc.h"

#define CHECK_BYTES(want, ...)                                                \
	do {                                                                  \
		static const unsigned char in_[] = { __VA_ARGS__ };           \
		jt_check_text(in_, sizeof(in_), want);                        \
	} while (0)

static void test_jsonbin__empty_value_is_null(void **state)
{
	(void)state;
	jt_check_text((const unsigned char *)"", 0, "null");
}

static void test_jsonbin__prints_literals_and_integers(void **state)
{
	(void)state;
	CHECK_BYTES("null", 0x04, 0x00);
	CHECK_BYTES("true", 0x04, 0x01);
	CHECK_BYTES("false", 0x04, 0x02);
	CHECK_BYTES("32767", 0x05, 0xff, 0x7f);
	CHECK_BYTES("-32768", 0x05, 0x00, 0x80);
	CHECK_BYTES("42", 0x05, 0x2a, 0x00); /* go-mysql: 42 */
	CHECK_BYTES("65535", 0x06, 0xff, 0xff);
	CHECK_BYTES("-2147483648", 0x07, 0x00, 0x00, 0x00, 0x80);
	CHECK_BYTES("4294967295", 0x08, 0xff, 0xff, 0xff, 0xff);
	CHECK_BYTES("-9223372036854775808", 0x09, 0, 0, 0, 0, 0, 0, 0, 0x80);
	CHECK_BYTES("9223372036854775807", 0x09, 0xff, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0x7f);
	CHECK_BYTES("18446744073709551615", 0x0a, 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0xff, 0xff);
	/* A 1.0 double (go-mysql's TestRenderJSONAsMySQLText_Double). */
	CHECK_BYTES("1.0", 0x0b, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f);
}

static void test_jsonbin__ignores_bytes_after_the_value(void **state)
{
	(void)state;
	/* MySQL's parse_binary reads what the value needs and no more. */
	CHECK_BYTES("{}", 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00,
		    0x05, 0xd2, 0x04, 0x61);
	CHECK_BYTES("7", 0x05, 0x07, 0x00, 0xff, 0xff);
}

static void check_double(double d, const char *want)
{
	dm_buf b = DM_BUF_INIT;
	unsigned char doc[9];
	uint64_t bits;
	int k;

	assert_int_equal(dm__jsonbin_format_double(&b, d), 0);
	if (strcmp(b.data, want) != 0)
		fail_msg("%.17g printed as %s, wanted %s", d, b.data, want);
	dm_buf_free(&b);
	memcpy(&bits, &d, 8);
	doc[0] = 0x0b;
	for (k = 0; k < 8; k++)
		doc[1 + k] = (unsigned char)(bits >> (8 * k));
	jt_check_text(doc, sizeof(doc), want);
}

static void test_jsonbin__prints_doubles_like_my_gcvt(void **state)
{
	(void)state;
	check_double(1.5, "1.5");
	check_double(0.1, "0.1");
	check_double(3.14, "3.14");
	check_double(0.3, "0.3");
	check_double(0.1 + 0.2, "0.30000000000000004");
	check_double(1.0 / 3, "0.3333333333333333");
	check_double(2.0 / 3, "0.6666666666666666");
	check_double(1.0, "1.0");
	check_double(-3.0, "-3.0");
	check_double(100.0, "100.0");
	check_double(100.5, "100.5");
	check_double(1e10, "10000000000.0");
	check_double(0.0, "0.0");
	check_double(-0.0, "-0.0");
	check_double(12345.678, "12345.678");
	check_double(-2.5, "-2.5");
	/* Fixed notation up to 15 integer digits, then exponent. */
	check_double(1e14, "100000000000000.0");
	check_double(123456789012345.0, "123456789012345.0");
	check_double(1e15, "1e15");
	check_double(1e16, "1e16");
	check_double(1e20, "1e20");
	check_double(1e21, "1e21");
	check_double(1e100, "1e100");
	check_double(9007199254740992.0, "9.007199254740992e15");
	check_double(1234567890123456.7, "1234567890123456.8");
	check_double(1.2345678901234568e17, "1.2345678901234568e17");
	/* Fixed notation down to 1e-15, then exponent. */
	check_double(1.5e-5, "0.000015");
	check_double(0.000123, "0.000123");
	check_double(1e-14, "0.00000000000001");
	check_double(1e-15, "0.000000000000001");
	check_double(1.2345678901234568e-15, "0.0000000000000012345678901234568");
	check_double(1e-16, "1e-16");
	check_double(-1.25e-7, "-0.000000125");
	check_double(-1.25e-17, "-1.25e-17");
	check_double(1e-100, "1e-100");
	check_double(DBL_MAX, "1.7976931348623157e308");
	check_double(-DBL_MAX, "-1.7976931348623157e308");
	check_double(DBL_MIN, "2.2250738585072014e-308");
	check_double(5e-324, "5e-324");
	check_double(-5e-324, "-5e-324");
	/* Powers of two, where the rounding interval is lopsided. */
	check_double(0x1p-1022, "2.2250738585072014e-308");
	check_double(0x1p60, "1.152921504606847e18");
	check_double(0x1p100, "1.2676506002282294e30");
	check_double(0x1p-30, "0.0000000009313225746154785");
	check_double(0x1p-50, "8.881784197001252e-16");
	check_double(0x1p1023, "8.98846567431158e307");
	check_double(0x1p-1000, "9.332636185032189e-302");
}

static void test_jsonbin__double_rejects_nan_and_infinity(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm__jsonbin_format_double(&b, NAN), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__jsonbin_format_double(&b, INFINITY),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__jsonbin_format_double(&b, -INFINITY),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(b.len, 0);
	dm_buf_free(&b);
}

static void test_jsonbin__escapes_strings_like_mysql(void **state)
{
	static const unsigned char in[] = "\x0c\x14"
					  "\"\\/\b\f\n\r\t\x01\x1f\x7f"
					  "\xc3\xa9\xe6\xbc\xa2\xff ok";

	(void)state;
	CHECK_BYTES("\"\"", 0x0c, 0x00);
	CHECK_BYTES("\"abc\"", 0x0c, 0x03, 'a', 'b', 'c');
	/* Six short escapes, \u00xx below 0x20, everything else raw (also
	 * DEL, UTF-8 and bytes that are not UTF-8). */
	jt_check_text(in, sizeof(in) - 1,
		      "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"
		      "\xc3\xa9\xe6\xbc\xa2\xff ok\"");
}

static void test_jsonbin__reads_multibyte_string_lengths(void **state)
{
	unsigned char doc[3 + 300];
	char want[303];

	(void)state;
	doc[0] = 0x0c;
	doc[1] = 0x80 | (300 & 0x7f);
	doc[2] = 300 >> 7;
	memset(doc + 3, 'x', 300);
	want[0] = '"';
	memset(want + 1, 'x', 300);
	want[301] = '"';
	want[302] = '\0';
	jt_check_text(doc, sizeof(doc), want);
	/* A length written with more bytes than needed still reads. */
	CHECK_BYTES("\"a\"", 0x0c, 0x81, 0x00, 'a');
}

struct dec_case {
	unsigned char prec, scale;
	unsigned char bytes[16];
	unsigned char n;
	const char *want;
};

static void test_jsonbin__prints_decimals_with_their_scale(void **state)
{
	/* go-mysql TestDecodeDecimal: MySQL's binary decimal -> text. */
	static const struct dec_case cases[] = {
		{ 4, 2, { 227, 99 }, 2, "99.99" },
		{ 5, 0, { 128, 0, 123 }, 3, "123" },
		{ 7, 3, { 128, 123, 1, 194 }, 4, "123.450" },
		{ 10, 2, { 128, 0, 0, 123, 45 }, 5, "123.45" },
		{ 10, 3, { 128, 0, 0, 123, 1, 194 }, 6, "123.450" },
		{ 13, 2, { 128, 0, 0, 0, 123, 45 }, 6, "123.45" },
		{ 15, 14, { 137, 59, 154, 201, 255, 1, 134, 159 }, 8,
		  "9.99999999999999" },
		{ 20, 10, { 128, 0, 0, 0, 123, 26, 210, 116, 128, 0 }, 10,
		  "123.4500000000" },
		{ 30, 5, { 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 123, 0, 175, 200 },
		  15, "123.45000" },
		{ 4, 2, { 28, 156 }, 2, "-99.99" },
		{ 5, 0, { 127, 255, 132 }, 3, "-123" },
		{ 7, 3, { 127, 132, 254, 61 }, 4, "-123.450" },
		{ 15, 14, { 118, 196, 101, 54, 0, 254, 121, 96 }, 8,
		  "-9.99999999999999" },
		{ 4, 2, { 128, 0 }, 2, "0.00" },
		{ 5, 0, { 128, 0, 0 }, 3, "0" },
		{ 15, 14, { 128, 0, 1, 226, 58, 0, 0, 99 }, 8,
		  "0.00012345000099" },
		{ 15, 14, { 127, 255, 255, 255, 243, 255, 121, 59 }, 8,
		  "-0.00000001234500" },
		{ 4, 2, { 128, 12 }, 2, "0.12" },
		{ 5, 0, { 129, 134, 159 }, 3, "99999" },
		{ 10, 2, { 133, 245, 224, 255, 99 }, 5, "99999999.99" },
		{ 30, 25,
		  { 129, 134, 159, 59, 154, 201, 255, 59, 154, 201, 255, 0, 152,
		    150, 127 },
		  15, "99999.9999999999999999999999999" },
		{ 30, 25,
		  { 127, 253, 205, 221, 109, 230, 255, 255, 255, 255, 255, 255,
		    255, 255, 255 },
		  15, "-562.5800000000000000000000000" },
		{ 5, 0, { 127, 253, 204 }, 3, "-563" },
		{ 7, 3, { 113, 140, 255, 245 }, 4, "-3699.010" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char doc[32];

		doc[0] = 0x0f;
		doc[1] = 246;
		doc[2] = (unsigned char)(cases[i].n + 2);
		doc[3] = cases[i].prec;
		doc[4] = cases[i].scale;
		memcpy(doc + 5, cases[i].bytes, cases[i].n);
		jt_check_text(doc, 5u + cases[i].n, cases[i].want);
	}
	/* go-mysql's TestRenderJSONAsMySQLText_OpaqueDecimal. */
	CHECK_BYTES("1.0", 0x0f, 246, 0x04, 0x02, 0x01, 0x81, 0x00);
}

static void encode_check(jt_val *v)
{
	jt_bytes b = { 0 };
	char *want = jt_expect(v);

	jt_encode(&b, v, false);
	jt_check_text(b.p, b.n, want);
	b.n = 0;
	jt_encode(&b, v, true);
	jt_check_text(b.p, b.n, want);
	jt_bytes_free(&b);
	free(want);
	jt_free(v);
}

static void test_jsonbin__prints_temporal_values(void **state)
{
	jt_val *v;

	(void)state;
	/* go-mysql json_mysql_text_test.go vectors. */
	v = jt_datetime(12, 2024, 1, 15, 10, 30, 45, 123456, false);
	assert_string_equal(v->text, "\"2024-01-15 10:30:45.123456\"");
	encode_check(v);
	v = jt_datetime(10, 2024, 1, 15, 0, 0, 0, 0, false);
	assert_string_equal(v->text, "\"2024-01-15\"");
	encode_check(v);
	v = jt_datetime(11, 0, 0, 0, 10, 30, 45, 123456, false);
	assert_string_equal(v->text, "\"10:30:45.123456\"");
	encode_check(v);
	/* MySQL prints six fraction digits inside JSON, zeros too. */
	encode_check(jt_datetime(12, 2015, 1, 15, 23, 24, 25, 0, false));
	encode_check(jt_datetime(7, 2038, 1, 19, 3, 14, 7, 999999, false));
	encode_check(jt_datetime(11, 0, 0, 0, 838, 59, 59, 0, true));
	encode_check(jt_datetime(11, 0, 0, 0, 0, 0, 1, 500000, true));
	encode_check(jt_datetime(10, 0, 0, 0, 0, 0, 0, 0, false));
	encode_check(jt_datetime(12, 9999, 12, 31, 23, 59, 59, 999999, false));
	/* Hand-packed DATETIME 2015-01-15 23:24:25 (MySQL's packing). */
	{
		uint64_t ym = 2015 * 13 + 1, ymd = ym << 5 | 15;
		uint64_t hms = 23 << 12 | 24 << 6 | 25;
		uint64_t packed = (ymd << 17 | hms) << 24;
		unsigned char doc[11] = { 0x0f, 12, 8 };
		int k;

		for (k = 0; k < 8; k++)
			doc[3 + k] = (unsigned char)(packed >> (8 * k));
		jt_check_text(doc, sizeof(doc),
			      "\"2015-01-15 23:24:25.000000\"");
	}
}

static void test_jsonbin__prints_other_opaque_as_base64(void **state)
{
	unsigned char doc[64 + 4];
	size_t k;

	(void)state;
	CHECK_BYTES("\"base64:type252:YWJj\"", 0x0f, 252, 3, 'a', 'b', 'c');
	CHECK_BYTES("\"base64:type15:\"", 0x0f, 15, 0);
	CHECK_BYTES("\"base64:type16:AQ==\"", 0x0f, 16, 1, 1);
	CHECK_BYTES("\"base64:type16:AQI=\"", 0x0f, 16, 2, 1, 2);
	/* Strings stored as opaque VAR_STRING print as strings. */
	CHECK_BYTES("\"a\\\"b\"", 0x0f, 253, 3, 'a', '"', 'b');
	/* 57 bytes make exactly one 76-character line; 58 need a newline. */
	doc[0] = 0x0f;
	doc[1] = 252;
	doc[2] = 58;
	for (k = 0; k < 58; k++)
		doc[3 + k] = 0;
	jt_check_text(doc, 3 + 58,
		      "\"base64:type252:"
		      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		      "AAAAAAAAAAAAAAAAAAA\\nAA==\"");
	doc[2] = 57;
	jt_check_text(doc, 3 + 57,
		      "\"base64:type252:"
		      "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		      "AAAAAAAAAAAAAAAAAAA\"");
}

static void test_jsonbin__prints_containers(void **state)
{
	jt_val *o, *a;

	(void)state;
	/* go-mysql json_mysql_text_test.go: empty object/array, an object
	 * with an inlined int16 and a string, an array of int16, string and
	 * literal. */
	CHECK_BYTES("{}", 0x00, 0x00, 0x00, 0x04, 0x00);
	CHECK_BYTES("[]", 0x02, 0x00, 0x00, 0x04, 0x00);
	CHECK_BYTES("{\"a\": 1, \"b\": \"x\"}", 0x00, 0x02, 0x00, 0x16, 0x00,
		    0x12, 0x00, 0x01, 0x00, 0x13, 0x00, 0x01, 0x00, 0x05, 0x01,
		    0x00, 0x0c, 0x14, 0x00, 'a', 'b', 0x01, 'x');
	CHECK_BYTES("[1, \"x\", true]", 0x02, 0x03, 0x00, 0x0f, 0x00, 0x05,
		    0x01, 0x00, 0x0c, 0x0d, 0x00, 0x04, 0x01, 0x00, 0x01, 'x');
	/* Large formats: int32 inlined in the entry. */
	CHECK_BYTES("[-2]", 0x03, 0x01, 0, 0, 0, 0x0d, 0, 0, 0, 0x07, 0xfe,
		    0xff, 0xff, 0xff);
	CHECK_BYTES("{\"k\": 70000}", 0x01, 0x01, 0, 0, 0, 0x14, 0, 0, 0, 0x13,
		    0, 0, 0, 0x01, 0, 0x08, 0x70, 0x11, 0x01, 0x00, 'k');
	/* Small format: int32 stored after the entries. */
	CHECK_BYTES("[70000]", 0x02, 0x01, 0x00, 0x0b, 0x00, 0x08, 0x07, 0x00,
		    0x70, 0x11, 0x01, 0x00);

	o = jt_object();
	jt_set(o, "b", 1, jt_bool(false));
	jt_set(o, "aa", 2, jt_null());
	jt_set(o, "a", 1, jt_int(-7));
	jt_set(o, "", 0, jt_cstr("empty key"));
	a = jt_array();
	jt_push(a, jt_object());
	jt_push(a, jt_array());
	jt_push(a, jt_uint(4000000000u));
	jt_push(a, jt_int(-100000));
	jt_push(a, jt_double(2.5, "2.5"));
	jt_set(o, "list", 4, a);
	{
		char *want = jt_expect(o);

		/* Keys in MySQL's order: by length, then bytes. */
		assert_string_equal(want,
				    "{\"\": \"empty key\", \"a\": -7, \"b\": false, "
				    "\"aa\": null, \"list\": [{}, [], 4000000000, "
				    "-100000, 2.5]}");
		free(want);
	}
	encode_check(o);
}

static void test_jsonbin__uses_large_format_when_needed(void **state)
{
	char *big = malloc(70000);
	jt_val *a, *o;

	(void)state;
	assert_non_null(big);
	memset(big, 'q', 70000);
	a = jt_array();
	jt_push(a, jt_int(1));
	jt_push(a, jt_str(big, 70000));
	jt_push(a, jt_int(100000));
	o = jt_object();
	jt_set(o, "small", 5, jt_cstr("s"));
	jt_set(o, "big", 3, a);
	encode_check(o);
	free(big);
}

static void test_jsonbin__accepts_100_levels_of_nesting(void **state)
{
	jt_val *root = jt_array(), *cur = root;
	int k;

	(void)state;
	for (k = 1; k < DM__JSONBIN_MAX_DEPTH; k++) {
		jt_val *next = k % 2 ? jt_object() : jt_array();

		if (cur->kind == JT_OBJECT)
			jt_set(cur, "k", 1, next);
		else
			jt_push(cur, next);
		cur = next;
	}
	jt_push(cur, jt_int(1));
	encode_check(root);
}

static void test_jsonbin__buffer_is_appended_to(void **state)
{
	static const unsigned char doc[] = { 0x05, 0x01, 0x00 };
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_buf_puts(&b, "x="), 0);
	assert_int_equal(dm__jsonbin_to_text(&b, doc, sizeof(doc), &e), 0);
	assert_int_equal(dm__jsonbin_to_text(&b, doc, 0, &e), 0);
	assert_string_equal(b.data, "x=1null");
	assert_null(e);
	assert_int_equal(dm__jsonbin_to_text(NULL, doc, 1, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm__jsonbin_to_text(&b, NULL, 1, NULL),
			 DM_E_INVALID_ARGUMENT);
	dm_buf_free(&b);
}

/* Every allocation failure surfaces as DM_E_NO_MEMORY, leaves the
 * buffer as it was and leaks nothing (ASan/valgrind runs check that). */
static void test_jsonbin__survives_allocation_failures(void **state)
{
	jt_val *o = jt_object(), *a = jt_array();
	char *big = calloc(1, 9000);
	jt_bytes doc = { 0 }, diffs = { 0 };
	long n;
	int done = 0;

	(void)state;
	assert_non_null(big);
	jt_push(a, jt_str(big, 9000));
	jt_push(a, jt_datetime(12, 2020, 2, 29, 1, 2, 3, 4, false));
	jt_set(o, "a", 1, a);
	jt_set(o, "b", 1, jt_decimal(10, 2, "12.50"));
	jt_encode(&doc, o, false);
	/* INSERT $."n\u0041" 1, REPLACE $.b "z", REMOVE $.a[0] */
	jt_put8(&diffs, 1);
	jt_put_packed(&diffs, 11);
	jt_put(&diffs, "$.\"n\\u0041\"", 11);
	jt_put_packed(&diffs, 3);
	jt_put(&diffs, "\x05\x01\x00", 3);
	jt_put8(&diffs, 0);
	jt_put_packed(&diffs, 3);
	jt_put(&diffs, "$.b", 3);
	jt_put_packed(&diffs, 3);
	jt_put(&diffs, "\x0c\x01z", 3);
	jt_put8(&diffs, 2);
	jt_put_packed(&diffs, 6);
	jt_put(&diffs, "$.a[0]", 6);
	for (n = 0; done < 2 && n < 100; n++) {
		dm_buf b = DM_BUF_INIT;
		dm_error *e = NULL;
		int rc;

		assert_int_equal(dm_buf_puts(&b, "keep"), 0);
		dm__alloc_fail_after(n);
		rc = done == 0 ? dm__jsonbin_to_text(&b, doc.p, doc.n, &e)
			       : dm__jsonbin_apply_diffs(&b, doc.p, doc.n,
							 diffs.p, diffs.n, &e);
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			assert_null(e);
			if (done == 1)
				assert_non_null(strstr(b.data,
						       "\"b\": \"z\", \"nA\": 1"));
			done++;
			n = -1;
		} else {
			if (rc != DM_E_NO_MEMORY)
				fail_msg("n=%ld done=%d rc=%d: %s", n, done, rc,
					 dm_error_message(e));
			assert_non_null(e);
			assert_int_equal(dm_error_status(e), DM_E_NO_MEMORY);
			assert_string_equal(b.data, "keep");
		}
		dm_error_free(e);
		dm_buf_free(&b);
	}
	assert_int_equal(done, 2);
	jt_bytes_free(&doc);
	jt_bytes_free(&diffs);
	jt_free(o);
	free(big);
}

int jt_text_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonbin__empty_value_is_null),
		cmocka_unit_test(test_jsonbin__prints_literals_and_integers),
		cmocka_unit_test(test_jsonbin__ignores_bytes_after_the_value),
		cmocka_unit_test(test_jsonbin__prints_doubles_like_my_gcvt),
		cmocka_unit_test(test_jsonbin__double_rejects_nan_and_infinity),
		cmocka_unit_test(test_jsonbin__escapes_strings_like_mysql),
		cmocka_unit_test(test_jsonbin__reads_multibyte_string_lengths),
		cmocka_unit_test(test_jsonbin__prints_decimals_with_their_scale),
		cmocka_unit_test(test_jsonbin__prints_temporal_values),
		cmocka_unit_test(test_jsonbin__prints_other_opaque_as_base64),
		cmocka_unit_test(test_jsonbin__prints_containers),
		cmocka_unit_test(test_jsonbin__uses_large_format_when_needed),
		cmocka_unit_test(test_jsonbin__accepts_100_levels_of_nesting),
		cmocka_unit_test(test_jsonbin__buffer_is_appended_to),
		cmocka_unit_test_teardown(
			test_jsonbin__survives_allocation_failures,
			jt_reset_alloc),
	};

	return cmocka_run_group_tests_name("jsonbin text", tests, NULL, NULL);
}
