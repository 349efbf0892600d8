/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The DDL corpus (tests/data/ddl, see its README.md) against lib/sql and a
 * real MariaDB. For every statement x of every executed file:
 *
 *   1. parse(restore(x)) equals parse(x) (dm_sql_stmt_equal), and the
 *      canonical text is a fixed point: restore(parse(restore(x))) is
 *      restore(x) byte for byte;
 *   2. x runs in schema A (dmrt_main) and restore(x), with every schema
 *      dmrt_NAME it writes renamed to dmrtb_NAME by the restore callback
 *      (bare names stay bare), runs in schema B (dmrtb_main), each on its
 *      own connection;
 *   3. SHOW CREATE TABLE (or DATABASE) of every table (or schema) the
 *      statement names is byte-identical on both sides once `dmrtb_ reads
 *      `dmrt_; at the end of each file every table of every dmrt_ schema
 *      is compared the same way.
 *
 * Files are ordered scripts: both sides start each file with fresh
 * schemas dmrt_main and dmrt_x (dmrtb_main, dmrtb_x) and fresh sessions.
 * Parse-only files (others.sql, show_create_mysql_views.sql) are parsed
 * and, where restore applies, checked as in 1. Files named invalid_*.sql
 * must fail to parse, statement by statement, with a positioned error.
 *
 * Every failure is printed with its file, line, statement and restored
 * text; the test fails on any. The corpus directory is DM_DDL_CORPUS
 * (default tests/data/ddl); DM_DDL_FILE=name runs one file only.
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-sql_ddl_roundtrip
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dm/db.h"
#include "dm/err.h"
#include "dm/log.h"
#include "dm/sql.h"
#include "dm/util.h"
#include "sandbox/sandbox.h"

#define SCHEMA_A "dmrt_main"
#define SCHEMA_B "dmrtb_main"
#define PREFIX_A "dmrt_"
#define PREFIX_B "dmrtb_"
#define MIN_CORPUS 1000

enum file_mode { FILE_EXECUTED, FILE_PARSE_ONLY, FILE_INVALID };

/* Files that are parsed and classified but not executed. */
static const char *const parse_only_files[] = {
	"others.sql",
	"show_create_mysql_views.sql",
};

typedef struct corpus_file {
	char *name;
	enum file_mode mode;
} corpus_file;

/* Tallies over the whole run, printed at the end. */
typedef struct tally {
	size_t statements;
	size_t executed;
	size_t parse_only;
	size_t invalid;
	size_t parse_failures;
	size_t restore_mismatches; /* meaning or fixed point changed */
	size_t server_mismatches;  /* server rejected restore(x) or differs */
	size_t corpus_errors;      /* the server rejected x itself */
	size_t accepted_invalid;   /* invalid_*.sql statements that parsed */
	size_t misclassified;      /* DDL of an executed file not called DDL */
} tally;

static const char *corpus_dir;
static corpus_file *files;
static size_t nfiles;
static tally total;
static dm_ctx *ctx;
static sandbox_server down;
static MYSQL *admin, *admin_b; /* B's schemas are dropped in parallel */
static dm_db *side_a, *side_b;
static unsigned server_version;
static double secs_exec, secs_show; /* of the current file */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------- helpers */

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	dm_buf b = DM_BUF_INIT;
	char chunk[8192];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(dm_buf_append(&b, chunk, n), 0);
	fclose(fp);
	if (!b.data)
		assert_int_equal(dm_buf_puts(&b, ""), 0);
	*len = b.len;
	return dm_buf_detach(&b);
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *error_text(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	if (e)
		dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE);
	else
		dm_buf_puts(&b, "(no error object)");
	return dm_buf_detach(&b);
}

/* 1-based line of byte `off` of text. */
static unsigned line_of(const char *text, size_t off)
{
	unsigned line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* "10.11.19-MariaDB-..." -> 101119 */
static unsigned version_number(const char *v)
{
	unsigned major = 0, minor = 0, patch = 0;

	if (sscanf(v, "%u.%u.%u", &major, &minor, &patch) < 2)
		return 0;
	return major * 10000 + minor * 100 + patch;
}

/* With the default database, so that dm_sql_stmt_tables names every
 * table fully. */
static dm_sql_parse_opts parse_opts(void)
{
	dm_sql_parse_opts o = DM_SQL_PARSE_OPTS_INIT;

	o.server_version = server_version;
	o.mariadb = true;
	o.default_db = SCHEMA_A;
	return o;
}

/* Without it: the tree B's text is restored from, so that a bare name
 * stays bare (and runs in B's default schema) and only the schemas the
 * statement writes go through the renaming. */
static dm_sql_parse_opts parse_opts_bare(void)
{
	dm_sql_parse_opts o = parse_opts();

	o.default_db = NULL;
	return o;
}

/* Every `dmrtb_ becomes `dmrt_, so that B's output reads like A's. */
static void map_b_to_a(dm_buf *b)
{
	static const char from[] = "`" PREFIX_B, to[] = "`" PREFIX_A;
	dm_buf out = DM_BUF_INIT;
	const char *p, *hit;

	if (!b->data)
		return;
	p = b->data;
	while ((hit = strstr(p, from)) != NULL) {
		assert_int_equal(dm_buf_append(&out, p, (size_t)(hit - p)), 0);
		assert_int_equal(dm_buf_puts(&out, to), 0);
		p = hit + strlen(from);
	}
	assert_int_equal(dm_buf_puts(&out, p), 0);
	dm_buf_free(b);
	*b = out;
}

/* ----------------------------------------------------- restore renaming */

/* Strings handed to the restore callback live here until restore returns. */
typedef struct rename_arena {
	char *names[64];
	size_t n;
	bool overflow;
} rename_arena;

static void arena_free(rename_arena *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->names[i]);
	a->n = 0;
}

/* dmrt_NAME -> dmrtb_NAME; everything else, and bare names, unchanged. */
static int rename_to_b(const char *schema, const char *table,
		       const char **new_schema, const char **new_table,
		       void *userdata)
{
	rename_arena *a = userdata;
	char *s;

	(void)table;
	(void)new_table;
	if (!schema || !has_prefix(schema, PREFIX_A))
		return 0;
	if (a->n == sizeof(a->names) / sizeof(a->names[0])) {
		a->overflow = true;
		return 0;
	}
	s = malloc(strlen(PREFIX_B) + strlen(schema) - strlen(PREFIX_A) + 1);
	assert_non_null(s);
	strcpy(s, PREFIX_B);
	strcat(s, schema + strlen(PREFIX_A));
	a->names[a->n++] = s;
	*new_schema = s;
	return 0;
}

/* ------------------------------------------------------------- servers */

static void admin_exec(const char *sql)
{
	if (sandbox_exec(admin, "%s", sql) != 0)
		fail_msg("set-up statement failed: %s", sql);
}

/* Drops the schemas LIKE pattern over connection m. Side B's run on a
 * thread of its own, so this reports in rc instead of failing. */
typedef struct drop_job {
	MYSQL *m;
	const char *pattern;
	int rc;
} drop_job;

static void *drop_schemas(void *arg)
{
	drop_job *j = arg;
	MYSQL_RES *res;
	MYSQL_ROW row;
	dm_buf q = DM_BUF_INIT;

	j->rc = -1;
	dm_buf_printf(&q, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
			  "WHERE SCHEMA_NAME LIKE '%s'", j->pattern);
	if (mysql_query(j->m, q.data) != 0 ||
	    (res = mysql_store_result(j->m)) == NULL) {
		fprintf(stderr, "listing schemas: %s\n", mysql_error(j->m));
		goto out;
	}
	dm_buf_clear(&q);
	/* Tables of one schema may refer to tables of another. */
	dm_buf_puts(&q, "SET SESSION foreign_key_checks = 0");
	while ((row = mysql_fetch_row(res)) != NULL) {
		unsigned long *lens = mysql_fetch_lengths(res);

		dm_buf_puts(&q, "; DROP DATABASE ");
		dm_db_quote_ident(&q, row[0], lens[0]);
	}
	mysql_free_result(res);
	dm_buf_puts(&q, "; SET SESSION foreign_key_checks = 1");
	j->rc = sandbox_exec(j->m, "%s", q.data) ? -1 : 0;
out:
	dm_buf_free(&q);
	return NULL;
}

/* Drops every schema of earlier files, both sides at once, and makes the
 * two fresh pairs. */
static void fresh_schemas(void)
{
	drop_job a = { admin, "dmrt\\_%", -1 }, b = { admin_b, "dmrtb\\_%", -1 };
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, drop_schemas, &b) == 0;

	drop_schemas(&a);
	if (threaded)
		pthread_join(t, NULL);
	else
		drop_schemas(&b);
	if (a.rc || b.rc)
		fail_msg("could not drop the schemas of the previous file");
	admin_exec("CREATE DATABASE " SCHEMA_A "; CREATE DATABASE "
		   PREFIX_A "x; CREATE DATABASE " SCHEMA_B
		   "; CREATE DATABASE " PREFIX_B "x");
}

/* Fresh sessions too: temporary tables and session state of the previous
 * file must not leak into the next one. */
static void fresh_sessions(void)
{
	dm_error *e = NULL;

	if (dm_db_reconnect(side_a, &e) != 0 ||
	    dm_db_reconnect(side_b, &e) != 0)
		fail_msg("reconnect: %s", error_text(e));
}

/* SHOW CREATE ... of one object into *out; returns 0 or the server's
 * errno (e.g. 1146 when the table does not exist). */
static unsigned show_create(dm_db *db, const char *what, const char *schema,
			    const char *table, dm_buf *out)
{
	dm_buf q = DM_BUF_INIT;
	dm_db_result *res = NULL;
	dm_error *e = NULL;
	const char *v;
	size_t len;
	unsigned no = 0;

	dm_buf_printf(&q, "SHOW CREATE %s ", what);
	dm_db_quote_ident(&q, schema, strlen(schema));
	if (table) {
		dm_buf_putc(&q, '.');
		dm_db_quote_ident(&q, table, strlen(table));
	}
	if (dm_db_query(db, &res, q.data, q.len, &e) != 0) {
		no = dm_error_server_errno(e);
		if (no == 0)
			no = 1;
		dm_error_free(e);
	} else {
		if (dm_db_result_next(res) == 0 &&
		    (v = dm_db_result_value(res, 1, &len)) != NULL)
			dm_buf_append(out, v, len);
		dm_db_result_free(res);
	}
	dm_buf_free(&q);
	return no;
}

/* ---------------------------------------------------------- one statement */

typedef struct stmt_ctx {
	const corpus_file *file;
	const char *text;     /* the whole file */
	size_t offset;        /* of the statement in the file */
	const char *sql;      /* the statement (NUL-terminated copy) */
	size_t failures;      /* in this file */
} stmt_ctx;

static void report(stmt_ctx *sc, const char *kind, const char *restored,
		   const char *fmt, ...) DM_PRINTF(4, 5);

static void report(stmt_ctx *sc, const char *kind, const char *restored,
		   const char *fmt, ...)
{
	va_list ap;

	sc->failures++;
	fprintf(stderr, "\n%s:%u: %s: ", sc->file->name,
		line_of(sc->text, sc->offset), kind);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  statement: %s\n", sc->sql);
	if (restored)
		fprintf(stderr, "  restored:  %s\n", restored);
}

static void compare_object(stmt_ctx *sc, const char *what, const char *schema,
			   const char *table, const char *restored)
{
	dm_buf a = DM_BUF_INIT, b = DM_BUF_INIT;
	char *schema_b = NULL;
	const char *sb = schema;
	unsigned ea, eb;
	double t0;

	if (has_prefix(schema, PREFIX_A)) {
		schema_b = malloc(strlen(schema) + 2);
		assert_non_null(schema_b);
		strcpy(schema_b, PREFIX_B);
		strcat(schema_b, schema + strlen(PREFIX_A));
		sb = schema_b;
	}
	t0 = now();
	ea = show_create(side_a, what, schema, table, &a);
	eb = show_create(side_b, what, sb, table, &b);
	secs_show += now() - t0;
	map_b_to_a(&b);
	if (ea != eb) {
		total.server_mismatches++;
		report(sc, "server mismatch", restored,
		       "SHOW CREATE %s `%s`%s%s%s: error %u on A, %u on B", what,
		       schema, table ? ".`" : "", table ? table : "",
		       table ? "`" : "", ea, eb);
	} else if (ea == 0 && (a.len != b.len ||
			       memcmp(a.data, b.data, a.len) != 0)) {
		total.server_mismatches++;
		report(sc, "server mismatch", restored,
		       "SHOW CREATE %s `%s`%s%s%s differs\n  A: %s\n  B: %s",
		       what, schema, table ? ".`" : "", table ? table : "",
		       table ? "`" : "", a.data, b.data);
	}
	free(schema_b);
	dm_buf_free(&a);
	dm_buf_free(&b);
}

/* Runs sql on one side; returns 0 or the server's errno, with the message. */
static unsigned run_on(dm_db *db, const char *sql, char **msg)
{
	dm_error *e = NULL;
	unsigned no;

	*msg = NULL;
	if (dm_db_exec(db, sql, strlen(sql), &e) == 0)
		return 0;
	no = dm_error_server_errno(e);
	*msg = error_text(e);
	dm_error_free(e);
	return no ? no : 1;
}

/* Side B runs on a thread of its own while side A runs on the caller's:
 * DDL waits on the disk, so the two overlap well. */
typedef struct side_job {
	dm_db *db;
	const char *sql;
	char *msg;
	unsigned no;
} side_job;

static void *side_job_run(void *arg)
{
	side_job *j = arg;

	j->no = run_on(j->db, j->sql, &j->msg);
	return NULL;
}

static void run_both(side_job *a, side_job *b)
{
	pthread_t t;
	bool threaded = pthread_create(&t, NULL, side_job_run, b) == 0;

	side_job_run(a);
	if (threaded)
		pthread_join(t, NULL);
	else
		side_job_run(b);
}

static void execute_both(stmt_ctx *sc, const dm_sql_stmt *stmt,
			 const char *restored_b)
{
	side_job ja = { side_a, sc->sql, NULL, 0 };
	side_job jb = { side_b, restored_b, NULL, 0 };
	const dm_sql_table_name *names;
	size_t n, i;
	char *ma, *mb;
	unsigned ea, eb;
	double t0;

	total.executed++;
	t0 = now();
	run_both(&ja, &jb);
	secs_exec += now() - t0;
	ea = ja.no;
	eb = jb.no;
	ma = ja.msg;
	mb = jb.msg;
	if (ea != 0) {
		total.corpus_errors++;
		report(sc, "corpus error", restored_b,
		       "the server rejects the statement itself: %s", ma);
	} else if (eb != 0) {
		total.server_mismatches++;
		report(sc, "server mismatch", restored_b,
		       "the server accepts x but rejects restore(x): %s", mb);
	}
	free(ma);
	free(mb);
	if (!stmt)
		return;
	n = dm_sql_stmt_tables(stmt, &names);
	for (i = 0; i < n; i++) {
		const char *schema = names[i].schema && *names[i].schema ?
					     names[i].schema : SCHEMA_A;

		if (names[i].table && *names[i].table)
			compare_object(sc, "TABLE", schema, names[i].table,
				       restored_b);
		else
			compare_object(sc, "DATABASE", schema, NULL,
				       restored_b);
	}
}

/* Restore with or without renaming into B; NULL after reporting a
 * failure. */
static char *restore(stmt_ctx *sc, const dm_sql_stmt *stmt, bool to_b)
{
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	rename_arena arena = { { NULL }, 0, false };
	dm_buf out = DM_BUF_INIT;
	dm_error *e = NULL;
	char *msg, *result = NULL;

	if (to_b) {
		ro.rename = rename_to_b;
		ro.rename_userdata = &arena;
	}
	if (dm_sql_restore(&out, stmt, &ro, &e) != 0) {
		msg = error_text(e);
		total.restore_mismatches++;
		report(sc, "restore failure", NULL, "%s", msg);
		free(msg);
		dm_error_free(e);
	} else if (arena.overflow) {
		fail_msg("too many names in one statement for the test");
	} else {
		result = out.data ? dm_buf_detach(&out) : strdup("");
	}
	arena_free(&arena);
	dm_buf_free(&out);
	return result;
}

static bool has_tree(dm_sql_kind k)
{
	switch (k) {
	case DM_SQL_CREATE_DATABASE:
	case DM_SQL_ALTER_DATABASE:
	case DM_SQL_DROP_DATABASE:
	case DM_SQL_CREATE_TABLE:
	case DM_SQL_CREATE_TABLE_LIKE:
	case DM_SQL_ALTER_TABLE:
	case DM_SQL_RENAME_TABLE:
	case DM_SQL_DROP_TABLE:
	case DM_SQL_TRUNCATE_TABLE:
	case DM_SQL_CREATE_INDEX:
	case DM_SQL_DROP_INDEX:
		return true;
	default:
		return false;
	}
}

/* Check 1: parse(restore(x)) == parse(x) and restore is a fixed point.
 * Returns restore(x) (caller frees) or NULL. */
static char *check_restore(stmt_ctx *sc, const dm_sql_stmt *stmt)
{
	dm_sql_parse_opts po = parse_opts();
	dm_sql_stmt *again = NULL;
	dm_error *e = NULL;
	char *r1, *r2, *msg;

	r1 = restore(sc, stmt, false);
	if (!r1)
		return NULL;
	if (dm_sql_parse(&again, r1, strlen(r1), &po, &e) != 0) {
		msg = error_text(e);
		total.restore_mismatches++;
		report(sc, "restore mismatch", r1,
		       "restore(x) does not parse: %s", msg);
		free(msg);
		dm_error_free(e);
		free(r1);
		return NULL;
	}
	if (!dm_sql_stmt_equal(stmt, again)) {
		dm_buf d1 = DM_BUF_INIT, d2 = DM_BUF_INIT;

		dm_sql_stmt_dump(&d1, stmt);
		dm_sql_stmt_dump(&d2, again);
		total.restore_mismatches++;
		report(sc, "restore mismatch", r1,
		       "parse(restore(x)) != parse(x)\n  tree of x:\n%s\n"
		       "  tree of restore(x):\n%s",
		       d1.data ? d1.data : "", d2.data ? d2.data : "");
		dm_buf_free(&d1);
		dm_buf_free(&d2);
	} else {
		r2 = restore(sc, again, false);
		if (r2 && strcmp(r1, r2) != 0) {
			total.restore_mismatches++;
			report(sc, "restore mismatch", r1,
			       "restore is not a fixed point; again: %s", r2);
		}
		free(r2);
	}
	dm_sql_stmt_free(again);
	return r1;
}

static void check_statement(stmt_ctx *sc)
{
	dm_sql_parse_opts po = parse_opts();
	dm_sql_stmt *stmt = NULL, *bare = NULL;
	dm_error *e = NULL;
	char *msg, *r1 = NULL, *rb = NULL;
	int rc;

	total.statements++;
	rc = dm_sql_parse(&stmt, sc->sql, strlen(sc->sql), &po, &e);
	if (sc->file->mode == FILE_INVALID) {
		total.invalid++;
		if (rc == 0) {
			total.accepted_invalid++;
			report(sc, "accepted invalid", NULL,
			       "the parser accepts a statement MariaDB rejects");
		} else if (!e || !strstr(dm_error_message(e), "line")) {
			msg = error_text(e);
			total.accepted_invalid++;
			report(sc, "unpositioned error", NULL,
			       "the error does not say where: %s", msg);
			free(msg);
		}
		goto out;
	}
	if (rc != 0) {
		msg = error_text(e);
		total.parse_failures++;
		report(sc, "parse failure", NULL, "%s", msg);
		free(msg);
		if (sc->file->mode == FILE_EXECUTED)
			execute_both(sc, NULL, sc->sql); /* keep the script going */
		goto out;
	}
	if (sc->file->mode == FILE_PARSE_ONLY) {
		total.parse_only++;
		if (has_tree(dm_sql_stmt_kind(stmt)) &&
		    !dm_sql_stmt_unsupported_reason(stmt))
			free(check_restore(sc, stmt));
		goto out;
	}
	if (dm_sql_stmt_unsupported_reason(stmt)) {
		total.parse_failures++;
		report(sc, "parse failure", NULL, "reported unsupported: %s",
		       dm_sql_stmt_unsupported_reason(stmt));
		execute_both(sc, NULL, sc->sql);
		goto out;
	}
	if (!dm_sql_stmt_is_ddl(stmt) || !has_tree(dm_sql_stmt_kind(stmt))) {
		total.misclassified++;
		report(sc, "misclassified", NULL, "kind \"%s\", ddl %s",
		       dm_sql_kind_name(dm_sql_stmt_kind(stmt)),
		       dm_sql_stmt_is_ddl(stmt) ? "true" : "false");
	}
	r1 = check_restore(sc, stmt);
	po = parse_opts_bare();
	if (dm_sql_parse(&bare, sc->sql, strlen(sc->sql), &po, &e) != 0) {
		msg = error_text(e);
		total.parse_failures++;
		report(sc, "parse failure", NULL,
		       "fails without a default database: %s", msg);
		free(msg);
	} else {
		rb = restore(sc, bare, true);
	}
	if (rb)
		execute_both(sc, stmt, rb);
	else
		execute_both(sc, NULL, sc->sql);
out:
	dm_sql_stmt_free(bare);
	free(r1);
	free(rb);
	dm_error_free(e);
	dm_sql_stmt_free(stmt);
}

/* Every table of every dmrt_ schema, A against B. */
static void compare_everything(stmt_ctx *sc)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	char *a_names, *b_names;
	size_t la = 0, lb = 0;
#define NAMES_SQL                                                              \
	"SELECT GROUP_CONCAT(CONCAT(SUBSTRING(TABLE_SCHEMA, %d), '.', "        \
	"TABLE_NAME) ORDER BY BINARY TABLE_SCHEMA, BINARY TABLE_NAME "         \
	"SEPARATOR ' ') FROM information_schema.TABLES WHERE "                 \
	"TABLE_SCHEMA LIKE '%s\\_%%'"
	char q[512];

	snprintf(q, sizeof(q), NAMES_SQL, (int)strlen(PREFIX_A) + 1, "dmrt");
	a_names = sandbox_query_value(admin, q, &la);
	snprintf(q, sizeof(q), NAMES_SQL, (int)strlen(PREFIX_B) + 1, "dmrtb");
	b_names = sandbox_query_value(admin, q, &lb);
#undef NAMES_SQL
	if ((a_names == NULL) != (b_names == NULL) ||
	    (a_names && strcmp(a_names, b_names) != 0)) {
		total.server_mismatches++;
		report(sc, "server mismatch", NULL,
		       "at the end of the file the tables differ\n  A: %s\n  B: %s",
		       a_names ? a_names : "", b_names ? b_names : "");
	}
	free(a_names);
	free(b_names);

	if (mysql_query(admin, "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE "
			       "FROM information_schema.TABLES WHERE "
			       "TABLE_SCHEMA LIKE 'dmrt\\_%' ORDER BY 1, 2") != 0)
		fail_msg("listing tables: %s", mysql_error(admin));
	res = mysql_store_result(admin);
	assert_non_null(res);
	while ((row = mysql_fetch_row(res)) != NULL)
		compare_object(sc, strcmp(row[2], "VIEW") == 0 ? "VIEW" : "TABLE",
			       row[0], row[1], NULL);
	mysql_free_result(res);

	if (mysql_query(admin, "SELECT SCHEMA_NAME FROM information_schema."
			       "SCHEMATA WHERE SCHEMA_NAME LIKE 'dmrt\\_%'") != 0)
		fail_msg("listing schemas: %s", mysql_error(admin));
	res = mysql_store_result(admin);
	assert_non_null(res);
	while ((row = mysql_fetch_row(res)) != NULL)
		compare_object(sc, "DATABASE", row[0], NULL, NULL);
	mysql_free_result(res);
}

/* Trims white space and one trailing ';'; returns a malloc'd copy, or
 * NULL when nothing is left. */
static char *statement_text(const char *p, size_t len, size_t *lead)
{
	size_t start = 0, end = len;
	char *s;

	while (start < end && strchr(" \t\r\n", p[start]))
		start++;
	while (end > start && strchr(" \t\r\n", p[end - 1]))
		end--;
	if (end > start && p[end - 1] == ';')
		end--;
	while (end > start && strchr(" \t\r\n", p[end - 1]))
		end--;
	if (end == start)
		return NULL;
	s = malloc(end - start + 1);
	assert_non_null(s);
	memcpy(s, p + start, end - start);
	s[end - start] = '\0';
	*lead = start;
	return s;
}

static void run_file(void **state)
{
	const corpus_file *f = *state;
	dm_sql_parse_opts po = parse_opts();
	dm_sql_span *spans = NULL;
	dm_error *e = NULL;
	char path[1024], *text, *msg;
	size_t len = 0, n = 0, i, lead = 0;
	stmt_ctx sc;
	double started;

	started = now();
	secs_exec = secs_show = 0;
	snprintf(path, sizeof(path), "%s/%s", corpus_dir, f->name);
	text = read_file(path, &len);
	if (!text)
		fail_msg("%s: cannot read", path);
	if (dm_sql_split(&spans, &n, text, len, &po, &e) != 0) {
		msg = error_text(e);
		total.parse_failures++;
		fail_msg("%s: dm_sql_split fails: %s", f->name, msg);
	}
	if (f->mode == FILE_EXECUTED) {
		fresh_schemas();
		fresh_sessions();
	}
	memset(&sc, 0, sizeof(sc));
	sc.file = f;
	sc.text = text;
	for (i = 0; i < n; i++) {
		char *sql = statement_text(text + spans[i].offset,
					   spans[i].len, &lead);

		if (!sql)
			continue;
		sc.offset = spans[i].offset + lead;
		sc.sql = sql;
		check_statement(&sc);
		free(sql);
	}
	if (f->mode == FILE_EXECUTED) {
		sc.offset = len;
		sc.sql = "(end of file)";
		compare_everything(&sc);
	}
	print_message("%s: %zu statements, %zu failures (%.1f s executing, "
		      "%.1f s comparing, %.1f s in all)\n",
		      f->name, n, sc.failures, secs_exec, secs_show,
		      now() - started);
	dm_sql_spans_free(spans);
	free(text);
	if (sc.failures)
		fail_msg("%s: %zu failures (details on stderr)", f->name,
			 sc.failures);
}

/* ------------------------------------------------------------- the corpus */

static int cmp_files(const void *a, const void *b)
{
	return strcmp(((const corpus_file *)a)->name,
		      ((const corpus_file *)b)->name);
}

static void find_files(void)
{
	const char *only = getenv("DM_DDL_FILE");
	DIR *d = opendir(corpus_dir);
	struct dirent *de;
	size_t i, cap = 0;

	if (!d) {
		fprintf(stderr, "sql_ddl_roundtrip: %s: cannot open (set "
				"DM_DDL_CORPUS or run from the source tree)\n",
			corpus_dir);
		exit(1);
	}
	while ((de = readdir(d)) != NULL) {
		corpus_file f;

		if (!has_suffix(de->d_name, ".sql") || de->d_name[0] == '.')
			continue;
		if (only && strcmp(only, de->d_name) != 0)
			continue;
		f.name = strdup(de->d_name);
		f.mode = has_prefix(de->d_name, "invalid_") ? FILE_INVALID :
							     FILE_EXECUTED;
		for (i = 0; i < sizeof(parse_only_files) /
					sizeof(parse_only_files[0]); i++)
			if (strcmp(de->d_name, parse_only_files[i]) == 0)
				f.mode = FILE_PARSE_ONLY;
		if (nfiles == cap) {
			cap = cap ? cap * 2 : 16;
			files = realloc(files, cap * sizeof(*files));
			if (!files)
				exit(1);
		}
		files[nfiles++] = f;
	}
	closedir(d);
	qsort(files, nfiles, sizeof(*files), cmp_files);
}

static void test_sql_ddl_roundtrip__corpus_is_big_enough(void **state)
{
	(void)state;
	print_message("sql_ddl_roundtrip: %zu statements (%zu executed, %zu "
		      "parse-only, %zu invalid); parse failures %zu, restore "
		      "mismatches %zu, server mismatches %zu, corpus errors "
		      "%zu, invalid accepted %zu, misclassified %zu\n",
		      total.statements, total.executed, total.parse_only,
		      total.invalid, total.parse_failures,
		      total.restore_mismatches, total.server_mismatches,
		      total.corpus_errors, total.accepted_invalid,
		      total.misclassified);
	if (getenv("DM_DDL_FILE"))
		skip();
	if (total.statements - total.invalid < MIN_CORPUS)
		fail_msg("the corpus has %zu valid statements; want %d",
			 total.statements - total.invalid, MIN_CORPUS);
}

static dm_db *open_side(const char *schema)
{
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_db *db = NULL;
	dm_error *e = NULL;

	o.host = down.host;
	o.port = down.port;
	o.user = down.user;
	o.password = down.password;
	o.database = schema;
	o.scope = DM_ERR_SCOPE_DOWNSTREAM;
	if (dm_db_open(&db, ctx, &o, &e) != 0) {
		fprintf(stderr, "sql_ddl_roundtrip: connect: %s\n",
			error_text(e));
		return NULL;
	}
	return db;
}

static int group_setup(void **state)
{
	dm_error *e = NULL;

	(void)state;
	if (dm_global_init(&e) != 0 || dm_ctx_new(&ctx, &e) != 0)
		return -1;
	if (sandbox_downstream(&down) != 0)
		return -1;
	admin = sandbox_connect(&down, NULL);
	admin_b = sandbox_connect(&down, NULL);
	if (!admin || !admin_b)
		return -1;
	if (sandbox_exec(admin, "SET SESSION group_concat_max_len = 16777216; "
				"CREATE DATABASE IF NOT EXISTS " SCHEMA_A
				"; CREATE DATABASE IF NOT EXISTS " SCHEMA_B) != 0)
		return -1;
	side_a = open_side(SCHEMA_A);
	side_b = open_side(SCHEMA_B);
	if (!side_a || !side_b)
		return -1;
	server_version = version_number(dm_db_server_version(side_a));
	return server_version ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	dm_db_close(side_a);
	dm_db_close(side_b);
	if (admin && admin_b) {
		drop_job a = { admin, "dmrt\\_%", -1 };
		drop_job b = { admin_b, "dmrtb\\_%", -1 };

		drop_schemas(&a);
		drop_schemas(&b);
	}
	if (admin)
		mysql_close(admin);
	if (admin_b)
		mysql_close(admin_b);
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return 0;
}

int main(void)
{
	struct CMUnitTest *tests;
	size_t i;
	int rc;

	sandbox_require();
	corpus_dir = getenv("DM_DDL_CORPUS");
	if (!corpus_dir || !*corpus_dir)
		corpus_dir = "tests/data/ddl";
	find_files();
	tests = calloc(nfiles + 1, sizeof(*tests));
	if (!tests)
		return 1;
	for (i = 0; i < nfiles; i++) {
		tests[i].name = files[i].name;
		tests[i].test_func = run_file;
		tests[i].initial_state = &files[i];
	}
	tests[nfiles].name = "test_sql_ddl_roundtrip__corpus_is_big_enough";
	tests[nfiles].test_func = test_sql_ddl_roundtrip__corpus_is_big_enough;
	rc = _cmocka_run_group_tests("sql_ddl_roundtrip", tests, nfiles + 1,
				     group_setup, group_teardown);
	for (i = 0; i < nfiles; i++)
		free(files[i].name);
	free(files);
	free(tests);
	return rc;
}
