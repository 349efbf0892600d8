/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Expression evaluator: a dm_sql_expr tree evaluated over a row of
 * dm_values with MariaDB's typing (integers, exact decimals, doubles,
 * strings, temporals) and three-valued logic. See dm_sql_eval(3).
 *
 * Decimals are a scaled integer (dm__dnum, expr_dec.c) with MariaDB's
 * limits: 81 digits in 9-digit words, integer words first, the fraction
 * truncated to what is left; more integer digits are an overflow error.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dm/err.h"
#include "dm/sql.h"
#include "dm/value.h"
#include "sql/expr_private.h"
#include "util/alloc.h"

#define MAX_DEPTH 256
#define DIV_PREC 4
#define MAX_SCALE 38 /* DECIMAL_MAX_SCALE: decimals of a DECIMAL type */
#define DEC_WORDS 9 /* DECIMAL_BUFF_LENGTH: 9-digit words of a value */
#define DEC_BUF 256 /* text of any decimal, with sign, point and NUL */
#define DBL_NF 31 /* decimals of a DOUBLE printed in full (NOT_FIXED_DEC) */

typedef __int128 i128;
typedef dm__dnum dn;

typedef enum tclass {
	T_NULL, T_INT, T_UINT, T_DEC, T_DBL, T_STR, T_DATE, T_DATETIME, T_TIME
} tclass;

typedef struct ev {
	tclass t;
	bool null;
	bool bin;       /* binary string */
	bool hexnum;    /* 0x../b'..' literal: T_STR that is u as a number */
	bool negz;      /* T_DEC zero printed "-0.0" (MOD of a negative) */
	bool dec0;      /* T_STR of a type with 0 decimals (see nominal) */
	bool json;      /* T_STR straight from JSON_EXTRACT: a JSON text,
			 * read as a number and compared as MariaDB's
			 * Item_func_json_extract is (see json_num_text) */
	int scale;      /* T_DEC: digits of m after the point (the value's
			 * own frac); T_DBL: decimals printed, DBL_NF for
			 * all; temporal fsp; for a NULL the type's
			 * decimals */
	int dec;        /* T_DEC not NULL: the decimals of its type, which
			 * SELECT prints (m is rounded or padded to them) */
	int intg;       /* T_DEC: integer digits MariaDB's decimal_t counts
			 * beyond those of m (its type's for a column or a
			 * CAST, whole words after + - *); see dec_intg_ev */
	int64_t i;
	uint64_t u;
	double d;
	dn m;
	const char *s;
	size_t n;
	dm_time tm;
} ev;

typedef struct blk {
	struct blk *next;
	void *pad; /* keeps data 16-byte aligned for the 128-bit fields */
	_Alignas(16) char data[];
} blk;

typedef struct ectx {
	const dm_sql_eval_row *row;
	dm_sql_eval_opts o;
	dm_error **err;
	blk *blocks;
	int depth;
	bool have_now;     /* now_sec/now_usec read once per evaluation */
	int64_t now_sec;
	uint32_t now_usec;
} ectx;

static int eval(ectx *c, const dm_sql_expr *e, ev *out);
static int eval_type_only(ectx *c, const dm_sql_expr *e, ev *v);
static void numify(ev *v);
static int json_cmp_prep(ectx *c, ev *a, ev *b);

/* ------------------------------------------------------------ helpers */

static char *ealloc(ectx *c, size_t n)
{
	blk *b;

	if (n > SIZE_MAX - sizeof(blk) - 1)
		return NULL;
	b = dm__malloc(sizeof(blk) + n + 1);
	if (!b)
		return NULL;
	b->next = c->blocks;
	c->blocks = b;
	b->data[n] = '\0';
	return b->data;
}

static int oom(ectx *c)
{
	return dm_error_set(c->err, DM_E_NO_MEMORY, "expression evaluation");
}

static int bad(ectx *c, const char *msg)
{
	return dm_error_set(c->err, DM_E_INVALID_ARGUMENT, "%s", msg);
}

static int unsup(ectx *c, const char *what)
{
	return dm_error_set(c->err, DM_E_NOT_SUPPORTED,
			    "expression evaluation: %s is not supported", what);
}

static void set_null(ev *v, tclass t)
{
	memset(v, 0, sizeof(*v));
	v->t = t;
	v->null = true;
}

static void set_int(ev *v, int64_t i)
{
	memset(v, 0, sizeof(*v));
	v->t = T_INT;
	v->i = i;
}

static void set_dbl(ev *v, double d)
{
	memset(v, 0, sizeof(*v));
	v->t = T_DBL;
	v->d = d;
	v->scale = DBL_NF;
}

static void set_dec(ev *v, dn m, int scale)
{
	memset(v, 0, sizeof(*v));
	v->t = T_DEC;
	v->m = m;
	v->scale = scale;
	v->dec = scale;
}

/* The decimals of v's type: what SELECT prints for a T_DEC or T_DBL.
 * A string used as a number has all (DBL_NF) but those of CAST AS CHAR
 * and DATE_FORMAT, none. */
static int nominal(const ev *v)
{
	if (v->t == T_STR)
		return v->dec0 ? 0 : DBL_NF;
	return v->t == T_DEC && !v->null ? v->dec : v->scale;
}

static void set_str(ev *v, const char *s, size_t n, bool bin)
{
	memset(v, 0, sizeof(*v));
	v->t = T_STR;
	v->s = s;
	v->n = n;
	v->bin = bin;
}

/* 10^n; an i128 holds up to 10^38, larger n saturate to the largest
 * i128 (callers that may get there check their range first). */
static i128 pow10i(int n)
{
	i128 r = 1;

	while (n-- > 0)
		if (__builtin_mul_overflow(r, 10, &r))
			return (i128)(~(unsigned __int128)0 >> 1);
	return r;
}

static bool is_temporal(tclass t)
{
	return t == T_DATE || t == T_DATETIME || t == T_TIME;
}

static bool is_exact(tclass t)
{
	return t == T_INT || t == T_UINT || t == T_DEC;
}

/* ------------------------------------------------------------- decimals */

#define DN0 dm__dn_i64(0)
#define DNI(x) dm__dn_i64(x)

static bool dn_neg_p(dn a) { return dm__dn_isneg(a); }
static bool dn_zero_p(dn a) { return dm__dn_iszero(a); }
static int dn_cmp(dn a, dn b) { return dm__dn_cmp(a, b); }

/* a * 10^k; false on overflow */
static bool dn_shift(dn a, int k, dn *out)
{
	if (k > DM__DN_MAXPOW)
		return dn_zero_p(a) ? (*out = a, true) : false;
	return dm__dn_mul(a, dm__dn_pow10(k), out);
}

/* a / 10^k truncated toward zero */
static dn dn_trunc10(dn a, int k)
{
	dn q;

	if (k <= 0)
		return a;
	if (k > DM__DN_MAXPOW)
		return DN0;
	dm__dn_divmod(a, dm__dn_pow10(k), &q, NULL);
	return q;
}

/* Rescale m from scale `from` to `to`, rounding half away from zero. */
static bool dec_rescale(dn m, int from, int to, dn *out)
{
	if (to >= from) {
		return dn_shift(m, to - from, out);
	} else {
		dn f, q, r, r2;

		if (from - to > DM__DN_MAXPOW) {
			*out = DN0;
			return true;
		}
		f = dm__dn_pow10(from - to);
		dm__dn_divmod(m, f, &q, &r);
		r = dm__dn_abs(r);
		if (dm__dn_add(r, r, &r2) && dn_cmp(r2, f) >= 0)
			dm__dn_add(q, DNI(dn_neg_p(m) ? -1 : 1), &q);
		*out = q;
		return true;
	}
}

/* Digits of the integer part of m at scale sc (0 for |m| < 1). */
static int dec_intg(dn m, int sc)
{
	int d = dm__dn_ndigits(m) - sc;

	return d > 0 ? d : 0;
}

static int words(int digits)
{
	return (digits + 8) / 9;
}

/* The integer digits MariaDB's decimal_t of v has: a DECIMAL column
 * counts its type's (DECIMAL(65,30) has 35 even for 1.5), which decides
 * how many words a product or a sum needs. */
static int dec_intg_ev(const ev *v, dn m, int sc)
{
	int d = dec_intg(m, sc);

	return v->t == T_DEC && v->intg > d ? v->intg : d;
}

/* Word k (1-based) of the fraction of |m|/10^sc in 9-digit words; word 0
 * is the last word of the integer part. */
static uint64_t dec_word(dn m, int sc, int k)
{
	int f = words(sc) * 9, shift = f - k * 9;
	dn q, r;

	m = dm__dn_abs(m);
	if (f > sc && !dec_rescale(m, sc, f, &m))
		return 1;
	if (shift > 0)
		dm__dn_divmod(m, dm__dn_pow10(shift), &q, NULL);
	else
		q = m;
	dm__dn_divmod(q, DNI(1000000000), NULL, &r);
	return r.l[0];
}

/* Fractional digits a value with `intg` integer digits keeps at most. */
static int frac_room(int intg)
{
	int w = DEC_WORDS - words(intg);

	return w > 0 ? w * 9 : 0;
}

/* Decimal text into buf (>= DEC_BUF bytes); returns its length. */
static size_t dec_text(char *buf, dn m, int scale)
{
	char dig[DM__DN * 20];
	size_t n = dm__dn_digits(dig, sizeof(dig), m), p = 0, k;

	if (dn_neg_p(m))
		buf[p++] = '-';
	if ((int)n <= scale) {
		buf[p++] = '0';
		buf[p++] = '.';
		for (k = 0; k < (size_t)scale - n; k++)
			buf[p++] = '0';
		memcpy(buf + p, dig, n);
		p += n;
	} else {
		memcpy(buf + p, dig, n - (size_t)scale);
		p += n - (size_t)scale;
		if (scale > 0) {
			buf[p++] = '.';
			memcpy(buf + p, dig + n - scale, (size_t)scale);
			p += (size_t)scale;
		}
	}
	buf[p] = '\0';
	return p;
}

/* Text of a T_DEC as SELECT prints it: the value rounded (half away from
 * zero) or padded to the decimals of its type, as far as MariaDB's
 * decimal_round keeps them (the words the integer part leaves).
 * buf >= DEC_BUF bytes. */
static size_t dec_print(char *buf, const ev *v)
{
	dn m = v->m;
	int sc = v->scale, want = v->dec, room = frac_room(dec_intg(m, sc));
	bool negz;

	if (want > room)
		want = room;
	if (want != sc && dec_rescale(m, sc, want, &m))
		sc = want;
	negz = dn_zero_p(m) && v->negz;
	buf[0] = '-';
	return dec_text(buf + negz, m, sc) + negz;
}

/* A number prefix of s: [space][sign]digits[.digits][e[sign]digits].
 * Returns the length of the prefix (0 when there is no number). */
static size_t num_prefix(const char *s, size_t n, bool *has_frac, bool *has_exp)
{
	size_t p = 0, d0;

	*has_frac = *has_exp = false;
	while (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '\n' ||
			 s[p] == '\r'))
		p++;
	if (p < n && (s[p] == '+' || s[p] == '-'))
		p++;
	d0 = p;
	while (p < n && isdigit((unsigned char)s[p]))
		p++;
	if (p < n && s[p] == '.') {
		size_t q = p + 1;

		while (q < n && isdigit((unsigned char)s[q]))
			q++;
		if (q - d0 > 1) {
			*has_frac = true;
			p = q;
		}
	}
	if (p == d0)
		return 0;
	if (p < n && (s[p] == 'e' || s[p] == 'E')) {
		size_t q = p + 1;

		if (q < n && (s[q] == '+' || s[q] == '-'))
			q++;
		if (q < n && isdigit((unsigned char)s[q])) {
			while (q < n && isdigit((unsigned char)s[q]))
				q++;
			*has_exp = true;
			p = q;
		}
	}
	return p;
}

/* The largest value of `prec` digits, `scale` of them decimals. */
static dn dec_max(int prec)
{
	dn r;

	dm__dn_add(dm__dn_pow10(prec), DNI(-1), &r);
	return r;
}

/* Parse decimal text (no exponent) as MariaDB's string2decimal: leading
 * zeros dropped, the fraction truncated to the words the integer part
 * leaves. False when there are no digits or more than 81 integer digits
 * (*m is then 65 nines with the sign, what a literal becomes). */
static bool dec_parse(const char *s, size_t n, dn *m, int *scale)
{
	size_t p = 0, i0, i1, f0, f1, k;
	bool neg = false;
	uint64_t acc = 0;
	int nacc = 0, intg, frac;
	dn v = DN0;

	while (p < n && s[p] == ' ')
		p++;
	if (p < n && (s[p] == '+' || s[p] == '-'))
		neg = s[p++] == '-';
	i0 = p;
	while (p < n && isdigit((unsigned char)s[p]))
		p++;
	i1 = p;
	f0 = f1 = p;
	if (p < n && s[p] == '.') {
		f0 = ++p;
		while (p < n && isdigit((unsigned char)s[p]))
			p++;
		f1 = p;
	}
	if (i1 == i0 && f1 == f0)
		return false;
	while (i0 < i1 && s[i0] == '0')
		i0++;
	intg = (int)(i1 - i0);
	if (words(intg) > DEC_WORDS) {
		*m = dec_max(65);
		if (neg)
			*m = dm__dn_neg(*m);
		*scale = 0;
		return false;
	}
	frac = (int)(f1 - f0);
	if (frac > frac_room(intg))
		frac = frac_room(intg);
	for (k = 0; k < (size_t)intg + (size_t)frac; k++) {
		char ch = k < (size_t)intg ? s[i0 + k] : s[f0 + k - (size_t)intg];

		acc = acc * 10 + (uint64_t)(ch - '0');
		if (++nacc == 18) {
			dn_shift(v, 18, &v);
			dm__dn_add(v, dm__dn_u64(acc), &v);
			acc = 0;
			nacc = 0;
		}
	}
	if (nacc) {
		dn_shift(v, nacc, &v);
		dm__dn_add(v, dm__dn_u64(acc), &v);
	}
	*m = neg ? dm__dn_neg(v) : v;
	*scale = frac;
	return true;
}

/* --------------------------------------------------------- conversions */

static double str_to_dbl(const char *s, size_t n)
{
	bool f, x;
	size_t len = num_prefix(s, n, &f, &x);
	char tmp[128];

	if (len == 0)
		return 0;
	if (len >= sizeof(tmp))
		len = sizeof(tmp) - 1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return strtod(tmp, NULL);
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

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

static unsigned days_in_month(unsigned y, unsigned m)
{
	static const unsigned dm[] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return m >= 1 && m <= 12 ? dm[m - 1] : 31;
}

/* 'YYYY-MM-DD[ HH:MM:SS[.ffffff]]' or 'YYYYMMDD[HHMMSS]'. */
static bool parse_datetime(const char *s, size_t n, dm_time *t, bool *has_time)
{
	unsigned long part[7] = { 0 };
	int np = 0, fracd = 0;
	size_t p = 0;

	memset(t, 0, sizeof(*t));
	*has_time = false;
	while (p < n && s[p] == ' ')
		p++;
	while (n > p && s[n - 1] == ' ')
		n--;
	if (p < n && n - p >= 8 && isdigit((unsigned char)s[p])) {
		size_t q = p;

		while (q < n && isdigit((unsigned char)s[q]))
			q++;
		if (q == n && (n - p == 8 || n - p == 14)) {
			const char *d = s + p;

			part[0] = (unsigned long)((d[0] - '0') * 1000 +
				(d[1] - '0') * 100 + (d[2] - '0') * 10 + d[3] - '0');
			part[1] = (unsigned long)((d[4] - '0') * 10 + d[5] - '0');
			part[2] = (unsigned long)((d[6] - '0') * 10 + d[7] - '0');
			np = 3;
			if (n - p == 14) {
				part[3] = (unsigned long)((d[8] - '0') * 10 + d[9] - '0');
				part[4] = (unsigned long)((d[10] - '0') * 10 + d[11] - '0');
				part[5] = (unsigned long)((d[12] - '0') * 10 + d[13] - '0');
				np = 6;
			}
			goto check;
		}
	}
	while (p < n && np < 7) {
		unsigned long v = 0;
		int nd = 0;

		if (!isdigit((unsigned char)s[p]))
			return false;
		while (p < n && isdigit((unsigned char)s[p]) && nd < 9) {
			v = v * 10 + (unsigned long)(s[p] - '0');
			p++;
			nd++;
		}
		if (np == 6) {
			fracd = nd;
			while (fracd < 6) {
				v *= 10;
				fracd++;
			}
			while (fracd > 6) {
				v /= 10;
				fracd--;
			}
		}
		part[np++] = v;
		if (p >= n)
			break;
		if (np == 3 && (s[p] == ' ' || s[p] == 'T')) {
			p++;
			while (p < n && s[p] == ' ')
				p++;
		} else if (np == 6 && s[p] == '.') {
			p++;
		} else if (np < 6 && (ispunct((unsigned char)s[p]))) {
			p++;
		} else {
			return false;
		}
	}
	if (p < n)
		return false;
check:
	if (np < 3 || part[0] > 9999 || part[1] > 12 || part[2] > 31 ||
	    part[3] > 23 || part[4] > 59 || part[5] > 59)
		return false;
	if (part[1] && part[2] > days_in_month((unsigned)part[0], (unsigned)part[1]))
		return false;
	t->year = (uint16_t)part[0];
	t->month = (uint8_t)part[1];
	t->day = (uint8_t)part[2];
	t->hour = (uint16_t)part[3];
	t->minute = (uint8_t)part[4];
	t->second = (uint8_t)part[5];
	t->microsecond = (uint32_t)part[6];
	*has_time = np > 3;
	return true;
}

static bool parse_time(const char *s, size_t n, dm_time *t)
{
	unsigned long part[4] = { 0 };
	int np = 0;
	size_t p = 0;
	bool neg = false;

	memset(t, 0, sizeof(*t));
	while (p < n && s[p] == ' ')
		p++;
	if (p < n && s[p] == '-') {
		neg = true;
		p++;
	}
	while (p < n && np < 4) {
		unsigned long v = 0;
		int nd = 0;

		if (!isdigit((unsigned char)s[p]))
			return false;
		while (p < n && isdigit((unsigned char)s[p]) && nd < 9) {
			v = v * 10 + (unsigned long)(s[p] - '0');
			p++;
			nd++;
		}
		if (np == 3)
			while (nd < 6) {
				v *= 10;
				nd++;
			}
		part[np++] = v;
		if (p >= n)
			break;
		if ((np < 3 && s[p] == ':') || s[p] == '.')
			p++;
		else
			return false;
	}
	if (p < n || np == 0)
		return false;
	if (np == 1) { /* HHMMSS */
		unsigned long v = part[0];

		part[0] = v / 10000;
		part[1] = v / 100 % 100;
		part[2] = v % 100;
	}
	if (part[0] > 838 || part[1] > 59 || part[2] > 59)
		return false;
	t->hour = (uint16_t)part[0];
	t->minute = (uint8_t)part[1];
	t->second = (uint8_t)part[2];
	t->microsecond = (uint32_t)part[3];
	t->negative = neg;
	return true;
}

static size_t time_text(char *buf, size_t cap, tclass t, const dm_time *tm,
			int fsp)
{
	int n;

	if (t == T_DATE)
		n = snprintf(buf, cap, "%04u-%02u-%02u", tm->year, tm->month,
			     tm->day);
	else if (t == T_TIME)
		n = snprintf(buf, cap, "%s%02u:%02u:%02u",
			     tm->negative ? "-" : "", tm->hour, tm->minute,
			     tm->second);
	else
		n = snprintf(buf, cap, "%04u-%02u-%02u %02u:%02u:%02u", tm->year,
			     tm->month, tm->day, tm->hour, tm->minute,
			     tm->second);
	if (n < 0)
		return 0;
	if (t != T_DATE && fsp > 0 && (size_t)n + 8 < cap) {
		char fr[8];

		snprintf(fr, sizeof(fr), "%06u", (unsigned)tm->microsecond);
		buf[n++] = '.';
		memcpy(buf + n, fr, (size_t)fsp);
		n += fsp;
		buf[n] = '\0';
	}
	return (size_t)n;
}

/* A DOUBLE as MariaDB prints it: with `decimals` < DBL_NF fixed to that
 * many digits; otherwise the shortest digits that read back as d, plain
 * when the decimal exponent is from -14 to 15 (or the digits reach past
 * the point), else as <digit>[.<digits>]e<exp>. Zero is "0" either sign.
 * cap >= 80 unless decimals is small. */
static void put_dbl_text(char *buf, size_t cap, double d, int decimals)
{
	char dig[40], *e;
	int prec, exp10, decpt, len, k;
	size_t p = 0;

	if (d == 0)
		d = 0; /* no "-0" */
	if (d == 0 && decimals >= DBL_NF) {
		snprintf(buf, cap, "0");
		return;
	}
	if (d == 0) {
		snprintf(buf, cap, "%.*f", decimals, d);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(dig, sizeof(dig), "%.*e", prec - 1, d);
		if (strtod(dig, NULL) == d)
			break;
	}
	e = strchr(dig, 'e');
	exp10 = e ? (int)strtol(e + 1, NULL, 10) : 0;
	decpt = exp10 + 1;
	/* the digits alone: drop sign, point, exponent, trailing zeros */
	len = 0;
	for (k = 0; dig + k < e; k++)
		if (isdigit((unsigned char)dig[k]))
			dig[len++] = dig[k];
	while (len > 1 && dig[len - 1] == '0')
		len--;
	if (decimals < DBL_NF) {
		/* fixed decimals: the shortest digits when they fit, padded
		 * with zeros; else rounded there */
		if (len - decpt > decimals) {
			snprintf(buf, cap, "%.*f", decimals, d);
			return;
		}
		if (d < 0)
			buf[p++] = '-';
		if (decpt <= 0)
			buf[p++] = '0';
		for (k = 0; k < decpt; k++)
			buf[p++] = k < len ? dig[k] : '0';
		if (decimals > 0) {
			buf[p++] = '.';
			for (k = 0; k < decimals && p + 1 < cap; k++)
				buf[p++] = decpt + k >= 0 && decpt + k < len ?
					   dig[decpt + k] : '0';
		}
		buf[p] = '\0';
		return;
	}
	if (d < 0)
		buf[p++] = '-';
	if (decpt >= -14 && (decpt <= 15 || decpt < len)) {
		if (decpt <= 0) {
			buf[p++] = '0';
			buf[p++] = '.';
			for (k = decpt; k < 0; k++)
				buf[p++] = '0';
			memcpy(buf + p, dig, (size_t)len);
			p += (size_t)len;
		} else {
			for (k = 0; k < len || k < decpt; k++) {
				if (k == decpt)
					buf[p++] = '.';
				buf[p++] = k < len ? dig[k] : '0';
			}
		}
		buf[p] = '\0';
		return;
	}
	buf[p++] = dig[0];
	if (len > 1) {
		buf[p++] = '.';
		memcpy(buf + p, dig + 1, (size_t)len - 1);
		p += (size_t)len - 1;
	}
	snprintf(buf + p, cap - p, "e%d", exp10);
}

/* Text of v (not NULL) as SELECT prints it; stable for the evaluation. */
static int to_text(ectx *c, const ev *v, const char **s, size_t *n)
{
	char tmp[400];
	size_t len;
	char *p;

	switch (v->t) {
	case T_STR:
		*s = v->s;
		*n = v->n;
		return 0;
	case T_INT:
		len = (size_t)snprintf(tmp, sizeof(tmp), "%" PRId64, v->i);
		break;
	case T_UINT:
		len = (size_t)snprintf(tmp, sizeof(tmp), "%" PRIu64, v->u);
		break;
	case T_DEC:
		len = dec_print(tmp, v);
		break;
	case T_DBL:
		put_dbl_text(tmp, sizeof(tmp), v->d, v->scale);
		len = strlen(tmp);
		break;
	case T_DATE:
	case T_DATETIME:
	case T_TIME:
		len = time_text(tmp, sizeof(tmp), v->t, &v->tm, v->scale);
		break;
	default:
		*s = "";
		*n = 0;
		return 0;
	}
	p = ealloc(c, len);
	if (!p)
		return oom(c);
	memcpy(p, tmp, len);
	*s = p;
	*n = len;
	return 0;
}

static double tm_number(tclass t, const dm_time *tm)
{
	double d;

	if (t == T_DATE)
		return tm->year * 10000.0 + tm->month * 100 + tm->day;
	if (t == T_TIME) {
		d = tm->hour * 10000.0 + tm->minute * 100 + tm->second +
		    tm->microsecond / 1e6;
		return tm->negative ? -d : d;
	}
	return tm->year * 1e10 + tm->month * 1e8 + tm->day * 1e6 +
	       tm->hour * 1e4 + tm->minute * 100 + tm->second +
	       tm->microsecond / 1e6;
}

/* The text a number is read from: JSON_EXTRACT's value is its string's
 * contents, 1 for true, 0 for false and nothing (0) for null, an array
 * or an object. */
static void json_num_text(const ev *v, const char **s, size_t *n)
{
	const char *p = v->s;
	size_t len = v->n;

	*s = p;
	*n = len;
	if (!v->json)
		return;
	while (len > 0 && isspace((unsigned char)*p)) {
		p++;
		len--;
	}
	if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
		*s = p + 1;
		*n = len - 2;
	} else if (len == 4 && !memcmp(p, "true", 4)) {
		*s = "1";
		*n = 1;
	} else if (len > 0 && (p[0] == '-' || isdigit((unsigned char)p[0]))) {
		*s = p;
		*n = len;
	} else {
		*s = "0";
		*n = 1;
	}
}

static double to_dbl(const ev *v)
{
	switch (v->t) {
	case T_INT:
		return (double)v->i;
	case T_UINT:
		return (double)v->u;
	case T_DBL:
		return v->d;
	case T_DEC: {
		char tmp[DEC_BUF];

		dec_text(tmp, v->m, v->scale);
		return strtod(tmp, NULL);
	}
	case T_STR: {
		const char *s;
		size_t n;

		if (v->hexnum)
			return (double)v->u;
		json_num_text(v, &s, &n);
		return str_to_dbl(s, n);
	}
	case T_DATE:
	case T_DATETIME:
	case T_TIME:
		return tm_number(v->t, &v->tm);
	default:
		return 0;
	}
}

/* Temporals used as numbers become integers (or decimals with fsp). */
static void temporal_to_num(ev *v)
{
	i128 m;
	const dm_time *t = &v->tm;
	int fsp = v->scale;

	if (v->t == T_DATE)
		m = (i128)t->year * 10000 + t->month * 100 + t->day;
	else if (v->t == T_TIME)
		m = (i128)t->hour * 10000 + t->minute * 100 + t->second;
	else
		m = (i128)t->year * 10000000000LL + (i128)t->month * 100000000 +
		    (i128)t->day * 1000000 + t->hour * 10000 + t->minute * 100 +
		    t->second;
	if (v->t != T_DATE && fsp > 0) {
		m = m * pow10i(fsp) + t->microsecond / (uint32_t)pow10i(6 - fsp);
		if (v->t == T_TIME && t->negative)
			m = -m;
		set_dec(v, DNI((int64_t)m), fsp);
		return;
	}
	if (v->t == T_TIME && t->negative)
		m = -m;
	set_int(v, (int64_t)m);
}

/* Exact value of an exact number as a decimal. */
static void as_dec(const ev *v, dn *m, int *scale)
{
	if (v->t == T_INT) {
		*m = DNI(v->i);
		*scale = 0;
	} else if (v->t == T_UINT) {
		*m = dm__dn_u64(v->u);
		*scale = 0;
	} else {
		*m = v->m;
		*scale = v->scale;
	}
}

static bool to_bool(const ev *v, bool *b)
{
	if (v->null || v->t == T_NULL)
		return false;
	switch (v->t) {
	case T_INT:
		*b = v->i != 0;
		break;
	case T_UINT:
		*b = v->u != 0;
		break;
	case T_DEC:
		*b = !dn_zero_p(v->m);
		break;
	default:
		*b = to_dbl(v) != 0;
		break;
	}
	return true;
}

/* Integer value (rounded) of v, as CAST(v AS SIGNED) would. */
static int to_int(ectx *c, const ev *v, int64_t *out, bool *is_unsigned)
{
	*is_unsigned = false;
	switch (v->t) {
	case T_INT:
		*out = v->i;
		return 0;
	case T_UINT:
		*out = (int64_t)v->u;
		*is_unsigned = true;
		return 0;
	case T_DEC: {
		dn r;

		dec_rescale(v->m, v->scale, 0, &r);
		/* beyond the range: saturated, as my_decimal2int */
		if (dm__dn_fits_i64(r)) {
			*out = (int64_t)r.l[0];
		} else if (dn_neg_p(r)) {
			*out = INT64_MIN;
		} else {
			*out = dn_cmp(r, dm__dn_u64(UINT64_MAX)) <= 0
				       ? (int64_t)r.l[0] : -1;
			*is_unsigned = true;
		}
		return 0;
	}
	case T_STR: {
		/* integer prefix, as MariaDB's string to integer */
		size_t p = 0;
		bool neg = false;
		i128 a = 0;

		const char *vs;
		size_t vn;

		if (v->hexnum) {
			*out = (int64_t)v->u;
			*is_unsigned = true;
			return 0;
		}
		json_num_text(v, &vs, &vn);
		while (p < vn && vs[p] == ' ')
			p++;
		if (p < vn && (vs[p] == '-' || vs[p] == '+'))
			neg = vs[p++] == '-';
		while (p < vn && isdigit((unsigned char)vs[p])) {
			if (a < (i128)UINT64_MAX * 10)
				a = a * 10 + (vs[p] - '0');
			p++;
		}
		if (neg)
			a = -a;
		if (a > INT64_MAX) {
			*out = a > (i128)UINT64_MAX ? -1 : (int64_t)(uint64_t)a;
			*is_unsigned = true;
		} else {
			*out = a < INT64_MIN ? INT64_MIN : (int64_t)a;
		}
		return 0;
	}
	case T_DATE:
	case T_DATETIME:
	case T_TIME: {
		ev t = *v;

		temporal_to_num(&t);
		return to_int(c, &t, out, is_unsigned);
	}
	default: {
		double d = rint(to_dbl(v));

		if (d >= 9223372036854775808.0)
			*out = INT64_MAX;
		else if (d < -9223372036854775808.0)
			*out = INT64_MIN;
		else
			*out = (int64_t)d;
		return 0;
	}
	}
}

/* Convert v in place to a decimal of `scale` digits. */
static int to_dec(ectx *c, ev *v, int scale)
{
	dn m;
	int sc;

	if (v->null) {
		v->t = T_DEC;
		v->scale = scale;
		return 0;
	}
	if (is_temporal(v->t) || v->hexnum)
		numify(v);
	if (is_exact(v->t)) {
		as_dec(v, &m, &sc);
	} else {
		char tmp[400];
		double d = to_dbl(v);

		if (!isfinite(d))
			return bad(c, "DECIMAL value is out of range");
		/* beyond 81 digits: 65 nines, as the server's conversion */
		snprintf(tmp, sizeof(tmp), "%.*f", scale, d);
		dec_parse(tmp, strlen(tmp), &m, &sc);
	}
	if (!dec_rescale(m, sc, scale, &m))
		return unsup(c, "a decimal beyond 65 digits");
	set_dec(v, m, scale);
	return 0;
}

static int to_temporal(ectx *c, ev *v, tclass t, int fsp)
{
	dm_time tm;
	bool has_time = false;

	if (v->null) {
		set_null(v, t);
		v->scale = fsp;
		return 0;
	}
	if (v->t == t) {
		v->scale = fsp;
		return 0;
	}
	if (is_temporal(v->t) && t != T_TIME && v->t != T_TIME) {
		tm = v->tm;
		if (t == T_DATE)
			tm.hour = tm.minute = tm.second = 0, tm.microsecond = 0;
	} else if (t == T_TIME && v->t == T_DATETIME) {
		tm = v->tm;
		tm.year = 0, tm.month = 0, tm.day = 0;
	} else {
		const char *s;
		size_t n;
		int rc;
		bool ok;

		if (v->t == T_DEC || v->t == T_INT || v->t == T_UINT ||
		    v->t == T_DBL) {
			rc = to_text(c, v, &s, &n);
			if (rc)
				return rc;
			if (t != T_TIME) {
				const char *dot = memchr(s, '.', n);

				if (dot)
					n = (size_t)(dot - s);
			}
		} else {
			s = v->s;
			n = v->n;
		}
		ok = t == T_TIME ? parse_time(s, n, &tm)
				 : parse_datetime(s, n, &tm, &has_time);
		if (!ok) {
			set_null(v, t);
			return 0;
		}
		if (t == T_DATE)
			tm.hour = tm.minute = tm.second = 0, tm.microsecond = 0;
	}
	memset(v, 0, sizeof(*v));
	v->t = t;
	v->tm = tm;
	v->scale = fsp;
	if (fsp < 6)
		v->tm.microsecond = v->tm.microsecond /
				    (uint32_t)pow10i(6 - fsp) *
				    (uint32_t)pow10i(6 - fsp);
	return 0;
}

static int to_str_ev(ectx *c, ev *v)
{
	const char *s;
	size_t n;
	int rc;

	if (v->null) {
		v->t = T_STR;
		return 0;
	}
	if (v->t == T_STR) {
		v->hexnum = false;
		return 0;
	}
	rc = to_text(c, v, &s, &n);
	if (rc)
		return rc;
	set_str(v, s, n, false);
	return 0;
}

/* ------------------------------------------------------ type aggregation */

typedef struct agg {
	tclass t;
	int scale;
	bool bin;
	bool any;
} agg;

static void agg_add(agg *a, const ev *v)
{
	tclass t = v->t;
	int sc = nominal(v);

	if (t == T_NULL)
		return;
	if (!a->any) {
		a->t = t;
		a->scale = sc;
		a->bin = v->bin;
		a->any = true;
		return;
	}
	a->bin = a->bin || v->bin;
	if (sc > a->scale)
		a->scale = sc;
	if (a->t == t)
		return;
	if (is_exact(a->t) && is_exact(t)) {
		if (a->t == T_DEC || t == T_DEC) {
			if (t == T_DEC && sc > a->scale)
				a->scale = sc;
			a->t = T_DEC;
		} else {
			a->t = T_DEC; /* signed with unsigned */
		}
		return;
	}
	if ((is_exact(a->t) || a->t == T_DBL) && (is_exact(t) || t == T_DBL)) {
		a->t = T_DBL;
		return;
	}
	if ((a->t == T_DATE && t == T_DATETIME) ||
	    (a->t == T_DATETIME && t == T_DATE)) {
		a->t = T_DATETIME;
		if (v->scale > a->scale)
			a->scale = v->scale;
		return;
	}
	a->t = T_STR;
}

static int agg_apply(ectx *c, const agg *a, ev *v)
{
	if (!a->any) {
		set_null(v, T_NULL);
		return 0;
	}
	if (v->null) {
		bool bin = a->bin;

		set_null(v, a->t);
		v->scale = a->scale;
		v->bin = bin;
		return 0;
	}
	switch (a->t) {
	case T_DEC:
		/* the value passes unchanged (its own digits, a MOD's -0
		 * included); only the decimals printed are the type's */
		if (v->t == T_DEC) {
			v->dec = a->scale;
			return 0;
		}
		if (is_exact(v->t)) {
			dn m;
			int sc;

			as_dec(v, &m, &sc);
			set_dec(v, m, sc);
			v->dec = a->scale;
			return 0;
		}
		return to_dec(c, v, a->scale);
	case T_DBL: {
		double d = to_dbl(v);

		set_dbl(v, d);
		v->scale = a->scale;
		return 0;
	}
	case T_STR: {
		int rc = to_str_ev(c, v);

		v->bin = v->bin || a->bin;
		return rc;
	}
	case T_DATE:
	case T_DATETIME:
	case T_TIME:
		return to_temporal(c, v, a->t, a->scale);
	case T_INT:
	case T_UINT:
	default:
		return 0;
	}
}

/* --------------------------------------------------------- comparisons */

static int fold(int ch)
{
	return ch >= 'a' && ch <= 'z' ? ch - 32 : ch;
}

/* Pairs of case-mapped code points in utf8mb4_general_ci: upper case at
 * [0]..[1] (step [3]), lower case at upper + [2]. Steps of 2 are the
 * alternating upper/lower blocks. Checked code point by code point against
 * MariaDB 10.11 for U+0080..U+017F, U+0370..U+04FF. */
static const uint32_t case_pairs[][4] = {
	{ 0x00C0, 0x00D6, 32, 1 }, { 0x00D8, 0x00DE, 32, 1 },
	{ 0x0100, 0x012E, 1, 2 },  { 0x0132, 0x0136, 1, 2 },
	{ 0x0139, 0x0147, 1, 2 },  { 0x014A, 0x0176, 1, 2 },
	{ 0x0179, 0x017D, 1, 2 },  { 0x0386, 0x0386, 38, 1 },
	{ 0x0388, 0x038A, 37, 1 }, { 0x038C, 0x038C, 64, 1 },
	{ 0x038E, 0x038F, 63, 1 }, { 0x0391, 0x03A1, 32, 1 },
	{ 0x03A3, 0x03AB, 32, 1 }, { 0x03DA, 0x03EE, 1, 2 },
	{ 0x0400, 0x040F, 80, 1 }, { 0x0410, 0x042F, 32, 1 },
	{ 0x0460, 0x0480, 1, 2 },  { 0x048C, 0x04BE, 1, 2 },
	{ 0x04C1, 0x04C3, 1, 2 },  { 0x04C7, 0x04C7, 1, 2 },
	{ 0x04CB, 0x04CB, 1, 2 },  { 0x04D0, 0x04F4, 1, 2 },
	{ 0x04F8, 0x04F8, 1, 2 },
};

/* Lower case letters with no partner in case_pairs and their upper case
 * (the mapping is one way: UPPER('ı') is 'I' but LOWER('I') is 'i'). */
static const uint32_t upper_only[][2] = {
	{ 0x00B5, 0x039C }, { 0x00FF, 0x0178 }, { 0x0131, 0x0049 },
	{ 0x017F, 0x0053 }, { 0x03C2, 0x03A3 }, { 0x03D0, 0x0392 },
	{ 0x03D1, 0x0398 }, { 0x03D5, 0x03A6 }, { 0x03D6, 0x03A0 },
	{ 0x03F0, 0x039A }, { 0x03F1, 0x03A1 }, { 0x03F2, 0x03A3 },
};

/* UPPER (up) or LOWER of code point cp, as utf8mb4_general_ci maps it for
 * ASCII, Latin-1 Supplement, Latin Extended-A, Greek and Cyrillic; other
 * code points map to themselves. */
static uint32_t case_map(uint32_t cp, bool up)
{
	size_t k;

	if (cp < 0x80) {
		if (up)
			return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
		return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
	}
	if (!up && cp == 0x0130)
		return 'i';
	if (!up && cp == 0x0178)
		return 0x00FF;
	for (k = 0; up && k < sizeof(upper_only) / sizeof(upper_only[0]); k++)
		if (cp == upper_only[k][0])
			return upper_only[k][1];
	for (k = 0; k < sizeof(case_pairs) / sizeof(case_pairs[0]); k++) {
		const uint32_t *r = case_pairs[k];
		uint32_t u = up ? cp - r[2] : cp;

		if (up && cp < r[2])
			continue;
		if (u >= r[0] && u <= r[1] && (u - r[0]) % r[3] == 0)
			return up ? u : u + r[2];
	}
	return cp;
}

/* Next UTF-8 character of s at *p, folded for the general_ci collation
 * (upper case, see case_map). */
static uint32_t next_char(const char *s, size_t n, size_t *p, bool ci)
{
	unsigned char b = (unsigned char)s[*p];
	uint32_t cp;
	int extra, k;

	if (b < 0x80) {
		(*p)++;
		return ci ? (uint32_t)fold(b) : b;
	}
	extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
	cp = extra == 3 ? b & 7u : extra == 2 ? b & 15u : extra == 1 ? b & 31u : b;
	if (*p + (size_t)extra >= n + 0 && *p + (size_t)extra > n - 1) {
		(*p)++;
		return 0x110000u + b;
	}
	for (k = 1; k <= extra; k++) {
		unsigned char cb = (unsigned char)s[*p + (size_t)k];

		if ((cb & 0xC0) != 0x80) {
			(*p)++;
			return 0x110000u + b;
		}
		cp = (cp << 6) | (cb & 0x3Fu);
	}
	*p += (size_t)extra + 1;
	return ci ? case_map(cp, true) : cp;
}

static size_t char_len(const char *s, size_t n)
{
	size_t p = 0, k = 0;

	while (p < n) {
		next_char(s, n, &p, false);
		k++;
	}
	return k;
}

/* Byte offset of character index k (clamped to n). */
static size_t char_off(const char *s, size_t n, size_t k)
{
	size_t p = 0;

	while (p < n && k > 0) {
		next_char(s, n, &p, false);
		k--;
	}
	return p;
}

static int str_cmp(const ev *a, const ev *b)
{
	bool bin = a->bin || b->bin;
	size_t pa = 0, pb = 0;

	if (bin) {
		size_t n = a->n < b->n ? a->n : b->n;
		int r = memcmp(a->s, b->s, n);

		if (r)
			return r < 0 ? -1 : 1;
		return a->n < b->n ? -1 : a->n > b->n;
	}
	for (;;) {
		uint32_t ca, cb;

		if (pa >= a->n && pb >= b->n)
			return 0;
		ca = pa < a->n ? next_char(a->s, a->n, &pa, true) : ' ';
		cb = pb < b->n ? next_char(b->s, b->n, &pb, true) : ' ';
		if (ca != cb)
			return ca < cb ? -1 : 1;
	}
}

static int tm_cmp(const dm_time *a, const dm_time *b)
{
	uint64_t x = ((((uint64_t)a->year * 13 + a->month) * 32 + a->day) *
		      839 + a->hour) * 3600 + a->minute * 60u + a->second;
	uint64_t y = ((((uint64_t)b->year * 13 + b->month) * 32 + b->day) *
		      839 + b->hour) * 3600 + b->minute * 60u + b->second;
	int sa = a->negative ? -1 : 1, sb = b->negative ? -1 : 1;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (x != y)
		return (x < y ? -1 : 1) * sa;
	if (a->microsecond != b->microsecond)
		return (a->microsecond < b->microsecond ? -1 : 1) * sa;
	return 0;
}

static int dbl_cmp(double a, double b)
{
	return a < b ? -1 : a > b;
}

/* Compare two non-NULL values with MariaDB's coercions; *res -1/0/1.
 * Returns a status; *is_null when a conversion gave NULL. */
static int cmp_values(ectx *c, const ev *a, const ev *b, int *res,
		      bool *is_null)
{
	ev ha, hb;

	*is_null = false;
	if (a->t == T_STR && b->t == T_STR) {
		*res = str_cmp(a, b);
		return 0;
	}
	/* a 0x.. literal against a number (or temporal) is a number */
	if (a->hexnum || b->hexnum) {
		ha = *a;
		hb = *b;
		numify(&ha);
		numify(&hb);
		a = &ha;
		b = &hb;
	}
	if (is_temporal(a->t) || is_temporal(b->t)) {
		ev x = *a, y = *b;
		tclass t;
		int rc;

		if (is_temporal(a->t) && is_temporal(b->t)) {
			t = a->t == b->t ? a->t :
			    (a->t == T_TIME || b->t == T_TIME) ? T_DATETIME
							       : T_DATETIME;
		} else {
			t = is_temporal(a->t) ? a->t : b->t;
			if (!(x.t == T_STR || y.t == T_STR)) {
				*res = dbl_cmp(to_dbl(a), to_dbl(b));
				return 0;
			}
		}
		rc = to_temporal(c, &x, t, 6);
		if (!rc)
			rc = to_temporal(c, &y, t, 6);
		if (rc)
			return rc;
		/* a string that is not a date compares as the zero date
		 * (with a warning on the server) */
		if (x.null)
			memset(&x.tm, 0, sizeof(x.tm));
		if (y.null)
			memset(&y.tm, 0, sizeof(y.tm));
		*res = tm_cmp(&x.tm, &y.tm);
		return 0;
	}
	if (is_exact(a->t) && is_exact(b->t)) {
		dn ma, mb;
		int sa, sb, s;

		as_dec(a, &ma, &sa);
		as_dec(b, &mb, &sb);
		s = sa > sb ? sa : sb;
		if (!dec_rescale(ma, sa, s, &ma) || !dec_rescale(mb, sb, s, &mb)) {
			*res = dbl_cmp(to_dbl(a), to_dbl(b));
			return 0;
		}
		*res = dn_cmp(ma, mb);
		return 0;
	}
	*res = dbl_cmp(to_dbl(a), to_dbl(b));
	return 0;
}

/* ------------------------------------------------------------- operands */

static int eval_args(ectx *c, const dm_sql_expr *e, ev *v, size_t n)
{
	size_t k;
	int rc;

	if (e->nargs < n)
		return bad(c, "incorrect parameter count in the call");
	for (k = 0; k < n; k++) {
		rc = eval(c, e->args[k], &v[k]);
		if (rc)
			return rc;
	}
	return 0;
}

static tclass type_class(const dm_sql_data_type *dt, int *scale, bool *bin)
{
	const char *n = dt->name;

	*scale = 0;
	*bin = false;
	if (!strcmp(n, "TINYINT") || !strcmp(n, "SMALLINT") ||
	    !strcmp(n, "MEDIUMINT") || !strcmp(n, "INT") ||
	    !strcmp(n, "INTEGER") || !strcmp(n, "BIGINT") ||
	    !strcmp(n, "BOOL") || !strcmp(n, "BOOLEAN") || !strcmp(n, "YEAR"))
		return dt->is_unsigned ? T_UINT : T_INT;
	if (!strcmp(n, "DECIMAL") || !strcmp(n, "NUMERIC") ||
	    !strcmp(n, "DEC") || !strcmp(n, "FIXED")) {
		*scale = dt->scale > 0 ? (int)dt->scale : 0;
		return T_DEC;
	}
	if (!strcmp(n, "FLOAT") || !strcmp(n, "DOUBLE") || !strcmp(n, "REAL") ||
	    !strcmp(n, "DOUBLE PRECISION"))
		return T_DBL;
	if (!strcmp(n, "DATE"))
		return T_DATE;
	if (!strcmp(n, "DATETIME") || !strcmp(n, "TIMESTAMP") ||
	    !strcmp(n, "TIME")) {
		*scale = dt->length > 0 && dt->length <= 6 ? (int)dt->length : 0;
		return !strcmp(n, "TIME") ? T_TIME : T_DATETIME;
	}
	if (!strcmp(n, "BINARY") || !strcmp(n, "VARBINARY") ||
	    strstr(n, "BLOB") || (dt->charset && !strcmp(dt->charset, "binary")))
		*bin = true;
	return T_STR;
}

static int from_value(ectx *c, const dm_value *dv, ev *v)
{
	memset(v, 0, sizeof(*v));
	switch (dv->kind) {
	case DM_VALUE_ABSENT:
	case DM_VALUE_NULL:
		v->t = T_NULL;
		v->null = true;
		return 0;
	case DM_VALUE_INT:
		if (dv->flags & DM_VALUE_F_UNSIGNED) {
			v->t = T_UINT;
			v->u = (uint64_t)dv->v.i;
		} else {
			set_int(v, dv->v.i);
		}
		return 0;
	case DM_VALUE_UINT:
	case DM_VALUE_YEAR:
		v->t = T_UINT;
		v->u = dv->v.u;
		if (v->u <= INT64_MAX)
			set_int(v, (int64_t)dv->v.u);
		return 0;
	case DM_VALUE_FLOAT:
		set_dbl(v, dv->v.f);
		return 0;
	case DM_VALUE_DOUBLE:
		set_dbl(v, dv->v.d);
		return 0;
	case DM_VALUE_DECIMAL: {
		dn m;
		int sc;

		if (!dec_parse(dv->v.str.ptr, dv->v.str.len, &m, &sc))
			return bad(c, "a DECIMAL value is not a number of at "
				      "most 81 digits");
		set_dec(v, m, sc);
		return 0;
	}
	case DM_VALUE_STRING:
	case DM_VALUE_JSON:
	case DM_VALUE_BYTES:
		set_str(v, dv->v.str.ptr ? dv->v.str.ptr : "", dv->v.str.len,
			dv->kind == DM_VALUE_BYTES);
		return 0;
	case DM_VALUE_DATE:
	case DM_VALUE_DATETIME:
	case DM_VALUE_TIME:
		v->t = dv->kind == DM_VALUE_DATE ? T_DATE :
		       dv->kind == DM_VALUE_TIME ? T_TIME : T_DATETIME;
		v->tm = dv->v.time;
		v->scale = dv->v.time.fsp;
		return 0;
	case DM_VALUE_TIMESTAMP: {
		int64_t s = dv->v.ts.sec + c->o.tz_offset, days = s / 86400, y;
		int64_t r = s % 86400;
		unsigned mo, d;

		if (r < 0) {
			r += 86400;
			days--;
		}
		v->t = T_DATETIME;
		v->scale = dv->v.ts.fsp;
		if (dv->v.ts.sec == 0 && dv->v.ts.usec == 0)
			return 0;
		civil_from_days(days, &y, &mo, &d);
		v->tm.year = (uint16_t)y;
		v->tm.month = (uint8_t)mo;
		v->tm.day = (uint8_t)d;
		v->tm.hour = (uint16_t)(r / 3600);
		v->tm.minute = (uint8_t)(r / 60 % 60);
		v->tm.second = (uint8_t)(r % 60);
		v->tm.microsecond = dv->v.ts.usec;
		return 0;
	}
	case DM_VALUE_BIT:
		v->t = T_UINT;
		v->u = dv->v.bit.bits;
		return 0;
	case DM_VALUE_ENUM:
		if (dv->v.enm.names && dv->v.enm.index >= 1 &&
		    dv->v.enm.index <= dv->v.enm.nnames) {
			const dm_str *s = &dv->v.enm.names[dv->v.enm.index - 1];

			set_str(v, s->ptr, s->len, false);
		} else {
			set_str(v, "", 0, false);
		}
		return 0;
	default:
		return unsup(c, "this column type");
	}
}

static int eval_column(ectx *c, const dm_sql_expr *e, ev *v)
{
	size_t k;
	const dm_sql_eval_row *row = c->row;

	for (k = 0; row && k < row->ncolumns; k++) {
		const dm_sql_eval_column *col = &row->columns[k];
		int rc, scale;
		bool bin;
		tclass t;

		if (!col->name || strcasecmp(col->name, e->value.ptr) != 0)
			continue;
		if (!col->value)
			return bad(c, "column has no value");
		rc = from_value(c, col->value, v);
		if (rc || !col->type)
			return rc;
		t = type_class(col->type, &scale, &bin);
		if (v->null) {
			v->t = t;
			v->scale = scale;
			v->bin = bin;
		} else if (t == T_DEC && v->t == T_DEC) {
			/* bin2decimal: the type's integer digits but for
			 * leading words of zeros */
			int prec = col->type->length > 0 ? (int)col->type->length
							 : 10;
			int full = (prec - scale) / 9 * 9, d;

			if (v->scale != scale && (rc = to_dec(c, v, scale)))
				return rc;
			d = dec_intg(v->m, v->scale);
			v->intg = d > full ? prec - scale : 9 * words(d);
		}
		return 0;
	}
	return dm_error_set(c->err, DM_E_INVALID_ARGUMENT,
			    "Unknown column '%s' in 'field list'", e->value.ptr);
}

/* Marks the binary string v as a hexadecimal/bit literal: as a number it
 * is its last 8 bytes read big-endian (MariaDB's Item_hex_hybrid). */
static void hex_hybrid(ev *v)
{
	size_t k = v->n > 8 ? v->n - 8 : 0;

	v->u = 0;
	for (; k < v->n; k++)
		v->u = v->u << 8 | (unsigned char)v->s[k];
	v->hexnum = true;
}

static int eval_literal(ectx *c, const dm_sql_expr *e, ev *v)
{
	switch (e->kind) {
	case DM_SQL_EXPR_NULL:
		set_null(v, T_NULL);
		return 0;
	case DM_SQL_EXPR_BOOL:
		set_int(v, !strcmp(e->value.ptr, "TRUE"));
		return 0;
	case DM_SQL_EXPR_INT:
	case DM_SQL_EXPR_DECIMAL: {
		dn m;
		int sc;

		/* beyond 81 digits: 65 nines (a warning on the server) */
		dec_parse(e->value.ptr, e->value.len, &m, &sc);
		if (e->kind == DM_SQL_EXPR_INT && sc == 0 &&
		    dm__dn_fits_i64(m)) {
			set_int(v, (int64_t)m.l[0]);
		} else if (e->kind == DM_SQL_EXPR_INT && sc == 0 &&
			   !dn_neg_p(m) &&
			   dn_cmp(m, dm__dn_u64(UINT64_MAX)) <= 0) {
			memset(v, 0, sizeof(*v));
			v->t = T_UINT;
			v->u = m.l[0];
		} else {
			set_dec(v, m, sc);
		}
		return 0;
	}
	case DM_SQL_EXPR_FLOAT: {
		double d = strtod(e->value.ptr, NULL);

		/* MariaDB refuses a literal beyond the DOUBLE range (1367);
		 * one below it is 0. */
		if (!isfinite(d))
			return dm_error_set(c->err, DM_E_INVALID_ARGUMENT,
					    "Illegal double '%s' value found during parsing",
					    e->value.ptr);
		set_dbl(v, d);
		return 0;
	}
	case DM_SQL_EXPR_STRING:
		set_str(v, e->value.ptr, e->value.len,
			e->charset && !strcmp(e->charset, "binary"));
		return 0;
	case DM_SQL_EXPR_HEX: {
		size_t n = e->value.len / 2, k;
		char *p = ealloc(c, n);

		if (!p)
			return oom(c);
		for (k = 0; k < n; k++) {
			char hx[3] = { e->value.ptr[2 * k], e->value.ptr[2 * k + 1],
				       0 };

			p[k] = (char)strtoul(hx, NULL, 16);
		}
		set_str(v, p, n, true);
		/* 0x41 is a number where one is wanted, X'41' never is */
		if (e->prefixed)
			hex_hybrid(v);
		return 0;
	}
	case DM_SQL_EXPR_BIT: {
		/* b'..' and 0b..: bytes right-aligned, a number in numeric
		 * context */
		size_t len = e->value.len, n = (len + 7) / 8, k;
		char *p = ealloc(c, n);

		if (!p)
			return oom(c);
		memset(p, 0, n);
		for (k = 0; k < len; k++)
			if (e->value.ptr[len - 1 - k] == '1')
				p[n - 1 - k / 8] = (char)(p[n - 1 - k / 8] |
							  (1 << (k % 8)));
		set_str(v, p, n, true);
		hex_hybrid(v);
		return 0;
	}
	case DM_SQL_EXPR_TEMPORAL: {
		tclass t = !strcmp(e->keyword, "DATE") ? T_DATE :
			   !strcmp(e->keyword, "TIME") ? T_TIME : T_DATETIME;
		const char *dot = memchr(e->value.ptr, '.', e->value.len);
		int fsp = 0;

		if (dot && t != T_DATE)
			fsp = (int)(e->value.ptr + e->value.len - dot - 1);
		if (fsp > 6)
			fsp = 6;
		set_str(v, e->value.ptr, e->value.len, false);
		if (to_temporal(c, v, t, fsp))
			return -1;
		if (v->null)
			return dm_error_set(c->err, DM_E_INVALID_ARGUMENT,
					    "Incorrect %s value: '%s'", e->keyword,
					    e->value.ptr);
		return 0;
	}
	default:
		return unsup(c, "this literal");
	}
}

/* ------------------------------------------------------------ arithmetic */

static int int_result(ectx *c, i128 r, bool is_unsigned, ev *v)
{
	if (is_unsigned) {
		if (r < 0 || r > (i128)UINT64_MAX)
			return bad(c, "BIGINT UNSIGNED value is out of range");
		memset(v, 0, sizeof(*v));
		v->t = T_UINT;
		v->u = (uint64_t)r;
		return 0;
	}
	if (r < INT64_MIN || r > INT64_MAX)
		return bad(c, "BIGINT value is out of range");
	set_int(v, (int64_t)r);
	return 0;
}

/* An exact integer result (DIV of decimals) as BIGINT [UNSIGNED]. */
static int dn_int_result(ectx *c, dn r, bool is_unsigned, ev *v)
{
	if (dm__dn_fits_i64(r))
		return int_result(c, (int64_t)r.l[0], is_unsigned, v);
	if (!dn_neg_p(r) && dn_cmp(r, dm__dn_u64(UINT64_MAX)) <= 0)
		return int_result(c, (i128)r.l[0], is_unsigned, v);
	return bad(c, is_unsigned ? "BIGINT UNSIGNED value is out of range"
				  : "BIGINT value is out of range");
}

static int dec_overflow(ectx *c)
{
	return bad(c, "DECIMAL value is out of range");
}

/* A decimal result in MariaDB's 9 words: more integer words are an
 * overflow; the fraction is truncated to the words left. */
static int dec_result(ectx *c, dn m, int scale, ev *v)
{
	int intg = dec_intg(m, scale), room = frac_room(intg);

	if (words(intg) > DEC_WORDS)
		return dec_overflow(c);
	if (scale > room) {
		m = dn_trunc10(m, scale - room);
		scale = room;
	}
	set_dec(v, m, scale);
	return 0;
}

/* Number class an operand takes in arithmetic. */
static void numify(ev *v)
{
	if (v->json) {
		json_num_text(v, &v->s, &v->n);
		v->json = false;
	}
	if (v->hexnum && !v->null) {
		uint64_t u = v->u;

		memset(v, 0, sizeof(*v));
		v->t = T_UINT;
		v->u = u;
	} else if (is_temporal(v->t) && !v->null)
		temporal_to_num(v);
	else if (is_temporal(v->t))
		v->t = T_INT;
}

/* *q = x * 10^k / y truncated toward zero (y != 0, k >= 0), by long
 * division so that only the quotient has to fit. */
static bool div_scaled(dn x, int k, dn y, dn *q)
{
	dn r, d;

	dm__dn_divmod(x, y, q, &r);
	while (k > 0) {
		int step = k < 18 ? k : 18;

		if (!dn_shift(r, step, &r) || !dn_shift(*q, step, q))
			return false;
		dm__dn_divmod(r, y, &d, &r);
		if (!dm__dn_add(*q, d, q))
			return false;
		k -= step;
	}
	return true;
}

/* The decimal MariaDB makes of a DOUBLE (double2decimal): the shortest
 * digits that read back as the same double; more than 81 integer digits
 * give 65 nines, fraction digits beyond the 81 a value holds are cut. */
static void dbl_as_dec(double d, dn *m, int *scale)
{
	char buf[40], *e;
	int prec, exp, nd = 0, sc;
	dn r = DNI(0);
	const char *p;

	for (prec = 0; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	snprintf(buf, sizeof(buf), "%.*e", prec, d);
	e = strchr(buf, 'e');
	exp = e ? (int)strtol(e + 1, NULL, 10) : 0;
	for (p = buf; p < e; p++) {
		if (!isdigit((unsigned char)*p))
			continue;
		dm__dn_mul(r, DNI(10), &r);
		dm__dn_add(r, DNI(*p - '0'), &r);
		nd++;
	}
	/* value = r * 10^(exp - nd + 1) */
	if (exp + 1 > DEC_WORDS * 9) {
		r = dm__dn_pow10(65);
		dm__dn_sub(r, DNI(1), &r);
		sc = 0;
	} else if (exp - nd + 1 >= 0) {
		dm__dn_mul(r, dm__dn_pow10(exp - nd + 1), &r);
		sc = 0;
	} else {
		sc = nd - 1 - exp;
		if (sc > DEC_WORDS * 9) {
			r = sc - DEC_WORDS * 9 > DM__DN_MAXPOW ? DNI(0) :
			    dn_trunc10(r, sc - DEC_WORDS * 9);
			sc = DEC_WORDS * 9;
		}
	}
	*m = d < 0 ? dm__dn_neg(r) : r;
	*scale = sc;
}

/* a DIV b when either is not an integer: MariaDB divides the operands'
 * decimals and truncates the quotient to a BIGINT. */
static int dec_int_div(ectx *c, const ev *a, const ev *b, bool uns, ev *v)
{
	dn x, y, q;
	int sx, sy, s;

	if (is_exact(a->t))
		as_dec(a, &x, &sx);
	else
		dbl_as_dec(to_dbl(a), &x, &sx);
	if (is_exact(b->t))
		as_dec(b, &y, &sy);
	else
		dbl_as_dec(to_dbl(b), &y, &sy);
	if (dn_zero_p(y)) {
		set_null(v, T_INT);
		return 0;
	}
	s = sx > sy ? sx : sy;
	if (!dec_rescale(x, sx, s, &x) || !dec_rescale(y, sy, s, &y))
		return bad(c, "BIGINT value is out of range");
	dm__dn_divmod(x, y, &q, NULL);
	return dn_int_result(c, q, uns, v);
}

static int arith(ectx *c, dm_sql_op op, ev *a, ev *b, ev *v)
{
	tclass t;
	bool uns;
	int rc, na, nb, nd = 0;

	numify(a);
	numify(b);
	if (a->t == T_DBL || b->t == T_DBL || a->t == T_STR || b->t == T_STR)
		t = T_DBL;
	else if (a->t == T_DEC || b->t == T_DEC || op == DM_SQL_OP_DIV)
		t = T_DEC;
	else
		t = T_INT;
	/* a NULL literal counts as a string: the arithmetic is DOUBLE */
	if (a->t == T_NULL || b->t == T_NULL)
		t = T_DBL;
	uns = (a->t == T_UINT || b->t == T_UINT);
	na = nominal(a);
	nb = nominal(b);
	if (t == T_DEC)
		nd = op == DM_SQL_OP_DIV ? na + DIV_PREC :
		     op == DM_SQL_OP_MUL ? na + nb : na > nb ? na : nb;
	if (nd > MAX_SCALE)
		nd = MAX_SCALE;
	if (t == T_DBL) {
		nd = (na > nb ? na : nb) + (op == DM_SQL_OP_DIV ? DIV_PREC : 0);
		if (nd > DBL_NF)
			nd = DBL_NF;
	}
	if (a->null || b->null) {
		set_null(v, op == DM_SQL_OP_INT_DIV ? T_INT : t);
		if (t != T_INT && op != DM_SQL_OP_INT_DIV)
			v->scale = nd;
		return 0;
	}
	if (t == T_DBL) {
		double x = to_dbl(a), y = to_dbl(b), r;

		switch (op) {
		case DM_SQL_OP_ADD: r = x + y; break;
		case DM_SQL_OP_SUB: r = x - y; break;
		case DM_SQL_OP_MUL: r = x * y; break;
		case DM_SQL_OP_DIV:
			if (y == 0) {
				set_null(v, T_DBL);
				v->scale = nd;
				return 0;
			}
			r = x / y;
			break;
		case DM_SQL_OP_MOD:
			if (y == 0) {
				set_null(v, T_DBL);
				v->scale = nd;
				return 0;
			}
			r = fmod(x, y);
			break;
		case DM_SQL_OP_INT_DIV:
			return dec_int_div(c, a, b, uns, v);
		default:
			return unsup(c, "this operator");
		}
		if (!isfinite(r))
			return bad(c, "DOUBLE value is out of range");
		set_dbl(v, r);
		v->scale = nd;
		return 0;
	}
	if (t == T_INT) {
		i128 x = a->t == T_UINT ? (i128)a->u : a->i;
		i128 y = b->t == T_UINT ? (i128)b->u : b->i, r;

		switch (op) {
		case DM_SQL_OP_ADD: r = x + y; break;
		case DM_SQL_OP_SUB: r = x - y; break;
		case DM_SQL_OP_MUL:
			if (__builtin_mul_overflow(x, y, &r))
				return bad(c, "BIGINT value is out of range");
			break;
		case DM_SQL_OP_INT_DIV:
			if (y == 0) {
				set_null(v, T_INT);
				return 0;
			}
			r = x / y;
			break;
		case DM_SQL_OP_MOD:
			if (y == 0) {
				set_null(v, T_INT);
				return 0;
			}
			r = x % y;
			return int_result(c, r, a->t == T_UINT, v);
		default:
			return unsup(c, "this operator");
		}
		return int_result(c, r, uns, v);
	}
	/* decimal */
	{
		dn x, y, r;
		int sx, sy, s, ix, iy;

		as_dec(a, &x, &sx);
		as_dec(b, &y, &sy);
		ix = dec_intg_ev(a, x, sx);
		iy = dec_intg_ev(b, y, sy);
		/* do_sub (a sum of different signs, a difference of equal
		 * ones) skips leading zero words; do_add keeps them */
		if ((op == DM_SQL_OP_ADD || op == DM_SQL_OP_SUB) &&
		    (dn_neg_p(x) != dn_neg_p(y)) == (op == DM_SQL_OP_ADD)) {
			ix = dec_intg(x, sx);
			iy = dec_intg(y, sy);
		}
		switch (op) {
		case DM_SQL_OP_ADD:
		case DM_SQL_OP_SUB:
		case DM_SQL_OP_MOD: {
			/* do_add/do_sub: the wider integer part; the
			 * operands' fractions cut to the words it leaves */
			int iw = words(ix > iy ? ix : iy);
			int room = iw > DEC_WORDS ? 0 : (DEC_WORDS - iw) * 9;

			s = sx > sy ? sx : sy;
			if (op != DM_SQL_OP_MOD &&
			    words(s) > DEC_WORDS - iw) {
				if (sx > room) {
					x = dn_trunc10(x, sx - room);
					sx = room;
				}
				if (sy > room) {
					y = dn_trunc10(y, sy - room);
					sy = room;
				}
				s = sx > sy ? sx : sy;
			}
			if (!dec_rescale(x, sx, s, &x) || !dec_rescale(y, sy, s, &y))
				return dec_overflow(c);
			if (op == DM_SQL_OP_MOD) {
				if (dn_zero_p(y)) {
					set_null(v, T_DEC);
					v->scale = nd;
					return 0;
				}
				dm__dn_divmod(x, y, NULL, &r);
				rc = dec_result(c, r, s, v);
				/* the remainder keeps the dividend's sign, zero
				 * included when it has a fraction (a zero
				 * dividend gives 0) */
				if (!rc && dn_zero_p(v->m) && dn_neg_p(x) && s > 0)
					v->negz = true;
				v->dec = nd;
				return rc;
			}
			if (!(op == DM_SQL_OP_SUB ? dm__dn_sub(x, y, &r)
						  : dm__dn_add(x, y, &r)))
				return dec_overflow(c);
			rc = dec_result(c, r, s, v);
			/* the sum has the wider operand's integer words */
			if (!rc)
				v->intg = 9 * words(ix > iy ? ix : iy);
			v->dec = nd;
			return rc;
		}
		case DM_SQL_OP_MUL: {
			/* decimal_mul: ROUND_UP(intg1 + intg2) integer words;
			 * when the fraction words do not fit, words are
			 * dropped one at a time from the end: a zero one
			 * first, else from the operand with more, else the
			 * smaller last word */
			int iw = words(ix + iy), f1 = words(sx), f2 = words(sy);
			int fw = f1 + f2, s0 = sx + sy;

			if (iw > DEC_WORDS)
				return dec_overflow(c);
			if (iw + fw > DEC_WORDS) {
				int want = DEC_WORDS - iw;

				while (f1 + f2 > want) {
					uint64_t w1 = dec_word(x, sx, f1);
					uint64_t w2 = dec_word(y, sy, f2);

					if (w1 == 0)
						f1--;
					else if (w2 == 0)
						f2--;
					else if (f1 != f2)
						f1 > f2 ? f1-- : f2--;
					else if (w1 < w2)
						f1--;
					else
						f2--;
				}
				if (f1 < 0)
					f1 = 0;
				if (f2 < 0)
					f2 = 0;
				if (sx > f1 * 9) {
					x = dn_trunc10(x, sx - f1 * 9);
					sx = f1 * 9;
				}
				if (sy > f2 * 9) {
					y = dn_trunc10(y, sy - f2 * 9);
					sy = f2 * 9;
				}
				fw = DEC_WORDS - iw;
			}
			s = sx + sy;
			if (!dm__dn_mul(x, y, &r))
				return dec_overflow(c);
			/* the product keeps the operands' decimals (the
			 * words it has room for) though digits were cut */
			if (s0 > fw * 9)
				s0 = fw * 9;
			if (s < s0 && dec_rescale(r, s, s0, &r))
				s = s0;
			/* the product keeps at most NOT_FIXED_DEC (39)
			 * decimals and the words it has */
			{
				int keep = fw * 9 < 39 ? fw * 9 : 39;

				if (s > keep) {
					r = dn_trunc10(r, s - keep);
					s = keep;
				}
			}
			rc = dec_result(c, r, s, v);
			/* the product's leading zero words go, but one */
			if (!rc && ix + iy > 0) {
				int w = words(dec_intg(v->m, v->scale));

				v->intg = 9 * (w > 1 ? w : 1);
			}
			v->dec = nd;
			return rc;
		}
		case DM_SQL_OP_DIV:
		case DM_SQL_OP_INT_DIV: {
			dn q;

			/* MariaDB's quotient (do_div_mod) has whole 9-digit
			 * words of fraction: those of both operands plus
			 * what is left of div_precision_increment after
			 * their rounding up; it is truncated there, and only
			 * printing rounds it to the type's decimals. */
			if (op == DM_SQL_OP_DIV) {
				int f1 = (sx + 8) / 9 * 9, f2 = (sy + 8) / 9 * 9;
				int inc = DIV_PREC - (f1 - sx) - (f2 - sy);

				s = f1 + f2 + (inc > 0 ? inc : 0);
				s = (s + 8) / 9 * 9;
			} else {
				s = 0;
			}
			if (dn_zero_p(y)) {
				set_null(v, op == DM_SQL_OP_DIV ? T_DEC : T_INT);
				if (op == DM_SQL_OP_DIV)
					v->scale = nd;
				return 0;
			}
			/* x/10^sx / (y/10^sy) * 10^s = x*10^(s+sy-sx) / y */
			if (s + sy - sx >= 0) {
				if (!div_scaled(x, s + sy - sx, y, &q))
					return dec_overflow(c);
			} else {
				if (!dec_rescale(y, 0, sx - s - sy, &y))
					return dec_overflow(c);
				dm__dn_divmod(x, y, &q, NULL);
			}
			if (op == DM_SQL_OP_INT_DIV)
				return dn_int_result(c, q, uns, v);
			rc = dec_result(c, q, s, v);
			/* a quotient of no digits keeps the sign of a nonzero
			 * dividend over the divisor unless printing rounds it
			 * (the type has fewer decimals than the quotient) */
			if (!rc && dn_zero_p(v->m) && !dn_zero_p(x) &&
			    dn_neg_p(x) != dn_neg_p(y) && nd >= s)
				v->negz = true;
			v->dec = nd;
			return rc;
		}
		default:
			return unsup(c, "this operator");
		}
	}
}

static int negate(ectx *c, ev *v)
{
	numify(v);
	if (v->t == T_NULL) {
		/* -NULL is a DOUBLE NULL */
		set_null(v, T_DBL);
		v->scale = 0;
		return 0;
	}
	if (v->null)
		return 0;
	switch (v->t) {
	case T_INT:
		if (v->i == INT64_MIN)
			return bad(c, "BIGINT value is out of range");
		v->i = -v->i;
		return 0;
	case T_UINT:
		if (v->u <= (uint64_t)INT64_MAX + 1) {
			set_int(v, v->u == (uint64_t)INT64_MAX + 1 ? INT64_MIN
								   : -(int64_t)v->u);
			return 0;
		}
		set_dec(v, dm__dn_neg(dm__dn_u64(v->u)), 0);
		return 0;
	case T_DEC:
		v->m = dm__dn_neg(v->m);
		return 0;
	default:
		set_dbl(v, -to_dbl(v));
		return 0;
	}
}

/* ----------------------------------------------------------- date math */

static int64_t tm_days(const dm_time *t)
{
	return days_from_civil(t->year, t->month, t->day);
}

static void tm_from_days(dm_time *t, int64_t days)
{
	int64_t y;
	unsigned m, d;

	civil_from_days(days, &y, &m, &d);
	t->year = (uint16_t)y;
	t->month = (uint8_t)m;
	t->day = (uint8_t)d;
}

/* Add an interval to v (DATE or DATETIME); NULL when out of range. */
static int add_interval(ectx *c, ev *v, const ev *amount, const char *unit,
			bool sub)
{
	int64_t n;
	bool u;
	int rc;

	if (v->null || amount->null) {
		set_null(v, v->t == T_DATE ? T_DATE : T_DATETIME);
		return 0;
	}
	rc = to_int(c, amount, &n, &u);
	if (rc)
		return rc;
	if (sub)
		n = -n;
	if (v->t != T_DATE && v->t != T_DATETIME) {
		rc = to_temporal(c, v, T_DATETIME, 0);
		if (rc)
			return rc;
		if (v->null)
			return 0;
		{
			bool ht;
			dm_time tmp;

			(void)ht;
			(void)tmp;
		}
	}
	if (v->tm.month == 0 || v->tm.day == 0 || n > 100000000 || n < -100000000) {
		set_null(v, v->t);
		return 0;
	}
	if (!strcmp(unit, "YEAR") || !strcmp(unit, "MONTH") ||
	    !strcmp(unit, "QUARTER")) {
		int64_t mon = v->tm.year * 12LL + v->tm.month - 1 +
			      (!strcmp(unit, "YEAR") ? n * 12 :
			       !strcmp(unit, "QUARTER") ? n * 3 : n);
		unsigned dim;

		if (mon < 0 || mon >= 10000 * 12) {
			set_null(v, v->t);
			return 0;
		}
		v->tm.year = (uint16_t)(mon / 12);
		v->tm.month = (uint8_t)(mon % 12 + 1);
		dim = days_in_month(v->tm.year, v->tm.month);
		if (v->tm.day > dim)
			v->tm.day = (uint8_t)dim;
		return 0;
	} else {
		int64_t secs, mul, days;

		if (!strcmp(unit, "DAY"))
			mul = 86400;
		else if (!strcmp(unit, "WEEK"))
			mul = 7 * 86400;
		else if (!strcmp(unit, "HOUR"))
			mul = 3600;
		else if (!strcmp(unit, "MINUTE"))
			mul = 60;
		else if (!strcmp(unit, "SECOND"))
			mul = 1;
		else
			return unsup(c, "this interval unit");
		if (mul != 86400 && mul != 7 * 86400 && v->t == T_DATE)
			v->t = T_DATETIME;
		secs = tm_days(&v->tm) * 86400 + v->tm.hour * 3600 +
		       v->tm.minute * 60 + v->tm.second + n * mul;
		days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
		if (days < days_from_civil(0, 1, 1) ||
		    days > days_from_civil(9999, 12, 31)) {
			set_null(v, v->t);
			return 0;
		}
		secs -= days * 86400;
		tm_from_days(&v->tm, days);
		v->tm.hour = (uint16_t)(secs / 3600);
		v->tm.minute = (uint8_t)(secs / 60 % 60);
		v->tm.second = (uint8_t)(secs % 60);
		return 0;
	}
}

/* ------------------------------------------------------------- LIKE */

typedef struct pat {
	const char *s;
	size_t n;
	uint32_t esc;
	bool ci;
} pat;

static bool like_match(const pat *pt, size_t pp, const char *s, size_t n,
		       size_t sp, int depth)
{
	while (pp < pt->n) {
		size_t q = pp;
		uint32_t pc = next_char(pt->s, pt->n, &q, pt->ci);
		uint32_t raw;

		{
			size_t r = pp;

			raw = next_char(pt->s, pt->n, &r, false);
		}
		if (raw == '%') {
			size_t t = sp;

			while (q < pt->n && (pt->s[q] == '%' || pt->s[q] == '_')) {
				if (pt->s[q] == '_') {
					if (t >= n)
						return false;
					next_char(s, n, &t, false);
				}
				q++;
			}
			if (q >= pt->n)
				return true;
			if (depth > 64)
				return false;
			for (;;) {
				if (like_match(pt, q, s, n, t, depth + 1))
					return true;
				if (t >= n)
					return false;
				next_char(s, n, &t, false);
			}
		}
		if (raw == '_') {
			if (sp >= n)
				return false;
			next_char(s, n, &sp, false);
			pp = q;
			continue;
		}
		if (raw == pt->esc && q < pt->n) {
			pc = next_char(pt->s, pt->n, &q, pt->ci);
		}
		if (sp >= n)
			return false;
		if (next_char(s, n, &sp, pt->ci) != pc)
			return false;
		pp = q;
	}
	return sp >= n;
}

/* ------------------------------------------------------------ functions */

static bool fname_is(const dm_sql_expr *e, const char *name)
{
	return strcasecmp(e->value.ptr, name) == 0;
}

static int need_args(ectx *c, const dm_sql_expr *e, size_t lo, size_t hi)
{
	if (e->nargs < lo || e->nargs > hi)
		return dm_error_set(c->err, DM_E_INVALID_ARGUMENT,
				    "Incorrect parameter count in the call to "
				    "native function '%s'", e->value.ptr);
	return 0;
}

/* Evaluate every argument; true if any is NULL. */
static int args_all(ectx *c, const dm_sql_expr *e, ev *v, size_t n,
		    bool *any_null)
{
	size_t k;
	int rc = eval_args(c, e, v, n);

	*any_null = false;
	for (k = 0; !rc && k < n; k++)
		if (v[k].null)
			*any_null = true;
	return rc;
}

static int fn_string(ectx *c, const dm_sql_expr *e, ev *v, bool *done);
static int fn_math(ectx *c, const dm_sql_expr *e, ev *v, bool *done);
static int fn_date(ectx *c, const dm_sql_expr *e, ev *v, bool *done);
static int fn_time(ectx *c, const dm_sql_expr *e, ev *v, bool *done);
static int fn_json(ectx *c, const dm_sql_expr *e, ev *v, bool *done);

/* Evaluates an argument MariaDB does not evaluate (an IF, CASE, IFNULL
 * or COALESCE branch not taken) only for its type, which the result's
 * type depends on: its errors are not errors. One that fails gives an
 * untyped NULL, which does not take part in the type. */
static int eval_type_only(ectx *c, const dm_sql_expr *e, ev *v)
{
	dm_error *sink = NULL, **save = c->err;
	int rc;

	c->err = &sink;
	rc = eval(c, e, v);
	c->err = save;
	dm_error_free(sink);
	if (rc == DM_E_NO_MEMORY)
		return oom(c);
	if (rc)
		set_null(v, T_NULL);
	return 0;
}

static int fn_control(ectx *c, const dm_sql_expr *e, ev *v, bool *done)
{
	ev a[3];
	agg g = { T_NULL, 0, false, false };
	int rc;
	bool b = false;

	*done = true;
	if (fname_is(e, "IF")) {
		bool pick;

		if ((rc = need_args(c, e, 3, 3)) || (rc = eval(c, e->args[0], &a[0])))
			return rc;
		pick = to_bool(&a[0], &b) && b;
		if ((rc = (pick ? eval : eval_type_only)(c, e->args[1], &a[1])) ||
		    (rc = (pick ? eval_type_only : eval)(c, e->args[2], &a[2])))
			return rc;
		agg_add(&g, &a[1]);
		agg_add(&g, &a[2]);
		*v = pick ? a[1] : a[2];
		return agg_apply(c, &g, v);
	}
	if (fname_is(e, "IFNULL") || fname_is(e, "NVL")) {
		if ((rc = need_args(c, e, 2, 2)) || (rc = eval(c, e->args[0], &a[0])) ||
		    (rc = (a[0].null ? eval : eval_type_only)(c, e->args[1], &a[1])))
			return rc;
		agg_add(&g, &a[0]);
		agg_add(&g, &a[1]);
		*v = a[0].null ? a[1] : a[0];
		return agg_apply(c, &g, v);
	}
	if (fname_is(e, "NULLIF")) {
		int r;
		bool isn;

		if ((rc = need_args(c, e, 2, 2)) || (rc = eval_args(c, e, a, 2)))
			return rc;
		*v = a[0];
		if ((rc = json_cmp_prep(c, &a[0], &a[1])))
			return rc;
		if (!a[0].null && !a[1].null) {
			rc = cmp_values(c, &a[0], &a[1], &r, &isn);
			if (rc)
				return rc;
			if (!isn && r == 0) {
				tclass t = a[0].t;
				int sc = a[0].scale;

				set_null(v, t);
				v->scale = sc;
			}
		}
		return 0;
	}
	if (fname_is(e, "COALESCE")) {
		size_t k;
		bool found = false;
		ev x;

		if (e->nargs == 0)
			return need_args(c, e, 1, SIZE_MAX);
		for (k = 0; k < e->nargs; k++) {
			rc = (found ? eval_type_only : eval)(c, e->args[k], &x);
			if (rc)
				return rc;
			agg_add(&g, &x);
			if (!found && !x.null) {
				*v = x;
				found = true;
			}
		}
		if (!found)
			set_null(v, T_NULL);
		return agg_apply(c, &g, v);
	}
	*done = false;
	return 0;
}

static int eval_func(ectx *c, const dm_sql_expr *e, ev *v)
{
	bool done = false;
	int rc;

	if (e->schema || e->quoted)
		return unsup(c, "a stored function");
	rc = fn_control(c, e, v, &done);
	if (rc || done)
		return rc;
	rc = fn_string(c, e, v, &done);
	if (rc || done)
		return rc;
	rc = fn_math(c, e, v, &done);
	if (rc || done)
		return rc;
	rc = fn_date(c, e, v, &done);
	if (rc || done)
		return rc;
	rc = fn_time(c, e, v, &done);
	if (rc || done)
		return rc;
	rc = fn_json(c, e, v, &done);
	if (rc || done)
		return rc;
	return dm_error_set(c->err, DM_E_NOT_SUPPORTED,
			    "expression evaluation: function %s is not "
			    "supported", e->value.ptr);
}

static int str_arg(ectx *c, ev *a)
{
	return to_str_ev(c, a);
}

static int make_str(ectx *c, ev *v, const char *s, size_t n, bool bin)
{
	char *p = ealloc(c, n);

	if (!p)
		return oom(c);
	if (n)
		memcpy(p, s, n);
	set_str(v, p, n, bin);
	return 0;
}

/* Byte offset of the first (case-folded unless bin) occurrence of needle
 * in hay at or after byte `from`; n+1 when none. */
static size_t find_sub(const char *hay, size_t n, const char *nd, size_t nn,
		       size_t from, bool ci)
{
	size_t p = from;

	while (p + nn <= n) {
		size_t a = p, b = 0;
		bool ok = true;

		while (b < nn) {
			if (a >= n ||
			    next_char(hay, n, &a, ci) != next_char(nd, nn, &b, ci)) {
				ok = false;
				break;
			}
		}
		if (ok)
			return p;
		next_char(hay, n, &p, false);
	}
	return n + 1;
}

static int fn_string(ectx *c, const dm_sql_expr *e, ev *v, bool *done)
{
	ev a[3];
	bool anyn;
	int rc;

	*done = true;
	if (fname_is(e, "CONCAT") || fname_is(e, "CONCAT_WS")) {
		bool ws = fname_is(e, "CONCAT_WS");
		size_t k, total = 0, start = ws ? 1 : 0, pos = 0;
		ev *xs;
		ev sep;
		char *p;
		bool bin = false, first = true;

		if ((rc = need_args(c, e, ws ? 2 : 1, 10000)))
			return rc;
		xs = (ev *)ealloc(c, sizeof(ev) * e->nargs);
		if (!xs)
			return oom(c);
		memset(&sep, 0, sizeof(sep));
		for (k = 0; k < e->nargs; k++) {
			rc = eval(c, e->args[k], &xs[k]);
			if (!rc)
				rc = str_arg(c, &xs[k]);
			if (rc)
				return rc;
			bin = bin || xs[k].bin;
		}
		if (ws)
			sep = xs[0];
		if ((ws && sep.null)) {
			set_null(v, T_STR);
			return 0;
		}
		for (k = start; k < e->nargs; k++) {
			if (xs[k].null) {
				if (!ws) {
					set_null(v, T_STR);
					return 0;
				}
				continue;
			}
			total += xs[k].n + (ws ? sep.n : 0);
		}
		p = ealloc(c, total);
		if (!p)
			return oom(c);
		for (k = start; k < e->nargs; k++) {
			if (xs[k].null)
				continue;
			if (ws && !first) {
				memcpy(p + pos, sep.s, sep.n);
				pos += sep.n;
			}
			first = false;
			memcpy(p + pos, xs[k].s, xs[k].n);
			pos += xs[k].n;
		}
		set_str(v, p, pos, bin);
		return 0;
	}
	if (fname_is(e, "LENGTH") || fname_is(e, "OCTET_LENGTH") ||
	    fname_is(e, "CHAR_LENGTH") || fname_is(e, "CHARACTER_LENGTH")) {
		if ((rc = need_args(c, e, 1, 1)) || (rc = args_all(c, e, a, 1, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_INT);
			return 0;
		}
		if ((rc = str_arg(c, &a[0])))
			return rc;
		set_int(v, (int64_t)(fname_is(e, "LENGTH") ||
				     fname_is(e, "OCTET_LENGTH") || a[0].bin ?
				     a[0].n : char_len(a[0].s, a[0].n)));
		return 0;
	}
	if (fname_is(e, "LOWER") || fname_is(e, "UPPER") ||
	    fname_is(e, "LCASE") || fname_is(e, "UCASE")) {
		bool up = fname_is(e, "UPPER") || fname_is(e, "UCASE");
		size_t k, n;
		char *p;

		if ((rc = need_args(c, e, 1, 1)) || (rc = args_all(c, e, a, 1, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_STR);
			return 0;
		}
		if ((rc = str_arg(c, &a[0])))
			return rc;
		if (a[0].bin)
			return make_str(c, v, a[0].s, a[0].n, true);
		/* a mapped character takes at most one byte more (ı -> I is
		 * shorter, ſ -> S too; µ -> Μ is one byte longer) */
		if (a[0].n > (SIZE_MAX - 1) / 2)
			return oom(c);
		p = ealloc(c, a[0].n * 2);
		if (!p)
			return oom(c);
		for (k = 0, n = 0; k < a[0].n;) {
			size_t at = k;
			uint32_t cp = next_char(a[0].s, a[0].n, &k, false);

			if (cp >= 0x110000u || cp < 0x80 || cp > 0x7FF) {
				/* invalid bytes and code points past U+07FF
				 * are copied unchanged */
				if (cp < 0x80)
					p[n++] = (char)case_map(cp, up);
				else
					for (; at < k; at++)
						p[n++] = a[0].s[at];
				continue;
			}
			cp = case_map(cp, up);
			if (cp < 0x80) {
				p[n++] = (char)cp;
			} else {
				p[n++] = (char)(0xC0 | cp >> 6);
				p[n++] = (char)(0x80 | (cp & 0x3F));
			}
		}
		set_str(v, p, n, false);
		return 0;
	}
	if (fname_is(e, "SUBSTRING") || fname_is(e, "SUBSTR") ||
	    fname_is(e, "MID") || fname_is(e, "LEFT") || fname_is(e, "RIGHT")) {
		bool left = fname_is(e, "LEFT"), right = fname_is(e, "RIGHT");
		size_t na = left || right ? 2 : e->nargs, clen, from, to;
		int64_t pos, len = INT64_MAX;
		bool u;

		if ((rc = need_args(c, e, 2, left || right ? 2 : 3)) ||
		    (rc = args_all(c, e, a, na, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_STR);
			return 0;
		}
		if ((rc = str_arg(c, &a[0])))
			return rc;
		clen = a[0].bin ? a[0].n : char_len(a[0].s, a[0].n);
		if ((rc = to_int(c, &a[1], &pos, &u)))
			return rc;
		if (u && pos < 0)
			pos = INT64_MAX;
		if (left || right) {
			len = pos;
			if (len <= 0) {
				set_str(v, "", 0, a[0].bin);
				return 0;
			}
			pos = right ? ((uint64_t)len >= clen ? 1 : (int64_t)(clen - (size_t)len) + 1)
				    : 1;
		} else if (na == 3) {
			if ((rc = to_int(c, &a[2], &len, &u)))
				return rc;
			if (u && len < 0)
				len = INT64_MAX;
		}
		if (pos == 0 || len <= 0 ||
		    (pos > 0 && (uint64_t)pos > clen) ||
		    (pos < 0 && (uint64_t)(-(pos + 1)) >= clen)) {
			set_str(v, "", 0, a[0].bin);
			return 0;
		}
		from = pos > 0 ? (size_t)pos - 1 : clen - (size_t)(-(pos + 1)) - 1;
		to = (uint64_t)len >= clen - from ? clen : from + (size_t)len;
		if (a[0].bin) {
			set_str(v, a[0].s + from, to - from, true);
		} else {
			size_t bf = char_off(a[0].s, a[0].n, from);
			size_t bt = char_off(a[0].s, a[0].n, to);

			set_str(v, a[0].s + bf, bt - bf, false);
		}
		return 0;
	}
	if (fname_is(e, "TRIM") || fname_is(e, "LTRIM") || fname_is(e, "RTRIM")) {
		const char *side = e->keyword ? e->keyword : "BOTH";
		const char *rem = " ";
		size_t rn = 1, s0, s1;

		if (fname_is(e, "LTRIM"))
			side = "LEADING";
		else if (fname_is(e, "RTRIM"))
			side = "TRAILING";
		if ((rc = need_args(c, e, 1, fname_is(e, "TRIM") ? 2 : 1)) ||
		    (rc = args_all(c, e, a, e->nargs, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_STR);
			return 0;
		}
		if ((rc = str_arg(c, &a[0])))
			return rc;
		if (e->nargs == 2) {
			if ((rc = str_arg(c, &a[1])))
				return rc;
			rem = a[1].s;
			rn = a[1].n;
		}
		s0 = 0;
		s1 = a[0].n;
		if (rn > 0) {
			if (strcmp(side, "TRAILING"))
				while (s1 - s0 >= rn && !memcmp(a[0].s + s0, rem, rn))
					s0 += rn;
			if (strcmp(side, "LEADING"))
				while (s1 - s0 >= rn &&
				       !memcmp(a[0].s + s1 - rn, rem, rn))
					s1 -= rn;
		}
		set_str(v, a[0].s + s0, s1 - s0, a[0].bin);
		return 0;
	}
	if (fname_is(e, "REPLACE")) {
		dm_buf b = DM_BUF_INIT;
		size_t p = 0;

		if ((rc = need_args(c, e, 3, 3)) || (rc = args_all(c, e, a, 3, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_STR);
			return 0;
		}
		if ((rc = str_arg(c, &a[0])) || (rc = str_arg(c, &a[1])) ||
		    (rc = str_arg(c, &a[2])))
			return rc;
		if (a[1].n == 0) {
			*v = a[0];
			return 0;
		}
		while (p < a[0].n) {
			if (p + a[1].n <= a[0].n && !memcmp(a[0].s + p, a[1].s, a[1].n)) {
				if (dm_buf_append(&b, a[2].s, a[2].n))
					goto replace_oom;
				p += a[1].n;
			} else {
				if (dm_buf_putc(&b, a[0].s[p]))
					goto replace_oom;
				p++;
			}
		}
		rc = make_str(c, v, b.data ? b.data : "", b.len,
			      a[0].bin || a[1].bin || a[2].bin);
		dm_buf_free(&b);
		return rc;
replace_oom:
		dm_buf_free(&b);
		return oom(c);
	}
	if (fname_is(e, "LOCATE") || fname_is(e, "INSTR") ||
	    fname_is(e, "POSITION")) {
		const ev *sub, *str;
		int64_t start = 1;
		bool u, ci;
		size_t from, at;

		if ((rc = need_args(c, e, 2, fname_is(e, "LOCATE") ? 3 : 2)) ||
		    (rc = args_all(c, e, a, e->nargs, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_INT);
			return 0;
		}
		if ((rc = str_arg(c, &a[0])) || (rc = str_arg(c, &a[1])))
			return rc;
		sub = fname_is(e, "INSTR") ? &a[1] : &a[0];
		str = fname_is(e, "INSTR") ? &a[0] : &a[1];
		if (e->nargs == 3 && (rc = to_int(c, &a[2], &start, &u)))
			return rc;
		ci = !(sub->bin || str->bin);
		if (start < 1 || (uint64_t)start > char_len(str->s, str->n) + 1) {
			set_int(v, 0);
			return 0;
		}
		from = char_off(str->s, str->n, (size_t)start - 1);
		at = find_sub(str->s, str->n, sub->s, sub->n, from, ci);
		set_int(v, at > str->n ? 0 :
			(int64_t)char_len(str->s, at) + 1);
		return 0;
	}
	if (fname_is(e, "LPAD") || fname_is(e, "RPAD")) {
		int64_t len;
		bool u, lp = fname_is(e, "LPAD");
		size_t clen, bl, k, need, padc, pb;
		dm_buf b = DM_BUF_INIT;

		if ((rc = need_args(c, e, 3, 3)) || (rc = args_all(c, e, a, 3, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_STR);
			return 0;
		}
		if ((rc = str_arg(c, &a[0])) || (rc = str_arg(c, &a[2])) ||
		    (rc = to_int(c, &a[1], &len, &u)))
			return rc;
		if (len < 0 || u || len > 16 * 1024 * 1024) {
			set_null(v, T_STR);
			return 0;
		}
		clen = char_len(a[0].s, a[0].n);
		if ((size_t)len <= clen) {
			bl = char_off(a[0].s, a[0].n, (size_t)len);
			set_str(v, a[0].s, bl, a[0].bin);
			return 0;
		}
		padc = char_len(a[2].s, a[2].n);
		if (padc == 0) {
			set_null(v, T_STR);
			return 0;
		}
		need = (size_t)len - clen;
		if (!lp && dm_buf_append(&b, a[0].s, a[0].n))
			goto pad_oom;
		for (k = 0; k < need; k += padc) {
			size_t take = need - k < padc ? need - k : padc;

			pb = char_off(a[2].s, a[2].n, take);
			if (dm_buf_append(&b, a[2].s, pb))
				goto pad_oom;
		}
		if (lp && dm_buf_append(&b, a[0].s, a[0].n))
			goto pad_oom;
		rc = make_str(c, v, b.data ? b.data : "", b.len,
			      a[0].bin || a[2].bin);
		dm_buf_free(&b);
		return rc;
pad_oom:
		dm_buf_free(&b);
		return oom(c);
	}
	*done = false;
	return 0;
}

static int round_trunc(ectx *c, const dm_sql_expr *e, ev *v, bool trunc_mode)
{
	ev a[2];
	int64_t d = 0;
	bool u, anyn, const_d;
	int rc;

	if ((rc = need_args(c, e, 1, 2)) || (rc = args_all(c, e, a, e->nargs, &anyn)))
		return rc;
	if (trunc_mode && e->nargs != 2)
		return need_args(c, e, 2, 2);
	const_d = e->nargs == 1 || e->args[1]->kind == DM_SQL_EXPR_INT ||
		  (e->args[1]->kind == DM_SQL_EXPR_UNARY &&
		   e->args[1]->op == DM_SQL_OP_NEG &&
		   e->args[1]->args[0]->kind == DM_SQL_EXPR_INT);
	if (e->nargs == 2 && !a[1].null && (rc = to_int(c, &a[1], &d, &u)))
		return rc;
	numify(&a[0]);
	if (a[0].t == T_STR || a[0].t == T_NULL) {
		bool n = a[0].null; /* NULL is a DOUBLE here */

		set_dbl(&a[0], to_dbl(&a[0]));
		a[0].null = n;
	}
	if (!const_d && a[0].t == T_DEC)
		return unsup(c, "ROUND/TRUNCATE of a decimal to a non-constant "
			     "number of digits");
	if (a[0].t == T_DEC) {
		int ns = d < 0 ? 0 : d > MAX_SCALE ? MAX_SCALE : (int)d;
		dn m = a[0].m;

		if (a[0].null || (e->nargs == 2 && a[1].null)) {
			set_null(v, T_DEC);
			v->scale = ns;
			return 0;
		}
		if (d < 0) {
			if (d < -81) {
				set_dec(v, DN0, 0);
				return 0;
			}
			if (trunc_mode)
				m = dn_trunc10(m, a[0].scale + (int)-d);
			else
				dec_rescale(m, a[0].scale + (int)-d, 0, &m);
			if (!dn_shift(m, (int)-d, &m))
				return dec_overflow(c);
		} else if (ns >= a[0].scale) {
			if (!dec_rescale(m, a[0].scale, ns, &m))
				return dec_overflow(c);
		} else if (trunc_mode) {
			m = dn_trunc10(m, a[0].scale - ns);
		} else {
			dec_rescale(m, a[0].scale, ns, &m);
		}
		return dec_result(c, m, ns, v);
	}
	if (a[0].null || (e->nargs == 2 && a[1].null)) {
		set_null(v, a[0].t);
		if (a[0].t == T_DBL)
			v->scale = !const_d ? DBL_NF : d < 0 ? 0 :
				   d >= DBL_NF ? DBL_NF : (int)d;
		return 0;
	}
	if (a[0].t == T_INT || a[0].t == T_UINT) {
		i128 x = a[0].t == T_UINT ? (i128)a[0].u : a[0].i, f, r;

		if (d >= 0) {
			*v = a[0];
			return 0;
		}
		if (d < -19) {
			set_int(v, 0);
			if (a[0].t == T_UINT) {
				v->t = T_UINT;
				v->u = 0;
			}
			return 0;
		}
		f = pow10i((int)-d);
		r = x / f;
		if (!trunc_mode && (x % f) * 2 >= f)
			r++;
		else if (!trunc_mode && (x % f) * 2 <= -f)
			r--;
		return int_result(c, r * f, a[0].t == T_UINT, v);
	}
	{
		double x = to_dbl(&a[0]), f, r;

		if (d > 30 || d < -30) {
			set_dbl(v, d > 0 ? x : 0);
			if (const_d && d < 0)
				v->scale = 0;
			return 0;
		}
		f = pow(10.0, (double)(d < 0 ? -d : d));
		/* MariaDB rounds a DOUBLE half to even (rint) */
		if (d >= 0)
			r = trunc_mode ? trunc(x * f) / f : rint(x * f) / f;
		else
			r = trunc_mode ? trunc(x / f) * f : rint(x / f) * f;
		set_dbl(v, r);
		v->scale = !const_d ? DBL_NF : d < 0 ? 0 :
			   d >= DBL_NF ? DBL_NF : (int)d;
		return 0;
	}
}

static int fn_math(ectx *c, const dm_sql_expr *e, ev *v, bool *done)
{
	ev a[2];
	bool anyn;
	int rc;

	*done = true;
	if (fname_is(e, "ABS") || fname_is(e, "SIGN") || fname_is(e, "CEIL") ||
	    fname_is(e, "CEILING") || fname_is(e, "FLOOR")) {
		if ((rc = need_args(c, e, 1, 1)) || (rc = args_all(c, e, a, 1, &anyn)))
			return rc;
		numify(&a[0]);
		if (a[0].t == T_STR || a[0].t == T_NULL) {
			bool n = a[0].null;
			int sc = a[0].t == T_NULL ? 0 : DBL_NF;

			set_dbl(&a[0], to_dbl(&a[0]));
			a[0].null = n;
			a[0].scale = sc;
		}
		if (fname_is(e, "SIGN")) {
			if (anyn) {
				set_null(v, T_INT);
				return 0;
			}
			set_int(v, a[0].t == T_DEC ? dm__dn_sign(a[0].m) :
				a[0].t == T_UINT ? a[0].u > 0 :
				a[0].t == T_INT ? (a[0].i > 0) - (a[0].i < 0) :
				(a[0].d > 0) - (a[0].d < 0));
			return 0;
		}
		if (fname_is(e, "ABS")) {
			*v = a[0];
			if (anyn)
				return 0;
			if (v->t == T_INT && v->i < 0)
				return negate(c, v);
			if (v->t == T_DEC && dn_neg_p(v->m))
				v->m = dm__dn_neg(v->m);
			if (v->t == T_DBL)
				v->d = fabs(v->d);
			return 0;
		}
		if (a[0].t == T_DEC) {
			dn q, r;
			bool ceil_mode = !fname_is(e, "FLOOR");

			if (anyn) {
				set_null(v, T_INT);
				return 0;
			}
			dm__dn_divmod(a[0].m, dm__dn_pow10(a[0].scale), &q, &r);
			if (ceil_mode && dm__dn_sign(r) > 0)
				dm__dn_add(q, DNI(1), &q);
			if (!ceil_mode && dn_neg_p(r))
				dm__dn_add(q, DNI(-1), &q);
			if (dm__dn_fits_i64(q))
				set_int(v, (int64_t)q.l[0]);
			else
				return dec_result(c, q, 0, v);
			return 0;
		}
		*v = a[0];
		if (v->t == T_DBL)
			v->scale = 0;
		if (!anyn && v->t == T_DBL)
			v->d = fname_is(e, "FLOOR") ? floor(v->d) : ceil(v->d);
		return 0;
	}
	if (fname_is(e, "ROUND"))
		return round_trunc(c, e, v, false);
	if (fname_is(e, "TRUNCATE"))
		return round_trunc(c, e, v, true);
	if (fname_is(e, "MOD")) {
		if ((rc = need_args(c, e, 2, 2)) || (rc = eval_args(c, e, a, 2)))
			return rc;
		return arith(c, DM_SQL_OP_MOD, &a[0], &a[1], v);
	}
	if (fname_is(e, "POW") || fname_is(e, "POWER") || fname_is(e, "SQRT")) {
		bool sq = fname_is(e, "SQRT");
		double r;

		if ((rc = need_args(c, e, sq ? 1 : 2, sq ? 1 : 2)) ||
		    (rc = args_all(c, e, a, sq ? 1 : 2, &anyn)))
			return rc;
		if (anyn) {
			set_null(v, T_DBL);
			return 0;
		}
		if (sq) {
			double x = to_dbl(&a[0]);

			if (x < 0) {
				set_null(v, T_DBL);
				return 0;
			}
			set_dbl(v, sqrt(x));
			return 0;
		}
		r = pow(to_dbl(&a[0]), to_dbl(&a[1]));
		if (!isfinite(r))
			return bad(c, "DOUBLE value is out of range in 'pow'");
		set_dbl(v, r);
		return 0;
	}
	if (fname_is(e, "GREATEST") || fname_is(e, "LEAST")) {
		bool great = fname_is(e, "GREATEST");
		agg g = { T_NULL, 0, false, false };
		size_t k, best = 0;
		ev *xs;
		bool allstr = true;

		if ((rc = need_args(c, e, 2, 10000)))
			return rc;
		xs = (ev *)ealloc(c, sizeof(ev) * e->nargs);
		if (!xs)
			return oom(c);
		anyn = false;
		for (k = 0; k < e->nargs; k++) {
			if ((rc = eval(c, e->args[k], &xs[k])))
				return rc;
			anyn = anyn || xs[k].null;
			agg_add(&g, &xs[k]);
			if (xs[k].t != T_STR)
				allstr = false;
		}
		if (!allstr && g.t == T_STR) {
			/* numbers with strings compare as doubles */
			g.t = T_DBL;
		}
		if (anyn) {
			set_null(v, g.any ? g.t : T_NULL);
			v->scale = g.scale;
			return 0;
		}
		for (k = 0; k < e->nargs; k++)
			if ((rc = agg_apply(c, &g, &xs[k])))
				return rc;
		for (k = 1; k < e->nargs; k++) {
			int r;
			bool isn;

			if ((rc = cmp_values(c, &xs[k], &xs[best], &r, &isn)))
				return rc;
			if (great ? r > 0 : r < 0)
				best = k;
		}
		*v = xs[best];
		return 0;
	}
	*done = false;
	return 0;
}

static int date_of(ectx *c, ev *a, tclass want)
{
	if (a->null)
		return 0;
	if (a->t == T_DATE || a->t == T_DATETIME)
		return 0;
	return to_temporal(c, a, want, 0);
}

static int fn_date(ectx *c, const dm_sql_expr *e, ev *v, bool *done)
{
	ev a[2];
	bool anyn;
	int rc;

	*done = true;
	if (fname_is(e, "YEAR") || fname_is(e, "MONTH") || fname_is(e, "DAY") ||
	    fname_is(e, "DAYOFMONTH") || fname_is(e, "HOUR") ||
	    fname_is(e, "MINUTE") || fname_is(e, "SECOND")) {
		bool tpart = fname_is(e, "HOUR") || fname_is(e, "MINUTE") ||
			     fname_is(e, "SECOND");

		if ((rc = need_args(c, e, 1, 1)) || (rc = args_all(c, e, a, 1, &anyn)))
			return rc;
		if (!anyn && !is_temporal(a[0].t)) {
			ev t = a[0];

			rc = to_temporal(c, &a[0], T_DATETIME, 0);
			if (!rc && a[0].null && tpart) {
				a[0] = t;
				rc = to_temporal(c, &a[0], T_TIME, 0);
			}
			if (rc)
				return rc;
		} else if (!anyn && a[0].t == T_TIME && !tpart) {
			return unsup(c, "date parts of a TIME value");
		}
		if (a[0].null) {
			set_null(v, T_INT);
			return 0;
		}
		set_int(v, fname_is(e, "YEAR") ? a[0].tm.year :
			   fname_is(e, "MONTH") ? a[0].tm.month :
			   fname_is(e, "HOUR") ? a[0].tm.hour :
			   fname_is(e, "MINUTE") ? a[0].tm.minute :
			   fname_is(e, "SECOND") ? a[0].tm.second : a[0].tm.day);
		return 0;
	}
	if (fname_is(e, "DATE")) {
		if ((rc = need_args(c, e, 1, 1)) || (rc = args_all(c, e, a, 1, &anyn)))
			return rc;
		*v = a[0];
		return to_temporal(c, v, T_DATE, 0);
	}
	if (fname_is(e, "DATEDIFF")) {
		if ((rc = need_args(c, e, 2, 2)) || (rc = args_all(c, e, a, 2, &anyn)))
			return rc;
		if ((rc = date_of(c, &a[0], T_DATETIME)) ||
		    (rc = date_of(c, &a[1], T_DATETIME)))
			return rc;
		if (a[0].null || a[1].null || !a[0].tm.month || !a[1].tm.month ||
		    !a[0].tm.day || !a[1].tm.day) {
			set_null(v, T_INT);
			return 0;
		}
		set_int(v, tm_days(&a[0].tm) - tm_days(&a[1].tm));
		return 0;
	}
	if (fname_is(e, "DATE_ADD") || fname_is(e, "DATE_SUB") ||
	    fname_is(e, "ADDDATE") || fname_is(e, "SUBDATE")) {
		const dm_sql_expr *iv;
		ev amt;

		if ((rc = need_args(c, e, 2, 2)))
			return rc;
		iv = e->args[1];
		if (iv->kind != DM_SQL_EXPR_INTERVAL || iv->nargs != 1) {
			if (fname_is(e, "DATE_ADD") || fname_is(e, "DATE_SUB"))
				return bad(c, "DATE_ADD needs an INTERVAL");
			return unsup(c, "ADDDATE with a day count");
		}
		if ((rc = eval(c, e->args[0], v)) ||
		    (rc = eval(c, iv->args[0], &amt)))
			return rc;
		if ((rc = date_of(c, v, T_DATETIME)))
			return rc;
		return add_interval(c, v, &amt, iv->keyword,
				    fname_is(e, "DATE_SUB") || fname_is(e, "SUBDATE"));
	}
	*done = false;
	return 0;
}

/* ------------------------------------------------- bits and REGEXP */

static void set_uint(ev *v, uint64_t u)
{
	memset(v, 0, sizeof(*v));
	v->t = T_UINT;
	v->u = u;
}

/* A double rounded half away from zero into 64 bits, saturating as
 * MariaDB's bit functions do. */
static uint64_t dbl_u64(double d)
{
	d = round(d);
	if (isnan(d))
		return 0;
	if (d >= 18446744073709551616.0)
		return UINT64_MAX;
	if (d >= 9223372036854775808.0)
		return (uint64_t)d;
	if (d < -9223372036854775808.0)
		return (uint64_t)INT64_MIN;
	return (uint64_t)(int64_t)d;
}

static uint64_t dec_u64(dn m, int scale)
{
	dn r;

	dec_rescale(m, scale, 0, &r);
	if (dm__dn_fits_i64(r))
		return r.l[0];
	if (dn_neg_p(r))
		return (uint64_t)INT64_MIN;
	if (dn_cmp(r, dm__dn_u64(UINT64_MAX)) > 0)
		return UINT64_MAX;
	return r.l[0];
}

/* v (not NULL) as the unsigned 64-bit operand of & | ^ ~ << >> and
 * BIT_COUNT: numbers rounded, strings read as decimals, negative values
 * in two's complement, out-of-range values saturated. */
static int to_u64(ectx *c, const ev *v, uint64_t *out)
{
	ev t = *v;

	(void)c;
	numify(&t);
	switch (t.t) {
	case T_INT:
		*out = (uint64_t)t.i;
		return 0;
	case T_UINT:
		*out = t.u;
		return 0;
	case T_DEC:
		*out = dec_u64(t.m, t.scale);
		return 0;
	case T_STR: {
		bool f, x;
		size_t len = num_prefix(t.s, t.n, &f, &x), p = 0;
		dn m;
		int sc;

		if (len == 0) {
			*out = 0;
		} else if (x) {
			*out = dbl_u64(str_to_dbl(t.s, t.n));
		} else if (dec_parse(t.s, len, &m, &sc)) {
			*out = dec_u64(m, sc);
		} else {
			while (p < len && t.s[p] != '-' && !isdigit((unsigned char)t.s[p]))
				p++;
			*out = t.s[p] == '-' ? (uint64_t)INT64_MIN : UINT64_MAX;
		}
		return 0;
	}
	default:
		*out = dbl_u64(to_dbl(&t));
		return 0;
	}
}

static int eval_bit(ectx *c, dm_sql_op op, const ev *a, const ev *b, ev *v)
{
	uint64_t x, y, r;
	int rc;

	if (a->null || b->null) {
		set_null(v, T_UINT);
		return 0;
	}
	if ((rc = to_u64(c, a, &x)) || (rc = to_u64(c, b, &y)))
		return rc;
	switch (op) {
	case DM_SQL_OP_BIT_AND: r = x & y; break;
	case DM_SQL_OP_BIT_OR: r = x | y; break;
	case DM_SQL_OP_BIT_XOR: r = x ^ y; break;
	case DM_SQL_OP_SHIFT_LEFT: r = y >= 64 ? 0 : x << y; break;
	default: r = y >= 64 ? 0 : x >> y; break;
	}
	set_uint(v, r);
	return 0;
}

static void *rx_malloc(size_t size, void *data)
{
	(void)data;
	return dm__malloc(size);
}

static void rx_free(void *p, void *data)
{
	(void)data;
	dm__free(p);
}

/* Collation derivation of a string operand, as MariaDB ranks them:
 * 0 explicit (COLLATE), 2 implicit (a column, a CAST), 4 coercible (a
 * literal), 5 a number, 6 NULL. A function takes its arguments' lowest. */
static int derivation(const dm_sql_expr *e, int depth)
{
	size_t k;
	int d = 6;

	if (!e || depth > MAX_DEPTH)
		return 4;
	switch (e->kind) {
	case DM_SQL_EXPR_COLLATE:
		return 0;
	case DM_SQL_EXPR_COLUMN:
	case DM_SQL_EXPR_CAST:
		return 2;
	case DM_SQL_EXPR_UNARY:
		return e->op == DM_SQL_OP_BINARY ? 2 : 5;
	case DM_SQL_EXPR_STRING:
	case DM_SQL_EXPR_HEX:
	case DM_SQL_EXPR_BIT:
	case DM_SQL_EXPR_TEMPORAL:
		return 4;
	case DM_SQL_EXPR_NULL:
		return 6;
	case DM_SQL_EXPR_FUNC:
	case DM_SQL_EXPR_CASE:
		for (k = 0; k < e->nargs; k++) {
			int x = derivation(e->args[k], depth + 1);

			if (x < d)
				d = x;
		}
		return d == 6 ? 4 : d;
	default:
		return 5;
	}
}

/* a REGEXP p: PCRE2 as MariaDB uses it; UTF-8 with Unicode properties and
 * caseless for (case-insensitive) character strings, bytes and
 * case-sensitive when either side is binary. */
static int eval_regexp(ectx *c, const dm_sql_expr *e, ev *a, ev *p, ev *v)
{
	pcre2_general_context *gc = NULL;
	pcre2_compile_context *cc = NULL;
	pcre2_match_context *mc = NULL;
	pcre2_code *re = NULL;
	pcre2_match_data *md = NULL;
	uint32_t flags;
	PCRE2_SIZE erroff = 0;
	int rc, ecode = 0, mrc;
	bool bin;

	/* the server compiles the pattern even when the subject is NULL */
	if (p->null) {
		set_null(v, T_INT);
		return 0;
	}
	if ((rc = str_arg(c, a)) || (rc = str_arg(c, p)))
		return rc;
	bin = a->bin || p->bin;
	if (a->bin != p->bin) {
		/* the side with the stronger derivation decides */
		int da = derivation(e->args[0], 0), dp = derivation(e->args[1], 0);

		if (da != dp)
			bin = da < dp ? a->bin : p->bin;
	}
	flags = bin ? 0 : PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS;
	gc = pcre2_general_context_create(rx_malloc, rx_free, NULL);
	if (!gc)
		return oom(c);
	cc = pcre2_compile_context_create(gc);
	mc = pcre2_match_context_create(gc);
	if (!cc || !mc) {
		rc = oom(c);
		goto out;
	}
	re = pcre2_compile((PCRE2_SPTR)(p->n ? p->s : ""), p->n, flags, &ecode,
			   &erroff, cc);
	if (!re) {
		PCRE2_UCHAR msg[256];

		if (ecode == PCRE2_ERROR_HEAP_FAILED) {
			rc = oom(c);
			goto out;
		}
		if (pcre2_get_error_message(ecode, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		rc = dm_error_set(c->err, DM_E_INVALID_ARGUMENT,
				  "Regex error '%s at offset %zu'", (char *)msg,
				  (size_t)erroff);
		goto out;
	}
	if (a->null) {
		set_null(v, T_INT);
		rc = 0;
		goto out;
	}
	md = pcre2_match_data_create_from_pattern(re, gc);
	if (!md) {
		rc = oom(c);
		goto out;
	}
	mrc = pcre2_match(re, (PCRE2_SPTR)(a->n ? a->s : ""), a->n, 0, 0, md, mc);
	if (mrc == PCRE2_ERROR_NOMEMORY) {
		rc = oom(c);
		goto out;
	}
	/* other match errors (bad UTF-8, limits) are a warning and no match
	 * on the server */
	set_int(v, (mrc >= 0) != e->negated);
	rc = 0;
out:
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	pcre2_match_context_free(mc);
	pcre2_compile_context_free(cc);
	pcre2_general_context_free(gc);
	return rc;
}

/* ------------------------------------------------- clock and epoch */

/* NOW as the options give it, or the wall clock when they leave it 0;
 * read once per evaluation so that every NOW() agrees. */
static void get_now(ectx *c)
{
	if (c->have_now)
		return;
	if (c->o.now_sec == 0 && c->o.now_usec == 0) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		c->now_sec = (int64_t)ts.tv_sec;
		c->now_usec = (uint32_t)(ts.tv_nsec / 1000);
	} else {
		c->now_sec = (int64_t)c->o.now_sec +
			     (int64_t)(c->o.now_usec / 1000000u);
		c->now_usec = (uint32_t)(c->o.now_usec % 1000000u);
	}
	c->have_now = true;
}

/* Broken-down time of `sec` seconds since the epoch (already shifted to
 * the wanted zone). */
static void tm_from_epoch(dm_time *t, int64_t sec, uint32_t usec)
{
	int64_t days = sec / 86400, r = sec % 86400;

	if (r < 0) {
		r += 86400;
		days--;
	}
	memset(t, 0, sizeof(*t));
	tm_from_days(t, days);
	t->hour = (uint16_t)(r / 3600);
	t->minute = (uint8_t)(r / 60 % 60);
	t->second = (uint8_t)(r % 60);
	t->microsecond = usec;
}

static int64_t tm_secs(const dm_time *t)
{
	return tm_days(t) * 86400 + t->hour * 3600 + t->minute * 60 +
	       t->second;
}

static uint32_t trunc_usec(uint32_t us, int fsp)
{
	uint32_t f = (uint32_t)pow10i(6 - fsp);

	return us / f * f;
}

/* NOW(), CURDATE(), CURTIME(), UTC_* and their synonyms. */
static int fn_now(ectx *c, const dm_sql_expr *e, ev *v, bool *done)
{
	static const char *const dt[] = { "NOW", "CURRENT_TIMESTAMP",
					  "LOCALTIME", "LOCALTIMESTAMP",
					  "SYSDATE", "UTC_TIMESTAMP" };
	static const char *const dd[] = { "CURDATE", "CURRENT_DATE",
					  "UTC_DATE" };
	static const char *const tt[] = { "CURTIME", "CURRENT_TIME",
					  "UTC_TIME" };
	tclass t = T_NULL;
	size_t k;
	int fsp = 0;
	bool utc;

	for (k = 0; k < sizeof(dt) / sizeof(dt[0]); k++)
		if (fname_is(e, dt[k]))
			t = T_DATETIME;
	for (k = 0; k < sizeof(dd) / sizeof(dd[0]); k++)
		if (fname_is(e, dd[k]))
			t = T_DATE;
	for (k = 0; k < sizeof(tt) / sizeof(tt[0]); k++)
		if (fname_is(e, tt[k]))
			t = T_TIME;
	*done = t != T_NULL;
	if (!*done)
		return 0;
	utc = !strncasecmp(e->value.ptr, "UTC_", 4);
	if (e->nargs > (t == T_DATE ? 0u : 1u))
		return need_args(c, e, 0, t == T_DATE ? 0 : 1);
	if (e->nargs == 1) {
		const dm_sql_expr *a = e->args[0];

		if (a->kind != DM_SQL_EXPR_INT)
			return bad(c, "syntax error: the precision of a current "
				   "time function is a number");
		if (a->value.len > 1 || a->value.ptr[0] > '6')
			return dm_error_set(c->err, DM_E_INVALID_ARGUMENT,
					    "Too big precision specified for "
					    "'%s'. Maximum is 6", e->value.ptr);
		fsp = a->value.ptr[0] - '0';
	}
	get_now(c);
	memset(v, 0, sizeof(*v));
	v->t = t;
	v->scale = fsp;
	tm_from_epoch(&v->tm, c->now_sec + (utc ? 0 : c->o.tz_offset),
		      trunc_usec(c->now_usec, fsp));
	if (t == T_DATE) {
		v->tm.hour = v->tm.minute = v->tm.second = 0;
		v->tm.microsecond = 0;
	} else if (t == T_TIME) {
		v->tm.year = 0;
		v->tm.month = v->tm.day = 0;
	}
	return 0;
}

/* v as a DATETIME for TIMESTAMPDIFF and UNIX_TIMESTAMP: a TIME is taken
 * on the current date; zero dates and bad values become NULL. */
static int as_datetime(ectx *c, ev *v)
{
	int rc;

	if (v->null)
		return 0;
	if (v->t == T_TIME) {
		int64_t s = (int64_t)v->tm.hour * 3600 + v->tm.minute * 60 +
			    v->tm.second, day;
		int64_t us = s * 1000000 + v->tm.microsecond;
		int fsp = v->scale;

		get_now(c);
		day = c->now_sec + c->o.tz_offset;
		day = (day >= 0 ? day : day - 86399) / 86400;
		us = (v->tm.negative ? -us : us) + day * 86400 * 1000000;
		memset(v, 0, sizeof(*v));
		v->t = T_DATETIME;
		v->scale = fsp;
		tm_from_epoch(&v->tm, us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000),
			      (uint32_t)(((us % 1000000) + 1000000) % 1000000));
	} else if (v->t != T_DATETIME && v->t != T_DATE) {
		rc = to_temporal(c, v, T_DATETIME, 6);
		if (rc)
			return rc;
	}
	if (!v->null && (v->tm.month == 0 || v->tm.day == 0))
		set_null(v, T_DATETIME);
	return 0;
}

static int fn_timestampdiff(ectx *c, const dm_sql_expr *e, ev *v)
{
	static const char *const units[] = { "MICROSECOND", "SECOND", "MINUTE",
					     "HOUR", "DAY", "WEEK", "MONTH",
					     "QUARTER", "YEAR" };
	ev a[2];
	const char *u = e->keyword ? e->keyword : "";
	size_t k;
	bool anyn, neg;
	int rc;
	int64_t d, sec, months = 0;
	uint32_t usec;

	for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
		if (!strcmp(u, units[k]))
			break;
	if (k == sizeof(units) / sizeof(units[0]))
		return bad(c, "syntax error: TIMESTAMPDIFF wants MICROSECOND, "
			   "SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER "
			   "or YEAR");
	if ((rc = need_args(c, e, 2, 2)) || (rc = args_all(c, e, a, 2, &anyn)) ||
	    (rc = as_datetime(c, &a[0])) || (rc = as_datetime(c, &a[1])))
		return rc;
	if (a[0].null || a[1].null) {
		set_null(v, T_INT);
		return 0;
	}
	d = (tm_secs(&a[1].tm) - tm_secs(&a[0].tm)) * 1000000 +
	    (int64_t)a[1].tm.microsecond - (int64_t)a[0].tm.microsecond;
	neg = d < 0;
	if (neg)
		d = -d;
	sec = d / 1000000;
	usec = (uint32_t)(d % 1000000);
	if (k >= 6) {
		const dm_time *b = neg ? &a[1].tm : &a[0].tm;
		const dm_time *en = neg ? &a[0].tm : &a[1].tm;
		int64_t years = (int64_t)en->year - b->year;
		int64_t sb = b->hour * 3600 + b->minute * 60 + b->second;
		int64_t se = en->hour * 3600 + en->minute * 60 + en->second;
		bool before = en->month < b->month ||
			      (en->month == b->month && en->day < b->day);

		if (before)
			years--;
		months = 12 * years;
		if (before)
			months += 12 - (b->month - en->month);
		else
			months += en->month - b->month;
		if (en->day < b->day)
			months--;
		else if (en->day == b->day &&
			 (se < sb || (se == sb && en->microsecond < b->microsecond)))
			months--;
	}
	switch (k) {
	case 0: d = sec * 1000000 + usec; break;
	case 1: d = sec; break;
	case 2: d = sec / 60; break;
	case 3: d = sec / 3600; break;
	case 4: d = sec / 86400; break;
	case 5: d = sec / 86400 / 7; break;
	case 6: d = months; break;
	case 7: d = months / 3; break;
	default: d = months / 12; break;
	}
	set_int(v, neg ? -d : d);
	return 0;
}

/* Fractional digits (0..6) the server gives a temporal result computed
 * from v: a string constant shows how many it has, other strings and
 * doubles count as 6. */
static bool expr_is_const(const dm_sql_expr *e, int depth)
{
	size_t k;

	if (!e || depth > MAX_DEPTH)
		return false;
	if (e->kind == DM_SQL_EXPR_COLUMN || e->kind == DM_SQL_EXPR_USER_VAR ||
	    e->kind == DM_SQL_EXPR_SYSTEM_VAR)
		return false;
	for (k = 0; k < e->nargs; k++)
		if (!expr_is_const(e->args[k], depth + 1))
			return false;
	return (!e->operand || expr_is_const(e->operand, depth + 1)) &&
	       (!e->else_expr || expr_is_const(e->else_expr, depth + 1));
}

/* Seconds and microseconds of a number of seconds (not NULL); false when
 * negative or not a number. */
static bool num_secs(ectx *c, const ev *v, int64_t *sec, uint32_t *usec,
		     bool *has_frac)
{
	ev t = *v;
	dn m;
	int sc;
	char tmp[80];

	numify(&t);
	*has_frac = false;
	if (t.t == T_STR) {
		bool f, x;
		size_t len = num_prefix(t.s, t.n, &f, &x);

		if (len == 0) {
			set_int(&t, 0);
		} else if (x || !dec_parse(t.s, len, &m, &sc)) {
			set_dbl(&t, str_to_dbl(t.s, t.n));
		} else {
			set_dec(&t, m, sc);
		}
	}
	if (t.t == T_DBL) {
		if (!isfinite(t.d) || t.d < 0 || t.d >= 1e15)
			return t.d >= 0 && t.d < 1e300 ? (*sec = INT64_MAX,
							  *usec = 0, true)
						       : false;
		put_dbl_text(tmp, sizeof(tmp), t.d, DBL_NF);
		if (strchr(tmp, 'e') || !dec_parse(tmp, strlen(tmp), &m, &sc)) {
			*sec = (int64_t)t.d;
			*usec = 0;
			return true;
		}
		set_dec(&t, m, sc);
	}
	(void)c;
	if (t.t == T_INT) {
		if (t.i < 0)
			return false;
		*sec = t.i;
		*usec = 0;
		return true;
	}
	if (t.t == T_UINT) {
		*sec = t.u > INT64_MAX ? INT64_MAX : (int64_t)t.u;
		*usec = 0;
		return true;
	}
	if (t.t != T_DEC || dn_neg_p(t.m))
		return false;
	{
		dn ip, fr;

		dm__dn_divmod(t.m, dm__dn_pow10(t.scale), &ip, &fr);
		*has_frac = !dn_zero_p(fr);
		*sec = dm__dn_fits_i64(ip) ? (int64_t)ip.l[0] : INT64_MAX;
		if (t.scale <= 6)
			dn_shift(fr, 6 - t.scale, &fr);
		else
			fr = dn_trunc10(fr, t.scale - 6);
		*usec = (uint32_t)fr.l[0];
	}
	return true;
}

static int fn_unix_timestamp(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a;
	int rc, fsp = 0;
	int64_t s;
	uint32_t us;

	if ((rc = need_args(c, e, 0, 1)))
		return rc;
	if (e->nargs == 0) {
		get_now(c);
		set_int(v, c->now_sec);
		return 0;
	}
	if ((rc = eval(c, e->args[0], &a)))
		return rc;
	switch (a.t) {
	case T_DATETIME:
	case T_TIME:
		fsp = a.scale;
		break;
	case T_DEC:
		fsp = a.scale > 6 ? 6 : a.scale;
		break;
	case T_DBL:
		fsp = 6;
		break;
	case T_STR:
		fsp = a.hexnum ? 0 : 6;
		if (!a.hexnum && !a.null && expr_is_const(e->args[0], 0)) {
			const char *dot = memchr(a.s, '.', a.n);
			size_t q;

			fsp = 0;
			for (q = dot ? (size_t)(dot - a.s) + 1 : a.n;
			     q < a.n && isdigit((unsigned char)a.s[q]) && fsp < 6; q++)
				fsp++;
		}
		break;
	default:
		fsp = 0;
		break;
	}
	if (a.t == T_DEC || a.t == T_DBL || a.t == T_INT || a.t == T_UINT ||
	    a.hexnum) {
		/* a number YYYYMMDDhhmmss[.ffffff]: keep the fraction */
		int64_t sec;
		uint32_t usec = 0;
		bool hf;

		if (!a.null && a.t != T_INT && a.t != T_UINT && !a.hexnum &&
		    num_secs(c, &a, &sec, &usec, &hf)) {
			ev w = a;

			if ((rc = as_datetime(c, &w)))
				return rc;
			if (!w.null)
				w.tm.microsecond = usec;
			a = w;
		} else if ((rc = as_datetime(c, &a))) {
			return rc;
		}
	} else if ((rc = as_datetime(c, &a))) {
		return rc;
	}
	if (a.null) {
		set_null(v, fsp ? T_DEC : T_INT);
		v->scale = fsp;
		return 0;
	}
	s = tm_secs(&a.tm) - c->o.tz_offset;
	us = trunc_usec(a.tm.microsecond, fsp);
	if (s < 0 || s > INT32_MAX) {
		set_null(v, fsp ? T_DEC : T_INT);
		v->scale = fsp;
		return 0;
	}
	if (fsp == 0)
		set_int(v, s);
	else
		set_dec(v, DNI((int64_t)((i128)s * pow10i(fsp) +
					 us / (uint32_t)pow10i(6 - fsp))),
			fsp);
	return 0;
}

static int date_format_ev(ectx *c, const dm_time *t, const ev *fmt, ev *v)
{
	dm_buf b = DM_BUF_INIT;
	int rc;

	if (fmt->n == 0) {
		set_null(v, T_STR);
		return 0;
	}
	rc = dm__sql_date_format(&b, t, false, fmt->s, fmt->n);
	if (rc < 0) {
		dm_buf_free(&b);
		return oom(c);
	}
	if (rc == 1) {
		set_null(v, T_STR);
		rc = 0;
	} else {
		rc = make_str(c, v, b.data ? b.data : "", b.len, false);
	}
	dm_buf_free(&b);
	v->dec0 = true;
	return rc;
}

static int fn_from_unixtime(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a[2];
	bool anyn, hf = false;
	int rc, fsp;
	int64_t sec;
	uint32_t usec;

	if ((rc = need_args(c, e, 1, 2)) ||
	    (rc = args_all(c, e, a, e->nargs, &anyn)))
		return rc;
	fsp = a[0].t == T_DEC ? (a[0].scale > 6 ? 6 : a[0].scale) : 0;
	if (anyn || !num_secs(c, &a[0], &sec, &usec, &hf) || sec > INT32_MAX) {
		set_null(v, e->nargs == 2 ? T_STR : T_DATETIME);
		v->scale = fsp;
		return 0;
	}
	if ((a[0].t == T_DBL || (a[0].t == T_STR && !a[0].hexnum)) && hf)
		fsp = 6;
	memset(v, 0, sizeof(*v));
	v->t = T_DATETIME;
	v->scale = fsp;
	tm_from_epoch(&v->tm, sec + c->o.tz_offset, trunc_usec(usec, fsp));
	if (e->nargs == 2) {
		dm_time t = v->tm;

		if ((rc = str_arg(c, &a[1])))
			return rc;
		return date_format_ev(c, &t, &a[1], v);
	}
	return 0;
}

static int fn_date_format(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a[2];
	bool anyn;
	int rc;

	if ((rc = need_args(c, e, 2, 2)) || (rc = args_all(c, e, a, 2, &anyn)))
		return rc;
	if (!anyn && a[0].t != T_TIME && a[0].t != T_DATE &&
	    a[0].t != T_DATETIME && (rc = to_temporal(c, &a[0], T_DATETIME, 6)))
		return rc;
	if (anyn || a[0].null) {
		set_null(v, T_STR);
		return 0;
	}
	if ((rc = str_arg(c, &a[1])))
		return rc;
	return date_format_ev(c, &a[0].tm, &a[1], v);
}

/* JSON_EXTRACT, JSON_UNQUOTE (and so -> and ->>), BIT_COUNT. */
static int fn_json(ectx *c, const dm_sql_expr *e, ev *v, bool *done)
{
	dm_buf b = DM_BUF_INIT;
	int rc;

	*done = true;
	if (fname_is(e, "JSON_EXTRACT")) {
		dm_str *paths;
		ev d, p;
		size_t k, bp, bo;
		bool isnull = false;

		if (e->nargs < 2)
			return need_args(c, e, 2, SIZE_MAX);
		paths = (dm_str *)(void *)ealloc(c, sizeof(dm_str) * (e->nargs - 1));
		if (!paths)
			return oom(c);
		if ((rc = eval(c, e->args[0], &d)) || (rc = str_arg(c, &d)))
			return rc;
		isnull = d.null;
		for (k = 1; k < e->nargs; k++) {
			if ((rc = eval(c, e->args[k], &p)) || (rc = str_arg(c, &p)))
				return rc;
			isnull = isnull || p.null;
			paths[k - 1].ptr = p.null ? "" : p.s;
			paths[k - 1].len = p.null ? 0 : p.n;
		}
		if (isnull) {
			set_null(v, T_STR);
			return 0;
		}
		rc = dm__sql_json_extract(&b, d.s, d.n, paths, e->nargs - 1,
					  &bp, &bo);
		if (rc < 0) {
			dm_buf_free(&b);
			return oom(c);
		}
		if (rc > 0) {
			/* not JSON, a bad path or no match: NULL (and a
			 * warning) on the server */
			set_null(v, T_STR);
			rc = 0;
		} else {
			rc = make_str(c, v, b.data ? b.data : "", b.len, false);
			v->json = true;
		}
		dm_buf_free(&b);
		return rc;
	}
	if (fname_is(e, "JSON_UNQUOTE")) {
		bool same;

		if ((rc = need_args(c, e, 1, 1)) || (rc = eval(c, e->args[0], v)) ||
		    (rc = str_arg(c, v)))
			return rc;
		if (v->null)
			return 0;
		if (dm__sql_json_unquote(&b, v->s, v->n, &same)) {
			dm_buf_free(&b);
			return oom(c);
		}
		rc = same ? 0 : make_str(c, v, b.data ? b.data : "", b.len, false);
		v->bin = false;
		dm_buf_free(&b);
		return rc;
	}
	if (fname_is(e, "BIT_COUNT")) {
		uint64_t u;

		if ((rc = need_args(c, e, 1, 1)) || (rc = eval(c, e->args[0], v)))
			return rc;
		if (v->null) {
			set_null(v, T_INT);
			return 0;
		}
		if ((rc = to_u64(c, v, &u)))
			return rc;
		set_int(v, __builtin_popcountll(u));
		return 0;
	}
	*done = false;
	return 0;
}

static int fn_time(ectx *c, const dm_sql_expr *e, ev *v, bool *done)
{
	int rc = fn_now(c, e, v, done);

	if (rc || *done)
		return rc;
	*done = true;
	if (fname_is(e, "TIMESTAMPDIFF"))
		return fn_timestampdiff(c, e, v);
	if (fname_is(e, "UNIX_TIMESTAMP"))
		return fn_unix_timestamp(c, e, v);
	if (fname_is(e, "FROM_UNIXTIME"))
		return fn_from_unixtime(c, e, v);
	if (fname_is(e, "DATE_FORMAT"))
		return fn_date_format(c, e, v);
	*done = false;
	return 0;
}

/* --------------------------------------------------------------- nodes */

/* MariaDB's Arg_comparator for a string comparison with JSON_EXTRACT on
 * one side (the left one when both): that side is its string's decoded
 * contents, or its JSON text for other values; the other side is taken
 * as written. A comparison with a number reads the JSON as a number. */
static int json_cmp_prep(ectx *c, ev *a, ev *b)
{
	ev *j = a->json ? a : b->json ? b : NULL, *o = j == a ? b : a;
	dm_buf buf = DM_BUF_INIT;
	bool same;
	int rc;

	if (!j || o->t != T_STR || o->hexnum)
		return 0;
	a->json = b->json = false;
	if (j->null || j->n < 2 || j->s[0] != '"')
		return 0;
	if (dm__sql_json_unquote(&buf, j->s, j->n, &same)) {
		dm_buf_free(&buf);
		return oom(c);
	}
	rc = same ? 0 : make_str(c, j, buf.data ? buf.data : "", buf.len,
				   false);
	dm_buf_free(&buf);
	return rc;
}

static int eval_cmp(ectx *c, dm_sql_op op, const ev *a, const ev *b, ev *v)
{
	int r, rc;
	bool isn;

	if (op == DM_SQL_OP_NULL_SAFE_EQ) {
		if (a->null || b->null) {
			set_int(v, a->null && b->null);
			return 0;
		}
	} else if (a->null || b->null) {
		set_null(v, T_INT);
		return 0;
	}
	rc = cmp_values(c, a, b, &r, &isn);
	if (rc)
		return rc;
	if (isn) {
		if (op == DM_SQL_OP_NULL_SAFE_EQ)
			set_int(v, 0);
		else
			set_null(v, T_INT);
		return 0;
	}
	switch (op) {
	case DM_SQL_OP_EQ:
	case DM_SQL_OP_NULL_SAFE_EQ: set_int(v, r == 0); break;
	case DM_SQL_OP_NE: set_int(v, r != 0); break;
	case DM_SQL_OP_LT: set_int(v, r < 0); break;
	case DM_SQL_OP_LE: set_int(v, r <= 0); break;
	case DM_SQL_OP_GT: set_int(v, r > 0); break;
	case DM_SQL_OP_GE: set_int(v, r >= 0); break;
	default: return unsup(c, "this comparison");
	}
	return 0;
}

static int eval_logic(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a, b;
	bool x = false, y = false, nx, ny;
	int rc;

	if ((rc = eval(c, e->args[0], &a)))
		return rc;
	nx = !to_bool(&a, &x);
	if (e->op == DM_SQL_OP_AND && !nx && !x) {
		set_int(v, 0);
		return 0;
	}
	if (e->op == DM_SQL_OP_OR && !nx && x) {
		set_int(v, 1);
		return 0;
	}
	if ((rc = eval(c, e->args[1], &b)))
		return rc;
	ny = !to_bool(&b, &y);
	switch (e->op) {
	case DM_SQL_OP_AND:
		if (!ny && !y)
			set_int(v, 0);
		else if (nx || ny)
			set_null(v, T_INT);
		else
			set_int(v, 1);
		return 0;
	case DM_SQL_OP_OR:
		if (!ny && y)
			set_int(v, 1);
		else if (nx || ny)
			set_null(v, T_INT);
		else
			set_int(v, 0);
		return 0;
	default: /* XOR */
		if (nx || ny)
			set_null(v, T_INT);
		else
			set_int(v, x != y);
		return 0;
	}
}

static int eval_binary(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a, b;
	int rc;

	switch (e->op) {
	case DM_SQL_OP_AND:
	case DM_SQL_OP_OR:
	case DM_SQL_OP_XOR:
		return eval_logic(c, e, v);
	default:
		break;
	}
	if ((e->op == DM_SQL_OP_ADD || e->op == DM_SQL_OP_SUB) &&
	    (e->args[1]->kind == DM_SQL_EXPR_INTERVAL ||
	     e->args[0]->kind == DM_SQL_EXPR_INTERVAL)) {
		const dm_sql_expr *iv = e->args[1]->kind == DM_SQL_EXPR_INTERVAL ?
					e->args[1] : e->args[0];
		const dm_sql_expr *base = iv == e->args[1] ? e->args[0] : e->args[1];

		if (iv == e->args[0] && e->op == DM_SQL_OP_SUB)
			return bad(c, "syntax error: INTERVAL - x");
		if (iv->nargs != 1)
			return bad(c, "bad INTERVAL");
		if ((rc = eval(c, base, v)) || (rc = eval(c, iv->args[0], &a)))
			return rc;
		if ((rc = date_of(c, v, T_DATETIME)))
			return rc;
		return add_interval(c, v, &a, iv->keyword, e->op == DM_SQL_OP_SUB);
	}
	if ((rc = eval(c, e->args[0], &a)))
		return rc;
	if (a.null && (e->op == DM_SQL_OP_EQ || e->op == DM_SQL_OP_NE ||
		       e->op == DM_SQL_OP_LT || e->op == DM_SQL_OP_LE ||
		       e->op == DM_SQL_OP_GT || e->op == DM_SQL_OP_GE ||
		       e->op == DM_SQL_OP_BIT_AND || e->op == DM_SQL_OP_BIT_OR ||
		       e->op == DM_SQL_OP_BIT_XOR || e->op == DM_SQL_OP_SHIFT_LEFT ||
		       e->op == DM_SQL_OP_SHIFT_RIGHT ||
		       (e->op == DM_SQL_OP_DIV && a.t != T_NULL &&
			a.t != T_STR && a.t != T_DBL) ||
		       ((e->op == DM_SQL_OP_ADD || e->op == DM_SQL_OP_SUB ||
			 e->op == DM_SQL_OP_MUL || e->op == DM_SQL_OP_MOD) &&
			a.t == T_DEC))) {
		/* MariaDB's comparisons (but <=>), bit operators and
		 * decimal arithmetic do not evaluate the right operand of a
		 * NULL left one: only its type counts (an error there is
		 * none). A NULL literal, a string or a DOUBLE on the left
		 * of / makes it a DOUBLE division, which evaluates both. */
		if ((rc = eval_type_only(c, e->args[1], &b)))
			return rc;
	} else if ((rc = eval(c, e->args[1], &b))) {
		return rc;
	}
	switch (e->op) {
	case DM_SQL_OP_EQ:
	case DM_SQL_OP_NULL_SAFE_EQ:
	case DM_SQL_OP_NE:
	case DM_SQL_OP_LT:
	case DM_SQL_OP_LE:
	case DM_SQL_OP_GT:
	case DM_SQL_OP_GE:
		if ((rc = json_cmp_prep(c, &a, &b)))
			return rc;
		return eval_cmp(c, e->op, &a, &b, v);
	case DM_SQL_OP_ADD:
	case DM_SQL_OP_SUB:
	case DM_SQL_OP_MUL:
	case DM_SQL_OP_DIV:
	case DM_SQL_OP_INT_DIV:
	case DM_SQL_OP_MOD:
		return arith(c, e->op, &a, &b, v);
	case DM_SQL_OP_REGEXP:
		return eval_regexp(c, e, &a, &b, v);
	case DM_SQL_OP_BIT_AND:
	case DM_SQL_OP_BIT_OR:
	case DM_SQL_OP_BIT_XOR:
	case DM_SQL_OP_SHIFT_LEFT:
	case DM_SQL_OP_SHIFT_RIGHT:
		return eval_bit(c, e->op, &a, &b, v);
	default:
		return unsup(c, "this operator");
	}
}

static int eval_unary(ectx *c, const dm_sql_expr *e, ev *v)
{
	int rc = eval(c, e->args[0], v);
	bool b;

	if (rc)
		return rc;
	switch (e->op) {
	case DM_SQL_OP_NEG:
		return negate(c, v);
	case DM_SQL_OP_PLUS:
		return 0;
	case DM_SQL_OP_NOT:
		if (!to_bool(v, &b))
			set_null(v, T_INT);
		else
			set_int(v, !b);
		return 0;
	case DM_SQL_OP_BINARY:
		rc = to_str_ev(c, v);
		v->bin = true;
		return rc;
	case DM_SQL_OP_BIT_NOT: {
		uint64_t u;

		if (v->null) {
			set_null(v, T_UINT);
			return 0;
		}
		if ((rc = to_u64(c, v, &u)))
			return rc;
		set_uint(v, ~u);
		return 0;
	}
	default:
		return unsup(c, "this operator");
	}
}

static int eval_is(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a;
	bool b = false, known, r;
	int rc = eval(c, e->args[0], &a);

	if (rc)
		return rc;
	known = to_bool(&a, &b);
	if (!strcmp(e->keyword, "NULL") || !strcmp(e->keyword, "UNKNOWN"))
		r = a.null;
	else if (!strcmp(e->keyword, "TRUE"))
		r = known && b;
	else
		r = known && !b;
	set_int(v, e->negated ? !r : r);
	return 0;
}

static int eval_in(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a, x;
	size_t k;
	bool saw_null = false;
	int rc = eval(c, e->args[0], &a);

	if (rc)
		return rc;
	if (a.null) {
		/* MariaDB compares a NULL with nothing: NULL, the list not
		 * evaluated, unless the list is all constants (no NULL),
		 * which it evaluates up front */
		bool pre = true;

		for (k = 1; k < e->nargs && pre; k++)
			pre = e->args[k]->kind != DM_SQL_EXPR_NULL &&
			      expr_is_const(e->args[k], 0);
		for (k = 1; k < e->nargs && pre; k++)
			if ((rc = eval(c, e->args[k], &x)))
				return rc;
		set_null(v, T_INT);
		return 0;
	}
	for (k = 1; k < e->nargs; k++) {
		if ((rc = eval(c, e->args[k], &x)))
			return rc;
		if (x.null) {
			saw_null = true;
			continue;
		}
		if ((rc = eval_cmp(c, DM_SQL_OP_EQ, &a, &x, &x)))
			return rc;
		if (x.null) {
			saw_null = true;
		} else if (x.i) {
			set_int(v, !e->negated);
			return 0;
		}
	}
	if (saw_null)
		set_null(v, T_INT);
	else
		set_int(v, e->negated);
	return 0;
}

static int eval_between(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a, lo, hi, r1, r2;
	bool b1 = false, b2 = false, k1, k2;
	int rc;

	if ((rc = eval(c, e->args[0], &a)) || (rc = eval(c, e->args[1], &lo)) ||
	    (rc = eval(c, e->args[2], &hi)))
		return rc;
	if ((rc = eval_cmp(c, DM_SQL_OP_GE, &a, &lo, &r1)) ||
	    (rc = eval_cmp(c, DM_SQL_OP_LE, &a, &hi, &r2)))
		return rc;
	k1 = to_bool(&r1, &b1);
	k2 = to_bool(&r2, &b2);
	if ((k1 && !b1) || (k2 && !b2))
		set_int(v, e->negated);
	else if (!k1 || !k2)
		set_null(v, T_INT);
	else
		set_int(v, !e->negated);
	return 0;
}

static int eval_like(ectx *c, const dm_sql_expr *e, ev *v)
{
	ev a, p, es;
	pat pt;
	int rc;

	if ((rc = eval(c, e->args[0], &a)) || (rc = eval(c, e->args[1], &p)))
		return rc;
	pt.esc = (c->o.sql_mode & DM_SQL_MODE_NO_BACKSLASH_ESCAPES) ? 0x110000u
								     : '\\';
	if (e->nargs > 2) {
		if ((rc = eval(c, e->args[2], &es)) || (rc = str_arg(c, &es)))
			return rc;
		if (es.null || es.n == 0) {
			pt.esc = es.null ? '\\' : 0x110000u;
		} else {
			size_t q = 0;

			pt.esc = next_char(es.s, es.n, &q, false);
			if (q != es.n)
				return bad(c, "Incorrect arguments to ESCAPE");
		}
	}
	if (a.null || p.null) {
		set_null(v, T_INT);
		return 0;
	}
	if ((rc = str_arg(c, &a)) || (rc = str_arg(c, &p)))
		return rc;
	pt.s = p.s;
	pt.n = p.n;
	pt.ci = !(a.bin || p.bin);
	set_int(v, like_match(&pt, 0, a.s, a.n, 0, 0) != e->negated);
	return 0;
}

static int eval_case(ectx *c, const dm_sql_expr *e, ev *v)
{
	agg g = { T_NULL, 0, false, false };
	ev op, w, r;
	size_t k;
	bool found = false;
	int rc;

	if (e->operand && (rc = eval(c, e->operand, &op)))
		return rc;
	for (k = 0; k + 1 < e->nargs; k += 2) {
		bool hit = false;

		if (found) {
			if ((rc = eval_type_only(c, e->args[k + 1], &r)))
				return rc;
			agg_add(&g, &r);
			continue;
		}
		if ((rc = eval(c, e->args[k], &w)))
			return rc;
		if (e->operand) {
			ev t;

			if ((rc = eval_cmp(c, DM_SQL_OP_EQ, &op, &w, &t)))
				return rc;
			hit = !t.null && t.i;
		} else {
			bool b;

			hit = to_bool(&w, &b) && b;
		}
		if ((rc = (hit ? eval : eval_type_only)(c, e->args[k + 1], &r)))
			return rc;
		agg_add(&g, &r);
		if (hit) {
			*v = r;
			found = true;
		}
	}
	if (e->else_expr) {
		if ((rc = (found ? eval_type_only : eval)(c, e->else_expr, &r)))
			return rc;
		agg_add(&g, &r);
		if (!found) {
			*v = r;
			found = true;
		}
	}
	if (!found)
		set_null(v, T_NULL);
	return agg_apply(c, &g, v);
}

static int eval_cast(ectx *c, const dm_sql_expr *e, ev *v)
{
	const dm_sql_data_type *t = e->type;
	const char *n;
	int rc = eval(c, e->args[0], v);

	if (rc)
		return rc;
	if (!t || !t->name)
		return unsup(c, "this CAST");
	n = t->name;
	if (!strcmp(n, "SIGNED") || !strcmp(n, "SIGNED INTEGER") ||
	    !strcmp(n, "INTEGER") || !strcmp(n, "INT") ||
	    !strcmp(n, "UNSIGNED") || !strcmp(n, "UNSIGNED INTEGER") ||
	    !strcmp(n, "BIGINT")) {
		bool uns = !strncmp(n, "UNSIGNED", 8) || t->is_unsigned;
		int64_t i;
		bool u;

		if (v->null) {
			set_null(v, uns ? T_UINT : T_INT);
			return 0;
		}
		/* CAST(JSON_EXTRACT(..) AS SIGNED) reads its JSON text */
		v->json = false;
		if (v->t == T_STR) {
			/* a string holding a decimal number is truncated */
			rc = to_int(c, v, &i, &u);
		} else {
			rc = to_int(c, v, &i, &u);
		}
		if (rc)
			return rc;
		if (!uns && u && v->t == T_DEC) {
			/* a decimal beyond BIGINT saturates (an unsigned
			 * integer wraps) */
			i = INT64_MAX;
		}
		if (uns) {
			memset(v, 0, sizeof(*v));
			v->t = T_UINT;
			v->u = (uint64_t)i;
		} else {
			set_int(v, i);
		}
		return 0;
	}
	if (!strcmp(n, "DECIMAL")) {
		long long m = t->length > 0 ? t->length : 10;
		int sc = t->scale > 0 ? (int)t->scale : 0, in_intg;
		dn lim;

		if (m > 65 || sc > MAX_SCALE || sc > m)
			return unsup(c, "this DECIMAL precision");
		if (v->t == T_STR && !v->null) {
			dn mm;
			int ss;
			bool f, x;
			size_t len = num_prefix(v->s, v->n, &f, &x);

			if (x || len == 0 || !dec_parse(v->s, len, &mm, &ss))
				set_dbl(v, to_dbl(v));
			else
				set_dec(v, mm, ss);
		}
		in_intg = v->t == T_DEC && !v->null ? dec_intg_ev(v, v->m, v->scale)
						    : 0;
		if ((rc = to_dec(c, v, sc)))
			return rc;
		if (v->null)
			return 0;
		lim = dec_max((int)m);
		if (dn_cmp(v->m, lim) > 0)
			v->m = lim;
		if (dn_cmp(v->m, dm__dn_neg(lim)) < 0)
			v->m = dm__dn_neg(lim);
		/* decimal_round into a new value: whole integer words */
		{
			int d = dec_intg(v->m, v->scale);

			v->intg = 9 * words(d > in_intg ? d : in_intg);
		}
		return 0;
	}
	if (!strcmp(n, "CHAR") || !strcmp(n, "NCHAR") || !strcmp(n, "BINARY") ||
	    !strcmp(n, "VARCHAR")) {
		bool bin = !strcmp(n, "BINARY") ||
			   (t->charset && !strcmp(t->charset, "binary"));

		if ((rc = to_str_ev(c, v)))
			return rc;
		v->bin = bin;
		v->dec0 = true;
		if (t->length >= 0 && !v->null) {
			size_t cut = bin ? ((size_t)t->length < v->n ? (size_t)t->length : v->n)
					 : char_off(v->s, v->n, (size_t)t->length);

			v->n = cut;
		}
		return 0;
	}
	if (!strcmp(n, "DATE"))
		return to_temporal(c, v, T_DATE, 0);
	if (!strcmp(n, "DATETIME"))
		return to_temporal(c, v, T_DATETIME,
				   t->length > 0 && t->length <= 6 ? (int)t->length : 0);
	if (!strcmp(n, "TIME"))
		return to_temporal(c, v, T_TIME,
				   t->length > 0 && t->length <= 6 ? (int)t->length : 0);
	if (!strcmp(n, "DOUBLE") || !strcmp(n, "FLOAT") || !strcmp(n, "REAL")) {
		bool isn = v->null;

		numify(v);
		set_dbl(v, to_dbl(v));
		v->null = isn;
		return 0;
	}
	return unsup(c, "this CAST target type");
}

static int eval(ectx *c, const dm_sql_expr *e, ev *v)
{
	int rc;

	if (!e)
		return bad(c, "missing expression");
	if (++c->depth > MAX_DEPTH) {
		c->depth--;
		return bad(c, "expression nested too deeply");
	}
	/* not every path below sets every field */
	v->json = false;
	switch (e->kind) {
	case DM_SQL_EXPR_COLUMN:
		rc = eval_column(c, e, v);
		break;
	case DM_SQL_EXPR_UNARY:
		rc = eval_unary(c, e, v);
		break;
	case DM_SQL_EXPR_BINARY:
		rc = e->nargs == 2 ? eval_binary(c, e, v) : bad(c, "bad node");
		break;
	case DM_SQL_EXPR_IS:
		rc = eval_is(c, e, v);
		break;
	case DM_SQL_EXPR_IN:
		rc = eval_in(c, e, v);
		break;
	case DM_SQL_EXPR_BETWEEN:
		rc = e->nargs == 3 ? eval_between(c, e, v) : bad(c, "bad node");
		break;
	case DM_SQL_EXPR_LIKE:
		rc = eval_like(c, e, v);
		break;
	case DM_SQL_EXPR_FUNC:
		rc = eval_func(c, e, v);
		break;
	case DM_SQL_EXPR_CASE:
		rc = eval_case(c, e, v);
		break;
	case DM_SQL_EXPR_CAST:
		rc = e->nargs >= 1 ? eval_cast(c, e, v) : bad(c, "bad node");
		break;
	case DM_SQL_EXPR_CONVERT_USING:
	case DM_SQL_EXPR_COLLATE:
		rc = eval(c, e->args[0], v);
		if (!rc)
			rc = to_str_ev(c, v);
		break;
	case DM_SQL_EXPR_ROW:
		if (e->nargs == 1) {
			rc = eval(c, e->args[0], v);
			break;
		}
		rc = bad(c, "Operand should contain 1 column(s)");
		break;
	case DM_SQL_EXPR_INTERVAL:
		rc = bad(c, "INTERVAL outside date arithmetic");
		break;
	case DM_SQL_EXPR_USER_VAR:
	case DM_SQL_EXPR_SYSTEM_VAR:
		rc = unsup(c, "a variable");
		break;
	default:
		rc = eval_literal(c, e, v);
		break;
	}
	/* only JSON_EXTRACT itself reads as JSON; what passes its value on
	 * (IFNULL, CASE, ...) gives a plain string */
	if (!rc && v->json && !(e->kind == DM_SQL_EXPR_FUNC &&
			 fname_is(e, "JSON_EXTRACT")))
		v->json = false;
	c->depth--;
	return rc;
}

/* ------------------------------------------------------------- results */

static int to_value(ectx *c, const ev *v, dm_value *out, dm_buf *scratch)
{
	char tmp[DEC_BUF];
	const char *s = NULL;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (v->null || v->t == T_NULL) {
		out->kind = DM_VALUE_NULL;
		return 0;
	}
	switch (v->t) {
	case T_INT:
		out->kind = DM_VALUE_INT;
		out->type = DM_TYPE_LONGLONG;
		out->v.i = v->i;
		return 0;
	case T_UINT:
		out->kind = DM_VALUE_UINT;
		out->type = DM_TYPE_LONGLONG;
		out->flags = DM_VALUE_F_UNSIGNED;
		out->v.u = v->u;
		return 0;
	case T_DBL:
		out->kind = DM_VALUE_DOUBLE;
		out->type = DM_TYPE_DOUBLE;
		out->v.d = v->d;
		return 0;
	case T_DATE:
	case T_DATETIME:
	case T_TIME:
		out->kind = v->t == T_DATE ? DM_VALUE_DATE :
			    v->t == T_TIME ? DM_VALUE_TIME : DM_VALUE_DATETIME;
		out->type = v->t == T_DATE ? DM_TYPE_DATE :
			    v->t == T_TIME ? DM_TYPE_TIME2 : DM_TYPE_DATETIME2;
		out->v.time = v->tm;
		out->v.time.fsp = (uint8_t)v->scale;
		return 0;
	case T_DEC:
		n = dec_print(tmp, v);
		s = tmp;
		out->kind = DM_VALUE_DECIMAL;
		out->type = DM_TYPE_NEWDECIMAL;
		break;
	default:
		s = v->s;
		n = v->n;
		out->kind = v->bin ? DM_VALUE_BYTES : DM_VALUE_STRING;
		out->type = DM_TYPE_VAR_STRING;
		out->charset = v->bin ? 63 : 45;
		break;
	}
	dm_buf_clear(scratch);
	if (dm_buf_reserve(scratch, n + 1) || dm_buf_append(scratch, s, n))
		return oom(c);
	scratch->data[n] = '\0';
	out->v.str.ptr = scratch->data;
	out->v.str.len = n;
	return 0;
}

static void ectx_free(ectx *c)
{
	while (c->blocks) {
		blk *b = c->blocks;

		c->blocks = b->next;
		dm__free(b);
	}
}

DM_API int dm_sql_eval(dm_value *out, dm_buf *scratch, const dm_sql_expr *expr,
		       const dm_sql_eval_row *row, const dm_sql_eval_opts *opts,
		       dm_error **err)
{
	dm_sql_eval_opts def = DM_SQL_EVAL_OPTS_INIT;
	ectx c;
	ev v;
	int rc;

	if (!out || !scratch || !expr)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_eval: NULL argument");
	memset(&c, 0, sizeof(c));
	c.row = row;
	c.o = opts ? *opts : def;
	c.err = err;
	rc = eval(&c, expr, &v);
	if (!rc)
		rc = to_value(&c, &v, out, scratch);
	ectx_free(&c);
	return rc;
}

DM_API int dm_sql_eval_text(dm_buf *out, bool *is_null, const dm_sql_expr *expr,
			    const dm_sql_eval_row *row,
			    const dm_sql_eval_opts *opts, dm_error **err)
{
	dm_sql_eval_opts def = DM_SQL_EVAL_OPTS_INIT;
	ectx c;
	ev v;
	const char *s;
	size_t n;
	int rc;

	if (is_null)
		*is_null = false;
	if (!out || !expr)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_eval_text: NULL argument");
	memset(&c, 0, sizeof(c));
	c.row = row;
	c.o = opts ? *opts : def;
	c.err = err;
	rc = eval(&c, expr, &v);
	if (!rc && (v.null || v.t == T_NULL)) {
		if (is_null)
			*is_null = true;
		if (dm_buf_append(out, "NULL", 4))
			rc = oom(&c);
	} else if (!rc) {
		rc = to_text(&c, &v, &s, &n);
		if (!rc && dm_buf_append(out, s, n))
			rc = oom(&c);
	}
	ectx_free(&c);
	return rc;
}

DM_API int dm_sql_eval_convert(dm_value *out, dm_buf *scratch,
			       const dm_value *in, const dm_sql_data_type *type,
			       dm_error **err)
{
	ectx c;
	ev v;
	int rc, scale;
	bool bin;
	tclass t;

	if (!out || !scratch || !in || !type || !type->name)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_eval_convert: NULL argument");
	memset(&c, 0, sizeof(c));
	c.o.version = 1;
	c.err = err;
	rc = from_value(&c, in, &v);
	if (rc)
		goto out;
	t = type_class(type, &scale, &bin);
	if (v.null) {
		memset(out, 0, sizeof(*out));
		out->kind = DM_VALUE_NULL;
		goto out;
	}
	switch (t) {
	case T_INT:
	case T_UINT: {
		int64_t i;
		bool u;
		bool f, x;

		if (v.t == T_STR) {
			size_t len = num_prefix(v.s, v.n, &f, &x);

			if (len == 0 || len != v.n) {
				rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
						  "Incorrect integer value");
				goto out;
			}
			if (f || x) {
				dn m;
				int sc;

				if (x || !dec_parse(v.s, len, &m, &sc))
					set_dbl(&v, to_dbl(&v));
				else
					set_dec(&v, m, sc);
			}
		}
		rc = to_int(&c, &v, &i, &u);
		if (rc)
			goto out;
		if ((t == T_UINT && i < 0 && !u) || (t == T_INT && u)) {
			rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
					  "Out of range value for column");
			goto out;
		}
		memset(&v, 0, sizeof(v));
		v.t = t;
		v.i = i;
		v.u = (uint64_t)i;
		break;
	}
	case T_DEC:
		if (v.t == T_STR) {
			dn m;
			int sc;
			bool f, x;
			size_t len = num_prefix(v.s, v.n, &f, &x);

			if (len == 0 || len != v.n) {
				rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
						  "Incorrect decimal value");
				goto out;
			}
			if (x || !dec_parse(v.s, len, &m, &sc))
				set_dbl(&v, to_dbl(&v));
			else
				set_dec(&v, m, sc);
		}
		rc = to_dec(&c, &v, scale);
		break;
	case T_DBL:
		numify(&v);
		set_dbl(&v, to_dbl(&v));
		break;
	case T_STR:
		rc = to_str_ev(&c, &v);
		v.bin = bin;
		break;
	default:
		rc = to_temporal(&c, &v, t, scale);
		if (!rc && v.null)
			rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
					  "Incorrect %s value", type->name);
		break;
	}
	if (!rc)
		rc = to_value(&c, &v, out, scratch);
out:
	ectx_free(&c);
	return rc;
}
