/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/checkpoint without a server: locations (set, order, text), the
 * libdm form of table_info and its round trip through a schema tracker,
 * and argument checks of the store's calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "checkpoint/checkpoint_int.h"
#include "dm/dm.h"
#include "util/alloc.h"

static dm_location loc(const char *file, uint64_t pos, uint32_t row)
{
	dm_location l = DM_LOCATION_INIT;

	assert_int_equal(dm_location_set(&l, file, pos, row, NULL), 0);
	return l;
}

static int cmp(const char *fa, uint64_t pa, uint32_t ra, const char *fb,
	       uint64_t pb, uint32_t rb)
{
	dm_location a = loc(fa, pa, ra), b = loc(fb, pb, rb);
	int c = dm_location_compare(&a, &b), r = dm_location_compare(&b, &a);

	/* Antisymmetric, always. */
	assert_int_equal(c < 0, r > 0);
	assert_int_equal(c == 0, r == 0);
	return c;
}

/* ------------------------------------------------------------ locations */

static void test_checkpoint__location_set_copies_and_checks_length(void **s)
{
	dm_location l = DM_LOCATION_INIT;
	dm_error *e = NULL;
	char name[DM_LOCATION_FILE_MAX + 2];

	(void)s;
	assert_int_equal(dm_location_set(&l, "mysql-bin.000003", 4231, 2,
					 NULL), 0);
	assert_string_equal(l.file, "mysql-bin.000003");
	assert_int_equal(l.pos, 4231);
	assert_int_equal(l.row, 2);

	memset(name, 'a', DM_LOCATION_FILE_MAX);
	name[DM_LOCATION_FILE_MAX] = '\0';
	assert_int_equal(dm_location_set(&l, name, 1, 0, NULL), 0);
	assert_int_equal(strlen(l.file), DM_LOCATION_FILE_MAX);

	name[DM_LOCATION_FILE_MAX] = 'a';
	name[DM_LOCATION_FILE_MAX + 1] = '\0';
	assert_int_equal(dm_location_set(&l, name, 1, 0, &e),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_error_status(e), DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	/* The old value is kept. */
	assert_int_equal(strlen(l.file), DM_LOCATION_FILE_MAX);

	assert_int_equal(dm_location_set(NULL, "x", 1, 0, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_location_set(&l, NULL, 1, 0, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_location_set(&l, "", 0, 0, NULL), 0);
	assert_string_equal(l.file, "");
}

static void test_checkpoint__location_orders_files_by_number(void **s)
{
	(void)s;
	assert_true(cmp("mysql-bin.000009", 900, 0, "mysql-bin.000010", 4,
			0) < 0);
	assert_true(cmp("mysql-bin.999999", 4, 0, "mysql-bin.1000000", 4,
			0) < 0);
	/* Leading zeros do not change the number; then the bytes decide. */
	assert_true(cmp("mysql-bin.9", 4, 0, "mysql-bin.000010", 4, 0) < 0);
	assert_true(cmp("mysql-bin.0010", 4, 0, "mysql-bin.010", 4, 0) != 0);
	assert_int_equal(cmp("mysql-bin.000010", 4, 0, "mysql-bin.000010", 4,
			     0), 0);
	/* Base names first (as go-mysql), then the number. */
	assert_true(cmp("a-bin.000009", 4, 0, "b-bin.000001", 4, 0) < 0);
	assert_true(cmp("mysql-bin.000002", 4, 0, "mysqld-bin.000001", 4,
			0) < 0);
}

static void test_checkpoint__location_names_without_number(void **s)
{
	(void)s;
	assert_int_equal(cmp("binlog", 4, 0, "binlog", 4, 0), 0);
	assert_true(cmp("binlog", 4, 0, "binlog", 5, 0) < 0);
	assert_true(cmp("abc", 100, 0, "abd", 4, 0) < 0);
	/* A name without an extension is before the numbered ones. */
	assert_true(cmp("binlog", 900, 0, "binlog.000001", 4, 0) < 0);
	/* A non-numeric extension is part of the name. */
	assert_true(cmp("binlog.abc", 4, 0, "binlog.abd", 4, 0) < 0);
	assert_true(cmp("binlog.", 4, 0, "binlog.1", 4, 0) != 0);
	assert_true(cmp("x.1.2", 4, 0, "x.1.10", 4, 0) < 0);
}

static void test_checkpoint__location_relay_suffixes(void **s)
{
	(void)s;
	/* Both with a suffix: the whole name, sub-directory first. */
	assert_true(cmp("mysql-bin|000001.000003", 4, 0,
			"mysql-bin|000002.000001", 4, 0) < 0);
	assert_true(cmp("mysql-bin|000002.000009", 4, 0,
			"mysql-bin|000002.000010", 4, 0) < 0);
	assert_int_equal(cmp("mysql-bin|000002.000010", 7, 1,
			     "mysql-bin|000002.000010", 7, 1), 0);
	/* One with, one without: the real names. */
	assert_int_equal(cmp("mysql-bin|000001.000003", 100, 0,
			     "mysql-bin.000003", 100, 0), 0);
	assert_true(cmp("mysql-bin|000009.000003", 100, 0,
			"mysql-bin.000003", 101, 0) < 0);
	assert_true(cmp("mysql-bin|000001.000004", 4, 0, "mysql-bin.000003",
			900, 0) > 0);
	assert_true(cmp("mysql-bin.000002", 4, 0, "mysql-bin|000001.000003",
			4, 0) < 0);
}

static void test_checkpoint__location_empty_first_then_pos_then_row(void **s)
{
	dm_location e = DM_LOCATION_INIT, a = loc("a.000001", 4, 0);

	(void)s;
	assert_true(dm_location_compare(&e, &a) < 0);
	assert_true(dm_location_compare(&a, &e) > 0);
	assert_true(dm_location_compare(NULL, &a) < 0);
	assert_int_equal(dm_location_compare(NULL, &e), 0);
	assert_int_equal(dm_location_compare(NULL, NULL), 0);
	assert_true(cmp("", 0, 0, "", 4, 0) < 0);
	assert_true(cmp("", 1000, 9, "!", 0, 0) < 0);

	assert_true(cmp("m.000001", 4, 9, "m.000001", 5, 0) < 0);
	assert_true(cmp("m.000001", 5, 1, "m.000001", 5, 2) < 0);
	assert_int_equal(cmp("m.000001", 5, 2, "m.000001", 5, 2), 0);
	assert_true(cmp("m.000001", UINT64_MAX, 0, "m.000002", 0, 0) < 0);
}

static void test_checkpoint__location_format_is_dms(void **s)
{
	dm_buf b = DM_BUF_INIT;
	dm_location l = loc("mysql-bin.000003", 4231, 7);
	dm_location e = DM_LOCATION_INIT;

	(void)s;
	assert_int_equal(dm_buf_puts(&b, "at "), 0);
	assert_int_equal(dm_location_format(&b, &l), 0);
	assert_string_equal(b.data, "at (mysql-bin.000003, 4231)");
	dm_buf_clear(&b);
	assert_int_equal(dm_location_format(&b, &e), 0);
	assert_string_equal(b.data, "(, 0)");
	assert_int_equal(dm_location_format(NULL, &l), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_location_format(&b, NULL), DM_E_INVALID_ARGUMENT);
	dm_buf_free(&b);
}

/* ------------------------------------------------------------ table_info */

static char *get_create(const char *json, int want)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm__cp_json_get_create(&b, json, strlen(json)), want);
	if (want != 0) {
		assert_int_equal(b.len, 0);
		dm_buf_free(&b);
		return NULL;
	}
	return b.data ? dm_buf_detach(&b) : strdup("");
}

static void test_checkpoint__json_escapes_and_reads_back(void **s)
{
	static const char sql[] =
		"CREATE TABLE `t\"q` (\n  `a` int(11) COMMENT 'x\\y\t\x01',"
		"\r\n  `\xE4\xB8\xAD` varchar(3) DEFAULT '\"' /* \x1f */\n)";
	dm_buf b = DM_BUF_INIT;
	char *back;

	(void)s;
	assert_int_equal(dm__cp_json_put_create(&b, sql, strlen(sql)), 0);
	assert_null(strchr(b.data, '\n'));
	assert_null(strchr(b.data, '\t'));
	assert_non_null(strstr(b.data, "\\u0001"));
	assert_non_null(strstr(b.data, "\\u001f"));
	assert_non_null(strstr(b.data, "\xE4\xB8\xAD"));
	assert_memory_equal(b.data, "{\"libdm-create-table\":\"", 23);
	back = get_create(b.data, 0);
	assert_string_equal(back, sql);
	free(back);
	dm_buf_free(&b);
}

static void test_checkpoint__json_reads_what_a_server_rewrites(void **s)
{
	char *v;

	(void)s;
	/* MySQL reformats JSON columns: spaces, key order, \u escapes. */
	v = get_create(" { \"a\" : [1, -2.5e+3, true, false, null, {\"b\":{}}],"
		       " \"libdm-create-table\" : \"CREATE\\u0020TABLE"
		       " \\\"x\\\"\\/\\ud83d\\ude00\\u00e9\\n\" } ", 0);
	assert_string_equal(v, "CREATE TABLE \"x\"/\xF0\x9F\x98\x80\xC3\xA9\n");
	free(v);
	v = get_create("{\"libdm-create-table\":\"\"}", 0);
	assert_string_equal(v, "");
	free(v);
}

static void test_checkpoint__json_anything_else_is_not_ours(void **s)
{
	static const char *const others[] = {
		"null",
		"",
		"   ",
		"[]",
		"{}",
		"\"libdm-create-table\"",
		"{\"id\":45,\"name\":{\"O\":\"t\",\"L\":\"t\"},\"charset\":"
		"\"utf8mb4\",\"cols\":[{\"id\":1,\"name\":{\"O\":\"a\"}}]}",
		"{\"libdm-create-table\":1}",
		"{\"libdm-create-table\":null}",
		"{\"x\":{\"libdm-create-table\":\"CREATE TABLE t (a int)\"}}",
		"{\"libdm-create-table\":\"CREATE TABLE t (a int)\"",
		"{\"libdm-create-table\":\"CREATE TABLE t (a int)\"} x",
		"{\"libdm-create-table\":\"bad \\x escape\"}",
		"{\"libdm-create-table\":\"lone \\udc00\"}",
		"{\"libdm-create-table\":\"half \\ud800 pair\"}",
		"{\"libdm-create-table\":\"raw \n newline\"}",
		"{\"libdm-create-table\" \"no colon\"}",
		"{\"a\":1,}",
		"{\"a\":01x}",
		"{\"a\":tru}",
	};
	char deep[400];
	size_t i;

	(void)s;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		get_create(others[i], DM_DONE);
	/* Nesting is bounded: a deep document is refused, not recursed. */
	memset(deep, '[', sizeof(deep));
	memcpy(deep, "{\"a\":", 5);
	deep[sizeof(deep) - 1] = '\0';
	get_create(deep, DM_DONE);
	assert_int_equal(dm__cp_json_get_create(NULL, NULL, 0), DM_DONE);
}

static dm_schema_tracker *tracker(void)
{
	dm_schema_tracker *tr = NULL;

	assert_int_equal(dm_schema_tracker_new(&tr, NULL, NULL), 0);
	return tr;
}

static char *create_of(const dm_schema_tracker *tr, const char *schema,
		       const char *table)
{
	const dm_schema_table *t = dm_schema_tracker_get(tr, schema, table);
	dm_buf b = DM_BUF_INIT;

	assert_non_null(t);
	assert_int_equal(dm_schema_table_create_sql(&b, t, NULL), 0);
	return dm_buf_detach(&b);
}

static void test_checkpoint__table_schema_round_trips_tables(void **s)
{
	static const char *const ddl[] = {
		"CREATE TABLE db.gen (id INT PRIMARY KEY, a INT, "
		"b INT AS (a * 2) VIRTUAL, c VARCHAR(10) AS (CONCAT(a, 'x')) "
		"STORED, KEY kb (b))",
		"CREATE TABLE db.cs (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,"
		" n VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_bin "
		"NOT NULL DEFAULT 'it''s', u TEXT CHARACTER SET utf8mb4, "
		"PRIMARY KEY (id), UNIQUE KEY un (n(5), id)) "
		"DEFAULT CHARSET=utf8mb4 COMMENT='a \"quoted\" comment\\n'",
		"CREATE TABLE db.es (e ENUM('a','b''c','\xC3\xA9') NOT NULL, "
		"s SET('x','y') DEFAULT 'x,y', d DECIMAL(10,3) ZEROFILL, "
		"t TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE "
		"CURRENT_TIMESTAMP, UNIQUE KEY ue (e, s), KEY kd (d DESC)) "
		"CHARSET=latin1",
		"CREATE TABLE `we``ird \xE4\xB8\xAD`.`ta ble` (`c``1` INT)",
	};
	static const char *const names[][2] = {
		{ "db", "gen" }, { "db", "cs" }, { "db", "es" },
		{ "we`ird \xE4\xB8\xAD", "ta ble" },
	};
	dm_schema_tracker *src = tracker(), *dst = tracker();
	size_t i;

	(void)s;
	for (i = 0; i < sizeof(ddl) / sizeof(ddl[0]); i++)
		assert_int_equal(dm_schema_tracker_apply(src, ddl[i],
							 strlen(ddl[i]), "db",
							 NULL), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *orig = create_of(src, names[i][0], names[i][1]), *back;
		dm_buf info = DM_BUF_INIT;

		assert_int_equal(dm__cp_json_put_create(&info, orig,
							strlen(orig)), 0);
		assert_int_equal(dm_checkpoint_table_schema(dst, names[i][0],
							    names[i][1],
							    info.data, NULL),
				 0);
		back = create_of(dst, names[i][0], names[i][1]);
		assert_string_equal(back, orig);
		free(back);
		free(orig);
		dm_buf_free(&info);
	}
	dm_schema_tracker_free(src);
	dm_schema_tracker_free(dst);
}

static void test_checkpoint__table_schema_other_forms_are_done(void **s)
{
	dm_schema_tracker *tr = tracker();
	dm_error *e = NULL;

	(void)s;
	assert_int_equal(dm_checkpoint_table_schema(tr, "db", "t", "null",
						    NULL), DM_DONE);
	assert_int_equal(dm_checkpoint_table_schema(tr, "db", "t", NULL,
						    NULL), DM_DONE);
	assert_int_equal(dm_checkpoint_table_schema(
				 tr, "db", "t",
				 "{\"id\":3,\"name\":{\"O\":\"t\",\"L\":\"t\"}}",
				 NULL), DM_DONE);
	assert_null(dm_schema_tracker_get(tr, "db", "t"));
	/* Ours, but not a CREATE TABLE: the tracker's error. */
	assert_int_equal(dm_checkpoint_table_schema(
				 tr, "db", "t",
				 "{\"libdm-create-table\":\"DROP TABLE t\"}",
				 &e),
			 DM_E_SCHEMA_TRACKER_INVALID_CREATE_TABLE_STMT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_checkpoint_table_schema(NULL, "db", "t", "null",
						    NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_table_schema(tr, NULL, "t", "null",
						    NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_table_schema(tr, "db", NULL, "null",
						    NULL),
			 DM_E_INVALID_ARGUMENT);
	dm_schema_tracker_free(tr);
}

static void test_checkpoint__json_survives_allocation_failures(void **s)
{
	static const char json[] =
		"{\"k\":[1,2],\"libdm-create-table\":\"CREATE TABLE t (a int)"
		" /* a long enough statement to need more than one buffer "
		"growth step, and then some more text */\"}";
	long n;
	int rc;

	(void)s;
	for (n = 0;; n++) {
		dm_buf b = DM_BUF_INIT;

		dm__alloc_fail_after(n);
		rc = dm__cp_json_get_create(&b, json, strlen(json));
		dm__alloc_fail_after(-1);
		dm_buf_free(&b);
		if (rc == 0)
			break;
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_true(n < 1000);
	}
	for (n = 0;; n++) {
		dm_buf b = DM_BUF_INIT;

		dm__alloc_fail_after(n);
		rc = dm__cp_json_put_create(&b, json, strlen(json));
		dm__alloc_fail_after(-1);
		dm_buf_free(&b);
		if (rc == 0)
			break;
		assert_int_equal(rc, DM_E_NO_MEMORY);
		assert_true(n < 1000);
	}
}

/* ------------------------------------------------------- argument checks */

static void test_checkpoint__store_calls_check_arguments(void **s)
{
	dm_checkpoint_opts o = DM_CHECKPOINT_OPTS_INIT;
	dm_checkpoint *cp = (dm_checkpoint *)&o; /* must be reset */
	dm_location l = loc("m.000001", 4, 0);
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)s;
	assert_int_equal(dm_checkpoint_open(&cp, NULL, &o, &e),
			 DM_E_INVALID_ARGUMENT);
	assert_null(cp);
	assert_int_equal(dm_error_status(e), DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_checkpoint_open(NULL, NULL, &o, NULL),
			 DM_E_INVALID_ARGUMENT);

	/* Nothing here reaches a server: the options are checked first. */
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, &o, NULL),
			 DM_E_INVALID_ARGUMENT); /* no task */
	o.task = "t";
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, &o, NULL),
			 DM_E_INVALID_ARGUMENT); /* no source */
	o.source_id = "123456789012345678901234567890123";
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, &o, &e),
			 DM_E_INVALID_ARGUMENT); /* 33 bytes */
	assert_non_null(strstr(dm_error_message(e), "32 bytes"));
	dm_error_free(e);
	e = NULL;
	o.source_id = "";
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, &o, NULL),
			 DM_E_INVALID_ARGUMENT);
	o.source_id = "mysql-01";
	o.task = "";
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, &o, NULL),
			 DM_E_INVALID_ARGUMENT);
	o.task = "t";
	o.meta_schema = "";
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, &o, NULL),
			 DM_E_INVALID_ARGUMENT);
	o.meta_schema = NULL;
	o.version = 0;
	assert_int_equal(dm_checkpoint_open(&cp, (dm_db *)&b, &o, NULL),
			 DM_E_INVALID_ARGUMENT);

	/* Calls on a NULL store. */
	dm_checkpoint_free(NULL);
	assert_false(dm_checkpoint_global(NULL, &l, NULL));
	assert_false(dm_checkpoint_safe_exit(NULL, &l, NULL));
	assert_null(dm_checkpoint_table_info(NULL, "a", "b"));
	assert_int_equal(dm_checkpoint_ntables(NULL), 0);
	assert_int_equal(dm_checkpoint_table_at(NULL, 0, NULL, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_queues(NULL), 0);
	assert_false(dm_checkpoint_queue(NULL, 0, &l));
	assert_int_equal(dm_checkpoint_queue_sql(&b, NULL, 0, 1, &l, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(b.len, 0);
	assert_int_equal(dm_checkpoint_flush(NULL, NULL, &l, NULL, NULL, NULL,
					     NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_delete_table(NULL, NULL, "a", NULL,
						    NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_clear_queues(NULL, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_remove_meta(NULL, NULL, "t", NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_remove_meta((dm_db *)&b, NULL, NULL,
						   NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_remove_meta((dm_db *)&b, "", "t",
						   NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_checkpoint_remove_meta((dm_db *)&b, NULL, "",
						   NULL),
			 DM_E_INVALID_ARGUMENT);
	dm_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_checkpoint__location_set_copies_and_checks_length),
		cmocka_unit_test(
			test_checkpoint__location_orders_files_by_number),
		cmocka_unit_test(
			test_checkpoint__location_names_without_number),
		cmocka_unit_test(test_checkpoint__location_relay_suffixes),
		cmocka_unit_test(
			test_checkpoint__location_empty_first_then_pos_then_row),
		cmocka_unit_test(test_checkpoint__location_format_is_dms),
		cmocka_unit_test(test_checkpoint__json_escapes_and_reads_back),
		cmocka_unit_test(
			test_checkpoint__json_reads_what_a_server_rewrites),
		cmocka_unit_test(
			test_checkpoint__json_anything_else_is_not_ours),
		cmocka_unit_test(
			test_checkpoint__table_schema_round_trips_tables),
		cmocka_unit_test(
			test_checkpoint__table_schema_other_forms_are_done),
		cmocka_unit_test(
			test_checkpoint__json_survives_allocation_failures),
		cmocka_unit_test(test_checkpoint__store_calls_check_arguments),
	};

	return cmocka_run_group_tests_name("checkpoint", tests, NULL, NULL);
}
