/* Structured logging to stderr (log.h). */
#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum log_level current_level = LOG_INFO;
static pthread_mutex_t write_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level log_get_level(void)
{
	return current_level;
}

int log_level_parse(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

/* One write(2) of the whole buffer, retried on EINTR and short writes. */
static void write_all_locked(const char *p, size_t n)
{
	pthread_mutex_lock(&write_lock);
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break; /* nowhere left to report it */
		}
		p += w;
		n -= (size_t)w;
	}
	pthread_mutex_unlock(&write_lock);
}

void log_timestamp(char *out, size_t outlen)
{
	/* Request lines are frequent: format the date part once per second per thread. */
	static __thread time_t cached_sec = -1;
	static __thread char cached[64];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	if (ts.tv_sec != cached_sec) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		snprintf(cached, sizeof(cached), "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		cached_sec = ts.tv_sec;
	}
	snprintf(out, outlen, "%s.%03dZ", cached, (int)(ts.tv_nsec / 1000000));
}

void log_line(enum log_level level, const char *fmt, ...)
{
	if (level < current_level)
		return;
	char ts[40];
	struct buf b = BUF_INIT;
	log_timestamp(ts, sizeof(ts));
	buf_printf(&b, "ts=%s level=%s ", ts, level_names[level]);
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_addc(&b, '\n');
	write_all_locked(b.ptr, b.len);
	buf_release(&b);
}

void log_quote(struct buf *b, const char *s, size_t n)
{
	int bare = n > 0;
	for (size_t i = 0; i < n && bare; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c >= 0x7f)
			bare = 0;
	}
	if (bare) {
		buf_add(b, s, n);
		return;
	}
	buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c < ' ' || c == 0x7f) {
			buf_printf(b, "\\x%02x", c);
		} else {
			buf_addc(b, (char)c);
		}
	}
	buf_addc(b, '"');
}

void logbuf_init(struct logbuf *lb)
{
	buf_init(&lb->b);
}

void logbuf_release(struct logbuf *lb)
{
	logbuf_flush(lb);
	buf_release(&lb->b);
}

void logbuf_flush(struct logbuf *lb)
{
	if (lb->b.len == 0)
		return;
	write_all_locked(lb->b.ptr, lb->b.len);
	buf_reset(&lb->b);
}

void logbuf_request(struct logbuf *lb, const struct log_request *r)
{
	if (LOG_INFO < current_level)
		return;
	char ts[40];
	log_timestamp(ts, sizeof(ts));
	struct buf *b = &lb->b;
	buf_printf(b, "ts=%s level=info msg=request method=", ts);
	log_quote(b, r->method, r->method_len);
	buf_adds(b, " path=");
	log_quote(b, r->path, r->path_len);
	buf_printf(b, " route=%s status=%d duration_us=%llu", r->route, r->status,
		   (unsigned long long)r->duration_us);
	if (r->user_id > 0)
		buf_printf(b, " user=%lld", (long long)r->user_id);
	if (r->client && *r->client)
		buf_printf(b, " client=%s", r->client);
	buf_addc(b, '\n');
	if (b->len >= 16384)
		logbuf_flush(lb);
}
