/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers of the expression evaluator (expr_eval.c) that work on plain
 * bytes and dm_time: DATE_FORMAT (expr_time.c) and JSON paths
 * (expr_json.c). Pure functions; no allocation except into `out`.
 */
#ifndef DM_SQL_EXPR_PRIVATE_H
#define DM_SQL_EXPR_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/util.h"
#include "dm/value.h"

/* MariaDB's day number of a date (calc_daynr): day 1 is 0000-01-01 as
 * the proleptic Gregorian calendar counts it; 0 for year 0 month 0. */
long dm__sql_daynr(long year, long month, long day);

/* Appends DATE_FORMAT(t, fmt) to out, as MariaDB 10.11 formats with the
 * en_US locale. `is_time` for a TIME value (date specifiers give NULL).
 * Returns 0, 1 when the result is NULL, or DM_E_NO_MEMORY. */
int dm__sql_date_format(dm_buf *out, const dm_time *t, bool is_time,
			const char *fmt, size_t n);

/* Result codes of dm__sql_json_extract besides 0 (found). */
#define DM__JSON_NULL 1     /* nothing found or not JSON: SQL NULL */
#define DM__JSON_BAD_PATH 2 /* a path is not valid: an error */

/* JSON_EXTRACT(doc, paths...) as MariaDB 10.11 prints it: a single match
 * of a path without wildcards is the value's original text (outer blanks
 * removed); otherwise the matches in [..] separated by ", ". On
 * DM__JSON_BAD_PATH, *bad_path is the index of the bad path and
 * *bad_pos the offset in it. Returns 0, DM__JSON_*, or DM_E_NO_MEMORY. */
int dm__sql_json_extract(dm_buf *out, const char *doc, size_t n,
			 const dm_str *paths, size_t npaths, size_t *bad_path,
			 size_t *bad_pos);

/* JSON_UNQUOTE: a JSON string's contents decoded; any other text
 * unchanged (*same set). Returns 0 or DM_E_NO_MEMORY. */
int dm__sql_json_unquote(dm_buf *out, const char *s, size_t n, bool *same);

/* Exact decimals' unscaled digits (expr_dec.c): a signed integer of
 * DM__DN 64-bit limbs, two's complement, least significant first. Wide
 * enough for MariaDB's 81 digits, their products and scaled dividends.
 * Operations returning bool return false on overflow (*out untouched). */
#define DM__DN 10
#define DM__DN_MAXPOW 190 /* the largest power of ten that fits */
typedef struct dm__dnum {
	uint64_t l[DM__DN];
} dm__dnum;

dm__dnum dm__dn_i64(int64_t v);
dm__dnum dm__dn_u64(uint64_t v);
bool dm__dn_isneg(dm__dnum a);
bool dm__dn_iszero(dm__dnum a);
int dm__dn_sign(dm__dnum a);
bool dm__dn_fits_i64(dm__dnum a);
int dm__dn_cmp(dm__dnum a, dm__dnum b);
dm__dnum dm__dn_neg(dm__dnum a);
dm__dnum dm__dn_abs(dm__dnum a);
bool dm__dn_add(dm__dnum a, dm__dnum b, dm__dnum *out);
bool dm__dn_sub(dm__dnum a, dm__dnum b, dm__dnum *out);
bool dm__dn_mul(dm__dnum a, dm__dnum b, dm__dnum *out);
/* Truncating division (b != 0): q and r as C's / and %; either may be
 * NULL. */
void dm__dn_divmod(dm__dnum a, dm__dnum b, dm__dnum *q, dm__dnum *r);
/* 10^n for 0 <= n <= DM__DN_MAXPOW (0 otherwise). */
dm__dnum dm__dn_pow10(int n);
/* The decimal digits of |a| into buf (cap bytes, no terminator); returns
 * their count ("0" for zero). */
size_t dm__dn_digits(char *buf, size_t cap, dm__dnum a);
/* The number of decimal digits of |a|; 0 for zero. */
int dm__dn_ndigits(dm__dnum a);

#endif
