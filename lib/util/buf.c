/* SPDX-License-Identifier: Apache-2.0 */
#include "dm/util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

int dm_buf_reserve(dm_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return DM_E_NO_MEMORY;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	p = dm__realloc(b->data, cap);
	if (!p)
		return DM_E_NO_MEMORY;
	if (!b->data)
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return 0;
}

int dm_buf_append(dm_buf *b, const void *data, size_t len)
{
	int rc = dm_buf_reserve(b, len);

	if (rc)
		return rc;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int dm_buf_puts(dm_buf *b, const char *s)
{
	return dm_buf_append(b, s, strlen(s));
}

int dm_buf_putc(dm_buf *b, char c)
{
	return dm_buf_append(b, &c, 1);
}

int dm_buf_vprintf(dm_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n, rc;

	rc = dm_buf_reserve(b, 64);
	if (rc)
		return rc;
	va_copy(ap2, ap);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->data[b->len] = '\0';
		return DM_E_INVALID_ARGUMENT;
	}
	if ((size_t)n >= b->cap - b->len) {
		rc = dm_buf_reserve(b, (size_t)n);
		if (rc) {
			b->data[b->len] = '\0';
			return rc;
		}
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

int dm_buf_printf(dm_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = dm_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void dm_buf_truncate(dm_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void dm_buf_clear(dm_buf *b)
{
	dm_buf_truncate(b, 0);
}

char *dm_buf_detach(dm_buf *b)
{
	char *p = b->data;

	if (!p)
		p = dm__strdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void dm_buf_free(dm_buf *b)
{
	if (!b)
		return;
	dm__free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void dm_buf_wipe(dm_buf *b)
{
	if (!b)
		return;
	if (b->data)
		dm__wipe(b->data, b->cap);
	dm_buf_free(b);
}
