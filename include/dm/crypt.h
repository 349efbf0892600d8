/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Password encryption compatible with DM's `dmctl encrypt`: AES-256-CFB
 * under DM's fixed key, a random IV, base64(IV '@' ciphertext).
 * See dm_crypt(3).
 */
#ifndef DM_CRYPT_H
#define DM_CRYPT_H

#include <stddef.h>

#include "err.h"
#include "util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dm_crypt_opts {
	unsigned version;         /* 1 */
	const unsigned char *key; /* NULL: DM's built-in key */
	size_t key_len;           /* 16, 24 or 32 (AES-128/192/256) */
} dm_crypt_opts;

#define DM_CRYPT_OPTS_INIT { 1, NULL, 0 }

/* Appends the base64 text of `len` bytes of `plaintext` to `out`. */
DM_API int dm_crypt_encrypt(dm_buf *out, const void *plaintext, size_t len,
			    const dm_crypt_opts *opts, dm_error **err);
/* Appends the plaintext of base64 `ciphertext` to `out`. */
DM_API int dm_crypt_decrypt(dm_buf *out, const char *ciphertext,
			    const dm_crypt_opts *opts, dm_error **err);
/* Like dm_crypt_decrypt, but text that does not decrypt is appended as
 * it is (DM accepts plaintext passwords in configuration files). */
DM_API int dm_crypt_decrypt_or_plain(dm_buf *out, const char *text,
				     const dm_crypt_opts *opts,
				     dm_error **err);

#ifdef __cplusplus
}
#endif

#endif
