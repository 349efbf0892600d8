/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the fuzz targets share: CHECK(cond) traps when a promise the target
 * checks is broken, so libFuzzer (or the replay driver) reports the input.
 */
#ifndef LIBDM_TESTS_FUZZ_CHECK_H
#define LIBDM_TESTS_FUZZ_CHECK_H

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond))                                                  \
			__builtin_trap();                                     \
	} while (0)

#endif
