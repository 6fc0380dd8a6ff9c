/*
 * SQLite backend: WAL journal, synchronous=FULL, foreign keys on, a busy
 * timeout, and a per-connection cache of prepared statements (each thread
 * owns its connection, so the cache needs no lock).
 */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mem.h"
#include "db/internal.h"

struct sqlite_db {
	struct db base;
	sqlite3 *h;
	sqlite3_stmt *stmts[STMT_COUNT];
};

static int map_status(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return DB_OK;
	case SQLITE_CONSTRAINT:
		return DB_CONSTRAINT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_BUSY;
	case SQLITE_FULL:
		return DB_FULL;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return DB_IO;
	default:
		return DB_ERROR;
	}
}

static int fail(struct sqlite_db *s, int rc)
{
	db_set_error(&s->base, "%s", sqlite3_errmsg(s->h));
	return map_status(rc);
}

/* Convert $N placeholders to ?N so both backends share one SQL text. */
static char *sqlite_text(const char *sql)
{
	char *out = xstrdup(sql);
	for (char *p = out; *p; p++)
		if (*p == '$' && p[1] >= '0' && p[1] <= '9')
			*p = '?';
	return out;
}

static void sqlite_close(struct db *db)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	for (int i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(s->stmts[i]);
	sqlite3_close(s->h);
	free(s);
}

static int exec_script(struct db *db, const char *sql)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	char *msg = NULL;
	int rc = sqlite3_exec(s->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		db_set_error(db, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return map_status(sqlite3_extended_errcode(s->h));
	}
	return DB_OK;
}

/* mkdir -p for the directory holding path (init only). */
static int make_parent_dirs(const char *path, struct buf *err)
{
	char *dir = xstrdup(path);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
			buf_printf(err, "cannot create directory '%s': %s", dir, strerror(errno));
			free(dir);
			return -1;
		}
		*p = '/';
	}
	free(dir);
	return 0;
}

/* Once per process, before any connection: no global statistics mutex on every allocation. */
static void configure_once(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sqlite_open(struct db **out, const char *path, enum db_mode mode, int busy_timeout_ms, struct buf *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_once);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	if (mode == DB_MODE_CREATE) {
		flags |= SQLITE_OPEN_CREATE;
		if (make_parent_dirs(path, err) < 0)
			return DB_IO;
	}
	struct sqlite_db *s = xcalloc(1, sizeof(*s));
	s->base.ops = &db_sqlite_ops;
	s->base.backend = DB_SQLITE;
	int rc = sqlite3_open_v2(path, &s->h, flags, NULL);
	if (rc != SQLITE_OK) {
		if (rc == SQLITE_CANTOPEN && mode != DB_MODE_CREATE)
			buf_printf(err, "cannot open database '%s': no such file (run 'qorgau init' first)", path);
		else
			buf_printf(err, "cannot open database '%s': %s", path, s->h ? sqlite3_errmsg(s->h) : "out of memory");
		sqlite3_close(s->h);
		free(s);
		return rc == SQLITE_CANTOPEN ? DB_IO : map_status(rc);
	}
	sqlite3_extended_result_codes(s->h, 1);
	sqlite3_busy_timeout(s->h, busy_timeout_ms);
	/*
	 * Bigger page caches than the default 2 MB. No mmap: the file grows
	 * under the readers, and remapping it costs TLB shootdowns on every core.
	 */
	const char *setup = mode == DB_MODE_READ
				    ? "PRAGMA foreign_keys = ON; PRAGMA query_only = ON; PRAGMA cache_size = -65536;"
				    : "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
				      "PRAGMA cache_size = -2000;";
	rc = exec_script(&s->base, setup);
	if (rc != DB_OK) {
		buf_printf(err, "cannot set up database '%s': %s", path, s->base.errmsg);
		sqlite_close(&s->base);
		return rc;
	}
	*out = &s->base;
	return DB_OK;
}

static int bind_params(struct sqlite_db *s, sqlite3_stmt *st, const struct db_param *params, int nparams)
{
	for (int i = 0; i < nparams; i++) {
		const struct db_param *p = &params[i];
		int rc;
		switch (p->type) {
		case DBT_INT:
			rc = sqlite3_bind_int64(st, i + 1, p->i);
			break;
		case DBT_REAL:
			rc = sqlite3_bind_double(st, i + 1, p->d);
			break;
		case DBT_TEXT:
			rc = sqlite3_bind_text(st, i + 1, p->p, (int)p->n, SQLITE_STATIC);
			break;
		case DBT_BLOB:
			rc = sqlite3_bind_blob(st, i + 1, p->p, (int)p->n, SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, i + 1);
			break;
		}
		if (rc != SQLITE_OK)
			return fail(s, rc);
	}
	return DB_OK;
}

static int sqlite_run(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_row_fn fn,
		      void *arg, int64_t *changes)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	sqlite3_stmt *st = s->stmts[id];
	if (!st) {
		char *sql = sqlite_text(db_stmt_texts[id].sqlite);
		int rc = sqlite3_prepare_v3(s->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
		free(sql);
		if (rc != SQLITE_OK) {
			db_set_error(db, "prepare %s: %s", db_stmt_texts[id].name, sqlite3_errmsg(s->h));
			return map_status(rc);
		}
		s->stmts[id] = st;
	}
	int rc = bind_params(s, st, params, nparams);
	if (rc != DB_OK) {
		sqlite3_reset(st);
		return rc;
	}
	struct db_row row = {db, st, 0};
	int step;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (fn && fn(&row, arg))
			break;
		row.index++;
	}
	if (step != SQLITE_ROW && step != SQLITE_DONE) {
		rc = fail(s, sqlite3_extended_errcode(s->h));
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return rc;
	}
	if (changes)
		*changes = sqlite3_changes64(s->h);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return DB_OK;
}

/*
 * WAL with synchronous=NORMAL commits without fsync; the writer's syncer
 * thread then fsyncs the WAL, and only then are the writers told. A
 * checkpoint still syncs the WAL before and the database after, as SQLite
 * does in this mode, so nothing is ever torn; a reply is only sent for a
 * commit already on disk.
 */
static int sqlite_defer_sync(struct db *db, char *path, size_t pathlen)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	const char *main_file = sqlite3_db_filename(s->h, "main");
	if (!main_file || !*main_file)
		return -1;
	if (exec_script(db, "PRAGMA synchronous = NORMAL") != DB_OK)
		return -1;
	snprintf(path, pathlen, "%s-wal", main_file);
	return 0;
}

static int64_t col_int(struct db_row *row, int col)
{
	return sqlite3_column_int64(row->impl, col);
}

static double col_real(struct db_row *row, int col)
{
	return sqlite3_column_double(row->impl, col);
}

static const char *col_text(struct db_row *row, int col, size_t *len)
{
	const unsigned char *t = sqlite3_column_text(row->impl, col);
	if (len)
		*len = t ? (size_t)sqlite3_column_bytes(row->impl, col) : 0;
	return (const char *)t;
}

static const void *col_blob(struct db_row *row, int col, size_t *len)
{
	const void *b = sqlite3_column_blob(row->impl, col);
	*len = (size_t)sqlite3_column_bytes(row->impl, col);
	return b;
}

static int col_isnull(struct db_row *row, int col)
{
	return sqlite3_column_type(row->impl, col) == SQLITE_NULL;
}

static int sqlite_backup(struct db *db, const char *path, int restore, struct buf *err)
{
	struct sqlite_db *s = (struct sqlite_db *)db;
	sqlite3 *other = NULL;
	int flags = restore ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &other, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		buf_printf(err, "cannot open '%s': %s", path, other ? sqlite3_errmsg(other) : "out of memory");
		sqlite3_close(other);
		return map_status(rc);
	}
	sqlite3 *to = restore ? s->h : other, *from = restore ? other : s->h;
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		buf_printf(err, "cannot start the copy: %s", sqlite3_errmsg(to));
		sqlite3_close(other);
		return DB_ERROR;
	}
	/*
	 * A few hundred pages at a time: writers go on between the steps, and a
	 * step that meets a change started since simply begins again.
	 */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		buf_printf(err, "the copy failed: %s", sqlite3_errstr(rc));
		sqlite3_close(other);
		return map_status(rc);
	}
	/* The copy is a plain file: no WAL left beside it. */
	if (!restore)
		sqlite3_exec(other, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	rc = sqlite3_close(other);
	return rc == SQLITE_OK ? DB_OK : map_status(rc);
}

const struct db_ops db_sqlite_ops = {
	.open = sqlite_open,
	.close = sqlite_close,
	.run = sqlite_run,
	.exec_script = exec_script,
	.defer_sync = sqlite_defer_sync,
	.backup = sqlite_backup,
	.copy_in = NULL, /* bulk loads write multi-row INSERTs (db/demo.c) */
	.col_int = col_int,
	.col_real = col_real,
	.col_text = col_text,
	.col_blob = col_blob,
	.col_isnull = col_isnull,
};
