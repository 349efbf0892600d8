/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The lexer: MySQL/MariaDB tokens as found in binlog QUERY events, with
 * comments (#, "-- ", C style), executable comments honouring the server
 * version, quoted names, string literals with or without backslash escapes,
 * charset introducers, numbers, hex and bit literals, and variables.
 */
#include <stdint.h>
#include <string.h>

#include "sql/sql_private.h"

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	       c == '\v';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(unsigned char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Characters of unquoted names; bytes of multibyte UTF-8 count too. */
static bool is_word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       is_digit(c) || c == '_' || c == '$' || c >= 0x80;
}

static unsigned char upper(unsigned char c)
{
	return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

bool dm__sql_word_is(const dm__sql_token *t, const char *kw)
{
	size_t i;

	if (t->kind != DM__TOK_WORD)
		return false;
	for (i = 0; i < t->len; i++)
		if (!kw[i] || upper((unsigned char)t->text[i]) != (unsigned char)kw[i])
			return false;
	return kw[i] == '\0';
}

void dm__sql_lex_init(dm__sql_lexer *lx, const char *src, size_t len,
		      const dm_sql_parse_opts *opts, dm__sql_arena *arena)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->len = len;
	lx->mode = opts->sql_mode;
	lx->server_version = opts->server_version;
	lx->mariadb = opts->mariadb;
	lx->arena = arena;
}

static int lex_fail(dm__sql_lexer *lx, size_t pos, const char *msg)
{
	lx->err_pos = pos;
	lx->err_msg = msg;
	return DM_E_PARSE_SQL;
}

static int cur(const dm__sql_lexer *lx, size_t off)
{
	size_t i = lx->pos + off;

	return i < lx->len ? (unsigned char)lx->src[i] : -1;
}

/* Skips whitespace and comments; enters and leaves executed version
 * comments. Sets *gap when anything was skipped. */
static int skip_blank(dm__sql_lexer *lx, bool *gap)
{
	while (lx->pos < lx->len) {
		unsigned char c = (unsigned char)lx->src[lx->pos];
		size_t start = lx->pos;

		if (is_space(c)) {
			lx->pos++;
		} else if (c == '#' ||
			   (c == '-' && cur(lx, 1) == '-' &&
			    (cur(lx, 2) < 0 || cur(lx, 2) <= ' '))) {
			while (lx->pos < lx->len && lx->src[lx->pos] != '\n')
				lx->pos++;
		} else if (c == '/' && cur(lx, 1) == '*') {
			bool is_m = cur(lx, 2) == 'M' && cur(lx, 3) == '!';
			bool is_exec = cur(lx, 2) == '!' || is_m;

			if (is_exec) {
				size_t p = lx->pos + (is_m ? 4 : 3), d = 0;
				unsigned long version = 0;
				bool run;

				if (lx->in_exec)
					return lex_fail(lx, start,
							"nested executable comment");
				while (d < 6 && p + d < lx->len &&
				       is_digit((unsigned char)lx->src[p + d]))
					d++;
				if (d == 5 || d == 6) {
					size_t k;

					for (k = 0; k < d; k++)
						version = version * 10 +
							  (unsigned long)(lx->src[p + k] - '0');
					p += d;
				}
				run = (!is_m || lx->mariadb) &&
				      (version == 0 || lx->server_version == 0 ||
				       version <= lx->server_version);
				if (run) {
					lx->in_exec = true;
					lx->pos = p;
					*gap = true;
					continue;
				}
			}
			{
				const char *e = NULL;
				size_t i;

				for (i = lx->pos + 2; i + 1 < lx->len; i++) {
					if (lx->src[i] == '*' && lx->src[i + 1] == '/') {
						e = lx->src + i;
						break;
					}
				}
				if (!e)
					return lex_fail(lx, start, "unterminated comment");
				lx->pos = (size_t)(e - lx->src) + 2;
			}
		} else if (c == '*' && cur(lx, 1) == '/' && lx->in_exec) {
			lx->in_exec = false;
			lx->pos += 2;
		} else {
			break;
		}
		*gap = true;
	}
	return 0;
}

/* Finds the end of a quoted run starting at the quote `q` at `start`;
 * `esc`: backslash escapes apply. Returns the index just past the closing
 * quote, or 0 when unterminated. Counts the decoded bytes in *dlen. */
static size_t scan_quoted(const char *s, size_t len, size_t start, char q,
			  bool esc, size_t *dlen)
{
	size_t i = start + 1, n = 0;

	while (i < len) {
		char c = s[i];

		if (c == q) {
			if (i + 1 < len && s[i + 1] == q) {
				n++;
				i += 2;
				continue;
			}
			*dlen = n;
			return i + 1;
		}
		if (c == '\\' && esc) {
			if (i + 1 >= len)
				return 0;
			n += (s[i + 1] == '%' || s[i + 1] == '_') ? 2 : 1;
			i += 2;
			continue;
		}
		n++;
		i++;
	}
	return 0;
}

static char *decode_quoted(dm__sql_arena *a, const char *s, size_t start,
			   size_t end, char q, bool esc, size_t dlen)
{
	char *d = dm__sql_alloc(a, dlen + 1);
	size_t i = start + 1, o = 0;

	if (!d)
		return NULL;
	while (i < end - 1) {
		char c = s[i];

		if (c == q) {
			d[o++] = q;
			i += 2;
			continue;
		}
		if (c == '\\' && esc) {
			char e = s[i + 1];

			switch (e) {
			case '0': d[o++] = '\0'; break;
			case 'b': d[o++] = '\b'; break;
			case 'n': d[o++] = '\n'; break;
			case 'r': d[o++] = '\r'; break;
			case 't': d[o++] = '\t'; break;
			case 'Z': d[o++] = '\032'; break;
			case '%':
			case '_':
				d[o++] = '\\';
				d[o++] = e;
				break;
			default: d[o++] = e; break;
			}
			i += 2;
			continue;
		}
		d[o++] = c;
		i++;
	}
	d[o] = '\0';
	return d;
}

static int lex_quoted(dm__sql_lexer *lx, dm__sql_token *t, size_t qpos,
		      bool esc)
{
	char q = lx->src[qpos];
	size_t dlen = 0, end;

	end = scan_quoted(lx->src, lx->len, qpos, q, esc, &dlen);
	if (!end)
		return lex_fail(lx, t->start,
				q == '`' || (q == '"' && t->kind == DM__TOK_QIDENT)
					? "unterminated quoted name"
					: "unterminated string");
	if (lx->arena) {
		char *d = decode_quoted(lx->arena, lx->src, qpos, end, q, esc, dlen);

		if (!d)
			return DM_E_NO_MEMORY;
		t->text = d;
		t->len = dlen;
	}
	lx->pos = end;
	return 0;
}

static int lex_hex_or_bit(dm__sql_lexer *lx, dm__sql_token *t, bool hex)
{
	/* X'..' or B'..': pos is at the letter. */
	size_t i = lx->pos + 2, j;

	while (i < lx->len && lx->src[i] != '\'')
		i++;
	if (i >= lx->len)
		return lex_fail(lx, t->start, "unterminated string");
	for (j = lx->pos + 2; j < i; j++) {
		unsigned char c = (unsigned char)lx->src[j];

		if (hex ? !is_hex(c) : (c != '0' && c != '1'))
			return lex_fail(lx, t->start,
					hex ? "bad hexadecimal literal"
					    : "bad bit literal");
	}
	if (hex && (i - lx->pos - 2) % 2)
		return lex_fail(lx, t->start, "bad hexadecimal literal");
	t->kind = hex ? DM__TOK_HEX : DM__TOK_BIT;
	if (lx->arena) {
		char *d = dm__sql_strndup(lx->arena, lx->src + lx->pos + 2,
					  i - lx->pos - 2);

		if (!d)
			return DM_E_NO_MEMORY;
		for (j = 0; d[j]; j++)
			d[j] = (char)upper((unsigned char)d[j]);
		t->text = d;
		t->len = i - lx->pos - 2;
	}
	lx->pos = i + 1;
	return 0;
}

/* 0x.. (hex) and 0b.. (bit) written as numbers: digits are normalised to
 * the X'..' / b'..' form (hex padded to an even count). */
static int lex_prefixed(dm__sql_lexer *lx, dm__sql_token *t, size_t end,
			bool hex)
{
	size_t n = end - lx->pos - 2, pad = hex ? n % 2 : 0, k;
	char *d;

	t->kind = hex ? DM__TOK_HEX : DM__TOK_BIT;
	t->prefixed = true;
	if (lx->arena) {
		d = dm__sql_alloc(lx->arena, n + pad + 1);
		if (!d)
			return DM_E_NO_MEMORY;
		if (pad)
			d[0] = '0';
		for (k = 0; k < n; k++)
			d[pad + k] = (char)upper((unsigned char)lx->src[lx->pos + 2 + k]);
		t->text = d;
		t->len = n + pad;
	}
	lx->pos = end;
	return 0;
}

static void lex_word_from(dm__sql_lexer *lx, dm__sql_token *t, size_t start)
{
	size_t i = start;

	while (i < lx->len && is_word_char((unsigned char)lx->src[i]))
		i++;
	t->kind = DM__TOK_WORD;
	t->text = lx->src + t->start;
	t->len = i - t->start;
	lx->pos = i;
}

static int lex_number(dm__sql_lexer *lx, dm__sql_token *t)
{
	const char *s = lx->src;
	size_t i = lx->pos, len = lx->len;
	bool is_int = true, is_float = false;

	if (s[i] == '0' && i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'b')) {
		bool hex = s[i + 1] == 'x';
		size_t j = i + 2;

		while (j < len && (hex ? is_hex((unsigned char)s[j])
				       : (s[j] == '0' || s[j] == '1')))
			j++;
		if (j > i + 2 && (j >= len || !is_word_char((unsigned char)s[j])))
			return lex_prefixed(lx, t, j, hex);
		lex_word_from(lx, t, i);
		return 0;
	}
	while (i < len && is_digit((unsigned char)s[i]))
		i++;
	if (i < len && s[i] == '.') {
		is_int = false;
		i++;
		while (i < len && is_digit((unsigned char)s[i]))
			i++;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;

		if (j < len && (s[j] == '+' || s[j] == '-'))
			j++;
		if (j < len && is_digit((unsigned char)s[j])) {
			while (j < len && is_digit((unsigned char)s[j]))
				j++;
			i = j;
			is_float = true;
			is_int = false;
		}
	}
	/* 123abc is a name; 1.5abc is 1.5 followed by abc. */
	if (is_int && i < len && is_word_char((unsigned char)s[i])) {
		lex_word_from(lx, t, lx->pos);
		return 0;
	}
	t->kind = is_float ? DM__TOK_FLOAT
		  : is_int ? DM__TOK_INT
			   : DM__TOK_DECIMAL;
	t->text = s + lx->pos;
	t->len = i - lx->pos;
	lx->pos = i;
	return 0;
}

static int lex_variable(dm__sql_lexer *lx, dm__sql_token *t)
{
	const char *s = lx->src;
	size_t i = lx->pos + 1, len = lx->len;

	if (i < len && s[i] == '@') {
		size_t name = i + 1, j = name;

		/* @@[scope.]name */
		while (j < len && is_word_char((unsigned char)s[j]))
			j++;
		if (j == name && !(j < len && s[j] == '`'))
			return lex_fail(lx, t->start, "bad system variable name");
		t->kind = DM__TOK_SYS_VAR;
		if (j < len && s[j] == '.' && j + 1 < len &&
		    (is_word_char((unsigned char)s[j + 1]) || s[j + 1] == '`')) {
			t->scope = s + name;
			if (lx->arena) {
				t->scope = dm__sql_strndup(lx->arena, s + name, j - name);
				if (!t->scope)
					return DM_E_NO_MEMORY;
			}
			name = j + 1;
			j = name;
			while (j < len && is_word_char((unsigned char)s[j]))
				j++;
		}
		if (j == name && j < len && s[j] == '`') {
			int rc;

			lx->pos = j;
			rc = lex_quoted(lx, t, j, false);
			t->quoted = true;
			return rc;
		}
		t->text = s + name;
		t->len = j - name;
		lx->pos = j;
		return 0;
	}
	if (i < len && (s[i] == '\'' || s[i] == '"' || s[i] == '`')) {
		int rc;

		t->kind = DM__TOK_USER_VAR;
		t->quoted = true;
		t->quote = s[i];
		rc = lex_quoted(lx, t, i, s[i] != '`' &&
				!(lx->mode & DM_SQL_MODE_NO_BACKSLASH_ESCAPES));
		return rc;
	}
	if (i < len && (is_word_char((unsigned char)s[i]) || s[i] == '.')) {
		size_t j = i;

		/* MySQL allows '.' in unquoted user variable names. */
		while (j < len && (is_word_char((unsigned char)s[j]) || s[j] == '.'))
			j++;
		t->kind = DM__TOK_USER_VAR;
		t->text = s + i;
		t->len = j - i;
		lx->pos = j;
		return 0;
	}
	t->kind = DM__TOK_PUNCT;
	t->punct = DM__P_AT;
	t->text = s + lx->pos;
	t->len = 1;
	lx->pos = i;
	return 0;
}

static int lex_punct(dm__sql_lexer *lx, dm__sql_token *t)
{
	int c = cur(lx, 0), c1 = cur(lx, 1), c2 = cur(lx, 2);
	int p = DM__P_NONE;
	size_t n = 1;

	switch (c) {
	case '(': p = DM__P_LPAREN; break;
	case ')': p = DM__P_RPAREN; break;
	case ',': p = DM__P_COMMA; break;
	case ';': p = DM__P_SEMI; break;
	case '.': p = DM__P_DOT; break;
	case '+': p = DM__P_PLUS; break;
	case '-':
		if (c1 == '>' && c2 == '>')
			p = DM__P_ARROW2, n = 3;
		else if (c1 == '>')
			p = DM__P_ARROW, n = 2;
		else
			p = DM__P_MINUS;
		break;
	case '*': p = DM__P_STAR; break;
	case '/': p = DM__P_SLASH; break;
	case '%': p = DM__P_PERCENT; break;
	case '=': p = DM__P_EQ; break;
	case '<':
		if (c1 == '=' && c2 == '>')
			p = DM__P_NSEQ, n = 3;
		else if (c1 == '=')
			p = DM__P_LE, n = 2;
		else if (c1 == '>')
			p = DM__P_NE, n = 2;
		else if (c1 == '<')
			p = DM__P_SHL, n = 2;
		else
			p = DM__P_LT;
		break;
	case '>':
		if (c1 == '=')
			p = DM__P_GE, n = 2;
		else if (c1 == '>')
			p = DM__P_SHR, n = 2;
		else
			p = DM__P_GT;
		break;
	case '!':
		if (c1 == '=')
			p = DM__P_NE, n = 2;
		else
			p = DM__P_BANG;
		break;
	case '&':
		if (c1 == '&')
			p = DM__P_ANDAND, n = 2;
		else
			p = DM__P_AMP;
		break;
	case '|':
		if (c1 == '|')
			p = DM__P_OROR, n = 2;
		else
			p = DM__P_PIPE;
		break;
	case '~': p = DM__P_TILDE; break;
	case '^': p = DM__P_CARET; break;
	case '{': p = DM__P_LBRACE; break;
	case '}': p = DM__P_RBRACE; break;
	case ':':
		if (c1 == '=')
			p = DM__P_ASSIGN, n = 2;
		else
			p = DM__P_COLON;
		break;
	default:
		return lex_fail(lx, t->start, "unexpected character");
	}
	t->kind = DM__TOK_PUNCT;
	t->punct = (unsigned char)p;
	t->text = lx->src + lx->pos;
	t->len = n;
	lx->pos += n;
	return 0;
}

int dm__sql_lex_next(dm__sql_lexer *lx, dm__sql_token *t)
{
	bool gap = false;
	int rc, c, c1;

	memset(t, 0, sizeof(*t));
	rc = skip_blank(lx, &gap);
	if (rc)
		return rc;
	t->gap = gap;
	t->start = lx->pos;
	if (lx->pos >= lx->len) {
		if (lx->in_exec)
			return lex_fail(lx, lx->len, "unterminated comment");
		t->kind = DM__TOK_EOF;
		t->end = lx->len;
		t->text = "";
		return 0;
	}
	c = cur(lx, 0);
	c1 = cur(lx, 1);
	if (c == '\'' || (c == '"' && !(lx->mode & DM_SQL_MODE_ANSI_QUOTES))) {
		t->kind = DM__TOK_STRING;
		rc = lex_quoted(lx, t, lx->pos,
				!(lx->mode & DM_SQL_MODE_NO_BACKSLASH_ESCAPES));
	} else if (c == '`' || c == '"') {
		t->kind = DM__TOK_QIDENT;
		rc = lex_quoted(lx, t, lx->pos, false);
		if (!rc && lx->arena && memchr(t->text, '\0', t->len))
			rc = lex_fail(lx, t->start, "NUL byte in a quoted name");
	} else if ((c == 'N' || c == 'n') && c1 == '\'') {
		t->kind = DM__TOK_STRING;
		t->national = true;
		rc = lex_quoted(lx, t, lx->pos + 1,
				!(lx->mode & DM_SQL_MODE_NO_BACKSLASH_ESCAPES));
	} else if ((c == 'X' || c == 'x') && c1 == '\'') {
		rc = lex_hex_or_bit(lx, t, true);
	} else if ((c == 'B' || c == 'b') && c1 == '\'') {
		rc = lex_hex_or_bit(lx, t, false);
	} else if (lx->prev_dot && !gap && is_word_char((unsigned char)c)) {
		/* After "name." a name may start with digits: t.1col */
		lex_word_from(lx, t, lx->pos);
	} else if (is_digit((unsigned char)c) ||
		   (c == '.' && c1 >= 0 && is_digit((unsigned char)c1) &&
		    !(lx->prev_name && !gap))) {
		rc = lex_number(lx, t);
	} else if (is_word_char((unsigned char)c)) {
		lex_word_from(lx, t, lx->pos);
	} else if (c == '@') {
		rc = lex_variable(lx, t);
	} else if (c == '?') {
		t->kind = DM__TOK_PARAM;
		t->text = "?";
		t->len = 1;
		lx->pos++;
	} else {
		rc = lex_punct(lx, t);
	}
	if (rc)
		return rc;
	t->end = lx->pos;
	lx->prev_dot = t->kind == DM__TOK_PUNCT && t->punct == DM__P_DOT;
	lx->prev_name = t->kind == DM__TOK_WORD || t->kind == DM__TOK_QIDENT;
	return 0;
}

static const char *const charsets[] = {
	"armscii8", "ascii", "big5", "binary", "cp1250", "cp1251", "cp1256",
	"cp1257", "cp850", "cp852", "cp866", "cp932", "dec8", "eucjpms",
	"euckr", "filename", "gb18030", "gb2312", "gbk", "geostd8", "greek",
	"hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1", "latin2",
	"latin5", "latin7", "macce", "macroman", "sjis", "swe7", "tis620",
	"ucs2", "ujis", "utf16", "utf16le", "utf32", "utf8", "utf8mb3",
	"utf8mb4"
};

bool dm__sql_is_charset_name(const char *s, size_t len)
{
	size_t i, k;

	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++) {
		const char *cs = charsets[i];

		for (k = 0; k < len && cs[k]; k++) {
			unsigned char c = (unsigned char)s[k];

			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != (unsigned char)cs[k])
				break;
		}
		if (k == len && cs[k] == '\0')
			return true;
	}
	return false;
}

static int push_tok(dm__sql_arena *a, dm__sql_token **arr, size_t *n,
		    size_t *cap, const dm__sql_token *t)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		dm__sql_token *na;

		if (ncap > SIZE_MAX / sizeof(*na) / 2)
			return DM_E_NO_MEMORY;
		na = dm__sql_alloc(a, ncap * sizeof(*na));
		if (!na)
			return DM_E_NO_MEMORY;
		if (*n)
			memcpy(na, *arr, *n * sizeof(*na));
		*arr = na;
		*cap = ncap;
	}
	(*arr)[(*n)++] = *t;
	return 0;
}

static int merge_strings(dm__sql_arena *a, dm__sql_token *into,
			 const dm__sql_token *next)
{
	char *d = dm__sql_alloc(a, into->len + next->len + 1);

	if (!d)
		return DM_E_NO_MEMORY;
	if (into->len)
		memcpy(d, into->text, into->len);
	if (next->len)
		memcpy(d + into->len, next->text, next->len);
	into->text = d;
	into->len += next->len;
	into->end = next->end;
	return 0;
}

int dm__sql_lex_all(dm__sql_lexer *lx, dm__sql_token **out, size_t *n)
{
	dm__sql_token *arr = NULL, t;
	size_t cnt = 0, cap = 0;
	int rc;

	do {
		rc = dm__sql_lex_next(lx, &t);
		if (rc)
			return rc;
		if (cnt > 0) {
			dm__sql_token *prev = &arr[cnt - 1];
			bool plain = t.kind == DM__TOK_STRING && !t.national;

			/* _charset'..', _charset X'..', _charset 0x.. */
			if (prev->kind == DM__TOK_WORD && prev->len > 1 &&
			    prev->text[0] == '_' &&
			    (plain || t.kind == DM__TOK_HEX ||
			     t.kind == DM__TOK_BIT) &&
			    dm__sql_is_charset_name(prev->text + 1, prev->len - 1)) {
				size_t k;
				char *cs = dm__sql_strndup(lx->arena, prev->text + 1,
							   prev->len - 1);

				if (!cs)
					return DM_E_NO_MEMORY;
				for (k = 0; cs[k]; k++)
					if (cs[k] >= 'A' && cs[k] <= 'Z')
						cs[k] = (char)(cs[k] + 32);
				t.charset = cs;
				t.start = prev->start;
				t.gap = prev->gap;
				arr[cnt - 1] = t;
				continue;
			}
			/* 'a' 'b' is 'ab' */
			if (plain && !t.charset && prev->kind == DM__TOK_STRING) {
				rc = merge_strings(lx->arena, prev, &t);
				if (rc)
					return rc;
				continue;
			}
		}
		rc = push_tok(lx->arena, &arr, &cnt, &cap, &t);
		if (rc)
			return rc;
	} while (t.kind != DM__TOK_EOF);
	*out = arr;
	*n = cnt;
	return 0;
}

/* Words MySQL and MariaDB both reserve: they are never column, table or
 * index names unless quoted. */
static const char *const reserved[] = {
	"ACCESSIBLE", "ADD", "ALL", "ALTER", "ANALYZE", "AND", "AS", "ASC",
	"ASENSITIVE", "BEFORE", "BETWEEN", "BIGINT", "BINARY", "BLOB", "BOTH",
	"BY", "CALL", "CASCADE", "CASE", "CHANGE", "CHAR", "CHARACTER",
	"CHECK", "COLLATE", "COLUMN", "CONDITION", "CONSTRAINT", "CONTINUE",
	"CONVERT", "CREATE", "CROSS", "CURRENT_DATE", "CURRENT_TIME",
	"CURRENT_TIMESTAMP", "CURRENT_USER", "CURSOR", "DATABASE", "DATABASES",
	"DAY_HOUR", "DAY_MICROSECOND", "DAY_MINUTE", "DAY_SECOND", "DEC",
	"DECIMAL", "DECLARE", "DEFAULT", "DELAYED", "DELETE", "DESC",
	"DESCRIBE", "DETERMINISTIC", "DISTINCT", "DISTINCTROW", "DIV",
	"DOUBLE", "DROP", "DUAL", "EACH", "ELSE", "ELSEIF", "ENCLOSED",
	"ESCAPED", "EXISTS", "EXIT", "EXPLAIN", "FALSE", "FETCH", "FLOAT",
	"FLOAT4", "FLOAT8", "FOR", "FORCE", "FOREIGN", "FROM", "FULLTEXT",
	"GRANT", "GROUP", "HAVING", "HIGH_PRIORITY", "HOUR_MICROSECOND",
	"HOUR_MINUTE", "HOUR_SECOND", "IF", "IGNORE", "IN", "INDEX", "INFILE",
	"INNER", "INOUT", "INSENSITIVE", "INSERT", "INT", "INT1", "INT2",
	"INT3", "INT4", "INT8", "INTEGER", "INTERVAL", "INTO", "IS", "ITERATE",
	"JOIN", "KEY", "KEYS", "KILL", "LEADING", "LEAVE", "LEFT", "LIKE",
	"LIMIT", "LINEAR", "LINES", "LOAD", "LOCALTIME", "LOCALTIMESTAMP",
	"LOCK", "LONG", "LONGBLOB", "LONGTEXT", "LOOP", "LOW_PRIORITY",
	"MATCH", "MAXVALUE", "MEDIUMBLOB", "MEDIUMINT", "MEDIUMTEXT",
	"MIDDLEINT", "MINUTE_MICROSECOND", "MINUTE_SECOND", "MOD", "MODIFIES",
	"NATURAL", "NOT", "NO_WRITE_TO_BINLOG", "NULL", "NUMERIC", "ON",
	"OPTIMIZE", "OPTION", "OPTIONALLY", "OR", "ORDER", "OUT", "OUTER",
	"OUTFILE", "PARTITION", "PRECISION", "PRIMARY", "PROCEDURE", "PURGE",
	"RANGE", "READ", "READS", "READ_WRITE", "REAL", "REFERENCES",
	"REGEXP", "RELEASE", "RENAME", "REPEAT", "REPLACE", "REQUIRE",
	"RESIGNAL", "RESTRICT", "RETURN", "REVOKE", "RIGHT", "RLIKE", "SCHEMA",
	"SCHEMAS", "SECOND_MICROSECOND", "SELECT", "SENSITIVE", "SEPARATOR",
	"SET", "SHOW", "SIGNAL", "SMALLINT", "SPATIAL", "SPECIFIC", "SQL",
	"SQLEXCEPTION", "SQLSTATE", "SQLWARNING", "SQL_BIG_RESULT",
	"SQL_CALC_FOUND_ROWS", "SQL_SMALL_RESULT", "SSL", "STARTING",
	"STRAIGHT_JOIN", "TABLE", "TERMINATED", "THEN", "TINYBLOB", "TINYINT",
	"TINYTEXT", "TO", "TRAILING", "TRIGGER", "TRUE", "UNDO", "UNION",
	"UNIQUE", "UNLOCK", "UNSIGNED", "UPDATE", "USAGE", "USE", "USING",
	"UTC_DATE", "UTC_TIME", "UTC_TIMESTAMP", "VALUES", "VARBINARY",
	"VARCHAR", "VARCHARACTER", "VARYING", "WHEN", "WHERE", "WHILE", "WITH",
	"WRITE", "XOR", "YEAR_MONTH", "ZEROFILL"
};

bool dm__sql_is_reserved(const char *s, size_t len)
{
	size_t lo = 0, hi = sizeof(reserved) / sizeof(reserved[0]);
	char buf[32];
	size_t i;

	if (len == 0 || len >= sizeof(buf))
		return false;
	for (i = 0; i < len; i++)
		buf[i] = (char)upper((unsigned char)s[i]);
	buf[len] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(buf, reserved[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

int dm__sql_syntax_error(dm_error **err, const char *src, size_t len,
			 size_t pos, const char *msg)
{
	unsigned line = 1, col = 1;
	size_t i, n;

	if (pos > len)
		pos = len;
	for (i = 0; i < pos; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '\n') {
			line++;
			col = 1;
		} else if ((c & 0xC0) != 0x80) {
			col++;
		}
	}
	/* Up to 40 bytes, not cutting a UTF-8 sequence. */
	n = len - pos;
	if (n > 40) {
		n = 40;
		while (n > 0 && ((unsigned char)src[pos + n] & 0xC0) == 0x80)
			n--;
	}
	return dm_error_set(err, DM_E_PARSE_SQL, "line %u column %u near '%.*s': %s",
			    line, col, (int)n, src + pos, msg);
}
