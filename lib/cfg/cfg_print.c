/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Printing a configuration back as YAML, driven by the same schemas as the
 * decoder. Strings are always double-quoted with escapes, so whatever was
 * read prints back to text that reads the same; secrets print as "******".
 */
#include "cfg/cfg_private.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char MASK[] = "******";

static void put(dm__cfg_printer *p, const char *s)
{
	if (!p->rc)
		p->rc = dm_buf_puts(p->out, s);
}

static void putn(dm__cfg_printer *p, const char *s, size_t n)
{
	if (!p->rc)
		p->rc = dm_buf_append(p->out, s, n);
}

static void spaces(dm__cfg_printer *p, int n)
{
	static const char sp[] = "                                ";

	while (n > 0) {
		int k = n > 32 ? 32 : n;

		putn(p, sp, (size_t)k);
		n -= k;
	}
}

void dm__cfg_print_raw(dm__cfg_printer *p, const char *s)
{
	put(p, s);
}

static void put_u64(dm__cfg_printer *p, uint64_t v)
{
	if (!p->rc)
		p->rc = dm_buf_printf(p->out, "%" PRIu64, v);
}

static void put_i64(dm__cfg_printer *p, int64_t v)
{
	if (!p->rc)
		p->rc = dm_buf_printf(p->out, "%" PRId64, v);
}

/* Length of a valid UTF-8 sequence at s and its code point, or 0. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0xC2 || s[0] > 0xF4)
		return 0;
	len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
	c = s[0] & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3Fu);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF)
		return 0;
	*cp = c;
	return len;
}

void dm__cfg_print_quoted(dm__cfg_printer *p, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	char esc[16];

	put(p, "\"");
	while (*u && !p->rc) {
		const unsigned char *run = u;
		uint32_t cp;
		size_t len;

		while (*u >= 0x20 && *u < 0x7F && *u != '"' && *u != '\\')
			u++;
		putn(p, (const char *)run, (size_t)(u - run));
		if (!*u)
			break;
		switch (*u) {
		case '"':
			put(p, "\\\"");
			u++;
			continue;
		case '\\':
			put(p, "\\\\");
			u++;
			continue;
		case '\n':
			put(p, "\\n");
			u++;
			continue;
		case '\t':
			put(p, "\\t");
			u++;
			continue;
		case '\r':
			put(p, "\\r");
			u++;
			continue;
		default:
			break;
		}
		if (*u < 0x80) {
			snprintf(esc, sizeof(esc), "\\x%02X", *u);
			put(p, esc);
			u++;
			continue;
		}
		len = utf8_seq(u, &cp);
		if (!len) {
			/* not UTF-8 (the parser never hands out such text) */
			put(p, "\\uFFFD");
			u++;
			continue;
		}
		/* Code points YAML does not allow unescaped, or reads as a
		 * line break. */
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
		    cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE ||
		    cp == 0xFFFF) {
			snprintf(esc, sizeof(esc), "\\u%04X", (unsigned)cp);
			put(p, esc);
		} else {
			putn(p, (const char *)u, len);
		}
		u += len;
	}
	put(p, "\"");
}

static const char *enum_name(const dm__cfg_enum *e, int value)
{
	for (; e->name; e++)
		if (e->value == value)
			return e->name;
	return "";
}

static int enum_default(const dm__cfg_enum *e)
{
	for (; e->name; e++)
		if (!*e->name)
			return e->value;
	return 0;
}

static void key_line(dm__cfg_printer *p, int indent, bool *dash,
		     const char *key)
{
	if (*dash) {
		spaces(p, indent - 2);
		put(p, "- ");
		*dash = false;
	} else {
		spaces(p, indent);
	}
	put(p, key);
	put(p, ":");
}

/* Prints a record into a buffer of its own, to know whether it is empty. */
static int sub_rec(dm__cfg_printer *p, const dm__cfg_schema *s,
		   const void *rec, int indent, dm_buf *tmp)
{
	dm__cfg_printer q = { tmp, 0 };

	dm__cfg_print_rec(&q, s, rec, indent, false);
	if (q.rc && !p->rc)
		p->rc = q.rc;
	return q.rc;
}

static bool field_empty(const dm__cfg_field *f, const void *rec)
{
	const char *base = (const char *)rec;
	size_t n = 0;

	switch (f->kind) {
	case DM__CFG_STR:
	case DM__CFG_SECRET:
		return **(const char *const *)(base + f->off) == '\0';
	case DM__CFG_INT:
		return *(const int *)(base + f->off) == 0;
	case DM__CFG_UINT:
		return *(const unsigned *)(base + f->off) == 0;
	case DM__CFG_I64:
	case DM__CFG_DUR:
		return *(const int64_t *)(base + f->off) == 0;
	case DM__CFG_U32:
		return *(const uint32_t *)(base + f->off) == 0;
	case DM__CFG_U64:
		return *(const uint64_t *)(base + f->off) == 0;
	case DM__CFG_BOOL:
		return !*(const bool *)(base + f->off);
	case DM__CFG_STRV:
	case DM__CFG_VARS:
	case DM__CFG_MAP:
	case DM__CFG_SEQ:
		memcpy(&n, base + f->off2, sizeof(n));
		return n == 0;
	case DM__CFG_STRUCT: {
		const void *sub;

		memcpy(&sub, base + f->off, sizeof(sub));
		return sub == NULL;
	}
	default:
		return false;
	}
}

void dm__cfg_print_field(dm__cfg_printer *p, const dm__cfg_field *f,
			 const void *rec, int indent, const char **prefix)
{
	const char *base = (const char *)rec;
	bool dash = prefix && *prefix;
	size_t n = 0, i;

	if (f->flags & DM__CFG_NOPRINT || f->kind == DM__CFG_ANY ||
	    f->kind == DM__CFG_FLOAT)
		return;
	if (f->flags & DM__CFG_SKIP_EMPTY && field_empty(f, rec))
		return;
	if (f->flags & DM__CFG_SKIP_DEFAULT && f->kind == DM__CFG_ENUM &&
	    *(const int *)(base + f->off) == enum_default(f->aux))
		return;
	if (f->flags & DM__CFG_SKIP_NEG && f->kind == DM__CFG_I64 &&
	    *(const int64_t *)(base + f->off) < 0)
		return;
	if (f->kind == DM__CFG_STRUCT && field_empty(f, rec))
		return;
	if (f->flags & DM__CFG_UNLESS_NAMED &&
	    **(const char *const *)(base + (size_t)f->min))
		return;
	key_line(p, indent, &dash, f->key);
	if (prefix && !dash)
		*prefix = NULL;
	switch (f->kind) {
	case DM__CFG_STR:
		put(p, " ");
		dm__cfg_print_quoted(p, *(const char *const *)(base + f->off));
		break;
	case DM__CFG_SECRET:
		put(p, **(const char *const *)(base + f->off) ? " \"" : " \"\"");
		if (**(const char *const *)(base + f->off)) {
			put(p, MASK);
			put(p, "\"");
		}
		break;
	case DM__CFG_BOOL:
		put(p, *(const bool *)(base + f->off) ? " true" : " false");
		break;
	case DM__CFG_INT:
		put(p, " ");
		put_i64(p, *(const int *)(base + f->off));
		break;
	case DM__CFG_UINT:
		put(p, " ");
		put_u64(p, *(const unsigned *)(base + f->off));
		break;
	case DM__CFG_I64:
		put(p, " ");
		put_i64(p, *(const int64_t *)(base + f->off));
		break;
	case DM__CFG_U32:
		put(p, " ");
		put_u64(p, *(const uint32_t *)(base + f->off));
		break;
	case DM__CFG_U64:
		put(p, " ");
		put_u64(p, *(const uint64_t *)(base + f->off));
		break;
	case DM__CFG_DUR: {
		dm_buf d = DM_BUF_INIT;

		if (dm__cfg_format_duration(&d, *(const int64_t *)(base + f->off)))
			p->rc = p->rc ? p->rc : DM_E_NO_MEMORY;
		else {
			put(p, " ");
			dm__cfg_print_quoted(p, d.data);
		}
		dm_buf_free(&d);
		break;
	}
	case DM__CFG_ENUM:
		put(p, " ");
		dm__cfg_print_quoted(p, enum_name(f->aux,
						  *(const int *)(base + f->off)));
		break;
	case DM__CFG_STRV: {
		const char *const *v;

		memcpy(&v, base + f->off, sizeof(v));
		memcpy(&n, base + f->off2, sizeof(n));
		put(p, " [");
		for (i = 0; i < n; i++) {
			if (i)
				put(p, ", ");
			dm__cfg_print_quoted(p, v[i]);
		}
		put(p, "]");
		break;
	}
	case DM__CFG_VARS: {
		const dm_db_var *v;

		memcpy(&v, base + f->off, sizeof(v));
		memcpy(&n, base + f->off2, sizeof(n));
		if (!n) {
			put(p, " {}");
			break;
		}
		for (i = 0; i < n; i++) {
			put(p, "\n");
			spaces(p, indent + 2);
			dm__cfg_print_quoted(p, v[i].name);
			put(p, ": ");
			dm__cfg_print_quoted(p, v[i].value);
		}
		break;
	}
	case DM__CFG_STRUCT: {
		const void *sub;
		dm_buf tmp = DM_BUF_INIT;

		memcpy(&sub, base + f->off, sizeof(sub));
		if (!sub_rec(p, f->aux, sub, indent + 2, &tmp)) {
			if (tmp.len) {
				put(p, "\n");
				putn(p, tmp.data, tmp.len);
				dm_buf_free(&tmp);
				return; /* the record ended its last line */
			}
			put(p, " {}");
		}
		dm_buf_free(&tmp);
		break;
	}
	case DM__CFG_MAP: {
		const dm__cfg_schema *s = f->aux;
		const void *const *v;

		memcpy(&v, base + f->off, sizeof(v));
		memcpy(&n, base + f->off2, sizeof(n));
		if (!n) {
			put(p, " {}");
			break;
		}
		put(p, "\n");
		for (i = 0; i < n; i++) {
			dm_buf tmp = DM_BUF_INIT;
			const char *name;

			memcpy(&name, (const char *)v[i] + s->name_off,
			       sizeof(name));
			spaces(p, indent + 2);
			dm__cfg_print_quoted(p, name);
			put(p, ":");
			if (!sub_rec(p, s, v[i], indent + 4, &tmp)) {
				if (tmp.len) {
					put(p, "\n");
					putn(p, tmp.data, tmp.len);
				} else {
					put(p, " {}\n");
				}
			}
			dm_buf_free(&tmp);
		}
		return;
	}
	case DM__CFG_SEQ: {
		const dm__cfg_schema *s = f->aux;
		const void *const *v;

		memcpy(&v, base + f->off, sizeof(v));
		memcpy(&n, base + f->off2, sizeof(n));
		if (!n) {
			put(p, " []");
			break;
		}
		put(p, "\n");
		for (i = 0; i < n; i++)
			dm__cfg_print_rec(p, s, v[i], indent + 4, true);
		return;
	}
	default:
		break;
	}
	put(p, "\n");
}

void dm__cfg_print_rec(dm__cfg_printer *p, const dm__cfg_schema *s,
		       const void *rec, int indent, bool dash)
{
	const char *prefix = dash ? "- " : NULL;
	size_t i;

	for (i = 0; i < s->n_fields; i++)
		dm__cfg_print_field(p, &s->fields[i], rec, indent, &prefix);
	if (prefix) {
		spaces(p, indent - 2);
		put(p, "- {}\n");
	}
}

/* Prints a whole source or task file. */
int dm__cfg_print_root(dm_buf *out, const dm__cfg_schema *s, const void *rec)
{
	dm__cfg_printer p = { out, 0 };
	size_t len;

	if (!out || !rec)
		return DM_E_INVALID_ARGUMENT;
	len = out->len;
	dm__cfg_print_rec(&p, s, rec, 0, false);
	if (p.rc)
		dm_buf_truncate(out, len);
	return p.rc;
}
