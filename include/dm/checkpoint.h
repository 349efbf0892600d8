/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sync checkpoints in the downstream's meta schema: DM's
 * `<task>_syncer_checkpoint` table (a global row and one row per upstream
 * table with its schema) and libdm's `<task>_syncer_progress` table (one
 * row per applier queue, written in the same transaction as the rows the
 * queue applies, for exactly-once apply). See dm_checkpoint(3).
 */
#ifndef DM_CHECKPOINT_H
#define DM_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "err.h"
#include "schema.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ locations */

#define DM_LOCATION_FILE_MAX 128

/* A place in the upstream binlog: the end of an event (as DM saves it),
 * and for a row change, its number inside the rows event (1-based; 0 for
 * the event as a whole). */
typedef struct dm_location {
	char file[DM_LOCATION_FILE_MAX + 1]; /* base name; "" = no location */
	uint64_t pos;
	uint32_t row;
} dm_location;

#define DM_LOCATION_INIT { "", 0, 0 }

/* Sets a location; DM_E_INVALID_ARGUMENT when `file` is longer than
 * DM_LOCATION_FILE_MAX bytes. */
DM_API int dm_location_set(dm_location *out, const char *file, uint64_t pos,
			   uint32_t row, dm_error **err);
/* <0, 0, >0 as a is before, at or after b: files by the name before the
 * last '.', then by the number after it, then byte-wise (a relay name
 * "mysql-bin|000001.000003" against a plain one: by its real name); then
 * pos; then row. An empty file name is before every other; NULL is empty. */
DM_API int dm_location_compare(const dm_location *a, const dm_location *b);
/* Appends DM's text form: "(mysql-bin.000003, 4231)" (no row). */
DM_API int dm_location_format(dm_buf *out, const dm_location *loc);

/* -------------------------------------------------------- the store */

/* One task's checkpoints for one source. One thread at a time. */
typedef struct dm_checkpoint dm_checkpoint;

typedef struct dm_checkpoint_opts {
	unsigned version;         /* 1 */
	const char *meta_schema;  /* NULL: "dm_meta" */
	const char *task;         /* task name; required */
	const char *source_id;    /* the rows' id; required, 32 bytes at most */
} dm_checkpoint_opts;

#define DM_CHECKPOINT_OPTS_INIT { 1, NULL, NULL, NULL }

/* Creates the meta schema and tables when missing (CREATE ... IF NOT
 * EXISTS, DM's column layout) and loads this source's rows. `db` is used
 * only during the call. */
DM_API int dm_checkpoint_open(dm_checkpoint **out, dm_db *db,
			      const dm_checkpoint_opts *opts, dm_error **err);
DM_API void dm_checkpoint_free(dm_checkpoint *cp);

/* The loaded global point: false when there is none. `gtid` (may be NULL)
 * gets the GTID set text, "" when none. Borrowed until the next call that
 * changes cp. */
DM_API bool dm_checkpoint_global(const dm_checkpoint *cp, dm_location *out,
				 const char **gtid);
/* The safe-mode exit point: false when none is set. */
DM_API bool dm_checkpoint_safe_exit(const dm_checkpoint *cp,
				    dm_location *out, const char **gtid);
/* The saved table_info of an upstream table, or NULL. DM stores TiDB's
 * JSON here; libdm stores {"libdm-create-table":"CREATE TABLE ..."}, which
 * is what dm_checkpoint_table_schema() recognises. Locations read from the
 * checkpoint table have row 0 (DM's layout has no column for it). */
DM_API const char *dm_checkpoint_table_info(const dm_checkpoint *cp,
					    const char *schema,
					    const char *table);
/* Tables that have a row, in (schema, table) order. */
DM_API size_t dm_checkpoint_ntables(const dm_checkpoint *cp);
DM_API int dm_checkpoint_table_at(const dm_checkpoint *cp, size_t i,
				  const char **schema, const char **table,
				  dm_location *loc);

/* Applier progress as loaded: the queue count it was written with (0 when
 * there are no rows) and each queue's last applied change. */
DM_API unsigned dm_checkpoint_queues(const dm_checkpoint *cp);
DM_API bool dm_checkpoint_queue(const dm_checkpoint *cp, unsigned queue,
				dm_location *out);

/* Reads queue `queue`'s progress row from the downstream now (e.g. to
 * learn, after a lost connection, whether a transaction committed):
 * *found false when it has none. Does not change cp. */
DM_API int dm_checkpoint_queue_read(const dm_checkpoint *cp, dm_db *db,
				    unsigned queue, dm_location *out,
				    bool *found, dm_error **err);

/* Appends the statement that records `loc` as the last change applied by
 * queue `queue` of `nqueues` (an upsert of one progress row); the caller
 * runs it inside the transaction that applies the change. */
DM_API int dm_checkpoint_queue_sql(dm_buf *out, const dm_checkpoint *cp,
				   unsigned queue, unsigned nqueues,
				   const dm_location *loc, dm_error **err);

/* Writes, in one transaction on `db`: the global row (`loc`, `gtid`; NULL
 * gtid for none), the safe-mode exit point (`safe_exit` NULL clears it;
 * `safe_exit_gtid` NULL for none), and a row for every table of `tr` (may
 * be NULL) whose structure differs from the one saved, with `loc`, and
 * the deletes dm_checkpoint_forget_table() asked for.
 * Positions above 4294967295 are refused. Updates the loaded state. */
DM_API int dm_checkpoint_flush(dm_checkpoint *cp, dm_db *db,
			       const dm_location *loc, const char *gtid,
			       const dm_location *safe_exit,
			       const char *safe_exit_gtid,
			       const dm_schema_tracker *tr, dm_error **err);
/* Deletes the rows of one table (DROP TABLE), or of every table of
 * `schema` when `table` is NULL (DROP DATABASE), in the store and in the
 * downstream. */
DM_API int dm_checkpoint_delete_table(dm_checkpoint *cp, dm_db *db,
				      const char *schema, const char *table,
				      dm_error **err);
/* Marks the rows of one table, or of every table of `schema` when `table`
 * is NULL, for deletion by the next dm_checkpoint_flush(), in its
 * transaction: for a table a DDL dropped or renamed away, so that a later
 * start does not track it again. A table the flush writes again (created
 * anew meanwhile) keeps a row. Until then the rows stay visible. */
DM_API int dm_checkpoint_forget_table(dm_checkpoint *cp, const char *schema,
				      const char *table, dm_error **err);
/* Replaces the progress rows by none (after the applier queue count
 * changed and every old queue's point was passed). */
DM_API int dm_checkpoint_clear_queues(dm_checkpoint *cp, dm_db *db,
				      dm_error **err);

/* Loads a saved table_info into the tracker as schema.table: 0, or
 * DM_DONE when it is not libdm's form (the caller then asks the
 * downstream). */
DM_API int dm_checkpoint_table_schema(dm_schema_tracker *tr,
				      const char *schema, const char *table,
				      const char *table_info, dm_error **err);

/* --remove-meta: drops the task's meta tables (syncer checkpoint,
 * progress, loader checkpoint, sharding meta, online DDL) if they exist. */
DM_API int dm_checkpoint_remove_meta(dm_db *db, const char *meta_schema,
				     const char *task, dm_error **err);

#ifdef __cplusplus
}
#endif

#endif
