/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog internals: options, the output sink and the four printers
 * (text, json, sql, stats) that the event loop in dmb_main.c feeds.
 * See dm-binlog(1).
 */
#ifndef DMB_H
#define DMB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <dm/dm.h>

#define DMB_PROG "dm-binlog"

enum { DMB_EXIT_OK = 0, DMB_EXIT_ERROR = 1, DMB_EXIT_USAGE = 2 };

typedef enum dmb_format {
	DMB_FORMAT_TEXT = 0,
	DMB_FORMAT_JSON,
	DMB_FORMAT_SQL
} dmb_format;

/* At most this many --database and --table filters each. */
#define DMB_MAX_FILTERS 64

typedef struct dmb_opts {
	dmb_format format;
	bool stats;
	bool verify;
	bool stream;
	bool has_start_pos, has_stop_pos;
	uint64_t start_pos, stop_pos;
	const char *start_gtid;
	const char *stop_gtid;
	const char *dbs[DMB_MAX_FILTERS];
	size_t ndbs;
	const char *tables[DMB_MAX_FILTERS];
	size_t ntables;
	/* --stream */
	const char *host;
	unsigned port;
	const char *user;
	char *password;           /* malloc'd copy, wiped before free */
	const char *ssl_ca, *ssl_cert, *ssl_key;
	bool ssl_verify;
	uint32_t server_id;
	/* logging */
	dm_log_level log_level;
	const char *log_file;
	/* inputs */
	char **files;
	size_t nfiles;
} dmb_opts;

/* Buffered standard output: printers append to `buf`, dmb_out_flush()
 * writes it once it is large. A write error (EPIPE, ENOSPC) is sticky. */
typedef struct dmb_out {
	FILE *fp;
	dm_buf buf;
	bool failed;
} dmb_out;

int dmb_out_flush(dmb_out *o, bool force);

/* State shared with the printers for the event being printed. */
typedef struct dmb_run {
	const dmb_opts *o;
	dmb_out out;
	dm_binlog_decoder *dec;   /* decoder of the current event */
	uint64_t outer_pos;       /* position of the outer event (payloads) */
	void *printer;            /* the printer's own state */
} dmb_run;

/* A printer: begin once, then per file file_begin, its events and
 * file_end, then end once (also after an error, with `ok` false). Any hook
 * may be NULL. */
typedef struct dmb_printer {
	int (*begin)(dmb_run *r, dm_error **err);
	/* Before the first event of each binlog file. */
	int (*file_begin)(dmb_run *r, const char *name, dm_error **err);
	int (*event)(dmb_run *r, const dm_binlog_event *ev, dm_error **err);
	/* Called after the inner events of a TRANSACTION_PAYLOAD. */
	int (*payload_end)(dmb_run *r, const dm_binlog_event *ev,
			   dm_error **err);
	/* The connection was restarted in the middle of a transaction: its
	 * events will come again. */
	int (*restarted)(dmb_run *r, dm_error **err);
	int (*file_end)(dmb_run *r, dm_error **err);
	int (*end)(dmb_run *r, bool ok, dm_error **err);
	void (*free)(dmb_run *r);
} dmb_printer;

extern const dmb_printer dmb_text_printer;
extern const dmb_printer dmb_json_printer;
extern const dmb_printer dmb_sql_printer;
extern const dmb_printer dmb_stats_printer;

/* dm_buf_append and friends, with the common case (room left) inline:
 * the printers append millions of short pieces. */
static inline int dmb_append(dm_buf *b, const void *p, size_t n)
{
	if (b->data && n < b->cap - b->len) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return 0;
	}
	return dm_buf_append(b, p, n);
}

static inline int dmb_puts(dm_buf *b, const char *s)
{
	return dmb_append(b, s, strlen(s));
}

static inline int dmb_putc(dm_buf *b, char c)
{
	if (b->data && 1 < b->cap - b->len) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return 0;
	}
	return dm_buf_putc(b, c);
}

/* Helpers shared by the printers (dmb_util.c). */
int dmb_nomem(dm_error **err);
/* Decimal numbers, without printf. */
int dmb_put_u64(dm_buf *b, uint64_t v);
int dmb_put_i64(dm_buf *b, int64_t v);
/* `name` in backticks, inner backticks doubled. */
int dmb_put_ident(dm_buf *b, const char *p, size_t n);
/* JSON string literal of p[0..n); false when the bytes are not valid
 * UTF-8 (nothing appended then). */
bool dmb_json_str_utf8(dm_buf *b, const char *p, size_t n);
/* JSON string literal: valid UTF-8 as is, other bytes as U+FFFD. */
int dmb_json_str(dm_buf *b, const char *p, size_t n);
int dmb_json_cstr(dm_buf *b, const char *s);
int dmb_base64(dm_buf *b, const unsigned char *p, size_t n);
int dmb_hex(dm_buf *b, const unsigned char *p, size_t n, bool upper);
/* The column's name from the table map's optional metadata, or "@N". */
int dmb_col_name(dm_buf *b, const dm_binlog_table *t, size_t i);
bool dmb_col_named(const dm_binlog_table *t);
/* Collation id to its character set and collation names (libmariadb's
 * table); NULL when unknown. */
const char *dmb_charset_name(unsigned id);
const char *dmb_collation_name(unsigned id);
/* "uuid" text of 16 bytes. */
void dmb_uuid_text(char out[37], const unsigned char uuid[16]);
/* QUERY text is exactly `word` (case-insensitive, surrounding blanks
 * ignored). */
bool dmb_query_is(const dm_binlog_query *q, const char *word);

#endif
