/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of lib/dml: 100,000 row changes of a typical 10-column table
 * (BIGINT primary key, integers, a DECIMAL, strings, a DATETIME and a
 * DOUBLE) turned into SQL text, per CPU-second of this thread:
 *
 *  1. INSERT, UPDATE and DELETE statements, one change each;
 *  2. multi-row INSERT statements (DM_DML_MULTI_ROWS, 512 rows each);
 *  3. causality keys; owned copies (dm_dml_change_copy);
 *  4. compaction of batches of 1,000 changes.
 *
 * There is no reference tool: DM builds its statements inside dm-worker
 * and offers no standalone way to time them, so the figures stand alone.
 * Prints figures and peak memory; asserts no timing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <dm/dm.h>

#define N 100000
#define NCOLS 10
#define MIN_SECONDS 0.5

static dm_value *rows;       /* N images of NCOLS values */
static dm_value *rows2;      /* the same rows, changed (UPDATE after) */
static char *text;           /* string bytes of all rows */
static dm_dml_change *changes;
static const dm_dml_change **ptrs;

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, dm_error *err)
{
	dm_buf b = DM_BUF_INIT;

	dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
	fprintf(stderr, "bench/dml: %s: %s\n", what, b.data ? b.data : "");
	exit(1);
}

static dm_dml_table *make_table(dm_schema_tracker **tr)
{
	static const char ddl[] =
		"CREATE TABLE orders (id BIGINT UNSIGNED NOT NULL PRIMARY KEY, "
		"customer INT NOT NULL, qty SMALLINT, status TINYINT, "
		"amount DECIMAL(12,2), name VARCHAR(64), note TEXT, "
		"created DATETIME(3), score DOUBLE, flags INT UNSIGNED)";
	dm_dml_table *t = NULL;
	dm_error *e = NULL;

	if (dm_schema_tracker_new(tr, NULL, &e) ||
	    dm_schema_tracker_apply(*tr, ddl, sizeof(ddl) - 1, "shop", &e) ||
	    dm_dml_table_new(&t, dm_schema_tracker_get(*tr, "shop", "orders"),
			     "shop", "orders", &e))
		die("set-up", e);
	return t;
}

static void fill(dm_value *r, size_t i, unsigned salt, char **tp)
{
	dm_value v;
	int n;

	memset(r, 0, NCOLS * sizeof(*r));
	r[0].kind = DM_VALUE_UINT;
	r[0].v.u = i + 1;
	r[1].kind = DM_VALUE_INT;
	r[1].v.i = (int64_t)(i * 7919 % 100000);
	r[2].kind = DM_VALUE_INT;
	r[2].v.i = (int64_t)(i % 50) + salt;
	r[3].kind = DM_VALUE_INT;
	r[3].v.i = (int64_t)(i % 4);
	n = snprintf(*tp, 32, "%zu.%02u", i * 13 % 100000, (unsigned)(i % 100));
	r[4].kind = DM_VALUE_DECIMAL;
	r[4].v.str.ptr = *tp;
	r[4].v.str.len = (size_t)n;
	*tp += n;
	n = snprintf(*tp, 80, "customer %zu O'Brien #%u", i, salt);
	r[5].kind = DM_VALUE_STRING;
	r[5].v.str.ptr = *tp;
	r[5].v.str.len = (size_t)n;
	*tp += n;
	n = snprintf(*tp, 200, "deliver to the back door; ring twice, then "
			       "wait (order %zu, revision %u)", i, salt);
	r[6].kind = DM_VALUE_STRING;
	r[6].v.str.ptr = *tp;
	r[6].v.str.len = (size_t)n;
	*tp += n;
	memset(&v, 0, sizeof(v));
	v.kind = DM_VALUE_DATETIME;
	v.v.time.year = 2026;
	v.v.time.month = (uint8_t)(1 + i % 12);
	v.v.time.day = (uint8_t)(1 + i % 28);
	v.v.time.hour = (uint16_t)(i % 24);
	v.v.time.minute = (uint8_t)(i % 60);
	v.v.time.second = (uint8_t)(i * 7 % 60);
	v.v.time.microsecond = (uint32_t)(i % 1000) * 1000;
	v.v.time.fsp = 3;
	r[7] = v;
	r[8].kind = DM_VALUE_DOUBLE;
	r[8].v.d = (double)i / 3.0;
	r[9].kind = DM_VALUE_INT;
	r[9].flags = DM_VALUE_F_SIGN_UNKNOWN;
	r[9].v.i = -(int64_t)(i % 3);
}

static void make_rows(const dm_dml_table *t)
{
	char *tp;
	size_t i;

	rows = calloc((size_t)N * NCOLS, sizeof(*rows));
	rows2 = calloc((size_t)N * NCOLS, sizeof(*rows2));
	text = malloc((size_t)N * 2 * 320);
	changes = calloc(N, sizeof(*changes));
	ptrs = calloc(N, sizeof(*ptrs));
	if (!rows || !rows2 || !text || !changes || !ptrs)
		exit(1);
	tp = text;
	for (i = 0; i < N; i++) {
		fill(rows + i * NCOLS, i, 0, &tp);
		fill(rows2 + i * NCOLS, i, 1, &tp);
		changes[i].table = t;
		ptrs[i] = &changes[i];
	}
}

static void set_op(dm_dml_op op)
{
	size_t i;

	for (i = 0; i < N; i++) {
		changes[i].op = op;
		changes[i].before = op == DM_DML_INSERT ? NULL : rows + i * NCOLS;
		changes[i].after = op == DM_DML_DELETE ? NULL :
			(op == DM_DML_UPDATE ? rows2 : rows) + i * NCOLS;
	}
}

/* Formats all N changes, repeatedly for MIN_SECONDS; changes/s. */
static double format_rate(unsigned flags, double *bytes_per_change)
{
	dm_dml_format_opts o = DM_DML_FORMAT_OPTS_INIT;
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;
	double t0 = cpu_now(), dt;
	size_t done = 0, bytes = 0, i, used;

	o.flags = flags;
	do {
		for (i = 0; i < N; i += used) {
			dm_buf_clear(&b);
			if (dm_dml_format(&b, &used, ptrs + i, N - i, &o, &e))
				die("dm_dml_format", e);
			bytes += b.len;
		}
		done += N;
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS);
	dm_buf_free(&b);
	*bytes_per_change = (double)bytes / (double)done;
	return (double)done / dt;
}

int main(void)
{
	static const char *const names[] = { "", "INSERT", "UPDATE",
					     "DELETE" };
	dm_schema_tracker *tr;
	dm_dml_table *t = make_table(&tr);
	dm_dml_change *out;
	struct rusage ru;
	double rate, bpc, t0, dt;
	uint64_t keys[8], sink = 0;
	size_t i, done;
	int op;

	make_rows(t);
	for (op = DM_DML_INSERT; op <= DM_DML_DELETE; op++) {
		set_op((dm_dml_op)op);
		rate = format_rate(0, &bpc);
		printf("%-6s one by one:  %10.0f changes/s (%.0f bytes each)\n",
		       names[op], rate, bpc);
	}
	set_op(DM_DML_INSERT);
	rate = format_rate(DM_DML_MULTI_ROWS, &bpc);
	printf("INSERT multi-rows:  %10.0f changes/s (512 rows a statement)\n",
	       rate);
	set_op(DM_DML_UPDATE);
	rate = format_rate(DM_DML_MULTI_ROWS, &bpc);
	printf("UPDATE multi-rows:  %10.0f changes/s (ON DUPLICATE KEY "
	       "UPDATE)\n", rate);

	t0 = cpu_now();
	done = 0;
	do {
		for (i = 0; i < N; i++)
			sink += dm_dml_change_keys(keys, 8, &changes[i]);
		done += N;
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS);
	printf("UPDATE keys:        %10.0f changes/s\n", (double)done / dt);

	t0 = cpu_now();
	done = 0;
	do {
		for (i = 0; i < N; i++) {
			dm_dml_change *c;
			dm_error *e = NULL;

			if (dm_dml_change_copy(&c, &changes[i], NCOLS, &e))
				die("dm_dml_change_copy", e);
			dm_dml_change_free(c);
		}
		done += N;
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS);
	printf("UPDATE copies:      %10.0f changes/s\n", (double)done / dt);

	/* Each row updated twice in a batch: half the changes merge away. */
	out = calloc(1000, sizeof(*out));
	if (!out)
		return 1;
	for (i = 0; i < N; i++)
		ptrs[i] = &changes[(i / 1000) * 1000 + (i % 500)];
	t0 = cpu_now();
	done = 0;
	do {
		for (i = 0; i + 1000 <= N; i += 1000)
			sink += dm_dml_compact(out, ptrs + i, 1000);
		done += N;
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS);
	printf("compaction:         %10.0f changes/s (batches of 1000)\n",
	       (double)done / dt);

	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS:           %10ld KiB\n", ru.ru_maxrss);
	printf("reference tool:     none (DM builds SQL inside dm-worker)\n");
	if (sink == 42)
		printf("\n");
	free(out);
	free(rows);
	free(rows2);
	free(text);
	free(changes);
	free(ptrs);
	dm_dml_table_free(t);
	dm_schema_tracker_free(tr);
	return 0;
}
