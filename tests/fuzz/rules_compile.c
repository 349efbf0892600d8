/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for lib/rules: builds a table selector, a block/allow list,
 * a binlog event filter and a router from the input and evaluates a few
 * names with each. Nothing may crash or leak, whatever the patterns,
 * regular expressions and event names are. For wildcard-only rules in
 * case-sensitive mode, the selector's answer is compared with a plain
 * matcher written here from DM's description of the syntax, and each `~`
 * pattern's answer with PCRE2's own (the pre-checks in front of PCRE2
 * must never change it).
 *
 * Input: byte 0 holds flags (bit 0: case-sensitive); the rest is lines
 * split on '\n', fields split on '\t':
 *   schema-pattern <TAB> table-pattern [<TAB> extra...]
 * Extras are event names (filters), sql-patterns and targets (routes).
 * The last two lines also serve as the schema and table names probed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm/rules.h"
#include "fuzz/fuzz_check.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LINES 24
#define MAX_FIELDS 6

typedef struct line {
	char *field[MAX_FIELDS];
	size_t n;
} line;

/* ---------------------------------------------------------------- oracle */

/* DM's wildcard syntax, from its documentation and selector: returns -1
 * when invalid ('*' not last), else 1 on a match, 0 otherwise. */
static int oracle(const char *pat, const char *s)
{
	const unsigned char *p = (const unsigned char *)pat;
	const unsigned char *t = (const unsigned char *)s;
	size_t pi = 0, ti = 0, plen = strlen(pat), tlen = strlen(s);
	int result = -2;

	while (pi < plen) {
		if (p[pi] == '*') {
			if (pi + 1 != plen)
				return -1;
			return result == -2 ? 1 : result;
		}
		if (p[pi] == '[') {
			size_t close = 0, k, start = pi + 1;
			bool neg = false, in = false;

			for (k = pi + 1; k < plen; k++) {
				if (p[k] == ']') {
					close = k;
					break;
				}
			}
			if (close) {
				if (p[start] == '!') {
					neg = true;
					start++;
				}
				if (neg && start == close) {
					neg = false;
					in = ti < tlen && t[ti] == '!';
				}
				for (k = start; k < close; k++) {
					unsigned lo = p[k], hi = p[k];

					if (p[k + 1] == '-' && k + 2 < close) {
						hi = p[k + 2];
						k += 2;
					}
					if (ti < tlen && t[ti] >= lo && t[ti] <= hi)
						in = true;
				}
				if (ti >= tlen || in == neg)
					result = 0;
				pi = close + 1;
				ti++;
				continue;
			}
		}
		if (ti >= tlen || (p[pi] != '?' && p[pi] != t[ti]))
			result = 0;
		pi++;
		ti++;
	}
	if (result == -2)
		result = ti == tlen;
	return result;
}

static size_t split(line *out, size_t max, char *text)
{
	size_t n = 0;
	char *save = text, *nl;

	while (n < max && save) {
		line *l = &out[n];
		char *f;

		nl = strchr(save, '\n');
		if (nl)
			*nl = '\0';
		l->n = 0;
		f = save;
		while (l->n < MAX_FIELDS) {
			char *tab = strchr(f, '\t');

			l->field[l->n++] = f;
			if (!tab)
				break;
			*tab = '\0';
			f = tab + 1;
		}
		n++;
		save = nl ? nl + 1 : NULL;
	}
	return n;
}

static const char *fld(const line *l, size_t i)
{
	return i < l->n ? l->field[i] : NULL;
}

static void probe_selector(const line *lines, size_t n, const char *schema,
			   const char *table, bool cs)
{
	dm_selector_rule rules[MAX_LINES];
	dm_rules_opts o = DM_RULES_OPTS_INIT;
	dm_table_selector *s = NULL;
	dm_error *err = NULL;
	size_t out[MAX_LINES], i;
	bool plain = cs;
	int rc, m;

	o.case_sensitive = cs;
	for (i = 0; i < n; i++) {
		rules[i].schema_pattern = fld(&lines[i], 0);
		rules[i].table_pattern = fld(&lines[i], 1);
		if (strchr(rules[i].schema_pattern, '~') ||
		    (rules[i].table_pattern &&
		     strchr(rules[i].table_pattern, '~')))
			plain = false;
	}
	rc = dm_table_selector_new(&s, rules, n, &o, &err);
	CHECK((rc == 0) == (s != NULL));
	CHECK((rc == 0) == (err == NULL));
	dm_error_free(err);
	err = NULL;
	if (rc) {
		/* when the oracle finds every pattern valid and no pair
		 * repeats, only the regular expressions can be at fault */
		return;
	}
	m = dm_table_selector_match(out, MAX_LINES, s, schema, table, &err);
	CHECK(m >= 0 && m <= (int)n);
	dm_error_free(err);
	if (plain) {
		bool seen[MAX_LINES] = { false };
		int want = 0;

		for (i = 0; i < (size_t)m; i++) {
			CHECK(out[i] < n && !seen[out[i]]);
			seen[out[i]] = true;
		}
		for (i = 0; i < n; i++) {
			const char *tp = rules[i].table_pattern;
			int a = oracle(rules[i].schema_pattern, schema);
			int b = (tp && *tp) ? oracle(tp, table) : 1;

			CHECK(a >= 0 && b >= 0);
			/* schema-level rules take every table; only '*'
			 * takes the empty one, which the oracle knows */
			if (a && b) {
				want++;
				CHECK(seen[i]);
			} else {
				CHECK(!seen[i]);
			}
		}
		CHECK(want == m);
	}
	dm_table_selector_free(s);
}

/* A `~` schema pattern matches exactly when PCRE2 says so. */
static void probe_regex(const char *pat, const char *name)
{
	dm_selector_rule r = { pat, NULL };
	dm_rules_opts o = DM_RULES_OPTS_INIT;
	dm_table_selector *s = NULL;
	pcre2_match_data *md;
	pcre2_code *re;
	PCRE2_SIZE off;
	size_t out[1], len;
	char *padded;
	int code, got, want;

	if (pat[0] != '~' || !pat[1])
		return;
	o.case_sensitive = true;
	re = pcre2_compile((PCRE2_SPTR)pat + 1, PCRE2_ZERO_TERMINATED,
			   PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off,
			   NULL);
	if (dm_table_selector_new(&s, &r, 1, &o, NULL) != 0) {
		pcre2_code_free(re);
		return;
	}
	CHECK(re != NULL);
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	/* a zeroed margin: PCRE2's JIT reads whole blocks around the
	 * subject, which memory checkers report */
	len = strlen(name);
	padded = calloc(len + 128, 1);
	CHECK(padded != NULL);
	memcpy(padded + 64, name, len);
	md = pcre2_match_data_create(1, NULL);
	want = pcre2_match(re, (PCRE2_SPTR)padded + 64, len, 0, 0, md, NULL);
	free(padded);
	got = dm_table_selector_match(out, 1, s, name, NULL, NULL);
	/* a pattern that gives up (match limit) may differ */
	if (want >= 0 || want == PCRE2_ERROR_NOMATCH)
		CHECK(got < 0 || (got == 1) == (want >= 0));
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	dm_table_selector_free(s);
}

static void probe_ba(const line *lines, size_t n, const char *schema,
		     const char *table, bool cs)
{
	const char *do_dbs[MAX_LINES], *ignore_dbs[MAX_LINES];
	dm_ba_table do_t[MAX_LINES], ign_t[MAX_LINES];
	dm_rules_opts o = DM_RULES_OPTS_INIT;
	dm_ba_list_def d;
	dm_ba_list *ba = NULL;
	dm_ba_decision dec;
	dm_error *err = NULL;
	size_t i;
	int rc;

	memset(&d, 0, sizeof(d));
	d.do_dbs = do_dbs;
	d.ignore_dbs = ignore_dbs;
	d.do_tables = do_t;
	d.ignore_tables = ign_t;
	for (i = 0; i < n; i++) {
		const char *a = fld(&lines[i], 0), *b = fld(&lines[i], 1);

		switch (i % 4) {
		case 0:
			do_dbs[d.n_do_dbs++] = a;
			break;
		case 1:
			ignore_dbs[d.n_ignore_dbs++] = a;
			break;
		case 2:
			do_t[d.n_do_tables++] = (dm_ba_table){ a, b };
			break;
		default:
			ign_t[d.n_ignore_tables++] = (dm_ba_table){ a, b };
			break;
		}
	}
	o.case_sensitive = cs;
	rc = dm_ba_list_new(&ba, &d, &o, &err);
	CHECK((rc == 0) == (ba != NULL));
	dm_error_free(err);
	err = NULL;
	if (rc)
		return;
	rc = dm_ba_list_check(&dec, ba, schema, table, &err);
	CHECK(rc == 0 || rc == DM_E_INVALID_ARGUMENT);
	if (rc == 0)
		CHECK(dm_ba_reason_name(dec.reason)[0] != 'u');
	dm_error_free(err);
	err = NULL;
	rc = dm_ba_list_check(&dec, ba, schema, "", &err);
	CHECK(rc != 0 || dec.keep == !(dec.reason == DM_BA_SYSTEM_SCHEMA ||
				       dec.reason == DM_BA_DO_DBS_MISS ||
				       dec.reason == DM_BA_IGNORE_DBS_HIT));
	dm_error_free(err);
	dm_ba_list_free(ba);
}

static void probe_filter(const line *lines, size_t n, const char *schema,
			 const char *table, bool cs, const char *sql)
{
	dm_filter_rule_def rules[MAX_LINES];
	const char *events[MAX_LINES][2];
	const char *sqls[MAX_LINES][1];
	dm_rules_opts o = DM_RULES_OPTS_INIT;
	dm_event_filter_def def;
	dm_event_filter *f = NULL;
	dm_filter_decision dec;
	dm_error *err = NULL;
	size_t i;
	int rc, e;

	for (i = 0; i < n; i++) {
		const line *l = &lines[i];

		memset(&rules[i], 0, sizeof(rules[i]));
		rules[i].schema_pattern = fld(l, 0);
		rules[i].table_pattern = fld(l, 1);
		rules[i].action = (i & 1) ? DM_FILTER_IGNORE : DM_FILTER_DO;
		if (fld(l, 2)) {
			events[i][0] = fld(l, 2);
			events[i][1] = fld(l, 3) ? fld(l, 3) : "all dml";
			rules[i].events = events[i];
			rules[i].n_events = 2;
		}
		if (fld(l, 4)) {
			sqls[i][0] = fld(l, 4);
			rules[i].sql_patterns = sqls[i];
			rules[i].n_sql_patterns = 1;
		}
	}
	def.task_rules = rules;
	def.n_task_rules = n / 2;
	def.source_rules = rules + n / 2;
	def.n_source_rules = n - n / 2;
	o.case_sensitive = cs;
	rc = dm_event_filter_new(&f, &def, &o, &err);
	CHECK((rc == 0) == (f != NULL));
	dm_error_free(err);
	err = NULL;
	if (rc)
		return;
	for (e = DM_FILTER_EVENT_UNSPECIFIED; e <= DM_FILTER_EVENT_ALTER_TABLE;
	     e += 3) {
		rc = dm_event_filter_check(&dec, f, schema, table,
					   (dm_filter_event)e, sql,
					   strlen(sql), &err);
		CHECK(rc == 0 || rc == DM_E_INVALID_ARGUMENT);
		if (rc == 0)
			CHECK(dec.rule < (long)n &&
			      (dec.action == DM_FILTER_IGNORE) ==
				      (dec.reason >= DM_FILTER_IGNORE_EVENT));
		dm_error_free(err);
		err = NULL;
	}
	dm_event_filter_free(f);
}

static void probe_router(const line *lines, size_t n, const char *schema,
			 const char *table, bool cs)
{
	dm_route_rule_def rules[MAX_LINES];
	dm_rules_opts o = DM_RULES_OPTS_INIT;
	dm_router *r = NULL;
	dm_route_result res;
	dm_route_columns cols;
	dm_buf vals = DM_BUF_INIT;
	dm_error *err = NULL;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const line *l = &lines[i];

		memset(&rules[i], 0, sizeof(rules[i]));
		rules[i].schema_pattern = fld(l, 0);
		rules[i].table_pattern = fld(l, 1);
		rules[i].target_schema = fld(l, 2) ? fld(l, 2) : "target";
		rules[i].target_table = fld(l, 3);
		if (fld(l, 4)) {
			rules[i].table_regexp = fld(l, 4);
			rules[i].table_column = "c_table";
		}
		if (fld(l, 5)) {
			rules[i].source_regexp = fld(l, 5);
			rules[i].source_column = "c_source";
		}
	}
	o.case_sensitive = cs;
	rc = dm_router_new(&r, rules, n, &o, &err);
	CHECK((rc == 0) == (r != NULL));
	dm_error_free(err);
	err = NULL;
	if (rc)
		return;
	rc = dm_router_route(&res, r, schema, table, &err);
	CHECK(rc == 0 || rc == DM_E_GEN_TABLE_ROUTER ||
	      rc == DM_E_INVALID_ARGUMENT);
	if (rc == 0)
		CHECK(res.schema && res.table && res.rule < (long)n);
	dm_error_free(err);
	err = NULL;
	rc = dm_router_extract(&cols, &vals, r, schema, table, table, &err);
	if (rc == 0) {
		for (i = 0; i < cols.n; i++)
			CHECK(cols.col[i].off + cols.col[i].len < vals.len + 1 &&
			      vals.data[cols.col[i].off + cols.col[i].len] == '\0');
	}
	dm_error_free(err);
	dm_buf_free(&vals);
	dm_router_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	line lines[MAX_LINES];
	const char *schema, *table;
	char *text;
	size_t n;
	bool cs;

	if (size < 1 || size > 4096)
		return 0;
	cs = data[0] & 1;
	(void)dm_rules_is_builtin_skip((const char *)data + 1, size - 1);
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	(void)dm_rules_is_system_schema(text);
	(void)dm_rules_check_pattern(text, NULL);
	n = split(lines, MAX_LINES, text);
	schema = n >= 2 ? fld(&lines[n - 2], 0) : "db";
	table = n >= 1 ? fld(&lines[n - 1], 0) : "t";
	probe_selector(lines, n, schema, table, cs);
	if (n >= 1) {
		probe_regex(fld(&lines[0], 0), schema);
		probe_regex(fld(&lines[0], 0), table);
	}
	probe_ba(lines, n, schema, table, cs);
	probe_filter(lines, n, schema, table, cs, data[0] & 2 ? table : "");
	probe_router(lines, n, schema, table, cs);
	free(text);
	return 0;
}
