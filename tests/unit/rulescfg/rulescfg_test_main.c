/* SPDX-License-Identifier: Apache-2.0 */
#include "rulescfg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fail_with(const char *what, const dm_error *err)
{
	dm_buf b = DM_BUF_INIT;

	dm_cfg_error_format(&b, err);
	print_error("%s: %s\n", what, b.data ? b.data : "?");
	dm_buf_free(&b);
	fail();
}

dm_cfg_task *rct_task(const char *yaml)
{
	dm_cfg_task *t = NULL;
	dm_error *err = NULL;

	if (dm_cfg_task_parse(&t, yaml, strlen(yaml), "task.yaml", &err))
		fail_with("task", err);
	return t;
}

dm_cfg_source *rct_source(const char *yaml)
{
	dm_cfg_source *s = NULL;
	dm_error *err = NULL;

	if (dm_cfg_source_parse(&s, yaml, strlen(yaml), "source.yaml", &err))
		fail_with("source", err);
	return s;
}

dm_cfg_task *rct_task_file(const char *rel)
{
	char path[4096];
	const char *root = getenv("DM_SRC_DIR");
	dm_cfg_task *t = NULL;
	dm_error *err = NULL;

	snprintf(path, sizeof(path), "%s/tests/data/cfg/%s",
		 root && *root ? root : ".", rel);
	if (dm_cfg_task_load_file(&t, path, &err))
		fail_with(path, err);
	return t;
}

dm_rule_set *rct_rules(const dm_cfg_task *t, const char *source_id,
		       const dm_cfg_source *s)
{
	dm_rule_set *rs = NULL;
	dm_error *err = NULL;

	if (dm_rule_set_new(&rs, t, source_id, s, &err))
		fail_with("rule set", err);
	assert_non_null(rs);
	return rs;
}

static dm_buf last_why = DM_BUF_INIT;

const char *rct_decide(dm_rule_decision *d, const dm_rule_set *rs,
		       const char *schema, const char *table,
		       const char *event, const char *sql)
{
	dm_filter_event ev = DM_FILTER_EVENT_UNSPECIFIED;
	dm_error *err = NULL;
	int rc;

	assert_int_equal(dm_filter_event_parse(&ev, event, NULL), 0);
	dm_buf_free(&last_why);
	memset(d, 0xA5, sizeof(*d));
	rc = dm_rule_set_decide(d, &last_why, rs, schema, table, ev, sql,
				sql ? strlen(sql) : 0, &err);
	if (rc)
		fail_with("decide", err);
	assert_non_null(last_why.data);
	return last_why.data;
}

void rct_migrates(const dm_rule_set *rs, const char *schema,
		  const char *table, const char *event, const char *sql,
		  const char *want_schema, const char *want_table,
		  const char *want_why)
{
	dm_rule_decision d;
	const char *why = rct_decide(&d, rs, schema, table, event, sql);

	if (!d.migrate)
		print_error("%s.%s %s: filtered: %s\n", schema,
			    table ? table : "", event, why);
	assert_true(d.migrate);
	assert_int_equal(d.step, DM_RULE_STEP_NONE);
	assert_string_equal(d.target_schema, want_schema);
	assert_string_equal(d.target_table, want_table);
	assert_string_equal(why, want_why);
}

void rct_filters(const dm_rule_set *rs, const char *schema,
		 const char *table, const char *event, const char *sql,
		 dm_rule_step want_step, const char *want_why)
{
	dm_rule_decision d;
	const char *why = rct_decide(&d, rs, schema, table, event, sql);

	if (d.migrate)
		print_error("%s.%s %s: migrates to %s.%s: %s\n", schema,
			    table ? table : "", event, d.target_schema,
			    d.target_table, why);
	assert_false(d.migrate);
	assert_int_equal(d.step, want_step);
	assert_null(d.target_schema);
	assert_null(d.target_table);
	assert_string_equal(why, want_why);
}

int main(void)
{
	int failed = 0;

	failed += rulescfg_test_decide_group();
	failed += rulescfg_test_errors_group();
	dm_buf_free(&last_why);
	return failed ? 1 : 0;
}
