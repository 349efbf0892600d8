/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQL quoting. Identifiers go into backticks; values become either a plain
 * '...' literal (only when no byte could mean something else under any
 * sql_mode) or a hex literal X'...', which every sql_mode reads the same way.
 */
#include <stdint.h>
#include <string.h>

#include "db/db_private.h"
#include "dm/util.h"

static const char hex_digits[] = "0123456789ABCDEF";

bool dm__db_utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		unsigned char lo = 0x80, hi = 0xBF;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return false; /* continuation, C0, C1, F5..FF */
		}
		if (len - i - 1 < n)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (k = 2; k <= n; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
		i += n + 1;
	}
	return true;
}

int dm_db_quote_ident(dm_buf *out, const char *name, size_t len)
{
	const char *p, *end;
	size_t ticks = 0;
	char *w;
	int rc;

	if (!out || !name || len == 0 || memchr(name, '\0', len))
		return DM_E_INVALID_ARGUMENT;
	end = name + len;
	for (p = name; (p = memchr(p, '`', (size_t)(end - p))) != NULL; p++)
		ticks++;
	if (len > SIZE_MAX - 2 - ticks)
		return DM_E_NO_MEMORY;
	rc = dm_buf_reserve(out, len + ticks + 2);
	if (rc)
		return rc;
	w = out->data + out->len;
	*w++ = '`';
	if (ticks == 0) {
		memcpy(w, name, len);
		w += len;
	} else {
		for (p = name; p < end; p++) {
			*w++ = *p;
			if (*p == '`')
				*w++ = '`';
		}
	}
	*w++ = '`';
	*w = '\0';
	out->len = (size_t)(w - out->data);
	return 0;
}

/* Can these bytes go between single quotes, reading back the same under
 * every sql_mode? Counts the quotes to double on the way. */
static bool plain_literal_ok(const unsigned char *s, size_t len,
			     size_t *quotes)
{
	size_t i, q = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c < 0x20 || c == 0x7f || c == '\\')
			return false;
		q += c == '\'';
	}
	*quotes = q;
	return dm__db_utf8_valid(s, len);
}

static int put_hex(dm_buf *out, const unsigned char *s, size_t len)
{
	size_t i;
	char *w;
	int rc;

	if (len > (SIZE_MAX - 8) / 2)
		return DM_E_NO_MEMORY;
	rc = dm_buf_reserve(out, 2 * len + 3);
	if (rc)
		return rc;
	w = out->data + out->len;
	*w++ = 'X';
	*w++ = '\'';
	for (i = 0; i < len; i++) {
		*w++ = hex_digits[s[i] >> 4];
		*w++ = hex_digits[s[i] & 0xf];
	}
	*w++ = '\'';
	*w = '\0';
	out->len = (size_t)(w - out->data);
	return 0;
}

int dm_db_quote_value(dm_buf *out, const void *data, size_t len,
		      unsigned flags)
{
	static const char binary[] = "_binary";
	const unsigned char *s = data;
	size_t quotes = 0, prefix, i;
	char *w;
	int rc;

	if (!out || (!data && len))
		return DM_E_INVALID_ARGUMENT;
	if (len && !plain_literal_ok(s, len, &quotes))
		return put_hex(out, s, len);
	prefix = (flags & DM_DB_QUOTE_BINARY) ? sizeof(binary) - 1 : 0;
	if (len > SIZE_MAX - 16 - quotes)
		return DM_E_NO_MEMORY;
	rc = dm_buf_reserve(out, prefix + len + quotes + 2);
	if (rc)
		return rc;
	w = out->data + out->len;
	memcpy(w, binary, prefix);
	w += prefix;
	*w++ = '\'';
	if (quotes == 0) {
		if (len)
			memcpy(w, s, len);
		w += len;
	} else {
		for (i = 0; i < len; i++) {
			*w++ = (char)s[i];
			if (s[i] == '\'')
				*w++ = '\'';
		}
	}
	*w++ = '\'';
	*w = '\0';
	out->len = (size_t)(w - out->data);
	return 0;
}
