/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compressed events: MySQL's TRANSACTION_PAYLOAD (zstd; the events inside
 * carry no checksums and are decoded by the same decoder) and MariaDB's
 * compressed QUERY and rows events (zlib). Output goes into buffers the
 * decoder owns and reuses.
 */
#include <inttypes.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "binlog/binlog_private.h"
#include "binlog/cursor.h"
#include "util/alloc.h"

#define FAIL(...) dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE, __VA_ARGS__)

void dm__binlog_payload_free(dm_binlog_decoder *d)
{
	if (d->zstd)
		ZSTD_freeDCtx(d->zstd);
	d->zstd = NULL;
}

/* MariaDB: one header byte (0x80 | algorithm << 4 | n), the uncompressed
 * length in n big-endian bytes, then a zlib stream. */
int dm__binlog_mariadb_uncompress(dm_binlog_decoder *d, dm_buf *out,
				  const unsigned char *p, size_t n,
				  const char *what, dm_error **err)
{
	size_t lenlen;
	uint64_t ulen;
	uLongf got;
	int zrc;

	if (n < 1 || (p[0] & 0xe0) != 0x80)
		return FAIL("compressed %s does not start with a compression "
			    "header", what);
	lenlen = p[0] & 0x07;
	if (lenlen < 1 || lenlen > 4 || n < 1 + lenlen)
		return FAIL("compressed %s has a bad length field", what);
	ulen = be_get(p + 1, lenlen);
	if (ulen > d->opts.max_decompressed)
		return FAIL("compressed %s claims %" PRIu64 " bytes, above the "
			    "%zu-byte limit", what, ulen,
			    d->opts.max_decompressed);
	dm_buf_clear(out);
	if (dm_buf_reserve(out, (size_t)ulen + 1))
		return dm__binlog_nomem(err);
	got = (uLongf)ulen;
	zrc = uncompress((Bytef *)out->data, &got, p + 1 + lenlen,
			 (uLong)(n - 1 - lenlen));
	if (zrc != Z_OK || got != ulen)
		return FAIL("compressed %s does not inflate to its %" PRIu64
			    " bytes (zlib status %d)", what, ulen, zrc);
	out->len = (size_t)ulen;
	out->data[out->len] = '\0';
	return 0;
}

static int zstd_all(dm_binlog_decoder *d, const dm_binlog_transaction_payload *pl,
		    dm_error **err)
{
	dm_buf *out = &d->payload;
	ZSTD_inBuffer in = { pl->payload.ptr, pl->payload.len, 0 };
	size_t want = pl->uncompressed_size ? (size_t)pl->uncompressed_size :
		pl->payload.len * 4 + 64;
	size_t zr = 1;

	if (pl->uncompressed_size > d->opts.max_decompressed)
		return FAIL("payload claims %" PRIu64 " uncompressed bytes, "
			    "above the %zu-byte limit", pl->uncompressed_size,
			    d->opts.max_decompressed);
	if (!d->zstd) {
		d->zstd = ZSTD_createDCtx();
		if (!d->zstd)
			return dm__binlog_nomem(err);
	} else {
		ZSTD_DCtx_reset(d->zstd, ZSTD_reset_session_only);
	}
	dm_buf_clear(out);
	if (dm_buf_reserve(out, want + 1))
		return dm__binlog_nomem(err);
	while (in.pos < in.size || zr != 0) {
		ZSTD_outBuffer o;

		if (out->cap - out->len < 2) {
			size_t more = out->cap;

			if (out->len + more > d->opts.max_decompressed)
				more = d->opts.max_decompressed + 1 - out->len;
			if (more < 2 || dm_buf_reserve(out, more))
				return out->len >= d->opts.max_decompressed ?
					FAIL("payload inflates beyond the "
					     "%zu-byte limit",
					     d->opts.max_decompressed) :
					dm__binlog_nomem(err);
		}
		o.dst = out->data + out->len;
		o.size = out->cap - out->len - 1;
		o.pos = 0;
		zr = ZSTD_decompressStream(d->zstd, &o, &in);
		if (ZSTD_isError(zr))
			return FAIL("zstd: %s", ZSTD_getErrorName(zr));
		out->len += o.pos;
		if (o.pos == 0 && in.pos == in.size && zr != 0)
			return FAIL("zstd frame is truncated");
	}
	out->data[out->len] = '\0';
	if (pl->uncompressed_size && out->len != pl->uncompressed_size)
		return FAIL("payload inflates to %zu bytes, header says %" PRIu64,
			    out->len, pl->uncompressed_size);
	return 0;
}

DM_API int dm_binlog_payload_open(dm_binlog_payload_iter **out,
				  dm_binlog_decoder *d,
				  const dm_binlog_event *ev, dm_error **err)
{
	const dm_binlog_transaction_payload *pl;
	struct dm_binlog_payload_iter *it;
	int rc;

	if (!out || !d || !ev)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_payload_open: NULL argument");
	*out = NULL;
	if (ev != &d->ev || ev->kind != DM_BINLOG_KIND_TRANSACTION_PAYLOAD)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_payload_open: not the "
				    "Transaction_payload event this decoder "
				    "decoded last");
	pl = &ev->u.payload;
	d->cur_file = ev->file;
	d->cur_pos = ev->pos;
	d->cur_type = ev->type;
	d->cur_inner = false;
	d->rows.ev = NULL;
	if (pl->compression == 0) {
		rc = zstd_all(d, pl, err);
		if (rc)
			return rc;
	} else if (pl->compression == 255) {
		dm_buf_clear(&d->payload);
		if (dm_buf_append(&d->payload, pl->payload.ptr, pl->payload.len))
			return dm__binlog_nomem(err);
	} else {
		return dm__binlog_fail(d, err, DM_E_NOT_SUPPORTED,
				       "compression type %u is not supported",
				       pl->compression);
	}
	it = &d->pl;
	it->d = d;
	it->outer = ev;
	it->p = (const unsigned char *)d->payload.data;
	it->n = d->payload.len;
	it->off = 0;
	it->open = true;
	*out = it;
	return 0;
}

DM_API int dm_binlog_payload_next(dm_binlog_payload_iter *it,
				  const dm_binlog_event **out, dm_error **err)
{
	dm_binlog_decoder *d;
	size_t left;
	uint32_t size;
	int rc;

	if (out)
		*out = NULL;
	if (!it || !it->d || !out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_payload_next: NULL argument");
	d = it->d;
	if (!it->open)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_payload_next: the payload's "
				    "event is gone (another event was decoded)");
	if (it->off >= it->n)
		return DM_DONE;
	d->rows.ev = NULL;
	left = it->n - it->off;
	d->cur_file = it->outer->file;
	d->cur_pos = it->outer->pos;
	d->cur_inner = true;
	d->cur_inner_off = it->off;
	d->cur_type = left > 4 ? it->p[it->off + 4] : 0;
	if (left < DM__BINLOG_HEADER_LEN)
		return FAIL("%zu bytes left, too few for an event header", left);
	size = (uint32_t)le_get(it->p + it->off + 9, 4);
	if (size < DM__BINLOG_HEADER_LEN || size > left)
		return FAIL("event size %" PRIu32 " does not fit the %zu bytes "
			    "left in the payload", size, left);
	rc = dm__binlog_decode_into(d, &d->inner, it->p + it->off, size,
				    it->outer->pos, true, err);
	if (rc) {
		it->off = it->n;
		return rc;
	}
	d->cur_inner_off = it->off;
	it->off += size;
	*out = &d->inner;
	return 0;
}
