/*
 * Consultations, referrals, break-the-glass grants and the calendar, over
 * the JSON API.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/crypto.h"
#include "core/time.h"
#include "domain/appeal.h"
#include "domain/deadlines.h"
#include "http/json.h"

/* ---------- consultations ---------- */

const struct field consultation_fields[] = {
	{"held_at", FT_DATETIME, F_REQUIRED, 0, 0, NULL},
	{"duration_min", FT_INT, F_REQUIRED, 5, 480, NULL},
	{"format", FT_ENUM, F_REQUIRED, 0, 0, consultation_formats},
	{"participants", FT_LINE, 0, 2, 500, NULL},
	{"notes", FT_TEXT, 0, 1, 20000, NULL},
	{"next_at", FT_DATETIME, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* Notes: their author and head psychologists only. */
int may_read_notes(struct request *r, const struct consultation *c)
{
	enum scope s = authz_scope(r->user.role, (struct perm)PERM(READ, CONSULTATION_NOTES));
	return s == SCOPE_REGION || (s == SCOPE_OWN && c->psychologist_id == r->user.user_id);
}

const char *consultation_notes(struct request *r, const struct consultation *c)
{
	if (!c->notes_sealed || !may_read_notes(r, c))
		return NULL;
	struct buf plain = BUF_INIT;
	const char *out = NULL;
	if (unseal(c->notes_sealed, c->notes_sealed_len, "consultation_notes", &plain) == 0)
		out = arena_strndup(&r->arena, plain.ptr, plain.len);
	buf_release(&plain);
	return out;
}

static void consultation_json(struct request *r, struct json *j, const struct consultation *c)
{
	json_object_begin(j);
	json_kv_int(j, "id", c->id);
	json_kv_int(j, "appeal_id", c->appeal_id);
	json_kv_int(j, "psychologist_id", c->psychologist_id);
	json_kv_str(j, "psychologist", c->psychologist_name);
	api_kv_time(j, "held_at", c->held_at);
	json_kv_int(j, "duration_min", c->duration_min);
	json_kv_str(j, "format", c->format);
	json_kv_str(j, "participants", c->participants);
	json_kv_bool(j, "has_notes", c->notes_sealed != NULL);
	if (may_read_notes(r, c))
		json_kv_str(j, "notes", consultation_notes(r, c));
	api_kv_time(j, "next_at", c->next_at);
	json_object_end(j);
}

struct consult_job {
	struct actor who;
	struct consultation c;
	struct buf sealed;
	struct appeal_change result;
};

static int run_consult(struct db *db, struct write_job *job)
{
	struct consult_job *cj = job->arg;
	return appeal_consult(db, &cj->who, &cj->c, &cj->result);
}

static void consulted(struct request *r, int status)
{
	struct consult_job *cj = r->ctx;
	buf_release(&cj->sealed);
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (cj->result.refused) {
		respond_error(r, 409, "invalid_transition", "the appeal is not open: a consultation cannot be added", NULL);
		return;
	}
	struct consultation c;
	int rc = db_consultation_get(request_db(r), cj->c.id, &r->arena, &c);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	consultation_json(r, &j, &c);
	respond_json(r, 201);
}

int consultation_job_refused(struct request *r)
{
	struct consult_job *cj = r->ctx;
	buf_release(&cj->sealed);
	return cj->result.refused;
}

/* The checks shared by the API and the page; errors go to r->in. */
enum { CONSULTATION_BEFORE_RECEIVED_MAX = 7 * 86400 };

void consultation_check(struct request *r)
{
	int64_t now = time_now();
	int64_t held = input_int(&r->in, "held_at", 0);
	if (input_has(&r->in, "held_at") && held > now + 86400)
		input_error(&r->in, &r->arena, "held_at", "in_future", "is more than a day in the future");
	if (input_has(&r->in, "next_at") && input_int(&r->in, "next_at", 0) <= held)
		input_error(&r->in, &r->arena, "next_at", "not_after", "must be after the consultation");
}

int consultation_start(struct request *r, int64_t appeal_id, request_write_then then)
{
	struct appeal a;
	if (appeal_load_for(r, appeal_id, (struct perm)PERM(CREATE, CONSULTATION), &a, NULL) < 0)
		return -1;
	/*
	 * Held for this appeal: not long before it came in (a date decades back
	 * would count in a past period's figures). A week of slack: a walk-in
	 * talked with first and registered later, a call on a weekend.
	 */
	if (input_int(&r->in, "held_at", 0) < a.received_at - CONSULTATION_BEFORE_RECEIVED_MAX) {
		input_error(&r->in, &r->arena, "held_at", "before_received",
			    "is more than a week before the appeal was received");
		return -2;
	}
	struct consult_job *cj = arena_zalloc(&r->arena, sizeof(*cj));
	buf_init(&cj->sealed);
	request_actor(r, &cj->who);
	cj->c.appeal_id = a.id;
	cj->c.psychologist_id = r->user.user_id;
	cj->c.held_at = input_int(&r->in, "held_at", 0);
	cj->c.duration_min = (int)input_int(&r->in, "duration_min", 0);
	cj->c.format = input_str(&r->in, "format");
	cj->c.participants = input_str(&r->in, "participants");
	cj->c.next_at = input_int(&r->in, "next_at", 0);
	cj->c.created_at = time_now();
	const char *notes = input_str(&r->in, "notes");
	if (notes) {
		/* Notes are always sealed: the database never holds them in the clear. */
		seal(notes, strlen(notes), "consultation_notes", &cj->sealed);
		cj->c.notes_sealed = cj->sealed.ptr;
		cj->c.notes_sealed_len = cj->sealed.len;
	}
	r->ctx = cj;
	request_write(r, run_consult, cj, then);
	return 0;
}

void api_consultation_create(struct request *r)
{
	consultation_check(r);
	if (r->in.nerrors) {
		respond_input_errors(r);
		return;
	}
	if (consultation_start(r, request_id(r, 0), consulted) == -2)
		respond_input_errors(r);
}

void api_consultations_list(struct request *r)
{
	struct appeal a;
	if (appeal_load_for(r, request_id(r, 0), (struct perm)PERM(READ, CONSULTATION), &a, NULL) < 0)
		return;
	struct consultation *items;
	size_t n;
	int rc = db_consultation_list(request_db(r), a.id, &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		consultation_json(r, &j, &items[i]);
	api_items_end(&j, NULL);
	/* Consultations (and notes, for those who may open them) are on record before they are shown. */
	api_respond_audited(r, "read", "consultation", a.id, arena_printf(&r->arena, "appeal's consultations, %zu rows", n));
}

/* ---------- referrals ---------- */

const struct field referral_fields[] = {
	{"organisation_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"reason", FT_TEXT, F_REQUIRED, 5, 2000, NULL},
	{"consent", FT_ENUM, F_REQUIRED, 0, 0, referral_consents},
	{"legal_ground", FT_LINE, 0, 5, 500, NULL},
	{"due_on", FT_DATE, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void api_referral_json(struct json *j, const struct referral *rf)
{
	json_object_begin(j);
	json_kv_int(j, "id", rf->id);
	json_kv_int(j, "appeal_id", rf->appeal_id);
	json_kv_str(j, "appeal_number", rf->appeal_number);
	json_kv_int(j, "organisation_id", rf->to_org);
	json_kv_str(j, "organisation", rf->to_org_name);
	json_kv_str(j, "reason", rf->reason);
	json_kv_str(j, "consent", rf->consent);
	json_kv_str(j, "legal_ground", rf->legal_ground);
	json_kv_str(j, "status", rf->status);
	json_kv_str(j, "due_on", rf->due_on);
	json_kv_str(j, "answer", rf->answer);
	json_object_end(j);
}

struct refer_job {
	struct actor who;
	struct referral rf;
	struct appeal_change result;
	int answer_mode;
	const char *status;
	const char *answer;
};

static int run_refer(struct db *db, struct write_job *job)
{
	struct refer_job *rj = job->arg;
	if (rj->answer_mode)
		return referral_answer(db, &rj->who, rj->rf.id, rj->status, rj->answer, &rj->result);
	return appeal_refer(db, &rj->who, &rj->rf, &rj->result);
}

int referral_job_refused(struct request *r)
{
	return ((struct refer_job *)r->ctx)->result.refused;
}

static void referred(struct request *r, int status)
{
	struct refer_job *rj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (rj->result.refused) {
		buf_reset(&r->body);
		struct json j;
		json_init(&j, &r->body);
		json_object_begin(&j);
		json_key(&j, "error");
		json_object_begin(&j);
		json_kv_str(&j, "code", "invalid_transition");
		json_kv_str(&j, "message", rj->answer_mode ? "the referral cannot take this answer now"
							   : "the appeal is not open: it cannot be referred");
		json_key(&j, "allowed");
		json_array_begin(&j);
		for (int i = 0; i < rj->result.nnext; i++)
			json_str(&j, rj->result.next[i]);
		json_array_end(&j);
		json_object_end(&j);
		json_object_end(&j);
		respond_json(r, 409);
		return;
	}
	struct referral rf;
	int rc = db_referral_get(request_db(r), rj->rf.id, &r->arena, &rf);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_referral_json(&j, &rf);
	respond_json(r, rj->answer_mode ? 200 : 201);
}

void referral_check(struct request *r)
{
	if (input_has(&r->in, "consent") && !strcmp(input_str(&r->in, "consent"), "not_required") &&
	    !input_has(&r->in, "legal_ground"))
		input_error(&r->in, &r->arena, "legal_ground", "required",
			    "is required when acting without consent: name the legal ground");
	char today[11];
	today_text(today);
	if (input_has(&r->in, "due_on") && strcmp(input_str(&r->in, "due_on"), today) < 0)
		input_error(&r->in, &r->arena, "due_on", "in_past", "is in the past");
}

int referral_start(struct request *r, int64_t appeal_id, request_write_then then)
{
	struct appeal a;
	if (appeal_load_for(r, appeal_id, (struct perm)PERM(CREATE, REFERRAL), &a, NULL) < 0)
		return -1;
	struct organisation o;
	int rc = db_org_get(request_db(r), input_int(&r->in, "organisation_id", 0), &r->arena, &o);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 422, "not_found", "organisation_id: no such organisation", "organisation_id");
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	struct refer_job *rj = arena_zalloc(&r->arena, sizeof(*rj));
	request_actor(r, &rj->who);
	rj->rf.appeal_id = a.id;
	rj->rf.to_org = o.id;
	rj->rf.reason = input_str(&r->in, "reason");
	rj->rf.consent = input_str(&r->in, "consent");
	rj->rf.legal_ground = input_str(&r->in, "legal_ground");
	char *due = arena_alloc(&r->arena, 11);
	if (input_has(&r->in, "due_on"))
		snprintf(due, 11, "%s", input_str(&r->in, "due_on"));
	else
		date_format(calendar_add_working_days(deadlines_calendar(), today_days(), REFERRAL_DUE_DAYS), due);
	rj->rf.due_on = due;
	rj->rf.created_by = r->user.user_id;
	rj->rf.created_at = time_now();
	r->ctx = rj;
	request_write(r, run_refer, rj, then);
	return 0;
}

void api_referral_create(struct request *r)
{
	referral_check(r);
	if (r->in.nerrors) {
		respond_input_errors(r);
		return;
	}
	referral_start(r, request_id(r, 0), referred);
}

void api_referrals_of_appeal(struct request *r)
{
	struct appeal a;
	if (appeal_load_for(r, request_id(r, 0), (struct perm)PERM(READ, APPEAL), &a, NULL) < 0)
		return;
	struct referral *items;
	size_t n;
	int rc = db_referral_list_appeal(request_db(r), a.id, &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_referral_json(&j, &items[i]);
	api_items_end(&j, NULL);
	api_respond_audited(r, "read", "appeal", a.id, "referrals");
}

/* Referrals addressed to the caller's organisation. */
void api_referrals_inbox(struct request *r)
{
	struct referral *items = NULL;
	size_t n = 0;
	if (r->user.organisation_id) {
		int rc = db_referral_list_to_org(request_db(r), r->user.organisation_id, NULL, &r->arena, &items, &n);
		if (rc) {
			respond_db_error(r, rc);
			return;
		}
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_referral_json(&j, &items[i]);
	api_items_end(&j, NULL);
	/* Reasons name children: the inbox is audited as the other lists are. */
	api_respond_audited(r, "list", "referral", 0, arena_printf(&r->arena, "%zu rows", n));
}

const struct field referral_answer_fields[] = {
	{"status", FT_ENUM, F_REQUIRED, 0, 0, referral_answers},
	{"answer", FT_TEXT, 0, 1, 5000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/*
 * Answer or revoke a referral. The receiving organisation answers
 * (accepted, rejected, done); the sending side revokes.
 */
int referral_answer_start(struct request *r, int64_t referral_id, request_write_then then)
{
	struct referral rf;
	int rc = db_referral_get(request_db(r), referral_id, &r->arena, &rf);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such referral", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	const char *status = input_str(&r->in, "status");
	int revoke = !strcmp(status, "revoked");
	if (revoke) {
		struct appeal a;
		if (appeal_load_for(r, rf.appeal_id, (struct perm)PERM(UPDATE, REFERRAL), &a, NULL) < 0)
			return -1;
	} else if (!r->user.organisation_id || r->user.organisation_id != rf.to_org ||
		   authz_scope(r->user.role, (struct perm)PERM(ANSWER, REFERRAL)) == SCOPE_NONE) {
		respond_error(r, 404, "not_found", "no such referral", NULL);
		return -1;
	}
	if (!strcmp(status, "rejected") && !input_has(&r->in, "answer")) {
		respond_error(r, 422, "answer_required", "answer: say why the referral is rejected", "answer");
		return -1;
	}
	/* A referral is closed as done with what was done: the sender and the appeal's history are told. */
	if (!strcmp(status, "done") && !strcmp(rf.status, "accepted") && !input_has(&r->in, "answer")) {
		respond_error(r, 422, "answer_required", "answer: say what was done", "answer");
		return -1;
	}
	struct refer_job *rj = arena_zalloc(&r->arena, sizeof(*rj));
	request_actor(r, &rj->who);
	rj->answer_mode = 1;
	rj->rf.id = rf.id;
	rj->status = status;
	rj->answer = input_str(&r->in, "answer");
	r->ctx = rj;
	request_write(r, run_refer, rj, then);
	return 0;
}

void api_referral_answer(struct request *r)
{
	referral_answer_start(r, request_id(r, 0), referred);
}

/* ---------- break the glass ---------- */

static const char *const grant_resources[] = {"appeal", "child", NULL};

const struct field access_grant_fields[] = {
	{"resource", FT_ENUM, F_REQUIRED, 0, 0, grant_resources},
	{"resource_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"reason", FT_TEXT, F_REQUIRED, 10, 1000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

struct grant_job {
	struct actor who;
	const char *resource;
	int64_t resource_id;
	const char *reason;
	int64_t expires_at;
	int64_t id;
};

static int run_grant(struct db *db, struct write_job *job)
{
	struct grant_job *g = job->arg;
	int64_t now = time_now();
	int rc = db_grant_insert(db, g->who.user_id, g->resource, g->resource_id, g->reason, now, g->expires_at, &g->id);
	if (rc)
		return rc;
	struct audit_event ev = {g->who.user_id, g->who.role,	  "break_glass", g->resource,
				 g->resource_id, g->who.client, "ok",	       g->reason};
	return audit_append(db, &ev, now);
}

static void granted(struct request *r, int status)
{
	struct grant_job *g = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_int(&j, "id", g->id);
	json_kv_str(&j, "resource", g->resource);
	json_kv_int(&j, "resource_id", g->resource_id);
	api_kv_time(&j, "expires_at", g->expires_at);
	json_object_end(&j);
	respond_json(r, 201);
}

/* Whether the record exists (0) and the caller sees it already in its own right; -1 after answering. */
static int grant_target(struct request *r, const char *resource, int64_t id, int *visible)
{
	int by_grant = 0, rc;
	*visible = 0;
	if (!strcmp(resource, "child")) {
		struct child c;
		rc = db_child_get(request_db(r), id, &r->arena, &c);
		if (rc == DB_NOTFOUND) {
			respond_error(r, 404, "not_found", "no such child", NULL);
			return -1;
		}
		struct scope_filter f = request_scope(r, (struct perm)PERM(READ, CHILD));
		if (!rc)
			rc = child_visible(request_db(r), &f, &c, time_now(), visible, &by_grant);
	} else {
		struct appeal a;
		rc = db_appeal_get(request_db(r), id, &r->arena, &a);
		if (rc == DB_NOTFOUND) {
			respond_error(r, 404, "not_found", "no such appeal", NULL);
			return -1;
		}
		struct appeal_viewer v;
		appeal_viewer_of(r, (struct perm)PERM(READ, APPEAL), &v);
		if (!rc)
			rc = appeal_visible(request_db(r), &v, &a, time_now(), visible, &by_grant);
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	if (by_grant)
		*visible = 0;
	return 0;
}

int access_grant_start(struct request *r, const char *resource, int64_t id, const char *reason,
		       request_write_then then)
{
	int visible;
	if (grant_target(r, resource, id, &visible) < 0)
		return -1;
	if (visible) {
		respond_error(r, 409, "within_scope", "this record is within your scope already: no need to break the glass",
			      NULL);
		return -1;
	}
	struct grant_job *g = arena_zalloc(&r->arena, sizeof(*g));
	request_actor(r, &g->who);
	g->resource = resource;
	g->resource_id = id;
	g->reason = reason;
	g->expires_at = time_now() + 3600;
	r->ctx = g;
	request_write(r, run_grant, g, then);
	return 0;
}

void api_access_grant(struct request *r)
{
	access_grant_start(r, input_str(&r->in, "resource"), input_int(&r->in, "resource_id", 0),
			   input_str(&r->in, "reason"), granted);
}

/* ---------- calendar ---------- */

const struct field calendar_query[] = {
	{"year", FT_INT, 0, 1990, 2100, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static void calendar_json(struct request *r, int year)
{
	const struct calendar *cal = deadlines_calendar();
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_int(&j, "year", year);
	json_key(&j, "days_off");
	json_array_begin(&j);
	for (int64_t day = days_from_civil(year, 1, 1); day < days_from_civil(year + 1, 1, 1); day++) {
		const char *why = calendar_day_name(cal, day);
		if (!why || !strcmp(why, "weekend"))
			continue;
		char s[11];
		date_format(day, s);
		json_object_begin(&j);
		json_kv_str(&j, "date", s);
		json_kv_str(&j, "name", why);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "working_weekend_days");
	json_array_begin(&j);
	for (int64_t day = days_from_civil(year, 1, 1); day < days_from_civil(year + 1, 1, 1); day++) {
		if (weekday_from_days(day) >= 5 && calendar_is_working(cal, day)) {
			char s[11];
			date_format(day, s);
			json_str(&j, s);
		}
	}
	json_array_end(&j);
	json_object_end(&j);
	respond_json(r, 200);
}

static int this_year(void)
{
	int y, m, d;
	civil_from_days(today_days(), &y, &m, &d);
	return y;
}

void api_calendar(struct request *r)
{
	calendar_json(r, (int)input_int(&r->in, "year", this_year()));
}

const struct field calendar_import_fields[] = {
	{"text", FT_TEXT, F_REQUIRED, 1, 200000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

struct import_job {
	struct actor who;
	const char *text;
	struct buf err;
};

static int run_import(struct db *db, struct write_job *job)
{
	struct import_job *ij = job->arg;
	int rc = calendar_import(db, &ij->who, ij->text, strlen(ij->text), &ij->err);
	if (!rc)
		rc = deadlines_load(db, &ij->err); /* this process uses it at once */
	return rc;
}

static void imported(struct request *r, int status)
{
	struct import_job *ij = r->ctx;
	buf_release(&ij->err);
	if (status) {
		respond_db_error(r, status);
		return;
	}
	calendar_json(r, this_year() + 1);
}

/* Parse before writing, so a bad file is refused with its line number and changes nothing. */
int calendar_import_start(struct request *r, const char *text, request_write_then then, struct buf *why)
{
	struct calendar_rule *rules;
	size_t n;
	/* The calendar is the region's: a coordinator limited to a district reads it, not replaces it. */
	if (request_scope(r, (struct perm)PERM(UPDATE, CALENDAR)).scope != SCOPE_REGION) {
		respond_error(r, 403, "outside_scope", "the calendar is the whole region's: it is not yours to replace", NULL);
		return -2;
	}
	if (calendar_parse(text, strlen(text), &rules, &n, why) < 0)
		return -1;
	int days_off = calendar_rules_days_off(rules, n);
	free(rules);
	if (!days_off) {
		buf_adds(why, CALENDAR_EMPTY_MESSAGE);
		return -1;
	}
	struct import_job *ij = arena_zalloc(&r->arena, sizeof(*ij));
	buf_init(&ij->err);
	request_actor(r, &ij->who);
	ij->text = text;
	r->ctx = ij;
	request_write(r, run_import, ij, then);
	return 0;
}

void api_calendar_import(struct request *r)
{
	struct buf why = BUF_INIT;
	if (calendar_import_start(r, input_str(&r->in, "text"), imported, &why) == -1) {
		respond_error(r, 422, "invalid_calendar", arena_printf(&r->arena, "text: %s", why.ptr), "text");
	}
	buf_release(&why);
}
