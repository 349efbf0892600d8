/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The first pass: libyaml's document API loads the text, then a schema
 * (lib/cfg/cfg_private.h) drives the walk. Types follow what DM's YAML
 * library accepts: strings take any scalar as written, booleans and
 * numbers must be plain scalars, lists must be sequences, records must be
 * mappings, keys are matched exactly and unknown keys are errors. A null
 * value (`key:` or `key: ~`) leaves the default in place. Merge keys
 * (`<<: *anchor`) are expanded as YAML 1.1 defines them.
 */
#include "cfg/cfg_private.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/vec.h"

/* Node visits allowed per document: bounds the work aliases can cause. */
#define VISIT_BUDGET 2000000ul
#define MAX_DEPTH 64
#define MAX_MERGE_DEPTH 16

static const char DEFAULT_FILE[] = "<config>";

/* --------------------------------------------------------------- position */

static uint64_t field_key(const void *addr)
{
	return (uint64_t)(uintptr_t)addr * 2u;
}

static uint64_t rec_key(const void *rec)
{
	return (uint64_t)(uintptr_t)rec * 2u + 1u;
}

const dm__cfg_where *dm__cfg_where_field(const dm__cfg_ctx *c,
					 const void *addr)
{
	return dm__map_get_u64(&c->where, field_key(addr));
}

const dm__cfg_where *dm__cfg_where_rec(const dm__cfg_ctx *c,
				       const void *rec)
{
	return dm__map_get_u64(&c->where, rec_key(rec));
}

static dm__cfg_where *remember(dm__cfg_ctx *c, uint64_t key,
			       const yaml_node_t *k, const yaml_node_t *v)
{
	dm__cfg_where *w = dm__map_get_u64(&c->where, key);

	if (!w) {
		w = dm__cfg_alloc(c->tmp, sizeof(*w));
		if (!w || dm__map_put_u64(NULL, &c->where, key, w))
			return NULL;
	}
	memset(w, 0, sizeof(*w));
	if (k) {
		w->key = k->start_mark;
		w->has_key = true;
	}
	if (v)
		w->val = v->start_mark;
	else if (k)
		w->val = k->start_mark;
	return w;
}

/* ----------------------------------------------------------------- errors */

int dm__cfg_oom(dm__cfg_ctx *c)
{
	return dm_error_set(c->err, DM_E_NO_MEMORY, NULL);
}

static int verr(dm__cfg_ctx *c, int status, yaml_mark_t m, const char *fmt,
		va_list ap) DM_PRINTF(4, 0);

static int verr(dm__cfg_ctx *c, int status, yaml_mark_t m, const char *fmt,
		va_list ap)
{
	dm_buf d = DM_BUF_INIT;

	if (dm_buf_vprintf(&d, fmt, ap)) {
		dm_buf_free(&d);
		return dm__cfg_oom(c);
	}
	status = dm_error_set(c->err, status, "%s:%lu:%lu: %s", c->file,
			      (unsigned long)m.line + 1,
			      (unsigned long)m.column + 1, d.data);
	dm_buf_free(&d);
	return status;
}

int dm__cfg_err_mark(dm__cfg_ctx *c, int status, yaml_mark_t m,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status = verr(c, status, m, fmt, ap);
	va_end(ap);
	return status;
}

static yaml_mark_t rec_mark(const dm__cfg_ctx *c, const void *rec)
{
	const dm__cfg_where *w = rec ? dm__cfg_where_rec(c, rec) : NULL;
	yaml_mark_t none = { 0, 0, 0 };

	if (w)
		return w->has_key ? w->key : w->val;
	return none;
}

int dm__cfg_err_val(dm__cfg_ctx *c, int status, const void *addr,
		    const void *rec, const char *fmt, ...)
{
	const dm__cfg_where *w = addr ? dm__cfg_where_field(c, addr) : NULL;
	va_list ap;

	va_start(ap, fmt);
	status = verr(c, status, w ? w->val : rec_mark(c, rec), fmt, ap);
	va_end(ap);
	return status;
}

int dm__cfg_err_key(dm__cfg_ctx *c, int status, const void *addr,
		    const void *rec, const char *fmt, ...)
{
	const dm__cfg_where *w = addr ? dm__cfg_where_field(c, addr) : NULL;
	yaml_mark_t m = rec_mark(c, rec);
	va_list ap;

	if (w)
		m = w->has_key ? w->key : w->val;
	va_start(ap, fmt);
	status = verr(c, status, m, fmt, ap);
	va_end(ap);
	return status;
}

int dm__cfg_err_rec(dm__cfg_ctx *c, int status, const void *rec,
		    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status = verr(c, status, rec_mark(c, rec), fmt, ap);
	va_end(ap);
	return status;
}

/* ---------------------------------------------------------------- loading */

int dm__cfg_ctx_init(dm__cfg_ctx *c, const char *file)
{
	memset(c, 0, sizeof(*c));
	c->budget = VISIT_BUDGET;
	dm__map_init(&c->where, DM__MAP_U64, NULL);
	c->mem = dm__cfg_mem_new();
	c->tmp = dm__cfg_mem_new();
	if (!c->mem || !c->tmp)
		return DM_E_NO_MEMORY;
	c->file = dm__cfg_strdup(c->mem, file && *file ? file : DEFAULT_FILE);
	return c->file ? 0 : DM_E_NO_MEMORY;
}

void dm__cfg_ctx_done(dm__cfg_ctx *c)
{
	if (c->have_doc) {
		yaml_node_t *n;

		/* The document holds every scalar, passwords included. */
		for (n = c->doc.nodes.start; n && n < c->doc.nodes.top; n++)
			if (n->type == YAML_SCALAR_NODE && n->data.scalar.value)
				dm__wipe(n->data.scalar.value,
					 n->data.scalar.length);
		yaml_document_delete(&c->doc);
		c->have_doc = false;
	}
	dm__map_free(&c->where);
	dm__cfg_mem_free(c->tmp);
	c->tmp = NULL;
}

/* Line and column of a byte offset (for reader errors, which carry only
 * an offset). */
static yaml_mark_t offset_mark(const char *text, size_t len, size_t off)
{
	yaml_mark_t m = { 0, 0, 0 };
	size_t i;

	if (off > len)
		off = len;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			m.line++;
			m.column = 0;
		} else {
			m.column++;
		}
	}
	m.index = off;
	return m;
}

static void wipe_parser(yaml_parser_t *p)
{
	if (p->buffer.start && p->buffer.end > p->buffer.start)
		dm__wipe(p->buffer.start,
			 (size_t)(p->buffer.end - p->buffer.start));
	if (p->raw_buffer.start && p->raw_buffer.end > p->raw_buffer.start)
		dm__wipe(p->raw_buffer.start,
			 (size_t)(p->raw_buffer.end - p->raw_buffer.start));
}

int dm__cfg_load(dm__cfg_ctx *c, const char *text, size_t len)
{
	yaml_parser_t p;
	int rc = 0;

	if (!text && len)
		return dm_error_set(c->err, DM_E_INVALID_ARGUMENT,
				    "configuration text is NULL");
	if (!yaml_parser_initialize(&p))
		return dm__cfg_oom(c);
	yaml_parser_set_input_string(&p, (const unsigned char *)(text ? text : ""),
				     len);
	if (!yaml_parser_load(&p, &c->doc)) {
		yaml_mark_t m = p.problem_mark;
		const char *problem = p.problem ? p.problem : "unknown error";

		if (p.error == YAML_MEMORY_ERROR) {
			rc = dm__cfg_oom(c);
		} else if (p.error == YAML_READER_ERROR) {
			m = offset_mark(text, len, p.problem_offset);
			rc = dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM, m,
					      "invalid YAML: %s", problem);
		} else if (p.context) {
			rc = dm__cfg_err_mark(
				c, DM_E_CONFIG_YAML_TRANSFORM, m,
				"invalid YAML: %s (%s at line %lu, column %lu)",
				problem, p.context,
				(unsigned long)p.context_mark.line + 1,
				(unsigned long)p.context_mark.column + 1);
		} else {
			rc = dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM, m,
					      "invalid YAML: %s", problem);
		}
	} else {
		c->have_doc = true;
		c->root = yaml_document_get_root_node(&c->doc);
	}
	wipe_parser(&p);
	yaml_parser_delete(&p);
	return rc;
}

/* ---------------------------------------------------------------- scalars */

static yaml_node_t *node_at(dm__cfg_ctx *c, int index)
{
	return yaml_document_get_node(&c->doc, index);
}

static const char *stext(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static bool seq_eq(const yaml_node_t *n, const char *s)
{
	size_t len = strlen(s);

	return n->data.scalar.length == len && memcmp(stext(n), s, len) == 0;
}

static bool is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "~", "null", "Null", "NULL" };
	size_t i;

	if (!is_plain(n))
		return false;
	if (n->data.scalar.length == 0)
		return true;
	for (i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (seq_eq(n, nulls[i]))
			return true;
	return false;
}

static bool resolve_bool(const yaml_node_t *n, bool *out)
{
	static const char *const yes[] = { "y", "Y", "yes", "Yes", "YES",
					   "true", "True", "TRUE",
					   "on", "On", "ON" };
	static const char *const no[] = { "n", "N", "no", "No", "NO",
					  "false", "False", "FALSE",
					  "off", "Off", "OFF" };
	size_t i;

	if (!is_plain(n))
		return false;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (seq_eq(n, yes[i])) {
			*out = true;
			return true;
		}
		if (seq_eq(n, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

enum { INT_NO, INT_OK, INT_OVERFLOW };

/* A plain integer as YAML 1.1 writes it: optional sign, "_" separators,
 * 0b/0o/0x prefixes and a leading 0 for octal. */
static int resolve_int(const yaml_node_t *n, bool *neg, uint64_t *mag)
{
	const char *s = stext(n), *end = s + n->data.scalar.length;
	unsigned base = 10;
	uint64_t v = 0;
	bool any = false;

	if (!is_plain(n) || s == end)
		return INT_NO;
	*neg = false;
	if (*s == '+' || *s == '-') {
		*neg = *s == '-';
		s++;
	}
	if (end - s >= 2 && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
		base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
		s += 2;
	} else if (end - s >= 2 && s[0] == '0') {
		base = 8;
		s++;
	}
	for (; s < end; s++) {
		unsigned d;

		if (*s == '_')
			continue;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned)(*s - 'A' + 10);
		else
			return INT_NO;
		if (d >= base)
			return INT_NO;
		any = true;
		if (v > (UINT64_MAX - d) / base) {
			/* keep scanning: "12x" is not a number at all */
			for (s++; s < end; s++)
				if (!(*s == '_' || (*s >= '0' && *s <= '9') ||
				      (base == 16 &&
				       ((*s >= 'a' && *s <= 'f') ||
					(*s >= 'A' && *s <= 'F')))))
					return INT_NO;
			return INT_OVERFLOW;
		}
		v = v * base + d;
	}
	if (!any)
		return INT_NO;
	*mag = v;
	return INT_OK;
}

static bool is_float_text(const yaml_node_t *n)
{
	const char *s = stext(n), *end = s + n->data.scalar.length;
	bool digits = false;

	if (!is_plain(n))
		return false;
	if (seq_eq(n, ".inf") || seq_eq(n, "-.inf") || seq_eq(n, "+.inf") ||
	    seq_eq(n, ".nan") || seq_eq(n, ".Inf") || seq_eq(n, ".NaN"))
		return true;
	if (s < end && (*s == '+' || *s == '-'))
		s++;
	while (s < end && ((*s >= '0' && *s <= '9') || *s == '_')) {
		digits = true;
		s++;
	}
	if (s < end && *s == '.') {
		s++;
		while (s < end && ((*s >= '0' && *s <= '9') || *s == '_')) {
			digits = true;
			s++;
		}
	}
	if (!digits)
		return false;
	if (s < end && (*s == 'e' || *s == 'E')) {
		bool exp = false;

		s++;
		if (s < end && (*s == '+' || *s == '-'))
			s++;
		while (s < end && *s >= '0' && *s <= '9') {
			exp = true;
			s++;
		}
		if (!exp)
			return false;
	}
	return s == end;
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE:
		return "a mapping";
	case YAML_SEQUENCE_NODE:
		return "a list";
	default:
		return "a scalar";
	}
}

/* The scalar's text, shortened for messages. */
static int shown_len(const yaml_node_t *n)
{
	size_t len = n->data.scalar.length;

	return len > 60 ? 60 : (int)len;
}

static int type_err(dm__cfg_ctx *c, const dm__cfg_field *f,
		    const yaml_node_t *v, const char *want)
{
	if (v->type == YAML_SCALAR_NODE)
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					v->start_mark,
					"%s must be %s, not \"%.*s\"", f->key,
					want, shown_len(v), stext(v));
	return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM, v->start_mark,
				"%s must be %s, not %s", f->key, want,
				kind_name(v));
}

static int visit(dm__cfg_ctx *c, const yaml_node_t *n)
{
	if (c->budget == 0)
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					n->start_mark,
					"document too large after expanding aliases");
	c->budget--;
	return 0;
}

/* A scalar copied into the arena; strings holding NUL are refused since
 * nothing downstream could use them. */
static int copy_scalar(dm__cfg_ctx *c, const char *what, const yaml_node_t *v,
		       const char **out)
{
	char *s;

	if (v->type != YAML_SCALAR_NODE)
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					v->start_mark,
					"%s must be a string, not %s", what,
					kind_name(v));
	if (memchr(stext(v), '\0', v->data.scalar.length))
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					v->start_mark,
					"%s holds a NUL character", what);
	if (is_null(v)) {
		*out = "";
		return 0;
	}
	s = dm__cfg_strndup(c->mem, stext(v), v->data.scalar.length);
	if (!s)
		return dm__cfg_oom(c);
	*out = s;
	return 0;
}

/* ------------------------------------------------------------------ pairs */

typedef struct pair {
	yaml_node_t *key;
	yaml_node_t *val;
} pair;

static bool is_merge_key(const yaml_node_t *k)
{
	return is_plain(k) && seq_eq(k, "<<");
}

static int collect(dm__cfg_ctx *c, yaml_node_t *map, dm__vec *pairs,
		   dm__map *seen, int depth, bool top)
{
	yaml_node_pair_t *p;
	int rc;

	if (depth > MAX_MERGE_DEPTH)
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					map->start_mark,
					"merge keys nested too deeply");
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
		pair pr;

		if (!k || !v)
			continue;
		if ((rc = visit(c, k)))
			return rc;
		if (k->type != YAML_SCALAR_NODE)
			return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
						k->start_mark,
						"a key must be a string, not %s",
						kind_name(k));
		if (is_merge_key(k))
			continue;
		if (memchr(stext(k), '\0', k->data.scalar.length))
			return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
						k->start_mark,
						"a key holds a NUL character");
		if (dm__map_find(NULL, seen, stext(k), k->data.scalar.length)) {
			if (!top)
				continue; /* an earlier key wins */
			return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
						k->start_mark,
						"key \"%.*s\" is already set in this mapping",
						shown_len(k), stext(k));
		}
		if (dm__map_put(NULL, seen, stext(k), k->data.scalar.length, k))
			return dm__cfg_oom(c);
		pr.key = k;
		pr.val = v;
		if (dm__vec_push(pairs, &pr))
			return dm__cfg_oom(c);
	}
	/* Merged mappings fill in what the explicit keys left out; among
	 * them the first one wins. */
	for (p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
		yaml_node_item_t *it;

		if (!k || !v || !is_merge_key(k))
			continue;
		if (v->type == YAML_MAPPING_NODE) {
			if ((rc = collect(c, v, pairs, seen, depth + 1, false)))
				return rc;
			continue;
		}
		if (v->type != YAML_SEQUENCE_NODE)
			return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
						v->start_mark,
						"a merge key (<<) needs a mapping or a list of mappings");
		for (it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++) {
			yaml_node_t *m = node_at(c, *it);

			if (!m)
				continue;
			if (m->type != YAML_MAPPING_NODE)
				return dm__cfg_err_mark(
					c, DM_E_CONFIG_YAML_TRANSFORM,
					m->start_mark,
					"a merge key (<<) needs a mapping or a list of mappings");
			if ((rc = collect(c, m, pairs, seen, depth + 1, false)))
				return rc;
		}
	}
	return 0;
}

/* The key/value pairs of a mapping with merge keys expanded. */
static int mapping_pairs(dm__cfg_ctx *c, yaml_node_t *map, dm__vec *pairs)
{
	dm__map seen;
	int rc;

	dm__vec_init(pairs, sizeof(pair));
	dm__map_init(&seen, DM__MAP_BYTES, NULL);
	rc = collect(c, map, pairs, &seen, 0, true);
	dm__map_free(&seen);
	if (rc)
		dm__vec_free(pairs);
	return rc;
}

/* --------------------------------------------------------------- decoding */

static int decode_mapping(dm__cfg_ctx *c, const dm__cfg_schema *s, void *rec,
			  yaml_node_t *map);

const dm__cfg_field *dm__cfg_field_by_key(const dm__cfg_schema *s,
					  const char *key)
{
	size_t i;

	for (i = 0; i < s->n_fields; i++)
		if (strcmp(s->fields[i].key, key) == 0)
			return &s->fields[i];
	return NULL;
}

static const dm__cfg_field *find_field(const dm__cfg_schema *s,
				       const yaml_node_t *k)
{
	size_t i;

	for (i = 0; i < s->n_fields; i++)
		if (seq_eq(k, s->fields[i].key))
			return &s->fields[i];
	return NULL;
}

static int unknown_key(dm__cfg_ctx *c, const dm__cfg_schema *s,
		       const yaml_node_t *k)
{
	char key[64];
	const char *best = NULL;
	size_t best_d = SIZE_MAX, i, len = k->data.scalar.length;

	if (len < sizeof(key)) {
		memcpy(key, stext(k), len);
		key[len] = '\0';
		for (i = 0; i < s->n_fields; i++) {
			size_t cap = strlen(s->fields[i].key) > 8 ? 3 : 2;
			size_t d = dm__cfg_distance(key, s->fields[i].key, cap);

			if (d <= cap && d < best_d) {
				best_d = d;
				best = s->fields[i].key;
			}
		}
	}
	if (best)
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					k->start_mark,
					"unknown key \"%.*s\" in %s (did you mean \"%s\"?)",
					shown_len(k), stext(k), s->what, best);
	return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM, k->start_mark,
				"unknown key \"%.*s\" in %s", shown_len(k),
				stext(k), s->what);
}

void dm__cfg_fill_strings(const dm__cfg_schema *s, void *rec)
{
	static const char empty[] = "";
	size_t i;

	for (i = 0; i < s->n_fields; i++) {
		const dm__cfg_field *f = &s->fields[i];
		const char *v;

		if (f->kind != DM__CFG_STR && f->kind != DM__CFG_SECRET)
			continue;
		memcpy(&v, (char *)rec + f->off, sizeof(v));
		if (!v) {
			v = empty;
			memcpy((char *)rec + f->off, &v, sizeof(v));
		}
	}
	if (s->name_off != DM__CFG_NO_OFF) {
		const char *v;

		memcpy(&v, (char *)rec + s->name_off, sizeof(v));
		if (!v) {
			v = empty;
			memcpy((char *)rec + s->name_off, &v, sizeof(v));
		}
	}
}

void *dm__cfg_new_rec(dm__cfg_ctx *c, const dm__cfg_schema *s)
{
	void *rec = dm__cfg_alloc(c->mem, s->size);

	if (rec && s->init && s->init(c, rec))
		return NULL;
	if (rec)
		dm__cfg_fill_strings(s, rec);
	return rec;
}

static void set_pos(const dm__cfg_schema *s, void *rec, const yaml_node_t *n)
{
	dm_cfg_pos pos;

	if (s->pos_off == DM__CFG_NO_OFF)
		return;
	pos.line = (unsigned)n->start_mark.line + 1;
	pos.column = (unsigned)n->start_mark.column + 1;
	memcpy((char *)rec + s->pos_off, &pos, sizeof(pos));
}

static int decode_number(dm__cfg_ctx *c, const dm__cfg_field *f, void *dst,
			 const yaml_node_t *v)
{
	bool neg = false;
	uint64_t mag = 0;
	int r = v->type == YAML_SCALAR_NODE ? resolve_int(v, &neg, &mag) : INT_NO;
	long long lo = f->min, hi = f->max;

	if (r == INT_NO)
		return type_err(c, f, v, "an integer");
	switch (f->kind) {
	case DM__CFG_U32:
		lo = 0;
		hi = (long long)UINT32_MAX;
		break;
	case DM__CFG_U64:
		if (r == INT_OVERFLOW || (neg && mag))
			goto range;
		*(uint64_t *)dst = mag;
		return 0;
	default:
		break;
	}
	if (r == INT_OVERFLOW)
		goto range;
	if (neg ? mag > (uint64_t)LLONG_MAX + 1u : mag > (uint64_t)LLONG_MAX)
		goto range;
	{
		long long x = neg ? (long long)(0 - mag) : (long long)mag;

		if (x < lo || x > hi)
			goto range;
		switch (f->kind) {
		case DM__CFG_INT:
			*(int *)dst = (int)x;
			break;
		case DM__CFG_UINT:
			*(unsigned *)dst = (unsigned)x;
			break;
		case DM__CFG_I64:
			*(int64_t *)dst = (int64_t)x;
			break;
		case DM__CFG_U32:
			*(uint32_t *)dst = (uint32_t)x;
			break;
		default:
			break;
		}
	}
	return 0;
range:
	if (f->kind == DM__CFG_U64)
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					v->start_mark,
					"%s %.*s is out of range (0 to %llu)",
					f->key, shown_len(v), stext(v),
					(unsigned long long)UINT64_MAX);
	return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM, v->start_mark,
				"%s %.*s is out of range (%lld to %lld)",
				f->key, shown_len(v), stext(v), lo, hi);
}

static bool ascii_case_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

static int decode_enum(dm__cfg_ctx *c, const dm__cfg_field *f, void *dst,
		       yaml_node_t *k, yaml_node_t *v)
{
	const dm__cfg_enum *e;
	const char *text;
	dm__cfg_where *w;
	int rc;

	if ((rc = copy_scalar(c, f->key, v, &text)))
		return rc;
	for (e = f->aux; e->name; e++) {
		if (f->flags & DM__CFG_ICASE ? ascii_case_eq(e->name, text) :
					       strcmp(e->name, text) == 0) {
			*(int *)dst = e->value;
			return 0;
		}
	}
	/* DM checks these values after decoding; so does the second pass. */
	w = remember(c, field_key(dst), k, v);
	if (!w)
		return dm__cfg_oom(c);
	w->bad = text;
	return 0;
}

static int decode_strv(dm__cfg_ctx *c, const dm__cfg_field *f, void *rec,
		       yaml_node_t *v)
{
	yaml_node_item_t *it;
	const char **arr;
	size_t n = 0;
	int rc;

	if (v->type != YAML_SEQUENCE_NODE)
		return type_err(c, f, v, "a list of strings");
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	arr = dm__cfg_alloc_array(c->mem, n ? n : 1, sizeof(*arr));
	if (!arr)
		return dm__cfg_oom(c);
	n = 0;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = node_at(c, *it);

		if (!e)
			continue;
		if ((rc = visit(c, e)))
			return rc;
		if ((rc = copy_scalar(c, f->key, e, &arr[n])))
			return rc;
		if (!remember(c, field_key(&arr[n]), e, e))
			return dm__cfg_oom(c);
		n++;
	}
	memcpy((char *)rec + f->off, &arr, sizeof(arr));
	memcpy((char *)rec + f->off2, &n, sizeof(n));
	return 0;
}

static int decode_vars(dm__cfg_ctx *c, const dm__cfg_field *f, void *rec,
		       yaml_node_t *v)
{
	dm__vec pairs;
	dm_db_var *vars;
	size_t i, n;
	int rc;

	if (v->type != YAML_MAPPING_NODE)
		return type_err(c, f, v, "a mapping of names to values");
	if ((rc = mapping_pairs(c, v, &pairs)))
		return rc;
	n = pairs.len;
	vars = dm__cfg_alloc_array(c->mem, n ? n : 1, sizeof(*vars));
	if (!vars) {
		rc = dm__cfg_oom(c);
		goto out;
	}
	for (i = 0; i < n; i++) {
		pair *p = &DM__VEC_DATA(&pairs, pair)[i];

		if ((rc = visit(c, p->val)) ||
		    (rc = copy_scalar(c, f->key, p->key, &vars[i].name)) ||
		    (rc = copy_scalar(c, f->key, p->val, &vars[i].value)))
			goto out;
		if (!remember(c, field_key(&vars[i]), p->key, p->val)) {
			rc = dm__cfg_oom(c);
			goto out;
		}
	}
	memcpy((char *)rec + f->off, &vars, sizeof(vars));
	memcpy((char *)rec + f->off2, &n, sizeof(n));
out:
	dm__vec_free(&pairs);
	return rc;
}

static int decode_struct(dm__cfg_ctx *c, const dm__cfg_field *f, void *rec,
			 yaml_node_t *k, yaml_node_t *v)
{
	const dm__cfg_schema *s = f->aux;
	void *sub;
	int rc;

	if (v->type != YAML_MAPPING_NODE)
		return type_err(c, f, v, "a mapping");
	memcpy(&sub, (char *)rec + f->off, sizeof(sub));
	if (!sub) {
		sub = dm__cfg_new_rec(c, s);
		if (!sub)
			return dm__cfg_oom(c);
		memcpy((char *)rec + f->off, &sub, sizeof(sub));
	}
	set_pos(s, sub, v);
	if (!remember(c, rec_key(sub), k, v))
		return dm__cfg_oom(c);
	if (f->off2 != DM__CFG_NO_OFF)
		*((bool *)((char *)rec + f->off2)) = true;
	c->depth++;
	rc = c->depth > MAX_DEPTH ?
		     dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
				      v->start_mark, "nested too deeply") :
		     decode_mapping(c, s, sub, v);
	c->depth--;
	return rc;
}

static int decode_map(dm__cfg_ctx *c, const dm__cfg_field *f, void *rec,
		      yaml_node_t *v)
{
	const dm__cfg_schema *s = f->aux;
	dm__vec pairs;
	void **arr;
	size_t i, n;
	int rc;

	if (v->type != YAML_MAPPING_NODE)
		return type_err(c, f, v, "a mapping of names to definitions");
	if ((rc = mapping_pairs(c, v, &pairs)))
		return rc;
	n = pairs.len;
	arr = dm__cfg_alloc_array(c->mem, n ? n : 1, sizeof(*arr));
	if (!arr) {
		rc = dm__cfg_oom(c);
		goto out;
	}
	for (i = 0; i < n; i++) {
		pair *p = &DM__VEC_DATA(&pairs, pair)[i];
		const char *name;

		if ((rc = visit(c, p->val)) ||
		    (rc = copy_scalar(c, f->key, p->key, &name)))
			goto out;
		arr[i] = dm__cfg_new_rec(c, s);
		if (!arr[i] || !remember(c, rec_key(arr[i]), p->key, p->val)) {
			rc = dm__cfg_oom(c);
			goto out;
		}
		memcpy((char *)arr[i] + s->name_off, &name, sizeof(name));
		set_pos(s, arr[i], p->key);
		if (is_null(p->val))
			continue;
		if (p->val->type != YAML_MAPPING_NODE) {
			rc = dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					      p->val->start_mark,
					      "%s \"%s\" must be a mapping, not %s",
					      s->what, name, kind_name(p->val));
			goto out;
		}
		c->depth++;
		rc = c->depth > MAX_DEPTH ?
			     dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					      p->val->start_mark,
					      "nested too deeply") :
			     decode_mapping(c, s, arr[i], p->val);
		c->depth--;
		if (rc)
			goto out;
	}
	memcpy((char *)rec + f->off, &arr, sizeof(arr));
	memcpy((char *)rec + f->off2, &n, sizeof(n));
out:
	dm__vec_free(&pairs);
	return rc;
}

/* A list of records; a null entry stays NULL (the second pass says what
 * DM says about it). */
static int decode_seq(dm__cfg_ctx *c, const dm__cfg_field *f, void *rec,
		      yaml_node_t *v)
{
	const dm__cfg_schema *s = f->aux;
	yaml_node_item_t *it;
	void **arr;
	size_t n;
	int rc;

	if (v->type != YAML_SEQUENCE_NODE)
		return type_err(c, f, v, "a list");
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	arr = dm__cfg_alloc_array(c->mem, n ? n : 1, sizeof(*arr));
	if (!arr)
		return dm__cfg_oom(c);
	n = 0;
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = node_at(c, *it);

		if (!e)
			continue;
		if ((rc = visit(c, e)))
			return rc;
		if (!remember(c, field_key(&arr[n]), e, e))
			return dm__cfg_oom(c);
		if (is_null(e)) {
			arr[n++] = NULL;
			continue;
		}
		if (e->type != YAML_MAPPING_NODE)
			return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
						e->start_mark,
						"each %s entry must be a mapping, not %s",
						f->key, kind_name(e));
		arr[n] = dm__cfg_new_rec(c, s);
		if (!arr[n] || !remember(c, rec_key(arr[n]), NULL, e))
			return dm__cfg_oom(c);
		set_pos(s, arr[n], e);
		c->depth++;
		rc = c->depth > MAX_DEPTH ?
			     dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					      e->start_mark,
					      "nested too deeply") :
			     decode_mapping(c, s, arr[n], e);
		c->depth--;
		if (rc)
			return rc;
		n++;
	}
	memcpy((char *)rec + f->off, &arr, sizeof(arr));
	memcpy((char *)rec + f->off2, &n, sizeof(n));
	return 0;
}

static int decode_field(dm__cfg_ctx *c, const dm__cfg_field *f, void *rec,
			yaml_node_t *k, yaml_node_t *v)
{
	void *dst = (char *)rec + f->off;
	int rc;

	if ((rc = visit(c, v)))
		return rc;
	if (!remember(c, field_key(dst), k, v))
		return dm__cfg_oom(c);
	if (f->kind == DM__CFG_ANY)
		return 0;
	if (is_null(v))
		return 0;
	switch (f->kind) {
	case DM__CFG_STR:
	case DM__CFG_SECRET:
		return copy_scalar(c, f->key, v, (const char **)dst);
	case DM__CFG_BOOL:
		if (!resolve_bool(v, (bool *)dst))
			return type_err(c, f, v, "true or false");
		return 0;
	case DM__CFG_INT:
	case DM__CFG_UINT:
	case DM__CFG_I64:
	case DM__CFG_U32:
	case DM__CFG_U64:
		return decode_number(c, f, dst, v);
	case DM__CFG_DUR: {
		const char *text;
		int64_t ns;

		/* DM has its own code for the syncer's safe-mode-duration. */
		int bad = strcmp(f->key, "safe-mode-duration") == 0 ?
				  DM_E_CONFIG_INVALID_SAFE_MODE_DURATION :
				  DM_E_CONFIG_YAML_TRANSFORM;

		if ((rc = copy_scalar(c, f->key, v, &text)))
			return rc;
		if (!dm__cfg_parse_duration(text, &ns))
			return dm__cfg_err_mark(c, bad, v->start_mark,
						"%s \"%.*s\" is not a duration such as \"90s\", \"5m\" or \"1h30m\"",
						f->key, shown_len(v), stext(v));
		if (ns < f->min)
			return dm__cfg_err_mark(c, bad, v->start_mark,
						"%s must not be negative",
						f->key);
		*(int64_t *)dst = ns;
		return 0;
	}
	case DM__CFG_FLOAT: {
		bool neg;
		uint64_t mag;

		if (v->type == YAML_SCALAR_NODE &&
		    (resolve_int(v, &neg, &mag) != INT_NO || is_float_text(v)))
			return 0;
		return type_err(c, f, v, "a number");
	}
	case DM__CFG_ENUM:
		return decode_enum(c, f, dst, k, v);
	case DM__CFG_STRV:
		return decode_strv(c, f, rec, v);
	case DM__CFG_VARS:
		return decode_vars(c, f, rec, v);
	case DM__CFG_STRUCT:
		return decode_struct(c, f, rec, k, v);
	case DM__CFG_MAP:
		return decode_map(c, f, rec, v);
	case DM__CFG_SEQ:
		return decode_seq(c, f, rec, v);
	default:
		return dm_error_set(c->err, DM_E_INTERNAL, "bad field kind");
	}
}

static int decode_mapping(dm__cfg_ctx *c, const dm__cfg_schema *s, void *rec,
			  yaml_node_t *map)
{
	dm__vec pairs;
	size_t i;
	int rc;

	if ((rc = mapping_pairs(c, map, &pairs)))
		return rc;
	for (i = 0; i < pairs.len; i++) {
		pair *p = &DM__VEC_DATA(&pairs, pair)[i];
		const dm__cfg_field *f = find_field(s, p->key);

		if (!f) {
			rc = unknown_key(c, s, p->key);
			break;
		}
		if ((rc = decode_field(c, f, rec, p->key, p->val)))
			break;
	}
	dm__vec_free(&pairs);
	return rc;
}

int dm__cfg_decode_root(dm__cfg_ctx *c, const dm__cfg_schema *s, void *rec)
{
	yaml_node_t *root = c->root;

	if (!remember(c, rec_key(rec), NULL, root))
		return dm__cfg_oom(c);
	if (!root || is_null(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return dm__cfg_err_mark(c, DM_E_CONFIG_YAML_TRANSFORM,
					root->start_mark,
					"a %s must be a mapping, not %s",
					s->what, kind_name(root));
	return decode_mapping(c, s, rec, root);
}

/* ------------------------------------------------------------ top level */

int dm__cfg_parse_root(void **out, const dm__cfg_root *root,
		       const char *text, size_t len, const char *file_name,
		       dm_error **err)
{
	dm__cfg_ctx c;
	char *rec;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT, "out is NULL");
	*out = NULL;
	rc = dm__cfg_ctx_init(&c, file_name);
	c.err = err;
	if (rc) {
		rc = dm__cfg_oom(&c);
		goto out;
	}
	rec = dm__cfg_new_rec(&c, root->schema);
	if (!rec) {
		rc = dm__cfg_oom(&c);
		goto out;
	}
	memcpy(rec + root->mem_offset, &c.mem, sizeof(c.mem));
	memcpy(rec + root->file_offset, &c.file, sizeof(c.file));
	if ((rc = dm__cfg_load(&c, text, len)) ||
	    (rc = dm__cfg_decode_root(&c, root->schema, rec)) ||
	    (rc = root->check(&c, rec)))
		goto out;
	*out = rec;
	c.mem = NULL;
out:
	dm__cfg_ctx_done(&c);
	dm__cfg_mem_free(c.mem);
	return rc;
}
