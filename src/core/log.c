#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static enum vg_log_level min_level = VG_LOG_INFO;

void
vg_log_set_level(enum vg_log_level level)
{
	min_level = level;
}

static void
vlog(enum vg_log_level level, const char *fmt, va_list ap)
{
	static const char *names[] = {"debug", "info", "warn", "error"};
	char stamp[32];
	char line[1024];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	vsnprintf(line, sizeof(line), fmt, ap);
	/* One fprintf per line: stdio locks the stream, so lines from
	 * worker threads never interleave. */
	fprintf(stderr, "%s %s %s\n", stamp, names[level], line);
}

void
vg_log(enum vg_log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level < min_level)
		return;
	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void
vg_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(VG_LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(1);
}
