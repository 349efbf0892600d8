/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MySQL binary JSON to text, and PARTIAL_UPDATE_ROWS JSON diffs.
 *
 * The layout (MySQL sql/json_binary.h):
 *   doc    ::= type value
 *   object ::= count size key-entry* value-entry* key* value*
 *   array  ::= count size value-entry* value*
 * count, size and offsets are little-endian uint16 in the small formats and
 * uint32 in the large ones; offsets count from the count field. A key entry
 * is offset + uint16 length; a value entry is a type byte + an offset, or
 * the value itself for literals and [u]int16 (and [u]int32 in the large
 * formats). A string is a variable-length length (7 bits a byte, low bits
 * first, at most 5 bytes) + bytes; an opaque value is a MySQL field type
 * byte + such a length + bytes.
 *
 * to_text streams the document straight into the output. apply_diffs builds
 * a small tree (scalars point into the input buffers), edits it, prints it.
 * Both read through the same checked helpers. A bitmap records which bytes
 * each value has taken, so no two values share bytes: that bounds the work
 * and the output by the input size.
 */
#include "value/jsonbin.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/utf8.h"
#include "util/vec.h"

enum {
	JB_SMALL_OBJECT = 0x00,
	JB_LARGE_OBJECT = 0x01,
	JB_SMALL_ARRAY = 0x02,
	JB_LARGE_ARRAY = 0x03,
	JB_LITERAL = 0x04,
	JB_INT16 = 0x05,
	JB_UINT16 = 0x06,
	JB_INT32 = 0x07,
	JB_UINT32 = 0x08,
	JB_INT64 = 0x09,
	JB_UINT64 = 0x0a,
	JB_DOUBLE = 0x0b,
	JB_STRING = 0x0c,
	JB_OPAQUE = 0x0f
};

enum { LIT_NULL = 0, LIT_TRUE = 1, LIT_FALSE = 2 };

/* MySQL enum_field_types values that print specially inside JSON. */
enum {
	FT_TIMESTAMP = 7,
	FT_DATE = 10,
	FT_TIME = 11,
	FT_DATETIME = 12,
	FT_NEWDECIMAL = 246,
	FT_VAR_STRING = 253
};

enum { OP_REPLACE = 0, OP_INSERT = 1, OP_REMOVE = 2 };

/* Bitmaps of documents up to this size live on the stack. */
#define STACK_MAP_BYTES 512

/* ------------------------------------------------------------ reading */

/* One buffer being read: a document, or the diff list. */
struct rd {
	const unsigned char *p;
	size_t len;
	size_t base;          /* offset of p[0] in the caller's buffer */
	const char *name;     /* what it is, for messages */
	unsigned char *taken; /* bitmap of bytes owned by a value; may be NULL */
	dm_error **err;
};

static int fail(const struct rd *r, size_t off, const char *fmt, ...)
	DM_PRINTF(3, 4);

static int fail(const struct rd *r, size_t off, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return dm_error_set(r->err, DM_E_BINLOG_EVENT_DECODE, "%s, byte %zu: %s",
			    r->name, r->base + off, what);
}

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Marks bytes [off, off+n) as owned; a byte owned twice is an error. */
static int take(const struct rd *r, size_t off, size_t n)
{
	size_t i = off, end = off + n;

	if (!r->taken)
		return 0;
	while (i < end) {
		unsigned char *m = &r->taken[i >> 3];

		if ((i & 7) == 0 && end - i >= 8 && *m == 0) {
			*m = 0xff;
			i += 8;
			continue;
		}
		if (*m & (1u << (i & 7)))
			return fail(r, i, "this byte belongs to two values");
		*m |= (unsigned char)(1u << (i & 7));
		i++;
	}
	return 0;
}

/* Reads a variable-length length at off (at most `avail` bytes). */
static int read_varlen(const struct rd *r, size_t off, size_t avail,
		       uint32_t *out, size_t *nbytes)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 5; i++) {
		if (i == avail)
			return fail(r, off, "length field runs past the end of the value");
		v |= (uint64_t)(r->p[off + i] & 0x7f) << (7 * i);
		if (!(r->p[off + i] & 0x80)) {
			if (v > UINT32_MAX)
				return fail(r, off, "length field exceeds 32 bits");
			*out = (uint32_t)v;
			*nbytes = i + 1;
			return 0;
		}
	}
	return fail(r, off, "length field longer than 5 bytes");
}

/* A decoded scalar. Strings and opaque payloads point into the input. */
struct scalar {
	unsigned char type; /* JB_LITERAL ... JB_OPAQUE */
	unsigned char lit;  /* LIT_* */
	unsigned char ftype; /* field type of an opaque value */
	int64_t i;
	uint64_t u;
	double d;
	const unsigned char *s;
	size_t n;
};

/* ------------------------------------------------------------ DECIMAL */

static const unsigned char dig2bytes[10] = { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 };
static const int32_t pow10_i32[10] = { 1,      10,      100,      1000,
				       10000,  100000,  1000000,  10000000,
				       100000000, 1000000000 };

/* Big-endian, sign-extended, then flipped for negative numbers: how MySQL's
 * bin2decimal reads one group of digits. */
static int32_t dec_group(const unsigned char *p, size_t n, int32_t mask)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n < 4 && (p[0] & 0x80))
		v |= ~(uint32_t)0 << (8 * n);
	return (int32_t)(v ^ (uint32_t)mask);
}

static void put_digits(char *to, int32_t v, int ndig)
{
	int k;

	for (k = ndig - 1; k >= 0; k--) {
		to[k] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* Longest text: sign, 65 digits, point, NUL. */
#define DECIMAL_TEXT_MAX 72

/* Formats a JSON DECIMAL payload (precision byte, scale byte, MySQL binary
 * decimal) as MySQL's decimal2string does: no leading zeros, "0" for an
 * empty integer part, exactly `scale` fraction digits. Returns NULL, or
 * why the payload is malformed. */
static const char *format_decimal(char *out, size_t *olen,
				  const unsigned char *b, size_t n)
{
	unsigned prec, scale, intg, intg0, intg0x, frac0, frac0x, k;
	unsigned char v[40];
	char digits[80];
	size_t size, pos = 0, nd = 0, lead = 0, o = 0;
	int32_t mask, x;

	if (n < 2)
		return "DECIMAL value lacks its precision and scale bytes";
	prec = b[0];
	scale = b[1];
	if (prec < 1 || prec > 65 || scale > 30 || scale > prec)
		return "DECIMAL precision or scale out of range";
	intg = prec - scale;
	intg0 = intg / 9;
	intg0x = intg % 9;
	frac0 = scale / 9;
	frac0x = scale % 9;
	size = intg0 * 4 + dig2bytes[intg0x] + frac0 * 4 + dig2bytes[frac0x];
	if (n - 2 != size)
		return "DECIMAL payload size does not match its precision and scale";
	memcpy(v, b + 2, size);
	mask = (v[0] & 0x80) ? 0 : -1;
	v[0] ^= 0x80;
	if (intg0x) {
		x = dec_group(v, dig2bytes[intg0x], mask);
		pos += dig2bytes[intg0x];
		if (x < 0 || x >= pow10_i32[intg0x])
			return "DECIMAL digit group out of range";
		put_digits(digits + nd, x, (int)intg0x);
		nd += intg0x;
	}
	for (k = 0; k < intg0 + frac0; k++) {
		x = dec_group(v + pos, 4, mask);
		pos += 4;
		if (x < 0 || x > 999999999)
			return "DECIMAL digit group out of range";
		put_digits(digits + nd, x, 9);
		nd += 9;
	}
	if (frac0x) {
		x = dec_group(v + pos, dig2bytes[frac0x], mask);
		if (x < 0 || x >= pow10_i32[frac0x])
			return "DECIMAL digit group out of range";
		put_digits(digits + nd, x, (int)frac0x);
		nd += frac0x;
	}
	/* digits: intg integer digits, then scale fraction digits. */
	if (mask)
		out[o++] = '-';
	while (lead < intg && digits[lead] == '0')
		lead++;
	if (lead == intg) {
		out[o++] = '0';
	} else {
		memcpy(out + o, digits + lead, intg - lead);
		o += intg - lead;
	}
	if (scale) {
		out[o++] = '.';
		memcpy(out + o, digits + intg, scale);
		o += scale;
	}
	out[o] = '\0';
	*olen = o;
	return NULL;
}

/* ----------------------------------------------------------- scalars */

static int check_opaque(const struct rd *r, size_t off,
			const struct scalar *s)
{
	char tmp[DECIMAL_TEXT_MAX];
	const char *why;
	size_t n;

	switch (s->ftype) {
	case FT_NEWDECIMAL:
		why = format_decimal(tmp, &n, s->s, s->n);
		return why ? fail(r, off, "%s", why) : 0;
	case FT_DATE:
	case FT_TIME:
	case FT_DATETIME:
	case FT_TIMESTAMP:
		if (s->n != 8)
			return fail(r, off,
				    "temporal value of field type %u has %zu bytes, not 8",
				    s->ftype, s->n);
		return 0;
	default:
		return 0;
	}
}

/* Decodes a scalar of type `t` at off, with `avail` bytes up to the end of
 * its container. `own` marks its bytes as taken (not for inlined values,
 * whose bytes belong to the entry). */
static int read_scalar(const struct rd *r, unsigned t, size_t off,
		       size_t avail, bool own, struct scalar *s)
{
	static const unsigned char width[16] = {
		[JB_LITERAL] = 1, [JB_INT16] = 2,  [JB_UINT16] = 2,
		[JB_INT32] = 4,   [JB_UINT32] = 4, [JB_INT64] = 8,
		[JB_UINT64] = 8,  [JB_DOUBLE] = 8,
	};
	size_t need, lb;
	uint32_t n;
	uint64_t bits;
	int rc;

	memset(s, 0, sizeof(*s));
	s->type = (unsigned char)t;
	switch (t) {
	case JB_LITERAL:
	case JB_INT16:
	case JB_UINT16:
	case JB_INT32:
	case JB_UINT32:
	case JB_INT64:
	case JB_UINT64:
	case JB_DOUBLE:
		need = width[t];
		if (avail < need)
			return fail(r, off,
				    "%zu-byte number runs past the end (%zu bytes left)",
				    need, avail);
		break;
	case JB_STRING:
		rc = read_varlen(r, off, avail, &n, &lb);
		if (rc)
			return rc;
		if (n > avail - lb)
			return fail(r, off,
				    "string of %" PRIu32 " bytes runs past the end (%zu bytes left)",
				    n, avail - lb);
		s->s = r->p + off + lb;
		s->n = n;
		need = lb + n;
		break;
	case JB_OPAQUE:
		if (avail < 1)
			return fail(r, off, "opaque value lacks its field type");
		s->ftype = r->p[off];
		rc = read_varlen(r, off + 1, avail - 1, &n, &lb);
		if (rc)
			return rc;
		if (n > avail - 1 - lb)
			return fail(r, off,
				    "opaque value of %" PRIu32 " bytes runs past the end (%zu bytes left)",
				    n, avail - 1 - lb);
		s->s = r->p + off + 1 + lb;
		s->n = n;
		need = 1 + lb + n;
		rc = check_opaque(r, off, s);
		if (rc)
			return rc;
		break;
	default:
		return fail(r, off > 0 ? off - 1 : 0, "unknown value type 0x%02x",
			    t);
	}
	switch (t) {
	case JB_LITERAL:
		s->lit = r->p[off];
		if (s->lit > LIT_FALSE)
			return fail(r, off, "unknown literal 0x%02x", s->lit);
		break;
	case JB_INT16:
		s->i = (int16_t)le16(r->p + off);
		break;
	case JB_UINT16:
		s->u = le16(r->p + off);
		break;
	case JB_INT32:
		s->i = (int32_t)le32(r->p + off);
		break;
	case JB_UINT32:
		s->u = le32(r->p + off);
		break;
	case JB_INT64:
		s->i = (int64_t)le64(r->p + off);
		break;
	case JB_UINT64:
		s->u = le64(r->p + off);
		break;
	case JB_DOUBLE:
		bits = le64(r->p + off);
		memcpy(&s->d, &bits, sizeof(s->d));
		if (!isfinite(s->d))
			return fail(r, off, "double is not a finite number");
		break;
	default:
		break;
	}
	return own ? take(r, off, need) : 0;
}

/* --------------------------------------------------------- containers */

static bool is_container(unsigned t)
{
	return t <= JB_LARGE_ARRAY;
}

/* An array or object being read. Offsets are absolute in the buffer. */
struct box {
	size_t off;    /* of its count field, just after its type byte */
	size_t bytes;  /* its size */
	size_t hdr;    /* count, size and the entries */
	uint32_t count;
	size_t osz;    /* 2 or 4 */
	bool large, object;
};

static int open_box(const struct rd *r, unsigned t, size_t off, size_t avail,
		    unsigned depth, struct box *b)
{
	const char *kind;
	uint64_t hdr;

	b->large = t == JB_LARGE_OBJECT || t == JB_LARGE_ARRAY;
	b->object = t == JB_SMALL_OBJECT || t == JB_LARGE_OBJECT;
	b->osz = b->large ? 4 : 2;
	b->off = off;
	kind = b->object ? "object" : "array";
	if (depth > DM__JSONBIN_MAX_DEPTH)
		return fail(r, off, "arrays and objects nested deeper than %d",
			    DM__JSONBIN_MAX_DEPTH);
	if (avail < 2 * b->osz)
		return fail(r, off,
			    "%s header needs %zu bytes, only %zu left", kind,
			    2 * b->osz, avail);
	b->count = b->large ? le32(r->p + off) : le16(r->p + off);
	b->bytes = b->large ? le32(r->p + off + 4) : le16(r->p + off + 2);
	if (b->bytes > avail)
		return fail(r, off, "%s of %zu bytes runs past the end (%zu bytes left)",
			    kind, b->bytes, avail);
	hdr = 2 * (uint64_t)b->osz +
	      (uint64_t)b->count * (1 + b->osz + (b->object ? 2 + b->osz : 0));
	if (hdr > b->bytes)
		return fail(r, off,
			    "%s of %zu bytes cannot hold its header and the entries of its %" PRIu32 " elements",
			    kind, b->bytes, b->count);
	b->hdr = (size_t)hdr;
	return take(r, off, b->hdr);
}

/* Element i of a box: an inlined scalar, or where the value lies. */
struct item {
	unsigned type;
	bool inlined;
	size_t off;   /* non-inlined: the value's offset */
	size_t avail; /* bytes from there to the end of the box */
	struct scalar s;
};

static bool known_type(unsigned t)
{
	return t <= JB_STRING || t == JB_OPAQUE;
}

static bool is_inlined(unsigned t, bool large)
{
	return t == JB_LITERAL || t == JB_INT16 || t == JB_UINT16 ||
	       (large && (t == JB_INT32 || t == JB_UINT32));
}

static int box_item(const struct rd *r, const struct box *b, uint32_t i,
		    struct item *it)
{
	size_t keys = b->object ? (size_t)b->count * (2 + b->osz) : 0;
	size_t e = b->off + 2 * b->osz + keys + (size_t)i * (1 + b->osz);
	uint32_t voff;

	it->type = r->p[e];
	if (!known_type(it->type))
		return fail(r, e, "value %" PRIu32 " has unknown type 0x%02x", i,
			    it->type);
	it->inlined = is_inlined(it->type, b->large);
	if (it->inlined)
		return read_scalar(r, it->type, e + 1, b->osz, false, &it->s);
	voff = b->large ? le32(r->p + e + 1) : le16(r->p + e + 1);
	if (voff < b->hdr || voff >= b->bytes)
		return fail(r, e,
			    "value %" PRIu32 " points to offset %" PRIu32
			    ", outside its container's data (%zu..%zu)",
			    i, voff, b->hdr, b->bytes);
	it->off = b->off + voff;
	it->avail = b->bytes - voff;
	return 0;
}

/* MySQL's key order: shorter keys first, then bytewise. */
static int key_cmp(const unsigned char *a, size_t an, const unsigned char *b,
		   size_t bn)
{
	if (an != bn)
		return an < bn ? -1 : 1;
	return an ? memcmp(a, b, an) : 0;
}

/* Key i of an object; it must sort after `prev` (NULL for the first). */
static int box_key(const struct rd *r, const struct box *b, uint32_t i,
		   const unsigned char *prev, size_t prevn,
		   const unsigned char **key, size_t *keyn)
{
	size_t e = b->off + 2 * b->osz + (size_t)i * (2 + b->osz);
	uint32_t koff = b->large ? le32(r->p + e) : le16(r->p + e);
	uint32_t klen = le16(r->p + e + b->osz);
	int rc;

	if (koff < b->hdr || klen > b->bytes || koff > b->bytes - klen)
		return fail(r, e,
			    "key %" PRIu32 " (%" PRIu32 " bytes at offset %" PRIu32
			    ") lies outside its object's data (%zu..%zu)",
			    i, klen, koff, b->hdr, b->bytes);
	rc = take(r, b->off + koff, klen);
	if (rc)
		return rc;
	*key = r->p + b->off + koff;
	*keyn = klen;
	if (prev && key_cmp(prev, prevn, *key, *keyn) >= 0)
		return fail(r, e, "key %" PRIu32 " is %s", i,
			    key_cmp(prev, prevn, *key, *keyn) ? "out of order"
							      : "a duplicate");
	return 0;
}

/* ------------------------------------------------------------ printing */

static int put_string(dm_buf *out, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;
	int rc;

	rc = dm_buf_reserve(out, n + 2);
	if (rc)
		return rc;
	rc = dm_buf_putc(out, '"');
	for (i = 0; !rc && i < n; i++) {
		unsigned char c = s[i];
		char esc[7] = { '\\', 0, 0, 0, 0, 0, 0 };
		size_t elen = 2;

		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			if (c >= 0x20) {
				run++;
				continue;
			}
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			elen = 6;
		}
		rc = dm_buf_append(out, s + i - run, run);
		run = 0;
		if (!rc)
			rc = dm_buf_append(out, esc, elen);
	}
	if (!rc)
		rc = dm_buf_append(out, s + n - run, run);
	return rc ? rc : dm_buf_putc(out, '"');
}

/* MySQL's base64 (mysys/base64.cc): a newline before every group of four
 * characters that would follow 76 others on a line, inside a JSON string
 * (so the newline prints as \n). */
static int put_base64_opaque(dm_buf *out, unsigned ftype,
			     const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, line = 0;
	int rc;

	rc = dm_buf_printf(out, "\"base64:type%u:", ftype);
	if (!rc)
		rc = dm_buf_reserve(out, n / 3 * 4 + n / 57 * 2 + 8);
	for (i = 0; !rc && i < n; i += 3) {
		uint32_t c = (uint32_t)s[i] << 16;
		char q[4];

		if (line == 76) {
			rc = dm_buf_append(out, "\\n", 2);
			line = 0;
		}
		if (i + 1 < n)
			c |= (uint32_t)s[i + 1] << 8;
		if (i + 2 < n)
			c |= s[i + 2];
		q[0] = tab[c >> 18 & 63];
		q[1] = tab[c >> 12 & 63];
		q[2] = i + 1 < n ? tab[c >> 6 & 63] : '=';
		q[3] = i + 2 < n ? tab[c & 63] : '=';
		if (!rc)
			rc = dm_buf_append(out, q, 4);
		line += 4;
	}
	return rc ? rc : dm_buf_putc(out, '"');
}

/* The packed temporal formats of MySQL (my_time.cc, *_packed). */
static int put_temporal(dm_buf *out, unsigned ftype, const unsigned char *p)
{
	int64_t packed = (int64_t)le64(p);
	uint64_t t = packed < 0 ? 0 - (uint64_t)packed : (uint64_t)packed;
	unsigned frac = (unsigned)(t & 0xffffff);
	uint64_t ip = t >> 24;

	if (ftype == FT_TIME) {
		return dm_buf_printf(out, "\"%s%02u:%02u:%02u.%06u\"",
				     packed < 0 ? "-" : "",
				     (unsigned)(ip >> 12 & 1023),
				     (unsigned)(ip >> 6 & 63), (unsigned)(ip & 63),
				     frac);
	} else {
		uint64_t ymd = ip >> 17, ym = ymd >> 5, hms = ip & 0x1ffff;
		unsigned year = (unsigned)(ym / 13), month = (unsigned)(ym % 13);
		unsigned day = (unsigned)(ymd & 31);

		if (ftype == FT_DATE)
			return dm_buf_printf(out, "\"%04u-%02u-%02u\"", year,
					     month, day);
		return dm_buf_printf(out,
				     "\"%04u-%02u-%02u %02u:%02u:%02u.%06u\"",
				     year, month, day, (unsigned)(hms >> 12),
				     (unsigned)(hms >> 6 & 63),
				     (unsigned)(hms & 63), frac);
	}
}

static int put_scalar(dm_buf *out, const struct scalar *s)
{
	char dec[DECIMAL_TEXT_MAX];
	size_t n;

	switch (s->type) {
	case JB_LITERAL:
		return dm_buf_puts(out, s->lit == LIT_NULL   ? "null"
					: s->lit == LIT_TRUE ? "true"
							     : "false");
	case JB_INT16:
	case JB_INT32:
	case JB_INT64:
		return dm_buf_printf(out, "%" PRId64, s->i);
	case JB_UINT16:
	case JB_UINT32:
	case JB_UINT64:
		return dm_buf_printf(out, "%" PRIu64, s->u);
	case JB_DOUBLE:
		return dm__jsonbin_format_double(out, s->d);
	case JB_STRING:
		return put_string(out, s->s, s->n);
	default:
		break;
	}
	switch (s->ftype) {
	case FT_VAR_STRING:
		/* MySQL 8.0 prints strings stored as opaque as strings. */
		return put_string(out, s->s, s->n);
	case FT_NEWDECIMAL:
		if (format_decimal(dec, &n, s->s, s->n))
			return DM_E_INVALID_ARGUMENT; /* checked when read */
		return dm_buf_append(out, dec, n);
	case FT_DATE:
	case FT_TIME:
	case FT_DATETIME:
	case FT_TIMESTAMP:
		if (s->n != 8)
			return DM_E_INVALID_ARGUMENT; /* checked when read */
		return put_temporal(out, s->ftype, s->s);
	default:
		return put_base64_opaque(out, s->ftype, s->s, s->n);
	}
}

/* Streams the value of type t at off (avail bytes to its container's end). */
static int print_value(const struct rd *r, dm_buf *out, unsigned t, size_t off,
		       size_t avail, unsigned depth)
{
	const unsigned char *key = NULL;
	struct scalar s;
	struct item it;
	struct box b;
	size_t keyn = 0;
	uint32_t i;
	int rc;

	if (!is_container(t)) {
		rc = read_scalar(r, t, off, avail, true, &s);
		return rc ? rc : put_scalar(out, &s);
	}
	rc = open_box(r, t, off, avail, depth + 1, &b);
	if (!rc)
		rc = dm_buf_putc(out, b.object ? '{' : '[');
	for (i = 0; !rc && i < b.count; i++) {
		if (i)
			rc = dm_buf_append(out, ", ", 2);
		if (!rc && b.object) {
			rc = box_key(r, &b, i, key, keyn, &key, &keyn);
			if (!rc)
				rc = put_string(out, key, keyn);
			if (!rc)
				rc = dm_buf_append(out, ": ", 2);
		}
		if (!rc)
			rc = box_item(r, &b, i, &it);
		if (rc)
			break;
		if (it.inlined)
			rc = put_scalar(out, &it.s);
		else
			rc = print_value(r, out, it.type, it.off, it.avail,
					 depth + 1);
	}
	if (!rc)
		rc = dm_buf_putc(out, b.object ? '}' : ']');
	return rc;
}

/* Allocates the ownership bitmap of a `len`-byte document, on the stack
 * when it fits in `stack`. */
static unsigned char *taken_map(unsigned char *stack, size_t len)
{
	size_t n = len / 8 + 1;

	if (n <= STACK_MAP_BYTES) {
		memset(stack, 0, n);
		return stack;
	}
	return dm__calloc(n, 1);
}

static void taken_free(unsigned char *map, const unsigned char *stack)
{
	if (map != stack)
		dm__free(map);
}

/* Reports a status no helper has described yet (out of memory). */
static int finish(int rc, dm_error **err, const char *name)
{
	if (rc == DM_E_NO_MEMORY)
		return dm_error_set(err, rc, "%s: out of memory", name);
	if (rc == DM_E_INVALID_ARGUMENT)
		return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
				    "%s: value changed while printed", name);
	return rc;
}

int dm__jsonbin_to_text(dm_buf *out, const unsigned char *data, size_t len,
			dm_error **err)
{
	unsigned char stack[STACK_MAP_BYTES];
	struct rd r = { data, len, 0, "binary JSON", NULL, err };
	size_t start;
	int rc;

	if (!out || (!data && len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm__jsonbin_to_text: NULL buffer");
	start = out->len;
	if (len == 0) {
		rc = dm_buf_puts(out, "null");
		return finish(rc, err, r.name);
	}
	r.taken = taken_map(stack, len);
	if (!r.taken)
		return finish(DM_E_NO_MEMORY, err, r.name);
	rc = print_value(&r, out, data[0], 1, len - 1, 0);
	taken_free(r.taken, stack);
	if (rc) {
		dm_buf_truncate(out, start);
		rc = finish(rc, err, r.name);
	}
	return rc;
}

/* ------------------------------------------------------------- doubles */

/* Shortest decimal digits that read back as a (> 0, finite): what dtoa's
 * shortest mode gives. digits gets len digits (no trailing zeros), the
 * value is 0.digits * 10^decpt. */
static void shortest_digits(double a, char *digits, int *len, int *decpt)
{
	char tmp[40];
	int p, e = 0, n = 0, mant_exp;
	bool pow2 = frexp(a, &mant_exp) == 0.5;
	const char *c;

	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, a);
		if (strtod(tmp, NULL) == a)
			break;
		/* At a power of two the values that read back as `a` reach
		 * twice as far above it as below, so the correctly rounded
		 * p digits may miss while the next p-digit number up fits. */
		if (pow2 && p < 17) {
			char up[40];
			uint64_t m = 0;
			int k, ex;

			for (c = tmp; *c && *c != 'e'; c++)
				if (*c >= '0' && *c <= '9')
					m = m * 10 + (uint64_t)(*c - '0');
			ex = (int)strtol(c + 1, NULL, 10) - (p - 1);
			snprintf(up, sizeof(up), "%" PRIu64 "e%d", m + 1, ex);
			if (strtod(up, NULL) == a) {
				snprintf(tmp, sizeof(tmp), "%" PRIu64, m + 1);
				k = (int)strlen(tmp);
				memcpy(digits, tmp, (size_t)k);
				n = k;
				e = ex + k - 1;
				goto trim;
			}
		}
	}
	for (c = tmp; *c && *c != 'e'; c++)
		if (*c >= '0' && *c <= '9')
			digits[n++] = *c;
	e = (int)strtol(c + 1, NULL, 10);
trim:
	while (n > 1 && digits[n - 1] == '0')
		n--;
	*len = n;
	*decpt = e + 1;
}

/* my_gcvt's choice (strings/dtoa.cc) for MY_GCVT_MAX_FIELD_WIDTH. */
#define GCVT_WIDTH 34
#define MAX_DECPT_FOR_F_FORMAT 15

int dm__jsonbin_format_double(dm_buf *out, double d)
{
	char digits[24], text[64];
	int len, decpt, width = GCVT_WIDTH, exp_len, i, e;
	bool have_space, force_e, use_f;
	size_t n = 0;

	if (!isfinite(d))
		return DM_E_INVALID_ARGUMENT;
	if (d < 0)
		width--;
	if (d == 0) {
		digits[0] = '0';
		len = 1;
		decpt = 1;
	} else {
		shortest_digits(fabs(d), digits, &len, &decpt);
	}
	exp_len = 1 + (decpt >= 101 || decpt <= -99) +
		  (decpt >= 11 || decpt <= -9);
	have_space = (decpt <= 0       ? len - decpt + 2
		      : decpt < len ? len + 1
				    : decpt) <= width;
	force_e = decpt <= 0 && width <= 2 - decpt && width >= 3 + exp_len;
	use_f = (have_space ||
		 (decpt <= width &&
		  (decpt >= -1 || (decpt == -2 && (len > 1 || !force_e))) &&
		  !force_e)) &&
		(!have_space || (decpt >= -MAX_DECPT_FOR_F_FORMAT + 1 &&
				 (decpt <= MAX_DECPT_FOR_F_FORMAT || len > decpt)));
	if (signbit(d))
		text[n++] = '-';
	if (use_f && decpt <= 0) {
		/* -decpt is at most 14 here. */
		text[n++] = '0';
		text[n++] = '.';
		for (i = decpt; i < 0; i++)
			text[n++] = '0';
		memcpy(text + n, digits, (size_t)len);
		n += (size_t)len;
	} else if (use_f) {
		for (i = 0; i < len; i++) {
			text[n++] = digits[i];
			if (i + 1 == decpt && i + 1 < len)
				text[n++] = '.';
		}
		for (; i < decpt; i++)
			text[n++] = '0';
		if (decpt >= len) {
			/* JSON keeps doubles apart from integers: 1.0. */
			text[n++] = '.';
			text[n++] = '0';
		}
	} else {
		text[n++] = digits[0];
		if (len > 1) {
			text[n++] = '.';
			memcpy(text + n, digits + 1, (size_t)len - 1);
			n += (size_t)len - 1;
		}
		e = decpt - 1;
		n += (size_t)snprintf(text + n, sizeof(text) - n, "e%d", e);
	}
	return dm_buf_append(out, text, n);
}

/* ---------------------------------------------------------------- tree */

enum { NODE_SCALAR, NODE_ARRAY, NODE_OBJECT };

struct node {
	int kind;
	struct scalar s; /* NODE_SCALAR */
	dm__vec kids;    /* struct kid, for arrays and objects */
};

struct kid {
	const unsigned char *key; /* objects; points into an input buffer */
	size_t keyn;
	struct node *val;
};

static void node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->kids.len; i++)
		node_free(DM__VEC_DATA(&n->kids, struct kid)[i].val);
	dm__vec_free(&n->kids);
	dm__free(n);
}

static struct node *node_new(int kind)
{
	struct node *n = dm__calloc(1, sizeof(*n));

	if (n) {
		n->kind = kind;
		dm__vec_init(&n->kids, sizeof(struct kid));
	}
	return n;
}

/* Builds the tree of the value of type t at off; *height gets how many
 * arrays/objects deep it is (0 for a scalar). */
static int build_value(const struct rd *r, unsigned t, size_t off,
		       size_t avail, unsigned depth, struct node **out,
		       unsigned *height)
{
	const unsigned char *key = NULL;
	struct node *n;
	struct item it;
	struct box b;
	size_t keyn = 0;
	uint32_t i;
	unsigned h, hmax = 0;
	int rc;

	*out = NULL;
	*height = 0;
	if (!is_container(t)) {
		n = node_new(NODE_SCALAR);
		if (!n)
			return DM_E_NO_MEMORY;
		rc = read_scalar(r, t, off, avail, true, &n->s);
		if (rc) {
			node_free(n);
			return rc;
		}
		*out = n;
		return 0;
	}
	rc = open_box(r, t, off, avail, depth + 1, &b);
	if (rc)
		return rc;
	n = node_new(b.object ? NODE_OBJECT : NODE_ARRAY);
	if (!n)
		return DM_E_NO_MEMORY;
	/* count <= bytes / 3 here, so this is bounded by the input. */
	rc = dm__vec_reserve(&n->kids, b.count);
	for (i = 0; !rc && i < b.count; i++) {
		struct kid k = { NULL, 0, NULL };

		h = 0;
		if (b.object) {
			rc = box_key(r, &b, i, key, keyn, &key, &keyn);
			k.key = key;
			k.keyn = keyn;
		}
		if (!rc)
			rc = box_item(r, &b, i, &it);
		if (rc)
			break;
		if (it.inlined) {
			k.val = node_new(NODE_SCALAR);
			if (!k.val)
				rc = DM_E_NO_MEMORY;
			else
				k.val->s = it.s;
			h = 0;
		} else {
			rc = build_value(r, it.type, it.off, it.avail,
					 depth + 1, &k.val, &h);
		}
		if (!rc)
			rc = dm__vec_push(&n->kids, &k); /* reserved: no fail */
		if (rc)
			node_free(k.val);
		if (h > hmax)
			hmax = h;
	}
	if (rc) {
		node_free(n);
		return rc;
	}
	*out = n;
	*height = hmax + 1;
	return 0;
}

/* Parses a whole document (len 0 is null) into a tree. */
static int build_doc(struct rd *r, struct node **out, unsigned *height)
{
	unsigned char stack[STACK_MAP_BYTES];
	int rc;

	*out = NULL;
	*height = 0;
	if (r->len == 0) {
		*out = node_new(NODE_SCALAR);
		if (!*out)
			return DM_E_NO_MEMORY;
		(*out)->s.type = JB_LITERAL;
		(*out)->s.lit = LIT_NULL;
		return 0;
	}
	r->taken = taken_map(stack, r->len);
	if (!r->taken)
		return DM_E_NO_MEMORY;
	rc = build_value(r, r->p[0], 1, r->len - 1, 0, out, height);
	taken_free(r->taken, stack);
	r->taken = NULL;
	return rc;
}

static int print_node(dm_buf *out, const struct node *n)
{
	const struct kid *k = DM__VEC_DATA(&n->kids, struct kid);
	size_t i;
	int rc;

	if (n->kind == NODE_SCALAR)
		return put_scalar(out, &n->s);
	rc = dm_buf_putc(out, n->kind == NODE_OBJECT ? '{' : '[');
	for (i = 0; !rc && i < n->kids.len; i++) {
		if (i)
			rc = dm_buf_append(out, ", ", 2);
		if (!rc && n->kind == NODE_OBJECT) {
			rc = put_string(out, k[i].key, k[i].keyn);
			if (!rc)
				rc = dm_buf_append(out, ": ", 2);
		}
		if (!rc)
			rc = print_node(out, k[i].val);
	}
	return rc ? rc : dm_buf_putc(out, n->kind == NODE_OBJECT ? '}' : ']');
}

/* Position of `key` in an object (sorted by key_cmp), or where it would
 * go; *found says which. */
static size_t object_find(const struct node *obj, const unsigned char *key,
			  size_t keyn, bool *found)
{
	const struct kid *k = DM__VEC_DATA(&obj->kids, struct kid);
	size_t lo = 0, hi = obj->kids.len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(k[mid].key, k[mid].keyn, key, keyn);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

static int kids_insert(struct node *n, size_t pos, const struct kid *k)
{
	struct kid *arr;
	int rc = dm__vec_push(&n->kids, k);

	if (rc)
		return rc;
	arr = DM__VEC_DATA(&n->kids, struct kid);
	memmove(arr + pos + 1, arr + pos,
		(n->kids.len - 1 - pos) * sizeof(*arr));
	arr[pos] = *k;
	return 0;
}

/* ---------------------------------------------------------------- paths */

/* One step of a JSON path: .member or [index] / [last-index]. */
struct leg {
	bool member;
	const unsigned char *name;
	size_t namen;
	uint32_t index;
	bool from_end;
};

static bool path_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static int hexdig(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int read_u16hex(const unsigned char *p, size_t left, uint32_t *cp)
{
	int i, h;

	if (left < 4)
		return -1;
	*cp = 0;
	for (i = 0; i < 4; i++) {
		h = hexdig(p[i]);
		if (h < 0)
			return -1;
		*cp = *cp << 4 | (uint32_t)h;
	}
	return 0;
}

/* Undoes JSON string escapes of s[0..n) into dst (room for n bytes, the
 * result never grows). Returns the length, or -1 with *bad at the fault. */
static long json_unescape(unsigned char *dst, const unsigned char *s,
			  size_t n, size_t *bad)
{
	size_t i = 0, o = 0;

	while (i < n) {
		uint32_t cp, lo;

		if (s[i] < 0x20 || s[i] == '"') {
			*bad = i;
			return -1;
		}
		if (s[i] != '\\') {
			dst[o++] = s[i++];
			continue;
		}
		*bad = i;
		if (i + 1 >= n)
			return -1;
		switch (s[i + 1]) {
		case '"':
		case '\\':
		case '/':
			dst[o++] = s[i + 1];
			i += 2;
			continue;
		case 'b':
			dst[o++] = '\b';
			i += 2;
			continue;
		case 'f':
			dst[o++] = '\f';
			i += 2;
			continue;
		case 'n':
			dst[o++] = '\n';
			i += 2;
			continue;
		case 'r':
			dst[o++] = '\r';
			i += 2;
			continue;
		case 't':
			dst[o++] = '\t';
			i += 2;
			continue;
		case 'u':
			break;
		default:
			return -1;
		}
		if (read_u16hex(s + i + 2, n - i - 2, &cp))
			return -1;
		i += 6;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return -1;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 1 >= n || s[i] != '\\' || s[i + 1] != 'u' ||
			    read_u16hex(s + i + 2, n - i - 2, &lo) ||
			    lo < 0xdc00 || lo > 0xdfff)
				return -1;
			i += 6;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
		}
		o += dm__utf8_encode(dst + o, (uint32_t)cp);
	}
	return (long)o;
}

/* State of one apply_diffs call. */
struct patch {
	struct rd diffs;   /* the diff list */
	dm__vec legs;      /* struct leg of the current path */
	dm__vec names;     /* unescaped member names (char *), freed at end */
};

/* Parses member name s[0..n) (quoted or not) at absolute offset off. */
static int path_member(struct patch *pt, size_t off, const unsigned char *s,
		       size_t n, bool quoted, struct leg *leg)
{
	unsigned char *dst;
	size_t bad = 0;
	long got;

	if (quoted) {
		s++;
		n -= 2;
		off++;
	}
	if (!memchr(s, '\\', n)) {
		size_t i;

		for (i = 0; i < n; i++)
			if (s[i] < 0x20 || (!quoted && s[i] == '"'))
				return fail(&pt->diffs, off + i,
					    "bad character in a path member name");
		leg->name = s;
		leg->namen = n;
		return 0;
	}
	dst = dm__malloc(n ? n : 1);
	if (!dst)
		return DM_E_NO_MEMORY;
	if (dm__vec_push(&pt->names, &dst)) {
		dm__free(dst);
		return DM_E_NO_MEMORY;
	}
	got = json_unescape(dst, s, n, &bad);
	if (got < 0)
		return fail(&pt->diffs, off + bad,
			    "bad escape in a path member name");
	leg->name = dst;
	leg->namen = (size_t)got;
	return 0;
}

/* Parses the path p[0..n) found at absolute offset off into pt->legs. */
static int parse_path(struct patch *pt, size_t off, size_t n)
{
	const unsigned char *p = pt->diffs.p + off;
	const struct rd *r = &pt->diffs;
	size_t i = 0;
	int rc;

	dm__vec_clear(&pt->legs);
	while (i < n && path_space(p[i]))
		i++;
	if (i == n || p[i] != '$')
		return fail(r, off + i, "path does not start with $");
	for (i++;;) {
		struct leg leg;

		memset(&leg, 0, sizeof(leg));
		while (i < n && path_space(p[i]))
			i++;
		if (i == n)
			return 0;
		if (p[i] == '[') {
			uint64_t v = 0;
			size_t digits = 0;

			i++;
			while (i < n && path_space(p[i]))
				i++;
			if (i + 4 <= n && memcmp(p + i, "last", 4) == 0) {
				leg.from_end = true;
				i += 4;
				while (i < n && path_space(p[i]))
					i++;
				if (i < n && p[i] == '-') {
					i++;
					while (i < n && path_space(p[i]))
						i++;
				} else {
					digits = 1; /* plain "last" */
				}
			}
			if (!(leg.from_end && digits)) {
				while (i < n && p[i] >= '0' && p[i] <= '9') {
					v = v * 10 + (uint64_t)(p[i++] - '0');
					if (v > UINT32_MAX)
						return fail(r, off + i,
							    "array index too large");
					digits++;
				}
				if (!digits)
					return fail(r, off + i,
						    i < n && p[i] == '*'
							    ? "wildcard in a diff path"
							    : "bad array index in path");
			}
			leg.index = (uint32_t)v;
			while (i < n && path_space(p[i]))
				i++;
			if (i == n || p[i] != ']')
				return fail(r, off + i,
					    "expected ] in path (ranges are not allowed in a diff path)");
			i++;
		} else if (p[i] == '.') {
			size_t start;

			i++;
			while (i < n && path_space(p[i]))
				i++;
			if (i == n)
				return fail(r, off + i, "path ends after .");
			if (p[i] == '*')
				return fail(r, off + i, "wildcard in a diff path");
			start = i;
			leg.member = true;
			if (p[i] == '"') {
				for (i++; i < n && p[i] != '"'; i++)
					if (p[i] == '\\')
						i++;
				if (i >= n)
					return fail(r, off + start,
						    "unterminated quoted member name in path");
				i++;
				rc = path_member(pt, off + start, p + start,
						 i - start, true, &leg);
			} else {
				while (i < n && !path_space(p[i]) &&
				       p[i] != '[' && p[i] != '.' && p[i] != '*')
					i++;
				if (i == start)
					return fail(r, off + start,
						    "empty member name in path");
				rc = path_member(pt, off + start, p + start,
						 i - start, false, &leg);
			}
			if (rc)
				return rc;
		} else if (p[i] == '*') {
			return fail(r, off + i, "wildcard in a diff path");
		} else {
			return fail(r, off + i, "unexpected character in path");
		}
		rc = dm__vec_push(&pt->legs, &leg);
		if (rc)
			return rc;
	}
}

/* Reads a MySQL packed integer (net_field_length) at *pos. */
static int read_packed(const struct rd *r, size_t *pos, uint64_t *v)
{
	size_t p = *pos, need;
	unsigned char c;

	if (p >= r->len)
		return fail(r, p, "diff list ends inside a length");
	c = r->p[p];
	if (c < 251) {
		*v = c;
		*pos = p + 1;
		return 0;
	}
	if (c == 251)
		return fail(r, p, "NULL length in a diff");
	need = c == 252 ? 2 : c == 253 ? 3 : 8;
	if (r->len - p - 1 < need)
		return fail(r, p, "diff list ends inside a length");
	*v = c == 252 ? le16(r->p + p + 1)
	     : c == 253 ? le16(r->p + p + 1) | (uint32_t)r->p[p + 3] << 16
			: le64(r->p + p + 1);
	*pos = p + 1 + need;
	return 0;
}

/* Array position of a leg in an array of n elements, as MySQL's
 * Json_array_index: *inside says whether it names an element. */
static size_t leg_pos(const struct leg *l, size_t n, bool *inside)
{
	*inside = l->index < n;
	if (l->from_end)
		return l->index < n ? n - 1 - l->index : 0;
	return l->index < n ? l->index : n;
}

/* Follows legs[0..count) from root; NULL when a step does not exist. */
static struct node *seek(struct node *n, const struct leg *legs, size_t count)
{
	size_t i, pos;
	bool ok;

	for (i = 0; n && i < count; i++) {
		if (n->kind == NODE_OBJECT && legs[i].member) {
			pos = object_find(n, legs[i].name, legs[i].namen, &ok);
		} else if (n->kind == NODE_ARRAY && !legs[i].member) {
			pos = leg_pos(&legs[i], n->kids.len, &ok);
		} else {
			return NULL;
		}
		n = ok ? DM__VEC_DATA(&n->kids, struct kid)[pos].val : NULL;
	}
	return n;
}

static const char *op_name(unsigned op)
{
	return op == OP_REPLACE ? "REPLACE" : op == OP_INSERT ? "INSERT" : "REMOVE";
}

/* Applies one diff to *root. val (REPLACE/INSERT) is consumed. */
static int apply_one(struct patch *pt, size_t at, unsigned op,
		     struct node *root, struct node **val, unsigned height)
{
	const struct leg *legs = DM__VEC_DATA(&pt->legs, struct leg);
	size_t nl = pt->legs.len, pos;
	struct node *parent, *target;
	struct kid *kids;
	bool ok;
	int rc;

	if (nl == 0)
		return fail(&pt->diffs, at, "%s of the whole document ($)",
			    op_name(op));
	if (op != OP_REMOVE && nl + height > DM__JSONBIN_MAX_DEPTH)
		return fail(&pt->diffs, at,
			    "%s would nest arrays and objects deeper than %d",
			    op_name(op), DM__JSONBIN_MAX_DEPTH);
	parent = seek(root, legs, nl - 1);
	if (!parent || parent->kind == NODE_SCALAR ||
	    (parent->kind == NODE_OBJECT) != legs[nl - 1].member)
		return fail(&pt->diffs, at,
			    "%s path not found in the document", op_name(op));
	kids = DM__VEC_DATA(&parent->kids, struct kid);
	if (parent->kind == NODE_OBJECT)
		pos = object_find(parent, legs[nl - 1].name,
				  legs[nl - 1].namen, &ok);
	else
		pos = leg_pos(&legs[nl - 1], parent->kids.len, &ok);
	switch (op) {
	case OP_REPLACE:
		if (!ok)
			return fail(&pt->diffs, at,
				    "REPLACE path not found in the document");
		target = kids[pos].val;
		kids[pos].val = *val;
		*val = NULL;
		node_free(target);
		return 0;
	case OP_INSERT:
		if (parent->kind == NODE_OBJECT) {
			struct kid k = { legs[nl - 1].name, legs[nl - 1].namen,
					 *val };

			if (ok)
				return fail(&pt->diffs, at,
					    "INSERT of a member that exists");
			rc = kids_insert(parent, pos, &k);
		} else {
			struct kid k = { NULL, 0, *val };

			rc = kids_insert(parent, pos, &k);
		}
		if (!rc)
			*val = NULL;
		return rc;
	default:
		if (!ok)
			return fail(&pt->diffs, at,
				    "REMOVE path not found in the document");
		target = kids[pos].val;
		dm__vec_remove(&parent->kids, pos);
		node_free(target);
		return 0;
	}
}

/* Reads the diff at *pos and applies it to root. */
static int next_diff(struct patch *pt, size_t *pos, unsigned idx,
		     struct node *root)
{
	const struct rd *r = &pt->diffs;
	size_t at = *pos, p = at + 1;
	uint64_t plen, vlen;
	struct node *val = NULL;
	unsigned op, height = 0;
	char name[64];
	int rc;

	op = r->p[at];
	if (op > OP_REMOVE)
		return fail(r, at, "unknown JSON diff operation %u", op);
	rc = read_packed(r, &p, &plen);
	if (rc)
		return rc;
	if (plen > r->len - p)
		return fail(r, at, "path of %" PRIu64 " bytes runs past the end",
			    plen);
	rc = parse_path(pt, p, (size_t)plen);
	if (rc)
		return rc;
	p += (size_t)plen;
	if (op != OP_REMOVE) {
		struct rd vr = *r;

		rc = read_packed(r, &p, &vlen);
		if (rc)
			return rc;
		if (vlen > r->len - p)
			return fail(r, at,
				    "value of %" PRIu64 " bytes runs past the end",
				    vlen);
		snprintf(name, sizeof(name), "JSON diff %u value", idx);
		vr.p = r->p + p;
		vr.len = (size_t)vlen;
		vr.base = r->base + p;
		vr.name = name;
		vr.taken = NULL;
		rc = build_doc(&vr, &val, &height);
		if (rc)
			return rc;
		p += (size_t)vlen;
	}
	rc = apply_one(pt, at, op, root, &val, height);
	node_free(val);
	*pos = p;
	return rc;
}

int dm__jsonbin_apply_diffs(dm_buf *out_text, const unsigned char *before,
			    size_t before_len, const unsigned char *diffs,
			    size_t diffs_len, dm_error **err)
{
	struct rd doc = { before, before_len, 0, "before-image JSON", NULL,
			  err };
	struct patch pt;
	struct node *root = NULL;
	size_t start, pos = 0, i;
	unsigned height, idx = 0;
	int rc;

	if (!out_text || (!before && before_len) || (!diffs && diffs_len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm__jsonbin_apply_diffs: NULL buffer");
	start = out_text->len;
	memset(&pt, 0, sizeof(pt));
	pt.diffs.p = diffs;
	pt.diffs.len = diffs_len;
	pt.diffs.name = "JSON diff list";
	pt.diffs.err = err;
	dm__vec_init(&pt.legs, sizeof(struct leg));
	dm__vec_init(&pt.names, sizeof(unsigned char *));
	rc = build_doc(&doc, &root, &height);
	while (!rc && pos < diffs_len)
		rc = next_diff(&pt, &pos, idx++, root);
	if (!rc)
		rc = print_node(out_text, root);
	node_free(root);
	for (i = 0; i < pt.names.len; i++)
		dm__free(DM__VEC_DATA(&pt.names, unsigned char *)[i]);
	dm__vec_free(&pt.names);
	dm__vec_free(&pt.legs);
	if (rc) {
		dm_buf_truncate(out_text, start);
		rc = finish(rc, err, "JSON diff");
	}
	return rc;
}
