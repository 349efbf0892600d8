/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/err.h"
#include "dm/util.h"
#include "util/alloc.h"

static char *formatted(const dm_error *e, unsigned flags)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_error_format(&b, e, flags), 0);
	return dm_buf_detach(&b);
}

static void test_err__catalog_codes_are_unique_and_well_formed(void **state)
{
	size_t n, i, j;
	const dm_error_info *rows = dm_error_catalog(&n);

	(void)state;
	/* DM's 527 rows, 40 added by tiflow since, libdm's own 11 */
	assert_true(n >= 592);
	for (i = 0; i < n; i++) {
		assert_true(rows[i].code >= 10001 && rows[i].code <= 50000);
		assert_non_null(rows[i].name);
		assert_true(strncmp(rows[i].name, "Err", 3) == 0);
		assert_non_null(rows[i].message);
		assert_null(strchr(rows[i].message, '%'));
		assert_non_null(rows[i].workaround);
		assert_string_not_equal(dm_error_class_name(rows[i].cls),
					"unknown");
		assert_string_not_equal(dm_error_scope_name(rows[i].scope),
					"unknown");
		assert_string_not_equal(dm_error_level_name(rows[i].level),
					"unknown");
		assert_ptr_equal(dm_error_lookup(rows[i].code), &rows[i]);
		assert_ptr_equal(dm_error_lookup(-rows[i].code), &rows[i]);
		for (j = i + 1; j < n; j++)
			assert_int_not_equal(rows[i].code, rows[j].code);
	}
	assert_null(dm_error_lookup(12345678));
	assert_null(dm_error_lookup(0));
}

static void test_err__known_rows_keep_dm_codes_and_classes(void **state)
{
	const dm_error_info *r;

	(void)state;
	r = dm_error_lookup(10006);
	assert_non_null(r);
	assert_string_equal(r->name, "ErrDBExecuteFailed");
	assert_string_equal(dm_error_class_name(r->cls), "database");
	assert_int_equal(DM_E_DB_EXECUTE_FAILED, -10006);

	r = dm_error_lookup(DM_E_SYNCER_UNIT_DML_COLUMN_NOT_MATCH);
	assert_non_null(r);
	assert_int_equal(r->code, 36027);
	assert_string_equal(dm_error_class_name(r->cls), "sync-unit");
	assert_string_equal(dm_error_scope_name(r->scope), "internal");
	assert_string_equal(dm_error_level_name(r->level), "high");

	r = dm_error_lookup(50000);
	assert_non_null(r);
	assert_string_equal(r->name, "ErrNotSet");
	assert_string_equal(dm_error_class_name(r->cls), "not-set");
}

static void test_err__format_prints_dm_one_line_shape(void **state)
{
	dm_error *e = NULL;
	char *s, expect[256];
	int rc;

	(void)state;
	rc = dm_error_set(&e, DM_E_SYNCER_UNIT_DML_COLUMN_NOT_MATCH,
			  "table %s: %d columns, %d values", "`db`.`t`", 3, 4);
	assert_int_equal(rc, -36027);
	assert_non_null(e);
	assert_int_equal(dm_error_code(e), 36027);
	assert_int_equal(dm_error_status(e), -36027);
	s = formatted(e, 0);
	snprintf(expect, sizeof(expect),
		 "[code=36027:class=sync-unit:scope=internal:level=high] "
		 "%s: table `db`.`t`: 3 columns, 4 values",
		 dm_error_lookup(36027)->message);
	assert_string_equal(s, expect);
	free(s);
	dm_error_free(e);
}

static void test_err__message_without_detail_is_the_catalog_phrase(void **state)
{
	dm_error *e = NULL;

	(void)state;
	dm_error_set(&e, DM_E_DB_EXECUTE_FAILED, NULL);
	assert_string_equal(dm_error_message(e),
			    dm_error_lookup(10006)->message);
	dm_error_free(e);
	e = NULL;
	dm_error_set(&e, DM_E_DB_EXECUTE_FAILED, "%s", "");
	assert_string_equal(dm_error_message(e),
			    dm_error_lookup(10006)->message);
	dm_error_free(e);
}

static void test_err__set_keeps_previous_error_as_cause(void **state)
{
	dm_error *e = NULL;
	char *s;

	(void)state;
	dm_error_set_db(&e, DM_E_DB_EXECUTE_FAILED, DM_ERR_SCOPE_DOWNSTREAM,
			1062, "23000", "Duplicate entry '1' for key 'PRIMARY'",
			"INSERT INTO t VALUES (1)");
	dm_error_set(&e, DM_E_SYNCER_UNIT_DML_COLUMN_NOT_MATCH, "outer");
	assert_int_equal(dm_error_code(e), 36027);
	assert_non_null(dm_error_cause(e));
	assert_int_equal(dm_error_code(dm_error_cause(e)), 10006);
	assert_ptr_equal(dm_error_find(e, DM_E_DB_EXECUTE_FAILED),
			 dm_error_cause(e));
	assert_ptr_equal(dm_error_find(e, 10006), dm_error_cause(e));
	assert_null(dm_error_find(e, DM_E_DB_BAD_CONN));
	assert_int_equal(dm_error_server_errno(e), 0);
	assert_int_equal(dm_error_server_errno(dm_error_cause(e)), 1062);
	assert_string_equal(dm_error_sqlstate(dm_error_cause(e)), "23000");
	assert_int_equal(dm_error_get_scope(dm_error_cause(e)),
			 DM_ERR_SCOPE_DOWNSTREAM);

	s = formatted(e, DM_ERROR_FORMAT_CAUSE);
	assert_non_null(strstr(s, "] "));
	assert_non_null(strstr(s, ", RawCause: [code=10006:class=database:"
				  "scope=downstream:level=high] "));
	assert_non_null(strstr(s, "INSERT INTO t VALUES (1), RawCause: "
				  "Duplicate entry '1' for key 'PRIMARY'"));
	free(s);
	s = formatted(e, 0);
	assert_null(strstr(s, "RawCause"));
	free(s);
	dm_error_free(e);
}

/* Rows added after pingcap/dm with tiflow's class, scope and level. */
static void test_err__tiflow_rows_keep_dm_codes_and_tags(void **state)
{
	static const struct {
		int code;
		const char *name, *cls, *scope, *level;
	} want[] = {
		{ 11127, "ErrShardDDLOptimismNeedSkipAndRedirect", "functional", "internal", "high" },
		{ 11128, "ErrShardDDLOptimismAddNotFullyDroppedColumn", "functional", "internal", "medium" },
		{ 11129, "ErrSyncerCancelledDDL", "sync-unit", "internal", "high" },
		{ 20050, "ErrOpenAPITaskConfigExist", "config", "internal", "low" },
		{ 20051, "ErrOpenAPITaskConfigNotExist", "config", "internal", "low" },
		{ 20052, "ErrConfigCollationCompatibleNotSupport", "config", "internal", "medium" },
		{ 20053, "ErrConfigInvalidLoadMode", "config", "internal", "medium" },
		{ 20054, "ErrConfigInvalidDuplicateResolution", "config", "internal", "medium" },
		{ 20055, "ErrConfigValidationMode", "config", "internal", "high" },
		{ 20056, "ErrContinuousValidatorCfgNotFound", "config", "internal", "medium" },
		{ 20057, "ErrConfigStartTimeTooLate", "config", "internal", "high" },
		{ 20058, "ErrConfigLoaderDirInvalid", "config", "internal", "high" },
		{ 20059, "ErrConfigLoaderS3NotSupport", "config", "internal", "high" },
		{ 20060, "ErrConfigInvalidSafeModeDuration", "config", "internal", "medium" },
		{ 20061, "ErrConfigConfictSafeModeDurationAndSafeMode", "config", "internal", "low" },
		{ 36070, "ErrSyncerDownstreamTableNotFound", "sync-unit", "internal", "high" },
		{ 36071, "ErrSyncerReprocessWithSafeModeFail", "sync-unit", "internal", "medium" },
		{ 38058, "ErrMasterStartTask", "dm-master", "internal", "high" },
		{ 40080, "ErrWorkerRouteTableDupMatch", "dm-worker", "internal", "high" },
		{ 40083, "ErrWorkerServerClosed", "dm-worker", "internal", "low" },
		{ 44013, "ErrSchemaTrackerMarshalJSON", "schema-tracker", "downstream", "high" },
		{ 44020, "ErrSchemaTrackerIsClosed", "schema-tracker", "internal", "high" },
		{ 46028, "ErrSchedulerStartRelayOnSpecified", "scheduler", "internal", "low" },
		{ 46034, "ErrSchedulerSubTaskNotExist", "scheduler", "internal", "medium" },
		{ 46035, "ErrSchedulerSubTaskCfgUpdate", "scheduler", "internal", "low" },
		{ 42501, "ErrHAFailTxnOperation", "ha", "internal", "high" },
		{ 42505, "ErrHAFailKeepalive", "ha", "internal", "high" },
		{ 43006, "ErrValidatorNotFound", "validator", "not-set", "medium" },
		{ 43008, "ErrValidatorTooMuchPending", "validator", "internal", "medium" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const dm_error_info *r = dm_error_lookup(want[i].code);

		assert_non_null(r);
		assert_string_equal(r->name, want[i].name);
		assert_string_equal(dm_error_class_name(r->cls), want[i].cls);
		assert_string_equal(dm_error_scope_name(r->scope), want[i].scope);
		assert_string_equal(dm_error_level_name(r->level), want[i].level);
	}
	assert_int_equal(DM_E_CONFIG_COLLATION_COMPATIBLE_NOT_SUPPORT, -20052);
	assert_int_equal(DM_E_CONFIG_LOADER_S3_NOT_SUPPORT, -20059);
}

static void test_err__workaround_is_printed_only_when_asked(void **state)
{
	size_t n, i;
	const dm_error_info *rows = dm_error_catalog(&n);
	dm_error *e = NULL;
	char *s;

	(void)state;
	for (i = 0; i < n && rows[i].workaround[0] == '\0'; i++)
		;
	assert_true(i < n);
	dm_error_set(&e, -rows[i].code, NULL);
	assert_string_equal(dm_error_workaround(e), rows[i].workaround);
	s = formatted(e, DM_ERROR_FORMAT_WORKAROUND);
	assert_non_null(strstr(s, ", Workaround: "));
	assert_non_null(strstr(s, rows[i].workaround));
	free(s);
	s = formatted(e, 0);
	assert_null(strstr(s, "Workaround"));
	free(s);
	dm_error_free(e);
}

static void test_err__null_out_parameter_only_returns_status(void **state)
{
	unsigned long before;

	(void)state;
	before = dm__alloc_count();
	assert_int_equal(dm_error_set(NULL, DM_E_DB_BAD_CONN, "x"),
			 DM_E_DB_BAD_CONN);
	assert_int_equal(dm__alloc_count(), before);
}

static void test_err__unknown_or_positive_status_becomes_internal(void **state)
{
	dm_error *e = NULL;

	(void)state;
	assert_int_equal(dm_error_set(&e, -99999, "odd"), -99999);
	assert_int_equal(dm_error_code(e), 11905);
	assert_non_null(strstr(dm_error_message(e), "99999"));
	assert_non_null(strstr(dm_error_message(e), "odd"));
	dm_error_free(e);
	e = NULL;
	assert_int_equal(dm_error_set(&e, 0, "zero"), DM_E_INTERNAL);
	assert_int_equal(dm_error_code(e), 11905);
	dm_error_free(e);
}

static void test_err__readers_accept_null(void **state)
{
	dm_buf b = DM_BUF_INIT;

	(void)state;
	assert_int_equal(dm_error_code(NULL), 0);
	assert_string_equal(dm_error_message(NULL), "");
	assert_string_equal(dm_error_workaround(NULL), "");
	assert_string_equal(dm_error_raw_cause(NULL), "");
	assert_string_equal(dm_error_sqlstate(NULL), "");
	assert_null(dm_error_cause(NULL));
	assert_null(dm_error_find(NULL, DM_E_IO));
	assert_null(dm_error_ref(NULL));
	dm_error_free(NULL);
	assert_int_equal(dm_error_format(&b, NULL, 0), 0);
	assert_string_equal(b.data, "no error");
	dm_buf_free(&b);
}

static void test_err__sqlstate_is_cut_to_five_characters(void **state)
{
	dm_error *e = NULL;

	(void)state;
	dm_error_set_db(&e, DM_E_DB_QUERY_FAILED, DM_ERR_SCOPE_UPSTREAM, 1146,
			"42S02XYZ", NULL, "SELECT 1");
	assert_string_equal(dm_error_sqlstate(e), "42S02");
	assert_string_equal(dm_error_raw_cause(e), "");
	assert_string_equal(dm_error_scope_name(dm_error_get_scope(e)),
			    "upstream");
	dm_error_free(e);
}

static void test_err__ref_keeps_error_alive(void **state)
{
	dm_error *e = NULL, *r;

	(void)state;
	dm_error_set(&e, DM_E_IO, "file %s", "x");
	dm_error_set(&e, DM_E_INTERNAL, "wrapped");
	r = dm_error_ref(e);
	assert_ptr_equal(r, e);
	dm_error_free(e);
	assert_int_equal(dm_error_code(r), 11905);
	assert_int_equal(dm_error_code(dm_error_cause(r)), 11903);
	dm_error_free(r);
}

static void test_err__out_of_memory_gives_static_error(void **state)
{
	dm_error *e = NULL;
	int n;

	(void)state;
	/* Fail each allocation in turn: always a valid object, never a leak. */
	for (n = 0; n < 8; n++) {
		e = NULL;
		dm_error_set(&e, DM_E_IO, "cause");
		dm__alloc_fail_after(n);
		assert_int_equal(dm_error_set(&e, DM_E_DB_BAD_CONN, "detail %d",
					      n),
				 DM_E_DB_BAD_CONN);
		dm__alloc_fail_after(-1);
		assert_non_null(e);
		if (dm_error_code(e) == 11901) {
			assert_string_equal(dm_error_message(e),
					    "out of memory");
			assert_null(dm_error_cause(e));
			/* static: references and frees are no-ops */
			assert_ptr_equal(dm_error_ref(e), e);
			dm_error_free(e);
		} else {
			assert_int_equal(dm_error_code(e), 10002);
		}
		dm_error_free(e);
	}
}

static void test_err__names_of_enums(void **state)
{
	(void)state;
	assert_string_equal(dm_error_class_name(DM_ERR_CLASS_BINLOG_OP),
			    "binlog-op");
	assert_string_equal(dm_error_class_name(DM_ERR_CLASS_RELAY_EVENT_LIB),
			    "relay-event-lib");
	assert_string_equal(dm_error_class_name(DM_ERR_CLASS_DM_MASTER),
			    "dm-master");
	assert_string_equal(dm_error_class_name((dm_error_class)999),
			    "unknown");
	assert_string_equal(dm_error_scope_name(DM_ERR_SCOPE_NOT_SET),
			    "not-set");
	assert_string_equal(dm_error_level_name(DM_ERR_LEVEL_MEDIUM),
			    "medium");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err__catalog_codes_are_unique_and_well_formed),
		cmocka_unit_test(test_err__tiflow_rows_keep_dm_codes_and_tags),
		cmocka_unit_test(test_err__known_rows_keep_dm_codes_and_classes),
		cmocka_unit_test(test_err__format_prints_dm_one_line_shape),
		cmocka_unit_test(test_err__message_without_detail_is_the_catalog_phrase),
		cmocka_unit_test(test_err__set_keeps_previous_error_as_cause),
		cmocka_unit_test(test_err__workaround_is_printed_only_when_asked),
		cmocka_unit_test(test_err__null_out_parameter_only_returns_status),
		cmocka_unit_test(test_err__unknown_or_positive_status_becomes_internal),
		cmocka_unit_test(test_err__readers_accept_null),
		cmocka_unit_test(test_err__sqlstate_is_cut_to_five_characters),
		cmocka_unit_test(test_err__ref_keeps_error_alive),
		cmocka_unit_test(test_err__out_of_memory_gives_static_error),
		cmocka_unit_test(test_err__names_of_enums),
	};

	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
