/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The public stream reader (dm_binlog_reader_open_stream) against the
 * sandbox's MariaDB upstream: the rows decoded from the live server equal
 * the rows written, and the events (file, position, type) equal what the
 * directory reader gives over the same binlog files; a GTID start; a
 * blocking reader receives a row written while it waits.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-binlog_reader_stream
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dm/binlog.h"
#include "dm/db.h"
#include "dm/err.h"
#include "dm/log.h"
#include "dm/util.h"
#include "dm/value.h"
#include "sandbox/sandbox.h"

#define TEST_DB "dmtest_brstream"

static dm_ctx *ctx;
static sandbox_server up;
static MYSQL *check;          /* independent connection to the upstream */
static char datadir[1024];    /* the upstream's datadir */
static char index_name[256];  /* its binlog index file, inside datadir */
static uint32_t next_id;      /* server_id of the next reader */
static bool password_logged;

/* One event as a line: "file pos type". */
typedef struct evlist {
	dm_buf text;
	size_t n;
} evlist;

static void capture_log(const dm_log_record *rec, void *userdata)
{
	dm_buf line = DM_BUF_INIT;

	(void)userdata;
	if (dm_log_format(&line, rec) == 0 && line.data &&
	    strstr(line.data, up.password))
		password_logged = true;
	dm_buf_free(&line);
}

static void exec_ok(const char *sql)
{
	int rc = sandbox_exec(check, "%s", sql);

	if (rc)
		fail_msg("%s: error %d", sql, rc);
}

static char *value_of(const char *sql)
{
	char *v = sandbox_query_value(check, sql, NULL);

	if (mysql_errno(check))
		fail_msg("%s: %s", sql, mysql_error(check));
	return v ? v : strdup("");
}

static char *error_text(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	if (e)
		dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
	else
		dm_buf_puts(&b, "(no error object)");
	return dm_buf_detach(&b);
}

static dm_db_opts db_opts(void)
{
	dm_db_opts o = DM_DB_OPTS_INIT;

	o.host = up.host;
	o.port = up.port;
	o.user = up.user;
	o.password = up.password;
	o.read_timeout = 60;
	o.scope = DM_ERR_SCOPE_UPSTREAM;
	return o;
}

static dm_binlog_reader *open_stream_ok(dm_binlog_stream_opts *o,
					const dm_db_opts *db)
{
	dm_binlog_reader *r = NULL;
	dm_error *e = NULL;

	o->db = db;
	o->server_id = next_id++;
	if (dm_binlog_reader_open_stream(&r, ctx, o, &e) != 0)
		fail_msg("dm_binlog_reader_open_stream: %s", error_text(e));
	assert_null(e);
	assert_non_null(r);
	return r;
}

/* Appends "insert|update|delete before -> after" for each row of `ev`
 * that belongs to TEST_DB. */
static void rows_text(dm_buf *out, dm_binlog_reader *r,
		      const dm_binlog_event *ev)
{
	static const char *const act[] = { "", "insert", "update", "delete",
					   "update" };
	const dm_binlog_table *t = ev->u.rows.table;
	const dm_value *img[2];
	dm_binlog_row_iter *it;
	dm_error *e = NULL;
	int rc, k;
	size_t i;

	assert_non_null(t);
	if (strcmp(t->schema.ptr, TEST_DB) != 0)
		return;
	assert_int_equal(dm_binlog_rows_open(&it, dm_binlog_reader_decoder(r),
					     ev, &e), 0);
	while ((rc = dm_binlog_rows_next(it, &img[0], &img[1], &e)) == 0) {
		dm_buf_printf(out, "%s %s", act[ev->u.rows.action],
			      t->name.ptr);
		for (k = 0; k < 2; k++) {
			if (!img[k])
				continue;
			dm_buf_puts(out, k ? " after" : " before");
			for (i = 0; i < ev->u.rows.ncols; i++) {
				dm_buf_putc(out, ' ');
				assert_int_equal(dm_value_format_text(
							 out, &img[k][i], &e), 0);
			}
		}
		dm_buf_putc(out, '\n');
	}
	if (rc != DM_DONE)
		fail_msg("rows: %s", error_text(e));
}

static void add_event(evlist *l, const dm_binlog_event *ev)
{
	dm_buf_printf(&l->text, "%s %llu %d %llu\n", ev->file ? ev->file : "?",
		      (unsigned long long)ev->pos, ev->type,
		      (unsigned long long)ev->log_pos);
	l->n++;
}

/* --------------------------------------------------------------- tests */

static void write_transactions(void)
{
	exec_ok("CREATE TABLE " TEST_DB ".t (id INT PRIMARY KEY, "
		"v VARCHAR(20), n DECIMAL(10,2))");
	exec_ok("INSERT INTO " TEST_DB ".t VALUES (1, 'one', 1.50), "
		"(2, 'two', NULL)");
	exec_ok("START TRANSACTION");
	exec_ok("INSERT INTO " TEST_DB ".t VALUES (3, 'three', -3.25)");
	exec_ok("UPDATE " TEST_DB ".t SET v = 'ONE' WHERE id = 1");
	exec_ok("COMMIT");
	exec_ok("FLUSH BINARY LOGS");
	exec_ok("DELETE FROM " TEST_DB ".t WHERE id = 2");
	exec_ok("INSERT INTO " TEST_DB ".t VALUES (4, 'fo\"ur', 0.01)");
}

static const char expected_rows[] =
	"insert t after 1 one 1.50\n"
	"insert t after 2 two NULL\n"
	"insert t after 3 three -3.25\n"
	"update t before 1 one 1.50 after 1 ONE 1.50\n"
	"delete t before 2 two NULL\n"
	"insert t after 4 fo\"ur 0.01\n";

static void test_binlog_reader_stream__matches_files_and_rows(void **state)
{
	dm_db_opts db = db_opts();
	dm_binlog_stream_opts o = DM_BINLOG_STREAM_OPTS_INIT;
	dm_binlog_reader_opts fo = DM_BINLOG_READER_OPTS_INIT;
	evlist live = { DM_BUF_INIT, 0 }, disk = { DM_BUF_INIT, 0 };
	dm_buf rows = DM_BUF_INIT;
	const dm_binlog_event *ev;
	dm_binlog_reader *r, *f = NULL;
	dm_error *e = NULL;
	char end_file[256];
	uint64_t end_pos;
	int rc;

	(void)state;
	write_transactions();
	o.file = "mysql-bin.000001";
	o.pos = 4;
	o.non_blocking = true;
	r = open_stream_ok(&o, &db);
	assert_string_equal(dm_binlog_reader_file(r), "mysql-bin.000001");
	assert_int_equal(dm_binlog_reader_position(r), 4);
	while ((rc = dm_binlog_reader_next(r, &ev, &e)) == 0) {
		/* Artificial events stay inside the reader. */
		assert_int_not_equal(ev->kind, DM_BINLOG_KIND_HEARTBEAT);
		assert_false(ev->log_pos == 0);
		assert_false(dm_binlog_reader_restarted(r));
		add_event(&live, ev);
		/* The position is after the event, in the event's file. */
		if (ev->kind != DM_BINLOG_KIND_ROTATE) {
			assert_string_equal(dm_binlog_reader_file(r), ev->file);
			assert_int_equal(dm_binlog_reader_position(r),
					 ev->pos + ev->event_size);
		}
		if (ev->kind == DM_BINLOG_KIND_ROWS)
			rows_text(&rows, r, ev);
	}
	if (rc != DM_DONE)
		fail_msg("stream next: %s", error_text(e));
	assert_int_equal(dm_binlog_reader_next(r, &ev, &e), DM_DONE);
	snprintf(end_file, sizeof(end_file), "%s", dm_binlog_reader_file(r));
	end_pos = dm_binlog_reader_position(r);
	dm_binlog_reader_free(r);
	assert_true(live.n > 10);
	assert_non_null(rows.data);
	assert_string_equal(rows.data, expected_rows);

	/* The same range read from the files on disk. */
	fo.flags = DM_BINLOG_READER_PARTIAL_TAIL_OK;
	if (dm_binlog_reader_open_dir(&f, ctx, datadir, index_name,
				      "mysql-bin.000001", 4, &fo, &e) != 0)
		fail_msg("open_dir: %s", error_text(e));
	while ((rc = dm_binlog_reader_next(f, &ev, &e)) == 0) {
		add_event(&disk, ev);
		if (strcmp(dm_binlog_reader_file(f), end_file) == 0 &&
		    dm_binlog_reader_position(f) >= end_pos)
			break;
	}
	if (rc != 0 && rc != DM_DONE)
		fail_msg("dir next: %s", error_text(e));
	dm_binlog_reader_free(f);
	assert_int_equal(live.n, disk.n);
	assert_string_equal(live.text.data, disk.text.data);
	dm_buf_free(&live.text);
	dm_buf_free(&disk.text);
	dm_buf_free(&rows);
}

static void test_binlog_reader_stream__starts_at_gtid(void **state)
{
	dm_db_opts db = db_opts();
	dm_binlog_stream_opts o = DM_BINLOG_STREAM_OPTS_INIT;
	dm_buf rows = DM_BUF_INIT;
	const dm_binlog_event *ev;
	dm_binlog_reader *r;
	dm_error *e = NULL;
	char *gtid;
	int rc;

	(void)state;
	exec_ok("CREATE TABLE IF NOT EXISTS " TEST_DB ".g (id INT PRIMARY KEY)");
	exec_ok("INSERT INTO " TEST_DB ".g VALUES (1)");
	gtid = value_of("SELECT @@gtid_binlog_pos");
	exec_ok("INSERT INTO " TEST_DB ".g VALUES (2)");
	exec_ok("INSERT INTO " TEST_DB ".g VALUES (3)");
	o.gtid = gtid;
	o.non_blocking = true;
	r = open_stream_ok(&o, &db);
	while ((rc = dm_binlog_reader_next(r, &ev, &e)) == 0) {
		assert_false(ev->log_pos == 0);
		assert_true(ev->file && ev->file[0]);
		if (ev->kind == DM_BINLOG_KIND_ROWS)
			rows_text(&rows, r, ev);
	}
	if (rc != DM_DONE)
		fail_msg("stream next: %s", error_text(e));
	assert_true(dm_binlog_reader_file(r)[0] != '\0');
	dm_binlog_reader_free(r);
	assert_non_null(rows.data);
	assert_string_equal(rows.data, "insert g after 2\ninsert g after 3\n");
	dm_buf_free(&rows);
	free(gtid);
}

typedef struct writer {
	unsigned delay_ms;
	int rc;
} writer;

static void *writer_main(void *arg)
{
	const struct timespec ts = { 0, 0 };
	struct timespec d = ts;
	writer *w = arg;
	MYSQL *m;

	d.tv_sec = w->delay_ms / 1000;
	d.tv_nsec = (long)(w->delay_ms % 1000) * 1000000L;
	nanosleep(&d, NULL);
	m = sandbox_connect(&up, NULL);
	if (!m) {
		w->rc = -1;
		return NULL;
	}
	w->rc = sandbox_exec(m, "INSERT INTO " TEST_DB ".b VALUES (42, 'late')");
	mysql_close(m);
	return NULL;
}

static void test_binlog_reader_stream__blocking_receives_new_row(void **state)
{
	dm_db_opts db = db_opts();
	dm_binlog_stream_opts o = DM_BINLOG_STREAM_OPTS_INIT;
	writer w = { 400, 0 };
	dm_buf rows = DM_BUF_INIT;
	const dm_binlog_event *ev;
	dm_binlog_reader *r;
	dm_error *e = NULL;
	unsigned beats = 0;
	pthread_t th;
	int rc;

	(void)state;
	exec_ok("CREATE TABLE IF NOT EXISTS " TEST_DB ".b (id INT PRIMARY KEY, "
		"v TEXT)");
	/* From the current position, heartbeats returned as events. */
	o.heartbeat_ms = 100;
	o.heartbeat_events = true;
	r = open_stream_ok(&o, &db);
	assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
	while (!rows.data) {
		rc = dm_binlog_reader_next(r, &ev, &e);
		if (rc != 0)
			fail_msg("stream next: %s", error_text(e));
		if (ev->kind == DM_BINLOG_KIND_HEARTBEAT)
			beats++;
		else if (ev->kind == DM_BINLOG_KIND_ROWS)
			rows_text(&rows, r, ev);
	}
	pthread_join(th, NULL);
	assert_int_equal(w.rc, 0);
	assert_true(beats > 0);
	assert_string_equal(rows.data, "insert b after 42 late\n");
	dm_binlog_reader_free(r);
	dm_buf_free(&rows);
}

static void test_binlog_reader_stream__rejects_bad_opts(void **state)
{
	dm_binlog_stream_opts o = DM_BINLOG_STREAM_OPTS_INIT;
	dm_binlog_reader *r = (dm_binlog_reader *)&o;
	dm_error *e = NULL;

	(void)state;
	o.version = 99;
	assert_int_equal(dm_binlog_reader_open_stream(&r, ctx, &o, &e),
			 DM_E_INVALID_ARGUMENT);
	assert_null(r);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_binlog_reader_open_stream(&r, ctx, NULL, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
}

/* ------------------------------------------------------------- fixtures */

static int group_setup(void **state)
{
	dm_error *e = NULL;
	char *dir, *idx;
	const char *slash;

	(void)state;
	if (dm_global_init(&e) != 0 || dm_ctx_new(&ctx, &e) != 0)
		return -1;
	dm_ctx_set_logger(ctx, capture_log, NULL);
	dm_ctx_set_log_level(ctx, DM_LOG_DEBUG);
	if (sandbox_upstream(1, &up) != 0)
		return -1;
	check = sandbox_connect(&up, NULL);
	if (!check)
		return -1;
	next_id = 3500000u + ((uint32_t)getpid() & 0xffff) * 16u;
	dir = sandbox_query_value(check, "SELECT @@datadir", NULL);
	idx = sandbox_query_value(check, "SELECT @@log_bin_index", NULL);
	if (!dir || !idx) {
		free(dir);
		free(idx);
		return -1;
	}
	snprintf(datadir, sizeof(datadir), "%s", dir);
	slash = strrchr(idx, '/');
	snprintf(index_name, sizeof(index_name), "%s", slash ? slash + 1 : idx);
	free(dir);
	free(idx);
	return sandbox_exec(check, "DROP DATABASE IF EXISTS " TEST_DB
				   "; CREATE DATABASE " TEST_DB) ? -1 : 0;
}

static int group_teardown(void **state)
{
	int rc = 0;

	(void)state;
	sandbox_exec(check, "DROP DATABASE IF EXISTS " TEST_DB);
	mysql_close(check);
	if (password_logged) {
		fprintf(stderr, "a password was logged\n");
		rc = -1;
	}
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return rc;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_binlog_reader_stream__matches_files_and_rows),
		cmocka_unit_test(test_binlog_reader_stream__starts_at_gtid),
		cmocka_unit_test(
			test_binlog_reader_stream__blocking_receives_new_row),
		cmocka_unit_test(test_binlog_reader_stream__rejects_bad_opts),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("binlog_reader_stream", tests,
					   group_setup, group_teardown);
}
