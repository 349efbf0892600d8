/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Replicate one source of a DM task until caught up with the upstream,
 * printing every row change on the way and leaving out the deletes of one
 * table:
 *
 *   replicate-with-hook SOURCE.yaml TASK.yaml [TABLE]
 *
 * Passwords in the files may be plain or DM-encrypted. SIGINT stops at the
 * next transaction boundary with the checkpoint saved. See dm_sync(3).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <dm/dm.h>

static dm_sync *unit;

static void on_signal(int sig)
{
	(void)sig;
	dm_sync_stop(unit);
}

static int report(dm_error *err)
{
	dm_buf line = DM_BUF_INIT;

	dm_error_format(&line, err, DM_ERROR_FORMAT_FULL);
	fprintf(stderr, "replicate-with-hook: %s\n", line.data ? line.data : "");
	dm_buf_free(&line);
	dm_error_free(err);
	return 1;
}

/* Connection options from a configuration; the password, decrypted, goes
 * to `pw`, which the options point to. */
static int db_opts(dm_db_opts *o, dm_buf *pw, const dm_cfg_db *db,
		   dm_error_scope scope, dm_error **err)
{
	static const dm_db_opts init = DM_DB_OPTS_INIT;

	*o = init;
	o->host = db->host;
	o->port = db->port;
	o->user = db->user;
	o->session_vars = db->session;
	o->n_session_vars = db->n_session;
	o->scope = scope;
	if (dm_crypt_decrypt_or_plain(pw, db->password ? db->password : "",
				      NULL, err) != 0 ||
	    dm_buf_puts(pw, "") != 0)    /* a NUL-terminated string */
		return -1;
	o->password = pw->data;
	return 0;
}

/* The change hook: print, and drop the deletes of the table in userdata. */
static int on_change(const dm_dml_change *c, const dm_location *loc,
		     bool *drop, void *userdata)
{
	static const char *const ops[] = { "?", "INSERT", "UPDATE", "DELETE" };
	const char *skip_table = userdata;
	const char *table = dm_dml_table_source_name(c->table);
	dm_buf where = DM_BUF_INIT;

	if (dm_location_format(&where, loc) != 0)
		return -1;                   /* out of memory: stop */
	*drop = c->op == DM_DML_DELETE && skip_table &&
		strcmp(table, skip_table) == 0;
	printf("%s `%s`.`%s` -> `%s`.`%s` at %s row %u%s\n",
	       ops[c->op <= DM_DML_DELETE ? c->op : 0],
	       dm_dml_table_source_schema(c->table), table,
	       dm_dml_table_target_schema(c->table),
	       dm_dml_table_target_name(c->table), where.data,
	       (unsigned)loc->row, *drop ? " (dropped)" : "");
	dm_buf_free(&where);
	return 0;
}

int main(int argc, char **argv)
{
	dm_sync_opts so = DM_SYNC_OPTS_INIT;
	dm_cfg_source *src = NULL;
	dm_cfg_task *task = NULL;
	dm_db_opts up, down;
	dm_buf up_pw = DM_BUF_INIT, down_pw = DM_BUF_INIT, status = DM_BUF_INIT;
	dm_error *err = NULL;
	dm_log_file *log = NULL;
	dm_ctx *ctx = NULL;
	int rc;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: replicate-with-hook SOURCE.yaml "
				"TASK.yaml [TABLE]\n");
		return 2;
	}
	if (dm_global_init(&err) || dm_ctx_new(&ctx, &err) ||
	    dm_log_file_open(&log, NULL, &err))
		return report(err);
	dm_ctx_set_logger(ctx, dm_log_file_write, log);
	dm_ctx_set_log_level(ctx, DM_LOG_INFO);

	rc = dm_cfg_source_load_file(&src, argv[1], &err);
	if (rc == 0)
		rc = dm_cfg_task_load_file(&task, argv[2], &err);
	if (rc == 0)
		rc = db_opts(&up, &up_pw, src->from, DM_ERR_SCOPE_UPSTREAM, &err);
	if (rc == 0)
		rc = db_opts(&down, &down_pw, task->target_database,
			     DM_ERR_SCOPE_DOWNSTREAM, &err);
	if (rc == 0) {
		so.task = task;
		so.source = src;
		so.upstream = &up;
		so.downstream = &down;
		so.until_caught_up = true;
		rc = dm_sync_new(&unit, ctx, &so, &err);
	}
	if (rc == 0) {
		dm_sync_set_change_hook(unit, on_change,
					argc == 4 ? argv[3] : NULL);
		signal(SIGINT, on_signal);
		rc = dm_sync_run(unit, &err);
		signal(SIGINT, SIG_DFL);
	}
	if (rc == 0 && dm_sync_status_json(&status, unit, &err) == 0)
		printf("caught up: %s\n", status.data);

	dm_buf_free(&status);
	dm_sync_free(unit);
	dm_buf_wipe(&up_pw);
	dm_buf_wipe(&down_pw);
	dm_cfg_task_free(task);
	dm_cfg_source_free(src);
	dm_ctx_free(ctx);
	dm_log_file_close(log);
	dm_global_cleanup();
	return rc ? report(err) : 0;
}
