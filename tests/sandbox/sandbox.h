/*
 * Test-side access to the servers of tests/sandbox/sandbox.
 *
 * Integration tests run under `tests/sandbox/sandbox run -- TEST`, which
 * exports DM_UPSTREAM<i>_* and DM_DOWNSTREAM_* (see tests/sandbox/README.md).
 * These helpers read them and talk to the servers with libmariadb directly:
 * an independent check path, never the library under test.
 *
 * Threads: call sandbox_require() first, before any thread starts (it runs
 * mysql_library_init(), which is not thread-safe). A MYSQL handle is used by
 * one thread at a time.
 */
#ifndef LIBDM_TESTS_SANDBOX_H
#define LIBDM_TESTS_SANDBOX_H

#include <stddef.h>

#include <mysql.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One server. The strings are borrowed from the environment (getenv) and
 * stay valid as long as the process does not change those variables.
 * socket is NULL when the sandbox did not export one.
 */
typedef struct sandbox_server {
	const char *host;
	unsigned port;
	const char *user;
	const char *password;
	const char *socket;
} sandbox_server;

/*
 * Ends the process unless a sandbox is running: exit(1) with a message when
 * the environment variable CI is set and non-empty (integration tests must
 * fail, never skip, in CI), exit(77) ("skipped") otherwise. Then calls
 * mysql_library_init() once and registers mysql_library_end() with atexit().
 */
void sandbox_require(void);

/* Number of upstream servers (DM_UPSTREAM_COUNT); 0 when not set. */
unsigned sandbox_upstream_count(void);

/* Fills *out with upstream i (1-based). 0 on success, -1 if not exported. */
int sandbox_upstream(unsigned i, sandbox_server *out);

/* Fills *out with the downstream. 0 on success, -1 if not exported. */
int sandbox_downstream(sandbox_server *out);

/*
 * Connects over TCP as s->user with s->password, utf8mb4, multi-statements
 * on; db may be NULL. Returns a handle to close with mysql_close(), or NULL
 * after printing the reason (never the password) to stderr.
 */
MYSQL *sandbox_connect(const sandbox_server *s, const char *db);

/*
 * Formats one or more ';'-separated statements printf-style, runs them and
 * discards any result sets. Returns 0, the server's (or client's) errno of
 * the first failing statement after printing it to stderr, or -1 when out
 * of memory.
 */
int sandbox_exec(MYSQL *m, const char *fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/*
 * Runs sql and returns the first column of the first row as a malloc'd,
 * NUL-terminated copy (free() it); its length without the NUL goes to *len
 * when len is not NULL. Returns NULL for SQL NULL, for no rows, and on
 * error; mysql_errno(m) is non-zero only in the last case.
 */
char *sandbox_query_value(MYSQL *m, const char *sql, size_t *len);

#ifdef __cplusplus
}
#endif

#endif /* LIBDM_TESTS_SANDBOX_H */
