/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The smallest libdm program: print the version of the library it runs
 * with, and check that it is compatible with the headers it was built
 * against. Build it with pkg-config:
 *
 *   cc -o version version.c $(pkg-config --cflags --libs libdm)
 *
 * See dm_version(3).
 */
#include <stdio.h>

#include <dm/dm.h>

int main(void)
{
	/* Run-time version: the shared library actually loaded. */
	int running = dm_version_number();

	printf("libdm %d (%s)\n", running, dm_version_string());

	/* Compile-time version: the headers this program was built with.
	 * A different major version means an incompatible ABI. */
	if (running / 10000 != DM_VERSION_NUMBER / 10000) {
		fprintf(stderr, "built with libdm %s, running with %s\n",
			DM_VERSION_STRING, dm_version_string());
		return 1;
	}
	return 0;
}
