/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm__queue: a bounded FIFO of `void *` items shared by any number of
 * producer and consumer threads (reader -> pipeline -> appliers), giving
 * back-pressure: push waits while the queue is full, pop while it is empty.
 *
 * Timeouts are in milliseconds on CLOCK_MONOTONIC: negative waits forever,
 * 0 does not wait (the try_ calls), and a wait that runs out returns
 * DM_E_TIMEOUT.
 *
 * Close: after dm__queue_close() push fails with DM_E_CLOSED; pop still
 * returns the items left, in order, then DM_DONE. Closing wakes every
 * waiter and is idempotent.
 *
 * The queue never looks at or frees the items; whoever pops one owns it.
 * Every call except dm__queue_free() is thread-safe. Free only after all
 * other threads are done with the queue (closing and joining them); items
 * still queued are not freed.
 */
#ifndef DM_LIB_QUEUE_H
#define DM_LIB_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dm__queue dm__queue;

/* A queue holding at most `capacity` (>= 1) items. DM_E_INVALID_ARGUMENT
 * for 0; DM_E_NO_MEMORY when memory or pthread resources run out. */
int dm__queue_new(dm__queue **out, size_t capacity);
/* Accepts NULL. */
void dm__queue_free(dm__queue *q);

/* Appends `item`, waiting up to `timeout_ms` for room.
 * 0, DM_E_TIMEOUT (still full) or DM_E_CLOSED. */
int dm__queue_push(dm__queue *q, void *item, int timeout_ms);
/* Takes the oldest item into *out, waiting up to `timeout_ms` for one.
 * 0, DM_E_TIMEOUT (still empty and open) or DM_DONE (closed and drained);
 * *out is NULL unless 0 is returned. */
int dm__queue_pop(void **out, dm__queue *q, int timeout_ms);
/* Non-blocking forms: timeout 0, so DM_E_TIMEOUT means full / empty. */
int dm__queue_try_push(dm__queue *q, void *item);
int dm__queue_try_pop(void **out, dm__queue *q);

/* Refuses further pushes and wakes all waiters. */
void dm__queue_close(dm__queue *q);
bool dm__queue_is_closed(dm__queue *q);
/* Items queued right now (may change as soon as it returns). */
size_t dm__queue_len(dm__queue *q);
size_t dm__queue_capacity(const dm__queue *q);

#endif
