/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What dm_rule_set reports: the instance it cannot choose, rules the
 * compiled objects refuse (named by the file, line and column the
 * configuration gave them), ambiguous routes, bad arguments, and every
 * allocation failure.
 */
#include "rulescfg_test.h"

#include <string.h>

#include "util/alloc.h"

#define TARGET                                                              \
	"target-database:\n"                                                \
	"  host: \"127.0.0.1\"\n"                                          \
	"  port: 4000\n"                                                    \
	"  user: \"root\"\n"

static const char two_sources[] =
	"name: two\n"
	"task-mode: all\n" TARGET
	"routes:\n"
	"  any-t:\n"
	"    schema-pattern: \"a*\"\n"
	"    table-pattern: \"t*\"\n"
	"    target-schema: \"x\"\n"
	"  ab-t1:\n"
	"    schema-pattern: \"ab\"\n"
	"    table-pattern: \"t1\"\n"
	"    target-schema: \"y\"\n"
	"  a-schema:\n"
	"    schema-pattern: \"a*\"\n"
	"    target-schema: \"x\"\n"
	"  ab-schema:\n"
	"    schema-pattern: \"ab\"\n"
	"    target-schema: \"y\"\n"
	"mysql-instances:\n"
	"  - source-id: \"mysql-01\"\n"
	"    route-rules: [\"any-t\", \"ab-t1\", \"a-schema\", \"ab-schema\"]\n"
	"  - source-id: \"mysql-02\"\n";

/* The error's line for people, as a tool prints it. */
static const char *formatted(const dm_error *err)
{
	static dm_buf b = DM_BUF_INIT;

	dm_buf_free(&b);
	if (!err)
		return "";
	assert_int_equal(dm_cfg_error_format(&b, err), 0);
	return b.data;
}

static void expect_error(const dm_error *err, int code, const char *text)
{
	const char *got = formatted(err);

	if (!err || dm_error_code(err) != code || !strstr(got, text))
		print_error("want code %d with \"%s\", got %s\n", code, text,
			    got);
	assert_non_null(err);
	assert_int_equal(dm_error_code(err), code);
	assert_non_null(strstr(got, text));
}

static void test_rulescfg__chooses_the_instance(void **state)
{
	dm_cfg_task *t = rct_task(two_sources);
	dm_cfg_source *s;
	dm_rule_set *rs = NULL;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_rule_set_new(&rs, t, NULL, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	assert_null(rs);
	expect_error(err, 11902,
		     "task.yaml: the task has 2 mysql-instances; name one of: "
		     "mysql-01, mysql-02");
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_rule_set_new(&rs, t, "mysql-03", NULL, &err),
			 DM_E_CONFIG_MYSQL_INST_NOT_FOUND);
	expect_error(err, 20012,
		     "task.yaml: no mysql-instances entry has source-id "
		     "\"mysql-03\" (the task has: mysql-01, mysql-02)");
	dm_error_free(err);
	err = NULL;

	/* A source file names the instance... */
	s = rct_source("source-id: \"mysql-02\"\n"
		       "from:\n"
		       "  host: \"127.0.0.1\"\n"
		       "  user: \"root\"\n");
	rs = rct_rules(t, NULL, s);
	assert_string_equal(dm_rule_set_source_id(rs), "mysql-02");
	dm_rule_set_free(rs);
	rs = NULL;
	/* ...and must not contradict the id given. */
	assert_int_equal(dm_rule_set_new(&rs, t, "mysql-01", s, &err),
			 DM_E_INVALID_ARGUMENT);
	expect_error(err, 11902,
		     "source.yaml: the source configuration is for source "
		     "\"mysql-02\", not \"mysql-01\"");
	dm_error_free(err);
	dm_cfg_source_free(s);
	dm_cfg_task_free(t);
}

/* Two matching rules at the deciding level: the error names both, where
 * they were written. */
static void test_rulescfg__ambiguous_route_names_the_rules(void **state)
{
	dm_cfg_task *t = rct_task(two_sources);
	dm_rule_set *rs = rct_rules(t, "mysql-01", NULL);
	dm_rule_decision d;
	dm_buf why = DM_BUF_INIT;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_buf_puts(&why, "kept"), 0);
	assert_int_equal(dm_rule_set_decide(&d, &why, rs, "ab", "t1",
					    DM_FILTER_EVENT_INSERT, NULL, 0,
					    &err),
			 DM_E_GEN_TABLE_ROUTER);
	assert_false(d.migrate);
	assert_string_equal(why.data, "kept");
	expect_error(err, 11043,
		     "`ab`.`t1` matches several table-level route rules: "
		     "\"any-t\" (task.yaml:8:3), \"ab-t1\" (task.yaml:12:3); "
		     "a table may match only one");
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_rule_set_decide(&d, NULL, rs, "ab", NULL,
					    DM_FILTER_EVENT_CREATE_DATABASE,
					    NULL, 0, &err),
			 DM_E_GEN_TABLE_ROUTER);
	expect_error(err, 11043,
		     "`ab`.`` matches several schema-level route rules: "
		     "\"a-schema\" (task.yaml:16:3), \"ab-schema\" "
		     "(task.yaml:19:3)");
	dm_error_free(err);
	/* One table-level match decides over the schema-level ones. */
	rct_migrates(rs, "ab", "t2", "insert", NULL, "x", "t2",
		     "route any-t");
	rct_migrates(rs, "ac", "", "", NULL, "x", "", "route a-schema");
	dm_buf_free(&why);
	dm_rule_set_free(rs);
	dm_cfg_task_free(t);
}

/* Records the configuration parser would refuse, built by hand: the
 * compiled objects refuse them too, and the error points at the rule. */
static void test_rulescfg__compile_errors_point_at_the_rule(void **state)
{
	dm_cfg_task *t = rct_task(two_sources);
	const dm_cfg_instance *orig = t->mysql_instances[0];
	dm_cfg_instance inst = *orig;
	const dm_cfg_instance *insts[1] = { &inst };
	dm_cfg_task task = *t;
	dm_cfg_route routes[5];
	const dm_cfg_route *route_ptrs[5];
	static const char *const bad_events[] = { "replace" };
	static const char *const good_events[] = { "insert" };
	dm_cfg_filter filters[4];
	const dm_cfg_filter *filter_ptrs[4];
	static const char *const empty_db[] = { "app", "" };
	dm_cfg_ba_list ba;
	dm_rule_set *rs = NULL;
	dm_error *err = NULL;
	size_t i;

	(void)state;
	task.mysql_instances = insts;
	task.n_mysql_instances = 1;

	/* Routes: the fourth repeats the patterns of the second. */
	for (i = 0; i < 5; i++) {
		memset(&routes[i], 0, sizeof(routes[i]));
		routes[i].name = i == 3 ? "again" : "r";
		routes[i].pos = (dm_cfg_pos){ (unsigned)(30 + i), 3 };
		routes[i].schema_pattern = i == 3 ? "s1" : i == 0 ? "s0" :
					   i == 1 ? "s1" : i == 2 ? "s2" : "s4";
		routes[i].table_pattern = "";
		routes[i].target_schema = "x";
		routes[i].target_table = "";
		route_ptrs[i] = &routes[i];
	}
	inst.routes = route_ptrs;
	inst.n_route_rules = 5;
	assert_int_equal(dm_rule_set_new(&rs, &task, NULL, NULL, &err),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	assert_null(rs);
	expect_error(err, 20045, "task.yaml:33:3: route rule \"again\": ");
	dm_error_free(err);
	err = NULL;
	/* A rule without a target schema. */
	routes[3].schema_pattern = "s3";
	routes[3].target_schema = "";
	assert_int_equal(dm_rule_set_new(&rs, &task, NULL, NULL, &err),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	expect_error(err, 20045,
		     "task.yaml:33:3: route rule \"again\": target-schema "
		     "must not be empty [code=20045");
	dm_error_free(err);
	err = NULL;
	inst = *orig;

	/* Filters: the third lists an event DM does not know. */
	for (i = 0; i < 4; i++) {
		memset(&filters[i], 0, sizeof(filters[i]));
		filters[i].name = i == 2 ? "odd" : "f";
		filters[i].pos = (dm_cfg_pos){ (unsigned)(50 + i), 5 };
		filters[i].schema_pattern = "app";
		filters[i].table_pattern = "";
		filters[i].events = i == 2 ? bad_events : good_events;
		filters[i].n_events = 1;
		filters[i].action = DM_CFG_FILTER_ACTION_IGNORE;
		filter_ptrs[i] = &filters[i];
	}
	inst.filters = filter_ptrs;
	inst.n_filter_rules = 4;
	assert_int_equal(dm_rule_set_new(&rs, &task, NULL, NULL, &err),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	expect_error(err, 20037,
		     "task.yaml:52:5: filter rule \"odd\": event type "
		     "\"replace\" not found [code=20037");
	dm_error_free(err);
	err = NULL;
	inst = *orig;

	/* A block/allow list with an empty schema name. */
	memset(&ba, 0, sizeof(ba));
	ba.name = "lists";
	ba.pos = (dm_cfg_pos){ 70, 3 };
	ba.do_dbs = empty_db;
	ba.n_do_dbs = 2;
	inst.ba_list = &ba;
	assert_int_equal(dm_rule_set_new(&rs, &task, NULL, NULL, &err),
			 DM_E_CONFIG_GEN_BA_LIST);
	expect_error(err, 20044,
		     "task.yaml:70:3: block-allow-list \"lists\": block-allow "
		     "list do-dbs[1]: schema name must not be empty");
	dm_error_free(err);
	dm_cfg_task_free(t);
}

/* A source file's filter is named by its place in that file. */
static void test_rulescfg__source_filter_errors_point_into_the_source(void **state)
{
	dm_cfg_task *t = rct_task(two_sources);
	dm_cfg_source *parsed = rct_source("source-id: \"mysql-02\"\n"
					   "from:\n"
					   "  host: \"127.0.0.1\"\n"
					   "  user: \"root\"\n");
	dm_cfg_source s = *parsed;
	static const char *const bad_events[] = { "all dml", "upsert" };
	dm_cfg_filter f[2];
	const dm_cfg_filter *fp[2] = { &f[0], &f[1] };
	dm_rule_set *rs = NULL;
	dm_error *err = NULL;

	(void)state;
	memset(f, 0, sizeof(f));
	f[0].name = "";
	f[0].pos = (dm_cfg_pos){ 7, 5 };
	f[0].schema_pattern = "app";
	f[0].table_pattern = "";
	f[0].events = bad_events;
	f[0].n_events = 1;
	f[0].action = DM_CFG_FILTER_ACTION_DO;
	f[1] = f[0];
	f[1].pos = (dm_cfg_pos){ 11, 5 };
	f[1].n_events = 2;
	s.filters = fp;
	s.n_filters = 2;
	assert_int_equal(dm_rule_set_new(&rs, t, NULL, &s, &err),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	expect_error(err, 20037,
		     "source.yaml:11:5: source filters[1]: event type "
		     "\"upsert\" not found");
	dm_error_free(err);
	dm_cfg_source_free(parsed);
	dm_cfg_task_free(t);
}

static void test_rulescfg__rejects_bad_arguments(void **state)
{
	dm_cfg_task *t = rct_task(two_sources);
	dm_rule_set *rs = NULL;
	dm_rule_decision d;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_rule_set_new(NULL, t, NULL, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_rule_set_new(&rs, NULL, NULL, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_null(rs);
	rs = rct_rules(t, "mysql-02", NULL);
	assert_int_equal(dm_rule_set_decide(&d, NULL, rs, NULL, "t",
					    DM_FILTER_EVENT_INSERT, NULL, 0,
					    NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_rule_set_decide(&d, NULL, NULL, "s", "t",
					    DM_FILTER_EVENT_INSERT, NULL, 0,
					    NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_rule_set_decide(&d, NULL, rs, "s", "t",
					    DM_FILTER_EVENT_INSERT, NULL, 3,
					    NULL),
			 DM_E_INVALID_ARGUMENT);
	/* Group names describe rules, not events. */
	assert_int_equal(dm_rule_set_decide(&d, NULL, rs, "s", "t",
					    DM_FILTER_EVENT_ALL_DML, NULL, 0,
					    &err),
			 DM_E_INVALID_ARGUMENT);
	assert_non_null(strstr(dm_error_message(err), "not a binlog event"));
	dm_error_free(err);
	assert_null(dm_rule_set_source_id(NULL));
	assert_false(dm_rule_set_case_sensitive(NULL));
	dm_rule_set_free(NULL);
	dm_rule_set_free(rs);
	dm_cfg_task_free(t);
}

/* Every allocation of building and deciding may fail: the failure is
 * DM_E_NO_MEMORY, nothing leaks, and the explanation buffer is as it
 * was. */
static void test_rulescfg__survives_every_allocation_failure(void **state)
{
	dm_cfg_task *t = rct_task_file("good/dm-task-advanced.yaml");
	dm_cfg_task *amb = rct_task(two_sources);
	bool done = false;
	long n;

	(void)state;
	for (n = 0; !done && n < 100000; n++) {
		dm_rule_set *rs = NULL, *rs2 = NULL;
		dm_rule_decision d;
		dm_buf why = DM_BUF_INIT;
		dm_error *err = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = dm_rule_set_new(&rs, t, "mysql-replica-01", NULL, &err);
		if (rc == 0)
			rc = dm_rule_set_new(&rs2, amb, "mysql-01", NULL,
					     &err);
		if (rc == 0)
			rc = dm_rule_set_decide(&d, &why, rs, "test_1", "t_2",
						DM_FILTER_EVENT_INSERT, NULL,
						0, &err);
		if (rc == 0)
			rc = dm_rule_set_decide(&d, &why, rs, "user", "log",
						DM_FILTER_EVENT_INSERT, NULL,
						0, &err);
		if (rc == 0) {
			rc = dm_rule_set_decide(&d, &why, rs2, "ab", "t1",
						DM_FILTER_EVENT_INSERT, NULL,
						0, &err);
			assert_true(rc == DM_E_GEN_TABLE_ROUTER ||
				    rc == DM_E_NO_MEMORY);
			if (rc == DM_E_GEN_TABLE_ROUTER) {
				rc = 0;
				dm_error_free(err);
				err = NULL;
			}
		}
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			assert_string_equal(why.data,
					    "block-allow-list bw-rule-1: do-tables "
					    "~^test.*.~^t.*; filter rule "
					    "filter-rule-2 (Do); route "
					    "route-rule-1"
					    "block-allow-list bw-rule-1: not in "
					    "do-tables");
			done = true;
		} else {
			assert_int_equal(rc, DM_E_NO_MEMORY);
			assert_int_equal(dm_error_code(err), 11901);
			if (!rs)
				assert_null(why.data);
		}
		dm_error_free(err);
		dm_buf_free(&why);
		dm_rule_set_free(rs);
		dm_rule_set_free(rs2);
	}
	assert_true(done);
	dm_cfg_task_free(amb);
	dm_cfg_task_free(t);
	formatted(NULL);
}

static int reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

int rulescfg_test_errors_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rulescfg__chooses_the_instance),
		cmocka_unit_test(test_rulescfg__ambiguous_route_names_the_rules),
		cmocka_unit_test(test_rulescfg__compile_errors_point_at_the_rule),
		cmocka_unit_test(test_rulescfg__source_filter_errors_point_into_the_source),
		cmocka_unit_test(test_rulescfg__rejects_bad_arguments),
		cmocka_unit_test_teardown(test_rulescfg__survives_every_allocation_failure,
					  reset_alloc),
	};

	return cmocka_run_group_tests_name("rulescfg_errors", tests, NULL,
					   NULL);
}
