/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the SQL lexer, parser and restore (dm_sql(3)).
 *
 * The first byte chooses the options: bit 0 ANSI_QUOTES, bit 1
 * NO_BACKSLASH_ESCAPES, bit 2 PIPES_AS_CONCAT, bit 3 HIGH_NOT_PRECEDENCE,
 * bit 4 parse an expression instead of a statement, bit 5 server version
 * 10.11 instead of "every executable comment", bit 6 a default database.
 * The rest is the SQL text.
 *
 * Whatever the input, nothing may crash or leak. When it parses, the
 * restored text must parse again (in the default sql_mode, or with
 * NO_BACKSLASH_ESCAPES for text restored for such sessions) into an equal
 * tree, restore must be idempotent, every piece of a split must parse,
 * and renaming must still give text that parses.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dm/sql.h"
#include "dm/util.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int parse(dm_sql_stmt **out, const char *sql, size_t len,
		 const dm_sql_parse_opts *po, bool expr)
{
	return expr ? dm_sql_parse_expr(out, sql, len, po, NULL)
		    : dm_sql_parse(out, sql, len, po, NULL);
}

static int rename_cb(const char *schema, const char *table,
		     const char **new_schema, const char **new_table,
		     void *userdata)
{
	(void)userdata;
	if (schema[0] == 'a')
		*new_schema = "renamed`db";
	if (table && table[0] == 't')
		*new_table = "t`2";
	else if (table)
		*new_table = "x\"y";
	return 0;
}

/* restore -> parse -> equal -> restore again gives the same bytes */
static void round_trip(const dm_sql_stmt *st, const dm_sql_parse_opts *orig,
		       unsigned flags, bool expr)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_buf a = DM_BUF_INIT, b = DM_BUF_INIT;
	dm_sql_stmt *again = NULL;
	int rc;

	ro.flags = flags;
	po.default_db = orig->default_db;
	if (flags & DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES)
		po.sql_mode = DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
	rc = dm_sql_restore(&a, st, &ro, NULL);
	if (rc == DM_E_NO_MEMORY)
		goto out;
	CHECK(rc == 0);
	rc = parse(&again, a.data, a.len, &po, expr);
	CHECK(rc == 0);
	CHECK(dm_sql_stmt_equal(st, again));
	CHECK(dm_sql_restore(&b, again, &ro, NULL) == 0);
	CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
out:
	dm_sql_stmt_free(again);
	dm_buf_free(&a);
	dm_buf_free(&b);
}

static void pieces_parse(const dm_sql_stmt *st, const dm_sql_parse_opts *orig)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_text_list *l = NULL;
	size_t i;

	po.default_db = orig->default_db;
	ro.qualify = true;
	CHECK(dm_sql_split_stmt(&l, st, DM_SQL_SPLIT_ALTER, &ro, NULL) == 0);
	CHECK(dm_sql_text_list_count(l) >= 1);
	for (i = 0; i < dm_sql_text_list_count(l); i++) {
		dm_sql_stmt *piece = NULL;
		size_t len;
		const char *s = dm_sql_text_list_get(l, i, &len);

		CHECK(dm_sql_parse(&piece, s, len, &po, NULL) == 0);
		dm_sql_stmt_free(piece);
	}
	dm_sql_text_list_free(l);
}

static void renamed_parses(const dm_sql_stmt *st, const dm_sql_parse_opts *orig)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_stmt *again = NULL;
	dm_buf a = DM_BUF_INIT;

	po.default_db = orig->default_db;
	ro.rename = rename_cb;
	ro.qualify = true;
	CHECK(dm_sql_restore(&a, st, &ro, NULL) == 0);
	CHECK(dm_sql_parse(&again, a.data, a.len, &po, NULL) == 0);
	CHECK(dm_sql_stmt_kind(again) == dm_sql_stmt_kind(st));
	dm_sql_stmt_free(again);
	dm_buf_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	const char *sql = (const char *)data + 1;
	dm_sql_span *spans = NULL;
	dm_sql_stmt *st = NULL;
	dm_buf dump = DM_BUF_INIT;
	size_t len, nspans = 0;
	bool expr;
	uint8_t sel;

	if (size < 1)
		return 0;
	sel = data[0];
	len = size - 1;
	if (sel & 0x01)
		po.sql_mode |= DM_SQL_MODE_ANSI_QUOTES;
	if (sel & 0x02)
		po.sql_mode |= DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
	if (sel & 0x04)
		po.sql_mode |= DM_SQL_MODE_PIPES_AS_CONCAT;
	if (sel & 0x08)
		po.sql_mode |= DM_SQL_MODE_HIGH_NOT_PRECEDENCE;
	expr = (sel & 0x10) != 0;
	if (sel & 0x20)
		po.server_version = 101100;
	if (sel & 0x40)
		po.default_db = "d";

	if (dm_sql_split(&spans, &nspans, sql, len, &po, NULL) == 0) {
		size_t i;

		for (i = 0; i < nspans; i++)
			CHECK(spans[i].offset + spans[i].len <= len);
		dm_sql_spans_free(spans);
	}
	if (parse(&st, sql, len, &po, expr) != 0)
		return 0;
	CHECK(dm_sql_stmt_dump(&dump, st) == 0);
	dm_buf_free(&dump);
	CHECK(dm_sql_stmt_equal(st, st));
	round_trip(st, &po, 0, expr);
	round_trip(st, &po, DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES, expr);
	if (!expr) {
		pieces_parse(st, &po);
		renamed_parses(st, &po);
	}
	dm_sql_stmt_free(st);
	return 0;
}
