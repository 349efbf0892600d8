/* SPDX-License-Identifier: Apache-2.0 */
/* dm__vec (lib/util/vec.h). */
#include "util_test.h"

#include <stdlib.h>
#include <string.h>

#include "dm/err.h"
#include "util/alloc.h"
#include "util/vec.h"

struct rec {
	uint64_t id;
	uint32_t tag;
	char name[12];
};

static struct rec make_rec(uint64_t id)
{
	struct rec r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.tag = (uint32_t)(id * 2654435761u);
	r.name[0] = (char)('a' + id % 26);
	r.name[1] = (char)('A' + id % 17);
	return r;
}

static void test_vec__empty_vector_has_nothing(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(int));
	int x = 7;

	(void)state;
	assert_int_equal(v.len, 0);
	assert_null(dm__vec_get(&v, 0));
	assert_null(dm__vec_last(&v));
	assert_false(dm__vec_pop(&x, &v));
	assert_int_equal(x, 7);
	assert_false(dm__vec_remove(&v, 0));
	dm__vec_clear(&v);
	dm__vec_free(&v);
	dm__vec_free(NULL);
	dm__vec_init(&v, sizeof(double));
	assert_int_equal(v.elem_size, sizeof(double));
	assert_null(v.data);
}

static void test_vec__push_get_pop_in_order(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(uint64_t));
	size_t i, n = util_test_scale(200000);
	uint64_t x;

	(void)state;
	for (i = 0; i < n; i++) {
		x = i * 3 + 1;
		assert_int_equal(dm__vec_push(&v, &x), 0);
		assert_int_equal(v.len, i + 1);
		assert_true(v.cap >= v.len);
	}
	for (i = 0; i < n; i++) {
		assert_int_equal(*(uint64_t *)dm__vec_get(&v, i), i * 3 + 1);
		assert_int_equal(DM__VEC_DATA(&v, uint64_t)[i], i * 3 + 1);
	}
	assert_null(dm__vec_get(&v, n));
	assert_null(dm__vec_get(&v, SIZE_MAX));
	assert_int_equal(*(uint64_t *)dm__vec_last(&v), (n - 1) * 3 + 1);
	for (i = n; i-- > 0;) {
		assert_true(dm__vec_pop(&x, &v));
		assert_int_equal(x, i * 3 + 1);
	}
	assert_false(dm__vec_pop(&x, &v));
	assert_true(v.cap >= n); /* popping keeps the memory */
	dm__vec_free(&v);
	assert_int_equal(v.cap, 0);
}

static void test_vec__push_null_and_push_zero_give_zeroed_elements(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(struct rec));
	struct rec r = make_rec(5), zero, *p;
	size_t i;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	/* Dirty the memory first so zeroing is observable. */
	for (i = 0; i < 8; i++)
		assert_int_equal(dm__vec_push(&v, &r), 0);
	dm__vec_clear(&v);
	assert_int_equal(v.len, 0);
	assert_int_equal(dm__vec_push(&v, NULL), 0);
	assert_memory_equal(dm__vec_get(&v, 0), &zero, sizeof(zero));
	p = dm__vec_push_zero(&v);
	assert_non_null(p);
	assert_ptr_equal(p, dm__vec_get(&v, 1));
	assert_memory_equal(p, &zero, sizeof(zero));
	p->id = 99;
	assert_int_equal(((struct rec *)dm__vec_get(&v, 1))->id, 99);
	assert_true(dm__vec_pop(NULL, &v));
	assert_int_equal(v.len, 1);
	dm__vec_free(&v);
}

static void test_vec__reserve_avoids_reallocation(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(int));
	void *data;
	int i;

	(void)state;
	assert_int_equal(dm__vec_reserve(&v, 0), 0);
	assert_int_equal(dm__vec_reserve(&v, 1000), 0);
	assert_true(v.cap >= 1000);
	data = v.data;
	for (i = 0; i < 1000; i++)
		assert_int_equal(dm__vec_push(&v, &i), 0);
	assert_ptr_equal(v.data, data);
	assert_int_equal(dm__vec_reserve(&v, 1), 0);
	assert_true(v.cap >= 1001);
	for (i = 0; i < 1000; i++)
		assert_int_equal(DM__VEC_DATA(&v, int)[i], i);
	dm__vec_free(&v);
}

static void test_vec__size_overflow_fails_unchanged(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(int));
	dm__vec huge = DM__VEC_INIT(SIZE_MAX / 4);
	int x = 1;
	size_t cap;

	(void)state;
	assert_int_equal(dm__vec_push(&v, &x), 0);
	cap = v.cap;
	assert_int_equal(dm__vec_reserve(&v, SIZE_MAX), DM_E_NO_MEMORY);
	assert_int_equal(dm__vec_reserve(&v, SIZE_MAX / sizeof(int)),
			 DM_E_NO_MEMORY);
	assert_int_equal(dm__vec_resize(&v, SIZE_MAX), DM_E_NO_MEMORY);
	assert_int_equal(v.len, 1);
	assert_int_equal(v.cap, cap);
	assert_int_equal(DM__VEC_DATA(&v, int)[0], 1);
	/* More than PTRDIFF_MAX bytes is refused before asking the
	 * allocator (which ASan would turn into an abort). */
	dm__vec_free(&v);
	dm__vec_init(&v, 1);
	assert_int_equal(dm__vec_reserve(&v, (size_t)PTRDIFF_MAX + 1),
			 DM_E_NO_MEMORY);
	assert_null(v.data);
	/* 5 elements of SIZE_MAX/4 bytes do not fit in size_t. */
	assert_int_equal(dm__vec_reserve(&huge, 5), DM_E_NO_MEMORY);
	assert_null(huge.data);
	assert_int_equal(huge.cap, 0);
	dm__vec_free(&v);
	dm__vec_free(&huge);
}

static void test_vec__zero_elem_size_is_rejected(void **state)
{
	dm__vec v = DM__VEC_INIT(0);
	char c = 0;

	(void)state;
	assert_int_equal(dm__vec_reserve(&v, 1), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__vec_push(&v, &c), DM_E_INVALID_ARGUMENT);
	assert_null(dm__vec_push_zero(&v));
	assert_int_equal(v.len, 0);
	dm__vec_free(&v);
}

static void test_vec__remove_keeps_order(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(int));
	static const int want[] = { 1, 2, 4, 5, 7, 8 };
	int i;

	(void)state;
	for (i = 0; i < 10; i++)
		assert_int_equal(dm__vec_push(&v, &i), 0);
	assert_true(dm__vec_remove(&v, 9)); /* last */
	assert_true(dm__vec_remove(&v, 0)); /* first */
	assert_true(dm__vec_remove(&v, 2)); /* 3 */
	assert_true(dm__vec_remove(&v, 4)); /* 6 */
	assert_false(dm__vec_remove(&v, 6));
	assert_int_equal(v.len, 6);
	assert_memory_equal(v.data, want, sizeof(want));
	dm__vec_free(&v);
}

static void test_vec__resize_zero_fills_and_shrinks(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(int));
	int i, seven = 7;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(dm__vec_push(&v, &seven), 0);
	assert_int_equal(dm__vec_resize(&v, 2), 0);
	assert_int_equal(v.len, 2);
	assert_int_equal(dm__vec_resize(&v, 100), 0);
	assert_int_equal(v.len, 100);
	for (i = 0; i < 100; i++)
		assert_int_equal(DM__VEC_DATA(&v, int)[i], i < 2 ? 7 : 0);
	assert_int_equal(dm__vec_resize(&v, 0), 0);
	assert_int_equal(v.len, 0);
	dm__vec_free(&v);
}

/* Pushing an element of the vector itself while it reallocates must copy
 * the element, not read the freed block (ASan checks the latter). */
static void test_vec__push_of_own_element_survives_growth(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(struct rec));
	struct rec r;
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++) {
		r = make_rec(i);
		assert_int_equal(dm__vec_push(&v, &r), 0);
		while (v.len < v.cap) {
			r = make_rec(i);
			assert_int_equal(dm__vec_push(&v, &r), 0);
		}
		/* Full: the next push reallocates. */
		assert_int_equal(dm__vec_push(&v, dm__vec_get(&v, v.len / 2)), 0);
		assert_memory_equal(dm__vec_last(&v),
				    dm__vec_get(&v, (v.len - 1) / 2),
				    sizeof(struct rec));
		if (v.len > 5000)
			break;
	}
	dm__vec_free(&v);
}

/* Random operations checked against a plain array. */
static void test_vec__random_ops_match_reference_model(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(struct rec));
	util_test_rng rng = { UINT64_C(0x1234567887654321) };
	size_t ops = util_test_scale(100000), cap = 4096, len = 0, i, k;
	struct rec *model = calloc(cap, sizeof(*model)), r, got;
	uint64_t next_id = 1;

	(void)state;
	assert_non_null(model);
	for (i = 0; i < ops; i++) {
		switch (util_test_below(&rng, 10)) {
		case 0: case 1: case 2: case 3:
			if (len == cap)
				break;
			r = make_rec(next_id++);
			assert_int_equal(dm__vec_push(&v, &r), 0);
			model[len++] = r;
			break;
		case 4: case 5:
			if (len == 0) {
				assert_false(dm__vec_pop(&got, &v));
				break;
			}
			assert_true(dm__vec_pop(&got, &v));
			len--;
			assert_memory_equal(&got, &model[len], sizeof(got));
			break;
		case 6:
			k = util_test_below(&rng, len + 2);
			assert_int_equal(dm__vec_remove(&v, k), k < len);
			if (k < len) {
				memmove(&model[k], &model[k + 1],
					(len - k - 1) * sizeof(*model));
				len--;
			}
			break;
		case 7:
			k = util_test_below(&rng, len + 8);
			if (k > cap)
				break;
			assert_int_equal(dm__vec_resize(&v, k), 0);
			if (k > len)
				memset(&model[len], 0, (k - len) * sizeof(*model));
			len = k;
			break;
		default:
			k = util_test_below(&rng, len + 1);
			if (k < len)
				assert_memory_equal(dm__vec_get(&v, k), &model[k],
						    sizeof(r));
			else
				assert_null(dm__vec_get(&v, k));
			break;
		}
		assert_int_equal(v.len, len);
	}
	if (len)
		assert_memory_equal(v.data, model, len * sizeof(*model));
	free(model);
	dm__vec_free(&v);
}

static void test_vec__growth_fails_cleanly_at_every_allocation(void **state)
{
	dm__vec v = DM__VEC_INIT(sizeof(int));
	void *data;
	size_t cap;
	long n;
	int i, rc;

	(void)state;
	i = 42;
	dm__alloc_fail_after(0);
	rc = dm__vec_push(&v, &i);
	dm__alloc_fail_after(-1);
	assert_int_equal(rc, DM_E_NO_MEMORY);
	assert_null(v.data);
	assert_int_equal(v.len, 0);

	for (i = 0; v.len == 0 || v.len < v.cap; i++)
		assert_int_equal(dm__vec_push(&v, &i), 0);
	data = v.data;
	cap = v.cap;
	for (n = 0;; n++) {
		dm__alloc_fail_after(n);
		rc = dm__vec_push(&v, &i);
		dm__alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_ptr_equal(v.data, data);
		assert_int_equal(v.cap, cap);
		assert_int_equal(v.len, cap);
		dm__alloc_fail_after(0);
		assert_null(dm__vec_push_zero(&v));
		assert_int_equal(dm__vec_resize(&v, cap * 3), DM_E_NO_MEMORY);
		dm__alloc_fail_after(-1);
		assert_int_equal(v.len, cap);
	}
	assert_int_equal(v.len, cap + 1);
	for (i = 0; i <= (int)cap; i++)
		assert_int_equal(DM__VEC_DATA(&v, int)[i], i);
	dm__vec_free(&v);
}

int util_test_vec_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vec__empty_vector_has_nothing),
		cmocka_unit_test(test_vec__push_get_pop_in_order),
		cmocka_unit_test(
			test_vec__push_null_and_push_zero_give_zeroed_elements),
		cmocka_unit_test(test_vec__reserve_avoids_reallocation),
		cmocka_unit_test(test_vec__size_overflow_fails_unchanged),
		cmocka_unit_test(test_vec__zero_elem_size_is_rejected),
		cmocka_unit_test(test_vec__remove_keeps_order),
		cmocka_unit_test(test_vec__resize_zero_fills_and_shrinks),
		cmocka_unit_test(test_vec__push_of_own_element_survives_growth),
		cmocka_unit_test(test_vec__random_ops_match_reference_model),
		cmocka_unit_test_teardown(
			test_vec__growth_fails_cleanly_at_every_allocation,
			util_test_reset_alloc),
	};

	return cmocka_run_group_tests_name("util/vec", tests, NULL, NULL);
}
