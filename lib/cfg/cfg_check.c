/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Value checks DM runs when it loads a configuration: table-selector
 * wildcards, regular expressions (compiled with PCRE2 only to check them;
 * lib/rules compiles them for use), chunk sizes, Go durations, binlog file
 * names, precheck item names and binlog event names.
 */
#include "cfg/cfg_private.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* ------------------------------------------------------------ edit distance */

size_t dm__cfg_distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], prev[64];

	if (la >= 64 || lb >= 64)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		size_t best;

		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = row[j - 1] + 1;
			size_t m = sub < del ? sub : del;

			row[j] = m < ins ? m : ins;
			if (row[j] < best)
				best = row[j];
		}
		if (best > cap)
			return cap + 1;
		memcpy(prev, row, (lb + 1) * sizeof(row[0]));
	}
	return prev[lb] > cap ? cap + 1 : prev[lb];
}

/* --------------------------------------------------------------- patterns */

bool dm__cfg_wildcard_ok(const char *pattern)
{
	const char *star = strchr(pattern, '*');

	return !star || star[1] == '\0';
}

bool dm__cfg_pattern_eq(const char *a, const char *b, bool case_sensitive)
{
	if (case_sensitive)
		return strcmp(a, b) == 0;
	for (; *a && *b; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

int dm__cfg_regex_check(const char *pattern, size_t len, char *why,
			size_t why_len, unsigned *captures)
{
	pcre2_code *re;
	int ec = 0;
	PCRE2_SIZE off = 0;
	uint32_t n = 0;

	re = pcre2_compile((PCRE2_SPTR)pattern, len, PCRE2_UTF, &ec, &off,
			   NULL);
	if (!re) {
		PCRE2_UCHAR msg[160];
		int r;

		if (ec == PCRE2_ERROR_HEAP_FAILED)
			return DM_E_NO_MEMORY;
		r = pcre2_get_error_message(ec, msg, sizeof(msg));
		if (why && why_len)
			snprintf(why, why_len, "%s at offset %lu",
				 r > 0 ? (const char *)msg : "invalid pattern",
				 (unsigned long)off);
		return -1;
	}
	if (captures) {
		if (pcre2_pattern_info(re, PCRE2_INFO_CAPTURECOUNT, &n) != 0)
			n = 0;
		*captures = n;
	}
	pcre2_code_free(re);
	return 0;
}

/* -------------------------------------------------------------- file size */

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

bool dm__cfg_parse_filesize(const char *s, uint64_t *bytes)
{
	uint64_t whole = 0;
	size_t i;

	if (!*s)
		return false;
	/* All digits: a number of MiB. */
	for (i = 0; is_digit(s[i]); i++)
		;
	if (s[i] == '\0') {
		for (i = 0; s[i]; i++) {
			if (whole > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
				return false;
			whole = whole * 10 + (uint64_t)(s[i] - '0');
		}
		if (whole > UINT64_MAX / (1024u * 1024u))
			return false;
		*bytes = whole * 1024u * 1024u;
		return true;
	}
	return dm__cfg_parse_ram_size(s, bytes);
}

bool dm__cfg_parse_ram_size(const char *s, uint64_t *bytes)
{
	const char *p = s;
	uint64_t whole = 0, mul = 1;
	double frac = 0, scale = 1;
	bool any_frac = false;

	/* Digits, an optional fraction, an optional space, then [kmgtp] [i]
	 * [b] in any case; units are binary, no unit means bytes. */
	if (!is_digit(*p))
		return false;
	for (; is_digit(*p); p++) {
		if (whole > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			return false;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (!is_digit(*p))
			return false;
		for (; is_digit(*p); p++) {
			if (scale < 1e15) {
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			}
			any_frac = true;
		}
	}
	if (*p == ' ')
		p++;
	switch (*p) {
	case 'k': case 'K': mul = 1ull << 10; p++; break;
	case 'm': case 'M': mul = 1ull << 20; p++; break;
	case 'g': case 'G': mul = 1ull << 30; p++; break;
	case 't': case 'T': mul = 1ull << 40; p++; break;
	case 'p': case 'P': mul = 1ull << 50; p++; break;
	default: break;
	}
	if (*p == 'i' || *p == 'I')
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (*p)
		return false;
	if (whole > UINT64_MAX / mul)
		return false;
	*bytes = whole * mul;
	if (any_frac) {
		double extra = frac / scale * (double)mul;

		if ((double)(UINT64_MAX - *bytes) < extra)
			return false;
		*bytes += (uint64_t)extra;
	}
	return true;
}

/* -------------------------------------------------------------- durations */

bool dm__cfg_parse_duration(const char *s, int64_t *ns)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} units[] = {
		{ "ns", 1 },
		{ "us", 1000 },
		{ "\xc2\xb5s", 1000 }, /* U+00B5 micro sign */
		{ "\xce\xbcs", 1000 }, /* U+03BC Greek mu */
		{ "ms", 1000000 },
		{ "s", 1000000000ull },
		{ "m", 60000000000ull },
		{ "h", 3600000000000ull },
	};
	uint64_t total = 0;
	bool neg = false;

	if (*s == '-' || *s == '+') {
		neg = *s == '-';
		s++;
	}
	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return true;
	}
	if (!*s)
		return false;
	while (*s) {
		uint64_t v = 0, unit = 0;
		double frac = 0, scale = 1;
		bool pre = false, post = false, overflow = false;
		size_t ulen = 0, i;

		for (; is_digit(*s); s++) {
			if (v > (UINT64_MAX - 9) / 10)
				return false;
			v = v * 10 + (uint64_t)(*s - '0');
			pre = true;
		}
		if (*s == '.') {
			s++;
			for (; is_digit(*s); s++) {
				if (!overflow && scale < 1e18) {
					frac = frac * 10 + (*s - '0');
					scale *= 10;
				} else {
					overflow = true;
				}
				post = true;
			}
		}
		if (!pre && !post)
			return false;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].name);

			if (strncmp(s, units[i].name, l) == 0 && l > ulen) {
				/* "m" must not swallow the "m" of "ms" */
				ulen = l;
				unit = units[i].ns;
			}
		}
		if (!unit)
			return false;
		s += ulen;
		if (v > (uint64_t)INT64_MAX / unit)
			return false;
		v *= unit;
		if (post) {
			/* As Go does it: unit / scale is exact for the
			 * fractions durations print with. */
			double extra = frac * ((double)unit / scale);

			if (extra >= 9.3e18)
				return false;
			v += (uint64_t)extra;
			if (v > (uint64_t)INT64_MAX)
				return false;
		}
		if (total > (uint64_t)INT64_MAX - v)
			return false;
		total += v;
	}
	*ns = neg ? -(int64_t)total : (int64_t)total;
	return true;
}

/* Appends the last `prec` digits of v as a fraction (trailing zeros and
 * an all-zero fraction dropped); v becomes the integer part. */
static int put_frac(dm_buf *out, uint64_t *v, int prec)
{
	char digits[20];
	bool print = false;
	int i, n = 0;

	for (i = 0; i < prec; i++) {
		unsigned d = (unsigned)(*v % 10);

		print = print || d != 0;
		if (print)
			digits[n++] = (char)('0' + d);
		*v /= 10;
	}
	if (!print)
		return 0;
	if (dm_buf_putc(out, '.'))
		return DM_E_NO_MEMORY;
	while (n)
		if (dm_buf_putc(out, digits[--n]))
			return DM_E_NO_MEMORY;
	return 0;
}

int dm__cfg_format_duration(dm_buf *out, int64_t ns)
{
	uint64_t u = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	dm_buf tmp = DM_BUF_INIT;
	int rc = 0;

	if (ns == 0)
		return dm_buf_puts(out, "0s");
	if (ns < 0)
		rc = dm_buf_putc(out, '-');
	if (rc)
		return rc;
	if (u < 1000000000ull) {
		const char *unit;
		int prec;

		if (u < 1000) {
			return dm_buf_printf(out, "%lluns", (unsigned long long)u);
		} else if (u < 1000000) {
			unit = "\xc2\xb5s";
			prec = 3;
		} else {
			unit = "ms";
			prec = 6;
		}
		rc = put_frac(&tmp, &u, prec);
		if (!rc)
			rc = dm_buf_printf(out, "%llu%s%s", (unsigned long long)u,
					   tmp.data ? tmp.data : "", unit);
		dm_buf_free(&tmp);
		return rc;
	}
	rc = put_frac(&tmp, &u, 9);
	if (!rc) {
		uint64_t secs = u % 60, mins, hours;

		u /= 60;
		mins = u % 60;
		hours = u / 60;
		if (hours)
			rc = dm_buf_printf(out, "%lluh%llum",
					   (unsigned long long)hours,
					   (unsigned long long)mins);
		else if (mins)
			rc = dm_buf_printf(out, "%llum", (unsigned long long)mins);
		if (!rc)
			rc = dm_buf_printf(out, "%llu%ss", (unsigned long long)secs,
					   tmp.data ? tmp.data : "");
	}
	dm_buf_free(&tmp);
	return rc;
}

/* ------------------------------------------------------------------ names */

bool dm__cfg_binlog_name_ok(const char *name)
{
	const char *dot = strchr(name, '.');
	const char *p;

	if (!dot || dot == name || strchr(dot + 1, '.') || !dot[1])
		return false;
	for (p = dot + 1; *p; p++)
		if (!is_digit(*p))
			return false;
	return true;
}

const char *const dm__cfg_checking_items[] = {
	"all",
	"dump_privilege",
	"replication_privilege",
	"version",
	"server_id",
	"binlog_enable",
	"binlog_format",
	"binlog_row_image",
	"table_schema",
	"schema_of_shard_tables",
	"auto_increment_ID",
	/* libdm's own precheck items (see dm_check(3)) */
	"target_connectivity",
	"target_privilege",
	"gtid_mode",
	NULL,
};

bool dm__cfg_checking_item_ok(const char *item)
{
	size_t i;

	for (i = 0; dm__cfg_checking_items[i]; i++)
		if (strcmp(item, dm__cfg_checking_items[i]) == 0)
			return true;
	return false;
}

const char *dm__cfg_event_name(const char *name)
{
	static const char *const events[] = {
		"all", "all dml", "all ddl", "none", "none ddl", "none dml",
		"insert", "update", "delete",
		"create database", "drop database",
		"create table", "drop table", "truncate table", "rename table",
		"create index", "drop index", "create view", "drop view",
		"alter table",
	};
	char low[32];
	size_t i, n = strlen(name);

	if (n >= sizeof(low))
		return NULL;
	for (i = 0; i <= n; i++) {
		char ch = name[i];

		low[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
	}
	for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		if (strcmp(low, events[i]) == 0)
			return events[i];
	return NULL;
}
