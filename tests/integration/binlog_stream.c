/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The live binlog transport (lib/binlog/stream.c) against the sandbox's
 * MariaDB upstream: the events streamed equal the binlog files on disk
 * byte for byte across rotations and a 20 MiB event; starts at a later
 * position and at a GTID; blocking mode, heartbeats, semi-sync ACKs;
 * reconnects after KILL and after a broken connection without losing or
 * repeating a transaction; clear errors for missing and purged files, a
 * wrong password and a second replica with the same server_id.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-binlog_stream
 * The purge test starts a private sandbox server (tests/sandbox/sandbox
 * start) so that the shared upstream keeps all its binlog files.
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

#include "binlog/stream.h"
#include "dm/db.h"
#include "dm/err.h"
#include "dm/gtid.h"
#include "dm/log.h"
#include "dm/util.h"
#include "sandbox/sandbox.h"

#define TEST_DB "dmtest_bstream"
#define WRONG_PASSWORD "Wr0ng-pw-dmtest-bstream-51c2"
#define NOREPL_USER "'dmtest_bs_norepl'@'%'"
#define NOREPL_PW "Norepl-pw-dmtest-7d1e"
#define SANDBOX_SCRIPT "tests/sandbox/sandbox"
#define BIG_BLOB (20u * 1024 * 1024)
#define MAX_FILES 256

/* Event types the tests look at. */
#define T_ROTATE 4
#define T_FDE 15
#define T_XID 16
#define T_TABLE_MAP 19
#define T_WRITE_V1 23
#define T_WRITE_V2 30
#define T_HEARTBEAT 27
#define T_MARIA_GTID 162

static dm_ctx *ctx;
static sandbox_server up;
static MYSQL *check;          /* independent connection to the upstream */
static char datadir[1024];    /* the upstream's datadir, ending in '/' */
static unsigned upstream_server_id;
static uint32_t next_id;      /* server_id of the next stream */
static bool password_logged;
static dm_buf log_text = DM_BUF_INIT; /* log lines since the last clear */
static char *semi_enabled_before, *semi_timeout_before;
static void stop_private_server(void);

/* ------------------------------------------------------------- helpers */

static void capture_log(const dm_log_record *rec, void *userdata)
{
	dm_buf line = DM_BUF_INIT;

	(void)userdata;
	if (dm_log_format(&line, rec) != 0 || !line.data) {
		dm_buf_free(&line);
		return;
	}
	if (strstr(line.data, up.password) ||
	    strstr(line.data, WRONG_PASSWORD) || strstr(line.data, NOREPL_PW))
		password_logged = true;
	dm_buf_append(&log_text, line.data, line.len);
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

static dm_db_opts db_opts(void)
{
	dm_db_opts o = DM_DB_OPTS_INIT;

	o.host = up.host;
	o.port = up.port;
	o.user = up.user;
	o.password = up.password;
	o.read_timeout = 60; /* no read waits longer than this */
	o.scope = DM_ERR_SCOPE_UPSTREAM;
	return o;
}

static dm__binlog_stream_opts stream_opts(const dm_db_opts *db)
{
	dm__binlog_stream_opts o = DM__BINLOG_STREAM_OPTS_INIT;

	o.db = db;
	o.server_id = next_id++;
	return o;
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

static dm__binlog_stream *open_ok(const dm__binlog_stream_opts *o)
{
	dm__binlog_stream *s = NULL;
	dm_error *e = NULL;

	if (dm__binlog_stream_open(&s, ctx, o, &e) != 0)
		fail_msg("dm__binlog_stream_open: %s", error_text(e));
	assert_null(e);
	assert_non_null(s);
	assert_true(dm__binlog_stream_is_mariadb(s));
	return s;
}

/* The next event; fails the test on anything but success. */
static const unsigned char *next_ok(dm__binlog_stream *s, size_t *len)
{
	const unsigned char *ev = NULL;
	dm_error *e = NULL;
	int rc = dm__binlog_stream_next(s, &ev, len, &e);

	if (rc != 0)
		fail_msg("dm__binlog_stream_next: rc %d: %s", rc, error_text(e));
	assert_non_null(ev);
	return ev;
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static unsigned ev_type(const unsigned char *ev)
{
	return ev[4];
}

static uint32_t ev_log_pos(const unsigned char *ev)
{
	return le32(ev + 13);
}

static bool is_write_rows(const unsigned char *ev)
{
	return ev_type(ev) == T_WRITE_V1 || ev_type(ev) == T_WRITE_V2;
}

static bool artificial(const dm__binlog_stream *s)
{
	return dm__binlog_stream_event_flags(s) & DM__BINLOG_STREAM_ARTIFICIAL;
}

static char *position_file(const dm__binlog_stream *s, uint64_t *pos)
{
	const char *file = NULL;

	assert_int_equal(dm__binlog_stream_position(s, &file, pos), 0);
	return strdup(file ? file : "");
}

static unsigned char *slurp(const char *name, size_t *len)
{
	char path[1400];
	unsigned char *data;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s%s", datadir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 4);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	data = malloc((size_t)n);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* The upstream's binlog files, oldest first (SHOW BINARY LOGS). */
static size_t binlog_files(char *names[MAX_FILES])
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	size_t n = 0;

	if (mysql_query(check, "SHOW BINARY LOGS"))
		fail_msg("SHOW BINARY LOGS: %s", mysql_error(check));
	res = mysql_store_result(check);
	assert_non_null(res);
	while ((row = mysql_fetch_row(res)) && n < MAX_FILES)
		names[n++] = strdup(row[0]);
	mysql_free_result(res);
	assert_true(n > 0);
	return n;
}

static void free_names(char *names[], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* ------------------------------------------------- comparing with files */

typedef struct file_bytes {
	char *name;
	dm_buf bytes;      /* the non-artificial events streamed from it */
} file_bytes;

typedef struct collected {
	file_bytes files[MAX_FILES];
	size_t n;
	size_t max_event;
	size_t events;
} collected;

static dm_buf *bytes_of(collected *c, const char *name)
{
	if (c->n == 0 || strcmp(c->files[c->n - 1].name, name) != 0) {
		assert_true(c->n < MAX_FILES);
		c->files[c->n].name = strdup(name);
		c->files[c->n].bytes = (dm_buf)DM_BUF_INIT;
		c->n++;
	}
	return &c->files[c->n - 1].bytes;
}

static void free_collected(collected *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->files[i].name);
		dm_buf_free(&c->files[i].bytes);
	}
	c->n = 0;
}

/* Streams to the end (non-blocking) and files every non-artificial event
 * under the binlog file it came from. */
static void collect(dm__binlog_stream *s, collected *c)
{
	const unsigned char *ev;
	dm_error *e = NULL;
	uint64_t pos;
	size_t len;
	int rc;

	for (;;) {
		char *file = position_file(s, &pos);

		rc = dm__binlog_stream_next(s, &ev, &len, &e);
		if (rc == DM_DONE) {
			free(file);
			break;
		}
		if (rc)
			fail_msg("next: %s", error_text(e));
		c->events++;
		if (len > c->max_event)
			c->max_event = len;
		if (!artificial(s))
			assert_int_equal(dm_buf_append(bytes_of(c, file), ev,
						       len), 0);
		free(file);
	}
	/* The end stays the end. */
	assert_int_equal(dm__binlog_stream_next(s, &ev, &len, NULL), DM_DONE);
}

/* The file as the stream shows it: the server clears the in-use flag of
 * the FDE of the binlog it is writing (its checksum was computed without
 * that flag, so it stays valid). */
static void as_streamed(unsigned char *data, size_t len)
{
	if (len >= 4 + 19 && data[4 + 4] == T_FDE)
		data[4 + 17] &= (unsigned char)~0x01;
}

static void assert_same_bytes(const char *name, const unsigned char *want,
			      size_t want_len, const dm_buf *got)
{
	size_t i;

	if (got->len == want_len &&
	    (want_len == 0 || memcmp(got->data, want, want_len) == 0))
		return;
	for (i = 0; i < want_len && i < got->len; i++)
		if ((unsigned char)got->data[i] != want[i])
			break;
	fail_msg("%s: streamed %zu bytes, file has %zu; first difference at "
		 "offset %zu of the compared part", name, got->len, want_len,
		 i);
}

/* Every file from first_file on, as streamed from first_pos, equals the
 * file on disk; the last file is the one the server writes. */
static void assert_matches_disk(collected *c, const char *first_file,
				uint64_t first_pos)
{
	char *names[MAX_FILES];
	size_t n = binlog_files(names), i, k = 0, len;
	unsigned char *data;

	while (k < n && strcmp(names[k], first_file) != 0)
		k++;
	assert_true(k < n);
	assert_int_equal(c->n, n - k);
	for (i = 0; i < c->n; i++, k++) {
		size_t from = i == 0 ? (size_t)first_pos : 4;

		assert_string_equal(c->files[i].name, names[k]);
		data = slurp(names[k], &len);
		assert_int_equal(memcmp(data, "\xfe" "bin", 4), 0);
		as_streamed(data, len);
		assert_true(from <= len);
		assert_same_bytes(names[k], data + from, len - from,
				  &c->files[i].bytes);
		free(data);
	}
	free_names(names, n);
}

/* ---------------------------------------------------------- set-up */

static int group_setup(void **state)
{
	dm_error *e = NULL;
	char *dir;
	const char *id;

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
	id = getenv("DM_UPSTREAM1_SERVER_ID");
	upstream_server_id = id ? (unsigned)strtoul(id, NULL, 10) : 0;
	next_id = 3000000u + ((uint32_t)getpid() & 0xffff) * 64u;
	dir = sandbox_query_value(check, "SELECT @@datadir", NULL);
	if (!dir)
		return -1;
	snprintf(datadir, sizeof(datadir), "%s%s", dir,
		 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/");
	free(dir);
	semi_enabled_before = sandbox_query_value(
		check, "SELECT @@global.rpl_semi_sync_master_enabled", NULL);
	semi_timeout_before = sandbox_query_value(
		check, "SELECT @@global.rpl_semi_sync_master_timeout", NULL);
	if (!semi_enabled_before || !semi_timeout_before)
		return -1;
	return sandbox_exec(check, "DROP DATABASE IF EXISTS " TEST_DB
				   "; CREATE DATABASE " TEST_DB
				   "; DROP USER IF EXISTS %s", NOREPL_USER) ? -1 : 0;
}

static int group_teardown(void **state)
{
	int rc = 0;

	(void)state;
	stop_private_server();
	sandbox_exec(check, "SET GLOBAL rpl_semi_sync_master_enabled = %s, "
			    "GLOBAL rpl_semi_sync_master_timeout = %s",
		     semi_enabled_before, semi_timeout_before);
	free(semi_enabled_before);
	free(semi_timeout_before);
	sandbox_exec(check, "DROP DATABASE IF EXISTS " TEST_DB);
	sandbox_exec(check, "DROP USER IF EXISTS %s", NOREPL_USER);
	mysql_close(check);
	if (password_logged) {
		fprintf(stderr, "a password was logged\n");
		rc = -1;
	}
	dm_buf_free(&log_text);
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return rc;
}

/* ------------------------------------------------- files and positions */

static void test_binlog_stream__matches_binlog_files(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	collected c = { 0 };
	char *names[MAX_FILES], *end_file;
	const char *file;
	size_t n, len;
	uint64_t pos;
	char sql[256];
	unsigned char *data;
	int i;

	(void)state;
	exec_ok("CREATE TABLE " TEST_DB ".t1 (id INT PRIMARY KEY, "
		"v VARCHAR(64))");
	exec_ok("CREATE TABLE " TEST_DB ".t2 (id INT PRIMARY KEY, b LONGBLOB)");
	for (i = 1; i <= 5; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO " TEST_DB ".t1 VALUES "
			 "(%d, 'row %d \xe2\x82\xac')", i, i);
		exec_ok(sql);
	}
	exec_ok("BEGIN; INSERT INTO " TEST_DB ".t1 VALUES (6, 'six'); "
		"UPDATE " TEST_DB ".t1 SET v = 'one' WHERE id = 1; "
		"DELETE FROM " TEST_DB ".t1 WHERE id = 2; COMMIT");
	/* One row event above 16 MiB: several packets on the wire. */
	snprintf(sql, sizeof(sql), "INSERT INTO " TEST_DB ".t2 VALUES (1, "
		 "REPEAT(CONCAT(CHAR(0), 'abc', CHAR(255)), %u))",
		 BIG_BLOB / 5);
	exec_ok(sql);
	exec_ok("FLUSH BINARY LOGS");
	exec_ok("ALTER TABLE " TEST_DB ".t1 ADD COLUMN w INT");
	exec_ok("INSERT INTO " TEST_DB ".t1 VALUES (7, 'seven', 7)");
	exec_ok("FLUSH BINARY LOGS");
	exec_ok("INSERT INTO " TEST_DB ".t1 VALUES (8, 'eight', 8)");

	n = binlog_files(names);
	assert_true(n >= 3);
	o.file = names[0];
	o.pos = 4;
	o.non_blocking = true;
	s = open_ok(&o);
	collect(s, &c);
	assert_true(c.max_event > 16u * 1024 * 1024);
	assert_matches_disk(&c, names[0], 4);

	/* The position is the end of the last file. */
	data = slurp(names[n - 1], &len);
	free(data);
	end_file = position_file(s, &pos);
	assert_string_equal(end_file, names[n - 1]);
	assert_int_equal(pos, len);
	assert_int_equal(dm__binlog_stream_resume_position(s, &file, &pos), 0);
	assert_string_equal(file, names[n - 1]);
	assert_int_equal(pos, len);
	assert_null(dm__binlog_stream_resume_gtids(s));
	assert_int_equal(dm__binlog_stream_reconnects(s), 0);
	free(end_file);
	dm__binlog_stream_close(s);
	free_collected(&c);
	free_names(names, n);
}

static void test_binlog_stream__streams_over_verified_tls(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	collected c = { 0 };
	char *names[MAX_FILES];
	size_t n;

	(void)state;
	db.ssl_ca = getenv("DM_SANDBOX_SSL_CA");
	db.ssl_cert = getenv("DM_SANDBOX_SSL_CERT");
	db.ssl_key = getenv("DM_SANDBOX_SSL_KEY");
	if (!db.ssl_ca)
		skip(); /* a sandbox without TLS */
	db.ssl_verify = true;
	n = binlog_files(names);
	o.file = names[0];
	o.pos = 4;
	o.non_blocking = true;
	dm_buf_clear(&log_text);
	s = open_ok(&o);
	assert_non_null(log_text.data);
	assert_non_null(strstr(log_text.data, "[tls=on]"));
	collect(s, &c);
	assert_true(c.max_event > 16u * 1024 * 1024);
	assert_matches_disk(&c, names[0], 4);
	dm__binlog_stream_close(s);
	free_collected(&c);
	free_names(names, n);
}

/* Pos of the k-th event of `type` (as SHOW BINLOG EVENTS names it). */
static uint64_t event_pos(const char *file, const char *type, int k)
{
	char sql[256];
	MYSQL_RES *res;
	MYSQL_ROW row;
	uint64_t pos = 0;

	snprintf(sql, sizeof(sql), "SHOW BINLOG EVENTS IN '%s'", file);
	if (mysql_query(check, sql))
		fail_msg("%s: %s", sql, mysql_error(check));
	res = mysql_store_result(check);
	assert_non_null(res);
	while ((row = mysql_fetch_row(res)))
		if (strcmp(row[2], type) == 0 && --k == 0) {
			pos = strtoull(row[1], NULL, 10);
			break;
		}
	mysql_free_result(res);
	assert_true(pos > 4);
	return pos;
}

static void test_binlog_stream__starts_at_later_position(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	collected c = { 0 };
	char *names[MAX_FILES], *file;
	const unsigned char *ev;
	size_t n, len;
	uint64_t start, pos;

	(void)state;
	exec_ok("INSERT INTO " TEST_DB ".t1 VALUES (9, 'nine', 9)");
	exec_ok("INSERT INTO " TEST_DB ".t1 VALUES (10, 'ten', 10)");
	n = binlog_files(names);
	start = event_pos(names[n - 1], "Gtid", 2);
	o.file = names[n - 1];
	o.pos = start;
	o.non_blocking = true;
	s = open_ok(&o);

	/* First the fake ROTATE naming the start, then the FDE with
	 * log_pos 0: both artificial. */
	ev = next_ok(s, &len);
	assert_int_equal(ev_type(ev), T_ROTATE);
	assert_true(artificial(s));
	file = position_file(s, &pos);
	assert_string_equal(file, names[n - 1]);
	assert_int_equal(pos, start);
	free(file);
	ev = next_ok(s, &len);
	assert_int_equal(ev_type(ev), T_FDE);
	assert_int_equal(ev_log_pos(ev), 0);
	assert_true(artificial(s));

	/* Then the file from the start position on. */
	collect(s, &c);
	assert_matches_disk(&c, names[n - 1], start);
	dm__binlog_stream_close(s);
	free_collected(&c);
	free_names(names, n);
}

/* The sequence number of our server's GTID in `domain` of a MariaDB
 * GTID list such as "0-101-31,5-77-3". */
static bool seq_of(const char *list, unsigned domain,
		   unsigned long long *seq)
{
	const char *p = list;
	unsigned d, server;

	while (p && *p) {
		if (sscanf(p, "%u-%u-%llu", &d, &server, seq) == 3 &&
		    d == domain && server == upstream_server_id)
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static void test_binlog_stream__starts_at_gtid(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	const unsigned char *ev;
	char *start, *end;
	dm_buf got = DM_BUF_INIT;
	unsigned long long seq, end_seq;
	unsigned gtids = 0, domain;
	size_t len;
	int rc, i;

	(void)state;
	exec_ok("CREATE TABLE " TEST_DB ".t3 (id INT PRIMARY KEY)");
	/* The binlog may hold other domains (other tests); ours is the
	 * session's. */
	start = value_of("SELECT @@gtid_domain_id");
	domain = (unsigned)strtoul(start, NULL, 10);
	free(start);
	start = value_of("SELECT @@gtid_binlog_pos");
	assert_true(seq_of(start, domain, &seq));
	for (i = 1; i <= 3; i++) {
		char sql[128];

		snprintf(sql, sizeof(sql),
			 "INSERT INTO " TEST_DB ".t3 VALUES (%d)", i);
		exec_ok(sql);
	}
	end = value_of("SELECT @@gtid_binlog_pos");

	o.gtid = start;
	o.non_blocking = true;
	s = open_ok(&o);
	while ((rc = dm__binlog_stream_next(s, &ev, &len, NULL)) == 0) {
		if (artificial(s))
			continue;
		/* Nothing of a transaction before the first GTID. */
		if (gtids == 0)
			assert_false(is_write_rows(ev) ||
				     ev_type(ev) == T_TABLE_MAP ||
				     ev_type(ev) == T_XID);
		if (ev_type(ev) != T_MARIA_GTID)
			continue;
		/* seq_no, domain: the transaction right after the start. */
		if (gtids == 0) {
			assert_int_equal(le32(ev + 19) |
					 (uint64_t)le32(ev + 23) << 32,
					 seq + 1);
			assert_int_equal(le32(ev + 27), domain);
			assert_int_equal(le32(ev + 5), upstream_server_id);
		}
		gtids++;
	}
	assert_int_equal(rc, DM_DONE);
	assert_int_equal(gtids, 3);
	/* The resume set is where the server's binlog is now. */
	assert_non_null(dm__binlog_stream_resume_gtids(s));
	assert_int_equal(dm_gtid_set_format_position(
				 &got, dm__binlog_stream_resume_gtids(s)), 0);
	assert_string_equal(got.data, end);
	assert_true(seq_of(end, domain, &end_seq));
	assert_int_equal(end_seq, seq + 3);
	dm_buf_free(&got);
	dm__binlog_stream_close(s);
	free(start);
	free(end);
}

/* ------------------------------------------------------ blocking mode */

typedef struct writer {
	unsigned delay_ms;
	const char *sql[8];
	int rc;
} writer;

static void *writer_main(void *arg)
{
	writer *w = arg;
	MYSQL *m;
	size_t i;

	sleep_ms(w->delay_ms);
	m = sandbox_connect(&up, NULL);
	if (!m) {
		w->rc = -1;
		return NULL;
	}
	for (i = 0; i < 8 && w->sql[i] && !w->rc; i++)
		w->rc = sandbox_exec(m, "%s", w->sql[i]);
	mysql_close(m);
	return NULL;
}

static void test_binlog_stream__blocking_waits_for_new_events(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	writer w = { 300, { "INSERT INTO " TEST_DB ".t1 VALUES "
			    "(100, 'late', 0)" }, 0 };
	const unsigned char *ev;
	const char *rfile;
	uint64_t pos, rpos;
	pthread_t th;
	char *file;
	size_t len;
	int i, rows = 0;

	(void)state;
	s = open_ok(&o); /* at the server's current position */
	assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
	/* Bounded: each read waits at most the 60 s read timeout. */
	for (i = 0; i < 50; i++) {
		ev = next_ok(s, &len);
		if (artificial(s))
			continue;
		if (is_write_rows(ev))
			rows++;
		if (ev_type(ev) == T_XID)
			break;
	}
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(w.rc, 0);
	assert_int_equal(rows, 1);
	file = position_file(s, &pos);
	assert_int_equal(pos, ev_log_pos(ev));
	assert_int_equal(dm__binlog_stream_resume_position(s, &rfile, &rpos),
			 0);
	assert_string_equal(rfile, file);
	assert_int_equal(rpos, pos);
	free(file);
	dm__binlog_stream_close(s);
}

static void test_binlog_stream__heartbeats_arrive(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	const unsigned char *ev;
	uint64_t start, pos;
	char *file, *file2;
	size_t len;
	int beats = 0, i;

	(void)state;
	db.read_timeout = 30;
	o.heartbeat_ms = 100;
	s = open_ok(&o);
	file = position_file(s, &start);
	for (i = 0; i < 20 && beats < 5; i++) {
		ev = next_ok(s, &len);
		if (ev_type(ev) != T_HEARTBEAT)
			continue;
		assert_int_equal(dm__binlog_stream_event_flags(s),
				 DM__BINLOG_STREAM_ARTIFICIAL |
					 DM__BINLOG_STREAM_HEARTBEAT);
		beats++;
	}
	assert_int_equal(beats, 5);
	/* Heartbeats move no position. */
	file2 = position_file(s, &pos);
	assert_string_equal(file2, file);
	assert_int_equal(pos, start);
	free(file);
	free(file2);
	dm__binlog_stream_close(s);
}

/* --------------------------------------------------------- reconnects */

/* Counts rows events per table over complete transactions only, the way
 * a caller must: a RESTARTED event drops the unfinished transaction. */
typedef struct counter {
	char table[64];     /* of the last TABLE_MAP */
	unsigned pending[4];
	unsigned done[4];   /* t4, t5, t6, other */
	unsigned restarts;
	unsigned xids;
} counter;

static int table_slot(const char *name)
{
	if (strcmp(name, "t4") == 0)
		return 0;
	if (strcmp(name, "t5") == 0)
		return 1;
	if (strcmp(name, "t6") == 0)
		return 2;
	return 3;
}

static void count_event(counter *k, const dm__binlog_stream *s,
			const unsigned char *ev, size_t len)
{
	unsigned flags = dm__binlog_stream_event_flags(s);
	size_t i, db_len, tbl_len;

	if (flags & DM__BINLOG_STREAM_RESTARTED) {
		memset(k->pending, 0, sizeof(k->pending));
		k->restarts++;
	}
	if (flags & DM__BINLOG_STREAM_ARTIFICIAL)
		return;
	if (ev_type(ev) == T_TABLE_MAP) {
		/* table id (6), flags (2), db, NUL, table, NUL */
		assert_true(len > 19 + 9);
		db_len = ev[19 + 8];
		assert_true(19 + 9 + db_len + 2 < len);
		tbl_len = ev[19 + 9 + db_len + 1];
		assert_true(tbl_len < sizeof(k->table) &&
			    19 + 9 + db_len + 2 + tbl_len < len);
		memcpy(k->table, ev + 19 + 9 + db_len + 2, tbl_len);
		k->table[tbl_len] = '\0';
	} else if (is_write_rows(ev)) {
		k->pending[table_slot(k->table)]++;
	} else if (ev_type(ev) == T_XID) {
		for (i = 0; i < 4; i++) {
			k->done[i] += k->pending[i];
			k->pending[i] = 0;
		}
		k->xids++;
	}
}

/* Reads until `xids` more transactions completed (bounded). */
static void read_transactions(dm__binlog_stream *s, counter *k, unsigned xids)
{
	unsigned want = k->xids + xids;
	const unsigned char *ev;
	size_t len;
	int i;

	for (i = 0; i < 400 && k->xids < want; i++) {
		ev = next_ok(s, &len);
		count_event(k, s, ev, len);
	}
	assert_int_equal(k->xids, want);
}

static void assert_is_dump_thread(unsigned long id)
{
	char sql[160], *cmd;

	snprintf(sql, sizeof(sql), "SELECT COMMAND FROM "
		 "information_schema.PROCESSLIST WHERE ID = %lu", id);
	cmd = value_of(sql);
	assert_string_equal(cmd, "Binlog Dump");
	free(cmd);
}

static void test_binlog_stream__reconnects_after_kill(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	counter k = { 0 };
	unsigned long id;
	char sql[64];

	(void)state;
	exec_ok("CREATE TABLE " TEST_DB ".t4 (id INT PRIMARY KEY)");
	exec_ok("CREATE TABLE " TEST_DB ".t5 (id INT PRIMARY KEY)");
	s = open_ok(&o);
	exec_ok("INSERT INTO " TEST_DB ".t4 VALUES (1)");
	read_transactions(s, &k, 1);
	assert_int_equal(k.done[0], 1);

	/* The server ends our dump thread while the stream waits. */
	id = dm__binlog_stream_connection_id(s);
	assert_true(id > 0);
	assert_is_dump_thread(id);
	snprintf(sql, sizeof(sql), "KILL %lu", id);
	exec_ok(sql);
	exec_ok("INSERT INTO " TEST_DB ".t4 VALUES (2)");
	exec_ok("BEGIN; INSERT INTO " TEST_DB ".t5 VALUES (1); "
		"INSERT INTO " TEST_DB ".t5 VALUES (2); COMMIT");
	exec_ok("INSERT INTO " TEST_DB ".t4 VALUES (3)");
	read_transactions(s, &k, 3);

	assert_int_equal(dm__binlog_stream_reconnects(s), 1);
	assert_int_equal(k.restarts, 1);
	assert_int_equal(k.done[0], 3);
	assert_int_equal(k.done[1], 2);
	assert_int_equal(k.done[3], 0);
	assert_true(dm__binlog_stream_connection_id(s) != id);
	assert_is_dump_thread(dm__binlog_stream_connection_id(s));
	dm__binlog_stream_close(s);
}

static void test_binlog_stream__resumes_mid_transaction(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	counter k = { 0 };
	const unsigned char *ev;
	const char *rfile;
	char *resume_file, *file;
	uint64_t resume_pos, pos;
	size_t len;
	int i;

	(void)state;
	exec_ok("CREATE TABLE " TEST_DB ".t6 (id INT PRIMARY KEY)");
	s = open_ok(&o);
	exec_ok("BEGIN; INSERT INTO " TEST_DB ".t6 VALUES (1); "
		"INSERT INTO " TEST_DB ".t6 VALUES (2); "
		"INSERT INTO " TEST_DB ".t6 VALUES (3); COMMIT");
	/* Into the transaction: up to its first rows event. */
	for (i = 0; i < 50 && k.pending[2] == 0; i++) {
		ev = next_ok(s, &len);
		count_event(&k, s, ev, len);
	}
	assert_int_equal(k.pending[2], 1);
	assert_int_equal(dm__binlog_stream_resume_position(s, &rfile,
							   &resume_pos), 0);
	resume_file = strdup(rfile);
	file = position_file(s, &pos);
	assert_true(pos > resume_pos);
	free(file);

	dm__binlog_stream_inject_break(s);
	/* The first event after the reconnect: the fake ROTATE at the
	 * start of the transaction. */
	ev = next_ok(s, &len);
	count_event(&k, s, ev, len);
	assert_int_equal(ev_type(ev), T_ROTATE);
	assert_int_equal(dm__binlog_stream_event_flags(s),
			 DM__BINLOG_STREAM_ARTIFICIAL |
				 DM__BINLOG_STREAM_RESTARTED);
	file = position_file(s, &pos);
	assert_string_equal(file, resume_file);
	assert_int_equal(pos, resume_pos);
	free(file);
	read_transactions(s, &k, 1);
	assert_int_equal(k.done[2], 3);
	assert_int_equal(k.restarts, 1);
	assert_int_equal(dm__binlog_stream_reconnects(s), 1);
	free(resume_file);
	dm__binlog_stream_close(s);
}

static void test_binlog_stream__resumes_mid_transaction_by_gtid(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	counter k = { 0 };
	const unsigned char *ev;
	const char *rfile;
	dm_buf got = DM_BUF_INIT;
	char *start, *end;
	uint64_t rpos;
	size_t len;
	int i;

	(void)state;
	exec_ok("INSERT INTO " TEST_DB ".t6 VALUES (100)");
	start = value_of("SELECT @@gtid_binlog_pos");
	o.gtid = start;
	s = open_ok(&o);
	exec_ok("BEGIN; INSERT INTO " TEST_DB ".t6 VALUES (101); "
		"INSERT INTO " TEST_DB ".t6 VALUES (102); "
		"INSERT INTO " TEST_DB ".t6 VALUES (103); COMMIT");
	end = value_of("SELECT @@gtid_binlog_pos");
	for (i = 0; i < 50 && k.pending[2] < 2; i++) {
		ev = next_ok(s, &len);
		count_event(&k, s, ev, len);
	}
	assert_int_equal(k.pending[2], 2);
	/* No transaction completed yet: no file position to resume at. */
	assert_int_equal(dm__binlog_stream_resume_position(s, &rfile, &rpos),
			 0);
	assert_null(rfile);
	dm_buf_clear(&log_text);
	dm__binlog_stream_inject_break(s);
	read_transactions(s, &k, 1);
	assert_int_equal(k.restarts, 1);
	assert_int_equal(k.done[2], 3);
	assert_non_null(strstr(log_text.data, "binlog stream resumed"));
	assert_non_null(strstr(log_text.data, start));
	assert_int_equal(dm_gtid_set_format_position(
				 &got, dm__binlog_stream_resume_gtids(s)), 0);
	assert_string_equal(got.data, end);
	assert_int_equal(dm__binlog_stream_resume_position(s, &rfile, &rpos),
			 0);
	assert_non_null(rfile);
	/* A second break resumes from the GTID just completed. */
	dm_buf_clear(&log_text);
	dm__binlog_stream_inject_break(s);
	exec_ok("INSERT INTO " TEST_DB ".t6 VALUES (104)");
	read_transactions(s, &k, 1);
	assert_int_equal(k.restarts, 2);
	assert_int_equal(k.done[2], 4);
	assert_non_null(strstr(log_text.data, end));
	assert_int_equal(dm__binlog_stream_reconnects(s), 2);
	dm_buf_free(&got);
	free(start);
	free(end);
	dm__binlog_stream_close(s);
}

static void test_binlog_stream__idle_timeouts_do_not_use_up_attempts(
	void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	const unsigned char *ev;
	unsigned restarts = 0;
	size_t len;
	int i, rows = 0;

	(void)state;
	/* No heartbeat, a 1 s read timeout, one attempt: an idle upstream
	 * makes the stream reconnect every second, for ever. */
	db.read_timeout = 1;
	o.reconnect_attempts = 1;
	s = open_ok(&o);
	for (i = 0; i < 20 && restarts < 3; i++) {
		next_ok(s, &len);
		if (dm__binlog_stream_event_flags(s) &
		    DM__BINLOG_STREAM_RESTARTED)
			restarts++;
	}
	assert_int_equal(restarts, 3);
	assert_int_equal(dm__binlog_stream_reconnects(s), 3);
	exec_ok("INSERT INTO " TEST_DB ".t1 VALUES (400, 'idle', 0)");
	for (i = 0; i < 20 && !rows; i++) {
		ev = next_ok(s, &len);
		rows += is_write_rows(ev);
	}
	assert_int_equal(rows, 1);
	dm__binlog_stream_close(s);
}

static void test_binlog_stream__fails_without_reconnects(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	const unsigned char *ev;
	dm_error *e = NULL;
	size_t len;

	(void)state;
	o.reconnect_attempts = 0;
	o.heartbeat_ms = 100;
	s = open_ok(&o);
	next_ok(s, &len); /* fake ROTATE */
	dm__binlog_stream_inject_break(s);
	assert_int_equal(dm__binlog_stream_next(s, &ev, &len, &e),
			 DM_E_RELAY_TCP_READER_GET_EVENT);
	assert_int_equal(dm_error_server_errno(e), 2013);
	assert_true(dm_db_error_is_conn_lost(e));
	assert_int_equal(dm_error_get_scope(e), DM_ERR_SCOPE_UPSTREAM);
	assert_non_null(strstr(dm_error_message(e), "lost its connection"));
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm__binlog_stream_next(s, &ev, &len, &e), DM_E_CLOSED);
	dm_error_free(e);
	assert_int_equal(dm__binlog_stream_reconnects(s), 0);
	dm__binlog_stream_close(s);
}

/* ------------------------------------------------------------- errors */

static void assert_open_fails(const dm__binlog_stream_opts *o, int status,
			      unsigned server_errno, const char *w1,
			      const char *w2)
{
	dm__binlog_stream *s = NULL;
	dm_error *e = NULL;
	char *text;

	assert_int_equal(dm__binlog_stream_open(&s, ctx, o, &e), status);
	assert_null(s);
	assert_non_null(e);
	text = error_text(e);
	assert_int_equal(dm_error_server_errno(e), server_errno);
	assert_int_equal(dm_error_get_scope(e), DM_ERR_SCOPE_UPSTREAM);
	if (w1 && !strstr(dm_error_message(e), w1))
		fail_msg("no \"%s\" in: %s", w1, text);
	if (w2 && !strstr(dm_error_message(e), w2))
		fail_msg("no \"%s\" in: %s", w2, text);
	assert_null(strstr(text, up.password));
	assert_null(strstr(text, WRONG_PASSWORD));
	free(text);
	dm_error_free(e);
}

static void test_binlog_stream__missing_file_fails_with_1236(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	char *names[MAX_FILES];
	size_t n;

	(void)state;
	o.file = "mysql-bin.999999";
	o.pos = 4;
	assert_open_fails(&o, DM_E_RELAY_TCP_READER_START_SYNC, 1236,
			  "mysql-bin.999999",
			  "Could not find first log file name");
	/* A position past the end of an existing file. */
	n = binlog_files(names);
	o.file = names[n - 1];
	o.pos = 4000000000u;
	assert_open_fails(&o, DM_E_RELAY_TCP_READER_START_SYNC, 1236,
			  "4000000000", "impossible position");
	free_names(names, n);
	/* A GTID the binlog does not have. */
	o.file = NULL;
	o.gtid = "0-1-999999999";
	assert_open_fails(&o, DM_E_RELAY_TCP_READER_START_SYNC_GTID, 1236,
			  "0-1-999999999", "not in the master's binlog");
	/* A start that is no MariaDB GTID list: refused before the dump. */
	o.gtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5";
	{
		dm__binlog_stream *s = NULL;
		dm_error *e = NULL;

		assert_int_equal(dm__binlog_stream_open(&s, ctx, &o, &e),
				 DM_E_BINLOG_GTID_MARIADB_NOT_VALID);
		assert_null(s);
		assert_non_null(e);
		dm_error_free(e);
	}
}

static void test_binlog_stream__wrong_password_fails(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);

	(void)state;
	db.password = WRONG_PASSWORD;
	assert_open_fails(&o, DM_E_DB_CONNECT, 1045, "user 'root'", NULL);
}

static void test_binlog_stream__needs_replication_privilege(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s = NULL;
	dm_error *e = NULL;
	char *names[MAX_FILES];
	size_t n;
	int rc;

	(void)state;
	exec_ok("CREATE USER " NOREPL_USER " IDENTIFIED BY '" NOREPL_PW "'; "
		"GRANT SELECT ON *.* TO " NOREPL_USER);
	db.user = "dmtest_bs_norepl";
	db.password = NOREPL_PW;
	/* MariaDB refuses COM_REGISTER_SLAVE with 1045, MySQL with 1227. */
	n = binlog_files(names);
	o.file = names[0];
	o.pos = 4;
	rc = dm__binlog_stream_open(&s, ctx, &o, &e);
	assert_int_equal(rc, DM_E_RELAY_TCP_READER_START_SYNC);
	assert_null(s);
	assert_true(dm_error_server_errno(e) == 1045 ||
		    dm_error_server_errno(e) == 1227);
	assert_non_null(strstr(dm_error_message(e), "REPLICATION SLAVE"));
	assert_null(strstr(dm_error_message(e), NOREPL_PW));
	dm_error_free(e);
	e = NULL;
	/* Without a start, SHOW MASTER STATUS needs a privilege too. */
	o.file = NULL;
	rc = dm__binlog_stream_open(&s, ctx, &o, &e);
	assert_int_equal(rc, DM_E_NO_MASTER_STATUS);
	assert_int_equal(dm_error_server_errno(e), 1227);
	dm_error_free(e);
	free_names(names, n);
	exec_ok("DROP USER " NOREPL_USER);
}

static void test_binlog_stream__same_server_id_stops_older(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *a, *b;
	const unsigned char *ev;
	dm_error *e = NULL;
	size_t len;
	int rc = 0, i, rows = 0;

	(void)state;
	o.heartbeat_ms = 100;
	a = open_ok(&o);
	next_ok(a, &len);
	/* A second replica with our server_id: the server ends the older
	 * dump with ER_SLAVE_SAME_ID (4052), which is not retried (the two
	 * would take turns killing each other). */
	b = open_ok(&o);
	next_ok(b, &len);
	for (i = 0; i < 100; i++) {
		rc = dm__binlog_stream_next(a, &ev, &len, &e);
		if (rc)
			break;
	}
	assert_int_equal(rc, DM_E_RELAY_TCP_READER_GET_EVENT);
	assert_int_equal(dm_error_server_errno(e), 4052);
	assert_non_null(strstr(dm_error_message(e), "same server_uuid/server_id"));
	assert_int_equal(dm__binlog_stream_reconnects(a), 0);
	dm_error_free(e);
	dm__binlog_stream_close(a);
	/* The newer one goes on. */
	exec_ok("INSERT INTO " TEST_DB ".t1 VALUES (200, 'after', 0)");
	for (i = 0; i < 100 && !rows; i++) {
		ev = next_ok(b, &len);
		rows += is_write_rows(ev);
	}
	assert_int_equal(rows, 1);
	dm__binlog_stream_close(b);
}

/* ---------------------------------------------------------- semi-sync */

static unsigned long long status_value(const char *name)
{
	char sql[128], *v;
	unsigned long long n;
	MYSQL_RES *res;
	MYSQL_ROW row;

	snprintf(sql, sizeof(sql), "SHOW GLOBAL STATUS LIKE '%s'", name);
	if (mysql_query(check, sql))
		fail_msg("%s: %s", sql, mysql_error(check));
	res = mysql_store_result(check);
	assert_non_null(res);
	row = mysql_fetch_row(res);
	assert_non_null(row);
	v = row[1];
	n = strtoull(v, NULL, 10);
	mysql_free_result(res);
	return n;
}

/* Every non-artificial event equals the file's bytes that end at its
 * log_pos. */
static void assert_event_in_file(const dm__binlog_stream *s,
				 const char *file, const unsigned char *ev,
				 size_t len)
{
	unsigned char *data;
	size_t n;
	uint32_t end = ev_log_pos(ev);

	if (artificial(s) || ev_type(ev) == T_FDE)
		return;
	data = slurp(file, &n);
	assert_true(end <= n && end >= len);
	assert_memory_equal(data + end - len, ev, len);
	free(data);
}

static void test_binlog_stream__semi_sync_acks_commits(void **state)
{
	dm_db_opts db = db_opts();
	dm__binlog_stream_opts o = stream_opts(&db);
	dm__binlog_stream *s;
	writer w = { 200, { "INSERT INTO " TEST_DB ".t1 VALUES (300, 'a', 0)",
			    "INSERT INTO " TEST_DB ".t1 VALUES (301, 'b', 0)",
			    "INSERT INTO " TEST_DB ".t1 VALUES (302, 'c', 0)" },
		     0 };
	unsigned long long yes0, no0;
	const unsigned char *ev;
	char *file, start_file[256];
	uint64_t start_pos, pos;
	unsigned xids = 0;
	pthread_t th;
	size_t len;
	int i;

	(void)state;
	exec_ok("SET GLOBAL rpl_semi_sync_master_timeout = 10000");
	exec_ok("SET GLOBAL rpl_semi_sync_master_enabled = ON");
	o.semi_sync = true;
	o.heartbeat_ms = 100;
	s = open_ok(&o);
	assert_true(dm__binlog_stream_semi_sync(s));
	file = position_file(s, &start_pos);
	snprintf(start_file, sizeof(start_file), "%s", file);
	free(file);
	yes0 = status_value("Rpl_semi_sync_master_yes_tx");
	no0 = status_value("Rpl_semi_sync_master_no_tx");
	assert_int_equal(status_value("Rpl_semi_sync_master_clients"), 1);

	/* Each commit waits for our ACK, sent when we ask for the event
	 * after its XID; heartbeats keep next() returning. */
	assert_int_equal(pthread_create(&th, NULL, writer_main, &w), 0);
	for (i = 0; i < 2000 && xids < 3; i++) {
		char *f;

		f = position_file(s, &pos);
		ev = next_ok(s, &len);
		assert_event_in_file(s, f, ev, len);
		free(f);
		if (!artificial(s) && ev_type(ev) == T_XID)
			xids++;
	}
	assert_int_equal(xids, 3);
	next_ok(s, &len); /* sends the last ACK */
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(w.rc, 0);
	assert_int_equal(status_value("Rpl_semi_sync_master_yes_tx") - yes0, 3);
	assert_int_equal(status_value("Rpl_semi_sync_master_no_tx") - no0, 0);
	dm__binlog_stream_close(s);

	/* With the master side off MariaDB still sends the header to a
	 * semi-sync replica; the events are the file's all the same. */
	exec_ok("SET GLOBAL rpl_semi_sync_master_enabled = OFF");
	o = stream_opts(&db);
	o.semi_sync = true;
	o.non_blocking = true;
	o.file = start_file;
	o.pos = start_pos;
	s = open_ok(&o);
	assert_true(dm__binlog_stream_semi_sync(s));
	xids = 0;
	for (;;) {
		int rc;
		char *f = position_file(s, &pos);

		rc = dm__binlog_stream_next(s, &ev, &len, NULL);
		if (rc == DM_DONE) {
			free(f);
			break;
		}
		assert_int_equal(rc, 0);
		assert_event_in_file(s, f, ev, len);
		free(f);
		xids += !artificial(s) && ev_type(ev) == T_XID;
	}
	assert_int_equal(xids, 3);
	dm__binlog_stream_close(s);
}

/* ------------------------------------------------- a private sandbox */

typedef struct private_server {
	char dir[512];
	sandbox_server s;
	char host[64], user[64], password[128];
} private_server;

static private_server priv; /* stopped by the test or the teardown */

/* `export NAME=VALUE` with VALUE as bash's %q prints plain words. */
static void unquote(char *v)
{
	char *r = v, *w = v;

	for (; *r && *r != '\n'; r++) {
		if (*r == '\\' && r[1])
			r++;
		*w++ = *r;
	}
	*w = '\0';
}

static bool start_private(private_server *p)
{
	char line[1024];
	FILE *f;

	memset(p, 0, sizeof(*p));
	if (access(SANDBOX_SCRIPT, X_OK) != 0)
		return false;
	f = popen(SANDBOX_SCRIPT " start --no-downstream --no-tls --quiet",
		  "r");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		if (strncmp(line, "export ", 7) != 0 || !eq)
			continue;
		*eq = '\0';
		unquote(eq + 1);
		if (strcmp(line + 7, "DM_SANDBOX_DIR") == 0)
			snprintf(p->dir, sizeof(p->dir), "%s", eq + 1);
		else if (strcmp(line + 7, "DM_UPSTREAM1_PORT") == 0)
			p->s.port = (unsigned)strtoul(eq + 1, NULL, 10);
		else if (strcmp(line + 7, "DM_UPSTREAM1_PASSWORD") == 0)
			snprintf(p->password, sizeof(p->password), "%s",
				 eq + 1);
	}
	if (pclose(f) != 0 || !p->dir[0] || !p->s.port || !p->password[0])
		return false;
	snprintf(p->host, sizeof(p->host), "127.0.0.1");
	snprintf(p->user, sizeof(p->user), "root");
	p->s.host = p->host;
	p->s.user = p->user;
	p->s.password = p->password;
	return true;
}

static void stop_private(private_server *p)
{
	char cmd[700];

	if (!p->dir[0])
		return;
	snprintf(cmd, sizeof(cmd), SANDBOX_SCRIPT " stop --quiet '%s'",
		 p->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not stop the private sandbox %s\n",
			p->dir);
	p->dir[0] = '\0';
}

static void stop_private_server(void)
{
	stop_private(&priv);
}

static void test_binlog_stream__purged_file_fails_with_1236(void **state)
{
	private_server *p = &priv;
	dm_db_opts db = DM_DB_OPTS_INIT;
	dm__binlog_stream_opts o;
	dm__binlog_stream *s;
	MYSQL *m;
	const unsigned char *ev;
	size_t len;

	(void)state;
	if (!start_private(p))
		fail_msg("cannot start a private sandbox with " SANDBOX_SCRIPT);
	m = sandbox_connect(&p->s, NULL);
	assert_non_null(m);
	assert_int_equal(sandbox_exec(m, "CREATE DATABASE d; "
				      "CREATE TABLE d.t (a INT); "
				      "INSERT INTO d.t VALUES (1); "
				      "FLUSH BINARY LOGS; "
				      "INSERT INTO d.t VALUES (2); "
				      "FLUSH BINARY LOGS; "
				      "INSERT INTO d.t VALUES (3); "
				      "PURGE BINARY LOGS TO 'mysql-bin.000003'"),
			 0);
	db.host = p->s.host;
	db.port = p->s.port;
	db.user = p->s.user;
	db.password = p->s.password;
	db.scope = DM_ERR_SCOPE_UPSTREAM;
	o = stream_opts(&db);
	o.file = "mysql-bin.000001";
	o.pos = 4;
	o.non_blocking = true;
	assert_open_fails(&o, DM_E_RELAY_TCP_READER_START_SYNC, 1236,
			  "mysql-bin.000001",
			  "Could not find first log file name");
	/* What is left streams. */
	o.file = "mysql-bin.000003";
	s = open_ok(&o);
	while (dm__binlog_stream_next(s, &ev, &len, NULL) == 0)
		;
	dm__binlog_stream_close(s);
	mysql_close(m);
	stop_private(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binlog_stream__matches_binlog_files),
		cmocka_unit_test(test_binlog_stream__streams_over_verified_tls),
		cmocka_unit_test(test_binlog_stream__starts_at_later_position),
		cmocka_unit_test(test_binlog_stream__starts_at_gtid),
		cmocka_unit_test(test_binlog_stream__blocking_waits_for_new_events),
		cmocka_unit_test(test_binlog_stream__heartbeats_arrive),
		cmocka_unit_test(test_binlog_stream__reconnects_after_kill),
		cmocka_unit_test(test_binlog_stream__resumes_mid_transaction),
		cmocka_unit_test(
			test_binlog_stream__resumes_mid_transaction_by_gtid),
		cmocka_unit_test(
			test_binlog_stream__idle_timeouts_do_not_use_up_attempts),
		cmocka_unit_test(test_binlog_stream__fails_without_reconnects),
		cmocka_unit_test(test_binlog_stream__missing_file_fails_with_1236),
		cmocka_unit_test(test_binlog_stream__wrong_password_fails),
		cmocka_unit_test(test_binlog_stream__needs_replication_privilege),
		cmocka_unit_test(test_binlog_stream__same_server_id_stops_older),
		cmocka_unit_test(test_binlog_stream__semi_sync_acks_commits),
		cmocka_unit_test(test_binlog_stream__purged_file_fails_with_1236),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("binlog_stream", tests, group_setup,
					   group_teardown);
}
