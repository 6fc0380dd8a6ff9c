/*
 * Structured logging to standard error, one line per event in logfmt:
 *   ts=2026-11-25T12:00:00.123Z level=info msg="listening" addr=127.0.0.1:8080
 *
 * Never pass request bodies, passwords, tokens or personal data to these
 * functions. Lines are written whole with one write(2) under a lock, so
 * threads never interleave within a line.
 *
 * Request lines are frequent, so each server thread collects them in its
 * own struct logbuf and flushes it in one write when it fills or when the
 * thread's timer fires.
 */
#ifndef QORGAU_CORE_LOG_H
#define QORGAU_CORE_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parse "debug", "info", "warn" or "error"; -1 if none of them. */
int log_level_parse(const char *s);

/* fmt produces the rest of the line after ts and level: msg="..." key=value. */
void log_line(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_line(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_line(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_line(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_line(LOG_ERROR, __VA_ARGS__)

/* Append s to b as a logfmt value: bare when safe, else quoted and escaped. */
void log_quote(struct buf *b, const char *s, size_t n);
/* Current UTC time as 2026-11-25T12:00:00.123Z into out (>= 32 bytes). */
void log_timestamp(char *out, size_t outlen);

struct logbuf {
	struct buf b;
};

void logbuf_init(struct logbuf *lb);
void logbuf_release(struct logbuf *lb);
/* Write out whatever is buffered. */
void logbuf_flush(struct logbuf *lb);

struct log_request {
	const char *method;
	size_t method_len;
	const char *path; /* without query string: queries may hold names */
	size_t path_len;
	const char *route; /* route name or "-" */
	int status;
	uint64_t duration_us;
	int64_t user_id; /* 0 when not known */
	const char *client;
};

/* Buffer one request line; flushes by itself when the buffer is large. */
void logbuf_request(struct logbuf *lb, const struct log_request *r);

#endif
