/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sample task file (what `--print-sample-config` shows) and the
 * compiler-style rendering of configuration errors.
 */
#include "cfg/cfg_private.h"

#include <string.h>

static const char sample[] =
	"# Task configuration (DM task.yaml). Every key is described in\n"
	"# dm-task.yaml(5); keys left out keep the value shown here.\n"
	"\n"
	"# ------------------------------------------------------------ the task\n"
	"# A name no other task uses.\n"
	"name: \"test\"\n"
	"# full: copy the data once; incremental: follow the binlog from each\n"
	"# source's meta; all: copy, then follow the binlog.\n"
	"task-mode: \"all\"\n"
	"# Merging sharded tables: \"\" (no DDL coordination), \"pessimistic\"\n"
	"# or \"optimistic\".\n"
	"shard-mode: \"\"\n"
	"# Downstream schema that keeps checkpoints and other task state.\n"
	"meta-schema: \"dm_meta\"\n"
	"# Compare schema and table names case-sensitively in rules.\n"
	"case-sensitive: false\n"
	"# \"strict\" writes the upstream's default collation into CREATE\n"
	"# statements; \"loose\" leaves them as they are.\n"
	"collation_compatible: \"loose\"\n"
	"# Recognise gh-ost and pt-online-schema-change tables by these\n"
	"# expressions (one capturing group: the real table name).\n"
	"online-ddl: true\n"
	"shadow-table-rules: [\"^_(.+)_(?:new|gho)$\"]\n"
	"trash-table-rules: [\"^_(.+)_(?:ghc|del|old)$\"]\n"
	"# Precheck items to skip; dm-task.yaml(5) lists them.\n"
	"ignore-checking-items: []\n"
	"# Remove dump files once they are loaded.\n"
	"clean-dump-file: true\n"
	"\n"
	"target-database:\n"
	"  host: \"192.168.0.1\"\n"
	"  port: 4000\n"
	"  user: \"root\"\n"
	"  # Plain text, or the output of dmctl encrypt.\n"
	"  password: \"\"\n"
	"  # Session variables set on every downstream connection.\n"
	"  session:\n"
	"    sql_mode: \"ANSI_QUOTES,NO_ZERO_IN_DATE,NO_ZERO_DATE\"\n"
	"  # security:\n"
	"  #   ssl-ca: \"/path/to/ca.pem\"\n"
	"  #   ssl-cert: \"/path/to/cert.pem\"\n"
	"  #   ssl-key: \"/path/to/key.pem\"\n"
	"\n"
	"# ------------------------------------------- named rules and settings\n"
	"# Each one must be used by a mysql-instances entry below.\n"
	"routes:\n"
	"  route-rule-1:\n"
	"    schema-pattern: \"test_*\"\n"
	"    table-pattern: \"t_*\"\n"
	"    target-schema: \"test\"\n"
	"    target-table: \"t\"\n"
	"  route-rule-2:\n"
	"    schema-pattern: \"test_*\"\n"
	"    target-schema: \"test\"\n"
	"\n"
	"filters:\n"
	"  filter-rule-1:\n"
	"    schema-pattern: \"test_*\"\n"
	"    table-pattern: \"t_*\"\n"
	"    events: [\"truncate table\", \"drop table\"]\n"
	"    action: Ignore\n"
	"  filter-rule-2:\n"
	"    schema-pattern: \"test_*\"\n"
	"    events: [\"all dml\"]\n"
	"    action: Do\n"
	"\n"
	"expression-filter:\n"
	"  even_c:\n"
	"    schema: \"expr_filter\"\n"
	"    table: \"tbl\"\n"
	"    insert-value-expr: \"c % 2 = 0\"\n"
	"\n"
	"block-allow-list:\n"
	"  bw-rule-1:\n"
	"    do-dbs: [\"~^test.*\", \"user\"]\n"
	"    ignore-dbs: [\"mysql\", \"account\"]\n"
	"    do-tables:\n"
	"      - db-name: \"~^test.*\"\n"
	"        tbl-name: \"~^t.*\"\n"
	"      - db-name: \"user\"\n"
	"        tbl-name: \"information\"\n"
	"  bw-rule-2:\n"
	"    ignore-tables:\n"
	"      - db-name: \"user\"\n"
	"        tbl-name: \"log\"\n"
	"\n"
	"mydumpers:\n"
	"  global:\n"
	"    threads: 4\n"
	"    chunk-filesize: 64\n"
	"    extra-args: \"--consistency none\"\n"
	"\n"
	"loaders:\n"
	"  global:\n"
	"    pool-size: 16\n"
	"    dir: \"./dumped_data\"\n"
	"    import-mode: \"logical\"\n"
	"    on-duplicate-logical: \"replace\"\n"
	"\n"
	"syncers:\n"
	"  global:\n"
	"    worker-count: 16\n"
	"    batch: 100\n"
	"    safe-mode: false\n"
	"    compact: false\n"
	"    multiple-rows: false\n"
	"\n"
	"# ------------------------------------------------------------ sources\n"
	"mysql-instances:\n"
	"  - source-id: \"mysql-replica-01\"\n"
	"    # Where incremental replication starts when the task has no\n"
	"    # checkpoint yet (needed in incremental mode).\n"
	"    meta:\n"
	"      binlog-name: \"binlog.000001\"\n"
	"      binlog-pos: 4\n"
	"      binlog-gtid: \"\"\n"
	"    route-rules: [\"route-rule-1\", \"route-rule-2\"]\n"
	"    filter-rules: [\"filter-rule-1\", \"filter-rule-2\"]\n"
	"    block-allow-list: \"bw-rule-1\"\n"
	"    expression-filters: [\"even_c\"]\n"
	"    mydumper-config-name: \"global\"\n"
	"    loader-config-name: \"global\"\n"
	"    syncer-config-name: \"global\"\n"
	"  - source-id: \"mysql-replica-02\"\n"
	"    # Shortcuts for threads, pool-size and worker-count.\n"
	"    mydumper-thread: 4\n"
	"    loader-thread: 16\n"
	"    syncer-thread: 16\n";

int dm_cfg_task_sample(dm_buf *out)
{
	if (!out)
		return DM_E_INVALID_ARGUMENT;
	return dm_buf_append(out, sample, sizeof(sample) - 1);
}

int dm_cfg_error_format(dm_buf *out, const dm_error *e)
{
	const dm_error_info *info;
	const char *msg, *detail;
	size_t n;

	if (!out)
		return DM_E_INVALID_ARGUMENT;
	if (!e)
		return 0;
	info = dm_error_info_of(e);
	msg = dm_error_message(e);
	detail = msg;
	n = strlen(info->message);
	/* The parser's errors read "<catalog phrase>: FILE:LINE:COL: ...". */
	if (strncmp(msg, info->message, n) == 0 && msg[n] == ':' &&
	    msg[n + 1] == ' ')
		detail = msg + n + 2;
	return dm_buf_printf(out, "%s [code=%d:class=%s:scope=%s:level=%s]",
			     detail, info->code,
			     dm_error_class_name(dm_error_get_class(e)),
			     dm_error_scope_name(dm_error_get_scope(e)),
			     dm_error_level_name(dm_error_get_level(e)));
}
