/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CRC-32 of events (lib/binlog/crc32.c) against zlib's crc32(): every
 * length 0..4096 from unaligned starts, both the dispatched code (PCLMULQDQ
 * folding where the CPU has it) and the portable tables, whole and in
 * pieces.
 */
#include "binlog_test.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "binlog/binlog_private.h"

#define MAXLEN 4096
#define SLACK 64

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: reproducible bytes, no libc state. */
static uint8_t next_byte(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint8_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 56);
}

static unsigned char *random_buffer(size_t n)
{
	unsigned char *b = malloc(n);
	size_t i;

	assert_non_null(b);
	for (i = 0; i < n; i++)
		b[i] = next_byte();
	return b;
}

static void check_one(const unsigned char *p, size_t len)
{
	uint32_t want = (uint32_t)crc32(0L, p, (uInt)len);

	if (dm__binlog_crc32(0, p, len) != want ||
	    dm__binlog_crc32_portable(0, p, len) != want)
		fail_msg("crc32 of %zu bytes at offset %zu: %08x/%08x, zlib "
			 "%08x", len, (size_t)((uintptr_t)p & 63),
			 dm__binlog_crc32(0, p, len),
			 dm__binlog_crc32_portable(0, p, len), want);
}

static void test_crc__equals_zlib_every_length_unaligned(void **state)
{
	unsigned char *buf = random_buffer(MAXLEN + SLACK);
	size_t len, off;

	(void)state;
	for (len = 0; len <= MAXLEN; len++) {
		/* Every start offset for short and folding-edge lengths, one
		 * offset (cycling through all 16) for the others. */
		if (len < 320 || len % 64 == 0 || len % 64 == 63) {
			for (off = 0; off < 16; off++)
				check_one(buf + off, len);
		} else {
			check_one(buf + (len * 7) % 17, len);
		}
	}
	free(buf);
}

static void test_crc__pieces_continue_like_zlib(void **state)
{
	unsigned char *buf = random_buffer(MAXLEN);
	size_t i;

	(void)state;
	for (i = 0; i < 200; i++) {
		size_t a = next_byte() * 7u % MAXLEN, b;
		uint32_t want, got, gotp;

		b = a + (size_t)(next_byte() * 13u) % (MAXLEN - a + 1);
		want = (uint32_t)crc32(0L, buf, (uInt)a);
		want = (uint32_t)crc32(want, buf + a, (uInt)(b - a));
		want = (uint32_t)crc32(want, buf + b, (uInt)(MAXLEN - b));
		got = dm__binlog_crc32(0, buf, a);
		got = dm__binlog_crc32(got, buf + a, b - a);
		got = dm__binlog_crc32(got, buf + b, MAXLEN - b);
		gotp = dm__binlog_crc32_portable(0, buf, a);
		gotp = dm__binlog_crc32_portable(gotp, buf + a, b - a);
		gotp = dm__binlog_crc32_portable(gotp, buf + b, MAXLEN - b);
		assert_int_equal(got, want);
		assert_int_equal(gotp, want);
	}
	free(buf);
}

static void test_crc__known_values(void **state)
{
	static const unsigned char zeros[100];
	unsigned char ones[300];

	(void)state;
	memset(ones, 0xff, sizeof(ones));
	/* The check value of CRC-32/ISO-HDLC. */
	assert_int_equal(dm__binlog_crc32(0, "123456789", 9), 0xcbf43926);
	assert_int_equal(dm__binlog_crc32(0, "", 0), 0);
	assert_int_equal(dm__binlog_crc32(0, zeros, sizeof(zeros)),
			 (uint32_t)crc32(0L, zeros, sizeof(zeros)));
	assert_int_equal(dm__binlog_crc32(0, ones, sizeof(ones)),
			 (uint32_t)crc32(0L, ones, sizeof(ones)));
	/* Large: many 64-byte folds. */
	{
		size_t n = (size_t)1 << 20;
		unsigned char *big = random_buffer(n + 3);

		assert_int_equal(dm__binlog_crc32(0, big + 3, n),
				 (uint32_t)crc32(0L, big + 3, (uInt)n));
		free(big);
	}
}

int binlog_test_crc_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc__known_values),
		cmocka_unit_test(test_crc__equals_zlib_every_length_unaligned),
		cmocka_unit_test(test_crc__pieces_continue_like_zlib),
	};

	return cmocka_run_group_tests_name("binlog_crc", tests, NULL, NULL);
}
