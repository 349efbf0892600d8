/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Connect to a MySQL or MariaDB server through libdm and describe it:
 * version, server_id, binary log settings and the TLS cipher in use. Log
 * lines go to stderr in DM's format.
 *
 *   DM_PASSWORD=secret db-info [--ssl-ca FILE] [--log-level info] HOST PORT USER
 *
 * The password comes from the environment, never from the command line.
 * See dm_db(3), dm_ctx(3) and dm_log(3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dm/dm.h>

static int report(dm_error *err)
{
	dm_buf line = DM_BUF_INIT;

	dm_error_format(&line, err, DM_ERROR_FORMAT_FULL);
	fprintf(stderr, "db-info: %s\n", line.data ? line.data : "");
	dm_buf_free(&line);
	dm_error_free(err);
	return 1;
}

/* One row of `sql` printed as "label: v1 v2 ...". */
static int show(dm_db *db, const char *label, const char *sql, dm_error **err)
{
	dm_db_result *res;
	size_t i;
	int rc = dm_db_query(db, &res, sql, strlen(sql), err);

	if (rc)
		return rc;
	printf("  %-8s", label);
	if (dm_db_result_next(res) == 0) {
		for (i = 0; i < dm_db_result_ncols(res); i++) {
			const char *v = dm_db_result_value(res, i, NULL);

			printf(" %s", v && *v ? v : "-");
		}
	}
	printf("\n");
	dm_db_result_free(res);
	return 0;
}

int main(int argc, char **argv)
{
	dm_db_opts opts = DM_DB_OPTS_INIT;
	dm_log_level level = DM_LOG_WARN;
	dm_error *err = NULL;
	dm_log_file *log = NULL;
	dm_ctx *ctx = NULL;
	dm_db *db = NULL;
	int i = 1, rc;

	for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (strcmp(argv[i], "--ssl-ca") == 0) {
			opts.ssl_ca = argv[i + 1];
			opts.ssl_verify = true;
		} else if (strcmp(argv[i], "--log-level") == 0) {
			if (dm_log_level_parse(&level, argv[i + 1], &err))
				return report(err);
		} else {
			break;
		}
	}
	if (argc - i != 3) {
		fprintf(stderr, "usage: DM_PASSWORD=... db-info [--ssl-ca FILE] "
				"[--log-level LEVEL] HOST PORT USER\n");
		return 2;
	}
	opts.host = argv[i];
	opts.port = (unsigned)strtoul(argv[i + 1], NULL, 10);
	opts.user = argv[i + 2];
	opts.password = getenv("DM_PASSWORD");

	/* Process set-up first, then a context whose logger prints to stderr. */
	if (dm_global_init(&err) || dm_ctx_new(&ctx, &err) ||
	    dm_log_file_open(&log, NULL, &err))
		return report(err);
	dm_ctx_set_logger(ctx, dm_log_file_write, log);
	dm_ctx_set_log_level(ctx, level);

	rc = dm_db_open(&db, ctx, &opts, &err);
	if (rc == 0) {
		printf("%s:%u: %s\n", opts.host, opts.port,
		       dm_db_server_version(db));
		rc = show(db, "server", "SELECT @@server_id, @@version_comment",
			  &err);
	}
	if (rc == 0)
		rc = show(db, "binlog",
			  "SELECT IF(@@log_bin, 'on', 'off'), @@binlog_format, "
			  "@@binlog_row_image, @@gtid_binlog_pos",
			  &err);
	if (rc == 0)
		rc = show(db, "tls", "SHOW SESSION STATUS LIKE 'Ssl_cipher'",
			  &err);
	dm_db_close(db);
	dm_ctx_free(ctx);
	dm_log_file_close(log);
	dm_global_cleanup();
	return rc ? report(err) : 0;
}
