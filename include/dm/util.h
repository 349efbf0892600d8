/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Library set-up and the growable byte buffer used for every string the
 * library hands out. See dm_global_init(3) and dm_buf(3).
 */
#ifndef DM_UTIL_H
#define DM_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Process-wide set-up, reference counted; call before starting threads. */
DM_API int dm_global_init(dm_error **err);
DM_API void dm_global_cleanup(void);

/* A growable buffer. `data` is NUL-terminated whenever it is not NULL;
 * `len` excludes the NUL. Zero-initialise with DM_BUF_INIT. */
typedef struct dm_buf {
	char *data;
	size_t len;
	size_t cap;
} dm_buf;

#define DM_BUF_INIT { NULL, 0, 0 }

DM_API int dm_buf_reserve(dm_buf *b, size_t extra);
DM_API int dm_buf_append(dm_buf *b, const void *data, size_t len);
DM_API int dm_buf_puts(dm_buf *b, const char *s);
DM_API int dm_buf_putc(dm_buf *b, char c);
DM_API int dm_buf_printf(dm_buf *b, const char *fmt, ...) DM_PRINTF(2, 3);
DM_API int dm_buf_vprintf(dm_buf *b, const char *fmt, va_list ap)
	DM_PRINTF(2, 0);
DM_API void dm_buf_truncate(dm_buf *b, size_t len);
DM_API void dm_buf_clear(dm_buf *b);
DM_API char *dm_buf_detach(dm_buf *b);
DM_API void dm_buf_free(dm_buf *b);
/* Like dm_buf_free, but overwrites the bytes first (for secrets). */
DM_API void dm_buf_wipe(dm_buf *b);

#ifdef __cplusplus
}
#endif

#endif
