/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Typed SQL values: what the binlog decoder hands out for each column and
 * what the SQL generator and the expression evaluator consume. Values are
 * small transparent records; their bytes are borrowed. See dm_value(3).
 */
#ifndef DM_VALUE_H
#define DM_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* MySQL's column type codes, as they appear in TABLE_MAP events. */
typedef enum dm_type {
	DM_TYPE_DECIMAL = 0,
	DM_TYPE_TINY = 1,
	DM_TYPE_SHORT = 2,
	DM_TYPE_LONG = 3,
	DM_TYPE_FLOAT = 4,
	DM_TYPE_DOUBLE = 5,
	DM_TYPE_NULL = 6,
	DM_TYPE_TIMESTAMP = 7,
	DM_TYPE_LONGLONG = 8,
	DM_TYPE_INT24 = 9,
	DM_TYPE_DATE = 10,
	DM_TYPE_TIME = 11,
	DM_TYPE_DATETIME = 12,
	DM_TYPE_YEAR = 13,
	DM_TYPE_NEWDATE = 14,
	DM_TYPE_VARCHAR = 15,
	DM_TYPE_BIT = 16,
	DM_TYPE_TIMESTAMP2 = 17,
	DM_TYPE_DATETIME2 = 18,
	DM_TYPE_TIME2 = 19,
	DM_TYPE_TYPED_ARRAY = 20,
	DM_TYPE_VECTOR = 242,
	DM_TYPE_JSON = 245,
	DM_TYPE_NEWDECIMAL = 246,
	DM_TYPE_ENUM = 247,
	DM_TYPE_SET = 248,
	DM_TYPE_TINY_BLOB = 249,
	DM_TYPE_MEDIUM_BLOB = 250,
	DM_TYPE_LONG_BLOB = 251,
	DM_TYPE_BLOB = 252,
	DM_TYPE_VAR_STRING = 253,
	DM_TYPE_STRING = 254,
	DM_TYPE_GEOMETRY = 255
} dm_type;

/* MySQL's name of a type code in lower case ("longlong", "newdecimal"),
 * or "unknown". A static string. */
DM_API const char *dm_type_name(int type);

/* A borrowed run of bytes; not NUL-terminated unless a page says so. */
typedef struct dm_str {
	const char *ptr;
	size_t len;
} dm_str;

typedef enum dm_value_kind {
	DM_VALUE_ABSENT = 0,   /* column not in this row image */
	DM_VALUE_NULL,         /* SQL NULL */
	DM_VALUE_INT,          /* v.i */
	DM_VALUE_UINT,         /* v.u */
	DM_VALUE_FLOAT,        /* v.f */
	DM_VALUE_DOUBLE,       /* v.d */
	DM_VALUE_DECIMAL,      /* v.str: exact text, e.g. "-123.450" */
	DM_VALUE_STRING,       /* v.str + charset: character data */
	DM_VALUE_BYTES,        /* v.str: binary data (charset 63) */
	DM_VALUE_DATE,         /* v.time: year, month, day */
	DM_VALUE_DATETIME,     /* v.time */
	DM_VALUE_TIME,         /* v.time: hour up to 838, negative flag */
	DM_VALUE_TIMESTAMP,    /* v.ts: seconds since the epoch, UTC */
	DM_VALUE_YEAR,         /* v.u: 0 or 1901..2155 */
	DM_VALUE_BIT,          /* v.bit */
	DM_VALUE_ENUM,         /* v.enm: 1-based index, 0 for '' */
	DM_VALUE_SET,          /* v.set: bit mask */
	DM_VALUE_JSON,         /* v.str: JSON text */
	DM_VALUE_JSON_BINARY,  /* v.str: MySQL binary JSON, render on demand */
	DM_VALUE_GEOMETRY,     /* v.str: 4-byte SRID + WKB, as MySQL stores */
	DM_VALUE_VECTOR,       /* v.str: little-endian IEEE floats */
	DM_VALUE_JSON_DIFF     /* v.str: MySQL JSON diffs (partial update)
				* with no before image to apply them to */
} dm_value_kind;

/* Broken-down DATE, DATETIME and TIME. Zero dates keep their zeros. */
typedef struct dm_time {
	uint16_t year;
	uint8_t month;
	uint8_t day;
	uint16_t hour;        /* 0..838 for TIME */
	uint8_t minute;
	uint8_t second;
	uint32_t microsecond; /* 0..999999 */
	bool negative;        /* TIME only */
	uint8_t fsp;          /* fractional digits declared: 0..6 */
} dm_time;

typedef struct dm_timestamp {
	int64_t sec;          /* 0 is the zero timestamp '0000-00-00 00:00:00' */
	uint32_t usec;
	uint8_t fsp;
} dm_timestamp;

/* Value flags. */
#define DM_VALUE_F_UNSIGNED 0x1u  /* the column is UNSIGNED */
#define DM_VALUE_F_SIGN_UNKNOWN 0x2u /* signedness not in the binlog */

typedef struct dm_value {
	dm_value_kind kind;
	uint8_t type;       /* dm_type the value came from (real type) */
	uint8_t flags;      /* DM_VALUE_F_* */
	uint16_t charset;   /* collation id for STRING/ENUM/SET; 0 unknown */
	union {
		int64_t i;
		uint64_t u;
		float f;
		double d;
		dm_str str;
		dm_time time;
		dm_timestamp ts;
		struct {
			uint64_t bits;
			unsigned nbits; /* declared width: 1..64 */
		} bit;
		struct {
			uint64_t index;       /* 1-based; 0 = the '' error value */
			const dm_str *names;  /* member names or NULL when unknown */
			size_t nnames;
		} enm;
		struct {
			uint64_t mask;
			const dm_str *names;  /* member names or NULL when unknown */
			size_t nnames;
		} set;
	} v;
} dm_value;

/* dm_value_format_sql flags. */
#define DM_VALUE_SQL_HEX_BINARY 0x1u /* BYTES always as X'..' */

/* Appends an SQL literal that MariaDB and MySQL read back as the same
 * value. ABSENT is an error (DM_E_INVALID_ARGUMENT). */
DM_API int dm_value_format_sql(dm_buf *out, const dm_value *v,
			       unsigned flags, dm_error **err);
/* Appends the text MySQL's SELECT shows for the value; NULL appends
 * "NULL". JSON_BINARY is rendered to JSON text. */
DM_API int dm_value_format_text(dm_buf *out, const dm_value *v,
				dm_error **err);

/* True for NULL (and ABSENT is not NULL). */
DM_API bool dm_value_is_null(const dm_value *v);

#ifdef __cplusplus
}
#endif

#endif
