/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/gtid unit tests (one cmocka binary, one group
 * per file, all run from gtid_test_main.c).
 */
#ifndef DM_TEST_GTID_TEST_H
#define DM_TEST_GTID_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dm/gtid.h"

int gtid_test_mysql_group(void);
int gtid_test_mariadb_group(void);
int gtid_test_ops_group(void);
int gtid_test_codec_group(void);
int gtid_test_alloc_group(void);

/* True under DM_TEST_QUICK (not "0") or valgrind: loops run fewer times. */
bool gtid_test_quick(void);
size_t gtid_test_scale(size_t n);

/* xorshift64*: deterministic, so failures reproduce. */
typedef struct gtid_test_rng {
	uint64_t s;
} gtid_test_rng;

static inline uint64_t gtid_test_rand(gtid_test_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

/* Uniform-ish in [0, n). */
static inline uint64_t gtid_test_below(gtid_test_rng *r, uint64_t n)
{
	return gtid_test_rand(r) % n;
}

/* Parses or fails the test with the error text. */
dm_gtid_set *gtid_test_parse(dm_gtid_flavor flavor, const char *text);
/* The canonical text of a set in a malloc'd string (free it). */
char *gtid_test_format(const dm_gtid_set *set);
/* Parses text, checks it formats as `want`, and that `want` parses back to
 * an equal set. */
void gtid_test_canonical(dm_gtid_flavor flavor, const char *text,
			 const char *want);
/* Checks that parsing fails with `status` and a message containing every
 * non-NULL fragment (e.g. "offset 37" and the near text). */
void gtid_test_parse_fails(dm_gtid_flavor flavor, const char *text,
			   size_t len, int status, const char *frag1,
			   const char *frag2);

/* Allocation fault injection reset, for group teardown. */
int gtid_test_reset_alloc(void **state);

#endif
