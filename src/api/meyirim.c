/*
 * The Meyirim campaign over the API: attachments of children to
 * organisations (/api/v1/mentorships), their mentors, goals and contact
 * log, the alerts and the campaign's figures. The checks here are shared
 * with the pages (web/meyirim.c).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/config.h"
#include "http/server.h"
#include "core/time.h"
#include "domain/deadlines.h"
#include "domain/lookup.h"
#include "domain/meyirim.h"
#include "http/json.h"

/* ---------- fields ---------- */

#define MENTOR_FIELDS(p)                                   \
	{p "name", FT_LINE, 0, 2, 200, NULL},              \
	{p "position", FT_LINE, 0, 1, 200, NULL},          \
	{p "phone", FT_LINE, 0, 5, 30, NULL}
#define GOAL_FIELDS(p)                                     \
	{p "area", FT_ENUM, 0, 0, 0, goal_areas},          \
	{p "description", FT_TEXT, 0, 3, 1000, NULL}

const struct field mentorship_create_fields[] = {
	{"child_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"organisation_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"started_on", FT_DATE, 0, 0, 0, NULL},
	MENTOR_FIELDS("mentors.0."), MENTOR_FIELDS("mentors.1."), MENTOR_FIELDS("mentors.2."),
	MENTOR_FIELDS("mentors.3."), MENTOR_FIELDS("mentors.4."),
	GOAL_FIELDS("goals.0."), GOAL_FIELDS("goals.1."), GOAL_FIELDS("goals.2."), GOAL_FIELDS("goals.3."),
	GOAL_FIELDS("goals.4."),
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field mentorship_list_fields[] = {
	{"organisation_id", FT_ID, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"state", FT_ENUM, 0, 0, 0, (const char *const[]){"active", "ended", "all", NULL}},
	{"limit", FT_INT, 0, 1, 500, NULL},
	{"after", FT_LINE, 0, 1, 200, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field mentorship_end_fields[] = {
	{"ended_on", FT_DATE, 0, 0, 0, NULL},
	{"reason", FT_TEXT, F_REQUIRED, 3, 1000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field mentor_fields[] = {
	{"name", FT_LINE, F_REQUIRED, 2, 200, NULL},
	{"position", FT_LINE, 0, 1, 200, NULL},
	{"phone", FT_LINE, 0, 5, 30, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field mentor_update_fields[] = {
	{"active", FT_BOOL, F_REQUIRED, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field goal_fields[] = {
	{"area", FT_ENUM, F_REQUIRED, 0, 0, goal_areas},
	{"description", FT_TEXT, F_REQUIRED, 3, 1000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field goal_progress_fields[] = {
	{"status", FT_ENUM, 0, 0, 0, goal_statuses},
	{"note", FT_TEXT, F_REQUIRED, 2, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field contact_fields[] = {
	{"contact_on", FT_DATE, F_REQUIRED, 0, 0, NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, contact_kinds},
	{"participants", FT_LINE, 0, 1, 500, NULL},
	{"notes", FT_TEXT, 0, 1, 4000, NULL},
	{"next_step", FT_LINE, 0, 1, 500, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field meyirim_alert_fields[] = {
	{"days", FT_INT, 0, 1, 365, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* ---------- JSON ---------- */

static void kv_opt(struct json *j, const char *key, const char *s)
{
	if (s)
		json_kv_str(j, key, s);
	else
		json_kv_null(j, key);
}

void api_mentorship_brief_json(struct json *j, const struct mentorship *m)
{
	json_kv_int(j, "id", m->id);
	json_kv_int(j, "child_id", m->child_id);
	json_key(j, "child");
	json_object_begin(j);
	json_kv_str(j, "surname", m->child_surname);
	json_kv_str(j, "given_name", m->child_given_name);
	kv_opt(j, "patronymic", m->child_patronymic);
	json_kv_id(j, "district_id", m->child_district_id);
	json_kv_str(j, "care_status", m->child_care_status);
	json_object_end(j);
	json_kv_int(j, "organisation_id", m->organisation_id);
	json_kv_str(j, "organisation_name", m->organisation_name);
	json_kv_str(j, "organisation_kind", m->organisation_kind);
	json_kv_str(j, "started_on", m->started_on);
	kv_opt(j, "ended_on", m->ended_on);
	kv_opt(j, "end_reason", m->end_reason);
	kv_opt(j, "last_contact_on", m->last_contact_on);
	json_kv_int(j, "goals_count", m->goals);
	json_kv_bool(j, "active", m->ended_on == NULL);
}

void api_contact_json(struct json *j, const struct mentor_contact *k)
{
	json_object_begin(j);
	json_kv_int(j, "id", k->id);
	json_kv_int(j, "mentorship_id", k->mentorship_id);
	json_kv_str(j, "contact_on", k->contact_on);
	json_kv_str(j, "kind", k->kind);
	kv_opt(j, "participants", k->participants);
	kv_opt(j, "notes", k->notes);
	kv_opt(j, "next_step", k->next_step);
	json_kv_id(j, "created_by", k->created_by);
	kv_opt(j, "created_by_name", k->created_by_name);
	api_kv_time(j, "created_at", k->created_at);
	json_object_end(j);
}

int mentorship_details(struct request *r, int64_t id, struct mentorship_details *d)
{
	struct db *db = request_db(r);
	int rc = db_mentor_list(db, id, &r->arena, &d->mentors, &d->nmentors);
	if (!rc)
		rc = db_goal_list(db, id, &r->arena, &d->goals, &d->ngoals);
	if (!rc)
		rc = db_goal_notes(db, id, &r->arena, &d->notes, &d->nnotes);
	if (!rc)
		rc = db_contact_list(db, id, 200, &r->arena, &d->contacts, &d->ncontacts);
	return rc;
}

static void mentorship_json(struct request *r, struct json *j, const struct mentorship *m,
			    const struct mentorship_details *d)
{
	(void)r;
	json_object_begin(j);
	api_mentorship_brief_json(j, m);
	json_key(j, "mentors");
	json_array_begin(j);
	for (size_t i = 0; i < d->nmentors; i++) {
		const struct mentor *mt = &d->mentors[i];
		json_object_begin(j);
		json_kv_int(j, "id", mt->id);
		json_kv_str(j, "name", mt->name);
		kv_opt(j, "position", mt->position);
		kv_opt(j, "phone", mt->phone);
		json_kv_bool(j, "active", mt->active);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "goals");
	json_array_begin(j);
	for (size_t i = 0; i < d->ngoals; i++) {
		const struct goal *g = &d->goals[i];
		json_object_begin(j);
		json_kv_int(j, "id", g->id);
		json_kv_str(j, "area", g->area);
		json_kv_str(j, "description", g->description);
		json_kv_str(j, "status", g->status);
		json_kv_str(j, "agreed_on", g->agreed_on);
		kv_opt(j, "reached_on", g->reached_on);
		json_key(j, "notes");
		json_array_begin(j);
		for (size_t k = 0; k < d->nnotes; k++) {
			if (d->notes[k].goal_id != g->id)
				continue;
			json_object_begin(j);
			api_kv_time(j, "at", d->notes[k].at);
			kv_opt(j, "user_name", d->notes[k].user_name);
			kv_opt(j, "status", d->notes[k].status);
			json_kv_str(j, "note", d->notes[k].note);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_key(j, "contacts");
	json_array_begin(j);
	for (size_t i = 0; i < d->ncontacts; i++)
		api_contact_json(j, &d->contacts[i]);
	json_array_end(j);
	json_object_end(j);
}

/* ---------- loading an attachment the caller may act on ---------- */

int mentorship_load_for(struct request *r, int64_t id, struct perm perm, struct mentorship *m)
{
	int rc = db_mentorship_get(request_db(r), id, &r->arena, m);
	if (rc == DB_NOTFOUND || (!rc && !mentorship_visible((struct scope_filter[]){request_scope(r, perm)}, m))) {
		respond_error(r, 404, "not_found", "no such attachment", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	return 0;
}

/* The outcome of a change: 409 with the reason, or the attachment as it is now. */
static void respond_refusal(struct request *r, const char *why)
{
	if (!strcmp(why, "already_attached"))
		respond_error(r, 409, "already_attached",
			      "the child has an active attachment already: end it before attaching the child elsewhere",
			      "child_id");
	else if (!strcmp(why, "child_merged"))
		respond_error(r, 409, "merged", "this child's record was merged into another: attach that one", "child_id");
	else if (!strcmp(why, "ended"))
		respond_error(r, 409, "ended", "this attachment has ended", NULL);
	else if (!strcmp(why, "before_start"))
		respond_error(r, 422, "before_start", "is before the attachment began", NULL);
	else if (!strcmp(why, "final"))
		respond_error(r, 409, "goal_final", "this goal was reached or dropped already", "status");
	else
		respond_error(r, 404, "not_found", "not found", NULL);
}

struct meyirim_job {
	struct actor who;
	int64_t id;    /* the attachment */
	int64_t other; /* mentor, goal */
	struct attach_draft draft;
	struct mentor mentor;
	struct goal goal;
	struct mentor_contact contact;
	const char *date, *text, *status;
	int flag;
	const char *refused;
	int (*apply)(struct db *db, struct meyirim_job *mj);
};

static int run_job(struct db *db, struct write_job *job)
{
	struct meyirim_job *mj = job->arg;
	return mj->apply(db, mj);
}

const char *meyirim_job_refusal(const struct meyirim_job *mj)
{
	return mj->refused;
}

int64_t meyirim_job_id(const struct meyirim_job *mj)
{
	return mj->id;
}

static void send_mentorship(struct request *r, int64_t id, int status)
{
	struct mentorship m;
	struct mentorship_details d;
	memset(&d, 0, sizeof(d));
	int rc = db_mentorship_get(request_db(r), id, &r->arena, &m);
	if (!rc)
		rc = mentorship_details(r, id, &d);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	mentorship_json(r, &j, &m, &d);
	respond_json(r, status);
}

static void job_done(struct request *r, int status)
{
	struct meyirim_job *mj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (mj->refused) {
		respond_refusal(r, mj->refused);
		return;
	}
	if (mj->contact.id) {
		mj->contact.created_by_name = r->user.full_name;
		struct json j;
		json_init(&j, &r->body);
		api_contact_json(&j, &mj->contact);
		respond_json(r, 201);
		return;
	}
	send_mentorship(r, mj->id, mj->draft.m.id ? 201 : 200);
}

static struct meyirim_job *new_job(struct request *r, int64_t id, int (*apply)(struct db *, struct meyirim_job *))
{
	struct meyirim_job *mj = arena_zalloc(&r->arena, sizeof(*mj));
	request_actor(r, &mj->who);
	mj->id = id;
	mj->apply = apply;
	r->ctx = mj;
	return mj;
}

/* ---------- attach ---------- */

static int apply_attach(struct db *db, struct meyirim_job *mj)
{
	int rc = mentorship_attach(db, &mj->who, &mj->draft, &mj->refused);
	mj->id = mj->draft.m.id;
	return rc;
}

struct meyirim_job *meyirim_attach_job(struct request *r)
{
	struct db *db = request_db(r);
	int64_t child_id = input_int(&r->in, "child_id", 0), org_id = input_int(&r->in, "organisation_id", 0);
	char today[11];
	today_text(today);
	const char *started = input_str(&r->in, "started_on");
	if (!started)
		started = arena_strdup(&r->arena, today);
	else if (strcmp(started, today) > 0)
		input_error(&r->in, &r->arena, "started_on", "in_future", "is in the future");
	struct child c;
	int rc = db_child_get(db, child_id, &r->arena, &c);
	int visible = 0, grant = 0;
	struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, CHILD));
	if (!rc)
		rc = child_visible(db, &sf, &c, time_now(), &visible, &grant);
	if (rc == DB_NOTFOUND || (!rc && (!visible || grant)))
		input_error(&r->in, &r->arena, "child_id", "not_found", "no such child");
	else if (!rc && c.merged_into)
		input_error(&r->in, &r->arena, "child_id", "merged", "this record was merged into another");
	/* An active attachment already: the writer refuses it (409), on what is committed. */
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return NULL;
	}
	struct organisation org;
	rc = db_org_get(db, org_id, &r->arena, &org);
	if (rc == DB_NOTFOUND)
		input_error(&r->in, &r->arena, "organisation_id", "not_found", "no such organisation");
	else if (rc) {
		respond_db_error(r, rc);
		return NULL;
	} else if (!meyirim_org_kind(org.kind))
		input_error(&r->in, &r->arena, "organisation_id", "not_meyirim",
			    "organisations of this kind do not take part in Meyirim");
	else if (!org.active)
		input_error(&r->in, &r->arena, "organisation_id", "inactive", "this organisation is not active");
	struct meyirim_job *mj = new_job(r, 0, apply_attach);
	struct attach_draft *d = &mj->draft;
	d->m.child_id = child_id;
	d->m.organisation_id = org_id;
	d->m.started_on = started;
	for (int i = 0; i < MEYIRIM_MAX_MENTORS; i++) {
		char name[32], position[32], phone[32];
		snprintf(name, sizeof(name), "mentors.%d.name", i);
		snprintf(position, sizeof(position), "mentors.%d.position", i);
		snprintf(phone, sizeof(phone), "mentors.%d.phone", i);
		const char *nm = input_str(&r->in, name), *ph = input_str(&r->in, phone);
		if (!nm) {
			if (input_str(&r->in, position) || ph)
				input_error(&r->in, &r->arena, arena_strdup(&r->arena, name), "required", "is required");
			continue;
		}
		if (ph && !phone_valid(ph))
			input_error(&r->in, &r->arena, arena_strdup(&r->arena, phone), "invalid_phone",
				    "is not a phone number");
		struct mentor *mt = &d->mentors[d->nmentors++];
		mt->name = nm;
		mt->position = input_str(&r->in, position);
		mt->phone = ph;
	}
	if (!d->nmentors)
		input_error(&r->in, &r->arena, "mentors.0.name", "required", "name at least one mentor");
	for (int i = 0; i < MEYIRIM_MAX_GOALS; i++) {
		char area[32], desc[32];
		snprintf(area, sizeof(area), "goals.%d.area", i);
		snprintf(desc, sizeof(desc), "goals.%d.description", i);
		const char *ar = input_str(&r->in, area), *ds = input_str(&r->in, desc);
		if (!ar && !ds)
			continue;
		if (!ar || !ds) {
			input_error(&r->in, &r->arena, arena_strdup(&r->arena, ar ? desc : area), "required", "is required");
			continue;
		}
		struct goal *g = &d->goals[d->ngoals++];
		g->area = ar;
		g->description = ds;
	}
	return mj;
}

void meyirim_start(struct request *r, struct meyirim_job *mj, request_write_then then)
{
	request_write(r, run_job, mj, then);
}

static void start_or_errors(struct request *r, struct meyirim_job *mj)
{
	if (!mj)
		return;
	if (r->in.nerrors) {
		respond_input_errors(r);
		return;
	}
	meyirim_start(r, mj, job_done);
}

void api_mentorship_create(struct request *r)
{
	start_or_errors(r, meyirim_attach_job(r));
}

/* ---------- read and list ---------- */

struct mentorship_read {
	struct actor who;
	struct mentorship m;
	struct mentorship_details d;
};

static int run_read_audit(struct db *db, struct write_job *job)
{
	struct mentorship_read *mr = job->arg;
	return mentorship_audit_read(db, &mr->who, mr->m.id);
}

static void read_audited(struct request *r, int status)
{
	struct mentorship_read *mr = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	mentorship_json(r, &j, &mr->m, &mr->d);
	respond_json(r, 200);
}

void api_mentorship_get(struct request *r)
{
	struct mentorship_read *mr = arena_zalloc(&r->arena, sizeof(*mr));
	if (mentorship_load_for(r, request_id(r, 0), (struct perm)PERM(READ, MENTORSHIP), &mr->m) < 0)
		return;
	int rc = mentorship_details(r, mr->m.id, &mr->d);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &mr->who);
	r->ctx = mr;
	request_write(r, run_read_audit, mr, read_audited);
}

/* The caller's scope narrowed by the list's filters; -1 when it covers nothing. */
int meyirim_scope_for(struct request *r, struct perm perm, int64_t district_id, int64_t org_id,
		      struct mentorship_scope *s)
{
	struct scope_filter f = request_scope(r, perm);
	if (mentorship_scope_for(&f, s) < 0)
		return -1;
	if (district_id) {
		if (s->district_id && s->district_id != district_id)
			return -1;
		s->district_id = district_id;
	}
	if (org_id) {
		if (s->organisation_id && s->organisation_id != org_id)
			return -1;
		s->organisation_id = org_id;
	}
	return 0;
}

struct mentorship_list {
	struct actor who;
	struct mentorship *items;
	size_t n;
	int limit;
};

static int run_list_audit(struct db *db, struct write_job *job)
{
	struct mentorship_list *ml = job->arg;
	char detail[32];
	snprintf(detail, sizeof(detail), "%zu rows", ml->n);
	return audit_record(db, &ml->who, "list", "mentorship", 0, detail);
}

static void send_mentorship_list(struct request *r, const struct mentorship *items, size_t n, int limit)
{
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(&j);
		api_mentorship_brief_json(&j, &items[i]);
		json_object_end(&j);
	}
	/* A full page may have more after it: the next starts after its last attachment, where its name puts it. */
	const struct mentorship *last = n && n == (size_t)limit ? &items[n - 1] : NULL;
	api_items_end(&j, last ? name_cursor_text(&r->arena, last->child_surname_key, last->child_given_key, last->id)
			       : NULL);
	respond_json(r, 200);
}

static void list_audited(struct request *r, int status)
{
	struct mentorship_list *ml = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	send_mentorship_list(r, ml->items, ml->n, ml->limit);
}

void api_mentorships_list(struct request *r)
{
	struct mentorship_list *ml = arena_zalloc(&r->arena, sizeof(*ml));
	struct mentorship_scope s;
	const char *state = input_str(&r->in, "state");
	if (!state)
		state = "active";
	if (meyirim_scope_for(r, (struct perm)PERM(READ, MENTORSHIP), input_int(&r->in, "district_id", 0),
			      input_int(&r->in, "organisation_id", 0), &s) == 0) {
		ml->limit = (int)input_int(&r->in, "limit", 50);
		struct name_cursor after;
		if (name_cursor_parse(input_str(&r->in, "after"), &after) < 0) {
			respond_error(r, 422, "invalid", "after: not a cursor from a previous page", "after");
			return;
		}
		int rc = db_mentorship_list(request_db(r), &s, strcmp(state, "all") ? state : "", &after, ml->limit,
					    &r->arena, &ml->items, &ml->n);
		if (rc) {
			respond_db_error(r, rc);
			return;
		}
	}
	request_actor(r, &ml->who);
	r->ctx = ml;
	request_write(r, run_list_audit, ml, list_audited);
}

/* ---------- end, mentors, goals ---------- */

static int apply_end(struct db *db, struct meyirim_job *mj)
{
	return mentorship_finish(db, &mj->who, mj->id, mj->date, mj->text, &mj->refused);
}

struct meyirim_job *meyirim_end_job(struct request *r, int64_t id)
{
	struct mentorship m;
	if (mentorship_load_for(r, id, (struct perm)PERM(CLOSE, MENTORSHIP), &m) < 0)
		return NULL;
	char today[11];
	today_text(today);
	const char *on = input_str(&r->in, "ended_on");
	if (!on)
		on = arena_strdup(&r->arena, today);
	else if (strcmp(on, today) > 0)
		input_error(&r->in, &r->arena, "ended_on", "in_future", "is in the future");
	else if (strcmp(on, m.started_on) < 0)
		input_error(&r->in, &r->arena, "ended_on", "before_start", "is before the attachment began");
	struct meyirim_job *mj = new_job(r, id, apply_end);
	mj->date = on;
	mj->text = input_str(&r->in, "reason");
	return mj;
}

void api_mentorship_end(struct request *r)
{
	start_or_errors(r, meyirim_end_job(r, request_id(r, 0)));
}

static int apply_add_mentor(struct db *db, struct meyirim_job *mj)
{
	mj->mentor.mentorship_id = mj->id;
	return mentorship_add_mentor(db, &mj->who, &mj->mentor, &mj->refused);
}

struct meyirim_job *meyirim_mentor_job(struct request *r, int64_t id)
{
	struct mentorship m;
	if (mentorship_load_for(r, id, (struct perm)PERM(UPDATE, MENTORSHIP), &m) < 0)
		return NULL;
	const char *phone = input_str(&r->in, "phone");
	if (phone && !phone_valid(phone))
		input_error(&r->in, &r->arena, "phone", "invalid_phone", "is not a phone number");
	struct meyirim_job *mj = new_job(r, id, apply_add_mentor);
	mj->mentor.name = input_str(&r->in, "name");
	mj->mentor.position = input_str(&r->in, "position");
	mj->mentor.phone = phone;
	return mj;
}

void api_mentor_create(struct request *r)
{
	start_or_errors(r, meyirim_mentor_job(r, request_id(r, 0)));
}

static int apply_set_mentor(struct db *db, struct meyirim_job *mj)
{
	return mentorship_set_mentor(db, &mj->who, mj->id, mj->other, mj->flag, &mj->refused);
}

void api_mentor_update(struct request *r)
{
	struct mentorship m;
	if (mentorship_load_for(r, request_id(r, 0), (struct perm)PERM(UPDATE, MENTORSHIP), &m) < 0)
		return;
	struct meyirim_job *mj = new_job(r, m.id, apply_set_mentor);
	mj->other = request_id(r, 1);
	mj->flag = (int)input_int(&r->in, "active", 1);
	start_or_errors(r, mj);
}

static int apply_add_goal(struct db *db, struct meyirim_job *mj)
{
	mj->goal.mentorship_id = mj->id;
	return mentorship_add_goal(db, &mj->who, &mj->goal, &mj->refused);
}

struct meyirim_job *meyirim_goal_job(struct request *r, int64_t id)
{
	struct mentorship m;
	if (mentorship_load_for(r, id, (struct perm)PERM(UPDATE, MENTORSHIP), &m) < 0)
		return NULL;
	struct meyirim_job *mj = new_job(r, id, apply_add_goal);
	char *today = arena_alloc(&r->arena, 11);
	today_text(today);
	mj->goal.area = input_str(&r->in, "area");
	mj->goal.description = input_str(&r->in, "description");
	mj->goal.agreed_on = today;
	return mj;
}

void api_goal_create(struct request *r)
{
	start_or_errors(r, meyirim_goal_job(r, request_id(r, 0)));
}

static int apply_goal_progress(struct db *db, struct meyirim_job *mj)
{
	return mentorship_goal_progress(db, &mj->who, mj->other, mj->status, mj->text, mj->date, &mj->refused);
}

struct meyirim_job *meyirim_goal_progress_job(struct request *r, int64_t goal_id)
{
	struct goal g;
	struct mentorship m;
	int rc = db_goal_get(request_db(r), goal_id, &r->arena, &g);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such goal", NULL);
		return NULL;
	}
	if (rc) {
		respond_db_error(r, rc);
		return NULL;
	}
	if (mentorship_load_for(r, g.mentorship_id, (struct perm)PERM(UPDATE, MENTORSHIP), &m) < 0)
		return NULL;
	const char *status = input_str(&r->in, "status");
	if (status && strcmp(status, g.status) && !goal_may_move(g.status, status))
		input_error(&r->in, &r->arena, "status", "invalid_transition",
			    arena_printf(&r->arena, "a goal cannot move from %s to %s", g.status, status));
	struct meyirim_job *mj = new_job(r, m.id, apply_goal_progress);
	char *today = arena_alloc(&r->arena, 11);
	today_text(today);
	mj->other = goal_id;
	mj->status = status;
	mj->text = input_str(&r->in, "note");
	mj->date = today;
	return mj;
}

void api_goal_progress(struct request *r)
{
	start_or_errors(r, meyirim_goal_progress_job(r, request_id(r, 0)));
}

/* ---------- contacts ---------- */

static int apply_contact(struct db *db, struct meyirim_job *mj)
{
	mj->contact.mentorship_id = mj->id;
	return mentorship_log_contact(db, &mj->who, &mj->contact, &mj->refused);
}

struct meyirim_job *meyirim_contact_job(struct request *r, int64_t id)
{
	struct mentorship m;
	if (mentorship_load_for(r, id, (struct perm)PERM(CREATE, CONTACT), &m) < 0)
		return NULL;
	char today[11];
	today_text(today);
	const char *on = input_str(&r->in, "contact_on");
	if (on && strcmp(on, today) > 0)
		input_error(&r->in, &r->arena, "contact_on", "in_future", "is in the future");
	else if (on && strcmp(on, m.started_on) < 0)
		input_error(&r->in, &r->arena, "contact_on", "before_start", "is before the attachment began");
	if (m.ended_on)
		input_error(&r->in, &r->arena, NULL, "ended", "this attachment has ended");
	struct meyirim_job *mj = new_job(r, id, apply_contact);
	struct mentor_contact *k = &mj->contact;
	k->contact_on = on;
	k->kind = input_str(&r->in, "kind");
	k->participants = input_str(&r->in, "participants");
	k->notes = input_str(&r->in, "notes");
	k->next_step = input_str(&r->in, "next_step");
	return mj;
}

void api_contact_create(struct request *r)
{
	start_or_errors(r, meyirim_contact_job(r, request_id(r, 0)));
}

void api_contacts_list(struct request *r)
{
	struct mentorship m;
	if (mentorship_load_for(r, request_id(r, 0), (struct perm)PERM(READ, CONTACT), &m) < 0)
		return;
	struct mentor_contact *items;
	size_t n;
	int rc = db_contact_list(request_db(r), m.id, 500, &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_contact_json(&j, &items[i]);
	api_items_end(&j, NULL);
	api_respond_audited(r, "read", "mentorship", m.id, "contacts");
}

/* ---------- alerts and figures ---------- */

int meyirim_alert_days(struct request *r)
{
	int days = r->w->server->cfg->contact_alert_days;
	return days > 0 ? days : MEYIRIM_CONTACT_ALERT_DAYS;
}

int meyirim_alerts_for(struct request *r, int days, struct meyirim_alerts *out)
{
	memset(out, 0, sizeof(*out));
	struct mentorship_scope s;
	if (meyirim_scope_for(r, (struct perm)PERM(READ, MENTORSHIP), 0, 0, &s) < 0)
		return DB_OK;
	out->visible = 1;
	out->days = days;
	date_format(today_days() - days, out->since);
	struct db *db = request_db(r);
	int rc = db_mentorship_no_contact(db, &s, out->since, 500, &r->arena, &out->no_contact, &out->nno_contact);
	if (!rc)
		rc = db_mentorship_no_goal(db, &s, 500, &r->arena, &out->no_goal, &out->nno_goal);
	/* Children waiting for an attachment: for those who see the registry's district or region. */
	struct scope_filter cf = request_scope(r, (struct perm)PERM(READ, CHILD));
	if (!rc && (cf.scope == SCOPE_REGION || cf.scope == SCOPE_DISTRICT)) {
		out->sees_unattached = 1;
		rc = db_child_unattached(db, cf.scope == SCOPE_DISTRICT ? cf.district_id : 0, 500, &r->arena,
					 &out->unattached, &out->nunattached);
	}
	return rc;
}

void api_meyirim_alerts(struct request *r)
{
	struct meyirim_alerts a;
	int rc = meyirim_alerts_for(r, (int)input_int(&r->in, "days", meyirim_alert_days(r)), &a);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_int(&j, "days", a.days);
	json_kv_str(&j, "no_contact_since", a.since);
	json_key(&j, "no_contact");
	json_array_begin(&j);
	for (size_t i = 0; i < a.nno_contact; i++) {
		json_object_begin(&j);
		api_mentorship_brief_json(&j, &a.no_contact[i]);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "no_goal");
	json_array_begin(&j);
	for (size_t i = 0; i < a.nno_goal; i++) {
		json_object_begin(&j);
		api_mentorship_brief_json(&j, &a.no_goal[i]);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "unattached");
	if (a.sees_unattached) {
		json_array_begin(&j);
		for (size_t i = 0; i < a.nunattached; i++) {
			json_object_begin(&j);
			api_child_brief_json(&j, &a.unattached[i]);
			json_object_end(&j);
		}
		json_array_end(&j);
	} else {
		json_null(&j);
	}
	json_object_end(&j);
	api_respond_audited(r, "list", "mentorship", 0,
			    arena_printf(&r->arena, "alerts, %zu rows", a.nno_contact + a.nno_goal + a.nunattached));
}

int meyirim_campaign_for(struct request *r, struct meyirim_campaign *out)
{
	memset(out, 0, sizeof(*out));
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, REPORT));
	struct mentorship_scope s = {0, 0};
	if (f.scope == SCOPE_DISTRICT)
		s.district_id = f.district_id;
	else if (f.scope == SCOPE_ORG && f.organisation_id)
		s.organisation_id = f.organisation_id;
	else if (f.scope != SCOPE_REGION)
		return DB_OK; /* no organisation to count for: nothing */
	out->visible = 1;
	/* Contacts: the last twelve months, this one included. */
	int64_t today = today_days();
	char t[11];
	date_format(today, t);
	int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
	int m = (t[5] - '0') * 10 + (t[6] - '0');
	m -= 11;
	if (m < 1) {
		m += 12;
		y--;
	}
	date_format(days_from_civil(y, m, 1), out->since);
	struct db *db = request_db(r);
	int rc = db_campaign_figure(db, CAMPAIGN_BY_KIND, &s, NULL, &r->arena, &out->by_kind, &out->nby_kind);
	if (!rc)
		rc = db_campaign_figure(db, CAMPAIGN_BY_DISTRICT, &s, NULL, &r->arena, &out->by_district,
					&out->nby_district);
	if (!rc)
		rc = db_campaign_figure(db, CAMPAIGN_CONTACTS_BY_MONTH, &s, out->since, &r->arena, &out->contacts,
					&out->ncontacts);
	if (!rc)
		rc = db_campaign_figure(db, CAMPAIGN_GOALS, &s, NULL, &r->arena, &out->goals, &out->ngoals);
	for (size_t i = 0; i < out->nby_kind; i++)
		out->attached += out->by_kind[i].n;
	for (size_t i = 0; i < out->ngoals; i++) {
		out->goals_total += out->goals[i].n;
		out->goals_reached += out->goals[i].m;
	}
	return rc;
}

static void figures_json(struct json *j, const char *key, const struct figure_row *rows, size_t n, int by_id,
			 const char *second)
{
	json_key(j, key);
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(j);
		if (by_id)
			json_kv_id(j, "district_id", rows[i].key_id);
		else
			json_kv_str(j, "key", rows[i].key);
		json_kv_int(j, "count", rows[i].n);
		if (second)
			json_kv_int(j, second, rows[i].m);
		json_object_end(j);
	}
	json_array_end(j);
}

void api_meyirim_campaign(struct request *r)
{
	struct meyirim_campaign c;
	int rc = meyirim_campaign_for(r, &c);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_int(&j, "children_attached", c.attached);
	json_kv_int(&j, "goals", c.goals_total);
	json_kv_int(&j, "goals_reached", c.goals_reached);
	figures_json(&j, "by_organisation_kind", c.by_kind, c.nby_kind, 0, NULL);
	figures_json(&j, "by_district", c.by_district, c.nby_district, 1, NULL);
	json_kv_str(&j, "contacts_since", c.since);
	figures_json(&j, "contacts_by_month", c.contacts, c.ncontacts, 0, NULL);
	figures_json(&j, "goals_by_area", c.goals, c.ngoals, 0, "reached");
	json_object_end(&j);
	respond_json(r, 200);
}
