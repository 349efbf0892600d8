/* SPDX-License-Identifier: Apache-2.0 */
/* The per-statement arena and its pointer lists. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "sql/sql_private.h"
#include "util/alloc.h"

struct dm__sql_chunk {
	dm__sql_chunk *next;
	size_t size;
	alignas(max_align_t) char data[];
};

#define ALIGN_TO (alignof(max_align_t))
#define FIRST_CHUNK 2048
#define MAX_CHUNK (64 * 1024)

void dm__sql_arena_init(dm__sql_arena *a)
{
	a->chunks = NULL;
	a->cur = NULL;
	a->left = 0;
	a->next_size = FIRST_CHUNK;
}

static size_t round_up(size_t n)
{
	return (n + ALIGN_TO - 1) & ~(size_t)(ALIGN_TO - 1);
}

void *dm__sql_alloc(dm__sql_arena *a, size_t size)
{
	dm__sql_chunk *c;
	size_t need, csize;
	void *p;

	if (size > SIZE_MAX / 2)
		return NULL;
	need = round_up(size ? size : 1);
	if (need <= a->left) {
		p = a->cur;
		a->cur += need;
		a->left -= need;
		memset(p, 0, size);
		return p;
	}
	csize = a->next_size;
	if (csize < need)
		csize = need;
	c = dm__malloc(sizeof(*c) + csize);
	if (!c)
		return NULL;
	c->size = csize;
	c->next = a->chunks;
	a->chunks = c;
	if (a->next_size < MAX_CHUNK)
		a->next_size *= 2;
	p = c->data;
	/* A big request gets its own chunk; keep the current one for later
	 * small requests when it has more room left. */
	if (csize - need >= a->left) {
		a->cur = c->data + need;
		a->left = csize - need;
	}
	memset(p, 0, size);
	return p;
}

char *dm__sql_strndup(dm__sql_arena *a, const char *s, size_t n)
{
	char *d;

	if (n == SIZE_MAX)
		return NULL;
	d = dm__sql_alloc(a, n + 1);
	if (!d)
		return NULL;
	if (n)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void dm__sql_arena_free(dm__sql_arena *a)
{
	dm__sql_chunk *c = a->chunks;

	while (c) {
		dm__sql_chunk *next = c->next;

		dm__free(c);
		c = next;
	}
	dm__sql_arena_init(a);
}

int dm__sql_list_push(dm__sql_arena *a, dm__sql_list *l, void *item)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		void **items;

		if (cap > SIZE_MAX / sizeof(void *) / 2)
			return DM_E_NO_MEMORY;
		items = dm__sql_alloc(a, cap * sizeof(void *));
		if (!items)
			return DM_E_NO_MEMORY;
		if (l->n)
			memcpy(items, l->items, l->n * sizeof(void *));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n++] = item;
	return 0;
}
