/* SPDX-License-Identifier: Apache-2.0 */
/*
 * task.yaml: keys, defaults and checks follow DM's TaskConfig (and the
 * per-source SubTaskConfig checks DM runs when a task starts), in DM's
 * order, so a file gets the error DM would give first.
 */
#include "cfg/cfg_private.h"
#include "dm/sql.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NO DM__CFG_NO_OFF
#define T(m) offsetof(dm_cfg_task, m)
#define I(m) offsetof(dm_cfg_instance, m)
#define L(m) offsetof(dm_cfg_loader, m)
#define V(m) offsetof(dm_cfg_validator, m)

#define SECOND 1000000000ll
#define MINUTE (60 * SECOND)
#define MAX_SOURCE_ID 32

static const char DEFAULT_SHADOW_RULE[] = "^_(.+)_(?:new|gho)$";
static const char DEFAULT_TRASH_RULE[] = "^_(.+)_(?:ghc|del|old)$";

/* --------------------------------------------------------------- records */

static const dm__cfg_field meta_fields[] = {
	{ "binlog-name", DM__CFG_STR, 0, offsetof(dm_cfg_meta, binlog_name), NO, 0, 0, NULL },
	{ "binlog-pos", DM__CFG_U32, 0, offsetof(dm_cfg_meta, binlog_pos), NO, 0, 0, NULL },
	{ "binlog-gtid", DM__CFG_STR, 0, offsetof(dm_cfg_meta, binlog_gtid), NO, 0, 0, NULL },
};

static const dm__cfg_schema meta_schema = {
	"meta", sizeof(dm_cfg_meta), NULL, meta_fields,
	sizeof(meta_fields) / sizeof(meta_fields[0]), NO, NO,
};

static const dm__cfg_field route_fields[] = {
	{ "schema-pattern", DM__CFG_STR, 0, offsetof(dm_cfg_route, schema_pattern), NO, 0, 0, NULL },
	{ "table-pattern", DM__CFG_STR, 0, offsetof(dm_cfg_route, table_pattern), NO, 0, 0, NULL },
	{ "target-schema", DM__CFG_STR, 0, offsetof(dm_cfg_route, target_schema), NO, 0, 0, NULL },
	{ "target-table", DM__CFG_STR, 0, offsetof(dm_cfg_route, target_table), NO, 0, 0, NULL },
};

static const dm__cfg_schema route_schema = {
	"route rule", sizeof(dm_cfg_route), NULL, route_fields,
	sizeof(route_fields) / sizeof(route_fields[0]),
	offsetof(dm_cfg_route, name), offsetof(dm_cfg_route, pos),
};

static const dm__cfg_field ba_table_fields[] = {
	{ "db-name", DM__CFG_STR, 0, offsetof(dm_cfg_ba_table, db_name), NO, 0, 0, NULL },
	{ "tbl-name", DM__CFG_STR, 0, offsetof(dm_cfg_ba_table, tbl_name), NO, 0, 0, NULL },
};

static const dm__cfg_schema ba_table_schema = {
	"table of a block-allow list", sizeof(dm_cfg_ba_table), NULL,
	ba_table_fields, sizeof(ba_table_fields) / sizeof(ba_table_fields[0]),
	NO, NO,
};

static const dm__cfg_field ba_fields[] = {
	{ "do-dbs", DM__CFG_STRV, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_ba_list, do_dbs),
	  offsetof(dm_cfg_ba_list, n_do_dbs), 0, 0, NULL },
	{ "ignore-dbs", DM__CFG_STRV, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_ba_list, ignore_dbs),
	  offsetof(dm_cfg_ba_list, n_ignore_dbs), 0, 0, NULL },
	{ "do-tables", DM__CFG_SEQ, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_ba_list, do_tables),
	  offsetof(dm_cfg_ba_list, n_do_tables), 0, 0, &ba_table_schema },
	{ "ignore-tables", DM__CFG_SEQ, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_ba_list, ignore_tables),
	  offsetof(dm_cfg_ba_list, n_ignore_tables), 0, 0, &ba_table_schema },
};

static const dm__cfg_schema ba_schema = {
	"block-allow list", sizeof(dm_cfg_ba_list), NULL, ba_fields,
	sizeof(ba_fields) / sizeof(ba_fields[0]),
	offsetof(dm_cfg_ba_list, name), offsetof(dm_cfg_ba_list, pos),
};

static const dm__cfg_field cm_fields[] = {
	{ "schema-pattern", DM__CFG_STR, 0, offsetof(dm_cfg_column_mapping, schema_pattern), NO, 0, 0, NULL },
	{ "table-pattern", DM__CFG_STR, 0, offsetof(dm_cfg_column_mapping, table_pattern), NO, 0, 0, NULL },
	{ "source-column", DM__CFG_STR, 0, offsetof(dm_cfg_column_mapping, source_column), NO, 0, 0, NULL },
	{ "target-column", DM__CFG_STR, 0, offsetof(dm_cfg_column_mapping, target_column), NO, 0, 0, NULL },
	{ "expression", DM__CFG_STR, 0, offsetof(dm_cfg_column_mapping, expression), NO, 0, 0, NULL },
	{ "arguments", DM__CFG_STRV, 0, offsetof(dm_cfg_column_mapping, arguments),
	  offsetof(dm_cfg_column_mapping, n_arguments), 0, 0, NULL },
	{ "create-table-query", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_column_mapping, create_table_query), NO, 0, 0, NULL },
};

static const dm__cfg_schema cm_schema = {
	"column mapping rule", sizeof(dm_cfg_column_mapping), NULL, cm_fields,
	sizeof(cm_fields) / sizeof(cm_fields[0]),
	offsetof(dm_cfg_column_mapping, name), offsetof(dm_cfg_column_mapping, pos),
};

static const dm__cfg_field expr_fields[] = {
	{ "schema", DM__CFG_STR, 0, offsetof(dm_cfg_expr_filter, schema), NO, 0, 0, NULL },
	{ "table", DM__CFG_STR, 0, offsetof(dm_cfg_expr_filter, table), NO, 0, 0, NULL },
	{ "insert-value-expr", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_expr_filter, insert_value_expr), NO, 0, 0, NULL },
	{ "update-old-value-expr", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_expr_filter, update_old_value_expr), NO, 0, 0, NULL },
	{ "update-new-value-expr", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_expr_filter, update_new_value_expr), NO, 0, 0, NULL },
	{ "delete-value-expr", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_expr_filter, delete_value_expr), NO, 0, 0, NULL },
};

static const dm__cfg_schema expr_schema = {
	"expression filter", sizeof(dm_cfg_expr_filter), NULL, expr_fields,
	sizeof(expr_fields) / sizeof(expr_fields[0]),
	offsetof(dm_cfg_expr_filter, name), offsetof(dm_cfg_expr_filter, pos),
};

static int mydumper_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_mydumper *m = rec;

	(void)c;
	m->mydumper_path = "./bin/mydumper";
	m->threads = 4;
	m->chunk_filesize = "64";
	m->chunk_filesize_bytes = 64u << 20;
	m->skip_tz_utc = true;
	return 0;
}

static const dm__cfg_field mydumper_fields[] = {
	{ "threads", DM__CFG_INT, 0, offsetof(dm_cfg_mydumper, threads), NO, 1, INT_MAX, NULL },
	{ "chunk-filesize", DM__CFG_STR, 0, offsetof(dm_cfg_mydumper, chunk_filesize), NO, 0, 0, NULL },
	{ "statement-size", DM__CFG_U64, 0, offsetof(dm_cfg_mydumper, statement_size), NO, 0, 0, NULL },
	{ "rows", DM__CFG_U64, 0, offsetof(dm_cfg_mydumper, rows), NO, 0, 0, NULL },
	{ "where", DM__CFG_STR, 0, offsetof(dm_cfg_mydumper, where), NO, 0, 0, NULL },
	{ "skip-tz-utc", DM__CFG_BOOL, 0, offsetof(dm_cfg_mydumper, skip_tz_utc), NO, 0, 0, NULL },
	{ "extra-args", DM__CFG_STR, 0, offsetof(dm_cfg_mydumper, extra_args), NO, 0, 0, NULL },
	{ "mydumper-path", DM__CFG_STR, 0, offsetof(dm_cfg_mydumper, mydumper_path), NO, 0, 0, NULL },
};

static const dm__cfg_schema mydumper_schema = {
	"mydumper configuration", sizeof(dm_cfg_mydumper), mydumper_init,
	mydumper_fields, sizeof(mydumper_fields) / sizeof(mydumper_fields[0]),
	offsetof(dm_cfg_mydumper, name), offsetof(dm_cfg_mydumper, pos),
};

/* "physical" (TiDB Lightning's local backend) is refused in check_task. */
static const dm__cfg_enum import_modes[] = {
	{ "logical", DM_CFG_IMPORT_MODE_LOGICAL },
	{ "sql", DM_CFG_IMPORT_MODE_LOGICAL },
	{ "loader", DM_CFG_IMPORT_MODE_LOGICAL },
	{ NULL, 0 },
};

static const dm__cfg_enum on_duplicates[] = {
	{ "replace", DM_CFG_ON_DUPLICATE_REPLACE },
	{ "error", DM_CFG_ON_DUPLICATE_ERROR },
	{ "ignore", DM_CFG_ON_DUPLICATE_IGNORE },
	{ NULL, 0 },
};

/* The physical-import enums: DM lowers the value and reads "" as the
 * default, which is 0 in each. */
static const dm__cfg_enum on_duplicates_physical[] = {
	{ "none", DM_CFG_ON_DUPLICATE_PHYSICAL_NONE },
	{ "manual", DM_CFG_ON_DUPLICATE_PHYSICAL_MANUAL },
	{ "", DM_CFG_ON_DUPLICATE_PHYSICAL_NONE },
	{ NULL, 0 },
};

static const dm__cfg_enum checksum_levels[] = {
	{ "required", DM_CFG_OP_LEVEL_REQUIRED },
	{ "optional", DM_CFG_OP_LEVEL_OPTIONAL },
	{ "off", DM_CFG_OP_LEVEL_OFF },
	{ "", DM_CFG_OP_LEVEL_REQUIRED },
	{ NULL, 0 },
};

/* analyze defaults to optional: the table maps "" there. */
static const dm__cfg_enum analyze_levels[] = {
	{ "required", DM_CFG_OP_LEVEL_REQUIRED },
	{ "optional", DM_CFG_OP_LEVEL_OPTIONAL },
	{ "off", DM_CFG_OP_LEVEL_OFF },
	{ "", DM_CFG_OP_LEVEL_OPTIONAL },
	{ NULL, 0 },
};

static int loader_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_loader *l = rec;

	(void)c;
	l->pool_size = 16;
	l->dir = "./dumped_data";
	l->analyze = DM_CFG_OP_LEVEL_OPTIONAL;
	return 0;
}

static const dm__cfg_field loader_fields[] = {
	{ "pool-size", DM__CFG_INT, 0, offsetof(dm_cfg_loader, pool_size), NO, 0, INT_MAX, NULL },
	{ "dir", DM__CFG_STR, 0, offsetof(dm_cfg_loader, dir), NO, 0, 0, NULL },
	{ "import-mode", DM__CFG_ENUM, DM__CFG_ICASE, offsetof(dm_cfg_loader, import_mode),
	  NO, 0, 0, import_modes },
	{ "on-duplicate-logical", DM__CFG_ENUM, DM__CFG_ICASE,
	  offsetof(dm_cfg_loader, on_duplicate), NO, 0, 0, on_duplicates },
	/* The older name of on-duplicate-logical. */
	{ "on-duplicate", DM__CFG_ENUM, DM__CFG_ICASE | DM__CFG_NOPRINT,
	  offsetof(dm_cfg_loader, on_duplicate), NO, 0, 0, on_duplicates },
	/* DM's physical import; printed only when set. */
	{ "sorting-dir-physical", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  L(sorting_dir_physical), NO, 0, 0, NULL },
	{ "on-duplicate-physical", DM__CFG_ENUM, DM__CFG_ICASE | DM__CFG_SKIP_DEFAULT,
	  L(on_duplicate_physical), NO, 0, 0, on_duplicates_physical },
	{ "disk-quota-physical", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  L(disk_quota_physical), NO, 0, 0, NULL },
	{ "checksum-physical", DM__CFG_ENUM, DM__CFG_ICASE | DM__CFG_SKIP_DEFAULT,
	  L(checksum_physical), NO, 0, 0, checksum_levels },
	{ "analyze", DM__CFG_ENUM, DM__CFG_ICASE | DM__CFG_SKIP_DEFAULT, L(analyze),
	  NO, 0, 0, analyze_levels },
	{ "range-concurrency", DM__CFG_INT, DM__CFG_SKIP_EMPTY,
	  L(range_concurrency), NO, INT_MIN, INT_MAX, NULL },
	{ "compress-kv-pairs", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  L(compress_kv_pairs), NO, 0, 0, NULL },
	{ "pd-addr", DM__CFG_STR, DM__CFG_SKIP_EMPTY, L(pd_addr), NO, 0, 0, NULL },
};

static const dm__cfg_schema loader_schema = {
	"loader configuration", sizeof(dm_cfg_loader), loader_init, loader_fields,
	sizeof(loader_fields) / sizeof(loader_fields[0]),
	offsetof(dm_cfg_loader, name), offsetof(dm_cfg_loader, pos),
};

static int syncer_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_syncer *s = rec;

	(void)c;
	s->worker_count = 16;
	s->batch = 100;
	s->queue_size = 1024;
	s->checkpoint_flush_interval = 30;
	s->safe_mode_duration_ns = -1; /* 2 x checkpoint-flush-interval */
	return 0;
}

static const dm__cfg_field syncer_fields[] = {
	{ "worker-count", DM__CFG_INT, 0, offsetof(dm_cfg_syncer, worker_count), NO, 1, INT_MAX, NULL },
	{ "batch", DM__CFG_INT, 0, offsetof(dm_cfg_syncer, batch), NO, 1, INT_MAX, NULL },
	{ "queue-size", DM__CFG_INT, 0, offsetof(dm_cfg_syncer, queue_size), NO, 0, INT_MAX, NULL },
	{ "checkpoint-flush-interval", DM__CFG_INT, 0,
	  offsetof(dm_cfg_syncer, checkpoint_flush_interval), NO, 0, INT_MAX / 2, NULL },
	{ "safe-mode", DM__CFG_BOOL, 0, offsetof(dm_cfg_syncer, safe_mode), NO, 0, 0, NULL },
	{ "safe-mode-duration", DM__CFG_DUR, 0,
	  offsetof(dm_cfg_syncer, safe_mode_duration_ns), NO, 0, 0, NULL },
	{ "compact", DM__CFG_BOOL, 0, offsetof(dm_cfg_syncer, compact), NO, 0, 0, NULL },
	{ "multiple-rows", DM__CFG_BOOL, 0, offsetof(dm_cfg_syncer, multiple_rows), NO, 0, 0, NULL },
	/* libdm's own key; printed only when set, so DM's files print as
	 * they did. */
	{ "atomic-transactions", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_syncer, atomic_transactions), NO, 0, 0, NULL },
	{ "enable-ansi-quotes", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY,
	  offsetof(dm_cfg_syncer, enable_ansi_quotes), NO, 0, 0, NULL },
	{ "meta-file", DM__CFG_STR, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_syncer, meta_file), NO, 0, 0, NULL },
	{ "max-retry", DM__CFG_INT, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_syncer, max_retry), NO, 0, INT_MAX, NULL },
	{ "auto-fix-gtid", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_syncer, auto_fix_gtid), NO, 0, 0, NULL },
	{ "enable-gtid", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_syncer, enable_gtid), NO, 0, 0, NULL },
	{ "disable-detect", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, offsetof(dm_cfg_syncer, disable_detect), NO, 0, 0, NULL },
};

static const dm__cfg_schema syncer_schema = {
	"syncer configuration", sizeof(dm_cfg_syncer), syncer_init, syncer_fields,
	sizeof(syncer_fields) / sizeof(syncer_fields[0]),
	offsetof(dm_cfg_syncer, name), offsetof(dm_cfg_syncer, pos),
};

static const dm__cfg_field tidb_fields[] = {
	{ "status-port", DM__CFG_INT, 0, offsetof(dm_cfg_tidb, status_port), NO, 0, 65535, NULL },
	{ "pd-addr", DM__CFG_STR, 0, offsetof(dm_cfg_tidb, pd_addr), NO, 0, 0, NULL },
	{ "backend", DM__CFG_STR, 0, offsetof(dm_cfg_tidb, backend), NO, 0, 0, NULL },
};

static const dm__cfg_schema tidb_schema = {
	"tidb settings", sizeof(dm_cfg_tidb), NULL, tidb_fields,
	sizeof(tidb_fields) / sizeof(tidb_fields[0]), NO, NO,
};

/* Mode names match case-sensitively in DM; "" means none. */
static const dm__cfg_enum validation_modes[] = {
	{ "none", DM_CFG_VALIDATION_NONE },
	{ "fast", DM_CFG_VALIDATION_FAST },
	{ "full", DM_CFG_VALIDATION_FULL },
	{ "", DM_CFG_VALIDATION_NONE },
	{ NULL, 0 },
};

/* Durations DM keeps as written, negative ones included. */
static const dm__cfg_field validator_fields[] = {
	{ "mode", DM__CFG_ENUM, 0, V(mode), NO, 0, 0, validation_modes },
	{ "worker-count", DM__CFG_INT, 0, V(worker_count), NO, INT_MIN, INT_MAX, NULL },
	{ "validate-interval", DM__CFG_DUR, 0, V(validate_interval_ns), NO,
	  LLONG_MIN, 0, NULL },
	{ "check-interval", DM__CFG_DUR, 0, V(check_interval_ns), NO, LLONG_MIN, 0,
	  NULL },
	{ "row-error-delay", DM__CFG_DUR, 0, V(row_error_delay_ns), NO, LLONG_MIN, 0,
	  NULL },
	{ "meta-flush-interval", DM__CFG_DUR, 0, V(meta_flush_interval_ns), NO,
	  LLONG_MIN, 0, NULL },
	{ "batch-query-size", DM__CFG_INT, 0, V(batch_query_size), NO, INT_MIN,
	  INT_MAX, NULL },
	{ "max-pending-row-size", DM__CFG_STR, 0, V(max_pending_row_size), NO, 0, 0,
	  NULL },
	{ "max-pending-row-count", DM__CFG_INT, 0, V(max_pending_row_count), NO,
	  INT_MIN, INT_MAX, NULL },
};

static const dm__cfg_schema validator_schema = {
	"validator configuration", sizeof(dm_cfg_validator), NULL,
	validator_fields, sizeof(validator_fields) / sizeof(validator_fields[0]),
	V(name), V(pos),
};

static const dm__cfg_field experimental_fields[] = {
	{ "async-checkpoint-flush", DM__CFG_BOOL, 0,
	  offsetof(dm_cfg_experimental, async_checkpoint_flush), NO, 0, 0, NULL },
};

static const dm__cfg_schema experimental_schema = {
	"experimental settings", sizeof(dm_cfg_experimental), NULL,
	experimental_fields,
	sizeof(experimental_fields) / sizeof(experimental_fields[0]), NO, NO,
};

static int instance_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_instance *in = rec;

	in->mydumper = dm__cfg_new_rec(c, &mydumper_schema);
	in->loader = dm__cfg_new_rec(c, &loader_schema);
	in->syncer = dm__cfg_new_rec(c, &syncer_schema);
	return in->mydumper && in->loader && in->syncer ? 0 : DM_E_NO_MEMORY;
}

/* An inline unit block prints only when no named one is used (`min` holds
 * the offset of the name). */
static const dm__cfg_field instance_fields[] = {
	{ "source-id", DM__CFG_STR, 0, I(source_id), NO, 0, 0, NULL },
	{ "meta", DM__CFG_STRUCT, 0, I(meta), NO, 0, 0, &meta_schema },
	{ "route-rules", DM__CFG_STRV, DM__CFG_SKIP_EMPTY, I(route_rules),
	  I(n_route_rules), 0, 0, NULL },
	{ "filter-rules", DM__CFG_STRV, DM__CFG_SKIP_EMPTY, I(filter_rules),
	  I(n_filter_rules), 0, 0, NULL },
	{ "column-mapping-rules", DM__CFG_STRV, DM__CFG_SKIP_EMPTY,
	  I(column_mapping_rules), I(n_column_mapping_rules), 0, 0, NULL },
	{ "expression-filters", DM__CFG_STRV, DM__CFG_SKIP_EMPTY,
	  I(expression_filters), I(n_expression_filters), 0, 0, NULL },
	{ "block-allow-list", DM__CFG_STR, DM__CFG_SKIP_EMPTY, I(block_allow_list),
	  NO, 0, 0, NULL },
	{ "black-white-list", DM__CFG_STR, DM__CFG_NOPRINT, I(black_white_list),
	  NO, 0, 0, NULL },
	{ "mydumper-config-name", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  I(mydumper_config_name), NO, 0, 0, NULL },
	{ "mydumper", DM__CFG_STRUCT, DM__CFG_UNLESS_NAMED, I(mydumper),
	  I(mydumper_inline), (long long)I(mydumper_config_name), 0,
	  &mydumper_schema },
	{ "mydumper-thread", DM__CFG_INT, DM__CFG_SKIP_EMPTY, I(mydumper_thread),
	  NO, 0, INT_MAX, NULL },
	{ "loader-config-name", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  I(loader_config_name), NO, 0, 0, NULL },
	{ "loader", DM__CFG_STRUCT, DM__CFG_UNLESS_NAMED, I(loader),
	  I(loader_inline), (long long)I(loader_config_name), 0, &loader_schema },
	{ "loader-thread", DM__CFG_INT, DM__CFG_SKIP_EMPTY, I(loader_thread), NO,
	  0, INT_MAX, NULL },
	{ "syncer-config-name", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  I(syncer_config_name), NO, 0, 0, NULL },
	{ "syncer", DM__CFG_STRUCT, DM__CFG_UNLESS_NAMED, I(syncer),
	  I(syncer_inline), (long long)I(syncer_config_name), 0, &syncer_schema },
	{ "syncer-thread", DM__CFG_INT, DM__CFG_SKIP_EMPTY, I(syncer_thread), NO,
	  0, INT_MAX, NULL },
	{ "validator-config-name", DM__CFG_STR, DM__CFG_SKIP_EMPTY,
	  I(validator_config_name), NO, 0, 0, NULL },
};

static const dm__cfg_schema instance_schema = {
	"mysql-instances entry", sizeof(dm_cfg_instance), instance_init,
	instance_fields, sizeof(instance_fields) / sizeof(instance_fields[0]),
	NO, I(pos),
};

static const dm__cfg_enum task_modes[] = {
	{ "full", DM_CFG_TASK_MODE_FULL },
	{ "incremental", DM_CFG_TASK_MODE_INCREMENTAL },
	{ "all", DM_CFG_TASK_MODE_ALL },
	{ NULL, 0 },
};

static const dm__cfg_enum shard_modes[] = {
	{ "", DM_CFG_SHARD_MODE_NONE },
	{ "pessimistic", DM_CFG_SHARD_MODE_PESSIMISTIC },
	{ "optimistic", DM_CFG_SHARD_MODE_OPTIMISTIC },
	{ NULL, 0 },
};

static const dm__cfg_enum online_schemes[] = {
	{ "", DM_CFG_ONLINE_DDL_SCHEME_NONE },
	{ "gh-ost", DM_CFG_ONLINE_DDL_SCHEME_GH_OST },
	{ "pt", DM_CFG_ONLINE_DDL_SCHEME_PT },
	{ NULL, 0 },
};

static const dm__cfg_enum collations[] = {
	{ "loose", DM_CFG_COLLATION_LOOSE },
	{ "strict", DM_CFG_COLLATION_STRICT },
	{ "", DM_CFG_COLLATION_LOOSE },
	{ NULL, 0 },
};

static int task_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_task *t = rec;

	(void)c;
	t->meta_schema = "dm_meta";
	t->clean_dump_file = true;
	t->heartbeat_update_interval = 1;
	t->heartbeat_report_interval = 10;
	return 0;
}

static const dm__cfg_field task_fields[] = {
	{ "name", DM__CFG_STR, 0, T(name), NO, 0, 0, NULL },
	{ "task-mode", DM__CFG_ENUM, 0, T(task_mode), NO, 0, 0, task_modes },
	{ "is-sharding", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, T(is_sharding), NO, 0, 0, NULL },
	{ "shard-mode", DM__CFG_ENUM, 0, T(shard_mode), NO, 0, 0, shard_modes },
	{ "strict-optimistic-shard-mode", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY,
	  T(strict_optimistic_shard_mode), NO, 0, 0, NULL },
	{ "meta-schema", DM__CFG_STR, 0, T(meta_schema), NO, 0, 0, NULL },
	{ "case-sensitive", DM__CFG_BOOL, 0, T(case_sensitive), NO, 0, 0, NULL },
	{ "collation_compatible", DM__CFG_ENUM, 0, T(collation_compatible), NO,
	  0, 0, collations },
	{ "online-ddl", DM__CFG_BOOL, 0, T(online_ddl), NO, 0, 0, NULL },
	{ "online-ddl-scheme", DM__CFG_ENUM, DM__CFG_SKIP_EMPTY, T(online_ddl_scheme),
	  NO, 0, 0, online_schemes },
	{ "shadow-table-rules", DM__CFG_STRV, 0, T(shadow_table_rules),
	  T(n_shadow_table_rules), 0, 0, NULL },
	{ "trash-table-rules", DM__CFG_STRV, 0, T(trash_table_rules),
	  T(n_trash_table_rules), 0, 0, NULL },
	{ "ignore-checking-items", DM__CFG_STRV, 0, T(ignore_checking_items),
	  T(n_ignore_checking_items), 0, 0, NULL },
	{ "clean-dump-file", DM__CFG_BOOL, 0, T(clean_dump_file), NO, 0, 0, NULL },
	{ "timezone", DM__CFG_STR, DM__CFG_SKIP_EMPTY, T(timezone), NO, 0, 0, NULL },
	{ "enable-heartbeat", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, T(enable_heartbeat),
	  NO, 0, 0, NULL },
	{ "heartbeat-update-interval", DM__CFG_INT, 0, T(heartbeat_update_interval),
	  NO, 0, INT_MAX, NULL },
	{ "heartbeat-report-interval", DM__CFG_INT, 0, T(heartbeat_report_interval),
	  NO, 0, INT_MAX, NULL },
	{ "ansi-quotes", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, T(ansi_quotes), NO, 0, 0, NULL },
	{ "remove-meta", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, T(remove_meta), NO, 0, 0, NULL },
	{ "target-database", DM__CFG_STRUCT, 0, T(target_database), NO, 0, 0,
	  &dm__cfg_db_schema },
	{ "tidb", DM__CFG_STRUCT, 0, T(tidb), NO, 0, 0, &tidb_schema },
	{ "routes", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(routes), T(n_routes), 0, 0,
	  &route_schema },
	{ "filters", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(filters), T(n_filters), 0, 0,
	  &dm__cfg_filter_schema },
	{ "column-mappings", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(column_mappings),
	  T(n_column_mappings), 0, 0, &cm_schema },
	{ "expression-filter", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(expression_filters),
	  T(n_expression_filters), 0, 0, &expr_schema },
	{ "block-allow-list", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(block_allow_lists),
	  T(n_block_allow_lists), 0, 0, &ba_schema },
	{ "black-white-list", DM__CFG_MAP, DM__CFG_NOPRINT, T(black_white_lists),
	  T(n_black_white_lists), 0, 0, &ba_schema },
	{ "mydumpers", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(mydumpers), T(n_mydumpers),
	  0, 0, &mydumper_schema },
	{ "loaders", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(loaders), T(n_loaders), 0, 0,
	  &loader_schema },
	{ "syncers", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(syncers), T(n_syncers), 0, 0,
	  &syncer_schema },
	{ "validators", DM__CFG_MAP, DM__CFG_SKIP_EMPTY, T(validators),
	  T(n_validators), 0, 0, &validator_schema },
	{ "experimental", DM__CFG_STRUCT, 0, T(experimental), NO, 0, 0,
	  &experimental_schema },
	{ "mysql-instances", DM__CFG_SEQ, 0, T(mysql_instances),
	  T(n_mysql_instances), 0, 0, &instance_schema },
};

static const dm__cfg_schema task_schema = {
	"task configuration", sizeof(dm_cfg_task), task_init, task_fields,
	sizeof(task_fields) / sizeof(task_fields[0]), NO, NO,
};

/* ---------------------------------------------------------------- lookups */

/* Index of the record named `name` in a MAP array, or -1. */
static long find_named(const void *const *recs, size_t n, size_t name_off,
		       const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *rn;

		memcpy(&rn, (const char *)recs[i] + name_off, sizeof(rn));
		if (strcmp(rn, name) == 0)
			return (long)i;
	}
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --------------------------------------------------------------- checks */

/*
 * DM parses each expression of an expression filter when it reads the task
 * (as the WHERE clause of a SELECT) and rejects the task when one does not
 * parse. Whether libdm can also evaluate it is decided when the filter is
 * compiled (dm_expr_filter_new).
 */
static int check_expr_grammar(dm__cfg_ctx *c, const dm_cfg_expr_filter *e)
{
	static const char *const keys[] = {
		"insert-value-expr", "update-old-value-expr",
		"update-new-value-expr", "delete-value-expr",
	};
	const char *const *vals[] = {
		&e->insert_value_expr, &e->update_old_value_expr,
		&e->update_new_value_expr, &e->delete_value_expr,
	};
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *text = *vals[i];
		dm_sql_stmt *stmt = NULL;
		dm_error *perr = NULL;
		int rc;

		if (!*text)
			continue;
		rc = dm_sql_parse_expr(&stmt, text, strlen(text), &po, &perr);
		dm_sql_stmt_free(stmt);
		if (rc == 0)
			continue;
		if (rc == DM_E_NO_MEMORY) {
			dm_error_free(perr);
			return dm__cfg_oom(c);
		}
		rc = dm__cfg_err_val(c, DM_E_CONFIG_EXPR_FILTER_WRONG_GRAMMAR,
				     vals[i], e,
				     "expression filter %s: %s \"%s\" does not parse: %s",
				     e->name, keys[i], text,
				     perr ? dm_error_message(perr) : "syntax error");
		dm_error_free(perr);
		return rc;
	}
	return 0;
}

static int check_expr_filters(dm__cfg_ctx *c, const dm_cfg_task *t)
{
	size_t i;
	int rc;

	for (i = 0; i < t->n_expression_filters; i++) {
		const dm_cfg_expr_filter *e = t->expression_filters[i];
		const void *second = NULL;
		int kinds = 0;

		if (!*e->schema)
			return dm__cfg_err_val(c, DM_E_CONFIG_EXPR_FILTER_EMPTY_NAME,
					       &e->schema, e,
					       "expression filter %s has an empty schema",
					       e->name);
		if (!*e->table)
			return dm__cfg_err_val(c, DM_E_CONFIG_EXPR_FILTER_EMPTY_NAME,
					       &e->table, e,
					       "expression filter %s has an empty table",
					       e->name);
		if (*e->insert_value_expr)
			kinds++;
		if (*e->update_old_value_expr || *e->update_new_value_expr) {
			if (++kinds > 1)
				second = *e->update_old_value_expr ?
						 (const void *)&e->update_old_value_expr :
						 (const void *)&e->update_new_value_expr;
		}
		if (*e->delete_value_expr && ++kinds > 1 && !second)
			second = &e->delete_value_expr;
		if (kinds > 1)
			return dm__cfg_err_key(c, DM_E_CONFIG_EXPR_FILTER_MANY_EXPR,
					       second, e,
					       "expression filter %s sets more than one of insert, update and delete expressions",
					       e->name);
		if ((rc = check_expr_grammar(c, e)))
			return rc;
	}
	return 0;
}

/* One block-allow list value: a ~regex or a wildcard pattern. */
static int check_ba_value(dm__cfg_ctx *c, const dm_cfg_ba_list *ba,
			  const char *const *v, const void *rec,
			  const char *what)
{
	char why[200];
	int rc;

	if (!**v)
		return dm__cfg_err_val(c, DM_E_CONFIG_GEN_BA_LIST, v, rec,
				       "block-allow list %s: %s must not be empty",
				       ba->name, what);
	if (**v == '~') {
		rc = dm__cfg_regex_check(*v + 1, strlen(*v + 1), why,
					 sizeof(why), NULL);
		if (rc == DM_E_NO_MEMORY)
			return dm__cfg_oom(c);
		if (rc)
			return dm__cfg_err_val(c, DM_E_CONFIG_GEN_BA_LIST, v, rec,
					       "block-allow list %s: %s \"%s\" is not a valid regular expression: %s",
					       ba->name, what, *v, why);
		return 0;
	}
	if (!dm__cfg_wildcard_ok(*v))
		return dm__cfg_err_val(c, DM_E_CONFIG_GEN_BA_LIST, v, rec,
				       "block-allow list %s: %s \"%s\" is not valid: '*' may only end a pattern",
				       ba->name, what, *v);
	return 0;
}

static int check_ba_tables(dm__cfg_ctx *c, const dm_cfg_ba_list *ba,
			   const dm_cfg_ba_table *const *tabs, size_t n,
			   const char *what)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (!tabs[i])
			return dm__cfg_err_val(c, DM_E_CONFIG_GEN_BA_LIST, &tabs[i],
					       ba, "block-allow list %s: empty %s entry",
					       ba->name, what);
		if ((rc = check_ba_value(c, ba, &tabs[i]->db_name, tabs[i],
					 "db-name")) ||
		    (rc = check_ba_value(c, ba, &tabs[i]->tbl_name, tabs[i],
					 "tbl-name")))
			return rc;
	}
	return 0;
}

static int check_ba(dm__cfg_ctx *c, const dm_cfg_ba_list *ba)
{
	size_t i;
	int rc;

	for (i = 0; i < ba->n_do_dbs; i++)
		if ((rc = check_ba_value(c, ba, &ba->do_dbs[i], ba, "do-dbs entry")))
			return rc;
	for (i = 0; i < ba->n_ignore_dbs; i++)
		if ((rc = check_ba_value(c, ba, &ba->ignore_dbs[i], ba,
					 "ignore-dbs entry")))
			return rc;
	if ((rc = check_ba_tables(c, ba, ba->do_tables, ba->n_do_tables,
				  "do-tables")))
		return rc;
	return check_ba_tables(c, ba, ba->ignore_tables, ba->n_ignore_tables,
			       "ignore-tables");
}

static int check_routes(dm__cfg_ctx *c, const dm_cfg_task *t,
			const dm_cfg_instance *in)
{
	size_t i, j;

	for (i = 0; i < in->n_route_rules; i++) {
		const dm_cfg_route *r = in->routes[i];

		if (!*r->schema_pattern)
			return dm__cfg_err_val(c, DM_E_CONFIG_GEN_TABLE_ROUTER,
					       &r->schema_pattern, r,
					       "route rule %s has an empty schema-pattern",
					       r->name);
		if (!dm__cfg_wildcard_ok(r->schema_pattern))
			return dm__cfg_err_val(c, DM_E_CONFIG_GEN_TABLE_ROUTER,
					       &r->schema_pattern, r,
					       "route rule %s: schema-pattern \"%s\" is not valid: '*' may only end a pattern",
					       r->name, r->schema_pattern);
		if (!dm__cfg_wildcard_ok(r->table_pattern))
			return dm__cfg_err_val(c, DM_E_CONFIG_GEN_TABLE_ROUTER,
					       &r->table_pattern, r,
					       "route rule %s: table-pattern \"%s\" is not valid: '*' may only end a pattern",
					       r->name, r->table_pattern);
		for (j = 0; j < i; j++) {
			const dm_cfg_route *o = in->routes[j];

			if (dm__cfg_pattern_eq(r->schema_pattern, o->schema_pattern,
					       t->case_sensitive) &&
			    dm__cfg_pattern_eq(r->table_pattern, o->table_pattern,
					       t->case_sensitive))
				return dm__cfg_err_val(
					c, DM_E_CONFIG_GEN_TABLE_ROUTER,
					&in->route_rules[i], r,
					"route rules %s and %s have the same schema-pattern \"%s\" and table-pattern \"%s\"",
					o->name, r->name, r->schema_pattern,
					r->table_pattern);
		}
	}
	return 0;
}

static int check_column_mappings(dm__cfg_ctx *c, const dm_cfg_instance *in)
{
	static const char *const exprs[] = { "add prefix", "add suffix",
					     "partition id" };
	size_t i, k;

	for (i = 0; i < in->n_column_mapping_rules; i++) {
		const dm_cfg_column_mapping *m = in->column_mappings[i];
		bool ok = false;

		if (!*m->schema_pattern)
			return dm__cfg_err_val(c, DM_E_CONFIG_GEN_COLUMN_MAPPING,
					       &m->schema_pattern, m,
					       "column mapping rule %s has an empty schema-pattern",
					       m->name);
		if (!dm__cfg_wildcard_ok(m->schema_pattern) ||
		    !dm__cfg_wildcard_ok(m->table_pattern))
			return dm__cfg_err_rec(c, DM_E_CONFIG_GEN_COLUMN_MAPPING, m,
					       "column mapping rule %s has a pattern with '*' before its end",
					       m->name);
		for (k = 0; k < sizeof(exprs) / sizeof(exprs[0]); k++)
			ok = ok || strcmp(m->expression, exprs[k]) == 0;
		if (!ok)
			return dm__cfg_err_val(c, DM_E_CONFIG_GEN_COLUMN_MAPPING,
					       &m->expression, m,
					       "column mapping rule %s: expression \"%s\" is not add prefix, add suffix or partition id",
					       m->name, m->expression);
	}
	return 0;
}

/* DM anchors each rule and wants exactly one capturing group. */
static int adjust_online_rules(dm__cfg_ctx *c, dm_cfg_task *t, bool shadow)
{
	const char *const **rules = shadow ? &t->shadow_table_rules :
					     &t->trash_table_rules;
	size_t *n = shadow ? &t->n_shadow_table_rules : &t->n_trash_table_rules;
	const char *what = shadow ? "shadow-table-rules" : "trash-table-rules";
	const char **out;
	size_t i;

	if (*n == 0) {
		out = dm__cfg_alloc(c->mem, sizeof(*out));
		if (!out)
			return dm__cfg_oom(c);
		out[0] = shadow ? DEFAULT_SHADOW_RULE : DEFAULT_TRASH_RULE;
		*rules = out;
		*n = 1;
		return 0;
	}
	out = dm__cfg_alloc_array(c->mem, *n, sizeof(*out));
	if (!out)
		return dm__cfg_oom(c);
	for (i = 0; i < *n; i++) {
		const char *r = (*rules)[i];
		size_t len = strlen(r);
		bool head = r[0] != '^', tail = !len || r[len - 1] != '$';
		char *a = dm__cfg_alloc(c->mem, len + 3), why[200];
		unsigned caps = 0;
		int rc;

		if (!a)
			return dm__cfg_oom(c);
		memcpy(a + head, r, len);
		if (head)
			a[0] = '^';
		if (tail)
			a[head + len] = '$';
		rc = dm__cfg_regex_check(a, strlen(a), why, sizeof(why), &caps);
		if (rc == DM_E_NO_MEMORY)
			return dm__cfg_oom(c);
		if (rc)
			return dm__cfg_err_val(c, DM_E_CONFIG_ONLINE_DDL_INVALID_REGEX,
					       &(*rules)[i], t,
					       "%s rule \"%s\" is not a valid regular expression: %s",
					       what, a, why);
		if (caps != 1)
			return dm__cfg_err_val(c, DM_E_CONFIG_ONLINE_DDL_INVALID_REGEX,
					       &(*rules)[i], t,
					       "%s rule \"%s\" must have exactly one capturing group (the real table name), not %u",
					       what, a, caps);
		out[i] = a;
	}
	*rules = out;
	return 0;
}

/*
 * The loader's dir: DM accepts a local path or an external storage URL.
 * libdm writes and reads dump files on the local file system only, so an
 * S3 URL gets DM's code for S3 with a load mode that cannot use it, and
 * any other URL scheme DM's code for an unusable dir.
 */
static int check_loader_dir(dm__cfg_ctx *c, const dm_cfg_loader *l)
{
	const char *d = l->dir, *sep = strstr(d, "://");
	size_t i;

	if (!*d)
		return dm__cfg_err_val(c, DM_E_CONFIG_LOADER_DIR_INVALID,
				       &l->dir, l, "loader dir is empty");
	if (!sep)
		return 0;
	for (i = 0; d + i < sep; i++)
		if (!isalnum((unsigned char)d[i]) && d[i] != '+' &&
		    d[i] != '-' && d[i] != '.')
			return 0; /* not a scheme: a local path with "://" */
	if (i == 5 && strncasecmp(d, "local", 5) == 0)
		return 0;
	if (i == 4 && strncasecmp(d, "file", 4) == 0)
		return 0;
	if (i == 2 && strncasecmp(d, "s3", 2) == 0)
		return dm__cfg_err_val(c, DM_E_CONFIG_LOADER_S3_NOT_SUPPORT,
				       &l->dir, l,
				       "loader dir \"%s\" is in S3; libdm keeps dump files in a local directory",
				       d);
	return dm__cfg_err_val(c, DM_E_CONFIG_LOADER_DIR_INVALID, &l->dir, l,
			       "loader dir \"%s\" is not a local directory (libdm keeps dump files on the local file system)",
			       d);
}

static const dm__cfg_where *bad_enum(dm__cfg_ctx *c, const void *addr)
{
	const dm__cfg_where *w = dm__cfg_where_field(c, addr);

	return w && w->bad ? w : NULL;
}

/*
 * The settings of DM's physical import, checked as DM checks them after
 * import-mode and on-duplicate-logical. on-duplicate-physical has DM's
 * code 20062; the codes newer DM gives the two levels are not known to
 * the catalog, so they are reported as invalid values (20003).
 */
static int check_loader_physical(dm__cfg_ctx *c, const dm_cfg_loader *l)
{
	dm_cfg_loader *m = (dm_cfg_loader *)l;
	const dm__cfg_where *w;

	if ((w = bad_enum(c, &l->on_duplicate_physical)))
		return dm__cfg_err_val(c, DM_E_CONFIG_INVALID_PHYSICAL_DUPLICATE_RESOLUTION,
				       &l->on_duplicate_physical, l,
				       "on-duplicate-physical \"%s\" is not none or manual",
				       w->bad);
	if ((w = bad_enum(c, &l->checksum_physical)))
		return dm__cfg_err_val(c, DM_E_CONFIG_YAML_TRANSFORM,
				       &l->checksum_physical, l,
				       "checksum-physical \"%s\" is not required, optional or off",
				       w->bad);
	if ((w = bad_enum(c, &l->analyze)))
		return dm__cfg_err_val(c, DM_E_CONFIG_YAML_TRANSFORM, &l->analyze, l,
				       "analyze \"%s\" is not required, optional or off",
				       w->bad);
	m->disk_quota_physical_bytes = 0;
	if (*l->disk_quota_physical &&
	    !dm__cfg_parse_ram_size(l->disk_quota_physical,
				    &m->disk_quota_physical_bytes))
		return dm__cfg_err_val(c, DM_E_CONFIG_YAML_TRANSFORM,
				       &l->disk_quota_physical, l,
				       "disk-quota-physical \"%s\" is not a size such as \"100GiB\"",
				       l->disk_quota_physical);
	return 0;
}

/* Defaults DM fills in when a unit configuration leaves them zero. */
static void normalize_mydumper(dm_cfg_mydumper *m)
{
	if (!*m->chunk_filesize)
		m->chunk_filesize = "64";
	/* a bad size is reported where DM checks it (check_subtask) */
	if (!dm__cfg_parse_filesize(m->chunk_filesize, &m->chunk_filesize_bytes))
		m->chunk_filesize_bytes = 0;
}

static void normalize_loader(dm_cfg_loader *l)
{
	if (l->pool_size == 0)
		l->pool_size = 16;
}

static void normalize_syncer(dm_cfg_syncer *s)
{
	if (s->queue_size == 0)
		s->queue_size = 1024;
	if (s->checkpoint_flush_interval == 0)
		s->checkpoint_flush_interval = 30;
	if (s->safe_mode_duration_ns < 0)
		s->safe_mode_duration_ns =
			2ll * s->checkpoint_flush_interval * SECOND;
}

/* DM's ValidatorConfig.Adjust: defaults for zero values, then the mode
 * and the pending-row size are checked. */
static int adjust_validator(dm__cfg_ctx *c, dm_cfg_validator *v)
{
	const dm__cfg_where *w = dm__cfg_where_field(c, &v->mode);

	if (w && w->bad)
		return dm__cfg_err_val(c, DM_E_CONFIG_VALIDATION_MODE, &v->mode, v,
				       "validator %s: mode \"%s\" is not none, fast or full",
				       v->name, w->bad);
	if (v->worker_count <= 0)
		v->worker_count = 4;
	if (v->validate_interval_ns == 0)
		v->validate_interval_ns = 10 * SECOND;
	if (v->check_interval_ns == 0)
		v->check_interval_ns = 5 * SECOND;
	if (v->row_error_delay_ns == 0)
		v->row_error_delay_ns = 30 * MINUTE;
	if (v->meta_flush_interval_ns == 0)
		v->meta_flush_interval_ns = 5 * MINUTE;
	if (v->batch_query_size == 0)
		v->batch_query_size = 100;
	if (!*v->max_pending_row_size)
		v->max_pending_row_size = "500m";
	/* DM returns the size parser's own error here, without a code of
	 * its own; libdm reports it as an invalid configuration value. */
	if (!dm__cfg_parse_ram_size(v->max_pending_row_size,
				    &v->max_pending_row_size_bytes))
		return dm__cfg_err_val(c, DM_E_CONFIG_YAML_TRANSFORM,
				       &v->max_pending_row_size, v,
				       "validator %s: max-pending-row-size \"%s\" is not a size such as \"500m\" or \"1GiB\"",
				       v->name, v->max_pending_row_size);
	if (v->max_pending_row_count == 0)
		v->max_pending_row_count = INT32_MAX;
	return 0;
}

/* A copy of a named unit configuration for one instance. */
static void *copy_rec(dm__cfg_ctx *c, const void *src, size_t size)
{
	void *dst = dm__cfg_alloc(c->mem, size);

	if (dst)
		memcpy(dst, src, size);
	return dst;
}

/* Marks a name's first duplicate in a list; keeps the first found. */
static void find_dup(const char *const *v, size_t n, const void **dup)
{
	size_t i, j;

	if (*dup)
		return;
	for (i = 1; i < n; i++)
		for (j = 0; j < i; j++)
			if (strcmp(v[i], v[j]) == 0) {
				*dup = &v[i];
				return;
			}
}

struct used {
	bool *routes, *filters, *cms, *exprs, *dumpers, *loaders, *syncers;
	bool *validators;
};

static int resolve_list(dm__cfg_ctx *c, int status, const char *what,
			const char *const *names, size_t n,
			const void *const *recs, size_t nrecs, size_t name_off,
			bool *used, const void ***out)
{
	const void **res;
	size_t i;

	res = dm__cfg_alloc_array(c->mem, n ? n : 1, sizeof(*res));
	if (!res)
		return dm__cfg_oom(c);
	for (i = 0; i < n; i++) {
		long k = find_named(recs, nrecs, name_off, names[i]);

		if (k < 0)
			return dm__cfg_err_val(c, status, &names[i], NULL,
					       "%s \"%s\" is not defined",
					       what, names[i]);
		used[k] = true;
		res[i] = recs[k];
	}
	*out = res;
	return 0;
}

static int check_instance(dm__cfg_ctx *c, dm_cfg_task *t, size_t idx,
			  struct used *u, const void **dup)
{
	dm_cfg_instance *in = (dm_cfg_instance *)t->mysql_instances[idx];
	const void *ba_addr;
	const void **res;
	size_t k;
	long j;
	int rc;

	if (!in)
		return dm__cfg_err_val(c, DM_E_CONFIG_MYSQL_INST_NOT_FOUND,
				       &t->mysql_instances[idx], t,
				       "mysql-instances entry %zu is empty",
				       idx + 1);
	ba_addr = &in->block_allow_list;
	if (!*in->source_id)
		return dm__cfg_err_val(c, DM_E_CONFIG_EMPTY_SOURCE_ID,
				       &in->source_id, in,
				       "mysql-instances entry %zu has no source-id",
				       idx + 1);
	if (in->meta && !*in->meta->binlog_name && !*in->meta->binlog_gtid)
		return dm__cfg_err_rec(c, DM_E_CONFIG_META_INVALID, in->meta,
				       "meta of source %s needs binlog-name or binlog-gtid",
				       in->source_id);
	if (*in->mydumper_config_name && in->mydumper_inline)
		return dm__cfg_err_rec(c, DM_E_CONFIG_MYDUMPER_CFG_CONFLICT,
				       in->mydumper,
				       "source %s sets both mydumper-config-name and mydumper",
				       in->source_id);
	if (*in->loader_config_name && in->loader_inline)
		return dm__cfg_err_rec(c, DM_E_CONFIG_LOADER_CFG_CONFLICT,
				       in->loader,
				       "source %s sets both loader-config-name and loader",
				       in->source_id);
	if (*in->syncer_config_name && in->syncer_inline)
		return dm__cfg_err_rec(c, DM_E_CONFIG_SYNCER_CFG_CONFLICT,
				       in->syncer,
				       "source %s sets both syncer-config-name and syncer",
				       in->source_id);
	if (!*in->block_allow_list && *in->black_white_list) {
		in->block_allow_list = in->black_white_list;
		ba_addr = &in->black_white_list;
	}
	for (k = 0; k < idx; k++)
		if (strcmp(t->mysql_instances[k]->source_id, in->source_id) == 0)
			return dm__cfg_err_val(c, DM_E_CONFIG_MYSQL_INST_SAME_SOURCE_ID,
					       &in->source_id, in,
					       "mysql-instances entries %zu and %zu both use source-id %s",
					       k + 1, idx + 1, in->source_id);
	if (t->task_mode == DM_CFG_TASK_MODE_INCREMENTAL && !in->meta)
		return dm__cfg_err_rec(c, DM_E_CONFIG_METADATA_NOT_SET, in,
				       "source %s needs meta (binlog-name or binlog-gtid) in incremental mode",
				       in->source_id);

	if ((rc = resolve_list(c, DM_E_CONFIG_ROUTE_RULE_NOT_FOUND, "route rule",
			       in->route_rules, in->n_route_rules,
			       (const void *const *)t->routes, t->n_routes,
			       offsetof(dm_cfg_route, name), u->routes, &res)))
		return rc;
	in->routes = (const dm_cfg_route *const *)res;
	if ((rc = resolve_list(c, DM_E_CONFIG_FILTER_RULE_NOT_FOUND, "filter rule",
			       in->filter_rules, in->n_filter_rules,
			       (const void *const *)t->filters, t->n_filters,
			       offsetof(dm_cfg_filter, name), u->filters, &res)))
		return rc;
	in->filters = (const dm_cfg_filter *const *)res;
	if ((rc = resolve_list(c, DM_E_CONFIG_COLUMN_MAPPING_NOT_FOUND,
			       "column mapping rule", in->column_mapping_rules,
			       in->n_column_mapping_rules,
			       (const void *const *)t->column_mappings,
			       t->n_column_mappings,
			       offsetof(dm_cfg_column_mapping, name), u->cms,
			       &res)))
		return rc;
	in->column_mappings = (const dm_cfg_column_mapping *const *)res;

	if (*in->block_allow_list) {
		j = find_named((const void *const *)t->block_allow_lists,
			       t->n_block_allow_lists,
			       offsetof(dm_cfg_ba_list, name), in->block_allow_list);
		if (j < 0)
			return dm__cfg_err_val(c, DM_E_CONFIG_BA_LIST_NOT_FOUND,
					       ba_addr, in,
					       "block-allow list \"%s\" is not defined",
					       in->block_allow_list);
		in->ba_list = t->block_allow_lists[j];
	}

	if (*in->mydumper_config_name) {
		j = find_named((const void *const *)t->mydumpers, t->n_mydumpers,
			       offsetof(dm_cfg_mydumper, name),
			       in->mydumper_config_name);
		if (j < 0)
			return dm__cfg_err_val(c, DM_E_CONFIG_MYDUMPER_CFG_NOT_FOUND,
					       &in->mydumper_config_name, in,
					       "mydumper configuration \"%s\" is not defined",
					       in->mydumper_config_name);
		u->dumpers[j] = true;
		in->mydumper = copy_rec(c, t->mydumpers[j], sizeof(dm_cfg_mydumper));
		if (!in->mydumper)
			return dm__cfg_oom(c);
	}
	normalize_mydumper((dm_cfg_mydumper *)in->mydumper);
	if (in->mydumper_thread)
		((dm_cfg_mydumper *)in->mydumper)->threads = in->mydumper_thread;
	if (t->task_mode != DM_CFG_TASK_MODE_INCREMENTAL &&
	    !*in->mydumper->mydumper_path)
		return dm__cfg_err_val(c, DM_E_CONFIG_MYDUMPER_PATH_NOT_VALID,
				       &in->mydumper->mydumper_path, in,
				       "source %s: mydumper-path must not be empty in %s mode",
				       in->source_id,
				       t->task_mode == DM_CFG_TASK_MODE_FULL ? "full" : "all");

	if (*in->loader_config_name) {
		j = find_named((const void *const *)t->loaders, t->n_loaders,
			       offsetof(dm_cfg_loader, name), in->loader_config_name);
		if (j < 0)
			return dm__cfg_err_val(c, DM_E_CONFIG_LOADER_CFG_NOT_FOUND,
					       &in->loader_config_name, in,
					       "loader configuration \"%s\" is not defined",
					       in->loader_config_name);
		u->loaders[j] = true;
		in->loader = copy_rec(c, t->loaders[j], sizeof(dm_cfg_loader));
		if (!in->loader)
			return dm__cfg_oom(c);
	}
	if (in->loader_thread)
		((dm_cfg_loader *)in->loader)->pool_size = in->loader_thread;
	normalize_loader((dm_cfg_loader *)in->loader);

	if (*in->syncer_config_name) {
		j = find_named((const void *const *)t->syncers, t->n_syncers,
			       offsetof(dm_cfg_syncer, name), in->syncer_config_name);
		if (j < 0)
			return dm__cfg_err_val(c, DM_E_CONFIG_SYNCER_CFG_NOT_FOUND,
					       &in->syncer_config_name, in,
					       "syncer configuration \"%s\" is not defined",
					       in->syncer_config_name);
		u->syncers[j] = true;
		in->syncer = copy_rec(c, t->syncers[j], sizeof(dm_cfg_syncer));
		if (!in->syncer)
			return dm__cfg_oom(c);
	}
	{
		dm_cfg_syncer *s = (dm_cfg_syncer *)in->syncer;

		normalize_syncer(s);
		if (s->safe_mode && s->safe_mode_duration_ns == 0)
			return dm__cfg_err_rec(c, DM_E_CONFIG_CONFICT_SAFE_MODE_DURATION_AND_SAFE_MODE,
					       in->syncer_inline ? (const void *)s :
								   (const void *)in,
					       "source %s: safe-mode is on but safe-mode-duration is 0s",
					       in->source_id);
		if (in->syncer_thread)
			s->worker_count = in->syncer_thread;
	}

	if (*in->validator_config_name) {
		j = find_named((const void *const *)t->validators, t->n_validators,
			       offsetof(dm_cfg_validator, name),
			       in->validator_config_name);
		if (j < 0)
			return dm__cfg_err_val(c, DM_E_CONTINUOUS_VALIDATOR_CFG_NOT_FOUND,
					       &in->validator_config_name, in,
					       "validator configuration \"%s\" is not defined",
					       in->validator_config_name);
		u->validators[j] = true;
		in->validator = t->validators[j];
	} else {
		dm_cfg_validator *v = dm__cfg_alloc(c->mem, sizeof(*v));

		if (!v)
			return dm__cfg_oom(c);
		dm__cfg_fill_strings(&validator_schema, v);
		v->name = "";
		if ((rc = adjust_validator(c, v)))
			return rc;
		in->validator = v;
	}

	if ((rc = resolve_list(c, DM_E_CONFIG_EXPR_FILTER_NOT_FOUND,
			       "expression filter", in->expression_filters,
			       in->n_expression_filters,
			       (const void *const *)t->expression_filters,
			       t->n_expression_filters,
			       offsetof(dm_cfg_expr_filter, name), u->exprs, &res)))
		return rc;
	in->expr_filters = (const dm_cfg_expr_filter *const *)res;

	find_dup(in->route_rules, in->n_route_rules, dup);
	find_dup(in->filter_rules, in->n_filter_rules, dup);
	find_dup(in->column_mapping_rules, in->n_column_mapping_rules, dup);
	find_dup(in->expression_filters, in->n_expression_filters, dup);
	return 0;
}

/* Global definitions no instance refers to (DM's check leaves block-allow
 * lists out). */
static int check_unused(dm__cfg_ctx *c, const dm_cfg_task *t,
			const struct used *u)
{
	struct {
		const void *const *recs;
		size_t n, name_off;
		const bool *used;
	} sets[] = {
		{ (const void *const *)t->routes, t->n_routes,
		  offsetof(dm_cfg_route, name), u->routes },
		{ (const void *const *)t->filters, t->n_filters,
		  offsetof(dm_cfg_filter, name), u->filters },
		{ (const void *const *)t->column_mappings, t->n_column_mappings,
		  offsetof(dm_cfg_column_mapping, name), u->cms },
		{ (const void *const *)t->mydumpers, t->n_mydumpers,
		  offsetof(dm_cfg_mydumper, name), u->dumpers },
		{ (const void *const *)t->loaders, t->n_loaders,
		  offsetof(dm_cfg_loader, name), u->loaders },
		{ (const void *const *)t->syncers, t->n_syncers,
		  offsetof(dm_cfg_syncer, name), u->syncers },
		{ (const void *const *)t->expression_filters,
		  t->n_expression_filters, offsetof(dm_cfg_expr_filter, name),
		  u->exprs },
		{ (const void *const *)t->validators, t->n_validators,
		  offsetof(dm_cfg_validator, name), u->validators },
	};
	const char **names;
	const void **recs;
	size_t total = 0, n = 0, s, i, first = 0;
	dm_buf list = DM_BUF_INIT;
	int rc;

	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++)
		total += sets[s].n;
	names = dm__cfg_alloc_array(c->tmp, total ? total : 1, sizeof(*names));
	recs = dm__cfg_alloc_array(c->tmp, total ? total : 1, sizeof(*recs));
	if (!names || !recs)
		return dm__cfg_oom(c);
	for (s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		for (i = 0; i < sets[s].n; i++) {
			if (sets[s].used[i])
				continue;
			memcpy(&names[n], (const char *)sets[s].recs[i] +
						  sets[s].name_off,
			       sizeof(names[n]));
			recs[n++] = sets[s].recs[i];
		}
	}
	if (!n)
		return 0;
	for (i = 1; i < n; i++)
		if (strcmp(names[i], names[first]) < 0)
			first = i;
	qsort(names, n, sizeof(*names), cmp_str);
	rc = 0;
	for (i = 0; !rc && i < n; i++)
		rc = dm_buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
	if (rc) {
		dm_buf_free(&list);
		return dm__cfg_oom(c);
	}
	rc = dm__cfg_err_rec(c, DM_E_CONFIG_GLOBAL_CONFIGS_UNUSED, recs[first],
			     "defined but used by no mysql-instances entry: %s",
			     list.data);
	dm_buf_free(&list);
	return rc;
}

/* Where a field of an instance's mydumper settings was written: in the
 * named definition it was copied from, or in the instance. */
static const void *named_field(const dm_cfg_task *t, const dm_cfg_instance *in,
			       const void *field)
{
	size_t off = (size_t)((const char *)field - (const char *)in->mydumper);
	long j;

	if (!*in->mydumper_config_name)
		return field;
	j = find_named((const void *const *)t->mydumpers, t->n_mydumpers,
		       offsetof(dm_cfg_mydumper, name), in->mydumper_config_name);
	return j < 0 ? field : (const char *)t->mydumpers[j] + off;
}

/* Checks DM runs per source when a task starts (SubTaskConfig.Adjust). */
static int check_subtask(dm__cfg_ctx *c, dm_cfg_task *t, dm_cfg_instance *in,
			 bool first)
{
	dm_cfg_mydumper *m = (dm_cfg_mydumper *)in->mydumper;
	size_t i;
	int rc;

	if (strlen(in->source_id) > MAX_SOURCE_ID)
		return dm__cfg_err_val(c, DM_E_CONFIG_TOO_LONG_SOURCE_ID,
				       &in->source_id, in,
				       "source-id \"%s\" is longer than %d characters",
				       in->source_id, MAX_SOURCE_ID);
	if (first && ((rc = adjust_online_rules(c, t, true)) ||
		      (rc = adjust_online_rules(c, t, false))))
		return rc;
	if (in->ba_list && (rc = check_ba(c, in->ba_list)))
		return rc;
	if ((rc = check_routes(c, t, in)))
		return rc;
	if ((rc = check_column_mappings(c, in)))
		return rc;
	if (!dm__cfg_parse_filesize(m->chunk_filesize, &m->chunk_filesize_bytes))
		return dm__cfg_err_val(c, DM_E_CONFIG_INVALID_CHUNK_FILE_SIZE,
				       named_field(t, in, &m->chunk_filesize), in,
				       "chunk-filesize \"%s\" is not a size such as 64 (MiB) or \"256MiB\"",
				       m->chunk_filesize);
	if (t->tidb && *t->tidb->backend && strcmp(t->tidb->backend, "local") &&
	    strcmp(t->tidb->backend, "tidb"))
		return dm__cfg_err_val(c, DM_E_LOAD_BACKEND_NOT_SUPPORT,
				       &t->tidb->backend, t->tidb,
				       "tidb backend \"%s\" is not local or tidb",
				       t->tidb->backend);
	for (i = 0; i < in->n_filter_rules; i++)
		if ((rc = dm__cfg_check_filter(c, in->filters[i])))
			return rc;
	return dm__cfg_check_filter_set(c, in->filters, in->n_filter_rules,
					t->case_sensitive, in->filter_rules);
}

static int check_task(dm__cfg_ctx *c, dm_cfg_task *t)
{
	const dm__cfg_where *w;
	struct used u;
	const void *dup = NULL;
	size_t i;
	int rc;

	if (!*t->name)
		return dm__cfg_err_val(c, DM_E_CONFIG_NEED_UNIQUE_TASK_NAME,
				       &t->name, t,
				       "name must be set to a name no other task uses");
	if ((w = bad_enum(c, &t->task_mode)))
		return dm__cfg_err_val(c, DM_E_CONFIG_INVALID_TASK_MODE,
				       &t->task_mode, t,
				       "task-mode \"%s\" is not full, incremental or all",
				       w->bad);
	if (t->task_mode == DM_CFG_TASK_MODE_NONE)
		return dm__cfg_err_val(c, DM_E_CONFIG_INVALID_TASK_MODE,
				       &t->task_mode, t,
				       "task-mode must be set to full, incremental or all");
	if ((w = bad_enum(c, &t->shard_mode)))
		return dm__cfg_err_val(c, DM_E_CONFIG_SHARD_MODE_NOT_SUPPORT,
				       &t->shard_mode, t,
				       "shard-mode \"%s\" is not pessimistic or optimistic",
				       w->bad);
	if (t->shard_mode == DM_CFG_SHARD_MODE_NONE && t->is_sharding)
		t->shard_mode = DM_CFG_SHARD_MODE_PESSIMISTIC;
	if (t->strict_optimistic_shard_mode &&
	    t->shard_mode != DM_CFG_SHARD_MODE_OPTIMISTIC)
		return dm__cfg_err_val(c, DM_E_CONFIG_SHARD_MODE_NOT_SUPPORT,
				       &t->strict_optimistic_shard_mode, t,
				       "strict-optimistic-shard-mode needs shard-mode optimistic");
	if ((w = bad_enum(c, &t->collation_compatible)))
		return dm__cfg_err_val(c, DM_E_CONFIG_COLLATION_COMPATIBLE_NOT_SUPPORT,
				       &t->collation_compatible, t,
				       "collation_compatible \"%s\" is not loose or strict",
				       w->bad);
	if (!*t->meta_schema)
		t->meta_schema = "dm_meta";
	for (i = 0; i < t->n_ignore_checking_items; i++)
		if (!dm__cfg_checking_item_ok(t->ignore_checking_items[i]))
			return dm__cfg_err_val(c, DM_E_CONFIG_CHECK_ITEM_NOT_SUPPORT,
					       &t->ignore_checking_items[i], t,
					       "ignore-checking-items: \"%s\" is not a checking item",
					       t->ignore_checking_items[i]);
	if ((w = bad_enum(c, &t->online_ddl_scheme)))
		return dm__cfg_err_val(c, DM_E_CONFIG_ONLINE_SCHEME_NOT_SUPPORT,
				       &t->online_ddl_scheme, t,
				       "online-ddl-scheme \"%s\" is not gh-ost or pt",
				       w->bad);
	if (t->online_ddl_scheme != DM_CFG_ONLINE_DDL_SCHEME_NONE)
		t->online_ddl = true;
	if (!t->target_database)
		return dm__cfg_err_rec(c, DM_E_CONFIG_NEED_TARGET_DB, t,
				       "target-database must be set");
	if (t->n_mysql_instances == 0)
		return dm__cfg_err_val(c, DM_E_CONFIG_MYSQL_INSTS_AT_LEAST_ONE,
				       &t->mysql_instances, t,
				       "mysql-instances must name at least one source");
	if ((rc = check_expr_filters(c, t)))
		return rc;
	for (i = 0; i < t->n_validators; i++)
		if ((rc = adjust_validator(c, (dm_cfg_validator *)t->validators[i])))
			return rc;
	/* Loader values DM checks when reading the loaders. */
	for (i = 0; i < t->n_loaders + t->n_mysql_instances; i++) {
		const dm_cfg_loader *l = i < t->n_loaders ?
			t->loaders[i] :
			t->mysql_instances[i - t->n_loaders] ?
			t->mysql_instances[i - t->n_loaders]->loader : NULL;

		if (l && (w = bad_enum(c, &l->import_mode)))
			return dm__cfg_err_val(c, DM_E_CONFIG_INVALID_LOAD_MODE,
					       &l->import_mode, l,
					       strcasecmp(w->bad, "physical") == 0 ?
						       "import-mode \"%s\" (TiDB Lightning's physical import) is not supported; libdm loads with SQL statements (logical)" :
						       "import-mode \"%s\" is not logical (also spelled sql or loader)",
					       w->bad);
		if (l && (rc = check_loader_dir(c, l)))
			return rc;
		if (l && (w = bad_enum(c, &l->on_duplicate)))
			return dm__cfg_err_val(c, DM_E_CONFIG_INVALID_DUPLICATE_RESOLUTION,
					       &l->on_duplicate, l,
					       "on-duplicate \"%s\" is not replace, error or ignore",
					       w->bad);
		if (l && (rc = check_loader_physical(c, l)))
			return rc;
	}
	for (i = 0; i < t->n_mydumpers; i++)
		normalize_mydumper((dm_cfg_mydumper *)t->mydumpers[i]);
	for (i = 0; i < t->n_loaders; i++)
		normalize_loader((dm_cfg_loader *)t->loaders[i]);
	for (i = 0; i < t->n_syncers; i++)
		normalize_syncer((dm_cfg_syncer *)t->syncers[i]);
	if (t->n_block_allow_lists == 0 && t->n_black_white_lists) {
		t->block_allow_lists = t->black_white_lists;
		t->n_block_allow_lists = t->n_black_white_lists;
	}

	u.routes = dm__cfg_alloc_array(c->tmp, t->n_routes + 1, sizeof(bool));
	u.filters = dm__cfg_alloc_array(c->tmp, t->n_filters + 1, sizeof(bool));
	u.cms = dm__cfg_alloc_array(c->tmp, t->n_column_mappings + 1, sizeof(bool));
	u.exprs = dm__cfg_alloc_array(c->tmp, t->n_expression_filters + 1,
				      sizeof(bool));
	u.dumpers = dm__cfg_alloc_array(c->tmp, t->n_mydumpers + 1, sizeof(bool));
	u.loaders = dm__cfg_alloc_array(c->tmp, t->n_loaders + 1, sizeof(bool));
	u.syncers = dm__cfg_alloc_array(c->tmp, t->n_syncers + 1, sizeof(bool));
	u.validators = dm__cfg_alloc_array(c->tmp, t->n_validators + 1,
					   sizeof(bool));
	if (!u.routes || !u.filters || !u.cms || !u.exprs || !u.dumpers ||
	    !u.loaders || !u.syncers || !u.validators)
		return dm__cfg_oom(c);
	for (i = 0; i < t->n_mysql_instances; i++)
		if ((rc = check_instance(c, t, i, &u, &dup)))
			return rc;
	if (dup)
		return dm__cfg_err_val(c, DM_E_CONFIG_DUPLICATE_CFG_ITEM, dup, t,
				       "\"%s\" is listed twice in one mysql-instances entry",
				       *(const char *const *)dup);
	if ((rc = check_unused(c, t, &u)))
		return rc;
	/* Deprecated: DM drops the time zone and turns heartbeat off. */
	t->timezone = "";
	t->enable_heartbeat = false;

	for (i = 0; i < t->n_mysql_instances; i++)
		if ((rc = check_subtask(c, t,
					(dm_cfg_instance *)t->mysql_instances[i],
					i == 0)))
			return rc;
	return 0;
}

static int check_task_rec(dm__cfg_ctx *c, void *rec)
{
	return check_task(c, rec);
}

/* ------------------------------------------------------------------- API */

int dm_cfg_task_parse(dm_cfg_task **out, const char *text, size_t len,
		      const char *file_name, dm_error **err)
{
	static const dm__cfg_root root = {
		&task_schema, offsetof(dm_cfg_task, mem_),
		offsetof(dm_cfg_task, file), check_task_rec
	};

	return dm__cfg_parse_root((void **)out, &root, text, len, file_name,
				  err);
}

void dm_cfg_task_free(dm_cfg_task *cfg)
{
	if (cfg)
		dm__cfg_mem_free(cfg->mem_);
}

int dm_cfg_task_print(dm_buf *out, const dm_cfg_task *cfg)
{
	return dm__cfg_print_root(out, &task_schema, cfg);
}
