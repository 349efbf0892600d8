/* SPDX-License-Identifier: Apache-2.0 */
#include "util/map.h"

#include <stddef.h>
#include <string.h>

#include "dm/err.h"
#include "util/alloc.h"

/*
 * Layout: one allocation holding `cap` slots followed by `cap` control
 * bytes. A control byte is EMPTY, TOMB (a removed entry that probe chains
 * still pass through) or FULL_BIT | the top 7 bits of the entry's hash, so
 * most mismatches are rejected without touching the slot. (count + tombs)
 * stays at or below 3/4 of cap, so every probe meets an EMPTY byte.
 */
#define CTRL_EMPTY 0x00u
#define CTRL_TOMB 0x01u
#define CTRL_FULL_BIT 0x80u
#define MIN_CAP 8

struct dm__map_slot {
	uint64_t hash;
	union {
		unsigned char *bytes;
		uint64_t u64;
	} key;
	size_t len;
	void *value;
};

/* Largest capacity whose slots and control bytes stay within PTRDIFF_MAX. */
#define MAX_CAP ((size_t)PTRDIFF_MAX / (sizeof(struct dm__map_slot) + 1))

/* A key being looked up: either kind, plus its hash. */
struct lookup {
	uint64_t hash;
	const void *bytes;
	size_t len;
	uint64_t u64;
};

/* ------------------------------------------------------------- hashing */

#define K0 UINT64_C(0x9e3779b97f4a7c15)
#define K1 UINT64_C(0xbf58476d1ce4e5b9)
#define K2 UINT64_C(0x94d049bb133111eb)
#define K3 UINT64_C(0xd6e8feb86659fd93)

/* Multiplies to 128 bits and folds the halves together. */
static uint64_t mum(uint64_t a, uint64_t b)
{
#if defined(__SIZEOF_INT128__)
	unsigned __int128 r = (unsigned __int128)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
#else
	uint64_t al = a & 0xffffffffu, ah = a >> 32;
	uint64_t bl = b & 0xffffffffu, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
	uint64_t lo = (ll & 0xffffffffu) | (mid << 32);
	uint64_t hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);

	return lo ^ hi;
#endif
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	       (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	       (uint64_t)p[7] << 56;
}

static uint64_t le32(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24;
}

uint64_t dm__map_hash(const void *key, size_t len, uint64_t seed)
{
	const unsigned char *p = key;
	size_t n = len;
	uint64_t h, a, b;

	h = seed ^ mum(seed ^ K0, K1);
	while (n > 16) {
		h = mum(le64(p) ^ K1, le64(p + 8) ^ h);
		p += 16;
		n -= 16;
	}
	/* The last 1..16 bytes, read as two possibly overlapping words; the
	 * length mixed in below tells the overlaps apart. */
	if (n > 8) {
		a = le64(p);
		b = le64(p + n - 8);
	} else if (n >= 4) {
		a = le32(p) << 32 | le32(p + n - 4);
		b = 0;
	} else if (n > 0) {
		a = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1];
		b = 0;
	} else {
		a = 0;
		b = 0;
	}
	h = mum(a ^ K1, b ^ h ^ K2);
	return mum(h ^ K3, (uint64_t)len ^ K0);
}

uint64_t dm__map_hash_u64(uint64_t key)
{
	/* splitmix64's finalizer: a bijection with good avalanche. */
	uint64_t x = key + K0;

	x = (x ^ (x >> 30)) * K1;
	x = (x ^ (x >> 27)) * K2;
	return x ^ (x >> 31);
}

/* ------------------------------------------------------------- table */

static unsigned char ctrl_tag(uint64_t hash)
{
	return (unsigned char)(CTRL_FULL_BIT | (hash >> 57));
}

static bool is_full(unsigned char c)
{
	return (c & CTRL_FULL_BIT) != 0;
}

static size_t max_load(size_t cap)
{
	return cap - cap / 4;
}

static bool slot_matches(const dm__map *m, const struct dm__map_slot *s,
			 const struct lookup *k)
{
	if (s->hash != k->hash)
		return false;
	if (m->kind == DM__MAP_U64)
		return s->key.u64 == k->u64;
	return s->len == k->len &&
	       (k->len == 0 || memcmp(s->key.bytes, k->bytes, k->len) == 0);
}

/* Slot index of the key, or SIZE_MAX. */
static size_t find_slot(const dm__map *m, const struct lookup *k)
{
	size_t mask, i;
	unsigned char tag, c;

	if (m->count == 0)
		return SIZE_MAX;
	mask = m->cap - 1;
	tag = ctrl_tag(k->hash);
	for (i = (size_t)k->hash & mask;; i = (i + 1) & mask) {
		c = m->ctrl[i];
		if (c == CTRL_EMPTY)
			return SIZE_MAX;
		if (c == tag && slot_matches(m, &m->slots[i], k))
			return i;
	}
}

/* First EMPTY slot of the probe sequence of `hash`. */
static size_t find_empty(const dm__map *m, uint64_t hash)
{
	size_t mask = m->cap - 1, i;

	for (i = (size_t)hash & mask; m->ctrl[i] != CTRL_EMPTY;
	     i = (i + 1) & mask)
		;
	return i;
}

/* Smallest capacity holding `n` entries at no more than half the maximum
 * load: a full table doubles, one clogged with tombstones is rebuilt at its
 * size (or smaller), and either has room for max_load/2 inserts before the
 * next rebuild. 0 when no such capacity can be allocated. */
static size_t cap_for(size_t n)
{
	size_t cap = MIN_CAP;

	while (max_load(cap) / 2 < n) {
		if (cap > MAX_CAP / 2)
			return 0;
		cap *= 2;
	}
	return cap;
}

/* Moves every entry into a fresh table of `cap` slots, dropping the
 * tombstones. The map is unchanged on failure. */
static int rehash(dm__map *m, size_t cap)
{
	struct dm__map_slot *slots;
	unsigned char *ctrl;
	dm__map old = *m;
	size_t i, j;

	if (cap == 0)
		return DM_E_NO_MEMORY;
	slots = dm__malloc(cap * (sizeof(*slots) + 1));
	if (!slots)
		return DM_E_NO_MEMORY;
	ctrl = (unsigned char *)(slots + cap);
	memset(ctrl, CTRL_EMPTY, cap);
	m->slots = slots;
	m->ctrl = ctrl;
	m->cap = cap;
	m->tombs = 0;
	for (i = 0; i < old.cap; i++) {
		if (!is_full(old.ctrl[i]))
			continue;
		j = find_empty(m, old.slots[i].hash);
		m->slots[j] = old.slots[i];
		m->ctrl[j] = old.ctrl[i];
	}
	dm__free(old.slots);
	return 0;
}

static void drop_value(const dm__map *m, void *value)
{
	if (m->value_free)
		m->value_free(value);
}

static void drop_key(const dm__map *m, struct dm__map_slot *s)
{
	if (m->kind == DM__MAP_BYTES)
		dm__free(s->key.bytes);
}

static int insert(void **out, dm__map *m, const struct lookup *k, void *value)
{
	size_t mask, i, tomb = SIZE_MAX;
	struct dm__map_slot *s;
	unsigned char *copy = NULL;
	unsigned char tag = ctrl_tag(k->hash), c;
	void *old;
	int rc;

	if (out)
		*out = NULL;
	if (m->cap) {
		mask = m->cap - 1;
		for (i = (size_t)k->hash & mask;; i = (i + 1) & mask) {
			c = m->ctrl[i];
			if (c == CTRL_EMPTY)
				break;
			if (c == CTRL_TOMB) {
				if (tomb == SIZE_MAX)
					tomb = i;
				continue;
			}
			s = &m->slots[i];
			if (c == tag && slot_matches(m, s, k)) {
				old = s->value;
				s->value = value;
				if (out)
					*out = old;
				else if (old != value)
					drop_value(m, old);
				return 0;
			}
		}
	}

	if (m->kind == DM__MAP_BYTES) {
		copy = dm__memdup(k->bytes, k->len);
		if (!copy)
			return DM_E_NO_MEMORY;
	}
	if (tomb != SIZE_MAX) {
		i = tomb;
		m->tombs--;
	} else {
		if (m->count + m->tombs + 1 > max_load(m->cap)) {
			rc = rehash(m, cap_for(m->count));
			if (rc) {
				dm__free(copy);
				return rc;
			}
		}
		i = find_empty(m, k->hash);
	}
	s = &m->slots[i];
	s->hash = k->hash;
	if (m->kind == DM__MAP_BYTES)
		s->key.bytes = copy;
	else
		s->key.u64 = k->u64;
	s->len = k->len;
	s->value = value;
	m->ctrl[i] = tag;
	m->count++;
	return 0;
}

static void erase(void **out, dm__map *m, size_t i)
{
	size_t mask = m->cap - 1;
	struct dm__map_slot *s = &m->slots[i];
	void *value = s->value;

	drop_key(m, s);
	m->count--;
	/* A chain that reaches an EMPTY slot right after this one ends here,
	 * so this slot and the tombstones just before it can become EMPTY. */
	if (m->ctrl[(i + 1) & mask] != CTRL_EMPTY) {
		m->ctrl[i] = CTRL_TOMB;
		m->tombs++;
	} else {
		m->ctrl[i] = CTRL_EMPTY;
		for (i = (i - 1) & mask; m->ctrl[i] == CTRL_TOMB;
		     i = (i - 1) & mask) {
			m->ctrl[i] = CTRL_EMPTY;
			m->tombs--;
		}
	}
	/* The table is consistent again before user code runs. */
	if (out)
		*out = value;
	else
		drop_value(m, value);
}

/* ------------------------------------------------------------- public */

void dm__map_init(dm__map *m, dm__map_kind kind,
		  void (*value_free)(void *value))
{
	m->slots = NULL;
	m->ctrl = NULL;
	m->cap = 0;
	m->count = 0;
	m->tombs = 0;
	m->kind = kind;
	m->value_free = value_free;
}

void dm__map_clear(dm__map *m)
{
	size_t i;

	for (i = 0; i < m->cap && m->count; i++) {
		if (!is_full(m->ctrl[i]))
			continue;
		drop_value(m, m->slots[i].value);
		drop_key(m, &m->slots[i]);
		m->count--;
	}
	if (m->cap)
		memset(m->ctrl, CTRL_EMPTY, m->cap);
	m->count = 0;
	m->tombs = 0;
}

void dm__map_free(dm__map *m)
{
	if (!m)
		return;
	dm__map_clear(m);
	dm__free(m->slots);
	m->slots = NULL;
	m->ctrl = NULL;
	m->cap = 0;
}

size_t dm__map_count(const dm__map *m)
{
	return m->count;
}

int dm__map_reserve(dm__map *m, size_t n)
{
	size_t cap;

	if (n <= max_load(m->cap) - m->tombs)
		return 0;
	/* cap_for() leaves room for twice n; reserving asks for n only. */
	cap = MIN_CAP;
	while (max_load(cap) < n) {
		if (cap > MAX_CAP / 2)
			return DM_E_NO_MEMORY;
		cap *= 2;
	}
	return rehash(m, cap);
}

static bool valid_bytes(const dm__map *m, const void *key, size_t len)
{
	return m->kind == DM__MAP_BYTES && (key || len == 0);
}

static void bytes_lookup(struct lookup *k, const void *key, size_t len)
{
	k->hash = dm__map_hash(key, len, 0);
	k->bytes = key;
	k->len = len;
	k->u64 = 0;
}

static void u64_lookup(struct lookup *k, uint64_t key)
{
	k->hash = dm__map_hash_u64(key);
	k->bytes = NULL;
	k->len = 0;
	k->u64 = key;
}

bool dm__map_find(void **out, const dm__map *m, const void *key, size_t len)
{
	struct lookup k;
	size_t i;

	if (!valid_bytes(m, key, len))
		return false;
	bytes_lookup(&k, key, len);
	i = find_slot(m, &k);
	if (i == SIZE_MAX)
		return false;
	if (out)
		*out = m->slots[i].value;
	return true;
}

void *dm__map_get(const dm__map *m, const void *key, size_t len)
{
	void *v = NULL;

	dm__map_find(&v, m, key, len);
	return v;
}

int dm__map_put(void **out, dm__map *m, const void *key, size_t len,
		void *value)
{
	struct lookup k;

	if (out)
		*out = NULL;
	if (!valid_bytes(m, key, len))
		return DM_E_INVALID_ARGUMENT;
	bytes_lookup(&k, key, len);
	return insert(out, m, &k, value);
}

bool dm__map_remove(void **out, dm__map *m, const void *key, size_t len)
{
	struct lookup k;
	size_t i;

	if (!valid_bytes(m, key, len))
		return false;
	bytes_lookup(&k, key, len);
	i = find_slot(m, &k);
	if (i == SIZE_MAX)
		return false;
	erase(out, m, i);
	return true;
}

bool dm__map_find_u64(void **out, const dm__map *m, uint64_t key)
{
	struct lookup k;
	size_t i;

	if (m->kind != DM__MAP_U64)
		return false;
	u64_lookup(&k, key);
	i = find_slot(m, &k);
	if (i == SIZE_MAX)
		return false;
	if (out)
		*out = m->slots[i].value;
	return true;
}

void *dm__map_get_u64(const dm__map *m, uint64_t key)
{
	void *v = NULL;

	dm__map_find_u64(&v, m, key);
	return v;
}

int dm__map_put_u64(void **out, dm__map *m, uint64_t key, void *value)
{
	struct lookup k;

	if (out)
		*out = NULL;
	if (m->kind != DM__MAP_U64)
		return DM_E_INVALID_ARGUMENT;
	u64_lookup(&k, key);
	return insert(out, m, &k, value);
}

bool dm__map_remove_u64(void **out, dm__map *m, uint64_t key)
{
	struct lookup k;
	size_t i;

	if (m->kind != DM__MAP_U64)
		return false;
	u64_lookup(&k, key);
	i = find_slot(m, &k);
	if (i == SIZE_MAX)
		return false;
	erase(out, m, i);
	return true;
}

void dm__map_iter_init(dm__map_iter *it, const dm__map *m)
{
	memset(it, 0, sizeof(*it));
	it->map = m;
}

bool dm__map_iter_next(dm__map_iter *it)
{
	const dm__map *m = it->map;
	const struct dm__map_slot *s;

	while (it->pos < m->cap && !is_full(m->ctrl[it->pos]))
		it->pos++;
	if (it->pos >= m->cap) {
		it->key = NULL;
		it->key_len = 0;
		it->key_u64 = 0;
		it->value = NULL;
		return false;
	}
	s = &m->slots[it->pos++];
	if (m->kind == DM__MAP_U64) {
		it->key = NULL;
		it->key_len = 0;
		it->key_u64 = s->key.u64;
	} else {
		it->key = s->key.bytes;
		it->key_len = s->len;
		it->key_u64 = 0;
	}
	it->value = s->value;
	return true;
}

bool dm__map_is_consistent(const dm__map *m)
{
	size_t i, full = 0, tombs = 0;
	const struct dm__map_slot *s;
	struct lookup k;

	if (m->cap == 0)
		return m->count == 0 && m->tombs == 0 && !m->slots;
	if (m->cap < MIN_CAP || (m->cap & (m->cap - 1)) ||
	    m->ctrl != (unsigned char *)(m->slots + m->cap))
		return false;
	for (i = 0; i < m->cap; i++) {
		if (m->ctrl[i] == CTRL_TOMB) {
			tombs++;
			continue;
		}
		if (!is_full(m->ctrl[i])) {
			if (m->ctrl[i] != CTRL_EMPTY)
				return false;
			continue;
		}
		full++;
		s = &m->slots[i];
		if (m->kind == DM__MAP_U64) {
			u64_lookup(&k, s->key.u64);
		} else {
			if (!s->key.bytes)
				return false;
			bytes_lookup(&k, s->key.bytes, s->len);
		}
		/* Stored hash right, and reachable from its home slot. */
		if (k.hash != s->hash || m->ctrl[i] != ctrl_tag(s->hash) ||
		    find_slot(m, &k) != i)
			return false;
	}
	return full == m->count && tombs == m->tombs &&
	       m->count + m->tombs <= max_load(m->cap);
}
