/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The corpus's hex fixtures (events, event bodies and values captured by
 * go-mysql, mysql-binlog-connector-java, go-mysql-server and vitess): each
 * decodes to the values its MANIFEST entry describes.
 */
#include "binlog_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEED_CORPUS()                                                   \
	do {                                                            \
		if (!bt_corpus_dir()) {                                 \
			fprintf(stderr, "binlog corpus not found: "     \
				"skipped\n");                           \
			skip();                                         \
		}                                                       \
	} while (0)

static unsigned char *hexf(const char *name, size_t *len)
{
	unsigned char *b = bt_read_hex(name, -1, len);

	if (!b)
		fail_msg("%s: missing", name);
	return b;
}

/* Rows of the last decoded event as mariadb-binlog's "###" lines. */
static char *rows_text(dm_binlog_decoder *d, const dm_binlog_event *ev)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	if (dm_binlog_format_rows_text(&b, d, ev, &e))
		fail_msg("rows: %s", bt_errmsg(e));
	if (!b.data)
		dm_buf_puts(&b, "");
	return dm_buf_detach(&b);
}

/* ---------------------------------------------------------------- STOP */

static void test_hex__stop_events_with_and_without_crc(void **state)
{
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	unsigned char *b;
	size_t n;
	dm_error *e = NULL;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("8.0.11");
	assert_int_equal(dm_binlog_decoder_set_format(d, "8.0.11",
						      DM_BINLOG_CHECKSUM_CRC32,
						      &e), 0);
	b = hexf("go-mysql__event__stop_mysql8011_crc32.hex", &n);
	assert_int_equal(n, 23);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_STOP);
	assert_true(ev->has_checksum);
	assert_int_equal(ev->body_len, 0);
	free(b);
	assert_int_equal(dm_binlog_decoder_set_format(d, "8.0.11",
						      DM_BINLOG_CHECKSUM_OFF,
						      &e), 0);
	b = hexf("go-mysql__event__stop_mysql8011_nochecksum.hex", &n);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_STOP);
	assert_false(ev->has_checksum);
	free(b);
	dm_binlog_decoder_free(d);
}

/* ---------------------------------------------------------- MySQL GTID */

static void test_hex__mysql_gtid_bodies_5_7_and_8_0(void **state)
{
	static const char uuid57[16] = { 0x5a, (char)0xa7, 0x2a, 0x7f, 0x44,
		(char)0xa8, 0x11, (char)0xea, (char)0x94, 0x7f, 0x02, 0x42,
		(char)0xac, 0x19, 0x00, 0x02 };
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	const dm_binlog_gtid *g;
	unsigned char *b;
	size_t n;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("8.0.19");

	b = hexf("go-mysql__gtid_body__mysql57.hex", &n);
	ev = bt_decode_body(d, DM_BINLOG_GTID_EVENT, b, n);
	g = &ev->u.gtid;
	assert_int_equal(ev->kind, DM_BINLOG_KIND_GTID);
	assert_memory_equal(g->uuid, uuid57, 16);
	assert_int_equal(g->gno, 259);
	assert_true(g->has_logical_clock);
	assert_int_equal(g->last_committed, 53);
	assert_int_equal(g->sequence_number, 54);
	assert_false(g->has_commit_ts);
	assert_false(g->has_transaction_length);
	free(b);

	b = hexf("go-mysql__gtid_body__mysql57_master_mysql80_replica.hex", &n);
	g = &bt_decode_body(d, DM_BINLOG_GTID_EVENT, b, n)->u.gtid;
	assert_int_equal(g->gno, 258);
	assert_int_equal(g->last_committed, 118);
	assert_int_equal(g->sequence_number, 119);
	assert_true(g->has_commit_ts);
	assert_int_equal(g->immediate_commit_ts, 1583812517644225ULL);
	assert_int_equal(g->original_commit_ts, 0);
	assert_int_equal(g->transaction_length, 965);
	assert_int_equal(g->immediate_server_version, 80019);
	assert_int_equal(g->original_server_version, 0);
	free(b);

	b = hexf("go-mysql__gtid_body__mysql80.hex", &n);
	g = &bt_decode_body(d, DM_BINLOG_GTID_EVENT, b, n)->u.gtid;
	assert_int_equal(g->gno, 119);
	assert_int_equal(g->last_committed, 120);
	assert_int_equal(g->sequence_number, 121);
	assert_int_equal(g->immediate_commit_ts, 1583813191872618ULL);
	assert_int_equal(g->original_commit_ts, 1583813191872618ULL);
	assert_int_equal(g->transaction_length, 963);
	assert_int_equal(g->immediate_server_version, 80019);
	assert_int_equal(g->original_server_version, 80019);
	free(b);
	dm_binlog_decoder_free(d);
}

/* ----------------------------------------------------- MariaDB and sets */

static void test_hex__mariadb_gtid_list_previous_gtids_xa(void **state)
{
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_binlog_mariadb_gtid_entry en;
	unsigned char *b;
	size_t n;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("10.5.15-MariaDB");

	b = hexf("mbcj__mariadb_gtid_body__0-0-7404.hex", &n);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_GTID_EVENT, b, n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_MARIADB_GTID);
	assert_int_equal(ev->u.mariadb_gtid.seq_no, 7404);
	assert_int_equal(ev->u.mariadb_gtid.domain_id, 0);
	assert_int_equal(ev->u.mariadb_gtid.flags, 0x0c);
	free(b);

	b = hexf("mbcj__mariadb_gtid_list_body__0-102-7255.hex", &n);
	ev = bt_decode_body(d, DM_BINLOG_MARIADB_GTID_LIST_EVENT, b, n);
	assert_int_equal(ev->u.gtid_list.count, 1);
	en = dm_binlog_gtid_list_entry(&ev->u.gtid_list, 0);
	assert_int_equal(en.domain_id, 0);
	assert_int_equal(en.server_id, 102);
	assert_int_equal(en.seq_no, 7255);
	free(b);

	b = hexf("mbcj__previous_gtids_body__two_uuids.hex", &n);
	ev = bt_decode_body(d, DM_BINLOG_PREVIOUS_GTIDS_EVENT, b, n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_PREVIOUS_GTIDS);
	assert_string_equal(ev->u.previous_gtids.text.ptr,
			    "b5cd1624-5f30-11e4-b4e9-1051721bd241:1-7081968,"
			    "bb421d26-5f30-11e4-b4e9-d89d672b2ef8:1-7823824");
	assert_false(ev->u.previous_gtids.tagged);
	free(b);

	b = hexf("mbcj__xa_prepare_body__gtrid_bqual_123.hex", &n);
	ev = bt_decode_body(d, DM_BINLOG_XA_PREPARE_EVENT, b, n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_XA_PREPARE);
	assert_false(ev->u.xa_prepare.one_phase);
	assert_int_equal(ev->u.xa_prepare.format_id, 123);
	assert_int_equal(ev->u.xa_prepare.gtrid_length, 5);
	assert_int_equal(ev->u.xa_prepare.bqual_length, 5);
	assert_int_equal(ev->u.xa_prepare.data.len, 10);
	assert_memory_equal(ev->u.xa_prepare.data.ptr, "gtridbqual", 10);
	free(b);
	dm_binlog_decoder_free(d);
}

/* ------------------------------------------------------------ TABLE_MAP */

typedef struct col_expect {
	int col;                /* 1-based */
	int real_type;
	const char *name;       /* NULL: not checked */
	int charset;            /* -1: not checked */
	int is_unsigned;        /* -2: not checked */
	int pk_position;        /* -2: not checked */
	int pk_prefix;
	int visible;            /* -2: not checked */
	int geometry;           /* -1: not checked */
	int nmembers;           /* -1: not checked */
} col_expect;

static const struct tm_case {
	const char *file;
	const char *version;
	const char *schema, *table;
	size_t ncols, npk;
	col_expect cols[6];
} tm_cases[] = {
	{ "go-mysql__tablemap_body__funnytable_tinyint_nullable.hex", "5.7.30",
	  "test", "funnytable", 1, 0,
	  { { 1, DM_TYPE_TINY, "", 0, -1, -1, 0, -1, 0, 0 } } },
	{ "go-mysql__tablemap_body__hj_order_preview_json.hex", "5.7.30",
	  "test", "hj_order_preview", 7, 0,
	  { { 4, DM_TYPE_JSON, NULL, -1, -2, -2, 0, -2, -1, -1 },
	    { 7, DM_TYPE_TIMESTAMP2, NULL, -1, -2, -2, 0, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__null_mysql80_full.hex", "8.0.30",
	  "test", "_null", 4, 0,
	  { { 1, DM_TYPE_LONG, "c1", 0, 0, -1, 0, -2, -1, -1 },
	    { 4, DM_TYPE_BLOB, "c4", 224, -1, -1, 0, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__null_mariadb105_full.hex",
	  "10.5.0-MariaDB", "test", "_null", 4, 0,
	  { { 3, DM_TYPE_TIMESTAMP2, "c3", 0, -1, -1, 0, -2, -1, -1 },
	    { 4, DM_TYPE_BLOB, "c4", 224, -1, -1, 0, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__prim_mysql80_full.hex", "8.0.30",
	  "test", "_prim", 3, 2,
	  { { 1, DM_TYPE_LONG, "id2", -1, 0, 1, 0, -2, -1, -1 },
	    { 2, DM_TYPE_VARCHAR, "col", 224, -1, -1, 0, -2, -1, -1 },
	    { 3, DM_TYPE_LONGLONG, "id1", -1, 0, 0, 0, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__prim2_mysql80_full.hex", "8.0.30",
	  "test", "_prim2", 4, 2,
	  { { 2, DM_TYPE_STRING, "id1", 224, -1, 0, 0, -2, -1, -1 },
	    { 4, DM_TYPE_VARCHAR, "id2", 224, -1, 1, 10, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__prim2_mariadb105_full.hex",
	  "10.5.0-MariaDB", "test", "_prim2", 4, 2,
	  { { 2, DM_TYPE_STRING, "id1", 224, -1, 0, 0, -2, -1, -1 },
	    { 4, DM_TYPE_VARCHAR, "id2", 224, -1, 1, 10, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__prim2_mysql57.hex", "5.7.30",
	  "test", "_prim2", 4, 0,
	  { { 2, DM_TYPE_STRING, "", 0, -1, -1, 0, -1, -1, -1 } } },
	{ "go-mysql__tablemap_body__test_aenum_enum.hex", "5.7.30",
	  "ttest", "aenum", 2, 0,
	  { { 2, DM_TYPE_ENUM, NULL, -1, -2, -2, 0, -2, -1, 0 } } },
	{ "go-mysql__tablemap_body__test_aset_set.hex", "5.7.30",
	  "ttest", "aset", 2, 0,
	  { { 2, DM_TYPE_SET, NULL, -1, -2, -2, 0, -2, -1, 0 } } },
	{ "go-mysql__tablemap_body__test_numbers_enum_2byte.hex", "5.7.30",
	  "ttest", "numbers", 2, 0,
	  { { 2, DM_TYPE_ENUM, NULL, -1, -2, -2, 0, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__types42_mysql80_full.hex", "8.0.30",
	  "test", "_types", 42, 0,
	  { { 1, DM_TYPE_BIT, "b_bit", -1, -1, -1, 0, -2, -1, -1 },
	    { 15, DM_TYPE_LONGLONG, "nu_bigint", -1, 1, -1, 0, -2, -1, -1 },
	    { 29, DM_TYPE_STRING, "c_binary", 63, -1, -1, 0, -2, -1, -1 },
	    { 39, DM_TYPE_ENUM, "e_enum", 224, -1, -1, 0, -2, -1, 2 },
	    { 41, DM_TYPE_GEOMETRY, "g_geometry", 0, -1, -1, 0, -2, 0, -1 },
	    { 42, DM_TYPE_JSON, "j_json", 0, -1, -1, 0, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__types42_mariadb105_full.hex",
	  "10.5.0-MariaDB", "test", "_types", 42, 0,
	  { { 8, DM_TYPE_NEWDECIMAL, "n_decimal", -1, 0, -1, 0, -2, -1, -1 },
	    { 22, DM_TYPE_TIME2, NULL, -1, -2, -2, 0, -2, -1, -1 },
	    { 40, DM_TYPE_SET, "s_set", 224, -1, -1, 0, -2, -1, 2 },
	    /* MariaDB counts GEOMETRY among the character columns. */
	    { 41, DM_TYPE_GEOMETRY, "g_geometry", 63, -1, -1, 0, -2, 0, -1 },
	    /* MariaDB's JSON is LONGTEXT with utf8mb4_bin. */
	    { 42, DM_TYPE_BLOB, "j_json", 46, -1, -1, 0, -2, -1, -1 } } },
	{ "go-mysql__tablemap_body__types51_mysql80_full.hex", "8.0.30",
	  "test", "_types", 51, 0,
	  { { 27, DM_TYPE_STRING, "c_char", 28, -1, -1, 0, -2, -1, -1 },
	    { 43, DM_TYPE_SET, "s_set2", 28, -1, -1, 0, -2, -1, 2 },
	    { 44, DM_TYPE_ENUM, "e_enum2", 28, -1, -1, 0, -2, -1, 2 },
	    { 45, DM_TYPE_GEOMETRY, "g_geometrycollection", 0, -1, -1, 0, -2,
	      7, -1 },
	    { 51, DM_TYPE_GEOMETRY, "g_point", 0, -1, -1, 0, -2, 1, -1 } } },
	{ "go-mysql__tablemap_body__types51_mariadb105_full.hex",
	  "10.5.0-MariaDB", "test", "_types", 51, 0,
	  { { 27, DM_TYPE_STRING, "c_char", 28, -1, -1, 0, -2, -1, -1 },
	    { 46, DM_TYPE_GEOMETRY, "g_multipolygon", 63, -1, -1, 0, -2, 6,
	      -1 } } },
	{ "go-mysql__tablemap_body__visibility_invisible_cols_mysql80_full.hex",
	  "8.0.30", NULL, NULL, 11, 0,
	  { { 1, DM_TYPE_LONG, NULL, -1, -2, -2, 0, 0, -1, -1 },
	    { 2, DM_TYPE_LONG, NULL, -1, -2, -2, 0, 1, -1, -1 },
	    { 11, DM_TYPE_LONG, NULL, -1, -2, -2, 0, 0, -1, -1 } } },
	{ "go-mysql__tablemap_body__visibility_all_visible_mysql80_full.hex",
	  "8.0.30", NULL, NULL, 11, 0,
	  { { 1, DM_TYPE_LONG, NULL, -1, -2, -2, 0, 1, -1, -1 },
	    { 11, DM_TYPE_LONG, NULL, -1, -2, -2, 0, 1, -1, -1 } } },
	{ "go-mysql__tablemap_body__ndb_t_mysqlcluster8032.hex", "8.0.32",
	  "bdteste", "t", 2, 0,
	  { { 1, DM_TYPE_LONG, NULL, -1, 0, -2, 0, -2, -1, -1 } } },
};

static void check_table(const struct tm_case *tc, const dm_binlog_table *t)
{
	size_t k;

	if (tc->schema)
		assert_string_equal(t->schema.ptr, tc->schema);
	if (tc->table)
		assert_string_equal(t->name.ptr, tc->table);
	assert_int_equal(t->ncols, tc->ncols);
	assert_int_equal(t->npk, tc->npk);
	for (k = 0; k < 6 && tc->cols[k].col; k++) {
		const col_expect *x = &tc->cols[k];
		const dm_binlog_column *c = &t->cols[x->col - 1];

		if (c->real_type != x->real_type)
			fail_msg("%s col %d: type %s, want %s", tc->file, x->col,
				 dm_type_name(c->real_type),
				 dm_type_name(x->real_type));
		if (x->name) {
			assert_int_equal(c->name.len, strlen(x->name));
			assert_memory_equal(c->name.ptr, x->name, c->name.len);
		}
		if (x->charset >= 0 && c->charset != x->charset)
			fail_msg("%s col %d: charset %u, want %d", tc->file,
				 x->col, c->charset, x->charset);
		if (x->is_unsigned != -2)
			assert_int_equal(c->is_unsigned, x->is_unsigned);
		if (x->pk_position != -2) {
			assert_int_equal(c->pk_position, x->pk_position);
			assert_int_equal(c->pk_prefix, x->pk_prefix);
		}
		if (x->visible != -2)
			assert_int_equal(c->visible, x->visible);
		if (x->geometry >= 0)
			assert_int_equal(c->geometry_type, x->geometry);
		if (x->nmembers >= 0)
			assert_int_equal(c->nmembers, x->nmembers);
	}
}

static void test_hex__table_map_bodies_with_optional_metadata(void **state)
{
	size_t i;

	(void)state;
	NEED_CORPUS();
	for (i = 0; i < sizeof(tm_cases) / sizeof(tm_cases[0]); i++) {
		dm_binlog_decoder *d = bt_decoder(tm_cases[i].version);
		const dm_binlog_event *ev;
		unsigned char *b;
		size_t n;

		b = hexf(tm_cases[i].file, &n);
		ev = bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, b, n);
		assert_int_equal(ev->kind, DM_BINLOG_KIND_TABLE_MAP);
		check_table(&tm_cases[i], ev->u.table_map);
		/* The same bytes again reuse the cached table. */
		assert_ptr_equal(bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, b,
						n)->u.table_map,
				 dm_binlog_decoder_table(d,
					ev->u.table_map->table_id));
		free(b);
		dm_binlog_decoder_free(d);
	}
}

static void test_hex__every_table_map_body_decodes(void **state)
{
	static const char *const names[] = {
		"null_mariadb104", "null_mysql57", "partitioned_test_mysql8016",
		"prim2_mariadb104", "prim_mariadb104", "prim_mariadb105_full",
		"prim_mysql57", "t10_json_decimal", "t11_json_virtual",
		"test_test_int_mysql57", "types42_mariadb104", "types42_mysql57",
		"types51_mariadb104", "types51_mysql57", "visibility_mariadb104",
		"visibility_mariadb105_full", "visibility_mysql57",
	};
	size_t i;

	(void)state;
	NEED_CORPUS();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char file[256];
		dm_binlog_decoder *d;
		const dm_binlog_event *ev;
		unsigned char *b;
		size_t n;

		snprintf(file, sizeof(file), "go-mysql__tablemap_body__%s.hex",
			 names[i]);
		d = bt_decoder(strstr(names[i], "mariadb") ? "10.4.0-MariaDB" :
			       "5.7.30");
		b = hexf(file, &n);
		ev = bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, b, n);
		assert_true(ev->u.table_map->ncols > 0);
		free(b);
		dm_binlog_decoder_free(d);
	}
}

/* ------------------------------------------------------------ row bodies */

static const struct rows_case {
	const char *table_map;
	const char *rows;
	int type;
	const char *text;
} rows_cases[] = {
	{ "funnytable_tinyint_nullable", "write_rows_v2_body__funnytable_1_2_null",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`funnytable`\n### SET\n###   @1=1\n"
	  "### INSERT INTO `test`.`funnytable`\n### SET\n###   @1=NULL\n"
	  "### INSERT INTO `test`.`funnytable`\n### SET\n###   @1=2\n" },
	{ "funnytable_tinyint_nullable", "write_rows_v2_body__funnytable_1_null_2",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`funnytable`\n### SET\n###   @1=1\n"
	  "### INSERT INTO `test`.`funnytable`\n### SET\n###   @1=2\n"
	  "### INSERT INTO `test`.`funnytable`\n### SET\n###   @1=NULL\n" },
	/* JSON NOT NULL inserted without a value: a zero-length JSON. */
	{ "hj_order_preview_json", "write_rows_v2_body__hj_order_preview_json_empty",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`hj_order_preview`\n### SET\n###   @1=1\n"
	  "###   @2=95891865464386\n###   @3=13376222192996417\n"
	  "###   @4='null'\n###   @5=0\n###   @6=1479983995\n###   @7=0\n" },
	{ "partitioned_test_mysql8016",
	  "write_rows_v2_body__partitioned_extra_partition_id",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`test`\n### SET\n###   @1=3\n" },
	{ "partitioned_test_mysql8016",
	  "update_rows_v2_body__partitioned_extra_source_partition",
	  DM_BINLOG_UPDATE_ROWS_EVENT,
	  "### UPDATE `test`.`test`\n### WHERE\n###   @1=3\n### SET\n"
	  "###   @1=1\n" },
	{ "t10_json_decimal", "write_rows_v2_body__t10_json_null",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`t10`\n### SET\n###   @1=NULL\n###   @2=1\n" },
	{ "t10_json_decimal", "write_rows_v2_body__t10_json_object",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`t10`\n### SET\n"
	  "###   @1='{\"key1\": \"value1\", \"key2\": \"value2\"}'\n"
	  "###   @2=1\n" },
	{ "t11_json_virtual", "write_rows_v2_body__t11_cfg_empty_object",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`t11`\n### SET\n###   @1=1\n###   @2='{}'\n"
	  "###   @3='{}'\n###   @4=NULL\n" },
	{ "t11_json_virtual", "update_rows_v2_body__t11_a",
	  DM_BINLOG_UPDATE_ROWS_EVENT,
	  "### UPDATE `test`.`t11`\n### WHERE\n###   @1=1\n###   @2='{}'\n"
	  "###   @3='{}'\n###   @4=NULL\n### SET\n###   @1=1\n"
	  "###   @2='{\"a\":1234}'\n###   @3='{\"a\": 1234}'\n###   @4=NULL\n" },
	{ "t11_json_virtual", "update_rows_v2_body__t11_b",
	  DM_BINLOG_UPDATE_ROWS_EVENT,
	  "### UPDATE `test`.`t11`\n### WHERE\n###   @1=1\n"
	  "###   @2='{\"a\":1234}'\n###   @3='{\"a\": 1234}'\n###   @4=NULL\n"
	  "### SET\n###   @1=1\n###   @2='{}'\n###   @3='{}'\n###   @4=NULL\n" },
	{ "t11_json_virtual", "update_rows_v2_body__t11_d",
	  DM_BINLOG_UPDATE_ROWS_EVENT,
	  "### UPDATE `test`.`t11`\n### WHERE\n###   @1=1\n"
	  "###   @2='{\"a\":1234}'\n###   @3='{}'\n###   @4=NULL\n"
	  "### SET\n###   @1=1\n###   @2='{}'\n###   @3='{}'\n###   @4=NULL\n" },
	{ "test_aenum_enum", "write_rows_v2_body__test_aenum",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `ttest`.`aenum`\n### SET\n###   @1=1\n###   @2=1\n" },
	/* SET bitmap 5 in three bytes, printed byte by byte as the tool
	 * does. */
	{ "test_aset_set", "write_rows_v2_body__test_aset_set",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `ttest`.`aset`\n### SET\n###   @1=1\n"
	  "###   @2=b'000001010000000000000000'\n" },
	{ "test_numbers_enum_2byte", "write_rows_v2_body__test_numbers_enum_2byte",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `ttest`.`numbers`\n### SET\n###   @1=1\n###   @2=1\n"
	  "### INSERT INTO `ttest`.`numbers`\n### SET\n###   @1=2\n"
	  "###   @2=257\n" },
	{ "test_test_int_mysql57", "write_rows_v2_body__test_int_mysql57_no_extra",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `test`.`test`\n### SET\n###   @1=3\n" },
	{ "test_test_int_mysql57", "update_rows_v2_body__test_int_mysql57_no_extra",
	  DM_BINLOG_UPDATE_ROWS_EVENT,
	  "### UPDATE `test`.`test`\n### WHERE\n###   @1=3\n### SET\n"
	  "###   @1=1\n" },
	{ "ndb_t_mysqlcluster8032", "write_rows_v2_body__ndb_t_extra_ndb_info",
	  DM_BINLOG_WRITE_ROWS_EVENT,
	  "### INSERT INTO `bdteste`.`t`\n### SET\n###   @1=1\n###   @2=1\n"
	  "### INSERT INTO `bdteste`.`t`\n### SET\n###   @1=2\n###   @2=2\n"
	  "### INSERT INTO `bdteste`.`t`\n### SET\n###   @1=4\n###   @2=4\n"
	  "### INSERT INTO `bdteste`.`t`\n### SET\n###   @1=3\n###   @2=3\n"
	  "### INSERT INTO `bdteste`.`t`\n### SET\n###   @1=5\n###   @2=5\n" },
};

static const dm_binlog_event *decode_pair(dm_binlog_decoder *d,
					  const char *tm, const char *rows,
					  int type)
{
	char file[256];
	unsigned char *b;
	size_t n;
	const dm_binlog_event *ev;

	snprintf(file, sizeof(file), "go-mysql__tablemap_body__%s.hex", tm);
	b = hexf(file, &n);
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, b, n);
	free(b);
	snprintf(file, sizeof(file), "go-mysql__%s.hex", rows);
	b = hexf(file, &n);
	ev = bt_decode_body(d, (uint8_t)type, b, n);
	free(b); /* bt_decode_body copied it */
	return ev;
}

static void test_hex__row_bodies_decode_to_their_values(void **state)
{
	size_t i;

	(void)state;
	NEED_CORPUS();
	for (i = 0; i < sizeof(rows_cases) / sizeof(rows_cases[0]); i++) {
		const struct rows_case *rc = &rows_cases[i];
		dm_binlog_decoder *d = bt_decoder("8.0.30");
		const dm_binlog_event *ev = decode_pair(d, rc->table_map,
							rc->rows, rc->type);
		char *text = rows_text(d, ev);

		if (strcmp(text, rc->text) != 0)
			fail_msg("%s:\n%s\nwant:\n%s", rc->rows, text, rc->text);
		free(text);
		dm_binlog_decoder_free(d);
	}
}

static void test_hex__row_extra_data_ndb_and_partitions(void **state)
{
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("8.0.32");
	ev = decode_pair(d, "ndb_t_mysqlcluster8032",
			 "write_rows_v2_body__ndb_t_extra_ndb_info",
			 DM_BINLOG_WRITE_ROWS_EVENT);
	assert_true(ev->u.rows.has_ndb_info);
	assert_false(ev->u.rows.has_partition);
	assert_int_equal(ev->u.rows.version, 2);
	ev = decode_pair(d, "partitioned_test_mysql8016",
			 "write_rows_v2_body__partitioned_extra_partition_id",
			 DM_BINLOG_WRITE_ROWS_EVENT);
	assert_true(ev->u.rows.has_partition);
	assert_int_equal(ev->u.rows.partition_id, 3);
	assert_int_equal(ev->u.rows.source_partition_id, -1);
	ev = decode_pair(d, "partitioned_test_mysql8016",
			 "update_rows_v2_body__partitioned_extra_source_partition",
			 DM_BINLOG_UPDATE_ROWS_EVENT);
	assert_int_equal(ev->u.rows.partition_id, 1);
	assert_int_equal(ev->u.rows.source_partition_id, 3);
	dm_binlog_decoder_free(d);
}

/* A long binary JSON text and values typed as the table says. */
static void test_hex__row_values_are_typed(void **state)
{
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("5.7.30");
	ev = decode_pair(d, "t10_json_decimal", "write_rows_v2_body__t10_json_long_text",
			 DM_BINLOG_WRITE_ROWS_EVENT);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	assert_null(bv);
	assert_int_equal(av[0].kind, DM_VALUE_JSON_BINARY);
	assert_int_equal(av[1].kind, DM_VALUE_DECIMAL);
	assert_int_equal(av[1].v.str.len, 3);
	assert_memory_equal(av[1].v.str.ptr, "101", 3);
	assert_int_equal(dm_value_format_text(&b, &av[0], &e), 0);
	assert_true(b.len > 2000);
	assert_memory_equal(b.data, "{\"text\": \"Lorem ipsum", 21);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), DM_DONE);
	dm_buf_free(&b);

	ev = decode_pair(d, "hj_order_preview_json",
			 "write_rows_v2_body__hj_order_preview_json_empty",
			 DM_BINLOG_WRITE_ROWS_EVENT);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	assert_int_equal(dm_binlog_rows_next(it, NULL, &av, &e), 0);
	assert_int_equal(av[1].kind, DM_VALUE_INT);
	assert_true(av[1].flags & DM_VALUE_F_SIGN_UNKNOWN);
	assert_int_equal(av[1].v.i, 95891865464386LL);
	assert_int_equal(av[2].v.i, 13376222192996417LL);
	assert_int_equal(av[3].kind, DM_VALUE_JSON_BINARY);
	assert_int_equal(av[3].v.str.len, 0);
	assert_int_equal(av[5].v.i, 1479983995);
	assert_int_equal(av[6].kind, DM_VALUE_TIMESTAMP);
	assert_int_equal(av[6].v.ts.sec, 0);
	dm_binlog_decoder_free(d);
}

/* JSON compatibility case 3: a virtual JSON column whose stored bytes are
 * not valid binary JSON (MySQL 5.7 before 5.7.22). Rows decode; only
 * rendering the JSON fails, with a clear message. */
static void test_hex__bad_virtual_json_fails_only_when_rendered(void **state)
{
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("5.7.30");
	ev = decode_pair(d, "t11_json_virtual", "update_rows_v2_body__t11_c",
			 DM_BINLOG_UPDATE_ROWS_EVENT);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	assert_int_equal(av[2].kind, DM_VALUE_JSON_BINARY);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), DM_DONE);
	assert_int_equal(dm_binlog_format_rows_text(&b, d, ev, &e),
			 DM_E_BINLOG_EVENT_DECODE);
	assert_non_null(strstr(bt_errmsg(e), "test-bin.000001:4: "));
	dm_buf_free(&b);
	dm_binlog_decoder_free(d);
}

/* One after-image row of a PARTIAL_UPDATE_ROWS event with three empty JSON
 * diff lists; the before image (MINIMAL) holds only the key. */
static void test_hex__partial_update_after_image(void **state)
{
	static const unsigned char tm[] = {
		0x01, 0, 0, 0, 0, 0, 0x01, 0x00, 1, 'd', 0, 1, 't', 0, 8,
		DM_TYPE_LONG, DM_TYPE_LONG, DM_TYPE_JSON, DM_TYPE_JSON,
		DM_TYPE_JSON, DM_TYPE_DATETIME2, DM_TYPE_DATETIME2, DM_TYPE_LONG,
		5, 4, 4, 4, 0, 0, 0xff,
	};
	unsigned char body[256];
	unsigned char *img;
	size_t n, len = 0;
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *e = NULL;
	char *text;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("8.0.30");
	bt_decode_body(d, DM_BINLOG_TABLE_MAP_EVENT, tm, sizeof(tm));
	img = hexf("go-mysql__partial_update_rows_after_image__empty_json.hex", &n);
	memcpy(body, "\x01\0\0\0\0\0\x01\0\x02\0\x08\x01\xff", 13);
	len = 13;
	/* Before image: null bitmap, id 994294. */
	memcpy(body + len, "\x00\xf6\x2b\x0f\x00", 5);
	len += 5;
	memcpy(body + len, img, n);
	len += n;
	free(img);
	ev = bt_decode_body(d, DM_BINLOG_PARTIAL_UPDATE_ROWS_EVENT, body, len);
	assert_int_equal(ev->u.rows.action, DM_BINLOG_ROWS_PARTIAL_UPDATE);
	assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), 0);
	assert_int_equal(bv[0].v.i, 994294);
	assert_int_equal(bv[1].kind, DM_VALUE_ABSENT);
	assert_int_equal(av[0].v.i, 994294);
	assert_int_equal(av[1].v.i, 38842347);
	assert_int_equal(av[2].kind, DM_VALUE_JSON_DIFF);
	assert_int_equal(av[2].v.str.len, 0);
	assert_int_equal(av[7].v.i, 4404);
	assert_int_equal(av[5].kind, DM_VALUE_DATETIME);
	assert_int_equal(dm_binlog_rows_next(it, &bv, &av, &e), DM_DONE);
	text = rows_text(d, ev);
	assert_non_null(strstr(text, "###   @3=@3\n"));
	free(text);
	dm_binlog_decoder_free(d);
}

/* ------------------------------------------------- TRANSACTION_PAYLOAD */

static void payload_events(dm_binlog_decoder *d, const dm_binlog_event *ev,
			   const int *types, size_t ntypes, const char *needle)
{
	dm_binlog_payload_iter *pi;
	const dm_binlog_event *in;
	dm_error *e = NULL;
	dm_buf all = DM_BUF_INIT;
	size_t k = 0;
	int rc;

	assert_int_equal(dm_binlog_payload_open(&pi, d, ev, &e), 0);
	while ((rc = dm_binlog_payload_next(pi, &in, &e)) == 0) {
		assert_true(k < ntypes);
		assert_int_equal(in->type, types[k]);
		assert_true(in->inner);
		assert_false(in->has_checksum);
		if (in->kind == DM_BINLOG_KIND_ROWS)
			assert_int_equal(dm_binlog_format_rows_text(&all, d, in,
								    &e), 0);
		k++;
	}
	if (rc != DM_DONE)
		fail_msg("payload: %s", bt_errmsg(e));
	assert_int_equal(k, ntypes);
	if (needle && (!all.data || !strstr(all.data, needle)))
		fail_msg("payload rows lack %s:\n%s", needle,
			 all.data ? all.data : "");
	dm_buf_free(&all);
}

static void test_hex__transaction_payloads(void **state)
{
	static const int four[] = { 2, 19, 31, 16 };
	static const int eight[] = { 2, 19, 30, 19, 31, 19, 32, 16 };
	static const int tp[] = { 2, 19, 30, 16 };
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	unsigned char *b, *body;
	size_t n;

	(void)state;
	NEED_CORPUS();
	d = bt_decoder("8.0.28");
	b = hexf("mbcj__transaction_payload_body__mysql80_zstd_update.hex", &n);
	ev = bt_decode_body(d, DM_BINLOG_TRANSACTION_PAYLOAD_EVENT, b, n);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_TRANSACTION_PAYLOAD);
	assert_int_equal(ev->u.payload.compression, 0);
	assert_int_equal(ev->u.payload.uncompressed_size, 960);
	assert_int_equal(ev->u.payload.payload_size, 451);
	payload_events(d, ev, four, 4, "'Once Upon a Time in the West'");
	free(b);

	/* Only the compressed field: wrap it in a header of our own with
	 * just the compression type. */
	b = hexf("go-mysql__transaction_payload_zstd_payload__mysql8027.hex", &n);
	body = malloc(n + 8);
	memcpy(body, "\x02\x01\x00\x00", 4);
	memcpy(body + 4, b, n);
	ev = bt_decode_body(d, DM_BINLOG_TRANSACTION_PAYLOAD_EVENT, body, n + 4);
	payload_events(d, ev, eight, 8, NULL);
	free(body);
	free(b);

	/* A whole event whose CRC was stripped: the size field no longer
	 * matches; with the size fixed it decodes. */
	b = hexf("vitess__mysql80_transaction_payload_zstd_crc_stripped.hex", &n);
	assert_int_equal(n, 215);
	assert_non_null(strstr(bt_decode_fail(d, b, n, DM_E_BINLOG_EVENT_DECODE),
			       "219 bytes, 215 given"));
	b[9] = 215;
	ev = bt_decode(d, b, n);
	payload_events(d, ev, tp, 4, "'mlord@planetscale.com'");
	free(b);
	dm_binlog_decoder_free(d);
}

/* -------------------------------------------------------------- values */

static void test_hex__json_value_57_equals_80_sparse(void **state)
{
	unsigned char *a, *b;
	size_t na, nb;
	dm_value va = { 0 }, vb = { 0 };
	dm_buf ta = DM_BUF_INIT, tb = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	NEED_CORPUS();
	a = hexf("mbcj__json_binary_value__after_json_remove_mysql57.hex", &na);
	b = hexf("mbcj__json_binary_value__after_json_remove_mysql80_sparse.hex",
		 &nb);
	va.kind = vb.kind = DM_VALUE_JSON_BINARY;
	va.v.str = (dm_str){ (const char *)a, na };
	vb.v.str = (dm_str){ (const char *)b, nb };
	assert_int_equal(dm_value_format_text(&ta, &va, &e), 0);
	assert_int_equal(dm_value_format_text(&tb, &vb, &e), 0);
	assert_string_equal(ta.data, tb.data);
	assert_true(ta.data[0] == '{');
	dm_buf_free(&ta);
	dm_buf_free(&tb);
	free(a);
	free(b);
}

/* ------------------------------------------- full-event line fixtures */

static char *decode_lines(const char *file, dm_binlog_decoder *d)
{
	int lines = bt_hex_lines(file), i;
	dm_buf all = DM_BUF_INIT;
	dm_error *e = NULL;

	assert_true(lines > 0);
	for (i = 0; i < lines; i++) {
		size_t n;
		unsigned char *b = bt_read_hex(file, i, &n);
		const dm_binlog_event *ev = bt_decode(d, b, n);

		if (ev->kind == DM_BINLOG_KIND_ROWS &&
		    dm_binlog_format_rows_text(&all, d, ev, &e))
			fail_msg("%s line %d: %s", file, i + 1, bt_errmsg(e));
		free(b);
	}
	if (!all.data)
		dm_buf_puts(&all, "");
	return dm_buf_detach(&all);
}

static void test_hex__mariadb_10_11_events(void **state)
{
	dm_binlog_decoder_opts o = DM_BINLOG_DECODER_OPTS_INIT;
	dm_binlog_decoder *d;
	dm_error *e = NULL;
	char *text;

	(void)state;
	NEED_CORPUS();
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, &o, &e), 0);
	text = decode_lines("dolt-gms__mariadb101113_insert.hex", d);
	assert_string_equal(text,
		"### INSERT INTO `mydb`.`users`\n### SET\n###   @1=1\n"
		"###   @2='Alice'\n###   @3='alice@example.com'\n"
		"### INSERT INTO `mydb`.`users`\n### SET\n###   @1=2\n"
		"###   @2='Bob'\n###   @3='bob@example.com'\n");
	assert_int_equal(dm_binlog_decoder_checksum(d), DM_BINLOG_CHECKSUM_CRC32);
	assert_true(dm_binlog_decoder_format(d)->mariadb);
	assert_int_equal(dm_binlog_decoder_format(d)->server_version_number,
			 101113);
	free(text);
	text = decode_lines("dolt-gms__mariadb101113_update.hex", d);
	assert_non_null(strstr(text, "### SET\n###   @1=1\n###   @2='Alice Smith'"));
	free(text);
	text = decode_lines("dolt-gms__mariadb101113_delete.hex", d);
	assert_string_equal(text,
		"### DELETE FROM `mydb`.`users`\n### WHERE\n###   @1=2\n"
		"###   @2='Bob'\n###   @3='bob@example.com'\n");
	free(text);
	text = decode_lines("dolt-gms__mariadb101113_transaction_multi_ops.hex", d);
	assert_non_null(strstr(text, "###   @3=99.99\n"));
	assert_non_null(strstr(text, "###   @3=149.50\n"));
	assert_non_null(strstr(text, "###   @3=75.25\n"));
	assert_non_null(strstr(text, "###   @3=109.99\n"));
	assert_non_null(strstr(text, "###   @3=164.45\n"));
	assert_non_null(strstr(text, "### DELETE FROM `mydb`.`multi_op_test`\n"
			       "### WHERE\n###   @1=3\n"));
	free(text);
	dm_binlog_decoder_free(d);
}

/* A FORMAT_DESCRIPTION with the in-use flag, then rows; the last rows event
 * does not fit its table on purpose: a positioned error, no crash. */
static void test_hex__mysql_5_7_stream(void **state)
{
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *av;
	dm_error *e = NULL;
	unsigned char *b;
	size_t n;
	int i, rc;

	(void)state;
	NEED_CORPUS();
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, NULL, &e), 0);
	for (i = 0; i < 5; i++) {
		b = bt_read_hex("go-mysql__stream__mysql5722_fde_tablemap_writerows.hex",
				i, &n);
		ev = bt_decode(d, b, n);
		assert_true(ev->has_checksum);
		if (i == 0) {
			assert_string_equal(ev->u.fde.server_version, "5.7.22-log");
			assert_int_equal(ev->u.fde.checksum_alg, 1);
		}
		if (i == 2) {
			assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
			assert_int_equal(dm_binlog_rows_next(it, NULL, &av, &e), 0);
			assert_int_equal(av[0].v.i, 1);
		}
		if (i == 4) {
			assert_int_equal(dm_binlog_rows_open(&it, d, ev, &e), 0);
			while ((rc = dm_binlog_rows_next(it, NULL, &av, &e)) == 0)
				;
			assert_int_equal(rc, DM_E_BINLOG_EVENT_DECODE);
			assert_non_null(strstr(bt_errmsg(e), "stream:4: Write_rows"));
			e = NULL;
		}
		free(b);
	}
	dm_binlog_decoder_free(d);
}

static void test_hex__vitess_mariadb_and_mysql56_events(void **state)
{
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	dm_error *e = NULL;
	unsigned char *b;
	size_t n;

	(void)state;
	NEED_CORPUS();
	/* MariaDB 10.0: FDE with checksums off (its CRC still valid). */
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, NULL, &e), 0);
	b = hexf("vitess__mariadb10013_fde_checksum_off.hex", &n);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->u.fde.checksum_alg, 0);
	assert_int_equal(ev->u.fde.npost_header_lengths, 163);
	assert_true(ev->u.fde.mariadb);
	free(b);
	b = hexf("vitess__mariadb10013_gtid_begin_0-62344-10.hex", &n);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->u.mariadb_gtid.seq_no, 10);
	assert_int_equal(ev->u.mariadb_gtid.server_id, 62344);
	assert_int_equal(ev->u.mariadb_gtid.flags, 0);
	assert_true(dm_binlog_event_starts_transaction(ev));
	free(b);
	b = hexf("vitess__mariadb10013_gtid_standalone_0-62344-9.hex", &n);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->u.mariadb_gtid.seq_no, 9);
	assert_int_equal(ev->u.mariadb_gtid.flags, DM_BINLOG_MGTID_STANDALONE);
	assert_false(dm_binlog_event_starts_transaction(ev));
	free(b);
	b = hexf("vitess__mariadb10013_query_insert.hex", &n);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->u.query.schema.len, 16);
	assert_memory_equal(ev->u.query.schema.ptr, "vt_test_keyspace", 16);
	assert_memory_equal(ev->u.query.query.ptr,
			    "insert into vt_insert_test(msg) values ('test 0')", 49);
	assert_int_equal(ev->u.query.status.charset_client, 33);
	assert_int_equal(ev->u.query.status.collation_connection, 33);
	assert_int_equal(ev->u.query.status.collation_server, 33);
	/* The same event behind a semi-sync header (0xef, ack flag). */
	free(b);
	b = hexf("vitess__mariadb10013_semisync_packet_ack_requested.hex", &n);
	assert_int_equal(b[0], 0xef);
	assert_int_equal(b[1], 0x01);
	ev = bt_decode(d, b + 2, n - 2);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_QUERY);
	free(b);
	b = hexf("vitess__mariadb10013_semisync_packet_no_ack.hex", &n);
	assert_int_equal(b[1], 0x00);
	ev = bt_decode(d, b + 2, n - 2);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_QUERY);
	free(b);
	/* FDE with CRC32: checksums from here on. */
	b = hexf("vitess__mariadb10013_fde_crc32.hex", &n);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->u.fde.checksum_alg, 1);
	free(b);
	b = hexf("vitess__mariadb10013_query_crc32.hex", &n);
	ev = bt_decode(d, b, n);
	assert_true(ev->has_checksum);
	assert_int_equal(ev->checksum, 0x537a49ce);
	assert_memory_equal(ev->u.query.query.ptr, "UPDATE _vt.blp_checkpoint", 25);
	free(b);
	dm_binlog_decoder_free(d);

	/* MySQL 5.6: the FDE's CRC covers the in-use flag cleared. */
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, NULL, &e), 0);
	b = hexf("vitess__mysql5624_fde_crc32.hex", &n);
	ev = bt_decode(d, b, n);
	assert_true(ev->flags & DM_BINLOG_F_BINLOG_IN_USE);
	assert_string_equal(ev->u.fde.server_version, "5.6.24-log");
	free(b);
	b = hexf("vitess__mysql5624_gtid_crc32.hex", &n);
	ev = bt_decode(d, b, n);
	assert_int_equal(ev->u.gtid.gno, 4);
	assert_int_equal(ev->u.gtid.flags, 1);
	assert_false(ev->u.gtid.has_logical_clock);
	free(b);
	b = hexf("vitess__mysql5624_query_crc32.hex", &n);
	ev = bt_decode(d, b, n);
	assert_memory_equal(ev->u.query.schema.ptr, "test", 4);
	assert_int_equal(ev->u.query.query.len, 45);
	free(b);
	b = hexf("vitess__mysql5624_semisync_packet_ack_requested.hex", &n);
	ev = bt_decode(d, b + 2, n - 2);
	assert_int_equal(ev->kind, DM_BINLOG_KIND_QUERY);
	free(b);
	dm_binlog_decoder_free(d);
}

int binlog_test_hex_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex__stop_events_with_and_without_crc),
		cmocka_unit_test(test_hex__mysql_gtid_bodies_5_7_and_8_0),
		cmocka_unit_test(test_hex__mariadb_gtid_list_previous_gtids_xa),
		cmocka_unit_test(test_hex__table_map_bodies_with_optional_metadata),
		cmocka_unit_test(test_hex__every_table_map_body_decodes),
		cmocka_unit_test(test_hex__row_bodies_decode_to_their_values),
		cmocka_unit_test(test_hex__row_extra_data_ndb_and_partitions),
		cmocka_unit_test(test_hex__row_values_are_typed),
		cmocka_unit_test(test_hex__bad_virtual_json_fails_only_when_rendered),
		cmocka_unit_test(test_hex__partial_update_after_image),
		cmocka_unit_test(test_hex__transaction_payloads),
		cmocka_unit_test(test_hex__json_value_57_equals_80_sparse),
		cmocka_unit_test(test_hex__mariadb_10_11_events),
		cmocka_unit_test(test_hex__mysql_5_7_stream),
		cmocka_unit_test(test_hex__vitess_mariadb_and_mysql56_events),
	};

	return cmocka_run_group_tests_name("binlog_hex", tests, NULL, NULL);
}
