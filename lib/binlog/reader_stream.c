/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stream readers: dm_binlog_reader over a live server. The transport
 * (stream.c) hands out raw events; here they go through the reader's
 * decoder. The server's artificial events (the fake ROTATE naming the
 * file, an FDE re-sent with log_pos 0, MariaDB's GTID_LIST after a GTID
 * start) are decoded, so that the decoder learns the file and the format,
 * but not returned; heartbeats are returned only when asked for. A
 * reconnect is reported on the first event returned after it.
 */
#include <string.h>

#include "binlog/binlog_private.h"
#include "binlog/stream.h"
#include "util/alloc.h"

struct dm__binlog_live {
	dm__binlog_stream *s;
	bool heartbeat_events;  /* return heartbeats */
	bool restart_seen;      /* a reconnect since the last event returned */
	bool restarted;         /* the last event returned follows one */
};

int dm__binlog_live_next(dm__binlog_live *lv, dm_binlog_decoder *d,
			 const dm_binlog_event **out, dm_error **err)
{
	for (;;) {
		const unsigned char *bytes;
		const char *file = NULL;
		uint64_t pos = 0;
		unsigned flags;
		size_t len;
		int rc;

		/* Where the next event starts: what the file holds there. */
		dm__binlog_stream_position(lv->s, &file, &pos);
		rc = dm__binlog_stream_next(lv->s, &bytes, &len, err);
		if (rc)
			return rc;
		flags = dm__binlog_stream_event_flags(lv->s);
		if (flags & DM__BINLOG_STREAM_RESTARTED)
			lv->restart_seen = true;
		if ((flags & DM__BINLOG_STREAM_HEARTBEAT) &&
		    !lv->heartbeat_events)
			continue;
		rc = dm_binlog_decode(d, out, bytes, len,
				      flags & DM__BINLOG_STREAM_ARTIFICIAL ? 0 :
									     pos,
				      err);
		if (rc)
			return rc;
		if ((flags & DM__BINLOG_STREAM_ARTIFICIAL) &&
		    !(flags & DM__BINLOG_STREAM_HEARTBEAT))
			continue;
		lv->restarted = lv->restart_seen;
		lv->restart_seen = false;
		return 0;
	}
}

const char *dm__binlog_live_file(const dm__binlog_live *lv)
{
	const char *file = NULL;
	uint64_t pos = 0;

	dm__binlog_stream_position(lv->s, &file, &pos);
	return file ? file : "";
}

uint64_t dm__binlog_live_position(const dm__binlog_live *lv)
{
	const char *file = NULL;
	uint64_t pos = 0;

	dm__binlog_stream_position(lv->s, &file, &pos);
	return pos;
}

bool dm__binlog_live_restarted(const dm__binlog_live *lv)
{
	return lv->restarted;
}

void dm__binlog_live_free(dm__binlog_live *lv)
{
	if (!lv)
		return;
	dm__binlog_stream_close(lv->s);
	dm__free(lv);
}

DM_API int dm_binlog_reader_open_stream(dm_binlog_reader **out, dm_ctx *ctx,
					const dm_binlog_stream_opts *opts,
					dm_error **err)
{
	dm__binlog_stream_opts so = DM__BINLOG_STREAM_OPTS_INIT;
	dm__binlog_live *lv;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_reader_open_stream: out is NULL");
	*out = NULL;
	if (!opts)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_reader_open_stream: opts is "
				    "NULL");
	if (opts->version != DM_BINLOG_STREAM_OPTS_VERSION)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_stream_opts version %u, "
				    "expected %u", opts->version,
				    DM_BINLOG_STREAM_OPTS_VERSION);
	so.db = opts->db;
	so.server_id = opts->server_id;
	so.file = opts->file;
	so.pos = opts->pos;
	so.gtid = opts->gtid;
	so.heartbeat_ms = opts->heartbeat_ms;
	so.non_blocking = opts->non_blocking;
	so.semi_sync = opts->semi_sync;
	so.reconnect_attempts = opts->reconnect_attempts;
	lv = dm__calloc(1, sizeof(*lv));
	if (!lv)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	lv->heartbeat_events = opts->heartbeat_events;
	rc = dm__binlog_stream_open(&lv->s, ctx, &so, err);
	if (rc) {
		dm__free(lv);
		return rc;
	}
	return dm__binlog_reader_new_live(out, ctx, lv, err);
}
