/* SPDX-License-Identifier: Apache-2.0 */
/* Clocks and deadlines (lib/util/clock.h). Only lower bounds on elapsed
 * time are asserted: a loaded machine may always be slower. */
#include "util_test.h"

#include <time.h>

#include "util/clock.h"

static void test_clock__monotonic_never_goes_back(void **state)
{
	uint64_t prev = dm__clock_now_ns(), now, ms_before, ms_after;
	int i;

	(void)state;
	for (i = 0; i < 10000; i++) {
		now = dm__clock_now_ns();
		assert_true(now >= prev);
		prev = now;
	}
	ms_before = dm__clock_now_ns() / 1000000;
	now = dm__clock_now_ms();
	ms_after = dm__clock_now_ns() / 1000000;
	assert_true(now >= ms_before);
	assert_true(now <= ms_after);
}

static void test_clock__sleep_lasts_at_least_requested(void **state)
{
	uint64_t t0, t1;

	(void)state;
	t0 = dm__clock_now_ns();
	dm__clock_sleep_ms(20);
	t1 = dm__clock_now_ns();
	assert_true(t1 - t0 >= UINT64_C(20000000));
	t0 = dm__clock_now_ns();
	dm__clock_sleep_ms(0);
	assert_true(dm__clock_now_ns() >= t0);
}

static void test_clock__wall_clock_matches_time(void **state)
{
	int64_t us = dm__clock_wall_us();
	time_t t = time(NULL);
	int64_t diff = us / 1000000 - (int64_t)t;

	(void)state;
	assert_true(us > INT64_C(1577836800) * 1000000); /* after 2020 */
	assert_in_range(diff + 2, 0, 4);
}

static void test_clock__negative_timeout_never_expires(void **state)
{
	uint64_t d = dm__clock_deadline_ms(-1);

	(void)state;
	assert_true(d == DM__CLOCK_NEVER);
	assert_true(dm__clock_deadline_ms(INT64_MIN) == DM__CLOCK_NEVER);
	assert_false(dm__clock_expired(d));
	assert_int_equal(dm__clock_remaining_ms(d), -1);
}

static void test_clock__zero_timeout_is_already_expired(void **state)
{
	uint64_t d = dm__clock_deadline_ms(0);

	(void)state;
	assert_true(dm__clock_expired(d));
	assert_int_equal(dm__clock_remaining_ms(d), 0);
}

static void test_clock__deadline_counts_down(void **state)
{
	uint64_t d = dm__clock_deadline_ms(60000), d2;
	int64_t left;

	(void)state;
	assert_false(dm__clock_expired(d));
	left = dm__clock_remaining_ms(d);
	assert_true(left > 0 && left <= 60000);

	d2 = dm__clock_deadline_ms(10);
	dm__clock_sleep_ms(15);
	assert_true(dm__clock_expired(d2));
	assert_int_equal(dm__clock_remaining_ms(d2), 0);
}

/* Rounding up: waiting the reported time always reaches the deadline, so
 * a deadline half a millisecond away reports 1 ms, not 0, until it passes. */
static void test_clock__remaining_rounds_up(void **state)
{
	uint64_t d = dm__clock_now_ns() + 500000;
	int64_t left = dm__clock_remaining_ms(d);

	(void)state;
	assert_true(left == 1 || (left == 0 && dm__clock_now_ns() >= d));
	d = dm__clock_now_ns() + UINT64_C(3600000000000) + 1;
	left = dm__clock_remaining_ms(d);
	assert_true(left > 0 && left <= 3600001);
	assert_true(dm__clock_now_ns() + (uint64_t)left * 1000000 >= d);
}

static void test_clock__huge_timeout_saturates(void **state)
{
	uint64_t d = dm__clock_deadline_ms(INT64_MAX);

	(void)state;
	assert_true(d != DM__CLOCK_NEVER);
	assert_true(d > dm__clock_now_ns());
	assert_false(dm__clock_expired(d));
	assert_true(dm__clock_remaining_ms(d) > 0);
}

static void test_clock__timespec_conversion_splits_ns(void **state)
{
	struct timespec ts;

	(void)state;
	dm__clock_to_timespec(&ts, UINT64_C(1500000007));
	assert_int_equal(ts.tv_sec, 1);
	assert_int_equal(ts.tv_nsec, 500000007);
	dm__clock_to_timespec(&ts, 0);
	assert_int_equal(ts.tv_sec, 0);
	assert_int_equal(ts.tv_nsec, 0);
	dm__clock_to_timespec(&ts, UINT64_C(999999999));
	assert_int_equal(ts.tv_sec, 0);
	assert_int_equal(ts.tv_nsec, 999999999);
}

int util_test_clock_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock__monotonic_never_goes_back),
		cmocka_unit_test(test_clock__sleep_lasts_at_least_requested),
		cmocka_unit_test(test_clock__wall_clock_matches_time),
		cmocka_unit_test(test_clock__negative_timeout_never_expires),
		cmocka_unit_test(test_clock__zero_timeout_is_already_expired),
		cmocka_unit_test(test_clock__deadline_counts_down),
		cmocka_unit_test(test_clock__remaining_rounds_up),
		cmocka_unit_test(test_clock__huge_timeout_saturates),
		cmocka_unit_test(test_clock__timespec_conversion_splits_ns),
	};

	return cmocka_run_group_tests_name("util/clock", tests, NULL, NULL);
}
