/* SPDX-License-Identifier: Apache-2.0 */
/* dm_table_selector and the wildcard syntax every rule set shares. */
#include "rules_test.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static dm_table_selector *make(const dm_selector_rule *rules, size_t n,
			       bool case_sensitive)
{
	dm_rules_opts o = rules_test_opts(case_sensitive);
	dm_table_selector *s = NULL;
	dm_error *err = NULL;

	assert_int_equal(dm_table_selector_new(&s, rules, n, &o, &err), 0);
	assert_null(err);
	assert_non_null(s);
	return s;
}

/* Matching rule indices (at most 32). */
static int match(const dm_table_selector *s, const char *schema,
		 const char *table, size_t *out)
{
	dm_error *err = NULL;
	int n = dm_table_selector_match(out, 32, s, schema, table, &err);

	assert_true(n >= 0);
	assert_null(err);
	return n;
}

/* True when pattern `pat` (as a schema pattern) matches `name`. */
static bool glob(const char *pat, const char *name, bool case_sensitive)
{
	dm_selector_rule r = { pat, NULL };
	dm_table_selector *s = make(&r, 1, case_sensitive);
	size_t out[32];
	int n = match(s, name, "", out);

	dm_table_selector_free(s);
	return n == 1;
}

static int new_err(const dm_selector_rule *rules, size_t n)
{
	dm_table_selector *s = NULL;
	dm_error *err = NULL;
	int rc = dm_table_selector_new(&s, rules, n, NULL, &err);

	if (rc) {
		assert_null(s);
		assert_int_equal(dm_error_status(err), rc);
	}
	dm_table_selector_free(s);
	dm_error_free(err);
	return rc;
}

/* The match table of tidb-tools' own selector test (selector_test.go):
 * the set of (schema pattern, table pattern) pairs each name matches. */
static void test_selector__dm_trie_cases_match_the_same_rules(void **state)
{
	static const dm_selector_rule rules[] = {
		{ "t*", "test*" },
		{ "schema*", "" }, { "schema*", "test*" }, { "schema*", "abc*" },
		{ "schema*", "xyz" },
		{ "?bc", "t1_abc" }, { "?bc", "t1_ab?" }, { "?bc", "abc*" },
		{ "a?c", "t2_abc" }, { "a?c", "t2_ab*" }, { "a?c", "a?b" },
		{ "ab?", "t3_ab?" }, { "ab?", "t3_ab*" }, { "ab?", "ab?" },
		{ "ab*", "t4_abc" }, { "ab*", "t4_abc*" }, { "ab*", "ab*" },
		{ "abc", "abc" },
		{ "abd", "abc" },
		{ "ik[hjkl]", "ik[!zxc]" },
		{ "ik[f-h]", "ik[!a-ce-g]" },
		{ "i[x-z][1-3]", "i?[x-z]" }, { "i[x-z][1-3]", "ix*" },
		{ "[!]", "[a-]" }, { "[!]", "[a-c-f]" },
		{ "[!a-c!f-g]", "*" },
		{ "[]*", "*" },
	};
	static const struct {
		const char *schema, *table;
		const char *want[8]; /* "schema|table" of each matching rule */
	} cases[] = {
		{ "dbc", "t1_abc", { "?bc|t1_ab?", "?bc|t1_abc" } },
		{ "adc", "t2_abc", { "a?c|t2_ab*", "a?c|t2_abc" } },
		{ "abd", "t3_abc", { "ab?|t3_ab*", "ab?|t3_ab?" } },
		{ "abc", "t4_abc", { "ab*|t4_abc", "ab*|t4_abc*" } },
		{ "abc", "abc", { "?bc|abc*", "ab*|ab*", "ab?|ab?", "abc|abc" } },
		{ "schema1", "xxx", { "schema*|" } },
		{ "schema1", "", { "schema*|" } },
		{ "schema1", "test1", { "schema*|", "schema*|test*" } },
		{ "t1", "test1", { "t*|test*" } },
		{ "schema1", "abc1", { "schema*|", "schema*|abc*" } },
		{ "ikj", "ikb", { "ik[hjkl]|ik[!zxc]" } },
		{ "ikh", "iky", { "ik[hjkl]|ik[!zxc]", "ik[f-h]|ik[!a-ce-g]" } },
		{ "iz3", "ixz", { "i[x-z][1-3]|i?[x-z]", "i[x-z][1-3]|ix*" } },
		{ "!", "-", { "[!]|[a-]", "[!]|[a-c-f]" } },
		{ "!", "c", { "[!]|[a-c-f]" } },
		{ "d", "zxcv", { "[!a-c!f-g]|*" } },
		/* not matched */
		{ "t1", "", { NULL } },
		{ "t1", "abc", { NULL } },
		{ "xxx", "abc", { NULL } },
	};
	dm_table_selector *s = make(rules, NELEM(rules), true);
	size_t c, i, k, out[32];

	(void)state;
	for (c = 0; c < NELEM(cases); c++) {
		int n = match(s, cases[c].schema, cases[c].table, out);
		size_t want = 0;

		while (want < 8 && cases[c].want[want])
			want++;
		assert_int_equal((size_t)n, want);
		for (i = 0; i < want; i++) {
			char key[64];
			bool found = false;

			for (k = 0; k < (size_t)n; k++) {
				snprintf(key, sizeof(key), "%s|%s",
					 rules[out[k]].schema_pattern,
					 rules[out[k]].table_pattern);
				if (strcmp(key, cases[c].want[i]) == 0)
					found = true;
			}
			if (!found)
				fail_msg("%s.%s: missing %s", cases[c].schema,
					 cases[c].table, cases[c].want[i]);
		}
	}
	dm_table_selector_free(s);
}

static void test_selector__order_is_schema_level_then_dm_trie_walk(void **state)
{
	static const dm_selector_rule rules[] = {
		{ "a*", "t1" },  /* 0 */
		{ "a*", NULL },  /* 1 */
		{ "ab?", "t1" }, /* 2 */
		{ "abc", "t1" }, /* 3 */
		{ "abc", "" },   /* 4 */
		{ "a?c", "t1" }, /* 5 */
		{ "~^ab", "~1$" }, /* 6: regex, after the trie rules */
		{ "~^abc$", "" },  /* 7 */
	};
	static const size_t want[] = { 1, 4, 7, 0, 5, 2, 3, 6 };
	dm_table_selector *s = make(rules, NELEM(rules), true);
	size_t out[32], i;
	int n;

	(void)state;
	n = match(s, "abc", "t1", out);
	assert_int_equal(n, (int)NELEM(want));
	for (i = 0; i < NELEM(want); i++)
		assert_int_equal(out[i], want[i]);
	/* Schema-level names see schema-level rules only. */
	n = match(s, "abc", NULL, out);
	assert_int_equal(n, 3);
	assert_int_equal(out[0], 1);
	assert_int_equal(out[1], 4);
	assert_int_equal(out[2], 7);
	dm_table_selector_free(s);
}

static void test_selector__count_exceeds_cap_without_overflow(void **state)
{
	static const dm_selector_rule rules[] = {
		{ "*", NULL }, { "d*", NULL }, { "db", NULL }, { "d?", NULL },
	};
	dm_table_selector *s = make(rules, NELEM(rules), true);
	size_t out[2] = { 99, 99 };
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_table_selector_match(out, 1, s, "db", "t", &err), 4);
	assert_int_not_equal(out[0], 99);
	assert_int_equal(out[1], 99);
	assert_int_equal(dm_table_selector_match(NULL, 0, s, "db", "t", &err), 4);
	assert_int_equal(dm_table_selector_match(out, 2, s, "x", "t", &err), 1);
	assert_int_equal(out[0], 0);
	dm_table_selector_free(s);
}

static void test_selector__star_only_last(void **state)
{
	static const char *const bad[] = {
		"a*b", "ab**", "*a", "**", "a*[b]", "t_*_x", "*?",
	};
	static const char *const good[] = {
		"*", "a*", "[*]x", "a[*]", "[*", "t_?[0-9]*", "\\*",
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(bad); i++) {
		dm_selector_rule r = { bad[i], NULL };
		dm_selector_rule t = { "db", bad[i] };

		assert_int_equal(new_err(&r, 1), DM_E_INVALID_ARGUMENT);
		assert_int_equal(new_err(&t, 1), DM_E_INVALID_ARGUMENT);
		assert_int_not_equal(dm_rules_check_pattern(bad[i], NULL), 0);
	}
	for (i = 0; i < NELEM(good); i++) {
		dm_selector_rule r = { good[i], NULL };

		assert_int_equal(new_err(&r, 1), 0);
		assert_int_equal(dm_rules_check_pattern(good[i], NULL), 0);
	}
}

static void test_selector__wildcard_semantics_byte_by_byte(void **state)
{
	(void)state;
	/* '*': zero or more, only at the end */
	assert_true(glob("doc*", "doc", true));
	assert_true(glob("doc*", "document", true));
	assert_false(glob("doc*", "dodo", true));
	assert_true(glob("*", "", true));
	assert_true(glob("*", "anything", true));
	/* '?': exactly one byte, not zero */
	assert_true(glob("a?", "ab", true));
	assert_false(glob("a?", "a", true));
	assert_false(glob("a?", "abc", true));
	assert_false(glob("?", "", true));
	/* byte-wise: a two-byte letter is two '?' */
	assert_false(glob("?", "\xc3\xa9", true));
	assert_true(glob("??", "\xc3\xa9", true));
	/* literal special characters of other syntaxes */
	assert_true(glob("a.b", "a.b", true));
	assert_false(glob("a.b", "axb", true));
	assert_true(glob("^messages.*", "^messages.x", true));
	assert_false(glob("^messages.*", "messages_2016", true));
	assert_true(glob("special\\", "special\\", true));
	assert_true(glob("\\*", "\\", true));
	assert_true(glob("\\*", "\\x", true));
	/* brackets */
	assert_true(glob("t[1-5]", "t3", true));
	assert_false(glob("t[1-5]", "t6", true));
	assert_true(glob("t[135]", "t5", true));
	assert_false(glob("t[135]", "t2", true));
	assert_true(glob("t[!1-5]", "t6", true));
	assert_false(glob("t[!1-5]", "t1", true));
	assert_true(glob("[!]", "!", true));
	assert_false(glob("[!]", "a", true));
	assert_true(glob("[a-]", "-", true));
	assert_true(glob("[a-]", "a", true));
	assert_false(glob("[a-]", "b", true));
	assert_false(glob("[]", "]", true));
	assert_false(glob("[]*", "x", true));
	assert_false(glob("[z-a]", "m", true));
	assert_true(glob("[", "[", true));
	assert_true(glob("a[b", "a[b", true));
	assert_true(glob("[[]", "[", true));
	assert_true(glob("x]", "x]", true));
	assert_true(glob("[\x80-\xff]", "\xc3", true));
	assert_false(glob("[!\x80-\xff]", "\xc3", true));
	assert_true(glob("test[123]", "test2", true));
	assert_false(glob("test[123]", "test", true));
	assert_true(glob("[*]", "*", true));
	assert_false(glob("[*]", "x", true));
	/* equivalent sets are one trie edge; both patterns still work */
	assert_true(glob("[ba]x", "ax", true));
}

static void test_selector__table_star_matches_schema_level_names(void **state)
{
	static const dm_selector_rule rules[] = {
		{ "db", "*" }, { "db", "t*" }, { "db", "~^$" }, { "db", "~t" },
	};
	dm_table_selector *s = make(rules, NELEM(rules), true);
	size_t out[32];

	(void)state;
	/* DM: only '*' matches the empty table; a regular expression
	 * matches it when it matches the empty string. */
	assert_int_equal(match(s, "db", "", out), 2);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1], 2);
	assert_int_equal(match(s, "db", "t1", out), 3);
	dm_table_selector_free(s);
}

static void test_selector__bad_rules_are_rejected(void **state)
{
	static const dm_selector_rule empty_schema = { "", "t" };
	static const dm_selector_rule null_schema = { NULL, "t" };
	static const dm_selector_rule dup[] = { { "a*", "t" }, { "a*", "t" } };
	static const dm_selector_rule dup_set[] = {
		{ "[ab]", NULL }, { "[ba]", NULL }
	};
	static const dm_selector_rule dup_rx[] = {
		{ "~^a", "t" }, { "~^a", "t" }
	};
	static const dm_selector_rule not_dup[] = {
		{ "a*", "t" }, { "a*", "" }, { "a?", "t" }, { "~^a", "t" },
		{ "~^a", "" },
	};
	static const dm_selector_rule bad_rx = { "~a(", NULL };
	static const dm_selector_rule bare_tilde = { "db", "~" };
	dm_table_selector *s = NULL;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(new_err(&empty_schema, 1), DM_E_INVALID_ARGUMENT);
	assert_int_equal(new_err(&null_schema, 1), DM_E_INVALID_ARGUMENT);
	assert_int_equal(new_err(dup, 2), DM_E_INVALID_ARGUMENT);
	assert_int_equal(new_err(dup_set, 2), DM_E_INVALID_ARGUMENT);
	assert_int_equal(new_err(dup_rx, 2), DM_E_INVALID_ARGUMENT);
	assert_int_equal(new_err(not_dup, NELEM(not_dup)), 0);
	assert_int_equal(new_err(&bare_tilde, 1), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_table_selector_new(&s, &bad_rx, 1, NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	assert_true(rules_test_msg_has(err, "\"a(\" at offset 2"));
	assert_true(rules_test_msg_has(err, "selector rule 0"));
	rules_test_clear(&err);
	/* arguments */
	assert_int_equal(dm_table_selector_new(NULL, NULL, 0, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_table_selector_new(&s, NULL, 1, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_table_selector_new(&s, NULL, 0, NULL, NULL), 0);
	assert_int_equal(dm_table_selector_match(NULL, 0, s, "a", "b", NULL), 0);
	assert_int_equal(dm_table_selector_match(NULL, 0, s, NULL, "b", NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_table_selector_match(NULL, 1, s, "a", "b", NULL),
			 DM_E_INVALID_ARGUMENT);
	dm_table_selector_free(s);
	dm_table_selector_free(NULL);
	assert_int_equal(dm_rules_check_pattern("", NULL), DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_rules_check_pattern(NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_rules_check_pattern("~[", &err),
			 DM_E_INVALID_ARGUMENT);
	assert_non_null(err);
	rules_test_clear(&err);
}

static void test_selector__case_insensitive_folds_both_sides(void **state)
{
	(void)state;
	assert_true(glob("Test_*", "TEST_1", false));
	assert_true(glob("test_*", "Test_1", false));
	assert_false(glob("Test_*", "test_1", true));
	assert_true(glob("Test_*", "Test_1", true));
	assert_true(glob("[A-C]x", "bX", false));
	assert_false(glob("[A-C]x", "bX", true));
	/* two-byte letters of Latin-1, Greek and Cyrillic fold too */
	assert_true(glob("\xc3\x84rger", "\xc3\xa4RGER", false)); /* Ärger */
	assert_true(glob("\xce\xa3*", "\xcf\x83x", false));        /* Σ σ */
	assert_true(glob("\xd0\x96", "\xd0\xb6", false));          /* Ж ж */
	assert_true(glob("\xd0\x81", "\xd1\x91", false));          /* Ё ё */
	assert_false(glob("\xc3\x84", "\xc3\xa4", true));
	/* regular expressions: caseless, the pattern itself untouched */
	assert_true(glob("~^T[0-9]$", "t1", false));
	assert_false(glob("~^T[0-9]$", "t1", true));
	assert_true(glob("~^\\D+$", "ABC", false));
	assert_false(glob("~^\\D+$", "AB1", false));
}

static void test_selector__regular_expressions_are_pcre2(void **state)
{
	(void)state;
	/* unanchored, like DM's */
	assert_true(glob("~abc", "xxabcxx", true));
	assert_true(glob("~^abc$", "abc", true));
	assert_false(glob("~^abc$", "abcd", true));
	/* constructs Go's RE2 rejects work here */
	assert_true(glob("~^t[0-9]+((?!_copy).)*$", "t1_abc", true));
	assert_false(glob("~^t[0-9]+((?!_copy).)*$", "t1_copy", true));
	assert_true(glob("~^t[0-9]+sp(?=copy).*", "t12spcopy", true));
	assert_false(glob("~^t[0-9]+sp(?=copy).*", "t12spcop", true));
	/* UTF-8 aware: '.' is one character */
	assert_true(glob("~^.$", "\xc3\xa9", true));
	/* invalid UTF-8 in a name is not an error */
	assert_false(glob("~^a$", "\xff", true));
	assert_true(glob("~b", "\xff" "b", true));
}

static void test_selector__long_names_fold_on_the_heap(void **state)
{
	static const dm_selector_rule rules[] = { { "A*", "B*" } };
	dm_table_selector *s = make(rules, 1, false);
	char *schema = malloc(5001), *table = malloc(5001);
	size_t out[32];

	(void)state;
	memset(schema, 'a', 5000);
	memset(table, 'B', 5000);
	schema[5000] = table[5000] = '\0';
	assert_int_equal(match(s, schema, table, out), 1);
	table[0] = 'c';
	assert_int_equal(match(s, schema, table, out), 0);
	free(schema);
	free(table);
	dm_table_selector_free(s);
}

static void test_selector__long_patterns_are_refused(void **state)
{
	char *p = malloc(2000);
	dm_selector_rule r = { p, NULL };

	(void)state;
	memset(p, '?', 1999);
	p[1999] = '\0';
	assert_int_equal(new_err(&r, 1), DM_E_INVALID_ARGUMENT);
	p[1024] = '\0';
	assert_int_equal(new_err(&r, 1), 0);
	free(p);
}

/* The literal pre-checks in front of PCRE2 never change an answer: each
 * pattern against each name, through a selector and through PCRE2
 * directly. */
static void test_selector__regex_prechecks_agree_with_pcre2(void **state)
{
	static const char *const pats[] = {
		"^shard_", "^shard_[6-9]1_", "^tmp_1", "^ab*", "^ab+c", "^ab?",
		"^ab{2}", "^a.b", "^abc$", "_bak$", "a+_bak$", "\\d_bak$",
		"\\x41_bak$", "\\\\x_bak$", "x\\$", "[a-z]_bak$", "(?i)BAK$",
		"(?-i)bak$", "\\Qa$", "^.*", ".*", ".*$", "", "^", "$", "^$",
		"ab|^cd", "^orders|users$", "^K", "^s", "S$", "^[k]", "k$",
		"^Straße", "^\\Q^x\\E", "^a\\", "^-", "_$", "^(a)b$",
		"^log_[0-9]+$", "^DROP\\s+PROCEDURE", "abc$\n",
	};
	static const char *const names[] = {
		"shard_61_001", "shard_6", "SHARD_61_X", "tmp_1", "tmp_", "a",
		"ab", "abb", "abc", "abbc", "aXb", "x_bak", "X_BAK", "xa_bak",
		"1_bak", "A_bak", "\\x_bak", "x$", "x", "", "cd", "orders",
		"users", "\xe2\x84\xaa" "ey", "\xc5\xbftraße", "k", "K", "s",
		"straße", "STRASSE", "^x", "a\\", "-", "x_", "ab\n", "x_bak\n",
		"log_12", "LOG_1", "drop  procedure p", "abc\n", "\xff\xfe",
	};
	size_t p, n, c;

	(void)state;
	for (c = 0; c < 2; c++) {
		bool cs = c == 1;

		for (p = 0; p < NELEM(pats); p++) {
			char rule[64];
			dm_selector_rule r = { rule, NULL };
			dm_rules_opts o = rules_test_opts(cs);
			dm_table_selector *s = NULL;
			pcre2_code *re;
			PCRE2_SIZE off;
			int code;

			snprintf(rule, sizeof(rule), "~%s", pats[p]);
			re = pcre2_compile((PCRE2_SPTR)pats[p],
					   PCRE2_ZERO_TERMINATED,
					   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF |
						   (cs ? 0 : PCRE2_CASELESS),
					   &code, &off, NULL);
			if (!re) {
				assert_int_not_equal(dm_table_selector_new(&s, &r, 1, &o, NULL), 0);
				continue;
			}
			/* the same engine as libdm: JIT and interpreter
			 * differ at the edges of invalid UTF-8 */
			(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
			if (!pats[p][0]) { /* "~" alone is refused */
				pcre2_code_free(re);
				continue;
			}
			assert_int_equal(dm_table_selector_new(&s, &r, 1, &o, NULL), 0);
			for (n = 0; n < NELEM(names); n++) {
				pcre2_match_data *md = pcre2_match_data_create(1, NULL);
				/* zeroed around: PCRE2's JIT reads whole
				 * blocks (memory checkers would complain) */
				char padded[256] = { 0 }, *low = padded + 64;
				size_t k;
				bool want;

				/* the selector folds names when insensitive */
				for (k = 0; names[n][k]; k++)
					low[k] = (char)(!cs && names[n][k] >= 'A' &&
								names[n][k] <= 'Z'
							? names[n][k] + 32
							: names[n][k]);
				low[k] = '\0';
				want = pcre2_match(re, (PCRE2_SPTR)low, k, 0, 0, md,
						   NULL) >= 0;
				size_t out[2];
				dm_error *err = NULL;
				int got;

				pcre2_match_data_free(md);
				got = dm_table_selector_match(out, 2, s, names[n],
							      NULL, &err);
				assert_true(got >= 0);
				if ((got == 1) != want)
					fail_msg("/%s/ on \"%s\": libdm %d, PCRE2 %d",
						 pats[p], names[n], got, want);
			}
			dm_table_selector_free(s);
			pcre2_code_free(re);
		}
	}
}

int rules_test_selector_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selector__dm_trie_cases_match_the_same_rules),
		cmocka_unit_test(test_selector__order_is_schema_level_then_dm_trie_walk),
		cmocka_unit_test(test_selector__count_exceeds_cap_without_overflow),
		cmocka_unit_test(test_selector__star_only_last),
		cmocka_unit_test(test_selector__wildcard_semantics_byte_by_byte),
		cmocka_unit_test(test_selector__table_star_matches_schema_level_names),
		cmocka_unit_test(test_selector__bad_rules_are_rejected),
		cmocka_unit_test(test_selector__case_insensitive_folds_both_sides),
		cmocka_unit_test(test_selector__regular_expressions_are_pcre2),
		cmocka_unit_test(test_selector__long_names_fold_on_the_heap),
		cmocka_unit_test(test_selector__long_patterns_are_refused),
		cmocka_unit_test(test_selector__regex_prechecks_agree_with_pcre2),
	};

	return cmocka_run_group_tests_name("rules/selector", tests, NULL, NULL);
}
