/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_sql_eval against the sandbox MariaDB: random expressions over random
 * typed rows (fixed seed) are evaluated by libdm and by `SELECT expr FROM t
 * WHERE id = n`; the texts must be equal (an error on both sides counts as
 * agreement). Prints the agreement rate; any mismatch fails the test.
 *
 * The generated grammar is limited to what dm_sql_eval implements
 * exactly: integer and DECIMAL arithmetic (+ - * DIV %, and / only at the
 * top of an expression, because MariaDB keeps more digits in intermediate
 * quotients), comparisons (numbers, strings, string with number, dates
 * with date strings), AND/OR/XOR/NOT, IS [NOT] NULL/TRUE, IN, BETWEEN,
 * LIKE, CASE/IF/IFNULL/NULLIF/COALESCE, CAST to SIGNED/DECIMAL/CHAR, the
 * string functions, ABS/SIGN/CEIL/FLOOR/ROUND/TRUNCATE/MOD/GREATEST/LEAST,
 * YEAR/MONTH/DAY/DATEDIFF/DATE_ADD/DATE_SUB, [NOT] REGEXP, NOW/CURDATE,
 * TIMESTAMPDIFF, UNIX_TIMESTAMP, FROM_UNIXTIME, DATE_FORMAT, JSON_EXTRACT
 * and JSON_UNQUOTE over a column of JSON documents (valid and not), the
 * bit operators and BIT_COUNT, DOUBLE literals, strings in arithmetic and
 * CAST AS DOUBLE. Both sides run with the same "now" (SET timestamp) and
 * time zone (SET time_zone). libdm's text is dm_sql_eval_text's; for
 * results other than DOUBLE it must also be dm_sql_eval's value as
 * dm_value_format_text prints it.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-sql_eval
 * The environment variables DM_SQL_EVAL_SEED (a number, 0x.. allowed) and
 * DM_SQL_EVAL_COUNT (expressions) replace the fixed seed and the count, to
 * explore other inputs; the default run is deterministic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/db.h"
#include "dm/err.h"
#include "dm/log.h"
#include "dm/sql.h"
#include "dm/util.h"
#include "dm/value.h"
#include "sandbox/sandbox.h"

#define TEST_DB "dmtest_sql_eval"
#define NROWS 40
#define NEXPR 1500
#define DEFAULT_SEED 0x5eed2024u

static const char *const table_sql =
	"CREATE TABLE t (id INT PRIMARY KEY, i1 INT, i2 BIGINT, "
	"d1 DECIMAL(10,2), d2 DECIMAL(12,4), s1 VARCHAR(20), s2 VARCHAR(20), "
	"dt DATE, j VARCHAR(60), d3 DECIMAL(65,30))";
#define NCOLS 10
#define CELL 80

static dm_ctx *ctx;
static sandbox_server down;
static dm_db *db;
static uint64_t seed = DEFAULT_SEED;
static int nexpr = NEXPR;

static unsigned rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (unsigned)((seed >> 33) % n) : 0;
}

/* ------------------------------------------------------------ rows */

static char cells[NROWS][NCOLS][CELL]; /* "" = NULL, else the text */
static bool is_null[NROWS][NCOLS];

static const char *const jdocs[] = {
	"{\"a\": 1, \"b\": [1, 2 ,3]}", "[1, {\"a\":\"x\"}, null]",
	"{\"a\":{\"a\":2},\"c\":\"q\"}", "\"str\"", "12.50", "[]",
	"{\"b\": {\"c\": [true, false]}}", "{\"a\": 1", "not json",
	"[[1, 2], [3, [4]]]"
};

static const char *const words[] = {
	"abc", "ABC", "hello", "Hello World", "12", "12abc", "-3.5", "x_y%z",
	"", " pad ", "a", "zz", "banana", "0", "1e2", "abcabc"
};

/* A decimal of `intg` integer digits and `frac` decimals into t
 * (>= intg + frac + 3 bytes), a minus first when `neg`. */
static void lit_digits(char *t, unsigned intg, unsigned frac, bool neg)
{
	size_t p = 0;
	unsigned k;

	if (neg)
		t[p++] = '-';
	for (k = 0; k < intg; k++)
		t[p++] = (char)('0' + (k == 0 && intg > 1 ? 1 + rnd(9) : rnd(10)));
	if (frac) {
		t[p++] = '.';
		for (k = 0; k < frac; k++)
			t[p++] = (char)('0' + rnd(10));
	}
	t[p] = '\0';
}

static void gen_rows(void)
{
	int r, k;

	for (r = 0; r < NROWS; r++) {
		snprintf(cells[r][0], CELL, "%d", r + 1);
		for (k = 1; k < NCOLS; k++) {
			is_null[r][k] = rnd(8) == 0;
			switch (k) {
			case 1:
				snprintf(cells[r][k], CELL, "%d", (int)rnd(2001) - 1000);
				break;
			case 2:
				snprintf(cells[r][k], CELL, "%lld",
					 (long long)rnd(2000000001) - 1000000000LL);
				break;
			case 3:
				snprintf(cells[r][k], CELL, "%d.%02u",
					 (int)rnd(20001) - 10000, rnd(100));
				if (cells[r][k][0] == '0' && rnd(2))
					cells[r][k][0] = '0';
				break;
			case 4:
				snprintf(cells[r][k], CELL, "%s%u.%04u",
					 rnd(3) ? "" : "-", rnd(100000), rnd(10000));
				break;
			case 5:
			case 6:
				snprintf(cells[r][k], CELL, "%s",
					 words[rnd(sizeof(words) / sizeof(words[0]))]);
				break;
			case 7:
				snprintf(cells[r][k], CELL, "%04u-%02u-%02u",
					 1990 + rnd(40), 1 + rnd(12), 1 + rnd(28));
				break;
			case 8:
				snprintf(cells[r][k], CELL, "%s",
					 jdocs[rnd(sizeof(jdocs) / sizeof(jdocs[0]))]);
				break;
			default:
				/* DECIMAL(65,30): up to 35 + 30 digits */
				lit_digits(cells[r][k], 1 + rnd(35), rnd(31),
					   rnd(3) == 0);
				break;
			}
		}
	}
}

/* ------------------------------------------------------ expressions */

typedef struct gen {
	dm_buf b;
} gen;

static void put(gen *g, const char *s)
{
	assert_int_equal(dm_buf_puts(&g->b, s), 0);
}

static void gnum(gen *g, int d);
static void gstr(gen *g, int d);
static void gbool(gen *g, int d);
static void gdate(gen *g, int d);

static void lit_int(gen *g)
{
	char t[24];

	snprintf(t, sizeof(t), "%d", (int)rnd(41) - 20);
	if (t[0] == '-')
		put(g, "(");
	put(g, t);
	if (t[0] == '-')
		put(g, ")");
}

static void lit_regex(gen *g)
{
	static const char *const l[] = { "'^a'", "'b.*c'", "'[0-9]+'", "'AB'",
					 "'^$'", "'l{2}'", "'(a|z)$'", "'_'",
					 "'^[[:alpha:] ]+$'", "'\\\\d'", "'O'",
					 "'^.{3}$'" };

	put(g, l[rnd(sizeof(l) / sizeof(l[0]))]);
}

static void gnum(gen *g, int d)
{
	static const char *const ops[] = { " + ", " - ", " * ", " DIV ", " % " };
	static const char *const cols[] = { "i1", "i2", "d1", "d2" };
	char t[40];
	unsigned pick = d <= 0 ? rnd(4) : rnd(35);

	switch (pick) {
	case 0:
	case 1:
		put(g, rnd(6) ? cols[rnd(4)] : "d3");
		return;
	case 26:
	case 27: {
		static const char *const bops[] = { " & ", " | ", " ^ " };

		put(g, "(");
		gnum(g, d - 1);
		if (rnd(3)) {
			put(g, bops[rnd(3)]);
			gnum(g, d - 1);
		} else {
			snprintf(t, sizeof(t), rnd(2) ? " << %u" : " >> %u",
				 rnd(70));
			put(g, t);
		}
		put(g, ")");
		return;
	}
	case 28:
		put(g, rnd(2) ? "BIT_COUNT(" : "~(");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 29: {
		static const char *const u[] = { "MICROSECOND", "SECOND",
						 "MINUTE", "HOUR", "DAY", "WEEK",
						 "MONTH", "QUARTER", "YEAR" };

		snprintf(t, sizeof(t), "TIMESTAMPDIFF(%s, ", u[rnd(9)]);
		put(g, t);
		rnd(3) ? gdate(g, d - 1) : put(g, "NOW()");
		put(g, ", ");
		rnd(4) ? gdate(g, d - 1) : put(g, "'2024-02-29 12:30:45.5'");
		put(g, ")");
		return;
	}
	case 30:
		if (rnd(4) == 0) {
			put(g, "UNIX_TIMESTAMP()");
			return;
		}
		put(g, "UNIX_TIMESTAMP(");
		gdate(g, d - 1);
		put(g, ")");
		return;
	case 31:
		put(g, "(");
		gstr(g, d - 1);
		put(g, rnd(3) ? " REGEXP " : " NOT REGEXP ");
		lit_regex(g);
		put(g, ")");
		return;
	case 32:
		/* DOUBLE: a literal, a string in arithmetic, a CAST */
		switch (rnd(4)) {
		case 0:
			snprintf(t, sizeof(t), "%u.%ue%d", rnd(100), rnd(1000),
				 (int)rnd(41) - 20);
			put(g, t);
			break;
		case 1:
			put(g, "(");
			gstr(g, d - 1);
			put(g, rnd(2) ? " + " : " * ");
			gnum(g, d - 1);
			put(g, ")");
			break;
		case 2:
			put(g, "CAST(");
			gnum(g, d - 1);
			put(g, " AS DOUBLE)");
			break;
		default:
			put(g, "(");
			gnum(g, d - 1);
			put(g, rnd(2) ? " / 3e0)" : " * 1.1e0)");
			break;
		}
		return;
	case 33:
	case 34:
		/* DOUBLEs with fixed decimals: ROUND/CEIL/FLOOR of one */
		if (rnd(2)) {
			put(g, "ROUND(");
			gnum(g, d - 1);
			snprintf(t, sizeof(t), " * 1.5e0, %d)", (int)rnd(6) - 2);
		} else {
			put(g, rnd(2) ? "CEIL(" : "FLOOR(");
			gnum(g, d - 1);
			snprintf(t, sizeof(t), " + 0.5e0)");
		}
		put(g, t);
		return;
	case 2:
		lit_int(g);
		return;
	case 3:
		if (rnd(5) == 0) {
			/* 39 to 65 digits: beyond 128 bits */
			char w[80];
			unsigned n = 39 + rnd(27), f = rnd(n < 30 ? n : 30);

			lit_digits(w, n - f, f, false);
			put(g, w);
			return;
		}
		snprintf(t, sizeof(t), "%u.%0*u", rnd(100), (int)(1 + rnd(3)), rnd(10));
		put(g, t);
		return;
	case 4: case 5: case 6: case 7:
		put(g, "(");
		gnum(g, d - 1);
		put(g, ops[rnd(5)]);
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 8: {
		static const char *const f1[] = { "ABS(", "SIGN(", "CEIL(",
						  "FLOOR(", "ROUND(" };
		unsigned f = rnd(5);

		put(g, f1[f]);
		/* CEIL/FLOOR only of a column: of a DECIMAL with more than
		 * 18 integer digits (say IF(c, d2, i2)) MariaDB's result is
		 * a DECIMAL, and libdm does not track precisions */
		if (f == 2 || f == 3)
			put(g, cols[rnd(4)]);
		else
			gnum(g, d - 1);
		put(g, ")");
		return;
	}
	case 9:
		put(g, rnd(2) ? "ROUND(" : "TRUNCATE(");
		gnum(g, d - 1);
		snprintf(t, sizeof(t), ", %d)", (int)rnd(5) - 1);
		put(g, t);
		return;
	case 10:
		put(g, rnd(2) ? "LENGTH(" : "CHAR_LENGTH(");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 11:
		put(g, rnd(2) ? "LOCATE(" : "INSTR(");
		gstr(g, d - 1);
		put(g, ", ");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 12:
		put(g, "IF(");
		gbool(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 13:
		put(g, rnd(2) ? "IFNULL(" : "NULLIF(");
		gnum(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 14:
		put(g, "COALESCE(");
		gnum(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 15:
		put(g, "CASE WHEN ");
		gbool(g, d - 1);
		put(g, " THEN ");
		gnum(g, d - 1);
		if (rnd(2)) {
			put(g, " ELSE ");
			gnum(g, d - 1);
		}
		put(g, " END");
		return;
	case 16:
		put(g, "CAST(");
		gnum(g, d - 1);
		put(g, rnd(2) ? " AS SIGNED)" : " AS DECIMAL(10,2))");
		return;
	case 17:
		put(g, rnd(2) ? "GREATEST(" : "LEAST(");
		gnum(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 18: {
		static const char *const f[] = { "YEAR(", "MONTH(", "DAY(" };

		put(g, f[rnd(3)]);
		gdate(g, d - 1);
		put(g, ")");
		return;
	}
	case 19:
		put(g, "DATEDIFF(");
		gdate(g, d - 1);
		put(g, ", ");
		gdate(g, d - 1);
		put(g, ")");
		return;
	case 20:
		put(g, "MOD(");
		gnum(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 21:
		put(g, "NULL");
		return;
	case 22:
		put(g, "(");
		gbool(g, d - 1);
		put(g, ")");
		return;
	case 23:
		put(g, "CASE ");
		gnum(g, d - 1);
		put(g, " WHEN ");
		lit_int(g);
		put(g, " THEN ");
		gnum(g, d - 1);
		put(g, " WHEN ");
		gnum(g, d - 1);
		put(g, " THEN ");
		gnum(g, d - 1);
		put(g, " ELSE ");
		gnum(g, d - 1);
		put(g, " END");
		return;
	case 24:
		put(g, "-");
		put(g, cols[rnd(4)]);
		return;
	default:
		put(g, "CAST(");
		gstr(g, d - 1);
		put(g, " AS SIGNED)");
		return;
	}
}

static void lit_str(gen *g)
{
	static const char *const l[] = { "'abc'", "'ABC'", "'12'", "'b%'",
					 "'%c'", "'_b_'", "'a'", "'hello'",
					 "'x\\_y%'", "''", "'zz'", "'12abc'" };

	put(g, l[rnd(sizeof(l) / sizeof(l[0]))]);
}

static void gstr(gen *g, int d)
{
	char t[80];
	unsigned pick = d <= 0 ? rnd(3) : rnd(23);

	switch (pick) {
	case 0:
		put(g, rnd(2) ? "s1" : "s2");
		return;
	case 1:
		lit_str(g);
		return;
	case 2:
		put(g, "s1");
		return;
	case 3:
		put(g, "CONCAT(");
		gstr(g, d - 1);
		put(g, ", ");
		rnd(2) ? gstr(g, d - 1) : gnum(g, d - 1);
		put(g, ")");
		return;
	case 4:
		put(g, "CONCAT_WS('-', ");
		gstr(g, d - 1);
		put(g, ", ");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 5:
		put(g, rnd(2) ? "LOWER(" : "UPPER(");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 6:
		put(g, "SUBSTRING(");
		gstr(g, d - 1);
		snprintf(t, sizeof(t), ", %d", (int)rnd(9) - 4);
		put(g, t);
		if (rnd(2)) {
			snprintf(t, sizeof(t), ", %d", (int)rnd(6) - 1);
			put(g, t);
		}
		put(g, ")");
		return;
	case 7:
		put(g, rnd(2) ? "LEFT(" : "RIGHT(");
		gstr(g, d - 1);
		snprintf(t, sizeof(t), ", %d)", (int)rnd(7) - 1);
		put(g, t);
		return;
	case 8:
		put(g, "TRIM(");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 9:
		put(g, "REPLACE(");
		gstr(g, d - 1);
		put(g, rnd(2) ? ", 'a', 'xy')" : ", 'bc', '')");
		return;
	case 10:
		put(g, rnd(2) ? "LPAD(" : "RPAD(");
		gstr(g, d - 1);
		snprintf(t, sizeof(t), ", %u, 'ab')", rnd(12));
		put(g, t);
		return;
	case 11:
		put(g, "IF(");
		gbool(g, d - 1);
		put(g, ", ");
		gstr(g, d - 1);
		put(g, ", ");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 12:
		put(g, "IFNULL(");
		gstr(g, d - 1);
		put(g, ", ");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 13:
		put(g, "CAST(");
		gnum(g, d - 1);
		put(g, " AS CHAR)");
		return;
	case 14:
		put(g, "TRIM(LEADING 'a' FROM ");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 15:
		put(g, "COALESCE(");
		gstr(g, d - 1);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 18: {
		static const char *const f[] = {
			"'%a %b %c %D %d %e %j %M %m %W %w %Y %y'",
			"'%U %u %V %v %X %x'", "'%H:%i:%s %f %h %I %k %l %p %r %T'",
			"'%Y%%%Q'", "''"
		};

		put(g, "DATE_FORMAT(");
		gdate(g, d - 1);
		put(g, ", ");
		put(g, f[rnd(5)]);
		put(g, ")");
		return;
	}
	case 19:
		snprintf(t, sizeof(t), "FROM_UNIXTIME(%u%s", rnd(2000000000),
			 rnd(2) ? ")" : ", '%Y-%m-%d %H:%i:%s.%f %W')");
		put(g, t);
		return;
	case 20:
	case 21: {
		static const char *const paths[] = {
			"'$'", "'$.a'", "'$.b[1]'", "'$[*]'", "'$.*'", "'$**.a'",
			"'$[last]'", "'$.b.c[0]'", "'$[1].a'", "'$[0 to 1]'",
			"'$.zz'", "'$[-1]'", "'bad'"
		};

		put(g, pick == 21 ? "JSON_UNQUOTE(JSON_EXTRACT(" : "JSON_EXTRACT(");
		put(g, rnd(4) ? "j" : "s1");
		put(g, ", ");
		put(g, paths[rnd(sizeof(paths) / sizeof(paths[0]))]);
		if (rnd(4) == 0) {
			put(g, ", ");
			put(g, paths[rnd(sizeof(paths) / sizeof(paths[0]))]);
		}
		put(g, pick == 21 ? "))" : ")");
		return;
	}
	default:
		put(g, "CONCAT(");
		gdate(g, d - 1);
		put(g, ")");
		return;
	}
}

static void gdate(gen *g, int d)
{
	static const char *const units[] = { "DAY", "MONTH", "YEAR", "WEEK" };
	char t[64];
	unsigned pick = d <= 0 ? rnd(2) : rnd(7);

	switch (pick) {
	case 0:
		put(g, "dt");
		return;
	case 5:
		put(g, rnd(2) ? "CURDATE()" : "DATE(NOW())");
		return;
	case 6:
		snprintf(t, sizeof(t), "DATE(FROM_UNIXTIME(%u))", rnd(2000000000));
		put(g, t);
		return;
	case 1:
		snprintf(t, sizeof(t), "DATE('%04u-%02u-%02u')", 1995 + rnd(30),
			 1 + rnd(12), 1 + rnd(28));
		put(g, t);
		return;
	case 2:
	case 3:
		put(g, rnd(2) ? "DATE_ADD(" : "DATE_SUB(");
		gdate(g, d - 1);
		snprintf(t, sizeof(t), ", INTERVAL %d %s)", (int)rnd(80) - 20,
			 units[rnd(4)]);
		put(g, t);
		return;
	default:
		put(g, "(");
		gdate(g, d - 1);
		snprintf(t, sizeof(t), " + INTERVAL %u DAY)", rnd(400));
		put(g, t);
		return;
	}
}

static void gbool(gen *g, int d)
{
	static const char *const cmp[] = { " = ", " <> ", " < ", " <= ", " > ",
					   " >= ", " <=> " };
	char t[64];
	unsigned pick = d <= 0 ? rnd(2) : rnd(16);

	switch (pick) {
	case 0:
	case 1:
	case 2:
		gnum(g, d - 1);
		put(g, cmp[rnd(7)]);
		gnum(g, d - 1);
		return;
	case 3:
		gstr(g, d - 1);
		put(g, cmp[rnd(7)]);
		gstr(g, d - 1);
		return;
	case 4:
		gstr(g, d - 1);
		put(g, cmp[rnd(6)]);
		gnum(g, d - 1);
		return;
	case 5:
		gdate(g, d - 1);
		put(g, cmp[rnd(7)]);
		snprintf(t, sizeof(t), "'%04u-%02u-%02u'", 1990 + rnd(40),
			 1 + rnd(12), 1 + rnd(28));
		put(g, t);
		return;
	case 6: {
		static const char *const lg[] = { " AND ", " OR ", " XOR " };

		put(g, "(");
		gbool(g, d - 1);
		put(g, lg[rnd(3)]);
		gbool(g, d - 1);
		put(g, ")");
		return;
	}
	case 7:
		put(g, "NOT (");
		gbool(g, d - 1);
		put(g, ")");
		return;
	case 8: {
		static const char *const is[] = { " IS NULL", " IS NOT NULL",
						  " IS TRUE", " IS NOT FALSE" };

		put(g, "(");
		gnum(g, d - 1);
		put(g, ")");
		put(g, is[rnd(4)]);
		return;
	}
	case 9:
		gnum(g, d - 1);
		put(g, rnd(2) ? " IN (" : " NOT IN (");
		gnum(g, d - 1);
		put(g, ", ");
		lit_int(g);
		put(g, ", ");
		gnum(g, d - 1);
		put(g, ")");
		return;
	case 10:
		gnum(g, d - 1);
		put(g, rnd(2) ? " BETWEEN " : " NOT BETWEEN ");
		gnum(g, d - 1);
		put(g, " AND ");
		gnum(g, d - 1);
		return;
	case 11:
		gstr(g, d - 1);
		put(g, rnd(3) ? " LIKE " : " NOT LIKE ");
		lit_str(g);
		return;
	case 12:
		gstr(g, d - 1);
		put(g, " IN ('abc', ");
		gstr(g, d - 1);
		put(g, ")");
		return;
	case 14:
	case 15:
		gstr(g, d - 1);
		put(g, rnd(3) ? " REGEXP " : " NOT REGEXP ");
		lit_regex(g);
		return;
	default:
		gstr(g, d - 1);
		put(g, " LIKE 'a|%' ESCAPE '|'");
		return;
	}
}

/* ---------------------------------------------------------- the test */

static dm_sql_stmt *table_stmt;

static void fail_err(const char *what, dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
	fail_msg("%s: %s", what, b.data ? b.data : "");
}

static int group_setup(void **state)
{
	dm_error *e = NULL;
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	MYSQL *m;

	(void)state;
	if (dm_global_init(&e) != 0 || dm_ctx_new(&ctx, &e) != 0)
		return -1;
	if (sandbox_downstream(&down) != 0)
		return -1;
	m = sandbox_connect(&down, NULL);
	if (!m)
		return -1;
	if (sandbox_exec(m, "DROP DATABASE IF EXISTS " TEST_DB
			    "; CREATE DATABASE " TEST_DB)) {
		mysql_close(m);
		return -1;
	}
	mysql_close(m);
	o.host = down.host;
	o.port = down.port;
	o.user = down.user;
	o.password = down.password;
	o.database = TEST_DB;
	o.scope = DM_ERR_SCOPE_DOWNSTREAM;
	if (dm_db_open(&db, ctx, &o, &e) != 0)
		return -1;
	if (dm_sql_parse(&table_stmt, table_sql, strlen(table_sql), &po, &e))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dm_sql_stmt_free(table_stmt);
	dm_db_close(db);
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return 0;
}

static void exec_ok(const char *sql)
{
	dm_error *e = NULL;

	if (dm_db_exec(db, sql, strlen(sql), &e) != 0)
		fail_err(sql, e);
}

static void test_sql_eval__agrees_with_mariadb(void **state)
{
	const dm_sql_create_table *ct = dm_sql_stmt_create_table(table_stmt);
	dm_value vals[NROWS][NCOLS];
	dm_buf scratch[NROWS][NCOLS];
	dm_sql_eval_column cols[NROWS][NCOLS];
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_eval_opts eo = DM_SQL_EVAL_OPTS_INIT;
	dm_buf sql = DM_BUF_INIT, got = DM_BUF_INIT, want = DM_BUF_INIT;
	int r, k, n, agree = 0, both_err = 0, mismatch = 0;

	(void)state;
	assert_non_null(ct);
	assert_int_equal(ct->ncolumns, NCOLS);
	exec_ok(table_sql);
	/* the same "now" and time zone on both sides */
	exec_ok("SET timestamp = 1700000000.987654, time_zone = '+05:30'");
	eo.now_sec = 1700000000;
	eo.now_usec = 987654;
	eo.tz_offset = 5 * 3600 + 1800;
	gen_rows();
	for (r = 0; r < NROWS; r++) {
		dm_buf_clear(&sql);
		dm_buf_puts(&sql, "INSERT INTO t VALUES (");
		for (k = 0; k < NCOLS; k++) {
			dm_value in;
			dm_error *e = NULL;

			if (k)
				dm_buf_puts(&sql, ", ");
			if (is_null[r][k]) {
				dm_buf_puts(&sql, "NULL");
			} else {
				dm_buf_putc(&sql, '\'');
				dm_buf_puts(&sql, cells[r][k]);
				dm_buf_putc(&sql, '\'');
			}
			memset(&in, 0, sizeof(in));
			in.kind = is_null[r][k] ? DM_VALUE_NULL : DM_VALUE_STRING;
			in.v.str.ptr = cells[r][k];
			in.v.str.len = strlen(cells[r][k]);
			memset(&scratch[r][k], 0, sizeof(scratch[r][k]));
			if (dm_sql_eval_convert(&vals[r][k], &scratch[r][k], &in,
						ct->columns[k]->type, &e))
				fail_err(cells[r][k], e);
			cols[r][k].name = ct->columns[k]->name;
			cols[r][k].value = &vals[r][k];
			cols[r][k].type = ct->columns[k]->type;
		}
		dm_buf_puts(&sql, ")");
		exec_ok(sql.data);
	}
	for (n = 0; n < nexpr; n++) {
		gen g = { DM_BUF_INIT };
		dm_sql_stmt *st = NULL;
		dm_sql_eval_row row;
		dm_value out;
		dm_buf sc = DM_BUF_INIT;
		dm_error *e = NULL, *de = NULL;
		bool isnull = false, lib_err, db_err;
		unsigned kind = rnd(10);

		r = (int)rnd(NROWS);
		if (kind < 4)
			gnum(&g, 1 + (int)rnd(3));
		else if (kind < 6)
			gstr(&g, 1 + (int)rnd(3));
		else if (kind < 8)
			gbool(&g, 1 + (int)rnd(3));
		else if (kind < 9)
			gdate(&g, 1 + (int)rnd(2));
		else {
			put(&g, "(");
			gnum(&g, 1 + (int)rnd(2));
			put(&g, ") / (");
			gnum(&g, 1 + (int)rnd(2));
			put(&g, ")");
		}
		if (dm_sql_parse_expr(&st, g.b.data, g.b.len, &po, &e))
			fail_err(g.b.data, e);
		row.columns = cols[r];
		row.ncolumns = NCOLS;
		dm_buf_clear(&got);
		lib_err = dm_sql_eval(&out, &sc, dm_sql_stmt_expr(st), &row, &eo,
				      &e) != 0;
		if (!lib_err) {
			dm_buf vt = DM_BUF_INIT;
			bool tnull = true;

			if (dm_sql_eval_text(&got, &tnull, dm_sql_stmt_expr(st),
					     &row, &eo, NULL))
				fail_msg("dm_sql_eval_text failed: %s", g.b.data);
			assert_int_equal(tnull, out.kind == DM_VALUE_NULL);
			if (out.kind != DM_VALUE_DOUBLE && out.kind != DM_VALUE_NULL) {
				assert_int_equal(dm_value_format_text(&vt, &out, NULL), 0);
				if (vt.len != got.len ||
				    (got.len && memcmp(vt.data, got.data, got.len)))
					fail_msg("%s: value %s, text %s", g.b.data,
						 vt.data, got.data);
			}
			dm_buf_free(&vt);
		}
		dm_buf_clear(&sql);
		dm_buf_printf(&sql, "SELECT %s FROM t WHERE id = %d", g.b.data,
			      r + 1);
		dm_buf_clear(&want);
		db_err = dm_db_query_value(db, &want, &isnull, sql.data, &de) != 0;
		if (!db_err && isnull) {
			dm_buf_clear(&want);
			dm_buf_puts(&want, "NULL");
		}
		if (lib_err && db_err) {
			both_err++;
			agree++;
		} else if (!lib_err && !db_err && got.len == want.len &&
			   (got.len == 0 || !memcmp(got.data, want.data, got.len))) {
			agree++;
		} else {
			dm_buf eb = DM_BUF_INIT;

			if (lib_err)
				dm_error_format(&eb, e, 0);
			else if (db_err)
				dm_error_format(&eb, de, 0);
			print_message("MISMATCH row %d: %s\n  libdm:   %s\n  mariadb: %s\n",
				      r + 1, g.b.data,
				      lib_err ? eb.data : got.data ? got.data : "",
				      db_err ? eb.data : want.data ? want.data : "");
			dm_buf_free(&eb);
			mismatch++;
		}
		dm_error_free(e);
		dm_error_free(de);
		dm_buf_free(&sc);
		dm_buf_free(&g.b);
		dm_sql_stmt_free(st);
	}
	print_message("sql_eval: %d/%d expressions agree (%.2f%%), %d errors on "
		      "both sides, %d mismatches\n", agree, nexpr,
		      100.0 * agree / nexpr, both_err, mismatch);
	for (r = 0; r < NROWS; r++)
		for (k = 0; k < NCOLS; k++)
			dm_buf_free(&scratch[r][k]);
	dm_buf_free(&sql);
	dm_buf_free(&got);
	dm_buf_free(&want);
	assert_int_equal(mismatch, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sql_eval__agrees_with_mariadb),
	};

	const char *env = getenv("DM_SQL_EVAL_SEED");

	if (env && *env)
		seed = strtoull(env, NULL, 0);
	env = getenv("DM_SQL_EVAL_COUNT");
	if (env && atoi(env) > 0)
		nexpr = atoi(env);
	sandbox_require();
	return cmocka_run_group_tests_name("sql_eval", tests, group_setup,
					   group_teardown);
}
