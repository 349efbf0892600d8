/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binlog-tail: follow a MySQL or MariaDB server's binlog live, as a
 * replica, and print every changed row as one JSON line:
 *
 *   {"db":"shop","table":"orders","type":"update",
 *    "before":{"id":"7","state":"open"},"after":{"id":"7","state":"paid"}}
 *
 * Usage: DM_PASSWORD=secret binlog-tail HOST PORT USER SERVER-ID
 *            [BINLOG-FILE [POSITION]]
 *
 * It opens libdm's public stream reader (dm_binlog_reader_open_stream),
 * which registers with the server as replica SERVER-ID (pick one no other
 * replica uses) and starts at BINLOG-FILE:POSITION (default 4), or at the
 * server's current position without a file. The user needs REPLICATION
 * SLAVE (and REPLICATION CLIENT without a file). Columns are named from the
 * table map when the server logs names (binlog_row_metadata=FULL), else
 * @1, @2, ...; values are the text SELECT shows, SQL NULL is null. Stop it
 * with Ctrl-C.
 *
 * Build: cc binlog-tail.c $(pkg-config --cflags --libs libdm)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dm/dm.h>

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Appends bytes as a JSON string. Control characters are escaped; other
 * bytes are copied (the example assumes UTF-8 data). */
static void json_string(dm_buf *out, const char *p, size_t n)
{
	size_t i;

	dm_buf_putc(out, '"');
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '"' || c == '\\')
			dm_buf_printf(out, "\\%c", c);
		else if (c < 0x20)
			dm_buf_printf(out, "\\u%04x", c);
		else
			dm_buf_putc(out, (char)c);
	}
	dm_buf_putc(out, '"');
}

/* {"name":"value",...} for one row image; columns absent from the image
 * (binlog_row_image=MINIMAL) are left out. */
static void json_image(dm_buf *out, const dm_binlog_table *t,
		       const dm_value *vals, size_t ncols)
{
	dm_buf text = DM_BUF_INIT;
	size_t i;
	int first = 1;

	dm_buf_putc(out, '{');
	for (i = 0; i < ncols; i++) {
		if (vals[i].kind == DM_VALUE_ABSENT)
			continue;
		if (!first)
			dm_buf_putc(out, ',');
		first = 0;
		/* The name from the TABLE_MAP's optional metadata. */
		if (i < t->ncols && t->cols[i].name.len) {
			json_string(out, t->cols[i].name.ptr, t->cols[i].name.len);
		} else {
			dm_buf_printf(out, "\"@%zu\"", i + 1);
		}
		dm_buf_putc(out, ':');
		if (dm_value_is_null(&vals[i])) {
			dm_buf_puts(out, "null");
			continue;
		}
		/* The value as SELECT would show it. */
		dm_buf_clear(&text);
		if (dm_value_format_text(&text, &vals[i], NULL) != 0)
			dm_buf_puts(out, "null");
		else
			json_string(out, text.data ? text.data : "", text.len);
	}
	dm_buf_putc(out, '}');
	dm_buf_free(&text);
}

/* Prints the rows of one WRITE/UPDATE/DELETE_ROWS event. */
static int print_rows(dm_binlog_decoder *d, const dm_binlog_event *ev,
		      dm_error **err)
{
	static const char *const type[] = { "", "insert", "update", "delete",
					    "update" };
	const dm_binlog_table *t = ev->u.rows.table;
	dm_binlog_row_iter *it;
	const dm_value *before, *after;
	dm_buf line = DM_BUF_INIT;
	int rc;

	if (!t) /* rows of a table whose TABLE_MAP we did not see */
		return 0;
	rc = dm_binlog_rows_open(&it, d, ev, err);
	while (rc == 0 && (rc = dm_binlog_rows_next(it, &before, &after, err)) == 0) {
		dm_buf_clear(&line);
		dm_buf_puts(&line, "{\"db\":");
		json_string(&line, t->schema.ptr, t->schema.len);
		dm_buf_puts(&line, ",\"table\":");
		json_string(&line, t->name.ptr, t->name.len);
		dm_buf_printf(&line, ",\"type\":\"%s\"", type[ev->u.rows.action]);
		if (before) {
			dm_buf_puts(&line, ",\"before\":");
			json_image(&line, t, before, (size_t)ev->u.rows.ncols);
		}
		if (after) {
			dm_buf_puts(&line, ",\"after\":");
			json_image(&line, t, after, (size_t)ev->u.rows.ncols);
		}
		printf("%s}\n", line.data);
	}
	fflush(stdout);
	dm_buf_free(&line);
	return rc == DM_DONE ? 0 : rc;
}

int main(int argc, char **argv)
{
	dm_binlog_stream_opts so = DM_BINLOG_STREAM_OPTS_INIT;
	dm_db_opts db = DM_DB_OPTS_INIT;
	dm_binlog_reader *r = NULL;
	dm_error *err = NULL;
	int rc;

	if (argc < 5 || argc > 7) {
		fprintf(stderr, "usage: DM_PASSWORD=... binlog-tail HOST PORT "
			"USER SERVER-ID [BINLOG-FILE [POSITION]]\n");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* The upstream. The password comes from the environment, never from
	 * the command line where ps(1) would show it. */
	db.host = argv[1];
	db.port = (unsigned)strtoul(argv[2], NULL, 10);
	db.user = argv[3];
	db.password = getenv("DM_PASSWORD");
	db.scope = DM_ERR_SCOPE_UPSTREAM;
	/* Where to start, and as which replica. */
	so.db = &db;
	so.server_id = (uint32_t)strtoul(argv[4], NULL, 10);
	so.file = argc > 5 ? argv[5] : NULL;
	so.pos = argc > 6 ? strtoull(argv[6], NULL, 10) : 4;
	/* A heartbeat every second wakes the blocking read up, so that
	 * Ctrl-C is seen on a quiet server. */
	so.heartbeat_ms = 1000;
	so.heartbeat_events = true;
	rc = dm_global_init(&err);
	if (rc == 0)
		rc = dm_binlog_reader_open_stream(&r, NULL, &so, &err);
	while (rc == 0 && !stop) {
		const dm_binlog_event *ev;

		/* Blocks until the server sends an event. The reader decodes
		 * the server's fake ROTATE and FORMAT_DESCRIPTION itself. */
		rc = dm_binlog_reader_next(r, &ev, &err);
		if (rc != 0)
			break;
		/* After a reconnect the rows of an unfinished transaction
		 * come again; a consumer applying them would roll back here.
		 * This one just says so. */
		if (dm_binlog_reader_restarted(r))
			fprintf(stderr, "binlog-tail: reconnected at %s:%llu\n",
				ev->file ? ev->file : "",
				(unsigned long long)ev->pos);
		if (ev->kind == DM_BINLOG_KIND_ROWS)
			rc = print_rows(dm_binlog_reader_decoder(r), ev, &err);
	}
	if (rc != 0) {
		dm_buf msg = DM_BUF_INIT;

		dm_error_format(&msg, err, DM_ERROR_FORMAT_CAUSE);
		fprintf(stderr, "binlog-tail: %s\n",
			msg.data ? msg.data : "out of memory");
		dm_buf_free(&msg);
	}
	dm_error_free(err);
	dm_binlog_reader_free(r);
	dm_global_cleanup();
	return rc != 0;
}
