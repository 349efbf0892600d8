/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog --format=json: one JSON object per line, {"kind":"event",...}
 * for each event and {"kind":"row",...} for each row of a rows event, with
 * typed values. The field names are listed in dm-binlog(1) and do not
 * change; new fields may be added.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dmb.h"

typedef struct json_state {
	dm_buf tmp;
} json_state;

static int json_begin(dmb_run *r, dm_error **err)
{
	r->printer = calloc(1, sizeof(json_state));
	return r->printer ? 0 : dmb_nomem(err);
}

/* ,"k": with k a string literal */
#define key(b, k) key_n(b, k, sizeof(k) - 1)

static void key_n(dm_buf *b, const char *k, size_t n)
{
	/* Room for ,"k": and the NUL; the call only when it is short. */
	if ((!b->data || b->cap - b->len <= n + 4) && dm_buf_reserve(b, n + 4))
		return;
	b->data[b->len++] = ',';
	b->data[b->len++] = '"';
	memcpy(b->data + b->len, k, n);
	b->len += n;
	b->data[b->len++] = '"';
	b->data[b->len++] = ':';
	b->data[b->len] = '\0';
}

#define kstr(b, k, s) (key(b, k), (void)dmb_json_str(b, (s)->ptr, (s)->len))
#define kcstr(b, k, s) (key(b, k), (void)dmb_json_cstr(b, s))
#define ku64(b, k, v) (key(b, k), (void)dmb_put_u64(b, v))
#define ki64(b, k, v) (key(b, k), (void)dmb_put_i64(b, v))
#define kbool(b, k, v) (key(b, k), (void)dmb_puts(b, (v) ? "true" : "false"))

static void bytes_obj(dm_buf *b, const char *p, size_t n)
{
	dmb_puts(b, "{\"base64\":\"");
	dmb_base64(b, (const unsigned char *)p, n);
	dmb_puts(b, "\"}");
}

static const char *action_name(dm_binlog_rows_action a)
{
	switch (a) {
	case DM_BINLOG_ROWS_WRITE: return "insert";
	case DM_BINLOG_ROWS_UPDATE: return "update";
	case DM_BINLOG_ROWS_DELETE: return "delete";
	default: return "partial_update";
	}
}

/* One value as JSON; see dm-binlog(1) for the mapping. */
static int put_value(dm_buf *b, dm_buf *tmp, const dm_value *v,
		     const dm_binlog_column *col, dm_error **err)
{
	int rc = 0;

	switch (v->kind) {
	case DM_VALUE_NULL:
		return dmb_puts(b, "null");
	case DM_VALUE_INT:
		return dmb_put_i64(b, v->v.i);
	case DM_VALUE_UINT:
	case DM_VALUE_YEAR:
		return dmb_put_u64(b, v->v.u);
	case DM_VALUE_FLOAT:
	case DM_VALUE_DOUBLE: {
		double d = v->kind == DM_VALUE_FLOAT ? v->v.f : v->v.d;

		if (!isfinite(d))
			return dmb_puts(b, isnan(d) ? "\"NaN\"" :
					   d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
		dm_buf_truncate(tmp, 0);
		rc = dm_value_format_text(tmp, v, err);
		return rc ? rc : dmb_append(b, tmp->data, tmp->len);
	}
	case DM_VALUE_DECIMAL:
		return dmb_append(b, v->v.str.ptr, v->v.str.len);
	case DM_VALUE_STRING:
		if (!dmb_json_str_utf8(b, v->v.str.ptr, v->v.str.len))
			bytes_obj(b, v->v.str.ptr, v->v.str.len);
		return 0;
	case DM_VALUE_BYTES:
	case DM_VALUE_GEOMETRY:
		bytes_obj(b, v->v.str.ptr, v->v.str.len);
		return 0;
	case DM_VALUE_VECTOR: {
		const unsigned char *p = (const unsigned char *)v->v.str.ptr;
		size_t i;

		dmb_putc(b, '[');
		for (i = 0; i + 4 <= v->v.str.len; i += 4) {
			uint32_t u = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 |
				     (uint32_t)p[i + 2] << 16 |
				     (uint32_t)p[i + 3] << 24;
			dm_value f;
			float fl;

			memcpy(&fl, &u, sizeof(fl));
			memset(&f, 0, sizeof(f));
			f.kind = DM_VALUE_FLOAT;
			f.v.f = fl;
			if (i)
				dmb_putc(b, ',');
			rc = put_value(b, tmp, &f, NULL, err);
			if (rc)
				return rc;
		}
		return dmb_putc(b, ']');
	}
	case DM_VALUE_DATE:
	case DM_VALUE_DATETIME:
	case DM_VALUE_TIME:
	case DM_VALUE_TIMESTAMP:
		dm_buf_truncate(tmp, 0);
		rc = dm_value_format_text(tmp, v, err);
		return rc ? rc : dmb_json_str(b, tmp->data, tmp->len);
	case DM_VALUE_BIT:
		return dm_buf_printf(b, "%" PRIu64, v->v.bit.bits);
	case DM_VALUE_ENUM:
	case DM_VALUE_SET: {
		bool named = v->kind == DM_VALUE_ENUM ?
				     v->v.enm.names &&
					     (v->v.enm.index == 0 ||
					      v->v.enm.index <= v->v.enm.nnames) :
				     v->v.set.names &&
					     (v->v.set.nnames >= 64 ||
					      (v->v.set.mask >> v->v.set.nnames) == 0);

		if (!named)
			return dm_buf_printf(b, "%" PRIu64,
					     v->kind == DM_VALUE_ENUM ?
						     v->v.enm.index : v->v.set.mask);
		dm_buf_truncate(tmp, 0);
		rc = dm_value_format_text(tmp, v, err);
		return rc ? rc : dmb_json_str(b, tmp->data ? tmp->data : "",
					      tmp->len);
	}
	case DM_VALUE_JSON:
		return dmb_append(b, v->v.str.ptr, v->v.str.len);
	case DM_VALUE_JSON_BINARY:
		dm_buf_truncate(tmp, 0);
		rc = dm_value_format_text(tmp, v, err);
		return rc ? rc : dmb_append(b, tmp->data, tmp->len);
	case DM_VALUE_JSON_DIFF:
		dm_buf_truncate(tmp, 0);
		rc = dm_binlog_format_value_text(tmp, v, col, err);
		if (rc)
			return rc;
		dmb_puts(b, "{\"json_diff\":");
		dmb_json_str(b, tmp->data, tmp->len);
		return dmb_putc(b, '}');
	default:
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "value of unknown kind %d", (int)v->kind);
	}
}

static int put_image(dmb_run *r, const char *name, const dm_value *vals,
		     const dm_binlog_table *t, size_t ncols, dm_error **err)
{
	json_state *s = r->printer;
	dm_buf *b = &r->out.buf;
	bool first = true;
	size_t i;

	dmb_puts(b, ",\"");
	dmb_puts(b, name);
	dmb_puts(b, "\":{");
	for (i = 0; i < ncols; i++) {
		int rc;

		if (vals[i].kind == DM_VALUE_ABSENT)
			continue;
		if (!first)
			dmb_putc(b, ',');
		first = false;
		dm_buf_truncate(&s->tmp, 0);
		dmb_col_name(&s->tmp, t, i);
		dmb_json_str(b, s->tmp.data, s->tmp.len);
		dmb_putc(b, ':');
		rc = put_value(b, &s->tmp, &vals[i],
			       t && i < t->ncols ? &t->cols[i] : NULL, err);
		if (rc)
			return rc;
	}
	return dmb_putc(b, '}');
}

static int put_rows(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	const dm_binlog_rows *rows = &ev->u.rows;
	const dm_binlog_table *t = rows->table;
	dm_buf *b = &r->out.buf;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	int rc;

	if (!t)
		return 0;
	rc = dm_binlog_rows_open(&it, r->dec, ev, err);
	while (!rc && (rc = dm_binlog_rows_next(it, &bv, &av, err)) == 0) {
		dmb_puts(b, "{\"kind\":\"row\"");
		kcstr(b, "type", action_name(rows->action));
		kstr(b, "db", &t->schema);
		kstr(b, "table", &t->name);
		kcstr(b, "file", ev->file);
		ku64(b, "pos", ev->inner ? r->outer_pos : ev->pos);
		ku64(b, "row", dm_binlog_rows_index(it));
		if (bv)
			rc = put_image(r, "before", bv, t, (size_t)rows->ncols,
				       err);
		if (!rc && av)
			rc = put_image(r, "after", av, t, (size_t)rows->ncols,
				       err);
		if (rc) {
			char msg[600];

			snprintf(msg, sizeof(msg), "%s",
				 *err ? dm_error_message(*err) : "");
			dm_error_free(*err);
			*err = NULL;
			return dm_error_set(err, rc, "%s:%" PRIu64 ": row %zu: %s",
					    ev->file, ev->pos,
					    dm_binlog_rows_index(it), msg);
		}
		if (dmb_puts(b, "}\n"))
			return dmb_nomem(err);
		if (dmb_out_flush(&r->out, false))
			return dm_error_set(err, DM_E_IO,
					    "cannot write the output");
	}
	return rc == DM_DONE ? 0 : rc;
}

static void gtid_text(dm_buf *b, const dm_binlog_gtid *g)
{
	char uuid[37];

	dmb_uuid_text(uuid, g->uuid);
	dm_buf_printf(b, "\"%s:", uuid);
	if (g->tag.len) {
		dmb_append(b, g->tag.ptr, g->tag.len);
		dmb_putc(b, ':');
	}
	dm_buf_printf(b, "%" PRId64 "\"", g->gno);
}

static void xid_text(dm_buf *b, int32_t fmt, const dm_str *data, size_t gl,
		     size_t bl)
{
	const unsigned char *d = (const unsigned char *)data->ptr;

	if (gl + bl > data->len)
		gl = bl = 0;
	dmb_puts(b, "\"X'");
	dmb_hex(b, d, gl, false);
	dmb_puts(b, "',X'");
	dmb_hex(b, d + gl, bl, false);
	dm_buf_printf(b, "',%" PRId32 "\"", fmt);
}

static void put_columns(dm_buf *b, const dm_binlog_table *t)
{
	size_t i;

	key(b, "columns");
	dmb_putc(b, '[');
	for (i = 0; i < t->ncols; i++) {
		const dm_binlog_column *c = &t->cols[i];

		dmb_puts(b, i ? ",{" : "{");
		dmb_puts(b, "\"type\":");
		dmb_json_cstr(b, dm_type_name(c->real_type));
		if (c->name.len)
			kstr(b, "name", &c->name);
		kbool(b, "nullable", c->nullable);
		if (c->is_unsigned >= 0)
			kbool(b, "unsigned", c->is_unsigned);
		if (c->charset)
			ku64(b, "charset", c->charset);
		if (c->pk_position >= 0)
			ku64(b, "pk", (uint64_t)c->pk_position);
		dmb_putc(b, '}');
	}
	dmb_putc(b, ']');
}

static int put_body(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	dm_buf *b = &r->out.buf;
	json_state *s = r->printer;

	switch (ev->kind) {
	case DM_BINLOG_KIND_FORMAT_DESCRIPTION:
		ku64(b, "binlog_version", ev->u.fde.binlog_version);
		kcstr(b, "server_version", ev->u.fde.server_version);
		kbool(b, "mariadb", ev->u.fde.mariadb);
		ku64(b, "created", ev->u.fde.create_timestamp);
		kcstr(b, "checksum",
		      ev->u.fde.checksum_alg == DM_BINLOG_CHECKSUM_CRC32 ? "crc32" :
		      ev->u.fde.checksum_alg == DM_BINLOG_CHECKSUM_OFF ? "none" :
		      "undefined");
		break;
	case DM_BINLOG_KIND_QUERY: {
		const dm_binlog_query *q = &ev->u.query;

		ku64(b, "thread_id", q->thread_id);
		ku64(b, "exec_time", q->exec_time);
		ku64(b, "error_code", q->error_code);
		kstr(b, "db", &q->schema);
		kstr(b, "query", &q->query);
		if (q->status.present & DM_BINLOG_Q_BIT(1))
			ku64(b, "sql_mode", q->status.sql_mode);
		if (q->status.present & DM_BINLOG_Q_BIT(4))
			ku64(b, "charset_client", q->status.charset_client);
		if (q->status.time_zone.len)
			kstr(b, "time_zone", &q->status.time_zone);
		break;
	}
	case DM_BINLOG_KIND_ROTATE:
		kstr(b, "next_file", &ev->u.rotate.next_file);
		ku64(b, "next_pos", ev->u.rotate.position);
		break;
	case DM_BINLOG_KIND_XID:
		ku64(b, "xid", ev->u.xid);
		break;
	case DM_BINLOG_KIND_INTVAR:
		kcstr(b, "var", ev->u.intvar.type == 1 ? "LAST_INSERT_ID" :
							   "INSERT_ID");
		ku64(b, "value", ev->u.intvar.value);
		break;
	case DM_BINLOG_KIND_RAND:
		ku64(b, "seed1", ev->u.rand.seed1);
		ku64(b, "seed2", ev->u.rand.seed2);
		break;
	case DM_BINLOG_KIND_USER_VAR: {
		const dm_binlog_user_var *u = &ev->u.user_var;
		int rc;

		kstr(b, "name", &u->name);
		key(b, "value");
		if (u->is_null)
			dmb_puts(b, "null");
		else if (u->type == DM_BINLOG_UV_STRING &&
			 !dmb_json_str_utf8(b, u->value.ptr, u->value.len))
			bytes_obj(b, u->value.ptr, u->value.len);
		else if (u->type != DM_BINLOG_UV_STRING &&
			 (rc = put_value(b, &s->tmp, &u->decoded, NULL, err)))
			return rc;
		if (!u->is_null && u->type == DM_BINLOG_UV_STRING)
			ku64(b, "charset", u->charset);
		break;
	}
	case DM_BINLOG_KIND_INCIDENT:
		ku64(b, "incident", ev->u.incident.type);
		kstr(b, "message", &ev->u.incident.message);
		break;
	case DM_BINLOG_KIND_HEARTBEAT:
		kstr(b, "log_file", &ev->u.heartbeat.log_file);
		ku64(b, "log_pos", ev->u.heartbeat.log_position);
		break;
	case DM_BINLOG_KIND_TABLE_MAP:
		ku64(b, "table_id", ev->u.table_map->table_id);
		kstr(b, "db", &ev->u.table_map->schema);
		kstr(b, "table", &ev->u.table_map->name);
		put_columns(b, ev->u.table_map);
		break;
	case DM_BINLOG_KIND_ROWS:
		ku64(b, "table_id", ev->u.rows.table_id);
		if (ev->u.rows.table) {
			kstr(b, "db", &ev->u.rows.table->schema);
			kstr(b, "table", &ev->u.rows.table->name);
		}
		kcstr(b, "action", action_name(ev->u.rows.action));
		kbool(b, "stmt_end",
		      ev->u.rows.flags & DM_BINLOG_ROWS_F_STMT_END);
		break;
	case DM_BINLOG_KIND_ROWS_QUERY:
		kstr(b, "query", &ev->u.rows_query.query);
		break;
	case DM_BINLOG_KIND_GTID: {
		const dm_binlog_gtid *g = &ev->u.gtid;

		key(b, "gtid");
		if (g->gno > 0)
			gtid_text(b, g);
		else
			dmb_puts(b, "null");
		if (g->has_logical_clock) {
			ki64(b, "last_committed", g->last_committed);
			ki64(b, "sequence_number", g->sequence_number);
		}
		if (g->has_commit_ts) {
			ku64(b, "original_commit_ts", g->original_commit_ts);
			ku64(b, "immediate_commit_ts", g->immediate_commit_ts);
		}
		if (g->has_transaction_length)
			ku64(b, "transaction_length", g->transaction_length);
		break;
	}
	case DM_BINLOG_KIND_PREVIOUS_GTIDS:
		kstr(b, "gtids", &ev->u.previous_gtids.text);
		break;
	case DM_BINLOG_KIND_TRANSACTION_PAYLOAD:
		kcstr(b, "compression",
		      ev->u.payload.compression == 0 ? "zstd" : "none");
		ku64(b, "payload_size", ev->u.payload.payload_size);
		ku64(b, "uncompressed_size", ev->u.payload.uncompressed_size);
		break;
	case DM_BINLOG_KIND_XA_PREPARE:
		key(b, "xid");
		xid_text(b, ev->u.xa_prepare.format_id, &ev->u.xa_prepare.data,
			 ev->u.xa_prepare.gtrid_length,
			 ev->u.xa_prepare.bqual_length);
		kbool(b, "one_phase", ev->u.xa_prepare.one_phase);
		break;
	case DM_BINLOG_KIND_MARIADB_GTID: {
		const dm_binlog_mariadb_gtid *g = &ev->u.mariadb_gtid;

		dmb_puts(b, ",\"gtid\":\"");
		dmb_put_u64(b, g->domain_id);
		dmb_putc(b, '-');
		dmb_put_u64(b, g->server_id);
		dmb_putc(b, '-');
		dmb_put_u64(b, g->seq_no);
		dmb_putc(b, '"');
		ku64(b, "domain_id", g->domain_id);
		ku64(b, "seq_no", g->seq_no);
		kbool(b, "standalone", g->flags & DM_BINLOG_MGTID_STANDALONE);
		kbool(b, "transactional",
		      g->flags & DM_BINLOG_MGTID_TRANSACTIONAL);
		kbool(b, "ddl", g->flags & DM_BINLOG_MGTID_DDL);
		if (g->flags & DM_BINLOG_MGTID_GROUP_COMMIT_ID)
			ku64(b, "commit_id", g->commit_id);
		if (g->flags & (DM_BINLOG_MGTID_PREPARED_XA |
				DM_BINLOG_MGTID_COMPLETED_XA)) {
			key(b, "xid");
			xid_text(b, g->xa_format_id, &g->xa_data,
				 g->xa_gtrid_length, g->xa_bqual_length);
		}
		break;
	}
	case DM_BINLOG_KIND_MARIADB_GTID_LIST: {
		uint32_t i;

		dmb_puts(b, ",\"gtids\":\"");
		for (i = 0; i < ev->u.gtid_list.count; i++) {
			dm_binlog_mariadb_gtid_entry e =
				dm_binlog_gtid_list_entry(&ev->u.gtid_list, i);

			dm_buf_printf(b, "%s%" PRIu32 "-%" PRIu32 "-%" PRIu64,
				      i ? "," : "", e.domain_id, e.server_id,
				      e.seq_no);
		}
		dmb_putc(b, '"');
		break;
	}
	case DM_BINLOG_KIND_MARIADB_BINLOG_CHECKPOINT:
		kstr(b, "binlog_file", &ev->u.checkpoint.file);
		break;
	case DM_BINLOG_KIND_LOAD_DATA:
		ku64(b, "file_id", ev->u.load.file_id);
		if (ev->u.load.block.len)
			ku64(b, "block_len", ev->u.load.block.len);
		if (ev->u.load.table.len)
			kstr(b, "table", &ev->u.load.table);
		if (ev->u.load.schema.len)
			kstr(b, "db", &ev->u.load.schema);
		break;
	default:
		break;
	}
	return 0;
}

static int json_event(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	dm_buf *b = &r->out.buf;
	int rc;

	dmb_puts(b, "{\"kind\":\"event\"");
	kcstr(b, "type", dm_binlog_event_type_name(ev->type));
	ku64(b, "type_code", ev->type);
	kcstr(b, "file", ev->file);
	ku64(b, "pos", ev->pos);
	ku64(b, "end_pos", ev->log_pos);
	ku64(b, "size", ev->event_size);
	ku64(b, "time", ev->timestamp);
	ku64(b, "server_id", ev->server_id);
	if (ev->inner) {
		kbool(b, "inner", true);
		ku64(b, "payload_pos", r->outer_pos);
	}
	rc = put_body(r, ev, err);
	if (rc)
		return rc;
	if (dmb_puts(b, "}\n"))
		return dmb_nomem(err);
	return ev->kind == DM_BINLOG_KIND_ROWS ? put_rows(r, ev, err) : 0;
}

static int json_restarted(dmb_run *r, dm_error **err)
{
	return dmb_puts(&r->out.buf, "{\"kind\":\"reconnect\",\"note\":"
			   "\"the server sends the unfinished transaction "
			   "again\"}\n") ? dmb_nomem(err) : 0;
}

static void json_free(dmb_run *r)
{
	json_state *s = r->printer;

	if (s) {
		dm_buf_free(&s->tmp);
		free(s);
	}
	r->printer = NULL;
}

const dmb_printer dmb_json_printer = {
	.begin = json_begin,
	.event = json_event,
	.restarted = json_restarted,
	.free = json_free,
};
