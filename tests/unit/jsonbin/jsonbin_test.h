/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the lib/value/jsonbin unit tests: one cmocka binary,
 * one group per file, all run from jsonbin_test_main.c.
 *
 * The tests carry their own model of a JSON document (struct tv), an
 * encoder that writes it in MySQL's binary format (small or large
 * containers) and a printer of the text MySQL shows for it. Both are
 * written from the format description, separately from lib/binlog, so
 * that round trips check the library against an independent reading.
 */
#ifndef DM_TEST_JSONBIN_TEST_H
#define DM_TEST_JSONBIN_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dm/err.h"
#include "dm/util.h"

/* Groups; each returns the number of failed tests. */
int jt_text_group(void);
int jt_malformed_group(void);
int jt_random_group(void);
int jt_diff_group(void);
int jt_corpus_group(void);

/* True when DM_TEST_QUICK is set or the binary runs under valgrind. */
bool jt_quick(void);
size_t jt_scale(size_t n);
int jt_reset_alloc(void **state);

/* xorshift64* so failures reproduce. */
typedef struct jt_rng {
	uint64_t s;
} jt_rng;

static inline uint64_t jt_rand(jt_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

static inline uint64_t jt_below(jt_rng *r, uint64_t n)
{
	return n ? jt_rand(r) % n : 0;
}

/* A byte string the tests own. */
typedef struct jt_bytes {
	unsigned char *p;
	size_t n, cap;
} jt_bytes;

void jt_put(jt_bytes *b, const void *p, size_t n);
void jt_put8(jt_bytes *b, unsigned v);
void jt_put16(jt_bytes *b, uint32_t v);
void jt_put32(jt_bytes *b, uint32_t v);
void jt_put64(jt_bytes *b, uint64_t v);
void jt_put_varlen(jt_bytes *b, uint32_t n);
/* MySQL packed integer (net_store_length). */
void jt_put_packed(jt_bytes *b, uint64_t n);
void jt_bytes_free(jt_bytes *b);
/* Decodes hex (whitespace ignored) into b; false on bad input. */
bool jt_hex(jt_bytes *b, const char *hex);

/* ----------------------------------------------------- document model */

enum jt_kind {
	JT_NULL,
	JT_TRUE,
	JT_FALSE,
	JT_INT,     /* i */
	JT_UINT,    /* u */
	JT_DOUBLE,  /* d, printed as `text` */
	JT_STRING,  /* s[0..n) */
	JT_OPAQUE,  /* ftype + s[0..n), printed as `text` */
	JT_ARRAY,
	JT_OBJECT
};

typedef struct jt_val jt_val;
struct jt_val {
	enum jt_kind kind;
	int64_t i;
	uint64_t u;
	double d;
	unsigned ftype;
	/* Force the wider binary type for numbers (int64 for a small int...),
	 * which MySQL itself never writes but readers must accept. */
	bool wide;
	char *s;
	size_t n;
	char *text;      /* expected text of a double or opaque value */
	jt_val **kids;   /* arrays and objects */
	char **keys;     /* objects: key bytes (not NUL-terminated) */
	size_t *keyn;
	size_t nkids;
};

jt_val *jt_null(void);
jt_val *jt_bool(bool v);
jt_val *jt_int(int64_t v);
jt_val *jt_uint(uint64_t v);
/* A double and the text MySQL prints for it. */
jt_val *jt_double(double v, const char *text);
jt_val *jt_str(const char *s, size_t n);
jt_val *jt_cstr(const char *s);
jt_val *jt_opaque(unsigned ftype, const void *p, size_t n, const char *text);
jt_val *jt_array(void);
jt_val *jt_object(void);
/* Takes ownership of v. */
void jt_push(jt_val *arr, jt_val *v);
void jt_set(jt_val *obj, const char *key, size_t keyn, jt_val *v);
jt_val *jt_copy(const jt_val *v);
void jt_free(jt_val *v);
/* Index of key in obj, or -1. */
long jt_find(const jt_val *obj, const char *key, size_t keyn);

/* DECIMAL(prec, scale) from its digits ("-12.50" style text with exactly
 * `scale` fraction digits); the text MySQL prints is the same text,
 * normalised ("-0012.50" -> "-12.50"). */
jt_val *jt_decimal(unsigned prec, unsigned scale, const char *digits);
/* MySQL packed temporal values, printed as MySQL prints them in JSON. */
jt_val *jt_datetime(unsigned ftype, unsigned year, unsigned month,
		    unsigned day, unsigned hour, unsigned minute,
		    unsigned second, unsigned usec, bool neg);

/* Encodes v as a binary JSON document (type byte first). With
 * large_all, every array and object uses the large format; otherwise
 * the small one unless it does not fit, as MySQL does. */
void jt_encode(jt_bytes *out, const jt_val *v, bool large_all);
/* The text MySQL prints for v (keys in MySQL's order). Caller frees. */
char *jt_expect(const jt_val *v);
/* A random document; `budget` bounds its size. */
jt_val *jt_random(jt_rng *r, unsigned depth, unsigned *budget);

/* ------------------------------------------------------------ helpers */

/* dm__jsonbin_to_text into a fresh buffer; returns its text (caller
 * frees) or NULL on failure, with *rc and the error message (or "")
 * copied to msg (room for msgcap bytes). */
char *jt_to_text(const unsigned char *p, size_t n, int *rc, char *msg,
		 size_t msgcap);
char *jt_apply(const unsigned char *before, size_t bn,
	       const unsigned char *diffs, size_t dn, int *rc, char *msg,
	       size_t msgcap);

/* Fails the test unless to_text(p, n) prints `want`. */
void jt_check_text(const unsigned char *p, size_t n, const char *want);
/* Fails the test unless to_text(p, n) fails with DM_E_BINLOG_EVENT_DECODE
 * and a message containing "byte <at>" and `what`. */
void jt_check_error(const unsigned char *p, size_t n, size_t at,
		    const char *what);

/* Reads ../shared/corpus/binlog/<name> (hex when the name ends in .hex);
 * false when the corpus is not there. */
bool jt_corpus(jt_bytes *out, const char *name);

#endif
