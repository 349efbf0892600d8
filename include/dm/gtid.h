/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GTIDs and GTID sets of both flavors: MySQL (uuid[:tag]:gno intervals) and
 * MariaDB (domain-server-seq). Text and binary (PREVIOUS_GTIDS,
 * COM_BINLOG_DUMP_GTID, GTID_LIST) forms. See dm_gtid(3).
 */
#ifndef DM_GTID_H
#define DM_GTID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum dm_gtid_flavor {
	DM_GTID_MYSQL = 1,
	DM_GTID_MARIADB = 2
} dm_gtid_flavor;

/* Limits of MySQL GTIDs: transaction numbers are 1..DM_GTID_MYSQL_GNO_MAX
 * (2^63 - 2, as in the server); tags have 1..DM_GTID_TAG_MAX characters. */
#define DM_GTID_MYSQL_GNO_MAX 9223372036854775806ULL
#define DM_GTID_TAG_MAX 32

/* One GTID, a plain value. Only the fields of its flavor are meaningful.
 * May only grow at the end. */
typedef struct dm_gtid {
	dm_gtid_flavor flavor;
	/* MySQL: source UUID, tag ("" when untagged, else lower case), gno. */
	unsigned char uuid[16];
	char tag[DM_GTID_TAG_MAX + 1];
	uint64_t gno;
	/* MariaDB: domain, server id, sequence number. */
	uint32_t domain;
	uint32_t server;
	uint64_t seq;
} dm_gtid;

typedef struct dm_gtid_set dm_gtid_set;

/* Single GTIDs: "uuid:gno", "uuid:tag:gno" or "domain-server-seq". */
DM_API int dm_gtid_parse(dm_gtid *out, dm_gtid_flavor flavor,
			 const char *text, size_t len, dm_error **err);
DM_API int dm_gtid_format(dm_buf *out, const dm_gtid *gtid);
DM_API bool dm_gtid_equal(const dm_gtid *a, const dm_gtid *b);

/* Sets: creating, copying, releasing. */
DM_API int dm_gtid_set_new(dm_gtid_set **out, dm_gtid_flavor flavor,
			   dm_error **err);
DM_API int dm_gtid_set_parse(dm_gtid_set **out, dm_gtid_flavor flavor,
			     const char *text, size_t len, dm_error **err);
DM_API int dm_gtid_set_clone(dm_gtid_set **out, const dm_gtid_set *set,
			     dm_error **err);
DM_API void dm_gtid_set_free(dm_gtid_set *set);

/* Canonical text; the position form keeps one GTID per MariaDB domain. */
DM_API int dm_gtid_set_format(dm_buf *out, const dm_gtid_set *set);
DM_API int dm_gtid_set_format_position(dm_buf *out, const dm_gtid_set *set);

/* Questions. */
DM_API dm_gtid_flavor dm_gtid_set_flavor(const dm_gtid_set *set);
DM_API bool dm_gtid_set_is_empty(const dm_gtid_set *set);
DM_API bool dm_gtid_set_equal(const dm_gtid_set *a, const dm_gtid_set *b);
DM_API bool dm_gtid_set_contains(const dm_gtid_set *a, const dm_gtid_set *b);
DM_API bool dm_gtid_set_contains_gtid(const dm_gtid_set *set,
				      const dm_gtid *gtid);

/* Changes in place; on failure the set is unchanged. */
DM_API int dm_gtid_set_add(dm_gtid_set *set, const dm_gtid *gtid,
			   dm_error **err);
DM_API int dm_gtid_set_add_interval(dm_gtid_set *set,
				    const unsigned char uuid[16],
				    const char *tag, uint64_t first,
				    uint64_t last, dm_error **err);
DM_API int dm_gtid_set_union(dm_gtid_set *dst, const dm_gtid_set *src,
			     dm_error **err);
DM_API int dm_gtid_set_subtract(dm_gtid_set *dst, const dm_gtid_set *src,
				dm_error **err);

/* Binary forms. MySQL: the PREVIOUS_GTIDS_LOG_EVENT body, also the set in
 * COM_BINLOG_DUMP_GTID. MariaDB: the GTID_LIST_EVENT body. */
#define DM_GTID_ENCODE_SKIP_TAGGED 0x1u
DM_API int dm_gtid_set_decode_mysql(dm_gtid_set **out, const void *data,
				    size_t len, size_t *used, dm_error **err);
DM_API int dm_gtid_set_encode_mysql(dm_buf *out, const dm_gtid_set *set,
				    unsigned flags);
DM_API int dm_gtid_set_decode_mariadb(dm_gtid_set **out, unsigned *out_flags,
				      const void *data, size_t len,
				      size_t *used, dm_error **err);
DM_API int dm_gtid_set_encode_mariadb(dm_buf *out, const dm_gtid_set *set,
				      unsigned flags);

#ifdef __cplusplus
}
#endif

#endif
