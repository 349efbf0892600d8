/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which database errors are worth retrying, following DM: a lost
 * connection (reset it, then retry), MySQL's deadlock, and TiDB's transient
 * errors as TiDB's own dbutil.IsRetryableError lists them. Lock wait
 * timeouts (1205), duplicate keys and everything else are not retried.
 * The lists are documented in dm_db(3); keep the page in step.
 */
#include <string.h>

#include "db/db_private.h"

bool dm__db_errno_is_conn_lost(unsigned server_errno)
{
	switch (server_errno) {
	case 1053: /* ER_SERVER_SHUTDOWN */
	case 1927: /* ER_CONNECTION_KILLED (MariaDB) */
	case 2002: /* CR_CONNECTION_ERROR */
	case 2003: /* CR_CONN_HOST_ERROR */
	case 2006: /* CR_SERVER_GONE_ERROR */
	case 2013: /* CR_SERVER_LOST */
	case 2055: /* CR_SERVER_LOST_EXTENDED */
	case 4031: /* ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8.0.24+) */
		return true;
	default:
		return false;
	}
}

bool dm_db_errno_is_retryable(unsigned server_errno)
{
	if (dm__db_errno_is_conn_lost(server_errno))
		return true;
	switch (server_errno) {
	case 1213: /* ER_LOCK_DEADLOCK */
	case 8005: /* TiDB ErrWriteConflictInTiDB */
	case 8022: /* TiDB ErrTxnRetryable */
	case 8027: /* TiDB ErrInfoSchemaExpired */
	case 8028: /* TiDB ErrInfoSchemaChanged */
	case 8245: /* TiDB ErrColumnInChange */
	case 9001: /* TiDB ErrPDServerTimeout */
	case 9003: /* TiDB ErrTiKVServerBusy */
	case 9004: /* TiDB ErrResolveLockTimeout */
	case 9007: /* TiDB ErrWriteConflict */
		return true;
	default:
		return false;
	}
}

/* Errors made while opening a connection say why it could not be made;
 * their errno (2003 refused, 1045 denied...) is not a reason to retry. */
static bool is_open_failure(const dm_error *e)
{
	int status = dm_error_status(e);

	return status == DM_E_DB_CONNECT || status == DM_E_DB_TLS;
}

static bool node_is_conn_lost(const dm_error *e)
{
	int status = dm_error_status(e);

	if (status == DM_E_DB_BAD_CONN || status == DM_E_DB_INVALID_CONN)
		return true;
	return !is_open_failure(e) &&
	       dm__db_errno_is_conn_lost(dm_error_server_errno(e));
}

bool dm_db_error_is_conn_lost(const dm_error *e)
{
	for (; e; e = dm_error_cause(e))
		if (node_is_conn_lost(e))
			return true;
	return false;
}

/* Old TiDB versions report schema changes as 1105 ErrUnknown. */
static bool says_schema_changed(const char *text)
{
	return strstr(text, "Information schema is out of date") != NULL ||
	       strstr(text, "Information schema is changed") != NULL;
}

static bool is_retryable_1105(const dm_error *e)
{
	return says_schema_changed(dm_error_raw_cause(e)) ||
	       says_schema_changed(dm_error_message(e));
}

bool dm_db_error_is_retryable(const dm_error *e)
{
	for (; e; e = dm_error_cause(e)) {
		unsigned no = dm_error_server_errno(e);

		if (node_is_conn_lost(e))
			return true;
		if (is_open_failure(e) || no == 0)
			continue;
		if (dm_db_errno_is_retryable(no))
			return true;
		if (no == 1105 && is_retryable_1105(e))
			return true;
	}
	return false;
}
