/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/binlog internals: the decoder object, the table cache, the row and
 * payload iterators. Decoding files (decoder.c, events.c, tablemap.c,
 * rows.c, payload.c, text.c) do no I/O; file.c reads files.
 */
#ifndef DM_LIB_BINLOG_PRIVATE_H
#define DM_LIB_BINLOG_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/binlog.h"
#include "util/map.h"

#define DM__BINLOG_HEADER_LEN 19
#define DM__BINLOG_CRC_LEN 4
/* Width of a decimal's text: 65 digits, sign, point, leading zero. */
#define DM__DEC_TEXT_MAX 72
/* Per-value scratch: decimal text, or a BINARY(n) value with the trailing
 * zero bytes the server strips put back (n <= 255). */
#define DM__VALUE_SCRATCH 256

/* A table in the cache: the public record plus the memory behind it. */
typedef struct dm__table {
	dm_binlog_table pub;
	unsigned char *raw;     /* copy of the TABLE_MAP body */
	size_t raw_len;
	size_t raw_cap;
	dm_binlog_column *cols;
	size_t cols_cap;
	dm_str *members;        /* ENUM/SET strings of all columns */
	size_t members_cap;
	uint16_t *pk;
	size_t pk_cap;
	size_t njson;           /* JSON columns (PARTIAL_UPDATE bits) */
} dm__table;

struct dm_binlog_row_iter {
	dm_binlog_decoder *d;
	const dm_binlog_event *ev;
	const dm__table *table;
	const unsigned char *p; /* rows data */
	size_t n;
	size_t off;             /* next row */
	size_t row;             /* rows returned */
	size_t row_start;
	size_t present[2];      /* columns in the before/after bitmaps */
	bool all[2];            /* every column is in that bitmap */
	bool done;
};

struct dm_binlog_payload_iter {
	dm_binlog_decoder *d;
	const dm_binlog_event *outer;
	const unsigned char *p; /* decompressed events */
	size_t n;
	size_t off;
	bool open;
};

struct dm_binlog_decoder {
	dm_ctx *ctx;
	dm_binlog_decoder_opts opts;
	char *source;           /* copy of opts.source_name */
	char *file;             /* current file name */
	char *pending_file;     /* from a ROTATE, applied at the next event */
	bool fixed_file;        /* a reader names the files, not ROTATE */

	/* Format. */
	bool have_fde;
	dm_binlog_fde fde;
	char server_version[51];
	uint8_t phl[256];       /* post-header lengths, index type - 1 */
	size_t nphl;
	int checksum;           /* in force for non-FDE events */
	uint8_t header_len;

	/* Tables. */
	dm__map tables;         /* u64 table id -> dm__table * */
	dm__table *last_table;  /* the last one looked up (NULL: none) */
	uint64_t last_table_id;

	/* Events: the last outer one and the current payload member. */
	dm_binlog_event ev;
	dm_binlog_event inner;
	/* Where the event being decoded sits, for messages. */
	const char *cur_file;
	uint64_t cur_pos;
	int cur_type;
	bool cur_inner;
	size_t cur_inner_off;   /* offset inside the decompressed payload */

	/* Scratch reused across events. */
	dm_buf text_outer;      /* PREVIOUS_GTIDS text, USER_VAR decimal */
	dm_buf text_inner;
	dm_buf unz_outer;       /* MariaDB compressed query/rows */
	dm_buf unz_inner;
	dm_buf payload;         /* decompressed TRANSACTION_PAYLOAD */
	void *zstd;             /* ZSTD_DCtx */

	/* Row iteration. */
	struct dm_binlog_row_iter rows;
	struct dm_binlog_payload_iter pl;
	dm_value *vals;         /* before image, then after image */
	size_t vals_cap;        /* per image */
	char (*dec)[DM__VALUE_SCRATCH]; /* value scratch, 2 * vals_cap */
	dm_buf *json;           /* partial JSON results, vals_cap */
	size_t json_cap;
	dm_buf json_tmp;
	dm_buf rows_head;       /* dm_binlog_format_rows_text's row line */
};

/* Positioned error for the event being decoded:
 * "file:pos: Type event: <message>". */
int dm__binlog_fail(dm_binlog_decoder *d, dm_error **err, int status,
		    const char *fmt, ...) DM_PRINTF(4, 5);
/* Out of memory, no formatting needed. */
int dm__binlog_nomem(dm_error **err);

/* Event bodies (events.c): fills ev->kind and ev->u from ev->body. */
int dm__binlog_parse_body(dm_binlog_decoder *d, dm_binlog_event *ev,
			  dm_error **err);
/* Decodes a binary NEWDECIMAL into text; returns its length, or 0 when
 * the bytes are not a valid decimal. `out` holds DM__DEC_TEXT_MAX. */
size_t dm__binlog_decimal_text(char *out, const unsigned char *p,
			       unsigned precision, unsigned scale);
/* Byte size of a binary NEWDECIMAL; 0 for invalid precision/scale. */
size_t dm__binlog_decimal_size(unsigned precision, unsigned scale);

/* Table map (tablemap.c). */
int dm__binlog_table_map(dm_binlog_decoder *d, dm_binlog_event *ev,
			 dm_error **err);
void dm__binlog_tables_free(dm_binlog_decoder *d);
void dm__binlog_tables_clear(dm_binlog_decoder *d);
size_t dm__binlog_table_id_size(const dm_binlog_decoder *d, int type);
/* The cached table of an id, or NULL; rows events ask for the table the
 * TABLE_MAP before them just named, so the last answer is kept. */
dm__table *dm__binlog_table_get(dm_binlog_decoder *d, uint64_t id);

/* Rows (rows.c). */
int dm__binlog_rows_header(dm_binlog_decoder *d, dm_binlog_event *ev,
			   dm_error **err);

/* Compression (payload.c). */
int dm__binlog_mariadb_uncompress(dm_binlog_decoder *d, dm_buf *out,
				  const unsigned char *p, size_t n,
				  const char *what, dm_error **err);
void dm__binlog_payload_free(dm_binlog_decoder *d);

/* Decodes one event into `ev` (decoder.c); `inner` events (inside a
 * TRANSACTION_PAYLOAD) have no checksum. */
int dm__binlog_decode_into(dm_binlog_decoder *d, dm_binlog_event *ev,
			   const unsigned char *buf, size_t len, uint64_t pos,
			   bool inner, dm_error **err);
/* For readers: positions name the file the reader says. */
void dm__binlog_decoder_fix_file(dm_binlog_decoder *d, bool fixed);
/* True when the event's trailing CRC32 matches (`fde`: also accept the
 * FDE's checksum computed with the in-use flag cleared). */
bool dm__binlog_crc_ok(const unsigned char *buf, size_t len, bool fde);

/* Live readers (reader_stream.c): the source behind a stream reader.
 * file.c hands each call on to these. */
typedef struct dm__binlog_live dm__binlog_live;
int dm__binlog_live_next(dm__binlog_live *lv, dm_binlog_decoder *d,
			 const dm_binlog_event **out, dm_error **err);
const char *dm__binlog_live_file(const dm__binlog_live *lv);
uint64_t dm__binlog_live_position(const dm__binlog_live *lv);
bool dm__binlog_live_restarted(const dm__binlog_live *lv);
void dm__binlog_live_free(dm__binlog_live *lv);
/* A reader (file.c) over `lv`, which it takes over even on failure. */
int dm__binlog_reader_new_live(dm_binlog_reader **out, dm_ctx *ctx,
			       dm__binlog_live *lv, dm_error **err);

/* CRC-32 (crc32.c), the value of zlib's crc32(crc, buf, len): start with
 * crc 0, feed pieces in order. The fastest code the CPU allows; the
 * _portable one is the table-driven code every architecture runs. */
uint32_t dm__binlog_crc32(uint32_t crc, const void *buf, size_t len);
uint32_t dm__binlog_crc32_portable(uint32_t crc, const void *buf, size_t len);

#endif
