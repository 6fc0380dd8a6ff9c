/*
 * /api/v1/appeals: register, read, list and search appeals, and every
 * change to one (assignment, state, extension, forwarding, notices,
 * flags), with consultations and referrals.
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
#include "text/stem.h"

/* ---------- shared: loading an appeal the caller may act on ---------- */

void appeal_viewer_of(struct request *r, struct perm perm, struct appeal_viewer *v)
{
	struct scope_filter f = request_scope(r, perm);
	v->user_id = r->user.user_id;
	v->role = r->user.role;
	v->organisation_id = r->user.organisation_id;
	v->district_id = r->user.district_id;
	v->scope = (enum scope)f.scope;
}

int appeal_load_for(struct request *r, int64_t id, struct perm perm, struct appeal *a, int *by_grant)
{
	struct appeal_viewer v;
	int visible = 0, grant = 0;
	int rc = db_appeal_get(request_db(r), id, &r->arena, a);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such appeal", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	appeal_viewer_of(r, perm, &v);
	rc = appeal_visible(request_db(r), &v, a, time_now(), &visible, &grant);
	/* Break-the-glass grants open a record for reading only. */
	if (!rc && grant && perm.action != ACT_READ)
		visible = 0;
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	if (!visible) {
		/* Those who may break the glass learn the record exists; nobody else does. */
		struct perm glass = PERM(CREATE, ACCESS_GRANT);
		if (perm.action == ACT_READ && authz_scope(r->user.role, glass) != SCOPE_NONE)
			respond_error(r, 403, "outside_scope",
				      "this appeal is outside your scope: to open it, give a reason (break the glass)", NULL);
		else
			respond_error(r, 404, "not_found", "no such appeal", NULL);
		return -1;
	}
	if (by_grant)
		*by_grant = grant;
	return 0;
}

/* The summary in the clear (sealed ones opened), or NULL if it cannot be opened. */
const char *appeal_summary(struct request *r, const struct appeal *a)
{
	if (!a->sensitive)
		return a->summary;
	struct buf plain = BUF_INIT;
	const char *out = NULL;
	if (unseal(a->summary_sealed, a->summary_sealed_len, "appeal_summary", &plain) == 0)
		out = arena_strndup(&r->arena, plain.ptr, plain.len);
	buf_release(&plain);
	return out;
}

void api_items_begin(struct json *j, struct buf *body)
{
	json_init(j, body);
	json_object_begin(j);
	json_key(j, "items");
	json_array_begin(j);
}

void api_items_end(struct json *j, const char *next)
{
	json_array_end(j);
	if (next)
		json_kv_str(j, "next", next);
	else
		json_kv_null(j, "next");
	json_object_end(j);
}

void api_kv_time(struct json *j, const char *key, int64_t t)
{
	char s[40];
	if (!t) {
		json_kv_null(j, key);
		return;
	}
	int64_t local = t + input_local_offset;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	char d[11];
	date_format(days, d);
	int off = input_local_offset;
	snprintf(s, sizeof(s), "%sT%02d:%02d:%02d%c%02d:%02d", d, (int)(secs / 3600), (int)(secs / 60 % 60),
		 (int)(secs % 60), off < 0 ? '-' : '+', abs(off) / 3600, abs(off) / 60 % 60);
	json_kv_str(j, key, s);
}

void api_appeal_json(struct request *r, struct json *j, const struct appeal *a, int with_summary)
{
	char today[11];
	today_text(today);
	json_object_begin(j);
	json_kv_int(j, "id", a->id);
	json_kv_str(j, "number", a->number);
	json_kv_str(j, "channel", a->channel);
	json_kv_str(j, "kind", a->kind);
	json_key(j, "applicant");
	json_object_begin(j);
	json_kv_str(j, "type", a->applicant_type);
	json_kv_str(j, "name", a->applicant_name);
	json_kv_str(j, "phone", a->applicant_phone);
	json_kv_str(j, "lang", a->applicant_lang);
	json_object_end(j);
	json_kv_id(j, "child_id", a->child_id);
	json_kv_str(j, "category", a->category);
	json_kv_str(j, "risk", a->risk);
	json_kv_bool(j, "critical", appeal_is_critical(a->risk, a->category));
	json_kv_id(j, "district_id", a->district_id);
	if (with_summary)
		json_kv_str(j, "summary", appeal_summary(r, a));
	json_kv_bool(j, "sensitive", a->sensitive);
	api_kv_time(j, "received_at", a->received_at);
	json_kv_str(j, "registered_on", a->registered_on);
	json_kv_str(j, "due_on", a->due_on);
	json_kv_str(j, "status", a->status);
	json_kv_id(j, "assignee_id", a->assignee_id);
	json_kv_bool(j, "overdue", appeal_is_open(a->status) && strcmp(a->due_on, today) < 0);
	json_kv_str(j, "extended_until", a->extended_until);
	json_kv_str(j, "extension_reason", a->extension_reason);
	json_kv_str(j, "notify_applicant_by", a->notify_by);
	json_kv_str(j, "forward_due_on", a->forward_due_on);
	json_kv_id(j, "forwarded_to", a->forwarded_to);
	json_kv_str(j, "forwarded_on", a->forwarded_on);
	json_kv_str(j, "applicant_notified_on", a->applicant_notified_on);
	json_kv_str(j, "status_reason", a->status_reason);
	json_kv_bool(j, "flagged", a->flagged);
	json_kv_id(j, "created_by", a->created_by);
	api_kv_time(j, "created_at", a->created_at);
	json_object_end(j);
}

/* Answer with the appeal as it is now (after a change). */
static void send_appeal(struct request *r, int64_t id, int status)
{
	struct appeal a;
	int rc = db_appeal_get(request_db(r), id, &r->arena, &a);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_appeal_json(r, &j, &a, 1);
	respond_json(r, status);
}

/* 409 with the states the appeal could move to instead. */
static void respond_refused(struct request *r, const struct appeal_change *c)
{
	buf_reset(&r->body);
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_key(&j, "error");
	json_object_begin(&j);
	json_kv_str(&j, "code", "invalid_transition");
	json_kv_str(&j, "message", arena_printf(&r->arena, "not allowed while the appeal is %s", c->from ? c->from : "?"));
	json_kv_str(&j, "status", c->from);
	json_key(&j, "allowed");
	json_array_begin(&j);
	for (int i = 0; i < c->nnext; i++)
		json_str(&j, c->next[i]);
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	respond_json(r, 409);
}

/* ---------- register ---------- */

const struct field appeal_create_fields[] = {
	{"channel", FT_ENUM, F_REQUIRED, 0, 0, appeal_channels},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, appeal_kinds},
	{"applicant.type", FT_ENUM, F_REQUIRED, 0, 0, applicant_types},
	{"applicant.name", FT_LINE, 0, 2, 200, NULL},
	{"applicant.phone", FT_LINE, 0, 5, 30, NULL},
	{"applicant.lang", FT_ENUM, 0, 0, 0, lang_values},
	{"child_id", FT_ID, 0, 0, 0, NULL},
	{"category", FT_ENUM, F_REQUIRED, 0, 0, appeal_categories},
	{"risk", FT_ENUM, F_REQUIRED, 0, 0, appeal_risks},
	{"district_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"summary", FT_TEXT, F_REQUIRED, 1, 5000, NULL},
	{"sensitive", FT_BOOL, 0, 0, 0, NULL},
	{"received_at", FT_DATETIME, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* +7 701 234 56 78, 8 (7222) 12-34-56, 111: digits with the usual decorations. */
int phone_valid(const char *s)
{
	int digits = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr("+ -()", *p) || (*p == '+' && p != s))
			return 0;
	}
	return digits >= 3 && digits <= 15;
}

struct appeal_draft {
	struct actor who;
	struct appeal a;
	struct buf sealed;
	int64_t *terms;
	size_t nterms;
	char number[24];
	char registered_on[11], due_on[11], forward_due_on[11];
};

static int run_register(struct db *db, struct write_job *job)
{
	struct appeal_draft *d = job->arg;
	return appeal_register(db, &d->who, &d->a, d->terms, d->nterms, d->number);
}

static void registered(struct request *r, int status)
{
	struct appeal_draft *d = r->ctx;
	buf_release(&d->sealed);
	if (status) {
		respond_db_error(r, status);
		return;
	}
	send_appeal(r, d->a.id, 201);
}

/*
 * Check what a new appeal says against the rules and the database. The
 * errors go to r->in (field, code, English message); 0 when all is well,
 * -1 when it answered already (storage trouble).
 */
int appeal_draft_check(struct request *r, const char **applicant_type, const char **applicant_name, int64_t *received)
{
	const char *type = input_str(&r->in, "applicant.type");
	const char *name = input_str(&r->in, "applicant.name");
	const char *phone = input_str(&r->in, "applicant.phone");
	const char *category = input_str(&r->in, "category");
	const char *risk = input_str(&r->in, "risk");
	int64_t now = time_now();
	*applicant_type = type;
	*applicant_name = name;
	if (type && !strcmp(type, "anonymous")) {
		if (category && risk && !appeal_anonymous_allowed(category, risk))
			input_error(&r->in, &r->arena, "applicant.type", "anonymous_not_allowed",
				    "anonymous appeals are accepted only for reports of violence or risk");
		if (name)
			input_error(&r->in, &r->arena, "applicant.name", "anonymous_with_name",
				    "an anonymous applicant has no name");
	} else if (type && !name) {
		input_error(&r->in, &r->arena, "applicant.name", "required", "is required");
	}
	if (phone && !phone_valid(phone))
		input_error(&r->in, &r->arena, "applicant.phone", "invalid_phone", "is not a phone number");
	*received = input_int(&r->in, "received_at", now);
	if (*received > now + 86400)
		input_error(&r->in, &r->arena, "received_at", "in_future", "is more than a day in the future");
	else if (*received < days_from_civil(2000, 1, 1) * 86400)
		input_error(&r->in, &r->arena, "received_at", "too_old", "is before 2000");
	/* The child the appeal concerns: one the caller may see, and not merged away. */
	int64_t child_id = input_int(&r->in, "child_id", 0);
	if (child_id) {
		struct child c;
		struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, CHILD));
		int visible = 0, grant = 0;
		int crc = db_child_get(request_db(r), child_id, &r->arena, &c);
		if (!crc)
			crc = child_visible(request_db(r), &sf, &c, now, &visible, &grant);
		if (crc && crc != DB_NOTFOUND) {
			respond_db_error(r, crc);
			return -1;
		}
		if (crc == DB_NOTFOUND || !visible || grant) /* a break-the-glass grant is for reading only */
			input_error(&r->in, &r->arena, "child_id", "not_found", "no such child");
		else if (c.merged_into)
			input_error(&r->in, &r->arena, "child_id", "merged",
				    arena_printf(&r->arena, "this record was merged into child %lld", (long long)c.merged_into));
	}
	/* Someone limited to a district registers appeals of that district. */
	struct scope_filter own = request_scope(r, (struct perm)PERM(CREATE, APPEAL));
	if (own.scope == SCOPE_DISTRICT && input_int(&r->in, "district_id", 0) != own.district_id)
		input_error(&r->in, &r->arena, "district_id", "outside_scope", "is outside your district");
	struct district dist;
	int rc = db_district_get(request_db(r), input_int(&r->in, "district_id", 0), &r->arena, &dist);
	if (rc == DB_NOTFOUND)
		input_error(&r->in, &r->arena, "district_id", "not_found", "no such district");
	else if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	return 0;
}

void api_appeal_create(struct request *r)
{
	const char *type, *name;
	int64_t received;
	if (appeal_draft_check(r, &type, &name, &received) < 0)
		return;
	if (r->in.nerrors) {
		respond_input_errors(r);
		return;
	}
	struct appeal_draft *d = arena_zalloc(&r->arena, sizeof(*d));
	buf_init(&d->sealed);
	request_actor(r, &d->who);
	struct appeal *a = &d->a;
	a->channel = input_str(&r->in, "channel");
	a->kind = input_str(&r->in, "kind");
	a->applicant_type = type;
	a->applicant_name = name;
	a->applicant_phone = input_str(&r->in, "applicant.phone");
	a->applicant_lang = input_str(&r->in, "applicant.lang") ? input_str(&r->in, "applicant.lang")
								  : r->lang == LANG_RU ? "ru" : "kk";
	a->child_id = input_int(&r->in, "child_id", 0);
	a->category = input_str(&r->in, "category");
	a->risk = input_str(&r->in, "risk");
	a->district_id = input_int(&r->in, "district_id", 0);
	a->sensitive = (int)input_int(&r->in, "sensitive", 0);
	a->received_at = received;
	a->created_by = r->user.user_id;
	a->created_org = r->user.organisation_id;
	a->created_at = time_now();
	const char *summary = input_str(&r->in, "summary");
	if (a->sensitive) {
		seal(summary, strlen(summary), "appeal_summary", &d->sealed);
		a->summary_sealed = d->sealed.ptr;
		a->summary_sealed_len = d->sealed.len;
	} else {
		a->summary = summary;
	}
	appeal_dates(deadlines_calendar(), received, input_local_offset, d->registered_on, d->due_on, d->forward_due_on);
	a->registered_on = d->registered_on;
	a->due_on = d->due_on;
	a->forward_due_on = d->forward_due_on;
	appeal_terms(&r->arena, arena_printf(&r->arena, "%s %s", summary, name ? name : ""), &d->terms, &d->nterms);
	r->ctx = d;
	request_write(r, run_register, d, registered);
}

/* ---------- answers that wait for their audit row ---------- */

struct audit_then {
	struct actor who;
	const char *action, *resource, *detail;
	int64_t *ids;
	size_t n;
	api_then_fn then;
	void *arg;
};

static int run_audit_then(struct db *db, struct write_job *job)
{
	struct audit_then *p = job->arg;
	int rc = DB_OK;
	for (size_t i = 0; !rc && i < p->n; i++)
		rc = audit_record(db, &p->who, p->action, p->resource, p->ids[i], p->detail);
	return rc;
}

static void audit_then_done(struct request *r, int status)
{
	struct audit_then *p = r->ctx;
	if (status) {
		buf_reset(&r->body);
		respond_db_error(r, status);
		return;
	}
	p->then(r, p->arg);
}

void api_audit_then(struct request *r, const char *action, const char *resource, const int64_t *ids, size_t n,
		    const char *detail, api_then_fn then, void *arg)
{
	if (!n) {
		then(r, arg);
		return;
	}
	struct audit_then *p = arena_zalloc(&r->arena, sizeof(*p));
	request_actor(r, &p->who);
	p->action = action;
	p->resource = resource;
	p->detail = detail;
	p->ids = arena_alloc(&r->arena, n * sizeof(*ids));
	memcpy(p->ids, ids, n * sizeof(*ids));
	p->n = n;
	p->then = then;
	p->arg = arg;
	r->ctx = p;
	request_write(r, run_audit_then, p, audit_then_done);
}

static void answer_json(struct request *r, void *arg)
{
	respond_json(r, *(const int *)arg);
}

void api_respond_audited_rows(struct request *r, int status, const char *action, const char *resource,
			      const int64_t *ids, size_t n, const char *detail)
{
	int *st = arena_alloc(&r->arena, sizeof(*st));
	*st = status;
	api_audit_then(r, action, resource, ids, n, detail, answer_json, st);
}

void api_respond_audited(struct request *r, const char *action, const char *resource, int64_t id, const char *detail)
{
	api_respond_audited_rows(r, 200, action, resource, &id, 1, detail);
}

/* ---------- read ---------- */

struct read_audit {
	struct actor who;
	int64_t id;
	const char *detail;
	struct appeal a;
};

static int run_read_audit(struct db *db, struct write_job *job)
{
	struct read_audit *ra = job->arg;
	return appeal_audit_read(db, &ra->who, ra->id, ra->detail);
}

static void read_audited(struct request *r, int status)
{
	struct read_audit *ra = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_appeal_json(r, &j, &ra->a, 1);
	respond_json(r, 200);
}

void api_appeal_get(struct request *r)
{
	struct read_audit *ra = arena_zalloc(&r->arena, sizeof(*ra));
	int grant = 0;
	if (appeal_load_for(r, request_id(r, 0), (struct perm)PERM(READ, APPEAL), &ra->a, &grant) < 0)
		return;
	request_actor(r, &ra->who);
	ra->id = ra->a.id;
	ra->detail = grant ? "break the glass" : NULL;
	r->ctx = ra;
	/* The reader is on record before anything is shown. */
	request_write(r, run_read_audit, ra, read_audited);
}

/* ---------- list and search ---------- */

const struct field appeal_list_fields[] = {
	{"status", FT_LINE, 0, 1, 20, NULL}, /* checked by hand: a status or "open" */
	{"category", FT_ENUM, 0, 0, 0, appeal_categories},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"assignee_id", FT_ID, 0, 0, 0, NULL},
	{"child_id", FT_ID, 0, 0, 0, NULL},
	{"overdue", FT_BOOL, 0, 0, 0, NULL},
	{"due_soon", FT_BOOL, 0, 0, 0, NULL},
	{"q", FT_LINE, 0, 1, 200, NULL},
	{"limit", FT_INT, 0, 1, 500, NULL},
	{"after", FT_LINE, 0, 1, 64, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const char *const appeal_status_filters[] = {"open",	 "registered", "assigned", "in_progress", "referred",
					     "resolved", "closed",     "rejected", NULL};

/* "prio.YYYY-MM-DD.id": where the next page starts. */
static int parse_cursor(const char *s, struct appeal_filter *f)
{
	int prio, y, m, d;
	long long id;
	char due[11], again[64];
	if (!s)
		return 0;
	/* Exactly as a page writes it: read, written again, the same text (no sign, space or leading zero). */
	if (strlen(s) > 40 || sscanf(s, "%4d.%10[0-9-].%18lld", &prio, due, &id) != 3 || prio < 0 || id < 1 ||
	    strlen(due) != 10 || date_parse(due, 10, &y, &m, &d) < 0)
		return -1;
	snprintf(again, sizeof(again), "%d.%s.%lld", prio, due, id);
	if (strcmp(again, s))
		return -1;
	f->has_cursor = 1;
	f->cursor_prio = prio;
	memcpy(f->cursor_due, due, 11);
	f->cursor_id = id;
	return 0;
}

struct term_words {
	struct appeal_filter *f;
};

/*
 * Fill f from the request's filters. Returns 0, or -1 after answering
 * (a bad cursor or status). *number is set when q looks like a number.
 */
int appeal_filter_from(struct request *r, struct appeal_filter *f, const char **number)
{
	memset(f, 0, sizeof(*f));
	*number = NULL;
	const char *status = input_str(&r->in, "status");
	if (status) {
		int ok = 0;
		for (const char *const *s = appeal_status_filters; *s; s++)
			ok |= !strcmp(*s, status);
		if (!ok) {
			respond_error(r, 422, "invalid_choice", "status: not a status of an appeal", "status");
			return -1;
		}
	}
	f->status = status;
	f->category = input_str(&r->in, "category");
	f->district_id = input_int(&r->in, "district_id", 0);
	f->assignee_id = input_int(&r->in, "assignee_id", 0);
	f->child_id = input_int(&r->in, "child_id", 0);
	f->limit = (int)input_int(&r->in, "limit", 50);
	char *today = arena_alloc(&r->arena, 11);
	today_text(today);
	if (input_int(&r->in, "overdue", 0)) {
		char *yesterday = arena_alloc(&r->arena, 11);
		date_format(today_days() - 1, yesterday);
		f->status = "open";
		f->due_to = yesterday;
	} else if (input_int(&r->in, "due_soon", 0)) {
		char *soon = arena_alloc(&r->arena, 11);
		date_format(calendar_add_working_days(deadlines_calendar(), today_days(), 3), soon);
		f->status = "open";
		f->due_from = today;
		f->due_to = soon;
	}
	if (parse_cursor(input_str(&r->in, "after"), f) < 0) {
		respond_error(r, 422, "invalid", "after: not a cursor from a previous page", "after");
		return -1;
	}
	const char *q = input_str(&r->in, "q");
	if (q) {
		int y;
		long long n;
		char tail;
		if (sscanf(q, "A-%4d-%lld%c", &y, &n, &tail) == 2) {
			*number = q;
			return 0;
		}
		/* Up to three words, each matched by any of its stems; words parted as the summaries' are ("ата-анасы": two). */
		size_t pos = 0, start, len, qn = strlen(q);
		while (f->nterm_words < 3 && text_next_word(q, qn, &pos, &start, &len)) {
			const char *p = q + start;
			char terms[2][65];
			int nt = text_word_terms(p, len, terms);
			if (nt > 0) {
				f->terms[f->nterm_words][0] = search_term_hash(terms[0], strlen(terms[0]));
				f->terms[f->nterm_words][1] =
					nt > 1 ? search_term_hash(terms[1], strlen(terms[1])) : f->terms[f->nterm_words][0];
				f->nterm_words++;
			}
		}
		if (!f->nterm_words) {
			/* Nothing searchable (one-letter words): nothing matches. */
			f->nterm_words = 1;
			f->terms[0][0] = f->terms[0][1] = -1;
		}
	}
	return 0;
}

struct list_audit {
	struct actor who;
	struct appeal *items;
	size_t n;
	int limit;
};

static int run_list_audit(struct db *db, struct write_job *job)
{
	struct list_audit *la = job->arg;
	char detail[32];
	snprintf(detail, sizeof(detail), "%zu rows", la->n);
	return audit_record(db, &la->who, "list", "appeal", 0, detail);
}

static void list_audited(struct request *r, int status)
{
	struct list_audit *la = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < la->n; i++)
		api_appeal_json(r, &j, &la->items[i], 0);
	const struct appeal *last = la->n == (size_t)la->limit && la->n ? &la->items[la->n - 1] : NULL;
	api_items_end(&j, last ? arena_printf(&r->arena, "%d.%s.%lld", last->prio, last->due_on, (long long)last->id)
			       : NULL);
	respond_json(r, 200);
}

void api_appeals_list(struct request *r)
{
	struct appeal_filter f;
	const char *number;
	if (appeal_filter_from(r, &f, &number) < 0)
		return;
	struct appeal_viewer v;
	appeal_viewer_of(r, (struct perm)PERM(READ, APPEAL), &v);
	struct appeal_scope scope = appeal_scope_for(&v);
	struct list_audit *la = arena_zalloc(&r->arena, sizeof(*la));
	la->limit = f.limit;
	int rc;
	if (number) {
		/* A registration number: that appeal, if the caller may see it. */
		struct appeal *a = arena_zalloc(&r->arena, sizeof(*a));
		int visible = 0, grant = 0;
		rc = db_appeal_get_by_number(request_db(r), number, &r->arena, a);
		if (rc == DB_OK)
			rc = appeal_visible(request_db(r), &v, a, time_now(), &visible, &grant);
		if (rc == DB_NOTFOUND)
			rc = DB_OK;
		if (visible && !grant) {
			la->items = a;
			la->n = 1;
		}
	} else {
		rc = db_appeal_list(request_db(r), &scope, &f, &r->arena, &la->items, &la->n);
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &la->who);
	r->ctx = la;
	request_write(r, run_list_audit, la, list_audited);
}

/* ---------- changes ---------- */

int appeal_job_run(struct db *db, struct write_job *job)
{
	struct appeal_job *c = job->arg;
	return c->apply(db, c);
}

static void changed(struct request *r, int status)
{
	struct appeal_job *c = r->ctx;
	if (status == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such appeal", NULL);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (c->result.refused) {
		respond_refused(r, &c->result);
		return;
	}
	send_appeal(r, c->id, 200);
}

struct appeal_job *appeal_job_for(struct request *r, struct perm perm, struct appeal *a)
{
	if (appeal_load_for(r, request_id(r, 0), perm, a, NULL) < 0)
		return NULL;
	struct appeal_job *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->id = a->id;
	r->ctx = c;
	return c;
}

const struct field appeal_assign_fields[] = {
	{"psychologist_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

int appeal_apply_assign(struct db *db, struct appeal_job *c)
{
	return appeal_assign(db, &c->who, c->id, c->other, &c->result);
}

void api_appeal_assign(struct request *r)
{
	struct appeal a;
	struct appeal_job *c = appeal_job_for(r, (struct perm)PERM(ASSIGN, APPEAL), &a);
	if (!c)
		return;
	struct user u;
	int64_t pid = input_int(&r->in, "psychologist_id", 0);
	int rc = db_user_get(request_db(r), pid, &r->arena, &u);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return;
	}
	if (rc || strcmp(u.role, "psychologist") || !u.active) {
		respond_error(r, 422, "not_a_psychologist", "psychologist_id: not an active psychologist",
			      "psychologist_id");
		return;
	}
	c->other = pid;
	c->apply = appeal_apply_assign;
	request_write(r, appeal_job_run, c, changed);
}

const struct field appeal_transition_fields[] = {
	{"to", FT_ENUM, F_REQUIRED, 0, 0, appeal_statuses},
	{"reason", FT_TEXT, 0, 1, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

int appeal_apply_transition(struct db *db, struct appeal_job *c)
{
	return appeal_transition(db, &c->who, c->id, c->to, c->text, c->may_reopen, &c->result);
}

void api_appeal_transition(struct request *r)
{
	struct appeal a;
	struct appeal_job *c = appeal_job_for(r, (struct perm)PERM(UPDATE, APPEAL), &a);
	if (!c)
		return;
	c->to = input_str(&r->in, "to");
	c->text = input_str(&r->in, "reason");
	c->may_reopen = authz_scope(r->user.role, (struct perm)PERM(REOPEN, APPEAL)) != SCOPE_NONE;
	int reopening = appeal_is_open(c->to) && !appeal_is_open(a.status);
	if ((!strcmp(c->to, "rejected") || reopening) && !c->text) {
		respond_error(r, 422, "reason_required", "reason: a rejection or a reopening needs a reason", "reason");
		return;
	}
	if (!strcmp(c->to, "assigned")) {
		respond_error(r, 422, "use_assign", "to: assign a psychologist with /assign instead", "to");
		return;
	}
	c->apply = appeal_apply_transition;
	request_write(r, appeal_job_run, c, changed);
}

const struct field appeal_extend_fields[] = {
	{"until", FT_DATE, F_REQUIRED, 0, 0, NULL},
	{"reason", FT_TEXT, F_REQUIRED, 5, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

int appeal_apply_extend(struct db *db, struct appeal_job *c)
{
	return appeal_extend(db, &c->who, c->id, c->date, c->text, c->date2, &c->result);
}

/* The rules of an extension: later than now due, at most two months from registration, a working day. */
const char *appeal_extension_problem(const struct appeal *a, const char *until)
{
	int64_t u, reg;
	date_to_days(until, &u);
	date_to_days(a->registered_on, &reg);
	if (strcmp(until, a->due_on) <= 0)
		return "not_later";
	if (u > date_add_months(reg, APPEAL_EXTEND_MONTHS))
		return "beyond_two_months";
	if (!calendar_is_working(deadlines_calendar(), u))
		return "not_a_working_day";
	return NULL;
}

void api_appeal_extend(struct request *r)
{
	struct appeal a;
	struct appeal_job *c = appeal_job_for(r, (struct perm)PERM(EXTEND, APPEAL), &a);
	if (!c)
		return;
	c->date = input_str(&r->in, "until");
	const char *problem = appeal_extension_problem(&a, c->date);
	if (problem) {
		int64_t reg;
		date_to_days(a.registered_on, &reg);
		char cap[11];
		date_format(date_add_months(reg, APPEAL_EXTEND_MONTHS), cap);
		respond_error(r, 422, problem,
			      !strcmp(problem, "not_later")
				      ? arena_printf(&r->arena, "until: must be after the current due date %s", a.due_on)
			      : !strcmp(problem, "beyond_two_months")
				      ? arena_printf(&r->arena, "until: at most two months from registration, %s", cap)
				      : "until: choose a working day",
			      "until");
		return;
	}
	char *notify = arena_alloc(&r->arena, 11);
	date_format(calendar_add_working_days(deadlines_calendar(), today_days(), APPEAL_NOTIFY_DAYS), notify);
	c->date2 = notify;
	c->text = input_str(&r->in, "reason");
	c->apply = appeal_apply_extend;
	request_write(r, appeal_job_run, c, changed);
}

const struct field appeal_forward_fields[] = {
	{"organisation_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"note", FT_TEXT, 0, 1, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

int appeal_apply_forward(struct db *db, struct appeal_job *c)
{
	return appeal_forward(db, &c->who, c->id, c->other, c->date, c->text, &c->result);
}

void api_appeal_forward(struct request *r)
{
	struct appeal a;
	struct appeal_job *c = appeal_job_for(r, (struct perm)PERM(FORWARD, APPEAL), &a);
	if (!c)
		return;
	struct organisation o;
	int rc = db_org_get(request_db(r), input_int(&r->in, "organisation_id", 0), &r->arena, &o);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 422, "not_found", "organisation_id: no such organisation", "organisation_id");
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	char *today = arena_alloc(&r->arena, 11);
	today_text(today);
	c->other = o.id;
	c->date = today;
	c->text = input_str(&r->in, "note");
	c->apply = appeal_apply_forward;
	request_write(r, appeal_job_run, c, changed);
}

const struct field appeal_notified_fields[] = {
	{"on", FT_DATE, F_REQUIRED, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

int appeal_apply_notified(struct db *db, struct appeal_job *c)
{
	return appeal_notified(db, &c->who, c->id, c->date);
}

void api_appeal_notified(struct request *r)
{
	struct appeal a;
	struct appeal_job *c = appeal_job_for(r, (struct perm)PERM(UPDATE, APPEAL), &a);
	if (!c)
		return;
	char today[11];
	today_text(today);
	c->date = input_str(&r->in, "on");
	if (strcmp(c->date, today) > 0) {
		respond_error(r, 422, "in_future", "on: the applicant cannot have been told in the future", "on");
		return;
	}
	if (strcmp(c->date, a.registered_on) < 0) {
		respond_error(r, 422, "before_registration", "on: before the appeal was registered", "on");
		return;
	}
	c->apply = appeal_apply_notified;
	request_write(r, appeal_job_run, c, changed);
}

const struct field appeal_flag_fields[] = {
	{"flagged", FT_BOOL, F_REQUIRED, 0, 0, NULL},
	{"reason", FT_TEXT, 0, 1, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

int appeal_apply_flag(struct db *db, struct appeal_job *c)
{
	return appeal_set_flag(db, &c->who, c->id, c->flag, c->text);
}

void api_appeal_flag(struct request *r)
{
	struct appeal a;
	/* Flagging is a change: a read-only break-the-glass grant does not allow it. */
	struct appeal_job *c = appeal_job_for(r, (struct perm)PERM(FLAG, APPEAL), &a);
	if (!c)
		return;
	c->flag = (int)input_int(&r->in, "flagged", 0);
	c->text = input_str(&r->in, "reason");
	if (c->flag && !c->text) {
		respond_error(r, 422, "reason_required", "reason: say why the case needs review", "reason");
		return;
	}
	c->apply = appeal_apply_flag;
	request_write(r, appeal_job_run, c, changed);
}

void api_appeal_history(struct request *r)
{
	struct appeal a;
	if (appeal_load_for(r, request_id(r, 0), (struct perm)PERM(READ, APPEAL), &a, NULL) < 0)
		return;
	struct appeal_event *ev;
	size_t n;
	int rc = db_appeal_events(request_db(r), a.id, &r->arena, &ev, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(&j);
		api_kv_time(&j, "at", ev[i].at);
		json_kv_id(&j, "user_id", ev[i].user_id);
		json_kv_str(&j, "user", ev[i].user_name);
		json_kv_str(&j, "action", ev[i].action);
		json_kv_str(&j, "from", ev[i].from_status);
		json_kv_str(&j, "to", ev[i].to_status);
		json_kv_str(&j, "detail", ev[i].detail);
		json_object_end(&j);
	}
	api_items_end(&j, NULL);
	api_respond_audited(r, "read", "appeal", a.id, "history");
}
