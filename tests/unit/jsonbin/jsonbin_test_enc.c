/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Test-only model of JSON documents: an encoder to MySQL's binary JSON
 * (written from sql/json_binary.h's grammar: small/large containers, keys
 * in MySQL's order, literals and [u]int16 -- and [u]int32 in the large
 * format -- inlined), the text MySQL prints for a document (the rules of
 * json_dom.cc's wrapper_to_string), and a random document generator.
 */
#include "jsonbin_test.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- bytes */

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	assert_non_null(q);
	return q;
}

void jt_put(jt_bytes *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		b->cap = (b->n + n) * 2 + 16;
		b->p = xrealloc(b->p, b->cap);
	}
	if (n)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

void jt_put8(jt_bytes *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	jt_put(b, &c, 1);
}

void jt_put16(jt_bytes *b, uint32_t v)
{
	jt_put8(b, v & 0xff);
	jt_put8(b, v >> 8 & 0xff);
}

void jt_put32(jt_bytes *b, uint32_t v)
{
	jt_put16(b, v & 0xffff);
	jt_put16(b, v >> 16);
}

void jt_put64(jt_bytes *b, uint64_t v)
{
	jt_put32(b, (uint32_t)v);
	jt_put32(b, (uint32_t)(v >> 32));
}

void jt_put_varlen(jt_bytes *b, uint32_t n)
{
	do {
		unsigned c = n & 0x7f;

		n >>= 7;
		jt_put8(b, n ? c | 0x80 : c);
	} while (n);
}

void jt_put_packed(jt_bytes *b, uint64_t n)
{
	if (n < 251) {
		jt_put8(b, (unsigned)n);
	} else if (n < 65536) {
		jt_put8(b, 252);
		jt_put16(b, (uint32_t)n);
	} else if (n < 16777216) {
		jt_put8(b, 253);
		jt_put16(b, (uint32_t)n & 0xffff);
		jt_put8(b, (unsigned)(n >> 16));
	} else {
		jt_put8(b, 254);
		jt_put64(b, n);
	}
}

void jt_bytes_free(jt_bytes *b)
{
	free(b->p);
	b->p = NULL;
	b->n = b->cap = 0;
}

bool jt_hex(jt_bytes *b, const char *hex)
{
	int hi = -1;

	for (; *hex; hex++) {
		int v;

		if (*hex == ' ' || *hex == '\n' || *hex == '\r' || *hex == '\t')
			continue;
		if (*hex >= '0' && *hex <= '9')
			v = *hex - '0';
		else if (*hex >= 'a' && *hex <= 'f')
			v = *hex - 'a' + 10;
		else if (*hex >= 'A' && *hex <= 'F')
			v = *hex - 'A' + 10;
		else
			return false;
		if (hi < 0) {
			hi = v;
		} else {
			jt_put8(b, (unsigned)(hi << 4 | v));
			hi = -1;
		}
	}
	return hi < 0;
}

/* ------------------------------------------------------------- model */

static jt_val *mk(enum jt_kind k)
{
	jt_val *v = calloc(1, sizeof(*v));

	assert_non_null(v);
	v->kind = k;
	return v;
}

static char *dupmem(const void *p, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	if (n)
		memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

jt_val *jt_null(void)
{
	return mk(JT_NULL);
}

jt_val *jt_bool(bool v)
{
	return mk(v ? JT_TRUE : JT_FALSE);
}

jt_val *jt_int(int64_t i)
{
	jt_val *v = mk(JT_INT);

	v->i = i;
	return v;
}

jt_val *jt_uint(uint64_t u)
{
	jt_val *v = mk(JT_UINT);

	v->u = u;
	return v;
}

jt_val *jt_double(double d, const char *text)
{
	jt_val *v = mk(JT_DOUBLE);

	v->d = d;
	v->text = dupmem(text, strlen(text));
	return v;
}

jt_val *jt_str(const char *s, size_t n)
{
	jt_val *v = mk(JT_STRING);

	v->s = dupmem(s, n);
	v->n = n;
	return v;
}

jt_val *jt_cstr(const char *s)
{
	return jt_str(s, strlen(s));
}

jt_val *jt_opaque(unsigned ftype, const void *p, size_t n, const char *text)
{
	jt_val *v = mk(JT_OPAQUE);

	v->ftype = ftype;
	v->s = dupmem(p, n);
	v->n = n;
	v->text = dupmem(text, strlen(text));
	return v;
}

jt_val *jt_array(void)
{
	return mk(JT_ARRAY);
}

jt_val *jt_object(void)
{
	return mk(JT_OBJECT);
}

static void grow_kids(jt_val *c)
{
	c->kids = xrealloc(c->kids, (c->nkids + 1) * sizeof(*c->kids));
	c->keys = xrealloc(c->keys, (c->nkids + 1) * sizeof(*c->keys));
	c->keyn = xrealloc(c->keyn, (c->nkids + 1) * sizeof(*c->keyn));
}

void jt_push(jt_val *arr, jt_val *v)
{
	grow_kids(arr);
	arr->kids[arr->nkids] = v;
	arr->keys[arr->nkids] = NULL;
	arr->keyn[arr->nkids] = 0;
	arr->nkids++;
}

long jt_find(const jt_val *obj, const char *key, size_t keyn)
{
	size_t i;

	for (i = 0; i < obj->nkids; i++)
		if (obj->keyn[i] == keyn &&
		    (keyn == 0 || memcmp(obj->keys[i], key, keyn) == 0))
			return (long)i;
	return -1;
}

void jt_set(jt_val *obj, const char *key, size_t keyn, jt_val *v)
{
	long at = jt_find(obj, key, keyn);

	if (at >= 0) {
		jt_free(obj->kids[at]);
		obj->kids[at] = v;
		return;
	}
	grow_kids(obj);
	obj->kids[obj->nkids] = v;
	obj->keys[obj->nkids] = dupmem(key, keyn);
	obj->keyn[obj->nkids] = keyn;
	obj->nkids++;
}

jt_val *jt_copy(const jt_val *v)
{
	jt_val *c = mk(v->kind);
	size_t i;

	*c = *v;
	c->s = v->s ? dupmem(v->s, v->n) : NULL;
	c->text = v->text ? dupmem(v->text, strlen(v->text)) : NULL;
	c->kids = NULL;
	c->keys = NULL;
	c->keyn = NULL;
	c->nkids = 0;
	for (i = 0; i < v->nkids; i++) {
		if (v->kind == JT_OBJECT)
			jt_set(c, v->keys[i], v->keyn[i], jt_copy(v->kids[i]));
		else
			jt_push(c, jt_copy(v->kids[i]));
	}
	return c;
}

void jt_free(jt_val *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->nkids; i++) {
		jt_free(v->kids[i]);
		free(v->keys[i]);
	}
	free(v->kids);
	free(v->keys);
	free(v->keyn);
	free(v->s);
	free(v->text);
	free(v);
}

/* ----------------------------------------------------- opaque values */

static const unsigned dig2bytes_t[10] = { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 };

static void put_be(jt_bytes *b, uint32_t v, unsigned nbytes, unsigned flip)
{
	unsigned k;

	for (k = nbytes; k > 0; k--)
		jt_put8(b, ((v >> (8 * (k - 1))) & 0xff) ^ flip);
}

static uint32_t digits_value(const char *d, unsigned n)
{
	uint32_t v = 0;
	unsigned k;

	for (k = 0; k < n; k++)
		v = v * 10 + (uint32_t)(d[k] - '0');
	return v;
}

jt_val *jt_decimal(unsigned prec, unsigned scale, const char *text)
{
	char intd[80], fracd[40], want[100];
	unsigned intg = prec - scale, ni = 0, nf = 0, k, pos, flip;
	jt_bytes b = { 0 };
	const char *p = text, *dot;
	bool neg = false;
	size_t lead, w = 0;
	jt_val *v;

	if (*p == '-') {
		neg = true;
		p++;
	}
	dot = strchr(p, '.');
	/* Integer digits, left-padded with zeros to intg. */
	{
		size_t have = dot ? (size_t)(dot - p) : strlen(p);

		assert_true(have <= intg);
		for (k = 0; k < intg - have; k++)
			intd[ni++] = '0';
		memcpy(intd + ni, p, have);
		ni += (unsigned)have;
	}
	if (dot) {
		nf = (unsigned)strlen(dot + 1);
		memcpy(fracd, dot + 1, nf);
	}
	assert_int_equal(nf, scale);
	jt_put8(&b, prec);
	jt_put8(&b, scale);
	flip = neg ? 0xff : 0;
	pos = 0;
	if (intg % 9) {
		put_be(&b, digits_value(intd, intg % 9), dig2bytes_t[intg % 9],
		       flip);
		pos = intg % 9;
	}
	for (; pos < intg; pos += 9)
		put_be(&b, digits_value(intd + pos, 9), 4, flip);
	for (pos = 0; pos + 9 <= scale; pos += 9)
		put_be(&b, digits_value(fracd + pos, 9), 4, flip);
	if (scale % 9)
		put_be(&b, digits_value(fracd + pos, scale % 9),
		       dig2bytes_t[scale % 9], flip);
	b.p[2] ^= 0x80;
	/* Expected text: sign, integer part without leading zeros (or 0),
	 * all scale fraction digits. */
	if (neg)
		want[w++] = '-';
	for (lead = 0; lead < intg && intd[lead] == '0'; lead++)
		;
	if (lead == intg) {
		want[w++] = '0';
	} else {
		memcpy(want + w, intd + lead, intg - lead);
		w += intg - lead;
	}
	if (scale) {
		want[w++] = '.';
		memcpy(want + w, fracd, scale);
		w += scale;
	}
	want[w] = '\0';
	v = jt_opaque(246, b.p, b.n, want);
	jt_bytes_free(&b);
	return v;
}

jt_val *jt_datetime(unsigned ftype, unsigned year, unsigned month,
		    unsigned day, unsigned hour, unsigned minute,
		    unsigned second, unsigned usec, bool neg)
{
	uint64_t hms = (uint64_t)hour << 12 | minute << 6 | second, packed;
	char want[80];
	jt_bytes b = { 0 };
	jt_val *v;

	if (ftype == 11) {
		packed = hms << 24 | usec;
		snprintf(want, sizeof(want), "\"%s%02u:%02u:%02u.%06u\"",
			 neg ? "-" : "", hour, minute, second, usec);
	} else {
		uint64_t ymd = ((uint64_t)year * 13 + month) << 5 | day;

		packed = (ymd << 17 | hms) << 24 | usec;
		if (ftype == 10)
			snprintf(want, sizeof(want), "\"%04u-%02u-%02u\"", year,
				 month, day);
		else
			snprintf(want, sizeof(want),
				 "\"%04u-%02u-%02u %02u:%02u:%02u.%06u\"", year,
				 month, day, hour, minute, second, usec);
	}
	if (neg)
		packed = 0 - packed;
	jt_put64(&b, packed);
	v = jt_opaque(ftype, b.p, b.n, want);
	jt_bytes_free(&b);
	return v;
}

/* ----------------------------------------------------------- encoder */

enum {
	T_SOBJ = 0, T_LOBJ, T_SARR, T_LARR, T_LIT, T_I16, T_U16, T_I32,
	T_U32, T_I64, T_U64, T_DBL, T_STR, T_OPQ = 0x0f
};

static unsigned scalar_type(const jt_val *v)
{
	switch (v->kind) {
	case JT_NULL:
	case JT_TRUE:
	case JT_FALSE:
		return T_LIT;
	case JT_INT:
		if (v->wide)
			return T_I64;
		if (v->i >= INT16_MIN && v->i <= INT16_MAX)
			return T_I16;
		if (v->i >= INT32_MIN && v->i <= INT32_MAX)
			return T_I32;
		return T_I64;
	case JT_UINT:
		if (v->wide)
			return T_U64;
		if (v->u <= UINT16_MAX)
			return T_U16;
		if (v->u <= UINT32_MAX)
			return T_U32;
		return T_U64;
	case JT_DOUBLE:
		return T_DBL;
	case JT_STRING:
		return T_STR;
	default:
		return T_OPQ;
	}
}

static void put_scalar_body(jt_bytes *b, const jt_val *v, unsigned t)
{
	uint64_t bits;

	switch (t) {
	case T_LIT:
		jt_put8(b, v->kind == JT_NULL ? 0 : v->kind == JT_TRUE ? 1 : 2);
		break;
	case T_I16:
		jt_put16(b, (uint16_t)v->i);
		break;
	case T_U16:
		jt_put16(b, (uint16_t)v->u);
		break;
	case T_I32:
		jt_put32(b, (uint32_t)v->i);
		break;
	case T_U32:
		jt_put32(b, (uint32_t)v->u);
		break;
	case T_I64:
		jt_put64(b, (uint64_t)v->i);
		break;
	case T_U64:
		jt_put64(b, v->u);
		break;
	case T_DBL:
		memcpy(&bits, &v->d, 8);
		jt_put64(b, bits);
		break;
	case T_STR:
		jt_put_varlen(b, (uint32_t)v->n);
		jt_put(b, v->s, v->n);
		break;
	default:
		jt_put8(b, v->ftype);
		jt_put_varlen(b, (uint32_t)v->n);
		jt_put(b, v->s, v->n);
		break;
	}
}

static const jt_val *sort_base;

static int key_order(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	size_t ni = sort_base->keyn[i], nj = sort_base->keyn[j];

	if (ni != nj)
		return ni < nj ? -1 : 1;
	return ni ? memcmp(sort_base->keys[i], sort_base->keys[j], ni) : 0;
}

/* Kids of v in MySQL key order (identity for arrays). Caller frees. */
static size_t *kid_order(const jt_val *v)
{
	size_t *ord = xrealloc(NULL, (v->nkids + 1) * sizeof(*ord)), i;

	for (i = 0; i < v->nkids; i++)
		ord[i] = i;
	if (v->kind == JT_OBJECT && v->nkids > 1) {
		sort_base = v;
		qsort(ord, v->nkids, sizeof(*ord), key_order);
	}
	return ord;
}

static unsigned encode_any(jt_bytes *body, const jt_val *v, bool large_all);

static void put_off(jt_bytes *b, size_t at, uint64_t v, bool large)
{
	unsigned k;

	for (k = 0; k < (large ? 4u : 2u); k++)
		b->p[at + k] = (unsigned char)(v >> (8 * k));
}

/* One attempt at a container in the given format; false if too big. */
static bool try_container(jt_bytes *b, const jt_val *v, bool large,
			  bool large_all)
{
	size_t osz = large ? 4 : 2, n = v->nkids, i, hdr, ventries;
	uint64_t max = large ? UINT32_MAX : UINT16_MAX;
	bool obj = v->kind == JT_OBJECT;
	size_t *ord = kid_order(v);
	bool ok = true;

	hdr = 2 * osz + (obj ? n * (osz + 2) : 0) + n * (1 + osz);
	if (n > max || hdr > max)
		ok = false;
	/* count, size, key entries, value entries: zero for now */
	for (i = 0; i < hdr; i++)
		jt_put8(b, 0);
	put_off(b, 0, n, large);
	ventries = 2 * osz + (obj ? n * (osz + 2) : 0);
	if (obj) {
		for (i = 0; i < n; i++) {
			size_t k = ord[i];

			if (b->n > max || v->keyn[k] > UINT16_MAX)
				ok = false;
			put_off(b, 2 * osz + i * (osz + 2), b->n, large);
			put_off(b, 2 * osz + i * (osz + 2) + osz, v->keyn[k],
				false);
			jt_put(b, v->keys[k], v->keyn[k]);
		}
	}
	for (i = 0; ok && i < n; i++) {
		const jt_val *kid = v->kids[ord[i]];
		size_t e = ventries + i * (1 + osz);
		unsigned t;

		if (kid->kind != JT_ARRAY && kid->kind != JT_OBJECT) {
			t = scalar_type(kid);
			if (t == T_LIT || t == T_I16 || t == T_U16 ||
			    (large && (t == T_I32 || t == T_U32))) {
				jt_bytes tmp = { 0 };

				put_scalar_body(&tmp, kid, t);
				b->p[e] = (unsigned char)t;
				memcpy(b->p + e + 1, tmp.p, tmp.n);
				jt_bytes_free(&tmp);
				continue;
			}
		}
		if (b->n > max) {
			ok = false;
			break;
		}
		put_off(b, e + 1, b->n, large);
		b->p[e] = (unsigned char)encode_any(b, kid, large_all);
	}
	if (b->n > max)
		ok = false;
	if (ok)
		put_off(b, osz, b->n, large);
	free(ord);
	return ok;
}

/* Appends the body of v (no type byte) to out; returns its type. */
static unsigned encode_any(jt_bytes *out, const jt_val *v, bool large_all)
{
	jt_bytes b = { 0 };
	bool large;
	unsigned t;

	if (v->kind != JT_ARRAY && v->kind != JT_OBJECT) {
		t = scalar_type(v);
		put_scalar_body(out, v, t);
		return t;
	}
	for (large = large_all;; large = true) {
		b.n = 0;
		if (try_container(&b, v, large, large_all))
			break;
		assert_false(large);
	}
	jt_put(out, b.p, b.n);
	jt_bytes_free(&b);
	if (v->kind == JT_OBJECT)
		return large ? T_LOBJ : T_SOBJ;
	return large ? T_LARR : T_SARR;
}

void jt_encode(jt_bytes *out, const jt_val *v, bool large_all)
{
	size_t at = out->n;
	unsigned t;

	jt_put8(out, 0);
	t = encode_any(out, v, large_all);
	out->p[at] = (unsigned char)t;
}

/* -------------------------------------------------- expected text */

typedef struct sb {
	char *p;
	size_t n, cap;
} sb;

static void sb_put(sb *s, const char *p, size_t n)
{
	if (s->n + n + 1 > s->cap) {
		s->cap = (s->n + n + 1) * 2;
		s->p = xrealloc(s->p, s->cap);
	}
	memcpy(s->p + s->n, p, n);
	s->n += n;
	s->p[s->n] = '\0';
}

static void sb_str(sb *s, const char *p)
{
	sb_put(s, p, strlen(p));
}

/* json_dom.cc double_quote(): the six short escapes, \u00xx for the
 * other bytes up to 0x1f, every other byte as is. */
static void quote(sb *s, const char *p, size_t n)
{
	size_t i;

	sb_put(s, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		char tmp[8];

		if (c == '"' || c == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			sb_put(s, tmp, 2);
		} else if (c == '\b') {
			sb_str(s, "\\b");
		} else if (c == '\f') {
			sb_str(s, "\\f");
		} else if (c == '\n') {
			sb_str(s, "\\n");
		} else if (c == '\r') {
			sb_str(s, "\\r");
		} else if (c == '\t') {
			sb_str(s, "\\t");
		} else if (c < 0x20) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			sb_str(s, tmp);
		} else {
			sb_put(s, (const char *)&c, 1);
		}
	}
	sb_put(s, "\"", 1);
}

static void expect_into(sb *s, const jt_val *v)
{
	char num[32];
	size_t i, *ord;

	switch (v->kind) {
	case JT_NULL:
		sb_str(s, "null");
		return;
	case JT_TRUE:
		sb_str(s, "true");
		return;
	case JT_FALSE:
		sb_str(s, "false");
		return;
	case JT_INT:
		snprintf(num, sizeof(num), "%" PRId64, v->i);
		sb_str(s, num);
		return;
	case JT_UINT:
		snprintf(num, sizeof(num), "%" PRIu64, v->u);
		sb_str(s, num);
		return;
	case JT_DOUBLE:
	case JT_OPAQUE:
		sb_str(s, v->text);
		return;
	case JT_STRING:
		quote(s, v->s, v->n);
		return;
	default:
		break;
	}
	ord = kid_order(v);
	sb_str(s, v->kind == JT_OBJECT ? "{" : "[");
	for (i = 0; i < v->nkids; i++) {
		if (i)
			sb_str(s, ", ");
		if (v->kind == JT_OBJECT) {
			quote(s, v->keys[ord[i]], v->keyn[ord[i]]);
			sb_str(s, ": ");
		}
		expect_into(s, v->kids[ord[i]]);
	}
	sb_str(s, v->kind == JT_OBJECT ? "}" : "]");
	free(ord);
}

char *jt_expect(const jt_val *v)
{
	sb s = { 0 };

	sb_put(&s, "", 0);
	expect_into(&s, v);
	return s.p;
}

/* ---------------------------------------------------------- random */

/* A double built from up to 15 significant digits, so that its shortest
 * round-trip form is exactly those digits; its text by MySQL's rule:
 * fixed notation when 10^-15 <= |x| < 10^15, else d.ddde[-]x. */
static jt_val *random_double(jt_rng *r)
{
	char digits[20], src[64], want[80];
	int len = 1 + (int)jt_below(r, 15), decpt, k, w = 0;
	bool neg = jt_below(r, 2);

	if (jt_below(r, 40) == 0)
		return neg ? jt_double(-0.0, "-0.0") : jt_double(0.0, "0.0");
	for (k = 0; k < len; k++)
		digits[k] = (char)('0' + jt_below(r, 10));
	digits[0] = (char)('1' + jt_below(r, 9));
	while (len > 1 && digits[len - 1] == '0')
		len--;
	digits[len] = '\0';
	decpt = jt_below(r, 8) == 0 ? (int)jt_below(r, 600) - 299
				    : (int)jt_below(r, 40) - 20;
	snprintf(src, sizeof(src), "%s0.%se%d", neg ? "-" : "", digits, decpt);
	if (neg)
		want[w++] = '-';
	if (decpt >= -14 && decpt <= 15) {
		if (decpt <= 0) {
			want[w++] = '0';
			want[w++] = '.';
			for (k = decpt; k < 0; k++)
				want[w++] = '0';
			memcpy(want + w, digits, (size_t)len);
			w += len;
		} else if (decpt < len) {
			memcpy(want + w, digits, (size_t)decpt);
			w += decpt;
			want[w++] = '.';
			memcpy(want + w, digits + decpt, (size_t)(len - decpt));
			w += len - decpt;
		} else {
			memcpy(want + w, digits, (size_t)len);
			w += len;
			for (k = len; k < decpt; k++)
				want[w++] = '0';
			want[w++] = '.';
			want[w++] = '0';
		}
		want[w] = '\0';
	} else {
		want[w++] = digits[0];
		if (len > 1) {
			want[w++] = '.';
			memcpy(want + w, digits + 1, (size_t)len - 1);
			w += len - 1;
		}
		snprintf(want + w, sizeof(want) - (size_t)w, "e%d", decpt - 1);
	}
	return jt_double(strtod(src, NULL), want);
}

/* Random bytes that are mostly text: ASCII, the characters that need
 * escapes, control bytes, and 2-, 3- and 4-byte UTF-8. */
static char *random_text(jt_rng *r, size_t *n)
{
	static const char *pieces[] = {
		"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n",
		"\r", "\t", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe6\xbc\xa2",
		"\xf0\x9f\x98\x80", "\xe2\x82\xac", "key", "{}", "[1]",
	};
	size_t want = jt_below(r, 8) == 0 ? jt_below(r, 300) : jt_below(r, 12);
	sb s = { 0 };

	sb_put(&s, "", 0);
	while (s.n < want) {
		const char *pc = pieces[jt_below(r, sizeof(pieces) /
							sizeof(pieces[0]))];

		sb_str(&s, pc);
	}
	*n = s.n;
	return s.p;
}

static jt_val *random_opaque(jt_rng *r)
{
	unsigned char raw[200];
	char want[400];
	size_t n, k;

	switch (jt_below(r, 6)) {
	case 0: {
		unsigned prec = 1 + (unsigned)jt_below(r, 65);
		unsigned scale = (unsigned)jt_below(r, (prec < 30 ? prec : 30) + 1);
		char digits[100];
		size_t w = 0;
		unsigned intg = prec - scale, ni = (unsigned)jt_below(r, intg + 1);

		if (jt_below(r, 2))
			digits[w++] = '-';
		for (k = 0; k < ni; k++)
			digits[w++] = (char)('0' + jt_below(r, 10));
		if (scale) {
			digits[w++] = '.';
			for (k = 0; k < scale; k++)
				digits[w++] = (char)('0' + jt_below(r, 10));
		}
		digits[w] = '\0';
		if (ni == 0 && !scale)
			return jt_decimal(prec, scale, "0");
		return jt_decimal(prec, scale, digits);
	}
	case 1:
		return jt_datetime(jt_below(r, 2) ? 12 : 7,
				   (unsigned)jt_below(r, 10000),
				   (unsigned)jt_below(r, 13),
				   (unsigned)jt_below(r, 32),
				   (unsigned)jt_below(r, 24),
				   (unsigned)jt_below(r, 60),
				   (unsigned)jt_below(r, 60),
				   (unsigned)jt_below(r, 1000000), false);
	case 2:
		return jt_datetime(10, (unsigned)jt_below(r, 10000),
				   (unsigned)jt_below(r, 13),
				   (unsigned)jt_below(r, 32), 0, 0, 0, 0, false);
	case 3:
		return jt_datetime(11, 0, 0, 0, (unsigned)jt_below(r, 839),
				   (unsigned)jt_below(r, 60),
				   (unsigned)jt_below(r, 60),
				   (unsigned)jt_below(r, 1000000),
				   jt_below(r, 2));
	case 4: {
		/* Any other field type: base64, a newline per 76 characters. */
		static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef"
					  "ghijklmnopqrstuvwxyz0123456789+/";
		unsigned ft = jt_below(r, 2) ? 252 : 16;
		size_t w, line = 0;

		n = jt_below(r, sizeof(raw));
		for (k = 0; k < n; k++)
			raw[k] = (unsigned char)jt_rand(r);
		w = (size_t)snprintf(want, sizeof(want), "\"base64:type%u:", ft);
		for (k = 0; k < n; k += 3) {
			uint32_t c = (uint32_t)raw[k] << 16 |
				     (k + 1 < n ? (uint32_t)raw[k + 1] << 8 : 0) |
				     (k + 2 < n ? raw[k + 2] : 0);

			if (line == 76) {
				want[w++] = '\\';
				want[w++] = 'n';
				line = 0;
			}
			want[w++] = tab[c >> 18];
			want[w++] = tab[c >> 12 & 63];
			want[w++] = k + 1 < n ? tab[c >> 6 & 63] : '=';
			want[w++] = k + 2 < n ? tab[c & 63] : '=';
			line += 4;
		}
		want[w++] = '"';
		want[w] = '\0';
		return jt_opaque(ft, raw, n, want);
	}
	default: {
		/* VAR_STRING opaque values print as strings. */
		char *t = random_text(r, &n);
		sb s = { 0 };
		jt_val *v;

		sb_put(&s, "", 0);
		quote(&s, t, n);
		v = jt_opaque(253, t, n, s.p);
		free(t);
		free(s.p);
		return v;
	}
	}
}

static jt_val *random_scalar(jt_rng *r)
{
	static const int64_t ints[] = { 0, 1, -1, 32767, -32768, 32768,
					-32769, INT32_MAX, INT32_MIN,
					(int64_t)INT32_MAX + 1,
					(int64_t)INT32_MIN - 1, INT64_MAX,
					INT64_MIN };
	static const uint64_t uints[] = { 0, 65535, 65536, UINT32_MAX,
					  (uint64_t)UINT32_MAX + 1,
					  (uint64_t)INT64_MAX + 1, UINT64_MAX };
	jt_val *v;
	size_t n;
	char *t;

	switch (jt_below(r, 10)) {
	case 0:
		return jt_null();
	case 1:
		return jt_bool(jt_below(r, 2));
	case 2:
		v = jt_below(r, 3) ? jt_int(ints[jt_below(r, 13)])
				   : jt_int((int64_t)jt_rand(r) >>
					    jt_below(r, 64));
		v->wide = jt_below(r, 8) == 0;
		return v;
	case 3:
		v = jt_below(r, 3) ? jt_uint(uints[jt_below(r, 7)])
				   : jt_uint(jt_rand(r) >> jt_below(r, 64));
		v->wide = jt_below(r, 8) == 0;
		return v;
	case 4:
	case 5:
		return random_double(r);
	case 6:
	case 7:
	case 8:
		t = random_text(r, &n);
		v = jt_str(t, n);
		free(t);
		return v;
	default:
		return random_opaque(r);
	}
}

jt_val *jt_random(jt_rng *r, unsigned depth, unsigned *budget)
{
	unsigned k, n;
	jt_val *c;

	if (*budget == 0 || depth >= 8 || jt_below(r, 3) == 0) {
		if (*budget)
			(*budget)--;
		return random_scalar(r);
	}
	(*budget)--;
	n = (unsigned)jt_below(r, 7);
	if (jt_below(r, 2)) {
		c = jt_array();
		for (k = 0; k < n; k++)
			jt_push(c, jt_random(r, depth + 1, budget));
	} else {
		c = jt_object();
		for (k = 0; k < n; k++) {
			size_t kn;
			char *key = random_text(r, &kn);

			if (kn > 40)
				kn = 40;
			if (jt_find(c, key, kn) < 0)
				jt_set(c, key, kn, jt_random(r, depth + 1, budget));
			free(key);
		}
	}
	return c;
}
