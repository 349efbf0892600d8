/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dmctl: DM's control tool. For now it offers what needs no DM cluster:
 * encrypting a password for source.yaml / task.yaml and decrypting one,
 * exactly as DM's `dmctl encrypt` / `dmctl --encrypt` do.
 *
 *   dmctl --encrypt TEXT | encrypt TEXT     base64 ciphertext on stdout
 *   dmctl --decrypt TEXT | decrypt TEXT     plaintext on stdout
 *
 * See dmctl(1) and dm_crypt(3).
 */
#include <stdio.h>
#include <string.h>

#include <dm/dm.h>

#define PROG "dmctl"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static void usage(FILE *to)
{
	fprintf(to,
		"usage: " PROG " --encrypt TEXT    (or: " PROG " encrypt TEXT)\n"
		"       " PROG " --decrypt TEXT    (or: " PROG " decrypt TEXT)\n"
		"       " PROG " --help\n"
		"\n"
		"Commands that exist now: encrypt, decrypt. The cluster commands of\n"
		"DM's dmctl (start-task, query-status, ...) come with dm-master.\n");
}

static int fail(const char *what, dm_error *err)
{
	dm_buf b = DM_BUF_INIT;

	dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
	fprintf(stderr, PROG ": %s: %s\n", what, b.data ? b.data : "");
	dm_buf_free(&b);
	dm_error_free(err);
	return EXIT_FAIL;
}

/* Runs one command; the text may be a password, so every buffer that
 * held it is wiped. */
static int run(const char *cmd, const char *text)
{
	dm_buf out = DM_BUF_INIT;
	dm_error *err = NULL;
	int rc;

	if (strcmp(cmd, "encrypt") == 0)
		rc = dm_crypt_encrypt(&out, text, strlen(text), NULL, &err);
	else
		rc = dm_crypt_decrypt(&out, text, NULL, &err);
	if (rc) {
		dm_buf_wipe(&out);
		return fail(strcmp(cmd, "encrypt") == 0 ? "cannot encrypt"
							: "cannot decrypt",
			    err);
	}
	if ((out.len && fwrite(out.data, 1, out.len, stdout) != out.len) ||
	    fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		dm_buf_wipe(&out);
		fprintf(stderr, PROG ": cannot write the result\n");
		return EXIT_FAIL;
	}
	dm_buf_wipe(&out);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *a;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
			  strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return EXIT_OK;
	}
	if (argc < 2)
		goto out_usage;
	a = argv[1];
	/* --encrypt=TEXT / --decrypt=TEXT, as DM's flag parser allows */
	if (argc == 2 && strncmp(a, "--encrypt=", 10) == 0)
		return run("encrypt", a + 10);
	if (argc == 2 && strncmp(a, "--decrypt=", 10) == 0)
		return run("decrypt", a + 10);
	if (argc == 3 && (strcmp(a, "--encrypt") == 0 ||
			  strcmp(a, "encrypt") == 0))
		return run("encrypt", argv[2]);
	if (argc == 3 && (strcmp(a, "--decrypt") == 0 ||
			  strcmp(a, "decrypt") == 0))
		return run("decrypt", argv[2]);
	if (strcmp(a, "--encrypt") == 0 || strcmp(a, "encrypt") == 0 ||
	    strcmp(a, "--decrypt") == 0 || strcmp(a, "decrypt") == 0)
		fprintf(stderr, PROG ": %s takes exactly one TEXT argument\n",
			a);
	else
		fprintf(stderr, PROG ": unknown command or option '%s'\n", a);
out_usage:
	usage(stderr);
	return EXIT_USAGE;
}
