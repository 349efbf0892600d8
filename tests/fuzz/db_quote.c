/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for dm_db_quote_value and dm_db_quote_ident: whatever the
 * input, the literal must decode back to exactly the input bytes, and must
 * mean the same with and without NO_BACKSLASH_ESCAPES (so no backslash and
 * no control byte may appear between quotes). The decoder below is written
 * from the SQL grammar, independently of lib/db.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm/db.h"
#include "dm/util.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char PREFIX[] = "x=";

/* Strict UTF-8 by code point arithmetic: shortest form, no surrogates,
 * nothing above U+10FFFF. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len, k;

		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0)
			len = 2, cp = s[i] & 0x1F;
		else if ((s[i] & 0xF0) == 0xE0)
			len = 3, cp = s[i] & 0x0F;
		else if ((s[i] & 0xF8) == 0xF0)
			len = 4, cp = s[i] & 0x07;
		else
			return false;
		if (n - i < len)
			return false;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += len;
	}
	return true;
}

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Decodes a value literal into out (room for cap bytes); returns its
 * length. */
static size_t decode_value(const unsigned char *p, size_t n, bool binary,
			   unsigned char *out, size_t cap)
{
	const unsigned char *end = p + n;
	size_t o = 0;

	if (n >= 2 && p[0] == 'X' && p[1] == '\'') {
		p += 2;
		while (p < end && *p != '\'') {
			int hi, lo;

			CHECK(end - p >= 2);
			hi = hexval(p[0]);
			lo = hexval(p[1]);
			CHECK(hi >= 0 && lo >= 0 && o < cap);
			out[o++] = (unsigned char)(hi << 4 | lo);
			p += 2;
		}
		CHECK(p + 1 == end && *p == '\'');
		return o;
	}
	if (binary) {
		CHECK(n >= 7 && memcmp(p, "_binary", 7) == 0);
		p += 7;
	}
	CHECK(p < end && *p == '\'');
	for (p++; p < end; p++) {
		if (*p == '\'') {
			if (p + 1 < end && p[1] == '\'') {
				CHECK(o < cap);
				out[o++] = '\'';
				p++;
				continue;
			}
			break;
		}
		/* Bytes whose meaning depends on sql_mode or the lexer. */
		CHECK(*p != '\\' && *p >= 0x20 && *p != 0x7f && o < cap);
		out[o++] = *p;
	}
	CHECK(p + 1 == end && *p == '\'');
	/* A plain literal must be text the server accepts as utf8mb4. */
	CHECK(utf8_ok(out, o));
	return o;
}

static size_t decode_ident(const unsigned char *p, size_t n,
			   unsigned char *out, size_t cap)
{
	const unsigned char *end = p + n;
	size_t o = 0;

	CHECK(n >= 2 && p[0] == '`');
	for (p++; p < end; p++) {
		if (*p == '`') {
			if (p + 1 < end && p[1] == '`') {
				CHECK(o < cap);
				out[o++] = '`';
				p++;
				continue;
			}
			break;
		}
		CHECK(o < cap);
		out[o++] = *p;
	}
	CHECK(p + 1 == end && *p == '`');
	return o;
}

static void check_value(const uint8_t *data, size_t size, unsigned flags,
			unsigned char *scratch)
{
	dm_buf b = DM_BUF_INIT;
	size_t got;

	CHECK(dm_buf_puts(&b, PREFIX) == 0);
	CHECK(dm_db_quote_value(&b, data, size, flags) == 0);
	CHECK(b.data[b.len] == '\0');
	CHECK(memcmp(b.data, PREFIX, 2) == 0);
	/* No NUL inside a literal: it is a C string too. */
	CHECK(strlen(b.data) == b.len);
	got = decode_value((const unsigned char *)b.data + 2, b.len - 2,
			   (flags & DM_DB_QUOTE_BINARY) != 0, scratch, size);
	CHECK(got == size);
	CHECK(size == 0 || memcmp(scratch, data, size) == 0);
	dm_buf_free(&b);
}

static void check_ident(const uint8_t *data, size_t size,
			unsigned char *scratch)
{
	dm_buf b = DM_BUF_INIT;
	size_t got;
	int rc;

	CHECK(dm_buf_puts(&b, PREFIX) == 0);
	rc = dm_db_quote_ident(&b, (const char *)data, size);
	if (size == 0 || memchr(data, '\0', size)) {
		CHECK(rc == DM_E_INVALID_ARGUMENT);
		CHECK(b.len == 2 && strcmp(b.data, PREFIX) == 0);
		dm_buf_free(&b);
		return;
	}
	CHECK(rc == 0);
	CHECK(b.data[b.len] == '\0' && strlen(b.data) == b.len);
	got = decode_ident((const unsigned char *)b.data + 2, b.len - 2,
			   scratch, size);
	CHECK(got == size && memcmp(scratch, data, size) == 0);
	dm_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Decoded output never exceeds the input; +1 keeps malloc(0) away. */
	unsigned char *scratch = malloc(size + 1);

	if (!scratch)
		return 0;
	check_value(data, size, 0, scratch);
	check_value(data, size, DM_DB_QUOTE_BINARY, scratch);
	check_ident(data, size, scratch);
	free(scratch);
	return 0;
}
