/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dm-run binary's --check-only against the sandbox: a source.yaml and
 * a task.yaml for the sandbox servers are written to a temporary
 * directory, the tool runs on them, and its exit status and check-task
 * JSON are asserted: a correct setup passes; one wrong thing at a time
 * (a table without keys in the selected schema, binlog_format changed to
 * STATEMENT with SET GLOBAL and restored afterwards) fails the right item.
 * Passwords go only into the configuration files, never onto the command
 * line, and must not appear in anything dm-run prints.
 *
 * dm-run is found in $DM_BUILD_DIR/bin (default build/release/bin).
 * Run: tests/sandbox/sandbox run -- build/release/tests/integ-dmrun_check
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dm/crypt.h"
#include "dm/util.h"
#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

#define DB "dmtest_dmrun_check"

static sandbox_server up, down;
static MYSQL *um; /* independent connection to the upstream */
static char *orig_format;
static char dir[256], source_path[300], task_path[300];
static char out_path[300], err_path[300];

/* Runs dm-run --source SOURCE --check-only TASK with stdout and stderr
 * into files; its exit status. */
static int run_check(char **out, char **err)
{
	char *argv[] = { (char *)dm_run_path(), "--source", source_path,
			 "--check-only", task_path, "--log-level", "none",
			 NULL };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	*out = slurp(out_path);
	*err = slurp(err_path);
	assert_non_null(*out);
	assert_non_null(*err);
	/* Nothing dm-run prints carries a password. */
	if (*up.password) {
		assert_null(strstr(*out, up.password));
		assert_null(strstr(*err, up.password));
	}
	if (*down.password) {
		assert_null(strstr(*out, down.password));
		assert_null(strstr(*err, down.password));
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* The JSON object of the reported item whose "name" contains `name`: it
 * must say `state`. */
static void item_state_is(const char *json, const char *name,
			  const char *state)
{
	char want[128];
	const char *p = json, *end;

	while ((p = strstr(p, "\"name\": \"")) != NULL) {
		p += 9;
		end = strchr(p, '"');
		assert_non_null(end);
		if ((size_t)(end - p) >= strlen(name) &&
		    memmem(p, (size_t)(end - p), name, strlen(name))) {
			const char *next = strstr(end, "\"name\": \"");
			const char *st = strstr(end, "\"state\": \"");

			assert_non_null(st);
			assert_true(!next || st < next);
			snprintf(want, sizeof(want), "\"state\": \"%s\"", state);
			assert_memory_equal(st, want, strlen(want));
			return;
		}
	}
	fail_msg("no reported item named like %s in:\n%s", name, json);
}

static int group_setup(void **state)
{
	dm_buf enc = DM_BUF_INIT;
	int rc;

	(void)state;
	if (sandbox_upstream(1, &up) != 0 || sandbox_downstream(&down) != 0)
		return -1;
	um = sandbox_connect(&up, NULL);
	if (!um)
		return -1;
	orig_format = sandbox_query_value(um, "SELECT @@GLOBAL.binlog_format",
					  NULL);
	if (!orig_format)
		return -1;
	snprintf(dir, sizeof(dir), "%s/dmrun-check.XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") :
							  "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(source_path, sizeof(source_path), "%s/source.yaml", dir);
	snprintf(task_path, sizeof(task_path), "%s/task.yaml", dir);
	snprintf(out_path, sizeof(out_path), "%s/out", dir);
	snprintf(err_path, sizeof(err_path), "%s/err", dir);
	/* The source password as DM users write it, encrypted (dmctl
	 * --encrypt); the target's in plain text. Both forms must work. */
	if (dm_crypt_encrypt(&enc, up.password, strlen(up.password), NULL,
			     NULL) != 0)
		return -1;
	rc = write_file(source_path,
		       "source-id: \"dmtest-dmrun-1\"\n"
		       "flavor: \"mariadb\"\n"
		       "enable-gtid: true\n"
		       "from:\n"
		       "  host: \"%s\"\n"
		       "  port: %u\n"
		       "  user: \"%s\"\n"
		       "  password: \"%s\"\n",
		       up.host, up.port, up.user, enc.data);
	dm_buf_free(&enc);
	if (rc || write_file(task_path,
		       "name: \"dmtest_dmrun_task\"\n"
		       "task-mode: all\n"
		       "meta-schema: \"dmtest_dmrun_meta\"\n"
		       "target-database:\n"
		       "  host: \"%s\"\n"
		       "  port: %u\n"
		       "  user: \"%s\"\n"
		       "  password: \"%s\"\n"
		       "block-allow-list:\n"
		       "  ba:\n"
		       "    do-dbs: [\"" DB "\"]\n"
		       "mysql-instances:\n"
		       "  - source-id: \"dmtest-dmrun-1\"\n"
		       "    block-allow-list: \"ba\"\n",
		       down.host, down.port, down.user, down.password))
		return -1;
	/* Nothing of this test goes into the upstream's binlog. */
	return sandbox_exec(um, "SET SESSION sql_log_bin = 0; "
				"DROP DATABASE IF EXISTS " DB "; "
				"CREATE DATABASE " DB "; "
				"CREATE TABLE " DB ".t1 (id INT PRIMARY KEY, "
				"v VARCHAR(20))");
}

static int group_teardown(void **state)
{
	(void)state;
	sandbox_exec(um, "DROP DATABASE IF EXISTS " DB);
	mysql_close(um);
	free(orig_format);
	unlink(source_path);
	unlink(task_path);
	unlink(out_path);
	unlink(err_path);
	rmdir(dir);
	return 0;
}

/* After every test: the sandbox as the group set it up. */
static int restore(void **state)
{
	(void)state;
	return sandbox_exec(um, "SET GLOBAL binlog_format = '%s'; "
				"DROP TABLE IF EXISTS " DB ".nokey",
			    orig_format) ?
		       -1 :
		       0;
}

static void test_dmrun_check__correct_setup_passes(void **state)
{
	char *out = NULL, *err = NULL;
	int st;

	(void)state;
	st = run_check(&out, &err);
	if (st != 0)
		fail_msg("dm-run exited %d:\n%s%s", st, out, err);
	assert_non_null(strstr(out, "\"passed\": true"));
	assert_non_null(strstr(out, "\"failed\": 0"));
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void test_dmrun_check__table_without_keys_fails(void **state)
{
	char *out = NULL, *err = NULL;

	(void)state;
	assert_int_equal(sandbox_exec(um, "CREATE TABLE " DB ".nokey "
					  "(a INT, b INT)"),
			 0);
	assert_int_not_equal(run_check(&out, &err), 0);
	assert_non_null(strstr(out, "\"passed\": false"));
	item_state_is(out, "table structure", "fail");
	assert_non_null(strstr(out, "nokey"));
	free(out);
	free(err);
}

static void test_dmrun_check__statement_binlog_format_fails(void **state)
{
	char *out = NULL, *err = NULL;

	(void)state;
	assert_int_equal(sandbox_exec(um,
				      "SET GLOBAL binlog_format = 'STATEMENT'"),
			 0);
	assert_int_not_equal(run_check(&out, &err), 0);
	assert_non_null(strstr(out, "\"passed\": false"));
	item_state_is(out, "binlog_format", "fail");
	assert_non_null(strstr(out, "STATEMENT"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_dmrun_check__correct_setup_passes,
					  restore),
		cmocka_unit_test_teardown(
			test_dmrun_check__table_without_keys_fails, restore),
		cmocka_unit_test_teardown(
			test_dmrun_check__statement_binlog_format_fails,
			restore),
	};

	sandbox_require();
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
