/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/rules unit tests (one cmocka binary, one group
 * per file, all run from rules_test_main.c).
 */
#ifndef DM_TEST_RULES_TEST_H
#define DM_TEST_RULES_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dm/rules.h"

/* Each returns the number of failed tests of its group. */
int rules_test_selector_group(void);
int rules_test_balist_group(void);
int rules_test_filter_group(void);
int rules_test_router_group(void);
int rules_test_builtin_group(void);
int rules_test_robust_group(void);

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Options with the given case sensitivity. */
dm_rules_opts rules_test_opts(bool case_sensitive);

/* The DM code of an error status (36027 for -36027). */
int rules_test_code(int status);

/* Frees *err (may be NULL) and sets it to NULL. */
void rules_test_clear(dm_error **err);

/* True when the last error's message contains `needle`. */
bool rules_test_msg_has(const dm_error *err, const char *needle);

/* BA decision for schema.table; the call must succeed. */
dm_ba_decision rules_test_ba(const dm_ba_list *ba, const char *schema,
			     const char *table);

/* Filter decision; the call must succeed. */
dm_filter_decision rules_test_filter(const dm_event_filter *f,
				     const char *schema, const char *table,
				     dm_filter_event ev, const char *sql);

/* Routes and compares with the expected target. */
void rules_test_route(const dm_router *r, const char *schema,
		      const char *table, const char *want_schema,
		      const char *want_table);

/* A deterministic PRNG (xorshift64*) so failures reproduce. */
static inline uint64_t rules_test_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

#endif
