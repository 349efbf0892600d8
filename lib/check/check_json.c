/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The result as DM prints it: a small JSON writer that escapes strings as
 * Go's encoding/json does (so the bytes match DM's output), DM's
 * check-task message and its 26005 error.
 */
#include <stdint.h>
#include <string.h>

#include "check/check_private.h"
#include "dm/util.h"

#define JSON_MAX_DEPTH 8

typedef struct jw {
	dm_buf *out;
	bool indent;          /* Go's MarshalIndent(v, "\t", "\t") */
	int depth;
	bool first[JSON_MAX_DEPTH];
	int rc;
} jw;

static void jw_puts(jw *w, const char *s)
{
	if (!w->rc)
		w->rc = dm_buf_puts(w->out, s);
}

static void jw_putc(jw *w, char c)
{
	if (!w->rc)
		w->rc = dm_buf_putc(w->out, c);
}

/* A new line starts with the prefix and one indent per open level. */
static void jw_newline(jw *w)
{
	int i;

	if (!w->indent)
		return;
	jw_putc(w, '\n');
	for (i = 0; i <= w->depth; i++)
		jw_putc(w, '\t');
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Go's escaping: quote, backslash, control characters, the HTML-unsafe
 * <, > and &, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD. */
static void jw_string(jw *w, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)(str ? str : "");
	size_t n = strlen((const char *)s), i = 0;

	jw_putc(w, '"');
	while (i < n && !w->rc) {
		unsigned char c = s[i];
		size_t len;

		switch (c) {
		case '"':
			jw_puts(w, "\\\"");
			i++;
			continue;
		case '\\':
			jw_puts(w, "\\\\");
			i++;
			continue;
		case '\n':
			jw_puts(w, "\\n");
			i++;
			continue;
		case '\r':
			jw_puts(w, "\\r");
			i++;
			continue;
		case '\t':
			jw_puts(w, "\\t");
			i++;
			continue;
		case '\b':
			jw_puts(w, "\\b");
			i++;
			continue;
		case '\f':
			jw_puts(w, "\\f");
			i++;
			continue;
		case '<':
		case '>':
		case '&':
			break;
		default:
			if (c >= 0x20 && c < 0x80) {
				jw_putc(w, (char)c);
				i++;
				continue;
			}
		}
		if (c < 0x80) {
			/* control characters and <, >, & */
			char esc[7] = { '\\', 'u', '0', '0', hex[c >> 4],
					hex[c & 0xf], '\0' };

			jw_puts(w, esc);
			i++;
			continue;
		}
		len = utf8_len(s + i, n - i);
		if (len == 0) {
			jw_puts(w, "\\ufffd");
			i++;
		} else if (len == 3 && c == 0xe2 && s[i + 1] == 0x80 &&
			   (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) {
			jw_puts(w, s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 3;
		} else {
			if (!w->rc)
				w->rc = dm_buf_append(w->out, s + i, len);
			i += len;
		}
	}
	jw_putc(w, '"');
}

static void jw_open(jw *w, char c)
{
	jw_putc(w, c);
	if (w->depth + 1 >= JSON_MAX_DEPTH) {
		w->rc = DM_E_INTERNAL;
		return;
	}
	w->depth++;
	w->first[w->depth] = true;
}

static void jw_close(jw *w, char c)
{
	bool empty = w->first[w->depth];

	w->depth--;
	if (!empty)
		jw_newline(w);
	jw_putc(w, c);
}

/* Starts the next array element or object member. */
static void jw_next(jw *w)
{
	if (!w->first[w->depth])
		jw_putc(w, ',');
	w->first[w->depth] = false;
	jw_newline(w);
}

static void jw_key(jw *w, const char *key)
{
	jw_next(w);
	jw_string(w, key);
	jw_puts(w, w->indent ? ": " : ":");
}

static void jw_str_member(jw *w, const char *key, const char *value)
{
	jw_key(w, key);
	jw_string(w, value);
}

/* Go's omitempty: no member for an empty string. */
static void jw_opt_member(jw *w, const char *key, const char *value)
{
	if (value && *value)
		jw_str_member(w, key, value);
}

static void jw_num_member(jw *w, const char *key, long value)
{
	jw_key(w, key);
	if (!w->rc)
		w->rc = dm_buf_printf(w->out, "%ld", value);
}

static const char *state_name(dm_check_state s)
{
	switch (s) {
	case DM_CHECK_FAIL:
		return "fail";
	case DM_CHECK_WARN:
		return "warn";
	case DM_CHECK_SUCCESS:
		break;
	}
	return "success";
}

static void jw_item(jw *w, const dm_check_item *it)
{
	size_t i;

	jw_next(w);
	jw_open(w, '{');
	jw_num_member(w, "id", (long)it->id);
	jw_str_member(w, "name", it->name);
	jw_str_member(w, "desc", it->desc);
	jw_str_member(w, "state", state_name(it->state));
	if (it->nerrors) {
		jw_key(w, "errors");
		jw_open(w, '[');
		for (i = 0; i < it->nerrors; i++) {
			const dm_check_error *e = &it->errors[i];

			jw_next(w);
			jw_open(w, '{');
			jw_str_member(w, "severity", state_name(e->severity));
			jw_str_member(w, "short_error", e->short_error);
			jw_opt_member(w, "self", e->self);
			jw_opt_member(w, "other", e->other);
			jw_opt_member(w, "instruction", e->instruction);
			jw_close(w, '}');
		}
		jw_close(w, ']');
	}
	jw_opt_member(w, "instruction", it->instruction);
	jw_opt_member(w, "extra", it->extra);
	jw_close(w, '}');
}

int dm_check_result_json(dm_buf *out, const dm_check_result *res,
			 unsigned flags)
{
	jw w;
	const dm_check_item *items;
	dm_check_summary sum;
	size_t n, i;

	if (!out)
		return DM_E_INVALID_ARGUMENT;
	memset(&w, 0, sizeof(w));
	w.out = out;
	w.indent = (flags & DM_CHECK_JSON_INDENT) != 0;
	items = dm_check_result_items(res, (flags & DM_CHECK_JSON_ALL) ?
					       DM_CHECK_ITEMS_ALL :
					       DM_CHECK_ITEMS_REPORTED, &n);
	dm_check_result_summary(&sum, res);
	jw_open(&w, '{');
	jw_key(&w, "results");
	jw_open(&w, '[');
	for (i = 0; i < n; i++)
		jw_item(&w, &items[i]);
	jw_close(&w, ']');
	jw_key(&w, "summary");
	jw_open(&w, '{');
	jw_key(&w, "passed");
	jw_puts(&w, sum.passed ? "true" : "false");
	jw_num_member(&w, "total", sum.total);
	jw_num_member(&w, "successful", sum.successful);
	jw_num_member(&w, "failed", sum.failed);
	jw_num_member(&w, "warning", sum.warning);
	jw_close(&w, '}');
	jw_close(&w, '}');
	return w.rc;
}

#define MSG_HEADER "fail to check synchronization configuration with type"

int dm_check_result_message(dm_buf *out, const dm_check_result *res)
{
	dm_check_summary sum;
	int rc;

	if (!out)
		return DM_E_INVALID_ARGUMENT;
	if (!dm__check_result_checked(res))
		return dm_buf_puts(out, "");
	dm_check_result_summary(&sum, res);
	if (sum.successful == sum.total)
		return dm_buf_puts(out, "pre-check is passed. ");
	rc = dm_buf_puts(out, sum.failed ?
			 MSG_HEADER ": check was failed, please see detail"
				   "\n detail: " :
			 MSG_HEADER ": no errors but some warnings"
				   "\n detail: ");
	if (!rc)
		rc = dm_check_result_json(out, res, DM_CHECK_JSON_INDENT);
	return rc;
}

int dm_check_result_error(const dm_check_result *res, dm_error **err)
{
	dm_check_summary sum;
	dm_buf msg = DM_BUF_INIT;
	int rc;

	dm_check_result_summary(&sum, res);
	if (sum.passed)
		return 0;
	rc = dm_check_result_message(&msg, res);
	if (rc) {
		dm_buf_free(&msg);
		return dm_error_set(err, rc, "cannot format the check result");
	}
	rc = dm_error_set(err, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR, "%s",
			  msg.data);
	dm_buf_free(&msg);
	return rc;
}
