/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bounds-checked little-endian reader over a byte range. Every read
 * either succeeds whole or fails without moving; nothing reads past `end`.
 */
#ifndef DM_LIB_GTID_CURSOR_H
#define DM_LIB_GTID_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct gtid_cur {
	const unsigned char *start;
	size_t len;
	size_t pos;
} gtid_cur;

static inline void cur_init(gtid_cur *c, const void *data, size_t len)
{
	c->start = data;
	c->len = len;
	c->pos = 0;
}

static inline size_t cur_left(const gtid_cur *c)
{
	return c->len - c->pos;
}

static inline bool cur_u8(gtid_cur *c, uint8_t *out)
{
	if (cur_left(c) < 1)
		return false;
	*out = c->start[c->pos++];
	return true;
}

static inline bool cur_le32(gtid_cur *c, uint32_t *out)
{
	const unsigned char *p;

	if (cur_left(c) < 4)
		return false;
	p = c->start + c->pos;
	*out = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
	c->pos += 4;
	return true;
}

static inline bool cur_le64(gtid_cur *c, uint64_t *out)
{
	const unsigned char *p;
	uint64_t v = 0;
	int i;

	if (cur_left(c) < 8)
		return false;
	p = c->start + c->pos;
	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	*out = v;
	c->pos += 8;
	return true;
}

static inline bool cur_bytes(gtid_cur *c, void *out, size_t n)
{
	if (cur_left(c) < n)
		return false;
	if (n == 0)
		return true;
	memcpy(out, c->start + c->pos, n);
	c->pos += n;
	return true;
}

#endif
