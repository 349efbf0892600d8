/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Errors: int statuses to branch on and immutable dm_error objects for
 * people, with DM's codes, classes, scopes and levels.
 * See dm_error(3) and libdm-errors(7).
 */
#ifndef DM_ERR_H
#define DM_ERR_H

#include <stddef.h>
#include <stdarg.h>

#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

struct dm_buf;

/* Statuses that are not errors. Errors are negative: -(DM error code). */
enum {
	DM_OK = 0,
	DM_DONE = 1 /* end of stream, nothing more to read */
};

/* One constant per catalog row: DM_E_<NAME> = -(code). */
enum dm_error_status {
#define DM_ERR(id, code, cls, scope, level, name, msg, work) DM_E_##id = -(code),
#include "err_codes.def"
#undef DM_ERR
	DM_E__LAST_ = -2147483647 /* not an error; keeps the enum signed */
};

typedef enum dm_error_class {
	DM_ERR_CLASS_NOT_SET = 0,
	DM_ERR_CLASS_DATABASE,
	DM_ERR_CLASS_FUNCTIONAL,
	DM_ERR_CLASS_BINLOG_OP,
	DM_ERR_CLASS_CONFIG,
	DM_ERR_CLASS_CHECKPOINT,
	DM_ERR_CLASS_TASK_CHECK,
	DM_ERR_CLASS_RELAY_EVENT_LIB,
	DM_ERR_CLASS_RELAY_UNIT,
	DM_ERR_CLASS_DUMP_UNIT,
	DM_ERR_CLASS_LOAD_UNIT,
	DM_ERR_CLASS_SYNC_UNIT,
	DM_ERR_CLASS_DM_MASTER,
	DM_ERR_CLASS_DM_WORKER,
	DM_ERR_CLASS_DM_TRACER,
	DM_ERR_CLASS_SCHEMA_TRACKER,
	DM_ERR_CLASS_SCHEDULER,
	DM_ERR_CLASS_DMCTL,
	DM_ERR_CLASS_OPENAPI,
	DM_ERR_CLASS_HA,
	DM_ERR_CLASS_VALIDATOR
} dm_error_class;

typedef enum dm_error_scope {
	DM_ERR_SCOPE_NOT_SET = 0,
	DM_ERR_SCOPE_UPSTREAM,
	DM_ERR_SCOPE_DOWNSTREAM,
	DM_ERR_SCOPE_INTERNAL
} dm_error_scope;

typedef enum dm_error_level {
	DM_ERR_LEVEL_LOW = 0,
	DM_ERR_LEVEL_MEDIUM,
	DM_ERR_LEVEL_HIGH
} dm_error_level;

/* One row of the catalog; rows are static and live forever. */
typedef struct dm_error_info {
	int code;               /* positive DM code, e.g. 36027 */
	const char *name;       /* DM's name, e.g. "ErrSyncerUnitDMLColumnNotMatch" */
	dm_error_class cls;
	dm_error_scope scope;   /* default scope; an error may override it */
	dm_error_level level;
	const char *message;    /* fixed phrase; details follow after ": " */
	const char *workaround; /* "" when none */
} dm_error_info;

typedef struct dm_error dm_error;

/* Catalog. */
DM_API const dm_error_info *dm_error_lookup(int code);
DM_API const dm_error_info *dm_error_catalog(size_t *count);
DM_API const char *dm_error_class_name(dm_error_class cls);
DM_API const char *dm_error_scope_name(dm_error_scope scope);
DM_API const char *dm_error_level_name(dm_error_level level);

/* Creating. Each returns `status` (negative) so callers can write
 * `return dm_error_set(err, DM_E_X, "...")`. `err` may be NULL. A non-NULL
 * *err is kept as the cause of the new error. */
DM_API int dm_error_set(dm_error **err, int status, const char *fmt, ...)
	DM_PRINTF(3, 4);
DM_API int dm_error_setv(dm_error **err, int status, const char *fmt,
			 va_list ap) DM_PRINTF(3, 0);
/* For errors a server reported: keeps its errno, SQLSTATE and own words
 * (raw_cause, may be NULL), and sets the scope. */
DM_API int dm_error_set_db(dm_error **err, int status, dm_error_scope scope,
			   unsigned server_errno, const char *sqlstate,
			   const char *raw_cause, const char *fmt, ...)
	DM_PRINTF(7, 8);

/* Reading. */
DM_API int dm_error_code(const dm_error *e);   /* positive code */
DM_API int dm_error_status(const dm_error *e); /* -code */
DM_API const dm_error_info *dm_error_info_of(const dm_error *e);
DM_API dm_error_class dm_error_get_class(const dm_error *e);
DM_API dm_error_scope dm_error_get_scope(const dm_error *e);
DM_API dm_error_level dm_error_get_level(const dm_error *e);
DM_API const char *dm_error_message(const dm_error *e);
DM_API const char *dm_error_workaround(const dm_error *e);
DM_API const char *dm_error_raw_cause(const dm_error *e); /* "" when none */
DM_API const dm_error *dm_error_cause(const dm_error *e);
DM_API unsigned dm_error_server_errno(const dm_error *e);
DM_API const char *dm_error_sqlstate(const dm_error *e);
DM_API const dm_error *dm_error_find(const dm_error *e, int status);

/* Formatting: appends DM's one-line shape to `out`. */
#define DM_ERROR_FORMAT_CAUSE 0x1u      /* ", RawCause: ..." */
#define DM_ERROR_FORMAT_WORKAROUND 0x2u /* ", Workaround: ..." */
#define DM_ERROR_FORMAT_FULL (DM_ERROR_FORMAT_CAUSE | DM_ERROR_FORMAT_WORKAROUND)
DM_API int dm_error_format(struct dm_buf *out, const dm_error *e,
			   unsigned flags);

/* Lifetime: errors are immutable and reference counted. */
DM_API dm_error *dm_error_ref(const dm_error *e);
DM_API void dm_error_free(dm_error *e);

#ifdef __cplusplus
}
#endif

#endif
