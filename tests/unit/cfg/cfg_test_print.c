/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Printing: print -> parse -> print gives the same text, defaults are
 * filled in, passwords never appear, odd strings survive quoting; and the
 * API's own error paths (files, arguments, empty documents).
 */
#include "cfg_test.h"

#include <stdlib.h>
#include <string.h>

static const char *const good_tasks[] = {
	"good/dm-task-advanced.yaml",
	"good/dm-task-legacy.yaml",
	"good/task-every-key.yaml",
};

static const char *const good_sources[] = {
	"good/dm-source.yaml",
	"good/dm-source-worker.yaml",
	"good/source-every-key.yaml",
};

static char *print_task(const dm_cfg_task *t)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_cfg_task_print(&b, t), 0);
	return dm_buf_detach(&b);
}

static char *print_source(const dm_cfg_source *s)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_cfg_source_print(&b, s), 0);
	return dm_buf_detach(&b);
}

static dm_cfg_task *parse_task(const char *text, const char *name)
{
	dm_cfg_task *t = NULL;
	dm_error *err = NULL;

	if (dm_cfg_task_parse(&t, text, strlen(text), name, &err)) {
		print_error("%s\n%s\n", dm_error_message(err), text);
		fail();
	}
	return t;
}

static dm_cfg_source *parse_source(const char *text, const char *name)
{
	dm_cfg_source *s = NULL;
	dm_error *err = NULL;

	if (dm_cfg_source_parse(&s, text, strlen(text), name, &err)) {
		print_error("%s\n%s\n", dm_error_message(err), text);
		fail();
	}
	return s;
}

static void test_cfg__task_print_parse_print_is_stable(void **state)
{
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(good_tasks) / sizeof(good_tasks[0]); i++) {
		dm_cfg_task *a = cfg_test_task(good_tasks[i]), *b;
		char *p1 = print_task(a), *p2;

		b = parse_task(p1, "printed");
		p2 = print_task(b);
		assert_string_equal(p1, p2);
		/* the effective values survive, not only the text */
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->task_mode, b->task_mode);
		assert_int_equal(a->shard_mode, b->shard_mode);
		assert_int_equal(a->online_ddl, b->online_ddl);
		assert_int_equal(a->n_mysql_instances, b->n_mysql_instances);
		for (j = 0; j < a->n_mysql_instances; j++) {
			const dm_cfg_instance *x = a->mysql_instances[j];
			const dm_cfg_instance *y = b->mysql_instances[j];

			assert_string_equal(x->source_id, y->source_id);
			assert_int_equal(x->mydumper->threads, y->mydumper->threads);
			assert_int_equal(x->mydumper->chunk_filesize_bytes,
					 y->mydumper->chunk_filesize_bytes);
			assert_int_equal(x->loader->pool_size, y->loader->pool_size);
			assert_int_equal(x->syncer->worker_count,
					 y->syncer->worker_count);
			assert_int_equal(x->syncer->safe_mode_duration_ns,
					 y->syncer->safe_mode_duration_ns);
			assert_int_equal(x->n_route_rules, y->n_route_rules);
			assert_int_equal(x->ba_list != NULL, y->ba_list != NULL);
		}
		free(p1);
		free(p2);
		dm_cfg_task_free(a);
		dm_cfg_task_free(b);
	}
}

static void test_cfg__source_print_parse_print_is_stable(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good_sources) / sizeof(good_sources[0]); i++) {
		dm_cfg_source *a = cfg_test_source(good_sources[i]), *b;
		char *p1 = print_source(a), *p2;

		b = parse_source(p1, "printed");
		p2 = print_source(b);
		assert_string_equal(p1, p2);
		assert_string_equal(a->source_id, b->source_id);
		assert_int_equal(a->server_id, b->server_id);
		assert_int_equal(a->checker->backoff_max_ns,
				 b->checker->backoff_max_ns);
		assert_int_equal(a->n_filters, b->n_filters);
		assert_int_equal(a->from->port, b->from->port);
		free(p1);
		free(p2);
		dm_cfg_source_free(a);
		dm_cfg_source_free(b);
	}
}

static void test_cfg__passwords_are_printed_masked(void **state)
{
	dm_cfg_source *s = cfg_test_source("good/source-every-key.yaml");
	dm_cfg_task *t = cfg_test_task("good/dm-task-advanced.yaml");
	dm_cfg_task *legacy = cfg_test_task("good/dm-task-legacy.yaml");
	char *p = print_source(s);
	dm_cfg_source *again;

	(void)state;
	assert_null(strstr(p, "s3cret"));
	assert_non_null(strstr(p, "  password: \"******\"\n"));
	again = parse_source(p, "printed");
	/* what a printed file holds is the mask, never the password */
	assert_string_equal(again->from->password, "******");
	dm_cfg_source_free(again);
	free(p);
	p = print_task(t);
	assert_null(strstr(p, "/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs="));
	assert_non_null(strstr(p, "password: \"******\""));
	free(p);
	/* an empty password has nothing to hide */
	p = print_task(legacy);
	assert_non_null(strstr(p, "  password: \"\"\n"));
	free(p);
	dm_cfg_source_free(s);
	dm_cfg_task_free(t);
	dm_cfg_task_free(legacy);
}

static const char MINIMAL_TASK[] =
	"name: min\n"
	"task-mode: full\n"
	"target-database:\n"
	"  host: 10.0.0.1\n"
	"mysql-instances:\n"
	"  - source-id: s1\n";

static void test_cfg__print_fills_in_defaults(void **state)
{
	dm_cfg_task *t = parse_task(MINIMAL_TASK, "min.yaml");
	char *p = print_task(t);
	static const char *const want[] = {
		"meta-schema: \"dm_meta\"\n",
		"collation_compatible: \"loose\"\n",
		"online-ddl: false\n",
		"shadow-table-rules: [\"^_(.+)_(?:new|gho)$\"]\n",
		"clean-dump-file: true\n",
		"  port: 3306\n",
		"      threads: 4\n",
		"      chunk-filesize: \"64\"\n",
		"      pool-size: 16\n",
		"      dir: \"./dumped_data\"\n",
		"      worker-count: 16\n",
		"      batch: 100\n",
		"      queue-size: 1024\n",
		"      checkpoint-flush-interval: 30\n",
		"      safe-mode-duration: \"1m0s\"\n",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (!strstr(p, want[i]))
			print_error("missing %s in:\n%s", want[i], p);
		assert_non_null(strstr(p, want[i]));
	}
	free(p);
	dm_cfg_task_free(t);
}

static void test_cfg__odd_strings_survive_printing(void **state)
{
	/* quotes, backslashes, control characters, non-ASCII, and the code
	 * points YAML treats as line breaks */
	static const char text[] =
		"source-id: \"id-\\u00e9\\\"\\\\\"\n"
		"relay-dir: \"a\\tb\\nc\\x01d\\u2028e\\u0085f\\u00a0g\\U0001F600#: x\"\n"
		"charset: '  leading and trailing  '\n"
		"from:\n"
		"  host: \"- [not, a, list]\"\n"
		"  user: \"null\"\n"
		"  session:\n"
		"    \"<<\": \"not a merge\"\n"
		"    \"\": \"empty name\"\n";
	dm_cfg_source *a = parse_source(text, "odd.yaml"), *b;
	char *p1 = print_source(a), *p2;

	(void)state;
	b = parse_source(p1, "printed");
	p2 = print_source(b);
	assert_string_equal(p1, p2);
	assert_string_equal(a->source_id, b->source_id);
	assert_string_equal(a->source_id, "id-\xc3\xa9\"\\");
	assert_string_equal(a->relay_dir, b->relay_dir);
	assert_string_equal(a->relay_dir,
			    "a\tb\nc\x01" "d\xe2\x80\xa8" "e\xc2\x85" "f\xc2\xa0"
			    "g\xf0\x9f\x98\x80#: x");
	assert_string_equal(a->charset, "  leading and trailing  ");
	assert_string_equal(b->charset, a->charset);
	assert_string_equal(b->from->host, "- [not, a, list]");
	assert_string_equal(b->from->user, "null");
	assert_int_equal(b->from->n_session, 2);
	assert_string_equal(b->from->session[0].name, "<<");
	assert_string_equal(b->from->session[1].name, "");
	free(p1);
	free(p2);
	dm_cfg_source_free(a);
	dm_cfg_source_free(b);
}

static void test_cfg__merge_keys_follow_yaml_rules(void **state)
{
	static const char text[] =
		"name: m\n"
		"task-mode: all\n"
		"target-database: {host: h}\n"
		"syncers:\n"
		"  a: &a {worker-count: 2, batch: 3}\n"
		"  b: &b {worker-count: 5, batch: 6, compact: true}\n"
		"  c:\n"
		"    <<: [*a, *b]\n"
		"    batch: 9\n"
		"mysql-instances:\n"
		"  - {source-id: s1, syncer-config-name: a}\n"
		"  - {source-id: s2, syncer-config-name: b}\n"
		"  - {source-id: s3, syncer-config-name: c}\n";
	dm_cfg_task *t = parse_task(text, "merge.yaml");
	const dm_cfg_syncer *c = t->mysql_instances[2]->syncer;

	(void)state;
	assert_string_equal(c->name, "c");
	assert_int_equal(c->worker_count, 2); /* the first merged map wins */
	assert_int_equal(c->batch, 9);        /* explicit keys win */
	assert_true(c->compact);              /* only in the second map */
	dm_cfg_task_free(t);
}

static void expect_error(const char *text, bool task, int code,
			 unsigned line, unsigned col, const char *needle)
{
	dm_error *err = NULL;
	unsigned l = 0, c = 0;
	int rc;

	if (task) {
		dm_cfg_task *t = NULL;

		rc = dm_cfg_task_parse(&t, text, strlen(text), "x.yaml", &err);
		assert_null(t);
	} else {
		dm_cfg_source *s = NULL;

		rc = dm_cfg_source_parse(&s, text, strlen(text), "x.yaml", &err);
		assert_null(s);
	}
	if (rc != -code || (needle && !strstr(dm_error_message(err), needle)))
		print_error("got %d: %s\n", rc, dm_error_message(err));
	assert_int_equal(rc, -code);
	assert_true(cfg_test_error_pos(err, "x.yaml", &l, &c));
	assert_int_equal(l, line);
	assert_int_equal(c, col);
	if (needle)
		assert_non_null(strstr(dm_error_message(err), needle));
	dm_error_free(err);
}

static void test_cfg__unknown_keys_get_a_hint(void **state)
{
	(void)state;
	expect_error("nmae: x\n", true, 20003, 1, 1, "did you mean \"name\"?");
	expect_error("name: x\ncollation-compatible: loose\n", true, 20003, 2, 1,
		     "did you mean \"collation_compatible\"?");
	expect_error("source-id: s\nfrom:\n  pasword: x\n", false, 20003, 3, 3,
		     "did you mean \"password\"?");
	expect_error("source-id: s\ncheckers: {}\n", false, 20003, 2, 1,
		     "did you mean \"checker\"?");
	/* nothing close enough: no guess */
	expect_error("source-id: s\nreplication: {}\n", false, 20003, 2, 1,
		     "unknown key \"replication\" in source configuration");
}

static void test_cfg__empty_documents_fail_dm_checks_at_the_start(void **state)
{
	(void)state;
	expect_error("", true, 20019, 1, 1, NULL);
	expect_error("# only a comment\n", true, 20019, 1, 1, NULL);
	expect_error("~\n", false, 40005, 1, 1, NULL);
	expect_error("", false, 40005, 1, 1, NULL);
}

static void test_cfg__load_file_reports_unreadable_files(void **state)
{
	dm_cfg_task *t = (dm_cfg_task *)1;
	dm_cfg_source *s = (dm_cfg_source *)1;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_cfg_task_load_file(&t, "/nonexistent/task.yaml", &err),
			 DM_E_CONFIG_READ_CFG_FROM_FILE);
	assert_null(t);
	assert_non_null(strstr(dm_error_message(err), "/nonexistent/task.yaml"));
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_cfg_source_load_file(&s, cfg_test_data("good"), &err),
			 DM_E_CONFIG_READ_CFG_FROM_FILE);
	assert_null(s);
	dm_error_free(err);
}

static void test_cfg__misuse_is_refused(void **state)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *err = NULL;
	dm_cfg_task *t = NULL;

	(void)state;
	assert_int_equal(dm_cfg_task_parse(NULL, "", 0, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_cfg_source_parse(NULL, "", 0, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_cfg_task_parse(&t, NULL, 5, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
	assert_int_equal(dm_cfg_task_print(&b, NULL), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_cfg_source_print(NULL, NULL), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_cfg_task_sample(NULL), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_cfg_error_format(&b, NULL), 0);
	assert_int_equal(b.len, 0);
	dm_cfg_task_free(NULL);
	dm_cfg_source_free(NULL);
}

static void test_cfg__errors_name_the_default_file_without_a_name(void **state)
{
	dm_cfg_task *t = NULL;
	dm_error *err = NULL;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_cfg_task_parse(&t, "name: [", 7, NULL, &err),
			 DM_E_CONFIG_YAML_TRANSFORM);
	assert_int_equal(dm_cfg_error_format(&b, err), 0);
	assert_int_equal(strncmp(b.data, "<config>:", 9), 0);
	assert_non_null(strstr(b.data, ": invalid YAML: "));
	assert_non_null(strstr(b.data, "[code=20003:class=config:scope=internal:level=medium]"));
	dm_buf_free(&b);
	dm_error_free(err);
}

static void test_cfg__null_entries_and_values(void **state)
{
	/* null leaves the default; a null list entry is an error */
	static const char text[] =
		"name: n\n"
		"task-mode: all\n"
		"meta-schema:\n"
		"target-database: {host: h, port: ~}\n"
		"routes:\n"
		"  r1:\n"
		"mysql-instances:\n"
		"  - source-id: s1\n"
		"    route-rules: [r1]\n"
		"    mydumper:\n";
	dm_cfg_task *t = NULL;
	dm_error *err = NULL;

	(void)state;
	/* r1 has no schema-pattern */
	assert_int_equal(dm_cfg_task_parse(&t, text, strlen(text), "n.yaml", &err),
			 DM_E_CONFIG_GEN_TABLE_ROUTER);
	dm_error_free(err);
	err = NULL;
	{
		static const char ok[] =
			"name: n\n"
			"task-mode: all\n"
			"meta-schema:\n"
			"target-database: {host: h, port: ~}\n"
			"mysql-instances:\n"
			"  - source-id: s1\n"
			"    mydumper:\n";

		t = parse_task(ok, "n.yaml");
		assert_string_equal(t->meta_schema, "dm_meta");
		assert_int_equal(t->target_database->port, 3306);
		assert_false(t->mysql_instances[0]->mydumper_inline);
		dm_cfg_task_free(t);
	}
}

int cfg_test_print_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg__task_print_parse_print_is_stable),
		cmocka_unit_test(test_cfg__source_print_parse_print_is_stable),
		cmocka_unit_test(test_cfg__passwords_are_printed_masked),
		cmocka_unit_test(test_cfg__print_fills_in_defaults),
		cmocka_unit_test(test_cfg__odd_strings_survive_printing),
		cmocka_unit_test(test_cfg__merge_keys_follow_yaml_rules),
		cmocka_unit_test(test_cfg__unknown_keys_get_a_hint),
		cmocka_unit_test(test_cfg__empty_documents_fail_dm_checks_at_the_start),
		cmocka_unit_test(test_cfg__load_file_reports_unreadable_files),
		cmocka_unit_test(test_cfg__misuse_is_refused),
		cmocka_unit_test(test_cfg__errors_name_the_default_file_without_a_name),
		cmocka_unit_test(test_cfg__null_entries_and_values),
	};

	return cmocka_run_group_tests_name("cfg_print", tests, NULL, NULL);
}
