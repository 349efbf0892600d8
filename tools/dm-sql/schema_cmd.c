/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-sql schema [--default-db DB] [--lower-case-table-names N] [FILE|-]:
 * applies DDL statements to an empty schema tracker and prints the
 * CREATE TABLE of every table, as `schema`.`table` headers. See dm-sql(1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dm/dm.h>

int schema_command(int argc, char **argv);

static int read_all(const char *path, dm_buf *out)
{
	FILE *f = (!path || strcmp(path, "-") == 0) ? stdin : fopen(path, "rb");
	char buf[65536];
	size_t n;

	if (!f) {
		fprintf(stderr, "dm-sql: cannot open %s\n", path);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		if (dm_buf_append(out, buf, n) != 0)
			break;
	if (f != stdin)
		fclose(f);
	return dm_buf_puts(out, "") == 0 ? 0 : -1;
}

static int fail(dm_error *e, const char *what)
{
	dm_buf b = DM_BUF_INIT;

	dm_error_format(&b, e, DM_ERROR_FORMAT_FULL);
	fprintf(stderr, "dm-sql: %s: %s\n", what, b.data ? b.data : "");
	dm_buf_free(&b);
	dm_error_free(e);
	return 1;
}

/* argv[0] is "schema". Exit 0, 1 (a statement failed) or 2 (usage). */
int schema_command(int argc, char **argv)
{
	dm_schema_opts opts = DM_SCHEMA_OPTS_INIT;
	dm_schema_tracker *tr = NULL;
	const char *input = NULL, *default_db = NULL;
	dm_sql_span *spans = NULL;
	dm_buf text = DM_BUF_INIT, out = DM_BUF_INIT;
	dm_error *e = NULL;
	size_t n = 0, i;
	int a, rc = 1;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "--default-db") == 0 && a + 1 < argc) {
			default_db = argv[++a];
		} else if (strcmp(argv[a], "--lower-case-table-names") == 0 &&
			   a + 1 < argc && strlen(argv[a + 1]) == 1 &&
			   argv[a + 1][0] >= '0' && argv[a + 1][0] <= '2') {
			opts.lower_case_table_names = argv[++a][0] - '0';
		} else if (argv[a][0] == '-' && argv[a][1] != '\0') {
			fprintf(stderr, "usage: dm-sql schema [--default-db DB] "
					"[--lower-case-table-names 0|1|2] "
					"[FILE|-]\n");
			return 2;
		} else if (!input) {
			input = argv[a];
		} else {
			fprintf(stderr, "dm-sql: one input at most\n");
			return 2;
		}
	}
	if (read_all(input, &text) != 0)
		goto out;
	if (dm_schema_tracker_new(&tr, &opts, &e) != 0 ||
	    dm_sql_split(&spans, &n, text.data, text.len, &opts.parse, &e) != 0) {
		rc = fail(e, "cannot read statements");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (dm_schema_tracker_apply(tr, text.data + spans[i].offset,
					    spans[i].len, default_db, &e) != 0) {
			rc = fail(e, "statement failed");
			goto out;
		}
	}
	for (i = 0; i < dm_schema_tracker_count(tr); i++) {
		const dm_schema_table *t = dm_schema_tracker_table_at(tr, i);

		dm_buf_clear(&out);
		if (dm_schema_table_create_sql(&out, t, &e) != 0) {
			rc = fail(e, "cannot print table");
			goto out;
		}
		printf("-- `%s`.`%s`\n%s;\n", dm_schema_table_schema(t),
		       dm_schema_table_name(t), out.data);
	}
	rc = 0;
out:
	dm_sql_spans_free(spans);
	dm_schema_tracker_free(tr);
	dm_buf_free(&text);
	dm_buf_free(&out);
	return rc;
}
