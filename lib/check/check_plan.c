/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What runs: the ignore-checking-items names, "all", and the items DM
 * leaves out by itself for a task mode or without a shard mode.
 */
#include <string.h>

#include "check/check_private.h"

static const char *const key_names[DM__CHECK__COUNT] = {
	[DM__CHECK_TARGET_CONN] = "target_connectivity",
	[DM__CHECK_TARGET_PRIV] = "target_privilege",
	[DM__CHECK_VERSION] = "version",
	[DM__CHECK_DUMP_PRIV] = "dump_privilege",
	[DM__CHECK_SERVER_ID] = "server_id",
	[DM__CHECK_BINLOG_ENABLE] = "binlog_enable",
	[DM__CHECK_BINLOG_FORMAT] = "binlog_format",
	[DM__CHECK_BINLOG_ROW_IMAGE] = "binlog_row_image",
	[DM__CHECK_REPL_PRIV] = "replication_privilege",
	[DM__CHECK_GTID_MODE] = "gtid_mode",
	[DM__CHECK_TABLE_SCHEMA] = "table_schema",
	[DM__CHECK_SHARD_SCHEMA] = "schema_of_shard_tables",
	[DM__CHECK_AUTO_INC] = "auto_increment_ID",
};

/* Checker names and descriptions, as DM's JSON shows them. */
static const char *const checker_names[DM__CHECK__COUNT][2] = {
	[DM__CHECK_TARGET_CONN] = { "target db connectivity checker",
				    "check connectivity of target DB" },
	[DM__CHECK_TARGET_PRIV] = { "target db privilege checker",
				    "check privileges of target DB" },
	[DM__CHECK_VERSION] = { "mysql_version",
				"check whether mysql version is satisfied" },
	[DM__CHECK_DUMP_PRIV] = { "source db dump privilege checker",
				  "check dump privileges of source DB" },
	[DM__CHECK_SERVER_ID] = { "mysql_server_id",
				  "check whether mysql server_id has been set > 1" },
	[DM__CHECK_BINLOG_ENABLE] = { "mysql_binlog_enable",
				      "check whether mysql binlog is enabled" },
	[DM__CHECK_BINLOG_FORMAT] = { "mysql_binlog_format",
				      "check whether mysql binlog_format is ROW" },
	[DM__CHECK_BINLOG_ROW_IMAGE] = {
		"mysql_binlog_row_image",
		"check whether mysql binlog_row_image is FULL" },
	[DM__CHECK_REPL_PRIV] = { "source db replication privilege checker",
				  "check replication privileges of source DB" },
	[DM__CHECK_GTID_MODE] = {
		"mysql_gtid_mode",
		"check whether mysql gtid_mode is ON when enable-gtid is set" },
	[DM__CHECK_TABLE_SCHEMA] = { "table structure compatibility check",
				     "check compatibility of table structure" },
	[DM__CHECK_SHARD_SCHEMA] = {
		"sharding table consistency checking",
		"check consistency of sharding table structures" },
	[DM__CHECK_AUTO_INC] = {
		"sharding table consistency checking",
		"check consistency of sharding table structures" },
};

/* "all" first, then DM's names in DM's order, then libdm's own. */
static const char *const public_names[] = {
	"all",
	"dump_privilege",
	"replication_privilege",
	"version",
	"server_id",
	"binlog_enable",
	"binlog_format",
	"binlog_row_image",
	"table_schema",
	"schema_of_shard_tables",
	"auto_increment_ID",
	"target_privilege",
	"target_connectivity",
	"gtid_mode",
};

const char *dm__check_key_name(dm__check_key key)
{
	return (unsigned)key < DM__CHECK__COUNT ? key_names[key] : "";
}

const char *dm__check_key_checker(dm__check_key key)
{
	return (unsigned)key < DM__CHECK__COUNT ? checker_names[key][0] : "";
}

const char *dm__check_key_desc(dm__check_key key)
{
	return (unsigned)key < DM__CHECK__COUNT ? checker_names[key][1] : "";
}

const char *const *dm_check_item_names(size_t *n)
{
	if (n)
		*n = sizeof(public_names) / sizeof(public_names[0]);
	return public_names;
}

static int key_of(const char *name)
{
	int k;

	for (k = 0; k < DM__CHECK__COUNT; k++)
		if (strcmp(name, key_names[k]) == 0)
			return k;
	return -1;
}

bool dm_check_item_is_known(const char *name)
{
	return name && (strcmp(name, "all") == 0 || key_of(name) >= 0);
}

int dm__check_plan(bool enabled[DM__CHECK__COUNT], const dm_check_opts *opts,
		   dm_error **err)
{
	size_t i;
	int k;

	for (k = 0; k < DM__CHECK__COUNT; k++)
		enabled[k] = true;
	for (i = 0; i < opts->nignore_items; i++) {
		const char *name = opts->ignore_items[i];

		if (!dm_check_item_is_known(name))
			return dm_error_set(err,
					    DM_E_CONFIG_CHECK_ITEM_NOT_SUPPORT,
					    "ignore-checking-items: \"%s\"",
					    name ? name : "(null)");
		if (strcmp(name, "all") == 0) {
			for (k = 0; k < DM__CHECK__COUNT; k++)
				enabled[k] = false;
			continue;
		}
		enabled[key_of(name)] = false;
	}
	switch (opts->mode) {
	case DM_CHECK_MODE_FULL:
		/* No binlog is read: nothing about it matters. */
		enabled[DM__CHECK_SERVER_ID] = false;
		enabled[DM__CHECK_BINLOG_ENABLE] = false;
		enabled[DM__CHECK_BINLOG_FORMAT] = false;
		enabled[DM__CHECK_BINLOG_ROW_IMAGE] = false;
		enabled[DM__CHECK_REPL_PRIV] = false;
		enabled[DM__CHECK_GTID_MODE] = false;
		break;
	case DM_CHECK_MODE_INCREMENTAL:
		/* Nothing is dumped; today's table structure is not the one
		 * at the start position, so shards are not compared. */
		enabled[DM__CHECK_DUMP_PRIV] = false;
		enabled[DM__CHECK_SHARD_SCHEMA] = false;
		break;
	case DM_CHECK_MODE_ALL:
		break;
	}
	if (opts->shard_mode == DM_CHECK_SHARD_NONE)
		enabled[DM__CHECK_SHARD_SCHEMA] = false;
	/* The auto-increment rule lives inside the shard checker. */
	if (!enabled[DM__CHECK_SHARD_SCHEMA])
		enabled[DM__CHECK_AUTO_INC] = false;
	return 0;
}

bool dm_check_item_enabled(const dm_check_opts *opts, const char *name)
{
	bool enabled[DM__CHECK__COUNT];
	int k;

	if (!opts || !name || (k = key_of(name)) < 0)
		return false;
	if (dm__check_plan(enabled, opts, NULL) != 0)
		return false;
	return enabled[k];
}
