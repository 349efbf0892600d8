/* SPDX-License-Identifier: Apache-2.0 */
/* dm_table_selector: the bare selector, for callers with their own rules. */
#include "rules/rules_private.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

struct dm_table_selector {
	dm__rx_env env;
	dm__selector *sel;
	bool case_sensitive;
};

static const dm_rules_opts default_opts = DM_RULES_OPTS_INIT;

void dm_table_selector_free(dm_table_selector *s)
{
	if (!s)
		return;
	dm__selector_free(s->sel);
	dm__rx_env_done(&s->env);
	dm__free(s);
}

int dm_table_selector_new(dm_table_selector **out,
			  const dm_selector_rule *rules, size_t n,
			  const dm_rules_opts *opts, dm_error **err)
{
	dm_table_selector *s;
	size_t i;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_table_selector_new: out is NULL");
	*out = NULL;
	if (n && !rules)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_table_selector_new: rules is NULL");
	if (n > UINT32_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_table_selector_new: too many rules");
	if (!opts)
		opts = &default_opts;
	s = dm__calloc(1, sizeof(*s));
	if (!s)
		return dm_error_set(err, DM_E_NO_MEMORY, "table selector");
	s->case_sensitive = opts->case_sensitive;
	rc = dm__rx_env_init(&s->env);
	if (rc) {
		dm__free(s);
		return dm_error_set(err, rc, "table selector");
	}
	rc = dm__selector_new(&s->sel, &s->env, s->case_sensitive);
	if (rc) {
		rc = dm_error_set(err, rc, "table selector");
		goto out_free;
	}
	for (i = 0; i < n; i++) {
		char what[48];

		snprintf(what, sizeof(what), "selector rule %zu", i);
		rc = dm__selector_add(s->sel, rules[i].schema_pattern,
				      rules[i].table_pattern, (uint32_t)i,
				      false, DM_E_INVALID_ARGUMENT, what, err);
		if (rc)
			goto out_free;
	}
	rc = dm__selector_freeze(s->sel);
	if (rc) {
		rc = dm_error_set(err, rc, "table selector");
		goto out_free;
	}
	*out = s;
	return 0;

out_free:
	dm_table_selector_free(s);
	return rc;
}

typedef struct collect {
	size_t *out;
	size_t cap;
	size_t n;
} collect;

static int collect_rule(void *ud, uint32_t rule, bool schema_level)
{
	collect *c = ud;

	(void)schema_level;
	if (c->n < c->cap)
		c->out[c->n] = rule;
	c->n++;
	return 0;
}

int dm_table_selector_match(size_t *out, size_t cap,
			    const dm_table_selector *s, const char *schema,
			    const char *table, dm_error **err)
{
	dm__rules_name sn, tn;
	collect c;
	int rc;

	if (!s || !schema || (cap && !out))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_table_selector_match: NULL argument");
	rc = dm__rules_name_init(&sn, schema, !s->case_sensitive);
	if (rc)
		return dm_error_set(err, rc, "matching a table selector");
	rc = dm__rules_name_init(&tn, table, !s->case_sensitive);
	if (rc) {
		dm__rules_name_done(&sn);
		return dm_error_set(err, rc, "matching a table selector");
	}
	c.out = out;
	c.cap = cap;
	c.n = 0;
	rc = dm__selector_walk(s->sel, sn.s, sn.len, tn.s, tn.len,
			       collect_rule, NULL, &c, err);
	dm__rules_name_done(&sn);
	dm__rules_name_done(&tn);
	if (rc < 0)
		return rc;
	return c.n > INT32_MAX ? INT32_MAX : (int)c.n;
}
