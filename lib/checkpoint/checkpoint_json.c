/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdm's table_info: {"libdm-create-table":"CREATE TABLE ..."}. Writing
 * escapes the statement as a JSON string; reading accepts any valid JSON
 * text (the server may reformat what it stores) and looks for that one
 * member, so DM's TiDB table info and 'null' are simply "not ours".
 */
#include <stdint.h>
#include <string.h>

#include "checkpoint/checkpoint_int.h"
#include "util/utf8.h"

#define MAX_DEPTH 64

int dm__cp_json_put_create(dm_buf *out, const char *sql, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	int rc;

	rc = dm_buf_puts(out, "{\"" DM__CP_CREATE_KEY "\":\"");
	for (i = 0; rc == 0 && i < len; i++) {
		unsigned char ch = (unsigned char)sql[i];
		char esc[7] = "\\u00";

		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		rc = dm_buf_append(out, sql + start, i - start);
		start = i + 1;
		if (rc)
			break;
		switch (ch) {
		case '"': rc = dm_buf_puts(out, "\\\""); break;
		case '\\': rc = dm_buf_puts(out, "\\\\"); break;
		case '\n': rc = dm_buf_puts(out, "\\n"); break;
		case '\r': rc = dm_buf_puts(out, "\\r"); break;
		case '\t': rc = dm_buf_puts(out, "\\t"); break;
		case '\b': rc = dm_buf_puts(out, "\\b"); break;
		case '\f': rc = dm_buf_puts(out, "\\f"); break;
		default:
			esc[4] = hex[ch >> 4];
			esc[5] = hex[ch & 0xF];
			esc[6] = '\0';
			rc = dm_buf_puts(out, esc);
			break;
		}
	}
	if (rc == 0)
		rc = dm_buf_append(out, sql + start, len - start);
	if (rc == 0)
		rc = dm_buf_puts(out, "\"}");
	return rc;
}

/* ------------------------------------------------------------- reading */

/* Parse results besides 0 and DM_E_NO_MEMORY. */
#define BAD 1

typedef struct jcur {
	const char *p;
	const char *end;
} jcur;

static void skip_ws(jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' ||
				 *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int hex4(jcur *c, uint32_t *out)
{
	uint32_t v = 0;
	int i;

	if (c->end - c->p < 4)
		return BAD;
	for (i = 0; i < 4; i++) {
		char h = *c->p++;

		v <<= 4;
		if (h >= '0' && h <= '9')
			v |= (uint32_t)(h - '0');
		else if (h >= 'a' && h <= 'f')
			v |= (uint32_t)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			v |= (uint32_t)(h - 'A' + 10);
		else
			return BAD;
	}
	*out = v;
	return 0;
}

/* A \u escape (four hex digits after the backslash and 'u'), with a
 * surrogate pair's second half. */
static int unicode_escape(jcur *c, dm_buf *out)
{
	unsigned char enc[4];
	uint32_t cp, lo;

	if (hex4(c, &cp))
		return BAD;
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return BAD;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		if (c->end - c->p < 2 || c->p[0] != '\\' || c->p[1] != 'u')
			return BAD;
		c->p += 2;
		if (hex4(c, &lo) || lo < 0xDC00 || lo > 0xDFFF)
			return BAD;
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (!out)
		return 0;
	return dm_buf_append(out, enc, dm__utf8_encode(enc, cp));
}

/* A string at the opening quote; its decoded bytes go to `out` (may be
 * NULL to skip it). */
static int parse_string(jcur *c, dm_buf *out)
{
	int rc;

	c->p++;
	while (c->p < c->end) {
		const char *run = c->p;
		char ch;

		while (c->p < c->end && *c->p != '"' && *c->p != '\\' &&
		       (unsigned char)*c->p >= 0x20)
			c->p++;
		if (out && c->p > run &&
		    dm_buf_append(out, run, (size_t)(c->p - run)))
			return DM_E_NO_MEMORY;
		if (c->p >= c->end || (unsigned char)*c->p < 0x20)
			return BAD;
		if (*c->p++ == '"')
			return 0;
		if (c->p >= c->end)
			return BAD;
		switch (ch = *c->p++) {
		case '"': case '\\': case '/': break;
		case 'b': ch = '\b'; break;
		case 'f': ch = '\f'; break;
		case 'n': ch = '\n'; break;
		case 'r': ch = '\r'; break;
		case 't': ch = '\t'; break;
		case 'u':
			rc = unicode_escape(c, out);
			if (rc)
				return rc;
			continue;
		default:
			return BAD;
		}
		if (out && dm_buf_putc(out, ch))
			return DM_E_NO_MEMORY;
	}
	return BAD;
}

static int skip_digits(jcur *c)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
		c->p++;
	return c->p > start ? 0 : BAD;
}

static int skip_number(jcur *c)
{
	if (*c->p == '-')
		c->p++;
	if (skip_digits(c))
		return BAD;
	if (c->p < c->end && *c->p == '.') {
		c->p++;
		if (skip_digits(c))
			return BAD;
	}
	if (c->p < c->end && (*c->p == 'e' || *c->p == 'E')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (skip_digits(c))
			return BAD;
	}
	return 0;
}

static int skip_word(jcur *c, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(c->end - c->p) < n || memcmp(c->p, w, n) != 0)
		return BAD;
	c->p += n;
	return 0;
}

static int skip_value(jcur *c, int depth);

/* An array or object at its opening bracket; for the top-level object,
 * `found` gets the create statement. */
static int skip_container(jcur *c, int depth, dm_buf *key, dm_buf *found,
			  bool *has)
{
	bool object = *c->p == '{';
	char close = object ? '}' : ']';
	int rc;

	if (depth >= MAX_DEPTH)
		return BAD;
	c->p++;
	skip_ws(c);
	if (c->p < c->end && *c->p == close) {
		c->p++;
		return 0;
	}
	for (;;) {
		bool want = false;

		skip_ws(c);
		if (object) {
			if (c->p >= c->end || *c->p != '"')
				return BAD;
			if (key)
				dm_buf_truncate(key, 0);
			rc = parse_string(c, key);
			if (rc)
				return rc;
			want = key && found && !*has &&
			       key->len == strlen(DM__CP_CREATE_KEY) &&
			       memcmp(key->data, DM__CP_CREATE_KEY,
				      key->len) == 0;
			skip_ws(c);
			if (c->p >= c->end || *c->p != ':')
				return BAD;
			c->p++;
			skip_ws(c);
		}
		if (want && c->p < c->end && *c->p == '"') {
			rc = parse_string(c, found);
			*has = rc == 0;
		} else {
			rc = skip_value(c, depth + 1);
		}
		if (rc)
			return rc;
		skip_ws(c);
		if (c->p >= c->end)
			return BAD;
		if (*c->p == close) {
			c->p++;
			return 0;
		}
		if (*c->p++ != ',')
			return BAD;
	}
}

static int skip_value(jcur *c, int depth)
{
	skip_ws(c);
	if (c->p >= c->end)
		return BAD;
	switch (*c->p) {
	case '{':
	case '[':
		return skip_container(c, depth, NULL, NULL, NULL);
	case '"':
		return parse_string(c, NULL);
	case 't':
		return skip_word(c, "true");
	case 'f':
		return skip_word(c, "false");
	case 'n':
		return skip_word(c, "null");
	default:
		if (*c->p == '-' || (*c->p >= '0' && *c->p <= '9'))
			return skip_number(c);
		return BAD;
	}
}

int dm__cp_json_get_create(dm_buf *out, const char *json, size_t len)
{
	dm_buf key = DM_BUF_INIT, val = DM_BUF_INIT;
	jcur c = { json, json + len };
	bool has = false;
	int rc;

	if (!json)
		return DM_DONE;
	skip_ws(&c);
	if (c.p >= c.end || *c.p != '{')
		return DM_DONE;
	rc = skip_container(&c, 0, &key, &val, &has);
	if (rc == 0) {
		skip_ws(&c);
		if (c.p != c.end || !has)
			rc = BAD;
	}
	if (rc == 0)
		rc = dm_buf_append(out, val.data ? val.data : "", val.len);
	else if (rc == BAD)
		rc = DM_DONE;
	dm_buf_free(&key);
	dm_buf_free(&val);
	return rc;
}
