/* SPDX-License-Identifier: Apache-2.0 */
#include "check_test.h"

#include <stdio.h>
#include <string.h>

#include "dm/util.h"
#include "util/alloc.h"

void check_test_item(dm__check_item *it, dm__check_key key)
{
	assert_int_equal(dm__check_item_init(it, key, NULL, NULL, NULL, NULL),
			 0);
	assert_int_equal(it->pub.state, DM_CHECK_SUCCESS);
}

void check_test_has_error(const dm__check_item *it, dm_check_state severity,
			  const char *frag)
{
	size_t i;

	for (i = 0; i < it->pub.nerrors; i++)
		if (it->pub.errors[i].severity == severity &&
		    strstr(it->pub.errors[i].short_error, frag))
			return;
	for (i = 0; i < it->pub.nerrors; i++)
		fprintf(stderr, "  error %zu (%d): %s\n", i,
			(int)it->pub.errors[i].severity,
			it->pub.errors[i].short_error);
	fail_msg("no error of severity %d with [%s]", (int)severity, frag);
}

dm_sql_stmt *check_test_parse(const char *sql)
{
	dm_sql_parse_opts o = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_stmt *st = NULL;
	dm_error *e = NULL;

	if (dm_sql_parse(&st, sql, strlen(sql), &o, &e) != 0) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE);
		fail_msg("parse [%s]: %s", sql, b.data);
	}
	return st;
}

int check_test_reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

int main(void)
{
	int failed = 0;

	failed += check_test_grants_group();
	failed += check_test_privs_group();
	failed += check_test_json_group();
	failed += check_test_plan_group();
	failed += check_test_eval_group();
	failed += check_test_tables_group();
	failed += check_test_alloc_group();
	return failed ? 1 : 0;
}
