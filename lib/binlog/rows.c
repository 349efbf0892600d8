/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rows events: the header (table id, flags, v2 extra data, column bitmaps)
 * at decode time, and the rows themselves lazily, one row per call, into
 * value arrays the decoder owns and reuses (no allocation per row).
 */
#include <inttypes.h>
#include <string.h>

#include "binlog/binlog_private.h"
#include "binlog/cursor.h"
#include "value/jsonbin.h"
#include "util/alloc.h"

#define FAIL(...) dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE, __VA_ARGS__)

/* ---------------------------------------------------------------- decimal */

static const uint8_t dig2bytes[10] = { 0, 1, 1, 2, 2, 3, 3, 4, 4, 4 };
static const uint32_t pow10u[10] = { 1, 10, 100, 1000, 10000, 100000,
				     1000000, 10000000, 100000000,
				     1000000000 };

size_t dm__binlog_decimal_size(unsigned precision, unsigned scale)
{
	unsigned intg, fr;

	if (precision < 1 || precision > 65 || scale > precision || scale > 38)
		return 0;
	intg = precision - scale;
	fr = scale;
	return (size_t)(intg / 9) * 4 + dig2bytes[intg % 9] +
	       (size_t)(fr / 9) * 4 + dig2bytes[fr % 9];
}

/* Reads k (0..4) big-endian bytes, flipping with `mask`. */
static uint32_t dec_word(const unsigned char *p, size_t k, unsigned char mask,
			 bool first)
{
	uint32_t v = 0;
	size_t j;

	for (j = 0; j < k; j++) {
		unsigned char b = p[j];

		if (first && j == 0)
			b ^= 0x80;
		v = (v << 8) | (unsigned char)(b ^ mask);
	}
	return v;
}

static char *put_padded(char *o, uint32_t v, unsigned width)
{
	char tmp[10];
	unsigned k;

	for (k = 0; k < width; k++) {
		tmp[width - 1 - k] = (char)('0' + v % 10);
		v /= 10;
	}
	memcpy(o, tmp, width);
	return o + width;
}

size_t dm__binlog_decimal_text(char *out, const unsigned char *p,
			       unsigned precision, unsigned scale)
{
	unsigned intg = precision - scale;
	unsigned intg0 = intg / 9, intg0x = intg % 9;
	unsigned frac0 = scale / 9, frac0x = scale % 9;
	unsigned char mask = (p[0] & 0x80) ? 0 : 0xff;
	char digits[80], *o = digits;
	const unsigned char *q = p;
	bool first = true, lead = true;
	char *s = out;
	unsigned k;
	uint32_t v;

	/* Integer part: a partial group, then whole groups of 9 digits. */
	if (intg0x) {
		size_t nb = dig2bytes[intg0x];

		v = dec_word(q, nb, mask, first);
		first = false;
		q += nb;
		if (v >= pow10u[intg0x])
			return 0;
		if (v) {
			o = put_padded(o, v, intg0x);
			lead = false;
		}
	}
	for (k = 0; k < intg0; k++) {
		v = dec_word(q, 4, mask, first);
		first = false;
		q += 4;
		if (v >= 1000000000u)
			return 0;
		if (lead && v == 0)
			continue;
		o = put_padded(o, v, 9);
		lead = false;
	}
	/* A negative zero keeps its sign when it has decimals and reads as
	 * plain 0 without (as MySQL's bin2decimal normalizes it). */
	if (mask && !(scale == 0 && o == digits))
		*s++ = '-';
	if (o == digits) {
		*s++ = '0';
	} else {
		/* Strip the zeros the padding put in front. */
		char *z = digits;

		while (z < o - 1 && *z == '0')
			z++;
		memcpy(s, z, (size_t)(o - z));
		s += o - z;
	}
	if (scale) {
		*s++ = '.';
		for (k = 0; k < frac0; k++) {
			v = dec_word(q, 4, mask, first);
			first = false;
			q += 4;
			if (v >= 1000000000u)
				return 0;
			s = put_padded(s, v, 9);
		}
		if (frac0x) {
			size_t nb = dig2bytes[frac0x];

			v = dec_word(q, nb, mask, first);
			q += nb;
			if (v >= pow10u[frac0x])
				return 0;
			s = put_padded(s, v, frac0x);
		}
	}
	*s = '\0';
	return (size_t)(s - out);
}

/* ------------------------------------------------------------- the header */

static dm_binlog_rows_action action_of(int type)
{
	switch (type) {
	case DM_BINLOG_PRE_GA_WRITE_ROWS_EVENT:
	case DM_BINLOG_WRITE_ROWS_EVENT_V1:
	case DM_BINLOG_WRITE_ROWS_EVENT:
	case DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
	case DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT:
		return DM_BINLOG_ROWS_WRITE;
	case DM_BINLOG_PRE_GA_UPDATE_ROWS_EVENT:
	case DM_BINLOG_UPDATE_ROWS_EVENT_V1:
	case DM_BINLOG_UPDATE_ROWS_EVENT:
	case DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
	case DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT:
		return DM_BINLOG_ROWS_UPDATE;
	case DM_BINLOG_PARTIAL_UPDATE_ROWS_EVENT:
		return DM_BINLOG_ROWS_PARTIAL_UPDATE;
	default:
		return DM_BINLOG_ROWS_DELETE;
	}
}

static uint8_t version_of(int type)
{
	if (type >= DM_BINLOG_PRE_GA_WRITE_ROWS_EVENT &&
	    type <= DM_BINLOG_PRE_GA_DELETE_ROWS_EVENT)
		return 0;
	if ((type >= DM_BINLOG_WRITE_ROWS_EVENT_V1 &&
	     type <= DM_BINLOG_DELETE_ROWS_EVENT_V1) ||
	    (type >= DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1 &&
	     type <= DM_BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1))
		return 1;
	return 2;
}

static int parse_extra(dm_binlog_decoder *d, dm_binlog_rows *r,
		       const unsigned char *p, size_t n, dm_error **err)
{
	dm__cur c = cur_make(p, n);
	uint8_t kind, len, fmt;
	uint16_t v;

	r->extra = (dm_str){ (const char *)p, n };
	if (n == 0)
		return 0;
	cur_u8(&c, &kind);
	if (kind == 0) {
		/* NDB: length (of the whole info), format, data. */
		const unsigned char *data;

		if (!cur_u8(&c, &len) || !cur_u8(&c, &fmt) || len < 2 ||
		    !cur_take(&c, (size_t)len - 2, &data))
			return FAIL("truncated NDB extra row info");
		r->has_ndb_info = true;
		r->ndb_info = (dm_str){ (const char *)data, (size_t)len - 2 };
		return 0;
	}
	if (kind == 1) {
		if (!cur_u16(&c, &v))
			return FAIL("truncated partition id");
		r->has_partition = true;
		r->partition_id = v;
		if (r->action == DM_BINLOG_ROWS_UPDATE ||
		    r->action == DM_BINLOG_ROWS_PARTIAL_UPDATE) {
			if (!cur_u16(&c, &v))
				return FAIL("truncated source partition id");
			r->source_partition_id = v;
		}
		return 0;
	}
	/* Unknown extra info: kept raw. */
	return 0;
}

int dm__binlog_rows_header(dm_binlog_decoder *d, dm_binlog_event *ev,
			   dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_rows *r = &ev->u.rows;
	size_t idsz = dm__binlog_table_id_size(d, ev->type);
	size_t bm;
	const unsigned char *p;
	uint64_t id;
	dm__table *t;
	int rc;

	r->action = action_of(ev->type);
	r->version = version_of(ev->type);
	r->compressed = ev->type >= DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1;
	r->source_partition_id = -1;
	if (!cur_le(&c, idsz, &id) || !cur_u16(&c, &r->flags))
		return FAIL("truncated post-header");
	r->table_id = id;
	if (r->version == 2) {
		uint16_t elen;

		if (!cur_u16(&c, &elen))
			return FAIL("truncated extra-data length");
		if (elen < 2 || !cur_take(&c, (size_t)elen - 2, &p))
			return FAIL("extra data of %u bytes does not fit the "
				    "%zu-byte body", elen, ev->body_len);
		rc = parse_extra(d, r, p, (size_t)elen - 2, err);
		if (rc)
			return rc;
	}
	if (!cur_packed(&c, &r->ncols))
		return FAIL("truncated column count");
	if (r->ncols == 0 || r->ncols > 65535)
		return FAIL("column count %" PRIu64 " is not valid", r->ncols);
	bm = ((size_t)r->ncols + 7) / 8;
	if (!cur_take(&c, bm, &r->cols_before))
		return FAIL("truncated column bitmap");
	r->cols_after = r->cols_before;
	if (r->action == DM_BINLOG_ROWS_UPDATE ||
	    r->action == DM_BINLOG_ROWS_PARTIAL_UPDATE) {
		if (!cur_take(&c, bm, &r->cols_after))
			return FAIL("truncated after-image column bitmap");
	}
	r->data = cur_here(&c);
	r->data_len = cur_left(&c);
	if (r->compressed) {
		dm_buf *out = ev->inner ? &d->unz_inner : &d->unz_outer;

		rc = dm__binlog_mariadb_uncompress(d, out, r->data, r->data_len,
						   "rows", err);
		if (rc)
			return rc;
		r->data = (const unsigned char *)out->data;
		r->data_len = out->len;
	}
	t = dm__binlog_table_get(d, id);
	r->table = t ? &t->pub : NULL;
	ev->kind = DM_BINLOG_KIND_ROWS;
	return 0;
}

/* -------------------------------------------------------------- the rows */

static int ensure_scratch(dm_binlog_decoder *d, size_t ncols, bool json,
			  dm_error **err)
{
	if (ncols > d->vals_cap) {
		dm_value *v = dm__reallocarray(d->vals, ncols, 2 * sizeof(*v));
		char(*dec)[DM__VALUE_SCRATCH];

		if (!v)
			return dm__binlog_nomem(err);
		d->vals = v;
		dec = dm__reallocarray(d->dec, ncols, 2 * sizeof(*dec));
		if (!dec)
			return dm__binlog_nomem(err);
		d->dec = dec;
		d->vals_cap = ncols;
	}
	if (json && ncols > d->json_cap) {
		dm_buf *j = dm__reallocarray(d->json, ncols, sizeof(*j));

		if (!j)
			return dm__binlog_nomem(err);
		memset(j + d->json_cap, 0, (ncols - d->json_cap) * sizeof(*j));
		d->json = j;
		d->json_cap = ncols;
	}
	return 0;
}

/* Bits set in a byte (no popcnt instruction assumed). */
static inline size_t popcount8(unsigned b)
{
	static const unsigned char nib[16] = { 0, 1, 1, 2, 1, 2, 2, 3,
					       1, 2, 2, 3, 2, 3, 3, 4 };

	return (size_t)nib[b & 15] + nib[(b >> 4) & 15];
}

DM_API int dm_binlog_rows_open(dm_binlog_row_iter **out, dm_binlog_decoder *d,
			       const dm_binlog_event *ev, dm_error **err)
{
	/* Copied rather than memset: a few vector stores, no "rep stos". */
	static const struct dm_binlog_row_iter zero_iter;
	struct dm_binlog_row_iter *it;
	const dm_binlog_rows *r;
	int rc;

	if (!out || !d || !ev)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_rows_open: NULL argument");
	*out = NULL;
	if (ev != &d->ev && ev != &d->inner)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_rows_open: the event was not "
				    "decoded by this decoder");
	if (ev->kind != DM_BINLOG_KIND_ROWS)
		return dm_error_set(err, DM_E_BINLOG_EXPECT_ROWS_EV,
				    "%s:%" PRIu64 ": %s event has no rows",
				    ev->file, ev->pos,
				    dm_binlog_event_type_name(ev->type));
	r = &ev->u.rows;
	d->cur_file = ev->file;
	d->cur_pos = ev->pos;
	d->cur_type = ev->type;
	d->cur_inner = ev->inner;
	if (!r->table)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EXPECT_TABLE_MAP_EV,
				       "table id %" PRIu64 " is not mapped: no "
				       "TABLE_MAP event for it was decoded",
				       r->table_id);
	if (r->ncols > r->table->ncols)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_ROW_LENGTH_NOT_EQ,
				       "rows have %" PRIu64 " columns, table "
				       "`%s`.`%s` has %zu", r->ncols,
				       r->table->schema.ptr, r->table->name.ptr,
				       r->table->ncols);
	rc = ensure_scratch(d, (size_t)r->ncols,
			    r->action == DM_BINLOG_ROWS_PARTIAL_UPDATE, err);
	if (rc)
		return rc;
	it = &d->rows;
	*it = zero_iter;
	it->d = d;
	it->ev = ev;
	it->table = (const dm__table *)r->table;
	it->p = r->data;
	it->n = r->data_len;
	{
		size_t nfull = (size_t)r->ncols / 8, rest = (size_t)r->ncols % 8;
		size_t i, k;

		for (k = 0; k < 2; k++) {
			const unsigned char *bm = k ? r->cols_after : r->cols_before;
			size_t n = 0;

			for (i = 0; i < nfull; i++)
				n += popcount8(bm[i]);
			if (rest)
				n += popcount8(bm[nfull] & ((1u << rest) - 1));
			it->present[k] = n;
			it->all[k] = n == (size_t)r->ncols;
		}
	}
	*out = it;
	return 0;
}

DM_API size_t dm_binlog_rows_index(const dm_binlog_row_iter *it)
{
	return it && it->row ? it->row - 1 : 0;
}

static inline bool bit_set(const unsigned char *bm, size_t i)
{
	return (bm[i >> 3] >> (i & 7)) & 1;
}

static const char *col_name(const dm_binlog_column *col)
{
	return col->name.len ? col->name.ptr : "";
}

/* Positioned error for a value. */
#define VFAIL(fmt, ...) \
	dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE, \
			"row %zu, column %zu%s%.*s%s (%s): " fmt, it->row + 1, \
			ci + 1, col->name.len ? " `" : "", \
			(int)col->name.len, col_name(col), \
			col->name.len ? "`" : "", dm_type_name(col->real_type), \
			__VA_ARGS__)

static void set_time_packed_datetime(dm_time *t, int64_t packed)
{
	uint64_t tmp = packed < 0 ? (uint64_t)0 - (uint64_t)packed : (uint64_t)packed;
	uint64_t ymdhms = tmp >> 24, ymd = ymdhms >> 17, ym = ymd >> 5;
	uint64_t hms = ymdhms % (1 << 17);

	t->microsecond = (uint32_t)(tmp % (1 << 24));
	t->day = (uint8_t)(ymd % (1 << 5));
	t->month = (uint8_t)(ym % 13);
	t->year = (uint16_t)(ym / 13);
	t->second = (uint8_t)(hms % (1 << 6));
	t->minute = (uint8_t)((hms >> 6) % (1 << 6));
	t->hour = (uint16_t)(hms >> 12);
}

/* Fractional part of the *2 types: fsp digits in (fsp + 1) / 2 bytes. */
static bool frac_part(dm__cur *c, unsigned fsp, int64_t *out, bool time_neg_fix,
		      int64_t *intpart)
{
	uint64_t v;

	*out = 0;
	switch (fsp) {
	case 0:
		return true;
	case 1:
	case 2:
		if (!cur_be(c, 1, &v))
			return false;
		*out = (int64_t)v;
		if (time_neg_fix && *intpart < 0 && v) {
			(*intpart)++;
			*out -= 0x100;
		}
		*out *= 10000;
		return true;
	case 3:
	case 4:
		if (!cur_be(c, 2, &v))
			return false;
		*out = (int64_t)v;
		if (time_neg_fix && *intpart < 0 && v) {
			(*intpart)++;
			*out -= 0x10000;
		}
		*out *= 100;
		return true;
	default:
		if (!cur_be(c, 3, &v))
			return false;
		*out = (int64_t)v;
		return true;
	}
}

static int decode_value(struct dm_binlog_row_iter *it, dm__cur *c,
			const dm_binlog_column *col, size_t ci, dm_value *v,
			char *dec, dm_error **err)
{
	dm_binlog_decoder *d = it->d;
	const unsigned char *b;
	uint64_t u, len;
	size_t k;

	v->type = col->real_type;
	v->charset = col->charset;
	/* The most common columns first, with fixed-width reads: a 4-byte
	 * INT, and a non-binary CHAR/VARCHAR of one length byte. The switch
	 * below handles them too when the bytes run short. */
	if (col->real_type == DM_TYPE_LONG && cur_left(c) >= 4) {
		uint32_t w = le32_get(cur_here(c));

		c->i += 4;
		if (col->is_unsigned == 1) {
			v->kind = DM_VALUE_UINT;
			v->flags = DM_VALUE_F_UNSIGNED;
			v->v.u = w;
		} else {
			v->kind = DM_VALUE_INT;
			v->flags = col->is_unsigned < 0 ? DM_VALUE_F_SIGN_UNKNOWN : 0;
			v->v.i = (int32_t)w;
		}
		return 0;
	}
	if ((col->real_type == DM_TYPE_STRING ||
	     col->real_type == DM_TYPE_VARCHAR) && col->length_bytes == 1 &&
	    col->charset != 63 && cur_left(c) >= 1 &&
	    (size_t)cur_here(c)[0] < cur_left(c)) {
		len = cur_here(c)[0];
		v->kind = DM_VALUE_STRING;
		v->v.str = (dm_str){ (const char *)cur_here(c) + 1, (size_t)len };
		c->i += 1 + (size_t)len;
		return 0;
	}
	switch (col->real_type) {
	case DM_TYPE_TINY:
		k = 1;
		goto integer;
	case DM_TYPE_SHORT:
		k = 2;
		goto integer;
	case DM_TYPE_INT24:
		k = 3;
		goto integer;
	case DM_TYPE_LONG:
		k = 4;
		goto integer;
	case DM_TYPE_LONGLONG:
		k = 8;
integer:
		if (!cur_le(c, k, &u))
			goto short_read;
		if (col->is_unsigned == 1) {
			v->kind = DM_VALUE_UINT;
			v->flags = DM_VALUE_F_UNSIGNED;
			v->v.u = u;
		} else {
			unsigned sh = (unsigned)(64 - 8 * k);

			v->kind = DM_VALUE_INT;
			v->flags = col->is_unsigned < 0 ? DM_VALUE_F_SIGN_UNKNOWN : 0;
			v->v.i = sh ? (int64_t)(u << sh) >> sh : (int64_t)u;
		}
		return 0;
	case DM_TYPE_FLOAT: {
		uint32_t bits;

		if (!cur_le(c, 4, &u))
			goto short_read;
		bits = (uint32_t)u;
		v->kind = DM_VALUE_FLOAT;
		memcpy(&v->v.f, &bits, 4);
		return 0;
	}
	case DM_TYPE_DOUBLE:
		if (!cur_le(c, 8, &u))
			goto short_read;
		v->kind = DM_VALUE_DOUBLE;
		memcpy(&v->v.d, &u, 8);
		return 0;
	case DM_TYPE_NEWDECIMAL: {
		size_t sz = dm__binlog_decimal_size(col->precision, col->scale);
		size_t tl;

		if (!cur_take(c, sz, &b))
			goto short_read;
		tl = dm__binlog_decimal_text(dec, b, col->precision, col->scale);
		if (!tl)
			return VFAIL("invalid digits in DECIMAL(%u,%u)",
				     col->precision, col->scale);
		v->kind = DM_VALUE_DECIMAL;
		v->v.str = (dm_str){ dec, tl };
		return 0;
	}
	case DM_TYPE_YEAR:
		if (!cur_le(c, 1, &u))
			goto short_read;
		v->kind = DM_VALUE_YEAR;
		v->v.u = u ? u + 1900 : 0;
		return 0;
	case DM_TYPE_DATE:
	case DM_TYPE_NEWDATE:
		if (!cur_le(c, 3, &u))
			goto short_read;
		v->kind = DM_VALUE_DATE;
		memset(&v->v.time, 0, sizeof(v->v.time));
		v->v.time.day = (uint8_t)(u & 31);
		v->v.time.month = (uint8_t)((u >> 5) & 15);
		v->v.time.year = (uint16_t)(u >> 9);
		return 0;
	case DM_TYPE_TIME: {
		int64_t s;

		if (!cur_le(c, 3, &u))
			goto short_read;
		s = (int64_t)(u << 40) >> 40;
		v->kind = DM_VALUE_TIME;
		memset(&v->v.time, 0, sizeof(v->v.time));
		v->v.time.negative = s < 0;
		if (s < 0)
			s = -s;
		v->v.time.hour = (uint16_t)(s / 10000);
		v->v.time.minute = (uint8_t)(s / 100 % 100);
		v->v.time.second = (uint8_t)(s % 100);
		return 0;
	}
	case DM_TYPE_TIME2: {
		int64_t packed, intpart, frac;

		if (col->fsp >= 5) {
			if (!cur_be(c, 6, &u))
				goto short_read;
			packed = (int64_t)u - INT64_C(0x800000000000);
		} else {
			if (!cur_be(c, 3, &u))
				goto short_read;
			intpart = (int64_t)u - 0x800000;
			if (!frac_part(c, col->fsp, &frac, true, &intpart))
				goto short_read;
			packed = intpart * (INT64_C(1) << 24) + frac;
		}
		v->kind = DM_VALUE_TIME;
		memset(&v->v.time, 0, sizeof(v->v.time));
		v->v.time.fsp = col->fsp;
		v->v.time.negative = packed < 0;
		{
			uint64_t t = packed < 0 ? (uint64_t)0 - (uint64_t)packed :
						  (uint64_t)packed;
			uint64_t hms = t >> 24;

			v->v.time.hour = (uint16_t)((hms >> 12) % (1 << 10));
			v->v.time.minute = (uint8_t)((hms >> 6) % (1 << 6));
			v->v.time.second = (uint8_t)(hms % (1 << 6));
			v->v.time.microsecond = (uint32_t)(t % (1 << 24));
		}
		return 0;
	}
	case DM_TYPE_DATETIME: {
		uint64_t dd, tt;

		if (!cur_le(c, 8, &u))
			goto short_read;
		dd = u / 1000000;
		tt = u % 1000000;
		v->kind = DM_VALUE_DATETIME;
		memset(&v->v.time, 0, sizeof(v->v.time));
		v->v.time.year = (uint16_t)(dd / 10000);
		v->v.time.month = (uint8_t)(dd % 10000 / 100);
		v->v.time.day = (uint8_t)(dd % 100);
		v->v.time.hour = (uint16_t)(tt / 10000);
		v->v.time.minute = (uint8_t)(tt % 10000 / 100);
		v->v.time.second = (uint8_t)(tt % 100);
		return 0;
	}
	case DM_TYPE_DATETIME2: {
		int64_t intpart, frac;

		if (!cur_be(c, 5, &u))
			goto short_read;
		intpart = (int64_t)u - INT64_C(0x8000000000);
		if (!frac_part(c, col->fsp, &frac, false, &intpart))
			goto short_read;
		v->kind = DM_VALUE_DATETIME;
		memset(&v->v.time, 0, sizeof(v->v.time));
		set_time_packed_datetime(&v->v.time,
					 intpart * (INT64_C(1) << 24) + frac);
		v->v.time.fsp = col->fsp;
		return 0;
	}
	case DM_TYPE_TIMESTAMP:
		if (!cur_le(c, 4, &u))
			goto short_read;
		v->kind = DM_VALUE_TIMESTAMP;
		v->v.ts.sec = (int64_t)u;
		v->v.ts.usec = 0;
		v->v.ts.fsp = 0;
		return 0;
	case DM_TYPE_TIMESTAMP2: {
		int64_t frac, dummy = 0;

		if (!cur_be(c, 4, &u))
			goto short_read;
		if (!frac_part(c, col->fsp, &frac, false, &dummy))
			goto short_read;
		v->kind = DM_VALUE_TIMESTAMP;
		v->v.ts.sec = (int64_t)u;
		v->v.ts.usec = (uint32_t)frac;
		v->v.ts.fsp = col->fsp;
		return 0;
	}
	case DM_TYPE_VARCHAR:
	case DM_TYPE_VAR_STRING:
	case DM_TYPE_STRING:
		if (!cur_le(c, col->length_bytes, &len))
			goto short_read;
		if (len > cur_left(c))
			return VFAIL("length %" PRIu64 " exceeds the %zu bytes "
				     "left in the event", len, cur_left(c));
		cur_take(c, (size_t)len, &b);
		v->kind = col->charset == 63 ? DM_VALUE_BYTES : DM_VALUE_STRING;
		v->v.str = (dm_str){ (const char *)b, (size_t)len };
		/* The server strips trailing zero bytes of BINARY(n); the
		 * column's value (what SELECT returns) has all n of them. */
		if (col->real_type == DM_TYPE_STRING && col->charset == 63 &&
		    len < col->max_length &&
		    col->max_length <= DM__VALUE_SCRATCH) {
			memcpy(dec, b, (size_t)len);
			memset(dec + len, 0, col->max_length - (size_t)len);
			v->v.str = (dm_str){ dec, col->max_length };
		}
		return 0;
	case DM_TYPE_BLOB:
	case DM_TYPE_TINY_BLOB:
	case DM_TYPE_MEDIUM_BLOB:
	case DM_TYPE_LONG_BLOB:
	case DM_TYPE_GEOMETRY:
	case DM_TYPE_JSON:
	case DM_TYPE_VECTOR:
		if (!cur_le(c, col->length_bytes, &len))
			goto short_read;
		if (len > cur_left(c))
			return VFAIL("length %" PRIu64 " exceeds the %zu bytes "
				     "left in the event", len, cur_left(c));
		cur_take(c, (size_t)len, &b);
		v->v.str = (dm_str){ (const char *)b, (size_t)len };
		if (col->real_type == DM_TYPE_JSON)
			v->kind = DM_VALUE_JSON_BINARY;
		else if (col->real_type == DM_TYPE_GEOMETRY)
			v->kind = DM_VALUE_GEOMETRY;
		else if (col->real_type == DM_TYPE_VECTOR)
			v->kind = DM_VALUE_VECTOR;
		else
			v->kind = col->charset == 63 || col->charset == 0 ?
				DM_VALUE_BYTES : DM_VALUE_STRING;
		return 0;
	case DM_TYPE_ENUM:
		if (!cur_le(c, col->pack_length, &u))
			goto short_read;
		v->kind = DM_VALUE_ENUM;
		v->v.enm.index = u;
		v->v.enm.names = col->members;
		v->v.enm.nnames = col->nmembers;
		return 0;
	case DM_TYPE_SET:
		if (!cur_le(c, col->pack_length, &u))
			goto short_read;
		v->kind = DM_VALUE_SET;
		v->v.set.mask = u;
		v->v.set.names = col->members;
		v->v.set.nnames = col->nmembers;
		return 0;
	case DM_TYPE_BIT:
		if (!cur_be(c, ((size_t)col->bits + 7) / 8, &u))
			goto short_read;
		v->kind = DM_VALUE_BIT;
		v->v.bit.bits = u;
		v->v.bit.nbits = col->bits;
		return 0;
	case DM_TYPE_NULL:
		v->kind = DM_VALUE_NULL;
		return 0;
	default:
		return dm__binlog_fail(d, err, DM_E_BINLOG_COLUMN_TYPE_NOT_SUPPORT,
				       "row %zu, column %zu: type %u is not "
				       "supported", it->row + 1, ci + 1,
				       col->real_type);
	}
short_read:
	return VFAIL("value runs past the end of the event (%zu bytes left)",
		     cur_left(c));
}

/* One row image: optional partial-JSON header, null bitmap, values. */
static int decode_image(struct dm_binlog_row_iter *it, dm__cur *c,
			const unsigned char *cols, dm_value *vals, char (*dec)[DM__VALUE_SCRATCH],
			bool partial, const dm_value *before, dm_error **err)
{
	dm_binlog_decoder *d = it->d;
	const dm_binlog_rows *r = &it->ev->u.rows;
	const dm__table *t = it->table;
	size_t ncols = (size_t)r->ncols, i, idx = 0, jidx = 0;
	size_t present = it->present[cols == r->cols_before ? 0 : 1];
	bool all = it->all[cols == r->cols_before ? 0 : 1];
	const unsigned char *nulls, *pbits = NULL;
	int rc;

	if (partial) {
		uint64_t opts;

		if (!cur_packed(c, &opts))
			return FAIL("row %zu: truncated value options",
				    it->row + 1);
		if (opts & 1) {
			if (!cur_take(c, (t->njson + 7) / 8, &pbits))
				return FAIL("row %zu: truncated partial-JSON "
					    "bitmap", it->row + 1);
		}
	}
	if (!cur_take(c, (present + 7) / 8, &nulls))
		return FAIL("row %zu: truncated null bitmap", it->row + 1);
	for (i = 0; i < ncols; i++) {
		const dm_binlog_column *col = &t->cols[i];
		dm_value *v = &vals[i];
		bool is_partial = false;

		if (!all && !bit_set(cols, i)) {
			v->kind = DM_VALUE_ABSENT;
			v->type = col->real_type;
			v->flags = 0;
			v->charset = col->charset;
			continue;
		}
		if (pbits && col->real_type == DM_TYPE_JSON) {
			is_partial = jidx < t->njson && bit_set(pbits, jidx);
			jidx++;
		}
		if (bit_set(nulls, idx++)) {
			v->kind = DM_VALUE_NULL;
			v->type = col->real_type;
			v->flags = 0;
			v->charset = col->charset;
			continue;
		}
		rc = decode_value(it, c, col, i, v, dec[i], err);
		if (rc)
			return rc;
		if (is_partial) {
			dm_buf *out = &d->json[i];
			const dm_value *bv = before ? &before[i] : NULL;
			dm_error *e = NULL;

			if (!bv || bv->kind != DM_VALUE_JSON_BINARY) {
				/* MINIMAL before image: the diffs stay
				 * diffs, to be applied downstream. */
				v->kind = DM_VALUE_JSON_DIFF;
				continue;
			}
			dm_buf_clear(out);
			rc = dm__jsonbin_apply_diffs(
				out, (const unsigned char *)bv->v.str.ptr,
				bv->v.str.len,
				(const unsigned char *)v->v.str.ptr,
				v->v.str.len, &e);
			if (rc) {
				if (rc == DM_E_NO_MEMORY) {
					dm_error_free(e);
					return dm__binlog_nomem(err);
				}
				rc = FAIL("row %zu, column %zu: %s",
					  it->row + 1, i + 1,
					  e ? dm_error_message(e) :
					  "bad JSON diff");
				dm_error_free(e);
				return rc;
			}
			v->kind = DM_VALUE_JSON;
			v->v.str = (dm_str){ out->data ? out->data : "",
					     out->len };
		}
	}
	return 0;
}

DM_API int dm_binlog_rows_next(dm_binlog_row_iter *it,
			       const dm_value **before,
			       const dm_value **after, dm_error **err)
{
	dm_binlog_decoder *d;
	const dm_binlog_rows *r;
	dm_value *bv, *av;
	dm__cur c;
	int rc;

	if (before)
		*before = NULL;
	if (after)
		*after = NULL;
	if (!it || !it->d)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_rows_next: NULL iterator");
	d = it->d;
	if (it->ev == NULL || d->rows.ev != it->ev)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_rows_next: the iterator's event "
				    "is gone (another event was decoded)");
	if (it->done || it->off >= it->n) {
		it->done = true;
		return DM_DONE;
	}
	r = &it->ev->u.rows;
	d->cur_file = it->ev->file;
	d->cur_pos = it->ev->pos;
	d->cur_type = it->ev->type;
	d->cur_inner = it->ev->inner;
	bv = d->vals;
	av = d->vals + d->vals_cap;
	c = cur_make(it->p, it->n);
	c.i = it->off;
	it->row_start = it->off;
	switch (r->action) {
	case DM_BINLOG_ROWS_WRITE:
		rc = decode_image(it, &c, r->cols_before, av,
				  d->dec + d->vals_cap, false, NULL, err);
		if (!rc && after)
			*after = av;
		break;
	case DM_BINLOG_ROWS_DELETE:
		rc = decode_image(it, &c, r->cols_before, bv, d->dec, false,
				  NULL, err);
		if (!rc && before)
			*before = bv;
		break;
	default:
		rc = decode_image(it, &c, r->cols_before, bv, d->dec, false,
				  NULL, err);
		if (!rc)
			rc = decode_image(it, &c, r->cols_after, av,
					  d->dec + d->vals_cap,
					  r->action == DM_BINLOG_ROWS_PARTIAL_UPDATE,
					  bv, err);
		if (!rc) {
			if (before)
				*before = bv;
			if (after)
				*after = av;
		}
		break;
	}
	if (rc) {
		it->done = true;
		if (before)
			*before = NULL;
		if (after)
			*after = NULL;
		return rc;
	}
	if (c.i == it->off) {
		/* Rows that take no bytes would repeat for ever. */
		it->done = true;
		if (before)
			*before = NULL;
		if (after)
			*after = NULL;
		return FAIL("row %zu takes no bytes (no column in its image) "
			    "yet %zu bytes remain", it->row + 1, it->n - it->off);
	}
	it->off = c.i;
	it->row++;
	return 0;
}
