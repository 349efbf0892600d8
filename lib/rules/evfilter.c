/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binlog event filters (DM's filters, tidb-tools pkg/binlog-filter).
 *
 * Each rule of the matching ones votes: an Ignore rule drops the event when
 * its events list covers the event type or one of its sql-patterns matches
 * the statement; a Do rule allows the event when every check that applies
 * (the events list when the event has a type, the sql-patterns when the
 * event has a statement and the rule has patterns) passes, and denies it
 * when one fails. Ignore wins over everything; otherwise one allowing Do
 * rule keeps the event, and denying Do rules drop it only when none
 * allows it. DM's code drops the event as soon as any Do rule denies, so
 * its documented "migrate only sharding DML" example (a schema-level Do
 * rule for CREATE DATABASE next to a table-level Do rule for DML) would
 * drop every row; this follows the documentation.
 */
#include "rules/rules_private.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

#define N_CONCRETE (DM_FILTER_EVENT_ALTER_TABLE + 1)

typedef struct frule {
	dm_filter_action action;
	uint32_t events;  /* bit e: the events list covers concrete event e */
	dm__rx *sql;      /* the sql-patterns as one expression, or NULL */
} frule;

struct dm_event_filter {
	dm__rx_env env;
	bool case_sensitive;
	dm__selector *sel;
	frule *rules;
	size_t n_rules;
};

static const dm_rules_opts default_opts = DM_RULES_OPTS_INIT;

static const struct {
	const char *name;
	dm_filter_event event;
} event_names[] = {
	{ "", DM_FILTER_EVENT_UNSPECIFIED },
	{ "insert", DM_FILTER_EVENT_INSERT },
	{ "update", DM_FILTER_EVENT_UPDATE },
	{ "delete", DM_FILTER_EVENT_DELETE },
	{ "create database", DM_FILTER_EVENT_CREATE_DATABASE },
	{ "drop database", DM_FILTER_EVENT_DROP_DATABASE },
	{ "create table", DM_FILTER_EVENT_CREATE_TABLE },
	{ "drop table", DM_FILTER_EVENT_DROP_TABLE },
	{ "truncate table", DM_FILTER_EVENT_TRUNCATE_TABLE },
	{ "rename table", DM_FILTER_EVENT_RENAME_TABLE },
	{ "create index", DM_FILTER_EVENT_CREATE_INDEX },
	{ "drop index", DM_FILTER_EVENT_DROP_INDEX },
	{ "create view", DM_FILTER_EVENT_CREATE_VIEW },
	{ "drop view", DM_FILTER_EVENT_DROP_VIEW },
	{ "alter table", DM_FILTER_EVENT_ALTER_TABLE },
	{ "all", DM_FILTER_EVENT_ALL },
	{ "all dml", DM_FILTER_EVENT_ALL_DML },
	{ "all ddl", DM_FILTER_EVENT_ALL_DDL },
	{ "none", DM_FILTER_EVENT_NONE },
	{ "none dml", DM_FILTER_EVENT_NONE_DML },
	{ "none ddl", DM_FILTER_EVENT_NONE_DDL },
	/* DM's aliases; names print as the first spelling above. */
	{ "create schema", DM_FILTER_EVENT_CREATE_DATABASE },
	{ "drop schema", DM_FILTER_EVENT_DROP_DATABASE },
	{ "add index", DM_FILTER_EVENT_CREATE_INDEX },
};

#define N_NAMES (sizeof(event_names) / sizeof(event_names[0]))

static bool name_eq(const char *a, const char *lower)
{
	size_t k;

	for (k = 0; lower[k]; k++) {
		unsigned char c = (unsigned char)a[k];

		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)lower[k])
			return false;
	}
	return a[k] == '\0';
}

int dm_filter_event_parse(dm_filter_event *out, const char *name,
			  dm_error **err)
{
	size_t i;

	if (!out || !name)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_filter_event_parse: NULL argument");
	for (i = 0; i < N_NAMES; i++) {
		if (name_eq(name, event_names[i].name)) {
			*out = event_names[i].event;
			return 0;
		}
	}
	return dm_error_set(err, DM_E_INVALID_ARGUMENT,
			    "event type \"%s\" not found", name);
}

const char *dm_filter_event_name(dm_filter_event event)
{
	size_t i;

	for (i = 0; i < N_NAMES; i++)
		if (event_names[i].event == event)
			return event_names[i].name;
	return "invalid event";
}

bool dm_filter_event_is_dml(dm_filter_event event)
{
	return event >= DM_FILTER_EVENT_INSERT &&
	       event <= DM_FILTER_EVENT_DELETE;
}

bool dm_filter_event_is_ddl(dm_filter_event event)
{
	return event >= DM_FILTER_EVENT_CREATE_DATABASE &&
	       event <= DM_FILTER_EVENT_ALTER_TABLE;
}

int dm_filter_action_parse(dm_filter_action *out, const char *name,
			   dm_error **err)
{
	if (!out || !name)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_filter_action_parse: NULL argument");
	/* DM compares the action exactly: "do" or "IGNORE" are errors. */
	if (strcmp(name, "Do") == 0) {
		*out = DM_FILTER_DO;
		return 0;
	}
	if (strcmp(name, "Ignore") == 0) {
		*out = DM_FILTER_IGNORE;
		return 0;
	}
	return dm_error_set(err, DM_E_CONFIG_BINLOG_EVENT_FILTER,
			    "action \"%s\" is neither Do nor Ignore", name);
}

const char *dm_filter_action_name(dm_filter_action action)
{
	return action == DM_FILTER_IGNORE ? "Ignore" : "Do";
}

const char *dm_filter_reason_name(dm_filter_reason reason)
{
	switch (reason) {
	case DM_FILTER_NO_RULE:
		return "no filter rule matches";
	case DM_FILTER_NO_VOTE:
		return "no matching filter rule applies";
	case DM_FILTER_DO_ALLOWED:
		return "a Do rule allows it";
	case DM_FILTER_IGNORE_EVENT:
		return "an Ignore rule lists the event";
	case DM_FILTER_IGNORE_SQL:
		return "an Ignore rule's sql-pattern matches";
	case DM_FILTER_DO_EVENT_MISS:
		return "no Do rule lists the event";
	case DM_FILTER_DO_SQL_MISS:
		return "no Do rule's sql-pattern matches";
	}
	return "unknown";
}

/* The events list read DM's way for each concrete event: in order, "all"
 * and the matching "all dml/ddl" say yes, "none" and the matching "none
 * dml/ddl" say no, the event's own name says yes; nothing said is no. */
static uint32_t events_mask(const dm_filter_event *list, size_t n)
{
	uint32_t mask = 0;
	int e;
	size_t i;

	for (e = DM_FILTER_EVENT_INSERT; e < N_CONCRETE; e++) {
		bool dml = dm_filter_event_is_dml((dm_filter_event)e);

		for (i = 0; i < n; i++) {
			dm_filter_event r = list[i];

			if (r == DM_FILTER_EVENT_ALL ||
			    (dml && r == DM_FILTER_EVENT_ALL_DML) ||
			    (!dml && r == DM_FILTER_EVENT_ALL_DDL) ||
			    r == (dm_filter_event)e) {
				mask |= UINT32_C(1) << e;
				break;
			}
			if (r == DM_FILTER_EVENT_NONE ||
			    (dml && r == DM_FILTER_EVENT_NONE_DML) ||
			    (!dml && r == DM_FILTER_EVENT_NONE_DDL))
				break;
		}
	}
	return mask;
}

static int compile_rule(dm_event_filter *f, frule *fr,
			const dm_filter_rule_def *d, const char *what,
			dm_error **err)
{
	dm_filter_event list[64], *events = list;
	dm_buf joined = DM_BUF_INIT;
	size_t i;
	int rc = 0;

	if (d->action != DM_FILTER_DO && d->action != DM_FILTER_IGNORE)
		return dm_error_set(err, DM_E_CONFIG_BINLOG_EVENT_FILTER,
				    "%s: action must be Do or Ignore", what);
	if ((d->n_events && !d->events) ||
	    (d->n_sql_patterns && !d->sql_patterns))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: events or sql-pattern is NULL", what);
	if (d->n_events > sizeof(list) / sizeof(list[0])) {
		events = dm__calloc(d->n_events, sizeof(*events));
		if (!events)
			return dm_error_set(err, DM_E_NO_MEMORY, "%s", what);
	}
	for (i = 0; i < d->n_events; i++) {
		if (!d->events[i] ||
		    dm_filter_event_parse(&events[i], d->events[i], NULL)) {
			rc = dm_error_set(err, DM_E_CONFIG_BINLOG_EVENT_FILTER,
					  "%s: event type \"%s\" not found",
					  what,
					  d->events[i] ? d->events[i] : "(null)");
			goto out;
		}
	}
	fr->action = d->action;
	fr->events = events_mask(events, d->n_events);
	if (d->n_sql_patterns == 0)
		goto out;
	/* DM joins the patterns with '|' under (?i); each is grouped here so
	 * that one pattern cannot swallow its neighbours. */
	for (i = 0; i < d->n_sql_patterns; i++) {
		if (!d->sql_patterns[i]) {
			rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
					  "%s: sql-pattern %zu is NULL", what,
					  i);
			goto out;
		}
		if ((i && dm_buf_putc(&joined, '|')) ||
		    dm_buf_puts(&joined, "(?:") ||
		    dm_buf_puts(&joined, d->sql_patterns[i]) ||
		    dm_buf_putc(&joined, ')')) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, "%s", what);
			goto out;
		}
	}
	rc = dm__rx_compile(&fr->sql, &f->env, joined.data, joined.len, true,
			    DM_E_CONFIG_BINLOG_EVENT_FILTER, what, err);
out:
	if (events != list)
		dm__free(events);
	dm_buf_free(&joined);
	return rc;
}

void dm_event_filter_free(dm_event_filter *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; f->rules && i < f->n_rules; i++)
		dm__rx_free(f->rules[i].sql);
	dm__free(f->rules);
	dm__selector_free(f->sel);
	dm__rx_env_done(&f->env);
	dm__free(f);
}

int dm_event_filter_new(dm_event_filter **out, const dm_event_filter_def *def,
			const dm_rules_opts *opts, dm_error **err)
{
	static const dm_event_filter_def empty;
	dm_event_filter *f;
	size_t i, n;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_event_filter_new: out is NULL");
	*out = NULL;
	if (!def)
		def = &empty;
	if (!opts)
		opts = &default_opts;
	if ((def->n_task_rules && !def->task_rules) ||
	    (def->n_source_rules && !def->source_rules))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_event_filter_new: rules are NULL");
	if (def->n_task_rules > UINT32_MAX / 2 ||
	    def->n_source_rules > UINT32_MAX / 2)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "binlog event filter: too many rules");
	n = def->n_task_rules + def->n_source_rules;
	f = dm__calloc(1, sizeof(*f));
	if (!f)
		return dm_error_set(err, DM_E_NO_MEMORY, "binlog event filter");
	f->case_sensitive = opts->case_sensitive;
	rc = dm__rx_env_init(&f->env);
	if (rc) {
		dm__free(f);
		return dm_error_set(err, rc, "binlog event filter");
	}
	f->rules = dm__calloc(n ? n : 1, sizeof(*f->rules));
	if (!f->rules ||
	    dm__selector_new(&f->sel, &f->env, f->case_sensitive)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, "binlog event filter");
		goto out_free;
	}
	f->n_rules = n;
	for (i = 0; i < n; i++) {
		bool task = i < def->n_task_rules;
		const dm_filter_rule_def *d =
			task ? &def->task_rules[i]
			     : &def->source_rules[i - def->n_task_rules];
		char what[64];

		snprintf(what, sizeof(what), "%s filter rule %zu",
			 task ? "task" : "source",
			 task ? i : i - def->n_task_rules);
		rc = compile_rule(f, &f->rules[i], d, what, err);
		if (rc)
			goto out_free;
		/* Rules sharing a pair of patterns all apply (DM refuses the
		 * second one). */
		rc = dm__selector_add(f->sel, d->schema_pattern,
				      d->table_pattern, (uint32_t)i, true,
				      DM_E_CONFIG_BINLOG_EVENT_FILTER, what,
				      err);
		if (rc)
			goto out_free;
	}
	rc = dm__selector_freeze(f->sel);
	if (rc) {
		rc = dm_error_set(err, rc, "binlog event filter");
		goto out_free;
	}
	*out = f;
	return 0;

out_free:
	dm_event_filter_free(f);
	return rc;
}

typedef struct vote {
	const dm_event_filter *f;
	dm_filter_event event;
	const char *sql;
	size_t sql_len;
	dm_error **err;
	bool any;            /* some rule matched the table */
	long ignore;         /* the Ignore rule that fired, or -1 */
	dm_filter_reason ignore_why;
	long allow;          /* first allowing Do rule, or -1 */
	long deny;           /* first denying Do rule, or -1 */
	dm_filter_reason deny_why;
} vote;

/* 1 when the rule's sql-patterns match the statement, 0 when not. */
static int sql_match(vote *v, const frule *r)
{
	return dm__rx_search((dm__rx_env *)&v->f->env, r->sql, v->sql,
			     v->sql_len, v->err);
}

static int visit_rule(void *ud, uint32_t rule, bool schema_level)
{
	vote *v = ud;
	const frule *r = &v->f->rules[rule];
	bool applied = false, ok = true, listed;
	dm_filter_reason why = DM_FILTER_DO_EVENT_MISS;
	int m;

	(void)schema_level;
	v->any = true;
	listed = v->event != DM_FILTER_EVENT_UNSPECIFIED &&
		 ((r->events >> v->event) & 1);
	if (r->action == DM_FILTER_IGNORE) {
		if (listed) {
			v->ignore = rule;
			v->ignore_why = DM_FILTER_IGNORE_EVENT;
			return 1;
		}
		if (v->sql_len && r->sql) {
			m = sql_match(v, r);
			if (m < 0)
				return m;
			if (m) {
				v->ignore = rule;
				v->ignore_why = DM_FILTER_IGNORE_SQL;
				return 1;
			}
		}
		return 0;
	}
	if (v->event != DM_FILTER_EVENT_UNSPECIFIED) {
		applied = true;
		ok = listed;
	}
	if (ok && v->sql_len && r->sql) {
		applied = true;
		m = sql_match(v, r);
		if (m < 0)
			return m;
		if (!m) {
			ok = false;
			why = DM_FILTER_DO_SQL_MISS;
		}
	}
	if (!applied)
		return 0;
	if (ok) {
		if (v->allow < 0)
			v->allow = rule;
	} else if (v->deny < 0) {
		v->deny = rule;
		v->deny_why = why;
	}
	return 0;
}

int dm_event_filter_check(dm_filter_decision *out, const dm_event_filter *f,
			  const char *schema, const char *table,
			  dm_filter_event event, const char *sql,
			  size_t sql_len, dm_error **err)
{
	dm__rules_name sn, tn;
	vote v;
	int rc;

	if (!out || !f || !schema || (sql_len && !sql))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_event_filter_check: NULL argument");
	if ((int)event < DM_FILTER_EVENT_UNSPECIFIED ||
	    (int)event >= N_CONCRETE)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "event type %d is not a binlog event",
				    (int)event);
	out->action = DM_FILTER_DO;
	out->reason = DM_FILTER_NO_RULE;
	out->rule = -1;
	if (f->n_rules == 0)
		return 0;
	rc = dm__rules_name_init(&sn, schema, !f->case_sensitive);
	if (rc)
		return dm_error_set(err, rc, "checking a binlog event filter");
	rc = dm__rules_name_init(&tn, table, !f->case_sensitive);
	if (rc) {
		dm__rules_name_done(&sn);
		return dm_error_set(err, rc, "checking a binlog event filter");
	}
	memset(&v, 0, sizeof(v));
	v.f = f;
	v.event = event;
	v.sql = sql;
	v.sql_len = sql ? sql_len : 0;
	v.err = err;
	v.ignore = v.allow = v.deny = -1;
	rc = dm__selector_walk(f->sel, sn.s, sn.len, tn.s, tn.len, visit_rule,
			       NULL, &v, err);
	dm__rules_name_done(&sn);
	dm__rules_name_done(&tn);
	if (rc < 0)
		return rc;
	if (v.ignore >= 0) {
		out->action = DM_FILTER_IGNORE;
		out->reason = v.ignore_why;
		out->rule = v.ignore;
	} else if (v.allow >= 0) {
		out->reason = DM_FILTER_DO_ALLOWED;
		out->rule = v.allow;
	} else if (v.deny >= 0) {
		out->action = DM_FILTER_IGNORE;
		out->reason = v.deny_why;
		out->rule = v.deny;
	} else if (v.any) {
		out->reason = DM_FILTER_NO_VOTE;
	}
	return 0;
}
