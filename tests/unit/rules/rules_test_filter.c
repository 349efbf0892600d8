/* SPDX-License-Identifier: Apache-2.0 */
/* Binlog event filters: DM's documented examples and tidb-tools' cases. */
#include "rules_test.h"

#include <stdio.h>
#include <string.h>

#define EV(x) DM_FILTER_EVENT_##x
#define DO DM_FILTER_DO
#define IGN DM_FILTER_IGNORE

static dm_event_filter *make2(const dm_filter_rule_def *task, size_t nt,
			      const dm_filter_rule_def *src, size_t ns,
			      bool case_sensitive)
{
	dm_rules_opts o = rules_test_opts(case_sensitive);
	dm_event_filter_def def = { task, nt, src, ns };
	dm_event_filter *f = NULL;
	dm_error *err = NULL;
	int rc = dm_event_filter_new(&f, &def, &o, &err);

	if (rc)
		fail_msg("dm_event_filter_new: %s", dm_error_message(err));
	assert_null(err);
	return f;
}

static dm_event_filter *make(const dm_filter_rule_def *rules, size_t n,
			     bool case_sensitive)
{
	return make2(rules, n, NULL, 0, case_sensitive);
}

static dm_filter_action act(const dm_event_filter *f, const char *schema,
			    const char *table, dm_filter_event ev,
			    const char *sql)
{
	return rules_test_filter(f, schema, table, ev, sql).action;
}

static void test_filter__event_names(void **state)
{
	static const char *const names[] = {
		"", "insert", "update", "delete", "create database",
		"drop database", "create table", "drop table", "truncate table",
		"rename table", "create index", "drop index", "create view",
		"drop view", "alter table", "all", "all dml", "all ddl", "none",
		"none dml", "none ddl",
	};
	dm_filter_event e;
	dm_error *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(names); i++) {
		assert_int_equal(dm_filter_event_parse(&e, names[i], NULL), 0);
		assert_int_equal((int)e, (int)i);
		assert_string_equal(dm_filter_event_name(e), names[i]);
	}
	/* names are lower-cased, aliases map to the main spelling */
	assert_int_equal(dm_filter_event_parse(&e, "ALL DML", NULL), 0);
	assert_int_equal(e, EV(ALL_DML));
	assert_int_equal(dm_filter_event_parse(&e, "Create Schema", NULL), 0);
	assert_int_equal(e, EV(CREATE_DATABASE));
	assert_int_equal(dm_filter_event_parse(&e, "drop schema", NULL), 0);
	assert_int_equal(e, EV(DROP_DATABASE));
	assert_int_equal(dm_filter_event_parse(&e, "add index", NULL), 0);
	assert_int_equal(e, EV(CREATE_INDEX));
	assert_int_equal(dm_filter_event_parse(&e, "alter  table", &err),
			 DM_E_INVALID_ARGUMENT);
	assert_true(rules_test_msg_has(err, "alter  table"));
	rules_test_clear(&err);
	assert_int_not_equal(dm_filter_event_parse(&e, "insert ", NULL), 0);
	assert_int_not_equal(dm_filter_event_parse(&e, "create", NULL), 0);
	assert_int_not_equal(dm_filter_event_parse(&e, "incompatible ddl changes", NULL), 0);
	assert_int_not_equal(dm_filter_event_parse(NULL, "insert", NULL), 0);
	assert_string_equal(dm_filter_event_name((dm_filter_event)77),
			    "invalid event");
	for (i = EV(INSERT); i <= EV(DELETE); i++) {
		assert_true(dm_filter_event_is_dml((dm_filter_event)i));
		assert_false(dm_filter_event_is_ddl((dm_filter_event)i));
	}
	for (i = EV(CREATE_DATABASE); i <= EV(ALTER_TABLE); i++) {
		assert_false(dm_filter_event_is_dml((dm_filter_event)i));
		assert_true(dm_filter_event_is_ddl((dm_filter_event)i));
	}
	assert_false(dm_filter_event_is_dml(EV(UNSPECIFIED)));
	assert_false(dm_filter_event_is_ddl(EV(ALL_DDL)));
}

static void test_filter__actions_are_exact_case(void **state)
{
	dm_filter_action a;
	dm_error *err = NULL;

	(void)state;
	assert_int_equal(dm_filter_action_parse(&a, "Do", NULL), 0);
	assert_int_equal(a, DO);
	assert_int_equal(dm_filter_action_parse(&a, "Ignore", NULL), 0);
	assert_int_equal(a, IGN);
	assert_int_equal(dm_filter_action_parse(&a, "ignore", &err),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	rules_test_clear(&err);
	assert_int_not_equal(dm_filter_action_parse(&a, "DO", NULL), 0);
	assert_int_not_equal(dm_filter_action_parse(&a, "Error", NULL), 0);
	assert_int_not_equal(dm_filter_action_parse(&a, "", NULL), 0);
	assert_string_equal(dm_filter_action_name(DO), "Do");
	assert_string_equal(dm_filter_action_name(IGN), "Ignore");
}

/* "Configure the binlog event filter": rule-1 of DM's page. */
static void test_filter__documented_rule_1(void **state)
{
	static const char *const ev[] = { "truncate table", "drop table" };
	static const char *const sql[] = {
		"^DROP\\s+PROCEDURE", "^CREATE\\s+PROCEDURE"
	};
	static const dm_filter_rule_def r = { "test_*", "t_*", ev, 2, sql, 2,
					      DM_FILTER_IGNORE };
	dm_event_filter *f = make(&r, 1, false);

	(void)state;
	assert_int_equal(act(f, "test_1", "t_1", EV(TRUNCATE_TABLE),
			     "TRUNCATE TABLE t_1"), IGN);
	assert_int_equal(act(f, "test_1", "t_1", EV(DROP_TABLE),
			     "DROP TABLE t_1"), IGN);
	assert_int_equal(act(f, "test_1", "t_1", EV(CREATE_TABLE),
			     "CREATE TABLE t_1 (a int)"), DO);
	assert_int_equal(act(f, "test_1", "t_1", EV(INSERT), NULL), DO);
	assert_int_equal(act(f, "test_1", "t_1", EV(UNSPECIFIED),
			     "drop   procedure p1"), IGN);
	assert_int_equal(act(f, "test_1", "t_1", EV(UNSPECIFIED),
			     "CREATE PROCEDURE p1() BEGIN END"), IGN);
	assert_int_equal(act(f, "test_1", "t_1", EV(UNSPECIFIED),
			     "CREATE FUNCTION f1() RETURNS INT RETURN 1"), DO);
	assert_int_equal(act(f, "other", "t_1", EV(DROP_TABLE),
			     "DROP TABLE t_1"), DO);
	assert_int_equal(act(f, "test_1", "x_1", EV(DROP_TABLE),
			     "DROP TABLE x_1"), DO);
	/* patterns and names fold */
	assert_int_equal(act(f, "TEST_1", "T_1", EV(DROP_TABLE), NULL), IGN);
	dm_event_filter_free(f);
}

/* "Filter all sharding deletion operations". */
static void test_filter__documented_filter_all_deletions(void **state)
{
	static const char *const t_ev[] = { "truncate table", "drop table",
					    "delete" };
	static const char *const s_ev[] = { "drop database" };
	static const dm_filter_rule_def r[] = {
		{ "test_*", "t_*", t_ev, 3, NULL, 0, DM_FILTER_IGNORE },
		{ "test_*", NULL, s_ev, 1, NULL, 0, DM_FILTER_IGNORE },
	};
	dm_event_filter *f = make(r, 2, false);
	dm_filter_decision d;

	(void)state;
	assert_int_equal(act(f, "test_1", "t_1", EV(DELETE), NULL), IGN);
	assert_int_equal(act(f, "test_2", "t_9", EV(TRUNCATE_TABLE),
			     "TRUNCATE TABLE t_9"), IGN);
	assert_int_equal(act(f, "test_2", "t_9", EV(DROP_TABLE), NULL), IGN);
	d = rules_test_filter(f, "test_3", "", EV(DROP_DATABASE),
			      "DROP DATABASE test_3");
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.reason, DM_FILTER_IGNORE_EVENT);
	assert_int_equal(d.rule, 1);
	assert_int_equal(act(f, "test_1", "t_1", EV(INSERT), NULL), DO);
	assert_int_equal(act(f, "test_1", "t_1", EV(UPDATE), NULL), DO);
	assert_int_equal(act(f, "test_1", "t_1", EV(ALTER_TABLE), NULL), DO);
	assert_int_equal(act(f, "test_1", "", EV(CREATE_DATABASE), NULL), DO);
	assert_int_equal(act(f, "test_1", "x", EV(DELETE), NULL), DO);
	assert_int_equal(act(f, "prod", "t_1", EV(DELETE), NULL), DO);
	/* a schema-level rule applies to the tables of its schemas too */
	assert_int_equal(act(f, "test_1", "x", EV(DROP_DATABASE), NULL), IGN);
	dm_event_filter_free(f);
}

/* "Only migrate sharding DML statements": a table-level Do rule for
 * CREATE TABLE and all DML, and a schema-level Do rule for CREATE
 * DATABASE. The page says DML of test_*.t_* is migrated; DM's code would
 * drop it because the schema-level rule does not list it. */
static void test_filter__documented_only_dml(void **state)
{
	static const char *const t_ev[] = { "create table", "all dml" };
	static const char *const s_ev[] = { "create database" };
	static const dm_filter_rule_def r[] = {
		{ "test_*", "t_*", t_ev, 2, NULL, 0, DM_FILTER_DO },
		{ "test_*", NULL, s_ev, 1, NULL, 0, DM_FILTER_DO },
	};
	dm_event_filter *f = make(r, 2, false);
	dm_filter_decision d;
	int e;

	(void)state;
	for (e = EV(INSERT); e <= EV(DELETE); e++) {
		d = rules_test_filter(f, "test_1", "t_1", (dm_filter_event)e,
				      NULL);
		assert_int_equal(d.action, DO);
		assert_int_equal(d.reason, DM_FILTER_DO_ALLOWED);
		assert_int_equal(d.rule, 0);
	}
	assert_int_equal(act(f, "test_1", "t_1", EV(CREATE_TABLE),
			     "CREATE TABLE t_1 (a INT)"), DO);
	assert_int_equal(act(f, "test_1", "", EV(CREATE_DATABASE),
			     "CREATE DATABASE test_1"), DO);
	for (e = EV(DROP_DATABASE); e <= EV(ALTER_TABLE); e++) {
		if (e == EV(CREATE_TABLE))
			continue;
		d = rules_test_filter(f, "test_1", "t_1", (dm_filter_event)e,
				      NULL);
		assert_int_equal(d.action, IGN);
		assert_int_equal(d.reason, DM_FILTER_DO_EVENT_MISS);
	}
	assert_int_equal(act(f, "test_1", "", EV(DROP_DATABASE), NULL), IGN);
	/* tables outside t_* only have the schema rule: DML is dropped */
	assert_int_equal(act(f, "test_1", "other", EV(INSERT), NULL), IGN);
	/* other schemas are untouched */
	assert_int_equal(act(f, "prod", "t_1", EV(DROP_TABLE), NULL), DO);
	d = rules_test_filter(f, "prod", "t_1", EV(DELETE), NULL);
	assert_int_equal(d.reason, DM_FILTER_NO_RULE);
	assert_int_equal(d.rule, -1);
	dm_event_filter_free(f);
}

/* "Filter out the SQL statements that TiDB does not support" and "... the
 * TiDB parser does not support": sql-pattern only, and a global rule for
 * statements nobody could parse (schema and table unknown: ""). */
static void test_filter__documented_sql_patterns(void **state)
{
	static const char *const proc[] = { "^DROP\\s+PROCEDURE",
					    "^CREATE\\s+PROCEDURE" };
	static const char *const part[] = {
		"ALTER\\s+TABLE[\\s\\S]*ADD\\s+PARTITION",
		"ALTER\\s+TABLE[\\s\\S]*DROP\\s+PARTITION",
	};
	static const dm_filter_rule_def r1 = { "test_*", "t_*", NULL, 0, proc,
					       2, DM_FILTER_IGNORE };
	static const dm_filter_rule_def r2 = { "*", NULL, NULL, 0, part, 2,
					       DM_FILTER_IGNORE };
	dm_event_filter *f = make(&r1, 1, false);
	dm_filter_decision d;

	(void)state;
	d = rules_test_filter(f, "test_1", "t_1", EV(UNSPECIFIED),
			      "DROP PROCEDURE p");
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.reason, DM_FILTER_IGNORE_SQL);
	assert_int_equal(act(f, "test_1", "t_1", EV(UNSPECIFIED),
			     "create\tprocedure p() begin end"), IGN);
	assert_int_equal(act(f, "test_1", "t_1", EV(UNSPECIFIED),
			     "/* x */ DROP PROCEDURE p"), DO);
	assert_int_equal(act(f, "test_1", "t_1", EV(DROP_TABLE),
			     "DROP TABLE t_1"), DO);
	dm_event_filter_free(f);

	f = make(&r2, 1, false);
	assert_int_equal(act(f, "", "", EV(UNSPECIFIED),
			     "ALTER TABLE t ADD PARTITION (PARTITION p3 VALUES LESS THAN (2000))"),
			 IGN);
	assert_int_equal(act(f, "", "", EV(UNSPECIFIED),
			     "alter table db.t\n  drop partition p0"), IGN);
	assert_int_equal(act(f, "db", "t", EV(ALTER_TABLE),
			     "ALTER TABLE t DROP PARTITION p0"), IGN);
	assert_int_equal(act(f, "db", "t", EV(ALTER_TABLE),
			     "ALTER TABLE t ADD COLUMN c INT"), DO);
	assert_int_equal(act(f, "", "", EV(UNSPECIFIED), "CREATE SEQUENCE s"),
			 DO);
	dm_event_filter_free(f);
}

/* tidb-tools pkg/binlog-filter TestFilter: the same cases through each
 * state the test puts its filter in (update, add, remove rebuilt here). */
static void test_filter__tidb_tools_filter_cases(void **state)
{
	static const char *const ev0[] = { "delete", "insert", "create index",
					   "drop index", "drop view" };
	static const char *const sql0[] = { "^DROP\\s+PROCEDURE",
					    "^CREATE\\s+PROCEDURE" };
	static const char *const ev1[] = { "all dml", "none ddl" };
	static const char *const ev2[] = { "ALL DML" };
	static const char *const ev2b[] = { "ALL DDL" };
	static const char *const ev3[] = { "insert", "all ddl" };
	static const char *const sql3[] = { "^DROP\\s+PROCEDURE" };
	static const struct {
		const char *schema, *table;
		dm_filter_event ev;
		const char *sql;
		dm_filter_action want[4]; /* per state */
	} cases[] = {
		{ "test_1_a", "abc1", EV(DELETE), "", { IGN, DO, IGN, IGN } },
		{ "test_1_a", "abc1", EV(INSERT), "", { IGN, DO, DO, DO } },
		{ "test_1_a", "abc1", EV(UPDATE), "", { DO, DO, IGN, IGN } },
		{ "test_1_a", "abc1", EV(CREATE_INDEX), "", { IGN, DO, DO, DO } },
		{ "test_1_a", "abc1", EV(RENAME_TABLE), "", { DO, DO, DO, DO } },
		{ "test_1_a", "abc1", EV(UNSPECIFIED), "drop procedure abc",
		  { IGN, IGN, IGN, DO } },
		{ "test_1_a", "abc1", EV(UNSPECIFIED), "create procedure abc",
		  { IGN, IGN, IGN, IGN } },
		{ "test_1_a", "abc1", EV(UNSPECIFIED), "create function abc",
		  { DO, DO, IGN, IGN } },
		{ "xxx_1", "abc_1", EV(UNSPECIFIED), "create function abc",
		  { DO, DO, DO, DO } },
		{ "xxx_1", "abc_1", EV(INSERT), "", { IGN, DO, DO, DO } },
		{ "xxx_1", "abc_1", EV(CREATE_INDEX), "", { DO, IGN, IGN, IGN } },
		{ "yyy_1", "abc_1", EV(INSERT), "", { DO, IGN, IGN, IGN } },
		{ "yyy_1", "abc_1", EV(CREATE_INDEX), "", { IGN, DO, DO, DO } },
		{ "test_1_a", "abc1", EV(DROP_VIEW), "", { IGN, DO, DO, DO } },
	};
	dm_filter_rule_def s1[3] = {
		{ "Test_1_*", "abc*", ev0, 5, sql0, 2, DM_FILTER_IGNORE },
		{ "xxx_*", "abc_*", ev1, 2, NULL, 0, DM_FILTER_IGNORE },
		{ "yyy_*", "abc_*", ev2, 1, NULL, 0, DM_FILTER_DO },
	};
	dm_filter_rule_def s2[4];
	dm_event_filter *f[4];
	size_t st, c;

	(void)state;
	memcpy(s2, s1, sizeof(s1));
	s2[0].n_events = 0;
	s2[1].action = DM_FILTER_DO;
	s2[2].events = ev2b;
	s2[3] = (dm_filter_rule_def){ "test_*", "ab*", ev3, 2, sql3, 1,
				      DM_FILTER_DO };
	f[0] = make(s1, 3, false);
	f[1] = make(s2, 3, false);
	f[2] = make(s2, 4, false);
	f[3] = make(s2 + 1, 3, false);
	for (st = 0; st < 4; st++) {
		for (c = 0; c < NELEM(cases); c++) {
			dm_filter_action a = act(f[st], cases[c].schema,
						 cases[c].table, cases[c].ev,
						 cases[c].sql);

			if (a != cases[c].want[st])
				fail_msg("state %zu case %zu: %s", st, c,
					 dm_filter_action_name(a));
		}
		dm_event_filter_free(f[st]);
	}
	/* mismatched */
	f[0] = make(s1, 3, false);
	assert_int_equal(act(f[0], "xxx_a", "", EV(INSERT), NULL), DO);
	dm_event_filter_free(f[0]);
	/* TestCaseSensitive */
	f[0] = make(s1, 2, true);
	for (c = 0; c < 9; c++)
		assert_int_equal(act(f[0], cases[c].schema, cases[c].table,
				     cases[c].ev, cases[c].sql), DO);
	assert_int_equal(act(f[0], "xxx_1", "abc_1", EV(INSERT), NULL), IGN);
	assert_int_equal(act(f[0], "xxx_1", "abc_1", EV(CREATE_INDEX), NULL),
			 DO);
	dm_event_filter_free(f[0]);
}

/* tidb-tools TestGlobalFilter: schema "*" (and table "*") rules reach
 * statements whose schema or table is unknown. */
static void test_filter__global_rules_match_empty_names(void **state)
{
	static const char *const flush[] = { "^FLUSH" };
	static const dm_filter_rule_def schema_rule = { "*", NULL, NULL, 0,
							flush, 1,
							DM_FILTER_IGNORE };
	static const dm_filter_rule_def table_rule = { "*", "*", NULL, 0,
						       flush, 1,
						       DM_FILTER_IGNORE };
	static const char *const names[][2] = {
		{ "db", "tbl" }, { "db", "" }, { "", "tbl" }, { "", "" },
	};
	const dm_filter_rule_def *rules[] = { &schema_rule, &table_rule };
	size_t r, i;

	(void)state;
	for (r = 0; r < 2; r++) {
		dm_event_filter *f = make(rules[r], 1, false);

		for (i = 0; i < NELEM(names); i++)
			assert_int_equal(act(f, names[i][0], names[i][1],
					     EV(UNSPECIFIED),
					     "FLUSH ENGINE LOGS"), IGN);
		dm_event_filter_free(f);
	}
}

/* The events list is read in order: the first entry that speaks for the
 * event decides. */
static void test_filter__events_list_is_read_in_order(void **state)
{
	static const struct {
		const char *ev[3];
		size_t n;
		dm_filter_event e;
		bool listed;
	} cases[] = {
		{ { "none", "insert" }, 2, EV(INSERT), false },
		{ { "insert", "none" }, 2, EV(INSERT), true },
		{ { "none dml", "insert" }, 2, EV(INSERT), false },
		{ { "none ddl", "insert" }, 2, EV(INSERT), true },
		{ { "none ddl", "all" }, 2, EV(DROP_TABLE), false },
		{ { "none ddl", "all" }, 2, EV(DELETE), true },
		{ { "all dml", "none" }, 2, EV(UPDATE), true },
		{ { "all dml", "none" }, 2, EV(CREATE_VIEW), false },
		{ { "all ddl" }, 1, EV(CREATE_VIEW), true },
		{ { "all ddl" }, 1, EV(DELETE), false },
		{ { "all" }, 1, EV(ALTER_TABLE), true },
		{ { "" }, 1, EV(INSERT), false },
		{ { "", "update" }, 2, EV(UPDATE), true },
		{ { "create schema" }, 1, EV(CREATE_DATABASE), true },
		{ { "add index" }, 1, EV(CREATE_INDEX), true },
		{ { NULL }, 0, EV(INSERT), false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		dm_filter_rule_def r = { "db", "t", cases[i].ev, cases[i].n,
					 NULL, 0, DM_FILTER_IGNORE };
		dm_event_filter *f = make(&r, 1, true);

		assert_int_equal(act(f, "db", "t", cases[i].e, NULL),
				 cases[i].listed ? IGN : DO);
		dm_event_filter_free(f);
		r.action = DM_FILTER_DO;
		f = make(&r, 1, true);
		assert_int_equal(act(f, "db", "t", cases[i].e, NULL),
				 cases[i].listed ? DO : IGN);
		dm_event_filter_free(f);
	}
}

static void test_filter__do_rules_with_sql_patterns(void **state)
{
	static const char *const ev[] = { "all ddl" };
	static const char *const sql[] = { "^ALTER\\s+TABLE\\s+\\S+\\s+ADD" };
	static const dm_filter_rule_def r = { "db", "*", ev, 1, sql, 1,
					      DM_FILTER_DO };
	dm_event_filter *f = make(&r, 1, true);
	dm_filter_decision d;

	(void)state;
	/* both checks apply and pass */
	assert_int_equal(act(f, "db", "t", EV(ALTER_TABLE),
			     "ALTER TABLE t ADD COLUMN c INT"), DO);
	/* event listed, statement not matched */
	d = rules_test_filter(f, "db", "t", EV(ALTER_TABLE),
			      "ALTER TABLE t DROP COLUMN c");
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.reason, DM_FILTER_DO_SQL_MISS);
	/* no statement: only the event check applies */
	assert_int_equal(act(f, "db", "t", EV(ALTER_TABLE), NULL), DO);
	assert_int_equal(act(f, "db", "t", EV(INSERT), NULL), IGN);
	/* no event type: only the statement check */
	assert_int_equal(act(f, "db", "t", EV(UNSPECIFIED),
			     "alter table t add index i(c)"), DO);
	assert_int_equal(act(f, "db", "t", EV(UNSPECIFIED), "GRANT ALL"), IGN);
	dm_event_filter_free(f);
	/* a Do rule with nothing to check abstains */
	{
		static const dm_filter_rule_def r2 = { "db", NULL, NULL, 0, NULL,
						       0, DM_FILTER_DO };

		f = make(&r2, 1, true);
		d = rules_test_filter(f, "db", "t", EV(UNSPECIFIED),
				      "CREATE TRIGGER x");
		assert_int_equal(d.action, DO);
		assert_int_equal(d.reason, DM_FILTER_NO_VOTE);
		/* ...but with an event type it lists nothing: dropped */
		assert_int_equal(act(f, "db", "t", EV(INSERT), NULL), IGN);
		dm_event_filter_free(f);
	}
}

/* Ignore beats Do wherever the rules come from; source rules follow the
 * task's in the numbering. */
static void test_filter__task_and_source_rules_combine(void **state)
{
	static const char *const dml[] = { "all dml" };
	static const char *const del[] = { "delete" };
	static const char *const trunc[] = { "truncate table" };
	static const dm_filter_rule_def task[] = {
		{ "app", "*", dml, 1, NULL, 0, DM_FILTER_DO },
		{ "app", "audit*", trunc, 1, NULL, 0, DM_FILTER_IGNORE },
	};
	static const dm_filter_rule_def src[] = {
		{ "app", "orders", del, 1, NULL, 0, DM_FILTER_IGNORE },
	};
	dm_event_filter *f = make2(task, 2, src, 1, false);
	dm_filter_decision d;

	(void)state;
	d = rules_test_filter(f, "app", "orders", EV(DELETE), NULL);
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.rule, 2);
	d = rules_test_filter(f, "app", "orders", EV(INSERT), NULL);
	assert_int_equal(d.action, DO);
	assert_int_equal(d.rule, 0);
	d = rules_test_filter(f, "app", "audit_1", EV(TRUNCATE_TABLE), NULL);
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.rule, 1);
	assert_int_equal(act(f, "app", "t", EV(DELETE), NULL), DO);
	assert_int_equal(act(f, "app", "t", EV(CREATE_TABLE), NULL), IGN);
	dm_event_filter_free(f);
	/* only source rules */
	f = make2(NULL, 0, src, 1, false);
	d = rules_test_filter(f, "app", "orders", EV(DELETE), NULL);
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.rule, 0);
	dm_event_filter_free(f);
}

/* Two rules under the same patterns both apply (DM refuses the second
 * and, in some versions, silently drops it). */
static void test_filter__rules_sharing_patterns_all_apply(void **state)
{
	static const char *const a[] = { "ADD COLUMN a_col" };
	static const char *const b[] = { "ADD COLUMN b_col" };
	static const dm_filter_rule_def r[] = {
		{ "*", "*", NULL, 0, a, 1, DM_FILTER_IGNORE },
		{ "*", "*", NULL, 0, b, 1, DM_FILTER_IGNORE },
	};
	dm_event_filter *f = make(r, 2, false);
	dm_filter_decision d;

	(void)state;
	d = rules_test_filter(f, "db", "t", EV(ALTER_TABLE),
			      "ALTER TABLE t ADD COLUMN a_col INT");
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.rule, 0);
	d = rules_test_filter(f, "db", "t", EV(ALTER_TABLE),
			      "ALTER TABLE t ADD COLUMN b_col INT");
	assert_int_equal(d.action, IGN);
	assert_int_equal(d.rule, 1);
	assert_int_equal(act(f, "db", "t", EV(ALTER_TABLE),
			     "ALTER TABLE t ADD COLUMN c_col INT"), DO);
	dm_event_filter_free(f);
}

static void test_filter__sql_patterns_are_grouped_and_caseless(void **state)
{
	/* DM joins with '|'; grouping keeps '^' with its own pattern */
	static const char *const sql[] = { "^DROP", "VIEW$", "x|y" };
	static const dm_filter_rule_def r = { "*", NULL, NULL, 0, sql, 3,
					      DM_FILTER_IGNORE };
	dm_event_filter *f = make(&r, 1, true);

	(void)state;
	assert_int_equal(act(f, "d", "", EV(UNSPECIFIED), "drop table t"), IGN);
	assert_int_equal(act(f, "d", "", EV(UNSPECIFIED), "a drop"), DO);
	assert_int_equal(act(f, "d", "", EV(UNSPECIFIED), "create view"), IGN);
	assert_int_equal(act(f, "d", "", EV(UNSPECIFIED), "view here"), DO);
	assert_int_equal(act(f, "d", "", EV(UNSPECIFIED), "Y"), IGN);
	/* an empty statement is no statement */
	assert_int_equal(act(f, "d", "", EV(UNSPECIFIED), ""), DO);
	dm_event_filter_free(f);
}

static int new_err(const dm_filter_rule_def *r, size_t n, const char *needle)
{
	dm_event_filter_def def = { r, n, NULL, 0 };
	dm_event_filter *f = NULL;
	dm_error *err = NULL;
	int rc = dm_event_filter_new(&f, &def, NULL, &err);

	assert_null(f);
	assert_non_null(err);
	assert_int_equal(dm_error_status(err), rc);
	if (needle && !rules_test_msg_has(err, needle))
		fail_msg("message \"%s\" lacks \"%s\"", dm_error_message(err),
			 needle);
	dm_error_free(err);
	return rc;
}

static void test_filter__bad_rules_are_config_errors(void **state)
{
	static const char *const bad_ev[] = { "insert", "upsert" };
	static const char *const null_ev[] = { NULL };
	static const char *const bad_sql[] = { "ok", "(unclosed" };
	static const char *const null_sql[] = { NULL };
	dm_filter_rule_def r[2] = {
		{ "db", "t", NULL, 0, NULL, 0, DM_FILTER_DO },
		{ "db", "t", bad_ev, 2, NULL, 0, DM_FILTER_IGNORE },
	};
	dm_event_filter *f;
	dm_filter_decision d;

	(void)state;
	assert_int_equal(new_err(r, 2, "task filter rule 1: event type \"upsert\""),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	r[1].events = null_ev;
	r[1].n_events = 1;
	assert_int_equal(new_err(r, 2, "task filter rule 1"),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	r[1].n_events = 0;
	r[1].sql_patterns = bad_sql;
	r[1].n_sql_patterns = 2;
	assert_int_equal(new_err(r, 2, "regular expression"),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	r[1].sql_patterns = null_sql;
	r[1].n_sql_patterns = 1;
	assert_int_equal(new_err(r, 2, "sql-pattern 0"), DM_E_INVALID_ARGUMENT);
	r[1].n_sql_patterns = 0;
	r[1].schema_pattern = "";
	assert_int_equal(new_err(r, 2, "schema pattern"),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	r[1].schema_pattern = "a*b";
	assert_int_equal(new_err(r, 2, "not valid"),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	r[1].schema_pattern = "db";
	r[1].action = (dm_filter_action)7;
	assert_int_equal(new_err(r, 2, "action"),
			 DM_E_CONFIG_BINLOG_EVENT_FILTER);
	r[1].action = DM_FILTER_DO;
	r[1].n_events = 1;
	r[1].events = NULL;
	assert_int_equal(new_err(r, 2, NULL), DM_E_INVALID_ARGUMENT);
	/* arguments */
	assert_int_equal(dm_event_filter_new(NULL, NULL, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	f = make(NULL, 0, false);
	d = rules_test_filter(f, "a", "b", EV(INSERT), NULL);
	assert_int_equal(d.action, DO);
	assert_int_equal(d.reason, DM_FILTER_NO_RULE);
	assert_int_equal(dm_event_filter_check(&d, f, "a", "b", EV(ALL), NULL,
					       0, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_event_filter_check(&d, f, "a", "b",
					       (dm_filter_event)-1, NULL, 0,
					       NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_event_filter_check(&d, f, NULL, "b", EV(INSERT),
					       NULL, 0, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_event_filter_check(&d, f, "a", "b", EV(INSERT),
					       NULL, 3, NULL),
			 DM_E_INVALID_ARGUMENT);
	dm_event_filter_free(f);
	dm_event_filter_free(NULL);
	{
		dm_filter_reason rs;

		for (rs = DM_FILTER_NO_RULE; rs <= DM_FILTER_DO_SQL_MISS; rs++)
			assert_string_not_equal(dm_filter_reason_name(rs),
						"unknown");
		assert_string_equal(dm_filter_reason_name((dm_filter_reason)50),
				    "unknown");
	}
}

/* Statements are searched with their length: bytes after it do not
 * count, NUL bytes inside do. */
static void test_filter__sql_is_length_delimited(void **state)
{
	static const char *const sql[] = { "TRIGGER$" };
	static const dm_filter_rule_def r = { "*", NULL, NULL, 0, sql, 1,
					      DM_FILTER_IGNORE };
	dm_event_filter *f = make(&r, 1, true);
	dm_filter_decision d;
	const char text[] = "DROP TRIGGER x";

	(void)state;
	assert_int_equal(dm_event_filter_check(&d, f, "d", NULL,
					       EV(UNSPECIFIED), text, 12, NULL),
			 0);
	assert_int_equal(d.action, IGN);
	assert_int_equal(dm_event_filter_check(&d, f, "d", NULL,
					       EV(UNSPECIFIED), text,
					       sizeof(text) - 1, NULL),
			 0);
	assert_int_equal(d.action, DO);
	dm_event_filter_free(f);
}

int rules_test_filter_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter__event_names),
		cmocka_unit_test(test_filter__actions_are_exact_case),
		cmocka_unit_test(test_filter__documented_rule_1),
		cmocka_unit_test(test_filter__documented_filter_all_deletions),
		cmocka_unit_test(test_filter__documented_only_dml),
		cmocka_unit_test(test_filter__documented_sql_patterns),
		cmocka_unit_test(test_filter__tidb_tools_filter_cases),
		cmocka_unit_test(test_filter__global_rules_match_empty_names),
		cmocka_unit_test(test_filter__events_list_is_read_in_order),
		cmocka_unit_test(test_filter__do_rules_with_sql_patterns),
		cmocka_unit_test(test_filter__task_and_source_rules_combine),
		cmocka_unit_test(test_filter__rules_sharing_patterns_all_apply),
		cmocka_unit_test(test_filter__sql_patterns_are_grouped_and_caseless),
		cmocka_unit_test(test_filter__bad_rules_are_config_errors),
		cmocka_unit_test(test_filter__sql_is_length_delimited),
	};

	return cmocka_run_group_tests_name("rules/filter", tests, NULL, NULL);
}
