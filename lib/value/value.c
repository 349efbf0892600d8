/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed values: type names, MySQL's SELECT text, and SQL literals.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "value/jsonbin.h"
#include "dm/db.h"
#include "dm/value.h"

DM_API const char *dm_type_name(int type)
{
	switch (type) {
	case DM_TYPE_DECIMAL: return "decimal";
	case DM_TYPE_TINY: return "tiny";
	case DM_TYPE_SHORT: return "short";
	case DM_TYPE_LONG: return "long";
	case DM_TYPE_FLOAT: return "float";
	case DM_TYPE_DOUBLE: return "double";
	case DM_TYPE_NULL: return "null";
	case DM_TYPE_TIMESTAMP: return "timestamp";
	case DM_TYPE_LONGLONG: return "longlong";
	case DM_TYPE_INT24: return "int24";
	case DM_TYPE_DATE: return "date";
	case DM_TYPE_TIME: return "time";
	case DM_TYPE_DATETIME: return "datetime";
	case DM_TYPE_YEAR: return "year";
	case DM_TYPE_NEWDATE: return "newdate";
	case DM_TYPE_VARCHAR: return "varchar";
	case DM_TYPE_BIT: return "bit";
	case DM_TYPE_TIMESTAMP2: return "timestamp2";
	case DM_TYPE_DATETIME2: return "datetime2";
	case DM_TYPE_TIME2: return "time2";
	case DM_TYPE_TYPED_ARRAY: return "typed_array";
	case DM_TYPE_VECTOR: return "vector";
	case DM_TYPE_JSON: return "json";
	case DM_TYPE_NEWDECIMAL: return "newdecimal";
	case DM_TYPE_ENUM: return "enum";
	case DM_TYPE_SET: return "set";
	case DM_TYPE_TINY_BLOB: return "tiny_blob";
	case DM_TYPE_MEDIUM_BLOB: return "medium_blob";
	case DM_TYPE_LONG_BLOB: return "long_blob";
	case DM_TYPE_BLOB: return "blob";
	case DM_TYPE_VAR_STRING: return "var_string";
	case DM_TYPE_STRING: return "string";
	case DM_TYPE_GEOMETRY: return "geometry";
	default: return "unknown";
	}
}

DM_API bool dm_value_is_null(const dm_value *v)
{
	return v && v->kind == DM_VALUE_NULL;
}

/* Shortest text that reads back as the same double (or float). */
static int put_real(dm_buf *out, double d, bool is_float)
{
	char tmp[40];
	int prec;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (is_float ? strtof(tmp, NULL) == (float)d :
			       strtod(tmp, NULL) == d)
			break;
	}
	return dm_buf_puts(out, tmp);
}

/* Civil date from days since 1970-01-01 (proleptic Gregorian). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, yy;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

static int put_frac(dm_buf *out, uint32_t usec, unsigned fsp)
{
	char tmp[8];
	unsigned k;

	if (fsp == 0)
		return 0;
	if (fsp > 6)
		fsp = 6;
	snprintf(tmp, sizeof(tmp), "%06u", usec % 1000000u);
	for (k = fsp; k < 6; k++)
		tmp[k] = '\0';
	return dm_buf_printf(out, ".%s", tmp);
}

static int put_temporal(dm_buf *out, const dm_value *v)
{
	const dm_time *t = &v->v.time;
	int rc;

	switch (v->kind) {
	case DM_VALUE_DATE:
		return dm_buf_printf(out, "%04u-%02u-%02u", t->year, t->month,
				     t->day);
	case DM_VALUE_DATETIME:
		rc = dm_buf_printf(out, "%04u-%02u-%02u %02u:%02u:%02u",
				   t->year, t->month, t->day, t->hour,
				   t->minute, t->second);
		return rc ? rc : put_frac(out, t->microsecond, t->fsp);
	case DM_VALUE_TIME:
		rc = dm_buf_printf(out, "%s%02u:%02u:%02u",
				   t->negative ? "-" : "", t->hour, t->minute,
				   t->second);
		return rc ? rc : put_frac(out, t->microsecond, t->fsp);
	default: {
		const dm_timestamp *ts = &v->v.ts;
		int64_t days, rem, y;
		unsigned mo, d;

		if (ts->sec == 0 && ts->usec == 0) {
			rc = dm_buf_puts(out, "0000-00-00 00:00:00");
			return rc ? rc : put_frac(out, 0, ts->fsp);
		}
		days = ts->sec / 86400;
		rem = ts->sec % 86400;
		if (rem < 0) {
			rem += 86400;
			days--;
		}
		civil_from_days(days, &y, &mo, &d);
		rc = dm_buf_printf(out, "%04" PRId64 "-%02u-%02u %02u:%02u:%02u",
				   y, mo, d, (unsigned)(rem / 3600),
				   (unsigned)(rem / 60 % 60),
				   (unsigned)(rem % 60));
		return rc ? rc : put_frac(out, ts->usec, ts->fsp);
	}
	}
}

static int put_bit_bytes(dm_buf *out, const dm_value *v)
{
	unsigned nbytes = (v->v.bit.nbits + 7) / 8, k;
	char b[8];

	if (nbytes == 0 || nbytes > 8)
		nbytes = 8;
	for (k = 0; k < nbytes; k++)
		b[k] = (char)(v->v.bit.bits >> (8 * (nbytes - 1 - k)));
	return dm_buf_append(out, b, nbytes);
}

static int put_set_names(dm_buf *out, const dm_value *v)
{
	size_t k;
	bool first = true;
	int rc = 0;

	for (k = 0; k < v->v.set.nnames && k < 64 && !rc; k++) {
		if (!(v->v.set.mask & (UINT64_C(1) << k)))
			continue;
		if (!first)
			rc = dm_buf_putc(out, ',');
		if (!rc)
			rc = dm_buf_append(out, v->v.set.names[k].ptr,
					   v->v.set.names[k].len);
		first = false;
	}
	return rc;
}

static bool set_names_known(const dm_value *v)
{
	return v->v.set.names &&
	       (v->v.set.nnames >= 64 ||
		(v->v.set.mask >> v->v.set.nnames) == 0);
}

static bool enum_name_known(const dm_value *v)
{
	return v->v.enm.names && v->v.enm.index >= 1 &&
	       v->v.enm.index <= v->v.enm.nnames;
}

static int bad_value(dm_error **err, const char *what)
{
	return dm_error_set(err, DM_E_INVALID_ARGUMENT, "dm_value: %s", what);
}

DM_API int dm_value_format_text(dm_buf *out, const dm_value *v,
				dm_error **err)
{
	int rc;

	if (!out || !v)
		return bad_value(err, "NULL argument");
	switch (v->kind) {
	case DM_VALUE_ABSENT:
		return bad_value(err, "the column is not in the row image");
	case DM_VALUE_NULL:
		rc = dm_buf_puts(out, "NULL");
		break;
	case DM_VALUE_INT:
		rc = dm_buf_printf(out, "%" PRId64, v->v.i);
		break;
	case DM_VALUE_UINT:
	case DM_VALUE_YEAR:
		rc = v->kind == DM_VALUE_YEAR ?
			dm_buf_printf(out, "%04" PRIu64, v->v.u) :
			dm_buf_printf(out, "%" PRIu64, v->v.u);
		break;
	case DM_VALUE_FLOAT:
		rc = put_real(out, v->v.f, true);
		break;
	case DM_VALUE_DOUBLE:
		rc = put_real(out, v->v.d, false);
		break;
	case DM_VALUE_DECIMAL:
	case DM_VALUE_STRING:
	case DM_VALUE_BYTES:
	case DM_VALUE_JSON:
	case DM_VALUE_GEOMETRY:
	case DM_VALUE_VECTOR:
		rc = dm_buf_append(out, v->v.str.ptr, v->v.str.len);
		break;
	case DM_VALUE_DATE:
	case DM_VALUE_DATETIME:
	case DM_VALUE_TIME:
	case DM_VALUE_TIMESTAMP:
		rc = put_temporal(out, v);
		break;
	case DM_VALUE_BIT:
		rc = put_bit_bytes(out, v);
		break;
	case DM_VALUE_ENUM:
		if (v->v.enm.index == 0)
			rc = 0;
		else if (enum_name_known(v))
			rc = dm_buf_append(out,
					   v->v.enm.names[v->v.enm.index - 1].ptr,
					   v->v.enm.names[v->v.enm.index - 1].len);
		else
			rc = dm_buf_printf(out, "%" PRIu64, v->v.enm.index);
		break;
	case DM_VALUE_SET:
		if (set_names_known(v))
			rc = put_set_names(out, v);
		else
			rc = dm_buf_printf(out, "%" PRIu64, v->v.set.mask);
		break;
	case DM_VALUE_JSON_BINARY:
		return dm__jsonbin_to_text(out,
					   (const unsigned char *)v->v.str.ptr,
					   v->v.str.len, err);
	case DM_VALUE_JSON_DIFF:
		return dm_error_set(err, DM_E_NOT_SUPPORTED,
				    "dm_value: JSON diffs have no value of "
				    "their own; apply them to the column");
	default:
		return bad_value(err, "unknown value kind");
	}
	if (rc)
		return dm_error_set(err, DM_E_NO_MEMORY, "dm_value_format_text");
	return 0;
}

static int put_hex(dm_buf *out, const char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k;
	int rc;

	rc = dm_buf_reserve(out, 3 + 2 * n);
	if (rc)
		return rc;
	dm_buf_puts(out, "X'");
	for (k = 0; k < n; k++) {
		char two[2] = { hex[(unsigned char)p[k] >> 4],
				hex[(unsigned char)p[k] & 15] };

		dm_buf_append(out, two, 2);
	}
	return dm_buf_putc(out, '\'');
}

/* Whether a STRING's bytes may go between quotes: the literal is read as
 * the connection's utf8mb4 and converted to the column's charset, which
 * gives back the same bytes only for UTF-8 text in a UTF-8 column (checked
 * by dm_db_quote_value, which falls back to hex) and for ASCII in a
 * charset that contains it. Anything else goes as hex, which the server
 * takes as the column's own bytes: latin1 bytes that happen to be valid
 * UTF-8, UTF-16 that happens to be printable, and non-ASCII text whose
 * charset the binlog does not say (binlog_row_metadata=NO_LOG). */
static bool quotable_text(const dm_value *v)
{
	const MARIADB_CHARSET_INFO *cs = NULL;
	size_t i;

	if (v->charset != 0)
		cs = mariadb_get_charset_by_nr(v->charset);
	if (cs && cs->csname && strncmp(cs->csname, "utf8", 4) == 0)
		return true;
	if (cs && cs->char_minlen > 1)
		return false;
	for (i = 0; i < v->v.str.len; i++)
		if ((unsigned char)v->v.str.ptr[i] >= 0x80)
			return false;
	return true;
}

DM_API int dm_value_format_sql(dm_buf *out, const dm_value *v, unsigned flags,
			       dm_error **err)
{
	dm_buf tmp = DM_BUF_INIT;
	int rc;

	if (!out || !v)
		return bad_value(err, "NULL argument");
	switch (v->kind) {
	case DM_VALUE_ABSENT:
		return bad_value(err, "the column is not in the row image");
	case DM_VALUE_NULL:
		rc = dm_buf_puts(out, "NULL");
		break;
	case DM_VALUE_INT:
	case DM_VALUE_UINT:
	case DM_VALUE_YEAR:
	case DM_VALUE_DECIMAL:
		return dm_value_format_text(out, v, err);
	case DM_VALUE_FLOAT:
	case DM_VALUE_DOUBLE: {
		double d = v->kind == DM_VALUE_FLOAT ? v->v.f : v->v.d;

		if (!isfinite(d))
			return bad_value(err, "NaN and infinity have no SQL "
					 "literal");
		return dm_value_format_text(out, v, err);
	}
	case DM_VALUE_STRING:
		rc = quotable_text(v) ?
			dm_db_quote_value(out, v->v.str.ptr, v->v.str.len, 0) :
			put_hex(out, v->v.str.ptr, v->v.str.len);
		break;
	case DM_VALUE_JSON:
		rc = dm_db_quote_value(out, v->v.str.ptr, v->v.str.len, 0);
		break;
	case DM_VALUE_BYTES:
		rc = (flags & DM_VALUE_SQL_HEX_BINARY) ?
			put_hex(out, v->v.str.ptr, v->v.str.len) :
			dm_db_quote_value(out, v->v.str.ptr, v->v.str.len,
					  DM_DB_QUOTE_BINARY);
		break;
	case DM_VALUE_GEOMETRY:
	case DM_VALUE_VECTOR:
		rc = put_hex(out, v->v.str.ptr, v->v.str.len);
		break;
	case DM_VALUE_DATE:
	case DM_VALUE_DATETIME:
	case DM_VALUE_TIME:
		rc = dm_buf_putc(out, '\'');
		if (!rc)
			rc = put_temporal(out, v);
		if (!rc)
			rc = dm_buf_putc(out, '\'');
		break;
	case DM_VALUE_TIMESTAMP:
		/* The epoch is exact whatever the session time zone. */
		if (v->v.ts.sec == 0 && v->v.ts.usec == 0)
			rc = dm_buf_puts(out, "'0000-00-00 00:00:00'");
		else if (v->v.ts.fsp)
			rc = dm_buf_printf(out, "FROM_UNIXTIME(%" PRId64 ".%06u)",
					   v->v.ts.sec, v->v.ts.usec);
		else
			rc = dm_buf_printf(out, "FROM_UNIXTIME(%" PRId64 ")",
					   v->v.ts.sec);
		break;
	case DM_VALUE_BIT: {
		unsigned k, n = v->v.bit.nbits ? v->v.bit.nbits : 64;

		rc = dm_buf_puts(out, "b'");
		for (k = n; k > 0 && !rc; k--)
			rc = dm_buf_putc(out, (v->v.bit.bits >> (k - 1)) & 1 ?
					 '1' : '0');
		if (!rc)
			rc = dm_buf_putc(out, '\'');
		break;
	}
	case DM_VALUE_ENUM:
		if (enum_name_known(v)) {
			const dm_str *s = &v->v.enm.names[v->v.enm.index - 1];

			rc = dm_db_quote_value(out, s->ptr, s->len, 0);
		} else {
			rc = dm_buf_printf(out, "%" PRIu64, v->v.enm.index);
		}
		break;
	case DM_VALUE_SET:
		if (set_names_known(v)) {
			rc = put_set_names(&tmp, v);
			if (!rc)
				rc = dm_db_quote_value(out, tmp.data ? tmp.data : "",
						       tmp.len, 0);
			dm_buf_free(&tmp);
		} else {
			rc = dm_buf_printf(out, "%" PRIu64, v->v.set.mask);
		}
		break;
	case DM_VALUE_JSON_BINARY:
		rc = dm_value_format_text(&tmp, v, err);
		if (rc) {
			dm_buf_free(&tmp);
			return rc;
		}
		rc = dm_db_quote_value(out, tmp.data ? tmp.data : "", tmp.len, 0);
		dm_buf_free(&tmp);
		break;
	case DM_VALUE_JSON_DIFF:
		return dm_value_format_text(out, v, err);
	default:
		return bad_value(err, "unknown value kind");
	}
	if (rc)
		return dm_error_set(err, DM_E_NO_MEMORY, "dm_value_format_sql");
	return 0;
}
