/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MySQL's binary JSON: the value of a JSON column in row events, printed as
 * the JSON text MySQL prints for it, and the JSON diffs of
 * PARTIAL_UPDATE_ROWS_EVENT applied to a before-image. Internal to
 * libdm: lib/value renders JSON values with it, lib/binlog applies the
 * diffs; pure functions of bytes, safe to call from any thread.
 *
 * Text is what MySQL 8.0 prints for a JSON column (SELECT, mysqlbinlog -v):
 * `{"a": 1, "b": [true, null]}` with ", " and ": ", object members in the
 * stored order (MySQL's: shorter keys first, then bytewise), strings quoted
 * with \" \\ \b \f \n \r \t and \u00xx for the other bytes below 0x20 (all
 * other bytes copied as they are, so the text is UTF-8 when the document
 * is), integers in decimal, doubles in the shortest form that reads back
 * to the same value (my_gcvt rules: 1.5, 0.1, 100.0, 1e15, 1e-16, -0.0),
 * DECIMAL with all its scale digits (3.1400), DATE "2015-01-15", TIME
 * "23:24:25.000000", DATETIME and TIMESTAMP "2015-01-15 23:24:25.000000",
 * other opaque values "base64:typeNN:<base64>" (MySQL's base64: a newline
 * after every 76 characters, printed as \n).
 *
 * Every malformed input fails with DM_E_BINLOG_EVENT_DECODE and a message
 * naming the byte offset (from the start of the buffer that was passed)
 * and what was wrong; out of memory is DM_E_NO_MEMORY. On failure `out`
 * keeps its previous contents. Limits: arrays and objects nest at most
 * DM__JSONBIN_MAX_DEPTH deep; no two values may share bytes (MySQL never
 * writes that, and it would let a small input print an exponential text);
 * object keys must be in MySQL's order, without duplicates.
 */
#ifndef DM_LIB_VALUE_JSONBIN_H
#define DM_LIB_VALUE_JSONBIN_H

#include <stddef.h>

#include "dm/err.h"
#include "dm/util.h"

/* MySQL's JSON_DOCUMENT_MAX_DEPTH: 100 nested arrays/objects are fine. */
#define DM__JSONBIN_MAX_DEPTH 100

/* Appends the JSON text of the binary document data[0..len). A zero-length
 * value is the JSON null literal: MySQL writes it when NULL (or nothing) is
 * stored into a JSON NOT NULL column in non-strict mode or with IGNORE, and
 * reads it back as null (json_binary::parse_binary), so this prints "null".
 * Bytes after the top-level value are ignored, as MySQL ignores them. */
int dm__jsonbin_to_text(dm_buf *out, const unsigned char *data, size_t len,
			dm_error **err);

/* Applies the JSON diffs of one column of a PARTIAL_UPDATE_ROWS_EVENT
 * after-image to the before-image document (binary JSON, as for
 * dm__jsonbin_to_text) and appends the resulting document as JSON text.
 * `diffs` is the column's diff list without the 4-byte length that precedes
 * it in the row image (the same framing as a full JSON value, meta 4):
 * repeated { operation byte (0 REPLACE, 1 INSERT, 2 REMOVE), path length
 * (packed integer) + path text ($.a[2]."b c"), and unless REMOVE, value
 * length (packed integer) + binary JSON value }. diffs_len 0 (no diffs)
 * prints the before-image. A diff MySQL's replica would reject (path not
 * found, INSERT of an existing member, root path, wildcard or range) is an
 * error. */
int dm__jsonbin_apply_diffs(dm_buf *out_text, const unsigned char *before,
			    size_t before_len, const unsigned char *diffs,
			    size_t diffs_len, dm_error **err);

/* Appends a double as MySQL prints it inside JSON (see above). Fails with
 * DM_E_INVALID_ARGUMENT for NaN and infinities, which JSON cannot hold. */
int dm__jsonbin_format_double(dm_buf *out, double d);

#endif
