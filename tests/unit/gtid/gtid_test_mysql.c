/* SPDX-License-Identifier: Apache-2.0 */
/* MySQL GTIDs and GTID sets as text: parsing, errors, canonical output. */
#include "gtid_test.h"

#include <stdlib.h>
#include <string.h>

#define U1 "3e11fa47-71ca-11e1-9e33-c80aa9429562"
#define U1_UPPER "3E11FA47-71CA-11E1-9E33-C80AA9429562"
#define U2 "b5cd1624-5f30-11e4-b4e9-1051721bd241"
#define U3 "ffffffff-ffff-ffff-ffff-ffffffffffff"
#define U0 "00000000-0000-0000-0000-000000000000"

#define MYSQL_BAD DM_E_BINLOG_GTID_MYSQL_NOT_VALID

static void bad(const char *text, const char *frag1, const char *frag2)
{
	gtid_test_parse_fails(DM_GTID_MYSQL, text, strlen(text), MYSQL_BAD,
			      frag1, frag2);
}

static void test_gtid__mysql_empty_and_blank_text_is_empty_set(void **state)
{
	const char *texts[] = { "", " ", "\n\t\r ", "\f\v" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		dm_gtid_set *s = gtid_test_parse(DM_GTID_MYSQL, texts[i]);
		char *f = gtid_test_format(s);

		assert_true(dm_gtid_set_is_empty(s));
		assert_int_equal(dm_gtid_set_flavor(s), DM_GTID_MYSQL);
		assert_string_equal(f, "");
		free(f);
		dm_gtid_set_free(s);
	}
}

static void test_gtid__mysql_null_text_with_zero_length_is_empty(void **state)
{
	dm_gtid_set *s = NULL;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_gtid_set_parse(&s, DM_GTID_MYSQL, NULL, 0, &e), 0);
	assert_true(dm_gtid_set_is_empty(s));
	dm_gtid_set_free(s);
	assert_int_equal(dm_gtid_set_parse(&s, DM_GTID_MYSQL, NULL, 3, &e),
			 DM_E_INVALID_ARGUMENT);
	assert_null(s);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_set_parse(NULL, DM_GTID_MYSQL, "", 0, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_parse(&s, (dm_gtid_flavor)7, "", 0, &e),
			 DM_E_NOT_SUPPORTED_FLAVOR);
	assert_null(s);
	dm_error_free(e);
}

static void test_gtid__mysql_uuid_is_case_folded(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MYSQL, U1_UPPER ":1-5", U1 ":1-5");
	gtid_test_canonical(DM_GTID_MYSQL, "3e11FA47-71ca-11E1-9e33-C80aa9429562:7",
			    U1 ":7");
}

static void test_gtid__mysql_sources_sorted_by_uuid(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MYSQL, U3 ":1," U2 ":2," U1 ":3," U0 ":4",
			    U0 ":4," U1 ":3," U2 ":2," U3 ":1");
}

static void test_gtid__mysql_overlapping_and_adjacent_intervals_merge(
	void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":1-3:4-6:10:8-9:2",
			    U1 ":1-6:8-10");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":5-10:1-20", U1 ":1-20");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":1:3:5:2:4", U1 ":1-5");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":10-20:1-3:30-40:15-35",
			    U1 ":1-3:10-40");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":1-2," U1 ":3," U2 ":9," U1 ":7",
			    U1 ":1-3:7," U2 ":9");
}

static void test_gtid__mysql_single_numbers_print_without_range(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":1-1", U1 ":1");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":7-7:9", U1 ":7:9");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":007-0009", U1 ":7-9");
}

static void test_gtid__mysql_whitespace_around_separators(void **state)
{
	(void)state;
	/* @@gtid_executed as MySQL prints it. */
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":1-5,\n" U2 ":1-3",
			    U1 ":1-5," U2 ":1-3");
	gtid_test_canonical(DM_GTID_MYSQL,
			    " \t" U1 " : 1 - 5 : 7 ,\n " U2 ":\ttag\t:\t3 \r\n",
			    U1 ":1-5:7," U2 ":tag:3");
}

static void test_gtid__mysql_huge_transaction_numbers(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":9223372036854775806",
			    U1 ":9223372036854775806");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":1-9223372036854775806",
			    U1 ":1-9223372036854775806");
	gtid_test_canonical(DM_GTID_MYSQL,
			    U1 ":9223372036854775805:9223372036854775806",
			    U1 ":9223372036854775805-9223372036854775806");
	/* 2^63 - 1 is MySQL's GNO_END: one past the highest number. */
	bad(U1 ":9223372036854775807", "above 9223372036854775806",
	    "offset 37");
	bad(U1 ":1-9223372036854775807", "above 9223372036854775806",
	    "offset 39");
	bad(U1 ":18446744073709551616", "above", "offset 37");
	bad(U1 ":99999999999999999999999999", "above", NULL);
}

static void test_gtid__mysql_rejects_zero_transaction_number(void **state)
{
	(void)state;
	bad(U1 ":0", "transaction numbers start at 1", "offset 37, near \"0\"");
	bad(U1 ":0-5", "start at 1", "offset 37");
	bad(U1 ":1:0", "start at 1", "offset 39");
	bad(U1 ":00", "start at 1", NULL);
}

static void test_gtid__mysql_rejects_interval_start_above_end(void **state)
{
	(void)state;
	bad(U1 ":5-3", "interval end is below its start", "offset 39");
	bad(U1 ":1-5:9-8", "below its start", "offset 43, near \"8\"");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":5-5", U1 ":5");
}

static void test_gtid__mysql_rejects_invalid_uuid(void **state)
{
	(void)state;
	bad("3e11fa47-71ca-11e1-9e33-c80aa942956:1", "expected a UUID",
	    "offset 35, near \":1\"");
	bad("3e11fa4771ca11e19e33c80aa9429562:1", "expected a UUID",
	    "offset 8");
	bad("3e11fa47-71ca-11e1-9e33-c80aa942956g:1", "expected a UUID",
	    "offset 35, near \"g:1\"");
	bad("{3e11fa47-71ca-11e1-9e33-c80aa9429562}:1", "expected a UUID",
	    "offset 0");
	bad("3e11fa47-71ca-11e1-9e33-c80aa94295621:1",
	    "expected ':' after the UUID", "offset 36");
	bad("hello", "expected a UUID", "offset 0, near \"hello\"");
	bad("-1", "expected a UUID", NULL);
}

static void test_gtid__mysql_rejects_empty_elements(void **state)
{
	(void)state;
	bad(U1 ":1,", "expected a GTID after ','", "end of the text");
	bad(U1 ":1 , \n", "expected a GTID after ','", "offset 42");
	bad("," U1 ":1", "empty element", "offset 0");
	bad(U1 ":1,," U2 ":1", "empty element", "offset 39");
	bad(" , ", "empty element", "offset 1");
}

static void test_gtid__mysql_rejects_missing_numbers(void **state)
{
	(void)state;
	bad(U1, "expected ':' after the UUID", "end of the text");
	bad(U1 ",", "expected ':' after the UUID", "offset 36");
	bad(U1 ":", "expected a tag or a transaction number",
	    "offset 37, at the end");
	bad(U1 ":1:", "expected a tag or a transaction number", "offset 39");
	bad(U1 ":1-", "expected a transaction number", "offset 39");
	bad(U1 ":-1", "expected a tag or a transaction number", "offset 37");
	bad(U1 ":+1", "expected a tag or a transaction number", NULL);
	bad(U1 ":1-+2", "expected a transaction number", NULL);
	bad(U1 "::1", "expected a tag or a transaction number", NULL);
}

static void test_gtid__mysql_rejects_trailing_garbage(void **state)
{
	(void)state;
	bad(U1 ":1 x", "expected ',' or ':'", "offset 39, near \"x\"");
	bad(U1 ":1abc", "expected ',' or ':'", "offset 38");
	bad(U1 ":1;" U2 ":1", "expected ',' or ':'", "near \";b5cd1624-5f30-1\"...");
	bad(U1 ":1-5-7", "expected ',' or ':'", "offset 40");
	bad(U1 ":0x10", "start at 1", NULL);
}

static void test_gtid__mysql_error_quotes_unprintable_bytes(void **state)
{
	static const char text[] = U1 ":1\0:2";

	(void)state;
	gtid_test_parse_fails(DM_GTID_MYSQL, text, sizeof(text) - 1, MYSQL_BAD,
			      "offset 38", "near \"\\x00:2\"");
	bad(U1 ":1\xc3\xa9", "near \"\\xc3\\xa9\"", NULL);
	bad(U1 ":1\"", "near \"\\x22\"", NULL);
}

static void test_gtid__mysql_tags_parse_and_sort(void **state)
{
	(void)state;
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":tag:1-5", U1 ":tag:1-5");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":1-5:TagB:3:taga:1-2",
			    U1 ":1-5:taga:1-2:tagb:3");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":t:1," U1 ":T:2:4," U1 ":3",
			    U1 ":3:t:1-2:4");
	gtid_test_canonical(DM_GTID_MYSQL, U2 ":x:1," U1 ":y:1," U1 ":1",
			    U1 ":1:y:1," U2 ":x:1");
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":_:1:_9:2:a_b_1:3",
			    U1 ":_:1:_9:2:a_b_1:3");
	/* A tag applies to the intervals after it, up to the next tag. */
	gtid_test_canonical(DM_GTID_MYSQL, U1 ":a:1:3-4:b:2", U1 ":a:1:3-4:b:2");
	gtid_test_canonical(DM_GTID_MYSQL,
			    U1 ":abcdefghijklmnopqrstuvwxyz012345:1",
			    U1 ":abcdefghijklmnopqrstuvwxyz012345:1");
}

static void test_gtid__mysql_rejects_bad_tags(void **state)
{
	(void)state;
	bad(U1 ":abcdefghijklmnopqrstuvwxyz0123456:1",
	    "tag longer than 32 characters", "offset 37");
	bad(U1 ":tag", "expected ':' and transaction numbers after the tag",
	    "end of the text");
	bad(U1 ":tag,", "expected ':' and transaction numbers after the tag",
	    "offset 40");
	bad(U1 ":t1:t2:1", "expected a transaction number after the tag",
	    "offset 40");
	bad(U1 ":1:tag", "after the tag", NULL);
	bad(U1 ":a-b:1", "after the tag", "offset 38");
	bad(U1 ":t\xc3\xa4g:1", "after the tag", "offset 38");
	bad(U1 ":t:", "expected a transaction number after the tag", NULL);
}

static void test_gtid__mysql_single_gtid_parse_and_format(void **state)
{
	static const char *const cases[][2] = {
		{ U1_UPPER ":5", U1 ":5" },
		{ " " U1 " : MyTag : 42 \n", U1 ":mytag:42" },
		{ U1 ":9223372036854775806", U1 ":9223372036854775806" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dm_gtid g, h;
		dm_buf b = DM_BUF_INIT;

		assert_int_equal(dm_gtid_parse(&g, DM_GTID_MYSQL, cases[i][0],
					       strlen(cases[i][0]), NULL),
				 0);
		assert_int_equal(g.flavor, DM_GTID_MYSQL);
		assert_int_equal(dm_gtid_format(&b, &g), 0);
		assert_string_equal(b.data, cases[i][1]);
		assert_int_equal(dm_gtid_parse(&h, DM_GTID_MYSQL, b.data, b.len,
					       NULL),
				 0);
		assert_true(dm_gtid_equal(&g, &h));
		dm_buf_free(&b);
	}
}

static void single_bad(const char *text, const char *frag)
{
	dm_gtid g;
	dm_error *e = NULL;

	memset(&g, 0x5a, sizeof(g));
	assert_int_equal(dm_gtid_parse(&g, DM_GTID_MYSQL, text, strlen(text),
				       &e),
			 DM_E_PARSE_GTID);
	assert_non_null(e);
	if (!strstr(dm_error_message(e), frag))
		fail_msg("[%s]: [%s] lacks [%s]", text, dm_error_message(e),
			 frag);
	assert_int_equal(g.gno, 0x5a5a5a5a5a5a5a5aULL); /* untouched */
	dm_error_free(e);
}

static void test_gtid__mysql_single_gtid_rejects_sets_and_bad_input(
	void **state)
{
	(void)state;
	single_bad(U1 ":1-2", "expected the end of the GTID");
	single_bad(U1 ":1:2", "expected the end of the GTID");
	single_bad(U1 ":1," U2 ":1", "offset 38");
	single_bad(U1 ":0", "start at 1");
	single_bad(U1, "expected ':' after the UUID");
	single_bad(U1 ":tag", "expected ':' after the tag");
	single_bad(U1 ":tag:", "expected a transaction number");
	single_bad("", "expected a UUID");
	single_bad("0-1-2", "expected a UUID");
}

static void test_gtid__mysql_single_gtid_format_validates(void **state)
{
	dm_gtid g;
	dm_buf b = DM_BUF_INIT;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.flavor = DM_GTID_MYSQL;
	g.gno = 0;
	assert_int_equal(dm_gtid_format(&b, &g), DM_E_INVALID_ARGUMENT);
	g.gno = DM_GTID_MYSQL_GNO_MAX + 1;
	assert_int_equal(dm_gtid_format(&b, &g), DM_E_INVALID_ARGUMENT);
	g.gno = 3;
	strcpy(g.tag, "9bad");
	assert_int_equal(dm_gtid_format(&b, &g), DM_E_INVALID_ARGUMENT);
	strcpy(g.tag, "Good");
	assert_int_equal(dm_gtid_format(&b, &g), 0);
	assert_string_equal(b.data, U0 ":good:3");
	g.flavor = (dm_gtid_flavor)0;
	assert_int_equal(dm_gtid_format(&b, &g), DM_E_NOT_SUPPORTED_FLAVOR);
	assert_string_equal(b.data, U0 ":good:3");
	assert_int_equal(dm_gtid_format(NULL, &g), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_format(&b, NULL), DM_E_INVALID_ARGUMENT);
	dm_buf_free(&b);
}

static void test_gtid__single_gtid_misuse(void **state)
{
	dm_gtid a, c;
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_gtid_parse(NULL, DM_GTID_MYSQL, "x", 1, &e),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_gtid_parse(&a, DM_GTID_MYSQL, NULL, 1, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_parse(&a, (dm_gtid_flavor)3, "0-1-2", 5, &e),
			 DM_E_NOT_SUPPORTED_FLAVOR);
	dm_error_free(e);
	assert_int_equal(dm_gtid_parse(&a, DM_GTID_MARIADB, "0-1-2", 5, NULL), 0);
	assert_int_equal(dm_gtid_parse(&c, DM_GTID_MYSQL, U1 ":2",
				       strlen(U1 ":2"), NULL),
			 0);
	assert_false(dm_gtid_equal(&a, &c));
	assert_false(dm_gtid_equal(&a, NULL));
	assert_true(dm_gtid_equal(&c, &c));
	strcpy(c.tag, "-");
	assert_false(dm_gtid_equal(&c, &c)); /* an invalid tag equals nothing */
	a.flavor = c.flavor = (dm_gtid_flavor)0;
	assert_false(dm_gtid_equal(&a, &c));
}

static void test_gtid__mysql_format_appends_to_buffer(void **state)
{
	dm_gtid_set *s = gtid_test_parse(DM_GTID_MYSQL, U1 ":1-3");
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_buf_puts(&b, "gtid="), 0);
	assert_int_equal(dm_gtid_set_format(&b, s), 0);
	assert_string_equal(b.data, "gtid=" U1 ":1-3");
	assert_int_equal(dm_gtid_set_format_position(&b, s), 0);
	assert_string_equal(b.data, "gtid=" U1 ":1-3" U1 ":1-3");
	assert_int_equal(dm_gtid_set_format(NULL, s), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_gtid_set_format(&b, NULL), DM_E_INVALID_ARGUMENT);
	dm_buf_free(&b);
	dm_gtid_set_free(s);
}

int gtid_test_mysql_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gtid__mysql_empty_and_blank_text_is_empty_set),
		cmocka_unit_test(test_gtid__mysql_null_text_with_zero_length_is_empty),
		cmocka_unit_test(test_gtid__mysql_uuid_is_case_folded),
		cmocka_unit_test(test_gtid__mysql_sources_sorted_by_uuid),
		cmocka_unit_test(test_gtid__mysql_overlapping_and_adjacent_intervals_merge),
		cmocka_unit_test(test_gtid__mysql_single_numbers_print_without_range),
		cmocka_unit_test(test_gtid__mysql_whitespace_around_separators),
		cmocka_unit_test(test_gtid__mysql_huge_transaction_numbers),
		cmocka_unit_test(test_gtid__mysql_rejects_zero_transaction_number),
		cmocka_unit_test(test_gtid__mysql_rejects_interval_start_above_end),
		cmocka_unit_test(test_gtid__mysql_rejects_invalid_uuid),
		cmocka_unit_test(test_gtid__mysql_rejects_empty_elements),
		cmocka_unit_test(test_gtid__mysql_rejects_missing_numbers),
		cmocka_unit_test(test_gtid__mysql_rejects_trailing_garbage),
		cmocka_unit_test(test_gtid__mysql_error_quotes_unprintable_bytes),
		cmocka_unit_test(test_gtid__mysql_tags_parse_and_sort),
		cmocka_unit_test(test_gtid__mysql_rejects_bad_tags),
		cmocka_unit_test(test_gtid__mysql_single_gtid_parse_and_format),
		cmocka_unit_test(test_gtid__mysql_single_gtid_rejects_sets_and_bad_input),
		cmocka_unit_test(test_gtid__mysql_single_gtid_format_validates),
		cmocka_unit_test(test_gtid__single_gtid_misuse),
		cmocka_unit_test(test_gtid__mysql_format_appends_to_buffer),
	};

	return cmocka_run_group_tests_name("gtid_mysql", tests, NULL,
					   gtid_test_reset_alloc);
}
