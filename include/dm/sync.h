/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sync unit: one source's binlog, read as a replica, through the
 * schema tracker, the task's rules and routes, into the applier, with
 * checkpoints in the downstream and DDL applied as barriers. See
 * dm_sync(3).
 */
#ifndef DM_SYNC_H
#define DM_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apply.h"
#include "cfg.h"
#include "checkpoint.h"
#include "db.h"
#include "dml.h"
#include "err.h"
#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dm_sync dm_sync;

typedef struct dm_sync_opts {
	unsigned version;               /* 1 */
	const dm_cfg_task *task;        /* retained */
	const dm_cfg_source *source;    /* retained */
	/* Connections, passwords in plain text. Retained, like every
	 * pointer here: they must outlive the unit. */
	const dm_db_opts *upstream;
	const dm_db_opts *downstream;
	bool remove_meta;               /* drop the task's meta tables first */
	bool until_caught_up;           /* stop once the upstream position
					 * current at start is applied */
	const char *stop_at;            /* NULL, "FILE:POS" or a GTID set */
	uint32_t server_id;             /* 0: the source's, else one made
					 * from the process id */
} dm_sync_opts;

#define DM_SYNC_OPTS_VERSION 1
#define DM_SYNC_OPTS_INIT \
	{ DM_SYNC_OPTS_VERSION, NULL, NULL, NULL, NULL, false, false, NULL, 0 }

/* Called on the sync thread with every row change that passed the rules,
 * before it is queued; set *drop to leave it out. A non-zero return stops
 * the unit (a negative one becomes its status). */
typedef int (*dm_sync_change_fn)(const dm_dml_change *change,
				 const dm_location *loc, bool *drop,
				 void *userdata);

DM_API int dm_sync_new(dm_sync **out, dm_ctx *ctx, const dm_sync_opts *opts,
		       dm_error **err);
DM_API void dm_sync_free(dm_sync *s);
DM_API void dm_sync_set_change_hook(dm_sync *s, dm_sync_change_fn fn,
				    void *userdata);

/* Runs until dm_sync_stop(), the end asked for (until_caught_up,
 * stop_at) or an error. 0 when it stopped as asked, with everything read
 * applied and the checkpoint flushed. */
DM_API int dm_sync_run(dm_sync *s, dm_error **err);
/* Asks a running unit to stop at the next transaction boundary. Safe from
 * any thread and from a signal handler. */
DM_API void dm_sync_stop(dm_sync *s);

/* ------------------------------------------------------ error handling */

typedef enum dm_sync_error_op {
	DM_SYNC_ERROR_SKIP = 1,    /* the DDL event is not applied */
	DM_SYNC_ERROR_REPLACE = 2, /* the event's statements are `sql` */
	DM_SYNC_ERROR_REVERT = 3   /* forget an operator set before */
} dm_sync_error_op;

/* DM's handle-error: an operator for the DDL event that starts at
 * `binlog_pos` ("FILE:POS"; NULL: the one whose failure stopped the unit
 * last), used when the unit reaches it (the next dm_sync_run() after a
 * failure). `sql` holds ';'-separated statements for REPLACE. Safe from
 * any thread. */
DM_API int dm_sync_handle_error(dm_sync *s, dm_sync_error_op op,
				const char *binlog_pos, const char *sql,
				dm_error **err);

/* DM's operate-schema, while the unit does not run: the structure of an
 * upstream table as the checkpoint keeps it (get: CREATE TABLE text; set:
 * replaced by `create_sql` and written to the checkpoint; remove: dropped,
 * so the next run takes it from the downstream again). */
DM_API int dm_sync_schema_get(dm_buf *out, dm_sync *s, const char *schema,
			      const char *table, dm_error **err);
DM_API int dm_sync_schema_set(dm_sync *s, const char *schema,
			      const char *table, const char *create_sql,
			      dm_error **err);
DM_API int dm_sync_schema_remove(dm_sync *s, const char *schema,
				 const char *table, dm_error **err);
/* True while dm_sync_run() runs. */
DM_API bool dm_sync_running(dm_sync *s);

/* DM's query-status "sync" fields as a JSON object: totalEvents,
 * totalTps, recentTps, masterBinlog, masterBinlogGtid, syncerBinlog,
 * syncerBinlogGtid, blockingDDLs, unresolvedGroups, synced, binlogType,
 * secondsBehindMaster. Safe from any thread while the unit runs. */
DM_API int dm_sync_status_json(dm_buf *out, dm_sync *s, dm_error **err);
/* The same counters as Prometheus text (DM's dm_syncer_* names). */
DM_API int dm_sync_metrics(dm_buf *out, dm_sync *s, dm_error **err);

#ifdef __cplusplus
}
#endif

#endif
