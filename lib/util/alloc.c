/* SPDX-License-Identifier: Apache-2.0 */
#include "util/alloc.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_after = -1;
static atomic_ulong alloc_count;

static int should_fail(void)
{
	long left;

	atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
	left = atomic_load_explicit(&fail_after, memory_order_relaxed);
	while (left >= 0) {
		if (left == 0)
			return 1;
		if (atomic_compare_exchange_weak(&fail_after, &left, left - 1))
			return 0;
	}
	return 0;
}

void dm__alloc_fail_after(long n)
{
	atomic_store(&fail_after, n < 0 ? -1 : n);
}

unsigned long dm__alloc_count(void)
{
	return atomic_load(&alloc_count);
}

/* Sizes no object may have (C requires pointer differences to fit). */
static int too_big(size_t size)
{
	return size > (size_t)PTRDIFF_MAX;
}

void *dm__malloc(size_t size)
{
	if (too_big(size) || should_fail())
		return NULL;
	return malloc(size ? size : 1);
}

void *dm__calloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	if (too_big(n * size) || should_fail())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *dm__realloc(void *p, size_t size)
{
	if (too_big(size) || should_fail())
		return NULL;
	return realloc(p, size ? size : 1);
}

void *dm__reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return dm__realloc(p, n * size);
}

void *dm__memdup(const void *p, size_t n)
{
	void *q = dm__malloc(n);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

char *dm__strndup(const char *s, size_t n)
{
	char *q;

	if (n == SIZE_MAX)
		return NULL;
	q = dm__malloc(n + 1);
	if (!q)
		return NULL;
	memcpy(q, s, n);
	q[n] = '\0';
	return q;
}

char *dm__strdup(const char *s)
{
	return s ? dm__strndup(s, strlen(s)) : NULL;
}

void dm__free(void *p)
{
	free(p);
}

void dm__wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

void dm__free_secret(char *s)
{
	if (!s)
		return;
	dm__wipe(s, strlen(s));
	free(s);
}
