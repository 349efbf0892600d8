/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event bodies built here byte by byte: QUERY with every status variable,
 * MariaDB compressed events, ROTATE and file names, USER_VAR of every type,
 * LOAD DATA events, heartbeats, GTIDs, checksums, unknown and encrypted
 * events, and a few corpus events checked field by field.
 */
#include "binlog_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define NEED_CORPUS()                                                   \
	do {                                                            \
		if (!bt_corpus_dir()) {                                 \
			fprintf(stderr, "binlog corpus not found: "     \
				"skipped\n");                           \
			skip();                                         \
		}                                                       \
	} while (0)

typedef struct buf {
	unsigned char p[8192];
	size_t n;
} buf;

static void put(buf *b, const void *d, size_t n)
{
	assert_true(b->n + n <= sizeof(b->p));
	memcpy(b->p + b->n, d, n);
	b->n += n;
}

static void le(buf *b, uint64_t v, int k)
{
	int i;

	for (i = 0; i < k; i++) {
		unsigned char c = (unsigned char)(v >> (8 * i));

		put(b, &c, 1);
	}
}

static void u8(buf *b, unsigned v)
{
	le(b, v, 1);
}

/* QUERY: post-header, status block, schema, query. */
static void query_body(buf *b, const buf *status, const char *db,
		       const char *q)
{
	le(b, 77, 4);           /* thread id */
	le(b, 3, 4);            /* exec time */
	u8(b, (unsigned)strlen(db));
	le(b, 0, 2);            /* error code */
	le(b, status->n, 2);
	put(b, status->p, status->n);
	put(b, db, strlen(db) + 1);
	put(b, q, strlen(q));
}

static void test_events__query_with_every_status_variable(void **state)
{
	dm_binlog_decoder *d = bt_decoder("10.11.6-MariaDB");
	const dm_binlog_event *ev;
	const dm_binlog_query_status *s;
	buf st = { { 0 }, 0 }, b = { { 0 }, 0 };

	(void)state;
	u8(&st, 0); le(&st, 0x4000, 4);                  /* flags2 */
	u8(&st, 1); le(&st, 0x5A000000ULL, 8);           /* sql_mode */
	u8(&st, 2); u8(&st, 3); put(&st, "std", 3); u8(&st, 0);
	u8(&st, 3); le(&st, 2, 2); le(&st, 5, 2);        /* auto_inc */
	u8(&st, 4); le(&st, 33, 2); le(&st, 8, 2); le(&st, 45, 2);
	u8(&st, 5); u8(&st, 6); put(&st, "+02:00", 6);
	u8(&st, 6); u8(&st, 3); put(&st, "def", 3);
	u8(&st, 7); le(&st, 9, 2);
	u8(&st, 8); le(&st, 224, 2);
	u8(&st, 9); le(&st, 0x11, 8);
	u8(&st, 10); le(&st, 512, 4);
	u8(&st, 11); u8(&st, 4); put(&st, "root", 4); u8(&st, 9);
	put(&st, "localhost", 9);
	u8(&st, 12); u8(&st, 2); put(&st, "a\0bb\0", 5);
	u8(&st, 13); le(&st, 123456, 3);
	u8(&st, 16); u8(&st, 1);
	u8(&st, 17); le(&st, 99, 8);
	u8(&st, 18); le(&st, 255, 2);
	u8(&st, 19); u8(&st, 1);
	u8(&st, 20); u8(&st, 1);
	u8(&st, 128); le(&st, 654321, 3);
	u8(&st, 129); le(&st, 4242, 8);
	u8(&st, 130); u8(&st, 0x04); le(&st, 7, 8);
	u8(&st, 131); u8(&st, 1); le(&st, 33, 2); le(&st, 192, 2);
	query_body(&b, &st, "shop", "INSERT INTO t VALUES (1)");
	ev = bt_decode_body(d, DM_BINLOG_QUERY_EVENT, b.p, b.n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_QUERY);
	assert_int_equal(ev->u.query.thread_id, 77);
	assert_int_equal(ev->u.query.exec_time, 3);
	assert_int_equal(ev->u.query.schema.len, 4);
	assert_memory_equal(ev->u.query.query.ptr, "INSERT INTO t VALUES (1)", 24);
	s = &ev->u.query.status;
	assert_int_equal(s->unknown_code, -1);
	assert_int_equal(s->flags2, 0x4000);
	assert_int_equal(s->sql_mode, 0x5A000000ULL);
	assert_memory_equal(s->catalog.ptr, "def", 3);
	assert_int_equal(s->auto_increment_increment, 2);
	assert_int_equal(s->auto_increment_offset, 5);
	assert_int_equal(s->charset_client, 33);
	assert_int_equal(s->collation_connection, 8);
	assert_int_equal(s->collation_server, 45);
	assert_memory_equal(s->time_zone.ptr, "+02:00", 6);
	assert_int_equal(s->lc_time_names, 9);
	assert_int_equal(s->charset_database, 224);
	assert_int_equal(s->table_map_for_update, 0x11);
	assert_int_equal(s->master_data_written, 512);
	assert_memory_equal(s->invoker_user.ptr, "root", 4);
	assert_memory_equal(s->invoker_host.ptr, "localhost", 9);
	assert_int_equal(s->nupdated_dbs, 2);
	assert_int_equal(s->updated_dbs[1].len, 2);
	assert_int_equal(s->microseconds, 123456);
	assert_int_equal(s->explicit_defaults_for_timestamp, 1);
	assert_int_equal(s->ddl_xid, 99);
	assert_int_equal(s->default_collation_for_utf8mb4, 255);
	assert_int_equal(s->sql_require_primary_key, 1);
	assert_int_equal(s->default_table_encryption, 1);
	assert_int_equal(s->hrnow_usec, 654321);
	assert_int_equal(s->xid, 4242);
	assert_int_equal(s->gtid_flags3, 4);
	assert_int_equal(s->character_set_collations.len, 5);
	assert_true(s->present & DM_BINLOG_Q_BIT(13));
	assert_true(s->present & DM_BINLOG_Q_BIT(131));
	assert_false(s->present & DM_BINLOG_Q_BIT(14));
	dm_binlog_decoder_free(d);
}

/* An unknown code ends the walk, as in the servers; the event decodes. */
static void test_events__query_unknown_status_code_stops_the_walk(void **state)
{
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	buf st = { { 0 }, 0 }, b = { { 0 }, 0 };
	unsigned char bad[64];
	size_t n;

	(void)state;
	u8(&st, 0); le(&st, 1, 4);
	u8(&st, 14); le(&st, 0, 8);
	u8(&st, 1); le(&st, 5, 8);
	query_body(&b, &st, "db", "BEGIN");
	ev = bt_decode_body(d, DM_BINLOG_QUERY_EVENT, b.p, b.n);
	assert_int_equal(ev->u.query.status.unknown_code, 14);
	assert_int_equal(ev->u.query.status.flags2, 1);
	assert_int_equal(ev->u.query.status.sql_mode, 0);
	assert_true(dm_binlog_event_starts_transaction(ev));
	/* A known code whose value runs past the block fails. */
	b.n = 0;
	st.n = 0;
	u8(&st, 1); le(&st, 5, 4);
	query_body(&b, &st, "db", "x");
	n = bt_event(bad, DM_BINLOG_QUERY_EVENT, 0, b.p, b.n, false);
	assert_non_null(strstr(bt_decode_fail(d, bad, n,
					      DM_E_BINLOG_STATUS_VARS_PARSE),
			       "test-bin.000001:4: Query event: status variable 1"));
	dm_binlog_decoder_free(d);
}

/* MariaDB's compression header: 0x80 | length bytes, big-endian length,
 * zlib stream. */
static size_t maria_compress(unsigned char *out, const void *in, size_t n)
{
	uLongf zl = 4096;
	unsigned char z[4096];

	assert_int_equal(compress(z, &zl, in, (uLong)n), Z_OK);
	out[0] = 0x82;
	out[1] = (unsigned char)(n >> 8);
	out[2] = (unsigned char)n;
	memcpy(out + 3, z, zl);
	return 3 + zl;
}

static void test_events__mariadb_compressed_query_and_rows(void **state)
{
	static const char q[] = "UPDATE t SET a = a + 1 WHERE id IN "
				"(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)";
	static const unsigned char tm[] = { 3, 0, 0, 0, 0, 0, 1, 0, 1, 'd',
		0, 1, 't', 0, 2, DM_TYPE_LONG, DM_TYPE_VARCHAR, 2, 10, 0,
		0x03 };
	static const unsigned char rows[] = { 0x00, 1, 0, 0, 0, 2, 'h', 'i',
					      0x00, 2, 0, 0, 0, 0 };
	dm_binlog_decoder *d = bt_decoder("10.11.6-MariaDB-log");
	const dm_binlog_event *ev;
	buf b = { { 0 }, 0 };
	unsigned char z[4096];
	size_t zn;
	dm_buf t = DM_BUF_INIT;
	dm_error *e = NULL;
	int v;

	(void)state;
	zn = maria_compress(z, q, strlen(q));
	le(&b, 1, 4);
	le(&b, 0, 4);
	u8(&b, 1);
	le(&b, 0, 2);
	le(&b, 0, 2);
	put(&b, "d", 2);
	put(&b, z, zn);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_QUERY_COMPRESSED_EVENT, b.p,
			    b.n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_QUERY);
	assert_int_equal(ev->u.query.query.len, strlen(q));
	assert_memory_equal(ev->u.query.query.ptr, q, strlen(q));

	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm, sizeof(tm));
	for (v = 0; v < 2; v++) {
		b.n = 0;
		le(&b, 3, 6);
		le(&b, 1, 2);
		if (v == 1)
			le(&b, 2, 2);
		u8(&b, 2);
		u8(&b, 0x03);
		zn = maria_compress(z, rows, sizeof(rows));
		put(&b, z, zn);
		ev = bt_decode_body(d, v ? DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT :
				    DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1,
				    b.p, b.n);
		assert_true(ev->u.rows.compressed);
		assert_int_equal(ev->u.rows.version, v ? 2 : 1);
		dm_buf_clear(&t);
		assert_int_equal(dm_binlog_format_rows_text(&t, d, ev, &e), 0);
		assert_string_equal(t.data,
				    "### INSERT INTO `d`.`t`\n### SET\n###   @1=1\n"
				    "###   @2='hi'\n### INSERT INTO `d`.`t`\n"
				    "### SET\n###   @1=2\n###   @2=''\n");
	}
	/* A corrupt stream is a positioned error. */
	z[zn - 1] ^= 0xff;
	b.n = 0;
	le(&b, 3, 6);
	le(&b, 1, 2);
	u8(&b, 2);
	u8(&b, 0x03);
	put(&b, z, zn);
	{
		unsigned char evb[256];
		size_t n = bt_event(evb, DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1,
				    0, b.p, b.n, false);

		assert_non_null(strstr(bt_decode_fail(d, evb, n,
						      DM_E_BINLOG_EVENT_DECODE),
				       "compressed rows does not inflate"));
	}
	dm_buf_free(&t);
	dm_binlog_decoder_free(d);
}

static void test_events__rotate_names_the_next_file(void **state)
{
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	buf b = { { 0 }, 0 };
	unsigned char e1[128];
	size_t n;

	(void)state;
	le(&b, 4, 8);
	put(&b, "mysql-bin.000002", 16);
	/* A real ROTATE (log_pos set): the name applies from the next
	 * event on. */
	n = bt_event(e1, DM_BINLOG_ROTATE_EVENT, 0, b.p, b.n, false);
	ev = bt_decode(d, e1, n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_ROTATE);
	assert_int_equal(ev->u.rotate.position, 4);
	assert_string_equal(ev->file, "test-bin.000001");
	ev = bt_decode_body(d, DM_BINLOG_STOP_EVENT, NULL, 0);
	assert_string_equal(ev->file, "mysql-bin.000002");
	assert_string_equal(dm_binlog_decoder_file(d), "mysql-bin.000002");
	/* A fake ROTATE (log_pos 0) names its own file at once. */
	b.n = 0;
	le(&b, 4, 8);
	put(&b, "mysql-bin.000009", 16);
	n = bt_event(e1, DM_BINLOG_ROTATE_EVENT, DM_BINLOG_F_ARTIFICIAL, b.p,
		     b.n, false);
	memset(e1 + 13, 0, 4);
	ev = bt_decode(d, e1, n);
	assert_string_equal(dm_binlog_decoder_file(d), "mysql-bin.000009");
	dm_binlog_decoder_free(d);
}

static void test_events__user_var_of_every_type(void **state)
{
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	const dm_binlog_user_var *u;
	buf b = { { 0 }, 0 };
	double pi = 3.25;
	uint64_t bits;
	dm_buf t = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	/* String with a charset. */
	le(&b, 1, 4); put(&b, "s", 1); u8(&b, 0); u8(&b, 0); le(&b, 33, 4);
	le(&b, 3, 4); put(&b, "a'b", 3);
	u = &bt_decode_body(d, DM_BINLOG_USER_VAR_EVENT, b.p, b.n)->u.user_var;
	assert_int_equal(u->decoded.kind, DM_VALUE_STRING);
	assert_int_equal(u->decoded.charset, 33);
	assert_false(u->has_flags);
	/* Unsigned integer. */
	b.n = 0;
	le(&b, 1, 4); put(&b, "i", 1); u8(&b, 0); u8(&b, 2); le(&b, 63, 4);
	le(&b, 8, 4); le(&b, UINT64_MAX, 8); u8(&b, 1);
	u = &bt_decode_body(d, DM_BINLOG_USER_VAR_EVENT, b.p, b.n)->u.user_var;
	assert_int_equal(u->decoded.kind, DM_VALUE_UINT);
	assert_int_equal(u->decoded.v.u, UINT64_MAX);
	/* Real. */
	b.n = 0;
	memcpy(&bits, &pi, 8);
	le(&b, 1, 4); put(&b, "r", 1); u8(&b, 0); u8(&b, 1); le(&b, 63, 4);
	le(&b, 8, 4); le(&b, bits, 8);
	u = &bt_decode_body(d, DM_BINLOG_USER_VAR_EVENT, b.p, b.n)->u.user_var;
	assert_true(u->decoded.v.d == 3.25);
	/* Decimal(4,2) -12.34. */
	b.n = 0;
	le(&b, 1, 4); put(&b, "d", 1); u8(&b, 0); u8(&b, 4); le(&b, 63, 4);
	le(&b, 4, 4); u8(&b, 4); u8(&b, 2); put(&b, "\x73\xdd", 2);
	ev = bt_decode_body(d, DM_BINLOG_USER_VAR_EVENT, b.p, b.n);
	assert_int_equal(ev->u.user_var.decoded.kind, DM_VALUE_DECIMAL);
	assert_int_equal(dm_value_format_sql(&t, &ev->u.user_var.decoded, 0,
					     &e), 0);
	assert_string_equal(t.data, "-12.34");
	/* NULL. */
	b.n = 0;
	le(&b, 1, 4); put(&b, "n", 1); u8(&b, 1);
	u = &bt_decode_body(d, DM_BINLOG_USER_VAR_EVENT, b.p, b.n)->u.user_var;
	assert_true(u->is_null);
	assert_int_equal(u->decoded.kind, DM_VALUE_NULL);
	dm_buf_free(&t);
	dm_binlog_decoder_free(d);
}

static void test_events__small_events(void **state)
{
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	const dm_binlog_event *ev;
	buf b = { { 0 }, 0 };

	(void)state;
	u8(&b, 2); le(&b, 42, 8);
	ev = bt_decode_body(d, DM_BINLOG_INTVAR_EVENT, b.p, b.n);
	assert_int_equal(ev->u.intvar.type, 2);
	assert_int_equal(ev->u.intvar.value, 42);
	b.n = 0; le(&b, 7, 8); le(&b, 9, 8);
	ev = bt_decode_body(d, DM_BINLOG_RAND_EVENT, b.p, b.n);
	assert_int_equal(ev->u.rand.seed2, 9);
	b.n = 0; le(&b, 1234, 8);
	ev = bt_decode_body(d, DM_BINLOG_XID_EVENT, b.p, b.n);
	assert_int_equal(ev->u.xid, 1234);
	b.n = 0; le(&b, 1, 2); u8(&b, 4); put(&b, "lost", 4);
	ev = bt_decode_body(d, DM_BINLOG_INCIDENT_EVENT, b.p, b.n);
	assert_int_equal(ev->u.incident.type, 1);
	assert_memory_equal(ev->u.incident.message.ptr, "lost", 4);
	ev = bt_decode_body(d, DM_BINLOG_HEARTBEAT_EVENT,
			    (const unsigned char *)"bin.000003", 10);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_HEARTBEAT);
	assert_int_equal(ev->u.heartbeat.log_file.len, 10);
	/* HEARTBEAT_V2: file name field, then position field. */
	b.n = 0; u8(&b, 1); u8(&b, 3); put(&b, "b.1", 3);
	u8(&b, 2); u8(&b, 3); u8(&b, 252); le(&b, 4000, 2); u8(&b, 0);
	ev = bt_decode_body(d, DM_BINLOG_HEARTBEAT_EVENT_V2, b.p, b.n);
	assert_int_equal(ev->u.heartbeat.log_position, 4000);
	assert_memory_equal(ev->u.heartbeat.log_file.ptr, "b.1", 3);
	b.n = 0; u8(&b, 9); put(&b, "INSERT 1", 8);
	ev = bt_decode_body(d, DM_BINLOG_ROWS_QUERY_EVENT, b.p, b.n);
	assert_int_equal(ev->u.rows_query.query.len, 8);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_ANNOTATE_ROWS_EVENT,
			    (const unsigned char *)"INSERT 2", 8);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_ROWS_QUERY);
	assert_memory_equal(ev->u.rows_query.query.ptr, "INSERT 2", 8);
	ev = bt_decode_body(d, DM_BINLOG_IGNORABLE_EVENT, NULL, 0);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_RAW);
	ev = bt_decode_body(d, DM_BINLOG_STOP_EVENT, NULL, 0);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_STOP);
	/* MariaDB GTID with a commit id, then an XA one. */
	b.n = 0; le(&b, 100, 8); le(&b, 2, 4); u8(&b, 0x02 | 0x08);
	le(&b, 555, 8);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_GTID_EVENT, b.p, b.n);
	assert_int_equal(ev->u.mariadb_gtid.commit_id, 555);
	assert_int_equal(ev->u.mariadb_gtid.domain_id, 2);
	b.n = 0; le(&b, 101, 8); le(&b, 2, 4); u8(&b, 0x40);
	le(&b, 1, 4); u8(&b, 2); u8(&b, 1); put(&b, "abc", 3);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_GTID_EVENT, b.p, b.n);
	assert_int_equal(ev->u.mariadb_gtid.xa_gtrid_length, 2);
	assert_memory_equal(ev->u.mariadb_gtid.xa_data.ptr, "abc", 3);
	b.n = 0; le(&b, 2, 4); le(&b, 1, 4); le(&b, 2, 4); le(&b, 3, 8);
	le(&b, 4, 4); le(&b, 5, 4); le(&b, 6, 8);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_GTID_LIST_EVENT, b.p, b.n);
	assert_int_equal(ev->u.gtid_list.count, 2);
	assert_int_equal(dm_binlog_gtid_list_entry(&ev->u.gtid_list, 1).seq_no, 6);
	assert_int_equal(dm_binlog_gtid_list_entry(&ev->u.gtid_list, 2).seq_no, 0);
	b.n = 0; le(&b, 5, 4); put(&b, "b.001", 5);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_BINLOG_CHECKPOINT_EVENT, b.p, b.n);
	assert_memory_equal(ev->u.checkpoint.file.ptr, "b.001", 5);
	assert_string_equal(dm_binlog_event_type_name(23), "Write_rows_v1");
	assert_string_equal(dm_binlog_event_type_name(163), "Gtid_list");
	assert_string_equal(dm_binlog_event_type_name(99), "Unknown");
	dm_binlog_decoder_free(d);
}

static void test_events__load_data_family(void **state)
{
	dm_binlog_decoder *d = bt_decoder("5.0.96-log");
	const dm_binlog_event *ev;
	buf b = { { 0 }, 0 };

	(void)state;
	le(&b, 7, 4); put(&b, "block", 5);
	ev = bt_decode_body(d, DM_BINLOG_BEGIN_LOAD_QUERY_EVENT, b.p, b.n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_LOAD_DATA);
	assert_int_equal(ev->u.load.file_id, 7);
	assert_int_equal(ev->u.load.block.len, 5);
	ev = bt_decode_body(d, DM_BINLOG_APPEND_BLOCK_EVENT, b.p, b.n);
	assert_int_equal(ev->u.load.block.len, 5);
	ev = bt_decode_body(d, DM_BINLOG_EXEC_LOAD_EVENT, b.p, 4);
	assert_int_equal(ev->u.load.file_id, 7);
	ev = bt_decode_body(d, DM_BINLOG_DELETE_FILE_EVENT, b.p, 4);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_LOAD_DATA);
	/* NEW_LOAD: the statement in parts. */
	b.n = 0;
	le(&b, 1, 4); le(&b, 0, 4); le(&b, 2, 4); u8(&b, 1); u8(&b, 2);
	le(&b, 2, 4);
	u8(&b, 1); put(&b, ",", 1); u8(&b, 0); u8(&b, 1); put(&b, "\n", 1);
	u8(&b, 0); u8(&b, 1); put(&b, "\\", 1); u8(&b, 0);
	u8(&b, 1); u8(&b, 1);
	put(&b, "a\0b\0", 4);
	put(&b, "t\0", 2);
	put(&b, "db\0", 3);
	put(&b, "/tmp/f.csv", 10);
	ev = bt_decode_body(d, DM_BINLOG_NEW_LOAD_EVENT, b.p, b.n);
	assert_int_equal(ev->u.load.skip_lines, 2);
	assert_int_equal(ev->u.load.nfields, 2);
	assert_memory_equal(ev->u.load.table.ptr, "t", 1);
	assert_memory_equal(ev->u.load.schema.ptr, "db", 2);
	assert_int_equal(ev->u.load.file_name.len, 10);
	assert_memory_equal(ev->u.load.field_term.ptr, ",", 1);
	/* EXECUTE_LOAD_QUERY. */
	b.n = 0;
	le(&b, 1, 4); le(&b, 0, 4); u8(&b, 2); le(&b, 0, 2); le(&b, 0, 2);
	le(&b, 7, 4); le(&b, 10, 4); le(&b, 19, 4); u8(&b, 1);
	put(&b, "db\0", 3);
	put(&b, "LOAD DATA INFILE 'x' INTO TABLE t", 33);
	ev = bt_decode_body(d, DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT, b.p, b.n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_QUERY);
	assert_int_equal(ev->u.query.file_id, 7);
	assert_int_equal(ev->u.query.fn_pos_end, 19);
	assert_int_equal(ev->u.query.dup_handling, 1);
	assert_int_equal(ev->u.query.query.len, 33);
	dm_binlog_decoder_free(d);
}

static void test_events__unknown_encrypted_and_checksums(void **state)
{
	dm_binlog_decoder_opts o = DM_BINLOG_DECODER_OPTS_INIT;
	dm_binlog_decoder *d = bt_decoder("8.0.30");
	unsigned char ev[128];
	const dm_binlog_event *out;
	dm_error *e = NULL;
	size_t n;

	(void)state;
	/* Ignorable unknown type (Aurora's 100): skip. */
	n = bt_event(ev, 100, DM_BINLOG_F_IGNORABLE, (const unsigned char *)"xyz",
		     3, false);
	out = bt_decode(d, ev, n);
	assert_int_equal(out->kind, DM_BINLOG_KIND_UNKNOWN);
	n = bt_event(ev, 100, 0, (const unsigned char *)"xyz", 3, false);
	assert_non_null(strstr(bt_decode_fail(d, ev, n,
					      DM_E_BINLOG_EVENT_TYPE_NOT_VALID),
			       "unknown event type 100"));
	n = bt_event(ev, DM_BINLOG_MARIADB_START_ENCRYPTION_EVENT, 0,
		     (const unsigned char *)"\x01\0\0\0\0", 5, false);
	assert_non_null(strstr(bt_decode_fail(d, ev, n, DM_E_NOT_SUPPORTED),
			       "encrypted binlogs are not supported"));
	/* CRC32: a good one, a bad one, and the option to not check. */
	assert_int_equal(dm_binlog_decoder_set_format(d, "8.0.30",
						      DM_BINLOG_CHECKSUM_CRC32,
						      &e), 0);
	n = bt_event(ev, DM_BINLOG_XID_EVENT, 0,
		     (const unsigned char *)"\1\0\0\0\0\0\0\0", 8, true);
	out = bt_decode(d, ev, n);
	assert_true(out->has_checksum);
	assert_int_equal(out->u.xid, 1);
	ev[19] = 2;
	assert_non_null(strstr(bt_decode_fail(d, ev, n, DM_E_BINLOG_EVENT_DECODE),
			       "test-bin.000001:4: Xid event: checksum mismatch"));
	dm_binlog_decoder_free(d);
	o.verify_checksum = false;
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, &o, &e), 0);
	assert_int_equal(dm_binlog_decoder_set_format(d, "8.0.30",
						      DM_BINLOG_CHECKSUM_CRC32,
						      &e), 0);
	out = bt_decode(d, ev, n);
	assert_int_equal(out->u.xid, 2);
	assert_string_equal(out->file, "stream");
	/* Option versions the library does not know are refused. */
	dm_binlog_decoder_free(d);
	o.version = 99;
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, &o, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
}

/* Corpus events checked field by field. */
static void test_events__corpus_gtid_tagged_user_var_load(void **state)
{
	dm_binlog_reader *r;
	const dm_binlog_event *ev;
	dm_error *e = NULL;
	int seen = 0;

	(void)state;
	NEED_CORPUS();
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
		bt_corpus_path("rust_mysql_common__binlog_transaction_with_GTID_TAG.000001"),
		0, NULL, &e), 0);
	while (dm_binlog_reader_next(r, &ev, &e) == 0) {
		if (ev->kind == DM_BINLOG_KIND_PREVIOUS_GTIDS) {
			assert_true(ev->u.previous_gtids.tagged);
			assert_string_equal(ev->u.previous_gtids.text.ptr,
				"55778904-0299-11f1-b1b8-4ef0c4956feb:1-13:mytag:1-2");
			seen++;
		} else if (ev->type == DM_BINLOG_GTID_TAGGED_EVENT) {
			const dm_binlog_gtid *g = &ev->u.gtid;

			assert_int_equal(g->tag.len, 5);
			assert_memory_equal(g->tag.ptr, "mytag", 5);
			assert_int_equal(g->gno, 3);
			assert_int_equal(g->sequence_number, 1);
			assert_int_equal(g->immediate_server_version, 90600);
			assert_int_equal(g->transaction_length, 296);
			assert_int_equal(g->immediate_commit_ts, 1770368687207196ULL);
			seen++;
		}
	}
	dm_binlog_reader_free(r);
	assert_int_equal(seen, 2);

	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
		bt_corpus_path("mysql-cdc-rs__5.7_14_user_var_log.bin"), 0, NULL,
		&e), 0);
	seen = 0;
	while (dm_binlog_reader_next(r, &ev, &e) == 0) {
		dm_buf t = DM_BUF_INIT;

		if (ev->kind != DM_BINLOG_KIND_USER_VAR)
			continue;
		assert_int_equal(dm_value_format_text(&t, &ev->u.user_var.decoded,
						      &e), 0);
		if (seen == 0)
			assert_string_equal(t.data, "test blog");
		if (seen == 1)
			assert_string_equal(t.data, "100");
		if (seen == 2)
			assert_string_equal(t.data, "1.00");
		dm_buf_free(&t);
		seen++;
	}
	dm_binlog_reader_free(r);
	assert_int_equal(seen, 3);

	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
		bt_corpus_path("rust_mysql_common__ver_5_1_23.001"), 0, NULL, &e), 0);
	seen = 0;
	while (dm_binlog_reader_next(r, &ev, &e) == 0) {
		if (ev->type == DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT) {
			assert_int_equal(ev->u.query.file_id, 2);
			assert_int_equal(ev->u.query.fn_pos_start, 9);
			assert_int_equal(ev->u.query.fn_pos_end, 36);
			seen++;
		} else if (ev->type == DM_BINLOG_BEGIN_LOAD_QUERY_EVENT) {
			assert_int_equal(ev->u.load.block.len, 131072);
			seen++;
		} else if (ev->kind == DM_BINLOG_KIND_RAND) {
			assert_int_equal(ev->u.rand.seed1, 206881985);
			assert_int_equal(ev->u.rand.seed2, 103665823);
			seen++;
		}
	}
	dm_binlog_reader_free(r);
	assert_int_equal(seen, 3);
}

int binlog_test_events_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events__query_with_every_status_variable),
		cmocka_unit_test(test_events__query_unknown_status_code_stops_the_walk),
		cmocka_unit_test(test_events__mariadb_compressed_query_and_rows),
		cmocka_unit_test(test_events__rotate_names_the_next_file),
		cmocka_unit_test(test_events__user_var_of_every_type),
		cmocka_unit_test(test_events__small_events),
		cmocka_unit_test(test_events__load_data_family),
		cmocka_unit_test(test_events__unknown_encrypted_and_checksums),
		cmocka_unit_test(test_events__corpus_gtid_tagged_user_var_load),
	};

	return cmocka_run_group_tests_name("binlog_events", tests, NULL, NULL);
}
