/*
 * The one database interface. Everything above src/db/ talks to storage
 * through the functions declared here; sqlite.c and pg.c implement the
 * backend operations behind them, and one file per entity holds that
 * entity's typed accessors (db_<entity>_<verb>).
 *
 * Connections are not shared between threads: each event-loop thread opens
 * its own read connection, the writer thread (writer.h) owns the write
 * connection, and a command-line command opens one for itself.
 *
 * Status codes: every accessor returns DB_OK (0) or one of enum db_status.
 * DB_FULL, DB_IO and DB_UNAVAILABLE mean "try again later" (HTTP 503);
 * DB_CONSTRAINT means the data broke a uniqueness or reference rule (409).
 *
 * Strings returned by accessors are copied into the caller's arena and live
 * as long as it does.
 */
#ifndef QORGAU_DB_DB_H
#define QORGAU_DB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

enum db_status {
	DB_OK = 0,
	DB_NOTFOUND,    /* no such row */
	DB_CONSTRAINT,  /* unique, foreign key or check constraint */
	DB_BUSY,        /* locked or serialisation failure; retry */
	DB_FULL,        /* disk full */
	DB_IO,          /* I/O error */
	DB_UNAVAILABLE, /* server unreachable (PostgreSQL) */
	DB_ERROR,       /* anything else: a bug or a corrupt database */
};

enum db_backend { DB_SQLITE, DB_PG };

/* How a connection will be used. */
enum db_mode {
	DB_MODE_READ,   /* loop-thread reads: SQLite query_only */
	DB_MODE_WRITE,  /* the writer: durable commits */
	DB_MODE_CREATE, /* init: may create the SQLite file */
};

struct db;

/*
 * Open a connection to url ("sqlite:PATH" or "postgresql://…").
 * On failure returns non-zero with a message for a person in err.
 */
int db_open(const char *url, enum db_mode mode, int busy_timeout_ms, struct db **out, struct buf *err);
void db_close(struct db *db);
enum db_backend db_backend(const struct db *db);
/* The last error's message from the backend (for logs, never for users). */
const char *db_errmsg(const struct db *db);
/* A short English name for a status, e.g. "constraint". */
const char *db_status_name(int status);
/* Whether status means "temporarily unable", i.e. an HTTP 503. */
int db_status_is_unavailable(int status);

/* Transactions. begin_write takes the write lock at once (SQLite IMMEDIATE). */
int db_begin(struct db *db);
int db_begin_write(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
int db_savepoint(struct db *db);
int db_savepoint_release(struct db *db);
int db_savepoint_rollback(struct db *db);
/* Counts transactions begun on this connection (lets caches know a new one started). */
uint64_t db_tx_serial(const struct db *db);

/* --- schema --- */

/* Schema version stored in the database; 0 when not initialised. */
int db_schema_version(struct db *db, int *version);
/* Newest schema version this program knows. */
int db_schema_latest(void);
/* Apply pending migrations, each in its own transaction. */
int db_migrate(struct db *db, int *from, int *to, struct buf *err);
/*
 * Check that the schema is exactly what this program expects; on a
 * mismatch, explain in err (newer database: refuse; older: run migrate).
 */
int db_check_schema(struct db *db, struct buf *err);
/* Size of the database in bytes (file pages or pg_database_size). */
int db_size_bytes(struct db *db, int64_t *bytes);

/* --- districts --- */

struct district {
	int64_t id;
	const char *code; /* stable short code, e.g. "semey" */
	const char *name_kk;
	const char *name_ru;
	const char *name_en;
	const char *kind; /* city or district */
	int active;
};

int db_district_get(struct db *db, int64_t id, struct arena *a, struct district *out);
/* All districts ordered by name_kk; *items in the arena. */
int db_district_list(struct db *db, struct arena *a, struct district **items, size_t *n);
/* Insert; sets d->id. DB_CONSTRAINT when the code is taken. */
int db_district_insert(struct db *db, struct district *d);
int db_district_count(struct db *db, int64_t *n);

/* --- users --- */

struct user {
	int64_t id;
	const char *login;
	const char *full_name;
	const char *role; /* role_name() text */
	int is_head;
	int64_t organisation_id; /* 0 = none */
	int64_t district_id;     /* 0 = the whole region */
	const char *lang;        /* kk, ru or en */
	int active;
	const char *password_hash;
	int must_change_password;
	int64_t locked_until;
	int64_t created_at;
	int64_t updated_at;
};

/* Insert; sets u->id. created_at is used for both times. DB_CONSTRAINT when the login is taken. */
int db_user_insert(struct db *db, struct user *u);
int db_user_count(struct db *db, int64_t *n);
/* Active users with this role. */
int db_user_count_role(struct db *db, const char *role, int64_t *n);
int db_user_get(struct db *db, int64_t id, struct arena *a, struct user *out);
int db_user_get_by_login(struct db *db, const char *login, struct arena *a, struct user *out);

#endif
