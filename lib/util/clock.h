/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Clocks and deadlines for lib/. Timeouts and intervals are measured on
 * CLOCK_MONOTONIC (never jumps with the wall clock); dm__clock_wall_us() is
 * for timestamps people read. A deadline is a plain uint64_t: a monotonic
 * time in nanoseconds, or DM__CLOCK_NEVER. All functions are thread-safe.
 */
#ifndef DM_LIB_CLOCK_H
#define DM_LIB_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* A deadline that never expires (from a negative timeout). */
#define DM__CLOCK_NEVER UINT64_MAX

/* Monotonic time since an unspecified start, in ns and in ms. */
uint64_t dm__clock_now_ns(void);
uint64_t dm__clock_now_ms(void);

/* Wall-clock (CLOCK_REALTIME) microseconds since the Unix epoch. */
int64_t dm__clock_wall_us(void);

/* Deadline `timeout_ms` from now; a negative timeout gives DM__CLOCK_NEVER,
 * zero gives "now" (already expired). Saturates instead of overflowing. */
uint64_t dm__clock_deadline_ms(int64_t timeout_ms);

/* Milliseconds left until `deadline`, rounded up so that waiting that long
 * reaches it: -1 for DM__CLOCK_NEVER, 0 once expired. */
int64_t dm__clock_remaining_ms(uint64_t deadline);

/* True once the monotonic clock has reached `deadline`. */
bool dm__clock_expired(uint64_t deadline);

/* Converts a monotonic ns value (e.g. a deadline other than NEVER) to the
 * timespec pthread_cond_timedwait() wants for a CLOCK_MONOTONIC condvar. */
void dm__clock_to_timespec(struct timespec *out, uint64_t ns);

/* Sleeps for `ms` milliseconds on the monotonic clock, resuming after
 * signal interruptions. */
void dm__clock_sleep_ms(uint32_t ms);

#endif
