/* SPDX-License-Identifier: Apache-2.0 */
#include "gtid_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/util.h"
#include "util/alloc.h"

bool gtid_test_quick(void)
{
	const char *q = getenv("DM_TEST_QUICK");
	const char *pre = getenv("LD_PRELOAD");

	if (q && *q && strcmp(q, "0") != 0)
		return true;
	return pre && strstr(pre, "vgpreload") != NULL;
}

size_t gtid_test_scale(size_t n)
{
	if (!gtid_test_quick())
		return n;
	return n / 20 ? n / 20 : 1;
}

int gtid_test_reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

dm_gtid_set *gtid_test_parse(dm_gtid_flavor flavor, const char *text)
{
	dm_gtid_set *set = NULL;
	dm_error *e = NULL;
	int rc = dm_gtid_set_parse(&set, flavor, text, strlen(text), &e);

	if (rc) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, e, 0);
		fail_msg("parse [%s]: %s", text, b.data);
	}
	assert_null(e);
	assert_non_null(set);
	return set;
}

char *gtid_test_format(const dm_gtid_set *set)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_gtid_set_format(&b, set), 0);
	assert_non_null(b.data);
	return dm_buf_detach(&b);
}

void gtid_test_canonical(dm_gtid_flavor flavor, const char *text,
			 const char *want)
{
	dm_gtid_set *a = gtid_test_parse(flavor, text), *b;
	char *got = gtid_test_format(a);

	if (strcmp(got, want) != 0)
		fail_msg("[%s] formats as [%s], want [%s]", text, got, want);
	b = gtid_test_parse(flavor, got);
	assert_true(dm_gtid_set_equal(a, b));
	assert_true(dm_gtid_set_equal(b, a));
	free(got);
	dm_gtid_set_free(a);
	dm_gtid_set_free(b);
}

void gtid_test_parse_fails(dm_gtid_flavor flavor, const char *text,
			   size_t len, int status, const char *frag1,
			   const char *frag2)
{
	dm_gtid_set *set = (dm_gtid_set *)&set; /* must be reset to NULL */
	dm_error *e = NULL;
	const char *msg;
	int rc = dm_gtid_set_parse(&set, flavor, text, len, &e);

	if (rc == 0)
		fail_msg("[%.*s] parsed, want status %d", (int)len, text,
			 status);
	assert_null(set);
	assert_int_equal(rc, status);
	assert_non_null(e);
	assert_int_equal(dm_error_status(e), status);
	msg = dm_error_message(e);
	if (frag1 && !strstr(msg, frag1))
		fail_msg("[%.*s]: message [%s] lacks [%s]", (int)len, text, msg,
			 frag1);
	if (frag2 && !strstr(msg, frag2))
		fail_msg("[%.*s]: message [%s] lacks [%s]", (int)len, text, msg,
			 frag2);
	dm_error_free(e);
}

int main(void)
{
	int failed = 0;

	if (gtid_test_quick())
		fprintf(stderr, "unit-gtid: quick mode, counts scaled down\n");
	failed += gtid_test_mysql_group();
	failed += gtid_test_mariadb_group();
	failed += gtid_test_ops_group();
	failed += gtid_test_codec_group();
	failed += gtid_test_alloc_group();
	return failed ? 1 : 0;
}
