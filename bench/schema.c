/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of lib/schema: a tracker holding 1,000 tables of 20 columns
 * and 3 keys each;
 *
 *  1. ALTER TABLE statements applied per second (parse + apply; ADD,
 *     MODIFY, DROP COLUMN, ADD/DROP INDEX in rotation);
 *  2. snapshots per second (copy on write: one reference per table) and
 *     restores per second;
 *  3. JSON round trips per second (to_json + from_json of the whole
 *     tracker) and the size of the JSON.
 *
 * There is no reference tool: DM's tracker is an embedded TiDB inside
 * dm-worker with no standalone entry point to time, so the figures stand
 * alone. Rates are per CPU-second of the process. Prints figures and peak
 * RSS; asserts no timing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <dm/dm.h>

#define N_TABLES 1000
#define MIN_SECONDS 0.5

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, dm_error *e)
{
	fprintf(stderr, "bench/schema: %s: %s\n", what,
		e ? dm_error_message(e) : "");
	exit(1);
}

static void apply(dm_schema_tracker *tr, const char *sql)
{
	dm_error *e = NULL;

	if (dm_schema_tracker_apply(tr, sql, strlen(sql), "bench", &e) != 0)
		die(sql, e);
}

int main(void)
{
	dm_schema_tracker *tr = NULL, *snap = NULL, *back = NULL;
	dm_buf sql = DM_BUF_INIT, json = DM_BUF_INIT;
	dm_error *e = NULL;
	struct rusage ru;
	double t0, dt;
	unsigned long n;
	int i, c;

	if (dm_schema_tracker_new(&tr, NULL, &e) != 0)
		die("new", e);
	apply(tr, "CREATE DATABASE bench CHARACTER SET utf8mb4");
	for (i = 0; i < N_TABLES; i++) {
		dm_buf_clear(&sql);
		dm_buf_printf(&sql, "CREATE TABLE t%d (id BIGINT UNSIGNED NOT "
				    "NULL AUTO_INCREMENT", i);
		for (c = 0; c < 19; c++)
			dm_buf_printf(&sql, ", c%d %s", c,
				      c % 3 == 0 ? "VARCHAR(64) DEFAULT 'x'"
				      : c % 3 == 1 ? "INT NOT NULL DEFAULT 0"
						   : "DECIMAL(12,2) NULL");
		dm_buf_puts(&sql, ", PRIMARY KEY (id), UNIQUE KEY u (c0, c1), "
				  "KEY k (c3)) ENGINE=InnoDB");
		apply(tr, sql.data);
	}

	/* 1. ALTERs */
	static const char *const alters[] = {
		"ADD COLUMN x VARCHAR(20) NOT NULL DEFAULT 'a' AFTER c5",
		"MODIFY COLUMN x INT NULL DEFAULT 7 FIRST",
		"ADD INDEX ix (x, c4)",
		"DROP INDEX ix, DROP COLUMN x",
	};
	n = 0;
	t0 = cpu_now();
	do {
		unsigned long k;

		for (k = 0; k < 1000; k++, n++) {
			dm_buf_clear(&sql);
			dm_buf_printf(&sql, "ALTER TABLE t%lu %s",
				      n % N_TABLES, alters[(n / N_TABLES) % 4]);
			apply(tr, sql.data);
		}
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS || (n / N_TABLES) % 4 != 0);
	printf("alter apply:     %10.0f statements/s (%lu in %.2fs)\n",
	       (double)n / dt, n, dt);

	/* 2. snapshots and restores */
	n = 0;
	t0 = cpu_now();
	do {
		if (dm_schema_tracker_snapshot(&snap, tr, &e) != 0)
			die("snapshot", e);
		dm_schema_tracker_free(snap);
		n++;
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS);
	printf("snapshot:        %10.0f snapshots/s of %d tables\n",
	       (double)n / dt, N_TABLES);
	if (dm_schema_tracker_snapshot(&snap, tr, &e) != 0)
		die("snapshot", e);
	n = 0;
	t0 = cpu_now();
	do {
		apply(tr, "ALTER TABLE t1 ADD COLUMN y INT");
		if (dm_schema_tracker_restore(tr, snap, &e) != 0)
			die("restore", e);
		n++;
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS);
	printf("alter+restore:   %10.0f rounds/s\n", (double)n / dt);
	dm_schema_tracker_free(snap);

	/* 3. JSON */
	n = 0;
	t0 = cpu_now();
	do {
		dm_buf_clear(&json);
		if (dm_schema_tracker_to_json(&json, tr, &e) != 0)
			die("to_json", e);
		if (dm_schema_tracker_from_json(&back, json.data, json.len,
						NULL, &e) != 0)
			die("from_json", e);
		dm_schema_tracker_free(back);
		n++;
		dt = cpu_now() - t0;
	} while (dt < MIN_SECONDS);
	printf("json round trip: %10.2f trackers/s = %.0f tables/s "
	       "(%zu bytes)\n", (double)n / dt,
	       (double)n * N_TABLES / dt, json.len);

	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS:        %10ld KiB\n", ru.ru_maxrss);
	printf("reference tool:  none (DM's tracker has no standalone "
	       "entry point)\n");
	dm_buf_free(&sql);
	dm_buf_free(&json);
	dm_schema_tracker_free(tr);
	return 0;
}
