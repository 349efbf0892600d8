/* SPDX-License-Identifier: Apache-2.0 */
/* MariaDB GTIDs and GTID sets as text: parsing, errors, canonical output,
 * the one-per-domain position form. */
#include "gtid_test.h"

#include <stdlib.h>
#include <string.h>

#define MARIA_BAD DM_E_BINLOG_GTID_MARIADB_NOT_VALID

static void bad(const char *text, const char *frag1, const char *frag2)
{
	gtid_test_parse_fails(DM_GTID_MARIADB, text, strlen(text), MARIA_BAD,
			      frag1, frag2);
}

static char *position_of(const char *text)
{
	dm_gtid_set *s = gtid_test_parse(DM_GTID_MARIADB, text);
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_gtid_set_format_position(&b, s), 0);
	dm_gtid_set_free(s);
	return dm_buf_detach(&b);
}

static void test_gtid__mariadb_empty_text_is_empty_set(void **state)
{
	dm_gtid_set *s;
	char *f;

	(void)state;
	s = gtid_test_parse(DM_GTID_MARIADB, " \n ");
	assert_true(dm_gtid_set_is_empty(s));
	assert_int_equal(dm_gtid_set_flavor(s), DM_GTID_MARIADB);
	f = gtid_test_format(s);
	assert_string_equal(f, "");
	free(f);
	dm_gtid_set_free(s);
	f = position_of("");
	assert_string_equal(f, "");
	free(f);
}

static void test_gtid__mariadb_sorted_numerically(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MARIADB, "0-1-2", "0-1-2");
	gtid_test_canonical(DM_GTID_MARIADB, "1-2-3,0-1-5", "0-1-5,1-2-3");
	gtid_test_canonical(DM_GTID_MARIADB, "10-1-1,2-1-1,100-1-1,2-0-4",
			    "2-0-4,2-1-1,10-1-1,100-1-1");
	gtid_test_canonical(DM_GTID_MARIADB, "00-01-0002", "0-1-2");
}

static void test_gtid__mariadb_duplicates_keep_highest_seq(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MARIADB, "0-1-5,0-1-3", "0-1-5");
	gtid_test_canonical(DM_GTID_MARIADB, "0-1-3,0-1-5", "0-1-5");
	gtid_test_canonical(DM_GTID_MARIADB, "0-1-5,0-1-5", "0-1-5");
	gtid_test_canonical(DM_GTID_MARIADB, "0-1-5,0-2-7,0-1-9",
			    "0-1-9,0-2-7");
}

static void test_gtid__mariadb_number_bounds(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MARIADB,
			    "4294967295-4294967295-18446744073709551615",
			    "4294967295-4294967295-18446744073709551615");
	gtid_test_canonical(DM_GTID_MARIADB, "0-0-0", "0-0-0");
	bad("4294967296-1-1", "domain id above 4294967295", "offset 0");
	bad("0-4294967296-1", "server id above 4294967295", "offset 2");
	bad("0-1-18446744073709551616", "sequence number above "
					"18446744073709551615", "offset 4");
	bad("0-1-99999999999999999999999", "sequence number above", NULL);
}

static void test_gtid__mariadb_rejects_malformed(void **state)
{
	(void)state;
	bad("0-1", "expected '-' after the server id", "end of the text");
	bad("0", "expected '-' after the domain id", "end of the text");
	bad("0--1-2", "expected a server id", "offset 2");
	bad("a-1-2", "expected a domain id", "offset 0, near \"a-1-2\"");
	bad("0-1-2-3", "expected ','", "offset 5");
	bad("0 - 1 - 2", "expected '-' after the domain id", "offset 1");
	bad("-0-1-2", "expected a domain id", "offset 0");
	bad("+0-1-2", "expected a domain id", NULL);
	bad("0-1-x", "expected a sequence number", "offset 4");
	bad("0-1-2 1-1-3", "expected ','", "offset 6");
	bad("0-1-2;1-1-3", "expected ','", "near \";1-1-3\"");
	bad("0-1-2,", "expected a GTID after ','", NULL);
	bad(",0-1-2", "empty element", "offset 0");
	bad("0-1-2,,0-1-3", "empty element", "offset 6");
	bad("0-1--2", "expected a sequence number", NULL);
	/* Flavors do not mix. */
	bad("3e11fa47-71ca-11e1-9e33-c80aa9429562:1", "expected '-' after the "
						    "domain id", "offset 1");
	gtid_test_parse_fails(DM_GTID_MYSQL, "0-1-2", 5,
			      DM_E_BINLOG_GTID_MYSQL_NOT_VALID,
			      "expected a UUID", NULL);
}

static void test_gtid__mariadb_whitespace_around_commas(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MARIADB, " 0-1-2 ,\n 1-1-3 \t",
			    "0-1-2,1-1-3");
}

static void test_gtid__mariadb_position_keeps_one_gtid_per_domain(
	void **state)
{
	static const char *const cases[][2] = {
		{ "0-1-5,0-2-7,1-3-2,1-1-9", "0-2-7,1-1-9" },
		{ "0-1-5,0-2-5", "0-2-5" }, /* tie: the higher server id */
		{ "0-9-5,0-2-5,0-3-4", "0-9-5" },
		{ "7-1-1", "7-1-1" },
		{ "3-1-1,1-1-1,2-1-1", "1-1-1,2-1-1,3-1-1" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = position_of(cases[i][0]);

		if (strcmp(p, cases[i][1]) != 0)
			fail_msg("position of [%s] is [%s], want [%s]",
				 cases[i][0], p, cases[i][1]);
		free(p);
	}
}

static void test_gtid__mariadb_single_gtid_parse_and_format(void **state)
{
	static const char *const cases[][2] = {
		{ "0-1-2", "0-1-2" },
		{ " 4294967295-0-18446744073709551615 \n",
		  "4294967295-0-18446744073709551615" },
		{ "007-08-09", "7-8-9" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dm_gtid g, h;
		dm_buf b = DM_BUF_INIT;

		assert_int_equal(dm_gtid_parse(&g, DM_GTID_MARIADB, cases[i][0],
					       strlen(cases[i][0]), NULL),
				 0);
		assert_int_equal(g.flavor, DM_GTID_MARIADB);
		assert_int_equal(dm_gtid_format(&b, &g), 0);
		assert_string_equal(b.data, cases[i][1]);
		assert_int_equal(dm_gtid_parse(&h, DM_GTID_MARIADB, b.data,
					       b.len, NULL),
				 0);
		assert_true(dm_gtid_equal(&g, &h));
		h.seq++;
		assert_false(dm_gtid_equal(&g, &h));
		dm_buf_free(&b);
	}
}

static void test_gtid__mariadb_single_gtid_rejects_lists(void **state)
{
	static const char *const texts[] = { "0-1-2,1-1-1", "0-1", "",
					     "0-1-2 x", "0-1-2-3" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		dm_gtid g;
		dm_error *e = NULL;

		assert_int_equal(dm_gtid_parse(&g, DM_GTID_MARIADB, texts[i],
					       strlen(texts[i]), &e),
				 DM_E_PARSE_GTID);
		assert_non_null(strstr(dm_error_message(e), "offset"));
		dm_error_free(e);
	}
}

static void test_gtid__mariadb_rejects_truncated_mariadb_gtid(void **state)
{
	dm_gtid g;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_gtid_parse(&g, DM_GTID_MARIADB, "0-1-2", 4, &e),
			 DM_E_PARSE_GTID);
	assert_non_null(strstr(dm_error_message(e),
			       "expected a sequence number at offset 4, at "
			       "the end of the text"));
	dm_error_free(e);
}

int gtid_test_mariadb_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtid__mariadb_empty_text_is_empty_set),
		cmocka_unit_test(test_gtid__mariadb_sorted_numerically),
		cmocka_unit_test(test_gtid__mariadb_duplicates_keep_highest_seq),
		cmocka_unit_test(test_gtid__mariadb_number_bounds),
		cmocka_unit_test(test_gtid__mariadb_rejects_malformed),
		cmocka_unit_test(test_gtid__mariadb_whitespace_around_commas),
		cmocka_unit_test(test_gtid__mariadb_position_keeps_one_gtid_per_domain),
		cmocka_unit_test(test_gtid__mariadb_single_gtid_parse_and_format),
		cmocka_unit_test(test_gtid__mariadb_single_gtid_rejects_lists),
		cmocka_unit_test(test_gtid__mariadb_rejects_truncated_mariadb_gtid),
	};

	return cmocka_run_group_tests_name("gtid_mariadb", tests, NULL,
					   gtid_test_reset_alloc);
}
