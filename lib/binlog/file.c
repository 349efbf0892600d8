/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Binlog and relay-log files: reading events sequentially, and a directory
 * mode that follows the index file into the next file. The only file in
 * lib/binlog that does I/O.
 *
 * Regular files are mapped read-only in windows of MAP_WINDOW bytes (or the
 * largest event, whichever is larger): events are decoded where they lie,
 * with no copy, and at most one window is mapped at a time, so the pages
 * counted in the process's resident set stay bounded whatever the file
 * size. A file followed while it is written (PARTIAL_TAIL_OK), one that is
 * not regular, or one mmap() refuses is read with pread() through one
 * reusable buffer (bounded the same way) instead.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binlog/binlog_private.h"
#include "binlog/cursor.h"
#include "util/alloc.h"

#define DEFAULT_BUFFER ((size_t)1 << 20)
#define DEFAULT_MAX_EVENT ((size_t)1 << 30)
#define MAGIC_LEN 4
#define MAP_WINDOW ((size_t)16 << 20)
#define PREFETCH_AHEAD 2048
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

struct dm_binlog_reader {
	dm_ctx *ctx;
	dm_binlog_reader_opts opts;
	dm_binlog_decoder *d;
	int fd;
	char *dir;              /* directory mode; NULL for one file */
	char *index;            /* index file path (directory mode) */
	char *path;             /* current file */
	const char *name;       /* its base name (inside path) */
	uint64_t pos;           /* offset of the next event */
	unsigned char *buf;     /* file bytes [buf_off, buf_off + len) */
	size_t cap;
	size_t len;
	uint64_t buf_off;
	bool mapped;            /* read through map windows, not buf */
	unsigned char *map;     /* file bytes [map_off, map_off + map_len) */
	size_t map_len;
	uint64_t map_off;
	uint64_t file_size;     /* at the last fstat() (mapped mode) */
	char *rotate_to;        /* next file named by the last ROTATE */
	bool started;           /* the first event of this file was read */
	dm__binlog_live *live;  /* a live server instead of files */
};

static int io_error(dm_error **err, const char *what, const char *path, int e)
{
	char msg[128];

	return dm_error_set(err, DM_E_IO, "%s %s: %s", what, path,
			    strerror_r(e, msg, sizeof(msg)));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void unmap_window(dm_binlog_reader *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	r->map = NULL;
	r->map_len = 0;
	r->map_off = 0;
}

static void close_file(dm_binlog_reader *r)
{
	unmap_window(r);
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->len = 0;
	r->buf_off = 0;
	r->mapped = false;
	r->file_size = 0;
}

/* Makes [off, off + need) available in the buffer. Returns 0, DM_DONE when
 * the file ends first (*have says how many bytes there were), or an error. */
static int fill(dm_binlog_reader *r, uint64_t off, size_t need, size_t *have,
		dm_error **err)
{
	size_t keep;

	*have = 0;
	if (off < r->buf_off || off > r->buf_off + r->len) {
		r->buf_off = off;
		r->len = 0;
	}
	keep = (size_t)(r->buf_off + r->len - off);
	if (keep >= need) {
		*have = keep;
		return 0;
	}
	/* Move what is kept to the front, grow for large events. */
	if (off != r->buf_off) {
		memmove(r->buf, r->buf + (off - r->buf_off), keep);
		r->buf_off = off;
		r->len = keep;
	}
	if (need > r->cap) {
		unsigned char *nb = dm__realloc(r->buf, need);

		if (!nb)
			return dm_error_set(err, DM_E_NO_MEMORY,
					    "binlog reader buffer of %zu bytes",
					    need);
		r->buf = nb;
		r->cap = need;
	}
	while (r->len < need) {
		ssize_t got = pread(r->fd, r->buf + r->len, r->cap - r->len,
				    (off_t)(r->buf_off + r->len));

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return io_error(err, "read", r->path, errno);
		}
		if (got == 0)
			break;
		r->len += (size_t)got;
	}
	*have = r->len;
	return r->len >= need ? 0 : DM_DONE;
}

/* Maps the window that holds [off, off + need), which the file has. False
 * when mmap() fails: the caller falls back to pread(). */
static bool map_window(dm_binlog_reader *r, uint64_t off, size_t need)
{
	long psz = sysconf(_SC_PAGESIZE);
	uint64_t start, len;
	void *p;

	if (psz <= 0)
		psz = 4096;
	start = off - off % (uint64_t)psz;
	len = off - start + need;
	if (len < MAP_WINDOW)
		len = MAP_WINDOW;
	if (len > r->file_size - start)
		len = r->file_size - start;
	if (len > SIZE_MAX || (off_t)start < 0)
		return false;
	unmap_window(r);
	p = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		 r->fd, (off_t)start);
	if (p == MAP_FAILED)
		return false;
	(void)madvise(p, (size_t)len, MADV_SEQUENTIAL);
	r->map = p;
	r->map_len = (size_t)len;
	r->map_off = start;
	return true;
}

/* Mapped mode of view(). */
static int map_view(dm_binlog_reader *r, uint64_t off, size_t need,
		    const unsigned char **out, size_t *have, dm_error **err)
{
	if (off >= r->map_off && off - r->map_off <= r->map_len &&
	    r->map_len - (off - r->map_off) >= need) {
		*out = r->map + (off - r->map_off);
		*have = r->map_len - (size_t)(off - r->map_off);
		return 0;
	}
	if (off + need > r->file_size) {
		/* Past the end as last seen: the file may have grown. */
		struct stat st;

		if (fstat(r->fd, &st) != 0)
			return io_error(err, "stat", r->path, errno);
		r->file_size = (uint64_t)st.st_size;
	}
	*out = NULL;
	*have = off < r->file_size ? (size_t)(r->file_size - off) : 0;
	if (off + need > r->file_size)
		return DM_DONE;
	if (!map_window(r, off, need)) {
		/* Read the rest of the file with pread(). */
		unmap_window(r);
		r->mapped = false;
		r->len = 0;
		return 1;
	}
	*out = r->map + (off - r->map_off);
	*have = r->map_len - (size_t)(off - r->map_off);
	return 0;
}

/* Makes [off, off + need) readable at *out. Returns 0, DM_DONE when the
 * file ends first (*have says how many bytes there were from off), or an
 * error. */
static int view(dm_binlog_reader *r, uint64_t off, size_t need,
		const unsigned char **out, size_t *have, dm_error **err)
{
	int rc;

	if (r->mapped) {
		rc = map_view(r, off, need, out, have, err);
		if (rc <= 0)
			return rc;
	}
	rc = fill(r, off, need, have, err);
	if (rc >= 0)
		*out = r->buf + (off - r->buf_off);
	return rc;
}

/* Large events grow the buffer; give the memory back afterwards. */
static void shrink(dm_binlog_reader *r)
{
	size_t want = r->opts.buffer_size;
	unsigned char *nb;

	if (r->cap <= 4 * want || r->len > want)
		return;
	nb = dm__realloc(r->buf, want);
	if (nb) {
		r->buf = nb;
		r->cap = want;
	}
}

static int open_path(dm_binlog_reader *r, const char *path, dm_error **err)
{
	const unsigned char *m;
	struct stat st;
	char *copy;
	size_t have;
	int rc;

	close_file(r);
	copy = dm__strdup(path);
	if (!copy)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	dm__free(r->path);
	r->path = copy;
	r->name = base_name(r->path);
	r->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		return io_error(err, "open", path, errno);
	/* A file still being written is read with pread(): a window mapped
	 * over its growing end would need remapping at every event. */
	if (!(r->opts.flags & DM_BINLOG_READER_PARTIAL_TAIL_OK) &&
	    fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode)) {
		r->mapped = true;
		r->file_size = (uint64_t)st.st_size;
	}
	rc = dm_binlog_decoder_set_file(r->d, r->name, err);
	if (rc)
		return rc;
	rc = view(r, 0, MAGIC_LEN, &m, &have, err);
	if (rc < 0)
		return rc;
	if (rc == DM_DONE)
		return dm_error_set(err, DM_E_BINLOG_FILE_NOT_VALID,
				    "%s:0: file of %zu bytes is too short for "
				    "the 4-byte binlog magic", r->name, have);
	if (memcmp(m, "\xfd" "bin", 4) == 0)
		return dm_error_set(err, DM_E_NOT_SUPPORTED,
				    "%s:0: encrypted binlog files are not "
				    "supported (MySQL binlog_encryption)",
				    r->name);
	if (memcmp(m, "\xfe" "bin", 4) != 0)
		return dm_error_set(err, DM_E_BINLOG_FILE_NOT_VALID,
				    "%s:0: not a binlog file (bad magic "
				    "%02x %02x %02x %02x)", r->name, m[0], m[1],
				    m[2], m[3]);
	r->pos = MAGIC_LEN;
	r->started = false;
	dm__free(r->rotate_to);
	r->rotate_to = NULL;
	return 0;
}

/* Reads the event at r->pos: 0 with *ev, DM_DONE at the end of the file
 * (or at a partial tail when allowed), or an error. */
static int read_event(dm_binlog_reader *r, const dm_binlog_event **ev,
		      dm_error **err)
{
	const unsigned char *p;
	size_t have;
	uint32_t size;
	int rc;

	/* The common case: the whole event lies in the mapped window. */
	if (r->mapped && r->pos >= r->map_off &&
	    r->pos - r->map_off <= r->map_len &&
	    r->map_len - (size_t)(r->pos - r->map_off) >=
		    DM__BINLOG_HEADER_LEN) {
		p = r->map + (r->pos - r->map_off);
		have = r->map_len - (size_t)(r->pos - r->map_off);
		size = le32_get(p + 9);
		if (size >= DM__BINLOG_HEADER_LEN && size <= have &&
		    size <= r->opts.max_event_size) {
			/* The file streams through memory once: ask for
			 * the bytes of the events a few ahead, past the
			 * 4 KiB pages the hardware prefetcher keeps to. */
			if (have > PREFETCH_AHEAD + size) {
				const unsigned char *q = p + PREFETCH_AHEAD;

				for (; q < p + PREFETCH_AHEAD + size; q += 64)
					PREFETCH(q);
			}
			rc = dm_binlog_decode(r->d, ev, p, size, r->pos, err);
			if (rc)
				return rc;
			r->pos += size;
			r->started = true;
			return 0;
		}
	}
	rc = view(r, r->pos, DM__BINLOG_HEADER_LEN, &p, &have, err);
	if (rc < 0)
		return rc;
	if (rc == DM_DONE) {
		size_t tail = have;

		if (tail == 0 || (r->opts.flags & DM_BINLOG_READER_PARTIAL_TAIL_OK))
			return DM_DONE;
		return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
				    "%s:%" PRIu64 ": truncated event: the file "
				    "ends %zu bytes into the 19-byte event "
				    "header", r->name, r->pos, tail);
	}
	size = (uint32_t)le_get(p + 9, 4);
	if (size < DM__BINLOG_HEADER_LEN)
		return dm_error_set(err, DM_E_BINLOG_HEADER_LENGTH_NOT_VALID,
				    "%s:%" PRIu64 ": event size %" PRIu32
				    " is below the 19-byte header", r->name,
				    r->pos, size);
	if (size > r->opts.max_event_size)
		return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
				    "%s:%" PRIu64 ": event size %" PRIu32
				    " is above the %zu-byte limit", r->name,
				    r->pos, size, r->opts.max_event_size);
	if (have < size)
		rc = view(r, r->pos, size, &p, &have, err);
	if (rc < 0)
		return rc;
	if (rc == DM_DONE) {
		size_t tail = have;

		if (r->opts.flags & DM_BINLOG_READER_PARTIAL_TAIL_OK)
			return DM_DONE;
		return dm_error_set(err, DM_E_BINLOG_EVENT_DECODE,
				    "%s:%" PRIu64 ": truncated event: header "
				    "says %" PRIu32 " bytes, the file has %zu "
				    "left", r->name, r->pos, size, tail);
	}
	rc = dm_binlog_decode(r->d, ev, p, size, r->pos, err);
	if (rc)
		return rc;
	r->pos += size;
	r->started = true;
	return 0;
}

/* ---------------------------------------------------------- index files */

/* Reads the index and finds the file after `cur` (or the first when cur is
 * NULL). *out is NULL when there is none. */
static int index_next(dm_binlog_reader *r, const char *cur, char **out,
		      dm_error **err)
{
	dm_buf text = DM_BUF_INIT;
	char chunk[4096];
	char *line, *save = NULL;
	bool take = cur == NULL;
	int fd, rc = 0;

	*out = NULL;
	fd = open(r->index, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return io_error(err, "open", r->index, errno);
	for (;;) {
		ssize_t got = read(fd, chunk, sizeof(chunk));

		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = io_error(err, "read", r->index, errno);
			goto out_close;
		}
		if (got == 0)
			break;
		if (dm_buf_append(&text, chunk, (size_t)got)) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			goto out_close;
		}
	}
	for (line = text.data ? strtok_r(text.data, "\r\n", &save) : NULL;
	     line; line = strtok_r(NULL, "\r\n", &save)) {
		const char *b = base_name(line);

		if (!*b)
			continue;
		if (take) {
			*out = dm__strdup(b);
			if (!*out)
				rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			break;
		}
		if (strcmp(b, cur) == 0)
			take = true;
	}
out_close:
	close(fd);
	dm_buf_free(&text);
	return rc;
}

static int join_path(char **out, const char *dir, const char *name,
		     dm_error **err)
{
	dm_buf b = DM_BUF_INIT;

	if (dm_buf_printf(&b, "%s/%s", dir, name)) {
		dm_buf_free(&b);
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	}
	*out = dm_buf_detach(&b);
	if (!*out)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	return 0;
}

/* The only *.index file in `dir`. */
static int find_index(dm_binlog_reader *r, dm_error **err)
{
	char *found = NULL;
	struct dirent *de;
	unsigned n = 0;
	DIR *dp;
	int rc = 0;

	dp = opendir(r->dir);
	if (!dp)
		return io_error(err, "open directory", r->dir, errno);
	while ((de = readdir(dp)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len <= 6 || strcmp(de->d_name + len - 6, ".index") != 0)
			continue;
		if (n++ == 0) {
			found = dm__strdup(de->d_name);
			if (!found) {
				rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
				break;
			}
		}
	}
	closedir(dp);
	if (rc)
		goto out_free;
	if (n != 1) {
		rc = dm_error_set(err, DM_E_BINLOG_FILES_NOT_FOUND,
				  "%s: %s index file (*.index); name the one "
				  "to use", r->dir, n ? "more than one" : "no");
		goto out_free;
	}
	rc = join_path(&r->index, r->dir, found, err);
out_free:
	dm__free(found);
	return rc;
}

/* ------------------------------------------------------------- lifecycle */

static int reader_new(dm_binlog_reader **out, dm_ctx *ctx,
		      const dm_binlog_reader_opts *opts, dm_error **err)
{
	dm_binlog_reader_opts dflt = DM_BINLOG_READER_OPTS_INIT;
	dm_binlog_reader *r;
	int rc;

	if (!out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "binlog reader: out is NULL");
	*out = NULL;
	if (opts && opts->version != DM_BINLOG_READER_OPTS_VERSION)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_reader_opts version %u, "
				    "expected %u", opts->version,
				    DM_BINLOG_READER_OPTS_VERSION);
	r = dm__calloc(1, sizeof(*r));
	if (!r)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	r->fd = -1;
	r->ctx = ctx;
	r->opts = opts ? *opts : dflt;
	if (!r->opts.buffer_size)
		r->opts.buffer_size = DEFAULT_BUFFER;
	if (r->opts.buffer_size < 64)
		r->opts.buffer_size = 64;
	if (!r->opts.max_event_size)
		r->opts.max_event_size = DEFAULT_MAX_EVENT;
	r->opts.decoder.source_name = NULL;
	rc = dm_binlog_decoder_new(&r->d, ctx, &r->opts.decoder, err);
	if (rc)
		goto out_free;
	dm__binlog_decoder_fix_file(r->d, true);
	r->buf = dm__malloc(r->opts.buffer_size);
	if (!r->buf) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_free;
	}
	r->cap = r->opts.buffer_size;
	*out = r;
	return 0;

out_free:
	dm_binlog_reader_free(r);
	return rc;
}

/* Positions at `start_pos`: the FDE at 4 is decoded first so that events
 * further on can be read. */
static int seek_start(dm_binlog_reader *r, uint64_t start_pos, dm_error **err)
{
	const dm_binlog_event *ev;
	int rc;

	if (start_pos <= MAGIC_LEN)
		return 0;
	rc = read_event(r, &ev, err);
	if (rc == DM_DONE)
		return dm_error_set(err, DM_E_BINLOG_FILE_NOT_VALID,
				    "%s:4: no format description event before "
				    "start position %" PRIu64, r->name,
				    start_pos);
	if (rc)
		return rc;
	if (ev->type != DM_BINLOG_FORMAT_DESCRIPTION_EVENT)
		return dm_error_set(err, DM_E_BINLOG_EXPECT_FORMAT_DESC_EV,
				    "%s:4: first event is %s, not a format "
				    "description", r->name,
				    dm_binlog_event_type_name(ev->type));
	if (start_pos < r->pos)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "%s: start position %" PRIu64 " is inside "
				    "the format description event (ends at %"
				    PRIu64 ")", r->name, start_pos, r->pos);
	r->pos = start_pos;
	return 0;
}

DM_API int dm_binlog_reader_open_file(dm_binlog_reader **out, dm_ctx *ctx,
				      const char *path, uint64_t start_pos,
				      const dm_binlog_reader_opts *opts,
				      dm_error **err)
{
	dm_binlog_reader *r;
	int rc;

	if (!path)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_reader_open_file: path is NULL");
	rc = reader_new(&r, ctx, opts, err);
	if (rc)
		return rc;
	rc = open_path(r, path, err);
	if (!rc)
		rc = seek_start(r, start_pos, err);
	if (rc) {
		dm_binlog_reader_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int dm__binlog_reader_new_live(dm_binlog_reader **out, dm_ctx *ctx,
			       dm__binlog_live *lv, dm_error **err)
{
	dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;
	int rc;

	o.buffer_size = 64; /* no file buffer needed */
	rc = reader_new(out, ctx, &o, err);
	if (rc) {
		dm__binlog_live_free(lv);
		return rc;
	}
	/* The server's fake ROTATE names the files. */
	dm__binlog_decoder_fix_file((*out)->d, false);
	(*out)->live = lv;
	return 0;
}

DM_API int dm_binlog_reader_open_dir(dm_binlog_reader **out, dm_ctx *ctx,
				     const char *dir, const char *index,
				     const char *first_file, uint64_t start_pos,
				     const dm_binlog_reader_opts *opts,
				     dm_error **err)
{
	dm_binlog_reader *r;
	char *first = NULL, *path = NULL;
	int rc;

	if (!dir)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_reader_open_dir: dir is NULL");
	rc = reader_new(&r, ctx, opts, err);
	if (rc)
		return rc;
	r->dir = dm__strdup(dir);
	if (!r->dir) {
		rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
		goto out_fail;
	}
	if (index) {
		rc = join_path(&r->index, dir, index, err);
	} else {
		rc = find_index(r, err);
	}
	if (rc)
		goto out_fail;
	if (first_file) {
		first = dm__strdup(base_name(first_file));
		if (!first) {
			rc = dm_error_set(err, DM_E_NO_MEMORY, NULL);
			goto out_fail;
		}
	} else {
		rc = index_next(r, NULL, &first, err);
		if (rc)
			goto out_fail;
		if (!first) {
			rc = dm_error_set(err, DM_E_BINLOG_FILES_NOT_FOUND,
					  "%s: the index lists no binlog files",
					  r->index);
			goto out_fail;
		}
	}
	rc = join_path(&path, dir, first, err);
	if (!rc)
		rc = open_path(r, path, err);
	if (!rc)
		rc = seek_start(r, start_pos, err);
	if (rc)
		goto out_fail;
	dm__free(first);
	dm__free(path);
	*out = r;
	return 0;

out_fail:
	dm__free(first);
	dm__free(path);
	dm_binlog_reader_free(r);
	return rc;
}

/* At the end of a file in directory mode: the next file from the index
 * (or the one the last ROTATE named), if it exists yet. */
static int next_file(dm_binlog_reader *r, dm_error **err)
{
	char *name = NULL, *path = NULL;
	struct stat st;
	int rc;

	rc = index_next(r, r->name, &name, err);
	if (rc)
		return rc;
	if (!name && r->rotate_to) {
		name = r->rotate_to;
		r->rotate_to = NULL;
	}
	if (!name)
		return DM_DONE;
	rc = join_path(&path, r->dir, name, err);
	dm__free(name);
	if (rc)
		return rc;
	if (stat(path, &st) != 0) {
		dm__free(path);
		return DM_DONE;
	}
	rc = open_path(r, path, err);
	dm__free(path);
	return rc;
}

DM_API int dm_binlog_reader_next(dm_binlog_reader *r,
				 const dm_binlog_event **out, dm_error **err)
{
	int rc;

	if (!r || !out)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_binlog_reader_next: NULL argument");
	*out = NULL;
	if (r->live)
		return dm__binlog_live_next(r->live, r->d, out, err);
	if (r->fd < 0)
		return DM_DONE;
	for (;;) {
		shrink(r);
		rc = read_event(r, out, err);
		if (rc != DM_DONE)
			break;
		if (!r->dir || (r->opts.flags & DM_BINLOG_READER_NO_FOLLOW))
			return DM_DONE;
		rc = next_file(r, err);
		if (rc)
			return rc;
	}
	if (rc)
		return rc;
	if ((*out)->kind == DM_BINLOG_KIND_ROTATE && (*out)->log_pos != 0 &&
	    (*out)->u.rotate.next_file.len) {
		char *n = dm__strndup((*out)->u.rotate.next_file.ptr,
				      (*out)->u.rotate.next_file.len);

		if (!n)
			return dm_error_set(err, DM_E_NO_MEMORY, NULL);
		dm__free(r->rotate_to);
		r->rotate_to = n;
	}
	return 0;
}

DM_API dm_binlog_decoder *dm_binlog_reader_decoder(dm_binlog_reader *r)
{
	return r ? r->d : NULL;
}

DM_API const char *dm_binlog_reader_file(const dm_binlog_reader *r)
{
	if (r && r->live)
		return dm__binlog_live_file(r->live);
	return r && r->name ? r->name : "";
}

DM_API uint64_t dm_binlog_reader_position(const dm_binlog_reader *r)
{
	if (r && r->live)
		return dm__binlog_live_position(r->live);
	return r ? r->pos : 0;
}

DM_API bool dm_binlog_reader_restarted(const dm_binlog_reader *r)
{
	return r && r->live && dm__binlog_live_restarted(r->live);
}

DM_API void dm_binlog_reader_free(dm_binlog_reader *r)
{
	if (!r)
		return;
	close_file(r);
	dm__binlog_live_free(r->live);
	dm_binlog_decoder_free(r->d);
	dm__free(r->buf);
	dm__free(r->dir);
	dm__free(r->index);
	dm__free(r->path);
	dm__free(r->rotate_to);
	dm__free(r);
}
