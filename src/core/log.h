/*
 * log.h — one line per event on standard error, with a level.
 *
 * Never log a password, a token, a key, an IP address or a user agent.
 * vg_fatal() logs and exits with status 1.
 */
#ifndef VG_LOG_H
#define VG_LOG_H

enum vg_log_level { VG_LOG_DEBUG, VG_LOG_INFO, VG_LOG_WARN, VG_LOG_ERROR };

void vg_log_set_level(enum vg_log_level level);
void vg_log(enum vg_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vg_fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#define vg_debug(...) vg_log(VG_LOG_DEBUG, __VA_ARGS__)
#define vg_info(...) vg_log(VG_LOG_INFO, __VA_ARGS__)
#define vg_warn(...) vg_log(VG_LOG_WARN, __VA_ARGS__)
#define vg_error(...) vg_log(VG_LOG_ERROR, __VA_ARGS__)

#endif
