/*
 * /api/v1/reports: the headline figures (summary), breakdowns, and exports
 * of every list and report as CSV (RFC 4180, UTF-8 with BOM) or XLSX. CSV
 * is streamed a page of rows at a time; XLSX is written by the thread pool
 * with libxlsxwriter's constant-memory mode into a temporary file, then
 * streamed. Neither holds all rows in memory. Exports contain only what the
 * caller may see, and are audited before the first byte goes out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "api/api.h"
#include "core/crypto.h"
#include "core/csv.h"
#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "domain/deadlines.h"
#include "domain/prevention.h"
#include "domain/report.h"
#include "http/json.h"
#include "http/server.h"

/* ---------- fields ---------- */

const struct field report_fields[] = {
	{"from", FT_DATE, 0, 0, 0, NULL},
	{"to", FT_DATE, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field breakdown_fields[] = {
	{"by", FT_ENUM, F_REQUIRED, 0, 0, report_breakdowns},
	{"from", FT_DATE, 0, 0, 0, NULL},
	{"to", FT_DATE, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};


/* ---------- the period ---------- */

/* from/to of the request, defaults: 1 January of this year to today. -1 after answering. */
int report_period(struct request *r, char from[11], char to[11])
{
	char today[11];
	today_text(today);
	const char *a = input_str(&r->in, "from"), *b = input_str(&r->in, "to");
	snprintf(from, 11, "%.4s-01-01", today);
	snprintf(to, 11, "%s", today);
	if (a)
		snprintf(from, 11, "%s", a);
	if (b)
		snprintf(to, 11, "%s", b);
	if (strcmp(from, to) > 0) {
		respond_error(r, 422, "invalid_period", "from is after to", "from");
		return -1;
	}
	return 0;
}

static int report_scope_of(struct request *r, int64_t district_id, struct report_scope *s)
{
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, REPORT));
	if (report_scope_for(&f, district_id, s) < 0) {
		/* Another district than one's own is not an error to hide: say it. */
		respond_error(r, 403, "outside_scope", "this district is outside your scope", "district_id");
		return -1;
	}
	return 0;
}

static int contact_days(struct request *r)
{
	int d = r->w->server->cfg->contact_alert_days;
	return d > 0 ? d : 30;
}

int report_summary_for(struct request *r, const char *from, const char *to, int64_t district_id, struct summary *out)
{
	struct report_scope s;
	if (report_scope_of(r, district_id, &s) < 0)
		return -1;
	int rc = report_summary(request_db(r), &s, from, to, contact_days(r), out);
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	return 0;
}

/* ---------- summary and breakdown ---------- */

void api_report_summary(struct request *r)
{
	char from[11], to[11];
	struct summary s;
	if (report_period(r, from, to) < 0 ||
	    report_summary_for(r, from, to, input_int(&r->in, "district_id", 0), &s) < 0)
		return;
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_str(&j, "from", from);
	json_kv_str(&j, "to", to);
	json_kv_id(&j, "district_id", input_int(&r->in, "district_id", 0));
	json_kv_int(&j, "appeals_received", s.appeals_received);
	json_kv_int(&j, "appeals_resolved", s.appeals_resolved);
	json_kv_int(&j, "appeals_overdue", s.appeals_overdue);
	json_kv_int(&j, "consultations_held", s.consultations_held);
	json_kv_int(&j, "prevention_events", s.prevention_events);
	json_kv_int(&j, "event_participants", s.event_participants);
	json_kv_int(&j, "schools_covered", s.schools_covered);
	json_kv_int(&j, "lessons_held", s.lessons_held);
	json_kv_int(&j, "pupils_reached", s.pupils_reached);
	json_kv_int(&j, "children_attached", s.children_attached);
	json_kv_int(&j, "children_without_recent_contact", s.children_without_recent_contact);
	json_object_end(&j);
	respond_json(r, 200);
}

int report_breakdown_for(struct request *r, const char *by, const char *from, const char *to, int64_t district_id,
			 struct report_table *t)
{
	struct report_scope s;
	if (report_scope_of(r, district_id, &s) < 0)
		return -1;
	int rc = report_breakdown(request_db(r), &s, by, from, to, &r->arena, t);
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	return 0;
}

void api_report_breakdown(struct request *r)
{
	char from[11], to[11];
	struct report_table t;
	const char *by = input_str(&r->in, "by");
	if (report_period(r, from, to) < 0 ||
	    report_breakdown_for(r, by, from, to, input_int(&r->in, "district_id", 0), &t) < 0)
		return;
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_kv_str(&j, "by", by);
	json_kv_str(&j, "from", from);
	json_kv_str(&j, "to", to);
	json_key(&j, "series");
	json_array_begin(&j);
	for (int k = 0; k < t.nseries; k++)
		json_str(&j, t.series[k]);
	json_array_end(&j);
	json_key(&j, "rows");
	json_array_begin(&j);
	for (size_t i = 0; i < t.n; i++) {
		json_object_begin(&j);
		if (t.key_is_district)
			json_kv_id(&j, "district_id", t.rows[i].key_id);
		else
			json_kv_str(&j, "key", t.rows[i].key);
		for (int k = 0; k < t.nseries; k++)
			json_kv_int(&j, t.series[k], t.rows[i].v[k]);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	respond_json(r, 200);
}

/* ---------- exports ---------- */

enum { EXPORT_PAGE = 1000, EXPORT_MAX_COLS = 16 };

/* What an export covers: the list and its filters, with the caller's scope already applied. */
struct export_query {
	char what[16]; /* appeals, children, mentorships, referrals, schools, lecturers, lessons, events, audit,
			organisations, users, breakdown, summary */
	int xlsx;
	struct appeal_scope ascope;
	struct appeal_filter af;
	struct child_scope cscope;
	struct child_filter cf;
	int searched;		   /* children with q: the search's ranked rows, found before the export */
	const struct child *found; /* in the request's arena */
	size_t nfound;
	struct lesson_filter lf;
	int64_t last_lesson;
	int64_t ev_district, ev_org;
	char ev_before_day[11]; /* the last page's last event; "" before the first page */
	int64_t ev_before_id;
	struct mentorship_scope ms;
	char mstate[8]; /* active, ended or "" (all) */
	int64_t last_mentorship;
	int64_t sc_district, sc_org;
	char sc_programme[4];   /* yes, no or "" */
	int64_t lecturer_user; /* a lecturer's own record only; 0 = all */
	struct audit_filter au;
	int64_t ref_org; /* the receiving organisation (the caller's); 0 = none */
	char org_kind[32];  /* organisations of this kind; "" = all */
	char from[11], to[11];
	struct report_scope rs;
	char by[24];
	int contact_days; /* the summary's "without a recent contact" */
	int done;
	int64_t rows;
};

struct export_cells {
	const char *v[EXPORT_MAX_COLS];
	int numeric[EXPORT_MAX_COLS];
	int n;
};

typedef void (*export_emit)(void *ctx, const struct export_cells *c);

static const char *num_text(struct arena *ar, int64_t v)
{
	return arena_printf(ar, "%lld", (long long)v);
}

static const char *local_time_text(struct arena *ar, int64_t t)
{
	if (!t)
		return NULL;
	char day[11];
	prevention_local_day(t, day);
	int64_t secs = (t + input_local_offset) % 86400;
	if (secs < 0)
		secs += 86400;
	return arena_printf(ar, "%s %02d:%02d", day, (int)(secs / 3600), (int)(secs / 60 % 60));
}

static void header(const char *what, struct export_cells *c, const struct report_table *t)
{
	static const char *const appeals[] = {"number", "registered_on", "received_at", "channel", "kind", "category",
					      "risk", "status", "district_id", "due_on", "overdue", "assignee_id",
					      "child_id", NULL};
	static const char *const children[] = {"id", "surname", "given_name", "patronymic", "birth_date", "sex",
					       "district_id", "care_status", "meyirim_organisation", NULL};
	static const char *const mentorships[] = {"id", "child_id", "surname", "given_name", "patronymic", "district_id",
						  "care_status", "organisation", "organisation_kind", "started_on",
						  "ended_on", "end_reason", "last_contact_on", "goals", NULL};
	static const char *const schools[] = {"id", "name", "kind", "district_id", "active", "pupils", "in_programme",
					      "programme_since", NULL};
	static const char *const lecturers[] = {"id", "full_name", "agency", "position", "phone", "email",
						"approval", "order_number", "order_date", "valid_until", "revoke_reason",
						NULL};
	static const char *const referrals[] = {"id", "appeal_id", "organisation", "reason", "consent", "legal_ground",
						"status", "due_on", "answer", "created_at", "answered_at", NULL};
	static const char *const organisations[] = {"id", "name", "name_ru", "kind", "district_id", "phone",
						    "address", "active", NULL};
	static const char *const users[] = {"id", "login", "full_name", "role", "head", "organisation_id",
					    "district_id", "lang", "active", "must_change_password", NULL};
	static const char *const audit[] = {"id", "at", "user_id", "login", "role", "action", "resource",
					    "resource_id", "client", "outcome", "detail", "hash", NULL};
	static const char *const lessons[] = {"id", "starts_at", "school", "district_id", "class", "topic", "lecturer",
					      "status", "planned_pupils", "attended", "flagged", NULL};
	static const char *const events[] = {"id", "held_on", "title", "kind", "district_id", "organiser",
					     "participants", "partners", NULL};
	static const char *const summary[] = {"figure", "value", NULL};
	memset(c, 0, sizeof(*c));
	const char *const *cols = !strcmp(what, "appeals") ? appeals
				  : !strcmp(what, "children") ? children
				  : !strcmp(what, "mentorships") ? mentorships
				  : !strcmp(what, "schools") ? schools
				  : !strcmp(what, "lecturers") ? lecturers
				  : !strcmp(what, "audit") ? audit
				  : !strcmp(what, "referrals") ? referrals
				  : !strcmp(what, "organisations") ? organisations
				  : !strcmp(what, "users") ? users
				  : !strcmp(what, "lessons")  ? lessons
				  : !strcmp(what, "events")   ? events
				  : !strcmp(what, "summary")  ? summary
							      : NULL;
	c->n = 0;
	if (cols) {
		while (cols[c->n]) {
			c->v[c->n] = cols[c->n];
			c->numeric[c->n] = 0;
			c->n++;
		}
		return;
	}
	c->v[c->n++] = t && t->key_is_district ? "district_id" : t ? t->by : "key";
	for (int k = 0; t && k < t->nseries; k++)
		c->v[c->n++] = t->series[k];
}

/* One row of cells, left to right: text (NULL empty), a number, an id (empty when 0), yes/no. */
static void cells_begin(struct export_cells *c)
{
	memset(c, 0, sizeof(*c));
}

static void cell_text(struct export_cells *c, const char *v)
{
	c->numeric[c->n] = 0;
	c->v[c->n++] = v;
}

static void cell_int(struct export_cells *c, struct arena *ar, int64_t v)
{
	c->numeric[c->n] = 1;
	c->v[c->n++] = num_text(ar, v);
}

static void cell_id(struct export_cells *c, struct arena *ar, int64_t v)
{
	if (v)
		cell_int(c, ar, v);
	else
		cell_text(c, NULL);
}

static void cell_yes(struct export_cells *c, int yes)
{
	cell_text(c, yes ? "yes" : "no");
}

/*
 * The next page of rows of q through emit; sets q->done after the last.
 * Runs on a loop thread (CSV) or a pool thread with its own connection (XLSX).
 */
static int export_page(struct db *db, struct export_query *q, struct arena *ar, export_emit emit, void *ctx)
{
	struct export_cells c;
	char today[11];
	today_text(today);
	if (!strcmp(q->what, "appeals")) {
		struct appeal *items;
		size_t n;
		q->af.limit = EXPORT_PAGE;
		int rc = db_appeal_list(db, &q->ascope, &q->af, ar, &items, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct appeal *a = &items[i];
			cells_begin(&c);
			cell_text(&c, a->number);
			cell_text(&c, a->registered_on);
			cell_text(&c, local_time_text(ar, a->received_at));
			cell_text(&c, a->channel);
			cell_text(&c, a->kind);
			cell_text(&c, a->category);
			cell_text(&c, a->risk);
			cell_text(&c, a->status);
			cell_int(&c, ar, a->district_id);
			cell_text(&c, a->due_on);
			cell_yes(&c, appeal_is_open(a->status) && strcmp(a->due_on, today) < 0);
			cell_id(&c, ar, a->assignee_id);
			cell_id(&c, ar, a->child_id);
			emit(ctx, &c);
		}
		q->rows += (int64_t)n;
		if (n < EXPORT_PAGE) {
			q->done = 1;
		} else {
			const struct appeal *last = &items[n - 1];
			q->af.has_cursor = 1;
			q->af.cursor_prio = last->prio;
			snprintf(q->af.cursor_due, sizeof(q->af.cursor_due), "%s", last->due_on);
			q->af.cursor_id = last->id;
		}
		return DB_OK;
	}
	if (!strcmp(q->what, "children")) {
		struct child *items;
		size_t n;
		if (q->searched) {
			items = (struct child *)(uintptr_t)q->found;
			n = q->nfound;
		} else {
			q->cf.limit = EXPORT_PAGE;
			int rc = db_child_list(db, &q->cscope, &q->cf, ar, &items, &n);
			if (rc)
				return rc;
		}
		for (size_t i = 0; i < n; i++) {
			const struct child *ch = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, ch->id);
			cell_text(&c, ch->surname);
			cell_text(&c, ch->given_name);
			cell_text(&c, ch->patronymic);
			cell_text(&c, ch->birth_date);
			cell_text(&c, ch->sex);
			cell_int(&c, ar, ch->district_id);
			cell_text(&c, ch->care_status);
			cell_text(&c, ch->organisation_name);
			emit(ctx, &c);
		}
		q->rows += (int64_t)n;
		if (q->searched || n < EXPORT_PAGE) {
			q->done = 1;
		} else {
			const struct child *last = &items[n - 1];
			q->cf.after.set = 1;
			snprintf(q->cf.after.surname_key, sizeof(q->cf.after.surname_key), "%s", last->surname_key);
			snprintf(q->cf.after.given_key, sizeof(q->cf.after.given_key), "%s", last->given_key);
			q->cf.after.id = last->id;
		}
		return DB_OK;
	}
	if (!strcmp(q->what, "mentorships")) {
		struct mentorship *items;
		size_t n;
		int rc = db_mentorship_export(db, &q->ms, q->mstate, q->last_mentorship, EXPORT_PAGE, ar, &items, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct mentorship *m = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, m->id);
			cell_int(&c, ar, m->child_id);
			cell_text(&c, m->child_surname);
			cell_text(&c, m->child_given_name);
			cell_text(&c, m->child_patronymic);
			cell_id(&c, ar, m->child_district_id);
			cell_text(&c, m->child_care_status);
			cell_text(&c, m->organisation_name);
			cell_text(&c, m->organisation_kind);
			cell_text(&c, m->started_on);
			cell_text(&c, m->ended_on);
			cell_text(&c, m->end_reason);
			cell_text(&c, m->last_contact_on);
			cell_int(&c, ar, m->goals);
			emit(ctx, &c);
		}
		q->rows += (int64_t)n;
		if (n < EXPORT_PAGE)
			q->done = 1;
		else
			q->last_mentorship = items[n - 1].id;
		return DB_OK;
	}
	if (!strcmp(q->what, "schools")) {
		struct school *items;
		size_t n;
		int rc = db_school_list(db, q->sc_district, q->sc_org, q->sc_programme, ar, &items, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct school *sc = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, sc->id);
			cell_text(&c, sc->name);
			cell_text(&c, sc->kind);
			cell_int(&c, ar, sc->district_id);
			cell_yes(&c, sc->active);
			cell_int(&c, ar, sc->pupils);
			cell_yes(&c, sc->in_programme);
			cell_text(&c, sc->programme_since);
			emit(ctx, &c);
		}
		q->rows += (int64_t)n;
		q->done = 1;
		return DB_OK;
	}
	if (!strcmp(q->what, "lecturers")) {
		struct lecturer *items;
		size_t n;
		int rc = db_lecturer_list(db, ar, &items, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct lecturer *l = &items[i];
			if (q->lecturer_user && l->user_id != q->lecturer_user)
				continue;
			cells_begin(&c);
			cell_int(&c, ar, l->id);
			cell_text(&c, l->full_name);
			cell_text(&c, l->agency);
			cell_text(&c, l->position);
			cell_text(&c, l->phone);
			cell_text(&c, l->email);
			/* The latest approval as the schedule sees it today. */
			cell_text(&c, lecturer_approved(l, today) ? "valid"
				      : !l->approval_id	    ? "none"
				      : l->revoked_at	    ? "revoked"
							    : "lapsed");
			cell_text(&c, l->order_number);
			cell_text(&c, l->order_date);
			cell_text(&c, l->valid_until);
			cell_text(&c, l->revoke_reason);
			emit(ctx, &c);
			q->rows++;
		}
		q->done = 1;
		return DB_OK;
	}
	if (!strcmp(q->what, "organisations")) {
		struct organisation *items;
		size_t n;
		int rc = db_org_list(db, q->org_kind[0] ? q->org_kind : NULL, ar, &items, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct organisation *o = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, o->id);
			cell_text(&c, o->name);
			cell_text(&c, o->name_ru);
			cell_text(&c, o->kind);
			cell_id(&c, ar, o->district_id);
			cell_text(&c, o->phone);
			cell_text(&c, o->address);
			cell_yes(&c, o->active);
			emit(ctx, &c);
		}
		q->rows += (int64_t)n;
		q->done = 1;
		return DB_OK;
	}
	if (!strcmp(q->what, "users")) {
		struct user *items;
		size_t n;
		int rc = db_user_list(db, ar, &items, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct user *u = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, u->id);
			cell_text(&c, u->login);
			cell_text(&c, u->full_name);
			cell_text(&c, u->role);
			cell_yes(&c, u->is_head);
			cell_id(&c, ar, u->organisation_id);
			cell_id(&c, ar, u->district_id);
			cell_text(&c, u->lang);
			cell_yes(&c, u->active);
			cell_yes(&c, u->must_change_password);
			emit(ctx, &c);
		}
		q->rows += (int64_t)n;
		q->done = 1;
		return DB_OK;
	}
	if (!strcmp(q->what, "referrals")) {
		struct referral *items = NULL;
		size_t n = 0;
		int rc = q->ref_org ? db_referral_list_to_org(db, q->ref_org, NULL, ar, &items, &n) : DB_OK;
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct referral *f = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, f->id);
			cell_int(&c, ar, f->appeal_id);
			cell_text(&c, f->to_org_name);
			cell_text(&c, f->reason);
			cell_text(&c, f->consent);
			cell_text(&c, f->legal_ground);
			cell_text(&c, f->status);
			cell_text(&c, f->due_on);
			cell_text(&c, f->answer);
			cell_text(&c, local_time_text(ar, f->created_at));
			cell_text(&c, f->answered_at ? local_time_text(ar, f->answered_at) : NULL);
			emit(ctx, &c);
		}
		q->rows += (int64_t)n;
		q->done = 1;
		return DB_OK;
	}
	if (!strcmp(q->what, "audit")) {
		struct audit_row *items;
		size_t n;
		q->au.limit = EXPORT_PAGE;
		int rc = db_audit_list(db, &q->au, ar, &items, &n);
		if (rc)
			return rc;
		struct buf hex = BUF_INIT;
		for (size_t i = 0; i < n; i++) {
			const struct audit_row *a = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, a->id);
			cell_text(&c, local_time_text(ar, a->at));
			cell_id(&c, ar, a->user_id);
			cell_text(&c, a->login);
			cell_text(&c, a->role);
			cell_text(&c, a->action);
			cell_text(&c, a->resource);
			cell_id(&c, ar, a->resource_id);
			cell_text(&c, a->client);
			cell_text(&c, a->outcome);
			cell_text(&c, a->detail);
			buf_reset(&hex);
			hex_encode(&hex, a->hash, AUDIT_HASH_BYTES);
			cell_text(&c, arena_strdup(ar, hex.ptr));
			emit(ctx, &c);
		}
		buf_release(&hex);
		q->rows += (int64_t)n;
		if (n < EXPORT_PAGE)
			q->done = 1;
		else
			q->au.before_id = items[n - 1].id;
		return DB_OK;
	}
	if (!strcmp(q->what, "lessons")) {
		struct lesson *items;
		size_t n;
		q->lf.limit = EXPORT_PAGE;
		int rc = db_lesson_list(db, &q->lf, ar, &items, &n);
		if (rc)
			return rc;
		size_t emitted = 0;
		for (size_t i = 0; i < n; i++) {
			const struct lesson *l = &items[i];
			/* Resuming at the last start time: skip what the previous page had. */
			if (l->starts_at == q->lf.from && l->id <= q->last_lesson)
				continue;
			cells_begin(&c);
			cell_int(&c, ar, l->id);
			cell_text(&c, local_time_text(ar, l->starts_at));
			cell_text(&c, l->school_name);
			cell_int(&c, ar, l->district_id);
			cell_text(&c, l->class_name);
			cell_text(&c, l->topic);
			cell_text(&c, l->lecturer_name);
			cell_text(&c, l->status);
			cell_int(&c, ar, l->planned_pupils);
			if (l->attended >= 0)
				cell_int(&c, ar, l->attended);
			else
				cell_text(&c, NULL);
			cell_yes(&c, l->flagged);
			emit(ctx, &c);
			emitted++;
		}
		q->rows += (int64_t)emitted;
		if (n < EXPORT_PAGE || !emitted) {
			q->done = 1;
		} else {
			q->lf.from = items[n - 1].starts_at;
			q->last_lesson = items[n - 1].id;
		}
		return DB_OK;
	}
	if (!strcmp(q->what, "events")) {
		struct prevention_event *items;
		size_t n;
		int rc = db_event_export(db, q->ev_district, q->ev_org, q->from, q->to,
					 q->ev_before_day[0] ? q->ev_before_day : "9999-12-31",
					 q->ev_before_day[0] ? q->ev_before_id : INT64_MAX, EXPORT_PAGE, ar, &items, &n);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			const struct prevention_event *e = &items[i];
			cells_begin(&c);
			cell_int(&c, ar, e->id);
			cell_text(&c, e->held_on);
			cell_text(&c, e->title);
			cell_text(&c, e->kind);
			cell_int(&c, ar, e->district_id);
			cell_text(&c, e->organiser);
			cell_int(&c, ar, e->participants);
			cell_text(&c, e->partners);
			emit(ctx, &c);
			q->rows++;
		}
		if (n < EXPORT_PAGE) {
			q->done = 1;
		} else {
			snprintf(q->ev_before_day, sizeof(q->ev_before_day), "%s", items[n - 1].held_on);
			q->ev_before_id = items[n - 1].id;
		}
		return DB_OK;
	}
	if (!strcmp(q->what, "summary")) {
		/* The headline figures, named as GET /api/v1/reports/summary names them, after the period and district. */
		struct summary s;
		int rc = report_summary(db, &q->rs, q->from, q->to, q->contact_days, &s);
		if (rc)
			return rc;
		const struct {
			const char *name;
			int64_t v;
		} rows[] = {
			{"appeals_received", s.appeals_received},
			{"appeals_resolved", s.appeals_resolved},
			{"appeals_overdue", s.appeals_overdue},
			{"consultations_held", s.consultations_held},
			{"prevention_events", s.prevention_events},
			{"event_participants", s.event_participants},
			{"schools_covered", s.schools_covered},
			{"lessons_held", s.lessons_held},
			{"pupils_reached", s.pupils_reached},
			{"children_attached", s.children_attached},
			{"children_without_recent_contact", s.children_without_recent_contact},
		};
		const char *const period[][2] = {{"from", q->from}, {"to", q->to}};
		for (size_t i = 0; i < 2; i++) {
			cells_begin(&c);
			cell_text(&c, period[i][0]);
			cell_text(&c, period[i][1]);
			emit(ctx, &c);
		}
		cells_begin(&c);
		cell_text(&c, "district_id");
		cell_id(&c, ar, q->rs.district_id);
		emit(ctx, &c);
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			cells_begin(&c);
			cell_text(&c, rows[i].name);
			cell_int(&c, ar, rows[i].v);
			emit(ctx, &c);
		}
		q->rows += (int64_t)(sizeof(rows) / sizeof(rows[0]));
		q->done = 1;
		return DB_OK;
	}
	/* A breakdown: one table. */
	struct report_table t;
	int rc = report_breakdown(db, &q->rs, q->by, q->from, q->to, ar, &t);
	if (rc)
		return rc;
	for (size_t i = 0; i < t.n; i++) {
		cells_begin(&c);
		if (t.key_is_district)
			cell_int(&c, ar, t.rows[i].key_id);
		else
			cell_text(&c, t.rows[i].key);
		for (int s = 0; s < t.nseries; s++) {
			cell_int(&c, ar, t.rows[i].v[s]);
		}
		emit(ctx, &c);
	}
	q->rows += (int64_t)t.n;
	q->done = 1;
	return DB_OK;
}

/* The header of a breakdown needs its series, known only after the query: ask for an empty table first. */
static void breakdown_header(struct db *db, struct export_query *q, struct arena *ar, struct export_cells *c)
{
	struct report_table t;
	if (report_breakdown(db, &q->rs, q->by, q->from, q->to, ar, &t) == DB_OK)
		header("breakdown", c, &t);
	else
		header("breakdown", c, NULL);
}

/* ---------- CSV, streamed ---------- */

struct csv_export {
	struct export_query q;
	int started;
	int failed;
	char file[40];
};

static void csv_emit(void *ctx, const struct export_cells *c)
{
	struct buf *b = ctx;
	for (int i = 0; i < c->n; i++)
		csv_field(b, c->v[i], i == 0);
	csv_end_row(b);
}

static int csv_fill(struct request *r, void *arg)
{
	struct csv_export *ce = arg;
	struct arena ar;
	arena_init(&ar);
	if (!ce->started) {
		ce->started = 1;
		struct export_cells c;
		csv_bom(&r->body);
		if (!strcmp(ce->q.what, "breakdown"))
			breakdown_header(request_db(r), &ce->q, &ar, &c);
		else
			header(ce->q.what, &c, NULL);
		csv_emit(&r->body, &c);
	}
	if (!ce->q.done && export_page(request_db(r), &ce->q, &ar, csv_emit, &r->body) != DB_OK) {
		/* Past the headers a status cannot change: end the file with a line that says so. */
		log_error("msg=\"export failed\" what=%s error=\"%s\"", ce->q.what, db_errmsg(request_db(r)));
		buf_adds(&r->body, "\r\n# export interrupted: a database error\r\n");
		ce->q.done = 1;
	}
	arena_release(&ar);
	return ce->q.done;
}

/* ---------- XLSX, written by the pool ---------- */

struct xlsx_export {
	struct export_query q;
	const char *database;
	int busy_timeout_ms;
	int offset;
	char path[64];
	int fd;
	int failed;
	char file[40];
	char err[160];
};

struct xlsx_writer {
	lxw_worksheet *ws;
	lxw_row_t row;
};

static void xlsx_emit(void *ctx, const struct export_cells *c)
{
	struct xlsx_writer *xw = ctx;
	if (xw->row >= 1048575)
		return; /* Excel's last row */
	for (int i = 0; i < c->n; i++) {
		if (!c->v[i])
			continue;
		if (c->numeric[i]) {
			worksheet_write_number(xw->ws, xw->row, (lxw_col_t)i, (double)strtoll(c->v[i], NULL, 10), NULL);
		} else if (csv_is_formula(c->v[i])) {
			/* A string cell is never a formula; the apostrophe keeps it plain when copied out again. */
			char *t = xmalloc(strlen(c->v[i]) + 2);
			t[0] = '\'';
			strcpy(t + 1, c->v[i]);
			worksheet_write_string(xw->ws, xw->row, (lxw_col_t)i, t, NULL);
			free(t);
		} else {
			worksheet_write_string(xw->ws, xw->row, (lxw_col_t)i, c->v[i], NULL);
		}
	}
	xw->row++;
}

static void xlsx_run(struct pool_job *job)
{
	struct xlsx_export *xe = job->arg;
	struct db *db = NULL;
	struct buf err = BUF_INIT;
	xe->fd = -1;
	xe->failed = 1;
	snprintf(xe->path, sizeof(xe->path), "/tmp/qorgau-export-XXXXXX");
	int tmp = mkstemp(xe->path);
	if (tmp < 0) {
		snprintf(xe->err, sizeof(xe->err), "cannot make a temporary file: %s", strerror(errno));
		return;
	}
	close(tmp);
	if (db_open(xe->database, DB_MODE_READ, xe->busy_timeout_ms, &db, &err) != DB_OK) {
		snprintf(xe->err, sizeof(xe->err), "%s", err.ptr ? err.ptr : "cannot open the database");
		goto out;
	}
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = "/tmp"};
	lxw_workbook *wb = workbook_new_opt(xe->path, &opt);
	if (!wb) {
		snprintf(xe->err, sizeof(xe->err), "cannot start the workbook");
		goto out;
	}
	struct xlsx_writer xw = {workbook_add_worksheet(wb, xe->q.what), 0};
	struct arena ar;
	arena_init(&ar);
	struct export_cells c;
	if (!strcmp(xe->q.what, "breakdown"))
		breakdown_header(db, &xe->q, &ar, &c);
	else
		header(xe->q.what, &c, NULL);
	xlsx_emit(&xw, &c);
	int rc = DB_OK;
	while (!xe->q.done && rc == DB_OK) {
		rc = export_page(db, &xe->q, &ar, xlsx_emit, &xw);
		arena_release(&ar);
		arena_init(&ar);
	}
	arena_release(&ar);
	if (workbook_close(wb) != LXW_NO_ERROR || rc != DB_OK) {
		snprintf(xe->err, sizeof(xe->err), "cannot write the workbook (%s)", rc ? db_status_name(rc) : "xlsx");
		goto out;
	}
	xe->fd = open(xe->path, O_RDONLY | O_CLOEXEC);
	if (xe->fd >= 0)
		xe->failed = 0;
out:
	unlink(xe->path); /* the open descriptor keeps it readable until it is closed */
	db_close(db);
	buf_release(&err);
}

static void xlsx_cleanup(void *arg)
{
	struct xlsx_export *xe = arg;
	if (xe->fd >= 0)
		close(xe->fd);
	xe->fd = -1;
}

static int xlsx_fill(struct request *r, void *arg)
{
	struct xlsx_export *xe = arg;
	char chunk[65536];
	ssize_t n = read(xe->fd, chunk, sizeof(chunk));
	if (n > 0)
		buf_add(&r->body, chunk, (size_t)n);
	return n <= 0;
}

static void xlsx_ready(struct request *r, void *arg)
{
	struct xlsx_export *xe = arg;
	r->cleanup = xlsx_cleanup;
	r->cleanup_arg = xe;
	if (xe->failed) {
		log_error("msg=\"export failed\" what=%s error=\"%s\"", xe->q.what, xe->err);
		respond_error(r, 503, "unavailable", "the export could not be written; try again later", NULL);
		return;
	}
	respond_stream(r, 200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xe->file, xlsx_fill,
		       xe);
}

/* ---------- the export route ---------- */

struct export_job {
	struct actor who;
	struct export_query *q;
	void *state; /* the csv_export or xlsx_export */
	const char *file;
};

static int run_export_audit(struct db *db, struct write_job *job)
{
	struct export_job *ej = job->arg;
	return audit_record(db, &ej->who, "export", ej->q->what, 0, ej->file);
}

static void export_audited(struct request *r, int status)
{
	struct export_job *ej = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (ej->q->xlsx) {
		request_offload(r, xlsx_run, ej->state, xlsx_ready);
		return;
	}
	struct csv_export *ce = ej->state;
	respond_stream(r, 200, "text/csv; charset=utf-8", ce->file, csv_fill, ce);
}

static int may(struct request *r, struct perm p)
{
	return authz_scope(r->user.role, p) != SCOPE_NONE;
}

/* The export's query from the request, in the caller's scope; -1 after answering (403/404/422). */
static int export_query_from(struct request *r, const char *what, struct export_query *q)
{
	char from[11], to[11];
	snprintf(q->what, sizeof(q->what), "%s", what);
	if (!strcmp(what, "appeals")) {
		if (!may(r, (struct perm)PERM(READ, APPEAL)))
			goto forbidden;
		struct appeal_viewer v;
		appeal_viewer_of(r, (struct perm)PERM(READ, APPEAL), &v);
		q->ascope = appeal_scope_for(&v);
		const char *number;
		if (appeal_filter_from(r, &q->af, &number) < 0)
			return -1;
		return 0;
	}
	if (!strcmp(what, "children")) {
		if (!may(r, (struct perm)PERM(READ, CHILD)))
			goto forbidden;
		struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, CHILD));
		q->cscope = child_scope_for(&sf);
		q->cf.care_status = input_str(&r->in, "care_status");
		q->cf.district_id = input_int(&r->in, "district_id", 0);
		q->cf.attached = input_str(&r->in, "attached");
		/* A search exports what the search shows: its ranked rows, as many as its limit allows. */
		const char *text = input_str(&r->in, "q");
		if (text) {
			struct child *found;
			q->cf.limit = (int)input_int(&r->in, "limit", 500);
			int rc = child_search_for(r, text, &q->cf, q->cf.limit, &found, &q->nfound, NULL);
			if (rc) {
				respond_db_error(r, rc);
				return -1;
			}
			q->found = found;
			q->searched = 1;
		}
		return 0;
	}
	if (!strcmp(what, "mentorships")) {
		if (!may(r, (struct perm)PERM(READ, MENTORSHIP)))
			goto forbidden;
		/* The list's filters and scope; the default is the active ones, as on the list. */
		if (meyirim_scope_for(r, (struct perm)PERM(READ, MENTORSHIP), input_int(&r->in, "district_id", 0),
				      input_int(&r->in, "organisation_id", 0), &q->ms) < 0)
			goto forbidden;
		const char *state = input_str(&r->in, "state");
		snprintf(q->mstate, sizeof(q->mstate), "%s", !state ? "active" : strcmp(state, "all") ? state : "");
		return 0;
	}
	if (!strcmp(what, "organisations")) {
		if (!may(r, (struct perm)PERM(READ, ORGANISATION)))
			goto forbidden;
		const char *kind = input_str(&r->in, "kind");
		snprintf(q->org_kind, sizeof(q->org_kind), "%s", kind ? kind : "");
		return 0;
	}
	if (!strcmp(what, "users")) {
		if (!may(r, (struct perm)PERM(READ, USER)))
			goto forbidden;
		return 0;
	}
	if (!strcmp(what, "referrals")) {
		/* The inbox: referrals to the caller's own organisation, as GET /api/v1/referrals. */
		if (!may(r, (struct perm)PERM(ANSWER, REFERRAL)))
			goto forbidden;
		q->ref_org = r->user.organisation_id;
		return 0;
	}
	if (!strcmp(what, "audit")) {
		if (!may(r, (struct perm)PERM(READ, AUDIT)))
			goto forbidden;
		api_audit_filter(r, &q->au);
		return 0;
	}
	if (!strcmp(what, "schools")) {
		if (!may(r, (struct perm)PERM(READ, SCHOOL)) ||
		    school_list_scope(r, input_int(&r->in, "district_id", 0), &q->sc_district, &q->sc_org) < 0)
			goto forbidden;
		const char *in = input_str(&r->in, "in_programme");
		snprintf(q->sc_programme, sizeof(q->sc_programme), "%s", in ? in : "");
		return 0;
	}
	if (!strcmp(what, "lecturers")) {
		if (!may(r, (struct perm)PERM(READ, LECTURER)))
			goto forbidden;
		struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, LECTURER));
		q->lecturer_user = sf.scope == SCOPE_OWN ? r->user.user_id : 0;
		return 0;
	}
	if (report_period(r, from, to) < 0)
		return -1;
	snprintf(q->from, sizeof(q->from), "%s", from);
	snprintf(q->to, sizeof(q->to), "%s", to);
	if (!strcmp(what, "lessons")) {
		if (!may(r, (struct perm)PERM(READ, LESSON)))
			goto forbidden;
		struct lesson_filter scope;
		memset(&scope, 0, sizeof(scope));
		struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, LESSON));
		if (lesson_scope_for(request_db(r), &sf, &scope) < 0)
			goto forbidden;
		q->lf = scope;
		if (!scope.district_id)
			q->lf.district_id = input_int(&r->in, "district_id", 0);
		q->lf.from = prevention_day_start(from);
		q->lf.to = prevention_day_start(to) + 86400;
		return 0;
	}
	if (!strcmp(what, "events")) {
		if (!may(r, (struct perm)PERM(READ, EVENT)))
			goto forbidden;
		struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, EVENT));
		q->ev_district = sf.scope == SCOPE_DISTRICT ? sf.district_id : input_int(&r->in, "district_id", 0);
		q->ev_org = sf.scope == SCOPE_ORG ? sf.organisation_id : 0;
		if (sf.scope == SCOPE_ORG && !sf.organisation_id)
			goto forbidden;
		return 0;
	}
	if (!strcmp(what, "summary")) {
		if (!may(r, (struct perm)PERM(READ, REPORT)))
			goto forbidden;
		q->contact_days = contact_days(r);
		return report_scope_of(r, input_int(&r->in, "district_id", 0), &q->rs);
	}
	if (!strcmp(what, "breakdown")) {
		const char *by = input_str(&r->in, "by");
		if (!by) {
			respond_error(r, 422, "required", "by: is required for a breakdown", "by");
			return -1;
		}
		if (!may(r, (struct perm)PERM(READ, REPORT)))
			goto forbidden;
		snprintf(q->by, sizeof(q->by), "%s", by);
		return report_scope_of(r, input_int(&r->in, "district_id", 0), &q->rs);
	}
	respond_error(r, 404, "not_found", "no such export", NULL);
	return -1;
forbidden:
	respond_error(r, 403, "forbidden", "you may not export this list", NULL);
	return -1;
}

void api_report_export(struct request *r)
{
	/* The route's last segment: appeals.csv, children.xlsx, … */
	const char *name = strrchr(r->route->pattern, '/') + 1;
	const char *dot = name ? strrchr(name, '.') : NULL;
	if (!dot || (strcmp(dot, ".csv") && strcmp(dot, ".xlsx")) || dot - name >= 16) {
		respond_error(r, 404, "not_found", "no such export", NULL);
		return;
	}
	char what[16];
	memcpy(what, name, (size_t)(dot - name));
	what[dot - name] = 0;
	struct export_job *ej = arena_zalloc(&r->arena, sizeof(*ej));
	int xlsx = !strcmp(dot, ".xlsx");
	char today[11];
	today_text(today);
	const char *file = arena_printf(&r->arena, "qorgau-%s-%s%s", what, today, dot);
	if (xlsx) {
		struct xlsx_export *xe = arena_zalloc(&r->arena, sizeof(*xe));
		xe->fd = -1;
		ej->q = &xe->q;
		ej->state = xe;
		xe->database = r->w->server->cfg->database;
		xe->busy_timeout_ms = r->w->server->cfg->db_busy_timeout_ms;
		snprintf(xe->file, sizeof(xe->file), "%s", file);
	} else {
		struct csv_export *ce = arena_zalloc(&r->arena, sizeof(*ce));
		ej->q = &ce->q;
		ej->state = ce;
		snprintf(ce->file, sizeof(ce->file), "%s", file);
	}
	ej->q->xlsx = xlsx;
	if (export_query_from(r, what, ej->q) < 0)
		return;
	request_actor(r, &ej->who);
	ej->file = file;
	r->ctx = ej;
	request_write(r, run_export_audit, ej, export_audited);
}
