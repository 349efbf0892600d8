/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Set algebra: union, subtract, contains, equal, add, clone. Fixed cases,
 * then random sets checked against a brute-force model over small ranges
 * (bitsets for MySQL, a seq table for MariaDB).
 */
#include "gtid_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define U1 "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define U2 "b5cd1624-5f30-11e4-b4e9-1051721bd241"

static dm_gtid_set *P(const char *text)
{
	return gtid_test_parse(DM_GTID_MYSQL, text);
}

static dm_gtid_set *M(const char *text)
{
	return gtid_test_parse(DM_GTID_MARIADB, text);
}

static void assert_text(const dm_gtid_set *s, const char *want)
{
	char *got = gtid_test_format(s);

	if (strcmp(got, want) != 0)
		fail_msg("got [%s], want [%s]", got, want);
	free(got);
}

/* ---------------------------------------------------------- fixed cases */

static void test_gtid__mysql_union_merges_sources_and_intervals(void **state)
{
	dm_gtid_set *a = P(U1 ":1-3:10," U2 ":t:5");
	dm_gtid_set *b = P(U1 ":4-9:20," U2 ":1");

	(void)state;
	assert_int_equal(dm_gtid_set_union(a, b, NULL), 0);
	assert_text(a, U1 ":1-10:20," U2 ":1:t:5");
	assert_text(b, U1 ":4-9:20," U2 ":1");
	assert_true(dm_gtid_set_contains(a, b));
	assert_false(dm_gtid_set_contains(b, a));
	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
}

static void test_gtid__mysql_subtract_splits_and_drops(void **state)
{
	dm_gtid_set *a = P(U1 ":1-10:20-30," U2 ":1-5:t:1-3");
	dm_gtid_set *b = P(U1 ":3-4:8-22:30," U2 ":1-5:t:2");

	(void)state;
	assert_int_equal(dm_gtid_set_subtract(a, b, NULL), 0);
	assert_text(a, U1 ":1-2:5-7:23-29," U2 ":t:1:3");
	assert_int_equal(dm_gtid_set_subtract(a, a, NULL), 0);
	assert_true(dm_gtid_set_is_empty(a));
	assert_text(a, "");
	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
}

static void test_gtid__mysql_subtract_one_interval_spanning_many(void **state)
{
	dm_gtid_set *a = P(U1 ":1-2:4-5:7-8:10");
	dm_gtid_set *b = P(U1 ":2-7");

	(void)state;
	assert_int_equal(dm_gtid_set_subtract(a, b, NULL), 0);
	assert_text(a, U1 ":1:8:10");
	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
}

static void test_gtid__mysql_contains_needs_same_tag(void **state)
{
	dm_gtid_set *a = P(U1 ":1-10");
	dm_gtid_set *b = P(U1 ":t:1");
	dm_gtid_set *e = P("");

	(void)state;
	assert_false(dm_gtid_set_contains(a, b));
	assert_true(dm_gtid_set_contains(a, e));
	assert_true(dm_gtid_set_contains(e, e));
	assert_false(dm_gtid_set_contains(e, a));
	assert_true(dm_gtid_set_contains(a, a));
	assert_false(dm_gtid_set_equal(a, b));
	assert_true(dm_gtid_set_equal(e, e));
	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
	dm_gtid_set_free(e);
}

static void test_gtid__mysql_add_and_contains_gtid(void **state)
{
	dm_gtid_set *s = P("");
	dm_gtid g;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_gtid_parse(&g, DM_GTID_MYSQL, U1 ":TAG:5",
				       strlen(U1 ":TAG:5"), NULL),
			 0);
	assert_string_equal(g.tag, "tag");
	assert_false(dm_gtid_set_contains_gtid(s, &g));
	assert_int_equal(dm_gtid_set_add(s, &g, NULL), 0);
	assert_true(dm_gtid_set_contains_gtid(s, &g));
	strcpy(g.tag, "TaG"); /* tags compare case-insensitively */
	assert_true(dm_gtid_set_contains_gtid(s, &g));
	g.gno = 6;
	assert_false(dm_gtid_set_contains_gtid(s, &g));
	assert_int_equal(dm_gtid_set_add(s, &g, NULL), 0);
	g.gno = 4;
	assert_int_equal(dm_gtid_set_add(s, &g, NULL), 0);
	assert_text(s, U1 ":tag:4-6");
	g.tag[0] = '\0';
	assert_false(dm_gtid_set_contains_gtid(s, &g));
	g.gno = 0;
	assert_int_equal(dm_gtid_set_add(s, &g, &e), DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	g.gno = 1;
	strcpy(g.tag, "1x");
	assert_int_equal(dm_gtid_set_add(s, &g, &e), DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_false(dm_gtid_set_contains_gtid(s, &g));
	g.flavor = DM_GTID_MARIADB;
	assert_int_equal(dm_gtid_set_add(s, &g, &e), DM_E_NOT_MYSQL_GTID);
	dm_error_free(e);
	e = NULL;
	assert_false(dm_gtid_set_contains_gtid(s, &g));
	g.flavor = (dm_gtid_flavor)9;
	assert_int_equal(dm_gtid_set_add(s, &g, &e), DM_E_NOT_SUPPORTED_FLAVOR);
	dm_error_free(e);
	assert_int_equal(dm_gtid_set_add(NULL, &g, NULL), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_add(s, NULL, NULL), DM_E_INVALID_ARGUMENT);
	assert_text(s, U1 ":tag:4-6");
	dm_gtid_set_free(s);
}

static void test_gtid__mysql_add_interval_validates(void **state)
{
	static const unsigned char uuid[16] = { 0x3e, 0x11, 0xfa, 0x47 };
	dm_gtid_set *s = P("");
	dm_gtid_set *m = M("");
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_gtid_set_add_interval(s, uuid, NULL, 5, 9, NULL), 0);
	assert_int_equal(dm_gtid_set_add_interval(s, uuid, "X", 1, 1, NULL), 0);
	assert_int_equal(dm_gtid_set_add_interval(s, uuid, "", 10, 12, NULL), 0);
	assert_text(s, "3e11fa47-0000-0000-0000-000000000000:5-12:x:1");
	assert_int_equal(dm_gtid_set_add_interval(s, uuid, NULL, 0, 1, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_add_interval(s, uuid, NULL, 5, 4, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_add_interval(s, uuid, NULL, 1,
						  DM_GTID_MYSQL_GNO_MAX + 1,
						  &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_add_interval(
				 s, uuid, "abcdefghijklmnopqrstuvwxyz0123456", 1,
				 1, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_add_interval(s, NULL, NULL, 1, 1, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_add_interval(m, uuid, NULL, 1, 1, &e),
			 DM_E_NOT_MYSQL_GTID);
	dm_error_free(e);
	assert_text(s, "3e11fa47-0000-0000-0000-000000000000:5-12:x:1");
	dm_gtid_set_free(s);
	dm_gtid_set_free(m);
}

static void test_gtid__mixed_flavors_are_refused(void **state)
{
	dm_gtid_set *s = P(U1 ":1");
	dm_gtid_set *m = M("0-1-2");
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_gtid_set_union(s, m, &e), DM_E_NOT_MYSQL_GTID);
	assert_int_equal(dm_error_status(e), DM_E_NOT_MYSQL_GTID);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_subtract(m, s, &e), DM_E_NOT_MARIADB_GTID);
	dm_error_free(e);
	assert_false(dm_gtid_set_contains(s, m));
	assert_false(dm_gtid_set_contains(m, s));
	assert_false(dm_gtid_set_equal(s, m));
	assert_int_equal(dm_gtid_set_union(NULL, m, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_subtract(m, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_false(dm_gtid_set_equal(NULL, m));
	assert_false(dm_gtid_set_contains(m, NULL));
	assert_true(dm_gtid_set_is_empty(NULL));
	assert_false(dm_gtid_set_contains_gtid(NULL, NULL));
	assert_text(s, U1 ":1");
	assert_text(m, "0-1-2");
	dm_gtid_set_free(s);
	dm_gtid_set_free(m);
	dm_gtid_set_free(NULL);
}

static void test_gtid__new_and_clone(void **state)
{
	dm_gtid_set *s = NULL, *c = NULL, *x;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_gtid_set_new(&s, DM_GTID_MARIADB, NULL), 0);
	assert_true(dm_gtid_set_is_empty(s));
	assert_int_equal(dm_gtid_set_flavor(s), DM_GTID_MARIADB);
	dm_gtid_set_free(s);
	x = (dm_gtid_set *)&x;
	s = x;
	assert_int_equal(dm_gtid_set_new(&s, (dm_gtid_flavor)0, &e),
			 DM_E_NOT_SUPPORTED_FLAVOR);
	assert_null(s);
	dm_error_free(e);
	assert_int_equal(dm_gtid_set_new(NULL, DM_GTID_MYSQL, NULL),
			 DM_E_INVALID_ARGUMENT);

	s = P(U1 ":1-5:9:t:3," U2 ":7");
	assert_int_equal(dm_gtid_set_clone(&c, s, NULL), 0);
	assert_true(dm_gtid_set_equal(s, c));
	assert_int_equal(dm_gtid_set_subtract(c, s, NULL), 0);
	assert_true(dm_gtid_set_is_empty(c));
	assert_text(s, U1 ":1-5:9:t:3," U2 ":7");
	dm_gtid_set_free(c);
	dm_gtid_set_free(s);

	s = M("0-1-2,5-6-7");
	assert_int_equal(dm_gtid_set_clone(&c, s, NULL), 0);
	assert_true(dm_gtid_set_equal(s, c));
	dm_gtid_set_free(c);
	assert_int_equal(dm_gtid_set_clone(NULL, s, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_clone(&c, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_null(c);
	dm_gtid_set_free(s);
}

static void test_gtid__mariadb_algebra_per_domain_and_server(void **state)
{
	dm_gtid_set *a = M("0-1-10,0-2-5,1-1-3");
	dm_gtid_set *b = M("0-1-7,0-2-9,2-5-1");
	dm_gtid_set *c;
	dm_gtid g;

	(void)state;
	assert_false(dm_gtid_set_contains(a, b));
	c = M("0-1-7,1-1-3");
	assert_true(dm_gtid_set_contains(a, c));
	assert_false(dm_gtid_set_contains(c, a));
	dm_gtid_set_free(c);
	/* Same domain, other server: not covered. */
	c = M("0-3-1");
	assert_false(dm_gtid_set_contains(a, c));
	dm_gtid_set_free(c);

	assert_int_equal(dm_gtid_set_clone(&c, a, NULL), 0);
	assert_int_equal(dm_gtid_set_union(c, b, NULL), 0);
	assert_text(c, "0-1-10,0-2-9,1-1-3,2-5-1");
	assert_true(dm_gtid_set_contains(c, a));
	assert_true(dm_gtid_set_contains(c, b));
	dm_gtid_set_free(c);

	/* a - b keeps what b does not cover: 0-1-10 (b has only up to 7)
	 * and 1-1-3 (b has no entry); 0-2-5 is covered by 0-2-9. */
	assert_int_equal(dm_gtid_set_subtract(a, b, NULL), 0);
	assert_text(a, "0-1-10,1-1-3");

	memset(&g, 0, sizeof(g));
	g.flavor = DM_GTID_MARIADB;
	g.domain = 0;
	g.server = 1;
	g.seq = 10;
	assert_true(dm_gtid_set_contains_gtid(a, &g));
	g.seq = 11;
	assert_false(dm_gtid_set_contains_gtid(a, &g));
	assert_int_equal(dm_gtid_set_add(a, &g, NULL), 0);
	g.seq = 4; /* lower seq: the entry keeps 11 */
	assert_int_equal(dm_gtid_set_add(a, &g, NULL), 0);
	assert_text(a, "0-1-11,1-1-3");
	g.server = 2;
	assert_false(dm_gtid_set_contains_gtid(a, &g));
	g.flavor = DM_GTID_MYSQL;
	assert_int_equal(dm_gtid_set_add(a, &g, NULL), DM_E_NOT_MARIADB_GTID);
	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
}

/* ------------------------------------------------------- MySQL model */

#define NUUID 3
#define NTAG 3
#define NSRC (NUUID * NTAG)
#define NBITS 62 /* gnos base+1 .. base+62 */

static const unsigned char model_uuid[NUUID][16] = {
	{ 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
	  0xbb, 0xcc, 0xdd, 0xee, 0xff },
	{ 0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1, 0x9e, 0x33, 0xc8,
	  0x0a, 0xa9, 0x42, 0x95, 0x62 },
	{ 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff, 0x00, 0xff,
	  0x00, 0xff, 0x00, 0xff, 0x01 },
};
static const char *const model_tag[NTAG] = { "", "alpha", "b_2" };
static const char *const model_tag_spelled[NTAG] = { "", "ALPHA", "B_2" };

typedef struct mmodel {
	uint64_t bits[NSRC]; /* bit k: gno base + k, k in 1..NBITS */
} mmodel;

static uint64_t mbase;

static void uuid_text(char *t, const unsigned char *u, bool upper)
{
	const char *hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			t[o++] = '-';
		t[o++] = hex[u[i] >> 4];
		t[o++] = hex[u[i] & 15];
	}
	t[o] = '\0';
}

/* The canonical text, written from the model independently of the
 * library's formatter. */
static void model_format(dm_buf *b, const mmodel *m)
{
	int u, t, k;
	bool first = true;

	for (u = 0; u < NUUID; u++) {
		bool uuid_done = false;

		for (t = 0; t < NTAG; t++) {
			uint64_t bits = m->bits[u * NTAG + t];
			char ut[37];

			if (!bits)
				continue;
			if (!uuid_done) {
				uuid_text(ut, model_uuid[u], false);
				dm_buf_printf(b, "%s%s", first ? "" : ",", ut);
				uuid_done = true;
				first = false;
			}
			if (*model_tag[t])
				dm_buf_printf(b, ":%s", model_tag[t]);
			for (k = 1; k <= NBITS; k++) {
				int e = k;

				if (!(bits >> k & 1))
					continue;
				while (e + 1 <= NBITS && (bits >> (e + 1) & 1))
					e++;
				if (e == k)
					dm_buf_printf(b, ":%llu",
						      (unsigned long long)(mbase + k));
				else
					dm_buf_printf(b, ":%llu-%llu",
						      (unsigned long long)(mbase + k),
						      (unsigned long long)(mbase + e));
				k = e;
			}
		}
	}
	if (!b->data)
		dm_buf_puts(b, "");
}

static uint64_t rand_bits(gtid_test_rng *r)
{
	uint64_t bits = 0;
	int n = (int)gtid_test_below(r, 4), i;

	for (i = 0; i < n; i++) {
		uint64_t lo = 1 + gtid_test_below(r, NBITS);
		uint64_t len = gtid_test_below(r, 4) ? gtid_test_below(r, 6)
						     : gtid_test_below(r, NBITS);
		uint64_t k;

		for (k = lo; k <= lo + len && k <= NBITS; k++)
			bits |= 1ULL << k;
	}
	return bits;
}

static void rand_model(gtid_test_rng *r, mmodel *m)
{
	int s;

	for (s = 0; s < NSRC; s++)
		m->bits[s] = gtid_test_below(r, 3) ? rand_bits(r) : 0;
}

/* Builds a set from the model by one of three routes: text with noise,
 * add_interval calls in random order, or single-GTID adds. */
static dm_gtid_set *model_build(gtid_test_rng *r, const mmodel *m)
{
	int route = (int)gtid_test_below(r, 3), s, k;
	dm_gtid_set *set = NULL;

	if (route == 0) {
		dm_buf b = DM_BUF_INIT;
		bool first = true;

		/* Each run as its own element, sources in reverse order,
		 * random case, random whitespace. */
		for (s = NSRC - 1; s >= 0; s--) {
			for (k = NBITS; k >= 1; k--) {
				int lo = k;
				char ut[37];
				bool up = gtid_test_below(r, 2);

				if (!(m->bits[s] >> k & 1))
					continue;
				while (lo - 1 >= 1 && (m->bits[s] >> (lo - 1) & 1))
					lo--;
				uuid_text(ut, model_uuid[s / NTAG], up);
				dm_buf_printf(&b, "%s%s%s :%s%s%s%llu - %llu",
					      first ? "" : ",",
					      gtid_test_below(r, 2) ? "\n " : "",
					      ut, gtid_test_below(r, 2) ? " " : "",
					      up ? model_tag_spelled[s % NTAG]
						 : model_tag[s % NTAG],
					      *model_tag[s % NTAG] ? ":" : "",
					      (unsigned long long)(mbase + lo),
					      (unsigned long long)(mbase + k));
				first = false;
				k = lo;
			}
		}
		set = gtid_test_parse(DM_GTID_MYSQL, b.data ? b.data : "");
		dm_buf_free(&b);
		return set;
	}
	assert_int_equal(dm_gtid_set_new(&set, DM_GTID_MYSQL, NULL), 0);
	for (s = 0; s < NSRC; s++) {
		for (k = 1; k <= NBITS; k++) {
			dm_gtid g;

			if (!(m->bits[s] >> k & 1))
				continue;
			if (route == 1) {
				int e = k;

				while (e + 1 <= NBITS && (m->bits[s] >> (e + 1) & 1) &&
				       gtid_test_below(r, 4))
					e++;
				assert_int_equal(dm_gtid_set_add_interval(
							 set, model_uuid[s / NTAG],
							 model_tag_spelled[s % NTAG],
							 mbase + k, mbase + e, NULL),
						 0);
				k = e;
				continue;
			}
			memset(&g, 0, sizeof(g));
			g.flavor = DM_GTID_MYSQL;
			memcpy(g.uuid, model_uuid[s / NTAG], 16);
			strcpy(g.tag, model_tag[s % NTAG]);
			g.gno = mbase + k;
			assert_int_equal(dm_gtid_set_add(set, &g, NULL), 0);
		}
	}
	return set;
}

static void assert_model(const dm_gtid_set *set, const mmodel *m,
			 const char *what)
{
	dm_buf want = DM_BUF_INIT, got = DM_BUF_INIT;

	model_format(&want, m);
	assert_int_equal(dm_gtid_set_format(&got, set), 0);
	if (strcmp(want.data, got.data) != 0)
		fail_msg("%s: got [%s], want [%s]", what, got.data, want.data);
	dm_buf_free(&want);
	dm_buf_free(&got);
}

static bool model_contains(const mmodel *a, const mmodel *b)
{
	int s;

	for (s = 0; s < NSRC; s++)
		if (b->bits[s] & ~a->bits[s])
			return false;
	return true;
}

static bool model_empty(const mmodel *a)
{
	int s;

	for (s = 0; s < NSRC; s++)
		if (a->bits[s])
			return false;
	return true;
}

static void check_mysql_pair(gtid_test_rng *r, const mmodel *ma,
			     const mmodel *mb)
{
	dm_gtid_set *a = model_build(r, ma), *b = model_build(r, mb), *c, *d;
	mmodel mu, md;
	dm_buf enc = DM_BUF_INIT;
	int s, i;
	bool eq = memcmp(ma, mb, sizeof(*ma)) == 0;

	assert_model(a, ma, "build a");
	assert_model(b, mb, "build b");
	assert_int_equal(dm_gtid_set_equal(a, b), eq);
	assert_int_equal(dm_gtid_set_contains(a, b), model_contains(ma, mb));
	assert_int_equal(dm_gtid_set_contains(b, a), model_contains(mb, ma));
	assert_int_equal(dm_gtid_set_is_empty(a), model_empty(ma));

	for (s = 0; s < NSRC; s++) {
		mu.bits[s] = ma->bits[s] | mb->bits[s];
		md.bits[s] = ma->bits[s] & ~mb->bits[s];
	}
	assert_int_equal(dm_gtid_set_clone(&c, a, NULL), 0);
	assert_int_equal(dm_gtid_set_union(c, b, NULL), 0);
	assert_model(c, &mu, "union");
	assert_true(dm_gtid_set_contains(c, a));
	assert_true(dm_gtid_set_contains(c, b));
	dm_gtid_set_free(c);

	assert_int_equal(dm_gtid_set_clone(&d, a, NULL), 0);
	assert_int_equal(dm_gtid_set_subtract(d, b, NULL), 0);
	assert_model(d, &md, "subtract");
	assert_true(dm_gtid_set_contains(a, d));
	/* (a - b) and b are disjoint, and together they make a | b. */
	assert_int_equal(dm_gtid_set_union(d, b, NULL), 0);
	assert_model(d, &mu, "subtract then union");
	dm_gtid_set_free(d);

	/* Membership of single GTIDs. */
	for (i = 0; i < 16; i++) {
		dm_gtid g;
		int k = 1 + (int)gtid_test_below(r, NBITS);

		s = (int)gtid_test_below(r, NSRC);
		memset(&g, 0, sizeof(g));
		g.flavor = DM_GTID_MYSQL;
		memcpy(g.uuid, model_uuid[s / NTAG], 16);
		strcpy(g.tag, model_tag_spelled[s % NTAG]);
		g.gno = mbase + (uint64_t)k;
		assert_int_equal(dm_gtid_set_contains_gtid(a, &g),
				 (ma->bits[s] >> k & 1) != 0);
	}

	/* Binary round trip, with and without the tagged sources. */
	assert_int_equal(dm_gtid_set_encode_mysql(&enc, a, 0), 0);
	assert_int_equal(dm_gtid_set_decode_mysql(&c, enc.data, enc.len, NULL,
						  NULL),
			 0);
	assert_true(dm_gtid_set_equal(a, c));
	dm_gtid_set_free(c);
	dm_buf_clear(&enc);
	assert_int_equal(dm_gtid_set_encode_mysql(&enc, a,
						  DM_GTID_ENCODE_SKIP_TAGGED),
			 0);
	assert_int_equal(dm_gtid_set_decode_mysql(&c, enc.data, enc.len, NULL,
						  NULL),
			 0);
	for (s = 0; s < NSRC; s++)
		mu.bits[s] = s % NTAG == 0 ? ma->bits[s] : 0;
	assert_model(c, &mu, "untagged encoding");
	dm_gtid_set_free(c);
	dm_buf_free(&enc);

	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
}

static void run_mysql_model(uint64_t base, uint64_t seed)
{
	gtid_test_rng r = { seed };
	size_t n = gtid_test_scale(4000), i;

	mbase = base;
	for (i = 0; i < n; i++) {
		mmodel a, b;

		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		rand_model(&r, &a);
		if (gtid_test_below(&r, 8) == 0)
			b = a;
		else if (gtid_test_below(&r, 4) == 0) {
			/* b a subset of a */
			int s;

			for (s = 0; s < NSRC; s++)
				b.bits[s] = a.bits[s] & rand_bits(&r);
		} else {
			rand_model(&r, &b);
		}
		check_mysql_pair(&r, &a, &b);
	}
}

static void test_gtid__mysql_ops_match_model_small_numbers(void **state)
{
	(void)state;
	run_mysql_model(0, 0x9e3779b97f4a7c15ULL);
}

static void test_gtid__mysql_ops_match_model_near_gno_max(void **state)
{
	(void)state;
	run_mysql_model(DM_GTID_MYSQL_GNO_MAX - NBITS, 0x2545f4914f6cdd1dULL);
}

/* ----------------------------------------------------- MariaDB model */

#define ND 3
#define NS 3

typedef struct amodel {
	bool has[ND][NS];
	uint64_t seq[ND][NS];
} amodel;

static const uint32_t model_domain[ND] = { 0, 7, 4294967295u };
static const uint32_t model_server[NS] = { 1, 100, 4294967295u };
static uint64_t abase;

static amodel rand_amodel(gtid_test_rng *r)
{
	amodel m;
	int d, s;

	for (d = 0; d < ND; d++)
		for (s = 0; s < NS; s++) {
			m.has[d][s] = gtid_test_below(r, 2) != 0;
			m.seq[d][s] = m.has[d][s] ? abase + gtid_test_below(r, 6)
						  : 0;
		}
	return m;
}

static void amodel_format(dm_buf *b, const amodel *m, bool position)
{
	int d, s;
	bool first = true;

	dm_buf_puts(b, "");
	for (d = 0; d < ND; d++) {
		int best = -1;

		for (s = 0; s < NS; s++) {
			if (!m->has[d][s])
				continue;
			if (position) {
				if (best < 0 || m->seq[d][s] >= m->seq[d][best])
					best = s;
				continue;
			}
			dm_buf_printf(b, "%s%u-%u-%llu", first ? "" : ",",
				      model_domain[d], model_server[s],
				      (unsigned long long)m->seq[d][s]);
			first = false;
		}
		if (position && best >= 0) {
			dm_buf_printf(b, "%s%u-%u-%llu", first ? "" : ",",
				      model_domain[d], model_server[best],
				      (unsigned long long)m->seq[d][best]);
			first = false;
		}
	}
}

static dm_gtid_set *amodel_build(gtid_test_rng *r, const amodel *m)
{
	dm_gtid_set *set;
	dm_buf b = DM_BUF_INIT;
	int d, s, k, which;
	bool first = true;

	if (gtid_test_below(r, 2)) {
		assert_int_equal(dm_gtid_set_new(&set, DM_GTID_MARIADB, NULL), 0);
		for (d = ND - 1; d >= 0; d--)
			for (s = 0; s < NS; s++) {
				dm_gtid g;

				if (!m->has[d][s])
					continue;
				memset(&g, 0, sizeof(g));
				g.flavor = DM_GTID_MARIADB;
				g.domain = model_domain[d];
				g.server = model_server[s];
				/* the lower seq first or after: max wins */
				which = (int)gtid_test_below(r, 2);
				for (k = 0; k < 2; k++) {
					g.seq = k == which ? m->seq[d][s]
							   : m->seq[d][s] / 2;
					assert_int_equal(dm_gtid_set_add(set, &g,
									 NULL),
							 0);
				}
			}
		return set;
	}
	/* Text with duplicates of lower seqs and noise. */
	for (s = NS - 1; s >= 0; s--)
		for (d = 0; d < ND; d++) {
			if (!m->has[d][s])
				continue;
			dm_buf_printf(&b, "%s %u-%u-%llu", first ? "" : ",",
				      model_domain[d], model_server[s],
				      (unsigned long long)m->seq[d][s]);
			first = false;
			if (m->seq[d][s] > 0 && gtid_test_below(r, 2))
				dm_buf_printf(&b, ",%u-%u-%llu\n",
					      model_domain[d], model_server[s],
					      (unsigned long long)(m->seq[d][s] -
								   1));
		}
	set = gtid_test_parse(DM_GTID_MARIADB, b.data ? b.data : "");
	dm_buf_free(&b);
	return set;
}

static void assert_amodel(const dm_gtid_set *set, const amodel *m,
			  const char *what)
{
	dm_buf want = DM_BUF_INIT, got = DM_BUF_INIT;

	amodel_format(&want, m, false);
	assert_int_equal(dm_gtid_set_format(&got, set), 0);
	if (strcmp(want.data, got.data) != 0)
		fail_msg("%s: got [%s], want [%s]", what, got.data, want.data);
	dm_buf_clear(&want);
	dm_buf_clear(&got);
	amodel_format(&want, m, true);
	assert_int_equal(dm_gtid_set_format_position(&got, set), 0);
	if (strcmp(want.data, got.data) != 0)
		fail_msg("%s position: got [%s], want [%s]", what, got.data,
			 want.data);
	dm_buf_free(&want);
	dm_buf_free(&got);
}

static bool amodel_contains(const amodel *a, const amodel *b)
{
	int d, s;

	for (d = 0; d < ND; d++)
		for (s = 0; s < NS; s++)
			if (b->has[d][s] &&
			    (!a->has[d][s] || a->seq[d][s] < b->seq[d][s]))
				return false;
	return true;
}

static void check_mariadb_pair(gtid_test_rng *r, const amodel *ma,
			       const amodel *mb)
{
	dm_gtid_set *a = amodel_build(r, ma), *b = amodel_build(r, mb), *c;
	amodel mu, md;
	dm_buf enc = DM_BUF_INIT;
	unsigned flags = 99;
	size_t used = 0;
	int d, s;

	assert_amodel(a, ma, "build a");
	assert_amodel(b, mb, "build b");
	assert_int_equal(dm_gtid_set_equal(a, b),
			 amodel_contains(ma, mb) && amodel_contains(mb, ma));
	assert_int_equal(dm_gtid_set_contains(a, b), amodel_contains(ma, mb));
	for (d = 0; d < ND; d++)
		for (s = 0; s < NS; s++) {
			mu.has[d][s] = ma->has[d][s] || mb->has[d][s];
			mu.seq[d][s] = ma->seq[d][s] > mb->seq[d][s]
					       ? ma->seq[d][s]
					       : mb->seq[d][s];
			md.has[d][s] = ma->has[d][s] &&
				       !(mb->has[d][s] &&
					 mb->seq[d][s] >= ma->seq[d][s]);
			md.seq[d][s] = md.has[d][s] ? ma->seq[d][s] : 0;
		}
	assert_int_equal(dm_gtid_set_clone(&c, a, NULL), 0);
	assert_int_equal(dm_gtid_set_union(c, b, NULL), 0);
	assert_amodel(c, &mu, "union");
	dm_gtid_set_free(c);
	assert_int_equal(dm_gtid_set_clone(&c, a, NULL), 0);
	assert_int_equal(dm_gtid_set_subtract(c, b, NULL), 0);
	assert_amodel(c, &md, "subtract");
	/* Empty exactly when b covers a. */
	assert_int_equal(dm_gtid_set_is_empty(c), amodel_contains(mb, ma));
	dm_gtid_set_free(c);

	assert_int_equal(dm_gtid_set_encode_mariadb(&enc, a, 5), 0);
	assert_int_equal(dm_gtid_set_decode_mariadb(&c, &flags, enc.data,
						    enc.len, &used, NULL),
			 0);
	assert_int_equal(flags, 5);
	assert_int_equal(used, enc.len);
	assert_true(dm_gtid_set_equal(a, c));
	dm_gtid_set_free(c);
	dm_buf_free(&enc);
	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
}

static void run_mariadb_model(uint64_t base, uint64_t seed)
{
	gtid_test_rng r = { seed };
	size_t n = gtid_test_scale(8000), i;

	abase = base;
	for (i = 0; i < n; i++) {
		amodel a = rand_amodel(&r), b;

		if (gtid_test_below(&r, 6) == 0)
			b = a;
		else
			b = rand_amodel(&r);
		check_mariadb_pair(&r, &a, &b);
	}
}

static void test_gtid__mariadb_ops_match_model(void **state)
{
	(void)state;
	run_mariadb_model(0, 0x1234567887654321ULL);
	run_mariadb_model(18446744073709551615ULL - 5, 42);
}

int gtid_test_ops_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtid__mysql_union_merges_sources_and_intervals),
		cmocka_unit_test(test_gtid__mysql_subtract_splits_and_drops),
		cmocka_unit_test(test_gtid__mysql_subtract_one_interval_spanning_many),
		cmocka_unit_test(test_gtid__mysql_contains_needs_same_tag),
		cmocka_unit_test(test_gtid__mysql_add_and_contains_gtid),
		cmocka_unit_test(test_gtid__mysql_add_interval_validates),
		cmocka_unit_test(test_gtid__mixed_flavors_are_refused),
		cmocka_unit_test(test_gtid__new_and_clone),
		cmocka_unit_test(test_gtid__mariadb_algebra_per_domain_and_server),
		cmocka_unit_test(test_gtid__mysql_ops_match_model_small_numbers),
		cmocka_unit_test(test_gtid__mysql_ops_match_model_near_gno_max),
		cmocka_unit_test(test_gtid__mariadb_ops_match_model),
	};

	return cmocka_run_group_tests_name("gtid_ops", tests, NULL,
					   gtid_test_reset_alloc);
}
