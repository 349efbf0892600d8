/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside the precheck: items under construction, the plan of what runs,
 * the SHOW GRANTS parser and privilege coverage, table and shard rules.
 * Everything here except check_run.c is pure (no sockets), so the unit
 * tests drive it directly.
 */
#ifndef DM_LIB_CHECK_PRIVATE_H
#define DM_LIB_CHECK_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/check.h"
#include "dm/sql.h"
#include "util/map.h"
#include "util/vec.h"

/* ------------------------------------------------------------ items */

/* Every item libdm knows, in the order results are listed. */
typedef enum dm__check_key {
	DM__CHECK_TARGET_CONN,
	DM__CHECK_TARGET_PRIV,
	DM__CHECK_VERSION,
	DM__CHECK_DUMP_PRIV,
	DM__CHECK_SERVER_ID,
	DM__CHECK_BINLOG_ENABLE,
	DM__CHECK_BINLOG_FORMAT,
	DM__CHECK_BINLOG_ROW_IMAGE,
	DM__CHECK_REPL_PRIV,
	DM__CHECK_GTID_MODE,
	DM__CHECK_TABLE_SCHEMA,
	DM__CHECK_SHARD_SCHEMA,
	DM__CHECK_AUTO_INC,
	DM__CHECK__COUNT
} dm__check_key;

/* ignore-checking-items name, checker name and description of a key. */
const char *dm__check_key_name(dm__check_key key);
const char *dm__check_key_checker(dm__check_key key);
const char *dm__check_key_desc(dm__check_key key);

/* Which items run: ignore list, "all", task mode and shard mode. Unknown
 * names give DM_E_CONFIG_CHECK_ITEM_NOT_SUPPORT. */
int dm__check_plan(bool enabled[DM__CHECK__COUNT], const dm_check_opts *opts,
		   dm_error **err);

/* An item under construction; pub.errors is set by dm__check_item_seal. */
typedef struct dm__check_item {
	dm_check_item pub;
	dm__vec errors; /* dm_check_error, strings owned */
} dm__check_item;

/* name, desc, extra and source_id are copied; `key` gives pub.item and,
 * when name or desc is NULL, the checker name or description. */
int dm__check_item_init(dm__check_item *it, dm__check_key key,
			const char *name, const char *desc, const char *extra,
			const char *source_id);
void dm__check_item_free(dm__check_item *it);
/* Adds an error; FAIL makes the item fail, WARN makes a succeeding item
 * warn. self, other and instruction may be NULL. */
int dm__check_item_error(dm__check_item *it, dm_check_state severity,
			 const char *self, const char *other,
			 const char *instruction, const char *fmt, ...)
	DM_PRINTF(6, 7);
/* Replaces the instruction or extra text (NULL clears it). */
int dm__check_item_set_instruction(dm__check_item *it, const char *text);
int dm__check_item_set_extra(dm__check_item *it, const char *text);
/* A query or connection that failed while checking: the item fails with
 * the error's one-line form; its workaround becomes the instruction. */
int dm__check_item_db_error(dm__check_item *it, const dm_error *e);
/* Points pub.errors at the collected errors; call after the last change. */
void dm__check_item_seal(dm__check_item *it);

/* Results: `items` (dm__check_item) moves into the result, which numbers
 * them, sums them up and cuts the reported list to the limits. */
int dm__check_result_new(dm_check_result **out, dm__vec *items,
			 bool checked, long error_limit, long warn_limit);
/* false when every item was ignored (nothing was checked). */
bool dm__check_result_checked(const dm_check_result *r);

/* "`schema`.`table`" with backticks doubled, appended. */
int dm__check_table_id(dm_buf *out, const char *schema, const char *table);

/* ------------------------------------------------ instance variables */

typedef struct dm__check_version {
	unsigned major, minor, patch;
	bool mariadb;
} dm__check_version;

/* "10.11.6-MariaDB-log" -> 10.11.6, MariaDB. DM_E_INVALID_ARGUMENT when
 * the text is not three dot-separated numbers before the first '-'. */
int dm__check_version_parse(dm__check_version *out, const char *text);

/* The rules of the instance items, over values a server returned.
 * `flavor` may be NULL; found=false: the variable does not exist. */
int dm__check_eval_version(dm__check_item *it, const char *version,
			   const char *flavor);
int dm__check_eval_server_id(dm__check_item *it, bool found,
			     const char *value);
int dm__check_eval_log_bin(dm__check_item *it, const char *value);
int dm__check_eval_binlog_format(dm__check_item *it, const char *value);
/* row_image NULL: the variable does not exist. */
int dm__check_eval_row_image(dm__check_item *it, const char *version,
			     const char *row_image);
/* gtid_mode NULL: the variable does not exist (MariaDB). */
int dm__check_eval_gtid_mode(dm__check_item *it, bool mariadb,
			     const char *gtid_mode);

/* ------------------------------------------------------- privileges */

/* Privileges the precheck asks for, in DM's report order. */
typedef enum dm__check_priv {
	DM__PRIV_CREATE,
	DM__PRIV_SELECT,
	DM__PRIV_INSERT,
	DM__PRIV_UPDATE,
	DM__PRIV_DELETE,
	DM__PRIV_SUPER,
	DM__PRIV_DROP,
	DM__PRIV_ALTER,
	DM__PRIV_INDEX,
	DM__PRIV_LOCK_TABLES,
	DM__PRIV_RELOAD,
	DM__PRIV_REPL_CLIENT,
	DM__PRIV_REPL_SLAVE,
	DM__PRIV_FLUSH_TABLES, /* MySQL 8 dynamic privilege */
	DM__PRIV__COUNT
} dm__check_priv;

#define DM__PRIV_BIT(p) (UINT32_C(1) << (p))

typedef enum dm__grant_kind {
	DM__GRANT_PRIVS,        /* GRANT privileges ON level TO ... */
	DM__GRANT_REVOKE,       /* REVOKE privileges ON level FROM ... (MySQL
	                         * partial revokes) */
	DM__GRANT_ROLES,        /* GRANT role, ... TO ... */
	DM__GRANT_DEFAULT_ROLE, /* SET DEFAULT ROLE ... (MariaDB) */
	DM__GRANT_OTHER         /* PROXY, routines: grant nothing we need */
} dm__grant_kind;

typedef enum dm__grant_level {
	DM__LEVEL_GLOBAL,       /* *.* */
	DM__LEVEL_DB,           /* `db`.*; db is a LIKE pattern */
	DM__LEVEL_TABLE,        /* `db`.`table` */
	DM__LEVEL_OTHER         /* routines, `*` of the default schema */
} dm__grant_level;

typedef struct dm__check_grant {
	dm__grant_kind kind;
	dm__grant_level level;
	char *db;               /* identifier text, quotes removed */
	char *table;
	uint32_t privs;         /* DM__PRIV_BIT set on the whole object */
	uint32_t col_privs;     /* given for a column list only */
	bool all;               /* ALL [PRIVILEGES] */
	dm__vec roles;          /* char *: role specs as written */
} dm__check_grant;

/* Parses one line of SHOW GRANTS output. DM_E_PARSE_SQL with the place
 * that could not be read; nothing of the line is quoted in the error (it
 * may hold a password hash). */
int dm__check_grant_parse(dm__check_grant *out, const char *line, size_t len,
			  dm_error **err);
void dm__check_grant_free(dm__check_grant *g);

/* One privilege needed on *.* (db NULL), on a whole schema (table NULL)
 * or on one table. */
typedef struct dm__check_need {
	dm__check_priv priv;
	const char *db;
	const char *table;
} dm__check_need;

#define DM__PRIV_SUPER_IS_REPL_CLIENT 0x1u /* MySQL, MariaDB < 10.5.2 */

bool dm__check_grants_cover(const dm__check_grant *grants, size_t ngrants,
			    const dm__check_need *need, unsigned flags);

/* Checks SHOW GRANTS lines against the needs and reports on the item:
 * DM's "lack of ... privilege" text, and GRANT statements for `account`
 * ("'user'@'host'", may be NULL) as the error's instruction. */
int dm__check_privileges(dm__check_item *it, const char *const *lines,
			 size_t nlines, const dm__check_need *needs,
			 size_t nneeds, unsigned flags, const char *account);

/* --------------------------------------------------- tables and shards */

/* Character sets and collations the target accepts; when from_target is
 * false only the built-in character set list is used. */
typedef struct dm__check_charsets {
	dm__map charsets;   /* lower-case name -> non-NULL */
	dm__map collations;
	bool from_target;
} dm__check_charsets;

void dm__check_charsets_init(dm__check_charsets *cs);
int dm__check_charsets_add(dm__check_charsets *cs, bool collation,
			   const char *name);
void dm__check_charsets_free(dm__check_charsets *cs);

/* The table_schema rules for one table; stmt is SHOW CREATE TABLE parsed. */
int dm__check_table_eval(dm__check_item *it, const char *table_id,
			 const dm_sql_stmt *stmt,
			 const dm__check_charsets *cs);

typedef struct dm__check_shard_member {
	const char *source_id;
	const char *table_id;     /* "`schema`.`table`" upstream */
	const dm_sql_stmt *stmt;  /* NULL: see error */
	const char *error;        /* why there is no structure */
} dm__check_shard_member;

/* The schema_of_shard_tables (and auto_increment_ID) rules for the tables
 * merged into `target_id`. */
int dm__check_shard_eval(dm__check_item *it, const char *target_id,
			 const dm__check_shard_member *members, size_t n,
			 bool optimistic, bool check_auto_inc);

/* Target names that differ only in letter case: DM's 26001. */
int dm__check_same_table_names(const dm_check_opts *opts, dm_error **err);

/* Target schema and table of an input table. */
const char *dm__check_target_schema(const dm_check_table *t);
const char *dm__check_target_table(const dm_check_table *t);

#endif
