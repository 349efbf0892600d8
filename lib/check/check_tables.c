/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table rules over SHOW CREATE TABLE parsed by lib/sql: keys, foreign
 * keys, character sets and collations (table_schema); column lists of
 * tables merged into one target and their auto-increment keys
 * (schema_of_shard_tables, auto_increment_ID); target names that differ
 * only in case (DM's 26001).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "check/check_private.h"
#include "dm/util.h"
#include "util/alloc.h"

const char *dm__check_target_schema(const dm_check_table *t)
{
	return t->target_schema && *t->target_schema ? t->target_schema :
						       t->schema;
}

const char *dm__check_target_table(const dm_check_table *t)
{
	return t->target_table && *t->target_table ? t->target_table :
						     t->table;
}

/* -------------------------------------------------------- charsets */

/* Without the target's own list: the character sets DM accepts (TiDB's),
 * plus utf8mb3, MySQL 8's name for utf8. */
static const char *const builtin_charsets[] = {
	"ascii", "binary", "gb18030", "gbk", "latin1", "utf8", "utf8mb3",
	"utf8mb4",
};

void dm__check_charsets_init(dm__check_charsets *cs)
{
	dm__map_init(&cs->charsets, DM__MAP_BYTES, NULL);
	dm__map_init(&cs->collations, DM__MAP_BYTES, NULL);
	cs->from_target = false;
}

void dm__check_charsets_free(dm__check_charsets *cs)
{
	dm__map_free(&cs->charsets);
	dm__map_free(&cs->collations);
}

static char *lower_dup(const char *s)
{
	char *out = dm__strdup(s);
	char *p;

	for (p = out; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return out;
}

int dm__check_charsets_add(dm__check_charsets *cs, bool collation,
			   const char *name)
{
	char *key = lower_dup(name ? name : "");
	int rc;

	if (!key)
		return DM_E_NO_MEMORY;
	rc = dm__map_put(NULL, collation ? &cs->collations : &cs->charsets,
			 key, strlen(key), (void *)cs);
	dm__free(key);
	return rc;
}

/* 1: known, 0: unknown, <0: out of memory. */
static int charset_known(const dm__check_charsets *cs, bool collation,
			 const char *name)
{
	char *key;
	size_t i;
	bool found;

	if (!cs->from_target) {
		if (collation)
			return 1;
		for (i = 0; i < sizeof(builtin_charsets) /
					sizeof(builtin_charsets[0]);
		     i++)
			if (strcasecmp(name, builtin_charsets[i]) == 0)
				return 1;
		return 0;
	}
	key = lower_dup(name);
	if (!key)
		return DM_E_NO_MEMORY;
	found = dm__map_find(NULL, collation ? &cs->collations : &cs->charsets,
			     key, strlen(key));
	dm__free(key);
	return found;
}

/* ------------------------------------------------------ table_schema */

static bool name_eq(const char *a, const char *b)
{
	return a && b && strcasecmp(a, b) == 0;
}

static bool option_is(const dm_sql_table_option *o, const char *const *names)
{
	for (; *names; names++)
		if (strcasecmp(o->name, *names) == 0)
			return true;
	return false;
}

static const char *const charset_options[] = {
	"DEFAULT CHARSET", "CHARSET", "DEFAULT CHARACTER SET",
	"CHARACTER SET", NULL
};
static const char *const collate_options[] = { "DEFAULT COLLATE", "COLLATE",
					       NULL };

static const char *option_text(const dm_sql_table_option *o)
{
	return o->is_string ? o->str.ptr : o->value;
}

static bool has_key(const dm_sql_create_table *ct)
{
	size_t i;

	for (i = 0; i < ct->nindexes; i++)
		if (ct->indexes[i]->kind == DM_SQL_INDEX_PRIMARY ||
		    ct->indexes[i]->kind == DM_SQL_INDEX_UNIQUE)
			return true;
	for (i = 0; i < ct->ncolumns; i++)
		if (ct->columns[i]->primary_key || ct->columns[i]->unique_key)
			return true;
	return false;
}

#define CHARSET_FIX "Convert the table to a character set and collation " \
		    "the target supports, e.g. ALTER TABLE ... CONVERT TO " \
		    "CHARACTER SET utf8mb4."

static int check_charset(dm__check_item *it, const dm__check_charsets *cs,
			 const char *table_id, const char *column,
			 bool collation, const char *name)
{
	int known;

	if (!name || !*name || strcasecmp(name, "binary") == 0)
		return 0;
	known = charset_known(cs, collation, name);
	if (known < 0)
		return known;
	if (known)
		return 0;
	if (column)
		return dm__check_item_error(
			it, DM_CHECK_FAIL, NULL, NULL, CHARSET_FIX,
			"table %s column %s %s %s is not supported by the target",
			table_id, column, collation ? "collation" : "charset",
			name);
	return dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL, CHARSET_FIX,
				    "table %s %s %s is not supported by the "
				    "target",
				    table_id,
				    collation ? "collation" : "charset", name);
}

int dm__check_table_eval(dm__check_item *it, const char *table_id,
			 const dm_sql_stmt *stmt, const dm__check_charsets *cs)
{
	const dm_sql_create_table *ct = dm_sql_stmt_create_table(stmt);
	size_t i;
	int rc = 0;

	if (!ct || dm_sql_stmt_kind(stmt) != DM_SQL_CREATE_TABLE)
		return dm__check_item_error(
			it, DM_CHECK_FAIL, NULL, NULL, NULL,
			"table %s: SHOW CREATE TABLE gave %s, not CREATE TABLE",
			table_id, dm_sql_kind_name(dm_sql_stmt_kind(stmt)));
	if (!has_key(ct))
		rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL,
					  "please set primary/unique key for "
					  "the table",
					  "table %s primary/unique key does "
					  "not exist",
					  table_id);
	for (i = 0; i < ct->nindexes && !rc; i++) {
		const dm_sql_index *x = ct->indexes[i];

		if (x->kind != DM_SQL_INDEX_FOREIGN)
			continue;
		rc = dm__check_item_error(
			it, DM_CHECK_WARN, NULL, NULL,
			"Make sure the target keeps or drops this foreign key "
			"on purpose; rows and cascaded changes arrive in "
			"binlog order, not in foreign key order.",
			"table %s Foreign Key %s is not enforced by the "
			"migration",
			table_id,
			x->constraint ? x->constraint :
			x->name	      ? x->name :
					"(unnamed)");
	}
	for (i = 0; i < ct->noptions && !rc; i++) {
		const dm_sql_table_option *o = ct->options[i];

		if (option_is(o, charset_options))
			rc = check_charset(it, cs, table_id, NULL, false,
					   option_text(o));
		else if (option_is(o, collate_options))
			rc = check_charset(it, cs, table_id, NULL, true,
					   option_text(o));
	}
	for (i = 0; i < ct->ncolumns && !rc; i++) {
		const dm_sql_column *c = ct->columns[i];

		if (!c->type)
			continue;
		rc = check_charset(it, cs, table_id, c->name, false,
				   c->type->charset);
		if (!rc)
			rc = check_charset(it, cs, table_id, c->name, true,
					   c->type->collation);
	}
	return rc;
}

/* ------------------------------------------------------------ shards */

static bool in_index(const dm_sql_create_table *ct, const char *col,
		     dm_sql_index_kind kind, bool single)
{
	size_t i, j;

	for (i = 0; i < ct->nindexes; i++) {
		const dm_sql_index *x = ct->indexes[i];

		if (x->kind != kind || (single && x->nparts != 1))
			continue;
		for (j = 0; j < x->nparts; j++)
			if (name_eq(x->parts[j]->column, col))
				return true;
	}
	return false;
}

static int put_lower(dm_buf *b, const char *s)
{
	int rc = 0;

	for (; s && *s && !rc; s++)
		rc = dm_buf_putc(b, (char)tolower((unsigned char)*s));
	return rc;
}

/* "name type": the lower-case name and the type as written. */
static int column_type(dm_buf *b, const dm_sql_column *c)
{
	const dm_sql_data_type *t = c->type;
	size_t i;
	int rc;

	rc = put_lower(b, c->name);
	if (!rc)
		rc = dm_buf_putc(b, ' ');
	if (!t || rc)
		return rc;
	rc = put_lower(b, t->name);
	if (!rc && t->length >= 0 && t->scale >= 0)
		rc = dm_buf_printf(b, "(%lld,%lld)", t->length, t->scale);
	else if (!rc && t->length >= 0)
		rc = dm_buf_printf(b, "(%lld)", t->length);
	if (!rc && t->nvalues) {
		rc = dm_buf_putc(b, '(');
		for (i = 0; i < t->nvalues && !rc; i++) {
			rc = dm_buf_puts(b, i ? ",'" : "'");
			if (!rc)
				rc = dm_buf_append(b, t->values[i].ptr,
						   t->values[i].len);
			if (!rc)
				rc = dm_buf_putc(b, '\'');
		}
		if (!rc)
			rc = dm_buf_putc(b, ')');
	}
	if (!rc && t->is_unsigned)
		rc = dm_buf_puts(b, " unsigned");
	if (!rc && t->zerofill)
		rc = dm_buf_puts(b, " zerofill");
	if (!rc && t->binary)
		rc = dm_buf_puts(b, " binary");
	if (!rc && t->charset)
		rc = dm_buf_printf(b, " character set %s", t->charset);
	if (!rc && t->collation)
		rc = dm_buf_printf(b, " collate %s", t->collation);
	return rc;
}

/* DM's brief column: "name type[ primary key| unique key]". */
static int brief_column(dm_buf *b, const dm_sql_create_table *ct,
			const dm_sql_column *c)
{
	int rc = column_type(b, c);

	if (rc)
		return rc;
	if (c->primary_key || in_index(ct, c->name, DM_SQL_INDEX_PRIMARY, false))
		return dm_buf_puts(b, " primary key");
	if (c->unique_key || in_index(ct, c->name, DM_SQL_INDEX_UNIQUE, false))
		return dm_buf_puts(b, " unique key");
	return 0;
}

/* "[a b c]", as Go prints a []string. */
static int column_names(dm_buf *b, const dm_sql_create_table *ct)
{
	size_t i;
	int rc = dm_buf_putc(b, '[');

	for (i = 0; i < ct->ncolumns && !rc; i++) {
		if (i)
			rc = dm_buf_putc(b, ' ');
		if (!rc)
			rc = put_lower(b, ct->columns[i]->name);
	}
	return rc ? rc : dm_buf_putc(b, ']');
}

/* Pessimistic merges need the very same column list everywhere. */
static int compare_pessimistic(dm__check_item *it,
			       const dm__check_shard_member *self,
			       const dm__check_shard_member *other,
			       bool *differs)
{
	const dm_sql_create_table *a = dm_sql_stmt_create_table(self->stmt);
	const dm_sql_create_table *b = dm_sql_stmt_create_table(other->stmt);
	dm_buf sb = DM_BUF_INIT, ob = DM_BUF_INIT;
	size_t i;
	int rc = 0;

	if (a->ncolumns != b->ncolumns) {
		rc = dm_buf_printf(&sb, "sourceID %s table %s columns ",
				   self->source_id, self->table_id);
		if (!rc)
			rc = column_names(&sb, a);
		if (!rc)
			rc = dm_buf_printf(&ob, "sourceID %s table %s columns ",
					   other->source_id, other->table_id);
		if (!rc)
			rc = column_names(&ob, b);
		if (!rc)
			rc = dm__check_item_error(
				it, DM_CHECK_FAIL, sb.data, ob.data, NULL,
				"column length mismatch (self: %zu vs other: "
				"%zu)",
				a->ncolumns, b->ncolumns);
		*differs = true;
		goto out;
	}
	for (i = 0; i < a->ncolumns && !rc; i++) {
		dm_buf_clear(&sb);
		dm_buf_clear(&ob);
		rc = brief_column(&sb, a, a->columns[i]);
		if (!rc)
			rc = brief_column(&ob, b, b->columns[i]);
		if (rc || strcmp(sb.data, ob.data) == 0)
			continue;
		{
			dm_buf s2 = DM_BUF_INIT, o2 = DM_BUF_INIT;

			rc = dm_buf_printf(&s2, "sourceID %s table %s column %s",
					   self->source_id, self->table_id,
					   sb.data);
			if (!rc)
				rc = dm_buf_printf(&o2,
						   "sourceID %s table %s column %s",
						   other->source_id,
						   other->table_id, ob.data);
			if (!rc)
				rc = dm__check_item_error(
					it, DM_CHECK_FAIL, s2.data, o2.data,
					NULL, "different column definition");
			dm_buf_free(&s2);
			dm_buf_free(&o2);
		}
		*differs = true;
		break;
	}
out:
	dm_buf_free(&sb);
	dm_buf_free(&ob);
	return rc;
}

/* Optimistic merges accept different column sets, but a column that
 * appears in several tables must have one type. */
static int compare_optimistic(dm__check_item *it,
			      const dm__check_shard_member *m, size_t n,
			      size_t k, bool *differs)
{
	const dm_sql_create_table *b = dm_sql_stmt_create_table(m[k].stmt);
	dm_buf sb = DM_BUF_INIT, ob = DM_BUF_INIT;
	size_t i, j, c;
	int rc = 0;

	for (c = 0; c < b->ncolumns && !rc; c++) {
		const dm_sql_column *col = b->columns[c];

		for (i = 0; i < k && !rc; i++) {
			const dm_sql_create_table *a;

			if (!m[i].stmt)
				continue;
			a = dm_sql_stmt_create_table(m[i].stmt);
			for (j = 0; j < a->ncolumns; j++)
				if (name_eq(a->columns[j]->name, col->name))
					break;
			if (j == a->ncolumns)
				continue;
			dm_buf_clear(&sb);
			dm_buf_clear(&ob);
			rc = column_type(&sb, a->columns[j]);
			if (!rc)
				rc = column_type(&ob, col);
			if (rc || strcmp(sb.data, ob.data) == 0)
				break; /* checked against the first holder */
			{
				dm_buf s2 = DM_BUF_INIT, o2 = DM_BUF_INIT;

				rc = dm_buf_printf(
					&s2, "sourceID %s table %s column %s",
					m[i].source_id, m[i].table_id, sb.data);
				if (!rc)
					rc = dm_buf_printf(
						&o2,
						"sourceID %s table %s column %s",
						m[k].source_id, m[k].table_id,
						ob.data);
				if (!rc)
					rc = dm__check_item_error(
						it, DM_CHECK_FAIL, s2.data,
						o2.data, NULL,
						"column %s has different "
						"definitions",
						col->name);
				dm_buf_free(&s2);
				dm_buf_free(&o2);
			}
			*differs = true;
			break;
		}
	}
	(void)n;
	dm_buf_free(&sb);
	dm_buf_free(&ob);
	return rc;
}

/* An auto-increment column that alone is a primary or unique key: the
 * shards count it up independently, so the merged values collide. */
static int check_auto_inc(dm__check_item *it, const char *target_id,
			  const dm__check_shard_member *m, bool *found)
{
	const dm_sql_create_table *ct = dm_sql_stmt_create_table(m->stmt);
	size_t i;
	int rc = 0;

	for (i = 0; i < ct->ncolumns && !rc; i++) {
		const dm_sql_column *c = ct->columns[i];

		if (!c->auto_increment)
			continue;
		if (!c->primary_key && !c->unique_key &&
		    !in_index(ct, c->name, DM_SQL_INDEX_PRIMARY, true) &&
		    !in_index(ct, c->name, DM_SQL_INDEX_UNIQUE, true))
			continue;
		rc = dm__check_item_error(
			it, DM_CHECK_FAIL, NULL, NULL,
			"Make the key unique across the shards (e.g. a "
			"composite key with a shard column, or a different "
			"key on the target), or ignore auto_increment_ID "
			"when the values never overlap.",
			"sourceID %s table %s of sharding %s have "
			"auto-increment key %s, would conflict with each "
			"other to cause data corruption",
			m->source_id, m->table_id, target_id, c->name);
		*found = true;
	}
	return rc;
}

int dm__check_shard_eval(dm__check_item *it, const char *target_id,
			 const dm__check_shard_member *m, size_t n,
			 bool optimistic, bool check_auto_inc_keys)
{
	const dm__check_shard_member *first = NULL;
	dm_buf extra = DM_BUF_INIT;
	bool differs = false, auto_inc = false;
	size_t i;
	int rc = 0;

	for (i = 0; i < n && !rc; i++) {
		if (!m[i].stmt) {
			rc = dm__check_item_error(it, DM_CHECK_FAIL, NULL, NULL,
						  NULL,
						  "sourceID %s table %s: %s",
						  m[i].source_id, m[i].table_id,
						  m[i].error ? m[i].error :
							       "no structure");
			continue;
		}
		if (dm_sql_stmt_kind(m[i].stmt) != DM_SQL_CREATE_TABLE)
			continue;
		if (check_auto_inc_keys)
			rc = check_auto_inc(it, target_id, &m[i], &auto_inc);
		if (rc)
			break;
		if (!first) {
			first = &m[i];
			continue;
		}
		rc = optimistic ? compare_optimistic(it, m, n, i, &differs) :
				  compare_pessimistic(it, first, &m[i],
						      &differs);
	}
	if (rc)
		goto out;
	if (differs)
		rc = dm_buf_printf(&extra, "error on sharding %s", target_id);
	else if (auto_inc)
		rc = dm_buf_puts(&extra, "auto-increment key checking");
	else if (optimistic)
		rc = dm_buf_printf(&extra, "sharding %s", target_id);
	else
		rc = dm_buf_printf(&extra, "sourceID %s on sharding %s",
				   first ? first->source_id : "", target_id);
	if (!rc)
		rc = dm__check_item_set_extra(it, extra.data);
	if (!rc && differs)
		rc = dm__check_item_set_instruction(
			it, optimistic ? "please set compatible table structure "
					 "for sharding tables" :
					 "please set same table structure for "
					 "sharding tables");
out:
	dm_buf_free(&extra);
	return rc;
}

/* ------------------------------------------------------ name clashes */

int dm__check_same_table_names(const dm_check_opts *opts, dm_error **err)
{
	dm__map seen, exact;
	dm_buf id = DM_BUF_INIT, lower = DM_BUF_INIT, msgs = DM_BUF_INIT;
	size_t s, t, k;
	int rc = 0;

	dm__map_init(&seen, DM__MAP_BYTES, dm__free);
	dm__map_init(&exact, DM__MAP_BYTES, NULL);
	for (s = 0; s < opts->nsources && !rc; s++) {
		const dm_check_source *src = &opts->sources[s];

		for (t = 0; t < src->ntables && !rc; t++) {
			const dm_check_table *tb = &src->tables[t];
			char *prev;

			dm_buf_clear(&id);
			dm_buf_clear(&lower);
			rc = dm__check_table_id(&id,
						dm__check_target_schema(tb),
						dm__check_target_table(tb));
			if (!rc)
				rc = put_lower(&lower, id.data);
			if (rc)
				break;
			/* Each spelling is reported once. */
			if (dm__map_find(NULL, &exact, id.data, id.len))
				continue;
			rc = dm__map_put(NULL, &exact, id.data, id.len, &exact);
			if (rc)
				break;
			prev = dm__map_get(&seen, lower.data, lower.len);
			if (prev) {
				if (strcmp(prev, id.data) != 0)
					rc = dm_buf_printf(
						&msgs, "%ssame target table %s "
						       "vs %s",
						msgs.len ? " " : "", prev,
						id.data);
				continue;
			}
			prev = dm__strdup(id.data);
			if (!prev) {
				rc = DM_E_NO_MEMORY;
				break;
			}
			rc = dm__map_put(NULL, &seen, lower.data, lower.len,
					 prev);
			if (rc)
				dm__free(prev);
		}
	}
	k = msgs.len;
	if (!rc && k)
		rc = dm_error_set(err, DM_E_TASK_CHECK_SAME_TABLE_NAME, "[%s]",
				  msgs.data);
	else if (rc)
		rc = dm_error_set(err, rc, "cannot compare target table names");
	dm__map_free(&seen);
	dm__map_free(&exact);
	dm_buf_free(&id);
	dm_buf_free(&lower);
	dm_buf_free(&msgs);
	return rc;
}
