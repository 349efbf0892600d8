/* SPDX-License-Identifier: Apache-2.0 */
/*
 * DM's password encryption (pkg/encrypt, pkg/utils/encrypt.go): AES in CFB
 * mode with 128-bit feedback under a fixed key, a random 16-byte IV, the
 * buffer IV '@' ciphertext, and standard base64 with padding around it.
 * Buffers that held a password or key material are wiped before release.
 */
#include "dm/crypt.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util/alloc.h"

#define IV_LEN 16
#define SEP '@'
#define HEAD_LEN (IV_LEN + 1)

/* The key hard-coded in DM (pkg/encrypt), so that passwords encrypted by
 * DM's dmctl decrypt here and the other way round. It protects nothing
 * against anyone who can read this file. */
static const unsigned char dm_key[32] = {
	0xa5, 0x29, 0xb7, 0x66, 0x59, 0x97, 0xf0, 0x43,
	0xa3, 0x0a, 0xc8, 0xfa, 0xdc, 0xb5, 0x1d, 0x6a,
	0xa0, 0x32, 0xc2, 0x26, 0xab, 0x5b, 0x77, 0x50,
	0x53, 0x0b, 0x12, 0xb8, 0xc1, 0xa1, 0x6a, 0x48
};

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* The cipher for the options' key, or an error. */
static int pick_key(const EVP_CIPHER **cipher, const unsigned char **key,
		    const dm_crypt_opts *opts, dm_error **err)
{
	size_t len = sizeof(dm_key);

	*key = dm_key;
	if (opts && opts->key) {
		*key = opts->key;
		len = opts->key_len;
	}
	switch (len) {
	case 16:
		*cipher = EVP_aes_128_cfb128();
		break;
	case 24:
		*cipher = EVP_aes_192_cfb128();
		break;
	case 32:
		*cipher = EVP_aes_256_cfb128();
		break;
	default:
		return dm_error_set(err, DM_E_ENCRYPT_SECRET_KEY_NOT_VALID,
				    "the key has %zu bytes", len);
	}
	if (!*cipher)
		return dm_error_set(err, DM_E_ENCRYPT_GEN_CIPHER,
				    "OpenSSL offers no AES-CFB cipher");
	return 0;
}

/* Runs the CFB stream over `len` bytes (it is its own inverse in length,
 * not in content: `encrypt` picks the direction). */
static int cfb(unsigned char *dst, const unsigned char *src, size_t len,
	       const EVP_CIPHER *cipher, const unsigned char *key,
	       const unsigned char *iv, bool encrypt, dm_error **err)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int rc = 0, outl;

	if (!ctx)
		return dm_error_set(err, DM_E_ENCRYPT_GEN_CIPHER,
				    "cannot allocate a cipher context");
	if (EVP_CipherInit_ex(ctx, cipher, NULL, key, iv, encrypt ? 1 : 0) != 1) {
		rc = dm_error_set(err, DM_E_ENCRYPT_GEN_CIPHER,
				  "cannot set up AES-CFB");
		goto out;
	}
	while (len > 0) {
		int chunk = len > (size_t)INT_MAX / 2 ? INT_MAX / 2 : (int)len;

		if (EVP_CipherUpdate(ctx, dst, &outl, src, chunk) != 1 ||
		    outl != chunk) {
			rc = dm_error_set(err, DM_E_ENCRYPT_GEN_CIPHER,
					  "AES-CFB failed");
			goto out;
		}
		dst += chunk;
		src += chunk;
		len -= (size_t)chunk;
	}
	if (EVP_CipherFinal_ex(ctx, dst, &outl) != 1 || outl != 0)
		rc = dm_error_set(err, DM_E_ENCRYPT_GEN_CIPHER,
				  "AES-CFB failed");
out:
	/* Frees and cleanses the key schedule. */
	EVP_CIPHER_CTX_free(ctx);
	return rc;
}

static int b64_encode(dm_buf *out, const unsigned char *p, size_t n)
{
	size_t i, need = (n / 3 + (n % 3 != 0)) * 4;
	char *o;
	int rc;

	if (n > (SIZE_MAX / 4) * 3 - 3)
		return DM_E_NO_MEMORY;
	rc = dm_buf_reserve(out, need);
	if (rc)
		return rc;
	o = out->data + out->len;
	for (i = 0; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 |
			     p[i + 2];

		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = b64[(v >> 6) & 63];
		*o++ = b64[v & 63];
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;

		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = '=';
		*o++ = '=';
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;

		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = b64[(v >> 6) & 63];
		*o++ = '=';
	}
	out->len += need;
	out->data[out->len] = '\0';
	return 0;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Go's base64.StdEncoding.DecodeString: padding required, CR and LF
 * ignored anywhere, nothing after the padding; unused low bits of the last
 * character are not checked. Writes at most 3 * (n / 4) bytes to dst and
 * returns how many, or -1 with the offending input offset in *bad.
 */
static long b64_decode(unsigned char *dst, const char *src, size_t n,
		       size_t *bad)
{
	unsigned char q[4];
	size_t i, k = 0, o = 0, qpos[4] = { 0, 0, 0, 0 };
	bool done = false;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)src[i];
		int v;

		if (c == '\r' || c == '\n')
			continue;
		if (done) {
			*bad = i;
			return -1;
		}
		qpos[k] = i;
		if (c == '=') {
			/* Only as the third and fourth, or fourth, of a group. */
			if (k < 2) {
				*bad = i;
				return -1;
			}
			q[k++] = 64;
		} else {
			v = b64_value(c);
			if (v < 0 || (k == 3 && q[2] == 64)) {
				*bad = i;
				return -1;
			}
			q[k++] = (unsigned char)v;
		}
		if (k < 4)
			continue;
		k = 0;
		dst[o++] = (unsigned char)(q[0] << 2 | q[1] >> 4);
		if (q[2] == 64) {
			done = true;
			continue;
		}
		dst[o++] = (unsigned char)(q[1] << 4 | q[2] >> 2);
		if (q[3] == 64) {
			done = true;
			continue;
		}
		dst[o++] = (unsigned char)(q[2] << 6 | q[3]);
	}
	if (k != 0) {
		*bad = qpos[0];
		return -1;
	}
	return (long)o;
}

int dm_crypt_encrypt(dm_buf *out, const void *plaintext, size_t len,
		     const dm_crypt_opts *opts, dm_error **err)
{
	const EVP_CIPHER *cipher;
	const unsigned char *key;
	unsigned char *raw;
	size_t start;
	int rc;

	if (!out || (len && !plaintext))
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_crypt_encrypt: NULL argument");
	rc = pick_key(&cipher, &key, opts, err);
	if (rc)
		return rc;
	if (len > SIZE_MAX / 2 - HEAD_LEN)
		return dm_error_set(err, DM_E_NO_MEMORY, "encrypting");
	raw = dm__malloc(HEAD_LEN + len);
	if (!raw)
		return dm_error_set(err, DM_E_NO_MEMORY, "encrypting");
	if (RAND_bytes(raw, IV_LEN) != 1) {
		rc = dm_error_set(err, DM_E_ENCRYPT_GEN_IV,
				  "the random generator failed");
		goto out;
	}
	raw[IV_LEN] = SEP;
	rc = cfb(raw + HEAD_LEN, plaintext, len, cipher, key, raw, true, err);
	if (rc)
		goto out;
	start = out->len;
	rc = b64_encode(out, raw, HEAD_LEN + len);
	if (rc) {
		dm_buf_truncate(out, start);
		rc = dm_error_set(err, rc, "encrypting");
	}
out:
	dm__wipe(raw, HEAD_LEN + len);
	dm__free(raw);
	return rc;
}

int dm_crypt_decrypt(dm_buf *out, const char *ciphertext,
		     const dm_crypt_opts *opts, dm_error **err)
{
	const EVP_CIPHER *cipher;
	const unsigned char *key;
	unsigned char *raw;
	size_t n, bad = 0, plain_len;
	long got;
	int rc;

	if (!out || !ciphertext)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_crypt_decrypt: NULL argument");
	rc = pick_key(&cipher, &key, opts, err);
	if (rc)
		return rc;
	n = strlen(ciphertext);
	if (n > (size_t)LONG_MAX)
		return dm_error_set(err, DM_E_ENC_CIPHER_TEXT_BASE64_DECODE,
				    "the text is too long");
	raw = dm__malloc(n / 4 * 3 + 3);
	if (!raw)
		return dm_error_set(err, DM_E_NO_MEMORY, "decrypting");
	got = b64_decode(raw, ciphertext, n, &bad);
	if (got < 0) {
		/* The text may be a password: do not echo it. */
		rc = dm_error_set(err, DM_E_ENC_CIPHER_TEXT_BASE64_DECODE,
				  "illegal base64 data at input byte %zu", bad);
		goto out;
	}
	if ((size_t)got < HEAD_LEN) {
		rc = dm_error_set(err, DM_E_CIPHERTEXT_LEN_NOT_VALID,
				  "%ld bytes after base64 decoding, at least %d needed",
				  got, HEAD_LEN);
		goto out;
	}
	if (raw[IV_LEN] != SEP) {
		rc = dm_error_set(err, DM_E_CIPHERTEXT_CONTEXT_NOT_VALID,
				  "byte %d is not the '@' separator", IV_LEN);
		goto out;
	}
	plain_len = (size_t)got - HEAD_LEN;
	/* Room first, so the plaintext is never moved by a reallocation. */
	rc = dm_buf_reserve(out, plain_len);
	if (rc) {
		rc = dm_error_set(err, rc, "decrypting");
		goto out;
	}
	rc = cfb((unsigned char *)out->data + out->len, raw + HEAD_LEN,
		 plain_len, cipher, key, raw, false, err);
	if (rc) {
		dm__wipe(out->data + out->len, plain_len);
		out->data[out->len] = '\0';
		goto out;
	}
	out->len += plain_len;
	out->data[out->len] = '\0';
out:
	dm__wipe(raw, n / 4 * 3 + 3);
	dm__free(raw);
	return rc;
}

int dm_crypt_decrypt_or_plain(dm_buf *out, const char *text,
			      const dm_crypt_opts *opts, dm_error **err)
{
	dm_error *e = NULL;
	int rc;

	if (!out || !text)
		return dm_error_set(err, DM_E_INVALID_ARGUMENT,
				    "dm_crypt_decrypt_or_plain: NULL argument");
	rc = dm_crypt_decrypt(out, text, opts, &e);
	switch (rc) {
	case 0:
		break;
	case DM_E_ENC_CIPHER_TEXT_BASE64_DECODE:
	case DM_E_CIPHERTEXT_LEN_NOT_VALID:
	case DM_E_CIPHERTEXT_CONTEXT_NOT_VALID:
		/* Not DM ciphertext: a plaintext password, as DM reads it. */
		rc = dm_buf_puts(out, text);
		if (rc)
			rc = dm_error_set(err, rc, "copying a password");
		break;
	default:
		/* A bad key or no memory is not a reason to use the text. */
		if (err && !*err) {
			*err = e;
			e = NULL;
		} else {
			rc = dm_error_set(err, rc, "decrypting a password");
		}
		break;
	}
	dm_error_free(e);
	return rc;
}
