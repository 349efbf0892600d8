/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row changes and the SQL that applies them downstream: target tables,
 * owned copies of changes, causality keys, compaction and statement text
 * (single, safe mode, multiple rows). Pure functions of their inputs: no
 * connection is used. See dm_dml(3).
 */
#ifndef DM_DML_H
#define DM_DML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "schema.h"
#include "util.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dm_dml_op {
	DM_DML_INSERT = 1,
	DM_DML_UPDATE = 2,
	DM_DML_DELETE = 3
} dm_dml_op;

/* -------------------------------------------------------- target tables */

/* How the rows of one upstream table are written to one downstream table.
 * Immutable once made: may be shared by threads. */
typedef struct dm_dml_table dm_dml_table;

/* Describes target_schema.target_table for rows of the upstream table
 * `src` (columns by position, as the binlog sends them). Copies what it
 * needs from `src`. */
DM_API int dm_dml_table_new(dm_dml_table **out, const dm_schema_table *src,
			    const char *target_schema,
			    const char *target_table, dm_error **err);
DM_API void dm_dml_table_free(dm_dml_table *t);

DM_API const char *dm_dml_table_target_schema(const dm_dml_table *t);
DM_API const char *dm_dml_table_target_name(const dm_dml_table *t);
DM_API const char *dm_dml_table_source_schema(const dm_dml_table *t);
DM_API const char *dm_dml_table_source_name(const dm_dml_table *t);
/* Columns of a row image (generated ones included). */
DM_API size_t dm_dml_table_ncolumns(const dm_dml_table *t);
/* The identity key: the primary key, else the first unique key whose
 * columns are all NOT NULL. Column indexes into *cols; 0 when there is
 * none. */
DM_API size_t dm_dml_table_identity(const dm_dml_table *t,
				    const size_t **cols);
/* Number of unique keys (the primary key included). */
DM_API size_t dm_dml_table_nunique(const dm_dml_table *t);

/* ------------------------------------------------------------- changes */

/* One row change. `before` and `after` are arrays of
 * dm_dml_table_ncolumns() values in column order. */
typedef struct dm_dml_change {
	dm_dml_op op;
	const dm_dml_table *table;
	const dm_value *before;  /* UPDATE and DELETE; NULL for INSERT */
	const dm_value *after;   /* INSERT and UPDATE; NULL for DELETE */
	bool safe;               /* safe mode for this change */
} dm_dml_change;

/* An owned copy of a change: the values and every byte they point to in
 * one allocation, released with dm_dml_change_free(). The copy keeps
 * pointing at `src->table`, which must outlive it. Integers whose sign
 * the binlog left unknown are made UNSIGNED where the table says so;
 * DM_E_SYNCER_UNIT_DML_COLUMN_NOT_MATCH (36027) when an image is not
 * ncolumns wide (`width` is the image's width). */
DM_API int dm_dml_change_copy(dm_dml_change **out, const dm_dml_change *src,
			      size_t width, dm_error **err);
DM_API void dm_dml_change_free(dm_dml_change *c);

/* --------------------------------------------------------------- keys */

/* Causality keys of a change: one 64-bit hash for every unique key (the
 * primary key included) whose columns are all non-NULL, in the before and
 * in the after image, each mixed with the target table's name. Changes
 * that could touch the same downstream row share a key (strings of
 * case-insensitive collations are compared folded). An image with no such
 * key adds one key for its whole table. Writes at most `cap` keys and
 * returns how many there are. */
DM_API size_t dm_dml_change_keys(uint64_t *out, size_t cap,
				 const dm_dml_change *c);

/* ---------------------------------------------------------- compaction */

/* Merges successive changes of the same row, as applying them one by one
 * would end: INSERT+UPDATE -> INSERT, UPDATE+UPDATE -> UPDATE,
 * DELETE+INSERT -> INSERT in safe mode, any+DELETE -> DELETE. Only tables
 * whose single unique key is the identity key take part, and an UPDATE
 * that changes the identity key ends a run. Writes the result to `out`
 * (room for n changes; values borrowed from `in`) and returns its count. */
DM_API size_t dm_dml_compact(dm_dml_change *out,
			     const dm_dml_change *const *in, size_t n);

/* ---------------------------------------------------------------- SQL */

/* dm_dml_format flags. */
/* Merge consecutive changes of one table and one kind into one statement:
 * INSERT/REPLACE with several rows, DELETE ... WHERE (key) IN (...) or
 * OR-ed conditions, UPDATE as INSERT ... ON DUPLICATE KEY UPDATE where
 * the identity key is the only unique key and does not change. */
#define DM_DML_MULTI_ROWS 0x1u

typedef struct dm_dml_format_opts {
	unsigned version;        /* 1 */
	unsigned flags;          /* DM_DML_* */
	size_t max_statement;    /* merged statements stay below this many
				  * bytes; 0 means 4 MiB */
	size_t max_rows;         /* rows per merged statement; 0 means 512 */
} dm_dml_format_opts;

#define DM_DML_FORMAT_OPTS_INIT { 1, 0, 0, 0 }

/* Appends to `out` the SQL for the first changes of `c[0..n)` and sets
 * *used to how many it covered (at least 1): one statement, or, for an
 * UPDATE in safe mode, "DELETE ...;REPLACE ..." (two statements separated
 * by ';'). INSERT becomes REPLACE in safe mode. WHERE uses the primary key,
 * else a NOT NULL unique key, else a unique key without NULLs in this row,
 * else every column (IS NULL for NULLs) with LIMIT 1. Generated columns
 * are never written. `opts` may be NULL. */
DM_API int dm_dml_format(dm_buf *out, size_t *used,
			 const dm_dml_change *const *c, size_t n,
			 const dm_dml_format_opts *opts, dm_error **err);

#ifdef __cplusplus
}
#endif

#endif
