/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run --check-only: turns the configuration into the plain inputs of
 * dm_check_run (connections, and for each source the tables its rules keep
 * with the tables they are routed to), runs the precheck and prints DM's
 * JSON. The tables are listed the way DM's checker does: every base table
 * of the upstream that the block/allow list keeps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm_run.h"

/* What one source needs to be checked; strings are owned. */
typedef struct src_input {
	dm_db_opts db;
	dm_buf password;            /* decrypted; wiped */
	dm_check_table *tables;
	size_t ntables;
	size_t cap;
} src_input;

static const char list_sql[] =
	"SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES "
	"WHERE TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME";

/* Connection options of a configured database; the password, plaintext
 * or DM-encrypted in the file, is decrypted into `password`. */
int run_db_opts(dm_db_opts *o, dm_buf *password, const dm_cfg_db *db,
		dm_error_scope scope, dm_error **err)
{
	static const dm_db_opts init = DM_DB_OPTS_INIT;
	int rc;

	*o = init;
	o->host = db->host;
	o->port = db->port;
	o->user = db->user;
	o->scope = scope;
	o->session_vars = db->session;
	o->n_session_vars = db->n_session;
	if (db->max_allowed_packet > 0)
		o->max_allowed_packet = (uint64_t)db->max_allowed_packet;
	if (db->security) {
		const dm_cfg_security *s = db->security;

		o->ssl_ca = *s->ssl_ca ? s->ssl_ca : NULL;
		o->ssl_cert = *s->ssl_cert ? s->ssl_cert : NULL;
		o->ssl_key = *s->ssl_key ? s->ssl_key : NULL;
		o->ssl_verify = o->ssl_ca != NULL;
	}
	rc = dm_crypt_decrypt_or_plain(password, db->password, NULL, err);
	if (rc == 0)
		rc = dm_buf_puts(password, "");
	o->password = password->data;
	return rc;
}

static void free_tables(src_input *in)
{
	size_t i;

	for (i = 0; i < in->ntables; i++) {
		free((char *)in->tables[i].schema);
		free((char *)in->tables[i].table);
		free((char *)in->tables[i].target_schema);
		free((char *)in->tables[i].target_table);
	}
	free(in->tables);
	in->tables = NULL;
	in->ntables = in->cap = 0;
}

static int add_table(src_input *in, const char *schema, const char *table,
		     const dm_rule_decision *d)
{
	dm_check_table *t;

	if (in->ntables == in->cap) {
		size_t cap = in->cap ? 2 * in->cap : 64;
		void *grown = realloc(in->tables, cap * sizeof(*in->tables));

		if (!grown)
			return -1;
		in->tables = grown;
		in->cap = cap;
	}
	t = &in->tables[in->ntables];
	t->schema = strdup(schema);
	t->table = strdup(table);
	t->target_schema = strdup(d->target_schema);
	t->target_table = strdup(d->target_table);
	in->ntables++;
	if (!t->schema || !t->table || !t->target_schema || !t->target_table)
		return -1;
	return 0;
}

/* The upstream's base tables that the rules keep, and their targets. */
static int list_tables(src_input *in, dm_ctx *ctx, const dm_rule_set *rs,
		       dm_error **err)
{
	dm_db *db = NULL;
	dm_db_result *res = NULL;
	int rc;

	rc = dm_db_open(&db, ctx, &in->db, err);
	if (rc == 0)
		rc = dm_db_query(db, &res, list_sql, strlen(list_sql), err);
	while (rc == 0 && (rc = dm_db_result_next(res)) == 0) {
		const char *schema = dm_db_result_value(res, 0, NULL);
		const char *table = dm_db_result_value(res, 1, NULL);
		dm_rule_decision d;

		if (!schema || !table)
			continue;
		rc = dm_rule_set_decide(&d, NULL, rs, schema, table,
					DM_FILTER_EVENT_UNSPECIFIED, NULL, 0,
					err);
		if (rc == 0 && d.migrate && add_table(in, schema, table, &d))
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	if (rc == DM_DONE)
		rc = 0;
	dm_db_result_free(res);
	dm_db_close(db);
	return rc;
}

/* DM's dump consistency from a mydumper's extra-args
 * ("--consistency none" or "--consistency=none"); NULL when not set. */
static const char *consistency(const dm_cfg_task *t, dm_buf *out)
{
	size_t i;

	for (i = 0; i < t->n_mysql_instances; i++) {
		const char *a = t->mysql_instances[i]->mydumper->extra_args;
		const char *p = strstr(a, "--consistency");
		size_t n;

		if (!p)
			continue;
		p += strlen("--consistency");
		if (*p != '=' && *p != ' ')
			continue;
		while (*p == '=' || *p == ' ')
			p++;
		n = strcspn(p, " \t");
		dm_buf_clear(out);
		if (n && dm_buf_append(out, p, n) == 0 &&
		    dm_buf_puts(out, "") == 0)
			return out->data;
	}
	return NULL;
}

static dm_check_mode check_mode(dm_cfg_task_mode m)
{
	if (m == DM_CFG_TASK_MODE_FULL)
		return DM_CHECK_MODE_FULL;
	if (m == DM_CFG_TASK_MODE_INCREMENTAL)
		return DM_CHECK_MODE_INCREMENTAL;
	return DM_CHECK_MODE_ALL;
}

static dm_check_shard_mode check_shard_mode(dm_cfg_shard_mode m)
{
	if (m == DM_CFG_SHARD_MODE_PESSIMISTIC)
		return DM_CHECK_SHARD_PESSIMISTIC;
	if (m == DM_CFG_SHARD_MODE_OPTIMISTIC)
		return DM_CHECK_SHARD_OPTIMISTIC;
	return DM_CHECK_SHARD_NONE;
}

static const char *flavor_name(dm_cfg_flavor f)
{
	if (f == DM_CFG_FLAVOR_MYSQL)
		return "mysql";
	if (f == DM_CFG_FLAVOR_MARIADB)
		return "mariadb";
	return NULL;
}

/* Lists the tables of every source and fills `opts`. */
static int prepare(dm_check_opts *opts, dm_check_source *srcs,
		   src_input *in, dm_db_opts *target, dm_buf *target_pw,
		   dm_buf *cons, dm_ctx *ctx, const run_cfg *cfg,
		   dm_error **err)
{
	const dm_cfg_task *t = cfg->task;
	size_t i;
	int rc;

	for (i = 0; i < t->n_mysql_instances; i++) {
		const char *id = t->mysql_instances[i]->source_id;
		const dm_cfg_source *s = run_cfg_source(cfg, id);
		dm_rule_set *rs = NULL;

		rc = run_db_opts(&in[i].db, &in[i].password, s->from,
			     DM_ERR_SCOPE_UPSTREAM, err);
		if (rc == 0)
			rc = dm_rule_set_new(&rs, t, id, s, err);
		if (rc == 0)
			rc = list_tables(&in[i], ctx, rs, err);
		dm_rule_set_free(rs);
		if (rc)
			return rc;
		srcs[i].source_id = id;
		srcs[i].db = &in[i].db;
		srcs[i].flavor = flavor_name(s->flavor);
		srcs[i].enable_gtid = s->enable_gtid;
		srcs[i].tables = in[i].tables;
		srcs[i].ntables = in[i].ntables;
	}
	rc = run_db_opts(target, target_pw, t->target_database,
		     DM_ERR_SCOPE_DOWNSTREAM, err);
	if (rc)
		return rc;
	opts->sources = srcs;
	opts->nsources = t->n_mysql_instances;
	opts->target = target;
	opts->mode = check_mode(t->task_mode);
	opts->shard_mode = check_shard_mode(t->shard_mode);
	opts->task_name = t->name;
	opts->meta_schema = t->meta_schema;
	opts->ignore_items = t->ignore_checking_items;
	opts->nignore_items = t->n_ignore_checking_items;
	opts->dump_consistency = consistency(t, cons);
	return 0;
}

int run_check(dm_ctx *ctx, const run_cfg *cfg, long error_limit,
	      long warn_limit)
{
	size_t n = cfg->task->n_mysql_instances, i;
	dm_check_opts opts = DM_CHECK_OPTS_INIT;
	dm_check_source *srcs = calloc(n ? n : 1, sizeof(*srcs));
	src_input *in = calloc(n ? n : 1, sizeof(*in));
	dm_db_opts target;
	dm_buf target_pw = DM_BUF_INIT, cons = DM_BUF_INIT, json = DM_BUF_INIT;
	dm_check_result *res = NULL;
	dm_error *err = NULL;
	int rc, status = EXIT_FAIL;

	if (!srcs || !in) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	opts.error_limit = error_limit;
	opts.warn_limit = warn_limit;
	rc = prepare(&opts, srcs, in, &target, &target_pw, &cons, ctx, cfg,
		     &err);
	if (rc == 0)
		rc = dm_check_run(&res, ctx, &opts, &err);
	if (rc != 0 && rc != DM_E_TASK_CHECK_SYNC_CONFIG_ERROR) {
		dm_buf msg = DM_BUF_INIT;

		dm_error_format(&msg, err, DM_ERROR_FORMAT_FULL);
		fprintf(stderr, PROG ": %s\n", msg.data ? msg.data : "");
		dm_buf_free(&msg);
		goto out;
	}
	if (dm_check_result_json(&json, res, DM_CHECK_JSON_INDENT) != 0 ||
	    dm_buf_putc(&json, '\n') != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		goto out;
	}
	fwrite(json.data, 1, json.len, stdout);
	status = rc == 0 ? EXIT_OK : EXIT_FAIL;
out:
	for (i = 0; in && i < n; i++) {
		dm_buf_wipe(&in[i].password);
		free_tables(&in[i]);
	}
	dm_buf_wipe(&target_pw);
	dm_buf_free(&cons);
	dm_buf_free(&json);
	dm_check_result_free(res);
	dm_error_free(err);
	free(in);
	free(srcs);
	return status;
}
