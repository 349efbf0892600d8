/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target for the JSON that checkpoints carry: the schema tracker's
 * saved form (dm_schema_tracker_to_json / _from_json) and libdm's
 * table_info object in <task>_syncer_checkpoint (lib/checkpoint). The
 * first input byte picks what the rest is:
 *
 *   0  a saved tracker: whatever loads must save to text that loads
 *      again and saves to the same text; a refusal must come with an
 *      error naming the schema tracker;
 *   1  a table_info column: whatever yields a CREATE TABLE must write
 *      back to an object that yields the same bytes;
 *   2  raw statement bytes: written as a table_info object, they must
 *      come back byte for byte (NULs and bytes >= 0x80 included).
 *
 * Any broken promise traps; nothing may crash, hang or leak.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "checkpoint/checkpoint_int.h"
#include "dm/dm.h"
#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same(const dm_buf *a, const dm_buf *b)
{
	return a->len == b->len && (a->len == 0 ||
				    memcmp(a->data, b->data, a->len) == 0);
}

static void tracker(const char *text, size_t len)
{
	dm_schema_tracker *tr = NULL, *again = NULL;
	dm_buf first = DM_BUF_INIT, second = DM_BUF_INIT;
	dm_error *err = NULL;
	int rc;

	rc = dm_schema_tracker_from_json(&tr, text, len, NULL, &err);
	if (rc != 0) {
		CHECK(tr == NULL && err != NULL);
		CHECK(dm_error_status(err) == rc);
		dm_error_free(err);
		return;
	}
	/* Saving may refuse a table it cannot write (an error, not a trap);
	 * what it writes must be a fixed point. */
	if (dm_schema_tracker_to_json(&first, tr, &err) == 0) {
		CHECK(dm_schema_tracker_from_json(&again, first.data, first.len,
						  NULL, NULL) == 0);
		CHECK(dm_schema_tracker_to_json(&second, again, NULL) == 0);
		CHECK(same(&first, &second));
		dm_schema_tracker_free(again);
	} else {
		CHECK(err != NULL);
		dm_error_free(err);
	}
	dm_buf_free(&first);
	dm_buf_free(&second);
	dm_schema_tracker_free(tr);
}

static void table_info(const char *text, size_t len)
{
	dm_buf sql = DM_BUF_INIT, obj = DM_BUF_INIT, back = DM_BUF_INIT;
	int rc = dm__cp_json_get_create(&sql, text, len);

	CHECK(rc == 0 || rc == DM_DONE || rc == DM_E_NO_MEMORY);
	if (rc == 0) {
		CHECK(dm__cp_json_put_create(&obj, sql.data ? sql.data : "",
					     sql.len) == 0);
		CHECK(dm__cp_json_get_create(&back, obj.data, obj.len) == 0);
		CHECK(same(&sql, &back));
	}
	dm_buf_free(&sql);
	dm_buf_free(&obj);
	dm_buf_free(&back);
}

static void statement(const char *bytes, size_t len)
{
	dm_buf obj = DM_BUF_INIT, back = DM_BUF_INIT;

	CHECK(dm__cp_json_put_create(&obj, bytes, len) == 0);
	CHECK(dm__cp_json_get_create(&back, obj.data, obj.len) == 0);
	CHECK(back.len == len);
	CHECK(len == 0 || memcmp(back.data, bytes, len) == 0);
	dm_buf_free(&obj);
	dm_buf_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *rest = (const char *)data + 1;

	if (size == 0 || size > 65536)
		return 0;
	switch (data[0] % 3) {
	case 0:
		tracker(rest, size - 1);
		break;
	case 1:
		table_info(rest, size - 1);
		break;
	default:
		statement(rest, size - 1);
		break;
	}
	return 0;
}
