/* SPDX-License-Identifier: Apache-2.0 */
#include "dm/err.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dm/util.h"
#include "util/alloc.h"

enum {
#define DM_ERR(id, code, cls, scope, level, name, msg, work) ROW_##id,
#include "dm/err_codes.def"
#undef DM_ERR
	ROW_COUNT
};

static const dm_error_info catalog[] = {
#define DM_ERR(id, code, cls, scope, level, name, msg, work)                \
	{ code, name, DM_ERR_CLASS_##cls, DM_ERR_SCOPE_##scope,             \
	  DM_ERR_LEVEL_##level, msg, work },
#include "dm/err_codes.def"
#undef DM_ERR
};

struct dm_error {
	atomic_uint refs; /* 0: the static out-of-memory error */
	const dm_error_info *info;
	dm_error_scope scope;
	unsigned server_errno;
	char sqlstate[6];
	const char *message;   /* catalog phrase [+ ": " + detail] */
	const char *raw_cause; /* server's words, or NULL */
	dm_error *cause;
};

static dm_error oom_error = {
	0, &catalog[ROW_NO_MEMORY], DM_ERR_SCOPE_INTERNAL, 0, "", "out of memory",
	NULL, NULL
};

static const char *const class_names[] = {
	[DM_ERR_CLASS_NOT_SET] = "not-set",
	[DM_ERR_CLASS_DATABASE] = "database",
	[DM_ERR_CLASS_FUNCTIONAL] = "functional",
	[DM_ERR_CLASS_BINLOG_OP] = "binlog-op",
	[DM_ERR_CLASS_CONFIG] = "config",
	[DM_ERR_CLASS_CHECKPOINT] = "checkpoint",
	[DM_ERR_CLASS_TASK_CHECK] = "task-check",
	[DM_ERR_CLASS_RELAY_EVENT_LIB] = "relay-event-lib",
	[DM_ERR_CLASS_RELAY_UNIT] = "relay-unit",
	[DM_ERR_CLASS_DUMP_UNIT] = "dump-unit",
	[DM_ERR_CLASS_LOAD_UNIT] = "load-unit",
	[DM_ERR_CLASS_SYNC_UNIT] = "sync-unit",
	[DM_ERR_CLASS_DM_MASTER] = "dm-master",
	[DM_ERR_CLASS_DM_WORKER] = "dm-worker",
	[DM_ERR_CLASS_DM_TRACER] = "dm-tracer",
	[DM_ERR_CLASS_SCHEMA_TRACKER] = "schema-tracker",
	[DM_ERR_CLASS_SCHEDULER] = "scheduler",
	[DM_ERR_CLASS_DMCTL] = "dmctl",
	[DM_ERR_CLASS_OPENAPI] = "openapi",
	[DM_ERR_CLASS_HA] = "ha",
	[DM_ERR_CLASS_VALIDATOR] = "validator",
};

static const char *const scope_names[] = { "not-set", "upstream", "downstream",
					   "internal" };
static const char *const level_names[] = { "low", "medium", "high" };

const dm_error_info *dm_error_catalog(size_t *count)
{
	if (count)
		*count = ROW_COUNT;
	return catalog;
}

const dm_error_info *dm_error_lookup(int code)
{
	size_t i;

	if (code < 0)
		code = -code;
	for (i = 0; i < ROW_COUNT; i++)
		if (catalog[i].code == code)
			return &catalog[i];
	return NULL;
}

const char *dm_error_class_name(dm_error_class cls)
{
	if ((unsigned)cls >= sizeof(class_names) / sizeof(class_names[0]))
		return "unknown";
	return class_names[cls];
}

const char *dm_error_scope_name(dm_error_scope scope)
{
	if ((unsigned)scope >= 4)
		return "unknown";
	return scope_names[scope];
}

const char *dm_error_level_name(dm_error_level level)
{
	if ((unsigned)level >= 3)
		return "unknown";
	return level_names[level];
}

/* Builds the error; on any allocation failure returns the static OOM error
 * (the would-be cause is released then, as nothing can hold it). */
static dm_error *build(const dm_error_info *info, int status, dm_error *cause,
		       const char *raw, const char *fmt, va_list ap)
	DM_PRINTF(5, 0);

static dm_error *build(const dm_error_info *info, int status, dm_error *cause,
		       const char *raw, const char *fmt, va_list ap)
{
	dm_buf msg = DM_BUF_INIT;
	dm_error *e;
	size_t rawlen = raw ? strlen(raw) + 1 : 0;
	int rc;

	rc = dm_buf_puts(&msg, info->message);
	if (!rc && info == &catalog[ROW_INTERNAL] && -status != info->code)
		rc = dm_buf_printf(&msg, " (unknown error code %d)", -status);
	if (!rc && fmt && *fmt) {
		dm_buf detail = DM_BUF_INIT;

		rc = dm_buf_vprintf(&detail, fmt, ap);
		if (!rc && detail.len)
			rc = dm_buf_printf(&msg, "%s%s",
					   msg.len ? ": " : "", detail.data);
		dm_buf_free(&detail);
	}
	e = rc ? NULL : dm__malloc(sizeof(*e) + msg.len + 1 + rawlen);
	if (!e) {
		dm_buf_free(&msg);
		dm_error_free(cause);
		return &oom_error;
	}
	atomic_init(&e->refs, 1);
	e->info = info;
	e->scope = info->scope;
	e->server_errno = 0;
	e->sqlstate[0] = '\0';
	memcpy((char *)(e + 1), msg.data, msg.len + 1);
	e->message = (char *)(e + 1);
	e->raw_cause = NULL;
	if (raw) {
		char *r = (char *)(e + 1) + msg.len + 1;

		memcpy(r, raw, rawlen);
		e->raw_cause = r;
	}
	e->cause = cause;
	dm_buf_free(&msg);
	return e;
}

static const dm_error_info *info_for(int status)
{
	const dm_error_info *info = status < 0 ? dm_error_lookup(status) : NULL;

	return info ? info : &catalog[ROW_INTERNAL];
}

int dm_error_setv(dm_error **err, int status, const char *fmt, va_list ap)
{
	if (status >= 0)
		status = DM_E_INTERNAL;
	if (!err)
		return status;
	*err = build(info_for(status), status, *err, NULL, fmt, ap);
	return status;
}

int dm_error_set(dm_error **err, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status = dm_error_setv(err, status, fmt, ap);
	va_end(ap);
	return status;
}

int dm_error_set_db(dm_error **err, int status, dm_error_scope scope,
		    unsigned server_errno, const char *sqlstate,
		    const char *raw_cause, const char *fmt, ...)
{
	va_list ap;
	dm_error *e;

	if (status >= 0)
		status = DM_E_INTERNAL;
	if (!err)
		return status;
	va_start(ap, fmt);
	e = build(info_for(status), status, *err, raw_cause, fmt, ap);
	va_end(ap);
	if (e != &oom_error) {
		e->scope = scope;
		e->server_errno = server_errno;
		if (sqlstate) {
			size_t n = strnlen(sqlstate, sizeof(e->sqlstate) - 1);

			memcpy(e->sqlstate, sqlstate, n);
			e->sqlstate[n] = '\0';
		}
	}
	*err = e;
	return status;
}

int dm_error_code(const dm_error *e)
{
	return e ? e->info->code : 0;
}

int dm_error_status(const dm_error *e)
{
	return e ? -e->info->code : 0;
}

const dm_error_info *dm_error_info_of(const dm_error *e)
{
	return e ? e->info : NULL;
}

dm_error_class dm_error_get_class(const dm_error *e)
{
	return e ? e->info->cls : DM_ERR_CLASS_NOT_SET;
}

dm_error_scope dm_error_get_scope(const dm_error *e)
{
	return e ? e->scope : DM_ERR_SCOPE_NOT_SET;
}

dm_error_level dm_error_get_level(const dm_error *e)
{
	return e ? e->info->level : DM_ERR_LEVEL_LOW;
}

const char *dm_error_message(const dm_error *e)
{
	return e ? e->message : "";
}

const char *dm_error_workaround(const dm_error *e)
{
	return e ? e->info->workaround : "";
}

const char *dm_error_raw_cause(const dm_error *e)
{
	return e && e->raw_cause ? e->raw_cause : "";
}

const dm_error *dm_error_cause(const dm_error *e)
{
	return e ? e->cause : NULL;
}

unsigned dm_error_server_errno(const dm_error *e)
{
	return e ? e->server_errno : 0;
}

const char *dm_error_sqlstate(const dm_error *e)
{
	return e ? e->sqlstate : "";
}

const dm_error *dm_error_find(const dm_error *e, int status)
{
	for (; e; e = e->cause)
		if (-e->info->code == status || e->info->code == status)
			return e;
	return NULL;
}

int dm_error_format(dm_buf *out, const dm_error *e, unsigned flags)
{
	int rc;

	if (!e)
		return dm_buf_puts(out, "no error");
	rc = dm_buf_printf(out, "[code=%d:class=%s:scope=%s:level=%s] %s",
			   e->info->code, dm_error_class_name(e->info->cls),
			   dm_error_scope_name(e->scope),
			   dm_error_level_name(e->info->level), e->message);
	if (!rc && (flags & DM_ERROR_FORMAT_CAUSE)) {
		if (e->raw_cause)
			rc = dm_buf_printf(out, ", RawCause: %s", e->raw_cause);
		if (!rc && e->cause) {
			rc = dm_buf_puts(out, ", RawCause: ");
			if (!rc)
				rc = dm_error_format(out, e->cause,
						     DM_ERROR_FORMAT_CAUSE);
		}
	}
	if (!rc && (flags & DM_ERROR_FORMAT_WORKAROUND) &&
	    e->info->workaround[0])
		rc = dm_buf_printf(out, ", Workaround: %s", e->info->workaround);
	return rc;
}

dm_error *dm_error_ref(const dm_error *ce)
{
	dm_error *e = (dm_error *)ce;

	if (e && atomic_load_explicit(&e->refs, memory_order_relaxed) != 0)
		atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
	return e;
}

void dm_error_free(dm_error *e)
{
	while (e) {
		dm_error *cause = e->cause;

		if (atomic_load_explicit(&e->refs, memory_order_acquire) == 0)
			return; /* static */
		if (atomic_fetch_sub_explicit(&e->refs, 1,
					      memory_order_acq_rel) != 1)
			return;
		dm__free(e);
		e = cause;
	}
}
