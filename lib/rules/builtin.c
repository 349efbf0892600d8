/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Built-in knowledge of DM: the system schemas and the statements that are
 * never replicated, whatever the rules say. The statement list follows DM's
 * regular expressions (pkg/utils builtInSkipDDLs, anchored at the start,
 * case-insensitive), written out by hand so that no regular expression
 * and no global state is needed. Where DM's expressions miss statements its
 * documentation says are skipped, this follows the documentation: every
 * CREATE VIEW form (DM's expression needs ALGORITHM= or DEFINER=), ALTER
 * ... SQL SECURITY ... VIEW, and MariaDB's CREATE OR REPLACE and roles.
 */
#include "rules/rules_private.h"

#include <string.h>

#include "util/alloc.h"

bool dm_rules_is_system_schema(const char *schema)
{
	static const char *const names[] = {
		"mysql", "sys", "information_schema", "performance_schema",
		"metrics_schema", "inspection_schema", "dm_heartbeat"
	};
	size_t i, k;

	if (!schema)
		return false;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		for (k = 0; names[i][k]; k++) {
			unsigned char c = (unsigned char)schema[k];

			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			if (c != (unsigned char)names[i][k])
				break;
		}
		if (!names[i][k] && !schema[k])
			return true;
	}
	return false;
}

typedef struct cur {
	const unsigned char *p;
	size_t n;
	size_t i;
} cur;

/* Go's \s: what DM's expressions call white space. */
static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static unsigned char up(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 32) : c;
}

/* True when the text at i starts with `word` (upper case, any case in the
 * text); the same position after it then. */
static bool at_word(const cur *c, size_t i, const char *word, size_t *after)
{
	size_t k;

	for (k = 0; word[k]; k++) {
		if (i + k >= c->n || up(c->p[i + k]) != (unsigned char)word[k])
			return false;
	}
	if (after)
		*after = i + k;
	return true;
}

static bool kw(cur *c, const char *word)
{
	return at_word(c, c->i, word, &c->i);
}

/* Consumes one or more white space characters. */
static bool ws1(cur *c)
{
	size_t start = c->i;

	while (c->i < c->n && is_ws(c->p[c->i]))
		c->i++;
	return c->i > start;
}

static void ws0(cur *c)
{
	(void)ws1(c);
}

/* `word` followed by at most one white space and '=' (DM's `WORD\s?=`). */
static bool kw_eq(cur *c, const char *word)
{
	cur save = *c;

	if (kw(c, word)) {
		if (c->i < c->n && is_ws(c->p[c->i]))
			c->i++;
		if (c->i < c->n && c->p[c->i] == '=') {
			c->i++;
			return true;
		}
	}
	*c = save;
	return false;
}

/* DM's lazy `.+?WORD`: one character at least, then `word` later on the
 * same line ('.' stops at a newline). A view is found across lines too:
 * DM's documentation says views are never replicated. */
static bool later_word(const cur *c, const char *const *words)
{
	bool same_line = true;
	size_t i, k;

	for (i = c->i + 1; i < c->n; i++) {
		if (c->p[i - 1] == '\n')
			same_line = false;
		for (k = 0; words[k]; k++) {
			if ((same_line || strcmp(words[k], "VIEW") == 0) &&
			    at_word(c, i, words[k], NULL))
				return true;
		}
	}
	return false;
}

static bool any_word(cur *c, const char *const *words)
{
	size_t k;

	for (k = 0; words[k]; k++)
		if (kw(c, words[k]))
			return true;
	return false;
}

static bool skip_create(cur *c)
{
	static const char *const definer_objs[] = {
		"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "VIEW", NULL
	};
	static const char *const view[] = { "VIEW", NULL };
	static const char *const direct[] = {
		"TRIGGER", "PROCEDURE", "FUNCTION", "EVENT", "VIEW",
		"TABLESPACE", "USER", "ROLE", NULL
	};
	cur save;

	if (!ws1(c))
		return false;
	save = *c;
	if (!(kw(c, "OR") && ws1(c) && kw(c, "REPLACE") && ws1(c)))
		*c = save;
	if (kw_eq(c, "DEFINER"))
		return later_word(c, definer_objs);
	if (kw_eq(c, "ALGORITHM"))
		return later_word(c, view);
	save = *c;
	if (kw(c, "SQL") && ws1(c) && kw(c, "SECURITY"))
		return later_word(c, view);
	*c = save;
	if (kw(c, "AGGREGATE")) {
		ws0(c);
		return kw(c, "FUNCTION");
	}
	return any_word(c, direct);
}

static bool skip_alter(cur *c)
{
	static const char *const definer_objs[] = { "EVENT", "VIEW", NULL };
	static const char *const view[] = { "VIEW", NULL };
	static const char *const direct[] = {
		"PROCEDURE", "FUNCTION", "TABLESPACE", "USER", "EVENT", "VIEW",
		NULL
	};
	cur save;

	if (!ws1(c))
		return false;
	if (kw_eq(c, "ALGORITHM"))
		return later_word(c, view);
	if (kw_eq(c, "DEFINER"))
		return later_word(c, definer_objs);
	save = *c;
	if (kw(c, "SQL") && ws1(c) && kw(c, "SECURITY"))
		return later_word(c, view);
	*c = save;
	return any_word(c, direct);
}

static bool skip_drop(cur *c)
{
	static const char *const direct[] = {
		"TRIGGER", "PROCEDURE", "VIEW", "FUNCTION", "TABLESPACE",
		"EVENT", "USER", "ROLE", NULL
	};
	cur save;

	if (!ws1(c))
		return false;
	save = *c;
	/* DROP [/\*!40005 ]TEMPORARY [*\/ ]TABLE, as mysqldump writes it. */
	if (!(kw(c, "/*!40005") && ws1(c)))
		*c = save;
	if (kw(c, "TEMPORARY") && ws1(c)) {
		save = *c;
		if (!(kw(c, "*/") && ws1(c)))
			*c = save;
		return kw(c, "TABLE");
	}
	*c = save;
	return any_word(c, direct);
}

bool dm_rules_is_builtin_skip(const char *sql, size_t len)
{
	static const char *const prefixes[] = {
		"#", "SAVEPOINT", "FLUSH", "GRANT", "REVOKE", NULL
	};
	cur c;

	if (!sql)
		return false;
	c.p = (const unsigned char *)sql;
	c.n = len;
	c.i = 0;
	ws0(&c);
	if (any_word(&c, prefixes))
		return true;
	if (kw(&c, "OPTIMIZE") || kw(&c, "ANALYZE") || kw(&c, "REPAIR"))
		return ws1(&c) && kw(&c, "TABLE");
	if (kw(&c, "CREATE"))
		return skip_create(&c);
	if (kw(&c, "ALTER"))
		return skip_alter(&c);
	if (kw(&c, "DROP"))
		return skip_drop(&c);
	if (kw(&c, "RENAME"))
		return ws1(&c) && kw(&c, "USER");
	if (kw(&c, "SET"))
		return ws1(&c) && kw(&c, "PASSWORD");
	return false;
}

int dm_rules_check_pattern(const char *pattern, dm_error **err)
{
	dm__selector *s = NULL;
	dm__rx_env env;
	int rc;

	if (!pattern || !*pattern)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "pattern must not be empty");
	rc = dm__rx_env_init(&env);
	if (rc)
		return dm_error_set(err, rc, "checking a pattern");
	rc = dm__selector_new(&s, &env, true);
	if (rc) {
		rc = dm_error_set(err, rc, "checking a pattern");
		goto out;
	}
	rc = dm__selector_add(s, pattern, NULL, 0, false,
			      DM_E_INVALID_ARGUMENT, "pattern", err);
out:
	dm__selector_free(s);
	dm__rx_env_done(&env);
	return rc;
}
