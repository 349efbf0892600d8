/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for row decoding: the input describes a table and holds the
 * packed rows, so that (almost) every input reaches the value decoders.
 *
 *   byte 0        number of columns (1..32)
 *   byte 1        action (write, update, delete, partial update), row
 *                 format version, MariaDB or MySQL
 *   ncols bytes   column types, mapped onto the types rows carry
 *   then          each column's metadata, as many bytes as its type needs
 *   byte          length k of raw optional metadata, then k bytes
 *   byte          column bitmap (repeated), second bitmap for updates
 *   rest          the packed rows
 *
 * The TABLE_MAP and rows events are built from these with consistent
 * sizes; every row is decoded and every value formatted.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t types[] = {
	DM_TYPE_TINY, DM_TYPE_SHORT, DM_TYPE_INT24, DM_TYPE_LONG,
	DM_TYPE_LONGLONG, DM_TYPE_FLOAT, DM_TYPE_DOUBLE, DM_TYPE_NEWDECIMAL,
	DM_TYPE_YEAR, DM_TYPE_DATE, DM_TYPE_TIME, DM_TYPE_TIME2,
	DM_TYPE_DATETIME, DM_TYPE_DATETIME2, DM_TYPE_TIMESTAMP,
	DM_TYPE_TIMESTAMP2, DM_TYPE_VARCHAR, DM_TYPE_STRING, DM_TYPE_BLOB,
	DM_TYPE_JSON, DM_TYPE_GEOMETRY, DM_TYPE_BIT, DM_TYPE_NULL,
	DM_TYPE_VECTOR, DM_TYPE_VAR_STRING, DM_TYPE_NEWDATE,
};

static size_t meta_len(uint8_t t)
{
	switch (t) {
	case DM_TYPE_FLOAT: case DM_TYPE_DOUBLE: case DM_TYPE_TIME2:
	case DM_TYPE_DATETIME2: case DM_TYPE_TIMESTAMP2: case DM_TYPE_BLOB:
	case DM_TYPE_JSON: case DM_TYPE_GEOMETRY: case DM_TYPE_VECTOR:
		return 1;
	case DM_TYPE_NEWDECIMAL: case DM_TYPE_VARCHAR: case DM_TYPE_STRING:
	case DM_TYPE_BIT: case DM_TYPE_VAR_STRING:
		return 2;
	default:
		return 0;
	}
}

static void decode(dm_binlog_decoder *d, const uint8_t *body, size_t n,
		   uint8_t type, dm_buf *out, bool rows)
{
	const dm_binlog_event *ev;
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *err = NULL;
	uint8_t *ev_buf = malloc(19 + n);
	int k = 0;

	if (!ev_buf)
		return;
	memset(ev_buf, 0, 19);
	ev_buf[4] = type;
	ev_buf[9] = (uint8_t)(19 + n);
	ev_buf[10] = (uint8_t)((19 + n) >> 8);
	ev_buf[11] = (uint8_t)((19 + n) >> 16);
	memcpy(ev_buf + 19, body, n);
	if (dm_binlog_decode(d, &ev, ev_buf, 19 + n, 4, &err)) {
		dm_error_free(err);
		free(ev_buf);
		return;
	}
	if (rows && dm_binlog_rows_open(&it, d, ev, &err) == 0) {
		while (k++ < 4096 && dm_binlog_rows_next(it, &bv, &av, &err) == 0) {
			size_t i;

			for (i = 0; i < ev->u.rows.ncols; i++) {
				const dm_value *v[2] = { bv ? &bv[i] : NULL,
							 av ? &av[i] : NULL };
				int j;

				for (j = 0; j < 2; j++) {
					if (!v[j] || v[j]->kind == DM_VALUE_ABSENT)
						continue;
					dm_value_format_sql(out, v[j], 0, NULL);
					dm_value_format_text(out, v[j], NULL);
					dm_binlog_format_value_text(
						out, v[j],
						&ev->u.rows.table->cols[i], NULL);
					dm_buf_clear(out);
				}
			}
		}
	}
	dm_error_free(err);
	err = NULL;
	if (rows && dm_binlog_format_rows_text(out, d, ev, &err))
		dm_error_free(err);
	dm_buf_clear(out);
	free(ev_buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t actions[4][3] = {
		{ 23, 30, 166 }, { 24, 31, 167 }, { 25, 32, 168 },
		{ 39, 39, 39 },
	};
	uint8_t tm[4096], rb[70000];
	size_t tl = 0, rl = 0, i, ncols, off = 0, k;
	dm_binlog_decoder *d = NULL;
	dm_buf out = DM_BUF_INIT;
	uint8_t mode, action, version, rtype;
	bool mariadb, update;

	if (size < 2)
		return 0;
	ncols = (size_t)(data[0] % 32) + 1;
	mode = data[1];
	off = 2;
	action = mode & 3;
	version = (mode >> 2) & 1;
	mariadb = (mode >> 3) & 1;
	rtype = actions[action][version];
	update = action == 1 || action == 3;
	if (dm_binlog_decoder_new(&d, NULL, NULL, NULL))
		return 0;
	dm_binlog_decoder_set_format(d, mariadb ? "10.11.6-MariaDB" : "8.0.36",
				     DM_BINLOG_CHECKSUM_OFF, NULL);

	/* TABLE_MAP: id 1, flags, `d`.`t`, columns. */
	memcpy(tm, "\x01\0\0\0\0\0\x01\0\x01" "d\0\x01" "t\0", 14);
	tl = 14;
	tm[tl++] = (uint8_t)ncols;
	for (i = 0; i < ncols; i++)
		tm[tl++] = types[(off + i < size ? data[off + i] : 0) %
				 sizeof(types)];
	off += ncols;
	{
		size_t mpos = tl++, mstart = tl;

		for (i = 0; i < ncols; i++) {
			size_t m = meta_len(tm[15 + i]);

			for (k = 0; k < m; k++)
				tm[tl++] = off < size ? data[off++] : 0;
		}
		tm[mpos] = (uint8_t)(tl - mstart);
	}
	for (i = 0; i < (ncols + 7) / 8; i++)
		tm[tl++] = 0xff;
	if (off < size) {
		size_t optl = data[off++];

		if (optl > size - off)
			optl = size - off;
		memcpy(tm + tl, data + off, optl);
		tl += optl;
		off += optl;
	}
	decode(d, tm, tl, DM_BINLOG_TABLE_MAP_EVENT, &out, false);

	/* Rows event. */
	memcpy(rb, "\x01\0\0\0\0\0\x01\0", 8);
	rl = 8;
	if (rtype == 30 || rtype == 31 || rtype == 32 || rtype == 39) {
		rb[rl++] = 2;
		rb[rl++] = 0;
	}
	rb[rl++] = (uint8_t)ncols;
	for (k = 0; k < (update ? 2u : 1u); k++) {
		uint8_t bm = off < size ? data[off++] : 0xff;

		for (i = 0; i < (ncols + 7) / 8; i++)
			rb[rl++] = bm;
	}
	if (off < size) {
		size_t rest = size - off;

		if (rest > sizeof(rb) - rl)
			rest = sizeof(rb) - rl;
		memcpy(rb + rl, data + off, rest);
		rl += rest;
	}
	decode(d, rb, rl, rtype, &out, true);
	dm_buf_free(&out);
	dm_binlog_decoder_free(d);
	return 0;
}
