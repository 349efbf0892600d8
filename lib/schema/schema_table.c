/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The table model: columns and keys built from CREATE TABLE trees and
 * changed by ALTER TABLE specifications, with the normalisations MariaDB
 * applies (display widths, default collations, default literals converted
 * to the column type, implicit NOT NULL of primary key columns).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schema/schema_int.h"
#include "util/alloc.h"

#define EXEC_ERR DM_E_SCHEMA_TRACKER_CANNOT_EXEC_DDL

/* ---------------------------------------------------------- life cycle */

dm_schema_table *dm__schema_table_new(const char *schema, const char *name)
{
	dm_schema_table *t = dm__calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->refs = 1;
	dm__vec_init(&t->cols, sizeof(dm_schema_column));
	dm__vec_init(&t->keys, sizeof(dm_schema_key));
	dm__vec_init(&t->opts, sizeof(schema_option));
	if (dm__schema_table_set_name(t, schema, name) != 0) {
		dm__schema_table_unref(t);
		return NULL;
	}
	return t;
}

static void column_clear(dm_schema_column *c)
{
	dm__free((char *)c->name);
	dm__free((char *)c->type);
	dm__free((char *)c->type_name);
	dm__free((char *)c->charset);
	dm__free((char *)c->collation);
	dm__free((char *)c->default_sql);
	dm__free((char *)c->on_update);
	dm__free((char *)c->generated);
	dm__free((char *)c->comment);
	memset(c, 0, sizeof(*c));
}

static void key_clear(dm_schema_key *k)
{
	size_t i;

	for (i = 0; i < k->nparts; i++)
		dm__free((char *)k->parts[i].column);
	dm__free((void *)k->parts);
	dm__free((char *)k->name);
	dm__free((char *)k->index_type);
	dm__free((char *)k->comment);
	memset(k, 0, sizeof(*k));
}

static void table_clear(dm_schema_table *t)
{
	size_t i;

	for (i = 0; i < t->cols.len; i++)
		column_clear(&DM__VEC_DATA(&t->cols, dm_schema_column)[i]);
	for (i = 0; i < t->keys.len; i++)
		key_clear(&DM__VEC_DATA(&t->keys, dm_schema_key)[i]);
	for (i = 0; i < t->opts.len; i++) {
		dm__free(DM__VEC_DATA(&t->opts, schema_option)[i].name);
		dm__free(DM__VEC_DATA(&t->opts, schema_option)[i].value);
	}
	dm__vec_free(&t->cols);
	dm__vec_free(&t->keys);
	dm__vec_free(&t->opts);
}

void dm__schema_table_ref(dm_schema_table *t)
{
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_RELAXED);
}

void dm__schema_table_unref(dm_schema_table *t)
{
	if (!t || __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	table_clear(t);
	dm__free(t->schema);
	dm__free(t->name);
	dm__free(t->charset);
	dm__free(t->collation);
	dm__free(t);
}

/* Replaces *slot with a copy of s (NULL stays NULL). */
static int set_str(const char **slot, const char *s)
{
	char *c = NULL;

	if (s && !(c = dm__strdup(s)))
		return DM_E_NO_MEMORY;
	dm__free((char *)*slot);
	*slot = c;
	return 0;
}

static int column_copy(dm_schema_column *dst, const dm_schema_column *src)
{
	dm_schema_column c = *src;
	const char **f[] = { &c.name, &c.type, &c.type_name, &c.charset,
			     &c.collation, &c.default_sql, &c.on_update,
			     &c.generated, &c.comment };
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *s = *f[i];

		*f[i] = NULL;
		if (rc == 0)
			rc = set_str(f[i], s);
	}
	if (rc != 0)
		column_clear(&c);
	*dst = c;
	return rc;
}

static int key_copy(dm_schema_key *dst, const dm_schema_key *src)
{
	dm_schema_key k;
	dm_schema_key_part *parts;
	size_t i;

	memset(&k, 0, sizeof(k));
	k.kind = src->kind;
	parts = dm__calloc(src->nparts ? src->nparts : 1, sizeof(*parts));
	if (!parts)
		return DM_E_NO_MEMORY;
	k.parts = parts;
	for (i = 0; i < src->nparts; i++) {
		parts[i] = src->parts[i];
		parts[i].column = dm__strdup(src->parts[i].column);
		if (!parts[i].column)
			goto out_nomem;
		k.nparts = i + 1;
	}
	if (set_str(&k.name, src->name) || set_str(&k.index_type, src->index_type) ||
	    set_str(&k.comment, src->comment))
		goto out_nomem;
	*dst = k;
	return 0;
out_nomem:
	key_clear(&k);
	return DM_E_NO_MEMORY;
}

static int option_put(dm_schema_table *t, const char *name, const char *value)
{
	schema_option *o;
	char *v = dm__strdup(value), *n;
	size_t i;

	if (!v)
		return DM_E_NO_MEMORY;
	for (i = 0; i < t->opts.len; i++) {
		o = &DM__VEC_DATA(&t->opts, schema_option)[i];
		if (strcmp(o->name, name) == 0) {
			dm__free(o->value);
			o->value = v;
			return 0;
		}
	}
	n = dm__strdup(name);
	o = n ? dm__vec_push_zero(&t->opts) : NULL;
	if (!o) {
		dm__free(n);
		dm__free(v);
		return DM_E_NO_MEMORY;
	}
	o->name = n;
	o->value = v;
	return 0;
}

dm_schema_table *dm__schema_table_clone(const dm_schema_table *t)
{
	dm_schema_table *c = dm__schema_table_new(t->schema, t->name);
	size_t i;

	if (!c)
		return NULL;
	if (dm__schema_table_set_charset(c, t->charset, t->collation) ||
	    dm__vec_reserve(&c->cols, t->cols.len) ||
	    dm__vec_reserve(&c->keys, t->keys.len))
		goto out_free;
	for (i = 0; i < t->cols.len; i++) {
		dm_schema_column *d = dm__vec_push_zero(&c->cols);

		if (column_copy(d, dm__vec_get(&t->cols, i)) != 0)
			goto out_free;
	}
	for (i = 0; i < t->keys.len; i++) {
		dm_schema_key *d = dm__vec_push_zero(&c->keys);

		if (key_copy(d, dm__vec_get(&t->keys, i)) != 0)
			goto out_free;
	}
	for (i = 0; i < t->opts.len; i++) {
		const schema_option *o = dm__vec_get(&t->opts, i);

		if (option_put(c, o->name, o->value) != 0)
			goto out_free;
	}
	return c;
out_free:
	dm__schema_table_unref(c);
	return NULL;
}

int dm__schema_table_set_name(dm_schema_table *t, const char *schema,
			      const char *name)
{
	char *s = dm__strdup(schema), *n = dm__strdup(name);

	if (!s || !n) {
		dm__free(s);
		dm__free(n);
		return DM_E_NO_MEMORY;
	}
	dm__free(t->schema);
	dm__free(t->name);
	t->schema = s;
	t->name = n;
	return 0;
}

int dm__schema_table_set_charset(dm_schema_table *t, const char *charset,
				 const char *collation)
{
	const char *cs = NULL, *co = NULL;

	if (set_str(&cs, charset) || set_str(&co, collation)) {
		dm__free((char *)cs);
		return DM_E_NO_MEMORY;
	}
	dm__free(t->charset);
	dm__free(t->collation);
	t->charset = (char *)cs;
	t->collation = (char *)co;
	return 0;
}

/* ------------------------------------------------------------ charsets */

static const struct {
	const char *charset, *collation;
	int mbmax;
} charsets[] = {
	{ "utf8mb4", "utf8mb4_general_ci", 4 },
	{ "utf8mb3", "utf8mb3_general_ci", 3 },
	{ "latin1", "latin1_swedish_ci", 1 },
	{ "ascii", "ascii_general_ci", 1 },
	{ "binary", "binary", 1 },
	{ "latin2", "latin2_general_ci", 1 },
	{ "ucs2", "ucs2_general_ci", 2 },
	{ "utf16", "utf16_general_ci", 4 },
	{ "utf16le", "utf16le_general_ci", 4 },
	{ "utf32", "utf32_general_ci", 4 },
	{ "cp1250", "cp1250_general_ci", 1 },
	{ "cp1251", "cp1251_general_ci", 1 },
	{ "gbk", "gbk_chinese_ci", 2 },
	{ "gb2312", "gb2312_chinese_ci", 2 },
	{ "big5", "big5_chinese_ci", 2 },
	{ "sjis", "sjis_japanese_ci", 2 },
	{ "ujis", "ujis_japanese_ci", 3 },
	{ "euckr", "euckr_korean_ci", 2 },
	{ "greek", "greek_general_ci", 1 },
	{ "hebrew", "hebrew_general_ci", 1 },
};

static int charset_mbmax(const char *cs)
{
	size_t i;

	for (i = 0; cs && i < sizeof(charsets) / sizeof(charsets[0]); i++)
		if (strcmp(charsets[i].charset, cs) == 0)
			return charsets[i].mbmax;
	return 1;
}

const char *dm__schema_default_collation(const char *charset, char *buf,
					 size_t size)
{
	size_t i;

	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++)
		if (strcmp(charsets[i].charset, charset) == 0)
			return charsets[i].collation;
	snprintf(buf, size, "%s_general_ci", charset);
	return buf;
}

/* Lower case copy of a name; "utf8" spelled as MariaDB 10.6+ does. */
static char *canon_cs(const char *s)
{
	char *c;
	size_t i, n = strlen(s);

	if (strncasecmp(s, "utf8", 4) == 0 &&
	    (s[4] == '\0' || s[4] == '_')) {
		/* "utf8mb3" + what follows "utf8" + NUL */
		c = dm__malloc(7 + (n - 4) + 1);
		if (!c)
			return NULL;
		memcpy(c, "utf8mb3", 7);
		memcpy(c + 7, s + 4, n - 4 + 1);
	} else if (!(c = dm__strdup(s))) {
		return NULL;
	}
	for (i = 0; c[i]; i++)
		if (c[i] >= 'A' && c[i] <= 'Z')
			c[i] = (char)(c[i] - 'A' + 'a');
	return c;
}

/* Resolves (charset, collation) as written, either may be NULL, against
 * the fallback pair; results are new strings (NULL when unknown). */
static int resolve_charset(char **ocs, char **oco, const char *cs,
			   const char *co, const char *dcs, const char *dco)
{
	char buf[96];
	char *rcs = NULL, *rco = NULL;

	*ocs = *oco = NULL;
	if (co && !cs) {
		const char *u;

		rco = canon_cs(co);
		if (!rco)
			return DM_E_NO_MEMORY;
		u = strchr(rco, '_');
		rcs = u ? dm__strndup(rco, (size_t)(u - rco)) : dm__strdup(rco);
	} else if (cs) {
		rcs = canon_cs(cs);
		if (!rcs)
			return DM_E_NO_MEMORY;
		rco = co ? canon_cs(co)
			 : dm__strdup(dm__schema_default_collation(
				   rcs, buf, sizeof(buf)));
	} else if (dcs) {
		rcs = dm__strdup(dcs);
		rco = dco ? dm__strdup(dco)
			  : dm__strdup(dm__schema_default_collation(
				    dcs, buf, sizeof(buf)));
	} else {
		return 0;
	}
	if (!rcs || !rco) {
		dm__free(rcs);
		dm__free(rco);
		return DM_E_NO_MEMORY;
	}
	*ocs = rcs;
	*oco = rco;
	return 0;
}

int dm__schema_resolve_charset(char **charset, char **collation,
			       const char *cs, const char *co)
{
	return resolve_charset(charset, collation, cs, co, NULL, NULL);
}

/* --------------------------------------------------------------- types */

enum tclass { T_INT, T_DECIMAL, T_FLOAT, T_BIT, T_TIME, T_YEAR, T_CHAR,
	      T_TEXT, T_BINARY, T_BLOB, T_ENUM, T_OTHER };

static enum tclass type_class(const char *n)
{
	static const struct {
		const char *name;
		enum tclass cls;
	} map[] = {
		{ "TINYINT", T_INT }, { "SMALLINT", T_INT },
		{ "MEDIUMINT", T_INT }, { "INT", T_INT }, { "BIGINT", T_INT },
		{ "DECIMAL", T_DECIMAL }, { "FLOAT", T_FLOAT },
		{ "DOUBLE", T_FLOAT }, { "BIT", T_BIT }, { "TIME", T_TIME },
		{ "DATETIME", T_TIME }, { "TIMESTAMP", T_TIME },
		{ "YEAR", T_YEAR }, { "CHAR", T_CHAR }, { "VARCHAR", T_CHAR },
		{ "TINYTEXT", T_TEXT }, { "TEXT", T_TEXT },
		{ "MEDIUMTEXT", T_TEXT }, { "LONGTEXT", T_TEXT },
		{ "BINARY", T_BINARY }, { "VARBINARY", T_BINARY },
		{ "TINYBLOB", T_BLOB }, { "BLOB", T_BLOB },
		{ "MEDIUMBLOB", T_BLOB }, { "LONGBLOB", T_BLOB },
		{ "ENUM", T_ENUM }, { "SET", T_ENUM },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, n) == 0)
			return map[i].cls;
	return T_OTHER;
}

static bool is_text_class(enum tclass c)
{
	return c == T_CHAR || c == T_TEXT || c == T_ENUM;
}

static bool is_numeric_class(enum tclass c)
{
	return c == T_INT || c == T_DECIMAL || c == T_FLOAT || c == T_YEAR;
}

static long long int_width(const char *n, bool is_unsigned)
{
	if (strcmp(n, "TINYINT") == 0)
		return is_unsigned ? 3 : 4;
	if (strcmp(n, "SMALLINT") == 0)
		return is_unsigned ? 5 : 6;
	if (strcmp(n, "MEDIUMINT") == 0)
		return is_unsigned ? 8 : 9;
	if (strcmp(n, "INT") == 0)
		return is_unsigned ? 10 : 11;
	return 20;
}

/* The TEXT/BLOB type that holds `bytes` bytes. */
static const char *lob_for(long long bytes, bool text)
{
	if (bytes <= 255)
		return text ? "TINYTEXT" : "TINYBLOB";
	if (bytes <= 65535)
		return text ? "TEXT" : "BLOB";
	if (bytes <= 16777215)
		return text ? "MEDIUMTEXT" : "MEDIUMBLOB";
	return text ? "LONGTEXT" : "LONGBLOB";
}

static long long lob_bytes(const char *n)
{
	if (strstr(n, "TINY"))
		return 255;
	if (strstr(n, "MEDIUM"))
		return 16777215;
	if (strstr(n, "LONG"))
		return 4294967295LL;
	return 65535;
}

static int put_quoted(dm_buf *b, const char *s, size_t n)
{
	size_t i;
	int rc = dm_buf_putc(b, '\'');

	for (i = 0; rc == 0 && i < n; i++) {
		if (s[i] == '\'')
			rc = dm_buf_puts(b, "''");
		else if (s[i] == '\\')
			rc = dm_buf_puts(b, "\\\\");
		else if (s[i] == '\0')	/* kept out of C strings */
			rc = dm_buf_puts(b, "\\0");
		else
			rc = dm_buf_putc(b, s[i]);
	}
	return rc ? rc : dm_buf_putc(b, '\'');
}

static char *lower_dup(const char *s)
{
	char *c = dm__strdup(s);
	size_t i;

	for (i = 0; c && c[i]; i++)
		if (c[i] >= 'A' && c[i] <= 'Z')
			c[i] = (char)(c[i] - 'A' + 'a');
	return c;
}

/* Recomputes c->type from type_name, length, scale and flags. */
static int render_type(dm_schema_column *c, const dm_sql_data_type *ty)
{
	dm_buf b = DM_BUF_INIT;
	char *low = lower_dup(c->type_name);
	int rc;
	size_t i;

	if (!low)
		return DM_E_NO_MEMORY;
	rc = dm_buf_puts(&b, low);
	dm__free(low);
	if (rc == 0 && ty && ty->nvalues > 0) {
		rc = dm_buf_putc(&b, '(');
		for (i = 0; rc == 0 && i < ty->nvalues; i++) {
			if (i > 0)
				rc = dm_buf_putc(&b, ',');
			if (rc == 0)
				rc = put_quoted(&b, ty->values[i].ptr,
						ty->values[i].len);
		}
		if (rc == 0)
			rc = dm_buf_putc(&b, ')');
	} else if (rc == 0 && c->length >= 0 && c->scale >= 0) {
		rc = dm_buf_printf(&b, "(%lld,%lld)", c->length, c->scale);
	} else if (rc == 0 && c->length >= 0) {
		rc = dm_buf_printf(&b, "(%lld)", c->length);
	}
	if (rc == 0 && c->is_unsigned)
		rc = dm_buf_puts(&b, " unsigned");
	if (rc == 0 && c->zerofill)
		rc = dm_buf_puts(&b, " zerofill");
	if (rc != 0) {
		dm_buf_free(&b);
		return rc;
	}
	dm__free((char *)c->type);
	c->type = dm_buf_detach(&b);
	return c->type ? 0 : DM_E_NO_MEMORY;
}

/* Type name, sizes and the (possibly forced) charset of a column. */
static int column_type(dm_schema_column *c, const dm_sql_data_type *ty,
		       const char **force_cs, const char **force_co,
		       dm_error **err)
{
	const char *n = ty->name;
	enum tclass cls;
	bool binary_cs = ty->charset && strcasecmp(ty->charset, "binary") == 0;

	c->length = ty->length;
	c->scale = ty->scale;
	c->is_unsigned = ty->is_unsigned || ty->zerofill;
	c->zerofill = ty->zerofill;
	*force_cs = *force_co = NULL;
	if (strcmp(n, "NCHAR") == 0 || strcmp(n, "NVARCHAR") == 0) {
		n = n[1] == 'C' ? "CHAR" : "VARCHAR";
		*force_cs = "utf8mb3";
	} else if (strcmp(n, "SERIAL") == 0) {
		n = "BIGINT";
		c->is_unsigned = true;
		c->auto_increment = true;
	} else if (strcmp(n, "JSON") == 0) {
		n = "LONGTEXT";
		*force_cs = "utf8mb4";
		*force_co = "utf8mb4_bin";
	}
	if (binary_cs) {
		if (strcmp(n, "CHAR") == 0)
			n = "BINARY";
		else if (strcmp(n, "VARCHAR") == 0)
			n = "VARBINARY";
		else if (type_class(n) == T_TEXT)
			n = lob_for(lob_bytes(n), false);
	}
	cls = type_class(n);
	switch (cls) {
	case T_INT:
		if (c->length < 0)
			c->length = int_width(n, c->is_unsigned);
		c->scale = -1;
		break;
	case T_DECIMAL:
		if (c->length < 0)
			c->length = 10;
		if (c->scale < 0)
			c->scale = 0;
		break;
	case T_FLOAT:
		if (c->length >= 0 && c->scale < 0) {
			/* FLOAT(p): precision in bits picks the type */
			n = c->length > 24 ? "DOUBLE" : "FLOAT";
			c->length = -1;
		}
		break;
	case T_BIT:
	case T_CHAR:
	case T_BINARY:
		if (c->length < 0)
			c->length = 1;
		if (strcmp(n, "VARCHAR") == 0 && ty->length < 0)
			return dm_error_set(err, EXEC_ERR,
					    "column `%s`: VARCHAR needs a length",
					    c->name);
		break;
	case T_TIME:
		if (c->length == 0)
			c->length = -1;
		break;
	case T_YEAR:
		c->length = 4;
		break;
	case T_TEXT:
	case T_BLOB:
		if (c->length >= 0) {
			long long mb = cls == T_TEXT && !binary_cs
					       ? charset_mbmax(ty->charset)
					       : 1;
			n = lob_for(c->length * mb, cls == T_TEXT);
			c->length = -1;
		}
		break;
	default:
		break;
	}
	if (type_class(n) == T_BLOB || type_class(n) == T_ENUM ||
	    type_class(n) == T_TEXT || type_class(n) == T_OTHER)
		c->length = c->scale = type_class(n) == T_OTHER ? c->length
								 : -1;
	return set_str(&c->type_name, n);
}

/* ------------------------------------------------------------ defaults */

/* Writes a numeric literal as MariaDB stores it in a column of class cls
 * with scale `scale`; false when `s` is not a plain number. */
static bool put_number(dm_buf *b, const char *s, enum tclass cls,
		       long long scale, long long zerofill_width)
{
	const char *p = s, *dot, *end;
	bool neg = false;
	size_t ni, nf, k;
	char digits[80];
	size_t nd = 0;

	while (*p == ' ')
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	end = p + strspn(p, "0123456789");
	dot = *end == '.' ? end : NULL;
	ni = (size_t)(end - p);
	nf = dot ? strspn(dot + 1, "0123456789") : 0;
	if ((dot ? dot + 1 + nf : end)[0] != '\0' || ni + nf == 0 ||
	    ni + nf + 4 > sizeof(digits))
		return false;
	if (cls == T_FLOAT) {
		dm_buf_puts(b, s);
		return true;
	}
	if (cls != T_DECIMAL)
		scale = 0;
	/* integer digits then the fraction rounded half up to `scale` */
	memcpy(digits, p, ni);
	nd = ni;
	for (k = 0; k < (size_t)scale && k < 30; k++)
		digits[nd++] = k < nf ? dot[1 + k] : '0';
	if ((size_t)scale < nf && dot[1 + scale] >= '5') {
		size_t j = nd;

		while (j > 0 && digits[j - 1] == '9')
			digits[--j] = '0';
		if (j == 0) {
			memmove(digits + 1, digits, nd++);
			digits[0] = '1';
			ni++;
		} else {
			digits[j - 1]++;
		}
	}
	k = 0;
	while (k + 1 < ni && digits[k] == '0')
		k++;
	if (ni == 0) {
		memmove(digits + 1, digits, nd++);
		digits[0] = '0';
		ni = 1;
	}
	{
		/* digits[] is not NUL-terminated: look at its nd bytes only. */
		bool zero = true;
		size_t z;

		for (z = k; z < nd && zero; z++)
			zero = digits[z] == '0';
		if (neg && !zero)
			dm_buf_putc(b, '-');
	}
	while (cls == T_INT && zerofill_width > (long long)(ni - k)) {
		dm_buf_putc(b, '0');
		zerofill_width--;
	}
	dm_buf_append(b, digits + k, ni - k);
	if (scale > 0) {
		dm_buf_putc(b, '.');
		dm_buf_append(b, digits + ni, nd - ni);
	}
	return true;
}

static bool is_literal(const dm_sql_expr *e)
{
	switch (e->kind) {
	case DM_SQL_EXPR_INT:
	case DM_SQL_EXPR_DECIMAL:
	case DM_SQL_EXPR_FLOAT:
	case DM_SQL_EXPR_STRING:
	case DM_SQL_EXPR_BOOL:
		return true;
	case DM_SQL_EXPR_UNARY:
		return (e->op == DM_SQL_OP_NEG || e->op == DM_SQL_OP_PLUS) &&
		       e->nargs == 1 &&
		       (e->args[0]->kind == DM_SQL_EXPR_INT ||
			e->args[0]->kind == DM_SQL_EXPR_DECIMAL ||
			e->args[0]->kind == DM_SQL_EXPR_FLOAT);
	default:
		return false;
	}
}

/* Sets the default of c from a DEFAULT clause. */
static int set_default(dm_schema_column *c, dm_sql_default_kind kind,
		       const dm_sql_expr *e, const char *text, int fsp,
		       dm_error **err)
{
	dm_buf b = DM_BUF_INIT;
	enum tclass cls = type_class(c->type_name);
	int rc = 0;

	dm__free((char *)c->default_sql);
	c->default_sql = NULL;
	c->default_kind = DM_SCHEMA_DEFAULT_NONE;
	switch (kind) {
	case DM_SQL_DEFAULT_NONE:
		if (c->nullable && !c->generated && !c->auto_increment) {
			c->default_kind = DM_SCHEMA_DEFAULT_NULL;
			rc = dm_buf_puts(&b, "NULL");
		}
		break;
	case DM_SQL_DEFAULT_NULL:
		if (!c->nullable)
			return dm_error_set(err, EXEC_ERR,
					    "invalid default value for `%s`",
					    c->name);
		c->default_kind = DM_SCHEMA_DEFAULT_NULL;
		rc = dm_buf_puts(&b, "NULL");
		break;
	case DM_SQL_DEFAULT_CURRENT_TIMESTAMP:
		c->default_kind = DM_SCHEMA_DEFAULT_EXPR;
		rc = fsp > 0 ? dm_buf_printf(&b, "current_timestamp(%d)", fsp)
			     : dm_buf_puts(&b, "current_timestamp()");
		break;
	case DM_SQL_DEFAULT_LITERAL:
	case DM_SQL_DEFAULT_EXPR:
		if (e && is_literal(e)) {
			dm_buf v = DM_BUF_INIT;

			c->default_kind = DM_SCHEMA_DEFAULT_LITERAL;
			if (e->kind == DM_SQL_EXPR_UNARY) {
				rc = dm_buf_puts(&v, e->op == DM_SQL_OP_NEG
							     ? "-" : "");
				if (rc == 0)
					rc = dm_buf_append(&v,
						e->args[0]->value.ptr,
						e->args[0]->value.len);
			} else if (e->kind == DM_SQL_EXPR_BOOL) {
				rc = dm_buf_puts(&v, e->value.ptr[0] == 'T'
							     ? "1" : "0");
			} else {
				rc = dm_buf_append(&v, e->value.ptr,
						   e->value.len);
			}
			if (rc == 0 && c->is_unsigned && v.data &&
			    v.data[0] == '-' &&
			    v.data[strspn(v.data, "-0.")] != '\0') {
				dm_buf_free(&v);
				return dm_error_set(err, EXEC_ERR,
						    "invalid default value "
						    "for `%s`", c->name);
			}
			/* A number as the column stores it; a string that
			 * is no number (which the server refuses) stays a
			 * string, so that it reads back the same. */
			if (rc == 0 && (!v.data || !is_numeric_class(cls) ||
					!put_number(&b, v.data, cls, c->scale,
					    c->zerofill ? c->length : 0)))
				rc = is_numeric_class(cls) && v.data &&
					     e->kind != DM_SQL_EXPR_STRING
					     ? dm_buf_puts(&b, v.data)
					     : put_quoted(&b, v.data ? v.data : "",
							  v.len);
			dm_buf_free(&v);
		} else {
			c->default_kind = DM_SCHEMA_DEFAULT_EXPR;
			rc = dm_buf_puts(&b, text ? text : "NULL");
		}
		break;
	}
	if (rc != 0) {
		dm_buf_free(&b);
		return rc;
	}
	if (b.data && !(c->default_sql = dm_buf_detach(&b)))
		return DM_E_NO_MEMORY;
	return 0;
}

/* ------------------------------------------------------------- columns */

static int column_from_sql(dm_schema_column *out, const dm_schema_table *t,
			   const dm_sql_column *sc, dm_error **err)
{
	dm_schema_column c;
	const char *fcs, *fco;
	char *cs = NULL, *co = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = set_str(&c.name, sc->name)) != 0)
		goto out_err;
	c.auto_increment = sc->auto_increment;
	if ((rc = column_type(&c, sc->type, &fcs, &fco, err)) != 0)
		goto out_err;
	if (is_text_class(type_class(c.type_name)) || fcs) {
		rc = resolve_charset(&cs, &co, fcs ? fcs : sc->type->charset,
				     fco ? fco : sc->type->collation,
				     t->charset, t->collation);
		if (rc != 0)
			goto out_err;
		if (sc->type->binary && cs && !sc->type->collation) {
			dm__free(co);
			co = dm__malloc(strlen(cs) + 5);
			if (!co) {
				rc = DM_E_NO_MEMORY;
				goto out_err;
			}
			memcpy(co, cs, strlen(cs));
			memcpy(co + strlen(cs), "_bin", 5);
		}
		c.charset = cs;
		c.collation = co;
		cs = co = NULL;
	}
	if ((rc = render_type(&c, sc->type)) != 0)
		goto out_err;
	c.nullable = sc->nullability != DM_SQL_NULLABILITY_NOT_NULL &&
		     !sc->primary_key && strcmp(sc->type->name, "SERIAL") != 0;
	if (sc->generated == DM_SQL_GENERATED_VIRTUAL ||
	    sc->generated == DM_SQL_GENERATED_STORED) {
		if ((rc = set_str(&c.generated, sc->generated_text)) != 0)
			goto out_err;
		c.stored = sc->generated == DM_SQL_GENERATED_STORED;
	}
	c.invisible = sc->invisible;
	if (sc->on_update) {
		dm_buf b = DM_BUF_INIT;

		rc = sc->on_update_fsp > 0
			     ? dm_buf_printf(&b, "current_timestamp(%d)",
					     sc->on_update_fsp)
			     : dm_buf_puts(&b, "current_timestamp()");
		if (rc == 0)
			rc = set_str(&c.on_update, b.data);
		dm_buf_free(&b);
		if (rc != 0)
			goto out_err;
	}
	if (sc->has_comment) {
		c.comment = dm__strndup(sc->comment.ptr, sc->comment.len);
		if (!c.comment) {
			rc = DM_E_NO_MEMORY;
			goto out_err;
		}
	}
	rc = set_default(&c, sc->default_kind, sc->default_expr,
			 sc->default_text, sc->default_fsp, err);
	if (rc != 0)
		goto out_err;
	*out = c;
	return 0;
out_err:
	dm__free(cs);
	dm__free(co);
	column_clear(&c);
	if (rc == DM_E_NO_MEMORY)
		dm_error_set(err, rc, "out of memory");
	return rc;
}

static long find_col(const dm_schema_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->cols.len; i++)
		if (strcasecmp(DM__VEC_DATA(&t->cols, dm_schema_column)[i].name,
			       name) == 0)
			return (long)i;
	return -1;
}

static long find_key(const dm_schema_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->keys.len; i++)
		if (strcasecmp(DM__VEC_DATA(&t->keys, dm_schema_key)[i].name,
			       name) == 0)
			return (long)i;
	return -1;
}

/* Makes a primary key column NOT NULL (its implicit NULL default goes). */
static void force_not_null(dm_schema_column *c)
{
	c->nullable = false;
	if (c->default_kind == DM_SCHEMA_DEFAULT_NULL) {
		c->default_kind = DM_SCHEMA_DEFAULT_NONE;
		dm__free((char *)c->default_sql);
		c->default_sql = NULL;
	}
}

static bool col_in_primary(const dm_schema_table *t, const char *name)
{
	size_t i, j;

	for (i = 0; i < t->keys.len; i++) {
		const dm_schema_key *k = dm__vec_get(&t->keys, i);

		if (k->kind != DM_SCHEMA_KEY_PRIMARY)
			continue;
		for (j = 0; j < k->nparts; j++)
			if (strcasecmp(k->parts[j].column, name) == 0)
				return true;
	}
	return false;
}

/* Inserts column c (moved in) at position pos (FIRST / AFTER / end). */
static int insert_col(dm_schema_table *t, dm_schema_column *c,
		      dm_sql_position pos, const char *after, dm_error **err)
{
	size_t at = t->cols.len;
	dm_schema_column *d;

	if (pos == DM_SQL_POSITION_FIRST) {
		at = 0;
	} else if (pos == DM_SQL_POSITION_AFTER) {
		long i = find_col(t, after);

		if (i < 0)
			return dm_error_set(err, EXEC_ERR,
					    "unknown column `%s` in AFTER",
					    after);
		at = (size_t)i + 1;
	}
	if (!dm__vec_push_zero(&t->cols))
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	d = DM__VEC_DATA(&t->cols, dm_schema_column);
	memmove(d + at + 1, d + at, (t->cols.len - 1 - at) * sizeof(*d));
	d[at] = *c;
	memset(c, 0, sizeof(*c));
	return 0;
}

static int add_column(dm_schema_table *t, const dm_sql_column *sc,
		      dm_sql_position pos, const char *after,
		      bool if_not_exists, dm_error **err)
{
	dm_schema_column c;
	int rc;

	if (find_col(t, sc->name) >= 0) {
		if (if_not_exists)
			return 0;
		return dm_error_set(err, EXEC_ERR, "duplicate column name `%s`",
				    sc->name);
	}
	rc = column_from_sql(&c, t, sc, err);
	if (rc != 0)
		return rc;
	rc = insert_col(t, &c, pos, after, err);
	column_clear(&c);
	if (rc == 0 && (sc->primary_key || sc->unique_key)) {
		dm_sql_index_part part = { sc->name, -1, DM_SQL_ORDER_NONE,
					   NULL, NULL };
		const dm_sql_index_part *pp = &part;
		dm_sql_index ix;

		memset(&ix, 0, sizeof(ix));
		ix.kind = sc->primary_key ? DM_SQL_INDEX_PRIMARY
					  : DM_SQL_INDEX_UNIQUE;
		ix.parts = &pp;
		ix.nparts = 1;
		ix.key_block_size = -1;
		rc = dm__schema_table_add_key(t, &ix, false, err);
	}
	return rc;
}

/* Renames column references in keys. */
static int rename_in_keys(dm_schema_table *t, const char *from, const char *to)
{
	size_t i, j;

	for (i = 0; i < t->keys.len; i++) {
		dm_schema_key *k = dm__vec_get(&t->keys, i);

		for (j = 0; j < k->nparts; j++) {
			dm_schema_key_part *p = (dm_schema_key_part *)&k->parts[j];

			if (strcasecmp(p->column, from) == 0 &&
			    set_str(&p->column, to) != 0)
				return DM_E_NO_MEMORY;
		}
	}
	return 0;
}

static int drop_column(dm_schema_table *t, const char *name, bool if_exists,
		       dm_error **err)
{
	long ci = find_col(t, name);
	size_t i, j;

	if (ci < 0)
		return if_exists ? 0
				 : dm_error_set(err, EXEC_ERR,
						"cannot drop column `%s`: no "
						"such column", name);
	if (t->cols.len == 1)
		return dm_error_set(err, EXEC_ERR,
				    "cannot drop the only column `%s`", name);
	/* columns leave their keys; a unique key that would lose a part
	 * of several is refused, as MariaDB does */
	for (i = 0; i < t->keys.len; i++) {
		const dm_schema_key *k = dm__vec_get(&t->keys, i);
		size_t hit = 0;

		for (j = 0; j < k->nparts; j++)
			hit += strcasecmp(k->parts[j].column, name) == 0;
		if (hit && hit < k->nparts &&
		    (k->kind == DM_SCHEMA_KEY_PRIMARY ||
		     k->kind == DM_SCHEMA_KEY_UNIQUE))
			return dm_error_set(err, EXEC_ERR,
					    "key column `%s` is part of "
					    "unique key `%s`", name, k->name);
	}
	for (i = t->keys.len; i-- > 0;) {
		dm_schema_key *k = dm__vec_get(&t->keys, i);
		dm_schema_key_part *parts = (dm_schema_key_part *)k->parts;

		for (j = k->nparts; j-- > 0;) {
			if (strcasecmp(parts[j].column, name) != 0)
				continue;
			dm__free((char *)parts[j].column);
			memmove(parts + j, parts + j + 1,
				(k->nparts - j - 1) * sizeof(*parts));
			k->nparts--;
		}
		if (k->nparts == 0) {
			key_clear(k);
			dm__vec_remove(&t->keys, i);
		}
	}
	column_clear(dm__vec_get(&t->cols, (size_t)ci));
	dm__vec_remove(&t->cols, (size_t)ci);
	return 0;
}

/* MODIFY (old == NULL) and CHANGE. */
static int redefine_column(dm_schema_table *t, const char *old,
			   const dm_sql_column *sc, dm_sql_position pos,
			   const char *after, bool if_exists, dm_error **err)
{
	const char *from = old ? old : sc->name;
	long ci = find_col(t, from), other = find_col(t, sc->name);
	dm_schema_column c, *slot;
	int rc;

	if (ci < 0)
		return if_exists ? 0
				 : dm_error_set(err, EXEC_ERR,
						"unknown column `%s`", from);
	if (other >= 0 && other != ci)
		return dm_error_set(err, EXEC_ERR,
				    "duplicate column name `%s`", sc->name);
	rc = column_from_sql(&c, t, sc, err);
	if (rc != 0)
		return rc;
	if (col_in_primary(t, from))
		force_not_null(&c);
	rc = rename_in_keys(t, from, sc->name);
	if (rc != 0) {
		column_clear(&c);
		return dm_error_set(err, rc, "out of memory");
	}
	slot = dm__vec_get(&t->cols, (size_t)ci);
	if (pos == DM_SQL_POSITION_NONE) {
		column_clear(slot);
		*slot = c;
		return 0;
	}
	column_clear(slot);
	dm__vec_remove(&t->cols, (size_t)ci);
	rc = insert_col(t, &c, pos, after, err);
	column_clear(&c);
	return rc;
}

/* ---------------------------------------------------------------- keys */

static int key_rank(dm_schema_key_kind k)
{
	switch (k) {
	case DM_SCHEMA_KEY_PRIMARY:
		return 0;
	case DM_SCHEMA_KEY_UNIQUE:
		return 1;
	case DM_SCHEMA_KEY_INDEX:
		return 2;
	default:
		return 3;
	}
}

int dm__schema_table_add_key(dm_schema_table *t, const dm_sql_index *ix,
			     bool if_not_exists, dm_error **err)
{
	dm_schema_key k;
	dm_schema_key_part *parts;
	char namebuf[256];
	const char *name;
	size_t i, at;
	dm_schema_key *d;

	memset(&k, 0, sizeof(k));
	switch (ix->kind) {
	case DM_SQL_INDEX_PRIMARY:
		k.kind = DM_SCHEMA_KEY_PRIMARY;
		break;
	case DM_SQL_INDEX_UNIQUE:
		k.kind = DM_SCHEMA_KEY_UNIQUE;
		break;
	case DM_SQL_INDEX_PLAIN:
		k.kind = DM_SCHEMA_KEY_INDEX;
		break;
	case DM_SQL_INDEX_FULLTEXT:
		k.kind = DM_SCHEMA_KEY_FULLTEXT;
		break;
	case DM_SQL_INDEX_SPATIAL:
		k.kind = DM_SCHEMA_KEY_SPATIAL;
		break;
	default:
		return 0; /* foreign keys, checks, periods: not modelled */
	}
	if (ix->nparts == 0)
		return dm_error_set(err, EXEC_ERR, "key without columns");
	for (i = 0; i < ix->nparts; i++) {
		if (!ix->parts[i]->column)
			return dm_error_set(err, EXEC_ERR,
					    "expression key parts are not "
					    "supported");
		if (find_col(t, ix->parts[i]->column) < 0)
			return dm_error_set(err, EXEC_ERR,
					    "key column `%s` doesn't exist",
					    ix->parts[i]->column);
	}
	if (k.kind == DM_SCHEMA_KEY_PRIMARY) {
		name = "PRIMARY";
		if (find_key(t, name) >= 0)
			return dm_error_set(err, EXEC_ERR,
					    "multiple primary key defined");
	} else {
		name = ix->name ? ix->name : ix->constraint;
		if (name && (find_key(t, name) >= 0 ||
			     strcasecmp(name, "PRIMARY") == 0)) {
			if (if_not_exists || ix->if_not_exists)
				return 0;
			return dm_error_set(err, EXEC_ERR,
					    "duplicate key name `%s`", name);
		}
		if (!name) {
			unsigned n = 2;

			name = ix->parts[0]->column;
			while (find_key(t, name) >= 0 ||
			       strcasecmp(name, "PRIMARY") == 0) {
				snprintf(namebuf, sizeof(namebuf), "%s_%u",
					 ix->parts[0]->column, n++);
				name = namebuf;
			}
		}
	}
	parts = dm__calloc(ix->nparts, sizeof(*parts));
	k.parts = parts;
	if (!parts || set_str(&k.name, name) ||
	    set_str(&k.index_type, ix->index_type))
		goto out_nomem;
	if (ix->has_comment &&
	    !(k.comment = dm__strndup(ix->comment.ptr, ix->comment.len)))
		goto out_nomem;
	for (i = 0; i < ix->nparts; i++) {
		const dm_schema_column *c =
			dm__vec_get(&t->cols,
				    (size_t)find_col(t, ix->parts[i]->column));

		parts[i].column = dm__strdup(c->name);
		if (!parts[i].column)
			goto out_nomem;
		k.nparts = i + 1;
		parts[i].length = ix->parts[i]->length;
		parts[i].desc = ix->parts[i]->order == DM_SQL_ORDER_DESC;
	}
	for (at = 0; at < t->keys.len; at++)
		if (key_rank(DM__VEC_DATA(&t->keys, dm_schema_key)[at].kind) >
		    key_rank(k.kind))
			break;
	if (!dm__vec_push_zero(&t->keys))
		goto out_nomem;
	d = DM__VEC_DATA(&t->keys, dm_schema_key);
	memmove(d + at + 1, d + at, (t->keys.len - 1 - at) * sizeof(*d));
	d[at] = k;
	if (k.kind == DM_SCHEMA_KEY_PRIMARY)
		for (i = 0; i < k.nparts; i++)
			force_not_null(dm__vec_get(
				&t->cols, (size_t)find_col(t, k.parts[i].column)));
	return 0;
out_nomem:
	key_clear(&k);
	return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
}

int dm__schema_table_drop_key(dm_schema_table *t, const char *name,
			      bool if_exists, dm_error **err)
{
	long i = find_key(t, name);

	if (i < 0)
		return if_exists ? 0
				 : dm_error_set(err, EXEC_ERR,
						"cannot drop index `%s`: no "
						"such key", name);
	key_clear(dm__vec_get(&t->keys, (size_t)i));
	dm__vec_remove(&t->keys, (size_t)i);
	return 0;
}

/* ---------------------------------------------------- options, charset */

static bool opt_is(const char *name, const char *what)
{
	return strstr(name, what) != NULL;
}

int dm__schema_apply_table_options(dm_schema_table *t,
				   const dm_sql_table_option *const *opts,
				   size_t n, dm_error **err)
{
	const char *cs = NULL, *co = NULL;
	char *rcs, *rco;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const char *nm = opts[i]->name;

		if (opt_is(nm, "CHARSET") || opt_is(nm, "CHARACTER SET"))
			cs = opts[i]->value;
		else if (opt_is(nm, "COLLATE"))
			co = opts[i]->value;
		else if (strcmp(nm, "AUTO_INCREMENT") != 0)
			rc = option_put(t, nm, opts[i]->is_string ||
						       !opts[i]->value
					       ? (opts[i]->value ? opts[i]->value
								 : "")
					       : opts[i]->value);
	}
	if (rc == 0 && (cs || co)) {
		if (cs && strcasecmp(cs, "DEFAULT") == 0)
			cs = NULL;
		if (!cs && !co)
			return 0;
		/* COLLATE alone keeps a charset only when it matches */
		rc = resolve_charset(&rcs, &rco, cs, co, NULL, NULL);
		if (rc == 0) {
			dm__free(t->charset);
			dm__free(t->collation);
			t->charset = rcs;
			t->collation = rco;
		}
	}
	if (rc != 0)
		return dm_error_set(err, rc, "out of memory");
	return 0;
}

static int convert_charset(dm_schema_table *t, const char *cs, const char *co,
			   dm_error **err)
{
	char *rcs, *rco;
	size_t i;
	int rc;

	if (cs && strcasecmp(cs, "DEFAULT") == 0)
		cs = t->charset;
	rc = resolve_charset(&rcs, &rco, cs, co, NULL, NULL);
	if (rc != 0 || !rcs)
		return rc ? dm_error_set(err, rc, "out of memory")
			  : dm_error_set(err, EXEC_ERR,
					 "CONVERT TO needs a character set");
	for (i = 0; i < t->cols.len && rc == 0; i++) {
		dm_schema_column *c = dm__vec_get(&t->cols, i);
		enum tclass cls = type_class(c->type_name);

		if (!is_text_class(cls))
			continue;
		if (cls == T_TEXT) {
			long long chars = lob_bytes(c->type_name) /
					  charset_mbmax(c->charset);
			long long need = chars * charset_mbmax(rcs);

			if (need > lob_bytes(c->type_name))
				rc = set_str(&c->type_name,
					     lob_for(need, true));
			if (rc == 0)
				rc = render_type(c, NULL);
		}
		if (rc == 0)
			rc = set_str(&c->charset, rcs);
		if (rc == 0)
			rc = set_str(&c->collation, rco);
	}
	if (rc == 0) {
		dm__free(t->charset);
		dm__free(t->collation);
		t->charset = rcs;
		t->collation = rco;
		return 0;
	}
	dm__free(rcs);
	dm__free(rco);
	return dm_error_set(err, rc, "out of memory");
}

/* ---------------------------------------------------------- from trees */

int dm__schema_table_from_create(dm_schema_table *t,
				 const dm_sql_create_table *ct, dm_error **err)
{
	size_t i;
	int rc;

	rc = dm__schema_apply_table_options(t, ct->options, ct->noptions, err);
	for (i = 0; rc == 0 && i < ct->ncolumns; i++)
		rc = add_column(t, ct->columns[i], DM_SQL_POSITION_NONE, NULL,
				false, err);
	for (i = 0; rc == 0 && i < ct->nindexes; i++)
		rc = dm__schema_table_add_key(t, ct->indexes[i], false, err);
	if (rc == 0 && t->cols.len == 0)
		rc = dm_error_set(err, EXEC_ERR,
				  "a table must have at least one column");
	return rc;
}

static int set_column_default(dm_schema_table *t, const dm_sql_alter_spec *s,
			      dm_error **err)
{
	long ci = find_col(t, s->name);
	dm_schema_column *c;

	if (ci < 0)
		return dm_error_set(err, EXEC_ERR, "unknown column `%s`",
				    s->name);
	c = dm__vec_get(&t->cols, (size_t)ci);
	if (s->kind == DM_SQL_ALTER_DROP_DEFAULT)
		return set_default(c, DM_SQL_DEFAULT_NONE, NULL, NULL, -1, err);
	return set_default(c, s->default_kind, s->default_expr,
			   s->default_text, -1, err);
}

int dm__schema_table_alter(dm_schema_table *t, const dm_sql_alter_spec *s,
			   dm_error **err)
{
	size_t i;
	long ki;
	int rc = 0;

	switch (s->kind) {
	case DM_SQL_ALTER_ADD_COLUMN:
		for (i = 0; rc == 0 && i < s->ncolumns; i++)
			rc = add_column(t, s->columns[i],
					i == 0 ? s->position
					       : DM_SQL_POSITION_NONE,
					s->after, s->if_not_exists, err);
		return rc;
	case DM_SQL_ALTER_ADD_INDEX:
		return dm__schema_table_add_key(t, s->index, s->if_not_exists,
						err);
	case DM_SQL_ALTER_DROP_COLUMN:
		return drop_column(t, s->name, s->if_exists, err);
	case DM_SQL_ALTER_DROP_INDEX:
		return dm__schema_table_drop_key(t, s->name, s->if_exists, err);
	case DM_SQL_ALTER_DROP_PRIMARY_KEY:
		return dm__schema_table_drop_key(t, "PRIMARY", s->if_exists,
						 err);
	case DM_SQL_ALTER_DROP_CONSTRAINT:
		ki = s->name ? find_key(t, s->name) : -1;
		if (ki >= 0 &&
		    DM__VEC_DATA(&t->keys, dm_schema_key)[ki].kind ==
			    DM_SCHEMA_KEY_UNIQUE)
			return dm__schema_table_drop_key(t, s->name, false, err);
		return 0;
	case DM_SQL_ALTER_MODIFY_COLUMN:
		if (s->ncolumns != 1)
			return dm_error_set(err, EXEC_ERR, "bad MODIFY");
		return redefine_column(t, NULL, s->columns[0], s->position,
				       s->after, s->if_exists, err);
	case DM_SQL_ALTER_CHANGE_COLUMN:
		if (s->ncolumns != 1 || !s->name)
			return dm_error_set(err, EXEC_ERR, "bad CHANGE");
		return redefine_column(t, s->name, s->columns[0], s->position,
				       s->after, s->if_exists, err);
	case DM_SQL_ALTER_SET_DEFAULT:
	case DM_SQL_ALTER_DROP_DEFAULT:
		return set_column_default(t, s, err);
	case DM_SQL_ALTER_COLUMN_VISIBILITY:
		ki = find_col(t, s->name);
		if (ki < 0)
			return dm_error_set(err, EXEC_ERR,
					    "unknown column `%s`", s->name);
		DM__VEC_DATA(&t->cols, dm_schema_column)[ki].invisible =
			s->visibility == DM_SQL_VISIBILITY_INVISIBLE;
		return 0;
	case DM_SQL_ALTER_RENAME_COLUMN:
		ki = find_col(t, s->name);
		if (ki < 0)
			return dm_error_set(err, EXEC_ERR,
					    "unknown column `%s`", s->name);
		if (find_col(t, s->new_name) >= 0 &&
		    find_col(t, s->new_name) != ki)
			return dm_error_set(err, EXEC_ERR,
					    "duplicate column name `%s`",
					    s->new_name);
		if (rename_in_keys(t, s->name, s->new_name) != 0 ||
		    set_str(&DM__VEC_DATA(&t->cols, dm_schema_column)[ki].name,
			    s->new_name) != 0)
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "out of memory");
		return 0;
	case DM_SQL_ALTER_RENAME_INDEX:
		ki = find_key(t, s->name);
		if (ki < 0)
			return dm_error_set(err, EXEC_ERR,
					    "key `%s` does not exist", s->name);
		if (find_key(t, s->new_name) >= 0 &&
		    find_key(t, s->new_name) != ki)
			return dm_error_set(err, EXEC_ERR,
					    "duplicate key name `%s`",
					    s->new_name);
		if (set_str(&DM__VEC_DATA(&t->keys, dm_schema_key)[ki].name,
			    s->new_name) != 0)
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "out of memory");
		return 0;
	case DM_SQL_ALTER_OPTIONS:
		return dm__schema_apply_table_options(t, s->options,
						      s->noptions, err);
	case DM_SQL_ALTER_CONVERT_CHARSET:
		return convert_charset(t, s->charset, s->collation, err);
	default:
		/* RENAME TO is done by the tracker; the rest (ALGORITHM,
		 * LOCK, KEYS, FORCE, ORDER BY, partitions, foreign keys,
		 * checks, index visibility) leaves columns and keys alone */
		return 0;
	}
}

/* --------------------------------------------------------- public reads */

DM_API const char *dm_schema_table_schema(const dm_schema_table *t)
{
	return t ? t->schema : NULL;
}

DM_API const char *dm_schema_table_name(const dm_schema_table *t)
{
	return t ? t->name : NULL;
}

DM_API const char *dm_schema_table_charset(const dm_schema_table *t)
{
	return t ? t->charset : NULL;
}

DM_API const char *dm_schema_table_collation(const dm_schema_table *t)
{
	return t ? t->collation : NULL;
}

DM_API size_t dm_schema_table_ncolumns(const dm_schema_table *t)
{
	return t ? t->cols.len : 0;
}

DM_API const dm_schema_column *dm_schema_table_column(const dm_schema_table *t,
						      size_t i)
{
	return t ? dm__vec_get(&t->cols, i) : NULL;
}

DM_API long dm_schema_table_find_column(const dm_schema_table *t,
					const char *name)
{
	return t && name ? find_col(t, name) : -1;
}

DM_API size_t dm_schema_table_nkeys(const dm_schema_table *t)
{
	return t ? t->keys.len : 0;
}

DM_API const dm_schema_key *dm_schema_table_key(const dm_schema_table *t,
						size_t i)
{
	return t ? dm__vec_get(&t->keys, i) : NULL;
}

/* ------------------------------------------------------------- printing */

static int put_ident(dm_buf *b, const char *s)
{
	int rc = dm_buf_putc(b, '`');

	for (; rc == 0 && *s; s++)
		rc = *s == '`' ? dm_buf_puts(b, "``") : dm_buf_putc(b, *s);
	return rc ? rc : dm_buf_putc(b, '`');
}

/* A charset or collation name: a bare word not starting with a digit as
 * it is, anything else (only a hand-edited saved form or an odd statement
 * has such names) as a string literal, which reads back the same. */
static int put_name(dm_buf *b, const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
			     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	bool word = n > 0 && s[n] == '\0' && !(s[0] >= '0' && s[0] <= '9');

	return word ? dm_buf_puts(b, s) : put_quoted(b, s, strlen(s));
}

static int put_column(dm_buf *b, const dm_schema_table *t,
		      const dm_schema_column *c)
{
	int rc = dm_buf_puts(b, "  ");

	rc = rc ? rc : put_ident(b, c->name);
	rc = rc ? rc : dm_buf_printf(b, " %s", c->type);
	if (rc == 0 && c->charset &&
	    (!t->charset || strcmp(c->charset, t->charset) != 0 ||
	     !t->collation || strcmp(c->collation, t->collation) != 0))
	{
		rc = dm_buf_puts(b, " CHARACTER SET ");
		rc = rc ? rc : put_name(b, c->charset);
		rc = rc ? rc : dm_buf_puts(b, " COLLATE ");
		rc = rc ? rc : put_name(b, c->collation);
	}
	if (rc == 0 && c->generated)
		rc = dm_buf_printf(b, " GENERATED ALWAYS AS (%s) %s",
				   c->generated,
				   c->stored ? "STORED" : "VIRTUAL");
	if (rc == 0 && !c->nullable)
		rc = dm_buf_puts(b, " NOT NULL");
	if (rc == 0 && c->default_kind == DM_SCHEMA_DEFAULT_EXPR &&
	    strncmp(c->default_sql, "current_timestamp(", 18) != 0)
		rc = dm_buf_printf(b, " DEFAULT (%s)", c->default_sql);
	else if (rc == 0 && c->default_sql)
		rc = dm_buf_printf(b, " DEFAULT %s", c->default_sql);
	if (rc == 0 && c->on_update)
		rc = dm_buf_printf(b, " ON UPDATE %s", c->on_update);
	if (rc == 0 && c->auto_increment)
		rc = dm_buf_puts(b, " AUTO_INCREMENT");
	if (rc == 0 && c->invisible)
		rc = dm_buf_puts(b, " INVISIBLE");
	if (rc == 0 && c->comment) {
		rc = dm_buf_puts(b, " COMMENT ");
		rc = rc ? rc : put_quoted(b, c->comment, strlen(c->comment));
	}
	return rc;
}

static int put_key(dm_buf *b, const dm_schema_key *k)
{
	static const char *const kw[] = { "PRIMARY KEY", "UNIQUE KEY", "KEY",
					  "FULLTEXT KEY", "SPATIAL KEY" };
	size_t i;
	int rc = dm_buf_printf(b, "  %s ", kw[k->kind]);

	if (rc == 0 && k->kind != DM_SCHEMA_KEY_PRIMARY) {
		rc = put_ident(b, k->name);
		rc = rc ? rc : dm_buf_putc(b, ' ');
	}
	rc = rc ? rc : dm_buf_putc(b, '(');
	for (i = 0; rc == 0 && i < k->nparts; i++) {
		if (i > 0)
			rc = dm_buf_putc(b, ',');
		rc = rc ? rc : put_ident(b, k->parts[i].column);
		if (rc == 0 && k->parts[i].length >= 0)
			rc = dm_buf_printf(b, "(%lld)", k->parts[i].length);
		if (rc == 0 && k->parts[i].desc)
			rc = dm_buf_puts(b, " DESC");
	}
	rc = rc ? rc : dm_buf_putc(b, ')');
	if (rc == 0 && k->index_type)
		rc = dm_buf_printf(b, " USING %s", k->index_type);
	if (rc == 0 && k->comment) {
		rc = dm_buf_puts(b, " COMMENT ");
		rc = rc ? rc : put_quoted(b, k->comment, strlen(k->comment));
	}
	return rc;
}

DM_API int dm_schema_table_create_sql(dm_buf *out, const dm_schema_table *t,
				      dm_error **err)
{
	size_t i;
	int rc;

	if (!out || !t)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_table_create_sql: NULL argument");
	rc = dm_buf_puts(out, "CREATE TABLE ");
	rc = rc ? rc : put_ident(out, t->name);
	rc = rc ? rc : dm_buf_puts(out, " (\n");
	for (i = 0; rc == 0 && i < t->cols.len; i++) {
		rc = put_column(out, t, dm__vec_get(&t->cols, i));
		if (rc == 0 && (i + 1 < t->cols.len || t->keys.len > 0))
			rc = dm_buf_putc(out, ',');
		rc = rc ? rc : dm_buf_putc(out, '\n');
	}
	for (i = 0; rc == 0 && i < t->keys.len; i++) {
		rc = put_key(out, dm__vec_get(&t->keys, i));
		if (rc == 0 && i + 1 < t->keys.len)
			rc = dm_buf_putc(out, ',');
		rc = rc ? rc : dm_buf_putc(out, '\n');
	}
	rc = rc ? rc : dm_buf_putc(out, ')');
	for (i = 0; rc == 0 && i < t->opts.len; i++) {
		const schema_option *o = dm__vec_get(&t->opts, i);

		rc = *o->value ? dm_buf_printf(out, " %s=%s", o->name, o->value)
			       : dm_buf_printf(out, " %s", o->name);
	}
	if (rc == 0 && t->charset) {
		rc = dm_buf_puts(out, " DEFAULT CHARSET=");
		rc = rc ? rc : put_name(out, t->charset);
	}
	if (rc == 0 && t->charset && t->collation) {
		rc = dm_buf_puts(out, " COLLATE=");
		rc = rc ? rc : put_name(out, t->collation);
	}
	if (rc != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	return 0;
}
