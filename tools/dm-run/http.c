/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run --status-addr HOST:PORT: the status and control server, with
 * libmicrohttpd (a thread per connection besides its listening thread).
 * The paths are those of DM's OpenAPI where it has them:
 *
 *   GET    /metrics
 *   GET    /api/v1/tasks/{task}/status
 *   POST   /api/v1/tasks/{task}/pause         body: [source...] (optional)
 *   POST   /api/v1/tasks/{task}/resume        body: [source...] (optional)
 *   POST   /api/v1/tasks/{task}/sources/{source}/handle-error   (libdm's)
 *   GET|PUT|DELETE /api/v1/tasks/{task}/sources/{source}/schemas/{db}/{tbl}
 *
 * Errors are DM's: HTTP 400 (404 for an unknown path) with
 * {"error_msg": "<the full error>", "error_code": <code>}. See dm-run(1).
 */
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "dm_run.h"

#define MAX_BODY (1u << 20)
#define MAX_SEGMENTS 10
#define MAX_SOURCES 64

struct run_http {
	struct MHD_Daemon *d;
	run_ctl *ctl;
};

/* One request: its body as it comes in. */
typedef struct request {
	dm_buf body;
	bool too_big;
} request;

/* What a handler answers. */
typedef struct reply {
	unsigned status;
	dm_buf body;
	const char *type;
} reply;

/* ------------------------------------------------------------ addresses */

/* Splits "HOST:PORT" / "[V6]:PORT" into host and port. */
static bool split_addr(char *host, size_t hcap, char *port, size_t pcap,
		       const char *addr)
{
	const char *colon = strrchr(addr, ':');
	const char *h = addr, *p;
	size_t hn;
	unsigned long v;
	char *end;

	if (!colon)
		return false;
	hn = (size_t)(colon - addr);
	if (hn >= 2 && addr[0] == '[' && colon[-1] == ']') {
		h = addr + 1;
		hn -= 2;
	} else if (memchr(addr, ':', hn) || memchr(addr, '[', hn) ||
		   memchr(addr, ']', hn)) {
		return false;
	}
	p = colon + 1;
	if (hn == 0 || hn >= hcap || !*p || strlen(p) >= pcap ||
	    *p < '0' || *p > '9')
		return false;
	errno = 0;
	v = strtoul(p, &end, 10);
	if (errno || *end || v == 0 || v > 65535)
		return false;
	memcpy(host, h, hn);
	host[hn] = '\0';
	memcpy(port, p, strlen(p) + 1);
	return true;
}

bool run_http_addr_valid(const char *addr)
{
	char host[256], port[8];

	return split_addr(host, sizeof(host), port, sizeof(port), addr);
}

/* A listening socket on addr, or -1 with the reason in err. */
static int listen_on(const char *addr, dm_error **err)
{
	char host[256], port[8];
	struct addrinfo hints, *ai = NULL, *a;
	int fd = -1, rc, e = 0, one = 1;

	if (!split_addr(host, sizeof(host), port, sizeof(port), addr)) {
		dm_error_set(err, DM_E_WORKER_START_SERVICE,
			     "--status-addr %s is not HOST:PORT", addr);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &ai);
	if (rc != 0) {
		dm_error_set(err, DM_E_WORKER_START_SERVICE,
			     "--status-addr %s: %s", addr, gai_strerror(rc));
		return -1;
	}
	for (a = ai; a; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC,
			    a->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 &&
		    listen(fd, 64) == 0)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(ai);
	if (fd < 0)
		dm_error_set(err, DM_E_WORKER_START_SERVICE,
			     "cannot listen on --status-addr %s: %s", addr,
			     strerror(e));
	return fd;
}

/* ------------------------------------------------------------- replies */

static void reply_error(reply *r, unsigned status, const dm_error *e)
{
	dm_buf m = DM_BUF_INIT;

	dm_buf_clear(&r->body);
	r->status = status;
	r->type = "application/json";
	if (dm_error_format(&m, e, DM_ERROR_FORMAT_FULL) ||
	    dm_buf_puts(&r->body, "{\"error_msg\":") ||
	    run_json_put_str(&r->body, m.data ? m.data : "") ||
	    dm_buf_printf(&r->body, ",\"error_code\":%d}", dm_error_code(e))) {
		r->status = 500;
		dm_buf_clear(&r->body);
	}
	dm_buf_free(&m);
}

/* Replies with err (400) when rc says so, and frees it. */
static void reply_rc(reply *r, int rc, dm_error *err)
{
	if (rc) {
		if (!err)
			dm_error_set(&err, rc, NULL);
		reply_error(r, 400, err);
	}
	dm_error_free(err);
}

static void reply_fmt(reply *r, unsigned status, int code, const char *fmt,
		      ...) DM_PRINTF(4, 5);

static void reply_fmt(reply *r, unsigned status, int code, const char *fmt,
		      ...)
{
	dm_error *err = NULL;
	va_list ap;

	va_start(ap, fmt);
	dm_error_setv(&err, code, fmt, ap);
	va_end(ap);
	reply_error(r, status, err);
	dm_error_free(err);
}

static void bad_body(reply *r, const char *what, const char *why)
{
	reply_fmt(r, 400, DM_E_OPENAPI_COMMON_ERROR,
		  "request body: %s%s%s", what, why ? ": " : "",
		  why ? why : "");
}

/* ------------------------------------------------------------ handlers */

static void get_status(reply *r, run_ctl *c)
{
	dm_error *err = NULL;
	int rc = run_ctl_status(&r->body, c, &err);

	reply_rc(r, rc, err);
}

static void get_metrics(reply *r, run_ctl *c)
{
	dm_error *err = NULL;
	int rc = run_ctl_metrics(&r->body, c, &err);

	r->type = "text/plain; version=0.0.4";
	reply_rc(r, rc, err);
}

/* pause / resume: an optional JSON array of source names. */
static void pause_resume(reply *r, run_ctl *c, const dm_buf *body,
			 bool pause)
{
	const char *names[MAX_SOURCES];
	cJSON *j = NULL;
	const cJSON *it;
	char why[64];
	dm_error *err = NULL;
	size_t n = 0, k;
	int rc;

	for (k = 0; k < body->len && strchr(" \t\r\n", body->data[k]); k++)
		;
	if (k < body->len) {
		j = run_json_parse(body->data, body->len, why, sizeof(why));
		if (!j)
			return bad_body(r, "not JSON", why);
		if (!cJSON_IsArray(j) || cJSON_GetArraySize(j) > MAX_SOURCES) {
			cJSON_Delete(j);
			return bad_body(r, "want an array of at most 64 source "
					   "names", NULL);
		}
		cJSON_ArrayForEach(it, j) {
			if (!cJSON_IsString(it)) {
				cJSON_Delete(j);
				return bad_body(r, "a source name is not a "
						   "string", NULL);
			}
			names[n++] = it->valuestring;
		}
	}
	rc = pause ? run_ctl_pause(c, names, n, &err)
		   : run_ctl_resume(c, names, n, &err);
	reply_rc(r, rc, err);
	cJSON_Delete(j);
}

/* The optional string member `key`; false when it is of another type. */
static bool opt_string(const char **out, const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!v || cJSON_IsNull(v))
		return true;
	if (!cJSON_IsString(v))
		return false;
	*out = v->valuestring;
	return true;
}

/* {"op": "skip"|"replace"|"revert", "binlog_pos": "FILE:POS",
 *  "sqls": ["...", ...]} */
static void handle_error(reply *r, run_ctl *c, const char *source,
			 const dm_buf *body)
{
	cJSON *j;
	const cJSON *sqls, *it;
	const char *op, *pos;
	char why[64];
	dm_buf sql = DM_BUF_INIT;
	dm_sync_error_op o;
	dm_error *err = NULL;
	bool first = true;
	int rc;

	j = run_json_parse(body->data, body->len, why, sizeof(why));
	if (!j)
		return bad_body(r, "not JSON", why);
	if (!cJSON_IsObject(j) || !opt_string(&op, j, "op") || !op ||
	    !opt_string(&pos, j, "binlog_pos")) {
		bad_body(r, "want {\"op\": \"skip\"|\"replace\"|\"revert\", "
			    "\"binlog_pos\": \"FILE:POS\", \"sqls\": [...]}",
			 NULL);
		goto out;
	}
	if (strcmp(op, "skip") == 0) {
		o = DM_SYNC_ERROR_SKIP;
	} else if (strcmp(op, "replace") == 0) {
		o = DM_SYNC_ERROR_REPLACE;
	} else if (strcmp(op, "revert") == 0) {
		o = DM_SYNC_ERROR_REVERT;
	} else {
		bad_body(r, "op is skip, replace or revert", op);
		goto out;
	}
	sqls = cJSON_GetObjectItemCaseSensitive(j, "sqls");
	if (sqls && !cJSON_IsNull(sqls)) {
		if (!cJSON_IsArray(sqls)) {
			bad_body(r, "sqls is an array of strings", NULL);
			goto out;
		}
		cJSON_ArrayForEach(it, sqls) {
			if (!cJSON_IsString(it)) {
				bad_body(r, "sqls is an array of strings", NULL);
				goto out;
			}
			if ((!first && dm_buf_putc(&sql, ';')) ||
			    dm_buf_puts(&sql, it->valuestring)) {
				reply_fmt(r, 500, DM_E_NO_MEMORY, "request");
				goto out;
			}
			first = false;
		}
	}
	rc = run_ctl_handle_error(c, source, o, pos,
				  sql.data ? sql.data : NULL, &err);
	reply_rc(r, rc, err);
out:
	dm_buf_free(&sql);
	cJSON_Delete(j);
}

static void schema_get(reply *r, run_ctl *c, const char *source,
		       const char *db, const char *tbl)
{
	dm_buf sql = DM_BUF_INIT;
	dm_error *err = NULL;
	int rc;

	rc = run_ctl_schema(&sql, c, source, RUN_SCHEMA_GET, db, tbl, NULL,
			    &err);
	if (!rc && (dm_buf_puts(&r->body, "{\"schema_name\":") ||
		    run_json_put_str(&r->body, db) ||
		    dm_buf_puts(&r->body, ",\"table_name\":") ||
		    run_json_put_str(&r->body, tbl) ||
		    dm_buf_puts(&r->body, ",\"schema_create_sql\":") ||
		    run_json_put_str(&r->body, sql.data ? sql.data : "") ||
		    dm_buf_putc(&r->body, '}')))
		rc = dm_error_set(&err, DM_E_NO_MEMORY, NULL);
	reply_rc(r, rc, err);
	dm_buf_free(&sql);
}

/* {"sql_content": "CREATE TABLE ...", "flush": true, "sync": false} */
static void schema_put(reply *r, run_ctl *c, const char *source,
		       const char *db, const char *tbl, const dm_buf *body)
{
	cJSON *j;
	const cJSON *flush, *sync;
	const char *sql;
	char why[64];
	dm_error *err = NULL;
	int rc;

	j = run_json_parse(body->data, body->len, why, sizeof(why));
	if (!j)
		return bad_body(r, "not JSON", why);
	flush = cJSON_GetObjectItemCaseSensitive(j, "flush");
	sync = cJSON_GetObjectItemCaseSensitive(j, "sync");
	if (!cJSON_IsObject(j) || !opt_string(&sql, j, "sql_content") ||
	    !sql || (flush && !cJSON_IsBool(flush)) ||
	    (sync && !cJSON_IsBool(sync))) {
		bad_body(r, "want {\"sql_content\": \"CREATE TABLE ...\", "
			    "\"flush\": true, \"sync\": false}", NULL);
	} else if ((flush && cJSON_IsFalse(flush)) ||
		   (sync && cJSON_IsTrue(sync))) {
		bad_body(r, "libdm keeps table structures in the checkpoint "
			    "only: flush must be true and sync false", NULL);
	} else {
		rc = run_ctl_schema(NULL, c, source, RUN_SCHEMA_SET, db, tbl,
				    sql, &err);
		reply_rc(r, rc, err);
	}
	cJSON_Delete(j);
}

static void schema_delete(reply *r, run_ctl *c, const char *source,
			  const char *db, const char *tbl)
{
	dm_error *err = NULL;
	int rc;

	rc = run_ctl_schema(NULL, c, source, RUN_SCHEMA_REMOVE, db, tbl, NULL,
			    &err);
	if (!rc)
		r->status = 204;
	reply_rc(r, rc, err);
}

/* ------------------------------------------------------------- routing */

/* Splits a path into its segments (in place). */
static size_t split_path(char **seg, char *path)
{
	size_t n = 0;
	char *p = path;

	while (*p == '/')
		p++;
	while (*p && n < MAX_SEGMENTS + 1) {
		char *slash = strchr(p, '/');

		seg[n++] = p;
		if (!slash)
			break;
		*slash = '\0';
		p = slash + 1;
	}
	return n;
}

static bool is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static void log_call(const char *method, const char *url)
{
	dm_log_field f[2] = { { "method", method }, { "path", url } };

	run_log(DM_LOG_INFO, "control request", f, 2);
}

static void route(reply *r, run_ctl *c, const char *method, const char *url,
		  const request *req)
{
	char *seg[MAX_SEGMENTS + 1];
	char *path = strdup(url);
	size_t n;

	if (!path) {
		reply_fmt(r, 500, DM_E_NO_MEMORY, "request");
		return;
	}
	n = split_path(seg, path);
	if (req->too_big) {
		reply_fmt(r, 400, DM_E_OPENAPI_COMMON_ERROR,
			  "request body larger than %u bytes", MAX_BODY);
	} else if (n == 1 && is(seg[0], "metrics") && is(method, "GET")) {
		get_metrics(r, c);
	} else if (n >= 4 && is(seg[0], "api") && is(seg[1], "v1") &&
		   is(seg[2], "tasks") && !is(seg[3], run_ctl_task(c))) {
		reply_fmt(r, 400, DM_E_WORKER_SUB_TASK_NOT_FOUND,
			  "task %s is not run here; this dm-run runs task %s",
			  seg[3], run_ctl_task(c));
	} else if (n == 5 && is(seg[0], "api") && is(seg[4], "status") &&
		   is(method, "GET")) {
		get_status(r, c);
	} else if (n == 5 && is(seg[0], "api") &&
		   (is(seg[4], "pause") || is(seg[4], "resume")) &&
		   is(method, "POST")) {
		log_call(method, url);
		pause_resume(r, c, &req->body, is(seg[4], "pause"));
	} else if (n == 7 && is(seg[0], "api") && is(seg[4], "sources") &&
		   is(seg[6], "handle-error") && is(method, "POST")) {
		log_call(method, url);
		handle_error(r, c, seg[5], &req->body);
	} else if (n == 9 && is(seg[0], "api") && is(seg[4], "sources") &&
		   is(seg[6], "schemas") && is(method, "GET")) {
		schema_get(r, c, seg[5], seg[7], seg[8]);
	} else if (n == 9 && is(seg[0], "api") && is(seg[4], "sources") &&
		   is(seg[6], "schemas") && is(method, "PUT")) {
		log_call(method, url);
		schema_put(r, c, seg[5], seg[7], seg[8], &req->body);
	} else if (n == 9 && is(seg[0], "api") && is(seg[4], "sources") &&
		   is(seg[6], "schemas") && is(method, "DELETE")) {
		log_call(method, url);
		schema_delete(r, c, seg[5], seg[7], seg[8]);
	} else {
		reply_fmt(r, 404, DM_E_OPENAPI_COMMON_ERROR,
			  "no endpoint %s %s", method, url);
	}
	free(path);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	run_http *h = cls;
	request *req = *con_cls;
	reply r = { 200, DM_BUF_INIT, "application/json" };
	struct MHD_Response *resp;
	enum MHD_Result ret;

	(void)version;
	if (!req) {
		req = calloc(1, sizeof(*req));
		if (!req)
			return MHD_NO;
		*con_cls = req;
		return MHD_YES;
	}
	if (*upload_size) {
		if (req->body.len + *upload_size > MAX_BODY)
			req->too_big = true;
		else if (dm_buf_append(&req->body, upload, *upload_size))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	route(&r, h->ctl, method, url, req);
	resp = MHD_create_response_from_buffer(r.body.len,
					       r.body.data ? r.body.data : "",
					       MHD_RESPMEM_MUST_COPY);
	dm_buf_free(&r.body);
	if (!resp)
		return MHD_NO;
	if (r.status != 204)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					r.type);
	ret = MHD_queue_response(conn, r.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn,
			 void **con_cls, enum MHD_RequestTerminationCode why)
{
	request *req = *con_cls;

	(void)cls;
	(void)conn;
	(void)why;
	if (req) {
		dm_buf_free(&req->body);
		free(req);
		*con_cls = NULL;
	}
}

int run_http_start(run_http **out, const char *addr, run_ctl *c,
		   dm_error **err)
{
	run_http *h;
	int fd;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (!h)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	h->ctl = c;
	fd = listen_on(addr, err);
	if (fd < 0) {
		free(h);
		return dm_error_status(*err);
	}
	h->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
					MHD_USE_THREAD_PER_CONNECTION,
				0, NULL, NULL, on_request, h,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				MHD_OPTION_CONNECTION_LIMIT, 32u,
				MHD_OPTION_CONNECTION_TIMEOUT, 60u,
				MHD_OPTION_END);
	if (!h->d) {
		close(fd);
		free(h);
		return dm_error_set(err, DM_E_WORKER_START_SERVICE,
				    "cannot start the status server on %s",
				    addr);
	}
	{
		dm_log_field f[1] = { { "address", addr } };

		run_log(DM_LOG_INFO, "status server listening", f, 1);
	}
	*out = h;
	return 0;
}

void run_http_stop(run_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
