/* SPDX-License-Identifier: Apache-2.0 */
/*
 * binlog-tail: follow a MySQL or MariaDB binlog as the server writes it and
 * print every changed row as one JSON line:
 *
 *   {"db":"shop","table":"orders","type":"update",
 *    "before":{"id":"7","state":"open"},"after":{"id":"7","state":"paid"}}
 *
 * Usage: binlog-tail BINLOG-FILE [START-POSITION]
 *
 * It reads the file with libdm's public reader, waits at its end for more
 * events, and moves to the next file when the server rotates, like
 * `tail -F`. (libdm's live replication client is internal for now, so
 * this example follows the files in the server's data directory.) Columns
 * are named from the table map when the server logs names
 * (binlog_row_metadata=FULL), else @1, @2, ...; values are the text SELECT
 * shows, SQL NULL is null. Stop it with Ctrl-C.
 *
 * Build: cc binlog-tail.c $(pkg-config --cflags --libs libdm)
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The directory part of `path` with `name` after it. */
static char *sibling(const char *path, const char *name, size_t name_len)
{
	const char *slash = strrchr(path, '/');
	size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	char *p = malloc(dir_len + name_len + 1);

	if (p) {
		memcpy(p, path, dir_len);
		memcpy(p + dir_len, name, name_len);
		p[dir_len + name_len] = '\0';
	}
	return p;
}

/* Opens the next file, giving the server a moment to create it. */
static int open_when_there(dm_binlog_reader **r, const char *path,
			   uint64_t pos, const dm_binlog_reader_opts *opts,
			   dm_error **err)
{
	const struct timespec pause = { 0, 200 * 1000 * 1000 };
	int tries, rc = 0;

	for (tries = 0; tries < 25 && !stop; tries++) {
		dm_error_free(*err);
		*err = NULL;
		rc = dm_binlog_reader_open_file(r, NULL, path, pos, opts, err);
		if (rc == 0)
			break;
		nanosleep(&pause, NULL);
	}
	return rc;
}

int main(int argc, char **argv)
{
	dm_binlog_reader_opts opts = DM_BINLOG_READER_OPTS_INIT;
	const struct timespec pause = { 0, 200 * 1000 * 1000 };
	dm_binlog_reader *r = NULL;
	dm_error *err = NULL;
	char *path;
	int rc;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: binlog-tail BINLOG-FILE [START-POSITION]\n");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* A partial event at the end is "nothing yet", not an error. */
	opts.flags = DM_BINLOG_READER_PARTIAL_TAIL_OK;
	path = strdup(argv[1]);
	rc = dm_global_init(&err);
	if (rc == 0)
		rc = dm_binlog_reader_open_file(&r, NULL, path,
						argc > 2 ? strtoull(argv[2], NULL, 10) : 0,
						&opts, &err);
	while (rc == 0 && !stop) {
		const dm_binlog_event *ev;

		rc = dm_binlog_reader_next(r, &ev, &err);
		if (rc == DM_DONE) {
			/* At the end for now: wait for the server to write. */
			nanosleep(&pause, NULL);
			rc = 0;
			continue;
		}
		if (rc != 0)
			break;
		if (ev->kind == DM_BINLOG_KIND_ROWS)
			rc = print_rows(dm_binlog_reader_decoder(r), ev, &err);
		else if (ev->kind == DM_BINLOG_KIND_ROTATE &&
			 !(ev->flags & DM_BINLOG_F_ARTIFICIAL)) {
			/* The server moved on to the next file. */
			char *next = sibling(path, ev->u.rotate.next_file.ptr,
					     ev->u.rotate.next_file.len);
			uint64_t pos = ev->u.rotate.position;

			dm_binlog_reader_free(r);
			r = NULL;
			free(path);
			path = next;
			if (!path)
				break; /* out of memory: rc is 0, just stop */
			rc = open_when_there(&r, path, pos, &opts, &err);
		}
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
	free(path);
	dm_global_cleanup();
	return rc != 0;
}
