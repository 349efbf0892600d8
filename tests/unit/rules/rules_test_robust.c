/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Failure paths and concurrency: every allocation of building and using
 * each rule set is made to fail in turn (the result must be a clean
 * DM_E_NO_MEMORY, never a crash or a leak), and compiled rule sets are
 * used from many threads at once.
 */
#include "rules_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static const char *const bad_dbs[] = { "tmp_*", "~^scratch", "x?y" };
static const dm_ba_table do_tables[] = {
	{ "app*", "orders_*" }, { "~^app", "~^users$" }, { "app", "t[0-9]" },
};
static const char *const ev_dml[] = { "all dml" };
static const char *const ev_del[] = { "delete", "truncate table" };
static const char *const sql_proc[] = { "^DROP\\s+PROCEDURE", "^CREATE\\s+" };
static const dm_filter_rule_def frules[] = {
	{ "app*", "orders_*", ev_del, 2, NULL, 0, DM_FILTER_IGNORE },
	{ "~^app", NULL, NULL, 0, sql_proc, 2, DM_FILTER_IGNORE },
	{ "app", "users", ev_dml, 1, NULL, 0, DM_FILTER_DO },
};
static const dm_route_rule_def rrules[] = {
	{ .schema_pattern = "app*", .table_pattern = "orders_*",
	  .target_schema = "merged", .target_table = "orders",
	  .table_regexp = "orders_(\\d+)", .table_column = "c_shard" },
	{ .schema_pattern = "app*", .target_schema = "merged" },
	{ .schema_pattern = "~^logs_[0-9]+$", .target_schema = "logs" },
};

static dm_ba_list_def ba_def(void)
{
	dm_ba_list_def d;

	memset(&d, 0, sizeof(d));
	d.ignore_dbs = bad_dbs;
	d.n_ignore_dbs = NELEM(bad_dbs);
	d.do_tables = do_tables;
	d.n_do_tables = NELEM(do_tables);
	return d;
}

/* Builds all rule sets and uses them once; returns 0 or the first
 * failing status. Long names force the heap copies. */
static int exercise(void)
{
	dm_ba_list_def bd = ba_def();
	dm_event_filter_def fd = { frules, 2, frules + 2, 1 };
	dm_selector_rule sr[] = { { "a*", "b?" }, { "~x", "" } };
	dm_rules_opts o = rules_test_opts(false);
	dm_table_selector *s = NULL;
	dm_ba_list *ba = NULL;
	dm_event_filter *f = NULL;
	dm_router *r = NULL;
	dm_error *err = NULL;
	dm_ba_decision bdec;
	dm_filter_decision fdec;
	dm_route_result res;
	dm_route_columns cols;
	dm_buf vals = DM_BUF_INIT;
	char longname[400];
	size_t out[4];
	int rc;

	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	rc = dm_table_selector_new(&s, sr, NELEM(sr), &o, &err);
	if (rc == 0)
		rc = dm_ba_list_new(&ba, &bd, &o, &err);
	if (rc == 0)
		rc = dm_event_filter_new(&f, &fd, &o, &err);
	if (rc == 0)
		rc = dm_router_new(&r, rrules, NELEM(rrules), &o, &err);
	if (rc == 0) {
		int n = dm_table_selector_match(out, 4, s, longname, "bb", &err);

		rc = n < 0 ? n : 0;
	}
	if (rc == 0)
		rc = dm_ba_list_check(&bdec, ba, "App", longname, &err);
	if (rc == 0)
		rc = dm_ba_list_check(&bdec, ba, "scratch1", "t", &err);
	if (rc == 0)
		rc = dm_event_filter_check(&fdec, f, "app", longname,
					   DM_FILTER_EVENT_UNSPECIFIED,
					   "create table x", 14, &err);
	if (rc == 0)
		rc = dm_router_route(&res, r, longname, "t", &err);
	if (rc == 0)
		rc = dm_router_route(&res, r, "logs_1", "t", &err);
	if (rc == 0)
		rc = dm_router_extract(&cols, &vals, r, "app1", "orders_12",
				       "src", &err);
	if (rc == 0 && (cols.n != 1 ||
			strcmp(vals.data + cols.col[0].off, "12") != 0))
		rc = -1;
	if (rc)
		assert_int_equal(dm_error_status(err), rc);
	else
		assert_null(err);
	dm_error_free(err);
	dm_buf_free(&vals);
	dm_table_selector_free(s);
	dm_ba_list_free(ba);
	dm_event_filter_free(f);
	dm_router_free(r);
	return rc;
}

static void test_robust__every_allocation_failure_is_clean(void **state)
{
	unsigned long before, needed;
	long n;
	int rc;

	(void)state;
	before = dm__alloc_count();
	assert_int_equal(exercise(), 0);
	needed = dm__alloc_count() - before;
	assert_true(needed > 10);
	for (n = 0; n <= (long)needed; n++) {
		dm__alloc_fail_after(n);
		rc = exercise();
		dm__alloc_fail_after(-1);
		if (rc != 0 && rc != DM_E_NO_MEMORY)
			fail_msg("failing allocation %ld gave %d", n, rc);
	}
	assert_int_equal(exercise(), 0);
}

typedef struct worker {
	const dm_ba_list *ba;
	const dm_event_filter *f;
	const dm_router *r;
	unsigned seed;
	unsigned long checksum;
	int failures;
} worker;

static unsigned long one_pass(const dm_ba_list *ba, const dm_event_filter *f,
			      const dm_router *r, unsigned seed, int *failures)
{
	uint64_t s = seed | 1u;
	unsigned long sum = 0;
	int i;

	for (i = 0; i < 3000; i++) {
		char schema[32], table[32];
		dm_ba_decision bd;
		dm_filter_decision fd;
		dm_route_result res;
		static const char *const sch[] = { "app", "app", "tmp_",
						   "scratch", "logs_", "other" };
		static const char *const tbl[] = { "orders_", "users", "t",
						   "misc" };
		dm_filter_event ev = (dm_filter_event)(1 + rules_test_rand(&s) % 14);
		size_t si = rules_test_rand(&s) % NELEM(sch);
		size_t ti = rules_test_rand(&s) % NELEM(tbl);
		unsigned sn = (unsigned)(rules_test_rand(&s) % 50);
		unsigned tn = (unsigned)(rules_test_rand(&s) % 50);

		if (si == 0)
			snprintf(schema, sizeof(schema), "%s", sch[si]);
		else
			snprintf(schema, sizeof(schema), "%s%u", sch[si], sn);
		if (ti == 1)
			snprintf(table, sizeof(table), "%s", tbl[ti]);
		else
			snprintf(table, sizeof(table), "%s%u", tbl[ti], tn);
		if (dm_ba_list_check(&bd, ba, schema, table, NULL) ||
		    dm_event_filter_check(&fd, f, schema, table, ev,
					  "CREATE TABLE x", 14, NULL))
			(*failures)++;
		sum = sum * 31 + (unsigned long)bd.keep * 7 +
		      (unsigned long)bd.reason + (unsigned long)fd.action * 3 +
		      (unsigned long)fd.reason;
		if (dm_router_route(&res, r, schema, table, NULL) == 0)
			sum = sum * 31 + strlen(res.schema) + strlen(res.table);
	}
	return sum;
}

static void *work(void *arg)
{
	worker *w = arg;

	w->checksum = one_pass(w->ba, w->f, w->r, w->seed, &w->failures);
	return NULL;
}

static void test_robust__rule_sets_are_shared_by_threads(void **state)
{
	enum { THREADS = 8 };
	dm_ba_list_def bd = ba_def();
	dm_event_filter_def fd = { frules, NELEM(frules), NULL, 0 };
	dm_ba_list *ba = NULL;
	dm_event_filter *f = NULL;
	dm_router *r = NULL;
	pthread_t tid[THREADS];
	worker w[THREADS];
	int i, failures = 0;

	(void)state;
	assert_int_equal(dm_ba_list_new(&ba, &bd, NULL, NULL), 0);
	assert_int_equal(dm_event_filter_new(&f, &fd, NULL, NULL), 0);
	assert_int_equal(dm_router_new(&r, rrules, NELEM(rrules), NULL, NULL), 0);
	for (i = 0; i < THREADS; i++) {
		w[i] = (worker){ ba, f, r, (unsigned)(i % 3) + 1, 0, 0 };
		assert_int_equal(pthread_create(&tid[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(tid[i], NULL), 0);
		assert_int_equal(w[i].failures, 0);
		/* the same seed gives the same answers as alone */
		assert_int_equal(w[i].checksum,
				 one_pass(ba, f, r, w[i].seed, &failures));
	}
	assert_int_equal(failures, 0);
	dm_ba_list_free(ba);
	dm_event_filter_free(f);
	dm_router_free(r);
}

int rules_test_robust_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_robust__every_allocation_failure_is_clean),
		cmocka_unit_test(test_robust__rule_sets_are_shared_by_threads),
	};

	return cmocka_run_group_tests_name("rules/robust", tests, NULL, NULL);
}
