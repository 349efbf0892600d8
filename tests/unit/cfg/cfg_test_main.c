/* SPDX-License-Identifier: Apache-2.0 */
#include "cfg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

const char *cfg_test_data(const char *rel)
{
	static char path[4096];
	const char *root = getenv("DM_SRC_DIR");

	snprintf(path, sizeof(path), "%s/tests/data/cfg/%s",
		 root && *root ? root : ".", rel);
	return path;
}

char *cfg_test_read(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n + 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		if (buf) {
			buf[n] = '\0';
			*len = (size_t)n;
		}
	}
	fclose(f);
	return buf;
}

static void show_error(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	dm_cfg_error_format(&b, e);
	print_error("%s\n", b.data ? b.data : "(no error)");
	dm_buf_free(&b);
}

dm_cfg_task *cfg_test_task(const char *rel)
{
	dm_cfg_task *t = NULL;
	dm_error *err = NULL;
	int rc = dm_cfg_task_load_file(&t, cfg_test_data(rel), &err);

	if (rc)
		show_error(err);
	dm_error_free(err);
	assert_int_equal(rc, 0);
	assert_non_null(t);
	return t;
}

dm_cfg_source *cfg_test_source(const char *rel)
{
	dm_cfg_source *s = NULL;
	dm_error *err = NULL;
	int rc = dm_cfg_source_load_file(&s, cfg_test_data(rel), &err);

	if (rc)
		show_error(err);
	dm_error_free(err);
	assert_int_equal(rc, 0);
	assert_non_null(s);
	return s;
}

bool cfg_test_error_pos(const dm_error *e, const char *file, unsigned *line,
			unsigned *col)
{
	const char *msg = dm_error_message(e);
	const char *at = strstr(msg, file);

	if (!at)
		return false;
	return sscanf(at + strlen(file), ":%u:%u: ", line, col) == 2;
}

int cfg_test_reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

int main(void)
{
	int failed = 0;

	failed += cfg_test_values_group();
	failed += cfg_test_templates_group();
	failed += cfg_test_bad_group();
	failed += cfg_test_print_group();
	failed += cfg_test_oom_group();
	return failed ? 1 : 0;
}
