/*
 * The prevention programme over the API: schools (/api/v1/schools),
 * lecturers and the prosecutor's approvals (/api/v1/lecturers), lessons
 * (/api/v1/lessons), prevention events (/api/v1/events), the programme's
 * coverage, and each lecturer's iCalendar feed. The checks here are shared
 * with the pages (web/prevention.c).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/crypto.h"
#include "core/ics.h"
#include "core/time.h"
#include "domain/deadlines.h"
#include "domain/prevention.h"
#include "http/json.h"

/* ---------- fields ---------- */

static const char *const yes_no[] = {"yes", "no", NULL};

const struct field school_list_fields[] = {
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"in_programme", FT_ENUM, 0, 0, 0, yes_no},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field school_update_fields[] = {
	{"pupils", FT_INT, 0, 0, 10000, NULL},
	{"in_programme", FT_BOOL, 0, 0, 0, NULL},
	{"programme_since", FT_DATE, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field lecturer_fields[] = {
	{"full_name", FT_LINE, F_REQUIRED, 3, 200, NULL},
	{"agency", FT_ENUM, F_REQUIRED, 0, 0, lecturer_agencies},
	{"position", FT_LINE, 0, 1, 200, NULL},
	{"phone", FT_LINE, 0, 5, 30, NULL},
	{"email", FT_LINE, 0, 3, 200, NULL},
	{"user_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field lecturer_update_fields[] = {
	{"full_name", FT_LINE, 0, 3, 200, NULL},
	{"agency", FT_ENUM, 0, 0, 0, lecturer_agencies},
	{"position", FT_LINE, 0, 1, 200, NULL},
	{"phone", FT_LINE, 0, 5, 30, NULL},
	{"email", FT_LINE, 0, 3, 200, NULL},
	{"user_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field approve_fields[] = {
	{"order_number", FT_LINE, F_REQUIRED, 1, 50, NULL},
	{"order_date", FT_DATE, F_REQUIRED, 0, 0, NULL},
	{"valid_until", FT_DATE, F_REQUIRED, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field revoke_fields[] = {
	{"reason", FT_TEXT, F_REQUIRED, 3, 1000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field lesson_fields[] = {
	{"school_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"lecturer_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"starts_at", FT_DATETIME, F_REQUIRED, 0, 0, NULL},
	{"duration_min", FT_INT, F_REQUIRED, LESSON_MIN_MINUTES, LESSON_MAX_MINUTES, NULL},
	{"class_name", FT_LINE, F_REQUIRED, 1, 30, NULL},
	{"topic", FT_ENUM, F_REQUIRED, 0, 0, lesson_topics},
	{"planned_pupils", FT_INT, F_REQUIRED, 1, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field lesson_list_fields[] = {
	{"from", FT_DATE, 0, 0, 0, NULL},
	{"to", FT_DATE, 0, 0, 0, NULL},
	{"school_id", FT_ID, 0, 0, 0, NULL},
	{"lecturer_id", FT_ID, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"status", FT_ENUM, 0, 0, 0, (const char *const[]){"planned", "held", "cancelled", NULL}},
	{"limit", FT_INT, 0, 1, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field lesson_outcome_fields[] = {
	{"status", FT_ENUM, F_REQUIRED, 0, 0, lesson_outcomes},
	{"attended", FT_INT, 0, 0, 2000, NULL},
	{"note", FT_TEXT, 0, 1, 2000, NULL},
	{"cancel_reason", FT_TEXT, 0, 3, 1000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field lesson_feedback_fields[] = {
	{"feedback", FT_TEXT, F_REQUIRED, 2, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field event_fields[] = {
	{"title", FT_LINE, F_REQUIRED, 3, 300, NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, event_kinds},
	{"held_on", FT_DATE, F_REQUIRED, 0, 0, NULL},
	{"district_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"place", FT_LINE, 0, 1, 300, NULL},
	{"organiser", FT_ENUM, F_REQUIRED, 0, 0, event_organisers},
	{"organisation_id", FT_ID, 0, 0, 0, NULL},
	{"target_group", FT_LINE, 0, 1, 300, NULL},
	{"participants", FT_INT, F_REQUIRED, 0, 1000000, NULL},
	{"partners", FT_LINE, 0, 1, 500, NULL},
	{"note", FT_TEXT, 0, 1, 4000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field event_list_fields[] = {
	{"from", FT_DATE, 0, 0, 0, NULL},
	{"to", FT_DATE, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"limit", FT_INT, 0, 1, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field coverage_fields[] = {
	{"from", FT_DATE, 0, 0, 0, NULL},
	{"to", FT_DATE, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* ---------- small helpers ---------- */

static void kv_opt(struct json *j, const char *key, const char *s)
{
	if (s)
		json_kv_str(j, key, s);
	else
		json_kv_null(j, key);
}

/* The local day (YYYY-MM-DD) of a Unix time. */
void prevention_local_day(int64_t t, char out[11])
{
	int64_t local = t + input_local_offset;
	date_format(local >= 0 ? local / 86400 : (local - 86399) / 86400, out);
}

/* Local midnight starting a day, as Unix seconds. */
int64_t prevention_day_start(const char *day)
{
	int y, m, d;
	if (date_parse(day, strlen(day), &y, &m, &d))
		return 0;
	return days_from_civil(y, m, d) * 86400 - input_local_offset;
}

/* The school term a day is in: 1 September – 31 December, or 1 January – 31 August. */
void prevention_term(char from[11], char to[11])
{
	char today[11];
	today_text(today);
	int y = (today[0] - '0') * 1000 + (today[1] - '0') * 100 + (today[2] - '0') * 10 + (today[3] - '0');
	int m = (today[5] - '0') * 10 + (today[6] - '0');
	date_format(days_from_civil(y, m >= 9 ? 9 : 1, 1), from);
	date_format(days_from_civil(y, m >= 9 ? 12 : 8, 31), to);
}

static void respond_refusal(struct request *r, const char *why)
{
	if (!strcmp(why, "not_approved"))
		respond_error(r, 409, "not_approved",
			      "the lecturer has no approval of the prosecutor's office valid on that day", "lecturer_id");
	else if (!strcmp(why, "lecturer_busy"))
		respond_error(r, 409, "lecturer_busy", "the lecturer has another lesson at that time", "starts_at");
	else if (!strcmp(why, "class_busy"))
		respond_error(r, 409, "class_busy", "this class has another lesson at that time", "class_name");
	else if (!strcmp(why, "not_planned"))
		respond_error(r, 409, "not_planned", "the lesson was held or cancelled already", NULL);
	else if (!strcmp(why, "in_future"))
		respond_error(r, 422, "in_future", "a lesson that has not begun cannot be recorded as held", "status");
	else if (!strcmp(why, "above_class_size"))
		respond_error(r, 422, "above_class_size", "more pupils attended than the class has", "attended");
	else if (!strcmp(why, "nothing_to_revoke"))
		respond_error(r, 409, "nothing_to_revoke", "the lecturer has no approval in force", NULL);
	else
		respond_error(r, 404, "not_found", "not found", NULL);
}

/* ---------- JSON ---------- */

void api_school_json(struct json *j, const struct school *s)
{
	json_object_begin(j);
	json_kv_int(j, "id", s->id);
	json_kv_str(j, "name", s->name);
	json_kv_str(j, "kind", s->kind);
	json_kv_id(j, "district_id", s->district_id);
	json_kv_bool(j, "active", s->active);
	json_kv_int(j, "pupils", s->pupils);
	json_kv_bool(j, "in_programme", s->in_programme);
	kv_opt(j, "programme_since", s->programme_since);
	json_kv_id(j, "coordinator_id", s->coordinator_id);
	json_object_end(j);
}

/* Whether the lecturer may be scheduled on day (an approval in force, not revoked). */
int lecturer_approved(const struct lecturer *l, const char *day)
{
	return l->approval_id && !l->revoked_at && l->valid_until && strcmp(l->valid_until, day) >= 0;
}

void api_lecturer_json(struct json *j, const struct lecturer *l, const struct approval *approvals, size_t n)
{
	char today[11];
	today_text(today);
	json_object_begin(j);
	json_kv_int(j, "id", l->id);
	json_kv_str(j, "full_name", l->full_name);
	json_kv_str(j, "agency", l->agency);
	kv_opt(j, "position", l->position);
	kv_opt(j, "phone", l->phone);
	kv_opt(j, "email", l->email);
	json_kv_id(j, "user_id", l->user_id);
	json_kv_bool(j, "approved", lecturer_approved(l, today));
	json_key(j, "approval");
	if (l->approval_id) {
		json_object_begin(j);
		json_kv_str(j, "order_number", l->order_number);
		json_kv_str(j, "order_date", l->order_date);
		json_kv_str(j, "valid_until", l->valid_until);
		json_kv_bool(j, "revoked", l->revoked_at != 0);
		kv_opt(j, "revoke_reason", l->revoke_reason);
		json_object_end(j);
	} else {
		json_null(j);
	}
	if (n != (size_t)-1) {
		json_key(j, "approvals");
		json_array_begin(j);
		for (size_t i = 0; i < n; i++) {
			json_object_begin(j);
			json_kv_int(j, "id", approvals[i].id);
			json_kv_str(j, "order_number", approvals[i].order_number);
			json_kv_str(j, "order_date", approvals[i].order_date);
			json_kv_str(j, "valid_until", approvals[i].valid_until);
			kv_opt(j, "approved_by", approvals[i].approved_by_name);
			api_kv_time(j, "approved_at", approvals[i].approved_at);
			api_kv_time(j, "revoked_at", approvals[i].revoked_at);
			kv_opt(j, "revoke_reason", approvals[i].revoke_reason);
			json_object_end(j);
		}
		json_array_end(j);
	}
	json_object_end(j);
}

void api_lesson_json(struct json *j, const struct lesson *l)
{
	json_object_begin(j);
	json_kv_int(j, "id", l->id);
	json_kv_int(j, "school_id", l->school_id);
	json_kv_str(j, "school_name", l->school_name);
	json_kv_id(j, "district_id", l->district_id);
	json_kv_int(j, "lecturer_id", l->lecturer_id);
	json_kv_str(j, "lecturer_name", l->lecturer_name);
	api_kv_time(j, "starts_at", l->starts_at);
	api_kv_time(j, "ends_at", l->ends_at);
	json_kv_int(j, "duration_min", (l->ends_at - l->starts_at) / 60);
	json_kv_str(j, "class_name", l->class_name);
	json_kv_str(j, "topic", l->topic);
	json_kv_int(j, "planned_pupils", l->planned_pupils);
	json_kv_str(j, "status", l->status);
	kv_opt(j, "cancel_reason", l->cancel_reason);
	if (l->attended >= 0)
		json_kv_int(j, "attended", l->attended);
	else
		json_kv_null(j, "attended");
	kv_opt(j, "note", l->note);
	kv_opt(j, "feedback", l->feedback);
	api_kv_time(j, "confirmed_at", l->confirmed_at);
	json_kv_bool(j, "flagged", l->flagged);
	json_object_end(j);
}

void api_event_json(struct json *j, const struct prevention_event *e)
{
	json_object_begin(j);
	json_kv_int(j, "id", e->id);
	json_kv_str(j, "title", e->title);
	json_kv_str(j, "kind", e->kind);
	json_kv_str(j, "held_on", e->held_on);
	json_kv_id(j, "district_id", e->district_id);
	kv_opt(j, "place", e->place);
	json_kv_str(j, "organiser", e->organiser);
	json_kv_id(j, "organisation_id", e->organisation_id);
	kv_opt(j, "target_group", e->target_group);
	json_kv_int(j, "participants", e->participants);
	kv_opt(j, "partners", e->partners);
	kv_opt(j, "note", e->note);
	json_object_end(j);
}

/* ---------- jobs ---------- */

struct prevention_job {
	struct actor who;
	int64_t id;
	struct lesson lesson;
	struct lecturer lecturer;
	struct prevention_event event;
	const char *a, *b, *c, *d;
	int64_t n;
	int flag;
	unsigned char hash[TOKEN_HASH_BYTES];
	char token[TOKEN_TEXT_LEN + 1];
	const char *refused;
	int created;
	int (*apply)(struct db *db, struct prevention_job *pj);
};

static int run_job(struct db *db, struct write_job *job)
{
	struct prevention_job *pj = job->arg;
	return pj->apply(db, pj);
}

static struct prevention_job *new_job(struct request *r, int64_t id, int (*apply)(struct db *, struct prevention_job *))
{
	struct prevention_job *pj = arena_zalloc(&r->arena, sizeof(*pj));
	request_actor(r, &pj->who);
	pj->id = id;
	pj->apply = apply;
	r->ctx = pj;
	return pj;
}

const char *prevention_job_refusal(const struct prevention_job *pj)
{
	return pj->refused;
}

int64_t prevention_job_id(const struct prevention_job *pj)
{
	return pj->id;
}

const char *prevention_job_token(const struct prevention_job *pj)
{
	return pj->token;
}

void prevention_start(struct request *r, struct prevention_job *pj, request_write_then then)
{
	request_write(r, run_job, pj, then);
}

/* ---------- schools ---------- */

static int school_scope(struct request *r, struct perm perm, int64_t *district, int64_t *org)
{
	struct scope_filter f = request_scope(r, perm);
	*district = *org = 0;
	switch ((enum scope)f.scope) {
	case SCOPE_REGION: return 0;
	case SCOPE_DISTRICT: *district = f.district_id; return 0;
	case SCOPE_ORG: *org = f.organisation_id; return f.organisation_id ? 0 : -1;
	default: return -1;
	}
}

int school_load_for(struct request *r, int64_t id, struct perm perm, struct school *s)
{
	int64_t district, org;
	int rc = db_school_get(request_db(r), id, &r->arena, s);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return -1;
	}
	if (rc == DB_NOTFOUND || school_scope(r, perm, &district, &org) < 0 || (district && s->district_id != district) ||
	    (org && s->id != org)) {
		respond_error(r, 404, "not_found", "no such school", NULL);
		return -1;
	}
	return 0;
}

int school_list_scope(struct request *r, int64_t district_id, int64_t *district, int64_t *org)
{
	if (school_scope(r, (struct perm)PERM(READ, SCHOOL), district, org) < 0)
		return -1;
	if (*district && district_id && district_id != *district)
		return -1;
	if (!*district)
		*district = district_id;
	return 0;
}

int school_list_for(struct request *r, int64_t district_id, const char *in_programme, struct school **items,
		    size_t *n)
{
	int64_t district, org;
	*items = NULL;
	*n = 0;
	if (school_scope(r, (struct perm)PERM(READ, SCHOOL), &district, &org) < 0)
		return DB_OK;
	if (district && district_id && district_id != district)
		return DB_OK;
	return db_school_list(request_db(r), district ? district : district_id, org, in_programme, &r->arena, items, n);
}

void api_schools_list(struct request *r)
{
	struct school *items;
	size_t n;
	int rc = school_list_for(r, input_int(&r->in, "district_id", 0), input_str(&r->in, "in_programme"), &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_school_json(&j, &items[i]);
	api_items_end(&j, NULL);
	respond_json(r, 200);
}

static void send_school(struct request *r, int64_t id, int status)
{
	struct school s;
	int rc = db_school_get(request_db(r), id, &r->arena, &s);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_school_json(&j, &s);
	respond_json(r, status);
}

void api_school_get(struct request *r)
{
	struct school s;
	if (school_load_for(r, request_id(r, 0), (struct perm)PERM(READ, SCHOOL), &s) < 0)
		return;
	send_school(r, s.id, 200);
}

static int apply_school(struct db *db, struct prevention_job *pj)
{
	return school_set_profile(db, &pj->who, pj->id, pj->n, pj->flag, pj->a);
}

static void school_saved(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	send_school(r, pj->id, 200);
}

struct prevention_job *prevention_school_job(struct request *r, int64_t id, int whole_form)
{
	struct school s;
	if (school_load_for(r, id, (struct perm)PERM(UPDATE, SCHOOL), &s) < 0)
		return NULL;
	struct prevention_job *pj = new_job(r, id, apply_school);
	pj->n = input_has(&r->in, "pupils") ? input_int(&r->in, "pupils", 0) : s.pupils;
	/* A form does not send an unticked box: there, absent means no. */
	pj->flag = input_has(&r->in, "in_programme") ? (int)input_int(&r->in, "in_programme", 0)
		   : whole_form			      ? 0
							      : s.in_programme;
	pj->a = input_has(&r->in, "programme_since") ? input_str(&r->in, "programme_since") : s.programme_since;
	if (pj->flag && !pj->a) {
		char *today = arena_alloc(&r->arena, 11);
		today_text(today);
		pj->a = today;
	}
	return pj;
}

void api_school_update(struct request *r)
{
	struct prevention_job *pj = prevention_school_job(r, request_id(r, 0), 0);
	if (pj)
		prevention_start(r, pj, school_saved);
}

/* ---------- lecturers ---------- */

int lecturer_load_for(struct request *r, int64_t id, struct perm perm, struct lecturer *l)
{
	int rc = db_lecturer_get(request_db(r), id, &r->arena, l);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return -1;
	}
	struct scope_filter f = request_scope(r, perm);
	if (rc == DB_NOTFOUND || f.scope == SCOPE_NONE || (f.scope == SCOPE_OWN && l->user_id != r->user.user_id)) {
		respond_error(r, 404, "not_found", "no such lecturer", NULL);
		return -1;
	}
	return 0;
}

static void send_lecturer(struct request *r, int64_t id, int status)
{
	struct lecturer l;
	struct approval *ap;
	size_t n;
	int rc = db_lecturer_get(request_db(r), id, &r->arena, &l);
	if (!rc)
		rc = db_approval_list(request_db(r), id, &r->arena, &ap, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_lecturer_json(&j, &l, ap, n);
	respond_json(r, status);
}

void api_lecturers_list(struct request *r)
{
	struct lecturer *items;
	size_t n;
	int rc = db_lecturer_list(request_db(r), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, LECTURER));
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		if (f.scope != SCOPE_OWN || items[i].user_id == r->user.user_id)
			api_lecturer_json(&j, &items[i], NULL, (size_t)-1);
	api_items_end(&j, NULL);
	respond_json(r, 200);
}

void api_lecturer_get(struct request *r)
{
	struct lecturer l;
	if (lecturer_load_for(r, request_id(r, 0), (struct perm)PERM(READ, LECTURER), &l) < 0)
		return;
	send_lecturer(r, l.id, 200);
}

static void lecturer_done(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status == DB_CONSTRAINT) {
		respond_error(r, 409, "user_taken", "this account belongs to another lecturer already", "user_id");
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (pj->refused) {
		respond_refusal(r, pj->refused);
		return;
	}
	send_lecturer(r, pj->id, pj->created ? 201 : 200);
}

static int apply_lecturer_create(struct db *db, struct prevention_job *pj)
{
	int rc = lecturer_create(db, &pj->who, &pj->lecturer);
	pj->id = pj->lecturer.id;
	pj->created = 1;
	return rc;
}

static int apply_lecturer_update(struct db *db, struct prevention_job *pj)
{
	return lecturer_update(db, &pj->who, &pj->lecturer, &pj->refused);
}

/* Check a lecturer's fields (the account, when given, must be a lecturer's). */
static int lecturer_check(struct request *r, const struct lecturer *l)
{
	if (l->phone && !phone_valid(l->phone))
		input_error(&r->in, &r->arena, "phone", "invalid_phone", "is not a phone number");
	if (l->email && (!strchr(l->email, '@') || strpbrk(l->email, " <>\"")))
		input_error(&r->in, &r->arena, "email", "invalid_email", "is not an e-mail address");
	if (l->user_id) {
		struct user u;
		int rc = db_user_get(request_db(r), l->user_id, &r->arena, &u);
		if (rc && rc != DB_NOTFOUND) {
			respond_db_error(r, rc);
			return -1;
		}
		if (rc == DB_NOTFOUND || strcmp(u.role, "lecturer"))
			input_error(&r->in, &r->arena, "user_id", "not_lecturer", "is not a lecturer's account");
	}
	return 0;
}

struct prevention_job *prevention_lecturer_job(struct request *r, int64_t id)
{
	struct prevention_job *pj;
	if (id) {
		struct lecturer old;
		if (lecturer_load_for(r, id, (struct perm)PERM(UPDATE, LECTURER), &old) < 0)
			return NULL;
		pj = new_job(r, id, apply_lecturer_update);
		pj->lecturer = old;
		struct lecturer *l = &pj->lecturer;
		/* A lecturer keeps their own contact details; name, agency and account are the department's. */
		if (request_scope(r, (struct perm)PERM(UPDATE, LECTURER)).scope == SCOPE_OWN) {
			static const char *const theirs_not[] = {"full_name", "agency", "user_id", NULL};
			for (const char *const *f = theirs_not; *f; f++)
				if (input_has(&r->in, *f))
					input_error(&r->in, &r->arena, *f, "forbidden", "only the department changes this");
		}
		if (input_has(&r->in, "full_name"))
			l->full_name = input_str(&r->in, "full_name");
		if (input_has(&r->in, "agency"))
			l->agency = input_str(&r->in, "agency");
		if (input_has(&r->in, "position"))
			l->position = input_str(&r->in, "position");
		if (input_has(&r->in, "phone"))
			l->phone = input_str(&r->in, "phone");
		if (input_has(&r->in, "email"))
			l->email = input_str(&r->in, "email");
		if (input_has(&r->in, "user_id"))
			l->user_id = input_int(&r->in, "user_id", 0);
	} else {
		pj = new_job(r, 0, apply_lecturer_create);
		struct lecturer *l = &pj->lecturer;
		l->full_name = input_str(&r->in, "full_name");
		l->agency = input_str(&r->in, "agency");
		l->position = input_str(&r->in, "position");
		l->phone = input_str(&r->in, "phone");
		l->email = input_str(&r->in, "email");
		l->user_id = input_int(&r->in, "user_id", 0);
	}
	if (lecturer_check(r, &pj->lecturer) < 0)
		return NULL;
	return pj;
}

static void start_or_errors(struct request *r, struct prevention_job *pj, request_write_then then)
{
	if (!pj)
		return;
	if (r->in.nerrors) {
		respond_input_errors(r);
		return;
	}
	prevention_start(r, pj, then);
}

void api_lecturer_create(struct request *r)
{
	start_or_errors(r, prevention_lecturer_job(r, 0), lecturer_done);
}

void api_lecturer_update(struct request *r)
{
	start_or_errors(r, prevention_lecturer_job(r, request_id(r, 0)), lecturer_done);
}

static int apply_approve(struct db *db, struct prevention_job *pj)
{
	return lecturer_approve(db, &pj->who, pj->id, pj->a, pj->b, pj->c, &pj->refused);
}

struct prevention_job *prevention_approve_job(struct request *r, int64_t id)
{
	struct lecturer l;
	if (lecturer_load_for(r, id, (struct perm)PERM(APPROVE, LECTURER), &l) < 0)
		return NULL;
	struct prevention_job *pj = new_job(r, id, apply_approve);
	pj->a = input_str(&r->in, "order_number");
	pj->b = input_str(&r->in, "order_date");
	pj->c = input_str(&r->in, "valid_until");
	char today[11];
	today_text(today);
	if (pj->b && strcmp(pj->b, today) > 0)
		input_error(&r->in, &r->arena, "order_date", "in_future", "is in the future");
	if (pj->b && pj->c && strcmp(pj->c, pj->b) < 0)
		input_error(&r->in, &r->arena, "valid_until", "before_order", "is before the order's date");
	else if (pj->c && strcmp(pj->c, today) < 0)
		input_error(&r->in, &r->arena, "valid_until", "in_past", "is in the past");
	return pj;
}

void api_lecturer_approve(struct request *r)
{
	start_or_errors(r, prevention_approve_job(r, request_id(r, 0)), lecturer_done);
}

static int apply_revoke(struct db *db, struct prevention_job *pj)
{
	return lecturer_revoke(db, &pj->who, pj->id, pj->a, &pj->refused);
}

struct prevention_job *prevention_revoke_job(struct request *r, int64_t id)
{
	struct lecturer l;
	if (lecturer_load_for(r, id, (struct perm)PERM(APPROVE, LECTURER), &l) < 0)
		return NULL;
	struct prevention_job *pj = new_job(r, id, apply_revoke);
	pj->a = input_str(&r->in, "reason");
	return pj;
}

void api_lecturer_revoke(struct request *r)
{
	start_or_errors(r, prevention_revoke_job(r, request_id(r, 0)), lecturer_done);
}

/* ---------- the lecturer's calendar feed ---------- */

/* The feed token's stored form: a keyed hash (the token itself is shown once). */
static void feed_hash(const char *token, unsigned char out[TOKEN_HASH_BYTES])
{
	token_hash(token, strlen(token), out);
}

static int apply_feed(struct db *db, struct prevention_job *pj)
{
	return lecturer_set_feed(db, &pj->who, pj->id, pj->hash, sizeof(pj->hash), &pj->refused);
}

struct prevention_job *prevention_feed_job(struct request *r, int64_t id)
{
	struct lecturer l;
	if (lecturer_load_for(r, id, (struct perm)PERM(UPDATE, LECTURER), &l) < 0)
		return NULL;
	struct prevention_job *pj = new_job(r, id, apply_feed);
	token_new(pj->token);
	feed_hash(pj->token, pj->hash);
	return pj;
}

static void feed_rotated(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (pj->refused) {
		respond_refusal(r, pj->refused);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_str(&j, "path", arena_printf(&r->arena, "/ics/%s.ics", pj->token));
	json_object_end(&j);
	respond_json(r, 200);
}

void api_lecturer_feed(struct request *r)
{
	struct prevention_job *pj = prevention_feed_job(r, request_id(r, 0));
	if (pj)
		prevention_start(r, pj, feed_rotated);
}

/* GET /ics/{token}.ics: the lecturer's lessons, for a phone calendar to subscribe to. */
void api_lecturer_ics(struct request *r)
{
	const char *name = request_param(r, 0);
	size_t n = name ? strlen(name) : 0;
	if (n < 5 || n > 100 || strcmp(name + n - 4, ".ics")) {
		respond_error(r, 404, "not_found", "no such calendar", NULL);
		return;
	}
	char token[101];
	memcpy(token, name, n - 4);
	token[n - 4] = 0;
	unsigned char hash[TOKEN_HASH_BYTES];
	feed_hash(token, hash);
	struct lecturer l;
	int rc = db_lecturer_by_feed(request_db(r), hash, sizeof(hash), &r->arena, &l);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such calendar", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	/*
	 * The feed is its lecturer's while their account is: not after it is
	 * disabled. (A lapsed or revoked approval keeps it: the lessons given
	 * and those cancelled since are still the lecturer's to see.)
	 */
	struct user u;
	int gone = 0;
	if (l.user_id) {
		rc = db_user_get(request_db(r), l.user_id, &r->arena, &u);
		if (rc && rc != DB_NOTFOUND) {
			respond_db_error(r, rc);
			return;
		}
		gone = rc == DB_NOTFOUND || !u.active;
	}
	if (gone) {
		respond_error(r, 404, "not_found", "no such calendar", NULL);
		return;
	}
	struct lesson_filter f;
	memset(&f, 0, sizeof(f));
	f.lecturer_id = l.id;
	f.from = time_now() - 180 * 86400;
	f.to = time_now() + 400 * 86400;
	f.limit = 2000;
	struct lesson *items;
	size_t count;
	if ((rc = db_lesson_list(request_db(r), &f, &r->arena, &items, &count)) != DB_OK) {
		respond_db_error(r, rc);
		return;
	}
	ics_begin(&r->body, "-//Qorgau//Prevention lessons//KK", l.full_name);
	for (size_t i = 0; i < count; i++) {
		const struct lesson *s = &items[i];
		struct ics_event e = {
			.uid = arena_printf(&r->arena, "lesson-%lld@qorgau", (long long)s->id),
			.stamp = time_now(),
			.start = s->starts_at,
			.end = s->ends_at,
			.summary = arena_printf(&r->arena, "%s: %s", s->class_name, s->school_name),
			.location = s->school_name,
			.description = arena_printf(&r->arena, "%s, %lld", s->topic, (long long)s->planned_pupils),
			.cancelled = !strcmp(s->status, "cancelled"),
			.sequence = (int)s->sequence,
		};
		ics_event(&r->body, &e);
	}
	ics_end(&r->body);
	response_header(r, "cache-control", "private, max-age=300");
	respond(r, 200, "text/calendar; charset=utf-8");
}

/* ---------- lessons ---------- */

int lesson_load_for(struct request *r, int64_t id, struct perm perm, struct lesson *l)
{
	int rc = db_lesson_get(request_db(r), id, &r->arena, l);
	int yes = 0;
	struct scope_filter f = request_scope(r, perm);
	if (!rc)
		rc = lesson_visible(request_db(r), &f, l, &yes);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return -1;
	}
	if (rc == DB_NOTFOUND || !yes) {
		respond_error(r, 404, "not_found", "no such lesson", NULL);
		return -1;
	}
	return 0;
}

int lesson_list_for(struct request *r, struct lesson_filter *f, struct lesson **items, size_t *n)
{
	struct lesson_filter scope;
	memset(&scope, 0, sizeof(scope));
	*items = NULL;
	*n = 0;
	struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, LESSON));
	if (lesson_scope_for(request_db(r), &sf, &scope) < 0)
		return DB_OK;
	/* The scope wins over the filters it narrows. */
	if ((scope.school_id && f->school_id && f->school_id != scope.school_id) ||
	    (scope.lecturer_id && f->lecturer_id && f->lecturer_id != scope.lecturer_id) ||
	    (scope.district_id && f->district_id && f->district_id != scope.district_id))
		return DB_OK;
	if (scope.school_id)
		f->school_id = scope.school_id;
	if (scope.lecturer_id)
		f->lecturer_id = scope.lecturer_id;
	if (scope.district_id)
		f->district_id = scope.district_id;
	return db_lesson_list(request_db(r), f, &r->arena, items, n);
}

void api_lessons_list(struct request *r)
{
	struct lesson_filter f;
	memset(&f, 0, sizeof(f));
	char from[11], to[11];
	prevention_term(from, to);
	const char *a = input_str(&r->in, "from"), *b = input_str(&r->in, "to");
	if (strcmp(a ? a : from, b ? b : to) > 0) {
		respond_error(r, 422, "invalid_period", "from is after to", "from");
		return;
	}
	f.from = prevention_day_start(a ? a : from);
	f.to = prevention_day_start(b ? b : to) + 86400;
	f.school_id = input_int(&r->in, "school_id", 0);
	f.lecturer_id = input_int(&r->in, "lecturer_id", 0);
	f.district_id = input_int(&r->in, "district_id", 0);
	f.status = input_str(&r->in, "status");
	f.limit = (int)input_int(&r->in, "limit", 500);
	struct lesson *items;
	size_t n;
	int rc = lesson_list_for(r, &f, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_lesson_json(&j, &items[i]);
	api_items_end(&j, NULL);
	respond_json(r, 200);
}

static void send_lesson(struct request *r, int64_t id, int status)
{
	struct lesson l;
	int rc = db_lesson_get(request_db(r), id, &r->arena, &l);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_lesson_json(&j, &l);
	respond_json(r, status);
}

void api_lesson_get(struct request *r)
{
	struct lesson l;
	if (lesson_load_for(r, request_id(r, 0), (struct perm)PERM(READ, LESSON), &l) < 0)
		return;
	send_lesson(r, l.id, 200);
}

static void lesson_done(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (pj->refused) {
		respond_refusal(r, pj->refused);
		return;
	}
	send_lesson(r, pj->id, pj->created ? 201 : 200);
}

static int apply_schedule(struct db *db, struct prevention_job *pj)
{
	int rc = lesson_schedule(db, &pj->who, &pj->lesson, &pj->refused);
	pj->id = pj->lesson.id;
	pj->created = 1;
	return rc;
}

static int apply_reschedule(struct db *db, struct prevention_job *pj)
{
	return lesson_reschedule(db, &pj->who, &pj->lesson, &pj->refused);
}

/*
 * A lesson as asked (new, or the whole of a changed one): the school in the
 * caller's scope and taking part, a known lecturer, a start not in the past.
 */
struct prevention_job *prevention_lesson_job(struct request *r, int64_t id)
{
	struct prevention_job *pj;
	if (id) {
		struct lesson old;
		if (lesson_load_for(r, id, (struct perm)PERM(UPDATE, LESSON), &old) < 0)
			return NULL;
		/* A lesson stays at its school (whose lesson, feedback and outcome it is): another is a new lesson. */
		if (input_int(&r->in, "school_id", 0) != old.school_id)
			input_error(&r->in, &r->arena, "school_id", "school_changed",
				    "a lesson stays at its school: plan a new lesson at the other school");
		pj = new_job(r, id, apply_reschedule);
	} else {
		pj = new_job(r, 0, apply_schedule);
	}
	struct lesson *l = &pj->lesson;
	l->id = id;
	l->school_id = input_int(&r->in, "school_id", 0);
	l->lecturer_id = input_int(&r->in, "lecturer_id", 0);
	l->starts_at = input_int(&r->in, "starts_at", 0);
	l->ends_at = l->starts_at + 60 * input_int(&r->in, "duration_min", 45);
	l->class_name = input_str(&r->in, "class_name");
	l->topic = input_str(&r->in, "topic");
	l->planned_pupils = input_int(&r->in, "planned_pupils", 0);
	char *day = arena_alloc(&r->arena, 11), *key = arena_alloc(&r->arena, 32);
	prevention_local_day(l->starts_at, day);
	lesson_class_key(l->class_name, key);
	l->lesson_on = day;
	l->class_key = key;
	if (l->class_name && !*key)
		input_error(&r->in, &r->arena, "class_name", "invalid", "name the class by its grade and letter");
	if (l->starts_at && l->starts_at < time_now() - 3600)
		input_error(&r->in, &r->arena, "starts_at", "in_past", "is in the past");
	if (l->starts_at > time_now() + 2 * 366 * 86400LL)
		input_error(&r->in, &r->arena, "starts_at", "too_far", "is more than two years ahead");
	struct school s;
	int64_t district, org;
	int rc = l->school_id ? db_school_get(request_db(r), l->school_id, &r->arena, &s) : DB_NOTFOUND;
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return NULL;
	}
	if (l->school_id &&
	    (rc == DB_NOTFOUND ||
	     school_scope(r, (struct perm)PERM(CREATE, LESSON), &district, &org) < 0 ||
	     (district && s.district_id != district) || (org && s.id != org)))
		input_error(&r->in, &r->arena, "school_id", "not_found", "no such school");
	else if (l->school_id && !s.in_programme)
		input_error(&r->in, &r->arena, "school_id", "not_in_programme", "this school does not take part in the programme");
	else if (l->school_id && s.pupils && l->planned_pupils > s.pupils)
		input_error(&r->in, &r->arena, "planned_pupils", "above_school_size", "is more than the school's pupils");
	struct lecturer lc;
	rc = l->lecturer_id ? db_lecturer_get(request_db(r), l->lecturer_id, &r->arena, &lc) : DB_NOTFOUND;
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return NULL;
	}
	if (l->lecturer_id && rc == DB_NOTFOUND)
		input_error(&r->in, &r->arena, "lecturer_id", "not_found", "no such lecturer");
	return pj;
}

void api_lesson_create(struct request *r)
{
	start_or_errors(r, prevention_lesson_job(r, 0), lesson_done);
}

void api_lesson_update(struct request *r)
{
	start_or_errors(r, prevention_lesson_job(r, request_id(r, 0)), lesson_done);
}

static int apply_outcome(struct db *db, struct prevention_job *pj)
{
	return lesson_record(db, &pj->who, pj->id, pj->a, pj->n, pj->b, pj->c, time_now(), &pj->refused);
}

struct prevention_job *prevention_outcome_job(struct request *r, int64_t id)
{
	struct lesson l;
	if (lesson_load_for(r, id, (struct perm)PERM(RECORD, LESSON), &l) < 0)
		return NULL;
	struct prevention_job *pj = new_job(r, id, apply_outcome);
	pj->a = input_str(&r->in, "status");
	pj->n = input_int(&r->in, "attended", -1);
	pj->b = input_str(&r->in, "note");
	pj->c = input_str(&r->in, "cancel_reason");
	if (pj->a && !strcmp(pj->a, "held") && pj->n < 0)
		input_error(&r->in, &r->arena, "attended", "required", "is required for a lesson held");
	if (pj->a && !strcmp(pj->a, "cancelled") && !pj->c)
		input_error(&r->in, &r->arena, "cancel_reason", "required", "is required for a lesson cancelled");
	return pj;
}

void api_lesson_outcome(struct request *r)
{
	start_or_errors(r, prevention_outcome_job(r, request_id(r, 0)), lesson_done);
}

static int apply_feedback(struct db *db, struct prevention_job *pj)
{
	return lesson_set_feedback(db, &pj->who, pj->id, pj->a, &pj->refused);
}

struct prevention_job *prevention_feedback_job(struct request *r, int64_t id)
{
	struct lesson l;
	if (lesson_load_for(r, id, (struct perm)PERM(RECORD, LESSON), &l) < 0)
		return NULL;
	struct prevention_job *pj = new_job(r, id, apply_feedback);
	pj->a = input_str(&r->in, "feedback");
	return pj;
}

void api_lesson_feedback(struct request *r)
{
	start_or_errors(r, prevention_feedback_job(r, request_id(r, 0)), lesson_done);
}

static int apply_confirm(struct db *db, struct prevention_job *pj)
{
	return lesson_confirm(db, &pj->who, pj->id, &pj->refused);
}

struct prevention_job *prevention_confirm_job(struct request *r, int64_t id)
{
	struct lesson l;
	if (lesson_load_for(r, id, (struct perm)PERM(CONFIRM, LESSON), &l) < 0)
		return NULL;
	return new_job(r, id, apply_confirm);
}

void api_lesson_confirm(struct request *r)
{
	start_or_errors(r, prevention_confirm_job(r, request_id(r, 0)), lesson_done);
}

/* ---------- events ---------- */

static int event_scope(struct request *r, struct perm perm, int64_t *district, int64_t *org)
{
	return school_scope(r, perm, district, org);
}

int event_load_for(struct request *r, int64_t id, struct perm perm, struct prevention_event *e)
{
	int64_t district, org;
	int rc = db_event_get(request_db(r), id, &r->arena, e);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return -1;
	}
	if (rc == DB_NOTFOUND || event_scope(r, perm, &district, &org) < 0 || (district && e->district_id != district) ||
	    (org && e->organisation_id != org)) {
		respond_error(r, 404, "not_found", "no such event", NULL);
		return -1;
	}
	return 0;
}

int event_list_for(struct request *r, int64_t district_id, const char *from, const char *to, int limit,
		   struct prevention_event **items, size_t *n)
{
	int64_t district, org;
	*items = NULL;
	*n = 0;
	if (event_scope(r, (struct perm)PERM(READ, EVENT), &district, &org) < 0)
		return DB_OK;
	if (district && district_id && district != district_id)
		return DB_OK;
	return db_event_list(request_db(r), district ? district : district_id, org, from, to, limit, &r->arena, items, n);
}

void api_events_list(struct request *r)
{
	char from[11], to[11];
	prevention_term(from, to);
	const char *a = input_str(&r->in, "from"), *b = input_str(&r->in, "to");
	struct prevention_event *items;
	size_t n;
	int rc = event_list_for(r, input_int(&r->in, "district_id", 0), a ? a : "0000-01-01", b ? b : "9999-12-31",
				(int)input_int(&r->in, "limit", 500), &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_event_json(&j, &items[i]);
	api_items_end(&j, NULL);
	respond_json(r, 200);
}

static void send_event(struct request *r, int64_t id, int status)
{
	struct prevention_event e;
	int rc = db_event_get(request_db(r), id, &r->arena, &e);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_event_json(&j, &e);
	respond_json(r, status);
}

void api_event_get(struct request *r)
{
	struct prevention_event e;
	if (event_load_for(r, request_id(r, 0), (struct perm)PERM(READ, EVENT), &e) < 0)
		return;
	send_event(r, e.id, 200);
}

static void event_done(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (pj->refused) {
		respond_refusal(r, pj->refused);
		return;
	}
	send_event(r, pj->id, pj->created ? 201 : 200);
}

static int apply_event_create(struct db *db, struct prevention_job *pj)
{
	int rc = event_create(db, &pj->who, &pj->event);
	pj->id = pj->event.id;
	pj->created = 1;
	return rc;
}

static int apply_event_update(struct db *db, struct prevention_job *pj)
{
	return event_update(db, &pj->who, &pj->event, &pj->refused);
}

struct prevention_job *prevention_event_job(struct request *r, int64_t id)
{
	struct prevention_event old;
	memset(&old, 0, sizeof(old));
	if (id && event_load_for(r, id, (struct perm)PERM(UPDATE, EVENT), &old) < 0)
		return NULL;
	struct prevention_job *pj = new_job(r, id, id ? apply_event_update : apply_event_create);
	struct prevention_event *e = &pj->event;
	e->id = id;
	e->title = input_str(&r->in, "title");
	e->kind = input_str(&r->in, "kind");
	e->held_on = input_str(&r->in, "held_on");
	e->district_id = input_int(&r->in, "district_id", 0);
	e->place = input_str(&r->in, "place");
	e->organiser = input_str(&r->in, "organiser");
	e->organisation_id = input_int(&r->in, "organisation_id", 0);
	e->target_group = input_str(&r->in, "target_group");
	e->participants = input_int(&r->in, "participants", 0);
	e->partners = input_str(&r->in, "partners");
	e->note = input_str(&r->in, "note");
	if (id && !input_has(&r->in, "organisation_id"))
		e->organisation_id = old.organisation_id; /* a change keeps whose event it is */
	int64_t district, org;
	event_scope(r, (struct perm)PERM(CREATE, EVENT), &district, &org);
	if (org) {
		/* A school records its own events, in its own district. */
		e->organisation_id = org;
		struct organisation o;
		if (db_org_get(request_db(r), org, &r->arena, &o) == DB_OK && e->district_id && e->district_id != o.district_id)
			input_error(&r->in, &r->arena, "district_id", "outside_scope", "is not your school's district");
	}
	if (district && e->district_id && e->district_id != district)
		input_error(&r->in, &r->arena, "district_id", "outside_scope", "is outside your district");
	char today[11];
	today_text(today);
	if (e->held_on && e->participants > 0 && strcmp(e->held_on, today) > 0)
		input_error(&r->in, &r->arena, "participants", "in_future", "an event that has not happened has no participants yet");
	struct district d;
	int rc = e->district_id ? db_district_get(request_db(r), e->district_id, &r->arena, &d) : DB_NOTFOUND;
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return NULL;
	}
	if (e->district_id && rc == DB_NOTFOUND)
		input_error(&r->in, &r->arena, "district_id", "not_found", "no such district");
	if (e->organisation_id && !org) {
		struct organisation o;
		rc = db_org_get(request_db(r), e->organisation_id, &r->arena, &o);
		if (rc && rc != DB_NOTFOUND) {
			respond_db_error(r, rc);
			return NULL;
		}
		if (rc == DB_NOTFOUND)
			input_error(&r->in, &r->arena, "organisation_id", "not_found", "no such organisation");
	}
	return pj;
}

void api_event_create(struct request *r)
{
	start_or_errors(r, prevention_event_job(r, 0), event_done);
}

void api_event_update(struct request *r)
{
	start_or_errors(r, prevention_event_job(r, request_id(r, 0)), event_done);
}

/* ---------- coverage ---------- */

int coverage_for(struct request *r, const char *from, const char *to, int64_t district_id, struct coverage *c)
{
	memset(c, 0, sizeof(*c));
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, REPORT));
	/* The programme's coverage is the region's or a district's; a school sees its lessons in the schedule. */
	if (f.scope != SCOPE_REGION && f.scope != SCOPE_DISTRICT)
		return DB_OK;
	if (f.scope == SCOPE_DISTRICT) {
		if (district_id && district_id != f.district_id)
			return DB_OK;
		district_id = f.district_id;
	}
	c->visible = 1;
	snprintf(c->from, sizeof(c->from), "%s", from);
	snprintf(c->to, sizeof(c->to), "%s", to);
	int64_t t0 = prevention_day_start(from), t1 = prevention_day_start(to) + 86400;
	struct db *db = request_db(r);
	struct coverage_row **out[] = {&c->schools, &c->by_district, &c->by_topic, &c->by_month, &c->lecturers,
				       &c->events};
	size_t *counts[] = {&c->nschools, &c->nby_district, &c->nby_topic, &c->nby_month, &c->nlecturers, &c->nevents};
	for (int k = COVERAGE_SCHOOLS; k <= COVERAGE_EVENTS; k++) {
		int rc = db_coverage(db, (enum coverage_figure)k, t0, t1, from, to, district_id, &r->arena, out[k], counts[k]);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < c->nschools; i++) {
		c->schools_total += c->schools[i].a;
		c->schools_in_programme += c->schools[i].b;
		c->schools_covered += c->schools[i].c;
	}
	for (size_t i = 0; i < c->nby_district; i++) {
		c->planned += c->by_district[i].a;
		c->held += c->by_district[i].b;
		c->cancelled += c->by_district[i].c;
		c->pupils_reached += c->by_district[i].d;
	}
	for (size_t i = 0; i < c->nevents; i++) {
		c->events_total += c->events[i].a;
		c->participants += c->events[i].b;
	}
	return DB_OK;
}

static void rows_json(struct json *j, const char *key, const char *id_key, const struct coverage_row *rows, size_t n,
		      const char *const names[4])
{
	json_key(j, key);
	json_array_begin(j);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(j);
		if (id_key)
			json_kv_id(j, id_key, rows[i].key_id);
		else
			json_kv_str(j, "key", rows[i].key);
		const int64_t v[4] = {rows[i].a, rows[i].b, rows[i].c, rows[i].d};
		for (int k = 0; k < 4; k++)
			if (names[k])
				json_kv_int(j, names[k], v[k]);
		json_object_end(j);
	}
	json_array_end(j);
}

void api_coverage(struct request *r)
{
	char from[11], to[11];
	prevention_term(from, to);
	const char *a = input_str(&r->in, "from"), *b = input_str(&r->in, "to");
	if (a && b && strcmp(a, b) > 0) {
		respond_error(r, 422, "invalid_period", "from is after to", "from");
		return;
	}
	struct coverage c;
	int rc = coverage_for(r, a ? a : from, b ? b : to, input_int(&r->in, "district_id", 0), &c);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	static const char *const lesson_cols[4] = {"planned", "held", "cancelled", "pupils_reached"};
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_str(&j, "from", c.from);
	json_kv_str(&j, "to", c.to);
	json_kv_int(&j, "schools", c.schools_total);
	json_kv_int(&j, "schools_in_programme", c.schools_in_programme);
	json_kv_int(&j, "schools_covered", c.schools_covered);
	json_kv_int(&j, "lessons_planned", c.planned);
	json_kv_int(&j, "lessons_held", c.held);
	json_kv_int(&j, "lessons_cancelled", c.cancelled);
	json_kv_int(&j, "pupils_reached", c.pupils_reached);
	json_kv_int(&j, "events", c.events_total);
	json_kv_int(&j, "event_participants", c.participants);
	rows_json(&j, "schools_by_district", "district_id", c.schools, c.nschools,
		  (const char *const[4]){"schools", "in_programme", "covered", "pupils"});
	rows_json(&j, "lessons_by_district", "district_id", c.by_district, c.nby_district, lesson_cols);
	rows_json(&j, "lessons_by_topic", NULL, c.by_topic, c.nby_topic, lesson_cols);
	rows_json(&j, "lessons_by_month", NULL, c.by_month, c.nby_month, lesson_cols);
	rows_json(&j, "lecturers_by_agency", NULL, c.lecturers, c.nlecturers,
		  (const char *const[4]){"lecturers", "lessons_held", NULL, NULL});
	rows_json(&j, "events_by_kind", NULL, c.events, c.nevents,
		  (const char *const[4]){"events", "participants", NULL, NULL});
	json_object_end(&j);
	respond_json(r, 200);
}
