/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Check items under construction and the result object: numbering, the
 * summary, and DM's report filter (failures and warnings only, cut to the
 * --error / --warn limits, counted across all items).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_private.h"
#include "dm/util.h"
#include "util/alloc.h"

struct dm_check_result {
	dm__check_item *items;     /* every item that ran, in id order */
	size_t nitems;
	dm_check_item *all;        /* their public views */
	dm_check_item *reported;   /* the filtered copies */
	size_t nreported;
	dm_check_error *rep_errors; /* backs reported[i].errors */
	dm_check_summary summary;
	bool checked;              /* false: every item was ignored */
};

static int dup_opt(const char **dst, const char *src)
{
	char *copy;

	if (!src || !*src) {
		*dst = NULL;
		return 0;
	}
	copy = dm__strdup(src);
	if (!copy)
		return DM_E_NO_MEMORY;
	*dst = copy;
	return 0;
}

static void free_str(const char *s)
{
	dm__free((char *)s);
}

int dm__check_item_init(dm__check_item *it, dm__check_key key,
			const char *name, const char *desc, const char *extra,
			const char *source_id)
{
	memset(it, 0, sizeof(*it));
	dm__vec_init(&it->errors, sizeof(dm_check_error));
	it->pub.item = dm__check_key_name(key);
	it->pub.state = DM_CHECK_SUCCESS;
	if (!name)
		name = dm__check_key_checker(key);
	if (!desc)
		desc = dm__check_key_desc(key);
	if (dup_opt(&it->pub.name, name) || dup_opt(&it->pub.desc, desc) ||
	    dup_opt(&it->pub.extra, extra) ||
	    dup_opt(&it->pub.source_id, source_id)) {
		dm__check_item_free(it);
		return DM_E_NO_MEMORY;
	}
	return 0;
}

static void error_free(dm_check_error *e)
{
	free_str(e->short_error);
	free_str(e->self);
	free_str(e->other);
	free_str(e->instruction);
}

void dm__check_item_free(dm__check_item *it)
{
	size_t i;

	if (!it)
		return;
	for (i = 0; i < it->errors.len; i++)
		error_free(DM__VEC_DATA(&it->errors, dm_check_error) + i);
	dm__vec_free(&it->errors);
	free_str(it->pub.name);
	free_str(it->pub.desc);
	free_str(it->pub.instruction);
	free_str(it->pub.extra);
	free_str(it->pub.source_id);
	memset(&it->pub, 0, sizeof(it->pub));
}

int dm__check_item_error(dm__check_item *it, dm_check_state severity,
			 const char *self, const char *other,
			 const char *instruction, const char *fmt, ...)
{
	dm_check_error e;
	dm_buf msg = DM_BUF_INIT;
	va_list ap;
	int rc;

	memset(&e, 0, sizeof(e));
	e.severity = severity;
	va_start(ap, fmt);
	rc = dm_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (rc)
		goto out_fail;
	e.short_error = msg.data ? dm_buf_detach(&msg) : dm__strdup("");
	if (!e.short_error || dup_opt(&e.self, self) ||
	    dup_opt(&e.other, other) || dup_opt(&e.instruction, instruction))
		goto out_fail;
	rc = dm__vec_push(&it->errors, &e);
	if (rc)
		goto out_fail;
	if (severity == DM_CHECK_FAIL)
		it->pub.state = DM_CHECK_FAIL;
	else if (severity == DM_CHECK_WARN &&
		 it->pub.state == DM_CHECK_SUCCESS)
		it->pub.state = DM_CHECK_WARN;
	dm__check_item_seal(it);
	return 0;

out_fail:
	dm_buf_free(&msg);
	error_free(&e);
	return DM_E_NO_MEMORY;
}

static int replace(const char **field, const char *text)
{
	const char *old = *field;
	int rc = dup_opt(field, text);

	if (rc) {
		*field = old;
		return rc;
	}
	free_str(old);
	return 0;
}

int dm__check_item_set_instruction(dm__check_item *it, const char *text)
{
	return replace(&it->pub.instruction, text);
}

int dm__check_item_set_extra(dm__check_item *it, const char *text)
{
	return replace(&it->pub.extra, text);
}

int dm__check_item_db_error(dm__check_item *it, const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;
	int rc;

	rc = dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE);
	if (!rc)
		rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
					  "%s", b.data ? b.data : "");
	dm_buf_free(&b);
	if (!rc && e && dm_error_workaround(e)[0])
		rc = dm__check_item_set_instruction(it, dm_error_workaround(e));
	return rc;
}

void dm__check_item_seal(dm__check_item *it)
{
	it->pub.errors = it->errors.data;
	it->pub.nerrors = it->errors.len;
}

int dm__check_table_id(dm_buf *out, const char *schema, const char *table)
{
	const char *parts[2] = { schema, table };
	int i, rc = 0;

	for (i = 0; i < 2 && !rc; i++) {
		const char *p;

		if (i)
			rc = dm_buf_putc(out, '.');
		if (!rc)
			rc = dm_buf_putc(out, '`');
		for (p = parts[i] ? parts[i] : ""; *p && !rc; p++)
			rc = *p == '`' ? dm_buf_puts(out, "``") :
					 dm_buf_putc(out, *p);
		if (!rc)
			rc = dm_buf_putc(out, '`');
	}
	return rc;
}

/* ----------------------------------------------------------- results */

static bool take(long *left)
{
	if (*left < 0)
		return true;
	if (*left == 0)
		return false;
	(*left)--;
	return true;
}

/* DM's filter: successes go, items without errors count by their state,
 * items with errors keep the errors the limits allow and go when none is
 * left. The limits are shared by all items, in id order. */
static int build_reported(dm_check_result *r, long err_left, long warn_left)
{
	size_t i, j, nerr = 0;

	for (i = 0; i < r->nitems; i++)
		nerr += r->all[i].nerrors;
	r->reported = dm__calloc(r->nitems ? r->nitems : 1,
				 sizeof(*r->reported));
	r->rep_errors = dm__calloc(nerr ? nerr : 1, sizeof(*r->rep_errors));
	if (!r->reported || !r->rep_errors)
		return DM_E_NO_MEMORY;
	nerr = 0;
	for (i = 0; i < r->nitems; i++) {
		const dm_check_item *src = &r->all[i];
		dm_check_item *dst = &r->reported[r->nreported];
		size_t kept = 0;

		if (src->state == DM_CHECK_SUCCESS)
			continue;
		if (src->nerrors == 0) {
			if (take(src->state == DM_CHECK_WARN ? &warn_left :
							       &err_left)) {
				*dst = *src;
				r->nreported++;
			}
			continue;
		}
		for (j = 0; j < src->nerrors; j++) {
			const dm_check_error *e = &src->errors[j];
			long *left;

			if (e->severity == DM_CHECK_WARN)
				left = &warn_left;
			else if (e->severity == DM_CHECK_FAIL)
				left = &err_left;
			else
				continue;
			if (take(left))
				r->rep_errors[nerr + kept++] = *e;
		}
		if (kept) {
			*dst = *src;
			dst->errors = &r->rep_errors[nerr];
			dst->nerrors = kept;
			nerr += kept;
			r->nreported++;
		}
	}
	return 0;
}

int dm__check_result_new(dm_check_result **out, dm__vec *items,
			 bool checked, long error_limit, long warn_limit)
{
	dm_check_result *r;
	size_t i;
	int rc;

	*out = NULL;
	r = dm__calloc(1, sizeof(*r));
	if (!r)
		return DM_E_NO_MEMORY;
	r->items = items->data;
	r->nitems = items->len;
	dm__vec_init(items, sizeof(dm__check_item)); /* moved */
	r->checked = checked;
	r->all = dm__calloc(r->nitems ? r->nitems : 1, sizeof(*r->all));
	if (!r->all) {
		dm_check_result_free(r);
		return DM_E_NO_MEMORY;
	}
	r->summary.total = (long)r->nitems;
	for (i = 0; i < r->nitems; i++) {
		dm__check_item *it = &r->items[i];

		it->pub.id = (unsigned)i;
		dm__check_item_seal(it);
		r->all[i] = it->pub;
		switch (it->pub.state) {
		case DM_CHECK_SUCCESS:
			r->summary.successful++;
			break;
		case DM_CHECK_FAIL:
			r->summary.failed++;
			break;
		case DM_CHECK_WARN:
			r->summary.warning++;
			break;
		}
	}
	r->summary.passed = r->summary.failed == 0;
	rc = build_reported(r, error_limit, warn_limit);
	if (rc) {
		dm_check_result_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void dm_check_result_free(dm_check_result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nitems; i++)
		dm__check_item_free(&r->items[i]);
	dm__free(r->items);
	dm__free(r->all);
	dm__free(r->reported);
	dm__free(r->rep_errors);
	dm__free(r);
}

void dm_check_result_summary(dm_check_summary *out,
			     const dm_check_result *r)
{
	memset(out, 0, sizeof(*out));
	if (r)
		*out = r->summary;
	else
		out->passed = true;
}

const dm_check_item *dm_check_result_items(const dm_check_result *r,
					   unsigned which, size_t *n)
{
	if (!r) {
		if (n)
			*n = 0;
		return NULL;
	}
	if (which == DM_CHECK_ITEMS_REPORTED) {
		if (n)
			*n = r->nreported;
		return r->reported;
	}
	if (n)
		*n = r->nitems;
	return r->all;
}

bool dm__check_result_checked(const dm_check_result *r)
{
	return r && r->checked;
}
