/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DM's own templates (retyped in tests/data/cfg/good) load with DM's
 * defaults, field by field; so do the samples and the every-key fixtures.
 */
#include "cfg_test.h"

#include <string.h>

#define SEC 1000000000ll
#define MIB (1024u * 1024u)

static void assert_default_mydumper(const dm_cfg_mydumper *m, int threads)
{
	assert_string_equal(m->mydumper_path, "./bin/mydumper");
	assert_int_equal(m->threads, threads);
	assert_string_equal(m->chunk_filesize, "64");
	assert_int_equal(m->chunk_filesize_bytes, 64 * MIB);
	assert_int_equal(m->statement_size, 0);
	assert_int_equal(m->rows, 0);
	assert_string_equal(m->where, "");
	assert_true(m->skip_tz_utc);
}

static void assert_default_loader(const dm_cfg_loader *l, int pool)
{
	assert_int_equal(l->pool_size, pool);
	assert_string_equal(l->dir, "./dumped_data");
	assert_int_equal(l->import_mode, DM_CFG_IMPORT_MODE_LOGICAL);
	assert_int_equal(l->on_duplicate, DM_CFG_ON_DUPLICATE_REPLACE);
	assert_string_equal(l->sorting_dir_physical, "");
	assert_int_equal(l->on_duplicate_physical,
			 DM_CFG_ON_DUPLICATE_PHYSICAL_NONE);
	assert_string_equal(l->disk_quota_physical, "");
	assert_int_equal(l->disk_quota_physical_bytes, 0);
	assert_int_equal(l->checksum_physical, DM_CFG_OP_LEVEL_REQUIRED);
	assert_int_equal(l->analyze, DM_CFG_OP_LEVEL_OPTIONAL);
	assert_int_equal(l->range_concurrency, 0);
	assert_string_equal(l->compress_kv_pairs, "");
	assert_string_equal(l->pd_addr, "");
}

/* DM's ValidatorConfig after Adjust with nothing set but `mode`. */
static void assert_default_validator(const dm_cfg_validator *v,
				     dm_cfg_validation_mode mode)
{
	assert_non_null(v);
	assert_int_equal(v->mode, mode);
	assert_int_equal(v->worker_count, 4);
	assert_int_equal(v->validate_interval_ns, 10 * SEC);
	assert_int_equal(v->check_interval_ns, 5 * SEC);
	assert_int_equal(v->row_error_delay_ns, 30 * 60 * SEC);
	assert_int_equal(v->meta_flush_interval_ns, 5 * 60 * SEC);
	assert_int_equal(v->batch_query_size, 100);
	assert_string_equal(v->max_pending_row_size, "500m");
	assert_int_equal(v->max_pending_row_size_bytes, 500 * MIB);
	assert_int_equal(v->max_pending_row_count, 2147483647);
}

static void assert_default_syncer(const dm_cfg_syncer *s, int workers)
{
	assert_string_equal(s->meta_file, "");
	assert_int_equal(s->worker_count, workers);
	assert_int_equal(s->batch, 100);
	assert_int_equal(s->queue_size, 1024);
	assert_int_equal(s->checkpoint_flush_interval, 30);
	assert_false(s->compact);
	assert_false(s->multiple_rows);
	assert_int_equal(s->max_retry, 0);
	assert_false(s->auto_fix_gtid);
	assert_false(s->enable_gtid);
	assert_false(s->disable_detect);
	assert_false(s->safe_mode);
	assert_int_equal(s->safe_mode_duration_ns, 60 * SEC);
	assert_false(s->enable_ansi_quotes);
}

static void test_cfg__dm_advanced_task_template_loads_with_dm_defaults(void **state)
{
	dm_cfg_task *t = cfg_test_task("good/dm-task-advanced.yaml");
	const dm_cfg_db *db;
	const dm_cfg_instance *a, *b;

	(void)state;
	assert_string_equal(t->name, "test");
	assert_int_equal(t->task_mode, DM_CFG_TASK_MODE_ALL);
	assert_false(t->is_sharding);
	assert_int_equal(t->shard_mode, DM_CFG_SHARD_MODE_PESSIMISTIC);
	assert_string_equal(t->meta_schema, "dm_meta");
	assert_false(t->case_sensitive);
	assert_int_equal(t->collation_compatible, DM_CFG_COLLATION_LOOSE);
	assert_true(t->online_ddl);
	assert_int_equal(t->online_ddl_scheme, DM_CFG_ONLINE_DDL_SCHEME_GH_OST);
	assert_int_equal(t->n_shadow_table_rules, 1);
	assert_string_equal(t->shadow_table_rules[0], "^_(.+)_(?:new|gho)$");
	assert_int_equal(t->n_trash_table_rules, 1);
	assert_string_equal(t->trash_table_rules[0], "^_(.+)_(?:ghc|del|old)$");
	assert_int_equal(t->n_ignore_checking_items, 0);
	assert_true(t->clean_dump_file);
	assert_string_equal(t->timezone, ""); /* deprecated: DM drops it */
	assert_false(t->enable_heartbeat);
	assert_int_equal(t->heartbeat_update_interval, 1);
	assert_int_equal(t->heartbeat_report_interval, 10);
	assert_false(t->ansi_quotes);
	assert_false(t->remove_meta);
	assert_null(t->tidb);

	db = t->target_database;
	assert_string_equal(db->host, "192.168.0.1");
	assert_int_equal(db->port, 4000);
	assert_string_equal(db->user, "root");
	assert_string_equal(db->password, "/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=");
	assert_int_equal(db->max_allowed_packet, 67108864);
	assert_int_equal(db->n_session, 3);
	assert_string_equal(db->session[0].name, "sql_mode");
	assert_string_equal(db->session[0].value,
			    "ANSI_QUOTES,NO_ZERO_IN_DATE,NO_ZERO_DATE");
	assert_string_equal(db->session[1].name, "tidb_skip_utf8_check");
	assert_string_equal(db->session[1].value, "1");
	assert_string_equal(db->session[2].name, "tidb_constraint_check_in_place");
	assert_string_equal(db->session[2].value, "0");
	assert_non_null(db->security);
	assert_string_equal(db->security->ssl_ca, "/path/to/ca.pem");
	assert_string_equal(db->security->ssl_cert, "/path/to/cert.pem");
	assert_string_equal(db->security->ssl_key, "/path/to/key.pem");
	assert_int_equal(db->security->n_cert_allowed_cn, 0);

	assert_int_equal(t->n_routes, 2);
	assert_string_equal(t->routes[0]->name, "route-rule-1");
	assert_string_equal(t->routes[0]->schema_pattern, "test_*");
	assert_string_equal(t->routes[0]->table_pattern, "t_*");
	assert_string_equal(t->routes[0]->target_schema, "test");
	assert_string_equal(t->routes[0]->target_table, "t");
	assert_string_equal(t->routes[1]->name, "route-rule-2");
	assert_string_equal(t->routes[1]->table_pattern, "");
	assert_string_equal(t->routes[1]->target_table, "");
	assert_int_equal(t->routes[0]->pos.line, 32);
	assert_int_equal(t->routes[0]->pos.column, 3);

	assert_int_equal(t->n_filters, 2);
	assert_string_equal(t->filters[0]->name, "filter-rule-1");
	assert_int_equal(t->filters[0]->n_events, 2);
	assert_string_equal(t->filters[0]->events[0], "truncate table");
	assert_string_equal(t->filters[0]->events[1], "drop table");
	assert_int_equal(t->filters[0]->n_sql_patterns, 0);
	assert_int_equal(t->filters[0]->action, DM_CFG_FILTER_ACTION_IGNORE);
	assert_string_equal(t->filters[1]->events[0], "all dml");
	assert_int_equal(t->filters[1]->action, DM_CFG_FILTER_ACTION_DO);

	assert_int_equal(t->n_expression_filters, 1);
	assert_string_equal(t->expression_filters[0]->name, "even_c");
	assert_string_equal(t->expression_filters[0]->schema, "expr_filter");
	assert_string_equal(t->expression_filters[0]->table, "tbl");
	assert_string_equal(t->expression_filters[0]->insert_value_expr,
			    "c % 2 = 0");
	assert_string_equal(t->expression_filters[0]->delete_value_expr, "");

	assert_int_equal(t->n_block_allow_lists, 2);
	assert_int_equal(t->n_black_white_lists, 0);
	assert_string_equal(t->block_allow_lists[0]->name, "bw-rule-1");
	assert_int_equal(t->block_allow_lists[0]->n_do_dbs, 2);
	assert_string_equal(t->block_allow_lists[0]->do_dbs[0], "~^test.*");
	assert_int_equal(t->block_allow_lists[0]->n_ignore_dbs, 2);
	assert_int_equal(t->block_allow_lists[0]->n_do_tables, 2);
	assert_string_equal(t->block_allow_lists[0]->do_tables[1]->db_name, "user");
	assert_string_equal(t->block_allow_lists[0]->do_tables[1]->tbl_name,
			    "information");
	assert_int_equal(t->block_allow_lists[1]->n_ignore_tables, 1);
	assert_string_equal(t->block_allow_lists[1]->ignore_tables[0]->tbl_name,
			    "log");

	assert_int_equal(t->n_mydumpers, 1);
	assert_string_equal(t->mydumpers[0]->extra_args, "--consistency none");
	assert_default_mydumper(t->mydumpers[0], 4);
	assert_int_equal(t->n_loaders, 1);
	assert_default_loader(t->loaders[0], 16); /* import-mode "sql" */
	assert_int_equal(t->n_syncers, 1);
	assert_int_equal(t->syncers[0]->worker_count, 16);
	assert_int_equal(t->syncers[0]->batch, 100);
	assert_int_equal(t->syncers[0]->queue_size, 1024);
	assert_int_equal(t->syncers[0]->checkpoint_flush_interval, 30);
	assert_true(t->syncers[0]->enable_ansi_quotes);
	assert_false(t->syncers[0]->safe_mode);
	assert_int_equal(t->syncers[0]->safe_mode_duration_ns, 60 * SEC);
	assert_false(t->syncers[0]->compact);
	assert_true(t->syncers[0]->multiple_rows);

	assert_int_equal(t->n_mysql_instances, 2);
	a = t->mysql_instances[0];
	assert_string_equal(a->source_id, "mysql-replica-01");
	assert_non_null(a->meta);
	assert_string_equal(a->meta->binlog_name, "binlog.000001");
	assert_int_equal(a->meta->binlog_pos, 4);
	assert_string_equal(a->meta->binlog_gtid,
			    "03fc0263-28c7-11e7-a653-6c0b84d59f30:1-7041423,"
			    "05474d3c-28c7-11e7-8352-203db246dd3d:1-170");
	assert_int_equal(a->n_route_rules, 2);
	assert_ptr_equal(a->routes[0], t->routes[0]);
	assert_ptr_equal(a->routes[1], t->routes[1]);
	assert_int_equal(a->n_filter_rules, 2);
	assert_ptr_equal(a->filters[1], t->filters[1]);
	assert_int_equal(a->n_expression_filters, 1);
	assert_ptr_equal(a->expr_filters[0], t->expression_filters[0]);
	assert_string_equal(a->block_allow_list, "bw-rule-1");
	assert_ptr_equal(a->ba_list, t->block_allow_lists[0]);
	assert_string_equal(a->mydumper_config_name, "global");
	assert_false(a->mydumper_inline);
	assert_string_equal(a->mydumper->extra_args, "--consistency none");
	assert_default_mydumper(a->mydumper, 4);
	assert_default_loader(a->loader, 16);
	assert_true(a->syncer->multiple_rows);
	assert_int_equal(a->pos.line, 96);
	assert_int_equal(a->pos.column, 5);

	b = t->mysql_instances[1];
	assert_string_equal(b->source_id, "mysql-replica-02");
	assert_null(b->meta);
	assert_int_equal(b->n_route_rules, 0);
	assert_null(b->ba_list);
	assert_int_equal(b->mydumper_thread, 4);
	assert_int_equal(b->loader_thread, 16);
	assert_int_equal(b->syncer_thread, 16);
	assert_default_mydumper(b->mydumper, 4);
	assert_string_equal(b->mydumper->extra_args, "");
	assert_default_loader(b->loader, 16);
	assert_default_syncer(b->syncer, 16);
	dm_cfg_task_free(t);
}

static void test_cfg__dm_legacy_task_template_uses_black_white_list(void **state)
{
	dm_cfg_task *t = cfg_test_task("good/dm-task-legacy.yaml");
	const dm_cfg_instance *a, *b;

	(void)state;
	assert_true(t->is_sharding);
	assert_int_equal(t->shard_mode, DM_CFG_SHARD_MODE_PESSIMISTIC);
	assert_false(t->online_ddl);
	assert_int_equal(t->online_ddl_scheme, DM_CFG_ONLINE_DDL_SCHEME_NONE);
	assert_int_equal(t->collation_compatible, DM_CFG_COLLATION_LOOSE);
	assert_string_equal(t->target_database->password, "");
	assert_null(t->target_database->security);
	assert_int_equal(t->target_database->max_allowed_packet, -1);
	/* black-white-list stands in for the missing block-allow-list */
	assert_int_equal(t->n_black_white_lists, 1);
	assert_int_equal(t->n_block_allow_lists, 1);
	assert_ptr_equal(t->block_allow_lists[0], t->black_white_lists[0]);
	assert_string_equal(t->filters[0]->sql_patterns[0], "^DROP\\s+PROCEDURE");
	assert_string_equal(t->mydumpers[0]->extra_args,
			    "-B test -T t1,t2 --no-locks");

	a = t->mysql_instances[0];
	assert_string_equal(a->black_white_list, "instance");
	assert_string_equal(a->block_allow_list, "instance");
	assert_ptr_equal(a->ba_list, t->block_allow_lists[0]);
	assert_int_equal(a->meta->binlog_pos, 4);
	assert_string_equal(a->meta->binlog_gtid, "");

	b = t->mysql_instances[1];
	assert_int_equal(b->meta->binlog_pos, 320);
	assert_int_equal(b->n_filter_rules, 1);
	assert_true(b->mydumper_inline);
	assert_true(b->loader_inline);
	assert_true(b->syncer_inline);
	assert_default_mydumper(b->mydumper, 4);
	assert_string_equal(b->mydumper->name, "");
	assert_default_loader(b->loader, 16);
	assert_default_syncer(b->syncer, 16);
	dm_cfg_task_free(t);
}

static void assert_default_checker(const dm_cfg_checker *k)
{
	assert_true(k->check_enable);
	assert_int_equal(k->backoff_rollback_ns, 300 * SEC);
	assert_int_equal(k->backoff_max_ns, 300 * SEC);
	assert_int_equal(k->check_interval_ns, 5 * SEC);
	assert_int_equal(k->backoff_min_ns, SEC);
	assert_true(k->backoff_jitter);
	assert_true(k->backoff_factor == 2.0);
}

static void test_cfg__dm_source_template_loads_with_dm_defaults(void **state)
{
	dm_cfg_source *s = cfg_test_source("good/dm-source.yaml");

	(void)state;
	assert_string_equal(s->source_id, "mysql-replica-01");
	assert_int_equal(s->flavor, DM_CFG_FLAVOR_AUTO);
	assert_false(s->enable_gtid);
	assert_false(s->auto_fix_gtid);
	assert_false(s->enable_relay);
	assert_string_equal(s->relay_binlog_name, "");
	assert_string_equal(s->relay_binlog_gtid, "");
	assert_string_equal(s->relay_dir, "relay-dir");
	assert_string_equal(s->meta_dir, "");
	assert_string_equal(s->charset, "");
	assert_int_equal(s->server_id, 0);
	assert_false(s->case_sensitive);
	assert_int_equal(s->n_filters, 0);
	assert_string_equal(s->from->host, "127.0.0.1");
	assert_int_equal(s->from->port, 3306);
	assert_string_equal(s->from->user, "root");
	assert_string_equal(s->from->password,
			    "ZqMLjZ2j5khNelDEfDoUhkD5aV5fIJOe0fiog9w=");
	assert_int_equal(s->from->max_allowed_packet, -1);
	assert_int_equal(s->from->n_session, 0);
	assert_string_equal(s->from->security->ssl_key, "/path/to/key.pem");
	assert_int_equal(s->purge->interval, 3600);
	assert_int_equal(s->purge->expires, 0);
	assert_int_equal(s->purge->remain_space, 15);
	assert_default_checker(s->checker);
	dm_cfg_source_free(s);
}

static void test_cfg__dm_worker_source_file_loads(void **state)
{
	dm_cfg_source *s = cfg_test_source("good/dm-source-worker.yaml");

	(void)state;
	assert_int_equal(s->server_id, 101);
	assert_string_equal(s->source_id, "mysql-replica-01");
	assert_string_equal(s->relay_dir, "./relay_log");
	assert_true(s->enable_gtid);
	assert_string_equal(s->relay_binlog_gtid,
			    "e68f6068-53ec-11eb-9c5f-0242ac110003:1-50");
	assert_string_equal(s->from->password, "Up8156jArvIPymkVC+5LxkAT6rek");
	assert_int_equal(s->from->max_allowed_packet, 0);
	assert_null(s->from->security);
	assert_default_checker(s->checker);
	dm_cfg_source_free(s);
}

static void test_cfg__every_source_key_is_read(void **state)
{
	dm_cfg_source *s = cfg_test_source("good/source-every-key.yaml");

	(void)state;
	assert_int_equal(s->flavor, DM_CFG_FLAVOR_MARIADB);
	assert_true(s->enable_gtid); /* "yes" */
	assert_true(s->auto_fix_gtid);
	assert_true(s->enable_relay);
	assert_string_equal(s->relay_binlog_name, "mariadb-bin.000042");
	assert_string_equal(s->relay_binlog_gtid, "0-1-100");
	assert_string_equal(s->relay_dir, "/var/lib/dm/relay");
	assert_string_equal(s->meta_dir, "/var/lib/dm/meta");
	assert_string_equal(s->charset, "utf8mb4");
	assert_int_equal(s->server_id, 4294967295u);
	assert_string_equal(s->from->host, "db.example.com");
	assert_int_equal(s->from->port, 3307);
	assert_string_equal(s->from->password,
			    "s3cret: with 'quotes' and \"double\" ones");
	assert_int_equal(s->from->max_allowed_packet, 16777216);
	assert_int_equal(s->from->n_session, 2);
	assert_string_equal(s->from->session[0].value, "600");
	assert_string_equal(s->from->session[1].value, "");
	assert_int_equal(s->from->security->n_cert_allowed_cn, 2);
	assert_string_equal(s->from->security->cert_allowed_cn[1], "dm-worker");
	assert_int_equal(s->purge->interval, 600);
	assert_int_equal(s->purge->expires, 24);
	assert_int_equal(s->purge->remain_space, 50);
	assert_false(s->checker->check_enable);
	assert_int_equal(s->checker->backoff_rollback_ns, 600 * SEC);
	assert_int_equal(s->checker->backoff_max_ns, 5400 * SEC);
	/* DM overrides these four */
	assert_int_equal(s->checker->check_interval_ns, 5 * SEC);
	assert_int_equal(s->checker->backoff_min_ns, SEC);
	assert_true(s->checker->backoff_jitter);
	assert_true(s->checker->backoff_factor == 2.0);
	assert_true(s->case_sensitive);
	assert_int_equal(s->n_filters, 2);
	assert_string_equal(s->filters[0]->name, "");
	assert_int_equal(s->filters[0]->n_events, 0);
	assert_string_equal(s->filters[0]->sql_patterns[0],
			    "alter table .* add column `aaa` int");
	assert_string_equal(s->filters[1]->events[0], "all dml");
	assert_int_equal(s->filters[1]->action, DM_CFG_FILTER_ACTION_DO);
	assert_int_equal(s->filters[1]->pos.line, 47);
	assert_int_equal(s->filters[1]->pos.column, 5);
	dm_cfg_source_free(s);
}

static void test_cfg__every_task_key_is_read(void **state)
{
	dm_cfg_task *t = cfg_test_task("good/task-every-key.yaml");
	const dm_cfg_instance *a, *b;

	(void)state;
	assert_int_equal(t->task_mode, DM_CFG_TASK_MODE_INCREMENTAL);
	assert_int_equal(t->shard_mode, DM_CFG_SHARD_MODE_PESSIMISTIC);
	assert_string_equal(t->meta_schema, "dm_meta_every");
	assert_true(t->case_sensitive);
	assert_int_equal(t->collation_compatible, DM_CFG_COLLATION_STRICT);
	assert_true(t->online_ddl); /* online-ddl-scheme: pt */
	assert_int_equal(t->online_ddl_scheme, DM_CFG_ONLINE_DDL_SCHEME_PT);
	assert_int_equal(t->n_shadow_table_rules, 2);
	assert_string_equal(t->shadow_table_rules[0], "^_(.+)_gho$");
	assert_string_equal(t->shadow_table_rules[1], "^_(.+)_new$");
	assert_string_equal(t->trash_table_rules[0], "^_(.+)_(?:del|old)$");
	assert_int_equal(t->n_ignore_checking_items, 3);
	assert_false(t->clean_dump_file);
	assert_string_equal(t->timezone, "");
	assert_false(t->enable_heartbeat);
	assert_int_equal(t->heartbeat_update_interval, 2);
	assert_int_equal(t->heartbeat_report_interval, 20);
	assert_true(t->ansi_quotes);
	assert_true(t->remove_meta);
	assert_non_null(t->tidb);
	assert_int_equal(t->tidb->status_port, 10080);
	assert_string_equal(t->tidb->pd_addr, "pd:2379");
	assert_string_equal(t->tidb->backend, "tidb");
	assert_int_equal(t->target_database->max_allowed_packet, -1);
	assert_string_equal(t->filters[0]->events[0], "truncate table");
	assert_int_equal(t->column_mappings[0]->n_arguments, 3);
	assert_string_equal(t->column_mappings[0]->expression, "partition id");
	assert_string_equal(t->expression_filters[0]->update_new_value_expr,
			    "amount > 1000");
	assert_int_equal(t->n_black_white_lists, 1);
	assert_int_equal(t->n_block_allow_lists, 1);
	assert_string_equal(t->block_allow_lists[0]->name, "shards");
	assert_string_equal(t->block_allow_lists[0]->do_tables[1]->tbl_name,
			    "~(?=log)");
	assert_int_equal(t->mydumpers[0]->chunk_filesize_bytes, 256 * MIB);
	assert_int_equal(t->loaders[0]->pool_size, 16);
	assert_int_equal(t->loaders[0]->on_duplicate, DM_CFG_ON_DUPLICATE_IGNORE);
	assert_int_equal(t->syncers[0]->queue_size, 1024);
	assert_int_equal(t->syncers[0]->safe_mode_duration_ns, 90 * SEC);
	assert_true(t->syncers[0]->disable_detect);

	a = t->mysql_instances[0];
	assert_int_equal(a->n_route_rules, 2);
	assert_int_equal(a->mydumper->threads, 2);  /* mydumper-thread */
	assert_int_equal(t->mydumpers[0]->threads, 8); /* untouched */
	assert_int_equal(a->loader->pool_size, 4);
	assert_int_equal(a->syncer->worker_count, 8);
	assert_int_equal(a->syncer->batch, 500);
	assert_ptr_equal(a->column_mappings[0], t->column_mappings[0]);

	b = t->mysql_instances[1];
	assert_string_equal(b->meta->binlog_name, "");
	assert_string_equal(b->meta->binlog_gtid,
			    "3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14");
	assert_int_equal(b->n_route_rules, 2); /* alias of the first list */
	assert_string_equal(b->route_rules[1], "shard-table");
	assert_string_equal(b->block_allow_list, "shards");
	assert_ptr_equal(b->ba_list, t->block_allow_lists[0]);
	/* merge key: the anchor's values, threads overridden */
	assert_true(b->mydumper_inline);
	assert_int_equal(b->mydumper->threads, 1);
	assert_int_equal(b->mydumper->rows, 10000);
	assert_string_equal(b->mydumper->mydumper_path, "/opt/mydumper");
	assert_string_equal(b->loader->dir, "/data/dump2");
	assert_int_equal(b->loader->on_duplicate, DM_CFG_ON_DUPLICATE_ERROR);
	assert_default_syncer(b->syncer, 16);

	/* validators, the newer loader keys and experimental */
	assert_int_equal(t->n_validators, 1);
	assert_string_equal(t->validators[0]->name, "strict");
	assert_int_equal(t->validators[0]->mode, DM_CFG_VALIDATION_FULL);
	assert_int_equal(t->validators[0]->worker_count, 4); /* 0: default */
	assert_int_equal(t->validators[0]->validate_interval_ns, 20 * SEC);
	assert_int_equal(t->validators[0]->check_interval_ns, 60 * SEC);
	assert_int_equal(t->validators[0]->row_error_delay_ns, 3600 * SEC);
	assert_int_equal(t->validators[0]->meta_flush_interval_ns, 30 * SEC);
	assert_int_equal(t->validators[0]->batch_query_size, 50);
	assert_string_equal(t->validators[0]->max_pending_row_size, "1.5g");
	assert_int_equal(t->validators[0]->max_pending_row_size_bytes,
			 1536 * MIB);
	assert_int_equal(t->validators[0]->max_pending_row_count, 1000);
	assert_string_equal(a->validator_config_name, "strict");
	assert_ptr_equal(a->validator, t->validators[0]);
	assert_string_equal(b->validator_config_name, "");
	assert_default_validator(b->validator, DM_CFG_VALIDATION_NONE);
	assert_string_equal(t->loaders[0]->sorting_dir_physical, "/data/sort");
	assert_int_equal(t->loaders[0]->on_duplicate_physical,
			 DM_CFG_ON_DUPLICATE_PHYSICAL_MANUAL);
	assert_string_equal(t->loaders[0]->disk_quota_physical, "80GiB");
	assert_int_equal(t->loaders[0]->disk_quota_physical_bytes,
			 80ull * 1024 * MIB);
	assert_int_equal(t->loaders[0]->checksum_physical, DM_CFG_OP_LEVEL_OFF);
	assert_int_equal(t->loaders[0]->analyze, DM_CFG_OP_LEVEL_REQUIRED);
	assert_int_equal(t->loaders[0]->range_concurrency, 8);
	assert_string_equal(t->loaders[0]->compress_kv_pairs, "gz");
	assert_string_equal(t->loaders[0]->pd_addr, "pd-1:2379");
	assert_int_equal(a->loader->on_duplicate_physical,
			 DM_CFG_ON_DUPLICATE_PHYSICAL_MANUAL);
	assert_int_equal(b->loader->analyze, DM_CFG_OP_LEVEL_OPTIONAL);
	assert_non_null(t->experimental);
	assert_true(t->experimental->async_checkpoint_flush);
	assert_false(t->strict_optimistic_shard_mode);
	dm_cfg_task_free(t);
}

static void test_cfg__validators_resolve_like_dm(void **state)
{
	dm_cfg_task *t = cfg_test_task("good/task-validators.yaml");
	const dm_cfg_validator *g;
	const dm_cfg_loader *l;

	(void)state;
	assert_int_equal(t->shard_mode, DM_CFG_SHARD_MODE_OPTIMISTIC);
	assert_true(t->strict_optimistic_shard_mode);
	assert_null(t->experimental);
	assert_int_equal(t->n_validators, 2);
	g = t->validators[0];
	assert_string_equal(g->name, "global");
	assert_int_equal(g->pos.line, 16);
	assert_int_equal(g->pos.column, 3);
	assert_int_equal(g->mode, DM_CFG_VALIDATION_FAST);
	assert_int_equal(g->worker_count, 8);
	assert_int_equal(g->row_error_delay_ns, 600 * SEC);
	assert_int_equal(g->validate_interval_ns, 10 * SEC);
	assert_int_equal(g->max_pending_row_count, 2147483647);
	assert_string_equal(t->validators[1]->name, "unset");
	assert_default_validator(t->validators[1], DM_CFG_VALIDATION_NONE);
	assert_int_equal(t->n_mysql_instances, 3);
	assert_ptr_equal(t->mysql_instances[0]->validator, g);
	assert_ptr_equal(t->mysql_instances[1]->validator, t->validators[1]);
	/* no validator-config-name: DM's default, mode none */
	assert_default_validator(t->mysql_instances[2]->validator,
				 DM_CFG_VALIDATION_NONE);
	assert_string_equal(t->mysql_instances[2]->validator->name, "");

	l = t->mysql_instances[0]->loader;
	assert_int_equal(l->on_duplicate_physical,
			 DM_CFG_ON_DUPLICATE_PHYSICAL_NONE);
	assert_int_equal(l->checksum_physical, DM_CFG_OP_LEVEL_OPTIONAL);
	assert_int_equal(l->analyze, DM_CFG_OP_LEVEL_OFF); /* any case */
	assert_string_equal(l->disk_quota_physical, "1073741824");
	assert_int_equal(l->disk_quota_physical_bytes, 1024 * MIB);
	assert_default_loader(t->mysql_instances[1]->loader, 16);
	dm_cfg_task_free(t);
}

static void test_cfg__samples_parse_and_match_the_documented_defaults(void **state)
{
	dm_buf b = DM_BUF_INIT;
	dm_cfg_task *t = NULL;
	dm_cfg_source *s = NULL;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_cfg_task_sample(&b), 0);
	assert_int_equal(dm_cfg_task_parse(&t, b.data, b.len, "sample", &err), 0);
	assert_int_equal(t->n_mysql_instances, 2);
	assert_default_mydumper(t->mysql_instances[1]->mydumper, 4);
	assert_default_loader(t->mysql_instances[1]->loader, 16);
	assert_default_syncer(t->mysql_instances[1]->syncer, 16);
	dm_cfg_task_free(t);
	dm_buf_clear(&b);
	assert_int_equal(dm_cfg_source_sample(&b), 0);
	assert_int_equal(dm_cfg_source_parse(&s, b.data, b.len, "sample", &err), 0);
	assert_string_equal(s->relay_dir, "relay-dir");
	assert_int_equal(s->purge->remain_space, 15);
	assert_default_checker(s->checker);
	dm_cfg_source_free(s);
	dm_buf_free(&b);
	assert_null(err);
}

int cfg_test_templates_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg__dm_advanced_task_template_loads_with_dm_defaults),
		cmocka_unit_test(test_cfg__validators_resolve_like_dm),
		cmocka_unit_test(test_cfg__dm_legacy_task_template_uses_black_white_list),
		cmocka_unit_test(test_cfg__dm_source_template_loads_with_dm_defaults),
		cmocka_unit_test(test_cfg__dm_worker_source_file_loads),
		cmocka_unit_test(test_cfg__every_source_key_is_read),
		cmocka_unit_test(test_cfg__every_task_key_is_read),
		cmocka_unit_test(test_cfg__samples_parse_and_match_the_documented_defaults),
	};

	return cmocka_run_group_tests_name("cfg_templates", tests, NULL, NULL);
}
