/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Connections over libmariadb: options, TLS, session set-up, statements,
 * buffered results and explicit reconnect. See dm_db(3).
 */
#include "dm/db.h"

#include <errmsg.h>
#include <mysql.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db/db_private.h"
#include "log/logging.h"
#include "util/alloc.h"

#define DEFAULT_HOST "127.0.0.1"
#define DEFAULT_PORT 3306u
#define DEFAULT_CHARSET "utf8mb4"
#define DEFAULT_MAX_PACKET (64ul * 1024 * 1024)
#define MAX_MAX_PACKET (1024ul * 1024 * 1024) /* the server's own limit */
#define DEFAULT_CONNECT_TIMEOUT 10u
#define DEFAULT_RW_TIMEOUT 3600u

struct dm_db {
	dm_ctx *ctx;
	MYSQL *conn;            /* NULL after a failed reconnect */
	dm_db_opts opts;        /* strings and vars point at our own copies */
	char *addr;             /* "host:port" or the socket path, for people */
	char port_text[8];      /* opts.port as text, for log fields */
	char *server_version;   /* copy of mysql_get_server_info() */
	uint64_t affected_rows;
	uint64_t last_insert_id;
	bool multi;             /* MULTI_STATEMENTS is on for conn */
};

struct dm_db_result {
	MYSQL_RES *res;         /* NULL for a statement without a result set */
	MYSQL_ROW row;          /* current row; NULL before and after the rows */
	unsigned long *lengths;
	size_t ncols;
	uint64_t nrows;
};

/* ------------------------------------------------------------- options */

static bool is_word(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++) {
		char c = *s;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

int dm__db_opts_check(const dm_db_opts *opts, dm_error **err)
{
	size_t i;

	if (!opts)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "database options are missing");
	if (opts->version != 1)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "database options version %u is not 1",
				    opts->version);
	if (opts->port > 65535)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "database port %u is not in 0..65535",
				    opts->port);
	if (opts->host && !*opts->host)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "database host is empty");
	if (opts->charset && !is_word(opts->charset))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "database charset \"%s\" is not a charset name",
				    opts->charset);
	if (opts->max_allowed_packet > MAX_MAX_PACKET)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "max_allowed_packet %llu is above 1 GiB",
				    (unsigned long long)opts->max_allowed_packet);
	if ((unsigned)opts->scope > DM_ERR_SCOPE_INTERNAL)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "error scope %d is unknown", (int)opts->scope);
	if (opts->n_session_vars && !opts->session_vars)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%zu session variables but no array",
				    opts->n_session_vars);
	for (i = 0; i < opts->n_session_vars; i++) {
		const dm_db_var *v = &opts->session_vars[i];

		if (!is_word(v->name))
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "bad session variable name \"%s\"",
					    v->name ? v->name : "");
		if (!v->value || !*v->value)
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "session variable %s has no value",
					    v->name);
	}
	return 0;
}

/* Copies *field; false when out of memory. */
static bool dup_field(const char **field)
{
	char *copy;

	if (!*field)
		return true;
	copy = dm__strdup(*field);
	*field = copy;
	return copy != NULL;
}

static void free_opts(dm_db_opts *o)
{
	size_t i;

	dm__free((char *)o->host);
	dm__free((char *)o->user);
	dm__free_secret((char *)o->password);
	dm__free((char *)o->socket);
	dm__free((char *)o->database);
	dm__free((char *)o->ssl_ca);
	dm__free((char *)o->ssl_cert);
	dm__free((char *)o->ssl_key);
	dm__free((char *)o->charset);
	dm__free((char *)o->time_zone);
	dm__free((char *)o->sql_mode);
	if (o->session_vars) {
		dm_db_var *vars = (dm_db_var *)o->session_vars;

		for (i = 0; i < o->n_session_vars; i++) {
			dm__free((char *)vars[i].name);
			dm__free((char *)vars[i].value);
		}
		dm__free(vars);
	}
	memset(o, 0, sizeof(*o));
}

/* Deep copy of the caller's options with defaults filled in. On failure
 * *dst holds what was copied so far, for free_opts. */
static bool copy_opts(dm_db_opts *dst, const dm_db_opts *src)
{
	dm_db_var *vars;
	size_t i;
	bool ok;

	*dst = *src;
	dst->session_vars = NULL;
	dst->n_session_vars = 0;
	if (!dst->host && !dst->socket)
		dst->host = DEFAULT_HOST;
	if (dst->host && !dst->port)
		dst->port = DEFAULT_PORT;
	if (!dst->charset)
		dst->charset = DEFAULT_CHARSET;
	if (!dst->max_allowed_packet)
		dst->max_allowed_packet = DEFAULT_MAX_PACKET;
	if (!dst->connect_timeout)
		dst->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
	if (!dst->read_timeout)
		dst->read_timeout = DEFAULT_RW_TIMEOUT;
	if (!dst->write_timeout)
		dst->write_timeout = DEFAULT_RW_TIMEOUT;
	/* Copy every field, even after a failure, so that free_opts never
	 * sees a pointer it does not own. */
	ok = dup_field(&dst->host);
	ok = dup_field(&dst->user) && ok;
	ok = dup_field(&dst->password) && ok;
	ok = dup_field(&dst->socket) && ok;
	ok = dup_field(&dst->database) && ok;
	ok = dup_field(&dst->ssl_ca) && ok;
	ok = dup_field(&dst->ssl_cert) && ok;
	ok = dup_field(&dst->ssl_key) && ok;
	ok = dup_field(&dst->charset) && ok;
	ok = dup_field(&dst->time_zone) && ok;
	ok = dup_field(&dst->sql_mode) && ok;
	if (!ok || !src->n_session_vars)
		return ok;
	vars = dm__calloc(src->n_session_vars, sizeof(*vars));
	if (!vars)
		return false;
	dst->session_vars = vars;
	dst->n_session_vars = src->n_session_vars;
	for (i = 0; i < src->n_session_vars; i++) {
		vars[i].name = dm__strdup(src->session_vars[i].name);
		vars[i].value = dm__strdup(src->session_vars[i].value);
		if (!vars[i].name || !vars[i].value)
			return false;
	}
	return true;
}

static char *make_addr(const dm_db_opts *o)
{
	dm_buf b = DM_BUF_INIT;
	int rc;

	if (!o->host)
		rc = dm_buf_puts(&b, o->socket);
	else if (strchr(o->host, ':'))
		rc = dm_buf_printf(&b, "[%s]:%u", o->host, o->port);
	else
		rc = dm_buf_printf(&b, "%s:%u", o->host, o->port);
	if (rc) {
		dm_buf_free(&b);
		return NULL;
	}
	return dm_buf_detach(&b);
}

static dm_error_scope scope_for(const dm_db *db, int status)
{
	const dm_error_info *info;

	if (db->opts.scope != DM_ERR_SCOPE_NOT_SET)
		return db->opts.scope;
	info = dm_error_lookup(status);
	return info ? info->scope : DM_ERR_SCOPE_NOT_SET;
}

static const char *user_of(const dm_db *db)
{
	return db->opts.user ? db->opts.user : "";
}

/* Logs `message` with fields naming the server and the account (never the
 * password), then up to two more key/value pairs (key NULL: none). */
static void log_conn(const dm_db *db, dm_log_level level, int line,
		     const char *message, const char *k1, const char *v1,
		     const char *k2, const char *v2)
{
	dm_log_field f[6];
	size_t n = 0;

	if (!dm__log_enabled(db->ctx, level))
		return;
	if (db->opts.host) {
		f[n++] = (dm_log_field){ "host", db->opts.host };
		f[n++] = (dm_log_field){ "port", db->port_text };
	} else {
		f[n++] = (dm_log_field){ "socket", db->opts.socket };
	}
	f[n++] = (dm_log_field){ "user", user_of(db) };
	if (k1)
		f[n++] = (dm_log_field){ k1, v1 };
	if (k2)
		f[n++] = (dm_log_field){ k2, v2 };
	dm__log_fields(db->ctx, level, __FILE__, line, message, f, n);
}

/* ---------------------------------------------------------- connecting */

/* Closes a handle, first wiping the copy of the password libmariadb kept. */
static void close_handle(MYSQL *m)
{
	if (!m)
		return;
	if (m->passwd)
		dm__wipe(m->passwd, strlen(m->passwd));
	if (m->options.password)
		dm__wipe(m->options.password, strlen(m->options.password));
	mysql_close(m);
}

static bool tls_requested(const dm_db_opts *o)
{
	return o->ssl_ca || o->ssl_cert || o->ssl_key;
}

static int set_options(dm_db *db, MYSQL *m, dm_error **err)
{
	const dm_db_opts *o = &db->opts;
	unsigned connect_to = o->connect_timeout, read_to = o->read_timeout;
	unsigned write_to = o->write_timeout, no_infile = 0;
	size_t packet = (size_t)o->max_allowed_packet;
	my_bool off = 0, on = 1, verify = o->ssl_verify ? 1 : 0;
	unsigned proto = o->host ? (unsigned)MYSQL_PROTOCOL_TCP :
				   (unsigned)MYSQL_PROTOCOL_SOCKET;
	bool tls = tls_requested(o);
	const char *what = NULL;

	if (mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect_to))
		what = "connect timeout";
	else if (mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &read_to))
		what = "read timeout";
	else if (mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &write_to))
		what = "write timeout";
	else if (mysql_optionsv(m, MYSQL_SET_CHARSET_NAME, o->charset))
		what = "charset";
	else if (mysql_optionsv(m, MYSQL_OPT_MAX_ALLOWED_PACKET, &packet))
		what = "max_allowed_packet";
	else if (mysql_optionsv(m, MYSQL_OPT_RECONNECT, &off))
		what = "reconnect";
	else if (mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &no_infile))
		what = "local infile";
	else if (mysql_optionsv(m, MYSQL_OPT_PROTOCOL, &proto))
		what = "protocol";
	else if (o->ssl_ca && mysql_optionsv(m, MYSQL_OPT_SSL_CA, o->ssl_ca))
		what = "ssl-ca";
	else if (o->ssl_cert &&
		 mysql_optionsv(m, MYSQL_OPT_SSL_CERT, o->ssl_cert))
		what = "ssl-cert";
	else if (o->ssl_key && mysql_optionsv(m, MYSQL_OPT_SSL_KEY, o->ssl_key))
		what = "ssl-key";
	else if (mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, tls ? &on : &off))
		what = "TLS enforcement";
	else if (mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT,
				tls ? &verify : &off))
		what = "TLS verification";
	if (!what)
		return 0;
	return dm_error_set(err, DM_E_DB_DRIVER_ERROR,
			    "%s: cannot set the %s option", db->addr, what);
}

/* Length of a prefix of sql[0..len) that fits in an error message without
 * splitting a UTF-8 character. */
static size_t sql_prefix(const char *sql, size_t len)
{
	size_t n;

	if (len <= DM__DB_SQL_IN_ERROR)
		return len;
	n = DM__DB_SQL_IN_ERROR;
	while (n > 0 && ((unsigned char)sql[n] & 0xC0) == 0x80)
		n--;
	return n;
}

static int session_setup(dm_db *db, MYSQL *m, bool reconnecting,
			 dm_error **err)
{
	const dm_db_opts *o = &db->opts;
	dm_buf sql = DM_BUF_INIT;
	const char *sep = "SET ";
	size_t i, n;
	unsigned no;
	int rc = 0, status;

	if (o->time_zone) {
		rc = dm_buf_printf(&sql, "%sSESSION time_zone = ", sep);
		if (!rc)
			rc = dm_db_quote_value(&sql, o->time_zone,
					       strlen(o->time_zone), 0);
		sep = ", ";
	}
	if (!rc && o->sql_mode) {
		rc = dm_buf_printf(&sql, "%sSESSION sql_mode = ", sep);
		if (!rc)
			rc = dm_db_quote_value(&sql, o->sql_mode,
					       strlen(o->sql_mode), 0);
		sep = ", ";
	}
	for (i = 0; !rc && i < o->n_session_vars; i++) {
		rc = dm_buf_printf(&sql, "%sSESSION %s = %s", sep,
				   o->session_vars[i].name,
				   o->session_vars[i].value);
		sep = ", ";
	}
	if (rc) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free_sql;
	}
	if (!sql.len || mysql_real_query(m, sql.data, sql.len) == 0)
		goto out_free_sql;
	no = mysql_errno(m);
	status = reconnecting && dm__db_errno_is_conn_lost(no) ?
			 DM_E_DB_BAD_CONN : DM_E_DB_SESSION;
	n = sql_prefix(sql.data, sql.len);
	rc = dm_error_set_db(err, status, scope_for(db, status), no,
			     mysql_sqlstate(m), mysql_error(m), "%s: %.*s%s",
			     db->addr, (int)n, sql.data,
			     n < sql.len ? "..." : "");
out_free_sql:
	dm_buf_free(&sql);
	return rc;
}

static int connect_error(dm_db *db, MYSQL *m, bool reconnecting,
			 dm_error **err)
{
	unsigned no = mysql_errno(m);
	int status = DM_E_DB_CONNECT;
	char errno_text[16];

	if (no == CR_SSL_CONNECTION_ERROR)
		status = DM_E_DB_TLS;
	else if (reconnecting && dm__db_errno_is_conn_lost(no))
		status = DM_E_DB_BAD_CONN;
	snprintf(errno_text, sizeof(errno_text), "%u", no);
	log_conn(db, DM_LOG_WARN, __LINE__, "cannot connect to database",
		 "errno", errno_text, "error", mysql_error(m));
	return dm_error_set_db(err, status, scope_for(db, status), no,
			       mysql_sqlstate(m), mysql_error(m),
			       "%s, user '%s'", db->addr, user_of(db));
}

/* Makes a new connection with the options and session set-up; on success
 * it replaces db->conn (which must be NULL). */
static int db_connect(dm_db *db, bool reconnecting, dm_error **err)
{
	const dm_db_opts *o = &db->opts;
	MYSQL *m;
	char *version;
	int rc;

	m = mysql_init(NULL);
	if (!m)
		return dm_error_set(err, DM_E_NO_MEMORY,
				    "cannot allocate a database handle");
	rc = set_options(db, m, err);
	if (rc)
		goto out_close;
	/* No CLIENT_FOUND_ROWS: affected rows count real changes only.
	 * No CLIENT_MULTI_STATEMENTS: one statement per call. */
	if (!mysql_real_connect(m, o->host, o->user, o->password, o->database,
				o->host ? o->port : 0,
				o->host ? NULL : o->socket, 0)) {
		rc = connect_error(db, m, reconnecting, err);
		goto out_close;
	}
	/* libmariadb falls back to plain text when the server has no TLS and
	 * verification is off; TLS asked for is TLS required. */
	if (tls_requested(o) && !mysql_get_ssl_cipher(m)) {
		rc = dm_error_set_db(err, DM_E_DB_TLS, scope_for(db, DM_E_DB_TLS),
				     0, NULL, NULL,
				     "%s: server does not offer TLS",
				     db->addr);
		goto out_close;
	}
	rc = session_setup(db, m, reconnecting, err);
	if (rc)
		goto out_close;
	version = dm__strdup(mysql_get_server_info(m));
	if (!version) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_close;
	}
	dm__free(db->server_version);
	db->server_version = version;
	db->conn = m;
	db->multi = false;
	db->affected_rows = 0;
	db->last_insert_id = 0;
	log_conn(db, DM_LOG_INFO, __LINE__,
		 reconnecting ? "reconnected to database" :
				"connected to database",
		 "server", version, "tls", mysql_get_ssl_cipher(m) ? "on" : "off");
	return 0;
out_close:
	close_handle(m);
	return rc;
}

static void free_db(dm_db *db)
{
	close_handle(db->conn);
	free_opts(&db->opts);
	dm__free(db->addr);
	dm__free(db->server_version);
	dm__free(db);
}

int dm_db_open(dm_db **out, dm_ctx *ctx, const dm_db_opts *opts,
	       dm_error **err)
{
	dm_db *db;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no place for the database connection");
	*out = NULL;
	rc = dm__db_opts_check(opts, err);
	if (rc)
		return rc;
	db = dm__calloc(1, sizeof(*db));
	if (!db)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	db->ctx = ctx;
	if (!copy_opts(&db->opts, opts) || !(db->addr = make_addr(&db->opts))) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free_db;
	}
	snprintf(db->port_text, sizeof(db->port_text), "%u", db->opts.port);
	rc = db_connect(db, false, err);
	if (rc)
		goto out_free_db;
	*out = db;
	return 0;
out_free_db:
	free_db(db);
	return rc;
}

void dm_db_close(dm_db *db)
{
	if (!db)
		return;
	if (db->conn)
		log_conn(db, DM_LOG_DEBUG, __LINE__,
			 "closing database connection", NULL, NULL, NULL, NULL);
	free_db(db);
}

int dm_db_reconnect(dm_db *db, dm_error **err)
{
	if (!db)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no database connection");
	log_conn(db, DM_LOG_INFO, __LINE__, "reconnecting to database", NULL,
		 NULL, NULL, NULL);
	close_handle(db->conn);
	db->conn = NULL;
	return db_connect(db, true, err);
}

MYSQL *dm__db_handle(dm_db *db)
{
	return db ? db->conn : NULL;
}

const char *dm__db_addr(const dm_db *db)
{
	return db && db->addr ? db->addr : "";
}

void dm__db_disconnect(dm_db *db)
{
	if (!db)
		return;
	close_handle(db->conn);
	db->conn = NULL;
}

/* ----------------------------------------------------------- statements */

static int closed_error(const dm_db *db, dm_error **err)
{
	return dm_error_set_db(err, DM_E_DB_INVALID_CONN,
			       scope_for(db, DM_E_DB_INVALID_CONN), 0, NULL,
			       NULL,
			       "%s: closed after a failed reconnect",
			       db->addr);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The error of the statement that just failed on db->conn. */
static int statement_error(dm_db *db, int status, const char *sql,
			   size_t len, int64_t started_ms, dm_error **err)
{
	MYSQL *m = db->conn;
	unsigned no = mysql_errno(m);
	size_t n = sql_prefix(sql, len);
	char errno_text[16];

	if (dm__db_errno_is_conn_lost(no)) {
		int64_t limit_ms = (int64_t)db->opts.read_timeout * 1000;

		if (no == CR_SERVER_LOST && now_ms() - started_ms >= limit_ms)
			dm_error_set(err, DM_E_TIMEOUT, "%s: read timeout (%u s)",
				     db->addr, db->opts.read_timeout);
		status = DM_E_DB_BAD_CONN;
		snprintf(errno_text, sizeof(errno_text), "%u", no);
		log_conn(db, DM_LOG_WARN, __LINE__, "lost database connection",
			 "errno", errno_text, "error", mysql_error(m));
	}
	return dm_error_set_db(err, status, scope_for(db, status), no,
			       mysql_sqlstate(m), mysql_error(m), "%.*s%s",
			       (int)n, sql, n < len ? "..." : "");
}

/* Reads and drops any further result sets (CALL), keeping the connection
 * in step. Non-zero when one of them failed. */
static int drain_results(MYSQL *m)
{
	int r;

	while (mysql_more_results(m)) {
		r = mysql_next_result(m);
		if (r > 0)
			return r;
		if (r == 0 && mysql_field_count(m) > 0) {
			MYSQL_RES *res = mysql_store_result(m);

			if (!res)
				return 1;
			mysql_free_result(res);
		}
	}
	return 0;
}

static int check_call(const dm_db *db, const char *sql, dm_error **err)
{
	if (!db || !sql)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no database connection or statement");
	if (!db->conn)
		return closed_error(db, err);
	return 0;
}

/* Runs one statement. Its result set, if any, is handed to *keep when keep
 * is not NULL and discarded otherwise; failures become `status` errors. */
static int run_statement(dm_db *db, const char *sql, size_t len,
			 MYSQL_RES **keep, int status, dm_error **err)
{
	MYSQL_RES *res = NULL;
	int64_t started;
	int rc;

	if (keep)
		*keep = NULL;
	rc = check_call(db, sql, err);
	if (rc)
		return rc;
	started = now_ms();
	if (mysql_real_query(db->conn, sql, len))
		goto out_error;
	if (mysql_field_count(db->conn) > 0) {
		res = mysql_store_result(db->conn);
		if (!res)
			goto out_error;
	}
	db->affected_rows = mysql_affected_rows(db->conn);
	db->last_insert_id = mysql_insert_id(db->conn);
	if (drain_results(db->conn))
		goto out_error;
	if (keep)
		*keep = res;
	else if (res)
		mysql_free_result(res);
	return 0;
out_error:
	if (res)
		mysql_free_result(res);
	return statement_error(db, status, sql, len, started, err);
}

int dm_db_exec(dm_db *db, const char *sql, size_t len, dm_error **err)
{
	return run_statement(db, sql, len, NULL, DM_E_DB_EXECUTE_FAILED, err);
}

int dm_db_exec_multi(dm_db *db, const char *sql, size_t len, size_t *done,
		     dm_error **err)
{
	uint64_t affected = 0;
	size_t n = 0;
	int64_t started;
	int rc, r;

	if (done)
		*done = 0;
	rc = check_call(db, sql, err);
	if (rc)
		return rc;
	started = now_ms();
	if (!db->multi) {
		if (mysql_set_server_option(db->conn,
					    MYSQL_OPTION_MULTI_STATEMENTS_ON))
			goto out_error;
		db->multi = true;
	}
	if (mysql_real_query(db->conn, sql, len))
		goto out_error;
	for (;;) {
		if (mysql_field_count(db->conn) > 0) {
			MYSQL_RES *res = mysql_store_result(db->conn);

			if (!res)
				goto out_error;
			mysql_free_result(res);
		} else {
			affected += mysql_affected_rows(db->conn);
		}
		n++;
		r = mysql_next_result(db->conn);
		if (r > 0)
			goto out_error;
		if (r < 0)
			break;
	}
	db->affected_rows = affected;
	db->last_insert_id = mysql_insert_id(db->conn);
	if (done)
		*done = n;
	return 0;
out_error:
	if (done)
		*done = n;
	return statement_error(db, DM_E_DB_EXECUTE_FAILED, sql, len, started,
			       err);
}

uint64_t dm_db_affected_rows(const dm_db *db)
{
	return db ? db->affected_rows : 0;
}

uint64_t dm_db_last_insert_id(const dm_db *db)
{
	return db ? db->last_insert_id : 0;
}

int dm_db_begin(dm_db *db, dm_error **err)
{
	return dm_db_exec(db, "BEGIN", 5, err);
}

int dm_db_commit(dm_db *db, dm_error **err)
{
	return dm_db_exec(db, "COMMIT", 6, err);
}

int dm_db_rollback(dm_db *db, dm_error **err)
{
	return dm_db_exec(db, "ROLLBACK", 8, err);
}

int dm_db_ping(dm_db *db, dm_error **err)
{
	int rc = check_call(db, "", err);

	if (rc)
		return rc;
	if (mysql_ping(db->conn) == 0)
		return 0;
	return statement_error(db, DM_E_DB_BAD_CONN, "", 0, now_ms(), err);
}

/* -------------------------------------------------------------- queries */

int dm_db_query(dm_db *db, dm_db_result **out, const char *sql, size_t len,
		dm_error **err)
{
	dm_db_result *res;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no place for the result");
	*out = NULL;
	res = dm__calloc(1, sizeof(*res));
	if (!res)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	rc = run_statement(db, sql, len, &res->res, DM_E_DB_QUERY_FAILED, err);
	if (rc) {
		dm__free(res);
		return rc;
	}
	if (res->res) {
		res->ncols = mysql_num_fields(res->res);
		res->nrows = mysql_num_rows(res->res);
	}
	*out = res;
	return 0;
}

size_t dm_db_result_ncols(const dm_db_result *res)
{
	return res ? res->ncols : 0;
}

uint64_t dm_db_result_nrows(const dm_db_result *res)
{
	return res ? res->nrows : 0;
}

const char *dm_db_result_col_name(const dm_db_result *res, size_t col)
{
	MYSQL_FIELD *f;

	if (!res || col >= res->ncols)
		return NULL;
	f = mysql_fetch_field_direct(res->res, (unsigned)col);
	return f ? f->name : NULL;
}

int dm_db_result_next(dm_db_result *res)
{
	if (!res || !res->res)
		return DM_DONE;
	res->row = mysql_fetch_row(res->res);
	if (!res->row) {
		res->lengths = NULL;
		return DM_DONE;
	}
	res->lengths = mysql_fetch_lengths(res->res);
	return 0;
}

const char *dm_db_result_value(const dm_db_result *res, size_t col,
			       size_t *len)
{
	if (len)
		*len = 0;
	if (!res || !res->row || col >= res->ncols || !res->row[col])
		return NULL;
	if (len)
		*len = res->lengths ? res->lengths[col] : strlen(res->row[col]);
	return res->row[col];
}

void dm_db_result_free(dm_db_result *res)
{
	if (!res)
		return;
	if (res->res)
		mysql_free_result(res->res);
	dm__free(res);
}

int dm_db_query_value(dm_db *db, dm_buf *out, bool *is_null,
		      const char *sql, dm_error **err)
{
	dm_db_result *res;
	const char *v;
	size_t n;
	int rc;

	if (is_null)
		*is_null = false;
	if (!out || !sql)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no buffer or statement");
	rc = dm_db_query(db, &res, sql, strlen(sql), err);
	if (rc)
		return rc;
	rc = dm_db_result_ncols(res) ? dm_db_result_next(res) : DM_DONE;
	if (rc)
		goto out_free_res;
	v = dm_db_result_value(res, 0, &n);
	if (!v) {
		if (is_null)
			*is_null = true;
	} else if (dm_buf_append(out, v, n)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
out_free_res:
	dm_db_result_free(res);
	return rc;
}

/* --------------------------------------------------------------- server */

const char *dm_db_server_version(const dm_db *db)
{
	return db && db->server_version ? db->server_version : "";
}

bool dm_db_is_mariadb(const dm_db *db)
{
	return strcasestr(dm_db_server_version(db), "mariadb") != NULL;
}
