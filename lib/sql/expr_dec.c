/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fixed-width signed integers for the evaluator's exact decimals: the
 * unscaled digits of a DECIMAL (MariaDB keeps up to 81 of them) and the
 * products and scaled dividends computed from them. Two's complement over
 * DM__DN 64-bit limbs, least significant first; every operation reports
 * overflow instead of wrapping.
 */
#include <string.h>

#include "sql/expr_private.h"

typedef unsigned __int128 u128;

#define TOP(a) ((a).l[DM__DN - 1])

dm__dnum dm__dn_i64(int64_t v)
{
	dm__dnum r;
	uint64_t fill = v < 0 ? UINT64_MAX : 0;
	int k;

	r.l[0] = (uint64_t)v;
	for (k = 1; k < DM__DN; k++)
		r.l[k] = fill;
	return r;
}

dm__dnum dm__dn_u64(uint64_t v)
{
	dm__dnum r;

	memset(&r, 0, sizeof(r));
	r.l[0] = v;
	return r;
}

bool dm__dn_isneg(dm__dnum a)
{
	return TOP(a) >> 63;
}

bool dm__dn_iszero(dm__dnum a)
{
	int k;

	for (k = 0; k < DM__DN; k++)
		if (a.l[k])
			return false;
	return true;
}

int dm__dn_sign(dm__dnum a)
{
	return dm__dn_isneg(a) ? -1 : dm__dn_iszero(a) ? 0 : 1;
}

bool dm__dn_fits_i64(dm__dnum a)
{
	uint64_t fill = (int64_t)a.l[0] < 0 ? UINT64_MAX : 0;
	int k;

	for (k = 1; k < DM__DN; k++)
		if (a.l[k] != fill)
			return false;
	return true;
}

int dm__dn_cmp(dm__dnum a, dm__dnum b)
{
	bool na = dm__dn_isneg(a), nb = dm__dn_isneg(b);
	int k;

	if (na != nb)
		return na ? -1 : 1;
	for (k = DM__DN - 1; k >= 0; k--)
		if (a.l[k] != b.l[k])
			return a.l[k] < b.l[k] ? -1 : 1;
	return 0;
}

/* Wrapping two's complement negation; *ovf for the most negative value. */
static dm__dnum neg_raw(dm__dnum a)
{
	dm__dnum r;
	unsigned carry = 1;
	int k;

	for (k = 0; k < DM__DN; k++) {
		uint64_t x = ~a.l[k];

		r.l[k] = x + carry;
		carry = carry && r.l[k] == 0;
	}
	return r;
}

dm__dnum dm__dn_neg(dm__dnum a)
{
	return neg_raw(a);
}

dm__dnum dm__dn_abs(dm__dnum a)
{
	return dm__dn_isneg(a) ? neg_raw(a) : a;
}

bool dm__dn_add(dm__dnum a, dm__dnum b, dm__dnum *out)
{
	dm__dnum r;
	unsigned carry = 0;
	int k;

	if (dm__dn_fits_i64(a) && dm__dn_fits_i64(b)) {
		int64_t s;

		if (!__builtin_add_overflow((int64_t)a.l[0], (int64_t)b.l[0],
					    &s)) {
			*out = dm__dn_i64(s);
			return true;
		}
	}
	for (k = 0; k < DM__DN; k++) {
		uint64_t s = a.l[k] + b.l[k];
		unsigned c2 = s < a.l[k];

		r.l[k] = s + carry;
		c2 |= r.l[k] < s;
		carry = c2;
	}
	/* overflow: both operands have one sign and the result the other */
	if (dm__dn_isneg(a) == dm__dn_isneg(b) &&
	    dm__dn_isneg(r) != dm__dn_isneg(a))
		return false;
	*out = r;
	return true;
}

bool dm__dn_sub(dm__dnum a, dm__dnum b, dm__dnum *out)
{
	dm__dnum nb = neg_raw(b);

	if (dm__dn_isneg(b) && dm__dn_isneg(nb))
		return false; /* b is the most negative value */
	return dm__dn_add(a, nb, out);
}

/* Magnitude helpers: unsigned limbs, `n` of them. */
static int used_limbs(const uint64_t *a, int n)
{
	while (n > 0 && a[n - 1] == 0)
		n--;
	return n;
}

bool dm__dn_mul(dm__dnum a, dm__dnum b, dm__dnum *out)
{
	bool neg = dm__dn_isneg(a) != dm__dn_isneg(b);
	uint64_t p[2 * DM__DN];
	dm__dnum ua, ub, r;
	int na, nb, i, j;

	if (dm__dn_fits_i64(a) && dm__dn_fits_i64(b)) {
		__int128 s = (__int128)(int64_t)a.l[0] * (int64_t)b.l[0];
		uint64_t fill = s < 0 ? UINT64_MAX : 0;

		r.l[0] = (uint64_t)s;
		r.l[1] = (uint64_t)((u128)s >> 64);
		for (i = 2; i < DM__DN; i++)
			r.l[i] = fill;
		*out = r;
		return true;
	}
	ua = dm__dn_abs(a);
	ub = dm__dn_abs(b);
	if (dm__dn_isneg(ua) || dm__dn_isneg(ub))
		return false;
	na = used_limbs(ua.l, DM__DN);
	nb = used_limbs(ub.l, DM__DN);
	if (na + nb > DM__DN + 1)
		return false;
	memset(p, 0, sizeof(p));
	for (i = 0; i < na; i++) {
		uint64_t carry = 0;

		for (j = 0; j < nb; j++) {
			u128 t = (u128)ua.l[i] * ub.l[j] + p[i + j] + carry;

			p[i + j] = (uint64_t)t;
			carry = (uint64_t)(t >> 64);
		}
		p[i + nb] = carry;
	}
	for (i = DM__DN; i < 2 * DM__DN; i++)
		if (p[i])
			return false;
	memcpy(r.l, p, sizeof(r.l));
	if (dm__dn_isneg(r))
		return false;
	*out = neg ? neg_raw(r) : r;
	return true;
}

/* Unsigned division of magnitudes held in 32-bit digits (Knuth's
 * algorithm D). u has m digits, v has n >= 2 digits, v[n-1] != 0;
 * q gets m - n + 1 digits, r gets n digits. */
static void divmnu(uint32_t *q, uint32_t *r, const uint32_t *u,
		   const uint32_t *v, int m, int n)
{
	uint32_t un[4 * DM__DN + 1], vn[4 * DM__DN];
	int s = __builtin_clz(v[n - 1]), i, j;

	for (i = n - 1; i > 0; i--)
		vn[i] = (v[i] << s) | (s ? (uint32_t)((uint64_t)v[i - 1] >> (32 - s)) : 0);
	vn[0] = v[0] << s;
	un[m] = s ? (uint32_t)((uint64_t)u[m - 1] >> (32 - s)) : 0;
	for (i = m - 1; i > 0; i--)
		un[i] = (u[i] << s) | (s ? (uint32_t)((uint64_t)u[i - 1] >> (32 - s)) : 0);
	un[0] = u[0] << s;
	for (j = m - n; j >= 0; j--) {
		uint64_t num = ((uint64_t)un[j + n] << 32) | un[j + n - 1];
		uint64_t qhat = num / vn[n - 1], rhat = num % vn[n - 1];
		int64_t t, k;

		while (qhat >= ((uint64_t)1 << 32) ||
		       qhat * vn[n - 2] > ((rhat << 32) | un[j + n - 2])) {
			qhat--;
			rhat += vn[n - 1];
			if (rhat >= ((uint64_t)1 << 32))
				break;
		}
		k = 0;
		for (i = 0; i < n; i++) {
			uint64_t p = qhat * vn[i];

			t = (int64_t)un[i + j] - k - (int64_t)(p & 0xFFFFFFFFu);
			un[i + j] = (uint32_t)t;
			k = (int64_t)(p >> 32) - (t >> 32);
		}
		t = (int64_t)un[j + n] - k;
		un[j + n] = (uint32_t)t;
		if (t < 0) {
			qhat--;
			k = 0;
			for (i = 0; i < n; i++) {
				t = (int64_t)un[i + j] + vn[i] + k;
				un[i + j] = (uint32_t)t;
				k = t >> 32;
			}
			un[j + n] = (uint32_t)(un[j + n] + k);
		}
		q[j] = (uint32_t)qhat;
	}
	for (i = 0; i < n; i++)
		r[i] = (un[i] >> s) |
		       (s ? (uint32_t)((uint64_t)un[i + 1] << (32 - s)) : 0);
}

static void udivmod(const dm__dnum *a, const dm__dnum *b, dm__dnum *q,
		    dm__dnum *r)
{
	uint32_t u[2 * DM__DN], v[2 * DM__DN], qq[2 * DM__DN], rr[2 * DM__DN];
	int m, n, k;

	memset(q, 0, sizeof(*q));
	memset(r, 0, sizeof(*r));
	if (used_limbs(b->l, DM__DN) <= 1) {
		uint64_t d = b->l[0], rem = 0;

		for (k = DM__DN - 1; k >= 0; k--) {
			u128 cur = ((u128)rem << 64) | a->l[k];

			q->l[k] = (uint64_t)(cur / d);
			rem = (uint64_t)(cur % d);
		}
		r->l[0] = rem;
		return;
	}
	for (k = 0; k < DM__DN; k++) {
		u[2 * k] = (uint32_t)a->l[k];
		u[2 * k + 1] = (uint32_t)(a->l[k] >> 32);
		v[2 * k] = (uint32_t)b->l[k];
		v[2 * k + 1] = (uint32_t)(b->l[k] >> 32);
	}
	m = 2 * DM__DN;
	while (m > 0 && u[m - 1] == 0)
		m--;
	n = 2 * DM__DN;
	while (n > 0 && v[n - 1] == 0)
		n--;
	if (m < n) {
		*r = *a;
		return;
	}
	memset(qq, 0, sizeof(qq));
	memset(rr, 0, sizeof(rr));
	divmnu(qq, rr, u, v, m, n);
	for (k = 0; k < DM__DN; k++) {
		q->l[k] = qq[2 * k] | (uint64_t)qq[2 * k + 1] << 32;
		r->l[k] = rr[2 * k] | (uint64_t)rr[2 * k + 1] << 32;
	}
}

void dm__dn_divmod(dm__dnum a, dm__dnum b, dm__dnum *q, dm__dnum *r)
{
	dm__dnum ua = dm__dn_abs(a), ub = dm__dn_abs(b), uq, ur;

	if (dm__dn_fits_i64(a) && dm__dn_fits_i64(b) &&
	    !((int64_t)a.l[0] == INT64_MIN && (int64_t)b.l[0] == -1)) {
		int64_t x = (int64_t)a.l[0], y = (int64_t)b.l[0];

		if (q)
			*q = dm__dn_i64(x / y);
		if (r)
			*r = dm__dn_i64(x % y);
		return;
	}
	udivmod(&ua, &ub, &uq, &ur);
	if (q)
		*q = dm__dn_isneg(a) != dm__dn_isneg(b) ? neg_raw(uq) : uq;
	if (r)
		*r = dm__dn_isneg(a) ? neg_raw(ur) : ur;
}

dm__dnum dm__dn_pow10(int n)
{
	dm__dnum r = dm__dn_u64(1);
	uint64_t p = 1;

	if (n < 0 || n > DM__DN_MAXPOW)
		return dm__dn_i64(0);
	for (; n >= 18; n -= 18)
		dm__dn_mul(r, dm__dn_u64(1000000000000000000ULL), &r);
	while (n-- > 0)
		p *= 10;
	dm__dn_mul(r, dm__dn_u64(p), &r);
	return r;
}

size_t dm__dn_digits(char *buf, size_t cap, dm__dnum a)
{
	char tmp[DM__DN * 20 + 1];
	dm__dnum u = dm__dn_abs(a), q, r, chunk = dm__dn_u64(1000000000000000000ULL);
	size_t n = 0, k;

	if (dm__dn_isneg(u)) {
		/* the most negative value: never produced by the evaluator */
		u = dm__dn_i64(0);
	}
	do {
		uint64_t part;
		int d;

		if (used_limbs(u.l, DM__DN) <= 1) {
			part = u.l[0];
			u = dm__dn_i64(0);
			do {
				tmp[n++] = (char)('0' + part % 10);
				part /= 10;
			} while (part);
			break;
		}
		udivmod(&u, &chunk, &q, &r);
		part = r.l[0];
		for (d = 0; d < 18; d++) {
			tmp[n++] = (char)('0' + part % 10);
			part /= 10;
		}
		u = q;
	} while (!dm__dn_iszero(u));
	for (k = 0; k < n && k < cap; k++)
		buf[k] = tmp[n - 1 - k];
	return n;
}

int dm__dn_ndigits(dm__dnum a)
{
	dm__dnum u = dm__dn_abs(a);
	int n = used_limbs(u.l, DM__DN), bits, d;

	if (n == 0)
		return 0;
	bits = 64 * n - __builtin_clzll(u.l[n - 1]);
	/* 10^(d-1) <= 2^(bits-1) <= u < 2^bits: d or d + 1 digits */
	d = (int)((bits - 1) * 0.30102999566398) + 1;
	if (d <= DM__DN_MAXPOW && dm__dn_cmp(u, dm__dn_pow10(d)) >= 0)
		d++;
	return d;
}
