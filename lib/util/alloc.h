/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation wrappers for lib/: size overflow is checked, and tests can make
 * the Nth allocation fail (dm__alloc_fail_after) to exercise error paths.
 */
#ifndef DM_LIB_ALLOC_H
#define DM_LIB_ALLOC_H

#include <stddef.h>

void *dm__malloc(size_t size);
void *dm__calloc(size_t n, size_t size);
void *dm__realloc(void *p, size_t size);
void *dm__reallocarray(void *p, size_t n, size_t size);
char *dm__strdup(const char *s);
char *dm__strndup(const char *s, size_t n);
void *dm__memdup(const void *p, size_t n);
void dm__free(void *p);
/* Overwrites `n` bytes at `p` in a way the compiler keeps. */
void dm__wipe(void *p, size_t n);
/* Frees a NUL-terminated secret after wiping it. */
void dm__free_secret(char *s);

/* Test hooks: after `n` more successful allocations every further one
 * fails until injection is turned off again with n < 0. Sizes above
 * PTRDIFF_MAX always fail. dm__alloc_count: allocations attempted so far. */
void dm__alloc_fail_after(long n);
unsigned long dm__alloc_count(void);

#endif
