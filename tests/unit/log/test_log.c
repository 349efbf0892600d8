/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dm/log.h"
#include "log/logging.h"
#include "util/alloc.h"

struct capture {
	int count;
	dm_log_level last_level;
	char last_message[256];
	size_t nfields;
	char fields[8][2][128];
	int last_line;
	char last_file[64];
};

static void capture_fn(const dm_log_record *rec, void *userdata)
{
	struct capture *c = userdata;
	size_t i;

	c->count++;
	c->last_level = rec->level;
	snprintf(c->last_message, sizeof(c->last_message), "%s", rec->message);
	snprintf(c->last_file, sizeof(c->last_file), "%s", rec->file);
	c->last_line = rec->line;
	c->nfields = rec->nfields;
	for (i = 0; i < rec->nfields && i < 8; i++) {
		snprintf(c->fields[i][0], 128, "%s", rec->fields[i].key);
		snprintf(c->fields[i][1], 128, "%s", rec->fields[i].value);
	}
}

static void test_log__context_is_silent_by_default(void **state)
{
	dm_ctx *ctx;
	struct capture c = { 0 };

	(void)state;
	assert_int_equal(dm_ctx_new(&ctx, NULL), 0);
	assert_int_equal(dm_ctx_log_level(ctx), DM_LOG_OFF);
	dm__error(ctx, "nobody listens");
	dm_ctx_set_logger(ctx, capture_fn, &c);
	dm__error(ctx, "level is off");
	assert_int_equal(c.count, 0);
	dm_ctx_free(ctx);
	dm_ctx_free(NULL);
	/* A NULL context logs nothing and does not crash. */
	dm__error(NULL, "no context");
}

static void test_log__only_records_at_or_above_level_arrive(void **state)
{
	dm_ctx *ctx;
	struct capture c = { 0 };

	(void)state;
	assert_int_equal(dm_ctx_new(&ctx, NULL), 0);
	dm_ctx_set_logger(ctx, capture_fn, &c);
	dm_ctx_set_log_level(ctx, DM_LOG_WARN);
	dm__debug(ctx, "d");
	dm__info(ctx, "i");
	assert_int_equal(c.count, 0);
	dm__warn(ctx, "w");
	assert_int_equal(c.count, 1);
	assert_int_equal(c.last_level, DM_LOG_WARN);
	dm__error(ctx, "e");
	assert_int_equal(c.count, 2);
	dm_ctx_set_log_level(ctx, DM_LOG_DEBUG);
	dm__debug(ctx, "d2");
	assert_int_equal(c.count, 3);
	assert_string_equal(c.last_message, "d2");
	dm_ctx_set_logger(ctx, NULL, NULL);
	dm__error(ctx, "gone");
	assert_int_equal(c.count, 3);
	dm_ctx_free(ctx);
}

static void test_log__fields_file_and_line_reach_the_callback(void **state)
{
	dm_ctx *ctx;
	struct capture c = { 0 };
	int line;

	(void)state;
	assert_int_equal(dm_ctx_new(&ctx, NULL), 0);
	dm_ctx_set_logger(ctx, capture_fn, &c);
	dm_ctx_set_log_level(ctx, DM_LOG_INFO);
	line = __LINE__ + 1;
	dm__info(ctx, "flushed checkpoint", "task", "test", "pos", NULL);
	assert_int_equal(c.count, 1);
	assert_string_equal(c.last_file, "test_log.c");
	assert_int_equal(c.last_line, line);
	assert_int_equal(c.nfields, 2);
	assert_string_equal(c.fields[0][0], "task");
	assert_string_equal(c.fields[0][1], "test");
	assert_string_equal(c.fields[1][0], "pos");
	/* NULL values become empty strings (and end nothing early). */
	assert_string_equal(c.fields[1][1], "");
	dm_ctx_free(ctx);
}

static char *format_record(const char *msg, const dm_log_field *f, size_t n,
			   dm_log_level level)
{
	dm_log_record rec = { 1, level, 1700000000123456LL, "syncer.c", 812,
			      msg, f, n };
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_log_format(&b, &rec), 0);
	return dm_buf_detach(&b);
}

static void test_log__format_matches_dm_line_shape(void **state)
{
	dm_log_field f[] = { { "task", "test" },
			     { "pos", "(mysql-bin.000003, 4231)" } };
	char *s = format_record("flushed checkpoint", f, 2, DM_LOG_INFO);
	regex_t re;

	(void)state;
	assert_int_equal(
		regcomp(&re,
			"^\\[[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"
			"\\.123 [+-][0-9]{2}:[0-9]{2}\\] \\[INFO\\] "
			"\\[syncer\\.c:812\\] \\[\"flushed checkpoint\"\\] "
			"\\[task=test\\] \\[pos=\"\\(mysql-bin\\.000003, "
			"4231\\)\"\\]\n$",
			REG_EXTENDED),
		0);
	assert_int_equal(regexec(&re, s, 0, NULL, 0), 0);
	regfree(&re);
	free(s);
}

static void test_log__format_quotes_and_escapes_unsafe_text(void **state)
{
	dm_log_field f[] = { { "sql", "a \"b\" \\ c\n\t\x01" },
			     { "plain", "mysql-bin.000001" },
			     { "empty", "" } };
	char *s = format_record("Welcome", f, 3, DM_LOG_ERROR);

	(void)state;
	assert_non_null(strstr(s, "[ERROR] [syncer.c:812] [Welcome] "));
	assert_non_null(
		strstr(s, "[sql=\"a \\\"b\\\" \\\\ c\\n\\t\\u0001\"]"));
	assert_non_null(strstr(s, "[plain=mysql-bin.000001]"));
	assert_non_null(strstr(s, "[empty=\"\"]\n"));
	free(s);
}

static void test_log__level_names_parse_like_dm(void **state)
{
	dm_log_level l;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_log_level_parse(&l, "debug", NULL), 0);
	assert_int_equal(l, DM_LOG_DEBUG);
	assert_int_equal(dm_log_level_parse(&l, "INFO", NULL), 0);
	assert_int_equal(l, DM_LOG_INFO);
	assert_int_equal(dm_log_level_parse(&l, "warn", NULL), 0);
	assert_int_equal(l, DM_LOG_WARN);
	assert_int_equal(dm_log_level_parse(&l, "fatal", NULL), 0);
	assert_int_equal(l, DM_LOG_ERROR);
	assert_int_equal(dm_log_level_parse(&l, "none", NULL), 0);
	assert_int_equal(l, DM_LOG_OFF);
	assert_int_equal(dm_log_level_parse(&l, "loud", &err),
			 DM_E_INVALID_ARGUMENT);
	assert_non_null(strstr(dm_error_message(err), "\"loud\""));
	dm_error_free(err);
	assert_string_equal(dm_log_level_name(DM_LOG_WARN), "WARN");
	assert_string_equal(dm_log_level_name((dm_log_level)42), "UNKNOWN");
}

struct writer_arg {
	dm_ctx *ctx;
	int id;
};

#define LINES_PER_THREAD 500

static void *writer(void *p)
{
	struct writer_arg *a = p;
	char id[16];
	int i;

	snprintf(id, sizeof(id), "%d", a->id);
	for (i = 0; i < LINES_PER_THREAD; i++)
		dm__info(a->ctx, "concurrent line with some words", "thread",
			 id, "payload",
			 "0123456789012345678901234567890123456789");
	return NULL;
}

static void test_log__file_logger_lines_never_interleave(void **state)
{
	char path[] = "/tmp/dm-test-log-XXXXXX";
	int fd = mkstemp(path);
	dm_log_file *lf;
	dm_ctx *ctx;
	pthread_t th[4];
	struct writer_arg args[4];
	FILE *fp;
	char line[512];
	int i, n = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(dm_log_file_open(&lf, path, NULL), 0);
	assert_int_equal(dm_ctx_new(&ctx, NULL), 0);
	dm_ctx_set_logger(ctx, dm_log_file_write, lf);
	dm_ctx_set_log_level(ctx, DM_LOG_INFO);
	for (i = 0; i < 4; i++) {
		args[i].ctx = ctx;
		args[i].id = i;
		assert_int_equal(pthread_create(&th[i], NULL, writer, &args[i]),
				 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	dm_log_file_close(lf);
	dm_ctx_free(ctx);

	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		n++;
		assert_true(line[0] == '[');
		assert_non_null(strstr(line, "] [INFO] [test_log.c:"));
		assert_non_null(strstr(line, "[payload=0123456789012345678901"
					     "234567890123456789]\n"));
	}
	fclose(fp);
	unlink(path);
	assert_int_equal(n, 4 * LINES_PER_THREAD);
}

static void test_log__file_logger_reports_unopenable_path(void **state)
{
	dm_log_file *lf = (dm_log_file *)1;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_log_file_open(&lf, "/nonexistent-dir/x/dm.log",
					  &err),
			 DM_E_IO);
	assert_null(lf);
	assert_non_null(strstr(dm_error_message(err), "/nonexistent-dir/x"));
	dm_error_free(err);
}

static void test_log__stderr_logger_opens_for_null_and_dash(void **state)
{
	dm_log_file *lf;

	(void)state;
	assert_int_equal(dm_log_file_open(&lf, NULL, NULL), 0);
	dm_log_file_close(lf);
	assert_int_equal(dm_log_file_open(&lf, "-", NULL), 0);
	dm_log_file_close(lf);
	dm_log_file_close(NULL);
}

static void test_log__ctx_new_reports_out_of_memory(void **state)
{
	dm_ctx *ctx = (dm_ctx *)1;
	dm_error *err = NULL;

	(void)state;
	dm__alloc_fail_after(0);
	assert_int_equal(dm_ctx_new(&ctx, &err), DM_E_NO_MEMORY);
	dm__alloc_fail_after(-1);
	assert_null(ctx);
	assert_int_equal(dm_error_code(err), 11901);
	dm_error_free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log__context_is_silent_by_default),
		cmocka_unit_test(test_log__only_records_at_or_above_level_arrive),
		cmocka_unit_test(test_log__fields_file_and_line_reach_the_callback),
		cmocka_unit_test(test_log__format_matches_dm_line_shape),
		cmocka_unit_test(test_log__format_quotes_and_escapes_unsafe_text),
		cmocka_unit_test(test_log__level_names_parse_like_dm),
		cmocka_unit_test(test_log__file_logger_lines_never_interleave),
		cmocka_unit_test(test_log__file_logger_reports_unopenable_path),
		cmocka_unit_test(test_log__stderr_logger_opens_for_null_and_dash),
		cmocka_unit_test(test_log__ctx_new_reports_out_of_memory),
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
