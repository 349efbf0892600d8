/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm__map: a hash map from keys to `void *` values, open addressing with
 * linear probing and tombstones, grown at 75% load.
 *
 * A map has one key kind, chosen at init: DM__MAP_BYTES (binary-safe keys:
 * pointer + length, copied on insert and owned by the map; use the
 * dm__map_*() calls) or DM__MAP_U64 (64-bit integers stored inline, e.g.
 * binlog table ids; use the dm__map_*_u64() calls). Calls of the other kind
 * fail with DM_E_INVALID_ARGUMENT or find nothing.
 *
 * Values are borrowed pointers unless a `value_free` destructor is given:
 * then the map owns them and calls it on every value it drops (replace
 * without `out`, remove without `out`, clear, free). A value handed back
 * through `out` is the caller's again. value_free must not call into the
 * map that is dropping the value.
 *
 * Hashing is deterministic (no random seed, no global state): the same
 * operations give the same layout and iteration order on every run.
 * Iteration order is otherwise unspecified.
 *
 * Not thread-safe: one thread at a time; const calls (get, find, count,
 * iteration) may run concurrently when nobody writes.
 */
#ifndef DM_LIB_MAP_H
#define DM_LIB_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum dm__map_kind {
	DM__MAP_BYTES = 0,
	DM__MAP_U64 = 1
} dm__map_kind;

struct dm__map_slot;

/* Fields are private; read them only through the functions. */
typedef struct dm__map {
	struct dm__map_slot *slots; /* cap slots, then cap control bytes */
	unsigned char *ctrl;
	size_t cap;                 /* 0 or a power of two */
	size_t count;               /* live entries */
	size_t tombs;               /* removed entries still marking slots */
	dm__map_kind kind;
	void (*value_free)(void *value);
} dm__map;

/* Empty map; allocates nothing. `value_free` may be NULL. */
void dm__map_init(dm__map *m, dm__map_kind kind,
		  void (*value_free)(void *value));
/* Drops every entry (see value_free) and releases the memory; the map stays
 * usable, empty. Accepts NULL. */
void dm__map_free(dm__map *m);
/* Drops every entry, keeps the memory. */
void dm__map_clear(dm__map *m);
/* Number of entries. */
size_t dm__map_count(const dm__map *m);
/* Makes room for `n` entries in total without growing again. */
int dm__map_reserve(dm__map *m, size_t n);

/* Byte keys: `key` may be NULL only when `len` is 0. */

/* Value stored under the key, or NULL when absent (dm__map_find tells a
 * stored NULL apart). */
void *dm__map_get(const dm__map *m, const void *key, size_t len);
/* True when present; then *out (when `out` is not NULL) is the value. */
bool dm__map_find(void **out, const dm__map *m, const void *key, size_t len);
/* Inserts or replaces. The key is copied. On replacing, the old value goes
 * to *out when `out` is not NULL (else to value_free); *out is NULL when the
 * key was new. DM_E_NO_MEMORY leaves the map unchanged. */
int dm__map_put(void **out, dm__map *m, const void *key, size_t len,
		void *value);
/* Removes the key: true when it was there; its value goes to *out when
 * `out` is not NULL (else to value_free). */
bool dm__map_remove(void **out, dm__map *m, const void *key, size_t len);

/* The same for DM__MAP_U64 maps. */
void *dm__map_get_u64(const dm__map *m, uint64_t key);
bool dm__map_find_u64(void **out, const dm__map *m, uint64_t key);
int dm__map_put_u64(void **out, dm__map *m, uint64_t key, void *value);
bool dm__map_remove_u64(void **out, dm__map *m, uint64_t key);

/*
 * Iteration visits each entry exactly once:
 *
 *	dm__map_iter it;
 *	dm__map_iter_init(&it, &m);
 *	while (dm__map_iter_next(&it))
 *		use(it.key, it.key_len, it.value);   (it.key_u64 for U64 maps)
 *
 * While iterating, entries may be removed (the current one or others) and
 * values of existing keys replaced with put; inserting a new key may move
 * entries and ends what the iterator can promise.
 */
typedef struct dm__map_iter {
	const dm__map *map;
	size_t pos;        /* next slot to look at */
	const void *key;   /* BYTES: the map's copy, valid while it is stored */
	size_t key_len;
	uint64_t key_u64;  /* U64 */
	void *value;
} dm__map_iter;

void dm__map_iter_init(dm__map_iter *it, const dm__map *m);
/* Advances to the next entry; false when there is none left. */
bool dm__map_iter_next(dm__map_iter *it);

/* Checks the table's internal invariants (counts, probe chains, stored
 * hashes) in O(capacity); for tests and debugging. */
bool dm__map_is_consistent(const dm__map *m);

/* The hash functions the map uses, for callers that partition by key (e.g.
 * the causality dispatcher). Stable within one build; not cryptographic. */
uint64_t dm__map_hash(const void *key, size_t len, uint64_t seed);
uint64_t dm__map_hash_u64(uint64_t key);

#endif
