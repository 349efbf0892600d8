/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The result as DM prints it: field order and omitted empty fields, Go's
 * string escaping, MarshalIndent's tabs, the --error/--warn cut, the
 * check-task message and the 26005 error.
 */
#include "check_test.h"

#include <stdlib.h>
#include <string.h>

#include "dm/util.h"

static void push(dm__vec *items, dm__check_item *it)
{
	assert_int_equal(dm__vec_push(items, it), 0);
}

/* version ok, binlog_format failing, table_schema warning. */
static dm_check_result *sample(long err_limit, long warn_limit)
{
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	dm_check_result *res = NULL;
	dm__check_item it;

	assert_int_equal(dm__check_item_init(&it, DM__CHECK_VERSION, NULL, NULL,
					     "address of db instance - "
					     "127.0.0.1:3306",
					     "s1"),
			 0);
	push(&items, &it);
	assert_int_equal(dm__check_item_init(&it, DM__CHECK_BINLOG_FORMAT, NULL,
					     NULL,
					     "address of db instance - "
					     "127.0.0.1:3306",
					     "s1"),
			 0);
	assert_int_equal(dm__check_eval_binlog_format(&it, "STATEMENT"), 0);
	push(&items, &it);
	check_test_item(&it, DM__CHECK_TABLE_SCHEMA);
	assert_int_equal(dm__check_item_error(&it, DM_CHECK_WARN, NULL, NULL,
					      "see <docs> & \"fix\"",
					      "table %s <x>", "`a`.`b`"),
			 0);
	push(&items, &it);
	assert_int_equal(dm__check_result_new(&res, &items, true, err_limit,
					      warn_limit),
			 0);
	assert_int_equal(items.len, 0);
	dm__vec_free(&items);
	return res;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char *json(const dm_check_result *res, unsigned flags)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_check_result_json(&b, res, flags), 0);
	return dm_buf_detach(&b);
}

static void test_check__json_compact_shape(void **state)
{
	dm_check_result *res = sample(10, 10);
	char *got = json(res, 0);

	(void)state;
	assert_string_equal(
		got,
		"{\"results\":[{\"id\":1,\"name\":\"mysql_binlog_format\","
		"\"desc\":\"check whether mysql binlog_format is ROW\","
		"\"state\":\"fail\",\"errors\":[{\"severity\":\"fail\","
		"\"short_error\":\"binlog_format is STATEMENT, and should be "
		"ROW\"}],\"instruction\":\"please execute 'set global "
		"binlog_format=ROW;'\",\"extra\":\"address of db instance - "
		"127.0.0.1:3306\"},{\"id\":2,\"name\":\"table structure "
		"compatibility check\",\"desc\":\"check compatibility of table "
		"structure\",\"state\":\"warn\",\"errors\":[{\"severity\":"
		"\"warn\",\"short_error\":\"table `a`.`b` \\u003cx\\u003e\","
		"\"instruction\":\"see \\u003cdocs\\u003e \\u0026 "
		"\\\"fix\\\"\"}]}],\"summary\":{\"passed\":false,\"total\":3,"
		"\"successful\":1,\"failed\":1,\"warning\":1}}");
	free(got);
	dm_check_result_free(res);
}

static void test_check__json_indent_is_go_marshal_indent(void **state)
{
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	dm_check_result *res = NULL;
	dm__check_item it;
	char *got;

	(void)state;
	check_test_item(&it, DM__CHECK_SERVER_ID);
	assert_int_equal(dm__check_eval_server_id(&it, true, "0"), 0);
	push(&items, &it);
	assert_int_equal(dm__check_result_new(&res, &items, true, 10, 10), 0);
	dm__vec_free(&items);
	got = json(res, DM_CHECK_JSON_INDENT);
	assert_string_equal(got,
			    "{\n"
			    "\t\t\"results\": [\n"
			    "\t\t\t{\n"
			    "\t\t\t\t\"id\": 0,\n"
			    "\t\t\t\t\"name\": \"mysql_server_id\",\n"
			    "\t\t\t\t\"desc\": \"check whether mysql server_id "
			    "has been set \\u003e 1\",\n"
			    "\t\t\t\t\"state\": \"fail\",\n"
			    "\t\t\t\t\"errors\": [\n"
			    "\t\t\t\t\t{\n"
			    "\t\t\t\t\t\t\"severity\": \"fail\",\n"
			    "\t\t\t\t\t\t\"short_error\": \"server_id is 0\"\n"
			    "\t\t\t\t\t}\n"
			    "\t\t\t\t],\n"
			    "\t\t\t\t\"instruction\": \"please set server_id "
			    "greater than 0\"\n"
			    "\t\t\t}\n"
			    "\t\t],\n"
			    "\t\t\"summary\": {\n"
			    "\t\t\t\"passed\": false,\n"
			    "\t\t\t\"total\": 1,\n"
			    "\t\t\t\"successful\": 0,\n"
			    "\t\t\t\"failed\": 1,\n"
			    "\t\t\t\"warning\": 0\n"
			    "\t\t}\n"
			    "\t}");
	free(got);
	dm_check_result_free(res);
}

static void test_check__json_escapes_like_go(void **state)
{
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	dm_check_result *res = NULL;
	dm__check_item it;
	const char *tail;
	char *got;

	(void)state;
	check_test_item(&it, DM__CHECK_TABLE_SCHEMA);
	assert_int_equal(dm__check_item_error(
				 &it, DM_CHECK_FAIL, NULL, NULL, NULL, "%s",
				 "q\" b\\ n\n r\r t\t \b \f \x01 \x1f \x7f "
				 "\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9 "
				 "\xf0\x9f\x98\x80 bad\xff \xc3 \xed\xa0\x80"),
			 0);
	push(&items, &it);
	assert_int_equal(dm__check_result_new(&res, &items, true, -1, -1), 0);
	dm__vec_free(&items);
	got = json(res, 0);
	tail = strstr(got, "\"short_error\":");
	assert_non_null(tail);
	assert_memory_equal(
		tail,
		"\"short_error\":\"q\\\" b\\\\ n\\n r\\r t\\t \\b \\f \\u0001 "
		"\\u001f \x7f \xc3\xa9 \\u2028 \\u2029 \xf0\x9f\x98\x80 "
		"bad\\ufffd \\ufffd \\ufffd\\ufffd\\ufffd\"}",
		strlen("\"short_error\":\"q\\\" b\\\\ n\\n r\\r t\\t \\b \\f "
		       "\\u0001 \\u001f \x7f \xc3\xa9 \\u2028 \\u2029 "
		       "\xf0\x9f\x98\x80 bad\\ufffd \\ufffd "
		       "\\ufffd\\ufffd\\ufffd\"}"));
	free(got);
	dm_check_result_free(res);
}

static void test_check__json_empty_and_all_items(void **state)
{
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	dm_check_result *res = NULL;
	dm__check_item it;
	char *got;

	(void)state;
	check_test_item(&it, DM__CHECK_VERSION);
	push(&items, &it);
	assert_int_equal(dm__check_result_new(&res, &items, true, 10, 10), 0);
	dm__vec_free(&items);
	got = json(res, 0);
	assert_string_equal(got, "{\"results\":[],\"summary\":{\"passed\":true,"
				 "\"total\":1,\"successful\":1,\"failed\":0,"
				 "\"warning\":0}}");
	free(got);
	got = json(res, DM_CHECK_JSON_INDENT);
	assert_string_equal(got, "{\n\t\t\"results\": [],\n\t\t\"summary\": {\n"
				 "\t\t\t\"passed\": true,\n\t\t\t\"total\": 1,\n"
				 "\t\t\t\"successful\": 1,\n\t\t\t\"failed\": 0,"
				 "\n\t\t\t\"warning\": 0\n\t\t}\n\t}");
	free(got);
	got = json(res, DM_CHECK_JSON_ALL);
	assert_string_equal(got, "{\"results\":[{\"id\":0,\"name\":"
				 "\"mysql_version\",\"desc\":\"check whether "
				 "mysql version is satisfied\",\"state\":"
				 "\"success\"}],\"summary\":{\"passed\":true,"
				 "\"total\":1,\"successful\":1,\"failed\":0,"
				 "\"warning\":0}}");
	free(got);
	dm_check_result_free(res);
}

static void test_check__report_cut_to_limits(void **state)
{
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	dm_check_result *res = NULL;
	const dm_check_item *rep;
	dm_check_summary sum;
	dm__check_item it;
	size_t n;
	int i;

	(void)state;
	/* item 0: 3 failures; item 1: 2 warnings and a failure; item 2: a
	 * failure without errors; item 3: success. */
	check_test_item(&it, DM__CHECK_TABLE_SCHEMA);
	for (i = 0; i < 3; i++)
		assert_int_equal(dm__check_item_error(&it, DM_CHECK_FAIL, NULL,
						      NULL, NULL, "f%d", i),
				 0);
	push(&items, &it);
	check_test_item(&it, DM__CHECK_TABLE_SCHEMA);
	assert_int_equal(dm__check_item_error(&it, DM_CHECK_WARN, NULL, NULL,
					      NULL, "w0"),
			 0);
	assert_int_equal(dm__check_item_error(&it, DM_CHECK_FAIL, NULL, NULL,
					      NULL, "f3"),
			 0);
	assert_int_equal(dm__check_item_error(&it, DM_CHECK_WARN, NULL, NULL,
					      NULL, "w1"),
			 0);
	push(&items, &it);
	check_test_item(&it, DM__CHECK_VERSION);
	it.pub.state = DM_CHECK_FAIL;
	push(&items, &it);
	check_test_item(&it, DM__CHECK_VERSION);
	push(&items, &it);

	/* --error 2 --warn 1: f0 f1 of item 0, w0 of item 1, item 2 gone. */
	assert_int_equal(dm__check_result_new(&res, &items, true, 2, 1), 0);
	dm__vec_free(&items);
	dm_check_result_summary(&sum, res);
	assert_false(sum.passed);
	assert_int_equal(sum.total, 4);
	assert_int_equal(sum.failed, 3);
	assert_int_equal(sum.warning, 0);
	assert_int_equal(sum.successful, 1);
	rep = dm_check_result_items(res, DM_CHECK_ITEMS_REPORTED, &n);
	assert_int_equal(n, 2);
	assert_int_equal(rep[0].id, 0);
	assert_int_equal(rep[0].nerrors, 2);
	assert_string_equal(rep[0].errors[0].short_error, "f0");
	assert_string_equal(rep[0].errors[1].short_error, "f1");
	assert_int_equal(rep[1].id, 1);
	assert_int_equal(rep[1].nerrors, 1);
	assert_string_equal(rep[1].errors[0].short_error, "w0");
	/* The full list is untouched. */
	rep = dm_check_result_items(res, DM_CHECK_ITEMS_ALL, &n);
	assert_int_equal(n, 4);
	assert_int_equal(rep[0].nerrors, 3);
	assert_int_equal(rep[1].nerrors, 3);
	assert_string_equal(rep[0].item, "table_schema");
	dm_check_result_free(res);
}

static void test_check__report_unlimited_and_zero(void **state)
{
	dm_check_result *res = sample(0, 0);
	size_t n;

	(void)state;
	dm_check_result_items(res, DM_CHECK_ITEMS_REPORTED, &n);
	assert_int_equal(n, 0);
	dm_check_result_free(res);
	res = sample(-1, -1);
	dm_check_result_items(res, DM_CHECK_ITEMS_REPORTED, &n);
	assert_int_equal(n, 2);
	dm_check_result_free(res);
	/* Only the warning fits. */
	res = sample(0, 1);
	assert_string_equal(dm_check_result_items(res, DM_CHECK_ITEMS_REPORTED,
						   &n)[0].name,
			    "table structure compatibility check");
	assert_int_equal(n, 1);
	dm_check_result_free(res);
}

static void test_check__message_and_error_follow_dm(void **state)
{
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	dm_check_result *res = sample(10, 10);
	dm_buf msg = DM_BUF_INIT, j = DM_BUF_INIT, f = DM_BUF_INIT;
	dm__check_item it;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_int_equal(dm_check_result_json(&j, res, DM_CHECK_JSON_INDENT),
			 0);
	assert_true(starts_with(msg.data,
				"fail to check synchronization configuration "
				"with type: check was failed, please see "
				"detail\n detail: {\n\t\t\"results\": ["));
	assert_string_equal(msg.data + strlen(msg.data) - j.len, j.data);
	assert_int_equal(dm_check_result_error(res, &e),
			 DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	assert_int_equal(dm_error_code(e), 26005);
	assert_non_null(strstr(dm_error_message(e), msg.data));
	assert_int_equal(dm_error_format(&f, e, 0), 0);
	assert_true(starts_with(f.data, "[code=26005:class=task-check:"));
	dm_error_free(e);
	dm_check_result_free(res);

	/* Warnings only: passed, a message but no error. */
	check_test_item(&it, DM__CHECK_TABLE_SCHEMA);
	assert_int_equal(dm__check_item_error(&it, DM_CHECK_WARN, NULL, NULL,
					      NULL, "w"),
			 0);
	push(&items, &it);
	assert_int_equal(dm__check_result_new(&res, &items, true, 10, 10), 0);
	dm_buf_clear(&msg);
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_true(starts_with(msg.data,
				"fail to check synchronization configuration "
				"with type: no errors but some warnings\n "
				"detail: {"));
	e = NULL;
	assert_int_equal(dm_check_result_error(res, &e), 0);
	assert_null(e);
	dm_check_result_free(res);

	/* All passed. */
	check_test_item(&it, DM__CHECK_VERSION);
	push(&items, &it);
	assert_int_equal(dm__check_result_new(&res, &items, true, 10, 10), 0);
	dm_buf_clear(&msg);
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_string_equal(msg.data, "pre-check is passed. ");
	dm_check_result_free(res);

	/* Nothing checked ("all" ignored). */
	assert_int_equal(dm__check_result_new(&res, &items, false, 10, 10), 0);
	dm_buf_clear(&msg);
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_int_equal(msg.len, 0);
	assert_int_equal(dm_check_result_error(res, NULL), 0);
	dm_check_result_free(res);
	dm__vec_free(&items);
	dm_buf_free(&msg);
	dm_buf_free(&j);
	dm_buf_free(&f);
}

int check_test_json_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check__json_compact_shape),
		cmocka_unit_test(test_check__json_indent_is_go_marshal_indent),
		cmocka_unit_test(test_check__json_escapes_like_go),
		cmocka_unit_test(test_check__json_empty_and_all_items),
		cmocka_unit_test(test_check__report_cut_to_limits),
		cmocka_unit_test(test_check__report_unlimited_and_zero),
		cmocka_unit_test(test_check__message_and_error_follow_dm),
	};

	return cmocka_run_group_tests_name("check_json", tests, NULL, NULL);
}
