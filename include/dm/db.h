/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Database access over libmariadb: connections with TLS and session set-up,
 * queries and statements whose errors keep the server's errno and SQLSTATE,
 * retry classification, reconnect, and SQL quoting. See dm_db(3).
 */
#ifndef DM_DB_H
#define DM_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One session variable set after connecting: SET SESSION name = value.
 * `value` is SQL text as written in the config (e.g. "'UTC'", "1"). */
typedef struct dm_db_var {
	const char *name;
	const char *value;
} dm_db_var;

typedef struct dm_db_opts {
	unsigned version;          /* 1 */
	const char *host;          /* default "127.0.0.1" */
	unsigned port;             /* default 3306 */
	const char *user;
	const char *password;      /* copied, wiped on free, never logged */
	const char *socket;        /* unix socket; used when host is NULL */
	const char *database;      /* default schema, may be NULL */
	/* TLS: any of ssl_ca, ssl_cert, ssl_key set turns TLS on. */
	const char *ssl_ca;
	const char *ssl_cert;
	const char *ssl_key;
	bool ssl_verify;           /* verify the server certificate and name */
	/* Session. NULL keeps the server default. */
	const char *charset;       /* default "utf8mb4" */
	const char *time_zone;     /* e.g. "+00:00" */
	const char *sql_mode;
	uint64_t max_allowed_packet; /* 0: libmariadb's default (raised to 64 MiB) */
	const dm_db_var *session_vars;
	size_t n_session_vars;
	/* Timeouts in seconds; 0: connect 10, read 3600, write 3600. */
	unsigned connect_timeout;
	unsigned read_timeout;
	unsigned write_timeout;
	/* Which side this is, for the scope of errors. */
	dm_error_scope scope;      /* DM_ERR_SCOPE_UPSTREAM / _DOWNSTREAM */
} dm_db_opts;

#define DM_DB_OPTS_INIT { 1, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, \
			  NULL, false, NULL, NULL, NULL, 0, NULL, 0, 0, 0, 0, \
			  DM_ERR_SCOPE_NOT_SET }

typedef struct dm_db dm_db;
typedef struct dm_db_result dm_db_result;

/* Connections. `ctx` is retained (must outlive the connection). */
DM_API int dm_db_open(dm_db **out, dm_ctx *ctx, const dm_db_opts *opts,
		      dm_error **err);
DM_API void dm_db_close(dm_db *db);
DM_API int dm_db_ping(dm_db *db, dm_error **err);
/* Drops the connection and connects again with the same options and
 * session set-up. */
DM_API int dm_db_reconnect(dm_db *db, dm_error **err);

/* Statements. dm_db_exec runs statements that return no rows. */
DM_API int dm_db_exec(dm_db *db, const char *sql, size_t len, dm_error **err);
/* Runs several statements separated by ';' in one round trip; *done (may
 * be NULL) gets how many succeeded, so on failure statement *done (0-based)
 * is the one that failed and none after it ran. Affected rows are summed. */
DM_API int dm_db_exec_multi(dm_db *db, const char *sql, size_t len,
			    size_t *done, dm_error **err);
DM_API uint64_t dm_db_affected_rows(const dm_db *db);
DM_API uint64_t dm_db_last_insert_id(const dm_db *db);
/* Transactions (BEGIN / COMMIT / ROLLBACK). */
DM_API int dm_db_begin(dm_db *db, dm_error **err);
DM_API int dm_db_commit(dm_db *db, dm_error **err);
DM_API int dm_db_rollback(dm_db *db, dm_error **err);

/* Queries: the whole result is fetched before dm_db_query returns; the
 * connection is then free for other statements. */
DM_API int dm_db_query(dm_db *db, dm_db_result **out, const char *sql,
		       size_t len, dm_error **err);
DM_API size_t dm_db_result_ncols(const dm_db_result *res);
DM_API uint64_t dm_db_result_nrows(const dm_db_result *res);
DM_API const char *dm_db_result_col_name(const dm_db_result *res, size_t col);
/* Moves to the next row: 0, or DM_DONE after the last one. */
DM_API int dm_db_result_next(dm_db_result *res);
/* The current row's value; NULL for SQL NULL. Borrowed until the next
 * dm_db_result_next or dm_db_result_free. `len` may be NULL. */
DM_API const char *dm_db_result_value(const dm_db_result *res, size_t col,
				      size_t *len);
DM_API void dm_db_result_free(dm_db_result *res);

/* Convenience: first column of the first row into `out` (appended);
 * DM_DONE when there is no row, *is_null set for SQL NULL. */
DM_API int dm_db_query_value(dm_db *db, dm_buf *out, bool *is_null,
			     const char *sql, dm_error **err);

/* Errors: is this error worth retrying on the same or a new connection? */
DM_API bool dm_db_error_is_retryable(const dm_error *e);
/* Is it a lost connection (reconnect, then retry)? */
DM_API bool dm_db_error_is_conn_lost(const dm_error *e);
DM_API bool dm_db_errno_is_retryable(unsigned server_errno);

/* Quoting. Identifiers: backticks, inner backticks doubled. Values: a
 * string literal that the server reads back as the same bytes, for any
 * byte sequence, with or without NO_BACKSLASH_ESCAPES in sql_mode. */
#define DM_DB_QUOTE_BINARY 0x1u /* emit _binary prefix: no charset check */
DM_API int dm_db_quote_ident(dm_buf *out, const char *name, size_t len);
DM_API int dm_db_quote_value(dm_buf *out, const void *data, size_t len,
			     unsigned flags);

/* The server this connection talks to. */
DM_API const char *dm_db_server_version(const dm_db *db);
DM_API bool dm_db_is_mariadb(const dm_db *db);

#ifdef __cplusplus
}
#endif

#endif
