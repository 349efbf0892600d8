/* SPDX-License-Identifier: Apache-2.0 */
/* The lexer (lib/sql/sql_lex.c): every token form, comments, modes. */
#include "sql_test.h"

#include <string.h>

#include "sql/sql_private.h"

typedef struct lexed {
	dm__sql_arena arena;
	dm__sql_token *toks;
	size_t n;
	int rc;
	size_t err_pos;
	const char *err_msg;
} lexed;

static void lex(lexed *l, const char *src, unsigned long mode,
		unsigned server_version, bool mariadb)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	dm__sql_lexer lx;

	po.sql_mode = mode;
	po.server_version = server_version;
	po.mariadb = mariadb;
	dm__sql_arena_init(&l->arena);
	dm__sql_lex_init(&lx, src, strlen(src), &po, &l->arena);
	l->rc = dm__sql_lex_all(&lx, &l->toks, &l->n);
	l->err_pos = lx.err_pos;
	l->err_msg = lx.err_msg;
}

static void unlex(lexed *l)
{
	dm__sql_arena_free(&l->arena);
}

static void tok_is(const lexed *l, size_t i, int kind, const char *text)
{
	assert_true(i < l->n);
	if (l->toks[i].kind != kind)
		print_error("token %zu: kind %d, expected %d\n", i,
			    l->toks[i].kind, kind);
	assert_int_equal(l->toks[i].kind, kind);
	if (text) {
		assert_int_equal(l->toks[i].len, strlen(text));
		assert_memory_equal(l->toks[i].text, text, strlen(text));
	}
}

static void test_lex__words_are_case_insensitive_keywords(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "create TaBlE x_1$ ñame", 0, 0, true);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n, 5);
	assert_true(dm__sql_word_is(&l.toks[0], "CREATE"));
	assert_true(dm__sql_word_is(&l.toks[1], "TABLE"));
	assert_false(dm__sql_word_is(&l.toks[1], "TABL"));
	assert_false(dm__sql_word_is(&l.toks[1], "TABLES"));
	tok_is(&l, 2, DM__TOK_WORD, "x_1$");
	tok_is(&l, 3, DM__TOK_WORD, "\xc3\xb1" "ame");
	tok_is(&l, 4, DM__TOK_EOF, NULL);
	assert_true(dm__sql_is_reserved("select", 6));
	assert_true(dm__sql_is_reserved("ZEROFILL", 8));
	assert_true(dm__sql_is_reserved("accessible", 10));
	assert_false(dm__sql_is_reserved("comment", 7));
	assert_false(dm__sql_is_reserved("a", 1));
	unlex(&l);
}

static void test_lex__quoted_names(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "`a``b` `sp ace` `\xe4\xb8\xad` \"dq\"", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_QIDENT, "a`b");
	tok_is(&l, 1, DM__TOK_QIDENT, "sp ace");
	tok_is(&l, 2, DM__TOK_QIDENT, "\xe4\xb8\xad");
	tok_is(&l, 3, DM__TOK_STRING, "dq");
	unlex(&l);
	/* ANSI_QUOTES: "x" is a name, with "" for a quote */
	lex(&l, "\"a\"\"b\" 's'", DM_SQL_MODE_ANSI_QUOTES, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_QIDENT, "a\"b");
	tok_is(&l, 1, DM__TOK_STRING, "s");
	unlex(&l);
	lex(&l, "`unterminated", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	assert_string_equal(l.err_msg, "unterminated quoted name");
	unlex(&l);
	lex(&l, "`a\\0b` `x\\`", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_QIDENT, "a\\0b");
	tok_is(&l, 1, DM__TOK_QIDENT, "x\\");
	unlex(&l);
}

static void test_lex__string_escapes(void **state)
{
	lexed l;
	static const char decoded[] = "\0'\"\b\n\r\t\032\\\\%\\_xq";

	(void)state;
	lex(&l, "'\\0\\'\\\"\\b\\n\\r\\t\\Z\\\\\\%\\_\\x''q'", 0, 0, true);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.toks[0].kind, DM__TOK_STRING);
	assert_int_equal(l.toks[0].len, sizeof(decoded) - 1 + 1);
	assert_memory_equal(l.toks[0].text, decoded, 13);
	assert_memory_equal(l.toks[0].text + 13, "x'q", 3);
	unlex(&l);
	lex(&l, "\"it's \"\"x\"\"\"", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_STRING, "it's \"x\"");
	unlex(&l);
	lex(&l, "'a\\", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	assert_string_equal(l.err_msg, "unterminated string");
	unlex(&l);
}

static void test_lex__no_backslash_escapes_keeps_backslashes(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "'a\\n' 'b\\' 'c''d'", DM_SQL_MODE_NO_BACKSLASH_ESCAPES, 0, true);
	assert_int_equal(l.rc, 0);
	/* adjacent literals are one: 'a\n' 'b\' 'c''d' */
	assert_int_equal(l.n, 2);
	tok_is(&l, 0, DM__TOK_STRING, "a\\nb\\c'd");
	unlex(&l);
}

static void test_lex__introducers_national_and_adjacent(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "_utf8mb4'x' _BINARY 'y' 'z' N'n' 'm' _latin1 X'41' _binary 0x42 _utf8mb4 b'1' _notacs'q'",
	    0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_STRING, "x");
	assert_string_equal(l.toks[0].charset, "utf8mb4");
	tok_is(&l, 1, DM__TOK_STRING, "yz");
	assert_string_equal(l.toks[1].charset, "binary");
	tok_is(&l, 2, DM__TOK_STRING, "nm");
	assert_true(l.toks[2].national);
	assert_null(l.toks[2].charset);
	tok_is(&l, 3, DM__TOK_HEX, "41");
	assert_string_equal(l.toks[3].charset, "latin1");
	tok_is(&l, 4, DM__TOK_HEX, "42");
	assert_string_equal(l.toks[4].charset, "binary");
	tok_is(&l, 5, DM__TOK_BIT, "1");
	assert_string_equal(l.toks[5].charset, "utf8mb4");
	/* not a charset: a name followed by a string */
	tok_is(&l, 6, DM__TOK_WORD, "_notacs");
	tok_is(&l, 7, DM__TOK_STRING, "q");
	unlex(&l);
}

static void test_lex__numbers(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "0 42 007 1.5 .5 1. 1e5 1.5E-3 2e+2 123abc 1e 1.5x", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_INT, "0");
	tok_is(&l, 1, DM__TOK_INT, "42");
	tok_is(&l, 2, DM__TOK_INT, "007");
	tok_is(&l, 3, DM__TOK_DECIMAL, "1.5");
	tok_is(&l, 4, DM__TOK_DECIMAL, ".5");
	tok_is(&l, 5, DM__TOK_DECIMAL, "1.");
	tok_is(&l, 6, DM__TOK_FLOAT, "1e5");
	tok_is(&l, 7, DM__TOK_FLOAT, "1.5E-3");
	tok_is(&l, 8, DM__TOK_FLOAT, "2e+2");
	tok_is(&l, 9, DM__TOK_WORD, "123abc");
	tok_is(&l, 10, DM__TOK_WORD, "1e");
	tok_is(&l, 11, DM__TOK_DECIMAL, "1.5");
	tok_is(&l, 12, DM__TOK_WORD, "x");
	unlex(&l);
}

static void test_lex__hex_and_bit_literals(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "X'0aF1' x'' 0xABC 0x1f B'101' b'' 0b11 0xZZ 0b12", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_HEX, "0AF1");
	tok_is(&l, 1, DM__TOK_HEX, "");
	tok_is(&l, 2, DM__TOK_HEX, "0ABC");
	tok_is(&l, 3, DM__TOK_HEX, "1F");
	tok_is(&l, 4, DM__TOK_BIT, "101");
	tok_is(&l, 5, DM__TOK_BIT, "");
	tok_is(&l, 6, DM__TOK_BIT, "11");
	tok_is(&l, 7, DM__TOK_WORD, "0xZZ");
	tok_is(&l, 8, DM__TOK_WORD, "0b12");
	unlex(&l);
	lex(&l, "X'ABC'", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	assert_string_equal(l.err_msg, "bad hexadecimal literal");
	unlex(&l);
	lex(&l, "X'0G'", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	unlex(&l);
	lex(&l, "b'102'", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	assert_string_equal(l.err_msg, "bad bit literal");
	unlex(&l);
}

static void test_lex__comments(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "a # to end\nb -- to end\nc /* block\n */ d --e 1--2", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_WORD, "a");
	tok_is(&l, 1, DM__TOK_WORD, "b");
	tok_is(&l, 2, DM__TOK_WORD, "c");
	tok_is(&l, 3, DM__TOK_WORD, "d");
	assert_true(l.toks[3].gap);
	/* "--e" is not a comment: minus minus e */
	tok_is(&l, 4, DM__TOK_PUNCT, "-");
	tok_is(&l, 5, DM__TOK_PUNCT, "-");
	tok_is(&l, 6, DM__TOK_WORD, "e");
	tok_is(&l, 7, DM__TOK_INT, "1");
	tok_is(&l, 8, DM__TOK_PUNCT, "-");
	tok_is(&l, 9, DM__TOK_PUNCT, "-");
	tok_is(&l, 10, DM__TOK_INT, "2");
	unlex(&l);
	lex(&l, "a /* open", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	assert_string_equal(l.err_msg, "unterminated comment");
	assert_int_equal(l.err_pos, 2);
	unlex(&l);
	lex(&l, "a --", 0, 0, true);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n, 2);
	unlex(&l);
}

static void test_lex__executable_comments_honour_version(void **state)
{
	lexed l;
	const char *src = "a /*!b*/ /*!50100 c */ /*!80023 d*/ /*M!100500 e */ "
			  "/*M!110000 f */ /*!99999 g */ h";

	(void)state;
	/* server_version 0: every executable comment runs */
	lex(&l, src, 0, 0, true);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n, 9);
	tok_is(&l, 1, DM__TOK_WORD, "b");
	tok_is(&l, 5, DM__TOK_WORD, "f");
	unlex(&l);
	/* MariaDB 10.11 runs MySQL 8 comments too (80023 < 101100), and
	 * 99999 < 101100 as well; not the MariaDB 11.0 one */
	lex(&l, src, 0, 101100, true);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n, 8);
	tok_is(&l, 0, DM__TOK_WORD, "a");
	tok_is(&l, 1, DM__TOK_WORD, "b");
	tok_is(&l, 2, DM__TOK_WORD, "c");
	tok_is(&l, 3, DM__TOK_WORD, "d");
	tok_is(&l, 4, DM__TOK_WORD, "e");
	tok_is(&l, 5, DM__TOK_WORD, "g");
	tok_is(&l, 6, DM__TOK_WORD, "h");
	unlex(&l);
	/* MySQL 5.7: no MariaDB comments, no 8.0 ones */
	lex(&l, src, 0, 50744, false);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n, 5);
	tok_is(&l, 2, DM__TOK_WORD, "c");
	tok_is(&l, 3, DM__TOK_WORD, "h");
	unlex(&l);
	lex(&l, "/*!40101 a /*!40101 b */ */", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	assert_string_equal(l.err_msg, "nested executable comment");
	unlex(&l);
	lex(&l, "/*!40101 a", 0, 0, true);
	assert_int_equal(l.rc, DM_E_PARSE_SQL);
	assert_string_equal(l.err_msg, "unterminated comment");
	unlex(&l);
	/* a plain comment inside an executed one ends at its own close */
	lex(&l, "/*!50100 a /* x */ b */ c", 0, 0, true);
	assert_int_equal(l.rc, 0);
	assert_int_equal(l.n, 4);
	unlex(&l);
}

static void test_lex__variables(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "@a @'b c' @\"d\" @`e` @@f @@GLOBAL.g @@session.`h` @a.b @ x 'u'@'h'", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_USER_VAR, "a");
	tok_is(&l, 1, DM__TOK_USER_VAR, "b c");
	assert_true(l.toks[1].quoted);
	tok_is(&l, 2, DM__TOK_USER_VAR, "d");
	tok_is(&l, 3, DM__TOK_USER_VAR, "e");
	tok_is(&l, 4, DM__TOK_SYS_VAR, "f");
	assert_null(l.toks[4].scope);
	tok_is(&l, 5, DM__TOK_SYS_VAR, "g");
	assert_string_equal(l.toks[5].scope, "GLOBAL");
	tok_is(&l, 6, DM__TOK_SYS_VAR, "h");
	assert_string_equal(l.toks[6].scope, "session");
	tok_is(&l, 7, DM__TOK_USER_VAR, "a.b");
	tok_is(&l, 8, DM__TOK_PUNCT, "@");
	tok_is(&l, 9, DM__TOK_WORD, "x");
	tok_is(&l, 10, DM__TOK_STRING, "u");
	tok_is(&l, 11, DM__TOK_USER_VAR, "h");
	assert_false(l.toks[11].gap);
	unlex(&l);
}

static void test_lex__operators(void **state)
{
	static const struct {
		const char *text;
		int punct;
	} ops[] = {
		{ "<=>", DM__P_NSEQ }, { "<>", DM__P_NE }, { "!=", DM__P_NE },
		{ "<=", DM__P_LE }, { ">=", DM__P_GE }, { "<<", DM__P_SHL },
		{ ">>", DM__P_SHR }, { "&&", DM__P_ANDAND }, { "||", DM__P_OROR },
		{ ":=", DM__P_ASSIGN }, { "->>", DM__P_ARROW2 }, { "->", DM__P_ARROW },
		{ "<", DM__P_LT }, { ">", DM__P_GT }, { "=", DM__P_EQ },
		{ "!", DM__P_BANG }, { "~", DM__P_TILDE }, { "^", DM__P_CARET },
		{ "&", DM__P_AMP }, { "|", DM__P_PIPE }, { "+", DM__P_PLUS },
		{ "-", DM__P_MINUS }, { "*", DM__P_STAR }, { "/", DM__P_SLASH },
		{ "%", DM__P_PERCENT }, { "(", DM__P_LPAREN }, { ")", DM__P_RPAREN },
		{ ",", DM__P_COMMA }, { ";", DM__P_SEMI }, { ".", DM__P_DOT },
		{ "{", DM__P_LBRACE }, { "}", DM__P_RBRACE }, { ":", DM__P_COLON },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		lexed l;

		lex(&l, ops[i].text, 0, 0, true);
		assert_int_equal(l.rc, 0);
		assert_int_equal(l.n, 2);
		tok_is(&l, 0, DM__TOK_PUNCT, ops[i].text);
		assert_int_equal(l.toks[0].punct, ops[i].punct);
		unlex(&l);
	}
	{
		lexed l;

		lex(&l, "a [b]", 0, 0, true);
		assert_int_equal(l.rc, DM_E_PARSE_SQL);
		assert_string_equal(l.err_msg, "unexpected character");
		assert_int_equal(l.err_pos, 2);
		unlex(&l);
		lex(&l, "?", 0, 0, true);
		assert_int_equal(l.rc, 0);
		tok_is(&l, 0, DM__TOK_PARAM, "?");
		unlex(&l);
	}
}

static void test_lex__qualified_names_may_start_with_digits(void **state)
{
	lexed l;

	(void)state;
	lex(&l, "t.1col db.2e5 t .5", 0, 0, true);
	assert_int_equal(l.rc, 0);
	tok_is(&l, 0, DM__TOK_WORD, "t");
	tok_is(&l, 1, DM__TOK_PUNCT, ".");
	tok_is(&l, 2, DM__TOK_WORD, "1col");
	tok_is(&l, 3, DM__TOK_WORD, "db");
	tok_is(&l, 4, DM__TOK_PUNCT, ".");
	tok_is(&l, 5, DM__TOK_WORD, "2e5");
	tok_is(&l, 6, DM__TOK_WORD, "t");
	tok_is(&l, 7, DM__TOK_DECIMAL, ".5");
	unlex(&l);
}

static void test_lex__scan_only_mode_decodes_nothing(void **state)
{
	dm_sql_parse_opts po = DM_SQL_PARSE_OPTS_INIT;
	const char *src = "'a''b' `c` @'d' X'41'";
	dm__sql_lexer lx;
	dm__sql_token t;
	int n = 0;

	(void)state;
	dm__sql_lex_init(&lx, src, strlen(src), &po, NULL);
	do {
		assert_int_equal(dm__sql_lex_next(&lx, &t), 0);
		n++;
	} while (t.kind != DM__TOK_EOF);
	assert_int_equal(n, 5);
}

int sql_test_lex_group(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lex__words_are_case_insensitive_keywords),
		cmocka_unit_test(test_lex__quoted_names),
		cmocka_unit_test(test_lex__string_escapes),
		cmocka_unit_test(test_lex__no_backslash_escapes_keeps_backslashes),
		cmocka_unit_test(test_lex__introducers_national_and_adjacent),
		cmocka_unit_test(test_lex__numbers),
		cmocka_unit_test(test_lex__hex_and_bit_literals),
		cmocka_unit_test(test_lex__comments),
		cmocka_unit_test(test_lex__executable_comments_honour_version),
		cmocka_unit_test(test_lex__variables),
		cmocka_unit_test(test_lex__operators),
		cmocka_unit_test(test_lex__qualified_names_may_start_with_digits),
		cmocka_unit_test(test_lex__scan_only_mode_decodes_nothing),
	};

	return cmocka_run_group_tests_name("sql_lex", tests, NULL, NULL);
}
