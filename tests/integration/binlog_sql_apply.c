/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-binlog --format=sql, applied: the SQL it prints for a binlog, run by
 * the mariadb client on the downstream, makes the downstream's tables equal
 * to the upstream's byte for byte. The tables hold text in charsets other
 * than UTF-8 whose bytes a utf8mb4 connection would convert if they were
 * quoted (latin1 bytes that are valid UTF-8, UTF-16 and UCS-2 that look
 * like ASCII, GBK), next to UTF-8 text and binary data; rows are inserted,
 * updated (the WHERE compares every column with its printed value) and
 * deleted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <mysql.h>

#include "sandbox/kit.h"
#include "sandbox/sandbox.h"

#define DB "dmtest_binlog_sql"

static sandbox_server up, down;
static char dir[256];
static char old_metadata[32];

static void test_binlog_sql__applied_output_equals_upstream(void **state)
{
	char file[256], cnf[300], out[300], err[300], log[300], shell[4096];
	unsigned long long pos;
	char *argv[] = { "bash", "-c", shell, NULL };
	pid_t pid;

	(void)state;
	EXEC(kit_up, "FLUSH BINARY LOGS");
	master_pos(file, sizeof(file), &pos);
	EXEC(kit_up, "CREATE DATABASE " DB);
	EXEC(kit_up, "CREATE TABLE " DB ".t (id INT PRIMARY KEY, "
		     "l1 VARCHAR(20) CHARACTER SET latin1, "
		     "u8 VARCHAR(20) CHARACTER SET utf8mb4, "
		     "u3 VARCHAR(20) CHARACTER SET utf8mb3, "
		     "u16 VARCHAR(20) CHARACTER SET utf16, "
		     "gb VARCHAR(20) CHARACTER SET gbk, "
		     "uc CHAR(5) CHARACTER SET ucs2, "
		     "tx TEXT CHARACTER SET latin1, "
		     "bi VARBINARY(20))");
	/* Values as bytes: latin1 C3 A9 is "Ã©" (valid UTF-8 for "é"),
	 * UTF-16 4E 2D is U+4E2D (the bytes of "N-"), GBK D6 D0 is U+4E2D. */
	EXEC(kit_up, "INSERT INTO " DB ".t VALUES "
		     "(1, X'C3A9', 'Zo\xc3\xab \xf0\x9f\x90\xac', "
		     "'\xc3\xa9', X'4E2D', X'D6D0', X'00410042', "
		     "X'E9272C5C0A', X'00FF27'), "
		     "(2, 'plain', 'plain', 'plain', 'plain', 'plain', "
		     "'ab', 'plain', 'plain'), "
		     "(3, X'E9', '', NULL, X'D83DDC2C', X'B0A1', X'00E9', "
		     "X'00', X''), "
		     "(4, 'x', 'x', 'x', 'x', 'x', 'x', 'x', X'78')");
	EXEC(kit_up, "UPDATE " DB ".t SET l1 = X'C3A9C3A9', u16 = X'4E2D4E2D',"
		     " gb = CONCAT(gb, X'D6D0') WHERE id IN (1, 3)");
	EXEC(kit_up, "UPDATE " DB ".t SET id = 5, uc = X'00E900E9' "
		     "WHERE id = 2");
	EXEC(kit_up, "DELETE FROM " DB ".t WHERE id = 4");
	EXEC(kit_up, "FLUSH BINARY LOGS");

	/* The client reads the password from a file of mode 0600. */
	snprintf(cnf, sizeof(cnf), "%s/client.cnf", dir);
	assert_int_equal(write_file(cnf, "[client]\nhost=%s\nport=%u\n"
				    "user=%s\npassword=%s\n", down.host,
				    down.port, down.user, down.password), 0);
	assert_int_equal(chmod(cnf, 0600), 0);
	snprintf(out, sizeof(out), "%s/apply.sql", dir);
	snprintf(err, sizeof(err), "%s/apply.err", dir);
	snprintf(shell, sizeof(shell),
		 "set -o pipefail; '%s' --format=sql --start-position=%llu "
		 "'%s/u1/data/%s' > '%s' && mariadb "
		 "--defaults-extra-file='%s' --binary-mode "
		 "--default-character-set=utf8mb4 < '%s' 2> '%s'",
		 dm_binlog_path(), pos, getenv("DM_SANDBOX_DIR"), file, out,
		 cnf, out, err);
	snprintf(log, sizeof(log), "%s/apply.log", dir);
	pid = spawn(argv, log);
	if (wait_child(pid) != 0) {
		show_file("dm-binlog", log);
		show_file("the SQL", out);
		show_file("the client's errors", err);
		fail_msg("dm-binlog --format=sql | mariadb failed");
	}
	if (compare_db(DB) != 0) {
		show_file("the SQL", out);
		fail_msg("the downstream differs from the upstream");
	}
	assert_int_equal(value_ll(kit_down, "SELECT COUNT(*) FROM " DB ".t"),
			 3);
}

static int setup(void **state)
{
	char *v;

	(void)state;
	sandbox_require();
	if (sandbox_upstream(1, &up) != 0 || sandbox_downstream(&down) != 0)
		return -1;
	kit_up = sandbox_connect(&up, NULL);
	kit_down = sandbox_connect(&down, NULL);
	if (!kit_up || !kit_down)
		return -1;
	snprintf(dir, sizeof(dir), "%s/binlog-sql-XXXXXX",
		 getenv("DM_SANDBOX_DIR"));
	if (!mkdtemp(dir))
		return -1;
	kit_dir = dir;
	kit_hang_guard_s = 120;
	/* Column names and charsets in the binlog, as --format=sql needs. */
	v = sandbox_query_value(kit_up, "SELECT @@GLOBAL.binlog_row_metadata",
				NULL);
	snprintf(old_metadata, sizeof(old_metadata), "%s",
		 v ? v : "NO_LOG");
	free(v);
	if (sandbox_exec(kit_up, "SET GLOBAL binlog_row_metadata = FULL") ||
	    sandbox_exec(kit_up, "DROP DATABASE IF EXISTS " DB) ||
	    sandbox_exec(kit_down, "DROP DATABASE IF EXISTS " DB))
		return -1;
	/* A new session sees the global value. */
	mysql_close(kit_up);
	kit_up = sandbox_connect(&up, NULL);
	if (!kit_up || sandbox_exec(kit_up, "SET time_zone = '+00:00'") ||
	    sandbox_exec(kit_down, "SET time_zone = '+00:00'"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	children_kill();
	if (kit_up) {
		sandbox_exec(kit_up, "DROP DATABASE IF EXISTS " DB);
		sandbox_exec(kit_up, "SET GLOBAL binlog_row_metadata = %s",
			     old_metadata);
		mysql_close(kit_up);
	}
	if (kit_down) {
		sandbox_exec(kit_down, "DROP DATABASE IF EXISTS " DB);
		mysql_close(kit_down);
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_binlog_sql__applied_output_equals_upstream),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
