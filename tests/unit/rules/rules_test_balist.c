/* SPDX-License-Identifier: Apache-2.0 */
/* Block/allow lists: DM's documented examples and tidb-tools' own cases. */
#include "rules_test.h"

#include <stdio.h>
#include <string.h>

static dm_ba_list *make(const dm_ba_list_def *def, bool case_sensitive)
{
	dm_rules_opts o = rules_test_opts(case_sensitive);
	dm_ba_list *ba = NULL;
	dm_error *err = NULL;

	assert_int_equal(dm_ba_list_new(&ba, def, &o, &err), 0);
	assert_null(err);
	return ba;
}

static bool keeps(const dm_ba_list *ba, const char *schema, const char *table)
{
	return rules_test_ba(ba, schema, table).keep;
}

/*
 * The usage example of DM's "Block and Allow Lists" page: eight upstream
 * tables, the bw-rule below, and the table of which are filtered and why.
 */
static void test_balist__documented_forum_example(void **state)
{
	static const char *const do_dbs[] = { "forum_backup_2018", "forum" };
	static const char *const ignore_dbs[] = { "~^forum_backup_" };
	static const dm_ba_table do_tables[] = {
		{ "logs", "~_2018$" },
		{ "~^forum.*", "messages" },
	};
	static const dm_ba_table ignore_tables[] = {
		{ "~.*", "^messages.*" },
	};
	static const struct {
		const char *schema, *table;
		bool keep;
		dm_ba_reason why;
		long rule;
	} rows[] = {
		{ "logs", "messages_2016", false, DM_BA_DO_DBS_MISS, -1 },
		{ "logs", "messages_2017", false, DM_BA_DO_DBS_MISS, -1 },
		{ "logs", "messages_2018", false, DM_BA_DO_DBS_MISS, -1 },
		{ "forum_backup_2016", "messages", false, DM_BA_DO_DBS_MISS, -1 },
		{ "forum_backup_2017", "messages", false, DM_BA_DO_DBS_MISS, -1 },
		{ "forum", "users", false, DM_BA_DO_TABLES_MISS, -1 },
		{ "forum", "messages", true, DM_BA_DO_TABLES_HIT, 1 },
		{ "forum_backup_2018", "messages", true, DM_BA_DO_TABLES_HIT, 1 },
	};
	dm_ba_list_def def;
	dm_ba_list *ba;
	size_t i;

	(void)state;
	memset(&def, 0, sizeof(def));
	def.do_dbs = do_dbs;
	def.n_do_dbs = NELEM(do_dbs);
	def.ignore_dbs = ignore_dbs;
	def.n_ignore_dbs = NELEM(ignore_dbs);
	def.do_tables = do_tables;
	def.n_do_tables = NELEM(do_tables);
	def.ignore_tables = ignore_tables;
	def.n_ignore_tables = NELEM(ignore_tables);
	ba = make(&def, false);
	for (i = 0; i < NELEM(rows); i++) {
		dm_ba_decision d = rules_test_ba(ba, rows[i].schema,
						 rows[i].table);

		if (d.keep != rows[i].keep || d.reason != rows[i].why ||
		    d.rule != rows[i].rule)
			fail_msg("row %zu `%s`.`%s`: keep %d (%s, rule %ld)", i,
				 rows[i].schema, rows[i].table, d.keep,
				 dm_ba_reason_name(d.reason), d.rule);
	}
	/* "To check whether schema test should be filtered, you only need
	 * to filter at the schema level." */
	assert_true(keeps(ba, "forum", ""));
	assert_true(keeps(ba, "forum_backup_2018", NULL));
	assert_false(keeps(ba, "logs", ""));
	dm_ba_list_free(ba);
}

/* The configuration example at the top of the same page, with the
 * matches its comments promise. */
static void test_balist__documented_configuration_comments(void **state)
{
	static const char *const r1_do_dbs[] = { "test*" };
	static const dm_ba_table r1_do_tables[] = {
		{ "test[123]", "t[1-5]" }, /* test1..3, t1..t5 */
		{ "test", "t" },
	};
	static const char *const r2_do_dbs[] = { "~^test.*" };
	static const char *const r2_ignore_dbs[] = { "mysql" };
	static const dm_ba_table r2_do_tables[] = {
		{ "~^test.*", "~^t.*" },
		{ "test", "t*" },
	};
	static const dm_ba_table r2_ignore_tables[] = { { "test", "log" } };
	dm_ba_list_def d1, d2;
	dm_ba_list *ba;
	const char *s;
	char name[32];
	int i, k;

	(void)state;
	memset(&d1, 0, sizeof(d1));
	d1.do_dbs = r1_do_dbs;
	d1.n_do_dbs = 1;
	d1.do_tables = r1_do_tables;
	d1.n_do_tables = NELEM(r1_do_tables);
	ba = make(&d1, false);
	for (i = 0; i <= 4; i++) {
		for (k = 0; k <= 6; k++) {
			char schema[32];

			snprintf(schema, sizeof(schema), "test%d", i);
			snprintf(name, sizeof(name), "t%d", k);
			assert_int_equal(keeps(ba, schema, name),
					 i >= 1 && i <= 3 && k >= 1 && k <= 5);
		}
	}
	assert_true(keeps(ba, "test", "t"));
	assert_false(keeps(ba, "test", "t1"));
	assert_false(keeps(ba, "other", "t"));
	assert_true(keeps(ba, "test9", "")); /* schema step only */
	dm_ba_list_free(ba);

	memset(&d2, 0, sizeof(d2));
	d2.do_dbs = r2_do_dbs;
	d2.n_do_dbs = 1;
	d2.ignore_dbs = r2_ignore_dbs;
	d2.n_ignore_dbs = 1;
	d2.do_tables = r2_do_tables;
	d2.n_do_tables = NELEM(r2_do_tables);
	d2.ignore_tables = r2_ignore_tables;
	d2.n_ignore_tables = 1;
	ba = make(&d2, false);
	assert_true(keeps(ba, "test_a", "tx"));
	assert_true(keeps(ba, "testing", "t"));
	assert_false(keeps(ba, "test_a", "x"));
	assert_false(keeps(ba, "atest", "t"));
	/* do-tables wins over ignore-tables: test.log is not listed, so the
	 * ignore entry decides; test.t* is listed first */
	assert_false(keeps(ba, "test", "log"));
	s = "tlog";
	assert_true(keeps(ba, "test", s));
	dm_ba_list_free(ba);
}

typedef struct tb {
	const char *schema, *table;
} tb;

/* Applies a list to inputs and compares the survivors, like tidb-tools'
 * ApplyOn tests. `want` ends with a NULL schema. */
static void apply(const dm_ba_list_def *def, bool cs, const tb *in, size_t n,
		  const tb *want)
{
	dm_ba_list *ba = make(def, cs);
	size_t i, w = 0;

	for (i = 0; i < n; i++) {
		if (!keeps(ba, in[i].schema, in[i].table))
			continue;
		if (!want[w].schema || strcmp(want[w].schema, in[i].schema) ||
		    strcmp(want[w].table, in[i].table))
			fail_msg("case: `%s`.`%s` kept unexpectedly",
				 in[i].schema, in[i].table);
		w++;
	}
	if (want[w].schema)
		fail_msg("case: `%s`.`%s` dropped unexpectedly", want[w].schema,
			 want[w].table);
	dm_ba_list_free(ba);
}

/* tidb-tools pkg/filter TestFilterOnSchema, case by case. */
static void test_balist__tidb_tools_filter_cases(void **state)
{
	dm_ba_list_def d;

	(void)state;
	{ /* empty rules keep everything */
		static const tb in[] = { { "foo", "bar" }, { "foo", "" } };
		static const tb want[] = { { "foo", "bar" }, { "foo", "" }, { 0 } };

		memset(&d, 0, sizeof(d));
		apply(&d, false, in, NELEM(in), want);
		apply(NULL, false, in, NELEM(in), want);
	}
	{ /* do-dbs wins over ignore-dbs */
		static const char *const dbs[] = { "foo" };
		static const tb in[] = { { "foo", "bar" }, { "foo", "" },
					 { "foo1", "bar" }, { "foo1", "" } };
		static const tb want[] = { { "foo", "bar" }, { "foo", "" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.do_dbs = dbs;
		d.n_do_dbs = 1;
		d.ignore_dbs = dbs;
		d.n_ignore_dbs = 1;
		apply(&d, false, in, NELEM(in), want);
	}
	{
		static const char *const ign[] = { "foo1" };
		static const tb in[] = { { "foo", "bar" }, { "foo", "" },
					 { "foo1", "bar" }, { "foo1", "" } };
		static const tb want[] = { { "foo", "bar" }, { "foo", "" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.ignore_dbs = ign;
		d.n_ignore_dbs = 1;
		apply(&d, false, in, NELEM(in), want);
	}
	{ /* do-tables without regex */
		static const dm_ba_table dt[] = { { "foo", "bar1" } };
		static const tb in[] = { { "foo", "bar" }, { "foo", "bar1" },
					 { "foo", "" }, { "fff", "bar1" } };
		static const tb want[] = { { "foo", "bar1" }, { "foo", "" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.do_tables = dt;
		d.n_do_tables = 1;
		apply(&d, false, in, NELEM(in), want);
	}
	{ /* ignore-tables without regex */
		static const dm_ba_table it[] = { { "foo", "bar" } };
		static const tb in[] = { { "foo", "bar" }, { "foo", "bar1" },
					 { "foo", "" }, { "fff", "bar1" } };
		static const tb want[] = { { "foo", "bar1" }, { "foo", "" },
					   { "fff", "bar1" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.ignore_tables = it;
		d.n_ignore_tables = 1;
		apply(&d, false, in, NELEM(in), want);
	}
	{ /* all regular expressions */
		static const char *const dbs[] = { "~^foo" };
		static const dm_ba_table it[] = { { "~^foo", "~^sbtest-\\d" } };
		static const tb in[] = { { "foo", "sbtest" }, { "foo1", "sbtest-1" },
					 { "foo2", "" }, { "fff", "bar" } };
		static const tb want[] = { { "foo", "sbtest" }, { "foo2", "" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.do_dbs = dbs;
		d.n_do_dbs = 1;
		d.ignore_tables = it;
		d.n_ignore_tables = 1;
		apply(&d, false, in, NELEM(in), want);
	}
	{ /* wildcards in ignore-dbs */
		static const char *const ign[] = { "foo[bar]", "foo?", "special\\" };
		static const tb in[] = { { "foor", "a" }, { "foo[bar]", "b" },
					 { "fo", "c" }, { "foo?", "d" },
					 { "special\\", "e" } };
		static const tb want[] = { { "foo[bar]", "b" }, { "fo", "c" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.ignore_dbs = ign;
		d.n_ignore_dbs = NELEM(ign);
		apply(&d, false, in, NELEM(in), want);
	}
	{ /* case-insensitive and case-sensitive regular expressions */
		static const char *const ign[] = { "~^FOO" };
		static const dm_ba_table it[] = { { "~.*", "~FoO$" } };
		static const tb in[] = { { "FOO1", "a" }, { "foo2", "b" },
					 { "BoO3", "cFoo" }, { "Foo4", "dfoo" },
					 { "5", "5" } };
		static const tb want_ci[] = { { "5", "5" }, { 0 } };
		static const tb want_cs[] = { { "foo2", "b" }, { "BoO3", "cFoo" },
					      { "Foo4", "dfoo" }, { "5", "5" },
					      { 0 } };
		static const tb in2[] = { { "FOO1", "a" }, { "foo2", "b" },
					  { "BoO3", "cFoO" }, { "Foo4", "dfoo" },
					  { "5", "5" } };
		static const tb want2[] = { { "foo2", "b" }, { "Foo4", "dfoo" },
					    { "5", "5" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.ignore_dbs = ign;
		d.n_ignore_dbs = 1;
		d.ignore_tables = it;
		d.n_ignore_tables = 1;
		apply(&d, false, in, NELEM(in), want_ci);
		apply(&d, true, in, NELEM(in), want_cs);
		apply(&d, true, in2, NELEM(in2), want2);
	}
	{ /* wildcard schema part, regular expression table part */
		static const dm_ba_table it[] = { { "a?b?", "~f[0-9]" } };
		static const tb in[] = { { "abbd", "f1" }, { "aaaa", "f2" },
					 { "5", "5" }, { "abbc", "fa" } };
		static const tb want[] = { { "aaaa", "f2" }, { "5", "5" },
					   { "abbc", "fa" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.ignore_tables = it;
		d.n_ignore_tables = 1;
		apply(&d, false, in, NELEM(in), want);
	}
	{ /* regular expression schema part, wildcard table part */
		static const dm_ba_table it[] = { { "~t[0-8]", "a??" } };
		static const tb in[] = { { "t1", "a01" }, { "t9", "a02" },
					 { "5", "5" }, { "t9", "a001" } };
		static const tb want[] = { { "t9", "a02" }, { "5", "5" },
					   { "t9", "a001" }, { 0 } };

		memset(&d, 0, sizeof(d));
		d.ignore_tables = it;
		d.n_ignore_tables = 1;
		apply(&d, false, in, NELEM(in), want);
	}
	{ /* wildcards and case */
		static const dm_ba_table it[] = { { "a*", "A*" } };
		static const tb in[] = { { "aB", "Ab" }, { "AaB", "aab" },
					 { "acB", "Afb" } };
		static const tb want_cs[] = { { "AaB", "aab" }, { 0 } };
		static const tb want_ci[] = { { 0 } };

		memset(&d, 0, sizeof(d));
		d.ignore_tables = it;
		d.n_ignore_tables = 1;
		apply(&d, true, in, NELEM(in), want_cs);
		apply(&d, false, in, NELEM(in), want_ci);
	}
}

/* tidb-tools TestMaxBox, TestCaseSensitive and TestMatchReturnsBool. */
static void test_balist__schema_level_names_skip_the_table_step(void **state)
{
	static const dm_ba_table dt[] = { { "test1", "t1" } };
	static const dm_ba_table it[] = { { "test1", "t2" } };
	static const char *const bar[] = { "BAR" };
	static const char *const sns[] = { "sns" };
	dm_ba_list_def d;
	dm_ba_list *ba;
	dm_ba_decision dec;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.do_tables = dt;
	d.n_do_tables = 1;
	d.ignore_tables = it;
	d.n_ignore_tables = 1;
	ba = make(&d, false);
	dec = rules_test_ba(ba, "test1", "");
	assert_true(dec.keep);
	assert_int_equal(dec.reason, DM_BA_SCHEMA_PASSED);
	assert_true(keeps(ba, "test1", "t1"));
	assert_false(keeps(ba, "test1", "t2"));
	assert_false(keeps(ba, "test1", "t3"));
	dm_ba_list_free(ba);

	memset(&d, 0, sizeof(d));
	d.do_dbs = bar;
	d.n_do_dbs = 1;
	ba = make(&d, false);
	assert_true(keeps(ba, "bar", "a"));
	assert_true(keeps(ba, "BAR", "a"));
	assert_true(keeps(ba, "Bar", "a"));
	dm_ba_list_free(ba);

	d.do_dbs = sns;
	ba = make(&d, true);
	assert_true(keeps(ba, "sns", NULL));
	assert_false(keeps(ba, "other", NULL));
	assert_false(keeps(ba, "SNS", NULL));
	dm_ba_list_free(ba);
}

static void test_balist__system_schemas_are_always_dropped(void **state)
{
	static const char *const sys[] = {
		"mysql", "sys", "information_schema", "performance_schema",
		"metrics_schema", "inspection_schema", "dm_heartbeat",
		"MySQL", "INFORMATION_SCHEMA", "Performance_Schema", "SYS",
		"DM_HEARTBEAT",
	};
	static const char *const all[] = { "*" };
	dm_ba_list_def d;
	dm_ba_list *ba;
	size_t i;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.do_dbs = all;
	d.n_do_dbs = 1;
	ba = make(&d, true);
	for (i = 0; i < NELEM(sys); i++) {
		dm_ba_decision dec = rules_test_ba(ba, sys[i], "user");

		assert_false(dec.keep);
		assert_int_equal(dec.reason, DM_BA_SYSTEM_SCHEMA);
		assert_true(dm_rules_is_system_schema(sys[i]));
		assert_false(keeps(ba, sys[i], ""));
	}
	assert_true(keeps(ba, "mysql2", "user"));
	assert_true(keeps(ba, "my", "user"));
	assert_false(dm_rules_is_system_schema("mysq"));
	assert_false(dm_rules_is_system_schema("mysqlx"));
	assert_false(dm_rules_is_system_schema(""));
	assert_false(dm_rules_is_system_schema(NULL));
	assert_false(dm_rules_is_system_schema("dm_meta"));
	dm_ba_list_free(ba);
	/* no rules at all */
	ba = make(NULL, false);
	assert_false(keeps(ba, "mysql", "user"));
	assert_true(keeps(ba, "app", "user"));
	assert_int_equal(rules_test_ba(ba, "app", "user").reason,
			 DM_BA_NOT_IGNORED);
	dm_ba_list_free(ba);
}

static void test_balist__reasons_name_the_deciding_entry(void **state)
{
	static const char *const ign[] = { "a", "tmp_*", "~^tmp" };
	static const dm_ba_table it[] = {
		{ "app", "x" }, { "app", "log_*" }, { "~^app$", "~^log_" },
	};
	dm_ba_list_def d;
	dm_ba_list *ba;
	dm_ba_decision dec;
	dm_ba_reason r;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.ignore_dbs = ign;
	d.n_ignore_dbs = NELEM(ign);
	d.ignore_tables = it;
	d.n_ignore_tables = NELEM(it);
	ba = make(&d, false);
	dec = rules_test_ba(ba, "tmp_1", "t");
	assert_false(dec.keep);
	assert_int_equal(dec.reason, DM_BA_IGNORE_DBS_HIT);
	assert_int_equal(dec.rule, 1); /* the lowest matching entry */
	dec = rules_test_ba(ba, "app", "log_1");
	assert_false(dec.keep);
	assert_int_equal(dec.reason, DM_BA_IGNORE_TABLES_HIT);
	assert_int_equal(dec.rule, 1);
	dec = rules_test_ba(ba, "app", "t");
	assert_true(dec.keep);
	assert_int_equal(dec.reason, DM_BA_NOT_IGNORED);
	assert_int_equal(dec.rule, -1);
	dm_ba_list_free(ba);
	for (r = DM_BA_SYSTEM_SCHEMA; r <= DM_BA_NOT_IGNORED; r++)
		assert_string_not_equal(dm_ba_reason_name(r), "unknown");
	assert_string_equal(dm_ba_reason_name((dm_ba_reason)99), "unknown");
}

/* Each do-tables entry is one pair. DM's shared trie also pairs the
 * wildcard half of one mixed entry with the regex half of another (so
 * {~^a, x} and {~^b, y} admit a.y); its documentation does not say so,
 * and libdm does not. */
static void test_balist__mixed_entries_match_as_pairs(void **state)
{
	static const dm_ba_table dt[] = { { "~^a", "x" }, { "~^b", "y" } };
	dm_ba_list_def d;
	dm_ba_list *ba;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.do_tables = dt;
	d.n_do_tables = NELEM(dt);
	ba = make(&d, true);
	assert_true(keeps(ba, "a", "x"));
	assert_true(keeps(ba, "b", "y"));
	assert_false(keeps(ba, "a", "y"));
	assert_false(keeps(ba, "b", "x"));
	dm_ba_list_free(ba);
}

static int new_err(const dm_ba_list_def *d, const char *needle)
{
	dm_ba_list *ba = NULL;
	dm_error *err = NULL;
	int rc = dm_ba_list_new(&ba, d, NULL, &err);

	assert_null(ba);
	assert_non_null(err);
	assert_int_equal(dm_error_status(err), rc);
	if (needle && !rules_test_msg_has(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", dm_error_message(err),
			 needle);
	dm_error_free(err);
	return rc;
}

static void test_balist__bad_entries_are_config_errors(void **state)
{
	static const char *const empty[] = { "" };
	static const char *const null1[] = { NULL };
	static const char *const star_mid[] = { "ok", "a*b" };
	static const char *const bad_rx[] = { "~(" };
	static const dm_ba_table half[] = { { "db", "" } };
	static const dm_ba_table half2[] = { { NULL, "t" } };
	static const dm_ba_table bad_tbl[] = { { "db", "~[" } };
	static const char *const lookahead[] = {
		"~^t[0-9]+((?!_copy).)*$", "~^t[0-9]+sp(?=copy).*"
	};
	dm_ba_list_def d;
	dm_ba_list *ba = NULL;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.do_dbs = empty;
	d.n_do_dbs = 1;
	assert_int_equal(new_err(&d, "do-dbs[0]"), DM_E_CONFIG_GEN_BA_LIST);
	d.do_dbs = null1;
	assert_int_equal(new_err(&d, "do-dbs[0]"), DM_E_CONFIG_GEN_BA_LIST);
	memset(&d, 0, sizeof(d));
	d.ignore_dbs = star_mid;
	d.n_ignore_dbs = 2;
	assert_int_equal(new_err(&d, "ignore-dbs[1]"), DM_E_CONFIG_GEN_BA_LIST);
	d.ignore_dbs = bad_rx;
	d.n_ignore_dbs = 1;
	assert_int_equal(new_err(&d, "regular expression"),
			 DM_E_CONFIG_GEN_BA_LIST);
	memset(&d, 0, sizeof(d));
	d.do_tables = half;
	d.n_do_tables = 1;
	assert_int_equal(new_err(&d, "do-tables[0]"), DM_E_CONFIG_GEN_BA_LIST);
	d.do_tables = half2;
	assert_int_equal(new_err(&d, "do-tables[0]"), DM_E_CONFIG_GEN_BA_LIST);
	memset(&d, 0, sizeof(d));
	d.ignore_tables = bad_tbl;
	d.n_ignore_tables = 1;
	assert_int_equal(new_err(&d, "ignore-tables[0]"),
			 DM_E_CONFIG_GEN_BA_LIST);
	memset(&d, 0, sizeof(d));
	d.n_do_dbs = 1;
	assert_int_equal(new_err(&d, NULL), DM_E_INVALID_ARGUMENT);
	/* DM (Go RE2) rejects lookaround; PCRE2 takes it. */
	memset(&d, 0, sizeof(d));
	d.do_dbs = lookahead;
	d.n_do_dbs = 2;
	ba = make(&d, true);
	assert_true(keeps(ba, "t12_data", "x"));
	assert_true(keeps(ba, "t12spcopyx", "x"));
	assert_false(keeps(ba, "t12_copy", "x"));
	dm_ba_list_free(ba);
	dm_ba_list_free(NULL);
	assert_int_equal(dm_ba_list_new(NULL, NULL, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	ba = make(NULL, true);
	assert_int_equal(dm_ba_list_check(NULL, ba, "a", "b", NULL),
			 DM_E_INVALID_ARGUMENT);
	{
		dm_ba_decision dec;

		assert_int_equal(dm_ba_list_check(&dec, ba, NULL, "b", NULL),
				 DM_E_INVALID_ARGUMENT);
		assert_int_equal(dm_ba_list_check(&dec, NULL, "a", "b", NULL),
				 DM_E_INVALID_ARGUMENT);
	}
	dm_ba_list_free(ba);
}

int rules_test_balist_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_balist__documented_forum_example),
		cmocka_unit_test(test_balist__documented_configuration_comments),
		cmocka_unit_test(test_balist__tidb_tools_filter_cases),
		cmocka_unit_test(test_balist__schema_level_names_skip_the_table_step),
		cmocka_unit_test(test_balist__system_schemas_are_always_dropped),
		cmocka_unit_test(test_balist__reasons_name_the_deciding_entry),
		cmocka_unit_test(test_balist__mixed_entries_match_as_pairs),
		cmocka_unit_test(test_balist__bad_entries_are_config_errors),
	};

	return cmocka_run_group_tests_name("rules/balist", tests, NULL, NULL);
}
