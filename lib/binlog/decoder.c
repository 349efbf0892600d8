/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The binlog decoder: common header, checksums, FORMAT_DESCRIPTION and the
 * decoder's state. Event bodies are parsed in events.c, TABLE_MAP in
 * tablemap.c, rows in rows.c. A pure function of the bytes it is given.
 */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "binlog/binlog_private.h"
#include "binlog/cursor.h"
#include "log/logging.h"
#include "util/alloc.h"

#define DEFAULT_MAX_DECOMPRESSED ((size_t)1 << 30)
#define DEFAULT_MAX_TABLES 4096
#define FDE_FIXED_LEN 57 /* version 2 + server version 50 + time 4 + hdr 1 */

static const char *const type_names[] = {
	[0] = "Unknown",
	[1] = "Start_v3",
	[2] = "Query",
	[3] = "Stop",
	[4] = "Rotate",
	[5] = "Intvar",
	[6] = "Load",
	[7] = "Slave",
	[8] = "Create_file",
	[9] = "Append_block",
	[10] = "Exec_load",
	[11] = "Delete_file",
	[12] = "New_load",
	[13] = "RAND",
	[14] = "User var",
	[15] = "Format_desc",
	[16] = "Xid",
	[17] = "Begin_load_query",
	[18] = "Execute_load_query",
	[19] = "Table_map",
	[20] = "Write_rows_event_old",
	[21] = "Update_rows_event_old",
	[22] = "Delete_rows_event_old",
	[23] = "Write_rows_v1",
	[24] = "Update_rows_v1",
	[25] = "Delete_rows_v1",
	[26] = "Incident",
	[27] = "Heartbeat",
	[28] = "Ignorable",
	[29] = "Rows_query",
	[30] = "Write_rows",
	[31] = "Update_rows",
	[32] = "Delete_rows",
	[33] = "Gtid",
	[34] = "Anonymous_Gtid",
	[35] = "Previous_gtids",
	[36] = "Transaction_context",
	[37] = "View_change",
	[38] = "XA_prepare",
	[39] = "Update_rows_partial",
	[40] = "Transaction_payload",
	[41] = "Heartbeat_v2",
	[42] = "Gtid_tagged",
};

static const char *const maria_type_names[] = {
	"Annotate_rows",              /* 160 */
	"Binlog_checkpoint",          /* 161 */
	"Gtid",                       /* 162 */
	"Gtid_list",                  /* 163 */
	"Start_encryption",           /* 164 */
	"Query_compressed",           /* 165 */
	"Write_rows_compressed_v1",   /* 166 */
	"Update_rows_compressed_v1",  /* 167 */
	"Delete_rows_compressed_v1",  /* 168 */
	"Write_rows_compressed",      /* 169 */
	"Update_rows_compressed",     /* 170 */
	"Delete_rows_compressed",     /* 171 */
};

DM_API const char *dm_binlog_event_type_name(int type)
{
	if (type >= 0 && (size_t)type < sizeof(type_names) / sizeof(type_names[0]) &&
	    type_names[type])
		return type_names[type];
	if (type >= 160 && type <= 171)
		return maria_type_names[type - 160];
	return "Unknown";
}

int dm__binlog_nomem(dm_error **err)
{
	return dm_error_set(err, DM_E_NO_MEMORY, "binlog decoder");
}

int dm__binlog_fail(dm_binlog_decoder *d, dm_error **err, int status,
		    const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (d->cur_inner)
		return dm_error_set(err, status,
				    "%s:%" PRIu64 ": %s event at offset %zu "
				    "inside the Transaction_payload: %s",
				    d->cur_file ? d->cur_file : "stream",
				    d->cur_pos,
				    dm_binlog_event_type_name(d->cur_type),
				    d->cur_inner_off, msg);
	return dm_error_set(err, status, "%s:%" PRIu64 ": %s event: %s",
			    d->cur_file ? d->cur_file : "stream", d->cur_pos,
			    dm_binlog_event_type_name(d->cur_type), msg);
}

/* ------------------------------------------------------------ lifecycle */

static void forget_format(dm_binlog_decoder *d)
{
	d->have_fde = false;
	memset(&d->fde, 0, sizeof(d->fde));
	d->server_version[0] = '\0';
	d->nphl = 0;
	memset(d->phl, 0, sizeof(d->phl));
	d->header_len = DM__BINLOG_HEADER_LEN;
	d->checksum = d->opts.initial_checksum;
}

DM_API int dm_binlog_decoder_new(dm_binlog_decoder **out, dm_ctx *ctx,
				 const dm_binlog_decoder_opts *opts,
				 dm_error **err)
{
	dm_binlog_decoder_opts defaults = DM_BINLOG_DECODER_OPTS_INIT;
	dm_binlog_decoder *d;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_decoder_new: out is NULL");
	*out = NULL;
	if (opts && opts->version != DM_BINLOG_DECODER_OPTS_VERSION)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_decoder_opts version %u, "
				    "expected %u", opts->version,
				    DM_BINLOG_DECODER_OPTS_VERSION);
	d = dm__calloc(1, sizeof(*d));
	if (!d)
		return dm__binlog_nomem(err);
	d->ctx = ctx;
	d->opts = opts ? *opts : defaults;
	if (d->opts.max_decompressed == 0)
		d->opts.max_decompressed = DEFAULT_MAX_DECOMPRESSED;
	if (d->opts.max_tables == 0)
		d->opts.max_tables = DEFAULT_MAX_TABLES;
	if (d->opts.initial_checksum != DM_BINLOG_CHECKSUM_OFF &&
	    d->opts.initial_checksum != DM_BINLOG_CHECKSUM_CRC32)
		d->opts.initial_checksum = DM_BINLOG_CHECKSUM_UNDEF;
	if (d->opts.source_name) {
		d->source = dm__strdup(d->opts.source_name);
		if (!d->source) {
			dm__free(d);
			return dm__binlog_nomem(err);
		}
		d->file = dm__strdup(d->opts.source_name);
		if (!d->file) {
			dm__free(d->source);
			dm__free(d);
			return dm__binlog_nomem(err);
		}
	}
	d->opts.source_name = d->source;
	dm__map_init(&d->tables, DM__MAP_U64, NULL);
	forget_format(d);
	*out = d;
	return 0;
}

DM_API void dm_binlog_decoder_free(dm_binlog_decoder *d)
{
	size_t i;

	if (!d)
		return;
	dm__binlog_tables_free(d);
	dm__map_free(&d->tables);
	dm__binlog_payload_free(d);
	dm_buf_free(&d->text_outer);
	dm_buf_free(&d->text_inner);
	dm_buf_free(&d->unz_outer);
	dm_buf_free(&d->unz_inner);
	dm_buf_free(&d->payload);
	dm_buf_free(&d->json_tmp);
	dm_buf_free(&d->rows_head);
	for (i = 0; i < d->json_cap; i++)
		dm_buf_free(&d->json[i]);
	dm__free(d->json);
	dm__free(d->vals);
	dm__free(d->dec);
	dm__free(d->file);
	dm__free(d->pending_file);
	dm__free(d->source);
	dm__free(d);
}

DM_API void dm_binlog_decoder_reset(dm_binlog_decoder *d)
{
	if (!d)
		return;
	forget_format(d);
	dm__binlog_tables_clear(d);
	dm__free(d->pending_file);
	d->pending_file = NULL;
	dm__free(d->file);
	d->file = d->source ? dm__strdup(d->source) : NULL;
	memset(&d->ev, 0, sizeof(d->ev));
	memset(&d->inner, 0, sizeof(d->inner));
	d->rows.ev = NULL;
	d->pl.open = false;
}

void dm__binlog_decoder_fix_file(dm_binlog_decoder *d, bool fixed)
{
	d->fixed_file = fixed;
}

DM_API int dm_binlog_decoder_set_file(dm_binlog_decoder *d, const char *name,
				      dm_error **err)
{
	char *copy;

	if (!d || !name)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_decoder_set_file: NULL argument");
	copy = dm__strdup(name);
	if (!copy)
		return dm__binlog_nomem(err);
	dm__free(d->file);
	d->file = copy;
	dm__free(d->pending_file);
	d->pending_file = NULL;
	return 0;
}

DM_API const dm_binlog_fde *dm_binlog_decoder_format(const dm_binlog_decoder *d)
{
	return d && d->have_fde ? &d->fde : NULL;
}

DM_API const char *dm_binlog_decoder_file(const dm_binlog_decoder *d)
{
	return d && d->file ? d->file : "stream";
}

DM_API int dm_binlog_decoder_checksum(const dm_binlog_decoder *d)
{
	return d ? d->checksum : DM_BINLOG_CHECKSUM_UNDEF;
}

/* ------------------------------------------------------- server versions */

/* "8.0.34-log" -> 80034; "10.11.13-MariaDB" -> 101113; 0 when unparsable. */
static unsigned version_number(const char *s)
{
	unsigned part[3] = { 0, 0, 0 };
	int i;

	for (i = 0; i < 3; i++) {
		unsigned v = 0;
		int digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s - '0');
			s++;
			digits++;
		}
		if (!digits)
			return 0;
		part[i] = v;
		if (i < 2) {
			if (*s != '.')
				return i == 0 ? 0 : part[0] * 10000 +
					part[1] * 100;
			s++;
		}
	}
	if (part[1] > 99 || part[2] > 99)
		return 0;
	return part[0] * 10000 + part[1] * 100 + part[2];
}

/* Servers from MySQL 5.6.1 and MariaDB 5.3 write the checksum algorithm
 * (and a checksum) into their FORMAT_DESCRIPTION. */
static bool version_has_checksum(const char *version)
{
	unsigned n = version_number(version);

	if (strstr(version, "MariaDB") || strstr(version, "mariadb"))
		return n >= 50300;
	return n >= 50601;
}

/* ------------------------------------------------------------- checksums */

bool dm__binlog_crc_ok(const unsigned char *buf, size_t len, bool fde)
{
	uint32_t crc, stored;

	if (len < DM__BINLOG_HEADER_LEN + DM__BINLOG_CRC_LEN)
		return false;
	stored = (uint32_t)le_get(buf + len - 4, 4);
	if (fde && (buf[17] & DM_BINLOG_F_BINLOG_IN_USE)) {
		/* In a file, MySQL computes the FDE's checksum with the
		 * in-use flag cleared (the flag is set in place while the
		 * file is open); a server sending it over the wire may have
		 * checksummed it with the flag set. Either is accepted. */
		unsigned char flags[2] = {
			(unsigned char)(buf[17] & ~DM_BINLOG_F_BINLOG_IN_USE),
			buf[18]
		};
		crc = dm__binlog_crc32(0, buf, 17);
		crc = dm__binlog_crc32(crc, flags, 2);
		crc = dm__binlog_crc32(crc, buf + 19, len - 4 - 19);
		if (crc == stored)
			return true;
		crc = dm__binlog_crc32(0, buf, len - 4);
	} else {
		crc = dm__binlog_crc32(0, buf, len - 4);
	}
	return crc == stored;
}

/* --------------------------------------------------- format description */

static void install_default_phl(dm_binlog_decoder *d, bool mariadb)
{
	static const uint8_t mysql_phl[42] = {
		56, 13, 0, 8, 0, 18, 0, 4, 4, 4, 4, 18, 0, 0, 98, 0, 4, 26,
		8, 0, 0, 0, 8, 8, 8, 2, 0, 0, 0, 10, 10, 10, 42, 42, 0, 18,
		52, 0, 10, 40, 0, 42
	};

	memset(d->phl, 0, sizeof(d->phl));
	memcpy(d->phl, mysql_phl, sizeof(mysql_phl));
	d->nphl = sizeof(mysql_phl);
	if (mariadb) {
		d->phl[160 - 1] = 0;  /* ANNOTATE_ROWS */
		d->phl[161 - 1] = 4;  /* BINLOG_CHECKPOINT */
		d->phl[162 - 1] = 19; /* GTID */
		d->phl[163 - 1] = 4;  /* GTID_LIST */
		d->phl[164 - 1] = 0;
		d->phl[165 - 1] = 13;
		d->phl[166 - 1] = 8;
		d->phl[167 - 1] = 8;
		d->phl[168 - 1] = 8;
		d->phl[169 - 1] = 10;
		d->phl[170 - 1] = 10;
		d->phl[171 - 1] = 10;
		d->nphl = 171;
	}
}

DM_API int dm_binlog_decoder_set_format(dm_binlog_decoder *d,
					const char *server_version,
					int checksum_alg, dm_error **err)
{
	size_t n;

	if (!d || !server_version)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_decoder_set_format: NULL "
				    "argument");
	if (checksum_alg != DM_BINLOG_CHECKSUM_OFF &&
	    checksum_alg != DM_BINLOG_CHECKSUM_CRC32)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_decoder_set_format: checksum "
				    "algorithm %d is neither OFF (0) nor "
				    "CRC32 (1)", checksum_alg);
	n = strlen(server_version);
	if (n > 50)
		n = 50;
	memcpy(d->server_version, server_version, n);
	d->server_version[n] = '\0';
	memset(&d->fde, 0, sizeof(d->fde));
	d->fde.binlog_version = 4;
	d->fde.server_version = d->server_version;
	d->fde.server_version_number = version_number(d->server_version);
	d->fde.mariadb = strstr(d->server_version, "MariaDB") != NULL;
	d->fde.header_length = DM__BINLOG_HEADER_LEN;
	install_default_phl(d, d->fde.mariadb);
	d->fde.post_header_lengths = d->phl;
	d->fde.npost_header_lengths = d->nphl;
	d->fde.checksum_alg = (uint8_t)checksum_alg;
	d->header_len = DM__BINLOG_HEADER_LEN;
	d->checksum = checksum_alg;
	d->have_fde = true;
	return 0;
}

/* The FDE's body: version, server version, create time, header length,
 * post-header lengths, and (5.6.1+) the checksum algorithm. */
static int parse_fde(dm_binlog_decoder *d, dm_binlog_event *ev,
		     uint8_t alg, bool has_alg, dm_error **err)
{
	dm__cur c = cur_make(ev->body, ev->body_len);
	const unsigned char *ver, *phl;
	uint16_t binlog_version;
	uint32_t created;
	uint8_t hlen;
	size_t nphl, n;

	if (!cur_u16(&c, &binlog_version) || !cur_take(&c, 50, &ver) ||
	    !cur_u32(&c, &created) || !cur_u8(&c, &hlen))
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "body of %zu bytes is shorter than the "
				       "%d fixed bytes", ev->body_len,
				       FDE_FIXED_LEN);
	if (binlog_version != 4)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "binlog format version %u is not "
				       "supported (only version 4, MySQL 5.0 "
				       "and later)", binlog_version);
	if (hlen < DM__BINLOG_HEADER_LEN)
		return dm__binlog_fail(d, err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				       "common header length %u is below 19",
				       hlen);
	nphl = cur_left(&c);
	if (has_alg)
		nphl--; /* the algorithm byte; the CRC is already cut off */
	if (!cur_take(&c, nphl, &phl))
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "post-header lengths truncated");
	if (nphl > sizeof(d->phl))
		nphl = sizeof(d->phl);

	n = strnlen((const char *)ver, 50);
	memcpy(d->server_version, ver, n);
	d->server_version[n] = '\0';
	memset(d->phl, 0, sizeof(d->phl));
	memcpy(d->phl, phl, nphl);
	d->nphl = nphl;
	d->header_len = hlen;
	d->have_fde = true;
	d->checksum = has_alg ? alg : DM_BINLOG_CHECKSUM_OFF;
	if (has_alg && alg != DM_BINLOG_CHECKSUM_OFF &&
	    alg != DM_BINLOG_CHECKSUM_CRC32)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "unknown checksum algorithm %u", alg);

	d->fde.binlog_version = binlog_version;
	d->fde.server_version = d->server_version;
	d->fde.server_version_number = version_number(d->server_version);
	d->fde.mariadb = strstr(d->server_version, "MariaDB") != NULL ||
			 strstr(d->server_version, "mariadb") != NULL;
	d->fde.create_timestamp = created;
	d->fde.header_length = hlen;
	d->fde.post_header_lengths = d->phl;
	d->fde.npost_header_lengths = d->nphl;
	d->fde.checksum_alg = has_alg ? alg : DM_BINLOG_CHECKSUM_UNDEF;
	ev->u.fde = d->fde;
	ev->kind = DM_BINLOG_KIND_FORMAT_DESCRIPTION;
	return 0;
}

/* ----------------------------------------------------------------- decode */

static void apply_pending_file(dm_binlog_decoder *d)
{
	if (!d->pending_file)
		return;
	dm__free(d->file);
	d->file = d->pending_file;
	d->pending_file = NULL;
}

/* A ROTATE names the file the next events come from. Readers name files
 * themselves (a relay log carries the source's ROTATEs). */
static int note_rotate(dm_binlog_decoder *d, const dm_binlog_event *ev,
		       dm_error **err)
{
	char *name;

	if (d->fixed_file || ev->inner || ev->u.rotate.next_file.len == 0)
		return 0;
	name = dm__strndup(ev->u.rotate.next_file.ptr,
			   ev->u.rotate.next_file.len);
	if (!name)
		return dm__binlog_nomem(err);
	dm__free(d->pending_file);
	d->pending_file = name;
	/* A fake ROTATE (position 0 in the header) comes before the events
	 * of the file it names: use the name at once. */
	if (ev->log_pos == 0 || (ev->flags & DM_BINLOG_F_ARTIFICIAL))
		apply_pending_file(d);
	return 0;
}

/* Zeroes the member of ev->u that the event's type fills (all of the
 * union for the rare types): the parsers count on zeroed fields, and a
 * 536-byte memset per event shows in profiles. */
static void clear_union(dm_binlog_event *ev)
{
	/* Copies of zeroed members: compilers turn these into a few vector
	 * stores where a memset of the same size can become "rep stos",
	 * slow to start. */
	static const dm_binlog_rows zero_rows;
	static const dm_binlog_gtid zero_gtid;
	static const dm_binlog_mariadb_gtid zero_mariadb_gtid;

	switch (ev->type) {
	case DM_BINLOG_WRITE_ROWS_EVENT_V1:
	case DM_BINLOG_UPDATE_ROWS_EVENT_V1:
	case DM_BINLOG_DELETE_ROWS_EVENT_V1:
	case DM_BINLOG_WRITE_ROWS_EVENT:
	case DM_BINLOG_UPDATE_ROWS_EVENT:
	case DM_BINLOG_DELETE_ROWS_EVENT:
		ev->u.rows = zero_rows;
		break;
	case DM_BINLOG_TABLE_MAP_EVENT:
		ev->u.table_map = NULL;
		break;
	case DM_BINLOG_XID_EVENT:
		ev->u.xid = 0;
		break;
	case DM_BINLOG_ROWS_QUERY_EVENT:
	case DM_BINLOG_MARIADB_ANNOTATE_ROWS_EVENT:
		ev->u.rows_query.query = (dm_str){ NULL, 0 };
		break;
	case DM_BINLOG_MARIADB_GTID_EVENT:
		ev->u.mariadb_gtid = zero_mariadb_gtid;
		break;
	case DM_BINLOG_GTID_EVENT:
	case DM_BINLOG_ANONYMOUS_GTID_EVENT:
		ev->u.gtid = zero_gtid;
		break;
	default:
		memset(&ev->u, 0, sizeof(ev->u));
		break;
	}
}

int dm__binlog_decode_into(dm_binlog_decoder *d, dm_binlog_event *ev,
			   const unsigned char *buf, size_t len, uint64_t pos,
			   bool inner, dm_error **err)
{
	dm__cur c = cur_make(buf, len);
	uint32_t ts, server_id, size, log_pos;
	uint8_t type;
	uint16_t flags;
	size_t hlen, tail = 0;
	bool crc = false;
	int rc;

	d->cur_file = d->file;
	d->cur_pos = pos;
	d->cur_type = len > 4 ? buf[4] : 0;
	d->cur_inner = inner;
	if (!cur_u32(&c, &ts) || !cur_u8(&c, &type) ||
	    !cur_u32(&c, &server_id) || !cur_u32(&c, &size) ||
	    !cur_u32(&c, &log_pos) || !cur_u16(&c, &flags))
		return dm__binlog_fail(d, err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				       "event of %zu bytes is shorter than "
				       "the 19-byte common header", len);
	if (size != len)
		return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
				       "header says the event has %" PRIu32
				       " bytes, %zu given", size, len);
	hlen = d->have_fde && type != DM_BINLOG_FORMAT_DESCRIPTION_EVENT ?
		d->header_len : DM__BINLOG_HEADER_LEN;

	/* Every field of the header part is set here; the union is cleared
	 * by clear_union(), only as far as the event's member reaches for
	 * the frequent types. */
	ev->version = 1;
	ev->timestamp = ts;
	ev->type = type;
	ev->server_id = server_id;
	ev->event_size = size;
	ev->log_pos = log_pos;
	ev->flags = flags;
	ev->file = d->file ? d->file : "stream";
	ev->pos = pos;
	ev->inner = inner;
	ev->raw = buf;
	ev->raw_len = len;
	ev->body = NULL;
	ev->body_len = 0;
	ev->has_checksum = false;
	ev->checksum = 0;
	ev->kind = DM_BINLOG_KIND_UNKNOWN;

	clear_union(ev);
	if (type == DM_BINLOG_FORMAT_DESCRIPTION_EVENT && !inner) {
		/* The server version decides whether a checksum follows. */
		const char *ver = len >= 19 + 52 ? (const char *)buf + 21 : "";
		char vbuf[51];
		size_t vn = len >= 19 + 52 ? strnlen(ver, 50) : 0;
		bool has_alg;
		uint8_t alg = DM_BINLOG_CHECKSUM_UNDEF;

		memcpy(vbuf, ver, vn);
		vbuf[vn] = '\0';
		has_alg = version_has_checksum(vbuf);
		if (has_alg) {
			if (len < 19 + FDE_FIXED_LEN + 5)
				return dm__binlog_fail(d, err,
						       DM_E_BINLOG_EVENT_DECODE,
						       "event of %zu bytes too "
						       "short for a checksummed "
						       "format description", len);
			alg = buf[len - 5];
			tail = DM__BINLOG_CRC_LEN;
			ev->has_checksum = true;
			ev->checksum = (uint32_t)le_get(buf + len - 4, 4);
			if (alg == DM_BINLOG_CHECKSUM_CRC32 &&
			    d->opts.verify_checksum &&
			    !dm__binlog_crc_ok(buf, len, true))
				return dm__binlog_fail(
					d, err, DM_E_BINLOG_EVENT_DECODE,
					"checksum mismatch: stored 0x%08" PRIx32
					", computed over the event differs",
					ev->checksum);
		}
		ev->body = buf + DM__BINLOG_HEADER_LEN;
		ev->body_len = len - DM__BINLOG_HEADER_LEN - tail;
		/* Tables survive a new format: a relay log's second FDE comes
		 * between a TABLE_MAP and its rows only in theory, but costs
		 * nothing to allow. */
		rc = parse_fde(d, ev, alg, has_alg, err);
		if (rc)
			return rc;
		apply_pending_file(d);
		ev->file = d->file ? d->file : "stream";
		return 0;
	}

	if (!inner) {
		apply_pending_file(d);
		ev->file = d->file ? d->file : "stream";
		d->cur_file = d->file;
		if (d->checksum == DM_BINLOG_CHECKSUM_CRC32) {
			crc = true;
		} else if (d->checksum == DM_BINLOG_CHECKSUM_UNDEF &&
			   !d->have_fde) {
			/* Before any FDE (a live stream's fake ROTATE):
			 * a matching CRC32 trailer is taken as one. */
			crc = dm__binlog_crc_ok(buf, len, false);
		}
	}
	if (crc) {
		if (len < hlen + DM__BINLOG_CRC_LEN)
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "event of %zu bytes has no room "
					       "for its 4-byte checksum", len);
		tail = DM__BINLOG_CRC_LEN;
		ev->has_checksum = true;
		ev->checksum = (uint32_t)le_get(buf + len - 4, 4);
		if (d->opts.verify_checksum && !dm__binlog_crc_ok(buf, len, false))
			return dm__binlog_fail(d, err, DM_E_BINLOG_EVENT_DECODE,
					       "checksum mismatch: stored "
					       "0x%08" PRIx32 " does not match "
					       "the event's CRC32", ev->checksum);
	}
	if (len < hlen + tail)
		return dm__binlog_fail(d, err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				       "event of %zu bytes is shorter than the "
				       "%zu-byte common header", len, hlen);
	ev->body = buf + hlen;
	ev->body_len = len - hlen - tail;

	rc = dm__binlog_parse_body(d, ev, err);
	if (rc)
		return rc;
	if (ev->kind == DM_BINLOG_KIND_ROTATE)
		return note_rotate(d, ev, err);
	return 0;
}

DM_API int dm_binlog_decode(dm_binlog_decoder *d, const dm_binlog_event **out,
			    const unsigned char *buf, size_t len, uint64_t pos,
			    dm_error **err)
{
	int rc;

	if (!d || !out || (!buf && len))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_decode: NULL argument");
	*out = NULL;
	/* Everything borrowed from the previous event ends here. */
	d->rows.ev = NULL;
	d->pl.open = false;
	rc = dm__binlog_decode_into(d, &d->ev, buf, len, pos, false, err);
	if (rc)
		return rc;
	*out = &d->ev;
	return 0;
}

/* ------------------------------------------------------------ predicates */

DM_API bool dm_binlog_event_is_rows(const dm_binlog_event *ev)
{
	return ev && ev->kind == DM_BINLOG_KIND_ROWS;
}

DM_API bool dm_binlog_event_starts_transaction(const dm_binlog_event *ev)
{
	if (!ev)
		return false;
	switch (ev->kind) {
	case DM_BINLOG_KIND_GTID:
		return true;
	case DM_BINLOG_KIND_MARIADB_GTID:
		return !(ev->u.mariadb_gtid.flags & DM_BINLOG_MGTID_STANDALONE);
	case DM_BINLOG_KIND_QUERY:
		return ev->u.query.query.len == 5 &&
		       memcmp(ev->u.query.query.ptr, "BEGIN", 5) == 0;
	default:
		return false;
	}
}

DM_API dm_binlog_mariadb_gtid_entry
dm_binlog_gtid_list_entry(const dm_binlog_mariadb_gtid_list *l, uint32_t i)
{
	dm_binlog_mariadb_gtid_entry e = { 0, 0, 0 };

	if (!l || i >= l->count || !l->entries)
		return e;
	e.domain_id = (uint32_t)le_get(l->entries + (size_t)i * 16, 4);
	e.server_id = (uint32_t)le_get(l->entries + (size_t)i * 16 + 4, 4);
	e.seq_no = le_get(l->entries + (size_t)i * 16 + 8, 8);
	return e;
}
