/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live binlog transport, internal to lib/: registers with a MySQL or
 * MariaDB server as a replica and hands out each binlog event's raw bytes
 * exactly as the server wrote them (19-byte header .. checksum), following
 * rotations, with checksum negotiation, heartbeats, semi-sync ACKs and
 * reconnects that resume from the last complete transaction. It does not
 * decode events beyond the few header and body fields it needs to track
 * positions; the public reader puts the decoder on top.
 *
 * Threads: a stream is used by one thread at a time. The dm_ctx is shared
 * and must outlive the stream.
 */
#ifndef DM_LIB_BINLOG_STREAM_H
#define DM_LIB_BINLOG_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dm/db.h"
#include "dm/gtid.h"

typedef struct dm__binlog_stream dm__binlog_stream;

/*
 * Where and how to stream from. Strings are copied by open.
 *
 * Start: `gtid` non-NULL selects GTID mode (MariaDB "d-s-n,..." sent as
 * @slave_connect_state, "" meaning the start of the binlog; MySQL a GTID
 * set text such as "uuid:1-5", sent with COM_BINLOG_DUMP_GTID, tagged sets
 * included). Otherwise `file` at `pos` (4 <= pos <= 4294967295); a NULL
 * or empty `file` starts at the server's current position (SHOW MASTER
 * STATUS, or SHOW BINARY LOG STATUS on MySQL 8.2+), and `pos` is ignored.
 *
 * db: host, port, socket, user, password, TLS, timeouts and error scope
 * as for dm_db_open(); database, charset, time_zone, sql_mode and session
 * variables are not used. max_allowed_packet 0 means 1 GiB here (the
 * largest event a server writes); a smaller value makes bigger events a
 * DM_E_RELAY_TCP_READER_GET_EVENT error. The read timeout (default 3600 s)
 * bounds how long next() waits for a packet in blocking mode; when it
 * expires the stream reconnects (not counted as a failed attempt). Set a
 * heartbeat shorter than the read timeout to keep an idle stream alive.
 *
 * reconnect_attempts: how many times in a row next() reconnects after the
 * connection broke (errno 2013, 2006, 1927 KILL, a server restart, a read
 * timeout, a blocking dump the server ended) before it gives up; 0 never
 * reconnects. DM__BINLOG_STREAM_OPTS_INIT sets 3. Attempts after the
 * first wait 250 ms, doubling up to 5 s; the count starts again once a
 * transaction completed after the reconnect or a heartbeat arrived. A
 * reconnect restarts the dump at the last complete transaction (by GTID
 * set in GTID mode): the caller sees the fake ROTATE (flagged RESTARTED)
 * and FDE again, then the events of the unfinished transaction again.
 * Errors that retrying cannot fix are returned at once: 1236 (purged
 * file, bad position, GTID not in the binlog), 4052 (same server_id),
 * 1045 and 1227 (access), TLS failures.
 */
typedef struct dm__binlog_stream_opts {
	unsigned version;           /* 1 */
	const dm_db_opts *db;       /* the upstream; required */
	uint32_t server_id;         /* our replica id: non-zero, unique */
	const char *file;           /* start file, see above */
	uint64_t pos;               /* start position in `file` */
	const char *gtid;           /* GTID mode start, see above */
	unsigned heartbeat_ms;      /* 0: no heartbeats; else their period */
	bool non_blocking;          /* DM_DONE at the end of the binlog */
	bool semi_sync;             /* act as a semi-sync replica if we can */
	unsigned reconnect_attempts;
} dm__binlog_stream_opts;

#define DM__BINLOG_STREAM_OPTS_INIT \
	{ 1, NULL, 0, NULL, 4, NULL, 0, false, false, 3 }

/* Bits of dm__binlog_stream_event_flags(). */
/* Not an event of the binlog file: the fake ROTATE the server sends first
 * (and after each reconnect and at each new file), an FDE re-sent with
 * log_pos 0 when starting past position 4, heartbeats, any event with
 * LOG_EVENT_ARTIFICIAL_F (e.g. MariaDB's GTID_LIST after a GTID start).
 * Every other event is byte for byte what the file holds, except the FDE:
 * the server clears its LOG_EVENT_BINLOG_IN_USE_F, and in MariaDB GTID
 * mode may zero its creation time (fixing the checksum). */
#define DM__BINLOG_STREAM_ARTIFICIAL 0x1u
/* A HEARTBEAT (27) or HEARTBEAT_V2 (41) event; also ARTIFICIAL. */
#define DM__BINLOG_STREAM_HEARTBEAT 0x2u
/* The first event after a reconnect (always the server's fake ROTATE):
 * events of an unfinished transaction returned before it come again from
 * the transaction's start, so drop them. */
#define DM__BINLOG_STREAM_RESTARTED 0x4u

/*
 * Connects, registers as replica `server_id` and starts the dump. Errors:
 * DM_E_INVALID_ARGUMENT, DM_E_DB_CONNECT / DM_E_DB_TLS (the server's errno
 * kept, never the password), DM_E_DB_SESSION (a set-up statement failed),
 * DM_E_NO_MASTER_STATUS (no binlog position to start at),
 * DM_E_BINLOG_GTID_MYSQL_NOT_VALID / _MARIADB_NOT_VALID (bad `gtid`),
 * DM_E_RELAY_TCP_READER_START_SYNC (file mode) or _START_SYNC_GTID (GTID
 * mode) when the server refuses the dump: errno 1236 for a missing or
 * purged file, a position past the end, a GTID not in the binlog; the
 * server's words are in the message and the raw cause.
 */
int dm__binlog_stream_open(dm__binlog_stream **out, dm_ctx *ctx,
			   const dm__binlog_stream_opts *opts, dm_error **err);

/*
 * The next event, with the leading OK byte and any semi-sync header
 * removed; *ev is borrowed until the next call or close. Heartbeats are
 * returned too (flagged), so a blocking caller sees the link alive; in
 * blocking mode a call waits until the server sends something. Returns 0,
 * DM_DONE at the end of the binlog in non-blocking mode (and on every call
 * after it), or a negative status: DM_E_RELAY_TCP_READER_GET_EVENT (the
 * server's errno kept: 1236 for a binlog purged while we read it, 4052 or
 * 1236 when another replica connected with our server_id, 2013 when the
 * connection broke and reconnecting failed or was not allowed),
 * DM_E_BINLOG_HEADER_LENGTH_NOT_VALID / DM_E_BINLOG_EVENT_DECODE for a
 * malformed packet, DM_E_NO_MEMORY, DM_E_CLOSED after an earlier error.
 * A semi-sync ACK the server asked for is sent at the start of the
 * following call, i.e. once the caller is done with the event.
 */
int dm__binlog_stream_next(dm__binlog_stream *s, const unsigned char **ev,
			   size_t *len, dm_error **err);

/* DM__BINLOG_STREAM_* bits of the event the last next() returned. */
unsigned dm__binlog_stream_event_flags(const dm__binlog_stream *s);

/* Binlog file and position after the last event returned (before the
 * first one: the start). *file is borrowed until the next call. */
int dm__binlog_stream_position(const dm__binlog_stream *s, const char **file,
			       uint64_t *pos);

/* File and position after the last complete transaction: where a new
 * stream resumes without losing or repeating a transaction. In GTID mode
 * *file is NULL (and *pos 0) until the first transaction completed. */
int dm__binlog_stream_resume_position(const dm__binlog_stream *s,
				      const char **file, uint64_t *pos);

/* GTID mode: the start set plus every complete transaction since (format
 * it with dm_gtid_set_format_position for MariaDB). NULL in file mode, or
 * after a GTID the set could not take. Borrowed until the next call. */
const dm_gtid_set *dm__binlog_stream_resume_gtids(const dm__binlog_stream *s);

/* What the server is, and what the stream does. */
bool dm__binlog_stream_is_mariadb(const dm__binlog_stream *s);
const char *dm__binlog_stream_server_version(const dm__binlog_stream *s);
bool dm__binlog_stream_semi_sync(const dm__binlog_stream *s);
unsigned dm__binlog_stream_reconnects(const dm__binlog_stream *s);
/* The server's id for our connection (the dump thread in PROCESSLIST). */
unsigned long dm__binlog_stream_connection_id(const dm__binlog_stream *s);

/* Fault injection for tests: breaks the connection (shuts its socket down)
 * and makes the next read fail as a lost connection would. */
void dm__binlog_stream_inject_break(dm__binlog_stream *s);

/* Ends the dump and frees everything; NULL is fine. */
void dm__binlog_stream_close(dm__binlog_stream *s);

/* ------------------------------------------------------------------------
 * Pure parts, exposed for unit tests: no I/O, no globals.
 */

/* Replication protocol constants used here and by tests. */
#define DM__BINLOG_COM_BINLOG_DUMP 0x12
#define DM__BINLOG_COM_REGISTER_SLAVE 0x15
#define DM__BINLOG_COM_BINLOG_DUMP_GTID 0x1e
#define DM__BINLOG_SEMI_SYNC_MAGIC 0xef
#define DM__BINLOG_DUMP_NON_BLOCK 0x01
#define DM__BINLOG_DUMP_SEND_ANNOTATE_ROWS 0x02
#define DM__BINLOG_DUMP_THROUGH_GTID 0x04

typedef enum dm__binlog_packet_kind {
	DM__BINLOG_PACKET_EVENT = 1, /* 0x00 + event */
	DM__BINLOG_PACKET_EOF,       /* 0xfe: end of a non-blocking dump */
	DM__BINLOG_PACKET_ERR        /* 0xff: the server's error */
} dm__binlog_packet_kind;

typedef struct dm__binlog_packet {
	dm__binlog_packet_kind kind;
	/* EVENT: the event without the OK byte and semi-sync header. */
	const unsigned char *ev;
	size_t len;
	bool ack_requested;   /* the semi-sync header asked for an ACK */
	/* ERR: errno, SQLSTATE ("" when absent) and message (not NUL-ended). */
	unsigned err_code;
	char sqlstate[6];
	const char *msg;
	size_t msg_len;
} dm__binlog_packet;

/*
 * Classifies one packet of a binlog dump. With semi_sync, event packets
 * must carry the 2-byte header 0xef, flag. An event is checked to be at
 * least a header long and as long as its header says. Errors:
 * DM_E_BINLOG_HEADER_LENGTH_NOT_VALID, DM_E_RELAY_TCP_READER_GET_EVENT
 * (unknown packet type, missing semi-sync header).
 */
int dm__binlog_packet_classify(dm__binlog_packet *out,
			       const unsigned char *pkt, size_t len,
			       bool semi_sync, dm_error **err);

/* Command payloads (the bytes after the command byte), appended to out.
 * REGISTER_SLAVE reports an empty host, user and password. */
int dm__binlog_dump_payload(dm_buf *out, const char *file, uint32_t pos,
			    uint16_t flags, uint32_t server_id);
int dm__binlog_dump_gtid_payload(dm_buf *out, const dm_gtid_set *set,
				 uint16_t flags, uint32_t server_id);
int dm__binlog_register_payload(dm_buf *out, uint32_t server_id);
/* The semi-sync ACK after the 0xef magic: position, then the file name. */
int dm__binlog_semi_ack_payload(dm_buf *out, const char *file, uint64_t pos);

/* Checksum bytes at the end of events under this FORMAT_DESCRIPTION event:
 * 0 or 4, or -1 when the event does not say (servers before checksums). */
int dm__binlog_fde_checksum_len(const unsigned char *ev, size_t len);

/* Position tracking over a sequence of events. */
enum {
	DM__BINLOG_TRX_IDLE = 0, /* between transactions */
	DM__BINLOG_TRX_GTID,     /* after a GTID: BEGIN or one statement next */
	DM__BINLOG_TRX_OPEN      /* inside BEGIN .. COMMIT / XID */
};

typedef struct dm__binlog_tracker {
	dm_buf file;            /* current binlog file */
	uint64_t pos;           /* position after the last event in it */
	dm_buf resume_file;     /* after the last complete transaction */
	uint64_t resume_pos;
	bool resume_valid;
	int trx;                /* DM__BINLOG_TRX_* */
	uint64_t trx_count;     /* transactions completed so far */
	unsigned crc_len;       /* checksum bytes ending each event: 0 or 4 */
	dm_gtid_set *gtids;     /* GTID mode: executed at the resume point */
	bool gtids_lost;        /* a GTID could not be added to gtids */
	bool have_pending;
	dm_gtid pending;        /* GTID of the transaction in progress */
} dm__binlog_tracker;

/* Starts at file:pos. With `gtids` (taken over, freed with the tracker)
 * the resume position is only known after the first transaction. */
int dm__binlog_tracker_start(dm__binlog_tracker *t, const char *file,
			     uint64_t pos, dm_gtid_set *gtids,
			     unsigned crc_len, dm_error **err);
/* Moves the position to the resume point and forgets the transaction in
 * progress, as after a reconnect. */
int dm__binlog_tracker_rewind(dm__binlog_tracker *t, dm_error **err);
/* Takes the next event (as classify returned it); *flags gets the
 * DM__BINLOG_STREAM_ARTIFICIAL/HEARTBEAT bits. Errors:
 * DM_E_BINLOG_HEADER_LENGTH_NOT_VALID, DM_E_BINLOG_EVENT_DECODE,
 * DM_E_NO_MEMORY; the tracker is then unusable. */
int dm__binlog_tracker_feed(dm__binlog_tracker *t, const unsigned char *ev,
			    size_t len, unsigned *flags, dm_error **err);
void dm__binlog_tracker_free(dm__binlog_tracker *t);

#endif
