/*
 * Settings: one table of every setting the program has, loaded from
 * defaults, then an INI file (--config FILE or QORGAU_CONFIG), then
 * QORGAU_* environment variables, then command-line flags; later sources
 * win. Every setting is documented in docs/qorgau.ini.example.
 *
 * A bad value is reported with the setting's name, where it came from and
 * why it is wrong; nothing is half-applied to the caller (config_load
 * returns non-zero and the caller exits before serving).
 */
#ifndef QORGAU_CORE_CONFIG_H
#define QORGAU_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct config {
	/* [database] */
	char *database;         /* sqlite:PATH or postgresql://… */
	int db_batch_max;       /* most write jobs in one group commit */
	int db_busy_timeout_ms; /* SQLite busy timeout */
	/* [server] */
	char *listen; /* ADDR:PORT as given */
	char listen_host[64];
	int listen_port;
	int threads;          /* 0 = one per core */
	size_t max_body_size; /* bytes; 413 beyond */
	size_t max_header_size;
	int request_timeout;  /* seconds to read a request / keep-alive idle */
	int shutdown_timeout; /* seconds to finish in-flight work on SIGTERM */
	int metrics_public;   /* 0: /metrics only from loopback clients */
	/* [log] */
	int log_level;
	int log_requests;
	/* [security] */
	int session_idle_timeout; /* seconds */
	int session_max_age;      /* seconds */
	int login_max_failures;   /* per account within login_window */
	int login_window;         /* seconds */
	int login_lockout;        /* seconds */
	int login_client_max_failures; /* per client address within login_window */
	int password_cost;        /* 0 interactive, 1 moderate, 2 minimum (tests only) */
	int secure_cookies;       /* set the Secure flag (behind HTTPS) */
	char *key_file;           /* "" = beside the SQLite database, or data/qorgau.key */
	/* [region] */
	int utc_offset; /* seconds east of UTC for local dates (Kazakhstan: +05:00) */
	/* [meyirim] */
	int contact_alert_days; /* an attached child with no contact for this many days is an alert */
};

/* The data key file to use: key_file, or the default for the database. */
void config_key_path(const struct config *cfg, char *out, size_t outlen);

/* Which commands a setting applies to, so `version` rejects --database. */
enum {
	CFG_FOR_DATA = 1,  /* every command that opens the database */
	CFG_FOR_SERVE = 2, /* serve only */
};

/* Fill cfg with the built-in defaults. */
void config_defaults(struct config *cfg);
void config_release(struct config *cfg);

/*
 * Load the file (if path is non-NULL), then QORGAU_* variables from envp.
 * On error returns -1 with a message in err.
 */
int config_load_file(struct config *cfg, const char *path, struct buf *err);
int config_load_env(struct config *cfg, char *const *envp, struct buf *err);

/*
 * Set one setting from a command-line flag (name without "--").
 * Returns 1 if the flag names a setting for this command (mask), 0 if it
 * is not a setting flag, -1 on a bad value (message in err).
 */
int config_set_flag(struct config *cfg, unsigned mask, const char *flag, const char *value, struct buf *err);
/* -1: no such setting flag for mask; 0: it takes a value; 1: a boolean (value optional). */
int config_flag_lookup(const char *flag, unsigned mask);

/* Append the --help lines for the setting flags of mask. */
void config_flags_help(struct buf *out, unsigned mask);

/* Each setting's INI section and key, for tests and docs. */
size_t config_setting_count(void);
void config_setting_name(size_t i, const char **section, const char **key, const char **env, const char **flag);

/* Parse a duration: a number with s, m, h or d (default seconds). */
int config_parse_duration(const char *s, long long *seconds);
/* Parse a byte size with optional K, M or G suffix (powers of 1024). */
int config_parse_size(const char *s, size_t *out);

#endif
