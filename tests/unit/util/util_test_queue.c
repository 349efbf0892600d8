/* SPDX-License-Identifier: Apache-2.0 */
/* dm__queue (lib/util/queue.h). Worker threads never call cmocka asserts
 * (not thread-safe): they record what they saw and the main thread checks
 * after joining them. */
#include "util_test.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "dm/err.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/queue.h"

static void *item(uintptr_t v)
{
	return (void *)v;
}

static dm__queue *new_queue(size_t cap)
{
	dm__queue *q = NULL;

	assert_int_equal(dm__queue_new(&q, cap), 0);
	assert_non_null(q);
	return q;
}

/* ------------------------------------------------------- single thread */

static void test_queue__zero_capacity_is_rejected(void **state)
{
	dm__queue *q = item(1);

	(void)state;
	assert_int_equal(dm__queue_new(&q, 0), DM_E_INVALID_ARGUMENT);
	assert_null(q);
	dm__queue_free(NULL);
}

static void test_queue__new_fails_cleanly_at_every_allocation(void **state)
{
	dm__queue *q;
	long n;
	int rc;

	(void)state;
	for (n = 0;; n++) {
		q = item(1);
		dm__alloc_fail_after(n);
		rc = dm__queue_new(&q, 16);
		dm__alloc_fail_after(-1);
		if (rc == 0)
			break;
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_null(q);
	}
	assert_true(n >= 1);
	assert_int_equal(dm__queue_capacity(q), 16);
	dm__queue_free(q);
}

static void test_queue__fifo_until_full_then_try_push_times_out(void **state)
{
	dm__queue *q = new_queue(4);
	void *out = item(1);
	uintptr_t i;

	(void)state;
	assert_int_equal(dm__queue_len(q), 0);
	assert_int_equal(dm__queue_try_pop(&out, q), DM_E_TIMEOUT);
	assert_null(out);
	for (i = 1; i <= 4; i++) {
		assert_int_equal(dm__queue_try_push(q, item(i)), 0);
		assert_int_equal(dm__queue_len(q), i);
	}
	assert_int_equal(dm__queue_try_push(q, item(5)), DM_E_TIMEOUT);
	assert_int_equal(dm__queue_push(q, item(5), 0), DM_E_TIMEOUT);
	assert_int_equal(dm__queue_len(q), 4);
	for (i = 1; i <= 4; i++) {
		assert_int_equal(dm__queue_pop(&out, q, 0), 0);
		assert_ptr_equal(out, item(i));
	}
	assert_int_equal(dm__queue_try_pop(&out, q), DM_E_TIMEOUT);
	assert_int_equal(dm__queue_len(q), 0);
	dm__queue_free(q);
}

/* Interleaved pushes and pops move head and tail around the ring many
 * times; NULL is an item like any other. */
static void test_queue__ring_wraps_around_in_order(void **state)
{
	dm__queue *q = new_queue(3);
	uintptr_t pushed = 0, popped = 0;
	void *out;
	size_t round;

	(void)state;
	for (round = 0; round < 1000; round++) {
		while (dm__queue_try_push(q, item(pushed)) == 0)
			pushed++;
		assert_int_equal(dm__queue_len(q), 3);
		/* Pop one or two, so the head position keeps changing. */
		for (size_t k = 0; k < 1 + round % 2; k++) {
			assert_int_equal(dm__queue_try_pop(&out, q), 0);
			assert_ptr_equal(out, item(popped));
			popped++;
		}
	}
	while (dm__queue_try_pop(&out, q) == 0) {
		assert_ptr_equal(out, item(popped));
		popped++;
	}
	assert_int_equal(popped, pushed);
	dm__queue_free(q);
}

static void test_queue__capacity_one_works(void **state)
{
	dm__queue *q = new_queue(1);
	void *out;

	(void)state;
	assert_int_equal(dm__queue_capacity(q), 1);
	assert_int_equal(dm__queue_push(q, item(7), -1), 0);
	assert_int_equal(dm__queue_try_push(q, item(8)), DM_E_TIMEOUT);
	assert_int_equal(dm__queue_pop(&out, q, -1), 0);
	assert_ptr_equal(out, item(7));
	assert_int_equal(dm__queue_push(q, NULL, 10), 0);
	assert_int_equal(dm__queue_pop(&out, q, 10), 0);
	assert_null(out);
	dm__queue_free(q);
}

static void test_queue__timed_pop_and_push_time_out(void **state)
{
	dm__queue *q = new_queue(1);
	uint64_t t0, t1;
	void *out = item(3);

	(void)state;
	t0 = dm__clock_now_ns();
	assert_int_equal(dm__queue_pop(&out, q, 30), DM_E_TIMEOUT);
	t1 = dm__clock_now_ns();
	assert_null(out);
	assert_true(t1 - t0 >= UINT64_C(30000000));

	assert_int_equal(dm__queue_push(q, item(1), 0), 0);
	t0 = dm__clock_now_ns();
	assert_int_equal(dm__queue_push(q, item(2), 25), DM_E_TIMEOUT);
	t1 = dm__clock_now_ns();
	assert_true(t1 - t0 >= UINT64_C(25000000));
	/* The queue still holds the first item only. */
	assert_int_equal(dm__queue_len(q), 1);
	assert_int_equal(dm__queue_pop(&out, q, 0), 0);
	assert_ptr_equal(out, item(1));
	dm__queue_free(q);
}

static void test_queue__close_drains_then_reports_done(void **state)
{
	dm__queue *q = new_queue(8);
	void *out;
	uintptr_t i;

	(void)state;
	assert_false(dm__queue_is_closed(q));
	for (i = 1; i <= 5; i++)
		assert_int_equal(dm__queue_push(q, item(i), -1), 0);
	dm__queue_close(q);
	dm__queue_close(q); /* idempotent */
	assert_true(dm__queue_is_closed(q));
	assert_int_equal(dm__queue_push(q, item(6), -1), DM_E_CLOSED);
	assert_int_equal(dm__queue_try_push(q, item(6)), DM_E_CLOSED);
	assert_int_equal(dm__queue_push(q, item(6), 10), DM_E_CLOSED);
	assert_int_equal(dm__queue_len(q), 5);
	for (i = 1; i <= 5; i++) {
		assert_int_equal(dm__queue_pop(&out, q, i % 2 ? -1 : 0), 0);
		assert_ptr_equal(out, item(i));
	}
	out = item(1);
	assert_int_equal(dm__queue_pop(&out, q, -1), DM_DONE);
	assert_null(out);
	assert_int_equal(dm__queue_try_pop(&out, q), DM_DONE);
	assert_int_equal(dm__queue_pop(&out, q, 50), DM_DONE);
	dm__queue_free(q);
}

/* ----------------------------------------------------- blocking, wakeups */

struct waiter {
	dm__queue *q;
	int timeout_ms;
	void *push_item;  /* for pushers */
	int rc;
	void *got;
	atomic_int started;
};

static void *pop_thread(void *arg)
{
	struct waiter *w = arg;

	atomic_store(&w->started, 1);
	w->rc = dm__queue_pop(&w->got, w->q, w->timeout_ms);
	return NULL;
}

static void *push_thread(void *arg)
{
	struct waiter *w = arg;

	atomic_store(&w->started, 1);
	w->rc = dm__queue_push(w->q, w->push_item, w->timeout_ms);
	return NULL;
}

static void start(pthread_t *t, void *(*fn)(void *), struct waiter *w)
{
	assert_int_equal(pthread_create(t, NULL, fn, w), 0);
	while (!atomic_load(&w->started))
		sched_yield();
	/* Give it time to block; the outcome is the same if it has not. */
	dm__clock_sleep_ms(20);
}

static void test_queue__blocked_pop_wakes_on_push(void **state)
{
	dm__queue *q = new_queue(2);
	struct waiter w = { .q = q, .timeout_ms = -1 };
	struct waiter tw = { .q = q, .timeout_ms = 60000 };
	pthread_t t;

	(void)state;
	start(&t, pop_thread, &w);
	assert_int_equal(dm__queue_push(q, item(42), -1), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(w.rc, 0);
	assert_ptr_equal(w.got, item(42));

	/* A timed wait gets the item long before its timeout. */
	start(&t, pop_thread, &tw);
	assert_int_equal(dm__queue_push(q, item(43), -1), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(tw.rc, 0);
	assert_ptr_equal(tw.got, item(43));
	dm__queue_free(q);
}

static void test_queue__blocked_push_wakes_on_pop(void **state)
{
	dm__queue *q = new_queue(1);
	struct waiter w = { .q = q, .timeout_ms = -1, .push_item = item(2) };
	struct waiter tw = { .q = q, .timeout_ms = 60000, .push_item = item(3) };
	pthread_t t;
	void *out;

	(void)state;
	assert_int_equal(dm__queue_push(q, item(1), -1), 0);
	start(&t, push_thread, &w);
	assert_int_equal(dm__queue_pop(&out, q, -1), 0);
	assert_ptr_equal(out, item(1));
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(w.rc, 0);

	start(&t, push_thread, &tw);
	assert_int_equal(dm__queue_pop(&out, q, -1), 0);
	assert_ptr_equal(out, item(2));
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(tw.rc, 0);
	assert_int_equal(dm__queue_pop(&out, q, 0), 0);
	assert_ptr_equal(out, item(3));
	dm__queue_free(q);
}

static void test_queue__close_wakes_every_waiter(void **state)
{
	enum { N = 3 };
	dm__queue *empty = new_queue(4), *full = new_queue(1);
	struct waiter pops[N], pushes[N];
	pthread_t pt[N], st[N];
	void *out;
	int i;

	(void)state;
	assert_int_equal(dm__queue_push(full, item(100), 0), 0);
	for (i = 0; i < N; i++) {
		memset(&pops[i], 0, sizeof(pops[i]));
		pops[i].q = empty;
		pops[i].timeout_ms = i == 0 ? 600000 : -1;
		pops[i].got = item(1);
		start(&pt[i], pop_thread, &pops[i]);
		memset(&pushes[i], 0, sizeof(pushes[i]));
		pushes[i].q = full;
		pushes[i].timeout_ms = i == 0 ? 600000 : -1;
		pushes[i].push_item = item(200 + (uintptr_t)i);
		start(&st[i], push_thread, &pushes[i]);
	}
	dm__queue_close(empty);
	dm__queue_close(full);
	for (i = 0; i < N; i++) {
		assert_int_equal(pthread_join(pt[i], NULL), 0);
		assert_int_equal(pthread_join(st[i], NULL), 0);
		assert_int_equal(pops[i].rc, DM_DONE);
		assert_null(pops[i].got);
		assert_int_equal(pushes[i].rc, DM_E_CLOSED);
	}
	/* The item queued before close is still delivered. */
	assert_int_equal(dm__queue_pop(&out, full, -1), 0);
	assert_ptr_equal(out, item(100));
	assert_int_equal(dm__queue_pop(&out, full, -1), DM_DONE);
	dm__queue_free(empty);
	dm__queue_free(full);
}

/* ------------------------------------------------------------ MPMC */

enum { PRODUCERS = 4, CONSUMERS = 4 };

struct mpmc {
	dm__queue *q;
	size_t per_producer;
	atomic_uchar *delivered; /* PRODUCERS * per_producer counters */
	atomic_size_t total;
};

struct producer {
	struct mpmc *s;
	uintptr_t id;
	int style;
	int errors;
};

struct consumer {
	struct mpmc *s;
	int style;
	int errors;          /* bad item, order violation, bad status */
	size_t got;
	uint64_t last[PRODUCERS];
};

/* Items are producer << ITEM_SHIFT | (seq + 1), never NULL; fits 32 bits. */
enum { ITEM_SHIFT = 24, ITEM_SEQ_MASK = (1 << ITEM_SHIFT) - 1 };
static void *mpmc_item(uintptr_t producer, size_t seq)
{
	return (void *)(producer << ITEM_SHIFT | (uintptr_t)(seq + 1));
}

static void *producer_main(void *arg)
{
	struct producer *p = arg;
	size_t seq;
	int rc;

	for (seq = 0; seq < p->s->per_producer; seq++) {
		void *it = mpmc_item(p->id, seq);

		switch (p->style) {
		case 0: /* non-blocking, spin */
			while ((rc = dm__queue_try_push(p->s->q, it)) == DM_E_TIMEOUT)
				sched_yield();
			break;
		case 1: /* short timeouts, retry */
			while ((rc = dm__queue_push(p->s->q, it, 1)) == DM_E_TIMEOUT)
				;
			break;
		default:
			rc = dm__queue_push(p->s->q, it, -1);
			break;
		}
		if (rc != 0)
			p->errors++;
	}
	return NULL;
}

static void *consumer_main(void *arg)
{
	struct consumer *c = arg;
	struct mpmc *s = c->s;
	void *it;
	uintptr_t v, prod;
	uint64_t seq;
	int rc;

	for (;;) {
		switch (c->style) {
		case 0:
			rc = dm__queue_try_pop(&it, s->q);
			if (rc == DM_E_TIMEOUT) {
				sched_yield();
				continue;
			}
			break;
		case 1:
			rc = dm__queue_pop(&it, s->q, 1);
			if (rc == DM_E_TIMEOUT)
				continue;
			break;
		default:
			rc = dm__queue_pop(&it, s->q, -1);
			break;
		}
		if (rc == DM_DONE)
			return NULL;
		if (rc != 0) {
			c->errors++;
			return NULL;
		}
		v = (uintptr_t)it;
		prod = v >> ITEM_SHIFT;
		seq = v & ITEM_SEQ_MASK;
		if (prod >= PRODUCERS || seq == 0 || seq > s->per_producer) {
			c->errors++;
			continue;
		}
		/* FIFO per producer: each consumer sees a producer's items
		 * in increasing order. */
		if (seq <= c->last[prod])
			c->errors++;
		c->last[prod] = seq;
		atomic_fetch_add(&s->delivered[prod * s->per_producer + seq - 1],
				 1);
		atomic_fetch_add(&s->total, 1);
		c->got++;
	}
}

static void run_mpmc(size_t per_producer, size_t capacity)
{
	struct mpmc s;
	struct producer prod[PRODUCERS];
	struct consumer cons[CONSUMERS];
	pthread_t pt[PRODUCERS], ct[CONSUMERS];
	size_t i, got = 0, n = PRODUCERS * per_producer;
	void *out;

	memset(&s, 0, sizeof(s));
	s.q = new_queue(capacity);
	s.per_producer = per_producer;
	s.delivered = calloc(n, sizeof(*s.delivered));
	assert_non_null(s.delivered);
	atomic_init(&s.total, 0);
	for (i = 0; i < CONSUMERS; i++) {
		memset(&cons[i], 0, sizeof(cons[i]));
		cons[i].s = &s;
		cons[i].style = (int)i % 3;
		assert_int_equal(pthread_create(&ct[i], NULL, consumer_main,
						&cons[i]), 0);
	}
	for (i = 0; i < PRODUCERS; i++) {
		memset(&prod[i], 0, sizeof(prod[i]));
		prod[i].s = &s;
		prod[i].id = i;
		prod[i].style = (int)i % 3;
		assert_int_equal(pthread_create(&pt[i], NULL, producer_main,
						&prod[i]), 0);
	}
	for (i = 0; i < PRODUCERS; i++) {
		assert_int_equal(pthread_join(pt[i], NULL), 0);
		assert_int_equal(prod[i].errors, 0);
	}
	dm__queue_close(s.q);
	for (i = 0; i < CONSUMERS; i++) {
		assert_int_equal(pthread_join(ct[i], NULL), 0);
		assert_int_equal(cons[i].errors, 0);
		got += cons[i].got;
	}
	assert_int_equal(got, n);
	assert_int_equal(atomic_load(&s.total), n);
	for (i = 0; i < n; i++)
		assert_int_equal(atomic_load(&s.delivered[i]), 1);
	assert_int_equal(dm__queue_len(s.q), 0);
	assert_int_equal(dm__queue_pop(&out, s.q, 0), DM_DONE);
	free(s.delivered);
	dm__queue_free(s.q);
}

static void test_queue__mpmc_delivers_each_item_once_in_order(void **state)
{
	(void)state;
	run_mpmc(util_test_scale(100000), 64);
}

static void test_queue__mpmc_with_capacity_one(void **state)
{
	(void)state;
	run_mpmc(util_test_scale(10000), 1);
}

/* Closing while producers are still pushing: every item that was accepted
 * (push returned 0) is delivered exactly once, none after DM_DONE. */
struct closing_producer {
	dm__queue *q;
	uintptr_t id;
	size_t accepted;
	int bad;
};

static void *closing_producer_main(void *arg)
{
	struct closing_producer *p = arg;
	size_t seq;
	int rc;

	for (seq = 0;; seq++) {
		rc = dm__queue_push(p->q, mpmc_item(p->id, seq), -1);
		if (rc == DM_E_CLOSED)
			return NULL;
		if (rc != 0) {
			p->bad++;
			return NULL;
		}
		p->accepted++;
	}
}

static void test_queue__close_under_load_loses_nothing_accepted(void **state)
{
	dm__queue *q = new_queue(16);
	struct closing_producer p[PRODUCERS];
	pthread_t t[PRODUCERS];
	size_t i, popped = 0, want = util_test_scale(20000), accepted = 0;
	size_t next[PRODUCERS] = { 0 };
	void *out;
	uintptr_t v;
	int rc;

	(void)state;
	for (i = 0; i < PRODUCERS; i++) {
		memset(&p[i], 0, sizeof(p[i]));
		p[i].q = q;
		p[i].id = i;
		assert_int_equal(pthread_create(&t[i], NULL, closing_producer_main,
						&p[i]), 0);
	}
	while (popped < want) {
		assert_int_equal(dm__queue_pop(&out, q, -1), 0);
		v = (uintptr_t)out;
		assert_true(v >> ITEM_SHIFT < PRODUCERS);
		assert_int_equal(v & ITEM_SEQ_MASK, ++next[v >> ITEM_SHIFT]);
		popped++;
	}
	dm__queue_close(q);
	while ((rc = dm__queue_pop(&out, q, -1)) == 0) {
		v = (uintptr_t)out;
		assert_int_equal(v & ITEM_SEQ_MASK, ++next[v >> ITEM_SHIFT]);
		popped++;
	}
	assert_int_equal(rc, DM_DONE);
	for (i = 0; i < PRODUCERS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(p[i].bad, 0);
		assert_int_equal(p[i].accepted, next[i]);
		accepted += p[i].accepted;
	}
	assert_int_equal(popped, accepted);
	dm__queue_free(q);
}

int util_test_queue_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue__zero_capacity_is_rejected),
		cmocka_unit_test_teardown(
			test_queue__new_fails_cleanly_at_every_allocation,
			util_test_reset_alloc),
		cmocka_unit_test(test_queue__fifo_until_full_then_try_push_times_out),
		cmocka_unit_test(test_queue__ring_wraps_around_in_order),
		cmocka_unit_test(test_queue__capacity_one_works),
		cmocka_unit_test(test_queue__timed_pop_and_push_time_out),
		cmocka_unit_test(test_queue__close_drains_then_reports_done),
		cmocka_unit_test(test_queue__blocked_pop_wakes_on_push),
		cmocka_unit_test(test_queue__blocked_push_wakes_on_pop),
		cmocka_unit_test(test_queue__close_wakes_every_waiter),
		cmocka_unit_test(test_queue__mpmc_delivers_each_item_once_in_order),
		cmocka_unit_test(test_queue__mpmc_with_capacity_one),
		cmocka_unit_test(test_queue__close_under_load_loses_nothing_accepted),
	};

	return cmocka_run_group_tests_name("util/queue", tests, NULL, NULL);
}
