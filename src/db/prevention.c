/* Typed accessors for the prevention programme (db.h). */
#include "db/internal.h"

static int rows(struct db *db, enum db_stmt st, const struct db_param *p, int np, db_read_fn read, size_t elem,
		struct arena *ar, void *items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, st, p, np, read, elem, ar, &out, n);
	*(void **)items = out;
	return rc;
}

static void read_school(struct db_row *row, struct arena *a, void *out)
{
	struct school *s = out;
	s->id = db_col_int(row, 0);
	s->name = db_col_strdup(row, 1, a);
	s->kind = db_col_strdup(row, 2, a);
	s->district_id = db_col_int(row, 3);
	s->active = (int)db_col_int(row, 4);
	s->pupils = db_col_int(row, 5);
	s->in_programme = (int)db_col_int(row, 6);
	s->programme_since = db_col_strdup(row, 7, a);
	s->coordinator_id = db_col_int(row, 8);
	s->name_ru = db_col_strdup(row, 9, a);
}

int db_school_list(struct db *db, int64_t district_id, int64_t org_id, const char *in_programme, struct arena *ar,
		   struct school **items, size_t *n)
{
	struct db_param p[] = {DBP_INT(district_id), DBP_INT(org_id), DBP_TEXT(in_programme ? in_programme : "")};
	return rows(db, STMT_SCHOOL_LIST, p, 3, read_school, sizeof(**items), ar, items, n);
}

int db_school_get(struct db *db, int64_t id, struct arena *ar, struct school *out)
{
	return db_get_one(db, STMT_SCHOOL_GET, (struct db_param[]){DBP_INT(id)}, 1, read_school, ar, out);
}

int db_school_profile_set(struct db *db, int64_t id, int64_t pupils, int in_programme, const char *since, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_INT(pupils), DBP_INT(in_programme), DBP_TEXT(since), DBP_INT(now)};
	return db_run(db, STMT_SCHOOL_PROFILE_SET, p, 5, NULL, NULL);
}

static void read_lecturer(struct db_row *row, struct arena *a, void *out)
{
	struct lecturer *l = out;
	int i = 0;
	l->id = db_col_int(row, i++);
	l->full_name = db_col_strdup(row, i++, a);
	l->agency = db_col_strdup(row, i++, a);
	l->position = db_col_strdup(row, i++, a);
	l->phone = db_col_strdup(row, i++, a);
	l->email = db_col_strdup(row, i++, a);
	l->user_id = db_col_int(row, i++);
	l->created_at = db_col_int(row, i++);
	l->approval_id = db_col_int(row, i++);
	l->order_number = db_col_strdup(row, i++, a);
	l->order_date = db_col_strdup(row, i++, a);
	l->valid_until = db_col_strdup(row, i++, a);
	l->revoked_at = db_col_int(row, i++);
	l->revoke_reason = db_col_strdup(row, i++, a);
}

int db_lecturer_insert(struct db *db, struct lecturer *l, int64_t by, int64_t now)
{
	struct db_param p[] = {DBP_TEXT(l->full_name), DBP_TEXT(l->agency), DBP_TEXT(l->position), DBP_TEXT(l->phone),
			       DBP_TEXT(l->email),     DBP_ID(l->user_id),  DBP_ID(by),		 DBP_INT(now)};
	return db_run_int(db, STMT_LECTURER_INSERT, p, 8, &l->id);
}

int db_lecturer_update(struct db *db, const struct lecturer *l, int64_t now)
{
	struct db_param p[] = {DBP_INT(l->id),	  DBP_TEXT(l->full_name), DBP_TEXT(l->agency), DBP_TEXT(l->position),
			       DBP_TEXT(l->phone), DBP_TEXT(l->email),     DBP_ID(l->user_id), DBP_INT(now)};
	return db_run_one(db, STMT_LECTURER_UPDATE, p, 8);
}

int db_lecturer_get(struct db *db, int64_t id, struct arena *ar, struct lecturer *out)
{
	return db_get_one(db, STMT_LECTURER_GET, (struct db_param[]){DBP_INT(id)}, 1, read_lecturer, ar, out);
}

int db_lecturer_by_user(struct db *db, int64_t user_id, struct arena *ar, struct lecturer *out)
{
	return db_get_one(db, STMT_LECTURER_BY_USER, (struct db_param[]){DBP_INT(user_id)}, 1, read_lecturer, ar, out);
}

int db_lecturer_by_feed(struct db *db, const void *hash, size_t len, struct arena *ar, struct lecturer *out)
{
	return db_get_one(db, STMT_LECTURER_BY_FEED, (struct db_param[]){DBP_BLOB(hash, len)}, 1, read_lecturer, ar,
			  out);
}

int db_lecturer_list(struct db *db, struct arena *ar, struct lecturer **items, size_t *n)
{
	return rows(db, STMT_LECTURER_LIST, NULL, 0, read_lecturer, sizeof(**items), ar, items, n);
}

int db_lecturer_set_feed(struct db *db, int64_t id, const void *hash, size_t len, int64_t now)
{
	return db_run_one(db, STMT_LECTURER_SET_FEED, (struct db_param[]){DBP_INT(id), DBP_BLOB(hash, len), DBP_INT(now)},
			  3);
}

int db_lecturer_approved_on(struct db *db, int64_t id, const char *day, int *yes)
{
	int64_t n = 0;
	int rc = db_run_int(db, STMT_LECTURER_APPROVED_ON, (struct db_param[]){DBP_INT(id), DBP_TEXT(day)}, 2, &n);
	*yes = n > 0;
	return rc;
}

int db_approval_insert(struct db *db, int64_t lecturer_id, const char *order_number, const char *order_date,
		       const char *valid_until, int64_t by, int64_t now, int64_t *id)
{
	struct db_param p[] = {DBP_INT(lecturer_id),  DBP_TEXT(order_number), DBP_TEXT(order_date),
			       DBP_TEXT(valid_until), DBP_INT(by),	       DBP_INT(now)};
	return db_run_int(db, STMT_APPROVAL_INSERT, p, 6, id);
}

int db_approval_revoke(struct db *db, int64_t lecturer_id, int64_t by, const char *reason, int64_t now)
{
	struct db_param p[] = {DBP_INT(lecturer_id), DBP_INT(now), DBP_INT(by), DBP_TEXT(reason)};
	return db_run_one(db, STMT_APPROVAL_REVOKE, p, 4);
}

static void read_approval(struct db_row *row, struct arena *a, void *out)
{
	struct approval *p = out;
	p->id = db_col_int(row, 0);
	p->order_number = db_col_strdup(row, 1, a);
	p->order_date = db_col_strdup(row, 2, a);
	p->valid_until = db_col_strdup(row, 3, a);
	p->approved_by = db_col_int(row, 4);
	p->approved_by_name = db_col_strdup(row, 5, a);
	p->approved_at = db_col_int(row, 6);
	p->revoked_at = db_col_int(row, 7);
	p->revoke_reason = db_col_strdup(row, 8, a);
}

int db_approval_list(struct db *db, int64_t lecturer_id, struct arena *ar, struct approval **items, size_t *n)
{
	return rows(db, STMT_APPROVAL_LIST, (struct db_param[]){DBP_INT(lecturer_id)}, 1, read_approval, sizeof(**items),
		    ar, items, n);
}

static void read_lesson(struct db_row *row, struct arena *a, void *out)
{
	struct lesson *l = out;
	int i = 0;
	l->id = db_col_int(row, i++);
	l->school_id = db_col_int(row, i++);
	l->school_name = db_col_strdup(row, i++, a);
	l->district_id = db_col_int(row, i++);
	l->lecturer_id = db_col_int(row, i++);
	l->lecturer_name = db_col_strdup(row, i++, a);
	l->lecturer_agency = db_col_strdup(row, i++, a);
	l->starts_at = db_col_int(row, i++);
	l->ends_at = db_col_int(row, i++);
	l->lesson_on = db_col_strdup(row, i++, a);
	l->class_name = db_col_strdup(row, i++, a);
	l->topic = db_col_strdup(row, i++, a);
	l->planned_pupils = db_col_int(row, i++);
	l->status = db_col_strdup(row, i++, a);
	l->cancel_reason = db_col_strdup(row, i++, a);
	l->attended = db_col_isnull(row, i) ? -1 : db_col_int(row, i);
	i++;
	l->note = db_col_strdup(row, i++, a);
	l->feedback = db_col_strdup(row, i++, a);
	l->confirmed_at = db_col_int(row, i++);
	l->sequence = db_col_int(row, i++);
	l->created_at = db_col_int(row, i++);
	l->flagged = (int)db_col_int(row, i++);
	l->school_name_ru = db_col_strdup(row, i++, a);
}

int db_lesson_insert(struct db *db, struct lesson *l, int64_t by, int64_t now)
{
	struct db_param p[] = {DBP_INT(l->school_id),	   DBP_INT(l->lecturer_id), DBP_INT(l->starts_at),
			       DBP_INT(l->ends_at),	   DBP_TEXT(l->lesson_on),  DBP_TEXT(l->class_name),
			       DBP_TEXT(l->class_key),	   DBP_TEXT(l->topic),	    DBP_INT(l->planned_pupils),
			       DBP_ID(by),		   DBP_INT(now)};
	return db_run_int(db, STMT_LESSON_INSERT, p, 11, &l->id);
}

int db_lesson_get(struct db *db, int64_t id, struct arena *ar, struct lesson *out)
{
	return db_get_one(db, STMT_LESSON_GET, (struct db_param[]){DBP_INT(id)}, 1, read_lesson, ar, out);
}

int db_lesson_list(struct db *db, const struct lesson_filter *f, struct arena *ar, struct lesson **items, size_t *n)
{
	struct db_param p[] = {DBP_INT(f->school_id), DBP_INT(f->lecturer_id),	  DBP_INT(f->district_id),
			       DBP_INT(f->from),      DBP_INT(f->to),		  DBP_TEXT(f->status ? f->status : ""),
			       DBP_INT(f->limit > 0 ? f->limit : 500)};
	return rows(db, STMT_LESSON_LIST, p, 7, read_lesson, sizeof(**items), ar, items, n);
}

int db_lesson_overlaps(struct db *db, const struct lesson *l, int64_t except, int64_t *lecturer, int64_t *klass)
{
	struct db_param p[] = {DBP_INT(l->lecturer_id), DBP_INT(l->starts_at), DBP_INT(l->ends_at), DBP_INT(except)};
	int rc = db_run_int(db, STMT_LESSON_OVERLAP_LECTURER, p, 4, lecturer);
	if (rc)
		return rc;
	struct db_param q[] = {DBP_INT(l->school_id), DBP_INT(l->starts_at), DBP_INT(l->ends_at), DBP_INT(except),
			       DBP_TEXT(l->class_key)};
	return db_run_int(db, STMT_LESSON_OVERLAP_CLASS, q, 5, klass);
}

int db_lesson_reschedule(struct db *db, const struct lesson *l, int64_t now)
{
	struct db_param p[] = {DBP_INT(l->id),		 DBP_INT(l->lecturer_id), DBP_INT(l->starts_at),
			       DBP_INT(l->ends_at),	 DBP_TEXT(l->lesson_on),  DBP_TEXT(l->class_name),
			       DBP_TEXT(l->class_key),	 DBP_TEXT(l->topic),	  DBP_INT(l->planned_pupils),
			       DBP_INT(now),		 DBP_INT(l->school_id)};
	return db_run_one(db, STMT_LESSON_RESCHEDULE, p, 11);
}

int db_lesson_outcome(struct db *db, int64_t id, const char *status, int64_t attended, const char *note,
		      const char *cancel_reason, int64_t now)
{
	struct db_param p[] = {DBP_INT(id),	 DBP_TEXT(status),	  attended >= 0 ? DBP_INT(attended) : DBP_NULL,
			       DBP_TEXT(note), DBP_TEXT(cancel_reason), DBP_INT(now)};
	return db_run_one(db, STMT_LESSON_OUTCOME, p, 6);
}

int db_lesson_feedback(struct db *db, int64_t id, const char *feedback, int64_t now)
{
	return db_run_one(db, STMT_LESSON_FEEDBACK, (struct db_param[]){DBP_INT(id), DBP_TEXT(feedback), DBP_INT(now)},
			  3);
}

int db_lesson_confirm(struct db *db, int64_t id, int64_t now)
{
	return db_run_one(db, STMT_LESSON_CONFIRM, (struct db_param[]){DBP_INT(id), DBP_INT(now)}, 2);
}

static void read_event(struct db_row *row, struct arena *a, void *out)
{
	struct prevention_event *e = out;
	int i = 0;
	e->id = db_col_int(row, i++);
	e->title = db_col_strdup(row, i++, a);
	e->kind = db_col_strdup(row, i++, a);
	e->held_on = db_col_strdup(row, i++, a);
	e->district_id = db_col_int(row, i++);
	e->place = db_col_strdup(row, i++, a);
	e->organiser = db_col_strdup(row, i++, a);
	e->organisation_id = db_col_int(row, i++);
	e->target_group = db_col_strdup(row, i++, a);
	e->participants = db_col_int(row, i++);
	e->partners = db_col_strdup(row, i++, a);
	e->note = db_col_strdup(row, i++, a);
	e->created_by = db_col_int(row, i++);
	e->created_at = db_col_int(row, i++);
}

static int event_params(const struct prevention_event *e, struct db_param *p)
{
	int n = 0;
	p[n++] = DBP_TEXT(e->title);
	p[n++] = DBP_TEXT(e->kind);
	p[n++] = DBP_TEXT(e->held_on);
	p[n++] = DBP_INT(e->district_id);
	p[n++] = DBP_TEXT(e->place);
	p[n++] = DBP_TEXT(e->organiser);
	p[n++] = DBP_ID(e->organisation_id);
	p[n++] = DBP_TEXT(e->target_group);
	p[n++] = DBP_INT(e->participants);
	p[n++] = DBP_TEXT(e->partners);
	p[n++] = DBP_TEXT(e->note);
	return n;
}

int db_event_insert(struct db *db, struct prevention_event *e, int64_t now)
{
	struct db_param p[14];
	int n = event_params(e, p);
	p[n++] = DBP_ID(e->created_by);
	p[n++] = DBP_INT(now);
	return db_run_int(db, STMT_EVENT_INSERT, p, n, &e->id);
}

int db_event_update(struct db *db, const struct prevention_event *e, int64_t now)
{
	struct db_param p[14];
	p[0] = DBP_INT(e->id);
	int n = 1 + event_params(e, p + 1);
	p[n++] = DBP_INT(now);
	return db_run_one(db, STMT_EVENT_UPDATE, p, n);
}

int db_event_get(struct db *db, int64_t id, struct arena *ar, struct prevention_event *out)
{
	return db_get_one(db, STMT_EVENT_GET, (struct db_param[]){DBP_INT(id)}, 1, read_event, ar, out);
}

int db_event_list(struct db *db, int64_t district_id, int64_t org_id, const char *from, const char *to, int limit,
		  struct arena *ar, struct prevention_event **items, size_t *n)
{
	struct db_param p[] = {DBP_INT(district_id), DBP_TEXT(from), DBP_TEXT(to), DBP_INT(limit), DBP_INT(org_id)};
	return rows(db, STMT_EVENT_LIST, p, 5, read_event, sizeof(**items), ar, items, n);
}

int db_event_export(struct db *db, int64_t district_id, int64_t org_id, const char *from, const char *to,
		    const char *before_day, int64_t before_id, int limit, struct arena *ar, struct prevention_event **items,
		    size_t *n)
{
	struct db_param p[] = {DBP_INT(district_id), DBP_TEXT(from),	   DBP_TEXT(to),	 DBP_INT(limit),
			       DBP_INT(org_id),	     DBP_TEXT(before_day), DBP_INT(before_id)};
	return rows(db, STMT_EVENT_EXPORT, p, 7, read_event, sizeof(**items), ar, items, n);
}

static void read_coverage(struct db_row *row, struct arena *a, void *out)
{
	struct coverage_row *c = out;
	c->key = db_col_strdup(row, 0, a);
	c->key_id = db_col_int(row, 1);
	c->a = db_col_int(row, 2);
	c->b = db_col_int(row, 3);
	c->c = db_col_int(row, 4);
	c->d = db_col_int(row, 5);
}

int db_coverage(struct db *db, enum coverage_figure which, int64_t from, int64_t to, const char *from_day,
		const char *to_day, int64_t district_id, struct arena *ar, struct coverage_row **items, size_t *n)
{
	static const enum db_stmt st[] = {
		[COVERAGE_SCHOOLS] = STMT_COVERAGE_SCHOOLS,
		[COVERAGE_BY_DISTRICT] = STMT_COVERAGE_LESSONS_BY_DISTRICT,
		[COVERAGE_BY_TOPIC] = STMT_COVERAGE_LESSONS_BY_TOPIC,
		[COVERAGE_BY_MONTH] = STMT_COVERAGE_LESSONS_BY_MONTH,
		[COVERAGE_LECTURERS] = STMT_COVERAGE_LECTURERS,
		[COVERAGE_EVENTS] = STMT_COVERAGE_EVENTS,
	};
	struct db_param p[] = {DBP_INT(from), DBP_INT(to), DBP_TEXT(from_day), DBP_TEXT(to_day), DBP_INT(district_id)};
	return rows(db, st[which], p, 5, read_coverage, sizeof(**items), ar, items, n);
}
