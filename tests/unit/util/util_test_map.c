/* SPDX-License-Identifier: Apache-2.0 */
/* dm__map (lib/util/map.h). */
#include "util_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/err.h"
#include "util/alloc.h"
#include "util/map.h"

/* ------------------------------------------------------------ helpers */

/* Key of id k for byte maps: k == 0 is the empty key; others start with
 * k in 4 little-endian bytes (so they contain NULs and are unique) and
 * go on with 0..36 filler bytes. */
struct key {
	unsigned char b[48];
	size_t len;
};

static void make_key(struct key *out, uint32_t k)
{
	size_t i, fill;

	memset(out, 0, sizeof(*out));
	if (k == 0)
		return;
	out->b[0] = (unsigned char)k;
	out->b[1] = (unsigned char)(k >> 8);
	out->b[2] = (unsigned char)(k >> 16);
	out->b[3] = (unsigned char)(k >> 24);
	fill = (k * 7u) % 37u;
	for (i = 0; i < fill; i++)
		out->b[4 + i] = (unsigned char)(k * 31u + i);
	out->len = 4 + fill;
}

static uint32_t key_id(const void *key, size_t len)
{
	const unsigned char *b = key;

	if (len == 0)
		return 0;
	assert_true(len >= 4);
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static void *val(uintptr_t v)
{
	return (void *)v;
}

static int free_calls;

static void counting_free(void *p)
{
	free_calls++;
	free(p);
}

static int *new_int(int v)
{
	int *p = malloc(sizeof(*p));

	assert_non_null(p);
	*p = v;
	return p;
}

/* ------------------------------------------------------------ basics */

static void test_map__empty_map_finds_nothing(void **state)
{
	dm__map m, u;
	dm__map_iter it;
	void *out = val(1);

	(void)state;
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	dm__map_init(&u, DM__MAP_U64, NULL);
	assert_true(dm__map_is_consistent(&m));
	assert_int_equal(dm__map_count(&m), 0);
	assert_null(dm__map_get(&m, "a", 1));
	assert_null(dm__map_get(&m, NULL, 0));
	assert_false(dm__map_find(&out, &m, "a", 1));
	assert_ptr_equal(out, val(1));
	assert_false(dm__map_remove(&out, &m, "a", 1));
	assert_null(dm__map_get_u64(&u, 0));
	assert_false(dm__map_remove_u64(NULL, &u, 0));
	dm__map_iter_init(&it, &m);
	assert_false(dm__map_iter_next(&it));
	assert_false(dm__map_iter_next(&it));
	dm__map_clear(&m);
	assert_int_equal(dm__map_reserve(&m, 0), 0);
	dm__map_free(&m);
	dm__map_free(&u);
	dm__map_free(NULL);
}

static void test_map__put_get_replace_remove(void **state)
{
	dm__map m;
	void *out;

	(void)state;
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	assert_int_equal(dm__map_put(&out, &m, "alpha", 5, val(1)), 0);
	assert_null(out);
	assert_int_equal(dm__map_put(NULL, &m, "beta", 4, val(2)), 0);
	assert_int_equal(dm__map_count(&m), 2);
	assert_ptr_equal(dm__map_get(&m, "alpha", 5), val(1));
	assert_ptr_equal(dm__map_get(&m, "beta", 4), val(2));
	assert_null(dm__map_get(&m, "alph", 4));
	assert_null(dm__map_get(&m, "alphaa", 6));

	assert_int_equal(dm__map_put(&out, &m, "alpha", 5, val(3)), 0);
	assert_ptr_equal(out, val(1));
	assert_int_equal(dm__map_count(&m), 2);
	assert_ptr_equal(dm__map_get(&m, "alpha", 5), val(3));

	assert_true(dm__map_remove(&out, &m, "alpha", 5));
	assert_ptr_equal(out, val(3));
	assert_false(dm__map_remove(&out, &m, "alpha", 5));
	assert_null(dm__map_get(&m, "alpha", 5));
	assert_int_equal(dm__map_count(&m), 1);
	assert_true(dm__map_remove(NULL, &m, "beta", 4));
	assert_int_equal(dm__map_count(&m), 0);
	assert_true(dm__map_is_consistent(&m));
	/* Reinsert after removal. */
	assert_int_equal(dm__map_put(NULL, &m, "alpha", 5, val(4)), 0);
	assert_ptr_equal(dm__map_get(&m, "alpha", 5), val(4));
	dm__map_free(&m);
	assert_int_equal(dm__map_count(&m), 0);
	/* Usable after free. */
	assert_int_equal(dm__map_put(NULL, &m, "x", 1, val(5)), 0);
	assert_ptr_equal(dm__map_get(&m, "x", 1), val(5));
	dm__map_free(&m);
}

static void test_map__keys_are_binary_safe(void **state)
{
	dm__map m;
	void *out = NULL;

	(void)state;
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	assert_int_equal(dm__map_put(NULL, &m, "a\0b", 3, val(1)), 0);
	assert_int_equal(dm__map_put(NULL, &m, "a\0c", 3, val(2)), 0);
	assert_int_equal(dm__map_put(NULL, &m, "a", 1, val(3)), 0);
	assert_int_equal(dm__map_put(NULL, &m, "a\0", 2, val(4)), 0);
	assert_int_equal(dm__map_put(NULL, &m, "\0\0\0\0\0\0\0\0\0", 9, val(5)), 0);
	assert_int_equal(dm__map_put(NULL, &m, "\0\0\0\0\0\0\0\0", 8, val(6)), 0);
	assert_int_equal(dm__map_count(&m), 6);
	assert_ptr_equal(dm__map_get(&m, "a\0b", 3), val(1));
	assert_ptr_equal(dm__map_get(&m, "a\0c", 3), val(2));
	assert_ptr_equal(dm__map_get(&m, "a", 1), val(3));
	assert_ptr_equal(dm__map_get(&m, "a\0", 2), val(4));
	assert_ptr_equal(dm__map_get(&m, "\0\0\0\0\0\0\0\0\0", 9), val(5));
	assert_ptr_equal(dm__map_get(&m, "\0\0\0\0\0\0\0\0", 8), val(6));
	assert_null(dm__map_get(&m, "\0\0\0\0\0\0\0", 7));

	/* The empty key: NULL and "" with length 0 are the same key. */
	assert_int_equal(dm__map_put(NULL, &m, NULL, 0, val(7)), 0);
	assert_ptr_equal(dm__map_get(&m, "", 0), val(7));
	assert_int_equal(dm__map_put(&out, &m, "", 0, val(8)), 0);
	assert_ptr_equal(out, val(7));
	assert_int_equal(dm__map_count(&m), 7);
	assert_true(dm__map_remove(NULL, &m, NULL, 0));
	assert_int_equal(dm__map_count(&m), 6);
	dm__map_free(&m);
}

static void test_map__put_copies_the_key(void **state)
{
	dm__map m;
	char key[16];
	dm__map_iter it;

	(void)state;
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	memcpy(key, "table_1", 8);
	assert_int_equal(dm__map_put(NULL, &m, key, 7, val(1)), 0);
	memcpy(key, "XXXXXXX", 8);
	assert_ptr_equal(dm__map_get(&m, "table_1", 7), val(1));
	assert_null(dm__map_get(&m, key, 7));
	dm__map_iter_init(&it, &m);
	assert_true(dm__map_iter_next(&it));
	assert_int_equal(it.key_len, 7);
	assert_memory_equal(it.key, "table_1", 7);
	assert_true(it.key != (const void *)key);
	assert_false(dm__map_iter_next(&it));
	dm__map_free(&m);
}

static void test_map__null_values_are_stored(void **state)
{
	dm__map m;
	void *out = val(9);

	(void)state;
	dm__map_init(&m, DM__MAP_U64, NULL);
	assert_int_equal(dm__map_put_u64(NULL, &m, 5, NULL), 0);
	assert_null(dm__map_get_u64(&m, 5));
	assert_true(dm__map_find_u64(&out, &m, 5));
	assert_null(out);
	assert_true(dm__map_find_u64(NULL, &m, 5));
	assert_false(dm__map_find_u64(NULL, &m, 6));
	assert_int_equal(dm__map_count(&m), 1);
	dm__map_free(&m);
}

static void test_map__wrong_kind_and_bad_keys_are_rejected(void **state)
{
	dm__map b, u;
	void *out = val(1);

	(void)state;
	dm__map_init(&b, DM__MAP_BYTES, NULL);
	dm__map_init(&u, DM__MAP_U64, NULL);
	assert_int_equal(dm__map_put_u64(&out, &b, 1, val(1)),
			 DM_E_INVALID_ARGUMENT);
	assert_null(out);
	assert_int_equal(dm__map_put(NULL, &u, "k", 1, val(1)),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__map_put(NULL, &b, NULL, 3, val(1)),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__map_count(&b), 0);
	assert_int_equal(dm__map_count(&u), 0);
	assert_int_equal(dm__map_put(NULL, &b, "k", 1, val(1)), 0);
	assert_int_equal(dm__map_put_u64(NULL, &u, 1, val(1)), 0);
	assert_null(dm__map_get_u64(&b, 1));
	assert_null(dm__map_get(&u, "k", 1));
	assert_false(dm__map_find(NULL, &b, NULL, 1));
	assert_false(dm__map_remove(NULL, &u, "k", 1));
	assert_false(dm__map_remove_u64(NULL, &b, 1));
	assert_int_equal(dm__map_count(&b), 1);
	assert_int_equal(dm__map_count(&u), 1);
	dm__map_free(&b);
	dm__map_free(&u);
}

static void test_map__u64_keys_cover_full_range(void **state)
{
	dm__map m;
	static const uint64_t special[] = {
		0, 1, 2, UINT64_MAX, UINT64_MAX - 1, UINT64_C(1) << 63,
		UINT64_C(1) << 32, 0xffffffffu, UINT64_C(0x9e3779b97f4a7c15),
	};
	size_t i, n = util_test_scale(100000);
	dm__map_iter it;

	(void)state;
	dm__map_init(&m, DM__MAP_U64, NULL);
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		assert_int_equal(dm__map_put_u64(NULL, &m, special[i],
						 val(i + 1)), 0);
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		assert_ptr_equal(dm__map_get_u64(&m, special[i]), val(i + 1));
	assert_true(dm__map_is_consistent(&m));
	dm__map_clear(&m);
	assert_true(dm__map_is_consistent(&m));
	assert_int_equal(dm__map_count(&m), 0);
	assert_null(dm__map_get_u64(&m, 0));

	/* Sequential ids, as binlog table ids are. */
	for (i = 0; i < n; i++)
		assert_int_equal(dm__map_put_u64(NULL, &m, i, val(i + 1)), 0);
	assert_int_equal(dm__map_count(&m), n);
	for (i = 0; i < n; i += 2)
		assert_true(dm__map_remove_u64(NULL, &m, i));
	assert_int_equal(dm__map_count(&m), n / 2);
	assert_true(dm__map_is_consistent(&m));
	for (i = 0; i < n; i++)
		assert_ptr_equal(dm__map_get_u64(&m, i), i % 2 ? val(i + 1) : NULL);
	dm__map_iter_init(&it, &m);
	for (i = 0; dm__map_iter_next(&it); i++) {
		assert_int_equal(it.key_u64 % 2, 1);
		assert_null(it.key);
		assert_ptr_equal(it.value, val(it.key_u64 + 1));
	}
	assert_int_equal(i, n / 2);
	dm__map_free(&m);
}

static void test_map__value_free_owns_dropped_values(void **state)
{
	dm__map m;
	int *a = new_int(1), *b = new_int(2), *c = new_int(3);
	void *out = NULL;

	(void)state;
	free_calls = 0;
	dm__map_init(&m, DM__MAP_BYTES, counting_free);
	assert_int_equal(dm__map_put(NULL, &m, "k", 1, a), 0);
	/* Replace without out: the map frees the old value. */
	assert_int_equal(dm__map_put(NULL, &m, "k", 1, b), 0);
	assert_int_equal(free_calls, 1);
	/* Putting the same pointer again frees nothing. */
	assert_int_equal(dm__map_put(NULL, &m, "k", 1, b), 0);
	assert_int_equal(free_calls, 1);
	assert_int_equal(*(int *)dm__map_get(&m, "k", 1), 2);
	/* Replace with out: the old value comes back to the caller. */
	assert_int_equal(dm__map_put(&out, &m, "k", 1, c), 0);
	assert_ptr_equal(out, b);
	assert_int_equal(free_calls, 1);
	free(out);
	/* Remove with out: returned, not freed. */
	assert_true(dm__map_remove(&out, &m, "k", 1));
	assert_ptr_equal(out, c);
	assert_int_equal(free_calls, 1);
	/* Remove without out: freed. */
	assert_int_equal(dm__map_put(NULL, &m, "k", 1, c), 0);
	assert_true(dm__map_remove(NULL, &m, "k", 1));
	assert_int_equal(free_calls, 2);
	/* Clear and free drop everything left. */
	assert_int_equal(dm__map_put(NULL, &m, "x", 1, new_int(4)), 0);
	assert_int_equal(dm__map_put(NULL, &m, "y", 1, new_int(5)), 0);
	dm__map_clear(&m);
	assert_int_equal(free_calls, 4);
	assert_int_equal(dm__map_put(NULL, &m, "z", 1, new_int(6)), 0);
	assert_int_equal(dm__map_put(NULL, &m, "w", 1, NULL), 0);
	dm__map_free(&m);
	assert_int_equal(free_calls, 6); /* free(NULL) counts too */
}

/* ------------------------------------------------------ reference model */

struct model {
	size_t nkeys;
	bool *present;
	void **value;
	uint64_t *u64; /* key of each id in U64 mode */
	size_t count;
};

static void model_init(struct model *md, size_t nkeys, bool u64_mode,
		       util_test_rng *rng)
{
	size_t i;

	md->nkeys = nkeys;
	md->count = 0;
	md->present = calloc(nkeys, sizeof(*md->present));
	md->value = calloc(nkeys, sizeof(*md->value));
	md->u64 = calloc(nkeys, sizeof(*md->u64));
	assert_non_null(md->present);
	assert_non_null(md->value);
	assert_non_null(md->u64);
	if (!u64_mode)
		return;
	/* Random 64-bit keys plus the extremes (a fixed seed, so no
	 * duplicates here means none ever). */
	for (i = 0; i < nkeys; i++)
		md->u64[i] = util_test_rand(rng);
	md->u64[0] = 0;
	if (nkeys > 1)
		md->u64[1] = UINT64_MAX;
}

static void model_free(struct model *md)
{
	free(md->present);
	free(md->value);
	free(md->u64);
}

static size_t model_id_of_u64(const struct model *md, uint64_t k)
{
	size_t i;

	for (i = 0; i < md->nkeys; i++)
		if (md->u64[i] == k)
			return i;
	fail_msg("iterated a key the model never had");
	return SIZE_MAX;
}

static void model_check_all(const dm__map *m, const struct model *md,
			    bool u64_mode)
{
	unsigned char *seen = calloc(md->nkeys, 1);
	dm__map_iter it;
	size_t id, n = 0;
	struct key k;

	assert_non_null(seen);
	assert_true(dm__map_is_consistent(m));
	assert_int_equal(dm__map_count(m), md->count);
	dm__map_iter_init(&it, m);
	while (dm__map_iter_next(&it)) {
		id = u64_mode ? model_id_of_u64(md, it.key_u64)
			      : key_id(it.key, it.key_len);
		assert_true(id < md->nkeys);
		assert_true(md->present[id]);
		assert_int_equal(seen[id], 0);
		seen[id] = 1;
		assert_ptr_equal(it.value, md->value[id]);
		if (!u64_mode) {
			make_key(&k, (uint32_t)id);
			assert_int_equal(it.key_len, k.len);
			if (k.len)
				assert_memory_equal(it.key, k.b, k.len);
		}
		n++;
	}
	assert_int_equal(n, md->count);
	free(seen);
}

/* Random put / remove / find checked against `md` after every step. With
 * `faults`, some operations run with an allocation failing; a failed put
 * must leave the map as it was. */
static void run_model(bool u64_mode, size_t nkeys, size_t ops, uint64_t seed,
		      bool faults)
{
	util_test_rng rng = { seed };
	struct model md;
	dm__map m;
	struct key k;
	size_t i, id, dice;
	uintptr_t serial = 1;
	void *out, *v;
	bool found;
	int rc;

	model_init(&md, nkeys, u64_mode, &rng);
	dm__map_init(&m, u64_mode ? DM__MAP_U64 : DM__MAP_BYTES, NULL);
	for (i = 0; i < ops; i++) {
		id = util_test_below(&rng, nkeys);
		make_key(&k, (uint32_t)id);
		dice = util_test_below(&rng, 100);
		if (dice < 45) {
			v = util_test_below(&rng, 16) ? val(serial++) : NULL;
			if (faults && util_test_below(&rng, 4) == 0)
				dm__alloc_fail_after((long)util_test_below(&rng, 2));
			out = val(12345);
			rc = u64_mode ? dm__map_put_u64(&out, &m, md.u64[id], v)
				      : dm__map_put(&out, &m, k.b, k.len, v);
			dm__alloc_fail_after(-1);
			if (rc == DM_E_NO_MEMORY && faults) {
				assert_null(out);
				assert_false(md.present[id]);
				found = u64_mode
					? dm__map_find_u64(NULL, &m, md.u64[id])
					: dm__map_find(NULL, &m, k.b, k.len);
				assert_false(found);
			} else {
				assert_int_equal(rc, 0);
				assert_ptr_equal(out, md.present[id] ? md.value[id]
								     : NULL);
				if (!md.present[id])
					md.count++;
				md.present[id] = true;
				md.value[id] = v;
			}
		} else if (dice < 70) {
			out = val(12345);
			found = u64_mode ? dm__map_remove_u64(&out, &m, md.u64[id])
					 : dm__map_remove(&out, &m, k.b, k.len);
			assert_int_equal(found, md.present[id]);
			if (found) {
				assert_ptr_equal(out, md.value[id]);
				md.present[id] = false;
				md.count--;
			} else {
				assert_ptr_equal(out, val(12345));
			}
		} else {
			out = val(12345);
			found = u64_mode ? dm__map_find_u64(&out, &m, md.u64[id])
					 : dm__map_find(&out, &m, k.b, k.len);
			assert_int_equal(found, md.present[id]);
			assert_ptr_equal(out, found ? md.value[id] : val(12345));
			v = u64_mode ? dm__map_get_u64(&m, md.u64[id])
				     : dm__map_get(&m, k.b, k.len);
			assert_ptr_equal(v, found ? md.value[id] : NULL);
		}
		assert_int_equal(dm__map_count(&m), md.count);
		if (i % 4096 == 0)
			model_check_all(&m, &md, u64_mode);
		if (i == ops / 2) {
			dm__map_clear(&m);
			memset(md.present, 0, nkeys * sizeof(*md.present));
			md.count = 0;
			model_check_all(&m, &md, u64_mode);
		}
	}
	model_check_all(&m, &md, u64_mode);
	dm__map_free(&m);
	model_free(&md);
}

static void test_map__random_bytes_ops_match_model(void **state)
{
	(void)state;
	run_model(false, 2000, util_test_scale(100000), 1, false);
	run_model(false, 40, util_test_scale(30000), 2, false);
	run_model(false, 20000, util_test_scale(60000), 3, false);
}

static void test_map__random_u64_ops_match_model(void **state)
{
	(void)state;
	run_model(true, 2000, util_test_scale(100000), 4, false);
	run_model(true, 40, util_test_scale(30000), 5, false);
}

static void test_map__random_ops_under_alloc_failures_match_model(void **state)
{
	(void)state;
	run_model(false, 500, util_test_scale(40000), 6, true);
	run_model(true, 500, util_test_scale(40000), 7, true);
}

/* ---------------------------------------------------------- tombstones */

/* A sliding window of live keys over ever new keys: removals leave
 * tombstones that must be reclaimed, not grow the table or slow lookups to
 * a halt. */
static void test_map__tombstone_churn_keeps_table_small(void **state)
{
	dm__map m, u;
	size_t i, n = util_test_scale(200000), win = 8, max_cap = 0;
	struct key k;

	(void)state;
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	dm__map_init(&u, DM__MAP_U64, NULL);
	for (i = 0; i < n; i++) {
		make_key(&k, (uint32_t)i + 1);
		assert_int_equal(dm__map_put(NULL, &m, k.b, k.len, val(i + 1)), 0);
		assert_int_equal(dm__map_put_u64(NULL, &u, i, val(i + 1)), 0);
		if (i >= win) {
			make_key(&k, (uint32_t)(i - win) + 1);
			assert_true(dm__map_remove(NULL, &m, k.b, k.len));
			assert_true(dm__map_remove_u64(NULL, &u, i - win));
		}
		assert_true(dm__map_count(&m) <= win + 1);
		if (i % 997 == 0) {
			assert_true(dm__map_is_consistent(&m));
			assert_true(dm__map_is_consistent(&u));
		}
		/* Misses must terminate even with the table full of tombs. */
		assert_null(dm__map_get_u64(&u, i + 1000000000u));
		if (m.cap > max_cap)
			max_cap = m.cap;
		if (u.cap > max_cap)
			max_cap = u.cap;
	}
	assert_true(max_cap <= 64);
	for (i = 0; i < n; i++) {
		make_key(&k, (uint32_t)i + 1);
		assert_ptr_equal(dm__map_get(&m, k.b, k.len),
				 i + win >= n ? val(i + 1) : NULL);
		assert_ptr_equal(dm__map_get_u64(&u, i),
				 i + win >= n ? val(i + 1) : NULL);
	}
	dm__map_free(&m);
	dm__map_free(&u);
}

/* Steady size with random replacement: capacity stays proportional to the
 * live count however many keys pass through. */
static void test_map__steady_churn_does_not_grow(void **state)
{
	dm__map m;
	util_test_rng rng = { 99 };
	uint64_t live[1000];
	size_t i, j, n = util_test_scale(300000), cap_after_fill;

	(void)state;
	dm__map_init(&m, DM__MAP_U64, NULL);
	for (i = 0; i < 1000; i++) {
		live[i] = util_test_rand(&rng);
		assert_int_equal(dm__map_put_u64(NULL, &m, live[i], val(1)), 0);
	}
	cap_after_fill = m.cap;
	for (i = 0; i < n; i++) {
		j = util_test_below(&rng, 1000);
		assert_true(dm__map_remove_u64(NULL, &m, live[j]));
		live[j] = util_test_rand(&rng);
		assert_int_equal(dm__map_put_u64(NULL, &m, live[j], val(1)), 0);
		assert_true(m.cap <= cap_after_fill * 2);
		if (i % 4999 == 0)
			assert_true(dm__map_is_consistent(&m));
	}
	assert_int_equal(dm__map_count(&m), 1000);
	for (i = 0; i < 1000; i++)
		assert_true(dm__map_find_u64(NULL, &m, live[i]));
	dm__map_free(&m);
}

/* ------------------------------------------------------------ iteration */

static void test_map__iteration_visits_each_key_once(void **state)
{
	dm__map m;
	size_t i, n = util_test_scale(20000), visits = 0;
	unsigned char *seen = calloc(n, 1);
	dm__map_iter it;
	struct key k;
	uint32_t id;

	(void)state;
	assert_non_null(seen);
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	for (i = 0; i < n; i++) {
		make_key(&k, (uint32_t)i);
		assert_int_equal(dm__map_put(NULL, &m, k.b, k.len, val(i + 7)), 0);
	}
	/* Remove some to leave tombstones the iterator must skip. */
	for (i = 0; i < n; i += 5) {
		make_key(&k, (uint32_t)i);
		assert_true(dm__map_remove(NULL, &m, k.b, k.len));
	}
	dm__map_iter_init(&it, &m);
	while (dm__map_iter_next(&it)) {
		id = key_id(it.key, it.key_len);
		assert_true(id < n);
		assert_true(id % 5 != 0);
		assert_int_equal(seen[id], 0);
		seen[id] = 1;
		assert_ptr_equal(it.value, val(id + 7));
		visits++;
	}
	assert_int_equal(visits, n - (n + 4) / 5);
	assert_int_equal(visits, dm__map_count(&m));
	/* Exhausted iterators stay exhausted. */
	assert_false(dm__map_iter_next(&it));
	free(seen);
	dm__map_free(&m);
}

/* Removing the current entry and entries not yet visited while iterating:
 * nothing is visited twice, removed-before-visit entries are never seen,
 * every other entry is. */
static void test_map__iteration_tolerates_removals(void **state)
{
	dm__map m;
	size_t i, n = util_test_scale(30000);
	unsigned char *seen = calloc(n, 1), *gone = calloc(n, 1);
	dm__map_iter it;
	struct key k;
	uint32_t id;

	(void)state;
	assert_non_null(seen);
	assert_non_null(gone);
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	for (i = 0; i < n; i++) {
		make_key(&k, (uint32_t)i);
		assert_int_equal(dm__map_put(NULL, &m, k.b, k.len, val(i + 1)), 0);
	}
	dm__map_iter_init(&it, &m);
	while (dm__map_iter_next(&it)) {
		id = key_id(it.key, it.key_len);
		assert_int_equal(seen[id], 0);
		assert_int_equal(gone[id], 0);
		seen[id] = 1;
		if (id % 3 == 0) {
			/* `it.key` points at the map's copy: copy it first. */
			make_key(&k, id);
			assert_true(dm__map_remove(NULL, &m, k.b, k.len));
		} else if (id % 3 == 1 && id + 1 < n && !seen[id + 1]) {
			make_key(&k, id + 1);
			assert_true(dm__map_remove(NULL, &m, k.b, k.len));
			gone[id + 1] = 1;
		}
	}
	assert_true(dm__map_is_consistent(&m));
	for (i = 0; i < n; i++) {
		assert_true(seen[i] != gone[i]);
		make_key(&k, (uint32_t)i);
		/* Left: every id % 3 == 1, and the id % 3 == 2 ones the
		 * iterator reached before their predecessor. */
		assert_int_equal(dm__map_find(NULL, &m, k.b, k.len),
				 i % 3 == 1 || (i % 3 == 2 && !gone[i]));
	}
	free(seen);
	free(gone);
	dm__map_free(&m);
}

static void test_map__iteration_tolerates_value_replacement(void **state)
{
	dm__map m;
	size_t i, n = util_test_scale(10000), visits = 0;
	dm__map_iter it;
	void *out;

	(void)state;
	dm__map_init(&m, DM__MAP_U64, NULL);
	for (i = 0; i < n; i++)
		assert_int_equal(dm__map_put_u64(NULL, &m, i * 977, val(i + 1)), 0);
	dm__map_iter_init(&it, &m);
	while (dm__map_iter_next(&it)) {
		assert_int_equal(dm__map_put_u64(&out, &m, it.key_u64,
						 val((uintptr_t)it.value + n)), 0);
		assert_ptr_equal(out, it.value);
		visits++;
	}
	assert_int_equal(visits, n);
	for (i = 0; i < n; i++)
		assert_ptr_equal(dm__map_get_u64(&m, i * 977), val(i + 1 + n));
	dm__map_free(&m);
}

static void test_map__same_operations_give_same_order(void **state)
{
	dm__map a, b;
	dm__map_iter ia, ib;
	struct key k;
	size_t i;

	(void)state;
	dm__map_init(&a, DM__MAP_BYTES, NULL);
	dm__map_init(&b, DM__MAP_BYTES, NULL);
	for (i = 0; i < 3000; i++) {
		make_key(&k, (uint32_t)(i * 13 % 1000));
		if (i % 4 == 3) {
			dm__map_remove(NULL, &a, k.b, k.len);
			dm__map_remove(NULL, &b, k.b, k.len);
		} else {
			assert_int_equal(dm__map_put(NULL, &a, k.b, k.len, val(i)), 0);
			assert_int_equal(dm__map_put(NULL, &b, k.b, k.len, val(i)), 0);
		}
	}
	dm__map_iter_init(&ia, &a);
	dm__map_iter_init(&ib, &b);
	while (dm__map_iter_next(&ia)) {
		assert_true(dm__map_iter_next(&ib));
		assert_int_equal(ia.key_len, ib.key_len);
		assert_memory_equal(ia.key, ib.key, ia.key_len);
		assert_ptr_equal(ia.value, ib.value);
	}
	assert_false(dm__map_iter_next(&ib));
	dm__map_free(&a);
	dm__map_free(&b);
}

/* ------------------------------------------------------ reserve, faults */

static void test_map__reserve_prevents_rehash(void **state)
{
	dm__map m;
	struct dm__map_slot *slots;
	size_t i;

	(void)state;
	dm__map_init(&m, DM__MAP_U64, NULL);
	assert_int_equal(dm__map_reserve(&m, 1000), 0);
	slots = m.slots;
	for (i = 0; i < 1000; i++)
		assert_int_equal(dm__map_put_u64(NULL, &m, i, val(i + 1)), 0);
	assert_ptr_equal(m.slots, slots);
	/* Reserving less than what is there changes nothing. */
	assert_int_equal(dm__map_reserve(&m, 10), 0);
	assert_ptr_equal(m.slots, slots);
	for (i = 0; i < 1000; i++)
		assert_ptr_equal(dm__map_get_u64(&m, i), val(i + 1));
	assert_int_equal(dm__map_reserve(&m, SIZE_MAX), DM_E_NO_MEMORY);
	assert_int_equal(dm__map_reserve(&m, SIZE_MAX / 2), DM_E_NO_MEMORY);
	assert_int_equal(dm__map_count(&m), 1000);
	assert_ptr_equal(dm__map_get_u64(&m, 999), val(1000));
	dm__map_free(&m);
}

/* Fill to the growth threshold, then fail each allocation of the insert
 * that must grow (key copy, table) in turn: the map stays as it was. */
static void test_map__put_fails_cleanly_at_every_allocation(void **state)
{
	dm__map m;
	struct key k;
	size_t i, full;
	long n;
	int rc;

	(void)state;
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	for (i = 0;; i++) {
		size_t cap = m.cap;

		make_key(&k, (uint32_t)i + 1);
		assert_int_equal(dm__map_put(NULL, &m, k.b, k.len, val(i + 1)), 0);
		if (cap && m.cap != cap)
			break;
	}
	/* Rebuild the map one entry short of that growth. */
	full = i;
	dm__map_free(&m);
	dm__map_init(&m, DM__MAP_BYTES, NULL);
	for (i = 0; i < full; i++) {
		make_key(&k, (uint32_t)i + 1);
		assert_int_equal(dm__map_put(NULL, &m, k.b, k.len, val(i + 1)), 0);
	}
	make_key(&k, (uint32_t)full + 1);
	for (n = 0;; n++) {
		struct dm__map_slot *slots = m.slots;

		dm__alloc_fail_after(n);
		rc = dm__map_put(NULL, &m, k.b, k.len, val(full + 1));
		dm__alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_ptr_equal(m.slots, slots);
		assert_int_equal(dm__map_count(&m), full);
		assert_null(dm__map_get(&m, k.b, k.len));
		assert_true(dm__map_is_consistent(&m));
	}
	assert_int_equal(n, 2); /* key copy, then the new table */
	assert_int_equal(dm__map_count(&m), full + 1);
	for (i = 0; i <= full; i++) {
		make_key(&k, (uint32_t)i + 1);
		assert_ptr_equal(dm__map_get(&m, k.b, k.len), val(i + 1));
	}
	/* Replacing allocates nothing, so it cannot fail. */
	dm__alloc_fail_after(0);
	rc = dm__map_put(NULL, &m, k.b, k.len, val(1));
	dm__alloc_fail_after(-1);
	assert_int_equal(rc, 0);
	dm__map_free(&m);
}

/* ---------------------------------------------------------------- hash */

static int popcount64(uint64_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static void test_map__hash_is_deterministic_and_alignment_free(void **state)
{
	unsigned char buf[128 + 8];
	unsigned char src[128];
	size_t len, off;
	uint64_t h;

	(void)state;
	for (len = 0; len < sizeof(src); len++)
		src[len] = (unsigned char)(len * 37 + 11);
	for (len = 0; len <= sizeof(src); len++) {
		h = dm__map_hash(src, len, 0);
		assert_true(h == dm__map_hash(src, len, 0));
		for (off = 1; off < 8; off++) {
			memcpy(buf + off, src, len);
			assert_true(h == dm__map_hash(buf + off, len, 0));
		}
		assert_true(h != dm__map_hash(src, len, 1));
	}
	assert_true(dm__map_hash(NULL, 0, 0) == dm__map_hash("", 0, 0));
	assert_true(dm__map_hash_u64(42) == dm__map_hash_u64(42));
}

/* Lengths 0..200 of all-zero bytes, and every prefix of one string, hash
 * differently: the length and every byte count. */
static void test_map__hash_depends_on_length_and_every_byte(void **state)
{
	static unsigned char zeros[200];
	unsigned char s[64];
	uint64_t h[201];
	size_t i, j;

	(void)state;
	for (i = 0; i <= 200; i++) {
		h[i] = dm__map_hash(zeros, i, 0);
		for (j = 0; j < i; j++)
			assert_true(h[i] != h[j]);
	}
	for (i = 0; i < sizeof(s); i++)
		s[i] = (unsigned char)i;
	for (i = 0; i < sizeof(s); i++) {
		uint64_t base = dm__map_hash(s, sizeof(s), 0);

		s[i] ^= 1;
		assert_true(dm__map_hash(s, sizeof(s), 0) != base);
		s[i] ^= 1;
	}
}

/* Flipping one input bit flips about half the output bits. */
static void test_map__hash_avalanches(void **state)
{
	static const size_t lens[] = { 1, 3, 4, 7, 8, 9, 15, 16, 17, 40 };
	util_test_rng rng = { 77 };
	unsigned char key[40];
	size_t li, bit, round, samples;
	uint64_t h, sum, diff;

	(void)state;
	for (li = 0; li < sizeof(lens) / sizeof(lens[0]); li++) {
		sum = 0;
		samples = 0;
		for (round = 0; round < 40; round++) {
			for (bit = 0; bit < sizeof(key); bit++)
				key[bit] = (unsigned char)util_test_rand(&rng);
			h = dm__map_hash(key, lens[li], 0);
			for (bit = 0; bit < lens[li] * 8; bit++) {
				key[bit / 8] ^= (unsigned char)(1u << bit % 8);
				diff = h ^ dm__map_hash(key, lens[li], 0);
				sum += (uint64_t)popcount64(diff);
				key[bit / 8] ^= (unsigned char)(1u << bit % 8);
				samples++;
			}
		}
		assert_in_range(sum * 100 / samples, 2900, 3500);
	}
	sum = 0;
	for (round = 0; round < 200; round++) {
		uint64_t k = util_test_rand(&rng);

		h = dm__map_hash_u64(k);
		for (bit = 0; bit < 64; bit++) {
			diff = h ^ dm__map_hash_u64(k ^ (UINT64_C(1) << bit));
			sum += (uint64_t)popcount64(diff);
		}
	}
	assert_in_range(sum * 100 / (200 * 64), 2900, 3500);
}

/* Names like the ones the map will hold spread evenly over the low bits
 * (the bits a table index uses). */
static void test_map__hash_spreads_similar_keys(void **state)
{
	enum { BUCKETS = 1024, KEYS = 65536 };
	static unsigned counts[BUCKETS];
	static unsigned ucounts[BUCKETS];
	char name[32];
	size_t i;
	int len;

	(void)state;
	memset(counts, 0, sizeof(counts));
	memset(ucounts, 0, sizeof(ucounts));
	for (i = 0; i < KEYS; i++) {
		len = snprintf(name, sizeof(name), "db_%zu.tbl_%zu", i % 37, i);
		counts[dm__map_hash(name, (size_t)len, 0) % BUCKETS]++;
		ucounts[dm__map_hash_u64(i) % BUCKETS]++;
	}
	/* Expected 64 per bucket; a decent hash stays far inside this. */
	for (i = 0; i < BUCKETS; i++) {
		assert_in_range(counts[i], 25, 110);
		assert_in_range(ucounts[i], 25, 110);
	}
}

int util_test_map_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map__empty_map_finds_nothing),
		cmocka_unit_test(test_map__put_get_replace_remove),
		cmocka_unit_test(test_map__keys_are_binary_safe),
		cmocka_unit_test(test_map__put_copies_the_key),
		cmocka_unit_test(test_map__null_values_are_stored),
		cmocka_unit_test(test_map__wrong_kind_and_bad_keys_are_rejected),
		cmocka_unit_test(test_map__u64_keys_cover_full_range),
		cmocka_unit_test(test_map__value_free_owns_dropped_values),
		cmocka_unit_test(test_map__random_bytes_ops_match_model),
		cmocka_unit_test(test_map__random_u64_ops_match_model),
		cmocka_unit_test_teardown(
			test_map__random_ops_under_alloc_failures_match_model,
			util_test_reset_alloc),
		cmocka_unit_test(test_map__tombstone_churn_keeps_table_small),
		cmocka_unit_test(test_map__steady_churn_does_not_grow),
		cmocka_unit_test(test_map__iteration_visits_each_key_once),
		cmocka_unit_test(test_map__iteration_tolerates_removals),
		cmocka_unit_test(test_map__iteration_tolerates_value_replacement),
		cmocka_unit_test(test_map__same_operations_give_same_order),
		cmocka_unit_test(test_map__reserve_prevents_rehash),
		cmocka_unit_test_teardown(
			test_map__put_fails_cleanly_at_every_allocation,
			util_test_reset_alloc),
		cmocka_unit_test(test_map__hash_is_deterministic_and_alignment_free),
		cmocka_unit_test(test_map__hash_depends_on_length_and_every_byte),
		cmocka_unit_test(test_map__hash_avalanches),
		cmocka_unit_test(test_map__hash_spreads_similar_keys),
	};

	return cmocka_run_group_tests_name("util/map", tests, NULL, NULL);
}
