/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of lib/checkpoint: the libdm form of table_info
 * (checkpoint_json.c), shared by the store (checkpoint_store.c) and the
 * unit tests.
 */
#ifndef DM_LIB_CHECKPOINT_INT_H
#define DM_LIB_CHECKPOINT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "dm/util.h"

/* The one key of libdm's table_info object. */
#define DM__CP_CREATE_KEY "libdm-create-table"

/* Appends {"libdm-create-table":"<sql>"} with `sql` escaped as a JSON
 * string (bytes >= 0x80 are copied as they are). */
int dm__cp_json_put_create(dm_buf *out, const char *sql, size_t len);

/* When `json` is an object with a string member "libdm-create-table",
 * appends its decoded value to `out` and returns 0; DM_DONE when the text
 * is anything else (not JSON, another shape, TiDB's table info, "null");
 * DM_E_NO_MEMORY. Nesting is bounded. */
int dm__cp_json_get_create(dm_buf *out, const char *json, size_t len);

#endif
