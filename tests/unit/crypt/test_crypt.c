/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Password encryption compatible with DM's dmctl encrypt: DM's verified
 * vectors, round trips, malformed input, and an independent check with
 * the openssl command (or OpenSSL's EVP API when the command is missing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "dm/crypt.h"
#include "util/alloc.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char dm_key_hex[] =
	"a529b7665997f043a30ac8fadcb51d6aa032c226ab5b7750530b12b8c1a16a48";

static uint64_t rng(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/* Decrypts and checks the status; returns the plaintext (caller frees). */
static char *decrypt(const char *text, const dm_crypt_opts *opts, int want,
		     size_t *len)
{
	dm_buf b = DM_BUF_INIT;
	dm_error *err = NULL;
	int rc = dm_crypt_decrypt(&b, text, opts, &err);

	assert_int_equal(rc, want);
	if (rc) {
		assert_int_equal(dm_error_status(err), rc);
		/* the input may be a password: never in the message */
		if (strlen(text) > 3)
			assert_null(strstr(dm_error_message(err), text));
		dm_error_free(err);
		assert_int_equal(b.len, 0);
		dm_buf_free(&b);
		return NULL;
	}
	assert_null(err);
	if (len)
		*len = b.len;
	return dm_buf_detach(&b);
}

/* The two vectors of the reference notes, produced by DM. */
static void test_crypt__decrypts_dm_vectors(void **state)
{
	char *p;

	(void)state;
	p = decrypt("/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=", NULL, 0, NULL);
	assert_string_equal(p, "123456");
	free(p);
	p = decrypt("Up8156jArvIPymkVC+5LxkAT6rek", NULL, 0, NULL);
	assert_string_equal(p, "1234");
	free(p);
}

static unsigned char *b64dec(const char *s, size_t *n)
{
	size_t len = strlen(s);
	unsigned char *out = malloc(len + 3);
	int got;

	assert_non_null(out);
	got = EVP_DecodeBlock(out, (const unsigned char *)s, (int)len);
	assert_true(got >= 0);
	while (len && s[len - 1] == '=') {
		got--;
		len--;
	}
	*n = (size_t)got;
	return out;
}

static void test_crypt__round_trips_every_length_and_byte(void **state)
{
	uint64_t seed = 42;
	unsigned char plain[256];
	size_t len, i, rounds;

	(void)state;
	for (len = 0; len <= 200; len++) {
		for (rounds = 0; rounds < 4; rounds++) {
			dm_buf c = DM_BUF_INIT, p = DM_BUF_INIT;
			unsigned char *raw;
			size_t rawn;

			for (i = 0; i < len; i++)
				plain[i] = rounds == 0 ? (unsigned char)(i + len)
						       : (unsigned char)rng(&seed);
			assert_int_equal(dm_crypt_encrypt(&c, plain, len, NULL,
							  NULL), 0);
			/* base64 of IV '@' ciphertext, with padding */
			assert_int_equal(c.len, (17 + len + 2) / 3 * 4);
			assert_int_equal(strlen(c.data), c.len);
			raw = b64dec(c.data, &rawn);
			assert_int_equal(rawn, 17 + len);
			assert_int_equal(raw[16], '@');
			free(raw);
			assert_int_equal(dm_crypt_decrypt(&p, c.data, NULL, NULL),
					 0);
			assert_int_equal(p.len, len);
			if (len)
				assert_memory_equal(p.data, plain, len);
			dm_buf_wipe(&p);
			dm_buf_free(&c);
		}
	}
	/* every byte value, NUL included */
	for (i = 0; i < 256; i++)
		plain[i] = (unsigned char)i;
	{
		dm_buf c = DM_BUF_INIT, p = DM_BUF_INIT;

		assert_int_equal(dm_crypt_encrypt(&c, plain, 256, NULL, NULL), 0);
		assert_int_equal(dm_crypt_decrypt(&p, c.data, NULL, NULL), 0);
		assert_int_equal(p.len, 256);
		assert_memory_equal(p.data, plain, 256);
		dm_buf_wipe(&p);
		dm_buf_free(&c);
	}
}

static void test_crypt__iv_is_random(void **state)
{
	dm_buf a = DM_BUF_INIT, b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_crypt_encrypt(&a, "123456", 6, NULL, NULL), 0);
	assert_int_equal(dm_crypt_encrypt(&b, "123456", 6, NULL, NULL), 0);
	assert_string_not_equal(a.data, b.data);
	dm_buf_free(&a);
	dm_buf_free(&b);
}

static void test_crypt__output_is_appended(void **state)
{
	dm_buf b = DM_BUF_INIT;
	char *p;

	(void)state;
	dm_buf_puts(&b, "password: ");
	assert_int_equal(dm_crypt_encrypt(&b, "pw", 2, NULL, NULL), 0);
	assert_int_equal(strncmp(b.data, "password: ", 10), 0);
	p = decrypt(b.data + 10, NULL, 0, NULL);
	assert_string_equal(p, "pw");
	free(p);
	dm_buf_clear(&b);
	dm_buf_puts(&b, "x=");
	assert_int_equal(dm_crypt_decrypt(&b, "Up8156jArvIPymkVC+5LxkAT6rek",
					  NULL, NULL), 0);
	assert_string_equal(b.data, "x=1234");
	/* a failure leaves the buffer as it was */
	assert_int_equal(dm_crypt_decrypt(&b, "!!!!", NULL, NULL),
			 DM_E_ENC_CIPHER_TEXT_BASE64_DECODE);
	assert_string_equal(b.data, "x=1234");
	dm_buf_wipe(&b);
}

static void test_crypt__malformed_ciphertext(void **state)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "", DM_E_CIPHERTEXT_LEN_NOT_VALID },
		{ "MTIzNDU2", DM_E_CIPHERTEXT_LEN_NOT_VALID },  /* "123456" */
		/* 16 bytes */
		{ "AAAAAAAAAAAAAAAAAAAAAA==", DM_E_CIPHERTEXT_LEN_NOT_VALID },
		/* 17 bytes, byte 16 is 0 */
		{ "AAAAAAAAAAAAAAAAAAAAAAA=", DM_E_CIPHERTEXT_CONTEXT_NOT_VALID },
		/* a plaintext password */
		{ "secret-password!", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ "abc", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },       /* no padding */
		{ "abcde", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ "ab=c", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },      /* '=' inside */
		{ "a===", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ "=abc", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ "ab==cd==", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },  /* after pad */
		{ "Up8156jArvIPymkVC+5LxkAT6rek=", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ "Up8156jArvIPymkVC-5LxkAT6rek", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ "Up8156jArvIPymkVC_5LxkAT6rek", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ " Up8156jArvIPymkVC+5LxkAT6rek", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
		{ "Up8156jArvIPymkVC+5LxkAT6rek\t", DM_E_ENC_CIPHER_TEXT_BASE64_DECODE },
	};
	dm_error *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(cases); i++) {
		char *p = decrypt(cases[i].text, NULL, cases[i].want, NULL);

		assert_null(p);
	}
	/* the message says where the base64 broke, not what it was */
	assert_int_equal(dm_crypt_decrypt(&(dm_buf)DM_BUF_INIT, "QUJD!UJD",
					  NULL, &err),
			 DM_E_ENC_CIPHER_TEXT_BASE64_DECODE);
	assert_non_null(strstr(dm_error_message(err), "input byte 4"));
	dm_error_free(err);
}

/* Go's decoder skips CR and LF anywhere. */
static void test_crypt__newlines_are_ignored_like_go(void **state)
{
	char *p;

	(void)state;
	p = decrypt("Up8156jArvIP\nymkVC+5LxkAT6rek\r\n", NULL, 0, NULL);
	assert_string_equal(p, "1234");
	free(p);
	p = decrypt("/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=\n", NULL, 0, NULL);
	assert_string_equal(p, "123456");
	free(p);
	p = decrypt("/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=\nx", NULL,
		    DM_E_ENC_CIPHER_TEXT_BASE64_DECODE, NULL);
	assert_null(p);
}

static void test_crypt__decrypt_or_plain_falls_back(void **state)
{
	static const char *const plain[] = {
		"123456", "", "secret-password!", "MTIzNDU2",
		"AAAAAAAAAAAAAAAAAAAAAAA=", "pass word with spaces",
	};
	dm_buf b = DM_BUF_INIT;
	dm_crypt_opts bad = DM_CRYPT_OPTS_INIT;
	dm_error *err = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < NELEM(plain); i++) {
		dm_buf_clear(&b);
		assert_int_equal(dm_crypt_decrypt_or_plain(&b, plain[i], NULL,
							   NULL), 0);
		assert_string_equal(b.data ? b.data : "", plain[i]);
	}
	dm_buf_clear(&b);
	assert_int_equal(dm_crypt_decrypt_or_plain(&b,
		"/Q7B9DizNLLTTfiZHv9WoEAKamfpIUs=", NULL, NULL), 0);
	assert_string_equal(b.data, "123456");
	/* a bad key is an error, not a reason to use the text */
	bad.key = (const unsigned char *)"short";
	bad.key_len = 5;
	assert_int_equal(dm_crypt_decrypt_or_plain(&b, "123456", &bad, &err),
			 DM_E_ENCRYPT_SECRET_KEY_NOT_VALID);
	assert_int_equal(dm_error_code(err), 11044);
	dm_error_free(err);
	err = NULL;
	assert_int_equal(dm_crypt_decrypt_or_plain(NULL, "x", NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	assert_int_equal(dm_crypt_decrypt_or_plain(&b, NULL, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	dm_buf_wipe(&b);
}

static void test_crypt__other_keys(void **state)
{
	static const unsigned char k32[32] = "0123456789abcdef0123456789abcdef";
	size_t lens[] = { 16, 24, 32 }, i;
	dm_crypt_opts o = DM_CRYPT_OPTS_INIT;
	dm_error *err = NULL;

	(void)state;
	for (i = 0; i < NELEM(lens); i++) {
		dm_buf c = DM_BUF_INIT, p = DM_BUF_INIT, q = DM_BUF_INIT;

		o.key = k32;
		o.key_len = lens[i];
		assert_int_equal(dm_crypt_encrypt(&c, "hunter2", 7, &o, NULL), 0);
		assert_int_equal(dm_crypt_decrypt(&p, c.data, &o, NULL), 0);
		assert_string_equal(p.data, "hunter2");
		/* DM's key reads something else, without an error */
		assert_int_equal(dm_crypt_decrypt(&q, c.data, NULL, NULL), 0);
		assert_int_equal(q.len, 7);
		assert_memory_not_equal(q.data, "hunter2", 7);
		dm_buf_free(&c);
		dm_buf_wipe(&p);
		dm_buf_wipe(&q);
	}
	for (i = 0; i <= 40; i++) {
		dm_buf c = DM_BUF_INIT;

		if (i == 16 || i == 24 || i == 32)
			continue;
		o.key_len = i;
		assert_int_equal(dm_crypt_encrypt(&c, "x", 1, &o, &err),
				 DM_E_ENCRYPT_SECRET_KEY_NOT_VALID);
		dm_error_free(err);
		err = NULL;
		assert_int_equal(dm_crypt_decrypt(&c, "Up8156jArvIPymkVC+5LxkAT6rek",
						  &o, NULL),
				 DM_E_ENCRYPT_SECRET_KEY_NOT_VALID);
		assert_int_equal(c.len, 0);
		dm_buf_free(&c);
	}
	/* the built-in key, given explicitly, is DM's */
	{
		unsigned char key[32];
		dm_buf p = DM_BUF_INIT;

		for (i = 0; i < 32; i++) {
			unsigned v;

			sscanf(dm_key_hex + 2 * i, "%2x", &v);
			key[i] = (unsigned char)v;
		}
		o.key = key;
		o.key_len = 32;
		assert_int_equal(dm_crypt_decrypt(&p, "Up8156jArvIPymkVC+5LxkAT6rek",
						  &o, NULL), 0);
		assert_string_equal(p.data, "1234");
		dm_buf_wipe(&p);
	}
	assert_int_equal(dm_crypt_encrypt(NULL, "x", 1, NULL, NULL),
			 DM_E_INVALID_ARGUMENT);
	{
		dm_buf c = DM_BUF_INIT;

		assert_int_equal(dm_crypt_encrypt(&c, NULL, 1, NULL, NULL),
				 DM_E_INVALID_ARGUMENT);
		assert_int_equal(dm_crypt_encrypt(&c, NULL, 0, NULL, NULL), 0);
		assert_int_equal(c.len, 24); /* 17 bytes */
		assert_int_equal(dm_crypt_decrypt(&c, NULL, NULL, NULL),
				 DM_E_INVALID_ARGUMENT);
		dm_buf_free(&c);
	}
}

static void hex(char *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* Runs `cmd` with `in` on standard input; returns its output. */
static unsigned char *run_filter(const char *cmd, const unsigned char *in,
				 size_t n, size_t *outn, const char *dir)
{
	char inpath[512], full[1536];
	unsigned char *buf = malloc(n + 64);
	FILE *f, *p;
	size_t got;

	assert_non_null(buf);
	snprintf(inpath, sizeof(inpath), "%s/in.bin", dir);
	f = fopen(inpath, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(in, 1, n, f), n);
	fclose(f);
	snprintf(full, sizeof(full), "%s -in %s 2>/dev/null", cmd, inpath);
	p = popen(full, "r");
	assert_non_null(p);
	got = fread(buf, 1, n + 64, p);
	assert_int_equal(pclose(p), 0);
	unlink(inpath);
	*outn = got;
	return buf;
}

static bool have_openssl_cli(void)
{
	FILE *p = popen("openssl version 2>/dev/null", "r");
	char line[128];
	bool ok;

	if (!p)
		return false;
	ok = fgets(line, sizeof(line), p) != NULL &&
	     strncmp(line, "OpenSSL", 7) == 0;
	return pclose(p) == 0 && ok;
}

/* Independent CFB: OpenSSL's EVP API, used when the command is missing. */
static void evp_cfb(unsigned char *out, const unsigned char *in, size_t n,
		    const unsigned char *iv, bool enc)
{
	unsigned char key[32];
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int outl;
	size_t i;

	for (i = 0; i < 32; i++) {
		unsigned v;

		sscanf(dm_key_hex + 2 * i, "%2x", &v);
		key[i] = (unsigned char)v;
	}
	assert_non_null(ctx);
	assert_int_equal(EVP_CipherInit_ex(ctx, EVP_aes_256_cfb128(), NULL, key,
					   iv, enc), 1);
	assert_int_equal(EVP_CipherUpdate(ctx, out, &outl, in, (int)n), 1);
	assert_int_equal((size_t)outl, n);
	EVP_CIPHER_CTX_free(ctx);
}

/* `openssl enc -d -aes-256-cfb -K <key> -iv <bytes 0..15>` over bytes
 * 17.. of what libdm writes gives the plaintext back, and the other way
 * round. */
static void test_crypt__openssl_command_agrees(void **state)
{
	bool cli = have_openssl_cli();
	char dir[] = "/tmp/dm-crypt-test.XXXXXX";
	uint64_t seed = 7;
	size_t len;

	(void)state;
	if (!cli)
		print_message("openssl command not found: checking with EVP\n");
	assert_non_null(mkdtemp(dir));
	for (len = 0; len <= 64; len += (len < 20 ? 1 : 11)) {
		unsigned char plain[80], *raw, *back, iv[16];
		char cmd[512], ivhex[40];
		dm_buf c = DM_BUF_INIT, p = DM_BUF_INIT, b64 = DM_BUF_INIT;
		size_t rawn, backn, i;

		for (i = 0; i < len; i++)
			plain[i] = (unsigned char)rng(&seed);
		/* libdm encrypts, openssl decrypts */
		assert_int_equal(dm_crypt_encrypt(&c, plain, len, NULL, NULL), 0);
		raw = b64dec(c.data, &rawn);
		assert_int_equal(rawn, 17 + len);
		hex(ivhex, raw, 16);
		if (cli) {
			snprintf(cmd, sizeof(cmd),
				 "openssl enc -d -aes-256-cfb -K %s -iv %s",
				 dm_key_hex, ivhex);
			back = run_filter(cmd, raw + 17, len, &backn, dir);
		} else {
			back = malloc(len + 1);
			evp_cfb(back, raw + 17, len, raw, false);
			backn = len;
		}
		assert_int_equal(backn, len);
		if (len)
			assert_memory_equal(back, plain, len);
		free(back);
		free(raw);
		/* openssl encrypts, libdm decrypts */
		for (i = 0; i < 16; i++)
			iv[i] = (unsigned char)rng(&seed);
		hex(ivhex, iv, 16);
		if (cli) {
			snprintf(cmd, sizeof(cmd),
				 "openssl enc -e -aes-256-cfb -K %s -iv %s",
				 dm_key_hex, ivhex);
			back = run_filter(cmd, plain, len, &backn, dir);
		} else {
			back = malloc(len + 1);
			evp_cfb(back, plain, len, iv, true);
			backn = len;
		}
		assert_int_equal(backn, len);
		raw = malloc(17 + len);
		memcpy(raw, iv, 16);
		raw[16] = '@';
		memcpy(raw + 17, back, len);
		{
			char *enc = malloc((17 + len) / 3 * 4 + 8);

			EVP_EncodeBlock((unsigned char *)enc, raw, (int)(17 + len));
			dm_buf_puts(&b64, enc);
			free(enc);
		}
		assert_int_equal(dm_crypt_decrypt(&p, b64.data, NULL, NULL), 0);
		assert_int_equal(p.len, len);
		if (len)
			assert_memory_equal(p.data, plain, len);
		free(back);
		free(raw);
		dm_buf_free(&c);
		dm_buf_free(&b64);
		dm_buf_wipe(&p);
	}
	rmdir(dir);
}

static void test_crypt__allocation_failures_are_clean(void **state)
{
	long n;

	(void)state;
	for (n = 0; n < 12; n++) {
		dm_buf c = DM_BUF_INIT, p = DM_BUF_INIT;
		dm_error *err = NULL;
		int rc;

		dm__alloc_fail_after(n);
		rc = dm_crypt_encrypt(&c, "123456", 6, NULL, &err);
		if (rc == 0)
			rc = dm_crypt_decrypt(&p, c.data, NULL, &err);
		if (rc == 0)
			rc = dm_crypt_decrypt_or_plain(&p, "plain", NULL, &err);
		dm__alloc_fail_after(-1);
		assert_true(rc == 0 || rc == DM_E_NO_MEMORY);
		if (rc)
			assert_int_equal(dm_error_status(err), rc);
		else
			assert_string_equal(p.data, "123456plain");
		dm_error_free(err);
		dm_buf_free(&c);
		dm_buf_wipe(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypt__decrypts_dm_vectors),
		cmocka_unit_test(test_crypt__round_trips_every_length_and_byte),
		cmocka_unit_test(test_crypt__iv_is_random),
		cmocka_unit_test(test_crypt__output_is_appended),
		cmocka_unit_test(test_crypt__malformed_ciphertext),
		cmocka_unit_test(test_crypt__newlines_are_ignored_like_go),
		cmocka_unit_test(test_crypt__decrypt_or_plain_falls_back),
		cmocka_unit_test(test_crypt__other_keys),
		cmocka_unit_test(test_crypt__openssl_command_agrees),
		cmocka_unit_test(test_crypt__allocation_failures_are_clean),
	};

	return cmocka_run_group_tests_name("crypt", tests, NULL, NULL);
}
