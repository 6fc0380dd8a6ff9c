/* Backend-independent parts of the database interface: opening, running
 * statements, transactions and migrations (db.h, internal.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/log.h"
#include "db/internal.h"

int db_open(const char *url, enum db_mode mode, int busy_timeout_ms, struct db **out, struct buf *err)
{
	*out = NULL;
	if (strncmp(url, "sqlite:", 7) == 0)
		return db_sqlite_ops.open(out, url + 7, mode, busy_timeout_ms, err);
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return db_pg_ops.open(out, url, mode, busy_timeout_ms, err);
	buf_printf(err, "database '%s' is not sqlite:PATH or a postgresql:// URL", url);
	return DB_ERROR;
}

void db_close(struct db *db)
{
	if (db)
		db->ops->close(db);
}

enum db_backend db_backend(const struct db *db)
{
	return db->backend;
}

const char *db_errmsg(const struct db *db)
{
	return db->errmsg;
}

void db_set_error(struct db *db, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof(db->errmsg), fmt, ap);
	va_end(ap);
}

const char *db_status_name(int status)
{
	switch (status) {
	case DB_OK:
		return "ok";
	case DB_NOTFOUND:
		return "not found";
	case DB_CONSTRAINT:
		return "constraint";
	case DB_BUSY:
		return "busy";
	case DB_FULL:
		return "disk full";
	case DB_IO:
		return "i/o error";
	case DB_UNAVAILABLE:
		return "unavailable";
	default:
		return "error";
	}
}

int db_status_is_unavailable(int status)
{
	return status == DB_BUSY || status == DB_FULL || status == DB_IO || status == DB_UNAVAILABLE;
}

int db_run(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_row_fn fn, void *arg)
{
	return db->ops->run(db, id, params, nparams, fn, arg, NULL);
}

int db_run_changes(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, int64_t *changes)
{
	return db->ops->run(db, id, params, nparams, NULL, NULL, changes);
}

struct one_int {
	int64_t value;
	int found;
};

static int take_one_int(struct db_row *row, void *arg)
{
	struct one_int *o = arg;
	o->value = db_col_int(row, 0);
	o->found = 1;
	return 1;
}

int db_run_int(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, int64_t *out)
{
	struct one_int o = {0, 0};
	int rc = db_run(db, id, params, nparams, take_one_int, &o);
	if (rc)
		return rc;
	if (!o.found)
		return DB_NOTFOUND;
	*out = o.value;
	return DB_OK;
}

struct get_state {
	db_read_fn read;
	struct arena *a;
	void *out;
	size_t elem, n, cap;
	int found;
};

static int on_get_one(struct db_row *row, void *arg)
{
	struct get_state *g = arg;
	g->read(row, g->a, g->out);
	g->found = 1;
	return 1;
}

int db_get_one(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_read_fn read,
	       struct arena *a, void *out)
{
	struct get_state g = {read, a, out, 0, 0, 0, 0};
	int rc = db_run(db, id, params, nparams, on_get_one, &g);
	if (rc)
		return rc;
	return g.found ? DB_OK : DB_NOTFOUND;
}

static int on_get_list(struct db_row *row, void *arg)
{
	struct get_state *g = arg;
	g->out = arena_grow_array(g->a, g->out, g->n, &g->cap, g->elem);
	void *slot = (char *)g->out + g->n * g->elem;
	memset(slot, 0, g->elem);
	g->read(row, g->a, slot);
	g->n++;
	return 0;
}

int db_get_list(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_read_fn read,
		size_t elem, struct arena *a, void **items, size_t *n)
{
	struct get_state g = {read, a, NULL, elem, 0, 0, 0};
	int rc = db_run(db, id, params, nparams, on_get_list, &g);
	*items = g.out;
	*n = g.n;
	return rc;
}

char *db_col_strdup(struct db_row *row, int col, struct arena *a)
{
	size_t len;
	const char *s = db_col_text(row, col, &len);
	return s ? arena_strndup(a, s, len) : NULL;
}

const void *db_col_blobdup(struct db_row *row, int col, struct arena *a, size_t *len)
{
	const void *b = db_col_blob(row, col, len);
	if (!b || !*len) {
		*len = 0;
		return NULL;
	}
	void *copy = arena_alloc(a, *len);
	memcpy(copy, b, *len);
	return copy;
}

int db_run_one(struct db *db, enum db_stmt id, const struct db_param *params, int nparams)
{
	int64_t changed = 0;
	int rc = db_run_changes(db, id, params, nparams, &changed);
	return rc ? rc : changed ? DB_OK : DB_NOTFOUND;
}

/* --- backups --- */

int db_backup(struct db *db, const char *path, int restore, struct buf *err)
{
	if (!db->ops->backup) {
		buf_printf(err, "PostgreSQL databases are backed up with its own tools (pg_dump, pg_basebackup)");
		return DB_ERROR;
	}
	return db->ops->backup(db, path, restore, err);
}

static void read_text_into(struct db_row *row, struct arena *a, void *out)
{
	(void)a;
	struct buf *b = out;
	size_t len;
	const char *t = db_col_text(row, 0, &len);
	if (b->len)
		buf_addc(b, '\n');
	if (t)
		buf_add(b, t, len);
}

static int integrity_row(struct db_row *row, void *arg)
{
	read_text_into(row, NULL, arg);
	return 0;
}

int db_integrity_check(struct db *db, struct buf *report)
{
	int rc = db_run(db, STMT_INTEGRITY_CHECK, NULL, 0, integrity_row, report);
	if (rc)
		return rc;
	return report->len == 2 && !memcmp(report->ptr, "ok", 2) ? DB_OK : DB_ERROR;
}

/* --- bulk loads --- */

int db_bulk_load(struct db *db, int on)
{
	/*
	 * A crash halfway through a bulk load leaves a database to throw away, not a half-durable one
	 * to trust. The loader makes its references itself, in order; SQLite's check of every one
	 * (a lookup per row) is off meanwhile, and PRAGMA foreign_key_check in the demo's test
	 * proves what it made.
	 */
	if (db->backend == DB_SQLITE)
		return db->ops->exec_script(db, on ? "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; "
						     "PRAGMA foreign_keys = OFF;"
						   : "PRAGMA synchronous = FULL; PRAGMA cache_size = -2000; "
						     "PRAGMA foreign_keys = ON;");
	/* PostgreSQL plans from statistics: gather them after the load rather than when autovacuum comes by. */
	return db->ops->exec_script(db, on ? "SET synchronous_commit = off" : "SET synchronous_commit = on; ANALYZE");
}

struct index_def {
	char *name, *sql;
};

static void read_index(struct db_row *row, struct arena *a, void *out)
{
	struct index_def *d = out;
	d->name = db_col_strdup(row, 0, a);
	d->sql = db_col_strdup(row, 1, a);
}

static int index_name_ok(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_");
	return n > 0 && n < 200 && !name[n];
}

int db_bulk_drop_indexes(struct db *db, const char *table, const char *const *keep, struct arena *ar,
			 struct buf *saved)
{
	void *out;
	size_t n;
	int rc = db_get_list(db, STMT_TABLE_INDEXES, (struct db_param[]){DBP_TEXT(table)}, 1, read_index,
			     sizeof(struct index_def), ar, &out, &n);
	struct index_def *d = out;
	/*
	 * Names come from the catalogue, never from input, and are the schema's
	 * own (lower-case words): a table with any other is refused, before any
	 * index is dropped, rather than quoted.
	 */
	for (size_t i = 0; !rc && i < n; i++)
		if (!index_name_ok(d[i].name)) {
			db_set_error(db, "index name '%s' is not one of the schema's", d[i].name);
			rc = DB_ERROR;
		}
	for (size_t i = 0; !rc && i < n; i++) {
		int kept = 0;
		for (const char *const *k = keep; k && *k && !kept; k++)
			kept = !strcmp(*k, d[i].name);
		if (kept)
			continue;
		char drop[256];
		snprintf(drop, sizeof(drop), "DROP INDEX %s", d[i].name);
		rc = db->ops->exec_script(db, drop);
		if (!rc)
			buf_printf(saved, "%s;\n", d[i].sql);
	}
	return rc;
}

int db_bulk_restore_indexes(struct db *db, const struct buf *saved)
{
	return saved->len ? db->ops->exec_script(db, saved->ptr) : DB_OK;
}

/* --- transactions --- */

static int tx_exec(struct db *db, const char *sql)
{
	return db->ops->exec_script(db, sql);
}

static void tx_started(struct db *db)
{
	db->in_tx = 1;
	db->tx_serial++;
	memset(&db->head, 0, sizeof(db->head));
}

int db_begin(struct db *db)
{
	int rc = tx_exec(db, "BEGIN");
	if (rc == DB_OK)
		tx_started(db);
	return rc;
}

int db_begin_write(struct db *db)
{
	int rc = tx_exec(db, db->backend == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
	if (rc == DB_OK)
		tx_started(db);
	return rc;
}

/* Write the advanced chain head once per transaction instead of once per row. */
static int flush_audit_head(struct db *db)
{
	if (!db->head.valid || !db->head.dirty)
		return DB_OK;
	int rc = db_audit_head_set(db, db->head.last_id, db->head.hash);
	if (rc == DB_OK)
		db->head.dirty = 0;
	return rc;
}

int db_audit_head(struct db *db, int64_t *last_id, unsigned char hash[AUDIT_HASH_BYTES])
{
	if (!db->head.valid) {
		int rc = db_audit_head_get(db, &db->head.last_id, db->head.hash);
		if (rc)
			return rc;
		db->head.valid = 1;
		db->head.dirty = 0;
	}
	*last_id = db->head.last_id;
	memcpy(hash, db->head.hash, AUDIT_HASH_BYTES);
	return DB_OK;
}

void db_audit_head_advance(struct db *db, int64_t last_id, const unsigned char hash[AUDIT_HASH_BYTES])
{
	db->head.valid = 1;
	db->head.dirty = 1;
	db->head.last_id = last_id;
	memcpy(db->head.hash, hash, AUDIT_HASH_BYTES);
}

int db_commit(struct db *db)
{
	int rc = flush_audit_head(db);
	if (rc)
		return rc;
	rc = tx_exec(db, "COMMIT");
	if (rc == DB_OK) {
		db->in_tx = 0;
		db->savepoint_depth = 0;
	}
	return rc;
}

int db_rollback(struct db *db)
{
	int rc = tx_exec(db, "ROLLBACK");
	db->in_tx = 0;
	db->savepoint_depth = 0;
	memset(&db->head, 0, sizeof(db->head));
	return rc;
}

uint64_t db_tx_serial(const struct db *db)
{
	return db->tx_serial;
}

int db_savepoint(struct db *db)
{
	char sql[32];
	int rc;
	/* Too deep to remember the head: write it through, so a rollback finds it in the table. */
	if (db->savepoint_depth >= DB_MAX_SAVEPOINT_SNAPSHOTS && (rc = flush_audit_head(db)) != DB_OK)
		return rc;
	snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", db->savepoint_depth + 1);
	rc = tx_exec(db, sql);
	if (rc == DB_OK) {
		if (db->savepoint_depth < DB_MAX_SAVEPOINT_SNAPSHOTS)
			db->head_at[db->savepoint_depth] = db->head;
		db->savepoint_depth++;
	}
	return rc;
}

int db_savepoint_release(struct db *db)
{
	char sql[40];
	snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT sp%d", db->savepoint_depth);
	int rc = tx_exec(db, sql);
	if (rc == DB_OK)
		db->savepoint_depth--;
	return rc;
}

int db_savepoint_rollback(struct db *db)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT sp%d", db->savepoint_depth);
	int rc = tx_exec(db, sql);
	if (rc != DB_OK)
		return rc;
	/* Rows appended since the savepoint are gone: so is the head they made. */
	if (db->savepoint_depth <= DB_MAX_SAVEPOINT_SNAPSHOTS)
		db->head = db->head_at[db->savepoint_depth - 1];
	else
		memset(&db->head, 0, sizeof(db->head)); /* written through: read it again */
	return db_savepoint_release(db);
}

/* --- schema and migrations --- */

int db_schema_latest(void)
{
	return (int)embedded_migrations_count;
}

int db_schema_version(struct db *db, int *version)
{
	int64_t n = 0;
	int rc = db_run_int(db, STMT_SCHEMA_TABLE_EXISTS, NULL, 0, &n);
	if (rc)
		return rc;
	if (n == 0) {
		*version = 0;
		return DB_OK;
	}
	int64_t v = 0;
	rc = db_run_int(db, STMT_SCHEMA_VERSION, NULL, 0, &v);
	if (rc == DB_NOTFOUND) {
		*version = 0;
		return DB_OK;
	}
	if (rc)
		return rc;
	*version = (int)v;
	return DB_OK;
}

/*
 * Migrations are written once for both backends. Tokens stand for the
 * types that differ, and a line starting "--sqlite " or "--pg " belongs to
 * that backend only.
 */
static void render_migration(enum db_backend be, const char *text, size_t len, struct buf *out)
{
	static const struct {
		const char *token, *sqlite, *pg;
	} tokens[] = {
		{"{{id}}", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
		{"{{blob}}", "BLOB", "BYTEA"},
		{"{{int}}", "INTEGER", "BIGINT"},
		{"{{real}}", "REAL", "DOUBLE PRECISION"},
	};
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) + 1 : (size_t)(end - p);
		const char *line = p;
		size_t linelen = n;
		if (n >= 9 && memcmp(line, "--sqlite ", 9) == 0) {
			if (be != DB_SQLITE)
				goto next;
			line += 9, linelen -= 9;
		} else if (n >= 5 && memcmp(line, "--pg ", 5) == 0) {
			if (be != DB_PG)
				goto next;
			line += 5, linelen -= 5;
		}
		for (size_t i = 0; i < linelen;) {
			size_t t;
			for (t = 0; t < sizeof(tokens) / sizeof(tokens[0]); t++) {
				size_t tl = strlen(tokens[t].token);
				if (linelen - i >= tl && memcmp(line + i, tokens[t].token, tl) == 0) {
					buf_adds(out, be == DB_SQLITE ? tokens[t].sqlite : tokens[t].pg);
					i += tl;
					break;
				}
			}
			if (t == sizeof(tokens) / sizeof(tokens[0]))
				buf_addc(out, line[i++]);
		}
	next:
		p += n;
	}
}

int db_migrate(struct db *db, int *from, int *to, struct buf *err)
{
	int version = 0;
	int latest = db_schema_latest();
	int rc = db_schema_version(db, &version);
	if (rc) {
		buf_printf(err, "cannot read the schema version: %s", db_errmsg(db));
		return rc;
	}
	*from = version;
	*to = version;
	if (version > latest) {
		buf_printf(err, "the database has schema version %d, newer than this program's %d: upgrade qorgau", version,
			   latest);
		return DB_ERROR;
	}
	if (version == 0) {
		rc = tx_exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
		if (rc) {
			buf_printf(err, "cannot create the schema_version table: %s", db_errmsg(db));
			return rc;
		}
	}
	while (version < latest) {
		const struct embedded_file *m = &embedded_migrations[version];
		struct buf sql = BUF_INIT;
		render_migration(db->backend, (const char *)m->data, m->len, &sql);
		rc = db_begin_write(db);
		if (rc == DB_OK)
			rc = db_run(db, STMT_SCHEMA_LOCK, NULL, 0, NULL, NULL);
		int current = version;
		if (rc == DB_OK)
			rc = db_schema_version(db, &current);
		if (rc == DB_OK && current == version) {
			rc = tx_exec(db, sql.ptr);
			if (rc == DB_OK && version == 0)
				rc = tx_exec(db, "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (0)");
			if (rc == DB_OK)
				rc = db_run(db, STMT_SCHEMA_VERSION_SET, (struct db_param[]){DBP_INT(version + 1)}, 1, NULL,
					    NULL);
		}
		buf_release(&sql);
		if (rc == DB_OK)
			rc = db_commit(db);
		if (rc) {
			buf_printf(err, "migration %s failed: %s", m->name, db_errmsg(db));
			db_rollback(db);
			return rc;
		}
		/* Another instance may have applied it meanwhile: take what is there now. */
		version = current == version ? version + 1 : current;
		log_info("msg=\"schema migrated\" version=%d", version);
		*to = version;
	}
	return DB_OK;
}

int db_check_schema(struct db *db, struct buf *err)
{
	int version = 0;
	int rc = db_schema_version(db, &version);
	if (rc) {
		buf_printf(err, "cannot read the schema version: %s", db_errmsg(db));
		return rc;
	}
	int latest = db_schema_latest();
	if (version == 0) {
		buf_printf(err, "the database is not initialised: run 'qorgau init'");
		return DB_ERROR;
	}
	if (version > latest) {
		buf_printf(err, "the database has schema version %d, newer than this program's %d: upgrade qorgau", version,
			   latest);
		return DB_ERROR;
	}
	if (version < latest) {
		buf_printf(err, "the database has schema version %d, this program needs %d: run 'qorgau migrate'", version,
			   latest);
		return DB_ERROR;
	}
	return DB_OK;
}

int db_size_bytes(struct db *db, int64_t *bytes)
{
	return db_run_int(db, STMT_DB_SIZE, NULL, 0, bytes);
}
