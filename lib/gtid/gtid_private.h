/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inside of dm_gtid_set, shared by the files of lib/gtid.
 *
 * A MySQL set is a vector of sources sorted by (uuid bytes, tag) with the
 * untagged source ("" tag) first for each uuid; each source holds a
 * non-empty vector of inclusive intervals, sorted, disjoint and not
 * adjacent (1-3 and 4-5 are always stored as 1-5). A MariaDB set is a
 * vector of (domain, server, seq) sorted by (domain, server), one entry per
 * pair, holding the highest seq seen. Every function keeps these
 * invariants, so equality is element-wise comparison and formatting needs
 * no sorting.
 */
#ifndef DM_LIB_GTID_PRIVATE_H
#define DM_LIB_GTID_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/gtid.h"
#include "util/vec.h"

typedef struct gtid_iv {
	uint64_t first;
	uint64_t last;
} gtid_iv;

typedef struct gtid_src {
	unsigned char uuid[16];
	unsigned char tag_len;
	char tag[DM_GTID_TAG_MAX + 1]; /* lower case, NUL-terminated */
	dm__vec ivs;                   /* gtid_iv */
} gtid_src;

typedef struct gtid_maria {
	uint32_t domain;
	uint32_t server;
	uint64_t seq;
} gtid_maria;

struct dm_gtid_set {
	dm_gtid_flavor flavor;
	dm__vec srcs;  /* gtid_src, MySQL */
	dm__vec maria; /* gtid_maria, MariaDB */
};

/* Empty set of a known flavor (allocation only). */
dm_gtid_set *dm__gtid_set_alloc(dm_gtid_flavor flavor);

/* Adds first..last (1 <= first <= last <= DM_GTID_MYSQL_GNO_MAX) to the
 * source (uuid, tag); `tag` is lower case and valid, tag_len may be 0.
 * DM_E_NO_MEMORY leaves the set unchanged. */
int dm__gtid_add_iv(dm_gtid_set *set, const unsigned char *uuid,
		    const char *tag, size_t tag_len, uint64_t first,
		    uint64_t last);
/* Adds (domain, server, seq), keeping the highest seq of the pair. */
int dm__gtid_add_maria(dm_gtid_set *set, uint32_t domain, uint32_t server,
		       uint64_t seq);

/* Tag characters: first [A-Za-z_], then [A-Za-z0-9_]. */
bool dm__gtid_tag_start(int c);
bool dm__gtid_tag_char(int c);
/* Checks a NUL-terminated tag ("" allowed) and copies it lower-cased into
 * out (room for DM_GTID_TAG_MAX + 1); false when it is not a valid tag. */
bool dm__gtid_tag_normalize(char *out, size_t *out_len, const char *tag);

/* Appends the 36-character lower-case text of a UUID. */
int dm__gtid_format_uuid(dm_buf *out, const unsigned char *uuid);

#endif
