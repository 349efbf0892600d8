/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run: what the files of the tool share. See dm-run(1).
 */
#ifndef DM_TOOLS_DM_RUN_H
#define DM_TOOLS_DM_RUN_H

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

/* The source file of `source_id`, or NULL. */
const dm_cfg_source *run_cfg_source(const run_cfg *cfg, const char *source_id);

/* --check-only: the precheck against the servers of `cfg` (which has a
 * task and a source for each of its instances), DM's JSON on standard
 * output. Returns the exit status. */
int run_check(dm_ctx *ctx, const run_cfg *cfg, long error_limit,
	      long warn_limit);

#endif
