/* Typed accessors for the headline figures (db.h). */
#include "db/internal.h"

struct pair {
	int64_t a, b, c;
};

static void read_triple(struct db_row *row, struct arena *a, void *out)
{
	(void)a;
	struct pair *p = out;
	p->a = db_col_int(row, 0);
	p->b = db_col_int(row, 1);
	p->c = db_col_int(row, 2);
}

static void read_pair(struct db_row *row, struct arena *a, void *out)
{
	(void)a;
	struct pair *p = out;
	p->a = db_col_int(row, 0);
	p->b = db_col_int(row, 1);
}

static int one_row(struct db *db, enum db_stmt st, const struct db_param *params, int np, db_read_fn read,
		   struct pair *out)
{
	memset(out, 0, sizeof(*out));
	int rc = db_get_one(db, st, params, np, read, NULL, out);
	return rc == DB_NOTFOUND ? DB_OK : rc;
}

int db_report_overdue(struct db *db, const char *today, int64_t district_id, int64_t org_id, int64_t *n)
{
	return db_run_int(db, STMT_REPORT_OVERDUE, (struct db_param[]){DBP_TEXT(today), DBP_INT(district_id), DBP_INT(org_id)},
			  3, n);
}

int db_report_org_appeals(struct db *db, int64_t org_id, const char *from, const char *to, int64_t *received,
			  int64_t *resolved)
{
	struct db_param p[] = {DBP_INT(org_id), DBP_TEXT(from), DBP_TEXT(to)};
	int rc = db_run_int(db, STMT_REPORT_ORG_RECEIVED, p, 3, received);
	return rc ? rc : db_run_int(db, STMT_REPORT_ORG_RESOLVED, p, 3, resolved);
}

int db_report_events(struct db *db, const char *from, const char *to, int64_t district_id, int64_t org_id,
		     int64_t *events, int64_t *participants)
{
	struct pair p;
	struct db_param q[] = {DBP_TEXT(from), DBP_TEXT(to), DBP_INT(district_id), DBP_INT(org_id)};
	int rc = one_row(db, STMT_REPORT_EVENTS, q, 4, read_pair, &p);
	*events = p.a;
	*participants = p.b;
	return rc;
}

int db_report_lessons(struct db *db, int64_t from, int64_t to, int64_t district_id, int64_t school_id, int64_t *held,
		      int64_t *pupils, int64_t *schools)
{
	struct pair p;
	struct db_param q[] = {DBP_INT(from), DBP_INT(to), DBP_INT(district_id), DBP_INT(school_id)};
	int rc = one_row(db, STMT_REPORT_LESSONS, q, 4, read_triple, &p);
	*held = p.a;
	*pupils = p.b;
	*schools = p.c;
	return rc;
}

int db_report_attached_at(struct db *db, const char *since, const char *at, int64_t district_id, int64_t org_id,
			  int64_t *attached, int64_t *no_contact)
{
	struct pair p;
	int rc = one_row(db, STMT_REPORT_ATTACHED_AT,
			 (struct db_param[]){DBP_TEXT(since), DBP_INT(district_id), DBP_INT(org_id), DBP_TEXT(at)}, 4,
			 read_pair, &p);
	*attached = p.a;
	*no_contact = p.b;
	return rc;
}

int db_report_attached(struct db *db, const char *since, int64_t district_id, int64_t org_id, int64_t *attached,
		       int64_t *no_contact)
{
	struct pair p;
	int rc;
	if (!district_id && !org_id)
		rc = one_row(db, STMT_REPORT_ATTACHED_REGION, (struct db_param[]){DBP_TEXT(since)}, 1, read_pair, &p);
	else if (!org_id)
		rc = one_row(db, STMT_REPORT_ATTACHED_DISTRICT, (struct db_param[]){DBP_TEXT(since), DBP_INT(district_id)}, 2,
			     read_pair, &p);
	else
		rc = one_row(db, STMT_REPORT_ATTACHED,
			     (struct db_param[]){DBP_TEXT(since), DBP_INT(district_id), DBP_INT(org_id)}, 3, read_pair, &p);
	*attached = p.a;
	*no_contact = p.b;
	return rc;
}
