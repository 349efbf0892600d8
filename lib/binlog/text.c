/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rows as mariadb-binlog --verbose prints them: "### INSERT INTO `d`.`t`",
 * "### SET", "###   @1=5". The value forms are that tool's, quirks
 * included (DATE as 'YYYY:MM:DD', TIMESTAMP as epoch seconds, integers
 * with their unsigned reading in parentheses when negative, FLOAT padded
 * to 20 characters), so its output and ours compare byte for byte.
 * Types the tool cannot print (MySQL JSON, VECTOR, partial JSON updates)
 * are printed in the same style: JSON as quoted text.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "binlog/binlog_private.h"
#include "binlog/cursor.h"
#include "value/jsonbin.h"

/*
 * Values are written with raw pointers into room reserved once per value
 * (value_bound): the text of millions of rows is the hot path of
 * dm-binlog --format=text.
 */

/* dm_buf_reserve and dm_buf_append with the common case (room left)
 * inline. */
static inline int reserve(dm_buf *b, size_t n)
{
	return b->data && n < b->cap - b->len ? 0 : dm_buf_reserve(b, n);
}

static inline int append(dm_buf *b, const void *p, size_t n)
{
	if (reserve(b, n))
		return DM_E_NO_MEMORY;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

/* 'text' with bytes below 0x20 as \xNN, the rest as they are: at most
 * 4 * n + 2 bytes. */
static char *emit_quoted(char *o, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t k;

	*o++ = '\'';
	for (k = 0; k < n; k++) {
		unsigned char c;
		uint64_t w;

#ifdef __SSE2__
		/* Sixteen bytes at a time while none is below 0x20:
		 * max(b, 0x20) == b for each byte that is not. */
		while (n - k >= 16) {
			const void *src = p + k;
			__m128i x = _mm_loadu_si128((const __m128i *)src);
			__m128i ok = _mm_cmpeq_epi8(
				_mm_max_epu8(x, _mm_set1_epi8(0x20)), x);

			if (_mm_movemask_epi8(ok) != 0xffff)
				break;
			_mm_storeu_si128((__m128i *)(void *)o, x);
			o += 16;
			k += 16;
		}
#endif
		/* Eight bytes at a time while none is below 0x20 (the test
		 * flags every word that has one). */
		while (n - k >= 8) {
			memcpy(&w, p + k, 8);
			if ((w - 0x2020202020202020ULL) & ~w &
			    0x8080808080808080ULL)
				break;
			memcpy(o, &w, 8);
			o += 8;
			k += 8;
		}
		if (k == n)
			break;
		c = (unsigned char)p[k];

		if (c > 0x1f) {
			*o++ = (char)c;
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o++ = '\'';
	return o;
}

static int put_quoted(dm_buf *out, const char *p, size_t n)
{
	char *o;

	if (n > (SIZE_MAX - 2) / 4 || dm_buf_reserve(out, 4 * n + 2))
		return DM_E_NO_MEMORY;
	o = emit_quoted(out->data + out->len, p, n);
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
	return 0;
}

/* The bytes as stored, first to last, each most significant bit first;
 * only the last `nbits` bits: at most 67 bytes. */
static char *emit_bits(char *o, const unsigned char *bytes, unsigned nbits)
{
	unsigned nbits8 = (nbits + 7) / 8 * 8, k;

	*o++ = 'b';
	*o++ = '\'';
	for (k = nbits8 - nbits; k < nbits8; k++)
		*o++ = (bytes[k / 8] >> (7 - k % 8)) & 1 ? '1' : '0';
	*o++ = '\'';
	return o;
}

static unsigned digits_u64(uint64_t v)
{
	unsigned n = 1;

	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000;
		n += 4;
	}
}

/* v in decimal, two digits per step, written in place. */
static char *emit_u64(char *o, uint64_t v)
{
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930"
		"31323334353637383940414243444546474849505152535455565758596061"
		"62636465666768697071727374757677787980818283848586878889909192"
		"93949596979899";
	char *end = o + digits_u64(v), *q = end;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		*--q = pairs[d + 1];
		*--q = pairs[d];
	}
	if (v >= 10) {
		*--q = pairs[v * 2 + 1];
		*--q = pairs[v * 2];
	} else {
		*--q = (char)('0' + v);
	}
	return end;
}

static char *emit_i64(char *o, int64_t v)
{
	if (v < 0) {
		*o++ = '-';
		return emit_u64(o, (uint64_t)0 - (uint64_t)v);
	}
	return emit_u64(o, (uint64_t)v);
}

/* v in exactly `width` digits (zero-padded). */
static char *fixed(char *p, unsigned v, unsigned width)
{
	unsigned k;

	for (k = width; k > 0; k--) {
		p[k - 1] = (char)('0' + v % 10);
		v /= 10;
	}
	return p + width;
}

/* At least two digits, more when needed (hours of TIME). */
static char *min2(char *p, unsigned v)
{
	if (v < 10)
		*p++ = '0';
	return emit_u64(p, v);
}

/* The signed reading of an integer of `bytes` bytes and, when negative,
 * its unsigned reading in parentheses. */
static char *emit_ints(char *o, const dm_value *v, unsigned bytes)
{
	uint64_t raw = v->kind == DM_VALUE_UINT ? v->v.u : (uint64_t)v->v.i;
	unsigned sh = 64 - 8 * bytes;
	uint64_t ui = sh ? raw & (UINT64_MAX >> sh) : raw;
	int64_t si = sh ? (int64_t)(ui << sh) >> sh : (int64_t)ui;

	o = emit_i64(o, si);
	if (si < 0) {
		*o++ = ' ';
		*o++ = '(';
		o = emit_u64(o, ui);
		*o++ = ')';
	}
	return o;
}

/* One diff: operation, path, and (unless REMOVE) a binary JSON value. */
static bool next_diff(dm__cur *c, uint8_t *op, dm_str *path,
		      const unsigned char **val, size_t *vlen)
{
	uint64_t plen, l = 0;
	const unsigned char *pp;

	if (!cur_u8(c, op) || *op > 2 || !cur_packed(c, &plen) ||
	    plen > cur_left(c) || !cur_take(c, (size_t)plen, &pp))
		return false;
	*path = (dm_str){ (const char *)pp, (size_t)plen };
	*val = NULL;
	*vlen = 0;
	if (*op == 2)
		return true;
	if (!cur_packed(c, &l) || l > cur_left(c) ||
	    !cur_take(c, (size_t)l, val))
		return false;
	*vlen = (size_t)l;
	return true;
}

/* JSON diffs as nested JSON_REPLACE/JSON_INSERT/JSON_REMOVE calls on
 * `@N`, the first diff innermost. */
static int put_json_diffs(dm_buf *out, const dm_value *v, size_t colno,
			  dm_error **err)
{
	static const char *const fn[] = { "JSON_REPLACE(", "JSON_INSERT(",
					  "JSON_REMOVE(" };
	dm__cur c = cur_make(v->v.str.ptr, v->v.str.len);
	dm_buf ops = DM_BUF_INIT, tmp = DM_BUF_INIT;
	const unsigned char *val;
	char num[24];
	size_t vlen, k;
	dm_str path;
	uint8_t op;
	int rc = 0;

	while (cur_left(&c) > 0 && !rc) {
		if (!next_diff(&c, &op, &path, &val, &vlen)) {
			rc = dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
					  "malformed JSON diff at offset %zu",
					  c.i);
			goto out_free;
		}
		rc = dm_buf_putc(&ops, (char)op);
	}
	for (k = ops.len; k > 0 && !rc; k--)
		rc = dm_buf_puts(out, fn[(unsigned char)ops.data[k - 1]]);
	if (!rc)
		rc = dm_buf_putc(out, '@');
	if (!rc)
		rc = dm_buf_append(out, num,
				   (size_t)(emit_u64(num, colno) - num));
	c = cur_make(v->v.str.ptr, v->v.str.len);
	while (cur_left(&c) > 0 && !rc) {
		next_diff(&c, &op, &path, &val, &vlen);
		rc = dm_buf_puts(out, ", ");
		if (!rc)
			rc = put_quoted(out, path.ptr, path.len);
		if (!rc && op != 2) {
			dm_buf_clear(&tmp);
			rc = dm__jsonbin_to_text(&tmp, val, vlen, err);
			if (rc)
				goto out_free;
			rc = dm_buf_puts(out, ", CAST(");
			if (!rc)
				rc = put_quoted(out, tmp.data ? tmp.data : "",
						tmp.len);
			if (!rc)
				rc = dm_buf_puts(out, " AS JSON)");
		}
		if (!rc)
			rc = dm_buf_putc(out, ')');
	}
	if (rc)
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
out_free:
	dm_buf_free(&ops);
	dm_buf_free(&tmp);
	return rc;
}

/* Room emit_value needs for `v`, or 0 when it is printed the slow way
 * (JSON). */
static size_t value_bound(const dm_value *v)
{
	switch (v->kind) {
	case DM_VALUE_STRING:
	case DM_VALUE_BYTES:
	case DM_VALUE_GEOMETRY:
	case DM_VALUE_VECTOR:
	case DM_VALUE_JSON:
		if (v->v.str.len > (SIZE_MAX - 2) / 4)
			return 0;
		return 4 * v->v.str.len + 2;
	case DM_VALUE_DECIMAL:
		return v->v.str.len;
	case DM_VALUE_JSON_BINARY:
	case DM_VALUE_JSON_DIFF:
	case DM_VALUE_ABSENT:
		return 0;
	case DM_VALUE_FLOAT:
	case DM_VALUE_DOUBLE:
		return 340;
	default:
		return 96;
	}
}

/* Writes a value value_bound() has room for. */
static char *emit_value(char *o, const dm_value *v, uint8_t type,
			unsigned set_bytes)
{
	switch (v->kind) {
	case DM_VALUE_NULL:
		memcpy(o, "NULL", 4);
		return o + 4;
	case DM_VALUE_INT:
	case DM_VALUE_UINT:
		switch (type) {
		case DM_TYPE_TINY: return emit_ints(o, v, 1);
		case DM_TYPE_SHORT: return emit_ints(o, v, 2);
		case DM_TYPE_INT24: return emit_ints(o, v, 3);
		case DM_TYPE_LONG: return emit_ints(o, v, 4);
		default: return emit_ints(o, v, 8);
		}
	case DM_VALUE_FLOAT:
		/* The tool's own formats, padding included. */
		return o + snprintf(o, 340, "%-20g", (double)v->v.f);
	case DM_VALUE_DOUBLE:
		return o + snprintf(o, 340, "%-.20g", v->v.d);
	case DM_VALUE_DECIMAL:
		memcpy(o, v->v.str.ptr, v->v.str.len);
		return o + v->v.str.len;
	case DM_VALUE_BYTES:
		if (v->type == DM_TYPE_STRING) {
			/* BINARY(n): the decoder put back the zero bytes the
			 * server stripped; the binlog (and mariadb-binlog)
			 * shows the value without them. */
			size_t n = v->v.str.len;

			while (n > 0 && v->v.str.ptr[n - 1] == '\0')
				n--;
			return emit_quoted(o, v->v.str.ptr, n);
		}
		return emit_quoted(o, v->v.str.ptr, v->v.str.len);
	case DM_VALUE_STRING:
	case DM_VALUE_GEOMETRY:
	case DM_VALUE_VECTOR:
	case DM_VALUE_JSON:
		return emit_quoted(o, v->v.str.ptr, v->v.str.len);
	case DM_VALUE_YEAR: {
		unsigned y = (unsigned)(v->v.u ? v->v.u : 1900);

		return y > 9999 ? emit_u64(o, y) : fixed(o, y, 4);
	}
	case DM_VALUE_DATE:
		*o++ = '\'';
		o = fixed(o, v->v.time.year, 4);
		*o++ = ':';
		o = fixed(o, v->v.time.month, 2);
		*o++ = ':';
		o = fixed(o, v->v.time.day, 2);
		*o++ = '\'';
		return o;
	case DM_VALUE_TIME:
	case DM_VALUE_DATETIME: {
		const dm_time *t = &v->v.time;
		unsigned fsp = t->fsp > 6 ? 6 : t->fsp;

		*o++ = '\'';
		if (v->kind == DM_VALUE_TIME) {
			if (t->negative)
				*o++ = '-';
			o = min2(o, t->hour);
		} else {
			o = fixed(o, t->year, 4);
			*o++ = '-';
			o = fixed(o, t->month, 2);
			*o++ = '-';
			o = fixed(o, t->day, 2);
			*o++ = ' ';
			o = fixed(o, t->hour, 2);
		}
		*o++ = ':';
		o = fixed(o, t->minute, 2);
		*o++ = ':';
		o = fixed(o, t->second, 2);
		if (fsp) {
			char f[6];

			fixed(f, t->microsecond % 1000000u, 6);
			*o++ = '.';
			memcpy(o, f, fsp);
			o += fsp;
		}
		*o++ = '\'';
		return o;
	}
	case DM_VALUE_TIMESTAMP:
		if (type == DM_TYPE_TIMESTAMP && !v->v.ts.fsp)
			return emit_i64(o, (int32_t)v->v.ts.sec);
		o = emit_i64(o, v->v.ts.sec);
		if (v->v.ts.fsp) {
			char f[6];
			unsigned fsp = v->v.ts.fsp > 6 ? 6 : v->v.ts.fsp;

			fixed(f, v->v.ts.usec % 1000000u, 6);
			*o++ = '.';
			memcpy(o, f, fsp);
			o += fsp;
		}
		return o;
	case DM_VALUE_BIT: {
		unsigned char b[8];
		unsigned n = (v->v.bit.nbits + 7) / 8, k, nbits = v->v.bit.nbits;

		if (n == 0 || n > 8) {
			n = 8;
			nbits = 64;
		}
		for (k = 0; k < n; k++)
			b[k] = (unsigned char)(v->v.bit.bits >> (8 * (n - 1 - k)));
		return emit_bits(o, b, nbits);
	}
	case DM_VALUE_ENUM:
		return emit_i64(o, (int)v->v.enm.index);
	case DM_VALUE_SET: {
		unsigned char b[8];
		unsigned n = set_bytes >= 1 && set_bytes <= 8 ? set_bytes : 8, k;

		for (k = 0; k < n; k++)
			b[k] = (unsigned char)(v->v.set.mask >> (8 * k));
		return emit_bits(o, b, n * 8);
	}
	default:
		return o;
	}
}

/* Appends one value (the slow way for JSON). */
static int put_value(dm_buf *out, const dm_value *v,
		     const dm_binlog_column *col, size_t colno, dm_error **err)
{
	uint8_t type = col ? col->real_type : v->type;
	size_t bound = value_bound(v);
	char *o;

	if (bound) {
		if (dm_buf_reserve(out, bound))
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		o = emit_value(out->data + out->len, v, type,
			       col ? col->pack_length : 0);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		return 0;
	}
	switch (v->kind) {
	case DM_VALUE_JSON_BINARY: {
		dm_buf tmp = DM_BUF_INIT;
		int rc = dm__jsonbin_to_text(&tmp,
					     (const unsigned char *)v->v.str.ptr,
					     v->v.str.len, err);

		if (!rc && put_quoted(out, tmp.data ? tmp.data : "", tmp.len))
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		dm_buf_free(&tmp);
		return rc;
	}
	case DM_VALUE_JSON_DIFF:
		return put_json_diffs(out, v, colno, err);
	case DM_VALUE_ABSENT:
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_format_value_text: the column "
				    "is not in the row image");
	default:
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
}

DM_API int dm_binlog_format_value_text(dm_buf *out, const dm_value *v,
				       const dm_binlog_column *col,
				       dm_error **err)
{
	if (!out || !v)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_format_value_text: NULL "
				    "argument");
	if (v->kind > DM_VALUE_JSON_DIFF)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_format_value_text: unknown "
				    "value kind %d", (int)v->kind);
	return put_value(out, v, col, 0, err);
}

/* `name` in backticks, inner backticks doubled. */
static int put_ident(dm_buf *out, const dm_str *s)
{
	size_t k, start = 0;
	int rc = append(out, "`", 1);

	for (k = 0; k < s->len && !rc; k++) {
		if (s->ptr[k] != '`')
			continue;
		/* Up to and with this backtick, then another. */
		rc = append(out, s->ptr + start, k + 1 - start);
		if (!rc)
			rc = append(out, "`", 1);
		start = k + 1;
	}
	if (!rc)
		rc = append(out, s->ptr + start, s->len - start);
	return rc ? rc : append(out, "`", 1);
}

/* A value that cannot be printed: say where it is. */
static int value_error(const dm_binlog_event *ev, size_t row, size_t col,
		       int rc, dm_error **err)
{
	char msg[512];

	if (rc == DM_E_NO_MEMORY || !err)
		return rc;
	snprintf(msg, sizeof(msg), "%s", *err ? dm_error_message(*err) : "");
	dm_error_free(*err);
	*err = NULL;
	return dm_error_set(err, rc, "%s:%" PRIu64 ": %s event: row %zu, "
			    "column %zu: %s", ev->file, ev->pos,
			    dm_binlog_event_type_name(ev->type), row, col, msg);
}

static int put_image(dm_buf *out, const char *clause, const dm_value *vals,
		     const dm_binlog_table *t, size_t ncols,
		     const dm_binlog_event *ev, size_t row, dm_error **err)
{
	size_t i;
	int rc;

	if (append(out, clause, strlen(clause)))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	for (i = 0; i < ncols; i++) {
		const dm_value *v = &vals[i];
		size_t bound;
		char *o;

		if (v->kind == DM_VALUE_ABSENT)
			continue;
		bound = value_bound(v);
		if (bound > SIZE_MAX - 32 || reserve(out, 32 + bound))
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		o = out->data + out->len;
		memcpy(o, "###   @", 7);
		o = emit_u64(o + 7, i + 1);
		*o++ = '=';
		if (bound) {
			/* The common case: prefix, value, newline at once. */
			o = emit_value(o, v, t->cols[i].real_type,
				       t->cols[i].pack_length);
			*o++ = '\n';
			out->len = (size_t)(o - out->data);
			out->data[out->len] = '\0';
			continue;
		}
		out->len = (size_t)(o - out->data);
		rc = put_value(out, v, &t->cols[i], i + 1, err);
		if (rc)
			return value_error(ev, row, i + 1, rc, err);
		if (dm_buf_putc(out, '\n'))
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	return 0;
}

DM_API int dm_binlog_format_rows_text(dm_buf *out, dm_binlog_decoder *d,
				      const dm_binlog_event *ev,
				      dm_error **err)
{
	const dm_binlog_rows *r;
	const dm_binlog_table *t;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	const char *cmd, *c1, *c2 = NULL;
	dm_buf *head;
	int rc;

	if (!out || !d || !ev)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_format_rows_text: NULL argument");
	if (ev->kind != DM_BINLOG_KIND_ROWS)
		return dm_error_set(err, DM_E_BINLOG_EXPECT_ROWS_EV,
				    "%s:%" PRIu64 ": %s event has no rows",
				    ev->file, ev->pos,
				    dm_binlog_event_type_name(ev->type));
	r = &ev->u.rows;
	t = r->table;
	if (!t)
		return dm_buf_printf(out, "### Row event for unknown table #%"
				     PRIu64, r->table_id) ?
			dm_error_set(err, DM_E_NO_MEMORY, NULL) : 0;
	switch (r->action) {
	case DM_BINLOG_ROWS_WRITE:
		cmd = "INSERT INTO";
		c1 = "### SET\n";
		break;
	case DM_BINLOG_ROWS_DELETE:
		cmd = "DELETE FROM";
		c1 = "### WHERE\n";
		break;
	default:
		cmd = "UPDATE";
		c1 = "### WHERE\n";
		c2 = "### SET\n";
		break;
	}
	if (r->action == DM_BINLOG_ROWS_WRITE && r->data_len == 0) {
		if (dm_buf_puts(out, "### INSERT INTO ") ||
		    put_ident(out, &t->schema) || dm_buf_putc(out, '.') ||
		    put_ident(out, &t->name) || dm_buf_puts(out, " VALUES ()\n"))
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		return 0;
	}
	rc = dm_binlog_rows_open(&it, d, ev, err);
	if (rc)
		return rc;
	/* Each row's first line, built once per event in a buffer the
	 * decoder keeps. */
	head = &d->rows_head;
	dm_buf_truncate(head, 0);
	if (append(head, "### ", 4) || append(head, cmd, strlen(cmd)) ||
	    append(head, " ", 1) || put_ident(head, &t->schema) ||
	    append(head, ".", 1) || put_ident(head, &t->name) ||
	    append(head, "\n", 1))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	while ((rc = dm_binlog_rows_next(it, &bv, &av, err)) == 0) {
		size_t row = dm_binlog_rows_index(it) + 1;

		if (append(out, head->data, head->len)) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			break;
		}
		rc = put_image(out, c1, r->action == DM_BINLOG_ROWS_WRITE ? av : bv,
			       t, (size_t)r->ncols, ev, row, err);
		if (!rc && c2)
			rc = put_image(out, c2, av, t, (size_t)r->ncols, ev, row,
				       err);
		if (rc)
			break;
	}
	return rc == DM_DONE ? 0 : rc;
}
