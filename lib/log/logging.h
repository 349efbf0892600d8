/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging inside lib/. Fields come as a NULL-terminated list of key, value
 * string pairs; values are formatted by the caller and must hold no secret.
 *
 *   dm__info(ctx, "flushed checkpoint", "task", name, "pos", pos);
 *
 * The level is checked before any argument is touched beyond evaluation.
 */
#ifndef DM_LIB_LOGGING_H
#define DM_LIB_LOGGING_H

#include <stdbool.h>

#include "dm/log.h"

bool dm__log_enabled(const dm_ctx *ctx, dm_log_level level);
void dm__log(const dm_ctx *ctx, dm_log_level level, const char *file,
	     int line, const char *message, ...);
void dm__log_fields(const dm_ctx *ctx, dm_log_level level, const char *file,
		    int line, const char *message, const dm_log_field *fields,
		    size_t nfields);

#define DM__LOG(ctx, level, ...)                                              \
	do {                                                                  \
		if (dm__log_enabled((ctx), (level)))                          \
			dm__log((ctx), (level), __FILE__, __LINE__,           \
				__VA_ARGS__, (const char *)NULL);             \
	} while (0)

#define dm__error(ctx, ...) DM__LOG(ctx, DM_LOG_ERROR, __VA_ARGS__)
#define dm__warn(ctx, ...) DM__LOG(ctx, DM_LOG_WARN, __VA_ARGS__)
#define dm__info(ctx, ...) DM__LOG(ctx, DM_LOG_INFO, __VA_ARGS__)
#define dm__debug(ctx, ...) DM__LOG(ctx, DM_LOG_DEBUG, __VA_ARGS__)

#endif
