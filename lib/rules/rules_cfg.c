/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_rule_set: the rules one source of a task runs under, compiled from
 * the configuration records of lib/cfg, and one call that asks them in
 * DM's order (built-in skip list, block/allow list, binlog event filter,
 * router) and names the rule that decided.
 *
 * Every decision is made by the compiled objects of this module; this file
 * gathers their definitions, orders the steps and turns rule numbers back
 * into the names and file positions a person wrote.
 */
#include "rules/rules_private.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

/* Strings the rule set keeps live in one buffer that stops growing once
 * the set is built; they are referred to by offset. Offset 0 is "". */
typedef size_t str_off;

/* A named rule: where it was written and, for route rules, its patterns
 * (to name the rules of an ambiguous match). */
typedef struct rule_ref {
	str_off name;    /* "" for the filters of a source file */
	str_off file;
	dm_cfg_pos pos;
	str_off schema_pattern;
	str_off table_pattern;
	dm_filter_action action;
} rule_ref;

enum { BA_DO_DBS = 0, BA_IGNORE_DBS, BA_DO_TABLES, BA_IGNORE_TABLES, BA_N };

struct dm_rule_set {
	bool case_sensitive;
	str_off source_id;
	dm_ba_list *ba;          /* always built: system schemas */
	bool has_ba;             /* the instance names a list */
	rule_ref ba_ref;
	str_off *ba_label[BA_N]; /* "db" or "db.table" of each entry */
	size_t ba_n[BA_N];
	dm_event_filter *filter;
	rule_ref *filters;       /* instance filter-rules, then the source's */
	size_t n_task_filters;
	size_t n_filters;
	dm_router *router;
	rule_ref *routes;
	size_t n_routes;
	dm_buf strs;
};

static const char *str_at(const dm_rule_set *rs, str_off off)
{
	return rs->strs.data + off;
}

static int keep(dm_rule_set *rs, str_off *out, const char *s)
{
	*out = rs->strs.len;
	if (dm_buf_puts(&rs->strs, s ? s : "") ||
	    dm_buf_putc(&rs->strs, '\0'))
		return DM_E_NO_MEMORY;
	return 0;
}

static int keep_pair(dm_rule_set *rs, str_off *out, const char *a,
		     const char *b)
{
	*out = rs->strs.len;
	if (dm_buf_printf(&rs->strs, "%s.%s", a ? a : "", b ? b : "") ||
	    dm_buf_putc(&rs->strs, '\0'))
		return DM_E_NO_MEMORY;
	return 0;
}

static int keep_ref(dm_rule_set *rs, rule_ref *r, const char *name,
		    const char *file, dm_cfg_pos pos)
{
	r->pos = pos;
	if (keep(rs, &r->name, name) || keep(rs, &r->file, file))
		return DM_E_NO_MEMORY;
	return 0;
}

void dm_rule_set_free(dm_rule_set *rs)
{
	size_t i;

	if (!rs)
		return;
	dm_ba_list_free(rs->ba);
	dm_event_filter_free(rs->filter);
	dm_router_free(rs->router);
	for (i = 0; i < BA_N; i++)
		dm__free(rs->ba_label[i]);
	dm__free(rs->filters);
	dm__free(rs->routes);
	dm_buf_free(&rs->strs);
	dm__free(rs);
}

/* ------------------------------------------------- errors at a position */

/* The detail of an error from a compiled object: its message without the
 * catalog phrase, and without `what` (the object's own name for the rule,
 * e.g. "route rule 3") when it starts with it. */
static const char *detail_of(const dm_error *e, const char *what)
{
	const dm_error_info *info = dm_error_info_of(e);
	const char *msg = dm_error_message(e);
	size_t n = strlen(info->message);

	if (strncmp(msg, info->message, n) == 0 && msg[n] == ':' &&
	    msg[n + 1] == ' ')
		msg += n + 2;
	n = what ? strlen(what) : 0;
	if (n && strncmp(msg, what, n) == 0 && msg[n] == ':' &&
	    msg[n + 1] == ' ')
		msg += n + 2;
	return msg;
}

/* Replaces `inner` (taken) by an error with the same status that says
 * where the rule `label` was written: "FILE:LINE:COLUMN: label: detail",
 * the shape of the configuration parser's errors. */
static int at_rule(dm_error **err, dm_error *inner, const char *file,
		   dm_cfg_pos pos, const char *label, const char *what)
{
	int status = dm_error_status(inner);
	const char *detail = detail_of(inner, what);

	if (status == DM_E_NO_MEMORY) {
		dm_error_free(inner);
		return dm_error_set(err, status, NULL);
	}
	if (pos.line)
		dm_error_set(err, status, "%s:%u:%u: %s: %s", file, pos.line,
			     pos.column, label, detail);
	else
		dm_error_set(err, status, "%s: %s: %s", file, label, detail);
	dm_error_free(inner);
	return status;
}

/* Compiles the first `k` rules of a list; the result is thrown away. */
typedef int (*try_prefix_fn)(const void *ud, size_t k, dm_error **err);

/* The first rule of `n` whose addition makes compiling fail (failures are
 * monotonic: a list that fails keeps failing when it grows), found by
 * bisection; n - 1 when the prefixes fail for another reason. */
static size_t failing_rule(try_prefix_fn try_prefix, const void *ud, size_t n)
{
	size_t ok = 0, bad = n;

	while (bad - ok > 1) {
		size_t mid = ok + (bad - ok) / 2;
		dm_error *e = NULL;
		int rc = try_prefix(ud, mid, &e);

		dm_error_free(e);
		if (rc == DM_E_NO_MEMORY)
			break;
		if (rc)
			bad = mid;
		else
			ok = mid;
	}
	return bad ? bad - 1 : 0;
}

/* ----------------------------------------------------- block/allow list */

static int ba_labels(dm_rule_set *rs, const dm_cfg_ba_list *l)
{
	size_t i, k;

	rs->ba_n[BA_DO_DBS] = l->n_do_dbs;
	rs->ba_n[BA_IGNORE_DBS] = l->n_ignore_dbs;
	rs->ba_n[BA_DO_TABLES] = l->n_do_tables;
	rs->ba_n[BA_IGNORE_TABLES] = l->n_ignore_tables;
	for (k = 0; k < BA_N; k++) {
		rs->ba_label[k] = dm__calloc(rs->ba_n[k] ? rs->ba_n[k] : 1,
					     sizeof(str_off));
		if (!rs->ba_label[k])
			return DM_E_NO_MEMORY;
	}
	for (i = 0; i < l->n_do_dbs; i++)
		if (keep(rs, &rs->ba_label[BA_DO_DBS][i], l->do_dbs[i]))
			return DM_E_NO_MEMORY;
	for (i = 0; i < l->n_ignore_dbs; i++)
		if (keep(rs, &rs->ba_label[BA_IGNORE_DBS][i], l->ignore_dbs[i]))
			return DM_E_NO_MEMORY;
	for (i = 0; i < l->n_do_tables; i++)
		if (keep_pair(rs, &rs->ba_label[BA_DO_TABLES][i],
			      l->do_tables[i]->db_name,
			      l->do_tables[i]->tbl_name))
			return DM_E_NO_MEMORY;
	for (i = 0; i < l->n_ignore_tables; i++)
		if (keep_pair(rs, &rs->ba_label[BA_IGNORE_TABLES][i],
			      l->ignore_tables[i]->db_name,
			      l->ignore_tables[i]->tbl_name))
			return DM_E_NO_MEMORY;
	return 0;
}

static int build_ba(dm_rule_set *rs, const dm_cfg_ba_list *l,
		    const char *file, const dm_rules_opts *opts,
		    dm_error **err)
{
	dm_ba_list_def def;
	dm_ba_table *tables = NULL;
	dm_error *inner = NULL;
	char label[320];
	size_t i, nt;
	int rc;

	memset(&def, 0, sizeof(def));
	if (!l) {
		/* No list: system schemas are still left out. */
		rc = dm_ba_list_new(&rs->ba, &def, opts, &inner);
		return rc ? at_rule(err, inner, file, (dm_cfg_pos){ 0, 0 },
				    "block-allow-list", NULL) :
			    0;
	}
	rs->has_ba = true;
	if (keep_ref(rs, &rs->ba_ref, l->name, file, l->pos) ||
	    ba_labels(rs, l))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	nt = l->n_do_tables + l->n_ignore_tables;
	tables = dm__calloc(nt ? nt : 1, sizeof(*tables));
	if (!tables)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	for (i = 0; i < l->n_do_tables; i++) {
		tables[i].db_name = l->do_tables[i]->db_name;
		tables[i].tbl_name = l->do_tables[i]->tbl_name;
	}
	for (i = 0; i < l->n_ignore_tables; i++) {
		tables[l->n_do_tables + i].db_name =
			l->ignore_tables[i]->db_name;
		tables[l->n_do_tables + i].tbl_name =
			l->ignore_tables[i]->tbl_name;
	}
	def.do_dbs = l->do_dbs;
	def.n_do_dbs = l->n_do_dbs;
	def.ignore_dbs = l->ignore_dbs;
	def.n_ignore_dbs = l->n_ignore_dbs;
	def.do_tables = tables;
	def.n_do_tables = l->n_do_tables;
	def.ignore_tables = tables + l->n_do_tables;
	def.n_ignore_tables = l->n_ignore_tables;
	rc = dm_ba_list_new(&rs->ba, &def, opts, &inner);
	if (rc) {
		snprintf(label, sizeof(label), "block-allow-list \"%s\"",
			 l->name);
		rc = at_rule(err, inner, file, l->pos, label, NULL);
	}
	dm__free(tables);
	return rc;
}

/* ------------------------------------------------------- event filters */

typedef struct filter_try {
	const dm_filter_rule_def *defs;
	size_t n_task;
	const dm_rules_opts *opts;
} filter_try;

static int try_filters(const void *ud, size_t k, dm_error **err)
{
	const filter_try *t = ud;
	dm_event_filter_def def;
	dm_event_filter *f = NULL;
	int rc;

	def.task_rules = t->defs;
	def.n_task_rules = k < t->n_task ? k : t->n_task;
	def.source_rules = t->defs + t->n_task;
	def.n_source_rules = k > t->n_task ? k - t->n_task : 0;
	rc = dm_event_filter_new(&f, &def, t->opts, err);
	dm_event_filter_free(f);
	return rc;
}

static void filter_def(dm_filter_rule_def *d, const dm_cfg_filter *f)
{
	d->schema_pattern = f->schema_pattern;
	d->table_pattern = f->table_pattern;
	d->events = f->events;
	d->n_events = f->n_events;
	d->sql_patterns = f->sql_patterns;
	d->n_sql_patterns = f->n_sql_patterns;
	d->action = f->action == DM_CFG_FILTER_ACTION_IGNORE ? DM_FILTER_IGNORE
							      : DM_FILTER_DO;
}

/* How errors (`quoted`) and explanations name a filter rule. */
static void filter_label(char *buf, size_t len, const dm_rule_set *rs,
			 size_t i, bool quoted)
{
	if (i < rs->n_task_filters)
		snprintf(buf, len, quoted ? "filter rule \"%s\"" :
					    "filter rule %s",
			 str_at(rs, rs->filters[i].name));
	else
		snprintf(buf, len, "source filters[%zu]",
			 i - rs->n_task_filters);
}

static int build_filters(dm_rule_set *rs, const dm_cfg_instance *inst,
			 const dm_cfg_task *task, const dm_cfg_source *source,
			 const dm_rules_opts *opts, dm_error **err)
{
	size_t n_src = source ? source->n_filters : 0;
	size_t n = inst->n_filter_rules + n_src, i;
	dm_filter_rule_def *defs;
	dm_event_filter_def def;
	filter_try t;
	dm_error *inner = NULL;
	int rc = 0;

	defs = dm__calloc(n ? n : 1, sizeof(*defs));
	rs->filters = dm__calloc(n ? n : 1, sizeof(*rs->filters));
	if (!defs || !rs->filters) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out;
	}
	rs->n_task_filters = inst->n_filter_rules;
	rs->n_filters = n;
	for (i = 0; i < n && !rc; i++) {
		bool own = i < inst->n_filter_rules;
		const dm_cfg_filter *f =
			own ? inst->filters[i]
			    : source->filters[i - rs->n_task_filters];

		filter_def(&defs[i], f);
		rs->filters[i].action = defs[i].action;
		rc = keep_ref(rs, &rs->filters[i], own ? f->name : "",
			      own ? task->file : source->file, f->pos);
	}
	if (rc) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out;
	}
	def.task_rules = defs;
	def.n_task_rules = inst->n_filter_rules;
	def.source_rules = defs + inst->n_filter_rules;
	def.n_source_rules = n_src;
	rc = dm_event_filter_new(&rs->filter, &def, opts, &inner);
	if (rc && dm_error_status(inner) != DM_E_NO_MEMORY && n) {
		char label[320], what[64];
		size_t bad;
		bool own;

		t.defs = defs;
		t.n_task = inst->n_filter_rules;
		t.opts = opts;
		bad = failing_rule(try_filters, &t, n);
		own = bad < rs->n_task_filters;
		filter_label(label, sizeof(label), rs, bad, true);
		snprintf(what, sizeof(what), "%s filter rule %zu",
			 own ? "task" : "source",
			 own ? bad : bad - rs->n_task_filters);
		rc = at_rule(err, inner, str_at(rs, rs->filters[bad].file),
			     rs->filters[bad].pos, label, what);
	} else if (rc) {
		rc = at_rule(err, inner, task->file, (dm_cfg_pos){ 0, 0 },
			     "filters", NULL);
	}
out:
	dm__free(defs);
	return rc;
}

/* -------------------------------------------------------------- routes */

typedef struct route_try {
	const dm_route_rule_def *defs;
	const dm_rules_opts *opts;
} route_try;

static int try_routes(const void *ud, size_t k, dm_error **err)
{
	const route_try *t = ud;
	dm_router *r = NULL;
	int rc;

	rc = dm_router_new(&r, t->defs, k, t->opts, err);
	dm_router_free(r);
	return rc;
}

static int build_routes(dm_rule_set *rs, const dm_cfg_instance *inst,
			const dm_cfg_task *task, const dm_rules_opts *opts,
			dm_error **err)
{
	size_t n = inst->n_route_rules, i;
	dm_route_rule_def *defs;
	dm_error *inner = NULL;
	int rc = 0;

	defs = dm__calloc(n ? n : 1, sizeof(*defs));
	rs->routes = dm__calloc(n ? n : 1, sizeof(*rs->routes));
	if (!defs || !rs->routes) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out;
	}
	rs->n_routes = n;
	for (i = 0; i < n && !rc; i++) {
		const dm_cfg_route *r = inst->routes[i];

		defs[i].schema_pattern = r->schema_pattern;
		defs[i].table_pattern = r->table_pattern;
		defs[i].target_schema = r->target_schema;
		defs[i].target_table = r->target_table;
		rc = keep_ref(rs, &rs->routes[i], r->name, task->file, r->pos);
		if (!rc)
			rc = keep(rs, &rs->routes[i].schema_pattern,
				  r->schema_pattern);
		if (!rc)
			rc = keep(rs, &rs->routes[i].table_pattern,
				  r->table_pattern);
	}
	if (rc) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out;
	}
	rc = dm_router_new(&rs->router, defs, n, opts, &inner);
	if (rc && dm_error_status(inner) != DM_E_NO_MEMORY && n) {
		route_try t = { defs, opts };
		char label[320], what[48];
		size_t bad = failing_rule(try_routes, &t, n);

		snprintf(label, sizeof(label), "route rule \"%s\"",
			 str_at(rs, rs->routes[bad].name));
		snprintf(what, sizeof(what), "route rule %zu", bad);
		rc = at_rule(err, inner, task->file, rs->routes[bad].pos, label,
			     what);
	} else if (rc) {
		rc = at_rule(err, inner, task->file, (dm_cfg_pos){ 0, 0 },
			     "routes", NULL);
	}
out:
	dm__free(defs);
	return rc;
}

/* ----------------------------------------------------------- building */

static int list_sources(dm_buf *b, const dm_cfg_task *task)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < task->n_mysql_instances && !rc; i++)
		rc = dm_buf_printf(b, "%s%s", i ? ", " : "",
				   task->mysql_instances[i]->source_id);
	return rc;
}

/* The instance the rule set is for (see the page for the choice). */
static int pick_instance(const dm_cfg_instance **out, const dm_cfg_task *task,
			 const char *source_id, const dm_cfg_source *source,
			 dm_error **err)
{
	dm_buf ids = DM_BUF_INIT;
	size_t i;
	int rc;

	*out = NULL;
	if (source && source_id && strcmp(source_id, source->source_id) != 0)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: the source configuration is for source \"%s\", not \"%s\"",
				    source->file, source->source_id, source_id);
	if (!source_id && source)
		source_id = source->source_id;
	if (!source_id && task->n_mysql_instances == 1) {
		*out = task->mysql_instances[0];
		return 0;
	}
	for (i = 0; source_id && i < task->n_mysql_instances; i++) {
		if (strcmp(task->mysql_instances[i]->source_id, source_id) == 0) {
			*out = task->mysql_instances[i];
			return 0;
		}
	}
	if (list_sources(&ids, task)) {
		dm_buf_free(&ids);
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	if (source_id)
		rc = dm_error_set(err, DM_E_CONFIG_MYSQL_INST_NOT_FOUND,
				  "%s: no mysql-instances entry has source-id \"%s\" (the task has: %s)",
				  task->file, source_id,
				  ids.data ? ids.data : "");
	else
		rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
				  "%s: the task has %zu mysql-instances; name one of: %s",
				  task->file, task->n_mysql_instances,
				  ids.data ? ids.data : "");
	dm_buf_free(&ids);
	return rc;
}

int dm_rule_set_new(dm_rule_set **out, const dm_cfg_task *task,
		    const char *source_id, const dm_cfg_source *source,
		    dm_error **err)
{
	dm_rules_opts opts = DM_RULES_OPTS_INIT;
	const dm_cfg_instance *inst;
	dm_rule_set *rs;
	str_off empty;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_rule_set_new: out is NULL");
	*out = NULL;
	if (!task)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_rule_set_new: task is NULL");
	rc = pick_instance(&inst, task, source_id, source, err);
	if (rc)
		return rc;
	rs = dm__calloc(1, sizeof(*rs));
	if (!rs)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	/* DM: the task's setting, or the source's (lower_case_table_names). */
	opts.case_sensitive = task->case_sensitive ||
			      (source && source->case_sensitive);
	rs->case_sensitive = opts.case_sensitive;
	if (keep(rs, &empty, "") || keep(rs, &rs->source_id, inst->source_id)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free;
	}
	rc = build_ba(rs, inst->ba_list, task->file, &opts, err);
	if (rc == 0)
		rc = build_filters(rs, inst, task, source, &opts, err);
	if (rc == 0)
		rc = build_routes(rs, inst, task, &opts, err);
	if (rc)
		goto out_free;
	*out = rs;
	return 0;

out_free:
	dm_rule_set_free(rs);
	return rc;
}

const char *dm_rule_set_source_id(const dm_rule_set *rs)
{
	return rs ? str_at(rs, rs->source_id) : NULL;
}

bool dm_rule_set_case_sensitive(const dm_rule_set *rs)
{
	return rs && rs->case_sensitive;
}

const char *dm_rule_step_name(dm_rule_step step)
{
	switch (step) {
	case DM_RULE_STEP_NONE:
		return "none";
	case DM_RULE_STEP_BUILTIN:
		return "built-in";
	case DM_RULE_STEP_BA_LIST:
		return "block-allow-list";
	case DM_RULE_STEP_EVENT_FILTER:
		return "filter";
	}
	return "unknown";
}

/* ----------------------------------------------------------- deciding */

/* Appends "; " between parts of an explanation. */
static int part(dm_buf *why, size_t start)
{
	return why->len > start ? dm_buf_puts(why, "; ") : 0;
}

static int explain_ba(dm_buf *why, const dm_rule_set *rs,
		      const dm_ba_decision *d, bool schema_level)
{
	const char *name = str_at(rs, rs->ba_ref.name);

	if (d->reason == DM_BA_SYSTEM_SCHEMA)
		return dm_buf_puts(why, "system schema");
	if (!rs->has_ba)
		return 0;
	switch (d->reason) {
	case DM_BA_DO_DBS_MISS:
		return dm_buf_printf(why, "block-allow-list %s: not in do-dbs",
				     name);
	case DM_BA_IGNORE_DBS_HIT:
		return dm_buf_printf(why, "block-allow-list %s: ignore-dbs %s",
				     name,
				     str_at(rs, rs->ba_label[BA_IGNORE_DBS]
							    [d->rule]));
	case DM_BA_DO_TABLES_HIT:
		return dm_buf_printf(why, "block-allow-list %s: do-tables %s",
				     name,
				     str_at(rs, rs->ba_label[BA_DO_TABLES]
							    [d->rule]));
	case DM_BA_IGNORE_TABLES_HIT:
		return dm_buf_printf(why,
				     "block-allow-list %s: ignore-tables %s",
				     name,
				     str_at(rs, rs->ba_label[BA_IGNORE_TABLES]
							    [d->rule]));
	case DM_BA_DO_TABLES_MISS:
		return dm_buf_printf(why,
				     "block-allow-list %s: not in do-tables",
				     name);
	case DM_BA_NOT_IGNORED:
		if (!schema_level && rs->ba_n[BA_IGNORE_TABLES])
			return dm_buf_printf(why,
					     "block-allow-list %s: not in ignore-tables",
					     name);
		break;
	default:
		break;
	}
	/* Kept by the schema step alone. */
	if (rs->ba_n[BA_DO_DBS])
		return dm_buf_printf(why, "block-allow-list %s: do-dbs", name);
	if (rs->ba_n[BA_IGNORE_DBS])
		return dm_buf_printf(why,
				     "block-allow-list %s: not in ignore-dbs",
				     name);
	return dm_buf_printf(why, "block-allow-list %s: no rule excludes it",
			     name);
}

static int explain_filter(dm_buf *why, const dm_rule_set *rs,
			  const dm_filter_decision *d, dm_filter_event event)
{
	const char *ev = dm_filter_event_name(event);
	char label[320];

	if (d->rule < 0 || (size_t)d->rule >= rs->n_filters)
		return 0;
	filter_label(label, sizeof(label), rs, (size_t)d->rule, false);
	switch (d->reason) {
	case DM_FILTER_IGNORE_EVENT:
		return dm_buf_printf(why, "%s (Ignore): lists %s", label, ev);
	case DM_FILTER_IGNORE_SQL:
		return dm_buf_printf(why, "%s (Ignore): sql-pattern matches",
				     label);
	case DM_FILTER_DO_EVENT_MISS:
		return dm_buf_printf(why, "%s (Do): does not list %s", label,
				     ev);
	case DM_FILTER_DO_SQL_MISS:
		return dm_buf_printf(why, "%s (Do): no sql-pattern matches",
				     label);
	case DM_FILTER_DO_ALLOWED:
		return dm_buf_printf(why, "%s (Do)", label);
	default:
		return 0;
	}
}

/* An ambiguous route: names the rules at the level that decides (the
 * router's message only numbers them). */
static int route_error(dm_error **err, dm_error *inner, const dm_rule_set *rs,
		       const char *schema, const char *table)
{
	dm_selector_rule *pats = NULL;
	dm_table_selector *sel = NULL;
	size_t *hit = NULL, i, nhit = 0;
	bool table_level = false;
	dm_buf names = DM_BUF_INIT;
	int rc, n;

	pats = dm__calloc(rs->n_routes ? rs->n_routes : 1, sizeof(*pats));
	hit = dm__calloc(rs->n_routes ? rs->n_routes : 1, sizeof(*hit));
	if (!pats || !hit)
		goto plain;
	for (i = 0; i < rs->n_routes; i++) {
		pats[i].schema_pattern = str_at(rs, rs->routes[i].schema_pattern);
		pats[i].table_pattern = str_at(rs, rs->routes[i].table_pattern);
	}
	{
		dm_rules_opts o = DM_RULES_OPTS_INIT;

		o.case_sensitive = rs->case_sensitive;
		if (dm_table_selector_new(&sel, pats, rs->n_routes, &o, NULL))
			goto plain;
	}
	n = dm_table_selector_match(hit, rs->n_routes, sel, schema, table,
				    NULL);
	if (n < 0)
		goto plain;
	nhit = (size_t)n < rs->n_routes ? (size_t)n : rs->n_routes;
	/* The router's rule: table-level rules decide for a table when one
	 * matches. */
	for (i = 0; i < nhit && *table; i++)
		if (*pats[hit[i]].table_pattern)
			table_level = true;
	for (i = 0; i < nhit; i++) {
		const rule_ref *r = &rs->routes[hit[i]];

		if ((*pats[hit[i]].table_pattern != '\0') != table_level)
			continue;
		if (dm_buf_printf(&names, "%s\"%s\" (%s:%u:%u)",
				  names.len ? ", " : "", str_at(rs, r->name),
				  str_at(rs, r->file), r->pos.line,
				  r->pos.column))
			goto plain;
	}
	if (!names.len)
		goto plain;
	rc = dm_error_set(err, dm_error_status(inner),
			  "`%s`.`%s` matches several %s route rules: %s; a table may match only one",
			  schema, table,
			  table_level ? "table-level" : "schema-level",
			  names.data);
	goto out;
plain:
	rc = dm_error_set(err, dm_error_status(inner), "%s",
			  detail_of(inner, NULL));
out:
	dm_error_free(inner);
	dm_buf_free(&names);
	dm_table_selector_free(sel);
	dm__free(pats);
	dm__free(hit);
	return rc;
}

static void filtered(dm_rule_decision *out, dm_rule_step step)
{
	out->migrate = false;
	out->step = step;
	out->target_schema = NULL;
	out->target_table = NULL;
}

/* Hands an error from a compiled object on to the caller (`inner` is
 * taken). */
static int pass_on(dm_error **err, dm_error *inner)
{
	int status = dm_error_status(inner);

	if (err && !*err) {
		*err = inner;
		return status;
	}
	if (err)
		dm_error_set(err, status, "%s", detail_of(inner, NULL));
	dm_error_free(inner);
	return status;
}

/* Why a migrated event migrates: the list that kept it, the Do rule that
 * allowed it, the route that placed it. */
static int explain_migrate(dm_buf *why, const dm_rule_set *rs,
			   const dm_rule_decision *d, dm_filter_event event,
			   bool schema_level)
{
	size_t start = why->len;
	int rc;

	rc = explain_ba(why, rs, &d->ba, schema_level);
	if (!rc && d->filter.reason == DM_FILTER_DO_ALLOWED) {
		rc = part(why, start);
		if (!rc)
			rc = explain_filter(why, rs, &d->filter, event);
	}
	if (!rc && d->route >= 0) {
		rc = part(why, start);
		if (!rc)
			rc = dm_buf_printf(why, "route %s",
					   str_at(rs, rs->routes[d->route].name));
	}
	if (!rc && why->len == start)
		rc = dm_buf_puts(why, "no rule applies");
	return rc;
}

int dm_rule_set_decide(dm_rule_decision *out, dm_buf *why,
		       const dm_rule_set *rs, const char *schema,
		       const char *table, dm_filter_event event,
		       const char *sql, size_t sql_len, dm_error **err)
{
	size_t start = why ? why->len : 0;
	dm_route_result to;
	dm_error *inner = NULL;
	int rc = 0;

	if (!out || !rs || !schema || (sql_len && !sql))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_rule_set_decide: NULL argument");
	if ((int)event < DM_FILTER_EVENT_UNSPECIFIED ||
	    (int)event > DM_FILTER_EVENT_ALTER_TABLE)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "event type %d is not a binlog event",
				    (int)event);
	if (!table)
		table = "";
	if (!sql)
		sql_len = 0;
	memset(out, 0, sizeof(*out));
	out->ba.keep = true;
	out->ba.reason = *table ? DM_BA_NOT_IGNORED : DM_BA_SCHEMA_PASSED;
	out->ba.rule = -1;
	out->filter.action = DM_FILTER_DO;
	out->filter.reason = DM_FILTER_NO_RULE;
	out->filter.rule = -1;
	out->route = -1;

	/* DM checks a statement against its built-in list first. */
	if (sql_len && dm_rules_is_builtin_skip(sql, sql_len)) {
		filtered(out, DM_RULE_STEP_BUILTIN);
		if (why)
			rc = dm_buf_puts(why,
					 "built-in: a statement DM never replicates");
		goto explained;
	}
	rc = dm_ba_list_check(&out->ba, rs->ba, schema, table, err);
	if (rc)
		return rc;
	if (!out->ba.keep) {
		filtered(out, DM_RULE_STEP_BA_LIST);
		if (why)
			rc = explain_ba(why, rs, &out->ba, !*table);
		goto explained;
	}
	rc = dm_event_filter_check(&out->filter, rs->filter, schema, table,
				   event, sql, sql_len, err);
	if (rc)
		return rc;
	if (out->filter.action == DM_FILTER_IGNORE) {
		filtered(out, DM_RULE_STEP_EVENT_FILTER);
		if (why)
			rc = explain_filter(why, rs, &out->filter, event);
		goto explained;
	}
	rc = dm_router_route(&to, rs->router, schema, table, &inner);
	if (rc) {
		memset(out, 0, sizeof(*out));
		out->route = -1;
		return rc == DM_E_GEN_TABLE_ROUTER ?
			       route_error(err, inner, rs, schema, table) :
			       pass_on(err, inner);
	}
	out->migrate = true;
	out->step = DM_RULE_STEP_NONE;
	out->target_schema = to.schema;
	out->target_table = to.table;
	out->route = to.rule;
	if (why)
		rc = explain_migrate(why, rs, out, event, !*table);
explained:
	if (rc) {
		dm_buf_truncate(why, start);
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	return 0;
}
