/* SPDX-License-Identifier: Apache-2.0 */
/*
 * source.yaml: one upstream server. Keys, defaults and checks follow DM's
 * SourceConfig (dm/config/source_config.go) and its documentation.
 */
#include "cfg/cfg_private.h"

#include <stdint.h>
#include <string.h>

#define NO DM__CFG_NO_OFF
#define SRC(m) offsetof(dm_cfg_source, m)

#define SECOND 1000000000ll
#define MINUTE (60 * SECOND)
/* DM's limit on source IDs. */
#define MAX_SOURCE_ID 32

/* ---------------------------------------------------------------- schema */

static int purge_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_purge *p = rec;

	(void)c;
	p->interval = 3600;
	p->expires = 0;
	p->remain_space = 15;
	return 0;
}

static const dm__cfg_field purge_fields[] = {
	{ "interval", DM__CFG_I64, 0, offsetof(dm_cfg_purge, interval), NO,
	  INT64_MIN, INT64_MAX, NULL },
	{ "expires", DM__CFG_I64, 0, offsetof(dm_cfg_purge, expires), NO,
	  INT64_MIN, INT64_MAX, NULL },
	{ "remain-space", DM__CFG_I64, 0, offsetof(dm_cfg_purge, remain_space),
	  NO, INT64_MIN, INT64_MAX, NULL },
};

static const dm__cfg_schema purge_schema = {
	"relay purge settings", sizeof(dm_cfg_purge), purge_init, purge_fields,
	sizeof(purge_fields) / sizeof(purge_fields[0]), NO, NO,
};

static int checker_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_checker *k = rec;

	(void)c;
	k->check_enable = true;
	k->backoff_rollback_ns = 5 * MINUTE;
	k->backoff_max_ns = 5 * MINUTE;
	k->check_interval_ns = 5 * SECOND;
	k->backoff_min_ns = SECOND;
	k->backoff_jitter = true;
	k->backoff_factor = 2;
	return 0;
}

static const dm__cfg_field checker_fields[] = {
	{ "check-enable", DM__CFG_BOOL, 0, offsetof(dm_cfg_checker, check_enable),
	  NO, 0, 0, NULL },
	{ "backoff-rollback", DM__CFG_DUR, 0,
	  offsetof(dm_cfg_checker, backoff_rollback_ns), NO, 0, 0, NULL },
	{ "backoff-max", DM__CFG_DUR, 0, offsetof(dm_cfg_checker, backoff_max_ns),
	  NO, 0, 0, NULL },
	/* DM resets these four to fixed values after reading them. */
	{ "check-interval", DM__CFG_DUR, DM__CFG_NOPRINT,
	  offsetof(dm_cfg_checker, check_interval_ns), NO, 0, 0, NULL },
	{ "backoff-min", DM__CFG_DUR, DM__CFG_NOPRINT,
	  offsetof(dm_cfg_checker, backoff_min_ns), NO, 0, 0, NULL },
	{ "backoff-jitter", DM__CFG_BOOL, DM__CFG_NOPRINT,
	  offsetof(dm_cfg_checker, backoff_jitter), NO, 0, 0, NULL },
	{ "backoff-factor", DM__CFG_FLOAT, DM__CFG_NOPRINT,
	  offsetof(dm_cfg_checker, backoff_factor), NO, 0, 0, NULL },
};

static const dm__cfg_schema checker_schema = {
	"task checker settings", sizeof(dm_cfg_checker), checker_init,
	checker_fields, sizeof(checker_fields) / sizeof(checker_fields[0]),
	NO, NO,
};

static const dm__cfg_enum flavor_names[] = {
	{ "", DM_CFG_FLAVOR_AUTO },
	{ "mysql", DM_CFG_FLAVOR_MYSQL },
	{ "mariadb", DM_CFG_FLAVOR_MARIADB },
	{ NULL, 0 },
};

static int source_init(dm__cfg_ctx *c, void *rec)
{
	dm_cfg_source *s = rec;

	s->relay_dir = "relay-dir";
	s->from = dm__cfg_new_rec(c, &dm__cfg_db_schema);
	s->purge = dm__cfg_new_rec(c, &purge_schema);
	s->checker = dm__cfg_new_rec(c, &checker_schema);
	return s->from && s->purge && s->checker ? 0 : DM_E_NO_MEMORY;
}

static const dm__cfg_field source_fields[] = {
	{ "source-id", DM__CFG_STR, 0, SRC(source_id), NO, 0, 0, NULL },
	{ "flavor", DM__CFG_ENUM, 0, SRC(flavor), NO, 0, 0, flavor_names },
	{ "enable-gtid", DM__CFG_BOOL, 0, SRC(enable_gtid), NO, 0, 0, NULL },
	{ "auto-fix-gtid", DM__CFG_BOOL, DM__CFG_SKIP_EMPTY, SRC(auto_fix_gtid),
	  NO, 0, 0, NULL },
	{ "enable-relay", DM__CFG_BOOL, 0, SRC(enable_relay), NO, 0, 0, NULL },
	{ "relay-binlog-name", DM__CFG_STR, 0, SRC(relay_binlog_name), NO, 0, 0,
	  NULL },
	{ "relay-binlog-gtid", DM__CFG_STR, 0, SRC(relay_binlog_gtid), NO, 0, 0,
	  NULL },
	{ "relay-dir", DM__CFG_STR, 0, SRC(relay_dir), NO, 0, 0, NULL },
	{ "meta-dir", DM__CFG_STR, DM__CFG_SKIP_EMPTY, SRC(meta_dir), NO, 0, 0,
	  NULL },
	{ "charset", DM__CFG_STR, DM__CFG_SKIP_EMPTY, SRC(charset), NO, 0, 0,
	  NULL },
	{ "server-id", DM__CFG_U32, 0, SRC(server_id), NO, 0, 0, NULL },
	{ "from", DM__CFG_STRUCT, 0, SRC(from), NO, 0, 0, &dm__cfg_db_schema },
	{ "purge", DM__CFG_STRUCT, 0, SRC(purge), NO, 0, 0, &purge_schema },
	{ "checker", DM__CFG_STRUCT, 0, SRC(checker), NO, 0, 0, &checker_schema },
	{ "case-sensitive", DM__CFG_BOOL, 0, SRC(case_sensitive), NO, 0, 0, NULL },
	{ "filters", DM__CFG_SEQ, DM__CFG_SKIP_EMPTY, SRC(filters), SRC(n_filters),
	  0, 0, &dm__cfg_filter_schema },
	/* Deprecated tracing settings: accepted and dropped, as DM does. */
	{ "tracer", DM__CFG_ANY, DM__CFG_NOPRINT, SRC(mem_), NO, 0, 0, NULL },
};

static const dm__cfg_schema source_schema = {
	"source configuration", sizeof(dm_cfg_source), source_init,
	source_fields, sizeof(source_fields) / sizeof(source_fields[0]), NO, NO,
};

/* ------------------------------------------------------------ validation */

static int check_source(dm__cfg_ctx *c, dm_cfg_source *s)
{
	const dm__cfg_where *w;
	dm_cfg_checker *k = (dm_cfg_checker *)s->checker;
	size_t i;
	int rc;

	if (!*s->source_id)
		return dm__cfg_err_val(c, DM_E_WORKER_NEED_SOURCE_ID,
				       &s->source_id, s,
				       "source-id must be set");
	if (strlen(s->source_id) > MAX_SOURCE_ID)
		return dm__cfg_err_val(c, DM_E_WORKER_TOO_LONG_SOURCE_ID,
				       &s->source_id, s,
				       "source-id \"%s\" is longer than %d characters",
				       s->source_id, MAX_SOURCE_ID);
	if (*s->relay_binlog_name && !dm__cfg_binlog_name_ok(s->relay_binlog_name))
		return dm__cfg_err_val(c, DM_E_WORKER_RELAY_BINLOG_NAME,
				       &s->relay_binlog_name, s,
				       "relay-binlog-name \"%s\" is not a binlog file name such as mysql-bin.000001",
				       s->relay_binlog_name);
	w = dm__cfg_where_field(c, &s->flavor);
	if (w && w->bad)
		return dm__cfg_err_val(c, DM_E_NOT_SUPPORTED_FLAVOR, &s->flavor, s,
				       "flavor \"%s\" is not supported; use mysql or mariadb, or leave it empty",
				       w->bad);
	/* DM fixes these whatever the file says. */
	k->check_interval_ns = 5 * SECOND;
	k->backoff_min_ns = SECOND;
	k->backoff_jitter = true;
	k->backoff_factor = 2;
	if (k->backoff_max_ns < k->backoff_min_ns)
		return dm__cfg_err_val(c, DM_E_CONFIG_CHECKER_MAX_TOO_SMALL,
				       &k->backoff_max_ns, k,
				       "checker backoff-max must be at least 1s, the backoff-min DM uses");
	for (i = 0; i < s->n_filters; i++) {
		if (!s->filters[i])
			return dm__cfg_err_val(c, DM_E_CONFIG_BINLOG_EVENT_FILTER,
					       &s->filters[i], s,
					       "filters entry %zu is empty", i + 1);
		if ((rc = dm__cfg_check_filter(c, s->filters[i])))
			return rc;
	}
	return dm__cfg_check_filter_set(c, s->filters, s->n_filters,
					s->case_sensitive, NULL);
}

static int check_source_rec(dm__cfg_ctx *c, void *rec)
{
	return check_source(c, rec);
}

/* ------------------------------------------------------------------- API */

int dm_cfg_source_parse(dm_cfg_source **out, const char *text, size_t len,
			const char *file_name, dm_error **err)
{
	static const dm__cfg_root root = {
		&source_schema, offsetof(dm_cfg_source, mem_),
		offsetof(dm_cfg_source, file), check_source_rec
	};

	return dm__cfg_parse_root((void **)out, &root, text, len, file_name,
				  err);
}

void dm_cfg_source_free(dm_cfg_source *cfg)
{
	if (cfg)
		dm__cfg_mem_free(cfg->mem_);
}

int dm_cfg_source_print(dm_buf *out, const dm_cfg_source *cfg)
{
	return dm__cfg_print_root(out, &source_schema, cfg);
}

static const char sample[] =
	"# Source configuration (DM source.yaml): one upstream MySQL or\n"
	"# MariaDB server. Every key is described in dm-source.yaml(5); keys\n"
	"# left out keep the value shown here.\n"
	"\n"
	"# Names this source in task files (mysql-instances[].source-id),\n"
	"# at most 32 characters.\n"
	"source-id: \"mysql-replica-01\"\n"
	"\n"
	"# \"mysql\" or \"mariadb\"; empty asks the server.\n"
	"flavor: \"\"\n"
	"\n"
	"# Follow the binlog by GTID instead of by file and position.\n"
	"enable-gtid: false\n"
	"\n"
	"# Relay log: where the copy of the upstream binlog is kept and where\n"
	"# it starts (empty: where the tasks need it).\n"
	"enable-relay: false\n"
	"relay-binlog-name: \"\"\n"
	"relay-binlog-gtid: \"\"\n"
	"relay-dir: \"relay-dir\"\n"
	"\n"
	"# Server ID used to read the binlog; 0 picks an unused one.\n"
	"server-id: 0\n"
	"\n"
	"from:\n"
	"  host: \"127.0.0.1\"\n"
	"  port: 3306\n"
	"  user: \"root\"\n"
	"  # Plain text, or the output of dmctl encrypt.\n"
	"  password: \"\"\n"
	"  # security:\n"
	"  #   ssl-ca: \"/path/to/ca.pem\"\n"
	"  #   ssl-cert: \"/path/to/cert.pem\"\n"
	"  #   ssl-key: \"/path/to/key.pem\"\n"
	"\n"
	"# Relay log clean-up: look every `interval` seconds; remove files\n"
	"# older than `expires` hours, or when less than `remain-space` GB\n"
	"# are free.\n"
	"purge:\n"
	"  interval: 3600\n"
	"  expires: 0\n"
	"  remain-space: 15\n"
	"\n"
	"# Automatic resume of paused tasks, with exponential back-off.\n"
	"checker:\n"
	"  check-enable: true\n"
	"  backoff-rollback: \"5m0s\"\n"
	"  backoff-max: \"5m0s\"\n"
	"\n"
	"# Binlog event filters applied to every task of this source.\n"
	"case-sensitive: false\n"
	"# filters:\n"
	"#   - schema-pattern: \"test_*\"\n"
	"#     table-pattern: \"t_*\"\n"
	"#     events: [\"truncate table\", \"drop table\"]\n"
	"#     action: Ignore\n";

int dm_cfg_source_sample(dm_buf *out)
{
	if (!out)
		return DM_E_INVALID_ARGUMENT;
	return dm_buf_append(out, sample, sizeof(sample) - 1);
}
