/*
 * Pages for appeals: the list with filters and keyset pages, intake,
 * the appeal with everything that can be done to it, the printable slip,
 * deadlines, caseloads, incoming referrals, the calendar, break the glass.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/crypto.h"
#include "core/time.h"
#include "domain/appeal.h"
#include "domain/deadlines.h"
#include "web/page.h"
#include "web/web.h"

static struct option *psychologist_options(struct request *r)
{
	struct user *items;
	size_t n;
	if (db_user_list_role(request_db(r), "psychologist", &r->arena, &items, &n))
		n = 0;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		o[i].value = web_id_text(r, items[i].id);
		o[i].label = items[i].full_name;
	}
	return o;
}

/* ======================= the list ======================= */

const struct field web_appeal_list_fields[] = {
	{"status", FT_LINE, 0, 1, 20, NULL},
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

/* One table of appeals: the same everywhere, critical ones marked. */
/* label names the table's region where a page has several (NULL: the page's title). */
static void appeal_table(struct request *r, const struct appeal *items, size_t n, const char *label)
{
	char today[11];
	today_text(today);
	if (!n) {
		page_notice(r, "info", _(r, "No appeals match."));
		return;
	}
	page_scroll_begin(r, label);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Number"));
	page_th(r, _(r, "Registered"));
	page_th(r, _(r, "Category"));
	page_th(r, _(r, "Risk"));
	page_th(r, _(r, "Status"));
	page_th(r, _(r, "Due"));
	page_th(r, _(r, "Psychologist"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct appeal *a = &items[i];
		int critical = appeal_is_critical(a->risk, a->category);
		int overdue = appeal_is_open(a->status) && strcmp(a->due_on, today) < 0;
		html_raw_literal(&r->body, "<tr");
		if (critical)
			html_raw_literal(&r->body, " class=\"critical\"");
		html_raw_literal(&r->body, "><td><a href=\"/appeals/");
		html_int(&r->body, a->id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, a->number);
		html_raw_literal(&r->body, "</a>");
		if (critical) {
			html_raw_literal(&r->body, " ");
			web_badge(r, "critical", _(r, "urgent"));
		}
		html_raw_literal(&r->body, "</td>");
		page_td(r, a->registered_on);
		page_td(r, web_category_label(r, a->category));
		page_td(r, web_risk_label(r, a->risk));
		page_td(r, web_status_label(r, a->status));
		html_raw_literal(&r->body, "<td");
		if (overdue)
			html_raw_literal(&r->body, " class=\"overdue\"");
		html_raw_literal(&r->body, ">");
		html_text(&r->body, a->due_on);
		if (overdue) {
			html_raw_literal(&r->body, " ");
			web_badge(r, "overdue", _(r, "overdue"));
		}
		html_raw_literal(&r->body, "</td>");
		page_td(r, web_user_name(r, a->assignee_id));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
}

static void filters_form(struct request *r, const char *action, int with_assignee)
{
	form_get_begun(r);
	html_raw_literal(&r->body, "<form method=\"get\" class=\"filters\" action=\"");
	html_attr(&r->body, action);
	html_raw_literal(&r->body, "\">");
	struct form_ctl q = {"q", _(r, "Search"), CTL_TEXT, form_value(r, "q"), NULL, 0,
			     _(r, "Number, applicant, or words of the summary"), "off", 0};
	struct form_ctl status = {"status", _(r, "Status"), CTL_SELECT, form_value(r, "status"),
				  web_options(r, appeal_status_filters, web_status_label), 0, NULL, NULL, 1};
	struct form_ctl category = {"category", _(r, "Category"), CTL_SELECT, form_value(r, "category"),
				    web_options(r, appeal_categories, web_category_label), 0, NULL, NULL, 1};
	struct form_ctl district = {"district_id", _(r, "District"), CTL_SELECT, form_value(r, "district_id"),
				    web_district_options(r), 0, NULL, NULL, 1};
	form_field(r, &q);
	form_field(r, &status);
	form_field(r, &category);
	form_field(r, &district);
	if (with_assignee) {
		struct form_ctl who = {"assignee_id", _(r, "Psychologist"), CTL_SELECT, form_value(r, "assignee_id"),
				       psychologist_options(r), 0, NULL, NULL, 1};
		form_field(r, &who);
	}
	struct form_ctl overdue = {"overdue", _(r, "Overdue only"), CTL_CHECKBOX, form_value(r, "overdue"), NULL, 0,
				   NULL, NULL, 0};
	form_field(r, &overdue);
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>");
}

/* The next page link keeps the filters and starts after the last row. */
static void next_link(struct request *r, const char *path, const struct appeal *items, size_t n, int limit)
{
	if (n < (size_t)limit || !n)
		return;
	const struct appeal *last = &items[n - 1];
	static const char *const keep[] = {"q",		  "status",  "category", "district_id",
					   "assignee_id", "overdue", "due_soon", NULL};
	page_next_link(r, path, arena_printf(&r->arena, "%d.%s.%lld", last->prio, last->due_on, (long long)last->id),
		       keep, _(r, "Next page"));
}

struct listed {
	struct actor who;
	struct appeal *items;
	size_t n;
	int limit;
	const char *title;
	const char *path;
	int with_assignee;
};

static int run_list_audit(struct db *db, struct write_job *job)
{
	struct listed *l = job->arg;
	char detail[32];
	snprintf(detail, sizeof(detail), "%zu rows", l->n);
	return audit_record(db, &l->who, "list", "appeal", 0, detail);
}

static void list_shown(struct request *r, int status)
{
	struct listed *l = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	page_begin(r, l->title);
	if (web_can(r, (struct perm)PERM(CREATE, APPEAL)))
		page_link_button(r, "/appeals/new", _(r, "Register an appeal"));
	filters_form(r, l->path, l->with_assignee);
	appeal_table(r, l->items, l->n, NULL);
	next_link(r, l->path, l->items, l->n, l->limit);
	page_end(r, 200);
}

/* Fetch a page of appeals for the caller, audit the listing, then show it. */
static void show_list(struct request *r, const char *title, const char *path, int64_t force_assignee)
{
	struct appeal_filter f;
	const char *number;
	if (appeal_filter_from(r, &f, &number) < 0)
		return;
	if (force_assignee)
		f.assignee_id = force_assignee;
	struct appeal_viewer v;
	appeal_viewer_of(r, (struct perm)PERM(READ, APPEAL), &v);
	struct appeal_scope scope = appeal_scope_for(&v);
	struct listed *l = arena_zalloc(&r->arena, sizeof(*l));
	l->title = title;
	l->path = path;
	l->limit = f.limit;
	l->with_assignee = web_can(r, (struct perm)PERM(ASSIGN, APPEAL));
	int rc;
	if (number) {
		struct appeal *a = arena_zalloc(&r->arena, sizeof(*a));
		int visible = 0, grant = 0;
		rc = db_appeal_get_by_number(request_db(r), number, &r->arena, a);
		if (!rc)
			rc = appeal_visible(request_db(r), &v, a, time_now(), &visible, &grant);
		if (rc == DB_NOTFOUND)
			rc = DB_OK;
		if (visible && !grant) {
			l->items = a;
			l->n = 1;
		}
	} else {
		rc = db_appeal_list(request_db(r), &scope, &f, &r->arena, &l->items, &l->n);
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &l->who);
	r->ctx = l;
	request_write(r, run_list_audit, l, list_shown);
}

void web_appeals(struct request *r)
{
	show_list(r, _(r, "Appeals"), "/appeals", 0);
}

const struct field web_caseload_fields[] = {
	{"psychologist_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* A psychologist's open appeals: their own, or anyone's for those who assign. */
void web_caseload(struct request *r)
{
	int64_t who = r->user.user_id;
	if (web_can(r, (struct perm)PERM(ASSIGN, APPEAL)))
		who = input_int(&r->in, "psychologist_id", 0);
	if (!who) {
		page_begin(r, _(r, "Caseload"));
		form_get_begun(r);
		html_raw_literal(&r->body, "<form method=\"get\" action=\"/caseload\" class=\"filters\">");
		struct form_ctl p = {"psychologist_id", _(r, "Psychologist"), CTL_SELECT, NULL, psychologist_options(r), 1,
				     NULL, NULL, 1};
		form_field(r, &p);
		html_raw_literal(&r->body, "<button type=\"submit\">");
		html_text(&r->body, _(r, "Show"));
		html_raw_literal(&r->body, "</button></form>");
		page_end(r, 200);
		return;
	}
	/* The list machinery reads its own filters: ask for open appeals of this person. */
	input_init(&r->in, web_appeal_list_fields, &r->arena);
	const char *q = "status=open";
	input_parse_urlencoded(&r->in, q, strlen(q), &r->arena);
	const char *name = web_user_name(r, who);
	show_list(r, arena_printf(&r->arena, "%s: %s", _(r, "Caseload"), name ? name : "?"), "/appeals", who);
}

/* ======================= overdue and due soon ======================= */

struct due_lists {
	struct appeal *over;
	size_t nover;
	struct appeal *soon;
	size_t nsoon;
};

static void draw_deadlines(struct request *r, void *arg)
{
	struct due_lists *d = arg;
	page_begin(r, _(r, "Deadlines"));
	web_h2(r, "overdue", _(r, "Overdue"));
	appeal_table(r, d->over, d->nover, _(r, "Overdue"));
	web_h2(r, "soon", _(r, "Due within three working days"));
	appeal_table(r, d->soon, d->nsoon, _(r, "Due within three working days"));
	page_end(r, 200);
}

void web_deadlines(struct request *r)
{
	struct appeal_viewer v;
	appeal_viewer_of(r, (struct perm)PERM(READ, APPEAL), &v);
	struct appeal_scope scope = appeal_scope_for(&v);
	char today[11], yesterday[11], soon[11];
	today_text(today);
	date_format(today_days() - 1, yesterday);
	date_format(calendar_add_working_days(deadlines_calendar(), today_days(), 3), soon);
	struct appeal_filter over = {.status = "open", .due_to = yesterday, .limit = 200};
	struct appeal_filter near = {.status = "open", .due_from = today, .due_to = soon, .limit = 200};
	struct appeal *a, *b;
	size_t na, nb;
	int rc = db_appeal_list(request_db(r), &scope, &over, &r->arena, &a, &na);
	if (!rc)
		rc = db_appeal_list(request_db(r), &scope, &near, &r->arena, &b, &nb);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct due_lists *d = arena_zalloc(&r->arena, sizeof(*d));
	*d = (struct due_lists){a, na, b, nb};
	/* A list of appeals, audited as the appeal list is (the API's overdue lists too). */
	static const int64_t none = 0;
	api_audit_then(r, "list", "appeal", &none, 1, arena_printf(&r->arena, "%zu rows", na + nb), draw_deadlines, d);
}

/* ======================= intake ======================= */

static void intake_form(struct request *r, int status)
{
	page_begin(r, _(r, "Register an appeal"));
	form_errors_summary(r);
	form_begin(r, "/appeals/new");
	int posted = form_value(r, "channel") != NULL;
#define VAL(name, dflt) (posted ? form_value(r, name) : (dflt))
	struct form_ctl ctls[] = {
		{"channel", _(r, "Channel"), CTL_SELECT, VAL("channel", NULL), web_options(r, appeal_channels, web_channel_label),
		 1, NULL, NULL, 1},
		{"kind", _(r, "Kind of appeal"), CTL_SELECT, VAL("kind", "application"),
		 web_options(r, appeal_kinds, web_kind_label), 1, NULL, NULL, 0},
		{"applicant.type", _(r, "Applicant"), CTL_SELECT, VAL("applicant.type", NULL),
		 web_options(r, applicant_types, web_applicant_label), 1,
		 _(r, "Anonymous appeals are accepted for reports of violence or risk."), NULL, 1},
		{"applicant.name", _(r, "Applicant's name"), CTL_TEXT, VAL("applicant.name", NULL), NULL, 0, NULL, "off", 0},
		{"applicant.phone", _(r, "Applicant's phone"), CTL_TEL, VAL("applicant.phone", NULL), NULL, 0, NULL, "off", 0},
		{"applicant.lang", _(r, "Language of the slip"), CTL_SELECT, VAL("applicant.lang", r->lang == LANG_RU ? "ru" : "kk"),
		 (const struct option[]){{"kk", "Қазақша"}, {"ru", "Русский"}, {0, 0}}, 1, NULL, NULL, 0},
		{"category", _(r, "Category"), CTL_SELECT, VAL("category", NULL),
		 web_options(r, appeal_categories, web_category_label), 1, NULL, NULL, 1},
		{"risk", _(r, "Risk"), CTL_SELECT, VAL("risk", NULL), web_options(r, appeal_risks, web_risk_label), 1, NULL, NULL,
		 1},
		{"district_id", _(r, "District"), CTL_SELECT, VAL("district_id", web_id_text(r, r->user.district_id)),
		 web_district_options(r), 1, NULL, NULL, 1},
		{"summary", _(r, "What the appeal is about"), CTL_TEXTAREA, VAL("summary", NULL), NULL, 1, NULL, NULL, 0},
		{"sensitive", _(r, "Sensitive: keep the summary encrypted"), CTL_CHECKBOX, VAL("sensitive", NULL), NULL, 0,
		 NULL, NULL, 0},
		{"received_at", _(r, "Received (if not now)"), CTL_DATETIME, VAL("received_at", NULL), NULL, 0,
		 _(r, "An appeal received on a day off is registered on the next working day."), NULL, 0},
	};
#undef VAL
	for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
		form_field(r, &ctls[i]);
	form_end(r, _(r, "Register"));
	page_end(r, status);
}

void web_appeal_new(struct request *r)
{
	intake_form(r, 200);
}

struct draft {
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
	struct draft *d = job->arg;
	return appeal_register(db, &d->who, &d->a, d->terms, d->nterms, d->number);
}

static void registered(struct request *r, int status)
{
	struct draft *d = r->ctx;
	buf_release(&d->sealed);
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/appeals/%lld?registered=1", (long long)d->a.id));
}

/* Page wording for the codes appeal_draft_check() sets. */
static void translate_errors(struct request *r)
{
	for (size_t i = 0; i < r->in.nerrors; i++) {
		struct input_error *e = &r->in.errors[i];
		if (!strcmp(e->code, "anonymous_not_allowed"))
			e->message = _(r, "Anonymous appeals are accepted only for reports of violence or risk.");
		else if (!strcmp(e->code, "anonymous_with_name"))
			e->message = _(r, "An anonymous applicant has no name.");
		else if (!strcmp(e->code, "invalid_phone"))
			e->message = _(r, "This is not a phone number.");
		else if (!strcmp(e->code, "in_future"))
			e->message = _(r, "This is more than a day in the future.");
		else if (!strcmp(e->code, "too_old"))
			e->message = _(r, "This is before 2000.");
		else if (!strcmp(e->code, "not_found"))
			e->message = _(r, "It does not exist any more; choose again.");
		else if (!strcmp(e->code, "not_after"))
			e->message = _(r, "It must be after the consultation.");
		else if (!strcmp(e->code, "in_past"))
			e->message = _(r, "This is in the past.");
		else if (!strcmp(e->code, "before_received"))
			e->message = _(r, "This is more than a week before the appeal was received.");
	}
}

void web_appeal_create(struct request *r)
{
	const char *type, *name;
	int64_t received;
	/*
	 * The appeal's own rules (anonymity, dates, district) are checked even
	 * when a field is already wrong, so the worker sees every mistake at once
	 * rather than one round after another.
	 */
	if (appeal_draft_check(r, &type, &name, &received) < 0)
		return;
	if (r->in.nerrors) {
		translate_errors(r);
		intake_form(r, 422);
		return;
	}
	struct draft *d = arena_zalloc(&r->arena, sizeof(*d));
	buf_init(&d->sealed);
	request_actor(r, &d->who);
	struct appeal *a = &d->a;
	a->channel = input_str(&r->in, "channel");
	a->kind = input_str(&r->in, "kind");
	a->applicant_type = type;
	a->applicant_name = name;
	a->applicant_phone = input_str(&r->in, "applicant.phone");
	a->applicant_lang = input_str(&r->in, "applicant.lang") ? input_str(&r->in, "applicant.lang") : "kk";
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

/* ======================= one appeal ======================= */

static void action_form(struct request *r, const struct appeal *a, const char *action, const char *title)
{
	web_h2(r, action, title);
	form_begin(r, arena_printf(&r->arena, "/appeals/%lld/%s", (long long)a->id, action));
}

static void detail_actions(struct request *r, const struct appeal *a)
{
	if (!appeal_is_open(a->status) && !web_can(r, (struct perm)PERM(REOPEN, APPEAL)))
		return;
	if (web_can(r, (struct perm)PERM(ASSIGN, APPEAL)) && appeal_is_open(a->status)) {
		action_form(r, a, "assign", _(r, "Assign a psychologist"));
		struct form_ctl p = {"psychologist_id", _(r, "Psychologist"), CTL_SELECT,
				     form_value(r, "psychologist_id") ? form_value(r, "psychologist_id")
								      : web_id_text(r, a->assignee_id),
				     psychologist_options(r), 1, NULL, NULL, 1};
		form_field(r, &p);
		form_end(r, _(r, "Assign"));
	}
	const char *next[8];
	int n = 0;
	if (appeal_ways_on(request_db(r), a->id, a->status, web_can(r, (struct perm)PERM(REOPEN, APPEAL)), next, &n))
		n = 0;
	if (n && web_can(r, (struct perm)PERM(UPDATE, APPEAL))) {
		action_form(r, a, "transition", _(r, "Change the status"));
		struct option *o = arena_zalloc(&r->arena, (size_t)(n + 1) * sizeof(*o));
		for (int i = 0; i < n; i++)
			o[i] = (struct option){next[i], web_status_label(r, next[i])};
		struct form_ctl to = {"to", _(r, "New status"), CTL_SELECT, form_value(r, "to"), o, 1, NULL, NULL, 1};
		struct form_ctl reason = {"reason", _(r, "Reason or outcome"), CTL_TEXTAREA, form_value(r, "reason"), NULL,
					  0, _(r, "Required to reject or reopen."), NULL, 0};
		form_field(r, &to);
		form_field(r, &reason);
		form_end(r, _(r, "Change"));
	}
	if (!appeal_is_open(a->status))
		return;
	if (web_can(r, (struct perm)PERM(EXTEND, APPEAL))) {
		int64_t reg;
		date_to_days(a->registered_on, &reg);
		char cap[11];
		date_format(date_add_months(reg, APPEAL_EXTEND_MONTHS), cap);
		action_form(r, a, "extend", _(r, "Extend the deadline"));
		struct form_ctl until = {"until", _(r, "New due date"), CTL_DATE, form_value(r, "until"), NULL, 1,
					 arena_printf(&r->arena, "%s %s", _(r, "At most two months from registration:"), cap),
					 NULL, 0};
		struct form_ctl reason = {"reason", _(r, "Reasoned decision"), CTL_TEXTAREA, form_value(r, "reason"), NULL,
					  1, NULL, NULL, 0};
		form_field(r, &until);
		form_field(r, &reason);
		form_end(r, _(r, "Extend"));
	}
	if (web_can(r, (struct perm)PERM(UPDATE, APPEAL))) {
		action_form(r, a, "notified", _(r, "The applicant was told"));
		struct form_ctl on = {"on", _(r, "On"), CTL_DATE, form_value(r, "on"), NULL, 1,
				      _(r, "Of an extension or a forwarding."), NULL, 0};
		form_field(r, &on);
		form_end(r, _(r, "Record"));
	}
	if (web_can(r, (struct perm)PERM(FORWARD, APPEAL))) {
		action_form(r, a, "forward", _(r, "Forward to the competent body"));
		/* Forwarding closes the appeal: say so when referrals of it still wait for an answer. */
		int64_t open = 0;
		if (db_referral_open_count(request_db(r), a->id, &open) == DB_OK && open > 0)
			page_notice(r, "info",
				    page_with_number(r, _(r, "{n} referrals of this appeal are still open: forwarding closes the appeal, they stay open until answered or revoked."),
						     open));
		/* Nothing chosen for the worker: the first organisation of the list is no default. */
		struct form_ctl org = {"organisation_id", _(r, "Organisation"), CTL_SELECT, form_value(r, "organisation_id"),
				       web_org_options(r), 1, NULL, NULL, 1};
		struct form_ctl note = {"note", _(r, "Note"), CTL_TEXTAREA, form_value(r, "note"), NULL, 0, NULL, NULL, 0};
		form_field(r, &org);
		form_field(r, &note);
		form_end(r, _(r, "Forward"));
	}
}

static void consultations_section(struct request *r, const struct appeal *a)
{
	if (!web_can(r, (struct perm)PERM(READ, CONSULTATION)))
		return;
	struct consultation *items;
	size_t n;
	if (db_consultation_list(request_db(r), a->id, &r->arena, &items, &n))
		n = 0;
	web_h2(r, "consultations", _(r, "Consultations"));
	for (size_t i = 0; i < n; i++) {
		const struct consultation *c = &items[i];
		struct buf t = BUF_INIT;
		page_time(&t, c->held_at);
		html_raw_literal(&r->body, "<div class=\"entry\"><p><strong>");
		html_text(&r->body, t.ptr);
		html_raw_literal(&r->body, "</strong> · ");
		html_text(&r->body, web_format_label(r, c->format));
		html_raw_literal(&r->body, " · ");
		html_text(&r->body, page_with_number(r, _(r, "{n} min"), c->duration_min));
		html_raw_literal(&r->body, " · ");
		html_text(&r->body, c->psychologist_name);
		html_raw_literal(&r->body, "</p>");
		if (c->participants) {
			html_raw_literal(&r->body, "<p>");
			html_text(&r->body, _(r, "Took part:"));
			html_raw_literal(&r->body, " ");
			html_text(&r->body, c->participants);
			html_raw_literal(&r->body, "</p>");
		}
		if (c->notes_sealed) {
			const char *notes = consultation_notes(r, c);
			html_raw_literal(&r->body, "<p class=\"notes\">");
			html_text(&r->body, notes ? notes : _(r, "Notes are kept for their author and head psychologists."));
			html_raw_literal(&r->body, "</p>");
		}
		if (c->next_at) {
			buf_reset(&t);
			page_time(&t, c->next_at);
			html_raw_literal(&r->body, "<p>");
			html_text(&r->body, _(r, "Next appointment:"));
			html_raw_literal(&r->body, " ");
			html_text(&r->body, t.ptr);
			html_raw_literal(&r->body, "</p>");
		}
		html_raw_literal(&r->body, "</div>");
		buf_release(&t);
	}
	if (!n)
		page_notice(r, "info", _(r, "No consultations yet."));
	if (appeal_is_open(a->status) && web_can(r, (struct perm)PERM(CREATE, CONSULTATION)) &&
	    (r->user.role == ROLE_HEAD_PSYCHOLOGIST || a->assignee_id == r->user.user_id)) {
		form_begin(r, arena_printf(&r->arena, "/appeals/%lld/consultations", (long long)a->id));
		struct form_ctl ctls[] = {
			{"held_at", _(r, "When"), CTL_DATETIME, form_value(r, "held_at"), NULL, 1, NULL, NULL, 0},
			{"duration_min", _(r, "Minutes"), CTL_NUMBER, form_value(r, "duration_min"), NULL, 1, NULL, NULL, 0},
			{"format", _(r, "Format"), CTL_SELECT, form_value(r, "format"),
			 web_options(r, consultation_formats, web_format_label), 1, NULL, NULL, 1},
			{"participants", _(r, "Who took part"), CTL_TEXT, form_value(r, "participants"), NULL, 0, NULL, "off", 0},
			{"notes", _(r, "Notes (encrypted)"), CTL_TEXTAREA, form_value(r, "notes"), NULL, 0, NULL, NULL, 0},
			{"next_at", _(r, "Next appointment"), CTL_DATETIME, form_value(r, "next_at"), NULL, 0, NULL, NULL, 0},
		};
		for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
			form_field(r, &ctls[i]);
		form_end(r, _(r, "Record the consultation"));
	}
}

static void referrals_section(struct request *r, const struct appeal *a)
{
	struct referral *items;
	size_t n;
	if (db_referral_list_appeal(request_db(r), a->id, &r->arena, &items, &n))
		n = 0;
	web_h2(r, "referrals", _(r, "Referrals"));
	if (!n)
		page_notice(r, "info", _(r, "No referrals."));
	for (size_t i = 0; i < n; i++) {
		const struct referral *f = &items[i];
		html_raw_literal(&r->body, "<div class=\"entry\"><p><strong>");
		html_text(&r->body, web_org_label(r, f->to_org_name, f->to_org_name_ru));
		html_raw_literal(&r->body, "</strong> · ");
		html_text(&r->body, web_referral_status_label(r, f->status));
		html_raw_literal(&r->body, " · ");
		html_text(&r->body, _(r, "answer due"));
		html_raw_literal(&r->body, " ");
		html_text(&r->body, f->due_on);
		html_raw_literal(&r->body, "</p><p>");
		html_text(&r->body, f->reason);
		html_raw_literal(&r->body, "</p><p class=\"hint\">");
		html_text(&r->body, web_consent_label(r, f->consent));
		if (f->legal_ground) {
			html_raw_literal(&r->body, ": ");
			html_text(&r->body, f->legal_ground);
		}
		html_raw_literal(&r->body, "</p>");
		if (f->answer) {
			html_raw_literal(&r->body, "<p><em>");
			html_text(&r->body, f->answer);
			html_raw_literal(&r->body, "</em></p>");
		}
		if ((!strcmp(f->status, "pending") || !strcmp(f->status, "accepted")) &&
		    web_can(r, (struct perm)PERM(UPDATE, REFERRAL)))
			form_button(r, arena_printf(&r->arena, "/referrals/%lld/revoke", (long long)f->id),
				    _(r, "Revoke the referral"), _(r, "Revoke this referral?"));
		html_raw_literal(&r->body, "</div>");
	}
	if (appeal_is_open(a->status) && web_can(r, (struct perm)PERM(CREATE, REFERRAL))) {
		form_begin(r, arena_printf(&r->arena, "/appeals/%lld/referrals", (long long)a->id));
		static const struct option consent_options[] = {{"given", ""}, {"not_required", ""}, {0, 0}};
		struct option *co = arena_zalloc(&r->arena, sizeof(consent_options));
		for (int i = 0; i < 2; i++)
			co[i] = (struct option){consent_options[i].value, web_consent_label(r, consent_options[i].value)};
		struct form_ctl ctls[] = {
			/* Neither the organisation nor the consent is chosen for the worker: consent is recorded only when given. */
			{"organisation_id", _(r, "Refer to"), CTL_SELECT, form_value(r, "organisation_id"), web_org_options(r), 1,
			 NULL, NULL, 1},
			{"reason", _(r, "Reason"), CTL_TEXTAREA, form_value(r, "reason"), NULL, 1, NULL, NULL, 0},
			{"consent", _(r, "Consent of the parent or legal representative"), CTL_SELECT, form_value(r, "consent"), co,
			 1, NULL, NULL, 1},
			{"legal_ground", _(r, "Legal ground (when acting without consent)"), CTL_TEXT,
			 form_value(r, "legal_ground"), NULL, 0, NULL, "off", 0},
			{"due_on", _(r, "Answer due"), CTL_DATE, form_value(r, "due_on"), NULL, 0,
			 _(r, "Empty: ten working days."), NULL, 0},
		};
		for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
			form_field(r, &ctls[i]);
		form_end(r, _(r, "Refer"));
	}
}

/*
 * The detail of a history entry, for people: the psychologist an appeal was assigned to and
 * the organisation it was referred to by name, a referral's answer by its label; free text
 * (a reason, a note, a date) as written. Ids the entries keep (user=, referral=) are for the
 * audit, not for the page.
 */
static const char *history_detail(struct request *r, const struct appeal_event *ev)
{
	const char *d = ev->detail;
	if (!d)
		return NULL;
	long long id, org;
	char status[24];
	if (!strcmp(ev->action, "assigned") && sscanf(d, "user=%lld", &id) == 1) {
		struct user u;
		return db_user_get(request_db(r), id, &r->arena, &u) == DB_OK ? u.full_name : NULL;
	}
	if (!strcmp(ev->action, "referred") && sscanf(d, "referral=%lld organisation=%lld", &id, &org) == 2)
		return web_org_name(r, org);
	if (!strcmp(ev->action, "referral_answered") && sscanf(d, "referral=%lld %23s", &id, status) == 2)
		return web_referral_status_label(r, arena_strdup(&r->arena, status));
	if (!strcmp(ev->action, "consultation"))
		return NULL; /* the consultations are listed above */
	int used = 0;
	char until[11];
	if (!strcmp(ev->action, "extended") && sscanf(d, "until=%10[0-9-]%n", until, &used) == 1) {
		const char *reason = d[used] == ' ' ? d + used + 1 : d + used;
		const char *phrase = _(r, "until {date}"), *at = strstr(phrase, "{date}"); /* Kazakh puts the date first */
		if (!at)
			return d;
		return arena_printf(&r->arena, "%.*s%s%s%s%s", (int)(at - phrase), phrase, until, at + 6, *reason ? "; " : "",
				    reason);
	}
	if (!strcmp(ev->action, "forwarded") && sscanf(d, "organisation=%lld%n", &org, &used) == 1) {
		const char *note = d[used] == ' ' ? d + used + 1 : d + used, *to = web_org_name(r, org);
		return arena_printf(&r->arena, "%s%s%s", to ? to : "", *note && to ? "; " : "", note);
	}
	return d;
}

static void history_section(struct request *r, const struct appeal *a)
{
	struct appeal_event *ev;
	size_t n;
	if (db_appeal_events(request_db(r), a->id, &r->arena, &ev, &n))
		n = 0;
	web_h2(r, "history", _(r, "History"));
	html_raw_literal(&r->body, "<ol class=\"history\">");
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_reset(&t);
		page_time(&t, ev[i].at);
		html_raw_literal(&r->body, "<li><time>");
		html_text(&r->body, t.ptr);
		html_raw_literal(&r->body, "</time> ");
		html_text(&r->body, ev[i].user_name ? ev[i].user_name : "—");
		html_raw_literal(&r->body, ": ");
		html_text(&r->body, web_history_label(r, ev[i].action));
		if (ev[i].to_status && ev[i].from_status && strcmp(ev[i].from_status, ev[i].to_status)) {
			html_raw_literal(&r->body, " (");
			html_text(&r->body, web_status_label(r, ev[i].from_status));
			html_raw_literal(&r->body, " → ");
			html_text(&r->body, web_status_label(r, ev[i].to_status));
			html_raw_literal(&r->body, ")");
		}
		const char *detail = history_detail(r, &ev[i]);
		if (detail && *detail) {
			html_raw_literal(&r->body, ": ");
			html_text(&r->body, detail);
		}
		html_raw_literal(&r->body, "</li>");
	}
	buf_release(&t);
	html_raw_literal(&r->body, "</ol>");
}

static void appeal_page(struct request *r, const struct appeal *a, int status, const char *notice_kind,
			const char *notice)
{
	char today[11];
	today_text(today);
	page_begin(r, arena_printf(&r->arena, "%s %s", _(r, "Appeal"), a->number));
	if (notice)
		page_notice(r, notice_kind, notice);
	html_raw_literal(&r->body, "<p class=\"lead\">");
	web_badge(r, "status", web_status_label(r, a->status));
	if (appeal_is_critical(a->risk, a->category)) {
		html_raw_literal(&r->body, " ");
		web_badge(r, "critical", _(r, "urgent"));
	}
	if (appeal_is_open(a->status) && strcmp(a->due_on, today) < 0) {
		html_raw_literal(&r->body, " ");
		web_badge(r, "overdue", _(r, "overdue"));
	}
	if (a->flagged) {
		html_raw_literal(&r->body, " ");
		web_badge(r, "flag", _(r, "flagged for review"));
	}
	html_raw_literal(&r->body, " <a href=\"/appeals/");
	html_int(&r->body, a->id);
	html_raw_literal(&r->body, "/slip\">");
	html_text(&r->body, _(r, "Registration slip"));
	html_raw_literal(&r->body, "</a></p><div class=\"columns\"><table class=\"facts\">");
	struct buf t = BUF_INIT;
	page_time(&t, a->received_at);
	web_fact(r, _(r, "Received"), t.ptr);
	buf_release(&t);
	web_fact(r, _(r, "Registered"), a->registered_on);
	web_fact(r, _(r, "Due"), a->due_on);
	if (a->extended_until) {
		web_fact(r, _(r, "Extended because"), a->extension_reason);
		web_fact(r, _(r, "Tell the applicant by"), a->notify_by);
	}
	if (appeal_is_open(a->status))
		web_fact(r, _(r, "Forward by (if sent to the wrong body)"), a->forward_due_on);
	if (a->forwarded_to) {
		web_fact(r, _(r, "Forwarded to"), web_org_name(r, a->forwarded_to));
		web_fact(r, _(r, "Forwarded on"), a->forwarded_on);
	}
	web_fact(r, _(r, "Applicant told on"), a->applicant_notified_on);
	web_fact(r, _(r, "Channel"), web_channel_label(r, a->channel));
	web_fact(r, _(r, "Kind of appeal"), web_kind_label(r, a->kind));
	web_fact(r, _(r, "Category"), web_category_label(r, a->category));
	web_fact(r, _(r, "Risk"), web_risk_label(r, a->risk));
	web_fact(r, _(r, "District"), web_district_of(r, a->district_id));
	web_fact(r, _(r, "Psychologist"), web_user_name(r, a->assignee_id));
	web_fact(r, _(r, "Applicant"), web_applicant_label(r, a->applicant_type));
	web_fact(r, _(r, "Applicant's name"), a->applicant_name);
	web_fact(r, _(r, "Applicant's phone"), a->applicant_phone);
	web_fact(r, _(r, "Status reason"), a->status_reason);
	html_raw_literal(&r->body, "</table><div><h2>");
	html_text(&r->body, _(r, "Summary"));
	html_raw_literal(&r->body, "</h2><p class=\"summary\">");
	const char *summary = appeal_summary(r, a);
	html_text(&r->body, summary ? summary : _(r, "The summary cannot be opened with this key."));
	html_raw_literal(&r->body, "</p>");
	if (a->sensitive) {
		html_raw_literal(&r->body, "<p class=\"hint\">");
		html_text(&r->body, _(r, "Sensitive: stored encrypted."));
		html_raw_literal(&r->body, "</p>");
	}
	html_raw_literal(&r->body, "</div></div>");
	detail_actions(r, a);
	consultations_section(r, a);
	referrals_section(r, a);
	if (web_can(r, (struct perm)PERM(FLAG, APPEAL))) {
		action_form(r, a, "flag", a->flagged ? _(r, "Withdraw the review flag") : _(r, "Flag for review"));
		struct form_ctl f = {"flagged", "", CTL_HIDDEN, a->flagged ? "false" : "true", NULL, 0, NULL, NULL, 0};
		struct form_ctl reason = {"reason", _(r, "Why"), CTL_TEXTAREA, form_value(r, "reason"), NULL, !a->flagged,
					  NULL, NULL, 0};
		form_field(r, &f);
		form_field(r, &reason);
		form_end(r, a->flagged ? _(r, "Withdraw") : _(r, "Flag"));
	}
	history_section(r, a);
	page_end(r, status);
}

struct viewing {
	struct actor who;
	struct appeal a;
	int grant;
	int registered, saved;
};

static int run_view_audit(struct db *db, struct write_job *job)
{
	struct viewing *v = job->arg;
	return appeal_audit_read(db, &v->who, v->a.id, v->grant ? "break the glass" : NULL);
}

static void viewed(struct request *r, int status)
{
	struct viewing *v = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	appeal_page(r, &v->a, 200, "ok",
		    v->registered ? _(r, "The appeal is registered.") : v->saved ? _(r, "Saved.") : NULL);
}

/* Show the appeal after an audited read; outside the scope, offer to break the glass. */
static int load_for_page(struct request *r, int64_t id, struct perm perm, struct appeal *a, int *grant)
{
	int rc = db_appeal_get(request_db(r), id, &r->arena, a);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	struct appeal_viewer v;
	int visible = 0;
	appeal_viewer_of(r, perm, &v);
	if ((rc = appeal_visible(request_db(r), &v, a, time_now(), &visible, grant)) != DB_OK) {
		respond_db_error(r, rc);
		return -1;
	}
	if (*grant && perm.action != ACT_READ)
		visible = 0;
	if (!visible) {
		if (perm.action == ACT_READ && web_can(r, (struct perm)PERM(CREATE, ACCESS_GRANT)))
			respond_redirect(r, arena_printf(&r->arena, "/appeals/%lld/access", (long long)id));
		else
			respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return -1;
	}
	return 0;
}

const struct field web_appeal_view_fields[] = {
	{"registered", FT_BOOL, 0, 0, 0, NULL},
	{"saved", FT_BOOL, 0, 0, 0, NULL}, /* after a change made from the page: say it was done */
	{NULL, 0, 0, 0, 0, NULL},
};

void web_appeal(struct request *r)
{
	struct viewing *v = arena_zalloc(&r->arena, sizeof(*v));
	if (load_for_page(r, request_id(r, 0), (struct perm)PERM(READ, APPEAL), &v->a, &v->grant) < 0)
		return;
	request_actor(r, &v->who);
	v->registered = r->in.nfields && input_int(&r->in, "registered", 0);
	v->saved = r->in.nfields && input_int(&r->in, "saved", 0);
	r->ctx = v;
	request_write(r, run_view_audit, v, viewed);
}

/* ======================= actions from the appeal page ======================= */

struct page_action {
	struct appeal_job job;
	struct appeal a;
};

/* The appeal's page again after a refused action: all of the appeal, so after an audited read. */
struct page_again {
	struct appeal a;
	int status;
	const char *notice;
};

static void draw_again(struct request *r, void *arg)
{
	struct page_again *g = arg;
	appeal_page(r, &g->a, g->status, "error", g->notice);
}

static void show_again(struct request *r, const struct appeal *a, int status, const char *notice)
{
	struct page_again *g = arena_zalloc(&r->arena, sizeof(*g));
	g->a = *a;
	g->status = status;
	g->notice = notice;
	api_audit_then(r, "read", "appeal", &g->a.id, 1, "form shown again", draw_again, g);
}

static void action_done(struct request *r, int status)
{
	struct appeal_job *c = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (c->result.refused) {
		struct appeal a;
		if (db_appeal_get(request_db(r), c->id, &r->arena, &a)) {
			respond_db_error(r, DB_ERROR);
			return;
		}
		show_again(r, &a, 409, _(r, "This cannot be done while the appeal is in its current state."));
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/appeals/%lld?saved=1", (long long)c->id));
}

/* Show the appeal again with the form's errors beside its fields. */
static void reshow(struct request *r, int64_t id, int status)
{
	struct appeal a;
	int grant = 0;
	/* Only an appeal the caller may act on with this route's permission is shown again. */
	if (load_for_page(r, id, r->route->perm, &a, &grant) < 0)
		return;
	translate_errors(r);
	show_again(r, &a, status, _(r, "Please correct the marked fields."));
}

/* Marks the new due date of an extension that breaks the rules; whether it did. */
static int extension_error(struct request *r, const struct appeal *a, const char *until)
{
	const char *problem = appeal_extension_problem(a, until);
	if (!problem)
		return 0;
	input_error(&r->in, &r->arena, "until", problem,
		    !strcmp(problem, "not_later")	     ? _(r, "It must be later than the current due date.")
		    : !strcmp(problem, "beyond_two_months") ? _(r, "At most two months from registration.")
							    : _(r, "Choose a working day."));
	return 1;
}

void web_appeal_action(struct request *r)
{
	const char *name = r->route->name; /* appeal.assign, appeal.transition, … */
	const char *act = strchr(name, '.') + 1;
	static const struct {
		const char *act;
		struct perm perm;
	} perms[] = {
		{"assign", PERM(ASSIGN, APPEAL)},   {"transition", PERM(UPDATE, APPEAL)}, {"extend", PERM(EXTEND, APPEAL)},
		{"forward", PERM(FORWARD, APPEAL)}, {"notified", PERM(UPDATE, APPEAL)},	  {"flag", PERM(FLAG, APPEAL)},
	};
	struct perm perm = PERM(UPDATE, APPEAL);
	for (size_t i = 0; i < sizeof(perms) / sizeof(perms[0]); i++)
		if (!strcmp(perms[i].act, act))
			perm = perms[i].perm;
	struct appeal a;
	int grant = 0;
	if (load_for_page(r, request_id(r, 0), perm, &a, &grant) < 0)
		return;
	if (r->in.nerrors) {
		/* A new due date against the rules is said with the other mistakes, not in the next round. */
		if (!strcmp(act, "extend") && input_str(&r->in, "until"))
			extension_error(r, &a, input_str(&r->in, "until"));
		reshow(r, a.id, 422);
		return;
	}
	struct appeal_job *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->id = a.id;
	r->ctx = c;
	char *today = arena_alloc(&r->arena, 11);
	today_text(today);
	if (!strcmp(act, "assign")) {
		struct user u;
		c->other = input_int(&r->in, "psychologist_id", 0);
		if (db_user_get(request_db(r), c->other, &r->arena, &u) || strcmp(u.role, "psychologist") || !u.active) {
			input_error(&r->in, &r->arena, "psychologist_id", "not_found",
				    _(r, "It does not exist any more; choose again."));
			reshow(r, a.id, 422);
			return;
		}
		c->apply = appeal_apply_assign;
	} else if (!strcmp(act, "transition")) {
		c->to = input_str(&r->in, "to");
		c->text = input_str(&r->in, "reason");
		c->may_reopen = web_can(r, (struct perm)PERM(REOPEN, APPEAL));
		if ((!strcmp(c->to, "rejected") || (appeal_is_open(c->to) && !appeal_is_open(a.status))) && !c->text) {
			input_error(&r->in, &r->arena, "reason", "required", "");
			reshow(r, a.id, 422);
			return;
		}
		c->apply = appeal_apply_transition;
	} else if (!strcmp(act, "extend")) {
		c->date = input_str(&r->in, "until");
		if (extension_error(r, &a, c->date)) {
			reshow(r, a.id, 422);
			return;
		}
		char *notify = arena_alloc(&r->arena, 11);
		date_format(calendar_add_working_days(deadlines_calendar(), today_days(), APPEAL_NOTIFY_DAYS), notify);
		c->date2 = notify;
		c->text = input_str(&r->in, "reason");
		c->apply = appeal_apply_extend;
	} else if (!strcmp(act, "forward")) {
		c->other = input_int(&r->in, "organisation_id", 0);
		c->date = today;
		c->text = input_str(&r->in, "note");
		c->apply = appeal_apply_forward;
	} else if (!strcmp(act, "notified")) {
		c->date = input_str(&r->in, "on");
		if (strcmp(c->date, today) > 0 || strcmp(c->date, a.registered_on) < 0) {
			input_error(&r->in, &r->arena, "on", "out_of_dates", _(r, "Between the registration and today."));
			reshow(r, a.id, 422);
			return;
		}
		c->apply = appeal_apply_notified;
	} else {
		c->flag = (int)input_int(&r->in, "flagged", 0);
		c->text = input_str(&r->in, "reason");
		if (c->flag && !c->text) {
			input_error(&r->in, &r->arena, "reason", "required", "");
			reshow(r, a.id, 422);
			return;
		}
		c->apply = appeal_apply_flag;
	}
	request_write(r, appeal_job_run, c, action_done);
}

static void casework_done(struct request *r, int status, int refused)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (refused) {
		/* The appeal closed meanwhile: it says so, not "Saved." */
		struct appeal a;
		if (db_appeal_get(request_db(r), request_id(r, 0), &r->arena, &a)) {
			respond_db_error(r, DB_ERROR);
			return;
		}
		show_again(r, &a, 409, _(r, "This cannot be done while the appeal is in its current state."));
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/appeals/%lld?saved=1", (long long)request_id(r, 0)));
}

static void consultation_done(struct request *r, int status)
{
	casework_done(r, status, consultation_job_refused(r));
}

static void referral_done(struct request *r, int status)
{
	casework_done(r, status, !status && referral_job_refused(r));
}

void web_consultation_create(struct request *r)
{
	consultation_check(r);
	if (r->in.nerrors) {
		reshow(r, request_id(r, 0), 422);
		return;
	}
	if (consultation_start(r, request_id(r, 0), consultation_done) == -2)
		reshow(r, request_id(r, 0), 422);
}

void web_referral_create(struct request *r)
{
	referral_check(r);
	if (r->in.nerrors) {
		reshow(r, request_id(r, 0), 422);
		return;
	}
	referral_start(r, request_id(r, 0), referral_done);
}

/* ======================= the registration slip ======================= */

static void draw_slip(struct request *r, void *arg);

/* The slip: a read of the appeal as its page is (through a grant, a break of the glass). */
void web_appeal_slip(struct request *r)
{
	struct appeal *a = arena_zalloc(&r->arena, sizeof(*a));
	int grant = 0;
	if (load_for_page(r, request_id(r, 0), (struct perm)PERM(READ, APPEAL), a, &grant) < 0)
		return;
	api_audit_then(r, "read", "appeal", &a->id, 1, grant ? "break the glass" : "slip", draw_slip, a);
}

static void draw_slip(struct request *r, void *arg)
{
	const struct appeal a = *(const struct appeal *)arg;
	/* The slip speaks the applicant's language, whatever the staff member reads. */
	enum lang staff = r->lang;
	r->lang = a.applicant_lang && !strcmp(a.applicant_lang, "ru") ? LANG_RU : LANG_KK;
	struct buf t = BUF_INIT;
	page_time(&t, a.received_at);
	const char *receiver = web_user_name(r, a.created_by);
	const char *body_name = web_org_name(r, a.created_org);
	buf_reset(&r->body);
	html_raw_literal(&r->body, "<!doctype html>\n<html lang=\"");
	html_attr(&r->body, lang_code(r->lang));
	html_raw_literal(&r->body, "\"><head><meta charset=\"utf-8\">"
				   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
				   "<link rel=\"stylesheet\" href=\"/static/qorgau.css\">"
				   "<link rel=\"icon\" href=\"/static/qorgau.svg\" type=\"image/svg+xml\">"
				   "<script src=\"/static/qorgau.js\" defer></script><title>");
	html_text(&r->body, a.number);
	html_raw_literal(&r->body, "</title></head><body class=\"slip\">");
	/* For the staff member, in their language, not on paper: back to the appeal, print. */
	enum lang slip_lang = r->lang;
	r->lang = staff;
	html_raw_literal(&r->body, "<p class=\"noprint slip-tools\"><a href=\"/appeals/");
	html_int(&r->body, a.id);
	html_raw_literal(&r->body, "\">← ");
	html_text(&r->body, _(r, "Back to the appeal"));
	html_raw_literal(&r->body, "</a> <button type=\"button\" data-print hidden>"); /* shown by qorgau.js, which prints */
	html_text(&r->body, _(r, "Print"));
	html_raw_literal(&r->body, "</button></p>");
	r->lang = slip_lang;
	html_raw_literal(&r->body, "<main><h1>");
	html_text(&r->body, _(r, "Registration slip"));
	html_raw_literal(&r->body, "</h1><p>");
	html_text(&r->body, _(r, "Your appeal has been accepted and registered."));
	html_raw_literal(&r->body, "</p><table class=\"facts\">");
	web_fact(r, _(r, "Registration number"), a.number);
	web_fact(r, _(r, "Received (date and time)"), web_paper_date(r, t.ptr));
	web_fact(r, _(r, "Registered on"), web_paper_date(r, a.registered_on));
	web_fact(r, _(r, "Answer due by"), web_paper_date(r, a.due_on));
	web_fact(r, _(r, "Received by"), receiver);
	web_fact(r, _(r, "Organisation"), body_name);
	html_raw_literal(&r->body, "</table><p class=\"hint\">");
	html_text(&r->body, _(r, "An appeal is considered within 15 working days of registration (Administrative Procedural and Process-Related Code, art. 76). Keep this slip."));
	html_raw_literal(&r->body, "</p></main></body></html>\n");
	buf_release(&t);
	r->lang = staff;
	respond(r, 200, "text/html; charset=utf-8");
}

/* ======================= incoming referrals ======================= */

struct inbox {
	struct referral *items;
	size_t n;
};

static void draw_inbox(struct request *r, void *arg)
{
	const struct referral *items = ((struct inbox *)arg)->items;
	size_t n = ((struct inbox *)arg)->n;
	page_begin(r, _(r, "Referrals to us"));
	if (!n)
		page_notice(r, "info", _(r, "No referrals to your organisation."));
	for (size_t i = 0; i < n; i++) {
		const struct referral *f = &items[i];
		html_raw_literal(&r->body, "<div class=\"entry\"><p><strong><a href=\"/appeals/");
		html_int(&r->body, f->appeal_id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, f->appeal_number);
		html_raw_literal(&r->body, "</a></strong> · ");
		html_text(&r->body, web_referral_status_label(r, f->status));
		html_raw_literal(&r->body, " · ");
		html_text(&r->body, _(r, "answer due"));
		html_raw_literal(&r->body, " ");
		html_text(&r->body, f->due_on);
		html_raw_literal(&r->body, "</p><p>");
		html_text(&r->body, f->reason);
		html_raw_literal(&r->body, "</p>");
		if (!strcmp(f->status, "pending") || !strcmp(f->status, "accepted")) {
			form_begin(r, arena_printf(&r->arena, "/referrals/%lld/answer", (long long)f->id));
			static const char *const pending[] = {"accepted", "rejected", NULL};
			static const char *const accepted[] = {"done", NULL};
			/* Nothing chosen for the answerer: two clicks must not close a referral unanswered. */
			struct form_ctl st = {"status", _(r, "Answer"), CTL_SELECT, NULL,
					      web_options(r, !strcmp(f->status, "pending") ? pending : accepted,
							  web_referral_status_label),
					      1, NULL, NULL, 1};
			struct form_ctl text = {"answer", _(r, "What was done"), CTL_TEXTAREA, NULL, NULL, 0, NULL, NULL, 0};
			form_field(r, &st);
			form_field(r, &text);
			form_end(r, _(r, "Answer"));
		}
		html_raw_literal(&r->body, "</div>");
	}
	page_end(r, 200);
}

/* What was sent to the caller's organisation: reasons name children, so the list is audited as the others are. */
void web_referrals(struct request *r)
{
	struct inbox *b = arena_zalloc(&r->arena, sizeof(*b));
	if (r->user.organisation_id &&
	    db_referral_list_to_org(request_db(r), r->user.organisation_id, NULL, &r->arena, &b->items, &b->n)) {
		respond_db_error(r, DB_ERROR);
		return;
	}
	static const int64_t none = 0;
	api_audit_then(r, "list", "referral", &none, 1, arena_printf(&r->arena, "%zu rows", b->n), draw_inbox, b);
}

static void answered(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/referrals");
}

static void revoked(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/appeals");
}

const struct field web_referral_answer_fields[] = {
	{"status", FT_ENUM, F_REQUIRED, 0, 0, referral_answers},
	{"answer", FT_TEXT, 0, 1, 5000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void web_referral_answer(struct request *r)
{
	if (r->in.nerrors) {
		respond_error(r, 422, "invalid", "the answer is not valid", NULL);
		return;
	}
	referral_answer_start(r, request_id(r, 0), answered);
}

void web_referral_revoke(struct request *r)
{
	/* The revoke button posts nothing but the token: say what it means. */
	input_init(&r->in, web_referral_answer_fields, &r->arena);
	const char *q = "status=revoked";
	input_parse_urlencoded(&r->in, q, strlen(q), &r->arena);
	referral_answer_start(r, request_id(r, 0), revoked);
}

/* ======================= the calendar ======================= */

const struct field web_calendar_fields[] = {
	{"text", FT_TEXT, F_REQUIRED, 1, 200000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static void calendar_page(struct request *r, int status, const char *problem)
{
	int64_t today = today_days();
	int y, m, d;
	civil_from_days(today, &y, &m, &d);
	const struct calendar *cal = deadlines_calendar();
	page_begin(r, _(r, "Working-day calendar"));
	if (problem)
		page_notice(r, "error", problem);
	html_raw_literal(&r->body, "<p>");
	html_text(&r->body, _(r, "Legal deadlines count working days: Monday to Friday without public holidays, with the transfers the government decrees each year."));
	html_raw_literal(&r->body, "</p>");
	for (int year = y; year <= y + 1; year++) {
		web_h2(r, arena_printf(&r->arena, "y%d", year), arena_printf(&r->arena, "%d", year));
		html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
		page_th(r, _(r, "Date"));
		page_th(r, _(r, "Day off because"));
		html_raw_literal(&r->body, "</tr></thead><tbody>");
		for (int64_t day = days_from_civil(year, 1, 1); day < days_from_civil(year + 1, 1, 1); day++) {
			const char *why = calendar_day_name(cal, day);
			int working_weekend = weekday_from_days(day) >= 5 && !why;
			if ((!why || !strcmp(why, "weekend")) && !working_weekend)
				continue;
			char s[11];
			date_format(day, s);
			html_raw_literal(&r->body, "<tr>");
			page_td(r, s);
			page_td(r, working_weekend ? _(r, "a working day (transfer)") : why);
			html_raw_literal(&r->body, "</tr>");
		}
		html_raw_literal(&r->body, "</tbody></table>");
	}
	if (web_can(r, (struct perm)PERM(UPDATE, CALENDAR)) &&
	    request_scope(r, (struct perm)PERM(UPDATE, CALENDAR)).scope != SCOPE_DISTRICT) {
		web_h2(r, "import", _(r, "Replace the calendar"));
		struct arena *a = &r->arena;
		struct calendar_row *rows;
		size_t n;
		struct buf text = BUF_INIT;
		if (!db_calendar_list(request_db(r), a, &rows, &n))
			for (size_t i = 0; i < n; i++)
				buf_printf(&text, "%s %s %s\n", rows[i].day, rows[i].kind, rows[i].name ? rows[i].name : "");
		form_begin(r, "/calendar");
		struct form_ctl t = {"text", _(r, "Calendar file"), CTL_TEXTAREA,
				     form_value(r, "text") ? form_value(r, "text") : text.ptr, NULL, 1,
				     _(r, "One line per day: DATE KIND NAME; DATE is YYYY-MM-DD or *-MM-DD; KIND is holiday, religious, dayoff or workday."),
				     NULL, 0};
		form_field(r, &t);
		form_end(r, _(r, "Replace"));
		buf_release(&text);
	}
	page_end(r, status);
}

void web_calendar(struct request *r)
{
	calendar_page(r, 200, NULL);
}

static void calendar_saved(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/calendar");
}

void web_calendar_import(struct request *r)
{
	if (r->in.nerrors) {
		calendar_page(r, 422, _(r, "Paste the calendar file."));
		return;
	}
	struct buf why = BUF_INIT;
	if (calendar_import_start(r, input_str(&r->in, "text"), calendar_saved, &why) == -1) {
		calendar_page(r, 422, arena_printf(&r->arena, "%s: %s", _(r, "The calendar was not changed"), why.ptr));
	}
	buf_release(&why);
}

/* ======================= break the glass ======================= */

const struct field web_access_fields[] = {
	{"reason", FT_TEXT, F_REQUIRED, 10, 1000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* Break the glass, for an appeal or a child: the route says which. */
static int for_child(struct request *r)
{
	return !strncmp(r->route->name, "child.", 6);
}

static void access_form(struct request *r, int status)
{
	page_begin(r, _(r, "Outside your scope"));
	page_notice(r, "info", _(r, "This record is outside your scope. You may open it for one hour if you give a reason; the access is recorded in the audit log and reviewed."));
	form_errors_summary(r);
	form_begin(r, arena_printf(&r->arena, "/%s/%lld/access", for_child(r) ? "children" : "appeals",
				   (long long)request_id(r, 0)));
	struct form_ctl reason = {"reason", _(r, "Reason"), CTL_TEXTAREA, form_value(r, "reason"), NULL, 1, NULL, NULL,
				  0};
	form_field(r, &reason);
	form_end(r, _(r, "Open the record"));
	page_end(r, status);
}

void web_access_page(struct request *r)
{
	access_form(r, 200);
}

static void access_granted(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/%s/%lld", for_child(r) ? "children" : "appeals",
					 (long long)request_id(r, 0)));
}

void web_access_grant(struct request *r)
{
	if (r->in.nerrors) {
		access_form(r, 422);
		return;
	}
	access_grant_start(r, for_child(r) ? "child" : "appeal", request_id(r, 0), input_str(&r->in, "reason"),
			   access_granted);
}
