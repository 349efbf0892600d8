/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tracker test: random valid ALTER TABLE sequences (fixed seed) applied to
 * the schema tracker and to a real table of the sandbox downstream; after
 * every step the tracker's columns (order, COLUMN_TYPE, nullability,
 * COLUMN_DEFAULT, charset, collation) and keys (information_schema
 * STATISTICS: name, order, column, uniqueness, prefix) must equal what
 * the server reports.
 *
 * Generated: CREATE TABLE with 2-5 columns of 24 types; ADD/DROP/MODIFY/
 * CHANGE/RENAME COLUMN with FIRST/AFTER; ALTER COLUMN SET/DROP DEFAULT;
 * ADD INDEX/UNIQUE/PRIMARY KEY (named and unnamed); DROP INDEX/PRIMARY
 * KEY; RENAME INDEX; CONVERT TO CHARACTER SET; DEFAULT CHARSET=; two specs
 * in one ALTER; RENAME TABLE; TRUNCATE; DROP TABLE.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-schema_tracker
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"
#include "sandbox/sandbox.h"

#define DB "dmtest_schema_tracker"
#define SEQUENCES 210
#define STEPS 7

static MYSQL *conn;
static dm_schema_tracker *tr;
static uint64_t rng = 0x9E3779B97F4A7C15ull;
static unsigned name_seq;
static dm_buf history = DM_BUF_INIT;
static unsigned steps_checked, alters_applied;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void exec_both(const char *sql)
{
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	dm_buf_printf(&history, "%s;\n", sql);
	if (mysql_query(conn, sql) != 0)
		fail_msg("server refused: %s\n  %s\nhistory:\n%s",
			 mysql_error(conn), sql, history.data);
	if (dm_schema_tracker_apply(tr, sql, strlen(sql), DB, &e) != 0) {
		dm_error_format(&b, e, 0);
		fail_msg("tracker refused: %s\n  %s\nhistory:\n%s", b.data,
			 sql, history.data);
	}
}

/* ------------------------------------------------------------ generator */

static const char *const types[] = {
	"INT", "INT UNSIGNED", "BIGINT", "TINYINT", "SMALLINT UNSIGNED",
	"MEDIUMINT", "DECIMAL(8,2)", "DECIMAL", "VARCHAR(20)", "VARCHAR(40)",
	"CHAR(5)", "CHAR", "TEXT", "TINYTEXT", "DATE", "DATETIME", "DOUBLE",
	"VARCHAR(10) CHARACTER SET latin1", "BOOL", "ENUM('a','b','c')",
	"VARBINARY(10)", "BLOB", "TIME(3)", "YEAR", "BIT(3)", "FLOAT",
	"INTEGER(5) ZEROFILL", "VARCHAR(12) COLLATE utf8mb4_bin",
	"NUMERIC(6,1)", "CHAR(3) CHARACTER SET ascii"
};

enum cls { C_INT, C_DEC, C_STR, C_OTHER };

static enum cls class_of(const char *type)
{
	if (strstr(type, "INT") || strcmp(type, "BOOL") == 0)
		return C_INT;
	if (strstr(type, "DECIMAL") || strstr(type, "NUMERIC"))
		return C_DEC;
	if (strstr(type, "CHAR") && !strstr(type, "BINARY"))
		return C_STR;
	return C_OTHER;
}

static void random_default(dm_buf *b, enum cls c, bool nullable, bool uns)
{
	static const char *const ints[] = { "0", "7", "-3", "'12'", "+5",
					    "007" };
	static const char *const decs[] = { "1.5", "0", "-2.25", "'3.1'",
					    "10" };
	static const char *const strs[] = { "'x'", "''", "'Q'", "5", "'_'" };
	size_t start = b->len;

	switch (rnd(4)) {
	case 0:
		return;
	case 1:
		if (nullable) {
			dm_buf_puts(b, " DEFAULT NULL");
			return;
		}
		break;
	default:
		break;
	}
	if (c == C_INT)
		dm_buf_printf(b, " DEFAULT %s", ints[rnd(6)]);
	else if (c == C_DEC)
		dm_buf_printf(b, " DEFAULT %s", decs[rnd(5)]);
	if (uns && b->len > start + 9 && b->data[start + 9] == '-')
		b->data[start + 9] = '+';
	else if (c == C_STR)
		dm_buf_printf(b, " DEFAULT %s", strs[rnd(5)]);
}

/* A column definition; *type_out: the type chosen. */
static void random_column(dm_buf *b, const char *name, const char **type_out)
{
	const char *type = types[rnd(sizeof(types) / sizeof(types[0]))];
	enum cls c = class_of(type);
	bool nullable = true;

	/* ENUM values carry a default only from its members */
	if (strstr(type, "ENUM"))
		c = C_OTHER;
	dm_buf_printf(b, "`%s` %s", name, type);
	switch (rnd(3)) {
	case 0:
		dm_buf_puts(b, " NOT NULL");
		nullable = false;
		break;
	case 1:
		dm_buf_puts(b, " NULL");
		break;
	default:
		break;
	}
	random_default(b, c, nullable,
		       strstr(type, "UNSIGNED") || strstr(type, "ZEROFILL"));
	if (type_out)
		*type_out = type;
}

static const dm_schema_table *cur(const char *table)
{
	const dm_schema_table *t = dm_schema_tracker_get(tr, DB, table);

	assert_non_null(t);
	return t;
}

static bool in_key(const dm_schema_table *t, const char *col)
{
	size_t i, j;

	for (i = 0; i < dm_schema_table_nkeys(t); i++) {
		const dm_schema_key *k = dm_schema_table_key(t, i);

		for (j = 0; j < k->nparts; j++)
			if (strcasecmp(k->parts[j].column, col) == 0)
				return true;
	}
	return false;
}

static bool has_primary(const dm_schema_table *t)
{
	size_t i;

	for (i = 0; i < dm_schema_table_nkeys(t); i++)
		if (dm_schema_table_key(t, i)->kind == DM_SCHEMA_KEY_PRIMARY)
			return true;
	return false;
}

static bool indexable(const dm_schema_column *c)
{
	const char *n = c->type_name;

	return strstr(n, "INT") || strcmp(n, "DECIMAL") == 0 ||
	       strcmp(n, "VARCHAR") == 0 || strcmp(n, "CHAR") == 0 ||
	       strcmp(n, "DATE") == 0 || strcmp(n, "DATETIME") == 0;
}

static const dm_schema_column *pick_col(const dm_schema_table *t)
{
	return dm_schema_table_column(t, rnd(
		(unsigned)dm_schema_table_ncolumns(t)));
}

static void position(dm_buf *b, const dm_schema_table *t, const char *self)
{
	const dm_schema_column *c;

	switch (rnd(4)) {
	case 0:
		dm_buf_puts(b, " FIRST");
		break;
	case 1:
		c = pick_col(t);
		if (!self || strcasecmp(c->name, self) != 0)
			dm_buf_printf(b, " AFTER `%s`", c->name);
		break;
	default:
		break;
	}
}

/* One ALTER specification into b; false when none fits this table. */
static bool random_spec(dm_buf *b, const dm_schema_table *t)
{
	const dm_schema_column *c = pick_col(t);
	size_t i;
	char name[32];

	snprintf(name, sizeof(name), "n%u", name_seq++);
	switch (rnd(15)) {
	case 0:
	case 1:
		dm_buf_puts(b, "ADD COLUMN ");
		random_column(b, name, NULL);
		position(b, t, NULL);
		return true;
	case 2:
		if (in_key(t, c->name) || dm_schema_table_ncolumns(t) < 2)
			return false;
		dm_buf_printf(b, "DROP COLUMN `%s`", c->name);
		return true;
	case 3:
		if (in_key(t, c->name))
			return false;
		dm_buf_printf(b, "MODIFY COLUMN ");
		random_column(b, c->name, NULL);
		position(b, t, c->name);
		return true;
	case 4:
		if (in_key(t, c->name))
			return false;
		dm_buf_printf(b, "CHANGE COLUMN `%s` ", c->name);
		random_column(b, name, NULL);
		position(b, t, c->name);
		return true;
	case 5:
		dm_buf_printf(b, "RENAME COLUMN `%s` TO `%s`", c->name, name);
		return true;
	case 6: {
		enum cls k = strstr(c->type_name, "INT") ? C_INT
			     : strcmp(c->type_name, "DECIMAL") == 0 ? C_DEC
			     : strstr(c->type_name, "CHAR") ? C_STR
							     : C_OTHER;
		size_t before = b->len;

		if (k == C_OTHER)
			return false;
		dm_buf_printf(b, "ALTER COLUMN `%s` SET", c->name);
		i = b->len;
		random_default(b, k, false, c->is_unsigned);
		if (b->len == i) {
			dm_buf_truncate(b, before);
			return false;
		}
		return true;
	}
	case 7:
		dm_buf_printf(b, "ALTER COLUMN `%s` DROP DEFAULT", c->name);
		return true;
	case 8:
	case 9: {
		const dm_schema_column *c2 = pick_col(t);
		bool uniq = rnd(2) == 0;

		if (!indexable(c))
			return false;
		dm_buf_printf(b, "ADD %s", uniq ? "UNIQUE" : "INDEX");
		if (rnd(2))
			dm_buf_printf(b, " `i%s`", name);
		dm_buf_printf(b, " (`%s`", c->name);
		if (indexable(c2) && strcasecmp(c2->name, c->name) != 0 &&
		    rnd(2))
			dm_buf_printf(b, ", `%s`", c2->name);
		dm_buf_putc(b, ')');
		return true;
	}
	case 10:
		if (has_primary(t) || !indexable(c) || c->nullable)
			return false;
		dm_buf_printf(b, "ADD PRIMARY KEY (`%s`)", c->name);
		return true;
	case 11: {
		const dm_schema_key *k;

		if (dm_schema_table_nkeys(t) == 0)
			return false;
		k = dm_schema_table_key(t, rnd((unsigned)dm_schema_table_nkeys(t)));
		if (k->kind == DM_SCHEMA_KEY_PRIMARY)
			dm_buf_puts(b, "DROP PRIMARY KEY");
		else
			dm_buf_printf(b, "DROP INDEX `%s`", k->name);
		return true;
	}
	case 12: {
		const dm_schema_key *k;

		if (dm_schema_table_nkeys(t) == 0)
			return false;
		k = dm_schema_table_key(t, rnd((unsigned)dm_schema_table_nkeys(t)));
		if (k->kind == DM_SCHEMA_KEY_PRIMARY)
			return false;
		dm_buf_printf(b, "RENAME INDEX `%s` TO `k%s`", k->name, name);
		return true;
	}
	case 13:
		dm_buf_printf(b, "CONVERT TO CHARACTER SET %s",
			      rnd(2) ? "latin1" : "utf8mb4");
		return true;
	default:
		dm_buf_printf(b, "DEFAULT CHARSET=%s",
			      rnd(2) ? "latin1" : "utf8mb4");
		return true;
	}
}

/* ------------------------------------------------------------- compare */

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted lines of text joined again. */
static void sort_lines(dm_buf *b)
{
	char *lines[512], *copy, *p, *nl;
	size_t n = 0, i;
	dm_buf out = DM_BUF_INIT;

	if (!b->data)
		return;
	copy = strdup(b->data);
	for (p = copy; *p && n < 512; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		lines[n++] = p;
	}
	qsort(lines, n, sizeof(*lines), cmp_lines);
	for (i = 0; i < n; i++)
		dm_buf_printf(&out, "%s\n", lines[i]);
	dm_buf_clear(b);
	dm_buf_puts(b, out.data ? out.data : "");
	dm_buf_free(&out);
	free(copy);
}

static void query_lines(dm_buf *out, const char *sql)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned i, nf;

	if (mysql_query(conn, sql) != 0)
		fail_msg("%s: %s", sql, mysql_error(conn));
	res = mysql_store_result(conn);
	assert_non_null(res);
	nf = mysql_num_fields(res);
	while ((row = mysql_fetch_row(res))) {
		for (i = 0; i < nf; i++)
			dm_buf_printf(out, "%s%s", i ? "|" : "",
				      row[i] ? row[i] : "<null>");
		dm_buf_putc(out, '\n');
	}
	mysql_free_result(res);
}

static void compare(const char *table)
{
	const dm_schema_table *t = cur(table);
	dm_buf want = DM_BUF_INIT, got = DM_BUF_INIT, sql = DM_BUF_INIT;
	size_t i, j;

	for (i = 0; i < dm_schema_table_ncolumns(t); i++) {
		const dm_schema_column *c = dm_schema_table_column(t, i);

		dm_buf_printf(&want, "%s|%s|%s|%s|%s|%s\n", c->name, c->type,
			      c->nullable ? "YES" : "NO",
			      c->default_sql ? c->default_sql : "<null>",
			      c->charset ? c->charset : "<null>",
			      c->collation ? c->collation : "<null>");
	}
	dm_buf_printf(&sql,
		      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, "
		      "COLUMN_DEFAULT, CHARACTER_SET_NAME, COLLATION_NAME "
		      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='%s' "
		      "AND TABLE_NAME='%s' ORDER BY ORDINAL_POSITION", DB,
		      table);
	query_lines(&got, sql.data);
	for (i = 0; i < dm_schema_table_nkeys(t); i++) {
		const dm_schema_key *k = dm_schema_table_key(t, i);

		for (j = 0; j < k->nparts; j++) {
			dm_buf_printf(&want, "key %s|%zu|%s|%d|", k->name, j + 1,
				      k->parts[j].column,
				      k->kind == DM_SCHEMA_KEY_PRIMARY ||
						      k->kind == DM_SCHEMA_KEY_UNIQUE
					      ? 0 : 1);
			if (k->parts[j].length >= 0)
				dm_buf_printf(&want, "%lld\n",
					      k->parts[j].length);
			else
				dm_buf_puts(&want, "<null>\n");
		}
	}
	dm_buf_clear(&sql);
	dm_buf_printf(&sql,
		      "SELECT CONCAT('key ', INDEX_NAME), SEQ_IN_INDEX, "
		      "COLUMN_NAME, NON_UNIQUE, SUB_PART FROM "
		      "information_schema.STATISTICS WHERE TABLE_SCHEMA='%s' "
		      "AND TABLE_NAME='%s'", DB, table);
	query_lines(&got, sql.data);
	sort_lines(&want);
	sort_lines(&got);
	if (strcmp(want.data ? want.data : "", got.data ? got.data : "") != 0)
		fail_msg("tracker and server differ for %s\ntracker:\n%s"
			 "server:\n%s\nhistory:\n%s", table, want.data,
			 got.data, history.data);
	steps_checked++;
	dm_buf_free(&want);
	dm_buf_free(&got);
	dm_buf_free(&sql);
}

/* ---------------------------------------------------------------- tests */

static void test_schema_tracker__random_alters_match_information_schema(
	void **state)
{
	unsigned s, k, i, ncols;
	dm_buf b = DM_BUF_INIT;
	char table[32], renamed[32];

	(void)state;
	for (s = 0; s < SEQUENCES; s++) {
		dm_buf_clear(&history);
		snprintf(table, sizeof(table), "t%u", s);
		dm_buf_clear(&b);
		dm_buf_printf(&b, "CREATE TABLE `%s` (", table);
		ncols = 2 + rnd(4);
		for (i = 0; i < ncols; i++) {
			char cn[16];

			snprintf(cn, sizeof(cn), "c%u", i);
			if (i > 0)
				dm_buf_puts(&b, ", ");
			random_column(&b, cn, NULL);
		}
		dm_buf_putc(&b, ')');
		if (rnd(3) == 0)
			dm_buf_puts(&b, " DEFAULT CHARSET=latin1");
		exec_both(b.data);
		compare(table);
		for (k = 0; k < STEPS; k++) {
			unsigned tries = 0;

			dm_buf_clear(&b);
			dm_buf_printf(&b, "ALTER TABLE `%s` ", table);
			while (!random_spec(&b, cur(table)) && tries++ < 50)
				;
			if (rnd(5) == 0) {
				char cn[32];

				/* a second, independent specification */
				snprintf(cn, sizeof(cn), "m%u", name_seq++);
				dm_buf_puts(&b, ", ADD COLUMN ");
				random_column(&b, cn, NULL);
			}
			exec_both(b.data);
			alters_applied++;
			compare(table);
		}
		snprintf(renamed, sizeof(renamed), "r%u", s);
		dm_buf_clear(&b);
		dm_buf_printf(&b, "RENAME TABLE `%s` TO `%s`", table, renamed);
		exec_both(b.data);
		assert_null(dm_schema_tracker_get(tr, DB, table));
		compare(renamed);
		dm_buf_clear(&b);
		dm_buf_printf(&b, "TRUNCATE TABLE `%s`", renamed);
		exec_both(b.data);
		dm_buf_clear(&b);
		dm_buf_printf(&b, "DROP TABLE `%s`", renamed);
		exec_both(b.data);
		assert_null(dm_schema_tracker_get(tr, DB, renamed));
	}
	dm_buf_free(&b);
	print_message("%u sequences, %u ALTER statements, %u comparisons\n",
		      SEQUENCES, alters_applied, steps_checked);
}

static int setup(void **state)
{
	dm_error *e = NULL;
	sandbox_server down;

	(void)state;
	if (sandbox_downstream(&down) != 0)
		return -1;
	conn = sandbox_connect(&down, NULL);
	if (!conn)
		return -1;
	if (mysql_query(conn, "DROP DATABASE IF EXISTS " DB) != 0)
		return -1;
	if (dm_schema_tracker_new(&tr, NULL, &e) != 0)
		return -1;
	exec_both("CREATE DATABASE " DB
		  " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
	if (mysql_query(conn, "USE " DB) != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (conn) {
		mysql_query(conn, "DROP DATABASE IF EXISTS " DB);
		mysql_close(conn);
	}
	dm_schema_tracker_free(tr);
	dm_buf_free(&history);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_schema_tracker__random_alters_match_information_schema),
	};

	sandbox_require();
	return cmocka_run_group_tests(tests, setup, teardown);
}
