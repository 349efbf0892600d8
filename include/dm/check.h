/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Precheck: DM's check-task against real servers (source variables and
 * privileges, table structures, shard consistency, downstream access),
 * reported in DM's JSON shape. See dm_check(3).
 */
#ifndef DM_CHECK_H
#define DM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dm_check_mode {
	DM_CHECK_MODE_ALL = 0,   /* task-mode: all */
	DM_CHECK_MODE_FULL,      /* task-mode: full */
	DM_CHECK_MODE_INCREMENTAL /* task-mode: incremental */
} dm_check_mode;

typedef enum dm_check_shard_mode {
	DM_CHECK_SHARD_NONE = 0,
	DM_CHECK_SHARD_PESSIMISTIC,
	DM_CHECK_SHARD_OPTIMISTIC
} dm_check_shard_mode;

/* One upstream table to check and the table it is routed to. */
typedef struct dm_check_table {
	const char *schema;
	const char *table;
	const char *target_schema; /* NULL or "": same as schema */
	const char *target_table;  /* NULL or "": same as table */
} dm_check_table;

typedef struct dm_check_source {
	const char *source_id;
	const dm_db_opts *db;      /* how to connect; read_timeout 0 means 30 s */
	const char *flavor;        /* "mysql", "mariadb", or NULL: the server's */
	bool enable_gtid;
	const dm_check_table *tables;
	size_t ntables;
} dm_check_source;

typedef struct dm_check_opts {
	unsigned version;          /* 1 */
	const dm_check_source *sources;
	size_t nsources;
	const dm_db_opts *target;  /* NULL only if no item needs the target */
	dm_check_mode mode;
	dm_check_shard_mode shard_mode;
	const char *task_name;     /* NULL: the task is always taken as new */
	const char *meta_schema;   /* NULL: "dm_meta" */
	const char *const *ignore_items; /* ignore-checking-items */
	size_t nignore_items;
	const char *dump_consistency; /* "auto" (NULL), "flush", "lock",
	                               * "snapshot" or "none" */
	long error_limit;          /* failures kept in the report; < 0: all */
	long warn_limit;           /* warnings kept in the report; < 0: all */
} dm_check_opts;

#define DM_CHECK_OPTS_INIT { 1, NULL, 0, NULL, DM_CHECK_MODE_ALL, \
			     DM_CHECK_SHARD_NONE, NULL, NULL, NULL, 0, NULL, \
			     10, 10 }

typedef enum dm_check_state {
	DM_CHECK_SUCCESS = 0,
	DM_CHECK_FAIL,
	DM_CHECK_WARN
} dm_check_state;

/* Read-only records of a result; they may only grow at the end. Strings
 * are NULL where DM's JSON leaves the field out. */
typedef struct dm_check_error {
	dm_check_state severity;
	const char *short_error;
	const char *self;
	const char *other;
	const char *instruction;
} dm_check_error;

typedef struct dm_check_item {
	unsigned id;
	const char *item;          /* ignore-checking-items name */
	const char *name;          /* checker name, as in DM's JSON */
	const char *desc;
	dm_check_state state;
	const dm_check_error *errors;
	size_t nerrors;
	const char *instruction;
	const char *extra;
	const char *source_id;     /* NULL unless bound to one source */
} dm_check_item;

typedef struct dm_check_summary {
	bool passed;
	long total;
	long successful;
	long failed;
	long warning;
} dm_check_summary;

typedef struct dm_check_result dm_check_result;

/* Runs the precheck. 0: it passed (warnings allowed);
 * DM_E_TASK_CHECK_SYNC_CONFIG_ERROR: it ran and failed. In both cases
 * *out is the result. Any other status leaves *out NULL. */
DM_API int dm_check_run(dm_check_result **out, dm_ctx *ctx,
			const dm_check_opts *opts, dm_error **err);
DM_API void dm_check_result_free(dm_check_result *res);

DM_API void dm_check_result_summary(dm_check_summary *out,
				    const dm_check_result *res);
/* Every item that ran, or only what DM reports (failures and warnings,
 * cut to the limits). Borrowed until dm_check_result_free. */
#define DM_CHECK_ITEMS_ALL 0u
#define DM_CHECK_ITEMS_REPORTED 1u
DM_API const dm_check_item *dm_check_result_items(const dm_check_result *res,
						  unsigned which, size_t *n);

/* DM's JSON, appended to `out`. */
#define DM_CHECK_JSON_INDENT 0x1u /* as DM prints it (tab indented) */
#define DM_CHECK_JSON_ALL 0x2u    /* every item, not only the reported */
DM_API int dm_check_result_json(dm_buf *out, const dm_check_result *res,
				unsigned flags);
/* DM's check-task message: "pre-check is passed. ", the warnings text,
 * or the failure text; "" when every item was ignored. */
DM_API int dm_check_result_message(dm_buf *out, const dm_check_result *res);
/* 0 when the check passed, else DM_E_TASK_CHECK_SYNC_CONFIG_ERROR with
 * DM's message in *err. */
DM_API int dm_check_result_error(const dm_check_result *res, dm_error **err);

/* Names accepted in ignore-checking-items ("all" first); static. */
DM_API const char *const *dm_check_item_names(size_t *n);
DM_API bool dm_check_item_is_known(const char *name);
/* Would the item run under these options (ignore list, task mode, shard
 * mode)? false for unknown names. */
DM_API bool dm_check_item_enabled(const dm_check_opts *opts,
				  const char *name);

#ifdef __cplusplus
}
#endif

#endif
