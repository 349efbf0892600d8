/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for MySQL binary JSON (lib/value/jsonbin):
 *  - the whole input goes to dm__jsonbin_to_text and, as a before-image
 *    without diffs, to dm__jsonbin_apply_diffs: both must agree, and any
 *    text they print must be well-formed JSON in MySQL's layout (", " and
 *    ": ", nothing else between tokens, at most 100 levels deep), no larger
 *    than a small multiple of the input;
 *  - the input split at 1 + min(data[0], size - 1) gives a before-image
 *    (data[1..split)) and a diff list (the rest) for apply_diffs;
 *  - both calls again with an allocation failure injected at a point taken
 *    from the input: they may fail with DM_E_NO_MEMORY, and otherwise must
 *    give the same answer as without it.
 * A failed call leaves the output buffer as it was and sets an error. The
 * JSON checker below is written from RFC 8259, independently of lib/.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "value/jsonbin.h"
#include "dm/err.h"
#include "dm/util.h"
#include "fuzz/fuzz_check.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char PREFIX[] = "pre:";
#define PREFIX_LEN (sizeof(PREFIX) - 1)

/* ------------------------------------------------------ JSON checker */

struct js {
	const unsigned char *p;
	size_t n, i;
};

static bool js_value(struct js *s, int depth);

static bool js_lit(struct js *s, const char *w)
{
	size_t k = strlen(w);

	if (s->n - s->i < k || memcmp(s->p + s->i, w, k) != 0)
		return false;
	s->i += k;
	return true;
}

static bool js_hex4(struct js *s)
{
	int k;

	if (s->n - s->i < 4)
		return false;
	for (k = 0; k < 4; k++) {
		unsigned char c = s->p[s->i + (size_t)k];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		      (c >= 'A' && c <= 'F')))
			return false;
	}
	s->i += 4;
	return true;
}

static bool js_string(struct js *s)
{
	if (s->i >= s->n || s->p[s->i] != '"')
		return false;
	for (s->i++; s->i < s->n; s->i++) {
		unsigned char c = s->p[s->i];

		if (c == '"') {
			s->i++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (++s->i >= s->n)
			return false;
		switch (s->p[s->i]) {
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't':
			break;
		case 'u':
			s->i++;
			if (!js_hex4(s))
				return false;
			s->i--;
			break;
		default:
			return false;
		}
	}
	return false;
}

static bool js_digits(struct js *s)
{
	size_t start = s->i;

	while (s->i < s->n && s->p[s->i] >= '0' && s->p[s->i] <= '9')
		s->i++;
	return s->i > start;
}

static bool js_number(struct js *s)
{
	if (s->i < s->n && s->p[s->i] == '-')
		s->i++;
	if (s->i < s->n && s->p[s->i] == '0')
		s->i++;
	else if (!(s->i < s->n && s->p[s->i] >= '1' && s->p[s->i] <= '9') ||
		 !js_digits(s))
		return false;
	if (s->i < s->n && s->p[s->i] == '.') {
		s->i++;
		if (!js_digits(s))
			return false;
	}
	if (s->i < s->n && (s->p[s->i] == 'e' || s->p[s->i] == 'E')) {
		s->i++;
		if (s->i < s->n && (s->p[s->i] == '+' || s->p[s->i] == '-'))
			s->i++;
		if (!js_digits(s))
			return false;
	}
	return true;
}

/* Elements of an array or members of an object after the opening
 * bracket, separated by exactly ", " (and ": " in objects). */
static bool js_items(struct js *s, bool object, int depth)
{
	const unsigned char close = object ? '}' : ']';

	if (s->i < s->n && s->p[s->i] == close) {
		s->i++;
		return true;
	}
	for (;;) {
		if (object) {
			if (!js_string(s) || !js_lit(s, ": "))
				return false;
		}
		if (!js_value(s, depth))
			return false;
		if (s->i < s->n && s->p[s->i] == close) {
			s->i++;
			return true;
		}
		if (!js_lit(s, ", "))
			return false;
	}
}

static bool js_value(struct js *s, int depth)
{
	if (s->i >= s->n)
		return false;
	switch (s->p[s->i]) {
	case '{':
	case '[':
		if (depth >= DM__JSONBIN_MAX_DEPTH)
			return false;
		s->i++;
		return js_items(s, s->p[s->i - 1] == '{', depth + 1);
	case '"':
		return js_string(s);
	case 't':
		return js_lit(s, "true");
	case 'f':
		return js_lit(s, "false");
	case 'n':
		return js_lit(s, "null");
	default:
		return js_number(s);
	}
}

static bool json_ok(const char *text, size_t n)
{
	struct js s = { (const unsigned char *)text, n, 0 };

	return js_value(&s, 0) && s.i == n;
}

/* ------------------------------------------------------------ calls */

struct result {
	int rc;
	char *text; /* on success */
	size_t len;
};

/* Runs apply_diffs (apply) or to_text into a prefixed buffer, with an
 * allocation failure after `fail_after` allocations when >= 0, and checks
 * the contract of both outcomes. */
static struct result run(const uint8_t *doc, size_t doc_n,
			 const uint8_t *diffs, size_t diffs_n, bool apply,
			 long fail_after)
{
	struct result res = { 0, NULL, 0 };
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	CHECK(dm_buf_puts(&b, PREFIX) == 0);
	if (fail_after >= 0)
		dm__alloc_fail_after(fail_after);
	if (apply)
		res.rc = dm__jsonbin_apply_diffs(&b, doc, doc_n, diffs, diffs_n,
						 &e);
	else
		res.rc = dm__jsonbin_to_text(&b, doc, doc_n, &e);
	dm__alloc_fail_after(-1);
	CHECK(b.len >= PREFIX_LEN && memcmp(b.data, PREFIX, PREFIX_LEN) == 0);
	CHECK(b.data[b.len] == '\0');
	if (res.rc == 0) {
		CHECK(e == NULL);
		res.len = b.len - PREFIX_LEN;
		/* No NUL inside: it is a C string too. */
		CHECK(strlen(b.data) == b.len);
		CHECK(json_ok(b.data + PREFIX_LEN, res.len));
		/* No value is printed twice, so the text stays in
		 * proportion to the input. */
		CHECK(res.len <= 8 * (doc_n + diffs_n) + 64);
		res.text = malloc(res.len + 1);
		CHECK(res.text != NULL);
		memcpy(res.text, b.data + PREFIX_LEN, res.len + 1);
	} else {
		CHECK(res.rc == DM_E_BINLOG_EVENT_DECODE ||
		      res.rc == DM_E_NO_MEMORY);
		CHECK(fail_after >= 0 || res.rc != DM_E_NO_MEMORY);
		CHECK(b.len == PREFIX_LEN);
		CHECK(e != NULL);
		/* Describing the error may itself have run out of memory. */
		if (fail_after < 0) {
			CHECK(dm_error_status(e) == res.rc);
			CHECK(strstr(dm_error_message(e), "byte ") != NULL);
		}
	}
	dm_error_free(e);
	dm_buf_free(&b);
	return res;
}

static void same(const struct result *a, const struct result *b)
{
	CHECK(a->rc == b->rc);
	if (a->rc == 0)
		CHECK(a->len == b->len && memcmp(a->text, b->text, a->len) == 0);
}

/* With an allocation failure: NO_MEMORY, or the same as `ref`. */
static void same_or_oom(const struct result *ref, const struct result *got)
{
	if (got->rc == DM_E_NO_MEMORY && ref->rc != DM_E_NO_MEMORY)
		return;
	same(ref, got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result t, a, fa, d, fd;
	long inject = size ? (long)(data[size - 1] % 16) : 0;
	size_t split;

	t = run(data, size, NULL, 0, false, -1);
	a = run(data, size, NULL, 0, true, -1);
	same(&t, &a);
	fa = run(data, size, NULL, 0, false, inject);
	same_or_oom(&t, &fa);

	split = size ? 1 + (data[0] < size - 1 ? data[0] : size - 1) : 0;
	if (size) {
		d = run(data + 1, split - 1, data + split, size - split, true,
			-1);
		fd = run(data + 1, split - 1, data + split, size - split, true,
			 inject);
		same_or_oom(&d, &fd);
		free(d.text);
		free(fd.text);
	}
	free(t.text);
	free(a.text);
	free(fa.text);
	return 0;
}
