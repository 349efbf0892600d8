/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The two-level pattern trie behind every rule set (DM's table-rule
 * selector) plus the rules with a regular expression, which are tried one
 * by one. See rules_private.h for the contract.
 */
#include "rules/rules_private.h"

#include <string.h>

#include "util/alloc.h"

/* Longest wildcard pattern accepted; a MySQL name has at most 64
 * characters, so anything near this is a mistake. It also bounds the
 * recursion of the trie walk. */
#define MAX_GLOB_LEN 1024

typedef struct lit_edge {
	unsigned char c;
	uint32_t child;
} lit_edge;

typedef struct set_edge {
	uint32_t set[8];
	uint32_t child;
} set_edge;

typedef struct tnode {
	dm__vec lits;  /* lit_edge, sorted by c */
	dm__vec sets;  /* set_edge */
	int32_t any;   /* child through '?', or -1 */
	int32_t end;   /* terminal of patterns ending here, or -1 */
	int32_t star;  /* terminal of patterns ending here with '*', or -1 */
} tnode;

typedef struct terminal {
	dm__vec rules; /* uint32_t: rule numbers in insertion order */
	int32_t next;  /* root of the table-level trie, or -1 */
} terminal;

/* One side of a rule tried one by one: a regular expression or a parsed
 * wildcard pattern. */
typedef struct side {
	dm__rx *re;
	dm__vec glob; /* dm__glob_elem, when re is NULL */
	char *text;   /* the pattern as stored (folded when insensitive) */
} side;

typedef struct xrule {
	uint32_t rule;
	bool schema_level;
	side schema;
	side table;
} xrule;

/* The frozen trie: nodes in depth-first order, each node's edges side by
 * side in shared arrays, so that a walk touches few cache lines. */
typedef struct fnode {
	uint32_t lit;   /* first edge in lit_c / lit_to */
	uint32_t n_lit;
	uint32_t set;   /* first edge in fsets */
	uint32_t n_set;
	int32_t any;    /* node, or -1 */
	int32_t end;    /* terminal, or -1 */
	int32_t star;   /* terminal, or -1 */
} fnode;

typedef struct fterm {
	uint32_t rule;  /* first rule in frules */
	uint32_t n_rules;
	int32_t next;   /* node, or -1 */
} fterm;

struct dm__selector {
	dm__rx_env *env;
	bool case_sensitive;
	bool frozen;
	/* while building */
	dm__vec nodes;     /* tnode; node 0 is the schema root */
	dm__vec terms;     /* terminal */
	/* after dm__selector_freeze; node 0 is the schema root */
	fnode *fn;
	unsigned char *lit_c;
	uint32_t *lit_to;
	set_edge *fsets;
	fterm *ft;
	uint32_t *frules;
	dm__vec xrules;    /* xrule */
	size_t n_rules;
};

static int32_t new_node(dm__selector *s)
{
	tnode *n = dm__vec_push_zero(&s->nodes);

	if (!n)
		return -1;
	dm__vec_init(&n->lits, sizeof(lit_edge));
	dm__vec_init(&n->sets, sizeof(set_edge));
	n->any = n->end = n->star = -1;
	return (int32_t)(s->nodes.len - 1);
}

static int32_t new_term(dm__selector *s)
{
	terminal *t = dm__vec_push_zero(&s->terms);

	if (!t)
		return -1;
	dm__vec_init(&t->rules, sizeof(uint32_t));
	t->next = -1;
	return (int32_t)(s->terms.len - 1);
}

static tnode *node_at(const dm__selector *s, uint32_t i)
{
	return &DM__VEC_DATA(&s->nodes, tnode)[i];
}

static terminal *term_at(const dm__selector *s, uint32_t i)
{
	return &DM__VEC_DATA(&s->terms, terminal)[i];
}

int dm__selector_new(dm__selector **out, dm__rx_env *env, bool case_sensitive)
{
	dm__selector *s;

	*out = NULL;
	s = dm__calloc(1, sizeof(*s));
	if (!s)
		return DM_E_NO_MEMORY;
	s->env = env;
	s->case_sensitive = case_sensitive;
	dm__vec_init(&s->nodes, sizeof(tnode));
	dm__vec_init(&s->terms, sizeof(terminal));
	dm__vec_init(&s->xrules, sizeof(xrule));
	if (new_node(s) != 0) {
		dm__selector_free(s);
		return DM_E_NO_MEMORY;
	}
	*out = s;
	return 0;
}

static void side_done(side *sd)
{
	dm__rx_free(sd->re);
	dm__vec_free(&sd->glob);
	dm__free(sd->text);
}

static void free_build(dm__selector *s)
{
	size_t i;

	for (i = 0; i < s->nodes.len; i++) {
		tnode *n = node_at(s, (uint32_t)i);

		dm__vec_free(&n->lits);
		dm__vec_free(&n->sets);
	}
	for (i = 0; i < s->terms.len; i++)
		dm__vec_free(&term_at(s, (uint32_t)i)->rules);
	dm__vec_free(&s->nodes);
	dm__vec_free(&s->terms);
}

static void free_frozen(dm__selector *s)
{
	dm__free(s->fn);
	dm__free(s->lit_c);
	dm__free(s->lit_to);
	dm__free(s->fsets);
	dm__free(s->ft);
	dm__free(s->frules);
	s->fn = NULL;
	s->lit_c = NULL;
	s->lit_to = NULL;
	s->fsets = NULL;
	s->ft = NULL;
	s->frules = NULL;
}

void dm__selector_free(dm__selector *s)
{
	size_t i;

	if (!s)
		return;
	free_build(s);
	free_frozen(s);
	for (i = 0; i < s->xrules.len; i++) {
		xrule *x = &DM__VEC_DATA(&s->xrules, xrule)[i];

		side_done(&x->schema);
		side_done(&x->table);
	}
	dm__vec_free(&s->xrules);
	dm__free(s);
}

bool dm__selector_empty(const dm__selector *s)
{
	return s->n_rules == 0;
}

/* ------------------------------------------------------------- building */

/* Index of the literal edge for c in n, or where it would go. */
static size_t lit_find(const tnode *n, unsigned char c, bool *found)
{
	const lit_edge *e = DM__VEC_DATA(&n->lits, lit_edge);
	size_t lo = 0, hi = n->lits.len;

	if (hi <= 8) {
		while (lo < hi && e[lo].c < c)
			lo++;
		*found = lo < hi && e[lo].c == c;
		return lo;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e[mid].c < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < n->lits.len && e[lo].c == c;
	return lo;
}

/* Child of node `at` for one pattern element, created when missing. */
static int32_t step(dm__selector *s, uint32_t at, const dm__glob_elem *e)
{
	tnode *n = node_at(s, at);
	int32_t child;
	size_t i;

	switch (e->kind) {
	case DM__GLOB_ANY:
		if (n->any >= 0)
			return n->any;
		child = new_node(s);
		if (child >= 0)
			node_at(s, at)->any = child;
		return child;
	case DM__GLOB_SET: {
		set_edge se;

		for (i = 0; i < n->sets.len; i++) {
			set_edge *x = &DM__VEC_DATA(&n->sets, set_edge)[i];

			if (memcmp(x->set, e->set, sizeof(x->set)) == 0)
				return (int32_t)x->child;
		}
		child = new_node(s);
		if (child < 0)
			return -1;
		memcpy(se.set, e->set, sizeof(se.set));
		se.child = (uint32_t)child;
		if (dm__vec_push(&node_at(s, at)->sets, &se))
			return -1;
		return child;
	}
	default: {
		bool found;
		size_t pos = lit_find(n, e->c, &found);
		lit_edge le;
		dm__vec *lits;

		if (found)
			return (int32_t)DM__VEC_DATA(&n->lits, lit_edge)[pos].child;
		child = new_node(s);
		if (child < 0)
			return -1;
		lits = &node_at(s, at)->lits;
		if (dm__vec_push(lits, NULL))
			return -1;
		memmove(DM__VEC_DATA(lits, lit_edge) + pos + 1,
			DM__VEC_DATA(lits, lit_edge) + pos,
			(lits->len - 1 - pos) * sizeof(lit_edge));
		le.c = e->c;
		le.child = (uint32_t)child;
		DM__VEC_DATA(lits, lit_edge)[pos] = le;
		return child;
	}
	}
}

/* Walks or builds the path of a parsed pattern from `root`; returns its
 * terminal (created when missing) or -1 when out of memory. */
static int32_t insert_path(dm__selector *s, uint32_t root,
			   const dm__glob_elem *elems, size_t n)
{
	uint32_t at = root;
	int32_t t, *slot;
	size_t i;

	for (i = 0; i < n; i++) {
		int32_t child;

		if (elems[i].kind == DM__GLOB_STAR)
			break;
		child = step(s, at, &elems[i]);
		if (child < 0)
			return -1;
		at = (uint32_t)child;
	}
	slot = i < n ? &node_at(s, at)->star : &node_at(s, at)->end;
	if (*slot >= 0)
		return *slot;
	t = new_term(s);
	if (t < 0)
		return -1;
	/* new_term does not move nodes, but re-read the slot anyway. */
	if (i < n)
		node_at(s, at)->star = t;
	else
		node_at(s, at)->end = t;
	return t;
}

static bool is_regex(const char *p)
{
	return p && p[0] == '~';
}

/* Parses a wildcard pattern (folded first when insensitive). */
static int parse_glob(const dm__selector *s, dm__vec *elems, const char *pat,
		      int status, const char *what, const char *side_name,
		      dm_error **err)
{
	size_t len = strlen(pat);
	char *folded = NULL;
	const char *use = pat;
	int rc;

	if (len > MAX_GLOB_LEN)
		return dm_error_set(err, status,
				    "%s: %s pattern is longer than %d bytes",
				    what, side_name, MAX_GLOB_LEN);
	if (!s->case_sensitive) {
		folded = dm__malloc(len + 1);
		if (!folded)
			return dm_error_set(err, DM_E_NO_MEMORY, "%s", what);
		dm__rules_fold(folded, pat, len);
		use = folded;
	}
	rc = dm__glob_parse(elems, use, len);
	dm__free(folded);
	if (rc == DM_E_NO_MEMORY)
		return dm_error_set(err, rc, "%s", what);
	if (rc)
		return dm_error_set(err, status,
				    "%s: %s pattern \"%s\" is not valid: '*' may only be the last character",
				    what, side_name, pat);
	return 0;
}

static int side_init(const dm__selector *s, side *sd, const char *pat,
		     int status, const char *what, const char *side_name,
		     dm_error **err)
{
	size_t len = strlen(pat);
	int rc;

	dm__vec_init(&sd->glob, sizeof(dm__glob_elem));
	sd->re = NULL;
	sd->text = dm__strdup(pat);
	if (!sd->text)
		return dm_error_set(err, DM_E_NO_MEMORY, "%s", what);
	if (is_regex(pat)) {
		if (len == 1)
			return dm_error_set(err, status,
					    "%s: %s pattern \"~\" has an empty regular expression",
					    what, side_name);
		return dm__rx_compile(&sd->re, s->env, pat + 1, len - 1,
				      !s->case_sensitive, status, what, err);
	}
	if (!s->case_sensitive)
		dm__rules_fold(sd->text, pat, len);
	rc = parse_glob(s, &sd->glob, pat, status, what, side_name, err);
	return rc;
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static int add_xrule(dm__selector *s, const char *schema, const char *table,
		     uint32_t rule, bool allow_dup, int status,
		     const char *what, dm_error **err)
{
	xrule x;
	size_t i;
	int rc;

	memset(&x, 0, sizeof(x));
	x.rule = rule;
	x.schema_level = !table || !*table;
	rc = side_init(s, &x.schema, schema, status, what, "schema", err);
	if (rc == 0 && !x.schema_level)
		rc = side_init(s, &x.table, table, status, what, "table", err);
	else
		dm__vec_init(&x.table.glob, sizeof(dm__glob_elem));
	if (rc)
		goto out_free;
	if (!allow_dup) {
		for (i = 0; i < s->xrules.len; i++) {
			const xrule *o = &DM__VEC_DATA(&s->xrules, xrule)[i];

			if (o->schema_level == x.schema_level &&
			    same_text(o->schema.text, x.schema.text) &&
			    same_text(o->table.text, x.table.text)) {
				rc = dm_error_set(err, status,
						  "%s: another rule already uses schema pattern \"%s\" and table pattern \"%s\"",
						  what, schema, table ? table : "");
				goto out_free;
			}
		}
	}
	if (dm__vec_push(&s->xrules, &x)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, "%s", what);
		goto out_free;
	}
	return 0;

out_free:
	side_done(&x.schema);
	side_done(&x.table);
	return rc;
}

int dm__selector_add(dm__selector *s, const char *schema, const char *table,
		     uint32_t rule, bool allow_dup, int status,
		     const char *what, dm_error **err)
{
	dm__vec se, te;
	int32_t t, root;
	terminal *term;
	int rc;

	if (s->frozen)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: the selector is already frozen", what);
	if (!schema || !*schema)
		return dm_error_set(err, status,
				    "%s: schema pattern must not be empty",
				    what);
	if (is_regex(schema) || is_regex(table)) {
		rc = add_xrule(s, schema, table, rule, allow_dup, status, what,
			       err);
		if (rc == 0)
			s->n_rules++;
		return rc;
	}
	dm__vec_init(&se, sizeof(dm__glob_elem));
	dm__vec_init(&te, sizeof(dm__glob_elem));
	rc = parse_glob(s, &se, schema, status, what, "schema", err);
	if (rc == 0 && table && *table)
		rc = parse_glob(s, &te, table, status, what, "table", err);
	if (rc)
		goto out;
	t = insert_path(s, 0, se.data, se.len);
	if (t < 0)
		goto out_nomem;
	if (table && *table) {
		root = term_at(s, (uint32_t)t)->next;
		if (root < 0) {
			root = new_node(s);
			if (root < 0)
				goto out_nomem;
			term_at(s, (uint32_t)t)->next = root;
		}
		t = insert_path(s, (uint32_t)root, te.data, te.len);
		if (t < 0)
			goto out_nomem;
	}
	term = term_at(s, (uint32_t)t);
	if (!allow_dup && term->rules.len) {
		rc = dm_error_set(err, status,
				  "%s: another rule already uses schema pattern \"%s\" and table pattern \"%s\"",
				  what, schema, table ? table : "");
		goto out;
	}
	if (dm__vec_push(&term->rules, &rule))
		goto out_nomem;
	s->n_rules++;
	rc = 0;
	goto out;

out_nomem:
	/* Nodes made on the way stay: they are harmless and freed with the
	 * selector. */
	rc = dm_error_set(err, DM_E_NO_MEMORY, "%s", what);
out:
	dm__vec_free(&se);
	dm__vec_free(&te);
	return rc;
}

/* ------------------------------------------------------------- freezing */

/* Pushes the build-time children of node `n` so that a depth-first walk
 * meets '?' first, then brackets, then literals in byte order, then the
 * table tries hanging off its terminals. */
static int push_children(dm__vec *stack, const dm__selector *s, uint32_t n)
{
	const tnode *nd = node_at(s, n);
	uint32_t c;
	size_t k;
	int32_t t;

	for (t = 0; t < 2; t++) {
		int32_t term = t == 0 ? nd->star : nd->end;

		if (term >= 0 && term_at(s, (uint32_t)term)->next >= 0) {
			c = (uint32_t)term_at(s, (uint32_t)term)->next;
			if (dm__vec_push(stack, &c))
				return DM_E_NO_MEMORY;
		}
	}
	for (k = nd->lits.len; k-- > 0;) {
		c = DM__VEC_DATA(&nd->lits, lit_edge)[k].child;
		if (dm__vec_push(stack, &c))
			return DM_E_NO_MEMORY;
	}
	for (k = nd->sets.len; k-- > 0;) {
		c = DM__VEC_DATA(&nd->sets, set_edge)[k].child;
		if (dm__vec_push(stack, &c))
			return DM_E_NO_MEMORY;
	}
	if (nd->any >= 0) {
		c = (uint32_t)nd->any;
		if (dm__vec_push(stack, &c))
			return DM_E_NO_MEMORY;
	}
	return 0;
}

int dm__selector_freeze(dm__selector *s)
{
	size_t n = s->nodes.len, nt = s->terms.len, i, k;
	size_t n_lit = 0, n_set = 0, n_rule = 0, lit = 0, set = 0, rule = 0;
	uint32_t *map = NULL, *order = NULL, zero = 0, cur;
	dm__vec stack;
	int rc = DM_E_NO_MEMORY;

	if (s->frozen)
		return 0;
	dm__vec_init(&stack, sizeof(uint32_t));
	map = dm__reallocarray(NULL, n, sizeof(*map));
	order = dm__reallocarray(NULL, n, sizeof(*order));
	if (!map || !order)
		goto out;
	for (i = 0; i < n; i++) {
		const tnode *nd = node_at(s, (uint32_t)i);

		map[i] = UINT32_MAX;
		n_lit += nd->lits.len;
		n_set += nd->sets.len;
	}
	for (i = 0; i < nt; i++)
		n_rule += term_at(s, (uint32_t)i)->rules.len;
	/* Depth-first numbering from the schema root. */
	k = 0;
	if (dm__vec_push(&stack, &zero))
		goto out;
	while (dm__vec_pop(&cur, &stack)) {
		if (map[cur] != UINT32_MAX)
			continue;
		map[cur] = (uint32_t)k;
		order[k++] = cur;
		if (push_children(&stack, s, cur))
			goto out;
	}
	s->fn = dm__calloc(n ? n : 1, sizeof(*s->fn));
	s->lit_c = dm__malloc(n_lit ? n_lit : 1);
	s->lit_to = dm__calloc(n_lit ? n_lit : 1, sizeof(*s->lit_to));
	s->fsets = dm__calloc(n_set ? n_set : 1, sizeof(*s->fsets));
	s->ft = dm__calloc(nt ? nt : 1, sizeof(*s->ft));
	s->frules = dm__calloc(n_rule ? n_rule : 1, sizeof(*s->frules));
	if (!s->fn || !s->lit_c || !s->lit_to || !s->fsets || !s->ft ||
	    !s->frules) {
		free_frozen(s);
		goto out;
	}
	for (i = 0; i < k; i++) {
		const tnode *nd = node_at(s, order[i]);
		fnode *f = &s->fn[i];
		size_t e;

		f->lit = (uint32_t)lit;
		f->n_lit = (uint32_t)nd->lits.len;
		for (e = 0; e < nd->lits.len; e++, lit++) {
			const lit_edge *le = &DM__VEC_DATA(&nd->lits, lit_edge)[e];

			s->lit_c[lit] = le->c;
			s->lit_to[lit] = map[le->child];
		}
		f->set = (uint32_t)set;
		f->n_set = (uint32_t)nd->sets.len;
		for (e = 0; e < nd->sets.len; e++, set++) {
			s->fsets[set] = DM__VEC_DATA(&nd->sets, set_edge)[e];
			s->fsets[set].child = map[s->fsets[set].child];
		}
		f->any = nd->any >= 0 ? (int32_t)map[nd->any] : -1;
		f->end = nd->end;
		f->star = nd->star;
	}
	for (i = 0; i < nt; i++) {
		const terminal *t = term_at(s, (uint32_t)i);

		s->ft[i].rule = (uint32_t)rule;
		s->ft[i].n_rules = (uint32_t)t->rules.len;
		s->ft[i].next = t->next >= 0 ? (int32_t)map[t->next] : -1;
		if (t->rules.len)
			memcpy(s->frules + rule, t->rules.data,
			       t->rules.len * sizeof(uint32_t));
		rule += t->rules.len;
	}
	free_build(s);
	s->frozen = true;
	rc = 0;
out:
	dm__vec_free(&stack);
	dm__free(map);
	dm__free(order);
	return rc;
}

/* --------------------------------------------------------------- walking */

/* Schema terminals remembered by the first walk; more than this many
 * matching schema patterns (rare) make the schema trie be walked twice. */
#define MAX_TERMS 32

typedef struct walk {
	const dm__selector *s;
	dm__selector_visit visit;
	dm__selector_want want;
	void *ud;
	bool collect;      /* remember schema terminals, visit nothing */
	bool schema_phase; /* else: visit schema-level rules / table tries */
	const char *table;
	size_t table_len;
	size_t n_terms;
	bool overflow;
	int32_t terms[MAX_TERMS];
} walk;

static int visit_term(walk *w, int32_t t, bool schema_level)
{
	const fterm *term = &w->s->ft[t];
	const uint32_t *r = w->s->frules + term->rule;
	uint32_t i;
	int rc;

	for (i = 0; i < term->n_rules; i++) {
		rc = w->visit(w->ud, r[i], schema_level);
		if (rc)
			return rc;
	}
	return 0;
}

static int walk_trie(walk *w, uint32_t at, const unsigned char *p, size_t len,
		     int level);

static int on_schema_term(walk *w, int32_t t)
{
	const fterm *term = &w->s->ft[t];

	if (w->collect) {
		if (w->n_terms < MAX_TERMS)
			w->terms[w->n_terms++] = t;
		else
			w->overflow = true;
		return 0;
	}
	if (w->schema_phase)
		return visit_term(w, t, true);
	if (term->next < 0)
		return 0;
	return walk_trie(w, (uint32_t)term->next,
			 (const unsigned char *)w->table, w->table_len, 1);
}

static int on_term(walk *w, int32_t t, int level)
{
	return level == 0 ? on_schema_term(w, t) : visit_term(w, t, false);
}

static bool set_has(const uint32_t *set, unsigned char c)
{
	return (set[c >> 5] >> (c & 31)) & 1;
}

/* The child of `n` for byte c, or -1. */
static inline int64_t lit_child(const dm__selector *s, const fnode *n,
				unsigned char c)
{
	const unsigned char *keys = s->lit_c + n->lit;
	uint32_t lo = 0, hi = n->n_lit;

	if (hi <= 16) {
		for (; lo < hi; lo++)
			if (keys[lo] == c)
				return (int64_t)s->lit_to[n->lit + lo];
		return -1;
	}
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (keys[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n->n_lit && keys[lo] == c ? (int64_t)s->lit_to[n->lit + lo]
					      : -1;
}

/* DM's trie walk: at each position first the '*' terminal, then the '?'
 * branch, then the bracket branches, then the literal path; at the end of
 * the name the exact terminal, then the '*' terminal. */
static int walk_trie(walk *w, uint32_t at, const unsigned char *p, size_t len,
		     int level)
{
	const dm__selector *s = w->s;
	const fnode *n;
	size_t i;
	uint32_t k;
	int rc;

	for (i = 0;; i++) {
		int64_t next;

		n = &s->fn[at];
		if (i == len)
			break;
		if (n->star >= 0) {
			rc = on_term(w, n->star, level);
			if (rc)
				return rc;
		}
		if (n->any >= 0) {
			rc = walk_trie(w, (uint32_t)n->any, p + i + 1,
				       len - i - 1, level);
			if (rc)
				return rc;
		}
		for (k = 0; k < n->n_set; k++) {
			const set_edge *e = &s->fsets[n->set + k];

			if (!set_has(e->set, p[i]))
				continue;
			rc = walk_trie(w, e->child, p + i + 1, len - i - 1,
				       level);
			if (rc)
				return rc;
		}
		if (n->n_lit == 0)
			return 0;
		next = lit_child(s, n, p[i]);
		if (next < 0)
			return 0;
		at = (uint32_t)next;
	}
	if (n->end >= 0) {
		rc = on_term(w, n->end, level);
		if (rc)
			return rc;
	}
	if (n->star >= 0)
		return on_term(w, n->star, level);
	return 0;
}

/* 1 when one side of a regex rule matches `s`, 0 when not, or < 0. */
static int side_match(const dm__selector *s, const side *sd, const char *str,
		      size_t len, dm_error **err)
{
	if (sd->re)
		return dm__rx_search(s->env, sd->re, str, len, err);
	return dm__glob_match(sd->glob.data, sd->glob.len, str, len);
}

static int walk_xrules(walk *w, bool schema_level, const char *schema,
		       size_t schema_len, dm_error **err)
{
	const dm__selector *s = w->s;
	size_t i;
	int rc;

	for (i = 0; i < s->xrules.len; i++) {
		const xrule *x = &DM__VEC_DATA(&s->xrules, xrule)[i];

		if (x->schema_level != schema_level)
			continue;
		if (w->want && !w->want(w->ud, x->rule, schema_level))
			continue;
		rc = side_match(s, &x->schema, schema, schema_len, err);
		if (rc <= 0) {
			if (rc < 0)
				return rc;
			continue;
		}
		if (!schema_level) {
			rc = side_match(s, &x->table, w->table, w->table_len,
					err);
			if (rc <= 0) {
				if (rc < 0)
					return rc;
				continue;
			}
		}
		rc = w->visit(w->ud, x->rule, schema_level);
		if (rc)
			return rc;
	}
	return 0;
}

int dm__selector_walk(const dm__selector *s, const char *schema,
		      size_t schema_len, const char *table, size_t table_len,
		      dm__selector_visit visit, dm__selector_want want,
		      void *ud, dm_error **err)
{
	walk w;
	size_t i;
	int rc;

	if (s->n_rules == 0)
		return 0;
	if (!s->frozen)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "selector used before it was frozen");
	w.s = s;
	w.visit = visit;
	w.want = want;
	w.ud = ud;
	w.table = table ? table : "";
	w.table_len = table ? table_len : 0;
	w.n_terms = 0;
	w.overflow = false;
	/* One walk of the schema trie finds the schema terminals; their
	 * schema-level rules come first, then their table tries. */
	w.collect = true;
	(void)walk_trie(&w, 0, (const unsigned char *)schema, schema_len, 0);
	w.collect = false;
	w.schema_phase = true;
	if (w.overflow) {
		rc = walk_trie(&w, 0, (const unsigned char *)schema,
			       schema_len, 0);
	} else {
		for (i = 0, rc = 0; rc == 0 && i < w.n_terms; i++)
			rc = on_schema_term(&w, w.terms[i]);
	}
	if (rc == 0 && s->xrules.len)
		rc = walk_xrules(&w, true, schema, schema_len, err);
	if (rc)
		return rc;
	w.schema_phase = false;
	if (w.overflow) {
		rc = walk_trie(&w, 0, (const unsigned char *)schema,
			       schema_len, 0);
	} else {
		for (i = 0, rc = 0; rc == 0 && i < w.n_terms; i++)
			rc = on_schema_term(&w, w.terms[i]);
	}
	if (rc == 0 && s->xrules.len)
		rc = walk_xrules(&w, false, schema, schema_len, err);
	return rc;
}
