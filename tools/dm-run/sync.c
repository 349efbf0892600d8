/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run TASK.yaml: replication of every source of the task in this
 * process, one sync unit (and thread) per source, each under a supervisor
 * with DM's subtask stages (Running, Paused, Stopped, Finished):
 *
 *   - a unit that fails with a resumable error (DM's auto-resume rules)
 *     is Paused and resumed again after a backoff of 1 s doubling up to
 *     5 min, with jitter;
 *   - any other failure leaves it Paused with its error: without a status
 *     server that stops every unit and the process ends with status 1;
 *     with one (--status-addr) it waits for resume, handle-error or
 *     operate-schema calls;
 *   - SIGINT and SIGTERM stop every unit at its next transaction boundary
 *     with checkpoints flushed. They are taken by a thread of their own
 *     (sigtimedwait), never in a handler, so that stopping may lock.
 *
 * A unit on which dm_sync_stop() was called keeps its stop flag (see
 * dm_sync(3)): after a pause it is replaced by a new one before it runs
 * again.
 */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dm_run.h"

/* DM's Stage numbers (dm_worker_task_state). */
typedef enum stage {
	STAGE_NEW = 1,
	STAGE_RUNNING = 2,
	STAGE_PAUSED = 3,
	STAGE_STOPPED = 4,
	STAGE_FINISHED = 5,
	STAGE_PAUSING = 6
} stage;

static const char *const stage_names[] = {
	"InvalidStage", "New", "Running", "Paused", "Stopped", "Finished",
	"Pausing"
};

#define BACKOFF_MIN_MS 1000u
#define BACKOFF_MAX_MS 300000u     /* DM's backoff-max, 5 min */
#define BACKOFF_ROLLBACK_MS 300000u /* DM's backoff-rollback, 5 min */
#define PAUSE_WAIT_S 60             /* a pause answers after this at most */

typedef struct unit {
	run_ctl *ctl;
	const char *source_id;
	dm_sync_opts so;            /* kept to make the unit again */
	dm_db_opts up;
	dm_db_opts down;
	dm_buf up_pw;               /* wiped */
	dm_buf down_pw;             /* wiped */
	pthread_t thread;
	bool started;

	/* Everything below is guarded by mu; `sync` may be used by whoever
	 * holds mu, and by the unit's thread in dm_sync_run() outside it. */
	pthread_mutex_t mu;
	pthread_cond_t cv;          /* stage changes, resume, quit */
	bool mu_init;
	dm_sync *sync;
	stage stage;
	dm_error *err;              /* why it is Paused, or NULL */
	bool canceled;              /* paused by hand: no auto-resume */
	bool stale;                 /* stopped on request: make a new unit */
	bool failed;                /* ended the process with status 1 */
	unsigned backoff;           /* DM's backoff window, 0 first */
	uint64_t resume_at;         /* auto-resume time (monotonic ms), 0 */
	uint64_t auto_resumes;
	uint64_t seed;              /* jitter */
} unit;

struct run_ctl {
	dm_ctx *ctx;
	const dm_cfg_task *task;
	unit *units;
	size_t n;
	bool serving;               /* a status server: Paused units wait */
	atomic_bool quit;           /* stop everything */
	atomic_bool done;           /* every unit thread has ended */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void log_unit(dm_log_level level, const unit *u, const char *msg,
		     const char *key, const char *value, const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;
	dm_log_field f[4] = { { "task", u->ctl->task->name },
			      { "source", u->source_id } };
	size_t n = 2;

	if (key)
		f[n++] = (dm_log_field){ key, value };
	if (e && dm_error_format(&b, e, DM_ERROR_FORMAT_FULL) == 0 && b.data)
		f[n++] = (dm_log_field){ "error", b.data };
	run_log(level, msg, f, n);
	dm_buf_free(&b);
}

/* ------------------------------------------------------- resumability */

/* The words of DM's task checker that make an error not resumable
 * (matched without case in the error texts of the chain). */
static const char *const unresumable_words[] = {
	"can't drop column with index", "unsupported add column",
	"unsupported modify column", "unsupported modify charset",
	"unsupported modify collate", "unsupported drop integer primary key",
	"Unsupported collation", "Invalid default value for",
	"Unsupported drop primary key", "Error 1059: Identifier name",
	"Error 1117: Too many columns", "Error 1069: Too many keys specified",
	"Error 1062: Duplicate", "Error 1406: Data too long for column",
	"Error 1366", "Error 8025: entry too large",
	"Could not find first log file name in binary log index file",
};

/* The same DML and DDL errors by the server's errno, as libdm keeps it
 * apart from the text. */
static const unsigned unresumable_errnos[] = {
	1059, 1062, 1069, 1117, 1366, 1406, 8025, 1236,
};

static const int unresumable_codes[] = {
	36008, /* ErrSyncUnitDDLWrongSequence */
	32004, /* ErrDumpUnitGlobalLock */
	32001, /* ErrDumpUnitRuntime */
	36027, /* ErrSyncerUnitDMLColumnNotMatch */
	30001, 30002, 30004, 30005, 30008, /* relay */
};

static bool says(const char *text, const char *words)
{
	return text && strcasestr(text, words) != NULL;
}

static bool unresumable(const dm_error *e)
{
	size_t i;

	for (; e; e = dm_error_cause(e)) {
		const char *msg = dm_error_message(e);
		const char *raw = dm_error_raw_cause(e);
		int code = dm_error_code(e);
		unsigned no = dm_error_server_errno(e);

		for (i = 0; i < sizeof(unresumable_codes) /
					sizeof(*unresumable_codes); i++)
			if (code == unresumable_codes[i])
				return true;
		if (code == 11038 &&
		    (says(msg, "binlog checksum mismatch, data may be corrupted") ||
		     says(msg, "get event err EOF")))
			return true;
		for (i = 0; no && i < sizeof(unresumable_errnos) /
					      sizeof(*unresumable_errnos); i++)
			if (no == unresumable_errnos[i])
				return true;
		for (i = 0; i < sizeof(unresumable_words) /
					sizeof(*unresumable_words); i++)
			if (says(raw, unresumable_words[i]) ||
			    says(msg, unresumable_words[i]))
				return true;
	}
	return false;
}

/* DM resumes what a database may do differently next time: lost
 * connections, deadlocks and the like, unless the checker's list says
 * otherwise. */
static bool resumable(const dm_error *e)
{
	return dm_db_error_is_retryable(e) && !unresumable(e);
}

static uint64_t next_random(uint64_t *s)
{
	uint64_t x = *s ? *s : 0x9E3779B97F4A7C15u;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

/* DM's backoff for window n: 1 s * 2^n up to 5 min; above the minimum
 * with "equal jitter", uniform in [d/2, d). */
static uint64_t backoff_ms(unit *u)
{
	uint64_t d = BACKOFF_MIN_MS;
	unsigned i;

	for (i = 0; i < u->backoff && d < BACKOFF_MAX_MS; i++)
		d *= 2;
	if (d > BACKOFF_MAX_MS)
		d = BACKOFF_MAX_MS;
	if (d > BACKOFF_MIN_MS)
		d = d / 2 + next_random(&u->seed) % (d / 2);
	return d;
}

/* ------------------------------------------------------------ the units */

static int make_sync(unit *u, dm_error **err)
{
	dm_sync_free(u->sync);
	u->sync = NULL;
	u->stale = false;
	return dm_sync_new(&u->sync, u->ctl->ctx, &u->so, err);
}

/* Asks every unit to stop and wakes those that wait. */
static void quit_all(run_ctl *c)
{
	size_t i;

	atomic_store(&c->quit, true);
	for (i = 0; i < c->n; i++) {
		unit *u = &c->units[i];

		if (!u->mu_init)
			continue;
		pthread_mutex_lock(&u->mu);
		if ((u->stage == STAGE_RUNNING || u->stage == STAGE_PAUSING) &&
		    u->sync) {
			dm_sync_stop(u->sync);
			u->stale = true;
		}
		pthread_cond_broadcast(&u->cv);
		pthread_mutex_unlock(&u->mu);
	}
}

/* After a failed run, with mu held: Paused with the error, and an
 * auto-resume planned when DM would do one. True when the process must
 * stop (no status server and nothing to wait for). */
static bool paused_on_error(unit *u, dm_error *e, uint64_t run_ms)
{
	char ms[32];

	dm_error_free(u->err);
	u->err = e;
	u->resume_at = 0;
	if (u->stage == STAGE_PAUSING)
		u->canceled = true;
	u->stage = STAGE_PAUSED;
	if (!u->canceled && resumable(e)) {
		uint64_t d;

		/* DM's rollback: one window less per quiet 5 minutes. */
		while (run_ms >= BACKOFF_ROLLBACK_MS && u->backoff) {
			u->backoff--;
			run_ms -= BACKOFF_ROLLBACK_MS;
		}
		d = backoff_ms(u);
		u->resume_at = now_ms() + d;
		snprintf(ms, sizeof(ms), "%" PRIu64, d);
		log_unit(DM_LOG_WARN, u,
			 "unit paused on a resumable error; auto-resume planned",
			 "backoff-ms", ms, e);
		return false;
	}
	log_unit(DM_LOG_ERROR, u, "unit paused on an error", NULL, NULL, e);
	if (u->ctl->serving)
		return false;
	u->failed = true;
	return true;
}

/* Waits, with mu held, while the unit is Paused: for a resume, a planned
 * auto-resume, or the end. */
static void wait_paused(unit *u)
{
	uint64_t now = now_ms();
	struct timespec ts;

	if (!u->resume_at || u->canceled) {
		pthread_cond_wait(&u->cv, &u->mu);
		return;
	}
	if (now >= u->resume_at) {
		/* DM's BoundaryForward: a longer wait next time. */
		if (backoff_ms(u) < BACKOFF_MAX_MS)
			u->backoff++;
		u->resume_at = 0;
		u->auto_resumes++;
		log_unit(DM_LOG_WARN, u, "auto-resuming the unit", NULL, NULL,
			 u->err);
		dm_error_free(u->err);
		u->err = NULL;
		u->stage = STAGE_RUNNING;
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)((u->resume_at - now) / 1000u);
	ts.tv_nsec += (long)((u->resume_at - now) % 1000u) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&u->cv, &u->mu, &ts);
}

/* One run of the unit, from Running, with mu held (released during the
 * run). True when the process must stop. */
static bool run_once(unit *u)
{
	dm_sync *s = u->sync;
	dm_error *e = NULL;
	uint64_t t0;
	bool stop_all = false;
	int rc;

	if (u->stale && make_sync(u, &e) != 0)
		return paused_on_error(u, e, 0);
	s = u->sync;
	pthread_mutex_unlock(&u->mu);
	t0 = now_ms();
	rc = dm_sync_run(s, &e);
	pthread_mutex_lock(&u->mu);
	if (rc == 0) {
		dm_error_free(e);
		if (u->stage == STAGE_PAUSING) {
			u->stage = STAGE_PAUSED;
			u->canceled = true;
			log_unit(DM_LOG_INFO, u, "unit paused", NULL, NULL, NULL);
		} else {
			u->stage = atomic_load(&u->ctl->quit) ? STAGE_STOPPED
							      : STAGE_FINISHED;
		}
	} else {
		if (!e)
			dm_error_set(&e, rc, "the unit stopped without an error "
				     "object");
		stop_all = paused_on_error(u, e, now_ms() - t0);
	}
	/* A stop request that reached the unit just after its run ended
	 * would stop the next run at once: after a pause the next run gets
	 * a new unit, made now so that handle-error operators set meanwhile
	 * reach it. */
	if (u->stale && !atomic_load(&u->ctl->quit) &&
	    make_sync(u, &e) != 0)
		stop_all = paused_on_error(u, e, 0) || stop_all;
	pthread_cond_broadcast(&u->cv);
	return stop_all;
}

static void *unit_main(void *arg)
{
	unit *u = arg;
	bool stop_all = false;

	pthread_mutex_lock(&u->mu);
	u->stage = STAGE_RUNNING;
	while (!atomic_load(&u->ctl->quit) && !stop_all) {
		if (u->stage == STAGE_PAUSED)
			wait_paused(u);
		else if (u->stage == STAGE_RUNNING)
			stop_all = run_once(u);
		else
			break; /* Finished or Stopped */
	}
	if (u->stage == STAGE_RUNNING)
		u->stage = STAGE_STOPPED;
	pthread_cond_broadcast(&u->cv);
	pthread_mutex_unlock(&u->mu);
	if (stop_all)
		quit_all(u->ctl);
	return NULL;
}

/* ------------------------------------------------------------- control */

const char *run_ctl_task(const run_ctl *c)
{
	return c->task->name;
}

static unit *find_unit(run_ctl *c, const char *source, dm_error **err)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->units[i].source_id, source) == 0)
			return &c->units[i];
	dm_error_set(err, DM_E_OPENAPI_TASK_SOURCE_NOT_FOUND,
		     "source %s is not a source of task %s", source,
		     c->task->name);
	return NULL;
}

/* The units named (all when n is 0), or an error for an unknown name. */
static int select_units(bool *sel, run_ctl *c, const char *const *sources,
			size_t n, dm_error **err)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		sel[i] = n == 0;
	for (i = 0; i < n; i++) {
		unit *u = find_unit(c, sources[i], err);

		if (!u)
			return dm_error_status(*err);
		sel[u - c->units] = true;
	}
	return 0;
}

/* Numbers that DM's query-status writes as strings and its OpenAPI as
 * numbers. */
static const struct {
	const char *camel, *snake;
	bool number;
} sync_fields[] = {
	{ "totalEvents", "total_events", true },
	{ "totalTps", "total_tps", true },
	{ "recentTps", "recent_tps", true },
	{ "masterBinlog", "master_binlog", false },
	{ "masterBinlogGtid", "master_binlog_gtid", false },
	{ "syncerBinlog", "syncer_binlog", false },
	{ "syncerBinlogGtid", "syncer_binlog_gtid", false },
	{ "blockingDDLs", "blocking_ddls", false },
	{ "unresolvedGroups", "unresolved_groups", false },
	{ "synced", "synced", false },
	{ "binlogType", "binlog_type", false },
	{ "secondsBehindMaster", "seconds_behind_master", true },
};

/* A number written as a string, kept only when it reads as one. */
static bool numeric_text(const char *s)
{
	cJSON *j = s ? run_json_parse(s, strlen(s), NULL, 0) : NULL;
	bool ok = cJSON_IsNumber(j);

	cJSON_Delete(j);
	return ok;
}

/* dm_sync_status_json's object as the OpenAPI's sync_status. */
static int sync_status(dm_buf *out, dm_sync *s, dm_error **err)
{
	dm_buf raw = DM_BUF_INIT;
	cJSON *j = NULL;
	char why[64];
	size_t i, k = 0;
	int rc;

	rc = dm_sync_status_json(&raw, s, err);
	if (rc)
		goto out;
	j = run_json_parse(raw.data, raw.len, why, sizeof(why));
	if (!cJSON_IsObject(j)) {
		rc = dm_error_set(err, DM_E_OPENAPI_COMMON_ERROR,
				  "the unit's status is not a JSON object: %s",
				  j ? "another value" : why);
		goto out;
	}
	rc = dm_buf_putc(out, '{');
	for (i = 0; !rc && i < sizeof(sync_fields) / sizeof(*sync_fields); i++) {
		const cJSON *v =
			cJSON_GetObjectItemCaseSensitive(j, sync_fields[i].camel);

		if (!v)
			continue;
		rc = dm_buf_printf(out, "%s\"%s\":", k++ ? "," : "",
				   sync_fields[i].snake);
		if (rc)
			break;
		if (sync_fields[i].number && cJSON_IsString(v) &&
		    numeric_text(v->valuestring))
			rc = dm_buf_puts(out, v->valuestring);
		else
			rc = run_json_put(out, v);
	}
	if (!rc)
		rc = dm_buf_putc(out, '}');
	if (rc)
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
out:
	cJSON_Delete(j);
	dm_buf_free(&raw);
	return rc;
}

static int unit_status(dm_buf *out, unit *u, dm_error **err)
{
	dm_buf e = DM_BUF_INIT;
	int rc;

	pthread_mutex_lock(&u->mu);
	rc = dm_buf_puts(out, "{\"name\":") ||
	     run_json_put_str(out, u->ctl->task->name) ||
	     dm_buf_puts(out, ",\"source_name\":") ||
	     run_json_put_str(out, u->source_id) ||
	     dm_buf_printf(out, ",\"worker_name\":\"" PROG "\",\"stage\":\"%s\","
			   "\"unit\":\"Sync\"", stage_names[u->stage]);
	if (!rc && u->err) {
		rc = dm_error_format(&e, u->err, DM_ERROR_FORMAT_FULL) ||
		     dm_buf_puts(out, ",\"error_msg\":") ||
		     run_json_put_str(out, e.data ? e.data : "");
	}
	if (!rc)
		rc = dm_buf_puts(out, ",\"sync_status\":");
	if (rc) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	} else if (!u->sync) {
		rc = dm_buf_puts(out, "null}") ?
			     dm_error_set(err, DM_E_NO_MEMORY, NULL) : 0;
	} else {
		rc = sync_status(out, u->sync, err);
		if (!rc && dm_buf_putc(out, '}'))
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	pthread_mutex_unlock(&u->mu);
	dm_buf_free(&e);
	return rc;
}

int run_ctl_status(dm_buf *out, run_ctl *c, dm_error **err)
{
	size_t i;
	int rc;

	rc = dm_buf_printf(out, "{\"total\":%zu,\"data\":[", c->n);
	for (i = 0; !rc && i < c->n; i++) {
		if (i && dm_buf_putc(out, ','))
			rc = -1;
		if (!rc)
			rc = unit_status(out, &c->units[i], err);
	}
	if (rc > 0 || (!rc && dm_buf_puts(out, "]}")))
		rc = -1;
	if (rc == -1)
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	return rc;
}

/* Prometheus text groups every series of a family after its TYPE line:
 * the units' texts are merged family by family. */
#define MAX_FAMILIES 64

typedef struct family {
	char name[128];
	dm_buf text;                /* TYPE/HELP lines, then the samples */
} family;

static family *family_of(family *fams, size_t *nf, const char *name,
			 size_t len)
{
	size_t i;

	if (len >= sizeof(fams[0].name))
		len = sizeof(fams[0].name) - 1;
	for (i = 0; i < *nf; i++)
		if (strlen(fams[i].name) == len &&
		    memcmp(fams[i].name, name, len) == 0)
			return &fams[i];
	if (*nf == MAX_FAMILIES)
		return NULL;
	memcpy(fams[*nf].name, name, len);
	fams[*nf].name[len] = '\0';
	fams[*nf].text = (dm_buf)DM_BUF_INIT;
	return &fams[(*nf)++];
}

static bool has_line(const dm_buf *text, const char *line, size_t len)
{
	const char *p = text->data, *end;

	if (!text->len)
		return false;
	end = text->data + text->len;
	while (p && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if (n == len && memcmp(p, line, len) == 0)
			return true;
		p = eol ? eol + 1 : NULL;
	}
	return false;
}

static int merge_metrics(family *fams, size_t *nf, const char *text)
{
	const char *line = text;

	while (line && *line) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);
		const char *name = line, *end;
		bool meta = false;
		family *f;

		if (len > 7 && (strncmp(line, "# TYPE ", 7) == 0 ||
				strncmp(line, "# HELP ", 7) == 0)) {
			name = line + 7;
			meta = true;
		} else if (len == 0 || line[0] == '#') {
			line = eol ? eol + 1 : NULL;
			continue;
		}
		end = name;
		while (end < line + len && *end != ' ' && *end != '{')
			end++;
		f = family_of(fams, nf, name, (size_t)(end - name));
		/* A TYPE or HELP line once per family. */
		if (f && !(meta && has_line(&f->text, line, len)) &&
		    (dm_buf_append(&f->text, line, len) ||
		     dm_buf_putc(&f->text, '\n')))
			return -1;
		line = eol ? eol + 1 : NULL;
	}
	return 0;
}

int run_ctl_metrics(dm_buf *out, run_ctl *c, dm_error **err)
{
	family fams[MAX_FAMILIES];
	dm_buf t = DM_BUF_INIT;
	size_t nf = 0, i;
	int rc = 0;

	for (i = 0; !rc && i < c->n; i++) {
		unit *u = &c->units[i];

		dm_buf_clear(&t);
		pthread_mutex_lock(&u->mu);
		if (u->sync)
			rc = dm_sync_metrics(&t, u->sync, err);
		pthread_mutex_unlock(&u->mu);
		if (!rc && t.data && merge_metrics(fams, &nf, t.data) != 0)
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	for (i = 0; !rc && i < nf; i++)
		if (dm_buf_append(out, fams[i].text.data, fams[i].text.len))
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	if (!rc && dm_buf_puts(out,
			       "# HELP dm_worker_task_state state of task, 0 - "
			       "invalidStage, 1 - New, 2 - Running, 3 - Paused, "
			       "4 - Stopped, 5 - Finished\n"
			       "# TYPE dm_worker_task_state gauge\n"))
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	for (i = 0; !rc && i < c->n; i++) {
		unit *u = &c->units[i];

		pthread_mutex_lock(&u->mu);
		if (dm_buf_printf(out,
				  "dm_worker_task_state{task=\"%s\","
				  "source_id=\"%s\",worker=\"" PROG "\"} %d\n",
				  c->task->name, u->source_id,
				  u->stage == STAGE_PAUSING ? STAGE_RUNNING
							    : (int)u->stage))
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		pthread_mutex_unlock(&u->mu);
	}
	if (!rc && dm_buf_puts(out, "# HELP dm_run_auto_resumes_total units "
				    "resumed after a resumable error\n"
				    "# TYPE dm_run_auto_resumes_total counter\n"))
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	for (i = 0; !rc && i < c->n; i++) {
		unit *u = &c->units[i];

		pthread_mutex_lock(&u->mu);
		if (dm_buf_printf(out,
				  "dm_run_auto_resumes_total{task=\"%s\","
				  "source_id=\"%s\"} %" PRIu64 "\n",
				  c->task->name, u->source_id, u->auto_resumes))
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		pthread_mutex_unlock(&u->mu);
	}
	for (i = 0; i < nf; i++)
		dm_buf_free(&fams[i].text);
	dm_buf_free(&t);
	return rc;
}

/* Waits, with mu held, until a pause asked for has taken effect. */
static void wait_pausing(unit *u)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += PAUSE_WAIT_S;
	while (u->stage == STAGE_PAUSING)
		if (pthread_cond_timedwait(&u->cv, &u->mu, &ts) == ETIMEDOUT)
			break;
}

/* DM's Pause(): a Running unit is stopped at its next boundary and waits;
 * one Paused by an error is only kept from auto-resuming. */
static int pause_unit(unit *u, dm_error **err)
{
	int rc = 0;

	pthread_mutex_lock(&u->mu);
	if (u->stage == STAGE_RUNNING && u->sync) {
		u->stage = STAGE_PAUSING;
		u->stale = true;
		dm_sync_stop(u->sync);
		log_unit(DM_LOG_INFO, u, "pausing the unit", NULL, NULL, NULL);
		wait_pausing(u);
	} else if (u->stage == STAGE_PAUSED && u->err) {
		u->canceled = true;
		u->resume_at = 0;
	} else {
		rc = dm_error_set(err, DM_E_WORKER_NOT_RUNNING_STAGE,
				  "source %s of task %s is %s", u->source_id,
				  u->ctl->task->name, stage_names[u->stage]);
	}
	pthread_mutex_unlock(&u->mu);
	return rc;
}

/* DM's Resume(): a Paused unit runs again, its error cleared. */
static int resume_unit(unit *u, dm_error **err)
{
	int rc = 0;

	pthread_mutex_lock(&u->mu);
	if (u->stage == STAGE_PAUSED && !atomic_load(&u->ctl->quit)) {
		dm_error_free(u->err);
		u->err = NULL;
		u->canceled = false;
		u->resume_at = 0;
		u->stage = STAGE_RUNNING;
		log_unit(DM_LOG_INFO, u, "resuming the unit", NULL, NULL, NULL);
		pthread_cond_broadcast(&u->cv);
	} else {
		rc = dm_error_set(err, DM_E_WORKER_NOT_PAUSED_STAGE,
				  "source %s of task %s is %s", u->source_id,
				  u->ctl->task->name, stage_names[u->stage]);
	}
	pthread_mutex_unlock(&u->mu);
	return rc;
}

/* Every selected unit is tried; the first error is returned. */
static int for_units(run_ctl *c, const char *const *sources, size_t n,
		     int (*op)(unit *, dm_error **), dm_error **err)
{
	bool *sel = calloc(c->n ? c->n : 1, sizeof(*sel));
	dm_error *first = NULL;
	size_t i;
	int rc;

	if (!sel)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	rc = select_units(sel, c, sources, n, err);
	for (i = 0; !rc && i < c->n; i++) {
		dm_error *e = NULL;

		if (sel[i] && op(&c->units[i], &e) != 0) {
			if (!first)
				first = e;
			else
				dm_error_free(e);
		}
	}
	free(sel);
	if (first) {
		rc = dm_error_status(first);
		if (err)
			*err = first;
		else
			dm_error_free(first);
	}
	return rc;
}

int run_ctl_pause(run_ctl *c, const char *const *sources, size_t n,
		  dm_error **err)
{
	return for_units(c, sources, n, pause_unit, err);
}

int run_ctl_resume(run_ctl *c, const char *const *sources, size_t n,
		   dm_error **err)
{
	return for_units(c, sources, n, resume_unit, err);
}

int run_ctl_handle_error(run_ctl *c, const char *source, dm_sync_error_op op,
			 const char *binlog_pos, const char *sql,
			 dm_error **err)
{
	unit *u = find_unit(c, source, err);
	int rc;

	if (!u)
		return dm_error_status(*err);
	pthread_mutex_lock(&u->mu);
	rc = u->sync ? dm_sync_handle_error(u->sync, op, binlog_pos, sql, err)
		     : dm_error_set(err, DM_E_WORKER_NOT_RUNNING_STAGE,
				    "source %s has no unit", source);
	if (!rc)
		log_unit(DM_LOG_INFO, u, "handle-error operator set",
			 "binlog-pos", binlog_pos ? binlog_pos : "(the error's)",
			 NULL);
	pthread_mutex_unlock(&u->mu);
	return rc;
}

int run_ctl_schema(dm_buf *out, run_ctl *c, const char *source,
		   run_schema_op op, const char *schema, const char *table,
		   const char *create_sql, dm_error **err)
{
	unit *u = find_unit(c, source, err);
	int rc;

	if (!u)
		return dm_error_status(*err);
	/* mu keeps the unit from starting a run meanwhile. */
	pthread_mutex_lock(&u->mu);
	if (u->stage == STAGE_RUNNING || u->stage == STAGE_PAUSING ||
	    !u->sync) {
		rc = dm_error_set(err, DM_E_WORKER_NOT_PAUSED_STAGE,
				  "source %s of task %s is %s; pause it first",
				  source, c->task->name, stage_names[u->stage]);
	} else if (op == RUN_SCHEMA_GET) {
		rc = dm_sync_schema_get(out, u->sync, schema, table, err);
	} else if (op == RUN_SCHEMA_SET) {
		rc = dm_sync_schema_set(u->sync, schema, table, create_sql, err);
	} else {
		rc = dm_sync_schema_remove(u->sync, schema, table, err);
	}
	pthread_mutex_unlock(&u->mu);
	return rc;
}

/* ------------------------------------------------------------ the rest */

/* A value of the status JSON, copied as text. */
static void json_field(char *out, size_t cap, const cJSON *j,
		       const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);

	snprintf(out, cap, "%s",
		 cJSON_IsBool(v) ? (cJSON_IsTrue(v) ? "true" : "false")
		 : cJSON_IsString(v) ? v->valuestring : "");
}

/* The live line: events/s, lag and position of each unit. */
static void *status_main(void *arg)
{
	run_ctl *c = arg;
	size_t i;

	while (!atomic_load(&c->done)) {
		struct timespec ts = { 1, 0 };
		char line[512];
		size_t off = 0;

		line[0] = '\0';
		nanosleep(&ts, NULL);
		if (atomic_load(&c->done))
			break;
		for (i = 0; i < c->n; i++) {
			unit *u = &c->units[i];
			dm_buf b = DM_BUF_INIT;
			cJSON *j = NULL;
			char tps[32], lag[32], pos[160];
			int rc = -1;

			pthread_mutex_lock(&u->mu);
			if (u->sync)
				rc = dm_sync_status_json(&b, u->sync, NULL);
			pthread_mutex_unlock(&u->mu);
			if (rc == 0 && b.data)
				j = run_json_parse(b.data, b.len, NULL, 0);
			if (!j) {
				dm_buf_free(&b);
				continue;
			}
			json_field(tps, sizeof(tps), j, "recentTps");
			json_field(lag, sizeof(lag), j, "secondsBehindMaster");
			json_field(pos, sizeof(pos), j, "syncerBinlog");
			off += (size_t)snprintf(line + off,
						off < sizeof(line) ?
							sizeof(line) - off : 0,
						"%s%s: %s rows/s, lag %s s, at %s",
						i ? " | " : "", u->source_id,
						tps, lag, pos[0] ? pos : "-");
			if (off >= sizeof(line))
				off = sizeof(line) - 1;
			cJSON_Delete(j);
			dm_buf_free(&b);
		}
		fprintf(stderr, "\r\033[K%s", line);
		fflush(stderr);
	}
	fprintf(stderr, "\r\033[K");
	fflush(stderr);
	return NULL;
}

/* SIGINT and SIGTERM, blocked in every thread, are taken here. */
static void *signal_main(void *arg)
{
	run_ctl *c = arg;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	while (!atomic_load(&c->done)) {
		struct timespec ts = { 0, 200000000L };
		int sig = sigtimedwait(&set, NULL, &ts);

		if (sig == SIGINT || sig == SIGTERM) {
			dm_log_field f[1] = { { "signal",
						sig == SIGINT ? "SIGINT"
							      : "SIGTERM" } };

			run_log(DM_LOG_INFO, "stopping every unit", f, 1);
			quit_all(c);
		}
	}
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

static int prepare(unit *u, run_ctl *c, const run_cfg *cfg,
		   const dm_cfg_instance *in, const run_sync_opts *o,
		   dm_error **err)
{
	const dm_cfg_source *src = run_cfg_source(cfg, in->source_id);
	pthread_condattr_t ca;
	int rc;

	if (!src)
		return dm_error_set(err, DM_E_CONFIG_SOURCE_ID_NOT_FOUND,
				    "%s:%u:%u: no --source file has source-id "
				    "\"%s\"", cfg->task->file, in->pos.line,
				    in->pos.column, in->source_id);
	u->ctl = c;
	u->source_id = in->source_id;
	u->stage = STAGE_NEW;
	u->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20) ^
		  (uint64_t)(uintptr_t)u;
	if (pthread_condattr_init(&ca) != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, "condition attributes");
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	rc = pthread_mutex_init(&u->mu, NULL);
	if (!rc) {
		rc = pthread_cond_init(&u->cv, &ca);
		if (rc)
			pthread_mutex_destroy(&u->mu);
	}
	pthread_condattr_destroy(&ca);
	if (rc)
		return dm_error_set(err, DM_E_NO_MEMORY, "unit mutex");
	u->mu_init = true;
	rc = run_db_opts(&u->up, &u->up_pw, src->from, DM_ERR_SCOPE_UPSTREAM,
			 err);
	if (!rc)
		rc = run_db_opts(&u->down, &u->down_pw,
				 cfg->task->target_database,
				 DM_ERR_SCOPE_DOWNSTREAM, err);
	if (rc)
		return rc;
	u->so = (dm_sync_opts)DM_SYNC_OPTS_INIT;
	u->so.task = cfg->task;
	u->so.source = src;
	u->so.upstream = &u->up;
	u->so.downstream = &u->down;
	u->so.remove_meta = o->remove_meta;
	u->so.until_caught_up = o->until_caught_up;
	u->so.stop_at = o->stop_at;
	rc = make_sync(u, err);
	/* --remove-meta is for the first run only. */
	u->so.remove_meta = false;
	return rc;
}

static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Signals that came after the signal thread ended are dropped: the run is
 * over already. */
static void unblock_signals(const sigset_t *old)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

static int check_mode(const dm_cfg_task *t)
{
	dm_error *err = NULL;
	int rc;

	if (t->task_mode == DM_CFG_TASK_MODE_INCREMENTAL)
		return EXIT_OK;
	dm_error_set(&err, DM_E_NOT_SUPPORTED,
		     "%s: task-mode %s needs the dump and load units, "
		     "which this dm-run does not have yet; use "
		     "task-mode incremental", t->file,
		     t->task_mode == DM_CFG_TASK_MODE_FULL ? "full" : "all");
	rc = run_report(err);
	dm_error_free(err);
	return rc;
}

/* Starts the unit threads and waits for them to end. */
static int supervise(run_ctl *c, const run_sync_opts *o)
{
	pthread_t status_thread, signal_thread;
	bool status_started = false, signal_started;
	size_t i;
	int rc = EXIT_OK;

	signal_started = pthread_create(&signal_thread, NULL, signal_main,
					c) == 0;
	for (i = 0; i < c->n; i++) {
		if (pthread_create(&c->units[i].thread, NULL, unit_main,
				   &c->units[i]) != 0) {
			fprintf(stderr, PROG ": cannot start a thread\n");
			rc = EXIT_FAIL;
			quit_all(c);
			break;
		}
		c->units[i].started = true;
	}
	if (o->status_line && isatty(STDERR_FILENO))
		status_started = pthread_create(&status_thread, NULL,
						status_main, c) == 0;
	for (i = 0; i < c->n; i++)
		if (c->units[i].started)
			pthread_join(c->units[i].thread, NULL);
	atomic_store(&c->done, true);
	if (status_started)
		pthread_join(status_thread, NULL);
	if (signal_started)
		pthread_join(signal_thread, NULL);
	return rc;
}

int run_sync(dm_ctx *ctx, const run_cfg *cfg, const run_sync_opts *o)
{
	const dm_cfg_task *t = cfg->task;
	run_ctl c;
	run_http *http = NULL;
	dm_error *err = NULL;
	sigset_t old;
	size_t i;
	int rc;

	rc = check_mode(t);
	if (rc)
		return rc;
	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.task = t;
	c.n = t->n_mysql_instances;
	c.serving = o->status_addr != NULL;
	atomic_init(&c.quit, false);
	atomic_init(&c.done, false);
	c.units = calloc(c.n ? c.n : 1, sizeof(*c.units));
	if (!c.units) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_FAIL;
	}
	for (i = 0; i < c.n; i++) {
		if (prepare(&c.units[i], &c, cfg, t->mysql_instances[i], o,
			    &err) != 0) {
			rc = run_report(err);
			dm_error_free(err);
			goto out;
		}
	}
	/* Before any thread: they all inherit the mask. */
	block_signals(&old);
	if (o->status_addr &&
	    run_http_start(&http, o->status_addr, &c, &err) != 0) {
		rc = run_report(err);
		dm_error_free(err);
		unblock_signals(&old);
		goto out;
	}
	rc = supervise(&c, o);
	run_http_stop(http);
	unblock_signals(&old);
	for (i = 0; i < c.n; i++) {
		unit *u = &c.units[i];

		if (u->failed) {
			rc = EXIT_FAIL;
			report_failure(u);
		} else if (u->err) {
			log_unit(DM_LOG_WARN, u,
				 "stopped while paused on an error", NULL, NULL,
				 u->err);
		}
	}
out:
	for (i = 0; i < c.n; i++) {
		unit *u = &c.units[i];

		dm_sync_free(u->sync);
		dm_error_free(u->err);
		dm_buf_wipe(&u->up_pw);
		dm_buf_wipe(&u->down_pw);
		if (u->mu_init) {
			pthread_mutex_destroy(&u->mu);
			pthread_cond_destroy(&u->cv);
		}
	}
	free(c.units);
	return rc;
}
