/* SPDX-License-Identifier: Apache-2.0 */
/* Parser plumbing shared by the statement, expression and skim parsers,
 * and the data type grammar (column types and CAST targets). */
#include <limits.h>
#include <string.h>

#include "sql/sql_private.h"

const dm__sql_token *dm__sql_peek(const dm__sql_parser *p, size_t ahead)
{
	size_t i = p->pos + ahead;

	if (i >= p->ntoks || i < p->pos)
		i = p->ntoks - 1;
	return &p->toks[i];
}

bool dm__sql_at_word(const dm__sql_parser *p, const char *kw)
{
	return dm__sql_word_is(dm__sql_peek(p, 0), kw);
}

bool dm__sql_at_word2(const dm__sql_parser *p, const char *kw1,
		      const char *kw2)
{
	return dm__sql_word_is(dm__sql_peek(p, 0), kw1) &&
	       dm__sql_word_is(dm__sql_peek(p, 1), kw2);
}

bool dm__sql_accept_word(dm__sql_parser *p, const char *kw)
{
	if (!dm__sql_at_word(p, kw))
		return false;
	p->pos++;
	return true;
}

bool dm__sql_at_punct(const dm__sql_parser *p, int punct)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	return t->kind == DM__TOK_PUNCT && t->punct == punct;
}

bool dm__sql_accept_punct(dm__sql_parser *p, int punct)
{
	if (!dm__sql_at_punct(p, punct))
		return false;
	p->pos++;
	return true;
}

bool dm__sql_fail_at(dm__sql_parser *p, size_t pos, const char *msg)
{
	if (!p->rc) {
		p->rc = DM_E_PARSE_SQL;
		p->err_pos = pos;
		p->err_msg = msg;
	}
	return false;
}

bool dm__sql_fail(dm__sql_parser *p, const char *msg)
{
	return dm__sql_fail_at(p, dm__sql_peek(p, 0)->start, msg);
}

bool dm__sql_oom(dm__sql_parser *p)
{
	if (!p->rc)
		p->rc = DM_E_NO_MEMORY;
	return false;
}

bool dm__sql_expect_word(dm__sql_parser *p, const char *kw)
{
	if (dm__sql_accept_word(p, kw))
		return true;
	return dm__sql_fail(p, "unexpected token");
}

bool dm__sql_expect_punct(dm__sql_parser *p, int punct, const char *what)
{
	if (dm__sql_accept_punct(p, punct))
		return true;
	return dm__sql_fail(p, what);
}

void *dm__sql_palloc(dm__sql_parser *p, size_t size)
{
	void *m = dm__sql_alloc(p->arena, size);

	if (!m)
		dm__sql_oom(p);
	return m;
}

char *dm__sql_pstrndup(dm__sql_parser *p, const char *s, size_t n)
{
	char *d = dm__sql_strndup(p->arena, s, n);

	if (!d)
		dm__sql_oom(p);
	return d;
}

char *dm__sql_lower_dup(dm__sql_parser *p, const char *s, size_t n)
{
	char *d = dm__sql_pstrndup(p, s, n);
	size_t i;

	if (d)
		for (i = 0; i < n; i++)
			if (d[i] >= 'A' && d[i] <= 'Z')
				d[i] = (char)(d[i] + 32);
	return d;
}

char *dm__sql_upper_dup(dm__sql_parser *p, const char *s, size_t n)
{
	char *d = dm__sql_pstrndup(p, s, n);
	size_t i;

	if (d)
		for (i = 0; i < n; i++)
			if (d[i] >= 'a' && d[i] <= 'z')
				d[i] = (char)(d[i] - 32);
	return d;
}

bool dm__sql_at_ident(const dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	return t->kind == DM__TOK_QIDENT ||
	       (t->kind == DM__TOK_WORD && !dm__sql_is_reserved(t->text, t->len));
}

const char *dm__sql_parse_ident(dm__sql_parser *p, const char *what)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	if (p->rc)
		return NULL;
	if (!dm__sql_at_ident(p)) {
		dm__sql_fail(p, what);
		return NULL;
	}
	if (t->kind == DM__TOK_QIDENT && t->len == 0) {
		dm__sql_fail(p, "empty name");
		return NULL;
	}
	p->pos++;
	if (t->kind == DM__TOK_QIDENT)
		return t->text;
	return dm__sql_pstrndup(p, t->text, t->len);
}

const char *dm__sql_parse_name_lenient(dm__sql_parser *p, const char *what)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	if (p->rc)
		return NULL;
	if (t->kind == DM__TOK_WORD) {
		p->pos++;
		return dm__sql_pstrndup(p, t->text, t->len);
	}
	return dm__sql_parse_ident(p, what);
}

bool dm__sql_parse_table_name(dm__sql_parser *p, dm_sql_table_name *out)
{
	const char *a = dm__sql_parse_ident(p, "expected a table name");

	if (!a)
		return false;
	if (dm__sql_peek(p, 0)->kind == DM__TOK_PUNCT &&
	    dm__sql_peek(p, 0)->punct == DM__P_DOT) {
		const char *b;

		p->pos++;
		b = dm__sql_parse_name_lenient(p, "expected a table name");
		if (!b)
			return false;
		out->schema = a;
		out->table = b;
		return true;
	}
	out->schema = "";
	out->table = a;
	return true;
}

bool dm__sql_capture(dm__sql_parser *p, size_t from, size_t to,
		     dm__sql_tokseq *out)
{
	dm__sql_token *t;

	out->toks = NULL;
	out->n = 0;
	if (to <= from)
		return true;
	t = dm__sql_palloc(p, (to - from) * sizeof(*t));
	if (!t)
		return false;
	memcpy(t, p->toks + from, (to - from) * sizeof(*t));
	out->toks = t;
	out->n = to - from;
	return true;
}

/* ----------------------------------------------------------- data types */

enum type_class {
	TC_INT,     /* (M) UNSIGNED ZEROFILL */
	TC_REAL,    /* (M,D) UNSIGNED ZEROFILL */
	TC_BIT,     /* (M) */
	TC_TEMPORAL, /* (fsp) */
	TC_PLAIN,   /* no arguments */
	TC_CHAR,    /* (M) charset collate */
	TC_BINARY,  /* (M) */
	TC_TEXT,    /* (M) charset collate */
	TC_ENUM     /* ('a', ...) charset collate */
};

struct type_name {
	const char *word;  /* as written (first word) */
	const char *name;  /* canonical */
	enum type_class cls;
};

static const struct type_name type_names[] = {
	{ "TINYINT", "TINYINT", TC_INT },
	{ "INT1", "TINYINT", TC_INT },
	{ "SMALLINT", "SMALLINT", TC_INT },
	{ "INT2", "SMALLINT", TC_INT },
	{ "MEDIUMINT", "MEDIUMINT", TC_INT },
	{ "MIDDLEINT", "MEDIUMINT", TC_INT },
	{ "INT3", "MEDIUMINT", TC_INT },
	{ "INT", "INT", TC_INT },
	{ "INTEGER", "INT", TC_INT },
	{ "INT4", "INT", TC_INT },
	{ "BIGINT", "BIGINT", TC_INT },
	{ "INT8", "BIGINT", TC_INT },
	{ "DECIMAL", "DECIMAL", TC_REAL },
	{ "DEC", "DECIMAL", TC_REAL },
	{ "NUMERIC", "DECIMAL", TC_REAL },
	{ "FIXED", "DECIMAL", TC_REAL },
	{ "FLOAT", "FLOAT", TC_REAL },
	{ "FLOAT4", "FLOAT", TC_REAL },
	{ "DOUBLE", "DOUBLE", TC_REAL },
	{ "FLOAT8", "DOUBLE", TC_REAL },
	{ "REAL", "DOUBLE", TC_REAL },
	{ "BIT", "BIT", TC_BIT },
	{ "DATE", "DATE", TC_PLAIN },
	{ "TIME", "TIME", TC_TEMPORAL },
	{ "DATETIME", "DATETIME", TC_TEMPORAL },
	{ "TIMESTAMP", "TIMESTAMP", TC_TEMPORAL },
	{ "YEAR", "YEAR", TC_TEMPORAL },
	{ "CHAR", "CHAR", TC_CHAR },
	{ "CHARACTER", "CHAR", TC_CHAR },
	{ "NCHAR", "NCHAR", TC_CHAR },
	{ "VARCHAR", "VARCHAR", TC_CHAR },
	{ "VARCHARACTER", "VARCHAR", TC_CHAR },
	{ "NVARCHAR", "NVARCHAR", TC_CHAR },
	{ "BINARY", "BINARY", TC_BINARY },
	{ "VARBINARY", "VARBINARY", TC_BINARY },
	{ "TINYBLOB", "TINYBLOB", TC_PLAIN },
	{ "BLOB", "BLOB", TC_BINARY },
	{ "MEDIUMBLOB", "MEDIUMBLOB", TC_PLAIN },
	{ "LONGBLOB", "LONGBLOB", TC_PLAIN },
	{ "TINYTEXT", "TINYTEXT", TC_TEXT },
	{ "TEXT", "TEXT", TC_TEXT },
	{ "MEDIUMTEXT", "MEDIUMTEXT", TC_TEXT },
	{ "LONGTEXT", "LONGTEXT", TC_TEXT },
	{ "ENUM", "ENUM", TC_ENUM },
	{ "SET", "SET", TC_ENUM },
	{ "JSON", "JSON", TC_PLAIN },
	{ "GEOMETRY", "GEOMETRY", TC_PLAIN },
	{ "POINT", "POINT", TC_PLAIN },
	{ "LINESTRING", "LINESTRING", TC_PLAIN },
	{ "POLYGON", "POLYGON", TC_PLAIN },
	{ "MULTIPOINT", "MULTIPOINT", TC_PLAIN },
	{ "MULTILINESTRING", "MULTILINESTRING", TC_PLAIN },
	{ "MULTIPOLYGON", "MULTIPOLYGON", TC_PLAIN },
	{ "GEOMETRYCOLLECTION", "GEOMETRYCOLLECTION", TC_PLAIN },
	{ "GEOMCOLLECTION", "GEOMETRYCOLLECTION", TC_PLAIN },
	{ "INET4", "INET4", TC_PLAIN },
	{ "INET6", "INET6", TC_PLAIN },
	{ "UUID", "UUID", TC_PLAIN },
	{ "SERIAL", "SERIAL", TC_PLAIN },
	{ "BOOL", "TINYINT", TC_PLAIN },
	{ "BOOLEAN", "TINYINT", TC_PLAIN },
};

/* A non-negative integer token. */
static bool parse_number(dm__sql_parser *p, long long *out)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);
	long long v = 0;
	size_t i;

	if (t->kind != DM__TOK_INT)
		return dm__sql_fail(p, "expected a number");
	for (i = 0; i < t->len; i++) {
		int d = t->text[i] - '0';

		if (v > (LLONG_MAX - d) / 10)
			return dm__sql_fail(p, "number out of range");
		v = v * 10 + d;
	}
	p->pos++;
	*out = v;
	return true;
}

/* (M) or (M,D); `two` allows the second number. */
static bool parse_length(dm__sql_parser *p, dm_sql_data_type *t, bool two)
{
	if (!dm__sql_accept_punct(p, DM__P_LPAREN))
		return true;
	if (!parse_number(p, &t->length))
		return false;
	if (two && dm__sql_accept_punct(p, DM__P_COMMA) &&
	    !parse_number(p, &t->scale))
		return false;
	return dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'");
}

/* A charset or collation name: word, quoted name or string; lower case. */
static const char *parse_charset_name(dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	if (t->kind == DM__TOK_WORD || t->kind == DM__TOK_QIDENT ||
	    t->kind == DM__TOK_STRING) {
		if (t->len == 0 || memchr(t->text, '\0', t->len)) {
			dm__sql_fail(p, "expected a character set name");
			return NULL;
		}
		p->pos++;
		return dm__sql_lower_dup(p, t->text, t->len);
	}
	dm__sql_fail(p, "expected a character set name");
	return NULL;
}

/* CHARACTER SET | CHARSET | CHAR SET: true when one was consumed. */
static bool accept_charset_kw(dm__sql_parser *p)
{
	if (dm__sql_at_word2(p, "CHARACTER", "SET") ||
	    dm__sql_at_word2(p, "CHAR", "SET")) {
		p->pos += 2;
		return true;
	}
	return dm__sql_accept_word(p, "CHARSET");
}

bool dm__sql_parse_charset_clause(dm__sql_parser *p, const char **cs)
{
	if (!accept_charset_kw(p))
		return true;
	dm__sql_accept_punct(p, DM__P_EQ);
	*cs = parse_charset_name(p);
	return *cs != NULL;
}

bool dm__sql_parse_collate_name(dm__sql_parser *p, const char **coll)
{
	*coll = parse_charset_name(p);
	return *coll != NULL;
}

/* [BINARY] [ASCII|UNICODE|BYTE] [CHARACTER SET x] [COLLATE y] in any
 * order, after a character type. */
static bool parse_string_attrs(dm__sql_parser *p, dm_sql_data_type *t)
{
	while (!p->rc) {
		if (dm__sql_accept_word(p, "BINARY")) {
			t->binary = true;
		} else if (dm__sql_accept_word(p, "ASCII")) {
			t->charset = "latin1";
		} else if (dm__sql_accept_word(p, "UNICODE")) {
			t->charset = "ucs2";
		} else if (dm__sql_at_word(p, "BYTE")) {
			p->pos++;
			t->charset = "binary";
		} else if (accept_charset_kw(p)) {
			t->charset = parse_charset_name(p);
		} else if (dm__sql_accept_word(p, "COLLATE")) {
			dm__sql_accept_punct(p, DM__P_EQ);
			t->collation = parse_charset_name(p);
		} else {
			break;
		}
	}
	return !p->rc;
}

static bool parse_numeric_attrs(dm__sql_parser *p, dm_sql_data_type *t)
{
	for (;;) {
		if (dm__sql_accept_word(p, "UNSIGNED"))
			t->is_unsigned = true;
		else if (dm__sql_accept_word(p, "SIGNED"))
			t->is_unsigned = false;
		else if (dm__sql_accept_word(p, "ZEROFILL"))
			t->zerofill = true;
		else
			return true;
	}
}

static bool parse_enum_values(dm__sql_parser *p, dm_sql_data_type *t)
{
	dm__sql_list vals = { NULL, 0, 0 };
	dm_sql_str *arr;
	size_t i;

	if (!dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
		return false;
	do {
		const dm__sql_token *tok = dm__sql_peek(p, 0);

		if (tok->kind != DM__TOK_STRING)
			return dm__sql_fail(p, "expected a string");
		if (dm__sql_list_push(p->arena, &vals, (void *)tok))
			return dm__sql_oom(p);
		p->pos++;
	} while (dm__sql_accept_punct(p, DM__P_COMMA));
	if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
		return false;
	arr = dm__sql_palloc(p, vals.n * sizeof(*arr));
	if (!arr)
		return false;
	for (i = 0; i < vals.n; i++) {
		const dm__sql_token *tok = vals.items[i];

		arr[i].ptr = tok->text;
		arr[i].len = tok->len;
	}
	t->values = arr;
	t->nvalues = vals.n;
	return true;
}

dm_sql_data_type *dm__sql_parse_data_type(dm__sql_parser *p, bool for_cast)
{
	const dm__sql_token *w = dm__sql_peek(p, 0);
	const struct type_name *tn = NULL;
	dm_sql_data_type *t;
	enum type_class cls;
	size_t i;

	if (p->rc)
		return NULL;
	t = dm__sql_palloc(p, sizeof(*t));
	if (!t)
		return NULL;
	t->length = -1;
	t->scale = -1;
	if (w->kind != DM__TOK_WORD) {
		dm__sql_fail(p, "expected a data type");
		return NULL;
	}
	if (for_cast && (dm__sql_word_is(w, "SIGNED") ||
			 dm__sql_word_is(w, "UNSIGNED"))) {
		t->name = dm__sql_word_is(w, "SIGNED") ? "SIGNED" : "UNSIGNED";
		p->pos++;
		if (!dm__sql_accept_word(p, "INTEGER"))
			dm__sql_accept_word(p, "INT");
		return t;
	}
	/* Several-word spellings first. */
	if (dm__sql_word_is(w, "NATIONAL")) {
		p->pos++;
		if (dm__sql_accept_word(p, "VARCHAR") ||
		    dm__sql_accept_word(p, "VARCHARACTER")) {
			t->name = "NVARCHAR";
		} else if (dm__sql_accept_word(p, "CHAR") ||
			   dm__sql_accept_word(p, "CHARACTER")) {
			t->name = dm__sql_accept_word(p, "VARYING") ? "NVARCHAR" : "NCHAR";
		} else {
			dm__sql_fail(p, "expected CHAR or VARCHAR");
			return NULL;
		}
		cls = TC_CHAR;
	} else if (dm__sql_word_is(w, "NCHAR") &&
		   (dm__sql_word_is(dm__sql_peek(p, 1), "VARCHAR") ||
		    dm__sql_word_is(dm__sql_peek(p, 1), "VARYING"))) {
		p->pos += 2;
		t->name = "NVARCHAR";
		cls = TC_CHAR;
	} else if ((dm__sql_word_is(w, "CHAR") || dm__sql_word_is(w, "CHARACTER")) &&
		   dm__sql_word_is(dm__sql_peek(p, 1), "VARYING")) {
		p->pos += 2;
		t->name = "VARCHAR";
		cls = TC_CHAR;
	} else if (dm__sql_word_is(w, "DOUBLE") &&
		   dm__sql_word_is(dm__sql_peek(p, 1), "PRECISION")) {
		p->pos += 2;
		t->name = "DOUBLE";
		cls = TC_REAL;
	} else if (dm__sql_word_is(w, "LONG")) {
		p->pos++;
		if (dm__sql_accept_word(p, "VARBINARY")) {
			t->name = "MEDIUMBLOB";
			cls = TC_PLAIN;
		} else {
			if (!dm__sql_accept_word(p, "VARCHAR") &&
			    dm__sql_at_word2(p, "CHAR", "VARYING"))
				p->pos += 2;
			t->name = "MEDIUMTEXT";
			cls = TC_TEXT;
		}
	} else {
		for (i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++) {
			if (dm__sql_word_is(w, type_names[i].word)) {
				tn = &type_names[i];
				break;
			}
		}
		if (!tn) {
			dm__sql_fail(p, "expected a data type");
			return NULL;
		}
		p->pos++;
		t->name = tn->name;
		cls = tn->cls;
		if (dm__sql_word_is(w, "BOOL") || dm__sql_word_is(w, "BOOLEAN"))
			t->length = 1;
		if (dm__sql_word_is(w, "REAL") && (p->mode & DM_SQL_MODE_REAL_AS_FLOAT))
			t->name = "FLOAT";
		/* CHAR BYTE is BINARY */
		if (cls == TC_CHAR && !strcmp(t->name, "CHAR") &&
		    dm__sql_at_word(p, "BYTE")) {
			p->pos++;
			t->name = "BINARY";
			cls = TC_BINARY;
		}
	}
	switch (cls) {
	case TC_INT:
		if (!parse_length(p, t, false) || !parse_numeric_attrs(p, t))
			return NULL;
		break;
	case TC_REAL:
		if (!parse_length(p, t, true) || !parse_numeric_attrs(p, t))
			return NULL;
		break;
	case TC_BIT:
	case TC_TEMPORAL:
	case TC_BINARY:
		if (!parse_length(p, t, false))
			return NULL;
		break;
	case TC_PLAIN:
		if (!strcmp(t->name, "TINYINT") && !parse_numeric_attrs(p, t))
			return NULL;
		break;
	case TC_CHAR:
	case TC_TEXT:
		if (!parse_length(p, t, false) || !parse_string_attrs(p, t))
			return NULL;
		break;
	case TC_ENUM:
		if (!parse_enum_values(p, t) || !parse_string_attrs(p, t))
			return NULL;
		break;
	}
	if (for_cast && !strcmp(t->name, "SET")) {
		dm__sql_fail(p, "expected a data type");
		return NULL;
	}
	return p->rc ? NULL : t;
}
