/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals shared by the rule sets of lib/rules: name folding, wildcard
 * patterns, PCRE2 regular expressions with a lock-free pool of match data,
 * and the two-level pattern trie ("selector") that every rule set uses to
 * find the rules whose (schema-pattern, table-pattern) match a name.
 *
 * Everything here is built once and read-only afterwards, so any number of
 * threads may match concurrently; the only shared writable state is the
 * match-data pool, which hands slots out with atomic flags.
 */
#ifndef DM_LIB_RULES_PRIVATE_H
#define DM_LIB_RULES_PRIVATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "dm/rules.h"
#include "util/vec.h"

/* ------------------------------------------------------------- folding */

/* Names up to this many bytes are folded on the stack. */
#define DM__RULES_NAME_STACK 256

/* Lower-cases `n` bytes of `s` into `out` (room for n + 1; NUL added):
 * ASCII plus the two-byte UTF-8 letters of Latin-1, Greek and Cyrillic,
 * which keep their length. Everything else is copied unchanged. */
void dm__rules_fold(char *out, const char *s, size_t n);

/* A folded copy of a name: on the stack when short, else on the heap. */
typedef struct dm__rules_name {
	const char *s;
	size_t len;
	char *heap;
	char stack[DM__RULES_NAME_STACK];
} dm__rules_name;

/* Sets `name` to `s` (NULL = ""), folded when `fold`. DM_E_NO_MEMORY when a
 * long name cannot be copied. Release with dm__rules_name_done. */
int dm__rules_name_init(dm__rules_name *name, const char *s, bool fold);
void dm__rules_name_done(dm__rules_name *name);

/* ------------------------------------------------------ regular expressions */

#define DM__RX_POOL 16

/* One pooled match-data block, on its own cache line so that threads
 * taking different slots do not contend. */
typedef struct dm__rx_slot {
	atomic_flag busy;
	pcre2_match_data *md;
	char pad[64 - sizeof(atomic_flag) - sizeof(pcre2_match_data *)];
} dm__rx_slot;

/* What the regular expressions of one rule set share: PCRE2 contexts that
 * allocate through dm__malloc, a match limit, and a pool of match data. */
typedef struct dm__rx_env {
	pcre2_general_context *gctx;
	pcre2_compile_context *cctx;
	pcre2_match_context *mctx;
	dm__rx_slot slot[DM__RX_POOL];
} dm__rx_env;

int dm__rx_env_init(dm__rx_env *env);
void dm__rx_env_done(dm__rx_env *env);

/* A compiled regular expression with a cheap pre-check: the literal text
 * an anchored expression must start with, or "matches anything". */
typedef struct dm__rx dm__rx;

/* Compiles `len` bytes of `pattern` (UTF-8, invalid subjects tolerated;
 * `caseless` adds PCRE2_CASELESS) and JIT-compiles it when the platform
 * can. On failure returns `status` with a message naming `what` and the
 * offset PCRE2 complained about. */
int dm__rx_compile(dm__rx **out, dm__rx_env *env, const char *pattern,
		   size_t len, bool caseless, int status, const char *what,
		   dm_error **err);
void dm__rx_free(dm__rx *rx);

/* 1 when `rx` matches somewhere in `s`, 0 when not, or a negative status
 * when the match limit was hit or memory ran out. */
int dm__rx_search(dm__rx_env *env, const dm__rx *rx, const char *s,
		  size_t len, dm_error **err);

/* Appends the capture groups of the first match of `rx` in `s`, one after
 * the other (unset groups and no match add nothing). */
int dm__rx_extract(dm_buf *out, dm__rx_env *env, const dm__rx *rx,
		   const char *s, size_t len, dm_error **err);

/* ------------------------------------------------------ wildcard patterns */

/* One element of a compiled wildcard pattern. */
enum {
	DM__GLOB_LIT = 0, /* the byte `c` */
	DM__GLOB_ANY,     /* `?`: any one byte */
	DM__GLOB_SET,     /* `[...]`: a byte in (or, negated, not in) `set` */
	DM__GLOB_STAR     /* `*`: the rest, possibly empty; always last */
};

typedef struct dm__glob_elem {
	unsigned char kind;
	unsigned char c;
	uint32_t set[8]; /* bitmap of the 256 byte values, negation applied */
} dm__glob_elem;

/* Parses DM's wildcard syntax: `*` (last character only), `?`, `[abc]`,
 * `[a-z]`, `[!...]` (`[!]` is a literal `!`, a `[` without `]` is a literal
 * `[`), anything else literal, byte by byte. Appends to `elems` (a vector of
 * dm__glob_elem). DM_E_INVALID_ARGUMENT when a `*` is not last. */
int dm__glob_parse(dm__vec *elems, const char *pattern, size_t len);

/* Matches a parsed pattern against the whole of `s`. */
bool dm__glob_match(const dm__glob_elem *elems, size_t n, const char *s,
		    size_t len);

/* ------------------------------------------------------------ selector */

/*
 * A selector holds rules keyed by (schema pattern, table pattern); an empty
 * table pattern makes a schema-level rule, which applies to every table of
 * the schemas it matches. A pattern starting with `~` is a regular
 * expression (the rest, unanchored), anything else a wildcard pattern.
 * Wildcard pairs live in a two-level trie and are found in DM's order
 * (schema-level rules first, then table-level rules, each in the order of
 * DM's trie walk); pairs with a regular expression on either side are
 * tried one by one after the trie rules of their level.
 */
typedef struct dm__selector dm__selector;

/* Called for each matching rule; a non-zero return stops the walk and is
 * returned by dm__selector_walk. */
typedef int (*dm__selector_visit)(void *ud, uint32_t rule, bool schema_level);

/* Asked before a rule with a regular expression is tried: false skips it
 * (its answer cannot change the caller's decision any more). */
typedef bool (*dm__selector_want)(void *ud, uint32_t rule, bool schema_level);

/* Builds an empty selector; `case_sensitive` false folds patterns. `env`
 * (retained) compiles and runs the regular expressions. Rules are added,
 * then the selector is frozen, then it may be walked by any number of
 * threads. */
int dm__selector_new(dm__selector **out, dm__rx_env *env, bool case_sensitive);
void dm__selector_free(dm__selector *s);

/* Adds rule number `rule` under the patterns (`table` NULL or "" for a
 * schema-level rule). Without `allow_dup`, a second rule under the same
 * pair of patterns is an error. Errors return `status` with a message that
 * starts with `what` (e.g. "route rule 3"). */
int dm__selector_add(dm__selector *s, const char *schema, const char *table,
		     uint32_t rule, bool allow_dup, int status,
		     const char *what, dm_error **err);

/* Turns the trie built by dm__selector_add into its compact read-only
 * form; no rule may be added afterwards. DM_E_NO_MEMORY leaves the
 * selector as it was. */
int dm__selector_freeze(dm__selector *s);

/* Visits the rules matching `schema`.`table` (table "" for schema-level
 * statements: then only schema-level rules, table patterns `*`, and
 * regular expressions matching "" apply). The names must already be folded
 * when the selector is case-insensitive. `want` may be NULL. Returns 0, the
 * visitor's non-zero value, or a negative status from a regular
 * expression. */
int dm__selector_walk(const dm__selector *s, const char *schema,
		      size_t schema_len, const char *table, size_t table_len,
		      dm__selector_visit visit, dm__selector_want want,
		      void *ud, dm_error **err);

/* True when the selector holds no rule. */
bool dm__selector_empty(const dm__selector *s);

#endif
