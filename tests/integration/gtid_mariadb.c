/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/gtid against a real MariaDB: transactions in several domains and
 * under several server ids are tracked GTID by GTID (@@last_gtid) and the
 * result must agree with what the server reports: @@gtid_binlog_state,
 * @@gtid_binlog_pos, @@gtid_current_pos, BINLOG_GTID_POS(), the
 * GTID_LIST event the server writes at the head of a new binlog file (read
 * from the file and decoded), and SHOW BINLOG EVENTS. The position we
 * format is set as the downstream's gtid_slave_pos and read back.
 *
 * The upstream's binlog keeps what this test writes: domains 0 and 5,
 * server ids 101 (its own) and 77.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-gtid_mariadb
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/gtid.h"
#include "dm/util.h"
#include "sandbox/sandbox.h"

#define TEST_DB "dmtest_gtid"
static sandbox_server up, down;
static MYSQL *um, *dm;

static void exec_ok(MYSQL *m, const char *sql)
{
	if (sandbox_exec(m, "%s", sql) != 0)
		fail_msg("%s: %s", sql, mysql_error(m));
}

/* First column of the first row; "" for NULL or no row. */
static char *value(MYSQL *m, const char *sql)
{
	char *v = sandbox_query_value(m, sql, NULL);

	if (mysql_errno(m))
		fail_msg("%s: %s", sql, mysql_error(m));
	if (!v) {
		v = strdup("");
		assert_non_null(v);
	}
	return v;
}

static dm_gtid_set *parse_set(const char *text)
{
	dm_gtid_set *s = NULL;
	dm_error *e = NULL;

	if (dm_gtid_set_parse(&s, DM_GTID_MARIADB, text, strlen(text), &e))
		fail_msg("parse [%s]: %s", text, dm_error_message(e));
	return s;
}

static dm_gtid_set *server_set(MYSQL *m, const char *sql)
{
	char *v = value(m, sql);
	dm_gtid_set *s = parse_set(v);

	free(v);
	return s;
}

static char *text_of(const dm_gtid_set *s, bool position)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(position ? dm_gtid_set_format_position(&b, s)
				  : dm_gtid_set_format(&b, s),
			 0);
	return dm_buf_detach(&b);
}

static void assert_same(const dm_gtid_set *a, const dm_gtid_set *b,
			const char *what)
{
	if (!dm_gtid_set_equal(a, b)) {
		char *ta = text_of(a, false), *tb = text_of(b, false);

		fail_msg("%s: [%s] != [%s]", what, ta, tb);
	}
}

/* Runs one autocommit statement (or a whole transaction) and adds the
 * GTID the server gave it to `tracked`. */
static void run_tracked(dm_gtid_set *tracked, const char *sql)
{
	char *last;
	dm_gtid g;
	dm_error *e = NULL;

	exec_ok(um, sql);
	last = value(um, "SELECT @@last_gtid");
	if (dm_gtid_parse(&g, DM_GTID_MARIADB, last, strlen(last), &e))
		fail_msg("@@last_gtid [%s]: %s", last, dm_error_message(e));
	assert_false(dm_gtid_set_contains_gtid(tracked, &g));
	assert_int_equal(dm_gtid_set_add(tracked, &g, NULL), 0);
	assert_true(dm_gtid_set_contains_gtid(tracked, &g));
	free(last);
}

static int group_setup(void **state)
{
	(void)state;
	if (sandbox_upstream(1, &up) != 0 || sandbox_downstream(&down) != 0)
		return -1;
	um = sandbox_connect(&up, NULL);
	dm = sandbox_connect(&down, NULL);
	if (!um || !dm)
		return -1;
	return sandbox_exec(um, "DROP DATABASE IF EXISTS " TEST_DB
				"; CREATE DATABASE " TEST_DB
				"; CREATE TABLE " TEST_DB ".t (id INT "
				"AUTO_INCREMENT PRIMARY KEY, v INT)")
		       ? -1
		       : 0;
}

static int group_teardown(void **state)
{
	(void)state;
	sandbox_exec(um, "DROP DATABASE IF EXISTS " TEST_DB);
	mysql_close(um);
	mysql_close(dm);
	return 0;
}

static void test_gtid_mariadb__tracked_gtids_match_server_state(void **state)
{
	dm_gtid_set *s0, *s1, *tracked, *expect, *diff, *pos, *cur, *ours;
	dm_gtid_set *fn_pos;
	char *p, *file, *offset, *sql;
	int i;

	(void)state;
	s0 = server_set(um, "SELECT @@gtid_binlog_state");
	pos = server_set(um, "SELECT @@gtid_binlog_pos");
	assert_true(dm_gtid_set_contains(s0, pos));
	dm_gtid_set_free(pos);
	assert_int_equal(dm_gtid_set_new(&tracked, DM_GTID_MARIADB, NULL), 0);

	/* Domain 0 under the server's own id, then domain 5, then other
	 * server ids in both domains, then back. */
	for (i = 0; i < 3; i++)
		run_tracked(tracked, "INSERT INTO " TEST_DB ".t (v) VALUES (1)");
	exec_ok(um, "SET SESSION gtid_domain_id = 5");
	run_tracked(tracked, "INSERT INTO " TEST_DB ".t (v) VALUES (2)");
	run_tracked(tracked, "UPDATE " TEST_DB ".t SET v = v + 1");
	exec_ok(um, "SET SESSION server_id = 77");
	run_tracked(tracked, "INSERT INTO " TEST_DB ".t (v) VALUES (3)");
	exec_ok(um, "SET SESSION gtid_domain_id = 0");
	run_tracked(tracked, "INSERT INTO " TEST_DB ".t (v) VALUES (4)");
	exec_ok(um, "SET SESSION server_id = @@global.server_id");
	run_tracked(tracked, "BEGIN; INSERT INTO " TEST_DB ".t (v) VALUES (5); "
			     "INSERT INTO " TEST_DB ".t (v) VALUES (6); COMMIT");
	run_tracked(tracked, "CREATE TABLE " TEST_DB ".t2 (a INT)");
	/* The server's state is the old state plus what we tracked. */
	s1 = server_set(um, "SELECT @@gtid_binlog_state");
	assert_int_equal(dm_gtid_set_clone(&expect, s0, NULL), 0);
	assert_int_equal(dm_gtid_set_union(expect, tracked, NULL), 0);
	assert_same(s1, expect, "binlog state vs old state + tracked");
	assert_true(dm_gtid_set_contains(s1, s0));
	assert_true(dm_gtid_set_contains(s1, tracked));
	assert_false(dm_gtid_set_contains(s0, s1));
	/* What is new since s0 is exactly what we tracked. */
	assert_int_equal(dm_gtid_set_clone(&diff, s1, NULL), 0);
	assert_int_equal(dm_gtid_set_subtract(diff, s0, NULL), 0);
	assert_same(diff, tracked, "state - old state vs tracked");

	/* Positions: one GTID per domain. */
	pos = server_set(um, "SELECT @@gtid_binlog_pos");
	p = text_of(s1, true);
	ours = parse_set(p);
	assert_same(ours, pos, "our position vs @@gtid_binlog_pos");
	{
		char *t = text_of(s1, false);

		fprintf(stderr, "integ-gtid_mariadb: state [%s], position [%s]\n",
			t, p);
		free(t);
	}
	assert_true(dm_gtid_set_contains(s1, pos));
	cur = server_set(um, "SELECT @@gtid_current_pos");
	assert_true(dm_gtid_set_contains(pos, cur));
	/* BINLOG_GTID_POS at the end of the current binlog. */
	{
		MYSQL_RES *res;
		MYSQL_ROW row;

		assert_int_equal(mysql_query(um, "SHOW MASTER STATUS"), 0);
		res = mysql_store_result(um);
		assert_non_null(res);
		row = mysql_fetch_row(res);
		assert_non_null(row);
		file = strdup(row[0]);
		offset = strdup(row[1]);
		mysql_free_result(res);
	}
	assert_true(asprintf(&sql, "SELECT BINLOG_GTID_POS('%s', %s)", file,
			     offset) > 0);
	fn_pos = server_set(um, sql);
	assert_same(fn_pos, pos, "BINLOG_GTID_POS vs @@gtid_binlog_pos");
	free(sql);
	free(file);
	free(offset);

	dm_gtid_set_free(fn_pos);
	dm_gtid_set_free(cur);
	dm_gtid_set_free(ours);
	free(p);
	dm_gtid_set_free(pos);
	dm_gtid_set_free(diff);
	dm_gtid_set_free(expect);
	dm_gtid_set_free(s1);
	dm_gtid_set_free(tracked);
	dm_gtid_set_free(s0);
}

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* A new binlog file starts with a GTID_LIST of the whole binlog state:
 * read it from the file, decode it, and compare with the state and with
 * the server's own rendering in SHOW BINLOG EVENTS. */
static void test_gtid_mariadb__gtid_list_event_holds_binlog_state(
	void **state)
{
	dm_gtid_set *st, *list = NULL, *shown;
	char *datadir, *path, *file, *info = NULL;
	MYSQL_RES *res;
	MYSQL_ROW row;
	FILE *f;
	unsigned char *buf;
	size_t n, pos = 4;
	long size;
	unsigned flags = 99;
	bool found = false;

	(void)state;
	exec_ok(um, "FLUSH BINARY LOGS");
	st = server_set(um, "SELECT @@gtid_binlog_state");
	assert_false(dm_gtid_set_is_empty(st));
	assert_int_equal(mysql_query(um, "SHOW MASTER STATUS"), 0);
	res = mysql_store_result(um);
	row = mysql_fetch_row(res);
	assert_non_null(row);
	file = strdup(row[0]);
	mysql_free_result(res);
	datadir = value(um, "SELECT @@datadir");
	assert_true(asprintf(&path, "%s/%s", datadir, file) > 0);

	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 4);
	rewind(f);
	buf = malloc((size_t)size);
	assert_non_null(buf);
	n = fread(buf, 1, (size_t)size, f);
	fclose(f);
	assert_int_equal(n, (size_t)size);
	assert_memory_equal(buf, "\xfe" "bin", 4);
	/* The sandbox writes CRC32 checksums: 4 bytes after each body. */
	while (n - pos >= 19) {
		uint32_t ev = rd32(buf + pos + 9);

		assert_true(ev >= 19 + 4 && ev <= n - pos);
		if (buf[pos + 4] == 163) {
			size_t used = 0;
			dm_error *e = NULL;

			if (dm_gtid_set_decode_mariadb(&list, &flags,
						       buf + pos + 19,
						       ev - 19 - 4, &used, &e))
				fail_msg("GTID_LIST: %s", dm_error_message(e));
			found = true;
			break;
		}
		pos += ev;
	}
	assert_true(found);
	assert_int_equal(flags, 0);
	assert_same(list, st, "GTID_LIST event vs @@gtid_binlog_state");

	free(path);
	assert_true(asprintf(&path, "SHOW BINLOG EVENTS IN '%s'", file) > 0);
	assert_int_equal(mysql_query(um, path), 0);
	res = mysql_store_result(um);
	assert_non_null(res);
	while ((row = mysql_fetch_row(res)) != NULL) {
		if (row[2] && strcmp(row[2], "Gtid_list") == 0) {
			info = strdup(row[5]);
			break;
		}
	}
	mysql_free_result(res);
	assert_non_null(info);
	/* Info is "[0-101-5,5-77-3]". */
	assert_true(info[0] == '[' && info[strlen(info) - 1] == ']');
	info[strlen(info) - 1] = '\0';
	shown = parse_set(info + 1);
	assert_same(shown, list, "SHOW BINLOG EVENTS Gtid_list vs decoded");

	free(info);
	free(path);
	free(datadir);
	free(file);
	free(buf);
	dm_gtid_set_free(shown);
	dm_gtid_set_free(list);
	dm_gtid_set_free(st);
}

/* Our position form is what gtid_slave_pos takes; the full state with two
 * servers in one domain is not. */
static void test_gtid_mariadb__position_is_accepted_as_gtid_slave_pos(
	void **state)
{
	dm_gtid_set *st, *back, *want;
	char *old, *text, *full, *sql;

	(void)state;
	st = server_set(um, "SELECT @@gtid_binlog_state");
	text = text_of(st, true);
	full = text_of(st, false);
	want = parse_set(text);
	old = value(dm, "SELECT @@global.gtid_slave_pos");

	assert_true(asprintf(&sql, "SET GLOBAL gtid_slave_pos = '%s'", text) > 0);
	exec_ok(dm, sql);
	free(sql);
	back = server_set(dm, "SELECT @@global.gtid_slave_pos");
	assert_same(back, want, "gtid_slave_pos read back");
	dm_gtid_set_free(back);
	if (strcmp(full, text) != 0) {
		/* Two GTIDs of one domain: the server refuses. */
		assert_true(asprintf(&sql, "SET GLOBAL gtid_slave_pos = '%s'",
				     full) > 0);
		assert_int_not_equal(mysql_query(dm, sql), 0);
		free(sql);
	}
	assert_true(asprintf(&sql, "SET GLOBAL gtid_slave_pos = '%s'", old) > 0);
	exec_ok(dm, sql);
	free(sql);

	free(old);
	free(full);
	free(text);
	dm_gtid_set_free(want);
	dm_gtid_set_free(st);
}

/* The server's own parser and ours agree on accepted spellings and on the
 * largest numbers (set on the downstream, which has no binlog to keep
 * them). */
static void test_gtid_mariadb__server_and_parser_agree_on_spellings(
	void **state)
{
	static const char *const texts[] = {
		"0-1-2", "00-001-0002", "1-2-3,0-1-5", "0-1-5,1-1-1,2-1-1",
		"4294967295-4294967295-18446744073709551615", "7-0-0",
	};
	size_t i;
	char *old;

	(void)state;
	old = value(dm, "SELECT @@global.gtid_slave_pos");
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *sql;
		dm_gtid_set *mine = parse_set(texts[i]), *theirs;

		assert_true(asprintf(&sql, "SET GLOBAL gtid_slave_pos = '%s'",
				     texts[i]) > 0);
		exec_ok(dm, sql);
		free(sql);
		theirs = server_set(dm, "SELECT @@global.gtid_slave_pos");
		assert_same(theirs, mine, texts[i]);
		dm_gtid_set_free(theirs);
		dm_gtid_set_free(mine);
	}
	{
		char *sql;

		assert_true(asprintf(&sql, "SET GLOBAL gtid_slave_pos = '%s'",
				     old) > 0);
		exec_ok(dm, sql);
		free(sql);
	}
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtid_mariadb__tracked_gtids_match_server_state),
		cmocka_unit_test(test_gtid_mariadb__gtid_list_event_holds_binlog_state),
		cmocka_unit_test(test_gtid_mariadb__position_is_accepted_as_gtid_slave_pos),
		cmocka_unit_test(test_gtid_mariadb__server_and_parser_agree_on_spellings),
	};

	sandbox_require();
	return cmocka_run_group_tests_name("gtid_mariadb", tests, group_setup,
					   group_teardown);
}
