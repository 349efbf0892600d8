/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Expressions with MySQL's operator precedence, by precedence climbing.
 * Nesting is bounded (DM__SQL_MAX_DEPTH) so hostile input cannot exhaust
 * the stack. Spellings that mean the same are folded here: != is <>, ! is
 * NOT, && is AND, CONVERT(x, t) is CAST, a || b under PIPES_AS_CONCAT is
 * CONCAT(a, b), and col->'p' is JSON_EXTRACT(col, 'p').
 */
#include <string.h>

#include "sql/sql_private.h"

static dm_sql_expr *parse_prec(dm__sql_parser *p, int min);
static dm_sql_expr *parse_primary(dm__sql_parser *p);

static dm_sql_expr *new_node(dm__sql_parser *p, dm_sql_expr_kind kind)
{
	dm_sql_expr *e = dm__sql_palloc(p, sizeof(*e));

	if (e)
		e->kind = kind;
	return e;
}

static bool set_args(dm__sql_parser *p, dm_sql_expr *e, dm__sql_list *l)
{
	e->args = (const dm_sql_expr *const *)l->items;
	e->nargs = l->n;
	(void)p;
	return true;
}

static bool push(dm__sql_parser *p, dm__sql_list *l, const dm_sql_expr *e)
{
	if (!e)
		return false;
	if (dm__sql_list_push(p->arena, l, (void *)e))
		return dm__sql_oom(p);
	return true;
}

static dm_sql_expr *new_op(dm__sql_parser *p, dm_sql_expr_kind kind,
			   dm_sql_op op, const dm_sql_expr *a,
			   const dm_sql_expr *b)
{
	dm__sql_list l = { NULL, 0, 0 };
	dm_sql_expr *e;

	if (!a || (kind == DM_SQL_EXPR_BINARY && !b) || p->rc)
		return NULL;
	e = new_node(p, kind);
	if (!e || !push(p, &l, a) || (b && !push(p, &l, b)))
		return NULL;
	e->op = op;
	set_args(p, e, &l);
	return e;
}

static dm_sql_expr *new_func(dm__sql_parser *p, const char *name,
			     const dm_sql_expr *a, const dm_sql_expr *b)
{
	dm__sql_list l = { NULL, 0, 0 };
	dm_sql_expr *e;

	if (!a || p->rc)
		return NULL;
	e = new_node(p, DM_SQL_EXPR_FUNC);
	if (!e || !push(p, &l, a) || (b && !push(p, &l, b)))
		return NULL;
	e->value.ptr = name;
	e->value.len = strlen(name);
	set_args(p, e, &l);
	return e;
}

int dm__sql_expr_prec(const dm_sql_expr *e)
{
	switch (e->kind) {
	case DM_SQL_EXPR_UNARY:
		return e->op == DM_SQL_OP_NOT ? DM__PREC_NOT : DM__PREC_UNARY;
	case DM_SQL_EXPR_BINARY:
		switch (e->op) {
		case DM_SQL_OP_OR: return DM__PREC_OR;
		case DM_SQL_OP_XOR: return DM__PREC_XOR;
		case DM_SQL_OP_AND: return DM__PREC_AND;
		case DM_SQL_OP_EQ:
		case DM_SQL_OP_NULL_SAFE_EQ:
		case DM_SQL_OP_NE:
		case DM_SQL_OP_LT:
		case DM_SQL_OP_LE:
		case DM_SQL_OP_GT:
		case DM_SQL_OP_GE:
			return DM__PREC_CMP;
		case DM_SQL_OP_REGEXP:
		case DM_SQL_OP_SOUNDS_LIKE:
			return DM__PREC_PRED;
		case DM_SQL_OP_BIT_OR: return DM__PREC_BITOR;
		case DM_SQL_OP_BIT_AND: return DM__PREC_BITAND;
		case DM_SQL_OP_SHIFT_LEFT:
		case DM_SQL_OP_SHIFT_RIGHT:
			return DM__PREC_SHIFT;
		case DM_SQL_OP_ADD:
		case DM_SQL_OP_SUB:
			return DM__PREC_ADD;
		case DM_SQL_OP_MUL:
		case DM_SQL_OP_DIV:
		case DM_SQL_OP_INT_DIV:
		case DM_SQL_OP_MOD:
			return DM__PREC_MUL;
		case DM_SQL_OP_BIT_XOR: return DM__PREC_BITXOR;
		default: return DM__PREC_UNARY;
		}
	case DM_SQL_EXPR_IS:
		return DM__PREC_CMP;
	case DM_SQL_EXPR_IN:
	case DM_SQL_EXPR_BETWEEN:
	case DM_SQL_EXPR_LIKE:
		return DM__PREC_PRED;
	case DM_SQL_EXPR_COLLATE:
		return DM__PREC_COLLATE;
	default:
		return DM__PREC_PRIMARY;
	}
}

static const char *const units[] = {
	"MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH",
	"QUARTER", "YEAR", "SECOND_MICROSECOND", "MINUTE_MICROSECOND",
	"MINUTE_SECOND", "HOUR_MICROSECOND", "HOUR_SECOND", "HOUR_MINUTE",
	"DAY_MICROSECOND", "DAY_SECOND", "DAY_MINUTE", "DAY_HOUR", "YEAR_MONTH"
};

/* An interval unit; SQL_TSI_DAY and friends are DAY. */
static const char *parse_unit(dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);
	dm__sql_token w = *t;
	size_t i;

	if (t->kind == DM__TOK_WORD && t->len > 8) {
		dm__sql_token pre = *t;

		pre.len = 8;
		if (dm__sql_word_is(&pre, "SQL_TSI_")) {
			w.text += 8;
			w.len -= 8;
		}
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (dm__sql_word_is(&w, units[i])) {
			p->pos++;
			return units[i];
		}
	}
	dm__sql_fail(p, "expected an interval unit");
	return NULL;
}

/* Comma-separated expressions up to and including ')'; at least one. */
static bool parse_expr_list(dm__sql_parser *p, dm__sql_list *l)
{
	do {
		if (!push(p, l, dm__sql_parse_expr(p)))
			return false;
	} while (dm__sql_accept_punct(p, DM__P_COMMA));
	return dm__sql_expect_punct(p, DM__P_RPAREN, "expected ',' or ')'");
}

static bool at_subquery(const dm__sql_parser *p)
{
	return dm__sql_at_word(p, "SELECT") || dm__sql_at_word(p, "WITH") ||
	       dm__sql_at_word(p, "VALUES") || dm__sql_at_word(p, "TABLE");
}

/* Depth of a tree, counted up to `limit` + 1. */
static unsigned tree_depth(const dm_sql_expr *e, unsigned limit)
{
	unsigned d = 0, k;
	size_t i;

	if (!limit)
		return 1;
	for (i = 0; i < e->nargs && d <= limit; i++) {
		k = tree_depth(e->args[i], limit - 1);
		if (k > d)
			d = k;
	}
	if (e->operand && (k = tree_depth(e->operand, limit - 1)) > d)
		d = k;
	if (e->else_expr && (k = tree_depth(e->else_expr, limit - 1)) > d)
		d = k;
	return d + 1;
}

/* Top-level expressions are checked against the depth limit. */
static dm_sql_expr *check_depth(dm__sql_parser *p, dm_sql_expr *e,
				size_t start)
{
	if (e && p->depth == 0 &&
	    tree_depth(e, DM__SQL_MAX_DEPTH) > DM__SQL_MAX_DEPTH) {
		dm__sql_fail_at(p, p->toks[start].start,
				"expression nested too deeply");
		return NULL;
	}
	return e;
}

dm_sql_expr *dm__sql_parse_expr(dm__sql_parser *p)
{
	size_t start = p->pos;

	return check_depth(p, parse_prec(p, DM__PREC_OR), start);
}

/* The binary/postfix operator at the current token: its precedence and
 * how many tokens it spans; 0 when there is none. */
static int peek_operator(const dm__sql_parser *p, dm_sql_op *op, int *ntok)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	*ntok = 1;
	*op = DM_SQL_OP_NONE;
	if (t->kind == DM__TOK_PUNCT) {
		switch (t->punct) {
		case DM__P_OROR:
			if (p->mode & DM_SQL_MODE_PIPES_AS_CONCAT)
				return DM__PREC_CONCAT;
			*op = DM_SQL_OP_OR;
			return DM__PREC_OR;
		case DM__P_ANDAND: *op = DM_SQL_OP_AND; return DM__PREC_AND;
		case DM__P_EQ: *op = DM_SQL_OP_EQ; return DM__PREC_CMP;
		case DM__P_NSEQ: *op = DM_SQL_OP_NULL_SAFE_EQ; return DM__PREC_CMP;
		case DM__P_NE: *op = DM_SQL_OP_NE; return DM__PREC_CMP;
		case DM__P_LT: *op = DM_SQL_OP_LT; return DM__PREC_CMP;
		case DM__P_LE: *op = DM_SQL_OP_LE; return DM__PREC_CMP;
		case DM__P_GT: *op = DM_SQL_OP_GT; return DM__PREC_CMP;
		case DM__P_GE: *op = DM_SQL_OP_GE; return DM__PREC_CMP;
		case DM__P_PIPE: *op = DM_SQL_OP_BIT_OR; return DM__PREC_BITOR;
		case DM__P_AMP: *op = DM_SQL_OP_BIT_AND; return DM__PREC_BITAND;
		case DM__P_SHL: *op = DM_SQL_OP_SHIFT_LEFT; return DM__PREC_SHIFT;
		case DM__P_SHR: *op = DM_SQL_OP_SHIFT_RIGHT; return DM__PREC_SHIFT;
		case DM__P_PLUS: *op = DM_SQL_OP_ADD; return DM__PREC_ADD;
		case DM__P_MINUS: *op = DM_SQL_OP_SUB; return DM__PREC_ADD;
		case DM__P_STAR: *op = DM_SQL_OP_MUL; return DM__PREC_MUL;
		case DM__P_SLASH: *op = DM_SQL_OP_DIV; return DM__PREC_MUL;
		case DM__P_PERCENT: *op = DM_SQL_OP_MOD; return DM__PREC_MUL;
		case DM__P_CARET: *op = DM_SQL_OP_BIT_XOR; return DM__PREC_BITXOR;
		default: return 0;
		}
	}
	if (t->kind != DM__TOK_WORD)
		return 0;
	if (dm__sql_word_is(t, "OR")) {
		*op = DM_SQL_OP_OR;
		return DM__PREC_OR;
	}
	if (dm__sql_word_is(t, "XOR")) {
		*op = DM_SQL_OP_XOR;
		return DM__PREC_XOR;
	}
	if (dm__sql_word_is(t, "AND")) {
		*op = DM_SQL_OP_AND;
		return DM__PREC_AND;
	}
	if (dm__sql_word_is(t, "DIV")) {
		*op = DM_SQL_OP_INT_DIV;
		return DM__PREC_MUL;
	}
	if (dm__sql_word_is(t, "MOD")) {
		*op = DM_SQL_OP_MOD;
		return DM__PREC_MUL;
	}
	if (dm__sql_word_is(t, "IS"))
		return DM__PREC_CMP;
	if (dm__sql_word_is(t, "NOT")) {
		const dm__sql_token *n = dm__sql_peek(p, 1);

		if (dm__sql_word_is(n, "IN") || dm__sql_word_is(n, "BETWEEN") ||
		    dm__sql_word_is(n, "LIKE") || dm__sql_word_is(n, "REGEXP") ||
		    dm__sql_word_is(n, "RLIKE")) {
			*ntok = 2;
			return DM__PREC_PRED;
		}
		return 0;
	}
	if (dm__sql_word_is(t, "IN") || dm__sql_word_is(t, "BETWEEN") ||
	    dm__sql_word_is(t, "LIKE") || dm__sql_word_is(t, "REGEXP") ||
	    dm__sql_word_is(t, "RLIKE"))
		return DM__PREC_PRED;
	if (dm__sql_word_is(t, "SOUNDS") &&
	    dm__sql_word_is(dm__sql_peek(p, 1), "LIKE")) {
		*op = DM_SQL_OP_SOUNDS_LIKE;
		*ntok = 2;
		return DM__PREC_PRED;
	}
	return 0;
}

static dm_sql_expr *parse_is(dm__sql_parser *p, dm_sql_expr *left)
{
	dm_sql_expr *e = new_op(p, DM_SQL_EXPR_IS, DM_SQL_OP_NONE, left, NULL);

	if (!e)
		return NULL;
	e->negated = dm__sql_accept_word(p, "NOT");
	if (dm__sql_accept_word(p, "NULL"))
		e->keyword = "NULL";
	else if (dm__sql_accept_word(p, "TRUE"))
		e->keyword = "TRUE";
	else if (dm__sql_accept_word(p, "FALSE"))
		e->keyword = "FALSE";
	else if (dm__sql_accept_word(p, "UNKNOWN"))
		e->keyword = "UNKNOWN";
	else
		return dm__sql_fail(p, "expected NULL, TRUE, FALSE or UNKNOWN"), NULL;
	return e;
}

static dm_sql_expr *parse_predicate(dm__sql_parser *p, dm_sql_expr *left,
				    bool negated)
{
	dm__sql_list l = { NULL, 0, 0 };
	dm_sql_expr *e;

	if (!push(p, &l, left))
		return NULL;
	if (dm__sql_accept_word(p, "IN")) {
		e = new_node(p, DM_SQL_EXPR_IN);
		if (!e || !dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
			return NULL;
		if (at_subquery(p))
			return dm__sql_fail(p, "subqueries are not supported"), NULL;
		if (dm__sql_at_punct(p, DM__P_RPAREN))
			return dm__sql_fail(p, "expected an expression"), NULL;
		if (!parse_expr_list(p, &l))
			return NULL;
	} else if (dm__sql_accept_word(p, "BETWEEN")) {
		e = new_node(p, DM_SQL_EXPR_BETWEEN);
		if (!e || !push(p, &l, parse_prec(p, DM__PREC_BITOR)) ||
		    !dm__sql_expect_word(p, "AND") ||
		    !push(p, &l, parse_prec(p, DM__PREC_PRED)))
			return NULL;
	} else if (dm__sql_accept_word(p, "LIKE")) {
		e = new_node(p, DM_SQL_EXPR_LIKE);
		if (!e || !push(p, &l, parse_prec(p, DM__PREC_BITOR)))
			return NULL;
		if (dm__sql_accept_word(p, "ESCAPE") &&
		    !push(p, &l, parse_prec(p, DM__PREC_UNARY)))
			return NULL;
	} else {
		/* REGEXP / RLIKE */
		p->pos++;
		e = new_node(p, DM_SQL_EXPR_BINARY);
		if (!e || !push(p, &l, parse_prec(p, DM__PREC_BITOR)))
			return NULL;
		e->op = DM_SQL_OP_REGEXP;
	}
	e->negated = negated;
	set_args(p, e, &l);
	return e;
}

static dm_sql_expr *parse_prefix(dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);
	dm_sql_expr *e;

	if (dm__sql_word_is(t, "NOT")) {
		p->pos++;
		if (p->mode & DM_SQL_MODE_HIGH_NOT_PRECEDENCE)
			return new_op(p, DM_SQL_EXPR_UNARY, DM_SQL_OP_NOT,
				      parse_prec(p, DM__PREC_UNARY), NULL);
		return new_op(p, DM_SQL_EXPR_UNARY, DM_SQL_OP_NOT,
			      parse_prec(p, DM__PREC_NOT), NULL);
	}
	if (t->kind == DM__TOK_PUNCT) {
		dm_sql_op op = DM_SQL_OP_NONE;

		switch (t->punct) {
		case DM__P_BANG: op = DM_SQL_OP_NOT; break;
		case DM__P_MINUS: op = DM_SQL_OP_NEG; break;
		case DM__P_PLUS: op = DM_SQL_OP_PLUS; break;
		case DM__P_TILDE: op = DM_SQL_OP_BIT_NOT; break;
		default: break;
		}
		if (op != DM_SQL_OP_NONE) {
			p->pos++;
			return new_op(p, DM_SQL_EXPR_UNARY, op,
				      parse_prec(p, DM__PREC_UNARY), NULL);
		}
	}
	if (dm__sql_word_is(t, "BINARY")) {
		p->pos++;
		return new_op(p, DM_SQL_EXPR_UNARY, DM_SQL_OP_BINARY,
			      parse_prec(p, DM__PREC_UNARY), NULL);
	}
	e = parse_primary(p);
	while (e && dm__sql_accept_word(p, "COLLATE")) {
		const char *coll;

		if (!dm__sql_parse_collate_name(p, &coll))
			return NULL;
		e = new_op(p, DM_SQL_EXPR_COLLATE, DM_SQL_OP_NONE, e, NULL);
		if (e)
			e->keyword = coll;
	}
	return e;
}

static dm_sql_expr *parse_prec(dm__sql_parser *p, int min)
{
	dm_sql_expr *left;

	if (p->rc)
		return NULL;
	if (++p->depth > DM__SQL_MAX_RECURSION) {
		dm__sql_fail(p, "expression nested too deeply");
		p->depth--;
		return NULL;
	}
	left = parse_prefix(p);
	while (left && !p->rc) {
		dm_sql_op op;
		int ntok, prec = peek_operator(p, &op, &ntok);
		const dm__sql_token *t = dm__sql_peek(p, 0);

		if (!prec || prec < min)
			break;
		if (dm__sql_word_is(t, "IS")) {
			p->pos++;
			left = parse_is(p, left);
		} else if (prec == DM__PREC_PRED && op == DM_SQL_OP_NONE) {
			bool neg = dm__sql_word_is(t, "NOT");

			if (neg)
				p->pos++;
			left = parse_predicate(p, left, neg);
		} else if (prec == DM__PREC_CONCAT) {
			p->pos++;
			left = new_func(p, "CONCAT", left,
					parse_prec(p, DM__PREC_CONCAT + 1));
		} else if (prec == DM__PREC_CMP) {
			p->pos++;
			if (dm__sql_at_word(p, "ANY") || dm__sql_at_word(p, "ALL") ||
			    dm__sql_at_word(p, "SOME")) {
				dm__sql_fail(p, "subqueries are not supported");
				break;
			}
			left = new_op(p, DM_SQL_EXPR_BINARY, op, left,
				      parse_prec(p, DM__PREC_PRED));
		} else {
			p->pos += (size_t)ntok;
			left = new_op(p, DM_SQL_EXPR_BINARY, op, left,
				      parse_prec(p, prec + 1));
		}
	}
	p->depth--;
	return p->rc ? NULL : left;
}

/* ------------------------------------------------------------- primary */

static dm_sql_expr *literal(dm__sql_parser *p, dm_sql_expr_kind kind,
			    const dm__sql_token *t)
{
	dm_sql_expr *e = new_node(p, kind);

	if (!e)
		return NULL;
	p->pos++;
	if (kind == DM_SQL_EXPR_STRING || kind == DM_SQL_EXPR_HEX ||
	    kind == DM_SQL_EXPR_BIT) {
		e->value.ptr = t->text;
		e->value.len = t->len;
		e->charset = t->charset;
		e->national = t->national;
		e->prefixed = t->prefixed;
		return e;
	}
	e->value.ptr = dm__sql_pstrndup(p, t->text, t->len);
	e->value.len = t->len;
	return e->value.ptr ? e : NULL;
}

static bool is_now_name(const char *s)
{
	return !strcmp(s, "CURRENT_TIMESTAMP") || !strcmp(s, "NOW") ||
	       !strcmp(s, "LOCALTIME") || !strcmp(s, "LOCALTIMESTAMP");
}

bool dm__sql_expr_is_now(const dm_sql_expr *e, int *fsp)
{
	if (e->kind != DM_SQL_EXPR_FUNC || e->quoted || e->schema ||
	    !is_now_name(e->value.ptr))
		return false;
	if (e->nargs == 0) {
		*fsp = -1;
		return true;
	}
	if (e->nargs == 1 && e->args[0]->kind == DM_SQL_EXPR_INT &&
	    e->args[0]->value.len == 1) {
		*fsp = e->args[0]->value.ptr[0] - '0';
		return true;
	}
	return false;
}

bool dm__sql_expr_is_literal(const dm_sql_expr *e)
{
	switch (e->kind) {
	case DM_SQL_EXPR_NULL:
	case DM_SQL_EXPR_BOOL:
	case DM_SQL_EXPR_INT:
	case DM_SQL_EXPR_DECIMAL:
	case DM_SQL_EXPR_FLOAT:
	case DM_SQL_EXPR_STRING:
	case DM_SQL_EXPR_HEX:
	case DM_SQL_EXPR_BIT:
	case DM_SQL_EXPR_TEMPORAL:
		return true;
	case DM_SQL_EXPR_UNARY:
		if (e->op != DM_SQL_OP_NEG && e->op != DM_SQL_OP_PLUS)
			return false;
		switch (e->args[0]->kind) {
		case DM_SQL_EXPR_INT:
		case DM_SQL_EXPR_DECIMAL:
		case DM_SQL_EXPR_FLOAT:
			return true;
		default:
			return false;
		}
	default:
		return false;
	}
}

/* Keyword functions callable without parentheses. */
static const char *const bare_funcs[] = {
	"CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_USER",
	"CURRENT_ROLE", "LOCALTIME", "LOCALTIMESTAMP", "UTC_DATE", "UTC_TIME",
	"UTC_TIMESTAMP"
};

/* Reserved words that are also names of built-in functions. */
static bool reserved_func(const dm__sql_token *t)
{
	static const char *const names[] = {
		"CHAR", "DATABASE", "DEFAULT", "IF", "INSERT", "LEFT", "MOD",
		"REPEAT", "REPLACE", "RIGHT", "SCHEMA", "VALUES",
		"CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
		"CURRENT_USER", "LOCALTIME", "LOCALTIMESTAMP", "UTC_DATE",
		"UTC_TIME", "UTC_TIMESTAMP"
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (dm__sql_word_is(t, names[i]))
			return true;
	return false;
}

static const char *bare_func(const dm__sql_token *t)
{
	size_t i;

	for (i = 0; i < sizeof(bare_funcs) / sizeof(bare_funcs[0]); i++)
		if (dm__sql_word_is(t, bare_funcs[i]))
			return bare_funcs[i];
	return NULL;
}

static dm_sql_expr *parse_cast(dm__sql_parser *p, bool convert)
{
	dm__sql_list l = { NULL, 0, 0 };
	dm_sql_expr *e;

	p->pos += 2; /* CAST ( */
	if (!push(p, &l, dm__sql_parse_expr(p)))
		return NULL;
	if (convert && dm__sql_accept_word(p, "USING")) {
		e = new_node(p, DM_SQL_EXPR_CONVERT_USING);
		if (!e || !dm__sql_parse_collate_name(p, &e->charset))
			return NULL;
	} else {
		e = new_node(p, DM_SQL_EXPR_CAST);
		if (!e)
			return NULL;
		if (convert ? !dm__sql_expect_punct(p, DM__P_COMMA, "expected ','")
			    : !dm__sql_expect_word(p, "AS"))
			return NULL;
		e->type = dm__sql_parse_data_type(p, true);
		if (!e->type)
			return NULL;
	}
	if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
		return NULL;
	set_args(p, e, &l);
	return e;
}

static dm_sql_expr *parse_case(dm__sql_parser *p)
{
	dm__sql_list l = { NULL, 0, 0 };
	dm_sql_expr *e = new_node(p, DM_SQL_EXPR_CASE);

	p->pos++;
	if (!e)
		return NULL;
	if (!dm__sql_at_word(p, "WHEN")) {
		e->operand = dm__sql_parse_expr(p);
		if (!e->operand)
			return NULL;
	}
	if (!dm__sql_at_word(p, "WHEN"))
		return dm__sql_fail(p, "expected WHEN"), NULL;
	while (dm__sql_accept_word(p, "WHEN")) {
		if (!push(p, &l, dm__sql_parse_expr(p)) ||
		    !dm__sql_expect_word(p, "THEN") ||
		    !push(p, &l, dm__sql_parse_expr(p)))
			return NULL;
	}
	if (dm__sql_accept_word(p, "ELSE")) {
		e->else_expr = dm__sql_parse_expr(p);
		if (!e->else_expr)
			return NULL;
	}
	if (!dm__sql_expect_word(p, "END"))
		return NULL;
	set_args(p, e, &l);
	return e;
}

/* True when the parenthesis at the current token holds a top-level ','
 * before its match: INTERVAL(a, b, ...) rather than INTERVAL (x) DAY. */
static bool paren_has_comma(const dm__sql_parser *p)
{
	size_t i = p->pos, depth = 0;

	for (; i < p->ntoks; i++) {
		const dm__sql_token *t = &p->toks[i];

		if (t->kind == DM__TOK_EOF)
			return false;
		if (t->kind != DM__TOK_PUNCT)
			continue;
		if (t->punct == DM__P_LPAREN) {
			depth++;
		} else if (t->punct == DM__P_RPAREN) {
			if (--depth == 0)
				return false;
		} else if (t->punct == DM__P_COMMA && depth == 1) {
			return true;
		}
	}
	return false;
}

static dm_sql_expr *parse_interval(dm__sql_parser *p)
{
	dm_sql_expr *e = new_node(p, DM_SQL_EXPR_INTERVAL);
	dm__sql_list l = { NULL, 0, 0 };

	p->pos++; /* INTERVAL */
	if (!e || !push(p, &l, dm__sql_parse_expr(p)))
		return NULL;
	e->keyword = parse_unit(p);
	if (!e->keyword)
		return NULL;
	set_args(p, e, &l);
	return e;
}

/* name( ... ) with the special argument forms of a few built-ins. */
static dm_sql_expr *parse_call(dm__sql_parser *p, const char *schema,
			       const char *name, bool quoted)
{
	dm__sql_list l = { NULL, 0, 0 };
	dm_sql_expr *e = new_node(p, DM_SQL_EXPR_FUNC);
	bool special = !quoted && !schema;

	if (!e)
		return NULL;
	e->schema = schema;
	e->quoted = quoted;
	e->value.ptr = name;
	e->value.len = strlen(name);
	if (!dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
		return NULL;
	if (at_subquery(p))
		return dm__sql_fail(p, "subqueries are not supported"), NULL;
	if (special && !strcmp(name, "TRIM")) {
		dm_sql_expr *a;

		if (dm__sql_accept_word(p, "BOTH"))
			e->keyword = "BOTH";
		else if (dm__sql_accept_word(p, "LEADING"))
			e->keyword = "LEADING";
		else if (dm__sql_accept_word(p, "TRAILING"))
			e->keyword = "TRAILING";
		if (e->keyword && dm__sql_accept_word(p, "FROM")) {
			if (!push(p, &l, dm__sql_parse_expr(p)))
				return NULL;
		} else {
			a = dm__sql_parse_expr(p);
			if (!a)
				return NULL;
			if (dm__sql_accept_word(p, "FROM")) {
				if (!push(p, &l, dm__sql_parse_expr(p)) ||
				    !push(p, &l, a))
					return NULL;
			} else if (e->keyword) {
				return dm__sql_fail(p, "expected FROM"), NULL;
			} else if (!push(p, &l, a)) {
				return NULL;
			}
		}
		if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
			return NULL;
	} else if (special && (!strcmp(name, "SUBSTRING") ||
			       !strcmp(name, "SUBSTR") || !strcmp(name, "MID"))) {
		if (!push(p, &l, dm__sql_parse_expr(p)))
			return NULL;
		if (dm__sql_accept_word(p, "FROM")) {
			if (!push(p, &l, dm__sql_parse_expr(p)))
				return NULL;
			if (dm__sql_accept_word(p, "FOR") &&
			    !push(p, &l, dm__sql_parse_expr(p)))
				return NULL;
			if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
				return NULL;
		} else {
			if (!dm__sql_expect_punct(p, DM__P_COMMA, "expected ','") ||
			    !parse_expr_list(p, &l))
				return NULL;
		}
	} else if (special && !strcmp(name, "POSITION")) {
		if (!push(p, &l, parse_prec(p, DM__PREC_BITOR)) ||
		    !dm__sql_expect_word(p, "IN") ||
		    !push(p, &l, dm__sql_parse_expr(p)) ||
		    !dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
			return NULL;
	} else if (special && !strcmp(name, "EXTRACT")) {
		e->keyword = parse_unit(p);
		if (!e->keyword || !dm__sql_expect_word(p, "FROM") ||
		    !push(p, &l, dm__sql_parse_expr(p)) ||
		    !dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
			return NULL;
	} else if (special && (!strcmp(name, "TIMESTAMPDIFF") ||
			       !strcmp(name, "TIMESTAMPADD"))) {
		e->keyword = parse_unit(p);
		if (!e->keyword ||
		    !dm__sql_expect_punct(p, DM__P_COMMA, "expected ','") ||
		    !parse_expr_list(p, &l))
			return NULL;
	} else if (special && !strcmp(name, "GET_FORMAT")) {
		if (dm__sql_accept_word(p, "DATE"))
			e->keyword = "DATE";
		else if (dm__sql_accept_word(p, "TIME"))
			e->keyword = "TIME";
		else if (dm__sql_accept_word(p, "DATETIME"))
			e->keyword = "DATETIME";
		else if (dm__sql_accept_word(p, "TIMESTAMP"))
			e->keyword = "TIMESTAMP";
		else
			return dm__sql_fail(p, "expected DATE, TIME or DATETIME"), NULL;
		if (!dm__sql_expect_punct(p, DM__P_COMMA, "expected ','") ||
		    !parse_expr_list(p, &l))
			return NULL;
	} else if (special && !strcmp(name, "CHAR")) {
		do {
			if (!push(p, &l, dm__sql_parse_expr(p)))
				return NULL;
		} while (dm__sql_accept_punct(p, DM__P_COMMA));
		if (dm__sql_accept_word(p, "USING") &&
		    !dm__sql_parse_collate_name(p, &e->charset))
			return NULL;
		if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
			return NULL;
	} else {
		if (dm__sql_at_punct(p, DM__P_STAR) || dm__sql_at_word(p, "DISTINCT") ||
		    dm__sql_at_word(p, "ALL"))
			return dm__sql_fail(p, "aggregate functions are not supported"), NULL;
		if (!dm__sql_accept_punct(p, DM__P_RPAREN) && !parse_expr_list(p, &l))
			return NULL;
	}
	set_args(p, e, &l);
	return p->rc ? NULL : e;
}

/* [schema.][table.]column, db.func(...) and col->'path'. */
static dm_sql_expr *parse_name_expr(dm__sql_parser *p)
{
	const char *parts[3];
	bool quoted0 = dm__sql_peek(p, 0)->kind == DM__TOK_QIDENT;
	size_t n = 0;
	dm_sql_expr *e;

	parts[n] = dm__sql_parse_ident(p, "expected an expression");
	if (!parts[n++])
		return NULL;
	while (n < 3 && dm__sql_at_punct(p, DM__P_DOT)) {
		p->pos++;
		if (dm__sql_at_punct(p, DM__P_STAR))
			return dm__sql_fail(p, "expected a column name"), NULL;
		parts[n] = dm__sql_parse_name_lenient(p, "expected a column name");
		if (!parts[n++])
			return NULL;
	}
	if (dm__sql_at_punct(p, DM__P_LPAREN) && n <= 2) {
		if (n == 1)
			return parse_call(p, NULL, quoted0 ? parts[0]
				: dm__sql_upper_dup(p, parts[0], strlen(parts[0])),
				quoted0);
		return parse_call(p, parts[0], parts[1], true);
	}
	e = new_node(p, DM_SQL_EXPR_COLUMN);
	if (!e)
		return NULL;
	e->value.ptr = parts[n - 1];
	e->value.len = strlen(parts[n - 1]);
	if (n >= 2)
		e->table = parts[n - 2];
	if (n == 3)
		e->schema = parts[0];
	if (dm__sql_at_punct(p, DM__P_ARROW) || dm__sql_at_punct(p, DM__P_ARROW2)) {
		bool unquote = dm__sql_at_punct(p, DM__P_ARROW2);
		const dm__sql_token *s;
		dm_sql_expr *path;

		p->pos++;
		s = dm__sql_peek(p, 0);
		if (s->kind != DM__TOK_STRING)
			return dm__sql_fail(p, "expected a JSON path string"), NULL;
		path = literal(p, DM_SQL_EXPR_STRING, s);
		e = new_func(p, "JSON_EXTRACT", e, path);
		if (unquote)
			e = new_func(p, "JSON_UNQUOTE", e, NULL);
	}
	return e;
}

static dm_sql_expr *parse_paren(dm__sql_parser *p)
{
	dm__sql_list l = { NULL, 0, 0 };
	dm_sql_expr *e;

	p->pos++;
	if (at_subquery(p) || dm__sql_at_punct(p, DM__P_LPAREN)) {
		/* (SELECT ...) and ((SELECT ...)) */
		size_t i = p->pos;

		while (i < p->ntoks && p->toks[i].kind == DM__TOK_PUNCT &&
		       p->toks[i].punct == DM__P_LPAREN)
			i++;
		if (i < p->ntoks && (dm__sql_word_is(&p->toks[i], "SELECT") ||
				     dm__sql_word_is(&p->toks[i], "WITH")))
			return dm__sql_fail(p, "subqueries are not supported"), NULL;
	}
	e = dm__sql_parse_expr(p);
	if (!e)
		return NULL;
	if (!dm__sql_at_punct(p, DM__P_COMMA)) {
		if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
			return NULL;
		return e;
	}
	if (!push(p, &l, e))
		return NULL;
	p->pos++;
	if (!parse_expr_list(p, &l))
		return NULL;
	e = new_node(p, DM_SQL_EXPR_ROW);
	if (e)
		set_args(p, e, &l);
	return e;
}

static dm_sql_expr *parse_primary(dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);
	const dm__sql_token *n = dm__sql_peek(p, 1);
	bool call = n->kind == DM__TOK_PUNCT && n->punct == DM__P_LPAREN;
	const char *bf;
	dm_sql_expr *e;

	if (p->rc)
		return NULL;
	switch (t->kind) {
	case DM__TOK_INT:
		return literal(p, DM_SQL_EXPR_INT, t);
	case DM__TOK_DECIMAL:
		return literal(p, DM_SQL_EXPR_DECIMAL, t);
	case DM__TOK_FLOAT:
		return literal(p, DM_SQL_EXPR_FLOAT, t);
	case DM__TOK_STRING:
		return literal(p, DM_SQL_EXPR_STRING, t);
	case DM__TOK_HEX:
		return literal(p, DM_SQL_EXPR_HEX, t);
	case DM__TOK_BIT:
		return literal(p, DM_SQL_EXPR_BIT, t);
	case DM__TOK_USER_VAR:
	case DM__TOK_SYS_VAR:
		e = new_node(p, t->kind == DM__TOK_USER_VAR ? DM_SQL_EXPR_USER_VAR
							    : DM_SQL_EXPR_SYSTEM_VAR);
		if (!e)
			return NULL;
		p->pos++;
		e->value.ptr = dm__sql_pstrndup(p, t->text, t->len);
		e->value.len = t->len;
		if (t->scope)
			e->keyword = dm__sql_upper_dup(p, t->scope, strlen(t->scope));
		return p->rc ? NULL : e;
	case DM__TOK_QIDENT:
		return parse_name_expr(p);
	case DM__TOK_PUNCT:
		if (t->punct == DM__P_LPAREN)
			return parse_paren(p);
		dm__sql_fail(p, "expected an expression");
		return NULL;
	case DM__TOK_WORD:
		break;
	default:
		dm__sql_fail(p, t->kind == DM__TOK_PARAM
				     ? "parameters are not supported"
				     : "expected an expression");
		return NULL;
	}
	if (dm__sql_word_is(t, "NULL")) {
		p->pos++;
		e = new_node(p, DM_SQL_EXPR_NULL);
		if (e) {
			e->value.ptr = "NULL";
			e->value.len = 4;
		}
		return e;
	}
	if (dm__sql_word_is(t, "TRUE") || dm__sql_word_is(t, "FALSE")) {
		bool tr = dm__sql_word_is(t, "TRUE");

		p->pos++;
		e = new_node(p, DM_SQL_EXPR_BOOL);
		if (e) {
			e->value.ptr = tr ? "TRUE" : "FALSE";
			e->value.len = tr ? 4 : 5;
		}
		return e;
	}
	if ((dm__sql_word_is(t, "DATE") || dm__sql_word_is(t, "TIME") ||
	     dm__sql_word_is(t, "TIMESTAMP")) &&
	    n->kind == DM__TOK_STRING && !n->charset && !n->national) {
		e = new_node(p, DM_SQL_EXPR_TEMPORAL);
		if (!e)
			return NULL;
		e->keyword = dm__sql_word_is(t, "DATE") ? "DATE"
			     : dm__sql_word_is(t, "TIME") ? "TIME"
							  : "TIMESTAMP";
		e->value.ptr = n->text;
		e->value.len = n->len;
		p->pos += 2;
		return e;
	}
	if (dm__sql_word_is(t, "CASE"))
		return parse_case(p);
	if (call && dm__sql_word_is(t, "CAST"))
		return parse_cast(p, false);
	if (call && dm__sql_word_is(t, "CONVERT"))
		return parse_cast(p, true);
	if (dm__sql_word_is(t, "INTERVAL")) {
		if (call) {
			size_t save = p->pos;

			p->pos++;
			if (paren_has_comma(p))
				return parse_call(p, NULL, "INTERVAL", false);
			p->pos = save;
		}
		return parse_interval(p);
	}
	if (dm__sql_word_is(t, "EXISTS"))
		return dm__sql_fail(p, "subqueries are not supported"), NULL;
	if (dm__sql_word_is(t, "MATCH"))
		return dm__sql_fail(p, "MATCH ... AGAINST is not supported"), NULL;
	if (call && dm__sql_word_is(t, "ROW")) {
		dm__sql_list l = { NULL, 0, 0 };

		p->pos += 2;
		if (!parse_expr_list(p, &l))
			return NULL;
		e = new_node(p, DM_SQL_EXPR_ROW);
		if (e)
			set_args(p, e, &l);
		return e;
	}
	bf = bare_func(t);
	if (bf && !call) {
		p->pos++;
		e = new_node(p, DM_SQL_EXPR_FUNC);
		if (e) {
			e->value.ptr = bf;
			e->value.len = strlen(bf);
		}
		return e;
	}
	if (call && (!dm__sql_is_reserved(t->text, t->len) || reserved_func(t))) {
		char *name = dm__sql_upper_dup(p, t->text, t->len);

		if (!name)
			return NULL;
		p->pos++;
		return parse_call(p, NULL, name, false);
	}
	if (dm__sql_is_reserved(t->text, t->len)) {
		dm__sql_fail(p, "expected an expression");
		return NULL;
	}
	return parse_name_expr(p);
}

dm_sql_expr *dm__sql_parse_simple_expr(dm__sql_parser *p)
{
	size_t start = p->pos;

	if (dm__sql_at_punct(p, DM__P_MINUS) || dm__sql_at_punct(p, DM__P_PLUS)) {
		dm_sql_op op = dm__sql_at_punct(p, DM__P_MINUS) ? DM_SQL_OP_NEG
							       : DM_SQL_OP_PLUS;

		p->pos++;
		return check_depth(p, new_op(p, DM_SQL_EXPR_UNARY, op,
					     parse_primary(p), NULL), start);
	}
	return check_depth(p, parse_primary(p), start);
}
