/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binlog decoding: a pure decoder (bytes of one event in, a typed record
 * out), lazy row iteration into dm_values, and readers for binlog and relay
 * files. See dm_binlog_decoder(3), dm_binlog_rows(3), dm_binlog_reader(3)
 * and dm_binlog_event(3).
 */
#ifndef DM_BINLOG_H
#define DM_BINLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "err.h"
#include "log.h"
#include "util.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ event types */

/* Event type codes (the fifth byte of the common header). */
typedef enum dm_binlog_event_type {
	DM_BINLOG_UNKNOWN_EVENT = 0,
	DM_BINLOG_START_EVENT_V3 = 1,
	DM_BINLOG_QUERY_EVENT = 2,
	DM_BINLOG_STOP_EVENT = 3,
	DM_BINLOG_ROTATE_EVENT = 4,
	DM_BINLOG_INTVAR_EVENT = 5,
	DM_BINLOG_LOAD_EVENT = 6,
	DM_BINLOG_SLAVE_EVENT = 7,
	DM_BINLOG_CREATE_FILE_EVENT = 8,
	DM_BINLOG_APPEND_BLOCK_EVENT = 9,
	DM_BINLOG_EXEC_LOAD_EVENT = 10,
	DM_BINLOG_DELETE_FILE_EVENT = 11,
	DM_BINLOG_NEW_LOAD_EVENT = 12,
	DM_BINLOG_RAND_EVENT = 13,
	DM_BINLOG_USER_VAR_EVENT = 14,
	DM_BINLOG_FORMAT_DESCRIPTION_EVENT = 15,
	DM_BINLOG_XID_EVENT = 16,
	DM_BINLOG_BEGIN_LOAD_QUERY_EVENT = 17,
	DM_BINLOG_EXECUTE_LOAD_QUERY_EVENT = 18,
	DM_BINLOG_TABLE_MAP_EVENT = 19,
	DM_BINLOG_PRE_GA_WRITE_ROWS_EVENT = 20,
	DM_BINLOG_PRE_GA_UPDATE_ROWS_EVENT = 21,
	DM_BINLOG_PRE_GA_DELETE_ROWS_EVENT = 22,
	DM_BINLOG_WRITE_ROWS_EVENT_V1 = 23,
	DM_BINLOG_UPDATE_ROWS_EVENT_V1 = 24,
	DM_BINLOG_DELETE_ROWS_EVENT_V1 = 25,
	DM_BINLOG_INCIDENT_EVENT = 26,
	DM_BINLOG_HEARTBEAT_EVENT = 27,
	DM_BINLOG_IGNORABLE_EVENT = 28,
	DM_BINLOG_ROWS_QUERY_EVENT = 29,
	DM_BINLOG_WRITE_ROWS_EVENT = 30,
	DM_BINLOG_UPDATE_ROWS_EVENT = 31,
	DM_BINLOG_DELETE_ROWS_EVENT = 32,
	DM_BINLOG_GTID_EVENT = 33,
	DM_BINLOG_ANONYMOUS_GTID_EVENT = 34,
	DM_BINLOG_PREVIOUS_GTIDS_EVENT = 35,
	DM_BINLOG_TRANSACTION_CONTEXT_EVENT = 36,
	DM_BINLOG_VIEW_CHANGE_EVENT = 37,
	DM_BINLOG_XA_PREPARE_EVENT = 38,
	DM_BINLOG_PARTIAL_UPDATE_ROWS_EVENT = 39,
	DM_BINLOG_TRANSACTION_PAYLOAD_EVENT = 40,
	DM_BINLOG_HEARTBEAT_EVENT_V2 = 41,
	DM_BINLOG_GTID_TAGGED_EVENT = 42,
	DM_BINLOG_MARIADB_ANNOTATE_ROWS_EVENT = 160,
	DM_BINLOG_MARIADB_BINLOG_CHECKPOINT_EVENT = 161,
	DM_BINLOG_MARIADB_GTID_EVENT = 162,
	DM_BINLOG_MARIADB_GTID_LIST_EVENT = 163,
	DM_BINLOG_MARIADB_START_ENCRYPTION_EVENT = 164,
	DM_BINLOG_MARIADB_QUERY_COMPRESSED_EVENT = 165,
	DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT_V1 = 166,
	DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT_V1 = 167,
	DM_BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT_V1 = 168,
	DM_BINLOG_MARIADB_WRITE_ROWS_COMPRESSED_EVENT = 169,
	DM_BINLOG_MARIADB_UPDATE_ROWS_COMPRESSED_EVENT = 170,
	DM_BINLOG_MARIADB_DELETE_ROWS_COMPRESSED_EVENT = 171
} dm_binlog_event_type;

/* Name of an event type as MySQL's source spells it ("Write_rows_v1",
 * "Query", "Gtid_list"), or "Unknown". A static string. */
DM_API const char *dm_binlog_event_type_name(int type);

/* Which body of dm_binlog_event is filled in. Several event types share a
 * body (every rows event version has kind ROWS). */
typedef enum dm_binlog_kind {
	DM_BINLOG_KIND_UNKNOWN = 0,    /* ignorable unknown type: skip it */
	DM_BINLOG_KIND_FORMAT_DESCRIPTION, /* also START_EVENT_V3 */
	DM_BINLOG_KIND_QUERY,          /* QUERY, QUERY_COMPRESSED,
					* BEGIN/EXECUTE_LOAD_QUERY */
	DM_BINLOG_KIND_ROTATE,
	DM_BINLOG_KIND_STOP,
	DM_BINLOG_KIND_XID,
	DM_BINLOG_KIND_INTVAR,
	DM_BINLOG_KIND_RAND,
	DM_BINLOG_KIND_USER_VAR,
	DM_BINLOG_KIND_INCIDENT,
	DM_BINLOG_KIND_HEARTBEAT,      /* HEARTBEAT and HEARTBEAT_V2 */
	DM_BINLOG_KIND_TABLE_MAP,
	DM_BINLOG_KIND_ROWS,           /* every WRITE/UPDATE/DELETE version,
					* PARTIAL_UPDATE, MariaDB compressed */
	DM_BINLOG_KIND_ROWS_QUERY,     /* also MariaDB ANNOTATE_ROWS */
	DM_BINLOG_KIND_GTID,           /* GTID, ANONYMOUS_GTID, GTID_TAGGED */
	DM_BINLOG_KIND_PREVIOUS_GTIDS,
	DM_BINLOG_KIND_TRANSACTION_PAYLOAD,
	DM_BINLOG_KIND_XA_PREPARE,
	DM_BINLOG_KIND_MARIADB_GTID,
	DM_BINLOG_KIND_MARIADB_GTID_LIST,
	DM_BINLOG_KIND_MARIADB_BINLOG_CHECKPOINT,
	DM_BINLOG_KIND_LOAD_DATA,      /* LOAD, NEW_LOAD, CREATE_FILE,
					* APPEND_BLOCK, EXEC_LOAD, DELETE_FILE,
					* and BEGIN_LOAD_QUERY's block */
	DM_BINLOG_KIND_RAW             /* known type decoded no further:
					* SLAVE, IGNORABLE, TRANSACTION_CONTEXT,
					* VIEW_CHANGE; see body */
} dm_binlog_kind;

/* Common-header flags. */
#define DM_BINLOG_F_BINLOG_IN_USE 0x0001u
#define DM_BINLOG_F_THREAD_SPECIFIC 0x0004u
#define DM_BINLOG_F_SUPPRESS_USE 0x0008u
#define DM_BINLOG_F_ARTIFICIAL 0x0020u
#define DM_BINLOG_F_RELAY_LOG 0x0040u
#define DM_BINLOG_F_IGNORABLE 0x0080u

/* Checksum algorithms (FORMAT_DESCRIPTION's last byte). */
#define DM_BINLOG_CHECKSUM_OFF 0
#define DM_BINLOG_CHECKSUM_CRC32 1
#define DM_BINLOG_CHECKSUM_UNDEF 255

/* ----------------------------------------------------------------- bodies */

typedef struct dm_binlog_fde {
	uint16_t binlog_version;
	const char *server_version;     /* NUL-terminated, e.g. "8.0.34" */
	unsigned server_version_number; /* 80034; 0 when unparsable */
	bool mariadb;                   /* "-MariaDB" in the version */
	uint32_t create_timestamp;
	uint8_t header_length;          /* common header: 19 for v4 */
	const uint8_t *post_header_lengths; /* index: type - 1 */
	size_t npost_header_lengths;
	uint8_t checksum_alg;           /* DM_BINLOG_CHECKSUM_*; UNDEF for
					 * servers before 5.6.1 */
} dm_binlog_fde;

/* QUERY status variables; `present` has bit (1 << code) set for each
 * code seen (MariaDB's codes 128.. use bits 40.. : 1 << (code - 88)). */
typedef struct dm_binlog_query_status {
	uint64_t present;
	uint32_t flags2;
	uint64_t sql_mode;
	dm_str catalog;
	uint16_t auto_increment_increment;
	uint16_t auto_increment_offset;
	uint16_t charset_client;        /* character_set_client id */
	uint16_t collation_connection;
	uint16_t collation_server;
	dm_str time_zone;
	uint16_t lc_time_names;
	uint16_t charset_database;
	uint64_t table_map_for_update;
	uint32_t master_data_written;
	dm_str invoker_user;
	dm_str invoker_host;
	/* Updated databases (MTS); nupdated_dbs 254 means "over the limit"
	 * with no names. At most 16 names. */
	uint8_t nupdated_dbs;
	dm_str updated_dbs[16];
	uint32_t microseconds;          /* Q_MICROSECONDS: query start usec */
	uint8_t explicit_defaults_for_timestamp;
	uint64_t ddl_xid;
	uint16_t default_collation_for_utf8mb4;
	uint8_t sql_require_primary_key;
	uint8_t default_table_encryption;
	/* MariaDB. */
	uint32_t hrnow_usec;            /* Q_HRNOW */
	uint64_t xid;                   /* Q_XID */
	uint8_t gtid_flags3;            /* Q_GTID_FLAGS3 */
	dm_str character_set_collations; /* Q_CHARACTER_SET_COLLATIONS raw */
	/* First code the decoder did not know; parsing stops there as the
	 * servers do. -1 when every code was known. */
	int unknown_code;
} dm_binlog_query_status;

/* Status code bits for `present` (DM_BINLOG_Q_BIT(code)). */
#define DM_BINLOG_Q_BIT(code) \
	((code) < 64 ? (UINT64_C(1) << (code)) : \
	 (code) >= 128 && (code) < 152 ? (UINT64_C(1) << ((code) - 88)) : 0)

typedef struct dm_binlog_query {
	uint32_t thread_id;
	uint32_t exec_time;
	uint16_t error_code;
	dm_str schema;
	dm_str query;           /* decompressed for QUERY_COMPRESSED */
	dm_str status_raw;
	dm_binlog_query_status status;
	/* EXECUTE_LOAD_QUERY only. */
	uint32_t file_id;
	uint32_t fn_pos_start;
	uint32_t fn_pos_end;
	uint8_t dup_handling;
} dm_binlog_query;

typedef struct dm_binlog_rotate {
	uint64_t position;
	dm_str next_file;
} dm_binlog_rotate;

typedef struct dm_binlog_intvar {
	uint8_t type;           /* 1 LAST_INSERT_ID, 2 INSERT_ID */
	uint64_t value;
} dm_binlog_intvar;

typedef struct dm_binlog_rand {
	uint64_t seed1;
	uint64_t seed2;
} dm_binlog_rand;

/* USER_VAR value types (MySQL's Item_result). */
#define DM_BINLOG_UV_STRING 0
#define DM_BINLOG_UV_REAL 1
#define DM_BINLOG_UV_INT 2
#define DM_BINLOG_UV_ROW 3
#define DM_BINLOG_UV_DECIMAL 4

typedef struct dm_binlog_user_var {
	dm_str name;
	bool is_null;
	uint8_t type;           /* DM_BINLOG_UV_* */
	uint32_t charset;
	dm_str value;           /* raw bytes as logged */
	bool has_flags;
	uint8_t flags;          /* 0x01: unsigned */
	/* The value decoded: INT/UINT, DOUBLE, DECIMAL text, STRING/BYTES. */
	dm_value decoded;
} dm_binlog_user_var;

typedef struct dm_binlog_incident {
	uint16_t type;
	dm_str message;
} dm_binlog_incident;

typedef struct dm_binlog_heartbeat {
	dm_str log_file;
	uint64_t log_position;  /* V2 only; else the header's log_pos */
} dm_binlog_heartbeat;

/* One column of a mapped table. */
typedef struct dm_binlog_column {
	uint8_t type;           /* dm_type in the TABLE_MAP */
	uint8_t real_type;      /* ENUM/SET resolved from STRING metadata */
	uint16_t meta;          /* raw metadata */
	bool nullable;
	int8_t is_unsigned;     /* 1, 0, or -1 when the binlog does not say */
	uint16_t charset;       /* collation id; 0 when unknown */
	dm_str name;            /* empty when not logged */
	uint8_t geometry_type;  /* GEOMETRY_TYPE metadata; 0 when absent */
	int8_t visible;         /* 1, 0, or -1 when not logged */
	uint32_t dimension;     /* VECTOR dimension; 0 when not logged */
	const dm_str *members;  /* ENUM/SET strings, or NULL */
	size_t nmembers;
	/* Derived from type + meta. */
	uint32_t max_length;    /* bytes (CHAR/VARCHAR/BINARY) */
	uint8_t length_bytes;   /* length prefix: VARCHAR 1-2, BLOB 1-4 */
	uint8_t precision;      /* NEWDECIMAL */
	uint8_t scale;
	uint8_t fsp;            /* TIME2/DATETIME2/TIMESTAMP2 */
	uint8_t bits;           /* BIT: 1..64 */
	uint8_t pack_length;    /* ENUM/SET: 1..8 */
	int16_t pk_position;    /* index in the primary key, -1 when not */
	uint16_t pk_prefix;     /* prefix length, 0 = whole column */
} dm_binlog_column;

/* A table as the last TABLE_MAP event for its id described it. Owned by
 * the decoder; see dm_binlog_decoder(3) for how long it stays valid. */
typedef struct dm_binlog_table {
	uint64_t table_id;
	uint16_t flags;
	dm_str schema;          /* NUL-terminated */
	dm_str name;            /* NUL-terminated */
	size_t ncols;
	const dm_binlog_column *cols;
	size_t npk;             /* primary key columns (from metadata) */
	const uint16_t *pk;     /* column indexes in key order */
	/* Optional metadata fields present (bit (1 << field type)). */
	uint32_t opt_present;
	uint16_t default_charset;
	uint16_t enum_set_default_charset;
	dm_str opt_raw;         /* the optional metadata block */
} dm_binlog_table;

/* Row actions. */
typedef enum dm_binlog_rows_action {
	DM_BINLOG_ROWS_WRITE = 1,
	DM_BINLOG_ROWS_UPDATE = 2,
	DM_BINLOG_ROWS_DELETE = 3,
	DM_BINLOG_ROWS_PARTIAL_UPDATE = 4 /* MySQL JSON diffs */
} dm_binlog_rows_action;

/* Rows-event flags. */
#define DM_BINLOG_ROWS_F_STMT_END 0x0001u
#define DM_BINLOG_ROWS_F_NO_FOREIGN_KEY_CHECKS 0x0002u
#define DM_BINLOG_ROWS_F_RELAXED_UNIQUE_CHECKS 0x0004u
#define DM_BINLOG_ROWS_F_COMPLETE_ROWS 0x0008u

typedef struct dm_binlog_rows {
	dm_binlog_rows_action action;
	uint8_t version;        /* 0 pre-GA, 1, 2 */
	bool compressed;        /* MariaDB compressed event */
	uint64_t table_id;
	uint16_t flags;         /* DM_BINLOG_ROWS_F_* */
	/* The mapped table, or NULL when no TABLE_MAP for table_id was seen
	 * (then rows cannot be iterated). */
	const dm_binlog_table *table;
	uint64_t ncols;         /* width of the row images */
	const unsigned char *cols_before; /* bitmap, (ncols + 7) / 8 bytes */
	const unsigned char *cols_after;  /* same as cols_before but for
					   * UPDATE and PARTIAL_UPDATE */
	dm_str extra;           /* v2 extra data, raw (without length) */
	bool has_ndb_info;
	dm_str ndb_info;
	bool has_partition;
	uint16_t partition_id;
	int32_t source_partition_id; /* UPDATE/DELETE source; -1 when not */
	/* The packed rows (decompressed for MariaDB compressed events). */
	const unsigned char *data;
	size_t data_len;
} dm_binlog_rows;

typedef struct dm_binlog_rows_query {
	dm_str query;
} dm_binlog_rows_query;

/* MySQL GTID, ANONYMOUS_GTID and GTID_TAGGED. Optional parts have a
 * has_ flag: 5.6 events carry no logical clock, 5.7 no commit times. */
typedef struct dm_binlog_gtid {
	uint8_t flags;          /* 1: may have changes logged with SBR */
	unsigned char uuid[16];
	int64_t gno;            /* 0 for ANONYMOUS_GTID */
	dm_str tag;             /* empty when untagged */
	bool has_logical_clock;
	int64_t last_committed;
	int64_t sequence_number;
	bool has_commit_ts;
	uint64_t immediate_commit_ts; /* microseconds since the epoch */
	uint64_t original_commit_ts;
	bool has_transaction_length;
	uint64_t transaction_length;
	bool has_server_version;
	uint32_t immediate_server_version;
	uint32_t original_server_version;
	bool has_commit_group_ticket;
	uint64_t commit_group_ticket;
} dm_binlog_gtid;

/* PREVIOUS_GTIDS: the encoded set as logged (MySQL's binary GTID set,
 * tagged format in 8.4+). `text` is its "uuid:1-5,uuid:tag:7" form,
 * valid like every borrowed pointer of the event. */
typedef struct dm_binlog_previous_gtids {
	dm_str raw;
	dm_str text;
	bool tagged;
} dm_binlog_previous_gtids;

typedef struct dm_binlog_transaction_payload {
	uint8_t compression;    /* 0 ZSTD, 255 NONE */
	uint64_t payload_size;
	uint64_t uncompressed_size;
	dm_str payload;         /* compressed bytes */
} dm_binlog_transaction_payload;

typedef struct dm_binlog_xa_prepare {
	bool one_phase;
	int32_t format_id;
	uint32_t gtrid_length;
	uint32_t bqual_length;
	dm_str data;            /* gtrid then bqual */
} dm_binlog_xa_prepare;

/* MariaDB GTID flags. */
#define DM_BINLOG_MGTID_STANDALONE 0x01u
#define DM_BINLOG_MGTID_GROUP_COMMIT_ID 0x02u
#define DM_BINLOG_MGTID_TRANSACTIONAL 0x04u
#define DM_BINLOG_MGTID_ALLOW_PARALLEL 0x08u
#define DM_BINLOG_MGTID_WAITED 0x10u
#define DM_BINLOG_MGTID_DDL 0x20u
#define DM_BINLOG_MGTID_PREPARED_XA 0x40u
#define DM_BINLOG_MGTID_COMPLETED_XA 0x80u

typedef struct dm_binlog_mariadb_gtid {
	uint64_t seq_no;
	uint32_t domain_id;
	uint32_t server_id;     /* from the common header */
	uint8_t flags;          /* DM_BINLOG_MGTID_* */
	uint64_t commit_id;     /* when GROUP_COMMIT_ID */
	int32_t xa_format_id;   /* when PREPARED_XA or COMPLETED_XA */
	uint8_t xa_gtrid_length;
	uint8_t xa_bqual_length;
	dm_str xa_data;
	uint8_t flags_extra;
	uint8_t extra_engines;
	uint64_t sa_seq_no;     /* start-alter sequence (COMMIT/ROLLBACK
				 * ALTER) */
} dm_binlog_mariadb_gtid;

typedef struct dm_binlog_mariadb_gtid_entry {
	uint32_t domain_id;
	uint32_t server_id;
	uint64_t seq_no;
} dm_binlog_mariadb_gtid_entry;

typedef struct dm_binlog_mariadb_gtid_list {
	uint32_t count;
	uint8_t flags;          /* high 4 bits of the count field */
	/* `count` entries, 16 bytes each: read them with
	 * dm_binlog_gtid_list_entry(). */
	const unsigned char *entries;
} dm_binlog_mariadb_gtid_list;

typedef struct dm_binlog_checkpoint {
	dm_str file;
} dm_binlog_checkpoint;

/* LOAD DATA family. Which fields are meaningful depends on the type. */
typedef struct dm_binlog_load_data {
	uint32_t file_id;
	dm_str block;           /* APPEND_BLOCK, CREATE_FILE, BEGIN_LOAD_QUERY */
	/* LOAD / NEW_LOAD / CREATE_FILE: the statement parts. */
	uint32_t thread_id;
	uint32_t exec_time;
	uint32_t skip_lines;
	dm_str table;
	dm_str schema;
	dm_str file_name;
	dm_str field_term;
	dm_str enclosed;
	dm_str line_term;
	dm_str line_start;
	dm_str escaped;
	uint8_t opt_flags;
	size_t nfields;
	const unsigned char *field_lens; /* nfields bytes */
	dm_str fields;          /* NUL-separated names */
} dm_binlog_load_data;

/* One decoded event. Borrowed from the decoder: valid until the next
 * dm_binlog_decode() on it (inner events of a TRANSACTION_PAYLOAD: until
 * the next dm_binlog_payload_next()). May grow at the end. */
typedef struct dm_binlog_event {
	unsigned version;       /* 1 */
	/* Common header. */
	uint32_t timestamp;
	uint8_t type;           /* dm_binlog_event_type */
	uint32_t server_id;
	uint32_t event_size;
	uint32_t log_pos;       /* end position as the server wrote it */
	uint16_t flags;         /* DM_BINLOG_F_* */
	/* Where it was. */
	const char *file;       /* source name, e.g. "mysql-bin.000003" */
	uint64_t pos;           /* byte offset of the event in the file */
	bool inner;             /* inside a TRANSACTION_PAYLOAD */
	/* Bytes. */
	const unsigned char *raw; /* the whole event, header..checksum */
	size_t raw_len;
	const unsigned char *body; /* after the common header, without the
				    * checksum (post-header + payload) */
	size_t body_len;
	bool has_checksum;
	uint32_t checksum;
	dm_binlog_kind kind;
	union {
		dm_binlog_fde fde;
		dm_binlog_query query;
		dm_binlog_rotate rotate;
		uint64_t xid;
		dm_binlog_intvar intvar;
		dm_binlog_rand rand;
		dm_binlog_user_var user_var;
		dm_binlog_incident incident;
		dm_binlog_heartbeat heartbeat;
		const dm_binlog_table *table_map;
		dm_binlog_rows rows;
		dm_binlog_rows_query rows_query;
		dm_binlog_gtid gtid;
		dm_binlog_previous_gtids previous_gtids;
		dm_binlog_transaction_payload payload;
		dm_binlog_xa_prepare xa_prepare;
		dm_binlog_mariadb_gtid mariadb_gtid;
		dm_binlog_mariadb_gtid_list gtid_list;
		dm_binlog_checkpoint checkpoint;
		dm_binlog_load_data load;
	} u;
} dm_binlog_event;

/* Entry `i` of a MariaDB GTID_LIST event (i < count). */
DM_API dm_binlog_mariadb_gtid_entry
dm_binlog_gtid_list_entry(const dm_binlog_mariadb_gtid_list *l, uint32_t i);

/* Predicates. */
DM_API bool dm_binlog_event_is_rows(const dm_binlog_event *ev);
/* BEGIN-like: MySQL GTID/ANONYMOUS_GTID, MariaDB GTID without STANDALONE,
 * or QUERY "BEGIN". */
DM_API bool dm_binlog_event_starts_transaction(const dm_binlog_event *ev);

/* ---------------------------------------------------------------- decoder */

typedef struct dm_binlog_decoder dm_binlog_decoder;

typedef struct dm_binlog_decoder_opts {
	unsigned version;       /* 1 */
	bool verify_checksum;   /* CRC32 when the FDE says so; default true */
	/* Name used in positions ("file:offset") until a ROTATE names the
	 * next file; NULL means "stream". Copied. */
	const char *source_name;
	/* Checksum of events seen before any FORMAT_DESCRIPTION (a live
	 * stream's first fake ROTATE): DM_BINLOG_CHECKSUM_UNDEF guesses
	 * from the bytes. */
	int initial_checksum;
	/* Upper bound for decompressed payloads (TRANSACTION_PAYLOAD,
	 * MariaDB compressed events); 0 means 1 GiB. */
	size_t max_decompressed;
	/* Tables kept in the cache before it is emptied; 0 means 4096. */
	size_t max_tables;
} dm_binlog_decoder_opts;

#define DM_BINLOG_DECODER_OPTS_VERSION 1
#define DM_BINLOG_DECODER_OPTS_INIT \
	{ DM_BINLOG_DECODER_OPTS_VERSION, true, NULL, \
	  DM_BINLOG_CHECKSUM_UNDEF, 0, 0 }

/* `ctx` (may be NULL) is used for logging and must outlive the decoder;
 * `opts` may be NULL for the defaults. */
DM_API int dm_binlog_decoder_new(dm_binlog_decoder **out, dm_ctx *ctx,
				 const dm_binlog_decoder_opts *opts,
				 dm_error **err);
DM_API void dm_binlog_decoder_free(dm_binlog_decoder *d);
/* Forgets the format, the tables and the file name (not the options). */
DM_API void dm_binlog_decoder_reset(dm_binlog_decoder *d);

/* Decodes one complete event (common header .. checksum, as on disk or
 * on the wire after the OK byte) found at byte `pos` of the current file.
 * Zero-copy: the event points into `buf`, which must stay unchanged while
 * the event is used. */
DM_API int dm_binlog_decode(dm_binlog_decoder *d, const dm_binlog_event **out,
			    const unsigned char *buf, size_t len, uint64_t pos,
			    dm_error **err);

/* Installs a format as if a FORMAT_DESCRIPTION of that server had been
 * seen: for streams or fragments that start without one. `checksum_alg`
 * is DM_BINLOG_CHECKSUM_OFF or _CRC32. */
DM_API int dm_binlog_decoder_set_format(dm_binlog_decoder *d,
					const char *server_version,
					int checksum_alg, dm_error **err);
/* Sets the file name used in positions and events (a live stream learns
 * it from the fake ROTATE, which the decoder applies itself). */
DM_API int dm_binlog_decoder_set_file(dm_binlog_decoder *d, const char *name,
				      dm_error **err);

/* State. The FDE is NULL before one was seen or set; the table is NULL
 * when `table_id` is not mapped. Both borrowed from the decoder. */
DM_API const dm_binlog_fde *dm_binlog_decoder_format(const dm_binlog_decoder *d);
DM_API const char *dm_binlog_decoder_file(const dm_binlog_decoder *d);
DM_API const dm_binlog_table *
dm_binlog_decoder_table(const dm_binlog_decoder *d, uint64_t table_id);
/* Checksum algorithm in force (after the last FDE). */
DM_API int dm_binlog_decoder_checksum(const dm_binlog_decoder *d);

/* ------------------------------------------------------------------- rows */

typedef struct dm_binlog_row_iter dm_binlog_row_iter;

/* Starts iterating the rows of a ROWS event that `d` decoded last (or the
 * current inner event of a payload). The iterator belongs to the decoder:
 * one at a time, valid until the next decode. */
DM_API int dm_binlog_rows_open(dm_binlog_row_iter **out, dm_binlog_decoder *d,
			       const dm_binlog_event *ev, dm_error **err);
/* Next row: 0 and the images (arrays of ev->u.rows.ncols values; `before`
 * is NULL for WRITE, `after` NULL for DELETE), or DM_DONE after the last row.
 * Values are borrowed until the next call. Either out pointer may be NULL
 * when not wanted. */
DM_API int dm_binlog_rows_next(dm_binlog_row_iter *it,
			       const dm_value **before,
			       const dm_value **after, dm_error **err);
/* Number of the row returned last (0-based). */
DM_API size_t dm_binlog_rows_index(const dm_binlog_row_iter *it);

/* Appends the lines mariadb-binlog --verbose prints for the rows of a
 * ROWS event ("### INSERT INTO `db`.`t`", "### SET", "###   @1=5", ...),
 * byte for byte. Needs the decoder that decoded `ev` (it iterates the rows,
 * ending any iterator of the caller). */
DM_API int dm_binlog_format_rows_text(dm_buf *out, dm_binlog_decoder *d,
				      const dm_binlog_event *ev,
				      dm_error **err);
/* Appends one value as mariadb-binlog's "###   @N=" lines show it
 * (without "###   @N="); `col` may be NULL. */
DM_API int dm_binlog_format_value_text(dm_buf *out, const dm_value *v,
				       const dm_binlog_column *col,
				       dm_error **err);

/* ---------------------------------------------------- transaction payload */

typedef struct dm_binlog_payload_iter dm_binlog_payload_iter;

/* Decompresses a TRANSACTION_PAYLOAD event decoded by `d` (into memory the
 * decoder owns and reuses) and iterates the events inside, decoded by the
 * same decoder (they carry no checksums). */
DM_API int dm_binlog_payload_open(dm_binlog_payload_iter **out,
				  dm_binlog_decoder *d,
				  const dm_binlog_event *ev, dm_error **err);
/* 0 and the next inner event, or DM_DONE. */
DM_API int dm_binlog_payload_next(dm_binlog_payload_iter *it,
				  const dm_binlog_event **out, dm_error **err);

/* ---------------------------------------------------------------- readers */

typedef struct dm_binlog_reader dm_binlog_reader;

/* Reader flags. */
/* A partial event at the end of the file ends the stream (DM_DONE) rather
 * than failing, so a file still being written can be followed: call
 * dm_binlog_reader_next() again later. */
#define DM_BINLOG_READER_PARTIAL_TAIL_OK 0x1u
/* In directory mode, stop at the end of each file instead of following
 * ROTATE into the next file of the index. */
#define DM_BINLOG_READER_NO_FOLLOW 0x2u

typedef struct dm_binlog_reader_opts {
	unsigned version;       /* 1 */
	unsigned flags;         /* DM_BINLOG_READER_* */
	size_t buffer_size;     /* read buffer; 0 means 1 MiB */
	size_t max_event_size;  /* larger events fail; 0 means 1 GiB */
	dm_binlog_decoder_opts decoder;
} dm_binlog_reader_opts;

#define DM_BINLOG_READER_OPTS_VERSION 1
#define DM_BINLOG_READER_OPTS_INIT \
	{ DM_BINLOG_READER_OPTS_VERSION, 0, 0, 0, DM_BINLOG_DECODER_OPTS_INIT }

/* Opens one binlog or relay-log file and positions it at `start_pos`
 * (0 or 4: the first event; a later position: the FORMAT_DESCRIPTION at 4
 * is decoded first, without being returned). */
DM_API int dm_binlog_reader_open_file(dm_binlog_reader **out, dm_ctx *ctx,
				      const char *path, uint64_t start_pos,
				      const dm_binlog_reader_opts *opts,
				      dm_error **err);
/* Opens a directory of binlog files listed in an index file (`index` is
 * its name inside `dir`, or NULL to use the only *.index there), starting
 * at `first_file` (NULL: the first listed) and `start_pos`; follows
 * ROTATE events and the index into the next files. */
DM_API int dm_binlog_reader_open_dir(dm_binlog_reader **out, dm_ctx *ctx,
				     const char *dir, const char *index,
				     const char *first_file, uint64_t start_pos,
				     const dm_binlog_reader_opts *opts,
				     dm_error **err);
/* 0 and the next event, DM_DONE at the end, or an error positioned
 * "file:offset". The event is borrowed until the next call. */
DM_API int dm_binlog_reader_next(dm_binlog_reader *r,
				 const dm_binlog_event **out, dm_error **err);
/* The decoder the reader feeds (for dm_binlog_rows_open() and friends). */
DM_API dm_binlog_decoder *dm_binlog_reader_decoder(dm_binlog_reader *r);
/* Current file name (base name) and the offset of the next event. */
DM_API const char *dm_binlog_reader_file(const dm_binlog_reader *r);
DM_API uint64_t dm_binlog_reader_position(const dm_binlog_reader *r);
DM_API void dm_binlog_reader_free(dm_binlog_reader *r);

/* Where and how a reader follows a live server's binlog as a replica.
 * Strings and `db` are copied by open. `gtid` non-NULL starts in GTID mode
 * (text in the server's flavor, "" = the binlog's start); otherwise at
 * `file`:`pos`, a NULL or empty `file` meaning the server's current
 * position. See dm_binlog_reader_open_stream(3). */
typedef struct dm_binlog_stream_opts {
	unsigned version;           /* DM_BINLOG_STREAM_OPTS_VERSION */
	const dm_db_opts *db;       /* the upstream; required */
	uint32_t server_id;         /* our replica id: non-zero, unique */
	const char *file;           /* start file */
	uint64_t pos;               /* start position in `file`; >= 4 */
	const char *gtid;           /* GTID mode start */
	unsigned heartbeat_ms;      /* 0: no heartbeats; else their period */
	bool non_blocking;          /* DM_DONE at the end of the binlog */
	bool semi_sync;             /* act as a semi-sync replica if we can */
	unsigned reconnect_attempts; /* in a row before giving up; 0: never */
	/* Return heartbeats as DM_BINLOG_KIND_HEARTBEAT events (so a blocking
	 * caller wakes every heartbeat_ms); false skips them. */
	bool heartbeat_events;
} dm_binlog_stream_opts;

#define DM_BINLOG_STREAM_OPTS_VERSION 1
#define DM_BINLOG_STREAM_OPTS_INIT \
	{ DM_BINLOG_STREAM_OPTS_VERSION, NULL, 0, NULL, 4, NULL, 0, false, \
	  false, 3, false }

/* Connects to the server in opts->db, registers as a replica and reads its
 * binlog through the same reader calls as files; the server's artificial
 * events are consumed inside. `ctx` must outlive the reader. */
DM_API int dm_binlog_reader_open_stream(dm_binlog_reader **out, dm_ctx *ctx,
					const dm_binlog_stream_opts *opts,
					dm_error **err);
/* True when the event dm_binlog_reader_next() returned last is the first
 * after a reconnect: drop the events of an unfinished transaction returned
 * before it, they come again. Always false for files. */
DM_API bool dm_binlog_reader_restarted(const dm_binlog_reader *r);

#ifdef __cplusplus
}
#endif

#endif
