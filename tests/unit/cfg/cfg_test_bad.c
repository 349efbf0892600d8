/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every file in tests/data/cfg/bad is rejected with the DM error code and
 * the line:column its first line names ("# expect: CODE at LINE:COL").
 * Files named task-*.yaml are task files, source-*.yaml source files.
 */
#include "cfg_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILES 512

static char *names[MAX_FILES];
static size_t n_names;

static void check_bad_file(void **state)
{
	const char *name = *state;
	char rel[600], file[4200];
	unsigned code = 0, line = 0, col = 0, got_line = 0, got_col = 0;
	dm_error *err = NULL;
	dm_buf shown = DM_BUF_INIT;
	size_t len = 0;
	char *text;
	int rc;

	snprintf(rel, sizeof(rel), "bad/%s", name);
	snprintf(file, sizeof(file), "%s", cfg_test_data(rel));
	text = cfg_test_read(file, &len);
	assert_non_null(text);
	assert_int_equal(sscanf(text, "# expect: %u at %u:%u", &code, &line, &col), 3);
	if (strncmp(name, "task-", 5) == 0) {
		dm_cfg_task *t = NULL;

		rc = dm_cfg_task_parse(&t, text, len, name, &err);
		assert_null(t);
	} else {
		dm_cfg_source *s = NULL;

		assert_int_equal(strncmp(name, "source-", 7), 0);
		rc = dm_cfg_source_parse(&s, text, len, name, &err);
		assert_null(s);
	}
	assert_non_null(err);
	dm_cfg_error_format(&shown, err);
	if (rc != -(int)code || !cfg_test_error_pos(err, name, &got_line, &got_col) ||
	    got_line != line || got_col != col)
		print_error("%s: expected %u at %u:%u, got: %s\n", name,
				    code, line, col, shown.data);
	assert_int_equal(rc, -(int)code);
	assert_int_equal(dm_error_code(err), code);
	assert_true(cfg_test_error_pos(err, name, &got_line, &got_col));
	assert_int_equal(got_line, line);
	assert_int_equal(got_col, col);
	/* The tool-facing rendering starts with FILE:LINE:COLUMN. */
	snprintf(rel, sizeof(rel), "%s:%u:%u: ", name, line, col);
	assert_int_equal(strncmp(shown.data, rel, strlen(rel)), 0);
	dm_buf_free(&shown);
	dm_error_free(err);
	free(text);
}

static void test_cfg__at_least_forty_bad_configs_exist(void **state)
{
	size_t task = 0, source = 0, i;

	(void)state;
	for (i = 0; i < n_names; i++) {
		task += strncmp(names[i], "task-", 5) == 0;
		source += strncmp(names[i], "source-", 7) == 0;
	}
	assert_true(n_names >= 40);
	assert_int_equal(task + source, n_names);
	assert_true(source >= 10);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cfg_test_bad_group(void)
{
	struct CMUnitTest *tests;
	DIR *d = opendir(cfg_test_data("bad"));
	struct dirent *de;
	size_t i;
	int failed;

	if (!d) {
		print_error("cannot open %s (run from the source tree or set DM_SRC_DIR)\n",
				    cfg_test_data("bad"));
		return 1;
	}
	while ((de = readdir(d)) && n_names < MAX_FILES) {
		size_t l = strlen(de->d_name);

		if (l > 5 && strcmp(de->d_name + l - 5, ".yaml") == 0)
			names[n_names++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n_names, sizeof(names[0]), cmp_name);
	tests = calloc(n_names + 1, sizeof(*tests));
	if (!tests)
		return 1;
	tests[0].name = "test_cfg__at_least_forty_bad_configs_exist";
	tests[0].test_func = test_cfg__at_least_forty_bad_configs_exist;
	for (i = 0; i < n_names; i++) {
		tests[i + 1].name = names[i];
		tests[i + 1].test_func = check_bad_file;
		tests[i + 1].initial_state = names[i];
	}
	failed = _cmocka_run_group_tests("cfg_bad_configs", tests, n_names + 1,
					 NULL, NULL);
	for (i = 0; i < n_names; i++)
		free(names[i]);
	free(tests);
	return failed;
}
