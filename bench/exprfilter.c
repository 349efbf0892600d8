/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of dm_expr_filter: rows per second through a typical
 * expression filter. The table shop.orders (id, c, price, status, name,
 * created_at) has four rules and shop.orders_rx (same columns) one:
 *
 *   insert-value-expr  "c % 2 = 0"
 *   insert-value-expr  "price > 100 AND status = 'done'"
 *   delete-value-expr  "name LIKE 'test%'"
 *   delete-value-expr  "status REGEXP '^(arch|canc)'" (a second table,
 *                      shop.orders_rx, so that it is timed alone)
 *   update-old-value-expr "created_at < '2020-01-01'" with
 *   update-new-value-expr "status = 'archived'"
 *
 * 1,000,000 generated rows go through it as INSERTs, as DELETEs and as
 * UPDATEs (before and after images), on one thread and on four threads
 * sharing the compiled filter. Rows of another table (no rule) measure the
 * cost of the table lookup alone.
 *
 * There is no reference tool: DM evaluates expression filters inside
 * dm-worker through TiDB's expression engine and offers no standalone way
 * to time them, so the figures stand alone. Rates are per CPU-second of
 * the measuring thread. Prints figures and peak memory; asserts no timing.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <dm/dm.h>

#define N_ROWS 1000000
#define N_COLS 6
#define N_THREADS 4

typedef struct brow {
	dm_value v[N_COLS];
	char price[16];
	char name[24];
} brow;

static brow *rows;
static dm_expr_filter *filter;

static const dm_sql_data_type t_int = { "INT", -1, -1, false, false, false,
					NULL, NULL, NULL, 0 };
static const dm_sql_data_type t_dec = { "DECIMAL", 10, 2, false, false,
					false, NULL, NULL, NULL, 0 };
static const dm_sql_data_type t_vc = { "VARCHAR", 32, -1, false, false,
				       false, NULL, NULL, NULL, 0 };
static const dm_sql_data_type t_dt = { "DATETIME", -1, -1, false, false,
				       false, NULL, NULL, NULL, 0 };
static const dm_expr_filter_column cols[N_COLS] = {
	{ "id", &t_int },      { "c", &t_int },    { "price", &t_dec },
	{ "status", &t_vc },   { "name", &t_vc },  { "created_at", &t_dt },
};
static const dm_expr_filter_table table = { cols, N_COLS, NULL };

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
	fprintf(stderr, "exprfilter bench: %s: %s\n", what,
		b.data ? b.data : "");
	exit(1);
}

static void set_str(dm_value *v, const char *s)
{
	v->kind = DM_VALUE_STRING;
	v->type = DM_TYPE_VARCHAR;
	v->charset = 45;
	v->v.str.ptr = s;
	v->v.str.len = strlen(s);
}

static void make_rows(void)
{
	static const char *const status[] = { "new", "paid", "done",
					      "archived", "cancelled" };
	unsigned long x = 12345;
	size_t i;

	rows = calloc(N_ROWS, sizeof(*rows));
	if (!rows)
		exit(1);
	for (i = 0; i < N_ROWS; i++) {
		brow *r = &rows[i];

		x = x * 6364136223846793005ul + 1442695040888963407ul;
		r->v[0].kind = DM_VALUE_INT;
		r->v[0].type = DM_TYPE_LONG;
		r->v[0].v.i = (int64_t)i + 1;
		r->v[1].kind = DM_VALUE_INT;
		r->v[1].type = DM_TYPE_LONG;
		r->v[1].v.i = (int64_t)((x >> 33) % 1000);
		snprintf(r->price, sizeof(r->price), "%lu.%02lu",
			 (x >> 20) % 200, (x >> 12) % 100);
		r->v[2].kind = DM_VALUE_DECIMAL;
		r->v[2].type = DM_TYPE_NEWDECIMAL;
		r->v[2].v.str.ptr = r->price;
		r->v[2].v.str.len = strlen(r->price);
		set_str(&r->v[3], status[(x >> 40) % 5]);
		snprintf(r->name, sizeof(r->name), "%s_%zu",
			 (x >> 45) % 10 == 0 ? "test" : "user", i);
		set_str(&r->v[4], r->name);
		r->v[5].kind = DM_VALUE_DATETIME;
		r->v[5].type = DM_TYPE_DATETIME2;
		r->v[5].v.time.year = (uint16_t)(2015 + (x >> 50) % 10);
		r->v[5].v.time.month = (uint8_t)(1 + (x >> 30) % 12);
		r->v[5].v.time.day = (uint8_t)(1 + (x >> 25) % 28);
		r->v[5].v.time.hour = (uint16_t)((x >> 8) % 24);
	}
}

static void make_filter(void)
{
	static dm_cfg_expr_filter d[5];
	const dm_cfg_expr_filter *p[5];
	dm_error *err = NULL;
	int i;

	for (i = 0; i < 5; i++) {
		d[i].schema = "shop";
		d[i].table = "orders";
		d[i].insert_value_expr = "";
		d[i].update_old_value_expr = "";
		d[i].update_new_value_expr = "";
		d[i].delete_value_expr = "";
		p[i] = &d[i];
	}
	d[0].name = "even_c";
	d[0].insert_value_expr = "c % 2 = 0";
	d[1].name = "big_done";
	d[1].insert_value_expr = "price > 100 AND status = 'done'";
	d[2].name = "test_rows";
	d[2].delete_value_expr = "name LIKE 'test%'";
	d[3].name = "old_archived";
	d[3].update_old_value_expr = "created_at < '2020-01-01'";
	d[3].update_new_value_expr = "status = 'archived'";
	d[4].name = "regexp_status";
	d[4].table = "orders_rx";
	d[4].delete_value_expr = "status REGEXP '^(arch|canc)'";
	if (dm_expr_filter_new(&filter, p, 5, NULL, &err))
		die("compile", err);
}

typedef struct job {
	dm_filter_event ev;
	const char *table;
	size_t from, to;
	unsigned long skipped;
	double cpu;
} job;

static void *run(void *arg)
{
	job *j = arg;
	dm_buf scratch = DM_BUF_INIT;
	dm_error *err = NULL;
	double t0 = cpu_now();
	size_t i;

	for (i = j->from; i < j->to; i++) {
		const dm_value *a = rows[i].v;
		const dm_value *b = rows[(i + 1) % N_ROWS].v;
		bool skip = false;

		if (dm_expr_filter_skip(&skip, filter, "shop", j->table,
					&table, j->ev, b, a, &scratch, &err))
			die("skip", err);
		j->skipped += skip;
	}
	j->cpu = cpu_now() - t0;
	dm_buf_free(&scratch);
	return NULL;
}

static void one_thread(const char *label, dm_filter_event ev,
		       const char *tbl)
{
	job j = { ev, tbl, 0, N_ROWS, 0, 0 };

	run(&j);
	printf("  %-34s %10.0f rows/s  (%lu of %d skipped)\n", label,
	       N_ROWS / j.cpu, j.skipped, N_ROWS);
}

static void threads(void)
{
	pthread_t th[N_THREADS];
	job j[N_THREADS];
	double sum = 0;
	int i;

	for (i = 0; i < N_THREADS; i++) {
		j[i].ev = DM_FILTER_EVENT_INSERT;
		j[i].table = "orders";
		j[i].from = (size_t)i * (N_ROWS / N_THREADS);
		j[i].to = (size_t)(i + 1) * (N_ROWS / N_THREADS);
		j[i].skipped = 0;
		j[i].cpu = 0;
		if (pthread_create(&th[i], NULL, run, &j[i]))
			exit(1);
	}
	for (i = 0; i < N_THREADS; i++) {
		pthread_join(th[i], NULL);
		sum += (double)(j[i].to - j[i].from) / j[i].cpu;
	}
	printf("  %-34s %10.0f rows/s per thread (%d threads, one filter)\n",
	       "INSERT, shared filter", sum / N_THREADS, N_THREADS);
}

int main(void)
{
	struct rusage ru;

	make_rows();
	make_filter();
	printf("expression filter: 5 rules on shop.orders(_rx), %d rows, "
	       "no reference tool (DM has no standalone evaluator)\n",
	       N_ROWS);
	one_thread("INSERT (2 rules OR-ed)", DM_FILTER_EVENT_INSERT, "orders");
	one_thread("DELETE (LIKE)", DM_FILTER_EVENT_DELETE, "orders");
	one_thread("UPDATE (old AND new)", DM_FILTER_EVENT_UPDATE, "orders");
	one_thread("DELETE (REGEXP)", DM_FILTER_EVENT_DELETE, "orders_rx");
	one_thread("INSERT, table without rules", DM_FILTER_EVENT_INSERT,
		   "customers");
	threads();
	getrusage(RUSAGE_SELF, &ru);
	printf("  peak RSS %ld KiB\n", ru.ru_maxrss);
	dm_expr_filter_free(filter);
	free(rows);
	return 0;
}
