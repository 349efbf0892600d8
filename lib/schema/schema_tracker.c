/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The schema tracker: every table by (schema, table) under the
 * lower_case_table_names rules, DDL applied in order, copy-on-write
 * snapshots and the JSON form.
 */
#include <string.h>
#include <strings.h>

#include "schema/schema_int.h"
#include "schema/schema_json.h"
#include "util/alloc.h"

#define EXEC_ERR DM_E_SCHEMA_TRACKER_CANNOT_EXEC_DDL

typedef struct entry {
	char *ks, *kt;          /* lookup keys */
	dm_schema_table *t;
} entry;

typedef struct dbinfo {
	char *key;
	char *name;
	char *charset, *collation;
} dbinfo;

struct dm_schema_tracker {
	int lctn;
	dm_sql_parse_opts parse;
	entry *e;
	size_t n, cap;
	dbinfo *db;
	size_t ndb, capdb;
};

/* ----------------------------------------------------------- names */

static char *key_of(const dm_schema_tracker *tr, const char *s)
{
	char *k = dm__strdup(s);
	size_t i;

	if (k && tr->lctn != 0)
		for (i = 0; k[i]; i++)
			if (k[i] >= 'A' && k[i] <= 'Z')
				k[i] = (char)(k[i] - 'A' + 'a');
	return k;
}

/* Stored spelling: lower case under lower_case_table_names=1. */
static char *stored_of(const dm_schema_tracker *tr, const char *s)
{
	return tr->lctn == 1 ? key_of(tr, s) : dm__strdup(s);
}

static int cmp_key(const dm_schema_tracker *tr, const char *a, const char *b)
{
	return tr->lctn ? strcasecmp(a, b) : strcmp(a, b);
}

/* Index of the first entry >= (s, t); *found when equal. */
static size_t lookup(const dm_schema_tracker *tr, const char *s, const char *t,
		     bool *found)
{
	size_t lo = 0, hi = tr->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp_key(tr, tr->e[mid].ks, s);

		if (c == 0)
			c = cmp_key(tr, tr->e[mid].kt, t);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < tr->n && cmp_key(tr, tr->e[lo].ks, s) == 0 &&
		 cmp_key(tr, tr->e[lo].kt, t) == 0;
	return lo;
}

static dbinfo *find_db(const dm_schema_tracker *tr, const char *name)
{
	size_t i;

	for (i = 0; i < tr->ndb; i++)
		if (cmp_key(tr, tr->db[i].key, name) == 0)
			return &tr->db[i];
	return NULL;
}

static void entry_clear(entry *e)
{
	dm__free(e->ks);
	dm__free(e->kt);
	dm__schema_table_unref(e->t);
}

static void db_clear(dbinfo *d)
{
	dm__free(d->key);
	dm__free(d->name);
	dm__free(d->charset);
	dm__free(d->collation);
}

/* Inserts table t (reference taken over) under its own names. */
static int insert_table(dm_schema_tracker *tr, dm_schema_table *t)
{
	bool found;
	size_t at = lookup(tr, t->schema, t->name, &found);
	entry e;

	if (found) {
		dm__schema_table_unref(tr->e[at].t);
		tr->e[at].t = t;
		return 0;
	}
	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 16;
		entry *ne = dm__reallocarray(tr->e, cap, sizeof(*ne));

		if (!ne)
			goto out_nomem;
		tr->e = ne;
		tr->cap = cap;
	}
	e.ks = key_of(tr, t->schema);
	e.kt = key_of(tr, t->name);
	e.t = t;
	if (!e.ks || !e.kt) {
		dm__free(e.ks);
		dm__free(e.kt);
		goto out_nomem;
	}
	memmove(tr->e + at + 1, tr->e + at, (tr->n - at) * sizeof(entry));
	tr->e[at] = e;
	tr->n++;
	return 0;
out_nomem:
	dm__schema_table_unref(t);
	return DM_E_NO_MEMORY;
}

static void remove_at(dm_schema_tracker *tr, size_t at)
{
	entry_clear(&tr->e[at]);
	memmove(tr->e + at, tr->e + at + 1, (tr->n - at - 1) * sizeof(entry));
	tr->n--;
}

/* Records a database; a charset or collation given alone gets its partner,
 * so tables created in it always inherit a whole, canonical pair. */
static int put_db(dm_schema_tracker *tr, const char *name, const char *cs,
		  const char *co)
{
	dbinfo *d = find_db(tr, name), nd;

	/* CHARACTER SET DEFAULT: the server's, which is not known here. */
	if (cs && strcasecmp(cs, "DEFAULT") == 0)
		cs = NULL;
	if (co && strcasecmp(co, "DEFAULT") == 0)
		co = NULL;
	memset(&nd, 0, sizeof(nd));
	if (!d) {
		if (tr->ndb == tr->capdb) {
			size_t cap = tr->capdb ? tr->capdb * 2 : 8;
			dbinfo *n = dm__reallocarray(tr->db, cap, sizeof(*n));

			if (!n)
				return DM_E_NO_MEMORY;
			tr->db = n;
			tr->capdb = cap;
		}
		nd.key = key_of(tr, name);
		nd.name = stored_of(tr, name);
		if (!nd.key || !nd.name) {
			db_clear(&nd);
			return DM_E_NO_MEMORY;
		}
		d = &tr->db[tr->ndb++];
		*d = nd;
	}
	if (cs || co) {
		char *c1, *c2;

		if (dm__schema_resolve_charset(&c1, &c2, cs, co) != 0)
			return DM_E_NO_MEMORY;
		dm__free(d->charset);
		dm__free(d->collation);
		d->charset = c1;
		d->collation = c2;
	}
	return 0;
}

/* ------------------------------------------------------- life cycle */

DM_API int dm_schema_tracker_new(dm_schema_tracker **out,
				 const dm_schema_opts *opts, dm_error **err)
{
	dm_schema_tracker *tr;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_new: out is NULL");
	*out = NULL;
	if (opts && (opts->version != 1 || opts->lower_case_table_names < 0 ||
		     opts->lower_case_table_names > 2))
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_INIT,
				    "bad options (version %u, "
				    "lower_case_table_names %d)",
				    opts->version, opts->lower_case_table_names);
	tr = dm__calloc(1, sizeof(*tr));
	if (!tr)
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	if (opts) {
		tr->lctn = opts->lower_case_table_names;
		tr->parse = opts->parse;
	} else {
		dm_sql_parse_opts p = DM_SQL_PARSE_OPTS_INIT;

		tr->parse = p;
	}
	tr->parse.default_db = NULL;
	*out = tr;
	return 0;
}

static void tracker_clear(dm_schema_tracker *tr)
{
	size_t i;

	for (i = 0; i < tr->n; i++)
		entry_clear(&tr->e[i]);
	for (i = 0; i < tr->ndb; i++)
		db_clear(&tr->db[i]);
	dm__free(tr->e);
	dm__free(tr->db);
	tr->e = NULL;
	tr->db = NULL;
	tr->n = tr->cap = tr->ndb = tr->capdb = 0;
}

DM_API void dm_schema_tracker_free(dm_schema_tracker *tr)
{
	if (!tr)
		return;
	tracker_clear(tr);
	dm__free(tr);
}

/* Copies src's contents into the empty dst (tables shared). */
static int copy_into(dm_schema_tracker *dst, const dm_schema_tracker *src)
{
	size_t i;

	dst->lctn = src->lctn;
	dst->parse = src->parse;
	if (src->n) {
		dst->e = dm__calloc(src->n, sizeof(entry));
		if (!dst->e)
			return DM_E_NO_MEMORY;
		dst->cap = src->n;
	}
	for (i = 0; i < src->n; i++) {
		entry *e = &dst->e[i];

		e->ks = dm__strdup(src->e[i].ks);
		e->kt = dm__strdup(src->e[i].kt);
		e->t = src->e[i].t;
		dm__schema_table_ref(e->t);
		dst->n++;
		if (!e->ks || !e->kt)
			return DM_E_NO_MEMORY;
	}
	for (i = 0; i < src->ndb; i++) {
		int rc = put_db(dst, src->db[i].name, src->db[i].charset,
				src->db[i].collation);

		if (rc != 0)
			return rc;
	}
	return 0;
}

DM_API int dm_schema_tracker_snapshot(dm_schema_tracker **out,
				      const dm_schema_tracker *tr,
				      dm_error **err)
{
	dm_schema_tracker *s;

	if (!out || !tr)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_snapshot: NULL argument");
	*out = NULL;
	s = dm__calloc(1, sizeof(*s));
	if (!s || copy_into(s, tr) != 0) {
		dm_schema_tracker_free(s);
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	}
	*out = s;
	return 0;
}

DM_API int dm_schema_tracker_restore(dm_schema_tracker *tr,
				     const dm_schema_tracker *snap,
				     dm_error **err)
{
	dm_schema_tracker tmp;

	if (!tr || !snap)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_restore: NULL argument");
	if (tr == snap)
		return 0;
	memset(&tmp, 0, sizeof(tmp));
	if (copy_into(&tmp, snap) != 0) {
		tracker_clear(&tmp);
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	}
	tracker_clear(tr);
	*tr = tmp;
	return 0;
}

/* ------------------------------------------------------------ reads */

DM_API const dm_schema_table *dm_schema_tracker_get(const dm_schema_tracker *tr,
						    const char *schema,
						    const char *table)
{
	bool found;
	size_t at;

	if (!tr || !schema || !table)
		return NULL;
	at = lookup(tr, schema, table, &found);
	return found ? tr->e[at].t : NULL;
}

DM_API size_t dm_schema_tracker_count(const dm_schema_tracker *tr)
{
	return tr ? tr->n : 0;
}

DM_API const dm_schema_table *
dm_schema_tracker_table_at(const dm_schema_tracker *tr, size_t i)
{
	return tr && i < tr->n ? tr->e[i].t : NULL;
}

DM_API bool dm_schema_tracker_has_schema(const dm_schema_tracker *tr,
					 const char *schema)
{
	size_t i;

	if (!tr || !schema)
		return false;
	if (find_db(tr, schema))
		return true;
	for (i = 0; i < tr->n; i++)
		if (cmp_key(tr, tr->e[i].ks, schema) == 0)
			return true;
	return false;
}

/* ------------------------------------------------------------ apply */

static const char *schema_of(const dm_sql_table_name *n, const char *def)
{
	return n->schema && *n->schema ? n->schema : (def && *def ? def : NULL);
}

static int no_db(dm_error **err, const char *table)
{
	return dm_error_set(err, EXEC_ERR, "no database selected for `%s`",
			    table);
}

static int new_table(dm_schema_table **out, dm_schema_tracker *tr,
		     const char *schema, const char *name)
{
	char *s = stored_of(tr, schema), *n = stored_of(tr, name);
	const dbinfo *d = find_db(tr, schema);
	dm_schema_table *t = NULL;

	if (s && n)
		t = dm__schema_table_new(s, n);
	dm__free(s);
	dm__free(n);
	if (t && d && d->charset &&
	    dm__schema_table_set_charset(t, d->charset, d->collation) != 0) {
		dm__schema_table_unref(t);
		t = NULL;
	}
	*out = t;
	return t ? 0 : DM_E_NO_MEMORY;
}

static int create_table(dm_schema_tracker *tr, const dm_sql_stmt *stmt,
			const char *def, const char *force_schema,
			const char *force_table, dm_error **err)
{
	const dm_sql_create_table *ct = dm_sql_stmt_create_table(stmt);
	const char *schema = force_schema ? force_schema
					  : schema_of(&ct->name, def);
	const char *name = force_table ? force_table : ct->name.table;
	dm_schema_table *t;
	bool found;
	int rc;

	if (ct->temporary && !force_table)
		return 0; /* temporary tables are not tracked */
	if (!schema)
		return no_db(err, name);
	if (ct->select)
		return dm_error_set(err, EXEC_ERR,
				    "CREATE TABLE ... SELECT is not supported "
				    "(`%s`.`%s`)", schema, name);
	lookup(tr, schema, name, &found);
	if (found && !force_table && !ct->or_replace) {
		if (ct->if_not_exists)
			return 0;
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_CREATE_TABLE,
				    "table `%s`.`%s` already exists", schema,
				    name);
	}
	if (ct->like) {
		const char *ls = schema_of(ct->like, def);
		const dm_schema_table *src =
			ls ? dm_schema_tracker_get(tr, ls, ct->like->table)
			   : NULL;

		if (!src)
			return dm_error_set(err, EXEC_ERR,
					    "LIKE source `%s` is not tracked",
					    ct->like->table);
		t = dm__schema_table_clone(src);
		if (!t)
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "out of memory");
		rc = 0;
		{
			char *s = stored_of(tr, schema), *n = stored_of(tr, name);

			rc = s && n ? dm__schema_table_set_name(t, s, n)
				    : DM_E_NO_MEMORY;
			dm__free(s);
			dm__free(n);
		}
		if (rc != 0) {
			dm__schema_table_unref(t);
			return dm_error_set(err, rc, "out of memory");
		}
	} else {
		if (new_table(&t, tr, schema, name) != 0)
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "out of memory");
		rc = dm__schema_table_from_create(t, ct, err);
		if (rc != 0) {
			dm__schema_table_unref(t);
			return rc;
		}
	}
	if (insert_table(tr, t) != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	return 0;
}

/* The tracked table for a statement, or an error. */
static int find_table(size_t *at, dm_schema_tracker *tr,
		      const dm_sql_table_name *n, const char *def,
		      dm_error **err)
{
	const char *schema = schema_of(n, def);
	bool found;

	if (!schema)
		return no_db(err, n->table);
	*at = lookup(tr, schema, n->table, &found);
	if (!found)
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE,
				    "table `%s`.`%s` is not tracked", schema,
				    n->table);
	return 0;
}

/* Moves the table at `at` to new names. */
static int move_table(dm_schema_tracker *tr, size_t at, const char *schema,
		      const char *name, dm_error **err)
{
	dm_schema_table *t = tr->e[at].t;
	char *s, *n;
	bool found;
	int rc;

	lookup(tr, schema, name, &found);
	if (found)
		return dm_error_set(err, EXEC_ERR,
				    "table `%s`.`%s` already exists", schema,
				    name);
	dm__schema_table_ref(t);
	remove_at(tr, at);
	if (__atomic_load_n(&t->refs, __ATOMIC_ACQUIRE) > 1) {
		dm_schema_table *c = dm__schema_table_clone(t);

		dm__schema_table_unref(t);
		t = c;
		if (!t)
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "out of memory");
	}
	s = stored_of(tr, schema);
	n = stored_of(tr, name);
	rc = s && n ? dm__schema_table_set_name(t, s, n) : DM_E_NO_MEMORY;
	dm__free(s);
	dm__free(n);
	if (rc == 0)
		rc = insert_table(tr, t);
	else
		dm__schema_table_unref(t);
	return rc ? dm_error_set(err, rc, "out of memory") : 0;
}

static int alter_table(dm_schema_tracker *tr, const dm_sql_stmt *stmt,
		       const char *def, dm_error **err)
{
	const dm_sql_alter_table *at = dm_sql_stmt_alter_table(stmt);
	const dm_sql_table_name *rename = NULL;
	const dm_sql_alter_spec *convert = NULL;
	dm_schema_table *t;
	size_t i, pos;
	int rc;

	rc = find_table(&pos, tr, &at->name, def, err);
	if (rc != 0)
		return at->if_exists && rc == DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE
			       ? (dm_error_free(*err), *err = NULL, 0)
			       : rc;
	t = dm__schema_table_clone(tr->e[pos].t);
	if (!t)
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	for (i = 0; rc == 0 && i < at->nspecs; i++) {
		if (at->specs[i]->kind == DM_SQL_ALTER_RENAME_TABLE)
			rename = &at->specs[i]->new_table;
		else if (at->specs[i]->kind == DM_SQL_ALTER_CONVERT_CHARSET)
			convert = at->specs[i]; /* covers every final column */
		else
			rc = dm__schema_table_alter(t, at->specs[i], err);
	}
	if (rc == 0 && convert)
		rc = dm__schema_table_alter(t, convert, err);
	if (rc != 0) {
		dm__schema_table_unref(t);
		return rc;
	}
	dm__schema_table_unref(tr->e[pos].t);
	tr->e[pos].t = t;
	if (rename) {
		const char *ns = schema_of(rename, def);

		if (!ns)
			return no_db(err, rename->table);
		if (cmp_key(tr, ns, t->schema) != 0 ||
		    cmp_key(tr, rename->table, t->name) != 0)
			return move_table(tr, pos, ns, rename->table, err);
	}
	return 0;
}

static int rename_tables(dm_schema_tracker *tr, const dm_sql_stmt *stmt,
			 const char *def, dm_error **err)
{
	const dm_sql_rename_table *rt = dm_sql_stmt_rename_table(stmt);
	size_t i, pos;
	int rc = 0;

	for (i = 0; rc == 0 && i < rt->npairs; i++) {
		const char *ns = schema_of(&rt->pairs[i].to, def);

		rc = find_table(&pos, tr, &rt->pairs[i].from, def, err);
		if (rc == 0 && !ns)
			rc = no_db(err, rt->pairs[i].to.table);
		if (rc == 0)
			rc = move_table(tr, pos, ns, rt->pairs[i].to.table,
					err);
	}
	return rc;
}

static int drop_tables(dm_schema_tracker *tr, const dm_sql_stmt *stmt,
		       const char *def, bool truncate, dm_error **err)
{
	const dm_sql_drop_table *dt = dm_sql_stmt_drop_table(stmt);
	size_t i, pos;
	int rc = 0;

	if (dt->temporary)
		return 0;
	for (i = 0; rc == 0 && i < dt->ntables; i++) {
		rc = find_table(&pos, tr, &dt->tables[i], def, err);
		if (rc == DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE && dt->if_exists) {
			dm_error_free(*err);
			*err = NULL;
			rc = 0;
			continue;
		}
		if (rc == DM_E_SCHEMA_TRACKER_CANNOT_GET_TABLE && !truncate) {
			dm_error_free(*err);
			*err = NULL;
			rc = dm_error_set(err,
					  DM_E_SCHEMA_TRACKER_CANNOT_DROP_TABLE,
					  "unknown table `%s`",
					  dt->tables[i].table);
		}
		if (rc == 0 && !truncate)
			remove_at(tr, pos);
	}
	return rc;
}

/* CREATE INDEX and DROP INDEX. */
static int index_stmt(dm_schema_tracker *tr, const dm_sql_stmt *stmt,
		      const char *def, dm_error **err)
{
	const dm_sql_create_index *ci = dm_sql_stmt_create_index(stmt);
	const dm_sql_drop_index *di = dm_sql_stmt_drop_index(stmt);
	dm_schema_table *t;
	size_t pos;
	int rc;

	rc = find_table(&pos, tr, ci ? &ci->table : &di->table, def, err);
	if (rc != 0)
		return rc;
	t = dm__schema_table_clone(tr->e[pos].t);
	if (!t)
		return dm_error_set(err, DM_E_NO_MEMORY, "out of memory");
	if (ci && ci->or_replace && ci->index->name)
		rc = dm__schema_table_drop_key(t, ci->index->name, true, err);
	if (rc == 0)
		rc = ci ? dm__schema_table_add_key(t, ci->index, false, err)
			: dm__schema_table_drop_key(t, di->name, di->if_exists,
						    err);
	if (rc != 0) {
		dm__schema_table_unref(t);
		return rc;
	}
	dm__schema_table_unref(tr->e[pos].t);
	tr->e[pos].t = t;
	return 0;
}

static int database_stmt(dm_schema_tracker *tr, const dm_sql_stmt *stmt,
			 const char *def, dm_error **err)
{
	const dm_sql_database *d = dm_sql_stmt_database(stmt);
	dm_sql_kind kind = dm_sql_stmt_kind(stmt);
	const char *name = d->name ? d->name : def;
	const char *cs = NULL, *co = NULL;
	size_t i;
	int rc;

	if (!name)
		return dm_error_set(err, EXEC_ERR, "no database selected");
	if (kind == DM_SQL_DROP_DATABASE) {
		bool any = false;
		dbinfo *db = find_db(tr, name);

		if (db) {
			any = true;
			db_clear(db);
			*db = tr->db[--tr->ndb];
		}
		for (i = tr->n; i-- > 0;)
			if (cmp_key(tr, tr->e[i].ks, name) == 0) {
				remove_at(tr, i);
				any = true;
			}
		if (!any && !d->if_exists)
			return dm_error_set(err, EXEC_ERR,
					    "cannot drop database `%s`: not "
					    "tracked", name);
		return 0;
	}
	if (kind == DM_SQL_CREATE_DATABASE && find_db(tr, name) &&
	    !d->or_replace) {
		if (d->if_not_exists)
			return 0;
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_CREATE_SCHEMA,
				    "database `%s` already exists", name);
	}
	for (i = 0; i < d->noptions; i++) {
		if (strstr(d->options[i]->name, "CHARACTER SET") ||
		    strstr(d->options[i]->name, "CHARSET"))
			cs = d->options[i]->value;
		else if (strstr(d->options[i]->name, "COLLATE"))
			co = d->options[i]->value;
	}
	rc = put_db(tr, name, cs, co);
	return rc ? dm_error_set(err, rc, "out of memory") : 0;
}

DM_API int dm_schema_tracker_apply_stmt(dm_schema_tracker *tr,
					const dm_sql_stmt *stmt,
					const char *default_db, dm_error **err)
{
	if (!tr || !stmt)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_apply_stmt: NULL "
				    "argument");
	switch (dm_sql_stmt_kind(stmt)) {
	case DM_SQL_CREATE_DATABASE:
	case DM_SQL_ALTER_DATABASE:
	case DM_SQL_DROP_DATABASE:
		return database_stmt(tr, stmt, default_db, err);
	case DM_SQL_CREATE_TABLE:
	case DM_SQL_CREATE_TABLE_LIKE:
		return create_table(tr, stmt, default_db, NULL, NULL, err);
	case DM_SQL_ALTER_TABLE:
		return alter_table(tr, stmt, default_db, err);
	case DM_SQL_RENAME_TABLE:
		return rename_tables(tr, stmt, default_db, err);
	case DM_SQL_DROP_TABLE:
		return drop_tables(tr, stmt, default_db, false, err);
	case DM_SQL_TRUNCATE_TABLE:
		return drop_tables(tr, stmt, default_db, true, err);
	case DM_SQL_CREATE_INDEX:
	case DM_SQL_DROP_INDEX:
		return index_stmt(tr, stmt, default_db, err);
	default:
		return 0;
	}
}

/* Runs a change on a snapshot-protected tracker: on failure the tracker
 * is left as it was. */
static int apply_atomic(dm_schema_tracker *tr, const dm_sql_stmt *stmt,
			const char *def, dm_error **err)
{
	dm_sql_kind k = dm_sql_stmt_kind(stmt);
	dm_schema_tracker *snap = NULL;
	int rc;

	if (k != DM_SQL_RENAME_TABLE && k != DM_SQL_DROP_TABLE &&
	    k != DM_SQL_DROP_DATABASE)
		return dm_schema_tracker_apply_stmt(tr, stmt, def, err);
	rc = dm_schema_tracker_snapshot(&snap, tr, err);
	if (rc != 0)
		return rc;
	rc = dm_schema_tracker_apply_stmt(tr, stmt, def, err);
	if (rc != 0 && dm_schema_tracker_restore(tr, snap, NULL) != 0)
		rc = DM_E_NO_MEMORY;
	dm_schema_tracker_free(snap);
	return rc;
}

static int wrap_exec_error(dm_error **err, int rc, dm_error *cause,
			   const char *sql, size_t len)
{
	int n = len > 200 ? 200 : (int)len;

	if (rc == DM_E_NO_MEMORY) {
		if (err)
			*err = cause;
		else
			dm_error_free(cause);
		return rc;
	}
	rc = dm_error_set(err, rc, "%s; statement: %.*s",
			  cause ? dm_error_message(cause) : "", n, sql);
	dm_error_free(cause);
	return rc;
}

DM_API int dm_schema_tracker_apply(dm_schema_tracker *tr, const char *sql,
				   size_t len, const char *default_db,
				   dm_error **err)
{
	dm_sql_parse_opts po;
	dm_sql_stmt *stmt = NULL;
	dm_error *e = NULL;
	int rc;

	if (!tr || !sql)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_apply: NULL argument");
	po = tr->parse;
	po.default_db = default_db;
	rc = dm_sql_parse(&stmt, sql, len, &po, &e);
	if (rc != 0)
		return wrap_exec_error(err, EXEC_ERR, e, sql, len);
	rc = apply_atomic(tr, stmt, default_db, &e);
	dm_sql_stmt_free(stmt);
	if (rc != 0)
		return wrap_exec_error(err, rc, e, sql, len);
	return 0;
}

DM_API int dm_schema_tracker_set_table(dm_schema_tracker *tr,
				       const char *schema, const char *table,
				       const char *create_sql, size_t len,
				       dm_error **err)
{
	dm_sql_stmt *stmt = NULL;
	dm_error *e = NULL;
	int rc;

	if (!tr || !schema || !table || !create_sql)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_set_table: NULL "
				    "argument");
	if (!*schema || !*table)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_set_table: empty "
				    "name");
	rc = dm_sql_parse(&stmt, create_sql, len, &tr->parse, &e);
	if (rc == 0 && dm_sql_stmt_kind(stmt) != DM_SQL_CREATE_TABLE) {
		dm_sql_stmt_free(stmt);
		return dm_error_set(err,
				    DM_E_SCHEMA_TRACKER_INVALID_CREATE_TABLE_STMT,
				    "not a CREATE TABLE statement");
	}
	if (rc != 0) {
		rc = dm_error_set(err,
				  DM_E_SCHEMA_TRACKER_INVALID_CREATE_TABLE_STMT,
				  "%s", e ? dm_error_message(e) : "");
		dm_error_free(e);
		return rc;
	}
	rc = create_table(tr, stmt, NULL, schema, table, err);
	dm_sql_stmt_free(stmt);
	return rc;
}

DM_API int dm_schema_tracker_remove_table(dm_schema_tracker *tr,
					  const char *schema,
					  const char *table, dm_error **err)
{
	bool found;
	size_t at;

	if (!tr || !schema || !table)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_remove_table: NULL "
				    "argument");
	at = lookup(tr, schema, table, &found);
	if (!found)
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_DROP_TABLE,
				    "table `%s`.`%s` is not tracked", schema,
				    table);
	remove_at(tr, at);
	return 0;
}

/* ------------------------------------------------------------- JSON */

DM_API int dm_schema_tracker_to_json(dm_buf *out, const dm_schema_tracker *tr,
				     dm_error **err)
{
	dm_buf sql = DM_BUF_INIT;
	size_t i;
	int rc;

	if (!out || !tr)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_to_json: NULL argument");
	rc = dm_buf_printf(out, "{\"version\":1,\"lower_case_table_names\":%d,"
				"\"databases\":[", tr->lctn);
	for (i = 0; rc == 0 && i < tr->ndb; i++) {
		rc = dm_buf_puts(out, i ? ",{\"name\":" : "{\"name\":");
		rc = rc ? rc : dm__sjson_put_string(out, tr->db[i].name);
		rc = rc ? rc : dm_buf_puts(out, ",\"charset\":");
		rc = rc ? rc : dm__sjson_put_string(out, tr->db[i].charset);
		rc = rc ? rc : dm_buf_puts(out, ",\"collation\":");
		rc = rc ? rc : dm__sjson_put_string(out, tr->db[i].collation);
		rc = rc ? rc : dm_buf_putc(out, '}');
	}
	rc = rc ? rc : dm_buf_puts(out, "],\"tables\":[");
	for (i = 0; rc == 0 && i < tr->n; i++) {
		const dm_schema_table *t = tr->e[i].t;

		dm_buf_clear(&sql);
		rc = dm_schema_table_create_sql(&sql, t, err);
		if (rc != 0)
			break;
		rc = dm_buf_puts(out, i ? ",{\"schema\":" : "{\"schema\":");
		rc = rc ? rc : dm__sjson_put_string(out, t->schema);
		rc = rc ? rc : dm_buf_puts(out, ",\"table\":");
		rc = rc ? rc : dm__sjson_put_string(out, t->name);
		rc = rc ? rc : dm_buf_puts(out, ",\"create\":");
		rc = rc ? rc : dm__sjson_put_string(out, sql.data);
		rc = rc ? rc : dm_buf_putc(out, '}');
	}
	rc = rc ? rc : dm_buf_puts(out, "]}");
	dm_buf_free(&sql);
	if (rc != 0)
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_CANNOT_SERIALIZE,
				    "out of memory");
	return 0;
}

static const char *str_or_null(const sjson *v, bool *bad)
{
	if (!v || v->kind == SJSON_NULL)
		return NULL;
	if (v->kind != SJSON_STRING)
		*bad = true;
	return v->kind == SJSON_STRING ? v->str : NULL;
}

static int load_json(dm_schema_tracker *tr, const sjson *root, dm_error **err)
{
	const sjson *dbs = dm__sjson_get(root, "databases");
	const sjson *tables = dm__sjson_get(root, "tables");
	const sjson *ver = dm__sjson_get(root, "version");
	size_t i;
	bool bad = false;
	int rc = 0;

	if (!ver || ver->kind != SJSON_NUMBER || ver->num != 1 || !dbs ||
	    dbs->kind != SJSON_ARRAY || !tables || tables->kind != SJSON_ARRAY)
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_INVALID_JSON,
				    "expected version 1 with databases and "
				    "tables arrays");
	for (i = 0; rc == 0 && i < dbs->n; i++) {
		const char *name =
			str_or_null(dm__sjson_get(dbs->items[i], "name"), &bad);
		const char *cs = str_or_null(
			dm__sjson_get(dbs->items[i], "charset"), &bad);
		const char *co = str_or_null(
			dm__sjson_get(dbs->items[i], "collation"), &bad);

		if (!name || bad)
			return dm_error_set(err,
					    DM_E_SCHEMA_TRACKER_INVALID_JSON,
					    "database %zu: bad entry", i);
		rc = put_db(tr, name, cs, co);
		if (rc != 0)
			return dm_error_set(err, rc, "out of memory");
	}
	for (i = 0; rc == 0 && i < tables->n; i++) {
		const sjson *t = tables->items[i];
		const char *s = str_or_null(dm__sjson_get(t, "schema"), &bad);
		const char *n = str_or_null(dm__sjson_get(t, "table"), &bad);
		const char *c = str_or_null(dm__sjson_get(t, "create"), &bad);

		if (!s || !n || !c || bad)
			return dm_error_set(err,
					    DM_E_SCHEMA_TRACKER_INVALID_JSON,
					    "table %zu: bad entry", i);
		rc = dm_schema_tracker_set_table(tr, s, n, c, strlen(c), err);
	}
	return rc;
}

DM_API int dm_schema_tracker_from_json(dm_schema_tracker **out,
				       const char *json, size_t len,
				       const dm_schema_opts *opts,
				       dm_error **err)
{
	dm_schema_opts o = DM_SCHEMA_OPTS_INIT;
	const sjson *lc;
	sjson *root;
	size_t stop = 0;
	int rc;

	if (!out || !json)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_schema_tracker_from_json: NULL "
				    "argument");
	*out = NULL;
	rc = dm__sjson_parse(&root, json, len, &stop);
	if (rc == DM_E_NO_MEMORY)
		return dm_error_set(err, rc, "out of memory");
	if (rc != 0)
		return dm_error_set(err, rc, "not valid JSON (byte offset %zu)",
				    stop);
	if (root->kind != SJSON_OBJECT) {
		dm__sjson_free(root);
		return dm_error_set(err, DM_E_SCHEMA_TRACKER_INVALID_JSON,
				    "not a JSON object");
	}
	if (opts)
		o = *opts;
	lc = dm__sjson_get(root, "lower_case_table_names");
	if (lc && lc->kind == SJSON_NUMBER && lc->num >= 0 && lc->num <= 2)
		o.lower_case_table_names = (int)lc->num;
	rc = dm_schema_tracker_new(out, &o, err);
	if (rc == 0)
		rc = load_json(*out, root, err);
	dm__sjson_free(root);
	if (rc != 0) {
		dm_schema_tracker_free(*out);
		*out = NULL;
	}
	return rc;
}
