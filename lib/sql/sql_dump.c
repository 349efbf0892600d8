/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A stable text form of a tree, one line per statement part, expressions
 * as S-expressions. With `fold`, names MySQL compares without regard to
 * case (columns, indexes, functions, keywords) are lower-cased: two trees
 * are equal when their folded dumps are.
 */
#include <stdio.h>
#include <string.h>

#include "sql/sql_private.h"

typedef struct writer {
	dm_buf *b;
	bool fold;
	int rc;
} writer;

static void w_putn(writer *w, const char *s, size_t n)
{
	if (!w->rc && dm_buf_append(w->b, s, n))
		w->rc = DM_E_NO_MEMORY;
}

static void w_put(writer *w, const char *s)
{
	w_putn(w, s, strlen(s));
}

/* prefix, number, suffix */
static void w_num(writer *w, const char *pre, long long v, const char *post)
{
	char num[32];

	snprintf(num, sizeof(num), "%lld", v);
	w_put(w, pre);
	w_put(w, num);
	w_put(w, post);
}

static void w_str(writer *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	w_put(w, "'");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[4];

		if (c == '\'' || c == '\\') {
			e[0] = '\\';
			e[1] = (char)c;
			w_putn(w, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			w_putn(w, e, 4);
		} else {
			w_putn(w, s + i, 1);
		}
	}
	w_put(w, "'");
}

/* A name in backticks; `ci`: MySQL ignores its case. */
static void w_name(writer *w, const char *s, bool ci)
{
	size_t i, n = strlen(s);

	w_put(w, "`");
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (ci && w->fold && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		if (c == '`')
			w_put(w, "`");
		w_putn(w, &c, 1);
	}
	w_put(w, "`");
}

/* A keyword-like word, lower-cased when folding. */
static void w_word(writer *w, const char *s)
{
	size_t i, n = strlen(s);

	for (i = 0; i < n; i++) {
		char c = s[i];

		if (w->fold && c >= 'A' && c <= 'Z')
			c = (char)(c + 32);
		w_putn(w, &c, 1);
	}
}

static void w_table(writer *w, const dm_sql_table_name *t)
{
	if (t->schema && t->schema[0]) {
		w_name(w, t->schema, false);
		w_put(w, ".");
	}
	w_name(w, t->table, false);
}

static void w_tokens(writer *w, const dm__sql_token *toks, size_t n,
		     const dm__sql_tref *refs, size_t nrefs)
{
	dm_buf b = DM_BUF_INIT;
	dm__sql_out o;
	size_t i, r = 0;

	/* Canonical token text; words folded token by token. */
	for (i = 0; i < n && !w->rc; i++) {
		const dm__sql_token *t = &toks[i];

		if (i)
			w_put(w, " ");
		if (r < nrefs && refs[r].first == i) {
			w_table(w, &refs[r].name);
			i = refs[r].last;
			r++;
			continue;
		}
		if (t->kind == DM__TOK_WORD) {
			char *s = dm_buf_append(&b, t->text, t->len) ? NULL : b.data;

			if (!s)
				w->rc = DM_E_NO_MEMORY;
			else
				w_word(w, s);
			dm_buf_clear(&b);
			continue;
		}
		dm__sql_out_init(&o, &b, NULL, NULL, NULL);
		{
			dm__sql_tokseq one = { t, 1 };

			dm__sql_put_tokseq(&o, &one);
		}
		if (o.rc)
			w->rc = o.rc;
		else
			w_putn(w, b.data ? b.data : "", b.len);
		dm_buf_clear(&b);
	}
	dm_buf_free(&b);
}

static void w_tokseq(writer *w, const dm__sql_tokseq *seq)
{
	w_tokens(w, seq->toks, seq->n, NULL, 0);
}

/* ----------------------------------------------------------- expressions */

static const char *op_name(dm_sql_op op)
{
	switch (op) {
	case DM_SQL_OP_OR: return "or";
	case DM_SQL_OP_XOR: return "xor";
	case DM_SQL_OP_AND: return "and";
	case DM_SQL_OP_NOT: return "not";
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
	case DM_SQL_OP_INT_DIV: return "div";
	case DM_SQL_OP_MOD: return "%";
	case DM_SQL_OP_BIT_XOR: return "^";
	case DM_SQL_OP_NEG: return "neg";
	case DM_SQL_OP_PLUS: return "plus";
	case DM_SQL_OP_BIT_NOT: return "~";
	case DM_SQL_OP_BINARY: return "binary";
	case DM_SQL_OP_REGEXP: return "regexp";
	case DM_SQL_OP_SOUNDS_LIKE: return "sounds-like";
	default: return "?";
	}
}

static void w_type(writer *w, const dm_sql_data_type *t);

static void w_expr(writer *w, const dm_sql_expr *e)
{
	size_t i;

	switch (e->kind) {
	case DM_SQL_EXPR_NULL:
		w_put(w, "null");
		return;
	case DM_SQL_EXPR_BOOL:
		w_put(w, e->value.ptr[0] == 'T' ? "true" : "false");
		return;
	case DM_SQL_EXPR_INT:
	case DM_SQL_EXPR_DECIMAL:
	case DM_SQL_EXPR_FLOAT:
		w_put(w, e->kind == DM_SQL_EXPR_INT ? "(int " :
			 e->kind == DM_SQL_EXPR_DECIMAL ? "(dec " : "(float ");
		w_putn(w, e->value.ptr, e->value.len);
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_STRING:
	case DM_SQL_EXPR_HEX:
	case DM_SQL_EXPR_BIT:
		w_put(w, e->kind == DM_SQL_EXPR_STRING ? "(str " :
			 e->kind == DM_SQL_EXPR_HEX ? "(hex " : "(bit ");
		w_str(w, e->value.ptr, e->value.len);
		if (e->charset) {
			w_put(w, " _");
			w_put(w, e->charset);
		}
		if (e->national)
			w_put(w, " national");
		if (e->prefixed)
			w_put(w, " prefixed");
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_TEMPORAL:
		w_put(w, "(");
		w_word(w, e->keyword);
		w_put(w, " ");
		w_str(w, e->value.ptr, e->value.len);
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_COLUMN:
		w_put(w, "(col ");
		if (e->schema) {
			w_name(w, e->schema, false);
			w_put(w, ".");
		}
		if (e->table) {
			w_name(w, e->table, false);
			w_put(w, ".");
		}
		w_name(w, e->value.ptr, true);
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_USER_VAR:
	case DM_SQL_EXPR_SYSTEM_VAR:
		w_put(w, e->kind == DM_SQL_EXPR_USER_VAR ? "(@ " : "(@@ ");
		if (e->keyword) {
			w_word(w, e->keyword);
			w_put(w, " ");
		}
		w_name(w, e->value.ptr, true);
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_UNARY:
	case DM_SQL_EXPR_BINARY:
		w_put(w, "(");
		if (e->negated)
			w_put(w, "not-");
		w_put(w, op_name(e->op));
		break;
	case DM_SQL_EXPR_IS:
		w_put(w, e->negated ? "(is-not " : "(is ");
		w_word(w, e->keyword);
		break;
	case DM_SQL_EXPR_IN:
		w_put(w, e->negated ? "(not-in" : "(in");
		break;
	case DM_SQL_EXPR_BETWEEN:
		w_put(w, e->negated ? "(not-between" : "(between");
		break;
	case DM_SQL_EXPR_LIKE:
		w_put(w, e->negated ? "(not-like" : "(like");
		break;
	case DM_SQL_EXPR_FUNC:
		w_put(w, "(call ");
		if (e->schema) {
			w_name(w, e->schema, false);
			w_put(w, ".");
		}
		if (e->quoted || e->schema)
			w_name(w, e->value.ptr, true);
		else
			w_word(w, e->value.ptr);
		if (e->keyword) {
			w_put(w, " :");
			w_word(w, e->keyword);
		}
		if (e->charset) {
			w_put(w, " :using ");
			w_put(w, e->charset);
		}
		break;
	case DM_SQL_EXPR_CASE:
		w_put(w, "(case");
		if (e->operand) {
			w_put(w, " ");
			w_expr(w, e->operand);
		}
		for (i = 0; i + 1 < e->nargs; i += 2) {
			w_put(w, " (when ");
			w_expr(w, e->args[i]);
			w_put(w, " ");
			w_expr(w, e->args[i + 1]);
			w_put(w, ")");
		}
		if (e->else_expr) {
			w_put(w, " (else ");
			w_expr(w, e->else_expr);
			w_put(w, ")");
		}
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_CAST:
		w_put(w, "(cast ");
		w_expr(w, e->args[0]);
		w_put(w, " ");
		w_type(w, e->type);
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_CONVERT_USING:
		w_put(w, "(convert ");
		w_expr(w, e->args[0]);
		w_put(w, " ");
		w_put(w, e->charset);
		w_put(w, ")");
		return;
	case DM_SQL_EXPR_INTERVAL:
		w_put(w, "(interval ");
		w_word(w, e->keyword);
		break;
	case DM_SQL_EXPR_COLLATE:
		w_put(w, "(collate ");
		w_put(w, e->keyword);
		break;
	case DM_SQL_EXPR_ROW:
		w_put(w, "(row");
		break;
	}
	for (i = 0; i < e->nargs; i++) {
		w_put(w, " ");
		w_expr(w, e->args[i]);
	}
	w_put(w, ")");
}

/* ------------------------------------------------------------ table parts */

static void w_type(writer *w, const dm_sql_data_type *t)
{
	size_t i;

	w_put(w, t->name);
	if (t->length >= 0) {
		w_num(w, "(", t->length, "");
		if (t->scale >= 0)
			w_num(w, ",", t->scale, "");
		w_put(w, ")");
	}
	if (t->nvalues) {
		w_put(w, "(");
		for (i = 0; i < t->nvalues; i++) {
			if (i)
				w_put(w, ",");
			w_str(w, t->values[i].ptr, t->values[i].len);
		}
		w_put(w, ")");
	}
	if (t->is_unsigned)
		w_put(w, " unsigned");
	if (t->zerofill)
		w_put(w, " zerofill");
	if (t->binary)
		w_put(w, " binary");
	if (t->charset) {
		w_put(w, " charset=");
		w_put(w, t->charset);
	}
	if (t->collation) {
		w_put(w, " collate=");
		w_put(w, t->collation);
	}
}

static const char *default_kind_name(dm_sql_default_kind k)
{
	switch (k) {
	case DM_SQL_DEFAULT_NULL: return "null";
	case DM_SQL_DEFAULT_LITERAL: return "literal";
	case DM_SQL_DEFAULT_EXPR: return "expr";
	case DM_SQL_DEFAULT_CURRENT_TIMESTAMP: return "current-timestamp";
	default: return "none";
	}
}

static void w_parts(writer *w, const dm_sql_index_part *const *parts, size_t n)
{
	size_t i;

	w_put(w, "(");
	for (i = 0; i < n; i++) {
		const dm_sql_index_part *p = parts[i];

		if (i)
			w_put(w, ", ");
		if (p->expr)
			w_expr(w, p->expr);
		else
			w_name(w, p->column, true);
		if (p->length >= 0)
			w_num(w, "(", p->length, ")");
		if (p->order == DM_SQL_ORDER_ASC)
			w_put(w, " asc");
		else if (p->order == DM_SQL_ORDER_DESC)
			w_put(w, " desc");
	}
	w_put(w, ")");
}

static const char *fk_action_name(dm_sql_fk_action a)
{
	static const char *const names[] = { "none", "restrict", "cascade",
					     "set-null", "no-action",
					     "set-default" };

	return (unsigned)a < 6 ? names[a] : "?";
}

static void w_reference(writer *w, const dm_sql_reference *r)
{
	static const char *const match[] = { "", " match-full",
					     " match-partial", " match-simple" };

	w_put(w, " references=");
	w_table(w, &r->table);
	if (r->ncolumns)
		w_parts(w, r->columns, r->ncolumns);
	if ((unsigned)r->match < 4)
		w_put(w, match[r->match]);
	if (r->on_delete) {
		w_put(w, " on-delete=");
		w_put(w, fk_action_name(r->on_delete));
	}
	if (r->on_update) {
		w_put(w, " on-update=");
		w_put(w, fk_action_name(r->on_update));
	}
}

static void w_extras(writer *w, const dm__sql_tokseq *seqs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		w_put(w, " extra=[");
		w_tokseq(w, &seqs[i]);
		w_put(w, "]");
	}
}

static void w_column(writer *w, const dm_sql_column *c)
{
	static const char *const gen[] = { "", "virtual", "stored", "row-start",
					   "row-end" };

	w_put(w, "  column ");
	w_name(w, c->name, true);
	w_put(w, " ");
	w_type(w, c->type);
	if (c->nullability == DM_SQL_NULLABILITY_NULL)
		w_put(w, " null");
	else if (c->nullability == DM_SQL_NULLABILITY_NOT_NULL)
		w_put(w, " not-null");
	if (c->default_kind) {
		w_put(w, " default=");
		w_put(w, default_kind_name(c->default_kind));
		w_put(w, ":");
		w_expr(w, c->default_expr);
	}
	if (c->on_update) {
		w_put(w, " on-update=");
		w_expr(w, c->on_update_expr);
	}
	if (c->auto_increment)
		w_put(w, " auto-increment");
	if (c->has_comment) {
		w_put(w, " comment=");
		w_str(w, c->comment.ptr, c->comment.len);
	}
	if (c->generated && (unsigned)c->generated < 5) {
		w_put(w, " generated=");
		w_put(w, gen[c->generated]);
		if (c->generated_expr) {
			w_put(w, ":");
			w_expr(w, c->generated_expr);
		}
	}
	if (c->invisible)
		w_put(w, " invisible");
	if (c->check_expr) {
		w_put(w, " check=");
		w_expr(w, c->check_expr);
	}
	if (c->primary_key)
		w_put(w, " primary-key");
	if (c->unique_key)
		w_put(w, " unique-key");
	if (c->references)
		w_reference(w, c->references);
	if (c->serial_default_value)
		w_put(w, " serial-default-value");
	w_extras(w, ((const dm__sql_column *)c)->extra_seqs, c->nextra);
	w_put(w, "\n");
}

static void w_index_body(writer *w, const dm_sql_index *ix)
{
	static const char *const kinds[] = { "primary", "unique", "plain",
					     "fulltext", "spatial", "foreign",
					     "check", "period" };

	w_put(w, (unsigned)ix->kind < 8 ? kinds[ix->kind] : "?");
	if (ix->constraint) {
		w_put(w, " constraint=");
		w_name(w, ix->constraint, true);
	}
	if (ix->name) {
		w_put(w, " name=");
		w_name(w, ix->name, true);
	}
	if (ix->system_time)
		w_put(w, " system-time");
	if (ix->if_not_exists)
		w_put(w, " if-not-exists");
	if (ix->nparts || ix->kind != DM_SQL_INDEX_CHECK) {
		w_put(w, " parts=");
		w_parts(w, ix->parts, ix->nparts);
	}
	if (ix->without_overlaps) {
		w_put(w, " without-overlaps=");
		w_name(w, ix->without_overlaps, true);
	}
	if (ix->index_type) {
		w_put(w, " using=");
		w_put(w, ix->index_type);
	}
	if (ix->has_comment) {
		w_put(w, " comment=");
		w_str(w, ix->comment.ptr, ix->comment.len);
	}
	if (ix->key_block_size >= 0)
		w_num(w, " key-block-size=", ix->key_block_size, "");
	if (ix->parser) {
		w_put(w, " parser=");
		w_name(w, ix->parser, true);
	}
	if (ix->visibility == DM_SQL_VISIBILITY_VISIBLE)
		w_put(w, " visible");
	else if (ix->visibility == DM_SQL_VISIBILITY_INVISIBLE)
		w_put(w, " invisible");
	if (ix->references)
		w_reference(w, ix->references);
	if (ix->check_expr) {
		w_put(w, " check=");
		w_expr(w, ix->check_expr);
	}
	w_extras(w, ((const dm__sql_index *)ix)->extra_seqs, ix->nextra);
}

static void w_option(writer *w, const dm_sql_table_option *o)
{
	size_t i;

	w_put(w, "  option ");
	w_word(w, o->name);
	if (o->is_string) {
		w_put(w, "=");
		w_str(w, o->str.ptr, o->str.len);
	} else if (o->ntables || !strcmp(o->name, "UNION")) {
		w_put(w, "=(");
		for (i = 0; i < o->ntables; i++) {
			if (i)
				w_put(w, ",");
			w_table(w, &o->tables[i]);
		}
		w_put(w, ")");
	} else if (o->value[0]) {
		w_put(w, "=");
		w_word(w, o->value);
	}
	w_put(w, "\n");
}

static void w_options(writer *w, const dm_sql_table_option *const *o, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		w_option(w, o[i]);
}

/* ------------------------------------------------------------ statements */

static void w_create_table(writer *w, const dm__sql_create_table *dct)
{
	const dm_sql_create_table *ct = &dct->pub;
	size_t i;

	w_put(w, "  name ");
	w_table(w, &ct->name);
	if (ct->or_replace)
		w_put(w, " or-replace");
	if (ct->temporary)
		w_put(w, " temporary");
	if (ct->if_not_exists)
		w_put(w, " if-not-exists");
	w_put(w, "\n");
	if (ct->like) {
		w_put(w, "  like ");
		w_table(w, ct->like);
		w_put(w, "\n");
	}
	for (i = 0; i < ct->nelements; i++) {
		const dm_sql_table_element *el = ct->elements[i];

		if (el->kind == DM_SQL_ELEMENT_COLUMN) {
			w_column(w, el->column);
		} else {
			w_put(w, "  index ");
			w_index_body(w, el->index);
			w_put(w, "\n");
		}
	}
	w_options(w, ct->options, ct->noptions);
	if (dct->partition.n) {
		w_put(w, "  partition ");
		w_tokseq(w, &dct->partition);
		w_put(w, "\n");
	}
	if (dct->select.n) {
		w_put(w, "  select ");
		w_tokseq(w, &dct->select);
		w_put(w, "\n");
	}
}

static const char *const alter_names[] = {
	"add-column", "add-index", "drop-column", "drop-index",
	"drop-primary-key", "drop-foreign-key", "drop-constraint",
	"modify-column", "change-column", "set-default", "drop-default",
	"column-visibility", "rename-column", "rename-table", "rename-index",
	"index-visibility", "options", "convert-charset", "algorithm", "lock",
	"enable-keys", "disable-keys", "force", "order-by", "partition", "other"
};

static void w_spec(writer *w, const dm_sql_alter_spec *s)
{
	const dm__sql_alter_spec *ds = (const dm__sql_alter_spec *)s;
	size_t i;

	w_put(w, "  spec ");
	w_put(w, (unsigned)s->kind < sizeof(alter_names) / sizeof(alter_names[0])
			 ? alter_names[s->kind] : "?");
	if (s->if_exists)
		w_put(w, " if-exists");
	if (s->if_not_exists)
		w_put(w, " if-not-exists");
	if (s->name) {
		w_put(w, " name=");
		w_name(w, s->name, true);
	}
	if (s->new_name) {
		w_put(w, " new-name=");
		w_name(w, s->new_name, true);
	}
	if (s->kind == DM_SQL_ALTER_RENAME_TABLE) {
		w_put(w, " to=");
		w_table(w, &s->new_table);
	}
	if (s->position == DM_SQL_POSITION_FIRST)
		w_put(w, " first");
	else if (s->position == DM_SQL_POSITION_AFTER) {
		w_put(w, " after=");
		w_name(w, s->after, true);
	}
	if (s->default_kind) {
		w_put(w, " default=");
		w_put(w, default_kind_name(s->default_kind));
		w_put(w, ":");
		w_expr(w, s->default_expr);
	}
	if (s->charset) {
		w_put(w, " charset=");
		w_put(w, s->charset);
	}
	if (s->collation) {
		w_put(w, " collate=");
		w_put(w, s->collation);
	}
	if (s->kind == DM_SQL_ALTER_INDEX_VISIBILITY ||
	    s->kind == DM_SQL_ALTER_COLUMN_VISIBILITY)
		w_put(w, s->visibility == DM_SQL_VISIBILITY_INVISIBLE
				 ? " invisible" : " visible");
	if (s->kind == DM_SQL_ALTER_ALGORITHM || s->kind == DM_SQL_ALTER_LOCK) {
		w_put(w, " ");
		w_word(w, s->text);
	}
	if (s->kind == DM_SQL_ALTER_PARTITION && ds->after_comma)
		w_put(w, " after-comma");
	if (ds->seq.n) {
		w_put(w, " text=[");
		w_tokseq(w, &ds->seq);
		w_put(w, "]");
	}
	if (s->column_list)
		w_put(w, " column-list");
	w_put(w, "\n");
	for (i = 0; i < s->ncolumns; i++) {
		w_put(w, "  ");
		w_column(w, s->columns[i]);
	}
	if (s->index) {
		w_put(w, "    index ");
		w_index_body(w, s->index);
		w_put(w, "\n");
	}
	for (i = 0; i < s->noptions; i++) {
		w_put(w, "  ");
		w_option(w, s->options[i]);
	}
}

static void w_words(writer *w, const char *label, const char *v)
{
	if (!v)
		return;
	w_put(w, " ");
	w_put(w, label);
	w_put(w, "=");
	w_word(w, v);
}

static void w_stmt(writer *w, const struct dm_sql_stmt *st)
{
	size_t i;

	w_put(w, dm_sql_kind_name(st->kind));
	w_put(w, "\n");
	if (st->unsupported) {
		w_put(w, "  unsupported ");
		w_put(w, st->unsupported);
		w_put(w, "\n");
	}
	if (st->ntables) {
		w_put(w, "  tables");
		for (i = 0; i < st->ntables; i++) {
			w_put(w, " ");
			w_table(w, &st->tables[i]);
		}
		w_put(w, "\n");
	}
	if (st->database) {
		const dm_sql_database *db = st->database;

		w_put(w, "  database ");
		if (db->name)
			w_name(w, db->name, false);
		if (db->or_replace)
			w_put(w, " or-replace");
		if (db->if_exists)
			w_put(w, " if-exists");
		if (db->if_not_exists)
			w_put(w, " if-not-exists");
		w_put(w, "\n");
		w_options(w, db->options, db->noptions);
	} else if (st->create_table) {
		w_create_table(w, st->create_table);
	} else if (st->alter_table) {
		const dm_sql_alter_table *a = st->alter_table;

		w_put(w, "  name ");
		w_table(w, &a->name);
		if (a->online)
			w_put(w, " online");
		if (a->ignore)
			w_put(w, " ignore");
		if (a->if_exists)
			w_put(w, " if-exists");
		w_words(w, "wait", a->wait);
		w_put(w, "\n");
		for (i = 0; i < a->nspecs; i++)
			w_spec(w, a->specs[i]);
	} else if (st->rename_table) {
		const dm_sql_rename_table *r = st->rename_table;

		if (r->if_exists || r->wait) {
			w_put(w, " ");
			if (r->if_exists)
				w_put(w, " if-exists");
			w_words(w, "wait", r->wait);
			w_put(w, "\n");
		}
		for (i = 0; i < r->npairs; i++) {
			w_put(w, "  pair ");
			w_table(w, &r->pairs[i].from);
			w_put(w, " -> ");
			w_table(w, &r->pairs[i].to);
			w_put(w, "\n");
		}
	} else if (st->drop_table) {
		const dm_sql_drop_table *d = st->drop_table;

		w_put(w, " ");
		if (d->temporary)
			w_put(w, " temporary");
		if (d->if_exists)
			w_put(w, " if-exists");
		w_words(w, "wait", d->wait);
		w_words(w, "behavior", d->behavior);
		w_put(w, "\n");
	} else if (st->create_index) {
		const dm_sql_create_index *ci = st->create_index;

		w_put(w, "  on ");
		w_table(w, &ci->table);
		if (ci->or_replace)
			w_put(w, " or-replace");
		w_words(w, "algorithm", ci->algorithm);
		w_words(w, "lock", ci->lock);
		w_words(w, "wait", ci->wait);
		w_put(w, "\n  index ");
		w_index_body(w, ci->index);
		w_put(w, "\n");
	} else if (st->drop_index) {
		const dm_sql_drop_index *di = st->drop_index;

		w_put(w, "  on ");
		w_table(w, &di->table);
		w_put(w, " name=");
		w_name(w, di->name, true);
		if (di->if_exists)
			w_put(w, " if-exists");
		w_words(w, "algorithm", di->algorithm);
		w_words(w, "lock", di->lock);
		w_words(w, "wait", di->wait);
		w_put(w, "\n");
	} else if (st->expr) {
		w_put(w, "  ");
		w_expr(w, st->expr);
		w_put(w, "\n");
	} else if (st->toks.n) {
		w_put(w, "  text ");
		w_tokens(w, st->toks.toks, st->toks.n, st->trefs, st->ntrefs);
		w_put(w, "\n");
	}
}

int dm__sql_dump(dm_buf *out, const struct dm_sql_stmt *stmt, bool fold)
{
	writer w = { out, fold, 0 };
	size_t len = out->len;

	w_stmt(&w, stmt);
	if (w.rc)
		dm_buf_truncate(out, len);
	return w.rc;
}
