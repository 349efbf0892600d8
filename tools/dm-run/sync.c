/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run TASK.yaml: replication of every source of the task in this
 * process, one sync unit (and thread) per source. SIGINT and SIGTERM stop
 * every unit at its next transaction boundary with checkpoints flushed; a
 * second signal is no different (the units are already stopping).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dm_run.h"

typedef struct unit {
	dm_sync *sync;
	dm_db_opts up;
	dm_db_opts down;
	dm_buf up_pw;               /* wiped */
	dm_buf down_pw;             /* wiped */
	const char *source_id;
	pthread_t thread;
	bool started;
	int rc;
	dm_error *err;
} unit;

#define MAX_UNITS 64
static unit *signal_units[MAX_UNITS];
static atomic_size_t signal_nunits;
static atomic_bool finished;

static void on_signal(int sig)
{
	size_t i, n = atomic_load(&signal_nunits);

	(void)sig;
	for (i = 0; i < n; i++)
		if (signal_units[i] && signal_units[i]->sync)
			dm_sync_stop(signal_units[i]->sync);
}

static void *unit_main(void *arg)
{
	unit *u = arg;

	u->rc = dm_sync_run(u->sync, &u->err);
	/* One source failed: the others stop too. */
	if (u->rc)
		on_signal(0);
	return NULL;
}

/* A value of the status JSON ("key":"value" or "key":value), copied. */
static void json_field(char *out, size_t cap, const char *json,
		       const char *key)
{
	char pat[64];
	const char *p, *e;
	size_t n;

	out[0] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		return;
	p += strlen(pat);
	if (*p == '"')
		p++;
	e = p;
	while (*e && *e != '"' && *e != ',' && *e != '}')
		e++;
	n = (size_t)(e - p) < cap - 1 ? (size_t)(e - p) : cap - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/* The live line: events/s, lag and position of each unit. */
static void *status_main(void *arg)
{
	unit *units = arg;
	size_t n = atomic_load(&signal_nunits), i;

	while (!atomic_load(&finished)) {
		struct timespec ts = { 1, 0 };
		char line[512];
		size_t off = 0;

		line[0] = '\0';
		nanosleep(&ts, NULL);
		if (atomic_load(&finished))
			break;
		for (i = 0; i < n; i++) {
			dm_buf b = DM_BUF_INIT;
			char tps[32], lag[32], pos[160];

			if (dm_sync_status_json(&b, units[i].sync, NULL) != 0 ||
			    !b.data) {
				dm_buf_free(&b);
				continue;
			}
			json_field(tps, sizeof(tps), b.data, "recentTps");
			json_field(lag, sizeof(lag), b.data,
				   "secondsBehindMaster");
			json_field(pos, sizeof(pos), b.data, "syncerBinlog");
			off += (size_t)snprintf(line + off,
						off < sizeof(line) ?
							sizeof(line) - off : 0,
						"%s%s: %s rows/s, lag %s s, at %s",
						i ? " | " : "", units[i].source_id,
						tps, lag, pos[0] ? pos : "-");
			if (off >= sizeof(line))
				off = sizeof(line) - 1;
			dm_buf_free(&b);
		}
		fprintf(stderr, "\r\033[K%s", line);
		fflush(stderr);
	}
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	return NULL;
}

/* A unit's error, with its causes (the server's errno and words), on
 * standard error and in the log. */
static void report_failure(const unit *u)
{
	dm_buf b = DM_BUF_INIT;
	dm_log_field f[3] = { { "source", u->source_id },
			      { "error", "" },
			      { NULL, NULL } };

	if (dm_error_format(&b, u->err, DM_ERROR_FORMAT_FULL) != 0 || !b.data) {
		fprintf(stderr, PROG ": out of memory\n");
		dm_buf_free(&b);
		return;
	}
	fprintf(stderr, PROG ": source %s: %s\n", u->source_id, b.data);
	f[1].value = b.data;
	run_log(DM_LOG_ERROR, "sync unit failed", f, 2);
	dm_buf_free(&b);
}

static int prepare(unit *u, const run_cfg *cfg, const dm_cfg_instance *in,
		   const run_sync_opts *o, dm_ctx *ctx, dm_error **err)
{
	const dm_cfg_source *src = run_cfg_source(cfg, in->source_id);
	dm_sync_opts so = DM_SYNC_OPTS_INIT;
	int rc;

	if (!src)
		return dm_error_set(err, DM_E_CONFIG_SOURCE_ID_NOT_FOUND,
				    "%s:%u:%u: no --source file has source-id "
				    "\"%s\"", cfg->task->file, in->pos.line,
				    in->pos.column, in->source_id);
	u->source_id = in->source_id;
	rc = run_db_opts(&u->up, &u->up_pw, src->from, DM_ERR_SCOPE_UPSTREAM,
			 err);
	if (!rc)
		rc = run_db_opts(&u->down, &u->down_pw,
				 cfg->task->target_database,
				 DM_ERR_SCOPE_DOWNSTREAM, err);
	if (rc)
		return rc;
	so.task = cfg->task;
	so.source = src;
	so.upstream = &u->up;
	so.downstream = &u->down;
	so.remove_meta = o->remove_meta;
	so.until_caught_up = o->until_caught_up;
	so.stop_at = o->stop_at;
	return dm_sync_new(&u->sync, ctx, &so, err);
}

int run_sync(dm_ctx *ctx, const run_cfg *cfg, const run_sync_opts *o)
{
	const dm_cfg_task *t = cfg->task;
	struct sigaction sa;
	pthread_t status_thread;
	bool status_started = false;
	unit *units;
	dm_error *err = NULL;
	size_t i, n = t->n_mysql_instances;
	int rc = EXIT_OK;

	if (t->task_mode != DM_CFG_TASK_MODE_INCREMENTAL) {
		dm_error_set(&err, DM_E_NOT_SUPPORTED,
			     "%s: task-mode %s needs the dump and load units, "
			     "which this dm-run does not have yet; use "
			     "task-mode incremental", t->file,
			     t->task_mode == DM_CFG_TASK_MODE_FULL ? "full"
								   : "all");
		rc = run_report(err);
		dm_error_free(err);
		return rc;
	}
	if (n > MAX_UNITS) {
		fprintf(stderr, PROG ": at most %d sources per task\n",
			MAX_UNITS);
		return EXIT_FAIL;
	}
	units = calloc(n ? n : 1, sizeof(*units));
	if (!units) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (prepare(&units[i], cfg, t->mysql_instances[i], o, ctx,
			    &err) != 0) {
			rc = run_report(err);
			dm_error_free(err);
			goto out;
		}
		signal_units[i] = &units[i];
	}
	atomic_store(&signal_nunits, n);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	for (i = 0; i < n; i++) {
		if (pthread_create(&units[i].thread, NULL, unit_main,
				   &units[i]) != 0) {
			fprintf(stderr, PROG ": cannot start a thread\n");
			rc = EXIT_FAIL;
			on_signal(0);
			break;
		}
		units[i].started = true;
	}
	if (o->status_line && isatty(STDERR_FILENO))
		status_started = pthread_create(&status_thread, NULL,
						status_main, units) == 0;
	for (i = 0; i < n; i++) {
		if (!units[i].started)
			continue;
		pthread_join(units[i].thread, NULL);
	}
	atomic_store(&finished, true);
	if (status_started)
		pthread_join(status_thread, NULL);
	for (i = 0; i < n; i++) {
		if (units[i].rc) {
			rc = EXIT_FAIL;
			report_failure(&units[i]);
		}
	}
out:
	atomic_store(&signal_nunits, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	for (i = 0; i < n; i++) {
		dm_sync_free(units[i].sync);
		dm_error_free(units[i].err);
		dm_buf_wipe(&units[i].up_pw);
		dm_buf_wipe(&units[i].down_pw);
	}
	free(units);
	return rc;
}
