/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Schema model and tracker: the current structure of every upstream table,
 * kept up to date by applying DDL in binlog order; snapshots; JSON form;
 * canonical CREATE TABLE. See dm_schema(3).
 */
#ifndef DM_SCHEMA_H
#define DM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util.h"
#include "sql.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dm_schema_tracker dm_schema_tracker;
typedef struct dm_schema_table dm_schema_table;

typedef struct dm_schema_opts {
	unsigned version;              /* 1 */
	int lower_case_table_names;    /* 0, 1 or 2, as the upstream's */
	dm_sql_parse_opts parse;       /* default_db is ignored */
} dm_schema_opts;

#define DM_SCHEMA_OPTS_INIT { 1, 0, DM_SQL_PARSE_OPTS_INIT }

typedef enum dm_schema_default_kind {
	DM_SCHEMA_DEFAULT_NONE,    /* no DEFAULT (NOT NULL column) */
	DM_SCHEMA_DEFAULT_NULL,    /* DEFAULT NULL, also the implicit one */
	DM_SCHEMA_DEFAULT_LITERAL, /* a constant, see default_sql */
	DM_SCHEMA_DEFAULT_EXPR     /* an expression, see default_sql */
} dm_schema_default_kind;

/* A column; read-only, may only grow at the end. */
typedef struct dm_schema_column {
	const char *name;
	const char *type;          /* as information_schema COLUMN_TYPE:
	                            * "int(10) unsigned", "varchar(20)" */
	const char *type_name;     /* upper case: "INT", "VARCHAR" */
	long long length;          /* display width / length / precision, -1 */
	long long scale;           /* -1 when none */
	bool is_unsigned;
	bool zerofill;
	const char *charset;       /* text columns; NULL when unknown/none */
	const char *collation;
	bool nullable;
	dm_schema_default_kind default_kind;
	const char *default_sql;   /* as information_schema COLUMN_DEFAULT
	                            * ("NULL", "'abc'", "5", "current_timestamp()");
	                            * NULL for DM_SCHEMA_DEFAULT_NONE */
	const char *on_update;     /* ON UPDATE expression, or NULL */
	bool auto_increment;
	const char *generated;     /* generation expression, or NULL */
	bool stored;               /* STORED (else VIRTUAL) */
	bool invisible;
	const char *comment;       /* NULL when none */
} dm_schema_column;

typedef enum dm_schema_key_kind {
	DM_SCHEMA_KEY_PRIMARY,
	DM_SCHEMA_KEY_UNIQUE,
	DM_SCHEMA_KEY_INDEX,
	DM_SCHEMA_KEY_FULLTEXT,
	DM_SCHEMA_KEY_SPATIAL
} dm_schema_key_kind;

typedef struct dm_schema_key_part {
	const char *column;
	long long length;          /* prefix length, or -1 */
	bool desc;
} dm_schema_key_part;

typedef struct dm_schema_key {
	dm_schema_key_kind kind;
	const char *name;          /* "PRIMARY" for the primary key */
	const dm_schema_key_part *parts;
	size_t nparts;
	const char *index_type;        /* "BTREE", "HASH", or NULL */
	const char *comment;       /* NULL when none */
} dm_schema_key;

/* ------------------------------------------------------------- tracker */

DM_API int dm_schema_tracker_new(dm_schema_tracker **out,
				 const dm_schema_opts *opts, dm_error **err);
DM_API void dm_schema_tracker_free(dm_schema_tracker *tr);

/* Parses one statement and applies it; statements that do not change
 * table structure are accepted and ignored. */
DM_API int dm_schema_tracker_apply(dm_schema_tracker *tr, const char *sql,
				   size_t len, const char *default_db,
				   dm_error **err);
DM_API int dm_schema_tracker_apply_stmt(dm_schema_tracker *tr,
					const dm_sql_stmt *stmt,
					const char *default_db, dm_error **err);
/* Replaces (or creates) schema.table with the structure of a CREATE TABLE
 * statement, whatever name it carries (operate-schema set). */
DM_API int dm_schema_tracker_set_table(dm_schema_tracker *tr,
				       const char *schema, const char *table,
				       const char *create_sql, size_t len,
				       dm_error **err);
/* 0, or DM_E_SCHEMA_TRACKER_CANNOT_DROP_TABLE when it is not tracked. */
DM_API int dm_schema_tracker_remove_table(dm_schema_tracker *tr,
					  const char *schema,
					  const char *table, dm_error **err);

/* Borrowed until the next call that changes the tracker; NULL: unknown. */
DM_API const dm_schema_table *
dm_schema_tracker_get(const dm_schema_tracker *tr, const char *schema,
		      const char *table);
/* Tables in (schema, table) byte order. */
DM_API size_t dm_schema_tracker_count(const dm_schema_tracker *tr);
DM_API const dm_schema_table *
dm_schema_tracker_table_at(const dm_schema_tracker *tr, size_t i);
DM_API bool dm_schema_tracker_has_schema(const dm_schema_tracker *tr,
					 const char *schema);

/* A copy that shares unchanged tables (copy on write). */
DM_API int dm_schema_tracker_snapshot(dm_schema_tracker **out,
				      const dm_schema_tracker *tr,
				      dm_error **err);
/* Makes tr equal to snap (which stays valid). */
DM_API int dm_schema_tracker_restore(dm_schema_tracker *tr,
				     const dm_schema_tracker *snap,
				     dm_error **err);

DM_API int dm_schema_tracker_to_json(dm_buf *out,
				     const dm_schema_tracker *tr,
				     dm_error **err);
DM_API int dm_schema_tracker_from_json(dm_schema_tracker **out,
				       const char *json, size_t len,
				       const dm_schema_opts *opts,
				       dm_error **err);

/* --------------------------------------------------------------- tables */

DM_API const char *dm_schema_table_schema(const dm_schema_table *t);
DM_API const char *dm_schema_table_name(const dm_schema_table *t);
DM_API const char *dm_schema_table_charset(const dm_schema_table *t);
DM_API const char *dm_schema_table_collation(const dm_schema_table *t);
DM_API size_t dm_schema_table_ncolumns(const dm_schema_table *t);
DM_API const dm_schema_column *
dm_schema_table_column(const dm_schema_table *t, size_t i);
/* Index of a column by name (case-insensitive), or -1. */
DM_API long dm_schema_table_find_column(const dm_schema_table *t,
					const char *name);
DM_API size_t dm_schema_table_nkeys(const dm_schema_table *t);
DM_API const dm_schema_key *dm_schema_table_key(const dm_schema_table *t,
						size_t i);
/* The canonical CREATE TABLE (multi-line, as SHOW CREATE TABLE). */
DM_API int dm_schema_table_create_sql(dm_buf *out, const dm_schema_table *t,
				      dm_error **err);

#ifdef __cplusplus
}
#endif

#endif
