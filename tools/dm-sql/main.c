/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-sql: the SQL parser of libdm on the command line.
 *
 *   dm-sql restore [options] [FILE|-]    canonical SQL, one statement a line
 *   dm-sql classify [options] [FILE|-]   kind and tables as JSON lines
 *   dm-sql rules TASK.yaml [options] [FILE|-]
 *                                        what a task's rules do with tables
 *
 * See dm-sql(1), dm_sql(3) and dm_rules_cfg(3).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <dm/dm.h>
#include <dm/sql.h>

#define PROG "dm-sql"

enum { EXIT_OK = 0, EXIT_STMT = 1, EXIT_USAGE = 2 };

typedef struct table_rule {
	char *from_schema, *from_table, *to_schema, *to_table;
} table_rule;

typedef struct db_rule {
	char *from, *to;
} db_rule;

typedef struct options {
	const char *command;
	const char *input;          /* NULL or "-": stdin */
	const char *default_db;
	bool split;
	bool split_alter;
	unsigned long sql_mode;
	unsigned server_version;
	bool mysql;                 /* MySQL: MariaDB's slash-star-M-bang off */
	table_rule *tables;
	size_t ntables;
	db_rule *dbs;
	size_t ndbs;
	dm_log_level log_level;
	const char *log_file;
	const char *task_path;      /* rules */
	const char *source_id;
	const char *source_config;
} options;

/* ---------------------------------------------------------------- logging */

static dm_log_file *log_out;
static dm_log_level log_level = DM_LOG_WARN;

/* One DM-style log line through the library's file logger. */
static void tool_log(dm_log_level level, int line, const char *message,
		     const dm_log_field *fields, size_t nfields)
{
	dm_log_record rec;
	struct timeval tv;

	if (!log_out || level > log_level || level == DM_LOG_OFF)
		return;
	gettimeofday(&tv, NULL);
	memset(&rec, 0, sizeof(rec));
	rec.version = 1;
	rec.level = level;
	rec.time_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	rec.file = "main.c";
	rec.line = line;
	rec.message = message;
	rec.fields = fields;
	rec.nfields = nfields;
	dm_log_file_write(&rec, log_out);
}

/* ------------------------------------------------------------------ usage */

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: " PROG " restore [--rename DB.TABLE=DB2.TABLE2]... "
		"[--rename-db DB=DB2]...\n"
		"                      [--split] [--split-alter] "
		"[--default-db DB] [PARSE OPTIONS] [FILE|-]\n"
		"       " PROG " classify [--default-db DB] [PARSE OPTIONS] "
		"[FILE|-]\n"
		"       " PROG " rules TASK.yaml [--source ID] "
		"[--source-config SOURCE.yaml]\n"
		"                      [--log-level LEVEL] [--log-file FILE] "
		"[FILE|-]\n"
		"       " PROG " eval EXPR [--table SQL] [--row JSON] "
		"[--time-zone +HH:MM] [--now TIME]\n"
		"       " PROG " --help | --version\n"
		"parse options: [--ansi-quotes] [--no-backslash-escapes] "
		"[--server-version V] [--mysql]\n"
		"               [--log-level LEVEL] [--log-file FILE]\n");
}

static int usage_error(const char *fmt, ...) DM_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	return EXIT_USAGE;
}

/* ------------------------------------------------------ --rename parsing */

/* One name of DB.TABLE or DB: `quoted` (with `` for a backtick) or bare up
 * to the next '.' or '='. Returns a malloc'd copy and advances *p, or
 * NULL when the name is empty or badly quoted. */
static char *take_name(const char **p)
{
	const char *s = *p;
	dm_buf b = DM_BUF_INIT;

	if (*s == '`') {
		for (s++;; s++) {
			if (*s == '\0')
				goto bad;
			if (*s == '`') {
				if (s[1] != '`')
					break;
				s++;
			}
			dm_buf_putc(&b, *s);
		}
		s++;
	} else {
		while (*s && *s != '.' && *s != '=')
			dm_buf_putc(&b, *s++);
	}
	if (b.len == 0)
		goto bad;
	*p = s;
	return dm_buf_detach(&b);
bad:
	dm_buf_free(&b);
	return NULL;
}

/* "DB.TABLE" or "DB" (want_table false) ending at '=' or the end. */
static bool take_qualified(const char **p, bool want_table, char **schema,
			   char **table)
{
	*schema = take_name(p);
	*table = NULL;
	if (!*schema)
		return false;
	if (want_table) {
		if (**p != '.')
			return false;
		(*p)++;
		*table = take_name(p);
		if (!*table)
			return false;
	}
	return **p == '\0' || **p == '=';
}

static bool parse_rename(options *o, const char *arg, bool table_level)
{
	const char *p = arg;
	char *fs = NULL, *ft = NULL, *ts = NULL, *tt = NULL;
	void *grown;

	if (!take_qualified(&p, table_level, &fs, &ft) || *p != '=')
		goto bad;
	p++;
	if (!take_qualified(&p, table_level, &ts, &tt) || *p != '\0')
		goto bad;
	if (table_level) {
		grown = realloc(o->tables, (o->ntables + 1) * sizeof(*o->tables));
		if (!grown)
			goto bad;
		o->tables = grown;
		o->tables[o->ntables++] = (table_rule){ fs, ft, ts, tt };
	} else {
		grown = realloc(o->dbs, (o->ndbs + 1) * sizeof(*o->dbs));
		if (!grown)
			goto bad;
		o->dbs = grown;
		o->dbs[o->ndbs++] = (db_rule){ fs, ts };
	}
	return true;
bad:
	free(fs);
	free(ft);
	free(ts);
	free(tt);
	return false;
}

static void free_rules(options *o)
{
	size_t i;

	for (i = 0; i < o->ntables; i++) {
		free(o->tables[i].from_schema);
		free(o->tables[i].from_table);
		free(o->tables[i].to_schema);
		free(o->tables[i].to_table);
	}
	for (i = 0; i < o->ndbs; i++) {
		free(o->dbs[i].from);
		free(o->dbs[i].to);
	}
	free(o->tables);
	free(o->dbs);
}

/* Table rules first, then schema rules; names compare exactly. A bare
 * name belongs to --default-db. */
static int rename_cb(const char *schema, const char *table,
		     const char **new_schema, const char **new_table,
		     void *userdata)
{
	const options *o = userdata;
	const char *s = schema && *schema ? schema : o->default_db;
	size_t i;

	if (!s)
		return 0;
	if (table && *table) {
		for (i = 0; i < o->ntables; i++) {
			const table_rule *r = &o->tables[i];

			if (strcmp(r->from_schema, s) == 0 &&
			    strcmp(r->from_table, table) == 0) {
				*new_schema = r->to_schema;
				*new_table = r->to_table;
				return 0;
			}
		}
	}
	for (i = 0; i < o->ndbs; i++) {
		if (strcmp(o->dbs[i].from, s) == 0) {
			*new_schema = o->dbs[i].to;
			return 0;
		}
	}
	return 0;
}

/* "10.11.6" or "101106" -> 101106; 0 when it is neither. */
static unsigned parse_version(const char *v)
{
	unsigned a = 0, b = 0, c = 0;
	char *end;
	unsigned long n;

	if (strchr(v, '.')) {
		if (sscanf(v, "%u.%u.%u", &a, &b, &c) < 2 || b > 99 || c > 99)
			return 0;
		return a * 10000 + b * 100 + c;
	}
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || end == v || n == 0 || n > 999999)
		return 0;
	return (unsigned)n;
}

/* ------------------------------------------------------------ the input */

static int read_input(const char *path, dm_buf *out)
{
	FILE *fp = stdin;
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (path && strcmp(path, "-") != 0) {
		fp = fopen(path, "rb");
		if (!fp) {
			fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
			return -1;
		}
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (dm_buf_append(out, chunk, n) != 0) {
			fprintf(stderr, PROG ": out of memory\n");
			rc = -1;
			break;
		}
	}
	if (ferror(fp)) {
		fprintf(stderr, PROG ": %s: read error\n",
			fp == stdin ? "stdin" : path);
		rc = -1;
	}
	if (fp != stdin)
		fclose(fp);
	if (rc == 0 && !out->data)
		rc = dm_buf_puts(out, "") == 0 ? 0 : -1;
	return rc;
}

static const char *input_name(const options *o)
{
	return o->input && strcmp(o->input, "-") != 0 ? o->input : "stdin";
}

/* Line and column (1-based, in bytes) of byte `off`. */
static void position_of(const char *text, size_t off, unsigned *line,
			unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void report_error(const options *o, const char *text, size_t off,
			 const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;
	unsigned line, col;

	position_of(text, off, &line, &col);
	dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE);
	fprintf(stderr, PROG ": %s:%u:%u: %s\n", input_name(o), line, col,
		b.data ? b.data : "out of memory");
	dm_buf_free(&b);
}

/* ------------------------------------------------------------------ JSON */

static void json_string(dm_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	dm_buf_putc(b, '"');
	while (*p) {
		unsigned c = *p;
		size_t n = 0, k;

		if (c == '"' || c == '\\') {
			dm_buf_putc(b, '\\');
			dm_buf_putc(b, (char)c);
			p++;
			continue;
		}
		if (c < 0x20) {
			switch (c) {
			case '\n': dm_buf_puts(b, "\\n"); break;
			case '\r': dm_buf_puts(b, "\\r"); break;
			case '\t': dm_buf_puts(b, "\\t"); break;
			case '\b': dm_buf_puts(b, "\\b"); break;
			case '\f': dm_buf_puts(b, "\\f"); break;
			default: dm_buf_printf(b, "\\u%04x", c); break;
			}
			p++;
			continue;
		}
		if (c < 0x80) {
			dm_buf_putc(b, (char)c);
			p++;
			continue;
		}
		/* Valid UTF-8 is copied; any other byte becomes U+FFFD. */
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3;
		for (k = 1; n && k <= n; k++)
			if ((p[k] & 0xC0) != 0x80)
				n = 0;
		if (n == 2 && ((c == 0xE0 && p[1] < 0xA0) ||
			       (c == 0xED && p[1] > 0x9F)))
			n = 0;
		if (n == 3 && ((c == 0xF0 && p[1] < 0x90) ||
			       (c == 0xF4 && p[1] > 0x8F)))
			n = 0;
		if (n == 0) {
			dm_buf_puts(b, "\\ufffd");
			p++;
			continue;
		}
		dm_buf_append(b, p, n + 1);
		p += n + 1;
	}
	dm_buf_putc(b, '"');
}

static void classify_line(dm_buf *b, const dm_sql_stmt *stmt)
{
	const dm_sql_table_name *names;
	const char *why = dm_sql_stmt_unsupported_reason(stmt);
	size_t n = dm_sql_stmt_tables(stmt, &names), i;

	dm_buf_puts(b, "{\"kind\":");
	json_string(b, dm_sql_kind_name(dm_sql_stmt_kind(stmt)));
	dm_buf_printf(b, ",\"ddl\":%s,\"tables\":[",
		      dm_sql_stmt_is_ddl(stmt) ? "true" : "false");
	for (i = 0; i < n; i++) {
		dm_buf_puts(b, i ? ",{\"schema\":" : "{\"schema\":");
		json_string(b, names[i].schema ? names[i].schema : "");
		dm_buf_puts(b, ",\"table\":");
		json_string(b, names[i].table ? names[i].table : "");
		dm_buf_putc(b, '}');
	}
	dm_buf_putc(b, ']');
	if (why) {
		dm_buf_puts(b, ",\"unsupported\":");
		json_string(b, why);
	}
	dm_buf_puts(b, "}\n");
}

/* ------------------------------------------------------------- commands */

static int restore_one(dm_buf *b, const options *o, const dm_sql_stmt *stmt,
		       dm_error **err)
{
	dm_sql_restore_opts ro = DM_SQL_RESTORE_OPTS_INIT;
	dm_sql_text_list *list = NULL;
	size_t i, n, len;
	int rc;

	if (o->ntables || o->ndbs) {
		ro.rename = rename_cb;
		ro.rename_userdata = (void *)o;
	}
	ro.qualify = o->default_db != NULL;
	if (o->sql_mode & DM_SQL_MODE_NO_BACKSLASH_ESCAPES)
		ro.flags |= DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES;
	if (!o->split && !o->split_alter) {
		rc = dm_sql_restore(b, stmt, &ro, err);
		if (rc == 0)
			rc = dm_buf_puts(b, ";\n");
		return rc;
	}
	rc = dm_sql_split_stmt(&list, stmt,
			       o->split_alter ? DM_SQL_SPLIT_ALTER : 0, &ro,
			       err);
	if (rc != 0)
		return rc;
	n = dm_sql_text_list_count(list);
	for (i = 0; i < n && rc == 0; i++) {
		const char *t = dm_sql_text_list_get(list, i, &len);

		rc = dm_buf_append(b, t, len);
		if (rc == 0)
			rc = dm_buf_puts(b, ";\n");
	}
	dm_sql_text_list_free(list);
	return rc;
}

static bool only_space(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!strchr(" \t\r\n\f\v", p[i]))
			return false;
	return true;
}

static int run(const options *o)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_buf text = DM_BUF_INIT, out = DM_BUF_INIT;
	dm_sql_span *spans = NULL;
	dm_error *err = NULL;
	bool classify = strcmp(o->command, "classify") == 0;
	size_t n = 0, i, failed = 0;
	char count[32], bad[32];
	dm_log_field fields[3];
	int status = EXIT_OK;

	po.sql_mode = o->sql_mode;
	po.server_version = o->server_version;
	po.mariadb = !o->mysql;
	po.default_db = o->default_db;
	if (read_input(o->input, &text) != 0)
		return EXIT_STMT;
	if (dm_sql_split(&spans, &n, text.data, text.len, &po, &err) != 0) {
		report_error(o, text.data, 0, err);
		dm_error_free(err);
		dm_buf_free(&text);
		return EXIT_STMT;
	}
	for (i = 0; i < n; i++) {
		const char *sql = text.data + spans[i].offset;
		size_t len = spans[i].len, lead = 0;
		dm_sql_stmt *stmt = NULL;
		int rc;

		while (lead < len && strchr(" \t\r\n\f\v", sql[lead]))
			lead++;
		if (only_space(sql, len))
			continue;
		dm_buf_clear(&out);
		rc = dm_sql_parse(&stmt, sql, len, &po, &err);
		if (rc == 0)
			rc = classify ? (classify_line(&out, stmt), 0) :
					restore_one(&out, o, stmt, &err);
		if (rc == 0) {
			fwrite(out.data, 1, out.len, stdout);
		} else {
			report_error(o, text.data, spans[i].offset + lead, err);
			failed++;
			status = EXIT_STMT;
		}
		dm_error_free(err);
		err = NULL;
		dm_sql_stmt_free(stmt);
	}
	snprintf(count, sizeof(count), "%zu", n);
	snprintf(bad, sizeof(bad), "%zu", failed);
	fields[0] = (dm_log_field){ "input", input_name(o) };
	fields[1] = (dm_log_field){ "statements", count };
	fields[2] = (dm_log_field){ "failed", bad };
	tool_log(DM_LOG_INFO, __LINE__,
		 classify ? "classified statements" : "restored statements",
		 fields, 3);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": write error on stdout\n");
		status = EXIT_STMT;
	}
	dm_sql_spans_free(spans);
	dm_buf_free(&out);
	dm_buf_free(&text);
	return status;
}

/* ------------------------------------------------------------ rules */

/* One input line of `rules`: schema.table [event [SQL]]. */
typedef struct rules_line {
	dm_buf schema;
	dm_buf table;
	dm_filter_event event;
	const char *sql;            /* into the input; NULL when none */
	size_t sql_len;
} rules_line;

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* One name: `quoted` (`` is a backtick) or bare up to '.', blank or the
 * end. False when a quote is not closed. */
static bool line_name(const char **p, const char *end, dm_buf *out)
{
	const char *s = *p;

	if (s < end && *s == '`') {
		for (s++;; s++) {
			if (s >= end)
				return false;
			if (*s == '`') {
				if (s + 1 >= end || s[1] != '`')
					break;
				s++;
			}
			if (dm_buf_putc(out, *s))
				return false;
		}
		s++;
	} else {
		while (s < end && *s != '.' && !is_blank(*s))
			if (dm_buf_putc(out, *s++))
				return false;
	}
	*p = s;
	return dm_buf_puts(out, "") == 0;
}

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && is_blank(*s))
		s++;
	return s;
}

/* The end of the word at s. */
static const char *word_end(const char *s, const char *end)
{
	while (s < end && !is_blank(*s))
		s++;
	return s;
}

/* The event: "quoted name", `-` for none, one word, or two words when the
 * first is not an event by itself ("create table"). Returns where the SQL
 * may start, or NULL with a message in `msg`. */
static const char *line_event(const char *s, const char *end,
			      dm_filter_event *out, dm_buf *msg)
{
	dm_buf name = DM_BUF_INIT;
	const char *e;
	int rc;

	*out = DM_FILTER_EVENT_UNSPECIFIED;
	if (s >= end)
		return s;
	if (*s == '"') {
		e = memchr(s + 1, '"', (size_t)(end - s - 1));
		if (!e) {
			dm_buf_puts(msg, "unclosed quote in the event name");
			return NULL;
		}
		dm_buf_append(&name, s + 1, (size_t)(e - s - 1));
		e++;
	} else {
		e = word_end(s, end);
		if (e - s == 1 && *s == '-')
			return e;
		dm_buf_append(&name, s, (size_t)(e - s));
		if (dm_filter_event_parse(out, name.data ? name.data : "",
					  NULL) != 0) {
			/* Then the event is two words. */
			const char *w2 = skip_blanks(e, end);

			e = word_end(w2, end);
			if (w2 < e) {
				dm_buf_putc(&name, ' ');
				dm_buf_append(&name, w2, (size_t)(e - w2));
			}
		}
	}
	rc = dm_filter_event_parse(out, name.data ? name.data : "", NULL);
	if (rc != 0 || *out == DM_FILTER_EVENT_UNSPECIFIED)
		dm_buf_printf(msg, "no event type \"%s\"",
			      name.data ? name.data : "");
	else if (*out > DM_FILTER_EVENT_ALTER_TABLE)
		dm_buf_printf(msg,
			      "\"%s\" names a group of events in rules, not an event",
			      name.data);
	else
		rc = 1;
	dm_buf_free(&name);
	return rc == 1 ? e : NULL;
}

/* Parses one line (without its newline); false with `msg` set when it is
 * not `schema.table [event [SQL]]`. */
static bool parse_rules_line(rules_line *l, const char *s, const char *end,
			     dm_buf *msg)
{
	s = skip_blanks(s, end);
	if (!line_name(&s, end, &l->schema) || l->schema.len == 0) {
		dm_buf_puts(msg, "expected schema.table");
		return false;
	}
	if (s >= end || *s != '.') {
		dm_buf_puts(msg, "expected schema.table (schema. for the schema itself)");
		return false;
	}
	s++;
	if (!line_name(&s, end, &l->table) || (s < end && !is_blank(*s))) {
		dm_buf_puts(msg, "expected schema.table");
		return false;
	}
	s = skip_blanks(s, end);
	s = line_event(s, end, &l->event, msg);
	if (!s)
		return false;
	s = skip_blanks(s, end);
	while (end > s && is_blank(end[-1]))
		end--;
	l->sql = s < end ? s : NULL;
	l->sql_len = (size_t)(end - s);
	return true;
}

/* A name as the input takes it: bare when it can be, else in backticks. */
static void put_name(dm_buf *b, const char *name)
{
	const char *p;
	bool bare = *name != '\0';

	for (p = name; *p && bare; p++)
		if (*p == '.' || *p == '`' || (unsigned char)*p <= ' ')
			bare = false;
	if (bare) {
		dm_buf_puts(b, name);
		return;
	}
	dm_buf_putc(b, '`');
	for (p = name; *p; p++) {
		if (*p == '`')
			dm_buf_putc(b, '`');
		dm_buf_putc(b, *p);
	}
	dm_buf_putc(b, '`');
}

static void put_table(dm_buf *b, const char *schema, const char *table)
{
	put_name(b, schema);
	dm_buf_putc(b, '.');
	if (table && *table)
		put_name(b, table);
}

/* Explanations stay on one line and in their column. */
static void put_text(dm_buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		dm_buf_putc(b, (unsigned char)s[i] < ' ' ? ' ' : s[i]);
}

static int print_cfg_error(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	dm_cfg_error_format(&b, e);
	fprintf(stderr, PROG ": %s\n", b.data ? b.data : "out of memory");
	dm_buf_free(&b);
	return EXIT_STMT;
}

/* The rule set the options ask for; exit status on failure. */
static int load_rules(const options *o, dm_cfg_task **task,
		      dm_cfg_source **source, dm_rule_set **rs)
{
	dm_error *err = NULL;
	int rc = EXIT_OK;

	if (dm_cfg_task_load_file(task, o->task_path, &err) != 0 ||
	    (o->source_config &&
	     dm_cfg_source_load_file(source, o->source_config, &err) != 0)) {
		rc = print_cfg_error(err);
		goto out;
	}
	if (!o->source_id && !o->source_config &&
	    (*task)->n_mysql_instances > 1) {
		size_t i;

		fprintf(stderr, PROG ": %s has %zu mysql-instances (",
			o->task_path, (*task)->n_mysql_instances);
		for (i = 0; i < (*task)->n_mysql_instances; i++)
			fprintf(stderr, "%s%s", i ? ", " : "",
				(*task)->mysql_instances[i]->source_id);
		fprintf(stderr, "); choose one with --source\n");
		rc = EXIT_USAGE;
		goto out;
	}
	if (dm_rule_set_new(rs, *task, o->source_id, *source, &err) != 0) {
		int status = dm_error_status(err);

		print_cfg_error(err);
		rc = status == DM_E_CONFIG_MYSQL_INST_NOT_FOUND ||
				     status == DM_E_INVALID_ARGUMENT ?
			     EXIT_USAGE :
			     EXIT_STMT;
	}
out:
	dm_error_free(err);
	return rc;
}

static int run_rules(const options *o)
{
	dm_cfg_task *task = NULL;
	dm_cfg_source *source = NULL;
	dm_rule_set *rs = NULL;
	dm_buf text = DM_BUF_INIT, out = DM_BUF_INIT, why = DM_BUF_INIT;
	dm_buf msg = DM_BUF_INIT;
	size_t off = 0, lineno = 0, lines = 0, failed = 0;
	char count[32], bad[32];
	dm_log_field fields[5];
	int status;

	status = load_rules(o, &task, &source, &rs);
	if (status != EXIT_OK)
		goto out;
	if (read_input(o->input, &text) != 0) {
		status = EXIT_STMT;
		goto out;
	}
	while (off < text.len) {
		const char *s = text.data + off;
		const char *nl = memchr(s, '\n', text.len - off);
		const char *end = nl ? nl : text.data + text.len;
		const char *first = skip_blanks(s, end);
		rules_line l = { DM_BUF_INIT, DM_BUF_INIT, 0, NULL, 0 };
		dm_rule_decision d;
		dm_error *err = NULL;

		off = (size_t)(end - text.data) + (nl ? 1 : 0);
		lineno++;
		if (first == end || *first == '#')
			continue;
		lines++;
		dm_buf_clear(&msg);
		dm_buf_clear(&why);
		if (!parse_rules_line(&l, s, end, &msg)) {
			fprintf(stderr, PROG ": %s:%zu: %s\n", input_name(o),
				lineno, msg.data ? msg.data : "out of memory");
			failed++;
		} else if (dm_rule_set_decide(&d, &why, rs, l.schema.data,
					      l.table.data, l.event, l.sql,
					      l.sql_len, &err) != 0) {
			dm_error_format(&msg, err, DM_ERROR_FORMAT_CAUSE);
			fprintf(stderr, PROG ": %s:%zu: %s\n", input_name(o),
				lineno, msg.data ? msg.data : "out of memory");
			failed++;
		} else {
			dm_buf_clear(&out);
			put_table(&out, l.schema.data, l.table.data);
			dm_buf_puts(&out, d.migrate ? "\tmigrate\t" :
						      "\tfilter\t");
			if (d.migrate)
				put_table(&out, d.target_schema,
					  d.target_table);
			else
				dm_buf_putc(&out, '-');
			dm_buf_putc(&out, '\t');
			put_text(&out, why.data ? why.data : "", why.len);
			dm_buf_putc(&out, '\n');
			fwrite(out.data, 1, out.len, stdout);
		}
		dm_error_free(err);
		dm_buf_free(&l.schema);
		dm_buf_free(&l.table);
	}
	if (failed)
		status = EXIT_STMT;
	snprintf(count, sizeof(count), "%zu", lines);
	snprintf(bad, sizeof(bad), "%zu", failed);
	fields[0] = (dm_log_field){ "task", task->name };
	fields[1] = (dm_log_field){ "source", dm_rule_set_source_id(rs) };
	fields[2] = (dm_log_field){ "input", input_name(o) };
	fields[3] = (dm_log_field){ "lines", count };
	fields[4] = (dm_log_field){ "failed", bad };
	tool_log(DM_LOG_INFO, __LINE__, "decided tables", fields, 5);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": write error on stdout\n");
		status = EXIT_STMT;
	}
out:
	dm_buf_free(&msg);
	dm_buf_free(&why);
	dm_buf_free(&out);
	dm_buf_free(&text);
	dm_rule_set_free(rs);
	dm_cfg_source_free(source);
	dm_cfg_task_free(task);
	return status;
}

/* ------------------------------------------------------------------ main */

enum {
	OPT_RENAME = 256,
	OPT_RENAME_DB,
	OPT_SPLIT,
	OPT_SPLIT_ALTER,
	OPT_DEFAULT_DB,
	OPT_ANSI_QUOTES,
	OPT_NO_BACKSLASH_ESCAPES,
	OPT_SERVER_VERSION,
	OPT_MYSQL,
	OPT_LOG_LEVEL,
	OPT_LOG_FILE,
	OPT_HELP,
	OPT_SOURCE,
	OPT_SOURCE_CONFIG,
};

static const struct option long_options[] = {
	{ "rename", required_argument, NULL, OPT_RENAME },
	{ "rename-db", required_argument, NULL, OPT_RENAME_DB },
	{ "split", no_argument, NULL, OPT_SPLIT },
	{ "split-alter", no_argument, NULL, OPT_SPLIT_ALTER },
	{ "default-db", required_argument, NULL, OPT_DEFAULT_DB },
	{ "ansi-quotes", no_argument, NULL, OPT_ANSI_QUOTES },
	{ "no-backslash-escapes", no_argument, NULL, OPT_NO_BACKSLASH_ESCAPES },
	{ "server-version", required_argument, NULL, OPT_SERVER_VERSION },
	{ "mysql", no_argument, NULL, OPT_MYSQL },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "log-file", required_argument, NULL, OPT_LOG_FILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static const struct option rules_options[] = {
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "source-config", required_argument, NULL, OPT_SOURCE_CONFIG },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "log-file", required_argument, NULL, OPT_LOG_FILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* rules TASK.yaml [options] [FILE|-]: options may come anywhere. */
static int parse_rules_args(options *o, int argc, char **argv)
{
	dm_error *err = NULL;
	bool dashdash = false;
	int c;

	optind = 2;
	opterr = 0;
	while (optind < argc) {
		const char *arg;

		c = dashdash ? -1 :
			       getopt_long(argc, argv, "+:", rules_options, NULL);
		if (c == -1) {
			if (optind >= argc)
				break;
			if (!dashdash && optind > 2 &&
			    strcmp(argv[optind - 1], "--") == 0)
				dashdash = true;
			arg = argv[optind++];
			if (!o->task_path)
				o->task_path = arg;
			else if (!o->input)
				o->input = arg;
			else
				return usage_error("one input at most; extra \"%s\"",
						   arg);
			continue;
		}
		arg = optarg;
		switch (c) {
		case OPT_SOURCE:
			if (!*arg)
				return usage_error("--source wants a source-id");
			o->source_id = arg;
			break;
		case OPT_SOURCE_CONFIG:
			o->source_config = arg;
			break;
		case OPT_LOG_LEVEL:
			if (dm_log_level_parse(&o->log_level, arg, &err) != 0) {
				dm_error_free(err);
				return usage_error("--log-level wants debug, info, "
						   "warn, error or none, not \"%s\"",
						   arg);
			}
			break;
		case OPT_LOG_FILE:
			o->log_file = arg;
			break;
		case OPT_HELP:
			usage(stdout);
			return -1;
		case ':':
			return usage_error("%s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (!o->task_path)
		return usage_error("rules needs a task file");
	return 0;
}

static int parse_args(options *o, int argc, char **argv)
{
	bool restore = strcmp(o->command, "restore") == 0;
	dm_error *err = NULL;
	int c;

	if (strcmp(o->command, "rules") == 0)
		return parse_rules_args(o, argc, argv);
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:", long_options, NULL)) != -1) {
		const char *arg = optarg;

		switch (c) {
		case OPT_RENAME:
		case OPT_RENAME_DB:
			if (!restore)
				return usage_error("%s takes no renaming options",
						   o->command);
			if (!parse_rename(o, arg, c == OPT_RENAME))
				return usage_error(c == OPT_RENAME ?
					"--rename wants DB.TABLE=DB2.TABLE2, not \"%s\"" :
					"--rename-db wants DB=DB2, not \"%s\"",
					arg);
			break;
		case OPT_SPLIT:
		case OPT_SPLIT_ALTER:
			if (!restore)
				return usage_error("%s cannot split", o->command);
			o->split = true;
			o->split_alter |= c == OPT_SPLIT_ALTER;
			break;
		case OPT_DEFAULT_DB:
			if (!*arg)
				return usage_error("--default-db wants a name");
			o->default_db = arg;
			break;
		case OPT_ANSI_QUOTES:
			o->sql_mode |= DM_SQL_MODE_ANSI_QUOTES;
			break;
		case OPT_NO_BACKSLASH_ESCAPES:
			o->sql_mode |= DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
			break;
		case OPT_SERVER_VERSION:
			o->server_version = parse_version(arg);
			if (!o->server_version)
				return usage_error("--server-version wants 10.11.6 "
						   "or 101106, not \"%s\"", arg);
			break;
		case OPT_MYSQL:
			o->mysql = true;
			break;
		case OPT_LOG_LEVEL:
			if (dm_log_level_parse(&o->log_level, arg, &err) != 0) {
				dm_error_free(err);
				return usage_error("--log-level wants debug, info, "
						   "warn, error or none, not \"%s\"",
						   arg);
			}
			break;
		case OPT_LOG_FILE:
			o->log_file = arg;
			break;
		case OPT_HELP:
			usage(stdout);
			return -1;
		case ':':
			return usage_error("%s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->input = argv[optind++];
	if (optind < argc)
		return usage_error("one input at most; extra \"%s\"",
				   argv[optind]);
	return 0;
}

int eval_command(int argc, char **argv); /* eval.c */
int schema_command(int argc, char **argv); /* schema_cmd.c */

int main(int argc, char **argv)
{
	options o;
	dm_error *err = NULL;
	dm_ctx *ctx = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.log_level = DM_LOG_WARN;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf(PROG " (libdm) %s\n", dm_version_string());
		return EXIT_OK;
	}
	if (strcmp(argv[1], "eval") == 0)
		return eval_command(argc - 1, argv + 1);
	if (strcmp(argv[1], "schema") == 0)
		return schema_command(argc - 1, argv + 1);
	o.command = argv[1];
	if (strcmp(o.command, "restore") != 0 &&
	    strcmp(o.command, "classify") != 0 &&
	    strcmp(o.command, "rules") != 0)
		return usage_error("unknown command \"%s\"", o.command);
	rc = parse_args(&o, argc, argv);
	if (rc != 0) {
		free_rules(&o);
		return rc < 0 ? EXIT_OK : rc;
	}
	log_level = o.log_level;
	if (dm_log_file_open(&log_out, o.log_file, &err) != 0 ||
	    dm_ctx_new(&ctx, &err) != 0) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
		fprintf(stderr, PROG ": %s\n", b.data ? b.data : "");
		dm_buf_free(&b);
		dm_error_free(err);
		dm_log_file_close(log_out);
		free_rules(&o);
		return EXIT_STMT;
	}
	dm_ctx_set_logger(ctx, dm_log_file_write, log_out);
	dm_ctx_set_log_level(ctx, log_level);
	rc = strcmp(o.command, "rules") == 0 ? run_rules(&o) : run(&o);
	dm_ctx_free(ctx);
	dm_log_file_close(log_out);
	free_rules(&o);
	return rc;
}
