/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run: JSON for the bodies of control requests and for the library's
 * status objects. Reading goes through cJSON, the project's JSON library;
 * replies are built as text in a dm_buf.
 */
#include <stdio.h>
#include <string.h>

#include "dm_run.h"

cJSON *run_json_parse(const char *s, size_t len, char *why, size_t cap)
{
	const char *end = NULL;
	cJSON *j;

	if (why && cap)
		why[0] = '\0';
	j = cJSON_ParseWithLengthOpts(s ? s : "", s ? len : 0, &end, 0);
	/* One value and nothing but white space after it. */
	while (j && end && end < s + len && strchr(" \t\r\n", *end))
		end++;
	if (j && end == s + len)
		return j;
	cJSON_Delete(j);
	if (why && cap)
		snprintf(why, cap, "invalid JSON at byte %zu",
			 end && s && end >= s ? (size_t)(end - s) : (size_t)0);
	return NULL;
}

int run_json_put_str(dm_buf *b, const char *s)
{
	int rc = dm_buf_putc(b, '"');

	for (; !rc && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = dm_buf_putc(b, '\\') || dm_buf_putc(b, (char)c);
		else if (c == '\n')
			rc = dm_buf_puts(b, "\\n");
		else if (c == '\t')
			rc = dm_buf_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7F)
			rc = dm_buf_printf(b, "\\u%04x", c);
		else
			rc = dm_buf_putc(b, (char)c);
	}
	return rc ? rc : dm_buf_putc(b, '"');
}

int run_json_put(dm_buf *b, const cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);
	int rc;

	if (!text)
		return -1;
	rc = dm_buf_puts(b, text);
	cJSON_free(text);
	return rc;
}
