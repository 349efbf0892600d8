/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The applier. Every change goes to the queue its first causality key
 * selects (dm_applier_queue_of); changes sharing a key therefore share a
 * queue and are applied in binlog order, while changes of different rows
 * run on different connections. A change whose keys select several queues
 * (an UPDATE that moves a row's key, a table with several unique keys) is a
 * barrier: all queues drain, it is applied, all queues drain again.
 *
 * Each worker takes what its queue holds (up to `batch` changes), formats
 * it, and sends BEGIN, the statements, its progress row and COMMIT in as
 * few round trips as the statement size allows. Because a queue commits in
 * binlog order and writes its last change's location in the same
 * transaction, "every change of queue q at or before progress[q] is
 * applied, none after" holds across crashes; dm_applier_push() uses the
 * loaded progress to drop what is already there.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "dm/apply.h"
#include "log/logging.h"
#include "util/alloc.h"
#include "util/clock.h"

#define DEFAULT_WORKERS 16
#define DEFAULT_BATCH 100
#define DEFAULT_QUEUE 1024
#define DEFAULT_RETRIES 100
#define MAX_KEYS 64
/* Statements are sent in chunks of about this size. */
#define CHUNK_BYTES ((size_t)4 << 20)
/* A worker whose queue holds less than a batch waits this long for more
 * before it sends: on a live stream, fewer and larger transactions (less
 * per-change cost downstream) for a delay far below any lag worth
 * measuring. A backlog fills batches at once and never waits. */
#define LINGER_NS ((uint64_t)2 * 1000 * 1000)
#define RETRY_FIRST_MS 100
#define RETRY_MAX_MS 3000

/* A whole upstream transaction (dm_applier_push_txn). */
struct txn {
	size_t n;
	dm_dml_change **c;
	dm_location *loc;
};

/* A ring entry: one change, or (c NULL) a transaction. */
struct job {
	dm_dml_change *c;
	dm_location loc;
	uint32_t ts;            /* binlog timestamp, for lag */
	struct txn *txn;
};

struct worker {
	dm_applier *a;
	unsigned no;
	pthread_t thread;
	bool started;
	bool synced;            /* mu and cv are initialised */
	pthread_mutex_t mu;
	pthread_cond_t cv;      /* any change of the fields below */
	struct job *ring;
	size_t head, count;
	bool busy;              /* a batch is out of the ring, in flight */
	size_t inflight;        /* its size */
	bool stop;
	uint32_t oldest_ts;     /* of the batch in flight */
	dm_location applied;    /* last committed */
	bool has_applied;
	dm_db *db;
	/* Worker-private. */
	struct job *batch;      /* the changes of the batch in flight */
	size_t batch_cap;
	const dm_dml_change **ptrs;  /* 2 * batch_cap */
	dm_dml_change *compacted;    /* batch_cap */
	size_t *stmt_job;       /* statement number -> batch index */
	size_t stmt_cap;
	dm_buf sql;
};

struct dm_applier {
	dm_ctx *ctx;
	dm_apply_opts opts;
	dm_db_opts db_opts;
	unsigned nworkers;
	struct worker *w;
	dm_location *done;
	unsigned ndone;
	pthread_mutex_t mu;     /* guards the fields below */
	dm_error *failed;       /* first worker error; workers stop */
	uint64_t pushed, skipped, applied, txns, retries;
	uint32_t event_ts;      /* producer side only */
};

/* ------------------------------------------------------------ helpers */

unsigned dm_applier_queue_of(const uint64_t *keys, size_t nkeys,
			     unsigned nqueues)
{
	uint64_t k;

	if (!nqueues || !keys || !nkeys)
		return 0;
	/* Mix again: the key hash may have structure in its low bits. */
	k = keys[0];
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (unsigned)(k % nqueues);
}

static bool set_failed(dm_applier *a, dm_error *e)
{
	bool first;

	pthread_mutex_lock(&a->mu);
	first = a->failed == NULL;
	if (first)
		a->failed = e;
	pthread_mutex_unlock(&a->mu);
	if (!first)
		dm_error_free(e);
	return first;
}

/* The worker error, referenced into *err, or 0. */
static int failed_status(dm_applier *a, dm_error **err)
{
	int rc = 0;

	pthread_mutex_lock(&a->mu);
	if (a->failed) {
		rc = dm_error_status(a->failed);
		if (err && !*err)
			*err = dm_error_ref(a->failed);
	}
	pthread_mutex_unlock(&a->mu);
	return rc;
}

static bool has_failed(dm_applier *a)
{
	bool f;

	pthread_mutex_lock(&a->mu);
	f = a->failed != NULL;
	pthread_mutex_unlock(&a->mu);
	return f;
}

/* ---------------------------------------------------------- one batch */

static void txn_free(struct txn *t, bool changes)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; changes && i < t->n; i++)
		dm_dml_change_free(t->c[i]);
	dm__free(t->c);
	dm__free(t->loc);
	dm__free(t);
}

static void job_free(struct job *j)
{
	dm_dml_change_free(j->c);
	txn_free(j->txn, true);
	j->c = NULL;
	j->txn = NULL;
}

static size_t job_size(const struct job *j)
{
	return j->txn ? j->txn->n : 1;
}

/* Room for `need` changes in the worker's batch arrays. */
static int grow_batch(struct worker *w, size_t need)
{
	struct job *b;
	const dm_dml_change **p;
	dm_dml_change *c;

	if (need <= w->batch_cap)
		return 0;
	b = dm__reallocarray(w->batch, need, sizeof(*b));
	if (!b)
		return DM_E_NO_MEMORY;
	w->batch = b;
	p = dm__reallocarray(w->ptrs, 2 * need, sizeof(*p));
	if (!p)
		return DM_E_NO_MEMORY;
	w->ptrs = p;
	c = dm__reallocarray(w->compacted, need, sizeof(*c));
	if (!c)
		return DM_E_NO_MEMORY;
	w->compacted = c;
	w->batch_cap = need;
	return 0;
}

/* Moves jobs from the ring into the batch, whole transactions only, up to
 * `batch` changes (a larger transaction goes alone). Under w->mu. Returns
 * the number of changes, 0 when out of memory. */
static size_t take_batch(struct worker *w)
{
	dm_applier *a = w->a;
	size_t cap = a->opts.queue_size, n = 0, i;

	while (w->count) {
		struct job *j = &w->ring[w->head];
		size_t k = job_size(j);

		if (n && n + k > a->opts.batch)
			break;
		if (grow_batch(w, n + k) != 0)
			break;
		if (j->txn) {
			for (i = 0; i < k; i++)
				w->batch[n + i] = (struct job){
					j->txn->c[i], j->txn->loc[i], j->ts,
					NULL
				};
			txn_free(j->txn, false);
		} else {
			w->batch[n] = *j;
		}
		j->c = NULL;
		j->txn = NULL;
		n += k;
		w->head = (w->head + 1) % cap;
		w->count--;
	}
	return n;
}

static int grow_stmt_map(struct worker *w, size_t need)
{
	size_t *n;
	size_t cap;

	if (need <= w->stmt_cap)
		return 0;
	cap = w->stmt_cap ? w->stmt_cap : 64;
	while (cap < need)
		cap *= 2;
	n = dm__reallocarray(w->stmt_job, cap, sizeof(*n));
	if (!n)
		return DM_E_NO_MEMORY;
	w->stmt_job = n;
	w->stmt_cap = cap;
	return 0;
}

/* Sends the statements gathered in w->sql (numbered from *base). */
static int send_chunk(struct worker *w, size_t *base, size_t *failed_stmt,
		      dm_error **err)
{
	size_t done = 0;
	int rc;

	if (!w->sql.len)
		return 0;
	rc = dm_db_exec_multi(w->db, w->sql.data, w->sql.len, &done, err);
	if (rc)
		*failed_stmt = *base + done;
	*base += done;
	dm_buf_clear(&w->sql);
	return rc;
}

static int append_stmt(struct worker *w, size_t *nstmt, size_t job,
		       size_t count)
{
	size_t i;

	if (grow_stmt_map(w, *nstmt + count))
		return DM_E_NO_MEMORY;
	for (i = 0; i < count; i++)
		w->stmt_job[(*nstmt)++] = job;
	return 0;
}

/* Runs one attempt of the batch as one transaction. On a statement error,
 * *failed_job is the batch index of the change it belongs to (or SIZE_MAX
 * for BEGIN, progress and COMMIT). */
static int try_batch(struct worker *w, size_t n, size_t *failed_job,
		     dm_error **err)
{
	dm_applier *a = w->a;
	const dm_dml_change *const *list;
	size_t m, i, used, nstmt = 0, base = 0, failed_stmt = 0;
	int rc;

	*failed_job = SIZE_MAX;
	for (i = 0; i < n; i++)
		w->ptrs[i] = w->batch[i].c;
	list = w->ptrs;
	m = n;
	if (a->opts.compact && n > 1) {
		m = dm_dml_compact(w->compacted,
				   (const dm_dml_change *const *)w->ptrs, n);
		for (i = 0; i < m; i++)
			w->ptrs[n + i] = &w->compacted[i];
		/* A failing compacted change reports the batch's start. */
		list = w->ptrs + n;
	}
	dm_buf_clear(&w->sql);
	rc = dm_buf_puts(&w->sql, "BEGIN");
	if (!rc)
		rc = append_stmt(w, &nstmt, SIZE_MAX, 1);
	/* The progress row first: from its first statement on, the
	 * transaction holds that row's lock, so a locking read of the row
	 * (a restart, or the check after a lost answer) waits for the
	 * transaction to end, whatever the fate of the client. */
	if (!rc && a->opts.checkpoint) {
		rc = dm_buf_putc(&w->sql, ';');
		if (!rc)
			rc = dm_checkpoint_queue_sql(&w->sql, a->opts.checkpoint,
						     w->no, a->nworkers,
						     &w->batch[n - 1].loc, err);
		if (rc)
			goto out;
		rc = append_stmt(w, &nstmt, SIZE_MAX, 1);
	}
	for (i = 0; !rc && i < m; i += used) {
		size_t k, stmts = 1;

		rc = w->sql.len ? dm_buf_putc(&w->sql, ';') : 0;
		if (rc)
			break;
		rc = dm_dml_format(&w->sql, &used, list + i, m - i,
				   &a->opts.format, err);
		if (rc)
			goto out;
		if (used == 1 && list[i]->op == DM_DML_UPDATE && list[i]->safe)
			stmts = 2;
		/* Which change a failing statement names. */
		k = (list == (const dm_dml_change *const *)w->ptrs) ? i : 0;
		rc = append_stmt(w, &nstmt, k, stmts);
		if (rc)
			break;
		if (w->sql.len > CHUNK_BYTES && i + used < m) {
			rc = send_chunk(w, &base, &failed_stmt, err);
			if (rc)
				goto out_stmt;
		}
	}
	if (!rc)
		rc = dm_buf_puts(&w->sql, w->sql.len ? ";COMMIT" : "COMMIT");
	if (!rc)
		rc = append_stmt(w, &nstmt, SIZE_MAX, 1);
	if (rc)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	rc = send_chunk(w, &base, &failed_stmt, err);
	if (!rc)
		return 0;
out_stmt:
	if (failed_stmt < nstmt)
		*failed_job = w->stmt_job[failed_stmt];
out:
	return rc;
}

static void log_retry(struct worker *w, const dm_error *e, unsigned attempt)
{
	dm_buf b = DM_BUF_INIT;
	char no[16], at[16];

	if (!dm__log_enabled(w->a->ctx, DM_LOG_WARN))
		return;
	snprintf(no, sizeof(no), "%u", w->no);
	snprintf(at, sizeof(at), "%u", attempt);
	if (dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE) == 0)
		dm__warn(w->a->ctx, "retrying downstream transaction", "queue",
			 no, "attempt", at, "error", b.data);
	dm_buf_free(&b);
}

/* The error that stops the task: what failed, the statement's change and
 * where it is in the binlog. */
static dm_error *batch_error(struct worker *w, size_t n, size_t failed_job,
			     dm_error *cause)
{
	dm_error *e = cause;
	dm_buf loc = DM_BUF_INIT;
	const struct job *j = &w->batch[failed_job < n ? failed_job : 0];

	if (dm_location_format(&loc, &j->loc) != 0)
		dm_buf_clear(&loc);
	dm_error_set(&e, cause ? dm_error_status(cause) : DM_E_DB_EXECUTE_FAILED,
		     "applying the change at %s to `%s`.`%s` (queue %u)",
		     loc.data ? loc.data : "?",
		     dm_dml_table_target_schema(j->c->table),
		     dm_dml_table_target_name(j->c->table), w->no);
	dm_buf_free(&loc);
	return e;
}

static int reconnect(struct worker *w, dm_error **err)
{
	return dm_db_reconnect(w->db, err);
}

/* Applies the batch, retrying what may succeed later. */
/* After a lost connection the batch may have committed before the answer
 * was lost. The queue's progress row tells: 1 committed, 0 not, or an
 * error (the connection is still down). Without progress rows a batch is
 * assumed lost and sent again (at least once). */
static int batch_committed(struct worker *w, size_t n, dm_error **err)
{
	const dm_checkpoint *cp = w->a->opts.checkpoint;
	dm_location at;
	bool found = false;
	int rc;

	if (!cp)
		return 0;
	rc = dm_checkpoint_queue_read(cp, w->db, w->no, &at, &found, err);
	if (rc)
		return rc;
	return found && dm_location_compare(&at, &w->batch[n - 1].loc) >= 0;
}

/* Applies the batch, retrying what may succeed later. */
static int run_batch(struct worker *w, size_t n)
{
	dm_applier *a = w->a;
	unsigned attempt = 0, wait_ms = RETRY_FIRST_MS;
	bool unsure = false;    /* a lost answer: maybe committed */
	size_t failed_job = SIZE_MAX;
	int rc;

	for (;;) {
		dm_error *e = NULL;
		bool lost;

		rc = -1;
		if (unsure) {
			rc = dm_db_ping(w->db, &e);
			if (rc) {
				dm_error_free(e);
				e = NULL;
				rc = reconnect(w, &e);
			}
			if (!rc)
				rc = batch_committed(w, n, &e);
			if (rc == 1) {
				dm__info(a->ctx, "a batch whose commit was not "
					 "acknowledged had committed");
				return 0;
			}
			if (rc == 0)
				unsure = false;
		}
		if (!unsure) {
			rc = try_batch(w, n, &failed_job, &e);
			if (!rc)
				return 0;
		}
		/* Still unsure (the server is not back), or the answer
		 * was lost now: ask again before sending anything. */
		lost = unsure || dm_db_error_is_conn_lost(e);
		if (lost) {
			unsure = true;
		} else {
			dm_error *re = NULL;

			(void)dm_db_rollback(w->db, &re);
			dm_error_free(re);
		}
		if ((!lost && !dm_db_error_is_retryable(e)) ||
		    ++attempt > a->opts.retries || has_failed(a)) {
			set_failed(a, batch_error(w, n, failed_job, e));
			return -1;
		}
		log_retry(w, e, attempt);
		dm_error_free(e);
		pthread_mutex_lock(&a->mu);
		a->retries++;
		pthread_mutex_unlock(&a->mu);
		dm__clock_sleep_ms(wait_ms);
		wait_ms = wait_ms * 2 > RETRY_MAX_MS ? RETRY_MAX_MS : wait_ms * 2;
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	dm_applier *a = w->a;
	size_t cap = a->opts.queue_size, i, n;
	int rc;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && w->count == 0)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->stop)
			break;
		if (w->count < a->opts.batch && !has_failed(a)) {
			uint64_t until = dm__clock_now_ns() + LINGER_NS;
			struct timespec ts;

			dm__clock_to_timespec(&ts, until);
			while (!w->stop && w->count < a->opts.batch &&
			       w->count < a->opts.queue_size &&
			       !dm__clock_expired(until) &&
			       pthread_cond_timedwait(&w->cv, &w->mu, &ts) == 0)
				;
			if (w->stop)
				break;
		}
		n = take_batch(w);
		if (!n) {
			dm_error *e = NULL;

			dm_error_set(&e, DM_E_NO_MEMORY, "applier batch");
			set_failed(a, e);
			while (w->count) {
				job_free(&w->ring[w->head]);
				w->head = (w->head + 1) % cap;
				w->count--;
			}
			pthread_cond_broadcast(&w->cv);
			continue;
		}
		w->busy = true;
		w->inflight = n;
		w->oldest_ts = w->batch[0].ts;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);

		rc = has_failed(a) ? -1 : run_batch(w, n);

		pthread_mutex_lock(&a->mu);
		if (!rc) {
			a->applied += n;
			a->txns++;
		}
		pthread_mutex_unlock(&a->mu);
		pthread_mutex_lock(&w->mu);
		if (!rc) {
			w->applied = w->batch[n - 1].loc;
			w->has_applied = true;
		}
		w->busy = false;
		w->inflight = 0;
		w->oldest_ts = 0;
		for (i = 0; i < n; i++) {
			dm_dml_change_free(w->batch[i].c);
			w->batch[i].c = NULL;
		}
		if (rc) {
			/* Nothing more runs on this applier: drop what is
			 * queued, so that drains and pushes end. */
			while (w->count) {
				job_free(&w->ring[w->head]);
				w->head = (w->head + 1) % cap;
				w->count--;
			}
		}
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* -------------------------------------------------------------- create */

static int worker_init(dm_applier *a, struct worker *w, unsigned no,
		       dm_error **err)
{
	int rc;

	w->a = a;
	w->no = no;
	w->ring = dm__calloc(a->opts.queue_size, sizeof(*w->ring));
	if (!w->ring || grow_batch(w, a->opts.batch) != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, "applier mutex");
	{
		pthread_condattr_t attr;
		int ok = pthread_condattr_init(&attr) == 0;

		ok = ok && pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) == 0 &&
		     pthread_cond_init(&w->cv, &attr) == 0;
		pthread_condattr_destroy(&attr);
		if (!ok) {
			pthread_mutex_destroy(&w->mu);
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "applier condition");
		}
	}
	w->synced = true;
	rc = dm_db_open(&w->db, a->ctx, &a->db_opts, err);
	if (rc)
		return rc;
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, "applier thread");
	w->started = true;
	return 0;
}

int dm_applier_new(dm_applier **out, dm_ctx *ctx, const dm_apply_opts *opts,
		   dm_error **err)
{
	dm_applier *a;
	unsigned i;
	int rc;

	if (!out || !opts || !opts->db)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_applier_new: NULL argument");
	*out = NULL;
	if (opts->version != DM_APPLY_OPTS_VERSION)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_apply_opts version %u, expected %u",
				    opts->version, DM_APPLY_OPTS_VERSION);
	if (opts->done_queues && !opts->done)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_applier_new: done_queues without done");
	a = dm__calloc(1, sizeof(*a));
	if (!a)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	if (pthread_mutex_init(&a->mu, NULL) != 0) {
		dm__free(a);
		return dm_error_set(err, DM_E_NO_MEMORY, "applier mutex");
	}
	a->ctx = ctx;
	a->opts = *opts;
	if (!a->opts.workers)
		a->opts.workers = DEFAULT_WORKERS;
	if (!a->opts.batch)
		a->opts.batch = DEFAULT_BATCH;
	if (!a->opts.queue_size)
		a->opts.queue_size = DEFAULT_QUEUE;
	if (!a->opts.retries)
		a->opts.retries = DEFAULT_RETRIES;
	a->opts.done = NULL;
	a->db_opts = *opts->db;
	a->db_opts.time_zone = "+00:00";
	if (a->db_opts.scope == DM_ERR_SCOPE_NOT_SET)
		a->db_opts.scope = DM_ERR_SCOPE_DOWNSTREAM;
	a->nworkers = a->opts.workers;
	if (opts->done_queues) {
		a->done = dm__memdup(opts->done,
				     opts->done_queues * sizeof(*a->done));
		if (!a->done) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			goto out_free;
		}
		a->ndone = opts->done_queues;
	}
	a->w = dm__calloc(a->nworkers, sizeof(*a->w));
	if (!a->w) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free;
	}
	for (i = 0; i < a->nworkers; i++) {
		rc = worker_init(a, &a->w[i], i, err);
		if (rc)
			goto out_free;
	}
	*out = a;
	return 0;
out_free:
	dm_applier_free(a);
	return rc;
}

void dm_applier_free(dm_applier *a)
{
	unsigned i;

	if (!a)
		return;
	for (i = 0; a->w && i < a->nworkers; i++) {
		struct worker *w = &a->w[i];

		if (!w->started)
			continue;
		pthread_mutex_lock(&w->mu);
		w->stop = true;
		pthread_cond_broadcast(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->thread, NULL);
	}
	for (i = 0; a->w && i < a->nworkers; i++) {
		struct worker *w = &a->w[i];

		while (w->ring && w->count) {
			job_free(&w->ring[w->head]);
			w->head = (w->head + 1) % a->opts.queue_size;
			w->count--;
		}
		if (w->synced) {
			pthread_cond_destroy(&w->cv);
			pthread_mutex_destroy(&w->mu);
		}
		dm_db_close(w->db);
		dm__free(w->ring);
		dm__free(w->batch);
		dm__free(w->ptrs);
		dm__free(w->compacted);
		dm__free(w->stmt_job);
		dm_buf_free(&w->sql);
	}
	dm__free(a->w);
	dm__free(a->done);
	dm_error_free(a->failed);
	pthread_mutex_destroy(&a->mu);
	dm__free(a);
}

/* ---------------------------------------------------------------- push */

static int wait_idle(dm_applier *a, dm_error **err)
{
	unsigned i;

	for (i = 0; i < a->nworkers; i++) {
		struct worker *w = &a->w[i];

		pthread_mutex_lock(&w->mu);
		while (w->count || w->busy)
			pthread_cond_wait(&w->cv, &w->mu);
		pthread_mutex_unlock(&w->mu);
	}
	return failed_status(a, err);
}

static int enqueue_job(dm_applier *a, unsigned q, struct job job,
		       dm_error **err)
{
	struct worker *w = &a->w[q];
	size_t cap = a->opts.queue_size;

	pthread_mutex_lock(&w->mu);
	while (w->count == cap && !has_failed(a))
		pthread_cond_wait(&w->cv, &w->mu);
	if (has_failed(a)) {
		pthread_mutex_unlock(&w->mu);
		job_free(&job);
		return failed_status(a, err);
	}
	w->ring[(w->head + w->count) % cap] = job;
	w->count++;
	/* Only the worker waits for what a push changes: for a first job
	 * when idle, for a full batch while it lingers. Waking it for every
	 * other job would cost a context switch per change. */
	if (w->count == 1 || w->count >= a->opts.batch || w->count == cap)
		pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static int enqueue(dm_applier *a, unsigned q, dm_dml_change *c,
		   const dm_location *loc, dm_error **err)
{
	return enqueue_job(a, q, (struct job){ c, *loc, a->event_ts, NULL },
			   err);
}

int dm_applier_push(dm_applier *a, dm_dml_change *c, const dm_location *loc,
		    bool *skipped, dm_error **err)
{
	uint64_t keys[MAX_KEYS];
	size_t nkeys, i;
	unsigned q;
	bool conflict = false;
	int rc;

	if (skipped)
		*skipped = false;
	if (!a || !c || !loc) {
		dm_dml_change_free(c);
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_applier_push: NULL argument");
	}
	rc = failed_status(a, err);
	if (rc) {
		dm_dml_change_free(c);
		return rc;
	}
	nkeys = dm_dml_change_keys(keys, MAX_KEYS, c);
	if (nkeys > MAX_KEYS) {
		/* Too many to look at: treat as touching every queue. */
		nkeys = MAX_KEYS;
		conflict = a->nworkers > 1;
	}
	if (a->ndone) {
		unsigned old = dm_applier_queue_of(keys, nkeys, a->ndone);

		if (dm_location_compare(loc, &a->done[old]) <= 0) {
			dm_dml_change_free(c);
			pthread_mutex_lock(&a->mu);
			a->pushed++;
			a->skipped++;
			pthread_mutex_unlock(&a->mu);
			if (skipped)
				*skipped = true;
			return 0;
		}
	}
	q = dm_applier_queue_of(keys, nkeys, a->nworkers);
	for (i = 1; i < nkeys && !conflict; i++)
		conflict = dm_applier_queue_of(keys + i, 1, a->nworkers) != q;
	pthread_mutex_lock(&a->mu);
	a->pushed++;
	pthread_mutex_unlock(&a->mu);
	if (!conflict)
		return enqueue(a, q, c, loc, err);
	rc = wait_idle(a, err);
	if (rc) {
		dm_dml_change_free(c);
		return rc;
	}
	rc = enqueue(a, q, c, loc, err);
	if (rc)
		return rc;
	return wait_idle(a, err);
}

/* The queue of a change (its first key) and whether its keys select
 * other queues too. */
static unsigned change_queue(const dm_applier *a, const dm_dml_change *c,
			     unsigned nqueues, bool *conflict)
{
	uint64_t keys[MAX_KEYS];
	size_t nkeys = dm_dml_change_keys(keys, MAX_KEYS, c), i;
	unsigned q;

	(void)a;
	*conflict = false;
	if (nkeys > MAX_KEYS) {
		nkeys = MAX_KEYS;
		*conflict = nqueues > 1;
	}
	q = dm_applier_queue_of(keys, nkeys, nqueues);
	for (i = 1; i < nkeys && !*conflict; i++)
		*conflict = dm_applier_queue_of(keys + i, 1, nqueues) != q;
	return q;
}

int dm_applier_push_txn(dm_applier *a, dm_dml_change **changes,
			const dm_location *locs, size_t n, bool *skipped,
			dm_error **err)
{
	struct txn *t = NULL;
	unsigned q = 0;
	bool conflict = false, c1;
	size_t i;
	int rc;

	if (skipped)
		*skipped = false;
	if (!a || (n && (!changes || !locs))) {
		for (i = 0; changes && i < n; i++)
			dm_dml_change_free(changes[i]);
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_applier_push_txn: NULL argument");
	}
	rc = failed_status(a, err);
	if (rc || !n)
		goto out_free;
	/* Already applied: the transaction went to the queue of its first
	 * change and committed at once. */
	if (a->ndone) {
		unsigned old = change_queue(a, changes[0], a->ndone, &c1);

		if (dm_location_compare(&locs[n - 1], &a->done[old]) <= 0) {
			pthread_mutex_lock(&a->mu);
			a->pushed += n;
			a->skipped += n;
			pthread_mutex_unlock(&a->mu);
			if (skipped)
				*skipped = true;
			goto out_free;
		}
	}
	for (i = 0; i < n; i++) {
		unsigned qi = change_queue(a, changes[i], a->nworkers, &c1);

		if (i == 0)
			q = qi;
		conflict |= c1 || qi != q;
	}
	t = dm__calloc(1, sizeof(*t));
	if (t) {
		t->c = dm__memdup(changes, n * sizeof(*changes));
		t->loc = dm__memdup(locs, n * sizeof(*locs));
	}
	if (!t || !t->c || !t->loc) {
		txn_free(t, false);
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free;
	}
	t->n = n;
	pthread_mutex_lock(&a->mu);
	a->pushed += n;
	pthread_mutex_unlock(&a->mu);
	if (conflict) {
		rc = wait_idle(a, err);
		if (rc) {
			txn_free(t, true);
			return rc;
		}
	}
	rc = enqueue_job(a, q, (struct job){ NULL, locs[n - 1], a->event_ts,
					     t }, err);
	if (!rc && conflict)
		rc = wait_idle(a, err);
	return rc;
out_free:
	for (i = 0; i < n; i++)
		dm_dml_change_free(changes[i]);
	return rc;
}

int dm_applier_drain(dm_applier *a, dm_error **err)
{
	if (!a)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_applier_drain: NULL applier");
	return wait_idle(a, err);
}

/* --------------------------------------------------------------- state */

void dm_applier_stats(const dm_applier *a, dm_apply_stats *out)
{
	dm_applier *m = (dm_applier *)a;
	unsigned i;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	if (!a)
		return;
	pthread_mutex_lock(&m->mu);
	out->pushed = a->pushed;
	out->skipped = a->skipped;
	out->applied = a->applied;
	out->transactions = a->txns;
	out->retries = a->retries;
	pthread_mutex_unlock(&m->mu);
	for (i = 0; i < a->nworkers; i++) {
		struct worker *w = &m->w[i];
		uint32_t ts = 0;

		pthread_mutex_lock(&w->mu);
		out->queued += w->count + w->inflight;
		if (w->busy)
			ts = w->oldest_ts;
		else if (w->count)
			ts = w->ring[w->head].ts;
		pthread_mutex_unlock(&w->mu);
		if (ts && (!out->oldest_ts || ts < out->oldest_ts))
			out->oldest_ts = ts;
	}
}

unsigned dm_applier_workers(const dm_applier *a)
{
	return a ? a->nworkers : 0;
}

bool dm_applier_applied(const dm_applier *a, unsigned queue, dm_location *out)
{
	struct worker *w;
	bool has;

	if (!a || queue >= a->nworkers || !out)
		return false;
	w = &a->w[queue];
	pthread_mutex_lock(&w->mu);
	has = w->has_applied;
	if (has)
		*out = w->applied;
	pthread_mutex_unlock(&w->mu);
	return has;
}

void dm_applier_set_event_time(dm_applier *a, uint32_t timestamp)
{
	if (a)
		a->event_ts = timestamp;
}
