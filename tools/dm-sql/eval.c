/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-sql eval: one expression over one row, printed as the mariadb client
 * prints `SELECT EXPR FROM t` in batch mode.
 *
 *   dm-sql eval EXPR [--table 'CREATE TABLE ...'] [--row JSON-OBJECT]
 *                    [--time-zone +HH:MM] [--now 'YYYY-MM-DD HH:MM:SS']
 *
 * See dm-sql(1) and dm_sql_eval(3).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include <dm/dm.h>
#include <dm/sql.h>

#define PROG "dm-sql"
#define JSON_MAX_DEPTH 64

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

int eval_command(int argc, char **argv);

typedef struct eval_options {
	const char *expr;
	const char *table;
	const char *row;
	unsigned long sql_mode;
	long tz_offset;
	bool have_now;
	long long now_sec;
	unsigned long now_usec;
	const char *now_text;
} eval_options;

/* One member of the --row object. */
typedef struct row_field {
	char *name;
	dm_value value;     /* NULL, INT, UINT, DECIMAL, DOUBLE or STRING */
	dm_buf text;        /* the bytes value.v.str points to */
} row_field;

typedef struct row_object {
	row_field *fields;
	size_t n;
} row_object;

static void eval_usage(FILE *fp)
{
	fprintf(fp,
		"usage: " PROG " eval EXPR [--table 'CREATE TABLE ...'] "
		"[--row JSON]\n"
		"                      [--time-zone +HH:MM] "
		"[--now 'YYYY-MM-DD HH:MM:SS'] [--ansi-quotes]\n"
		"                      [--no-backslash-escapes]\n");
}

static int eval_usage_error(const char *fmt, ...) DM_PRINTF(1, 2);

static int eval_usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": eval: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	eval_usage(stderr);
	return EXIT_USAGE;
}

/* A DM-style error line; returns EXIT_FAIL. */
static int report(const char *what, const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	if (e)
		dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE);
	fprintf(stderr, PROG ": eval: %s%s%s\n", what ? what : "",
		what ? ": " : "", b.data ? b.data : "out of memory");
	dm_buf_free(&b);
	return EXIT_FAIL;
}

/* -------------------------------------------------- the JSON row reader */

typedef struct jreader {
	const char *s, *end;
	const char *msg;    /* first problem, NULL while there is none */
	size_t at;          /* offset of the problem */
	const char *start;
} jreader;

static bool jfail(jreader *r, const char *msg)
{
	if (!r->msg) {
		r->msg = msg;
		r->at = (size_t)(r->s - r->start);
	}
	return false;
}

static void jspace(jreader *r)
{
	while (r->s < r->end && strchr(" \t\r\n", *r->s) && *r->s)
		r->s++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool jhex4(jreader *r, unsigned *out)
{
	int i, d;

	*out = 0;
	if (r->end - r->s < 4)
		return jfail(r, "truncated \\u escape");
	for (i = 0; i < 4; i++) {
		d = hexval(r->s[i]);
		if (d < 0)
			return jfail(r, "bad \\u escape");
		*out = *out << 4 | (unsigned)d;
	}
	r->s += 4;
	return true;
}

static bool put_utf8(dm_buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	return dm_buf_append(b, u, n) == 0;
}

/* A string at r->s (the opening quote); its decoded bytes go to `out`. */
static bool jstring(jreader *r, dm_buf *out)
{
	unsigned cp, lo;

	r->s++;
	for (;;) {
		char c;

		if (r->s >= r->end)
			return jfail(r, "unterminated string");
		c = *r->s++;
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20)
			return jfail(r, "control character in string");
		if (c != '\\') {
			if (dm_buf_putc(out, c))
				return jfail(r, "out of memory");
			continue;
		}
		if (r->s >= r->end)
			return jfail(r, "unterminated string");
		c = *r->s++;
		switch (c) {
		case '"': case '\\': case '/':
			break;
		case 'b': c = '\b'; break;
		case 'f': c = '\f'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case 'u':
			if (!jhex4(r, &cp))
				return false;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return jfail(r, "lone low surrogate");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (r->end - r->s < 2 || r->s[0] != '\\' ||
				    r->s[1] != 'u')
					return jfail(r, "lone high surrogate");
				r->s += 2;
				if (!jhex4(r, &lo))
					return false;
				if (lo < 0xDC00 || lo > 0xDFFF)
					return jfail(r, "bad surrogate pair");
				cp = 0x10000 + ((cp - 0xD800) << 10) +
				     (lo - 0xDC00);
			}
			if (!put_utf8(out, cp))
				return jfail(r, "out of memory");
			continue;
		default:
			return jfail(r, "bad escape in string");
		}
		if (dm_buf_putc(out, c))
			return jfail(r, "out of memory");
	}
	return dm_buf_puts(out, "") == 0 || jfail(r, "out of memory");
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number as JSON spells it; `frac`/`exp` say which parts it has. */
static bool jnumber(jreader *r, bool *frac, bool *exp)
{
	const char *s = r->s;

	*frac = *exp = false;
	if (s < r->end && *s == '-')
		s++;
	if (s >= r->end || !is_digit(*s))
		return jfail(r, "bad number");
	if (*s == '0')
		s++;
	else
		while (s < r->end && is_digit(*s))
			s++;
	if (s < r->end && *s == '.') {
		*frac = true;
		if (++s >= r->end || !is_digit(*s))
			return jfail(r, "bad number");
		while (s < r->end && is_digit(*s))
			s++;
	}
	if (s < r->end && (*s == 'e' || *s == 'E')) {
		*exp = true;
		s++;
		if (s < r->end && (*s == '+' || *s == '-'))
			s++;
		if (s >= r->end || !is_digit(*s))
			return jfail(r, "bad number");
		while (s < r->end && is_digit(*s))
			s++;
	}
	r->s = s;
	return true;
}

static bool jword(jreader *r, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(r->end - r->s) < n || memcmp(r->s, w, n) != 0)
		return jfail(r, "unexpected text");
	r->s += n;
	return true;
}

/* Skips any value (arrays and objects nested at most JSON_MAX_DEPTH). */
static bool jskip(jreader *r, int depth)
{
	dm_buf tmp = DM_BUF_INIT;
	bool f, x, ok;
	char close;

	jspace(r);
	if (r->s >= r->end)
		return jfail(r, "value expected");
	switch (*r->s) {
	case '"':
		ok = jstring(r, &tmp);
		dm_buf_free(&tmp);
		return ok;
	case 't': return jword(r, "true");
	case 'f': return jword(r, "false");
	case 'n': return jword(r, "null");
	case '[': case '{':
		break;
	default:
		return jnumber(r, &f, &x);
	}
	if (depth >= JSON_MAX_DEPTH)
		return jfail(r, "nested too deeply");
	close = *r->s == '[' ? ']' : '}';
	r->s++;
	jspace(r);
	if (r->s < r->end && *r->s == close) {
		r->s++;
		return true;
	}
	for (;;) {
		if (close == '}') {
			jspace(r);
			if (r->s >= r->end || *r->s != '"')
				return jfail(r, "member name expected");
			ok = jstring(r, &tmp);
			dm_buf_free(&tmp);
			if (!ok)
				return false;
			jspace(r);
			if (r->s >= r->end || *r->s != ':')
				return jfail(r, "':' expected");
			r->s++;
		}
		if (!jskip(r, depth + 1))
			return false;
		jspace(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == close) {
			r->s++;
			return true;
		}
		return jfail(r, close == ']' ? "',' or ']' expected" :
					       "',' or '}' expected");
	}
}

/* One member value into `f`: null, a number (kept exact), a string, a
 * boolean (1 or 0) or, for arrays and objects, their JSON text. */
static bool jvalue(jreader *r, row_field *f)
{
	const char *start;
	bool frac, exp;

	jspace(r);
	memset(&f->value, 0, sizeof(f->value));
	if (r->s >= r->end)
		return jfail(r, "value expected");
	start = r->s;
	switch (*r->s) {
	case 'n':
		f->value.kind = DM_VALUE_NULL;
		return jword(r, "null");
	case 't':
	case 'f':
		f->value.kind = DM_VALUE_INT;
		f->value.v.i = *r->s == 't';
		return jword(r, *r->s == 't' ? "true" : "false");
	case '"':
		if (!jstring(r, &f->text))
			return false;
		f->value.kind = DM_VALUE_STRING;
		f->value.v.str.ptr = f->text.data;
		f->value.v.str.len = f->text.len;
		return true;
	case '[':
	case '{':
		if (!jskip(r, 1))
			return false;
		f->value.kind = DM_VALUE_STRING;
		break;
	default:
		if (!jnumber(r, &frac, &exp))
			return false;
		/* Integers too: DECIMAL text keeps every digit of a BIGINT
		 * UNSIGNED and the conversion reads it like a literal. */
		f->value.kind = exp ? DM_VALUE_DOUBLE : DM_VALUE_DECIMAL;
		break;
	}
	if (dm_buf_append(&f->text, start, (size_t)(r->s - start)) ||
	    dm_buf_puts(&f->text, ""))
		return jfail(r, "out of memory");
	if (f->value.kind == DM_VALUE_DOUBLE) {
		f->value.v.d = strtod(f->text.data, NULL);
		return true;
	}
	f->value.v.str.ptr = f->text.data;
	f->value.v.str.len = f->text.len;
	return true;
}

static void free_row(row_object *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->fields[i].name);
		dm_buf_free(&o->fields[i].text);
	}
	free(o->fields);
	o->fields = NULL;
	o->n = 0;
}

/* A JSON object of column values. False with a message in `msg`. */
static bool read_row(row_object *o, const char *text, dm_buf *msg)
{
	jreader r = { text, text + strlen(text), NULL, 0, text };
	size_t i;

	jspace(&r);
	if (r.s >= r.end || *r.s != '{') {
		jfail(&r, "an object expected");
		goto bad;
	}
	r.s++;
	jspace(&r);
	if (r.s < r.end && *r.s == '}') {
		r.s++;
		goto done;
	}
	for (;;) {
		dm_buf name = DM_BUF_INIT;
		row_field *grown;

		jspace(&r);
		if (r.s >= r.end || *r.s != '"') {
			jfail(&r, "member name expected");
			goto bad;
		}
		if (!jstring(&r, &name)) {
			dm_buf_free(&name);
			goto bad;
		}
		for (i = 0; i < o->n; i++) {
			if (strcasecmp(o->fields[i].name, name.data) == 0) {
				dm_buf_free(&name);
				jfail(&r, "duplicate column");
				goto bad;
			}
		}
		grown = realloc(o->fields, (o->n + 1) * sizeof(*grown));
		if (!grown) {
			dm_buf_free(&name);
			jfail(&r, "out of memory");
			goto bad;
		}
		o->fields = grown;
		memset(&o->fields[o->n], 0, sizeof(o->fields[o->n]));
		o->fields[o->n].name = dm_buf_detach(&name);
		o->n++;
		jspace(&r);
		if (r.s >= r.end || *r.s != ':') {
			jfail(&r, "':' expected");
			goto bad;
		}
		r.s++;
		if (!jvalue(&r, &o->fields[o->n - 1]))
			goto bad;
		jspace(&r);
		if (r.s < r.end && *r.s == ',') {
			r.s++;
			continue;
		}
		if (r.s < r.end && *r.s == '}') {
			r.s++;
			break;
		}
		jfail(&r, "',' or '}' expected");
		goto bad;
	}
done:
	jspace(&r);
	if (r.s == r.end)
		return true;
	jfail(&r, "text after the object");
bad:
	dm_buf_printf(msg, "--row: %s at offset %zu", r.msg, r.at);
	return false;
}

/* ------------------------------------------------------- time options */

/* "+HH:MM" or "-HH:MM" (MariaDB's range, -12:59..+13:00 widened to
 * +14:00 as MySQL allows) -> seconds east of UTC. */
static bool parse_tz(const char *s, long *out)
{
	int sign, h, m;

	if ((s[0] != '+' && s[0] != '-') || !is_digit(s[1]) ||
	    !is_digit(s[2]) || s[3] != ':' || !is_digit(s[4]) ||
	    !is_digit(s[5]) || s[6] != '\0') {
		if (strcmp(s, "UTC") == 0 || strcmp(s, "Z") == 0) {
			*out = 0;
			return true;
		}
		return false;
	}
	sign = s[0] == '-' ? -1 : 1;
	h = (s[1] - '0') * 10 + (s[2] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	if (m > 59 || h * 60 + m > 14 * 60)
		return false;
	*out = sign * (long)(h * 3600 + m * 60);
	return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static bool leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 'YYYY-MM-DD HH:MM:SS[.ffffff]' in the session time zone. */
static bool parse_now(eval_options *o, const char *s)
{
	static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	unsigned y, mo, d, h, mi, se, us = 0;
	int n = 0, k;
	long long days;

	if (sscanf(s, "%4u-%2u-%2u %2u:%2u:%2u%n", &y, &mo, &d, &h, &mi, &se,
		   &n) != 6 || n != 19)
		return false;
	if (s[n] == '.') {
		for (k = 1; k <= 6 && is_digit(s[n + k]); k++)
			us = us * 10 + (unsigned)(s[n + k] - '0');
		if (k == 1 || is_digit(s[n + k]) || s[n + k] != '\0')
			return false;
		for (; k <= 6; k++)
			us *= 10;
	} else if (s[n] != '\0') {
		return false;
	}
	if (y < 1970 || y > 2106 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 ||
	    se > 59)
		return false;
	days = days_from_civil(y, mo, d);
	o->now_sec = days * 86400 + h * 3600 + mi * 60 + se;
	o->now_usec = us;
	o->have_now = true;
	return true;
}

/* ------------------------------------------------------------ arguments */

enum {
	OPT_TABLE = 256,
	OPT_ROW,
	OPT_TIME_ZONE,
	OPT_NOW,
	OPT_ANSI_QUOTES,
	OPT_NO_BACKSLASH_ESCAPES,
	OPT_HELP,
};

static const struct option eval_long_options[] = {
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "row", required_argument, NULL, OPT_ROW },
	{ "time-zone", required_argument, NULL, OPT_TIME_ZONE },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "ansi-quotes", no_argument, NULL, OPT_ANSI_QUOTES },
	{ "no-backslash-escapes", no_argument, NULL, OPT_NO_BACKSLASH_ESCAPES },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Options may come before or after EXPR; "--" ends them. 0, -1 after
 * --help, or an exit status. */
static int parse_eval_args(eval_options *o, int argc, char **argv)
{
	bool dashdash = false;
	int c;

	optind = 1;
	opterr = 0;
	while (optind < argc) {
		c = dashdash ? -1 :
			       getopt_long(argc, argv, "+:", eval_long_options,
					   NULL);
		if (c == -1) {
			if (optind >= argc)
				break;
			if (!dashdash && strcmp(argv[optind - 1], "--") == 0)
				dashdash = true;
			if (o->expr)
				return eval_usage_error("one expression at most; "
							"extra \"%s\"",
							argv[optind]);
			o->expr = argv[optind++];
			continue;
		}
		switch (c) {
		case OPT_TABLE:
			o->table = optarg;
			break;
		case OPT_ROW:
			o->row = optarg;
			break;
		case OPT_TIME_ZONE:
			if (!parse_tz(optarg, &o->tz_offset))
				return eval_usage_error("--time-zone wants +HH:MM "
							"or -HH:MM, not \"%s\"",
							optarg);
			break;
		case OPT_NOW:
			o->now_text = optarg;
			break;
		case OPT_ANSI_QUOTES:
			o->sql_mode |= DM_SQL_MODE_ANSI_QUOTES;
			break;
		case OPT_NO_BACKSLASH_ESCAPES:
			o->sql_mode |= DM_SQL_MODE_NO_BACKSLASH_ESCAPES;
			break;
		case OPT_HELP:
			eval_usage(stdout);
			return -1;
		case ':':
			return eval_usage_error("%s needs a value",
						argv[optind - 1]);
		default:
			return eval_usage_error("unknown option %s",
						argv[optind - 1]);
		}
	}
	if (!o->expr)
		return eval_usage_error("eval needs an expression");
	if (o->row && !o->table)
		return eval_usage_error("--row needs --table");
	/* --now is read after the loop: it is local time in --time-zone. */
	if (o->now_text && !parse_now(o, o->now_text))
		return eval_usage_error("--now wants 'YYYY-MM-DD HH:MM:SS' "
					"between 1970 and 2106, not \"%s\"",
					o->now_text);
	if (o->have_now) {
		o->now_sec -= o->tz_offset;
	} else {
		struct timeval tv;

		gettimeofday(&tv, NULL);
		o->now_sec = tv.tv_sec;
		o->now_usec = (unsigned long)tv.tv_usec;
	}
	return 0;
}

/* ------------------------------------------------------------- the row */

typedef struct eval_row {
	dm_sql_stmt *table;
	dm_value *values;
	dm_buf *scratch;
	dm_sql_eval_column *columns;
	size_t n;
} eval_row;

static void free_eval_row(eval_row *r)
{
	size_t i;

	for (i = 0; r->scratch && i < r->n; i++)
		dm_buf_free(&r->scratch[i]);
	free(r->scratch);
	free(r->values);
	free(r->columns);
	dm_sql_stmt_free(r->table);
}

/* The table's columns with the --row values stored into their types. */
static int build_row(eval_row *r, const eval_options *o,
		     const dm_sql_parse_opts *po)
{
	const dm_sql_create_table *ct;
	row_object obj = { NULL, 0 };
	dm_buf msg = DM_BUF_INIT;
	dm_error *err = NULL;
	size_t i, k;
	int status = EXIT_OK;

	if (dm_sql_parse(&r->table, o->table, strlen(o->table), po, &err)) {
		status = report("--table", err);
		goto out;
	}
	ct = dm_sql_stmt_create_table(r->table);
	if (!ct || ct->ncolumns == 0) {
		status = eval_usage_error("--table wants CREATE TABLE with "
					  "columns");
		goto out;
	}
	if (o->row && !read_row(&obj, o->row, &msg)) {
		status = eval_usage_error("%s",
					  msg.data ? msg.data : "out of memory");
		goto out;
	}
	for (k = 0; k < obj.n; k++) {
		for (i = 0; i < ct->ncolumns; i++)
			if (strcasecmp(ct->columns[i]->name,
				       obj.fields[k].name) == 0)
				break;
		if (i == ct->ncolumns) {
			dm_error_set(&err, DM_E_INVALID_ARGUMENT,
				     "Unknown column '%s' in --row",
				     obj.fields[k].name);
			status = report(NULL, err);
			goto out;
		}
	}
	r->n = ct->ncolumns;
	r->values = calloc(r->n, sizeof(*r->values));
	r->scratch = calloc(r->n, sizeof(*r->scratch));
	r->columns = calloc(r->n, sizeof(*r->columns));
	if (!r->values || !r->scratch || !r->columns) {
		fprintf(stderr, PROG ": eval: out of memory\n");
		status = EXIT_FAIL;
		goto out;
	}
	for (i = 0; i < r->n; i++) {
		const dm_sql_column *col = ct->columns[i];
		dm_value in;

		memset(&in, 0, sizeof(in));
		in.kind = DM_VALUE_NULL;
		for (k = 0; k < obj.n; k++)
			if (strcasecmp(col->name, obj.fields[k].name) == 0)
				in = obj.fields[k].value;
		if (dm_sql_eval_convert(&r->values[i], &r->scratch[i], &in,
					col->type, &err)) {
			dm_buf_printf(&msg, "column %s", col->name);
			status = report(msg.data, err);
			goto out;
		}
		r->columns[i].name = col->name;
		r->columns[i].value = &r->values[i];
		r->columns[i].type = col->type;
	}
out:
	dm_error_free(err);
	dm_buf_free(&msg);
	free_row(&obj);
	return status;
}

/* ------------------------------------------------------------- command */

/* The mariadb client's batch mode writes NUL, tab, newline and backslash
 * as \0 \t \n \\ (unless --raw). */
static int put_batch(dm_buf *out, const char *s, size_t len)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < len && rc == 0; i++) {
		switch (s[i]) {
		case '\0': rc = dm_buf_puts(out, "\\0"); break;
		case '\t': rc = dm_buf_puts(out, "\\t"); break;
		case '\n': rc = dm_buf_puts(out, "\\n"); break;
		case '\\': rc = dm_buf_puts(out, "\\\\"); break;
		default: rc = dm_buf_putc(out, s[i]); break;
		}
	}
	if (rc == 0)
		rc = dm_buf_putc(out, '\n');
	return rc;
}

/* argv[0] is "eval". Returns the exit status. */
int eval_command(int argc, char **argv)
{
	eval_options o;
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm_sql_eval_opts eo = DM_SQL_EVAL_OPTS_INIT;
	eval_row row;
	dm_sql_eval_row er = { NULL, 0 };
	dm_sql_stmt *st = NULL;
	dm_buf text = DM_BUF_INIT, line = DM_BUF_INIT;
	dm_error *err = NULL;
	int status;

	memset(&o, 0, sizeof(o));
	memset(&row, 0, sizeof(row));
	status = parse_eval_args(&o, argc, argv);
	if (status != 0)
		return status < 0 ? EXIT_OK : status;
	po.sql_mode = o.sql_mode;
	if (o.table) {
		status = build_row(&row, &o, &po);
		if (status != EXIT_OK)
			goto out;
		er.columns = row.columns;
		er.ncolumns = row.n;
	}
	if (dm_sql_parse_expr(&st, o.expr, strlen(o.expr), &po, &err)) {
		status = report(NULL, err);
		goto out;
	}
	eo.tz_offset = o.tz_offset;
	eo.now_sec = o.now_sec;
	eo.now_usec = o.now_usec;
	eo.sql_mode = o.sql_mode;
	/* Printed as SELECT prints it: DECIMALs and DOUBLEs with their type's
	 * decimals, which a dm_value alone does not carry. */
	if (dm_sql_eval_text(&text, NULL, dm_sql_stmt_expr(st), &er, &eo,
			     &err) ||
	    put_batch(&line, text.data ? text.data : "", text.len)) {
		status = report(NULL, err);
		goto out;
	}
	fwrite(line.data, 1, line.len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": write error on stdout\n");
		status = EXIT_FAIL;
	}
out:
	dm_error_free(err);
	dm_buf_free(&line);
	dm_buf_free(&text);
	dm_sql_stmt_free(st);
	free_eval_row(&row);
	return status;
}
