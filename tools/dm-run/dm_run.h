/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run: what the files of the tool share. See dm-run(1).
 */
#ifndef DM_TOOLS_DM_RUN_H
#define DM_TOOLS_DM_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include <dm/dm.h>

#define PROG "dm-run"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* The configuration files of one run, loaded and cross-checked. */
typedef struct run_cfg {
	dm_cfg_source **sources;
	size_t nsources;
	dm_cfg_task *task;          /* NULL when no task file was given */
} run_cfg;

/* Prints "dm-run: FILE:LINE:COLUMN: message [code=...]" for `e` on
 * standard error and returns EXIT_FAIL. */
int run_report(const dm_error *e);

/* Writes a record to the --log-file (or standard error) at `level`. */
void run_log(dm_log_level level, const char *message, const dm_log_field *f,
	     size_t n);

/* The source file of `source_id`, or NULL. */
const dm_cfg_source *run_cfg_source(const run_cfg *cfg, const char *source_id);

/* Connection options of a configured database; the password, plaintext
 * or DM-encrypted in the file, is decrypted into `password` (wipe it). */
int run_db_opts(dm_db_opts *o, dm_buf *password, const dm_cfg_db *db,
		dm_error_scope scope, dm_error **err);

/* What a replication run was asked for (options of dm-run). */
typedef struct run_sync_opts {
	bool until_caught_up;
	bool remove_meta;
	const char *stop_at;
	const char *status_addr;    /* HOST:PORT, or NULL */
	bool status_line;           /* a live line on standard error */
} run_sync_opts;

/* Runs the task (task-mode incremental) until it is stopped, caught up or
 * fails. Returns the exit status. */
int run_sync(dm_ctx *ctx, const run_cfg *cfg, const run_sync_opts *o);

/* --check-only: the precheck against the servers of `cfg` (which has a
 * task and a source for each of its instances), DM's JSON on standard
 * output. Returns the exit status. */
int run_check(dm_ctx *ctx, const run_cfg *cfg, long error_limit,
	      long warn_limit);

#endif
