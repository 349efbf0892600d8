/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SHOW GRANTS, read the way the server writes it (MySQL 5.x/8.x and
 * MariaDB, roles and partial revokes included), and whether the grants
 * cover what the migration needs.
 *
 * Only the part before TO/FROM is read: the rest names the account and may
 * carry a password hash, which is never copied anywhere.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/check_private.h"
#include "dm/util.h"
#include "util/alloc.h"

/* ------------------------------------------------------------- lexer */

typedef enum tok_type {
	TOK_END,
	TOK_WORD,    /* unquoted word: keyword or identifier */
	TOK_QIDENT,  /* `identifier` */
	TOK_STRING,  /* 'text' or "text" */
	TOK_PUNCT
} tok_type;

typedef struct tok {
	tok_type type;
	const char *p;   /* the token as written */
	size_t len;
} tok;

typedef struct lexer {
	const char *s;
	size_t n, pos;
	bool bad;        /* an unterminated quote */
} lexer;

static bool word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

static tok lex_next(lexer *lx)
{
	tok t = { TOK_END, NULL, 0 };
	size_t i;

	while (lx->pos < lx->n && isspace((unsigned char)lx->s[lx->pos]))
		lx->pos++;
	if (lx->pos >= lx->n)
		return t;
	i = lx->pos;
	t.p = lx->s + i;
	if (word_char((unsigned char)lx->s[i])) {
		while (i < lx->n && word_char((unsigned char)lx->s[i]))
			i++;
		t.type = TOK_WORD;
	} else if (lx->s[i] == '`' || lx->s[i] == '\'' || lx->s[i] == '"') {
		char q = lx->s[i++];

		for (;;) {
			if (i >= lx->n) {
				lx->bad = true;
				break;
			}
			if (q != '`' && lx->s[i] == '\\' && i + 1 < lx->n) {
				i += 2;
				continue;
			}
			if (lx->s[i] == q) {
				if (i + 1 < lx->n && lx->s[i + 1] == q) {
					i += 2;
					continue;
				}
				i++;
				break;
			}
			i++;
		}
		t.type = q == '`' ? TOK_QIDENT : TOK_STRING;
	} else {
		i++;
		t.type = TOK_PUNCT;
	}
	t.len = i - lx->pos;
	lx->pos = i;
	return t;
}

static bool is_word(const tok *t, const char *w)
{
	return t->type == TOK_WORD && strlen(w) == t->len &&
	       strncasecmp(t->p, w, t->len) == 0;
}

static bool is_punct(const tok *t, char c)
{
	return t->type == TOK_PUNCT && t->p[0] == c;
}

static bool is_ident(const tok *t)
{
	return t->type == TOK_WORD || t->type == TOK_QIDENT ||
	       t->type == TOK_STRING;
}

/* The identifier's text without quotes: `a``b` -> a`b, 'a\'b' -> a'b. */
static char *ident_text(const tok *t)
{
	char *out, *o;
	size_t i, n;
	char q;

	if (t->type == TOK_WORD)
		return dm__strndup(t->p, t->len);
	q = t->p[0];
	n = t->len >= 2 ? t->len - 2 : 0;
	out = dm__malloc(n + 1);
	if (!out)
		return NULL;
	o = out;
	for (i = 1; i < 1 + n; i++) {
		if (t->p[i] == q && i + 1 < 1 + n && t->p[i + 1] == q)
			i++;
		else if (q != '`' && t->p[i] == '\\' && i + 1 < 1 + n)
			i++;
		*o++ = t->p[i];
	}
	*o = '\0';
	return out;
}

/* ------------------------------------------------------------ parser */

static const struct {
	const char *name;
	int priv; /* -1: ALL, -2: grants nothing we ask for */
} priv_names[] = {
	{ "ALL", -1 },
	{ "ALL PRIVILEGES", -1 },
	{ "SELECT", DM__PRIV_SELECT },
	{ "INSERT", DM__PRIV_INSERT },
	{ "UPDATE", DM__PRIV_UPDATE },
	{ "DELETE", DM__PRIV_DELETE },
	{ "CREATE", DM__PRIV_CREATE },
	{ "DROP", DM__PRIV_DROP },
	{ "ALTER", DM__PRIV_ALTER },
	{ "INDEX", DM__PRIV_INDEX },
	{ "SUPER", DM__PRIV_SUPER },
	{ "RELOAD", DM__PRIV_RELOAD },
	{ "LOCK TABLES", DM__PRIV_LOCK_TABLES },
	{ "REPLICATION CLIENT", DM__PRIV_REPL_CLIENT },
	/* MariaDB 10.5 renamed REPLICATION CLIENT to BINLOG MONITOR. */
	{ "BINLOG MONITOR", DM__PRIV_REPL_CLIENT },
	{ "REPLICATION SLAVE", DM__PRIV_REPL_SLAVE },
	{ "REPLICATION REPLICA", DM__PRIV_REPL_SLAVE },
	{ "FLUSH_TABLES", DM__PRIV_FLUSH_TABLES },
};

static int priv_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(priv_names) / sizeof(priv_names[0]); i++)
		if (strcasecmp(name, priv_names[i].name) == 0)
			return priv_names[i].priv;
	return -2;
}

typedef struct parser {
	lexer lx;
	tok t;            /* current token */
	dm_error **err;
	const char *what; /* for the error: what was expected */
} parser;

static void advance(parser *ps)
{
	ps->t = lex_next(&ps->lx);
}

static int syntax_error(parser *ps, const char *expected)
{
	size_t at = ps->t.p ? (size_t)(ps->t.p - ps->lx.s) : ps->lx.n;

	return dm_error_set(ps->err, DM_E_PARSE_SQL,
			    "SHOW GRANTS line not understood at offset %zu: "
			    "expected %s",
			    at, expected);
}

/* One privilege: words up to ',', '(' or ON; then an optional column
 * list. */
static int parse_priv(parser *ps, dm__check_grant *g)
{
	dm_buf name = DM_BUF_INIT;
	bool columns = false;
	int rc = 0, priv;

	while (ps->t.type == TOK_WORD && !is_word(&ps->t, "ON")) {
		if (name.len)
			rc = dm_buf_putc(&name, ' ');
		if (!rc)
			rc = dm_buf_append(&name, ps->t.p, ps->t.len);
		if (rc)
			goto out;
		advance(ps);
	}
	if (!name.len) {
		rc = syntax_error(ps, "a privilege");
		goto out;
	}
	if (is_punct(&ps->t, '(')) {
		columns = true;
		while (ps->t.type != TOK_END && !is_punct(&ps->t, ')'))
			advance(ps);
		if (ps->t.type == TOK_END) {
			rc = syntax_error(ps, "')' after the column list");
			goto out;
		}
		advance(ps);
	}
	priv = priv_lookup(name.data);
	if (priv == -1 && !columns)
		g->all = true;
	else if (priv >= 0 && columns)
		g->col_privs |= DM__PRIV_BIT(priv);
	else if (priv >= 0)
		g->privs |= DM__PRIV_BIT(priv);
	if (strcasecmp(name.data, "PROXY") == 0)
		g->kind = DM__GRANT_OTHER;
out:
	dm_buf_free(&name);
	return rc;
}

/* ON [TABLE | FUNCTION | PROCEDURE | PACKAGE [BODY]] level */
static int parse_level(parser *ps, dm__check_grant *g)
{
	tok first;

	if (is_word(&ps->t, "TABLE")) {
		advance(ps);
	} else if (is_word(&ps->t, "FUNCTION") ||
		   is_word(&ps->t, "PROCEDURE") ||
		   is_word(&ps->t, "PACKAGE")) {
		g->level = DM__LEVEL_OTHER;
		g->kind = DM__GRANT_OTHER;
		return 0; /* routines: nothing we ask for */
	}
	first = ps->t;
	if (is_punct(&first, '*')) {
		advance(ps);
		if (!is_punct(&ps->t, '.')) {
			g->level = DM__LEVEL_OTHER; /* the default schema */
			return 0;
		}
		advance(ps);
		if (!is_punct(&ps->t, '*'))
			return syntax_error(ps, "'*' after '*.'");
		advance(ps);
		g->level = DM__LEVEL_GLOBAL;
		return 0;
	}
	if (!is_ident(&first))
		return syntax_error(ps, "'*.*', a schema or a table");
	advance(ps);
	if (!is_punct(&ps->t, '.')) {
		g->level = DM__LEVEL_OTHER; /* a table of the default schema */
		return 0;
	}
	advance(ps);
	g->db = ident_text(&first);
	if (!g->db)
		return DM_E_NO_MEMORY;
	if (is_punct(&ps->t, '*')) {
		g->level = DM__LEVEL_DB;
	} else if (is_ident(&ps->t)) {
		g->level = DM__LEVEL_TABLE;
		g->table = ident_text(&ps->t);
		if (!g->table)
			return DM_E_NO_MEMORY;
	} else {
		return syntax_error(ps, "'*' or a table after the schema");
	}
	advance(ps);
	return 0;
}

static int parse_privs(parser *ps, dm__check_grant *g, const char *to)
{
	int rc;

	for (;;) {
		rc = parse_priv(ps, g);
		if (rc)
			return rc;
		if (!is_punct(&ps->t, ','))
			break;
		advance(ps);
	}
	if (!is_word(&ps->t, "ON"))
		return syntax_error(ps, "ON");
	advance(ps);
	rc = parse_level(ps, g);
	if (rc || g->kind == DM__GRANT_OTHER)
		return rc;
	if (!is_word(&ps->t, to))
		return syntax_error(ps, to);
	return 0;
}

/* Role specs (name or name@host) up to `stop`; each is kept as written,
 * e.g. `r`@`%`, for SHOW GRANTS ... USING. */
static int parse_roles(parser *ps, dm__check_grant *g, const char *stop,
		       const char *stop2)
{
	for (;;) {
		const char *start = ps->t.p, *end;
		char *spec;

		if (!is_ident(&ps->t) || is_word(&ps->t, stop) ||
		    is_word(&ps->t, stop2))
			return syntax_error(ps, "a role");
		end = ps->t.p + ps->t.len;
		advance(ps);
		if (is_punct(&ps->t, '@')) {
			advance(ps);
			if (!is_ident(&ps->t))
				return syntax_error(ps, "a host after '@'");
			end = ps->t.p + ps->t.len;
			advance(ps);
		}
		spec = dm__strndup(start, (size_t)(end - start));
		if (!spec || dm__vec_push(&g->roles, &spec)) {
			dm__free(spec);
			return DM_E_NO_MEMORY;
		}
		if (!is_punct(&ps->t, ','))
			break;
		advance(ps);
	}
	if (!is_word(&ps->t, stop) && !is_word(&ps->t, stop2))
		return syntax_error(ps, stop);
	return 0;
}

/* A privilege grant has ON before TO, outside parentheses. */
static bool has_on_before_to(const parser *ps)
{
	lexer lx = ps->lx;
	tok t = ps->t;
	int depth = 0;

	while (t.type != TOK_END && !(depth == 0 && is_word(&t, "TO"))) {
		if (is_punct(&t, '('))
			depth++;
		else if (is_punct(&t, ')') && depth > 0)
			depth--;
		else if (depth == 0 && is_word(&t, "ON"))
			return true;
		t = lex_next(&lx);
	}
	return false;
}

int dm__check_grant_parse(dm__check_grant *g, const char *line, size_t len,
			  dm_error **err)
{
	parser ps;
	int rc;

	memset(g, 0, sizeof(*g));
	dm__vec_init(&g->roles, sizeof(char *));
	memset(&ps, 0, sizeof(ps));
	ps.lx.s = line ? line : "";
	ps.lx.n = line ? len : 0;
	ps.err = err;
	advance(&ps);
	if (is_word(&ps.t, "GRANT")) {
		advance(&ps);
		if (has_on_before_to(&ps)) {
			g->kind = DM__GRANT_PRIVS;
			rc = parse_privs(&ps, g, "TO");
		} else {
			g->kind = DM__GRANT_ROLES;
			rc = parse_roles(&ps, g, "TO", "TO");
		}
	} else if (is_word(&ps.t, "REVOKE")) {
		advance(&ps);
		g->kind = DM__GRANT_REVOKE;
		rc = parse_privs(&ps, g, "FROM");
	} else if (is_word(&ps.t, "SET")) {
		advance(&ps);
		if (!is_word(&ps.t, "DEFAULT")) {
			rc = syntax_error(&ps, "DEFAULT ROLE");
		} else {
			advance(&ps);
			if (!is_word(&ps.t, "ROLE")) {
				rc = syntax_error(&ps, "ROLE");
			} else {
				advance(&ps);
				g->kind = DM__GRANT_DEFAULT_ROLE;
				rc = parse_roles(&ps, g, "FOR", "TO");
			}
		}
	} else {
		rc = syntax_error(&ps, "GRANT, REVOKE or SET DEFAULT ROLE");
	}
	if (!rc && ps.lx.bad)
		rc = dm_error_set(err, DM_E_PARSE_SQL,
				  "SHOW GRANTS line has an unterminated quote");
	if (rc)
		dm__check_grant_free(g);
	return rc;
}

void dm__check_grant_free(dm__check_grant *g)
{
	size_t i;

	if (!g)
		return;
	for (i = 0; i < g->roles.len; i++)
		dm__free(DM__VEC_DATA(&g->roles, char *)[i]);
	dm__vec_free(&g->roles);
	dm__free(g->db);
	dm__free(g->table);
	g->db = g->table = NULL;
}

/* ---------------------------------------------------------- coverage */

/* SQL LIKE as grant tables use it: % any run, _ one byte, \ escapes. */
static bool like_match(const char *pat, const char *s)
{
	const char *star_p = NULL, *star_s = NULL;

	while (*s) {
		if (*pat == '%') {
			star_p = ++pat;
			star_s = s;
			continue;
		}
		if (*pat == '\\' && pat[1]) {
			if (pat[1] == *s) {
				pat += 2;
				s++;
				continue;
			}
		} else if (*pat && (*pat == '_' || *pat == *s)) {
			pat++;
			s++;
			continue;
		}
		if (!star_p)
			return false;
		pat = star_p;
		s = ++star_s;
	}
	while (*pat == '%')
		pat++;
	return *pat == '\0';
}

static bool grant_has(const dm__check_grant *g, dm__check_priv p,
		      unsigned flags)
{
	if (g->all || (g->privs & DM__PRIV_BIT(p)))
		return true;
	/* MySQL 8: FLUSH_TABLES is enough for FLUSH TABLES WITH READ LOCK. */
	if (p == DM__PRIV_RELOAD && (g->privs & DM__PRIV_BIT(DM__PRIV_FLUSH_TABLES)))
		return true;
	/* SHOW MASTER STATUS accepts SUPER where SUPER still includes it. */
	return p == DM__PRIV_REPL_CLIENT &&
	       (flags & DM__PRIV_SUPER_IS_REPL_CLIENT) &&
	       (g->privs & DM__PRIV_BIT(DM__PRIV_SUPER));
}

/* A MySQL partial revoke: REVOKE p ON `db`.* taken out of a global p. */
static bool revoked(const dm__check_grant *grants, size_t n,
		    dm__check_priv p, const char *db)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const dm__check_grant *g = &grants[i];

		if (g->kind == DM__GRANT_REVOKE && g->level == DM__LEVEL_DB &&
		    strcmp(g->db, db) == 0 &&
		    (g->all || (g->privs & DM__PRIV_BIT(p))))
			return true;
	}
	return false;
}

bool dm__check_grants_cover(const dm__check_grant *grants, size_t n,
			    const dm__check_need *need, unsigned flags)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const dm__check_grant *g = &grants[i];

		if (g->kind != DM__GRANT_PRIVS || !grant_has(g, need->priv, flags))
			continue;
		switch (g->level) {
		case DM__LEVEL_GLOBAL:
			if (!need->db ||
			    !revoked(grants, n, need->priv, need->db))
				return true;
			break;
		case DM__LEVEL_DB:
			if (need->db && like_match(g->db, need->db))
				return true;
			break;
		case DM__LEVEL_TABLE:
			if (need->db && need->table &&
			    strcmp(g->db, need->db) == 0 &&
			    strcmp(g->table, need->table) == 0)
				return true;
			break;
		case DM__LEVEL_OTHER:
			break;
		}
	}
	return false;
}

/* ------------------------------------------------------------ report */

/* DM's names in the report, SQL's names in the fix. */
static const char *const priv_report_name[DM__PRIV__COUNT] = {
	"Create", "Select", "Insert", "Update", "Delete", "Super", "Drop",
	"Alter", "Index", "LOCK TABLES", "RELOAD", "REPLICATION CLIENT",
	"REPLICATION SLAVE", "FLUSH_TABLES",
};

static const char *const priv_sql_name[DM__PRIV__COUNT] = {
	"CREATE", "SELECT", "INSERT", "UPDATE", "DELETE", "SUPER", "DROP",
	"ALTER", "INDEX", "LOCK TABLES", "RELOAD", "REPLICATION CLIENT",
	"REPLICATION SLAVE", "FLUSH_TABLES",
};

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* By privilege, then *.* first, then schema, whole schema first, table. */
static int need_cmp(const void *pa, const void *pb)
{
	const dm__check_need *a = *(const dm__check_need *const *)pa;
	const dm__check_need *b = *(const dm__check_need *const *)pb;
	int c;

	if (a->priv != b->priv)
		return a->priv < b->priv ? -1 : 1;
	c = strcmp_null(a->db, b->db);
	return c ? c : strcmp_null(a->table, b->table);
}

/* By object, then privilege: the order GRANT statements are written in. */
static int object_cmp(const void *pa, const void *pb)
{
	const dm__check_need *a = *(const dm__check_need *const *)pa;
	const dm__check_need *b = *(const dm__check_need *const *)pb;
	int c = strcmp_null(a->db, b->db);

	if (!c)
		c = strcmp_null(a->table, b->table);
	if (!c && a->priv != b->priv)
		c = a->priv < b->priv ? -1 : 1;
	return c;
}

static int put_object(dm_buf *b, const dm__check_need *n)
{
	int rc;

	if (!n->db)
		return dm_buf_puts(b, "*.*");
	if (n->table)
		return dm__check_table_id(b, n->db, n->table);
	rc = dm_buf_putc(b, '`');
	for (const char *p = n->db; *p && !rc; p++)
		rc = *p == '`' ? dm_buf_puts(b, "``") : dm_buf_putc(b, *p);
	return rc ? rc : dm_buf_puts(b, "`.*");
}

static bool same_object(const dm__check_need *a, const dm__check_need *b)
{
	return strcmp_null(a->db, b->db) == 0 &&
	       strcmp_null(a->table, b->table) == 0;
}

/* "lack of RELOAD global (*.*) privilege; lack of Select privilege:
 * {`db`.`t1`, `db`.`t2`; `db2`.*}; " */
static int format_lack(dm_buf *msg, const dm__check_need **v, size_t n)
{
	size_t i = 0;
	int rc = 0;

	while (i < n && !rc) {
		dm__check_priv p = v[i]->priv;
		const char *db = NULL;
		bool open = false;

		if (!v[i]->db) {
			rc = dm_buf_printf(msg, "lack of %s global (*.*) "
						"privilege; ",
					   priv_report_name[p]);
			i++;
			continue;
		}
		rc = dm_buf_printf(msg, "lack of %s privilege: {",
				   priv_report_name[p]);
		for (; i < n && !rc && v[i]->priv == p && v[i]->db; i++) {
			if (open && same_object(v[i - 1], v[i]))
				continue; /* asked for twice */
			if (open)
				rc = dm_buf_puts(msg, strcmp(db, v[i]->db) ?
							      "; " : ", ");
			if (!rc)
				rc = put_object(msg, v[i]);
			db = v[i]->db;
			open = true;
		}
		if (!rc)
			rc = dm_buf_puts(msg, "}; ");
	}
	return rc;
}

#define MAX_FIX_STATEMENTS 8

/* GRANT statements that would give what lacks, one per object. */
static int format_fix(dm_buf *fix, const dm__check_need **v, size_t n,
		      const char *account)
{
	size_t i = 0, stmts = 0;
	int rc = 0;

	qsort(v, n, sizeof(*v), object_cmp);
	while (i < n && !rc) {
		size_t j = i;

		if (stmts == MAX_FIX_STATEMENTS) {
			rc = dm_buf_puts(fix, " ...");
			break;
		}
		rc = dm_buf_puts(fix, stmts ? " GRANT " : "GRANT ");
		for (; j < n && !rc && same_object(v[i], v[j]); j++) {
			if (j > i && v[j]->priv == v[j - 1]->priv)
				continue;
			if (j > i)
				rc = dm_buf_puts(fix, ", ");
			if (!rc)
				rc = dm_buf_puts(fix, priv_sql_name[v[j]->priv]);
		}
		if (!rc)
			rc = dm_buf_puts(fix, " ON ");
		if (!rc)
			rc = put_object(fix, v[i]);
		if (!rc)
			rc = dm_buf_printf(fix, " TO %s;",
					   account ? account : "'user'@'host'");
		stmts++;
		i = j;
	}
	return rc;
}

int dm__check_privileges(dm__check_item *it, const char *const *lines,
			 size_t nlines, const dm__check_need *needs,
			 size_t nneeds, unsigned flags, const char *account)
{
	dm__check_grant *grants = NULL;
	const dm__check_need **lack = NULL;
	dm_buf msg = DM_BUF_INIT, fix = DM_BUF_INIT;
	size_t i, ng = 0, nlack = 0;
	int rc = 0;

	if (nlines == 0)
		return dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, NULL,
					    "there is no such grant defined "
					    "for current user on host '%%'");
	grants = dm__calloc(nlines, sizeof(*grants));
	lack = dm__calloc(nneeds ? nneeds : 1, sizeof(*lack));
	if (!grants || !lack) {
		rc = DM_E_NO_MEMORY;
		goto out_free;
	}
	for (ng = 0; ng < nlines; ng++) {
		dm_error *e = NULL;

		rc = dm__check_grant_parse(&grants[ng], lines[ng],
					   strlen(lines[ng]), &e);
		if (rc == DM_E_NO_MEMORY) {
			dm_error_free(e);
			goto out_free;
		}
		if (rc) {
			rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL,
						  NULL, "%s",
						  dm_error_message(e));
			dm_error_free(e);
			goto out_free;
		}
	}
	for (i = 0; i < nneeds; i++)
		if (!dm__check_grants_cover(grants, ng, &needs[i], flags))
			lack[nlack++] = &needs[i];
	if (nlack == 0)
		goto out_free;
	qsort(lack, nlack, sizeof(*lack), need_cmp);
	rc = format_lack(&msg, lack, nlack);
	if (!rc)
		rc = format_fix(&fix, lack, nlack, account);
	if (!rc)
		rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL,
					  fix.data, "%s", msg.data);
	if (!rc)
		rc = dm__check_item_set_instruction(
			it, "Grant the required privileges to the account.");
out_free:
	for (i = 0; grants && i < ng; i++)
		dm__check_grant_free(&grants[i]);
	dm__free(grants);
	dm__free(lack);
	dm_buf_free(&msg);
	dm_buf_free(&fix);
	return rc;
}
