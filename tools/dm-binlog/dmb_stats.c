/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog --stats: decodes everything (every value of every row of every
 * rows event) and prints counts and bytes per event type and per table at
 * the end. "values" counts the decoded column values (NULLs included,
 * columns missing from a partial image not), so a full decode can be told
 * from one that only walked the rows.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dmb.h"

typedef struct table_stat {
	struct table_stat *next;     /* hash chain */
	char *schema, *name;
	size_t schema_len, name_len;
	uint64_t events, bytes;
	uint64_t rows[4];            /* by dm_binlog_rows_action - 1 */
} table_stat;

#define NBUCKETS 1024

typedef struct stats_state {
	uint64_t count[256], bytes[256];
	uint64_t events, total_bytes, rows, values, inner;
	table_stat *buckets[NBUCKETS];
	size_t ntables;
	uint64_t files;
	table_stat *last;            /* the table of the last rows event */
} stats_state;

static uint32_t hash(const dm_str *a, const dm_str *b)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < a->len; i++)
		h = (h ^ (unsigned char)a->ptr[i]) * 16777619u;
	h = (h ^ 0xff) * 16777619u;
	for (i = 0; i < b->len; i++)
		h = (h ^ (unsigned char)b->ptr[i]) * 16777619u;
	return h;
}

static char *dup_str(const dm_str *s)
{
	char *p = malloc(s->len + 1);

	if (p) {
		memcpy(p, s->ptr, s->len);
		p[s->len] = '\0';
	}
	return p;
}

static bool same_table(const table_stat *ts, const dm_binlog_table *t)
{
	return ts->schema_len == t->schema.len && ts->name_len == t->name.len &&
	       memcmp(ts->schema, t->schema.ptr, t->schema.len) == 0 &&
	       memcmp(ts->name, t->name.ptr, t->name.len) == 0;
}

static table_stat *table_of(stats_state *s, const dm_binlog_table *t)
{
	uint32_t h;
	table_stat *ts;

	/* Statements touch one table at a time: try the last one first. */
	if (s->last && same_table(s->last, t))
		return s->last;
	h = hash(&t->schema, &t->name) % NBUCKETS;
	for (ts = s->buckets[h]; ts; ts = ts->next)
		if (same_table(ts, t))
			return s->last = ts;
	ts = calloc(1, sizeof(*ts));
	if (!ts)
		return NULL;
	ts->schema = dup_str(&t->schema);
	ts->name = dup_str(&t->name);
	if (!ts->schema || !ts->name) {
		free(ts->schema);
		free(ts->name);
		free(ts);
		return NULL;
	}
	ts->schema_len = t->schema.len;
	ts->name_len = t->name.len;
	ts->next = s->buckets[h];
	s->buckets[h] = ts;
	s->ntables++;
	return s->last = ts;
}

static int stats_begin(dmb_run *r, dm_error **err)
{
	r->printer = calloc(1, sizeof(stats_state));
	return r->printer ? 0 : dmb_nomem(err);
}

static int stats_file_begin(dmb_run *r, const char *name, dm_error **err)
{
	stats_state *s = r->printer;

	(void)name;
	(void)err;
	s->files++;
	return 0;
}

/* Columns set in a row image bitmap of `ncols` bits (none: NULL). */
static uint64_t present(const unsigned char *bitmap, uint64_t ncols)
{
	uint64_t n = 0, i;

	if (!bitmap)
		return 0;
	for (i = 0; i < ncols / 8; i++)
		n += (uint64_t)__builtin_popcount(bitmap[i]);
	if (ncols % 8)
		n += (uint64_t)__builtin_popcount(bitmap[i] &
						  ((1u << (ncols % 8)) - 1));
	return n;
}

static int stats_event(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	stats_state *s = r->printer;
	const dm_binlog_table *t = NULL;

	s->count[ev->type]++;
	s->bytes[ev->type] += ev->raw_len;
	s->events++;
	if (ev->inner)
		s->inner++;
	else
		s->total_bytes += ev->raw_len;
	if (ev->kind == DM_BINLOG_KIND_ROWS)
		t = ev->u.rows.table;
	if (!t)
		return 0;
	{
		table_stat *ts = table_of(s, t);
		dm_binlog_row_iter *it;
		uint64_t n = 0;
		int rc;

		if (!ts)
			return dmb_nomem(err);
		ts->events++;
		ts->bytes += ev->raw_len;
		/* Every column a row image's bitmap names is decoded into a
		 * value (NULLs included), so the bitmaps give the count. */
		uint64_t nb = present(ev->u.rows.cols_before, ev->u.rows.ncols);
		uint64_t na = present(ev->u.rows.cols_after, ev->u.rows.ncols);

		rc = dm_binlog_rows_open(&it, r->dec, ev, err);
		while (!rc) {
			const dm_value *before, *after;

			rc = dm_binlog_rows_next(it, &before, &after, err);
			if (rc)
				break;
			n++;
			s->values += (before ? nb : 0) + (after ? na : 0);
		}
		if (rc != DM_DONE)
			return rc;
		ts->rows[(ev->u.rows.action - 1) & 3] += n;
		s->rows += n;
	}
	return 0;
}

static int cmp_tables(const void *a, const void *b)
{
	const table_stat *x = *(const table_stat *const *)a;
	const table_stat *y = *(const table_stat *const *)b;
	int c = strcmp(x->schema, y->schema);

	return c ? c : strcmp(x->name, y->name);
}

static int stats_end(dmb_run *r, bool ok, dm_error **err)
{
	stats_state *s = r->printer;
	dm_buf *b = &r->out.buf;
	table_stat **list;
	size_t i, n = 0;
	unsigned t;

	if (!s || !ok)
		return 0;
	dm_buf_printf(b, "files %" PRIu64 "  events %" PRIu64 "  bytes %" PRIu64
		      "  rows %" PRIu64 "  values %" PRIu64 "  tables %zu\n",
		      s->files, s->events, s->total_bytes, s->rows, s->values,
		      s->ntables);
	if (s->inner)
		dm_buf_printf(b, "(%" PRIu64 " of the events were inside "
			      "Transaction_payload events)\n", s->inner);
	dm_buf_printf(b, "\n%-28s %12s %14s\n", "event type", "count", "bytes");
	for (t = 0; t < 256; t++)
		if (s->count[t])
			dm_buf_printf(b, "%-28s %12" PRIu64 " %14" PRIu64 "\n",
				      dm_binlog_event_type_name((int)t),
				      s->count[t], s->bytes[t]);
	if (s->ntables == 0)
		return b->data ? 0 : dmb_nomem(err);
	list = malloc(s->ntables * sizeof(*list));
	if (!list)
		return dmb_nomem(err);
	for (i = 0; i < NBUCKETS; i++) {
		table_stat *ts;

		for (ts = s->buckets[i]; ts; ts = ts->next)
			list[n++] = ts;
	}
	qsort(list, n, sizeof(*list), cmp_tables);
	dm_buf_printf(b, "\n%-40s %10s %12s %12s %12s %12s %14s\n", "table",
		      "events", "inserted", "updated", "deleted",
		      "partial", "bytes");
	for (i = 0; i < n; i++) {
		dm_buf name = DM_BUF_INIT;

		dmb_put_ident(&name, list[i]->schema, list[i]->schema_len);
		dmb_putc(&name, '.');
		dmb_put_ident(&name, list[i]->name, list[i]->name_len);
		dm_buf_printf(b, "%-40s %10" PRIu64 " %12" PRIu64 " %12" PRIu64
			      " %12" PRIu64 " %12" PRIu64 " %14" PRIu64 "\n",
			      name.data ? name.data : "", list[i]->events,
			      list[i]->rows[0], list[i]->rows[1],
			      list[i]->rows[2], list[i]->rows[3], list[i]->bytes);
		dm_buf_free(&name);
	}
	free(list);
	return b->data ? 0 : dmb_nomem(err);
}

static void stats_free(dmb_run *r)
{
	stats_state *s = r->printer;
	size_t i;

	if (!s)
		return;
	for (i = 0; i < NBUCKETS; i++) {
		table_stat *ts = s->buckets[i], *next;

		for (; ts; ts = next) {
			next = ts->next;
			free(ts->schema);
			free(ts->name);
			free(ts);
		}
	}
	free(s);
	r->printer = NULL;
}

const dmb_printer dmb_stats_printer = {
	.begin = stats_begin,
	.file_begin = stats_file_begin,
	.event = stats_event,
	.end = stats_end,
	.free = stats_free,
};
