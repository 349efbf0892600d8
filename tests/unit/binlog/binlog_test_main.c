/* SPDX-License-Identifier: Apache-2.0 */
#include "binlog_test.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "util/alloc.h"

#define CORPUS "../shared/corpus/binlog"

const char *bt_corpus_dir(void)
{
	struct stat st;

	if (stat(CORPUS, &st) == 0 && S_ISDIR(st.st_mode))
		return CORPUS;
	return NULL;
}

const char *bt_corpus_path(const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s", CORPUS, name);
	return path;
}

unsigned char *bt_read_file(const char *path, size_t *len)
{
	size_t n = strlen(path), cap = 1 << 16, used = 0;
	unsigned char *buf;
	gzFile gz;

	*len = 0;
	/* gzread reads plain files too. */
	gz = gzopen(path, "rb");
	if (!gz)
		return NULL;
	(void)n;
	buf = malloc(cap);
	for (;;) {
		int got;

		if (used == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
		}
		got = gzread(gz, buf + used, (unsigned)(cap - used));
		if (got <= 0)
			break;
		used += (size_t)got;
	}
	gzclose(gz);
	*len = used;
	return buf;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

unsigned char *bt_read_hex(const char *name, int line, size_t *len)
{
	size_t tlen, i, o = 0;
	unsigned char *text = bt_read_file(bt_corpus_path(name), &tlen);
	unsigned char *out;
	int cur = 0, hi = -1;

	*len = 0;
	if (!text)
		return NULL;
	out = malloc(tlen / 2 + 1);
	for (i = 0; i < tlen; i++) {
		int v;

		if (text[i] == '\n') {
			if (i > 0 && text[i - 1] != '\n')
				cur++;
			continue;
		}
		if (line >= 0 && cur != line)
			continue;
		v = hexval(text[i]);
		if (v < 0)
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			out[o++] = (unsigned char)(hi << 4 | v);
			hi = -1;
		}
	}
	free(text);
	*len = o;
	return out;
}

int bt_hex_lines(const char *name)
{
	size_t tlen, i;
	unsigned char *text = bt_read_file(bt_corpus_path(name), &tlen);
	int n = 0;
	bool content = false;

	if (!text)
		return 0;
	for (i = 0; i < tlen; i++) {
		if (text[i] == '\n') {
			n += content;
			content = false;
		} else if (hexval(text[i]) >= 0) {
			content = true;
		}
	}
	n += content;
	free(text);
	return n;
}

size_t bt_event(unsigned char *out, uint8_t type, uint16_t flags,
		const unsigned char *body, size_t blen, bool crc)
{
	size_t len = 19 + blen + (crc ? 4 : 0);
	uint32_t pos = 1000 + (uint32_t)len;

	memset(out, 0, 19);
	out[0] = 1;
	out[4] = type;
	out[5] = 1;
	out[9] = (unsigned char)len;
	out[10] = (unsigned char)(len >> 8);
	out[11] = (unsigned char)(len >> 16);
	out[12] = (unsigned char)(len >> 24);
	out[13] = (unsigned char)pos;
	out[14] = (unsigned char)(pos >> 8);
	out[15] = (unsigned char)(pos >> 16);
	out[16] = (unsigned char)(pos >> 24);
	out[17] = (unsigned char)flags;
	out[18] = (unsigned char)(flags >> 8);
	if (blen)
		memcpy(out + 19, body, blen);
	if (crc) {
		uLong c = crc32(0L, out, (uInt)(19 + blen));

		out[19 + blen] = (unsigned char)c;
		out[20 + blen] = (unsigned char)(c >> 8);
		out[21 + blen] = (unsigned char)(c >> 16);
		out[22 + blen] = (unsigned char)(c >> 24);
	}
	return len;
}

const char *bt_errmsg(dm_error *e)
{
	static char msg[2048];

	snprintf(msg, sizeof(msg), "%s", e ? dm_error_message(e) : "(no error)");
	dm_error_free(e);
	return msg;
}

dm_binlog_decoder *bt_decoder(const char *server_version)
{
	dm_binlog_decoder_opts o = DM_BINLOG_DECODER_OPTS_INIT;
	dm_binlog_decoder *d = NULL;
	dm_error *e = NULL;

	o.source_name = "test-bin.000001";
	assert_int_equal(dm_binlog_decoder_new(&d, NULL, &o, &e), 0);
	assert_int_equal(dm_binlog_decoder_set_format(d, server_version,
						      DM_BINLOG_CHECKSUM_OFF,
						      &e), 0);
	return d;
}

const dm_binlog_event *bt_decode(dm_binlog_decoder *d,
				 const unsigned char *ev, size_t len)
{
	const dm_binlog_event *out = NULL;
	dm_error *e = NULL;
	int rc = dm_binlog_decode(d, &out, ev, len, 4, &e);

	if (rc)
		fail_msg("decode failed: %s", bt_errmsg(e));
	return out;
}

const dm_binlog_event *bt_decode_body(dm_binlog_decoder *d, uint8_t type,
				      const unsigned char *body, size_t blen)
{
	static unsigned char *buf;
	static size_t cap;
	size_t len;

	if (cap < blen + 64) {
		cap = blen + 64;
		buf = realloc(buf, cap);
	}
	len = bt_event(buf, type, 0, body, blen, false);
	return bt_decode(d, buf, len);
}

const char *bt_decode_fail(dm_binlog_decoder *d, const unsigned char *ev,
			   size_t len, int status)
{
	const dm_binlog_event *out = NULL;
	dm_error *e = NULL;
	int rc = dm_binlog_decode(d, &out, ev, len, 4, &e);

	if (rc == 0)
		fail_msg("decode succeeded, expected status %d", status);
	if (rc != status)
		fail_msg("decode failed with %d (%s), expected %d", rc,
			 bt_errmsg(e), status);
	assert_null(out);
	return bt_errmsg(e);
}

const char *bt_text(const dm_value *v, const dm_binlog_column *col)
{
	static dm_buf b = DM_BUF_INIT;
	dm_error *e = NULL;

	dm_buf_clear(&b);
	if (dm_binlog_format_value_text(&b, v, col, &e))
		fail_msg("format failed: %s", bt_errmsg(e));
	return b.data ? b.data : "";
}

int bt_reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

int main(void)
{
	int failed = 0;

	failed += binlog_test_crc_group();
	failed += binlog_test_events_group();
	failed += binlog_test_rows_group();
	failed += binlog_test_hex_group();
	failed += binlog_test_corpus_group();
	failed += binlog_test_reader_group();
	failed += binlog_test_malformed_group();
	return failed ? 1 : 0;
}
