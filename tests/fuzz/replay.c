/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Plain driver for a libFuzzer target: feeds saved inputs to
 * LLVMFuzzerTestOneInput without libFuzzer, so `make check` (and the asan,
 * tsan and valgrind builds) replay every corpus with any compiler.
 *
 *   replay-<name> PATH...
 *
 * A directory contributes its regular files (sorted by name, not recursive);
 * any other path is one input. Exits 1 if a path is missing or unreadable,
 * or if it holds no input. A bad input crashes the process, as under
 * libFuzzer; set DM_REPLAY_VERBOSE=1 to print each file name before it runs
 * and see which one it was.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target; the weak reference is NULL when it is absent. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int verbose;

/* Reads one file into an exactly-sized buffer (so sanitizers catch reads
 * past the end) and runs the target on it. Returns 0 or -1. */
static int replay_file(const char *path)
{
	FILE *f;
	struct stat st;
	uint8_t *data = NULL;
	size_t size;
	int ret = -1;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		goto out_close;
	}
	size = (size_t)st.st_size;
	data = malloc(size ? size : 1);
	if (!data) {
		fprintf(stderr, "replay: %s: out of memory\n", path);
		goto out_close;
	}
	if (size && fread(data, 1, size, f) != size) {
		fprintf(stderr, "replay: %s: short read\n", path);
		goto out_free;
	}
	if (verbose) {
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, size);
		fflush(stderr);
	}
	LLVMFuzzerTestOneInput(data, size);
	ret = 0;
out_free:
	free(data);
out_close:
	fclose(f);
	return ret;
}

/* Replays the regular files of a directory in name order. Returns the
 * number of inputs replayed, or -1. */
static long replay_dir(const char *dir)
{
	struct dirent **names;
	char *path = NULL;
	long count = 0;
	int n, i;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct stat st;
		size_t len = strlen(dir) + strlen(names[i]->d_name) + 2;

		free(path);
		path = malloc(len);
		if (!path) {
			fprintf(stderr, "replay: out of memory\n");
			count = -1;
			goto out_free_names;
		}
		snprintf(path, len, "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(path) != 0) {
			count = -1;
			goto out_free_names;
		}
		count++;
	}
out_free_names:
	free(path);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return count;
}

int main(int argc, char **argv)
{
	int i, status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE_OR_DIR...\n", argv[0]);
		return 2;
	}
	verbose = getenv("DM_REPLAY_VERBOSE") && *getenv("DM_REPLAY_VERBOSE");
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		struct stat st;
		long count;

		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			status = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode))
			count = replay_dir(argv[i]);
		else
			count = replay_file(argv[i]) == 0 ? 1 : -1;
		if (count < 0) {
			status = 1;
			continue;
		}
		printf("replayed %ld inputs from %s\n", count, argv[i]);
		if (count == 0) {
			fprintf(stderr, "replay: %s: no inputs\n", argv[i]);
			status = 1;
		}
	}
	return status;
}
