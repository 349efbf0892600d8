/* SPDX-License-Identifier: Apache-2.0 */
#include "util/queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "dm/err.h"
#include "util/alloc.h"
#include "util/clock.h"

struct dm__queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty; /* consumers wait here */
	pthread_cond_t not_full;  /* producers wait here */
	void **items;             /* ring of `cap` items */
	size_t cap;
	size_t head;              /* index of the oldest item */
	size_t len;
	unsigned push_waiters;
	unsigned pop_waiters;
	bool closed;
};

static int cond_init_monotonic(pthread_cond_t *c)
{
	pthread_condattr_t attr;
	int rc;

	if (pthread_condattr_init(&attr))
		return -1;
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(c, &attr);
	pthread_condattr_destroy(&attr);
	return rc ? -1 : 0;
}

int dm__queue_new(dm__queue **out, size_t capacity)
{
	dm__queue *q;
	/* pthread init fails only for lack of memory or other resources. */
	int rc = DM_E_NO_MEMORY;

	*out = NULL;
	if (capacity == 0)
		return DM_E_INVALID_ARGUMENT;
	q = dm__calloc(1, sizeof(*q));
	if (!q)
		return DM_E_NO_MEMORY;
	q->items = dm__calloc(capacity, sizeof(*q->items));
	if (!q->items)
		goto out_free_q;
	if (pthread_mutex_init(&q->lock, NULL))
		goto out_free_items;
	if (cond_init_monotonic(&q->not_empty))
		goto out_destroy_lock;
	if (cond_init_monotonic(&q->not_full))
		goto out_destroy_not_empty;
	q->cap = capacity;
	*out = q;
	return 0;

out_destroy_not_empty:
	pthread_cond_destroy(&q->not_empty);
out_destroy_lock:
	pthread_mutex_destroy(&q->lock);
out_free_items:
	dm__free(q->items);
out_free_q:
	dm__free(q);
	return rc;
}

void dm__queue_free(dm__queue *q)
{
	if (!q)
		return;
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	dm__free(q->items);
	dm__free(q);
}

/* Waits on `c` (q->lock held) until signalled or `deadline` passes.
 * Returns false once the deadline has passed. */
static bool wait_until(dm__queue *q, pthread_cond_t *c, uint64_t deadline)
{
	struct timespec ts;

	if (deadline == DM__CLOCK_NEVER) {
		pthread_cond_wait(c, &q->lock);
		return true;
	}
	dm__clock_to_timespec(&ts, deadline);
	return pthread_cond_timedwait(c, &q->lock, &ts) != ETIMEDOUT;
}

int dm__queue_push(dm__queue *q, void *item, int timeout_ms)
{
	uint64_t deadline = 0;
	bool waited = false;
	int rc = 0;

	pthread_mutex_lock(&q->lock);
	while (!q->closed && q->len == q->cap) {
		if (timeout_ms == 0) {
			rc = DM_E_TIMEOUT;
			goto out_unlock;
		}
		if (!waited)
			deadline = dm__clock_deadline_ms(timeout_ms);
		waited = true;
		q->push_waiters++;
		if (!wait_until(q, &q->not_full, deadline)) {
			/* Timed out: take room that appeared meanwhile. */
			q->push_waiters--;
			if (!q->closed && q->len == q->cap) {
				rc = DM_E_TIMEOUT;
				goto out_unlock;
			}
			break;
		}
		q->push_waiters--;
	}
	if (q->closed) {
		rc = DM_E_CLOSED;
		goto out_unlock;
	}
	q->items[(q->head + q->len) % q->cap] = item;
	q->len++;
	if (q->pop_waiters)
		pthread_cond_signal(&q->not_empty);
out_unlock:
	pthread_mutex_unlock(&q->lock);
	return rc;
}

int dm__queue_pop(void **out, dm__queue *q, int timeout_ms)
{
	uint64_t deadline = 0;
	bool waited = false;
	int rc = 0;

	*out = NULL;
	pthread_mutex_lock(&q->lock);
	while (!q->closed && q->len == 0) {
		if (timeout_ms == 0) {
			rc = DM_E_TIMEOUT;
			goto out_unlock;
		}
		if (!waited)
			deadline = dm__clock_deadline_ms(timeout_ms);
		waited = true;
		q->pop_waiters++;
		if (!wait_until(q, &q->not_empty, deadline)) {
			q->pop_waiters--;
			if (!q->closed && q->len == 0) {
				rc = DM_E_TIMEOUT;
				goto out_unlock;
			}
			break;
		}
		q->pop_waiters--;
	}
	if (q->len == 0) {
		rc = DM_DONE; /* closed and drained */
		goto out_unlock;
	}
	*out = q->items[q->head];
	q->items[q->head] = NULL;
	q->head = (q->head + 1) % q->cap;
	q->len--;
	if (q->push_waiters)
		pthread_cond_signal(&q->not_full);
out_unlock:
	pthread_mutex_unlock(&q->lock);
	return rc;
}

int dm__queue_try_push(dm__queue *q, void *item)
{
	return dm__queue_push(q, item, 0);
}

int dm__queue_try_pop(void **out, dm__queue *q)
{
	return dm__queue_pop(out, q, 0);
}

void dm__queue_close(dm__queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->not_empty);
	pthread_cond_broadcast(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

bool dm__queue_is_closed(dm__queue *q)
{
	bool closed;

	pthread_mutex_lock(&q->lock);
	closed = q->closed;
	pthread_mutex_unlock(&q->lock);
	return closed;
}

size_t dm__queue_len(dm__queue *q)
{
	size_t len;

	pthread_mutex_lock(&q->lock);
	len = q->len;
	pthread_mutex_unlock(&q->lock);
	return len;
}

size_t dm__queue_capacity(const dm__queue *q)
{
	return q->cap;
}
