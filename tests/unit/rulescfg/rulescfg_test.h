/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the dm_rule_set unit tests (one cmocka binary, one
 * group per file, all run from rulescfg_test_main.c). Tasks are written
 * inline as DM would have them, or read from tests/data/cfg.
 */
#ifndef DM_TEST_RULESCFG_TEST_H
#define DM_TEST_RULESCFG_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dm/cfg.h"
#include "dm/rules.h"

int rulescfg_test_decide_group(void);
int rulescfg_test_errors_group(void);

/* Parses a task or source written inline, or fails the test. */
dm_cfg_task *rct_task(const char *yaml);
dm_cfg_source *rct_source(const char *yaml);
/* Loads tests/data/cfg/<rel> ($DM_SRC_DIR or "." is the source tree). */
dm_cfg_task *rct_task_file(const char *rel);
/* Compiles the rules of `source_id`, or fails the test. */
dm_rule_set *rct_rules(const dm_cfg_task *t, const char *source_id,
		       const dm_cfg_source *s);

/* One decision; fails the test when the call fails. `event` is a DM
 * event name ("" for none). Returns the explanation (static storage,
 * valid until the next call). */
const char *rct_decide(dm_rule_decision *d, const dm_rule_set *rs,
		       const char *schema, const char *table,
		       const char *event, const char *sql);

/* Asserts a migrated decision with its target and explanation. */
void rct_migrates(const dm_rule_set *rs, const char *schema,
		  const char *table, const char *event, const char *sql,
		  const char *want_schema, const char *want_table,
		  const char *want_why);
/* Asserts a filtered decision with its step and explanation. */
void rct_filters(const dm_rule_set *rs, const char *schema,
		 const char *table, const char *event, const char *sql,
		 dm_rule_step want_step, const char *want_why);

#endif
