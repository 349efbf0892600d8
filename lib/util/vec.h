/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm__vec: a growable array of fixed-size elements (the size is given at
 * init). The struct is transparent for reading: `data` holds `len` elements
 * of `elem_size` bytes, room for `cap`; write only through the functions.
 * The vector owns `data` and copies elements in by value; it knows nothing
 * of what they point to. Pointers into `data` are valid until the next call
 * that may grow it (push, reserve, resize). Growth is overflow-checked and
 * fails with DM_E_NO_MEMORY leaving the vector unchanged.
 * Not thread-safe: one thread at a time, const calls may run concurrently.
 */
#ifndef DM_LIB_VEC_H
#define DM_LIB_VEC_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dm__vec {
	void *data;
	size_t len;
	size_t cap;
	size_t elem_size;
} dm__vec;

#define DM__VEC_INIT(elem_size) { NULL, 0, 0, (elem_size) }
/* Typed access to the elements, e.g. DM__VEC_DATA(&v, uint64_t)[i]. */
#define DM__VEC_DATA(v, type) ((type *)(v)->data)

/* Empty vector of `elem_size`-byte elements; allocates nothing. */
void dm__vec_init(dm__vec *v, size_t elem_size);
/* Room for at least `extra` more elements without reallocating.
 * DM_E_INVALID_ARGUMENT when elem_size is 0. */
int dm__vec_reserve(dm__vec *v, size_t extra);
/* Appends a copy of the element at `elem` (zero bytes when NULL). */
int dm__vec_push(dm__vec *v, const void *elem);
/* Appends a zeroed element and returns it; NULL when out of memory. */
void *dm__vec_push_zero(dm__vec *v);
/* Removes the last element, copying it to `out` (may be NULL); false when
 * the vector is empty. */
bool dm__vec_pop(void *out, dm__vec *v);
/* Element `i`, or NULL when i >= len. */
void *dm__vec_get(const dm__vec *v, size_t i);
/* Last element, or NULL when empty. */
void *dm__vec_last(const dm__vec *v);
/* Removes element `i` keeping the order of the rest; false when i >= len. */
bool dm__vec_remove(dm__vec *v, size_t i);
/* Sets len; new elements are zeroed. */
int dm__vec_resize(dm__vec *v, size_t len);
/* len = 0, keeps the memory. */
void dm__vec_clear(dm__vec *v);
/* Frees the memory; the vector stays usable (empty, same elem_size).
 * Accepts NULL. */
void dm__vec_free(dm__vec *v);

#endif
