/* SPDX-License-Identifier: Apache-2.0 */
/* The public functions of dm_sql(3). */
#include <string.h>

#include "dm/sql.h"
#include "sql/sql_private.h"
#include "util/alloc.h"

static const dm_sql_parse_opts default_parse_opts = DM_SQL_PARSE_OPTS_INIT;

/* ------------------------------------------------------------- tables */

typedef struct tables {
	dm_sql_stmt *st;
	dm_sql_table_name *arr;
	size_t n;
	size_t cap;
} tables;

static int add_table(tables *t, const char *schema, const char *table)
{
	if (t->n == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 4;
		dm_sql_table_name *na = dm__sql_alloc(&t->st->arena,
						      ncap * sizeof(*na));

		if (!na)
			return DM_E_NO_MEMORY;
		if (t->n)
			memcpy(na, t->arr, t->n * sizeof(*na));
		t->arr = na;
		t->cap = ncap;
	}
	if (!schema || !schema[0])
		schema = t->st->default_db ? t->st->default_db : "";
	t->arr[t->n].schema = schema;
	t->arr[t->n].table = table;
	t->n++;
	return 0;
}

static int add_name(tables *t, const dm_sql_table_name *n)
{
	return add_table(t, n->schema, n->table);
}

static int compute_tables(dm_sql_stmt *st)
{
	tables t = { st, NULL, 0, 0 };
	int rc = 0;
	size_t i;

	if (st->create_table) {
		const dm_sql_create_table *ct = &st->create_table->pub;

		rc = add_name(&t, &ct->name);
		if (!rc && ct->like)
			rc = add_name(&t, ct->like);
	} else if (st->alter_table) {
		const dm_sql_alter_table *a = st->alter_table;

		rc = add_name(&t, &a->name);
		for (i = 0; !rc && i < a->nspecs; i++)
			if (a->specs[i]->kind == DM_SQL_ALTER_RENAME_TABLE)
				rc = add_name(&t, &a->specs[i]->new_table);
	} else if (st->rename_table) {
		const dm_sql_rename_table *r = st->rename_table;

		for (i = 0; !rc && i < r->npairs; i++) {
			rc = add_name(&t, &r->pairs[i].from);
			if (!rc)
				rc = add_name(&t, &r->pairs[i].to);
		}
	} else if (st->drop_table) {
		for (i = 0; !rc && i < st->drop_table->ntables; i++)
			rc = add_name(&t, &st->drop_table->tables[i]);
	} else if (st->create_index) {
		rc = add_name(&t, &st->create_index->table);
	} else if (st->drop_index) {
		rc = add_name(&t, &st->drop_index->table);
	} else if (st->database) {
		rc = add_table(&t, st->database->name, "");
	} else {
		for (i = 0; !rc && i < st->ntrefs; i++)
			rc = add_name(&t, &st->trefs[i].name);
	}
	st->tables = t.arr;
	st->ntables = t.n;
	return rc;
}

/* -------------------------------------------------------------- parsing */

static int check_opts(const dm_sql_parse_opts **opts, dm_error **err)
{
	if (!*opts)
		*opts = &default_parse_opts;
	if ((*opts)->version < 1)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_parse_opts.version must be 1");
	return 0;
}

static int parse_common(dm_sql_stmt **out, const char *sql, size_t len,
			const dm_sql_parse_opts *opts, dm_error **err,
			bool expr_only)
{
	dm__sql_parser p;
	dm__sql_lexer lx;
	dm__sql_token *toks;
	dm_sql_stmt *st;
	char *src;
	size_t ntoks;
	int rc;

	if (out)
		*out = NULL;
	if (!out || (!sql && len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_parse: NULL argument");
	rc = check_opts(&opts, err);
	if (rc)
		return rc;
	st = dm__calloc(1, sizeof(*st));
	if (!st)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	dm__sql_arena_init(&st->arena);
	src = dm__sql_strndup(&st->arena, sql ? sql : "", len);
	if (!src)
		goto out_oom;
	if (opts->default_db) {
		char *db = dm__sql_strndup(&st->arena, opts->default_db,
					   strlen(opts->default_db));

		if (!db)
			goto out_oom;
		st->default_db = db;
	}
	dm__sql_lex_init(&lx, src, len, opts, &st->arena);
	rc = dm__sql_lex_all(&lx, &toks, &ntoks);
	if (rc == DM_E_NO_MEMORY)
		goto out_oom;
	if (rc) {
		rc = dm__sql_syntax_error(err, sql, len, lx.err_pos, lx.err_msg);
		goto out_free;
	}
	/* One trailing ';' ends the statement; "x;;" is two statements. */
	if (ntoks >= 2 && toks[ntoks - 2].kind == DM__TOK_PUNCT &&
	    toks[ntoks - 2].punct == DM__P_SEMI) {
		if (ntoks >= 3 && toks[ntoks - 3].kind == DM__TOK_PUNCT &&
		    toks[ntoks - 3].punct == DM__P_SEMI) {
			size_t i = ntoks - 3;

			while (i > 0 && toks[i - 1].kind == DM__TOK_PUNCT &&
			       toks[i - 1].punct == DM__P_SEMI)
				i--;
			rc = dm__sql_syntax_error(err, sql, len,
						  i ? toks[i].start : 0,
						  i ? "unexpected text after the statement"
						    : "empty statement");
			goto out_free;
		}
		toks[ntoks - 2] = toks[ntoks - 1];
		ntoks--;
	}
	if (ntoks == 1) {
		rc = dm__sql_syntax_error(err, sql, len, 0,
					  expr_only ? "empty expression"
						    : "empty statement");
		goto out_free;
	}
	memset(&p, 0, sizeof(p));
	p.arena = &st->arena;
	p.src = src;
	p.len = len;
	p.toks = toks;
	p.ntoks = ntoks;
	p.mode = opts->sql_mode;
	p.opts = opts;
	p.stmt = st;
	if (expr_only) {
		st->kind = DM_SQL_EXPRESSION;
		st->expr = dm__sql_parse_expr(&p);
		if (st->expr && dm__sql_peek(&p, 0)->kind != DM__TOK_EOF)
			dm__sql_fail(&p, "unexpected text after the expression");
	} else {
		dm__sql_parse_statement(&p);
	}
	if (p.rc == DM_E_NO_MEMORY)
		goto out_oom;
	if (p.rc) {
		rc = dm__sql_syntax_error(err, sql, len, p.err_pos, p.err_msg);
		goto out_free;
	}
	if (compute_tables(st))
		goto out_oom;
	*out = st;
	return 0;
out_oom:
	rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
out_free:
	dm_sql_stmt_free(st);
	return rc;
}

int dm_sql_parse(dm_sql_stmt **out, const char *sql, size_t len,
		 const dm_sql_parse_opts *opts, dm_error **err)
{
	return parse_common(out, sql, len, opts, err, false);
}

int dm_sql_parse_expr(dm_sql_stmt **out, const char *sql, size_t len,
		      const dm_sql_parse_opts *opts, dm_error **err)
{
	return parse_common(out, sql, len, opts, err, true);
}

void dm_sql_stmt_free(dm_sql_stmt *stmt)
{
	if (!stmt)
		return;
	dm__sql_arena_free(&stmt->arena);
	dm__free(stmt);
}

/* ---------------------------------------------------------------- split */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

int dm_sql_split(dm_sql_span **out, size_t *n, const char *sql, size_t len,
		 const dm_sql_parse_opts *opts, dm_error **err)
{
	dm_sql_span *spans = NULL;
	size_t count = 0, cap = 0, seg = 0;
	bool have = false;
	dm__sql_lexer lx;
	dm__sql_token t;
	int rc;

	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!out || !n || (!sql && len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_split: NULL argument");
	rc = check_opts(&opts, err);
	if (rc)
		return rc;
	dm__sql_lex_init(&lx, sql ? sql : "", len, opts, NULL);
	for (;;) {
		size_t stop, from;

		rc = dm__sql_lex_next(&lx, &t);
		if (rc) {
			rc = dm__sql_syntax_error(err, sql, len, lx.err_pos,
						  lx.err_msg);
			goto out_free;
		}
		if (t.kind != DM__TOK_EOF &&
		    !(t.kind == DM__TOK_PUNCT && t.punct == DM__P_SEMI)) {
			have = true;
			continue;
		}
		/* The segment [seg, stop) holds a statement when it had a
		 * token; blanks around it are trimmed, comments kept. */
		stop = t.kind == DM__TOK_EOF ? len : t.start;
		from = seg;
		if (have) {
			while (from < stop && is_blank(sql[from]))
				from++;
			while (stop > from && is_blank(sql[stop - 1]))
				stop--;
			if (count == cap) {
				size_t ncap = cap ? cap * 2 : 8;
				dm_sql_span *ns = dm__reallocarray(spans, ncap,
								   sizeof(*ns));

				if (!ns) {
					rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
					goto out_free;
				}
				spans = ns;
				cap = ncap;
			}
			spans[count].offset = from;
			spans[count].len = stop - from;
			count++;
		}
		have = false;
		seg = t.end;
		if (t.kind == DM__TOK_EOF)
			break;
	}
	*out = spans;
	*n = count;
	return 0;
out_free:
	dm__free(spans);
	return rc;
}

void dm_sql_spans_free(dm_sql_span *spans)
{
	dm__free(spans);
}

/* -------------------------------------------------------- classification */

dm_sql_kind dm_sql_stmt_kind(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->kind : DM_SQL_OTHER;
}

const char *dm_sql_kind_name(dm_sql_kind kind)
{
	static const char *const names[] = {
		[DM_SQL_CREATE_DATABASE] = "create database",
		[DM_SQL_ALTER_DATABASE] = "alter database",
		[DM_SQL_DROP_DATABASE] = "drop database",
		[DM_SQL_CREATE_TABLE] = "create table",
		[DM_SQL_CREATE_TABLE_LIKE] = "create table like",
		[DM_SQL_ALTER_TABLE] = "alter table",
		[DM_SQL_RENAME_TABLE] = "rename table",
		[DM_SQL_DROP_TABLE] = "drop table",
		[DM_SQL_TRUNCATE_TABLE] = "truncate table",
		[DM_SQL_CREATE_INDEX] = "create index",
		[DM_SQL_DROP_INDEX] = "drop index",
		[DM_SQL_CREATE_VIEW] = "create view",
		[DM_SQL_DROP_VIEW] = "drop view",
		[DM_SQL_ALTER_VIEW] = "alter view",
		[DM_SQL_CREATE_TRIGGER] = "create trigger",
		[DM_SQL_DROP_TRIGGER] = "drop trigger",
		[DM_SQL_CREATE_PROCEDURE] = "create procedure",
		[DM_SQL_CREATE_FUNCTION] = "create function",
		[DM_SQL_DROP_PROCEDURE] = "drop procedure",
		[DM_SQL_DROP_FUNCTION] = "drop function",
		[DM_SQL_CREATE_EVENT] = "create event",
		[DM_SQL_ALTER_EVENT] = "alter event",
		[DM_SQL_DROP_EVENT] = "drop event",
		[DM_SQL_CREATE_USER] = "create user",
		[DM_SQL_ALTER_USER] = "alter user",
		[DM_SQL_DROP_USER] = "drop user",
		[DM_SQL_RENAME_USER] = "rename user",
		[DM_SQL_GRANT] = "grant",
		[DM_SQL_REVOKE] = "revoke",
		[DM_SQL_SET_PASSWORD] = "set password",
		[DM_SQL_FLUSH] = "flush",
		[DM_SQL_ANALYZE] = "analyze table",
		[DM_SQL_OPTIMIZE] = "optimize table",
		[DM_SQL_REPAIR] = "repair table",
		[DM_SQL_CHECK] = "check table",
		[DM_SQL_SET] = "set",
		[DM_SQL_BEGIN] = "begin",
		[DM_SQL_COMMIT] = "commit",
		[DM_SQL_ROLLBACK] = "rollback",
		[DM_SQL_SAVEPOINT] = "savepoint",
		[DM_SQL_RELEASE_SAVEPOINT] = "release savepoint",
		[DM_SQL_XA] = "xa",
		[DM_SQL_INSERT] = "insert",
		[DM_SQL_UPDATE] = "update",
		[DM_SQL_DELETE] = "delete",
		[DM_SQL_REPLACE] = "replace",
		[DM_SQL_LOAD_DATA] = "load data",
		[DM_SQL_SELECT] = "select",
		[DM_SQL_USE] = "use",
		[DM_SQL_CREATE_SEQUENCE] = "create sequence",
		[DM_SQL_DROP_SEQUENCE] = "drop sequence",
		[DM_SQL_LOCK_TABLES] = "lock tables",
		[DM_SQL_UNLOCK_TABLES] = "unlock tables",
		[DM_SQL_OTHER] = "other",
		[DM_SQL_ALTER_SEQUENCE] = "alter sequence",
		[DM_SQL_CREATE_ROLE] = "create role",
		[DM_SQL_DROP_ROLE] = "drop role",
		[DM_SQL_ROLLBACK_TO_SAVEPOINT] = "rollback to savepoint",
		[DM_SQL_CALL] = "call",
		[DM_SQL_DO] = "do",
		[DM_SQL_SHOW] = "show",
		[DM_SQL_CHECKSUM] = "checksum table",
		[DM_SQL_ALTER_PROCEDURE] = "alter procedure",
		[DM_SQL_ALTER_FUNCTION] = "alter function",
		[DM_SQL_EXPRESSION] = "expression",
	};

	if ((unsigned)kind >= sizeof(names) / sizeof(names[0]) || !names[kind])
		return "unknown";
	return names[kind];
}

bool dm_sql_stmt_is_ddl(const dm_sql_stmt *stmt)
{
	if (!stmt)
		return false;
	switch (stmt->kind) {
	case DM_SQL_CREATE_DATABASE:
	case DM_SQL_ALTER_DATABASE:
	case DM_SQL_DROP_DATABASE:
	case DM_SQL_CREATE_TABLE:
	case DM_SQL_CREATE_TABLE_LIKE:
	case DM_SQL_ALTER_TABLE:
	case DM_SQL_RENAME_TABLE:
	case DM_SQL_DROP_TABLE:
	case DM_SQL_TRUNCATE_TABLE:
	case DM_SQL_CREATE_INDEX:
	case DM_SQL_DROP_INDEX:
	case DM_SQL_CREATE_VIEW:
	case DM_SQL_DROP_VIEW:
	case DM_SQL_ALTER_VIEW:
	case DM_SQL_CREATE_TRIGGER:
	case DM_SQL_DROP_TRIGGER:
	case DM_SQL_CREATE_PROCEDURE:
	case DM_SQL_CREATE_FUNCTION:
	case DM_SQL_DROP_PROCEDURE:
	case DM_SQL_DROP_FUNCTION:
	case DM_SQL_ALTER_PROCEDURE:
	case DM_SQL_ALTER_FUNCTION:
	case DM_SQL_CREATE_EVENT:
	case DM_SQL_ALTER_EVENT:
	case DM_SQL_DROP_EVENT:
	case DM_SQL_CREATE_SEQUENCE:
	case DM_SQL_ALTER_SEQUENCE:
	case DM_SQL_DROP_SEQUENCE:
		return true;
	default:
		return false;
	}
}

size_t dm_sql_stmt_tables(const dm_sql_stmt *stmt,
			  const dm_sql_table_name **out)
{
	if (out)
		*out = stmt ? stmt->tables : NULL;
	return stmt ? stmt->ntables : 0;
}

const char *dm_sql_stmt_unsupported_reason(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->unsupported : NULL;
}

const dm_sql_expr *dm_sql_stmt_expr(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->expr : NULL;
}

const dm_sql_create_table *dm_sql_stmt_create_table(const dm_sql_stmt *stmt)
{
	return stmt && stmt->create_table ? &stmt->create_table->pub : NULL;
}

const dm_sql_alter_table *dm_sql_stmt_alter_table(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->alter_table : NULL;
}

const dm_sql_rename_table *dm_sql_stmt_rename_table(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->rename_table : NULL;
}

const dm_sql_drop_table *dm_sql_stmt_drop_table(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->drop_table : NULL;
}

const dm_sql_create_index *dm_sql_stmt_create_index(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->create_index : NULL;
}

const dm_sql_drop_index *dm_sql_stmt_drop_index(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->drop_index : NULL;
}

const dm_sql_database *dm_sql_stmt_database(const dm_sql_stmt *stmt)
{
	return stmt ? stmt->database : NULL;
}

/* -------------------------------------------------------------- restore */

static int finish_out(dm__sql_out *o, dm_buf *out, size_t len0,
		      dm_error **err)
{
	if (!o->rc)
		return 0;
	dm_buf_truncate(out, len0);
	if (o->rc == DM_E_NO_MEMORY)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	return o->rc; /* the rename failure already set *err */
}

int dm_sql_restore(dm_buf *out, const dm_sql_stmt *stmt,
		   const dm_sql_restore_opts *opts, dm_error **err)
{
	dm__sql_out o;
	size_t len0;

	if (!out || !stmt)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_restore: NULL argument");
	len0 = out->len;
	dm__sql_out_init(&o, out, opts, stmt, err);
	dm__sql_put_stmt(&o, stmt);
	return finish_out(&o, out, len0, err);
}

int dm_sql_expr_restore(dm_buf *out, const dm_sql_expr *expr,
			const dm_sql_restore_opts *opts, dm_error **err)
{
	dm__sql_out o;
	size_t len0;

	if (!out || !expr)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_expr_restore: NULL argument");
	len0 = out->len;
	dm__sql_out_init(&o, out, opts, NULL, err);
	dm__sql_put_expr(&o, expr);
	return finish_out(&o, out, len0, err);
}

/* ---------------------------------------------------------- split_stmt */

struct dm_sql_text_list {
	dm_buf *items;
	size_t n;
	size_t cap;
};

static dm_buf *list_add(dm_sql_text_list *l)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 4;
		dm_buf *ni = dm__reallocarray(l->items, ncap, sizeof(*ni));

		if (!ni)
			return NULL;
		l->items = ni;
		l->cap = ncap;
	}
	l->items[l->n].data = NULL;
	l->items[l->n].len = 0;
	l->items[l->n].cap = 0;
	return &l->items[l->n++];
}

/* One ALTER TABLE with the given specs (NULL entries skipped). */
static void put_alter_piece(dm__sql_out *o, const dm_sql_alter_table *a,
			    const dm_sql_table_name *name,
			    const dm_sql_alter_spec *const *specs, size_t n)
{
	size_t i, done = 0;

	dm__sql_put(o, "ALTER ");
	if (a->online)
		dm__sql_put(o, "ONLINE ");
	if (a->ignore)
		dm__sql_put(o, "IGNORE ");
	dm__sql_put(o, "TABLE ");
	if (a->if_exists)
		dm__sql_put(o, "IF EXISTS ");
	dm__sql_put_table(o, name);
	o->ctx_table = &a->name;
	if (a->wait) {
		dm__sql_putc(o, ' ');
		dm__sql_put(o, a->wait);
	}
	for (i = 0; i < n; i++) {
		if (!specs[i])
			continue;
		dm__sql_put(o, dm__sql_spec_separator(specs[i], done > 0));
		dm__sql_put_alter_spec(o, specs[i]);
		done++;
	}
}

static bool is_modifier(const dm_sql_alter_spec *s)
{
	return s->kind == DM_SQL_ALTER_ALGORITHM || s->kind == DM_SQL_ALTER_LOCK;
}

static int split_alter(dm_sql_text_list *l, const dm_sql_stmt *st,
		       const dm_sql_restore_opts *opts, dm_error **err)
{
	const dm_sql_alter_table *a = st->alter_table;
	dm_sql_table_name cur = a->name;
	dm__sql_alter_spec one;
	size_t i, k, mods = 0;
	dm__sql_out o;

	for (i = 0; i < a->nspecs; i++)
		if (is_modifier(a->specs[i]))
			mods++;
	if (mods == a->nspecs)
		return 1; /* nothing to split */
	for (i = 0; i < a->nspecs; i++) {
		const dm_sql_alter_spec *s = a->specs[i];
		size_t ncols = s->kind == DM_SQL_ALTER_ADD_COLUMN && s->column_list
				       ? s->ncolumns : 1;

		if (is_modifier(s))
			continue;
		for (k = 0; k < ncols; k++) {
			const dm_sql_alter_spec **all;
			dm_buf *b = list_add(l);
			size_t j, m = 0;

			if (!b)
				return dm_error_set(err, DM_E_NO_MEMORY, NULL);
			all = dm__malloc((mods + 1) * sizeof(*all));
			if (!all)
				return dm_error_set(err, DM_E_NO_MEMORY, NULL);
			/* A partition operation runs to the end of the
			 * statement: ALGORITHM and LOCK go before it. */
			if (s->kind == DM_SQL_ALTER_PARTITION)
				for (j = 0; j < a->nspecs; j++)
					if (is_modifier(a->specs[j]))
						all[m++] = a->specs[j];
			if (ncols > 1 || s->column_list) {
				one = *(const dm__sql_alter_spec *)s;
				one.pub.columns = &s->columns[k];
				one.pub.ncolumns = 1;
				one.pub.column_list = false;
				all[m++] = &one.pub;
			} else {
				all[m++] = s;
			}
			if (s->kind != DM_SQL_ALTER_PARTITION)
				for (j = 0; j < a->nspecs; j++)
					if (is_modifier(a->specs[j]))
						all[m++] = a->specs[j];
			dm__sql_out_init(&o, b, opts, st, err);
			put_alter_piece(&o, a, &cur, all, m);
			dm__free(all);
			if (o.rc)
				return finish_out(&o, b, 0, err);
		}
		if (s->kind == DM_SQL_ALTER_RENAME_TABLE)
			cur = s->new_table;
	}
	return 0;
}

int dm_sql_split_stmt(dm_sql_text_list **out, const dm_sql_stmt *stmt,
		      unsigned flags, const dm_sql_restore_opts *opts,
		      dm_error **err)
{
	dm_sql_text_list *l;
	dm__sql_out o;
	int rc = 1;
	size_t i;

	if (out)
		*out = NULL;
	if (!out || !stmt)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_sql_split_stmt: NULL argument");
	l = dm__calloc(1, sizeof(*l));
	if (!l)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	if (stmt->rename_table && stmt->rename_table->npairs > 1) {
		const dm_sql_rename_table *r = stmt->rename_table;

		for (i = 0; i < r->npairs; i++) {
			dm_buf *b = list_add(l);

			if (!b) {
				rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
				goto out_free;
			}
			dm__sql_out_init(&o, b, opts, stmt, err);
			dm__sql_put(&o, "RENAME TABLE ");
			if (r->if_exists)
				dm__sql_put(&o, "IF EXISTS ");
			dm__sql_put_table(&o, &r->pairs[i].from);
			if (r->wait) {
				dm__sql_putc(&o, ' ');
				dm__sql_put(&o, r->wait);
			}
			dm__sql_put(&o, " TO ");
			dm__sql_put_table(&o, &r->pairs[i].to);
			rc = finish_out(&o, b, 0, err);
			if (rc)
				goto out_free;
		}
	} else if (stmt->kind == DM_SQL_DROP_TABLE && stmt->drop_table->ntables > 1) {
		const dm_sql_drop_table *d = stmt->drop_table;

		for (i = 0; i < d->ntables; i++) {
			dm_buf *b = list_add(l);

			if (!b) {
				rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
				goto out_free;
			}
			dm__sql_out_init(&o, b, opts, stmt, err);
			dm__sql_put(&o, d->temporary ? "DROP TEMPORARY TABLE "
						     : "DROP TABLE ");
			if (d->if_exists)
				dm__sql_put(&o, "IF EXISTS ");
			dm__sql_put_table(&o, &d->tables[i]);
			if (d->wait) {
				dm__sql_putc(&o, ' ');
				dm__sql_put(&o, d->wait);
			}
			if (d->behavior) {
				dm__sql_putc(&o, ' ');
				dm__sql_put(&o, d->behavior);
			}
			rc = finish_out(&o, b, 0, err);
			if (rc)
				goto out_free;
		}
	} else if ((flags & DM_SQL_SPLIT_ALTER) && stmt->alter_table) {
		rc = split_alter(l, stmt, opts, err);
		if (rc < 0)
			goto out_free;
	}
	if (rc == 1) {
		dm_buf *b = list_add(l);

		if (!b) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			goto out_free;
		}
		rc = dm_sql_restore(b, stmt, opts, err);
		if (rc)
			goto out_free;
	}
	*out = l;
	return 0;
out_free:
	dm_sql_text_list_free(l);
	return rc;
}

size_t dm_sql_text_list_count(const dm_sql_text_list *list)
{
	return list ? list->n : 0;
}

const char *dm_sql_text_list_get(const dm_sql_text_list *list, size_t i,
				 size_t *len)
{
	if (!list || i >= list->n) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = list->items[i].len;
	return list->items[i].data ? list->items[i].data : "";
}

void dm_sql_text_list_free(dm_sql_text_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->n; i++)
		dm_buf_free(&list->items[i]);
	dm__free(list->items);
	dm__free(list);
}

/* ------------------------------------------------------- equality, dump */

bool dm_sql_stmt_equal(const dm_sql_stmt *a, const dm_sql_stmt *b)
{
	dm_buf da = DM_BUF_INIT, db = DM_BUF_INIT;
	bool eq;

	if (!a || !b)
		return a == b;
	eq = dm__sql_dump(&da, a, true) == 0 && dm__sql_dump(&db, b, true) == 0 &&
	     da.len == db.len && (da.len == 0 || !memcmp(da.data, db.data, da.len));
	dm_buf_free(&da);
	dm_buf_free(&db);
	return eq;
}

int dm_sql_stmt_dump(dm_buf *out, const dm_sql_stmt *stmt)
{
	if (!out || !stmt)
		return DM_E_INVALID_ARGUMENT;
	return dm__sql_dump(out, stmt, false);
}
