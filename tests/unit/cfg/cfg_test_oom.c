/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fault injection: every allocation the parser and printer make may fail;
 * each failure is reported as DM_E_NO_MEMORY, leaks nothing (the asan and
 * valgrind runs check) and leaves the output buffer as it was.
 */
#include "cfg_test.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

static void test_cfg__task_parse_survives_every_allocation_failure(void **state)
{
	size_t len = 0;
	char *text = cfg_test_read(cfg_test_data("good/task-every-key.yaml"), &len);
	long n;
	bool done = false;

	(void)state;
	assert_non_null(text);
	for (n = 0; !done && n < 100000; n++) {
		dm_cfg_task *t = NULL;
		dm_error *err = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = dm_cfg_task_parse(&t, text, len, "every.yaml", &err);
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			dm_buf b = DM_BUF_INIT;

			assert_int_equal(dm_cfg_task_print(&b, t), 0);
			dm_buf_free(&b);
			dm_cfg_task_free(t);
			done = true;
		} else {
			assert_int_equal(rc, DM_E_NO_MEMORY);
			assert_null(t);
			assert_int_equal(dm_error_code(err), 11901);
		}
		dm_error_free(err);
	}
	assert_true(done);
	free(text);
}

static void test_cfg__source_parse_survives_every_allocation_failure(void **state)
{
	size_t len = 0;
	char *text = cfg_test_read(cfg_test_data("good/source-every-key.yaml"), &len);
	long n;
	bool done = false;

	(void)state;
	assert_non_null(text);
	for (n = 0; !done && n < 100000; n++) {
		dm_cfg_source *s = NULL;
		dm_error *err = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = dm_cfg_source_parse(&s, text, len, "every.yaml", &err);
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			dm_cfg_source_free(s);
			done = true;
		} else {
			assert_int_equal(rc, DM_E_NO_MEMORY);
			assert_null(s);
		}
		dm_error_free(err);
	}
	assert_true(done);
	free(text);
}

static void test_cfg__print_failure_leaves_the_buffer_unchanged(void **state)
{
	dm_cfg_task *t = cfg_test_task("good/dm-task-advanced.yaml");
	long n;
	bool done = false;

	(void)state;
	for (n = 0; !done && n < 100000; n++) {
		dm_buf b = DM_BUF_INIT;
		int rc;

		assert_int_equal(dm_buf_puts(&b, "keep: me\n"), 0);
		dm__alloc_fail_after(n);
		rc = dm_cfg_task_print(&b, t);
		dm__alloc_fail_after(-1);
		if (rc == 0) {
			done = true;
		} else {
			assert_int_equal(rc, DM_E_NO_MEMORY);
			assert_string_equal(b.data, "keep: me\n");
		}
		dm_buf_free(&b);
	}
	assert_true(done);
	dm_cfg_task_free(t);
}

int cfg_test_oom_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_cfg__task_parse_survives_every_allocation_failure,
					  cfg_test_reset_alloc),
		cmocka_unit_test_teardown(test_cfg__source_parse_survives_every_allocation_failure,
					  cfg_test_reset_alloc),
		cmocka_unit_test_teardown(test_cfg__print_failure_leaves_the_buffer_unchanged,
					  cfg_test_reset_alloc),
	};

	return cmocka_run_group_tests_name("cfg_oom", tests, NULL, NULL);
}
