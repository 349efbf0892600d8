/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Statements with a full syntax tree: CREATE/ALTER/DROP DATABASE, CREATE
 * TABLE, ALTER TABLE, RENAME TABLE, DROP TABLE, TRUNCATE, CREATE/DROP
 * INDEX. Everything else goes to the skim (sql_skim.c).
 */
#include <string.h>

#include "sql/sql_private.h"

#define LIST_INIT { NULL, 0, 0 }

static bool push(dm__sql_parser *p, dm__sql_list *l, const void *item)
{
	if (!item)
		return false;
	if (dm__sql_list_push(p->arena, l, (void *)item))
		return dm__sql_oom(p);
	return true;
}

static bool at_punct_tok(const dm__sql_token *t, int punct)
{
	return t->kind == DM__TOK_PUNCT && t->punct == punct;
}

static bool at_end(const dm__sql_parser *p)
{
	return dm__sql_peek(p, 0)->kind == DM__TOK_EOF;
}

/* IF NOT EXISTS / IF EXISTS */
static bool accept_if_not_exists(dm__sql_parser *p)
{
	if (dm__sql_at_word2(p, "IF", "NOT") &&
	    dm__sql_word_is(dm__sql_peek(p, 2), "EXISTS")) {
		p->pos += 3;
		return true;
	}
	return false;
}

static bool accept_if_exists(dm__sql_parser *p)
{
	if (dm__sql_at_word2(p, "IF", "EXISTS")) {
		p->pos += 2;
		return true;
	}
	return false;
}

static const char *parse_string(dm__sql_parser *p, dm_sql_str *out)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	if (t->kind != DM__TOK_STRING) {
		dm__sql_fail(p, "expected a string");
		return NULL;
	}
	p->pos++;
	out->ptr = t->text;
	out->len = t->len;
	return t->text;
}

/* WAIT n | NOWAIT */
static bool parse_wait(dm__sql_parser *p, const char **out)
{
	if (dm__sql_accept_word(p, "NOWAIT")) {
		*out = "NOWAIT";
		return true;
	}
	if (dm__sql_at_word(p, "WAIT")) {
		const dm__sql_token *n = dm__sql_peek(p, 1);
		char *s;

		if (n->kind != DM__TOK_INT || n->len > 20) {
			p->pos++;
			return dm__sql_fail(p, "expected a number");
		}
		s = dm__sql_palloc(p, n->len + 6);
		if (!s)
			return false;
		memcpy(s, "WAIT ", 5);
		memcpy(s + 5, n->text, n->len);
		s[5 + n->len] = '\0';
		*out = s;
		p->pos += 2;
	}
	return true;
}

static const char *expr_text(dm__sql_parser *p, const dm_sql_expr *e)
{
	char *s = dm__sql_expr_text(p->arena, e);

	if (!s)
		dm__sql_oom(p);
	return s;
}

/* '(' expr ')' */
static const dm_sql_expr *parse_paren_expr(dm__sql_parser *p)
{
	const dm_sql_expr *e;

	if (!dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
		return NULL;
	e = dm__sql_parse_expr(p);
	if (!e || !dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
		return NULL;
	return e;
}

/* A ';' ends a statement: it is never part of a kept token run. */
static bool no_semicolon(dm__sql_parser *p)
{
	if (dm__sql_at_punct(p, DM__P_SEMI))
		return dm__sql_fail(p, "unexpected text after the statement");
	return true;
}

/* Tokens from `from` to the end of the statement. */
static bool capture_rest(dm__sql_parser *p, size_t from, dm__sql_tokseq *seq)
{
	while (!at_end(p)) {
		if (!no_semicolon(p))
			return false;
		p->pos++;
	}
	return dm__sql_capture(p, from, p->pos, seq);
}

/* Words that start an ALTER TABLE specification after a ','. */
static bool starts_spec(const dm__sql_token *t)
{
	static const char *const words[] = {
		"ADD", "DROP", "MODIFY", "CHANGE", "ALTER", "RENAME", "CONVERT",
		"ALGORITHM", "LOCK", "ENABLE", "DISABLE", "FORCE", "ORDER",
		"ENGINE", "AUTO_INCREMENT", "COMMENT", "DEFAULT", "CHARACTER",
		"CHARSET", "COLLATE", "ROW_FORMAT", "WITH", "WITHOUT"
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (dm__sql_word_is(t, words[i]))
			return true;
	return false;
}

/* Tokens from `from` up to a ',' at depth 0 (for ORDER BY: one followed
 * by the start of another specification) or the end. */
static bool capture_spec(dm__sql_parser *p, size_t from, dm__sql_tokseq *seq)
{
	bool list = dm__sql_word_is(&p->toks[from], "ORDER");
	int depth = 0;

	for (;;) {
		const dm__sql_token *t = dm__sql_peek(p, 0);

		if (t->kind == DM__TOK_EOF)
			break;
		if (at_punct_tok(t, DM__P_COMMA) && depth == 0 &&
		    (!list || starts_spec(dm__sql_peek(p, 1))))
			break;
		if (!no_semicolon(p))
			return false;
		if (at_punct_tok(t, DM__P_LPAREN))
			depth++;
		else if (at_punct_tok(t, DM__P_RPAREN) && --depth < 0)
			return dm__sql_fail(p, "unbalanced ')'");
		p->pos++;
	}
	if (depth)
		return dm__sql_fail(p, "expected ')'");
	return dm__sql_capture(p, from, p->pos, seq);
}

static bool finish_extras(dm__sql_parser *p, dm__sql_list *seqs,
			  const dm__sql_tokseq **seqs_out,
			  const char *const **text_out, size_t *n_out)
{
	dm__sql_tokseq *arr;
	const char **texts;
	size_t i;

	*n_out = seqs->n;
	if (!seqs->n)
		return true;
	arr = dm__sql_palloc(p, seqs->n * sizeof(*arr));
	texts = dm__sql_palloc(p, seqs->n * sizeof(*texts));
	if (!arr || !texts)
		return false;
	for (i = 0; i < seqs->n; i++) {
		arr[i] = *(const dm__sql_tokseq *)seqs->items[i];
		texts[i] = dm__sql_tokseq_text(p->arena, &arr[i]);
		if (!texts[i])
			return dm__sql_oom(p);
	}
	*seqs_out = arr;
	*text_out = texts;
	return true;
}

/* A token run [from, p->pos) as a new extra. */
static bool add_extra(dm__sql_parser *p, dm__sql_list *seqs, size_t from)
{
	dm__sql_tokseq *seq = dm__sql_palloc(p, sizeof(*seq));

	if (!seq || !dm__sql_capture(p, from, p->pos, seq))
		return false;
	return push(p, seqs, seq);
}

/* A value after NAME [=]: one token (word, name, string, number). */
static bool skip_option_value(dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	switch (t->kind) {
	case DM__TOK_WORD:
	case DM__TOK_QIDENT:
	case DM__TOK_STRING:
	case DM__TOK_INT:
	case DM__TOK_DECIMAL:
	case DM__TOK_FLOAT:
	case DM__TOK_HEX:
		p->pos++;
		return true;
	default:
		return dm__sql_fail(p, "expected a value");
	}
}

/* ------------------------------------------------------------ defaults */

static bool parse_default_value(dm__sql_parser *p, dm_sql_default_kind *kind,
				const dm_sql_expr **expr, const char **text,
				int *fsp)
{
	const dm_sql_expr *e = dm__sql_parse_simple_expr(p);

	*fsp = -1;
	if (!e)
		return false;
	*expr = e;
	if (e->kind == DM_SQL_EXPR_NULL)
		*kind = DM_SQL_DEFAULT_NULL;
	else if (dm__sql_expr_is_now(e, fsp))
		*kind = DM_SQL_DEFAULT_CURRENT_TIMESTAMP;
	else if (dm__sql_expr_is_literal(e))
		*kind = DM_SQL_DEFAULT_LITERAL;
	else
		*kind = DM_SQL_DEFAULT_EXPR;
	*text = expr_text(p, e);
	return *text != NULL;
}

/* --------------------------------------------------------- references */

static dm_sql_fk_action parse_fk_action(dm__sql_parser *p)
{
	if (dm__sql_accept_word(p, "RESTRICT"))
		return DM_SQL_FK_ACTION_RESTRICT;
	if (dm__sql_accept_word(p, "CASCADE"))
		return DM_SQL_FK_ACTION_CASCADE;
	if (dm__sql_at_word2(p, "SET", "NULL")) {
		p->pos += 2;
		return DM_SQL_FK_ACTION_SET_NULL;
	}
	if (dm__sql_at_word2(p, "SET", "DEFAULT")) {
		p->pos += 2;
		return DM_SQL_FK_ACTION_SET_DEFAULT;
	}
	if (dm__sql_at_word2(p, "NO", "ACTION")) {
		p->pos += 2;
		return DM_SQL_FK_ACTION_NO_ACTION;
	}
	dm__sql_fail(p, "expected RESTRICT, CASCADE, SET NULL, SET DEFAULT or NO ACTION");
	return DM_SQL_FK_ACTION_NONE;
}

static dm_sql_index_part *parse_index_part(dm__sql_parser *p,
					   const char **without_overlaps)
{
	dm_sql_index_part *part = dm__sql_palloc(p, sizeof(*part));

	if (!part)
		return NULL;
	part->length = -1;
	if (dm__sql_at_punct(p, DM__P_LPAREN)) {
		part->expr = parse_paren_expr(p);
		if (!part->expr)
			return NULL;
		part->expr_text = expr_text(p, part->expr);
		if (!part->expr_text)
			return NULL;
	} else {
		part->column = dm__sql_parse_ident(p, "expected a column name");
		if (!part->column)
			return NULL;
		if (without_overlaps && dm__sql_at_word2(p, "WITHOUT", "OVERLAPS")) {
			p->pos += 2;
			*without_overlaps = part->column;
			return part;
		}
		if (dm__sql_accept_punct(p, DM__P_LPAREN)) {
			const dm__sql_token *t = dm__sql_peek(p, 0);
			long long v = 0;
			size_t i;

			if (t->kind != DM__TOK_INT || t->len > 18)
				return dm__sql_fail(p, "expected a prefix length"), NULL;
			for (i = 0; i < t->len; i++)
				v = v * 10 + (t->text[i] - '0');
			part->length = v;
			p->pos++;
			if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
				return NULL;
		}
	}
	if (dm__sql_accept_word(p, "ASC"))
		part->order = DM_SQL_ORDER_ASC;
	else if (dm__sql_accept_word(p, "DESC"))
		part->order = DM_SQL_ORDER_DESC;
	return part;
}

/* '(' part, ... ')' */
static bool parse_index_parts(dm__sql_parser *p, dm_sql_index *ix,
			      const dm_sql_index_part *const **parts,
			      size_t *nparts)
{
	dm__sql_list l = LIST_INIT;

	if (!dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
		return false;
	do {
		const char *wo = NULL;
		dm_sql_index_part *part =
			parse_index_part(p, ix ? &wo : NULL);

		if (!part)
			return false;
		if (wo) {
			ix->without_overlaps = wo;
			break;
		}
		if (!push(p, &l, part))
			return false;
	} while (dm__sql_accept_punct(p, DM__P_COMMA));
	if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ',' or ')'"))
		return false;
	*parts = (const dm_sql_index_part *const *)l.items;
	*nparts = l.n;
	return true;
}

static dm_sql_reference *parse_reference(dm__sql_parser *p)
{
	dm_sql_reference *r = dm__sql_palloc(p, sizeof(*r));

	if (!r || !dm__sql_expect_word(p, "REFERENCES") ||
	    !dm__sql_parse_table_name(p, &r->table))
		return NULL;
	if (dm__sql_at_punct(p, DM__P_LPAREN) &&
	    !parse_index_parts(p, NULL, &r->columns, &r->ncolumns))
		return NULL;
	for (;;) {
		if (dm__sql_accept_word(p, "MATCH")) {
			if (dm__sql_accept_word(p, "FULL"))
				r->match = DM_SQL_FK_MATCH_FULL;
			else if (dm__sql_accept_word(p, "PARTIAL"))
				r->match = DM_SQL_FK_MATCH_PARTIAL;
			else if (dm__sql_accept_word(p, "SIMPLE"))
				r->match = DM_SQL_FK_MATCH_SIMPLE;
			else
				return dm__sql_fail(p, "expected FULL, PARTIAL or SIMPLE"), NULL;
		} else if (dm__sql_at_word2(p, "ON", "DELETE")) {
			p->pos += 2;
			r->on_delete = parse_fk_action(p);
		} else if (dm__sql_at_word2(p, "ON", "UPDATE")) {
			p->pos += 2;
			r->on_update = parse_fk_action(p);
		} else {
			break;
		}
		if (p->rc)
			return NULL;
	}
	return r;
}

/* ------------------------------------------------------------- columns */

static bool at_generated(const dm__sql_parser *p)
{
	return dm__sql_at_word2(p, "GENERATED", "ALWAYS") || dm__sql_at_word(p, "AS");
}

static bool parse_generated(dm__sql_parser *p, dm_sql_column *c)
{
	if (dm__sql_accept_word(p, "GENERATED"))
		p->pos++; /* ALWAYS */
	if (!dm__sql_expect_word(p, "AS"))
		return false;
	if (dm__sql_accept_word(p, "ROW")) {
		if (dm__sql_accept_word(p, "START"))
			c->generated = DM_SQL_GENERATED_ROW_START;
		else if (dm__sql_accept_word(p, "END"))
			c->generated = DM_SQL_GENERATED_ROW_END;
		else
			return dm__sql_fail(p, "expected START or END");
		return true;
	}
	c->generated_expr = parse_paren_expr(p);
	if (!c->generated_expr)
		return false;
	c->generated_text = expr_text(p, c->generated_expr);
	if (!c->generated_text)
		return false;
	c->generated = DM_SQL_GENERATED_VIRTUAL;
	if (dm__sql_accept_word(p, "STORED") || dm__sql_accept_word(p, "PERSISTENT"))
		c->generated = DM_SQL_GENERATED_STORED;
	else
		dm__sql_accept_word(p, "VIRTUAL");
	return true;
}

/* Rarely used column attributes, kept as text. */
static bool parse_column_extra(dm__sql_parser *p, bool *matched)
{
	const dm__sql_token *t = dm__sql_peek(p, 0), *n = dm__sql_peek(p, 1);

	*matched = true;
	if (dm__sql_word_is(t, "COLUMN_FORMAT") || dm__sql_word_is(t, "STORAGE") ||
	    dm__sql_word_is(t, "SRID")) {
		p->pos++;
		return skip_option_value(p);
	}
	if ((dm__sql_word_is(t, "WITH") || dm__sql_word_is(t, "WITHOUT")) &&
	    dm__sql_word_is(n, "SYSTEM")) {
		p->pos += 2;
		return dm__sql_expect_word(p, "VERSIONING");
	}
	if (dm__sql_word_is(t, "COMPRESSED")) {
		p->pos++;
		if (dm__sql_accept_punct(p, DM__P_EQ))
			return skip_option_value(p);
		return true;
	}
	if (dm__sql_word_is(t, "ENGINE_ATTRIBUTE") ||
	    dm__sql_word_is(t, "SECONDARY_ENGINE_ATTRIBUTE")) {
		p->pos++;
		dm__sql_accept_punct(p, DM__P_EQ);
		return skip_option_value(p);
	}
	if (t->kind == DM__TOK_WORD && at_punct_tok(n, DM__P_EQ)) {
		/* engine-defined attribute: name = value */
		p->pos += 2;
		return skip_option_value(p);
	}
	*matched = false;
	return true;
}

static dm__sql_column *parse_column_def(dm__sql_parser *p, const char *name)
{
	dm__sql_column *col = dm__sql_palloc(p, sizeof(*col));
	dm__sql_list extras = LIST_INIT, srid = LIST_INIT;
	dm_sql_data_type *type;
	dm_sql_column *c;
	size_t i;

	if (!col)
		return NULL;
	c = &col->pub;
	c->default_fsp = -1;
	c->on_update_fsp = -1;
	c->name = name ? name : dm__sql_parse_ident(p, "expected a column name");
	if (!c->name)
		return NULL;
	type = dm__sql_parse_data_type(p, false);
	if (!type)
		return NULL;
	c->type = type;
	while (!p->rc) {
		size_t start = p->pos;
		bool matched;

		if (dm__sql_at_word2(p, "NOT", "NULL")) {
			p->pos += 2;
			c->nullability = DM_SQL_NULLABILITY_NOT_NULL;
		} else if (dm__sql_accept_word(p, "NULL")) {
			c->nullability = DM_SQL_NULLABILITY_NULL;
		} else if (dm__sql_accept_word(p, "DEFAULT")) {
			parse_default_value(p, &c->default_kind, &c->default_expr,
					    &c->default_text, &c->default_fsp);
		} else if (dm__sql_at_word2(p, "ON", "UPDATE")) {
			dm_sql_default_kind k;

			p->pos += 2;
			if (parse_default_value(p, &k, &c->on_update_expr,
						&c->on_update_text, &c->on_update_fsp))
				c->on_update = true;
		} else if (dm__sql_accept_word(p, "AUTO_INCREMENT")) {
			c->auto_increment = true;
		} else if (dm__sql_at_word2(p, "PRIMARY", "KEY")) {
			p->pos += 2;
			c->primary_key = true;
		} else if (dm__sql_accept_word(p, "KEY")) {
			c->primary_key = true;
		} else if (dm__sql_accept_word(p, "UNIQUE")) {
			dm__sql_accept_word(p, "KEY");
			c->unique_key = true;
		} else if (dm__sql_accept_word(p, "COMMENT")) {
			if (parse_string(p, &c->comment))
				c->has_comment = true;
		} else if (dm__sql_accept_word(p, "COLLATE")) {
			dm__sql_accept_punct(p, DM__P_EQ);
			dm__sql_parse_collate_name(p, &type->collation);
		} else if (dm__sql_at_word2(p, "CHARACTER", "SET") ||
			   dm__sql_at_word(p, "CHARSET")) {
			dm__sql_parse_charset_clause(p, &type->charset);
		} else if (dm__sql_at_word(p, "CHECK") || dm__sql_at_word(p, "CONSTRAINT")) {
			if (dm__sql_accept_word(p, "CONSTRAINT") && !dm__sql_at_word(p, "CHECK") &&
			    !dm__sql_parse_ident(p, "expected a constraint name"))
				return NULL;
			if (!dm__sql_expect_word(p, "CHECK"))
				return NULL;
			c->check_expr = parse_paren_expr(p);
			if (c->check_expr)
				c->check_text = expr_text(p, c->check_expr);
		} else if (dm__sql_at_word(p, "REFERENCES")) {
			c->references = parse_reference(p);
		} else if (dm__sql_accept_word(p, "INVISIBLE")) {
			c->invisible = true;
		} else if (dm__sql_accept_word(p, "VISIBLE")) {
			c->invisible = false;
		} else if (at_generated(p)) {
			parse_generated(p, c);
		} else if (dm__sql_at_word2(p, "SERIAL", "DEFAULT")) {
			p->pos += 2;
			if (dm__sql_expect_word(p, "VALUE"))
				c->serial_default_value = true;
		} else {
			if (!parse_column_extra(p, &matched))
				return NULL;
			if (!matched)
				break;
			/* MariaDB wants REF_SYSTEM_ID right after the type:
			 * those come first, and restore prints them there */
			if (dm__sql_word_is(&p->toks[start], "REF_SYSTEM_ID") ||
			    dm__sql_word_is(&p->toks[start], "SRID"))
				add_extra(p, &srid, start);
			else
				add_extra(p, &extras, start);
		}
	}
	for (i = 0; !p->rc && i < extras.n; i++)
		if (dm__sql_list_push(p->arena, &srid, extras.items[i]))
			dm__sql_oom(p);
	if (p->rc || !finish_extras(p, &srid, &col->extra_seqs, &c->extra,
				    &c->nextra))
		return NULL;
	return col;
}

/* ------------------------------------------------------ keys, checks */

static bool at_index_start(const dm__sql_parser *p)
{
	return dm__sql_at_word(p, "CONSTRAINT") || dm__sql_at_word(p, "PRIMARY") ||
	       dm__sql_at_word(p, "UNIQUE") || dm__sql_at_word(p, "KEY") ||
	       dm__sql_at_word(p, "INDEX") || dm__sql_at_word(p, "FULLTEXT") ||
	       dm__sql_at_word(p, "SPATIAL") || dm__sql_at_word(p, "FOREIGN") ||
	       dm__sql_at_word(p, "CHECK") || dm__sql_at_word2(p, "PERIOD", "FOR");
}

static bool at_index_type(const dm__sql_parser *p)
{
	const dm__sql_token *n = dm__sql_peek(p, 1);

	return (dm__sql_at_word(p, "USING") || dm__sql_at_word(p, "TYPE")) &&
	       (dm__sql_word_is(n, "BTREE") || dm__sql_word_is(n, "HASH") ||
		dm__sql_word_is(n, "RTREE"));
}

static bool parse_index_type(dm__sql_parser *p, dm_sql_index *ix)
{
	const dm__sql_token *n = dm__sql_peek(p, 1);

	ix->index_type = dm__sql_word_is(n, "BTREE") ? "BTREE"
			 : dm__sql_word_is(n, "HASH") ? "HASH"
						      : "RTREE";
	p->pos += 2;
	return true;
}

static bool parse_index_options(dm__sql_parser *p, dm__sql_index *dix,
				dm__sql_list *extras)
{
	dm_sql_index *ix = &dix->pub;

	while (!p->rc) {
		const dm__sql_token *t = dm__sql_peek(p, 0), *n = dm__sql_peek(p, 1);
		size_t start = p->pos;

		if (dm__sql_accept_word(p, "KEY_BLOCK_SIZE")) {
			const dm__sql_token *v;
			long long k = 0;
			size_t i;

			dm__sql_accept_punct(p, DM__P_EQ);
			v = dm__sql_peek(p, 0);
			if (v->kind != DM__TOK_INT || v->len > 18)
				return dm__sql_fail(p, "expected a number");
			for (i = 0; i < v->len; i++)
				k = k * 10 + (v->text[i] - '0');
			ix->key_block_size = k;
			p->pos++;
		} else if (at_index_type(p)) {
			parse_index_type(p, ix);
		} else if (dm__sql_accept_word(p, "COMMENT")) {
			if (parse_string(p, &ix->comment))
				ix->has_comment = true;
		} else if (dm__sql_at_word2(p, "WITH", "PARSER")) {
			p->pos += 2;
			ix->parser = dm__sql_parse_ident(p, "expected a parser name");
		} else if (dm__sql_accept_word(p, "VISIBLE")) {
			ix->visibility = DM_SQL_VISIBILITY_VISIBLE;
		} else if (dm__sql_accept_word(p, "INVISIBLE") ||
			   dm__sql_accept_word(p, "IGNORED")) {
			ix->visibility = DM_SQL_VISIBILITY_INVISIBLE;
		} else if (dm__sql_at_word2(p, "NOT", "IGNORED")) {
			p->pos += 2;
			ix->visibility = DM_SQL_VISIBILITY_VISIBLE;
		} else if (dm__sql_word_is(t, "ENGINE_ATTRIBUTE") ||
			   dm__sql_word_is(t, "SECONDARY_ENGINE_ATTRIBUTE")) {
			p->pos++;
			dm__sql_accept_punct(p, DM__P_EQ);
			if (skip_option_value(p))
				add_extra(p, extras, start);
		} else if (t->kind == DM__TOK_WORD && at_punct_tok(n, DM__P_EQ) &&
			   !dm__sql_word_is(t, "ALGORITHM") &&
			   !dm__sql_word_is(t, "LOCK")) {
			p->pos += 2;
			if (skip_option_value(p))
				add_extra(p, extras, start);
		} else {
			break;
		}
	}
	return !p->rc;
}

static dm__sql_index *parse_index_def(dm__sql_parser *p)
{
	dm__sql_index *dix = dm__sql_palloc(p, sizeof(*dix));
	dm__sql_list extras = LIST_INIT;
	dm_sql_index *ix;
	bool named = true;

	if (!dix)
		return NULL;
	ix = &dix->pub;
	ix->key_block_size = -1;
	if (dm__sql_accept_word(p, "CONSTRAINT")) {
		if (accept_if_not_exists(p))
			ix->if_not_exists = true;
		if (dm__sql_at_ident(p)) {
			ix->constraint = dm__sql_parse_ident(p, "expected a constraint name");
			if (!ix->constraint)
				return NULL;
		}
		if (!dm__sql_at_word(p, "PRIMARY") && !dm__sql_at_word(p, "UNIQUE") &&
		    !dm__sql_at_word(p, "FOREIGN") && !dm__sql_at_word(p, "CHECK"))
			return dm__sql_fail(p, "expected PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK"), NULL;
	}
	if (dm__sql_at_word2(p, "PRIMARY", "KEY")) {
		p->pos += 2;
		ix->kind = DM_SQL_INDEX_PRIMARY;
		named = false;
	} else if (dm__sql_accept_word(p, "UNIQUE")) {
		ix->kind = DM_SQL_INDEX_UNIQUE;
		if (!dm__sql_accept_word(p, "INDEX"))
			dm__sql_accept_word(p, "KEY");
	} else if (dm__sql_accept_word(p, "INDEX") || dm__sql_accept_word(p, "KEY")) {
		ix->kind = DM_SQL_INDEX_PLAIN;
	} else if (dm__sql_accept_word(p, "FULLTEXT") || dm__sql_at_word(p, "SPATIAL")) {
		if (dm__sql_accept_word(p, "SPATIAL"))
			ix->kind = DM_SQL_INDEX_SPATIAL;
		else
			ix->kind = DM_SQL_INDEX_FULLTEXT;
		if (!dm__sql_accept_word(p, "INDEX"))
			dm__sql_accept_word(p, "KEY");
	} else if (dm__sql_at_word2(p, "FOREIGN", "KEY")) {
		p->pos += 2;
		ix->kind = DM_SQL_INDEX_FOREIGN;
	} else if (dm__sql_accept_word(p, "CHECK")) {
		ix->kind = DM_SQL_INDEX_CHECK;
		ix->check_expr = parse_paren_expr(p);
		if (!ix->check_expr)
			return NULL;
		ix->check_text = expr_text(p, ix->check_expr);
		if (dm__sql_at_word2(p, "NOT", "ENFORCED") || dm__sql_at_word(p, "ENFORCED")) {
			size_t start = p->pos;

			p->pos += dm__sql_at_word(p, "NOT") ? 2 : 1;
			add_extra(p, &extras, start);
		}
		goto out_extras;
	} else if (dm__sql_at_word2(p, "PERIOD", "FOR")) {
		dm__sql_list l = LIST_INIT;
		int i;

		p->pos += 2;
		ix->kind = DM_SQL_INDEX_PERIOD;
		if (dm__sql_accept_word(p, "SYSTEM_TIME")) {
			ix->system_time = true;
		} else {
			ix->name = dm__sql_parse_ident(p, "expected a period name");
			if (!ix->name)
				return NULL;
		}
		if (!dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
			return NULL;
		for (i = 0; i < 2; i++) {
			dm_sql_index_part *part = dm__sql_palloc(p, sizeof(*part));

			if (!part)
				return NULL;
			part->length = -1;
			part->column = dm__sql_parse_ident(p, "expected a column name");
			if (!part->column || !push(p, &l, part))
				return NULL;
			if (i == 0 && !dm__sql_expect_punct(p, DM__P_COMMA, "expected ','"))
				return NULL;
		}
		if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
			return NULL;
		ix->parts = (const dm_sql_index_part *const *)l.items;
		ix->nparts = l.n;
		return dix;
	} else {
		return dm__sql_fail(p, "expected a key definition"), NULL;
	}
	if (accept_if_not_exists(p))
		ix->if_not_exists = true;
	if (dm__sql_at_ident(p) && !at_index_type(p)) {
		const char *name = dm__sql_parse_ident(p, "expected an index name");

		if (!name)
			return NULL;
		if (named)
			ix->name = name;
	}
	if (at_index_type(p))
		parse_index_type(p, ix);
	if (!parse_index_parts(p, ix, &ix->parts, &ix->nparts))
		return NULL;
	if (ix->kind == DM_SQL_INDEX_FOREIGN) {
		ix->references = parse_reference(p);
		if (!ix->references)
			return NULL;
	} else if (!parse_index_options(p, dix, &extras)) {
		return NULL;
	}
out_extras:
	if (p->rc || !finish_extras(p, &extras, &dix->extra_seqs, &ix->extra,
				    &ix->nextra))
		return NULL;
	return dix;
}

/* -------------------------------------------------------- table options */

static bool at_partition_op(const dm__sql_parser *p);

static bool at_table_option_stop(const dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	return t->kind == DM__TOK_EOF || at_partition_op(p) ||
	       (t->kind != DM__TOK_WORD && !at_punct_tok(t, DM__P_COMMA) &&
		!(t->kind == DM__TOK_QIDENT &&
		  at_punct_tok(dm__sql_peek(p, 1), DM__P_EQ))) ||
	       dm__sql_word_is(t, "PARTITION") || dm__sql_word_is(t, "AS") ||
	       dm__sql_word_is(t, "SELECT") || dm__sql_word_is(t, "IGNORE") ||
	       dm__sql_word_is(t, "REPLACE") || dm__sql_word_is(t, "VALUES") ||
	       dm__sql_word_is(t, "TABLE") ||
	       (dm__sql_word_is(t, "WITH") &&
		!dm__sql_word_is(dm__sql_peek(p, 1), "SYSTEM"));
}

/* Table options with a fixed meaning (others are engine-defined). */
static bool known_option(const char *name)
{
	static const char *const names[] = {
		"ENGINE", "AUTO_INCREMENT", "AVG_ROW_LENGTH", "CHECKSUM",
		"COMMENT", "COMPRESSION", "CONNECTION", "DATA DIRECTORY",
		"INDEX DIRECTORY", "DELAY_KEY_WRITE", "ENCRYPTION",
		"INSERT_METHOD", "KEY_BLOCK_SIZE", "MAX_ROWS", "MIN_ROWS",
		"PACK_KEYS", "PAGE_CHECKSUM", "PASSWORD", "ROW_FORMAT",
		"SEQUENCE", "STATS_AUTO_RECALC", "STATS_PERSISTENT",
		"STATS_SAMPLE_PAGES", "TABLESPACE", "TRANSACTIONAL", "UNION",
		"STORAGE", "AUTOEXTEND_SIZE", "SECONDARY_ENGINE",
		"ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE",
		"DEFAULT CHARSET", "COLLATE", "START TRANSACTION"
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* 1: the value must be a number; 2: a number or DEFAULT; 0: anything. */
static int numeric_option(const char *name)
{
	static const char *const nums[] = {
		"AUTO_INCREMENT", "AVG_ROW_LENGTH", "CHECKSUM", "DELAY_KEY_WRITE",
		"KEY_BLOCK_SIZE", "MAX_ROWS", "MIN_ROWS", "PAGE_CHECKSUM",
		"TRANSACTIONAL", "SEQUENCE"
	};
	static const char *const num_def[] = {
		"PACK_KEYS", "STATS_AUTO_RECALC", "STATS_PERSISTENT",
		"STATS_SAMPLE_PAGES"
	};
	size_t i;

	for (i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (!strcmp(name, nums[i]))
			return 1;
	for (i = 0; i < sizeof(num_def) / sizeof(num_def[0]); i++)
		if (!strcmp(name, num_def[i]))
			return 2;
	return 0;
}

static bool set_option_value(dm__sql_parser *p, dm_sql_table_option *o,
			     bool lower)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	switch (t->kind) {
	case DM__TOK_STRING:
		if (lower) {
			/* CHARACTER SET 'utf8mb4': a name written as a string */
			if (!t->len || memchr(t->text, '\0', t->len))
				return dm__sql_fail(p, "expected a value");
			o->value = dm__sql_lower_dup(p, t->text, t->len);
			if (!o->value)
				return false;
			break;
		}
		o->is_string = true;
		o->str.ptr = t->text;
		o->str.len = t->len;
		o->value = dm__sql_string_literal_text(p->arena, t->text, t->len);
		if (!o->value)
			return dm__sql_oom(p);
		break;
	case DM__TOK_WORD:
	case DM__TOK_QIDENT:
	case DM__TOK_INT:
	case DM__TOK_DECIMAL:
		if (t->kind == DM__TOK_QIDENT &&
		    (t->len == 0 || memchr(t->text, '\0', t->len)))
			return dm__sql_fail(p, "expected a value");
		o->value = lower ? dm__sql_lower_dup(p, t->text, t->len)
				 : dm__sql_pstrndup(p, t->text, t->len);
		if (!o->value)
			return false;
		break;
	default:
		return dm__sql_fail(p, "expected a value");
	}
	p->pos++;
	return true;
}

static bool parse_union_tables(dm__sql_parser *p, dm_sql_table_option *o)
{
	dm_sql_table_name *arr = NULL;
	size_t n = 0, cap = 0;

	if (!dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
		return false;
	if (!dm__sql_at_punct(p, DM__P_RPAREN)) {
		do {
			if (n == cap) {
				size_t ncap = cap ? cap * 2 : 4;
				dm_sql_table_name *na = dm__sql_palloc(p, ncap * sizeof(*na));

				if (!na)
					return false;
				if (n)
					memcpy(na, arr, n * sizeof(*na));
				arr = na;
				cap = ncap;
			}
			if (!dm__sql_parse_table_name(p, &arr[n++]))
				return false;
		} while (dm__sql_accept_punct(p, DM__P_COMMA));
	}
	if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
		return false;
	o->tables = arr;
	o->ntables = n;
	o->value = "";
	return true;
}

/* One table option; false at a token that does not start one. */
static dm_sql_table_option *parse_table_option(dm__sql_parser *p)
{
	dm_sql_table_option *o = dm__sql_palloc(p, sizeof(*o));
	const dm__sql_token *t;
	bool lower = false, had_default;

	if (!o)
		return NULL;
	if (dm__sql_at_word2(p, "WITH", "SYSTEM")) {
		p->pos += 2;
		if (!dm__sql_expect_word(p, "VERSIONING"))
			return NULL;
		o->name = "WITH SYSTEM VERSIONING";
		o->value = "";
		return o;
	}
	had_default = dm__sql_accept_word(p, "DEFAULT");
	t = dm__sql_peek(p, 0);
	if (dm__sql_at_word2(p, "CHARACTER", "SET") || dm__sql_at_word2(p, "CHAR", "SET")) {
		p->pos += 2;
		o->name = "DEFAULT CHARSET";
		lower = true;
	} else if (dm__sql_accept_word(p, "CHARSET")) {
		o->name = "DEFAULT CHARSET";
		lower = true;
	} else if (dm__sql_accept_word(p, "COLLATE")) {
		o->name = "COLLATE";
		lower = true;
	} else if (had_default) {
		return dm__sql_fail(p, "expected CHARACTER SET or COLLATE"), NULL;
	} else if (dm__sql_at_word2(p, "DATA", "DIRECTORY") ||
		   dm__sql_at_word2(p, "INDEX", "DIRECTORY")) {
		o->name = dm__sql_at_word(p, "DATA") ? "DATA DIRECTORY" : "INDEX DIRECTORY";
		p->pos += 2;
	} else if (dm__sql_accept_word(p, "ENGINE") || dm__sql_accept_word(p, "TYPE")) {
		o->name = "ENGINE";
	} else if (dm__sql_accept_word(p, "TABLE_CHECKSUM")) {
		o->name = "CHECKSUM";
	} else if ((t->kind == DM__TOK_WORD && !dm__sql_word_is(t, "PARTITION")) ||
		   (t->kind == DM__TOK_QIDENT && t->len &&
		    !memchr(t->text, '\0', t->len))) {
		char *name = dm__sql_upper_dup(p, t->text, t->len);

		if (!name)
			return NULL;
		/* engine-defined names keep their spelling, as SHOW CREATE
		 * TABLE does */
		if (t->kind == DM__TOK_QIDENT || !known_option(name)) {
			name = dm__sql_pstrndup(p, t->text, t->len);
			if (!name)
				return NULL;
		}
		o->name = name;
		p->pos++;
	} else {
		return dm__sql_fail(p, "expected a table option"), NULL;
	}
	if (t->kind == DM__TOK_QIDENT || !known_option(o->name)) {
		/* engine-defined: name = value, '=' required */
		if (!dm__sql_expect_punct(p, DM__P_EQ, "expected '='"))
			return NULL;
	} else {
		dm__sql_accept_punct(p, DM__P_EQ);
	}
	if (!strcmp(o->name, "UNION"))
		return parse_union_tables(p, o) ? o : NULL;
	if (numeric_option(o->name) &&
	    dm__sql_peek(p, 0)->kind != DM__TOK_INT &&
	    !(numeric_option(o->name) == 2 && dm__sql_at_word(p, "DEFAULT")))
		return dm__sql_fail(p, "expected a number"), NULL;
	if (!set_option_value(p, o, lower))
		return NULL;
	return o;
}

static bool parse_table_options(dm__sql_parser *p, dm__sql_list *opts,
				bool in_alter)
{
	while (!p->rc && !at_table_option_stop(p)) {
		if (dm__sql_at_punct(p, DM__P_COMMA)) {
			if (in_alter)
				break;
			p->pos++;
			continue;
		}
		if (!push(p, opts, parse_table_option(p)))
			return false;
	}
	return !p->rc;
}

/* ---------------------------------------------------------- CREATE TABLE */

static bool at_select_start(const dm__sql_parser *p, size_t ahead)
{
	const dm__sql_token *t = dm__sql_peek(p, ahead);

	while (at_punct_tok(t, DM__P_LPAREN))
		t = dm__sql_peek(p, ++ahead);
	return dm__sql_word_is(t, "SELECT") || dm__sql_word_is(t, "WITH") ||
	       dm__sql_word_is(t, "VALUES") || dm__sql_word_is(t, "TABLE");
}

static bool parse_elements(dm__sql_parser *p, dm__sql_create_table *ct)
{
	dm__sql_list elems = LIST_INIT, cols = LIST_INIT, idxs = LIST_INIT;
	dm_sql_create_table *c = &ct->pub;

	if (!dm__sql_expect_punct(p, DM__P_LPAREN, "expected '('"))
		return false;
	do {
		dm_sql_table_element *el = dm__sql_palloc(p, sizeof(*el));

		if (!el)
			return false;
		if (at_index_start(p)) {
			dm__sql_index *ix = parse_index_def(p);

			if (!ix)
				return false;
			el->kind = DM_SQL_ELEMENT_INDEX;
			el->index = &ix->pub;
			if (!push(p, &idxs, el->index))
				return false;
		} else {
			dm__sql_column *col = parse_column_def(p, NULL);

			if (!col)
				return false;
			el->kind = DM_SQL_ELEMENT_COLUMN;
			el->column = &col->pub;
			if (!push(p, &cols, el->column))
				return false;
		}
		if (!push(p, &elems, el))
			return false;
	} while (dm__sql_accept_punct(p, DM__P_COMMA));
	if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ',' or ')'"))
		return false;
	c->elements = (const dm_sql_table_element *const *)elems.items;
	c->nelements = elems.n;
	c->columns = (const dm_sql_column *const *)cols.items;
	c->ncolumns = cols.n;
	c->indexes = (const dm_sql_index *const *)idxs.items;
	c->nindexes = idxs.n;
	return true;
}

/* PARTITION BY [LINEAR] {HASH (..) | KEY [ALGORITHM=n] (..) | RANGE (..) |
 * RANGE COLUMNS (..) | LIST ... | SYSTEM_TIME}: the part that must be
 * there; the rest is kept as written. */
static bool check_partition_by(dm__sql_parser *p)
{
	size_t save = p->pos;
	bool key, ok = true;

	if (!dm__sql_expect_word(p, "PARTITION") || !dm__sql_expect_word(p, "BY"))
		return false;
	if (dm__sql_accept_word(p, "SYSTEM_TIME")) {
		p->pos = save;
		return true;
	}
	dm__sql_accept_word(p, "LINEAR");
	key = dm__sql_at_word(p, "KEY");
	if (!dm__sql_accept_word(p, "HASH") && !dm__sql_accept_word(p, "KEY") &&
	    !dm__sql_accept_word(p, "RANGE") && !dm__sql_accept_word(p, "LIST"))
		return dm__sql_fail(p, "expected HASH, KEY, RANGE, LIST or SYSTEM_TIME");
	if (key && dm__sql_accept_word(p, "ALGORITHM")) {
		ok = dm__sql_expect_punct(p, DM__P_EQ, "expected '='");
		if (ok && dm__sql_peek(p, 0)->kind != DM__TOK_INT)
			ok = dm__sql_fail(p, "expected a number");
		p->pos++;
	}
	if (ok && !key)
		dm__sql_accept_word(p, "COLUMNS");
	if (ok && !dm__sql_at_punct(p, DM__P_LPAREN))
		ok = dm__sql_fail(p, "expected '('");
	p->pos = save;
	return ok;
}

/* PARTITION BY ... up to [IGNORE|REPLACE] [AS] SELECT or the end. */
static bool parse_partition_clause(dm__sql_parser *p, dm__sql_tokseq *seq)
{
	size_t from = p->pos;
	int depth = 0;

	if (!check_partition_by(p))
		return false;

	for (;;) {
		const dm__sql_token *t = dm__sql_peek(p, 0);

		if (t->kind == DM__TOK_EOF)
			break;
		if (depth == 0 &&
		    (dm__sql_word_is(t, "IGNORE") || dm__sql_word_is(t, "REPLACE") ||
		     dm__sql_word_is(t, "AS") || at_select_start(p, 0)))
			break;
		if (!no_semicolon(p))
			return false;
		if (at_punct_tok(t, DM__P_LPAREN))
			depth++;
		else if (at_punct_tok(t, DM__P_RPAREN) && --depth < 0)
			return dm__sql_fail(p, "unbalanced ')'");
		p->pos++;
	}
	if (depth)
		return dm__sql_fail(p, "expected ')'");
	return dm__sql_capture(p, from, p->pos, seq);
}

static bool parse_create_table(dm__sql_parser *p, bool or_replace,
			       bool temporary)
{
	dm__sql_create_table *ct = dm__sql_palloc(p, sizeof(*ct));
	dm__sql_list opts = LIST_INIT;
	dm_sql_create_table *c;

	if (!ct || !dm__sql_expect_word(p, "TABLE"))
		return false;
	c = &ct->pub;
	c->or_replace = or_replace;
	c->temporary = temporary;
	c->if_not_exists = accept_if_not_exists(p);
	if (!dm__sql_parse_table_name(p, &c->name))
		return false;
	p->stmt->create_table = ct;
	p->stmt->kind = DM_SQL_CREATE_TABLE;
	if (dm__sql_at_word(p, "LIKE") ||
	    (dm__sql_at_punct(p, DM__P_LPAREN) &&
	     dm__sql_word_is(dm__sql_peek(p, 1), "LIKE"))) {
		bool paren = dm__sql_accept_punct(p, DM__P_LPAREN);
		dm_sql_table_name *like = dm__sql_palloc(p, sizeof(*like));

		p->pos++;
		if (!like || !dm__sql_parse_table_name(p, like))
			return false;
		if (paren && !dm__sql_expect_punct(p, DM__P_RPAREN, "expected ')'"))
			return false;
		c->like = like;
		p->stmt->kind = DM_SQL_CREATE_TABLE_LIKE;
		return true;
	}
	if (dm__sql_at_punct(p, DM__P_LPAREN) && !at_select_start(p, 0) &&
	    !parse_elements(p, ct))
		return false;
	if (!parse_table_options(p, &opts, false))
		return false;
	c->options = (const dm_sql_table_option *const *)opts.items;
	c->noptions = opts.n;
	if (dm__sql_at_word(p, "PARTITION")) {
		if (!parse_partition_clause(p, &ct->partition))
			return false;
		c->partition = dm__sql_tokseq_text(p->arena, &ct->partition);
		if (!c->partition)
			return dm__sql_oom(p);
	}
	if (dm__sql_at_word(p, "IGNORE") || dm__sql_at_word(p, "REPLACE") ||
	    dm__sql_at_word(p, "AS") || at_select_start(p, 0)) {
		size_t from = p->pos;

		if (!dm__sql_accept_word(p, "IGNORE"))
			dm__sql_accept_word(p, "REPLACE");
		dm__sql_accept_word(p, "AS");
		if (!at_select_start(p, 0))
			return dm__sql_fail(p, "unexpected token");
		if (!capture_rest(p, from, &ct->select))
			return false;
		c->select = dm__sql_tokseq_text(p->arena, &ct->select);
		if (!c->select)
			return dm__sql_oom(p);
		p->stmt->unsupported = "CREATE TABLE ... SELECT is not supported";
	}
	if (!c->nelements && !c->select)
		return dm__sql_fail(p, "expected '('");
	return true;
}

/* ----------------------------------------------------------- ALTER TABLE */

static bool parse_position(dm__sql_parser *p, dm_sql_alter_spec *s)
{
	if (dm__sql_accept_word(p, "FIRST")) {
		s->position = DM_SQL_POSITION_FIRST;
	} else if (dm__sql_accept_word(p, "AFTER")) {
		s->position = DM_SQL_POSITION_AFTER;
		s->after = dm__sql_parse_ident(p, "expected a column name");
		return s->after != NULL;
	}
	return true;
}

static bool one_column(dm__sql_parser *p, dm_sql_alter_spec *s,
		       const char *name)
{
	dm__sql_column *col = parse_column_def(p, name);
	const dm_sql_column **arr;

	if (!col)
		return false;
	arr = dm__sql_palloc(p, sizeof(*arr));
	if (!arr)
		return false;
	arr[0] = &col->pub;
	s->columns = arr;
	s->ncolumns = 1;
	return parse_position(p, s);
}

static bool at_partition_op(const dm__sql_parser *p)
{
	static const char *const ops[] = {
		"ADD", "DROP", "DISCARD", "IMPORT", "ANALYZE", "CHECK",
		"OPTIMIZE", "REBUILD", "REPAIR", "TRUNCATE", "COALESCE",
		"REORGANIZE", "EXCHANGE", "CONVERT"
	};
	const dm__sql_token *n = dm__sql_peek(p, 1);
	size_t i;

	if (dm__sql_at_word(p, "PARTITION") || dm__sql_at_word(p, "PARTITIONS") ||
	    dm__sql_at_word2(p, "REMOVE", "PARTITIONING"))
		return true;
	if (dm__sql_at_word2(p, "CONVERT", "TABLE"))
		return true;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (dm__sql_at_word(p, ops[i]) && dm__sql_word_is(n, "PARTITION"))
			return true;
	return false;
}

static bool at_other_spec(const dm__sql_parser *p)
{
	return dm__sql_at_word2(p, "ADD", "SYSTEM") ||
	       dm__sql_at_word2(p, "DROP", "SYSTEM") ||
	       (dm__sql_at_word2(p, "ADD", "PERIOD") &&
		dm__sql_word_is(dm__sql_peek(p, 2), "IF")) ||
	       dm__sql_at_word2(p, "DROP", "PERIOD") ||
	       dm__sql_at_word2(p, "DISCARD", "TABLESPACE") ||
	       dm__sql_at_word2(p, "IMPORT", "TABLESPACE") ||
	       dm__sql_at_word2(p, "WITH", "VALIDATION") ||
	       dm__sql_at_word2(p, "WITHOUT", "VALIDATION") ||
	       dm__sql_at_word2(p, "ALTER", "CHECK") ||
	       dm__sql_at_word2(p, "ALTER", "CONSTRAINT");
}

static const char *upper_word(dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);

	if (t->kind != DM__TOK_WORD) {
		dm__sql_fail(p, "expected a keyword");
		return NULL;
	}
	p->pos++;
	return dm__sql_upper_dup(p, t->text, t->len);
}

static bool parse_alter_add(dm__sql_parser *p, dm_sql_alter_spec *s)
{
	if (at_index_start(p)) {
		dm__sql_index *ix = parse_index_def(p);

		s->kind = DM_SQL_ALTER_ADD_INDEX;
		if (!ix)
			return false;
		s->index = &ix->pub;
		return true;
	}
	s->kind = DM_SQL_ALTER_ADD_COLUMN;
	dm__sql_accept_word(p, "COLUMN");
	s->if_not_exists = accept_if_not_exists(p);
	if (dm__sql_accept_punct(p, DM__P_LPAREN)) {
		dm__sql_list cols = LIST_INIT;

		do {
			dm__sql_column *col = parse_column_def(p, NULL);

			if (!col || !push(p, &cols, &col->pub))
				return false;
		} while (dm__sql_accept_punct(p, DM__P_COMMA));
		if (!dm__sql_expect_punct(p, DM__P_RPAREN, "expected ',' or ')'"))
			return false;
		s->columns = (const dm_sql_column *const *)cols.items;
		s->ncolumns = cols.n;
		s->column_list = true;
		return true;
	}
	return one_column(p, s, NULL);
}

static bool parse_alter_drop(dm__sql_parser *p, dm_sql_alter_spec *s)
{
	if (dm__sql_accept_word(p, "INDEX") || dm__sql_accept_word(p, "KEY")) {
		s->kind = DM_SQL_ALTER_DROP_INDEX;
	} else if (dm__sql_at_word2(p, "PRIMARY", "KEY")) {
		p->pos += 2;
		s->kind = DM_SQL_ALTER_DROP_PRIMARY_KEY;
		return true;
	} else if (dm__sql_at_word2(p, "FOREIGN", "KEY")) {
		p->pos += 2;
		s->kind = DM_SQL_ALTER_DROP_FOREIGN_KEY;
	} else if (dm__sql_accept_word(p, "CONSTRAINT") ||
		   dm__sql_accept_word(p, "CHECK")) {
		s->kind = DM_SQL_ALTER_DROP_CONSTRAINT;
	} else {
		s->kind = DM_SQL_ALTER_DROP_COLUMN;
		dm__sql_accept_word(p, "COLUMN");
	}
	s->if_exists = accept_if_exists(p);
	s->name = dm__sql_parse_ident(p, s->kind == DM_SQL_ALTER_DROP_COLUMN
				      ? "expected a column name"
				      : "expected a name");
	if (!s->name)
		return false;
	if (s->kind == DM_SQL_ALTER_DROP_COLUMN &&
	    !dm__sql_accept_word(p, "RESTRICT"))
		dm__sql_accept_word(p, "CASCADE");
	return true;
}

static bool parse_visibility(dm__sql_parser *p, dm_sql_visibility *v)
{
	if (dm__sql_accept_word(p, "VISIBLE")) {
		*v = DM_SQL_VISIBILITY_VISIBLE;
	} else if (dm__sql_accept_word(p, "INVISIBLE") ||
		   dm__sql_accept_word(p, "IGNORED")) {
		*v = DM_SQL_VISIBILITY_INVISIBLE;
	} else if (dm__sql_at_word2(p, "NOT", "IGNORED")) {
		p->pos += 2;
		*v = DM_SQL_VISIBILITY_VISIBLE;
	} else {
		return dm__sql_fail(p, "expected VISIBLE, INVISIBLE, IGNORED or NOT IGNORED");
	}
	return true;
}

static bool parse_alter_alter(dm__sql_parser *p, dm_sql_alter_spec *s)
{
	if (dm__sql_accept_word(p, "INDEX") || dm__sql_accept_word(p, "KEY")) {
		s->kind = DM_SQL_ALTER_INDEX_VISIBILITY;
		s->name = dm__sql_parse_ident(p, "expected an index name");
		return s->name && parse_visibility(p, &s->visibility);
	}
	dm__sql_accept_word(p, "COLUMN");
	s->if_exists = accept_if_exists(p);
	s->name = dm__sql_parse_ident(p, "expected a column name");
	if (!s->name)
		return false;
	if (dm__sql_at_word2(p, "SET", "DEFAULT")) {
		int fsp;

		p->pos += 2;
		s->kind = DM_SQL_ALTER_SET_DEFAULT;
		return parse_default_value(p, &s->default_kind, &s->default_expr,
					   &s->default_text, &fsp);
	}
	if (dm__sql_at_word2(p, "DROP", "DEFAULT")) {
		p->pos += 2;
		s->kind = DM_SQL_ALTER_DROP_DEFAULT;
		return true;
	}
	if (dm__sql_accept_word(p, "SET")) {
		s->kind = DM_SQL_ALTER_COLUMN_VISIBILITY;
		if (dm__sql_accept_word(p, "VISIBLE"))
			s->visibility = DM_SQL_VISIBILITY_VISIBLE;
		else if (dm__sql_accept_word(p, "INVISIBLE"))
			s->visibility = DM_SQL_VISIBILITY_INVISIBLE;
		else
			return dm__sql_fail(p, "expected DEFAULT, VISIBLE or INVISIBLE");
		return true;
	}
	return dm__sql_fail(p, "expected SET or DROP");
}

static bool parse_alter_rename(dm__sql_parser *p, dm_sql_alter_spec *s)
{
	if (dm__sql_accept_word(p, "COLUMN")) {
		s->kind = DM_SQL_ALTER_RENAME_COLUMN;
		s->if_exists = accept_if_exists(p);
		s->name = dm__sql_parse_ident(p, "expected a column name");
		if (!s->name || !dm__sql_expect_word(p, "TO"))
			return false;
		s->new_name = dm__sql_parse_ident(p, "expected a column name");
		return s->new_name != NULL;
	}
	if (dm__sql_accept_word(p, "INDEX") || dm__sql_accept_word(p, "KEY")) {
		s->kind = DM_SQL_ALTER_RENAME_INDEX;
		s->if_exists = accept_if_exists(p);
		s->name = dm__sql_parse_ident(p, "expected an index name");
		if (!s->name || !dm__sql_expect_word(p, "TO"))
			return false;
		s->new_name = dm__sql_parse_ident(p, "expected an index name");
		return s->new_name != NULL;
	}
	s->kind = DM_SQL_ALTER_RENAME_TABLE;
	if (!dm__sql_accept_word(p, "TO") && !dm__sql_accept_word(p, "AS"))
		dm__sql_accept_punct(p, DM__P_EQ);
	return dm__sql_parse_table_name(p, &s->new_table);
}

static dm__sql_alter_spec *parse_alter_spec(dm__sql_parser *p)
{
	dm__sql_alter_spec *spec = dm__sql_palloc(p, sizeof(*spec));
	size_t start = p->pos;
	dm_sql_alter_spec *s;
	bool ok;

	if (!spec)
		return NULL;
	s = &spec->pub;
	if (at_partition_op(p)) {
		s->kind = DM_SQL_ALTER_PARTITION;
		ok = (!dm__sql_at_word2(p, "PARTITION", "BY") || check_partition_by(p)) &&
		     capture_rest(p, start, &spec->seq);
	} else if (at_other_spec(p)) {
		s->kind = DM_SQL_ALTER_OTHER;
		ok = capture_spec(p, start, &spec->seq);
	} else if (dm__sql_accept_word(p, "ADD")) {
		ok = parse_alter_add(p, s);
	} else if (dm__sql_accept_word(p, "DROP")) {
		ok = parse_alter_drop(p, s);
	} else if (dm__sql_accept_word(p, "MODIFY")) {
		s->kind = DM_SQL_ALTER_MODIFY_COLUMN;
		dm__sql_accept_word(p, "COLUMN");
		s->if_exists = accept_if_exists(p);
		ok = one_column(p, s, NULL);
	} else if (dm__sql_accept_word(p, "CHANGE")) {
		s->kind = DM_SQL_ALTER_CHANGE_COLUMN;
		dm__sql_accept_word(p, "COLUMN");
		s->if_exists = accept_if_exists(p);
		s->name = dm__sql_parse_ident(p, "expected a column name");
		ok = s->name && one_column(p, s, NULL);
	} else if (dm__sql_accept_word(p, "ALTER")) {
		ok = parse_alter_alter(p, s);
	} else if (dm__sql_accept_word(p, "RENAME")) {
		ok = parse_alter_rename(p, s);
	} else if (dm__sql_at_word2(p, "CONVERT", "TO")) {
		p->pos += 2;
		s->kind = DM_SQL_ALTER_CONVERT_CHARSET;
		if (!dm__sql_at_word2(p, "CHARACTER", "SET") &&
		    !dm__sql_at_word(p, "CHARSET") && !dm__sql_at_word2(p, "CHAR", "SET"))
			return dm__sql_fail(p, "expected CHARACTER SET"), NULL;
		ok = dm__sql_parse_charset_clause(p, &s->charset);
		if (ok && dm__sql_accept_word(p, "COLLATE")) {
			dm__sql_accept_punct(p, DM__P_EQ);
			ok = dm__sql_parse_collate_name(p, &s->collation);
		}
	} else if (dm__sql_at_word(p, "ALGORITHM") || dm__sql_at_word(p, "LOCK")) {
		s->kind = dm__sql_at_word(p, "ALGORITHM") ? DM_SQL_ALTER_ALGORITHM
							 : DM_SQL_ALTER_LOCK;
		p->pos++;
		dm__sql_accept_punct(p, DM__P_EQ);
		s->text = upper_word(p);
		ok = s->text != NULL;
	} else if (dm__sql_at_word2(p, "ENABLE", "KEYS") ||
		   dm__sql_at_word2(p, "DISABLE", "KEYS")) {
		s->kind = dm__sql_at_word(p, "ENABLE") ? DM_SQL_ALTER_ENABLE_KEYS
						      : DM_SQL_ALTER_DISABLE_KEYS;
		p->pos += 2;
		ok = true;
	} else if (dm__sql_accept_word(p, "FORCE")) {
		s->kind = DM_SQL_ALTER_FORCE;
		ok = true;
	} else if (dm__sql_at_word2(p, "ORDER", "BY")) {
		s->kind = DM_SQL_ALTER_ORDER_BY;
		ok = capture_spec(p, start, &spec->seq);
	} else {
		dm__sql_list opts = LIST_INIT;

		s->kind = DM_SQL_ALTER_OPTIONS;
		ok = parse_table_options(p, &opts, true);
		if (ok && !opts.n)
			ok = dm__sql_fail(p, "unexpected token");
		s->options = (const dm_sql_table_option *const *)opts.items;
		s->noptions = opts.n;
	}
	if (!ok || p->rc)
		return NULL;
	if (spec->seq.n) {
		s->text = dm__sql_tokseq_text(p->arena, &spec->seq);
		if (!s->text)
			return dm__sql_oom(p), NULL;
	}
	return spec;
}

static bool parse_alter_table(dm__sql_parser *p)
{
	dm_sql_alter_table *a = dm__sql_palloc(p, sizeof(*a));
	dm__sql_list specs = LIST_INIT;

	if (!a)
		return false;
	p->pos++; /* ALTER */
	if (dm__sql_accept_word(p, "ONLINE"))
		a->online = true;
	else
		dm__sql_accept_word(p, "OFFLINE");
	a->ignore = dm__sql_accept_word(p, "IGNORE");
	if (!dm__sql_expect_word(p, "TABLE"))
		return false;
	a->if_exists = accept_if_exists(p);
	if (!dm__sql_parse_table_name(p, &a->name) || !parse_wait(p, &a->wait))
		return false;
	p->stmt->alter_table = a;
	p->stmt->kind = DM_SQL_ALTER_TABLE;
	while (!at_end(p)) {
		bool comma = specs.n && p->toks[p->pos - 1].kind == DM__TOK_PUNCT &&
			     p->toks[p->pos - 1].punct == DM__P_COMMA;
		dm__sql_alter_spec *s = parse_alter_spec(p);

		if (!s || !push(p, &specs, &s->pub))
			return false;
		s->after_comma = comma;
		if (dm__sql_accept_punct(p, DM__P_COMMA)) {
			if (at_end(p))
				return dm__sql_fail(p, "expected an alter specification");
			continue;
		}
		if (!at_partition_op(p))
			break;
	}
	a->specs = (const dm_sql_alter_spec *const *)specs.items;
	a->nspecs = specs.n;
	return true;
}

/* ------------------------------------------- RENAME, DROP, TRUNCATE */

static bool parse_rename_table(dm__sql_parser *p)
{
	dm_sql_rename_table *r = dm__sql_palloc(p, sizeof(*r));
	dm_sql_rename_pair *arr = NULL;
	size_t n = 0, cap = 0;

	if (!r)
		return false;
	p->pos += 2; /* RENAME TABLE[S] */
	r->if_exists = accept_if_exists(p);
	do {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			dm_sql_rename_pair *na = dm__sql_palloc(p, ncap * sizeof(*na));

			if (!na)
				return false;
			if (n)
				memcpy(na, arr, n * sizeof(*na));
			arr = na;
			cap = ncap;
		}
		if (!dm__sql_parse_table_name(p, &arr[n].from))
			return false;
		if (n == 0 && !parse_wait(p, &r->wait))
			return false;
		if (!dm__sql_expect_word(p, "TO") ||
		    !dm__sql_parse_table_name(p, &arr[n].to))
			return false;
		n++;
	} while (dm__sql_accept_punct(p, DM__P_COMMA));
	r->pairs = arr;
	r->npairs = n;
	p->stmt->rename_table = r;
	p->stmt->kind = DM_SQL_RENAME_TABLE;
	return true;
}

static bool parse_table_list(dm__sql_parser *p, dm_sql_drop_table *d)
{
	dm_sql_table_name *arr = NULL;
	size_t n = 0, cap = 0;

	do {
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 4;
			dm_sql_table_name *na = dm__sql_palloc(p, ncap * sizeof(*na));

			if (!na)
				return false;
			if (n)
				memcpy(na, arr, n * sizeof(*na));
			arr = na;
			cap = ncap;
		}
		if (!dm__sql_parse_table_name(p, &arr[n++]))
			return false;
	} while (dm__sql_accept_punct(p, DM__P_COMMA));
	d->tables = arr;
	d->ntables = n;
	return true;
}

static bool parse_drop_table(dm__sql_parser *p, bool temporary)
{
	dm_sql_drop_table *d = dm__sql_palloc(p, sizeof(*d));

	if (!d)
		return false;
	p->pos++; /* TABLE[S] */
	d->temporary = temporary;
	d->if_exists = accept_if_exists(p);
	if (!parse_table_list(p, d) || !parse_wait(p, &d->wait))
		return false;
	if (dm__sql_accept_word(p, "RESTRICT"))
		d->behavior = "RESTRICT";
	else if (dm__sql_accept_word(p, "CASCADE"))
		d->behavior = "CASCADE";
	p->stmt->drop_table = d;
	p->stmt->kind = DM_SQL_DROP_TABLE;
	return true;
}

static bool parse_truncate(dm__sql_parser *p)
{
	dm_sql_drop_table *d = dm__sql_palloc(p, sizeof(*d));
	dm_sql_table_name *t = dm__sql_palloc(p, sizeof(*t));

	if (!d || !t)
		return false;
	p->pos++; /* TRUNCATE */
	dm__sql_accept_word(p, "TABLE");
	if (!dm__sql_parse_table_name(p, t) || !parse_wait(p, &d->wait))
		return false;
	d->tables = t;
	d->ntables = 1;
	p->stmt->drop_table = d;
	p->stmt->kind = DM_SQL_TRUNCATE_TABLE;
	return true;
}

/* ------------------------------------------------------- INDEX statements */

static bool parse_algorithm_lock(dm__sql_parser *p, const char **alg,
				 const char **lock)
{
	for (;;) {
		const char **dst;

		if (dm__sql_at_word(p, "ALGORITHM"))
			dst = alg;
		else if (dm__sql_at_word(p, "LOCK"))
			dst = lock;
		else
			return true;
		p->pos++;
		dm__sql_accept_punct(p, DM__P_EQ);
		*dst = upper_word(p);
		if (!*dst)
			return false;
	}
}

static bool parse_create_index(dm__sql_parser *p, bool or_replace)
{
	dm_sql_create_index *ci = dm__sql_palloc(p, sizeof(*ci));
	dm__sql_index *dix = dm__sql_palloc(p, sizeof(*dix));
	dm__sql_list extras = LIST_INIT;
	dm_sql_index *ix;

	if (!ci || !dix)
		return false;
	ix = &dix->pub;
	ix->key_block_size = -1;
	ix->kind = DM_SQL_INDEX_PLAIN;
	ci->or_replace = or_replace;
	if (dm__sql_accept_word(p, "UNIQUE"))
		ix->kind = DM_SQL_INDEX_UNIQUE;
	else if (dm__sql_accept_word(p, "FULLTEXT"))
		ix->kind = DM_SQL_INDEX_FULLTEXT;
	else if (dm__sql_accept_word(p, "SPATIAL"))
		ix->kind = DM_SQL_INDEX_SPATIAL;
	if (!dm__sql_expect_word(p, "INDEX"))
		return false;
	ix->if_not_exists = accept_if_not_exists(p);
	ix->name = dm__sql_parse_ident(p, "expected an index name");
	if (!ix->name)
		return false;
	if (at_index_type(p))
		parse_index_type(p, ix);
	if (!dm__sql_expect_word(p, "ON") ||
	    !dm__sql_parse_table_name(p, &ci->table) ||
	    !parse_wait(p, &ci->wait) ||
	    !parse_index_parts(p, ix, &ix->parts, &ix->nparts) ||
	    (!ci->wait && !parse_wait(p, &ci->wait)) ||
	    !parse_index_options(p, dix, &extras) ||
	    !parse_algorithm_lock(p, &ci->algorithm, &ci->lock) ||
	    !finish_extras(p, &extras, &dix->extra_seqs, &ix->extra, &ix->nextra))
		return false;
	ci->index = ix;
	p->stmt->create_index = ci;
	p->stmt->kind = DM_SQL_CREATE_INDEX;
	return true;
}

static bool parse_drop_index(dm__sql_parser *p)
{
	dm_sql_drop_index *di = dm__sql_palloc(p, sizeof(*di));

	if (!di)
		return false;
	p->pos++; /* INDEX */
	di->if_exists = accept_if_exists(p);
	di->name = dm__sql_parse_ident(p, "expected an index name");
	if (!di->name || !dm__sql_expect_word(p, "ON") ||
	    !dm__sql_parse_table_name(p, &di->table) ||
	    !parse_wait(p, &di->wait) ||
	    !parse_algorithm_lock(p, &di->algorithm, &di->lock))
		return false;
	p->stmt->drop_index = di;
	p->stmt->kind = DM_SQL_DROP_INDEX;
	return true;
}

/* ------------------------------------------------------------ databases */

static bool at_db_option(const dm__sql_parser *p)
{
	return dm__sql_at_word(p, "DEFAULT") || dm__sql_at_word(p, "CHARACTER") ||
	       dm__sql_at_word(p, "CHARSET") || dm__sql_at_word(p, "COLLATE") ||
	       dm__sql_at_word(p, "COMMENT") || dm__sql_at_word2(p, "CHAR", "SET") ||
	       dm__sql_at_word(p, "ENCRYPTION") || dm__sql_at_word(p, "READ");
}

static bool parse_db_options(dm__sql_parser *p, dm_sql_database *db)
{
	dm__sql_list opts = LIST_INIT;

	while (!p->rc && !at_end(p)) {
		dm_sql_table_option *o = dm__sql_palloc(p, sizeof(*o));
		bool lower = true;

		if (!o)
			return false;
		dm__sql_accept_word(p, "DEFAULT");
		if (dm__sql_at_word2(p, "CHARACTER", "SET") ||
		    dm__sql_at_word2(p, "CHAR", "SET")) {
			p->pos += 2;
			o->name = "CHARACTER SET";
		} else if (dm__sql_accept_word(p, "CHARSET")) {
			o->name = "CHARACTER SET";
		} else if (dm__sql_accept_word(p, "COLLATE")) {
			o->name = "COLLATE";
		} else if (dm__sql_accept_word(p, "COMMENT")) {
			o->name = "COMMENT";
			lower = false;
		} else if (dm__sql_accept_word(p, "ENCRYPTION")) {
			o->name = "ENCRYPTION";
			lower = false;
		} else if (dm__sql_at_word2(p, "READ", "ONLY")) {
			p->pos += 2;
			o->name = "READ ONLY";
			lower = false;
		} else {
			return dm__sql_fail(p, "expected a database option");
		}
		dm__sql_accept_punct(p, DM__P_EQ);
		if (!set_option_value(p, o, lower) || !push(p, &opts, o))
			return false;
	}
	db->options = (const dm_sql_table_option *const *)opts.items;
	db->noptions = opts.n;
	return !p->rc;
}

static bool parse_database(dm__sql_parser *p, dm_sql_kind kind,
			   bool or_replace)
{
	dm_sql_database *db = dm__sql_palloc(p, sizeof(*db));

	if (!db)
		return false;
	p->pos++; /* DATABASE | SCHEMA */
	db->or_replace = or_replace;
	if (kind == DM_SQL_CREATE_DATABASE)
		db->if_not_exists = accept_if_not_exists(p);
	else if (kind == DM_SQL_DROP_DATABASE)
		db->if_exists = accept_if_exists(p);
	if (kind != DM_SQL_ALTER_DATABASE || !at_db_option(p)) {
		db->name = dm__sql_parse_ident(p, "expected a database name");
		if (!db->name)
			return false;
	}
	if (kind == DM_SQL_ALTER_DATABASE && dm__sql_at_word(p, "UPGRADE"))
		return dm__sql_fail(p, "UPGRADE DATA DIRECTORY NAME is not supported");
	if (kind != DM_SQL_DROP_DATABASE && !parse_db_options(p, db))
		return false;
	if (kind == DM_SQL_ALTER_DATABASE && !db->noptions)
		return dm__sql_fail(p, "expected a database option");
	p->stmt->database = db;
	p->stmt->kind = kind;
	return true;
}

/* ------------------------------------------------------------- dispatch */

bool dm__sql_parse_statement(dm__sql_parser *p)
{
	const dm__sql_token *t = dm__sql_peek(p, 0);
	bool ok;

	if (dm__sql_word_is(t, "CREATE")) {
		size_t save = p->pos;
		bool or_replace = false;

		p->pos++;
		if (dm__sql_at_word2(p, "OR", "REPLACE")) {
			p->pos += 2;
			or_replace = true;
		}
		if (dm__sql_at_word(p, "TABLE")) {
			ok = parse_create_table(p, or_replace, false);
		} else if (dm__sql_at_word2(p, "TEMPORARY", "TABLE")) {
			p->pos++;
			ok = parse_create_table(p, or_replace, true);
		} else if (dm__sql_at_word(p, "DATABASE") || dm__sql_at_word(p, "SCHEMA")) {
			ok = parse_database(p, DM_SQL_CREATE_DATABASE, or_replace);
		} else if (dm__sql_at_word(p, "INDEX") ||
			   ((dm__sql_at_word(p, "UNIQUE") || dm__sql_at_word(p, "FULLTEXT") ||
			     dm__sql_at_word(p, "SPATIAL")) &&
			    dm__sql_word_is(dm__sql_peek(p, 1), "INDEX"))) {
			ok = parse_create_index(p, or_replace);
		} else {
			p->pos = save;
			return dm__sql_skim_statement(p);
		}
	} else if (dm__sql_word_is(t, "ALTER")) {
		size_t i = 1;

		if (dm__sql_word_is(dm__sql_peek(p, i), "ONLINE") ||
		    dm__sql_word_is(dm__sql_peek(p, i), "OFFLINE"))
			i++;
		if (dm__sql_word_is(dm__sql_peek(p, i), "IGNORE"))
			i++;
		if (dm__sql_word_is(dm__sql_peek(p, i), "TABLE")) {
			ok = parse_alter_table(p);
		} else if (dm__sql_word_is(dm__sql_peek(p, 1), "DATABASE") ||
			   dm__sql_word_is(dm__sql_peek(p, 1), "SCHEMA")) {
			p->pos++;
			ok = parse_database(p, DM_SQL_ALTER_DATABASE, false);
		} else {
			return dm__sql_skim_statement(p);
		}
	} else if (dm__sql_word_is(t, "DROP")) {
		const dm__sql_token *n = dm__sql_peek(p, 1);

		if (dm__sql_word_is(n, "TABLE") || dm__sql_word_is(n, "TABLES")) {
			p->pos++;
			ok = parse_drop_table(p, false);
		} else if (dm__sql_word_is(n, "TEMPORARY") &&
			   (dm__sql_word_is(dm__sql_peek(p, 2), "TABLE") ||
			    dm__sql_word_is(dm__sql_peek(p, 2), "TABLES"))) {
			p->pos += 2;
			ok = parse_drop_table(p, true);
		} else if (dm__sql_word_is(n, "DATABASE") || dm__sql_word_is(n, "SCHEMA")) {
			p->pos++;
			ok = parse_database(p, DM_SQL_DROP_DATABASE, false);
		} else if (dm__sql_word_is(n, "INDEX")) {
			p->pos++;
			ok = parse_drop_index(p);
		} else {
			return dm__sql_skim_statement(p);
		}
	} else if (dm__sql_word_is(t, "RENAME") &&
		   (dm__sql_word_is(dm__sql_peek(p, 1), "TABLE") ||
		    dm__sql_word_is(dm__sql_peek(p, 1), "TABLES"))) {
		ok = parse_rename_table(p);
	} else if (dm__sql_word_is(t, "TRUNCATE")) {
		ok = parse_truncate(p);
	} else {
		return dm__sql_skim_statement(p);
	}
	if (!ok || p->rc)
		return false;
	if (!at_end(p))
		return dm__sql_fail(p, "unexpected text after the statement");
	return true;
}
