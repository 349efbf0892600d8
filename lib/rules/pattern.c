/* SPDX-License-Identifier: Apache-2.0 */
/* Name folding, wildcard patterns and PCRE2 plumbing for lib/rules. */
#include "rules/rules_private.h"

#include <stdint.h>
#include <string.h>

#include "util/alloc.h"

/* ------------------------------------------------------------- folding */

/* Lower case of a two-byte UTF-8 letter (code point cp), or cp. */
static unsigned fold_cp(unsigned cp)
{
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) /* Latin-1 */
		return cp + 0x20;
	if (cp >= 0x391 && cp <= 0x3A9 && cp != 0x3A2) /* Greek */
		return cp + 0x20;
	if (cp >= 0x410 && cp <= 0x42F) /* Cyrillic */
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	return cp;
}

void dm__rules_fold(char *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char *o = (unsigned char *)out;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];

		if (c < 0x80) {
			o[i] = (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
			i++;
			continue;
		}
		if ((c & 0xE0) == 0xC0 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
			unsigned cp = (unsigned)(c & 0x1F) << 6 | (p[i + 1] & 0x3F);

			if (cp >= 0x80) {
				cp = fold_cp(cp);
				o[i] = (unsigned char)(0xC0 | cp >> 6);
				o[i + 1] = (unsigned char)(0x80 | (cp & 0x3F));
				i += 2;
				continue;
			}
		}
		o[i] = c;
		i++;
	}
	o[n] = '\0';
}

int dm__rules_name_init(dm__rules_name *name, const char *s, bool fold)
{
	size_t n = s ? strlen(s) : 0;

	name->heap = NULL;
	name->len = n;
	if (!fold || n == 0) {
		name->s = s ? s : "";
		return 0;
	}
	if (n < sizeof(name->stack)) {
		dm__rules_fold(name->stack, s, n);
		name->s = name->stack;
		return 0;
	}
	name->heap = dm__malloc(n + 1);
	if (!name->heap) {
		name->s = "";
		name->len = 0;
		return DM_E_NO_MEMORY;
	}
	dm__rules_fold(name->heap, s, n);
	name->s = name->heap;
	return 0;
}

void dm__rules_name_done(dm__rules_name *name)
{
	if (name->heap) {
		dm__free(name->heap);
		name->heap = NULL;
	}
}

/* ------------------------------------------------------ regular expressions */

static void *rx_malloc(size_t size, void *data)
{
	(void)data;
	return dm__malloc(size);
}

static void rx_free(void *p, void *data)
{
	(void)data;
	dm__free(p);
}

/* Enough for any sane name or statement, small enough that a runaway
 * pattern gives up within milliseconds. */
#define RX_MATCH_LIMIT 1000000u
#define RX_DEPTH_LIMIT 10000u

int dm__rx_env_init(dm__rx_env *env)
{
	size_t i;

	memset(env, 0, sizeof(*env));
	for (i = 0; i < DM__RX_POOL; i++)
		atomic_flag_clear(&env->slot[i].busy);
	env->gctx = pcre2_general_context_create(rx_malloc, rx_free, NULL);
	if (!env->gctx)
		return DM_E_NO_MEMORY;
	env->cctx = pcre2_compile_context_create(env->gctx);
	env->mctx = pcre2_match_context_create(env->gctx);
	if (!env->cctx || !env->mctx) {
		dm__rx_env_done(env);
		return DM_E_NO_MEMORY;
	}
	pcre2_set_match_limit(env->mctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(env->mctx, RX_DEPTH_LIMIT);
	/* A pattern longer than this is a mistake, not a rule. */
	pcre2_set_max_pattern_length(env->cctx, 65536);
	return 0;
}

void dm__rx_env_done(dm__rx_env *env)
{
	size_t i;

	for (i = 0; i < DM__RX_POOL; i++) {
		pcre2_match_data_free(env->slot[i].md);
		env->slot[i].md = NULL;
	}
	pcre2_match_context_free(env->mctx);
	pcre2_compile_context_free(env->cctx);
	pcre2_general_context_free(env->gctx);
	env->mctx = NULL;
	env->cctx = NULL;
	env->gctx = NULL;
}

struct dm__rx {
	pcre2_code *code;
	bool caseless;
	bool always;        /* ".*" and the like: every subject matches */
	size_t prefix_len;  /* a match starts the subject with these bytes */
	size_t suffix_len;  /* a match ends the subject with these bytes */
	char prefix[48];    /* (lower case when caseless) */
	char suffix[48];
};

static bool is_lit(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static char lower_if(bool caseless, char c)
{
	return caseless && c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

/* "plain characters then '$'" at the end of the text: the subject must end
 * with them. Not when an option change or \Q could reach them. */
static void find_suffix(dm__rx *rx, const char *p, size_t n)
{
	size_t end, start, k, slashes;

	if (n < 2 || p[n - 1] != '$' || memmem(p, n, "(?", 2) ||
	    memmem(p, n, "\\Q", 2))
		return;
	end = n - 1;
	/* "\$" is a literal dollar */
	for (slashes = 0; slashes < end && p[end - 1 - slashes] == '\\';
	     slashes++)
		;
	if (slashes % 2)
		return;
	start = end;
	while (start > 0 && is_lit((unsigned char)p[start - 1]))
		start--;
	/* after an escape ("\d", "\x41") the characters are not literal */
	for (slashes = 0; slashes < start && p[start - 1 - slashes] == '\\';
	     slashes++)
		;
	if (slashes % 2)
		return;
	if (end - start > sizeof(rx->suffix))
		start = end - sizeof(rx->suffix);
	for (k = 0; start + k < end; k++)
		rx->suffix[k] = lower_if(rx->caseless, p[start + k]);
	rx->suffix_len = k;
}

/* Reads what every match must look like from the text, conservatively:
 * "^" then plain characters, or plain characters then "$", with no
 * alternation anywhere. */
static void find_prefix(dm__rx *rx, const char *p, size_t n)
{
	size_t i, k = 0;

	/* (not ".*$": PCRE2 finds no end after invalid UTF-8) */
	if (n == 0 || (n == 2 && memcmp(p, ".*", 2) == 0) ||
	    (n == 3 && memcmp(p, "^.*", 3) == 0)) {
		rx->always = true;
		return;
	}
	if (memchr(p, '|', n))
		return;
	find_suffix(rx, p, n);
	if (p[0] != '^')
		return;
	for (i = 1; i < n && k < sizeof(rx->prefix) && is_lit((unsigned char)p[i]);
	     i++) {
		rx->prefix[k++] = lower_if(rx->caseless, p[i]);
	}
	/* "^ab*": the last character is optional or repeated */
	if (i < n && k > 0 &&
	    (p[i] == '*' || p[i] == '?' || p[i] == '+' || p[i] == '{'))
		k--;
	rx->prefix_len = k;
}

int dm__rx_compile(dm__rx **out, dm__rx_env *env, const char *pattern,
		   size_t len, bool caseless, int status, const char *what,
		   dm_error **err)
{
	uint32_t flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off = 0;
	dm__rx *rx;
	int code = 0;

	*out = NULL;
	rx = dm__calloc(1, sizeof(*rx));
	if (!rx)
		return dm_error_set(err, DM_E_NO_MEMORY,
				    "%s: compiling a regular expression", what);
	if (caseless)
		flags |= PCRE2_CASELESS;
	rx->caseless = caseless;
	rx->code = pcre2_compile((PCRE2_SPTR)pattern, len, flags, &code, &off,
				 env->cctx);
	if (!rx->code) {
		dm__free(rx);
		if (code == PCRE2_ERROR_NOMEMORY || code == PCRE2_ERROR_HEAP_FAILED)
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "%s: compiling a regular expression",
					    what);
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			msg[0] = '\0';
		return dm_error_set(err, status,
				    "%s: invalid regular expression \"%.*s\" at offset %zu: %s",
				    what, (int)(len > 200 ? 200 : len), pattern,
				    (size_t)off, (const char *)msg);
	}
	/* Without JIT (unsupported CPU, no executable memory) the interpreter
	 * gives the same answers, only slower. */
	(void)pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
	find_prefix(rx, pattern, len);
	*out = rx;
	return 0;
}

void dm__rx_free(dm__rx *rx)
{
	if (!rx)
		return;
	pcre2_code_free(rx->code);
	dm__free(rx);
}

/* True when `n` bytes at `s` equal `lit` (already lower case when
 * caseless); -1 when a non-ASCII byte makes only PCRE2 able to tell
 * (Unicode folding pairs U+212A with k, U+017F with s). */
static int same(const char *s, const char *lit, size_t n, bool caseless)
{
	size_t i;

	if (!caseless)
		return memcmp(s, lit, n) == 0;
	for (i = 0; i < n; i++) {
		unsigned char a = (unsigned char)s[i];

		if (a >= 0x80)
			return -1;
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a + 32);
		if (a != (unsigned char)lit[i])
			return 0;
	}
	return 1;
}

/* 0 when the pre-check rules a match out, 1 when it proves one, -1 when
 * only PCRE2 can tell. */
static int precheck(const dm__rx *rx, const char *s, size_t len)
{
	if (rx->always)
		return 1;
	if (rx->prefix_len) {
		if (len < rx->prefix_len ||
		    same(s, rx->prefix, rx->prefix_len, rx->caseless) == 0)
			return 0;
	}
	/* '$' also matches before a newline that ends the subject */
	if (rx->suffix_len && !(len && s[len - 1] == '\n')) {
		if (len < rx->suffix_len ||
		    same(s + len - rx->suffix_len, rx->suffix, rx->suffix_len,
			 rx->caseless) == 0)
			return 0;
	}
	return -1;
}

/* A match data block from the pool (slot index in *slot), or a fresh one
 * (*slot = -1) when all are in use. Threads start looking at different
 * slots, picked from where their stack is. */
static pcre2_match_data *md_get(dm__rx_env *env, int *slot)
{
	uintptr_t h = (uintptr_t)slot >> 12;
	int i, k, start;

	h ^= h >> 9;
	start = (int)(h % DM__RX_POOL);
	for (k = 0; k < DM__RX_POOL; k++) {
		dm__rx_slot *sl;

		i = (start + k) % DM__RX_POOL;
		sl = &env->slot[i];
		if (atomic_flag_test_and_set_explicit(&sl->busy,
						      memory_order_acquire))
			continue;
		if (!sl->md)
			sl->md = pcre2_match_data_create(1, env->gctx);
		if (!sl->md) {
			atomic_flag_clear_explicit(&sl->busy,
						   memory_order_release);
			break;
		}
		*slot = i;
		return sl->md;
	}
	*slot = -1;
	return pcre2_match_data_create(1, env->gctx);
}

static void md_put(dm__rx_env *env, pcre2_match_data *md, int slot)
{
	if (slot < 0) {
		pcre2_match_data_free(md);
		return;
	}
	atomic_flag_clear_explicit(&env->slot[slot].busy, memory_order_release);
}

/* PCRE2's JIT reads whole aligned blocks around the subject. That is safe,
 * but the bytes next to a caller's string may be uninitialised, which
 * memory checkers report; so subjects are matched from a copy with zeroed
 * margins. */
#define RX_PAD 64
#define RX_STACK 512

typedef struct rx_subject {
	char stack[RX_PAD + RX_STACK + RX_PAD];
	char *heap;
	const char *s;
} rx_subject;

static int subject_init(rx_subject *sub, const char *s, size_t len)
{
	char *buf = sub->stack;

	sub->heap = NULL;
	if (len > RX_STACK) {
		if (len > SIZE_MAX - 2 * RX_PAD)
			return DM_E_NO_MEMORY;
		sub->heap = dm__malloc(len + 2 * RX_PAD);
		if (!sub->heap)
			return DM_E_NO_MEMORY;
		buf = sub->heap;
	}
	memset(buf, 0, RX_PAD);
	if (len)
		memcpy(buf + RX_PAD, s, len);
	memset(buf + RX_PAD + len, 0, RX_PAD);
	sub->s = buf + RX_PAD;
	return 0;
}

static void subject_done(rx_subject *sub)
{
	dm__free(sub->heap);
}

static int rx_run(dm__rx_env *env, const dm__rx *rx, const char *s,
		  size_t len, dm_error **err) __attribute__((noinline));

int dm__rx_search(dm__rx_env *env, const dm__rx *rx, const char *s,
		  size_t len, dm_error **err)
{
	int rc = precheck(rx, s ? s : "", len);

	return rc >= 0 ? rc : rx_run(env, rx, s, len, err);
}

/* The match itself, on a padded copy of the subject. */
static int rx_run(dm__rx_env *env, const dm__rx *rx, const char *s,
		  size_t len, dm_error **err)
{
	pcre2_match_data *md;
	rx_subject sub;
	int slot, rc;

	if (subject_init(&sub, s, len))
		return dm_error_set(err, DM_E_NO_MEMORY,
				    "matching a regular expression");
	md = md_get(env, &slot);
	if (!md) {
		subject_done(&sub);
		return dm_error_set(err, DM_E_NO_MEMORY,
				    "matching a regular expression");
	}
	rc = pcre2_match(rx->code, (PCRE2_SPTR)sub.s, len, 0, 0, md,
			 env->mctx);
	md_put(env, md, slot);
	subject_done(&sub);
	if (rc >= 0)
		return 1; /* 0: matched, ovector too small for the groups */
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_HEAP_FAILED)
		return dm_error_set(err, DM_E_NO_MEMORY,
				    "matching a regular expression");
	return dm_error_set(err, DM_E_INVALID_ARGUMENT,
			    "regular expression gave up on a %zu-byte subject (PCRE2 error %d): simplify the pattern",
			    len, rc);
}

int dm__rx_extract(dm_buf *out, dm__rx_env *env, const dm__rx *rx,
		   const char *s, size_t len, dm_error **err)
{
	pcre2_match_data *md;
	PCRE2_SIZE *ov;
	rx_subject sub;
	size_t start = out->len;
	int rc, g;

	if (subject_init(&sub, s, len))
		return dm_error_set(err, DM_E_NO_MEMORY, "extracting a column");
	md = pcre2_match_data_create_from_pattern(rx->code, env->gctx);
	if (!md) {
		subject_done(&sub);
		return dm_error_set(err, DM_E_NO_MEMORY, "extracting a column");
	}
	rc = pcre2_match(rx->code, (PCRE2_SPTR)sub.s, len, 0, 0, md,
			 env->mctx);
	if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
		rc = (rc == PCRE2_ERROR_NOMEMORY || rc == PCRE2_ERROR_HEAP_FAILED)
			     ? dm_error_set(err, DM_E_NO_MEMORY,
					    "extracting a column")
			     : dm_error_set(err, DM_E_INVALID_ARGUMENT,
					    "extracting a column: regular expression gave up (PCRE2 error %d)",
					    rc);
		goto out;
	}
	ov = pcre2_get_ovector_pointer(md);
	for (g = 1; g < rc; g++) {
		if (ov[2 * g] == PCRE2_UNSET)
			continue;
		if (dm_buf_append(out, sub.s + ov[2 * g],
				  ov[2 * g + 1] - ov[2 * g])) {
			dm_buf_truncate(out, start);
			rc = dm_error_set(err, DM_E_NO_MEMORY,
					  "extracting a column");
			goto out;
		}
	}
	rc = 0;
out:
	pcre2_match_data_free(md);
	subject_done(&sub);
	return rc;
}

/* ------------------------------------------------------ wildcard patterns */

static void set_add(uint32_t *set, unsigned lo, unsigned hi)
{
	unsigned c;

	for (c = lo; c <= hi && c < 256; c++)
		set[c >> 5] |= UINT32_C(1) << (c & 31);
}

/* Parses the bracket expression at p[0] == '['; returns the index of its
 * closing ']' or 0 when there is none (then '[' is a literal). */
static size_t parse_set(dm__glob_elem *e, const unsigned char *p, size_t n)
{
	size_t close = 0, i, start = 1;
	bool negate = false;
	unsigned k;

	for (i = 1; i < n; i++) {
		if (p[i] == ']') {
			close = i;
			break;
		}
	}
	if (!close)
		return 0;
	memset(e->set, 0, sizeof(e->set));
	if (p[start] == '!') {
		negate = true;
		start++;
	}
	for (i = start; i < close; i++) {
		if (p[i + 1] == '-' && i + 2 < close) {
			set_add(e->set, p[i], p[i + 2]);
			i += 2;
		} else {
			set_add(e->set, p[i], p[i]);
		}
	}
	if (negate && start == close) {
		/* "[!]" is the literal '!'. */
		negate = false;
		set_add(e->set, '!', '!');
	}
	if (negate)
		for (k = 0; k < 8; k++)
			e->set[k] = ~e->set[k];
	e->kind = DM__GLOB_SET;
	return close;
}

int dm__glob_parse(dm__vec *elems, const char *pattern, size_t len)
{
	const unsigned char *p = (const unsigned char *)pattern;
	size_t i, start = elems->len;
	bool had_star = false;

	for (i = 0; i < len; i++) {
		dm__glob_elem e;

		memset(&e, 0, sizeof(e));
		/* DM's trie accepts `*` only as the last character. */
		if (had_star)
			goto out_bad;
		switch (p[i]) {
		case '*':
			e.kind = DM__GLOB_STAR;
			had_star = true;
			break;
		case '?':
			e.kind = DM__GLOB_ANY;
			break;
		case '[': {
			size_t close = parse_set(&e, p + i, len - i);

			if (close) {
				i += close;
				break;
			}
			e.kind = DM__GLOB_LIT;
			e.c = '[';
			break;
		}
		default:
			e.kind = DM__GLOB_LIT;
			e.c = p[i];
			break;
		}
		if (dm__vec_push(elems, &e)) {
			dm__vec_resize(elems, start);
			return DM_E_NO_MEMORY;
		}
	}
	return 0;

out_bad:
	dm__vec_resize(elems, start);
	return DM_E_INVALID_ARGUMENT;
}

static bool set_has(const uint32_t *set, unsigned char c)
{
	return (set[c >> 5] >> (c & 31)) & 1;
}

bool dm__glob_match(const dm__glob_elem *elems, size_t n, const char *s,
		    size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		const dm__glob_elem *e = &elems[i];

		if (e->kind == DM__GLOB_STAR)
			return true;
		if (i >= len)
			return false;
		switch (e->kind) {
		case DM__GLOB_LIT:
			if (p[i] != e->c)
				return false;
			break;
		case DM__GLOB_SET:
			if (!set_has(e->set, p[i]))
				return false;
			break;
		default:
			break;
		}
	}
	return i == len;
}
