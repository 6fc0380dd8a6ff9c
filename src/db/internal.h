/*
 * What the files of src/db/ share and nothing else may use: the statement
 * table, typed parameters, rows, and the backend operations that sqlite.c
 * and pg.c provide.
 *
 * All SQL of the program sits in the statement table (sql/ *.def, one file
 * per entity), written once with PostgreSQL-style $1 placeholders; the
 * SQLite backend binds $N as ?N. A statement whose PostgreSQL text must
 * differ gives it as the second string. No SQL is ever built from input.
 */
#ifndef QORGAU_DB_INTERNAL_H
#define QORGAU_DB_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "db/db.h"

/*
 * SQL(id, sqlite, pg) names a statement; pg NULL means the same text.
 * SQL_PLAN_EACH marks one whose best plan depends on its parameters (a
 * filter that may be "any", an ORDER BY … LIMIT an index can serve):
 * PostgreSQL plans it at every run instead of settling on a generic plan
 * after five; SQLite plans with the values anyway.
 */
enum db_stmt {
#define SQL(id, text, pgtext) STMT_##id,
#define SQL_PLAN_EACH(id, text, pgtext) STMT_##id,
#include "db/sql/all.def"
#undef SQL_PLAN_EACH
#undef SQL
	STMT_COUNT
};

struct db_stmt_text {
	const char *name;
	const char *sqlite;
	const char *pg;
	int plan_each;
};
extern const struct db_stmt_text db_stmt_texts[STMT_COUNT];

enum db_type { DBT_NULL, DBT_INT, DBT_TEXT, DBT_BLOB, DBT_REAL };

struct db_param {
	enum db_type type;
	int64_t i;
	double d;
	const void *p;
	size_t n;
};

#define DBP_NULL ((struct db_param){.type = DBT_NULL})
#define DBP_INT(v) ((struct db_param){.type = DBT_INT, .i = (int64_t)(v)})
#define DBP_REAL(v) ((struct db_param){.type = DBT_REAL, .d = (double)(v)})
/* NULL when the string is NULL. */
#define DBP_TEXT(s) db_param_text(s)
#define DBP_TEXTN(s, len) ((struct db_param){.type = DBT_TEXT, .p = (s), .n = (len)})
#define DBP_BLOB(s, len) ((struct db_param){.type = DBT_BLOB, .p = (s), .n = (len)})
/* NULL when v <= 0: optional references. */
#define DBP_ID(v) ((v) > 0 ? DBP_INT(v) : DBP_NULL)

static inline struct db_param db_param_text(const char *s)
{
	struct db_param p = {.type = s ? DBT_TEXT : DBT_NULL, .p = s, .n = s ? strlen(s) : 0};
	return p;
}

struct db_row;

/* Called once per result row; return 0 to go on, non-zero to stop early. */
typedef int (*db_row_fn)(struct db_row *row, void *arg);

struct db_ops {
	int (*open)(struct db **out, const char *target, enum db_mode mode, int busy_timeout_ms, struct buf *err);
	void (*close)(struct db *db);
	int (*run)(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_row_fn fn,
		   void *arg, int64_t *changes);
	/* Run literal SQL (several statements allowed): migrations and transactions only. */
	int (*exec_script)(struct db *db, const char *sql);
	/*
	 * Let commits return before they reach the disk, and say which file to
	 * fsync to make them durable (SQLite: the WAL). -1 when the backend makes
	 * each commit durable by itself (PostgreSQL).
	 */
	int (*defer_sync)(struct db *db, char *path, size_t pathlen);
	/*
	 * Copy the whole database into a new file (SQLite's online backup: a
	 * consistent snapshot while others write), or from one into this
	 * database (restore). NULL when the backend has its own tools.
	 */
	int (*backup)(struct db *db, const char *path, int restore, struct buf *err);
	/*
	 * Bulk loads (db/demo.c): statement id is a COPY … FROM STDIN, data
	 * its rows in COPY's text format. NULL where the backend has no COPY
	 * (SQLite writes multi-row INSERTs instead).
	 */
	int (*copy_in)(struct db *db, enum db_stmt id, const char *data, size_t len);
	int64_t (*col_int)(struct db_row *row, int col);
	double (*col_real)(struct db_row *row, int col);
	const char *(*col_text)(struct db_row *row, int col, size_t *len);
	const void *(*col_blob)(struct db_row *row, int col, size_t *len);
	int (*col_isnull)(struct db_row *row, int col);
};

/* The audit chain's head as this transaction sees it (see db_audit_head). */
struct audit_head_cache {
	int valid;
	int dirty; /* advanced in memory, not yet written to audit_head */
	int64_t last_id;
	unsigned char hash[AUDIT_HASH_BYTES];
};

enum { DB_MAX_SAVEPOINT_SNAPSHOTS = 8 };

/* Every backend's connection struct starts with this. */
struct db {
	const struct db_ops *ops;
	enum db_backend backend;
	uint64_t tx_serial;
	int in_tx;
	int savepoint_depth;
	struct audit_head_cache head;
	struct audit_head_cache head_at[DB_MAX_SAVEPOINT_SNAPSHOTS]; /* as it was at each savepoint */
	char errmsg[256];
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* Run a statement; rows go to fn (may be NULL). */
int db_run(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_row_fn fn, void *arg);
/* Run a statement that changes rows; *changes gets the number changed. */
int db_run_changes(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, int64_t *changes);
/* Run a statement that returns one integer (count, id via RETURNING); DB_NOTFOUND if no row. */
int db_run_int(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, int64_t *out);

/* Row accessors. Text is valid until the callback returns. */
struct db_row {
	struct db *db;
	void *impl;
	int index;
};

static inline int64_t db_col_int(struct db_row *row, int col)
{
	return row->db->ops->col_int(row, col);
}
static inline double db_col_real(struct db_row *row, int col)
{
	return row->db->ops->col_real(row, col);
}
static inline int db_col_isnull(struct db_row *row, int col)
{
	return row->db->ops->col_isnull(row, col);
}
static inline const char *db_col_text(struct db_row *row, int col, size_t *len)
{
	return row->db->ops->col_text(row, col, len);
}
static inline const void *db_col_blob(struct db_row *row, int col, size_t *len)
{
	return row->db->ops->col_blob(row, col, len);
}
/* Fill one record from a row; strings go to the arena. */
typedef void (*db_read_fn)(struct db_row *row, struct arena *a, void *out);
/* One row into *out via read; DB_NOTFOUND when there is none. */
int db_get_one(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_read_fn read,
	       struct arena *a, void *out);
/* Every row into an arena array of elem-sized records. */
int db_get_list(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_read_fn read,
		size_t elem, struct arena *a, void **items, size_t *n);

/* Copy a text column into the arena; NULL stays NULL. */
char *db_col_strdup(struct db_row *row, int col, struct arena *a);
/* Copy a blob column into the arena; NULL (and *len 0) when null or empty. */
const void *db_col_blobdup(struct db_row *row, int col, struct arena *a, size_t *len);
/* Run a statement that must change a row: DB_NOTFOUND when it changed none. */
int db_run_one(struct db *db, enum db_stmt id, const struct db_param *params, int nparams);

/* An appeal's values in APPEAL_INSERT's order ($1 … $26): the insert and the bulk loader's rows. */
enum { APPEAL_INSERT_PARAMS = 26 };
void db_appeal_insert_params(const struct appeal *a, struct db_param p[APPEAL_INSERT_PARAMS]);

/* Set the connection's error message (printf-style). */
void db_set_error(struct db *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
