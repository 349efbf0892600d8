/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation failures: every call is run with the Nth allocation failing,
 * for every N until it succeeds. A failed call must return DM_E_NO_MEMORY
 * (with the static out-of-memory error when asked for one), leave its
 * destination as it was, and leak nothing (ASan and valgrind runs check
 * the last part).
 */
#include "gtid_test.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define U1 "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define U2 "b5cd1624-5f30-11e4-b4e9-1051721bd241"

static const char mysql_text[] =
	U2 ":1-3:5:7-9:t:1:3:zz:4," U1 ":1-100:200-300:b:5";
static const char mysql_other[] =
	U1 ":50-250:400," U2 ":2:t:1-9:y:1," U1 ":a:1";
static const char maria_text[] = "0-1-5,2-1-7,0-2-9,5-5-5,1-1-1";
static const char maria_other[] = "0-1-9,3-3-3,2-1-1";

/* Runs op with growing allowances; returns how many allocations the
 * successful run needed. */
typedef int (*op_fn)(void *ctx, dm_error **err);

static unsigned long sweep(op_fn op, void *ctx, void (*check_unchanged)(void *))
{
	long n;

	for (n = 0; n < 10000; n++) {
		dm_error *e = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = op(ctx, &e);
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			assert_null(e);
			return (unsigned long)n;
		}
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_non_null(e);
		assert_int_equal(dm_error_status(e), DM_E_NO_MEMORY);
		dm_error_free(e);
		if (check_unchanged)
			check_unchanged(ctx);
	}
	fail_msg("never succeeded");
	return 0;
}

typedef struct ctx {
	dm_gtid_flavor flavor;
	const char *text;
	dm_gtid_set *a, *b;
	const char *a_text; /* what a must format as after a failure */
	dm_buf buf;
} ctx;

static void free_ctx(ctx *c)
{
	dm_gtid_set_free(c->a);
	dm_gtid_set_free(c->b);
	dm_buf_free(&c->buf);
}

static void a_unchanged(void *p)
{
	ctx *c = p;
	char *t = gtid_test_format(c->a);

	assert_string_equal(t, c->a_text);
	free(t);
}

static int op_parse(void *p, dm_error **err)
{
	ctx *c = p;
	dm_gtid_set *s = NULL;
	int rc = dm_gtid_set_parse(&s, c->flavor, c->text, strlen(c->text),
				   err);

	assert_true(rc ? s == NULL : s != NULL);
	dm_gtid_set_free(s);
	return rc;
}

static int op_clone(void *p, dm_error **err)
{
	ctx *c = p;
	dm_gtid_set *s = NULL;
	int rc = dm_gtid_set_clone(&s, c->a, err);

	if (!rc)
		assert_true(dm_gtid_set_equal(s, c->a));
	dm_gtid_set_free(s);
	return rc;
}

static int op_new(void *p, dm_error **err)
{
	ctx *c = p;
	dm_gtid_set *s = NULL;
	int rc = dm_gtid_set_new(&s, c->flavor, err);

	dm_gtid_set_free(s);
	return rc;
}

static int op_union(void *p, dm_error **err)
{
	ctx *c = p;

	return dm_gtid_set_union(c->a, c->b, err);
}

static int op_subtract(void *p, dm_error **err)
{
	ctx *c = p;

	return dm_gtid_set_subtract(c->a, c->b, err);
}

static int op_add(void *p, dm_error **err)
{
	ctx *c = p;
	dm_gtid g;
	int rc;

	/* A new source and a split of an existing interval list. */
	assert_int_equal(dm_gtid_parse(&g, c->flavor, c->text, strlen(c->text),
				       NULL),
			 0);
	rc = dm_gtid_set_add(c->a, &g, err);
	return rc;
}

static int op_add_interval(void *p, dm_error **err)
{
	static const unsigned char uuid[16] = { 1, 2, 3 };
	ctx *c = p;

	return dm_gtid_set_add_interval(c->a, uuid, "q", 10, 20, err);
}

static int op_format(void *p, dm_error **err)
{
	ctx *c = p;
	size_t old = c->buf.len;
	int rc = dm_gtid_set_format(&c->buf, c->a);

	if (rc) {
		assert_int_equal(c->buf.len, old);
		return dm_error_set(err, rc, "format");
	}
	return 0;
}

static int op_format_position(void *p, dm_error **err)
{
	ctx *c = p;
	int rc = dm_gtid_set_format_position(&c->buf, c->a);

	return rc ? dm_error_set(err, rc, "format") : 0;
}

static int op_encode_decode(void *p, dm_error **err)
{
	ctx *c = p;
	dm_gtid_set *s = NULL;
	int rc;

	dm_buf_clear(&c->buf);
	rc = c->flavor == DM_GTID_MYSQL
		     ? dm_gtid_set_encode_mysql(&c->buf, c->a, 0)
		     : dm_gtid_set_encode_mariadb(&c->buf, c->a, 0);
	if (rc)
		return dm_error_set(err, rc, "encode");
	rc = c->flavor == DM_GTID_MYSQL
		     ? dm_gtid_set_decode_mysql(&s, c->buf.data, c->buf.len,
						NULL, err)
		     : dm_gtid_set_decode_mariadb(&s, NULL, c->buf.data,
						  c->buf.len, NULL, err);
	if (!rc)
		assert_true(dm_gtid_set_equal(s, c->a));
	dm_gtid_set_free(s);
	return rc;
}

static void setup(ctx *c, dm_gtid_flavor flavor, const char *a,
		  const char *b)
{
	memset(c, 0, sizeof(*c));
	c->flavor = flavor;
	c->a = gtid_test_parse(flavor, a);
	c->b = gtid_test_parse(flavor, b);
	c->a_text = NULL;
}

static void run_all(dm_gtid_flavor flavor, const char *a, const char *b,
		    const char *gtid)
{
	ctx c;
	char *at;

	setup(&c, flavor, a, b);
	c.text = a;
	sweep(op_parse, &c, NULL);
	sweep(op_new, &c, NULL);
	sweep(op_clone, &c, NULL);
	sweep(op_format, &c, NULL);
	sweep(op_format_position, &c, NULL);
	sweep(op_encode_decode, &c, NULL);

	at = gtid_test_format(c.a);
	c.a_text = at;
	sweep(op_union, &c, a_unchanged);
	free(at);
	at = gtid_test_format(c.a);
	c.a_text = at;
	sweep(op_subtract, &c, a_unchanged);
	free(at);
	at = gtid_test_format(c.a);
	c.a_text = at;
	c.text = gtid;
	sweep(op_add, &c, a_unchanged);
	free(at);
	if (flavor == DM_GTID_MYSQL) {
		at = gtid_test_format(c.a);
		c.a_text = at;
		sweep(op_add_interval, &c, a_unchanged);
		free(at);
	}
	free_ctx(&c);
}

static void test_gtid__mysql_calls_survive_allocation_failures(void **state)
{
	(void)state;
	run_all(DM_GTID_MYSQL, mysql_text, mysql_other, U1 ":t:77");
	run_all(DM_GTID_MYSQL, mysql_text, mysql_other, U1 ":150");
}

static void test_gtid__mariadb_calls_survive_allocation_failures(void **state)
{
	(void)state;
	run_all(DM_GTID_MARIADB, maria_text, maria_other, "9-9-9");
}

static void test_gtid__parse_error_under_allocation_failure(void **state)
{
	long n;

	(void)state;
	/* A malformed text whose error object cannot be allocated still
	 * reports the parse status, with the static out-of-memory error. */
	for (n = 0; n < 50; n++) {
		dm_gtid_set *s = NULL;
		dm_error *e = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = dm_gtid_set_parse(&s, DM_GTID_MYSQL, U1 ":1-5:0",
				       strlen(U1 ":1-5:0"), &e);
		dm__alloc_fail_after(-1);
		assert_null(s);
		assert_true(rc == DM_E_BINLOG_GTID_MYSQL_NOT_VALID ||
			    rc == DM_E_NO_MEMORY);
		assert_non_null(e);
		dm_error_free(e);
	}
}

int gtid_test_alloc_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtid__mysql_calls_survive_allocation_failures),
		cmocka_unit_test(test_gtid__mariadb_calls_survive_allocation_failures),
		cmocka_unit_test(test_gtid__parse_error_under_allocation_failure),
	};

	return cmocka_run_group_tests_name("gtid_alloc", tests, NULL,
					   gtid_test_reset_alloc);
}
