/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/db internals shared between its files and its unit tests.
 */
#ifndef DM_LIB_DB_PRIVATE_H
#define DM_LIB_DB_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include <mysql.h>

#include "dm/db.h"

/* At most this many bytes of a failed statement go into an error message. */
#define DM__DB_SQL_IN_ERROR 256

/* Checks options without connecting: DM_E_INVALID_ARGUMENT with the reason. */
int dm__db_opts_check(const dm_db_opts *opts, dm_error **err);

/* Is `errno` one a server or libmariadb reports when the connection is
 * gone (or, for 2002/2003, cannot be made again)? */
bool dm__db_errno_is_conn_lost(unsigned server_errno);

/* Is s[0..len) well-formed UTF-8 (no overlongs, no surrogates, at most
 * U+10FFFF)? */
bool dm__db_utf8_valid(const unsigned char *s, size_t len);

/* The connection's libmariadb handle, borrowed, for code that speaks a
 * protocol dm_db does not (the binlog stream); NULL while disconnected. */
MYSQL *dm__db_handle(dm_db *db);
/* "host:port" or the socket path, for messages; lives as long as db. */
const char *dm__db_addr(const dm_db *db);
/* Closes the connection (wiping libmariadb's password copies) and keeps
 * the object, so that dm_db_reconnect can make it again. */
void dm__db_disconnect(dm_db *db);

#endif
