/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pure parts of the live binlog transport (lib/binlog/stream.c):
 * packet classification, semi-sync header stripping, command payloads,
 * checksum detection, position and transaction tracking over crafted
 * event sequences, GTID bookkeeping, malformed events, allocation
 * failures and option checks. Server behaviour is covered by
 * tests/integration/binlog_stream.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binlog/stream.h"
#include "dm/err.h"
#include "dm/gtid.h"
#include "dm/util.h"
#include "util/alloc.h"

#define UUID_TEXT "3e11fa47-71ca-11e1-9e33-c80aa9429562"
static const unsigned char uuid_bytes[16] = {
	0x3e, 0x11, 0xfa, 0x47, 0x71, 0xca, 0x11, 0xe1,
	0x9e, 0x33, 0xc8, 0x0a, 0xa9, 0x42, 0x95, 0x62
};

/* ------------------------------------------------------------ builders */

typedef struct evbuf {
	unsigned char b[1024];
	size_t len;
} evbuf;

static void le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t rd(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* An event: header, body, and `crc` checksum bytes (0xcc). */
static void mk(evbuf *e, unsigned type, uint32_t server_id, uint32_t log_pos,
	       uint16_t flags, const void *body, size_t body_len, unsigned crc)
{
	e->len = 19 + body_len + crc;
	assert_true(e->len <= sizeof(e->b));
	le(e->b, 1700000000, 4);
	e->b[4] = (unsigned char)type;
	le(e->b + 5, server_id, 4);
	le(e->b + 9, e->len, 4);
	le(e->b + 13, log_pos, 4);
	le(e->b + 17, flags, 2);
	if (body_len)
		memcpy(e->b + 19, body, body_len);
	memset(e->b + 19 + body_len, 0xcc, crc);
}

static void mk_rotate(evbuf *e, uint32_t log_pos, uint16_t flags,
		      const char *name, uint64_t pos, unsigned crc)
{
	unsigned char body[8 + 700];
	size_t n = strlen(name);

	assert_true(n <= 700);
	le(body, pos, 8);
	memcpy(body + 8, name, n);
	mk(e, 4, 1, log_pos, flags, body, 8 + n, crc);
}

/* A format description event from `version` with checksum algorithm
 * `alg` (-1: none, as before checksums). */
static void mk_fde(evbuf *e, uint32_t log_pos, const char *version, int alg)
{
	unsigned char body[2 + 50 + 4 + 1 + 40 + 1];
	size_t n = 0;

	memset(body, 0, sizeof(body));
	le(body, 4, 2);
	memcpy(body + 2, version, strlen(version));
	le(body + 52, 1700000000, 4);
	body[56] = 19;
	memset(body + 57, 8, 40); /* post-header lengths */
	n = 57 + 40;
	if (alg >= 0)
		body[n++] = (unsigned char)alg;
	mk(e, 15, 1, log_pos, 0, body, n, alg >= 0 ? 4 : 0);
}

static void mk_mariadb_gtid(evbuf *e, uint32_t log_pos, uint32_t server_id,
			    uint32_t domain, uint64_t seq, bool standalone,
			    unsigned crc)
{
	unsigned char body[19];

	memset(body, 0, sizeof(body));
	le(body, seq, 8);
	le(body + 8, domain, 4);
	body[12] = standalone ? 0x01 : 0x00;
	mk(e, 162, server_id, log_pos, 0, body, sizeof(body), crc);
}

static void mk_mysql_gtid(evbuf *e, unsigned type, uint32_t log_pos,
			  uint64_t gno, unsigned crc)
{
	unsigned char body[42];

	memset(body, 0, sizeof(body));
	body[0] = 1;
	memcpy(body + 1, uuid_bytes, 16);
	le(body + 17, gno, 8);
	mk(e, type, 1, log_pos, 0, body, sizeof(body), crc);
}

static void mk_query(evbuf *e, uint32_t log_pos, const char *db,
		     const char *sql, unsigned crc)
{
	unsigned char body[512];
	size_t dbn = strlen(db), n = strlen(sql), k = 0;

	le(body, 7, 4);          /* thread id */
	le(body + 4, 0, 4);      /* exec time */
	body[8] = (unsigned char)dbn;
	le(body + 9, 0, 2);      /* error code */
	le(body + 11, 3, 2);     /* status vars length */
	k = 13;
	body[k++] = 0;           /* Q_FLAGS2_CODE, truncated on purpose: */
	body[k++] = 0;           /* the tracker skips status vars whole */
	body[k++] = 0;
	memcpy(body + k, db, dbn);
	k += dbn;
	body[k++] = 0;
	memcpy(body + k, sql, n);
	k += n;
	mk(e, 2, 1, log_pos, 0, body, k, crc);
}

static void mk_plain(evbuf *e, unsigned type, uint32_t log_pos, unsigned crc)
{
	unsigned char body[16];

	memset(body, 0x5a, sizeof(body));
	mk(e, type, 1, log_pos, 0, body, sizeof(body), crc);
}

/* Feeds an event that must be accepted; returns its flags. */
static unsigned feed_ok(dm__binlog_tracker *t, const evbuf *e)
{
	dm_error *err = NULL;
	unsigned flags = 99;
	int rc = dm__binlog_tracker_feed(t, e->b, e->len, &flags, &err);

	if (rc) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
		fail_msg("feed: %s", b.data);
	}
	assert_null(err);
	return flags;
}

static void feed_fails(dm__binlog_tracker *t, const evbuf *e, int status)
{
	dm_error *err = NULL;
	unsigned flags = 99;

	assert_int_equal(dm__binlog_tracker_feed(t, e->b, e->len, &flags, &err),
			 status);
	assert_non_null(err);
	assert_int_equal(dm_error_status(err), status);
	dm_error_free(err);
}

static void assert_pos(const dm__binlog_tracker *t, const char *file,
		       uint64_t pos)
{
	assert_string_equal(t->file.data, file);
	assert_int_equal(t->pos, pos);
}

static void assert_resume(const dm__binlog_tracker *t, const char *file,
			  uint64_t pos)
{
	assert_true(t->resume_valid);
	assert_string_equal(t->resume_file.data, file);
	assert_int_equal(t->resume_pos, pos);
}

static void start_file(dm__binlog_tracker *t, const char *file, uint64_t pos,
		       unsigned crc)
{
	assert_int_equal(dm__binlog_tracker_start(t, file, pos, NULL, crc,
						  NULL), 0);
}

static void start_gtid(dm__binlog_tracker *t, dm_gtid_flavor flavor,
		       const char *text, unsigned crc)
{
	dm_gtid_set *set = NULL;

	assert_int_equal(dm_gtid_set_parse(&set, flavor, text, strlen(text),
					   NULL), 0);
	assert_int_equal(dm__binlog_tracker_start(t, "", 4, set, crc, NULL),
			 0);
}

static void assert_gtids(const dm__binlog_tracker *t, const char *want)
{
	dm_buf b = DM_BUF_INIT;

	assert_non_null(t->gtids);
	if (dm_gtid_set_flavor(t->gtids) == DM_GTID_MARIADB)
		assert_int_equal(dm_gtid_set_format_position(&b, t->gtids), 0);
	else
		assert_int_equal(dm_gtid_set_format(&b, t->gtids), 0);
	assert_string_equal(b.data ? b.data : "", want);
	dm_buf_free(&b);
}

/* ---------------------------------------------------- classification */

static void test_binstream__classifies_event_packet(void **state)
{
	unsigned char pkt[1 + 40];
	dm__binlog_packet p;
	evbuf e;

	(void)state;
	mk_plain(&e, 16, 1234, 4);
	assert_true(e.len + 1 <= sizeof(pkt));
	pkt[0] = 0x00;
	memcpy(pkt + 1, e.b, e.len);
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, e.len + 1, false,
						    NULL), 0);
	assert_int_equal(p.kind, DM__BINLOG_PACKET_EVENT);
	assert_ptr_equal(p.ev, pkt + 1);
	assert_int_equal(p.len, e.len);
	assert_false(p.ack_requested);
}

static void test_binstream__classifies_eof_and_err(void **state)
{
	static const unsigned char eof[] = { 0xfe, 0, 0, 0x02, 0 };
	static const unsigned char errp[] =
		"\xff\xd4\x04#HY000Could not find first log file name";
	static const unsigned char bare[] = "\xff\x0b\x00no state";
	dm__binlog_packet p;

	(void)state;
	assert_int_equal(dm__binlog_packet_classify(&p, eof, sizeof(eof),
						    false, NULL), 0);
	assert_int_equal(p.kind, DM__BINLOG_PACKET_EOF);
	/* EOF also when semi-sync is on: it has no semi-sync header. */
	assert_int_equal(dm__binlog_packet_classify(&p, eof, sizeof(eof),
						    true, NULL), 0);
	assert_int_equal(p.kind, DM__BINLOG_PACKET_EOF);

	assert_int_equal(dm__binlog_packet_classify(&p, errp, sizeof(errp) - 1,
						    false, NULL), 0);
	assert_int_equal(p.kind, DM__BINLOG_PACKET_ERR);
	assert_int_equal(p.err_code, 1236);
	assert_string_equal(p.sqlstate, "HY000");
	assert_int_equal(p.msg_len,
			 strlen("Could not find first log file name"));
	assert_memory_equal(p.msg, "Could not find first log file name",
			    p.msg_len);

	assert_int_equal(dm__binlog_packet_classify(&p, bare, sizeof(bare) - 1,
						    false, NULL), 0);
	assert_int_equal(p.err_code, 11);
	assert_string_equal(p.sqlstate, "");
	assert_int_equal(p.msg_len, 8);
}

static void test_binstream__rejects_bad_packets(void **state)
{
	unsigned char pkt[64] = { 0 };
	dm__binlog_packet p;
	dm_error *err = NULL;
	evbuf e;

	(void)state;
	/* Empty, unknown type, shorter than a header, wrong event size. */
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, 0, false, &err),
			 DM_E_BINLOG_HEADER_LENGTH_NOT_VALID);
	dm_error_free(err);
	err = NULL;
	pkt[0] = 0x01;
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, 30, false, &err),
			 DM_E_RELAY_TCP_READER_GET_EVENT);
	assert_non_null(strstr(dm_error_message(err), "0x01"));
	dm_error_free(err);
	err = NULL;
	pkt[0] = 0x00;
	memset(pkt + 1, 0, 18);
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, 19, false, &err),
			 DM_E_BINLOG_HEADER_LENGTH_NOT_VALID);
	dm_error_free(err);
	err = NULL;
	mk_plain(&e, 16, 100, 0);
	memcpy(pkt + 1, e.b, e.len);
	le(pkt + 1 + 9, e.len + 1, 4);
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, e.len + 1, false,
						    &err),
			 DM_E_BINLOG_HEADER_LENGTH_NOT_VALID);
	assert_non_null(strstr(dm_error_message(err), "header says"));
	dm_error_free(err);
	assert_int_equal(dm__binlog_packet_classify(NULL, pkt, 1, false, NULL),
			 DM_E_INVALID_ARGUMENT);
}

static void test_binstream__strips_semi_sync_header(void **state)
{
	unsigned char pkt[3 + 40];
	dm__binlog_packet p;
	dm_error *err = NULL;
	evbuf e;

	(void)state;
	mk_plain(&e, 16, 500, 4);
	pkt[0] = 0x00;
	pkt[1] = DM__BINLOG_SEMI_SYNC_MAGIC;
	pkt[2] = 0x01;
	memcpy(pkt + 3, e.b, e.len);
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, e.len + 3, true,
						    NULL), 0);
	assert_int_equal(p.kind, DM__BINLOG_PACKET_EVENT);
	assert_ptr_equal(p.ev, pkt + 3);
	assert_int_equal(p.len, e.len);
	assert_memory_equal(p.ev, e.b, e.len);
	assert_true(p.ack_requested);

	pkt[2] = 0x00;
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, e.len + 3, true,
						    NULL), 0);
	assert_false(p.ack_requested);

	/* Without the magic byte the packet is not what we negotiated. */
	pkt[1] = 0x12;
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, e.len + 3, true,
						    &err),
			 DM_E_RELAY_TCP_READER_GET_EVENT);
	assert_non_null(strstr(dm_error_message(err), "semi-sync"));
	dm_error_free(err);
	/* Only the OK byte: too short for the header. */
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, 1, true, NULL),
			 DM_E_RELAY_TCP_READER_GET_EVENT);
	/* Not semi-sync: the same bytes are an event whose size is wrong. */
	pkt[1] = DM__BINLOG_SEMI_SYNC_MAGIC;
	assert_int_equal(dm__binlog_packet_classify(&p, pkt, e.len + 3, false,
						    NULL),
			 DM_E_BINLOG_HEADER_LENGTH_NOT_VALID);
}

/* ----------------------------------------------------------- payloads */

static void test_binstream__builds_dump_payload(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm__binlog_dump_payload(&b, "mysql-bin.000007",
						 0x01020304, 0x0003, 4242), 0);
	assert_int_equal(b.len, 10 + 16);
	assert_int_equal(rd((unsigned char *)b.data, 4), 0x01020304);
	assert_int_equal(rd((unsigned char *)b.data + 4, 2), 3);
	assert_int_equal(rd((unsigned char *)b.data + 6, 4), 4242);
	assert_memory_equal(b.data + 10, "mysql-bin.000007", 16);
	dm_buf_clear(&b);
	assert_int_equal(dm__binlog_dump_payload(&b, NULL, 4, 0, 1), 0);
	assert_int_equal(b.len, 10);
	dm_buf_free(&b);
}

static void test_binstream__builds_register_and_ack(void **state)
{
	static const unsigned char reg[18] = {
		0x39, 0x30, 0, 0, /* server id 12345 */
		0, 0, 0,          /* host, user, password: empty */
		0, 0,             /* port */
		0, 0, 0, 0,       /* rank */
		0, 0, 0, 0, 0
	};
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm__binlog_register_payload(&b, 12345), 0);
	assert_int_equal(b.len, 17);
	assert_memory_equal(b.data, reg, 17);
	dm_buf_clear(&b);
	assert_int_equal(dm__binlog_semi_ack_payload(&b, "mysql-bin.000002",
						     0x1122334455ull), 0);
	assert_int_equal(b.len, 8 + 16);
	assert_int_equal(rd((unsigned char *)b.data, 8), 0x1122334455ull);
	assert_memory_equal(b.data + 8, "mysql-bin.000002", 16);
	dm_buf_free(&b);
}

static void test_binstream__encodes_mysql_gtid_dump(void **state)
{
	const char *text = UUID_TEXT ":1-5:7";
	dm_gtid_set *set = NULL, *maria = NULL;
	dm_buf b = DM_BUF_INIT;
	const unsigned char *p, *d;

	(void)state;
	assert_int_equal(dm_gtid_set_parse(&set, DM_GTID_MYSQL, text,
					   strlen(text), NULL), 0);
	assert_int_equal(dm__binlog_dump_gtid_payload(&b, set,
						      DM__BINLOG_DUMP_NON_BLOCK,
						      77), 0);
	p = (const unsigned char *)b.data;
	/* flags, server id, empty file name, position 4, data length */
	assert_int_equal(rd(p, 2), DM__BINLOG_DUMP_NON_BLOCK |
				   DM__BINLOG_DUMP_THROUGH_GTID);
	assert_int_equal(rd(p + 2, 4), 77);
	assert_int_equal(rd(p + 6, 4), 0);
	assert_int_equal(rd(p + 10, 8), 4);
	assert_int_equal(rd(p + 18, 4), 8 + 16 + 8 + 2 * 16);
	assert_int_equal(b.len, 22 + 8 + 16 + 8 + 2 * 16);
	/* The set: one source, its UUID, two half-open intervals. */
	d = p + 22;
	assert_int_equal(rd(d, 8), 1);
	assert_memory_equal(d + 8, uuid_bytes, 16);
	assert_int_equal(rd(d + 24, 8), 2);
	assert_int_equal(rd(d + 32, 8), 1);
	assert_int_equal(rd(d + 40, 8), 6);
	assert_int_equal(rd(d + 48, 8), 7);
	assert_int_equal(rd(d + 56, 8), 8);
	dm_buf_clear(&b);

	assert_int_equal(dm_gtid_set_parse(&maria, DM_GTID_MARIADB, "0-1-5", 5,
					   NULL), 0);
	assert_int_equal(dm__binlog_dump_gtid_payload(&b, maria, 0, 1),
			 DM_E_NOT_MYSQL_GTID);
	assert_int_equal(dm__binlog_dump_gtid_payload(&b, NULL, 0, 1),
			 DM_E_NOT_MYSQL_GTID);
	dm_gtid_set_free(maria);
	dm_gtid_set_free(set);
	dm_buf_free(&b);
}

static void test_binstream__reads_fde_checksum(void **state)
{
	evbuf e;

	(void)state;
	mk_fde(&e, 256, "10.11.6-MariaDB-log", 1);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), 4);
	mk_fde(&e, 256, "10.11.6-MariaDB-log", 0);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), 0);
	mk_fde(&e, 256, "5.3.12-MariaDB", 1);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), 4);
	mk_fde(&e, 120, "5.6.1-m5-log", 1);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), 4);
	mk_fde(&e, 120, "8.0.36", 0xff);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), 0);
	mk_fde(&e, 120, "8.0.36", 7);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), -1);
	/* Before checksums there is no algorithm byte to read. */
	mk_fde(&e, 107, "5.5.62-log", -1);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), -1);
	mk_fde(&e, 107, "5.6.0", 1);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), -1);
	/* Not an FDE, or too short. */
	mk_plain(&e, 16, 10, 0);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, e.len), -1);
	mk_fde(&e, 256, "10.11.6-MariaDB-log", 1);
	assert_int_equal(dm__binlog_fde_checksum_len(e.b, 19 + 50), -1);
	assert_int_equal(dm__binlog_fde_checksum_len(NULL, 300), -1);
}

/* ----------------------------------------------------------- tracking */

static void test_binstream__tracks_mariadb_file_positions(void **state)
{
	dm__binlog_tracker t;
	evbuf e;

	(void)state;
	start_file(&t, "mysql-bin.000001", 4, 4);
	assert_pos(&t, "mysql-bin.000001", 4);
	assert_resume(&t, "mysql-bin.000001", 4);

	/* The server's fake ROTATE and the file's FDE. */
	mk_rotate(&e, 0, 0x20, "mysql-bin.000001", 4, 4);
	assert_int_equal(feed_ok(&t, &e), DM__BINLOG_STREAM_ARTIFICIAL);
	assert_pos(&t, "mysql-bin.000001", 4);
	mk_fde(&e, 256, "10.11.6-MariaDB-log", 1);
	assert_int_equal(feed_ok(&t, &e), 0);
	assert_pos(&t, "mysql-bin.000001", 256);
	assert_resume(&t, "mysql-bin.000001", 256);
	mk_plain(&e, 163, 285, 4); /* GTID_LIST */
	feed_ok(&t, &e);
	mk_plain(&e, 161, 328, 4); /* BINLOG_CHECKPOINT */
	feed_ok(&t, &e);
	assert_resume(&t, "mysql-bin.000001", 328);

	/* A transaction: the resume point moves at its XID only. */
	mk_mariadb_gtid(&e, 370, 101, 0, 1, false, 4);
	feed_ok(&t, &e);
	assert_int_equal(t.trx, DM__BINLOG_TRX_OPEN);
	mk_plain(&e, 160, 430, 4); /* ANNOTATE_ROWS */
	feed_ok(&t, &e);
	mk_plain(&e, 19, 474, 4);  /* TABLE_MAP */
	feed_ok(&t, &e);
	mk_plain(&e, 23, 521, 4);  /* WRITE_ROWS_V1 */
	feed_ok(&t, &e);
	assert_pos(&t, "mysql-bin.000001", 521);
	assert_resume(&t, "mysql-bin.000001", 328);
	mk_plain(&e, 16, 552, 4);  /* XID */
	feed_ok(&t, &e);
	assert_resume(&t, "mysql-bin.000001", 552);
	assert_int_equal(t.trx, DM__BINLOG_TRX_IDLE);
	assert_int_equal(t.trx_count, 1);

	/* DDL: a standalone GTID, then the statement completes it. */
	mk_mariadb_gtid(&e, 594, 101, 0, 2, true, 4);
	feed_ok(&t, &e);
	assert_int_equal(t.trx, DM__BINLOG_TRX_GTID);
	assert_resume(&t, "mysql-bin.000001", 552);
	mk_query(&e, 680, "test", "CREATE TABLE t (a INT)", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "mysql-bin.000001", 680);

	/* Non-transactional table: GTID, statement rows, QUERY COMMIT. */
	mk_mariadb_gtid(&e, 722, 101, 0, 3, false, 4);
	feed_ok(&t, &e);
	mk_query(&e, 800, "test", "INSERT INTO m VALUES (1)", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "mysql-bin.000001", 680);
	mk_query(&e, 860, "test", "COMMIT", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "mysql-bin.000001", 860);
	assert_int_equal(t.trx_count, 3);

	/* Heartbeats and artificial FDEs (log_pos 0) move nothing. */
	mk_plain(&e, 27, 860, 4);
	assert_int_equal(feed_ok(&t, &e), DM__BINLOG_STREAM_ARTIFICIAL |
						  DM__BINLOG_STREAM_HEARTBEAT);
	mk_plain(&e, 41, 99999, 4);
	assert_int_equal(feed_ok(&t, &e), DM__BINLOG_STREAM_ARTIFICIAL |
						  DM__BINLOG_STREAM_HEARTBEAT);
	mk_fde(&e, 0, "10.11.6-MariaDB-log", 1);
	assert_int_equal(feed_ok(&t, &e), DM__BINLOG_STREAM_ARTIFICIAL);
	assert_pos(&t, "mysql-bin.000001", 860);

	/* The real ROTATE at the end of the file, then the next file. */
	mk_rotate(&e, 911, 0, "mysql-bin.000002", 4, 4);
	assert_int_equal(feed_ok(&t, &e), 0);
	assert_pos(&t, "mysql-bin.000002", 4);
	assert_resume(&t, "mysql-bin.000002", 4);
	mk_rotate(&e, 0, 0x20, "mysql-bin.000002", 4, 4);
	assert_int_equal(feed_ok(&t, &e), DM__BINLOG_STREAM_ARTIFICIAL);
	mk_fde(&e, 256, "10.11.6-MariaDB-log", 1);
	feed_ok(&t, &e);
	assert_resume(&t, "mysql-bin.000002", 256);

	/* Half a transaction, then a reconnect: back to its start. */
	mk_mariadb_gtid(&e, 298, 101, 0, 4, false, 4);
	feed_ok(&t, &e);
	mk_plain(&e, 19, 342, 4);
	feed_ok(&t, &e);
	assert_pos(&t, "mysql-bin.000002", 342);
	assert_int_equal(dm__binlog_tracker_rewind(&t, NULL), 0);
	assert_pos(&t, "mysql-bin.000002", 256);
	assert_int_equal(t.trx, DM__BINLOG_TRX_IDLE);
	assert_false(t.have_pending);
	dm__binlog_tracker_free(&t);
}

static void test_binstream__tracks_mysql_transactions(void **state)
{
	dm__binlog_tracker t;
	evbuf e;

	(void)state;
	start_file(&t, "binlog.000003", 4, 4);
	mk_rotate(&e, 0, 0x20, "binlog.000003", 4, 4);
	feed_ok(&t, &e);
	mk_fde(&e, 126, "8.0.36", 1);
	feed_ok(&t, &e);
	mk_plain(&e, 35, 197, 4); /* PREVIOUS_GTIDS */
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 197);

	/* GTID, BEGIN, rows, XID. */
	mk_mysql_gtid(&e, 33, 276, 6, 4);
	feed_ok(&t, &e);
	assert_int_equal(t.trx, DM__BINLOG_TRX_GTID);
	mk_query(&e, 351, "", "BEGIN", 4);
	feed_ok(&t, &e);
	assert_int_equal(t.trx, DM__BINLOG_TRX_OPEN);
	mk_plain(&e, 19, 400, 4);
	feed_ok(&t, &e);
	mk_plain(&e, 30, 450, 4); /* WRITE_ROWS v2 */
	feed_ok(&t, &e);
	/* A statement inside BEGIN does not end it; SAVEPOINT neither. */
	mk_query(&e, 500, "d", "SAVEPOINT s1", 4);
	feed_ok(&t, &e);
	mk_query(&e, 550, "d", "ROLLBACK TO SAVEPOINT s1", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 197);
	mk_plain(&e, 16, 581, 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 581);

	/* Anonymous GTID, then DDL without BEGIN. */
	mk_mysql_gtid(&e, 34, 660, 0, 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 581);
	mk_query(&e, 760, "d", "create table x (a int)", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 760);

	/* XA: START opens, END keeps it open, XA_PREPARE completes; the
	 * later XA COMMIT is a statement of its own. */
	mk_mysql_gtid(&e, 33, 839, 7, 4);
	feed_ok(&t, &e);
	mk_query(&e, 900, "d", "XA START X'01',X'',1", 4);
	feed_ok(&t, &e);
	mk_plain(&e, 30, 950, 4);
	feed_ok(&t, &e);
	mk_query(&e, 1000, "d", "XA END X'01',X'',1", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 760);
	mk_plain(&e, 38, 1050, 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 1050);
	mk_mysql_gtid(&e, 33, 1129, 8, 4);
	feed_ok(&t, &e);
	mk_query(&e, 1200, "d", "XA COMMIT X'01',X'',1", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 1200);

	/* A compressed transaction payload holds the whole transaction. */
	mk_mysql_gtid(&e, 33, 1279, 9, 4);
	feed_ok(&t, &e);
	mk_plain(&e, 40, 1400, 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000003", 1400);
	assert_int_equal(t.trx_count, 5);

	/* Without checksums the rotate name ends where the event does. */
	dm__binlog_tracker_free(&t);
	start_file(&t, "binlog.000003", 4, 0);
	mk_rotate(&e, 1500, 0, "binlog.000004", 4, 0);
	feed_ok(&t, &e);
	assert_pos(&t, "binlog.000004", 4);
	dm__binlog_tracker_free(&t);
}

static void test_binstream__checksum_follows_fde(void **state)
{
	dm__binlog_tracker t;
	evbuf e;

	(void)state;
	/* Negotiated CRC32, then a file written without checksums. */
	start_file(&t, "b.000001", 4, 4);
	mk_rotate(&e, 0, 0x20, "b.000001", 4, 4);
	feed_ok(&t, &e);
	assert_pos(&t, "b.000001", 4);
	mk_fde(&e, 256, "10.11.6-MariaDB-log", 0);
	feed_ok(&t, &e);
	assert_int_equal(t.crc_len, 0);
	mk_rotate(&e, 300, 0, "b.000002", 4, 0);
	feed_ok(&t, &e);
	assert_pos(&t, "b.000002", 4);
	/* An FDE that does not say keeps what we had. */
	mk_fde(&e, 107, "5.5.62-log", -1);
	feed_ok(&t, &e);
	assert_int_equal(t.crc_len, 0);
	dm__binlog_tracker_free(&t);
}

static void test_binstream__tracks_mariadb_gtids(void **state)
{
	dm__binlog_tracker t;
	evbuf e;

	(void)state;
	start_gtid(&t, DM_GTID_MARIADB, "0-1-5", 4);
	assert_false(t.resume_valid);
	mk_rotate(&e, 0, 0x20, "mysql-bin.000004", 4, 4);
	feed_ok(&t, &e);
	assert_pos(&t, "mysql-bin.000004", 4);
	mk_fde(&e, 256, "10.11.6-MariaDB-log", 1);
	feed_ok(&t, &e);
	/* Before a transaction completes the file position is no resume
	 * point: the server skipped to the GTID. */
	assert_false(t.resume_valid);
	mk_mariadb_gtid(&e, 900, 1, 0, 6, false, 4);
	feed_ok(&t, &e);
	mk_plain(&e, 16, 931, 4);
	feed_ok(&t, &e);
	assert_resume(&t, "mysql-bin.000004", 931);
	assert_gtids(&t, "0-1-6");
	/* Another domain, another server, a standalone statement. */
	mk_mariadb_gtid(&e, 973, 2, 1, 3, true, 4);
	feed_ok(&t, &e);
	mk_query(&e, 1050, "d", "DROP TABLE x", 4);
	feed_ok(&t, &e);
	assert_gtids(&t, "0-1-6,1-2-3");
	/* A GTID whose transaction never finished is not added. */
	mk_mariadb_gtid(&e, 1092, 1, 0, 7, false, 4);
	feed_ok(&t, &e);
	mk_plain(&e, 19, 1130, 4);
	feed_ok(&t, &e);
	assert_int_equal(dm__binlog_tracker_rewind(&t, NULL), 0);
	assert_gtids(&t, "0-1-6,1-2-3");
	assert_pos(&t, "mysql-bin.000004", 1050);
	dm__binlog_tracker_free(&t);
}

static void test_binstream__tracks_mysql_gtids(void **state)
{
	dm__binlog_tracker t;
	evbuf e;

	(void)state;
	start_gtid(&t, DM_GTID_MYSQL, UUID_TEXT ":1-5", 4);
	mk_rotate(&e, 0, 0x20, "binlog.000001", 4, 4);
	feed_ok(&t, &e);
	mk_mysql_gtid(&e, 33, 300, 6, 4);
	feed_ok(&t, &e);
	mk_query(&e, 360, "", "BEGIN", 4);
	feed_ok(&t, &e);
	mk_query(&e, 420, "", "COMMIT", 4);
	feed_ok(&t, &e);
	assert_gtids(&t, UUID_TEXT ":1-6");
	mk_mysql_gtid(&e, 33, 500, 8, 4);
	feed_ok(&t, &e);
	mk_query(&e, 580, "d", "CREATE DATABASE d", 4);
	feed_ok(&t, &e);
	assert_gtids(&t, UUID_TEXT ":1-6:8");
	assert_false(t.gtids_lost);
	/* A tagged GTID is not decoded here: the set stops being exact. */
	mk_plain(&e, 42, 640, 4);
	feed_ok(&t, &e);
	assert_true(t.gtids_lost);
	mk_query(&e, 700, "d", "CREATE DATABASE e", 4);
	feed_ok(&t, &e);
	assert_resume(&t, "binlog.000001", 700);
	dm__binlog_tracker_free(&t);
}

static void test_binstream__rejects_malformed_events(void **state)
{
	dm__binlog_tracker t;
	char name[600];
	evbuf e;

	(void)state;
	start_file(&t, "x.000001", 4, 4);
	/* ROTATE without a name, or with a body shorter than a position. */
	mk_rotate(&e, 0, 0x20, "", 4, 4);
	feed_fails(&t, &e, DM_E_BINLOG_EVENT_DECODE);
	mk(&e, 4, 1, 0, 0x20, "\x04\0\0", 3, 4);
	feed_fails(&t, &e, DM_E_BINLOG_EVENT_DECODE);
	/* A name longer than a server allows, or with a NUL inside. */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	mk_rotate(&e, 0, 0x20, name, 4, 4);
	feed_fails(&t, &e, DM_E_BINLOG_EVENT_DECODE);
	mk(&e, 4, 1, 0, 0x20, "\x04\0\0\0\0\0\0\0a\0b", 11, 4);
	feed_fails(&t, &e, DM_E_BINLOG_EVENT_DECODE);
	/* QUERY whose status variables run past the event. */
	mk_query(&e, 100, "d", "BEGIN", 4);
	le(e.b + 19 + 11, 400, 2);
	feed_fails(&t, &e, DM_E_BINLOG_EVENT_DECODE);
	/* GTIDs cut short. */
	mk(&e, 162, 1, 120, 0, "\x01\0\0\0\0\0\0\0", 8, 4);
	feed_fails(&t, &e, DM_E_BINLOG_EVENT_DECODE);
	mk(&e, 33, 1, 120, 0, "\x01\x02\x03", 3, 4);
	feed_fails(&t, &e, DM_E_BINLOG_EVENT_DECODE);
	/* Header shorter than 19 bytes, size not the event's. */
	mk_plain(&e, 16, 100, 4);
	assert_int_equal(dm__binlog_tracker_feed(&t, e.b, 18, NULL, NULL),
			 DM_E_BINLOG_HEADER_LENGTH_NOT_VALID);
	assert_int_equal(dm__binlog_tracker_feed(&t, e.b, e.len - 1, NULL,
						 NULL),
			 DM_E_BINLOG_HEADER_LENGTH_NOT_VALID);
	assert_int_equal(dm__binlog_tracker_feed(&t, NULL, 40, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	/* An XID shorter than its checksum: the tracker reads nothing of
	 * it but its header, and accepts it. */
	mk(&e, 16, 1, 130, 0, NULL, 0, 0);
	feed_ok(&t, &e);
	dm__binlog_tracker_free(&t);
}

/* Runs a MariaDB GTID-mode sequence; 0 or the first failing status. */
static int run_sequence(void)
{
	dm__binlog_tracker t;
	dm_gtid_set *set = NULL;
	dm_error *err = NULL;
	evbuf e[8];
	size_t i;
	int rc;

	rc = dm_gtid_set_parse(&set, DM_GTID_MARIADB, "0-1-5,2-9-1", 11, &err);
	if (rc)
		goto out;
	rc = dm__binlog_tracker_start(&t, "", 4, set, 4, &err);
	if (rc)
		goto out_free;
	mk_rotate(&e[0], 0, 0x20, "mysql-bin.000010", 4, 4);
	mk_fde(&e[1], 256, "10.11.6-MariaDB-log", 1);
	mk_mariadb_gtid(&e[2], 300, 1, 0, 6, false, 4);
	mk_plain(&e[3], 16, 331, 4);
	mk_mariadb_gtid(&e[4], 373, 3, 7, 1, true, 4);
	mk_query(&e[5], 450, "d", "CREATE TABLE q (a INT)", 4);
	mk_rotate(&e[6], 500, 0, "mysql-bin.000011-with-a-longer-name", 4, 4);
	mk_rotate(&e[7], 0, 0x20, "mysql-bin.000011-with-a-longer-name", 4,
		  4);
	for (i = 0; i < 8 && !rc; i++)
		rc = dm__binlog_tracker_feed(&t, e[i].b, e[i].len, NULL, &err);
	if (!rc)
		rc = dm__binlog_tracker_rewind(&t, &err);
out_free:
	dm__binlog_tracker_free(&t);
out:
	if (rc)
		assert_int_equal(dm_error_status(err), rc);
	dm_error_free(err);
	return rc;
}

static void test_binstream__survives_allocation_failures(void **state)
{
	long n;
	int rc = -1, failures = 0;

	(void)state;
	for (n = 0; rc != 0; n++) {
		assert_true(n < 1000);
		dm__alloc_fail_after(n);
		rc = run_sequence();
		dm__alloc_fail_after(-1);
		if (rc) {
			assert_int_equal(rc, DM_E_NO_MEMORY);
			failures++;
		}
	}
	assert_true(failures > 0);
}

/* --------------------------------------------------------- option checks */

static void assert_open_fails(const dm__binlog_stream_opts *o, int status,
			      const char *words)
{
	dm__binlog_stream *s = (dm__binlog_stream *)1;
	dm_error *err = NULL;

	assert_int_equal(dm__binlog_stream_open(&s, NULL, o, &err), status);
	assert_null(s);
	assert_non_null(err);
	if (words)
		assert_non_null(strstr(dm_error_message(err), words));
	dm_error_free(err);
}

static void test_binstream__open_checks_options(void **state)
{
	dm_db_opts db = DM_DB_OPTS_INIT;
	dm__binlog_stream_opts o = DM__BINLOG_STREAM_OPTS_INIT;
	char longname[600];

	(void)state;
	db.host = "127.0.0.1";
	db.port = 1;
	assert_int_equal(dm__binlog_stream_open(NULL, NULL, &o, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_open_fails(NULL, DM_E_INVALID_ARGUMENT, "missing");
	o.version = 2;
	assert_open_fails(&o, DM_E_INVALID_ARGUMENT, "version");
	o.version = 1;
	assert_open_fails(&o, DM_E_INVALID_ARGUMENT, "database options");
	o.db = &db;
	assert_open_fails(&o, DM_E_INVALID_SERVER_ID, "server_id");
	o.server_id = 5;
	db.port = 70000;
	assert_open_fails(&o, DM_E_INVALID_ARGUMENT, "port");
	db.port = 1;
	o.file = "mysql-bin.000001";
	o.gtid = "0-1-1";
	assert_open_fails(&o, DM_E_INVALID_ARGUMENT, "not both");
	o.gtid = NULL;
	o.pos = 3;
	assert_open_fails(&o, DM_E_INVALID_ARGUMENT, "4..4294967295");
	o.pos = 1ull << 32;
	assert_open_fails(&o, DM_E_INVALID_ARGUMENT, "4..4294967295");
	memset(longname, 'b', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	o.file = longname;
	o.pos = 4;
	assert_open_fails(&o, DM_E_BINLOG_INVALID_FILENAME, "too long");
}

static void test_binstream__accessors_accept_null(void **state)
{
	const unsigned char *ev = NULL;
	const char *file = NULL;
	uint64_t pos = 0;
	size_t len = 0;

	(void)state;
	assert_int_equal(dm__binlog_stream_next(NULL, &ev, &len, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__binlog_stream_position(NULL, &file, &pos),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm__binlog_stream_resume_position(NULL, &file, &pos),
			 DM_E_INVALID_ARGUMENT);
	assert_null(dm__binlog_stream_resume_gtids(NULL));
	assert_int_equal(dm__binlog_stream_event_flags(NULL), 0);
	assert_false(dm__binlog_stream_is_mariadb(NULL));
	assert_string_equal(dm__binlog_stream_server_version(NULL), "");
	assert_false(dm__binlog_stream_semi_sync(NULL));
	assert_int_equal(dm__binlog_stream_reconnects(NULL), 0);
	assert_int_equal(dm__binlog_stream_connection_id(NULL), 0);
	dm__binlog_stream_inject_break(NULL);
	dm__binlog_stream_close(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binstream__classifies_event_packet),
		cmocka_unit_test(test_binstream__classifies_eof_and_err),
		cmocka_unit_test(test_binstream__rejects_bad_packets),
		cmocka_unit_test(test_binstream__strips_semi_sync_header),
		cmocka_unit_test(test_binstream__builds_dump_payload),
		cmocka_unit_test(test_binstream__builds_register_and_ack),
		cmocka_unit_test(test_binstream__encodes_mysql_gtid_dump),
		cmocka_unit_test(test_binstream__reads_fde_checksum),
		cmocka_unit_test(test_binstream__tracks_mariadb_file_positions),
		cmocka_unit_test(test_binstream__tracks_mysql_transactions),
		cmocka_unit_test(test_binstream__checksum_follows_fde),
		cmocka_unit_test(test_binstream__tracks_mariadb_gtids),
		cmocka_unit_test(test_binstream__tracks_mysql_gtids),
		cmocka_unit_test(test_binstream__rejects_malformed_events),
		cmocka_unit_test(test_binstream__survives_allocation_failures),
		cmocka_unit_test(test_binstream__open_checks_options),
		cmocka_unit_test(test_binstream__accessors_accept_null),
	};

	return cmocka_run_group_tests_name("binstream", tests, NULL, NULL);
}
