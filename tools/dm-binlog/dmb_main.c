/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog: decode binlog and relay-log files, or a live server's binlog,
 * as mariadb-binlog's text, JSON lines or replayable SQL; count events
 * (--stats) or check checksums (--verify).
 *
 *   dm-binlog [options] FILE|DIR...
 *   dm-binlog --stream --host H --port P --user U [options] [FIRST-FILE]
 *
 * This file: options, inputs, filters and the event loop. The printers are
 * dmb_text.c, dmb_json.c, dmb_sql.c and dmb_stats.c. See dm-binlog(1).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "dmb.h"

/* ---------------------------------------------------------------- logging */

static dm_log_file *log_out;

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: " DMB_PROG " [OPTIONS] FILE|DIR...\n"
		"       " DMB_PROG " --stream [--host H] [--port P] [--user U] "
		"[--password P] [OPTIONS] [FIRST-BINLOG-FILE]\n"
		"       " DMB_PROG " --help | --version\n"
		"output:  [--format text|json|sql] [--stats] [--verify]\n"
		"range:   [--start-position N] [--stop-position N] "
		"[--start-gtid SET] [--stop-gtid SET]\n"
		"filter:  [--database DB]... [--table TABLE]...\n"
		"stream:  [--ssl-ca F] [--ssl-cert F] [--ssl-key F] "
		"[--ssl-verify] [--server-id N]\n"
		"logging: [--log-level debug|info|warn|error|none] "
		"[--log-file FILE]\n");
}

static int usage_error(const char *fmt, ...) DM_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, DMB_PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	return DMB_EXIT_USAGE;
}

/* The DM-style error line on stderr. */
static void report(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	if (e)
		dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE);
	fprintf(stderr, DMB_PROG ": %s\n",
		b.data ? b.data : "unknown error (out of memory?)");
	dm_buf_free(&b);
}

/* ---------------------------------------------------------------- options */

enum {
	OPT_FORMAT = 256,
	OPT_STATS,
	OPT_VERIFY,
	OPT_START_POS,
	OPT_STOP_POS,
	OPT_START_GTID,
	OPT_STOP_GTID,
	OPT_DATABASE,
	OPT_TABLE,
	OPT_STREAM,
	OPT_HOST,
	OPT_PORT,
	OPT_USER,
	OPT_PASSWORD,
	OPT_SSL_CA,
	OPT_SSL_CERT,
	OPT_SSL_KEY,
	OPT_SSL_VERIFY,
	OPT_SERVER_ID,
	OPT_LOG_LEVEL,
	OPT_LOG_FILE,
	OPT_HELP,
	OPT_VERSION
};

static const struct option long_opts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "start-position", required_argument, NULL, OPT_START_POS },
	{ "stop-position", required_argument, NULL, OPT_STOP_POS },
	{ "start-gtid", required_argument, NULL, OPT_START_GTID },
	{ "stop-gtid", required_argument, NULL, OPT_STOP_GTID },
	{ "database", required_argument, NULL, OPT_DATABASE },
	{ "table", required_argument, NULL, OPT_TABLE },
	{ "stream", no_argument, NULL, OPT_STREAM },
	{ "read-from-remote-server", no_argument, NULL, OPT_STREAM },
	{ "host", required_argument, NULL, OPT_HOST },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "user", required_argument, NULL, OPT_USER },
	{ "password", required_argument, NULL, OPT_PASSWORD },
	{ "ssl-ca", required_argument, NULL, OPT_SSL_CA },
	{ "ssl-cert", required_argument, NULL, OPT_SSL_CERT },
	{ "ssl-key", required_argument, NULL, OPT_SSL_KEY },
	{ "ssl-verify", no_argument, NULL, OPT_SSL_VERIFY },
	{ "ssl-verify-server-cert", no_argument, NULL, OPT_SSL_VERIFY },
	{ "server-id", required_argument, NULL, OPT_SERVER_ID },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "log-file", required_argument, NULL, OPT_LOG_FILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

static bool parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static void wipe_password(dmb_opts *o)
{
	if (o->password) {
		volatile char *p = o->password;

		while (*p)
			*p++ = '\0';
		free(o->password);
		o->password = NULL;
	}
}

static int set_password(dmb_opts *o, const char *pw)
{
	wipe_password(o);
	o->password = strdup(pw);
	return o->password ? 0 : -1;
}

/* Returns 0 to run, DMB_EXIT_USAGE, or -1 when --help/--version ran. */
static int parse_args(dmb_opts *o, int argc, char **argv)
{
	bool conn_opts = false, password_given = false;
	uint64_t v;
	int c, li = -1;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", long_opts, &li)) != -1) {
		const char *arg = optarg;
		const char *name = li >= 0 ? long_opts[li].name : "?";

		switch (c) {
		case OPT_FORMAT:
			if (strcmp(arg, "text") == 0)
				o->format = DMB_FORMAT_TEXT;
			else if (strcmp(arg, "json") == 0)
				o->format = DMB_FORMAT_JSON;
			else if (strcmp(arg, "sql") == 0)
				o->format = DMB_FORMAT_SQL;
			else
				return usage_error("--format wants text, json "
						   "or sql, not \"%s\"", arg);
			break;
		case OPT_STATS:
			o->stats = true;
			break;
		case OPT_VERIFY:
			o->verify = true;
			break;
		case OPT_START_POS:
		case OPT_STOP_POS:
			if (!parse_u64(arg, UINT64_MAX / 2, &v))
				return usage_error("--%s wants a byte offset, not "
						   "\"%s\"", name, arg);
			if (c == OPT_START_POS) {
				o->has_start_pos = true;
				o->start_pos = v;
			} else {
				o->has_stop_pos = true;
				o->stop_pos = v;
			}
			break;
		case OPT_START_GTID:
			o->start_gtid = arg;
			break;
		case OPT_STOP_GTID:
			o->stop_gtid = arg;
			break;
		case OPT_DATABASE:
		case OPT_TABLE:
			if ((c == OPT_DATABASE ? o->ndbs : o->ntables) >=
			    DMB_MAX_FILTERS)
				return usage_error("at most %d --%s options",
						   DMB_MAX_FILTERS, name);
			if (c == OPT_DATABASE)
				o->dbs[o->ndbs++] = arg;
			else
				o->tables[o->ntables++] = arg;
			break;
		case OPT_STREAM:
			o->stream = true;
			break;
		case OPT_HOST:
			o->host = arg;
			conn_opts = true;
			break;
		case OPT_PORT:
			if (!parse_u64(arg, 65535, &v) || v == 0)
				return usage_error("--port wants 1..65535, not "
						   "\"%s\"", arg);
			o->port = (unsigned)v;
			conn_opts = true;
			break;
		case OPT_USER:
			o->user = arg;
			conn_opts = true;
			break;
		case OPT_PASSWORD:
			if (set_password(o, arg))
				return usage_error("out of memory");
			/* Keep it out of ps(1) from now on. */
			memset(optarg, 'x', strlen(optarg));
			password_given = true;
			conn_opts = true;
			break;
		case OPT_SSL_CA:
			o->ssl_ca = arg;
			conn_opts = true;
			break;
		case OPT_SSL_CERT:
			o->ssl_cert = arg;
			conn_opts = true;
			break;
		case OPT_SSL_KEY:
			o->ssl_key = arg;
			conn_opts = true;
			break;
		case OPT_SSL_VERIFY:
			o->ssl_verify = true;
			conn_opts = true;
			break;
		case OPT_SERVER_ID:
			if (!parse_u64(arg, UINT32_MAX, &v) || v == 0)
				return usage_error("--server-id wants 1..%" PRIu32
						   ", not \"%s\"", UINT32_MAX,
						   arg);
			o->server_id = (uint32_t)v;
			conn_opts = true;
			break;
		case OPT_LOG_LEVEL: {
			dm_error *e = NULL;

			if (dm_log_level_parse(&o->log_level, arg, &e) != 0) {
				dm_error_free(e);
				return usage_error("--log-level wants debug, "
						   "info, warn, error or none, "
						   "not \"%s\"", arg);
			}
			break;
		}
		case OPT_LOG_FILE:
			o->log_file = arg;
			break;
		case OPT_HELP:
			usage(stdout);
			return -1;
		case OPT_VERSION:
			printf(DMB_PROG " (libdm) %s\n", dm_version_string());
			return -1;
		case ':':
			return usage_error("%s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
		li = -1;
	}
	o->files = argv + optind;
	o->nfiles = (size_t)(argc - optind);
	if (o->stats && o->verify)
		return usage_error("--stats and --verify exclude each other");
	if (o->stream) {
		const char *env;

		if (o->nfiles > 1)
			return usage_error("--stream takes one binlog file name "
					   "at most");
		if (o->start_gtid && (o->nfiles || o->has_start_pos))
			return usage_error("--start-gtid excludes a start file "
					   "and --start-position with "
					   "--stream");
		if (o->has_start_pos && !o->nfiles)
			return usage_error("--start-position needs a start file "
					   "with --stream");
		if (o->verify)
			return usage_error("--verify reads files only");
		if (!password_given) {
			env = getenv("DM_PASSWORD");
			if (!env)
				env = getenv("MYSQL_PWD");
			if (env && set_password(o, env))
				return usage_error("out of memory");
		}
	} else {
		if (conn_opts)
			return usage_error("connection options need --stream");
		if (o->nfiles == 0)
			return usage_error("no binlog file given");
	}
	return 0;
}

/* ------------------------------------------------------- database filter */

static bool name_in(const char *const *list, size_t n, const dm_str *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == s->len &&
		    memcmp(list[i], s->ptr, s->len) == 0)
			return true;
	return false;
}

static bool table_passes(const dmb_opts *o, const dm_binlog_table *t)
{
	if (!t)
		return o->ndbs == 0 && o->ntables == 0;
	return (o->ndbs == 0 || name_in(o->dbs, o->ndbs, &t->schema)) &&
	       (o->ntables == 0 || name_in(o->tables, o->ntables, &t->name));
}

static bool is_trx_control(const dm_binlog_query *q)
{
	return dmb_query_is(q, "BEGIN") || dmb_query_is(q, "COMMIT") ||
	       dmb_query_is(q, "ROLLBACK") ||
	       dmb_query_is(q, "START TRANSACTION") ||
	       (q->query.len > 3 && strncasecmp(q->query.ptr, "XA ", 3) == 0);
}

static bool event_passes(const dmb_opts *o, const dm_binlog_event *ev)
{
	switch (ev->kind) {
	case DM_BINLOG_KIND_ROWS:
		return table_passes(o, ev->u.rows.table);
	case DM_BINLOG_KIND_TABLE_MAP:
		return table_passes(o, ev->u.table_map);
	case DM_BINLOG_KIND_QUERY:
		return o->ndbs == 0 || is_trx_control(&ev->u.query) ||
		       name_in(o->dbs, o->ndbs, &ev->u.query.schema);
	default:
		return true;
	}
}

/* ----------------------------------------------------------- GTID range */

/* One stream of GTIDs (a MariaDB domain, a MySQL uuid[:tag]) and a
 * sequence number in it. */
typedef struct gtid_mark {
	dm_gtid key;
	uint64_t seq;
	bool done;
} gtid_mark;

#define MAX_MARKS 256

enum { TRX_IDLE = 0, TRX_GTID, TRX_OPEN };
enum { ACT_PRINT = 0, ACT_SKIP, ACT_STOP };

typedef struct gtid_range {
	dm_gtid_flavor start_flavor;
	dm_gtid_set *start_set;   /* MySQL --start-gtid */
	gtid_mark start[MAX_MARKS]; /* MariaDB --start-gtid, per domain */
	size_t nstart;
	dm_gtid_flavor stop_flavor;
	gtid_mark stop[MAX_MARKS];
	size_t nstop;
	/* The transaction being read. */
	int trx;
	bool skip;
	bool stop_after;
} gtid_range;

static bool same_stream(const dm_gtid *a, const dm_gtid *b)
{
	if (a->flavor != b->flavor)
		return false;
	if (a->flavor == DM_GTID_MARIADB)
		return a->domain == b->domain;
	return memcmp(a->uuid, b->uuid, 16) == 0 && strcmp(a->tag, b->tag) == 0;
}

static uint64_t gtid_seq(const dm_gtid *g)
{
	return g->flavor == DM_GTID_MARIADB ? g->seq : g->gno;
}

static int add_mark(gtid_mark *marks, size_t *n, const dm_gtid *g,
		    uint64_t seq, dm_error **err)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (same_stream(&marks[i].key, g)) {
			if (seq > marks[i].seq)
				marks[i].seq = seq;
			return 0;
		}
	if (*n >= MAX_MARKS)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "more than %d GTID domains or sources",
				    MAX_MARKS);
	marks[*n].key = *g;
	marks[*n].seq = seq;
	marks[*n].done = false;
	(*n)++;
	return 0;
}

/* MariaDB "d-s-n,d-s-n" or MySQL "uuid[:tag]:a-b[:c],...": the last GTID
 * of each domain or source. The whole text is checked with the library's
 * parser first. */
static int parse_marks(gtid_mark *marks, size_t *n, dm_gtid_flavor *flavor,
		       const char *text, dm_error **err)
{
	dm_gtid_set *set = NULL;
	const char *p = text;
	int rc;

	*flavor = strchr(text, ':') ? DM_GTID_MYSQL : DM_GTID_MARIADB;
	rc = dm_gtid_set_parse(&set, *flavor, text, strlen(text), err);
	dm_gtid_set_free(set);
	if (rc)
		return rc;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[512], one[600];
		dm_gtid g;

		while (len && (*p == ' ' || *p == '\n' || *p == '\t'))
			p++, len--;
		if (len >= sizeof(item))
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "GTID item too long in \"%s\"", text);
		memcpy(item, p, len);
		item[len] = '\0';
		if (len && *flavor == DM_GTID_MARIADB) {
			rc = dm_gtid_parse(&g, DM_GTID_MARIADB, item, len, err);
			if (!rc)
				rc = add_mark(marks, n, &g, g.seq, err);
		} else if (len) {
			/* uuid, then tags and intervals; a tag applies to
			 * the intervals after it. */
			char *save = NULL, *tok = strtok_r(item, ":", &save);
			const char *uuid = tok, *tag = "";

			rc = 0;
			while (!rc && (tok = strtok_r(NULL, ":", &save))) {
				uint64_t last;
				const char *dash;

				if (*tok < '0' || *tok > '9') {
					tag = tok;
					continue;
				}
				dash = strchr(tok, '-');
				last = strtoull(dash ? dash + 1 : tok, NULL, 10);
				snprintf(one, sizeof(one), "%s%s%s:%" PRIu64,
					 uuid, *tag ? ":" : "", tag, last);
				rc = dm_gtid_parse(&g, DM_GTID_MYSQL, one,
						   strlen(one), err);
				if (!rc)
					rc = add_mark(marks, n, &g, last, err);
			}
		}
		if (rc)
			return rc;
		if (!end)
			break;
		p = end + 1;
	}
	return 0;
}

static int range_init(gtid_range *g, const dmb_opts *o, dm_error **err)
{
	int rc = 0;

	memset(g, 0, sizeof(*g));
	if (o->start_gtid && *o->start_gtid) {
		g->start_flavor = strchr(o->start_gtid, ':') ? DM_GTID_MYSQL :
							       DM_GTID_MARIADB;
		if (g->start_flavor == DM_GTID_MYSQL)
			rc = dm_gtid_set_parse(&g->start_set, DM_GTID_MYSQL,
					       o->start_gtid,
					       strlen(o->start_gtid), err);
		else
			rc = parse_marks(g->start, &g->nstart, &g->start_flavor,
					 o->start_gtid, err);
	}
	if (!rc && o->stop_gtid)
		rc = parse_marks(g->stop, &g->nstop, &g->stop_flavor,
				 o->stop_gtid, err);
	return rc;
}

/* The GTID of a GTID event; false for ANONYMOUS_GTID and other events. */
static bool event_gtid(const dm_binlog_event *ev, dm_gtid *g)
{
	if (ev->kind != DM_BINLOG_KIND_MARIADB_GTID &&
	    ev->kind != DM_BINLOG_KIND_GTID) {
		/* Most events: no GTID, nothing more to clear. */
		g->flavor = 0;
		return false;
	}
	memset(g, 0, sizeof(*g));
	if (ev->kind == DM_BINLOG_KIND_MARIADB_GTID) {
		g->flavor = DM_GTID_MARIADB;
		g->domain = ev->u.mariadb_gtid.domain_id;
		g->server = ev->u.mariadb_gtid.server_id;
		g->seq = ev->u.mariadb_gtid.seq_no;
		return true;
	}
	if (ev->kind != DM_BINLOG_KIND_GTID || ev->u.gtid.gno <= 0)
		return false;
	g->flavor = DM_GTID_MYSQL;
	memcpy(g->uuid, ev->u.gtid.uuid, 16);
	if (ev->u.gtid.tag.len && ev->u.gtid.tag.len <= DM_GTID_TAG_MAX) {
		size_t i;

		for (i = 0; i < ev->u.gtid.tag.len; i++) {
			char ch = ev->u.gtid.tag.ptr[i];

			g->tag[i] = ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
		}
	}
	g->gno = (uint64_t)ev->u.gtid.gno;
	return true;
}

static bool all_done(const gtid_range *g)
{
	size_t i;

	for (i = 0; i < g->nstop; i++)
		if (!g->stop[i].done)
			return false;
	return g->nstop > 0;
}

/* What to do with `ev`; call range_after() once it was handled. */
static int range_event(gtid_range *g, const dm_binlog_event *ev)
{
	dm_gtid gt;
	size_t i;

	if (event_gtid(ev, &gt) ||
	    (ev->kind == DM_BINLOG_KIND_GTID && ev->u.gtid.gno <= 0)) {
		bool has = gt.flavor != 0;

		g->skip = false;
		g->stop_after = false;
		if (has && g->start_set)
			g->skip = dm_gtid_set_contains_gtid(g->start_set, &gt);
		for (i = 0; has && i < g->nstart; i++)
			if (same_stream(&g->start[i].key, &gt) &&
			    gtid_seq(&gt) <= g->start[i].seq)
				g->skip = true;
		for (i = 0; has && i < g->nstop; i++) {
			gtid_mark *m = &g->stop[i];

			if (m->done || !same_stream(&m->key, &gt))
				continue;
			if (gtid_seq(&gt) > m->seq) {
				m->done = true;
				g->skip = true;
			} else if (gtid_seq(&gt) == m->seq) {
				m->done = true;
				g->stop_after = all_done(g);
			}
		}
		if (all_done(g) && !g->stop_after)
			return ACT_STOP;
		g->trx = ev->kind == DM_BINLOG_KIND_MARIADB_GTID &&
				 !(ev->u.mariadb_gtid.flags &
				   DM_BINLOG_MGTID_STANDALONE) ?
			 TRX_OPEN : TRX_GTID;
		return g->skip ? ACT_SKIP : ACT_PRINT;
	}
	if (g->trx == TRX_IDLE)
		return ACT_PRINT;
	return g->skip ? ACT_SKIP : ACT_PRINT;
}

/* After `ev`: does its transaction end here, and is that the end? */
static bool range_after(gtid_range *g, const dm_binlog_event *ev)
{
	bool ends = false;

	switch (ev->kind) {
	case DM_BINLOG_KIND_QUERY:
		if (g->trx == TRX_GTID && dmb_query_is(&ev->u.query, "BEGIN"))
			g->trx = TRX_OPEN;
		else if (g->trx == TRX_GTID)
			ends = true;
		else if (g->trx == TRX_OPEN)
			ends = dmb_query_is(&ev->u.query, "COMMIT") ||
			       dmb_query_is(&ev->u.query, "ROLLBACK");
		break;
	case DM_BINLOG_KIND_XID:
	case DM_BINLOG_KIND_XA_PREPARE:
		ends = g->trx != TRX_IDLE;
		break;
	case DM_BINLOG_KIND_ROWS:
		ends = g->trx == TRX_GTID &&
		       (ev->u.rows.flags & DM_BINLOG_ROWS_F_STMT_END);
		break;
	default:
		break;
	}
	if (!ends)
		return false;
	g->trx = TRX_IDLE;
	g->skip = false;
	return g->stop_after;
}

static void range_free(gtid_range *g)
{
	dm_gtid_set_free(g->start_set);
}

/* ------------------------------------------------------------- the loop */

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

typedef struct loop {
	dmb_run run;
	const dmb_printer *p;
	gtid_range range;
	char file[512];
	bool in_file;
	bool began;
	bool stop_pos_here;     /* --stop-position applies to this input */
	bool pos_valid;         /* last_pos is that of this reader's last event */
	uint64_t last_pos;
} loop;

static int call_event(loop *l, const dm_binlog_event *ev, dm_error **err)
{
	return l->p->event ? l->p->event(&l->run, ev, err) : 0;
}

static int switch_file(loop *l, const char *name, dm_error **err)
{
	int rc = 0;

	if (l->in_file && strcmp(l->file, name) == 0)
		return 0;
	if (l->in_file && l->p->file_end)
		rc = l->p->file_end(&l->run, err);
	snprintf(l->file, sizeof(l->file), "%s", name);
	l->in_file = true;
	if (!rc && l->p->file_begin)
		rc = l->p->file_begin(&l->run, name, err);
	return rc;
}

static int close_file(loop *l, dm_error **err)
{
	int rc = 0;

	if (l->in_file && l->p->file_end)
		rc = l->p->file_end(&l->run, err);
	l->in_file = false;
	return rc;
}

/* One event (outer, or inner of a payload): 0 to go on, DM_DONE to stop
 * before it, or an error. */
static int one_event(loop *l, const dm_binlog_event *ev, dm_error **err)
{
	int act, rc;

	act = range_event(&l->range, ev);
	if (act == ACT_STOP)
		return DM_DONE;
	if (act == ACT_PRINT && event_passes(l->run.o, ev)) {
		rc = call_event(l, ev, err);
		if (rc)
			return rc;
	}
	if (ev->kind == DM_BINLOG_KIND_TRANSACTION_PAYLOAD) {
		dm_binlog_payload_iter *it;
		const dm_binlog_event *in;
		bool stop = false;

		rc = dm_binlog_payload_open(&it, l->run.dec, ev, err);
		if (rc)
			return rc;
		l->run.outer_pos = ev->pos;
		while ((rc = dm_binlog_payload_next(it, &in, err)) == 0) {
			rc = one_event(l, in, err);
			if (rc == DM_DONE)
				stop = true;
			if (rc)
				break;
		}
		if (rc != DM_DONE)
			return rc;
		rc = act == ACT_PRINT && l->p->payload_end ?
			     l->p->payload_end(&l->run, ev, err) : 0;
		if (rc || stop)
			return rc ? rc : DM_DONE;
	}
	if (range_after(&l->range, ev))
		return DM_DONE;
	rc = dmb_out_flush(&l->run.out, false);
	if (rc)
		return dm_error_set(err, DM_E_IO,
				    "cannot write the output: %s",
				    strerror(errno));
	return 0;
}

/* `same_file`: the event is known to come from the file of the event
 * before it. */
static int outer_event(loop *l, const dm_binlog_event *ev, bool same_file,
		       dm_error **err)
{
	int rc = 0;

	if (l->stop_pos_here && l->run.o->has_stop_pos &&
	    ev->pos >= l->run.o->stop_pos)
		return DM_DONE;
	if (!same_file || !l->in_file)
		rc = switch_file(l, ev->file ? ev->file : "stream", err);
	l->run.outer_pos = ev->pos;
	return rc ? rc : one_event(l, ev, err);
}

/* --verify: events with checksums, per file. */
typedef struct verify_count {
	char file[512];
	uint64_t events, checked;
} verify_count;

static void verify_line(const verify_count *v)
{
	if (v->file[0])
		printf("%s: %" PRIu64 " events, %" PRIu64 " checksums OK%s\n",
		       v->file, v->events, v->checked,
		       v->checked ? "" : " (the file has no checksums)");
}

static int read_files(loop *l, dm_ctx *ctx, dm_error **err)
{
	const dmb_opts *o = l->run.o;
	dm_binlog_reader_opts ro = DM_BINLOG_READER_OPTS_INIT;
	verify_count vc;
	bool stopped = false;
	size_t i;
	int rc = 0;

	memset(&vc, 0, sizeof(vc));
	for (i = 0; i < o->nfiles && !rc && !stopped; i++) {
		dm_binlog_reader *r = NULL;
		const dm_binlog_event *ev;
		uint64_t start = i == 0 && o->has_start_pos ? o->start_pos : 0;
		struct stat st;

		if (stat(o->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = dm_binlog_reader_open_dir(&r, ctx, o->files[i],
						       NULL, NULL, start, &ro,
						       err);
			l->stop_pos_here = true;
		} else {
			rc = dm_binlog_reader_open_file(&r, ctx, o->files[i],
							start, &ro, err);
			l->stop_pos_here = i + 1 == o->nfiles;
		}
		if (rc)
			return rc;
		l->pos_valid = false;
		if (!o->verify && dm_binlog_reader_file(r))
			rc = switch_file(l, dm_binlog_reader_file(r), err);
		while (!rc && (rc = dm_binlog_reader_next(r, &ev, err)) == 0) {
			if (o->verify) {
				if (strcmp(vc.file, ev->file) != 0) {
					verify_line(&vc);
					memset(&vc, 0, sizeof(vc));
					snprintf(vc.file, sizeof(vc.file), "%s",
						 ev->file);
				}
				vc.events++;
				vc.checked += ev->has_checksum;
				continue;
			}
			l->run.dec = dm_binlog_reader_decoder(r);
			/* A file reader moves to the next file at its
			 * first event, position 4: while positions grow,
			 * the file is the same. */
			rc = outer_event(l, ev,
					 l->pos_valid && ev->pos > l->last_pos,
					 err);
			l->pos_valid = true;
			l->last_pos = ev->pos;
			if (rc == DM_DONE)
				stopped = true;
			if (rc)
				break;
		}
		if (rc == DM_DONE)
			rc = 0;
		dm_binlog_reader_free(r);
		l->run.dec = NULL;
		if (!rc && !o->verify)
			rc = close_file(l, err);
	}
	if (o->verify && !rc)
		verify_line(&vc);
	return rc;
}

static int read_stream(loop *l, dm_ctx *ctx, dm_error **err)
{
	const dmb_opts *o = l->run.o;
	dm_binlog_stream_opts so = DM_BINLOG_STREAM_OPTS_INIT;
	dm_db_opts db = DM_DB_OPTS_INIT;
	dm_binlog_reader *r = NULL;
	int rc;

	db.host = o->host ? o->host : "127.0.0.1";
	db.port = o->port ? o->port : 3306;
	db.user = o->user;
	db.password = o->password;
	db.ssl_ca = o->ssl_ca;
	db.ssl_cert = o->ssl_cert;
	db.ssl_key = o->ssl_key;
	db.ssl_verify = o->ssl_verify;
	db.scope = DM_ERR_SCOPE_UPSTREAM;
	so.db = &db;
	so.server_id = o->server_id ? o->server_id :
				      4000000000u + (uint32_t)getpid() % 100000000u;
	so.file = o->nfiles ? o->files[0] : NULL;
	so.pos = o->has_start_pos ? o->start_pos : 4;
	if (so.pos < 4)
		so.pos = 4;
	so.gtid = o->start_gtid;
	/* Heartbeats wake a quiet stream up so that a signal is seen. */
	so.heartbeat_ms = 1000;
	so.heartbeat_events = true;
	so.non_blocking = o->has_stop_pos || o->stop_gtid;
	l->stop_pos_here = true;
	rc = dm_binlog_reader_open_stream(&r, ctx, &so, err);
	if (!rc)
		l->run.dec = dm_binlog_reader_decoder(r);
	while (!rc && !got_signal) {
		const dm_binlog_event *ev;

		rc = dm_binlog_reader_next(r, &ev, err);
		if (rc)
			break;
		if (ev->kind == DM_BINLOG_KIND_HEARTBEAT)
			continue;
		/* After a reconnect the unfinished transaction comes again. */
		if (dm_binlog_reader_restarted(r) && l->range.trx != TRX_IDLE) {
			l->range.trx = TRX_IDLE;
			if (l->p->restarted)
				rc = l->p->restarted(&l->run, err);
			if (rc)
				break;
		}
		rc = outer_event(l, ev, false, err);
		if (rc == DM_DONE)
			break;
		if (!rc)
			rc = dmb_out_flush(&l->run.out, true) ?
				     dm_error_set(err, DM_E_IO,
						  "cannot write the output: %s",
						  strerror(errno)) : 0;
	}
	if (rc == DM_DONE || rc == 0)
		rc = close_file(l, err);
	l->run.dec = NULL;
	dm_binlog_reader_free(r);
	return rc == DM_DONE ? 0 : rc;
}

static int run(const dmb_opts *o, dm_ctx *ctx)
{
	static char obuf[1 << 16];
	dm_error *err = NULL;
	loop l;
	int rc, end_rc;

	memset(&l, 0, sizeof(l));
	l.run.o = o;
	l.run.out.fp = stdout;
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	if (o->stats)
		l.p = &dmb_stats_printer;
	else if (o->format == DMB_FORMAT_JSON)
		l.p = &dmb_json_printer;
	else if (o->format == DMB_FORMAT_SQL)
		l.p = &dmb_sql_printer;
	else
		l.p = &dmb_text_printer;
	rc = range_init(&l.range, o, &err);
	if (rc) {
		report(err);
		dm_error_free(err);
		range_free(&l.range);
		return DMB_EXIT_USAGE;
	}
	if (o->stream) {
		struct sigaction sa;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	rc = 0;
	if (!o->verify && l.p->begin)
		rc = l.p->begin(&l.run, &err);
	if (!rc)
		rc = o->stream ? read_stream(&l, ctx, &err) :
				 read_files(&l, ctx, &err);
	if (rc) {
		dm_error *e2 = NULL;

		/* What was decoded before the error is still printed. */
		if (!o->verify && l.p->end)
			l.p->end(&l.run, false, &e2);
		dm_error_free(e2);
		dmb_out_flush(&l.run.out, true);
		fflush(stdout);
		report(err);
	} else if (!o->verify) {
		end_rc = l.p->end ? l.p->end(&l.run, true, &err) : 0;
		if (end_rc)
			report(err);
		rc = end_rc;
	}
	if (l.p->free)
		l.p->free(&l.run);
	if (dmb_out_flush(&l.run.out, true) || fflush(stdout) != 0) {
		if (!rc)
			fprintf(stderr, DMB_PROG ": cannot write the output: "
				"%s\n", strerror(errno));
		rc = -1;
	}
	dm_buf_free(&l.run.out.buf);
	dm_error_free(err);
	range_free(&l.range);
	return rc ? DMB_EXIT_ERROR : DMB_EXIT_OK;
}

int main(int argc, char **argv)
{
	dmb_opts o;
	dm_error *err = NULL;
	dm_ctx *ctx = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.log_level = DM_LOG_WARN;
	rc = parse_args(&o, argc, argv);
	if (rc != 0) {
		wipe_password(&o);
		return rc < 0 ? DMB_EXIT_OK : rc;
	}
	if (dm_global_init(&err) != 0 ||
	    dm_log_file_open(&log_out, o.log_file, &err) != 0 ||
	    dm_ctx_new(&ctx, &err) != 0) {
		report(err);
		dm_error_free(err);
		dm_log_file_close(log_out);
		wipe_password(&o);
		return DMB_EXIT_ERROR;
	}
	dm_ctx_set_logger(ctx, dm_log_file_write, log_out);
	dm_ctx_set_log_level(ctx, o.log_level);
	rc = run(&o, ctx);
	dm_ctx_free(ctx);
	dm_log_file_close(log_out);
	dm_global_cleanup();
	wipe_password(&o);
	return rc;
}
