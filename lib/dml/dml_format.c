/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQL text of row changes.
 *
 *   INSERT   INSERT INTO `s`.`t` (`a`,`b`) VALUES (1,'x')
 *   safe     REPLACE INTO `s`.`t` (`a`,`b`) VALUES (1,'x')
 *   UPDATE   UPDATE `s`.`t` SET `a`=1,`b`='y' WHERE `a`=1
 *   safe     DELETE FROM `s`.`t` WHERE `a`=1;REPLACE INTO ... VALUES (...)
 *   DELETE   DELETE FROM `s`.`t` WHERE `a`=1
 *
 * WHERE names the row by the primary key, else by the first unique key
 * whose columns are NOT NULL, else by the first unique key without NULLs
 * in this row; such a WHERE matches one row at most and needs no LIMIT.
 * Otherwise it lists every stored column and ends in LIMIT 1: a FLOAT as
 * CAST(x AS FLOAT) (a FLOAT never equals the double a literal is) and a
 * character column as `c`=BINARY 'x', so that only the very bytes match,
 * not what the collation folds together ('a' and 'A ').
 *
 * With DM_DML_MULTI_ROWS, consecutive changes of one table, one op and
 * one safe flag share a statement: INSERT/REPLACE with several rows,
 * DELETE ... WHERE k IN (...) when the rows are named by the same unique
 * key, and UPDATEs that keep the identity key of a table with no other
 * unique key as INSERT ... ON DUPLICATE KEY UPDATE.
 */
#include "dml/dml_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/db.h"

#define DEFAULT_MAX_STATEMENT ((size_t)4 << 20)
#define DEFAULT_MAX_ROWS 512

typedef struct fmt {
	dm_buf *out;
	dm_error **err;
	size_t max_statement;
	size_t max_rows;
} fmt;

static int nomem(fmt *f)
{
	return dm_error_set(f->err, DM_E_NO_MEMORY, "dm_dml_format");
}

static int put(fmt *f, const char *s, size_t n)
{
	return dm_buf_append(f->out, s, n) ? nomem(f) : 0;
}

#define PUTS(f, lit) put((f), (lit), sizeof(lit) - 1)

/* ------------------------------------------------------------- literals */

static int put_u64(fmt *f, uint64_t u, bool neg)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (neg)
		*--p = '-';
	return put(f, p, (size_t)(tmp + sizeof(tmp) - p));
}

static int put_hex(fmt *f, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	dm_buf *b = f->out;
	char *w;
	size_t i;

	if (n > (SIZE_MAX - 8) / 2 || dm_buf_reserve(b, 2 * n + 3))
		return nomem(f);
	w = b->data + b->len;
	*w++ = 'X';
	*w++ = '\'';
	for (i = 0; i < n; i++) {
		*w++ = hex[(unsigned char)s[i] >> 4];
		*w++ = hex[(unsigned char)s[i] & 15];
	}
	*w++ = '\'';
	*w = '\0';
	b->len = (size_t)(w - b->data);
	return 0;
}

/* Text in a charset other than UTF-8 cannot go between quotes as it is:
 * the server would read it as the connection's utf8mb4 and convert it.
 * A hex literal is taken as the column's own bytes. */
static int put_string(fmt *f, const dml_col *col, const dm_value *v)
{
	const char *s = v->v.str.ptr ? v->v.str.ptr : "";
	size_t n = v->v.str.len, i;

	if (col->flags & DML_COL_TEXT) {
		dml_text text = dm__dml_text_of(col, v);

		if (text == DML_TEXT_WIDE)
			return put_hex(f, s, n);
		if (text == DML_TEXT_ASCII)
			for (i = 0; i < n; i++)
				if ((unsigned char)s[i] >= 0x80)
					return put_hex(f, s, n);
	}
	return dm_db_quote_value(f->out, s, n, 0) ? nomem(f) : 0;
}

/* The shortest text that reads back as the same double (or float).
 * Fewer digits than 15 (6 for a float) that read back are what %.15g
 * (%.6g) gives once its trailing zeros are dropped, so the search starts
 * there. */
static int put_real(fmt *f, const dm_value *v)
{
	bool is_float = v->kind == DM_VALUE_FLOAT;
	double d = is_float ? (double)v->v.f : v->v.d;
	char tmp[40];
	int prec, n = 0;

	if (!isfinite(d))
		return dm_value_format_sql(f->out, v, 0, f->err);
	for (prec = is_float ? 6 : 15; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		if (is_float ? strtof(tmp, NULL) == v->v.f :
			       strtod(tmp, NULL) == d)
			break;
	}
	return put(f, tmp, (size_t)n);
}

/* Writes v with at least `width` digits at w; returns the end. */
static char *num(char *w, uint64_t v, unsigned width)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	size_t n;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
		width = width ? width - 1 : 0;
	} while (v || width);
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(w, p, n);
	return w + n;
}

/* The first fsp of six fractional digits. */
static char *frac(char *w, uint32_t usec, unsigned fsp)
{
	char six[8];

	if (fsp == 0)
		return w;
	if (fsp > 6)
		fsp = 6;
	num(six, usec % 1000000u, 6);
	*w++ = '.';
	memcpy(w, six, fsp);
	return w + fsp;
}

/* '2026-01-02', '2026-01-02 03:04:05.678', '-838:59:59.5' */
static int put_temporal(fmt *f, const dm_value *v)
{
	const dm_time *t = &v->v.time;
	char buf[64], *w = buf;

	*w++ = '\'';
	if (v->kind != DM_VALUE_TIME) {
		w = num(w, t->year, 4);
		*w++ = '-';
		w = num(w, t->month, 2);
		*w++ = '-';
		w = num(w, t->day, 2);
		if (v->kind == DM_VALUE_DATE)
			goto out_close;
		*w++ = ' ';
	} else if (t->negative) {
		*w++ = '-';
	}
	w = num(w, t->hour, 2);
	*w++ = ':';
	w = num(w, t->minute, 2);
	*w++ = ':';
	w = num(w, t->second, 2);
	w = frac(w, t->microsecond, t->fsp);
out_close:
	*w++ = '\'';
	return put(f, buf, (size_t)(w - buf));
}

/* FROM_UNIXTIME is exact when the session's time zone is +00:00. */
static int put_timestamp(fmt *f, const dm_value *v)
{
	const dm_timestamp *ts = &v->v.ts;
	char buf[64], *w = buf;

	if (ts->sec == 0 && ts->usec == 0)
		return PUTS(f, "'0000-00-00 00:00:00'");
	memcpy(w, "FROM_UNIXTIME(", 14);
	w += 14;
	if (ts->sec < 0)
		*w++ = '-';
	w = num(w, ts->sec < 0 ? 0 - (uint64_t)ts->sec : (uint64_t)ts->sec, 0);
	if (ts->fsp)
		w = frac(w, ts->usec, 6);
	*w++ = ')';
	return put(f, buf, (size_t)(w - buf));
}

static int put_literal(fmt *f, const dml_col *col, const dm_value *in)
{
	dm_value tmp;
	const dm_value *v = dm__dml_effective(col, in, &tmp);

	if (col->fixed_bin && v->v.str.len <= col->fixed_bin &&
	    (v->kind == DM_VALUE_BYTES || v->kind == DM_VALUE_STRING)) {
		char full[16] = { 0 };

		if (v->v.str.len)
			memcpy(full, v->v.str.ptr, v->v.str.len);
		return put_hex(f, full, col->fixed_bin);
	}
	switch (v->kind) {
	case DM_VALUE_NULL:
		return PUTS(f, "NULL");
	case DM_VALUE_INT:
		return put_u64(f, v->v.i < 0 ? 0 - (uint64_t)v->v.i :
					       (uint64_t)v->v.i,
			       v->v.i < 0);
	case DM_VALUE_UINT:
		return put_u64(f, v->v.u, false);
	case DM_VALUE_STRING:
		return put_string(f, col, v);
	case DM_VALUE_FLOAT:
	case DM_VALUE_DOUBLE:
		return put_real(f, v);
	case DM_VALUE_DATE:
	case DM_VALUE_DATETIME:
	case DM_VALUE_TIME:
		return put_temporal(f, v);
	case DM_VALUE_TIMESTAMP:
		return put_timestamp(f, v);
	case DM_VALUE_DECIMAL:
		return put(f, v->v.str.ptr ? v->v.str.ptr : "", v->v.str.len);
	default:
		return dm_value_format_sql(f->out, v, 0, f->err);
	}
}

/* A value compared with `=` or IN. */
static int put_cmp_literal(fmt *f, const dml_col *col, const dm_value *v,
			   bool exact)
{
	int rc;

	if (v->kind == DM_VALUE_FLOAT) {
		rc = PUTS(f, "CAST(");
		if (!rc)
			rc = put_literal(f, col, v);
		return rc ? rc : PUTS(f, " AS FLOAT)");
	}
	if (exact && (col->flags & DML_COL_TEXT) &&
	    (v->kind == DM_VALUE_STRING || v->kind == DM_VALUE_JSON)) {
		rc = PUTS(f, "BINARY ");
		if (rc)
			return rc;
	}
	return put_literal(f, col, v);
}

static int put_cond(fmt *f, const dml_col *col, const dm_value *v, bool exact)
{
	int rc = put(f, col->quoted, col->quoted_len);

	if (rc)
		return rc;
	if (v->kind == DM_VALUE_NULL)
		return PUTS(f, " IS NULL");
	rc = PUTS(f, "=");
	return rc ? rc : put_cmp_literal(f, col, v, exact);
}

/* ---------------------------------------------------------------- WHERE */

/* The unique key naming the row of img, or -1 for every column. */
static long where_key(const dm_dml_table *t, const dm_value *img)
{
	size_t i;

	if (t->identity >= 0)
		return t->identity;
	for (i = 0; i < t->nkeys; i++)
		if (dm__dml_key_present(t, &t->keys[i], img))
			return (long)i;
	return -1;
}

static int put_where(fmt *f, const dm_dml_table *t, const dm_value *img)
{
	long k = where_key(t, img);
	const char *sep = "";
	size_t i;
	int rc = PUTS(f, " WHERE ");

	if (k >= 0) {
		const dml_key *key = &t->keys[k];

		for (i = 0; i < key->n && !rc; i++) {
			size_t c = key->cols[i];

			rc = put(f, sep, strlen(sep));
			if (!rc)
				rc = put_cond(f, &t->cols[c], &img[c], false);
			sep = " AND ";
		}
		return rc;
	}
	for (i = 0; i < t->ncols && !rc; i++) {
		if (t->cols[i].flags & DML_COL_GENERATED)
			continue;
		rc = put(f, sep, strlen(sep));
		if (!rc)
			rc = put_cond(f, &t->cols[i], &img[i], true);
		sep = " AND ";
	}
	if (!rc && !*sep)
		rc = PUTS(f, "1");
	return rc ? rc : PUTS(f, " LIMIT 1");
}

/* ----------------------------------------------------------- statements */

static int put_row(fmt *f, const dm_dml_table *t, const dm_value *img)
{
	char sep = '(';
	size_t i;
	int rc = 0;

	for (i = 0; i < t->ncols && !rc; i++) {
		if (t->cols[i].flags & DML_COL_GENERATED)
			continue;
		rc = put(f, &sep, 1);
		if (!rc)
			rc = put_literal(f, &t->cols[i], &img[i]);
		sep = ',';
	}
	if (!rc && sep == '(')
		rc = put(f, &sep, 1);
	return rc ? rc : PUTS(f, ")");
}

static int put_insert_head(fmt *f, const dm_dml_table *t, bool replace)
{
	int rc = replace ? PUTS(f, "REPLACE INTO ") : PUTS(f, "INSERT INTO ");

	if (!rc)
		rc = put(f, t->qtable, t->qtable_len);
	if (!rc)
		rc = PUTS(f, " ");
	if (!rc)
		rc = put(f, t->collist, t->collist_len);
	return rc ? rc : PUTS(f, " VALUES ");
}

static int put_insert(fmt *f, const dm_dml_table *t, const dm_value *after,
		      bool replace)
{
	int rc = put_insert_head(f, t, replace);

	return rc ? rc : put_row(f, t, after);
}

static int put_delete(fmt *f, const dm_dml_table *t, const dm_value *before)
{
	int rc = PUTS(f, "DELETE FROM ");

	if (!rc)
		rc = put(f, t->qtable, t->qtable_len);
	return rc ? rc : put_where(f, t, before);
}

static int put_update(fmt *f, const dm_dml_table *t, const dm_value *before,
		      const dm_value *after)
{
	const char *sep = "";
	size_t i;
	int rc = PUTS(f, "UPDATE ");

	if (!rc)
		rc = put(f, t->qtable, t->qtable_len);
	if (!rc)
		rc = PUTS(f, " SET ");
	for (i = 0; i < t->ncols && !rc; i++) {
		const dml_col *c = &t->cols[i];

		if (c->flags & DML_COL_GENERATED)
			continue;
		rc = put(f, sep, strlen(sep));
		if (!rc)
			rc = put(f, c->quoted, c->quoted_len);
		if (!rc)
			rc = PUTS(f, "=");
		if (!rc)
			rc = put_literal(f, c, &after[i]);
		sep = ",";
	}
	return rc ? rc : put_where(f, t, before);
}

static int put_one(fmt *f, const dm_dml_change *c)
{
	const dm_dml_table *t = c->table;
	int rc;

	switch (c->op) {
	case DM_DML_INSERT:
		return put_insert(f, t, c->after, c->safe);
	case DM_DML_DELETE:
		return put_delete(f, t, c->before);
	default:
		if (!c->safe)
			return put_update(f, t, c->before, c->after);
		rc = put_delete(f, t, c->before);
		if (!rc)
			rc = PUTS(f, ";");
		return rc ? rc : put_insert(f, t, c->after, true);
	}
}

static bool valid(const dm_dml_change *c)
{
	if (!c || !c->table)
		return false;
	switch (c->op) {
	case DM_DML_INSERT:
		return c->after != NULL;
	case DM_DML_UPDATE:
		return c->before != NULL && c->after != NULL;
	case DM_DML_DELETE:
		return c->before != NULL;
	default:
		return false;
	}
}

/* ----------------------------------------------------------- multi-rows */

/* May c[i] join a run that began with c[0]? */
static bool joins(const dm_dml_change *first, const dm_dml_change *c)
{
	return valid(c) && c->table == first->table && c->op == first->op &&
	       c->safe == first->safe;
}

/* Appends a row (by `put_item`) unless the statement would outgrow the
 * limits; *stop is set when it did not fit. */
typedef int (*item_fn)(fmt *f, const dm_dml_change *c, long key);

static int run(fmt *f, size_t *used, const dm_dml_change *const *c, size_t n,
	       size_t start, size_t tail, item_fn item, long key,
	       bool (*more)(const dm_dml_change *first,
			    const dm_dml_change *c, long key))
{
	size_t i, mark;
	int rc = 0;

	for (i = 1; i < n && i < f->max_rows && !rc; i++) {
		if (!more(c[0], c[i], key))
			break;
		mark = f->out->len;
		rc = PUTS(f, ",");
		if (!rc)
			rc = item(f, c[i], key);
		if (rc)
			return rc;
		if (f->out->len - start + tail > f->max_statement) {
			dm_buf_truncate(f->out, mark);
			break;
		}
	}
	*used = i;
	return rc;
}

static int item_row(fmt *f, const dm_dml_change *c, long key)
{
	(void)key;
	return put_row(f, c->table, c->after);
}

static bool more_insert(const dm_dml_change *first, const dm_dml_change *c,
			long key)
{
	(void)key;
	return joins(first, c);
}

/* (v1,v2) or v1: the key's values for DELETE ... IN. */
static int item_key(fmt *f, const dm_dml_change *c, long key)
{
	const dm_dml_table *t = c->table;
	const dml_key *k = &t->keys[key];
	size_t i;
	int rc = k->n > 1 ? PUTS(f, "(") : 0;

	for (i = 0; i < k->n && !rc; i++) {
		size_t col = k->cols[i];

		if (i)
			rc = PUTS(f, ",");
		if (!rc)
			rc = put_cmp_literal(f, &t->cols[col], &c->before[col],
					     false);
	}
	return rc || k->n == 1 ? rc : PUTS(f, ")");
}

static bool more_delete(const dm_dml_change *first, const dm_dml_change *c,
			long key)
{
	return joins(first, c) && where_key(c->table, c->before) == key;
}

/* An UPDATE that INSERT ... ON DUPLICATE KEY UPDATE can do: not safe, on
 * a table whose only unique key is the identity key, keeping it. */
static bool odku_ok(const dm_dml_change *c)
{
	const dm_dml_table *t = c->table;
	const dml_key *k;

	if (c->op != DM_DML_UPDATE || c->safe || t->identity != 0 ||
	    t->nkeys != 1 || t->nskipped)
		return false;
	k = &t->keys[0];
	return dm__dml_key_present(t, k, c->before) &&
	       dm__dml_key_present(t, k, c->after) &&
	       dm__dml_key_equal(t, k, c->before, t, k, c->after);
}

static bool more_odku(const dm_dml_change *first, const dm_dml_change *c,
		      long key)
{
	(void)key;
	return joins(first, c) && odku_ok(c);
}

static int multi_insert(fmt *f, size_t *used, const dm_dml_change *const *c,
			size_t n, size_t start)
{
	int rc = put_insert(f, c[0]->table, c[0]->after, c[0]->safe);

	return rc ? rc : run(f, used, c, n, start, 0, item_row, 0, more_insert);
}

static int multi_odku(fmt *f, size_t *used, const dm_dml_change *const *c,
		      size_t n, size_t start)
{
	const dm_dml_table *t = c[0]->table;
	int rc = put_insert(f, t, c[0]->after, false);

	if (!rc)
		rc = run(f, used, c, n, start, t->odku_len, item_row, 0,
			 more_odku);
	return rc ? rc : put(f, t->odku, t->odku_len);
}

static int multi_delete(fmt *f, size_t *used, const dm_dml_change *const *c,
			size_t n, size_t start, long key)
{
	const dm_dml_table *t = c[0]->table;
	const dml_key *k = &t->keys[key];
	size_t i;
	int rc = PUTS(f, "DELETE FROM ");

	if (!rc)
		rc = put(f, t->qtable, t->qtable_len);
	if (!rc)
		rc = PUTS(f, " WHERE ");
	if (!rc && k->n > 1)
		rc = PUTS(f, "(");
	for (i = 0; i < k->n && !rc; i++) {
		if (i)
			rc = PUTS(f, ",");
		if (!rc)
			rc = put(f, t->cols[k->cols[i]].quoted,
				 t->cols[k->cols[i]].quoted_len);
	}
	if (!rc && k->n > 1)
		rc = PUTS(f, ")");
	if (!rc)
		rc = PUTS(f, " IN (");
	if (!rc)
		rc = item_key(f, c[0], key);
	if (!rc)
		rc = run(f, used, c, n, start, 1, item_key, key, more_delete);
	return rc ? rc : PUTS(f, ")");
}

/* One statement for as many of c[0..n) as may share it. */
static int put_multi(fmt *f, size_t *used, const dm_dml_change *const *c,
		     size_t n)
{
	const dm_dml_change *c0 = c[0];
	size_t start = f->out->len;
	long key;
	int rc;

	*used = 1;
	if (n < 2 || !joins(c0, c[1]))
		return put_one(f, c0);
	switch (c0->op) {
	case DM_DML_INSERT:
		return multi_insert(f, used, c, n, start);
	case DM_DML_DELETE:
		key = where_key(c0->table, c0->before);
		if (key < 0 || !more_delete(c0, c[1], key))
			return put_one(f, c0);
		rc = multi_delete(f, used, c, n, start, key);
		break;
	default:
		if (!odku_ok(c0) || !odku_ok(c[1]))
			return put_one(f, c0);
		rc = multi_odku(f, used, c, n, start);
		break;
	}
	/* One row after all (the limits): the plain statement. */
	if (!rc && *used == 1) {
		dm_buf_truncate(f->out, start);
		rc = put_one(f, c0);
	}
	return rc;
}

int dm_dml_format(dm_buf *out, size_t *used, const dm_dml_change *const *c,
		  size_t n, const dm_dml_format_opts *opts, dm_error **err)
{
	fmt f;
	size_t start, u = 1;
	int rc;

	if (used)
		*used = 0;
	if (!out || !used || !c || n == 0)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_dml_format: NULL or empty argument");
	if (opts && opts->version != 1)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_dml_format: unknown options version %u",
				    opts->version);
	if (!valid(c[0]))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_dml_format: a change lacks its table, "
				    "a valid operation or a row image");
	f.out = out;
	f.err = err;
	f.max_statement = opts && opts->max_statement ? opts->max_statement :
							DEFAULT_MAX_STATEMENT;
	f.max_rows = opts && opts->max_rows ? opts->max_rows : DEFAULT_MAX_ROWS;
	start = out->len;
	if (opts && (opts->flags & DM_DML_MULTI_ROWS))
		rc = put_multi(&f, &u, c, n);
	else
		rc = put_one(&f, c[0]);
	if (rc) {
		if (out->data)
			dm_buf_truncate(out, start);
		return rc;
	}
	*used = u;
	return 0;
}
