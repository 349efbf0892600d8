/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of lib/schema shared by the model (schema_table.c), the
 * tracker (schema_tracker.c) and the JSON form (schema_json.c).
 */
#ifndef DM_LIB_SCHEMA_INT_H
#define DM_LIB_SCHEMA_INT_H

#include "dm/schema.h"
#include "util/vec.h"

typedef struct schema_option {
	char *name;  /* canonical upper case, e.g. "ENGINE" */
	char *value; /* canonical SQL text */
} schema_option;

struct dm_schema_table {
	long refs;           /* shared by snapshots; atomic */
	char *schema;
	char *name;
	char *charset;       /* NULL: unknown */
	char *collation;
	dm__vec cols;        /* dm_schema_column, strings owned */
	dm__vec keys;        /* dm_schema_key, parts and strings owned */
	dm__vec opts;        /* schema_option */
};

/* Context for building columns: the defaults of the enclosing table. */
typedef struct schema_ctx {
	const char *charset;
	const char *collation;
} schema_ctx;

dm_schema_table *dm__schema_table_new(const char *schema, const char *name);
dm_schema_table *dm__schema_table_clone(const dm_schema_table *t);
void dm__schema_table_ref(dm_schema_table *t);
void dm__schema_table_unref(dm_schema_table *t);
int dm__schema_table_set_name(dm_schema_table *t, const char *schema,
			      const char *name);
int dm__schema_table_set_charset(dm_schema_table *t, const char *charset,
				 const char *collation);

/* Fills an empty table from a CREATE TABLE tree. */
int dm__schema_table_from_create(dm_schema_table *t,
				 const dm_sql_create_table *ct,
				 dm_error **err);
int dm__schema_table_alter(dm_schema_table *t, const dm_sql_alter_spec *s,
			   dm_error **err);
int dm__schema_table_add_key(dm_schema_table *t, const dm_sql_index *ix,
			     bool if_not_exists, dm_error **err);
int dm__schema_table_drop_key(dm_schema_table *t, const char *name,
			      bool if_exists, dm_error **err);

/* Canonical collation of a charset and charset of a collation (static
 * strings or `buf`). */
/* The canonical (charset, collation) pair of a charset and/or collation as
 * written: lower case, utf8 as utf8mb3, the missing one filled in; both
 * NULL when neither is given. 0 or DM_E_NO_MEMORY. */
int dm__schema_resolve_charset(char **charset, char **collation,
			       const char *cs, const char *co);
const char *dm__schema_default_collation(const char *charset, char *buf,
					 size_t size);
int dm__schema_apply_table_options(dm_schema_table *t,
				   const dm_sql_table_option *const *opts,
				   size_t n, dm_error **err);

#endif
