/* SPDX-License-Identifier: Apache-2.0 */
#include "util/clock.h"

#include <errno.h>

#define NS_PER_MS UINT64_C(1000000)
#define NS_PER_SEC UINT64_C(1000000000)

uint64_t dm__clock_now_ns(void)
{
	struct timespec ts;

	/* CLOCK_MONOTONIC cannot fail on Linux with a valid pointer. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

uint64_t dm__clock_now_ms(void)
{
	return dm__clock_now_ns() / NS_PER_MS;
}

int64_t dm__clock_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

uint64_t dm__clock_deadline_ms(int64_t timeout_ms)
{
	uint64_t now, add;

	if (timeout_ms < 0)
		return DM__CLOCK_NEVER;
	now = dm__clock_now_ns();
	if ((uint64_t)timeout_ms > (DM__CLOCK_NEVER - 1) / NS_PER_MS)
		return DM__CLOCK_NEVER - 1;
	add = (uint64_t)timeout_ms * NS_PER_MS;
	if (add > DM__CLOCK_NEVER - 1 - now)
		return DM__CLOCK_NEVER - 1;
	return now + add;
}

int64_t dm__clock_remaining_ms(uint64_t deadline)
{
	uint64_t now, left;

	if (deadline == DM__CLOCK_NEVER)
		return -1;
	now = dm__clock_now_ns();
	if (now >= deadline)
		return 0;
	left = deadline - now;
	return (int64_t)(left / NS_PER_MS + (left % NS_PER_MS != 0));
}

bool dm__clock_expired(uint64_t deadline)
{
	return deadline != DM__CLOCK_NEVER && dm__clock_now_ns() >= deadline;
}

void dm__clock_to_timespec(struct timespec *out, uint64_t ns)
{
	out->tv_sec = (time_t)(ns / NS_PER_SEC);
	out->tv_nsec = (long)(ns % NS_PER_SEC);
}

void dm__clock_sleep_ms(uint32_t ms)
{
	uint64_t until = dm__clock_now_ns() + (uint64_t)ms * NS_PER_MS;
	struct timespec ts;
	int rc;

	dm__clock_to_timespec(&ts, until);
	do {
		rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	} while (rc == EINTR);
}
