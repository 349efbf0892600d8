/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run: a small JSON reader for the bodies of control requests and for
 * the library's status objects, and a string writer. RFC 8259 grammar;
 * nesting is bounded (RUN_JSON_MAX_DEPTH) and strings may not hold NUL.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm_run.h"

#define RUN_JSON_MAX_DEPTH 16
#define RUN_JSON_MAX_ITEMS 100000

typedef struct reader {
	const char *p;
	const char *end;
	const char *why;            /* the first problem met */
	size_t items;               /* values so far, all levels */
} reader;

static run_json *parse_value(reader *r, unsigned depth);

static void skip_ws(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' ||
				 *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static run_json *fail(reader *r, const char *why)
{
	if (!r->why)
		r->why = why;
	return NULL;
}

static run_json *node(reader *r, run_json_type type)
{
	run_json *j;

	if (++r->items > RUN_JSON_MAX_ITEMS)
		return fail(r, "too many values");
	j = calloc(1, sizeof(*j));
	if (!j)
		return fail(r, "out of memory");
	j->type = type;
	return j;
}

void run_json_free(run_json *j)
{
	size_t i;

	if (!j)
		return;
	for (i = 0; i < j->n; i++) {
		run_json_free(j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->str);
	free(j);
}

static int hex4(reader *r, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (r->end - r->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = *r->p++;

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static int put_utf8(dm_buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return dm_buf_append(b, u, n);
}

/* A \u escape of four hex digits, with a surrogate pair as one code
 * point. */
static const char *unicode_escape(reader *r, dm_buf *b)
{
	unsigned cp, lo;

	if (hex4(r, &cp) != 0)
		return "bad \\u escape";
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return "lone low surrogate";
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u')
			return "lone high surrogate";
		r->p += 2;
		if (hex4(r, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
			return "bad surrogate pair";
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (cp == 0)
		return "NUL in a string";
	return put_utf8(b, cp) ? "out of memory" : NULL;
}

/* A string after its opening quote, decoded into a new C string. */
static char *parse_string(reader *r, size_t *len)
{
	dm_buf b = DM_BUF_INIT;
	const char *why = NULL;

	while (!why) {
		unsigned char c;

		if (r->p >= r->end) {
			why = "unterminated string";
			break;
		}
		c = (unsigned char)*r->p++;
		if (c == '"')
			break;
		if (c < 0x20) {
			why = "control character in a string";
		} else if (c != '\\') {
			if (dm_buf_putc(&b, (char)c))
				why = "out of memory";
		} else if (r->p >= r->end) {
			why = "unterminated string";
		} else {
			char e = *r->p++, v;

			switch (e) {
			case '"': v = '"'; break;
			case '\\': v = '\\'; break;
			case '/': v = '/'; break;
			case 'b': v = '\b'; break;
			case 'f': v = '\f'; break;
			case 'n': v = '\n'; break;
			case 'r': v = '\r'; break;
			case 't': v = '\t'; break;
			case 'u': v = 0; break;
			default: v = 1; break;
			}
			if (e == 'u')
				why = unicode_escape(r, &b);
			else if (v == 1)
				why = "bad escape in a string";
			else if (dm_buf_putc(&b, v))
				why = "out of memory";
		}
	}
	if (!why && dm_buf_reserve(&b, 1))
		why = "out of memory";
	if (why) {
		dm_buf_free(&b);
		fail(r, why);
		return NULL;
	}
	*len = b.len;
	b.data[b.len] = '\0';
	return dm_buf_detach(&b);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static run_json *parse_number(reader *r)
{
	const char *s = r->p;
	run_json *j;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end || !is_digit(*r->p))
		return fail(r, "bad number");
	if (*r->p == '0')
		r->p++;
	else
		while (r->p < r->end && is_digit(*r->p))
			r->p++;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (r->p >= r->end || !is_digit(*r->p))
			return fail(r, "bad number");
		while (r->p < r->end && is_digit(*r->p))
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p >= r->end || !is_digit(*r->p))
			return fail(r, "bad number");
		while (r->p < r->end && is_digit(*r->p))
			r->p++;
	}
	j = node(r, RUN_JSON_NUMBER);
	if (!j)
		return NULL;
	j->len = (size_t)(r->p - s);
	j->str = malloc(j->len + 1);
	if (!j->str) {
		run_json_free(j);
		return fail(r, "out of memory");
	}
	memcpy(j->str, s, j->len);
	j->str[j->len] = '\0';
	return j;
}

static bool literal(reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return false;
	r->p += n;
	return true;
}

static int add_item(run_json *j, run_json *v, char *key)
{
	void *items, *keys;

	items = realloc(j->items, (j->n + 1) * sizeof(*j->items));
	if (!items)
		return -1;
	j->items = items;
	if (j->type == RUN_JSON_OBJECT) {
		keys = realloc(j->keys, (j->n + 1) * sizeof(*j->keys));
		if (!keys)
			return -1;
		j->keys = keys;
		j->keys[j->n] = key;
	}
	j->items[j->n++] = v;
	return 0;
}

/* An array or an object after its opening bracket. */
static run_json *parse_container(reader *r, run_json_type type,
				 unsigned depth)
{
	char close = type == RUN_JSON_ARRAY ? ']' : '}';
	run_json *j = node(r, type);

	if (!j)
		return NULL;
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return j;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;
		run_json *v;

		skip_ws(r);
		if (type == RUN_JSON_OBJECT) {
			if (r->p >= r->end || *r->p != '"')
				goto fail_expected;
			r->p++;
			key = parse_string(r, &klen);
			if (!key)
				goto fail;
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				free(key);
				goto fail_expected;
			}
			r->p++;
		}
		v = parse_value(r, depth + 1);
		if (!v || add_item(j, v, key) != 0) {
			if (v)
				fail(r, "out of memory");
			run_json_free(v);
			free(key);
			goto fail;
		}
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return j;
		}
		goto fail_expected;
	}
fail_expected:
	fail(r, type == RUN_JSON_ARRAY ? "expected ',' or ']'"
				       : "expected a key, ':', ',' or '}'");
fail:
	run_json_free(j);
	return NULL;
}

static run_json *parse_value(reader *r, unsigned depth)
{
	run_json *j;

	if (depth > RUN_JSON_MAX_DEPTH)
		return fail(r, "nested too deeply");
	skip_ws(r);
	if (r->p >= r->end)
		return fail(r, "unexpected end");
	switch (*r->p) {
	case '{':
		r->p++;
		return parse_container(r, RUN_JSON_OBJECT, depth);
	case '[':
		r->p++;
		return parse_container(r, RUN_JSON_ARRAY, depth);
	case '"':
		r->p++;
		j = node(r, RUN_JSON_STRING);
		if (j && !(j->str = parse_string(r, &j->len))) {
			run_json_free(j);
			return NULL;
		}
		return j;
	case 't':
	case 'f':
		j = node(r, RUN_JSON_BOOL);
		if (j && literal(r, "true"))
			j->b = true;
		else if (j && !literal(r, "false")) {
			run_json_free(j);
			return fail(r, "unexpected word");
		}
		return j;
	case 'n':
		if (!literal(r, "null"))
			return fail(r, "unexpected word");
		return node(r, RUN_JSON_NULL);
	default:
		return parse_number(r);
	}
}

int run_json_parse(run_json **out, const char *s, size_t len,
		   const char **why)
{
	reader r = { s, s + len, NULL, 0 };
	run_json *j;

	*out = NULL;
	j = parse_value(&r, 0);
	if (j) {
		skip_ws(&r);
		if (r.p != r.end) {
			run_json_free(j);
			j = fail(&r, "text after the value");
		}
	}
	if (!j) {
		if (why)
			*why = r.why ? r.why : "invalid JSON";
		return -1;
	}
	*out = j;
	return 0;
}

const run_json *run_json_get(const run_json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != RUN_JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

int run_json_put_str(dm_buf *b, const char *s)
{
	int rc = dm_buf_putc(b, '"');

	for (; !rc && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = dm_buf_putc(b, '\\') || dm_buf_putc(b, (char)c);
		else if (c == '\n')
			rc = dm_buf_puts(b, "\\n");
		else if (c == '\t')
			rc = dm_buf_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7F)
			rc = dm_buf_printf(b, "\\u%04x", c);
		else
			rc = dm_buf_putc(b, (char)c);
	}
	return rc ? rc : dm_buf_putc(b, '"');
}

int run_json_put(dm_buf *b, const run_json *j)
{
	size_t i;
	int rc = 0;

	switch (j->type) {
	case RUN_JSON_NULL:
		return dm_buf_puts(b, "null");
	case RUN_JSON_BOOL:
		return dm_buf_puts(b, j->b ? "true" : "false");
	case RUN_JSON_NUMBER:
		return dm_buf_puts(b, j->str);
	case RUN_JSON_STRING:
		return run_json_put_str(b, j->str);
	case RUN_JSON_ARRAY:
	case RUN_JSON_OBJECT:
		rc = dm_buf_putc(b, j->type == RUN_JSON_ARRAY ? '[' : '{');
		for (i = 0; !rc && i < j->n; i++) {
			if (i)
				rc = dm_buf_putc(b, ',');
			if (!rc && j->type == RUN_JSON_OBJECT)
				rc = run_json_put_str(b, j->keys[i]) ||
				     dm_buf_putc(b, ':');
			if (!rc)
				rc = run_json_put(b, j->items[i]);
		}
		return rc ? rc : dm_buf_putc(b, j->type == RUN_JSON_ARRAY ? ']'
									 : '}');
	}
	return -1;
}
