/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The applier against a real downstream: parallel queues with progress rows
 * committed with the data, exactly-once replay from those rows, the barrier
 * for a change whose keys select several queues, a failing statement named
 * with its binlog position, and reconnection after the workers' connections
 * are killed.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-apply_queue
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"
#include "sandbox/sandbox.h"

#define DB "dmtest_apply"
#define NROWS 400
#define WORKERS 4

static sandbox_server down;
static MYSQL *check;
static dm_db_opts dopts;
static dm_schema_tracker *tr;
static dm_dml_table *tbl;

static void fail_with(dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
	fail_msg("%s", b.data ? b.data : "?");
}

/* OK(call, e): the call's status is taken before e is read. */
static void check_ok(int rc, dm_error *e)
{
	if (rc && !e)
		fail_msg("status %d without an error", rc);
	if (rc)
		fail_with(e);
}

#define ok(call, e)                      \
	do {                             \
		int ok_rc_ = (call);     \
		check_ok(ok_rc_, (e));   \
	} while (0)

static long long value(const char *sql)
{
	char *v = sandbox_query_value(check, sql, NULL);
	long long n;

	assert_non_null(v);
	n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

static dm_checkpoint *open_cp(const char *task)
{
	dm_checkpoint_opts co = DM_CHECKPOINT_OPTS_INIT;
	dm_checkpoint *cp = NULL;
	dm_db *db = NULL;
	dm_error *e = NULL;

	co.task = task;
	co.source_id = "src-1";
	co.meta_schema = DB "_meta";
	ok(dm_db_open(&db, NULL, &dopts, &e), e);
	ok(dm_checkpoint_open(&cp, db, &co, &e), e);
	dm_db_close(db);
	return cp;
}

static dm_applier *new_applier(const dm_checkpoint *cp, unsigned ndone,
			       const dm_location *done)
{
	dm_apply_opts ao = DM_APPLY_OPTS_INIT;
	dm_applier *a = NULL;
	dm_error *e = NULL;

	ao.db = &dopts;
	ao.workers = WORKERS;
	ao.batch = 16;
	ao.queue_size = 64;
	ao.checkpoint = cp;
	ao.done_queues = ndone;
	ao.done = done;
	ok(dm_applier_new(&a, NULL, &ao, &e), e);
	return a;
}

static void set_row(dm_value *row, long long id, long long v)
{
	memset(row, 0, 2 * sizeof(*row));
	row[0].kind = DM_VALUE_INT;
	row[0].type = DM_TYPE_LONG;
	row[0].v.i = id;
	row[1].kind = DM_VALUE_INT;
	row[1].type = DM_TYPE_LONG;
	row[1].v.i = v;
}

/* Pushes one change at mysql-bin.000001:pos. */
static int push(dm_applier *a, dm_dml_op op, long long id, long long v_old,
		long long id_new, long long v_new, uint64_t pos, bool *skipped,
		dm_error **e)
{
	dm_value before[2], after[2];
	dm_dml_change c = { op, tbl, NULL, NULL, false };
	dm_dml_change *owned = NULL;
	dm_location loc;
	int rc;

	set_row(before, id, v_old);
	set_row(after, id_new, v_new);
	c.before = op == DM_DML_INSERT ? NULL : before;
	c.after = op == DM_DML_DELETE ? NULL : after;
	rc = dm_location_set(&loc, "mysql-bin.000001", pos, 1, e);
	if (!rc)
		rc = dm_dml_change_copy(&owned, &c, 2, e);
	if (!rc)
		rc = dm_applier_push(a, owned, &loc, skipped, e);
	return rc;
}

/* The workload: NROWS inserts, then an update of every row (v + 1000),
 * then deletes of every 10th; positions 100, 101, ... */
static uint64_t workload(dm_applier *a, uint64_t *nskipped)
{
	uint64_t pos = 100;
	dm_error *e = NULL;
	bool skipped;
	long long i;

	*nskipped = 0;
	for (i = 1; i <= NROWS; i++) {
		ok(push(a, DM_DML_INSERT, 0, 0, i, i, pos++, &skipped, &e), e);
		*nskipped += skipped;
	}
	for (i = 1; i <= NROWS; i++) {
		ok(push(a, DM_DML_UPDATE, i, i, i, i + 1000, pos++, &skipped,
			&e), e);
		*nskipped += skipped;
	}
	for (i = 10; i <= NROWS; i += 10) {
		ok(push(a, DM_DML_DELETE, i, i + 1000, 0, 0, pos++, &skipped,
			&e), e);
		*nskipped += skipped;
	}
	return pos;
}

static void expect_workload_result(void)
{
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t"),
			 NROWS - NROWS / 10);
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t WHERE v <> id + 1000"),
			 0);
}

static int setup(void **state)
{
	dm_schema_opts so = DM_SCHEMA_OPTS_INIT;
	dm_error *e = NULL;
	const char *create = "CREATE TABLE t (id INT PRIMARY KEY, v INT)";

	(void)state;
	sandbox_require();
	if (sandbox_downstream(&down) != 0)
		return -1;
	check = sandbox_connect(&down, NULL);
	if (!check)
		return -1;
	dopts = (dm_db_opts)DM_DB_OPTS_INIT;
	dopts.host = down.host;
	dopts.port = down.port;
	dopts.user = down.user;
	dopts.password = down.password;
	dopts.scope = DM_ERR_SCOPE_DOWNSTREAM;
	if (dm_schema_tracker_new(&tr, &so, &e) != 0 ||
	    dm_schema_tracker_apply(tr, create, strlen(create), DB, &e) != 0 ||
	    dm_dml_table_new(&tbl, dm_schema_tracker_get(tr, DB, "t"), DB, "t",
			     &e) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sandbox_exec(check, "DROP DATABASE IF EXISTS " DB ";"
			    "DROP DATABASE IF EXISTS " DB "_meta");
	mysql_close(check);
	dm_dml_table_free(tbl);
	dm_schema_tracker_free(tr);
	return 0;
}

static void fresh_table(void)
{
	assert_int_equal(sandbox_exec(check,
				      "DROP DATABASE IF EXISTS " DB ";"
				      "CREATE DATABASE " DB ";"
				      "CREATE TABLE " DB ".t (id INT PRIMARY "
				      "KEY, v INT)"),
			 0);
}

static void test_apply__queues_commit_rows_with_their_progress(void **state)
{
	dm_checkpoint *cp;
	dm_applier *a;
	dm_apply_stats st;
	dm_location per[WORKERS], loaded;
	dm_error *e = NULL;
	uint64_t skipped, end;
	unsigned q;

	(void)state;
	fresh_table();
	cp = open_cp("progress");
	a = new_applier(cp, 0, NULL);
	end = workload(a, &skipped);
	ok(dm_applier_drain(a, &e), e);
	assert_int_equal(skipped, 0);
	dm_applier_stats(a, &st);
	assert_int_equal(st.applied, end - 100);
	assert_int_equal(st.queued, 0);
	for (q = 0; q < WORKERS; q++)
		assert_true(dm_applier_applied(a, q, &per[q]));
	dm_applier_free(a);
	expect_workload_result();
	/* What each queue says it committed is in the downstream. */
	dm_checkpoint_free(cp);
	cp = open_cp("progress");
	assert_int_equal(dm_checkpoint_queues(cp), WORKERS);
	for (q = 0; q < WORKERS; q++) {
		assert_true(dm_checkpoint_queue(cp, q, &loaded));
		assert_int_equal(dm_location_compare(&loaded, &per[q]), 0);
	}
	dm_checkpoint_free(cp);
}

static void test_apply__replay_from_progress_applies_nothing_twice(void **state)
{
	dm_location done[WORKERS];
	dm_checkpoint *cp;
	dm_applier *a;
	dm_error *e = NULL;
	uint64_t skipped, pos, total = 0;
	unsigned q;
	bool sk;

	(void)state;
	fresh_table();
	cp = open_cp("replay");
	a = new_applier(cp, 0, NULL);
	pos = workload(a, &skipped);
	ok(dm_applier_drain(a, &e), e);
	dm_applier_free(a);
	dm_checkpoint_free(cp);
	/* Like a restart: the same stream again from the start, with the
	 * loaded progress. A second INSERT of any row would fail (1062). */
	cp = open_cp("replay");
	for (q = 0; q < WORKERS; q++)
		assert_true(dm_checkpoint_queue(cp, q, &done[q]));
	a = new_applier(cp, WORKERS, done);
	workload(a, &skipped);
	assert_int_equal(skipped, pos - 100);
	/* New changes after the old end still go through. */
	ok(push(a, DM_DML_INSERT, 0, 0, 100000, 101000, pos++, &sk, &e), e);
	assert_false(sk);
	total = value("SELECT COUNT(*) FROM " DB ".t");
	ok(dm_applier_drain(a, &e), e);
	dm_applier_free(a);
	dm_checkpoint_free(cp);
	assert_true(total >= NROWS - NROWS / 10);
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t"),
			 NROWS - NROWS / 10 + 1);
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t WHERE v <> id + 1000"),
			 0);
}

/* An UPDATE that moves a row to a key of another queue, then changes at
 * both keys: all must land in order. */
static void test_apply__key_change_across_queues_keeps_order(void **state)
{
	dm_applier *a;
	dm_error *e = NULL;
	uint64_t pos = 100, keys_a[4], keys_b[4];
	long long from = 1, to = 2;
	dm_value r1[2], r2[2];
	dm_dml_change c1 = { DM_DML_INSERT, NULL, NULL, r1, false };
	dm_dml_change c2 = { DM_DML_INSERT, NULL, NULL, r2, false };
	bool sk;

	(void)state;
	fresh_table();
	c1.table = tbl;
	c2.table = tbl;
	/* Find a key in another queue than key 1. */
	set_row(r1, from, 0);
	dm_dml_change_keys(keys_a, 4, &c1);
	for (;; to++) {
		set_row(r2, to, 0);
		dm_dml_change_keys(keys_b, 4, &c2);
		if (dm_applier_queue_of(keys_a, 1, WORKERS) !=
		    dm_applier_queue_of(keys_b, 1, WORKERS))
			break;
	}
	a = new_applier(NULL, 0, NULL);
	ok(push(a, DM_DML_INSERT, 0, 0, from, 1, pos++, &sk, &e), e);
	ok(push(a, DM_DML_UPDATE, from, 1, to, 2, pos++, &sk, &e), e);
	ok(push(a, DM_DML_UPDATE, to, 2, to, 3, pos++, &sk, &e), e);
	ok(push(a, DM_DML_INSERT, 0, 0, from, 4, pos++, &sk, &e), e);
	ok(dm_applier_drain(a, &e), e);
	dm_applier_free(a);
	assert_int_equal(value("SELECT v FROM " DB ".t WHERE id = 1"), 4);
	{
		char sql[96];

		snprintf(sql, sizeof(sql),
			 "SELECT v FROM " DB ".t WHERE id = %lld", to);
		assert_int_equal(value(sql), 3);
	}
}

static void test_apply__failing_statement_names_its_position(void **state)
{
	dm_applier *a;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;
	bool sk;
	int rc;

	(void)state;
	fresh_table();
	assert_int_equal(sandbox_exec(check, "INSERT INTO " DB ".t VALUES "
					     "(7, 7)"),
			 0);
	a = new_applier(NULL, 0, NULL);
	ok(push(a, DM_DML_INSERT, 0, 0, 7, 7, 4242, &sk, &e), e);
	rc = dm_applier_drain(a, &e);
	assert_int_equal(rc, DM_E_DB_EXECUTE_FAILED);
	assert_non_null(e);
	dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
	assert_non_null(strstr(b.data, "(mysql-bin.000001, 4242)"));
	assert_non_null(strstr(b.data, "`" DB "`.`t`"));
	assert_non_null(dm_error_find(e, DM_E_DB_EXECUTE_FAILED));
	{
		const dm_error *c;
		unsigned no = 0;

		for (c = e; c; c = dm_error_cause(c))
			if (dm_error_server_errno(c))
				no = dm_error_server_errno(c);
		assert_int_equal(no, 1062);
	}
	dm_error_free(e);
	e = NULL;
	/* Later pushes report the same error. */
	rc = push(a, DM_DML_INSERT, 0, 0, 8, 8, 4243, &sk, &e);
	assert_int_equal(rc, DM_E_DB_EXECUTE_FAILED);
	dm_error_free(e);
	dm_buf_free(&b);
	dm_applier_free(a);
}

static void kill_others(void)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long me = mysql_thread_id(check);

	assert_int_equal(mysql_query(check, "SELECT ID FROM "
				     "information_schema.PROCESSLIST WHERE "
				     "USER = 'root' AND COMMAND <> 'Daemon'"),
			 0);
	res = mysql_store_result(check);
	assert_non_null(res);
	while ((row = mysql_fetch_row(res))) {
		unsigned long id = strtoul(row[0], NULL, 10);

		char sql[48];

		/* A thread may end before it is killed: errors are fine. */
		snprintf(sql, sizeof(sql), "KILL %lu", id);
		if (id != me)
			(void)mysql_query(check, sql);
	}
	mysql_free_result(res);
}

static void test_apply__killed_connections_reconnect_and_finish(void **state)
{
	dm_checkpoint *cp;
	dm_applier *a;
	dm_apply_stats st;
	dm_error *e = NULL;
	uint64_t pos = 100;
	long long i;
	bool sk;

	(void)state;
	fresh_table();
	cp = open_cp("killed");
	a = new_applier(cp, 0, NULL);
	for (i = 1; i <= NROWS; i++) {
		ok(push(a, DM_DML_INSERT, 0, 0, i, i + 1000, pos++, &sk, &e),
		   e);
		if (i % 100 == 0)
			kill_others();
	}
	ok(dm_applier_drain(a, &e), e);
	dm_applier_stats(a, &st);
	dm_applier_free(a);
	dm_checkpoint_free(cp);
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t"), NROWS);
	assert_int_equal(st.applied, NROWS);
}

/* Builds an owned INSERT (id, v) for push_txn. */
static dm_dml_change *owned_insert(long long id, long long v)
{
	dm_value after[2];
	dm_dml_change c = { DM_DML_INSERT, NULL, NULL, after, false };
	dm_dml_change *owned = NULL;
	dm_error *e = NULL;

	c.table = tbl;
	set_row(after, id, v);
	ok(dm_dml_change_copy(&owned, &c, 2, &e), e);
	return owned;
}

/* A transaction whose last row fails leaves none of its rows, though they
 * map to different queues; a replay of committed transactions applies
 * nothing twice. */
static void test_apply__transactions_apply_whole_or_not_at_all(void **state)
{
	dm_location locs[8], done[WORKERS];
	dm_dml_change *c[8];
	dm_checkpoint *cp;
	dm_applier *a;
	dm_error *e = NULL;
	bool sk;
	int i, rc;

	(void)state;
	fresh_table();
	assert_int_equal(sandbox_exec(check, "INSERT INTO " DB ".t VALUES "
					     "(7, 7)"),
			 0);
	cp = open_cp("txn");
	a = new_applier(cp, 0, NULL);
	/* Committed: rows 1..8 in one transaction. */
	for (i = 0; i < 8; i++) {
		c[i] = owned_insert(i + 100, i);
		ok(dm_location_set(&locs[i], "mysql-bin.000001", 100, i + 1, &e),
		   e);
	}
	ok(dm_applier_push_txn(a, c, locs, 8, &sk, &e), e);
	ok(dm_applier_drain(a, &e), e);
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t"), 9);
	/* Failing: its first rows must not stay. */
	for (i = 0; i < 8; i++) {
		c[i] = owned_insert(i == 7 ? 7 : i + 200, i);
		ok(dm_location_set(&locs[i], "mysql-bin.000001", 200, i + 1, &e),
		   e);
	}
	/* Spanning queues, it may fail already in the push. */
	rc = dm_applier_push_txn(a, c, locs, 8, &sk, &e);
	if (!rc)
		rc = dm_applier_drain(a, &e);
	assert_int_equal(rc, DM_E_DB_EXECUTE_FAILED);
	dm_error_free(e);
	e = NULL;
	dm_applier_free(a);
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t WHERE id >= 200"),
			 0);
	dm_checkpoint_free(cp);
	/* Replay of the committed one from the progress rows: skipped. */
	cp = open_cp("txn");
	for (i = 0; i < WORKERS; i++)
		if (!dm_checkpoint_queue(cp, (unsigned)i, &done[i]))
			done[i] = (dm_location)DM_LOCATION_INIT;
	a = new_applier(cp, WORKERS, done);
	for (i = 0; i < 8; i++) {
		c[i] = owned_insert(i + 100, i);
		ok(dm_location_set(&locs[i], "mysql-bin.000001", 100, i + 1, &e),
		   e);
	}
	ok(dm_applier_push_txn(a, c, locs, 8, &sk, &e), e);
	assert_true(sk);
	ok(dm_applier_drain(a, &e), e);
	dm_applier_free(a);
	dm_checkpoint_free(cp);
	assert_int_equal(value("SELECT COUNT(*) FROM " DB ".t"), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply__queues_commit_rows_with_their_progress),
		cmocka_unit_test(test_apply__replay_from_progress_applies_nothing_twice),
		cmocka_unit_test(test_apply__key_change_across_queues_keeps_order),
		cmocka_unit_test(test_apply__failing_statement_names_its_position),
		cmocka_unit_test(test_apply__killed_connections_reconnect_and_finish),
		cmocka_unit_test(test_apply__transactions_apply_whole_or_not_at_all),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
