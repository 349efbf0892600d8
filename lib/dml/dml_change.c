/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Owned copies of row changes: one allocation laid out as the change, the
 * before values, the after values, the ENUM/SET name tables, then every
 * byte the values point to. Integers of unknown sign become UNSIGNED
 * where the table says so.
 */
#include "dml/dml_private.h"

#include <stdalign.h>
#include <string.h>

#include "util/alloc.h"

static bool has_str(dm_value_kind k)
{
	switch (k) {
	case DM_VALUE_DECIMAL:
	case DM_VALUE_STRING:
	case DM_VALUE_BYTES:
	case DM_VALUE_JSON:
	case DM_VALUE_JSON_BINARY:
	case DM_VALUE_GEOMETRY:
	case DM_VALUE_VECTOR:
	case DM_VALUE_JSON_DIFF:
		return true;
	default:
		return false;
	}
}

static const dm_str *names_of(const dm_value *v, size_t *n)
{
	if (v->kind == DM_VALUE_ENUM) {
		*n = v->v.enm.names ? v->v.enm.nnames : 0;
		return v->v.enm.names;
	}
	if (v->kind == DM_VALUE_SET) {
		*n = v->v.set.names ? v->v.set.nnames : 0;
		return v->v.set.names;
	}
	*n = 0;
	return NULL;
}

/* Adds a to *sum; false on overflow. */
static bool add_size(size_t *sum, size_t a)
{
	if (a > SIZE_MAX - *sum)
		return false;
	*sum += a;
	return true;
}

/* Room for the name tables and for the bytes of one image. */
static bool image_sizes(const dm_value *img, size_t w, size_t *nstr,
			size_t *nbytes)
{
	size_t i, k, nn;

	for (i = 0; i < w; i++) {
		const dm_str *names = names_of(&img[i], &nn);

		if (has_str(img[i].kind) && !add_size(nbytes, img[i].v.str.len))
			return false;
		if (!names)
			continue;
		if (!add_size(nstr, nn))
			return false;
		for (k = 0; k < nn; k++)
			if (!add_size(nbytes, names[k].len))
				return false;
	}
	return true;
}

typedef struct arena {
	dm_str *strs;
	char *bytes;
} arena;

static const char *put_bytes(arena *a, const char *p, size_t n)
{
	char *d = a->bytes;

	if (n)
		memcpy(d, p, n);
	a->bytes += n;
	return d;
}

static void copy_image(dm_value *dst, const dm_value *src, size_t w,
		       const dm_dml_table *t, arena *a)
{
	size_t i, k, nn;

	for (i = 0; i < w; i++) {
		dm_value tmp;
		const dm_str *names = names_of(&src[i], &nn);

		dst[i] = *dm__dml_effective(&t->cols[i], &src[i], &tmp);
		if (has_str(src[i].kind)) {
			dst[i].v.str.ptr = put_bytes(a, src[i].v.str.ptr,
						     src[i].v.str.len);
		} else if (names) {
			dm_str *copy = a->strs;

			for (k = 0; k < nn; k++) {
				copy[k].ptr = put_bytes(a, names[k].ptr,
							names[k].len);
				copy[k].len = names[k].len;
			}
			a->strs += nn;
			if (src[i].kind == DM_VALUE_ENUM)
				dst[i].v.enm.names = copy;
			else
				dst[i].v.set.names = copy;
		}
	}
}

static int check_change(const dm_dml_change *c, size_t width, dm_error **err)
{
	const dm_dml_table *t;

	if (!c || !c->table)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_dml_change_copy: NULL change or table");
	t = c->table;
	if ((c->op != DM_DML_INSERT && c->op != DM_DML_UPDATE &&
	     c->op != DM_DML_DELETE) ||
	    (c->op != DM_DML_INSERT && !c->before) ||
	    (c->op != DM_DML_DELETE && !c->after))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_dml_change_copy: table `%s`.`%s`: "
				    "operation %d lacks a row image",
				    t->sschema, t->sname, (int)c->op);
	if (width != t->ncols)
		return dm_error_set(err, DM_E_SYNCER_UNIT_DML_COLUMN_NOT_MATCH,
				    "table `%s`.`%s` has %zu columns but the "
				    "row has %zu values",
				    t->sschema, t->sname, t->ncols, width);
	return 0;
}

int dm_dml_change_copy(dm_dml_change **out, const dm_dml_change *src,
		       size_t width, dm_error **err)
{
	const dm_value *before, *after;
	size_t nstr = 0, nbytes = 0, nvals, size;
	dm_dml_change *c;
	dm_value *vals;
	arena a;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_dml_change_copy: NULL out");
	*out = NULL;
	rc = check_change(src, width, err);
	if (rc)
		return rc;
	before = src->op == DM_DML_INSERT ? NULL : src->before;
	after = src->op == DM_DML_DELETE ? NULL : src->after;
	nvals = (before ? width : 0) + (after ? width : 0);
	if ((before && !image_sizes(before, width, &nstr, &nbytes)) ||
	    (after && !image_sizes(after, width, &nstr, &nbytes)) ||
	    nvals > (SIZE_MAX / 2) / sizeof(dm_value) ||
	    nstr > (SIZE_MAX / 4) / sizeof(dm_str))
		return dm_error_set(err, DM_E_NO_MEMORY, "dm_dml_change_copy");
	/* sizeof(dm_dml_change) and sizeof(dm_value) keep dm_value and
	 * dm_str aligned: both are multiples of the pointer alignment. */
	size = sizeof(*c) + nvals * sizeof(dm_value);
	if (!add_size(&size, nstr * sizeof(dm_str)) || !add_size(&size, nbytes))
		return dm_error_set(err, DM_E_NO_MEMORY, "dm_dml_change_copy");
	c = dm__malloc(size);
	if (!c)
		return dm_error_set(err, DM_E_NO_MEMORY, "dm_dml_change_copy");
	*c = *src;
	vals = (dm_value *)(void *)(c + 1);
	a.strs = (dm_str *)(void *)(vals + nvals);
	a.bytes = (char *)(a.strs + nstr);
	c->before = NULL;
	c->after = NULL;
	if (before) {
		copy_image(vals, before, width, src->table, &a);
		c->before = vals;
		vals += width;
	}
	if (after) {
		copy_image(vals, after, width, src->table, &a);
		c->after = vals;
	}
	*out = c;
	return 0;
}

void dm_dml_change_free(dm_dml_change *c)
{
	dm__free(c);
}

_Static_assert(sizeof(dm_dml_change) % alignof(dm_value) == 0,
	       "values follow the change");
_Static_assert(sizeof(dm_value) % alignof(dm_str) == 0,
	       "names follow the values");
