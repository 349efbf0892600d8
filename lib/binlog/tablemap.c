/* SPDX-License-Identifier: Apache-2.0 */
/*
 * TABLE_MAP events and the table cache. A table is parsed once into memory
 * it owns (a copy of the event body plus arrays) and reused while the same
 * id maps the same bytes: servers repeat the TABLE_MAP before every
 * statement, so a repeat costs one memcmp.
 */
#include <inttypes.h>
#include <string.h>

#include "binlog/binlog_private.h"
#include "binlog/cursor.h"
#include "util/alloc.h"

/* Optional metadata field types. */
enum {
	OPT_SIGNEDNESS = 1,
	OPT_DEFAULT_CHARSET,
	OPT_COLUMN_CHARSET,
	OPT_COLUMN_NAME,
	OPT_SET_STR_VALUE,
	OPT_ENUM_STR_VALUE,
	OPT_GEOMETRY_TYPE,
	OPT_SIMPLE_PRIMARY_KEY,
	OPT_PRIMARY_KEY_WITH_PREFIX,
	OPT_ENUM_AND_SET_DEFAULT_CHARSET,
	OPT_ENUM_AND_SET_COLUMN_CHARSET,
	OPT_COLUMN_VISIBILITY,
	OPT_VECTOR_DIMENSIONALITY
};

#define FAIL(...) dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE, __VA_ARGS__)

size_t dm__binlog_table_id_size(const dm_binlog_decoder *d, int type)
{
	if (d->have_fde && type >= 1 && (size_t)type <= d->nphl &&
	    d->phl[type - 1] == 6)
		return 4;
	return 6;
}

static void table_free(dm__table *t)
{
	if (!t)
		return;
	dm__free(t->raw);
	dm__free(t->cols);
	dm__free(t->members);
	dm__free(t->pk);
	dm__free(t);
}

dm__table *dm__binlog_table_get(dm_binlog_decoder *d, uint64_t id)
{
	dm__table *t;

	if (d->last_table && d->last_table_id == id)
		return d->last_table;
	t = dm__map_get_u64(&d->tables, id);
	if (t) {
		d->last_table = t;
		d->last_table_id = id;
	}
	return t;
}

void dm__binlog_tables_clear(dm_binlog_decoder *d)
{
	dm__map_iter it;

	d->last_table = NULL;
	dm__map_iter_init(&it, &d->tables);
	while (dm__map_iter_next(&it))
		table_free(it.value);
	dm__map_clear(&d->tables);
}

void dm__binlog_tables_free(dm_binlog_decoder *d)
{
	dm__binlog_tables_clear(d);
}

DM_API const dm_binlog_table *
dm_binlog_decoder_table(const dm_binlog_decoder *d, uint64_t table_id)
{
	dm__table *t;

	if (!d)
		return NULL;
	t = dm__map_get_u64(&d->tables, table_id);
	return t ? &t->pub : NULL;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	void *np;

	if (need <= *cap)
		return true;
	np = dm__reallocarray(*p, need, elem);
	if (!np)
		return false;
	*p = np;
	*cap = need;
	return true;
}

/* Columns that SIGNEDNESS has a bit for. MariaDB gives YEAR one too,
 * MySQL does not. */
static bool is_numeric(uint8_t t, bool mariadb)
{
	switch (t) {
	case DM_TYPE_YEAR:
		return mariadb;
	case DM_TYPE_TINY:
	case DM_TYPE_SHORT:
	case DM_TYPE_INT24:
	case DM_TYPE_LONG:
	case DM_TYPE_LONGLONG:
	case DM_TYPE_NEWDECIMAL:
	case DM_TYPE_FLOAT:
	case DM_TYPE_DOUBLE:
		return true;
	default:
		return false;
	}
}

/* Columns that COLUMN_CHARSET/DEFAULT_CHARSET describe. MariaDB counts
 * GEOMETRY among them (a BLOB underneath), MySQL does not. */
static bool is_character(uint8_t t, bool mariadb)
{
	switch (t) {
	case DM_TYPE_STRING:
	case DM_TYPE_VAR_STRING:
	case DM_TYPE_VARCHAR:
	case DM_TYPE_BLOB:
	case DM_TYPE_TINY_BLOB:
	case DM_TYPE_MEDIUM_BLOB:
	case DM_TYPE_LONG_BLOB:
		return true;
	case DM_TYPE_GEOMETRY:
		return mariadb;
	default:
		return false;
	}
}

static bool is_enum_set(uint8_t t)
{
	return t == DM_TYPE_ENUM || t == DM_TYPE_SET;
}

/* Reads one column's metadata and derives the column's shape. */
static int column_meta(dm_binlog_decoder *d, dm__cur *m, dm_binlog_column *col,
		       size_t i, dm_error **err)
{
	const unsigned char *b;

	col->real_type = col->type;
	switch (col->type) {
	case DM_TYPE_TINY:
	case DM_TYPE_SHORT:
	case DM_TYPE_INT24:
	case DM_TYPE_LONG:
	case DM_TYPE_LONGLONG:
	case DM_TYPE_NULL:
	case DM_TYPE_YEAR:
	case DM_TYPE_DATE:
	case DM_TYPE_NEWDATE:
	case DM_TYPE_TIME:
	case DM_TYPE_DATETIME:
	case DM_TYPE_TIMESTAMP:
		return 0;
	case DM_TYPE_FLOAT:
	case DM_TYPE_DOUBLE:
		if (!cur_take(m, 1, &b))
			break;
		col->meta = b[0];
		return 0;
	case DM_TYPE_TIME2:
	case DM_TYPE_DATETIME2:
	case DM_TYPE_TIMESTAMP2:
		if (!cur_take(m, 1, &b))
			break;
		col->meta = b[0];
		col->fsp = b[0];
		if (col->fsp > 6)
			return FAIL("column %zu: fractional seconds precision "
				    "%u above 6", i + 1, col->fsp);
		return 0;
	case DM_TYPE_BLOB:
	case DM_TYPE_TINY_BLOB:
	case DM_TYPE_MEDIUM_BLOB:
	case DM_TYPE_LONG_BLOB:
	case DM_TYPE_GEOMETRY:
	case DM_TYPE_JSON:
	case DM_TYPE_VECTOR:
		if (!cur_take(m, 1, &b))
			break;
		col->meta = b[0];
		col->length_bytes = b[0];
		if (b[0] < 1 || b[0] > 4)
			return FAIL("column %zu: length prefix of %u bytes "
				    "(1 to 4 expected)", i + 1, b[0]);
		return 0;
	case DM_TYPE_VARCHAR:
	case DM_TYPE_VAR_STRING:
		if (!cur_take(m, 2, &b))
			break;
		col->meta = (uint16_t)le_get(b, 2);
		col->max_length = col->meta;
		col->length_bytes = col->meta > 255 ? 2 : 1;
		return 0;
	case DM_TYPE_NEWDECIMAL:
		if (!cur_take(m, 2, &b))
			break;
		col->meta = (uint16_t)(b[0] << 8 | b[1]);
		col->precision = b[0];
		col->scale = b[1];
		if (!dm__binlog_decimal_size(b[0], b[1]))
			return FAIL("column %zu: DECIMAL(%u,%u) is not valid",
				    i + 1, b[0], b[1]);
		return 0;
	case DM_TYPE_BIT:
		if (!cur_take(m, 2, &b))
			break;
		col->meta = (uint16_t)(b[1] << 8 | b[0]);
		col->bits = (uint8_t)(b[1] * 8 + b[0]);
		if (b[0] > 7 || b[1] > 8 || col->bits == 0 || col->bits > 64)
			return FAIL("column %zu: BIT metadata %u/%u is not "
				    "valid", i + 1, b[0], b[1]);
		return 0;
	case DM_TYPE_STRING:
	case DM_TYPE_ENUM:
	case DM_TYPE_SET:
		if (!cur_take(m, 2, &b))
			break;
		col->meta = (uint16_t)(b[0] << 8 | b[1]);
		if (b[0] == DM_TYPE_ENUM || b[0] == DM_TYPE_SET) {
			col->real_type = b[0];
			col->pack_length = b[1];
			if ((b[0] == DM_TYPE_ENUM &&
			     (b[1] < 1 || b[1] > 2)) ||
			    (b[0] == DM_TYPE_SET && (b[1] < 1 || b[1] > 8)))
				return FAIL("column %zu: %s of %u bytes is not "
					    "valid", i + 1,
					    b[0] == DM_TYPE_ENUM ? "ENUM" :
					    "SET", b[1]);
		} else if ((b[0] & 0x30) != 0x30) {
			/* CHAR longer than 255 bytes: two length bits
			 * hide in the type byte. */
			col->real_type = (uint8_t)(b[0] | 0x30);
			col->max_length = b[1] |
				(uint32_t)(((b[0] & 0x30) ^ 0x30) << 4);
		} else {
			col->real_type = b[0];
			col->max_length = b[1];
		}
		if (col->real_type == DM_TYPE_STRING)
			col->length_bytes = col->max_length > 255 ? 2 : 1;
		else if (!is_enum_set(col->real_type))
			return FAIL("column %zu: STRING with real type %u is "
				    "not supported", i + 1, col->real_type);
		return 0;
	default:
		return dm__binlog_fail(d, err, DM_E_BINLOG_COLUMN_TYPE_NOT_SUPPORT,
				       "column %zu has type %u (%s), which "
				       "row events cannot carry", i + 1,
				       col->type, dm_type_name(col->type));
	}
	return FAIL("column %zu (%s): metadata block ends early", i + 1,
		    dm_type_name(col->type));
}

/* Default/per-column charsets: DEFAULT_CHARSET gives a default and
 * exceptions by index among the selected columns. */
static int opt_default_charset(dm_binlog_decoder *d, dm__cur *f, dm__table *t,
			       bool enum_set, uint16_t *dflt, dm_error **err)
{
	size_t i, k, n = t->pub.ncols;
	uint64_t v, idx;
	bool mariadb = d->fde.mariadb;

	if (!cur_packed(f, &v))
		return FAIL("default charset field is empty");
	*dflt = (uint16_t)v;
	for (i = 0; i < n; i++) {
		uint8_t rt = t->cols[i].real_type;

		if (enum_set ? is_enum_set(rt) : is_character(rt, mariadb))
			t->cols[i].charset = (uint16_t)v;
	}
	while (cur_left(f) > 0) {
		if (!cur_packed(f, &idx) || !cur_packed(f, &v))
			return FAIL("truncated charset exception");
		for (i = 0, k = 0; i < n; i++) {
			uint8_t rt = t->cols[i].real_type;

			if (!(enum_set ? is_enum_set(rt) :
				is_character(rt, mariadb)))
				continue;
			if (k++ == idx) {
				t->cols[i].charset = (uint16_t)v;
				break;
			}
		}
		if (i == n)
			return FAIL("charset exception for column %" PRIu64
				    " beyond the %s columns", idx,
				    enum_set ? "ENUM/SET" : "character");
	}
	return 0;
}

static int opt_column_charset(dm_binlog_decoder *d, dm__cur *f, dm__table *t,
			      bool enum_set, dm_error **err)
{
	size_t i;
	uint64_t v;

	for (i = 0; i < t->pub.ncols && cur_left(f) > 0; i++) {
		uint8_t rt = t->cols[i].real_type;

		if (!(enum_set ? is_enum_set(rt) :
			is_character(rt, d->fde.mariadb)))
			continue;
		if (!cur_packed(f, &v))
			return FAIL("truncated column charset");
		t->cols[i].charset = (uint16_t)v;
	}
	return 0;
}

/* ENUM/SET member strings for columns of real type `which`. */
static int opt_members(dm_binlog_decoder *d, dm__cur *f, dm__table *t,
		       uint8_t which, size_t *used, dm_error **err)
{
	size_t i, j;
	uint64_t count, len;
	const unsigned char *s;

	for (i = 0; i < t->pub.ncols && cur_left(f) > 0; i++) {
		dm_binlog_column *col = &t->cols[i];

		if (col->real_type != which)
			continue;
		if (!cur_packed(f, &count) || count > cur_left(f))
			return FAIL("truncated %s member count",
				    which == DM_TYPE_ENUM ? "ENUM" : "SET");
		if (*used + count > t->members_cap)
			return FAIL("more %s members than the field holds",
				    which == DM_TYPE_ENUM ? "ENUM" : "SET");
		col->members = count ? &t->members[*used] : NULL;
		col->nmembers = (size_t)count;
		for (j = 0; j < count; j++) {
			if (!cur_packed(f, &len) || len > cur_left(f) ||
			    !cur_take(f, (size_t)len, &s))
				return FAIL("truncated %s member string",
					    which == DM_TYPE_ENUM ? "ENUM" :
					    "SET");
			t->members[(*used)++] =
				(dm_str){ (const char *)s, (size_t)len };
		}
	}
	return 0;
}

/* Upper bound of member strings in the optional metadata. */
static size_t count_members(const unsigned char *p, size_t n)
{
	dm__cur c = cur_make(p, n);
	size_t total = 0;

	while (cur_left(&c) > 0) {
		uint8_t type;
		uint64_t len, count;
		const unsigned char *v;
		dm__cur f;

		if (!cur_u8(&c, &type) || !cur_packed(&c, &len) ||
		    len > cur_left(&c) || !cur_take(&c, (size_t)len, &v))
			break;
		if (type != OPT_SET_STR_VALUE && type != OPT_ENUM_STR_VALUE)
			continue;
		f = cur_make(v, (size_t)len);
		while (cur_left(&f) > 0) {
			uint64_t j, sl;

			if (!cur_packed(&f, &count) || count > cur_left(&f))
				break;
			total += (size_t)count;
			for (j = 0; j < count; j++)
				if (!cur_packed(&f, &sl) || sl > cur_left(&f) ||
				    !cur_skip(&f, (size_t)sl))
					break;
		}
	}
	return total;
}

static int parse_optional(dm_binlog_decoder *d, dm__cur *c, dm__table *t,
			  dm_error **err)
{
	size_t used_members = 0, npk = 0;
	size_t nmembers = count_members(cur_here(c), cur_left(c));
	size_t ncols = t->pub.ncols;

	if (!grow((void **)&t->members, &t->members_cap, nmembers,
		  sizeof(dm_str)))
		return dm__binlog_nomem(err);
	t->pub.opt_raw = (dm_str){ (const char *)cur_here(c), cur_left(c) };
	while (cur_left(c) > 0) {
		uint8_t type;
		uint64_t len, v;
		const unsigned char *val;
		dm__cur f;
		size_t i, k;
		int rc = 0;

		if (!cur_u8(c, &type) || !cur_packed(c, &len) ||
		    len > cur_left(c) || !cur_take(c, (size_t)len, &val))
			return FAIL("optional metadata field at body offset "
				    "%zu runs past the event", c->i);
		f = cur_make(val, (size_t)len);
		if (type < 32)
			t->pub.opt_present |= UINT32_C(1) << type;
		switch (type) {
		case OPT_SIGNEDNESS:
			for (i = 0, k = 0; i < ncols; i++) {
				if (!is_numeric(t->cols[i].real_type, d->fde.mariadb))
					continue;
				if (k / 8 >= len)
					break;
				t->cols[i].is_unsigned =
					(val[k / 8] >> (7 - k % 8)) & 1;
				k++;
			}
			break;
		case OPT_DEFAULT_CHARSET:
			rc = opt_default_charset(d, &f, t, false,
						 &t->pub.default_charset, err);
			break;
		case OPT_COLUMN_CHARSET:
			rc = opt_column_charset(d, &f, t, false, err);
			break;
		case OPT_COLUMN_NAME:
			for (i = 0; i < ncols && cur_left(&f) > 0; i++) {
				const unsigned char *s;

				if (!cur_packed(&f, &v) || v > cur_left(&f) ||
				    !cur_take(&f, (size_t)v, &s))
					return FAIL("truncated name of column "
						    "%zu", i + 1);
				t->cols[i].name =
					(dm_str){ (const char *)s, (size_t)v };
			}
			break;
		case OPT_SET_STR_VALUE:
			rc = opt_members(d, &f, t, DM_TYPE_SET, &used_members,
					 err);
			break;
		case OPT_ENUM_STR_VALUE:
			rc = opt_members(d, &f, t, DM_TYPE_ENUM, &used_members,
					 err);
			break;
		case OPT_GEOMETRY_TYPE:
			for (i = 0; i < ncols && cur_left(&f) > 0; i++) {
				if (t->cols[i].real_type != DM_TYPE_GEOMETRY)
					continue;
				if (!cur_packed(&f, &v))
					return FAIL("truncated geometry type");
				t->cols[i].geometry_type = (uint8_t)v;
			}
			break;
		case OPT_SIMPLE_PRIMARY_KEY:
		case OPT_PRIMARY_KEY_WITH_PREFIX:
			while (cur_left(&f) > 0) {
				uint64_t prefix = 0;

				if (!cur_packed(&f, &v) ||
				    (type == OPT_PRIMARY_KEY_WITH_PREFIX &&
				     !cur_packed(&f, &prefix)))
					return FAIL("truncated primary key "
						    "field");
				if (v >= ncols)
					return FAIL("primary key names column "
						    "%" PRIu64 " of %zu", v + 1,
						    ncols);
				if (!grow((void **)&t->pk, &t->pk_cap, npk + 1,
					  sizeof(uint16_t)))
					return dm__binlog_nomem(err);
				t->pk[npk] = (uint16_t)v;
				t->cols[v].pk_position = (int16_t)npk;
				t->cols[v].pk_prefix = (uint16_t)prefix;
				npk++;
			}
			break;
		case OPT_ENUM_AND_SET_DEFAULT_CHARSET:
			rc = opt_default_charset(d, &f, t, true,
						 &t->pub.enum_set_default_charset,
						 err);
			break;
		case OPT_ENUM_AND_SET_COLUMN_CHARSET:
			rc = opt_column_charset(d, &f, t, true, err);
			break;
		case OPT_COLUMN_VISIBILITY:
			for (i = 0; i < ncols && i / 8 < len; i++)
				t->cols[i].visible =
					(val[i / 8] >> (7 - i % 8)) & 1;
			break;
		case OPT_VECTOR_DIMENSIONALITY:
			for (i = 0; i < ncols && cur_left(&f) > 0; i++) {
				if (t->cols[i].real_type != DM_TYPE_VECTOR)
					continue;
				if (!cur_packed(&f, &v))
					return FAIL("truncated vector "
						    "dimension");
				t->cols[i].dimension = (uint32_t)v;
			}
			break;
		default:
			break; /* unknown fields are skipped by length */
		}
		if (rc)
			return rc;
	}
	t->pub.npk = npk;
	t->pub.pk = npk ? t->pk : NULL;
	return 0;
}

static int parse_table(dm_binlog_decoder *d, dm__table *t, int type,
		       dm_error **err)
{
	dm__cur c = cur_make(t->raw, t->raw_len);
	size_t idsz = dm__binlog_table_id_size(d, type);
	const unsigned char *schema, *name, *types, *meta, *nulls;
	uint8_t slen, tlen;
	uint64_t id, ncols, mlen;
	size_t i;
	dm__cur m;
	int rc;

	memset(&t->pub, 0, sizeof(t->pub));
	if (!cur_le(&c, idsz, &id) || !cur_u16(&c, &t->pub.flags))
		return FAIL("truncated post-header");
	t->pub.table_id = id;
	if (!cur_u8(&c, &slen) || !cur_take(&c, slen, &schema) ||
	    !cur_take(&c, 1, &nulls))
		return FAIL("truncated schema name");
	if (nulls[0] != 0)
		return FAIL("schema name not followed by a NUL byte");
	if (!cur_u8(&c, &tlen) || !cur_take(&c, tlen, &name) ||
	    !cur_take(&c, 1, &nulls))
		return FAIL("truncated table name");
	if (nulls[0] != 0)
		return FAIL("table name not followed by a NUL byte");
	t->pub.schema = (dm_str){ (const char *)schema, slen };
	t->pub.name = (dm_str){ (const char *)name, tlen };
	if (!cur_packed(&c, &ncols))
		return FAIL("truncated column count");
	if (ncols == 0 || ncols > cur_left(&c))
		return FAIL("column count %" PRIu64 " does not fit the "
			    "%zu bytes left", ncols, cur_left(&c));
	if (!cur_take(&c, (size_t)ncols, &types))
		return FAIL("truncated column types");
	if (!cur_packed(&c, &mlen) || mlen > cur_left(&c) ||
	    !cur_take(&c, (size_t)mlen, &meta))
		return FAIL("metadata block runs past the event");
	if (!grow((void **)&t->cols, &t->cols_cap, (size_t)ncols,
		  sizeof(dm_binlog_column)))
		return dm__binlog_nomem(err);
	memset(t->cols, 0, (size_t)ncols * sizeof(dm_binlog_column));
	t->pub.ncols = (size_t)ncols;
	t->pub.cols = t->cols;
	t->njson = 0;
	m = cur_make(meta, (size_t)mlen);
	for (i = 0; i < ncols; i++) {
		dm_binlog_column *col = &t->cols[i];

		col->type = types[i];
		col->is_unsigned = -1;
		col->visible = -1;
		col->pk_position = -1;
		rc = column_meta(d, &m, col, i, err);
		if (rc)
			return rc;
		if (col->type == DM_TYPE_JSON)
			t->njson++;
	}
	if (cur_left(&m) != 0)
		return FAIL("metadata block has %zu bytes the columns do not "
			    "use", cur_left(&m));
	if (!cur_take(&c, ((size_t)ncols + 7) / 8, &nulls))
		return FAIL("truncated null bitmap");
	for (i = 0; i < ncols; i++)
		t->cols[i].nullable = (nulls[i / 8] >> (i % 8)) & 1;
	return parse_optional(d, &c, t, err);
}

int dm__binlog_table_map(dm_binlog_decoder *d, dm_binlog_event *ev,
			 dm_error **err)
{
	size_t idsz = dm__binlog_table_id_size(d, ev->type);
	dm__table *t;
	uint64_t id;
	bool fresh = false;
	int rc;

	if (ev->body_len < idsz)
		return FAIL("truncated table id");
	id = le_get(ev->body, idsz);
	t = dm__binlog_table_get(d, id);
	if (t && t->raw_len == ev->body_len &&
	    memcmp(t->raw, ev->body, ev->body_len) == 0) {
		ev->u.table_map = &t->pub;
		ev->kind = DM_BINLOG_KIND_TABLE_MAP;
		return 0;
	}
	if (!t) {
		if (dm__map_count(&d->tables) >= d->opts.max_tables)
			dm__binlog_tables_clear(d);
		t = dm__calloc(1, sizeof(*t));
		if (!t)
			return dm__binlog_nomem(err);
		if (dm__map_put_u64(NULL, &d->tables, id, t)) {
			dm__free(t);
			return dm__binlog_nomem(err);
		}
		fresh = true;
	}
	if (!grow((void **)&t->raw, &t->raw_cap, ev->body_len ? ev->body_len : 1,
		  1)) {
		rc = dm__binlog_nomem(err);
		goto out_drop;
	}
	memcpy(t->raw, ev->body, ev->body_len);
	t->raw_len = ev->body_len;
	rc = parse_table(d, t, ev->type, err);
	if (rc)
		goto out_drop;
	ev->u.table_map = &t->pub;
	ev->kind = DM_BINLOG_KIND_TABLE_MAP;
	return 0;

out_drop:
	(void)fresh;
	if (d->last_table == t)
		d->last_table = NULL;
	dm__map_remove_u64(NULL, &d->tables, id);
	table_free(t);
	return rc;
}
