/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/dml internals: the target-table model shared by the copy, key,
 * compaction and SQL code, canonical values and the 64-bit hash.
 */
#ifndef DM_LIB_DML_PRIVATE_H
#define DM_LIB_DML_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/dml.h"

/* dml_col.flags */
#define DML_COL_GENERATED 0x01u /* never written */
#define DML_COL_UNSIGNED 0x02u  /* integers with unknown sign are unsigned */
#define DML_COL_NULLABLE 0x04u
#define DML_COL_CI 0x08u        /* strings compare ASCII case-insensitively */
#define DML_COL_PAD 0x10u       /* strings compare without trailing spaces */
#define DML_COL_TEXT 0x20u      /* a character column */
#define DML_COL_CS_UNKNOWN 0x40u /* its charset: see the values' ids */

/* How string bytes of a column go into SQL text. */
typedef enum dml_text {
	DML_TEXT_UTF8 = 0,  /* utf8mb3/utf8mb4, or unknown: quote as is */
	DML_TEXT_ASCII,     /* other ASCII-compatible charsets: hex when a
			     * byte is not ASCII */
	DML_TEXT_WIDE       /* ucs2, utf16, utf16le, utf32: always hex */
} dml_text;

typedef struct dml_col {
	char *quoted;       /* `name` */
	size_t quoted_len;
	char *lname;        /* name in lower case (keys) */
	unsigned flags;     /* DML_COL_* */
	uint8_t int_bits;   /* 8, 16, 24, 32, 64 for integer columns, else 0 */
	uint8_t fixed_bin;  /* bytes of a fixed binary type (INET6 16, INET4
			     * 4, UUID 16) whose trailing zeros the binlog
			     * drops; 0 for other columns */
	uint8_t text;       /* dml_text */
} dml_col;

typedef struct dml_key {
	size_t *cols;       /* column indexes */
	size_t *prefix;     /* prefix length in characters, 0 for whole */
	size_t n;
	bool primary;
	bool not_null;      /* every column NOT NULL */
	uint64_t seed;      /* hash of the table and the key's column names */
} dml_key;

struct dm_dml_table {
	char *tschema, *tname, *sschema, *sname;
	dml_col *cols;
	size_t ncols;
	dml_key *keys;      /* the primary key first, then UNIQUE keys */
	size_t nkeys;
	size_t nskipped;    /* unique keys on expressions, not in keys */
	long identity;      /* index into keys, -1 when none */
	uint64_t seed;      /* hash of lower(schema) "." lower(table) */
	char *qtable;       /* `schema`.`table` */
	size_t qtable_len;
	char *collist;      /* (`a`,`b`): written columns */
	size_t collist_len;
	char *odku;         /* " ON DUPLICATE KEY UPDATE `a`=VALUES(`a`),..." */
	size_t odku_len;
};

/* ---------------------------------------------------------------- hash */

typedef struct dml_hash {
	uint64_t h;
} dml_hash;

void dm__dml_hash_init(dml_hash *s, uint64_t seed);
void dm__dml_hash_feed(dml_hash *s, const void *p, size_t n);
uint64_t dm__dml_hash_final(const dml_hash *s);
/* Hash of ASCII-lower-cased bytes. */
void dm__dml_hash_feed_lower(dml_hash *s, const char *p, size_t n);

/* ---------------------------------------------------------- values */

/* The dml_text of string value v in column col. */
dml_text dm__dml_text_of(const dml_col *col, const dm_value *v);

/* The value as the downstream sees it: an INT of unknown sign in an
 * UNSIGNED column becomes UINT, wrapped to the column's width. Returns v
 * or tmp. */
const dm_value *dm__dml_effective(const dml_col *col, const dm_value *v,
				  dm_value *tmp);

/* Hashes the canonical form of a non-NULL value (prefix: characters kept,
 * 0 for all). */
void dm__dml_hash_value(dml_hash *s, const dml_col *col, const dm_value *v,
			size_t prefix);
/* Do two non-NULL values of the column compare equal downstream? */
bool dm__dml_value_equal(const dml_col *col, const dm_value *a,
			 const dm_value *b, size_t prefix);
/* Is every column of key k non-NULL in img? */
bool dm__dml_key_present(const dm_dml_table *t, const dml_key *k,
			 const dm_value *img);
/* Key k's hash in img (all columns non-NULL). */
uint64_t dm__dml_key_hash(const dm_dml_table *t, const dml_key *k,
			  const dm_value *img);
/* Same values of key ka in image a and key kb in image b (keys of tables
 * with the same target, of the same column names)? */
bool dm__dml_key_equal(const dm_dml_table *ta, const dml_key *ka,
		       const dm_value *a, const dm_dml_table *tb,
		       const dml_key *kb, const dm_value *b);
/* Might a value of this key compare equal to a different byte string
 * under the collation (non-ASCII or control bytes in a case-insensitive
 * column)? */
bool dm__dml_key_fuzzy(const dm_dml_table *t, const dml_key *k,
		       const dm_value *img);

#endif
