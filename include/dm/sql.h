/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MySQL/MariaDB statement parser: lexer, syntax trees for the DDL that
 * replication must understand, classification of every other statement,
 * canonical restore with renaming and qualifying, splitting. See dm_sql(3).
 */
#ifndef DM_SQL_H
#define DM_SQL_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* sql_mode bits the parser honours. The values are the server's own bits,
 * so the sql_mode of a binlog QUERY event can be passed unchanged. */
#define DM_SQL_MODE_REAL_AS_FLOAT 0x1ul
#define DM_SQL_MODE_PIPES_AS_CONCAT 0x2ul
#define DM_SQL_MODE_ANSI_QUOTES 0x4ul
#define DM_SQL_MODE_IGNORE_SPACE 0x8ul
#define DM_SQL_MODE_NO_BACKSLASH_ESCAPES 0x100000ul
#define DM_SQL_MODE_HIGH_NOT_PRECEDENCE 0x20000000ul

typedef struct dm_sql_parse_opts {
	unsigned version;          /* 1 */
	unsigned long sql_mode;    /* DM_SQL_MODE_* bits; others are ignored */
	unsigned server_version;   /* a version comment (slash-star-bang
	                            * NNNNN) runs when NNNNN <= this; 0: every
	                            * executable comment runs */
	bool mariadb;              /* MariaDB's slash-star-M-bang comments run */
	const char *default_db;    /* schema of unqualified names, may be NULL */
} dm_sql_parse_opts;

#define DM_SQL_PARSE_OPTS_INIT { 1, 0, 0, true, NULL }

typedef struct dm_sql_stmt dm_sql_stmt;

typedef enum dm_sql_kind {
	DM_SQL_CREATE_DATABASE,
	DM_SQL_ALTER_DATABASE,
	DM_SQL_DROP_DATABASE,
	DM_SQL_CREATE_TABLE,
	DM_SQL_CREATE_TABLE_LIKE,
	DM_SQL_ALTER_TABLE,
	DM_SQL_RENAME_TABLE,
	DM_SQL_DROP_TABLE,
	DM_SQL_TRUNCATE_TABLE,
	DM_SQL_CREATE_INDEX,
	DM_SQL_DROP_INDEX,
	DM_SQL_CREATE_VIEW,
	DM_SQL_DROP_VIEW,
	DM_SQL_ALTER_VIEW,
	DM_SQL_CREATE_TRIGGER,
	DM_SQL_DROP_TRIGGER,
	DM_SQL_CREATE_PROCEDURE,
	DM_SQL_CREATE_FUNCTION,
	DM_SQL_DROP_PROCEDURE,
	DM_SQL_DROP_FUNCTION,
	DM_SQL_CREATE_EVENT,
	DM_SQL_ALTER_EVENT,
	DM_SQL_DROP_EVENT,
	DM_SQL_CREATE_USER,
	DM_SQL_ALTER_USER,
	DM_SQL_DROP_USER,
	DM_SQL_RENAME_USER,
	DM_SQL_GRANT,
	DM_SQL_REVOKE,
	DM_SQL_SET_PASSWORD,
	DM_SQL_FLUSH,
	DM_SQL_ANALYZE,
	DM_SQL_OPTIMIZE,
	DM_SQL_REPAIR,
	DM_SQL_CHECK,
	DM_SQL_SET,
	DM_SQL_BEGIN,
	DM_SQL_COMMIT,
	DM_SQL_ROLLBACK,
	DM_SQL_SAVEPOINT,
	DM_SQL_RELEASE_SAVEPOINT,
	DM_SQL_XA,
	DM_SQL_INSERT,
	DM_SQL_UPDATE,
	DM_SQL_DELETE,
	DM_SQL_REPLACE,
	DM_SQL_LOAD_DATA,
	DM_SQL_SELECT,
	DM_SQL_USE,
	DM_SQL_CREATE_SEQUENCE,
	DM_SQL_DROP_SEQUENCE,
	DM_SQL_LOCK_TABLES,
	DM_SQL_UNLOCK_TABLES,
	DM_SQL_OTHER,
	DM_SQL_ALTER_SEQUENCE,
	DM_SQL_CREATE_ROLE,
	DM_SQL_DROP_ROLE,
	DM_SQL_ROLLBACK_TO_SAVEPOINT,
	DM_SQL_CALL,
	DM_SQL_DO,
	DM_SQL_SHOW,
	DM_SQL_CHECKSUM,
	DM_SQL_ALTER_PROCEDURE,
	DM_SQL_ALTER_FUNCTION,
	DM_SQL_EXPRESSION /* made by dm_sql_parse_expr, not a statement */
} dm_sql_kind;

/* A byte string from the statement: `ptr` is also NUL-terminated. */
typedef struct dm_sql_str {
	const char *ptr;
	size_t len;
} dm_sql_str;

/* schema is "" when not written (and, in dm_sql_stmt_tables, when there
 * is no default database either); table is "" for a schema-only name. */
typedef struct dm_sql_table_name {
	const char *schema;
	const char *table;
} dm_sql_table_name;

/* ------------------------------------------------------------ parsing */

DM_API int dm_sql_parse(dm_sql_stmt **out, const char *sql, size_t len,
			const dm_sql_parse_opts *opts, dm_error **err);
/* One expression (as in a CHECK or DEFAULT clause); see dm_sql_stmt_expr. */
DM_API int dm_sql_parse_expr(dm_sql_stmt **out, const char *sql, size_t len,
			     const dm_sql_parse_opts *opts, dm_error **err);
DM_API void dm_sql_stmt_free(dm_sql_stmt *stmt);

/* Byte ranges of the statements of a ';'-separated text. */
typedef struct dm_sql_span {
	size_t offset;
	size_t len;
} dm_sql_span;

DM_API int dm_sql_split(dm_sql_span **out, size_t *n, const char *sql,
			size_t len, const dm_sql_parse_opts *opts,
			dm_error **err);
DM_API void dm_sql_spans_free(dm_sql_span *spans);

/* ------------------------------------------------------ classification */

DM_API dm_sql_kind dm_sql_stmt_kind(const dm_sql_stmt *stmt);
DM_API const char *dm_sql_kind_name(dm_sql_kind kind);
DM_API bool dm_sql_stmt_is_ddl(const dm_sql_stmt *stmt);
DM_API size_t dm_sql_stmt_tables(const dm_sql_stmt *stmt,
				 const dm_sql_table_name **out);
/* NULL, or why the statement cannot be replicated faithfully. */
DM_API const char *dm_sql_stmt_unsupported_reason(const dm_sql_stmt *stmt);

/* --------------------------------------------------------- expressions */

typedef enum dm_sql_expr_kind {
	DM_SQL_EXPR_NULL,        /* NULL */
	DM_SQL_EXPR_BOOL,        /* TRUE / FALSE: value "TRUE" or "FALSE" */
	DM_SQL_EXPR_INT,         /* value: digits as written */
	DM_SQL_EXPR_DECIMAL,     /* value: e.g. "1.50", ".5" */
	DM_SQL_EXPR_FLOAT,       /* value: e.g. "1e3" */
	DM_SQL_EXPR_STRING,      /* value: decoded bytes; charset, national */
	DM_SQL_EXPR_HEX,         /* value: even number of upper-case digits */
	DM_SQL_EXPR_BIT,         /* value: '0'/'1' digits */
	DM_SQL_EXPR_TEMPORAL,    /* keyword DATE|TIME|TIMESTAMP, value text */
	DM_SQL_EXPR_COLUMN,      /* [schema.][table.]value */
	DM_SQL_EXPR_USER_VAR,    /* @value */
	DM_SQL_EXPR_SYSTEM_VAR,  /* @@[keyword.]value */
	DM_SQL_EXPR_UNARY,       /* op args[0] */
	DM_SQL_EXPR_BINARY,      /* args[0] op args[1] */
	DM_SQL_EXPR_IS,          /* args[0] IS [NOT] keyword */
	DM_SQL_EXPR_IN,          /* args[0] [NOT] IN (args[1..]) */
	DM_SQL_EXPR_BETWEEN,     /* args[0] [NOT] BETWEEN args[1] AND args[2] */
	DM_SQL_EXPR_LIKE,        /* args[0] [NOT] LIKE args[1] [ESCAPE args[2]] */
	DM_SQL_EXPR_FUNC,        /* [schema.]value(args), keyword for forms */
	DM_SQL_EXPR_CASE,        /* CASE [operand] (WHEN args[2i] THEN args[2i+1])*
	                          * [ELSE else_expr] END */
	DM_SQL_EXPR_CAST,        /* CAST(args[0] AS type), also CONVERT(x, t) */
	DM_SQL_EXPR_CONVERT_USING, /* CONVERT(args[0] USING charset) */
	DM_SQL_EXPR_INTERVAL,    /* INTERVAL args[0] keyword */
	DM_SQL_EXPR_COLLATE,     /* args[0] COLLATE keyword */
	DM_SQL_EXPR_ROW          /* (args[0], args[1], ...) */
} dm_sql_expr_kind;

typedef enum dm_sql_op {
	DM_SQL_OP_NONE,
	DM_SQL_OP_OR,
	DM_SQL_OP_XOR,
	DM_SQL_OP_AND,
	DM_SQL_OP_NOT,          /* NOT and ! */
	DM_SQL_OP_EQ,
	DM_SQL_OP_NULL_SAFE_EQ, /* <=> */
	DM_SQL_OP_NE,           /* <> and != */
	DM_SQL_OP_LT,
	DM_SQL_OP_LE,
	DM_SQL_OP_GT,
	DM_SQL_OP_GE,
	DM_SQL_OP_BIT_OR,
	DM_SQL_OP_BIT_AND,
	DM_SQL_OP_SHIFT_LEFT,
	DM_SQL_OP_SHIFT_RIGHT,
	DM_SQL_OP_ADD,
	DM_SQL_OP_SUB,
	DM_SQL_OP_MUL,
	DM_SQL_OP_DIV,          /* / */
	DM_SQL_OP_INT_DIV,      /* DIV */
	DM_SQL_OP_MOD,          /* % and MOD */
	DM_SQL_OP_BIT_XOR,
	DM_SQL_OP_NEG,          /* unary - */
	DM_SQL_OP_PLUS,         /* unary + */
	DM_SQL_OP_BIT_NOT,      /* ~ */
	DM_SQL_OP_BINARY,       /* BINARY x */
	DM_SQL_OP_REGEXP,       /* REGEXP and RLIKE; negated for NOT REGEXP */
	DM_SQL_OP_SOUNDS_LIKE
} dm_sql_op;

struct dm_sql_data_type;

/* A read-only expression node; records may only grow at the end. */
typedef struct dm_sql_expr dm_sql_expr;
struct dm_sql_expr {
	dm_sql_expr_kind kind;
	dm_sql_op op;
	bool negated;              /* NOT IN/BETWEEN/LIKE/REGEXP, IS NOT */
	dm_sql_str value;
	const char *charset;       /* introducer or USING name (lower case) */
	const char *keyword;       /* unit, IS operand, TRIM side, collation,
	                            * variable scope, temporal type, ... */
	const char *schema;        /* qualifiers, NULL when not written */
	const char *table;
	const dm_sql_expr *const *args;
	size_t nargs;
	const dm_sql_expr *operand;   /* CASE x WHEN ... */
	const dm_sql_expr *else_expr; /* CASE ... ELSE x */
	const struct dm_sql_data_type *type; /* CAST */
	bool national;             /* N'...' */
	bool quoted;               /* function name was written quoted */
	bool prefixed;             /* HEX/BIT written 0x../0b.., not X'..'/b'..'
	                            * (MariaDB reads 0x.. as a number where a
	                            * number is wanted, X'..' as a string) */
};

DM_API const dm_sql_expr *dm_sql_stmt_expr(const dm_sql_stmt *stmt);

/* ------------------------------------------------------ table structure */

typedef struct dm_sql_data_type {
	const char *name;          /* canonical upper case: "INT", "VARCHAR" */
	long long length;          /* (M), or -1 */
	long long scale;           /* (M,D): D, or -1 */
	bool is_unsigned;
	bool zerofill;
	bool binary;               /* CHAR(n) BINARY */
	const char *charset;       /* lower case, NULL when not written */
	const char *collation;     /* lower case, NULL when not written */
	const dm_sql_str *values;  /* ENUM / SET members */
	size_t nvalues;
} dm_sql_data_type;

typedef enum dm_sql_nullability {
	DM_SQL_NULLABILITY_UNSPECIFIED,
	DM_SQL_NULLABILITY_NULL,
	DM_SQL_NULLABILITY_NOT_NULL
} dm_sql_nullability;

typedef enum dm_sql_default_kind {
	DM_SQL_DEFAULT_NONE,
	DM_SQL_DEFAULT_NULL,
	DM_SQL_DEFAULT_LITERAL,
	DM_SQL_DEFAULT_EXPR,
	DM_SQL_DEFAULT_CURRENT_TIMESTAMP
} dm_sql_default_kind;

typedef enum dm_sql_generated_kind {
	DM_SQL_GENERATED_NONE,
	DM_SQL_GENERATED_VIRTUAL,
	DM_SQL_GENERATED_STORED,
	DM_SQL_GENERATED_ROW_START,
	DM_SQL_GENERATED_ROW_END
} dm_sql_generated_kind;

typedef enum dm_sql_order {
	DM_SQL_ORDER_NONE,
	DM_SQL_ORDER_ASC,
	DM_SQL_ORDER_DESC
} dm_sql_order;

typedef enum dm_sql_fk_action {
	DM_SQL_FK_ACTION_NONE,
	DM_SQL_FK_ACTION_RESTRICT,
	DM_SQL_FK_ACTION_CASCADE,
	DM_SQL_FK_ACTION_SET_NULL,
	DM_SQL_FK_ACTION_NO_ACTION,
	DM_SQL_FK_ACTION_SET_DEFAULT
} dm_sql_fk_action;

typedef enum dm_sql_fk_match {
	DM_SQL_FK_MATCH_NONE,
	DM_SQL_FK_MATCH_FULL,
	DM_SQL_FK_MATCH_PARTIAL,
	DM_SQL_FK_MATCH_SIMPLE
} dm_sql_fk_match;

typedef struct dm_sql_index_part {
	const char *column;        /* NULL for an expression part */
	long long length;          /* prefix length, or -1 */
	dm_sql_order order;
	const dm_sql_expr *expr;   /* (expr) part */
	const char *expr_text;
} dm_sql_index_part;

typedef struct dm_sql_reference {
	dm_sql_table_name table;
	const dm_sql_index_part *const *columns;
	size_t ncolumns;
	dm_sql_fk_match match;
	dm_sql_fk_action on_delete;
	dm_sql_fk_action on_update;
} dm_sql_reference;

typedef struct dm_sql_column {
	const char *name;
	const dm_sql_data_type *type;
	dm_sql_nullability nullability;
	dm_sql_default_kind default_kind;
	const dm_sql_expr *default_expr;
	const char *default_text;  /* canonical SQL of the default, or NULL */
	int default_fsp;           /* CURRENT_TIMESTAMP(n): n, else -1 */
	bool on_update;            /* ON UPDATE CURRENT_TIMESTAMP */
	const dm_sql_expr *on_update_expr;
	const char *on_update_text;
	int on_update_fsp;
	bool auto_increment;
	bool has_comment;
	dm_sql_str comment;
	dm_sql_generated_kind generated;
	const dm_sql_expr *generated_expr;
	const char *generated_text;
	bool invisible;
	const dm_sql_expr *check_expr;
	const char *check_text;
	bool primary_key;          /* PRIMARY KEY or KEY after the type */
	bool unique_key;           /* UNIQUE [KEY] after the type */
	const dm_sql_reference *references;
	const char *const *extra;  /* other attributes as canonical SQL text */
	size_t nextra;
	bool serial_default_value; /* SERIAL DEFAULT VALUE */
} dm_sql_column;

typedef enum dm_sql_index_kind {
	DM_SQL_INDEX_PRIMARY,
	DM_SQL_INDEX_UNIQUE,
	DM_SQL_INDEX_PLAIN,
	DM_SQL_INDEX_FULLTEXT,
	DM_SQL_INDEX_SPATIAL,
	DM_SQL_INDEX_FOREIGN,
	DM_SQL_INDEX_CHECK,
	DM_SQL_INDEX_PERIOD        /* PERIOD FOR name (start, end) */
} dm_sql_index_kind;

typedef enum dm_sql_visibility {
	DM_SQL_VISIBILITY_DEFAULT,
	DM_SQL_VISIBILITY_VISIBLE,   /* VISIBLE, NOT IGNORED */
	DM_SQL_VISIBILITY_INVISIBLE  /* INVISIBLE, IGNORED */
} dm_sql_visibility;

/* An index or a table constraint (keys, foreign keys, checks, periods). */
typedef struct dm_sql_index {
	dm_sql_index_kind kind;
	const char *constraint;    /* CONSTRAINT symbol, or NULL */
	const char *name;          /* index name, period name, or NULL */
	bool if_not_exists;
	const dm_sql_index_part *const *parts;
	size_t nparts;
	const char *index_type;    /* USING BTREE|HASH|RTREE, or NULL */
	bool has_comment;
	dm_sql_str comment;
	long long key_block_size;  /* or -1 */
	const char *parser;        /* WITH PARSER name, or NULL */
	dm_sql_visibility visibility;
	const dm_sql_reference *references; /* FOREIGN */
	const dm_sql_expr *check_expr;      /* CHECK */
	const char *check_text;
	const char *without_overlaps;       /* UNIQUE (..., p WITHOUT OVERLAPS) */
	bool system_time;          /* PERIOD FOR SYSTEM_TIME */
	const char *const *extra;  /* other options as canonical SQL text */
	size_t nextra;
} dm_sql_index;

/* A table option: name in canonical upper case ("ENGINE", "DEFAULT
 * CHARSET", "COLLATE", "COMMENT", "AUTO_INCREMENT", "WITH SYSTEM
 * VERSIONING", ...), value as canonical SQL text ("" when it has none). */
typedef struct dm_sql_table_option {
	const char *name;
	const char *value;
	bool is_string;            /* value is a string literal: see str */
	dm_sql_str str;
	const dm_sql_table_name *tables; /* UNION=(...) */
	size_t ntables;
} dm_sql_table_option;

typedef enum dm_sql_element_kind {
	DM_SQL_ELEMENT_COLUMN,
	DM_SQL_ELEMENT_INDEX
} dm_sql_element_kind;

typedef struct dm_sql_table_element {
	dm_sql_element_kind kind;
	const dm_sql_column *column;
	const dm_sql_index *index;
} dm_sql_table_element;

typedef struct dm_sql_create_table {
	dm_sql_table_name name;
	bool or_replace;
	bool temporary;
	bool if_not_exists;
	const dm_sql_table_element *const *elements; /* as written */
	size_t nelements;
	const dm_sql_column *const *columns;
	size_t ncolumns;
	const dm_sql_index *const *indexes;
	size_t nindexes;
	const dm_sql_table_option *const *options;
	size_t noptions;
	const char *partition;     /* canonical text of PARTITION BY ..., or NULL */
	const dm_sql_table_name *like; /* CREATE TABLE ... LIKE source, or NULL */
	const char *select;        /* [IGNORE|REPLACE] [AS] SELECT ... text */
} dm_sql_create_table;

typedef enum dm_sql_alter_kind {
	DM_SQL_ALTER_ADD_COLUMN,
	DM_SQL_ALTER_ADD_INDEX,        /* any key or constraint: see index */
	DM_SQL_ALTER_DROP_COLUMN,
	DM_SQL_ALTER_DROP_INDEX,
	DM_SQL_ALTER_DROP_PRIMARY_KEY,
	DM_SQL_ALTER_DROP_FOREIGN_KEY,
	DM_SQL_ALTER_DROP_CONSTRAINT,  /* DROP CONSTRAINT and DROP CHECK */
	DM_SQL_ALTER_MODIFY_COLUMN,
	DM_SQL_ALTER_CHANGE_COLUMN,
	DM_SQL_ALTER_SET_DEFAULT,
	DM_SQL_ALTER_DROP_DEFAULT,
	DM_SQL_ALTER_COLUMN_VISIBILITY,
	DM_SQL_ALTER_RENAME_COLUMN,
	DM_SQL_ALTER_RENAME_TABLE,
	DM_SQL_ALTER_RENAME_INDEX,
	DM_SQL_ALTER_INDEX_VISIBILITY,
	DM_SQL_ALTER_OPTIONS,
	DM_SQL_ALTER_CONVERT_CHARSET,
	DM_SQL_ALTER_ALGORITHM,
	DM_SQL_ALTER_LOCK,
	DM_SQL_ALTER_ENABLE_KEYS,
	DM_SQL_ALTER_DISABLE_KEYS,
	DM_SQL_ALTER_FORCE,
	DM_SQL_ALTER_ORDER_BY,
	DM_SQL_ALTER_PARTITION,        /* partition operations, kept as text */
	DM_SQL_ALTER_OTHER             /* other specifications, kept as text */
} dm_sql_alter_kind;

typedef enum dm_sql_position {
	DM_SQL_POSITION_NONE,
	DM_SQL_POSITION_FIRST,
	DM_SQL_POSITION_AFTER
} dm_sql_position;

typedef struct dm_sql_alter_spec {
	dm_sql_alter_kind kind;
	bool if_exists;
	bool if_not_exists;
	const char *name;          /* the column, index or constraint acted on */
	const char *new_name;      /* RENAME COLUMN/INDEX ... TO new_name */
	const dm_sql_column *const *columns; /* ADD/MODIFY/CHANGE */
	size_t ncolumns;
	bool column_list;          /* ADD COLUMN (a ..., b ...) */
	const dm_sql_index *index; /* ADD INDEX/KEY/CONSTRAINT */
	dm_sql_position position;
	const char *after;         /* DM_SQL_POSITION_AFTER column */
	dm_sql_default_kind default_kind; /* SET DEFAULT */
	const dm_sql_expr *default_expr;
	const char *default_text;
	const dm_sql_table_option *const *options;
	size_t noptions;
	dm_sql_table_name new_table; /* RENAME TO */
	const char *charset;       /* CONVERT TO CHARACTER SET */
	const char *collation;
	dm_sql_visibility visibility;
	const char *text;          /* ALGORITHM/LOCK value, or the canonical
	                            * text of ORDER BY/PARTITION/OTHER specs */
} dm_sql_alter_spec;

typedef struct dm_sql_alter_table {
	dm_sql_table_name name;
	bool online;
	bool ignore;
	bool if_exists;
	const char *wait;          /* "WAIT n", "NOWAIT" or NULL */
	const dm_sql_alter_spec *const *specs;
	size_t nspecs;
} dm_sql_alter_table;

typedef struct dm_sql_rename_pair {
	dm_sql_table_name from;
	dm_sql_table_name to;
} dm_sql_rename_pair;

typedef struct dm_sql_rename_table {
	bool if_exists;
	const char *wait;
	const dm_sql_rename_pair *pairs;
	size_t npairs;
} dm_sql_rename_table;

/* DROP TABLE and TRUNCATE TABLE. */
typedef struct dm_sql_drop_table {
	bool temporary;
	bool if_exists;
	const char *wait;
	const dm_sql_table_name *tables;
	size_t ntables;
	const char *behavior;      /* "RESTRICT", "CASCADE" or NULL */
} dm_sql_drop_table;

typedef struct dm_sql_create_index {
	dm_sql_table_name table;
	bool or_replace;
	const dm_sql_index *index;
	const char *algorithm;     /* upper case, or NULL */
	const char *lock;
	const char *wait;
} dm_sql_create_index;

typedef struct dm_sql_drop_index {
	dm_sql_table_name table;
	const char *name;
	bool if_exists;
	const char *algorithm;
	const char *lock;
	const char *wait;
} dm_sql_drop_index;

/* CREATE / ALTER / DROP DATABASE; options use dm_sql_table_option with
 * names "CHARACTER SET", "COLLATE", "COMMENT". */
typedef struct dm_sql_database {
	const char *name;          /* NULL: ALTER DATABASE of the default one */
	bool or_replace;
	bool if_not_exists;
	bool if_exists;
	const dm_sql_table_option *const *options;
	size_t noptions;
} dm_sql_database;

DM_API const dm_sql_create_table *
dm_sql_stmt_create_table(const dm_sql_stmt *stmt);
DM_API const dm_sql_alter_table *
dm_sql_stmt_alter_table(const dm_sql_stmt *stmt);
DM_API const dm_sql_rename_table *
dm_sql_stmt_rename_table(const dm_sql_stmt *stmt);
DM_API const dm_sql_drop_table *dm_sql_stmt_drop_table(const dm_sql_stmt *stmt);
DM_API const dm_sql_create_index *
dm_sql_stmt_create_index(const dm_sql_stmt *stmt);
DM_API const dm_sql_drop_index *dm_sql_stmt_drop_index(const dm_sql_stmt *stmt);
DM_API const dm_sql_database *dm_sql_stmt_database(const dm_sql_stmt *stmt);

/* -------------------------------------------------------------- restore */

/* Called for every table reference (table == NULL for a schema-only one);
 * set an output to a new name or leave it NULL to keep the old one. The
 * strings must live until the restore call returns. Return 0, or a
 * negative status to stop the restore with it. */
typedef int (*dm_sql_rename_fn)(const char *schema, const char *table,
				const char **new_schema,
				const char **new_table, void *userdata);

/* Flags of dm_sql_restore_opts. */
#define DM_SQL_RESTORE_NO_BACKSLASH_ESCAPES 0x1u /* for such sessions */

typedef struct dm_sql_restore_opts {
	unsigned version;          /* 1 */
	dm_sql_rename_fn rename;   /* may be NULL */
	void *rename_userdata;
	bool qualify;              /* add the default database to bare names */
	unsigned flags;            /* DM_SQL_RESTORE_* */
} dm_sql_restore_opts;

#define DM_SQL_RESTORE_OPTS_INIT { 1, NULL, NULL, false, 0 }

DM_API int dm_sql_restore(dm_buf *out, const dm_sql_stmt *stmt,
			  const dm_sql_restore_opts *opts, dm_error **err);
DM_API int dm_sql_expr_restore(dm_buf *out, const dm_sql_expr *expr,
			       const dm_sql_restore_opts *opts,
			       dm_error **err);

/* --------------------------------------------------------------- split */

#define DM_SQL_SPLIT_ALTER 0x1u /* one ALTER TABLE per specification */

typedef struct dm_sql_text_list dm_sql_text_list;

DM_API int dm_sql_split_stmt(dm_sql_text_list **out, const dm_sql_stmt *stmt,
			     unsigned flags, const dm_sql_restore_opts *opts,
			     dm_error **err);
DM_API size_t dm_sql_text_list_count(const dm_sql_text_list *list);
DM_API const char *dm_sql_text_list_get(const dm_sql_text_list *list,
					size_t i, size_t *len);
DM_API void dm_sql_text_list_free(dm_sql_text_list *list);

/* ---------------------------------------------------------- evaluation */

/* One column of the row an expression is evaluated over; see
 * dm_sql_eval(3). `type` may be NULL (the value's own kind decides). */
typedef struct dm_sql_eval_column {
	const char *name;               /* matched case-insensitively */
	const struct dm_value *value;
	const dm_sql_data_type *type;
} dm_sql_eval_column;

typedef struct dm_sql_eval_row {
	const dm_sql_eval_column *columns;
	size_t ncolumns;
} dm_sql_eval_row;

typedef struct dm_sql_eval_opts {
	unsigned version;          /* 1 */
	long tz_offset;            /* session time zone, seconds east of UTC */
	long long now_sec;         /* NOW(): seconds since the epoch, UTC; */
	unsigned long now_usec;    /* and microseconds; both 0: wall clock */
	unsigned long sql_mode;    /* DM_SQL_MODE_* bits */
} dm_sql_eval_opts;

#define DM_SQL_EVAL_OPTS_INIT { 1, 0, 0, 0, 0 }

DM_API int dm_sql_eval(struct dm_value *out, dm_buf *scratch,
		       const dm_sql_expr *expr, const dm_sql_eval_row *row,
		       const dm_sql_eval_opts *opts, dm_error **err);
/* Evaluates like dm_sql_eval and appends the result to `out` as
 * `SELECT expr` prints it: NULL as "NULL" (then *is_null, when is_null
 * is not NULL, is true), DECIMALs and DOUBLEs with their type's decimals. */
DM_API int dm_sql_eval_text(dm_buf *out, bool *is_null,
			    const dm_sql_expr *expr, const dm_sql_eval_row *row,
			    const dm_sql_eval_opts *opts, dm_error **err);
/* Stores `in` into a column of `type` as a strict INSERT would. */
DM_API int dm_sql_eval_convert(struct dm_value *out, dm_buf *scratch,
			       const struct dm_value *in,
			       const dm_sql_data_type *type, dm_error **err);

/* ------------------------------------------------------ tests, debugging */

DM_API bool dm_sql_stmt_equal(const dm_sql_stmt *a, const dm_sql_stmt *b);
DM_API int dm_sql_stmt_dump(dm_buf *out, const dm_sql_stmt *stmt);

#ifdef __cplusplus
}
#endif

#endif
