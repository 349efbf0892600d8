/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The value checks behind the parser: Go durations, chunk sizes, edit
 * distance, wildcards, regular expressions, binlog names, event names.
 */
#include "cfg_test.h"

#include <string.h>

#include "cfg/cfg_private.h"

#define SEC 1000000000ll

static void test_cfg__durations_parse_like_go(void **state)
{
	static const struct {
		const char *text;
		bool ok;
		int64_t ns;
	} cases[] = {
		{ "0", true, 0 },
		{ "5m", true, 300 * SEC },
		{ "5m0s", true, 300 * SEC },
		{ "1h30m", true, 5400 * SEC },
		{ "1.5h", true, 5400 * SEC },
		{ ".5s", true, SEC / 2 },
		{ "1.s", true, SEC },
		{ "300ms", true, 300000000 },
		{ "2us", true, 2000 },
		{ "2\xc2\xb5s", true, 2000 },
		{ "2\xce\xbcs", true, 2000 },
		{ "7ns", true, 7 },
		{ "-1m", true, -60 * SEC },
		{ "+1s", true, SEC },
		{ "1h1m1s1ms1us1ns", true, 3661 * SEC + 1001001 },
		{ "2562047h47m16.854775807s", true, INT64_MAX },
		{ "2562047h47m16.854775808s", false, 0 },
		{ "", false, 0 },
		{ "5", false, 0 },
		{ "s", false, 0 },
		{ ".s", false, 0 },
		{ "5 m", false, 0 },
		{ "5d", false, 0 },
		{ "1.2.3s", false, 0 },
		{ "99999999999999999999ns", false, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int64_t ns = -42;
		bool ok = dm__cfg_parse_duration(cases[i].text, &ns);

		if (ok != cases[i].ok || (ok && ns != cases[i].ns))
			print_error("duration \"%s\": ok=%d ns=%lld\n",
					    cases[i].text, ok, (long long)ns);
		assert_int_equal(ok, cases[i].ok);
		if (ok)
			assert_int_equal(ns, cases[i].ns);
	}
}

static void test_cfg__durations_print_like_go(void **state)
{
	static const struct {
		int64_t ns;
		const char *text;
	} cases[] = {
		{ 0, "0s" },
		{ 1, "1ns" },
		{ 1500, "1.5\xc2\xb5s" },
		{ 300000000, "300ms" },
		{ 1234567, "1.234567ms" },
		{ SEC, "1s" },
		{ SEC + SEC / 2, "1.5s" },
		{ 60 * SEC, "1m0s" },
		{ 90 * SEC, "1m30s" },
		{ 3600 * SEC, "1h0m0s" },
		{ 5400 * SEC + 1, "1h30m0.000000001s" },
		{ -300 * SEC, "-5m0s" },
		{ INT64_MAX, "2562047h47m16.854775807s" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dm_buf b = DM_BUF_INIT;
		int64_t back = 0;

		assert_int_equal(dm__cfg_format_duration(&b, cases[i].ns), 0);
		assert_string_equal(b.data, cases[i].text);
		assert_true(dm__cfg_parse_duration(b.data, &back));
		assert_int_equal(back, cases[i].ns);
		dm_buf_free(&b);
	}
}

static void test_cfg__chunk_filesize_reads_like_dm(void **state)
{
	static const struct {
		const char *text;
		bool ok;
		uint64_t bytes;
	} cases[] = {
		{ "64", true, 64ull << 20 },
		{ "0", true, 0 },
		{ "256MiB", true, 256ull << 20 },
		{ "256mb", true, 256ull << 20 },
		{ "1G", true, 1ull << 30 },
		{ "1.5g", true, 3ull << 29 },
		{ "512 k", true, 512ull << 10 },
		{ "100b", true, 100 },
		{ "2TiB", true, 2ull << 40 },
		{ "", false, 0 },
		{ "-1", false, 0 },
		{ "64 megs", false, 0 },
		{ "MiB", false, 0 },
		{ "1.2.3M", false, 0 },
		{ "64MiBs", false, 0 },
		{ "99999999999999999999", false, 0 },
		{ "20000000000000P", false, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t bytes = 7;
		bool ok = dm__cfg_parse_filesize(cases[i].text, &bytes);

		if (ok != cases[i].ok)
			print_error("filesize \"%s\"\n", cases[i].text);
		assert_int_equal(ok, cases[i].ok);
		if (ok)
			assert_int_equal(bytes, cases[i].bytes);
	}
}

static void test_cfg__edit_distance_is_capped(void **state)
{
	(void)state;
	assert_int_equal(dm__cfg_distance("name", "name", 2), 0);
	assert_int_equal(dm__cfg_distance("nmae", "name", 2), 2);
	assert_int_equal(dm__cfg_distance("sourceid", "source-id", 2), 1);
	assert_int_equal(dm__cfg_distance("abc", "xyz", 2), 3);
	assert_int_equal(dm__cfg_distance("", "abcdef", 2), 3);
}

static void test_cfg__selector_wildcards_end_with_star(void **state)
{
	(void)state;
	assert_true(dm__cfg_wildcard_ok("shard_*"));
	assert_true(dm__cfg_wildcard_ok("t_?[0-9]"));
	assert_true(dm__cfg_wildcard_ok(""));
	assert_false(dm__cfg_wildcard_ok("a*b"));
	assert_false(dm__cfg_wildcard_ok("a**"));
	assert_true(dm__cfg_pattern_eq("Shard_*", "shard_*", false));
	assert_false(dm__cfg_pattern_eq("Shard_*", "shard_*", true));
}

static void test_cfg__regular_expressions_are_checked_with_pcre2(void **state)
{
	char why[200];
	unsigned caps = 9;

	(void)state;
	assert_int_equal(dm__cfg_regex_check("^_(.+)_gho$", 11, why, sizeof(why), &caps), 0);
	assert_int_equal(caps, 1);
	/* constructs Go's RE2 lacks are fine here */
	assert_int_equal(dm__cfg_regex_check("^(?!tmp_)\\w+", 12, why, sizeof(why), NULL), 0);
	assert_int_equal(dm__cfg_regex_check("(a", 2, why, sizeof(why), NULL), -1);
	assert_non_null(strstr(why, "at offset 2"));
	assert_int_equal(dm__cfg_regex_check("\xff", 1, why, sizeof(why), NULL), -1);
}

static void test_cfg__names_dm_checks(void **state)
{
	(void)state;
	assert_true(dm__cfg_binlog_name_ok("mysql-bin.000001"));
	assert_true(dm__cfg_binlog_name_ok("b.1"));
	assert_false(dm__cfg_binlog_name_ok("mysql-bin"));
	assert_false(dm__cfg_binlog_name_ok(".000001"));
	assert_false(dm__cfg_binlog_name_ok("mysql-bin."));
	assert_false(dm__cfg_binlog_name_ok("mysql.bin.000001"));
	assert_false(dm__cfg_binlog_name_ok("mysql-bin.00a"));
	assert_true(dm__cfg_checking_item_ok("auto_increment_ID"));
	assert_false(dm__cfg_checking_item_ok("auto_increment_id"));
	assert_string_equal(dm__cfg_event_name("All DML"), "all dml");
	assert_string_equal(dm__cfg_event_name("create view"), "create view");
	assert_null(dm__cfg_event_name("upsert"));
	assert_null(dm__cfg_event_name("all  dml"));
}

int cfg_test_values_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cfg__durations_parse_like_go),
		cmocka_unit_test(test_cfg__durations_print_like_go),
		cmocka_unit_test(test_cfg__chunk_filesize_reads_like_dm),
		cmocka_unit_test(test_cfg__edit_distance_is_capped),
		cmocka_unit_test(test_cfg__selector_wildcards_end_with_star),
		cmocka_unit_test(test_cfg__regular_expressions_are_checked_with_pcre2),
		cmocka_unit_test(test_cfg__names_dm_checks),
	};

	return cmocka_run_group_tests_name("cfg_values", tests, NULL, NULL);
}
