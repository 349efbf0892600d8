/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Restore: a tree back to canonical SQL. Keywords are upper case, every
 * name is in backticks, strings are single-quoted, synonyms are folded to
 * one spelling, and expressions get exactly the parentheses they need
 * under the default sql_mode. Table names pass through the rename
 * callback and may be qualified with the default database.
 */
#include <stdio.h>
#include <string.h>

#include "sql/sql_private.h"

void dm__sql_out_init(dm__sql_out *o, dm_buf *buf,
		      const dm_sql_restore_opts *opts,
		      const struct dm_sql_stmt *stmt, dm_error **err)
{
	memset(o, 0, sizeof(*o));
	o->buf = buf;
	o->opts = opts;
	o->stmt = stmt;
	o->err = err;
	o->nbe = opts && (opts->flags & DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES);
}

void dm__sql_putn(dm__sql_out *o, const char *s, size_t n)
{
	if (o->rc)
		return;
	if (dm_buf_append(o->buf, s, n))
		o->rc = DM_E_NO_MEMORY;
}

void dm__sql_put(dm__sql_out *o, const char *s)
{
	dm__sql_putn(o, s, strlen(s));
}

void dm__sql_putc(dm__sql_out *o, char c)
{
	dm__sql_putn(o, &c, 1);
}

void dm__sql_put_ident(dm__sql_out *o, const char *name)
{
	const char *p = name, *q;

	dm__sql_putc(o, '`');
	while ((q = strchr(p, '`')) != NULL) {
		dm__sql_putn(o, p, (size_t)(q - p) + 1);
		dm__sql_putc(o, '`');
		p = q + 1;
	}
	dm__sql_put(o, p);
	dm__sql_putc(o, '`');
}

void dm__sql_put_string(dm__sql_out *o, const char *s, size_t n)
{
	size_t i, run = 0;

	dm__sql_putc(o, '\'');
	for (i = 0; i < n; i++) {
		const char *esc = NULL;

		switch (s[i]) {
		case '\'': esc = "''"; break;
		case '\\': esc = o->nbe ? NULL : "\\\\"; break;
		case '\0': esc = o->nbe ? NULL : "\\0"; break;
		case '\n': esc = o->nbe ? NULL : "\\n"; break;
		case '\r': esc = o->nbe ? NULL : "\\r"; break;
		case '\032': esc = o->nbe ? NULL : "\\Z"; break;
		default: break;
		}
		if (!esc)
			continue;
		dm__sql_putn(o, s + run, i - run);
		dm__sql_put(o, esc);
		run = i + 1;
	}
	dm__sql_putn(o, s + run, n - run);
	dm__sql_putc(o, '\'');
}

/* Charset and collation names: bare when plain, else quoted. */
static void put_cs_name(dm__sql_out *o, const char *name)
{
	const char *c;

	for (c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		      *c == '_'))
			break;
	if (*c || !*name || (*name >= '0' && *name <= '9'))
		dm__sql_put_ident(o, name);
	else
		dm__sql_put(o, name);
}

/* X'..' / b'..', or 0x.. / 0b.. as written (not the same to MariaDB). */
static void put_hex_bit(dm__sql_out *o, bool hex, bool prefixed,
			const char *digits, size_t n)
{
	if (prefixed) {
		dm__sql_put(o, hex ? "0x" : "0b");
		dm__sql_putn(o, digits, n);
		return;
	}
	dm__sql_put(o, hex ? "X'" : "b'");
	dm__sql_putn(o, digits, n);
	dm__sql_putc(o, '\'');
}

/* --------------------------------------------------------------- names */

static int rename_failed(dm__sql_out *o, int rc, const char *schema,
			 const char *table)
{
	if (rc >= 0)
		rc = DM_E_INVALID_ARGUMENT;
	o->rc = rc;
	return dm_error_set(o->err, rc, "rename callback failed for `%s`.`%s`",
			    schema, table ? table : "");
}

/* Effective names of a table reference after renaming. `qualify` allows
 * adding the default database to a bare name. */
static void resolve(dm__sql_out *o, const char *schema, const char *table,
		    bool qualify, const char **out_schema,
		    const char **out_table)
{
	const char *def = o->stmt ? o->stmt->default_db : NULL;
	const char *eff = schema && schema[0] ? schema : def ? def : "";
	const char *ns = NULL, *nt = NULL;

	*out_schema = schema && schema[0] ? schema : NULL;
	*out_table = table;
	if (o->rc)
		return;
	if (o->opts && o->opts->rename) {
		int rc = o->opts->rename(eff, table, &ns, &nt,
					 o->opts->rename_userdata);

		if (rc) {
			rename_failed(o, rc, eff, table);
			return;
		}
	}
	if (ns)
		*out_schema = ns;
	else if (!*out_schema && qualify && o->opts && o->opts->qualify && def)
		*out_schema = def;
	if (nt && table)
		*out_table = nt;
}

void dm__sql_put_table(dm__sql_out *o, const dm_sql_table_name *name)
{
	const char *s, *t;

	if (!name->table[0]) {
		/* a schema */
		resolve(o, name->schema, NULL, true, &s, &t);
		dm__sql_put_ident(o, s ? s : name->schema);
		return;
	}
	resolve(o, name->schema, name->table, true, &s, &t);
	if (s) {
		dm__sql_put_ident(o, s);
		dm__sql_putc(o, '.');
	}
	dm__sql_put_ident(o, t);
}

/* ------------------------------------------------------------ expressions */

static void put_expr_min(dm__sql_out *o, const dm_sql_expr *e, int min);

static void put_args(dm__sql_out *o, const dm_sql_expr *const *args,
		     size_t from, size_t n)
{
	size_t i;

	for (i = from; i < n; i++) {
		if (i > from)
			dm__sql_put(o, ", ");
		put_expr_min(o, args[i], DM__PREC_NONE);
	}
}

static const char *op_text(dm_sql_op op)
{
	switch (op) {
	case DM_SQL_OP_OR: return "OR";
	case DM_SQL_OP_XOR: return "XOR";
	case DM_SQL_OP_AND: return "AND";
	case DM_SQL_OP_EQ: return "=";
	case DM_SQL_OP_NULL_SAFE_EQ: return "<=>";
	case DM_SQL_OP_NE: return "<>";
	case DM_SQL_OP_LT: return "<";
	case DM_SQL_OP_LE: return "<=";
	case DM_SQL_OP_GT: return ">";
	case DM_SQL_OP_GE: return ">=";
	case DM_SQL_OP_BIT_OR: return "|";
	case DM_SQL_OP_BIT_AND: return "&";
	case DM_SQL_OP_SHIFT_LEFT: return "<<";
	case DM_SQL_OP_SHIFT_RIGHT: return ">>";
	case DM_SQL_OP_ADD: return "+";
	case DM_SQL_OP_SUB: return "-";
	case DM_SQL_OP_MUL: return "*";
	case DM_SQL_OP_DIV: return "/";
	case DM_SQL_OP_INT_DIV: return "DIV";
	case DM_SQL_OP_MOD: return "%";
	case DM_SQL_OP_BIT_XOR: return "^";
	case DM_SQL_OP_REGEXP: return "REGEXP";
	case DM_SQL_OP_SOUNDS_LIKE: return "SOUNDS LIKE";
	default: return "?";
	}
}

static void put_func(dm__sql_out *o, const dm_sql_expr *e)
{
	const char *name = e->value.ptr;
	bool special = !e->quoted && !e->schema;

	if (e->schema) {
		dm__sql_put_ident(o, e->schema);
		dm__sql_putc(o, '.');
		dm__sql_put_ident(o, name);
	} else if (e->quoted) {
		dm__sql_put_ident(o, name);
	} else {
		dm__sql_put(o, name);
	}
	dm__sql_putc(o, '(');
	if (special && !strcmp(name, "TRIM") && (e->keyword || e->nargs == 2)) {
		if (e->keyword) {
			dm__sql_put(o, e->keyword);
			dm__sql_putc(o, ' ');
		}
		if (e->nargs == 2) {
			put_expr_min(o, e->args[1], DM__PREC_NONE);
			dm__sql_putc(o, ' ');
		}
		dm__sql_put(o, "FROM ");
		put_expr_min(o, e->args[0], DM__PREC_NONE);
	} else if (special && !strcmp(name, "POSITION") && e->nargs == 2) {
		put_expr_min(o, e->args[0], DM__PREC_BITOR);
		dm__sql_put(o, " IN ");
		put_expr_min(o, e->args[1], DM__PREC_NONE);
	} else if (special && !strcmp(name, "EXTRACT") && e->keyword) {
		dm__sql_put(o, e->keyword);
		dm__sql_put(o, " FROM ");
		put_args(o, e->args, 0, e->nargs);
	} else if (special && e->keyword &&
		   (!strcmp(name, "TIMESTAMPDIFF") || !strcmp(name, "TIMESTAMPADD") ||
		    !strcmp(name, "GET_FORMAT"))) {
		dm__sql_put(o, e->keyword);
		if (e->nargs)
			dm__sql_put(o, ", ");
		put_args(o, e->args, 0, e->nargs);
	} else {
		put_args(o, e->args, 0, e->nargs);
		if (e->charset) {
			dm__sql_put(o, " USING ");
			put_cs_name(o, e->charset);
		}
	}
	dm__sql_putc(o, ')');
}

static void put_column_ref(dm__sql_out *o, const dm_sql_expr *e)
{
	if (e->table) {
		const dm_sql_table_name *ctx = o->ctx_table;
		const char *schema = e->schema, *s, *t;

		if (!schema && ctx && ctx->schema[0] && !strcmp(e->table, ctx->table))
			schema = ctx->schema;
		resolve(o, schema, e->table, false, &s, &t);
		if (!e->schema && s == schema)
			s = NULL; /* keep it unqualified unless renamed */
		if (s) {
			dm__sql_put_ident(o, s);
			dm__sql_putc(o, '.');
		}
		dm__sql_put_ident(o, t);
		dm__sql_putc(o, '.');
	}
	dm__sql_put_ident(o, e->value.ptr);
}

static void put_var_name(dm__sql_out *o, const char *name)
{
	const char *c;

	for (c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '$' ||
		      (unsigned char)*c >= 0x80))
			break;
	if (*c || !*name)
		dm__sql_put_ident(o, name);
	else
		dm__sql_put(o, name);
}

static void put_expr_body(dm__sql_out *o, const dm_sql_expr *e)
{
	size_t i;

	switch (e->kind) {
	case DM_SQL_EXPR_NULL:
		dm__sql_put(o, "NULL");
		break;
	case DM_SQL_EXPR_BOOL:
	case DM_SQL_EXPR_INT:
	case DM_SQL_EXPR_DECIMAL:
	case DM_SQL_EXPR_FLOAT:
		dm__sql_putn(o, e->value.ptr, e->value.len);
		break;
	case DM_SQL_EXPR_STRING:
		if (e->charset) {
			dm__sql_putc(o, '_');
			dm__sql_put(o, e->charset);
		} else if (e->national) {
			dm__sql_putc(o, 'N');
		}
		dm__sql_put_string(o, e->value.ptr, e->value.len);
		break;
	case DM_SQL_EXPR_HEX:
	case DM_SQL_EXPR_BIT:
		if (e->charset) {
			dm__sql_putc(o, '_');
			dm__sql_put(o, e->charset);
			dm__sql_putc(o, ' ');
		}
		put_hex_bit(o, e->kind == DM_SQL_EXPR_HEX, e->prefixed,
			    e->value.ptr, e->value.len);
		break;
	case DM_SQL_EXPR_TEMPORAL:
		dm__sql_put(o, e->keyword);
		dm__sql_putc(o, ' ');
		dm__sql_put_string(o, e->value.ptr, e->value.len);
		break;
	case DM_SQL_EXPR_COLUMN:
		put_column_ref(o, e);
		break;
	case DM_SQL_EXPR_USER_VAR:
		dm__sql_putc(o, '@');
		put_var_name(o, e->value.ptr);
		break;
	case DM_SQL_EXPR_SYSTEM_VAR:
		dm__sql_put(o, "@@");
		if (e->keyword) {
			dm__sql_put(o, e->keyword);
			dm__sql_putc(o, '.');
		}
		put_var_name(o, e->value.ptr);
		break;
	case DM_SQL_EXPR_UNARY:
		switch (e->op) {
		case DM_SQL_OP_NOT: dm__sql_put(o, "NOT "); break;
		case DM_SQL_OP_NEG: dm__sql_putc(o, '-'); break;
		case DM_SQL_OP_PLUS: dm__sql_putc(o, '+'); break;
		case DM_SQL_OP_BIT_NOT: dm__sql_putc(o, '~'); break;
		default: dm__sql_put(o, "BINARY "); break;
		}
		/* Operands of unary operators are primaries or parenthesised,
		 * which also keeps "- -1" from becoming a comment. */
		put_expr_min(o, e->args[0], DM__PREC_COLLATE);
		break;
	case DM_SQL_EXPR_BINARY: {
		int prec = dm__sql_expr_prec(e);
		int lmin = prec, rmin = prec + 1;

		if (prec == DM__PREC_CMP || prec == DM__PREC_PRED)
			lmin = rmin = DM__PREC_BITOR;
		put_expr_min(o, e->args[0], lmin);
		dm__sql_putc(o, ' ');
		if (e->negated)
			dm__sql_put(o, "NOT ");
		dm__sql_put(o, op_text(e->op));
		dm__sql_putc(o, ' ');
		put_expr_min(o, e->args[1], rmin);
		break;
	}
	case DM_SQL_EXPR_IS:
		put_expr_min(o, e->args[0], DM__PREC_PRED);
		dm__sql_put(o, e->negated ? " IS NOT " : " IS ");
		dm__sql_put(o, e->keyword);
		break;
	case DM_SQL_EXPR_IN:
		put_expr_min(o, e->args[0], DM__PREC_BITOR);
		dm__sql_put(o, e->negated ? " NOT IN (" : " IN (");
		put_args(o, e->args, 1, e->nargs);
		dm__sql_putc(o, ')');
		break;
	case DM_SQL_EXPR_BETWEEN:
		put_expr_min(o, e->args[0], DM__PREC_BITOR);
		dm__sql_put(o, e->negated ? " NOT BETWEEN " : " BETWEEN ");
		put_expr_min(o, e->args[1], DM__PREC_BITOR);
		dm__sql_put(o, " AND ");
		put_expr_min(o, e->args[2], DM__PREC_BITOR);
		break;
	case DM_SQL_EXPR_LIKE:
		put_expr_min(o, e->args[0], DM__PREC_BITOR);
		dm__sql_put(o, e->negated ? " NOT LIKE " : " LIKE ");
		put_expr_min(o, e->args[1], DM__PREC_BITOR);
		if (e->nargs > 2) {
			dm__sql_put(o, " ESCAPE ");
			put_expr_min(o, e->args[2], DM__PREC_COLLATE);
		}
		break;
	case DM_SQL_EXPR_FUNC:
		put_func(o, e);
		break;
	case DM_SQL_EXPR_CASE:
		dm__sql_put(o, "CASE");
		if (e->operand) {
			dm__sql_putc(o, ' ');
			put_expr_min(o, e->operand, DM__PREC_NONE);
		}
		for (i = 0; i + 1 < e->nargs; i += 2) {
			dm__sql_put(o, " WHEN ");
			put_expr_min(o, e->args[i], DM__PREC_NONE);
			dm__sql_put(o, " THEN ");
			put_expr_min(o, e->args[i + 1], DM__PREC_NONE);
		}
		if (e->else_expr) {
			dm__sql_put(o, " ELSE ");
			put_expr_min(o, e->else_expr, DM__PREC_NONE);
		}
		dm__sql_put(o, " END");
		break;
	case DM_SQL_EXPR_CAST:
		dm__sql_put(o, "CAST(");
		put_expr_min(o, e->args[0], DM__PREC_NONE);
		dm__sql_put(o, " AS ");
		dm__sql_put_type(o, e->type);
		dm__sql_putc(o, ')');
		break;
	case DM_SQL_EXPR_CONVERT_USING:
		dm__sql_put(o, "CONVERT(");
		put_expr_min(o, e->args[0], DM__PREC_NONE);
		dm__sql_put(o, " USING ");
		put_cs_name(o, e->charset);
		dm__sql_putc(o, ')');
		break;
	case DM_SQL_EXPR_INTERVAL:
		dm__sql_put(o, "INTERVAL ");
		put_expr_min(o, e->args[0], DM__PREC_UNARY);
		dm__sql_putc(o, ' ');
		dm__sql_put(o, e->keyword);
		break;
	case DM_SQL_EXPR_COLLATE:
		put_expr_min(o, e->args[0], DM__PREC_COLLATE);
		dm__sql_put(o, " COLLATE ");
		put_cs_name(o, e->keyword);
		break;
	case DM_SQL_EXPR_ROW:
		dm__sql_put(o, e->nargs < 2 ? "ROW(" : "(");
		put_args(o, e->args, 0, e->nargs);
		dm__sql_putc(o, ')');
		break;
	}
}

static void put_expr_min(dm__sql_out *o, const dm_sql_expr *e, int min)
{
	bool paren = dm__sql_expr_prec(e) < min ||
		     (min > DM__PREC_NOT && e->kind == DM_SQL_EXPR_UNARY &&
		      e->op == DM_SQL_OP_NOT) ||
		     (min >= DM__PREC_COLLATE && e->kind == DM_SQL_EXPR_UNARY);

	if (paren)
		dm__sql_putc(o, '(');
	put_expr_body(o, e);
	if (paren)
		dm__sql_putc(o, ')');
}

void dm__sql_put_expr(dm__sql_out *o, const dm_sql_expr *e)
{
	put_expr_min(o, e, DM__PREC_NONE);
}

/* ----------------------------------------------------------------- types */

void dm__sql_put_type(dm__sql_out *o, const dm_sql_data_type *t)
{
	size_t i;
	char num[48];

	dm__sql_put(o, t->name);
	if (t->nvalues) {
		dm__sql_putc(o, '(');
		for (i = 0; i < t->nvalues; i++) {
			if (i)
				dm__sql_putc(o, ',');
			dm__sql_put_string(o, t->values[i].ptr, t->values[i].len);
		}
		dm__sql_putc(o, ')');
	} else if (t->length >= 0) {
		if (t->scale >= 0)
			snprintf(num, sizeof(num), "(%lld,%lld)", t->length, t->scale);
		else
			snprintf(num, sizeof(num), "(%lld)", t->length);
		dm__sql_put(o, num);
	}
	if (t->is_unsigned)
		dm__sql_put(o, " UNSIGNED");
	if (t->zerofill)
		dm__sql_put(o, " ZEROFILL");
	if (t->binary)
		dm__sql_put(o, " BINARY");
	if (t->charset) {
		dm__sql_put(o, " CHARACTER SET ");
		put_cs_name(o, t->charset);
	}
	if (t->collation) {
		dm__sql_put(o, " COLLATE ");
		put_cs_name(o, t->collation);
	}
}

/* ---------------------------------------------------------------- tokens */

static void put_token(dm__sql_out *o, const dm__sql_token *t)
{
	switch (t->kind) {
	case DM__TOK_QIDENT:
		dm__sql_put_ident(o, t->text);
		break;
	case DM__TOK_STRING:
		if (t->charset) {
			dm__sql_putc(o, '_');
			dm__sql_put(o, t->charset);
		} else if (t->national) {
			dm__sql_putc(o, 'N');
		}
		dm__sql_put_string(o, t->text, t->len);
		break;
	case DM__TOK_HEX:
	case DM__TOK_BIT:
		if (t->charset) {
			dm__sql_putc(o, '_');
			dm__sql_put(o, t->charset);
			dm__sql_putc(o, ' ');
		}
		put_hex_bit(o, t->kind == DM__TOK_HEX, t->prefixed, t->text, t->len);
		break;
	case DM__TOK_USER_VAR:
		dm__sql_putc(o, '@');
		if (t->quoted && t->quote != '`')
			dm__sql_put_string(o, t->text, t->len);
		else if (t->quoted)
			dm__sql_put_ident(o, t->text);
		else
			dm__sql_putn(o, t->text, t->len);
		break;
	case DM__TOK_SYS_VAR:
		dm__sql_put(o, "@@");
		if (t->scope) {
			dm__sql_put(o, t->scope);
			dm__sql_putc(o, '.');
		}
		if (t->quoted)
			dm__sql_put_ident(o, t->text);
		else
			dm__sql_putn(o, t->text, t->len);
		break;
	case DM__TOK_EOF:
		break;
	default:
		dm__sql_putn(o, t->text, t->len);
		break;
	}
}

static bool is_name_tok(const dm__sql_token *t)
{
	return t->kind == DM__TOK_WORD || t->kind == DM__TOK_QIDENT;
}

/* A space between two tokens unless leaving it out cannot change how the
 * text lexes: "t.c", "f(", "(a", "a)", "a,", "'u'@'h'". A '.' is only a
 * dot after a name (else ".5" is a number), and only a dot glued to what
 * follows makes "1col" in "t.1col" a name. */
static bool space_between(const dm__sql_token *prev2,
			  const dm__sql_token *prev, const dm__sql_token *t)
{
	bool prev_dot = prev->kind == DM__TOK_PUNCT && prev->punct == DM__P_DOT;
	bool dot = t->kind == DM__TOK_PUNCT && t->punct == DM__P_DOT;

	if (prev_dot) {
		if (t->kind == DM__TOK_QIDENT ||
		    (t->kind == DM__TOK_PUNCT && t->punct == DM__P_STAR))
			return false;
		if (t->kind != DM__TOK_WORD)
			return true;
		if (t->text[0] >= '0' && t->text[0] <= '9')
			return !(prev2 && is_name_tok(prev2));
		return false;
	}
	if (dot)
		return !(is_name_tok(prev) || (prev->kind == DM__TOK_PUNCT &&
						prev->punct == DM__P_STAR));
	if (prev->kind == DM__TOK_PUNCT &&
	    (prev->punct == DM__P_LPAREN || (prev->punct == DM__P_AT && !t->gap)))
		return false;
	if (t->kind == DM__TOK_PUNCT &&
	    (t->punct == DM__P_RPAREN || t->punct == DM__P_COMMA ||
	     t->punct == DM__P_SEMI ||
	     (t->punct == DM__P_LPAREN && !t->gap) ||
	     (t->punct == DM__P_AT && !t->gap)))
		return false;
	if (t->kind == DM__TOK_USER_VAR && !t->gap)
		return false;
	return true;
}

static void put_tokens(dm__sql_out *o, const dm__sql_token *toks, size_t n,
		       const dm__sql_tref *refs, size_t nrefs)
{
	size_t i, r = 0;

	for (i = 0; i < n && !o->rc; i++) {
		if (i > 0 && space_between(i > 1 ? &toks[i - 2] : NULL,
					   &toks[i - 1], &toks[i]))
			dm__sql_putc(o, ' ');
		if (r < nrefs && refs[r].first == i) {
			dm__sql_put_table(o, &refs[r].name);
			i = refs[r].last;
			r++;
			continue;
		}
		put_token(o, &toks[i]);
	}
}

void dm__sql_put_tokseq(dm__sql_out *o, const dm__sql_tokseq *seq)
{
	put_tokens(o, seq->toks, seq->n, NULL, 0);
}

/* ---------------------------------------------------------- table parts */

static void put_default(dm__sql_out *o, const dm_sql_expr *e)
{
	int fsp;

	if (dm__sql_expr_is_literal(e) || dm__sql_expr_is_now(e, &fsp)) {
		dm__sql_put_expr(o, e);
		return;
	}
	dm__sql_putc(o, '(');
	dm__sql_put_expr(o, e);
	dm__sql_putc(o, ')');
}

static const char *fk_action(dm_sql_fk_action a)
{
	switch (a) {
	case DM_SQL_FK_ACTION_RESTRICT: return "RESTRICT";
	case DM_SQL_FK_ACTION_CASCADE: return "CASCADE";
	case DM_SQL_FK_ACTION_SET_NULL: return "SET NULL";
	case DM_SQL_FK_ACTION_NO_ACTION: return "NO ACTION";
	case DM_SQL_FK_ACTION_SET_DEFAULT: return "SET DEFAULT";
	default: return "";
	}
}

static void put_parts(dm__sql_out *o, const dm_sql_index_part *const *parts,
		      size_t n, const char *without_overlaps)
{
	size_t i;
	char num[32];

	dm__sql_putc(o, '(');
	for (i = 0; i < n; i++) {
		const dm_sql_index_part *part = parts[i];

		if (i)
			dm__sql_putc(o, ',');
		if (part->expr) {
			dm__sql_putc(o, '(');
			dm__sql_put_expr(o, part->expr);
			dm__sql_putc(o, ')');
		} else {
			dm__sql_put_ident(o, part->column);
		}
		if (part->length >= 0) {
			snprintf(num, sizeof(num), "(%lld)", part->length);
			dm__sql_put(o, num);
		}
		if (part->order == DM_SQL_ORDER_ASC)
			dm__sql_put(o, " ASC");
		else if (part->order == DM_SQL_ORDER_DESC)
			dm__sql_put(o, " DESC");
	}
	if (without_overlaps) {
		if (n)
			dm__sql_putc(o, ',');
		dm__sql_put_ident(o, without_overlaps);
		dm__sql_put(o, " WITHOUT OVERLAPS");
	}
	dm__sql_putc(o, ')');
}

static void put_reference(dm__sql_out *o, const dm_sql_reference *r)
{
	dm__sql_put(o, "REFERENCES ");
	dm__sql_put_table(o, &r->table);
	if (r->ncolumns) {
		dm__sql_putc(o, ' ');
		put_parts(o, r->columns, r->ncolumns, NULL);
	}
	if (r->match == DM_SQL_FK_MATCH_FULL)
		dm__sql_put(o, " MATCH FULL");
	else if (r->match == DM_SQL_FK_MATCH_PARTIAL)
		dm__sql_put(o, " MATCH PARTIAL");
	else if (r->match == DM_SQL_FK_MATCH_SIMPLE)
		dm__sql_put(o, " MATCH SIMPLE");
	if (r->on_delete) {
		dm__sql_put(o, " ON DELETE ");
		dm__sql_put(o, fk_action(r->on_delete));
	}
	if (r->on_update) {
		dm__sql_put(o, " ON UPDATE ");
		dm__sql_put(o, fk_action(r->on_update));
	}
}

static void put_extras(dm__sql_out *o, const dm__sql_tokseq *seqs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		dm__sql_putc(o, ' ');
		dm__sql_put_tokseq(o, &seqs[i]);
	}
}

void dm__sql_put_column(dm__sql_out *o, const dm_sql_column *c)
{
	const dm__sql_column *dc = (const dm__sql_column *)c;
	size_t nsrid = 0;

	dm__sql_put_ident(o, c->name);
	dm__sql_putc(o, ' ');
	dm__sql_put_type(o, c->type);
	/* REF_SYSTEM_ID (and SRID) belong to the type */
	while (nsrid < c->nextra &&
	       (dm__sql_word_is(&dc->extra_seqs[nsrid].toks[0], "REF_SYSTEM_ID") ||
		dm__sql_word_is(&dc->extra_seqs[nsrid].toks[0], "SRID")))
		nsrid++;
	if (nsrid)
		put_extras(o, dc->extra_seqs, nsrid);
	if (c->generated == DM_SQL_GENERATED_VIRTUAL ||
	    c->generated == DM_SQL_GENERATED_STORED) {
		dm__sql_put(o, " GENERATED ALWAYS AS (");
		dm__sql_put_expr(o, c->generated_expr);
		dm__sql_put(o, c->generated == DM_SQL_GENERATED_STORED ? ") STORED"
								      : ") VIRTUAL");
	} else if (c->generated == DM_SQL_GENERATED_ROW_START) {
		dm__sql_put(o, " GENERATED ALWAYS AS ROW START");
	} else if (c->generated == DM_SQL_GENERATED_ROW_END) {
		dm__sql_put(o, " GENERATED ALWAYS AS ROW END");
	}
	if (c->nullability == DM_SQL_NULLABILITY_NULL)
		dm__sql_put(o, " NULL");
	else if (c->nullability == DM_SQL_NULLABILITY_NOT_NULL)
		dm__sql_put(o, " NOT NULL");
	if (c->default_kind != DM_SQL_DEFAULT_NONE) {
		dm__sql_put(o, " DEFAULT ");
		put_default(o, c->default_expr);
	}
	if (c->on_update) {
		dm__sql_put(o, " ON UPDATE ");
		put_default(o, c->on_update_expr);
	}
	if (c->auto_increment)
		dm__sql_put(o, " AUTO_INCREMENT");
	if (c->invisible)
		dm__sql_put(o, " INVISIBLE");
	if (c->serial_default_value)
		dm__sql_put(o, " SERIAL DEFAULT VALUE");
	if (c->nextra > nsrid)
		put_extras(o, dc->extra_seqs + nsrid, c->nextra - nsrid);
	if (c->unique_key)
		dm__sql_put(o, " UNIQUE KEY");
	if (c->primary_key)
		dm__sql_put(o, " PRIMARY KEY");
	if (c->has_comment) {
		dm__sql_put(o, " COMMENT ");
		dm__sql_put_string(o, c->comment.ptr, c->comment.len);
	}
	if (c->check_expr) {
		dm__sql_put(o, " CHECK (");
		dm__sql_put_expr(o, c->check_expr);
		dm__sql_putc(o, ')');
	}
	if (c->references) {
		dm__sql_putc(o, ' ');
		put_reference(o, c->references);
	}
}

static void put_index_options(dm__sql_out *o, const dm_sql_index *ix)
{
	const dm__sql_index *dix = (const dm__sql_index *)ix;
	char num[48];

	if (ix->index_type) {
		dm__sql_put(o, " USING ");
		dm__sql_put(o, ix->index_type);
	}
	if (ix->key_block_size >= 0) {
		snprintf(num, sizeof(num), " KEY_BLOCK_SIZE=%lld", ix->key_block_size);
		dm__sql_put(o, num);
	}
	if (ix->has_comment) {
		dm__sql_put(o, " COMMENT ");
		dm__sql_put_string(o, ix->comment.ptr, ix->comment.len);
	}
	if (ix->parser) {
		dm__sql_put(o, " WITH PARSER ");
		dm__sql_put_ident(o, ix->parser);
	}
	if (ix->visibility == DM_SQL_VISIBILITY_VISIBLE)
		dm__sql_put(o, " NOT IGNORED");
	else if (ix->visibility == DM_SQL_VISIBILITY_INVISIBLE)
		dm__sql_put(o, " IGNORED");
	put_extras(o, dix->extra_seqs, ix->nextra);
}

static const char *index_kind_text(dm_sql_index_kind k)
{
	switch (k) {
	case DM_SQL_INDEX_PRIMARY: return "PRIMARY KEY";
	case DM_SQL_INDEX_UNIQUE: return "UNIQUE KEY";
	case DM_SQL_INDEX_PLAIN: return "KEY";
	case DM_SQL_INDEX_FULLTEXT: return "FULLTEXT KEY";
	case DM_SQL_INDEX_SPATIAL: return "SPATIAL KEY";
	case DM_SQL_INDEX_FOREIGN: return "FOREIGN KEY";
	case DM_SQL_INDEX_CHECK: return "CHECK";
	case DM_SQL_INDEX_PERIOD: return "PERIOD FOR";
	}
	return "";
}

void dm__sql_put_index(dm__sql_out *o, const dm_sql_index *ix)
{
	const dm__sql_index *dix = (const dm__sql_index *)ix;

	if (ix->kind == DM_SQL_INDEX_CHECK && ix->if_not_exists) {
		/* only there for a CHECK constraint */
		dm__sql_put(o, "CONSTRAINT IF NOT EXISTS ");
		if (ix->constraint) {
			dm__sql_put_ident(o, ix->constraint);
			dm__sql_putc(o, ' ');
		}
	} else if (ix->constraint) {
		dm__sql_put(o, "CONSTRAINT ");
		dm__sql_put_ident(o, ix->constraint);
		dm__sql_putc(o, ' ');
	}
	dm__sql_put(o, index_kind_text(ix->kind));
	if (ix->kind == DM_SQL_INDEX_CHECK) {
		dm__sql_put(o, " (");
		dm__sql_put_expr(o, ix->check_expr);
		dm__sql_putc(o, ')');
		put_extras(o, dix->extra_seqs, ix->nextra);
		return;
	}
	if (ix->kind == DM_SQL_INDEX_PERIOD) {
		dm__sql_putc(o, ' ');
		if (ix->system_time)
			dm__sql_put(o, "SYSTEM_TIME");
		else
			dm__sql_put_ident(o, ix->name);
		dm__sql_putc(o, ' ');
		put_parts(o, ix->parts, ix->nparts, NULL);
		return;
	}
	if (ix->if_not_exists)
		dm__sql_put(o, " IF NOT EXISTS");
	if (ix->name) {
		dm__sql_putc(o, ' ');
		dm__sql_put_ident(o, ix->name);
	}
	dm__sql_putc(o, ' ');
	put_parts(o, ix->parts, ix->nparts, ix->without_overlaps);
	if (ix->kind == DM_SQL_INDEX_FOREIGN) {
		dm__sql_putc(o, ' ');
		put_reference(o, ix->references);
		return;
	}
	put_index_options(o, ix);
}

static bool plain_value(const char *v)
{
	const char *c;

	if (!*v)
		return false;
	for (c = v; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '$' ||
		      *c == '.' || (unsigned char)*c >= 0x80))
			return false;
	return true;
}

static void put_option_value(dm__sql_out *o, const dm_sql_table_option *opt)
{
	if (opt->is_string)
		dm__sql_put_string(o, opt->str.ptr, opt->str.len);
	else if (plain_value(opt->value))
		dm__sql_put(o, opt->value);
	else
		dm__sql_put_ident(o, opt->value);
}

static bool plain_name(const char *v)
{
	const char *c;

	if (!*v || (*v >= '0' && *v <= '9'))
		return false;
	for (c = v; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '$' ||
		      (unsigned char)*c >= 0x80))
			return false;
	return true;
}

/* The option names of several words the parser produces. */
static bool multiword_option(const char *name)
{
	static const char *const names[] = {
		"DEFAULT CHARSET", "DATA DIRECTORY", "INDEX DIRECTORY",
		"WITH SYSTEM VERSIONING", "CHARACTER SET", "READ ONLY"
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

void dm__sql_put_option(dm__sql_out *o, const dm_sql_table_option *opt)
{
	size_t i;

	if (plain_name(opt->name) || multiword_option(opt->name))
		dm__sql_put(o, opt->name);
	else
		dm__sql_put_ident(o, opt->name);
	if (!strcmp(opt->name, "WITH SYSTEM VERSIONING"))
		return;
	if (!strcmp(opt->name, "UNION")) {
		dm__sql_put(o, "=(");
		for (i = 0; i < opt->ntables; i++) {
			if (i)
				dm__sql_putc(o, ',');
			dm__sql_put_table(o, &opt->tables[i]);
		}
		dm__sql_putc(o, ')');
		return;
	}
	if (!strcmp(opt->name, "TABLESPACE") || !strcmp(opt->name, "STORAGE"))
		dm__sql_putc(o, ' ');
	else
		dm__sql_putc(o, '=');
	put_option_value(o, opt);
}

static void put_db_option(dm__sql_out *o, const dm_sql_table_option *opt)
{
	dm__sql_put(o, opt->name);
	if (!strcmp(opt->name, "CHARACTER SET") || !strcmp(opt->name, "COLLATE")) {
		dm__sql_putc(o, ' ');
		put_cs_name(o, opt->value);
		return;
	}
	dm__sql_putc(o, opt->is_string && !strcmp(opt->name, "COMMENT") ? ' ' : '=');
	put_option_value(o, opt);
}

static void put_options(dm__sql_out *o, const dm_sql_table_option *const *opts,
			size_t n, bool lead_space)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i || lead_space)
			dm__sql_putc(o, ' ');
		dm__sql_put_option(o, opts[i]);
	}
}

static void put_position(dm__sql_out *o, const dm_sql_alter_spec *s)
{
	if (s->position == DM_SQL_POSITION_FIRST) {
		dm__sql_put(o, " FIRST");
	} else if (s->position == DM_SQL_POSITION_AFTER) {
		dm__sql_put(o, " AFTER ");
		dm__sql_put_ident(o, s->after);
	}
}

static void put_named(dm__sql_out *o, const char *what, bool if_exists,
		      const char *name)
{
	dm__sql_put(o, what);
	if (if_exists)
		dm__sql_put(o, " IF EXISTS");
	dm__sql_putc(o, ' ');
	dm__sql_put_ident(o, name);
}

const char *dm__sql_spec_separator(const dm_sql_alter_spec *s, bool not_first)
{
	const dm__sql_alter_spec *ds = (const dm__sql_alter_spec *)s;

	if (!not_first)
		return " ";
	/* PARTITION BY and REMOVE PARTITIONING follow other specifications
	 * without a ',' */
	if (s->kind == DM_SQL_ALTER_PARTITION && !ds->after_comma)
		return " ";
	return ", ";
}

void dm__sql_put_alter_spec(dm__sql_out *o, const dm_sql_alter_spec *s)
{
	const dm__sql_alter_spec *ds = (const dm__sql_alter_spec *)s;
	size_t i;

	switch (s->kind) {
	case DM_SQL_ALTER_ADD_COLUMN:
		dm__sql_put(o, "ADD COLUMN ");
		if (s->if_not_exists)
			dm__sql_put(o, "IF NOT EXISTS ");
		if (s->column_list) {
			dm__sql_putc(o, '(');
			for (i = 0; i < s->ncolumns; i++) {
				if (i)
					dm__sql_put(o, ", ");
				dm__sql_put_column(o, s->columns[i]);
			}
			dm__sql_putc(o, ')');
		} else {
			dm__sql_put_column(o, s->columns[0]);
			put_position(o, s);
		}
		break;
	case DM_SQL_ALTER_ADD_INDEX:
		dm__sql_put(o, "ADD ");
		dm__sql_put_index(o, s->index);
		break;
	case DM_SQL_ALTER_DROP_COLUMN:
		put_named(o, "DROP COLUMN", s->if_exists, s->name);
		break;
	case DM_SQL_ALTER_DROP_INDEX:
		put_named(o, "DROP KEY", s->if_exists, s->name);
		break;
	case DM_SQL_ALTER_DROP_PRIMARY_KEY:
		dm__sql_put(o, "DROP PRIMARY KEY");
		break;
	case DM_SQL_ALTER_DROP_FOREIGN_KEY:
		put_named(o, "DROP FOREIGN KEY", s->if_exists, s->name);
		break;
	case DM_SQL_ALTER_DROP_CONSTRAINT:
		put_named(o, "DROP CONSTRAINT", s->if_exists, s->name);
		break;
	case DM_SQL_ALTER_MODIFY_COLUMN:
		dm__sql_put(o, "MODIFY COLUMN ");
		if (s->if_exists)
			dm__sql_put(o, "IF EXISTS ");
		dm__sql_put_column(o, s->columns[0]);
		put_position(o, s);
		break;
	case DM_SQL_ALTER_CHANGE_COLUMN:
		put_named(o, "CHANGE COLUMN", s->if_exists, s->name);
		dm__sql_putc(o, ' ');
		dm__sql_put_column(o, s->columns[0]);
		put_position(o, s);
		break;
	case DM_SQL_ALTER_SET_DEFAULT:
		put_named(o, "ALTER COLUMN", s->if_exists, s->name);
		dm__sql_put(o, " SET DEFAULT ");
		put_default(o, s->default_expr);
		break;
	case DM_SQL_ALTER_DROP_DEFAULT:
		put_named(o, "ALTER COLUMN", s->if_exists, s->name);
		dm__sql_put(o, " DROP DEFAULT");
		break;
	case DM_SQL_ALTER_COLUMN_VISIBILITY:
		put_named(o, "ALTER COLUMN", s->if_exists, s->name);
		dm__sql_put(o, s->visibility == DM_SQL_VISIBILITY_INVISIBLE
				       ? " SET INVISIBLE" : " SET VISIBLE");
		break;
	case DM_SQL_ALTER_RENAME_COLUMN:
	case DM_SQL_ALTER_RENAME_INDEX:
		put_named(o, s->kind == DM_SQL_ALTER_RENAME_COLUMN ? "RENAME COLUMN"
								   : "RENAME KEY",
			  s->if_exists, s->name);
		dm__sql_put(o, " TO ");
		dm__sql_put_ident(o, s->new_name);
		break;
	case DM_SQL_ALTER_RENAME_TABLE:
		dm__sql_put(o, "RENAME TO ");
		dm__sql_put_table(o, &s->new_table);
		break;
	case DM_SQL_ALTER_INDEX_VISIBILITY:
		put_named(o, "ALTER KEY", false, s->name);
		dm__sql_put(o, s->visibility == DM_SQL_VISIBILITY_INVISIBLE
				       ? " IGNORED" : " NOT IGNORED");
		break;
	case DM_SQL_ALTER_OPTIONS:
		put_options(o, s->options, s->noptions, false);
		break;
	case DM_SQL_ALTER_CONVERT_CHARSET:
		dm__sql_put(o, "CONVERT TO CHARACTER SET ");
		put_cs_name(o, s->charset);
		if (s->collation) {
			dm__sql_put(o, " COLLATE ");
			put_cs_name(o, s->collation);
		}
		break;
	case DM_SQL_ALTER_ALGORITHM:
	case DM_SQL_ALTER_LOCK:
		dm__sql_put(o, s->kind == DM_SQL_ALTER_ALGORITHM ? "ALGORITHM=" : "LOCK=");
		dm__sql_put(o, s->text);
		break;
	case DM_SQL_ALTER_ENABLE_KEYS:
		dm__sql_put(o, "ENABLE KEYS");
		break;
	case DM_SQL_ALTER_DISABLE_KEYS:
		dm__sql_put(o, "DISABLE KEYS");
		break;
	case DM_SQL_ALTER_FORCE:
		dm__sql_put(o, "FORCE");
		break;
	case DM_SQL_ALTER_ORDER_BY:
	case DM_SQL_ALTER_PARTITION:
	case DM_SQL_ALTER_OTHER:
		dm__sql_put_tokseq(o, &ds->seq);
		break;
	}
}

/* ------------------------------------------------------------ statements */

static void put_wait(dm__sql_out *o, const char *wait)
{
	if (wait) {
		dm__sql_putc(o, ' ');
		dm__sql_put(o, wait);
	}
}

static void put_database(dm__sql_out *o, const struct dm_sql_stmt *st)
{
	const dm_sql_database *db = st->database;
	size_t i;

	switch (st->kind) {
	case DM_SQL_CREATE_DATABASE:
		dm__sql_put(o, db->or_replace ? "CREATE OR REPLACE DATABASE "
					      : "CREATE DATABASE ");
		if (db->if_not_exists)
			dm__sql_put(o, "IF NOT EXISTS ");
		break;
	case DM_SQL_ALTER_DATABASE:
		dm__sql_put(o, "ALTER DATABASE");
		break;
	default:
		dm__sql_put(o, "DROP DATABASE ");
		if (db->if_exists)
			dm__sql_put(o, "IF EXISTS ");
		break;
	}
	if (db->name || (st->kind == DM_SQL_ALTER_DATABASE && o->opts &&
			 o->opts->qualify && st->default_db)) {
		dm_sql_table_name n;

		n.schema = db->name ? db->name : st->default_db;
		n.table = "";
		if (st->kind == DM_SQL_ALTER_DATABASE)
			dm__sql_putc(o, ' ');
		dm__sql_put_table(o, &n);
	} else if (o->opts && o->opts->rename && st->default_db) {
		/* ALTER DATABASE of the default one: renaming needs a name */
		const char *s, *t;

		resolve(o, st->default_db, NULL, false, &s, &t);
		if (s && strcmp(s, st->default_db)) {
			dm__sql_putc(o, ' ');
			dm__sql_put_ident(o, s);
		}
	}
	for (i = 0; i < db->noptions; i++) {
		dm__sql_putc(o, ' ');
		put_db_option(o, db->options[i]);
	}
}

static void put_create_table(dm__sql_out *o, const struct dm_sql_stmt *st)
{
	const dm__sql_create_table *dct = st->create_table;
	const dm_sql_create_table *ct = &dct->pub;
	size_t i;

	dm__sql_put(o, ct->or_replace ? "CREATE OR REPLACE " : "CREATE ");
	if (ct->temporary)
		dm__sql_put(o, "TEMPORARY ");
	dm__sql_put(o, "TABLE ");
	if (ct->if_not_exists)
		dm__sql_put(o, "IF NOT EXISTS ");
	dm__sql_put_table(o, &ct->name);
	o->ctx_table = &ct->name;
	if (ct->like) {
		dm__sql_put(o, " LIKE ");
		dm__sql_put_table(o, ct->like);
		return;
	}
	if (ct->nelements) {
		dm__sql_put(o, " (");
		for (i = 0; i < ct->nelements; i++) {
			const dm_sql_table_element *el = ct->elements[i];

			if (i)
				dm__sql_put(o, ", ");
			if (el->kind == DM_SQL_ELEMENT_COLUMN)
				dm__sql_put_column(o, el->column);
			else
				dm__sql_put_index(o, el->index);
		}
		dm__sql_putc(o, ')');
	}
	put_options(o, ct->options, ct->noptions, true);
	if (dct->partition.n) {
		dm__sql_putc(o, ' ');
		dm__sql_put_tokseq(o, &dct->partition);
	}
	if (dct->select.n) {
		dm__sql_putc(o, ' ');
		dm__sql_put_tokseq(o, &dct->select);
	}
}

static void put_alter_table(dm__sql_out *o, const struct dm_sql_stmt *st)
{
	const dm_sql_alter_table *a = st->alter_table;
	size_t i;

	dm__sql_put(o, "ALTER ");
	if (a->online)
		dm__sql_put(o, "ONLINE ");
	if (a->ignore)
		dm__sql_put(o, "IGNORE ");
	dm__sql_put(o, "TABLE ");
	if (a->if_exists)
		dm__sql_put(o, "IF EXISTS ");
	dm__sql_put_table(o, &a->name);
	o->ctx_table = &a->name;
	put_wait(o, a->wait);
	for (i = 0; i < a->nspecs; i++) {
		const dm_sql_alter_spec *s = a->specs[i];

		dm__sql_put(o, dm__sql_spec_separator(s, i > 0));
		dm__sql_put_alter_spec(o, s);
	}
}

static void put_index_stmt(dm__sql_out *o, const struct dm_sql_stmt *st)
{
	if (st->kind == DM_SQL_CREATE_INDEX) {
		const dm_sql_create_index *ci = st->create_index;
		const dm_sql_index *ix = ci->index;

		dm__sql_put(o, ci->or_replace ? "CREATE OR REPLACE " : "CREATE ");
		if (ix->kind == DM_SQL_INDEX_UNIQUE)
			dm__sql_put(o, "UNIQUE ");
		else if (ix->kind == DM_SQL_INDEX_FULLTEXT)
			dm__sql_put(o, "FULLTEXT ");
		else if (ix->kind == DM_SQL_INDEX_SPATIAL)
			dm__sql_put(o, "SPATIAL ");
		dm__sql_put(o, "INDEX ");
		if (ix->if_not_exists)
			dm__sql_put(o, "IF NOT EXISTS ");
		dm__sql_put_ident(o, ix->name);
		dm__sql_put(o, " ON ");
		dm__sql_put_table(o, &ci->table);
		dm__sql_putc(o, ' ');
		put_parts(o, ix->parts, ix->nparts, ix->without_overlaps);
		put_wait(o, ci->wait);
		put_index_options(o, ix);
		if (ci->algorithm) {
			dm__sql_put(o, " ALGORITHM=");
			dm__sql_put(o, ci->algorithm);
		}
		if (ci->lock) {
			dm__sql_put(o, " LOCK=");
			dm__sql_put(o, ci->lock);
		}
	} else {
		const dm_sql_drop_index *di = st->drop_index;

		put_named(o, "DROP INDEX", di->if_exists, di->name);
		dm__sql_put(o, " ON ");
		dm__sql_put_table(o, &di->table);
		put_wait(o, di->wait);
		if (di->algorithm) {
			dm__sql_put(o, " ALGORITHM=");
			dm__sql_put(o, di->algorithm);
		}
		if (di->lock) {
			dm__sql_put(o, " LOCK=");
			dm__sql_put(o, di->lock);
		}
	}
}

void dm__sql_put_stmt(dm__sql_out *o, const struct dm_sql_stmt *st)
{
	size_t i;

	switch (st->kind) {
	case DM_SQL_CREATE_DATABASE:
	case DM_SQL_ALTER_DATABASE:
	case DM_SQL_DROP_DATABASE:
		if (st->database) {
			put_database(o, st);
			return;
		}
		break;
	case DM_SQL_CREATE_TABLE:
	case DM_SQL_CREATE_TABLE_LIKE:
		if (st->create_table) {
			put_create_table(o, st);
			return;
		}
		break;
	case DM_SQL_ALTER_TABLE:
		if (st->alter_table) {
			put_alter_table(o, st);
			return;
		}
		break;
	case DM_SQL_RENAME_TABLE:
		if (st->rename_table) {
			const dm_sql_rename_table *r = st->rename_table;

			dm__sql_put(o, "RENAME TABLE ");
			if (r->if_exists)
				dm__sql_put(o, "IF EXISTS ");
			for (i = 0; i < r->npairs; i++) {
				if (i)
					dm__sql_put(o, ", ");
				dm__sql_put_table(o, &r->pairs[i].from);
				if (i == 0)
					put_wait(o, r->wait);
				dm__sql_put(o, " TO ");
				dm__sql_put_table(o, &r->pairs[i].to);
			}
			return;
		}
		break;
	case DM_SQL_DROP_TABLE:
	case DM_SQL_TRUNCATE_TABLE:
		if (st->drop_table) {
			const dm_sql_drop_table *d = st->drop_table;

			if (st->kind == DM_SQL_TRUNCATE_TABLE) {
				dm__sql_put(o, "TRUNCATE TABLE ");
			} else {
				dm__sql_put(o, d->temporary ? "DROP TEMPORARY TABLE "
							    : "DROP TABLE ");
				if (d->if_exists)
					dm__sql_put(o, "IF EXISTS ");
			}
			for (i = 0; i < d->ntables; i++) {
				if (i)
					dm__sql_put(o, ", ");
				dm__sql_put_table(o, &d->tables[i]);
			}
			put_wait(o, d->wait);
			if (d->behavior) {
				dm__sql_putc(o, ' ');
				dm__sql_put(o, d->behavior);
			}
			return;
		}
		break;
	case DM_SQL_CREATE_INDEX:
	case DM_SQL_DROP_INDEX:
		if (st->create_index || st->drop_index) {
			put_index_stmt(o, st);
			return;
		}
		break;
	case DM_SQL_EXPRESSION:
		dm__sql_put_expr(o, st->expr);
		return;
	default:
		break;
	}
	put_tokens(o, st->toks.toks, st->toks.n, st->trefs, st->ntrefs);
}

/* ------------------------------------------------------- arena texts */

static char *to_arena(dm__sql_arena *a, dm_buf *b, int rc)
{
	char *s = NULL;

	if (!rc)
		s = dm__sql_strndup(a, b->data ? b->data : "", b->len);
	dm_buf_free(b);
	return s;
}

char *dm__sql_expr_text(dm__sql_arena *a, const dm_sql_expr *e)
{
	dm_buf b = DM_BUF_INIT;
	dm__sql_out o;

	dm__sql_out_init(&o, &b, NULL, NULL, NULL);
	dm__sql_put_expr(&o, e);
	return to_arena(a, &b, o.rc);
}

char *dm__sql_tokseq_text(dm__sql_arena *a, const dm__sql_tokseq *seq)
{
	dm_buf b = DM_BUF_INIT;
	dm__sql_out o;

	dm__sql_out_init(&o, &b, NULL, NULL, NULL);
	dm__sql_put_tokseq(&o, seq);
	return to_arena(a, &b, o.rc);
}

char *dm__sql_string_literal_text(dm__sql_arena *a, const char *s, size_t n)
{
	dm_buf b = DM_BUF_INIT;
	dm__sql_out o;

	dm__sql_out_init(&o, &b, NULL, NULL, NULL);
	dm__sql_put_string(&o, s, n);
	return to_arena(a, &b, o.rc);
}
