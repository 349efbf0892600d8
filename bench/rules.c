/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of lib/rules: a task with 100 rules of each kind (block/allow
 * list entries, binlog event filter rules, route rules; wildcards with a
 * share of `~` regular expressions, as real task files have) decides about
 * 100,000 distinct upstream tables:
 *
 *  1. block/allow list checks per second;
 *  2. binlog event filter checks per second, for row events and for DDL
 *     statements (sql-patterns run);
 *  3. routes per second;
 *  4. the whole decision a row event needs (BA, filter, route) per second,
 *     on one thread and on several sharing the same compiled rules.
 *
 * There is no reference tool: DM evaluates its rules inside dm-worker and
 * offers no standalone way to time them, so the figures stand alone.
 * Rates are per CPU-second of the measuring thread, so that other load on
 * the machine does not change them. Prints figures and peak memory;
 * asserts no timing.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <dm/dm.h>

#define N_NAMES 100000
#define N_SCHEMAS 1000
#define MIN_SECONDS 0.5

typedef struct name {
	char schema[32];
	char table[32];
} name;

static name *names;
static dm_ba_list *ba;
static dm_event_filter *filter;
static dm_router *router;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of the calling thread: rates per core, whatever else the
 * machine runs. */
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
	fprintf(stderr, "rules bench: %s: %s\n", what, b.data ? b.data : "");
	exit(1);
}

/* Strings for the rule definitions live as long as the program. */
static char *str(const char *fmt, ...) DM_PRINTF(1, 2);

static char *str(const char *fmt, ...)
{
	char buf[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return strdup(buf);
}

static void make_names(void)
{
	static const char *const kinds[][2] = {
		{ "orders_", "" }, { "users_", "" }, { "tmp_", "" },
		{ "events_", "" }, { "audit_", "" }, { "orders_", "_bak" },
		{ "stats_", "" }, { "log_", "" }, { "cart_", "" },
		{ "items_", "" },
	};
	int i;

	names = calloc(N_NAMES, sizeof(*names));
	if (!names)
		exit(1);
	for (i = 0; i < N_NAMES; i++) {
		int s = i % N_SCHEMAS, t = i / N_SCHEMAS;

		/* shard_00_000 .. shard_99_009: 100 groups of 10 shards */
		snprintf(names[i].schema, sizeof(names[i].schema),
			 "%s_%02d_%03d", s % 10 == 9 ? "scratch" : "shard",
			 s / 10, s % 10);
		snprintf(names[i].table, sizeof(names[i].table), "%s%d%s",
			 kinds[t % 10][0], t / 10, kinds[t % 10][1]);
	}
}

static void make_ba(void)
{
	static const char *ignore_dbs[20];
	static dm_ba_table do_tables[60], ignore_tables[20];
	static const char *const kept[] = { "orders_*", "users_*", "items_*",
					    "events_*", "cart_*", "stats_*" };
	dm_ba_list_def d;
	dm_error *err = NULL;
	int i;

	/* drop the scratch schemas and a few temporary ones */
	for (i = 0; i < 20; i++)
		ignore_dbs[i] = i < 16 ? str("scratch_%02d_*", i * 6)
				       : str("~^tmp_%d", i);
	/* allow every table of the even shard groups, the business tables
	 * of some odd ones... */
	for (i = 0; i < 60; i++) {
		if (i < 50) {
			do_tables[i].db_name = str("shard_%02d_*", i * 2);
			do_tables[i].tbl_name = "*";
		} else if (i < 56) {
			do_tables[i].db_name = str("shard_%d[13579]_*", i - 50);
			do_tables[i].tbl_name = kept[i - 50];
		} else {
			do_tables[i].db_name = str("~^shard_[6-9]%d_", i - 55);
			do_tables[i].tbl_name = "~^(orders|users|items)_[0-9]+$";
		}
	}
	/* ...minus backups, logs and temporary tables */
	for (i = 0; i < 20; i++) {
		ignore_tables[i].db_name = i < 16 ? str("shard_%02d_*", i * 6)
						  : "~.*";
		ignore_tables[i].tbl_name = i < 16 ? (i % 2 ? "tmp_*" : "log_?*")
						   : (i % 2 ? "~_bak$" : "~^audit_");
	}
	memset(&d, 0, sizeof(d));
	d.ignore_dbs = ignore_dbs;
	d.n_ignore_dbs = 20;
	d.do_tables = do_tables;
	d.n_do_tables = 60;
	d.ignore_tables = ignore_tables;
	d.n_ignore_tables = 20;
	if (dm_ba_list_new(&ba, &d, NULL, &err))
		die("block-allow list", err);
}

static void make_filter(void)
{
	static const char *const ev_del[] = { "delete", "truncate table",
					      "drop table" };
	static const char *const ev_dml[] = { "all dml", "create table" };
	static const char *const ev_db[] = { "drop database" };
	static const char *const sql_proc[] = { "^DROP\\s+PROCEDURE",
						"^CREATE\\s+PROCEDURE" };
	static const char *const sql_part[] = {
		"ALTER\\s+TABLE[\\s\\S]*ADD\\s+PARTITION"
	};
	static dm_filter_rule_def rules[100];
	dm_event_filter_def def = { rules, 90, rules + 90, 10 };
	dm_error *err = NULL;
	int i;

	for (i = 0; i < 100; i++) {
		dm_filter_rule_def *r = &rules[i];

		memset(r, 0, sizeof(*r));
		if (i < 60) { /* table-level Ignore of deletions */
			r->schema_pattern = str("shard_%02d_00%d", i, i % 10);
			r->table_pattern = "audit_*";
			r->events = ev_del;
			r->n_events = 3;
			r->action = DM_FILTER_IGNORE;
		} else if (i < 80) { /* schema-level Ignore of DROP DATABASE */
			r->schema_pattern = str("shard_%02d_*", i);
			r->events = ev_db;
			r->n_events = 1;
			r->action = DM_FILTER_IGNORE;
		} else if (i < 92) { /* Do: only DML for some tables */
			r->schema_pattern = str("shard_%02d_*", i);
			r->table_pattern = str("stats_%d*", i % 10);
			r->events = ev_dml;
			r->n_events = 2;
			r->action = DM_FILTER_DO;
		} else if (i < 96) { /* statements by pattern */
			r->schema_pattern = i % 2 ? "*" : str("~^shard_%d", i - 90);
			r->sql_patterns = i % 2 ? sql_part : sql_proc;
			r->n_sql_patterns = i % 2 ? 1 : 2;
			r->action = DM_FILTER_IGNORE;
		} else { /* regular expressions on both sides */
			r->schema_pattern = str("~^shard_%d[0-4]_", i - 90);
			r->table_pattern = "~^log_[0-9]+$";
			r->events = ev_del;
			r->n_events = 1;
			r->action = DM_FILTER_IGNORE;
		}
	}
	if (dm_event_filter_new(&filter, &def, NULL, &err))
		die("binlog event filter", err);
}

static void make_router(void)
{
	static dm_route_rule_def rules[100];
	dm_error *err = NULL;
	int i;

	for (i = 0; i < 100; i++) {
		dm_route_rule_def *r = &rules[i];

		memset(r, 0, sizeof(*r));
		if (i < 45) { /* merge the shards' orders tables */
			r->schema_pattern = str("shard_%02d_*", i);
			r->table_pattern = "orders_*";
			r->target_schema = str("merged_%02d", i);
			r->target_table = "orders";
			r->table_regexp = "orders_(\\d+)";
			r->table_column = "c_table";
		} else if (i < 90) { /* and the schemas */
			r->schema_pattern = str("shard_%02d_*", i - 45);
			r->target_schema = str("merged_%02d", i - 45);
		} else if (i < 95) {
			r->schema_pattern = str("shard_%02d_00?", i);
			r->table_pattern = "users_?";
			r->target_schema = "users";
			r->target_table = "all_users";
		} else {
			r->schema_pattern = str("~^shard_%d[0-9]_00[0-9]$", i - 90);
			r->table_pattern = "~^items_[0-9]+$";
			r->target_schema = "items";
			r->target_table = "all_items";
		}
	}
	if (dm_router_new(&router, rules, 100, NULL, &err))
		die("router", err);
}

typedef enum what { W_BA, W_FILTER_DML, W_FILTER_DDL, W_ROUTE, W_ALL } what;

static const char *const what_name[] = {
	"block/allow list checks", "event filter checks (row events)",
	"event filter checks (DDL + SQL)", "routes",
	"whole decisions (BA + filter + route)",
};

/* One pass over the names; returns a checksum of the answers. */
static unsigned long pass(what w, int from, int to)
{
	static const char ddl[] = "ALTER TABLE t ADD COLUMN c INT";
	unsigned long sum = 0;
	int i;

	for (i = from; i < to; i++) {
		const name *n = &names[i];
		dm_ba_decision bd;
		dm_filter_decision fd;
		dm_route_result rr;

		switch (w) {
		case W_BA:
			if (dm_ba_list_check(&bd, ba, n->schema, n->table, NULL) == 0)
				sum += bd.keep;
			break;
		case W_FILTER_DML:
			if (dm_event_filter_check(&fd, filter, n->schema, n->table,
						  DM_FILTER_EVENT_DELETE, NULL, 0,
						  NULL) == 0)
				sum += fd.action;
			break;
		case W_FILTER_DDL:
			if (dm_event_filter_check(&fd, filter, n->schema, n->table,
						  DM_FILTER_EVENT_ALTER_TABLE, ddl,
						  sizeof(ddl) - 1, NULL) == 0)
				sum += fd.action;
			break;
		case W_ROUTE:
			if (dm_router_route(&rr, router, n->schema, n->table,
					    NULL) == 0)
				sum += (unsigned long)rr.rule;
			break;
		case W_ALL:
			if (dm_ba_list_check(&bd, ba, n->schema, n->table,
					     NULL) || !bd.keep)
				break;
			if (dm_event_filter_check(&fd, filter, n->schema,
						  n->table,
						  DM_FILTER_EVENT_INSERT, NULL,
						  0, NULL) ||
			    fd.action != DM_FILTER_DO)
				break;
			if (dm_router_route(&rr, router, n->schema, n->table,
					    NULL) == 0)
				sum += (unsigned long)rr.rule + 1;
			break;
		}
	}
	return sum;
}

/* Repeats passes for at least MIN_SECONDS of CPU time; returns
 * decisions per CPU second. */
static double measure(what w, unsigned long *sum)
{
	double t0 = cpu_now(), t;
	long done = 0;

	do {
		*sum = pass(w, 0, N_NAMES);
		done += N_NAMES;
		t = cpu_now() - t0;
	} while (t < MIN_SECONDS);
	return (double)done / t;
}

typedef struct thread_arg {
	double cpu;
	double wall;
	long done;
} thread_arg;

static void *thread_main(void *p)
{
	thread_arg *a = p;
	double c0 = cpu_now(), w0 = now();

	do {
		pass(W_ALL, 0, N_NAMES);
		a->done += N_NAMES;
		a->cpu = cpu_now() - c0;
	} while (a->cpu < MIN_SECONDS);
	a->wall = now() - w0;
	return NULL;
}

int main(void)
{
	unsigned long sums[5];
	double rate[5], t0, build;
	struct rusage ru;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = ncpu > 4 ? 4 : (ncpu < 1 ? 1 : (int)ncpu), i;
	pthread_t tid[4];
	thread_arg args[4];
	double total = 0, wall_total = 0;
	long kept = 0;

	make_names();
	t0 = now();
	make_ba();
	make_filter();
	make_router();
	build = now() - t0;
	printf("rules: 100 block/allow entries, 100 filter rules, 100 route rules "
	       "(compiled in %.1f ms); %d distinct tables\n", build * 1e3,
	       N_NAMES);
	for (i = 0; i < 5; i++) {
		rate[i] = measure((what)i, &sums[i]);
		printf("  %-40s %10.0f /s per core (%.0f ns each)\n",
		       what_name[i], rate[i], 1e9 / rate[i]);
	}
	for (i = 0; i < N_NAMES; i++) {
		dm_ba_decision bd;

		if (dm_ba_list_check(&bd, ba, names[i].schema, names[i].table,
				     NULL) == 0 && bd.keep)
			kept++;
	}
	printf("  (block/allow list keeps %ld of %d tables; checksums %lu %lu %lu %lu %lu)\n",
	       kept, N_NAMES, sums[0], sums[1], sums[2], sums[3], sums[4]);
	for (i = 0; i < threads; i++) {
		args[i].done = 0;
		args[i].cpu = args[i].wall = 0;
		if (pthread_create(&tid[i], NULL, thread_main, &args[i]))
			exit(1);
	}
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		total += (double)args[i].done / args[i].cpu;
		wall_total += (double)args[i].done / args[i].wall;
	}
	printf("  whole decisions, %d threads sharing the rules: %.0f /s per "
	       "CPU-second in all (%.0f per thread), %.0f /s wall-clock here\n",
	       threads, total, total / threads, wall_total);
	printf("  target: 1000000 decisions /s per core: %s\n",
	       rate[W_ALL] >= 1e6 ? "met" : "NOT met");
	printf("  reference: none (DM has no standalone rule evaluator to "
	       "compare with)\n");
	getrusage(RUSAGE_SELF, &ru);
	printf("  peak RSS %ld KiB\n", ru.ru_maxrss);
	dm_ba_list_free(ba);
	dm_event_filter_free(filter);
	dm_router_free(router);
	free(names);
	return 0;
}
