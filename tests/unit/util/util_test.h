/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/util unit tests (one cmocka binary, one group
 * per file, all run from util_test_main.c).
 */
#ifndef DM_TEST_UTIL_TEST_H
#define DM_TEST_UTIL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Each returns the number of failed tests of its group. */
int util_test_alloc_group(void);
int util_test_buf_group(void);
int util_test_vec_group(void);
int util_test_map_group(void);
int util_test_queue_group(void);
int util_test_clock_group(void);

/* True when DM_TEST_QUICK is set (and not "0") or the binary runs under
 * valgrind: loops then use util_test_scale()d-down counts. */
bool util_test_quick(void);
/* `n` in a normal run, n / 20 (at least 1) in a quick one. */
size_t util_test_scale(size_t n);

/* A small deterministic PRNG (xorshift64*) so failures reproduce. */
typedef struct util_test_rng {
	uint64_t s;
} util_test_rng;

static inline uint64_t util_test_rand(util_test_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * UINT64_C(2685821657736338717);
}

/* Uniform enough in [0, n) for tests; n > 0. */
static inline size_t util_test_below(util_test_rng *r, size_t n)
{
	return (size_t)(util_test_rand(r) % n);
}

/* Resets fault injection; usable as a cmocka setup/teardown. */
int util_test_reset_alloc(void **state);

#endif
