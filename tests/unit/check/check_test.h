/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/check unit tests (one cmocka binary, one group
 * per file, all run from check_test_main.c). They drive the pure parts of
 * the precheck through lib/check/check_private.h; the server side is in
 * tests/integration/check_precheck.c.
 */
#ifndef DM_TEST_CHECK_TEST_H
#define DM_TEST_CHECK_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check/check_private.h"
#include "dm/check.h"

int check_test_grants_group(void);
int check_test_privs_group(void);
int check_test_json_group(void);
int check_test_plan_group(void);
int check_test_eval_group(void);
int check_test_tables_group(void);
int check_test_alloc_group(void);

/* A fresh item of `key` (default names); free with dm__check_item_free. */
void check_test_item(dm__check_item *it, dm__check_key key);
/* Fails unless the item has an error of `severity` containing `frag`. */
void check_test_has_error(const dm__check_item *it, dm_check_state severity,
			  const char *frag);
/* Parses SQL that must parse. */
dm_sql_stmt *check_test_parse(const char *sql);
int check_test_reset_alloc(void **state);

#endif
