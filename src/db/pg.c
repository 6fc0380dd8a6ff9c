/*
 * PostgreSQL backend over libpq: statements are prepared on first use per
 * connection, parameters go as text (blobs as binary), results come as
 * text. A lost connection is re-established on the next call; until then
 * calls answer DB_UNAVAILABLE, which the HTTP layer turns into 503.
 */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "db/internal.h"

struct pg_db {
	struct db base;
	PGconn *conn;
	unsigned char prepared[STMT_COUNT];
	/* Unescaped bytea values of the current row, freed after its callback. */
	unsigned char **blobs;
	size_t nblobs, capblobs;
};

static int map_sqlstate(const char *state)
{
	if (!state)
		return DB_UNAVAILABLE; /* no result at all: the connection is gone */
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return DB_BUSY;
	if (!strcmp(state, "53100"))
		return DB_FULL;
	if (!strncmp(state, "53", 2) || !strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
	    !strcmp(state, "57P02") || !strcmp(state, "57P03"))
		return DB_UNAVAILABLE;
	if (!strcmp(state, "58030"))
		return DB_IO;
	return DB_ERROR;
}

static int result_error(struct pg_db *p, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn);
	db_set_error(&p->base, "%s", msg && *msg ? msg : PQerrorMessage(p->conn));
	/* Trim libpq's trailing newline for log lines. */
	size_t n = strlen(p->base.errmsg);
	while (n && (p->base.errmsg[n - 1] == '\n'))
		p->base.errmsg[--n] = '\0';
	if (PQstatus(p->conn) == CONNECTION_BAD)
		return DB_UNAVAILABLE;
	return map_sqlstate(state);
}

static void on_notice(void *arg, const char *message)
{
	(void)arg;
	log_debug("msg=\"postgresql notice\" text=\"%.*s\"", (int)strcspn(message, "\n\""), message);
}

static void pg_close(struct db *db)
{
	struct pg_db *p = (struct pg_db *)db;
	PQfinish(p->conn);
	free(p->blobs);
	free(p);
}

/* What every session needs, on the first connection and again after a reset. */
static int session_setup(struct pg_db *p)
{
	PQsetNoticeProcessor(p->conn, on_notice, NULL);
	PGresult *res = PQexec(p->conn, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'");
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

/* Make sure the connection is up; after a reset every statement must be prepared again. */
static int ensure_connected(struct pg_db *p)
{
	if (PQstatus(p->conn) == CONNECTION_OK)
		return DB_OK;
	if (p->base.in_tx) {
		/* The transaction died with the connection; the caller must start over. */
		db_set_error(&p->base, "connection to PostgreSQL lost during a transaction");
		p->base.in_tx = 0;
		p->base.savepoint_depth = 0;
	}
	PQreset(p->conn);
	memset(p->prepared, 0, sizeof(p->prepared));
	if (PQstatus(p->conn) != CONNECTION_OK) {
		db_set_error(&p->base, "cannot reach PostgreSQL: %s", PQerrorMessage(p->conn));
		return DB_UNAVAILABLE;
	}
	if (session_setup(p) < 0) {
		db_set_error(&p->base, "cannot set up the PostgreSQL session: %s", PQerrorMessage(p->conn));
		return DB_UNAVAILABLE;
	}
	return DB_OK;
}

static int pg_open(struct db **out, const char *url, enum db_mode mode, int busy_timeout_ms, struct buf *err)
{
	(void)mode;
	(void)busy_timeout_ms;
	struct pg_db *p = xcalloc(1, sizeof(*p));
	p->base.ops = &db_pg_ops;
	p->base.backend = DB_PG;
	p->conn = PQconnectdb(url);
	if (!p->conn || PQstatus(p->conn) != CONNECTION_OK) {
		const char *m = p->conn ? PQerrorMessage(p->conn) : "out of memory";
		buf_printf(err, "cannot connect to PostgreSQL: %.*s", (int)strcspn(m, "\n"), m);
		PQfinish(p->conn);
		free(p);
		return DB_UNAVAILABLE;
	}
	if (session_setup(p) < 0) {
		buf_printf(err, "cannot set up the PostgreSQL session: %s", PQerrorMessage(p->conn));
		pg_close(&p->base);
		return DB_ERROR;
	}
	*out = &p->base;
	return DB_OK;
}

static int exec_script(struct db *db, const char *sql)
{
	struct pg_db *p = (struct pg_db *)db;
	/* Re-connecting inside a transaction would silently lose it: only outside one. */
	if (!db->in_tx) {
		int rc = ensure_connected(p);
		if (rc)
			return rc;
	}
	PGresult *res = PQexec(p->conn, sql);
	ExecStatusType st = PQresultStatus(res);
	int rc = DB_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = result_error(p, res);
	PQclear(res);
	return rc;
}

static void free_blobs(struct pg_db *p)
{
	for (size_t i = 0; i < p->nblobs; i++)
		PQfreemem(p->blobs[i]);
	p->nblobs = 0;
}

static int pg_run(struct db *db, enum db_stmt id, const struct db_param *params, int nparams, db_row_fn fn, void *arg,
		  int64_t *changes)
{
	struct pg_db *p = (struct pg_db *)db;
	char name[16];
	int rc;

	if (!db->in_tx && (rc = ensure_connected(p)) != DB_OK)
		return rc;
	snprintf(name, sizeof(name), "q%d", (int)id);
	if (!p->prepared[id] && !db_stmt_texts[id].plan_each) {
		const char *sql = db_stmt_texts[id].pg ? db_stmt_texts[id].pg : db_stmt_texts[id].sqlite;
		PGresult *res = PQprepare(p->conn, name, sql, 0, NULL);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			rc = result_error(p, res);
			char msg[sizeof(p->base.errmsg)];
			memcpy(msg, p->base.errmsg, sizeof(msg));
			db_set_error(db, "prepare %s: %s", db_stmt_texts[id].name, msg);
			PQclear(res);
			return rc;
		}
		PQclear(res);
		p->prepared[id] = 1;
	}

	enum { MAXP = 64 };
	const char *values[MAXP];
	int lengths[MAXP], formats[MAXP];
	char ints[MAXP][24];
	if (nparams > MAXP) {
		db_set_error(db, "too many parameters");
		return DB_ERROR;
	}
	for (int i = 0; i < nparams; i++) {
		const struct db_param *pr = &params[i];
		formats[i] = 0;
		lengths[i] = 0;
		switch (pr->type) {
		case DBT_INT:
			snprintf(ints[i], sizeof(ints[i]), "%" PRId64, pr->i);
			values[i] = ints[i];
			break;
		case DBT_REAL:
			snprintf(ints[i], sizeof(ints[i]), "%.17g", pr->d);
			values[i] = ints[i];
			break;
		case DBT_TEXT:
			/* Text parameters go as binary (raw bytes) so no NUL terminator is needed. */
			values[i] = pr->p ? pr->p : "";
			lengths[i] = (int)pr->n;
			formats[i] = 1;
			break;
		case DBT_BLOB:
			values[i] = pr->p ? pr->p : "";
			lengths[i] = (int)pr->n;
			formats[i] = 1;
			break;
		default:
			values[i] = NULL;
			break;
		}
	}
	/* A statement planned at each run goes unnamed, with its values: PostgreSQL plans it for them. */
	PGresult *res = db_stmt_texts[id].plan_each
				? PQexecParams(p->conn, db_stmt_texts[id].pg ? db_stmt_texts[id].pg : db_stmt_texts[id].sqlite,
					       nparams, NULL, values, lengths, formats, 0)
				: PQexecPrepared(p->conn, name, nparams, values, lengths, formats, 0);
	ExecStatusType st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		rc = result_error(p, res);
		PQclear(res);
		return rc;
	}
	if (fn) {
		int n = PQntuples(res);
		struct db_row row = {db, res, 0};
		for (int i = 0; i < n; i++) {
			row.index = i;
			int stop = fn(&row, arg);
			free_blobs(p);
			if (stop)
				break;
		}
	}
	if (changes) {
		const char *t = PQcmdTuples(res);
		*changes = t && *t ? strtoll(t, NULL, 10) : 0;
	}
	PQclear(res);
	return DB_OK;
}

/* COPY … FROM STDIN with the rows in data (COPY's text format), in one go. */
static int pg_copy_in(struct db *db, enum db_stmt id, const char *data, size_t len)
{
	struct pg_db *p = (struct pg_db *)db;
	int rc;
	if (!db->in_tx && (rc = ensure_connected(p)) != DB_OK)
		return rc;
	const char *sql = db_stmt_texts[id].pg ? db_stmt_texts[id].pg : db_stmt_texts[id].sqlite;
	PGresult *res = PQexec(p->conn, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		rc = result_error(p, res);
		PQclear(res);
		return rc ? rc : DB_ERROR;
	}
	PQclear(res);
	int sent = 1;
	while (len > 0 && sent) {
		int chunk = len > (1u << 20) ? (1 << 20) : (int)len;
		sent = PQputCopyData(p->conn, data, chunk) == 1;
		data += chunk;
		len -= (size_t)chunk;
	}
	int ended = PQputCopyEnd(p->conn, sent ? NULL : "the client could not send the rows") == 1;
	rc = DB_OK;
	while ((res = PQgetResult(p->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);
		if (st == PGRES_COPY_IN) {
			/* Still copying: the end did not go out. End it as failed, once, or give the connection up. */
			PQclear(res);
			if (ended || PQputCopyEnd(p->conn, "the client gave up the copy") != 1) {
				db_set_error(db, "COPY: %s", PQerrorMessage(p->conn));
				PQreset(p->conn);
				return DB_UNAVAILABLE;
			}
			ended = 1;
			sent = 0;
			continue;
		}
		if (st != PGRES_COMMAND_OK && !rc)
			rc = result_error(p, res); /* a row refused: a constraint, a bad value */
		PQclear(res);
	}
	if (!rc && (!sent || !ended)) {
		db_set_error(db, "COPY: %s", PQerrorMessage(p->conn));
		rc = DB_UNAVAILABLE;
	}
	return rc;
}

static int64_t col_int(struct db_row *row, int col)
{
	const char *v = PQgetvalue(row->impl, row->index, col);
	if (v[0] == 't' && v[1] == '\0')
		return 1; /* boolean results */
	return strtoll(v, NULL, 10);
}

static double col_real(struct db_row *row, int col)
{
	return strtod(PQgetvalue(row->impl, row->index, col), NULL);
}

static int col_isnull(struct db_row *row, int col)
{
	return PQgetisnull(row->impl, row->index, col);
}

static const char *col_text(struct db_row *row, int col, size_t *len)
{
	if (PQgetisnull(row->impl, row->index, col)) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = (size_t)PQgetlength(row->impl, row->index, col);
	return PQgetvalue(row->impl, row->index, col);
}

static const void *col_blob(struct db_row *row, int col, size_t *len)
{
	struct pg_db *p = (struct pg_db *)row->db;
	*len = 0;
	if (PQgetisnull(row->impl, row->index, col))
		return NULL;
	unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(row->impl, row->index, col), len);
	if (!b)
		return NULL;
	if (p->nblobs == p->capblobs) {
		p->capblobs = p->capblobs ? p->capblobs * 2 : 8;
		p->blobs = xrealloc(p->blobs, p->capblobs * sizeof(*p->blobs));
	}
	p->blobs[p->nblobs++] = b;
	return b;
}

const struct db_ops db_pg_ops = {
	.open = pg_open,
	.close = pg_close,
	.run = pg_run,
	.exec_script = exec_script,
	.defer_sync = NULL, /* every commit is durable on the server (synchronous_commit) */
	.copy_in = pg_copy_in,
	.col_int = col_int,
	.col_real = col_real,
	.col_text = col_text,
	.col_blob = col_blob,
	.col_isnull = col_isnull,
};
