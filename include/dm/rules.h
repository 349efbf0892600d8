/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules that decide what a migration does with each upstream table and
 * event: table selectors, block/allow lists, binlog event filters, table
 * routing, and the statements DM never replicates. Rule sets are compiled
 * once from plain definitions and are immutable and thread-safe afterwards.
 * See dm_rules(3), dm_ba_list(3), dm_event_filter(3) and dm_router(3);
 * dm_rule_set compiles them from a task configuration, see dm_rules_cfg(3).
 */
#ifndef DM_RULES_H
#define DM_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util.h"
#include "cfg.h"
#include "sql.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options shared by every rule set. */
typedef struct dm_rules_opts {
	unsigned version;    /* 1 */
	bool case_sensitive; /* false (DM's default): names fold to lower case */
} dm_rules_opts;

#define DM_RULES_OPTS_INIT { 1, false }

/* Schemas the syncer and loader never touch (case-insensitive). */
DM_API bool dm_rules_is_system_schema(const char *schema);
/* Statements DM never replicates (SAVEPOINT, FLUSH, GRANT, triggers,
 * procedures, views, ...), matched at the start of `sql`. */
DM_API bool dm_rules_is_builtin_skip(const char *sql, size_t len);
/* 0 when `pattern` is a valid wildcard pattern or `~` regular expression. */
DM_API int dm_rules_check_pattern(const char *pattern, dm_error **err);

/* ---------------------------------------------------------- table selector */

typedef struct dm_selector_rule {
	const char *schema_pattern; /* required */
	const char *table_pattern;  /* NULL or "": a schema-level rule */
} dm_selector_rule;

typedef struct dm_table_selector dm_table_selector;

DM_API int dm_table_selector_new(dm_table_selector **out,
				 const dm_selector_rule *rules, size_t n,
				 const dm_rules_opts *opts, dm_error **err);
DM_API void dm_table_selector_free(dm_table_selector *s);
/* Stores up to `cap` indices of matching rules in DM's order; returns how
 * many rules match (may exceed cap) or a negative status. */
DM_API int dm_table_selector_match(size_t *out, size_t cap,
				   const dm_table_selector *s,
				   const char *schema, const char *table,
				   dm_error **err);

/* -------------------------------------------------------- block/allow list */

typedef struct dm_ba_table {
	const char *db_name;
	const char *tbl_name;
} dm_ba_table;

typedef struct dm_ba_list_def {
	const char *const *do_dbs;
	size_t n_do_dbs;
	const char *const *ignore_dbs;
	size_t n_ignore_dbs;
	const dm_ba_table *do_tables;
	size_t n_do_tables;
	const dm_ba_table *ignore_tables;
	size_t n_ignore_tables;
} dm_ba_list_def;

typedef enum dm_ba_reason {
	DM_BA_SYSTEM_SCHEMA = 0, /* dropped: a system schema */
	DM_BA_DO_DBS_MISS,       /* dropped: no do-dbs entry matches */
	DM_BA_IGNORE_DBS_HIT,    /* dropped: an ignore-dbs entry matches */
	DM_BA_SCHEMA_PASSED,     /* kept: schema-level name, schema step passed */
	DM_BA_DO_TABLES_HIT,     /* kept: a do-tables entry matches */
	DM_BA_IGNORE_TABLES_HIT, /* dropped: an ignore-tables entry matches */
	DM_BA_DO_TABLES_MISS,    /* dropped: do-tables set, none matches */
	DM_BA_NOT_IGNORED        /* kept: no do-tables and no ignore-tables hit */
} dm_ba_reason;

typedef struct dm_ba_decision {
	bool keep;
	dm_ba_reason reason;
	long rule; /* index into the list the reason names, or -1 */
} dm_ba_decision;

typedef struct dm_ba_list dm_ba_list;

DM_API int dm_ba_list_new(dm_ba_list **out, const dm_ba_list_def *def,
			  const dm_rules_opts *opts, dm_error **err);
DM_API void dm_ba_list_free(dm_ba_list *ba);
/* `table` NULL or "" asks about the schema itself (database-level DDL). */
DM_API int dm_ba_list_check(dm_ba_decision *out, const dm_ba_list *ba,
			    const char *schema, const char *table,
			    dm_error **err);
DM_API const char *dm_ba_reason_name(dm_ba_reason reason);

/* ------------------------------------------------------ binlog event filter */

typedef enum dm_filter_event {
	DM_FILTER_EVENT_UNSPECIFIED = 0, /* input only: no type, SQL decides */
	DM_FILTER_EVENT_INSERT,
	DM_FILTER_EVENT_UPDATE,
	DM_FILTER_EVENT_DELETE,
	DM_FILTER_EVENT_CREATE_DATABASE,
	DM_FILTER_EVENT_DROP_DATABASE,
	DM_FILTER_EVENT_CREATE_TABLE,
	DM_FILTER_EVENT_DROP_TABLE,
	DM_FILTER_EVENT_TRUNCATE_TABLE,
	DM_FILTER_EVENT_RENAME_TABLE,
	DM_FILTER_EVENT_CREATE_INDEX,
	DM_FILTER_EVENT_DROP_INDEX,
	DM_FILTER_EVENT_CREATE_VIEW,
	DM_FILTER_EVENT_DROP_VIEW,
	DM_FILTER_EVENT_ALTER_TABLE,
	/* rule only: groups of the above */
	DM_FILTER_EVENT_ALL,
	DM_FILTER_EVENT_ALL_DML,
	DM_FILTER_EVENT_ALL_DDL,
	DM_FILTER_EVENT_NONE,
	DM_FILTER_EVENT_NONE_DML,
	DM_FILTER_EVENT_NONE_DDL
} dm_filter_event;

typedef enum dm_filter_action {
	DM_FILTER_DO = 0,
	DM_FILTER_IGNORE = 1
} dm_filter_action;

typedef struct dm_filter_rule_def {
	const char *schema_pattern;       /* required */
	const char *table_pattern;        /* NULL or "": schema-level rule */
	const char *const *events;        /* names, any case: "all dml", ... */
	size_t n_events;
	const char *const *sql_patterns;  /* regular expressions, any case */
	size_t n_sql_patterns;
	dm_filter_action action;
} dm_filter_rule_def;

typedef struct dm_event_filter_def {
	const dm_filter_rule_def *task_rules; /* the task's filters */
	size_t n_task_rules;
	const dm_filter_rule_def *source_rules; /* the source's filters */
	size_t n_source_rules;
} dm_event_filter_def;

typedef enum dm_filter_reason {
	DM_FILTER_NO_RULE = 0,   /* Do: no rule matches the table */
	DM_FILTER_NO_VOTE,       /* Do: rules match but none applies */
	DM_FILTER_DO_ALLOWED,    /* Do: a Do rule lists the event / SQL */
	DM_FILTER_IGNORE_EVENT,  /* Ignore: an Ignore rule lists the event */
	DM_FILTER_IGNORE_SQL,    /* Ignore: an Ignore rule's sql-pattern */
	DM_FILTER_DO_EVENT_MISS, /* Ignore: Do rules only, none lists it */
	DM_FILTER_DO_SQL_MISS    /* Ignore: Do rules only, SQL matches none */
} dm_filter_reason;

typedef struct dm_filter_decision {
	dm_filter_action action;
	dm_filter_reason reason;
	long rule; /* task rules first, then source rules; -1 when none */
} dm_filter_decision;

typedef struct dm_event_filter dm_event_filter;

DM_API int dm_event_filter_new(dm_event_filter **out,
			       const dm_event_filter_def *def,
			       const dm_rules_opts *opts, dm_error **err);
DM_API void dm_event_filter_free(dm_event_filter *f);
/* `table` NULL or "" for schema-level events; `sql` may be NULL. */
DM_API int dm_event_filter_check(dm_filter_decision *out,
				 const dm_event_filter *f, const char *schema,
				 const char *table, dm_filter_event event,
				 const char *sql, size_t sql_len,
				 dm_error **err);
DM_API int dm_filter_event_parse(dm_filter_event *out, const char *name,
				 dm_error **err);
DM_API const char *dm_filter_event_name(dm_filter_event event);
DM_API bool dm_filter_event_is_dml(dm_filter_event event);
DM_API bool dm_filter_event_is_ddl(dm_filter_event event);
DM_API int dm_filter_action_parse(dm_filter_action *out, const char *name,
				  dm_error **err);
DM_API const char *dm_filter_action_name(dm_filter_action action);
DM_API const char *dm_filter_reason_name(dm_filter_reason reason);

/* ----------------------------------------------------------------- router */

typedef struct dm_route_rule_def {
	const char *schema_pattern; /* required */
	const char *table_pattern;  /* NULL or "": schema-level rule */
	const char *target_schema;  /* required */
	const char *target_table;   /* NULL or "": keep the source table */
	/* extract-table / extract-schema / extract-source; NULL when unset */
	const char *table_regexp;
	const char *table_column;
	const char *schema_regexp;
	const char *schema_column;
	const char *source_regexp;
	const char *source_column;
} dm_route_rule_def;

typedef struct dm_route_result {
	const char *schema; /* borrowed: the router's target or the input */
	const char *table;
	long rule;          /* deciding rule, or -1 when none matched */
} dm_route_result;

#define DM_ROUTE_MAX_COLUMNS 3

typedef struct dm_route_column {
	const char *name; /* target-column, borrowed from the router */
	size_t off;       /* value: `len` bytes at values->data + off */
	size_t len;
} dm_route_column;

typedef struct dm_route_columns {
	size_t n;
	dm_route_column col[DM_ROUTE_MAX_COLUMNS]; /* table, schema, source */
} dm_route_columns;

typedef struct dm_router dm_router;

DM_API int dm_router_new(dm_router **out, const dm_route_rule_def *rules,
			 size_t n, const dm_rules_opts *opts, dm_error **err);
DM_API void dm_router_free(dm_router *r);
DM_API int dm_router_route(dm_route_result *out, const dm_router *r,
			   const char *schema, const char *table,
			   dm_error **err);
/* Extra columns of the deciding rule's extract-* options; values are
 * appended to `values`, each followed by a NUL. */
DM_API int dm_router_extract(dm_route_columns *out, dm_buf *values,
			     const dm_router *r, const char *schema,
			     const char *table, const char *source,
			     dm_error **err);

/* ------------------------------------------------------- expression filter */

/* Compiled expression-filter rules (DM's expression-filter): whether a row
 * change is skipped. See dm_expr_filter(3). */
typedef struct dm_expr_filter dm_expr_filter;

typedef struct dm_expr_filter_opts {
	unsigned version;     /* 1 */
	bool case_sensitive;  /* true (DM): schema and table compare byte-exact */
	long tz_offset;       /* session time zone, seconds east of UTC (DM: 0) */
	unsigned long sql_mode; /* DM_SQL_MODE_* bits for parsing and evaluation */
	const char *file;     /* file named in errors; NULL: "task" */
} dm_expr_filter_opts;

#define DM_EXPR_FILTER_OPTS_INIT { 1, true, 0, 0, NULL }

/* One upstream column: name and declared type (type may be NULL). */
typedef struct dm_expr_filter_column {
	const char *name;
	const dm_sql_data_type *type;
} dm_expr_filter_column;

/* The upstream table's columns in row order: `columns`, or when it is
 * NULL the columns of a parsed CREATE TABLE. */
typedef struct dm_expr_filter_table {
	const dm_expr_filter_column *columns;
	size_t ncolumns;
	const dm_sql_create_table *create;
} dm_expr_filter_table;

DM_API int dm_expr_filter_new(dm_expr_filter **out,
			      const dm_cfg_expr_filter *const *defs, size_t n,
			      const dm_expr_filter_opts *opts, dm_error **err);
DM_API void dm_expr_filter_free(dm_expr_filter *f);
/* True when some rule names schema.table. */
DM_API bool dm_expr_filter_has_table(const dm_expr_filter *f,
				     const char *schema, const char *table);
/* `event` is DM_FILTER_EVENT_INSERT, _UPDATE or _DELETE; `before` (UPDATE,
 * DELETE) and `after` (INSERT, UPDATE) hold one value per column. */
DM_API int dm_expr_filter_skip(bool *out, const dm_expr_filter *f,
			       const char *schema, const char *table,
			       const dm_expr_filter_table *columns,
			       dm_filter_event event, const dm_value *before,
			       const dm_value *after, dm_buf *scratch,
			       dm_error **err);

/* ------------------------------------------ the rules of one task source */

typedef struct dm_rule_set dm_rule_set;

/* The step that filtered an event out, in the order they run. */
typedef enum dm_rule_step {
	DM_RULE_STEP_NONE = 0,     /* nothing filtered it: it migrates */
	DM_RULE_STEP_BUILTIN,      /* a statement DM never replicates */
	DM_RULE_STEP_BA_LIST,      /* the block/allow list or a system schema */
	DM_RULE_STEP_EVENT_FILTER  /* a binlog event filter rule */
} dm_rule_step;

typedef struct dm_rule_decision {
	bool migrate;              /* false: the event is filtered out */
	dm_rule_step step;         /* what filtered it; NONE when it migrates */
	const char *target_schema; /* borrowed; NULL when filtered */
	const char *target_table;  /* "" for a schema-level name */
	dm_ba_decision ba;         /* the block/allow list's answer */
	dm_filter_decision filter; /* rule: the instance's filter-rules, then
				    * the source's filters */
	long route;                /* index into route-rules, or -1 */
} dm_rule_decision;

/* Compiles the rules the task gives source `source_id` (NULL: the only
 * instance, or the source's); `source` (may be NULL) adds its filters. */
DM_API int dm_rule_set_new(dm_rule_set **out, const dm_cfg_task *task,
			   const char *source_id, const dm_cfg_source *source,
			   dm_error **err);
DM_API void dm_rule_set_free(dm_rule_set *rs);
/* What happens to an event on schema.table (`table` NULL or "" for a
 * schema-level statement); `why` (may be NULL) gets the deciding rules. */
DM_API int dm_rule_set_decide(dm_rule_decision *out, dm_buf *why,
			      const dm_rule_set *rs, const char *schema,
			      const char *table, dm_filter_event event,
			      const char *sql, size_t sql_len, dm_error **err);
DM_API const char *dm_rule_set_source_id(const dm_rule_set *rs);
DM_API bool dm_rule_set_case_sensitive(const dm_rule_set *rs);
DM_API const char *dm_rule_step_name(dm_rule_step step);

#ifdef __cplusplus
}
#endif

#endif
