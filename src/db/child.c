/* Typed accessors for children and their history (db.h). */
#include <stdio.h>

#include "db/internal.h"

static void read_child(struct db_row *row, struct arena *a, void *out)
{
	struct child *c = out;
	int i = 0;
	c->id = db_col_int(row, i++);
	c->surname = db_col_strdup(row, i++, a);
	c->given_name = db_col_strdup(row, i++, a);
	c->patronymic = db_col_strdup(row, i++, a);
	c->iin_hash = db_col_int(row, i++);
	c->iin_sealed = db_col_blobdup(row, i++, a, &c->iin_sealed_len);
	c->birth_date = db_col_strdup(row, i++, a);
	c->sex = db_col_strdup(row, i++, a);
	c->district_id = db_col_int(row, i++);
	c->care_status = db_col_strdup(row, i++, a);
	c->institution = db_col_strdup(row, i++, a);
	c->guardian_name = db_col_strdup(row, i++, a);
	c->guardian_phone = db_col_strdup(row, i++, a);
	c->school = db_col_strdup(row, i++, a);
	c->notes = db_col_strdup(row, i++, a);
	c->surname_key = db_col_strdup(row, i++, a);
	c->given_key = db_col_strdup(row, i++, a);
	c->patronymic_key = db_col_strdup(row, i++, a);
	c->merged_into = db_col_int(row, i++);
	c->ver = db_col_int(row, i++);
	c->created_by = db_col_int(row, i++);
	c->created_at = db_col_int(row, i++);
	c->updated_at = db_col_int(row, i++);
	c->mentorship_id = db_col_int(row, i++);
	c->organisation_id = db_col_int(row, i++);
	c->organisation_name = db_col_strdup(row, i++, a);
	c->organisation_name_ru = db_col_strdup(row, i++, a);
}

int db_child_next_ver(struct db *db, int64_t *ver)
{
	return db_run_int(db, STMT_CHILD_META_BUMP, NULL, 0, ver);
}

int db_child_meta_ver(struct db *db, int64_t *ver)
{
	return db_run_int(db, STMT_CHILD_META_VER, NULL, 0, ver);
}

/* The parameters shared by insert ($1–$17) and update ($2–$18). */
static int child_params(const struct child *c, struct db_param *p)
{
	int n = 0;
	p[n++] = DBP_TEXT(c->surname);
	p[n++] = DBP_TEXT(c->given_name);
	p[n++] = DBP_TEXT(c->patronymic);
	p[n++] = c->iin_hash ? DBP_INT(c->iin_hash) : DBP_NULL;
	p[n++] = c->iin_sealed ? DBP_BLOB(c->iin_sealed, c->iin_sealed_len) : DBP_NULL;
	p[n++] = DBP_TEXT(c->birth_date);
	p[n++] = DBP_TEXT(c->sex);
	p[n++] = DBP_ID(c->district_id);
	p[n++] = DBP_TEXT(c->care_status);
	p[n++] = DBP_TEXT(c->institution);
	p[n++] = DBP_TEXT(c->guardian_name);
	p[n++] = DBP_TEXT(c->guardian_phone);
	p[n++] = DBP_TEXT(c->school);
	p[n++] = DBP_TEXT(c->notes);
	p[n++] = DBP_TEXT(c->surname_key);
	p[n++] = DBP_TEXT(c->given_key);
	p[n++] = DBP_TEXT(c->patronymic_key ? c->patronymic_key : "");
	return n;
}

int db_child_insert(struct db *db, struct child *c)
{
	struct db_param p[21];
	int n = child_params(c, p);
	p[n++] = DBP_INT(c->ver);
	p[n++] = DBP_ID(c->created_by);
	p[n++] = DBP_INT(c->created_at);
	return db_run_int(db, STMT_CHILD_INSERT, p, n, &c->id);
}

int db_child_update(struct db *db, const struct child *c)
{
	struct db_param p[21];
	p[0] = DBP_INT(c->id);
	int n = 1 + child_params(c, p + 1);
	p[n++] = DBP_INT(c->ver);
	p[n++] = DBP_INT(c->updated_at);
	int rc = db_run_one(db, STMT_CHILD_UPDATE, p, n);
	if (!rc)
		rc = db_run(db, STMT_CHILD_MENTORSHIP_DISTRICT, (struct db_param[]){DBP_INT(c->id), DBP_ID(c->district_id)}, 2,
			    NULL, NULL);
	return rc;
}

int db_child_set_ver(struct db *db, int64_t id, int64_t ver)
{
	return db_run_one(db, STMT_CHILD_SET_VER, (struct db_param[]){DBP_INT(id), DBP_INT(ver)}, 2);
}

int db_child_get(struct db *db, int64_t id, struct arena *ar, struct child *out)
{
	return db_get_one(db, STMT_CHILD_GET, (struct db_param[]){DBP_INT(id)}, 1, read_child, ar, out);
}

int db_child_by_iin(struct db *db, int64_t iin_hash, struct arena *ar, struct child *out)
{
	return db_get_one(db, STMT_CHILD_BY_IIN, (struct db_param[]){DBP_INT(iin_hash)}, 1, read_child, ar, out);
}

int db_child_list(struct db *db, const struct child_scope *scope, const struct child_filter *f, struct arena *ar,
		  struct child **items, size_t *n)
{
	enum db_stmt st;
	*items = NULL;
	*n = 0;
	switch (scope->kind) {
	case CHILD_SCOPE_REGION: st = STMT_CHILD_LIST_REGION; break;
	case CHILD_SCOPE_DISTRICT: st = STMT_CHILD_LIST_DISTRICT; break;
	case CHILD_SCOPE_ORG: st = STMT_CHILD_LIST_ORG; break;
	case CHILD_SCOPE_OWN: st = STMT_CHILD_LIST_OWN; break;
	default: return DB_OK; /* no scope: nothing to see */
	}
	struct db_param p[] = {
		DBP_TEXT(f->care_status ? f->care_status : ""),
		DBP_INT(f->district_id),
		DBP_TEXT(f->attached ? f->attached : ""),
		DBP_INT(f->after.set),
		DBP_TEXT(f->after.surname_key),
		DBP_TEXT(f->after.given_key),
		DBP_INT(f->after.id),
		DBP_INT(f->limit),
		DBP_INT(scope->id),
	};
	void *out;
	int rc = db_get_list(db, st, p, 9, read_child, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

static void read_key_row(struct db_row *row, struct arena *a, void *out)
{
	struct child_key_row *k = out;
	k->id = db_col_int(row, 0);
	k->surname_key = db_col_strdup(row, 1, a);
	k->given_key = db_col_strdup(row, 2, a);
	k->patronymic_key = db_col_strdup(row, 3, a);
	k->birth_date = db_col_strdup(row, 4, a);
	k->district_id = db_col_int(row, 5);
	k->care_status = db_col_strdup(row, 6, a);
	k->merged_into = db_col_int(row, 7);
	k->ver = db_col_int(row, 8);
	k->organisation_id = db_col_int(row, 9);
	k->surname = db_col_strdup(row, 10, a);
	k->given_name = db_col_strdup(row, 11, a);
	k->patronymic = db_col_strdup(row, 12, a);
}

int db_child_changes(struct db *db, int64_t after_ver, int limit, struct arena *ar, struct child_key_row **items,
		     size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_CHILD_CHANGES, (struct db_param[]){DBP_INT(after_ver), DBP_INT(limit)}, 2,
			     read_key_row, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_child_of_assignee(struct db *db, int64_t child_id, int64_t user_id, int *yes)
{
	int64_t n = 0;
	int rc = db_run_int(db, STMT_CHILD_OF_ASSIGNEE, (struct db_param[]){DBP_INT(child_id), DBP_INT(user_id)}, 2, &n);
	*yes = n > 0;
	return rc;
}

int db_child_merge(struct db *db, int64_t from, int64_t into, int64_t ver, int64_t now)
{
	int rc = db_run_one(db, STMT_CHILD_MERGE, (struct db_param[]){DBP_INT(from), DBP_INT(into), DBP_INT(ver), DBP_INT(now)},
			    4);
	if (!rc)
		rc = db_run(db, STMT_CHILD_MOVE_APPEALS, (struct db_param[]){DBP_INT(from), DBP_INT(into), DBP_INT(now)}, 3,
			    NULL, NULL);
	if (!rc)
		rc = db_run(db, STMT_CHILD_MOVE_MENTORSHIPS,
			    (struct db_param[]){DBP_INT(from), DBP_INT(into), DBP_INT(now)}, 3, NULL, NULL);
	return rc;
}

int db_child_set_iin(struct db *db, int64_t id, int64_t iin_hash, const void *sealed, size_t sealed_len)
{
	struct db_param p[] = {DBP_INT(id), iin_hash ? DBP_INT(iin_hash) : DBP_NULL,
			       sealed ? DBP_BLOB(sealed, sealed_len) : DBP_NULL};
	return db_run_one(db, STMT_CHILD_SET_IIN, p, 3);
}

int db_child_unattached(struct db *db, int64_t district_id, int limit, struct arena *ar, struct child **items,
			size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_CHILD_UNATTACHED, (struct db_param[]){DBP_INT(district_id), DBP_INT(limit)}, 2,
			     read_child, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_child_event_add(struct db *db, int64_t child_id, int64_t at, int64_t user_id, const char *action,
		       const char *detail)
{
	struct db_param p[] = {DBP_INT(child_id), DBP_INT(at), DBP_ID(user_id), DBP_TEXT(action), DBP_TEXT(detail)};
	return db_run(db, STMT_CHILD_EVENT_INSERT, p, 5, NULL, NULL);
}

static void read_child_event(struct db_row *row, struct arena *a, void *out)
{
	struct child_event *e = out;
	e->id = db_col_int(row, 0);
	e->at = db_col_int(row, 1);
	e->user_id = db_col_int(row, 2);
	e->user_name = db_col_strdup(row, 3, a);
	e->action = db_col_strdup(row, 4, a);
	e->detail = db_col_strdup(row, 5, a);
}

int db_child_events(struct db *db, int64_t child_id, struct arena *ar, struct child_event **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_CHILD_EVENTS, (struct db_param[]){DBP_INT(child_id)}, 1, read_child_event,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

static void read_id(struct db_row *row, struct arena *a, void *out)
{
	(void)a;
	*(int64_t *)out = db_col_int(row, 0);
}

int db_child_ids_of_assignee(struct db *db, int64_t user_id, struct arena *ar, int64_t **ids, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_CHILD_IDS_OF_ASSIGNEE, (struct db_param[]){DBP_INT(user_id)}, 1, read_id,
			     sizeof(**ids), ar, &out, n);
	*ids = out;
	return rc;
}
