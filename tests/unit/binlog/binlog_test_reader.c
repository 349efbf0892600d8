/* SPDX-License-Identifier: Apache-2.0 */
/*
 * File readers: one file from a start position, a directory followed
 * through its index, partial tails, large events, bad magic.
 */
#include "binlog_test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fb {
	unsigned char p[1 << 18];
	size_t n;
} fb;

static void add(fb *f, const void *d, size_t n)
{
	assert_true(f->n + n <= sizeof(f->p));
	memcpy(f->p + f->n, d, n);
	f->n += n;
}

/* An event with log_pos = its end offset in `f` (no checksum). */
static void ev(fb *f, uint8_t type, const void *body, size_t n)
{
	static unsigned char tmp[1 << 17];
	size_t len = bt_event(tmp, type, 0, body, n, false);
	uint32_t end = (uint32_t)(f->n + len);

	tmp[13] = (unsigned char)end;
	tmp[14] = (unsigned char)(end >> 8);
	tmp[15] = (unsigned char)(end >> 16);
	tmp[16] = (unsigned char)(end >> 24);
	add(f, tmp, len);
}

/* MySQL 5.0-style FDE (no checksum field): simple and valid. */
static void fde(fb *f)
{
	unsigned char b[57 + 27];
	static const unsigned char phl[27] = { 56, 11, 0, 8, 0, 18, 0, 4, 4, 4,
		4, 18, 0, 0, 84, 0, 4, 26, 8, 0, 0, 0, 8, 8, 8, 2, 0 };

	memset(b, 0, sizeof(b));
	b[0] = 4;
	memcpy(b + 2, "5.1.73-log", 10);
	b[56] = 19;
	memcpy(b + 57, phl, sizeof(phl));
	ev(f, DM_BINLOG_FORMAT_DESCRIPTION_EVENT, b, sizeof(b));
}

static void xid(fb *f, uint64_t x)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(x >> (8 * i));
	ev(f, DM_BINLOG_XID_EVENT, b, 8);
}

static void rotate(fb *f, const char *next)
{
	unsigned char b[64] = { 4 };

	memcpy(b + 8, next, strlen(next));
	ev(f, DM_BINLOG_ROTATE_EVENT, b, 8 + strlen(next));
}

static void write_file(const char *path, const fb *f, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, f->p, n), (ssize_t)n);
	close(fd);
}

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/dm-binlog-reader.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *path_in(const char *name)
{
	static char p[2][256];
	static int k;

	k ^= 1;
	snprintf(p[k], sizeof(p[k]), "%s/%s", dir, name);
	return p[k];
}

/* bin.000001: FDE, XID 1, XID 2, ROTATE; bin.000002: FDE, XID 3, STOP. */
static void make_two_files(uint64_t *xid2_pos)
{
	static fb f1, f2;
	FILE *idx;

	f1.n = f2.n = 0;
	add(&f1, "\xfe" "bin", 4);
	fde(&f1);
	xid(&f1, 1);
	*xid2_pos = f1.n;
	xid(&f1, 2);
	rotate(&f1, "bin.000002");
	add(&f2, "\xfe" "bin", 4);
	fde(&f2);
	xid(&f2, 3);
	ev(&f2, DM_BINLOG_STOP_EVENT, NULL, 0);
	write_file(path_in("bin.000001"), &f1, f1.n);
	write_file(path_in("bin.000002"), &f2, f2.n);
	idx = fopen(path_in("bin.index"), "w");
	fputs("./bin.000001\n./bin.000002\n", idx);
	fclose(idx);
}

static void test_reader__directory_follows_the_index(void **state)
{
	dm_binlog_reader *r;
	const dm_binlog_event *e;
	dm_error *err = NULL;
	uint64_t xid2;
	char seq[256] = "";
	int rc;

	(void)state;
	make_two_files(&xid2);
	assert_int_equal(dm_binlog_reader_open_dir(&r, NULL, dir, NULL, NULL, 0,
						   NULL, &err), 0);
	while ((rc = dm_binlog_reader_next(r, &e, &err)) == 0) {
		char one[64];

		snprintf(one, sizeof(one), "%s:%llu:%s ", e->file,
			 (unsigned long long)e->pos,
			 dm_binlog_event_type_name(e->type));
		strcat(seq, one);
	}
	assert_int_equal(rc, DM_DONE);
	assert_string_equal(seq,
		"bin.000001:4:Format_desc bin.000001:107:Xid "
		"bin.000001:134:Xid bin.000001:161:Rotate "
		"bin.000002:4:Format_desc bin.000002:107:Xid "
		"bin.000002:134:Stop ");
	assert_string_equal(dm_binlog_reader_file(r), "bin.000002");
	assert_int_equal(dm_binlog_reader_position(r), 153);
	/* More calls keep saying DM_DONE. */
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), DM_DONE);
	dm_binlog_reader_free(r);

	/* Start in the middle of the first file; stop at its end. */
	{
		dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;

		o.flags = DM_BINLOG_READER_NO_FOLLOW;
		assert_int_equal(dm_binlog_reader_open_dir(&r, NULL, dir,
							   "bin.index",
							   "bin.000001", xid2,
							   &o, &err), 0);
		assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
		assert_int_equal(e->u.xid, 2);
		assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
		assert_int_equal(e->kind, DM_BINLOG_KIND_ROTATE);
		assert_int_equal(dm_binlog_reader_next(r, &e, &err), DM_DONE);
		dm_binlog_reader_free(r);
	}
	/* One file from a position. */
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("bin.000002"), 107,
						    NULL, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(e->u.xid, 3);
	dm_binlog_reader_free(r);
	/* A start position inside the FDE is refused. */
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("bin.000002"), 50,
						    NULL, &err),
			 DM_E_INVALID_ARGUMENT);
	dm_error_free(err);
}

static void test_reader__partial_tail_error_or_wait(void **state)
{
	static fb f;
	dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;
	dm_binlog_reader *r;
	const dm_binlog_event *e;
	dm_error *err = NULL;
	size_t full;

	(void)state;
	f.n = 0;
	add(&f, "\xfe" "bin", 4);
	fde(&f);
	xid(&f, 1);
	xid(&f, 2);
	full = f.n;
	/* Cut the last event in its body. */
	write_file(path_in("tail.000001"), &f, full - 3);
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("tail.000001"), 0,
						    NULL, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err),
			 DM_E_BINLOG_EVENT_DECODE);
	assert_non_null(strstr(bt_errmsg(err), "tail.000001:134: truncated "
				"event: header says 27 bytes, the file has 24 "
				"left"));
	err = NULL;
	dm_binlog_reader_free(r);

	/* Followed as a file being written: DM_DONE, then the rest. */
	o.flags = DM_BINLOG_READER_PARTIAL_TAIL_OK;
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("tail.000001"), 0, &o,
						    &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), DM_DONE);
	assert_int_equal(dm_binlog_reader_position(r), 134);
	write_file(path_in("tail.000001"), &f, full);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(e->u.xid, 2);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), DM_DONE);
	dm_binlog_reader_free(r);

	/* A header cut short. */
	write_file(path_in("tail.000002"), &f, full - 20);
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("tail.000002"), 0,
						    NULL, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err),
			 DM_E_BINLOG_EVENT_DECODE);
	assert_non_null(strstr(bt_errmsg(err), "tail.000002:134: truncated "
				"event: the file ends 7 bytes into"));
	err = NULL;
	dm_binlog_reader_free(r);
}

static void test_reader__large_events_and_limits(void **state)
{
	static fb f;
	static unsigned char big[100000];
	dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;
	dm_binlog_reader *r;
	const dm_binlog_event *e;
	dm_error *err = NULL;

	(void)state;
	f.n = 0;
	add(&f, "\xfe" "bin", 4);
	fde(&f);
	memset(big, 'x', sizeof(big));
	memcpy(big, "\x01\0\0\0", 4);
	ev(&f, DM_BINLOG_APPEND_BLOCK_EVENT, big, sizeof(big));
	xid(&f, 7);
	write_file(path_in("big.000001"), &f, f.n);
	o.buffer_size = 64;
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("big.000001"), 0, &o,
						    &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(e->u.load.block.len, sizeof(big) - 4);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(e->u.xid, 7);
	dm_binlog_reader_free(r);

	o.max_event_size = 1000;
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("big.000001"), 0, &o,
						    &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err), 0);
	assert_int_equal(dm_binlog_reader_next(r, &e, &err),
			 DM_E_BINLOG_EVENT_DECODE);
	assert_non_null(strstr(bt_errmsg(err), "big.000001:107: event size "
				"100019 is above the 1000-byte limit"));
	dm_binlog_reader_free(r);
}

static void test_reader__magic(void **state)
{
	static fb f;
	dm_binlog_reader *r = NULL;
	dm_error *err = NULL;

	(void)state;
	f.n = 0;
	add(&f, "\xfd" "bin", 4);
	write_file(path_in("enc.000001"), &f, f.n);
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("enc.000001"), 0,
						    NULL, &err),
			 DM_E_NOT_SUPPORTED);
	assert_non_null(strstr(bt_errmsg(err), "encrypted binlog files are "
				"not supported"));
	err = NULL;
	f.n = 0;
	add(&f, "GIF89a", 6);
	write_file(path_in("gif.000001"), &f, f.n);
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("gif.000001"), 0,
						    NULL, &err),
			 DM_E_BINLOG_FILE_NOT_VALID);
	assert_non_null(strstr(bt_errmsg(err), "gif.000001:0: not a binlog"));
	err = NULL;
	write_file(path_in("empty.000001"), &f, 0);
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("empty.000001"), 0,
						    NULL, &err),
			 DM_E_BINLOG_FILE_NOT_VALID);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_binlog_reader_open_file(&r, NULL,
						    path_in("missing"), 0, NULL,
						    &err), DM_E_IO);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_binlog_reader_open_dir(&r, NULL, path_in("nodir"),
						   NULL, NULL, 0, NULL, &err),
			 DM_E_IO);
	dm_error_free(err);
	assert_null(r);
	dm_binlog_reader_free(NULL);
}

int binlog_test_reader_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader__directory_follows_the_index),
		cmocka_unit_test(test_reader__partial_tail_error_or_wait),
		cmocka_unit_test(test_reader__large_events_and_limits),
		cmocka_unit_test(test_reader__magic),
	};

	return cmocka_run_group_tests_name("binlog_reader", tests, make_dir,
					   remove_dir);
}
