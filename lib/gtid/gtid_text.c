/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GTIDs and GTID sets as text: parsing (with the byte offset and the text
 * near every error) and canonical formatting. Pure functions of their
 * input. The grammar is written down in dm_gtid(3).
 */
#include <stdio.h>
#include <string.h>

#include "gtid/gtid_private.h"
#include "util/alloc.h"

#define U32_MAX_VALUE 4294967295ULL
#define U64_MAX_VALUE 18446744073709551615ULL

/* ----------------------------------------------------------- characters */

static bool is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

bool dm__gtid_tag_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool dm__gtid_tag_char(int c)
{
	return dm__gtid_tag_start(c) || is_digit(c);
}

bool dm__gtid_tag_normalize(char *out, size_t *out_len, const char *tag)
{
	size_t n = 0;

	while (n <= DM_GTID_TAG_MAX && tag[n]) {
		int c = (unsigned char)tag[n];

		if (n == 0 ? !dm__gtid_tag_start(c) : !dm__gtid_tag_char(c))
			return false;
		out[n] = (char)to_lower(c);
		n++;
	}
	if (n > DM_GTID_TAG_MAX)
		return false;
	out[n] = '\0';
	*out_len = n;
	return true;
}

/* ----------------------------------------------------------- formatting */

static const char hex_digits[] = "0123456789abcdef";

int dm__gtid_format_uuid(dm_buf *out, const unsigned char *uuid)
{
	char t[36];
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			t[o++] = '-';
		t[o++] = hex_digits[uuid[i] >> 4];
		t[o++] = hex_digits[uuid[i] & 0xf];
	}
	return dm_buf_append(out, t, sizeof(t));
}

static int put_u64(dm_buf *out, uint64_t v)
{
	char t[20];
	size_t i = sizeof(t);

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return dm_buf_append(out, t + i, sizeof(t) - i);
}

static int put_maria(dm_buf *out, uint32_t domain, uint32_t server,
		     uint64_t seq)
{
	int rc = put_u64(out, domain);

	if (!rc)
		rc = dm_buf_putc(out, '-');
	if (!rc)
		rc = put_u64(out, server);
	if (!rc)
		rc = dm_buf_putc(out, '-');
	if (!rc)
		rc = put_u64(out, seq);
	return rc;
}

static int format_mysql(dm_buf *out, const dm_gtid_set *set)
{
	const gtid_src *s = DM__VEC_DATA(&set->srcs, const gtid_src);
	size_t i, k;
	int rc = 0;

	for (i = 0; i < set->srcs.len && !rc; i++) {
		const gtid_iv *iv = DM__VEC_DATA(&s[i].ivs, const gtid_iv);

		if (i == 0 || memcmp(s[i - 1].uuid, s[i].uuid, 16) != 0) {
			if (i > 0)
				rc = dm_buf_putc(out, ',');
			if (!rc)
				rc = dm__gtid_format_uuid(out, s[i].uuid);
		}
		if (!rc && s[i].tag_len) {
			rc = dm_buf_putc(out, ':');
			if (!rc)
				rc = dm_buf_append(out, s[i].tag, s[i].tag_len);
		}
		for (k = 0; k < s[i].ivs.len && !rc; k++) {
			rc = dm_buf_putc(out, ':');
			if (!rc)
				rc = put_u64(out, iv[k].first);
			if (!rc && iv[k].last != iv[k].first) {
				rc = dm_buf_putc(out, '-');
				if (!rc)
					rc = put_u64(out, iv[k].last);
			}
		}
	}
	return rc;
}

static int format_maria(dm_buf *out, const dm_gtid_set *set, bool position)
{
	const gtid_maria *m = DM__VEC_DATA(&set->maria, const gtid_maria);
	size_t i = 0, n = set->maria.len;
	int rc = 0;

	while (i < n && !rc) {
		size_t best = i, end = i + 1;

		if (position) {
			/* The highest seq of the domain; on a tie the highest
			 * server id (entries are sorted by server). */
			while (end < n && m[end].domain == m[i].domain) {
				if (m[end].seq >= m[best].seq)
					best = end;
				end++;
			}
		}
		if (i > 0)
			rc = dm_buf_putc(out, ',');
		if (!rc)
			rc = put_maria(out, m[best].domain, m[best].server,
				       m[best].seq);
		i = end;
	}
	return rc;
}

static int format_set(dm_buf *out, const dm_gtid_set *set, bool position)
{
	size_t old;
	int rc;

	if (!out || !set)
		return DM_E_INVALID_ARGUMENT;
	old = out->len;
	rc = dm_buf_reserve(out, 0); /* data is a string even for "" */
	if (!rc)
		rc = set->flavor == DM_GTID_MYSQL
			     ? format_mysql(out, set)
			     : format_maria(out, set, position);
	if (rc && out->data)
		dm_buf_truncate(out, old);
	return rc;
}

int dm_gtid_set_format(dm_buf *out, const dm_gtid_set *set)
{
	return format_set(out, set, false);
}

int dm_gtid_set_format_position(dm_buf *out, const dm_gtid_set *set)
{
	return format_set(out, set, true);
}

int dm_gtid_format(dm_buf *out, const dm_gtid *gtid)
{
	char tag[DM_GTID_TAG_MAX + 1];
	size_t tag_len, old;
	int rc;

	if (!out || !gtid)
		return DM_E_INVALID_ARGUMENT;
	if (gtid->flavor != DM_GTID_MYSQL && gtid->flavor != DM_GTID_MARIADB)
		return DM_E_NOT_SUPPORTED_FLAVOR;
	if (gtid->flavor == DM_GTID_MYSQL &&
	    (!dm__gtid_tag_normalize(tag, &tag_len, gtid->tag) ||
	     gtid->gno < 1 || gtid->gno > DM_GTID_MYSQL_GNO_MAX))
		return DM_E_INVALID_ARGUMENT;
	old = out->len;
	if (gtid->flavor == DM_GTID_MARIADB) {
		rc = put_maria(out, gtid->domain, gtid->server, gtid->seq);
	} else {
		rc = dm__gtid_format_uuid(out, gtid->uuid);
		if (!rc && tag_len) {
			rc = dm_buf_putc(out, ':');
			if (!rc)
				rc = dm_buf_append(out, tag, tag_len);
		}
		if (!rc)
			rc = dm_buf_putc(out, ':');
		if (!rc)
			rc = put_u64(out, gtid->gno);
	}
	if (rc && out->data)
		dm_buf_truncate(out, old);
	return rc;
}

bool dm_gtid_equal(const dm_gtid *a, const dm_gtid *b)
{
	char ta[DM_GTID_TAG_MAX + 1], tb[DM_GTID_TAG_MAX + 1];
	size_t la, lb;

	if (!a || !b || a->flavor != b->flavor)
		return false;
	if (a->flavor == DM_GTID_MARIADB)
		return a->domain == b->domain && a->server == b->server &&
		       a->seq == b->seq;
	if (a->flavor != DM_GTID_MYSQL)
		return false;
	return dm__gtid_tag_normalize(ta, &la, a->tag) &&
	       dm__gtid_tag_normalize(tb, &lb, b->tag) &&
	       memcmp(a->uuid, b->uuid, 16) == 0 && strcmp(ta, tb) == 0 &&
	       a->gno == b->gno;
}

/* -------------------------------------------------------------- parsing */

typedef struct scan {
	const char *s;
	size_t len;
	size_t pos;
	int status;     /* the error status of this parse */
	dm_error **err;
} scan;

static int peek(const scan *sc)
{
	return sc->pos < sc->len ? (unsigned char)sc->s[sc->pos] : -1;
}

static void skip_ws(scan *sc)
{
	while (sc->pos < sc->len && is_ws((unsigned char)sc->s[sc->pos]))
		sc->pos++;
}

/* Reports `what` at byte offset `at`, quoting up to 16 bytes from there
 * (non-printable bytes as \xNN). */
static int fail_at(scan *sc, size_t at, const char *what)
{
	char near[16 * 4 + 8];
	size_t i, o = 0;

	if (at >= sc->len)
		return dm_error_set(sc->err, sc->status,
				    "%s at offset %zu, at the end of the text",
				    what, at);
	near[o++] = '"';
	for (i = at; i < sc->len && i < at + 16; i++) {
		unsigned char c = (unsigned char)sc->s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			near[o++] = (char)c;
		} else {
			near[o++] = '\\';
			near[o++] = 'x';
			near[o++] = hex_digits[c >> 4];
			near[o++] = hex_digits[c & 0xf];
		}
	}
	near[o++] = '"';
	if (i < sc->len) {
		memcpy(near + o, "...", 3);
		o += 3;
	}
	near[o] = '\0';
	return dm_error_set(sc->err, sc->status, "%s at offset %zu, near %s",
			    what, at, near);
}

static int fail(scan *sc, const char *what)
{
	return fail_at(sc, sc->pos, what);
}

/* A decimal number up to `max`; `name` says what it is in errors. */
static int parse_num(scan *sc, uint64_t max, const char *name, uint64_t *out)
{
	size_t start = sc->pos;
	uint64_t v = 0;
	char what[96];

	if (!is_digit(peek(sc))) {
		snprintf(what, sizeof(what), "expected %s", name);
		return fail(sc, what);
	}
	while (is_digit(peek(sc))) {
		unsigned d = (unsigned)(peek(sc) - '0');

		if (v > (max - d) / 10) {
			snprintf(what, sizeof(what), "%s above %llu", name,
				 (unsigned long long)max);
			return fail_at(sc, start, what);
		}
		v = v * 10 + d;
		sc->pos++;
	}
	*out = v;
	return 0;
}

static int parse_uuid(scan *sc, unsigned char *uuid)
{
	size_t i, b = 0;

	for (i = 0; i < 36; i++) {
		int c = peek(sc);

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return fail(sc, "expected a UUID "
						"(8-4-4-4-12 hex digits)");
		} else {
			int h = hex_value(c);

			if (h < 0)
				return fail(sc, "expected a UUID "
						"(8-4-4-4-12 hex digits)");
			if (b % 2 == 0)
				uuid[b / 2] = (unsigned char)(h << 4);
			else
				uuid[b / 2] |= (unsigned char)h;
			b++;
		}
		sc->pos++;
	}
	return 0;
}

/* A tag at the current position (which starts with a tag character). */
static int parse_tag(scan *sc, char *tag, size_t *tag_len)
{
	size_t start = sc->pos, n = 0;

	while (dm__gtid_tag_char(peek(sc))) {
		if (n == DM_GTID_TAG_MAX)
			return fail_at(sc, start,
				       "tag longer than 32 characters");
		tag[n++] = (char)to_lower(peek(sc));
		sc->pos++;
	}
	tag[n] = '\0';
	*tag_len = n;
	return 0;
}

static int parse_gno(scan *sc, uint64_t *out)
{
	size_t start = sc->pos;
	int rc = parse_num(sc, DM_GTID_MYSQL_GNO_MAX, "a transaction number",
			   out);

	if (!rc && *out == 0)
		return fail_at(sc, start, "transaction numbers start at 1");
	return rc;
}

/* uuid:item[:item]... where an item is a tag or an interval. */
static int parse_mysql_elem(scan *sc, dm_gtid_set *set)
{
	unsigned char uuid[16];
	char tag[DM_GTID_TAG_MAX + 1] = "";
	size_t tag_len = 0;
	int rc = parse_uuid(sc, uuid);

	if (rc)
		return rc;
	skip_ws(sc);
	if (peek(sc) != ':')
		return fail(sc, "expected ':' after the UUID");
	while (peek(sc) == ':') {
		uint64_t first, last;
		size_t at;

		sc->pos++;
		skip_ws(sc);
		if (dm__gtid_tag_start(peek(sc))) {
			rc = parse_tag(sc, tag, &tag_len);
			if (rc)
				return rc;
			skip_ws(sc);
			if (peek(sc) != ':')
				return fail(sc, "expected ':' and transaction "
						"numbers after the tag");
			sc->pos++;
			skip_ws(sc);
			if (!is_digit(peek(sc)))
				return fail(sc, "expected a transaction "
						"number after the tag");
		} else if (!is_digit(peek(sc))) {
			return fail(sc, "expected a tag or a transaction number");
		}
		rc = parse_gno(sc, &first);
		if (rc)
			return rc;
		last = first;
		skip_ws(sc);
		if (peek(sc) == '-') {
			sc->pos++;
			skip_ws(sc);
			at = sc->pos;
			rc = parse_gno(sc, &last);
			if (rc)
				return rc;
			if (last < first)
				return fail_at(sc, at, "interval end is below "
						       "its start");
			skip_ws(sc);
		}
		if (dm__gtid_add_iv(set, uuid, tag, tag_len, first, last) != 0)
			return dm_error_set(sc->err, DM_E_NO_MEMORY,
					    "parsing a GTID set");
	}
	return 0;
}

static int parse_maria_gtid(scan *sc, uint32_t *domain, uint32_t *server,
			    uint64_t *seq)
{
	uint64_t d, s;
	int rc = parse_num(sc, U32_MAX_VALUE, "a domain id", &d);

	if (rc)
		return rc;
	if (peek(sc) != '-')
		return fail(sc, "expected '-' after the domain id");
	sc->pos++;
	rc = parse_num(sc, U32_MAX_VALUE, "a server id", &s);
	if (rc)
		return rc;
	if (peek(sc) != '-')
		return fail(sc, "expected '-' after the server id");
	sc->pos++;
	rc = parse_num(sc, U64_MAX_VALUE, "a sequence number", seq);
	if (rc)
		return rc;
	*domain = (uint32_t)d;
	*server = (uint32_t)s;
	return 0;
}

static int parse_maria_elem(scan *sc, dm_gtid_set *set)
{
	uint32_t domain, server;
	uint64_t seq;
	int rc = parse_maria_gtid(sc, &domain, &server, &seq);

	if (rc)
		return rc;
	if (dm__gtid_add_maria(set, domain, server, seq) != 0)
		return dm_error_set(sc->err, DM_E_NO_MEMORY,
				    "parsing a GTID set");
	return 0;
}

static bool text_ok(const char *text, size_t len)
{
	return text || len == 0;
}

int dm_gtid_set_parse(dm_gtid_set **out, dm_gtid_flavor flavor,
		      const char *text, size_t len, dm_error **err)
{
	scan sc;
	dm_gtid_set *set;
	int rc = 0;

	if (out)
		*out = NULL;
	if (!out || !text_ok(text, len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_set_parse: NULL argument");
	if (flavor != DM_GTID_MYSQL && flavor != DM_GTID_MARIADB)
		return dm_error_set(err, DM_E_NOT_SUPPORTED_FLAVOR,
				    "GTID flavor %d", (int)flavor);
	set = dm__gtid_set_alloc(flavor);
	if (!set)
		return dm_error_set(err, DM_E_NO_MEMORY, "parsing a GTID set");
	sc.s = text;
	sc.len = len;
	sc.pos = 0;
	sc.err = err;
	sc.status = flavor == DM_GTID_MYSQL ? DM_E_BINLOG_GTID_MYSQL_NOT_VALID
					    : DM_E_BINLOG_GTID_MARIADB_NOT_VALID;
	skip_ws(&sc);
	while (sc.pos < sc.len) {
		if (peek(&sc) == ',') {
			rc = fail(&sc, "empty element before ','");
			break;
		}
		rc = flavor == DM_GTID_MYSQL ? parse_mysql_elem(&sc, set)
					     : parse_maria_elem(&sc, set);
		if (rc)
			break;
		skip_ws(&sc);
		if (sc.pos == sc.len)
			break;
		if (peek(&sc) != ',') {
			rc = fail(&sc, flavor == DM_GTID_MYSQL
					       ? "expected ',' or ':'"
					       : "expected ','");
			break;
		}
		sc.pos++;
		skip_ws(&sc);
		if (sc.pos == sc.len) {
			rc = fail(&sc, "expected a GTID after ','");
			break;
		}
	}
	if (rc) {
		dm_gtid_set_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

int dm_gtid_parse(dm_gtid *out, dm_gtid_flavor flavor, const char *text,
		  size_t len, dm_error **err)
{
	scan sc;
	dm_gtid g;
	int rc;

	if (!out || !text_ok(text, len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_gtid_parse: NULL argument");
	if (flavor != DM_GTID_MYSQL && flavor != DM_GTID_MARIADB)
		return dm_error_set(err, DM_E_NOT_SUPPORTED_FLAVOR,
				    "GTID flavor %d", (int)flavor);
	memset(&g, 0, sizeof(g));
	g.flavor = flavor;
	sc.s = text;
	sc.len = len;
	sc.pos = 0;
	sc.err = err;
	sc.status = DM_E_PARSE_GTID;
	skip_ws(&sc);
	if (flavor == DM_GTID_MARIADB) {
		rc = parse_maria_gtid(&sc, &g.domain, &g.server, &g.seq);
	} else {
		size_t tag_len;

		rc = parse_uuid(&sc, g.uuid);
		if (!rc) {
			skip_ws(&sc);
			if (peek(&sc) != ':')
				rc = fail(&sc, "expected ':' after the UUID");
		}
		if (!rc) {
			sc.pos++;
			skip_ws(&sc);
			if (dm__gtid_tag_start(peek(&sc))) {
				rc = parse_tag(&sc, g.tag, &tag_len);
				if (!rc) {
					skip_ws(&sc);
					if (peek(&sc) != ':')
						rc = fail(&sc, "expected ':' "
							       "after the tag");
				}
				if (!rc) {
					sc.pos++;
					skip_ws(&sc);
				}
			}
		}
		if (!rc)
			rc = parse_gno(&sc, &g.gno);
	}
	if (!rc) {
		skip_ws(&sc);
		if (sc.pos < sc.len)
			rc = fail(&sc, "expected the end of the GTID");
	}
	if (rc)
		return rc;
	*out = g;
	return 0;
}
