/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Source and task configuration files (DM's source.yaml and task.yaml):
 * parsing with DM's defaults and checks, printing back as YAML with
 * passwords masked, and the sample files. See dm_cfg(3),
 * dm-task.yaml(5) and dm-source.yaml(5).
 */
#ifndef DM_CFG_H
#define DM_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "util.h"
#include "db.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every record below is owned by the configuration object it came from and
 * lives until that object is freed. Records may only grow at the end; they
 * are reached through pointers, so an application never copies one.
 * Strings are never NULL ("" when not set).
 */

struct dm__cfg_mem; /* private */

/* Where a definition starts in its file, 1-based (0 when unknown). */
typedef struct dm_cfg_pos {
	unsigned line;
	unsigned column;
} dm_cfg_pos;

typedef enum dm_cfg_flavor {
	DM_CFG_FLAVOR_AUTO = 0, /* "" : detected when connecting */
	DM_CFG_FLAVOR_MYSQL,
	DM_CFG_FLAVOR_MARIADB
} dm_cfg_flavor;

typedef enum dm_cfg_task_mode {
	DM_CFG_TASK_MODE_NONE = 0, /* never in a parsed task */
	DM_CFG_TASK_MODE_FULL,
	DM_CFG_TASK_MODE_INCREMENTAL,
	DM_CFG_TASK_MODE_ALL
} dm_cfg_task_mode;

typedef enum dm_cfg_shard_mode {
	DM_CFG_SHARD_MODE_NONE = 0,
	DM_CFG_SHARD_MODE_PESSIMISTIC,
	DM_CFG_SHARD_MODE_OPTIMISTIC
} dm_cfg_shard_mode;

typedef enum dm_cfg_online_ddl_scheme {
	DM_CFG_ONLINE_DDL_SCHEME_NONE = 0,
	DM_CFG_ONLINE_DDL_SCHEME_GH_OST,
	DM_CFG_ONLINE_DDL_SCHEME_PT
} dm_cfg_online_ddl_scheme;

typedef enum dm_cfg_collation_compatible {
	DM_CFG_COLLATION_LOOSE = 0,
	DM_CFG_COLLATION_STRICT
} dm_cfg_collation_compatible;

typedef enum dm_cfg_filter_action {
	DM_CFG_FILTER_ACTION_NONE = 0, /* never in a parsed config */
	DM_CFG_FILTER_ACTION_DO,
	DM_CFG_FILTER_ACTION_IGNORE
} dm_cfg_filter_action;

typedef enum dm_cfg_import_mode {
	DM_CFG_IMPORT_MODE_LOGICAL = 0 /* "logical", "sql" and "loader" */
} dm_cfg_import_mode;

typedef enum dm_cfg_on_duplicate {
	DM_CFG_ON_DUPLICATE_REPLACE = 0,
	DM_CFG_ON_DUPLICATE_ERROR,
	DM_CFG_ON_DUPLICATE_IGNORE
} dm_cfg_on_duplicate;

/* Loader `on-duplicate-physical` (used by DM's physical import only). */
typedef enum dm_cfg_on_duplicate_physical {
	DM_CFG_ON_DUPLICATE_PHYSICAL_NONE = 0,  /* "none" */
	DM_CFG_ON_DUPLICATE_PHYSICAL_MANUAL     /* "manual" */
} dm_cfg_on_duplicate_physical;

/* Loader `checksum-physical` and `analyze` levels. */
typedef enum dm_cfg_op_level {
	DM_CFG_OP_LEVEL_REQUIRED = 0,  /* "required" */
	DM_CFG_OP_LEVEL_OPTIONAL,      /* "optional" */
	DM_CFG_OP_LEVEL_OFF            /* "off" */
} dm_cfg_op_level;

/* Continuous validator `mode`. */
typedef enum dm_cfg_validation_mode {
	DM_CFG_VALIDATION_NONE = 0,    /* "none": no validation */
	DM_CFG_VALIDATION_FAST,        /* "fast": rows exist downstream */
	DM_CFG_VALIDATION_FULL         /* "full": rows compared column by column */
} dm_cfg_validation_mode;

/* TLS settings of a database connection. */
typedef struct dm_cfg_security {
	const char *ssl_ca;
	const char *ssl_cert;
	const char *ssl_key;
	const char *const *cert_allowed_cn;
	size_t n_cert_allowed_cn;
} dm_cfg_security;

/* A database: source.yaml `from`, task.yaml `target-database`. */
typedef struct dm_cfg_db {
	const char *host;               /* "127.0.0.1" */
	unsigned port;                  /* 3306 */
	const char *user;
	/* As written: plaintext or DM-encrypted (dmctl encrypt). Wiped when
	 * the configuration is freed, printed as "******". */
	const char *password;
	int64_t max_allowed_packet;     /* deprecated; -1 when not set */
	const dm_db_var *session;       /* `session` map, in file order */
	size_t n_session;
	const dm_cfg_security *security; /* NULL when not set */
} dm_cfg_db;

/* A binlog event filter rule (`filters`). Task rules have a name; the
 * rules of a source file do not (""). */
typedef struct dm_cfg_filter {
	const char *name;
	dm_cfg_pos pos;
	const char *schema_pattern;
	const char *table_pattern;
	const char *const *events;      /* lower case, as DM keeps them */
	size_t n_events;
	const char *const *sql_patterns;
	size_t n_sql_patterns;
	dm_cfg_filter_action action;
} dm_cfg_filter;

/* ----------------------------------------------------------- source.yaml */

typedef struct dm_cfg_purge {
	int64_t interval;     /* seconds, 3600 */
	int64_t expires;      /* hours, 0 */
	int64_t remain_space; /* GB, 15 */
} dm_cfg_purge;

typedef struct dm_cfg_checker {
	bool check_enable;           /* true */
	int64_t backoff_rollback_ns; /* 5 min */
	int64_t backoff_max_ns;      /* 5 min */
	/* Fixed by DM whatever the file says. */
	int64_t check_interval_ns;   /* 5 s */
	int64_t backoff_min_ns;      /* 1 s */
	bool backoff_jitter;         /* true */
	double backoff_factor;       /* 2 */
} dm_cfg_checker;

typedef struct dm_cfg_source {
	struct dm__cfg_mem *mem_;    /* private */
	const char *file;            /* the name given to the parser */
	const char *source_id;
	bool enable_gtid;
	bool auto_fix_gtid;          /* deprecated */
	const char *relay_dir;       /* "relay-dir" */
	const char *meta_dir;        /* deprecated */
	dm_cfg_flavor flavor;
	const char *charset;
	bool enable_relay;
	const char *relay_binlog_name;
	const char *relay_binlog_gtid;
	const dm_cfg_db *from;
	const dm_cfg_purge *purge;
	const dm_cfg_checker *checker;
	uint32_t server_id;          /* 0: chosen when connecting */
	bool case_sensitive;
	const dm_cfg_filter *const *filters;
	size_t n_filters;
} dm_cfg_source;

/* ------------------------------------------------------------- task.yaml */

typedef struct dm_cfg_meta {
	const char *binlog_name;
	uint32_t binlog_pos;
	const char *binlog_gtid;
} dm_cfg_meta;

typedef struct dm_cfg_route {
	const char *name;
	dm_cfg_pos pos;
	const char *schema_pattern;
	const char *table_pattern;
	const char *target_schema;
	const char *target_table;
} dm_cfg_route;

typedef struct dm_cfg_ba_table {
	const char *db_name;
	const char *tbl_name;
} dm_cfg_ba_table;

/* A block-allow list (legacy name: black-white-list). */
typedef struct dm_cfg_ba_list {
	const char *name;
	dm_cfg_pos pos;
	const char *const *do_dbs;
	size_t n_do_dbs;
	const char *const *ignore_dbs;
	size_t n_ignore_dbs;
	const dm_cfg_ba_table *const *do_tables;
	size_t n_do_tables;
	const dm_cfg_ba_table *const *ignore_tables;
	size_t n_ignore_tables;
} dm_cfg_ba_list;

/* Deprecated column mapping rule, kept as written. */
typedef struct dm_cfg_column_mapping {
	const char *name;
	dm_cfg_pos pos;
	const char *schema_pattern;
	const char *table_pattern;
	const char *source_column;
	const char *target_column;
	const char *expression;
	const char *const *arguments;
	size_t n_arguments;
	const char *create_table_query;
} dm_cfg_column_mapping;

typedef struct dm_cfg_expr_filter {
	const char *name;
	dm_cfg_pos pos;
	const char *schema;
	const char *table;
	const char *insert_value_expr;
	const char *update_old_value_expr;
	const char *update_new_value_expr;
	const char *delete_value_expr;
} dm_cfg_expr_filter;

typedef struct dm_cfg_mydumper {
	const char *name;            /* "" for inline and default blocks */
	dm_cfg_pos pos;
	const char *mydumper_path;   /* legacy, "./bin/mydumper" */
	int threads;                 /* 4 */
	const char *chunk_filesize;  /* "64" (MiB, or with a unit) */
	uint64_t chunk_filesize_bytes; /* the same in bytes */
	uint64_t statement_size;     /* 0: dumper default */
	uint64_t rows;               /* 0: dumper default */
	const char *where;
	bool skip_tz_utc;            /* legacy, true */
	const char *extra_args;
} dm_cfg_mydumper;

typedef struct dm_cfg_loader {
	const char *name;
	dm_cfg_pos pos;
	int pool_size;               /* 16 */
	const char *dir;             /* "./dumped_data" */
	dm_cfg_import_mode import_mode;
	dm_cfg_on_duplicate on_duplicate;
	/* Settings of DM's physical import, which libdm does not have:
	 * checked and kept so that DM files load unchanged. */
	const char *sorting_dir_physical; /* "": DM derives it from dir */
	dm_cfg_on_duplicate_physical on_duplicate_physical; /* none */
	const char *disk_quota_physical;  /* as written, "" for none */
	uint64_t disk_quota_physical_bytes; /* the same in bytes, 0 */
	dm_cfg_op_level checksum_physical; /* required */
	dm_cfg_op_level analyze;          /* optional */
	int range_concurrency;            /* 0: TiDB Lightning's default */
	const char *compress_kv_pairs;    /* "": no compression */
	const char *pd_addr;              /* "": from the downstream TiDB */
} dm_cfg_loader;

typedef struct dm_cfg_syncer {
	const char *name;
	dm_cfg_pos pos;
	const char *meta_file;
	int worker_count;            /* 16 */
	int batch;                   /* 100 */
	int queue_size;              /* 1024 */
	int checkpoint_flush_interval; /* seconds, 30 */
	bool compact;
	bool multiple_rows;
	int max_retry;               /* deprecated */
	bool auto_fix_gtid;          /* deprecated */
	bool enable_gtid;            /* deprecated */
	bool disable_detect;         /* deprecated */
	bool safe_mode;
	int64_t safe_mode_duration_ns; /* 2 x checkpoint-flush-interval */
	bool enable_ansi_quotes;     /* deprecated */
	/* libdm: apply every upstream transaction as one downstream
	 * transaction (`atomic-transactions`, false). */
	bool atomic_transactions;
} dm_cfg_syncer;

/* A continuous validator configuration (`validators`), with DM's
 * defaults filled in where the file leaves a value zero or empty. */
typedef struct dm_cfg_validator {
	const char *name;            /* "" for an instance's default */
	dm_cfg_pos pos;              /* where the definition starts */
	dm_cfg_validation_mode mode; /* none */
	int worker_count;            /* 4 (also when <= 0) */
	int64_t validate_interval_ns; /* 10 s */
	int64_t check_interval_ns;   /* 5 s */
	int64_t row_error_delay_ns;  /* 30 min */
	int64_t meta_flush_interval_ns; /* 5 min */
	int batch_query_size;        /* 100 */
	const char *max_pending_row_size; /* "500m" (a size with a unit) */
	uint64_t max_pending_row_size_bytes; /* the same in bytes */
	int max_pending_row_count;   /* 2147483647 */
} dm_cfg_validator;

/* Extra settings for a TiDB downstream (`tidb`). */
typedef struct dm_cfg_tidb {
	int status_port;
	const char *pd_addr;
	const char *backend;
} dm_cfg_tidb;

/* Task settings DM marks experimental (`experimental`). */
typedef struct dm_cfg_experimental {
	bool async_checkpoint_flush; /* false */
} dm_cfg_experimental;

/* One `mysql-instances` entry with every reference resolved. */
typedef struct dm_cfg_instance {
	dm_cfg_pos pos;
	const char *source_id;
	const dm_cfg_meta *meta;     /* NULL when not set */
	const char *const *route_rules;
	size_t n_route_rules;
	const char *const *filter_rules;
	size_t n_filter_rules;
	const char *const *column_mapping_rules;
	size_t n_column_mapping_rules;
	const char *const *expression_filters;
	size_t n_expression_filters;
	const char *block_allow_list; /* effective name, "" for none */
	const char *black_white_list; /* legacy key as written */
	const char *mydumper_config_name;
	int mydumper_thread;
	bool mydumper_inline;
	const dm_cfg_mydumper *mydumper; /* effective, never NULL */
	const char *loader_config_name;
	int loader_thread;
	bool loader_inline;
	const dm_cfg_loader *loader;
	const char *syncer_config_name;
	int syncer_thread;
	bool syncer_inline;
	const dm_cfg_syncer *syncer;
	/* The definitions named above, parallel to the name arrays. */
	const dm_cfg_route *const *routes;
	const dm_cfg_filter *const *filters;
	const dm_cfg_column_mapping *const *column_mappings;
	const dm_cfg_expr_filter *const *expr_filters;
	const dm_cfg_ba_list *ba_list; /* NULL for none */
	const char *validator_config_name; /* `validator-config-name`, "" */
	const dm_cfg_validator *validator; /* effective, never NULL */
} dm_cfg_instance;

typedef struct dm_cfg_task {
	struct dm__cfg_mem *mem_;    /* private */
	const char *file;
	const char *name;
	dm_cfg_task_mode task_mode;
	bool is_sharding;
	dm_cfg_shard_mode shard_mode;
	const char *meta_schema;     /* "dm_meta" */
	bool case_sensitive;
	dm_cfg_collation_compatible collation_compatible;
	bool online_ddl;
	dm_cfg_online_ddl_scheme online_ddl_scheme; /* deprecated */
	const char *const *shadow_table_rules; /* anchored, with DM's default */
	size_t n_shadow_table_rules;
	const char *const *trash_table_rules;
	size_t n_trash_table_rules;
	const char *const *ignore_checking_items;
	size_t n_ignore_checking_items;
	bool clean_dump_file;        /* true */
	const char *timezone;        /* deprecated and ignored: always "" */
	bool enable_heartbeat;       /* deprecated: always false */
	int heartbeat_update_interval;
	int heartbeat_report_interval;
	bool ansi_quotes;            /* deprecated */
	bool remove_meta;            /* deprecated */
	const dm_cfg_db *target_database;
	const dm_cfg_tidb *tidb;     /* NULL when not set */
	const dm_cfg_route *const *routes;
	size_t n_routes;
	const dm_cfg_filter *const *filters;
	size_t n_filters;
	const dm_cfg_column_mapping *const *column_mappings;
	size_t n_column_mappings;
	const dm_cfg_expr_filter *const *expression_filters;
	size_t n_expression_filters;
	/* Effective lists: block-allow-list, or black-white-list when the
	 * former is empty. */
	const dm_cfg_ba_list *const *block_allow_lists;
	size_t n_block_allow_lists;
	const dm_cfg_ba_list *const *black_white_lists; /* as written */
	size_t n_black_white_lists;
	const dm_cfg_mydumper *const *mydumpers;
	size_t n_mydumpers;
	const dm_cfg_loader *const *loaders;
	size_t n_loaders;
	const dm_cfg_syncer *const *syncers;
	size_t n_syncers;
	const dm_cfg_instance *const *mysql_instances;
	size_t n_mysql_instances;
	/* Only with shard-mode optimistic: fail rather than guess. */
	bool strict_optimistic_shard_mode;
	const dm_cfg_validator *const *validators; /* `validators` */
	size_t n_validators;
	const dm_cfg_experimental *experimental; /* NULL when not set */
} dm_cfg_task;

/* Parsing: a pure function of (text, file_name); file_name only names
 * the text in error messages and may be NULL. */
DM_API int dm_cfg_source_parse(dm_cfg_source **out, const char *text,
			       size_t len, const char *file_name,
			       dm_error **err);
DM_API int dm_cfg_source_load_file(dm_cfg_source **out, const char *path,
				   dm_error **err);
DM_API void dm_cfg_source_free(dm_cfg_source *cfg);
DM_API int dm_cfg_source_print(dm_buf *out, const dm_cfg_source *cfg);
DM_API int dm_cfg_source_sample(dm_buf *out);

DM_API int dm_cfg_task_parse(dm_cfg_task **out, const char *text,
			     size_t len, const char *file_name,
			     dm_error **err);
DM_API int dm_cfg_task_load_file(dm_cfg_task **out, const char *path,
				 dm_error **err);
DM_API void dm_cfg_task_free(dm_cfg_task *cfg);
DM_API int dm_cfg_task_print(dm_buf *out, const dm_cfg_task *cfg);
DM_API int dm_cfg_task_sample(dm_buf *out);

/* Appends "FILE:LINE:COLUMN: what went wrong [code=...] message" for an
 * error from the calls above (compiler style, for tools). */
DM_API int dm_cfg_error_format(dm_buf *out, const dm_error *e);

#ifdef __cplusplus
}
#endif

#endif
