/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/binlog unit tests (one cmocka binary, one group
 * per file, all run from binlog_test_main.c). The corpus of real binlogs is
 * read from ../shared/corpus/binlog (relative to the repository root, where
 * tests run); tests that need it skip when it is absent.
 */
#ifndef DM_TEST_BINLOG_TEST_H
#define DM_TEST_BINLOG_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dm/dm.h"

int binlog_test_corpus_group(void);
int binlog_test_hex_group(void);
int binlog_test_events_group(void);
int binlog_test_rows_group(void);
int binlog_test_malformed_group(void);
int binlog_test_reader_group(void);
int binlog_test_crc_group(void);

/* The corpus directory, or NULL when it is not there. */
const char *bt_corpus_dir(void);
/* "<corpus>/<name>"; static storage, overwritten by the next call. */
const char *bt_corpus_path(const char *name);
/* Whole file (gunzipped when the name ends in .gz); NULL when missing.
 * Free with free(). */
unsigned char *bt_read_file(const char *path, size_t *len);
/* A .hex fixture: all hex digits of the file, or (line >= 0) of one line
 * only. NULL when missing. Free with free(). */
unsigned char *bt_read_hex(const char *name, int line, size_t *len);
/* Number of non-empty lines of a .hex fixture. */
int bt_hex_lines(const char *name);

/* A complete event: 19-byte header (timestamp 1, server id 1, log_pos
 * `pos` + size), `body`, and a CRC32 when `crc`. Returns its length;
 * `out` holds at least 19 + blen + 4 bytes. */
size_t bt_event(unsigned char *out, uint8_t type, uint16_t flags,
		const unsigned char *body, size_t blen, bool crc);
/* A decoder that has seen a format: MySQL 8.0 or MariaDB 10.5 as
 * `server_version` says, checksum OFF. */
dm_binlog_decoder *bt_decoder(const char *server_version);
/* Decodes one event; fails the test on error. */
const dm_binlog_event *bt_decode(dm_binlog_decoder *d,
				 const unsigned char *ev, size_t len);
/* Decodes one event built from a body (no checksum). */
const dm_binlog_event *bt_decode_body(dm_binlog_decoder *d, uint8_t type,
				      const unsigned char *body, size_t blen);
/* Decodes, expecting failure with `status`; returns the message (static
 * storage) so tests can look for the position in it. */
const char *bt_decode_fail(dm_binlog_decoder *d, const unsigned char *ev,
			   size_t len, int status);
/* Message of an error, then frees it. Static storage. */
const char *bt_errmsg(dm_error *e);

/* Formats one value with dm_binlog_format_value_text (static storage). */
const char *bt_text(const dm_value *v, const dm_binlog_column *col);

int bt_reset_alloc(void **state);

#endif
