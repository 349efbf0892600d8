/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Round trips: random documents, encoded by the test's own encoder in the
 * small and the large formats, must print exactly the text the test's own
 * printer expects. Then truncations and byte flips of such documents must
 * fail cleanly or print, never crash (the sanitizer builds watch that).
 */
#include "jsonbin_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/jsonbin.h"

static void test_jsonbin__random_documents_round_trip(void **state)
{
	jt_rng r = { 0x9e3779b97f4a7c15ULL };
	size_t i, n = jt_scale(600);

	(void)state;
	for (i = 0; i < n; i++) {
		unsigned budget = 1 + (unsigned)jt_below(&r, 60);
		jt_val *v = jt_random(&r, 0, &budget);
		char *want = jt_expect(v);
		jt_bytes b = { 0 };

		jt_encode(&b, v, false);
		jt_check_text(b.p, b.n, want);
		b.n = 0;
		jt_encode(&b, v, true);
		jt_check_text(b.p, b.n, want);
		jt_bytes_free(&b);
		free(want);
		jt_free(v);
	}
}

static void test_jsonbin__random_deep_chains_round_trip(void **state)
{
	jt_rng r = { 0x1234567887654321ULL };
	size_t i, n = jt_scale(40);

	(void)state;
	for (i = 0; i < n; i++) {
		unsigned depth = 1 + (unsigned)jt_below(&r, DM__JSONBIN_MAX_DEPTH);
		jt_val *root = jt_below(&r, 2) ? jt_array() : jt_object();
		jt_val *cur = root;
		unsigned k, budget = 3;
		jt_bytes b = { 0 };
		char *want;

		for (k = 1; k < depth; k++) {
			jt_val *next = jt_below(&r, 2) ? jt_array() : jt_object();

			if (cur->kind == JT_OBJECT)
				jt_set(cur, "\xe2\x82\xac", 3, next);
			else
				jt_push(cur, next);
			if (jt_below(&r, 3) == 0) {
				if (cur->kind == JT_OBJECT)
					jt_set(cur, "z", 1, jt_random(&r, 99, &budget));
				else
					jt_push(cur, jt_random(&r, 99, &budget));
			}
			cur = next;
		}
		want = jt_expect(root);
		jt_encode(&b, root, jt_below(&r, 2));
		jt_check_text(b.p, b.n, want);
		jt_bytes_free(&b);
		free(want);
		jt_free(root);
	}
}

static void test_jsonbin__damaged_documents_fail_cleanly(void **state)
{
	jt_rng r = { 0xdeadbeefcafef00dULL };
	size_t i, k, n = jt_scale(80);

	(void)state;
	for (i = 0; i < n; i++) {
		unsigned budget = 1 + (unsigned)jt_below(&r, 30);
		jt_val *v = jt_random(&r, 0, &budget);
		jt_bytes b = { 0 };
		unsigned char *copy;
		int rc;

		jt_encode(&b, v, jt_below(&r, 2));
		for (k = 0; k < b.n; k++) {
			/* Exactly-sized copies so reads past the end show. */
			copy = malloc(k ? k : 1);
			assert_non_null(copy);
			memcpy(copy, b.p, k);
			free(jt_to_text(copy, k, &rc, NULL, 0));
			free(jt_apply(copy, k, NULL, 0, &rc, NULL, 0));
			free(copy);
		}
		for (k = 0; k < 40 && b.n; k++) {
			size_t at = jt_below(&r, b.n);
			unsigned char old = b.p[at];

			b.p[at] = (unsigned char)jt_rand(&r);
			free(jt_to_text(b.p, b.n, &rc, NULL, 0));
			free(jt_apply(b.p, b.n, NULL, 0, &rc, NULL, 0));
			b.p[at] = old;
		}
		jt_bytes_free(&b);
		jt_free(v);
	}
}

int jt_random_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonbin__random_documents_round_trip),
		cmocka_unit_test(test_jsonbin__random_deep_chains_round_trip),
		cmocka_unit_test(test_jsonbin__damaged_documents_fail_cleanly),
	};

	return cmocka_run_group_tests_name("jsonbin random", tests, NULL, NULL);
}
