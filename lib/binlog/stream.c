/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live binlog transport: a replica connection over libmariadb that sends
 * COM_REGISTER_SLAVE and COM_BINLOG_DUMP (or COM_BINLOG_DUMP_GTID) and
 * reads the event packets that follow, tracking binlog positions and
 * transaction boundaries so that a broken connection resumes cleanly.
 * See lib/binlog/stream.h for the contract.
 */
#include "binlog/stream.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "db/db_private.h"
#include "log/logging.h"
#include "util/alloc.h"
#include "util/clock.h"

/* Event types and header fields this file looks at. */
#define EV_HEADER_LEN 19
#define EV_QUERY 2
#define EV_STOP 3
#define EV_ROTATE 4
#define EV_FORMAT_DESCRIPTION 15
#define EV_XID 16
#define EV_INCIDENT 26
#define EV_HEARTBEAT 27
#define EV_GTID 33
#define EV_ANONYMOUS_GTID 34
#define EV_PREVIOUS_GTIDS 35
#define EV_XA_PREPARE 38
#define EV_TRANSACTION_PAYLOAD 40
#define EV_HEARTBEAT_V2 41
#define EV_GTID_TAGGED 42
#define EV_MARIA_BINLOG_CHECKPOINT 161
#define EV_MARIA_GTID 162
#define EV_MARIA_GTID_LIST 163
#define EV_MARIA_START_ENCRYPTION 164
#define EV_MARIA_QUERY_COMPRESSED 165

#define EV_FLAG_ARTIFICIAL 0x20  /* LOG_EVENT_ARTIFICIAL_F */
#define MARIA_GTID_STANDALONE 0x01
#define QUERY_POST_HEADER_LEN 13
#define FDE_FIXED_LEN (2 + 50 + 4 + 1) /* version, server version, time, header length */
#define SEMI_SYNC_ACK_REQ 0x01

#define MAX_FILE_NAME 511               /* the server's FN_REFLEN - 1 */
#define DEFAULT_MAX_PACKET (1024ul * 1024 * 1024)
#define DEFAULT_RW_TIMEOUT 3600u
#define BACKOFF_FIRST_MS 250u
#define BACKOFF_MAX_MS 5000u

/* ------------------------------------------------------------ cursors */

typedef struct cursor {
	const unsigned char *p;
	size_t left;
} cursor;

static bool cur_skip(cursor *c, size_t n)
{
	if (c->left < n)
		return false;
	c->p += n;
	c->left -= n;
	return true;
}

static bool cur_u8(cursor *c, uint8_t *v)
{
	if (c->left < 1)
		return false;
	*v = c->p[0];
	return cur_skip(c, 1);
}

static bool cur_le16(cursor *c, uint16_t *v)
{
	if (c->left < 2)
		return false;
	*v = (uint16_t)(c->p[0] | (unsigned)c->p[1] << 8);
	return cur_skip(c, 2);
}

static bool cur_le32(cursor *c, uint32_t *v)
{
	if (c->left < 4)
		return false;
	*v = (uint32_t)c->p[0] | (uint32_t)c->p[1] << 8 |
	     (uint32_t)c->p[2] << 16 | (uint32_t)c->p[3] << 24;
	return cur_skip(c, 4);
}

static bool cur_le64(cursor *c, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;

	if (c->left < 8)
		return false;
	cur_le32(c, &lo);
	cur_le32(c, &hi);
	*v = (uint64_t)hi << 32 | lo;
	return true;
}

static unsigned char *put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	return p + 2;
}

static unsigned char *put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
	return p + 4;
}

static unsigned char *put_le64(unsigned char *p, uint64_t v)
{
	p = put_le32(p, (uint32_t)v);
	return put_le32(p, (uint32_t)(v >> 32));
}

/* ----------------------------------------------------------- packets */

static int classify_event(dm__binlog_packet *out, const unsigned char *pkt,
			  size_t len, bool semi_sync, dm_error **err)
{
	cursor c = { pkt + 1, len - 1 };
	uint8_t magic, flag;
	uint32_t size;

	if (semi_sync) {
		if (!cur_u8(&c, &magic) || !cur_u8(&c, &flag) ||
		    magic != DM__BINLOG_SEMI_SYNC_MAGIC)
			return dm_error_set(err, DM_E_RELAY_TCP_READER_GET_EVENT,
					    "binlog event packet of %zu bytes "
					    "lacks the semi-sync header", len);
		out->ack_requested = (flag & SEMI_SYNC_ACK_REQ) != 0;
	}
	out->ev = c.p;
	out->len = c.left;
	if (c.left < EV_HEADER_LEN)
		return dm_error_set(err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				    "binlog event of %zu bytes is shorter than "
				    "its %u-byte header", c.left, EV_HEADER_LEN);
	cur_skip(&c, 9);
	cur_le32(&c, &size);
	if (size != out->len)
		return dm_error_set(err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				    "binlog event header says %u bytes but the "
				    "packet holds %zu", size, out->len);
	out->kind = DM__BINLOG_PACKET_EVENT;
	return 0;
}

static void classify_error(dm__binlog_packet *out, const unsigned char *pkt,
			   size_t len)
{
	cursor c = { pkt + 1, len - 1 };
	uint16_t code = 0;

	out->kind = DM__BINLOG_PACKET_ERR;
	cur_le16(&c, &code);
	out->err_code = code;
	if (c.left >= 6 && c.p[0] == '#') {
		memcpy(out->sqlstate, c.p + 1, 5);
		out->sqlstate[5] = '\0';
		cur_skip(&c, 6);
	}
	out->msg = (const char *)c.p;
	out->msg_len = c.left;
}

int dm__binlog_packet_classify(dm__binlog_packet *out,
			       const unsigned char *pkt, size_t len,
			       bool semi_sync, dm_error **err)
{
	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no place for the packet");
	memset(out, 0, sizeof(*out));
	if (!pkt || len == 0)
		return dm_error_set(err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				    "empty packet in binlog stream");
	switch (pkt[0]) {
	case 0x00:
		return classify_event(out, pkt, len, semi_sync, err);
	case 0xfe:
		out->kind = DM__BINLOG_PACKET_EOF;
		return 0;
	case 0xff:
		classify_error(out, pkt, len);
		return 0;
	default:
		return dm_error_set(err, DM_E_RELAY_TCP_READER_GET_EVENT,
				    "unexpected packet type 0x%02x in binlog "
				    "stream", pkt[0]);
	}
}

/* ----------------------------------------------------------- payloads */

int dm__binlog_dump_payload(dm_buf *out, const char *file, uint32_t pos,
			    uint16_t flags, uint32_t server_id)
{
	unsigned char head[10], *p = head;
	size_t n = file ? strlen(file) : 0;
	int rc;

	p = put_le32(p, pos);
	p = put_le16(p, flags);
	put_le32(p, server_id);
	rc = dm_buf_append(out, head, sizeof(head));
	return rc ? rc : dm_buf_append(out, file ? file : "", n);
}

int dm__binlog_dump_gtid_payload(dm_buf *out, const dm_gtid_set *set,
				 uint16_t flags, uint32_t server_id)
{
	/* flags, server id, file name length (0: no name), position 4,
	 * then the encoded set behind its length. */
	unsigned char head[2 + 4 + 4 + 8 + 4], *p = head;
	dm_buf data = DM_BUF_INIT;
	int rc;

	if (!set || dm_gtid_set_flavor(set) != DM_GTID_MYSQL)
		return DM_E_NOT_MYSQL_GTID;
	rc = dm_gtid_set_encode_mysql(&data, set, 0);
	if (rc)
		goto out_free_data;
	if (data.len > UINT32_MAX) {
		rc = DM_E_INVALID_ARGUMENT;
		goto out_free_data;
	}
	p = put_le16(p, flags | DM__BINLOG_DUMP_THROUGH_GTID);
	p = put_le32(p, server_id);
	p = put_le32(p, 0);
	p = put_le64(p, 4);
	put_le32(p, (uint32_t)data.len);
	rc = dm_buf_append(out, head, sizeof(head));
	if (!rc)
		rc = dm_buf_append(out, data.data, data.len);
out_free_data:
	dm_buf_free(&data);
	return rc;
}

int dm__binlog_register_payload(dm_buf *out, uint32_t server_id)
{
	/* server id; host, user and password as empty length-prefixed
	 * strings; port; replication rank; master id. */
	unsigned char b[4 + 1 + 1 + 1 + 2 + 4 + 4], *p = b;

	p = put_le32(p, server_id);
	*p++ = 0;
	*p++ = 0;
	*p++ = 0;
	p = put_le16(p, 0);
	p = put_le32(p, 0);
	put_le32(p, 0);
	return dm_buf_append(out, b, sizeof(b));
}

int dm__binlog_semi_ack_payload(dm_buf *out, const char *file, uint64_t pos)
{
	unsigned char b[8];
	int rc;

	put_le64(b, pos);
	rc = dm_buf_append(out, b, sizeof(b));
	return rc ? rc : dm_buf_puts(out, file ? file : "");
}

/* --------------------------------------------- format description event */

/* "5.6.1-log" -> 50601; digits after the third number are ignored. */
static unsigned version_product(const unsigned char *s, size_t n)
{
	unsigned part[3] = { 0, 0, 0 };
	size_t i = 0, k = 0;

	while (i < n && k < 3) {
		unsigned v = 0;
		size_t start = i;

		while (i < n && s[i] >= '0' && s[i] <= '9' && v < 1000)
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start)
			break;
		part[k++] = v;
		if (i >= n || s[i] != '.')
			break;
		i++;
	}
	return part[0] * 10000 + part[1] * 100 + part[2];
}

int dm__binlog_fde_checksum_len(const unsigned char *ev, size_t len)
{
	const unsigned char *version;
	size_t vlen;
	bool mariadb;
	unsigned product;
	uint8_t alg;

	if (!ev || len < EV_HEADER_LEN + FDE_FIXED_LEN ||
	    ev[4] != EV_FORMAT_DESCRIPTION)
		return -1;
	version = ev + EV_HEADER_LEN + 2;
	vlen = strnlen((const char *)version, 50);
	mariadb = memmem(version, vlen, "MariaDB", 7) != NULL;
	product = version_product(version, vlen);
	/* Checksums came with MySQL 5.6.1 and MariaDB 5.3; from then on the
	 * FDE ends with the algorithm byte and a 4-byte checksum. */
	if (product < (mariadb ? 50300u : 50601u))
		return -1;
	if (len < EV_HEADER_LEN + FDE_FIXED_LEN + 1 + 4)
		return -1;
	alg = ev[len - 5];
	if (alg == 1)
		return 4;
	if (alg == 0 || alg == 0xff)
		return 0;
	return -1;
}

/* ------------------------------------------------------------ tracker */

static int set_text(dm_buf *b, const char *s, size_t n)
{
	if (b->data && b->len == n && memcmp(b->data, s, n) == 0)
		return 0;
	dm_buf_truncate(b, 0);
	return dm_buf_append(b, s, n);
}

int dm__binlog_tracker_start(dm__binlog_tracker *t, const char *file,
			     uint64_t pos, dm_gtid_set *gtids,
			     unsigned crc_len, dm_error **err)
{
	const char *f = file ? file : "";

	memset(t, 0, sizeof(*t));
	t->gtids = gtids;
	t->pos = pos;
	t->crc_len = crc_len;
	t->resume_pos = gtids ? 0 : pos;
	t->resume_valid = gtids == NULL;
	if (set_text(&t->file, f, strlen(f)) ||
	    set_text(&t->resume_file, gtids ? "" : f, gtids ? 0 : strlen(f)))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	return 0;
}

int dm__binlog_tracker_rewind(dm__binlog_tracker *t, dm_error **err)
{
	t->trx = DM__BINLOG_TRX_IDLE;
	t->have_pending = false;
	if (!t->resume_valid)
		return 0;
	if (set_text(&t->file, t->resume_file.data, t->resume_file.len))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	t->pos = t->resume_pos;
	return 0;
}

void dm__binlog_tracker_free(dm__binlog_tracker *t)
{
	if (!t)
		return;
	dm_buf_free(&t->file);
	dm_buf_free(&t->resume_file);
	dm_gtid_set_free(t->gtids);
	memset(t, 0, sizeof(*t));
}

static int decode_error(const dm__binlog_tracker *t, const char *what,
			dm_error **err)
{
	return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
			    "%s event after (%s, %llu) is truncated", what,
			    t->file.data ? t->file.data : "",
			    (unsigned long long)t->pos);
}

/* The event body without header and checksum. */
static bool body_of(const dm__binlog_tracker *t, const unsigned char *ev,
		    size_t len, cursor *c)
{
	if (len < EV_HEADER_LEN + t->crc_len)
		return false;
	c->p = ev + EV_HEADER_LEN;
	c->left = len - EV_HEADER_LEN - t->crc_len;
	return true;
}

static int on_rotate(dm__binlog_tracker *t, const unsigned char *ev,
		     size_t len, dm_error **err)
{
	cursor c;
	uint64_t pos;

	if (!body_of(t, ev, len, &c) || !cur_le64(&c, &pos) || c.left == 0)
		return decode_error(t, "ROTATE", err);
	if (c.left > MAX_FILE_NAME || memchr(c.p, '\0', c.left))
		return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
				    "ROTATE event after (%s, %llu) names no "
				    "valid binlog file (%zu bytes)",
				    t->file.data ? t->file.data : "",
				    (unsigned long long)t->pos, c.left);
	if (set_text(&t->file, (const char *)c.p, c.left))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	t->pos = pos;
	return 0;
}

static int mark_resume_point(dm__binlog_tracker *t, dm_error **err)
{
	if (set_text(&t->resume_file, t->file.data, t->file.len))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	t->resume_pos = t->pos;
	t->resume_valid = true;
	return 0;
}

static int complete_transaction(dm__binlog_tracker *t, dm_error **err)
{
	if (t->have_pending && t->gtids && !t->gtids_lost) {
		dm_error *e = NULL;
		int rc = dm_gtid_set_add(t->gtids, &t->pending, &e);

		dm_error_free(e);
		if (rc == DM_E_NO_MEMORY)
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		if (rc)
			t->gtids_lost = true;
	}
	t->have_pending = false;
	t->trx = DM__BINLOG_TRX_IDLE;
	t->trx_count++;
	return mark_resume_point(t, err);
}

static bool text_is(const unsigned char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == ';' ||
			 s[n - 1] == '\n' || s[n - 1] == '\t'))
		n--;
	return n == w && strncasecmp((const char *)s, word, w) == 0;
}

static bool text_starts(const unsigned char *s, size_t n, const char *word)
{
	size_t w = strlen(word);

	return n >= w && strncasecmp((const char *)s, word, w) == 0;
}

static int on_query(dm__binlog_tracker *t, const unsigned char *ev,
		    size_t len, dm_error **err)
{
	cursor c;
	uint8_t db_len;
	uint16_t status_len;

	if (!body_of(t, ev, len, &c) || !cur_skip(&c, 8) ||
	    !cur_u8(&c, &db_len) || !cur_skip(&c, 2) ||
	    !cur_le16(&c, &status_len) || !cur_skip(&c, status_len) ||
	    !cur_skip(&c, (size_t)db_len + 1))
		return decode_error(t, "QUERY", err);
	if (text_is(c.p, c.left, "BEGIN") ||
	    text_starts(c.p, c.left, "XA START") ||
	    text_starts(c.p, c.left, "XA BEGIN")) {
		t->trx = DM__BINLOG_TRX_OPEN;
		return 0;
	}
	if (text_is(c.p, c.left, "COMMIT") || text_is(c.p, c.left, "ROLLBACK"))
		return complete_transaction(t, err);
	/* A statement of its own (DDL, or DML outside BEGIN) completes
	 * a transaction; inside BEGIN it is one more statement. */
	if (t->trx == DM__BINLOG_TRX_OPEN)
		return 0;
	return complete_transaction(t, err);
}

static int on_mariadb_gtid(dm__binlog_tracker *t, const unsigned char *ev,
			   size_t len, uint32_t server_id, dm_error **err)
{
	cursor c;
	uint64_t seq;
	uint32_t domain;
	uint8_t flags;

	if (!body_of(t, ev, len, &c) || !cur_le64(&c, &seq) ||
	    !cur_le32(&c, &domain) || !cur_u8(&c, &flags))
		return decode_error(t, "GTID", err);
	memset(&t->pending, 0, sizeof(t->pending));
	t->pending.flavor = DM_GTID_MARIADB;
	t->pending.domain = domain;
	t->pending.server = server_id;
	t->pending.seq = seq;
	t->have_pending = true;
	t->trx = (flags & MARIA_GTID_STANDALONE) ? DM__BINLOG_TRX_GTID :
						   DM__BINLOG_TRX_OPEN;
	return 0;
}

static int on_mysql_gtid(dm__binlog_tracker *t, const unsigned char *ev,
			 size_t len, dm_error **err)
{
	cursor c;
	uint64_t gno;

	if (!body_of(t, ev, len, &c) || !cur_skip(&c, 1) || c.left < 16)
		return decode_error(t, "GTID", err);
	memset(&t->pending, 0, sizeof(t->pending));
	memcpy(t->pending.uuid, c.p, 16);
	cur_skip(&c, 16);
	if (!cur_le64(&c, &gno))
		return decode_error(t, "GTID", err);
	t->pending.flavor = DM_GTID_MYSQL;
	t->pending.gno = gno;
	t->have_pending = true;
	t->trx = DM__BINLOG_TRX_GTID;
	return 0;
}

/* Transaction boundaries, from the events of the binlog file. */
static int on_file_event(dm__binlog_tracker *t, uint8_t type,
			 uint32_t server_id, const unsigned char *ev,
			 size_t len, dm_error **err)
{
	switch (type) {
	case EV_QUERY:
		return on_query(t, ev, len, err);
	case EV_MARIA_QUERY_COMPRESSED:
		/* Never BEGIN or COMMIT; a statement as above. */
		if (t->trx == DM__BINLOG_TRX_OPEN)
			return 0;
		return complete_transaction(t, err);
	case EV_XID:
	case EV_XA_PREPARE:
	case EV_TRANSACTION_PAYLOAD:
		return complete_transaction(t, err);
	case EV_MARIA_GTID:
		return on_mariadb_gtid(t, ev, len, server_id, err);
	case EV_GTID:
		return on_mysql_gtid(t, ev, len, err);
	case EV_ANONYMOUS_GTID:
	case EV_GTID_TAGGED:
		/* Tagged GTIDs are not decoded here: the set stops being
		 * exact, and reconnects fall back to file positions. */
		if (type == EV_GTID_TAGGED && t->gtids)
			t->gtids_lost = true;
		t->have_pending = false;
		t->trx = DM__BINLOG_TRX_GTID;
		return 0;
	case EV_ROTATE:
	case EV_FORMAT_DESCRIPTION:
	case EV_PREVIOUS_GTIDS:
	case EV_MARIA_GTID_LIST:
	case EV_MARIA_BINLOG_CHECKPOINT:
	case EV_MARIA_START_ENCRYPTION:
	case EV_STOP:
	case EV_INCIDENT:
		/* Between transactions these move the resume point too. */
		if (t->trx == DM__BINLOG_TRX_IDLE && t->resume_valid)
			return mark_resume_point(t, err);
		return 0;
	default:
		return 0;
	}
}

int dm__binlog_tracker_feed(dm__binlog_tracker *t, const unsigned char *ev,
			    size_t len, unsigned *flags, dm_error **err)
{
	cursor c = { ev, len };
	uint32_t server_id, size, log_pos;
	uint16_t ev_flags;
	uint8_t type;
	bool heartbeat, artificial;
	int rc = 0, n;

	if (flags)
		*flags = 0;
	if (!t || !ev)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no tracker or event");
	if (len < EV_HEADER_LEN)
		return dm_error_set(err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				    "binlog event of %zu bytes is shorter than "
				    "its %u-byte header", len, EV_HEADER_LEN);
	cur_skip(&c, 4);
	cur_u8(&c, &type);
	cur_le32(&c, &server_id);
	cur_le32(&c, &size);
	cur_le32(&c, &log_pos);
	cur_le16(&c, &ev_flags);
	if (size != len)
		return dm_error_set(err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				    "binlog event header says %u bytes but the "
				    "event holds %zu", size, len);
	heartbeat = type == EV_HEARTBEAT || type == EV_HEARTBEAT_V2;
	artificial = heartbeat || log_pos == 0 ||
		     (ev_flags & EV_FLAG_ARTIFICIAL);
	if (type == EV_FORMAT_DESCRIPTION) {
		n = dm__binlog_fde_checksum_len(ev, len);
		if (n >= 0)
			t->crc_len = (unsigned)n;
	}
	if (type == EV_ROTATE)
		rc = on_rotate(t, ev, len, err);
	else if (!artificial)
		t->pos = log_pos;
	if (!rc && !artificial)
		rc = on_file_event(t, type, server_id, ev, len, err);
	if (flags)
		*flags = (artificial ? DM__BINLOG_STREAM_ARTIFICIAL : 0) |
			 (heartbeat ? DM__BINLOG_STREAM_HEARTBEAT : 0);
	return rc;
}

/* ------------------------------------------------------------- stream */

struct dm__binlog_stream {
	dm_ctx *ctx;
	/* The connection: the stream owns a dm_db (options, TLS, errors,
	 * password handling) and speaks the replication protocol over its
	 * libmariadb handle. */
	dm_db *db;
	const char *addr;           /* "host:port" or the socket, for people */
	unsigned read_timeout;
	size_t max_packet;
	dm_error_scope scope;
	char server_id_text[12];
	/* Stream options. */
	uint32_t server_id;
	unsigned heartbeat_ms;
	unsigned reconnect_attempts;
	bool non_blocking;
	bool want_semi_sync;
	bool gtid_mode;
	char *start_file;           /* NULL: the server's current position */
	uint64_t start_pos;
	char *start_gtid;
	/* The connection. */
	MYSQL *m;                   /* borrowed from db; NULL when dropped */
	const char *version;        /* borrowed from db */
	bool mariadb;
	bool semi_active;
	unsigned crc_len;           /* negotiated: checksum bytes per event */
	/* The packet read but not handed out yet (at m->net.read_pos). */
	bool have_pkt;
	size_t pkt_len;
	/* The semi-sync ACK owed for the last event returned. */
	bool ack_due;
	dm_buf ack;
	/* Positions and the event last returned. */
	dm__binlog_tracker t;
	unsigned ev_flags;
	bool restarted;
	unsigned reconnects;
	unsigned failures;          /* reconnects without progress since */
	uint64_t reconnected_ms;    /* when the last reconnect succeeded */
	bool done;
	bool dead;
	bool inject_break;
	dm_buf sql;                 /* scratch for statements and payloads */
};

static dm_error_scope scope_of(const dm__binlog_stream *s)
{
	return s->scope;
}

static void log_stream(const dm__binlog_stream *s, dm_log_level level,
		       int line, const char *message, const char *k1,
		       const char *v1, const char *k2, const char *v2,
		       const char *k3, const char *v3)
{
	dm_log_field f[8];
	size_t n = 0;

	if (!dm__log_enabled(s->ctx, level))
		return;
	f[n++] = (dm_log_field){ "address", s->addr };
	f[n++] = (dm_log_field){ "server-id", s->server_id_text };
	if (k1)
		f[n++] = (dm_log_field){ k1, v1 };
	if (k2)
		f[n++] = (dm_log_field){ k2, v2 };
	if (k3)
		f[n++] = (dm_log_field){ k3, v3 };
	dm__log_fields(s->ctx, level, __FILE__, line, message, f, n);
}

/* "(file, pos)" of the tracker's current position, for messages. */
static const char *cur_file(const dm__binlog_stream *s)
{
	return s->t.file.data ? s->t.file.data : "";
}

static void drop_connection(dm__binlog_stream *s)
{
	if (s->db)
		dm__db_disconnect(s->db);
	s->m = NULL;
	s->have_pkt = false;
	s->ack_due = false;
}

/* ------------------------------------------------------------ options */

static bool dup_str(char **dst, const char *src)
{
	if (!src)
		return true;
	*dst = dm__strdup(src);
	return *dst != NULL;
}

static int check_opts(const dm__binlog_stream_opts *o, dm_error **err)
{
	int rc;

	if (!o)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "binlog stream options are missing");
	if (o->version != 1)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "binlog stream options version %u is not 1",
				    o->version);
	if (!o->db)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "binlog stream has no database options");
	rc = dm__db_opts_check(o->db, err);
	if (rc)
		return rc;
	if (o->server_id == 0)
		return dm_error_set(err, DM_E_INVALID_SERVER_ID,
				    "a replica's server_id must not be 0");
	if (o->gtid && o->file && *o->file)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "binlog stream start: give a GTID set or a "
				    "binlog file, not both");
	if (!o->gtid && o->file && *o->file) {
		if (strlen(o->file) > MAX_FILE_NAME)
			return dm_error_set(err, DM_E_BINLOG_INVALID_FILENAME,
					    "binlog file name of %zu bytes is "
					    "too long", strlen(o->file));
		if (o->pos < 4 || o->pos > UINT32_MAX)
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "binlog position %llu is not in "
					    "4..4294967295",
					    (unsigned long long)o->pos);
	}
	return 0;
}

static bool copy_opts(dm__binlog_stream *s, const dm__binlog_stream_opts *o)
{
	const dm_db_opts *d = o->db;
	bool ok = true;

	s->read_timeout = d->read_timeout ? d->read_timeout :
					    DEFAULT_RW_TIMEOUT;
	s->max_packet = d->max_allowed_packet ? (size_t)d->max_allowed_packet :
						DEFAULT_MAX_PACKET;
	s->scope = d->scope != DM_ERR_SCOPE_NOT_SET ? d->scope :
						      DM_ERR_SCOPE_UPSTREAM;
	s->server_id = o->server_id;
	s->heartbeat_ms = o->heartbeat_ms;
	s->reconnect_attempts = o->reconnect_attempts;
	s->non_blocking = o->non_blocking;
	s->want_semi_sync = o->semi_sync;
	s->gtid_mode = o->gtid != NULL;
	s->start_pos = o->pos;
	ok = dup_str(&s->start_gtid, o->gtid);
	if (!s->gtid_mode && o->file && *o->file)
		ok = dup_str(&s->start_file, o->file) && ok;
	snprintf(s->server_id_text, sizeof(s->server_id_text), "%u",
		 (unsigned)s->server_id);
	return ok;
}

/* --------------------------------------------------------- connecting */

/* The first connection: dm_db with the stream's defaults (a 1 GiB packet
 * limit, upstream scope). */
static int open_db(dm__binlog_stream *s, const dm_db_opts *d, dm_error **err)
{
	dm_db_opts o = *d;
	int rc;

	o.read_timeout = s->read_timeout;
	o.max_allowed_packet = s->max_packet;
	o.scope = s->scope;
	rc = dm_db_open(&s->db, s->ctx, &o, err);
	if (rc)
		return rc;
	s->addr = dm__db_addr(s->db);
	return 0;
}

/* Borrows the handle of the connection, making it again after a drop. */
static int connect_server(dm__binlog_stream *s, bool reconnecting,
			  dm_error **err)
{
	int rc = 0;

	if (reconnecting || !dm__db_handle(s->db))
		rc = dm_db_reconnect(s->db, err);
	if (rc)
		return rc;
	s->m = dm__db_handle(s->db);
	s->version = dm_db_server_version(s->db);
	s->mariadb = dm_db_is_mariadb(s->db);
	return 0;
}

/* Runs one statement and drops any result: 0 or the error's errno. */
static unsigned run_sql(MYSQL *m, const char *sql)
{
	MYSQL_RES *res;

	if (mysql_real_query(m, sql, strlen(sql)))
		return mysql_errno(m) ? mysql_errno(m) : CR_UNKNOWN_ERROR;
	if (mysql_field_count(m) > 0) {
		res = mysql_store_result(m);
		if (!res)
			return mysql_errno(m) ? mysql_errno(m) :
						CR_UNKNOWN_ERROR;
		mysql_free_result(res);
	}
	return 0;
}

/* Runs a query and copies the first `n` columns of its first row into
 * out[0..n) (SQL NULL as ""); *has_row says whether there was a row.
 * 0 or the error's errno. */
static unsigned query_row(MYSQL *m, const char *sql, dm_buf *out, size_t n,
			  bool *has_row, bool *oom)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long *lengths;
	size_t i;

	*has_row = false;
	*oom = false;
	if (mysql_real_query(m, sql, strlen(sql)))
		return mysql_errno(m) ? mysql_errno(m) : CR_UNKNOWN_ERROR;
	res = mysql_store_result(m);
	if (!res)
		return mysql_errno(m) ? mysql_errno(m) : CR_UNKNOWN_ERROR;
	row = mysql_fetch_row(res);
	lengths = row ? mysql_fetch_lengths(res) : NULL;
	if (row && lengths && mysql_num_fields(res) >= n) {
		*has_row = true;
		for (i = 0; i < n; i++) {
			dm_buf_truncate(&out[i], 0);
			if (dm_buf_append(&out[i], row[i] ? row[i] : "",
					  row[i] ? lengths[i] : 0))
				*oom = true;
		}
	}
	mysql_free_result(res);
	return 0;
}

static int session_error(dm__binlog_stream *s, unsigned no, const char *sql,
			 dm_error **err)
{
	return dm_error_set_db(err, DM_E_DB_SESSION, scope_of(s), no,
			       mysql_sqlstate(s->m), mysql_error(s->m),
			       "%s: %s", s->addr, sql);
}

/* Checksums: tell the server we understand them (or it refuses to send
 * checksummed events), then read back what it will send. */
static int negotiate_checksum(dm__binlog_stream *s, dm_error **err)
{
	const char *set = s->mariadb ?
		"SET @master_binlog_checksum = @@global.binlog_checksum" :
		"SET @master_binlog_checksum = @@global.binlog_checksum, "
		"@source_binlog_checksum = @@global.binlog_checksum";
	const char *get = "SELECT @master_binlog_checksum";
	dm_buf value = DM_BUF_INIT;
	bool has_row, oom;
	unsigned no;
	int rc = 0;

	no = run_sql(s->m, set);
	if (no == ER_UNKNOWN_SYSTEM_VARIABLE) {
		s->crc_len = 0; /* a server from before checksums */
		return 0;
	}
	if (no)
		return session_error(s, no, set, err);
	no = query_row(s->m, get, &value, 1, &has_row, &oom);
	if (no)
		rc = session_error(s, no, get, err);
	else if (oom)
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	else
		s->crc_len = has_row && value.data &&
				     strcasecmp(value.data, "CRC32") == 0 ? 4 : 0;
	dm_buf_free(&value);
	return rc;
}

static int set_heartbeat(dm__binlog_stream *s, dm_error **err)
{
	unsigned long long ns = (unsigned long long)s->heartbeat_ms * 1000000ull;
	unsigned no;

	if (!s->heartbeat_ms)
		return 0;
	dm_buf_truncate(&s->sql, 0);
	if (dm_buf_printf(&s->sql, "SET @master_heartbeat_period = %llu", ns) ||
	    (!s->mariadb &&
	     dm_buf_printf(&s->sql, ", @source_heartbeat_period = %llu", ns)))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	no = run_sql(s->m, s->sql.data);
	return no ? session_error(s, no, s->sql.data, err) : 0;
}

/* Semi-sync: the server adds its 2-byte header to every event packet once
 * we set the user variable its semi-sync code reads, as long as that code
 * is there (built into MariaDB 10.3+, a plugin before and in MySQL). */
static int set_semi_sync(dm__binlog_stream *s, dm_error **err)
{
	static const char *const probes[] = {
		"SELECT @@global.rpl_semi_sync_master_enabled",
		"SELECT @@global.rpl_semi_sync_source_enabled",
	};
	const char *set = s->mariadb ? "SET @rpl_semi_sync_slave = 1" :
		"SET @rpl_semi_sync_slave = 1, @rpl_semi_sync_replica = 1";
	dm_buf value = DM_BUF_INIT;
	bool has_row, oom, found = false;
	unsigned no = 0;
	size_t i;

	s->semi_active = false;
	if (!s->want_semi_sync)
		return 0;
	for (i = 0; i < (s->mariadb ? 1u : 2u) && !found; i++) {
		no = query_row(s->m, probes[i], &value, 1, &has_row, &oom);
		if (no && no != ER_UNKNOWN_SYSTEM_VARIABLE)
			break;
		found = no == 0;
	}
	dm_buf_free(&value);
	if (!found && no != ER_UNKNOWN_SYSTEM_VARIABLE)
		return session_error(s, no, probes[i - 1], err);
	if (!found) {
		log_stream(s, DM_LOG_WARN, __LINE__,
			   "upstream has no semi-sync replication; "
			   "streaming without it", NULL, NULL, NULL, NULL,
			   NULL, NULL);
		return 0;
	}
	no = run_sql(s->m, set);
	if (no)
		return session_error(s, no, set, err);
	s->semi_active = true;
	return 0;
}

/* file NULL: ask the server where its binlog ends now. */
static int current_position(dm__binlog_stream *s, dm_error **err)
{
	const char *sql = !s->mariadb && mysql_get_server_version(s->m) >= 80200 ?
		"SHOW BINARY LOG STATUS" : "SHOW MASTER STATUS";
	dm_buf col[2] = { DM_BUF_INIT, DM_BUF_INIT };
	bool has_row, oom;
	unsigned long long pos = 0;
	char *end = NULL;
	unsigned no;
	int rc = 0;

	no = query_row(s->m, sql, col, 2, &has_row, &oom);
	if (no) {
		rc = dm_error_set_db(err, DM_E_NO_MASTER_STATUS, scope_of(s),
				     no, mysql_sqlstate(s->m),
				     mysql_error(s->m), "%s: %s: error %u: %s",
				     s->addr, sql, no, mysql_error(s->m));
		goto out_free;
	}
	if (oom) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free;
	}
	if (has_row && col[1].data && col[1].data[0] >= '0' &&
	    col[1].data[0] <= '9')
		pos = strtoull(col[1].data, &end, 10);
	if (!has_row || !end || *end || !col[0].len ||
	    col[0].len > MAX_FILE_NAME || pos < 4 || pos > UINT32_MAX) {
		rc = dm_error_set_db(err, DM_E_NO_MASTER_STATUS, scope_of(s), 0,
				     NULL, NULL,
				     "%s: %s gave no binlog position (is the "
				     "binlog enabled?)", s->addr, sql);
		goto out_free;
	}
	s->start_file = dm_buf_detach(&col[0]);
	s->start_pos = pos;
out_free:
	dm_buf_free(&col[0]);
	dm_buf_free(&col[1]);
	return rc;
}

/* ------------------------------------------------------- starting dump */

/* The GTID set to start from: the tracker's while it is exact. */
static const dm_gtid_set *start_gtids(const dm__binlog_stream *s)
{
	if (!s->gtid_mode || !s->t.gtids)
		return NULL;
	/* Once a GTID could not be added, file positions take over; before
	 * any transaction completed the set is still the start set. */
	if (s->t.gtids_lost && s->t.resume_valid)
		return NULL;
	return s->t.gtids;
}

/* Where the next dump starts, for messages and logs. */
static int describe_start(const dm__binlog_stream *s, dm_buf *out)
{
	const dm_gtid_set *set = start_gtids(s);

	if (set) {
		int rc = dm_buf_puts(out, "GTID ");

		if (rc)
			return rc;
		return s->mariadb ? dm_gtid_set_format_position(out, set) :
				    dm_gtid_set_format(out, set);
	}
	return dm_buf_printf(out, "(%s, %llu)", s->t.resume_file.data ?
				  s->t.resume_file.data : "",
			     (unsigned long long)s->t.resume_pos);
}

static int start_error(dm__binlog_stream *s, unsigned no,
		       const char *sqlstate, const char *text,
		       const char *what, dm_error **err)
{
	dm_buf where = DM_BUF_INIT;
	int status = start_gtids(s) ? DM_E_RELAY_TCP_READER_START_SYNC_GTID :
				      DM_E_RELAY_TCP_READER_START_SYNC;
	int rc;

	if (describe_start(s, &where)) {
		dm_buf_free(&where);
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	rc = dm_error_set_db(err, status, scope_of(s), no, sqlstate, text,
			     "%s: %s %s as replica %u: error %u: %s%s", s->addr,
			     what, where.data, (unsigned)s->server_id, no,
			     text, no == ER_ACCESS_DENIED_ERROR ||
					   no == ER_SPECIFIC_ACCESS_DENIED_ERROR ?
				   " (the account needs the REPLICATION "
				   "SLAVE privilege)" : "");
	dm_buf_free(&where);
	return rc;
}

static int command_error(dm__binlog_stream *s, const char *what,
			 dm_error **err)
{
	return start_error(s, mysql_errno(s->m), mysql_sqlstate(s->m),
			   mysql_error(s->m), what, err);
}

static int send_command(dm__binlog_stream *s, unsigned command,
			const dm_buf *payload, bool read_reply)
{
	return s->m->methods->db_command(s->m,
					 (enum enum_server_command)command,
					 payload->data, payload->len,
					 read_reply ? 0 : 1, NULL);
}

static int set_connect_state(dm__binlog_stream *s, const dm_gtid_set *set,
			     dm_error **err)
{
	dm_buf state = DM_BUF_INIT;
	unsigned no;
	int rc;

	dm_buf_truncate(&s->sql, 0);
	rc = dm_gtid_set_format_position(&state, set);
	if (!rc)
		rc = dm_buf_puts(&s->sql, "SET @slave_connect_state = ");
	if (!rc)
		rc = dm_db_quote_value(&s->sql, state.data ? state.data : "",
				       state.len, 0);
	dm_buf_free(&state);
	if (rc)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	no = run_sql(s->m, s->sql.data);
	return no ? session_error(s, no, s->sql.data, err) : 0;
}

static int send_dump(dm__binlog_stream *s, dm_error **err)
{
	const dm_gtid_set *set = start_gtids(s);
	uint16_t flags = s->non_blocking ? DM__BINLOG_DUMP_NON_BLOCK : 0;
	unsigned command = DM__BINLOG_COM_BINLOG_DUMP;
	int rc;

	if (s->mariadb)
		flags |= DM__BINLOG_DUMP_SEND_ANNOTATE_ROWS;
	dm_buf_truncate(&s->sql, 0);
	if (set && s->mariadb) {
		rc = set_connect_state(s, set, err);
		if (rc)
			return rc;
		dm_buf_truncate(&s->sql, 0);
		rc = dm__binlog_dump_payload(&s->sql, "", 4, flags,
					     s->server_id);
	} else if (set) {
		command = DM__BINLOG_COM_BINLOG_DUMP_GTID;
		rc = dm__binlog_dump_gtid_payload(&s->sql, set, flags,
						  s->server_id);
	} else {
		rc = dm__binlog_dump_payload(&s->sql, s->t.resume_file.data,
					     (uint32_t)s->t.resume_pos, flags,
					     s->server_id);
	}
	if (rc)
		return dm_error_set(err, rc, NULL);
	if (send_command(s, command, &s->sql, false))
		return command_error(s, "dump from", err);
	return 0;
}

/* Parses the GTID start in the server's flavor. */
static int parse_start_gtid(dm__binlog_stream *s, dm_gtid_set **out,
			    dm_error **err)
{
	dm_gtid_flavor flavor = s->mariadb ? DM_GTID_MARIADB : DM_GTID_MYSQL;

	return dm_gtid_set_parse(out, flavor, s->start_gtid,
				 strlen(s->start_gtid), err);
}

static int init_tracker(dm__binlog_stream *s, dm_error **err)
{
	dm_gtid_set *set = NULL;
	int rc;

	if (s->gtid_mode) {
		rc = parse_start_gtid(s, &set, err);
		if (rc)
			return rc;
		return dm__binlog_tracker_start(&s->t, "", 4, set, s->crc_len,
						err);
	}
	if (!s->start_file) {
		rc = current_position(s, err);
		if (rc)
			return rc;
	}
	return dm__binlog_tracker_start(&s->t, s->start_file, s->start_pos,
					NULL, s->crc_len, err);
}

/* Connects, sets up the session and starts the dump at the tracker's
 * resume point (GTID set or file position; the first time, the tracker
 * starts at the options, read in the server's flavor), then reads the
 * first packet so that a refused start surfaces here. */
static int start_dump(dm__binlog_stream *s, bool reconnecting,
		      dm_error **err)
{
	unsigned long n;
	int rc;

	rc = connect_server(s, reconnecting, err);
	if (rc)
		return rc;
	if (s->mariadb && run_sql(s->m, "SET @mariadb_slave_capability = 4")) {
		rc = session_error(s, mysql_errno(s->m),
				   "SET @mariadb_slave_capability = 4", err);
		goto out_drop;
	}
	rc = negotiate_checksum(s, err);
	if (!rc)
		rc = set_heartbeat(s, err);
	if (!rc)
		rc = set_semi_sync(s, err);
	if (!rc && !reconnecting)
		rc = init_tracker(s, err);
	if (rc)
		goto out_drop;
	s->t.crc_len = s->crc_len;
	dm_buf_truncate(&s->sql, 0);
	if (dm__binlog_register_payload(&s->sql, s->server_id)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_drop;
	}
	if (send_command(s, DM__BINLOG_COM_REGISTER_SLAVE, &s->sql, true)) {
		rc = command_error(s, "registering to start at", err);
		goto out_drop;
	}
	rc = send_dump(s, err);
	if (rc)
		goto out_drop;
	n = mysql_net_read_packet(s->m);
	if (n == (unsigned long)packet_error) {
		rc = command_error(s, "dump from", err);
		goto out_drop;
	}
	s->pkt_len = n;
	s->have_pkt = true;
	return 0;
out_drop:
	drop_connection(s);
	return rc;
}

static void log_started(dm__binlog_stream *s, bool reconnecting)
{
	dm_buf where = DM_BUF_INIT;
	dm_log_field f[9];
	size_t n = 0;

	if (!dm__log_enabled(s->ctx, DM_LOG_INFO) || describe_start(s, &where)) {
		dm_buf_free(&where);
		return;
	}
	f[n++] = (dm_log_field){ "address", s->addr };
	f[n++] = (dm_log_field){ "server-id", s->server_id_text };
	f[n++] = (dm_log_field){ "start", where.data };
	f[n++] = (dm_log_field){ "server", s->version };
	f[n++] = (dm_log_field){ "tls", mysql_get_ssl_cipher(s->m) ? "on" :
								   "off" };
	f[n++] = (dm_log_field){ "semi-sync", s->semi_active ? "on" : "off" };
	dm__log_fields(s->ctx, DM_LOG_INFO, __FILE__, __LINE__,
		       reconnecting ? "binlog stream resumed" :
				      "binlog stream started", f, n);
	dm_buf_free(&where);
}

static void free_stream(dm__binlog_stream *s)
{
	drop_connection(s);
	dm_db_close(s->db);
	dm__binlog_tracker_free(&s->t);
	dm__free(s->start_file);
	dm__free(s->start_gtid);
	dm_buf_free(&s->ack);
	dm_buf_free(&s->sql);
	dm__free(s);
}

int dm__binlog_stream_open(dm__binlog_stream **out, dm_ctx *ctx,
			   const dm__binlog_stream_opts *opts, dm_error **err)
{
	dm__binlog_stream *s;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no place for the binlog stream");
	*out = NULL;
	rc = check_opts(opts, err);
	if (rc)
		return rc;
	s = dm__calloc(1, sizeof(*s));
	if (!s)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	s->ctx = ctx;
	if (!copy_opts(s, opts)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free;
	}
	rc = open_db(s, opts->db, err);
	if (!rc)
		rc = start_dump(s, false, err);
	if (rc)
		goto out_free;
	log_started(s, false);
	*out = s;
	return 0;
out_free:
	free_stream(s);
	return rc;
}

/* --------------------------------------------------------------- next */

static bool errno_is_retryable(unsigned no)
{
	return dm__db_errno_is_conn_lost(no);
}

static unsigned backoff_ms(unsigned failures)
{
	unsigned ms = BACKOFF_FIRST_MS;

	while (failures-- > 2 && ms < BACKOFF_MAX_MS)
		ms *= 2;
	return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}

static int lost_error(dm__binlog_stream *s, unsigned no, const char *text,
		      dm_error **err)
{
	if (s->reconnect_attempts == 0)
		return dm_error_set_db(err, DM_E_RELAY_TCP_READER_GET_EVENT,
				       scope_of(s), no, "HY000", text,
				       "%s: binlog stream lost its connection "
				       "after (%s, %llu): error %u: %s",
				       s->addr, cur_file(s),
				       (unsigned long long)s->t.pos, no, text);
	return dm_error_set_db(err, DM_E_RELAY_TCP_READER_GET_EVENT,
			       scope_of(s), no, "HY000", text,
			       "%s: binlog stream lost its connection after "
			       "(%s, %llu) and %u reconnect attempts failed: "
			       "error %u: %s", s->addr, cur_file(s),
			       (unsigned long long)s->t.pos, s->failures, no,
			       text);
}

/* Gives the caller `e` (ours) as its error. */
static int hand_over(dm_error **err, dm_error *e, int rc)
{
	if (err && !*err) {
		*err = e;
		return rc;
	}
	if (err)
		dm_error_set(err, rc, "%s", dm_error_message(e));
	dm_error_free(e);
	return rc;
}

/* The connection broke with errno `no`: reconnect and restart the dump
 * at the last complete transaction, up to reconnect_attempts times. */
static int recover(dm__binlog_stream *s, unsigned no, const char *why,
		   dm_error **err)
{
	char text[MYSQL_ERRMSG_SIZE];
	char errno_text[16], attempt_text[16];
	dm_error *e = NULL;
	int rc;

	snprintf(text, sizeof(text), "%s", why);
	drop_connection(s);
	for (;;) {
		if (s->failures >= s->reconnect_attempts)
			return lost_error(s, no, text, err);
		s->failures++;
		snprintf(errno_text, sizeof(errno_text), "%u", no);
		snprintf(attempt_text, sizeof(attempt_text), "%u",
			 s->failures);
		log_stream(s, DM_LOG_WARN, __LINE__,
			   "binlog stream lost its connection; reconnecting",
			   "errno", errno_text, "error", text, "attempt",
			   attempt_text);
		/* Back off on repeated failures, and when a server keeps
		 * dropping us right after a reconnect. */
		if (s->failures > 1)
			dm__clock_sleep_ms(backoff_ms(s->failures));
		else if (s->reconnected_ms &&
			 dm__clock_now_ms() - s->reconnected_ms < 1000)
			dm__clock_sleep_ms(BACKOFF_FIRST_MS);
		rc = dm__binlog_tracker_rewind(&s->t, err);
		if (rc)
			return rc;
		rc = start_dump(s, true, &e);
		if (!rc) {
			s->reconnects++;
			s->reconnected_ms = dm__clock_now_ms();
			s->restarted = true;
			log_started(s, true);
			return 0;
		}
		no = dm_error_server_errno(e);
		if (rc == DM_E_NO_MEMORY || rc == DM_E_DB_TLS ||
		    !errno_is_retryable(no))
			return hand_over(err, e, rc);
		snprintf(text, sizeof(text), "%s", dm_error_raw_cause(e));
		dm_error_free(e);
		e = NULL;
	}
}

static int send_ack(dm__binlog_stream *s)
{
	if (!s->ack_due)
		return 0;
	s->ack_due = false;
	return send_command(s, DM__BINLOG_SEMI_SYNC_MAGIC, &s->ack, false);
}

/* Reads the next packet. 0; 1 when the connection is lost (*no, *text
 * say why); or a negative status. */
static int read_packet(dm__binlog_stream *s, unsigned *no, const char **text,
		       dm_error **err)
{
	uint64_t started_ms;
	unsigned long n;

	if (s->inject_break) {
		s->inject_break = false;
		*no = CR_SERVER_LOST;
		*text = "connection broken by fault injection";
		return 1;
	}
	if (send_ack(s)) {
		*no = mysql_errno(s->m);
		*text = mysql_error(s->m);
		return 1;
	}
	started_ms = dm__clock_now_ms();
	n = mysql_net_read_packet(s->m);
	if (n != (unsigned long)packet_error) {
		s->pkt_len = n;
		s->have_pkt = true;
		return 0;
	}
	*no = mysql_errno(s->m);
	*text = mysql_error(s->m);
	/* A read timeout on an idle upstream is no failure of the server:
	 * reconnecting then does not use up an attempt. */
	if (*no == CR_SERVER_LOST &&
	    dm__clock_now_ms() - started_ms >= (uint64_t)s->read_timeout * 1000) {
		*text = "no event within the read timeout";
		s->failures = 0;
	}
	if (errno_is_retryable(*no))
		return 1;
	if (*no == CR_NET_PACKET_TOO_LARGE)
		return dm_error_set_db(err, DM_E_RELAY_TCP_READER_GET_EVENT,
				       scope_of(s), *no, mysql_sqlstate(s->m),
				       *text,
				       "%s: binlog event after (%s, %llu) is "
				       "larger than max_allowed_packet (%zu)",
				       s->addr, cur_file(s),
				       (unsigned long long)s->t.pos,
				       s->max_packet);
	return dm_error_set_db(err, DM_E_RELAY_TCP_READER_GET_EVENT,
			       scope_of(s), *no, mysql_sqlstate(s->m), *text,
			       "%s: cannot read binlog event after (%s, %llu) "
			       "as replica %u: error %u: %s", s->addr,
			       cur_file(s), (unsigned long long)s->t.pos,
			       (unsigned)s->server_id, *no, *text);
}

/* Remembers the ACK a semi-sync server asked for: the end of the event in
 * the file it came from. */
static int owe_ack(dm__binlog_stream *s, const dm__binlog_packet *p,
		   dm_error **err)
{
	uint32_t log_pos = (uint32_t)p->ev[13] | (uint32_t)p->ev[14] << 8 |
			   (uint32_t)p->ev[15] << 16 | (uint32_t)p->ev[16] << 24;

	dm_buf_truncate(&s->ack, 0);
	if (dm__binlog_semi_ack_payload(&s->ack, cur_file(s), log_pos))
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	s->ack_due = true;
	return 0;
}

static int stream_failed(dm__binlog_stream *s, int rc)
{
	s->dead = true;
	drop_connection(s);
	return rc;
}

int dm__binlog_stream_next(dm__binlog_stream *s, const unsigned char **ev,
			   size_t *len, dm_error **err)
{
	dm__binlog_packet p;
	const char *text = NULL;
	unsigned no = 0, flags;
	uint64_t trx_before;
	int rc;

	if (!s || !ev || !len)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no binlog stream or no place for the event");
	*ev = NULL;
	*len = 0;
	s->ev_flags = 0;
	if (s->dead)
		return dm_error_set(err, DM_E_CLOSED,
				    "%s: binlog stream stopped after an "
				    "earlier error", s->addr);
	if (s->done)
		return DM_DONE;
	for (;;) {
		if (!s->have_pkt) {
			rc = read_packet(s, &no, &text, err);
			if (rc == 1)
				rc = recover(s, no, text, err);
			if (rc)
				return stream_failed(s, rc);
			continue;
		}
		s->have_pkt = false;
		rc = dm__binlog_packet_classify(&p, s->m->net.read_pos,
						s->pkt_len, s->semi_active,
						err);
		if (rc)
			return stream_failed(s, rc);
		if (p.kind == DM__BINLOG_PACKET_EOF && s->non_blocking) {
			s->done = true;
			drop_connection(s);
			return DM_DONE;
		}
		if (p.kind == DM__BINLOG_PACKET_EOF) {
			/* A blocking dump ends only when the server stops
			 * it (KILL, shutdown): as a lost connection. */
			rc = recover(s, CR_SERVER_LOST,
				     "the server ended the binlog dump", err);
			if (rc)
				return stream_failed(s, rc);
			continue;
		}
		if (p.kind == DM__BINLOG_PACKET_ERR) {
			char state[6];

			snprintf(state, sizeof(state), "%s", p.sqlstate);
			rc = dm_error_set_db(err, DM_E_RELAY_TCP_READER_GET_EVENT,
					     scope_of(s), p.err_code, state,
					     NULL, "%s: error %u: %.*s", s->addr,
					     p.err_code, (int)p.msg_len, p.msg);
			return stream_failed(s, rc);
		}
		break;
	}
	if (p.ack_requested) {
		rc = owe_ack(s, &p, err);
		if (rc)
			return stream_failed(s, rc);
	}
	trx_before = s->t.trx_count;
	rc = dm__binlog_tracker_feed(&s->t, p.ev, p.len, &flags, err);
	if (rc)
		return stream_failed(s, rc);
	if (s->t.trx_count != trx_before || (flags & DM__BINLOG_STREAM_HEARTBEAT))
		s->failures = 0;
	if (s->restarted) {
		flags |= DM__BINLOG_STREAM_RESTARTED;
		s->restarted = false;
	}
	s->ev_flags = flags;
	*ev = p.ev;
	*len = p.len;
	return 0;
}

/* ---------------------------------------------------------- accessors */

unsigned dm__binlog_stream_event_flags(const dm__binlog_stream *s)
{
	return s ? s->ev_flags : 0;
}

int dm__binlog_stream_position(const dm__binlog_stream *s, const char **file,
			       uint64_t *pos)
{
	if (!s || !file || !pos)
		return DM_E_INVALID_ARGUMENT;
	*file = cur_file(s);
	*pos = s->t.pos;
	return 0;
}

int dm__binlog_stream_resume_position(const dm__binlog_stream *s,
				      const char **file, uint64_t *pos)
{
	if (!s || !file || !pos)
		return DM_E_INVALID_ARGUMENT;
	*file = s->t.resume_valid ? s->t.resume_file.data : NULL;
	*pos = s->t.resume_valid ? s->t.resume_pos : 0;
	return 0;
}

const dm_gtid_set *dm__binlog_stream_resume_gtids(const dm__binlog_stream *s)
{
	if (!s || !s->gtid_mode || s->t.gtids_lost)
		return NULL;
	return s->t.gtids;
}

bool dm__binlog_stream_is_mariadb(const dm__binlog_stream *s)
{
	return s && s->mariadb;
}

const char *dm__binlog_stream_server_version(const dm__binlog_stream *s)
{
	return s && s->version ? s->version : "";
}

bool dm__binlog_stream_semi_sync(const dm__binlog_stream *s)
{
	return s && s->semi_active;
}

unsigned dm__binlog_stream_reconnects(const dm__binlog_stream *s)
{
	return s ? s->reconnects : 0;
}

unsigned long dm__binlog_stream_connection_id(const dm__binlog_stream *s)
{
	return s && s->m ? mysql_thread_id(s->m) : 0;
}

void dm__binlog_stream_inject_break(dm__binlog_stream *s)
{
	if (!s || !s->m)
		return;
	shutdown(mysql_get_socket(s->m), SHUT_RDWR);
	s->inject_break = true;
}

void dm__binlog_stream_close(dm__binlog_stream *s)
{
	if (!s)
		return;
	log_stream(s, DM_LOG_DEBUG, __LINE__, "binlog stream closed", NULL,
		   NULL, NULL, NULL, NULL, NULL);
	free_stream(s);
}
