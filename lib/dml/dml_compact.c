/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Compaction: successive changes of one row become one change.
 *
 * Why the result equals applying the input one by one. Only tables whose
 * one and only unique key is the identity key take part; their statements
 * (INSERT, UPDATE ... WHERE identity, DELETE ... WHERE identity) read and
 * write the one row their identity value names, and no other unique key
 * can make a statement about one row fail because of another. So changes
 * of different rows commute, and changes of other target tables commute
 * with them (no triggers or foreign keys downstream). The changes of one
 * row (a run) are merged into the change that applying them in turn would
 * amount to, and the merged change takes the place of the run's last
 * change: every change it moves past belongs to another row or table.
 *
 * What stops a run: a change of the same target table that does not take
 * part (another structure routed to the same table, or a key value that
 * the collation may equal to other bytes: non-ASCII or control bytes in a
 * case-insensitive column) ends every run of that table, and an UPDATE
 * that changes the identity key ends the runs of both its rows. Such
 * changes are kept as they are, in place. Runs never span them, so
 * nothing moves past them.
 */
#include "dml/dml_private.h"

#include <string.h>
#include <strings.h>

#include "util/alloc.h"

typedef struct group {
	dm_dml_change m;        /* merged so far */
	const dm_value *kimg;   /* image holding the row's key values */
	uint64_t hash;
	size_t last;            /* input index of the run's last change */
	size_t target;          /* index into the target table */
	unsigned epoch;         /* the target's epoch when the run began */
	bool open;
} group;

typedef struct target {
	uint64_t seed;
	const char *schema, *name;
	unsigned epoch;         /* bumped to end every run of the table */
} target;

typedef struct work {
	group *groups;
	size_t ngroups;
	long *gslots;           /* open addressing: group index or -1 */
	target *targets;
	size_t ntargets;
	long *tslots;           /* open addressing: target index or -1 */
	size_t mask;            /* slots - 1 */
	long *grp;              /* per input: its group, or -1 */
} work;

static bool eligible(const dm_dml_table *t)
{
	return t->identity == 0 && t->nkeys == 1 && t->nskipped == 0;
}

static bool same_target(const target *x, const dm_dml_table *t)
{
	return x->seed == t->seed && strcasecmp(x->schema, t->tschema) == 0 &&
	       strcasecmp(x->name, t->tname) == 0;
}

static size_t find_target(work *w, const dm_dml_table *t)
{
	size_t s = (size_t)t->seed & w->mask;

	while (w->tslots[s] >= 0) {
		if (same_target(&w->targets[w->tslots[s]], t))
			return (size_t)w->tslots[s];
		s = (s + 1) & w->mask;
	}
	w->targets[w->ntargets].seed = t->seed;
	w->targets[w->ntargets].schema = t->tschema;
	w->targets[w->ntargets].name = t->tname;
	w->targets[w->ntargets].epoch = 0;
	w->tslots[s] = (long)w->ntargets;
	return w->ntargets++;
}

/* The open run of this row, or -1. */
static long find_group(const work *w, size_t tg, const dm_dml_table *t,
		       const dm_value *img, uint64_t hash)
{
	size_t s = (size_t)hash & w->mask;

	for (; w->gslots[s] >= 0; s = (s + 1) & w->mask) {
		const group *g = &w->groups[w->gslots[s]];
		const dm_dml_table *gt = g->m.table;

		if (!g->open || g->hash != hash || g->target != tg ||
		    g->epoch != w->targets[tg].epoch)
			continue;
		if (dm__dml_key_equal(gt, &gt->keys[0], g->kimg, t,
				      &t->keys[0], img))
			return w->gslots[s];
	}
	return -1;
}

static long new_group(work *w, const dm_dml_change *c, size_t i, size_t tg,
		      const dm_value *img, uint64_t hash)
{
	size_t s = (size_t)hash & w->mask;
	group *g = &w->groups[w->ngroups];

	while (w->gslots[s] >= 0)
		s = (s + 1) & w->mask;
	g->m = *c;
	g->kimg = img;
	g->hash = hash;
	g->last = i;
	g->target = tg;
	g->epoch = w->targets[tg].epoch;
	g->open = true;
	w->gslots[s] = (long)w->ngroups;
	return (long)w->ngroups++;
}

/* m followed by c, as one change; false when they do not merge. */
static bool merge(dm_dml_change *m, const dm_dml_change *c)
{
	if (m->table != c->table)
		return false;
	switch (m->op) {
	case DM_DML_INSERT:
	case DM_DML_UPDATE:
		if (c->op == DM_DML_UPDATE) {
			m->after = c->after;
		} else if (c->op == DM_DML_DELETE) {
			m->op = DM_DML_DELETE;
			m->before = c->before;
			m->after = NULL;
		} else {
			return false;
		}
		break;
	case DM_DML_DELETE:
		if (c->op == DM_DML_INSERT) {
			/* The row may exist again when replayed: REPLACE. */
			m->op = DM_DML_INSERT;
			m->before = NULL;
			m->after = c->after;
			m->safe = true;
			return true;
		}
		if (c->op != DM_DML_DELETE)
			return false;
		break;
	}
	m->safe = m->safe || c->safe;
	return true;
}

/* Ends the open run of the row of key values img, if any. */
static void close_row(work *w, size_t tg, const dm_dml_table *t,
		      const dm_value *img)
{
	uint64_t h = dm__dml_key_hash(t, &t->keys[0], img);
	long g = find_group(w, tg, t, img, h);

	if (g >= 0)
		w->groups[g].open = false;
}

static void step(work *w, const dm_dml_change *c, size_t i)
{
	const dm_dml_table *t = c ? c->table : NULL;
	const dm_value *img;
	const dml_key *k;
	size_t tg;
	uint64_t h;
	long g;

	w->grp[i] = -1;
	if (!t)
		return;
	tg = find_target(w, t);
	img = c->op == DM_DML_INSERT ? c->after : c->before;
	k = t->keys;
	if (!eligible(t) || !img ||
	    (c->op == DM_DML_UPDATE && !c->after) ||
	    (c->op != DM_DML_INSERT && c->op != DM_DML_UPDATE &&
	     c->op != DM_DML_DELETE) ||
	    !dm__dml_key_present(t, k, img) || dm__dml_key_fuzzy(t, k, img) ||
	    (c->op == DM_DML_UPDATE &&
	     (!dm__dml_key_present(t, k, c->after) ||
	      dm__dml_key_fuzzy(t, k, c->after)))) {
		w->targets[tg].epoch++;
		return;
	}
	if (c->op == DM_DML_UPDATE &&
	    !dm__dml_key_equal(t, k, c->before, t, k, c->after)) {
		close_row(w, tg, t, c->before);
		close_row(w, tg, t, c->after);
		return;
	}
	h = dm__dml_key_hash(t, k, img);
	g = find_group(w, tg, t, img, h);
	if (g >= 0 && merge(&w->groups[g].m, c)) {
		w->groups[g].last = i;
		w->grp[i] = g;
		return;
	}
	if (g >= 0)
		w->groups[g].open = false;
	w->grp[i] = new_group(w, c, i, tg, img, h);
}

static int work_init(work *w, size_t n)
{
	size_t slots = 16, i;

	memset(w, 0, sizeof(*w));
	while (slots < 2 * n) {
		if (slots > SIZE_MAX / 4)
			return DM_E_NO_MEMORY;
		slots *= 2;
	}
	w->mask = slots - 1;
	w->groups = dm__reallocarray(NULL, n, sizeof(*w->groups));
	w->targets = dm__reallocarray(NULL, n, sizeof(*w->targets));
	w->grp = dm__reallocarray(NULL, n, sizeof(*w->grp));
	w->gslots = dm__reallocarray(NULL, slots, sizeof(*w->gslots));
	w->tslots = dm__reallocarray(NULL, slots, sizeof(*w->tslots));
	if (!w->groups || !w->targets || !w->grp || !w->gslots || !w->tslots)
		return DM_E_NO_MEMORY;
	for (i = 0; i < slots; i++)
		w->gslots[i] = w->tslots[i] = -1;
	return 0;
}

static void work_free(work *w)
{
	dm__free(w->groups);
	dm__free(w->targets);
	dm__free(w->grp);
	dm__free(w->gslots);
	dm__free(w->tslots);
}

size_t dm_dml_compact(dm_dml_change *out, const dm_dml_change *const *in,
		      size_t n)
{
	work w;
	size_t i, k = 0;

	if (!out || !in || n == 0)
		return 0;
	if (work_init(&w, n) != 0) {
		/* Without memory, nothing is merged: still a valid answer. */
		work_free(&w);
		for (i = 0; i < n; i++)
			if (in[i])
				out[k++] = *in[i];
		return k;
	}
	for (i = 0; i < n; i++)
		step(&w, in[i], i);
	for (i = 0; i < n; i++) {
		if (!in[i])
			continue;
		if (w.grp[i] < 0)
			out[k++] = *in[i];
		else if (w.groups[w.grp[i]].last == i)
			out[k++] = w.groups[w.grp[i]].m;
	}
	work_free(&w);
	return k;
}
