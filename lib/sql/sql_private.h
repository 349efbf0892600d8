/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/sql internals: the per-statement arena, tokens and the lexer, the
 * parser state, the private halves of the tree records, and the printers
 * shared by restore, dump and equality.
 */
#ifndef DM_LIB_SQL_PRIVATE_H
#define DM_LIB_SQL_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "dm/sql.h"

/* ---------------------------------------------------------------- arena */

/* Bump allocator: every node of a statement lives in one arena and goes
 * away with one dm__sql_arena_free. */
typedef struct dm__sql_chunk dm__sql_chunk;
typedef struct dm__sql_arena {
	dm__sql_chunk *chunks;
	char *cur;
	size_t left;
	size_t next_size;
} dm__sql_arena;

void dm__sql_arena_init(dm__sql_arena *a);
/* Zeroed, aligned for any object; NULL when out of memory. */
void *dm__sql_alloc(dm__sql_arena *a, size_t size);
/* Copy of s[0..n) plus a NUL; NULL when out of memory. */
char *dm__sql_strndup(dm__sql_arena *a, const char *s, size_t n);
void dm__sql_arena_free(dm__sql_arena *a);

/* Growable array of pointers in an arena (old arrays are abandoned). */
typedef struct dm__sql_list {
	void **items;
	size_t n;
	size_t cap;
} dm__sql_list;

int dm__sql_list_push(dm__sql_arena *a, dm__sql_list *l, void *item);

/* --------------------------------------------------------------- tokens */

enum dm__sql_tok_kind {
	DM__TOK_EOF,
	DM__TOK_WORD,     /* unquoted identifier or keyword; text as written */
	DM__TOK_QIDENT,   /* `x` (or "x" under ANSI_QUOTES); text decoded */
	DM__TOK_STRING,   /* text decoded; charset, national */
	DM__TOK_INT,      /* text as written */
	DM__TOK_DECIMAL,
	DM__TOK_FLOAT,
	DM__TOK_HEX,      /* text: upper-case digits, even count; charset */
	DM__TOK_BIT,      /* text: 0/1 digits; charset */
	DM__TOK_USER_VAR, /* text: name (decoded when quoted) */
	DM__TOK_SYS_VAR,  /* text: name as written; scope */
	DM__TOK_PARAM,    /* ? */
	DM__TOK_PUNCT
};

enum dm__sql_punct {
	DM__P_NONE,
	DM__P_LPAREN,
	DM__P_RPAREN,
	DM__P_COMMA,
	DM__P_SEMI,
	DM__P_DOT,
	DM__P_PLUS,
	DM__P_MINUS,
	DM__P_STAR,
	DM__P_SLASH,
	DM__P_PERCENT,
	DM__P_EQ,
	DM__P_NSEQ,    /* <=> */
	DM__P_NE,      /* <> != */
	DM__P_LT,
	DM__P_LE,
	DM__P_GT,
	DM__P_GE,
	DM__P_SHL,
	DM__P_SHR,
	DM__P_ANDAND,
	DM__P_OROR,
	DM__P_BANG,
	DM__P_TILDE,
	DM__P_CARET,
	DM__P_AMP,
	DM__P_PIPE,
	DM__P_ASSIGN,  /* := */
	DM__P_ARROW,   /* -> */
	DM__P_ARROW2,  /* ->> */
	DM__P_LBRACE,
	DM__P_RBRACE,
	DM__P_COLON,
	DM__P_AT       /* @ not followed by a name */
};

typedef struct dm__sql_token {
	unsigned char kind;
	unsigned char punct;
	bool gap;        /* whitespace or a comment before it */
	bool national;   /* N'...' */
	bool quoted;     /* user variable written @'x', @"x" or @`x` */
	char quote;      /* that quote character */
	bool prefixed;   /* hex or bit literal written 0x.. / 0b.. */
	size_t start;    /* byte span in the statement text */
	size_t end;
	const char *text;
	size_t len;
	const char *charset; /* introducer, lower case */
	const char *scope;   /* system variable scope as written, or NULL */
} dm__sql_token;

typedef struct dm__sql_lexer {
	const char *src;
	size_t len;
	size_t pos;
	unsigned long mode;
	unsigned server_version;
	bool mariadb;
	bool in_exec;        /* inside an executed version comment */
	bool prev_dot;       /* previous token was an adjacent '.' */
	bool prev_name;      /* previous token was a word or quoted name */
	dm__sql_arena *arena; /* NULL: scan only, nothing decoded */
	size_t err_pos;
	const char *err_msg;
} dm__sql_lexer;

void dm__sql_lex_init(dm__sql_lexer *lx, const char *src, size_t len,
		      const dm_sql_parse_opts *opts, dm__sql_arena *arena);
/* Next token (DM__TOK_EOF at the end). 0, DM_E_PARSE_SQL (err_pos and
 * err_msg set) or DM_E_NO_MEMORY. */
int dm__sql_lex_next(dm__sql_lexer *lx, dm__sql_token *tok);
/* Every token up to and including EOF, in the arena; charset introducers
 * and adjacent string literals are merged. */
int dm__sql_lex_all(dm__sql_lexer *lx, dm__sql_token **out, size_t *n);

bool dm__sql_word_is(const dm__sql_token *t, const char *kw);
bool dm__sql_is_reserved(const char *s, size_t len);
bool dm__sql_is_charset_name(const char *s, size_t len);

/* A DM_E_PARSE_SQL error "line L column C near '...': msg". */
int dm__sql_syntax_error(dm_error **err, const char *src, size_t len,
			 size_t pos, const char *msg);

/* A run of tokens kept as written (partition clauses, rare options). */
typedef struct dm__sql_tokseq {
	const dm__sql_token *toks;
	size_t n;
} dm__sql_tokseq;

/* ------------------------------------------------ private tree halves */

typedef struct dm__sql_column {
	dm_sql_column pub;
	const dm__sql_tokseq *extra_seqs;
} dm__sql_column;

typedef struct dm__sql_index {
	dm_sql_index pub;
	const dm__sql_tokseq *extra_seqs;
} dm__sql_index;

typedef struct dm__sql_create_table {
	dm_sql_create_table pub;
	dm__sql_tokseq partition;
	dm__sql_tokseq select;
} dm__sql_create_table;

typedef struct dm__sql_alter_spec {
	dm_sql_alter_spec pub;
	dm__sql_tokseq seq;
	bool after_comma;  /* a partition operation written after a ',' */
} dm__sql_alter_spec;

/* A table name found by the skim of a statement without a full tree:
 * tokens [first, last] are replaced by the (renamed) name on restore. */
typedef struct dm__sql_tref {
	size_t first;
	size_t last;
	dm_sql_table_name name;
} dm__sql_tref;

struct dm_sql_stmt {
	dm__sql_arena arena;
	dm_sql_kind kind;
	const char *unsupported;
	const char *default_db;
	dm_sql_table_name *tables;
	size_t ntables;
	dm__sql_create_table *create_table;
	dm_sql_alter_table *alter_table;
	dm_sql_rename_table *rename_table;
	dm_sql_drop_table *drop_table;   /* DROP TABLE and TRUNCATE */
	dm_sql_create_index *create_index;
	dm_sql_drop_index *drop_index;
	dm_sql_database *database;
	const dm_sql_expr *expr;
	/* Skimmed statements: all tokens (without EOF and the final ';'). */
	dm__sql_tokseq toks;
	dm__sql_tref *trefs;
	size_t ntrefs;
};

/* --------------------------------------------------------------- parser */

typedef struct dm__sql_parser {
	dm__sql_arena *arena;
	const char *src;
	size_t len;
	const dm__sql_token *toks;
	size_t ntoks;
	size_t pos;
	unsigned long mode;
	const dm_sql_parse_opts *opts;
	int rc;            /* first error: DM_E_PARSE_SQL or DM_E_NO_MEMORY */
	size_t err_pos;
	const char *err_msg;
	unsigned depth;
	struct dm_sql_stmt *stmt;
} dm__sql_parser;

/* Expression trees may be DM__SQL_MAX_DEPTH deep. Parsing recursion is
 * bounded separately: restore adds at most one level of parentheses per
 * tree level, and its text must parse again. */
#define DM__SQL_MAX_DEPTH 200
#define DM__SQL_MAX_RECURSION (2 * DM__SQL_MAX_DEPTH + 50)

/* Token helpers. */
const dm__sql_token *dm__sql_peek(const dm__sql_parser *p, size_t ahead);
bool dm__sql_at_word(const dm__sql_parser *p, const char *kw);
bool dm__sql_at_word2(const dm__sql_parser *p, const char *kw1,
		      const char *kw2);
bool dm__sql_accept_word(dm__sql_parser *p, const char *kw);
bool dm__sql_at_punct(const dm__sql_parser *p, int punct);
bool dm__sql_accept_punct(dm__sql_parser *p, int punct);
/* Records a syntax error at the current token (the first one wins);
 * returns false so callers can `return dm__sql_fail(...)`. */
bool dm__sql_fail(dm__sql_parser *p, const char *msg);
bool dm__sql_fail_at(dm__sql_parser *p, size_t pos, const char *msg);
bool dm__sql_oom(dm__sql_parser *p);
bool dm__sql_expect_word(dm__sql_parser *p, const char *kw);
bool dm__sql_expect_punct(dm__sql_parser *p, int punct, const char *what);
void *dm__sql_palloc(dm__sql_parser *p, size_t size);
char *dm__sql_pstrndup(dm__sql_parser *p, const char *s, size_t n);
char *dm__sql_lower_dup(dm__sql_parser *p, const char *s, size_t n);
char *dm__sql_upper_dup(dm__sql_parser *p, const char *s, size_t n);
/* An identifier: quoted name, or a word that is not reserved. */
const char *dm__sql_parse_ident(dm__sql_parser *p, const char *what);
/* Like parse_ident, but reserved words are accepted too (names after
 * keywords that leave no doubt, e.g. index names in DROP INDEX). */
const char *dm__sql_parse_name_lenient(dm__sql_parser *p, const char *what);
bool dm__sql_at_ident(const dm__sql_parser *p);
bool dm__sql_parse_table_name(dm__sql_parser *p, dm_sql_table_name *out);
/* Arena copy of tokens [from, to). */
bool dm__sql_capture(dm__sql_parser *p, size_t from, size_t to,
		     dm__sql_tokseq *out);

/* Expressions (sql_expr.c). */
dm_sql_expr *dm__sql_parse_expr(dm__sql_parser *p);
/* The operand of DEFAULT/ON UPDATE without parentheses: a literal, a
 * signed number, a function call or a name. */
dm_sql_expr *dm__sql_parse_simple_expr(dm__sql_parser *p);
dm_sql_data_type *dm__sql_parse_data_type(dm__sql_parser *p, bool for_cast);
/* [CHARACTER SET|CHARSET|CHAR SET [=] name]: *cs stays when absent. */
bool dm__sql_parse_charset_clause(dm__sql_parser *p, const char **cs);
/* A charset or collation name, lower-cased. */
bool dm__sql_parse_collate_name(dm__sql_parser *p, const char **coll);

/* Binding strength of expression operators, loosest first. */
enum dm__sql_prec {
	DM__PREC_NONE,
	DM__PREC_OR,
	DM__PREC_XOR,
	DM__PREC_AND,
	DM__PREC_NOT,
	DM__PREC_CMP,     /* = <=> <> < ... IS */
	DM__PREC_PRED,    /* IN BETWEEN LIKE REGEXP SOUNDS LIKE */
	DM__PREC_BITOR,
	DM__PREC_BITAND,
	DM__PREC_SHIFT,
	DM__PREC_ADD,
	DM__PREC_MUL,
	DM__PREC_BITXOR,
	DM__PREC_CONCAT,  /* || under PIPES_AS_CONCAT */
	DM__PREC_UNARY,   /* - + ~ ! BINARY */
	DM__PREC_COLLATE,
	DM__PREC_PRIMARY
};

int dm__sql_expr_prec(const dm_sql_expr *e);
bool dm__sql_expr_is_now(const dm_sql_expr *e, int *fsp);
bool dm__sql_expr_is_literal(const dm_sql_expr *e);

/* Statements (sql_parse.c, sql_skim.c). */
bool dm__sql_parse_statement(dm__sql_parser *p);
bool dm__sql_skim_statement(dm__sql_parser *p);

/* -------------------------------------------------------------- printing */

typedef struct dm__sql_out {
	dm_buf *buf;
	const dm_sql_restore_opts *opts; /* NULL: no renaming, defaults */
	const struct dm_sql_stmt *stmt;  /* for the default database */
	bool nbe;          /* strings for NO_BACKSLASH_ESCAPES sessions */
	int rc;
	dm_error **err;
	/* The table a CREATE/ALTER TABLE defines: a column qualifier naming
	 * it without a schema is in its schema. */
	const dm_sql_table_name *ctx_table;
} dm__sql_out;

void dm__sql_out_init(dm__sql_out *o, dm_buf *buf,
		      const dm_sql_restore_opts *opts,
		      const struct dm_sql_stmt *stmt, dm_error **err);
void dm__sql_put(dm__sql_out *o, const char *s);
void dm__sql_putn(dm__sql_out *o, const char *s, size_t n);
void dm__sql_putc(dm__sql_out *o, char c);
void dm__sql_put_ident(dm__sql_out *o, const char *name);
void dm__sql_put_string(dm__sql_out *o, const char *s, size_t n);
void dm__sql_put_expr(dm__sql_out *o, const dm_sql_expr *e);
void dm__sql_put_type(dm__sql_out *o, const dm_sql_data_type *t);
void dm__sql_put_tokseq(dm__sql_out *o, const dm__sql_tokseq *seq);
/* A table reference, renamed and qualified as the options say. */
void dm__sql_put_table(dm__sql_out *o, const dm_sql_table_name *name);
void dm__sql_put_column(dm__sql_out *o, const dm_sql_column *c);
void dm__sql_put_index(dm__sql_out *o, const dm_sql_index *ix);
void dm__sql_put_option(dm__sql_out *o, const dm_sql_table_option *opt);
void dm__sql_put_alter_spec(dm__sql_out *o, const dm_sql_alter_spec *s);
/* What goes before a specification in an ALTER TABLE. */
const char *dm__sql_spec_separator(const dm_sql_alter_spec *s, bool not_first);
/* The whole statement (restore). */
void dm__sql_put_stmt(dm__sql_out *o, const struct dm_sql_stmt *stmt);

/* Canonical text in the arena (parse time, no renaming): NULL when out of
 * memory. */
char *dm__sql_expr_text(dm__sql_arena *a, const dm_sql_expr *e);
char *dm__sql_tokseq_text(dm__sql_arena *a, const dm__sql_tokseq *seq);
char *dm__sql_string_literal_text(dm__sql_arena *a, const char *s, size_t n);

/* Dump (sql_dump.c); `fold` lower-cases names MySQL compares without case
 * (for dm_sql_stmt_equal). */
int dm__sql_dump(dm_buf *out, const struct dm_sql_stmt *stmt, bool fold);

#endif
