/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sync unit. One thread reads the upstream binlog as a replica and runs
 * the pipeline (rules, schema tracker, routing, DML); the applier's worker
 * threads write to the downstream.
 *
 * Locations: a transaction boundary (end of XID, COMMIT, DDL or another
 * standalone statement) is the only place the global checkpoint moves to;
 * a row change is located by its rows event's end and its row number. The
 * global point is flushed only after the applier drained, so everything
 * before it is applied; what follows is read again after a restart and the
 * applier drops what its progress rows say is already committed.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dm/binlog.h"
#include "dm/gtid.h"
#include "dm/rules.h"
#include "dm/schema.h"
#include "dm/sql.h"
#include "dm/sync.h"
#include "log/logging.h"
#include "util/alloc.h"
#include "util/clock.h"
#include "util/map.h"

#define HEARTBEAT_MS 1000
#define MASTER_STATUS_EVERY_MS 5000
#define DDL_RETRIES 100
#define MAX_OPS 64

/* A source table the pipeline has met. */
struct src_table {
	dm_dml_table *dml;        /* NULL until needed */
	bool from_downstream;     /* structure taken from the downstream */
	bool retried_upstream;    /* ... and replaced from the upstream once */
	bool has_point;
	dm_location point;        /* DM table checkpoint (compat skip) */
	dm_expr_filter_column *ef_cols;
	size_t ef_ncols;
};

struct dm_sync {
	dm_ctx *ctx;
	dm_sync_opts opts;
	const dm_cfg_task *task;
	const dm_cfg_source *source;
	const dm_cfg_instance *inst;
	const dm_cfg_syncer *syncer;
	const char *source_id;
	dm_sync_change_fn hook;
	void *hook_userdata;
	atomic_bool stop;
	bool gtid_mode;
	dm_gtid_flavor flavor;

	/* Owned by the run. */
	dm_db *up;
	dm_db *down;              /* DDL and checkpoint connection */
	dm_checkpoint *cp;
	dm_rule_set *rules;
	dm_expr_filter *ef;
	dm_schema_tracker *tr;
	dm_applier *ap;
	dm_binlog_reader *rd;
	dm__map tables;           /* "schema\0table" -> struct src_table */
	dm_gtid_set *gtid;        /* executed set at `global` (GTID mode) */
	dm_gtid pending;          /* GTID of the open transaction */
	bool has_pending;
	bool in_txn;
	bool compat_points;       /* DM checkpoint without progress rows */
	dm_location global;       /* last transaction boundary read */
	dm_location last_pushed;  /* drop changes at or before (reconnects) */
	dm_location target;       /* until-caught-up / stop-at position */
	bool has_target;
	dm_gtid_set *target_gtid; /* stop-at GTID set */
	dm_location safe_exit;    /* safe mode until passed */
	bool has_safe_exit;
	uint64_t safe_until_ms;   /* safe mode until then (monotonic) */
	uint64_t last_flush_ms;
	uint64_t last_master_ms;
	uint64_t ddl_start;       /* start of the DDL event being handled */
	/* Inside a TRANSACTION_PAYLOAD: its end, and the rows numbered
	 * through all its inner events (inner positions are not the file's). */
	bool in_payload;
	uint64_t payload_end;
	uint32_t payload_rows;
	unsigned server_version;  /* upstream, e.g. 101106 */
	unsigned long sql_mode;   /* default for parsing */
	int lctn;                 /* upstream lower_case_table_names */
	dm_buf scratch;
	dm_buf sql;
	/* atomic-transactions: the open transaction's changes. */
	dm_dml_change **txn_c;
	dm_location *txn_loc;
	size_t txn_n, txn_cap;

	/* Status and operators, shared with other threads under mu. */
	pthread_mutex_t mu;
	struct op {
		char file[DM_LOCATION_FILE_MAX + 1];
		uint64_t pos;        /* start of the DDL event */
		dm_sync_error_op kind;
		char *sql;           /* REPLACE */
	} ops[MAX_OPS];
	size_t nops;
	dm_location err_start;   /* start of the DDL that failed last */
	bool has_err_start;
	uint64_t start_ms;
	uint64_t total_events;    /* rows applied + DDL statements run */
	uint64_t ddls;
	uint64_t txns;
	uint64_t status_events;   /* at the last status call */
	uint64_t status_ms;
	char master_file[DM_LOCATION_FILE_MAX + 1];
	uint64_t master_pos;
	char *master_gtid;
	dm_location flushed;
	char *flushed_gtid;
	bool running;
};

/* ------------------------------------------------------------ helpers */

static void src_table_free(void *p)
{
	struct src_table *t = p;

	if (!t)
		return;
	dm_dml_table_free(t->dml);
	dm__free(t->ef_cols);
	dm__free(t);
}

static size_t table_key(dm_buf *b, const char *schema, const char *table)
{
	dm_buf_clear(b);
	if (dm_buf_puts(b, schema) || dm_buf_putc(b, '\0') ||
	    dm_buf_puts(b, table))
		return 0;
	return b->len;
}

static int loc_text(dm_buf *out, const dm_location *loc)
{
	dm_buf_clear(out);
	return dm_location_format(out, loc);
}

#define log_loc(s, level, msg, loc, k, v) \
	log_loc_at(s, level, __LINE__, msg, loc, k, v)

static void log_loc_at(dm_sync *s, dm_log_level level, int line,
		       const char *msg, const dm_location *loc, const char *k,
		       const char *v)
{
	dm_buf b = DM_BUF_INIT;

	if (!dm__log_enabled(s->ctx, level))
		return;
	if (loc_text(&b, loc) == 0)
		dm__log(s->ctx, level, __FILE__, line, msg, "task",
			s->task->name, "source", s->source_id, "pos", b.data,
			k, v, (const char *)NULL);
	dm_buf_free(&b);
}

/* The first column of the first row of a query, into out. */
static int query_text(dm_sync *s, dm_db *db, dm_buf *out, const char *sql,
		      size_t col, dm_error **err)
{
	dm_db_result *r = NULL;
	const char *v;
	size_t len;
	int rc;

	(void)s;
	dm_buf_clear(out);
	rc = dm_db_query(db, &r, sql, strlen(sql), err);
	if (rc)
		return rc;
	if (dm_db_result_next(r) != 0 || col >= dm_db_result_ncols(r)) {
		dm_db_result_free(r);
		return DM_DONE;
	}
	v = dm_db_result_value(r, col, &len);
	rc = v ? dm_buf_append(out, v, len) : dm_buf_puts(out, "");
	dm_db_result_free(r);
	return rc ? dm_error_set(err, DM_E_NO_MEMORY, NULL) : 0;
}

static int master_status(dm_sync *s, dm_location *loc, dm_buf *gtid,
			 dm_error **err)
{
	dm_db_result *r = NULL;
	const char *f, *p;
	int rc;

	rc = dm_db_query(s->up, &r, "SHOW MASTER STATUS", 18, err);
	if (rc)
		return rc;
	if (dm_db_result_next(r) != 0) {
		dm_db_result_free(r);
		return dm_error_set(err, DM_E_SYNCER_GET_EVENT,
				    "the upstream has no binary log "
				    "(SHOW MASTER STATUS is empty)");
	}
	f = dm_db_result_value(r, 0, NULL);
	p = dm_db_result_value(r, 1, NULL);
	rc = dm_location_set(loc, f ? f : "", p ? strtoull(p, NULL, 10) : 0,
			     0, err);
	dm_db_result_free(r);
	if (rc || !gtid)
		return rc;
	if (s->flavor == DM_GTID_MARIADB)
		rc = query_text(s, s->up, gtid, "SELECT @@GLOBAL.gtid_binlog_pos",
				0, err);
	else
		rc = query_text(s, s->up, gtid,
				"SELECT @@GLOBAL.gtid_executed", 0, err);
	if (rc == DM_DONE)
		rc = 0;
	return rc;
}

static void refresh_master(dm_sync *s, bool force)
{
	uint64_t now = dm__clock_now_ms();
	dm_location loc = DM_LOCATION_INIT;
	dm_buf g = DM_BUF_INIT;
	dm_error *e = NULL;

	if (!force && now - s->last_master_ms < MASTER_STATUS_EVERY_MS)
		return;
	s->last_master_ms = now;
	if (master_status(s, &loc, &g, &e) == 0) {
		char *copy = dm__strdup(g.data ? g.data : "");

		pthread_mutex_lock(&s->mu);
		memcpy(s->master_file, loc.file, sizeof(s->master_file));
		s->master_pos = loc.pos;
		if (copy) {
			dm__free(s->master_gtid);
			s->master_gtid = copy;
		}
		pthread_mutex_unlock(&s->mu);
	}
	dm_error_free(e);
	dm_buf_free(&g);
}

/* ---------------------------------------------------------- lifecycle */

int dm_sync_new(dm_sync **out, dm_ctx *ctx, const dm_sync_opts *opts,
		dm_error **err)
{
	dm_sync *s;
	size_t i;

	if (!out || !opts || !opts->task || !opts->source || !opts->upstream ||
	    !opts->downstream)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_new: NULL argument");
	*out = NULL;
	if (opts->version != DM_SYNC_OPTS_VERSION)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_opts version %u, expected %u",
				    opts->version, DM_SYNC_OPTS_VERSION);
	s = dm__calloc(1, sizeof(*s));
	if (!s)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	if (pthread_mutex_init(&s->mu, NULL) != 0) {
		dm__free(s);
		return dm_error_set(err, DM_E_NO_MEMORY, "sync mutex");
	}
	s->ctx = ctx;
	s->opts = *opts;
	s->task = opts->task;
	s->source = opts->source;
	s->source_id = s->source->source_id;
	atomic_init(&s->stop, false);
	dm__map_init(&s->tables, DM__MAP_BYTES, src_table_free);
	for (i = 0; i < s->task->n_mysql_instances; i++)
		if (strcmp(s->task->mysql_instances[i]->source_id,
			   s->source_id) == 0)
			s->inst = s->task->mysql_instances[i];
	if (!s->inst) {
		dm_sync_free(s);
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "task %s has no mysql-instances entry for "
				    "source %s", s->task->name, s->source_id);
	}
	s->syncer = s->inst->syncer;
	s->gtid_mode = s->source->enable_gtid;
	*out = s;
	return 0;
}

void dm_sync_set_change_hook(dm_sync *s, dm_sync_change_fn fn,
			     void *userdata)
{
	if (!s)
		return;
	s->hook = fn;
	s->hook_userdata = userdata;
}

void dm_sync_stop(dm_sync *s)
{
	if (s)
		atomic_store(&s->stop, true);
}

static void txn_drop(dm_sync *s)
{
	size_t i;

	for (i = 0; i < s->txn_n; i++)
		dm_dml_change_free(s->txn_c[i]);
	s->txn_n = 0;
}

static void close_run(dm_sync *s)
{
	txn_drop(s);
	dm_binlog_reader_free(s->rd);
	s->rd = NULL;
	dm_applier_free(s->ap);
	s->ap = NULL;
	dm__map_clear(&s->tables);
	dm_schema_tracker_free(s->tr);
	s->tr = NULL;
	dm_expr_filter_free(s->ef);
	s->ef = NULL;
	dm_rule_set_free(s->rules);
	s->rules = NULL;
	dm_checkpoint_free(s->cp);
	s->cp = NULL;
	dm_db_close(s->down);
	s->down = NULL;
	dm_db_close(s->up);
	s->up = NULL;
	dm_gtid_set_free(s->gtid);
	s->gtid = NULL;
	dm_gtid_set_free(s->target_gtid);
	s->target_gtid = NULL;
	/* Each run sets its own end (until_caught_up, stop_at). */
	s->has_target = false;
	s->target = (dm_location)DM_LOCATION_INIT;
}

void dm_sync_free(dm_sync *s)
{
	size_t i;

	if (!s)
		return;
	close_run(s);
	for (i = 0; i < s->nops; i++)
		dm__free(s->ops[i].sql);
	dm__map_free(&s->tables);
	dm_buf_free(&s->scratch);
	dm_buf_free(&s->sql);
	dm__free(s->txn_c);
	dm__free(s->txn_loc);
	dm__free(s->master_gtid);
	dm__free(s->flushed_gtid);
	pthread_mutex_destroy(&s->mu);
	dm__free(s);
}

/* ------------------------------------------------------- checkpoints */

static int gtid_text(dm_sync *s, dm_buf *out)
{
	dm_buf_clear(out);
	if (!s->gtid)
		return dm_buf_puts(out, "");
	if (s->flavor == DM_GTID_MARIADB)
		return dm_gtid_set_format_position(out, s->gtid);
	return dm_gtid_set_format(out, s->gtid);
}

/* After a failed call on `db`: true when it is worth another try (a
 * retryable error, attempts left), after waiting and reconnecting when the
 * connection was lost. *e is consumed when true. */
static bool retry_after(dm_sync *s, dm_db *db, dm_error **e,
			unsigned *attempt, unsigned *wait_ms)
{
	dm_buf b = DM_BUF_INIT;

	if (!dm_db_error_is_retryable(*e) || ++*attempt > DDL_RETRIES)
		return false;
	if (dm__log_enabled(s->ctx, DM_LOG_WARN) &&
	    dm_error_format(&b, *e, DM_ERROR_FORMAT_CAUSE) == 0)
		dm__warn(s->ctx, "retrying on the downstream", "task",
			 s->task->name, "error", b.data);
	dm_buf_free(&b);
	dm__clock_sleep_ms(*wait_ms);
	*wait_ms = *wait_ms * 2 > 3000 ? 3000 : *wait_ms * 2;
	if (dm_db_error_is_conn_lost(*e)) {
		dm_error *re = NULL;

		(void)dm_db_reconnect(db, &re);
		dm_error_free(re);
	}
	dm_error_free(*e);
	*e = NULL;
	return true;
}

/* Drains the applier and writes the global point (the last boundary). */
static int flush(dm_sync *s, dm_error **err)
{
	dm_buf g = DM_BUF_INIT;
	char *copy;
	int rc;

	rc = dm_applier_drain(s->ap, err);
	if (rc)
		return rc;
	if (!s->global.file[0])
		return 0;
	rc = gtid_text(s, &g);
	if (rc) {
		dm_buf_free(&g);
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	{
		unsigned attempt = 0, wait_ms = 100;
		dm_error *e = NULL;

		/* The writes are upserts: trying again is harmless. */
		do {
			rc = dm_checkpoint_flush(s->cp, s->down, &s->global,
						 g.data ? g.data : "",
						 s->has_safe_exit ? &s->safe_exit :
								    NULL,
						 NULL, s->tr, &e);
		} while (rc && retry_after(s, s->down, &e, &attempt, &wait_ms));
		if (rc) {
			if (err && !*err)
				*err = e;
			else
				dm_error_free(e);
		}
	}
	if (!rc) {
		copy = dm__strdup(g.data ? g.data : "");
		pthread_mutex_lock(&s->mu);
		s->flushed = s->global;
		if (copy) {
			dm__free(s->flushed_gtid);
			s->flushed_gtid = copy;
		}
		pthread_mutex_unlock(&s->mu);
		s->last_flush_ms = dm__clock_now_ms();
		log_loc(s, DM_LOG_DEBUG, "flushed checkpoint", &s->global,
			"gtid", g.data ? g.data : "");
	}
	dm_buf_free(&g);
	return rc;
}

/* ------------------------------------------------------------ tables */

static int create_from(dm_sync *s, dm_db *db, const char *schema,
		       const char *table, const char *as_schema,
		       const char *as_table, dm_error **err)
{
	dm_buf q = DM_BUF_INIT, c = DM_BUF_INIT;
	int rc;

	rc = dm_buf_puts(&q, "SHOW CREATE TABLE ");
	if (!rc)
		rc = dm_db_quote_ident(&q, schema, strlen(schema));
	if (!rc)
		rc = dm_buf_putc(&q, '.');
	if (!rc)
		rc = dm_db_quote_ident(&q, table, strlen(table));
	if (rc) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out;
	}
	rc = query_text(s, db, &c, q.data, 1, err);
	if (rc == DM_DONE)
		rc = dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_FETCH_DOWNSTREAM_TABLE,
				  "SHOW CREATE TABLE %s returned no row",
				  q.data + 18);
	if (rc)
		goto out;
	rc = dm_schema_tracker_set_table(s->tr, as_schema, as_table, c.data,
					 c.len, err);
out:
	dm_buf_free(&q);
	dm_buf_free(&c);
	return rc;
}

/* Puts schema.table into the tracker when it is not there: from the
 * downstream table it is routed to (what a load from a dump made), else
 * from the upstream. */
static int ensure_tracked(dm_sync *s, struct src_table *st,
			  const char *schema, const char *table,
			  const char *tschema, const char *ttable,
			  dm_error **err)
{
	dm_error *e = NULL;
	int rc;

	if (dm_schema_tracker_get(s->tr, schema, table))
		return 0;
	rc = create_from(s, s->down, tschema, ttable, schema, table, &e);
	if (!rc) {
		st->from_downstream = true;
		dm_error_free(e);
		return 0;
	}
	dm_error_free(e);
	e = NULL;
	rc = create_from(s, s->up, schema, table, schema, table, err);
	if (!rc)
		st->from_downstream = false;
	return rc;
}

static struct src_table *get_table(dm_sync *s, const char *schema,
				   const char *table, dm_error **err)
{
	struct src_table *st;
	size_t n = table_key(&s->scratch, schema, table);

	if (!n) {
		dm_error_set(err, DM_E_NO_MEMORY, NULL);
		return NULL;
	}
	st = dm__map_get(&s->tables, s->scratch.data, n);
	if (st)
		return st;
	st = dm__calloc(1, sizeof(*st));
	if (!st || dm__map_put(NULL, &s->tables, s->scratch.data, n, st)) {
		dm__free(st);
		dm_error_set(err, DM_E_NO_MEMORY, NULL);
		return NULL;
	}
	if (s->compat_points) {
		size_t i, nt = dm_checkpoint_ntables(s->cp);

		for (i = 0; i < nt; i++) {
			const char *cs, *ct;
			dm_location l;

			if (dm_checkpoint_table_at(s->cp, i, &cs, &ct, &l) == 0 &&
			    strcmp(cs, schema) == 0 && strcmp(ct, table) == 0) {
				st->point = l;
				st->has_point = true;
			}
		}
	}
	return st;
}

/* ensure_tracked for a table named by a DDL rather than a rows event. */
static int fetch_table(dm_sync *s, const char *schema, const char *table,
		       const char *tschema, const char *ttable, dm_error **err)
{
	struct src_table *st = get_table(s, schema, table, err);

	if (!st)
		return DM_E_NO_MEMORY;
	return ensure_tracked(s, st, schema, table, tschema, ttable, err);
}

static int build_dml(dm_sync *s, struct src_table *st, const char *schema,
		     const char *table, const dm_rule_decision *d,
		     dm_error **err)
{
	const dm_schema_table *t;
	size_t i, n;
	int rc;

	rc = ensure_tracked(s, st, schema, table, d->target_schema,
			    d->target_table, err);
	if (rc)
		return rc;
	t = dm_schema_tracker_get(s->tr, schema, table);
	if (!t)
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE,
				    "`%s`.`%s` is not tracked", schema, table);
	rc = dm_dml_table_new(&st->dml, t, d->target_schema, d->target_table,
			      err);
	if (rc)
		return rc;
	dm__free(st->ef_cols);
	st->ef_cols = NULL;
	st->ef_ncols = 0;
	if (s->ef && dm_expr_filter_has_table(s->ef, schema, table)) {
		n = dm_schema_table_ncolumns(t);
		st->ef_cols = dm__calloc(n ? n : 1, sizeof(*st->ef_cols));
		if (!st->ef_cols)
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		/* Names stay valid: the tracker is only changed after a
		 * drain, when every table entry is rebuilt. */
		for (i = 0; i < n; i++)
			st->ef_cols[i].name =
				dm_schema_table_column(t, i)->name;
		st->ef_ncols = n;
	}
	return 0;
}

/* After the tracker changed: every cached structure is rebuilt on use.
 * Only after a drain (queued changes point at the tables). */
static void forget_tables(dm_sync *s)
{
	dm__map_clear(&s->tables);
}

/* ------------------------------------------------------------- rows */

static bool safe_now(dm_sync *s, const dm_location *loc)
{
	if (s->syncer->safe_mode)
		return true;
	if (s->safe_until_ms && dm__clock_now_ms() < s->safe_until_ms)
		return true;
	if (s->has_safe_exit) {
		if (dm_location_compare(loc, &s->safe_exit) < 0)
			return true;
		s->has_safe_exit = false;
	}
	return false;
}

static bool image_complete(const unsigned char *bits, uint64_t ncols)
{
	uint64_t i;

	if (!bits)
		return true;
	for (i = 0; i < ncols; i++)
		if (!(bits[i / 8] & (1u << (i % 8))))
			return false;
	return true;
}

static int push_change(dm_sync *s, dm_dml_change *c, size_t width,
		       const dm_location *loc, dm_error **err)
{
	dm_dml_change *owned = NULL;
	bool drop = false;
	int rc;

	if (dm_location_compare(loc, &s->last_pushed) <= 0 ||
	    (s->txn_n && dm_location_compare(loc, &s->txn_loc[s->txn_n - 1]) <= 0))
		return 0;
	if (s->hook) {
		rc = s->hook(c, loc, &drop, s->hook_userdata);
		if (rc)
			return dm_error_set(err, rc < 0 ? rc : DM_E_INVALID_ARGUMENT,
					    "the change hook stopped the task "
					    "(it returned %d)", rc);
		if (drop) {
			s->last_pushed = *loc;
			return 0;
		}
	}
	rc = dm_dml_change_copy(&owned, c, width, err);
	if (rc)
		return rc;
	if (s->syncer->atomic_transactions && s->in_txn) {
		/* Held until the commit (see txn_push). */
		if (s->txn_n == s->txn_cap) {
			size_t cap = s->txn_cap ? 2 * s->txn_cap : 64;
			dm_dml_change **c2;
			dm_location *l2;

			c2 = dm__reallocarray(s->txn_c, cap, sizeof(*c2));
			if (c2)
				s->txn_c = c2;
			l2 = c2 ? dm__reallocarray(s->txn_loc, cap,
						   sizeof(*l2)) : NULL;
			if (l2)
				s->txn_loc = l2;
			if (!c2 || !l2) {
				dm_dml_change_free(owned);
				return dm_error_set(err, DM_E_NO_MEMORY, NULL);
			}
			s->txn_cap = cap;
		}
		s->txn_c[s->txn_n] = owned;
		s->txn_loc[s->txn_n++] = *loc;
		return 0;
	}
	rc = dm_applier_push(s->ap, owned, loc, NULL, err);
	if (!rc)
		s->last_pushed = *loc;
	return rc;
}

/* atomic-transactions: the held transaction goes to the applier whole. */
static int txn_push(dm_sync *s, dm_error **err)
{
	dm_location last;
	size_t n = s->txn_n;
	int rc;

	if (!n)
		return 0;
	last = s->txn_loc[n - 1];
	s->txn_n = 0;
	rc = dm_applier_push_txn(s->ap, s->txn_c, s->txn_loc, n, NULL, err);
	if (!rc)
		s->last_pushed = last;
	return rc;
}

static dm_filter_event rows_event(dm_binlog_rows_action a)
{
	switch (a) {
	case DM_BINLOG_ROWS_WRITE:
		return DM_FILTER_EVENT_INSERT;
	case DM_BINLOG_ROWS_UPDATE:
		return DM_FILTER_EVENT_UPDATE;
	default:
		return DM_FILTER_EVENT_DELETE;
	}
}

static int handle_rows(dm_sync *s, const dm_binlog_event *ev, uint64_t end,
		       dm_error **err)
{
	const dm_binlog_rows *rows = &ev->u.rows;
	const dm_binlog_table *bt = rows->table;
	dm_binlog_decoder *d = dm_binlog_reader_decoder(s->rd);
	dm_binlog_row_iter *it = NULL;
	const dm_value *before, *after;
	dm_rule_decision dec;
	struct src_table *st;
	dm_location loc;
	uint32_t row = 0;
	int rc;

	if (!bt)
		return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
				    "%s:%" PRIu64 ": rows event for table id "
				    "%" PRIu64 " without a table map", ev->file,
				    ev->pos, rows->table_id);
	rc = dm_rule_set_decide(&dec, NULL, s->rules, bt->schema.ptr,
				bt->name.ptr, rows_event(rows->action), NULL, 0,
				err);
	if (rc)
		return rc;
	if (!dec.migrate)
		return 0;
	if (rows->action == DM_BINLOG_ROWS_PARTIAL_UPDATE)
		return dm_error_set(err, DM_E_NOT_SUPPORTED,
				    "%s:%" PRIu64 ": partial JSON updates "
				    "(binlog_row_value_options=PARTIAL_JSON) "
				    "cannot be replicated", ev->file, ev->pos);
	if (!image_complete(rows->cols_before, rows->ncols) ||
	    (rows->action == DM_BINLOG_ROWS_UPDATE &&
	     !image_complete(rows->cols_after, rows->ncols)))
		return dm_error_set(err, DM_E_BINLOG_NOT_LOG_COLUMN,
				    "%s:%" PRIu64 ": `%s`.`%s`: the binlog "
				    "lacks columns (binlog_row_image is not "
				    "FULL)", ev->file, ev->pos, bt->schema.ptr,
				    bt->name.ptr);
	st = get_table(s, bt->schema.ptr, bt->name.ptr, err);
	if (!st)
		return DM_E_NO_MEMORY;
	rc = dm_location_set(&loc, ev->file ? ev->file : "", end, 0, err);
	if (rc)
		return rc;
	if (st->has_point && dm_location_compare(&loc, &st->point) < 0)
		return 0;
	if (!st->dml) {
		rc = build_dml(s, st, bt->schema.ptr, bt->name.ptr, &dec, err);
		if (rc)
			return rc;
	}
	if (dm_dml_table_ncolumns(st->dml) != rows->ncols &&
	    st->from_downstream && !st->retried_upstream) {
		/* The downstream table differs (extra columns): take the
		 * upstream's structure instead, once. */
		dm_error *e = NULL;

		st->retried_upstream = true;
		rc = dm_applier_drain(s->ap, err);
		if (rc)
			return rc;
		if (create_from(s, s->up, bt->schema.ptr, bt->name.ptr,
				bt->schema.ptr, bt->name.ptr, &e) == 0) {
			dm_dml_table_free(st->dml);
			st->dml = NULL;
			st->from_downstream = false;
			rc = build_dml(s, st, bt->schema.ptr, bt->name.ptr,
				       &dec, err);
			if (rc) {
				dm_error_free(e);
				return rc;
			}
		}
		dm_error_free(e);
	}
	dm_applier_set_event_time(s->ap, ev->timestamp);
	rc = dm_binlog_rows_open(&it, d, ev, err);
	if (rc)
		return rc;
	while ((rc = dm_binlog_rows_next(it, &before, &after, err)) == 0) {
		dm_dml_change c;

		loc.row = s->in_payload ? ++s->payload_rows : ++row;
		c.op = rows->action == DM_BINLOG_ROWS_WRITE ? DM_DML_INSERT :
		       rows->action == DM_BINLOG_ROWS_UPDATE ? DM_DML_UPDATE :
							       DM_DML_DELETE;
		c.table = st->dml;
		c.before = c.op == DM_DML_INSERT ? NULL : before;
		c.after = c.op == DM_DML_DELETE ? NULL : after;
		c.safe = safe_now(s, &loc);
		if (st->ef_cols && dm_location_compare(&loc, &s->last_pushed) > 0) {
			dm_expr_filter_table cols = { st->ef_cols, st->ef_ncols,
						      NULL };
			bool skip = false;

			if (rows->ncols != st->ef_ncols)
				return dm_error_set(
					err, DM_E_SYNCER_UNIT_DML_COLUMN_NOT_MATCH,
					"`%s`.`%s`: the binlog row has %" PRIu64
					" columns, the table %zu", bt->schema.ptr,
					bt->name.ptr, rows->ncols, st->ef_ncols);
			rc = dm_expr_filter_skip(&skip, s->ef, bt->schema.ptr,
						 bt->name.ptr, &cols,
						 rows_event(rows->action),
						 c.before, c.after, &s->scratch,
						 err);
			if (rc)
				return rc;
			if (skip)
				continue;
		}
		rc = push_change(s, &c, rows->ncols, &loc, err);
		if (rc)
			return rc;
	}
	return rc == DM_DONE ? 0 : rc;
}

/* --------------------------------------------------------------- DDL */

static dm_filter_event ddl_event(dm_sql_kind k)
{
	switch (k) {
	case DM_SQL_CREATE_DATABASE:
		return DM_FILTER_EVENT_CREATE_DATABASE;
	case DM_SQL_DROP_DATABASE:
		return DM_FILTER_EVENT_DROP_DATABASE;
	case DM_SQL_CREATE_TABLE:
	case DM_SQL_CREATE_TABLE_LIKE:
		return DM_FILTER_EVENT_CREATE_TABLE;
	case DM_SQL_DROP_TABLE:
		return DM_FILTER_EVENT_DROP_TABLE;
	case DM_SQL_TRUNCATE_TABLE:
		return DM_FILTER_EVENT_TRUNCATE_TABLE;
	case DM_SQL_RENAME_TABLE:
		return DM_FILTER_EVENT_RENAME_TABLE;
	case DM_SQL_CREATE_INDEX:
		return DM_FILTER_EVENT_CREATE_INDEX;
	case DM_SQL_DROP_INDEX:
		return DM_FILTER_EVENT_DROP_INDEX;
	case DM_SQL_CREATE_VIEW:
		return DM_FILTER_EVENT_CREATE_VIEW;
	case DM_SQL_DROP_VIEW:
		return DM_FILTER_EVENT_DROP_VIEW;
	case DM_SQL_ALTER_TABLE:
		return DM_FILTER_EVENT_ALTER_TABLE;
	default:
		return DM_FILTER_EVENT_UNSPECIFIED;
	}
}

struct route_ctx {
	dm_sync *s;
	dm_error *err;
};

/* dm_sql_restore rename callback: the routed name of every table. */
static int route_name(const char *schema, const char *table,
		      const char **new_schema, const char **new_table,
		      void *userdata)
{
	struct route_ctx *rc = userdata;
	dm_rule_decision d;
	int st;

	st = dm_rule_set_decide(&d, NULL, rc->s->rules, schema,
				table ? table : "", DM_FILTER_EVENT_UNSPECIFIED,
				NULL, 0, &rc->err);
	if (st)
		return st;
	if (d.target_schema)
		*new_schema = d.target_schema;
	if (table && d.target_table && d.target_table[0])
		*new_table = d.target_table;
	return 0;
}

/* After route_name failed: its error becomes the caller's (unless the
 * caller already has one). */
static void take_route_err(struct route_ctx *rc, dm_error **err)
{
	if (rc->err && err && !*err) {
		*err = rc->err;
		rc->err = NULL;
	}
}

/* MySQL/MariaDB errors a replayed DDL may meet that mean "already done". */
static bool ddl_error_ignorable(const dm_error *e)
{
	switch (dm_error_server_errno(e)) {
	case 1007: /* database exists */
	case 1008: /* database does not exist */
	case 1050: /* table exists */
	case 1051: /* unknown table */
	case 1060: /* duplicate column */
	case 1061: /* duplicate key name */
	case 1091: /* cannot drop field or key */
	case 1831: /* duplicate index */
		return true;
	default:
		return false;
	}
}

static int exec_ddl(dm_sync *s, const char *sql, size_t len,
		    const dm_location *at, dm_error **err)
{
	unsigned attempt = 0, wait_ms = 100;

	for (;;) {
		dm_error *e = NULL;
		dm_buf b = DM_BUF_INIT;
		int rc = dm_db_exec(s->down, sql, len, &e);
		bool named;

		if (!rc) {
			log_loc(s, DM_LOG_INFO, "executed DDL", at, "ddl", sql);
			return 0;
		}
		if (ddl_error_ignorable(e)) {
			log_loc(s, DM_LOG_WARN, "ignored DDL error", at, "ddl",
				sql);
			dm_error_free(e);
			return 0;
		}
		if (retry_after(s, s->down, &e, &attempt, &wait_ms))
			continue;
		named = loc_text(&b, at) == 0;
		rc = dm_error_set(&e, DM_E_DB_EXECUTE_FAILED,
				  "DDL ending at %s (event start %s:%" PRIu64
				  " for handle-error -b): %.*s",
				  named ? b.data : "?", at->file, s->ddl_start,
				  (int)len, sql);
		dm_buf_free(&b);
		if (err && !*err)
			*err = e;
		else
			dm_error_free(e);
		return rc;
	}
}

/* A split statement: its original text, and the routed one to run (NULL
 * when filtered). */
struct piece {
	char *orig;
	char *routed;
	bool track;	/* applied to the tracker: not filtered by the
			 * block/allow list (DM's rule) */
	dm_sql_kind kind;
	char *schema, *table;	/* the first table it names, or NULL */
	char *tschema, *ttable;	/* where that table is downstream */
	char *nschema, *ntable;	/* the last table it names after the
				 * first (a rename's new name), or NULL */
};

static void pieces_free(struct piece *p, size_t n)
{
	size_t i;

	for (i = 0; p && i < n; i++) {
		dm__free(p[i].orig);
		dm__free(p[i].routed);
		dm__free(p[i].schema);
		dm__free(p[i].table);
		dm__free(p[i].tschema);
		dm__free(p[i].ttable);
		dm__free(p[i].nschema);
		dm__free(p[i].ntable);
	}
	dm__free(p);
}

/* Names (schema NUL table NUL, one after the other) of every table the
 * tracker holds. */
static int tracked_names(dm_sync *s, dm_buf *out)
{
	size_t i, n = dm_schema_tracker_count(s->tr);
	int rc = 0;

	dm_buf_clear(out);
	for (i = 0; rc == 0 && i < n; i++) {
		const dm_schema_table *t = dm_schema_tracker_table_at(s->tr, i);
		const char *sc = dm_schema_table_schema(t);
		const char *tb = dm_schema_table_name(t);

		rc = dm_buf_append(out, sc, strlen(sc) + 1);
		if (!rc)
			rc = dm_buf_append(out, tb, strlen(tb) + 1);
	}
	return rc;
}

/* After a DDL changed the tracker: the checkpoint rows of the tables it
 * no longer holds (dropped, renamed away) go with the next flush, so that
 * a restart does not bring them back. */
static int forget_gone(dm_sync *s, const dm_buf *before, dm_error **err)
{
	const char *p = before->data, *end = p ? p + before->len : NULL;
	int rc = 0;

	while (rc == 0 && p && p < end) {
		const char *sc = p, *tb = p + strlen(p) + 1;

		p = tb + strlen(tb) + 1;
		if (!dm_schema_tracker_get(s->tr, sc, tb))
			rc = dm_checkpoint_forget_table(s->cp, sc, tb, err);
	}
	return rc;
}

/* A statement that changes a table the tracker must already hold. */
static bool needs_table(dm_sql_kind k)
{
	return k == DM_SQL_ALTER_TABLE || k == DM_SQL_RENAME_TABLE ||
	       k == DM_SQL_CREATE_INDEX || k == DM_SQL_DROP_INDEX;
}

/* Whether an earlier piece renames a table to schema.table: then that
 * table does not exist before the DDL and cannot be fetched. */
static bool made_earlier(const struct piece *p, size_t i, const char *schema,
			 const char *table)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (p[j].nschema && strcmp(p[j].nschema, schema) == 0 &&
		    strcmp(p[j].ntable, table) == 0)
			return true;
	return false;
}

/* The transaction boundary at the end of the current event. */
static int boundary(dm_sync *s, const char *file, uint64_t end,
		    dm_error **err)
{
	int rc = txn_push(s, err);

	if (!rc)
		rc = dm_location_set(&s->global, file, end, 0, err);
	if (rc)
		return rc;
	if (s->has_pending && s->gtid) {
		rc = dm_gtid_set_add(s->gtid, &s->pending, err);
		if (rc)
			return rc;
	}
	s->has_pending = false;
	s->in_txn = false;
	pthread_mutex_lock(&s->mu);
	s->txns++;
	pthread_mutex_unlock(&s->mu);
	return 0;
}

static char *dup_or_null(const char *v, bool *failed)
{
	char *c = v ? dm__strdup(v) : NULL;

	if (v && !c)
		*failed = true;
	return c;
}

/* Records what handle_ddl needs of a piece besides its text: its kind,
 * whether the tracker sees it, and its first table's names upstream and
 * downstream (routed even when an event filter drops the piece). */
static int note_piece(struct piece *pc, const dm_sql_stmt *one,
		      const dm_sql_table_name *names, size_t nn,
		      const char *dflt, const dm_rule_decision *d,
		      struct route_ctx *rctx, dm_error **err)
{
	const char *schema, *ts, *tt;
	bool failed = false;
	int rc;

	pc->kind = dm_sql_stmt_kind(one);
	pc->track = d->migrate || d->step == DM_RULE_STEP_EVENT_FILTER;
	if (!nn)
		return 0;
	schema = names[0].schema[0] ? names[0].schema : dflt;
	ts = schema;
	tt = names[0].table;
	if (d->migrate) {
		ts = d->target_schema ? d->target_schema : ts;
		tt = d->target_table && d->target_table[0] ? d->target_table
							   : tt;
	} else if (pc->track) {
		rc = route_name(schema, names[0].table, &ts, &tt, rctx);
		if (rc) {
			take_route_err(rctx, err);
			return rc;
		}
	}
	pc->schema = dup_or_null(schema, &failed);
	pc->table = dup_or_null(names[0].table, &failed);
	pc->tschema = dup_or_null(ts, &failed);
	pc->ttable = dup_or_null(tt, &failed);
	if (nn > 1) {
		const dm_sql_table_name *last = &names[nn - 1];

		pc->nschema = dup_or_null(last->schema[0] ? last->schema : dflt,
					  &failed);
		pc->ntable = dup_or_null(last->table, &failed);
	}
	return failed ? dm_error_set(err, DM_E_NO_MEMORY, NULL) : 0;
}

static int handle_ddl(dm_sync *s, const dm_binlog_event *ev,
		      const dm_sql_stmt *stmt, const char *dflt,
		      dm_sql_parse_opts *po, uint64_t end, dm_error **err)
{
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_text_list *list = NULL;
	struct piece *pieces = NULL;
	struct route_ctx rctx = { s, NULL };
	dm_buf names_before = DM_BUF_INIT;
	dm_location at;
	size_t i, n = 0, nrun = 0;
	int rc;

	rc = dm_location_set(&at, ev->file ? ev->file : "", end, 0, err);
	if (rc)
		return rc;
	s->ddl_start = ev->pos;
	ro.qualify = true;
	rc = dm_sql_split_stmt(&list, stmt, DM_SQL_SPLIT_ALTER, &ro, err);
	if (rc)
		return rc;
	n = dm_sql_text_list_count(list);
	pieces = dm__calloc(n ? n : 1, sizeof(*pieces));
	if (!pieces) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out;
	}
	/* Decide for every piece; nothing changes yet. */
	for (i = 0; i < n; i++) {
		size_t len;
		const char *text = dm_sql_text_list_get(list, i, &len);
		const dm_sql_table_name *names;
		dm_sql_stmt *one = NULL;
		dm_rule_decision d;
		size_t nn;

		pieces[i].orig = dm__strndup(text, len);
		if (!pieces[i].orig) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			goto out;
		}
		rc = dm_sql_parse(&one, text, len, po, err);
		if (rc)
			goto out;
		nn = dm_sql_stmt_tables(one, &names);
		rc = dm_rule_set_decide(&d, NULL, s->rules,
					nn ? names[0].schema : dflt,
					nn ? names[0].table : "",
					ddl_event(dm_sql_stmt_kind(one)), text,
					len, err);
		if (!rc)
			rc = note_piece(&pieces[i], one, names, nn, dflt, &d,
					&rctx, err);
		if (!rc && d.migrate) {
			dm_buf b = DM_BUF_INIT;

			ro.rename = route_name;
			ro.rename_userdata = &rctx;
			rc = dm_sql_restore(&b, one, &ro, err);
			if (rc)
				take_route_err(&rctx, err);
			if (!rc) {
				pieces[i].routed = dm_buf_detach(&b);
				if (!pieces[i].routed)
					rc = dm_error_set(err, DM_E_NO_MEMORY,
							  NULL);
				nrun++;
			}
			dm_buf_free(&b);
		}
		dm_sql_stmt_free(one);
		if (rc)
			goto out;
	}
	/* Everything before the DDL is applied and checkpointed first. */
	rc = flush(s, err);
	if (rc)
		goto out;
	/* A table the DDL changes but the tracker has not seen since the
	 * start is fetched now, before the downstream changes too. */
	for (i = 0; i < n; i++) {
		struct piece *pc = &pieces[i];
		const char *sc = pc->schema, *tb = pc->table;
		const char *ts = pc->tschema, *tt = pc->ttable;

		if (!pc->track || !tb)
			continue;
		if (pc->kind == DM_SQL_CREATE_TABLE_LIKE && pc->ntable) {
			/* The table it copies. */
			sc = ts = pc->nschema;
			tb = tt = pc->ntable;
			rc = route_name(sc, tb, &ts, &tt, &rctx);
			if (rc) {
				take_route_err(&rctx, err);
				goto out;
			}
		} else if (!needs_table(pc->kind)) {
			continue;
		}
		if (dm_schema_tracker_get(s->tr, sc, tb) ||
		    made_earlier(pieces, i, sc, tb))
			continue;
		rc = fetch_table(s, sc, tb, ts, tt, err);
		if (rc)
			goto out;
	}
	for (i = 0; i < n; i++) {
		if (!pieces[i].routed)
			continue;
		rc = exec_ddl(s, pieces[i].routed, strlen(pieces[i].routed),
			      &at, err);
		if (rc)
			goto out;
		pthread_mutex_lock(&s->mu);
		s->ddls++;
		s->total_events++;
		pthread_mutex_unlock(&s->mu);
	}
	/* Pieces an event filter dropped still change the tracker, as DM
	 * does; those of tables the block/allow list rejects do not. */
	if (tracked_names(s, &names_before)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out;
	}
	for (i = 0; i < n; i++) {
		const struct piece *pc = &pieces[i];

		if (!pc->track)
			continue;
		/* Dropping or emptying what was never tracked changes
		 * nothing. */
		if ((pc->kind == DM_SQL_DROP_TABLE ||
		     pc->kind == DM_SQL_TRUNCATE_TABLE) && pc->table &&
		    !dm_schema_tracker_get(s->tr, pc->schema, pc->table))
			continue;
		if (pc->kind == DM_SQL_DROP_DATABASE && pc->schema &&
		    !dm_schema_tracker_has_schema(s->tr, pc->schema))
			continue;
		rc = dm_schema_tracker_apply(s->tr, pc->orig, strlen(pc->orig),
					     dflt, err);
		if (rc) {
			rc = dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_EXEC_DDL,
					  "%s:%" PRIu64 ": %s", ev->file,
					  ev->pos, pieces[i].orig);
			goto out;
		}
	}
	forget_tables(s);
	rc = forget_gone(s, &names_before, err);
	if (!rc)
		rc = boundary(s, ev->file, end, err);
	if (!rc)
		rc = flush(s, err);
	if (!rc && !nrun)
		log_loc(s, DM_LOG_INFO, "DDL filtered out, tracker updated", &at,
			"ddl", pieces[0].orig);
out:
	dm_error_free(rctx.err);
	dm_buf_free(&names_before);
	pieces_free(pieces, n);
	dm_sql_text_list_free(list);
	return rc;
}

static bool is_dml_kind(dm_sql_kind k)
{
	return k == DM_SQL_INSERT || k == DM_SQL_UPDATE || k == DM_SQL_DELETE ||
	       k == DM_SQL_REPLACE || k == DM_SQL_LOAD_DATA;
}

static bool is_word(const char *sql, size_t len, const char *w)
{
	size_t n = strlen(w);

	while (len && (*sql == ' ' || *sql == '\t' || *sql == '\n')) {
		sql++;
		len--;
	}
	while (len && (sql[len - 1] == ' ' || sql[len - 1] == ';' ||
		       sql[len - 1] == '\n'))
		len--;
	return len == n && strncasecmp(sql, w, n) == 0;
}

/* Takes the operator set for the event starting at file:pos: its kind (0
 * when none) and, for REPLACE, its SQL (the caller frees it). */
static dm_sync_error_op take_op(dm_sync *s, const char *file, uint64_t pos,
				char **sql)
{
	dm_sync_error_op kind = 0;
	size_t i;

	*sql = NULL;
	pthread_mutex_lock(&s->mu);
	for (i = 0; i < s->nops; i++) {
		if (s->ops[i].pos != pos || strcmp(s->ops[i].file, file) != 0)
			continue;
		kind = s->ops[i].kind;
		*sql = s->ops[i].sql;
		s->ops[i] = s->ops[--s->nops];
		break;
	}
	pthread_mutex_unlock(&s->mu);
	return kind;
}

static int handle_ddl(dm_sync *s, const dm_binlog_event *ev,
		      const dm_sql_stmt *stmt, const char *dflt,
		      dm_sql_parse_opts *po, uint64_t end, dm_error **err);

/* handle-error replace: the statements of `sql` instead of the event's. */
static int replace_ddl(dm_sync *s, const dm_binlog_event *ev,
		       const char *sql, const char *dflt,
		       dm_sql_parse_opts *po, uint64_t end, dm_error **err)
{
	dm_sql_span *spans = NULL;
	size_t n = 0, i;
	int rc;

	rc = dm_sql_split(&spans, &n, sql, strlen(sql), po, err);
	for (i = 0; !rc && i < n; i++) {
		dm_sql_stmt *stmt = NULL;

		rc = dm_sql_parse(&stmt, sql + spans[i].offset, spans[i].len,
				  po, err);
		if (!rc && !dm_sql_stmt_is_ddl(stmt))
			rc = dm_error_set(err, DM_E_INVALID_ARGUMENT,
					  "handle-error replace takes DDL "
					  "statements only: %.*s",
					  (int)spans[i].len, sql + spans[i].offset);
		if (!rc)
			rc = handle_ddl(s, ev, stmt, dflt, po, end, err);
		dm_sql_stmt_free(stmt);
	}
	dm_sql_spans_free(spans);
	if (!rc)
		log_loc(s, DM_LOG_INFO, "replaced DDL event by handle-error",
			&s->global, "sql", sql);
	return rc;
}

static int handle_query(dm_sync *s, const dm_binlog_event *ev, uint64_t end,
			dm_error **err)
{
	const dm_binlog_query *q = &ev->u.query;
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_rule_decision d;
	dm_sql_stmt *stmt = NULL;
	dm_error *perr = NULL;
	const char *dflt = q->schema.len ? q->schema.ptr : "";
	int rc;

	if (is_word(q->query.ptr, q->query.len, "BEGIN")) {
		s->in_txn = true;
		return 0;
	}
	if (is_word(q->query.ptr, q->query.len, "COMMIT"))
		return boundary(s, ev->file, end, err);
	po.sql_mode = q->status.sql_mode;
	po.server_version = s->server_version;
	po.mariadb = s->flavor == DM_GTID_MARIADB;
	po.default_db = q->schema.len ? q->schema.ptr : NULL;
	if (!s->in_txn) {
		char *op_sql = NULL;
		dm_sync_error_op op = take_op(s, ev->file ? ev->file : "",
					      ev->pos, &op_sql);

		if (op == DM_SYNC_ERROR_SKIP) {
			/* The query is a slice of the event, not a string. */
			char *text = dm__strndup(q->query.ptr, q->query.len);

			log_loc(s, DM_LOG_INFO, "skipped DDL event by "
				"handle-error", &s->global, "sql",
				text ? text : "");
			dm__free(text);
			return boundary(s, ev->file, end, err);
		}
		if (op == DM_SYNC_ERROR_REPLACE) {
			rc = replace_ddl(s, ev, op_sql, dflt, &po, end, err);
			dm__free(op_sql);
			return rc;
		}
	}
	rc = dm_sql_parse(&stmt, q->query.ptr, q->query.len, &po, &perr);
	if (rc) {
		/* Unparsable: skipped when a rule or DM's list says so. */
		rc = dm_rule_set_decide(&d, NULL, s->rules, dflt, "",
					DM_FILTER_EVENT_UNSPECIFIED,
					q->query.ptr, q->query.len, err);
		if (!rc && (!d.migrate ||
			    dm_rules_is_builtin_skip(q->query.ptr,
						     q->query.len))) {
			dm_error_free(perr);
			return boundary(s, ev->file, end, err);
		}
		if (!rc) {
			rc = dm_error_set(&perr, DM_E_SYNCER_PARSE_DDL,
					  "%s:%" PRIu64 ": %.*s", ev->file,
					  ev->pos, (int)q->query.len,
					  q->query.ptr);
			if (err && !*err) {
				*err = perr;
				perr = NULL;
			}
		}
		dm_error_free(perr);
		return rc;
	}
	if (is_dml_kind(dm_sql_stmt_kind(stmt))) {
		/* A statement-format change: DM cannot replicate it unless
		 * its table is filtered out. */
		const dm_sql_table_name *names;
		size_t nn = dm_sql_stmt_tables(stmt, &names);

		rc = dm_rule_set_decide(&d, NULL, s->rules,
					nn ? names[0].schema : dflt,
					nn ? names[0].table : "",
					DM_FILTER_EVENT_UNSPECIFIED, q->query.ptr,
					q->query.len, err);
		if (!rc && d.migrate)
			rc = dm_error_set(err, DM_E_SYNC_UNIT_DML_STATEMENT_FOUND,
					  "%s:%" PRIu64 ": %.*s (set "
					  "binlog_format=ROW upstream)", ev->file,
					  ev->pos, (int)q->query.len,
					  q->query.ptr);
		dm_sql_stmt_free(stmt);
		if (rc || s->in_txn)
			return rc;
		return boundary(s, ev->file, end, err);
	}
	if (!dm_sql_stmt_is_ddl(stmt) ||
	    dm_rules_is_builtin_skip(q->query.ptr, q->query.len)) {
		dm_sql_stmt_free(stmt);
		if (s->in_txn)
			return 0;
		return boundary(s, ev->file, end, err);
	}
	rc = handle_ddl(s, ev, stmt, dflt, &po, end, err);
	dm_sql_stmt_free(stmt);
	if (rc) {
		dm_location start;

		if (dm_location_set(&start, ev->file ? ev->file : "", ev->pos,
				    0, NULL) == 0) {
			pthread_mutex_lock(&s->mu);
			s->err_start = start;
			s->has_err_start = true;
			pthread_mutex_unlock(&s->mu);
		}
	}
	return rc;
}

/* ------------------------------------------------------------- start */

static int open_conns(dm_sync *s, dm_error **err)
{
	dm_db_opts down = *s->opts.downstream;
	dm_buf v = DM_BUF_INIT;
	int rc;

	down.time_zone = "+00:00";
	if (down.scope == DM_ERR_SCOPE_NOT_SET)
		down.scope = DM_ERR_SCOPE_DOWNSTREAM;
	rc = dm_db_open(&s->up, s->ctx, s->opts.upstream, err);
	if (!rc)
		rc = dm_db_open(&s->down, s->ctx, &down, err);
	if (rc)
		return rc;
	s->flavor = s->source->flavor == DM_CFG_FLAVOR_MYSQL ? DM_GTID_MYSQL :
		    s->source->flavor == DM_CFG_FLAVOR_MARIADB ?
						     DM_GTID_MARIADB :
		    dm_db_is_mariadb(s->up) ? DM_GTID_MARIADB :
					      DM_GTID_MYSQL;
	{
		unsigned a = 0, b = 0, c = 0;

		if (sscanf(dm_db_server_version(s->up), "%u.%u.%u", &a, &b,
			   &c) == 3)
			s->server_version = a * 10000 + b * 100 + c;
	}
	rc = query_text(s, s->up, &v, "SELECT @@lower_case_table_names", 0,
			err);
	if (!rc)
		s->lctn = (int)strtol(v.data ? v.data : "0", NULL, 10);
	dm_buf_free(&v);
	return rc == DM_DONE ? 0 : rc;
}

static int load_tracker(dm_sync *s, dm_error **err)
{
	dm_schema_opts so = DM_SCHEMA_OPTS_INIT;
	size_t i, n;
	int rc;

	so.lower_case_table_names = s->lctn;
	rc = dm_schema_tracker_new(&s->tr, &so, err);
	if (rc)
		return rc;
	n = dm_checkpoint_ntables(s->cp);
	for (i = 0; i < n; i++) {
		const char *schema, *table, *info;
		dm_location l;

		if (dm_checkpoint_table_at(s->cp, i, &schema, &table, &l))
			continue;
		info = dm_checkpoint_table_info(s->cp, schema, table);
		if (!info)
			continue;
		rc = dm_checkpoint_table_schema(s->tr, schema, table, info,
						err);
		if (rc == DM_DONE)
			rc = 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* Where reading starts: the checkpoint, else the task's meta, else the
 * upstream's current position. Fills stream options' file/pos/gtid. */
static int start_point(dm_sync *s, dm_buf *file, uint64_t *pos,
		       dm_buf *gtid, dm_error **err)
{
	dm_location g;
	const char *gt = NULL;
	int rc;

	dm_buf_clear(file);
	dm_buf_clear(gtid);
	*pos = 4;
	if (dm_checkpoint_global(s->cp, &g, &gt)) {
		rc = dm_buf_puts(file, g.file);
		*pos = g.pos;
		if (!rc && gt)
			rc = dm_buf_puts(gtid, gt);
		if (rc)
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		s->global = g;
		log_loc(s, DM_LOG_INFO, "starting from the checkpoint", &g,
			"gtid", gt ? gt : "");
		return 0;
	}
	if (s->inst->meta && (s->inst->meta->binlog_name[0] ||
			      s->inst->meta->binlog_gtid[0])) {
		rc = dm_buf_puts(file, s->inst->meta->binlog_name);
		*pos = s->inst->meta->binlog_pos ? s->inst->meta->binlog_pos : 4;
		if (!rc)
			rc = dm_buf_puts(gtid, s->inst->meta->binlog_gtid);
		if (rc)
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		if (file->len)
			rc = dm_location_set(&s->global, file->data, *pos, 0,
					     err);
		return rc;
	}
	rc = master_status(s, &g, gtid, err);
	if (rc)
		return rc;
	if (dm_buf_puts(file, g.file))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	*pos = g.pos;
	s->global = g;
	dm__warn(s->ctx, "no checkpoint and no meta: starting from the "
		 "upstream's current position", "task", s->task->name,
		 "file", g.file);
	return 0;
}

/* "uuid:..." starts MySQL GTID text. */
static bool starts_with_uuid(const char *t)
{
	size_t i;

	for (i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (!t[i] || (dash ? t[i] != '-' :
				     !strchr("0123456789abcdefABCDEF", t[i])))
			return false;
	}
	return true;
}

static int parse_stop_at(dm_sync *s, dm_error **err)
{
	const char *t = s->opts.stop_at;
	const char *colon;

	if (!t || !*t)
		return 0;
	colon = strrchr(t, ':');
	if (colon && colon > t && colon[1] &&
	    strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
	    !starts_with_uuid(t)) {
		char name[DM_LOCATION_FILE_MAX + 1];
		size_t n = (size_t)(colon - t);

		if (n > DM_LOCATION_FILE_MAX)
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "--stop-at: file name too long");
		memcpy(name, t, n);
		name[n] = '\0';
		s->has_target = true;
		return dm_location_set(&s->target, name,
				       strtoull(colon + 1, NULL, 10), 0, err);
	}
	if (!s->gtid_mode)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "stop at GTID set %s: the source does not "
				    "have enable-gtid (give FILE:POS instead)",
				    t);
	return dm_gtid_set_parse(&s->target_gtid, s->flavor, t, strlen(t),
				 err);
}

static int start(dm_sync *s, dm_binlog_stream_opts *so, dm_buf *file,
		 dm_buf *gtid, dm_error **err)
{
	dm_checkpoint_opts co = DM_CHECKPOINT_OPTS_INIT;
	dm_expr_filter_opts eo = DM_EXPR_FILTER_OPTS_INIT;
	dm_apply_opts ao = DM_APPLY_OPTS_INIT;
	dm_location *done = NULL;
	unsigned nq, q, workers;
	uint64_t pos;
	const char *sg = NULL;
	int rc;

	rc = open_conns(s, err);
	if (rc)
		return rc;
	if (s->opts.remove_meta) {
		rc = dm_checkpoint_remove_meta(s->down, s->task->meta_schema,
					       s->task->name, err);
		if (rc)
			return rc;
	}
	co.meta_schema = s->task->meta_schema;
	co.task = s->task->name;
	co.source_id = s->source_id;
	rc = dm_checkpoint_open(&s->cp, s->down, &co, err);
	if (!rc)
		rc = dm_rule_set_new(&s->rules, s->task, s->source_id,
				     s->source, err);
	if (rc)
		return rc;
	if (s->inst->n_expression_filters) {
		eo.case_sensitive = s->task->case_sensitive;
		eo.file = s->task->file;
		rc = dm_expr_filter_new(&s->ef, s->inst->expr_filters,
					s->inst->n_expression_filters, &eo,
					err);
		if (rc)
			return rc;
	}
	rc = load_tracker(s, err);
	if (!rc)
		rc = start_point(s, file, &pos, gtid, err);
	if (!rc)
		rc = parse_stop_at(s, err);
	if (rc)
		return rc;
	/* Exactly-once: what each queue already committed. */
	workers = s->syncer->worker_count > 0 ?
			  (unsigned)s->syncer->worker_count : 16;
	nq = dm_checkpoint_queues(s->cp);
	done = dm__calloc(nq ? nq : 1, sizeof(*done));
	if (!done)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	for (q = 0; q < nq; q++)
		if (!dm_checkpoint_queue(s->cp, q, &done[q]))
			done[q] = (dm_location)DM_LOCATION_INIT;
	if (nq && nq != workers) {
		/* The queue count changed. If no queue got past the global
		 * point (a clean stop), the old rows say nothing and go;
		 * otherwise this run keeps the old count. */
		bool ahead = false;

		for (q = 0; q < nq; q++)
			ahead |= dm_location_compare(&done[q], &s->global) > 0;
		if (ahead) {
			dm__warn(s->ctx, "worker-count changed after an "
				 "unclean stop: keeping the old count for "
				 "this run", "task", s->task->name);
			workers = nq;
		} else {
			rc = dm_checkpoint_clear_queues(s->cp, s->down, err);
			if (rc) {
				dm__free(done);
				return rc;
			}
			nq = 0;
		}
	}
	if (!nq && s->global.file[0] && dm_checkpoint_global(s->cp, NULL, NULL)) {
		/* A checkpoint without progress rows (DM's, or one that
		 * never committed a change): DM's rules, table points and
		 * safe mode for a while. */
		int64_t ns = s->syncer->safe_mode_duration_ns;

		/* Unset (negative): twice the flush interval, as DM. */
		if (ns < 0)
			ns = 2 * (int64_t)(s->syncer->checkpoint_flush_interval > 0 ?
					   s->syncer->checkpoint_flush_interval :
					   30) * 1000000000;
		s->compat_points = true;
		s->safe_until_ms = dm__clock_now_ms() + (uint64_t)(ns / 1000000);
		dm__info(s->ctx, "checkpoint without progress rows: safe mode "
			 "for a while, as DM does after a restart", "task",
			 s->task->name);
	}
	if (dm_checkpoint_safe_exit(s->cp, &s->safe_exit, &sg))
		s->has_safe_exit = true;
	ao.db = s->opts.downstream;
	ao.workers = workers;
	ao.batch = s->syncer->batch > 0 ? (unsigned)s->syncer->batch : 100;
	ao.queue_size = s->syncer->queue_size > 0 ?
				(unsigned)s->syncer->queue_size : 1024;
	ao.format.flags = s->syncer->multiple_rows ? DM_DML_MULTI_ROWS : 0;
	ao.compact = s->syncer->compact;
	ao.checkpoint = s->cp;
	ao.done_queues = nq;
	ao.done = nq ? done : NULL;
	rc = dm_applier_new(&s->ap, s->ctx, &ao, err);
	dm__free(done);
	if (rc)
		return rc;
	/* The executed GTID set, in GTID mode. */
	if (s->gtid_mode) {
		rc = dm_gtid_set_parse(&s->gtid, s->flavor,
				       gtid->data ? gtid->data : "", gtid->len,
				       err);
		if (rc)
			return rc;
	}
	if (s->opts.until_caught_up) {
		dm_location m;

		rc = master_status(s, &m, NULL, err);
		if (rc)
			return rc;
		if (!s->has_target || dm_location_compare(&m, &s->target) < 0)
			s->target = m;
		s->has_target = true;
	}
	so->db = s->opts.upstream;
	so->server_id = s->opts.server_id ? s->opts.server_id :
			s->source->server_id ? s->source->server_id :
			(uint32_t)(429000000u + (uint32_t)getpid() % 65536u);
	so->heartbeat_ms = HEARTBEAT_MS;
	so->heartbeat_events = true;
	so->reconnect_attempts = 30;
	if (s->gtid_mode && gtid->len) {
		so->gtid = gtid->data;
	} else {
		so->file = file->len ? file->data : NULL;
		so->pos = pos < 4 ? 4 : pos;
	}
	s->last_pushed = (dm_location)DM_LOCATION_INIT;
	s->last_flush_ms = dm__clock_now_ms();
	refresh_master(s, true);
	rc = dm_binlog_reader_open_stream(&s->rd, s->ctx, so, err);
	if (rc)
		return rc;
	pthread_mutex_lock(&s->mu);
	s->start_ms = dm__clock_now_ms();
	s->status_ms = s->start_ms;
	s->running = true;
	pthread_mutex_unlock(&s->mu);
	return 0;
}

/* -------------------------------------------------------------- loop */

static bool reached_target(dm_sync *s)
{
	if (s->has_target && s->global.file[0] &&
	    dm_location_compare(&s->global, &s->target) >= 0)
		return true;
	if (s->target_gtid && s->gtid &&
	    dm_gtid_set_contains(s->gtid, s->target_gtid))
		return true;
	return false;
}

/* At a boundary: periodic flush, and whether to stop. */
static int at_boundary(dm_sync *s, bool *done, dm_error **err)
{
	uint64_t now = dm__clock_now_ms();
	uint64_t every = s->syncer->checkpoint_flush_interval > 0 ?
				 (uint64_t)s->syncer->checkpoint_flush_interval *
					 1000 :
				 30000;

	if (atomic_load(&s->stop) || reached_target(s)) {
		*done = true;
		return flush(s, err);
	}
	refresh_master(s, false);
	if (now - s->last_flush_ms >= every)
		return flush(s, err);
	return 0;
}

static int one_event(dm_sync *s, const dm_binlog_event *ev, bool *done,
		     dm_error **err);

/* MySQL's compressed transactions: the inner events, located at the
 * payload event's end. */
static int payload_events(dm_sync *s, const dm_binlog_event *ev,
			  uint64_t end, bool *done, dm_error **err)
{
	dm_binlog_payload_iter *it = NULL;
	const dm_binlog_event *in;
	int rc;

	rc = dm_binlog_payload_open(&it, dm_binlog_reader_decoder(s->rd), ev,
				    err);
	if (rc)
		return rc;
	s->in_payload = true;
	s->payload_end = end;
	s->payload_rows = 0;
	while ((rc = dm_binlog_payload_next(it, &in, err)) == 0) {
		rc = one_event(s, in, done, err);
		if (rc)
			break;
	}
	s->in_payload = false;
	return rc == DM_DONE ? 0 : rc;
}

static int one_event(dm_sync *s, const dm_binlog_event *ev, bool *done,
		     dm_error **err)
{
	uint64_t end = s->in_payload ? s->payload_end :
		       ev->log_pos ? ev->log_pos : ev->pos + ev->event_size;
	const char *file = ev->file ? ev->file : "";
	int rc = 0;

	switch (ev->kind) {
	case DM_BINLOG_KIND_TRANSACTION_PAYLOAD:
		if (s->in_payload)
			return 0;
		return payload_events(s, ev, end, done, err);
	case DM_BINLOG_KIND_FORMAT_DESCRIPTION:
	case DM_BINLOG_KIND_MARIADB_GTID_LIST:
	case DM_BINLOG_KIND_MARIADB_BINLOG_CHECKPOINT:
	case DM_BINLOG_KIND_PREVIOUS_GTIDS:
		/* The header events of a binlog file: outside any
		 * transaction they move the position (so that an end just
		 * after a rotation is seen at once). */
		if (s->in_txn || ev->log_pos == 0 || !file[0])
			return 0;
		{
			dm_location h;

			if (dm_location_set(&h, file, end, 0, NULL) != 0 ||
			    dm_location_compare(&h, &s->global) <= 0)
				return 0;
			s->global = h;
		}
		break;
	case DM_BINLOG_KIND_MARIADB_GTID:
		s->pending.flavor = DM_GTID_MARIADB;
		s->pending.domain = ev->u.mariadb_gtid.domain_id;
		s->pending.server = ev->u.mariadb_gtid.server_id;
		s->pending.seq = ev->u.mariadb_gtid.seq_no;
		s->has_pending = true;
		s->in_txn = !(ev->u.mariadb_gtid.flags &
			      DM_BINLOG_MGTID_STANDALONE);
		return 0;
	case DM_BINLOG_KIND_GTID:
		if (ev->u.gtid.gno > 0) {
			s->pending.flavor = DM_GTID_MYSQL;
			memcpy(s->pending.uuid, ev->u.gtid.uuid, 16);
			s->pending.tag[0] = '\0';
			if (ev->u.gtid.tag.len &&
			    ev->u.gtid.tag.len <= DM_GTID_TAG_MAX) {
				memcpy(s->pending.tag, ev->u.gtid.tag.ptr,
				       ev->u.gtid.tag.len);
				s->pending.tag[ev->u.gtid.tag.len] = '\0';
			}
			s->pending.gno = (uint64_t)ev->u.gtid.gno;
			s->has_pending = true;
		}
		s->in_txn = true;
		return 0;
	case DM_BINLOG_KIND_QUERY:
		rc = handle_query(s, ev, end, err);
		break;
	case DM_BINLOG_KIND_XID:
		rc = boundary(s, file, end, err);
		break;
	case DM_BINLOG_KIND_ROWS:
		return handle_rows(s, ev, end, err);
	case DM_BINLOG_KIND_HEARTBEAT:
		if (!s->in_txn && ev->u.heartbeat.log_file.len &&
		    ev->u.heartbeat.log_file.len <= DM_LOCATION_FILE_MAX) {
			char name[DM_LOCATION_FILE_MAX + 1];
			uint64_t hp = ev->u.heartbeat.log_position;
			dm_location h;

			memcpy(name, ev->u.heartbeat.log_file.ptr,
			       ev->u.heartbeat.log_file.len);
			name[ev->u.heartbeat.log_file.len] = '\0';
			if (hp && dm_location_set(&h, name, hp, 0, NULL) == 0 &&
			    dm_location_compare(&h, &s->global) > 0)
				s->global = h;
		}
		break;
	case DM_BINLOG_KIND_ROTATE:
		if (!s->in_txn && ev->log_pos != 0 &&
		    ev->u.rotate.next_file.len &&
		    ev->u.rotate.next_file.len <= DM_LOCATION_FILE_MAX) {
			char name[DM_LOCATION_FILE_MAX + 1];
			dm_location r;

			memcpy(name, ev->u.rotate.next_file.ptr,
			       ev->u.rotate.next_file.len);
			name[ev->u.rotate.next_file.len] = '\0';
			if (dm_location_set(&r, name, ev->u.rotate.position, 0,
					    NULL) == 0 &&
			    dm_location_compare(&r, &s->global) > 0)
				s->global = r;
		}
		break;
	default:
		return 0;
	}
	if (rc || s->in_txn)
		return rc;
	return at_boundary(s, done, err);
}

int dm_sync_run(dm_sync *s, dm_error **err)
{
	dm_binlog_stream_opts so = DM_BINLOG_STREAM_OPTS_INIT;
	dm_buf file = DM_BUF_INIT, gtid = DM_BUF_INIT;
	const dm_binlog_event *ev;
	bool done = false;
	int rc;

	if (!s)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_run: NULL unit");
	rc = start(s, &so, &file, &gtid, err);
	if (rc)
		goto out;
	dm__info(s->ctx, "sync unit started", "task", s->task->name, "source",
		 s->source_id);
	if (reached_target(s)) {
		rc = flush(s, err);
		goto out;
	}
	while (!done) {
		rc = dm_binlog_reader_next(s->rd, &ev, err);
		if (rc == DM_DONE) {
			rc = flush(s, err);
			break;
		}
		if (rc) {
			rc = dm_error_set(err, DM_E_SYNCER_GET_EVENT,
					  "reading the upstream binlog");
			break;
		}
		if (dm_binlog_reader_restarted(s->rd)) {
			/* The open transaction comes again; its changes
			 * already pushed are recognised by location, those
			 * held (atomic-transactions) are dropped. */
			s->in_txn = false;
			s->has_pending = false;
			txn_drop(s);
		}
		rc = one_event(s, ev, &done, err);
		if (rc)
			break;
		if (!s->in_txn && atomic_load(&s->stop) && !done)
			rc = at_boundary(s, &done, err);
		if (rc)
			break;
	}
	/* On an error the checkpoint stays at the last flush; the progress
	 * rows say what was committed after it. */
	if (!rc)
		dm__info(s->ctx, "sync unit stopped", "task", s->task->name,
			 "source", s->source_id);
out:
	pthread_mutex_lock(&s->mu);
	if (s->ap) {
		dm_apply_stats st;

		dm_applier_stats(s->ap, &st);
		s->total_events = st.applied + s->ddls;
	}
	s->running = false;
	pthread_mutex_unlock(&s->mu);
	close_run(s);
	/* A stop request ends with the run it stopped. */
	atomic_store(&s->stop, false);
	dm_buf_free(&file);
	dm_buf_free(&gtid);
	return rc;
}

/* ------------------------------------------------------------ status */

static int json_str(dm_buf *out, const char *s)
{
	int rc = dm_buf_putc(out, '"');

	for (; !rc && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = dm_buf_putc(out, '\\') || dm_buf_putc(out, (char)c);
		else if (c < 0x20)
			rc = dm_buf_printf(out, "\\u%04x", c);
		else
			rc = dm_buf_putc(out, (char)c);
	}
	return rc ? rc : dm_buf_putc(out, '"');
}

int dm_sync_status_json(dm_buf *out, dm_sync *s, dm_error **err)
{
	dm_apply_stats st;
	dm_buf master = DM_BUF_INIT, syncer = DM_BUF_INIT;
	dm_location m = DM_LOCATION_INIT;
	uint64_t now = dm__clock_now_ms(), total, elapsed, recent_ms, lag = 0;
	double total_tps, recent_tps;
	bool synced;
	int rc;

	if (!out || !s)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_status_json: NULL argument");
	pthread_mutex_lock(&s->mu);
	memset(&st, 0, sizeof(st));
	if (s->running && s->ap)
		dm_applier_stats(s->ap, &st);
	total = s->running ? st.applied + s->ddls : s->total_events;
	elapsed = now > s->start_ms ? now - s->start_ms : 1;
	recent_ms = now > s->status_ms ? now - s->status_ms : 1;
	total_tps = (double)total * 1000.0 / (double)elapsed;
	recent_tps = (double)(total - s->status_events) * 1000.0 /
		     (double)recent_ms;
	s->status_events = total;
	s->status_ms = now;
	memcpy(m.file, s->master_file, sizeof(m.file));
	m.pos = s->master_pos;
	if (st.oldest_ts) {
		int64_t l = (int64_t)time(NULL) - (int64_t)st.oldest_ts;

		lag = l > 0 ? (uint64_t)l : 0;
	}
	synced = s->flushed.file[0] &&
		 dm_location_compare(&s->flushed, &m) >= 0 && !st.queued;
	rc = dm_location_format(&master, &m);
	if (!rc)
		rc = dm_location_format(&syncer, &s->flushed);
	if (!rc)
		rc = dm_buf_printf(out,
				   "{\"totalEvents\":\"%" PRIu64 "\","
				   "\"totalTps\":\"%.0f\",\"recentTps\":"
				   "\"%.0f\",\"masterBinlog\":", total,
				   total_tps, recent_tps);
	if (!rc)
		rc = json_str(out, master.data ? master.data : "");
	if (!rc)
		rc = dm_buf_puts(out, ",\"masterBinlogGtid\":");
	if (!rc)
		rc = json_str(out, s->master_gtid ? s->master_gtid : "");
	if (!rc)
		rc = dm_buf_puts(out, ",\"syncerBinlog\":");
	if (!rc)
		rc = json_str(out, syncer.data ? syncer.data : "");
	if (!rc)
		rc = dm_buf_puts(out, ",\"syncerBinlogGtid\":");
	if (!rc)
		rc = json_str(out, s->flushed_gtid ? s->flushed_gtid : "");
	if (!rc)
		rc = dm_buf_printf(out,
				   ",\"blockingDDLs\":[],\"unresolvedGroups\":"
				   "[],\"synced\":%s,\"binlogType\":\"remote\","
				   "\"secondsBehindMaster\":\"%" PRIu64 "\"}",
				   synced ? "true" : "false", lag);
	pthread_mutex_unlock(&s->mu);
	dm_buf_free(&master);
	dm_buf_free(&syncer);
	return rc ? dm_error_set(err, DM_E_NO_MEMORY, NULL) : 0;
}

static unsigned long file_index(const char *f)
{
	const char *dot = strrchr(f, '.');

	return dot ? strtoul(dot + 1, NULL, 10) : 0;
}

/* A Prometheus label value: backslash, quote and newline escaped. */
static char *label_value(const char *v)
{
	dm_buf b = DM_BUF_INIT;
	int rc = dm_buf_puts(&b, "");

	for (; !rc && *v; v++) {
		if (*v == '\\' || *v == '"')
			rc = dm_buf_putc(&b, '\\') || dm_buf_putc(&b, *v);
		else if (*v == '\n')
			rc = dm_buf_puts(&b, "\\n");
		else
			rc = dm_buf_putc(&b, *v);
	}
	if (rc) {
		dm_buf_free(&b);
		return NULL;
	}
	return dm_buf_detach(&b);
}

int dm_sync_metrics(dm_buf *out, dm_sync *s, dm_error **err)
{
	dm_apply_stats st;
	uint64_t lag = 0;
	char *task, *src;
	int rc;

	if (!out || !s)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_metrics: NULL argument");
	task = label_value(s->task->name);
	src = label_value(s->source_id);
	if (!task || !src) {
		dm__free(task);
		dm__free(src);
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	pthread_mutex_lock(&s->mu);
	memset(&st, 0, sizeof(st));
	if (s->running && s->ap)
		dm_applier_stats(s->ap, &st);
	if (st.oldest_ts) {
		int64_t l = (int64_t)time(NULL) - (int64_t)st.oldest_ts;

		lag = l > 0 ? (uint64_t)l : 0;
	}
	rc = dm_buf_printf(
		out,
		"# TYPE dm_syncer_replication_lag_gauge gauge\n"
		"dm_syncer_replication_lag_gauge{task=\"%s\",source_id=\"%s\"} "
		"%" PRIu64 "\n"
		"# TYPE dm_syncer_binlog_pos gauge\n"
		"dm_syncer_binlog_pos{node=\"master\",task=\"%s\",source_id="
		"\"%s\"} %" PRIu64 "\n"
		"dm_syncer_binlog_pos{node=\"syncer\",task=\"%s\",source_id="
		"\"%s\"} %" PRIu64 "\n"
		"# TYPE dm_syncer_binlog_file gauge\n"
		"dm_syncer_binlog_file{node=\"master\",task=\"%s\",source_id="
		"\"%s\"} %lu\n"
		"dm_syncer_binlog_file{node=\"syncer\",task=\"%s\",source_id="
		"\"%s\"} %lu\n"
		"# TYPE dm_syncer_finished_transaction_total counter\n"
		"dm_syncer_finished_transaction_total{task=\"%s\","
		"source_id=\"%s\"} %" PRIu64 "\n"
		"# TYPE dm_syncer_finished_jobs_total counter\n"
		"dm_syncer_finished_jobs_total{type=\"dml\",task=\"%s\","
		"source_id=\"%s\"} %" PRIu64 "\n"
		"dm_syncer_finished_jobs_total{type=\"ddl\",task=\"%s\","
		"source_id=\"%s\"} %" PRIu64 "\n"
		"# TYPE dm_syncer_sql_retries_total counter\n"
		"dm_syncer_sql_retries_total{type=\"dml\",task=\"%s\"} %" PRIu64
		"\n"
		"# TYPE dm_syncer_queue_size gauge\n"
		"dm_syncer_queue_size{task=\"%s\",queue_id=\"all\",source_id="
		"\"%s\"} %" PRIu64 "\n",
		task, src, lag, task, src, s->master_pos, task, src,
		s->flushed.pos, task, src, file_index(s->master_file), task,
		src, file_index(s->flushed.file), task, src, s->txns, task, src,
		st.applied, task, src, s->ddls, task, st.retries, task, src,
		st.queued);
	pthread_mutex_unlock(&s->mu);
	dm__free(task);
	dm__free(src);
	return rc ? dm_error_set(err, DM_E_NO_MEMORY, NULL) : 0;
}

/* ------------------------------------------------------ error handling */

int dm_sync_handle_error(dm_sync *s, dm_sync_error_op op,
			 const char *binlog_pos, const char *sql,
			 dm_error **err)
{
	char file[DM_LOCATION_FILE_MAX + 1];
	uint64_t pos;
	size_t i;
	int rc = 0;

	if (!s || op < DM_SYNC_ERROR_SKIP || op > DM_SYNC_ERROR_REVERT ||
	    (op == DM_SYNC_ERROR_REPLACE && (!sql || !*sql)))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "handle-error: bad arguments (replace "
				    "needs SQL statements)");
	if (binlog_pos) {
		const char *colon = strrchr(binlog_pos, ':');
		char *end = NULL;
		size_t n = colon ? (size_t)(colon - binlog_pos) : 0;

		if (!colon || !n || n > DM_LOCATION_FILE_MAX)
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "handle-error: binlog position "
					    "\"%s\" is not FILE:POS",
					    binlog_pos);
		pos = strtoull(colon + 1, &end, 10);
		if (!end || *end || end == colon + 1)
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "handle-error: binlog position "
					    "\"%s\" is not FILE:POS",
					    binlog_pos);
		memcpy(file, binlog_pos, n);
		file[n] = '\0';
	}
	pthread_mutex_lock(&s->mu);
	if (!binlog_pos) {
		if (!s->has_err_start) {
			pthread_mutex_unlock(&s->mu);
			return dm_error_set(err, DM_E_SYNCER_OPERATOR_NOT_EXIST,
					    "handle-error: no DDL error to "
					    "handle; give a binlog position");
		}
		memcpy(file, s->err_start.file, sizeof(file));
		pos = s->err_start.pos;
	}
	for (i = 0; i < s->nops; i++)
		if (s->ops[i].pos == pos && strcmp(s->ops[i].file, file) == 0)
			break;
	if (op == DM_SYNC_ERROR_REVERT) {
		if (i == s->nops) {
			rc = dm_error_set(err, DM_E_SYNCER_OPERATOR_NOT_EXIST,
					  "no operator at %s:%" PRIu64, file,
					  pos);
		} else {
			dm__free(s->ops[i].sql);
			s->ops[i] = s->ops[--s->nops];
		}
		pthread_mutex_unlock(&s->mu);
		return rc;
	}
	if (i == s->nops && s->nops == MAX_OPS) {
		pthread_mutex_unlock(&s->mu);
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "handle-error: %d operators are waiting "
				    "already", MAX_OPS);
	}
	if (i < s->nops)
		dm__free(s->ops[i].sql);
	else
		s->nops++;
	memcpy(s->ops[i].file, file, sizeof(file));
	s->ops[i].pos = pos;
	s->ops[i].kind = op;
	s->ops[i].sql = NULL;
	if (op == DM_SYNC_ERROR_REPLACE) {
		s->ops[i].sql = dm__strdup(sql);
		if (!s->ops[i].sql) {
			s->ops[i] = s->ops[--s->nops];
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		}
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

bool dm_sync_running(dm_sync *s)
{
	bool r;

	if (!s)
		return false;
	pthread_mutex_lock(&s->mu);
	r = s->running;
	pthread_mutex_unlock(&s->mu);
	return r;
}

/* For operate-schema: a downstream connection, the checkpoint and a
 * tracker holding the checkpoint's tables. */
struct offline {
	dm_db *db;
	dm_checkpoint *cp;
	dm_schema_tracker *tr;
};

static void offline_close(struct offline *o)
{
	dm_schema_tracker_free(o->tr);
	dm_checkpoint_free(o->cp);
	dm_db_close(o->db);
}

static int offline_open(dm_sync *s, struct offline *o, dm_error **err)
{
	dm_checkpoint_opts co = DM_CHECKPOINT_OPTS_INIT;
	dm_schema_opts so = DM_SCHEMA_OPTS_INIT;
	dm_db_opts down = *s->opts.downstream;
	size_t i, n;
	int rc;

	memset(o, 0, sizeof(*o));
	if (dm_sync_running(s))
		return dm_error_set(err, DM_E_WORKER_NOT_PAUSED_STAGE,
				    "operate-schema: the sync unit of task %s "
				    "is running; pause it first",
				    s->task->name);
	down.time_zone = "+00:00";
	if (down.scope == DM_ERR_SCOPE_NOT_SET)
		down.scope = DM_ERR_SCOPE_DOWNSTREAM;
	co.meta_schema = s->task->meta_schema;
	co.task = s->task->name;
	co.source_id = s->source_id;
	so.lower_case_table_names = s->lctn;
	rc = dm_db_open(&o->db, s->ctx, &down, err);
	if (!rc)
		rc = dm_checkpoint_open(&o->cp, o->db, &co, err);
	if (!rc)
		rc = dm_schema_tracker_new(&o->tr, &so, err);
	n = rc ? 0 : dm_checkpoint_ntables(o->cp);
	for (i = 0; i < n && !rc; i++) {
		const char *schema, *table, *info;
		dm_location l;

		if (dm_checkpoint_table_at(o->cp, i, &schema, &table, &l))
			continue;
		info = dm_checkpoint_table_info(o->cp, schema, table);
		if (info)
			rc = dm_checkpoint_table_schema(o->tr, schema, table,
							info, err);
		if (rc == DM_DONE)
			rc = 0;
	}
	if (rc)
		offline_close(o);
	return rc;
}

int dm_sync_schema_get(dm_buf *out, dm_sync *s, const char *schema,
		       const char *table, dm_error **err)
{
	struct offline o;
	const dm_schema_table *t;
	int rc;

	if (!out || !s || !schema || !table)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_schema_get: NULL argument");
	rc = offline_open(s, &o, err);
	if (rc)
		return rc;
	t = dm_schema_tracker_get(o.tr, schema, table);
	if (!t)
		rc = dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE,
				  "`%s`.`%s` has no structure in the "
				  "checkpoint of task %s", schema, table,
				  s->task->name);
	else
		rc = dm_schema_table_create_sql(out, t, err);
	offline_close(&o);
	return rc;
}

int dm_sync_schema_set(dm_sync *s, const char *schema, const char *table,
		       const char *create_sql, dm_error **err)
{
	struct offline o;
	dm_location g, safe;
	const char *gtid = NULL, *safe_gtid = NULL;
	bool has_safe;
	int rc;

	if (!s || !schema || !table || !create_sql)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_schema_set: NULL argument");
	rc = offline_open(s, &o, err);
	if (rc)
		return rc;
	if (!dm_checkpoint_global(o.cp, &g, &gtid)) {
		offline_close(&o);
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "operate-schema set: task %s has no "
				    "checkpoint yet", s->task->name);
	}
	has_safe = dm_checkpoint_safe_exit(o.cp, &safe, &safe_gtid);
	rc = dm_schema_tracker_set_table(o.tr, schema, table, create_sql,
					 strlen(create_sql), err);
	if (!rc)
		rc = dm_checkpoint_flush(o.cp, o.db, &g, gtid,
					 has_safe ? &safe : NULL, safe_gtid,
					 o.tr, err);
	offline_close(&o);
	return rc;
}

int dm_sync_schema_remove(dm_sync *s, const char *schema, const char *table,
			  dm_error **err)
{
	struct offline o;
	int rc;

	if (!s || !schema || !table)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sync_schema_remove: NULL argument");
	rc = offline_open(s, &o, err);
	if (rc)
		return rc;
	if (!dm_schema_tracker_get(o.tr, schema, table))
		rc = dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE,
				  "`%s`.`%s` has no structure in the "
				  "checkpoint of task %s", schema, table,
				  s->task->name);
	else
		rc = dm_checkpoint_delete_table(o.cp, o.db, schema, table,
						err);
	offline_close(&o);
	return rc;
}
