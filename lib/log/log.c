/* SPDX-License-Identifier: Apache-2.0 */
#include "log/logging.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"

#define MAX_FIELDS 32

struct dm_ctx {
	dm_log_fn log_fn;
	void *log_userdata;
	atomic_int level;
};

struct dm_log_file {
	FILE *fp;
	int owned;
	pthread_mutex_t lock;
};

static const char *const level_names[] = { "NONE", "ERROR", "WARN", "INFO",
					   "DEBUG" };

int dm_ctx_new(dm_ctx **out, dm_error **err)
{
	dm_ctx *ctx = dm__calloc(1, sizeof(*ctx));

	*out = NULL;
	if (!ctx)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	atomic_init(&ctx->level, DM_LOG_OFF);
	*out = ctx;
	return 0;
}

void dm_ctx_free(dm_ctx *ctx)
{
	dm__free(ctx);
}

void dm_ctx_set_logger(dm_ctx *ctx, dm_log_fn fn, void *userdata)
{
	ctx->log_fn = fn;
	ctx->log_userdata = userdata;
}

void dm_ctx_set_log_level(dm_ctx *ctx, dm_log_level level)
{
	atomic_store_explicit(&ctx->level, (int)level, memory_order_relaxed);
}

dm_log_level dm_ctx_log_level(const dm_ctx *ctx)
{
	return (dm_log_level)atomic_load_explicit(
		&((dm_ctx *)ctx)->level, memory_order_relaxed);
}

const char *dm_log_level_name(dm_log_level level)
{
	if ((unsigned)level > DM_LOG_DEBUG)
		return "UNKNOWN";
	return level_names[level];
}

int dm_log_level_parse(dm_log_level *out, const char *name, dm_error **err)
{
	static const struct {
		const char *name;
		dm_log_level level;
	} names[] = {
		{ "debug", DM_LOG_DEBUG }, { "info", DM_LOG_INFO },
		{ "warn", DM_LOG_WARN },   { "warning", DM_LOG_WARN },
		{ "error", DM_LOG_ERROR }, { "fatal", DM_LOG_ERROR },
		{ "none", DM_LOG_OFF },    { "off", DM_LOG_OFF },
	};
	size_t i;

	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].level;
			return 0;
		}
	}
	return dm_error_set(err, DM_E_INVALID_ARGUMENT,
			    "log level \"%s\" is not one of debug, info, warn, "
			    "error, none",
			    name ? name : "");
}

bool dm__log_enabled(const dm_ctx *ctx, dm_log_level level)
{
	return ctx && ctx->log_fn && level != DM_LOG_OFF &&
	       (int)level <= atomic_load_explicit(&((dm_ctx *)ctx)->level,
						  memory_order_relaxed);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void dm__log_fields(const dm_ctx *ctx, dm_log_level level, const char *file,
		    int line, const char *message, const dm_log_field *fields,
		    size_t nfields)
{
	dm_log_record rec;

	if (!dm__log_enabled(ctx, level))
		return;
	rec.version = 1;
	rec.level = level;
	rec.time_us = now_us();
	rec.file = base_name(file);
	rec.line = line;
	rec.message = message;
	rec.fields = fields;
	rec.nfields = nfields;
	ctx->log_fn(&rec, ctx->log_userdata);
}

void dm__log(const dm_ctx *ctx, dm_log_level level, const char *file,
	     int line, const char *message, ...)
{
	dm_log_field fields[MAX_FIELDS];
	size_t n = 0;
	va_list ap;
	const char *key;

	if (!dm__log_enabled(ctx, level))
		return;
	va_start(ap, message);
	while ((key = va_arg(ap, const char *)) != NULL) {
		const char *value = va_arg(ap, const char *);

		if (n < MAX_FIELDS) {
			fields[n].key = key;
			fields[n].value = value ? value : "";
			n++;
		}
	}
	va_end(ap);
	dm__log_fields(ctx, level, file, line, message, fields, n);
}

/* A value is quoted, JSON style, unless it is a plain token. */
static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c >= 0x7f || strchr("\"[]=\\,()'{}", c))
			return true;
	}
	return false;
}

static int put_value(dm_buf *out, const char *s)
{
	int rc = 0;

	if (!needs_quotes(s))
		return dm_buf_puts(out, s);
	rc = dm_buf_putc(out, '"');
	for (; !rc && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			rc = dm_buf_printf(out, "\\%c", c);
		else if (c == '\n')
			rc = dm_buf_puts(out, "\\n");
		else if (c == '\r')
			rc = dm_buf_puts(out, "\\r");
		else if (c == '\t')
			rc = dm_buf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			rc = dm_buf_printf(out, "\\u%04x", c);
		else
			rc = dm_buf_putc(out, (char)c);
	}
	return rc ? rc : dm_buf_putc(out, '"');
}

int dm_log_format(dm_buf *out, const dm_log_record *rec)
{
	time_t secs = (time_t)(rec->time_us / 1000000);
	struct tm tm;
	char when[32];
	long off;
	size_t i;
	int rc;

	localtime_r(&secs, &tm);
	strftime(when, sizeof(when), "%Y/%m/%d %H:%M:%S", &tm);
	off = tm.tm_gmtoff / 60;
	rc = dm_buf_printf(out, "[%s.%03d %c%02ld:%02ld] [%s] [%s:%d] [", when,
			   (int)(rec->time_us / 1000 % 1000),
			   off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
			   (off < 0 ? -off : off) % 60,
			   dm_log_level_name(rec->level),
			   rec->file ? rec->file : "?", rec->line);
	if (!rc)
		rc = put_value(out, rec->message ? rec->message : "");
	if (!rc)
		rc = dm_buf_putc(out, ']');
	for (i = 0; !rc && i < rec->nfields; i++) {
		rc = dm_buf_printf(out, " [%s=", rec->fields[i].key);
		if (!rc)
			rc = put_value(out, rec->fields[i].value);
		if (!rc)
			rc = dm_buf_putc(out, ']');
	}
	return rc ? rc : dm_buf_putc(out, '\n');
}

int dm_log_file_open(dm_log_file **out, const char *path, dm_error **err)
{
	dm_log_file *lf;

	*out = NULL;
	lf = dm__calloc(1, sizeof(*lf));
	if (!lf)
		return dm_error_set(err, DM_E_NO_MEMORY, NULL);
	if (path && *path && strcmp(path, "-") != 0) {
		lf->fp = fopen(path, "ae");
		if (!lf->fp) {
			char msg[128];
			int e = errno;

			dm__free(lf);
			return dm_error_set(err, DM_E_IO, "open log file %s: %s",
					    path,
					    strerror_r(e, msg, sizeof(msg)));
		}
		lf->owned = 1;
	} else {
		lf->fp = stderr;
	}
	pthread_mutex_init(&lf->lock, NULL);
	*out = lf;
	return 0;
}

void dm_log_file_close(dm_log_file *lf)
{
	if (!lf)
		return;
	if (lf->owned)
		fclose(lf->fp);
	else
		fflush(lf->fp);
	pthread_mutex_destroy(&lf->lock);
	dm__free(lf);
}

void dm_log_file_write(const dm_log_record *rec, void *userdata)
{
	dm_log_file *lf = userdata;
	char stack[1024];
	dm_buf line = DM_BUF_INIT;

	if (!lf)
		return;
	if (dm_log_format(&line, rec) != 0) {
		/* Out of memory: still say something, without fields. */
		snprintf(stack, sizeof(stack), "[%s] %s\n",
			 dm_log_level_name(rec->level),
			 rec->message ? rec->message : "");
		pthread_mutex_lock(&lf->lock);
		fputs(stack, lf->fp);
		fflush(lf->fp);
		pthread_mutex_unlock(&lf->lock);
		return;
	}
	pthread_mutex_lock(&lf->lock);
	fwrite(line.data, 1, line.len, lf->fp);
	fflush(lf->fp);
	pthread_mutex_unlock(&lf->lock);
	dm_buf_free(&line);
}
