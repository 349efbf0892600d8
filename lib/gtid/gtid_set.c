/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GTID sets: storage, comparison and set algebra. MySQL sources hold
 * canonical interval lists (see gtid_private.h), so union, difference and
 * containment are linear merges. Union and subtract build the result aside
 * and swap it in, so a failed call leaves the destination as it was.
 */
#include <string.h>

#include "gtid/gtid_private.h"
#include "util/alloc.h"

/* ------------------------------------------------------------ storage */

dm_gtid_set *dm__gtid_set_alloc(dm_gtid_flavor flavor)
{
	dm_gtid_set *set = dm__calloc(1, sizeof(*set));

	if (!set)
		return NULL;
	set->flavor = flavor;
	dm__vec_init(&set->srcs, sizeof(gtid_src));
	dm__vec_init(&set->maria, sizeof(gtid_maria));
	return set;
}

static void free_srcs(dm__vec *srcs)
{
	gtid_src *s = DM__VEC_DATA(srcs, gtid_src);
	size_t i;

	for (i = 0; i < srcs->len; i++)
		dm__vec_free(&s[i].ivs);
	dm__vec_free(srcs);
}

void dm_gtid_set_free(dm_gtid_set *set)
{
	if (!set)
		return;
	free_srcs(&set->srcs);
	dm__vec_free(&set->maria);
	dm__free(set);
}

static bool flavor_ok(dm_gtid_flavor flavor)
{
	return flavor == DM_GTID_MYSQL || flavor == DM_GTID_MARIADB;
}

int dm_gtid_set_new(dm_gtid_set **out, dm_gtid_flavor flavor, dm_error **err)
{
	if (out)
		*out = NULL;
	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_new: out is NULL");
	if (!flavor_ok(flavor))
		return dm_error_set(err, DM_E_NOT_SUPPORTED_FLAVOR,
				    "GTID flavor %d", (int)flavor);
	*out = dm__gtid_set_alloc(flavor);
	if (!*out)
		return dm_error_set(err, DM_E_NO_MEMORY, "new GTID set");
	return 0;
}

dm_gtid_flavor dm_gtid_set_flavor(const dm_gtid_set *set)
{
	return set ? set->flavor : (dm_gtid_flavor)0;
}

/* Inserts a copy of *elem at index i (i <= len). */
static int vec_insert(dm__vec *v, size_t i, const void *elem)
{
	char *d;
	int rc = dm__vec_reserve(v, 1);

	if (rc)
		return rc;
	d = v->data;
	memmove(d + (i + 1) * v->elem_size, d + i * v->elem_size,
		(v->len - i) * v->elem_size);
	memcpy(d + i * v->elem_size, elem, v->elem_size);
	v->len++;
	return 0;
}

/* Copies the elements of src into the empty vector dst. */
static int vec_copy(dm__vec *dst, const dm__vec *src)
{
	int rc;

	if (src->len == 0)
		return 0;
	rc = dm__vec_reserve(dst, src->len);
	if (rc)
		return rc;
	memcpy(dst->data, src->data, src->len * src->elem_size);
	dst->len = src->len;
	return 0;
}

/* -------------------------------------------------------- MySQL sources */

static int src_cmp(const gtid_src *s, const unsigned char *uuid,
		   const char *tag)
{
	int c = memcmp(s->uuid, uuid, 16);

	return c ? c : strcmp(s->tag, tag);
}

/* Index of the source (uuid, tag), or where it would be inserted. */
static size_t src_find(const dm__vec *srcs, const unsigned char *uuid,
		       const char *tag, bool *found)
{
	const gtid_src *s = DM__VEC_DATA(srcs, const gtid_src);
	size_t lo = 0, hi = srcs->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = src_cmp(&s[mid], uuid, tag);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

/* Adds first..last to a canonical interval list. */
static int ivs_add(dm__vec *v, uint64_t first, uint64_t last)
{
	gtid_iv *a = DM__VEC_DATA(v, gtid_iv);
	size_t lo = 0, hi = v->len, n = v->len, end;
	gtid_iv iv;

	/* lo: first interval that is not wholly before first-1. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid].last + 1 < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* end: first interval that starts after last+1. */
	end = lo;
	while (end < n && a[end].first <= last + 1)
		end++;
	if (end == lo) {
		iv.first = first;
		iv.last = last;
		return vec_insert(v, lo, &iv);
	}
	if (a[lo].first < first)
		first = a[lo].first;
	if (a[end - 1].last > last)
		last = a[end - 1].last;
	a[lo].first = first;
	a[lo].last = last;
	memmove(&a[lo + 1], &a[end], (n - end) * sizeof(*a));
	v->len = n - (end - lo - 1);
	return 0;
}

int dm__gtid_add_iv(dm_gtid_set *set, const unsigned char *uuid,
		    const char *tag, size_t tag_len, uint64_t first,
		    uint64_t last)
{
	bool found;
	size_t i = src_find(&set->srcs, uuid, tag, &found);
	gtid_src ns;
	gtid_iv iv;

	if (found)
		return ivs_add(&DM__VEC_DATA(&set->srcs, gtid_src)[i].ivs,
			       first, last);
	memset(&ns, 0, sizeof(ns));
	memcpy(ns.uuid, uuid, 16);
	memcpy(ns.tag, tag, tag_len);
	ns.tag[tag_len] = '\0';
	ns.tag_len = (unsigned char)tag_len;
	dm__vec_init(&ns.ivs, sizeof(gtid_iv));
	iv.first = first;
	iv.last = last;
	if (dm__vec_push(&ns.ivs, &iv) != 0)
		return DM_E_NO_MEMORY;
	if (vec_insert(&set->srcs, i, &ns) != 0) {
		dm__vec_free(&ns.ivs);
		return DM_E_NO_MEMORY;
	}
	return 0;
}

/* Appends iv to a list being built in ascending order of `first`,
 * merging it with the last interval when they overlap or touch. */
static int ivs_append(dm__vec *out, gtid_iv iv)
{
	gtid_iv *last = dm__vec_last(out);

	if (last && last->last + 1 >= iv.first) {
		if (iv.last > last->last)
			last->last = iv.last;
		return 0;
	}
	return dm__vec_push(out, &iv);
}

static int ivs_union(dm__vec *out, const dm__vec *va, const dm__vec *vb)
{
	const gtid_iv *a = DM__VEC_DATA(va, const gtid_iv);
	const gtid_iv *b = DM__VEC_DATA(vb, const gtid_iv);
	size_t i = 0, j = 0;
	int rc = dm__vec_reserve(out, va->len + vb->len);

	while (!rc && (i < va->len || j < vb->len)) {
		if (j == vb->len || (i < va->len && a[i].first <= b[j].first))
			rc = ivs_append(out, a[i++]);
		else
			rc = ivs_append(out, b[j++]);
	}
	return rc;
}

/* out = va minus vb. */
static int ivs_diff(dm__vec *out, const dm__vec *va, const dm__vec *vb)
{
	const gtid_iv *a = DM__VEC_DATA(va, const gtid_iv);
	const gtid_iv *b = DM__VEC_DATA(vb, const gtid_iv);
	size_t i, j = 0, nb = vb->len;
	int rc = 0;

	for (i = 0; i < va->len && !rc; i++) {
		uint64_t cur = a[i].first;
		gtid_iv piece;

		while (j < nb && b[j].last < cur)
			j++;
		while (j < nb && b[j].first <= a[i].last && !rc) {
			if (b[j].first > cur) {
				piece.first = cur;
				piece.last = b[j].first - 1;
				rc = dm__vec_push(out, &piece);
			}
			if (b[j].last >= a[i].last) {
				cur = a[i].last + 1;
				break; /* b[j] may cover the next interval too */
			}
			cur = b[j].last + 1;
			j++;
		}
		if (!rc && cur <= a[i].last) {
			piece.first = cur;
			piece.last = a[i].last;
			rc = dm__vec_push(out, &piece);
		}
	}
	return rc;
}

/* True when every interval of vb lies inside one of va. */
static bool ivs_contains(const dm__vec *va, const dm__vec *vb)
{
	const gtid_iv *a = DM__VEC_DATA(va, const gtid_iv);
	const gtid_iv *b = DM__VEC_DATA(vb, const gtid_iv);
	size_t i = 0, j;

	for (j = 0; j < vb->len; j++) {
		while (i < va->len && a[i].last < b[j].first)
			i++;
		if (i == va->len || a[i].first > b[j].first ||
		    a[i].last < b[j].last)
			return false;
	}
	return true;
}

static bool ivs_equal(const dm__vec *va, const dm__vec *vb)
{
	return va->len == vb->len &&
	       (va->len == 0 ||
		memcmp(va->data, vb->data, va->len * sizeof(gtid_iv)) == 0);
}

static bool ivs_has(const dm__vec *v, uint64_t gno)
{
	const gtid_iv *a = DM__VEC_DATA(v, const gtid_iv);
	size_t lo = 0, hi = v->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid].last < gno)
			lo = mid + 1;
		else if (a[mid].first > gno)
			hi = mid;
		else
			return true;
	}
	return false;
}

/* Appends a new source to out (built in key order) with a copy of the
 * intervals `ivs` (when `ivs` is not NULL) or the empty list. */
static gtid_src *src_push(dm__vec *out, const gtid_src *key)
{
	gtid_src *ns = dm__vec_push_zero(out);

	if (!ns)
		return NULL;
	memcpy(ns->uuid, key->uuid, 16);
	memcpy(ns->tag, key->tag, sizeof(ns->tag));
	ns->tag_len = key->tag_len;
	dm__vec_init(&ns->ivs, sizeof(gtid_iv));
	return ns;
}

static int mysql_union(dm__vec *out, const dm__vec *da, const dm__vec *db)
{
	const gtid_src *a = DM__VEC_DATA(da, const gtid_src);
	const gtid_src *b = DM__VEC_DATA(db, const gtid_src);
	size_t i = 0, j = 0;
	int rc = 0;

	while (!rc && (i < da->len || j < db->len)) {
		int c;
		gtid_src *ns;

		if (i == da->len)
			c = 1;
		else if (j == db->len)
			c = -1;
		else
			c = src_cmp(&a[i], b[j].uuid, b[j].tag);
		ns = src_push(out, c <= 0 ? &a[i] : &b[j]);
		if (!ns)
			return DM_E_NO_MEMORY;
		if (c == 0)
			rc = ivs_union(&ns->ivs, &a[i++].ivs, &b[j++].ivs);
		else if (c < 0)
			rc = vec_copy(&ns->ivs, &a[i++].ivs);
		else
			rc = vec_copy(&ns->ivs, &b[j++].ivs);
	}
	return rc;
}

static int mysql_diff(dm__vec *out, const dm__vec *da, const dm__vec *db)
{
	const gtid_src *a = DM__VEC_DATA(da, const gtid_src);
	const gtid_src *b = DM__VEC_DATA(db, const gtid_src);
	size_t i, j = 0;
	int rc = 0;

	for (i = 0; i < da->len && !rc; i++) {
		gtid_src *ns;
		int c = 1;

		while (j < db->len &&
		       (c = src_cmp(&b[j], a[i].uuid, a[i].tag)) < 0)
			j++;
		if (j == db->len)
			c = 1;
		ns = src_push(out, &a[i]);
		if (!ns)
			return DM_E_NO_MEMORY;
		if (c == 0)
			rc = ivs_diff(&ns->ivs, &a[i].ivs, &b[j].ivs);
		else
			rc = vec_copy(&ns->ivs, &a[i].ivs);
		if (!rc && ns->ivs.len == 0) {
			dm__vec_free(&ns->ivs);
			out->len--;
		}
	}
	return rc;
}

static bool mysql_contains(const dm__vec *da, const dm__vec *db)
{
	const gtid_src *a = DM__VEC_DATA(da, const gtid_src);
	const gtid_src *b = DM__VEC_DATA(db, const gtid_src);
	size_t i = 0, j;

	for (j = 0; j < db->len; j++) {
		int c = -1;

		while (i < da->len &&
		       (c = src_cmp(&a[i], b[j].uuid, b[j].tag)) < 0)
			i++;
		if (i == da->len || c != 0 || !ivs_contains(&a[i].ivs, &b[j].ivs))
			return false;
	}
	return true;
}

static bool mysql_equal(const dm__vec *da, const dm__vec *db)
{
	const gtid_src *a = DM__VEC_DATA(da, const gtid_src);
	const gtid_src *b = DM__VEC_DATA(db, const gtid_src);
	size_t i;

	if (da->len != db->len)
		return false;
	for (i = 0; i < da->len; i++)
		if (src_cmp(&a[i], b[i].uuid, b[i].tag) != 0 ||
		    !ivs_equal(&a[i].ivs, &b[i].ivs))
			return false;
	return true;
}

/* ------------------------------------------------------ MariaDB entries */

static int maria_cmp(const gtid_maria *m, uint32_t domain, uint32_t server)
{
	if (m->domain != domain)
		return m->domain < domain ? -1 : 1;
	if (m->server != server)
		return m->server < server ? -1 : 1;
	return 0;
}

static size_t maria_find(const dm__vec *v, uint32_t domain, uint32_t server,
			 bool *found)
{
	const gtid_maria *m = DM__VEC_DATA(v, const gtid_maria);
	size_t lo = 0, hi = v->len;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = maria_cmp(&m[mid], domain, server);

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = false;
	return lo;
}

int dm__gtid_add_maria(dm_gtid_set *set, uint32_t domain, uint32_t server,
		       uint64_t seq)
{
	bool found;
	size_t i = maria_find(&set->maria, domain, server, &found);
	gtid_maria e;

	if (found) {
		gtid_maria *m = &DM__VEC_DATA(&set->maria, gtid_maria)[i];

		if (seq > m->seq)
			m->seq = seq;
		return 0;
	}
	e.domain = domain;
	e.server = server;
	e.seq = seq;
	return vec_insert(&set->maria, i, &e);
}

static int maria_union(dm__vec *out, const dm__vec *va, const dm__vec *vb)
{
	const gtid_maria *a = DM__VEC_DATA(va, const gtid_maria);
	const gtid_maria *b = DM__VEC_DATA(vb, const gtid_maria);
	size_t i = 0, j = 0;
	int rc = dm__vec_reserve(out, va->len + vb->len);

	while (!rc && (i < va->len || j < vb->len)) {
		int c;

		if (i == va->len)
			c = 1;
		else if (j == vb->len)
			c = -1;
		else
			c = maria_cmp(&a[i], b[j].domain, b[j].server);
		if (c < 0) {
			rc = dm__vec_push(out, &a[i++]);
		} else if (c > 0) {
			rc = dm__vec_push(out, &b[j++]);
		} else {
			rc = dm__vec_push(out,
					  a[i].seq >= b[j].seq ? &a[i] : &b[j]);
			i++;
			j++;
		}
	}
	return rc;
}

/* Keeps the entries of va that vb does not cover. */
static int maria_diff(dm__vec *out, const dm__vec *va, const dm__vec *vb)
{
	const gtid_maria *a = DM__VEC_DATA(va, const gtid_maria);
	size_t i;
	int rc = 0;

	for (i = 0; i < va->len && !rc; i++) {
		bool found;
		size_t k = maria_find(vb, a[i].domain, a[i].server, &found);

		if (!found || DM__VEC_DATA(vb, const gtid_maria)[k].seq < a[i].seq)
			rc = dm__vec_push(out, &a[i]);
	}
	return rc;
}

static bool maria_contains(const dm__vec *va, const dm__vec *vb)
{
	const gtid_maria *b = DM__VEC_DATA(vb, const gtid_maria);
	size_t j;

	for (j = 0; j < vb->len; j++) {
		bool found;
		size_t k = maria_find(va, b[j].domain, b[j].server, &found);

		if (!found || DM__VEC_DATA(va, const gtid_maria)[k].seq < b[j].seq)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ public */

bool dm_gtid_set_is_empty(const dm_gtid_set *set)
{
	if (!set)
		return true;
	return set->srcs.len == 0 && set->maria.len == 0;
}

bool dm_gtid_set_equal(const dm_gtid_set *a, const dm_gtid_set *b)
{
	if (!a || !b || a->flavor != b->flavor)
		return false;
	if (a->flavor == DM_GTID_MYSQL)
		return mysql_equal(&a->srcs, &b->srcs);
	return a->maria.len == b->maria.len &&
	       (a->maria.len == 0 ||
		memcmp(a->maria.data, b->maria.data,
		       a->maria.len * sizeof(gtid_maria)) == 0);
}

bool dm_gtid_set_contains(const dm_gtid_set *a, const dm_gtid_set *b)
{
	if (!a || !b || a->flavor != b->flavor)
		return false;
	if (a->flavor == DM_GTID_MYSQL)
		return mysql_contains(&a->srcs, &b->srcs);
	return maria_contains(&a->maria, &b->maria);
}

bool dm_gtid_set_contains_gtid(const dm_gtid_set *set, const dm_gtid *gtid)
{
	bool found;
	size_t i;

	if (!set || !gtid || gtid->flavor != set->flavor)
		return false;
	if (set->flavor == DM_GTID_MYSQL) {
		char tag[DM_GTID_TAG_MAX + 1];
		size_t tag_len;

		if (!dm__gtid_tag_normalize(tag, &tag_len, gtid->tag))
			return false;
		i = src_find(&set->srcs, gtid->uuid, tag, &found);
		return found &&
		       ivs_has(&DM__VEC_DATA(&set->srcs, gtid_src)[i].ivs,
			       gtid->gno);
	}
	i = maria_find(&set->maria, gtid->domain, gtid->server, &found);
	return found && DM__VEC_DATA(&set->maria, gtid_maria)[i].seq >= gtid->seq;
}

/* The status for a set of the wrong flavor: says what was expected. */
static int flavor_mismatch(dm_error **err, dm_gtid_flavor want,
			   const char *what)
{
	if (want == DM_GTID_MYSQL)
		return dm_error_set(err, DM_E_NOT_MYSQL_GTID,
				    "%s is MariaDB, the set is MySQL", what);
	return dm_error_set(err, DM_E_NOT_MARIADB_GTID,
			    "%s is MySQL, the set is MariaDB", what);
}

int dm_gtid_set_add(dm_gtid_set *set, const dm_gtid *gtid, dm_error **err)
{
	char tag[DM_GTID_TAG_MAX + 1];
	size_t tag_len;

	if (!set || !gtid)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_add: NULL argument");
	if (gtid->flavor != set->flavor) {
		if (!flavor_ok(gtid->flavor))
			return dm_error_set(err, DM_E_NOT_SUPPORTED_FLAVOR,
					    "GTID flavor %d", (int)gtid->flavor);
		return flavor_mismatch(err, set->flavor, "the GTID");
	}
	if (set->flavor == DM_GTID_MARIADB) {
		if (dm__gtid_add_maria(set, gtid->domain, gtid->server,
				       gtid->seq) != 0)
			return dm_error_set(err, DM_E_NO_MEMORY, "adding a GTID");
		return 0;
	}
	if (!dm__gtid_tag_normalize(tag, &tag_len, gtid->tag))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "invalid GTID tag");
	if (gtid->gno < 1 || gtid->gno > DM_GTID_MYSQL_GNO_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "transaction number %llu outside 1..%llu",
				    (unsigned long long)gtid->gno,
				    DM_GTID_MYSQL_GNO_MAX);
	if (dm__gtid_add_iv(set, gtid->uuid, tag, tag_len, gtid->gno,
			    gtid->gno) != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, "adding a GTID");
	return 0;
}

int dm_gtid_set_add_interval(dm_gtid_set *set, const unsigned char uuid[16],
			     const char *tag, uint64_t first, uint64_t last,
			     dm_error **err)
{
	char norm[DM_GTID_TAG_MAX + 1];
	size_t tag_len;

	if (!set || !uuid)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_add_interval: NULL argument");
	if (set->flavor != DM_GTID_MYSQL)
		return dm_error_set(err, DM_E_NOT_MYSQL_GTID,
				    "intervals exist only in MySQL sets");
	if (!dm__gtid_tag_normalize(norm, &tag_len, tag ? tag : ""))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "invalid GTID tag");
	if (first < 1 || first > last || last > DM_GTID_MYSQL_GNO_MAX)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "interval %llu-%llu is not within 1..%llu "
				    "in ascending order",
				    (unsigned long long)first,
				    (unsigned long long)last,
				    DM_GTID_MYSQL_GNO_MAX);
	if (dm__gtid_add_iv(set, uuid, norm, tag_len, first, last) != 0)
		return dm_error_set(err, DM_E_NO_MEMORY, "adding an interval");
	return 0;
}

/* Swaps the freshly built contents into dst and frees the old ones. */
static void swap_in(dm_gtid_set *dst, dm__vec *srcs, dm__vec *maria)
{
	dm__vec t;

	t = dst->srcs;
	dst->srcs = *srcs;
	*srcs = t;
	t = dst->maria;
	dst->maria = *maria;
	*maria = t;
}

static int combine(dm_gtid_set *dst, const dm_gtid_set *src, bool unite,
		   dm_error **err)
{
	dm__vec srcs = DM__VEC_INIT(sizeof(gtid_src));
	dm__vec maria = DM__VEC_INIT(sizeof(gtid_maria));
	const char *what = unite ? "union" : "subtract";
	int rc;

	if (!dst || !src)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_%s: NULL argument", what);
	if (dst->flavor != src->flavor)
		return flavor_mismatch(err, dst->flavor, "the other set");
	if (dst->flavor == DM_GTID_MYSQL)
		rc = unite ? mysql_union(&srcs, &dst->srcs, &src->srcs)
			   : mysql_diff(&srcs, &dst->srcs, &src->srcs);
	else
		rc = unite ? maria_union(&maria, &dst->maria, &src->maria)
			   : maria_diff(&maria, &dst->maria, &src->maria);
	if (rc == 0)
		swap_in(dst, &srcs, &maria);
	free_srcs(&srcs);
	dm__vec_free(&maria);
	if (rc)
		return dm_error_set(err, DM_E_NO_MEMORY, "GTID set %s", what);
	return 0;
}

int dm_gtid_set_union(dm_gtid_set *dst, const dm_gtid_set *src,
		      dm_error **err)
{
	return combine(dst, src, true, err);
}

int dm_gtid_set_subtract(dm_gtid_set *dst, const dm_gtid_set *src,
			 dm_error **err)
{
	return combine(dst, src, false, err);
}

int dm_gtid_set_clone(dm_gtid_set **out, const dm_gtid_set *set,
		      dm_error **err)
{
	dm__vec none = DM__VEC_INIT(sizeof(gtid_src));
	dm_gtid_set *c;
	int rc;

	if (out)
		*out = NULL;
	if (!out || !set)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_clone: NULL argument");
	c = dm__gtid_set_alloc(set->flavor);
	if (!c)
		return dm_error_set(err, DM_E_NO_MEMORY, "cloning a GTID set");
	/* A union with the empty list copies. */
	if (set->flavor == DM_GTID_MYSQL)
		rc = mysql_union(&c->srcs, &set->srcs, &none);
	else
		rc = vec_copy(&c->maria, &set->maria);
	if (rc) {
		dm_gtid_set_free(c);
		return dm_error_set(err, DM_E_NO_MEMORY, "cloning a GTID set");
	}
	*out = c;
	return 0;
}
