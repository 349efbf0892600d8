/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Records both files share: database connections (source `from`, task
 * `target-database`) with their TLS settings, and binlog event filter rules
 * with DM's checks of them.
 */
#include "cfg/cfg_private.h"

#include <stdint.h>
#include <string.h>

#define NO DM__CFG_NO_OFF

/* ------------------------------------------------------------- security */

static const dm__cfg_field security_fields[] = {
	{ "ssl-ca", DM__CFG_STR, 0, offsetof(dm_cfg_security, ssl_ca), NO, 0, 0, NULL },
	{ "ssl-cert", DM__CFG_STR, 0, offsetof(dm_cfg_security, ssl_cert), NO, 0, 0, NULL },
	{ "ssl-key", DM__CFG_STR, 0, offsetof(dm_cfg_security, ssl_key), NO, 0, 0, NULL },
	{ "cert-allowed-cn", DM__CFG_STRV, 0,
	  offsetof(dm_cfg_security, cert_allowed_cn),
	  offsetof(dm_cfg_security, n_cert_allowed_cn), 0, 0, NULL },
};

static const dm__cfg_schema security_schema = {
	"security settings", sizeof(dm_cfg_security), NULL, security_fields,
	sizeof(security_fields) / sizeof(security_fields[0]), NO, NO,
};

/* ------------------------------------------------------------- database */

static int db_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_db *db = rec;

	(void)c;
	db->host = "127.0.0.1";
	db->port = 3306;
	db->max_allowed_packet = -1;
	return 0;
}

static const dm__cfg_field db_fields[] = {
	{ "host", DM__CFG_STR, 0, offsetof(dm_cfg_db, host), NO, 0, 0, NULL },
	{ "port", DM__CFG_UINT, 0, offsetof(dm_cfg_db, port), NO, 1, 65535, NULL },
	{ "user", DM__CFG_STR, 0, offsetof(dm_cfg_db, user), NO, 0, 0, NULL },
	{ "password", DM__CFG_SECRET, 0, offsetof(dm_cfg_db, password), NO, 0, 0, NULL },
	{ "max-allowed-packet", DM__CFG_I64, DM__CFG_SKIP_NEG,
	  offsetof(dm_cfg_db, max_allowed_packet), NO, 0, INT64_MAX, NULL },
	{ "session", DM__CFG_VARS, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_db, session),
	  offsetof(dm_cfg_db, n_session), 0, 0, NULL },
	{ "security", DM__CFG_STRUCT, 0, offsetof(dm_cfg_db, security), NO, 0, 0,
	  &security_schema },
};

const dm__cfg_schema dm__cfg_db_schema = {
	"database settings", sizeof(dm_cfg_db), db_init, db_fields,
	sizeof(db_fields) / sizeof(db_fields[0]), NO, NO,
};

/* --------------------------------------------------------------- filters */

static const dm__cfg_enum action_names[] = {
	{ "Do", DM_CFG_FILTER_ACTION_DO },
	{ "Ignore", DM_CFG_FILTER_ACTION_IGNORE },
	{ NULL, 0 },
};

static const dm__cfg_field filter_fields[] = {
	{ "schema-pattern", DM__CFG_STR, 0, offsetof(dm_cfg_filter, schema_pattern), NO, 0, 0, NULL },
	{ "table-pattern", DM__CFG_STR, 0, offsetof(dm_cfg_filter, table_pattern), NO, 0, 0, NULL },
	{ "events", DM__CFG_STRV, 0, offsetof(dm_cfg_filter, events),
	  offsetof(dm_cfg_filter, n_events), 0, 0, NULL },
	{ "sql-pattern", DM__CFG_STRV, 0, offsetof(dm_cfg_filter, sql_patterns),
	  offsetof(dm_cfg_filter, n_sql_patterns), 0, 0, NULL },
	{ "action", DM__CFG_ENUM, 0, offsetof(dm_cfg_filter, action), NO, 0, 0,
	  action_names },
};

const dm__cfg_schema dm__cfg_filter_schema = {
	"binlog event filter rule", sizeof(dm_cfg_filter), NULL, filter_fields,
	sizeof(filter_fields) / sizeof(filter_fields[0]),
	offsetof(dm_cfg_filter, name), offsetof(dm_cfg_filter, pos),
};

static const char *rule_label(const dm_cfg_filter *f)
{
	return *f->name ? f->name : "(unnamed)";
}

static int check_sql_patterns(dm__cfg_ctx *c, const dm_cfg_filter *f)
{
	dm_buf all = DM_BUF_INIT;
	char why[200];
	size_t i;
	int rc;

	if (!f->n_sql_patterns)
		return 0;
	/* DM joins the patterns into one case-insensitive expression. */
	rc = dm_buf_puts(&all, "(?i)");
	for (i = 0; !rc && i < f->n_sql_patterns; i++) {
		if (i)
			rc = dm_buf_putc(&all, '|');
		if (!rc)
			rc = dm_buf_puts(&all, f->sql_patterns[i]);
	}
	if (!rc)
		rc = dm__cfg_regex_check(all.data, all.len, why, sizeof(why),
					 NULL);
	dm_buf_free(&all);
	if (rc == DM_E_NO_MEMORY)
		return dm__cfg_oom(c);
	if (!rc)
		return 0;
	/* Point at the first pattern that is wrong on its own. */
	for (i = 0; i < f->n_sql_patterns; i++) {
		const char *p = f->sql_patterns[i];

		rc = dm__cfg_regex_check(p, strlen(p), why, sizeof(why), NULL);
		if (rc == DM_E_NO_MEMORY)
			return dm__cfg_oom(c);
		if (rc)
			return dm__cfg_err_val(
				c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
				&f->sql_patterns[i], f,
				"sql-pattern \"%s\" of filter rule %s is not a valid regular expression: %s",
				p, rule_label(f), why);
	}
	return dm__cfg_err_val(c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
			       &f->sql_patterns, f,
			       "the sql-pattern list of filter rule %s does not make a valid regular expression",
			       rule_label(f));
}

int dm__cfg_check_filter(dm__cfg_ctx *c, const dm_cfg_filter *f)
{
	const dm__cfg_where *w = dm__cfg_where_field(c, &f->action);
	size_t i;

	if (!*f->schema_pattern)
		return dm__cfg_err_val(c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
				       &f->schema_pattern, f,
				       "schema-pattern of filter rule %s must not be empty",
				       rule_label(f));
	if (!dm__cfg_wildcard_ok(f->schema_pattern))
		return dm__cfg_err_val(c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
				       &f->schema_pattern, f,
				       "schema-pattern \"%s\" of filter rule %s is not valid: '*' may only end a pattern",
				       f->schema_pattern, rule_label(f));
	if (!dm__cfg_wildcard_ok(f->table_pattern))
		return dm__cfg_err_val(c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
				       &f->table_pattern, f,
				       "table-pattern \"%s\" of filter rule %s is not valid: '*' may only end a pattern",
				       f->table_pattern, rule_label(f));
	for (i = 0; i < f->n_events; i++) {
		const char *ev = dm__cfg_event_name(f->events[i]);

		if (!ev)
			return dm__cfg_err_val(c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
					       &f->events[i], f,
					       "filter rule %s: unknown event \"%s\"",
					       rule_label(f), f->events[i]);
		/* DM keeps event names in lower case. */
		((const char **)f->events)[i] = ev;
	}
	if (w && w->bad)
		return dm__cfg_err_val(c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
				       &f->action, f,
				       "action of filter rule %s must be Do or Ignore, not \"%s\"",
				       rule_label(f), w->bad);
	if (f->action == DM_CFG_FILTER_ACTION_NONE)
		return dm__cfg_err_rec(c, DM_E_CONFIG_BINLOG_EVENT_FILTER, f,
				       "filter rule %s has no action (Do or Ignore)",
				       rule_label(f));
	return check_sql_patterns(c, f);
}

int dm__cfg_check_filter_set(dm__cfg_ctx *c, const dm_cfg_filter *const *f,
			     size_t n, bool case_sensitive,
			     const char *const *refs)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		for (j = 0; j < i; j++) {
			if (!dm__cfg_pattern_eq(f[i]->schema_pattern,
						f[j]->schema_pattern,
						case_sensitive) ||
			    !dm__cfg_pattern_eq(f[i]->table_pattern,
						f[j]->table_pattern,
						case_sensitive))
				continue;
			return dm__cfg_err_key(
				c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
				refs ? (const void *)&refs[i] : NULL, f[i],
				"filter rules %s and %s have the same schema-pattern \"%s\" and table-pattern \"%s\"",
				rule_label(f[j]), rule_label(f[i]),
				f[i]->schema_pattern, f[i]->table_pattern);
		}
	}
	return 0;
}
