/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binlog locations: setting, ordering (as DM's ComparePosition and
 * go-mysql's CompareBinlogFileName) and DM's text form.
 */
#include <inttypes.h>
#include <string.h>

#include "dm/checkpoint.h"

DM_API int dm_location_set(dm_location *out, const char *file, uint64_t pos,
			   uint32_t row, dm_error **err)
{
	size_t n;

	if (!out || !file)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_location_set: NULL argument");
	n = strlen(file);
	if (n > DM_LOCATION_FILE_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "binlog file name is %zu bytes long, more "
				    "than %d", n, DM_LOCATION_FILE_MAX);
	memcpy(out->file, file, n + 1);
	out->pos = pos;
	out->row = row;
	return 0;
}

/* A file name as the comparison sees it. */
typedef struct fname {
	const char *s;
	size_t len;
	/* relay form "base|suffix.seq": the part cut out to get the real
	 * name ("|suffix"), else cut_len 0 */
	size_t cut_at;
	size_t cut_len;
} fname;

static size_t name_len(const char file[DM_LOCATION_FILE_MAX + 1])
{
	const char *nul = memchr(file, '\0', DM_LOCATION_FILE_MAX + 1);

	return nul ? (size_t)(nul - file) : DM_LOCATION_FILE_MAX + 1;
}

static fname make_fname(const char *file)
{
	fname f = { file, name_len(file), 0, 0 };
	const char *bar = NULL, *dot;
	size_t i;

	for (i = 0; i < f.len; i++)
		if (file[i] == '|')
			bar = file + i;
	if (!bar)
		return f;
	dot = memchr(bar, '.', f.len - (size_t)(bar - file));
	f.cut_at = (size_t)(bar - file);
	f.cut_len = dot ? (size_t)(dot - bar) : f.len - f.cut_at;
	return f;
}

/* Copies the name, without the relay suffix when `real`. */
static size_t flatten(char *buf, const fname *f, int real)
{
	if (!real || !f->cut_len) {
		memcpy(buf, f->s, f->len);
		return f->len;
	}
	memcpy(buf, f->s, f->cut_at);
	memcpy(buf + f->cut_at, f->s + f->cut_at + f->cut_len,
	       f->len - f->cut_at - f->cut_len);
	return f->len - f->cut_len;
}

static int cmp_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	int c = memcmp(a, b, na < nb ? na : nb);

	if (c)
		return c < 0 ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

/* Where the numeric extension starts (after the last '.'), or `n` when the
 * name has none. */
static size_t ext_at(const char *s, size_t n)
{
	size_t i = n, dot;

	while (i > 0 && s[i - 1] != '.')
		i--;
	if (i == 0 || i == n)
		return n;
	dot = i;
	for (; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return n;
	return dot;
}

static int cmp_number(const char *a, size_t na, const char *b, size_t nb)
{
	while (na > 1 && *a == '0') {
		a++;
		na--;
	}
	while (nb > 1 && *b == '0') {
		b++;
		nb--;
	}
	if (na != nb)
		return na < nb ? -1 : 1;
	return cmp_bytes(a, na, b, nb);
}

/* Base name, then the number after the last '.', then the bytes. */
static int cmp_names(const char *a, size_t na, const char *b, size_t nb)
{
	size_t ea = ext_at(a, na), eb = ext_at(b, nb);
	size_t ba = ea < na ? ea - 1 : na, bb = eb < nb ? eb - 1 : nb;
	int c;

	c = cmp_bytes(a, ba, b, bb);
	if (c)
		return c;
	c = cmp_number(a + ea, na - ea, b + eb, nb - eb);
	if (c)
		return c;
	return cmp_bytes(a, na, b, nb);
}

static int cmp_files(const char *fa, const char *fb)
{
	char a[DM_LOCATION_FILE_MAX + 1], b[DM_LOCATION_FILE_MAX + 1];
	fname x = make_fname(fa), y = make_fname(fb);
	int real = (x.cut_len != 0) != (y.cut_len != 0);
	size_t na, nb;

	if (x.len == 0 || y.len == 0)
		return x.len == y.len ? 0 : x.len == 0 ? -1 : 1;
	na = flatten(a, &x, real);
	nb = flatten(b, &y, real);
	return cmp_names(a, na, b, nb);
}

DM_API int dm_location_compare(const dm_location *a, const dm_location *b)
{
	static const dm_location none = DM_LOCATION_INIT;
	int c;

	if (!a)
		a = &none;
	if (!b)
		b = &none;
	c = cmp_files(a->file, b->file);
	if (c)
		return c;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	if (a->row != b->row)
		return a->row < b->row ? -1 : 1;
	return 0;
}

DM_API int dm_location_format(dm_buf *out, const dm_location *loc)
{
	if (!out || !loc)
		return DM_E_INVALID_ARGUMENT;
	return dm_buf_printf(out, "(%.*s, %" PRIu64 ")",
			     (int)name_len(loc->file), loc->file, loc->pos);
}
