/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON_EXTRACT and JSON_UNQUOTE for the expression evaluator, with
 * MariaDB 10.11's results: the document must be valid JSON (nesting at
 * most 32 deep) or the result is NULL; found values are printed the way
 * the server prints them (", " between elements, ": " after keys, the
 * text of scalars unchanged). See dm_sql_eval(3).
 */
#include <stdint.h>
#include <string.h>

#include "dm/err.h"
#include "sql/expr_private.h"
#include "util/alloc.h"
#include "util/utf8.h"

#define JSON_MAX_DEPTH 32
#define MAX_STEPS 64

typedef struct jdoc {
	const char *s;
	size_t n;
} jdoc;

static size_t skip_ws(const jdoc *d, size_t p)
{
	while (p < d->n && (d->s[p] == ' ' || d->s[p] == '\t' ||
			    d->s[p] == '\n' || d->s[p] == '\r'))
		p++;
	return p;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* End of the string starting at the quote at p, or 0 if invalid. */
static size_t scan_string(const jdoc *d, size_t p)
{
	p++;
	while (p < d->n) {
		unsigned char c = (unsigned char)d->s[p];

		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (p + 1 >= d->n)
				return 0;
			c = (unsigned char)d->s[p + 1];
			if (c == 'u') {
				int k;

				for (k = 2; k < 6; k++)
					if (p + (size_t)k >= d->n ||
					    !is_hex(d->s[p + (size_t)k]))
						return 0;
				p += 6;
				continue;
			}
			if (!strchr("\"\\/bfnrt", c) || c == 0)
				return 0;
			p += 2;
			continue;
		}
		p++;
	}
	return 0;
}

static size_t scan_number(const jdoc *d, size_t p)
{
	size_t q;

	if (p < d->n && d->s[p] == '-')
		p++;
	if (p >= d->n || !is_digit(d->s[p]))
		return 0;
	if (d->s[p] == '0')
		p++;
	else
		while (p < d->n && is_digit(d->s[p]))
			p++;
	if (p < d->n && d->s[p] == '.') {
		q = p + 1;
		if (q >= d->n || !is_digit(d->s[q]))
			return 0;
		while (q < d->n && is_digit(d->s[q]))
			q++;
		p = q;
	}
	if (p < d->n && (d->s[p] == 'e' || d->s[p] == 'E')) {
		q = p + 1;
		if (q < d->n && (d->s[q] == '+' || d->s[q] == '-'))
			q++;
		if (q >= d->n || !is_digit(d->s[q]))
			return 0;
		while (q < d->n && is_digit(d->s[q]))
			q++;
		p = q;
	}
	return p;
}

/* End of the value at p (no leading blanks), or 0 if invalid. */
static size_t scan_value(const jdoc *d, size_t p, int depth)
{
	char c;

	if (p >= d->n)
		return 0;
	c = d->s[p];
	if (c == '"')
		return scan_string(d, p);
	if (c == '-' || is_digit(c))
		return scan_number(d, p);
	if (c == 't' && d->n - p >= 4 && !memcmp(d->s + p, "true", 4))
		return p + 4;
	if (c == 'f' && d->n - p >= 5 && !memcmp(d->s + p, "false", 5))
		return p + 5;
	if (c == 'n' && d->n - p >= 4 && !memcmp(d->s + p, "null", 4))
		return p + 4;
	if (c != '[' && c != '{')
		return 0;
	if (depth + 1 >= JSON_MAX_DEPTH)
		return 0; /* the server accepts 31 levels, not 32 */
	p = skip_ws(d, p + 1);
	if (p < d->n && d->s[p] == (c == '[' ? ']' : '}'))
		return p + 1;
	for (;;) {
		if (c == '{') {
			if (p >= d->n || d->s[p] != '"')
				return 0;
			p = scan_string(d, p);
			if (!p)
				return 0;
			p = skip_ws(d, p);
			if (p >= d->n || d->s[p] != ':')
				return 0;
			p = skip_ws(d, p + 1);
		}
		p = scan_value(d, p, depth + 1);
		if (!p)
			return 0;
		p = skip_ws(d, p);
		if (p >= d->n)
			return 0;
		if (d->s[p] == ',') {
			p = skip_ws(d, p + 1);
			continue;
		}
		if (d->s[p] == (c == '[' ? ']' : '}'))
			return p + 1;
		return 0;
	}
}

/* ----------------------------------------------------------- printing */

/* Appends the value at p (valid) as the server prints it. */
static int print_value(dm_buf *out, const jdoc *d, size_t p)
{
	char c = d->s[p];
	size_t e;
	bool first = true;

	if (c != '[' && c != '{') {
		e = scan_value(d, p, 0);
		return dm_buf_append(out, d->s + p, e - p);
	}
	if (dm_buf_putc(out, c))
		return DM_E_NO_MEMORY;
	p = skip_ws(d, p + 1);
	while (d->s[p] != (c == '[' ? ']' : '}')) {
		if (!first && dm_buf_append(out, ", ", 2))
			return DM_E_NO_MEMORY;
		first = false;
		if (c == '{') {
			e = scan_string(d, p);
			if (dm_buf_append(out, d->s + p, e - p) ||
			    dm_buf_append(out, ": ", 2))
				return DM_E_NO_MEMORY;
			p = skip_ws(d, skip_ws(d, e) + 1);
		}
		if (print_value(out, d, p))
			return DM_E_NO_MEMORY;
		p = skip_ws(d, scan_value(d, p, 0));
		if (d->s[p] == ',')
			p = skip_ws(d, p + 1);
	}
	return dm_buf_putc(out, c == '[' ? ']' : '}') ? DM_E_NO_MEMORY : 0;
}

/* -------------------------------------------------------------- paths */

typedef enum skind {
	S_KEY, S_ANY_KEY, S_INDEX, S_ANY_INDEX, S_RANGE, S_DESC
} skind;

typedef struct step {
	skind k;
	const char *key; /* S_KEY: raw text (quoted keys without quotes) */
	size_t klen;
	bool kquoted;
	long lo, hi;     /* S_INDEX/S_RANGE: >= 0 from the start, else from
			  * the end (-1 is the last element) */
	bool lo_end;     /* lo was written from the end (last, -N) */
} step;

typedef struct jpath {
	step st[MAX_STEPS];
	size_t n;
	bool wild;
} jpath;

static size_t pskip(const char *s, size_t n, size_t p)
{
	while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' ||
			 s[p] == '\r'))
		p++;
	return p;
}

/* An array position: N, last, last-N, or -N; *v as in step.lo. */
static bool parse_pos(const char *s, size_t n, size_t *pp, long *v)
{
	size_t p = pskip(s, n, *pp);
	bool neg = false, last = false;
	long x = 0;

	if (n - p >= 4 && !memcmp(s + p, "last", 4)) {
		last = true;
		p = pskip(s, n, p + 4);
		if (p < n && s[p] == '-') {
			p = pskip(s, n, p + 1);
			neg = true;
		} else {
			*v = -1;
			*pp = p;
			return true;
		}
	} else if (p < n && s[p] == '-') {
		neg = true;
		p++;
	}
	if (p >= n || !is_digit(s[p]))
		return false;
	while (p < n && is_digit(s[p])) {
		if (x < 100000000)
			x = x * 10 + (s[p] - '0');
		p++;
	}
	*pp = pskip(s, n, p);
	if (last)
		*v = -1 - x;
	else
		*v = neg ? -x : x;
	return true;
}

/* Returns the offset of a syntax error, or n + 1 when the path is good. */
static size_t parse_path(jpath *jp, const char *s, size_t n)
{
	size_t p = pskip(s, n, 0);
	bool desc_open = false;

	memset(jp, 0, sizeof(*jp));
	if (n - p >= 3 && !memcmp(s + p, "lax", 3))
		p = pskip(s, n, p + 3);
	else if (n - p >= 6 && !memcmp(s + p, "strict", 6))
		p = pskip(s, n, p + 6);
	if (p >= n || s[p] != '$')
		return p;
	p++;
	while (p < n) {
		step *st;

		if (jp->n >= MAX_STEPS)
			return p;
		st = &jp->st[jp->n];
		if (s[p] == '.') {
			p++;
			if (p < n && s[p] == '*') {
				st->k = S_ANY_KEY;
				jp->wild = true;
				p++;
			} else if (p < n && s[p] == '"') {
				size_t q = p + 1;

				while (q < n && s[q] != '"') {
					if (s[q] == '\\')
						q++;
					q++;
				}
				if (q >= n)
					return n;
				st->k = S_KEY;
				st->key = s + p + 1;
				st->klen = q - p - 1;
				st->kquoted = true;
				p = q + 1;
			} else {
				size_t q = p;

				while (q < n && s[q] != '.' && s[q] != '[' &&
				       s[q] != ' ' && s[q] != '\t' && s[q] != '*')
					q++;
				if (q == p)
					return p;
				st->k = S_KEY;
				st->key = s + p;
				st->klen = q - p;
				p = q;
			}
		} else if (s[p] == '[') {
			p = pskip(s, n, p + 1);
			if (p < n && s[p] == '*') {
				st->k = S_ANY_INDEX;
				jp->wild = true;
				p = pskip(s, n, p + 1);
			} else {
				size_t q = pskip(s, n, p);

				st->lo_end = q < n && (s[q] == '-' || s[q] == 'l');
				if (!parse_pos(s, n, &p, &st->lo))
					return p;
				st->k = S_INDEX;
				if (n - p >= 2 && !memcmp(s + p, "to", 2)) {
					p += 2;
					if (!parse_pos(s, n, &p, &st->hi))
						return p;
					st->k = S_RANGE;
					jp->wild = true;
				}
			}
			if (p >= n || s[p] != ']')
				return p;
			p++;
		} else if (s[p] == '*' && p + 1 < n && s[p + 1] == '*') {
			if (desc_open)
				return p;
			st->k = S_DESC;
			jp->wild = true;
			p += 2;
			jp->n++;
			desc_open = true;
			continue;
		} else {
			return p;
		}
		jp->n++;
		desc_open = false;
	}
	if (desc_open)
		return n;
	return n + 1;
}

/* --------------------------------------------------------- matching */

typedef struct mctx {
	const jdoc *d;
	const jpath *jp;
	size_t *hits;      /* offsets of the values found */
	size_t found, cap;
	size_t path_found; /* by the current path */
	bool first_only;
	int rc;
} mctx;

/* Decoded comparison of the JSON key at p (quoted) with a path key. */
static bool key_equal(const jdoc *d, size_t p, size_t e, const step *st)
{
	const char *k = d->s + p + 1;
	size_t kn = e - p - 2, i = 0, j = 0;

	/* compare escapes literally: both sides written the same way */
	while (i < kn && j < st->klen) {
		if (k[i] != st->key[j])
			return false;
		i++;
		j++;
	}
	return i == kn && j == st->klen;
}

static void emit(mctx *m, size_t p)
{
	if (m->rc || (m->first_only && m->path_found))
		return;
	if (m->found == m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 8;
		size_t *nh = dm__reallocarray(m->hits, nc, sizeof(*nh));

		if (!nh) {
			m->rc = DM_E_NO_MEMORY;
			return;
		}
		m->hits = nh;
		m->cap = nc;
	}
	m->hits[m->found++] = p;
	m->path_found++;
}

static void match(mctx *m, size_t p, size_t si);

/* Calls match(child, si) for every element or member value of p. */
static void each_child(mctx *m, size_t p, size_t si, const step *key)
{
	const jdoc *d = m->d;
	char c = d->s[p];

	if (c != '[' && c != '{')
		return;
	p = skip_ws(d, p + 1);
	while (!m->rc && d->s[p] != (c == '[' ? ']' : '}')) {
		bool take = true;

		if (c == '{') {
			size_t e = scan_string(d, p);

			if (key)
				take = key_equal(d, p, e, key);
			p = skip_ws(d, skip_ws(d, e) + 1);
		}
		if (take)
			match(m, p, si);
		p = skip_ws(d, scan_value(d, p, 0));
		if (d->s[p] == ',')
			p = skip_ws(d, p + 1);
	}
}

static long count_elems(const jdoc *d, size_t p)
{
	long k = 0;

	p = skip_ws(d, p + 1);
	while (d->s[p] != ']') {
		k++;
		p = skip_ws(d, scan_value(d, p, 0));
		if (d->s[p] == ',')
			p = skip_ws(d, p + 1);
	}
	return k;
}

static void match_range(mctx *m, size_t p, size_t si, long lo, long hi,
			bool lo_end)
{
	const jdoc *d = m->d;
	bool arr = d->s[p] == '[';
	long k = 0, cnt = arr ? count_elems(d, p) : 1;

	if (lo < 0)
		lo += cnt;
	if (hi < 0)
		hi += cnt;
	if (lo < 0 || hi < lo)
		return;
	if (!arr) {
		/* a value that is not an array is an array of itself, for
		 * [0] and [0 to n] only */
		if (lo == 0 && !lo_end)
			match(m, p, si + 1);
		return;
	}
	p = skip_ws(d, p + 1);
	while (!m->rc && d->s[p] != ']' && k <= hi) {
		if (k >= lo)
			match(m, p, si + 1);
		k++;
		p = skip_ws(d, scan_value(d, p, 0));
		if (d->s[p] == ',')
			p = skip_ws(d, p + 1);
	}
}

static void match(mctx *m, size_t p, size_t si)
{
	const step *st;

	if (m->rc || (m->first_only && m->path_found))
		return;
	if (si == m->jp->n) {
		emit(m, p);
		return;
	}
	st = &m->jp->st[si];
	switch (st->k) {
	case S_KEY:
		if (m->d->s[p] == '{')
			each_child(m, p, si + 1, st);
		break;
	case S_ANY_KEY:
		if (m->d->s[p] == '{')
			each_child(m, p, si + 1, NULL);
		break;
	case S_ANY_INDEX:
		if (m->d->s[p] == '[')
			each_child(m, p, si + 1, NULL);
		break;
	case S_INDEX:
		match_range(m, p, si, st->lo, st->lo, st->lo_end);
		break;
	case S_RANGE:
		match_range(m, p, si, st->lo, st->hi, st->lo_end);
		break;
	case S_DESC:
		match(m, p, si + 1);
		each_child(m, p, si, NULL);
		break;
	}
}

int dm__sql_json_extract(dm_buf *out, const char *doc, size_t n,
			 const dm_str *paths, size_t npaths, size_t *bad_path,
			 size_t *bad_pos)
{
	jdoc d = { doc, n };
	jpath *jp;
	mctx m;
	size_t k, p, e;
	bool multi = npaths > 1;
	int rc = 0;

	memset(&m, 0, sizeof(m));

	jp = dm__malloc(sizeof(*jp));
	if (!jp)
		return DM_E_NO_MEMORY;
	for (k = 0; k < npaths; k++) {
		size_t bad = parse_path(jp, paths[k].ptr, paths[k].len);

		if (bad <= paths[k].len) {
			*bad_path = k;
			*bad_pos = bad;
			rc = DM__JSON_BAD_PATH;
			goto out;
		}
		multi = multi || jp->wild;
	}
	p = skip_ws(&d, 0);
	e = scan_value(&d, p, 0);
	if (!e || skip_ws(&d, e) != n) {
		rc = DM__JSON_NULL;
		goto out;
	}
	memset(&m, 0, sizeof(m));
	m.d = &d;
	m.jp = jp;
	m.first_only = !multi;
	for (k = 0; k < npaths && !m.rc; k++) {
		parse_path(jp, paths[k].ptr, paths[k].len);
		m.path_found = 0;
		match(&m, p, 0);
	}
	if (m.rc) {
		rc = m.rc;
		goto out;
	}
	if (!m.found) {
		rc = DM__JSON_NULL;
		goto out;
	}
	/* the server reports the values in document order */
	for (k = 1; k < m.found; k++) {
		size_t x = m.hits[k], j = k;

		while (j > 0 && m.hits[j - 1] > x) {
			m.hits[j] = m.hits[j - 1];
			j--;
		}
		m.hits[j] = x;
	}
	if (multi && dm_buf_putc(out, '['))
		rc = DM_E_NO_MEMORY;
	for (k = 0; k < m.found && !rc; k++) {
		if (k && dm_buf_append(out, ", ", 2))
			rc = DM_E_NO_MEMORY;
		else if (print_value(out, &d, m.hits[k]))
			rc = DM_E_NO_MEMORY;
	}
	if (!rc && multi && dm_buf_putc(out, ']'))
		rc = DM_E_NO_MEMORY;
out:
	dm__free(m.hits);
	dm__free(jp);
	return rc;
}

/* ------------------------------------------------------------ unquote */

static int put_utf8(dm_buf *out, uint32_t cp)
{
	unsigned char b[4];

	return dm_buf_append(out, b, dm__utf8_encode(b, cp));
}

static uint32_t hex4(const char *s)
{
	uint32_t v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = s[k];

		v = v * 16 + (uint32_t)(is_digit(c) ? c - '0' :
					(c | 0x20) - 'a' + 10);
	}
	return v;
}

int dm__sql_json_unquote(dm_buf *out, const char *s, size_t n, bool *same)
{
	jdoc d = { s, n };
	size_t e, p;

	*same = true;
	if (n < 2 || s[0] != '"')
		return 0;
	e = scan_string(&d, 0);
	if (!e)
		return 0;
	*same = false;
	for (p = 1; p + 1 < e; p++) {
		char c = s[p];
		int rc;

		if (c != '\\') {
			if (dm_buf_putc(out, c))
				return DM_E_NO_MEMORY;
			continue;
		}
		c = s[++p];
		switch (c) {
		case 'b': rc = dm_buf_putc(out, '\b'); break;
		case 'f': rc = dm_buf_putc(out, '\f'); break;
		case 'n': rc = dm_buf_putc(out, '\n'); break;
		case 'r': rc = dm_buf_putc(out, '\r'); break;
		case 't': rc = dm_buf_putc(out, '\t'); break;
		case 'u': {
			uint32_t cp = hex4(s + p + 1);

			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00 && p + 6 < e &&
			    s[p + 1] == '\\' && s[p + 2] == 'u') {
				uint32_t lo = hex4(s + p + 3);

				if (lo >= 0xDC00 && lo < 0xE000) {
					cp = 0x10000 + ((cp - 0xD800) << 10) +
					     (lo - 0xDC00);
					p += 6;
				}
			}
			rc = put_utf8(out, cp);
			break;
		}
		default: rc = dm_buf_putc(out, c); break;
		}
		if (rc)
			return DM_E_NO_MEMORY;
	}
	return 0;
}
