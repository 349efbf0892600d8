/* SPDX-License-Identifier: Apache-2.0 */
#include "jsonbin_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value/jsonbin.h"
#include "util/alloc.h"

bool jt_quick(void)
{
	const char *q = getenv("DM_TEST_QUICK");
	const char *pre = getenv("LD_PRELOAD");

	if (q && *q && strcmp(q, "0") != 0)
		return true;
	/* valgrind preloads its vgpreload_*.so into the program. */
	return pre && strstr(pre, "vgpreload") != NULL;
}

size_t jt_scale(size_t n)
{
	if (!jt_quick())
		return n;
	return n / 20 ? n / 20 : 1;
}

int jt_reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

static char *finish_call(dm_buf *b, int rc, dm_error *e, int *rcp, char *msg,
			 size_t msgcap)
{
	const char prefix[] = "<<";
	char *text = NULL;

	*rcp = rc;
	if (msg && msgcap)
		snprintf(msg, msgcap, "%s", e ? dm_error_message(e) : "");
	if (rc == 0) {
		assert_null(e);
		assert_true(b->len >= 2 && memcmp(b->data, prefix, 2) == 0);
		assert_int_equal(strlen(b->data), b->len);
		text = strdup(b->data + 2);
		assert_non_null(text);
	} else {
		/* Failure leaves the buffer as it was. */
		assert_non_null(e);
		assert_int_equal(dm_error_status(e), rc);
		assert_int_equal(b->len, 2);
		assert_string_equal(b->data, prefix);
	}
	dm_error_free(e);
	dm_buf_free(b);
	return text;
}

char *jt_to_text(const unsigned char *p, size_t n, int *rc, char *msg,
		 size_t msgcap)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;
	int r;

	assert_int_equal(dm_buf_puts(&b, "<<"), 0);
	r = dm__jsonbin_to_text(&b, p, n, &e);
	return finish_call(&b, r, e, rc, msg, msgcap);
}

char *jt_apply(const unsigned char *before, size_t bn,
	       const unsigned char *diffs, size_t dn, int *rc, char *msg,
	       size_t msgcap)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;
	int r;

	assert_int_equal(dm_buf_puts(&b, "<<"), 0);
	r = dm__jsonbin_apply_diffs(&b, before, bn, diffs, dn, &e);
	return finish_call(&b, r, e, rc, msg, msgcap);
}

void jt_check_text(const unsigned char *p, size_t n, const char *want)
{
	char msg[512];
	char *got, *again;
	int rc;

	got = jt_to_text(p, n, &rc, msg, sizeof(msg));
	if (rc)
		fail_msg("to_text failed: %s (wanted %s)", msg, want);
	assert_string_equal(got, want);
	/* The tree printer of apply_diffs must agree with the streaming one. */
	again = jt_apply(p, n, NULL, 0, &rc, msg, sizeof(msg));
	if (rc)
		fail_msg("apply_diffs without diffs failed: %s", msg);
	assert_string_equal(again, want);
	free(got);
	free(again);
}

void jt_check_error(const unsigned char *p, size_t n, size_t at,
		    const char *what)
{
	char msg[512], where[64];
	char *got;
	int rc;

	got = jt_to_text(p, n, &rc, msg, sizeof(msg));
	if (rc == 0)
		fail_msg("decoded malformed input as %s (wanted: %s)", got,
			 what);
	assert_int_equal(rc, DM_E_BINLOG_EVENT_DECODE);
	snprintf(where, sizeof(where), "byte %zu:", at);
	if (!strstr(msg, where) || !strstr(msg, what))
		fail_msg("message \"%s\" lacks \"%s\" or \"%s\"", msg, where,
			 what);
	/* The tree builder must reject it the same way. */
	got = jt_apply(p, n, NULL, 0, &rc, msg, sizeof(msg));
	assert_null(got);
	assert_int_equal(rc, DM_E_BINLOG_EVENT_DECODE);
	if (!strstr(msg, where) || !strstr(msg, what))
		fail_msg("apply message \"%s\" lacks \"%s\" or \"%s\"", msg,
			 where, what);
}

bool jt_corpus(jt_bytes *out, const char *name)
{
	char path[512];
	size_t n, len;
	FILE *f;
	char *buf;
	bool ok;

	snprintf(path, sizeof(path), "../shared/corpus/binlog/%s", name);
	f = fopen(path, "rb");
	if (!f)
		return false;
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(len + 1);
	assert_non_null(buf);
	n = fread(buf, 1, len, f);
	fclose(f);
	assert_int_equal(n, len);
	buf[len] = '\0';
	len = strlen(name);
	if (len > 4 && strcmp(name + len - 4, ".hex") == 0) {
		ok = jt_hex(out, buf);
		assert_true(ok);
	} else {
		jt_put(out, buf, n);
	}
	free(buf);
	return true;
}

int main(void)
{
	int failed = 0;

	if (jt_quick())
		fprintf(stderr, "unit-jsonbin: quick mode, counts scaled down\n");
	failed += jt_text_group();
	failed += jt_malformed_group();
	failed += jt_random_group();
	failed += jt_diff_group();
	failed += jt_corpus_group();
	return failed ? 1 : 0;
}
