/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the binlog decoder. The first input byte picks a mode:
 *
 *   0  the rest is a binlog file: magic (optional), then events as their
 *      size fields say, decoded by a fresh decoder;
 *   1  the rest is a sequence of whole events after a MySQL 8.0 format
 *      (no checksums);
 *   2  the same after a MariaDB 10.11 format;
 *   3  the rest is a sequence of (type, 2-byte length, body) records, each
 *      wrapped into an event with consistent sizes (reaches the body
 *      parsers more often); MySQL format, then MariaDB for odd lengths.
 *
 * Every decoded event is used the way tools use it: rows are iterated and
 * printed, payloads are opened and their events decoded, values are
 * formatted. Nothing may crash, hang or leak; errors are fine.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm/dm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use_rows(dm_binlog_decoder *d, const dm_binlog_event *ev,
		     dm_buf *out)
{
	dm_binlog_row_iter *it;
	const dm_value *bv, *av;
	dm_error *err = NULL;
	int rows = 0;

	if (dm_binlog_rows_open(&it, d, ev, &err) == 0) {
		while (rows++ < 1000 &&
		       dm_binlog_rows_next(it, &bv, &av, &err) == 0) {
			size_t i, n = (size_t)ev->u.rows.ncols;

			for (i = 0; i < n; i++) {
				const dm_value *v = av ? &av[i] : &bv[i];

				if (v->kind == DM_VALUE_ABSENT)
					continue;
				dm_value_format_sql(out, v, 0, NULL);
				dm_value_format_text(out, v, NULL);
				dm_buf_clear(out);
			}
		}
	}
	dm_error_free(err);
	err = NULL;
	if (dm_binlog_format_rows_text(out, d, ev, &err))
		dm_error_free(err);
	dm_buf_clear(out);
}

static void use_event(dm_binlog_decoder *d, const dm_binlog_event *ev,
		      dm_buf *out)
{
	dm_binlog_payload_iter *pi;
	const dm_binlog_event *in;
	dm_error *err = NULL;
	int n = 0;

	if (ev->kind == DM_BINLOG_KIND_ROWS) {
		use_rows(d, ev, out);
	} else if (ev->kind == DM_BINLOG_KIND_TRANSACTION_PAYLOAD) {
		if (dm_binlog_payload_open(&pi, d, ev, &err) == 0)
			while (n++ < 1000 &&
			       dm_binlog_payload_next(pi, &in, &err) == 0)
				if (in->kind == DM_BINLOG_KIND_ROWS)
					use_rows(d, in, out);
		dm_error_free(err);
	} else if (ev->kind == DM_BINLOG_KIND_USER_VAR &&
		   !ev->u.user_var.is_null) {
		dm_value_format_sql(out, &ev->u.user_var.decoded, 0, NULL);
		dm_buf_clear(out);
	}
}

static void decode_one(dm_binlog_decoder *d, const uint8_t *p, size_t n,
		       uint64_t pos, dm_buf *out)
{
	const dm_binlog_event *ev;
	dm_error *err = NULL;
	/* An exactly-sized copy, so reads past the event are caught. */
	uint8_t *copy = malloc(n ? n : 1);

	if (!copy)
		return;
	memcpy(copy, p, n);
	if (dm_binlog_decode(d, &ev, copy, n, pos, &err) == 0)
		use_event(d, ev, out);
	else
		dm_error_free(err);
	free(copy);
}

/* Events laid end to end, sized by their own headers. */
static void walk(dm_binlog_decoder *d, const uint8_t *p, size_t n, dm_buf *out)
{
	size_t off = 0;

	while (n - off >= 19) {
		size_t sz = (size_t)p[off + 9] | (size_t)p[off + 10] << 8 |
			    (size_t)p[off + 11] << 16 | (size_t)p[off + 12] << 24;

		if (sz < 19 || sz > n - off)
			sz = n - off;
		decode_one(d, p + off, sz, off, out);
		off += sz;
	}
}

static void records(dm_binlog_decoder *d, const uint8_t *p, size_t n,
		    dm_buf *out)
{
	size_t off = 0;
	uint8_t ev[19 + 65536];

	while (n - off >= 3) {
		uint8_t type = p[off];
		size_t len = (size_t)p[off + 1] | (size_t)p[off + 2] << 8;
		size_t total;

		off += 3;
		if (len > n - off)
			len = n - off;
		total = 19 + len;
		memset(ev, 0, 19);
		ev[4] = type;
		ev[9] = (uint8_t)total;
		ev[10] = (uint8_t)(total >> 8);
		ev[11] = (uint8_t)(total >> 16);
		memcpy(ev + 19, p + off, len);
		decode_one(d, ev, total, off, out);
		off += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dm_binlog_decoder_opts o = DM_BINLOG_DECODER_OPTS_INIT;
	dm_binlog_decoder *d = NULL;
	dm_buf out = DM_BUF_INIT;
	uint8_t mode;

	if (size < 1)
		return 0;
	mode = data[0] & 3;
	data++;
	size--;
	o.max_decompressed = 1 << 20;
	o.max_tables = 64;
	o.source_name = "fuzz-bin.000001";
	if (dm_binlog_decoder_new(&d, NULL, &o, NULL))
		return 0;
	switch (mode) {
	case 0:
		if (size >= 4 && memcmp(data, "\xfe" "bin", 4) == 0) {
			data += 4;
			size -= 4;
		}
		walk(d, data, size, &out);
		break;
	case 1:
		dm_binlog_decoder_set_format(d, "8.0.36", DM_BINLOG_CHECKSUM_OFF,
					     NULL);
		walk(d, data, size, &out);
		break;
	case 2:
		dm_binlog_decoder_set_format(d, "10.11.6-MariaDB-log",
					     DM_BINLOG_CHECKSUM_OFF, NULL);
		walk(d, data, size, &out);
		break;
	default:
		dm_binlog_decoder_set_format(d, size & 1 ? "10.11.6-MariaDB" :
					     "8.0.36", DM_BINLOG_CHECKSUM_OFF,
					     NULL);
		records(d, data, size, &out);
		break;
	}
	dm_buf_free(&out);
	dm_binlog_decoder_free(d);
	return 0;
}
