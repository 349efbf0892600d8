/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounds-checked little-endian (and a few big-endian) readers over a byte
 * range. Every reader returns false, consuming nothing, when the bytes are
 * not there; callers turn that into a positioned error.
 */
#ifndef DM_LIB_BINLOG_CURSOR_H
#define DM_LIB_BINLOG_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct dm__cur {
	const unsigned char *p; /* start of the range */
	size_t n;               /* its length */
	size_t i;               /* bytes consumed */
} dm__cur;

static inline dm__cur cur_make(const void *p, size_t n)
{
	dm__cur c = { (const unsigned char *)p, n, 0 };
	return c;
}

static inline size_t cur_left(const dm__cur *c)
{
	return c->n - c->i;
}

static inline const unsigned char *cur_here(const dm__cur *c)
{
	return c->p + c->i;
}

static inline bool cur_skip(dm__cur *c, size_t k)
{
	if (k > c->n - c->i)
		return false;
	c->i += k;
	return true;
}

static inline bool cur_take(dm__cur *c, size_t k, const unsigned char **out)
{
	if (k > c->n - c->i)
		return false;
	*out = c->p + c->i;
	c->i += k;
	return true;
}

/* Fixed-width little-endian loads: one unaligned load on little-endian
 * hosts (memcpy of a constant size compiles to a plain move). */
static inline uint16_t le16_get(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
#else
	return (uint16_t)(p[0] | p[1] << 8);
#endif
}

static inline uint32_t le32_get(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
#else
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
#endif
}

static inline uint64_t le64_get(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
#else
	return (uint64_t)le32_get(p) | (uint64_t)le32_get(p + 4) << 32;
#endif
}

/* Little-endian unsigned integer of k (0..8) bytes, never reading past
 * p + k. */
static inline uint64_t le_get(const unsigned char *p, size_t k)
{
	switch (k) {
	case 0:
		return 0;
	case 1:
		return p[0];
	case 2:
		return le16_get(p);
	case 3:
		return le16_get(p) | (uint64_t)p[2] << 16;
	case 4:
		return le32_get(p);
	case 5:
		return le32_get(p) | (uint64_t)p[4] << 32;
	case 6:
		return le32_get(p) | (uint64_t)le16_get(p + 4) << 32;
	case 7:
		return le32_get(p) | (uint64_t)le16_get(p + 4) << 32 |
		       (uint64_t)p[6] << 48;
	default:
		return le64_get(p);
	}
}

static inline uint64_t be_get(const unsigned char *p, size_t k)
{
	uint64_t v = 0;
	size_t j;

	for (j = 0; j < k; j++)
		v = (v << 8) | p[j];
	return v;
}

/* Unsigned little-endian integer of k (1..8) bytes. */
static inline bool cur_le(dm__cur *c, size_t k, uint64_t *out)
{
	if (k > c->n - c->i)
		return false;
	*out = le_get(c->p + c->i, k);
	c->i += k;
	return true;
}

static inline bool cur_be(dm__cur *c, size_t k, uint64_t *out)
{
	if (k > c->n - c->i)
		return false;
	*out = be_get(c->p + c->i, k);
	c->i += k;
	return true;
}

static inline bool cur_u8(dm__cur *c, uint8_t *out)
{
	if (c->i >= c->n)
		return false;
	*out = c->p[c->i++];
	return true;
}

static inline bool cur_u16(dm__cur *c, uint16_t *out)
{
	uint64_t v;

	if (!cur_le(c, 2, &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

static inline bool cur_u32(dm__cur *c, uint32_t *out)
{
	uint64_t v;

	if (!cur_le(c, 4, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static inline bool cur_u64(dm__cur *c, uint64_t *out)
{
	return cur_le(c, 8, out);
}

/* MySQL's packed integer (net_field_length): 0..250 in one byte, 0xfc +2,
 * 0xfd +3, 0xfe +8 bytes. 0xfb (NULL) and 0xff are rejected. */
static inline bool cur_packed(dm__cur *c, uint64_t *out)
{
	uint8_t b;
	size_t k;

	if (c->i >= c->n)
		return false;
	b = c->p[c->i];
	if (b < 251) {
		*out = b;
		c->i++;
		return true;
	}
	if (b == 252)
		k = 2;
	else if (b == 253)
		k = 3;
	else if (b == 254)
		k = 8;
	else
		return false;
	if (k + 1 > c->n - c->i)
		return false;
	*out = le_get(c->p + c->i + 1, k);
	c->i += k + 1;
	return true;
}

/* MySQL serialization library variable-length unsigned integer: the count
 * of trailing one bits in the first byte gives the extra bytes. */
static inline bool cur_varlen(dm__cur *c, uint64_t *out)
{
	uint8_t b;
	unsigned ones = 0;
	size_t k;

	if (c->i >= c->n)
		return false;
	b = c->p[c->i];
	while (ones < 8 && (b & (1u << ones)))
		ones++;
	if (ones == 8) {
		if (9 > c->n - c->i)
			return false;
		*out = le_get(c->p + c->i + 1, 8);
		c->i += 9;
		return true;
	}
	k = ones + 1;
	if (k > c->n - c->i)
		return false;
	*out = le_get(c->p + c->i, k) >> k;
	c->i += k;
	return true;
}

#endif
