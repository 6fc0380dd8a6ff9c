/*
 * Bulk loading of the demo region (db.h).
 *
 * A statement per row costs more than the row: a bulk writer keeps rows of
 * one table and writes them many to a multi-row INSERT. The loader names
 * the rows itself (ids from the table's next), so nothing is read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"
#include "db/internal.h"

struct bulk_def {
	const char *table;
	const char *columns;
	int ncols;
	int has_id;
};

static const struct bulk_def bulk_defs[BULK_TABLES] = {
	[BULK_CHILD] = {"child",
			"id, surname, given_name, patronymic, birth_date, sex, district_id, care_status, institution, "
			"surname_key, given_key, patronymic_key, ver, created_at, updated_at",
			15, 1},
	[BULK_MENTORSHIP] = {"mentorship",
			     "id, child_id, organisation_id, started_on, last_contact_on, child_district_id, created_at, "
			     "updated_at",
			     8, 1},
	[BULK_MENTOR] = {"mentor", "id, mentorship_id, name, position, phone, active, created_at", 7, 1},
	[BULK_GOAL] = {"goal", "id, mentorship_id, area, description, status, agreed_on, reached_on, updated_at", 8, 1},
	[BULK_CONTACT] = {"mentor_contact", "id, mentorship_id, contact_on, kind, participants, created_at", 6, 1},
	[BULK_APPEAL] = {"appeal",
			 "id, number, channel, kind, applicant_type, applicant_name, applicant_phone, applicant_lang, "
			 "child_id, category, risk, prio, district_id, summary, summary_sealed, sensitive, received_at, "
			 "registered_on, due_on, forward_due_on, created_by, created_org, created_at, updated_at, status, "
			 "assignee_id, resolved_on, status_reason",
			 28, 1},
	[BULK_APPEAL_TERM] = {"appeal_term", "term, appeal_id", 2, 0},
	[BULK_APPEAL_EVENT] = {"appeal_event", "appeal_id, at, user_id, action, from_status, to_status", 6, 0},
	[BULK_CONSULTATION] = {"consultation",
			       "id, appeal_id, psychologist_id, held_at, duration_min, format, participants, created_at", 8,
			       1},
	[BULK_APPEAL_STAT] = {"appeal_stat", "day, district_id, dim, val, n", 5, 0},
	[BULK_REFERRAL] = {"referral",
			   "id, appeal_id, to_org, reason, consent, status, due_on, answer, created_by, created_at, "
			   "answered_at, updated_at",
			   12, 1},
};

/* Rows per statement: past a few dozen the statement's own cost is spread thin. */
enum { BULK_PARAMS = 2400, BULK_MAX_ROWS = 100 };

struct db_bulk {
	struct db *db;
	const struct bulk_def *def;
	struct db_bulk *parent;
	int64_t next_id, rows;
	int k, n; /* rows a statement takes, rows waiting */
	struct db_param *params;
	struct arena text; /* copies of the waiting rows' text */
	void *full;	   /* the statement for k rows */
};

/* INSERT INTO table (columns) VALUES ($1, …), … for n rows. */
static char *insert_sql(const struct bulk_def *d, int n)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "INSERT INTO %s (%s) VALUES ", d->table, d->columns);
	int p = 1;
	for (int r = 0; r < n; r++) {
		buf_adds(&b, r ? ", (" : "(");
		for (int c = 0; c < d->ncols; c++)
			buf_printf(&b, c ? ", $%d" : "$%d", p++);
		buf_addc(&b, ')');
	}
	return b.ptr;
}

static int take_int(struct db_row *row, void *arg)
{
	*(int64_t *)arg = db_col_int(row, 0);
	return 1;
}

/* Run literal SQL made from fixed names: a prepared statement used once. */
static int run_once(struct db *db, const char *sql, const struct db_param *params, int nparams, int64_t *out)
{
	void *st;
	int rc = db->ops->prepare(db, sql, &st);
	if (rc)
		return rc;
	rc = db->ops->run_prepared(db, st, params, nparams, out ? take_int : NULL, out);
	db->ops->finalize(db, st);
	return rc;
}

int db_bulk_open(struct db *db, enum db_bulk_table t, struct db_bulk *parent, struct db_bulk **out)
{
	const struct bulk_def *d = &bulk_defs[t];
	struct db_bulk *b = xcalloc(1, sizeof(*b));
	b->db = db;
	b->def = d;
	b->parent = parent;
	b->k = BULK_PARAMS / d->ncols < BULK_MAX_ROWS ? BULK_PARAMS / d->ncols : BULK_MAX_ROWS;
	b->params = xcalloc((size_t)(b->k * d->ncols), sizeof(*b->params));
	arena_init(&b->text);
	int rc = DB_OK;
	if (d->has_id) {
		char sql[96];
		snprintf(sql, sizeof(sql), "SELECT COALESCE(max(id), 0) FROM %s", d->table);
		rc = run_once(db, sql, NULL, 0, &b->next_id);
		b->next_id++;
	}
	if (!rc) {
		char *sql = insert_sql(d, b->k);
		rc = db->ops->prepare(db, sql, &b->full);
		free(sql);
	}
	if (rc) {
		arena_release(&b->text);
		free(b->params);
		free(b);
		return rc;
	}
	*out = b;
	return DB_OK;
}

int64_t db_bulk_id(struct db_bulk *b)
{
	return b->next_id;
}

static int bulk_flush(struct db_bulk *b)
{
	if (!b->n)
		return DB_OK;
	struct db *db = b->db;
	int rc = DB_OK;
	/* PostgreSQL checks a reference as the row goes in: the rows referred to go first. */
	if (b->parent && db->backend == DB_PG && (rc = bulk_flush(b->parent)) != DB_OK)
		return rc;
	int nparams = b->n * b->def->ncols;
	if (b->n == b->k) {
		rc = db->ops->run_prepared(db, b->full, b->params, nparams, NULL, NULL);
	} else {
		char *sql = insert_sql(b->def, b->n);
		rc = run_once(db, sql, b->params, nparams, NULL);
		free(sql);
	}
	b->n = 0;
	arena_release(&b->text);
	arena_init(&b->text);
	return rc;
}

static int bulk_row(struct db_bulk *b, const struct db_param *row)
{
	struct db_param *p = b->params + b->n * b->def->ncols;
	for (int c = 0; c < b->def->ncols; c++) {
		p[c] = row[c];
		if ((p[c].type == DBT_TEXT || p[c].type == DBT_BLOB) && p[c].p) {
			void *copy = arena_alloc(&b->text, p[c].n ? p[c].n : 1);
			memcpy(copy, p[c].p, p[c].n);
			p[c].p = copy;
		}
	}
	if (b->def->has_id)
		b->next_id = row[0].i + 1 > b->next_id ? row[0].i + 1 : b->next_id;
	b->rows++;
	return ++b->n == b->k ? bulk_flush(b) : DB_OK;
}

int db_bulk_close(struct db_bulk *b, int write)
{
	if (!b)
		return DB_OK;
	struct db *db = b->db;
	int rc = write ? bulk_flush(b) : DB_OK;
	/* PostgreSQL's identity goes on after the ids the loader gave. */
	if (!rc && write && b->def->has_id && b->rows && db->backend == DB_PG) {
		char sql[160];
		snprintf(sql, sizeof(sql), "SELECT setval(pg_get_serial_sequence('%s', 'id'), $1)", b->def->table);
		int64_t ignored;
		rc = run_once(db, sql, (struct db_param[]){DBP_INT(b->next_id - 1)}, 1, &ignored);
	}
	db->ops->finalize(db, b->full);
	arena_release(&b->text);
	free(b->params);
	free(b);
	return rc;
}

/* ---------- rows ---------- */

int db_bulk_child(struct db_bulk *b, const struct child *c)
{
	struct db_param p[] = {DBP_INT(c->id),
			       DBP_TEXT(c->surname),
			       DBP_TEXT(c->given_name),
			       DBP_TEXT(c->patronymic),
			       DBP_TEXT(c->birth_date),
			       DBP_TEXT(c->sex),
			       DBP_ID(c->district_id),
			       DBP_TEXT(c->care_status),
			       DBP_TEXT(c->institution),
			       DBP_TEXT(c->surname_key),
			       DBP_TEXT(c->given_key),
			       DBP_TEXT(c->patronymic_key ? c->patronymic_key : ""),
			       DBP_INT(c->ver),
			       DBP_INT(c->created_at),
			       DBP_INT(c->updated_at)};
	return bulk_row(b, p);
}

int db_bulk_mentorship(struct db_bulk *b, const struct mentorship *m)
{
	struct db_param p[] = {DBP_INT(m->id),		     DBP_INT(m->child_id),	   DBP_INT(m->organisation_id),
			       DBP_TEXT(m->started_on),	     DBP_TEXT(m->last_contact_on), DBP_ID(m->child_district_id),
			       DBP_INT(m->created_at),	     DBP_INT(m->created_at)};
	return bulk_row(b, p);
}

int db_bulk_mentor(struct db_bulk *b, const struct mentor *m, int64_t now)
{
	struct db_param p[] = {DBP_INT(m->id),	      DBP_INT(m->mentorship_id), DBP_TEXT(m->name), DBP_TEXT(m->position),
			       DBP_TEXT(m->phone), DBP_INT(m->active),	      DBP_INT(now)};
	return bulk_row(b, p);
}

int db_bulk_goal(struct db_bulk *b, const struct goal *g)
{
	struct db_param p[] = {DBP_INT(g->id),	       DBP_INT(g->mentorship_id), DBP_TEXT(g->area),
			       DBP_TEXT(g->description), DBP_TEXT(g->status),	  DBP_TEXT(g->agreed_on),
			       DBP_TEXT(g->reached_on),	 DBP_INT(g->updated_at)};
	return bulk_row(b, p);
}

int db_bulk_contact(struct db_bulk *b, const struct mentor_contact *k)
{
	struct db_param p[] = {DBP_INT(k->id),		 DBP_INT(k->mentorship_id), DBP_TEXT(k->contact_on),
			       DBP_TEXT(k->kind),	 DBP_TEXT(k->participants),  DBP_INT(k->created_at)};
	return bulk_row(b, p);
}

int db_bulk_appeal(struct db_bulk *b, const struct appeal *a)
{
	struct db_param p[] = {
		DBP_INT(a->id),
		DBP_TEXT(a->number),
		DBP_TEXT(a->channel),
		DBP_TEXT(a->kind),
		DBP_TEXT(a->applicant_type),
		DBP_TEXT(a->applicant_name),
		DBP_TEXT(a->applicant_phone),
		DBP_TEXT(a->applicant_lang),
		DBP_ID(a->child_id),
		DBP_TEXT(a->category),
		DBP_TEXT(a->risk),
		DBP_INT(a->prio),
		DBP_INT(a->district_id),
		DBP_TEXT(a->summary),
		a->summary_sealed ? DBP_BLOB(a->summary_sealed, a->summary_sealed_len) : DBP_NULL,
		DBP_INT(a->sensitive),
		DBP_INT(a->received_at),
		DBP_TEXT(a->registered_on),
		DBP_TEXT(a->due_on),
		DBP_TEXT(a->forward_due_on),
		DBP_ID(a->created_by),
		DBP_ID(a->created_org),
		DBP_INT(a->created_at),
		DBP_INT(a->created_at),
		DBP_TEXT(a->status ? a->status : "registered"),
		DBP_ID(a->assignee_id),
		DBP_TEXT(a->resolved_on),
		DBP_TEXT(a->status_reason),
	};
	return bulk_row(b, p);
}

int db_bulk_term(struct db_bulk *b, int64_t term, int64_t appeal_id)
{
	return bulk_row(b, (struct db_param[]){DBP_INT(term), DBP_INT(appeal_id)});
}

int db_bulk_appeal_event(struct db_bulk *b, int64_t appeal_id, int64_t at, int64_t user_id, const char *action,
			 const char *from_status, const char *to_status)
{
	struct db_param p[] = {DBP_INT(appeal_id),     DBP_INT(at),	     DBP_ID(user_id),
			       DBP_TEXT(action),       DBP_TEXT(from_status), DBP_TEXT(to_status)};
	return bulk_row(b, p);
}

int db_bulk_consultation(struct db_bulk *b, const struct consultation *c)
{
	struct db_param p[] = {DBP_INT(c->id),		  DBP_INT(c->appeal_id),  DBP_INT(c->psychologist_id),
			       DBP_INT(c->held_at),	  DBP_INT(c->duration_min), DBP_TEXT(c->format),
			       DBP_TEXT(c->participants), DBP_INT(c->created_at)};
	return bulk_row(b, p);
}

int db_bulk_stat(struct db_bulk *b, const char *day, int64_t district_id, const char *dim, const char *val, int64_t n)
{
	struct db_param p[] = {DBP_TEXT(day), DBP_INT(district_id), DBP_TEXT(dim), DBP_TEXT(val), DBP_INT(n)};
	return bulk_row(b, p);
}

int db_bulk_referral(struct db_bulk *b, const struct referral *r)
{
	struct db_param p[] = {DBP_INT(r->id),	       DBP_INT(r->appeal_id),	DBP_INT(r->to_org),
			       DBP_TEXT(r->reason),    DBP_TEXT(r->consent),	DBP_TEXT(r->status),
			       DBP_TEXT(r->due_on),    DBP_TEXT(r->answer),	DBP_ID(r->created_by),
			       DBP_INT(r->created_at), DBP_ID(r->answered_at), DBP_INT(r->answered_at ? r->answered_at : r->created_at)};
	return bulk_row(b, p);
}

/* The children's change number: past every ver the loader gave. */
int db_demo_child_ver(struct db *db, int64_t ver)
{
	return db_run(db, STMT_DEMO_CHILD_VER, (struct db_param[]){DBP_INT(ver)}, 1, NULL, NULL);
}
