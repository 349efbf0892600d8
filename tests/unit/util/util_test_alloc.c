/* SPDX-License-Identifier: Apache-2.0 */
/* The dm__malloc family and its fault injection (lib/util/alloc.h). */
#include "util_test.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static void test_alloc__malloc_zero_returns_freeable_pointer(void **state)
{
	void *p = dm__malloc(0);

	(void)state;
	assert_non_null(p);
	dm__free(p);
	dm__free(NULL);
}

static void test_alloc__calloc_zeroes_and_rejects_overflow(void **state)
{
	unsigned char *p = dm__calloc(16, 8);
	size_t i;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < 128; i++)
		assert_int_equal(p[i], 0);
	dm__free(p);
	assert_null(dm__calloc(SIZE_MAX / 2 + 1, 2));
	assert_null(dm__calloc(2, SIZE_MAX / 2 + 1));
	assert_null(dm__calloc(SIZE_MAX, SIZE_MAX));
	p = dm__calloc(0, 8);
	assert_non_null(p);
	dm__free(p);
}

static void test_alloc__realloc_keeps_contents(void **state)
{
	char *p = dm__malloc(4), *q;

	(void)state;
	assert_non_null(p);
	memcpy(p, "abc", 4);
	q = dm__realloc(p, 4096);
	assert_non_null(q);
	assert_string_equal(q, "abc");
	q = dm__realloc(q, 2);
	assert_non_null(q);
	assert_memory_equal(q, "ab", 2);
	dm__free(q);
}

static void test_alloc__reallocarray_overflow_keeps_old_block(void **state)
{
	char *p = dm__malloc(8), *q;

	(void)state;
	assert_non_null(p);
	memcpy(p, "1234567", 8);
	assert_null(dm__reallocarray(p, SIZE_MAX / 4 + 1, 4));
	assert_null(dm__reallocarray(p, 4, SIZE_MAX / 4 + 1));
	/* The old block is untouched and still owned by the caller. */
	assert_string_equal(p, "1234567");
	q = dm__reallocarray(p, 4, 4);
	assert_non_null(q);
	assert_string_equal(q, "1234567");
	dm__free(q);
}

static void test_alloc__strdup_family_copies(void **state)
{
	char *s;
	unsigned char *m;
	static const unsigned char bin[5] = { 1, 0, 2, 0, 3 };

	(void)state;
	s = dm__strdup("hello");
	assert_non_null(s);
	assert_string_equal(s, "hello");
	dm__free(s);
	assert_null(dm__strdup(NULL));

	s = dm__strndup("hello", 3);
	assert_non_null(s);
	assert_string_equal(s, "hel");
	dm__free(s);
	s = dm__strndup("", 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	dm__free(s);
	assert_null(dm__strndup("x", SIZE_MAX));

	m = dm__memdup(bin, sizeof(bin));
	assert_non_null(m);
	assert_memory_equal(m, bin, sizeof(bin));
	dm__free(m);
	m = dm__memdup(NULL, 0);
	assert_non_null(m);
	dm__free(m);
}

static void test_alloc__wipe_zeroes_bytes(void **state)
{
	unsigned char b[32];
	char *secret;
	size_t i;

	(void)state;
	memset(b, 0xab, sizeof(b));
	dm__wipe(b + 4, 16);
	for (i = 0; i < sizeof(b); i++)
		assert_int_equal(b[i], i >= 4 && i < 20 ? 0 : 0xab);
	dm__wipe(b, 0);
	secret = dm__strdup("hunter2");
	assert_non_null(secret);
	dm__free_secret(secret);
	dm__free_secret(NULL);
}

static void test_alloc__count_increases_per_allocation(void **state)
{
	unsigned long before = dm__alloc_count();
	void *p = dm__malloc(1);
	void *q = dm__calloc(1, 1);

	(void)state;
	assert_true(dm__alloc_count() >= before + 2);
	dm__free(p);
	dm__free(q);
}

static void test_alloc__fail_after_n_fails_the_next_one(void **state)
{
	void *p[3];
	size_t i;

	(void)state;
	for (long n = 0; n < 3; n++) {
		dm__alloc_fail_after(n);
		for (i = 0; i < (size_t)n; i++) {
			p[i] = dm__malloc(8);
			assert_non_null(p[i]);
		}
		assert_null(dm__malloc(8));
		dm__alloc_fail_after(-1);
		for (i = 0; i < (size_t)n; i++)
			dm__free(p[i]);
	}
	p[0] = dm__malloc(8);
	assert_non_null(p[0]);
	dm__free(p[0]);
}

static void test_alloc__every_wrapper_honours_injection(void **state)
{
	char *old = dm__strdup("keep");

	(void)state;
	assert_non_null(old);
	dm__alloc_fail_after(0);
	assert_null(dm__malloc(1));
	assert_null(dm__calloc(1, 1));
	assert_null(dm__realloc(old, 4096));
	assert_null(dm__reallocarray(old, 2, 4096));
	assert_null(dm__strdup("x"));
	assert_null(dm__strndup("xy", 1));
	assert_null(dm__memdup("xy", 2));
	dm__alloc_fail_after(-1);
	/* A failed realloc leaves the block alone. */
	assert_string_equal(old, "keep");
	dm__free(old);
}

int util_test_alloc_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc__malloc_zero_returns_freeable_pointer),
		cmocka_unit_test(test_alloc__calloc_zeroes_and_rejects_overflow),
		cmocka_unit_test(test_alloc__realloc_keeps_contents),
		cmocka_unit_test(test_alloc__reallocarray_overflow_keeps_old_block),
		cmocka_unit_test(test_alloc__strdup_family_copies),
		cmocka_unit_test(test_alloc__wipe_zeroes_bytes),
		cmocka_unit_test(test_alloc__count_increases_per_allocation),
		cmocka_unit_test_teardown(test_alloc__fail_after_n_fails_the_next_one,
					  util_test_reset_alloc),
		cmocka_unit_test_teardown(test_alloc__every_wrapper_honours_injection,
					  util_test_reset_alloc),
	};

	return cmocka_run_group_tests_name("util/alloc", tests, NULL, NULL);
}
