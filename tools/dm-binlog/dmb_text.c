/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog --format=text: what `mariadb-binlog --verbose
 * --base64-output=decode-rows` prints. The "###" row lines come from the
 * library (dm_binlog_format_rows_text) and are byte for byte that tool's;
 * the other lines follow it as closely as the events allow: "# at N", the
 * "#YYMMDD HH:MM:SS server id ..." headers, the session SET statements it
 * prints only when they change, statements and their delimiter.
 * Events that tool cannot decode (MySQL GTIDs, PREVIOUS_GTIDS, ROWS_QUERY,
 * TRANSACTION_PAYLOAD, XA_PREPARE, partial JSON updates) are printed in
 * the same style, the way MySQL's mysqlbinlog shows them.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "dmb.h"

#define DELIM "/*!*/;"

/* Query flags2 bits (the server's OPTION_* values in the binlog). */
#define F2_AUTO_IS_NULL (1u << 14)
#define F2_NO_CHECK_CONSTRAINT (1u << 15)
#define F2_NOT_AUTOCOMMIT (1u << 19)
#define F2_NO_FOREIGN_KEY_CHECKS (1u << 26)
#define F2_RELAXED_UNIQUE_CHECKS (1u << 27)
#define F2_IF_EXISTS (1u << 28)
#define F2_EXPLICIT_DEF_TIMESTAMP (1u << 24)
#define F2_INSERT_HISTORY (1u << 30)

/* Rows of one statement are held back until its last event, as the
 * reference does; past this size they are written out early. */
#define MAX_HELD ((size_t)8 << 20)

typedef struct text_state {
	/* What the SET lines printed so far established. */
	dm_buf db;
	bool thread_id_printed;
	uint32_t thread_id;
	bool flags2_inited;
	uint32_t flags2;
	bool sql_mode_inited;
	uint64_t sql_mode;
	uint32_t auto_inc, auto_off;
	bool charset_inited;
	uint16_t charset[3];
	dm_buf time_zone;
	uint32_t lc_time_names;
	uint32_t charset_database;
	bool gtid_printed;
	bool allow_parallel;
	uint32_t domain_id, server_id;
	/* The statement whose rows are held back. */
	dm_buf head, body;
	dm_buf annotate;        /* an Annotate_rows waiting for its Table_map */
	uint64_t nrows;
	bool holding;
	bool in_payload;
	bool mariadb;           /* the last FDE came from MariaDB */
	bool started;           /* the preamble was printed */
	bool when_valid;        /* when_text is the text of `when` */
	uint32_t when;
	dm_buf when_text;
	/* The last position printed: an event's end_log_pos is the next
	 * event's "# at". */
	uint64_t pos;
	char pos_text[24];
	size_t pos_len;
} text_state;

static text_state *st(dmb_run *r)
{
	return r->printer;
}

static void reset_session(text_state *s)
{
	dm_buf_truncate(&s->db, 0);
	s->thread_id_printed = false;
	s->flags2_inited = false;
	s->sql_mode_inited = false;
	s->auto_inc = s->auto_off = 0;
	s->charset_inited = false;
	dm_buf_truncate(&s->time_zone, 0);
	s->lc_time_names = UINT32_MAX;
	s->charset_database = UINT32_MAX;
	s->gtid_printed = false;
}

static int text_begin(dmb_run *r, dm_error **err)
{
	text_state *s = calloc(1, sizeof(*s));

	if (!s)
		return dmb_nomem(err);
	reset_session(s);
	r->printer = s;
	return 0;
}

static int text_file_begin(dmb_run *r, const char *name, dm_error **err)
{
	text_state *s = st(r);

	(void)name;
	/* The preamble waits for the first input that opens. */
	if (!s->started &&
	    dmb_puts(&r->out.buf,
			"/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=1*/;\n"
			"/*!40019 SET @@session.max_delayed_threads=0*/;\n"
			"/*!50003 SET @OLD_COMPLETION_TYPE=@@COMPLETION_TYPE,"
			"COMPLETION_TYPE=0*/;\n"))
		return dmb_nomem(err);
	s->started = true;
	return dmb_puts(&r->out.buf, "DELIMITER " DELIM "\n") ?
		dmb_nomem(err) : 0;
}

/* ------------------------------------------------------------ headers */

static int put_time(dm_buf *b, uint32_t when)
{
	time_t t = (time_t)when;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	return dm_buf_printf(b, "%02d%02d%02d %2d:%02d:%02d", tm.tm_year % 100,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			     tm.tm_sec);
}

/* A position in decimal, through the one-entry cache. */
static int put_pos(text_state *s, dm_buf *b, uint64_t pos)
{
	size_t from = b->len;

	if (s->pos_len && s->pos == pos)
		return dmb_append(b, s->pos_text, s->pos_len);
	if (dmb_put_u64(b, pos))
		return DM_E_NO_MEMORY;
	s->pos = pos;
	s->pos_len = b->len - from;
	memcpy(s->pos_text, b->data + from, s->pos_len);
	return 0;
}

/* "#YYMMDD HH:MM:SS server id N  end_log_pos N [CRC32 0x........ ]".
 * Events come in runs with the same time: its text is kept. */
static int put_header(dmb_run *r, dm_buf *b, const dm_binlog_event *ev)
{
	static const char hex[] = "0123456789abcdef";
	text_state *s = st(r);
	int rc;

	if (!s->when_valid || s->when != ev->timestamp) {
		dm_buf_truncate(&s->when_text, 0);
		if (put_time(&s->when_text, ev->timestamp))
			return DM_E_NO_MEMORY;
		s->when = ev->timestamp;
		s->when_valid = true;
	}
	rc = dmb_putc(b, '#');
	if (!rc)
		rc = dmb_append(b, s->when_text.data, s->when_text.len);
	if (!rc)
		rc = dmb_puts(b, " server id ");
	if (!rc)
		rc = dmb_put_u64(b, ev->server_id);
	if (!rc)
		rc = dmb_puts(b, "  end_log_pos ");
	if (!rc)
		rc = put_pos(s, b, ev->log_pos);
	if (!rc)
		rc = dmb_putc(b, ' ');
	if (!rc && ev->has_checksum &&
	    (ev->kind == DM_BINLOG_KIND_FORMAT_DESCRIPTION ?
		     ev->u.fde.checksum_alg == DM_BINLOG_CHECKSUM_CRC32 :
		     dm_binlog_decoder_checksum(r->dec) ==
			     DM_BINLOG_CHECKSUM_CRC32)) {
		char crc[17] = "CRC32 0x";
		unsigned k;

		/* A byte (two digits) per step. */
		for (k = 0; k < 4; k++) {
			unsigned byte = (ev->checksum >> (24 - 8 * k)) & 0xff;

			crc[8 + 2 * k] = hex[byte >> 4];
			crc[9 + 2 * k] = hex[byte & 15];
		}
		crc[16] = ' ';
		rc = dmb_append(b, crc, sizeof(crc));
	}
	return rc;
}

static int put_at(dmb_run *r, const dm_binlog_event *ev)
{
	int rc = dmb_puts(&r->out.buf, "# at ");

	if (!rc)
		rc = put_pos(st(r), &r->out.buf,
			     ev->inner ? r->outer_pos : ev->pos);
	return rc ? rc : dmb_putc(&r->out.buf, '\n');
}

/* Writes the held-back statement: headers, rows, row count. */
static int release(dmb_run *r)
{
	text_state *s = st(r);
	int rc;

	if (!s->holding)
		return 0;
	rc = dmb_append(&r->out.buf, s->head.data, s->head.len);
	if (!rc)
		rc = dmb_append(&r->out.buf, s->body.data, s->body.len);
	if (!rc)
		rc = dm_buf_printf(&r->out.buf, "# Number of rows: %" PRIu64
				   "\n", s->nrows);
	dm_buf_truncate(&s->head, 0);
	dm_buf_truncate(&s->body, 0);
	s->nrows = 0;
	s->holding = false;
	return rc;
}

/* ------------------------------------------------------------- queries */

static void flag_opt(dm_buf *b, uint32_t changed, uint32_t bit, bool value,
		     const char *name, bool *comma)
{
	if (!(changed & bit))
		return;
	dm_buf_printf(b, "%s%s=%d", *comma ? ", " : "", name, value ? 1 : 0);
	*comma = true;
}

static bool str_eq(const dm_buf *b, const dm_str *s)
{
	return b->len == s->len && (s->len == 0 || memcmp(b->data, s->ptr, s->len) == 0);
}

/* BEGIN, COMMIT, SAVEPOINT ..., ROLLBACK ..., XA ...: statements that keep the
 * default database of the statements around them. */
static bool is_trans_keyword(const dm_binlog_query *q)
{
	const char *p = q->query.ptr;
	size_t n = q->query.len;

	return (n && n <= 5 && strncmp(p, "BEGIN", n) == 0) ||
	       (n && n <= 6 && strncmp(p, "COMMIT", n) == 0) ||
	       (n >= 9 && strncasecmp(p, "SAVEPOINT", 9) == 0) ||
	       (n >= 8 && strncasecmp(p, "ROLLBACK", 8) == 0) ||
	       (n >= 3 && strncasecmp(p, "XA ", 3) == 0);
}

static int put_query_header(dmb_run *r, dm_buf *b, const dm_binlog_event *ev,
			    const char *name)
{
	text_state *s = st(r);
	const dm_binlog_query *q = &ev->u.query;
	const dm_binlog_query_status *qs = &q->status;
	uint64_t pr = qs->present;
	int rc;

	rc = put_header(r, b, ev);
	if (rc)
		return rc;
	dm_buf_printf(b, "\t%s\tthread_id=%" PRIu32 "\texec_time=%" PRIu32
		      "\terror_code=%u\txid=%" PRIu64 "\n", name, q->thread_id,
		      q->exec_time, q->error_code,
		      (pr & DM_BINLOG_Q_BIT(129)) ? qs->xid : 0);
	if (is_trans_keyword(q)) {
		/* Keeps the database of the statements around it. */
	} else if (ev->flags & DM_BINLOG_F_SUPPRESS_USE) {
		dm_buf_truncate(&s->db, 0);
	} else if (!str_eq(&s->db, &q->schema)) {
		dm_buf_truncate(&s->db, 0);
		dmb_append(&s->db, q->schema.ptr, q->schema.len);
		if (q->schema.len) {
			dmb_puts(b, "use ");
			dmb_put_ident(b, q->schema.ptr, q->schema.len);
			dmb_puts(b, DELIM "\n");
		}
	}
	dm_buf_printf(b, "SET TIMESTAMP=%" PRIu32, ev->timestamp);
	if ((pr & DM_BINLOG_Q_BIT(128)) && qs->hrnow_usec &&
	    qs->hrnow_usec <= 999999)
		dm_buf_printf(b, ".%06" PRIu32, qs->hrnow_usec);
	dmb_puts(b, DELIM "\n");
	if (!s->thread_id_printed ||
	    ((ev->flags & DM_BINLOG_F_THREAD_SPECIFIC) &&
	     q->thread_id != s->thread_id)) {
		dm_buf_printf(b, "SET @@session.pseudo_thread_id=%" PRIu32
			      DELIM "\n", q->thread_id);
		s->thread_id = q->thread_id;
		s->thread_id_printed = true;
	}
	if (pr & DM_BINLOG_Q_BIT(0)) {
		uint32_t f = qs->flags2;
		uint32_t changed = s->flags2_inited ? s->flags2 ^ f : UINT32_MAX;

		s->flags2_inited = true;
		if (!s->mariadb)
			changed &= ~(F2_IF_EXISTS | F2_EXPLICIT_DEF_TIMESTAMP);
		changed &= F2_AUTO_IS_NULL | F2_NO_CHECK_CONSTRAINT |
			   F2_NOT_AUTOCOMMIT | F2_NO_FOREIGN_KEY_CHECKS |
			   F2_RELAXED_UNIQUE_CHECKS | F2_IF_EXISTS |
			   F2_EXPLICIT_DEF_TIMESTAMP | F2_INSERT_HISTORY;
		if (changed) {
			bool comma = false;

			dmb_puts(b, "SET ");
			flag_opt(b, changed, F2_NO_FOREIGN_KEY_CHECKS,
				 !(f & F2_NO_FOREIGN_KEY_CHECKS),
				 "@@session.foreign_key_checks", &comma);
			flag_opt(b, changed, F2_AUTO_IS_NULL,
				 f & F2_AUTO_IS_NULL,
				 "@@session.sql_auto_is_null", &comma);
			flag_opt(b, changed, F2_RELAXED_UNIQUE_CHECKS,
				 !(f & F2_RELAXED_UNIQUE_CHECKS),
				 "@@session.unique_checks", &comma);
			flag_opt(b, changed, F2_NOT_AUTOCOMMIT,
				 !(f & F2_NOT_AUTOCOMMIT),
				 "@@session.autocommit", &comma);
			flag_opt(b, changed, F2_NO_CHECK_CONSTRAINT,
				 !(f & F2_NO_CHECK_CONSTRAINT),
				 "@@session.check_constraint_checks", &comma);
			flag_opt(b, changed, F2_IF_EXISTS, f & F2_IF_EXISTS,
				 "@@session.sql_if_exists", &comma);
			flag_opt(b, changed, F2_EXPLICIT_DEF_TIMESTAMP,
				 f & F2_EXPLICIT_DEF_TIMESTAMP,
				 "@@session.explicit_defaults_for_timestamp",
				 &comma);
			flag_opt(b, changed, F2_INSERT_HISTORY,
				 f & F2_INSERT_HISTORY,
				 "@@session.system_versioning_insert_history",
				 &comma);
			dmb_puts(b, DELIM "\n");
		}
		s->flags2 = f;
	}
	if ((pr & DM_BINLOG_Q_BIT(1)) &&
	    (!s->sql_mode_inited || s->sql_mode != qs->sql_mode)) {
		dm_buf_printf(b, "SET @@session.sql_mode=%" PRIu64 DELIM "\n",
			      qs->sql_mode);
		s->sql_mode = qs->sql_mode;
		s->sql_mode_inited = true;
	}
	{
		uint32_t inc = (pr & DM_BINLOG_Q_BIT(3)) ?
				       qs->auto_increment_increment : 1;
		uint32_t off = (pr & DM_BINLOG_Q_BIT(3)) ?
				       qs->auto_increment_offset : 1;

		if (inc != s->auto_inc || off != s->auto_off) {
			dm_buf_printf(b, "SET @@session.auto_increment_increment="
				      "%" PRIu32 ", @@session.auto_increment_"
				      "offset=%" PRIu32 DELIM "\n", inc, off);
			s->auto_inc = inc;
			s->auto_off = off;
		}
	}
	if ((pr & DM_BINLOG_Q_BIT(4)) &&
	    (!s->charset_inited || s->charset[0] != qs->charset_client ||
	     s->charset[1] != qs->collation_connection ||
	     s->charset[2] != qs->collation_server)) {
		const char *cs = dmb_charset_name(qs->charset_client);

		if (cs)
			dm_buf_printf(b, "/*!\\C %s */" DELIM "\n", cs);
		if (cs)
			dm_buf_printf(b, "SET @@session.character_set_client=%s",
				      cs);
		else
			dm_buf_printf(b, "SET @@session.character_set_client="
				      "%u", qs->charset_client);
		dm_buf_printf(b, ",@@session.collation_connection=%u,"
			      "@@session.collation_server=%u" DELIM "\n",
			      qs->collation_connection, qs->collation_server);
		s->charset[0] = qs->charset_client;
		s->charset[1] = qs->collation_connection;
		s->charset[2] = qs->collation_server;
		s->charset_inited = true;
	}
	if ((pr & DM_BINLOG_Q_BIT(5)) && qs->time_zone.len &&
	    !str_eq(&s->time_zone, &qs->time_zone)) {
		dmb_puts(b, "SET @@session.time_zone='");
		dmb_append(b, qs->time_zone.ptr, qs->time_zone.len);
		dmb_puts(b, "'" DELIM "\n");
		dm_buf_truncate(&s->time_zone, 0);
		dmb_append(&s->time_zone, qs->time_zone.ptr, qs->time_zone.len);
	}
	{
		uint32_t lc = (pr & DM_BINLOG_Q_BIT(7)) ? qs->lc_time_names : 0;
		uint32_t cdb = (pr & DM_BINLOG_Q_BIT(8)) ?
				       qs->charset_database : 0;

		if (lc != s->lc_time_names) {
			dm_buf_printf(b, "SET @@session.lc_time_names=%" PRIu32
				      DELIM "\n", lc);
			s->lc_time_names = lc;
		}
		if (cdb != s->charset_database) {
			if (cdb)
				dm_buf_printf(b, "SET @@session.collation_"
					      "database=%" PRIu32 DELIM "\n", cdb);
			else
				dmb_puts(b, "SET @@session.collation_database"
					    "=DEFAULT" DELIM "\n");
			s->charset_database = cdb;
		}
	}
	return b->data ? 0 : DM_E_NO_MEMORY;
}

static int put_query(dmb_run *r, dm_buf *b, const dm_binlog_event *ev,
		     const char *name)
{
	const dm_binlog_query *q = &ev->u.query;
	int rc = put_query_header(r, b, ev, name);

	if (!rc)
		rc = dmb_append(b, q->query.ptr, q->query.len);
	if (!rc)
		rc = dmb_puts(b, "\n" DELIM "\n");
	if (!rc && ev->type == DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT)
		rc = dm_buf_printf(b, "# file_id: %" PRIu32 " \n", q->file_id);
	return rc;
}

/* --------------------------------------------------------------- rows */

static const char *rows_name(const dm_binlog_event *ev)
{
	switch (ev->type) {
	case DM_BINLOG_PRE_GA_WRITE_ROWS_EVENT:
	case DM_BINLOG_WRITE_ROWS_EVENT_V1:
	case DM_BINLOG_WRITE_ROWS_EVENT:
		return "Write_rows";
	case DM_BINLOG_PRE_GA_UPDATE_ROWS_EVENT:
	case DM_BINLOG_UPDATE_ROWS_EVENT_V1:
	case DM_BINLOG_UPDATE_ROWS_EVENT:
		return "Update_rows";
	case DM_BINLOG_PRE_GA_DELETE_ROWS_EVENT:
	case DM_BINLOG_DELETE_ROWS_EVENT_V1:
	case DM_BINLOG_DELETE_ROWS_EVENT:
		return "Delete_rows";
	case DM_BINLOG_PARTIAL_UPDATE_ROWS_EVENT:
		return "Update_rows_partial";
	case DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1:
	case DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT:
		return "Write_compressed_rows";
	case DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1:
	case DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT:
		return "Update_compressed_rows";
	default:
		return "Delete_compressed_rows";
	}
}

/* Rows in `text` from `from` on: the lines that start with the action's
 * "### INSERT INTO ", "### UPDATE " or "### DELETE FROM " (values cannot
 * hold a newline: they print control bytes as \xNN). */
static uint64_t count_rows(const dm_buf *b, size_t from,
			   dm_binlog_rows_action action)
{
	const char *p = b->data + from, *end = b->data + b->len;
	const char *head = action == DM_BINLOG_ROWS_WRITE ? "### INSERT INTO " :
			   action == DM_BINLOG_ROWS_DELETE ? "### DELETE FROM " :
							     "### UPDATE ";
	size_t hn = strlen(head);
	uint64_t n = 0;

	/* Line by line: the fifth byte tells the row's first line from the
	 * "### SET", "### WHERE" and "###   @N=" lines. */
	while (p < end) {
		const char *nl;

		if ((size_t)(end - p) >= hn && p[4] == head[4] &&
		    memcmp(p, head, hn) == 0)
			n++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		p = nl + 1;
	}
	return n;
}

static int put_rows(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	text_state *s = st(r);
	const dm_binlog_rows *rows = &ev->u.rows;
	bool end = rows->flags & DM_BINLOG_ROWS_F_STMT_END;
	/* A statement of one event goes straight out; the rows of longer
	 * ones wait for the headers of all their events. */
	dm_buf *head = s->holding || !end ? &s->head : &r->out.buf;
	dm_buf *body = s->holding || !end ? &s->body : &r->out.buf;
	size_t from;
	int rc;

	rc = put_header(r, head, ev);
	if (!rc)
		rc = dmb_putc(head, '\t');
	if (!rc)
		rc = dmb_puts(head, rows_name(ev));
	if (!rc)
		rc = dmb_puts(head, ": table id ");
	if (!rc)
		rc = dmb_put_u64(head, rows->table_id);
	if (!rc)
		rc = dmb_puts(head, end ? " flags: STMT_END_F\n" : "\n");
	if (rc)
		return dmb_nomem(err);
	from = body->len;
	rc = dm_binlog_format_rows_text(body, r->dec, ev, err);
	if (rc)
		return rc;
	if (body->len > from && body->data[body->len - 1] != '\n' &&
	    dmb_putc(body, '\n'))
		return dmb_nomem(err);
	s->nrows += count_rows(body, from, rows->action);
	if (body == &r->out.buf) {
		rc = dmb_puts(body, "# Number of rows: ");
		if (!rc)
			rc = dmb_put_u64(body, s->nrows);
		if (!rc)
			rc = dmb_putc(body, '\n');
		s->nrows = 0;
		return rc ? dmb_nomem(err) : 0;
	}
	s->holding = true;
	if (end || s->head.len + s->body.len > MAX_HELD)
		return release(r) ? dmb_nomem(err) : 0;
	return 0;
}

/* -------------------------------------------------------- other events */

static int put_fde(dmb_run *r, dm_buf *b, const dm_binlog_event *ev)
{
	const dm_binlog_fde *f = &ev->u.fde;
	text_state *s = st(r);

	s->mariadb = f->mariadb;
	/* The session lines come again after each format description. */
	reset_session(s);
	put_header(r, b, ev);
	dm_buf_printf(b, "\tStart: binlog v %u, server v %s created ",
		      f->binlog_version, f->server_version);
	put_time(b, f->create_timestamp ? f->create_timestamp : ev->timestamp);
	if (f->create_timestamp)
		dmb_puts(b, " at startup");
	dmb_putc(b, '\n');
	if (ev->flags & DM_BINLOG_F_BINLOG_IN_USE)
		dmb_puts(b, "# Warning: this binlog is either in use or was "
			    "not closed properly.\n");
	if (f->create_timestamp && !(ev->flags & DM_BINLOG_F_ARTIFICIAL)) {
		/* A server (re)start: the session state is new. */
		dmb_puts(b, "ROLLBACK" DELIM "\n");
	}
	return 0;
}

static int put_user_var(dm_buf *b, const dm_binlog_user_var *u,
			dm_error **err)
{
	dmb_puts(b, "\tUser_var\nSET @");
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
		int rc = dm_value_format_text(b, &u->decoded, err);

		if (rc)
			return rc;
	}
	return dmb_puts(b, DELIM "\n");
}

static int put_mariadb_gtid(dmb_run *r, dm_buf *b, const dm_binlog_event *ev)
{
	const dm_binlog_mariadb_gtid *g = &ev->u.mariadb_gtid;
	text_state *s = st(r);
	bool parallel = g->flags & DM_BINLOG_MGTID_ALLOW_PARALLEL;

	put_header(r, b, ev);
	dmb_puts(b, "\tGTID ");
	dmb_put_u64(b, g->domain_id);
	dmb_putc(b, '-');
	dmb_put_u64(b, g->server_id);
	dmb_putc(b, '-');
	dmb_put_u64(b, g->seq_no);
	if (g->flags & DM_BINLOG_MGTID_GROUP_COMMIT_ID) {
		dmb_puts(b, " cid=");
		dmb_put_u64(b, g->commit_id);
	}
	if (g->flags & DM_BINLOG_MGTID_DDL)
		dmb_puts(b, " ddl");
	else if (g->flags & DM_BINLOG_MGTID_TRANSACTIONAL)
		dmb_puts(b, " trans");
	dmb_putc(b, '\n');
	if (!s->gtid_printed || s->allow_parallel != parallel)
		dm_buf_printf(b, "/*M!100101 SET @@session.skip_parallel_"
			      "replication=%u*/" DELIM "\n", parallel ? 0 : 1);
	if (!s->gtid_printed || s->domain_id != g->domain_id)
		dm_buf_printf(b, "/*M!100001 SET @@session.gtid_domain_id=%"
			      PRIu32 "*/" DELIM "\n", g->domain_id);
	if (!s->gtid_printed || s->server_id != g->server_id)
		dm_buf_printf(b, "/*M!100001 SET @@session.server_id=%" PRIu32
			      "*/" DELIM "\n", g->server_id);
	dmb_puts(b, "/*M!100001 SET @@session.gtid_seq_no=");
	dmb_put_u64(b, g->seq_no);
	dmb_puts(b, "*/" DELIM "\n");
	s->gtid_printed = true;
	s->allow_parallel = parallel;
	s->domain_id = g->domain_id;
	s->server_id = g->server_id;
	if (g->flags & DM_BINLOG_MGTID_PREPARED_XA) {
		const unsigned char *x = (const unsigned char *)g->xa_data.ptr;
		size_t gl = g->xa_gtrid_length, bl = g->xa_bqual_length;

		if (gl + bl > g->xa_data.len)
			gl = bl = 0;
		dmb_puts(b, "XA START X'");
		dmb_hex(b, x, gl, false);
		dmb_puts(b, "',X'");
		dmb_hex(b, x + gl, bl, false);
		dm_buf_printf(b, "',%" PRId32 DELIM "\n", g->xa_format_id);
	} else if (!(g->flags & DM_BINLOG_MGTID_STANDALONE)) {
		dmb_puts(b, "START TRANSACTION\n" DELIM "\n");
	}
	return 0;
}

static int put_iso_usec(dm_buf *b, uint64_t usec)
{
	time_t t = (time_t)(usec / 1000000);
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	return dm_buf_printf(b, "%04d-%02d-%02d %02d:%02d:%02d.%06u UTC",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			     tm.tm_hour, tm.tm_min, tm.tm_sec,
			     (unsigned)(usec % 1000000));
}

/* MySQL GTID / ANONYMOUS_GTID / GTID_TAGGED, as mysqlbinlog prints them. */
static int put_mysql_gtid(dmb_run *r, dm_buf *b, const dm_binlog_event *ev)
{
	const dm_binlog_gtid *g = &ev->u.gtid;
	bool anon = ev->type == DM_BINLOG_ANONYMOUS_GTID_EVENT;
	char uuid[37];

	put_header(r, b, ev);
	dm_buf_printf(b, "\t%s", anon ? "Anonymous_GTID" : "GTID");
	if (g->has_logical_clock)
		dm_buf_printf(b, "\tlast_committed=%" PRId64
			      "\tsequence_number=%" PRId64, g->last_committed,
			      g->sequence_number);
	dm_buf_printf(b, "\trbr_only=%s", (g->flags & 1) ? "no" : "yes");
	if (g->has_commit_ts)
		dm_buf_printf(b, "\toriginal_committed_timestamp=%" PRIu64
			      "\timmediate_commit_timestamp=%" PRIu64,
			      g->original_commit_ts, g->immediate_commit_ts);
	if (g->has_transaction_length)
		dm_buf_printf(b, "\ttransaction_length=%" PRIu64,
			      g->transaction_length);
	dmb_putc(b, '\n');
	if (!(g->flags & 1))
		dmb_puts(b, "/*!50718 SET TRANSACTION ISOLATION LEVEL READ "
			    "COMMITTED*/" DELIM "\n");
	if (g->has_commit_ts) {
		dm_buf_printf(b, "# original_commit_timestamp=%" PRIu64 " (",
			      g->original_commit_ts);
		put_iso_usec(b, g->original_commit_ts);
		dm_buf_printf(b, ")\n# immediate_commit_timestamp=%" PRIu64 " (",
			      g->immediate_commit_ts);
		put_iso_usec(b, g->immediate_commit_ts);
		dm_buf_printf(b, ")\n/*!80001 SET @@session.original_commit_"
			      "timestamp=%" PRIu64 "*/" DELIM "\n",
			      g->original_commit_ts);
	}
	if (g->has_server_version)
		dm_buf_printf(b, "/*!80014 SET @@session.original_server_version"
			      "=%" PRIu32 "*/" DELIM "\n/*!80014 SET @@session."
			      "immediate_server_version=%" PRIu32 "*/" DELIM
			      "\n", g->original_server_version,
			      g->immediate_server_version);
	if (anon) {
		dmb_puts(b, "SET @@SESSION.GTID_NEXT= 'ANONYMOUS'" DELIM "\n");
		return 0;
	}
	dmb_uuid_text(uuid, g->uuid);
	dm_buf_printf(b, "SET @@SESSION.GTID_NEXT= '%s:", uuid);
	if (g->tag.len) {
		dmb_append(b, g->tag.ptr, g->tag.len);
		dmb_putc(b, ':');
	}
	return dm_buf_printf(b, "%" PRId64 "'" DELIM "\n", g->gno);
}

/* Text with each line prefixed, e.g. "# " or "#Q> ". */
static int put_commented(dm_buf *b, const char *prefix, const dm_str *text)
{
	const char *p = text->ptr, *end = p + text->len;
	int rc = 0;

	while (p < end && !rc) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		rc = dmb_puts(b, prefix);
		if (!rc)
			rc = dmb_append(b, p, n);
		if (!rc)
			rc = dmb_putc(b, '\n');
		p += n + 1;
	}
	return rc;
}

static int cmp_gtid_entry(const void *a, const void *b)
{
	const dm_binlog_mariadb_gtid_entry *x = a, *y = b;

	if (x->domain_id != y->domain_id)
		return x->domain_id < y->domain_id ? -1 : 1;
	if (x->server_id != y->server_id)
		return x->server_id < y->server_id ? -1 : 1;
	return x->seq_no < y->seq_no ? -1 : x->seq_no > y->seq_no;
}

static int put_other(dmb_run *r, dm_buf *b, const dm_binlog_event *ev,
		     dm_error **err)
{
	const char *ign = NULL;

	switch (ev->kind) {
	case DM_BINLOG_KIND_FORMAT_DESCRIPTION:
		return put_fde(r, b, ev);
	case DM_BINLOG_KIND_QUERY:
		return put_query(r, b, ev,
				 ev->type == DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT ?
					 "Execute_load_query" :
				 ev->type == DM_BINLOG_MARIADB_QUERY_COMPRESSED_EVENT ?
					 "Query_compressed" : "Query");
	case DM_BINLOG_KIND_ROTATE:
		put_header(r, b, ev);
		dmb_puts(b, "\tRotate to ");
		dmb_append(b, ev->u.rotate.next_file.ptr,
			      ev->u.rotate.next_file.len);
		return dm_buf_printf(b, "  pos: %" PRIu64 "\n",
				     ev->u.rotate.position);
	case DM_BINLOG_KIND_STOP:
		put_header(r, b, ev);
		return dmb_puts(b, "\tStop\n");
	case DM_BINLOG_KIND_XID:
		put_header(r, b, ev);
		dmb_puts(b, "\tXid = ");
		dmb_put_u64(b, ev->u.xid);
		return dmb_puts(b, "\nCOMMIT" DELIM "\n");
	case DM_BINLOG_KIND_INTVAR:
		put_header(r, b, ev);
		return dm_buf_printf(b, "\tIntvar\nSET %s=%" PRIu64 DELIM "\n",
				     ev->u.intvar.type == 1 ? "LAST_INSERT_ID" :
							      "INSERT_ID",
				     ev->u.intvar.value);
	case DM_BINLOG_KIND_RAND:
		put_header(r, b, ev);
		return dm_buf_printf(b, "\tRand\nSET @@RAND_SEED1=%" PRIu64
				     ", @@RAND_SEED2=%" PRIu64 DELIM "\n",
				     ev->u.rand.seed1, ev->u.rand.seed2);
	case DM_BINLOG_KIND_USER_VAR:
		put_header(r, b, ev);
		return put_user_var(b, &ev->u.user_var, err);
	case DM_BINLOG_KIND_INCIDENT:
		put_header(r, b, ev);
		if (ev->u.incident.type == 1)
			dmb_puts(b, "\tIncident: LOST_EVENTS\n");
		else
			dm_buf_printf(b, "\tIncident: #%u\n",
				      ev->u.incident.type);
		if (ev->u.incident.message.len)
			put_commented(b, "# ", &ev->u.incident.message);
		return dmb_puts(b, "RELOAD DATABASE; # Shall generate syntax "
				   "error\n");
	case DM_BINLOG_KIND_TABLE_MAP:
		put_header(r, b, ev);
		dmb_puts(b, "\tTable_map: ");
		dmb_put_ident(b, ev->u.table_map->schema.ptr,
			      ev->u.table_map->schema.len);
		dmb_putc(b, '.');
		dmb_put_ident(b, ev->u.table_map->name.ptr,
			      ev->u.table_map->name.len);
		dmb_puts(b, " mapped to number ");
		dmb_put_u64(b, ev->u.table_map->table_id);
		return dmb_putc(b, '\n');
	case DM_BINLOG_KIND_ROWS_QUERY:
		put_header(r, b, ev);
		if (ev->type == DM_BINLOG_MARIADB_ANNOTATE_ROWS_EVENT) {
			dmb_puts(b, "\tAnnotate_rows:\n");
			return put_commented(b, "#Q> ", &ev->u.rows_query.query);
		}
		dmb_puts(b, "\tRows_query\n");
		return put_commented(b, "# ", &ev->u.rows_query.query);
	case DM_BINLOG_KIND_GTID:
		return put_mysql_gtid(r, b, ev);
	case DM_BINLOG_KIND_PREVIOUS_GTIDS:
		put_header(r, b, ev);
		dmb_puts(b, "\tPrevious-GTIDs\n# ");
		if (ev->u.previous_gtids.text.len == 0)
			return dmb_puts(b, "[empty]\n");
		dmb_append(b, ev->u.previous_gtids.text.ptr,
			      ev->u.previous_gtids.text.len);
		return dmb_putc(b, '\n');
	case DM_BINLOG_KIND_TRANSACTION_PAYLOAD:
		put_header(r, b, ev);
		dm_buf_printf(b, "\tTransaction_Payload\tpayload_size=%" PRIu64
			      "\tcompression_type=%s\tuncompressed_size=%" PRIu64
			      "\n", ev->u.payload.payload_size,
			      ev->u.payload.compression == 0 ? "ZSTD" : "NONE",
			      ev->u.payload.uncompressed_size);
		return dmb_puts(b, "# Start of compressed events!\n");
	case DM_BINLOG_KIND_XA_PREPARE: {
		const dm_binlog_xa_prepare *x = &ev->u.xa_prepare;
		const unsigned char *d = (const unsigned char *)x->data.ptr;
		size_t gl = x->gtrid_length, bl = x->bqual_length;
		dm_buf xid = DM_BUF_INIT;

		if (gl + bl > x->data.len)
			gl = bl = 0;
		dmb_puts(&xid, "X'");
		dmb_hex(&xid, d, gl, false);
		dmb_puts(&xid, "',X'");
		dmb_hex(&xid, d + gl, bl, false);
		dm_buf_printf(&xid, "',%" PRId32, x->format_id);
		put_header(r, b, ev);
		dm_buf_printf(b, "\tXID = %s\n", xid.data ? xid.data : "");
		dm_buf_printf(b, "%s %s%s\n" DELIM "\n",
			      x->one_phase ? "XA COMMIT" : "XA PREPARE",
			      xid.data ? xid.data : "",
			      x->one_phase ? " ONE PHASE" : "");
		dm_buf_free(&xid);
		return 0;
	}
	case DM_BINLOG_KIND_MARIADB_GTID:
		return put_mariadb_gtid(r, b, ev);
	case DM_BINLOG_KIND_MARIADB_GTID_LIST: {
		uint32_t i, n = ev->u.gtid_list.count;
		dm_binlog_mariadb_gtid_entry *e = calloc(n ? n : 1, sizeof(*e));

		if (!e)
			return DM_E_NO_MEMORY;
		/* The reference prints them sorted by domain. */
		for (i = 0; i < n; i++)
			e[i] = dm_binlog_gtid_list_entry(&ev->u.gtid_list, i);
		qsort(e, n, sizeof(*e), cmp_gtid_entry);
		put_header(r, b, ev);
		dmb_puts(b, "\tGtid list [");
		for (i = 0; i < n; i++)
			dm_buf_printf(b, "%s%" PRIu32 "-%" PRIu32 "-%" PRIu64,
				      i ? ",\n# " : "", e[i].domain_id,
				      e[i].server_id, e[i].seq_no);
		free(e);
		return dmb_puts(b, "]\n");
	}
	case DM_BINLOG_KIND_MARIADB_BINLOG_CHECKPOINT:
		put_header(r, b, ev);
		dmb_puts(b, "\tBinlog checkpoint ");
		dmb_append(b, ev->u.checkpoint.file.ptr,
			      ev->u.checkpoint.file.len);
		return dmb_putc(b, '\n');
	case DM_BINLOG_KIND_LOAD_DATA:
		put_header(r, b, ev);
		switch (ev->type) {
		case DM_BINLOG_BEGIN_LOAD_QUERY_EVENT:
			return dm_buf_printf(b, "\n#Begin_load_query: file_id: %"
					     PRIu32 "  block_len: %zu\n",
					     ev->u.load.file_id,
					     ev->u.load.block.len);
		case DM_BINLOG_APPEND_BLOCK_EVENT:
			return dm_buf_printf(b, "\n#Append_block: file_id: %"
					     PRIu32 "  block_len: %zu\n",
					     ev->u.load.file_id,
					     ev->u.load.block.len);
		case DM_BINLOG_DELETE_FILE_EVENT:
			return dm_buf_printf(b, "\n#Delete_file: file_id=%"
					     PRIu32 "\n", ev->u.load.file_id);
		case DM_BINLOG_EXEC_LOAD_EVENT:
			return dm_buf_printf(b, "\n#Exec_load: file_id=%" PRIu32
					     "\n", ev->u.load.file_id);
		default:
			return dm_buf_printf(b, "\t%s: file_id: %" PRIu32 "\n",
					     dm_binlog_event_type_name(ev->type),
					     ev->u.load.file_id);
		}
	case DM_BINLOG_KIND_HEARTBEAT:
		return 0;
	case DM_BINLOG_KIND_UNKNOWN:
		ign = "Unknown";
		break;
	default:
		switch (ev->type) {
		case DM_BINLOG_TRANSACTION_CONTEXT_EVENT:
			ign = "MySQL Transaction_context";
			break;
		case DM_BINLOG_VIEW_CHANGE_EVENT:
			ign = "MySQL View_change";
			break;
		default:
			ign = dm_binlog_event_type_name(ev->type);
			break;
		}
		break;
	}
	put_header(r, b, ev);
	return dm_buf_printf(b, "\tIgnorable\n# Ignorable event type %u (%s)\n",
			     ev->type, ign);
}

static int text_event(dmb_run *r, const dm_binlog_event *ev, dm_error **err)
{
	text_state *s = st(r);
	dm_buf *b = &r->out.buf;
	int rc;

	if (ev->kind == DM_BINLOG_KIND_HEARTBEAT)
		return 0;
	if (ev->kind == DM_BINLOG_KIND_ROWS) {
		rc = put_at(r, ev);
		if (!rc && s->annotate.len) {
			rc = dmb_append(&s->head, s->annotate.data,
					   s->annotate.len);
			dm_buf_truncate(&s->annotate, 0);
		}
		return rc ? dmb_nomem(err) : put_rows(r, ev, err);
	}
	if (ev->type == DM_BINLOG_MARIADB_ANNOTATE_ROWS_EVENT) {
		/* Printed with the Table_map that follows, as the reference
		 * tool does. */
		if (release(r) || put_at(r, ev))
			return dmb_nomem(err);
		dm_buf_truncate(&s->annotate, 0);
		rc = put_other(r, &s->annotate, ev, err);
		return rc ? dmb_nomem(err) : 0;
	}
	if (release(r) || put_at(r, ev))
		return dmb_nomem(err);
	if (s->annotate.len) {
		if (dmb_append(b, s->annotate.data, s->annotate.len))
			return dmb_nomem(err);
		dm_buf_truncate(&s->annotate, 0);
	}
	rc = put_other(r, b, ev, err);
	if (rc < 0 && rc != DM_E_NO_MEMORY)
		return rc;
	if (rc || !b->data)
		return dmb_nomem(err);
	return 0;
}

static int text_payload_end(dmb_run *r, const dm_binlog_event *ev,
			    dm_error **err)
{
	(void)ev;
	if (release(r) ||
	    dmb_puts(&r->out.buf, "# End of compressed events!\n"))
		return dmb_nomem(err);
	return 0;
}

static int text_restarted(dmb_run *r, dm_error **err)
{
	text_state *s = st(r);

	dm_buf_truncate(&s->head, 0);
	dm_buf_truncate(&s->body, 0);
	s->holding = false;
	s->nrows = 0;
	return dmb_puts(&r->out.buf, "# The connection was lost; the server "
			   "sends the unfinished transaction again\n") ?
		dmb_nomem(err) : 0;
}

static int text_file_end(dmb_run *r, dm_error **err)
{
	if (release(r) || dmb_puts(&r->out.buf, "DELIMITER ;\n"))
		return dmb_nomem(err);
	return 0;
}

static int text_end(dmb_run *r, bool ok, dm_error **err)
{
	text_state *s = st(r);

	if (!r->printer)
		return 0;
	if (release(r))
		return dmb_nomem(err);
	if (!ok || !s->started)
		return 0;
	if (
	    dmb_puts(&r->out.buf,
			"# End of log file\n"
			"ROLLBACK /* added by mysqlbinlog */;\n"
			"/*!50003 SET COMPLETION_TYPE=@OLD_COMPLETION_TYPE*/;\n"
			"/*!50530 SET @@SESSION.PSEUDO_SLAVE_MODE=0*/;\n"))
		return dmb_nomem(err);
	return 0;
}

static void text_free(dmb_run *r)
{
	text_state *s = st(r);

	if (!s)
		return;
	dm_buf_free(&s->db);
	dm_buf_free(&s->time_zone);
	dm_buf_free(&s->head);
	dm_buf_free(&s->body);
	dm_buf_free(&s->annotate);
	dm_buf_free(&s->when_text);
	free(s);
	r->printer = NULL;
}

const dmb_printer dmb_text_printer = {
	.begin = text_begin,
	.file_begin = text_file_begin,
	.event = text_event,
	.payload_end = text_payload_end,
	.restarted = text_restarted,
	.file_end = text_file_end,
	.end = text_end,
	.free = text_free,
};
