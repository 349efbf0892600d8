/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table routing (DM's routes, tidb-tools pkg/table-router): table-level
 * rules win over schema-level rules; a schema-level name (table "") uses
 * schema-level rules only; two rules of the deciding level are an error
 * (DM's documentation; its syncer logs and leaves the table unrouted).
 * The extract-table / extract-schema / extract-source options of DM's
 * later versions give the deciding rule's extra columns.
 */
#include "rules/rules_private.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

enum { EX_TABLE = 0, EX_SCHEMA, EX_SOURCE, EX_COUNT };

typedef struct rrule {
	char *target_schema;
	char *target_table;          /* NULL: keep the source table */
	bool schema_level;
	dm__rx *ex_re[EX_COUNT];     /* NULL when the extractor is unset */
	char *ex_col[EX_COUNT];
} rrule;

struct dm_router {
	dm__rx_env env;
	bool case_sensitive;
	dm__selector *sel;
	rrule *rules;
	size_t n_rules;
};

static const dm_rules_opts default_opts = DM_RULES_OPTS_INIT;

void dm_router_free(dm_router *r)
{
	size_t i, k;

	if (!r)
		return;
	for (i = 0; r->rules && i < r->n_rules; i++) {
		rrule *rr = &r->rules[i];

		dm__free(rr->target_schema);
		dm__free(rr->target_table);
		for (k = 0; k < EX_COUNT; k++) {
			dm__rx_free(rr->ex_re[k]);
			dm__free(rr->ex_col[k]);
		}
	}
	dm__free(r->rules);
	dm__selector_free(r->sel);
	dm__rx_env_done(&r->env);
	dm__free(r);
}

static bool set(const char *s)
{
	return s && *s;
}

static int compile_extract(dm_router *r, rrule *rr, int k, const char *re,
			   const char *col, const char *option,
			   const char *what, dm_error **err)
{
	char where[96];

	if (!set(re) && !set(col))
		return 0;
	snprintf(where, sizeof(where), "%s: %s", what, option);
	if (!set(re) || !set(col))
		return dm_error_set(err, DM_E_CONFIG_GEN_TABLE_ROUTER,
				    "%s needs both a regular expression and target-column",
				    where);
	if (re[0] == '~')
		return dm_error_set(err, DM_E_CONFIG_GEN_TABLE_ROUTER,
				    "%s: the regular expression must not start with '~'",
				    where);
	rr->ex_col[k] = dm__strdup(col);
	if (!rr->ex_col[k])
		return dm_error_set(err, DM_E_NO_MEMORY, "%s", where);
	return dm__rx_compile(&rr->ex_re[k], &r->env, re, strlen(re), false,
			      DM_E_CONFIG_GEN_TABLE_ROUTER, where, err);
}

static int compile_rule(dm_router *r, rrule *rr, const dm_route_rule_def *d,
			const char *what, dm_error **err)
{
	int rc;

	if (!set(d->target_schema))
		return dm_error_set(err, DM_E_CONFIG_GEN_TABLE_ROUTER,
				    "%s: target-schema must not be empty",
				    what);
	rr->schema_level = !set(d->table_pattern);
	rr->target_schema = dm__strdup(d->target_schema);
	if (set(d->target_table))
		rr->target_table = dm__strdup(d->target_table);
	if (!rr->target_schema || (set(d->target_table) && !rr->target_table))
		return dm_error_set(err, DM_E_NO_MEMORY, "%s", what);
	rc = compile_extract(r, rr, EX_TABLE, d->table_regexp, d->table_column,
			     "extract-table", what, err);
	if (rc == 0)
		rc = compile_extract(r, rr, EX_SCHEMA, d->schema_regexp,
				     d->schema_column, "extract-schema", what,
				     err);
	if (rc == 0)
		rc = compile_extract(r, rr, EX_SOURCE, d->source_regexp,
				     d->source_column, "extract-source", what,
				     err);
	return rc;
}

int dm_router_new(dm_router **out, const dm_route_rule_def *rules, size_t n,
		  const dm_rules_opts *opts, dm_error **err)
{
	dm_router *r;
	size_t i;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_router_new: out is NULL");
	*out = NULL;
	if (n && !rules)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_router_new: rules is NULL");
	if (n > UINT32_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "table router: too many rules");
	if (!opts)
		opts = &default_opts;
	r = dm__calloc(1, sizeof(*r));
	if (!r)
		return dm_error_set(err, DM_E_NO_MEMORY, "table router");
	r->case_sensitive = opts->case_sensitive;
	rc = dm__rx_env_init(&r->env);
	if (rc) {
		dm__free(r);
		return dm_error_set(err, rc, "table router");
	}
	r->rules = dm__calloc(n ? n : 1, sizeof(*r->rules));
	if (!r->rules ||
	    dm__selector_new(&r->sel, &r->env, r->case_sensitive)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, "table router");
		goto out_free;
	}
	r->n_rules = n;
	for (i = 0; i < n; i++) {
		char what[48];

		snprintf(what, sizeof(what), "route rule %zu", i);
		rc = compile_rule(r, &r->rules[i], &rules[i], what, err);
		if (rc == 0)
			rc = dm__selector_add(r->sel, rules[i].schema_pattern,
					      rules[i].table_pattern,
					      (uint32_t)i, false,
					      DM_E_CONFIG_GEN_TABLE_ROUTER,
					      what, err);
		if (rc)
			goto out_free;
	}
	rc = dm__selector_freeze(r->sel);
	if (rc) {
		rc = dm_error_set(err, rc, "table router");
		goto out_free;
	}
	*out = r;
	return 0;

out_free:
	dm_router_free(r);
	return rc;
}

typedef struct tally {
	size_t n[2];     /* [0] table-level, [1] schema-level */
	long first[2][2];
} tally;

static int count_rule(void *ud, uint32_t rule, bool schema_level)
{
	tally *t = ud;
	int lvl = schema_level ? 1 : 0;

	if (t->n[lvl] < 2)
		t->first[lvl][t->n[lvl]] = rule;
	t->n[lvl]++;
	return 0;
}

/* The deciding rule for schema.table: *rule = -1 when none matches. */
static int decide(long *rule, const dm_router *r, const char *schema,
		  const char *table, dm_error **err)
{
	dm__rules_name sn, tn;
	tally t;
	int lvl, rc;

	*rule = -1;
	rc = dm__rules_name_init(&sn, schema, !r->case_sensitive);
	if (rc)
		return dm_error_set(err, rc, "routing a table");
	rc = dm__rules_name_init(&tn, table, !r->case_sensitive);
	if (rc) {
		dm__rules_name_done(&sn);
		return dm_error_set(err, rc, "routing a table");
	}
	memset(&t, 0, sizeof(t));
	rc = dm__selector_walk(r->sel, sn.s, sn.len, tn.s, tn.len, count_rule,
			       NULL, &t, err);
	dm__rules_name_done(&sn);
	dm__rules_name_done(&tn);
	if (rc < 0)
		return rc;
	lvl = (!table || !*table || t.n[0] == 0) ? 1 : 0;
	if (t.n[lvl] > 1)
		return dm_error_set(err, DM_E_GEN_TABLE_ROUTER,
				    "`%s`.`%s` matches %zu %s route rules (rules %ld and %ld at least); a table may match only one",
				    schema, table ? table : "", t.n[lvl],
				    lvl ? "schema-level" : "table-level",
				    t.first[lvl][0], t.first[lvl][1]);
	if (t.n[lvl] == 1)
		*rule = t.first[lvl][0];
	return 0;
}

int dm_router_route(dm_route_result *out, const dm_router *r,
		    const char *schema, const char *table, dm_error **err)
{
	const rrule *rr;
	long rule;
	int rc;

	if (!out || !r || !schema)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_router_route: NULL argument");
	if (!table)
		table = "";
	out->schema = schema;
	out->table = table;
	out->rule = -1;
	if (r->n_rules == 0)
		return 0;
	rc = decide(&rule, r, schema, table, err);
	if (rc || rule < 0)
		return rc;
	rr = &r->rules[rule];
	out->rule = rule;
	out->schema = rr->target_schema;
	if (rr->target_table)
		out->table = rr->target_table;
	return 0;
}

/* Appends the concatenated capture groups of `re` over `s` (nothing when it
 * does not match) and a NUL. */
static int extract_one(dm_route_column *col, dm_buf *values, dm_router *r,
		       const dm__rx *re, const char *s, dm_error **err)
{
	size_t start = values->len;
	int rc;

	rc = dm__rx_extract(values, &r->env, re, s, strlen(s), err);
	if (rc)
		return rc;
	col->off = start;
	col->len = values->len - start;
	if (dm_buf_putc(values, '\0')) {
		dm_buf_truncate(values, start);
		return dm_error_set(err, DM_E_NO_MEMORY, "extracting a column");
	}
	return 0;
}

int dm_router_extract(dm_route_columns *out, dm_buf *values,
		      const dm_router *r, const char *schema,
		      const char *table, const char *source, dm_error **err)
{
	const char *subject[EX_COUNT];
	const rrule *rr;
	size_t start;
	long rule;
	int k, rc;

	if (!out || !values || !r || !schema)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_router_extract: NULL argument");
	out->n = 0;
	if (r->n_rules == 0)
		return 0;
	rc = decide(&rule, r, schema, table, err);
	if (rc || rule < 0)
		return rc;
	rr = &r->rules[rule];
	subject[EX_TABLE] = table ? table : "";
	subject[EX_SCHEMA] = schema;
	subject[EX_SOURCE] = source ? source : "";
	start = values->len;
	for (k = 0; k < EX_COUNT; k++) {
		dm_route_column *col = &out->col[out->n];

		if (!rr->ex_re[k])
			continue;
		rc = extract_one(col, values, (dm_router *)r, rr->ex_re[k],
				 subject[k], err);
		if (rc) {
			dm_buf_truncate(values, start);
			out->n = 0;
			return rc;
		}
		col->name = rr->ex_col[k];
		out->n++;
	}
	return 0;
}
