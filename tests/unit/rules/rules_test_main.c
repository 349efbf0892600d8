/* SPDX-License-Identifier: Apache-2.0 */
#include "rules_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

dm_rules_opts rules_test_opts(bool case_sensitive)
{
	dm_rules_opts o = DM_RULES_OPTS_INIT;

	o.case_sensitive = case_sensitive;
	return o;
}

int rules_test_code(int status)
{
	return -status;
}

void rules_test_clear(dm_error **err)
{
	dm_error_free(*err);
	*err = NULL;
}

bool rules_test_msg_has(const dm_error *err, const char *needle)
{
	return err && strstr(dm_error_message(err), needle) != NULL;
}

dm_ba_decision rules_test_ba(const dm_ba_list *ba, const char *schema,
			     const char *table)
{
	dm_ba_decision d;
	dm_error *err = NULL;

	memset(&d, 0xA5, sizeof(d));
	assert_int_equal(dm_ba_list_check(&d, ba, schema, table, &err), 0);
	assert_null(err);
	return d;
}

dm_filter_decision rules_test_filter(const dm_event_filter *f,
				     const char *schema, const char *table,
				     dm_filter_event ev, const char *sql)
{
	dm_filter_decision d;
	dm_error *err = NULL;

	memset(&d, 0xA5, sizeof(d));
	assert_int_equal(dm_event_filter_check(&d, f, schema, table, ev, sql,
					       sql ? strlen(sql) : 0, &err),
			 0);
	assert_null(err);
	return d;
}

void rules_test_route(const dm_router *r, const char *schema,
		      const char *table, const char *want_schema,
		      const char *want_table)
{
	dm_route_result res;
	dm_error *err = NULL;
	int rc;

	rc = dm_router_route(&res, r, schema, table, &err);
	if (rc) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
		print_error("route %s.%s: %s\n", schema, table, b.data);
		dm_buf_free(&b);
	}
	assert_int_equal(rc, 0);
	assert_string_equal(res.schema, want_schema);
	assert_string_equal(res.table, want_table);
}

int main(void)
{
	int failed = 0;

	failed += rules_test_selector_group();
	failed += rules_test_balist_group();
	failed += rules_test_filter_group();
	failed += rules_test_router_group();
	failed += rules_test_builtin_group();
	failed += rules_test_robust_group();
	return failed ? 1 : 0;
}
