/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Real JSON values written by MySQL servers, from the shared binlog corpus
 * (../shared/corpus/binlog, see its MANIFEST.md). The tests skip when the
 * corpus is not there. Expected texts: the statements quoted in go-mysql's
 * tests and the MANIFEST entries; for json.binlog.000001 (MySQL 8.0.22)
 * the generated columns of the same rows (name = json->>'$.name', age =
 * json->'$.age'), which the server computed from the documents.
 */
#include "jsonbin_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/jsonbin.h"

#define CORPUS_OR_SKIP(b, name)                                               \
	do {                                                                  \
		if (!jt_corpus(b, name)) {                                    \
			print_message("corpus file ../shared/corpus/binlog/"  \
				      "%s not found: skipped\n", name);       \
			skip();                                               \
		}                                                             \
	} while (0)

static uint32_t rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Length-prefixed (meta 4) JSON value at *pos of a row: checks it fits,
 * returns it and moves past it. */
static const unsigned char *json_at(const jt_bytes *b, size_t *pos,
				    size_t *len)
{
	const unsigned char *p;

	assert_true(*pos + 4 <= b->n);
	*len = rd32(b->p + *pos);
	assert_true(*len <= b->n - *pos - 4);
	p = b->p + *pos + 4;
	*pos += 4 + *len;
	return p;
}

static void expect_json(const unsigned char *p, size_t n, const char *want)
{
	jt_check_text(p, n, want);
}

static void test_jsonbin__corpus_go_mysql_t10(void **state)
{
	jt_bytes b = { 0 };
	const unsigned char *doc;
	size_t pos, n;
	char *text;
	int rc;

	(void)state;
	CORPUS_OR_SKIP(&b, "go-mysql__write_rows_v2_body__t10_json_object.hex");
	/* table id 6, flags 2, extra 2, 1 column-count byte, 1 bitmap byte,
	 * 1 null-bitmap byte, then c1 JSON. */
	pos = 13;
	doc = json_at(&b, &pos, &n);
	expect_json(doc, n, "{\"key1\": \"value1\", \"key2\": \"value2\"}");
	jt_bytes_free(&b);

	CORPUS_OR_SKIP(&b, "go-mysql__write_rows_v2_body__t10_json_long_text.hex");
	pos = 13;
	doc = json_at(&b, &pos, &n);
	text = jt_to_text(doc, n, &rc, NULL, 0);
	assert_int_equal(rc, 0);
	/* 2750 characters of Lorem ipsum, nothing to escape. */
	assert_int_equal(strlen(text), strlen("{\"text\": \"\"}") + 2750);
	assert_non_null(strstr(text, "{\"text\": \"Lorem ipsum dolor sit amet, "
				    "consectetuer adipiscing elit. ") == text ? text : NULL);
	assert_string_equal(text + strlen(text) - 28,
			    "elit erat euismod orci, ac\"}");
	free(text);
	jt_bytes_free(&b);
}

static void test_jsonbin__corpus_go_mysql_t11(void **state)
{
	static const struct {
		const char *file;
		const char *before, *after;
	} updates[] = {
		{ "go-mysql__update_rows_v2_body__t11_a.hex", "{}",
		  "{\"a\": 1234}" },
		{ "go-mysql__update_rows_v2_body__t11_b.hex", "{\"a\": 1234}",
		  "{}" },
		/* A before-image whose object claims 12 bytes in 5. */
		{ "go-mysql__update_rows_v2_body__t11_c.hex", NULL,
		  "{\"a\": 1234}" },
		/* An empty object followed by stale bytes. */
		{ "go-mysql__update_rows_v2_body__t11_d.hex", "{}", "{}" },
	};
	jt_bytes b = { 0 };
	const unsigned char *doc;
	size_t pos, n, i, img;

	(void)state;
	CORPUS_OR_SKIP(&b, "go-mysql__write_rows_v2_body__t11_cfg_empty_object.hex");
	/* header 13 bytes, null bitmap, id INT, cfg VARCHAR(100): "{}" */
	pos = 13 + 4;
	assert_int_equal(b.p[pos], 2);
	pos += 3;
	doc = json_at(&b, &pos, &n);
	expect_json(doc, n, "{}");
	jt_bytes_free(&b);

	for (i = 0; i < sizeof(updates) / sizeof(updates[0]); i++) {
		CORPUS_OR_SKIP(&b, updates[i].file);
		pos = 13; /* after the two column bitmaps */
		for (img = 0; img < 2; img++) {
			const char *want = img ? updates[i].after
					       : updates[i].before;

			pos += 1 + 4; /* null bitmap, id */
			pos += 1 + b.p[pos];
			doc = json_at(&b, &pos, &n);
			if (want)
				expect_json(doc, n, want);
			else
				jt_check_error(doc, n, 1,
					       "object of 12 bytes runs past the end");
		}
		assert_int_equal(pos, b.n);
		jt_bytes_free(&b);
	}
}

static void test_jsonbin__corpus_zero_length_json(void **state)
{
	static const unsigned char before[] = { 0x00, 0x01, 0x00, 0x0c, 0x00,
						0x0b, 0x00, 0x01, 0x00, 0x04,
						0x01, 0x00, 'k' };
	jt_bytes b = { 0 };
	size_t pos, n, k;
	const unsigned char *v;
	char *text;
	int rc;

	(void)state;
	CORPUS_OR_SKIP(&b, "go-mysql__write_rows_v2_body__hj_order_preview_json_empty.hex");
	/* null bitmap, INT, BIGINT, BIGINT, then the JSON NOT NULL column. */
	pos = 12 + 1 + 4 + 8 + 8;
	v = json_at(&b, &pos, &n);
	assert_int_equal(n, 0);
	expect_json(v, n, "null");
	assert_int_equal(rd32(b.p + pos + 1), 1479983995u); /* add_time */
	jt_bytes_free(&b);

	/* A PARTIAL_UPDATE_ROWS after-image: value options 1 (partial JSON),
	 * partial bits, null bitmap, INT, INT, then three empty diff lists. */
	CORPUS_OR_SKIP(&b, "go-mysql__partial_update_rows_after_image__empty_json.hex");
	assert_int_equal(b.p[0], 1);
	assert_int_equal(b.p[1], 7);
	assert_int_equal(rd32(b.p + 3), 994294u);
	assert_int_equal(rd32(b.p + 7), 38842347u);
	pos = 11;
	for (k = 0; k < 3; k++) {
		v = json_at(&b, &pos, &n);
		assert_int_equal(n, 0);
		text = jt_apply(before, sizeof(before), v, n, &rc, NULL, 0);
		assert_int_equal(rc, 0);
		assert_string_equal(text, "{\"k\": true}");
		free(text);
		text = jt_apply(NULL, 0, v, n, &rc, NULL, 0);
		assert_int_equal(rc, 0);
		assert_string_equal(text, "null");
		free(text);
	}
	assert_int_equal(rd32(b.p + pos + 10), 4404u);
	jt_bytes_free(&b);
}

static void test_jsonbin__corpus_sparse_document_after_remove(void **state)
{
	static const char want[] =
		"{\"1f3a2ea5bc1f60258df20521bee9ac636df69a3a\": {\"currency\": \"USD\"}, "
		"\"4f4d99a438f334d7dbf83a1816015b361b848b3b\": {\"currency\": \"USD\"}, "
		"\"9021162291be72f5a8025480f44bf44d5d81d07c\": "
		"\"test_field_for_remove_fields_behaviour_3_will_be_removed\", "
		"\"9b0ed11532efea688fdf12b28f142b9eb08a80c5\": {\"currency\": \"USD\"}, "
		"\"e65ad0762c259b05b4866f7249eabecabadbe577\": "
		"\"test_field_for_remove_fields_behaviour_1_updated\", "
		"\"ff2c07edcaa3e987c23fb5cc4fe860bb52becf00\": {\"currency\": \"USD\"}}";
	jt_bytes b = { 0 };

	(void)state;
	/* The same document, compact from 5.7 and with stale bytes left by
	 * 8.0's in-place JSON_REMOVE: both print the same. */
	CORPUS_OR_SKIP(&b, "mbcj__json_binary_value__after_json_remove_mysql57.hex");
	expect_json(b.p, b.n, want);
	jt_bytes_free(&b);
	CORPUS_OR_SKIP(&b, "mbcj__json_binary_value__after_json_remove_mysql80_sparse.hex");
	expect_json(b.p, b.n, want);
	jt_bytes_free(&b);
}

/* ------------------------------------------- json.binlog.000001 */

/* One row image of mysql.t(id INT, json_col JSON, name VARCHAR(100) AS
 * (json_col->>'$.name'), age INT AS (json_col->'$.age')). */
struct trow {
	uint32_t id;
	const unsigned char *json;
	size_t json_n;
	bool partial;
	char name[32];
	uint32_t age;
};

/* Reads one image of the present columns (bitmap `cols`) at *pos. */
static void read_image(const unsigned char *p, size_t n, size_t *pos,
		       unsigned cols, bool after_partial, struct trow *row)
{
	unsigned present = 0, c, k = 0, nulls;
	size_t at = *pos;

	memset(row, 0, sizeof(*row));
	if (after_partial) {
		assert_int_equal(p[at], 1); /* PARTIAL_JSON_UPDATES */
		row->partial = p[at + 1] & 1;
		at += 2;
	}
	for (c = 0; c < 4; c++)
		present += (cols >> c) & 1;
	nulls = p[at];
	at += (present + 7) / 8;
	for (c = 0; c < 4; c++) {
		if (!((cols >> c) & 1))
			continue;
		if ((nulls >> k++) & 1)
			continue;
		switch (c) {
		case 0:
			row->id = rd32(p + at);
			at += 4;
			break;
		case 1:
			row->json_n = rd32(p + at);
			row->json = p + at + 4;
			at += 4 + row->json_n;
			break;
		case 2: {
			size_t len = (size_t)p[at] | (size_t)p[at + 1] << 8;

			assert_true(len < sizeof(row->name));
			memcpy(row->name, p + at + 2, len);
			at += 2 + len;
			break;
		}
		default:
			row->age = rd32(p + at);
			at += 4;
		}
		assert_true(at <= n);
	}
	*pos = at;
}

static void expected_doc(char *buf, size_t cap, const struct trow *r)
{
	const char *data = strcmp(r->name, "Joe") == 0	 ? "xxxxxxxxxx"
			   : strcmp(r->name, "Sue") == 0 ? "yyyyyyyyyy"
							 : "zzzzzzzzzz";

	snprintf(buf, cap, "{\"age\": %u, \"data\": \"%s\", \"name\": \"%s\"}",
		 r->age, data, r->name);
}

static void test_jsonbin__corpus_mysql80_partial_update(void **state)
{
	const unsigned char *docs[8] = { NULL };
	size_t doc_n[8] = { 0 }, pos, off;
	unsigned writes = 0, updates = 0, partials = 0;
	jt_bytes b = { 0 };

	(void)state;
	CORPUS_OR_SKIP(&b, "rust_mysql_common__json.binlog.000001");
	assert_memory_equal(b.p, "\xfe" "bin", 4);
	for (off = 4; off + 19 <= b.n;) {
		const unsigned char *ev = b.p + off, *body = ev + 19;
		uint32_t size = rd32(ev + 9);
		unsigned type = ev[4], cols_before, cols_after;
		size_t body_n = size - 19 - 4; /* CRC32 binlog */
		char want[128], *text;
		struct trow before, after;
		int rc;

		assert_true(size >= 23 && size <= b.n - off);
		off += size;
		if (type == 19) {
			/* TABLE_MAP of mysql.t: LONG, JSON, VARCHAR, LONG. */
			assert_memory_equal(body + 18, "\x04\x03\xf5\x0f\x03", 5);
			continue;
		}
		if (type != 30 && type != 31 && type != 39)
			continue;
		/* table id 6, flags 2, extra-data length 2 (=2), 4 columns */
		assert_int_equal(body[8], 2);
		assert_int_equal(body[10], 4);
		cols_before = body[11];
		cols_after = type == 30 ? 0 : body[12];
		pos = type == 30 ? 12 : 13;
		while (pos < body_n) {
			read_image(body, body_n, &pos, cols_before, false,
				   &before);
			assert_true(before.id >= 1 && before.id <= 6);
			if (type == 30) {
				writes++;
				expected_doc(want, sizeof(want), &before);
				expect_json(before.json, before.json_n, want);
				docs[before.id] = before.json;
				doc_n[before.id] = before.json_n;
				continue;
			}
			read_image(body, body_n, &pos, cols_after, type == 39,
				   &after);
			if (type == 31) {
				updates++;
				expected_doc(want, sizeof(want), &before);
				expect_json(before.json, before.json_n, want);
				expected_doc(want, sizeof(want), &after);
				expect_json(after.json, after.json_n, want);
				assert_int_equal(after.age, before.age + 1);
				docs[after.id] = after.json;
				doc_n[after.id] = after.json_n;
				continue;
			}
			/* PARTIAL_UPDATE_ROWS with binlog_row_image=MINIMAL:
			 * the before-image is the id, the after-image holds
			 * the diff list of json_col: REPLACE $.age. */
			partials++;
			assert_int_equal(cols_before, 0x01);
			assert_true(after.partial);
			assert_non_null(docs[before.id]);
			assert_memory_equal(after.json, "\x00\x05$.age\x03\x05", 9);
			after.id = before.id;
			expected_doc(want, sizeof(want), &after);
			text = jt_apply(docs[before.id], doc_n[before.id],
					after.json, after.json_n, &rc, NULL, 0);
			assert_int_equal(rc, 0);
			assert_string_equal(text, want);
			free(text);
		}
		assert_int_equal(pos, body_n);
	}
	assert_int_equal(off, b.n);
	assert_int_equal(writes, 6);
	assert_int_equal(updates, 6);
	assert_int_equal(partials, 6);
	jt_bytes_free(&b);
}

int jt_corpus_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonbin__corpus_go_mysql_t10),
		cmocka_unit_test(test_jsonbin__corpus_go_mysql_t11),
		cmocka_unit_test(test_jsonbin__corpus_zero_length_json),
		cmocka_unit_test(test_jsonbin__corpus_sparse_document_after_remove),
		cmocka_unit_test(test_jsonbin__corpus_mysql80_partial_update),
	};

	return cmocka_run_group_tests_name("jsonbin corpus", tests, NULL, NULL);
}
