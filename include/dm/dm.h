/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdm: the whole public API, one header per module. Each function group
 * has its man page: dm_version(3), dm_error(3), dm_buf(3),
 * dm_global_init(3), dm_ctx(3), dm_log(3), dm_db(3), dm_gtid(3),
 * dm_value(3), dm_binlog_decoder(3), dm_binlog_rows(3),
 * dm_binlog_reader(3), dm_sql(3), dm_sql_eval(3), dm_schema(3),
 * dm_cfg(3), dm_rules(3), dm_rules_cfg(3), dm_ba_list(3),
 * dm_event_filter(3), dm_router(3), dm_expr_filter(3), dm_crypt(3),
 * dm_check(3), dm_dml(3), dm_checkpoint(3), dm_applier(3), dm_sync(3);
 * error codes in libdm-errors(7).
 */
#ifndef DM_DM_H
#define DM_DM_H

#include "version.h"
#include "err.h"
#include "util.h"
#include "log.h"
#include "db.h"
#include "gtid.h"
#include "rules.h"
#include "crypt.h"
#include "cfg.h"
#include "sql.h"
#include "check.h"
#include "schema.h"
#include "value.h"
#include "binlog.h"
#include "dml.h"
#include "checkpoint.h"
#include "apply.h"
#include "sync.h"

#endif
