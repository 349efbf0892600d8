/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bodies of the events other than FORMAT_DESCRIPTION, TABLE_MAP and rows:
 * QUERY and its status variables, ROTATE, XID, INTVAR, RAND, USER_VAR,
 * INCIDENT, HEARTBEAT, ROWS_QUERY, the MySQL and MariaDB GTID events,
 * PREVIOUS_GTIDS, TRANSACTION_PAYLOAD, XA_PREPARE and the LOAD DATA family.
 */
#include <inttypes.h>
#include <string.h>

#include "binlog/binlog_private.h"
#include "binlog/cursor.h"
#include "dm/gtid.h"
#include "util/alloc.h"

#define TRUNC(what) \
	dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE, \
			"truncated %s at body offset %zu of %zu", (what), c.i, c.n)

/* Post-header length the FDE gives for `type`, or `dflt` without one. */
static size_t phl_of(const dm_binlog_decoder *d, int type, size_t dflt)
{
	if (d->have_fde && type >= 1 && (size_t)type <= d->nphl &&
	    d->phl[type - 1])
		return d->phl[type - 1];
	return dflt;
}

static dm_buf *text_buf(dm_binlog_decoder *d, const dm_binlog_event *ev)
{
	return ev->inner ? &d->text_inner : &d->text_outer;
}

/* ------------------------------------------------------------------ QUERY */

/* Status variables in the order the server wrote them. An unknown code
 * ends the walk, as in the servers: the rest cannot be sized. */
static int parse_status(dm_binlog_decoder *d, dm_binlog_query_status *s,
			const unsigned char *p, size_t n, dm_error **err)
{
	dm__cur c = cur_make(p, n);
	const unsigned char *b;
	uint8_t code, len;
	uint64_t v = 0;

	s->unknown_code = -1;
	while (cur_left(&c) > 0) {
		size_t at = c.i;
		bool ok = true;

		if (!cur_u8(&c, &code))
			break;
		switch (code) {
		case 0:
			ok = cur_le(&c, 4, &v);
			s->flags2 = (uint32_t)v;
			break;
		case 1:
			ok = cur_u64(&c, &s->sql_mode);
			break;
		case 2: /* old catalog: length, text, NUL */
			ok = cur_u8(&c, &len) && cur_take(&c, len, &b) &&
			     cur_skip(&c, 1);
			if (ok)
				s->catalog = (dm_str){ (const char *)b, len };
			break;
		case 3:
			ok = cur_u16(&c, &s->auto_increment_increment) &&
			     cur_u16(&c, &s->auto_increment_offset);
			break;
		case 4:
			ok = cur_u16(&c, &s->charset_client) &&
			     cur_u16(&c, &s->collation_connection) &&
			     cur_u16(&c, &s->collation_server);
			break;
		case 5:
			ok = cur_u8(&c, &len) && cur_take(&c, len, &b);
			if (ok)
				s->time_zone = (dm_str){ (const char *)b, len };
			break;
		case 6:
			ok = cur_u8(&c, &len) && cur_take(&c, len, &b);
			if (ok)
				s->catalog = (dm_str){ (const char *)b, len };
			break;
		case 7:
			ok = cur_u16(&c, &s->lc_time_names);
			break;
		case 8:
			ok = cur_u16(&c, &s->charset_database);
			break;
		case 9:
			ok = cur_u64(&c, &s->table_map_for_update);
			break;
		case 10:
			ok = cur_u32(&c, &s->master_data_written);
			break;
		case 11:
			ok = cur_u8(&c, &len) && cur_take(&c, len, &b);
			if (ok) {
				s->invoker_user = (dm_str){ (const char *)b, len };
				ok = cur_u8(&c, &len) && cur_take(&c, len, &b);
				if (ok)
					s->invoker_host =
						(dm_str){ (const char *)b, len };
			}
			break;
		case 12: {
			uint8_t k, j;

			ok = cur_u8(&c, &k);
			if (!ok)
				break;
			s->nupdated_dbs = k;
			if (k == 254)
				break; /* over the limit: no names follow */
			if (k > 16)
				return dm__binlog_fail(
					d, err, DM_E_BINLOG_STATUS_VARS_PARSE,
					"Q_UPDATED_DB_NAMES at status offset "
					"%zu lists %u databases (at most 16)",
					at, k);
			for (j = 0; j < k && ok; j++) {
				const unsigned char *z =
					memchr(cur_here(&c), 0, cur_left(&c));

				if (!z) {
					ok = false;
					break;
				}
				s->updated_dbs[j] = (dm_str){
					(const char *)cur_here(&c),
					(size_t)(z - cur_here(&c)) };
				cur_skip(&c, s->updated_dbs[j].len + 1);
			}
			break;
		}
		case 13:
			ok = cur_le(&c, 3, &v);
			s->microseconds = (uint32_t)v;
			break;
		case 16:
			ok = cur_u8(&c, &s->explicit_defaults_for_timestamp);
			break;
		case 17:
			ok = cur_u64(&c, &s->ddl_xid);
			break;
		case 18:
			ok = cur_u16(&c, &s->default_collation_for_utf8mb4);
			break;
		case 19:
			ok = cur_u8(&c, &s->sql_require_primary_key);
			break;
		case 20:
			ok = cur_u8(&c, &s->default_table_encryption);
			break;
		case 128:
			ok = cur_le(&c, 3, &v);
			s->hrnow_usec = (uint32_t)v;
			break;
		case 129:
			ok = cur_u64(&c, &s->xid);
			break;
		case 130:
			ok = cur_u8(&c, &s->gtid_flags3);
			/* COMMIT/ROLLBACK ALTER carry the start-alter id. */
			if (ok && (s->gtid_flags3 & 0x0c))
				ok = cur_skip(&c, 8);
			break;
		case 131: {
			uint8_t k;

			ok = cur_u8(&c, &k) && cur_take(&c, (size_t)k * 4, &b);
			if (ok)
				s->character_set_collations = (dm_str){
					(const char *)b - 1, (size_t)k * 4 + 1 };
			break;
		}
		default:
			s->unknown_code = code;
			return 0;
		}
		if (!ok)
			return dm__binlog_fail(d, err,
					       DM_E_BINLOG_STATUS_VARS_PARSE,
					       "status variable %u at status "
					       "offset %zu runs past the %zu "
					       "bytes of status variables",
					       code, at, n);
		s->present |= DM_BINLOG_Q_BIT(code);
	}
	return 0;
}

static int parse_query(dm_binlog_decoder *d, dm_binlog_event *ev,
		       dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_query *q = &ev->u.query;
	const unsigned char *status, *db, *query;
	uint8_t db_len;
	uint16_t status_len = 0;
	size_t phl, fixed = 13;
	int rc;

	if (ev->type == DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT)
		fixed = 26;
	phl = phl_of(d, ev->type, fixed);
	if (phl < 11)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "post-header length %zu is below 11",
				       phl);
	if (!cur_u32(&c, &q->thread_id) || !cur_u32(&c, &q->exec_time) ||
	    !cur_u8(&c, &db_len) || !cur_u16(&c, &q->error_code))
		return TRUNC("post-header");
	if (phl >= 13 && !cur_u16(&c, &status_len))
		return TRUNC("post-header");
	if (ev->type == DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT) {
		if (!cur_u32(&c, &q->file_id) || !cur_u32(&c, &q->fn_pos_start) ||
		    !cur_u32(&c, &q->fn_pos_end) || !cur_u8(&c, &q->dup_handling))
			return TRUNC("load post-header");
	}
	if (c.i < phl && !cur_skip(&c, phl - c.i))
		return TRUNC("post-header");
	if (!cur_take(&c, status_len, &status))
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "status variables of %u bytes run past "
				       "the %zu-byte body", status_len,
				       ev->body_len);
	q->status_raw = (dm_str){ (const char *)status, status_len };
	rc = parse_status(d, &q->status, status, status_len, err);
	if (rc)
		return rc;
	if (!cur_take(&c, db_len, &db) || !cur_skip(&c, 1))
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "schema name of %u bytes runs past the "
				       "%zu-byte body", db_len, ev->body_len);
	q->schema = (dm_str){ (const char *)db, db_len };
	query = cur_here(&c);
	q->query = (dm_str){ (const char *)query, cur_left(&c) };
	if (ev->type == DM_BINLOG_MARIADB_QUERY_COMPRESSED_EVENT) {
		dm_buf *out = ev->inner ? &d->unz_inner : &d->unz_outer;

		rc = dm__binlog_mariadb_uncompress(d, out, query, cur_left(&c),
						   "query", err);
		if (rc)
			return rc;
		q->query = (dm_str){ out->data ? out->data : "", out->len };
	}
	ev->kind = DM_BINLOG_KIND_QUERY;
	return 0;
}

/* ------------------------------------------------------- small events */

static int parse_rotate(dm_binlog_decoder *d, dm_binlog_event *ev,
			dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	size_t phl = phl_of(d, ev->type, 8);

	if (phl >= 8) {
		if (!cur_u64(&c, &ev->u.rotate.position))
			return TRUNC("position");
		if (phl > 8 && !cur_skip(&c, phl - 8))
			return TRUNC("post-header");
	}
	ev->u.rotate.next_file = (dm_str){ (const char *)cur_here(&c),
					   cur_left(&c) };
	ev->kind = DM_BINLOG_KIND_ROTATE;
	return 0;
}

static int parse_intvar(dm_binlog_decoder *d, dm_binlog_event *ev,
			dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);

	if (!cur_u8(&c, &ev->u.intvar.type) ||
	    !cur_u64(&c, &ev->u.intvar.value))
		return TRUNC("INTVAR body");
	ev->kind = DM_BINLOG_KIND_INTVAR;
	return 0;
}

static int parse_rand(dm_binlog_decoder *d, dm_binlog_event *ev,
		      dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);

	if (!cur_u64(&c, &ev->u.rand.seed1) || !cur_u64(&c, &ev->u.rand.seed2))
		return TRUNC("RAND seeds");
	ev->kind = DM_BINLOG_KIND_RAND;
	return 0;
}

static int parse_xid(dm_binlog_decoder *d, dm_binlog_event *ev,
		     dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);

	if (!cur_u64(&c, &ev->u.xid))
		return TRUNC("XID");
	ev->kind = DM_BINLOG_KIND_XID;
	return 0;
}

static int parse_user_var(dm_binlog_decoder *d, dm_binlog_event *ev,
			  dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_user_var *u = &ev->u.user_var;
	const unsigned char *name, *val;
	uint32_t name_len, val_len;
	uint8_t is_null;

	if (!cur_u32(&c, &name_len) || !cur_take(&c, name_len, &name) ||
	    !cur_u8(&c, &is_null))
		return TRUNC("variable name");
	u->name = (dm_str){ (const char *)name, name_len };
	u->is_null = is_null != 0;
	u->decoded.kind = DM_VALUE_NULL;
	ev->kind = DM_BINLOG_KIND_USER_VAR;
	if (u->is_null)
		return 0;
	if (!cur_u8(&c, &u->type) || !cur_u32(&c, &u->charset) ||
	    !cur_u32(&c, &val_len) || !cur_take(&c, val_len, &val))
		return TRUNC("variable value");
	u->value = (dm_str){ (const char *)val, val_len };
	if (cur_left(&c) >= 1) {
		u->has_flags = true;
		cur_u8(&c, &u->flags);
	}
	switch (u->type) {
	case DM_BINLOG_UV_REAL: {
		uint64_t bits;

		if (val_len != 8)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "REAL value of %" PRIu32
					       " bytes, expected 8", val_len);
		bits = le_get(val, 8);
		u->decoded.kind = DM_VALUE_DOUBLE;
		memcpy(&u->decoded.v.d, &bits, 8);
		break;
	}
	case DM_BINLOG_UV_INT:
		if (val_len != 8)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "INT value of %" PRIu32
					       " bytes, expected 8", val_len);
		if (u->has_flags && (u->flags & 1)) {
			u->decoded.kind = DM_VALUE_UINT;
			u->decoded.flags = DM_VALUE_F_UNSIGNED;
			u->decoded.v.u = le_get(val, 8);
		} else {
			u->decoded.kind = DM_VALUE_INT;
			u->decoded.v.i = (int64_t)le_get(val, 8);
		}
		break;
	case DM_BINLOG_UV_DECIMAL: {
		dm_buf *t = text_buf(d, ev);
		size_t need, tl;

		if (val_len < 2)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "DECIMAL value of %" PRIu32
					       " bytes has no precision/scale",
					       val_len);
		need = dm__binlog_decimal_size(val[0], val[1]);
		if (!need || need > val_len - 2)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "DECIMAL(%u,%u) value does not "
					       "fit its %" PRIu32 " bytes",
					       val[0], val[1], val_len);
		dm_buf_clear(t);
		if (dm_buf_reserve(t, DM__DEC_TEXT_MAX))
			return dm__binlog_nomem(err);
		tl = dm__binlog_decimal_text(t->data, val + 2, val[0], val[1]);
		if (!tl)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "invalid DECIMAL digits");
		t->len = tl;
		t->data[tl] = '\0';
		u->decoded.kind = DM_VALUE_DECIMAL;
		u->decoded.type = DM_TYPE_NEWDECIMAL;
		u->decoded.v.str = (dm_str){ t->data, tl };
		break;
	}
	case DM_BINLOG_UV_STRING:
		u->decoded.kind = u->charset == 63 ? DM_VALUE_BYTES :
						     DM_VALUE_STRING;
		u->decoded.charset = (uint16_t)u->charset;
		u->decoded.v.str = (dm_str){ (const char *)val, val_len };
		break;
	default:
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "unknown value type %u", u->type);
	}
	return 0;
}

static int parse_incident(dm_binlog_decoder *d, dm_binlog_event *ev,
			  dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	const unsigned char *m;
	uint8_t len;

	if (!cur_u16(&c, &ev->u.incident.type))
		return TRUNC("incident type");
	if (cur_left(&c) > 0) {
		if (!cur_u8(&c, &len) || !cur_take(&c, len, &m))
			return TRUNC("incident message");
		ev->u.incident.message = (dm_str){ (const char *)m, len };
	}
	ev->kind = DM_BINLOG_KIND_INCIDENT;
	return 0;
}

static int parse_heartbeat(dm_binlog_decoder *d, dm_binlog_event *ev,
			   dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);

	ev->kind = DM_BINLOG_KIND_HEARTBEAT;
	if (ev->type == DM_BINLOG_HEARTBEAT_EVENT) {
		ev->u.heartbeat.log_file = (dm_str){ (const char *)ev->body,
						     ev->body_len };
		ev->u.heartbeat.log_position = ev->log_pos;
		return 0;
	}
	/* V2: type/length/value fields: 1 file name, 2 position. */
	while (cur_left(&c) > 0) {
		uint64_t type, len;
		const unsigned char *v;

		if (!cur_packed(&c, &type))
			return TRUNC("field type");
		if (type == 0)
			break;
		if (!cur_packed(&c, &len) || len > cur_left(&c) ||
		    !cur_take(&c, (size_t)len, &v))
			return TRUNC("field");
		if (type == 1) {
			ev->u.heartbeat.log_file = (dm_str){ (const char *)v,
							     (size_t)len };
		} else if (type == 2) {
			dm__cur f = cur_make(v, (size_t)len);

			if (!cur_packed(&f, &ev->u.heartbeat.log_position))
				return TRUNC("log position");
		}
	}
	return 0;
}

static int parse_rows_query(dm_binlog_decoder *d, dm_binlog_event *ev,
			    dm_error **err)
{
	(void)d;
	(void)err;
	ev->kind = DM_BINLOG_KIND_ROWS_QUERY;
	if (ev->type == DM_BINLOG_MARIADB_ANNOTATE_ROWS_EVENT ||
	    ev->body_len == 0) {
		ev->u.rows_query.query = (dm_str){ (const char *)ev->body,
						   ev->body_len };
		return 0;
	}
	/* One length byte (the length modulo 256), then the text. */
	ev->u.rows_query.query = (dm_str){ (const char *)ev->body + 1,
					   ev->body_len - 1 };
	return 0;
}

/* ------------------------------------------------------------ MySQL GTID */

static int parse_gtid(dm_binlog_decoder *d, dm_binlog_event *ev,
		      dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_gtid *g = &ev->u.gtid;
	const unsigned char *sid;
	uint64_t v;
	uint8_t lt;

	if (!cur_u8(&c, &g->flags) || !cur_take(&c, 16, &sid) ||
	    !cur_u64(&c, &v))
		return TRUNC("GTID");
	memcpy(g->uuid, sid, 16);
	g->gno = (int64_t)v;
	ev->kind = DM_BINLOG_KIND_GTID;
	/* 5.6 stops here; 5.7.4 and earlier used another clock code. */
	if (cur_left(&c) == 0 || cur_here(&c)[0] != 2)
		return 0;
	cur_u8(&c, &lt);
	if (!cur_u64(&c, &v))
		return TRUNC("last_committed");
	g->last_committed = (int64_t)v;
	if (!cur_u64(&c, &v))
		return TRUNC("sequence_number");
	g->sequence_number = (int64_t)v;
	g->has_logical_clock = true;
	if (cur_left(&c) >= 7) {
		cur_le(&c, 7, &v);
		g->has_commit_ts = true;
		if (v & (UINT64_C(1) << 55)) {
			g->immediate_commit_ts = v & ~(UINT64_C(1) << 55);
			if (!cur_le(&c, 7, &g->original_commit_ts))
				return TRUNC("original_commit_timestamp");
		} else {
			g->immediate_commit_ts = v;
			g->original_commit_ts = v;
		}
	}
	if (cur_left(&c) > 0) {
		if (!cur_packed(&c, &g->transaction_length))
			return TRUNC("transaction_length");
		g->has_transaction_length = true;
	}
	if (cur_left(&c) >= 4) {
		uint32_t sv;

		cur_u32(&c, &sv);
		g->has_server_version = true;
		if (sv & (UINT32_C(1) << 31)) {
			g->immediate_server_version = sv & ~(UINT32_C(1) << 31);
			if (!cur_u32(&c, &g->original_server_version))
				return TRUNC("original_server_version");
		} else {
			g->immediate_server_version = sv;
			g->original_server_version = sv;
		}
	}
	if (cur_left(&c) >= 8) {
		cur_u64(&c, &g->commit_group_ticket);
		g->has_commit_group_ticket = true;
	}
	return 0;
}

/* Zig-zag signed varlen of the serialization library. */
static bool cur_varlen_signed(dm__cur *c, int64_t *out)
{
	uint64_t u;

	if (!cur_varlen(c, &u))
		return false;
	*out = (u & 1) ? -(int64_t)(u >> 1) - 1 : (int64_t)(u >> 1);
	return true;
}

/* GTID_TAGGED (MySQL 8.4+): a serialization-library message: version
 * byte, total size, last non-ignorable field id, then (id, value) pairs. */
static int parse_gtid_tagged(dm_binlog_decoder *d, dm_binlog_event *ev,
			     dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_gtid *g = &ev->u.gtid;
	uint64_t size, last_required, id, v = 0;
	int64_t sv = 0;
	uint8_t version;
	bool seen_oct = false, seen_osv = false, have_tag = false;
	dm__cur f;

	if (!cur_u8(&c, &version) || !cur_varlen(&c, &size) ||
	    !cur_varlen(&c, &last_required))
		return TRUNC("serialization header");
	if (size < c.i || size > c.n)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "message size %" PRIu64 " does not fit "
				       "the %zu-byte body", size, c.n);
	f = cur_make(c.p + c.i, (size_t)size - c.i);
	g->has_logical_clock = true;
	g->has_commit_ts = true;
	g->has_transaction_length = true;
	g->has_server_version = true;
	g->immediate_server_version = 999999;
	g->original_server_version = 999999;
	while (cur_left(&f) > 0) {
		size_t at = f.i;
		bool ok = true;

		if (!cur_varlen(&f, &id))
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "truncated field id at message "
					       "offset %zu", at + c.i);
		switch (id) {
		case 0:
			ok = cur_varlen(&f, &v) && v <= 0xff;
			g->flags = (uint8_t)v;
			break;
		case 1: {
			int k;

			for (k = 0; k < 16 && ok; k++) {
				ok = cur_varlen(&f, &v) && v <= 0xff;
				g->uuid[k] = (uint8_t)v;
			}
			break;
		}
		case 2:
			ok = cur_varlen_signed(&f, &sv) && sv >= 0;
			g->gno = sv;
			break;
		case 3: {
			const unsigned char *t;

			ok = cur_varlen(&f, &v) && v <= cur_left(&f) &&
			     cur_take(&f, (size_t)v, &t);
			if (ok) {
				g->tag = (dm_str){ (const char *)t, (size_t)v };
				have_tag = true;
			}
			break;
		}
		case 4:
			ok = cur_varlen_signed(&f, &sv) && sv >= 0;
			g->last_committed = sv;
			break;
		case 5:
			ok = cur_varlen_signed(&f, &sv) && sv >= 0;
			g->sequence_number = sv;
			break;
		case 6:
			ok = cur_varlen(&f, &g->immediate_commit_ts);
			break;
		case 7:
			ok = cur_varlen(&f, &g->original_commit_ts);
			seen_oct = true;
			break;
		case 8:
			ok = cur_varlen(&f, &g->transaction_length);
			break;
		case 9:
			ok = cur_varlen(&f, &v) && v <= UINT32_MAX;
			g->immediate_server_version = (uint32_t)v;
			break;
		case 10:
			ok = cur_varlen(&f, &v) && v <= UINT32_MAX;
			g->original_server_version = (uint32_t)v;
			seen_osv = true;
			break;
		case 11:
			ok = cur_varlen(&f, &g->commit_group_ticket);
			g->has_commit_group_ticket = true;
			break;
		default:
			if (id <= last_required)
				return dm__binlog_fail(
					d, err, DM_E_BINLOG_EVENT_DECODE,
					"unknown required field %" PRIu64
					" at message offset %zu", id, at + c.i);
			/* An ignorable field of unknown size ends the walk. */
			f.i = f.n;
			break;
		}
		if (!ok)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "field %" PRIu64 " at message "
					       "offset %zu is truncated or out "
					       "of range", id, at + c.i);
	}
	if (!seen_oct)
		g->original_commit_ts = g->immediate_commit_ts;
	if (!seen_osv)
		g->original_server_version = g->immediate_server_version;
	(void)have_tag;
	ev->kind = DM_BINLOG_KIND_GTID;
	return 0;
}

static int parse_previous_gtids(dm_binlog_decoder *d, dm_binlog_event *ev,
				dm_error **err)
{
	dm_binlog_previous_gtids *p = &ev->u.previous_gtids;
	dm_buf *t = text_buf(d, ev);
	dm_gtid_set *set = NULL;
	dm_error *e = NULL;
	size_t used = 0;
	int rc;

	p->raw = (dm_str){ (const char *)ev->body, ev->body_len };
	p->tagged = ev->body_len >= 8 && ev->body[7] != 0;
	rc = dm_gtid_set_decode_mysql(&set, ev->body, ev->body_len, &used, &e);
	if (rc == DM_E_NO_MEMORY) {
		dm_error_free(e);
		return dm__binlog_nomem(err);
	}
	if (rc) {
		rc = dm__binlog_fail(d, err, DM_E_BINLOG_DECODE_MYSQL_GTID_SET,
				     "%s", e ? dm_error_message(e) :
				     "cannot decode the GTID set");
		dm_error_free(e);
		return rc;
	}
	dm_buf_clear(t);
	rc = dm_gtid_set_format(t, set);
	dm_gtid_set_free(set);
	if (rc)
		return dm__binlog_nomem(err);
	p->text = (dm_str){ t->data ? t->data : "", t->len };
	ev->kind = DM_BINLOG_KIND_PREVIOUS_GTIDS;
	return 0;
}

/* TRANSACTION_PAYLOAD: (type, length, value) header fields, all packed
 * integers, until type 0; the compressed events follow. */
static int parse_payload(dm_binlog_decoder *d, dm_binlog_event *ev,
			 dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_transaction_payload *p = &ev->u.payload;
	bool have_size = false;

	p->compression = 255;
	for (;;) {
		uint64_t type, len, v;
		const unsigned char *val;
		dm__cur f;

		if (!cur_packed(&c, &type))
			return TRUNC("payload header field");
		if (type == 0)
			break;
		if (!cur_packed(&c, &len) || len > cur_left(&c) ||
		    !cur_take(&c, (size_t)len, &val))
			return TRUNC("payload header field");
		f = cur_make(val, (size_t)len);
		if (type > 3)
			continue;
		if (!cur_packed(&f, &v))
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "payload header field %" PRIu64
					       " holds no integer", type);
		if (type == 1) {
			p->payload_size = v;
			have_size = true;
		} else if (type == 2) {
			p->compression = (uint8_t)v;
		} else {
			p->uncompressed_size = v;
		}
	}
	if (!have_size)
		p->payload_size = cur_left(&c);
	if (p->payload_size != cur_left(&c))
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "payload size field says %" PRIu64
				       " bytes, %zu follow", p->payload_size,
				       cur_left(&c));
	p->payload = (dm_str){ (const char *)cur_here(&c), cur_left(&c) };
	ev->kind = DM_BINLOG_KIND_TRANSACTION_PAYLOAD;
	return 0;
}

static int parse_xa_prepare(dm_binlog_decoder *d, dm_binlog_event *ev,
			    dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_xa_prepare *x = &ev->u.xa_prepare;
	const unsigned char *data;
	uint8_t one;
	uint32_t fmt;

	if (!cur_u8(&c, &one) || !cur_u32(&c, &fmt) ||
	    !cur_u32(&c, &x->gtrid_length) || !cur_u32(&c, &x->bqual_length))
		return TRUNC("XA_PREPARE header");
	if (x->gtrid_length > 64 || x->bqual_length > 64)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "XID lengths %" PRIu32 "+%" PRIu32
				       " exceed 64 each", x->gtrid_length,
				       x->bqual_length);
	if (!cur_take(&c, x->gtrid_length + x->bqual_length, &data))
		return TRUNC("XID data");
	x->one_phase = one != 0;
	x->format_id = (int32_t)fmt;
	x->data = (dm_str){ (const char *)data,
			    x->gtrid_length + x->bqual_length };
	ev->kind = DM_BINLOG_KIND_XA_PREPARE;
	return 0;
}

/* -------------------------------------------------------------- MariaDB */

static int parse_mariadb_gtid(dm_binlog_decoder *d, dm_binlog_event *ev,
			      dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_mariadb_gtid *g = &ev->u.mariadb_gtid;

	if (!cur_u64(&c, &g->seq_no) || !cur_u32(&c, &g->domain_id) ||
	    !cur_u8(&c, &g->flags))
		return TRUNC("GTID");
	g->server_id = ev->server_id;
	ev->kind = DM_BINLOG_KIND_MARIADB_GTID;
	if (g->flags & DM_BINLOG_MGTID_GROUP_COMMIT_ID) {
		if (!cur_u64(&c, &g->commit_id))
			return TRUNC("commit id");
	}
	if (g->flags & (DM_BINLOG_MGTID_PREPARED_XA |
			DM_BINLOG_MGTID_COMPLETED_XA)) {
		uint32_t fmt;
		const unsigned char *x;

		if (!cur_u32(&c, &fmt) || !cur_u8(&c, &g->xa_gtrid_length) ||
		    !cur_u8(&c, &g->xa_bqual_length))
			return TRUNC("XA id");
		if (g->xa_gtrid_length > 64 || g->xa_bqual_length > 64)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "XID lengths %u+%u exceed 64 "
					       "each", g->xa_gtrid_length,
					       g->xa_bqual_length);
		if (!cur_take(&c, (size_t)g->xa_gtrid_length +
				  g->xa_bqual_length, &x))
			return TRUNC("XA id data");
		g->xa_format_id = (int32_t)fmt;
		g->xa_data = (dm_str){ (const char *)x,
				       (size_t)g->xa_gtrid_length +
					       g->xa_bqual_length };
	}
	/* Extra flags follow when there are bytes left (10.5+); the zero
	 * padding of older servers reads as "no extra flags". */
	if (cur_left(&c) > 0) {
		cur_u8(&c, &g->flags_extra);
		if (g->flags_extra & 0x01) {
			if (!cur_u8(&c, &g->extra_engines))
				return TRUNC("extra engines");
		}
		if (g->flags_extra & (0x04 | 0x08)) {
			if (!cur_u64(&c, &g->sa_seq_no))
				return TRUNC("start-alter sequence number");
		}
	}
	return 0;
}

static int parse_gtid_list(dm_binlog_decoder *d, dm_binlog_event *ev,
			   dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_mariadb_gtid_list *l = &ev->u.gtid_list;
	const unsigned char *e;
	uint32_t v;

	if (!cur_u32(&c, &v))
		return TRUNC("GTID count");
	l->count = v & 0x0fffffffu;
	l->flags = (uint8_t)(v >> 28);
	if ((uint64_t)l->count * 16 > cur_left(&c))
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "%" PRIu32 " GTIDs need %" PRIu64
				       " bytes, %zu left", l->count,
				       (uint64_t)l->count * 16, cur_left(&c));
	cur_take(&c, (size_t)l->count * 16, &e);
	l->entries = e;
	ev->kind = DM_BINLOG_KIND_MARIADB_GTID_LIST;
	return 0;
}

static int parse_checkpoint(dm_binlog_decoder *d, dm_binlog_event *ev,
			    dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	const unsigned char *name;
	uint32_t len;

	if (!cur_u32(&c, &len) || !cur_take(&c, len, &name))
		return TRUNC("file name");
	ev->u.checkpoint.file = (dm_str){ (const char *)name, len };
	ev->kind = DM_BINLOG_KIND_MARIADB_BINLOG_CHECKPOINT;
	return 0;
}

/* ------------------------------------------------------------ LOAD DATA */

static int parse_block(dm_binlog_decoder *d, dm_binlog_event *ev,
		       dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);

	if (!cur_u32(&c, &ev->u.load.file_id))
		return TRUNC("file id");
	ev->u.load.block = (dm_str){ (const char *)cur_here(&c), cur_left(&c) };
	ev->kind = DM_BINLOG_KIND_LOAD_DATA;
	return 0;
}

static bool take_str8(dm__cur *c, dm_str *out)
{
	uint8_t len;
	const unsigned char *p;

	if (!cur_u8(c, &len) || !cur_take(c, len, &p))
		return false;
	*out = (dm_str){ (const char *)p, len };
	return true;
}

static bool take_char(dm__cur *c, dm_str *out)
{
	const unsigned char *p;

	if (!cur_take(c, 1, &p))
		return false;
	*out = (dm_str){ (const char *)p, 1 };
	return true;
}

/* LOAD (6), NEW_LOAD (12) and CREATE_FILE (8): the LOAD DATA statement in
 * parts, and for CREATE_FILE the first block of the file. */
static int parse_load(dm_binlog_decoder *d, dm_binlog_event *ev,
		      dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	dm_binlog_load_data *l = &ev->u.load;
	uint8_t table_len, db_len;
	uint32_t nfields;
	const unsigned char *lens, *p;
	size_t i, names = 0, phl;
	bool newfmt = ev->type != DM_BINLOG_LOAD_EVENT;

	/* CREATE_FILE's own post-header (the file id) follows LOAD's. */
	phl = ev->type == DM_BINLOG_CREATE_FILE_EVENT ? 18 :
		phl_of(d, ev->type, 18);
	if (!cur_u32(&c, &l->thread_id) || !cur_u32(&c, &l->exec_time) ||
	    !cur_u32(&c, &l->skip_lines) || !cur_u8(&c, &table_len) ||
	    !cur_u8(&c, &db_len) || !cur_u32(&c, &nfields))
		return TRUNC("LOAD post-header");
	if (c.i < phl && !cur_skip(&c, phl - c.i))
		return TRUNC("post-header");
	if (ev->type == DM_BINLOG_CREATE_FILE_EVENT &&
	    !cur_u32(&c, &l->file_id))
		return TRUNC("file id");
	if (newfmt) {
		if (!take_str8(&c, &l->field_term) ||
		    !take_str8(&c, &l->enclosed) ||
		    !take_str8(&c, &l->line_term) ||
		    !take_str8(&c, &l->line_start) ||
		    !take_str8(&c, &l->escaped) || !cur_u8(&c, &l->opt_flags))
			return TRUNC("LOAD DATA options");
	} else {
		uint8_t empty;

		if (!take_char(&c, &l->field_term) ||
		    !take_char(&c, &l->enclosed) ||
		    !take_char(&c, &l->line_term) ||
		    !take_char(&c, &l->line_start) ||
		    !take_char(&c, &l->escaped) || !cur_u8(&c, &l->opt_flags) ||
		    !cur_u8(&c, &empty))
			return TRUNC("LOAD DATA options");
	}
	if (!cur_take(&c, nfields, &lens))
		return TRUNC("field lengths");
	l->nfields = nfields;
	l->field_lens = lens;
	for (i = 0; i < nfields; i++)
		names += (size_t)lens[i] + 1;
	if (!cur_take(&c, names, &p))
		return TRUNC("field names");
	l->fields = (dm_str){ (const char *)p, names };
	if (!cur_take(&c, table_len, &p) || !cur_skip(&c, 1))
		return TRUNC("table name");
	l->table = (dm_str){ (const char *)p, table_len };
	if (!cur_take(&c, db_len, &p) || !cur_skip(&c, 1))
		return TRUNC("schema name");
	l->schema = (dm_str){ (const char *)p, db_len };
	p = cur_here(&c);
	if (ev->type == DM_BINLOG_CREATE_FILE_EVENT) {
		const unsigned char *z = memchr(p, 0, cur_left(&c));

		if (!z)
			return TRUNC("file name");
		l->file_name = (dm_str){ (const char *)p, (size_t)(z - p) };
		cur_skip(&c, (size_t)(z - p) + 1);
		l->block = (dm_str){ (const char *)cur_here(&c), cur_left(&c) };
	} else {
		l->file_name = (dm_str){ (const char *)p, cur_left(&c) };
	}
	ev->kind = DM_BINLOG_KIND_LOAD_DATA;
	return 0;
}

/* ------------------------------------------------------------- dispatch */

int dm__binlog_parse_body(dm_binlog_decoder *d, dm_binlog_event *ev,
			  dm_error **err)
{
	switch (ev->type) {
	case DM_BINLOG_QUERY_EVENT:
	case DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT:
	case DM_BINLOG_MARIADB_QUERY_COMPRESSED_EVENT:
		return parse_query(d, ev, err);
	case DM_BINLOG_STOP_EVENT:
		ev->kind = DM_BINLOG_KIND_STOP;
		return 0;
	case DM_BINLOG_ROTATE_EVENT:
		return parse_rotate(d, ev, err);
	case DM_BINLOG_INTVAR_EVENT:
		return parse_intvar(d, ev, err);
	case DM_BINLOG_RAND_EVENT:
		return parse_rand(d, ev, err);
	case DM_BINLOG_USER_VAR_EVENT:
		return parse_user_var(d, ev, err);
	case DM_BINLOG_XID_EVENT:
		return parse_xid(d, ev, err);
	case DM_BINLOG_INCIDENT_EVENT:
		return parse_incident(d, ev, err);
	case DM_BINLOG_HEARTBEAT_EVENT:
	case DM_BINLOG_HEARTBEAT_EVENT_V2:
		return parse_heartbeat(d, ev, err);
	case DM_BINLOG_TABLE_MAP_EVENT:
		return dm__binlog_table_map(d, ev, err);
	case DM_BINLOG_PRE_GA_WRITE_ROWS_EVENT:
	case DM_BINLOG_PRE_GA_UPDATE_ROWS_EVENT:
	case DM_BINLOG_PRE_GA_DELETE_ROWS_EVENT:
	case DM_BINLOG_WRITE_ROWS_EVENT_V1:
	case DM_BINLOG_UPDATE_ROWS_EVENT_V1:
	case DM_BINLOG_DELETE_ROWS_EVENT_V1:
	case DM_BINLOG_WRITE_ROWS_EVENT:
	case DM_BINLOG_UPDATE_ROWS_EVENT:
	case DM_BINLOG_DELETE_ROWS_EVENT:
	case DM_BINLOG_PARTIAL_UPDATE_ROWS_EVENT:
	case DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
	case DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
	case DM_BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1:
	case DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT:
	case DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT:
	case DM_BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT:
		return dm__binlog_rows_header(d, ev, err);
	case DM_BINLOG_ROWS_QUERY_EVENT:
	case DM_BINLOG_MARIADB_ANNOTATE_ROWS_EVENT:
		return parse_rows_query(d, ev, err);
	case DM_BINLOG_GTID_EVENT:
	case DM_BINLOG_ANONYMOUS_GTID_EVENT:
		return parse_gtid(d, ev, err);
	case DM_BINLOG_GTID_TAGGED_EVENT:
		return parse_gtid_tagged(d, ev, err);
	case DM_BINLOG_PREVIOUS_GTIDS_EVENT:
		return parse_previous_gtids(d, ev, err);
	case DM_BINLOG_TRANSACTION_PAYLOAD_EVENT:
		if (ev->inner)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "a transaction payload inside a "
					       "transaction payload");
		return parse_payload(d, ev, err);
	case DM_BINLOG_XA_PREPARE_EVENT:
		return parse_xa_prepare(d, ev, err);
	case DM_BINLOG_MARIADB_GTID_EVENT:
		return parse_mariadb_gtid(d, ev, err);
	case DM_BINLOG_MARIADB_GTID_LIST_EVENT:
		return parse_gtid_list(d, ev, err);
	case DM_BINLOG_MARIADB_BINLOG_CHECKPOINT_EVENT:
		return parse_checkpoint(d, ev, err);
	case DM_BINLOG_MARIADB_START_ENCRYPTION_EVENT:
		return dm__binlog_fail(d, err, DM_E_NOT_SUPPORTED,
				       "encrypted binlogs are not supported "
				       "(MariaDB encrypt_binlog is on)");
	case DM_BINLOG_APPEND_BLOCK_EVENT:
	case DM_BINLOG_BEGIN_LOAD_QUERY_EVENT:
	case DM_BINLOG_EXEC_LOAD_EVENT:
	case DM_BINLOG_DELETE_FILE_EVENT:
		return parse_block(d, ev, err);
	case DM_BINLOG_LOAD_EVENT:
	case DM_BINLOG_NEW_LOAD_EVENT:
	case DM_BINLOG_CREATE_FILE_EVENT:
		return parse_load(d, ev, err);
	case DM_BINLOG_SLAVE_EVENT:
	case DM_BINLOG_IGNORABLE_EVENT:
	case DM_BINLOG_TRANSACTION_CONTEXT_EVENT:
	case DM_BINLOG_VIEW_CHANGE_EVENT:
		ev->kind = DM_BINLOG_KIND_RAW;
		return 0;
	case DM_BINLOG_FORMAT_DESCRIPTION_EVENT:
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "a format description inside a "
				       "transaction payload");
	case DM_BINLOG_START_EVENT_V3:
		return dm__binlog_fail(d, err, DM_E_NOT_SUPPORTED,
				       "binlog format version 1 or 3 (MySQL "
				       "4.x and older) is not supported");
	default:
		if (ev->flags & DM_BINLOG_F_IGNORABLE) {
			ev->kind = DM_BINLOG_KIND_UNKNOWN;
			return 0;
		}
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_TYPE_NOT_VALID,
				       "unknown event type %u without the "
				       "ignorable flag", ev->type);
	}
}
