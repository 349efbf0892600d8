/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog: small helpers the printers share (JSON strings, base64,
 * identifiers, column names, character set names).
 */
#include <ctype.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <mysql.h>

#include "dmb.h"

int dmb_out_flush(dmb_out *o, bool force)
{
	const char *p = o->buf.data;
	size_t left = o->buf.len;

	if (left == 0 || (!force && left < (size_t)1 << 18))
		return o->failed ? -1 : 0;
	/* Straight to the descriptor: no second copy through stdio. */
	if (!o->failed && fflush(o->fp) != 0)
		o->failed = true;
	while (!o->failed && left) {
		ssize_t n = write(fileno(o->fp), p, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			o->failed = true;
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	dm_buf_truncate(&o->buf, 0);
	return o->failed ? -1 : 0;
}

int dmb_put_u64(dm_buf *b, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930"
		"31323334353637383940414243444546474849505152535455565758596061"
		"62636465666768697071727374757677787980818283848586878889909192"
		"93949596979899";
	uint64_t t = v;
	unsigned n = 1;
	char *o;

	/* Room for the 20 digits of UINT64_MAX and the NUL, then the digits
	 * written in place, last first, two per division. */
	if ((!b->data || b->cap - b->len <= 21) && dm_buf_reserve(b, 21))
		return DM_E_NO_MEMORY;
	while (t >= 10000) {
		t /= 10000;
		n += 4;
	}
	n += (t >= 10) + (t >= 100) + (t >= 1000);
	o = b->data + b->len + n;
	b->len += n;
	*o = '\0';
	if (v <= UINT32_MAX) {
		uint32_t w = (uint32_t)v;

		while (w >= 100) {
			unsigned d = (w % 100) * 2;

			w /= 100;
			*--o = pairs[d + 1];
			*--o = pairs[d];
		}
		v = w;
	}
	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		*--o = pairs[d + 1];
		*--o = pairs[d];
	}
	if (v >= 10) {
		*--o = pairs[v * 2 + 1];
		*--o = pairs[v * 2];
	} else {
		*--o = (char)('0' + v);
	}
	return 0;
}

int dmb_put_i64(dm_buf *b, int64_t v)
{
	if (v < 0) {
		if (dmb_putc(b, '-'))
			return DM_E_NO_MEMORY;
		return dmb_put_u64(b, (uint64_t)0 - (uint64_t)v);
	}
	return dmb_put_u64(b, (uint64_t)v);
}

int dmb_nomem(dm_error **err)
{
	return dm_error_set(err, DM_E_NO_MEMORY, DMB_PROG ": out of memory");
}

int dmb_put_ident(dm_buf *b, const char *p, size_t n)
{
	size_t i, start = 0;
	int rc = dmb_putc(b, '`');

	for (i = 0; i < n && !rc; i++) {
		if (p[i] != '`')
			continue;
		rc = dmb_append(b, p + start, i + 1 - start);
		if (!rc)
			rc = dmb_putc(b, '`');
		start = i + 1;
	}
	if (!rc)
		rc = dmb_append(b, p + start, n - start);
	return rc ? rc : dmb_putc(b, '`');
}

/* Length of the UTF-8 sequence at p (1..4), or 0 when it is not valid
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	unsigned c = p[0];
	size_t n, k;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	if (left < n)
		return 0;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[k] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Bytes that a JSON string holds as they are: printable ASCII but '"'
 * and '\\'. */
static const unsigned char json_plain[256] = {
	['\x20'] = 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Word tricks: does any byte of x equal b / lie below b (b <= 128)? */
static bool has_byte(uint64_t x, unsigned b)
{
	uint64_t v = x ^ (UINT64_C(0x0101010101010101) * b);

	return ((v - UINT64_C(0x0101010101010101)) & ~v &
		UINT64_C(0x8080808080808080)) != 0;
}

static bool has_less(uint64_t x, unsigned b)
{
	return ((x - UINT64_C(0x0101010101010101) * b) & ~x &
		UINT64_C(0x8080808080808080)) != 0;
}

/* Appends p[0..n) as JSON string contents; invalid bytes become U+FFFD
 * when `lossy`, else the function fails (returns 1) having appended
 * nothing new. */
static int json_body(dm_buf *b, const char *s, size_t n, bool lossy)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t start = b->len, i = 0;
	int rc = 0;

	while (i < n && !rc) {
		size_t j = i, l;
		unsigned char c;

		/* Eight bytes at a time while none needs escaping. */
		while (j + 8 <= n) {
			uint64_t x;

			memcpy(&x, p + j, 8);
			if ((x & UINT64_C(0x8080808080808080)) ||
			    has_less(x, 0x20) || has_byte(x, '"') ||
			    has_byte(x, '\\'))
				break;
			j += 8;
		}
		while (j < n && json_plain[p[j]])
			j++;
		if (j > i)
			rc = dmb_append(b, s + i, j - i);
		i = j;
		if (i >= n || rc)
			break;
		c = p[i];
		if (c >= 0x80) {
			l = utf8_len(p + i, n - i);
			if (l == 0) {
				if (!lossy) {
					dm_buf_truncate(b, start);
					return 1;
				}
				rc = dmb_puts(b, "\xef\xbf\xbd");
				i++;
			} else {
				rc = dmb_append(b, s + i, l);
				i += l;
			}
			continue;
		}
		switch (c) {
		case '"': rc = dmb_puts(b, "\\\""); break;
		case '\\': rc = dmb_puts(b, "\\\\"); break;
		case '\n': rc = dmb_puts(b, "\\n"); break;
		case '\r': rc = dmb_puts(b, "\\r"); break;
		case '\t': rc = dmb_puts(b, "\\t"); break;
		default: {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4],
				      hex[c & 15] };

			rc = dmb_append(b, u, sizeof(u));
		}
		}
		i++;
	}
	return rc;
}

bool dmb_json_str_utf8(dm_buf *b, const char *p, size_t n)
{
	size_t start = b->len;

	if (dmb_putc(b, '"'))
		return false;
	if (json_body(b, p, n, false) != 0 || dmb_putc(b, '"')) {
		dm_buf_truncate(b, start);
		return false;
	}
	return true;
}

int dmb_json_str(dm_buf *b, const char *p, size_t n)
{
	int rc = dmb_putc(b, '"');

	if (!rc)
		rc = json_body(b, p, n, true);
	return rc ? rc : dmb_putc(b, '"');
}

int dmb_json_cstr(dm_buf *b, const char *s)
{
	return dmb_json_str(b, s ? s : "", s ? strlen(s) : 0);
}

int dmb_base64(dm_buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;
	char *o;

	if (n > ((size_t)-1 - 8) / 4 * 3 || dm_buf_reserve(b, (n + 2) / 3 * 4))
		return DM_E_NO_MEMORY;
	o = b->data + b->len;
	for (i = 0; i + 3 <= n; i += 3) {
		unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 |
			     p[i + 2];

		*o++ = tab[v >> 18];
		*o++ = tab[v >> 12 & 63];
		*o++ = tab[v >> 6 & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)p[i] << 16 |
			     (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0);

		*o++ = tab[v >> 18];
		*o++ = tab[v >> 12 & 63];
		*o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
		*o++ = '=';
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
	return 0;
}

int dmb_hex(dm_buf *b, const unsigned char *p, size_t n, bool upper)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i;
	char *o;

	if (n > ((size_t)-1 - 8) / 2 || dm_buf_reserve(b, 2 * n))
		return DM_E_NO_MEMORY;
	o = b->data + b->len;
	for (i = 0; i < n; i++) {
		*o++ = hex[p[i] >> 4];
		*o++ = hex[p[i] & 15];
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
	return 0;
}

bool dmb_col_named(const dm_binlog_table *t)
{
	size_t i;

	if (!t || t->ncols == 0)
		return false;
	for (i = 0; i < t->ncols; i++)
		if (t->cols[i].name.len == 0)
			return false;
	return true;
}

int dmb_col_name(dm_buf *b, const dm_binlog_table *t, size_t i)
{
	if (t && i < t->ncols && t->cols[i].name.len)
		return dmb_append(b, t->cols[i].name.ptr, t->cols[i].name.len);
	return dmb_putc(b, '@') ? DM_E_NO_MEMORY : dmb_put_u64(b, i + 1);
}

const char *dmb_charset_name(unsigned id)
{
	const MARIADB_CHARSET_INFO *cs = mariadb_get_charset_by_nr(id);

	return cs && cs->csname ? cs->csname : NULL;
}

const char *dmb_collation_name(unsigned id)
{
	const MARIADB_CHARSET_INFO *cs = mariadb_get_charset_by_nr(id);

	return cs && cs->name ? cs->name : NULL;
}

void dmb_uuid_text(char out[37], const unsigned char u[16])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

bool dmb_query_is(const dm_binlog_query *q, const char *word)
{
	const char *p = q->query.ptr, *e = p + q->query.len;
	size_t n = strlen(word);

	while (p < e && isspace((unsigned char)*p))
		p++;
	while (e > p && (isspace((unsigned char)e[-1]) || e[-1] == ';'))
		e--;
	return (size_t)(e - p) == n && strncasecmp(p, word, n) == 0;
}
