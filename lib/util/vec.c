/* SPDX-License-Identifier: Apache-2.0 */
#include "util/vec.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "dm/err.h"
#include "util/alloc.h"

#define MIN_CAP 4

static unsigned char *elem_at(const dm__vec *v, size_t i)
{
	return (unsigned char *)v->data + i * v->elem_size;
}

void dm__vec_init(dm__vec *v, size_t elem_size)
{
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
	v->elem_size = elem_size;
}

int dm__vec_reserve(dm__vec *v, size_t extra)
{
	size_t need, cap, max;
	void *p;

	if (v->elem_size == 0)
		return DM_E_INVALID_ARGUMENT;
	/* No object may exceed PTRDIFF_MAX bytes (pointer differences). */
	max = (size_t)PTRDIFF_MAX / v->elem_size;
	if (extra > max - v->len)
		return DM_E_NO_MEMORY;
	need = v->len + extra;
	if (need <= v->cap)
		return 0;
	cap = v->cap ? v->cap : MIN_CAP;
	while (cap < need)
		cap = cap > max / 2 ? need : cap * 2;
	if (cap > max)
		cap = max;
	p = dm__reallocarray(v->data, cap, v->elem_size);
	if (!p)
		return DM_E_NO_MEMORY;
	v->data = p;
	v->cap = cap;
	return 0;
}

void *dm__vec_push_zero(dm__vec *v)
{
	unsigned char *slot;

	if (dm__vec_reserve(v, 1))
		return NULL;
	slot = elem_at(v, v->len++);
	memset(slot, 0, v->elem_size);
	return slot;
}

int dm__vec_push(dm__vec *v, const void *elem)
{
	uintptr_t e = (uintptr_t)elem, d = (uintptr_t)v->data;
	size_t inside = SIZE_MAX;
	int rc;

	/* `elem` may point into the vector itself: find it again after the
	 * reallocation. */
	if (elem && v->data && e >= d && e < d + v->len * v->elem_size)
		inside = (size_t)(e - d);
	rc = dm__vec_reserve(v, 1);
	if (rc)
		return rc;
	if (inside != SIZE_MAX)
		elem = (const unsigned char *)v->data + inside;
	if (elem)
		memcpy(elem_at(v, v->len), elem, v->elem_size);
	else
		memset(elem_at(v, v->len), 0, v->elem_size);
	v->len++;
	return 0;
}

bool dm__vec_pop(void *out, dm__vec *v)
{
	if (v->len == 0)
		return false;
	v->len--;
	if (out)
		memcpy(out, elem_at(v, v->len), v->elem_size);
	return true;
}

void *dm__vec_get(const dm__vec *v, size_t i)
{
	return i < v->len ? elem_at(v, i) : NULL;
}

void *dm__vec_last(const dm__vec *v)
{
	return v->len ? elem_at(v, v->len - 1) : NULL;
}

bool dm__vec_remove(dm__vec *v, size_t i)
{
	if (i >= v->len)
		return false;
	memmove(elem_at(v, i), elem_at(v, i + 1),
		(v->len - i - 1) * v->elem_size);
	v->len--;
	return true;
}

int dm__vec_resize(dm__vec *v, size_t len)
{
	int rc;

	if (len > v->len) {
		rc = dm__vec_reserve(v, len - v->len);
		if (rc)
			return rc;
		memset(elem_at(v, v->len), 0, (len - v->len) * v->elem_size);
	}
	v->len = len;
	return 0;
}

void dm__vec_clear(dm__vec *v)
{
	v->len = 0;
}

void dm__vec_free(dm__vec *v)
{
	if (!v)
		return;
	dm__free(v->data);
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
}
