/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Block/allow lists (DM's block-allow-list, tidb-tools pkg/filter): a schema
 * step with do-dbs / ignore-dbs, then a table step with do-tables /
 * ignore-tables. Each do-tables / ignore-tables entry matches as one pair;
 * DM's trie lets the wildcard half of one mixed entry pair up with the
 * regular-expression half of another, which its documentation does not
 * describe, and that is not reproduced.
 */
#include "rules/rules_private.h"

#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

/* The four lists share one selector; a rule number is the list in the
 * top bits and the entry's index in the rest. */
enum { L_DO_DBS = 0, L_IGNORE_DBS, L_DO_TABLES, L_IGNORE_TABLES, L_COUNT };
#define LIST_SHIFT 28
#define INDEX_MASK ((UINT32_C(1) << LIST_SHIFT) - 1)

struct dm_ba_list {
	dm__rx_env env;
	bool case_sensitive;
	dm__selector *sel;
	size_t n[L_COUNT];
};

static const dm_rules_opts default_opts = DM_RULES_OPTS_INIT;
static const char *const list_name[L_COUNT] = {
	"do-dbs", "ignore-dbs", "do-tables", "ignore-tables"
};

void dm_ba_list_free(dm_ba_list *ba)
{
	if (!ba)
		return;
	dm__selector_free(ba->sel);
	dm__rx_env_done(&ba->env);
	dm__free(ba);
}

static int add_dbs(dm_ba_list *ba, int list, const char *const *dbs, size_t n,
		   dm_error **err)
{
	size_t i;
	int rc;

	if (n && !dbs)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "block-allow list: %s is NULL",
				    list_name[list]);
	for (i = 0; i < n; i++) {
		char what[64];

		snprintf(what, sizeof(what), "block-allow list %s[%zu]",
			 list_name[list], i);
		if (!dbs[i] || !*dbs[i])
			return dm_error_set(err, DM_E_CONFIG_GEN_BA_LIST,
					    "%s: schema name must not be empty",
					    what);
		rc = dm__selector_add(ba->sel, dbs[i], NULL,
				      (uint32_t)list << LIST_SHIFT | (uint32_t)i,
				      true, DM_E_CONFIG_GEN_BA_LIST, what, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int add_tables(dm_ba_list *ba, int list, const dm_ba_table *t,
		      size_t n, dm_error **err)
{
	size_t i;
	int rc;

	if (n && !t)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "block-allow list: %s is NULL",
				    list_name[list]);
	for (i = 0; i < n; i++) {
		char what[64];

		snprintf(what, sizeof(what), "block-allow list %s[%zu]",
			 list_name[list], i);
		if (!t[i].db_name || !*t[i].db_name || !t[i].tbl_name ||
		    !*t[i].tbl_name)
			return dm_error_set(err, DM_E_CONFIG_GEN_BA_LIST,
					    "%s: db-name and tbl-name must both be set",
					    what);
		rc = dm__selector_add(ba->sel, t[i].db_name, t[i].tbl_name,
				      (uint32_t)list << LIST_SHIFT | (uint32_t)i,
				      true, DM_E_CONFIG_GEN_BA_LIST, what, err);
		if (rc)
			return rc;
	}
	return 0;
}

int dm_ba_list_new(dm_ba_list **out, const dm_ba_list_def *def,
		   const dm_rules_opts *opts, dm_error **err)
{
	static const dm_ba_list_def empty;
	dm_ba_list *ba;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_ba_list_new: out is NULL");
	*out = NULL;
	if (!def)
		def = &empty;
	if (!opts)
		opts = &default_opts;
	if (def->n_do_dbs > INDEX_MASK || def->n_ignore_dbs > INDEX_MASK ||
	    def->n_do_tables > INDEX_MASK || def->n_ignore_tables > INDEX_MASK)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "block-allow list: too many entries");
	ba = dm__calloc(1, sizeof(*ba));
	if (!ba)
		return dm_error_set(err, DM_E_NO_MEMORY, "block-allow list");
	ba->case_sensitive = opts->case_sensitive;
	rc = dm__rx_env_init(&ba->env);
	if (rc) {
		dm__free(ba);
		return dm_error_set(err, rc, "block-allow list");
	}
	if (dm__selector_new(&ba->sel, &ba->env, ba->case_sensitive)) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, "block-allow list");
		goto out_free;
	}
	rc = add_dbs(ba, L_DO_DBS, def->do_dbs, def->n_do_dbs, err);
	if (rc == 0)
		rc = add_dbs(ba, L_IGNORE_DBS, def->ignore_dbs,
			     def->n_ignore_dbs, err);
	if (rc == 0)
		rc = add_tables(ba, L_DO_TABLES, def->do_tables,
				def->n_do_tables, err);
	if (rc == 0)
		rc = add_tables(ba, L_IGNORE_TABLES, def->ignore_tables,
				def->n_ignore_tables, err);
	if (rc)
		goto out_free;
	rc = dm__selector_freeze(ba->sel);
	if (rc) {
		rc = dm_error_set(err, rc, "block-allow list");
		goto out_free;
	}
	ba->n[L_DO_DBS] = def->n_do_dbs;
	ba->n[L_IGNORE_DBS] = def->n_ignore_dbs;
	ba->n[L_DO_TABLES] = def->n_do_tables;
	ba->n[L_IGNORE_TABLES] = def->n_ignore_tables;
	*out = ba;
	return 0;

out_free:
	dm_ba_list_free(ba);
	return rc;
}

/* The lowest matching entry of each list: the one a person reads first in
 * the configuration. */
static int lowest(void *ud, uint32_t rule, bool schema_level)
{
	long *best = ud;
	uint32_t list = rule >> LIST_SHIFT;
	long index = (long)(rule & INDEX_MASK);

	(void)schema_level;
	if (best[list] < 0 || index < best[list])
		best[list] = index;
	return 0;
}

typedef struct hits {
	const dm_ba_list *ba;
	long best[L_COUNT];
} hits;

static int lowest_hit(void *ud, uint32_t rule, bool schema_level)
{
	hits *h = ud;

	return lowest(h->best, rule, schema_level);
}

/* Regular expressions are tried only while their answer can still
 * change the decision or the entry it names. The schema-level lists are
 * complete before any table-level entry is asked about. */
static bool wanted(void *ud, uint32_t rule, bool schema_level)
{
	const hits *h = ud;
	uint32_t list = rule >> LIST_SHIFT;
	long index = (long)(rule & INDEX_MASK);

	(void)schema_level;
	if (h->best[list] >= 0 && index > h->best[list])
		return false;
	switch (list) {
	case L_IGNORE_DBS:
		return h->ba->n[L_DO_DBS] == 0;
	case L_DO_TABLES:
	case L_IGNORE_TABLES:
		if (h->ba->n[L_DO_DBS] ? h->best[L_DO_DBS] < 0
				       : h->best[L_IGNORE_DBS] >= 0)
			return false; /* the schema step already dropped it */
		return list == L_DO_TABLES || h->best[L_DO_TABLES] < 0;
	default:
		return true;
	}
}

static void decide(dm_ba_decision *out, bool keep, dm_ba_reason reason,
		   long rule)
{
	out->keep = keep;
	out->reason = reason;
	out->rule = rule;
}

int dm_ba_list_check(dm_ba_decision *out, const dm_ba_list *ba,
		     const char *schema, const char *table, dm_error **err)
{
	dm__rules_name sn, tn;
	hits h = { ba, { -1, -1, -1, -1 } };
	long *hit = h.best;
	int rc;

	if (!out || !ba || !schema)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_ba_list_check: NULL argument");
	if (dm_rules_is_system_schema(schema)) {
		decide(out, false, DM_BA_SYSTEM_SCHEMA, -1);
		return 0;
	}
	rc = dm__rules_name_init(&sn, schema, !ba->case_sensitive);
	if (rc)
		return dm_error_set(err, rc, "checking a block-allow list");
	rc = dm__rules_name_init(&tn, table, !ba->case_sensitive);
	if (rc) {
		dm__rules_name_done(&sn);
		return dm_error_set(err, rc, "checking a block-allow list");
	}
	/* One walk finds the matching entries of all four lists. */
	rc = dm__selector_walk(ba->sel, sn.s, sn.len, tn.s, tn.len,
			       lowest_hit, wanted, &h, err);
	dm__rules_name_done(&sn);
	dm__rules_name_done(&tn);
	if (rc)
		return rc;
	/* Schema step. */
	if (ba->n[L_DO_DBS]) {
		if (hit[L_DO_DBS] < 0) {
			decide(out, false, DM_BA_DO_DBS_MISS, -1);
			return 0;
		}
	} else if (ba->n[L_IGNORE_DBS] && hit[L_IGNORE_DBS] >= 0) {
		decide(out, false, DM_BA_IGNORE_DBS_HIT, hit[L_IGNORE_DBS]);
		return 0;
	}
	/* Table step, not for the schema itself. */
	if (tn.len == 0)
		decide(out, true, DM_BA_SCHEMA_PASSED, -1);
	else if (hit[L_DO_TABLES] >= 0)
		decide(out, true, DM_BA_DO_TABLES_HIT, hit[L_DO_TABLES]);
	else if (hit[L_IGNORE_TABLES] >= 0)
		decide(out, false, DM_BA_IGNORE_TABLES_HIT,
		       hit[L_IGNORE_TABLES]);
	else if (ba->n[L_DO_TABLES])
		decide(out, false, DM_BA_DO_TABLES_MISS, -1);
	else
		decide(out, true, DM_BA_NOT_IGNORED, -1);
	return 0;
}

const char *dm_ba_reason_name(dm_ba_reason reason)
{
	switch (reason) {
	case DM_BA_SYSTEM_SCHEMA:
		return "system schema";
	case DM_BA_DO_DBS_MISS:
		return "schema matches no do-dbs";
	case DM_BA_IGNORE_DBS_HIT:
		return "schema matches ignore-dbs";
	case DM_BA_SCHEMA_PASSED:
		return "schema passes the schema step";
	case DM_BA_DO_TABLES_HIT:
		return "table matches do-tables";
	case DM_BA_IGNORE_TABLES_HIT:
		return "table matches ignore-tables";
	case DM_BA_DO_TABLES_MISS:
		return "table matches no do-tables";
	case DM_BA_NOT_IGNORED:
		return "table matches no ignore-tables";
	}
	return "unknown";
}
