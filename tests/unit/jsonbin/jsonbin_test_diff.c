/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JSON diffs of PARTIAL_UPDATE_ROWS_EVENT: the semantics of MySQL's
 * apply_json_diffs (sql/json_diff.cc: REPLACE needs the path, INSERT of
 * an existing member is rejected, array positions as Json_array_index,
 * root path rejected), the path grammar (sql/json_path.cc), the framing
 * (operation byte, net_field_length lengths), and a property test against
 * the test's own model of the edits.
 */
#include "jsonbin_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/jsonbin.h"

/* Appends one diff; value NULL for REMOVE. */
static void add_diff(jt_bytes *d, unsigned op, const char *path,
		     const jt_val *value)
{
	jt_put8(d, op);
	jt_put_packed(d, strlen(path));
	jt_put(d, path, strlen(path));
	if (value) {
		jt_bytes v = { 0 };

		jt_encode(&v, value, false);
		jt_put_packed(d, v.n);
		jt_put(d, v.p, v.n);
		jt_bytes_free(&v);
	}
}

static void check_apply(const jt_val *before, const jt_bytes *d,
			const char *want)
{
	jt_bytes b = { 0 };
	char msg[512];
	char *got;
	int rc;

	jt_encode(&b, before, false);
	got = jt_apply(b.p, b.n, d->p, d->n, &rc, msg, sizeof(msg));
	if (rc)
		fail_msg("apply failed: %s (wanted %s)", msg, want);
	assert_string_equal(got, want);
	free(got);
	jt_bytes_free(&b);
}

static void check_apply_error(const jt_val *before, const jt_bytes *d,
			      const char *where, const char *what)
{
	jt_bytes b = { 0 };
	char msg[512];
	char *got;
	int rc;

	jt_encode(&b, before, false);
	got = jt_apply(b.p, b.n, d->p, d->n, &rc, msg, sizeof(msg));
	if (rc == 0)
		fail_msg("applied bad diff: %s (wanted error %s)", got, what);
	assert_int_equal(rc, DM_E_BINLOG_EVENT_DECODE);
	if (!strstr(msg, where) || !strstr(msg, what))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", msg, where,
			 what);
	jt_bytes_free(&b);
}

/* {"a": 1, "b": [10, 20, 30], "c d": {"x": null}} */
static jt_val *sample(void)
{
	jt_val *o = jt_object(), *a = jt_array(), *in = jt_object();

	jt_push(a, jt_int(10));
	jt_push(a, jt_int(20));
	jt_push(a, jt_int(30));
	jt_set(in, "x", 1, jt_null());
	jt_set(o, "a", 1, jt_int(1));
	jt_set(o, "b", 1, a);
	jt_set(o, "c d", 3, in);
	return o;
}

#define APPLY1(op, path, value, want)                                         \
	do {                                                                  \
		jt_bytes d_ = { 0 };                                          \
		jt_val *v_ = (value);                                         \
		add_diff(&d_, op, path, v_);                                  \
		check_apply(doc, &d_, want);                                  \
		jt_bytes_free(&d_);                                           \
		jt_free(v_);                                                  \
	} while (0)

#define APPLY1_ERR(op, path, value, where, what)                              \
	do {                                                                  \
		jt_bytes d_ = { 0 };                                          \
		jt_val *v_ = (value);                                         \
		add_diff(&d_, op, path, v_);                                  \
		check_apply_error(doc, &d_, where, what);                     \
		jt_bytes_free(&d_);                                           \
		jt_free(v_);                                                  \
	} while (0)

static void test_jsonbin__diff_replace(void **state)
{
	jt_val *doc = sample();

	(void)state;
	APPLY1(0, "$.a", jt_cstr("x"),
	       "{\"a\": \"x\", \"b\": [10, 20, 30], \"c d\": {\"x\": null}}");
	APPLY1(0, "$.b[1]", jt_bool(true),
	       "{\"a\": 1, \"b\": [10, true, 30], \"c d\": {\"x\": null}}");
	APPLY1(0, "$.b[last]", jt_int(-1),
	       "{\"a\": 1, \"b\": [10, 20, -1], \"c d\": {\"x\": null}}");
	APPLY1(0, "$.b[last-2]", jt_int(-1),
	       "{\"a\": 1, \"b\": [-1, 20, 30], \"c d\": {\"x\": null}}");
	APPLY1(0, "$.\"c d\".x", jt_array(),
	       "{\"a\": 1, \"b\": [10, 20, 30], \"c d\": {\"x\": []}}");
	APPLY1(0, "$.b", jt_object(), "{\"a\": 1, \"b\": {}, \"c d\": {\"x\": null}}");
	APPLY1_ERR(0, "$.b[3]", jt_int(1), "byte 0:",
		   "REPLACE path not found in the document");
	APPLY1_ERR(0, "$.b[last-3]", jt_int(1), "byte 0:",
		   "REPLACE path not found");
	APPLY1_ERR(0, "$.zz", jt_int(1), "byte 0:", "REPLACE path not found");
	APPLY1_ERR(0, "$.a.b", jt_int(1), "byte 0:", "REPLACE path not found");
	APPLY1_ERR(0, "$[0]", jt_int(1), "byte 0:", "REPLACE path not found");
	APPLY1_ERR(0, "$.b.x", jt_int(1), "byte 0:", "REPLACE path not found");
	APPLY1_ERR(0, "$", jt_int(1), "JSON diff list, byte 0:",
		   "REPLACE of the whole document ($)");
	jt_free(doc);
}

static void test_jsonbin__diff_insert(void **state)
{
	jt_val *doc = sample();

	(void)state;
	/* New members go where MySQL's key order puts them. */
	APPLY1(1, "$.aa", jt_int(2),
	       "{\"a\": 1, \"b\": [10, 20, 30], \"aa\": 2, \"c d\": {\"x\": null}}");
	APPLY1(1, "$.\"\"", jt_int(0),
	       "{\"\": 0, \"a\": 1, \"b\": [10, 20, 30], \"c d\": {\"x\": null}}");
	APPLY1(1, "$.\"c d\".y", jt_int(5),
	       "{\"a\": 1, \"b\": [10, 20, 30], \"c d\": {\"x\": null, \"y\": 5}}");
	APPLY1(1, "$.b[0]", jt_int(5),
	       "{\"a\": 1, \"b\": [5, 10, 20, 30], \"c d\": {\"x\": null}}");
	APPLY1(1, "$.b[2]", jt_int(5),
	       "{\"a\": 1, \"b\": [10, 20, 5, 30], \"c d\": {\"x\": null}}");
	/* Beyond the end appends; last-N counts from the last element and
	 * clamps to the start (Json_array_index). */
	APPLY1(1, "$.b[3]", jt_int(5),
	       "{\"a\": 1, \"b\": [10, 20, 30, 5], \"c d\": {\"x\": null}}");
	APPLY1(1, "$.b[99]", jt_int(5),
	       "{\"a\": 1, \"b\": [10, 20, 30, 5], \"c d\": {\"x\": null}}");
	APPLY1(1, "$.b[last]", jt_int(5),
	       "{\"a\": 1, \"b\": [10, 20, 5, 30], \"c d\": {\"x\": null}}");
	APPLY1(1, "$.b[last-7]", jt_int(5),
	       "{\"a\": 1, \"b\": [5, 10, 20, 30], \"c d\": {\"x\": null}}");
	/* A zero-length value is the null literal. */
	{
		jt_bytes d = { 0 };

		jt_put8(&d, 1);
		jt_put_packed(&d, 3);
		jt_put(&d, "$.z", 3);
		jt_put_packed(&d, 0);
		check_apply(doc, &d,
			    "{\"a\": 1, \"b\": [10, 20, 30], \"z\": null, \"c d\": {\"x\": null}}");
		jt_bytes_free(&d);
	}
	APPLY1_ERR(1, "$.a", jt_int(1), "byte 0:",
		   "INSERT of a member that exists");
	APPLY1_ERR(1, "$.q.r", jt_int(1), "byte 0:", "INSERT path not found");
	APPLY1_ERR(1, "$.b.r", jt_int(1), "byte 0:", "INSERT path not found");
	APPLY1_ERR(1, "$[0]", jt_int(1), "byte 0:", "INSERT path not found");
	APPLY1_ERR(1, "$.a[0]", jt_int(1), "byte 0:", "INSERT path not found");
	jt_free(doc);
}

static void test_jsonbin__diff_remove(void **state)
{
	jt_val *doc = sample();

	(void)state;
	APPLY1(2, "$.a", NULL, "{\"b\": [10, 20, 30], \"c d\": {\"x\": null}}");
	APPLY1(2, "$.\"c d\".x", NULL, "{\"a\": 1, \"b\": [10, 20, 30], \"c d\": {}}");
	APPLY1(2, "$.b[0]", NULL, "{\"a\": 1, \"b\": [20, 30], \"c d\": {\"x\": null}}");
	APPLY1(2, "$.b[last]", NULL,
	       "{\"a\": 1, \"b\": [10, 20], \"c d\": {\"x\": null}}");
	APPLY1(2, "$.b[last-1]", NULL,
	       "{\"a\": 1, \"b\": [10, 30], \"c d\": {\"x\": null}}");
	APPLY1_ERR(2, "$.b[3]", NULL, "byte 0:", "REMOVE path not found");
	APPLY1_ERR(2, "$.b[last-3]", NULL, "byte 0:", "REMOVE path not found");
	APPLY1_ERR(2, "$.nope", NULL, "byte 0:", "REMOVE path not found");
	APPLY1_ERR(2, "$.b.x", NULL, "byte 0:", "REMOVE path not found");
	APPLY1_ERR(2, "$", NULL, "byte 0:", "REMOVE of the whole document");
	jt_free(doc);
}

static void test_jsonbin__diff_sequence(void **state)
{
	jt_val *doc = sample(), *v = jt_object();
	jt_bytes d = { 0 };

	(void)state;
	/* REPLACE a with {}, INSERT into it, REMOVE from b, INSERT into b. */
	{
		jt_val *n = jt_null(), *s = jt_cstr("end");

		add_diff(&d, 0, "$.a", v);
		add_diff(&d, 1, "$.a.k", n);
		add_diff(&d, 2, "$.b[1]", NULL);
		add_diff(&d, 1, "$.b[5]", s);
		add_diff(&d, 0, "$.a.k", s);
		check_apply(doc, &d,
			    "{\"a\": {\"k\": \"end\"}, \"b\": [10, 30, \"end\"], "
			    "\"c d\": {\"x\": null}}");
		jt_free(n);
		jt_free(s);
	}
	jt_bytes_free(&d);
	/* No diffs: the before-image as it is; diffs on a null document. */
	check_apply(doc, &d,
		    "{\"a\": 1, \"b\": [10, 20, 30], \"c d\": {\"x\": null}}");
	{
		char msg[256];
		int rc;

		add_diff(&d, 2, "$.a", NULL);
		assert_null(jt_apply((const unsigned char *)"", 0, d.p, d.n, &rc,
				     msg, sizeof(msg)));
		assert_int_equal(rc, DM_E_BINLOG_EVENT_DECODE);
		assert_non_null(strstr(msg, "REMOVE path not found"));
		jt_bytes_free(&d);
	}
	jt_free(v);
	jt_free(doc);
}

static void test_jsonbin__diff_paths_follow_mysql_grammar(void **state)
{
	jt_val *doc = jt_object(), *in = jt_array();

	(void)state;
	jt_push(in, jt_int(1));
	jt_set(doc, "a\"b", 3, jt_int(1));
	jt_set(doc, "\xc3\xa9", 2, jt_int(2));
	jt_set(doc, "a", 1, in);
	jt_set(doc, "ab", 2, jt_int(4));
	APPLY1(0, "  $ . a [ 0 ] ", jt_int(9),
	       "{\"a\": [9], \"ab\": 4, \"\xc3\xa9\": 2, \"a\\\"b\": 1}");
	APPLY1(0, "$.\"a\\\"b\"", jt_int(9),
	       "{\"a\": [1], \"ab\": 4, \"\xc3\xa9\": 2, \"a\\\"b\": 9}");
	APPLY1(0, "$.\"\\u00e9\"", jt_int(9),
	       "{\"a\": [1], \"ab\": 4, \"\xc3\xa9\": 9, \"a\\\"b\": 1}");
	APPLY1(0, "$.\xc3\xa9", jt_int(9),
	       "{\"a\": [1], \"ab\": 4, \"\xc3\xa9\": 9, \"a\\\"b\": 1}");
	APPLY1(0, "$.a\\u0062", jt_int(9),
	       "{\"a\": [1], \"ab\": 9, \"\xc3\xa9\": 2, \"a\\\"b\": 1}");
	APPLY1(0, "$.a[last - 0]", jt_int(9),
	       "{\"a\": [9], \"ab\": 4, \"\xc3\xa9\": 2, \"a\\\"b\": 1}");
	APPLY1(1, "$.\"\\ud83d\\ude00\"", jt_int(7),
	       "{\"a\": [1], \"ab\": 4, \"\xc3\xa9\": 2, \"a\\\"b\": 1, "
	       "\"\xf0\x9f\x98\x80\": 7}");
	/* Every JSON escape in a quoted member name. */
	APPLY1(1, "$.\"\\b\\f\\n\\r\\t\\/\\\\\\\"\\u20AC\\u00e9\\u0001x\"", jt_int(7),
	       "{\"a\": [1], \"ab\": 4, \"\xc3\xa9\": 2, \"a\\\"b\": 1, "
	       "\"\\b\\f\\n\\r\\t/\\\\\\\"\xe2\x82\xac\xc3\xa9\\u0001x\": 7}");
	APPLY1_ERR(0, "$.a.b.c", jt_int(1), "byte 0:", "REPLACE path not found");
	APPLY1_ERR(0, "$.[0]", jt_int(1), "byte 4:", "empty member name in path");
	APPLY1_ERR(0, "a", jt_int(1), "byte 2:", "path does not start with $");
	APPLY1_ERR(0, "", jt_int(1), "byte 2:", "path does not start with $");
	APPLY1_ERR(0, "$.*", jt_int(1), "byte 4:", "wildcard in a diff path");
	APPLY1_ERR(0, "$[*]", jt_int(1), "byte 4:", "wildcard in a diff path");
	APPLY1_ERR(0, "$**.a", jt_int(1), "byte 3:", "wildcard in a diff path");
	APPLY1_ERR(0, "$.a[0 to 1]", jt_int(1), "byte 8:", "expected ]");
	APPLY1_ERR(0, "$.a[", jt_int(1), "byte 6:", "bad array index");
	APPLY1_ERR(0, "$.a[-1]", jt_int(1), "byte 6:", "bad array index");
	APPLY1_ERR(0, "$.a[4294967296]", jt_int(1), "byte 16:",
		   "array index too large");
	APPLY1_ERR(0, "$.", jt_int(1), "byte 4:", "path ends after .");
	APPLY1_ERR(0, "$.a.", jt_int(1), "byte 6:", "path ends after .");
	APPLY1_ERR(0, "$.\"ab", jt_int(1), "byte 4:",
		   "unterminated quoted member name");
	APPLY1_ERR(0, "$.\"a\\qb\"", jt_int(1), "byte 6:",
		   "bad escape in a path member name");
	APPLY1_ERR(0, "$.\"\\ud800\"", jt_int(1), "byte 5:",
		   "bad escape in a path member name");
	APPLY1_ERR(0, "$.\"\\udc00x\"", jt_int(1), "byte 5:",
		   "bad escape in a path member name");
	APPLY1_ERR(0, "$.\"\\u12\"", jt_int(1), "byte 5:", "bad escape");
	APPLY1_ERR(0, "$.\"a\tb\"", jt_int(1), "byte 6:",
		   "bad character in a path member name");
	APPLY1_ERR(0, "$.a\"b", jt_int(1), "byte 5:",
		   "bad character in a path member name");
	APPLY1_ERR(0, "$a", jt_int(1), "byte 3:", "unexpected character in path");
	jt_free(doc);
}

static void test_jsonbin__diff_framing_errors(void **state)
{
	jt_val *doc = sample(), *one = jt_int(1);
	jt_bytes d = { 0 };

	(void)state;
	/* A good diff, then an unknown operation at byte 11. */
	add_diff(&d, 0, "$.a", one);
	assert_int_equal(d.n, 9);
	add_diff(&d, 3, "$.a", NULL);
	check_apply_error(doc, &d, "JSON diff list, byte 9:",
			  "unknown JSON diff operation 3");
	jt_bytes_free(&d);

	jt_put8(&d, 0);
	check_apply_error(doc, &d, "byte 1:", "diff list ends inside a length");
	jt_bytes_free(&d);

	jt_put8(&d, 0);
	jt_put8(&d, 252);
	jt_put8(&d, 1);
	check_apply_error(doc, &d, "byte 1:", "diff list ends inside a length");
	jt_bytes_free(&d);

	jt_put8(&d, 2);
	jt_put8(&d, 251);
	check_apply_error(doc, &d, "byte 1:", "NULL length in a diff");
	jt_bytes_free(&d);

	jt_put8(&d, 2);
	jt_put8(&d, 9);
	jt_put(&d, "$.a", 3);
	check_apply_error(doc, &d, "byte 0:", "path of 9 bytes runs past the end");
	jt_bytes_free(&d);

	jt_put8(&d, 2);
	jt_put8(&d, 254);
	jt_put64(&d, UINT64_MAX);
	check_apply_error(doc, &d, "byte 0:", "runs past the end");
	jt_bytes_free(&d);

	jt_put8(&d, 0);
	jt_put8(&d, 3);
	jt_put(&d, "$.a", 3);
	check_apply_error(doc, &d, "byte 5:", "diff list ends inside a length");
	jt_put8(&d, 5);
	jt_put(&d, "\x05\x01", 2);
	check_apply_error(doc, &d, "byte 0:", "value of 5 bytes runs past the end");
	jt_bytes_free(&d);

	/* A malformed value names its byte in the diff list. */
	jt_put8(&d, 0);
	jt_put8(&d, 3);
	jt_put(&d, "$.a", 3);
	jt_put8(&d, 2);
	jt_put(&d, "\x05\x01", 2);
	check_apply_error(doc, &d, "JSON diff 0 value, byte 7:",
			  "2-byte number runs past the end");
	jt_bytes_free(&d);

	/* 3-byte and 8-byte packed lengths are read. */
	jt_put8(&d, 2);
	jt_put8(&d, 253);
	jt_put8(&d, 3);
	jt_put8(&d, 0);
	jt_put8(&d, 0);
	jt_put(&d, "$.a", 3);
	jt_put8(&d, 2);
	jt_put8(&d, 254);
	jt_put64(&d, 3);
	jt_put(&d, "$.b", 3);
	check_apply(doc, &d, "{\"c d\": {\"x\": null}}");
	jt_bytes_free(&d);
	jt_free(one);
	jt_free(doc);
}

static void test_jsonbin__diff_rejects_bad_before_image(void **state)
{
	static const unsigned char bad[] = { 0x00, 0x01, 0x00, 0x0c, 0x00 };
	jt_bytes d = { 0 };
	char msg[256];
	int rc;

	(void)state;
	add_diff(&d, 2, "$.a", NULL);
	assert_null(jt_apply(bad, sizeof(bad), d.p, d.n, &rc, msg, sizeof(msg)));
	assert_int_equal(rc, DM_E_BINLOG_EVENT_DECODE);
	assert_non_null(strstr(msg, "before-image JSON, byte 1:"));
	assert_non_null(strstr(msg, "object of 12 bytes runs past the end"));
	jt_bytes_free(&d);
	assert_int_equal(dm__jsonbin_apply_diffs(NULL, bad, 1, NULL, 0, NULL),
			 DM_E_INVALID_ARGUMENT);
}

static void test_jsonbin__diff_keeps_depth_within_100(void **state)
{
	jt_val *root = jt_array(), *cur = root, *deep = jt_array();
	jt_bytes d = { 0 };
	char path[512];
	size_t n = 1;
	int k;

	(void)state;
	/* 99 nested arrays; INSERT [[]] into the innermost would make 101. */
	for (k = 1; k < 99; k++) {
		jt_val *next = jt_array();

		jt_push(cur, next);
		cur = next;
	}
	path[0] = '$';
	for (k = 1; k < 99; k++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "[0]");
	snprintf(path + n, sizeof(path) - n, "[0]");
	jt_push(deep, jt_array());
	add_diff(&d, 1, path, deep);
	check_apply_error(root, &d, "byte 0:",
			  "INSERT would nest arrays and objects deeper than 100");
	jt_bytes_free(&d);
	/* [] makes 100: fine. */
	add_diff(&d, 1, path, deep->kids[0]);
	{
		jt_val *copy = jt_copy(root);
		char *want;
		jt_val *c = copy;

		while (c->nkids)
			c = c->kids[0];
		jt_push(c, jt_array());
		want = jt_expect(copy);
		check_apply(root, &d, want);
		free(want);
		jt_free(copy);
	}
	jt_bytes_free(&d);
	jt_free(deep);
	jt_free(root);
}

/* ------------------------------------------------- property test */

static bool is_ident(const char *k, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		char c = k[i];
		bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     c == '_' || c == '$';

		if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return false;
	}
	return true;
}

static void path_member(char *path, size_t *pn, const char *k, size_t n)
{
	size_t i;

	path[(*pn)++] = '.';
	if (is_ident(k, n)) {
		memcpy(path + *pn, k, n);
		*pn += n;
		return;
	}
	path[(*pn)++] = '"';
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)k[i];

		if (c == '"' || c == '\\') {
			path[(*pn)++] = '\\';
			path[(*pn)++] = (char)c;
		} else if (c < 0x20) {
			*pn += (size_t)sprintf(path + *pn, "\\u%04x", c);
		} else {
			path[(*pn)++] = (char)c;
		}
	}
	path[(*pn)++] = '"';
}

/* One random edit of `model` (and the matching diff appended to d). */
static void random_edit(jt_rng *r, jt_val *model, jt_bytes *d)
{
	char path[4096];
	size_t pn = 1;
	jt_val *c = model;
	unsigned budget = 6;
	unsigned op;

	path[0] = '$';
	/* Walk down a few random levels to a container. */
	while (c->nkids && jt_below(r, 3)) {
		size_t i = jt_below(r, c->nkids);
		jt_val *kid = c->kids[i];

		if (kid->kind != JT_ARRAY && kid->kind != JT_OBJECT)
			break;
		if (c->kind == JT_OBJECT)
			path_member(path, &pn, c->keys[i], c->keyn[i]);
		else
			pn += (size_t)sprintf(path + pn, "[%zu]", i);
		c = kid;
	}
	op = c->nkids ? (unsigned)jt_below(r, 3) : 1;
	if (op == 1) {
		jt_val *v = jt_random(r, 5, &budget);

		if (c->kind == JT_OBJECT) {
			char key[16];
			size_t kn = (size_t)snprintf(key, sizeof(key), "%s%u",
						     jt_below(r, 2) ? "k" : "k y",
						     (unsigned)jt_below(r, 1000));

			if (jt_find(c, key, kn) >= 0) {
				jt_free(v);
				return;
			}
			path_member(path, &pn, key, kn);
			jt_set(c, key, kn, jt_copy(v));
		} else {
			size_t n = c->nkids, pos, idx = jt_below(r, n + 3);

			if (jt_below(r, 2)) {
				pn += (size_t)sprintf(path + pn, "[%zu]", idx);
				pos = idx < n ? idx : n;
			} else {
				pn += (size_t)sprintf(path + pn, "[last-%zu]", idx);
				pos = idx < n ? n - 1 - idx : 0;
			}
			jt_push(c, NULL);
			memmove(c->kids + pos + 1, c->kids + pos,
				(n - pos) * sizeof(*c->kids));
			c->kids[pos] = jt_copy(v);
		}
		path[pn] = '\0';
		add_diff(d, 1, path, v);
		jt_free(v);
		return;
	}
	{
		size_t i = jt_below(r, c->nkids);

		if (c->kind == JT_OBJECT)
			path_member(path, &pn, c->keys[i], c->keyn[i]);
		else if (jt_below(r, 2))
			pn += (size_t)sprintf(path + pn, "[%zu]", i);
		else
			pn += (size_t)sprintf(path + pn, "[last-%zu]",
					      c->nkids - 1 - i);
		path[pn] = '\0';
		if (op == 0) {
			jt_val *v = jt_random(r, 5, &budget);

			jt_free(c->kids[i]);
			c->kids[i] = jt_copy(v);
			add_diff(d, 0, path, v);
			jt_free(v);
		} else {
			jt_free(c->kids[i]);
			free(c->keys[i]);
			memmove(c->kids + i, c->kids + i + 1,
				(c->nkids - 1 - i) * sizeof(*c->kids));
			memmove(c->keys + i, c->keys + i + 1,
				(c->nkids - 1 - i) * sizeof(*c->keys));
			memmove(c->keyn + i, c->keyn + i + 1,
				(c->nkids - 1 - i) * sizeof(*c->keyn));
			c->nkids--;
			add_diff(d, 2, path, NULL);
		}
	}
}

static void test_jsonbin__random_diffs_match_the_model(void **state)
{
	jt_rng r = { 0x0123456789abcdefULL };
	size_t i, n = jt_scale(400);

	(void)state;
	for (i = 0; i < n; i++) {
		unsigned budget = 1 + (unsigned)jt_below(&r, 40), k, edits;
		jt_val *before = jt_below(&r, 2) ? jt_object() : jt_array();
		jt_val *model;
		jt_bytes d = { 0 };
		char *want;

		for (k = 0; k < 4; k++) {
			jt_val *kid = jt_random(&r, 1, &budget);

			if (before->kind == JT_ARRAY) {
				jt_push(before, kid);
			} else {
				char key[8];
				size_t kn = (size_t)snprintf(key, sizeof(key),
							     "m%u", k);

				jt_set(before, key, kn, kid);
			}
		}
		model = jt_copy(before);
		edits = 1 + (unsigned)jt_below(&r, 6);
		for (k = 0; k < edits; k++)
			random_edit(&r, model, &d);
		want = jt_expect(model);
		check_apply(before, &d, want);
		free(want);
		jt_bytes_free(&d);
		jt_free(model);
		jt_free(before);
	}
}

int jt_diff_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonbin__diff_replace),
		cmocka_unit_test(test_jsonbin__diff_insert),
		cmocka_unit_test(test_jsonbin__diff_remove),
		cmocka_unit_test(test_jsonbin__diff_sequence),
		cmocka_unit_test(test_jsonbin__diff_paths_follow_mysql_grammar),
		cmocka_unit_test(test_jsonbin__diff_framing_errors),
		cmocka_unit_test(test_jsonbin__diff_rejects_bad_before_image),
		cmocka_unit_test(test_jsonbin__diff_keeps_depth_within_100),
		cmocka_unit_test(test_jsonbin__random_diffs_match_the_model),
	};

	return cmocka_run_group_tests_name("jsonbin diff", tests, NULL, NULL);
}
