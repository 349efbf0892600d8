/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run: what the files of the tool share. See dm-run(1).
 */
#ifndef DM_TOOLS_DM_RUN_H
#define DM_TOOLS_DM_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>
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

/* Runs the task (task-mode incremental), one supervised unit per source,
 * until every unit is stopped or finished; without a status server a
 * unit that pauses on an error stops them all. Returns the exit status. */
int run_sync(dm_ctx *ctx, const run_cfg *cfg, const run_sync_opts *o);

/* ---------------------------------------------------------- json.c */

/* One whole JSON value of s[0..len), or NULL with the reason in why. */
cJSON *run_json_parse(const char *s, size_t len, char *why, size_t cap);
/* Appends s as a JSON string literal / j as JSON text. */
int run_json_put_str(dm_buf *b, const char *s);
int run_json_put(dm_buf *b, const cJSON *j);

/* ---------------------------------------------------------- sync.c */

/* The supervisor of a run, as the status server sees it. Every call is
 * safe from any thread while run_sync() runs. */
typedef struct run_ctl run_ctl;

typedef enum run_schema_op {
	RUN_SCHEMA_GET,
	RUN_SCHEMA_SET,
	RUN_SCHEMA_REMOVE
} run_schema_op;

const char *run_ctl_task(const run_ctl *c);
/* DM's OpenAPI task status: {"total":N,"data":[SubTaskStatus...]}. */
int run_ctl_status(dm_buf *out, run_ctl *c, dm_error **err);
/* Every unit's Prometheus text and dm-run's own gauges. */
int run_ctl_metrics(dm_buf *out, run_ctl *c, dm_error **err);
/* pause-task / resume-task for the named sources (all when n is 0). */
int run_ctl_pause(run_ctl *c, const char *const *sources, size_t n,
		  dm_error **err);
int run_ctl_resume(run_ctl *c, const char *const *sources, size_t n,
		   dm_error **err);
/* handle-error for one source (see dm_sync_handle_error(3)). */
int run_ctl_handle_error(run_ctl *c, const char *source, dm_sync_error_op op,
			 const char *binlog_pos, const char *sql,
			 dm_error **err);
/* operate-schema get/set/remove for one source; GET appends the CREATE
 * TABLE text to out. */
int run_ctl_schema(dm_buf *out, run_ctl *c, const char *source,
		   run_schema_op op, const char *schema, const char *table,
		   const char *create_sql, dm_error **err);

/* ---------------------------------------------------------- http.c */

typedef struct run_http run_http;

/* Whether addr reads as HOST:PORT ([V6]:PORT too), port 1..65535. */
bool run_http_addr_valid(const char *addr);
/* Starts the status and control server on addr (that address only),
 * with its own threads. */
int run_http_start(run_http **out, const char *addr, run_ctl *c,
		   dm_error **err);
/* Stops it and waits for requests in progress; accepts NULL. */
void run_http_stop(run_http *h);

/* --check-only: the precheck against the servers of `cfg` (which has a
 * task and a source for each of its instances), DM's JSON on standard
 * output. Returns the exit status. */
int run_check(dm_ctx *ctx, const run_cfg *cfg, long error_limit,
	      long warn_limit);

#endif
