/*
 * Bulk loading of the demo region (db.h).
 *
 * A statement per row costs more than the row: a bulk writer keeps rows of
 * one table and writes them many at a time, with fixed statements of
 * db/sql/demo.def: SQLite a BULK_ROWS-row INSERT, PostgreSQL a COPY. The
 * loader names the rows itself (ids from the table's next), so nothing is
 * read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/mem.h"
#include "db/internal.h"

enum {
	BULK_ROWS = 100,	 /* rows of a ROWS statement (BULK_X100 in demo.def) */
	BULK_COPY_BYTES = 1 << 19, /* PostgreSQL: COPY when this much waits */
};

struct bulk_def {
	int ncols, has_id;
	enum db_stmt rows, row, max_id, ids_done;
};

#define BULK_DEF(NAME, ncols) {ncols, 1, STMT_BULK_##NAME##_ROWS, STMT_BULK_##NAME##_ROW, STMT_BULK_##NAME##_MAX_ID, STMT_BULK_##NAME##_IDS_DONE}
#define BULK_DEF_NO_ID(NAME, ncols) {ncols, 0, STMT_BULK_##NAME##_ROWS, STMT_BULK_##NAME##_ROW, 0, 0}
static const struct bulk_def bulk_defs[BULK_TABLES] = {
	[BULK_CHILD] = BULK_DEF(CHILD, 15),
	[BULK_MENTORSHIP] = BULK_DEF(MENTORSHIP, 8),
	[BULK_MENTOR] = BULK_DEF(MENTOR, 7),
	[BULK_GOAL] = BULK_DEF(GOAL, 8),
	[BULK_CONTACT] = BULK_DEF(CONTACT, 7),
	[BULK_APPEAL] = BULK_DEF(APPEAL, 28),
	[BULK_APPEAL_TERM] = BULK_DEF_NO_ID(APPEAL_TERM, 2),
	[BULK_APPEAL_EVENT] = BULK_DEF_NO_ID(APPEAL_EVENT, 7),
	[BULK_CONSULTATION] = BULK_DEF(CONSULTATION, 8),
	[BULK_APPEAL_STAT] = BULK_DEF_NO_ID(APPEAL_STAT, 5),
	[BULK_REFERRAL] = BULK_DEF(REFERRAL, 12),
};
#undef BULK_DEF
#undef BULK_DEF_NO_ID

struct db_bulk {
	struct db *db;
	const struct bulk_def *def;
	struct db_bulk *parent;
	int64_t next_id, rows;
	int n; /* rows waiting */
	/* SQLite: the waiting rows' parameters, their text copied into the arena. */
	struct db_param *params;
	struct arena text;
	/* PostgreSQL: the waiting rows as COPY text. */
	struct buf copy;
};

int db_bulk_open(struct db *db, enum db_bulk_table t, struct db_bulk *parent, struct db_bulk **out)
{
	const struct bulk_def *d = &bulk_defs[t];
	int64_t last = 0;
	int rc = d->has_id ? db_run_int(db, d->max_id, NULL, 0, &last) : DB_OK;
	if (rc)
		return rc;
	struct db_bulk *b = xcalloc(1, sizeof(*b));
	b->db = db;
	b->def = d;
	b->parent = parent;
	b->next_id = last + 1;
	if (db->backend == DB_SQLITE)
		b->params = xcalloc((size_t)(BULK_ROWS * d->ncols), sizeof(*b->params));
	arena_init(&b->text);
	buf_init(&b->copy);
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
	const struct bulk_def *d = b->def;
	int rc = DB_OK;
	if (db->backend == DB_PG) {
		/* PostgreSQL checks a reference as the row goes in: the rows referred to go first. */
		if (b->parent && (rc = bulk_flush(b->parent)) != DB_OK)
			return rc;
		rc = db->ops->copy_in(db, d->rows, b->copy.ptr, b->copy.len);
		buf_reset(&b->copy);
	} else if (b->n == BULK_ROWS) {
		rc = db_run(db, d->rows, b->params, BULK_ROWS * d->ncols, NULL, NULL);
	} else {
		for (int i = 0; !rc && i < b->n; i++)
			rc = db_run(db, d->row, b->params + i * d->ncols, d->ncols, NULL, NULL);
	}
	b->n = 0;
	arena_release(&b->text);
	arena_init(&b->text);
	return rc;
}

/* A value as COPY's text format has it: \N for NULL; backslash, tab and line ends escaped. */
static void copy_value(struct buf *out, const struct db_param *p)
{
	static const char hex[] = "0123456789abcdef";
	switch (p->type) {
	case DBT_INT:
		buf_printf(out, "%lld", (long long)p->i);
		break;
	case DBT_REAL:
		buf_printf(out, "%.17g", p->d);
		break;
	case DBT_TEXT:
		for (size_t i = 0; i < p->n; i++) {
			char c = ((const char *)p->p)[i];
			if (c == '\\')
				buf_adds(out, "\\\\");
			else if (c == '\t')
				buf_adds(out, "\\t");
			else if (c == '\n')
				buf_adds(out, "\\n");
			else if (c == '\r')
				buf_adds(out, "\\r");
			else
				buf_addc(out, c);
		}
		break;
	case DBT_BLOB:
		/* bytea's hex form, its backslash escaped for COPY. */
		buf_adds(out, "\\\\x");
		for (size_t i = 0; i < p->n; i++) {
			unsigned char c = ((const unsigned char *)p->p)[i];
			buf_addc(out, hex[c >> 4]);
			buf_addc(out, hex[c & 15]);
		}
		break;
	default:
		buf_adds(out, "\\N");
		break;
	}
}

static int bulk_row(struct db_bulk *b, const struct db_param *row)
{
	const struct bulk_def *d = b->def;
	if (d->has_id && row[0].i >= b->next_id)
		b->next_id = row[0].i + 1;
	b->rows++;
	b->n++;
	if (b->db->backend == DB_PG) {
		for (int c = 0; c < d->ncols; c++) {
			if (c)
				buf_addc(&b->copy, '\t');
			copy_value(&b->copy, &row[c]);
		}
		buf_addc(&b->copy, '\n');
		return b->copy.len >= BULK_COPY_BYTES ? bulk_flush(b) : DB_OK;
	}
	struct db_param *p = b->params + (b->n - 1) * d->ncols;
	for (int c = 0; c < d->ncols; c++) {
		p[c] = row[c];
		if ((p[c].type == DBT_TEXT || p[c].type == DBT_BLOB) && p[c].p) {
			void *copy = arena_alloc(&b->text, p[c].n ? p[c].n : 1);
			memcpy(copy, p[c].p, p[c].n);
			p[c].p = copy;
		}
	}
	return b->n == BULK_ROWS ? bulk_flush(b) : DB_OK;
}

int db_bulk_close(struct db_bulk *b, int write)
{
	if (!b)
		return DB_OK;
	int rc = write ? bulk_flush(b) : DB_OK;
	/* PostgreSQL's identity goes on after the ids the loader gave. */
	if (!rc && write && b->def->has_id && b->rows) {
		int64_t ignored;
		rc = db_run_int(b->db, b->def->ids_done, (struct db_param[]){DBP_INT(b->next_id - 1)}, 1, &ignored);
	}
	arena_release(&b->text);
	buf_release(&b->copy);
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
			       DBP_TEXT(k->kind),	 DBP_TEXT(k->participants),  DBP_ID(k->created_by),
			       DBP_INT(k->created_at)};
	return bulk_row(b, p);
}

int db_bulk_appeal(struct db_bulk *b, const struct appeal *a)
{
	struct db_param p[1 + APPEAL_INSERT_PARAMS + 1];
	p[0] = DBP_INT(a->id);
	db_appeal_insert_params(a, p + 1);
	/* Its last change: the latest step of the history the loader made, else its registration. */
	p[1 + APPEAL_INSERT_PARAMS] = DBP_INT(a->updated_at > a->created_at ? a->updated_at : a->created_at);
	return bulk_row(b, p);
}

int db_bulk_term(struct db_bulk *b, int64_t term, int64_t appeal_id)
{
	return bulk_row(b, (struct db_param[]){DBP_INT(term), DBP_INT(appeal_id)});
}

int db_bulk_appeal_event(struct db_bulk *b, int64_t appeal_id, int64_t at, int64_t user_id, const char *action,
			 const char *from_status, const char *to_status)
{
	return db_bulk_appeal_event_detail(b, appeal_id, at, user_id, action, from_status, to_status, NULL);
}

int db_bulk_appeal_event_detail(struct db_bulk *b, int64_t appeal_id, int64_t at, int64_t user_id, const char *action,
				const char *from_status, const char *to_status, const char *detail)
{
	struct db_param p[] = {DBP_INT(appeal_id), DBP_INT(at),		  DBP_ID(user_id),    DBP_TEXT(action),
			       DBP_TEXT(from_status), DBP_TEXT(to_status), DBP_TEXT(detail)};
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
