/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lib/cfg internals: the arena that owns a parsed configuration, the
 * table-driven YAML decoder and printer, and the checks DM runs on values
 * (patterns, regular expressions, sizes, durations).
 *
 * A configuration is decoded in two passes. The first walks the YAML
 * document with a schema (a table of fields per record), applies types and
 * ranges, rejects unknown keys, and remembers where every value came from.
 * The second (cfg_source.c, cfg_task.c) runs DM's checks in DM's order and
 * reports each failure at the remembered position.
 */
#ifndef DM_LIB_CFG_PRIVATE_H
#define DM_LIB_CFG_PRIVATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "dm/cfg.h"
#include "util/map.h"

/* ------------------------------------------------------------------ arena */

/* Everything a parsed configuration points to lives in one arena; freeing
 * it wipes every byte first (passwords included). */
typedef struct dm__cfg_mem dm__cfg_mem;

dm__cfg_mem *dm__cfg_mem_new(void);
void dm__cfg_mem_free(dm__cfg_mem *m);
/* Zeroed, aligned memory; NULL when out of memory. */
void *dm__cfg_alloc(dm__cfg_mem *m, size_t n);
void *dm__cfg_alloc_array(dm__cfg_mem *m, size_t n, size_t size);
char *dm__cfg_strndup(dm__cfg_mem *m, const char *s, size_t n);
char *dm__cfg_strdup(dm__cfg_mem *m, const char *s);

/* ---------------------------------------------------------------- schemas */

enum dm__cfg_kind {
	DM__CFG_STR,      /* const char * */
	DM__CFG_SECRET,   /* const char *, printed masked */
	DM__CFG_BOOL,     /* bool */
	DM__CFG_INT,      /* int, [min, max] */
	DM__CFG_UINT,     /* unsigned, [min, max] */
	DM__CFG_I64,      /* int64_t, [min, max] */
	DM__CFG_U32,      /* uint32_t */
	DM__CFG_U64,      /* uint64_t */
	DM__CFG_DUR,      /* int64_t nanoseconds, a Go duration string */
	DM__CFG_FLOAT,    /* any number, accepted and not stored */
	DM__CFG_ENUM,     /* int-sized enum, names in `aux` */
	DM__CFG_STRV,     /* const char **, count at off2 */
	DM__CFG_VARS,     /* dm_db_var *, count at off2 */
	DM__CFG_STRUCT,   /* pointer to a record; bool "given" at off2 */
	DM__CFG_MAP,      /* named records: T **, count at off2 */
	DM__CFG_SEQ,      /* list of records: T **, count at off2 */
	DM__CFG_ANY       /* any YAML accepted and dropped */
};

/* Field flags. */
#define DM__CFG_NOPRINT 0x01u    /* accepted, never printed */
#define DM__CFG_SKIP_EMPTY 0x02u /* not printed when "", 0 or [] */
#define DM__CFG_SKIP_NEG 0x04u   /* not printed when negative */
#define DM__CFG_ICASE 0x08u      /* enum names match in any case */
/* A record printed only when the string at offset `min` is "". */
#define DM__CFG_UNLESS_NAMED 0x10u
/* An enum not printed when it holds its default: the value the name ""
 * maps to, else 0. */
#define DM__CFG_SKIP_DEFAULT 0x20u

#define DM__CFG_NO_OFF ((size_t)-1)

typedef struct dm__cfg_enum {
	const char *name;
	int value;
} dm__cfg_enum;

struct dm__cfg_schema;

typedef struct dm__cfg_field {
	const char *key;
	unsigned char kind;
	unsigned char flags;
	size_t off;
	size_t off2;
	long long min;
	long long max;
	const void *aux;     /* schema or enum table (ends with a NULL name) */
} dm__cfg_field;

struct dm__cfg_ctx;

typedef struct dm__cfg_schema {
	const char *what;    /* for messages: "mydumper configuration" */
	size_t size;         /* record size */
	/* Fills defaults into a zeroed record; may allocate from the arena. */
	int (*init)(struct dm__cfg_ctx *c, void *rec);
	const dm__cfg_field *fields;
	size_t n_fields;
	size_t name_off;     /* const char *name of MAP records, or NO_OFF */
	size_t pos_off;      /* dm_cfg_pos, or NO_OFF */
} dm__cfg_schema;

/* ---------------------------------------------------------------- context */

typedef struct dm__cfg_ctx {
	const char *file;
	dm__cfg_mem *mem;       /* the result's arena */
	dm__cfg_mem *tmp;       /* bookkeeping, freed with the context */
	dm_error **err;
	yaml_document_t doc;
	bool have_doc;
	yaml_node_t *root;
	dm__map where;          /* address -> struct dm__cfg_where */
	unsigned long budget;   /* node visits left */
	int depth;
} dm__cfg_ctx;

/* Where a value came from. */
typedef struct dm__cfg_where {
	yaml_mark_t key;        /* the key (or list item) */
	yaml_mark_t val;        /* the value */
	bool has_key;
	const char *bad;        /* an enum value not in the table, or NULL */
} dm__cfg_where;

/* Position-carrying lookups. A record and its first field share an
 * address, so records use their own key space. */
const dm__cfg_where *dm__cfg_where_field(const dm__cfg_ctx *c,
					 const void *addr);
const dm__cfg_where *dm__cfg_where_rec(const dm__cfg_ctx *c,
				       const void *rec);

int dm__cfg_ctx_init(dm__cfg_ctx *c, const char *file);
void dm__cfg_ctx_done(dm__cfg_ctx *c);
/* Loads the first YAML document of `text`. */
int dm__cfg_load(dm__cfg_ctx *c, const char *text, size_t len);
/* Decodes the root mapping into `rec` (already initialised). */
int dm__cfg_decode_root(dm__cfg_ctx *c, const dm__cfg_schema *s, void *rec);
/* Allocates and initialises a record of schema `s`. */
void *dm__cfg_new_rec(dm__cfg_ctx *c, const dm__cfg_schema *s);
/* Points every string field of `rec` still NULL at "". */
void dm__cfg_fill_strings(const dm__cfg_schema *s, void *rec);

/* A top-level file (source.yaml, task.yaml): its schema, where its record
 * keeps the arena and the file name, and the checks run after decoding. */
typedef struct dm__cfg_root {
	const dm__cfg_schema *schema;
	size_t mem_offset;   /* offsetof(record, mem_) */
	size_t file_offset;  /* offsetof(record, file) */
	int (*check)(dm__cfg_ctx *c, void *rec);
} dm__cfg_root;

/* dm_cfg_source_parse and dm_cfg_task_parse: parses and checks `text`;
 * on success *out owns the arena everything it points to lives in. */
int dm__cfg_parse_root(void **out, const dm__cfg_root *root,
		       const char *text, size_t len, const char *file_name,
		       dm_error **err);
/* dm_cfg_source_print and dm_cfg_task_print. */
int dm__cfg_print_root(dm_buf *out, const dm__cfg_schema *s, const void *rec);

/* Errors, all "FILE:LINE:COLUMN: detail" after the catalog message. */
int dm__cfg_err_mark(dm__cfg_ctx *c, int status, yaml_mark_t m,
		     const char *fmt, ...) DM_PRINTF(4, 5);
/* At the value (or key) stored at `addr`, else at record `rec`, else at
 * the start of the document. */
int dm__cfg_err_val(dm__cfg_ctx *c, int status, const void *addr,
		    const void *rec, const char *fmt, ...) DM_PRINTF(5, 6);
int dm__cfg_err_key(dm__cfg_ctx *c, int status, const void *addr,
		    const void *rec, const char *fmt, ...) DM_PRINTF(5, 6);
int dm__cfg_err_rec(dm__cfg_ctx *c, int status, const void *rec,
		    const char *fmt, ...) DM_PRINTF(4, 5);
int dm__cfg_oom(dm__cfg_ctx *c);

/* ----------------------------------------------------------------- checks */

/* Edit distance, capped at `cap` + 1. */
size_t dm__cfg_distance(const char *a, const char *b, size_t cap);
/* A table-selector wildcard: `*` only as the last character. */
bool dm__cfg_wildcard_ok(const char *pattern);
/* Compiles with PCRE2 to check the syntax; on failure fills `why` (NUL
 * terminated, at most `why_len` bytes). `captures` (may be NULL) gets the
 * number of capturing groups. Returns 0, -1 (bad) or DM_E_NO_MEMORY. */
int dm__cfg_regex_check(const char *pattern, size_t len, char *why,
			size_t why_len, unsigned *captures);
/* DM's chunk-filesize: a number of MiB, or a size with a binary unit
 * ("64MiB", "1.5G", "512k"). False when not valid. */
bool dm__cfg_parse_filesize(const char *s, uint64_t *bytes);
/* DM's memory sizes (max-pending-row-size, disk-quota-physical): a number
 * of bytes with an optional binary unit ("500m", "1.5GiB"). */
bool dm__cfg_parse_ram_size(const char *s, uint64_t *bytes);
/* Go's time.ParseDuration; false when not valid or out of range. */
bool dm__cfg_parse_duration(const char *s, int64_t *ns);
/* Go's time.Duration.String: "5m0s", "1.5s", "300ms", "0s". */
int dm__cfg_format_duration(dm_buf *out, int64_t ns);
/* DM's binlog file name check: "<base>.<digits>". */
bool dm__cfg_binlog_name_ok(const char *name);
/* The checking items of ignore-checking-items. */
bool dm__cfg_checking_item_ok(const char *item);
extern const char *const dm__cfg_checking_items[];
/* Binlog event filter event names; returns the lower-case name or NULL. */
const char *dm__cfg_event_name(const char *name);

/* Shared record schemas. */
extern const dm__cfg_schema dm__cfg_db_schema;
extern const dm__cfg_schema dm__cfg_filter_schema;

/* Validates one filter rule (DM's binlog-filter checks). */
int dm__cfg_check_filter(dm__cfg_ctx *c, const dm_cfg_filter *f);
/* Rejects two rules of one set with the same (schema, table) patterns;
 * `refs` (may be NULL) are the names that chose the rules, where errors
 * point. */
int dm__cfg_check_filter_set(dm__cfg_ctx *c, const dm_cfg_filter *const *f,
			     size_t n, bool case_sensitive,
			     const char *const *refs);
/* Equality of two patterns as the selector sees them. */
bool dm__cfg_pattern_eq(const char *a, const char *b, bool case_sensitive);

/* ---------------------------------------------------------------- printer */

typedef struct dm__cfg_printer {
	dm_buf *out;
	int rc;
} dm__cfg_printer;

void dm__cfg_print_rec(dm__cfg_printer *p, const dm__cfg_schema *s,
		       const void *rec, int indent, bool dash);
void dm__cfg_print_field(dm__cfg_printer *p, const dm__cfg_field *f,
			 const void *rec, int indent, const char **prefix);
void dm__cfg_print_quoted(dm__cfg_printer *p, const char *s);
void dm__cfg_print_raw(dm__cfg_printer *p, const char *s);
const dm__cfg_field *dm__cfg_field_by_key(const dm__cfg_schema *s,
					  const char *key);

/* ------------------------------------------------------------------- file */

/* Reads a whole file (I/O lives only in cfg_file.c). */
int dm__cfg_read_file(dm_buf *out, const char *path, dm_error **err);

#endif
