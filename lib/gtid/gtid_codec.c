/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binary GTID sets. MySQL: the body of PREVIOUS_GTIDS_LOG_EVENT, also the
 * set carried by COM_BINLOG_DUMP_GTID, in its classic and its tagged
 * (MySQL 8.3+) layout. MariaDB: the body of GTID_LIST_EVENT. Both layouts
 * are spelled out in dm_gtid(3). Pure functions of their input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gtid/gtid_cursor.h"
#include "gtid/gtid_private.h"
#include "util/alloc.h"

#define GNO_END 9223372036854775807ULL /* one past the highest gno */
#define FORMAT_UNTAGGED 0
#define FORMAT_TAGGED 1
#define MARIA_COUNT_MASK 0x0fffffffu

typedef struct bscan {
	gtid_cur cur;
	int status;
	dm_error **err;
} bscan;

static int bfail(bscan *b, size_t at, const char *fmt, ...) DM_PRINTF(3, 4);

static int bfail(bscan *b, size_t at, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return dm_error_set(b->err, b->status, "%s at byte %zu of %zu", what,
			    at, b->cur.len);
}

/* The variable-length unsigned integer of MySQL's serialization library:
 * the number of trailing one bits of the first byte is the number of bytes
 * that follow; the value is the remaining bits, little-endian. */
static bool cur_varlen(gtid_cur *c, uint64_t *out)
{
	uint8_t b0;
	unsigned ones = 0, nb, i;
	uint64_t rest = 0, v;
	unsigned char more[8];

	if (!cur_u8(c, &b0))
		return false;
	while (ones < 8 && (b0 >> ones) & 1)
		ones++;
	nb = ones + 1;
	if (!cur_bytes(c, more, nb - 1)) {
		c->pos--;
		return false;
	}
	v = nb < 8 ? (uint64_t)(b0 >> nb) : 0;
	for (i = nb - 1; i > 0; i--)
		rest = rest << 8 | more[i - 1];
	*out = v | rest << (nb == 9 ? 0 : 8 - nb);
	return true;
}

static int decode_tag(bscan *b, char *tag, size_t *tag_len)
{
	size_t at = b->cur.pos, i;
	uint64_t n;
	char raw[DM_GTID_TAG_MAX + 1];

	if (!cur_varlen(&b->cur, &n))
		return bfail(b, at, "truncated tag length");
	if (n > DM_GTID_TAG_MAX)
		return bfail(b, at, "tag length %llu above %d",
			     (unsigned long long)n, DM_GTID_TAG_MAX);
	if (!cur_bytes(&b->cur, raw, (size_t)n))
		return bfail(b, at, "truncated tag of %llu bytes",
			     (unsigned long long)n);
	raw[n] = '\0';
	for (i = 0; i < n; i++)
		if (raw[i] == '\0')
			break;
	if (i < n || !dm__gtid_tag_normalize(tag, tag_len, raw))
		return bfail(b, at, "invalid tag");
	return 0;
}

static int decode_source(bscan *b, dm_gtid_set *set, bool tagged)
{
	unsigned char uuid[16];
	char tag[DM_GTID_TAG_MAX + 1] = "";
	size_t tag_len = 0, at = b->cur.pos, k;
	uint64_t n, prev_end = 0;
	int rc;

	if (!cur_bytes(&b->cur, uuid, 16))
		return bfail(b, at, "truncated source UUID");
	if (tagged) {
		rc = decode_tag(b, tag, &tag_len);
		if (rc)
			return rc;
	}
	at = b->cur.pos;
	if (!cur_le64(&b->cur, &n))
		return bfail(b, at, "truncated interval count");
	if (n > cur_left(&b->cur) / 16)
		return bfail(b, at, "%llu intervals do not fit in %zu bytes",
			     (unsigned long long)n, cur_left(&b->cur));
	for (k = 0; k < n; k++) {
		uint64_t start = 0, end = 0;

		at = b->cur.pos;
		cur_le64(&b->cur, &start); /* room checked above */
		cur_le64(&b->cur, &end);
		if (start <= prev_end || end <= start || end > GNO_END)
			return bfail(b, at,
				     "interval [%llu, %llu) is empty, out of "
				     "range or not after the one before",
				     (unsigned long long)start,
				     (unsigned long long)end);
		if (dm__gtid_add_iv(set, uuid, tag, tag_len, start, end - 1))
			return dm_error_set(b->err, DM_E_NO_MEMORY,
					    "decoding a GTID set");
		prev_end = end;
	}
	return 0;
}

int dm_gtid_set_decode_mysql(dm_gtid_set **out, const void *data, size_t len,
			     size_t *used, dm_error **err)
{
	bscan b;
	dm_gtid_set *set = NULL;
	uint64_t word, n, i;
	unsigned format;
	int rc = 0;

	if (out)
		*out = NULL;
	if (!out || (!data && len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_decode_mysql: NULL argument");
	cur_init(&b.cur, data, len);
	b.status = DM_E_BINLOG_DECODE_MYSQL_GTID_SET;
	b.err = err;
	if (!cur_le64(&b.cur, &word))
		return bfail(&b, 0, "no room for the 8-byte source count");
	format = (unsigned)(word >> 56);
	if (format == FORMAT_UNTAGGED)
		n = word & 0x00ffffffffffffffULL;
	else if (format == FORMAT_TAGGED)
		n = (word >> 8) & 0x0000ffffffffffffULL;
	else
		return bfail(&b, 7, "unknown GTID set encoding format %u",
			     format);
	/* Each source takes at least 24 bytes (25 when tagged). */
	if (n > cur_left(&b.cur) / (format == FORMAT_TAGGED ? 25 : 24))
		return bfail(&b, 0, "%llu sources do not fit in %zu bytes",
			     (unsigned long long)n, cur_left(&b.cur));
	set = dm__gtid_set_alloc(DM_GTID_MYSQL);
	if (!set)
		return dm_error_set(err, DM_E_NO_MEMORY, "decoding a GTID set");
	for (i = 0; i < n && !rc; i++)
		rc = decode_source(&b, set, format == FORMAT_TAGGED);
	if (!rc && !used && b.cur.pos != len)
		rc = bfail(&b, b.cur.pos, "%zu bytes after the GTID set",
			   len - b.cur.pos);
	if (rc) {
		dm_gtid_set_free(set);
		return rc;
	}
	if (used)
		*used = b.cur.pos;
	*out = set;
	return 0;
}

static unsigned char *put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		*p++ = (unsigned char)(v >> (8 * i));
	return p;
}

static unsigned char *put_le32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		*p++ = (unsigned char)(v >> (8 * i));
	return p;
}

int dm_gtid_set_encode_mysql(dm_buf *out, const dm_gtid_set *set,
			     unsigned flags)
{
	const gtid_src *s;
	bool skip = flags & DM_GTID_ENCODE_SKIP_TAGGED, tagged = false;
	size_t i, k, n = 0, size = 8;
	unsigned char *p, *start;
	int rc;

	if (!out || !set || (flags & ~DM_GTID_ENCODE_SKIP_TAGGED))
		return DM_E_INVALID_ARGUMENT;
	if (set->flavor != DM_GTID_MYSQL)
		return DM_E_NOT_MYSQL_GTID;
	s = DM__VEC_DATA(&set->srcs, const gtid_src);
	for (i = 0; i < set->srcs.len; i++)
		if (s[i].tag_len && !skip)
			tagged = true;
	for (i = 0; i < set->srcs.len; i++) {
		if (s[i].tag_len && skip)
			continue;
		n++;
		size += 16 + 8 + 16 * s[i].ivs.len;
		if (tagged)
			size += 1 + s[i].tag_len;
	}
	rc = dm_buf_reserve(out, size);
	if (rc)
		return rc;
	start = p = (unsigned char *)out->data + out->len;
	p = put_le64(p, tagged ? (uint64_t)FORMAT_TAGGED << 56 |
					 (uint64_t)n << 8 | FORMAT_TAGGED
			       : (uint64_t)n);
	for (i = 0; i < set->srcs.len; i++) {
		const gtid_iv *iv = DM__VEC_DATA(&s[i].ivs, const gtid_iv);

		if (s[i].tag_len && skip)
			continue;
		memcpy(p, s[i].uuid, 16);
		p += 16;
		if (tagged) {
			/* One-byte varlen: the length shifted left once. */
			*p++ = (unsigned char)(s[i].tag_len << 1);
			memcpy(p, s[i].tag, s[i].tag_len);
			p += s[i].tag_len;
		}
		p = put_le64(p, s[i].ivs.len);
		for (k = 0; k < s[i].ivs.len; k++) {
			p = put_le64(p, iv[k].first);
			p = put_le64(p, iv[k].last + 1);
		}
	}
	out->len += (size_t)(p - start);
	out->data[out->len] = '\0';
	return 0;
}

int dm_gtid_set_decode_mariadb(dm_gtid_set **out, unsigned *out_flags,
			       const void *data, size_t len, size_t *used,
			       dm_error **err)
{
	bscan b;
	dm_gtid_set *set;
	uint32_t word, count, i;

	if (out)
		*out = NULL;
	if (!out || (!data && len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_decode_mariadb: NULL argument");
	cur_init(&b.cur, data, len);
	b.status = DM_E_BINLOG_PARSE_MARIADB_GTID_SET;
	b.err = err;
	if (!cur_le32(&b.cur, &word))
		return bfail(&b, 0, "no room for the 4-byte GTID count");
	count = word & MARIA_COUNT_MASK;
	if (count > cur_left(&b.cur) / 16)
		return bfail(&b, 0, "%u GTIDs do not fit in %zu bytes",
			     (unsigned)count, cur_left(&b.cur));
	set = dm__gtid_set_alloc(DM_GTID_MARIADB);
	if (!set)
		return dm_error_set(err, DM_E_NO_MEMORY, "decoding a GTID list");
	for (i = 0; i < count; i++) {
		uint32_t domain = 0, server = 0;
		uint64_t seq = 0;

		/* room checked above */
		cur_le32(&b.cur, &domain);
		cur_le32(&b.cur, &server);
		cur_le64(&b.cur, &seq);
		if (dm__gtid_add_maria(set, domain, server, seq) != 0) {
			dm_gtid_set_free(set);
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "decoding a GTID list");
		}
	}
	if (out_flags)
		*out_flags = word >> 28;
	if (used)
		*used = b.cur.pos;
	*out = set;
	return 0;
}

int dm_gtid_set_encode_mariadb(dm_buf *out, const dm_gtid_set *set,
			       unsigned flags)
{
	const gtid_maria *m;
	unsigned char *p, *start;
	size_t i, n;
	int rc;

	if (!out || !set || flags > 15)
		return DM_E_INVALID_ARGUMENT;
	if (set->flavor != DM_GTID_MARIADB)
		return DM_E_NOT_MARIADB_GTID;
	n = set->maria.len;
	if (n > MARIA_COUNT_MASK)
		return DM_E_INVALID_ARGUMENT;
	rc = dm_buf_reserve(out, 4 + 16 * n);
	if (rc)
		return rc;
	m = DM__VEC_DATA(&set->maria, const gtid_maria);
	start = p = (unsigned char *)out->data + out->len;
	p = put_le32(p, (uint32_t)n | (uint32_t)flags << 28);
	for (i = 0; i < n; i++) {
		p = put_le32(p, m[i].domain);
		p = put_le32(p, m[i].server);
		p = put_le64(p, m[i].seq);
	}
	out->len += (size_t)(p - start);
	out->data[out->len] = '\0';
	return 0;
}
