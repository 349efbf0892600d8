/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libdm: the whole public API. Each group has its own page: dm_version(3),
 * dm_error(3), dm_buf(3), dm_global_init(3), dm_ctx(3), dm_log(3), dm_db(3).
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
#include "value.h"
#include "binlog.h"
#include "schema.h"

#endif
