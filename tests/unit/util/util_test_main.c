/* SPDX-License-Identifier: Apache-2.0 */
#include "util_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

bool util_test_quick(void)
{
	const char *q = getenv("DM_TEST_QUICK");
	const char *pre = getenv("LD_PRELOAD");

	if (q && *q && strcmp(q, "0") != 0)
		return true;
	/* valgrind preloads its vgpreload_*.so into the program. */
	return pre && strstr(pre, "vgpreload") != NULL;
}

size_t util_test_scale(size_t n)
{
	if (!util_test_quick())
		return n;
	return n / 20 ? n / 20 : 1;
}

int util_test_reset_alloc(void **state)
{
	(void)state;
	dm__alloc_fail_after(-1);
	return 0;
}

int main(void)
{
	int failed = 0;

	if (util_test_quick())
		fprintf(stderr, "unit-util: quick mode, counts scaled down\n");
	failed += util_test_alloc_group();
	failed += util_test_buf_group();
	failed += util_test_vec_group();
	failed += util_test_map_group();
	failed += util_test_queue_group();
	failed += util_test_clock_group();
	return failed ? 1 : 0;
}
