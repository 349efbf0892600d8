/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Canonical values, the 64-bit hash and causality keys.
 *
 * A value's canonical form is a type tag and bytes that do not depend on
 * how the image spelled it: INT 5 and UINT 5 are the same, a FLOAT is
 * hashed as the double it converts to, and strings of a case-insensitive
 * column are hashed with ASCII letters in lower case and, unless the
 * collation is NO PAD, without trailing spaces — the downstream compares
 * them equal, so they must share a key.
 */
#include "dml/dml_private.h"

#include <string.h>

/* ---------------------------------------------------------------- hash */

#define K1 UINT64_C(0x87C37B91114253D5)
#define K2 UINT64_C(0x4CF5AD432745937F)

static uint64_t rotl64(uint64_t x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t load_le64(const unsigned char *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	       (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	       (uint64_t)p[7] << 56;
}

static uint64_t round64(uint64_t h, uint64_t w)
{
	w *= K1;
	w = rotl64(w, 31);
	w *= K2;
	h ^= w;
	return rotl64(h, 27) * 5 + 0x52DCE729;
}

void dm__dml_hash_init(dml_hash *s, uint64_t seed)
{
	s->h = seed ^ UINT64_C(0x6A09E667F3BCC908);
}

/* Whole words, then the tail with the feed's length in the top byte, so
 * that "ab" + "c" and "a" + "bc" differ. */
void dm__dml_hash_feed(dml_hash *s, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = s->h, tail = 0;
	size_t i, len = n;

	while (n >= 8) {
		h = round64(h, load_le64(b));
		b += 8;
		n -= 8;
	}
	for (i = 0; i < n; i++)
		tail |= (uint64_t)b[i] << (8 * i);
	tail |= (uint64_t)(len & 0xff) << 56;
	s->h = round64(h, tail);
}

void dm__dml_hash_feed_lower(dml_hash *s, const char *p, size_t n)
{
	char chunk[64];
	size_t i, k;

	if (n == 0) {
		dm__dml_hash_feed(s, "", 0);
		return;
	}
	do {
		k = n < sizeof(chunk) ? n : sizeof(chunk);
		for (i = 0; i < k; i++) {
			char c = p[i];

			chunk[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
		}
		dm__dml_hash_feed(s, chunk, k);
		p += k;
		n -= k;
	} while (n);
}

uint64_t dm__dml_hash_final(const dml_hash *s)
{
	uint64_t h = s->h;

	h ^= h >> 33;
	h *= UINT64_C(0xFF51AFD7ED558CCD);
	h ^= h >> 33;
	h *= UINT64_C(0xC4CEB9FE1A85EC53);
	h ^= h >> 33;
	return h;
}

/* -------------------------------------------------------------- values */

const dm_value *dm__dml_effective(const dml_col *col, const dm_value *v,
				  dm_value *tmp)
{
	unsigned bits;

	if (v->kind != DM_VALUE_INT || !(v->flags & DM_VALUE_F_SIGN_UNKNOWN) ||
	    !(col->flags & DML_COL_UNSIGNED))
		return v;
	bits = col->int_bits;
	if (!bits) {
		switch (v->type) {
		case DM_TYPE_TINY: bits = 8; break;
		case DM_TYPE_SHORT: bits = 16; break;
		case DM_TYPE_INT24: bits = 24; break;
		case DM_TYPE_LONG: bits = 32; break;
		default: bits = 64; break;
		}
	}
	*tmp = *v;
	tmp->kind = DM_VALUE_UINT;
	tmp->flags = (uint8_t)((v->flags & ~DM_VALUE_F_SIGN_UNKNOWN) |
			       DM_VALUE_F_UNSIGNED);
	tmp->v.u = bits >= 64 ? (uint64_t)v->v.i :
				(uint64_t)v->v.i & ((UINT64_C(1) << bits) - 1);
	return tmp;
}

dml_text dm__dml_text_of(const dml_col *col, const dm_value *v)
{
	unsigned id = v->charset;

	if (!(col->flags & DML_COL_CS_UNKNOWN) || id == 0)
		return col->text;
	/* MySQL's and MariaDB's collation ids of the UTF-16/32 and UCS-2
	 * charsets, then of utf8mb3 and utf8mb4; ids above 255 are UCA
	 * collations of utf8mb4 mostly. */
	if (id == 35 || id == 90 || (id >= 128 && id <= 151) || id == 159 ||
	    id == 54 || id == 55 || id == 56 || id == 62 ||
	    (id >= 101 && id <= 124) || id == 60 || id == 61 ||
	    (id >= 160 && id <= 183))
		return DML_TEXT_WIDE;
	if (id == 33 || id == 83 || (id >= 192 && id <= 215) || id == 223 ||
	    id == 45 || id == 46 || (id >= 224 && id <= 247) || id >= 255 ||
	    id == 63 || id == 76)
		return DML_TEXT_UTF8;
	return DML_TEXT_ASCII;
}

typedef struct canon {
	unsigned char fixed[24];
	size_t nfixed;
	const char *var;      /* variable part, or NULL */
	size_t nvar;
	bool lower;           /* compare var with ASCII case folded */
} canon;

static void put64(canon *c, uint64_t x)
{
	size_t i;

	for (i = 0; i < 8; i++)
		c->fixed[c->nfixed++] = (unsigned char)(x >> (8 * i));
}

/* Bytes of the first `chars` UTF-8 characters of s. */
static size_t utf8_prefix(const char *s, size_t n, size_t chars)
{
	size_t i = 0;

	while (i < n && chars) {
		unsigned char b = (unsigned char)s[i++];

		if (b >= 0xC0) {
			while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
		}
		chars--;
	}
	return i;
}

static void canon_str(canon *c, const dml_col *col, const dm_value *v,
		      size_t prefix)
{
	const char *p = v->v.str.ptr ? v->v.str.ptr : "";
	size_t n = v->v.str.len;
	dml_text text = dm__dml_text_of(col, v);

	c->fixed[c->nfixed++] = v->kind == DM_VALUE_STRING ? 's' : 'b';
	if (v->kind == DM_VALUE_STRING && (col->flags & DML_COL_TEXT) &&
	    text != DML_TEXT_WIDE) {
		if (prefix)
			n = text == DML_TEXT_UTF8 ?
				    utf8_prefix(p, n, prefix) :
				    (n < prefix ? n : prefix);
		if (col->flags & DML_COL_PAD)
			while (n && p[n - 1] == ' ')
				n--;
		c->lower = (col->flags & DML_COL_CI) != 0;
	} else if (prefix && n > prefix) {
		/* Binary prefixes count bytes; wide charsets: a prefix of
		 * bytes is shorter than the server's, so coarser. */
		n = prefix;
	}
	c->var = p;
	c->nvar = n;
}

static void canon_time(canon *c, const dm_value *v)
{
	const dm_time *t = &v->v.time;

	c->fixed[c->nfixed++] = (unsigned char)t->year;
	c->fixed[c->nfixed++] = (unsigned char)(t->year >> 8);
	c->fixed[c->nfixed++] = t->month;
	c->fixed[c->nfixed++] = t->day;
	c->fixed[c->nfixed++] = (unsigned char)t->hour;
	c->fixed[c->nfixed++] = (unsigned char)(t->hour >> 8);
	c->fixed[c->nfixed++] = t->minute;
	c->fixed[c->nfixed++] = t->second;
	c->fixed[c->nfixed++] = (unsigned char)t->microsecond;
	c->fixed[c->nfixed++] = (unsigned char)(t->microsecond >> 8);
	c->fixed[c->nfixed++] = (unsigned char)(t->microsecond >> 16);
	c->fixed[c->nfixed++] = t->negative;
}

static void canon_of(canon *c, const dml_col *col, const dm_value *in,
		     size_t prefix)
{
	dm_value tmp;
	const dm_value *v = dm__dml_effective(col, in, &tmp);
	double d;
	uint64_t bits;

	c->nfixed = 0;
	c->var = NULL;
	c->nvar = 0;
	c->lower = false;
	switch (v->kind) {
	case DM_VALUE_INT:
		c->fixed[c->nfixed++] = v->v.i < 0 ? 'n' : 'i';
		put64(c, (uint64_t)v->v.i);
		break;
	case DM_VALUE_UINT:
	case DM_VALUE_YEAR:
		c->fixed[c->nfixed++] = 'i';
		put64(c, v->v.u);
		break;
	case DM_VALUE_FLOAT:
	case DM_VALUE_DOUBLE:
		d = v->kind == DM_VALUE_FLOAT ? (double)v->v.f : v->v.d;
		if (d == 0)
			d = 0; /* -0 is 0 */
		memcpy(&bits, &d, sizeof(bits));
		c->fixed[c->nfixed++] = 'd';
		put64(c, bits);
		break;
	case DM_VALUE_STRING:
	case DM_VALUE_BYTES:
		canon_str(c, col, v, prefix);
		break;
	case DM_VALUE_DATE:
	case DM_VALUE_DATETIME:
	case DM_VALUE_TIME:
		c->fixed[c->nfixed++] = (unsigned char)('A' + v->kind);
		canon_time(c, v);
		break;
	case DM_VALUE_TIMESTAMP:
		c->fixed[c->nfixed++] = 'T';
		put64(c, (uint64_t)v->v.ts.sec);
		put64(c, v->v.ts.usec);
		break;
	case DM_VALUE_BIT:
		c->fixed[c->nfixed++] = 'B';
		put64(c, v->v.bit.bits);
		break;
	case DM_VALUE_ENUM:
		c->fixed[c->nfixed++] = 'e';
		put64(c, v->v.enm.index);
		break;
	case DM_VALUE_SET:
		c->fixed[c->nfixed++] = 'S';
		put64(c, v->v.set.mask);
		break;
	case DM_VALUE_DECIMAL:
	case DM_VALUE_JSON:
	case DM_VALUE_JSON_BINARY:
	case DM_VALUE_GEOMETRY:
	case DM_VALUE_VECTOR:
	case DM_VALUE_JSON_DIFF:
		c->fixed[c->nfixed++] = (unsigned char)('a' + v->kind);
		c->var = v->v.str.ptr ? v->v.str.ptr : "";
		c->nvar = v->v.str.len;
		if (prefix && c->nvar > prefix)
			c->nvar = prefix;
		break;
	default: /* NULL, ABSENT */
		c->fixed[c->nfixed++] = (unsigned char)('0' + v->kind);
		break;
	}
}

void dm__dml_hash_value(dml_hash *s, const dml_col *col, const dm_value *v,
			size_t prefix)
{
	canon c;
	uint64_t n;

	canon_of(&c, col, v, prefix);
	dm__dml_hash_feed(s, c.fixed, c.nfixed);
	if (!c.var)
		return;
	if (c.lower)
		dm__dml_hash_feed_lower(s, c.var, c.nvar);
	else
		dm__dml_hash_feed(s, c.var, c.nvar);
	n = c.nvar;
	dm__dml_hash_feed(s, &n, sizeof(n));
}

static bool lower_equal(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

bool dm__dml_value_equal(const dml_col *col, const dm_value *a,
			 const dm_value *b, size_t prefix)
{
	canon x, y;

	canon_of(&x, col, a, prefix);
	canon_of(&y, col, b, prefix);
	if (x.nfixed != y.nfixed || memcmp(x.fixed, y.fixed, x.nfixed) != 0 ||
	    x.nvar != y.nvar || x.lower != y.lower)
		return false;
	if (!x.nvar)
		return true;
	return x.lower ? lower_equal(x.var, y.var, x.nvar) :
			 memcmp(x.var, y.var, x.nvar) == 0;
}

/* ---------------------------------------------------------------- keys */

bool dm__dml_key_present(const dm_dml_table *t, const dml_key *k,
			 const dm_value *img)
{
	size_t i;

	(void)t;
	for (i = 0; i < k->n; i++) {
		dm_value_kind kind = img[k->cols[i]].kind;

		if (kind == DM_VALUE_NULL || kind == DM_VALUE_ABSENT)
			return false;
	}
	return true;
}

uint64_t dm__dml_key_hash(const dm_dml_table *t, const dml_key *k,
			  const dm_value *img)
{
	dml_hash h;
	size_t i;

	dm__dml_hash_init(&h, k->seed);
	for (i = 0; i < k->n; i++)
		dm__dml_hash_value(&h, &t->cols[k->cols[i]],
				   &img[k->cols[i]], k->prefix[i]);
	return dm__dml_hash_final(&h);
}

bool dm__dml_key_equal(const dm_dml_table *ta, const dml_key *ka,
		       const dm_value *a, const dm_dml_table *tb,
		       const dml_key *kb, const dm_value *b)
{
	size_t i;

	(void)tb;
	if (ka->n != kb->n || ka->seed != kb->seed)
		return false;
	for (i = 0; i < ka->n; i++)
		if (!dm__dml_value_equal(&ta->cols[ka->cols[i]],
					 &a[ka->cols[i]], &b[kb->cols[i]],
					 ka->prefix[i]))
			return false;
	return true;
}

bool dm__dml_key_fuzzy(const dm_dml_table *t, const dml_key *k,
		       const dm_value *img)
{
	size_t i, j;

	for (i = 0; i < k->n; i++) {
		const dml_col *col = &t->cols[k->cols[i]];
		const dm_value *v = &img[k->cols[i]];

		if (v->kind != DM_VALUE_STRING || !(col->flags & DML_COL_TEXT))
			continue;
		if (dm__dml_text_of(col, v) == DML_TEXT_WIDE)
			return true;
		for (j = 0; j < v->v.str.len; j++) {
			unsigned char b = (unsigned char)v->v.str.ptr[j];

			if (b >= 0x80 && (k->prefix[i] ||
					  (col->flags & DML_COL_CI)))
				return true;
			if ((b < 0x20 || b == 0x7F) &&
			    (col->flags & DML_COL_CI))
				return true;
		}
	}
	return false;
}

size_t dm_dml_change_keys(uint64_t *out, size_t cap, const dm_dml_change *c)
{
	uint64_t keys[130];
	const dm_value *img[2];
	const dm_dml_table *t;
	size_t n = 0, i, k, m, nk;

	if (!c || !c->table)
		return 0;
	t = c->table;
	img[0] = c->op == DM_DML_INSERT ? NULL : c->before;
	img[1] = c->op == DM_DML_DELETE ? NULL : c->after;
	nk = t->nkeys < 64 ? t->nkeys : 64;
	for (m = 0; m < 2; m++) {
		bool found = false;

		if (!img[m])
			continue;
		for (k = 0; k < nk; k++) {
			uint64_t h;

			if (!dm__dml_key_present(t, &t->keys[k], img[m]))
				continue;
			found = true;
			h = dm__dml_key_hash(t, &t->keys[k], img[m]);
			for (i = 0; i < n && keys[i] != h; i++)
				;
			if (i == n)
				keys[n++] = h;
		}
		/* A row state no key identifies: the whole table. */
		if (!found) {
			for (i = 0; i < n && keys[i] != t->seed; i++)
				;
			if (i == n)
				keys[n++] = t->seed;
		}
	}
	if (n == 0)
		keys[n++] = t->seed;
	for (i = 0; i < n && i < cap && out; i++)
		out[i] = keys[i];
	return n;
}
