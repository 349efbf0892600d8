/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_value: type names, MySQL's SELECT text and SQL literals for every
 * kind of value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dm/dm.h"

static const char *text(const dm_value *v)
{
	static dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	dm_buf_clear(&b);
	if (dm_value_format_text(&b, v, &e))
		fail_msg("format_text: %s", dm_error_message(e));
	return b.data ? b.data : "";
}

static const char *sql(const dm_value *v, unsigned flags)
{
	static dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	dm_buf_clear(&b);
	if (dm_value_format_sql(&b, v, flags, &e))
		fail_msg("format_sql: %s", dm_error_message(e));
	return b.data ? b.data : "";
}

static dm_value mk(dm_value_kind k)
{
	dm_value v;

	memset(&v, 0, sizeof(v));
	v.kind = k;
	return v;
}

static void test_value__type_names(void **state)
{
	(void)state;
	assert_string_equal(dm_type_name(DM_TYPE_LONGLONG), "longlong");
	assert_string_equal(dm_type_name(DM_TYPE_NEWDECIMAL), "newdecimal");
	assert_string_equal(dm_type_name(DM_TYPE_GEOMETRY), "geometry");
	assert_string_equal(dm_type_name(DM_TYPE_VECTOR), "vector");
	assert_string_equal(dm_type_name(100), "unknown");
	assert_string_equal(dm_type_name(-1), "unknown");
}

static void test_value__numbers(void **state)
{
	dm_value v = mk(DM_VALUE_INT);

	(void)state;
	v.v.i = INT64_MIN;
	assert_string_equal(text(&v), "-9223372036854775808");
	assert_string_equal(sql(&v, 0), "-9223372036854775808");
	v = mk(DM_VALUE_UINT);
	v.v.u = UINT64_MAX;
	assert_string_equal(sql(&v, 0), "18446744073709551615");
	v = mk(DM_VALUE_FLOAT);
	v.v.f = 0.1f;
	assert_string_equal(text(&v), "0.1");
	v.v.f = 16777216.0f;
	assert_string_equal(sql(&v, 0), "16777216");
	v = mk(DM_VALUE_DOUBLE);
	v.v.d = 0.1 + 0.2;
	assert_string_equal(text(&v), "0.30000000000000004");
	v.v.d = 1e300;
	assert_string_equal(sql(&v, 0), "1e+300");
	v = mk(DM_VALUE_DECIMAL);
	v.v.str = (dm_str){ "-0.050", 6 };
	assert_string_equal(sql(&v, 0), "-0.050");
	v = mk(DM_VALUE_YEAR);
	v.v.u = 0;
	assert_string_equal(text(&v), "0000");
	v.v.u = 2155;
	assert_string_equal(sql(&v, 0), "2155");
}

static void test_value__refusals(void **state)
{
	dm_value v = mk(DM_VALUE_DOUBLE);
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	v.v.d = __builtin_nan("");
	assert_int_equal(dm_value_format_sql(&b, &v, 0, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	v = mk(DM_VALUE_ABSENT);
	assert_int_equal(dm_value_format_text(&b, &v, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	v = mk(DM_VALUE_JSON_DIFF);
	assert_int_equal(dm_value_format_sql(&b, &v, 0, &e), DM_E_NOT_SUPPORTED);
	dm_error_free(e);
	assert_null(b.data);
}

static void test_value__temporal(void **state)
{
	dm_value v = mk(DM_VALUE_DATETIME);

	(void)state;
	v.v.time = (dm_time){ 2020, 1, 2, 3, 4, 5, 120000, false, 3 };
	assert_string_equal(text(&v), "2020-01-02 03:04:05.120");
	assert_string_equal(sql(&v, 0), "'2020-01-02 03:04:05.120'");
	v = mk(DM_VALUE_DATE);
	assert_string_equal(text(&v), "0000-00-00");
	v = mk(DM_VALUE_TIME);
	v.v.time = (dm_time){ 0, 0, 0, 838, 59, 59, 0, true, 0 };
	assert_string_equal(text(&v), "-838:59:59");
	v.v.time = (dm_time){ 0, 0, 0, 0, 0, 1, 5, true, 6 };
	assert_string_equal(sql(&v, 0), "'-00:00:01.000005'");
	v = mk(DM_VALUE_TIMESTAMP);
	v.v.ts = (dm_timestamp){ 0, 0, 2 };
	assert_string_equal(text(&v), "0000-00-00 00:00:00.00");
	assert_string_equal(sql(&v, 0), "'0000-00-00 00:00:00'");
	v.v.ts = (dm_timestamp){ 951782400, 0, 0 };   /* leap day 2000 */
	assert_string_equal(text(&v), "2000-02-29 00:00:00");
	assert_string_equal(sql(&v, 0), "FROM_UNIXTIME(951782400)");
	v.v.ts = (dm_timestamp){ 2147483647, 999999, 6 };
	assert_string_equal(text(&v), "2038-01-19 03:14:07.999999");
	v.v.ts = (dm_timestamp){ -1, 0, 0 };
	assert_string_equal(text(&v), "1969-12-31 23:59:59");
}

static void test_value__strings_and_bytes(void **state)
{
	dm_value v = mk(DM_VALUE_STRING);

	(void)state;
	v.v.str = (dm_str){ "it's", 4 };
	assert_string_equal(text(&v), "it's");
	assert_string_equal(sql(&v, 0), "'it''s'");
	/* Text of a charset other than UTF-8 is quoted only as ASCII; latin1
	 * bytes that are valid UTF-8 and UTF-16 that looks like ASCII go as
	 * their bytes. Collation ids: 8 latin1_swedish_ci, 54 utf16_general_ci,
	 * 45 utf8mb4_general_ci, 33 utf8mb3_general_ci. */
	v.charset = 8;
	assert_string_equal(sql(&v, 0), "'it''s'");
	v.v.str = (dm_str){ "\xc3\xa9", 2 };
	assert_string_equal(sql(&v, 0), "X'C3A9'");
	v.charset = 45;
	assert_string_equal(sql(&v, 0), "'\xc3\xa9'");
	v.charset = 33;
	assert_string_equal(sql(&v, 0), "'\xc3\xa9'");
	/* Unknown charset (binlog_row_metadata=NO_LOG): only ASCII is
	 * quoted. */
	v.charset = 0;
	assert_string_equal(sql(&v, 0), "X'C3A9'");
	v.v.str = (dm_str){ "\xe9", 1 };
	assert_string_equal(sql(&v, 0), "X'E9'");
	v.charset = 54;
	v.v.str = (dm_str){ "N-", 2 };
	assert_string_equal(sql(&v, 0), "X'4E2D'");
	v.charset = 0;
	v = mk(DM_VALUE_BYTES);
	v.v.str = (dm_str){ "\x00\xff", 2 };
	assert_string_equal(sql(&v, DM_VALUE_SQL_HEX_BINARY), "X'00FF'");
	assert_string_equal(sql(&v, 0), "X'00FF'");
	v.v.str = (dm_str){ "ab", 2 };
	assert_string_equal(sql(&v, DM_VALUE_SQL_HEX_BINARY), "X'6162'");
	v = mk(DM_VALUE_GEOMETRY);
	v.v.str = (dm_str){ "\x01\x02", 2 };
	assert_string_equal(sql(&v, 0), "X'0102'");
	v = mk(DM_VALUE_JSON);
	v.v.str = (dm_str){ "{\"a\": 1}", 8 };
	assert_string_equal(sql(&v, 0), "'{\"a\": 1}'");
}

static void test_value__bit_enum_set(void **state)
{
	static const dm_str names[] = { { "x", 1 }, { "yy", 2 }, { "z", 1 } };
	dm_value v = mk(DM_VALUE_BIT);

	(void)state;
	v.v.bit.bits = 0x2a5;
	v.v.bit.nbits = 10;
	assert_string_equal(sql(&v, 0), "b'1010100101'");
	assert_int_equal(strlen(text(&v)), 2);   /* raw bytes 02 a5 */
	assert_int_equal((unsigned char)text(&v)[1], 0xa5);
	v = mk(DM_VALUE_ENUM);
	v.v.enm.index = 2;
	assert_string_equal(sql(&v, 0), "2");
	v.v.enm.names = names;
	v.v.enm.nnames = 3;
	assert_string_equal(sql(&v, 0), "'yy'");
	assert_string_equal(text(&v), "yy");
	v.v.enm.index = 0;
	assert_string_equal(text(&v), "");
	assert_string_equal(sql(&v, 0), "0");
	v = mk(DM_VALUE_SET);
	v.v.set.mask = 5;
	assert_string_equal(text(&v), "5");
	v.v.set.names = names;
	v.v.set.nnames = 3;
	assert_string_equal(text(&v), "x,z");
	assert_string_equal(sql(&v, 0), "'x,z'");
	v.v.set.mask = 8; /* beyond the names: the number */
	assert_string_equal(sql(&v, 0), "8");
}

static void test_value__null_and_json_binary(void **state)
{
	static const unsigned char doc[] = { 0x00, 0x01, 0x00, 0x0c, 0x00,
		0x0b, 0x00, 0x01, 0x00, 0x05, 0x01, 0x00, 0x61 };
	dm_value v = mk(DM_VALUE_NULL);

	(void)state;
	assert_true(dm_value_is_null(&v));
	assert_string_equal(text(&v), "NULL");
	assert_string_equal(sql(&v, 0), "NULL");
	v = mk(DM_VALUE_ABSENT);
	assert_false(dm_value_is_null(&v));
	assert_false(dm_value_is_null(NULL));
	v = mk(DM_VALUE_JSON_BINARY);
	v.v.str = (dm_str){ (const char *)doc, sizeof(doc) };
	assert_string_equal(text(&v), "{\"a\": 1}");
	assert_string_equal(sql(&v, 0), "'{\"a\": 1}'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_value__type_names),
		cmocka_unit_test(test_value__numbers),
		cmocka_unit_test(test_value__refusals),
		cmocka_unit_test(test_value__temporal),
		cmocka_unit_test(test_value__strings_and_bytes),
		cmocka_unit_test(test_value__bit_enum_set),
		cmocka_unit_test(test_value__null_and_json_binary),
	};

	return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
