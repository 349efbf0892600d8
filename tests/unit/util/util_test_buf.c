/* SPDX-License-Identifier: Apache-2.0 */
/* dm_buf (include/dm/util.h, lib/util/buf.c). */
#include "util_test.h"

#include <stdlib.h>
#include <string.h>

#include "dm/util.h"
#include "util/alloc.h"

/* The invariant every call keeps: data is NULL only when nothing was ever
 * reserved, otherwise NUL-terminated at len with len < cap. */
static void check_invariant(const dm_buf *b)
{
	if (!b->data) {
		assert_int_equal(b->len, 0);
		assert_int_equal(b->cap, 0);
		return;
	}
	assert_true(b->len < b->cap);
	assert_int_equal(b->data[b->len], '\0');
}

static void test_buf__init_is_empty(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	check_invariant(&b);
	dm_buf_free(&b);
	dm_buf_free(NULL);
}

static void test_buf__append_zero_bytes_gives_empty_string(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_buf_append(&b, NULL, 0), 0);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	check_invariant(&b);
	assert_int_equal(dm_buf_append(&b, "x", 0), 0);
	assert_int_equal(b.len, 0);
	assert_int_equal(dm_buf_puts(&b, ""), 0);
	assert_int_equal(b.len, 0);
	dm_buf_free(&b);
}

static void test_buf__grows_byte_by_byte(void **state)
{
	dm_buf b = DM_BUF_INIT;
	size_t i, n = util_test_scale(100000);

	(void)state;
	for (i = 0; i < n; i++) {
		assert_int_equal(dm_buf_putc(&b, (char)('a' + i % 26)), 0);
		assert_int_equal(b.len, i + 1);
		check_invariant(&b);
	}
	for (i = 0; i < n; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	assert_int_equal(strlen(b.data), n);
	dm_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.cap, 0);
}

static void test_buf__appends_binary_data_with_nul(void **state)
{
	dm_buf b = DM_BUF_INIT;
	static const char bin[] = { 'a', '\0', 'b', '\0' };
	char big[5000];

	(void)state;
	assert_int_equal(dm_buf_append(&b, bin, sizeof(bin)), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, bin, 4);
	check_invariant(&b);
	memset(big, 'z', sizeof(big));
	assert_int_equal(dm_buf_append(&b, big, sizeof(big)), 0);
	assert_int_equal(b.len, 4 + sizeof(big));
	assert_memory_equal(b.data + 4, big, sizeof(big));
	check_invariant(&b);
	dm_buf_free(&b);
}

static void test_buf__reserve_keeps_pointer_stable(void **state)
{
	dm_buf b = DM_BUF_INIT;
	char *p;
	int i;

	(void)state;
	assert_int_equal(dm_buf_reserve(&b, 1000), 0);
	assert_true(b.cap >= 1001);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	p = b.data;
	for (i = 0; i < 1000; i++)
		assert_int_equal(dm_buf_putc(&b, 'q'), 0);
	assert_ptr_equal(b.data, p);
	assert_int_equal(dm_buf_reserve(&b, 0), 0);
	assert_ptr_equal(b.data, p);
	dm_buf_free(&b);
}

static void test_buf__reserve_overflow_fails_unchanged(void **state)
{
	dm_buf b = DM_BUF_INIT;
	size_t cap;

	(void)state;
	assert_int_equal(dm_buf_reserve(&b, SIZE_MAX), DM_E_NO_MEMORY);
	assert_null(b.data);
	assert_int_equal(dm_buf_puts(&b, "abc"), 0);
	cap = b.cap;
	/* len + extra + NUL wraps around: refused before any allocation. */
	assert_int_equal(dm_buf_reserve(&b, SIZE_MAX - 3), DM_E_NO_MEMORY);
	assert_int_equal(dm_buf_reserve(&b, SIZE_MAX - 2), DM_E_NO_MEMORY);
	assert_int_equal(dm_buf_append(&b, "x", SIZE_MAX), DM_E_NO_MEMORY);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, 3);
	assert_string_equal(b.data, "abc");
	dm_buf_free(&b);
}

static void test_buf__printf_formats_and_appends(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_buf_printf(&b, "%d-%s", 42, "x"), 0);
	assert_string_equal(b.data, "42-x");
	assert_int_equal(dm_buf_printf(&b, "[%05.1f]", 3.14159), 0);
	assert_string_equal(b.data, "42-x[003.1]");
	assert_int_equal(b.len, strlen("42-x[003.1]"));
	assert_int_equal(dm_buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 11);
	check_invariant(&b);
	dm_buf_free(&b);
}

/* Output lengths around the 64-byte first reservation and around the
 * current capacity take both vsnprintf paths. */
static void test_buf__printf_long_output_at_every_boundary(void **state)
{
	char want[600];
	size_t prefix, n;

	(void)state;
	for (prefix = 0; prefix < 140; prefix += 13) {
		for (n = 0; n < 300; n++) {
			dm_buf b = DM_BUF_INIT;

			memset(want, 'p', prefix);
			memset(want + prefix, 'w', n);
			want[prefix + n] = '\0';
			assert_int_equal(dm_buf_append(&b, want, prefix), 0);
			assert_int_equal(dm_buf_printf(&b, "%.*s", (int)n,
						       want + prefix), 0);
			assert_int_equal(b.len, prefix + n);
			assert_string_equal(b.data, want);
			check_invariant(&b);
			dm_buf_free(&b);
		}
	}
}

static void test_buf__truncate_and_clear(void **state)
{
	dm_buf b = DM_BUF_INIT;
	size_t cap;

	(void)state;
	dm_buf_truncate(&b, 0); /* on an empty buffer: no-op */
	dm_buf_clear(&b);
	assert_null(b.data);
	assert_int_equal(dm_buf_puts(&b, "hello world"), 0);
	cap = b.cap;
	dm_buf_truncate(&b, 100);
	assert_string_equal(b.data, "hello world");
	dm_buf_truncate(&b, 11);
	assert_string_equal(b.data, "hello world");
	dm_buf_truncate(&b, 5);
	assert_string_equal(b.data, "hello");
	assert_int_equal(b.len, 5);
	check_invariant(&b);
	dm_buf_clear(&b);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, cap);
	assert_int_equal(dm_buf_puts(&b, "again"), 0);
	assert_string_equal(b.data, "again");
	dm_buf_free(&b);
}

static void test_buf__detach_hands_over_the_string(void **state)
{
	dm_buf b = DM_BUF_INIT;
	char *s;

	(void)state;
	assert_int_equal(dm_buf_puts(&b, "owned"), 0);
	s = dm_buf_detach(&b);
	assert_string_equal(s, "owned");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	dm__free(s);
	/* An empty buffer still detaches an allocated "". */
	s = dm_buf_detach(&b);
	assert_non_null(s);
	assert_string_equal(s, "");
	dm__free(s);
	/* The buffer is reusable afterwards. */
	assert_int_equal(dm_buf_puts(&b, "next"), 0);
	assert_string_equal(b.data, "next");
	dm_buf_free(&b);
}

static void test_buf__wipe_frees_and_resets(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	dm_buf_wipe(NULL);
	dm_buf_wipe(&b);
	assert_int_equal(dm_buf_puts(&b, "secret password"), 0);
	dm_buf_wipe(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_int_equal(dm_buf_puts(&b, "x"), 0);
	dm_buf_wipe(&b);
	assert_null(b.data);
}

/* Every allocation an append or printf makes, failed in turn: the call
 * returns DM_E_NO_MEMORY and the buffer keeps its old contents. */
static void test_buf__append_fails_cleanly_at_every_allocation(void **state)
{
	char big[300];
	long n;
	int rc;

	(void)state;
	memset(big, 'B', sizeof(big));
	for (n = 0;; n++) {
		dm_buf b = DM_BUF_INIT;

		assert_int_equal(dm_buf_puts(&b, "start"), 0);
		dm__alloc_fail_after(n);
		rc = dm_buf_append(&b, big, sizeof(big));
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(b.len, 5 + sizeof(big));
			dm_buf_free(&b);
			break;
		}
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_int_equal(b.len, 5);
		assert_string_equal(b.data, "start");
		check_invariant(&b);
		dm_buf_free(&b);
	}
	assert_true(n >= 1);
}

static void test_buf__printf_fails_cleanly_at_every_allocation(void **state)
{
	long n;
	int rc;

	(void)state;
	for (n = 0;; n++) {
		dm_buf b = DM_BUF_INIT;

		dm__alloc_fail_after(n);
		rc = dm_buf_printf(&b, "%0200d|%s", 7, "tail");
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(b.len, 205);
			assert_string_equal(b.data + 200, "|tail");
			dm_buf_free(&b);
			break;
		}
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_int_equal(b.len, 0);
		check_invariant(&b);
		dm_buf_free(&b);
	}
	assert_true(n >= 2); /* first reservation and the regrowth */
}

static void test_buf__detach_of_empty_fails_cleanly(void **state)
{
	dm_buf b = DM_BUF_INIT;
	char *s;

	(void)state;
	dm__alloc_fail_after(0);
	s = dm_buf_detach(&b);
	dm__alloc_fail_after(-1);
	assert_null(s);
	assert_null(b.data);
}

int util_test_buf_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf__init_is_empty),
		cmocka_unit_test(test_buf__append_zero_bytes_gives_empty_string),
		cmocka_unit_test(test_buf__grows_byte_by_byte),
		cmocka_unit_test(test_buf__appends_binary_data_with_nul),
		cmocka_unit_test(test_buf__reserve_keeps_pointer_stable),
		cmocka_unit_test(test_buf__reserve_overflow_fails_unchanged),
		cmocka_unit_test(test_buf__printf_formats_and_appends),
		cmocka_unit_test(test_buf__printf_long_output_at_every_boundary),
		cmocka_unit_test(test_buf__truncate_and_clear),
		cmocka_unit_test(test_buf__detach_hands_over_the_string),
		cmocka_unit_test(test_buf__wipe_frees_and_resets),
		cmocka_unit_test_teardown(
			test_buf__append_fails_cleanly_at_every_allocation,
			util_test_reset_alloc),
		cmocka_unit_test_teardown(
			test_buf__printf_fails_cleanly_at_every_allocation,
			util_test_reset_alloc),
		cmocka_unit_test_teardown(test_buf__detach_of_empty_fails_cleanly,
					  util_test_reset_alloc),
	};

	return cmocka_run_group_tests_name("util/buf", tests, NULL, NULL);
}
