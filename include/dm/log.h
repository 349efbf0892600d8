/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The library context and logging. The library never writes to stdout or
 * stderr: it hands records to the context's callback. See dm_ctx(3) and
 * dm_log(3).
 */
#ifndef DM_LOG_H
#define DM_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dm_log_level {
	DM_LOG_OFF = 0,
	DM_LOG_ERROR,
	DM_LOG_WARN,
	DM_LOG_INFO,
	DM_LOG_DEBUG
} dm_log_level;

typedef struct dm_log_field {
	const char *key;
	const char *value;
} dm_log_field;

/* Handed to the callback; valid only during the call. May grow at the end. */
typedef struct dm_log_record {
	unsigned version;        /* 1 */
	dm_log_level level;
	int64_t time_us;         /* wall clock, microseconds since the epoch */
	const char *file;        /* source file base name, e.g. "syncer.c" */
	int line;
	const char *message;     /* stable English, no secrets */
	const dm_log_field *fields;
	size_t nfields;
} dm_log_record;

typedef void (*dm_log_fn)(const dm_log_record *rec, void *userdata);

typedef struct dm_ctx dm_ctx;

DM_API int dm_ctx_new(dm_ctx **out, dm_error **err);
DM_API void dm_ctx_free(dm_ctx *ctx);
/* Set the logger before the context is shared between threads. */
DM_API void dm_ctx_set_logger(dm_ctx *ctx, dm_log_fn fn, void *userdata);
DM_API void dm_ctx_set_log_level(dm_ctx *ctx, dm_log_level level);
DM_API dm_log_level dm_ctx_log_level(const dm_ctx *ctx);

DM_API const char *dm_log_level_name(dm_log_level level);
DM_API int dm_log_level_parse(dm_log_level *out, const char *name,
			      dm_error **err);
/* Appends DM's log line for `rec` (with a trailing newline) to `out`. */
DM_API int dm_log_format(dm_buf *out, const dm_log_record *rec);

/* A ready-made logger writing DM-style lines to a file or stderr. */
typedef struct dm_log_file dm_log_file;
DM_API int dm_log_file_open(dm_log_file **out, const char *path,
			    dm_error **err);
DM_API void dm_log_file_close(dm_log_file *lf);
/* A dm_log_fn; pass the dm_log_file as userdata. Thread-safe. */
DM_API void dm_log_file_write(const dm_log_record *rec, void *userdata);

#ifdef __cplusplus
}
#endif

#endif
