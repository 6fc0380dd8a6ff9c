/* The settings table and its loaders: file, environment, flags (config.h). */
#include "core/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"

enum setting_type { ST_STRING, ST_INT, ST_SIZE, ST_BOOL, ST_LOGLEVEL, ST_LISTEN, ST_DBURL, ST_DURATION, ST_COST, ST_OFFSET };

struct setting {
	const char *section;
	const char *key;
	const char *env;
	const char *flag;
	enum setting_type type;
	size_t offset;
	long long min, max;
	unsigned mask;
	const char *help;
};

#define OFF(field) offsetof(struct config, field)

static const struct setting settings[] = {
	{"database", "url", "QORGAU_DATABASE", "database", ST_DBURL, OFF(database), 0, 0, CFG_FOR_DATA,
	 "database: sqlite:PATH or postgresql://USER@HOST/NAME"},
	{"database", "batch_max", "QORGAU_DB_BATCH_MAX", "db-batch-max", ST_INT, OFF(db_batch_max), 1, 100000,
	 CFG_FOR_SERVE, "most writes committed together in one transaction"},
	{"database", "busy_timeout_ms", "QORGAU_DB_BUSY_TIMEOUT_MS", "db-busy-timeout-ms", ST_INT,
	 OFF(db_busy_timeout_ms), 0, 600000, CFG_FOR_DATA, "SQLite: how long to wait for a lock, in ms"},
	{"server", "listen", "QORGAU_LISTEN", "listen", ST_LISTEN, OFF(listen), 0, 0, CFG_FOR_SERVE,
	 "address and port to serve on, ADDR:PORT (port 0 picks a free one)"},
	{"server", "threads", "QORGAU_THREADS", "threads", ST_INT, OFF(threads), 0, 256, CFG_FOR_SERVE,
	 "event-loop threads; 0 = one per core"},
	{"server", "max_body_size", "QORGAU_MAX_BODY_SIZE", "max-body-size", ST_SIZE, OFF(max_body_size), 1024,
	 1LL << 30, CFG_FOR_SERVE, "largest request body accepted (K, M suffixes); 413 beyond"},
	{"server", "max_header_size", "QORGAU_MAX_HEADER_SIZE", "max-header-size", ST_SIZE, OFF(max_header_size),
	 1024, 256 * 1024, CFG_FOR_SERVE, "largest request head (request line and headers); 431 beyond"},
	{"server", "request_timeout", "QORGAU_REQUEST_TIMEOUT", "request-timeout", ST_INT, OFF(request_timeout), 1,
	 3600, CFG_FOR_SERVE, "seconds allowed to send a request, and idle keep-alive time"},
	{"server", "shutdown_timeout", "QORGAU_SHUTDOWN_TIMEOUT", "shutdown-timeout", ST_INT,
	 OFF(shutdown_timeout), 0, 3600, CFG_FOR_SERVE, "seconds to finish in-flight requests on SIGTERM"},
	{"server", "metrics_public", "QORGAU_METRICS_PUBLIC", "metrics-public", ST_BOOL, OFF(metrics_public), 0, 1,
	 CFG_FOR_SERVE, "serve /metrics to every client, not only loopback ones"},
	{"log", "level", "QORGAU_LOG_LEVEL", "log-level", ST_LOGLEVEL, OFF(log_level), 0, 0, CFG_FOR_DATA,
	 "debug, info, warn or error"},
	{"log", "requests", "QORGAU_LOG_REQUESTS", "log-requests", ST_BOOL, OFF(log_requests), 0, 1,
	 CFG_FOR_SERVE, "one log line per request"},
	{"security", "session_idle_timeout", "QORGAU_SESSION_IDLE_TIMEOUT", "session-idle-timeout", ST_DURATION,
	 OFF(session_idle_timeout), 1, 86400, CFG_FOR_SERVE, "sign out after this long without activity (30m)"},
	{"security", "session_max_age", "QORGAU_SESSION_MAX_AGE", "session-max-age", ST_DURATION, OFF(session_max_age),
	 1, 7 * 86400, CFG_FOR_SERVE, "sign out this long after signing in, whatever the activity (12h)"},
	{"security", "login_max_failures", "QORGAU_LOGIN_MAX_FAILURES", "login-max-failures", ST_INT,
	 OFF(login_max_failures), 1, 1000, CFG_FOR_SERVE, "failed sign-ins of one account before it is locked"},
	{"security", "login_window", "QORGAU_LOGIN_WINDOW", "login-window", ST_DURATION, OFF(login_window), 1, 86400,
	 CFG_FOR_SERVE, "the period in which failed sign-ins are counted (15m)"},
	{"security", "login_lockout", "QORGAU_LOGIN_LOCKOUT", "login-lockout", ST_DURATION, OFF(login_lockout), 1,
	 86400, CFG_FOR_SERVE, "how long a locked account stays locked (30m)"},
	{"security", "login_client_max_failures", "QORGAU_LOGIN_CLIENT_MAX_FAILURES", "login-client-max-failures", ST_INT,
	 OFF(login_client_max_failures), 1, 100000, CFG_FOR_SERVE,
	 "failed sign-ins from one address (any account) before it is refused"},
	{"security", "password_cost", "QORGAU_PASSWORD_COST", "password-cost", ST_COST, OFF(password_cost), 0, 0,
	 CFG_FOR_DATA, "argon2id cost: interactive, moderate, or minimum (tests only: weak)"},
	{"security", "secure_cookies", "QORGAU_SECURE_COOKIES", "secure-cookies", ST_BOOL, OFF(secure_cookies), 0, 1,
	 CFG_FOR_SERVE, "mark cookies Secure: set this when clients reach Qorgau over HTTPS"},
	{"security", "key_file", "QORGAU_KEY_FILE", "key-file", ST_STRING, OFF(key_file), 0, 0, CFG_FOR_DATA,
	 "file with the key for sensitive fields (default: beside the SQLite database)"},
	{"region", "utc_offset", "QORGAU_UTC_OFFSET", "utc-offset", ST_OFFSET, OFF(utc_offset), 0, 0, CFG_FOR_DATA,
	 "local time as +HH:MM from UTC, for dates and deadlines (Kazakhstan: +05:00)"},
	{"meyirim", "contact_alert_days", "QORGAU_CONTACT_ALERT_DAYS", "contact-alert-days", ST_INT,
	 OFF(contact_alert_days), 1, 365, CFG_FOR_SERVE, "days without a mentor contact before a child is on the alert list"},
};

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->database = xstrdup("sqlite:data/qorgau.db");
	cfg->db_batch_max = 512;
	cfg->db_busy_timeout_ms = 5000;
	cfg->listen = xstrdup("127.0.0.1:8080");
	snprintf(cfg->listen_host, sizeof(cfg->listen_host), "127.0.0.1");
	cfg->listen_port = 8080;
	cfg->threads = 0;
	cfg->max_body_size = 1024 * 1024;
	cfg->max_header_size = 16 * 1024;
	cfg->request_timeout = 30;
	cfg->shutdown_timeout = 10;
	cfg->metrics_public = 0;
	cfg->log_level = LOG_INFO;
	cfg->log_requests = 1;
	cfg->session_idle_timeout = 30 * 60;
	cfg->session_max_age = 12 * 3600;
	cfg->login_max_failures = 6;
	cfg->login_window = 15 * 60;
	cfg->login_lockout = 30 * 60;
	cfg->login_client_max_failures = 30;
	cfg->password_cost = 0;
	cfg->secure_cookies = 0;
	cfg->key_file = xstrdup("");
	cfg->utc_offset = 5 * 3600;
	cfg->contact_alert_days = 30;
}

void config_key_path(const struct config *cfg, char *out, size_t outlen)
{
	if (cfg->key_file && *cfg->key_file)
		snprintf(out, outlen, "%s", cfg->key_file);
	else if (!strncmp(cfg->database, "sqlite:", 7))
		snprintf(out, outlen, "%s.key", cfg->database + 7);
	else
		snprintf(out, outlen, "data/qorgau.key");
}

int config_parse_duration(const char *s, long long *seconds)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1; /* strtoll would skip tabs and take a sign */
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s)
		return -1;
	long long mult = 1;
	if (*end == 's')
		end++;
	else if (*end == 'm')
		mult = 60, end++;
	else if (*end == 'h')
		mult = 3600, end++;
	else if (*end == 'd')
		mult = 86400, end++;
	if (*end || v > LLONG_MAX / mult)
		return -1;
	*seconds = v * mult;
	return 0;
}

void config_release(struct config *cfg)
{
	free(cfg->database);
	free(cfg->listen);
	free(cfg->key_file);
	cfg->database = NULL;
	cfg->listen = NULL;
	cfg->key_file = NULL;
}

int config_parse_size(const char *s, size_t *out)
{
	char *end;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	unsigned long long mult = 1;
	if (*end == 'K' || *end == 'k')
		mult = 1024ULL, end++;
	else if (*end == 'M' || *end == 'm')
		mult = 1024ULL * 1024, end++;
	else if (*end == 'G' || *end == 'g')
		mult = 1024ULL * 1024 * 1024, end++;
	if (*end == 'i' || *end == 'B')
		end++;
	if (*end == 'B')
		end++;
	if (*end)
		return -1;
	if (v > ULLONG_MAX / mult)
		return -1;
	*out = (size_t)(v * mult);
	return 0;
}

static int parse_int(const char *s, long long *out)
{
	char *end;
	if (!isdigit((unsigned char)s[0]) && !(s[0] == '-' && isdigit((unsigned char)s[1])))
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(const char *s, int *out)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"0", "false", "no", "off"};
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return *out = 1, 0;
		if (strcasecmp(s, no[i]) == 0)
			return *out = 0, 0;
	}
	return -1;
}

/* ADDR:PORT with ADDR an IPv4 literal, [IPv6] literal, "localhost" or "*". */
static int parse_listen(const char *s, char *host, size_t hostlen, int *port, const char **why)
{
	const char *colon;
	char addr[64];
	size_t alen;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':')
			return *why = "must be ADDR:PORT, an IPv6 address in brackets", -1;
		alen = (size_t)(close - s - 1);
		if (alen == 0 || alen >= sizeof(addr))
			return *why = "the address is empty or too long", -1;
		memcpy(addr, s + 1, alen);
		addr[alen] = '\0';
		colon = close + 1;
		struct in6_addr a6;
		if (inet_pton(AF_INET6, addr, &a6) != 1)
			return *why = "not an IPv6 address", -1;
	} else {
		colon = strrchr(s, ':');
		if (!colon)
			return *why = "must be ADDR:PORT, e.g. 127.0.0.1:8080", -1;
		alen = (size_t)(colon - s);
		if (alen == 0 || alen >= sizeof(addr))
			return *why = "the address is empty or too long", -1;
		memcpy(addr, s, alen);
		addr[alen] = '\0';
		struct in_addr a4;
		if (strcmp(addr, "localhost") == 0)
			snprintf(addr, sizeof(addr), "127.0.0.1");
		else if (strcmp(addr, "*") == 0)
			snprintf(addr, sizeof(addr), "0.0.0.0");
		else if (inet_pton(AF_INET, addr, &a4) != 1)
			return *why = "the address must be an IPv4 address, [IPv6], localhost or *", -1;
	}
	long long p;
	if (parse_int(colon + 1, &p) < 0 || p < 0 || p > 65535)
		return *why = "the port must be a number from 0 to 65535", -1;
	if (strlen(addr) >= hostlen)
		return *why = "the address is too long", -1;
	memcpy(host, addr, strlen(addr) + 1);
	*port = (int)p;
	return 0;
}

static int valid_dburl(const char *s, const char **why)
{
	if (strncmp(s, "sqlite:", 7) == 0) {
		if (!s[7])
			return *why = "sqlite: needs a file path, e.g. sqlite:data/qorgau.db", -1;
		return 0;
	}
	if (strncmp(s, "postgresql://", 13) == 0 || strncmp(s, "postgres://", 11) == 0)
		return 0;
	return *why = "must be sqlite:PATH or a postgresql:// URL", -1;
}

static int apply(struct config *cfg, const struct setting *st, const char *value, const char **why)
{
	char *base = (char *)cfg;
	long long iv;
	size_t sz;
	int b;

	if (strlen(value) > 4096)
		return *why = "the value is too long", -1;
	switch (st->type) {
	case ST_STRING:
	case ST_DBURL: {
		if (st->type == ST_DBURL && valid_dburl(value, why) < 0)
			return -1;
		char **slot = (char **)(base + st->offset);
		free(*slot);
		*slot = xstrdup(value);
		return 0;
	}
	case ST_INT:
		if (parse_int(value, &iv) < 0 || iv < st->min || iv > st->max) {
			static __thread char msg[96];
			snprintf(msg, sizeof(msg), "must be a whole number from %lld to %lld", st->min, st->max);
			return *why = msg, -1;
		}
		*(int *)(base + st->offset) = (int)iv;
		return 0;
	case ST_SIZE:
		if (config_parse_size(value, &sz) < 0 || (long long)sz < st->min || (long long)sz > st->max) {
			static __thread char msg[128];
			snprintf(msg, sizeof(msg), "must be a size from %lld to %lld bytes (K, M and G suffixes allowed)",
				 st->min, st->max);
			return *why = msg, -1;
		}
		*(size_t *)(base + st->offset) = sz;
		return 0;
	case ST_BOOL:
		if (parse_bool(value, &b) < 0)
			return *why = "must be true or false", -1;
		*(int *)(base + st->offset) = b;
		return 0;
	case ST_DURATION:
		if (config_parse_duration(value, &iv) < 0 || iv < st->min || iv > st->max) {
			static __thread char msg[128];
			snprintf(msg, sizeof(msg), "must be a duration from %llds to %llds (s, m, h, d suffixes)", st->min,
				 st->max);
			return *why = msg, -1;
		}
		*(int *)(base + st->offset) = (int)iv;
		return 0;
	case ST_OFFSET: {
		int hh, mm;
		char sign, tail;
		if (strlen(value) != 6 || !isdigit((unsigned char)value[1]) || !isdigit((unsigned char)value[2]) ||
		    !isdigit((unsigned char)value[4]) || !isdigit((unsigned char)value[5]) ||
		    sscanf(value, "%c%2d:%2d%c", &sign, &hh, &mm, &tail) != 3 || (sign != '+' && sign != '-') || hh > 14 ||
		    mm > 59)
			return *why = "must be an offset like +05:00", -1;
		*(int *)(base + st->offset) = (sign == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
		return 0;
	}
	case ST_COST:
		if (!strcmp(value, "interactive"))
			b = 0;
		else if (!strcmp(value, "moderate"))
			b = 1;
		else if (!strcmp(value, "minimum"))
			b = 2;
		else
			return *why = "must be interactive, moderate or minimum", -1;
		*(int *)(base + st->offset) = b;
		return 0;
	case ST_LOGLEVEL:
		b = log_level_parse(value);
		if (b < 0)
			return *why = "must be debug, info, warn or error", -1;
		*(int *)(base + st->offset) = b;
		return 0;
	case ST_LISTEN: {
		char host[64];
		int port;
		if (parse_listen(value, host, sizeof(host), &port, why) < 0)
			return -1;
		memcpy(cfg->listen_host, host, sizeof(host));
		cfg->listen_port = port;
		free(cfg->listen);
		cfg->listen = xstrdup(value);
		return 0;
	}
	}
	return *why = "unknown setting type", -1;
}

struct file_ctx {
	struct config *cfg;
	struct buf msg; /* why the first bad line is bad; its number comes from inih */
	int failed;
};

static int on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct file_ctx *fc = user;
	const char *why;
	if (fc->failed)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const struct setting *st = &settings[i];
		if (strcmp(st->section, section) || strcmp(st->key, name))
			continue;
		if (apply(fc->cfg, st, value, &why) < 0) {
			buf_printf(&fc->msg, "[%s] %s: %s", section, name, why);
			fc->failed = 1;
			return 0;
		}
		return 1;
	}
	buf_printf(&fc->msg, "unknown setting [%s] %s", section, name);
	fc->failed = 1;
	return 0;
}

int config_load_file(struct config *cfg, const char *path, struct buf *err)
{
	if (!path)
		return 0;
	FILE *f = fopen(path, "r");
	if (!f) {
		buf_printf(err, "config: cannot open '%s': %s", path, strerror(errno));
		return -1;
	}
	struct file_ctx fc = {cfg, BUF_INIT, 0};
	int rc = ini_parse_file(f, on_ini, &fc);
	fclose(f);
	if (fc.failed) {
		buf_printf(err, "config: %s:%d: %s", path, rc, fc.msg.ptr);
		buf_release(&fc.msg);
		return -1;
	}
	buf_release(&fc.msg);
	if (rc != 0) {
		if (rc > 0)
			buf_printf(err, "config: %s:%d: not a valid INI line", path, rc);
		else
			buf_printf(err, "config: cannot read '%s'", path);
		return -1;
	}
	return 0;
}

int config_load_env(struct config *cfg, char *const *envp, struct buf *err)
{
	const char *why;
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const struct setting *st = &settings[i];
		size_t elen = strlen(st->env);
		for (char *const *e = envp; e && *e; e++) {
			if (strncmp(*e, st->env, elen) || (*e)[elen] != '=')
				continue;
			const char *value = *e + elen + 1;
			if (apply(cfg, st, value, &why) < 0) {
				buf_printf(err, "config: environment %s: %s", st->env, why);
				return -1;
			}
		}
	}
	return 0;
}

int config_flag_lookup(const char *flag, unsigned mask)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++)
		if (strcmp(settings[i].flag, flag) == 0 && (settings[i].mask & mask))
			return settings[i].type == ST_BOOL;
	return -1;
}

int config_set_flag(struct config *cfg, unsigned mask, const char *flag, const char *value, struct buf *err)
{
	const char *why;
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const struct setting *st = &settings[i];
		if (strcmp(st->flag, flag) || !(st->mask & mask))
			continue;
		if (!value)
			value = "true";
		if (apply(cfg, st, value, &why) < 0) {
			buf_printf(err, "config: --%s: %s", flag, why);
			return -1;
		}
		return 1;
	}
	return 0;
}

void config_flags_help(struct buf *out, unsigned mask)
{
	for (size_t i = 0; i < ARRAY_SIZE(settings); i++) {
		const struct setting *st = &settings[i];
		if (!(st->mask & mask))
			continue;
		char left[64];
		snprintf(left, sizeof(left), "--%s%s", st->flag, st->type == ST_BOOL ? "[=BOOL]" : " VALUE");
		buf_printf(out, "  %-30s %s\n", left, st->help);
	}
}

size_t config_setting_count(void)
{
	return ARRAY_SIZE(settings);
}

void config_setting_name(size_t i, const char **section, const char **key, const char **env, const char **flag)
{
	*section = settings[i].section;
	*key = settings[i].key;
	*env = settings[i].env;
	*flag = settings[i].flag;
}
