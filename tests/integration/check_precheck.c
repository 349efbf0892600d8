/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm_check_run against the sandbox: a correctly set up upstream passes
 * every item, then each failure is provoked and reported under the right
 * item and checker name.
 *
 * How each failure is provoked on the shared sandbox (nothing global is
 * left behind: every SET GLOBAL is restored by the test's teardown, and
 * all users, roles and schemas are named dmtest_check_* and dropped):
 *   binlog_format / binlog_row_image   SET GLOBAL, restored afterwards
 *   binlog_enable                      the downstream (no binlog) as source
 *   dump / replication privileges      users with too few grants
 *   table_schema                       a table without keys (fail), one
 *                                      with a foreign key (warn)
 *   schema_of_shard_tables             two sources' tables with different
 *                                      columns routed to one target
 *   auto_increment_ID                  auto-increment primary keys merged
 *   26001                              targets differing only in case
 *   target_privilege / _connectivity   a downstream user without grants,
 *                                      a wrong password
 * server_id cannot be 0 on MariaDB (it is clamped to 1) and gtid_mode is
 * MySQL's: those rules are unit-tested (tests/unit/check).
 *
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-check_precheck
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dm/check.h"
#include "dm/db.h"
#include "dm/err.h"
#include "dm/log.h"
#include "dm/util.h"
#include "sandbox/sandbox.h"

#define PW "dmtest-check-pw-71c2"
#define WRONG_PW "dmtest-check-wrong-pw-0b9e"
#define OK_DB "dmtest_check_ok"
#define BAD_DB "dmtest_check_bad"
#define SA_DB "dmtest_check_sa"
#define SB_DB "dmtest_check_sb"
#define META_DB "dmtest_check_meta"

static dm_ctx *ctx;
static sandbox_server up, down;
static MYSQL *um, *dmc; /* independent connections: upstream, downstream */
static char *orig_format, *orig_row_image;
static bool secret_logged;

static void capture_log(const dm_log_record *rec, void *userdata)
{
	dm_buf line = DM_BUF_INIT;

	(void)userdata;
	if (dm_log_format(&line, rec) == 0 && line.data &&
	    (strstr(line.data, up.password) || strstr(line.data, down.password) ||
	     strstr(line.data, PW) || strstr(line.data, WRONG_PW)))
		secret_logged = true;
	dm_buf_free(&line);
}

static dm_db_opts opts_for(const sandbox_server *s, const char *user,
			   const char *password)
{
	dm_db_opts o = DM_DB_OPTS_INIT;

	o.host = s->host;
	o.port = s->port;
	o.user = user ? user : s->user;
	o.password = password ? password : s->password;
	return o;
}

static void up_exec(const char *sql)
{
	if (sandbox_exec(um, "%s", sql) != 0)
		fail_msg("upstream: %s", sql);
}

static void down_exec(const char *sql)
{
	if (sandbox_exec(dmc, "%s", sql) != 0)
		fail_msg("downstream: %s", sql);
}

static const char *const drop_all =
	"DROP DATABASE IF EXISTS " OK_DB "; DROP DATABASE IF EXISTS " BAD_DB
	"; DROP DATABASE IF EXISTS " SA_DB "; DROP DATABASE IF EXISTS " SB_DB
	"; DROP USER IF EXISTS dmtest_check_nogrant@'%'"
	"; DROP USER IF EXISTS dmtest_check_col@'%'"
	"; DROP USER IF EXISTS dmtest_check_repl@'%'"
	"; DROP USER IF EXISTS dmtest_check_roleuser@'%'"
	"; DROP ROLE IF EXISTS dmtest_check_role";

static const char setup_sql[] =
	"CREATE DATABASE " OK_DB "; CREATE DATABASE " BAD_DB
	"; CREATE DATABASE " SA_DB "; CREATE DATABASE " SB_DB
	"; CREATE TABLE " OK_DB ".t1 (id INT PRIMARY KEY, v VARCHAR(20))"
	"; CREATE TABLE " OK_DB ".t2 (a INT NOT NULL, b INT NOT NULL, "
	"UNIQUE KEY uk (a, b)) DEFAULT CHARSET=latin1"
	"; CREATE TABLE " SA_DB ".s (id BIGINT, shard INT, v TEXT, "
	"PRIMARY KEY (id, shard))"
	"; CREATE TABLE " SB_DB ".s (id BIGINT, shard INT, v TEXT, "
	"PRIMARY KEY (id, shard))"
	"; CREATE TABLE " SA_DB ".t (id INT PRIMARY KEY, a INT)"
	"; CREATE TABLE " SB_DB ".t (id INT PRIMARY KEY, a INT, b INT)"
	"; CREATE TABLE " SA_DB ".ai (id INT AUTO_INCREMENT PRIMARY KEY, "
	"v INT)"
	"; CREATE TABLE " SB_DB ".ai (id INT AUTO_INCREMENT PRIMARY KEY, "
	"v INT)"
	"; CREATE TABLE " BAD_DB ".nokey (a INT, b INT, KEY k (a))"
	"; CREATE TABLE " BAD_DB ".parent (id INT PRIMARY KEY)"
	"; CREATE TABLE " BAD_DB ".child (id INT PRIMARY KEY, p INT, "
	"CONSTRAINT fk_child_parent FOREIGN KEY (p) REFERENCES parent "
	"(id))"
	"; CREATE USER dmtest_check_nogrant@'%' IDENTIFIED BY '" PW "'"
	"; GRANT SELECT ON " OK_DB ".* TO dmtest_check_nogrant@'%'"
	"; CREATE USER dmtest_check_col@'%' IDENTIFIED BY '" PW "'"
	"; GRANT RELOAD ON *.* TO dmtest_check_col@'%'"
	"; GRANT SELECT (id) ON " OK_DB ".t1 TO dmtest_check_col@'%'"
	"; GRANT SELECT ON " OK_DB ".t2 TO dmtest_check_col@'%'"
	"; CREATE USER dmtest_check_repl@'%' IDENTIFIED BY '" PW "'"
	"; GRANT RELOAD, BINLOG MONITOR, REPLICATION SLAVE, "
	"REPLICATION SLAVE ADMIN, SLAVE MONITOR ON *.* TO "
	"dmtest_check_repl@'%'"
	"; GRANT SELECT ON " OK_DB ".* TO dmtest_check_repl@'%'"
	"; CREATE ROLE dmtest_check_role"
	"; GRANT RELOAD, BINLOG MONITOR, REPLICATION SLAVE ON *.* TO "
	"dmtest_check_role"
	"; GRANT SELECT ON " OK_DB ".* TO dmtest_check_role"
	"; CREATE USER dmtest_check_roleuser@'%' IDENTIFIED BY '" PW "'"
	"; GRANT dmtest_check_role TO dmtest_check_roleuser@'%'";

static int group_setup(void **state)
{
	dm_error *e = NULL;

	(void)state;
	if (dm_global_init(&e) != 0 || dm_ctx_new(&ctx, &e) != 0)
		return -1;
	dm_ctx_set_logger(ctx, capture_log, NULL);
	dm_ctx_set_log_level(ctx, DM_LOG_DEBUG);
	if (sandbox_upstream(1, &up) != 0 || sandbox_downstream(&down) != 0)
		return -1;
	um = sandbox_connect(&up, NULL);
	dmc = sandbox_connect(&down, NULL);
	if (!um || !dmc)
		return -1;
	orig_format = sandbox_query_value(um, "SELECT @@GLOBAL.binlog_format",
					  NULL);
	orig_row_image = sandbox_query_value(
		um, "SELECT @@GLOBAL.binlog_row_image", NULL);
	if (!orig_format || !orig_row_image)
		return -1;
	/* Nothing of this test goes into the upstream's binlog. */
	if (sandbox_exec(um, "SET SESSION sql_log_bin = 0") ||
	    sandbox_exec(um, "%s", drop_all))
		return -1;
	return sandbox_exec(um, "%s", setup_sql);
}

static int group_teardown(void **state)
{
	(void)state;
	sandbox_exec(um, "%s", drop_all);
	sandbox_exec(dmc, "DROP DATABASE IF EXISTS " META_DB
			  "; DROP USER IF EXISTS dmtest_check_down@'%%'");
	mysql_close(um);
	mysql_close(dmc);
	free(orig_format);
	free(orig_row_image);
	dm_ctx_free(ctx);
	dm_global_cleanup();
	if (secret_logged) {
		fprintf(stderr, "a password reached the log\n");
		return -1;
	}
	return 0;
}

/* After every test: the sandbox's global settings as they were. */
static int restore_globals(void **state)
{
	(void)state;
	return sandbox_exec(um,
			    "SET GLOBAL binlog_format = '%s'; SET GLOBAL "
			    "binlog_row_image = '%s'",
			    orig_format, orig_row_image) ?
		       -1 :
		       0;
}

/* ------------------------------------------------------------ helpers */

typedef struct setup {
	dm_db_opts src_db[2];
	dm_db_opts dst_db;
	dm_check_source src[2];
	dm_check_opts o;
} setup;

static const dm_check_table ok_tables[] = {
	{ OK_DB, "t1", NULL, NULL },
	{ OK_DB, "t2", NULL, NULL },
};

/* One upstream source (root) with the good tables, the downstream as
 * target (root), task-mode all, pessimistic shards. */
static void setup_init(setup *s)
{
	dm_check_opts init = DM_CHECK_OPTS_INIT;

	memset(s, 0, sizeof(*s));
	s->src_db[0] = opts_for(&up, NULL, NULL);
	s->src_db[1] = opts_for(&up, NULL, NULL);
	s->dst_db = opts_for(&down, NULL, NULL);
	s->src[0].source_id = "dmtest-src-1";
	s->src[0].db = &s->src_db[0];
	s->src[0].flavor = "mariadb";
	s->src[0].enable_gtid = true;
	s->src[0].tables = ok_tables;
	s->src[0].ntables = 2;
	s->src[1] = s->src[0];
	s->src[1].source_id = "dmtest-src-2";
	s->src[1].db = &s->src_db[1];
	s->src[1].tables = NULL;
	s->src[1].ntables = 0;
	s->o = init;
	s->o.sources = s->src;
	s->o.nsources = 1;
	s->o.target = &s->dst_db;
	s->o.shard_mode = DM_CHECK_SHARD_PESSIMISTIC;
	s->o.task_name = "dmtest_check_task";
	s->o.meta_schema = META_DB;
}

static dm_check_result *run(const dm_check_opts *o, int want_rc)
{
	dm_check_result *res = NULL;
	dm_error *e = NULL;
	int rc = dm_check_run(&res, ctx, o, &e);

	if (rc != want_rc) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, e, DM_ERROR_FORMAT_CAUSE);
		fail_msg("dm_check_run: status %d, want %d: %s", rc, want_rc,
			 b.data ? b.data : "");
	}
	if (rc == 0 || rc == DM_E_TASK_CHECK_SYNC_CONFIG_ERROR) {
		assert_non_null(res);
		if (rc)
			assert_int_equal(dm_error_code(e), 26005);
		else
			assert_null(e);
	} else {
		assert_null(res);
	}
	dm_error_free(e);
	return res;
}

static const dm_check_item *find(const dm_check_result *res,
				 const char *item, const char *source_id)
{
	size_t n, i;
	const dm_check_item *all = dm_check_result_items(res,
							 DM_CHECK_ITEMS_ALL, &n);

	for (i = 0; i < n; i++)
		if (strcmp(all[i].item, item) == 0 &&
		    (!source_id ||
		     (all[i].source_id && strcmp(all[i].source_id, source_id) == 0)))
			return &all[i];
	fail_msg("no %s item", item);
	return NULL;
}

static void expect(const dm_check_result *res, const char *item,
		   dm_check_state state, const char *frag)
{
	const dm_check_item *it = find(res, item, NULL);
	size_t i;

	if (it->state != state) {
		for (i = 0; i < it->nerrors; i++)
			fprintf(stderr, "  %s: %s\n", it->name,
				it->errors[i].short_error);
		fail_msg("%s (%s): state %d, want %d", item, it->name,
			 (int)it->state, (int)state);
	}
	if (!frag)
		return;
	for (i = 0; i < it->nerrors; i++)
		if (strstr(it->errors[i].short_error, frag))
			return;
	fail_msg("%s: no error with [%s]", item, frag);
}

static char *json_of(const dm_check_result *res)
{
	dm_buf b = DM_BUF_INIT;

	assert_int_equal(dm_check_result_json(&b, res, DM_CHECK_JSON_INDENT),
			 0);
	return dm_buf_detach(&b);
}

static void assert_no_secret(const char *text)
{
	assert_null(strstr(text, up.password));
	assert_null(strstr(text, down.password));
	assert_null(strstr(text, PW));
	assert_null(strstr(text, WRONG_PW));
	assert_null(strstr(text, "IDENTIFIED"));
	assert_null(strstr(text, "PASSWORD"));
}

static void summary_is(const dm_check_result *res, bool passed, long total,
		       long failed, long warning)
{
	dm_check_summary sum;

	dm_check_result_summary(&sum, res);
	assert_int_equal(sum.passed, passed);
	assert_int_equal(sum.total, total);
	assert_int_equal(sum.failed, failed);
	assert_int_equal(sum.warning, warning);
	assert_int_equal(sum.successful, total - failed - warning);
}

/* -------------------------------------------------------------- tests */

static void test_check__configured_upstream_passes_every_item(void **state)
{
	static const dm_check_table tables[] = {
		{ OK_DB, "t1", NULL, NULL },
		{ OK_DB, "t2", NULL, NULL },
		{ SA_DB, "s", "dmtest_check_merged", "s" },
	};
	static const dm_check_table tables2[] = {
		{ SB_DB, "s", "dmtest_check_merged", "s" },
	};
	static const char *const items[] = {
		"target_connectivity", "target_privilege", "version",
		"dump_privilege", "server_id", "binlog_enable", "binlog_format",
		"binlog_row_image", "replication_privilege", "gtid_mode",
		"version", "dump_privilege", "server_id", "binlog_enable",
		"binlog_format", "binlog_row_image", "replication_privilege",
		"gtid_mode", "table_schema", "schema_of_shard_tables",
	};
	setup s;
	dm_check_result *res;
	const dm_check_item *all;
	dm_buf msg = DM_BUF_INIT;
	char *json, want[64];
	size_t n, i;

	(void)state;
	setup_init(&s);
	s.src[0].tables = tables;
	s.src[0].ntables = 3;
	s.src[1].tables = tables2;
	s.src[1].ntables = 1;
	s.o.nsources = 2;
	res = run(&s.o, 0);
	all = dm_check_result_items(res, DM_CHECK_ITEMS_ALL, &n);
	assert_int_equal(n, sizeof(items) / sizeof(items[0]));
	for (i = 0; i < n; i++) {
		if (strcmp(all[i].item, items[i]) != 0)
			fail_msg("item %zu is %s, want %s", i, all[i].item,
				 items[i]);
		if (all[i].state != DM_CHECK_SUCCESS)
			fail_msg("%s (%s) did not pass: %s", all[i].item,
				 all[i].name,
				 all[i].nerrors ? all[i].errors[0].short_error :
						  "");
		assert_int_equal(all[i].id, i);
	}
	summary_is(res, true, (long)n, 0, 0);
	assert_string_equal(find(res, "version", "dmtest-src-2")->name,
			    "mysql_version");
	snprintf(want, sizeof(want), "address of db instance - %s:%u", up.host,
		 up.port);
	assert_string_equal(find(res, "binlog_format", NULL)->extra, want);
	assert_string_equal(find(res, "schema_of_shard_tables", NULL)->name,
			    "sharding table `dmtest_check_merged`.`s` "
			    "consistency checking");
	dm_check_result_items(res, DM_CHECK_ITEMS_REPORTED, &n);
	assert_int_equal(n, 0);
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_string_equal(msg.data, "pre-check is passed. ");
	json = json_of(res);
	assert_non_null(strstr(json, "\"results\": []"));
	assert_no_secret(json);
	free(json);
	dm_buf_free(&msg);
	dm_check_result_free(res);
}

static void test_check__binlog_format_statement_fails(void **state)
{
	setup s;
	dm_check_result *res;
	dm_buf msg = DM_BUF_INIT;

	(void)state;
	up_exec("SET GLOBAL binlog_format = 'STATEMENT'");
	setup_init(&s);
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "binlog_format", DM_CHECK_FAIL,
	       "binlog_format is STATEMENT, and should be ROW");
	assert_string_equal(find(res, "binlog_format", NULL)->name,
			    "mysql_binlog_format");
	summary_is(res, false, 11, 1, 0);
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_non_null(strstr(msg.data, "check was failed, please see detail"
					 "\n detail: {"));
	assert_non_null(strstr(msg.data, "\"name\": \"mysql_binlog_format\""));
	assert_non_null(strstr(msg.data, "please execute 'set global "
					 "binlog_format=ROW;'"));
	dm_check_result_free(res);

	/* task-mode full reads no binlog: the same server passes. */
	s.o.mode = DM_CHECK_MODE_FULL;
	res = run(&s.o, 0);
	summary_is(res, true, 5, 0, 0);
	dm_check_result_free(res);
	dm_buf_free(&msg);
}

static void test_check__binlog_row_image_minimal_fails(void **state)
{
	setup s;
	dm_check_result *res;

	(void)state;
	up_exec("SET GLOBAL binlog_row_image = 'MINIMAL'");
	setup_init(&s);
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "binlog_row_image", DM_CHECK_FAIL,
	       "binlog_row_image is MINIMAL, and should be FULL");
	expect(res, "binlog_format", DM_CHECK_SUCCESS, NULL);
	summary_is(res, false, 11, 1, 0);
	dm_check_result_free(res);

	/* Ignored by name, it passes. */
	{
		const char *ignore[] = { "binlog_row_image" };

		s.o.ignore_items = ignore;
		s.o.nignore_items = 1;
		res = run(&s.o, 0);
		summary_is(res, true, 10, 0, 0);
		dm_check_result_free(res);
	}
}

static void test_check__disabled_binlog_fails(void **state)
{
	setup s;
	dm_check_result *res;

	(void)state;
	setup_init(&s);
	/* The downstream runs without a binlog: use it as a source. */
	s.src_db[0] = opts_for(&down, NULL, NULL);
	s.src[0].ntables = 0;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "binlog_enable", DM_CHECK_FAIL,
	       "log_bin is OFF, and should be ON");
	assert_string_equal(find(res, "binlog_enable", NULL)->name,
			    "mysql_binlog_enable");
	expect(res, "server_id", DM_CHECK_SUCCESS, NULL);
	expect(res, "version", DM_CHECK_SUCCESS, NULL);
	dm_check_result_free(res);
}

static void test_check__missing_grants_fail(void **state)
{
	setup s;
	dm_check_result *res;
	char *json;

	(void)state;
	setup_init(&s);
	s.src_db[0] = opts_for(&up, "dmtest_check_nogrant", PW);
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "dump_privilege", DM_CHECK_FAIL,
	       "lack of RELOAD global (*.*) privilege; ");
	expect(res, "replication_privilege", DM_CHECK_FAIL,
	       "lack of REPLICATION CLIENT global (*.*) privilege; lack of "
	       "REPLICATION SLAVE global (*.*) privilege; ");
	assert_string_equal(find(res, "dump_privilege", NULL)->name,
			    "source db dump privilege checker");
	assert_string_equal(find(res, "replication_privilege", NULL)->name,
			    "source db replication privilege checker");
	assert_non_null(strstr(find(res, "dump_privilege", NULL)
				       ->errors[0]
				       .instruction,
			       "GRANT RELOAD ON *.* TO "
			       "'dmtest_check_nogrant'@'%';"));
	expect(res, "version", DM_CHECK_SUCCESS, NULL);
	expect(res, "table_schema", DM_CHECK_SUCCESS, NULL);
	json = json_of(res);
	assert_no_secret(json); /* SHOW GRANTS showed the password hash */
	free(json);
	dm_check_result_free(res);

	/* Incremental tasks dump nothing: only replication fails. */
	s.o.mode = DM_CHECK_MODE_INCREMENTAL;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	summary_is(res, false, 10, 1, 0);
	expect(res, "replication_privilege", DM_CHECK_FAIL, NULL);
	dm_check_result_free(res);
}

static void test_check__column_level_select_is_not_enough(void **state)
{
	const char *ignore[] = { "replication_privilege" };
	setup s;
	dm_check_result *res;

	(void)state;
	setup_init(&s);
	s.src_db[0] = opts_for(&up, "dmtest_check_col", PW);
	s.o.ignore_items = ignore;
	s.o.nignore_items = 1;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "dump_privilege", DM_CHECK_FAIL,
	       "lack of Select privilege: {`" OK_DB "`.`t1`}; ");
	/* Nor can SHOW CREATE TABLE read such a table. */
	expect(res, "table_schema", DM_CHECK_FAIL,
	       "table `" OK_DB "`.`t1` SHOW CREATE TABLE failed: ");
	summary_is(res, false, 10, 2, 0);
	dm_check_result_free(res);
}

static void test_check__mariadb_grants_and_roles_pass(void **state)
{
	setup s;
	dm_check_result *res;

	(void)state;
	setup_init(&s);
	/* BINLOG MONITOR stands for REPLICATION CLIENT (MariaDB >= 10.5). */
	s.src_db[0] = opts_for(&up, "dmtest_check_repl", PW);
	res = run(&s.o, 0);
	expect(res, "dump_privilege", DM_CHECK_SUCCESS, NULL);
	expect(res, "replication_privilege", DM_CHECK_SUCCESS, NULL);
	dm_check_result_free(res);

	/* A granted role counts only once it is the default role. */
	s.src_db[0] = opts_for(&up, "dmtest_check_roleuser", PW);
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "dump_privilege", DM_CHECK_FAIL, "lack of RELOAD");
	expect(res, "replication_privilege", DM_CHECK_FAIL, NULL);
	dm_check_result_free(res);
	up_exec("SET DEFAULT ROLE dmtest_check_role FOR "
	"dmtest_check_roleuser@'%'");
	res = run(&s.o, 0);
	expect(res, "dump_privilege", DM_CHECK_SUCCESS, NULL);
	expect(res, "replication_privilege", DM_CHECK_SUCCESS, NULL);
	dm_check_result_free(res);
}

static void test_check__table_without_keys_fails(void **state)
{
	static const dm_check_table tables[] = {
		{ OK_DB, "t1", NULL, NULL },
		{ BAD_DB, "nokey", NULL, NULL },
		{ BAD_DB, "dropped_meanwhile", NULL, NULL },
	};
	setup s;
	dm_check_result *res;
	const dm_check_item *it;

	(void)state;
	setup_init(&s);
	s.src[0].tables = tables;
	s.src[0].ntables = 3;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "table_schema", DM_CHECK_FAIL,
	       "table `" BAD_DB "`.`nokey` primary/unique key does not exist");
	it = find(res, "table_schema", NULL);
	assert_string_equal(it->name, "table structure compatibility check");
	assert_int_equal(it->nerrors, 1); /* a missing table is skipped */
	assert_string_equal(it->errors[0].instruction,
			    "please set primary/unique key for the table");
	summary_is(res, false, 11, 1, 0);
	dm_check_result_free(res);
}

static void test_check__foreign_key_warns(void **state)
{
	static const dm_check_table tables[] = {
		{ BAD_DB, "parent", NULL, NULL },
		{ BAD_DB, "child", NULL, NULL },
	};
	setup s;
	dm_check_result *res;
	dm_buf msg = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	setup_init(&s);
	s.src[0].tables = tables;
	s.src[0].ntables = 2;
	res = run(&s.o, 0);
	expect(res, "table_schema", DM_CHECK_WARN,
	       "table `" BAD_DB "`.`child` Foreign Key fk_child_parent");
	summary_is(res, true, 11, 0, 1);
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_non_null(strstr(msg.data, "no errors but some warnings"));
	assert_non_null(strstr(msg.data, "\"severity\": \"warn\""));
	assert_int_equal(dm_check_result_error(res, &e), 0);
	assert_null(e);
	dm_buf_free(&msg);
	dm_check_result_free(res);
}

static void test_check__shards_with_other_columns_fail(void **state)
{
	static const dm_check_table a[] = {
		{ SA_DB, "t", "dmtest_check_m", "t" },
	};
	static const dm_check_table b[] = {
		{ SB_DB, "t", "dmtest_check_m", "t" },
	};
	setup s;
	dm_check_result *res;
	const dm_check_item *it;

	(void)state;
	setup_init(&s);
	s.src[0].tables = a;
	s.src[0].ntables = 1;
	s.src[1].tables = b;
	s.src[1].ntables = 1;
	s.o.nsources = 2;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "schema_of_shard_tables", DM_CHECK_FAIL,
	       "column length mismatch (self: 2 vs other: 3)");
	it = find(res, "schema_of_shard_tables", NULL);
	assert_string_equal(it->name, "sharding table `dmtest_check_m`.`t` "
				      "consistency checking");
	assert_string_equal(it->errors[0].self,
			    "sourceID dmtest-src-1 table `" SA_DB "`.`t` "
			    "columns [id a]");
	assert_string_equal(it->errors[0].other,
			    "sourceID dmtest-src-2 table `" SB_DB "`.`t` "
			    "columns [id a b]");
	assert_string_equal(it->instruction, "please set same table structure "
					     "for sharding tables");
	summary_is(res, false, 20, 1, 0);
	dm_check_result_free(res);

	/* Optimistic shards may differ in columns. */
	s.o.shard_mode = DM_CHECK_SHARD_OPTIMISTIC;
	res = run(&s.o, 0);
	expect(res, "schema_of_shard_tables", DM_CHECK_SUCCESS, NULL);
	assert_string_equal(find(res, "schema_of_shard_tables", NULL)->name,
			    "optimistic sharding table `dmtest_check_m`.`t` "
			    "consistency checking");
	dm_check_result_free(res);
}

static void test_check__auto_increment_keys_conflict(void **state)
{
	static const dm_check_table tables[] = {
		{ SA_DB, "ai", "dmtest_check_m", "ai" },
		{ SB_DB, "ai", "dmtest_check_m", "ai" },
	};
	const char *ignore[] = { "auto_increment_ID" };
	setup s;
	dm_check_result *res;

	(void)state;
	setup_init(&s);
	s.src[0].tables = tables;
	s.src[0].ntables = 2;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "schema_of_shard_tables", DM_CHECK_FAIL,
	       "have auto-increment key id, would conflict");
	assert_string_equal(find(res, "schema_of_shard_tables", NULL)->extra,
			    "auto-increment key checking");
	dm_check_result_free(res);

	s.o.ignore_items = ignore;
	s.o.nignore_items = 1;
	res = run(&s.o, 0);
	expect(res, "schema_of_shard_tables", DM_CHECK_SUCCESS, NULL);
	dm_check_result_free(res);

	/* A task with checkpoints downstream is not new: shards are not
	 * compared any more, as in DM. */
	s.o.nignore_items = 0;
	down_exec("CREATE DATABASE IF NOT EXISTS " META_DB
		  "; CREATE TABLE IF NOT EXISTS " META_DB
		  ".dmtest_check_task_syncer_checkpoint (id INT PRIMARY KEY)");
	res = run(&s.o, 0);
	summary_is(res, true, 11, 0, 0);
	dm_check_result_free(res);
	down_exec("DROP DATABASE " META_DB);
}

static void test_check__target_names_clashing_by_case(void **state)
{
	static const dm_check_table tables[] = {
		{ OK_DB, "t1", "Dmtest_check_T", "x" },
		{ OK_DB, "t2", "dmtest_check_t", "x" },
	};
	setup s;
	dm_check_result *res = (dm_check_result *)&s;
	dm_error *e = NULL;

	(void)state;
	setup_init(&s);
	s.src[0].tables = tables;
	assert_int_equal(dm_check_run(&res, ctx, &s.o, &e),
			 DM_E_TASK_CHECK_SAME_TABLE_NAME);
	assert_null(res);
	assert_int_equal(dm_error_code(e), 26001);
	assert_non_null(strstr(dm_error_message(e),
			       "same target table `Dmtest_check_T`.`x` vs "
			       "`dmtest_check_t`.`x`"));
	dm_error_free(e);
}

static void test_check__downstream_without_privileges_fails(void **state)
{
	setup s;
	dm_check_result *res;
	const dm_check_item *it;
	char *json;

	(void)state;
	down_exec("DROP USER IF EXISTS dmtest_check_down@'%'; CREATE USER "
		  "dmtest_check_down@'%' IDENTIFIED BY '" PW "'");
	setup_init(&s);
	s.dst_db = opts_for(&down, "dmtest_check_down", PW);
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "target_connectivity", DM_CHECK_SUCCESS, NULL);
	expect(res, "target_privilege", DM_CHECK_FAIL,
	       "lack of Create privilege: {`" META_DB "`.*; `" OK_DB "`.*}; ");
	it = find(res, "target_privilege", NULL);
	assert_string_equal(it->name, "target db privilege checker");
	assert_non_null(strstr(it->errors[0].instruction,
			       "GRANT CREATE, SELECT, INSERT, UPDATE, DELETE, "
			       "DROP, ALTER, INDEX ON `" OK_DB "`.* TO "
			       "'dmtest_check_down'@'%';"));
	summary_is(res, false, 11, 1, 0);
	dm_check_result_free(res);

	/* With the grants on both schemas it passes. */
	down_exec("GRANT CREATE, SELECT, INSERT, UPDATE, DELETE, DROP, ALTER, "
		  "INDEX ON `dmtest\\_check\\_%`.* TO dmtest_check_down@'%'; "
		  "GRANT ALL ON " OK_DB ".* TO dmtest_check_down@'%'");
	res = run(&s.o, 0);
	expect(res, "target_privilege", DM_CHECK_SUCCESS, NULL);
	dm_check_result_free(res);

	/* A wrong password: connectivity fails, nothing leaks. */
	s.dst_db.password = WRONG_PW;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	expect(res, "target_connectivity", DM_CHECK_FAIL, "Access denied");
	expect(res, "target_privilege", DM_CHECK_FAIL,
	       "cannot check: no connection to the target DB");
	json = json_of(res);
	assert_non_null(strstr(json, "\"name\": \"target db connectivity "
				     "checker\""));
	assert_no_secret(json);
	free(json);
	dm_check_result_free(res);
	down_exec("DROP USER dmtest_check_down@'%'");
}

static void test_check__limits_cut_the_report(void **state)
{
	static const dm_check_table tables[] = {
		{ BAD_DB, "nokey", NULL, NULL },
		{ BAD_DB, "child", NULL, NULL },
		{ BAD_DB, "parent", NULL, NULL },
	};
	setup s;
	dm_check_result *res;
	const dm_check_item *rep;
	size_t n, i, nerr = 0;

	(void)state;
	setup_init(&s);
	s.src_db[0] = opts_for(&up, "dmtest_check_nogrant", PW);
	s.src[0].tables = tables;
	s.src[0].ntables = 3;
	s.o.error_limit = 1;
	s.o.warn_limit = 0;
	res = run(&s.o, DM_E_TASK_CHECK_SYNC_CONFIG_ERROR);
	summary_is(res, false, 11, 3, 0);
	rep = dm_check_result_items(res, DM_CHECK_ITEMS_REPORTED, &n);
	for (i = 0; i < n; i++)
		nerr += rep[i].nerrors;
	assert_int_equal(n, 1);
	assert_int_equal(nerr, 1);
	assert_string_equal(rep[0].item, "dump_privilege");
	dm_check_result_free(res);
}

static void test_check__unreachable_source_and_all_ignored(void **state)
{
	const char *all[] = { "all" };
	setup s;
	dm_check_result *res;
	dm_buf msg = DM_BUF_INIT;
	dm_error *e = NULL;

	(void)state;
	setup_init(&s);
	s.src_db[0].password = WRONG_PW;
	res = (dm_check_result *)&s;
	assert_int_equal(dm_check_run(&res, ctx, &s.o, &e),
			 DM_E_TASK_CHECK_FAILED_OPEN_DB);
	assert_null(res);
	assert_int_equal(dm_error_code(e), 26002);
	assert_non_null(strstr(dm_error_message(e), "dmtest-src-1"));
	assert_non_null(dm_error_find(e, DM_E_DB_CONNECT));
	dm_error_free(e);

	/* ignore-checking-items: [all] connects to nothing. */
	s.o.ignore_items = all;
	s.o.nignore_items = 1;
	res = run(&s.o, 0);
	summary_is(res, true, 0, 0, 0);
	assert_int_equal(dm_check_result_message(&msg, res), 0);
	assert_int_equal(msg.len, 0);
	dm_check_result_free(res);
	dm_buf_free(&msg);
}

int main(void)
{
#define T(f) cmocka_unit_test_teardown(f, restore_globals)
	const struct CMUnitTest tests[] = {
		T(test_check__configured_upstream_passes_every_item),
		T(test_check__binlog_format_statement_fails),
		T(test_check__binlog_row_image_minimal_fails),
		T(test_check__disabled_binlog_fails),
		T(test_check__missing_grants_fail),
		T(test_check__column_level_select_is_not_enough),
		T(test_check__mariadb_grants_and_roles_pass),
		T(test_check__table_without_keys_fails),
		T(test_check__foreign_key_warns),
		T(test_check__shards_with_other_columns_fail),
		T(test_check__auto_increment_keys_conflict),
		T(test_check__target_names_clashing_by_case),
		T(test_check__downstream_without_privileges_fails),
		T(test_check__limits_cut_the_report),
		T(test_check__unreachable_source_and_all_ignored),
	};
#undef T

	sandbox_require();
	return cmocka_run_group_tests_name("check_precheck", tests, group_setup,
					   group_teardown);
}
