/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for lib/gtid. The input is read four ways: as MySQL and as
 * MariaDB GTID set text, as single GTIDs of both flavors, and as the
 * binary MySQL set and MariaDB GTID_LIST bodies. Whatever parses must
 * format to text that parses back to an equal set (and formats the same
 * again), encode to bytes that decode to an equal set, and obey the set
 * algebra against the other sets of the same flavor. A failed parse must
 * come with an error. Any broken promise traps.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dm/gtid.h"
#include "dm/util.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A failed call reports its status in the error it hands back. */
static void check_failure(int rc, dm_error *e)
{
	CHECK(rc < 0);
	CHECK(e != NULL);
	CHECK(dm_error_status(e) == rc || dm_error_status(e) == DM_E_NO_MEMORY);
	CHECK(strstr(dm_error_message(e), "offset") ||
	      strstr(dm_error_message(e), "byte") || rc == DM_E_NO_MEMORY);
	dm_error_free(e);
}

static dm_gtid_set *reparse(const dm_gtid_set *s, dm_gtid_flavor flavor,
			    dm_buf *text)
{
	dm_gtid_set *t = NULL;

	dm_buf_clear(text);
	CHECK(dm_gtid_set_format(text, s) == 0);
	CHECK(text->data != NULL && strlen(text->data) == text->len);
	CHECK(dm_gtid_set_parse(&t, flavor, text->data, text->len, NULL) == 0);
	CHECK(dm_gtid_set_equal(s, t) && dm_gtid_set_equal(t, s));
	return t;
}

/* format(parse(x)) is a fixed point; the binary form round-trips. */
static void check_set(const dm_gtid_set *s)
{
	dm_gtid_flavor flavor = dm_gtid_set_flavor(s);
	dm_buf text = DM_BUF_INIT, again = DM_BUF_INIT, bin = DM_BUF_INIT;
	dm_gtid_set *t = reparse(s, flavor, &text), *u = NULL;
	unsigned flags = 0;

	CHECK(dm_gtid_set_format(&again, t) == 0);
	CHECK(again.len == text.len && memcmp(again.data, text.data, text.len) == 0);
	CHECK(dm_gtid_set_is_empty(s) == (text.len == 0));
	if (flavor == DM_GTID_MYSQL) {
		CHECK(dm_gtid_set_encode_mysql(&bin, s, 0) == 0);
		CHECK(dm_gtid_set_decode_mysql(&u, bin.data, bin.len, NULL,
					       NULL) == 0);
		CHECK(dm_gtid_set_equal(s, u));
		dm_gtid_set_free(u);
		u = NULL;
		dm_buf_clear(&bin);
		CHECK(dm_gtid_set_encode_mysql(&bin, s,
					       DM_GTID_ENCODE_SKIP_TAGGED) == 0);
		CHECK(dm_gtid_set_decode_mysql(&u, bin.data, bin.len, NULL,
					       NULL) == 0);
		CHECK(dm_gtid_set_contains(s, u));
	} else {
		CHECK(dm_gtid_set_encode_mariadb(&bin, s, 3) == 0);
		CHECK(dm_gtid_set_decode_mariadb(&u, &flags, bin.data, bin.len,
						 NULL, NULL) == 0);
		CHECK(flags == 3 && dm_gtid_set_equal(s, u));
		dm_gtid_set_free(u);
		u = NULL;
		/* The position form is a subset with one GTID per domain. */
		dm_buf_clear(&again);
		CHECK(dm_gtid_set_format_position(&again, s) == 0);
		CHECK(dm_gtid_set_parse(&u, flavor, again.data, again.len,
					NULL) == 0);
		CHECK(dm_gtid_set_contains(s, u));
		CHECK(dm_gtid_set_is_empty(u) == dm_gtid_set_is_empty(s));
	}
	dm_gtid_set_free(u);
	dm_gtid_set_free(t);
	dm_buf_free(&text);
	dm_buf_free(&again);
	dm_buf_free(&bin);
}

/* Union, difference and containment agree with each other. */
static void check_pair(const dm_gtid_set *a, const dm_gtid_set *b)
{
	dm_gtid_set *u = NULL, *d = NULL, *du = NULL;

	CHECK(dm_gtid_set_contains(a, a));
	CHECK(dm_gtid_set_equal(a, b) ==
	      (dm_gtid_set_contains(a, b) && dm_gtid_set_contains(b, a)));
	CHECK(dm_gtid_set_clone(&u, a, NULL) == 0);
	CHECK(dm_gtid_set_union(u, b, NULL) == 0);
	CHECK(dm_gtid_set_contains(u, a) && dm_gtid_set_contains(u, b));
	CHECK(dm_gtid_set_clone(&d, a, NULL) == 0);
	CHECK(dm_gtid_set_subtract(d, b, NULL) == 0);
	CHECK(dm_gtid_set_contains(a, d));
	CHECK(dm_gtid_set_is_empty(d) == dm_gtid_set_contains(b, a));
	CHECK(dm_gtid_set_clone(&du, d, NULL) == 0);
	CHECK(dm_gtid_set_union(du, b, NULL) == 0);
	CHECK(dm_gtid_set_equal(du, u));
	CHECK(dm_gtid_set_subtract(du, du, NULL) == 0);
	CHECK(dm_gtid_set_is_empty(du));
	dm_gtid_set_free(u);
	dm_gtid_set_free(d);
	dm_gtid_set_free(du);
}

static dm_gtid_set *parse_text(dm_gtid_flavor flavor, const uint8_t *data,
			       size_t size)
{
	dm_gtid_set *s = NULL;
	dm_error *e = NULL;
	int rc = dm_gtid_set_parse(&s, flavor, (const char *)data, size, &e);

	if (rc) {
		CHECK(s == NULL);
		check_failure(rc, e);
		return NULL;
	}
	CHECK(e == NULL && s != NULL);
	check_set(s);
	return s;
}

static void check_single(dm_gtid_flavor flavor, const uint8_t *data,
			 size_t size, dm_gtid_set *set)
{
	dm_gtid g, h;
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;
	int rc = dm_gtid_parse(&g, flavor, (const char *)data, size, &e);

	if (rc) {
		check_failure(rc, e);
		return;
	}
	CHECK(set != NULL); /* the same text is a one-GTID set */
	CHECK(dm_gtid_format(&b, &g) == 0);
	CHECK(dm_gtid_parse(&h, flavor, b.data, b.len, NULL) == 0);
	CHECK(dm_gtid_equal(&g, &h));
	CHECK(dm_gtid_set_contains_gtid(set, &g));
	CHECK(dm_gtid_set_add(set, &g, NULL) == 0);
	check_set(set);
	dm_buf_free(&b);
}

static dm_gtid_set *decode(dm_gtid_flavor flavor, const uint8_t *data,
			   size_t size)
{
	dm_gtid_set *s = NULL;
	dm_error *e = NULL;
	size_t used = 0;
	unsigned flags = 0;
	int rc;

	if (flavor == DM_GTID_MYSQL) {
		rc = dm_gtid_set_decode_mysql(&s, data, size, &used, &e);
		if (rc == 0 && used != size) {
			/* The strict form refuses the trailing bytes. */
			dm_gtid_set *t = NULL;
			dm_error *e2 = NULL;
			int rc2 = dm_gtid_set_decode_mysql(&t, data, size,
							   NULL, &e2);

			CHECK(t == NULL);
			check_failure(rc2, e2);
		}
	} else {
		rc = dm_gtid_set_decode_mariadb(&s, &flags, data, size, &used,
						&e);
		CHECK(rc != 0 || flags < 16);
	}
	if (rc) {
		CHECK(s == NULL);
		check_failure(rc, e);
		return NULL;
	}
	CHECK(used <= size);
	check_set(s);
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dm_gtid_set *mt = parse_text(DM_GTID_MYSQL, data, size);
	dm_gtid_set *at = parse_text(DM_GTID_MARIADB, data, size);
	dm_gtid_set *mb = decode(DM_GTID_MYSQL, data, size);
	dm_gtid_set *ab = decode(DM_GTID_MARIADB, data, size);
	dm_gtid_set *empty_m = NULL, *empty_a = NULL;

	CHECK(dm_gtid_set_new(&empty_m, DM_GTID_MYSQL, NULL) == 0);
	CHECK(dm_gtid_set_new(&empty_a, DM_GTID_MARIADB, NULL) == 0);
	check_single(DM_GTID_MYSQL, data, size, mt);
	check_single(DM_GTID_MARIADB, data, size, at);
	if (mt) {
		check_pair(mt, empty_m);
		check_pair(empty_m, mt);
	}
	if (mb) {
		check_pair(mb, empty_m);
		if (mt) {
			check_pair(mt, mb);
			check_pair(mb, mt);
		}
	}
	if (ab) {
		check_pair(ab, empty_a);
		if (at) {
			check_pair(at, ab);
			check_pair(ab, at);
		}
	}
	/* Halves of the input against each other give unrelated sets. */
	if (size >= 2) {
		dm_gtid_set *m1 = decode(DM_GTID_MYSQL, data, size / 2);
		dm_gtid_set *m2 = decode(DM_GTID_MYSQL, data + size / 2,
					 size - size / 2);
		dm_gtid_set *a1 = decode(DM_GTID_MARIADB, data, size / 2);
		dm_gtid_set *a2 = decode(DM_GTID_MARIADB, data + size / 2,
					 size - size / 2);

		if (m1 && m2)
			check_pair(m1, m2);
		if (a1 && a2)
			check_pair(a1, a2);
		dm_gtid_set_free(m1);
		dm_gtid_set_free(m2);
		dm_gtid_set_free(a1);
		dm_gtid_set_free(a2);
	}
	dm_gtid_set_free(mt);
	dm_gtid_set_free(at);
	dm_gtid_set_free(mb);
	dm_gtid_set_free(ab);
	dm_gtid_set_free(empty_m);
	dm_gtid_set_free(empty_a);
	return 0;
}
