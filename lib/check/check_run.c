/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_check_run: one thread per source and one for the target, each with
 * its own connection and its own items; the table and shard rules run on
 * the calling thread once every thread has been joined, so nothing is
 * shared while the threads run.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check/check_private.h"
#include "dm/db.h"
#include "log/logging.h"
#include "util/alloc.h"

#define CHECK_READ_TIMEOUT 30 /* seconds, as DM */
#define DEFAULT_META_SCHEMA "dm_meta"

/* What one source's thread produces. */
typedef struct src_table {
	char *table_id;     /* "`schema`.`table`" upstream */
	dm_sql_stmt *stmt;  /* SHOW CREATE TABLE, parsed */
	char *error;        /* why there is no stmt, unless missing */
	bool missing;       /* dropped (or never there): DM skips it */
} src_table;

typedef struct src_job {
	const dm_check_opts *opts;
	const dm_check_source *src;
	dm_ctx *ctx;
	const bool *enabled;
	bool need_tables;
	pthread_t thread;
	bool started;
	dm__vec items;       /* dm__check_item */
	src_table *tables;   /* src->ntables */
	dm_error *open_err;  /* the connection failed */
	int rc;              /* anything else that stops the check */
	dm_error *err;
} src_job;

typedef struct dst_job {
	const dm_check_opts *opts;
	dm_ctx *ctx;
	const bool *enabled;
	bool want_charsets;
	bool want_fresh;
	pthread_t thread;
	bool started;
	dm__check_item conn_item, priv_item;
	bool has_conn_item, has_priv_item;
	dm__check_charsets cs;
	bool fresh;
	int rc;
	dm_error *err;
} dst_job;

/* ------------------------------------------------------------ helpers */

static int address(dm_buf *b, const dm_db_opts *o)
{
	if (!o->host && o->socket)
		return dm_buf_printf(b, "address of db instance - %s",
				     o->socket);
	return dm_buf_printf(b, "address of db instance - %s:%u",
			     o->host ? o->host : "127.0.0.1",
			     o->port ? o->port : 3306);
}

static dm_db_opts check_opts(const dm_db_opts *in, dm_error_scope scope)
{
	dm_db_opts o = *in;

	if (!o.read_timeout)
		o.read_timeout = CHECK_READ_TIMEOUT;
	if (o.scope == DM_ERR_SCOPE_NOT_SET)
		o.scope = scope;
	return o;
}

/* SHOW GLOBAL VARIABLES LIKE 'name', matched exactly: *out is NULL when
 * the server has no such variable. */
static int global_var(dm_db *db, char **out, const char *name,
		      dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	dm_db_result *res = NULL;
	int rc;

	*out = NULL;
	rc = dm_buf_printf(&sql, "SHOW GLOBAL VARIABLES LIKE '%s'", name);
	if (!rc)
		rc = dm_db_query(db, &res, sql.data, sql.len, err);
	while (!rc && dm_db_result_next(res) == 0) {
		const char *k = dm_db_result_value(res, 0, NULL);
		const char *v = dm_db_result_value(res, 1, NULL);

		if (k && strcasecmp(k, name) == 0) {
			*out = dm__strdup(v ? v : "");
			if (!*out)
				rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			break;
		}
	}
	dm_db_result_free(res);
	dm_buf_free(&sql);
	return rc;
}

/* Every row's first column. */
static int query_column(dm_db *db, dm__vec *lines, const char *sql,
			dm_error **err)
{
	dm_db_result *res = NULL;
	int rc = dm_db_query(db, &res, sql, strlen(sql), err);

	while (!rc && dm_db_result_next(res) == 0) {
		const char *v = dm_db_result_value(res, 0, NULL);
		char *copy = dm__strdup(v ? v : "");

		if (!copy || dm__vec_push(lines, &copy)) {
			dm__free(copy);
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		}
	}
	dm_db_result_free(res);
	return rc;
}

static void free_lines(dm__vec *lines)
{
	size_t i;

	for (i = 0; i < lines->len; i++)
		dm__free_secret(DM__VEC_DATA(lines, char *)[i]);
	dm__vec_free(lines);
}

/* SHOW GRANTS of the session's account. MariaDB's plain SHOW GRANTS adds
 * the grants of the active (default) role and the roles granted to it;
 * on MySQL 8 the granted roles are added with USING, as DM does. The
 * lines may hold password hashes: they are wiped when freed, never
 * logged and never copied into a result. */
static int fetch_grants(dm_db *db, bool mariadb, dm__vec *lines,
			dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	size_t i, j, nroles = 0;
	int rc;

	dm__vec_init(lines, sizeof(char *));
	if (mariadb)
		return query_column(db, lines, "SHOW GRANTS", err);
	rc = query_column(db, lines, "SHOW GRANTS FOR CURRENT_USER", err);
	if (rc)
		return rc;
	rc = dm_buf_puts(&sql, "SHOW GRANTS FOR CURRENT_USER USING ");
	for (i = 0; i < lines->len && !rc; i++) {
		const char *line = DM__VEC_DATA(lines, char *)[i];
		dm__check_grant g;

		if (dm__check_grant_parse(&g, line, strlen(line), NULL) != 0)
			continue; /* reported by the privilege check */
		for (j = 0; g.kind == DM__GRANT_ROLES && j < g.roles.len && !rc;
		     j++)
			rc = dm_buf_printf(&sql, "%s%s", nroles++ ? ", " : "",
					   DM__VEC_DATA(&g.roles, char *)[j]);
		dm__check_grant_free(&g);
	}
	if (rc) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	} else if (nroles) {
		free_lines(lines);
		rc = query_column(db, lines, sql.data, err);
	}
	dm_buf_free(&sql);
	return rc;
}

/* CURRENT_USER() "u@h" as 'u'@'h', for the GRANT statements we suggest. */
static char *account_of(dm_db *db)
{
	dm_buf v = DM_BUF_INIT, out = DM_BUF_INIT;
	bool is_null = true;
	const char *at;
	int rc;

	rc = dm_db_query_value(db, &v, &is_null, "SELECT CURRENT_USER()", NULL);
	if (rc || is_null || !v.data || !(at = strrchr(v.data, '@'))) {
		dm_buf_free(&v);
		return NULL;
	}
	rc = dm_buf_putc(&out, '\'');
	for (const char *p = v.data; *p && !rc; p++) {
		if (p == at)
			rc = dm_buf_puts(&out, "'@'");
		else
			rc = *p == '\'' ? dm_buf_puts(&out, "''") :
					  dm_buf_putc(&out, *p);
	}
	if (!rc)
		rc = dm_buf_putc(&out, '\'');
	dm_buf_free(&v);
	if (rc) {
		dm_buf_free(&out);
		return NULL;
	}
	return dm_buf_detach(&out);
}

static int push_item(dm__vec *items, dm__check_item *it)
{
	int rc = dm__vec_push(items, it);

	if (rc)
		dm__check_item_free(it);
	return rc;
}

/* ---------------------------------------------------------- a source */

typedef struct src_ctx {
	src_job *job;
	dm_db *db;
	const char *version;
	dm__check_version v;
	bool version_ok;
	bool mariadb;
	dm_buf extra;
	dm__vec grants;       /* char *, fetched once for both checks */
	bool grants_fetched;
	dm_error *grants_err;
	char *account;
} src_ctx;

static int start_item(src_ctx *sc, dm__check_item *it, dm__check_key key)
{
	return dm__check_item_init(it, key, NULL, NULL, sc->extra.data,
				   sc->job->src->source_id);
}

static int with_var(src_ctx *sc, dm__check_item *it, const char *name,
		    char **value)
{
	dm_error *e = NULL;
	int rc = global_var(sc->db, value, name, &e);

	if (rc == DM_E_NO_MEMORY) {
		dm_error_free(e);
		return rc;
	}
	if (rc) {
		rc = dm__check_item_db_error(it, e);
		dm_error_free(e);
		return rc ? rc : 1; /* 1: reported, stop this item */
	}
	return 0;
}

static int need_grants(src_ctx *sc)
{
	if (sc->grants_fetched)
		return 0;
	sc->grants_fetched = true;
	if (fetch_grants(sc->db, sc->mariadb, &sc->grants, &sc->grants_err) ==
	    DM_E_NO_MEMORY)
		return DM_E_NO_MEMORY;
	sc->account = account_of(sc->db);
	return 0;
}

static unsigned priv_flags(const src_ctx *sc)
{
	/* Since MariaDB 10.5.2 SUPER no longer includes BINLOG MONITOR. */
	if (sc->mariadb && (!sc->version_ok || sc->v.major > 10 ||
			    (sc->v.major == 10 && (sc->v.minor > 5 ||
						   (sc->v.minor == 5 &&
						    sc->v.patch >= 2)))))
		return 0;
	return DM__PRIV_SUPER_IS_REPL_CLIENT;
}

static int run_privileges(src_ctx *sc, dm__check_item *it,
			  const dm__check_need *needs, size_t n)
{
	int rc = need_grants(sc);

	if (rc)
		return rc;
	if (sc->grants_err)
		return dm__check_item_db_error(it, sc->grants_err);
	return dm__check_privileges(it,
				    (const char *const *)sc->grants.data,
				    sc->grants.len, needs, n, priv_flags(sc),
				    sc->account);
}

static int dump_needs(const src_job *job, dm__check_need **out, size_t *n)
{
	const dm_check_source *src = job->src;
	const char *cons = job->opts->dump_consistency;
	dm__check_need *v;
	size_t i, k = 0;

	v = dm__calloc(2 * src->ntables + 1, sizeof(*v));
	if (!v)
		return DM_E_NO_MEMORY;
	for (i = 0; i < src->ntables; i++) {
		v[k].priv = DM__PRIV_SELECT;
		v[k].db = src->tables[i].schema;
		v[k++].table = src->tables[i].table;
	}
	if (!cons || strcmp(cons, "auto") == 0 || strcmp(cons, "flush") == 0) {
		v[k++].priv = DM__PRIV_RELOAD;
	} else if (strcmp(cons, "lock") == 0) {
		for (i = 0; i < src->ntables; i++) {
			v[k].priv = DM__PRIV_LOCK_TABLES;
			v[k++].db = src->tables[i].schema;
		}
	}
	*out = v;
	*n = k;
	return 0;
}

/* The items that judge one server variable. */
static const struct {
	dm__check_key id;
	const char *var;
} var_items[] = {
	{ DM__CHECK_SERVER_ID, "server_id" },
	{ DM__CHECK_BINLOG_ENABLE, "log_bin" },
	{ DM__CHECK_BINLOG_FORMAT, "binlog_format" },
	{ DM__CHECK_BINLOG_ROW_IMAGE, "binlog_row_image" },
};

/* Reads variable `var` and judges it as item `id`; the item is kept in
 * the job's list unless something other than the check itself failed. */
static int variable_item(src_ctx *sc, dm__check_key id, const char *var)
{
	dm__check_item it;
	char *value = NULL;
	int rc;

	rc = start_item(sc, &it, id);
	if (rc)
		return rc;
	rc = with_var(sc, &it, var, &value);
	if (rc == 0) {
		switch (id) {
		case DM__CHECK_SERVER_ID:
			rc = dm__check_eval_server_id(&it, value != NULL,
						      value);
			break;
		case DM__CHECK_BINLOG_ENABLE:
			rc = dm__check_eval_log_bin(&it, value);
			break;
		case DM__CHECK_BINLOG_FORMAT:
			rc = dm__check_eval_binlog_format(&it, value);
			break;
		default:
			rc = dm__check_eval_row_image(&it, sc->version, value);
			break;
		}
	}
	dm__free(value);
	if (rc < 0) {
		dm__check_item_free(&it);
		return rc;
	}
	return push_item(&sc->job->items, &it);
}

static int run_instance_items(src_ctx *sc)
{
	src_job *job = sc->job;
	const bool *en = job->enabled;
	dm__check_item it;
	char *value2 = NULL;
	size_t i;
	int rc = 0;

	if (en[DM__CHECK_VERSION]) {
		rc = start_item(sc, &it, DM__CHECK_VERSION);
		if (!rc)
			rc = dm__check_eval_version(&it, sc->version,
						    job->src->flavor);
		if (!rc)
			rc = push_item(&job->items, &it);
		if (rc)
			return rc;
	}
	if (en[DM__CHECK_DUMP_PRIV]) {
		dm__check_need *needs = NULL;
		size_t n = 0;

		rc = start_item(sc, &it, DM__CHECK_DUMP_PRIV);
		if (rc)
			return rc;
		rc = dump_needs(job, &needs, &n);
		if (!rc)
			rc = run_privileges(sc, &it, needs, n);
		dm__free(needs);
		if (!rc)
			rc = push_item(&job->items, &it);
		else
			dm__check_item_free(&it);
		if (rc)
			return rc;
	}
	for (i = 0; i < sizeof(var_items) / sizeof(var_items[0]); i++) {
		if (!en[var_items[i].id])
			continue;
		rc = variable_item(sc, var_items[i].id, var_items[i].var);
		if (rc)
			return rc;
	}
	if (en[DM__CHECK_REPL_PRIV]) {
		static const dm__check_need needs[] = {
			{ DM__PRIV_REPL_CLIENT, NULL, NULL },
			{ DM__PRIV_REPL_SLAVE, NULL, NULL },
		};

		rc = start_item(sc, &it, DM__CHECK_REPL_PRIV);
		if (rc)
			return rc;
		rc = run_privileges(sc, &it, needs, 2);
		if (rc) {
			dm__check_item_free(&it);
			return rc;
		}
		rc = push_item(&job->items, &it);
		if (rc)
			return rc;
	}
	if (en[DM__CHECK_GTID_MODE] && job->src->enable_gtid) {
		rc = start_item(sc, &it, DM__CHECK_GTID_MODE);
		if (rc)
			return rc;
		rc = sc->mariadb ? 0 : with_var(sc, &it, "gtid_mode", &value2);
		if (rc == 0)
			rc = dm__check_eval_gtid_mode(&it, sc->mariadb, value2);
		dm__free(value2);
		if (rc < 0) {
			dm__check_item_free(&it);
			return rc;
		}
		rc = push_item(&job->items, &it);
	}
	return rc;
}

static unsigned long parse_sql_mode(const char *mode)
{
	static const struct {
		const char *name;
		unsigned long bits;
	} modes[] = {
		{ "REAL_AS_FLOAT", DM_SQL_MODE_REAL_AS_FLOAT },
		{ "PIPES_AS_CONCAT", DM_SQL_MODE_PIPES_AS_CONCAT },
		{ "ANSI_QUOTES", DM_SQL_MODE_ANSI_QUOTES },
		{ "IGNORE_SPACE", DM_SQL_MODE_IGNORE_SPACE },
		{ "NO_BACKSLASH_ESCAPES", DM_SQL_MODE_NO_BACKSLASH_ESCAPES },
		{ "HIGH_NOT_PRECEDENCE", DM_SQL_MODE_HIGH_NOT_PRECEDENCE },
		{ "ANSI", DM_SQL_MODE_REAL_AS_FLOAT |
				  DM_SQL_MODE_PIPES_AS_CONCAT |
				  DM_SQL_MODE_ANSI_QUOTES |
				  DM_SQL_MODE_IGNORE_SPACE },
		{ "ORACLE", DM_SQL_MODE_PIPES_AS_CONCAT |
				    DM_SQL_MODE_ANSI_QUOTES |
				    DM_SQL_MODE_IGNORE_SPACE },
		{ "POSTGRESQL", DM_SQL_MODE_PIPES_AS_CONCAT |
					DM_SQL_MODE_ANSI_QUOTES |
					DM_SQL_MODE_IGNORE_SPACE },
		{ "MSSQL", DM_SQL_MODE_PIPES_AS_CONCAT |
				   DM_SQL_MODE_ANSI_QUOTES |
				   DM_SQL_MODE_IGNORE_SPACE },
		{ "DB2", DM_SQL_MODE_PIPES_AS_CONCAT | DM_SQL_MODE_ANSI_QUOTES |
				 DM_SQL_MODE_IGNORE_SPACE },
		{ "MAXDB", DM_SQL_MODE_PIPES_AS_CONCAT |
				   DM_SQL_MODE_ANSI_QUOTES |
				   DM_SQL_MODE_IGNORE_SPACE },
	};
	unsigned long bits = 0;
	const char *p = mode;
	size_t i;

	while (p && *p) {
		size_t len = strcspn(p, ",");

		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			if (strlen(modes[i].name) == len &&
			    strncasecmp(p, modes[i].name, len) == 0)
				bits |= modes[i].bits;
		p += len;
		if (*p)
			p++;
	}
	return bits;
}

static int set_table_error(src_table *t, const char *what, const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;
	int rc;

	if (e && dm_error_raw_cause(e)[0])
		rc = dm_buf_printf(&b, "%s: %s", what, dm_error_raw_cause(e));
	else
		rc = dm_buf_printf(&b, "%s: %s", what,
				   e ? dm_error_message(e) : "no result");
	if (rc)
		return rc;
	t->error = dm_buf_detach(&b);
	return 0;
}

/* SHOW CREATE TABLE of every table, parsed as the session would. */
static int fetch_tables(src_ctx *sc)
{
	src_job *job = sc->job;
	const dm_check_source *src = job->src;
	dm_sql_parse_opts popts = DM_SQL_PARSE_OPTS_INIT;
	dm_buf sql = DM_BUF_INIT, mode = DM_BUF_INIT;
	bool is_null = true;
	size_t i;
	int rc = 0;

	job->tables = dm__calloc(src->ntables ? src->ntables : 1,
				 sizeof(*job->tables));
	if (!job->tables)
		return DM_E_NO_MEMORY;
	if (dm_db_query_value(sc->db, &mode, &is_null,
			      "SELECT @@SESSION.sql_mode", NULL) == 0 &&
	    !is_null)
		popts.sql_mode = parse_sql_mode(mode.data);
	dm_buf_free(&mode);
	popts.mariadb = sc->mariadb;
	if (sc->version_ok)
		popts.server_version = sc->v.major * 10000 + sc->v.minor * 100 +
				       sc->v.patch;
	for (i = 0; i < src->ntables && !rc; i++) {
		const dm_check_table *tb = &src->tables[i];
		src_table *t = &job->tables[i];
		dm_db_result *res = NULL;
		dm_error *e = NULL;
		dm_buf id = DM_BUF_INIT;
		const char *text;
		size_t len = 0;

		rc = dm__check_table_id(&id, tb->schema, tb->table);
		if (rc)
			break;
		t->table_id = dm_buf_detach(&id);
		dm_buf_clear(&sql);
		rc = dm_buf_puts(&sql, "SHOW CREATE TABLE ");
		if (!rc)
			rc = dm_db_quote_ident(&sql, tb->schema,
					       strlen(tb->schema));
		if (!rc)
			rc = dm_buf_putc(&sql, '.');
		if (!rc)
			rc = dm_db_quote_ident(&sql, tb->table,
					       strlen(tb->table));
		if (rc)
			break;
		if (dm_db_query(sc->db, &res, sql.data, sql.len, &e) != 0) {
			unsigned no = dm_error_server_errno(e);

			if (no == 1146 || no == 1049)
				t->missing = true; /* dropped meanwhile */
			else
				rc = set_table_error(t, "SHOW CREATE TABLE failed",
						     e);
			dm_error_free(e);
			continue;
		}
		text = dm_db_result_next(res) == 0 ?
			       dm_db_result_value(res, 1, &len) :
			       NULL;
		if (!text) {
			rc = set_table_error(t, "SHOW CREATE TABLE failed", NULL);
		} else if (dm_sql_parse(&t->stmt, text, len, &popts, &e) != 0) {
			rc = e && dm_error_status(e) == DM_E_NO_MEMORY ?
				     DM_E_NO_MEMORY :
				     set_table_error(t, "statement cannot be "
							"parsed",
						     e);
			t->stmt = NULL;
		}
		dm_error_free(e);
		dm_db_result_free(res);
	}
	dm_buf_free(&sql);
	return rc;
}

static void *source_main(void *arg)
{
	src_job *job = arg;
	src_ctx sc;
	dm_db_opts o = check_opts(job->src->db, DM_ERR_SCOPE_UPSTREAM);
	int rc;

	memset(&sc, 0, sizeof(sc));
	sc.job = job;
	dm__vec_init(&sc.grants, sizeof(char *));
	if (dm_db_open(&sc.db, job->ctx, &o, &job->open_err) != 0)
		return NULL;
	sc.version = dm_db_server_version(sc.db);
	sc.version_ok = dm__check_version_parse(&sc.v, sc.version) == 0;
	sc.mariadb = dm_db_is_mariadb(sc.db) || sc.v.mariadb;
	rc = address(&sc.extra, job->src->db);
	if (!rc)
		rc = run_instance_items(&sc);
	if (!rc && job->need_tables)
		rc = fetch_tables(&sc);
	if (rc)
		job->rc = dm_error_set(&job->err, rc,
				       "precheck of source %s stopped",
				       job->src->source_id);
	free_lines(&sc.grants);
	dm_error_free(sc.grants_err);
	dm__free(sc.account);
	dm_buf_free(&sc.extra);
	dm_db_close(sc.db);
	return NULL;
}

/* ---------------------------------------------------------- the target */

/* Each target schema and the meta schema: the load and sync units create,
 * change and fill tables there. */
static int target_needs(const dm_check_opts *opts, dm__check_need **out,
			size_t *n)
{
	static const dm__check_priv privs[] = {
		DM__PRIV_CREATE, DM__PRIV_SELECT, DM__PRIV_INSERT,
		DM__PRIV_UPDATE, DM__PRIV_DELETE, DM__PRIV_DROP,
		DM__PRIV_ALTER, DM__PRIV_INDEX,
	};
	const size_t np = sizeof(privs) / sizeof(privs[0]);
	dm__map seen;
	dm__check_need *v;
	size_t s, t, p, total = 1, k = 0;
	int rc = 0;

	for (s = 0; s < opts->nsources; s++)
		total += opts->sources[s].ntables;
	v = dm__calloc(total * np, sizeof(*v));
	if (!v)
		return DM_E_NO_MEMORY;
	dm__map_init(&seen, DM__MAP_BYTES, NULL);
	for (s = 0; s <= opts->nsources && !rc; s++) {
		size_t nt = s < opts->nsources ? opts->sources[s].ntables : 1;

		for (t = 0; t < nt && !rc; t++) {
			const char *db = s < opts->nsources ?
				dm__check_target_schema(&opts->sources[s].tables[t]) :
				opts->meta_schema && *opts->meta_schema ?
				opts->meta_schema :
				DEFAULT_META_SCHEMA;

			if (dm__map_find(NULL, &seen, db, strlen(db)))
				continue;
			rc = dm__map_put(NULL, &seen, db, strlen(db), v);
			for (p = 0; p < np && !rc; p++) {
				v[k].priv = privs[p];
				v[k++].db = db;
			}
		}
	}
	dm__map_free(&seen);
	if (rc) {
		dm__free(v);
		return rc;
	}
	*out = v;
	*n = k;
	return 0;
}

static int target_privileges(dst_job *job, dm_db *db)
{
	dm__check_need *needs = NULL;
	dm__vec lines;
	dm_error *e = NULL;
	char *account = NULL;
	size_t n = 0;
	int rc;

	rc = fetch_grants(db, dm_db_is_mariadb(db), &lines, &e);
	if (rc == DM_E_NO_MEMORY)
		goto out;
	if (rc) {
		rc = dm__check_item_db_error(&job->priv_item, e);
		goto out;
	}
	rc = target_needs(job->opts, &needs, &n);
	if (rc)
		goto out;
	account = account_of(db);
	/* SUPER says nothing about schema privileges: no flags. */
	rc = dm__check_privileges(&job->priv_item,
				  (const char *const *)lines.data, lines.len,
				  needs, n, 0, account);
out:
	free_lines(&lines);
	dm_error_free(e);
	dm__free(needs);
	dm__free(account);
	return rc;
}

static void target_charsets(dst_job *job, dm_db *db)
{
	dm__vec names;
	size_t i;
	int rc, pass;

	for (pass = 0; pass < 2; pass++) {
		dm__vec_init(&names, sizeof(char *));
		rc = query_column(db, &names,
				  pass ? "SELECT COLLATION_NAME FROM "
					 "information_schema.COLLATIONS" :
					 "SELECT CHARACTER_SET_NAME FROM "
					 "information_schema.CHARACTER_SETS",
				  NULL);
		for (i = 0; !rc && i < names.len; i++)
			rc = dm__check_charsets_add(
				&job->cs, pass == 1,
				DM__VEC_DATA(&names, char *)[i]);
		free_lines(&names);
		if (rc) {
			/* Fall back to the built-in list. */
			dm__check_charsets_free(&job->cs);
			dm__check_charsets_init(&job->cs);
			dm__warn(job->ctx, "precheck uses the built-in "
					   "character set list",
				 "reason", "target did not list its own");
			return;
		}
	}
	job->cs.from_target = true;
}

/* DM compares shards only for a task that has not stored checkpoints. */
static void target_fresh(dst_job *job, dm_db *db)
{
	const dm_check_opts *o = job->opts;
	const char *meta = o->meta_schema && *o->meta_schema ?
				   o->meta_schema : DEFAULT_META_SCHEMA;
	const char *suffix[2] = { "_loader_checkpoint", "_syncer_checkpoint" };
	dm_buf sql = DM_BUF_INIT, name = DM_BUF_INIT, v = DM_BUF_INIT;
	bool is_null = true;
	int rc, i;

	rc = dm_buf_puts(&sql, "SELECT COUNT(*) FROM information_schema.TABLES "
			       "WHERE TABLE_SCHEMA = ");
	if (!rc)
		rc = dm_db_quote_value(&sql, meta, strlen(meta), 0);
	if (!rc)
		rc = dm_buf_puts(&sql, " AND TABLE_NAME IN (");
	for (i = 0; i < 2 && !rc; i++) {
		dm_buf_clear(&name);
		rc = dm_buf_printf(&name, "%s%s", o->task_name, suffix[i]);
		if (!rc && i)
			rc = dm_buf_puts(&sql, ", ");
		if (!rc)
			rc = dm_db_quote_value(&sql, name.data, name.len, 0);
	}
	if (!rc)
		rc = dm_buf_putc(&sql, ')');
	if (!rc)
		rc = dm_db_query_value(db, &v, &is_null, sql.data, NULL);
	if (!rc && !is_null && v.data && strcmp(v.data, "0") != 0) {
		job->fresh = false;
		dm__info(job->ctx, "precheck skips sharding tables: the task "
				   "has checkpoints",
			 "task", o->task_name);
	}
	dm_buf_free(&sql);
	dm_buf_free(&name);
	dm_buf_free(&v);
}

static void *target_main(void *arg)
{
	dst_job *job = arg;
	const bool *en = job->enabled;
	dm_db_opts o = check_opts(job->opts->target, DM_ERR_SCOPE_DOWNSTREAM);
	dm_buf extra = DM_BUF_INIT;
	dm_db *db = NULL;
	dm_error *e = NULL;
	int rc;

	rc = address(&extra, job->opts->target);
	if (!rc && en[DM__CHECK_TARGET_CONN]) {
		rc = dm__check_item_init(&job->conn_item, DM__CHECK_TARGET_CONN,
					 NULL, NULL, extra.data, NULL);
		job->has_conn_item = rc == 0;
	}
	if (!rc && en[DM__CHECK_TARGET_PRIV]) {
		rc = dm__check_item_init(&job->priv_item, DM__CHECK_TARGET_PRIV,
					 NULL, NULL, extra.data, NULL);
		job->has_priv_item = rc == 0;
	}
	if (rc)
		goto out;
	if (dm_db_open(&db, job->ctx, &o, &e) != 0) {
		if (job->has_conn_item)
			rc = dm__check_item_db_error(&job->conn_item, e);
		if (!rc && job->has_priv_item)
			rc = job->has_conn_item ?
				     dm__check_item_error(
					     &job->priv_item, DM_CHECK_FAIL,
					     NULL, NULL, NULL,
					     "cannot check: no connection "
					     "to the target DB") :
				     dm__check_item_db_error(&job->priv_item, e);
		goto out;
	}
	if (job->has_priv_item)
		rc = target_privileges(job, db);
	if (!rc && job->want_charsets)
		target_charsets(job, db);
	if (!rc && job->want_fresh)
		target_fresh(job, db);
out:
	if (rc)
		job->rc = dm_error_set(&job->err, rc,
				       "precheck of the target stopped");
	dm_error_free(e);
	dm_buf_free(&extra);
	dm_db_close(db);
	return NULL;
}

/* --------------------------------------------------------- assembling */

static int table_schema_item(dm__vec *items, src_job *jobs, size_t nsrc,
			     const dm__check_charsets *cs)
{
	dm__check_item it;
	size_t s, t;
	int rc;

	rc = dm__check_item_init(&it, DM__CHECK_TABLE_SCHEMA, NULL, NULL, NULL,
				 NULL);
	for (s = 0; s < nsrc && !rc; s++) {
		for (t = 0; t < jobs[s].src->ntables && !rc; t++) {
			const src_table *tb = &jobs[s].tables[t];

			if (tb->missing)
				continue;
			if (!tb->stmt)
				rc = dm__check_item_error(
					&it, DM_CHECK_FAIL, NULL, NULL, NULL,
					"table %s %s", tb->table_id,
					tb->error ? tb->error : "");
			else
				rc = dm__check_table_eval(&it, tb->table_id,
							  tb->stmt, cs);
		}
	}
	if (rc) {
		dm__check_item_free(&it);
		return rc;
	}
	return push_item(items, &it);
}

typedef struct shard_group {
	char *target_id;
	dm__vec members; /* dm__check_shard_member */
} shard_group;

static int shard_items(dm__vec *items, const dm_check_opts *opts,
		       src_job *jobs, const bool *en)
{
	dm__map index;
	dm__vec groups = DM__VEC_INIT(sizeof(shard_group));
	dm_buf id = DM_BUF_INIT, name = DM_BUF_INIT;
	bool optimistic = opts->shard_mode == DM_CHECK_SHARD_OPTIMISTIC;
	size_t s, t, g;
	int rc = 0;

	dm__map_init(&index, DM__MAP_BYTES, NULL);
	for (s = 0; s < opts->nsources && !rc; s++) {
		for (t = 0; t < jobs[s].src->ntables && !rc; t++) {
			const dm_check_table *tb = &jobs[s].src->tables[t];
			const src_table *st = &jobs[s].tables[t];
			dm__check_shard_member m;
			void *slot = NULL;
			shard_group *grp;

			if (st->missing)
				continue;
			dm_buf_clear(&id);
			rc = dm__check_table_id(&id,
						dm__check_target_schema(tb),
						dm__check_target_table(tb));
			if (rc)
				break;
			if (!dm__map_find(&slot, &index, id.data, id.len)) {
				grp = dm__vec_push_zero(&groups);
				if (!grp) {
					rc = DM_E_NO_MEMORY;
					break;
				}
				dm__vec_init(&grp->members, sizeof(m));
				grp->target_id = dm__strdup(id.data);
				slot = (void *)(uintptr_t)groups.len;
				rc = grp->target_id ?
					     dm__map_put(NULL, &index, id.data,
							 id.len, slot) :
					     DM_E_NO_MEMORY;
				if (rc)
					break;
			}
			grp = DM__VEC_DATA(&groups, shard_group) +
			      ((uintptr_t)slot - 1);
			m.source_id = jobs[s].src->source_id;
			m.table_id = st->table_id;
			m.stmt = st->stmt;
			m.error = st->error;
			rc = dm__vec_push(&grp->members, &m);
		}
	}
	for (g = 0; g < groups.len && !rc; g++) {
		shard_group *grp = DM__VEC_DATA(&groups, shard_group) + g;
		dm__check_item it;

		if (grp->members.len < 2)
			continue;
		dm_buf_clear(&name);
		rc = dm_buf_printf(&name, "%ssharding table %s consistency "
					  "checking",
				   optimistic ? "optimistic " : "",
				   grp->target_id);
		if (!rc)
			rc = dm__check_item_init(
				&it, DM__CHECK_SHARD_SCHEMA, name.data,
				optimistic ? "check consistency of sharding "
					     "table structures for Optimistic "
					     "Sharding Merge" :
					     NULL,
				NULL, NULL);
		if (rc)
			break;
		rc = dm__check_shard_eval(&it, grp->target_id,
					  grp->members.data, grp->members.len,
					  optimistic, en[DM__CHECK_AUTO_INC]);
		if (rc)
			dm__check_item_free(&it);
		else
			rc = push_item(items, &it);
	}
	for (g = 0; g < groups.len; g++) {
		shard_group *grp = DM__VEC_DATA(&groups, shard_group) + g;

		dm__free(grp->target_id);
		dm__vec_free(&grp->members);
	}
	dm__vec_free(&groups);
	dm__map_free(&index);
	dm_buf_free(&id);
	dm_buf_free(&name);
	return rc;
}

/* ---------------------------------------------------------------- run */

static int validate(const dm_check_opts *opts, dm_error **err)
{
	const char *c = opts->dump_consistency;
	size_t s, t;

	if (opts->version != 1)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_check_opts version %u", opts->version);
	if (opts->nsources && !opts->sources)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "sources missing");
	if (c && strcmp(c, "auto") && strcmp(c, "flush") &&
	    strcmp(c, "lock") && strcmp(c, "snapshot") && strcmp(c, "none"))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dump consistency \"%s\"", c);
	for (s = 0; s < opts->nsources; s++) {
		const dm_check_source *src = &opts->sources[s];

		if (!src->source_id || !src->db ||
		    (src->ntables && !src->tables))
			return dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "source %zu lacks source_id, "
					    "connection or tables",
					    s);
		for (t = 0; t < src->ntables; t++)
			if (!src->tables[t].schema || !src->tables[t].table ||
			    !*src->tables[t].schema || !*src->tables[t].table)
				return dm_error_set(err, DM_E_INVALID_ARGUMENT,
						    "source %s table %zu lacks "
						    "a name",
						    src->source_id, t);
	}
	return 0;
}

static void free_jobs(src_job *jobs, size_t n)
{
	size_t i, t;

	for (i = 0; jobs && i < n; i++) {
		for (t = 0; t < jobs[i].items.len; t++)
			dm__check_item_free(
				DM__VEC_DATA(&jobs[i].items, dm__check_item) + t);
		dm__vec_free(&jobs[i].items);
		for (t = 0; jobs[i].tables && t < jobs[i].src->ntables; t++) {
			dm__free(jobs[i].tables[t].table_id);
			dm__free(jobs[i].tables[t].error);
			dm_sql_stmt_free(jobs[i].tables[t].stmt);
		}
		dm__free(jobs[i].tables);
		dm_error_free(jobs[i].open_err);
		dm_error_free(jobs[i].err);
	}
	dm__free(jobs);
}

static void start(pthread_t *th, bool *started, void *(*fn)(void *),
		  void *arg)
{
	*started = pthread_create(th, NULL, fn, arg) == 0;
	if (!*started)
		fn(arg); /* no thread: do it here */
}

static int collect(dm__vec *items, dm__vec *from)
{
	size_t i;
	int rc = dm__vec_reserve(items, from->len);

	if (rc)
		return rc;
	for (i = 0; i < from->len; i++)
		dm__vec_push(items, DM__VEC_DATA(from, dm__check_item) + i);
	dm__vec_clear(from);
	return 0;
}

static void log_done(dm_ctx *ctx, const dm_check_result *res)
{
	dm_check_summary sum;
	char total[24], failed[24], warning[24];

	if (!dm__log_enabled(ctx, DM_LOG_INFO))
		return;
	dm_check_result_summary(&sum, res);
	snprintf(total, sizeof(total), "%ld", sum.total);
	snprintf(failed, sizeof(failed), "%ld", sum.failed);
	snprintf(warning, sizeof(warning), "%ld", sum.warning);
	dm__info(ctx, "precheck finished", "passed",
		 sum.passed ? "true" : "false", "total", total, "failed",
		 failed, "warning", warning);
}

int dm_check_run(dm_check_result **out, dm_ctx *ctx,
		 const dm_check_opts *opts, dm_error **err)
{
	bool en[DM__CHECK__COUNT], any = false, need_tables;
	dm__vec items = DM__VEC_INIT(sizeof(dm__check_item));
	src_job *jobs = NULL;
	dst_job dst;
	dm_check_result *res = NULL;
	size_t i;
	int rc, k;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT, "out is NULL");
	*out = NULL;
	if (!opts)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT, "opts is NULL");
	rc = validate(opts, err);
	if (!rc)
		rc = dm__check_plan(en, opts, err);
	if (rc)
		return rc;
	for (k = 0; k < DM__CHECK__COUNT; k++)
		any = any || en[k];
	if (!any) {
		rc = dm__check_result_new(out, &items, false, opts->error_limit,
					  opts->warn_limit);
		return rc ? dm_error_set(err, rc, NULL) : 0;
	}
	need_tables = en[DM__CHECK_TABLE_SCHEMA] || en[DM__CHECK_SHARD_SCHEMA];
	if (need_tables) {
		rc = dm__check_same_table_names(opts, err);
		if (rc)
			return rc;
	}
	if ((en[DM__CHECK_TARGET_CONN] || en[DM__CHECK_TARGET_PRIV]) &&
	    !opts->target)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "no target database to check");
	dm__info(ctx, "precheck started", "task",
		 opts->task_name ? opts->task_name : "");

	memset(&dst, 0, sizeof(dst));
	dst.opts = opts;
	dst.ctx = ctx;
	dst.enabled = en;
	dst.fresh = true;
	dst.want_charsets = en[DM__CHECK_TABLE_SCHEMA] && opts->target;
	dst.want_fresh = en[DM__CHECK_SHARD_SCHEMA] && opts->target &&
			 opts->task_name && *opts->task_name;
	dm__check_charsets_init(&dst.cs);
	jobs = dm__calloc(opts->nsources ? opts->nsources : 1, sizeof(*jobs));
	if (!jobs) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free;
	}
	for (i = 0; i < opts->nsources; i++) {
		jobs[i].opts = opts;
		jobs[i].src = &opts->sources[i];
		jobs[i].ctx = ctx;
		jobs[i].enabled = en;
		jobs[i].need_tables = need_tables;
		dm__vec_init(&jobs[i].items, sizeof(dm__check_item));
	}
	if (opts->target && (en[DM__CHECK_TARGET_CONN] ||
			     en[DM__CHECK_TARGET_PRIV] || dst.want_charsets ||
			     dst.want_fresh))
		start(&dst.thread, &dst.started, target_main, &dst);
	for (i = 0; i < opts->nsources; i++)
		start(&jobs[i].thread, &jobs[i].started, source_main, &jobs[i]);
	for (i = 0; i < opts->nsources; i++)
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
	if (dst.started)
		pthread_join(dst.thread, NULL);

	/* Everything below runs on this thread only. */
	for (i = 0; i < opts->nsources; i++) {
		const dm_check_source *src = jobs[i].src;

		if (jobs[i].rc) {
			rc = jobs[i].rc;
			if (err) {
				*err = jobs[i].err;
				jobs[i].err = NULL;
			}
			goto out_free;
		}
		if (jobs[i].open_err) {
			dm_error *cause = jobs[i].open_err;

			jobs[i].open_err = NULL;
			if (!err) {
				dm_error_free(cause);
				rc = DM_E_TASK_CHECK_FAILED_OPEN_DB;
				goto out_free;
			}
			*err = cause;
			rc = dm_error_set(err, DM_E_TASK_CHECK_FAILED_OPEN_DB,
					  "source %s: %s@%s:%u",
					  src->source_id,
					  src->db->user ? src->db->user : "",
					  src->db->host ? src->db->host :
							  "127.0.0.1",
					  src->db->port ? src->db->port : 3306);
			goto out_free;
		}
	}
	if (dst.rc) {
		rc = dst.rc;
		if (err) {
			*err = dst.err;
			dst.err = NULL;
		}
		goto out_free;
	}
	rc = 0;
	if (dst.has_conn_item) {
		dst.has_conn_item = false;
		rc = push_item(&items, &dst.conn_item);
	}
	if (!rc && dst.has_priv_item) {
		dst.has_priv_item = false;
		rc = push_item(&items, &dst.priv_item);
	}
	for (i = 0; i < opts->nsources && !rc; i++)
		rc = collect(&items, &jobs[i].items);
	if (!rc && en[DM__CHECK_TABLE_SCHEMA])
		rc = table_schema_item(&items, jobs, opts->nsources, &dst.cs);
	if (!rc && en[DM__CHECK_SHARD_SCHEMA] && dst.fresh)
		rc = shard_items(&items, opts, jobs, en);
	if (!rc)
		rc = dm__check_result_new(&res, &items, true, opts->error_limit,
					  opts->warn_limit);
	if (rc) {
		rc = dm_error_set(err, rc, "cannot assemble the check result");
		goto out_free;
	}
	log_done(ctx, res);
	*out = res;
	rc = dm_check_result_error(res, err);

out_free:
	for (i = 0; i < items.len; i++)
		dm__check_item_free(DM__VEC_DATA(&items, dm__check_item) + i);
	dm__vec_free(&items);
	if (dst.has_conn_item)
		dm__check_item_free(&dst.conn_item);
	if (dst.has_priv_item)
		dm__check_item_free(&dst.priv_item);
	dm__check_charsets_free(&dst.cs);
	dm_error_free(dst.err);
	free_jobs(jobs, opts->nsources);
	return rc;
}
