/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the configuration parser: the input is read both as a
 * task file and as a source file. A rejected input must come back as an
 * error whose message names "FILE:LINE:COLUMN"; an accepted one must print,
 * re-parse and print again to the very same text (printing is a fixed
 * point), with no password in clear.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/cfg.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char NAME[] = "fuzz.yaml";

/* A rejected input: a negative status matching the error, which points
 * into the file. */
static void check_error(int rc, dm_error *err)
{
	dm_buf b = DM_BUF_INIT;
	char want[32];

	CHECK(rc < 0 && err && dm_error_code(err) == -rc);
	CHECK(dm_cfg_error_format(&b, err) == 0 && b.data);
	if (rc != DM_E_NO_MEMORY) {
		snprintf(want, sizeof(want), "%s:", NAME);
		CHECK(strncmp(b.data, want, strlen(want)) == 0);
	}
	dm_buf_free(&b);
	dm_error_free(err);
}

static void check_task(const char *text, size_t size)
{
	dm_cfg_task *t = NULL, *again = NULL;
	dm_error *err = NULL;
	dm_buf p1 = DM_BUF_INIT, p2 = DM_BUF_INIT;
	int rc = dm_cfg_task_parse(&t, text, size, NAME, &err);

	if (rc) {
		CHECK(!t);
		check_error(rc, err);
		return;
	}
	CHECK(t && !err);
	CHECK(dm_cfg_task_print(&p1, t) == 0 && p1.data);
	rc = dm_cfg_task_parse(&again, p1.data, p1.len, "printed.yaml", &err);
	if (rc) {
		fprintf(stderr, "printed task does not parse: %s\n%s\n",
			dm_error_message(err), p1.data);
		CHECK(0);
	}
	CHECK(dm_cfg_task_print(&p2, again) == 0);
	if (p1.len != p2.len || memcmp(p1.data, p2.data, p1.len) != 0) {
		fprintf(stderr, "print is not stable:\n%s\n---\n%s\n", p1.data,
			p2.data);
		CHECK(0);
	}
	CHECK(t->target_database && (!*t->target_database->password ||
				     !strstr(p1.data, t->target_database->password) ||
				     strcmp(t->target_database->password, "******") == 0 ||
				     strstr(p1.data, "******")));
	dm_buf_free(&p1);
	dm_buf_free(&p2);
	dm_cfg_task_free(t);
	dm_cfg_task_free(again);
}

static void check_source(const char *text, size_t size)
{
	dm_cfg_source *s = NULL, *again = NULL;
	dm_error *err = NULL;
	dm_buf p1 = DM_BUF_INIT, p2 = DM_BUF_INIT;
	int rc = dm_cfg_source_parse(&s, text, size, NAME, &err);

	if (rc) {
		CHECK(!s);
		check_error(rc, err);
		return;
	}
	CHECK(s && !err);
	CHECK(dm_cfg_source_print(&p1, s) == 0 && p1.data);
	rc = dm_cfg_source_parse(&again, p1.data, p1.len, "printed.yaml", &err);
	if (rc) {
		fprintf(stderr, "printed source does not parse: %s\n%s\n",
			dm_error_message(err), p1.data);
		CHECK(0);
	}
	CHECK(dm_cfg_source_print(&p2, again) == 0);
	if (p1.len != p2.len || memcmp(p1.data, p2.data, p1.len) != 0) {
		fprintf(stderr, "print is not stable:\n%s\n---\n%s\n", p1.data,
			p2.data);
		CHECK(0);
	}
	/* the password only ever prints as the mask */
	if (*s->from->password)
		CHECK(strstr(p1.data, "  password: \"******\"\n"));
	dm_buf_free(&p1);
	dm_buf_free(&p2);
	dm_cfg_source_free(s);
	dm_cfg_source_free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_task((const char *)data, size);
	check_source((const char *)data, size);
	return 0;
}
