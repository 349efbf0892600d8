/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small JSON reader and string writer for the tracker's saved form:
 * objects, arrays, strings, numbers, true/false/null; nesting bounded.
 */
#include <string.h>

#include "schema/schema_json.h"
#include "util/alloc.h"
#include "util/utf8.h"

#define MAX_DEPTH 32

typedef struct reader {
	const char *p, *end;
	bool oom;	/* an allocation failed: not the text's fault */
} reader;

void dm__sjson_free(sjson *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->n; i++) {
		dm__sjson_free(v->items[i]);
		if (v->keys)
			dm__free(v->keys[i]);
	}
	dm__free(v->items);
	dm__free(v->keys);
	dm__free(v->str);
	dm__free(v);
}

static void skip_ws(reader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' ||
				 *r->p == '\t' || *r->p == '\r'))
		r->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int put_utf8(dm_buf *b, unsigned cp)
{
	unsigned char u[4];

	return dm_buf_append(b, u, dm__utf8_encode(u, cp));
}

static int read_hex4(reader *r, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (r->end - r->p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		int h = hexval(r->p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + (unsigned)h;
	}
	r->p += 4;
	*out = v;
	return 0;
}

/* A string at r->p (after the quote); NULL on error. */
static char *read_string(reader *r)
{
	dm_buf b = DM_BUF_INIT;
	int rc = dm_buf_puts(&b, "");

	while (rc == 0 && r->p < r->end && *r->p != '"') {
		char c = *r->p++;

		if ((unsigned char)c < 0x20) {
			rc = -1;
		} else if (c != '\\') {
			rc = dm_buf_putc(&b, c);
		} else if (r->p >= r->end) {
			rc = -1;
		} else {
			unsigned cp, lo;

			c = *r->p++;
			switch (c) {
			case '"': case '\\': case '/':
				rc = dm_buf_putc(&b, c);
				break;
			case 'b': rc = dm_buf_putc(&b, '\b'); break;
			case 'f': rc = dm_buf_putc(&b, '\f'); break;
			case 'n': rc = dm_buf_putc(&b, '\n'); break;
			case 'r': rc = dm_buf_putc(&b, '\r'); break;
			case 't': rc = dm_buf_putc(&b, '\t'); break;
			case 'u':
				if (read_hex4(r, &cp) != 0) {
					rc = -1;
					break;
				}
				if (cp >= 0xD800 && cp < 0xDC00 &&
				    r->end - r->p >= 6 && r->p[0] == '\\' &&
				    r->p[1] == 'u') {
					r->p += 2;
					if (read_hex4(r, &lo) != 0 ||
					    lo < 0xDC00 || lo > 0xDFFF) {
						rc = -1;
						break;
					}
					cp = 0x10000 + ((cp - 0xD800) << 10) +
					     (lo - 0xDC00);
				}
				rc = put_utf8(&b, cp);
				break;
			default:
				rc = -1;
			}
		}
	}
	if (rc == DM_E_NO_MEMORY)
		r->oom = true;
	if (rc != 0 || r->p >= r->end) {
		dm_buf_free(&b);
		return NULL;
	}
	r->p++;
	return dm_buf_detach(&b);
}

static sjson *read_value(reader *r, int depth);

static int push_item(sjson *v, sjson *item, char *key)
{
	sjson **items;
	char **keys = NULL;

	items = dm__reallocarray(v->items, v->n + 1, sizeof(*items));
	if (!items)
		return -1;
	v->items = items;
	if (v->kind == SJSON_OBJECT) {
		keys = dm__reallocarray(v->keys, v->n + 1, sizeof(*keys));
		if (!keys)
			return -1;
		v->keys = keys;
		v->keys[v->n] = key;
	}
	v->items[v->n++] = item;
	return 0;
}

static sjson *read_container(reader *r, int depth, bool object)
{
	sjson *v = dm__calloc(1, sizeof(*v));
	char close = object ? '}' : ']';

	if (!v) {
		r->oom = true;
		return NULL;
	}
	v->kind = object ? SJSON_OBJECT : SJSON_ARRAY;
	skip_ws(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return v;
	}
	for (;;) {
		char *key = NULL;
		sjson *item;

		skip_ws(r);
		if (object) {
			if (r->p >= r->end || *r->p != '"')
				goto out_fail;
			r->p++;
			if (!(key = read_string(r)))
				goto out_fail;
			skip_ws(r);
			if (r->p >= r->end || *r->p != ':') {
				dm__free(key);
				goto out_fail;
			}
			r->p++;
		}
		item = read_value(r, depth + 1);
		if (item && push_item(v, item, key) != 0) {
			r->oom = true;
			dm__free(key);
			dm__sjson_free(item);
			goto out_fail;
		}
		if (!item) {
			dm__free(key);
			dm__sjson_free(item);
			goto out_fail;
		}
		skip_ws(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			return v;
		}
		goto out_fail;
	}
out_fail:
	dm__sjson_free(v);
	return NULL;
}

static bool take_word(reader *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->p) < n || memcmp(r->p, w, n) != 0)
		return false;
	r->p += n;
	return true;
}

static sjson *read_value(reader *r, int depth)
{
	sjson *v;

	if (depth > MAX_DEPTH)
		return NULL;
	skip_ws(r);
	if (r->p >= r->end)
		return NULL;
	if (*r->p == '{' || *r->p == '[') {
		bool obj = *r->p++ == '{';

		return read_container(r, depth, obj);
	}
	v = dm__calloc(1, sizeof(*v));
	if (!v) {
		r->oom = true;
		return NULL;
	}
	if (*r->p == '"') {
		r->p++;
		v->kind = SJSON_STRING;
		if (!(v->str = read_string(r)))
			goto out_fail;
	} else if (take_word(r, "null")) {
		v->kind = SJSON_NULL;
	} else if (take_word(r, "true")) {
		v->kind = SJSON_BOOL;
		v->num = 1;
	} else if (take_word(r, "false")) {
		v->kind = SJSON_BOOL;
	} else if (*r->p == '-' || (*r->p >= '0' && *r->p <= '9')) {
		bool neg = *r->p == '-';
		long long n = 0;

		if (neg)
			r->p++;
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			goto out_fail;
		while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
			if (n > 100000000000000LL)
				goto out_fail;
			n = n * 10 + (*r->p++ - '0');
		}
		v->kind = SJSON_NUMBER;
		v->num = neg ? -n : n;
	} else {
		goto out_fail;
	}
	return v;
out_fail:
	dm__sjson_free(v);
	return NULL;
}

int dm__sjson_parse(sjson **out, const char *text, size_t len, size_t *stop)
{
	reader r = { text, text + len, false };
	sjson *v = read_value(&r, 0);

	skip_ws(&r);
	if (v && r.p != r.end) {
		dm__sjson_free(v);
		v = NULL;
	}
	*out = v;
	*stop = (size_t)(r.p - text);
	if (v)
		return 0;
	return r.oom ? DM_E_NO_MEMORY : DM_E_SCHEMA_TRACKER_INVALID_JSON;
}

const sjson *dm__sjson_get(const sjson *obj, const char *key)
{
	size_t i;

	if (!obj || obj->kind != SJSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

int dm__sjson_put_string(dm_buf *b, const char *s)
{
	int rc;

	if (!s)
		return dm_buf_puts(b, "null");
	rc = dm_buf_putc(b, '"');
	for (; rc == 0 && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = dm_buf_printf(b, "\\%c", c);
		else if (c == '\n')
			rc = dm_buf_puts(b, "\\n");
		else if (c == '\t')
			rc = dm_buf_puts(b, "\\t");
		else if (c < 0x20)
			rc = dm_buf_printf(b, "\\u%04x", c);
		else
			rc = dm_buf_putc(b, (char)c);
	}
	return rc ? rc : dm_buf_putc(b, '"');
}
