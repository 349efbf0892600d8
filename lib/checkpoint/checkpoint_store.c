/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The checkpoint store: DM's `<task>_syncer_checkpoint` table (global row
 * plus a row per upstream table) and libdm's `<task>_syncer_progress`
 * table (a row per applier queue), both in the downstream's meta schema,
 * and what was last loaded from or written to them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint/checkpoint_int.h"
#include "dm/checkpoint.h"
#include "util/alloc.h"

#define DEFAULT_META_SCHEMA "dm_meta"
#define SOURCE_ID_MAX 32
/* More queues than any applier runs; bounds what a bad row can allocate. */
#define MAX_QUEUES 65536u

/* DM's syncer checkpoint columns, exactly (syncer/checkpoint.go). */
static const char cp_columns[] =
	" (\n"
	"  id VARCHAR(32) NOT NULL,\n"
	"  cp_schema VARCHAR(128) NOT NULL,\n"
	"  cp_table VARCHAR(128) NOT NULL,\n"
	"  binlog_name VARCHAR(128),\n"
	"  binlog_pos INT UNSIGNED,\n"
	"  binlog_gtid TEXT,\n"
	"  exit_safe_binlog_name VARCHAR(128) DEFAULT '',\n"
	"  exit_safe_binlog_pos INT UNSIGNED DEFAULT 0,\n"
	"  exit_safe_binlog_gtid TEXT,\n"
	"  table_info JSON NOT NULL,\n"
	"  is_global BOOLEAN,\n"
	"  create_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
	"  update_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP"
	" ON UPDATE CURRENT_TIMESTAMP,\n"
	"  UNIQUE KEY uk_id_schema_table (id, cp_schema, cp_table)\n"
	")";

static const char pg_columns[] =
	" (\n"
	"  id VARCHAR(32) NOT NULL,\n"
	"  `queue` INT UNSIGNED NOT NULL,\n"
	"  queue_count INT UNSIGNED NOT NULL,\n"
	"  binlog_name VARCHAR(128) NOT NULL,\n"
	"  binlog_pos INT UNSIGNED NOT NULL,\n"
	"  binlog_row INT UNSIGNED NOT NULL DEFAULT 0,\n"
	"  update_time timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP"
	" ON UPDATE CURRENT_TIMESTAMP,\n"
	"  PRIMARY KEY (id, `queue`)\n"
	")";

/* Names are compared byte for byte, as the upstream does on Linux. */
static const char table_options[] =
	" DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

static const char cp_insert_columns[] =
	" (id, cp_schema, cp_table, binlog_name, binlog_pos, binlog_gtid,"
	" exit_safe_binlog_name, exit_safe_binlog_pos, exit_safe_binlog_gtid,"
	" table_info, is_global) VALUES (";

static const char cp_upsert_tail[] =
	") ON DUPLICATE KEY UPDATE binlog_name = VALUES(binlog_name),"
	" binlog_pos = VALUES(binlog_pos), binlog_gtid = VALUES(binlog_gtid),"
	" exit_safe_binlog_name = VALUES(exit_safe_binlog_name),"
	" exit_safe_binlog_pos = VALUES(exit_safe_binlog_pos),"
	" exit_safe_binlog_gtid = VALUES(exit_safe_binlog_gtid),"
	" table_info = VALUES(table_info), is_global = VALUES(is_global),"
	" update_time = CURRENT_TIMESTAMP";

/* Tables whose rows --remove-meta drops. */
static const char *const meta_suffixes[] = {
	"_syncer_checkpoint", "_syncer_progress", "_loader_checkpoint",
	"_syncer_sharding_meta", "_onlineddl",
};

typedef struct cp_table {
	char *schema;
	char *table;
	dm_location loc;
	char *info;       /* table_info as stored */
	char *create_sql; /* libdm's statement in info; NULL when not ours */
	bool forget;      /* the next flush deletes the row */
} cp_table;

typedef struct cp_queue {
	bool set;
	dm_location loc;
} cp_queue;

struct dm_checkpoint {
	char *cp_name;      /* `meta`.`task_syncer_checkpoint` */
	char *pg_name;      /* `meta`.`task_syncer_progress` */
	char *id_sql;       /* the source id as a string literal */
	char *queue_head;   /* progress upsert up to the queue number */
	bool has_global;
	dm_location global;
	char *gtid;
	bool has_safe;
	dm_location safe;
	char *safe_gtid;
	cp_table *tables;   /* sorted by (schema, table) */
	size_t ntables;
	size_t cap;
	unsigned nqueues;
	cp_queue *queues;   /* nqueues */
};

/* ------------------------------------------------------------ helpers */

static int no_memory(dm_error **err)
{
	return dm_error_set(err, DM_E_NO_MEMORY, NULL);
}

static int bad_row(dm_error **err, const char *what)
{
	return dm_error_set_db(err, DM_E_DB_UN_EXPECT,
			       DM_ERR_SCOPE_DOWNSTREAM, 0, NULL, NULL,
			       "checkpoint table has an invalid %s", what);
}

static int put_ident(dm_buf *b, const char *name)
{
	return dm_db_quote_ident(b, name, strlen(name));
}

static int put_value(dm_buf *b, const char *s)
{
	return dm_db_quote_value(b, s, strlen(s), 0);
}

/* `meta`.`<task><suffix>` */
static int put_table_name(dm_buf *b, const char *meta, const char *task,
			  const char *suffix)
{
	dm_buf name = DM_BUF_INIT;
	int rc;

	rc = put_ident(b, meta);
	if (rc == 0)
		rc = dm_buf_putc(b, '.');
	if (rc == 0)
		rc = dm_buf_puts(&name, task);
	if (rc == 0)
		rc = dm_buf_puts(&name, suffix);
	if (rc == 0)
		rc = dm_db_quote_ident(b, name.data, name.len);
	dm_buf_free(&name);
	return rc;
}

static size_t file_len(const dm_location *loc)
{
	const char *nul = memchr(loc->file, '\0', sizeof(loc->file));

	return nul ? (size_t)(nul - loc->file) : sizeof(loc->file);
}

/* A location the tables can hold: a terminated name, a 32-bit pos. */
static int check_location(const dm_location *loc, const char *what,
			  dm_error **err)
{
	if (file_len(loc) > DM_LOCATION_FILE_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: binlog file name is not terminated",
				    what);
	if (loc->pos > UINT32_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: binlog position %" PRIu64 " does not "
				    "fit the checkpoint's INT UNSIGNED column",
				    what, loc->pos);
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s) {
		*out = 0;
		return 0;
	}
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int cmp_name(const char *as, const char *at, const char *bs,
		    const char *bt)
{
	int c = strcmp(as, bs);

	return c ? c : strcmp(at, bt);
}

/* Index of schema.table, or where it would go. */
static size_t find_table(const dm_checkpoint *cp, const char *schema,
			 const char *table, bool *found)
{
	size_t lo = 0, hi = cp->ntables;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_name(cp->tables[mid].schema, cp->tables[mid].table,
				 schema, table);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void free_table(cp_table *t)
{
	dm__free(t->schema);
	dm__free(t->table);
	dm__free(t->info);
	dm__free(t->create_sql);
}

static int reserve_tables(dm_checkpoint *cp, size_t extra)
{
	size_t cap;
	cp_table *p;

	if (extra <= cp->cap - cp->ntables)
		return 0;
	if (extra > SIZE_MAX / 2 - cp->ntables)
		return DM_E_NO_MEMORY;
	cap = cp->cap ? cp->cap : 8;
	while (cap < cp->ntables + extra)
		cap *= 2;
	p = dm__reallocarray(cp->tables, cap, sizeof(*p));
	if (!p)
		return DM_E_NO_MEMORY;
	cp->tables = p;
	cp->cap = cap;
	return 0;
}

/* Inserts (takes ownership of t's strings) at `at`; room is reserved. */
static void insert_table_at(dm_checkpoint *cp, size_t at, cp_table *t)
{
	memmove(cp->tables + at + 1, cp->tables + at,
		(cp->ntables - at) * sizeof(*t));
	cp->tables[at] = *t;
	cp->ntables++;
}

static void clear_queues_mem(dm_checkpoint *cp)
{
	dm__free(cp->queues);
	cp->queues = NULL;
	cp->nqueues = 0;
}

/* --------------------------------------------------------------- open */

static int create_tables(dm_checkpoint *cp, dm_db *db, const char *meta,
			 dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	int rc;

	rc = dm_buf_puts(&sql, "CREATE SCHEMA IF NOT EXISTS ");
	if (rc == 0)
		rc = put_ident(&sql, meta);
	if (rc) {
		rc = no_memory(err);
		goto out;
	}
	rc = dm_db_exec(db, sql.data, sql.len, err);
	if (rc)
		goto out;
	dm_buf_truncate(&sql, 0);
	if (dm_buf_puts(&sql, "CREATE TABLE IF NOT EXISTS ") ||
	    dm_buf_puts(&sql, cp->cp_name) || dm_buf_puts(&sql, cp_columns) ||
	    dm_buf_puts(&sql, table_options)) {
		rc = no_memory(err);
		goto out;
	}
	rc = dm_db_exec(db, sql.data, sql.len, err);
	if (rc)
		goto out;
	dm_buf_truncate(&sql, 0);
	if (dm_buf_puts(&sql, "CREATE TABLE IF NOT EXISTS ") ||
	    dm_buf_puts(&sql, cp->pg_name) || dm_buf_puts(&sql, pg_columns) ||
	    dm_buf_puts(&sql, table_options)) {
		rc = no_memory(err);
		goto out;
	}
	rc = dm_db_exec(db, sql.data, sql.len, err);
out:
	dm_buf_free(&sql);
	return rc;
}

/* Progress rows are read with a locking read: it waits for any transaction
 * still writing them (an applier writes its row first), for instance one a
 * killed process sent before it died, and then sees its outcome. */
#define LOCKING_READ " LOCK IN SHARE MODE"

/* SELECT <cols> FROM <table> WHERE id = <id> [LOCK IN SHARE MODE] */
static int select_rows(dm_db_result **res, dm_checkpoint *cp, dm_db *db,
		       const char *cols, const char *table, bool locking,
		       dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	int rc;

	if (dm_buf_puts(&sql, "SELECT ") || dm_buf_puts(&sql, cols) ||
	    dm_buf_puts(&sql, " FROM ") || dm_buf_puts(&sql, table) ||
	    dm_buf_puts(&sql, " WHERE id = ") ||
	    dm_buf_puts(&sql, cp->id_sql) ||
	    (locking && dm_buf_puts(&sql, LOCKING_READ)))
		rc = no_memory(err);
	else
		rc = dm_db_query(db, res, sql.data, sql.len, err);
	dm_buf_free(&sql);
	return rc;
}

/* Reads name/pos columns into a location. */
static int read_location(dm_location *out, const char *name,
			 const char *pos, dm_error **err)
{
	uint64_t p;

	if (parse_u64(pos, &p))
		return bad_row(err, "binlog position");
	if (dm_location_set(out, name ? name : "", p, 0, NULL))
		return bad_row(err, "binlog file name");
	return 0;
}

static int load_global(dm_checkpoint *cp, dm_db_result *res, dm_error **err)
{
	const char *name = dm_db_result_value(res, 2, NULL);
	const char *gtid = dm_db_result_value(res, 4, NULL);
	const char *sname = dm_db_result_value(res, 5, NULL);
	const char *sgtid = dm_db_result_value(res, 7, NULL);
	char *g, *sg;
	int rc;

	rc = read_location(&cp->global, name, dm_db_result_value(res, 3, NULL),
			   err);
	if (rc == 0)
		rc = read_location(&cp->safe, sname,
				   dm_db_result_value(res, 6, NULL), err);
	if (rc)
		return rc;
	g = dm__strdup(gtid ? gtid : "");
	sg = dm__strdup(sgtid ? sgtid : "");
	if (!g || !sg) {
		dm__free(g);
		dm__free(sg);
		return no_memory(err);
	}
	dm__free(cp->gtid);
	dm__free(cp->safe_gtid);
	cp->gtid = g;
	cp->safe_gtid = sg;
	/* DM ignores a global row that holds no position ("fresh"). */
	cp->has_global = cp->global.file[0] || *g;
	cp->has_safe = cp->safe.file[0] || *sg;
	return 0;
}

static int load_table(dm_checkpoint *cp, dm_db_result *res, dm_error **err)
{
	const char *schema = dm_db_result_value(res, 0, NULL);
	const char *table = dm_db_result_value(res, 1, NULL);
	const char *info = dm_db_result_value(res, 8, NULL);
	dm_buf create = DM_BUF_INIT;
	cp_table t = { NULL, NULL, DM_LOCATION_INIT, NULL, NULL, false };
	size_t at;
	bool found;
	int rc;

	if (!schema || !table)
		return bad_row(err, "table name");
	rc = read_location(&t.loc, dm_db_result_value(res, 2, NULL),
			   dm_db_result_value(res, 3, NULL), err);
	if (rc)
		return rc;
	at = find_table(cp, schema, table, &found);
	if (found)
		return bad_row(err, "duplicate table row");
	if (!info)
		info = "null";
	rc = dm__cp_json_get_create(&create, info, strlen(info));
	if (rc < 0)
		goto out_nomem;
	t.schema = dm__strdup(schema);
	t.table = dm__strdup(table);
	t.info = dm__strdup(info);
	if (rc == 0)
		t.create_sql = dm_buf_detach(&create);
	if (!t.schema || !t.table || !t.info || (rc == 0 && !t.create_sql) ||
	    reserve_tables(cp, 1))
		goto out_nomem;
	insert_table_at(cp, at, &t);
	return 0;
out_nomem:
	dm_buf_free(&create);
	free_table(&t);
	return no_memory(err);
}

static int load_checkpoints(dm_checkpoint *cp, dm_db *db, dm_error **err)
{
	dm_db_result *res = NULL;
	int rc;

	rc = select_rows(&res, cp, db,
			 "cp_schema, cp_table, binlog_name, binlog_pos,"
			 " binlog_gtid, exit_safe_binlog_name,"
			 " exit_safe_binlog_pos, exit_safe_binlog_gtid,"
			 " table_info, is_global",
			 cp->cp_name, false, err);
	if (rc)
		return rc;
	while (rc == 0 && dm_db_result_next(res) == 0) {
		const char *schema = dm_db_result_value(res, 0, NULL);
		const char *table = dm_db_result_value(res, 1, NULL);
		const char *global = dm_db_result_value(res, 9, NULL);
		bool is_global = global ? strcmp(global, "0") != 0 :
				 schema && table && !*schema && !*table;

		rc = is_global ? load_global(cp, res, err) :
				 load_table(cp, res, err);
	}
	dm_db_result_free(res);
	return rc;
}

static int load_progress(dm_checkpoint *cp, dm_db *db, dm_error **err)
{
	dm_db_result *res = NULL;
	cp_queue *q;
	uint64_t queue, count, pos, row;
	int rc;

	rc = select_rows(&res, cp, db,
			 "`queue`, queue_count, binlog_name, binlog_pos,"
			 " binlog_row",
			 cp->pg_name, true, err);
	if (rc)
		return rc;
	while (dm_db_result_next(res) == 0) {
		const char *name = dm_db_result_value(res, 2, NULL);

		if (parse_u64(dm_db_result_value(res, 0, NULL), &queue) ||
		    parse_u64(dm_db_result_value(res, 1, NULL), &count) ||
		    queue >= MAX_QUEUES || count > MAX_QUEUES) {
			rc = bad_row(err, "progress queue number");
			goto out;
		}
		if (parse_u64(dm_db_result_value(res, 3, NULL), &pos) ||
		    parse_u64(dm_db_result_value(res, 4, NULL), &row) ||
		    row > UINT32_MAX) {
			rc = bad_row(err, "progress position");
			goto out;
		}
		if (count < queue + 1)
			count = queue + 1;
		if (count > cp->nqueues) {
			q = dm__reallocarray(cp->queues, (size_t)count,
					     sizeof(*q));
			if (!q) {
				rc = no_memory(err);
				goto out;
			}
			memset(q + cp->nqueues, 0,
			       ((size_t)count - cp->nqueues) * sizeof(*q));
			cp->queues = q;
			cp->nqueues = (unsigned)count;
		}
		q = &cp->queues[queue];
		if (dm_location_set(&q->loc, name ? name : "", pos,
				    (uint32_t)row, NULL)) {
			rc = bad_row(err, "progress binlog file name");
			goto out;
		}
		q->set = true;
	}
out:
	dm_db_result_free(res);
	return rc;
}

static int check_opts(const dm_checkpoint_opts *opts, dm_error **err)
{
	if (opts->version < 1)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_opts: unknown version %u",
				    opts->version);
	if (opts->meta_schema && !*opts->meta_schema)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "the meta schema name is empty");
	if (!opts->task || !*opts->task)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "the task name is missing");
	if (!opts->source_id || !*opts->source_id)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "the source id is missing");
	if (strlen(opts->source_id) > SOURCE_ID_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "source id \"%s\" is longer than %d bytes",
				    opts->source_id, SOURCE_ID_MAX);
	return 0;
}

static int build_names(dm_checkpoint *cp, const char *meta,
		       const dm_checkpoint_opts *opts)
{
	dm_buf cpn = DM_BUF_INIT, pgn = DM_BUF_INIT, id = DM_BUF_INIT;
	dm_buf head = DM_BUF_INIT;
	int rc;

	rc = put_table_name(&cpn, meta, opts->task, "_syncer_checkpoint");
	if (rc == 0)
		rc = put_table_name(&pgn, meta, opts->task, "_syncer_progress");
	if (rc == 0)
		rc = put_value(&id, opts->source_id);
	if (rc == 0)
		rc = dm_buf_printf(&head,
				   "INSERT INTO %s (id, `queue`, queue_count,"
				   " binlog_name, binlog_pos, binlog_row)"
				   " VALUES (%s, ",
				   pgn.data, id.data);
	if (rc) {
		dm_buf_free(&cpn);
		dm_buf_free(&pgn);
		dm_buf_free(&id);
		dm_buf_free(&head);
		return rc;
	}
	cp->cp_name = dm_buf_detach(&cpn);
	cp->pg_name = dm_buf_detach(&pgn);
	cp->id_sql = dm_buf_detach(&id);
	cp->queue_head = dm_buf_detach(&head);
	return 0;
}

DM_API int dm_checkpoint_open(dm_checkpoint **out, dm_db *db,
			      const dm_checkpoint_opts *opts, dm_error **err)
{
	const char *meta;
	dm_checkpoint *cp;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !db || !opts)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_open: NULL argument");
	rc = check_opts(opts, err);
	if (rc)
		return rc;
	meta = opts->meta_schema ? opts->meta_schema : DEFAULT_META_SCHEMA;
	cp = dm__calloc(1, sizeof(*cp));
	if (!cp)
		return no_memory(err);
	cp->gtid = dm__strdup("");
	cp->safe_gtid = dm__strdup("");
	if (!cp->gtid || !cp->safe_gtid || build_names(cp, meta, opts)) {
		rc = no_memory(err);
		goto out_free;
	}
	rc = create_tables(cp, db, meta, err);
	if (rc == 0)
		rc = load_checkpoints(cp, db, err);
	if (rc == 0)
		rc = load_progress(cp, db, err);
	if (rc)
		goto out_free;
	*out = cp;
	return 0;
out_free:
	dm_checkpoint_free(cp);
	return rc;
}

DM_API void dm_checkpoint_free(dm_checkpoint *cp)
{
	size_t i;

	if (!cp)
		return;
	for (i = 0; i < cp->ntables; i++)
		free_table(&cp->tables[i]);
	dm__free(cp->tables);
	dm__free(cp->queues);
	dm__free(cp->gtid);
	dm__free(cp->safe_gtid);
	dm__free(cp->cp_name);
	dm__free(cp->pg_name);
	dm__free(cp->id_sql);
	dm__free(cp->queue_head);
	dm__free(cp);
}

/* -------------------------------------------------------------- reading */

DM_API bool dm_checkpoint_global(const dm_checkpoint *cp, dm_location *out,
				 const char **gtid)
{
	if (!cp || !cp->has_global)
		return false;
	if (out)
		*out = cp->global;
	if (gtid)
		*gtid = cp->gtid;
	return true;
}

DM_API bool dm_checkpoint_safe_exit(const dm_checkpoint *cp,
				    dm_location *out, const char **gtid)
{
	if (!cp || !cp->has_safe)
		return false;
	if (out)
		*out = cp->safe;
	if (gtid)
		*gtid = cp->safe_gtid;
	return true;
}

DM_API const char *dm_checkpoint_table_info(const dm_checkpoint *cp,
					    const char *schema,
					    const char *table)
{
	bool found;
	size_t at;

	if (!cp || !schema || !table)
		return NULL;
	at = find_table(cp, schema, table, &found);
	return found ? cp->tables[at].info : NULL;
}

DM_API size_t dm_checkpoint_ntables(const dm_checkpoint *cp)
{
	return cp ? cp->ntables : 0;
}

DM_API int dm_checkpoint_table_at(const dm_checkpoint *cp, size_t i,
				  const char **schema, const char **table,
				  dm_location *loc)
{
	if (!cp || i >= cp->ntables)
		return DM_E_INVALID_ARGUMENT;
	if (schema)
		*schema = cp->tables[i].schema;
	if (table)
		*table = cp->tables[i].table;
	if (loc)
		*loc = cp->tables[i].loc;
	return 0;
}

DM_API unsigned dm_checkpoint_queues(const dm_checkpoint *cp)
{
	return cp ? cp->nqueues : 0;
}

DM_API bool dm_checkpoint_queue(const dm_checkpoint *cp, unsigned queue,
				dm_location *out)
{
	if (!cp || queue >= cp->nqueues || !cp->queues[queue].set)
		return false;
	if (out)
		*out = cp->queues[queue].loc;
	return true;
}

/* ------------------------------------------------------------- progress */

DM_API int dm_checkpoint_queue_sql(dm_buf *out, const dm_checkpoint *cp,
				   unsigned queue, unsigned nqueues,
				   const dm_location *loc, dm_error **err)
{
	size_t start, name_at, name_len;
	int rc;

	if (!out || !cp || !loc)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_queue_sql: NULL argument");
	if (nqueues == 0 || nqueues > MAX_QUEUES || queue >= nqueues)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "queue %u of %u: out of range", queue,
				    nqueues);
	rc = check_location(loc, "queue progress", err);
	if (rc)
		return rc;
	if (!loc->file[0])
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "queue progress: empty location");
	start = out->len;
	rc = dm_buf_puts(out, cp->queue_head);
	if (rc == 0)
		rc = dm_buf_printf(out, "%u, %u, ", queue, nqueues);
	name_at = out->len;
	if (rc == 0)
		rc = dm_db_quote_value(out, loc->file, file_len(loc), 0);
	name_len = out->len - name_at;
	if (rc == 0)
		rc = dm_buf_printf(out, ", %" PRIu64 ", %" PRIu32 ")"
				   " ON DUPLICATE KEY UPDATE queue_count = %u,"
				   " binlog_name = ",
				   loc->pos, loc->row, nqueues);
	/* The quoted name again, copied from the buffer itself: reserve
	 * first so that the copy's source does not move. */
	if (rc == 0)
		rc = dm_buf_reserve(out, name_len);
	if (rc == 0)
		rc = dm_buf_append(out, out->data + name_at, name_len);
	if (rc == 0)
		rc = dm_buf_printf(out, ", binlog_pos = %" PRIu64 ","
				   " binlog_row = %" PRIu32,
				   loc->pos, loc->row);
	if (rc) {
		dm_buf_truncate(out, start);
		return dm_error_set(err, rc, NULL);
	}
	return 0;
}

DM_API int dm_checkpoint_queue_read(const dm_checkpoint *cp, dm_db *db,
				    unsigned queue, dm_location *out,
				    bool *found, dm_error **err)
{
	dm_db_result *res = NULL;
	dm_buf sql = DM_BUF_INIT;
	uint64_t pos, row;
	int rc;

	if (found)
		*found = false;
	if (!cp || !db || !out || !found)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_queue_read: NULL argument");
	if (dm_buf_printf(&sql, "SELECT binlog_name, binlog_pos, binlog_row"
			  " FROM %s WHERE id = %s AND `queue` = %u"
			  LOCKING_READ, cp->pg_name, cp->id_sql, queue)) {
		dm_buf_free(&sql);
		return no_memory(err);
	}
	rc = dm_db_query(db, &res, sql.data, sql.len, err);
	dm_buf_free(&sql);
	if (rc)
		return rc;
	if (dm_db_result_next(res) == 0) {
		const char *name = dm_db_result_value(res, 0, NULL);

		if (parse_u64(dm_db_result_value(res, 1, NULL), &pos) ||
		    parse_u64(dm_db_result_value(res, 2, NULL), &row) ||
		    row > UINT32_MAX ||
		    dm_location_set(out, name ? name : "", pos,
				    (uint32_t)row, NULL))
			rc = bad_row(err, "progress position");
		else
			*found = true;
	}
	dm_db_result_free(res);
	return rc;
}

DM_API int dm_checkpoint_clear_queues(dm_checkpoint *cp, dm_db *db,
				      dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	int rc;

	if (!cp || !db)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_clear_queues: NULL "
				    "argument");
	if (dm_buf_puts(&sql, "DELETE FROM ") ||
	    dm_buf_puts(&sql, cp->pg_name) ||
	    dm_buf_puts(&sql, " WHERE id = ") ||
	    dm_buf_puts(&sql, cp->id_sql))
		rc = no_memory(err);
	else
		rc = dm_db_exec(db, sql.data, sql.len, err);
	if (rc == 0)
		clear_queues_mem(cp);
	dm_buf_free(&sql);
	return rc;
}

/* ---------------------------------------------------------------- flush */

/* A table row to write and what it becomes in memory after the commit. */
/* The DELETE of one table's rows, or of every table of `schema` (table
 * NULL). */
static int put_delete(dm_buf *sql, const dm_checkpoint *cp,
		      const char *schema, const char *table)
{
	int rc = dm_buf_puts(sql, "DELETE FROM ");

	if (rc == 0)
		rc = dm_buf_puts(sql, cp->cp_name);
	if (rc == 0)
		rc = dm_buf_puts(sql, " WHERE id = ");
	if (rc == 0)
		rc = dm_buf_puts(sql, cp->id_sql);
	if (rc == 0)
		rc = dm_buf_puts(sql, " AND cp_schema = ");
	if (rc == 0)
		rc = put_value(sql, schema);
	if (rc == 0 && table)
		rc = dm_buf_puts(sql, " AND cp_table = ");
	if (rc == 0 && table)
		rc = put_value(sql, table);
	return rc;
}

typedef struct pending {
	cp_table t;
	bool found;      /* replaces cp->tables[at] */
	size_t at;
} pending;

/* One upsert of the checkpoint table. */
static int put_upsert(dm_buf *sql, const dm_checkpoint *cp,
		      const char *schema, const char *table,
		      const dm_location *loc, const char *gtid,
		      const dm_location *safe, const char *safe_gtid,
		      const char *info, bool global)
{
	int rc;

	rc = dm_buf_puts(sql, "INSERT INTO ");
	if (rc == 0)
		rc = dm_buf_puts(sql, cp->cp_name);
	if (rc == 0)
		rc = dm_buf_puts(sql, cp_insert_columns);
	if (rc == 0)
		rc = dm_buf_puts(sql, cp->id_sql);
	if (rc == 0)
		rc = dm_buf_puts(sql, ", ");
	if (rc == 0)
		rc = put_value(sql, schema);
	if (rc == 0)
		rc = dm_buf_puts(sql, ", ");
	if (rc == 0)
		rc = put_value(sql, table);
	if (rc == 0)
		rc = dm_buf_puts(sql, ", ");
	if (rc == 0)
		rc = dm_db_quote_value(sql, loc->file, file_len(loc), 0);
	if (rc == 0)
		rc = dm_buf_printf(sql, ", %" PRIu64 ", ", loc->pos);
	if (rc == 0)
		rc = put_value(sql, gtid);
	if (rc == 0)
		rc = dm_buf_puts(sql, ", ");
	if (rc == 0)
		rc = safe ? dm_db_quote_value(sql, safe->file, file_len(safe),
					      0) :
			    dm_buf_puts(sql, "''");
	if (rc == 0)
		rc = dm_buf_printf(sql, ", %" PRIu64 ", ",
				   safe ? safe->pos : 0);
	if (rc == 0)
		rc = put_value(sql, safe ? safe_gtid : "");
	if (rc == 0)
		rc = dm_buf_puts(sql, ", ");
	if (rc == 0)
		rc = put_value(sql, info);
	if (rc == 0)
		rc = dm_buf_puts(sql, global ? ", 1" : ", 0");
	if (rc == 0)
		rc = dm_buf_puts(sql, cp_upsert_tail);
	return rc;
}

static void free_pending(pending *p, size_t n)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < n; i++)
		free_table(&p[i].t);
	dm__free(p);
}

/* The tracker's tables whose CREATE TABLE differs from the saved one. */
static int changed_tables(pending **out, size_t *nout, size_t *nnew,
			  const dm_checkpoint *cp,
			  const dm_schema_tracker *tr, const dm_location *loc,
			  dm_error **err)
{
	size_t i, n = tr ? dm_schema_tracker_count(tr) : 0, np = 0;
	dm_buf create = DM_BUF_INIT, info = DM_BUF_INIT;
	pending *p = NULL;
	int rc = 0;

	*out = NULL;
	*nout = *nnew = 0;
	if (n == 0)
		return 0;
	p = dm__calloc(n, sizeof(*p));
	if (!p)
		return no_memory(err);
	for (i = 0; i < n; i++) {
		const dm_schema_table *t = dm_schema_tracker_table_at(tr, i);
		const char *schema = dm_schema_table_schema(t);
		const char *table = dm_schema_table_name(t);
		pending *q = &p[np];
		const cp_table *old;

		dm_buf_truncate(&create, 0);
		dm_buf_truncate(&info, 0);
		rc = dm_schema_table_create_sql(&create, t, err);
		if (rc)
			goto out_free;
		q->at = find_table(cp, schema, table, &q->found);
		old = q->found ? &cp->tables[q->at] : NULL;
		if (old && !old->forget && old->create_sql &&
		    strcmp(old->create_sql, create.data) == 0)
			continue;
		if (dm__cp_json_put_create(&info, create.data, create.len)) {
			rc = no_memory(err);
			goto out_free;
		}
		np++;
		q->t.loc = *loc;
		q->t.loc.row = 0;
		q->t.schema = dm__strdup(schema);
		q->t.table = dm__strdup(table);
		q->t.info = dm_buf_detach(&info);
		q->t.create_sql = dm_buf_detach(&create);
		if (!q->t.schema || !q->t.table || !q->t.info ||
		    !q->t.create_sql) {
			rc = no_memory(err);
			goto out_free;
		}
		if (!q->found)
			(*nnew)++;
	}
	*out = p;
	*nout = np;
	p = NULL;
out_free:
	free_pending(p, np);
	dm_buf_free(&create);
	dm_buf_free(&info);
	return rc;
}

static int run_flush(dm_checkpoint *cp, dm_db *db, const dm_location *loc,
		     const char *gtid, const dm_location *safe_exit,
		     const char *safe_gtid, const pending *p, size_t np,
		     dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	size_t i;
	int rc;

	rc = dm_db_begin(db, err);
	if (rc)
		return rc;
	if (put_upsert(&sql, cp, "", "", loc, gtid, safe_exit, safe_gtid,
		       "null", true)) {
		rc = no_memory(err);
		goto out_rollback;
	}
	rc = dm_db_exec(db, sql.data, sql.len, err);
	/* Forgotten tables go first: one written again below (dropped and
	 * created anew) gets its row back in the same transaction. */
	for (i = 0; rc == 0 && i < cp->ntables; i++) {
		if (!cp->tables[i].forget)
			continue;
		dm_buf_truncate(&sql, 0);
		if (put_delete(&sql, cp, cp->tables[i].schema,
			       cp->tables[i].table)) {
			rc = no_memory(err);
			goto out_rollback;
		}
		rc = dm_db_exec(db, sql.data, sql.len, err);
	}
	for (i = 0; rc == 0 && i < np; i++) {
		dm_buf_truncate(&sql, 0);
		if (put_upsert(&sql, cp, p[i].t.schema, p[i].t.table, loc, gtid,
			       NULL, NULL, p[i].t.info, false)) {
			rc = no_memory(err);
			goto out_rollback;
		}
		rc = dm_db_exec(db, sql.data, sql.len, err);
	}
	if (rc == 0)
		rc = dm_db_commit(db, err);
	if (rc == 0)
		goto out;
out_rollback:
	dm_db_rollback(db, NULL);
out:
	dm_buf_free(&sql);
	return rc;
}

/* After the commit: nothing here can fail (room was reserved). */
static void apply_pending(dm_checkpoint *cp, pending *p, size_t np)
{
	size_t i, kept;

	for (i = 0; i < np; i++) {
		bool found;
		size_t at = find_table(cp, p[i].t.schema, p[i].t.table,
				       &found);

		if (found) {
			free_table(&cp->tables[at]);
			cp->tables[at] = p[i].t;
		} else {
			insert_table_at(cp, at, &p[i].t);
		}
		memset(&p[i].t, 0, sizeof(p[i].t));
	}
	/* Rows deleted by the flush and not written again. */
	for (i = kept = 0; i < cp->ntables; i++) {
		if (cp->tables[i].forget)
			free_table(&cp->tables[i]);
		else
			cp->tables[kept++] = cp->tables[i];
	}
	cp->ntables = kept;
}

DM_API int dm_checkpoint_flush(dm_checkpoint *cp, dm_db *db,
			       const dm_location *loc, const char *gtid,
			       const dm_location *safe_exit,
			       const char *safe_exit_gtid,
			       const dm_schema_tracker *tr, dm_error **err)
{
	char *g = NULL, *sg = NULL;
	pending *p = NULL;
	size_t np = 0, nnew = 0;
	int rc;

	if (!cp || !db || !loc)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_flush: NULL argument");
	rc = check_location(loc, "global checkpoint", err);
	if (rc == 0 && safe_exit)
		rc = check_location(safe_exit, "safe-mode exit point", err);
	if (rc)
		return rc;
	if (!gtid)
		gtid = "";
	g = dm__strdup(gtid);
	sg = dm__strdup(safe_exit && safe_exit_gtid ? safe_exit_gtid : "");
	if (!g || !sg) {
		rc = no_memory(err);
		goto out;
	}
	rc = changed_tables(&p, &np, &nnew, cp, tr, loc, err);
	if (rc)
		goto out;
	if (reserve_tables(cp, nnew)) {
		rc = no_memory(err);
		goto out;
	}
	rc = run_flush(cp, db, loc, g, safe_exit, sg, p, np, err);
	if (rc)
		goto out;
	apply_pending(cp, p, np);
	cp->global = *loc;
	cp->global.row = 0;
	cp->has_global = loc->file[0] || *g;
	cp->has_safe = safe_exit && (safe_exit->file[0] || *sg);
	if (safe_exit)
		cp->safe = *safe_exit;
	else
		memset(&cp->safe, 0, sizeof(cp->safe));
	cp->safe.row = 0;
	dm__free(cp->gtid);
	dm__free(cp->safe_gtid);
	cp->gtid = g;
	cp->safe_gtid = sg;
	g = sg = NULL;
out:
	free_pending(p, np);
	dm__free(g);
	dm__free(sg);
	return rc;
}

/* ------------------------------------------------------ dropping tables */

/* The arguments of the two calls below: `schema` named, `table` NULL or
 * named (the global row is the one with empty names). */
static int check_drop_args(bool ok, const char *schema, const char *table,
			   const char *fn, dm_error **err)
{
	if (!ok || !schema)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: NULL argument", fn);
	if (!*schema || (table && !*table))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: empty name", fn);
	return 0;
}

/* Whether a row is one of `schema`.`table`, or of `schema` (table NULL). */
static bool row_of(const cp_table *t, const char *schema, const char *table)
{
	return strcmp(t->schema, schema) == 0 &&
	       (!table || strcmp(t->table, table) == 0);
}

DM_API int dm_checkpoint_forget_table(dm_checkpoint *cp, const char *schema,
				      const char *table, dm_error **err)
{
	size_t i;
	int rc = check_drop_args(cp != NULL, schema, table,
				 "dm_checkpoint_forget_table", err);

	for (i = 0; rc == 0 && i < cp->ntables; i++)
		if (row_of(&cp->tables[i], schema, table))
			cp->tables[i].forget = true;
	return rc;
}

DM_API int dm_checkpoint_delete_table(dm_checkpoint *cp, dm_db *db,
				      const char *schema, const char *table,
				      dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	size_t i, kept;
	int rc;

	rc = check_drop_args(cp && db, schema, table,
			     "dm_checkpoint_delete_table", err);
	if (rc)
		return rc;
	rc = put_delete(&sql, cp, schema, table);
	if (rc)
		rc = no_memory(err);
	else
		rc = dm_db_exec(db, sql.data, sql.len, err);
	dm_buf_free(&sql);
	if (rc)
		return rc;
	for (i = kept = 0; i < cp->ntables; i++) {
		cp_table *t = &cp->tables[i];

		if (row_of(t, schema, table))
			free_table(t);
		else
			cp->tables[kept++] = *t;
	}
	cp->ntables = kept;
	return 0;
}

DM_API int dm_checkpoint_remove_meta(dm_db *db, const char *meta_schema,
				     const char *task, dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	size_t i;
	int rc;

	if (!db || !task)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_remove_meta: NULL "
				    "argument");
	if (!*task || (meta_schema && !*meta_schema))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_remove_meta: empty name");
	if (!meta_schema)
		meta_schema = DEFAULT_META_SCHEMA;
	rc = dm_buf_puts(&sql, "DROP TABLE IF EXISTS ");
	for (i = 0; rc == 0 && i < sizeof(meta_suffixes) /
				   sizeof(meta_suffixes[0]); i++) {
		if (i)
			rc = dm_buf_puts(&sql, ", ");
		if (rc == 0)
			rc = put_table_name(&sql, meta_schema, task,
					    meta_suffixes[i]);
	}
	if (rc)
		rc = no_memory(err);
	else
		rc = dm_db_exec(db, sql.data, sql.len, err);
	dm_buf_free(&sql);
	return rc;
}

/* ------------------------------------------------------- table schemas */

DM_API int dm_checkpoint_table_schema(dm_schema_tracker *tr,
				      const char *schema, const char *table,
				      const char *table_info, dm_error **err)
{
	dm_buf create = DM_BUF_INIT;
	int rc;

	if (!tr || !schema || !table)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_checkpoint_table_schema: NULL "
				    "argument");
	if (!table_info)
		return DM_DONE;
	rc = dm__cp_json_get_create(&create, table_info, strlen(table_info));
	if (rc == 0)
		rc = dm_schema_tracker_set_table(tr, schema, table,
						 create.data ? create.data : "",
						 create.len, err);
	else if (rc < 0)
		rc = no_memory(err);
	dm_buf_free(&create);
	return rc;
}
