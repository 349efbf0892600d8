/*
 * Test-side access to the servers of tests/sandbox/sandbox; see sandbox.h.
 */
#include "sandbox.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest statement text quoted in an error message. */
#define SANDBOX_SQL_QUOTE_MAX 300

static bool library_ready;

static void library_end(void)
{
	mysql_library_end();
}

void sandbox_require(void)
{
	const char *ci = getenv("CI");
	const char *count = getenv("DM_UPSTREAM_COUNT");

	if (!count || !*count || !getenv("DM_SANDBOX_DIR")) {
		if (ci && *ci) {
			fprintf(stderr,
				"sandbox not running but CI is set: integration tests must not be skipped in CI (run them with: tests/sandbox/sandbox run -- ...)\n");
			exit(1);
		}
		fprintf(stderr,
			"sandbox not running: skipping integration tests (run them with: tests/sandbox/sandbox run -- ...)\n");
		exit(77);
	}
	if (library_ready)
		return;
	if (mysql_library_init(0, NULL, NULL)) {
		fprintf(stderr, "sandbox: mysql_library_init failed\n");
		exit(1);
	}
	library_ready = true;
	atexit(library_end);
}

/* Parses a decimal in [min, max]; false if s is not one. */
static bool parse_unsigned(const char *s, unsigned long min, unsigned long max,
			   unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

unsigned sandbox_upstream_count(void)
{
	unsigned long n;

	if (!parse_unsigned(getenv("DM_UPSTREAM_COUNT"), 0, UINT_MAX, &n))
		return 0;
	return (unsigned)n;
}

static const char *env_field(const char *prefix, const char *field)
{
	char name[64];
	int n = snprintf(name, sizeof(name), "%s_%s", prefix, field);

	if (n < 0 || (size_t)n >= sizeof(name))
		return NULL;
	return getenv(name);
}

static int server_from_env(const char *prefix, sandbox_server *out)
{
	unsigned long port;
	sandbox_server s;

	s.host = env_field(prefix, "HOST");
	s.user = env_field(prefix, "USER");
	s.password = env_field(prefix, "PASSWORD");
	s.socket = env_field(prefix, "SOCKET");
	if (!s.host || !*s.host || !s.user || !*s.user || !s.password ||
	    !parse_unsigned(env_field(prefix, "PORT"), 1, 65535, &port))
		return -1;
	s.port = (unsigned)port;
	if (s.socket && !*s.socket)
		s.socket = NULL;
	*out = s;
	return 0;
}

int sandbox_upstream(unsigned i, sandbox_server *out)
{
	char prefix[32];

	if (i == 0 || i > sandbox_upstream_count())
		return -1;
	snprintf(prefix, sizeof(prefix), "DM_UPSTREAM%u", i);
	return server_from_env(prefix, out);
}

int sandbox_downstream(sandbox_server *out)
{
	return server_from_env("DM_DOWNSTREAM", out);
}

MYSQL *sandbox_connect(const sandbox_server *s, const char *db)
{
	MYSQL *m;
	unsigned timeout = 10;
	unsigned protocol = MYSQL_PROTOCOL_TCP;

	if (!s || !s->host || !s->user) {
		fprintf(stderr, "sandbox_connect: no server given\n");
		return NULL;
	}
	m = mysql_init(NULL);
	if (!m) {
		fprintf(stderr, "sandbox_connect: mysql_init: out of memory\n");
		return NULL;
	}
	mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
	mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (!mysql_real_connect(m, s->host, s->user, s->password, db, s->port,
				NULL, CLIENT_MULTI_STATEMENTS)) {
		fprintf(stderr, "sandbox_connect: %s@%s:%u%s%s: %u %s\n",
			s->user, s->host, s->port, db ? "/" : "", db ? db : "",
			mysql_errno(m), mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

/* Consumes every result of the statement(s) just sent; 0 or errno. */
static int drain_results(MYSQL *m)
{
	int status;

	do {
		MYSQL_RES *res = mysql_store_result(m);

		if (res)
			mysql_free_result(res);
		else if (mysql_field_count(m) != 0)
			return (int)mysql_errno(m);
		status = mysql_next_result(m);
	} while (status == 0);
	return status > 0 ? (int)mysql_errno(m) : 0;
}

static void report(MYSQL *m, const char *what, const char *sql)
{
	size_t n = strlen(sql);

	fprintf(stderr, "%s: %u (%s) %s in: %.*s%s\n", what, mysql_errno(m),
		mysql_sqlstate(m), mysql_error(m),
		(int)(n > SANDBOX_SQL_QUOTE_MAX ? SANDBOX_SQL_QUOTE_MAX : n),
		sql, n > SANDBOX_SQL_QUOTE_MAX ? "..." : "");
}

int sandbox_exec(MYSQL *m, const char *fmt, ...)
{
	va_list ap;
	char *sql;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	sql = malloc((size_t)n + 1);
	if (!sql)
		return -1;
	va_start(ap, fmt);
	vsnprintf(sql, (size_t)n + 1, fmt, ap);
	va_end(ap);

	if (mysql_real_query(m, sql, (unsigned long)n))
		rc = (int)mysql_errno(m);
	else
		rc = drain_results(m);
	if (rc)
		report(m, "sandbox_exec", sql);
	free(sql);
	return rc;
}

char *sandbox_query_value(MYSQL *m, const char *sql, size_t *len)
{
	MYSQL_RES *res;
	MYSQL_ROW row;
	unsigned long *lengths;
	char *value = NULL;
	int status;

	if (len)
		*len = 0;
	if (mysql_real_query(m, sql, (unsigned long)strlen(sql)))
		goto out_report;
	res = mysql_store_result(m);
	if (!res) {
		if (mysql_field_count(m) != 0)
			goto out_report;
		goto out_drain;
	}
	row = mysql_fetch_row(res);
	lengths = row ? mysql_fetch_lengths(res) : NULL;
	if (row && row[0] && lengths) {
		value = malloc(lengths[0] + 1);
		if (value) {
			memcpy(value, row[0], lengths[0]);
			value[lengths[0]] = '\0';
			if (len)
				*len = lengths[0];
		} else {
			fprintf(stderr, "sandbox_query_value: out of memory\n");
		}
	}
	mysql_free_result(res);
out_drain:
	status = mysql_next_result(m);
	if (status > 0 || (status == 0 && drain_results(m) != 0))
		goto out_report;
	return value;
out_report:
	report(m, "sandbox_query_value", sql);
	free(value);
	return NULL;
}
