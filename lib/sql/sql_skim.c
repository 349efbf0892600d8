/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Statements without a full tree: classified by their leading words, with
 * the table names they act on found by a tolerant walk over the tokens.
 * The tokens are kept so restore can print the statement again with those
 * names renamed and qualified.
 */
#include <string.h>

#include "sql/sql_private.h"

typedef struct skim {
	dm__sql_parser *p;
	dm__sql_tref *refs;
	size_t nrefs;
	size_t cap;
} skim;

static bool at_p(const dm__sql_parser *p, int punct)
{
	return dm__sql_at_punct(p, punct);
}

static bool add_ref(skim *s, size_t first, const dm_sql_table_name *name)
{
	dm__sql_parser *p = s->p;

	if (s->nrefs == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 4;
		dm__sql_tref *n = dm__sql_palloc(p, ncap * sizeof(*n));

		if (!n)
			return false;
		if (s->nrefs)
			memcpy(n, s->refs, s->nrefs * sizeof(*n));
		s->refs = n;
		s->cap = ncap;
	}
	s->refs[s->nrefs].first = first;
	s->refs[s->nrefs].last = p->pos - 1;
	s->refs[s->nrefs].name = *name;
	s->nrefs++;
	return true;
}

/* A table name at the current token, recorded as a reference. */
static bool table_ref(skim *s)
{
	dm_sql_table_name name;
	size_t first = s->p->pos;

	if (!dm__sql_parse_table_name(s->p, &name))
		return false;
	return add_ref(s, first, &name);
}

/* A schema name (USE db). */
static bool schema_ref(skim *s)
{
	dm_sql_table_name name;
	size_t first = s->p->pos;

	name.schema = dm__sql_parse_ident(s->p, "expected a database name");
	name.table = "";
	if (!name.schema)
		return false;
	return add_ref(s, first, &name);
}

/* name [, name ...] */
static bool table_list(skim *s)
{
	do {
		if (!table_ref(s))
			return false;
	} while (dm__sql_accept_punct(s->p, DM__P_COMMA));
	return true;
}

static void skip_parens(dm__sql_parser *p)
{
	int depth = 0;

	do {
		const dm__sql_token *t = dm__sql_peek(p, 0);

		if (t->kind == DM__TOK_EOF)
			return;
		if (t->kind == DM__TOK_PUNCT && t->punct == DM__P_LPAREN)
			depth++;
		else if (t->kind == DM__TOK_PUNCT && t->punct == DM__P_RPAREN)
			depth--;
		p->pos++;
	} while (depth > 0);
}

/* DEFINER = user | CURRENT_USER[()] | CURRENT_ROLE */
static void skip_definer(dm__sql_parser *p)
{
	if (!dm__sql_accept_word(p, "DEFINER"))
		return;
	dm__sql_accept_punct(p, DM__P_EQ);
	if (dm__sql_accept_word(p, "CURRENT_USER") ||
	    dm__sql_accept_word(p, "CURRENT_ROLE")) {
		if (at_p(p, DM__P_LPAREN) &&
		    dm__sql_peek(p, 1)->kind == DM__TOK_PUNCT &&
		    dm__sql_peek(p, 1)->punct == DM__P_RPAREN)
			p->pos += 2;
		return;
	}
	if (dm__sql_peek(p, 0)->kind != DM__TOK_EOF)
		p->pos++;
	if (dm__sql_peek(p, 0)->kind == DM__TOK_USER_VAR)
		p->pos++;
	else if (at_p(p, DM__P_AT))
		p->pos += 2;
}

/* The CREATE/ALTER prefix of views and routines. */
static void skip_object_prefix(dm__sql_parser *p)
{
	for (;;) {
		if (dm__sql_at_word2(p, "OR", "REPLACE")) {
			p->pos += 2;
		} else if (dm__sql_at_word(p, "ALGORITHM")) {
			p->pos++;
			dm__sql_accept_punct(p, DM__P_EQ);
			p->pos++;
		} else if (dm__sql_at_word(p, "DEFINER")) {
			skip_definer(p);
		} else if (dm__sql_at_word2(p, "SQL", "SECURITY")) {
			p->pos += 3;
		} else if (dm__sql_accept_word(p, "AGGREGATE") ||
			   dm__sql_accept_word(p, "TEMPORARY") ||
			   dm__sql_accept_word(p, "NONATOMIC")) {
		} else {
			return;
		}
	}
}

static void skip_if_exists(dm__sql_parser *p)
{
	if (dm__sql_at_word2(p, "IF", "NOT") &&
	    dm__sql_word_is(dm__sql_peek(p, 2), "EXISTS"))
		p->pos += 3;
	else if (dm__sql_at_word2(p, "IF", "EXISTS"))
		p->pos += 2;
}

static bool at_dot_star(const dm__sql_parser *p)
{
	const dm__sql_token *n = dm__sql_peek(p, 1);

	return at_p(p, DM__P_DOT) && n->kind == DM__TOK_PUNCT &&
	       n->punct == DM__P_STAR;
}

/* [schema.]table[.*] as in multi-table DELETE targets. */
static bool target_ref(skim *s)
{
	dm__sql_parser *p = s->p;
	dm_sql_table_name name = { "", NULL };
	size_t first = p->pos;

	name.table = dm__sql_parse_ident(p, "expected a table name");
	if (!name.table)
		return false;
	if (at_p(p, DM__P_DOT) && !at_dot_star(p)) {
		p->pos++;
		name.schema = name.table;
		name.table = dm__sql_parse_name_lenient(p, "expected a table name");
		if (!name.table)
			return false;
	}
	if (!add_ref(s, first, &name))
		return false;
	if (at_dot_star(p))
		p->pos += 2;
	return true;
}

static bool is_join_word(const dm__sql_token *t)
{
	return dm__sql_word_is(t, "JOIN") || dm__sql_word_is(t, "STRAIGHT_JOIN");
}

/* Table references of UPDATE/DELETE ... FROM: names at the start, after a
 * ',' and after JOIN, at depth 0, until one of the stop words. */
static bool table_refs_until(skim *s, const char *const *stops)
{
	dm__sql_parser *p = s->p;
	bool at_table = true;

	for (;;) {
		const dm__sql_token *t = dm__sql_peek(p, 0);
		size_t i;

		if (t->kind == DM__TOK_EOF)
			return true;
		for (i = 0; stops[i]; i++)
			if (dm__sql_word_is(t, stops[i]))
				return true;
		if (at_table) {
			at_table = false;
			if (dm__sql_at_ident(p)) {
				if (!target_ref(s))
					return false;
				continue;
			}
		}
		if (t->kind == DM__TOK_PUNCT && t->punct == DM__P_LPAREN) {
			skip_parens(p);
			continue;
		}
		if (t->kind == DM__TOK_PUNCT && t->punct == DM__P_COMMA)
			at_table = true;
		else if (is_join_word(t))
			at_table = true;
		p->pos++;
	}
}

static bool skim_update(skim *s)
{
	static const char *const stops[] = { "SET", NULL };
	dm__sql_parser *p = s->p;

	p->pos++;
	while (dm__sql_accept_word(p, "LOW_PRIORITY") ||
	       dm__sql_accept_word(p, "IGNORE"))
		;
	return table_refs_until(s, stops);
}

static bool skim_delete(skim *s)
{
	static const char *const from_stops[] = {
		"USING", "WHERE", "ORDER", "LIMIT", "PARTITION", "RETURNING",
		"AS", NULL
	};
	static const char *const target_stops[] = { "FROM", NULL };
	dm__sql_parser *p = s->p;

	p->pos++;
	while (dm__sql_accept_word(p, "LOW_PRIORITY") ||
	       dm__sql_accept_word(p, "QUICK") || dm__sql_accept_word(p, "IGNORE"))
		;
	if (dm__sql_accept_word(p, "FROM"))
		return table_refs_until(s, from_stops);
	return table_refs_until(s, target_stops);
}

static bool skim_insert(skim *s, bool replace)
{
	dm__sql_parser *p = s->p;

	p->pos++;
	while (dm__sql_accept_word(p, "LOW_PRIORITY") ||
	       dm__sql_accept_word(p, "DELAYED") ||
	       (!replace && dm__sql_accept_word(p, "HIGH_PRIORITY")) ||
	       (!replace && dm__sql_accept_word(p, "IGNORE")))
		;
	dm__sql_accept_word(p, "INTO");
	return table_ref(s);
}

static bool skim_load(skim *s)
{
	dm__sql_parser *p = s->p;

	p->pos++;
	if (!dm__sql_accept_word(p, "DATA") && !dm__sql_accept_word(p, "XML")) {
		p->stmt->kind = DM_SQL_OTHER;
		return true;
	}
	p->stmt->kind = DM_SQL_LOAD_DATA;
	while (!dm__sql_at_word2(p, "INTO", "TABLE")) {
		if (dm__sql_peek(p, 0)->kind == DM__TOK_EOF)
			return dm__sql_fail(p, "expected INTO TABLE");
		p->pos++;
	}
	p->pos += 2;
	return table_ref(s);
}

static bool skim_lock(skim *s)
{
	dm__sql_parser *p = s->p;

	if (!dm__sql_accept_word(p, "TABLE") && !dm__sql_accept_word(p, "TABLES")) {
		p->stmt->kind = DM_SQL_OTHER;
		return true;
	}
	p->stmt->kind = DM_SQL_LOCK_TABLES;
	for (;;) {
		if (!table_ref(s))
			return false;
		while (dm__sql_peek(p, 0)->kind != DM__TOK_EOF && !at_p(p, DM__P_COMMA))
			p->pos++;
		if (!dm__sql_accept_punct(p, DM__P_COMMA))
			return true;
	}
}

/* FLUSH [NO_WRITE_TO_BINLOG|LOCAL] TABLE[S] [t, ...] */
static bool skim_flush(skim *s)
{
	dm__sql_parser *p = s->p;

	if (!dm__sql_accept_word(p, "NO_WRITE_TO_BINLOG"))
		dm__sql_accept_word(p, "LOCAL");
	if (!dm__sql_accept_word(p, "TABLE") && !dm__sql_accept_word(p, "TABLES"))
		return true;
	if (!dm__sql_at_ident(p))
		return true;
	return table_list(s);
}

/* ANALYZE/OPTIMIZE/REPAIR/CHECK/CHECKSUM [...] TABLE t, ... */
static bool skim_table_maintenance(skim *s, dm_sql_kind kind)
{
	dm__sql_parser *p = s->p;

	if (!dm__sql_accept_word(p, "NO_WRITE_TO_BINLOG"))
		dm__sql_accept_word(p, "LOCAL");
	if (!dm__sql_accept_word(p, "TABLE") && !dm__sql_accept_word(p, "TABLES")) {
		p->stmt->kind = DM_SQL_OTHER;
		return true;
	}
	p->stmt->kind = kind;
	return table_list(s);
}

/* GRANT/REVOKE ... ON [TABLE] {db.tbl | tbl | db.* | * | *.*} */
static bool skim_grant(skim *s)
{
	dm__sql_parser *p = s->p;
	int depth = 0;

	for (;;) {
		const dm__sql_token *t = dm__sql_peek(p, 0);

		if (t->kind == DM__TOK_EOF)
			return true;
		if (t->kind == DM__TOK_PUNCT && t->punct == DM__P_LPAREN)
			depth++;
		else if (t->kind == DM__TOK_PUNCT && t->punct == DM__P_RPAREN)
			depth--;
		else if (depth == 0 && dm__sql_word_is(t, "ON"))
			break;
		p->pos++;
	}
	p->pos++;
	if (dm__sql_at_word(p, "FUNCTION") || dm__sql_at_word(p, "PROCEDURE") ||
	    dm__sql_at_word(p, "PACKAGE"))
		return true;
	dm__sql_accept_word(p, "TABLE");
	if (!dm__sql_at_ident(p))
		return true;
	if (dm__sql_peek(p, 1)->kind == DM__TOK_PUNCT &&
	    dm__sql_peek(p, 1)->punct == DM__P_DOT &&
	    dm__sql_peek(p, 2)->kind == DM__TOK_PUNCT &&
	    dm__sql_peek(p, 2)->punct == DM__P_STAR)
		return schema_ref(s);
	return table_ref(s);
}

/* Objects classified as OTHER after CREATE, ALTER or DROP. */
static bool other_object(const dm__sql_parser *p)
{
	static const char *const words[] = {
		"SERVER", "TABLESPACE", "LOGFILE", "PACKAGE", "SPATIAL",
		"RESOURCE", "UNDO", "INSTANCE", "PREPARE"
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (dm__sql_at_word(p, words[i]))
			return true;
	return false;
}

/* TEMPORARY (written at `from` or later) only goes with TABLE and
 * SEQUENCE. */
static bool no_temporary(dm__sql_parser *p, size_t from)
{
	size_t i;

	for (i = from; i < p->pos; i++)
		if (dm__sql_word_is(&p->toks[i], "TEMPORARY"))
			return dm__sql_fail(p, "expected TABLE or SEQUENCE");
	return true;
}

/* An object after the prefix that is not one of the classified ones. */
static bool check_object(dm__sql_parser *p, size_t from)
{
	if (!no_temporary(p, from))
		return false;
	if (other_object(p)) {
		p->stmt->kind = DM_SQL_OTHER;
		return true;
	}
	return dm__sql_fail(p, "unknown statement");
}

static bool skim_create(skim *s)
{
	dm__sql_parser *p = s->p;
	dm_sql_stmt *st = p->stmt;

	p->pos++;
	skip_object_prefix(p);
	if (!dm__sql_at_word(p, "SEQUENCE") && !no_temporary(p, 1))
		return false;
	if (dm__sql_accept_word(p, "VIEW")) {
		st->kind = DM_SQL_CREATE_VIEW;
		skip_if_exists(p);
		return table_ref(s);
	}
	if (dm__sql_accept_word(p, "TRIGGER")) {
		dm_sql_table_name trg;
		size_t before;

		st->kind = DM_SQL_CREATE_TRIGGER;
		skip_if_exists(p);
		if (!dm__sql_parse_table_name(p, &trg))
			return false;
		while (!dm__sql_at_word(p, "ON")) {
			if (dm__sql_peek(p, 0)->kind == DM__TOK_EOF)
				return dm__sql_fail(p, "expected ON");
			p->pos++;
		}
		p->pos++;
		before = s->nrefs;
		if (!table_ref(s))
			return false;
		/* The table is in the trigger's schema when not qualified. */
		if (!s->refs[before].name.schema[0])
			s->refs[before].name.schema = trg.schema;
		return true;
	}
	if (dm__sql_accept_word(p, "SEQUENCE")) {
		st->kind = DM_SQL_CREATE_SEQUENCE;
		skip_if_exists(p);
		return table_ref(s);
	}
	if (dm__sql_accept_word(p, "PROCEDURE"))
		st->kind = DM_SQL_CREATE_PROCEDURE;
	else if (dm__sql_accept_word(p, "FUNCTION"))
		st->kind = DM_SQL_CREATE_FUNCTION;
	else if (dm__sql_accept_word(p, "EVENT"))
		st->kind = DM_SQL_CREATE_EVENT;
	else if (dm__sql_accept_word(p, "USER"))
		st->kind = DM_SQL_CREATE_USER;
	else if (dm__sql_accept_word(p, "ROLE"))
		st->kind = DM_SQL_CREATE_ROLE;
	else
		return check_object(p, 1);
	return true;
}

static bool skim_alter(skim *s)
{
	dm__sql_parser *p = s->p;
	dm_sql_stmt *st = p->stmt;

	p->pos++;
	skip_object_prefix(p);
	if (dm__sql_accept_word(p, "VIEW")) {
		st->kind = DM_SQL_ALTER_VIEW;
		return table_ref(s);
	}
	if (dm__sql_accept_word(p, "SEQUENCE")) {
		st->kind = DM_SQL_ALTER_SEQUENCE;
		skip_if_exists(p);
		return table_ref(s);
	}
	if (dm__sql_accept_word(p, "EVENT"))
		st->kind = DM_SQL_ALTER_EVENT;
	else if (dm__sql_accept_word(p, "USER"))
		st->kind = DM_SQL_ALTER_USER;
	else if (dm__sql_accept_word(p, "PROCEDURE"))
		st->kind = DM_SQL_ALTER_PROCEDURE;
	else if (dm__sql_accept_word(p, "FUNCTION"))
		st->kind = DM_SQL_ALTER_FUNCTION;
	else
		return check_object(p, 1);
	return true;
}

static bool skim_drop(skim *s)
{
	dm__sql_parser *p = s->p;
	dm_sql_stmt *st = p->stmt;

	p->pos++;
	dm__sql_accept_word(p, "TEMPORARY");
	if (!dm__sql_at_word(p, "SEQUENCE") && !no_temporary(p, 1))
		return false;
	if (dm__sql_accept_word(p, "VIEW")) {
		st->kind = DM_SQL_DROP_VIEW;
		skip_if_exists(p);
		return table_list(s);
	}
	if (dm__sql_accept_word(p, "SEQUENCE")) {
		st->kind = DM_SQL_DROP_SEQUENCE;
		skip_if_exists(p);
		return table_list(s);
	}
	if (dm__sql_accept_word(p, "TRIGGER"))
		st->kind = DM_SQL_DROP_TRIGGER;
	else if (dm__sql_accept_word(p, "PROCEDURE"))
		st->kind = DM_SQL_DROP_PROCEDURE;
	else if (dm__sql_accept_word(p, "FUNCTION"))
		st->kind = DM_SQL_DROP_FUNCTION;
	else if (dm__sql_accept_word(p, "EVENT"))
		st->kind = DM_SQL_DROP_EVENT;
	else if (dm__sql_accept_word(p, "USER"))
		st->kind = DM_SQL_DROP_USER;
	else if (dm__sql_accept_word(p, "ROLE"))
		st->kind = DM_SQL_DROP_ROLE;
	else
		return check_object(p, 1);
	return true;
}

/* Statements classified as OTHER by their first word. */
static const char *const other_words[] = {
	"SHOW", "DESCRIBE", "DESC", "EXPLAIN", "HANDLER", "PREPARE",
	"EXECUTE", "DEALLOCATE", "KILL", "RESET", "PURGE", "CHANGE", "STOP",
	"SHUTDOWN", "CACHE", "INSTALL", "UNINSTALL", "HELP", "BINLOG", "GET",
	"SIGNAL", "RESIGNAL", "BACKUP", "IMPORT", "CLONE", "RESTART",
	"DECLARE", "IF", "CASE", "LOOP", "REPEAT", "WHILE", "RENAME"
};

static bool classify(skim *s)
{
	dm__sql_parser *p = s->p;
	dm_sql_stmt *st = p->stmt;
	const dm__sql_token *t = dm__sql_peek(p, 0);
	size_t i;

	if (t->kind == DM__TOK_PUNCT && t->punct == DM__P_LPAREN) {
		st->kind = DM_SQL_SELECT;
		return true;
	}
	if (t->kind != DM__TOK_WORD)
		return dm__sql_fail(p, "expected a statement");
	if (dm__sql_word_is(t, "CREATE"))
		return skim_create(s);
	if (dm__sql_word_is(t, "ALTER"))
		return skim_alter(s);
	if (dm__sql_word_is(t, "DROP"))
		return skim_drop(s);
	if (dm__sql_word_is(t, "SELECT") || dm__sql_word_is(t, "WITH") ||
	    dm__sql_word_is(t, "VALUES") || dm__sql_word_is(t, "TABLE")) {
		st->kind = DM_SQL_SELECT;
		return true;
	}
	if (dm__sql_word_is(t, "INSERT")) {
		st->kind = DM_SQL_INSERT;
		return skim_insert(s, false);
	}
	if (dm__sql_word_is(t, "REPLACE")) {
		st->kind = DM_SQL_REPLACE;
		return skim_insert(s, true);
	}
	if (dm__sql_word_is(t, "UPDATE")) {
		st->kind = DM_SQL_UPDATE;
		return skim_update(s);
	}
	if (dm__sql_word_is(t, "DELETE")) {
		st->kind = DM_SQL_DELETE;
		return skim_delete(s);
	}
	if (dm__sql_word_is(t, "LOAD"))
		return skim_load(s);
	if (dm__sql_word_is(t, "SET")) {
		p->pos++;
		st->kind = dm__sql_at_word(p, "PASSWORD") ? DM_SQL_SET_PASSWORD
							 : DM_SQL_SET;
		return true;
	}
	if (dm__sql_word_is(t, "USE")) {
		p->pos++;
		st->kind = DM_SQL_USE;
		return schema_ref(s);
	}
	if (dm__sql_word_is(t, "BEGIN")) {
		st->kind = dm__sql_word_is(dm__sql_peek(p, 1), "NOT") ? DM_SQL_OTHER
								      : DM_SQL_BEGIN;
		return true;
	}
	if (dm__sql_word_is(t, "START")) {
		st->kind = dm__sql_word_is(dm__sql_peek(p, 1), "TRANSACTION")
				   ? DM_SQL_BEGIN
				   : DM_SQL_OTHER;
		return true;
	}
	if (dm__sql_word_is(t, "COMMIT")) {
		st->kind = DM_SQL_COMMIT;
		return true;
	}
	if (dm__sql_word_is(t, "ROLLBACK")) {
		p->pos++;
		dm__sql_accept_word(p, "WORK");
		st->kind = dm__sql_at_word(p, "TO") ? DM_SQL_ROLLBACK_TO_SAVEPOINT
						    : DM_SQL_ROLLBACK;
		return true;
	}
	if (dm__sql_word_is(t, "SAVEPOINT")) {
		st->kind = DM_SQL_SAVEPOINT;
		return true;
	}
	if (dm__sql_word_is(t, "RELEASE")) {
		st->kind = DM_SQL_RELEASE_SAVEPOINT;
		return true;
	}
	if (dm__sql_word_is(t, "XA")) {
		st->kind = DM_SQL_XA;
		return true;
	}
	if (dm__sql_word_is(t, "GRANT") || dm__sql_word_is(t, "REVOKE")) {
		st->kind = dm__sql_word_is(t, "GRANT") ? DM_SQL_GRANT : DM_SQL_REVOKE;
		return skim_grant(s);
	}
	if (dm__sql_word_is(t, "RENAME") &&
	    dm__sql_word_is(dm__sql_peek(p, 1), "USER")) {
		st->kind = DM_SQL_RENAME_USER;
		return true;
	}
	if (dm__sql_word_is(t, "FLUSH")) {
		p->pos++;
		st->kind = DM_SQL_FLUSH;
		return skim_flush(s);
	}
	if (dm__sql_word_is(t, "ANALYZE") || dm__sql_word_is(t, "OPTIMIZE") ||
	    dm__sql_word_is(t, "REPAIR") || dm__sql_word_is(t, "CHECK") ||
	    dm__sql_word_is(t, "CHECKSUM")) {
		dm_sql_kind k = dm__sql_word_is(t, "ANALYZE")    ? DM_SQL_ANALYZE
				: dm__sql_word_is(t, "OPTIMIZE") ? DM_SQL_OPTIMIZE
				: dm__sql_word_is(t, "REPAIR")   ? DM_SQL_REPAIR
				: dm__sql_word_is(t, "CHECK")    ? DM_SQL_CHECK
								 : DM_SQL_CHECKSUM;

		p->pos++;
		return skim_table_maintenance(s, k);
	}
	if (dm__sql_word_is(t, "LOCK")) {
		p->pos++;
		return skim_lock(s);
	}
	if (dm__sql_word_is(t, "UNLOCK")) {
		const dm__sql_token *n = dm__sql_peek(p, 1);

		st->kind = dm__sql_word_is(n, "TABLE") || dm__sql_word_is(n, "TABLES")
				   ? DM_SQL_UNLOCK_TABLES
				   : DM_SQL_OTHER;
		return true;
	}
	if (dm__sql_word_is(t, "CALL")) {
		st->kind = DM_SQL_CALL;
		return true;
	}
	if (dm__sql_word_is(t, "DO")) {
		st->kind = DM_SQL_DO;
		return true;
	}
	if (dm__sql_word_is(t, "SHOW")) {
		st->kind = DM_SQL_SHOW;
		return true;
	}
	for (i = 0; i < sizeof(other_words) / sizeof(other_words[0]); i++) {
		if (dm__sql_word_is(t, other_words[i])) {
			st->kind = DM_SQL_OTHER;
			return true;
		}
	}
	return dm__sql_fail(p, "unknown statement");
}

bool dm__sql_skim_statement(dm__sql_parser *p)
{
	skim s = { p, NULL, 0, 0 };
	dm_sql_stmt *st = p->stmt;

	p->pos = 0;
	if (!dm__sql_capture(p, 0, p->ntoks - 1, &st->toks))
		return false;
	if (!classify(&s) || p->rc)
		return false;
	st->trefs = s.refs;
	st->ntrefs = s.nrefs;
	return true;
}
