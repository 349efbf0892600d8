/* SPDX-License-Identifier: Apache-2.0 */
#include "cfg/cfg_private.h"

#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "util/alloc.h"

#define BLOCK_SIZE 4096u
#define ALIGN ((size_t)alignof(max_align_t))

struct block {
	struct block *next;
	size_t used;
	size_t cap;
	max_align_t data[];
};

struct dm__cfg_mem {
	struct block *head;
};

dm__cfg_mem *dm__cfg_mem_new(void)
{
	return dm__calloc(1, sizeof(dm__cfg_mem));
}

void dm__cfg_mem_free(dm__cfg_mem *m)
{
	struct block *b, *next;

	if (!m)
		return;
	for (b = m->head; b; b = next) {
		next = b->next;
		dm__wipe(b->data, b->used);
		dm__free(b);
	}
	dm__free(m);
}

void *dm__cfg_alloc(dm__cfg_mem *m, size_t n)
{
	struct block *b = m->head;
	size_t need = (n + ALIGN - 1) & ~(ALIGN - 1);
	void *p;

	if (n == 0)
		need = ALIGN;
	if (need < n)
		return NULL;
	if (!b || b->cap - b->used < need) {
		size_t cap = need > BLOCK_SIZE ? need : BLOCK_SIZE;

		if (cap > SIZE_MAX - sizeof(*b))
			return NULL;
		b = dm__malloc(sizeof(*b) + cap);
		if (!b)
			return NULL;
		b->used = 0;
		b->cap = cap;
		/* A big block goes behind the current one so the current
		 * one's free room stays usable. */
		if (m->head && cap > BLOCK_SIZE) {
			b->next = m->head->next;
			m->head->next = b;
		} else {
			b->next = m->head;
			m->head = b;
		}
	}
	p = (char *)b->data + b->used;
	b->used += need;
	memset(p, 0, n);
	return p;
}

void *dm__cfg_alloc_array(dm__cfg_mem *m, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return dm__cfg_alloc(m, n * size);
}

char *dm__cfg_strndup(dm__cfg_mem *m, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = dm__cfg_alloc(m, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *dm__cfg_strdup(dm__cfg_mem *m, const char *s)
{
	return dm__cfg_strndup(m, s, strlen(s));
}
