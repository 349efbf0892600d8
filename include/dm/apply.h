/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The applier: row changes dispatched by causality to `workers` parallel
 * downstream connections, each committing batches in transactions that
 * also record the queue's progress, so that after a crash every change is
 * applied exactly once. See dm_applier(3).
 */
#ifndef DM_APPLY_H
#define DM_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checkpoint.h"
#include "db.h"
#include "dml.h"
#include "err.h"
#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dm_applier dm_applier;

typedef struct dm_apply_opts {
	unsigned version;          /* 1 */
	/* The downstream; every worker opens its own connection with these
	 * options and the session time zone forced to '+00:00'. */
	const dm_db_opts *db;
	unsigned workers;          /* parallel connections; 0 means 16 */
	unsigned batch;            /* changes per transaction; 0 means 100 */
	unsigned queue_size;       /* changes waiting per worker; 0: 1024 */
	dm_dml_format_opts format; /* DM_DML_MULTI_ROWS and limits */
	bool compact;              /* merge changes of one row in a batch */
	/* Retryable errors (lost connection, deadlock, DM's list) are tried
	 * again this many times, waiting from 100 ms doubling up to 3 s;
	 * 0 means 100. */
	unsigned retries;
	/* Progress rows (dm_checkpoint_queue_sql) written in every
	 * transaction; NULL writes none. Retained; see dm_applier(3). */
	const dm_checkpoint *checkpoint;
	/* What earlier runs applied, as loaded from the checkpoint: a change
	 * at or before done[q] of the queue it maps to among `done_queues`
	 * queues is dropped by dm_applier_push(). Copied. */
	unsigned done_queues;
	const dm_location *done;
} dm_apply_opts;

#define DM_APPLY_OPTS_VERSION 1
#define DM_APPLY_OPTS_INIT \
	{ DM_APPLY_OPTS_VERSION, NULL, 0, 0, 0, DM_DML_FORMAT_OPTS_INIT, \
	  false, 0, NULL, 0, NULL }

/* Connects the workers and starts their threads. `ctx` (may be NULL) must
 * outlive the applier. */
DM_API int dm_applier_new(dm_applier **out, dm_ctx *ctx,
			  const dm_apply_opts *opts, dm_error **err);
/* Stops the workers (changes still queued are not applied) and frees. */
DM_API void dm_applier_free(dm_applier *a);

/* Hands over a change found at `loc` (ownership of `c` passes to the
 * applier in every case). Waits while the change's queue is full; a change
 * whose keys map to several queues waits until all queues are idle and is
 * applied alone. Returns 0, or the error that stopped a worker. *skipped
 * (may be NULL) tells whether the change was dropped as already applied. */
DM_API int dm_applier_push(dm_applier *a, dm_dml_change *c,
			   const dm_location *loc, bool *skipped,
			   dm_error **err);
/* Hands over the `n` changes of one upstream transaction (ownership of
 * every change passes; the arrays are copied): they are applied in one
 * downstream transaction, never split and never mixed into another queue's.
 * A transaction whose changes map to several queues waits until all queues
 * are idle. Dropped as a whole when the queue of its first change already
 * committed its last location. */
DM_API int dm_applier_push_txn(dm_applier *a, dm_dml_change **changes,
			       const dm_location *locs, size_t n,
			       bool *skipped, dm_error **err);
/* Waits until every change pushed so far is committed: 0, or the error
 * that stopped a worker. */
DM_API int dm_applier_drain(dm_applier *a, dm_error **err);

/* Counters since dm_applier_new(). */
typedef struct dm_apply_stats {
	uint64_t pushed;           /* changes handed over */
	uint64_t skipped;          /* dropped as already applied */
	uint64_t applied;          /* committed downstream */
	uint64_t transactions;     /* downstream transactions committed */
	uint64_t retries;          /* batches tried again */
	uint64_t queued;           /* waiting or in flight right now */
	uint64_t oldest_ts;        /* binlog timestamp of the oldest change
				    * not yet committed; 0 when none */
} dm_apply_stats;

DM_API void dm_applier_stats(const dm_applier *a, dm_apply_stats *out);
/* The number of workers, and queue q's last committed change. */
DM_API unsigned dm_applier_workers(const dm_applier *a);
DM_API bool dm_applier_applied(const dm_applier *a, unsigned queue,
			       dm_location *out);
/* The queue a set of causality keys maps to among `nqueues`. */
DM_API unsigned dm_applier_queue_of(const uint64_t *keys, size_t nkeys,
				    unsigned nqueues);
/* Sets the binlog timestamp reported for the next pushed changes (for
 * lag); 0 means unknown. */
DM_API void dm_applier_set_event_time(dm_applier *a, uint32_t timestamp);

#ifdef __cplusplus
}
#endif

#endif
