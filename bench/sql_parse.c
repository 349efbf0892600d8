/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of lib/sql over the DDL corpus (tests/data/ddl, or the
 * directory DM_DDL_CORPUS names), run from the source tree by `make bench`:
 *
 *  1. libdm: dm_sql_parse + dm_sql_restore of every statement of every
 *     file but invalid_*.sql, repeated for about two seconds (DM_BENCH_SECONDS
 *     changes that); split (dm_sql_split) is timed on its own.
 *  2. reference, when the sandbox's downstream is there (DM_DOWNSTREAM_*):
 *     the same DDL executed on MariaDB, file by file in fresh schemas,
 *     one round trip per statement. There is no standalone parser to set
 *     against libdm's, so this is what a statement costs the server that
 *     has to parse it anyway (parse + execute + round trip), not a parser
 *     comparison.
 *
 * Prints statements per second, bytes per second, the ratio and peak
 * memory. Asserts no timing.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <dm/dm.h>
#include <dm/sql.h>

typedef struct stmt_text {
	const char *sql;
	size_t len;
	int file; /* index into files */
} stmt_text;

typedef struct corpus_file {
	char *name;
	char *text;
	size_t len;
	int executed; /* DDL file the round-trip test executes */
} corpus_file;

static corpus_file files[64];
static int nfiles;
static stmt_text *stmts;
static size_t nstmts, cap_stmts;
static unsigned server_version;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *env_or(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static void die_err(const char *what, dm_error *err)
{
	dm_buf b = DM_BUF_INIT;

	dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
	fprintf(stderr, "sql_parse: %s: %s\n", what, b.data ? b.data : "");
	exit(1);
}

static long peak_rss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	dm_buf b = DM_BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		dm_buf_append(&b, chunk, n);
	fclose(fp);
	dm_buf_puts(&b, "");
	*len = b.len;
	return dm_buf_detach(&b);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const corpus_file *)a)->name,
		      ((const corpus_file *)b)->name);
}

static dm_sql_parse_opts parse_opts(void)
{
	dm_sql_parse_opts o = DM_SQL_PARSE_OPTS_INIT;

	o.server_version = server_version;
	o.mariadb = true;
	o.default_db = "dmrt_main";
	return o;
}

static void load_corpus(const char *dir)
{
	dm_sql_parse_opts po;
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[1024];
	int i;

	if (!d) {
		fprintf(stderr, "sql_parse: %s: cannot open (run from the source "
				"tree or set DM_DDL_CORPUS)\n",
			dir);
		exit(1);
	}
	while ((de = readdir(d)) != NULL && nfiles < 64) {
		size_t n = strlen(de->d_name);

		if (n < 5 || strcmp(de->d_name + n - 4, ".sql") != 0 ||
		    strncmp(de->d_name, "invalid_", 8) == 0)
			continue;
		files[nfiles].name = strdup(de->d_name);
		files[nfiles].executed =
			strcmp(de->d_name, "others.sql") != 0 &&
			strcmp(de->d_name, "show_create_mysql_views.sql") != 0;
		nfiles++;
	}
	closedir(d);
	qsort(files, (size_t)nfiles, sizeof(files[0]), by_name);
	po = parse_opts();
	for (i = 0; i < nfiles; i++) {
		dm_sql_span *spans;
		dm_error *err = NULL;
		size_t n, k;

		snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
		files[i].text = slurp(path, &files[i].len);
		if (!files[i].text) {
			perror(path);
			exit(1);
		}
		if (dm_sql_split(&spans, &n, files[i].text, files[i].len, &po,
				 &err) != 0)
			die_err(files[i].name, err);
		for (k = 0; k < n; k++) {
			const char *p = files[i].text + spans[k].offset;
			size_t len = spans[k].len;

			while (len && strchr(" \t\r\n;", p[len - 1]))
				len--;
			while (len && strchr(" \t\r\n", *p)) {
				p++;
				len--;
			}
			if (!len)
				continue;
			if (nstmts == cap_stmts) {
				cap_stmts = cap_stmts ? 2 * cap_stmts : 1024;
				stmts = realloc(stmts, cap_stmts * sizeof(*stmts));
				if (!stmts)
					exit(1);
			}
			stmts[nstmts++] = (stmt_text){ p, len, i };
		}
		dm_sql_spans_free(spans);
	}
}

/* One pass over the corpus; returns the bytes parsed. */
static size_t parse_restore_pass(dm_buf *out, size_t *failures)
{
	dm_sql_parse_opts po = parse_opts();
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	size_t i, bytes = 0;

	for (i = 0; i < nstmts; i++) {
		dm_sql_stmt *st = NULL;

		bytes += stmts[i].len;
		if (dm_sql_parse(&st, stmts[i].sql, stmts[i].len, &po, NULL)) {
			(*failures)++;
			continue;
		}
		dm_buf_clear(out);
		if (dm_sql_restore(out, st, &ro, NULL) != 0)
			(*failures)++;
		dm_sql_stmt_free(st);
	}
	return bytes;
}

static void bench_libdm(double seconds, double *rate_out)
{
	dm_sql_parse_opts po = parse_opts();
	dm_buf out = DM_BUF_INIT;
	size_t failures = 0, bytes = 0, passes = 0, total_bytes = 0, i;
	double t0, t, t_split;
	int f;

	t0 = now();
	do {
		bytes = parse_restore_pass(&out, &failures);
		passes++;
		t = now() - t0;
	} while (t < seconds);
	total_bytes = bytes * passes;

	/* Splitting alone, over the same files. */
	t0 = now();
	for (i = 0; i < passes; i++) {
		for (f = 0; f < nfiles; f++) {
			dm_sql_span *spans;
			size_t n;

			if (dm_sql_split(&spans, &n, files[f].text, files[f].len,
					 &po, NULL) == 0)
				dm_sql_spans_free(spans);
		}
	}
	t_split = now() - t0;

	printf("bench sql_parse: %zu statements, %.1f KB of SQL in %d files, "
	       "%zu passes\n",
	       nstmts, (double)bytes / 1024, nfiles, passes);
	printf("  libdm parse+restore %9.0f statements/s %7.1f MB/s  "
	       "(%zu failures per pass)\n",
	       (double)(nstmts * passes) / t, (double)total_bytes / 1e6 / t,
	       failures / passes);
	printf("  libdm split alone   %9.0f statements/s %7.1f MB/s\n",
	       (double)(nstmts * passes) / t_split,
	       (double)total_bytes / 1e6 / t_split);
	printf("  peak RSS %.1f MB (whole bench process, corpus included)\n",
	       (double)peak_rss_kb() / 1024);
	*rate_out = (double)(nstmts * passes) / t;
	dm_buf_free(&out);
}

static int exec(dm_db *db, const char *sql, size_t len)
{
	return dm_db_exec(db, sql, len, NULL);
}

/* Drops every dmrt_ schema (the corpus makes several) and starts afresh. */
static void fresh_schemas(dm_db *db)
{
	static const char list[] = "SELECT SCHEMA_NAME FROM information_schema."
				   "SCHEMATA WHERE SCHEMA_NAME LIKE 'dmrt\\_%'";
	dm_db_result *res;
	dm_error *err = NULL;
	dm_buf q = DM_BUF_INIT;
	const char *name;
	size_t len;

	/* Tables of one schema may refer to tables of another. */
	if (dm_db_reconnect(db, &err) ||
	    dm_db_exec(db, "SET foreign_key_checks = 0", 26, &err) ||
	    dm_db_query(db, &res, list, strlen(list), &err))
		die_err("list schemas", err);
	while (dm_db_result_next(res) == 0) {
		name = dm_db_result_value(res, 0, &len);
		dm_buf_clear(&q);
		dm_buf_puts(&q, "DROP DATABASE ");
		dm_db_quote_ident(&q, name, len);
		if (dm_db_exec(db, q.data, q.len, &err))
			die_err("drop schema", err);
	}
	dm_db_result_free(res);
	dm_buf_free(&q);
	if (dm_db_exec(db, "SET foreign_key_checks = 1", 26, &err) ||
	    dm_db_exec(db, "CREATE DATABASE dmrt_main", 25, &err) ||
	    dm_db_exec(db, "CREATE DATABASE dmrt_x", 22, &err) ||
	    dm_db_exec(db, "USE dmrt_main", 13, &err))
		die_err("create schemas", err);
}

static void bench_server(double libdm_rate)
{
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_error *err = NULL;
	dm_ctx *ctx;
	dm_db *db;
	size_t i, done = 0, rejected = 0;
	double t0, t = 0;
	int f = -1;
	o.host = env_or("DM_DOWNSTREAM_HOST", "127.0.0.1");
	o.port = (unsigned)atoi(getenv("DM_DOWNSTREAM_PORT"));
	o.user = env_or("DM_DOWNSTREAM_USER", "root");
	o.password = getenv("DM_DOWNSTREAM_PASSWORD");
	o.scope = DM_ERR_SCOPE_DOWNSTREAM;
	if (dm_ctx_new(&ctx, &err) || dm_db_open(&db, ctx, &o, &err))
		die_err("connect", err);
	for (i = 0; i < nstmts; i++) {
		if (!files[stmts[i].file].executed)
			continue;
		if (stmts[i].file != f) {
			fresh_schemas(db);
			f = stmts[i].file;
		}
		t0 = now();
		if (exec(db, stmts[i].sql, stmts[i].len) != 0)
			rejected++;
		t += now() - t0;
		done++;
	}
	printf("  reference: MariaDB %s executing the same DDL (parse + "
	       "execute + loopback round trip, not a parser-only figure)\n",
	       dm_db_server_version(db));
	printf("  server DDL          %9.0f statements/s  (%zu statements, "
	       "%zu rejected)\n",
	       (double)done / t, done, rejected);
	printf("  ratio libdm parse+restore / server execute: %.0fx\n",
	       libdm_rate / ((double)done / t));
	fresh_schemas(db);
	exec(db, "DROP DATABASE dmrt_main", 23);
	exec(db, "DROP DATABASE dmrt_x", 20);
	dm_db_close(db);
	dm_ctx_free(ctx);
}

int main(void)
{
	double seconds = atof(env_or("DM_BENCH_SECONDS", "2"));
	double rate = 0;
	dm_error *err = NULL;
	int i;

	if (seconds <= 0)
		seconds = 2;
	if (dm_global_init(&err))
		die_err("init", err);
	/* The version comments of the corpus are meant for the sandbox's
	 * MariaDB 10.11. */
	server_version = (unsigned)atoi(env_or("DM_BENCH_SERVER_VERSION",
					       "101199"));
	load_corpus(env_or("DM_DDL_CORPUS", "tests/data/ddl"));
	bench_libdm(seconds, &rate);
	if (getenv("DM_DOWNSTREAM_PORT"))
		bench_server(rate);
	else
		printf("  reference skipped: no sandbox (run through `make "
		       "bench`)\n");
	for (i = 0; i < nfiles; i++) {
		free(files[i].name);
		free(files[i].text);
	}
	free(stmts);
	dm_global_cleanup();
	return 0;
}
