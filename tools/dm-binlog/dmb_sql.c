/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog --format=sql: SQL that replays the binlog on another server.
 * Rows become INSERT, UPDATE and DELETE statements (UPDATE and DELETE
 * match the whole before image, LIMIT 1), statements are printed with
 * their default database and timestamp, and transactions keep their
 * BEGIN and COMMIT.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dmb.h"

typedef struct sql_state {
	dm_buf db;              /* the database of the last USE */
	bool have_db;
	uint64_t timestamp;     /* of the last SET TIMESTAMP, in usec */
	bool have_ts;
	dm_buf tmp;
	dm_buf pending;         /* BEGIN or XA START not printed yet */
	uint64_t unnamed;       /* rows skipped: no SQL form */
} sql_state;

static int sql_begin(dmb_run *r, dm_error **err)
{
	r->printer = calloc(1, sizeof(sql_state));
	return r->printer ? 0 : dmb_nomem(err);
}

/* The statement with ";" or, when it holds a semicolon, between DELIMITER
 * lines with a delimiter it does not contain. */
static int put_statement(dm_buf *b, const char *p, size_t n)
{
	static const char *const delims[] = { "$$", "//", ";;", "$$$", "@@@@" };
	const char *d = NULL;
	size_t i;

	while (n && (p[n - 1] == ';' || p[n - 1] == ' ' || p[n - 1] == '\n'))
		n--;
	if (!memchr(p, ';', n)) {
		dmb_append(b, p, n);
		return dmb_puts(b, ";\n");
	}
	for (i = 0; i < sizeof(delims) / sizeof(delims[0]) && !d; i++)
		if (!memmem(p, n, delims[i], strlen(delims[i])))
			d = delims[i];
	if (!d)
		d = "\n--dm-binlog-end--";
	dm_buf_printf(b, "DELIMITER %s\n", d);
	dmb_append(b, p, n);
	return dm_buf_printf(b, "%s\nDELIMITER ;\n", d);
}

static void use_db(sql_state *s, dm_buf *b, const dm_str *db)
{
	if (db->len == 0 || (s->have_db && s->db.len == db->len &&
			     memcmp(s->db.data, db->ptr, db->len) == 0))
		return;
	dmb_puts(b, "USE ");
	dmb_put_ident(b, db->ptr, db->len);
	dmb_puts(b, ";\n");
	dm_buf_truncate(&s->db, 0);
	dmb_append(&s->db, db->ptr, db->len);
	s->have_db = true;
}

static void set_timestamp(sql_state *s, dm_buf *b, const dm_binlog_event *ev)
{
	const dm_binlog_query_status *qs = &ev->u.query.status;
	uint64_t usec = (uint64_t)ev->timestamp * 1000000;

	if ((qs->present & DM_BINLOG_Q_BIT(128)) && qs->hrnow_usec <= 999999)
		usec += qs->hrnow_usec;
	if (s->have_ts && s->timestamp == usec)
		return;
	if (usec % 1000000)
		dm_buf_printf(b, "SET TIMESTAMP=%" PRIu64 ".%06u;\n",
			      usec / 1000000, (unsigned)(usec % 1000000));
	else
		dm_buf_printf(b, "SET TIMESTAMP=%" PRIu64 ";\n", usec / 1000000);
	s->timestamp = usec;
	s->have_ts = true;
}

/* A transaction's BEGIN is printed with its first statement, so that
 * transactions the filters emptied leave nothing. */
static int flush_pending(sql_state *s, dm_buf *b)
{
	int rc = 0;

	if (s->pending.len) {
		rc = dmb_append(b, s->pending.data, s->pending.len);
		dm_buf_truncate(&s->pending, 0);
	}
	return rc;
}

static void put_name(dm_buf *b, const dm_binlog_table *t, size_t i)
{
	dmb_put_ident(b, t->cols[i].name.ptr, t->cols[i].name.len);
}

/* A literal that compares equal to the stored value in a WHERE clause. */
static int put_literal(dm_buf *b, const dm_value *v, bool in_where,
		       dm_error **err)
{
	int rc;

	if (in_where && v->kind == DM_VALUE_FLOAT) {
		/* The column holds a float: compare as one. */
		dmb_puts(b, "CAST(");
		rc = dm_value_format_sql(b, v, 0, err);
		return rc ? rc : dmb_puts(b, " AS FLOAT)");
	}
	if (in_where && v->kind == DM_VALUE_JSON_BINARY) {
		dmb_puts(b, "CAST(");
		rc = dm_value_format_sql(b, v, 0, err);
		return rc ? rc : dmb_puts(b, " AS JSON)");
	}
	return dm_value_format_sql(b, v, 0, err);
}

static int put_where(dm_buf *b, const dm_binlog_table *t, const dm_value *vals,
		     size_t ncols, dm_error **err)
{
	bool first = true;
	size_t i;
	int rc;

	dmb_puts(b, " WHERE ");
	for (i = 0; i < ncols; i++) {
		if (vals[i].kind == DM_VALUE_ABSENT)
			continue;
		if (!first)
			dmb_puts(b, " AND ");
		first = false;
		put_name(b, t, i);
		if (vals[i].kind == DM_VALUE_NULL) {
			dmb_puts(b, " IS NULL");
			continue;
		}
		dmb_putc(b, '=');
		rc = put_literal(b, &vals[i], true, err);
		if (rc)
			return rc;
	}
	if (first)
		dmb_puts(b, "1");
	return dmb_puts(b, " LIMIT 1;\n");
}

static void put_table(dm_buf *b, const dm_binlog_table *t)
{
	dmb_put_ident(b, t->schema.ptr, t->schema.len);
	dmb_putc(b, '.');
	dmb_put_ident(b, t->name.ptr, t->name.len);
}

static int put_row(sql_state *s, dm_buf *b, const dm_binlog_event *ev,
		   const dm_value *bv, const dm_value *av, dm_error **err)
{
	const dm_binlog_rows *rows = &ev->u.rows;
	const dm_binlog_table *t = rows->table;
	size_t i, n = (size_t)rows->ncols;
	bool named = dmb_col_named(t) && t->ncols >= n, first = true;
	int rc = 0;

	if (!named && (rows->action != DM_BINLOG_ROWS_WRITE ||
		       n != t->ncols)) {
		s->unnamed++;
		dm_buf_printf(b, "-- %s:%" PRIu64 ": a row of ", ev->file, ev->pos);
		put_table(b, t);
		return dmb_puts(b, " skipped: the binlog has no column names "
				   "(binlog_row_metadata=FULL)\n");
	}
	for (i = 0; av && i < n; i++)
		if (av[i].kind == DM_VALUE_JSON_DIFF) {
			s->unnamed++;
			dm_buf_printf(b, "-- %s:%" PRIu64 ": a row of ", ev->file,
				      ev->pos);
			put_table(b, t);
			return dmb_puts(b, " skipped: a partial JSON update "
					   "without its before image\n");
		}
	if (rows->action == DM_BINLOG_ROWS_WRITE) {
		dmb_puts(b, "INSERT INTO ");
		put_table(b, t);
		if (named) {
			dmb_puts(b, " (");
			for (i = 0; i < n; i++) {
				if (av[i].kind == DM_VALUE_ABSENT)
					continue;
				if (!first)
					dmb_putc(b, ',');
				first = false;
				put_name(b, t, i);
			}
			dmb_putc(b, ')');
		}
		dmb_puts(b, " VALUES (");
		first = true;
		for (i = 0; i < n && !rc; i++) {
			if (av[i].kind == DM_VALUE_ABSENT)
				continue;
			if (!first)
				dmb_putc(b, ',');
			first = false;
			rc = put_literal(b, &av[i], false, err);
		}
		return rc ? rc : dmb_puts(b, ");\n");
	}
	if (rows->action == DM_BINLOG_ROWS_DELETE) {
		dmb_puts(b, "DELETE FROM ");
		put_table(b, t);
		return put_where(b, t, bv, n, err);
	}
	dmb_puts(b, "UPDATE ");
	put_table(b, t);
	dmb_puts(b, " SET ");
	for (i = 0; i < n && !rc; i++) {
		if (av[i].kind == DM_VALUE_ABSENT)
			continue;
		if (!first)
			dmb_putc(b, ',');
		first = false;
		put_name(b, t, i);
		dmb_putc(b, '=');
		rc = put_literal(b, &av[i], false, err);
	}
	return rc ? rc : put_where(b, t, bv, n, err);
}

static int put_rows(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	sql_state *s = r->printer;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	int rc;

	if (!ev->u.rows.table)
		return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
				    "%s:%" PRIu64 ": rows of table id %" PRIu64
				    " without its Table_map event", ev->file,
				    ev->pos, ev->u.rows.table_id);
	rc = dm_binlog_rows_open(&it, r->dec, ev, err);
	while (!rc && (rc = dm_binlog_rows_next(it, &bv, &av, err)) == 0) {
		rc = put_row(s, &r->out.buf, ev, bv, av, err);
		if (!rc && dmb_out_flush(&r->out, false))
			rc = dm_error_set(err, DM_E_IO,
					  "cannot write the output");
	}
	return rc == DM_DONE ? 0 : rc;
}

static int put_user_var(dm_buf *b, const dm_binlog_user_var *u,
			dm_error **err)
{
	dmb_puts(b, "SET @");
	dmb_put_ident(b, u->name.ptr, u->name.len);
	dmb_puts(b, ":=");
	if (u->is_null) {
		dmb_puts(b, "NULL");
	} else if (u->type == DM_BINLOG_UV_STRING) {
		const char *cs = dmb_charset_name(u->charset);
		const char *coll = dmb_collation_name(u->charset);

		if (cs)
			dm_buf_printf(b, "_%s ", cs);
		dmb_puts(b, "X'");
		dmb_hex(b, (const unsigned char *)u->value.ptr, u->value.len,
			true);
		dmb_putc(b, '\'');
		if (coll) {
			dmb_puts(b, " COLLATE ");
			dmb_put_ident(b, coll, strlen(coll));
		}
	} else {
		int rc = dm_value_format_sql(b, &u->decoded, 0, err);

		if (rc)
			return rc;
	}
	return dmb_puts(b, ";\n");
}

static int sql_event(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	sql_state *s = r->printer;
	dm_buf *b = &r->out.buf;
	int rc = 0;

	switch (ev->kind) {
	case DM_BINLOG_KIND_QUERY: {
		const dm_binlog_query *q = &ev->u.query;

		if (dmb_query_is(q, "BEGIN")) {
			dm_buf_truncate(&s->pending, 0);
			rc = dmb_puts(&s->pending, "BEGIN;\n");
			break;
		}
		if ((dmb_query_is(q, "COMMIT") || dmb_query_is(q, "ROLLBACK")) &&
		    s->pending.len) {
			dm_buf_truncate(&s->pending, 0);
			break;
		}
		rc = flush_pending(s, b);
		if (!(ev->flags & DM_BINLOG_F_SUPPRESS_USE) &&
		    !dmb_query_is(q, "COMMIT") && !dmb_query_is(q, "ROLLBACK"))
			use_db(s, b, &q->schema);
		if (!dmb_query_is(q, "COMMIT") && !dmb_query_is(q, "ROLLBACK"))
			set_timestamp(s, b, ev);
		if (!rc)
			rc = put_statement(b, q->query.ptr, q->query.len);
		break;
	}
	case DM_BINLOG_KIND_MARIADB_GTID: {
		const dm_binlog_mariadb_gtid *g = &ev->u.mariadb_gtid;

		dm_buf_truncate(&s->pending, 0);
		if (g->flags & DM_BINLOG_MGTID_PREPARED_XA) {
			const unsigned char *x =
				(const unsigned char *)g->xa_data.ptr;
			size_t gl = g->xa_gtrid_length, bl = g->xa_bqual_length;

			if (gl + bl > g->xa_data.len)
				gl = bl = 0;
			dmb_puts(b, "XA START X'");
			dmb_hex(b, x, gl, false);
			dmb_puts(b, "',X'");
			dmb_hex(b, x + gl, bl, false);
			rc = dm_buf_printf(b, "',%" PRId32 ";\n", g->xa_format_id);
		} else if (!(g->flags & DM_BINLOG_MGTID_STANDALONE)) {
			rc = dmb_puts(&s->pending, "BEGIN;\n");
		}
		break;
	}
	case DM_BINLOG_KIND_XID:
		if (s->pending.len)
			dm_buf_truncate(&s->pending, 0);
		else
			rc = dmb_puts(b, "COMMIT;\n");
		break;
	case DM_BINLOG_KIND_XA_PREPARE: {
		const dm_binlog_xa_prepare *x = &ev->u.xa_prepare;
		const unsigned char *d = (const unsigned char *)x->data.ptr;
		size_t gl = x->gtrid_length, bl = x->bqual_length;

		if (gl + bl > x->data.len)
			gl = bl = 0;
		dmb_puts(b, x->one_phase ? "XA COMMIT X'" : "XA PREPARE X'");
		dmb_hex(b, d, gl, false);
		dmb_puts(b, "',X'");
		dmb_hex(b, d + gl, bl, false);
		rc = dm_buf_printf(b, "',%" PRId32 "%s;\n", x->format_id,
				   x->one_phase ? " ONE PHASE" : "");
		break;
	}
	case DM_BINLOG_KIND_INTVAR:
		rc = flush_pending(s, b);
		if (!rc)
			rc = dm_buf_printf(b, "SET %s=%" PRIu64 ";\n",
					   ev->u.intvar.type == 1 ?
						   "LAST_INSERT_ID" : "INSERT_ID",
					   ev->u.intvar.value);
		break;
	case DM_BINLOG_KIND_RAND:
		rc = flush_pending(s, b);
		if (!rc)
			rc = dm_buf_printf(b, "SET @@RAND_SEED1=%" PRIu64
					   ", @@RAND_SEED2=%" PRIu64 ";\n",
					   ev->u.rand.seed1, ev->u.rand.seed2);
		break;
	case DM_BINLOG_KIND_USER_VAR:
		rc = flush_pending(s, b);
		if (rc)
			break;
		rc = put_user_var(b, &ev->u.user_var, err);
		if (rc < 0 && rc != DM_E_NO_MEMORY)
			return rc;
		break;
	case DM_BINLOG_KIND_ROWS:
		if (flush_pending(s, b))
			return dmb_nomem(err);
		return put_rows(r, ev, err);
	default:
		break;
	}
	return rc ? dmb_nomem(err) : 0;
}

static int sql_restarted(dmb_run *r, dm_error **err)
{
	return dmb_puts(&r->out.buf, "ROLLBACK; -- dm-binlog: the connection "
			   "was lost; the transaction comes again\n") ?
		dmb_nomem(err) : 0;
}

static int sql_end(dmb_run *r, bool ok, dm_error **err)
{
	sql_state *s = r->printer;

	(void)ok;
	(void)err;
	if (s && s->unnamed)
		fprintf(stderr, DMB_PROG ": warning: %" PRIu64 " rows were "
			"skipped (see the \"--\" comments in the output)\n",
			s->unnamed);
	return 0;
}

static void sql_free(dmb_run *r)
{
	sql_state *s = r->printer;

	if (s) {
		dm_buf_free(&s->db);
		dm_buf_free(&s->tmp);
		dm_buf_free(&s->pending);
		free(s);
	}
	r->printer = NULL;
}

const dmb_printer dmb_sql_printer = {
	.begin = sql_begin,
	.event = sql_event,
	.restarted = sql_restarted,
	.end = sql_end,
	.free = sql_free,
};
