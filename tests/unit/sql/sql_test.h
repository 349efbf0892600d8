/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/sql unit tests (one cmocka binary, one group
 * per file, all run from sql_test_main.c).
 */
#ifndef DM_TEST_SQL_TEST_H
#define DM_TEST_SQL_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dm/sql.h"

/* Each returns the number of failed tests of its group. */
int sql_test_lex_group(void);
int sql_test_create_group(void);
int sql_test_alter_group(void);
int sql_test_expr_group(void);
int sql_test_errors_group(void);
int sql_test_other_group(void);
int sql_test_rename_group(void);
int sql_test_tree_group(void);
int sql_test_corpus_group(void);

/* Every statement the tests use, for the round-trip and allocation-failure
 * properties (sql_test_corpus.c); NULL-terminated. */
extern const char *const sql_test_corpus[];

/* Parses `sql` (must succeed) with `opts` (NULL: defaults). */
dm_sql_stmt *sqlt_parse(const char *sql, const dm_sql_parse_opts *opts);
/* Restored text of a statement; the caller frees it. */
char *sqlt_restore(const dm_sql_stmt *st, const dm_sql_restore_opts *ro);
/* Parses `sql`, checks that the restore is `expected`, and that the round
 * trip holds: parse(restore(x)) equals parse(x), restore is idempotent. */
void sqlt_restore_eq(const char *sql, const char *expected);
/* The same, under the given parse options. */
void sqlt_restore_eq_opts(const char *sql, const dm_sql_parse_opts *opts,
			  const char *expected);
/* Round-trip property only. */
void sqlt_roundtrip(const char *sql, const dm_sql_parse_opts *opts);
/* Parses `sql`, which must fail with DM_E_PARSE_SQL and a message that
 * contains `msg`. */
void sqlt_error(const char *sql, const char *msg);
/* The dump line of an expression: "(+ (int 1) (int 2))". */
void sqlt_expr_dump_eq(const char *expr, const dm_sql_parse_opts *opts,
		       const char *expected);

/* True when DM_TEST_QUICK is set or under valgrind. */
bool sqlt_quick(void);
int sqlt_reset_alloc(void **state);

#endif
