/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Expression filters (DM's expression-filter): SQL expressions over the
 * values of a row change that decide whether the change is skipped.
 *
 * Each rule names one upstream table exactly and carries an INSERT, a
 * DELETE, or an UPDATE expression pair (old values, new values). Rules are
 * parsed once by dm_expr_filter_new and only read afterwards; evaluation state (the
 * row handed to dm_sql_eval, the result text) lives in the caller's stack
 * and scratch buffer, so any number of threads may share one filter.
 *
 * A change is skipped when, for some rule of its table and kind, the
 * expression yields the integer 1 (NULL, 0 and anything else keep it). For
 * UPDATE, a rule skips when its old-value expression holds on the before
 * image and its new-value expression on the after image; a side the rule
 * does not set counts as true. See dm_expr_filter(3).
 */
#include "rules/rules_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/alloc.h"

/* The four expressions a rule may set, in dm_cfg_expr_filter order. */
enum { X_INSERT, X_UPD_OLD, X_UPD_NEW, X_DELETE, X_N };

static const char *const x_key[X_N] = {
	"insert-value-expr",
	"update-old-value-expr",
	"update-new-value-expr",
	"delete-value-expr",
};

/* Column rows up to this size are built on the stack. */
#define ROW_STACK 64
/* Nesting bound while walking an expression tree. */
#define WALK_DEPTH 256

typedef struct xexpr {
	dm_sql_stmt *stmt;        /* NULL: the rule does not set it */
	const dm_sql_expr *expr;
	const char **refs;        /* column names used, borrowed from stmt */
	size_t nrefs;
} xexpr;

typedef struct xrule {
	char *schema;             /* folded when case-insensitive */
	char *table;
	xexpr x[X_N];
} xrule;

struct dm_expr_filter {
	bool case_sensitive;
	dm_sql_eval_opts eval;    /* now_* filled in per call */
	xrule *rules;
	size_t n;
};

/* ------------------------------------------------------------ compiling */

static int walk_refs(xexpr *x, const dm_sql_expr *e, unsigned depth)
{
	size_t i, k;
	int rc;

	if (!e)
		return 0;
	if (depth > WALK_DEPTH)
		return DM_E_INVALID_ARGUMENT;
	if (e->kind == DM_SQL_EXPR_COLUMN && e->value.ptr) {
		for (k = 0; k < x->nrefs; k++)
			if (strcasecmp(x->refs[k], e->value.ptr) == 0)
				break;
		if (k == x->nrefs) {
			const char **r = dm__reallocarray(x->refs, x->nrefs + 1,
							  sizeof(*r));

			if (!r)
				return DM_E_NO_MEMORY;
			x->refs = r;
			x->refs[x->nrefs++] = e->value.ptr;
		}
	}
	for (i = 0; i < e->nargs; i++)
		if ((rc = walk_refs(x, e->args[i], depth + 1)))
			return rc;
	if ((rc = walk_refs(x, e->operand, depth + 1)))
		return rc;
	return walk_refs(x, e->else_expr, depth + 1);
}

/* Nodes whose support the evaluator decides by name or type; each is
 * tried alone so that one in a branch a NULL row never takes is found. */
static bool probe_alone(const dm_sql_expr *e)
{
	switch (e->kind) {
	case DM_SQL_EXPR_FUNC:
	case DM_SQL_EXPR_CAST:
	case DM_SQL_EXPR_CONVERT_USING:
	case DM_SQL_EXPR_USER_VAR:
	case DM_SQL_EXPR_SYSTEM_VAR:
		return true;
	case DM_SQL_EXPR_BINARY:
		return e->op == DM_SQL_OP_REGEXP ||
		       e->op == DM_SQL_OP_SOUNDS_LIKE;
	default:
		return false;
	}
}

/* Returns DM_E_NOT_SUPPORTED (with *err) for the first node of `e` the
 * evaluator cannot run over `row`, other failures of single nodes being
 * ignored (they may depend on the surrounding expression). */
static int probe_nodes(const dm_sql_expr *e, const dm_sql_eval_row *row,
		       const dm_sql_eval_opts *eo, dm_buf *scratch,
		       unsigned depth, dm_error **err)
{
	size_t i;
	int rc;

	if (!e || depth > WALK_DEPTH)
		return 0;
	if (probe_alone(e)) {
		dm_value v;
		dm_error *e2 = NULL;

		rc = dm_sql_eval(&v, scratch, e, row, eo, &e2);
		if (rc == DM_E_NOT_SUPPORTED || rc == DM_E_NO_MEMORY) {
			*err = e2;
			return rc;
		}
		dm_error_free(e2);
	}
	for (i = 0; i < e->nargs; i++)
		if ((rc = probe_nodes(e->args[i], row, eo, scratch, depth + 1,
				      err)))
			return rc;
	if ((rc = probe_nodes(e->operand, row, eo, scratch, depth + 1, err)))
		return rc;
	return probe_nodes(e->else_expr, row, eo, scratch, depth + 1, err);
}

/* Evaluates `x` once over a row whose columns are all NULL: what cannot be
 * evaluated for any row is a configuration error now, not a task error on
 * the first matching row. On failure *inner holds the evaluator's error. */
static int probe(const xexpr *x, const dm_sql_eval_opts *eo,
		 dm_error **inner)
{
	dm_sql_eval_column *cols;
	dm_sql_eval_row row;
	dm_value null_value, v;
	dm_buf scratch = DM_BUF_INIT;
	size_t i;
	int rc;

	cols = dm__calloc(x->nrefs ? x->nrefs : 1, sizeof(*cols));
	if (!cols)
		return DM_E_NO_MEMORY;
	memset(&null_value, 0, sizeof(null_value));
	null_value.kind = DM_VALUE_NULL;
	for (i = 0; i < x->nrefs; i++) {
		cols[i].name = x->refs[i];
		cols[i].value = &null_value;
		cols[i].type = NULL;
	}
	row.columns = cols;
	row.ncolumns = x->nrefs;
	rc = dm_sql_eval(&v, &scratch, x->expr, &row, eo, inner);
	if (rc == 0)
		rc = probe_nodes(x->expr, &row, eo, &scratch, 0, inner);
	dm_buf_free(&scratch);
	dm__free(cols);
	return rc;
}

static char *fold_copy(const char *s, bool fold)
{
	size_t n = strlen(s);
	char *out = dm__malloc(n + 1);

	if (!out)
		return NULL;
	if (fold)
		dm__rules_fold(out, s, n);
	else
		memcpy(out, s, n + 1);
	return out;
}

static const char *str_or_empty(const char *s)
{
	return s ? s : "";
}

/* "FILE:LINE:COLUMN: expression filter NAME" into `where`. */
static void describe(char *where, size_t cap, const char *file,
		     const dm_cfg_expr_filter *d)
{
	const char *name = str_or_empty(d->name);

	if (d->pos.line)
		snprintf(where, cap, "%s:%u:%u: expression filter %s", file,
			 d->pos.line, d->pos.column, name);
	else
		snprintf(where, cap, "%s: expression filter %s", file, name);
}

static int compile_expr(xexpr *x, const char *text, const char *where,
			const char *key, const dm_sql_parse_opts *po,
			const dm_sql_eval_opts *eo, dm_error **err)
{
	dm_error *inner = NULL;
	int rc;

	rc = dm_sql_parse_expr(&x->stmt, text, strlen(text), po, &inner);
	if (rc == 0) {
		x->expr = dm_sql_stmt_expr(x->stmt);
		rc = walk_refs(x, x->expr, 0);
		if (rc == DM_E_NO_MEMORY) {
			return dm_error_set(err, rc, NULL);
		} else if (rc) {
			rc = dm_error_set(&inner, DM_E_INVALID_ARGUMENT,
					  "expression nested too deeply");
		} else {
			rc = probe(x, eo, &inner);
		}
	}
	if (rc == 0)
		return 0;
	if (rc == DM_E_NO_MEMORY) {
		dm_error_free(inner);
		return dm_error_set(err, rc, NULL);
	}
	/* The parser's or evaluator's error stays as the cause. */
	rc = dm_error_set(&inner, DM_E_CONFIG_EXPR_FILTER_WRONG_GRAMMAR,
			  "%s: %s \"%s\": %s", where, key, text,
			  rc == DM_E_NOT_SUPPORTED ?
				  "uses what libdm cannot evaluate" :
				  "is not a valid expression");
	if (err)
		*err = inner;
	else
		dm_error_free(inner);
	return rc;
}

static int compile_rule(xrule *r, const dm_cfg_expr_filter *d,
			const char *file, bool fold,
			const dm_sql_parse_opts *po,
			const dm_sql_eval_opts *eo, dm_error **err)
{
	const char *text[X_N];
	char where[512];
	int i, rc;

	text[X_INSERT] = str_or_empty(d->insert_value_expr);
	text[X_UPD_OLD] = str_or_empty(d->update_old_value_expr);
	text[X_UPD_NEW] = str_or_empty(d->update_new_value_expr);
	text[X_DELETE] = str_or_empty(d->delete_value_expr);
	describe(where, sizeof(where), file, d);

	if (!d->schema || !*d->schema || !d->table || !*d->table)
		return dm_error_set(err, DM_E_CONFIG_EXPR_FILTER_EMPTY_NAME,
				    "%s: %s is empty", where,
				    !d->schema || !*d->schema ? "schema" :
								 "table");
	if ((*text[X_INSERT] != 0) + (*text[X_UPD_OLD] || *text[X_UPD_NEW]) +
		    (*text[X_DELETE] != 0) > 1)
		return dm_error_set(err, DM_E_CONFIG_EXPR_FILTER_MANY_EXPR,
				    "%s: sets more than one of the insert, update and delete expressions",
				    where);

	r->schema = fold_copy(d->schema, fold);
	r->table = fold_copy(d->table, fold);
	if (!r->schema || !r->table)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	for (i = 0; i < X_N; i++) {
		if (!*text[i])
			continue;
		rc = compile_expr(&r->x[i], text[i], where, x_key[i], po, eo,
				  err);
		if (rc)
			return rc;
	}
	return 0;
}

static void free_rule(xrule *r)
{
	int i;

	dm__free(r->schema);
	dm__free(r->table);
	for (i = 0; i < X_N; i++) {
		dm__free(r->x[i].refs);
		dm_sql_stmt_free(r->x[i].stmt);
	}
}

DM_API void dm_expr_filter_free(dm_expr_filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n; i++)
		free_rule(&f->rules[i]);
	dm__free(f->rules);
	dm__free(f);
}

DM_API int dm_expr_filter_new(dm_expr_filter **out,
			      const dm_cfg_expr_filter *const *defs, size_t n,
			      const dm_expr_filter_opts *opts, dm_error **err)
{
	dm_expr_filter_opts o = DM_EXPR_FILTER_OPTS_INIT;
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_expr_filter *f;
	const char *file;
	size_t i;
	int rc = 0;

	if (!out || (n && !defs))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_expr_filter_new: NULL argument");
	*out = NULL;
	if (opts) {
		if (opts->version < 1)
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "dm_expr_filter_new: unknown options version %u",
					    opts->version);
		o = *opts;
	}
	file = o.file ? o.file : "task";
	po.sql_mode = o.sql_mode;

	f = dm__calloc(1, sizeof(*f));
	if (!f)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	f->rules = dm__calloc(n ? n : 1, sizeof(*f->rules));
	if (!f->rules) {
		dm__free(f);
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	f->case_sensitive = o.case_sensitive;
	f->eval.version = 1;
	f->eval.tz_offset = o.tz_offset;
	f->eval.sql_mode = o.sql_mode;
	for (i = 0; i < n; i++) {
		if (!defs[i]) {
			rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
					  "dm_expr_filter_new: rule %zu is NULL",
					  i);
			break;
		}
		f->n = i + 1;
		rc = compile_rule(&f->rules[i], defs[i], file,
				  !o.case_sensitive, &po, &f->eval, err);
		if (rc)
			break;
	}
	if (rc) {
		dm_expr_filter_free(f);
		return rc;
	}
	*out = f;
	return 0;
}

/* ------------------------------------------------------------ deciding */

/* The names of one call, folded as the rules are. */
typedef struct names {
	dm__rules_name schema;
	dm__rules_name table;
} names;

static bool rule_is_for(const xrule *r, const names *nm)
{
	return strcmp(r->schema, nm->schema.s) == 0 &&
	       strcmp(r->table, nm->table.s) == 0;
}

DM_API bool dm_expr_filter_has_table(const dm_expr_filter *f,
				     const char *schema, const char *table)
{
	names nm;
	size_t i;
	bool found = false;

	if (!f || !f->n || !schema || !table)
		return false;
	if (dm__rules_name_init(&nm.schema, schema, !f->case_sensitive))
		return false;
	if (dm__rules_name_init(&nm.table, table, !f->case_sensitive)) {
		dm__rules_name_done(&nm.schema);
		return false;
	}
	for (i = 0; i < f->n && !found; i++)
		found = rule_is_for(&f->rules[i], &nm);
	dm__rules_name_done(&nm.table);
	dm__rules_name_done(&nm.schema);
	return found;
}

/* The state of one dm_expr_filter_skip call. */
typedef struct call {
	const dm_expr_filter *f;
	dm_sql_eval_opts eval;
	bool have_now;
	const dm_expr_filter_table *tbl;
	size_t ncols;
	dm_sql_eval_column *row;          /* ncols entries */
	const dm_value *row_of;           /* image `row` currently holds */
	dm_buf *scratch;
	dm_error **err;
} call;

static const char *col_name(const call *c, size_t i)
{
	if (c->tbl->columns)
		return c->tbl->columns[i].name;
	return c->tbl->create->columns[i]->name;
}

static const dm_sql_data_type *col_type(const call *c, size_t i)
{
	if (c->tbl->columns)
		return c->tbl->columns[i].type;
	return c->tbl->create->columns[i]->type;
}

/* DM compiles an expression naming a column the table lacks to constant
 * FALSE. */
static bool refs_present(const call *c, const xexpr *x)
{
	size_t i, k;

	for (i = 0; i < x->nrefs; i++) {
		for (k = 0; k < c->ncols; k++) {
			const char *name = col_name(c, k);

			if (name && strcasecmp(name, x->refs[i]) == 0)
				break;
		}
		if (k == c->ncols)
			return false;
	}
	return true;
}

/* Sets *out to whether `x` yields the integer 1 over `image`. */
static int holds(bool *out, call *c, const xexpr *x, const dm_value *image)
{
	dm_sql_eval_row row;
	dm_value v;
	size_t i;
	int rc;

	*out = false;
	if (!refs_present(c, x))
		return 0;
	if (c->row_of != image) {
		for (i = 0; i < c->ncols; i++) {
			c->row[i].name = col_name(c, i);
			c->row[i].value = &image[i];
			c->row[i].type = col_type(c, i);
		}
		c->row_of = image;
	}
	if (!c->have_now) {
		struct timespec ts;

		if (clock_gettime(CLOCK_REALTIME, &ts) == 0) {
			c->eval.now_sec = (long long)ts.tv_sec;
			c->eval.now_usec = (unsigned long)(ts.tv_nsec / 1000);
		}
		c->have_now = true;
	}
	row.columns = c->row;
	row.ncolumns = c->ncols;
	rc = dm_sql_eval(&v, c->scratch, x->expr, &row, &c->eval, c->err);
	if (rc)
		return rc;
	if (v.kind == DM_VALUE_INT)
		*out = v.v.i == 1;
	else if (v.kind == DM_VALUE_UINT)
		*out = v.v.u == 1;
	return 0;
}

static int decide(bool *skip, call *c, const names *nm, dm_filter_event ev,
		  const dm_value *before, const dm_value *after)
{
	const dm_expr_filter *f = c->f;
	size_t i;
	int rc;

	for (i = 0; i < f->n && !*skip; i++) {
		const xrule *r = &f->rules[i];
		bool old_ok = true, new_ok = true;

		if (!rule_is_for(r, nm))
			continue;
		switch (ev) {
		case DM_FILTER_EVENT_INSERT:
			if (r->x[X_INSERT].stmt &&
			    (rc = holds(skip, c, &r->x[X_INSERT], after)))
				return rc;
			break;
		case DM_FILTER_EVENT_DELETE:
			if (r->x[X_DELETE].stmt &&
			    (rc = holds(skip, c, &r->x[X_DELETE], before)))
				return rc;
			break;
		default:
			if (!r->x[X_UPD_OLD].stmt && !r->x[X_UPD_NEW].stmt)
				break;
			if (r->x[X_UPD_OLD].stmt &&
			    (rc = holds(&old_ok, c, &r->x[X_UPD_OLD], before)))
				return rc;
			if (old_ok && r->x[X_UPD_NEW].stmt &&
			    (rc = holds(&new_ok, c, &r->x[X_UPD_NEW], after)))
				return rc;
			*skip = old_ok && new_ok;
			break;
		}
	}
	return 0;
}

static int check_args(const dm_expr_filter *f, const char *schema,
		      const char *table, const dm_expr_filter_table *columns,
		      dm_filter_event ev, const dm_value *before,
		      const dm_value *after, const dm_buf *scratch,
		      dm_error **err)
{
	size_t ncols;

	if (!f || !schema || !table || !columns || !scratch)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_expr_filter_skip: NULL argument");
	if (!columns->columns && !columns->create && columns->ncolumns)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_expr_filter_skip: no column list");
	ncols = columns->columns || !columns->create ?
			columns->ncolumns :
			columns->create->ncolumns;
	if (ncols && ((ev != DM_FILTER_EVENT_INSERT && !before) ||
		      (ev != DM_FILTER_EVENT_DELETE && !after)))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_expr_filter_skip: %s needs %s row values",
				    dm_filter_event_name(ev),
				    ev == DM_FILTER_EVENT_UPDATE ?
					    "before and after" :
				    ev == DM_FILTER_EVENT_INSERT ? "after" :
								   "before");
	return 0;
}

DM_API int dm_expr_filter_skip(bool *out, const dm_expr_filter *f,
			       const char *schema, const char *table,
			       const dm_expr_filter_table *columns,
			       dm_filter_event event, const dm_value *before,
			       const dm_value *after, dm_buf *scratch,
			       dm_error **err)
{
	dm_sql_eval_column stack_row[ROW_STACK];
	names nm;
	call c;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_expr_filter_skip: NULL argument");
	*out = false;
	if (event != DM_FILTER_EVENT_INSERT &&
	    event != DM_FILTER_EVENT_UPDATE &&
	    event != DM_FILTER_EVENT_DELETE)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_expr_filter_skip: %s is not a row event",
				    dm_filter_event_name(event));
	rc = check_args(f, schema, table, columns, event, before, after,
			scratch, err);
	if (rc)
		return rc;
	if (!f->n)
		return 0;

	memset(&c, 0, sizeof(c));
	c.f = f;
	c.eval = f->eval;
	c.tbl = columns;
	c.ncols = columns->columns || !columns->create ?
			  columns->ncolumns :
			  columns->create->ncolumns;
	c.scratch = scratch;
	c.err = err;
	c.row = stack_row;
	if (c.ncols > ROW_STACK) {
		c.row = dm__calloc(c.ncols, sizeof(*c.row));
		if (!c.row)
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}

	if ((rc = dm__rules_name_init(&nm.schema, schema, !f->case_sensitive))) {
		rc = dm_error_set(err, rc, NULL);
		goto out_free_row;
	}
	if ((rc = dm__rules_name_init(&nm.table, table, !f->case_sensitive))) {
		rc = dm_error_set(err, rc, NULL);
		goto out_free_schema;
	}
	rc = decide(out, &c, &nm, event, before, after);
	if (rc)
		*out = false;
	dm__rules_name_done(&nm.table);
out_free_schema:
	dm__rules_name_done(&nm.schema);
out_free_row:
	if (c.row != stack_row)
		dm__free(c.row);
	return rc;
}
