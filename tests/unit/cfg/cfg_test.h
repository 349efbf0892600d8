/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/cfg unit tests (one cmocka binary, one group
 * per file, all run from cfg_test_main.c).
 */
#ifndef DM_TEST_CFG_TEST_H
#define DM_TEST_CFG_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dm/cfg.h"

/* Each returns the number of failed tests of its group. */
int cfg_test_templates_group(void);
int cfg_test_bad_group(void);
int cfg_test_print_group(void);
int cfg_test_values_group(void);
int cfg_test_oom_group(void);

/* Path of a file under tests/data/cfg/ ($DM_SRC_DIR or the current
 * directory is the source tree); static storage. */
const char *cfg_test_data(const char *rel);
/* Reads a whole file; NULL on failure. Free with free(). */
char *cfg_test_read(const char *path, size_t *len);

/* Parses a file or fails the test. */
dm_cfg_task *cfg_test_task(const char *rel);
dm_cfg_source *cfg_test_source(const char *rel);

/* The "FILE:LINE:COLUMN" a parse error points at: line and column, or
 * false when the message has none. */
bool cfg_test_error_pos(const dm_error *e, const char *file, unsigned *line,
			unsigned *col);

int cfg_test_reset_alloc(void **state);

#endif
