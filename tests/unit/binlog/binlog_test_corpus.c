/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The corpus of real binlogs (../shared/corpus/binlog, see its MANIFEST.md):
 * every binary file decodes to its end, or fails with a positioned error
 * exactly where the file is truncated or corrupt; the per-type event counts
 * are the MANIFEST's; and the "###" row lines equal mariadb-binlog's
 * reference decodings.
 */
#include "binlog_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Files that end in an error, and where. */
static const struct {
	const char *name;
	unsigned long pos;
	const char *why;
} expected_errors[] = {
	/* Magic + 10 bytes of a header. */
	{ "rust_mysql_common__binlog_truncated_event.000001", 4, "truncated" },
	/* FDE, then 9 bytes of a PREVIOUS_GTIDS event. */
	{ "rust_mysql_common__binlog_truncated_prev_gtid_event.000001", 120,
	  "truncated" },
	/* Relay-log corruption test: a QUERY whose lengths are garbage
	 * (mariadb-binlog rejects the same event). */
	{ "rust_mysql_common__corrupt-relay-bin.000624", 91204,
	  "status variables" },
	/* MySQL 5.2 WL#2325 development tree: its own event numbering from
	 * type 16 on (mariadb-binlog stops at the same events). */
	{ "rust_mysql_common__ver_5_1-wl2325_r.001", 549, "post-header" },
	{ "rust_mysql_common__ver_5_1-wl2325_s.001", 411, "column count" },
};

static const char *expected_error(const char *name, unsigned long *pos)
{
	size_t i;

	for (i = 0; i < sizeof(expected_errors) / sizeof(expected_errors[0]); i++)
		if (strcmp(expected_errors[i].name, name) == 0) {
			*pos = expected_errors[i].pos;
			return expected_errors[i].why;
		}
	return NULL;
}

static bool is_binlog_name(const char *n)
{
	size_t l = strlen(n);

	if (l > 4 && (strcmp(n + l - 4, ".txt") == 0 ||
		      strcmp(n + l - 4, ".hex") == 0))
		return false;
	if (l > 7 && strcmp(n + l - 7, ".txt.gz") == 0)
		return false;
	return strcmp(n, "MANIFEST.md") != 0 && n[0] != '.';
}

/* Sorted list of the corpus binlog files. */
static char **list_files(size_t *count)
{
	DIR *dp = opendir(bt_corpus_dir());
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, j;

	assert_non_null(dp);
	while ((de = readdir(dp)) != NULL) {
		if (!is_binlog_name(de->d_name))
			continue;
		names = realloc(names, (n + 1) * sizeof(*names));
		names[n++] = strdup(de->d_name);
	}
	closedir(dp);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	*count = n;
	return names;
}

/* A readable path for `name`: gzip files are inflated to a temp file. */
static char *plain_path(const char *name, bool *temp)
{
	size_t l = strlen(name), len;
	char tmpl[] = "/tmp/dm-binlog-test.XXXXXX";
	unsigned char *data;
	int fd;

	*temp = false;
	if (l < 3 || strcmp(name + l - 3, ".gz") != 0)
		return strdup(bt_corpus_path(name));
	data = bt_read_file(bt_corpus_path(name), &len);
	assert_non_null(data);
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(data);
	*temp = true;
	return strdup(tmpl);
}

typedef struct walk {
	unsigned long counts[256];
	unsigned long events;
	dm_buf rows;            /* "###" lines */
	int rc;                 /* 0 or the failing status */
	char msg[1024];
	bool text;
} walk;

static int rows_text(walk *w, dm_binlog_decoder *d, const dm_binlog_event *ev,
		     dm_error **err)
{
	if (!w->text)
		return 0;
	return dm_binlog_format_rows_text(&w->rows, d, ev, err);
}

static void walk_file(walk *w, const char *path)
{
	dm_binlog_reader_opts o = DM_BINLOG_READER_OPTS_INIT;
	dm_binlog_reader *r = NULL;
	const dm_binlog_event *ev;
	dm_error *e = NULL;
	int rc;

	o.buffer_size = 4096; /* small, to exercise refills */
	rc = dm_binlog_reader_open_file(&r, NULL, path, 0, &o, &e);
	if (rc) {
		w->rc = rc;
		snprintf(w->msg, sizeof(w->msg), "%s", bt_errmsg(e));
		return;
	}
	while ((rc = dm_binlog_reader_next(r, &ev, &e)) == 0) {
		dm_binlog_decoder *d = dm_binlog_reader_decoder(r);

		w->counts[ev->type]++;
		w->events++;
		if (ev->kind == DM_BINLOG_KIND_ROWS) {
			rc = rows_text(w, d, ev, &e);
		} else if (ev->kind == DM_BINLOG_KIND_TRANSACTION_PAYLOAD) {
			dm_binlog_payload_iter *pi;
			const dm_binlog_event *in;

			rc = dm_binlog_payload_open(&pi, d, ev, &e);
			while (!rc && (rc = dm_binlog_payload_next(pi, &in, &e)) == 0)
				if (in->kind == DM_BINLOG_KIND_ROWS)
					rc = rows_text(w, d, in, &e);
			if (rc == DM_DONE)
				rc = 0;
		}
		if (rc)
			break;
	}
	if (rc != DM_DONE) {
		w->rc = rc;
		snprintf(w->msg, sizeof(w->msg), "%s", bt_errmsg(e));
	}
	dm_binlog_reader_free(r);
}

/* ---------------------------------------------------- MANIFEST event counts */

static const struct {
	const char *name;
	int type;
} manifest_types[] = {
	{ "FORMAT_DESCRIPTION", 15 }, { "QUERY", 2 }, { "STOP", 3 },
	{ "ROTATE", 4 }, { "INTVAR", 5 }, { "RAND", 13 }, { "USER_VAR", 14 },
	{ "XID", 16 }, { "BEGIN_LOAD_QUERY", 17 }, { "EXECUTE_LOAD_QUERY", 18 },
	{ "TABLE_MAP", 19 }, { "PRE_GA_WRITE_ROWS", 20 },
	{ "PRE_GA_UPDATE_ROWS", 21 }, { "PRE_GA_DELETE_ROWS", 22 },
	{ "WRITE_ROWS_V1", 23 }, { "UPDATE_ROWS_V1", 24 },
	{ "DELETE_ROWS_V1", 25 }, { "INCIDENT", 26 }, { "ROWS_QUERY", 29 },
	{ "WRITE_ROWS_V2", 30 }, { "UPDATE_ROWS_V2", 31 },
	{ "DELETE_ROWS_V2", 32 }, { "GTID", 33 }, { "ANONYMOUS_GTID", 34 },
	{ "PREVIOUS_GTIDS", 35 }, { "XA_PREPARE", 38 },
	{ "PARTIAL_UPDATE_ROWS", 39 }, { "TRANSACTION_PAYLOAD", 40 },
	{ "GTID_TAGGED", 42 }, { "APPEND_BLOCK", 9 }, { "TYPE_100", 100 },
	{ "MARIA_ANNOTATE_ROWS", 160 }, { "MARIA_BINLOG_CHECKPOINT", 161 },
	{ "MARIA_GTID", 162 }, { "MARIA_GTID_LIST", 163 },
};

/* The "- events:" line of `name`'s MANIFEST entry, or NULL. */
static char *manifest_events(const char *manifest, const char *name)
{
	char head[512];
	const char *s, *ev, *end;

	snprintf(head, sizeof(head), "\n### %s\n", name);
	s = strstr(manifest, head);
	if (!s)
		return NULL;
	ev = strstr(s + 1, "\n- events: ");
	end = strstr(s + 1, "\n### ");
	if (!ev || (end && ev > end))
		return NULL;
	ev += strlen("\n- events: ");
	end = strchr(ev, '\n');
	return strndup(ev, (size_t)(end - ev));
}

static void check_counts(const char *file, const char *line,
			 const unsigned long *counts)
{
	unsigned long want[256] = { 0 };
	char *copy = strdup(line), *save = NULL, *item;
	size_t i;
	int t;

	for (item = strtok_r(copy, ",", &save); item;
	     item = strtok_r(NULL, ",", &save)) {
		char name[64];
		unsigned long n;
		/* "NAME×N" with the multiplication sign in UTF-8. */
		char *x = strstr(item, "\xc3\x97");

		while (*item == ' ')
			item++;
		if (!x || (size_t)(x - item) >= sizeof(name))
			continue;
		memcpy(name, item, (size_t)(x - item));
		name[x - item] = '\0';
		n = strtoul(x + 2, NULL, 10);
		for (i = 0; i < sizeof(manifest_types) / sizeof(manifest_types[0]);
		     i++)
			if (strcmp(manifest_types[i].name, name) == 0)
				break;
		if (i == sizeof(manifest_types) / sizeof(manifest_types[0]))
			fail_msg("%s: MANIFEST names unknown event type %s",
				 file, name);
		want[manifest_types[i].type] = n;
	}
	free(copy);
	for (t = 0; t < 256; t++)
		if (want[t] != counts[t])
			fail_msg("%s: %lu %s events, MANIFEST says %lu", file,
				 counts[t], dm_binlog_event_type_name(t),
				 want[t]);
}

static void test_binlog__corpus_files_decode_to_end_or_fail_where_corrupt(
	void **state)
{
	size_t n, i, len, nerr = 0;
	char **names;
	char *manifest;

	(void)state;
	if (!bt_corpus_dir()) {
		fprintf(stderr, "binlog corpus not found at "
			"../shared/corpus/binlog: skipped\n");
		skip();
	}
	manifest = (char *)bt_read_file(bt_corpus_path("MANIFEST.md"), &len);
	assert_non_null(manifest);
	manifest = realloc(manifest, len + 1);
	manifest[len] = '\0';
	names = list_files(&n);
	assert_true(n >= 80);
	for (i = 0; i < n; i++) {
		walk *w = calloc(1, sizeof(*w));
		unsigned long pos = 0;
		const char *why = expected_error(names[i], &pos);
		bool temp;
		char *path = plain_path(names[i], &temp);

		walk_file(w, path);
		if (why) {
			char at[600];

			nerr++;
			if (w->rc == 0)
				fail_msg("%s decoded to its end; expected an "
					 "error at %lu", names[i], pos);
			snprintf(at, sizeof(at), "%s:%lu: ", names[i], pos);
			if (!strstr(w->msg, at) || !strstr(w->msg, why))
				fail_msg("%s: error \"%s\", expected one at "
					 "\"%s\" about %s", names[i], w->msg,
					 at, why);
		} else {
			char *line = manifest_events(manifest, names[i]);

			if (w->rc)
				fail_msg("%s: %s", names[i], w->msg);
			if (!line)
				fail_msg("%s: no events line in MANIFEST",
					 names[i]);
			check_counts(names[i], line, w->counts);
			free(line);
		}
		if (temp)
			unlink(path);
		free(path);
		dm_buf_free(&w->rows);
		free(w);
		free(names[i]);
	}
	assert_int_equal(nerr, sizeof(expected_errors) / sizeof(expected_errors[0]));
	free(names);
	free(manifest);
}

/* ------------------------------------------ mariadb-binlog "###" lines */

/* The lines of `text` that start with "###", joined with '\n'. */
static char *hash_lines(const char *text, size_t len, size_t *nlines)
{
	dm_buf out = DM_BUF_INIT;
	const char *p = text, *end = text + len;

	*nlines = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l >= 3 && memcmp(p, "###", 3) == 0) {
			dm_buf_append(&out, p, l);
			dm_buf_putc(&out, '\n');
			(*nlines)++;
		}
		p += l + 1;
	}
	if (!out.data)
		dm_buf_puts(&out, "");
	return dm_buf_detach(&out);
}

static void first_difference(const char *file, const char *a, const char *b)
{
	size_t line = 1;
	const char *sa = a, *sb = b;

	while (*a && *a == *b) {
		if (*a == '\n') {
			line++;
			sa = a + 1;
			sb = b + 1;
		}
		a++;
		b++;
	}
	fail_msg("%s: ### line %zu differs:\n  mariadb-binlog: %.200s\n  "
		 "libdm:          %.200s", file, line, sa, sb);
}

static void test_binlog__corpus_rows_text_equals_mariadb_binlog(void **state)
{
	size_t n, i, compared = 0;
	char **names;

	(void)state;
	if (!bt_corpus_dir()) {
		fprintf(stderr, "binlog corpus not found: skipped\n");
		skip();
	}
	names = list_files(&n);
	for (i = 0; i < n; i++) {
		static const char *const suffix[] = {
			".mariadb-binlog.txt", ".mariadb-binlog.txt.gz",
			".mariadb-binlog.partial.txt"
		};
		char ref_name[600];
		unsigned char *ref = NULL;
		size_t rlen = 0, k, nref, nmine;
		bool partial = false, temp;
		char *path, *want, *got;
		walk *w;

		for (k = 0; k < 3 && !ref; k++) {
			snprintf(ref_name, sizeof(ref_name), "%s%s", names[i],
				 suffix[k]);
			ref = bt_read_file(bt_corpus_path(ref_name), &rlen);
			partial = k == 2;
		}
		if (!ref) {
			free(names[i]);
			continue;
		}
		w = calloc(1, sizeof(*w));
		w->text = true;
		path = plain_path(names[i], &temp);
		walk_file(w, path);
		want = hash_lines((const char *)ref, rlen, &nref);
		got = hash_lines(w->rows.data ? w->rows.data : "", w->rows.len,
				 &nmine);
		if (partial) {
			/* The tool stopped early: its lines are a prefix. */
			if (strncmp(want, got, strlen(want)) != 0)
				first_difference(names[i], want, got);
		} else if (strcmp(want, got) != 0) {
			first_difference(names[i], want, got);
		}
		compared++;
		free(want);
		free(got);
		free(ref);
		if (temp)
			unlink(path);
		free(path);
		dm_buf_free(&w->rows);
		free(w);
		free(names[i]);
	}
	free(names);
	assert_true(compared >= 79);
}

int binlog_test_corpus_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_binlog__corpus_files_decode_to_end_or_fail_where_corrupt),
		cmocka_unit_test(test_binlog__corpus_rows_text_equals_mariadb_binlog),
	};

	return cmocka_run_group_tests_name("binlog_corpus", tests, NULL, NULL);
}
