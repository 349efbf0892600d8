/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dm-run: one DM task in one process: it loads and checks the
 * configuration, runs DM's precheck, or replicates:
 *
 *   dm-run [--source SOURCE.yaml]... --print-config [TASK.yaml]
 *   dm-run --source SOURCE.yaml... --check-only [--error N] [--warn N] TASK.yaml
 *   dm-run --print-sample-config task|source
 *   dm-run --source SOURCE.yaml... [--until-caught-up] [--stop-at POS]
 *          [--remove-meta] [--status-addr HOST:PORT] TASK.yaml
 *
 * See dm-run(1), dm_cfg(3), dm_rules_cfg(3) and dm_check(3).
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "dm_run.h"

typedef enum run_mode {
	MODE_NONE = 0,
	MODE_PRINT_CONFIG,
	MODE_PRINT_SAMPLE,
	MODE_CHECK_ONLY,
	MODE_RUN
} run_mode;

typedef struct options {
	run_mode mode;
	const char **sources;       /* --source files, in order */
	size_t nsources;
	const char *task;           /* the positional TASK.yaml */
	const char *sample;         /* "task" or "source" */
	long error_limit;
	long warn_limit;
	bool limits_given;
	dm_log_level log_level;
	const char *log_file;
	run_sync_opts sync;
	bool sync_given;            /* an option only a run takes */
} options;

/* ---------------------------------------------------------------- logging */

static dm_log_file *log_out;
static dm_log_level log_level = DM_LOG_WARN;

/* The library's records, filtered by --log-level, as DM-style lines. */
static void tool_log(const dm_log_record *rec, void *userdata)
{
	(void)userdata;
	if (!log_out || rec->level > log_level || rec->level == DM_LOG_OFF)
		return;
	dm_log_file_write(rec, log_out);
}

static void log_at(dm_log_level level, int line, const char *message,
		   const dm_log_field *f, size_t n)
{
	dm_log_record rec;
	struct timeval tv;

	gettimeofday(&tv, NULL);
	memset(&rec, 0, sizeof(rec));
	rec.version = 1;
	rec.level = level;
	rec.time_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
	rec.file = "main.c";
	rec.line = line;
	rec.message = message;
	rec.fields = f;
	rec.nfields = n;
	tool_log(&rec, NULL);
}

void run_log(dm_log_level level, const char *message, const dm_log_field *f,
	     size_t n)
{
	log_at(level, __LINE__, message, f, n);
}

/* ------------------------------------------------------------------ usage */

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: " PROG " [--source SOURCE.yaml]... --print-config "
		"[TASK.yaml]\n"
		"       " PROG " --source SOURCE.yaml [--source SOURCE.yaml]... "
		"--check-only\n"
		"              [--error N] [--warn N] TASK.yaml\n"
		"       " PROG " --print-sample-config task|source\n"
		"       " PROG " --source SOURCE.yaml [--source SOURCE.yaml]... "
		"[--until-caught-up]\n"
		"              [--stop-at FILE:POS|GTID-SET] [--remove-meta]\n"
		"              [--status-addr HOST:PORT] TASK.yaml\n"
		"       " PROG " --help | --version\n"
		"options: [--log-level LEVEL] [--log-file FILE]\n");
}

static int usage_error(const char *fmt, ...) DM_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	return EXIT_USAGE;
}

int run_report(const dm_error *e)
{
	dm_buf b = DM_BUF_INIT;

	if (dm_cfg_error_format(&b, e) != 0 || !b.data)
		fprintf(stderr, PROG ": out of memory\n");
	else
		fprintf(stderr, PROG ": %s\n", b.data);
	dm_buf_free(&b);
	return EXIT_FAIL;
}

/* ---------------------------------------------------------- arguments */

enum {
	OPT_SOURCE = 256,
	OPT_PRINT_CONFIG,
	OPT_PRINT_SAMPLE,
	OPT_CHECK_ONLY,
	OPT_ERROR,
	OPT_WARN,
	OPT_LOG_LEVEL,
	OPT_LOG_FILE,
	OPT_HELP,
	OPT_VERSION,
	OPT_UNTIL_CAUGHT_UP,
	OPT_STOP_AT,
	OPT_REMOVE_META,
	OPT_STATUS_ADDR,
};

static const struct option long_options[] = {
	{ "source", required_argument, NULL, OPT_SOURCE },
	{ "print-config", no_argument, NULL, OPT_PRINT_CONFIG },
	{ "print-sample-config", required_argument, NULL, OPT_PRINT_SAMPLE },
	{ "check-only", no_argument, NULL, OPT_CHECK_ONLY },
	{ "error", required_argument, NULL, OPT_ERROR },
	{ "warn", required_argument, NULL, OPT_WARN },
	{ "log-level", required_argument, NULL, OPT_LOG_LEVEL },
	{ "log-file", required_argument, NULL, OPT_LOG_FILE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "until-caught-up", no_argument, NULL, OPT_UNTIL_CAUGHT_UP },
	{ "stop-at", required_argument, NULL, OPT_STOP_AT },
	{ "remove-meta", no_argument, NULL, OPT_REMOVE_META },
	{ "status-addr", required_argument, NULL, OPT_STATUS_ADDR },
	{ NULL, 0, NULL, 0 },
};

static const char *const mode_flag[] = {
	"", "--print-config", "--print-sample-config", "--check-only", ""
};

/* A limit of --error / --warn: a number >= 0. */
static bool parse_limit(long *out, const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0)
		return false;
	*out = v;
	return true;
}

static int set_mode(options *o, run_mode mode)
{
	if (o->mode != MODE_NONE && o->mode != mode)
		return usage_error("%s and %s exclude each other",
				   mode_flag[o->mode], mode_flag[mode]);
	o->mode = mode;
	return 0;
}

/* 0, an exit status, or -1 after --help / --version. */
static int parse_args(options *o, int argc, char **argv)
{
	dm_error *err = NULL;
	void *grown;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", long_options, NULL)) != -1) {
		const char *arg = optarg;

		switch (c) {
		case OPT_SOURCE:
			grown = realloc(o->sources,
					(o->nsources + 1) * sizeof(*o->sources));
			if (!grown) {
				fprintf(stderr, PROG ": out of memory\n");
				return EXIT_FAIL;
			}
			o->sources = grown;
			o->sources[o->nsources++] = arg;
			break;
		case OPT_PRINT_CONFIG:
		case OPT_CHECK_ONLY:
			rc = set_mode(o, c == OPT_PRINT_CONFIG ? MODE_PRINT_CONFIG
							       : MODE_CHECK_ONLY);
			if (rc)
				return rc;
			break;
		case OPT_PRINT_SAMPLE:
			rc = set_mode(o, MODE_PRINT_SAMPLE);
			if (rc)
				return rc;
			if (strcmp(arg, "task") != 0 && strcmp(arg, "source") != 0)
				return usage_error("--print-sample-config wants task "
						   "or source, not \"%s\"",
						   arg);
			o->sample = arg;
			break;
		case OPT_ERROR:
		case OPT_WARN:
			if (!parse_limit(c == OPT_ERROR ? &o->error_limit
							: &o->warn_limit,
					 arg))
				return usage_error("%s wants a number of 0 or more, "
						   "not \"%s\"",
						   c == OPT_ERROR ? "--error"
								  : "--warn",
						   arg);
			o->limits_given = true;
			break;
		case OPT_LOG_LEVEL:
			if (dm_log_level_parse(&o->log_level, arg, &err) != 0) {
				dm_error_free(err);
				return usage_error("--log-level wants debug, info, "
						   "warn, error or none, not \"%s\"",
						   arg);
			}
			break;
		case OPT_LOG_FILE:
			o->log_file = arg;
			break;
		case OPT_UNTIL_CAUGHT_UP:
			o->sync.until_caught_up = true;
			o->sync_given = true;
			break;
		case OPT_STOP_AT:
			if (!*arg)
				return usage_error("--stop-at wants FILE:POS or "
						   "a GTID set");
			o->sync.stop_at = arg;
			o->sync_given = true;
			break;
		case OPT_REMOVE_META:
			o->sync.remove_meta = true;
			o->sync_given = true;
			break;
		case OPT_STATUS_ADDR:
			if (!run_http_addr_valid(arg))
				return usage_error("--status-addr wants HOST:PORT "
						   "(e.g. 127.0.0.1:8262), not "
						   "\"%s\"", arg);
			o->sync.status_addr = arg;
			o->sync_given = true;
			break;
		case OPT_HELP:
			usage(stdout);
			return -1;
		case OPT_VERSION:
			printf(PROG " (libdm) %s\n", dm_version_string());
			return -1;
		case ':':
			return usage_error("%s needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		o->task = argv[optind++];
	if (optind < argc)
		return usage_error("one task file at most; extra \"%s\"",
				   argv[optind]);
	if (o->mode == MODE_NONE && o->task && o->nsources)
		o->mode = MODE_RUN;
	if (o->sync_given && o->mode != MODE_RUN)
		return usage_error("--until-caught-up, --stop-at, "
				   "--remove-meta and --status-addr go with a "
				   "run (a task file and its --source files)");
	switch (o->mode) {
	case MODE_NONE:
		return usage_error("say what to do: give a task file and its "
				   "--source files to run it, or --print-config, "
				   "--check-only or --print-sample-config");
	case MODE_RUN:
		break;
	case MODE_PRINT_SAMPLE:
		if (o->task || o->nsources)
			return usage_error("--print-sample-config takes no "
					   "configuration files");
		break;
	case MODE_PRINT_CONFIG:
		if (!o->task && !o->nsources)
			return usage_error("--print-config needs a task file, "
					   "a --source file, or both");
		break;
	case MODE_CHECK_ONLY:
		if (!o->task || !o->nsources)
			return usage_error("--check-only needs a task file and "
					   "the --source file of each of its "
					   "sources");
		break;
	}
	if (o->limits_given && o->mode != MODE_CHECK_ONLY)
		return usage_error("--error and --warn go with --check-only");
	return 0;
}

/* ------------------------------------------------------ configuration */

const dm_cfg_source *run_cfg_source(const run_cfg *cfg, const char *source_id)
{
	size_t i;

	for (i = 0; i < cfg->nsources; i++)
		if (strcmp(cfg->sources[i]->source_id, source_id) == 0)
			return cfg->sources[i];
	return NULL;
}

static void run_cfg_free(run_cfg *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsources; i++)
		dm_cfg_source_free(cfg->sources[i]);
	free(cfg->sources);
	dm_cfg_task_free(cfg->task);
}

/* What DM checks across the files before a task starts: one file per
 * source, a source file for every instance of the task, and rules that
 * compile for every instance. Only --check-only, which connects, needs
 * every source; otherwise a missing or unused one is a warning. */
static int cross_check(const run_cfg *cfg, bool need_sources)
{
	const dm_cfg_task *t = cfg->task;
	dm_error *err = NULL;
	size_t i, k;

	for (i = 0; t && i < cfg->nsources; i++) {
		const char *id = cfg->sources[i]->source_id;
		dm_log_field f[2] = { { "source-id", id },
				      { "file", cfg->sources[i]->file } };

		for (k = 0; k < t->n_mysql_instances; k++)
			if (strcmp(t->mysql_instances[k]->source_id, id) == 0)
				break;
		if (k == t->n_mysql_instances)
			log_at(DM_LOG_WARN, __LINE__,
			       "the task has no mysql-instances entry for this source",
			       f, 2);
	}
	for (i = 0; i < cfg->nsources; i++) {
		for (k = 0; k < i; k++) {
			if (strcmp(cfg->sources[i]->source_id,
				   cfg->sources[k]->source_id) != 0)
				continue;
			dm_error_set(&err, DM_E_SCHEDULER_SOURCE_CFG_EXIST,
				     "%s: source-id \"%s\" is also the id of %s",
				     cfg->sources[i]->file,
				     cfg->sources[i]->source_id,
				     cfg->sources[k]->file);
			goto fail;
		}
	}
	for (i = 0; t && i < t->n_mysql_instances; i++) {
		const dm_cfg_instance *in = t->mysql_instances[i];
		const dm_cfg_source *src = run_cfg_source(cfg, in->source_id);
		dm_rule_set *rs = NULL;

		if (!src && need_sources) {
			dm_error_set(&err, DM_E_CONFIG_SOURCE_ID_NOT_FOUND,
				     "%s:%u:%u: no --source file has source-id \"%s\"",
				     t->file, in->pos.line, in->pos.column,
				     in->source_id);
			goto fail;
		}
		if (!src && cfg->nsources) {
			dm_log_field f[2] = { { "source-id", in->source_id },
					      { "task", t->name } };

			log_at(DM_LOG_WARN, __LINE__,
			       "no --source file for this source of the task",
			       f, 2);
		}
		if (dm_rule_set_new(&rs, t, in->source_id, src, &err) != 0)
			goto fail;
		dm_rule_set_free(rs);
	}
	return EXIT_OK;
fail:
	run_report(err);
	dm_error_free(err);
	return EXIT_FAIL;
}

static int load(run_cfg *cfg, const options *o)
{
	dm_error *err = NULL;
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	if (o->nsources) {
		cfg->sources = calloc(o->nsources, sizeof(*cfg->sources));
		if (!cfg->sources) {
			fprintf(stderr, PROG ": out of memory\n");
			return EXIT_FAIL;
		}
	}
	for (i = 0; i < o->nsources; i++) {
		if (dm_cfg_source_load_file(&cfg->sources[i], o->sources[i],
					    &err) != 0)
			goto fail;
		cfg->nsources++;
	}
	if (o->task && dm_cfg_task_load_file(&cfg->task, o->task, &err) != 0)
		goto fail;
	return cross_check(cfg, o->mode == MODE_CHECK_ONLY ||
				     o->mode == MODE_RUN);
fail:
	run_report(err);
	dm_error_free(err);
	return EXIT_FAIL;
}

/* ------------------------------------------------------------ printing */

static int put(const dm_buf *b)
{
	if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
		return EXIT_FAIL;
	return EXIT_OK;
}

/* The sources, then the task, as YAML documents separated by "---". */
static int print_config(const run_cfg *cfg)
{
	dm_buf b = DM_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; i < cfg->nsources && rc == 0; i++) {
		if (i)
			rc = dm_buf_puts(&b, "---\n");
		if (rc == 0)
			rc = dm_cfg_source_print(&b, cfg->sources[i]);
	}
	if (cfg->task && rc == 0) {
		if (cfg->nsources)
			rc = dm_buf_puts(&b, "---\n");
		if (rc == 0)
			rc = dm_cfg_task_print(&b, cfg->task);
	}
	if (rc != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		dm_buf_free(&b);
		return EXIT_FAIL;
	}
	rc = put(&b);
	dm_buf_free(&b);
	return rc;
}

static int print_sample(const char *which)
{
	dm_buf b = DM_BUF_INIT;
	int rc;

	rc = strcmp(which, "task") == 0 ? dm_cfg_task_sample(&b)
					: dm_cfg_source_sample(&b);
	if (rc != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		dm_buf_free(&b);
		return EXIT_FAIL;
	}
	rc = put(&b);
	dm_buf_free(&b);
	return rc;
}

/* ------------------------------------------------------------------ main */

static int run(const options *o)
{
	dm_error *err = NULL;
	dm_ctx *ctx = NULL;
	run_cfg cfg;
	int rc;

	if (o->mode == MODE_PRINT_SAMPLE)
		return print_sample(o->sample);
	rc = load(&cfg, o);
	if (rc == EXIT_OK) {
		dm_log_field f[2] = {
			{ "task", cfg.task ? cfg.task->name : "" },
			{ "file", o->task ? o->task : "" },
		};

		log_at(DM_LOG_INFO, __LINE__, "loaded configuration", f, 2);
	}
	if (rc == EXIT_OK && o->mode == MODE_PRINT_CONFIG)
		rc = print_config(&cfg);
	if (rc == EXIT_OK &&
	    (o->mode == MODE_CHECK_ONLY || o->mode == MODE_RUN)) {
		if (dm_global_init(&err) != 0 || dm_ctx_new(&ctx, &err) != 0) {
			rc = run_report(err);
			dm_error_free(err);
		} else {
			dm_ctx_set_logger(ctx, tool_log, NULL);
			dm_ctx_set_log_level(ctx, log_level);
			if (o->mode == MODE_RUN) {
				run_sync_opts so = o->sync;

				so.status_line = o->log_file != NULL;
				rc = run_sync(ctx, &cfg, &so);
			} else {
				rc = run_check(ctx, &cfg, o->error_limit,
					       o->warn_limit);
			}
			dm_ctx_free(ctx);
			dm_global_cleanup();
		}
	}
	run_cfg_free(&cfg);
	return rc;
}

int main(int argc, char **argv)
{
	options o;
	dm_error *err = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.log_level = DM_LOG_WARN;
	o.error_limit = 10;
	o.warn_limit = 10;
	rc = parse_args(&o, argc, argv);
	if (rc != 0) {
		free(o.sources);
		return rc < 0 ? EXIT_OK : rc;
	}
	log_level = o.log_level;
	if (dm_log_file_open(&log_out, o.log_file, &err) != 0) {
		dm_buf b = DM_BUF_INIT;

		dm_error_format(&b, err, DM_ERROR_FORMAT_FULL);
		fprintf(stderr, PROG ": %s\n", b.data ? b.data : "");
		dm_buf_free(&b);
		dm_error_free(err);
		free(o.sources);
		return EXIT_FAIL;
	}
	rc = run(&o);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, PROG ": write error on stdout\n");
		rc = EXIT_FAIL;
	}
	dm_log_file_close(log_out);
	free(o.sources);
	return rc;
}
