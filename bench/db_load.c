/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of lib/db against the reference client, on the same data in
 * the same run (run it through `make bench`, which starts the sandbox):
 *
 *  1. loading: one SQL file of multi-row INSERTs (text with 4-byte UTF-8,
 *     random binary) executed by the `mariadb` client and by dm_db_exec,
 *     each into its own table; both tables must then checksum equal;
 *  2. quoting: dm_db_quote_value against libmariadb's
 *     mysql_real_escape_string over the same values.
 *
 * Prints both figures, their ratio and peak memory. Asserts no timing.
 */
#include <errno.h>
#include <fcntl.h>
#include <mysql.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <dm/dm.h>

extern char **environ;

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
	fprintf(stderr, "db_load: %s: %s\n", what, b.data ? b.data : "");
	exit(1);
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned long long rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Row i: a text value (with 4-byte UTF-8 and a quote) and random bytes. */
static size_t make_row(long i, char *text, unsigned char *bin)
{
	size_t n = 16 + (size_t)(rng() % 200), k;

	snprintf(text, 96, "row %ld it's \xf0\x9f\x98\x80 caf\xc3\xa9 %llu", i,
		 rng() % 1000000);
	for (k = 0; k < n; k++)
		bin[k] = (unsigned char)rng();
	return n;
}

static long peak_rss_kb(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
	long rows = argc > 1 ? atol(argv[1]) : 200000;
	long per_stmt = 1000, i;
	const char *sqlpath = env_or("DM_BENCH_SQL", "/tmp/dm-bench-db-load.sql");
	dm_db_opts o = DM_DB_OPTS_INIT;
	dm_error *err = NULL;
	dm_ctx *ctx;
	dm_db *db;
	dm_buf q = DM_BUF_INIT;
	FILE *fp;
	char text[96], *line = NULL;
	unsigned char bin[256];
	size_t cap = 0, sqlbytes = 0;
	ssize_t len;
	double t0, t_client, t_libdm, t_quote, t_escape;
	long stmts = 0;
	int status;
	pid_t pid;
	char port[16];
	char *child_argv[12];
	char cs_ref[64] = "", cs_dm[64] = "";
	MYSQL *m;
	char *esc;

	if (!getenv("DM_DOWNSTREAM_PORT")) {
		fprintf(stderr, "db_load: run through `make bench` (needs the "
				"sandbox)\n");
		return 1;
	}
	o.host = env_or("DM_DOWNSTREAM_HOST", "127.0.0.1");
	o.port = (unsigned)atoi(getenv("DM_DOWNSTREAM_PORT"));
	o.user = env_or("DM_DOWNSTREAM_USER", "root");
	o.password = getenv("DM_DOWNSTREAM_PASSWORD");
	o.scope = DM_ERR_SCOPE_DOWNSTREAM;
	if (dm_global_init(&err) || dm_ctx_new(&ctx, &err) ||
	    dm_db_open(&db, ctx, &o, &err))
		die_err("connect", err);

	/* The data: one file of INSERT statements, one per line. */
	fp = fopen(sqlpath, "w");
	if (!fp) {
		perror(sqlpath);
		return 1;
	}
	for (i = 0; i < rows; i++) {
		size_t n = make_row(i, text, bin);

		if (i % per_stmt == 0) {
			if (i)
				fputs(";\n", fp);
			fputs("INSERT INTO t VALUES ", fp);
		} else {
			fputc(',', fp);
		}
		dm_buf_clear(&q);
		dm_buf_printf(&q, "(%ld,", i);
		dm_db_quote_value(&q, text, strlen(text), 0);
		dm_buf_putc(&q, ',');
		dm_db_quote_value(&q, bin, n, DM_DB_QUOTE_BINARY);
		dm_buf_putc(&q, ')');
		fwrite(q.data, 1, q.len, fp);
	}
	fputs(";\n", fp);
	sqlbytes = (size_t)ftell(fp);
	fclose(fp);

#define SETUP(dbname)                                                          \
	"DROP DATABASE IF EXISTS " dbname, "CREATE DATABASE " dbname,          \
		"CREATE TABLE " dbname ".t (id INT PRIMARY KEY, txt "         \
		"VARCHAR(96) CHARACTER SET utf8mb4, bin VARBINARY(255))"
	{
		const char *setup[] = { SETUP("dm_bench_ref"),
					SETUP("dm_bench_libdm") };

		for (i = 0; i < 6; i++)
			if (dm_db_exec(db, setup[i], strlen(setup[i]), &err))
				die_err("setup", err);
	}

	/* 1a. the reference client loads the file */
	snprintf(port, sizeof(port), "%u", o.port);
	setenv("MYSQL_PWD", o.password ? o.password : "", 1);
	{
		posix_spawn_file_actions_t fa;
		int k = 0;

		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 0, sqlpath, O_RDONLY, 0);
		child_argv[k++] = "mariadb";
		child_argv[k++] = "--protocol=tcp";
		child_argv[k++] = "-h";
		child_argv[k++] = (char *)o.host;
		child_argv[k++] = "-P";
		child_argv[k++] = port;
		child_argv[k++] = "-u";
		child_argv[k++] = (char *)o.user;
		child_argv[k++] = "--default-character-set=utf8mb4";
		child_argv[k++] = "dm_bench_ref";
		child_argv[k] = NULL;
		t0 = now();
		if (posix_spawnp(&pid, "mariadb", &fa, NULL, child_argv,
				 environ) != 0) {
			perror("mariadb");
			return 1;
		}
		waitpid(pid, &status, 0);
		t_client = now() - t0;
		posix_spawn_file_actions_destroy(&fa);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "db_load: mariadb client failed\n");
			return 1;
		}
	}
	unsetenv("MYSQL_PWD");

	/* 1b. libdm executes the same statements */
	if (dm_db_exec(db, "USE dm_bench_libdm", 18, &err))
		die_err("use", err);
	fp = fopen(sqlpath, "r");
	t0 = now();
	while ((len = getline(&line, &cap, fp)) > 0) {
		if (line[len - 1] == '\n')
			len--;
		if (len > 0 && line[len - 1] == ';')
			len--;
		if (dm_db_exec(db, line, (size_t)len, &err))
			die_err("insert", err);
		stmts++;
	}
	t_libdm = now() - t0;
	fclose(fp);

	/* Both copies must be identical. */
	{
		dm_db_result *res;

		if (dm_db_query(db, &res, "CHECKSUM TABLE dm_bench_ref.t", 29,
				&err) ||
		    dm_db_result_next(res) != 0)
			die_err("checksum", err);
		snprintf(cs_ref, sizeof(cs_ref), "%s",
			 dm_db_result_value(res, 1, NULL));
		dm_db_result_free(res);
		if (dm_db_query(db, &res, "CHECKSUM TABLE dm_bench_libdm.t", 31,
				&err) ||
		    dm_db_result_next(res) != 0)
			die_err("checksum", err);
		snprintf(cs_dm, sizeof(cs_dm), "%s",
			 dm_db_result_value(res, 1, NULL));
		dm_db_result_free(res);
	}
	if (strcmp(cs_ref, cs_dm) != 0) {
		fprintf(stderr, "db_load: checksums differ: %s vs %s\n", cs_ref,
			cs_dm);
		return 1;
	}

	/* 2. quoting throughput on the same values */
	rng_state = 0x9e3779b97f4a7c15ULL;
	m = mysql_init(NULL);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	esc = malloc(2 * 256 + 3);
	{
		long reps = rows * 5;
		size_t bytes = 0;

		t0 = now();
		for (i = 0; i < reps; i++) {
			size_t n = make_row(i, text, bin);

			dm_buf_clear(&q);
			dm_db_quote_value(&q, text, strlen(text), 0);
			dm_db_quote_value(&q, bin, n, DM_DB_QUOTE_BINARY);
			bytes += strlen(text) + n;
		}
		t_quote = now() - t0;
		rng_state = 0x9e3779b97f4a7c15ULL;
		t0 = now();
		for (i = 0; i < reps; i++) {
			size_t n = make_row(i, text, bin);

			mysql_real_escape_string(m, esc, text, strlen(text));
			mysql_real_escape_string(m, esc, (char *)bin, n);
		}
		t_escape = now() - t0;

		printf("bench db_load: %ld rows in %ld statements, %.1f MB of "
		       "SQL\n",
		       rows, stmts, (double)sqlbytes / 1e6);
		printf("  mariadb client   %7.2f s  %9.0f rows/s  peak RSS "
		       "%6.1f MB\n",
		       t_client, (double)rows / t_client,
		       (double)peak_rss_kb(RUSAGE_CHILDREN) / 1024);
		printf("  libdm dm_db_exec %7.2f s  %9.0f rows/s  peak RSS "
		       "%6.1f MB (whole bench process)\n",
		       t_libdm, (double)rows / t_libdm,
		       (double)peak_rss_kb(RUSAGE_SELF) / 1024);
		printf("  ratio libdm/client speed: %.2fx   checksums equal "
		       "(%s)\n",
		       t_client / t_libdm, cs_dm);
		printf("bench quote: %ld values, %.1f MB\n", reps * 2,
		       (double)bytes / 1e6);
		printf("  mysql_real_escape_string %7.1f MB/s\n",
		       (double)bytes / 1e6 / t_escape);
		printf("  dm_db_quote_value        %7.1f MB/s (round-trips any "
		       "bytes in any sql_mode)\n",
		       (double)bytes / 1e6 / t_quote);
		printf("  ratio libdm/reference speed: %.2fx\n",
		       t_escape / t_quote);
	}
	free(esc);
	free(line);
	mysql_close(m);
	dm_db_exec(db, "DROP DATABASE dm_bench_ref", 26, NULL);
	dm_db_exec(db, "DROP DATABASE dm_bench_libdm", 28, NULL);
	unlink(sqlpath);
	dm_buf_free(&q);
	dm_db_close(db);
	dm_ctx_free(ctx);
	dm_global_cleanup();
	return 0;
}
