/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Target tables: what the SQL generator, the causality keys and the
 * compactor need to know about one upstream table and where its rows go,
 * taken once from the schema tracker's model and kept immutable.
 */
#include "dml/dml_private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dm/db.h"
#include "util/alloc.h"

static void free_strs(dm_dml_table *t)
{
	dm__free(t->tschema);
	dm__free(t->tname);
	dm__free(t->sschema);
	dm__free(t->sname);
	dm__free(t->qtable);
	dm__free(t->collist);
	dm__free(t->odku);
}

void dm_dml_table_free(dm_dml_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; t->cols && i < t->ncols; i++) {
		dm__free(t->cols[i].quoted);
		dm__free(t->cols[i].lname);
	}
	dm__free(t->cols);
	for (i = 0; t->keys && i < t->nkeys; i++) {
		dm__free(t->keys[i].cols);
		dm__free(t->keys[i].prefix);
	}
	dm__free(t->keys);
	free_strs(t);
	dm__free(t);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* MariaDB's fixed-size binary types: the binlog logs them like BINARY(n)
 * with trailing zero bytes dropped, which these types do not pad back. */
static uint8_t fixed_bin(const char *type_name)
{
	if (!type_name)
		return 0;
	if (strcasecmp(type_name, "INET6") == 0 ||
	    strcasecmp(type_name, "UUID") == 0)
		return 16;
	if (strcasecmp(type_name, "INET4") == 0)
		return 4;
	return 0;
}

static uint8_t int_bits(const char *type_name)
{
	static const struct {
		const char *name;
		uint8_t bits;
	} ints[] = {
		{ "TINYINT", 8 }, { "SMALLINT", 16 }, { "MEDIUMINT", 24 },
		{ "INT", 32 },    { "BIGINT", 64 },
	};
	size_t i;

	for (i = 0; type_name && i < sizeof(ints) / sizeof(ints[0]); i++)
		if (strcasecmp(type_name, ints[i].name) == 0)
			return ints[i].bits;
	return 0;
}

static bool is_text_type(const char *type_name)
{
	static const char *const text[] = { "CHAR", "VARCHAR", "TINYTEXT",
					    "TEXT", "MEDIUMTEXT", "LONGTEXT",
					    "JSON" };
	size_t i;

	for (i = 0; type_name && i < sizeof(text) / sizeof(text[0]); i++)
		if (strcasecmp(type_name, text[i]) == 0)
			return true;
	return false;
}

/* Charset and collation decide how strings are written and compared:
 * "_ci" collations ignore ASCII case, every collation but "binary", the
 * NO PAD ones and MySQL's UCA 9.0.0 ones ignores trailing spaces. A text
 * column whose charset the model does not know (the server's default)
 * is taken as case-insensitive with PAD SPACE, and its values' collation
 * ids tell how to write them. */
static void text_class(dml_col *c, const dm_schema_column *sc)
{
	const char *cs = sc->charset, *co = sc->collation;

	c->text = DML_TEXT_UTF8;
	if (!cs) {
		if (is_text_type(sc->type_name))
			c->flags |= DML_COL_TEXT | DML_COL_CI | DML_COL_PAD |
				    DML_COL_CS_UNKNOWN;
		return;
	}
	if (strcasecmp(cs, "binary") == 0)
		return;
	c->flags |= DML_COL_TEXT;
	if (starts_with(cs, "ucs2") || starts_with(cs, "utf16") ||
	    starts_with(cs, "utf32"))
		c->text = DML_TEXT_WIDE;
	else if (!starts_with(cs, "utf8"))
		c->text = DML_TEXT_ASCII;
	if (!co || ends_with(co, "_ci"))
		c->flags |= DML_COL_CI;
	if (!co || (!strstr(co, "nopad") && !strstr(co, "NOPAD") &&
		    !strstr(co, "_0900_")))
		c->flags |= DML_COL_PAD;
}

static char *lower_dup(const char *s)
{
	char *d = dm__strdup(s);
	size_t i;

	for (i = 0; d && d[i]; i++)
		if (d[i] >= 'A' && d[i] <= 'Z')
			d[i] = (char)(d[i] - 'A' + 'a');
	return d;
}

static int quote_dup(char **out, size_t *len, const char *name)
{
	dm_buf b = DM_BUF_INIT;
	int rc = dm_db_quote_ident(&b, name, strlen(name));

	if (rc) {
		dm_buf_free(&b);
		return rc;
	}
	*len = b.len;
	*out = dm_buf_detach(&b);
	return 0;
}

static int init_col(dml_col *c, const dm_schema_column *sc)
{
	int rc;

	if (!sc || !sc->name || !sc->name[0])
		return DM_E_INVALID_ARGUMENT;
	rc = quote_dup(&c->quoted, &c->quoted_len, sc->name);
	if (rc)
		return rc;
	c->lname = lower_dup(sc->name);
	if (!c->lname)
		return DM_E_NO_MEMORY;
	if (sc->generated)
		c->flags |= DML_COL_GENERATED;
	if (sc->is_unsigned)
		c->flags |= DML_COL_UNSIGNED;
	if (sc->nullable)
		c->flags |= DML_COL_NULLABLE;
	c->int_bits = int_bits(sc->type_name);
	c->fixed_bin = fixed_bin(sc->type_name);
	text_class(c, sc);
	return 0;
}

/* Fills k from a PRIMARY or UNIQUE key; false when a part is not a plain
 * column of the table (an expression), which makes the key unusable. */
static int init_key(dml_key *k, bool *usable, const dm_schema_table *src,
		    const dm_schema_key *sk, const dm_dml_table *t)
{
	dml_hash h;
	size_t i;

	*usable = false;
	if (sk->nparts == 0)
		return 0;
	for (i = 0; i < sk->nparts; i++)
		if (!sk->parts[i].column ||
		    dm_schema_table_find_column(src, sk->parts[i].column) < 0)
			return 0;
	k->cols = dm__calloc(sk->nparts, sizeof(*k->cols));
	k->prefix = dm__calloc(sk->nparts, sizeof(*k->prefix));
	if (!k->cols || !k->prefix) {
		dm__free(k->cols);
		dm__free(k->prefix);
		k->cols = NULL;
		k->prefix = NULL;
		return DM_E_NO_MEMORY;
	}
	k->n = sk->nparts;
	k->primary = sk->kind == DM_SCHEMA_KEY_PRIMARY;
	k->not_null = true;
	dm__dml_hash_init(&h, t->seed);
	for (i = 0; i < k->n; i++) {
		size_t col = (size_t)dm_schema_table_find_column(
			src, sk->parts[i].column);
		uint64_t plen;

		k->cols[i] = col;
		k->prefix[i] = sk->parts[i].length > 0 ?
				       (size_t)sk->parts[i].length : 0;
		if (t->cols[col].flags & DML_COL_NULLABLE && !k->primary)
			k->not_null = false;
		dm__dml_hash_feed(&h, t->cols[col].lname,
				  strlen(t->cols[col].lname) + 1);
		plen = k->prefix[i];
		dm__dml_hash_feed(&h, &plen, sizeof(plen));
	}
	k->seed = dm__dml_hash_final(&h);
	*usable = true;
	return 0;
}

static int init_keys(dm_dml_table *t, const dm_schema_table *src)
{
	size_t nk = dm_schema_table_nkeys(src), i, pass;
	int rc;

	t->identity = -1;
	if (nk == 0)
		return 0;
	t->keys = dm__calloc(nk, sizeof(*t->keys));
	if (!t->keys)
		return DM_E_NO_MEMORY;
	/* The primary key first, then UNIQUE keys in their order. */
	for (pass = 0; pass < 2; pass++) {
		dm_schema_key_kind want = pass == 0 ? DM_SCHEMA_KEY_PRIMARY :
						      DM_SCHEMA_KEY_UNIQUE;

		for (i = 0; i < nk; i++) {
			const dm_schema_key *sk = dm_schema_table_key(src, i);
			bool usable;

			if (!sk || sk->kind != want)
				continue;
			rc = init_key(&t->keys[t->nkeys], &usable, src, sk, t);
			if (rc)
				return rc;
			if (usable)
				t->nkeys++;
			else
				t->nskipped++;
		}
	}
	for (i = 0; i < t->nkeys; i++) {
		if (t->keys[i].primary || t->keys[i].not_null) {
			t->identity = (long)i;
			break;
		}
	}
	return 0;
}

/* `schema`.`table`, the written-column list and the ON DUPLICATE KEY
 * UPDATE clause, made once. */
static int init_texts(dm_dml_table *t)
{
	dm_buf b = DM_BUF_INIT;
	size_t i;
	bool first = true;
	int rc;

	rc = dm_db_quote_ident(&b, t->tschema, strlen(t->tschema));
	if (!rc)
		rc = dm_buf_putc(&b, '.');
	if (!rc)
		rc = dm_db_quote_ident(&b, t->tname, strlen(t->tname));
	if (rc)
		goto out_free;
	t->qtable_len = b.len;
	t->qtable = dm_buf_detach(&b);

	rc = dm_buf_putc(&b, '(');
	for (i = 0; i < t->ncols && !rc; i++) {
		if (t->cols[i].flags & DML_COL_GENERATED)
			continue;
		if (!first)
			rc = dm_buf_putc(&b, ',');
		if (!rc)
			rc = dm_buf_append(&b, t->cols[i].quoted,
					   t->cols[i].quoted_len);
		first = false;
	}
	if (!rc)
		rc = dm_buf_putc(&b, ')');
	if (rc)
		goto out_free;
	t->collist_len = b.len;
	t->collist = dm_buf_detach(&b);

	rc = dm_buf_puts(&b, " ON DUPLICATE KEY UPDATE ");
	first = true;
	for (i = 0; i < t->ncols && !rc; i++) {
		const dml_col *c = &t->cols[i];

		if (c->flags & DML_COL_GENERATED)
			continue;
		if (!first)
			rc = dm_buf_putc(&b, ',');
		if (!rc)
			rc = dm_buf_append(&b, c->quoted, c->quoted_len);
		if (!rc)
			rc = dm_buf_puts(&b, "=VALUES(");
		if (!rc)
			rc = dm_buf_append(&b, c->quoted, c->quoted_len);
		if (!rc)
			rc = dm_buf_putc(&b, ')');
		first = false;
	}
	if (rc)
		goto out_free;
	t->odku_len = b.len;
	t->odku = dm_buf_detach(&b);
	return 0;

out_free:
	dm_buf_free(&b);
	return rc;
}

static int init_names(dm_dml_table *t, const dm_schema_table *src,
		      const char *target_schema, const char *target_table)
{
	const char *ss = dm_schema_table_schema(src);
	const char *sn = dm_schema_table_name(src);
	dml_hash h;

	t->tschema = dm__strdup(target_schema);
	t->tname = dm__strdup(target_table);
	t->sschema = dm__strdup(ss ? ss : "");
	t->sname = dm__strdup(sn ? sn : "");
	if (!t->tschema || !t->tname || !t->sschema || !t->sname)
		return DM_E_NO_MEMORY;
	dm__dml_hash_init(&h, 0);
	dm__dml_hash_feed_lower(&h, t->tschema, strlen(t->tschema));
	dm__dml_hash_feed(&h, ".", 1);
	dm__dml_hash_feed_lower(&h, t->tname, strlen(t->tname));
	t->seed = dm__dml_hash_final(&h);
	return 0;
}

int dm_dml_table_new(dm_dml_table **out, const dm_schema_table *src,
		     const char *target_schema, const char *target_table,
		     dm_error **err)
{
	dm_dml_table *t;
	size_t i;
	int rc;

	if (!out || !src || !target_schema || !target_schema[0] ||
	    !target_table || !target_table[0])
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_dml_table_new: NULL or empty argument");
	*out = NULL;
	t = dm__calloc(1, sizeof(*t));
	if (!t)
		return dm_error_set(err, DM_E_NO_MEMORY, "dm_dml_table_new");
	rc = init_names(t, src, target_schema, target_table);
	if (rc)
		goto out_fail;
	t->ncols = dm_schema_table_ncolumns(src);
	if (t->ncols) {
		t->cols = dm__calloc(t->ncols, sizeof(*t->cols));
		if (!t->cols) {
			rc = DM_E_NO_MEMORY;
			goto out_fail;
		}
	}
	for (i = 0; i < t->ncols; i++) {
		rc = init_col(&t->cols[i], dm_schema_table_column(src, i));
		if (rc)
			goto out_fail;
	}
	rc = init_keys(t, src);
	if (!rc)
		rc = init_texts(t);
	if (rc)
		goto out_fail;
	*out = t;
	return 0;

out_fail:
	dm_dml_table_free(t);
	if (rc == DM_E_NO_MEMORY)
		return dm_error_set(err, rc, "dm_dml_table_new");
	return dm_error_set(err, rc,
			    "dm_dml_table_new: table `%s`.`%s`: a column has "
			    "no name or the target name is not usable",
			    dm_schema_table_schema(src) ?
				    dm_schema_table_schema(src) : "",
			    dm_schema_table_name(src) ?
				    dm_schema_table_name(src) : "");
}

const char *dm_dml_table_target_schema(const dm_dml_table *t)
{
	return t ? t->tschema : NULL;
}

const char *dm_dml_table_target_name(const dm_dml_table *t)
{
	return t ? t->tname : NULL;
}

const char *dm_dml_table_source_schema(const dm_dml_table *t)
{
	return t ? t->sschema : NULL;
}

const char *dm_dml_table_source_name(const dm_dml_table *t)
{
	return t ? t->sname : NULL;
}

size_t dm_dml_table_ncolumns(const dm_dml_table *t)
{
	return t ? t->ncols : 0;
}

size_t dm_dml_table_identity(const dm_dml_table *t, const size_t **cols)
{
	const dml_key *k;

	if (cols)
		*cols = NULL;
	if (!t || t->identity < 0)
		return 0;
	k = &t->keys[t->identity];
	if (cols)
		*cols = k->cols;
	return k->n;
}

size_t dm_dml_table_nunique(const dm_dml_table *t)
{
	return t ? t->nkeys + t->nskipped : 0;
}
