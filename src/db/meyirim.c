/* Typed accessors for the Meyirim campaign: attachments, mentors, goals, contacts, figures (db.h). */
#include "db/internal.h"

static void read_mentorship(struct db_row *row, struct arena *a, void *out)
{
	struct mentorship *m = out;
	int i = 0;
	m->id = db_col_int(row, i++);
	m->child_id = db_col_int(row, i++);
	m->child_surname = db_col_strdup(row, i++, a);
	m->child_given_name = db_col_strdup(row, i++, a);
	m->child_patronymic = db_col_strdup(row, i++, a);
	m->child_district_id = db_col_int(row, i++);
	m->child_care_status = db_col_strdup(row, i++, a);
	m->organisation_id = db_col_int(row, i++);
	m->organisation_name = db_col_strdup(row, i++, a);
	m->organisation_kind = db_col_strdup(row, i++, a);
	m->started_on = db_col_strdup(row, i++, a);
	m->ended_on = db_col_strdup(row, i++, a);
	m->end_reason = db_col_strdup(row, i++, a);
	m->last_contact_on = db_col_strdup(row, i++, a);
	m->created_by = db_col_int(row, i++);
	m->created_at = db_col_int(row, i++);
	m->goals = db_col_int(row, i++);
	m->child_surname_key = db_col_strdup(row, i++, a);
	m->child_given_key = db_col_strdup(row, i++, a);
	m->organisation_name_ru = db_col_strdup(row, i++, a);
}

static int mentorship_rows(struct db *db, enum db_stmt st, const struct db_param *p, int np, struct arena *ar,
			   struct mentorship **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, st, p, np, read_mentorship, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_mentorship_insert(struct db *db, struct mentorship *m)
{
	struct db_param p[] = {DBP_INT(m->child_id), DBP_INT(m->organisation_id), DBP_TEXT(m->started_on),
			       DBP_ID(m->created_by), DBP_INT(m->created_at)};
	return db_run_int(db, STMT_MENTORSHIP_INSERT, p, 5, &m->id);
}

int db_mentorship_get(struct db *db, int64_t id, struct arena *ar, struct mentorship *out)
{
	return db_get_one(db, STMT_MENTORSHIP_GET, (struct db_param[]){DBP_INT(id)}, 1, read_mentorship, ar, out);
}

int db_mentorship_of_child(struct db *db, int64_t child_id, struct arena *ar, struct mentorship **items, size_t *n)
{
	return mentorship_rows(db, STMT_MENTORSHIP_OF_CHILD, (struct db_param[]){DBP_INT(child_id)}, 1, ar, items, n);
}

int db_mentorship_end(struct db *db, int64_t id, const char *on, const char *reason, int64_t now)
{
	return db_run_one(db, STMT_MENTORSHIP_END,
			  (struct db_param[]){DBP_INT(id), DBP_TEXT(on), DBP_TEXT(reason), DBP_INT(now)}, 4);
}

int db_mentorship_contacted(struct db *db, int64_t id, const char *on, int64_t now)
{
	return db_run(db, STMT_MENTORSHIP_CONTACTED, (struct db_param[]){DBP_INT(id), DBP_TEXT(on), DBP_INT(now)}, 3,
		      NULL, NULL);
}

int db_mentorship_list(struct db *db, const struct mentorship_scope *s, const char *state,
		       const struct name_cursor *after, int limit, struct arena *ar, struct mentorship **items, size_t *n)
{
	int from = after && after->set;
	struct db_param p[] = {DBP_INT(s->district_id),
			       DBP_INT(s->organisation_id),
			       DBP_TEXT(state ? state : ""),
			       DBP_INT(limit),
			       DBP_INT(from),
			       DBP_TEXT(from ? after->surname_key : ""),
			       DBP_TEXT(from ? after->given_key : ""),
			       DBP_INT(from ? after->id : 0)};
	return mentorship_rows(db, s->organisation_id ? STMT_MENTORSHIP_LIST_ORG : STMT_MENTORSHIP_LIST, p, 8, ar, items,
			       n);
}

int db_mentorship_export(struct db *db, const struct mentorship_scope *s, const char *state, int64_t after_id,
			 int limit, struct arena *ar, struct mentorship **items, size_t *n)
{
	struct db_param p[] = {DBP_INT(s->district_id), DBP_INT(s->organisation_id), DBP_TEXT(state ? state : ""),
			       DBP_INT(after_id), DBP_INT(limit)};
	return mentorship_rows(db, STMT_MENTORSHIP_EXPORT, p, 5, ar, items, n);
}

int db_mentorship_no_contact(struct db *db, const struct mentorship_scope *s, const char *since, int limit,
			     struct arena *ar, struct mentorship **items, size_t *n)
{
	struct db_param p[] = {DBP_INT(s->district_id), DBP_INT(s->organisation_id), DBP_TEXT(since), DBP_INT(limit)};
	return mentorship_rows(db, STMT_MENTORSHIP_NO_CONTACT, p, 4, ar, items, n);
}

int db_mentorship_no_goal(struct db *db, const struct mentorship_scope *s, int limit, struct arena *ar,
			  struct mentorship **items, size_t *n)
{
	struct db_param p[] = {DBP_INT(s->district_id), DBP_INT(s->organisation_id), DBP_TEXT(""), DBP_INT(limit)};
	return mentorship_rows(db, STMT_MENTORSHIP_NO_GOAL, p, 4, ar, items, n);
}

int db_mentor_insert(struct db *db, struct mentor *m, int64_t now)
{
	struct db_param p[] = {DBP_INT(m->mentorship_id), DBP_TEXT(m->name), DBP_TEXT(m->position), DBP_TEXT(m->phone),
			       DBP_INT(now)};
	return db_run_int(db, STMT_MENTOR_INSERT, p, 5, &m->id);
}

static void read_mentor(struct db_row *row, struct arena *a, void *out)
{
	struct mentor *m = out;
	m->id = db_col_int(row, 0);
	m->mentorship_id = db_col_int(row, 1);
	m->name = db_col_strdup(row, 2, a);
	m->position = db_col_strdup(row, 3, a);
	m->phone = db_col_strdup(row, 4, a);
	m->active = (int)db_col_int(row, 5);
}

int db_mentor_list(struct db *db, int64_t mentorship_id, struct arena *ar, struct mentor **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_MENTOR_LIST, (struct db_param[]){DBP_INT(mentorship_id)}, 1, read_mentor,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_mentor_set_active(struct db *db, int64_t mentorship_id, int64_t id, int active)
{
	return db_run_one(db, STMT_MENTOR_SET_ACTIVE,
			  (struct db_param[]){DBP_INT(id), DBP_INT(mentorship_id), DBP_INT(active)}, 3);
}

static void read_goal(struct db_row *row, struct arena *a, void *out)
{
	struct goal *g = out;
	g->id = db_col_int(row, 0);
	g->mentorship_id = db_col_int(row, 1);
	g->area = db_col_strdup(row, 2, a);
	g->description = db_col_strdup(row, 3, a);
	g->status = db_col_strdup(row, 4, a);
	g->agreed_on = db_col_strdup(row, 5, a);
	g->reached_on = db_col_strdup(row, 6, a);
	g->created_by = db_col_int(row, 7);
	g->updated_at = db_col_int(row, 8);
}

int db_goal_insert(struct db *db, struct goal *g)
{
	struct db_param p[] = {DBP_INT(g->mentorship_id), DBP_TEXT(g->area),	   DBP_TEXT(g->description),
			       DBP_TEXT(g->agreed_on),	  DBP_ID(g->created_by), DBP_INT(g->updated_at)};
	return db_run_int(db, STMT_GOAL_INSERT, p, 6, &g->id);
}

int db_goal_get(struct db *db, int64_t id, struct arena *ar, struct goal *out)
{
	return db_get_one(db, STMT_GOAL_GET, (struct db_param[]){DBP_INT(id)}, 1, read_goal, ar, out);
}

int db_goal_list(struct db *db, int64_t mentorship_id, struct arena *ar, struct goal **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_GOAL_LIST, (struct db_param[]){DBP_INT(mentorship_id)}, 1, read_goal,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_goal_set_status(struct db *db, int64_t id, const char *status, const char *reached_on, int64_t now)
{
	return db_run_one(db, STMT_GOAL_SET_STATUS,
			  (struct db_param[]){DBP_INT(id), DBP_TEXT(status), DBP_TEXT(reached_on), DBP_INT(now)}, 4);
}

int db_goal_note_add(struct db *db, int64_t goal_id, int64_t at, int64_t user_id, const char *status,
		     const char *note)
{
	struct db_param p[] = {DBP_INT(goal_id), DBP_INT(at), DBP_ID(user_id), DBP_TEXT(status), DBP_TEXT(note)};
	return db_run(db, STMT_GOAL_NOTE_INSERT, p, 5, NULL, NULL);
}

static void read_goal_note(struct db_row *row, struct arena *a, void *out)
{
	struct goal_note *g = out;
	g->id = db_col_int(row, 0);
	g->goal_id = db_col_int(row, 1);
	g->at = db_col_int(row, 2);
	g->user_id = db_col_int(row, 3);
	g->user_name = db_col_strdup(row, 4, a);
	g->status = db_col_strdup(row, 5, a);
	g->note = db_col_strdup(row, 6, a);
}

int db_goal_notes(struct db *db, int64_t mentorship_id, struct arena *ar, struct goal_note **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_GOAL_NOTES, (struct db_param[]){DBP_INT(mentorship_id)}, 1, read_goal_note,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_contact_insert(struct db *db, struct mentor_contact *k)
{
	struct db_param p[] = {DBP_INT(k->mentorship_id), DBP_TEXT(k->contact_on), DBP_TEXT(k->kind),
			       DBP_TEXT(k->participants),  DBP_TEXT(k->notes),	    DBP_TEXT(k->next_step),
			       DBP_ID(k->created_by),	   DBP_INT(k->created_at)};
	return db_run_int(db, STMT_CONTACT_INSERT, p, 8, &k->id);
}

static void read_contact(struct db_row *row, struct arena *a, void *out)
{
	struct mentor_contact *k = out;
	k->id = db_col_int(row, 0);
	k->mentorship_id = db_col_int(row, 1);
	k->contact_on = db_col_strdup(row, 2, a);
	k->kind = db_col_strdup(row, 3, a);
	k->participants = db_col_strdup(row, 4, a);
	k->notes = db_col_strdup(row, 5, a);
	k->next_step = db_col_strdup(row, 6, a);
	k->created_by = db_col_int(row, 7);
	k->created_by_name = db_col_strdup(row, 8, a);
	k->created_at = db_col_int(row, 9);
}

int db_contact_list(struct db *db, int64_t mentorship_id, int limit, struct arena *ar, struct mentor_contact **items,
		    size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_CONTACT_LIST, (struct db_param[]){DBP_INT(mentorship_id), DBP_INT(limit)}, 2,
			     read_contact, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

static void read_figure_text(struct db_row *row, struct arena *a, void *out)
{
	struct figure_row *f = out;
	f->key = db_col_strdup(row, 0, a);
	f->n = db_col_int(row, 1);
	f->m = 0;
}

static void read_figure_id(struct db_row *row, struct arena *a, void *out)
{
	(void)a;
	struct figure_row *f = out;
	f->key_id = db_col_int(row, 0);
	f->n = db_col_int(row, 1);
}

static void read_figure_pair(struct db_row *row, struct arena *a, void *out)
{
	struct figure_row *f = out;
	f->key = db_col_strdup(row, 0, a);
	f->n = db_col_int(row, 1);
	f->m = db_col_int(row, 2);
}

int db_campaign_figure(struct db *db, enum campaign_figure which, const struct mentorship_scope *s, const char *since,
		       struct arena *ar, struct figure_row **items, size_t *n)
{
	struct db_param p[] = {DBP_INT(s->district_id), DBP_INT(s->organisation_id), DBP_TEXT(since ? since : "")};
	enum db_stmt st = STMT_CAMPAIGN_BY_KIND;
	db_read_fn read = read_figure_text;
	int np = 2;
	switch (which) {
	case CAMPAIGN_BY_KIND: break;
	case CAMPAIGN_BY_KIND_AT:
		st = STMT_CAMPAIGN_BY_KIND_AT;
		np = 3;
		break;
	case CAMPAIGN_BY_DISTRICT:
		st = STMT_CAMPAIGN_BY_DISTRICT;
		read = read_figure_id;
		break;
	case CAMPAIGN_CONTACTS_BY_MONTH:
		st = STMT_CAMPAIGN_CONTACTS_BY_MONTH;
		np = 3;
		break;
	case CAMPAIGN_GOALS:
		st = STMT_CAMPAIGN_GOALS;
		read = read_figure_pair;
		break;
	}
	void *out;
	int rc = db_get_list(db, st, p, np, read, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}
