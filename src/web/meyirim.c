/*
 * Pages for the Meyirim campaign: attachments (list, new, one with its
 * mentors, goals and contact log), the alerts, the campaign's figures, and
 * the home page's cards.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/time.h"
#include "domain/child.h"
#include "domain/deadlines.h"
#include "domain/meyirim.h"
#include "web/page.h"
#include "web/web.h"

struct label {
	const char *v, *label;
};

static const char *label_of(struct request *r, const struct label *l, const char *v)
{
	if (!v)
		return NULL;
	for (; l->v; l++)
		if (!strcmp(l->v, v))
			return _(r, l->label);
	return v;
}

const char *web_contact_kind_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"meeting", N_("meeting")},
		{"call", N_("call")},
		{"outing", N_("outing")},
		{"career_guidance", N_("career guidance")},
		{"study_help", N_("help with studies")},
		{"material_help", N_("material help")},
		{"holiday", N_("holiday")},
		{NULL, NULL},
	};
	return label_of(r, l, v);
}

static const char *area_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"education", N_("education")}, {"career", N_("career")}, {"skills", N_("skills")},
		{"health", N_("health")},	{"other", N_("other")},	  {NULL, NULL},
	};
	return label_of(r, l, v);
}

static const char *goal_status_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"agreed", N_("agreed")}, {"in_progress", N_("in progress")}, {"reached", N_("reached")},
		{"dropped", N_("dropped")}, {NULL, NULL},
	};
	return label_of(r, l, v);
}

static void translate_errors(struct request *r)
{
	for (size_t i = 0; i < r->in.nerrors; i++) {
		struct input_error *e = &r->in.errors[i];
		if (!strcmp(e->code, "in_future"))
			e->message = _(r, "This date is in the future.");
		else if (!strcmp(e->code, "before_start"))
			e->message = _(r, "This is before the attachment began.");
		else if (!strcmp(e->code, "invalid_phone"))
			e->message = _(r, "This is not a phone number.");
		else if (!strcmp(e->code, "not_found"))
			e->message = _(r, "It does not exist any more; choose again.");
		else if (!strcmp(e->code, "not_meyirim"))
			e->message = _(r, "Organisations of this kind do not take part in Meyirim.");
		else if (!strcmp(e->code, "inactive"))
			e->message = _(r, "This organisation is not active.");
		else if (!strcmp(e->code, "merged"))
			e->message = _(r, "This record was merged into another record of the same child.");
		else if (!strcmp(e->code, "ended"))
			e->message = _(r, "This attachment has ended.");
		else if (!strcmp(e->code, "invalid_transition"))
			e->message = _(r, "A goal that was reached or dropped does not move again.");
	}
}

static const char *refusal_text(struct request *r, const char *why)
{
	if (!strcmp(why, "already_attached"))
		return _(r, "The child has an active attachment already: end it before attaching the child elsewhere.");
	if (!strcmp(why, "child_merged"))
		return _(r, "This record was merged into another record of the same child.");
	if (!strcmp(why, "ended"))
		return _(r, "This attachment has ended.");
	if (!strcmp(why, "before_start"))
		return _(r, "This is before the attachment began.");
	if (!strcmp(why, "final"))
		return _(r, "A goal that was reached or dropped does not move again.");
	return _(r, "It does not exist any more; choose again.");
}

static void child_cell(struct request *r, const struct mentorship *m)
{
	html_raw_literal(&r->body, "<td><a href=\"/meyirim/");
	html_int(&r->body, m->id);
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, web_child_name(r, m->child_surname, m->child_given_name, m->child_patronymic));
	html_raw_literal(&r->body, "</a></td>");
}

static void mentorship_table(struct request *r, const struct mentorship *items, size_t n, const char *label)
{
	if (!n) {
		page_notice(r, "info", _(r, "None."));
		return;
	}
	page_scroll_begin(r, label);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Child"));
	page_th(r, _(r, "Organisation"));
	page_th(r, _(r, "District"));
	page_th(r, _(r, "Since"));
	page_th(r, _(r, "Last contact"));
	page_th(r, _(r, "Goals"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct mentorship *m = &items[i];
		html_raw_literal(&r->body, "<tr>");
		child_cell(r, m);
		page_td(r, web_org_label(r, m->organisation_name, m->organisation_name_ru));
		page_td(r, web_district_of(r, m->child_district_id));
		page_td(r, m->ended_on ? arena_printf(&r->arena, "%s – %s", m->started_on, m->ended_on) : m->started_on);
		page_td(r, m->last_contact_on);
		page_td(r, arena_printf(&r->arena, "%lld", (long long)m->goals));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
}

/* Organisations that take part in Meyirim, for a select. */
static struct option *meyirim_org_options(struct request *r)
{
	struct organisation *items;
	size_t n;
	if (db_org_list(request_db(r), NULL, &r->arena, &items, &n))
		n = 0;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!items[i].active || !meyirim_org_kind(items[i].kind))
			continue;
		o[k].value = web_id_text(r, items[i].id);
		o[k++].label = web_org_label(r, items[i].name, items[i].name_ru);
	}
	page_sort_options(r, o);
	return o;
}

/* ======================= the list ======================= */

const struct field web_meyirim_list_fields[] = {
	{"state", FT_ENUM, 0, 0, 0, (const char *const[]){"active", "ended", "all", NULL}},
	{"organisation_id", FT_ID, 0, 0, 0, NULL},
	{"after", FT_LINE, 0, 1, 200, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

enum { MEYIRIM_PAGE = 500 };

struct listing {
	struct actor who;
	struct mentorship *items;
	size_t n;
};

static int run_list_audit(struct db *db, struct write_job *job)
{
	struct listing *l = job->arg;
	char detail[32];
	snprintf(detail, sizeof(detail), "%zu rows", l->n);
	return audit_record(db, &l->who, "list", "mentorship", 0, detail);
}

static void list_shown(struct request *r, int status)
{
	struct listing *l = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	page_begin(r, _(r, "Meyirim"));
	html_raw_literal(&r->body, "<p class=\"actions\">");
	if (web_can(r, (struct perm)PERM(CREATE, MENTORSHIP))) {
		html_raw_literal(&r->body, "<a class=\"button\" href=\"/meyirim/new\">");
		html_text(&r->body, _(r, "Attach a child"));
		html_raw_literal(&r->body, "</a> ");
	}
	html_raw_literal(&r->body, "<a href=\"/meyirim/alerts\">");
	html_text(&r->body, _(r, "Alerts"));
	html_raw_literal(&r->body, "</a>");
	if (web_can(r, (struct perm)PERM(READ, REPORT))) {
		html_raw_literal(&r->body, " · <a href=\"/meyirim/campaign\">");
		html_text(&r->body, _(r, "The campaign in figures"));
		html_raw_literal(&r->body, "</a>");
	}
	form_get_begun(r);
	html_raw_literal(&r->body, "</p><form method=\"get\" action=\"/meyirim\" class=\"filters\">");
	const struct option states[] = {{"active", _(r, "active")}, {"ended", _(r, "ended")}, {"all", _(r, "all")},
					{0, 0}};
	struct form_ctl st = {"state", _(r, "Attachments"), CTL_SELECT, form_value(r, "state"), states, 0, NULL, NULL, 0};
	form_field(r, &st);
	if (r->user.role != ROLE_MENTOR_ORG) {
		struct form_ctl org = {"organisation_id", _(r, "Organisation"), CTL_SELECT, form_value(r, "organisation_id"),
				       meyirim_org_options(r), 0, NULL, NULL, 1};
		form_field(r, &org);
	}
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>");
	mentorship_table(r, l->items, l->n, NULL);
	/* A full page may have more after it: the next starts after its last attachment, with the same filters. */
	if (l->n == MEYIRIM_PAGE) {
		static const char *const keep[] = {"state", "organisation_id", NULL};
		const struct mentorship *last = &l->items[l->n - 1];
		page_next_link(r, "/meyirim",
			       name_cursor_text(&r->arena, last->child_surname_key, last->child_given_key, last->id), keep,
			       _(r, "Next page"));
	}
	page_end(r, 200);
}

void web_meyirim(struct request *r)
{
	struct listing *l = arena_zalloc(&r->arena, sizeof(*l));
	struct mentorship_scope s;
	const char *state = input_str(&r->in, "state");
	state = !state ? "active" : strcmp(state, "all") ? state : "";
	if (meyirim_scope_for(r, (struct perm)PERM(READ, MENTORSHIP), 0, input_int(&r->in, "organisation_id", 0), &s) == 0) {
		struct name_cursor after;
		name_cursor_parse(input_str(&r->in, "after"), &after); /* a bad cursor: the first page */
		int rc = db_mentorship_list(request_db(r), &s, state, &after, MEYIRIM_PAGE, &r->arena, &l->items, &l->n);
		if (rc) {
			respond_db_error(r, rc);
			return;
		}
	}
	request_actor(r, &l->who);
	r->ctx = l;
	request_write(r, run_list_audit, l, list_shown);
}

/* ======================= attach a child ======================= */

const struct field web_meyirim_new_fields[] = {
	{"child_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

struct attach_form {
	int status;
	const char *problem;
	const struct child *child; /* the child named by child_id, when the caller may see it */
};

static void draw_new(struct request *r, void *arg);

/*
 * The form names the child of child_id, for the worker to check, only when
 * the worker may see that child's record (READ CHILD in the caller's scope),
 * and after the read is audited: any other number stays a bare number.
 */
static void new_form(struct request *r, int status, const char *problem)
{
	struct attach_form *v = arena_zalloc(&r->arena, sizeof(*v));
	v->status = status;
	v->problem = problem;
	int64_t id = input_has(&r->in, "child_id") ? input_int(&r->in, "child_id", 0) : 0;
	struct child *c = arena_alloc(&r->arena, sizeof(*c));
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, CHILD));
	int visible = 0, grant = 0;
	if (id > 0 && db_child_get(request_db(r), id, &r->arena, c) == DB_OK &&
	    child_visible(request_db(r), &f, c, time_now(), &visible, &grant) == DB_OK && visible && !grant) {
		v->child = c;
		api_audit_then(r, "read", "child", &c->id, 1, "attach form", draw_new, v);
		return;
	}
	draw_new(r, v);
}

static void draw_new(struct request *r, void *arg)
{
	struct attach_form *v = arg;
	int status = v->status;
	const char *problem = v->problem;
	page_begin(r, _(r, "Attach a child to an organisation"));
	if (problem)
		page_notice(r, "error", problem);
	form_errors_summary(r);
	form_begin(r, "/meyirim/new");
	char today[11];
	today_text(today);
	const char *child = form_value(r, "child_id");
	if (v->child) {
		html_raw_literal(&r->body, "<p class=\"lead\">");
		html_text(&r->body, web_child_name(r, v->child->surname, v->child->given_name, v->child->patronymic));
		html_raw_literal(&r->body, "</p>");
	}
	struct form_ctl ctls[] = {
		{"child_id", _(r, "Number of the child's record"), CTL_NUMBER, child, NULL, 1, NULL, NULL, 0},
		{"organisation_id", _(r, "Organisation"), CTL_SELECT, form_value(r, "organisation_id"),
		 meyirim_org_options(r), 1, NULL, NULL, 1},
		{"started_on", _(r, "Since"), CTL_DATE, form_value(r, "started_on") ? form_value(r, "started_on") : today, NULL,
		 1, NULL, NULL, 0},
	};
	for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
		form_field(r, &ctls[i]);
	for (int i = 0; i < 3; i++) {
		html_raw_literal(&r->body, "<fieldset><legend>");
		html_text(&r->body, page_with_number(r, _(r, "Mentor {n}"), i + 1));
		html_raw_literal(&r->body, "</legend>");
		const char *name = arena_printf(&r->arena, "mentors.%d.name", i);
		const char *pos = arena_printf(&r->arena, "mentors.%d.position", i);
		const char *phone = arena_printf(&r->arena, "mentors.%d.phone", i);
		struct form_ctl m[] = {
			{name, _(r, "Full name"), CTL_TEXT, form_value(r, name), NULL, i == 0, NULL, "off", 0},
			{pos, _(r, "Position"), CTL_TEXT, form_value(r, pos), NULL, 0, NULL, NULL, 0},
			{phone, _(r, "Phone"), CTL_TEL, form_value(r, phone), NULL, 0, NULL, "off", 0},
		};
		for (size_t k = 0; k < 3; k++)
			form_field(r, &m[k]);
		html_raw_literal(&r->body, "</fieldset>");
	}
	for (int i = 0; i < 3; i++) {
		html_raw_literal(&r->body, "<fieldset><legend>");
		html_text(&r->body, page_with_number(r, _(r, "Goal {n}"), i + 1));
		html_raw_literal(&r->body, "</legend>");
		const char *area = arena_printf(&r->arena, "goals.%d.area", i);
		const char *desc = arena_printf(&r->arena, "goals.%d.description", i);
		struct form_ctl g[] = {
			{area, _(r, "Area"), CTL_SELECT, form_value(r, area), web_options(r, goal_areas, area_label), 0, NULL,
			 NULL, 1},
			{desc, _(r, "Goal agreed with the child"), CTL_TEXT, form_value(r, desc), NULL, 0, NULL, NULL, 0},
		};
		form_field(r, &g[0]);
		form_field(r, &g[1]);
		html_raw_literal(&r->body, "</fieldset>");
	}
	form_end(r, _(r, "Attach"));
	page_end(r, status);
}

void web_meyirim_new(struct request *r)
{
	new_form(r, 200, NULL);
}

static void page_job_done(struct request *r, int status)
{
	struct meyirim_job *mj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	const char *why = meyirim_job_refusal(mj);
	if (why) {
		if (!meyirim_job_id(mj)) {
			new_form(r, 409, refusal_text(r, why));
			return;
		}
		respond_redirect(r, arena_printf(&r->arena, "/meyirim/%lld?refused=%s", (long long)meyirim_job_id(mj), why));
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/meyirim/%lld?saved=1", (long long)meyirim_job_id(mj)));
}

void web_meyirim_create(struct request *r)
{
	struct meyirim_job *mj = meyirim_attach_job(r);
	if (!mj)
		return;
	if (r->in.nerrors) {
		translate_errors(r);
		new_form(r, 422, NULL);
		return;
	}
	meyirim_start(r, mj, page_job_done);
}

/* ======================= one attachment ======================= */

static void mentors_section(struct request *r, const struct mentorship *m, const struct mentorship_details *d)
{
	web_h2(r, "mentors", _(r, "Mentors"));
	html_raw_literal(&r->body, "<ul>");
	for (size_t i = 0; i < d->nmentors; i++) {
		const struct mentor *mt = &d->mentors[i];
		if (mt->active)
			html_raw_literal(&r->body, "<li>");
		else
			html_raw_literal(&r->body, "<li class=\"muted\">");
		html_text(&r->body, mt->name);
		if (mt->position) {
			html_raw_literal(&r->body, ", ");
			html_text(&r->body, mt->position);
		}
		if (mt->phone) {
			html_raw_literal(&r->body, " · ");
			html_text(&r->body, mt->phone);
		}
		html_raw_literal(&r->body, "</li>");
	}
	html_raw_literal(&r->body, "</ul>");
	if (!m->ended_on && web_can(r, (struct perm)PERM(UPDATE, MENTORSHIP))) {
		html_raw_literal(&r->body, "<details><summary>");
		html_text(&r->body, _(r, "Add a mentor"));
		html_raw_literal(&r->body, "</summary>");
		form_begin(r, arena_printf(&r->arena, "/meyirim/%lld/mentors", (long long)m->id));
		struct form_ctl c[] = {
			{"name", _(r, "Full name"), CTL_TEXT, form_value(r, "name"), NULL, 1, NULL, "off", 0},
			{"position", _(r, "Position"), CTL_TEXT, form_value(r, "position"), NULL, 0, NULL, NULL, 0},
			{"phone", _(r, "Phone"), CTL_TEL, form_value(r, "phone"), NULL, 0, NULL, "off", 0},
		};
		for (size_t i = 0; i < 3; i++)
			form_field(r, &c[i]);
		form_end(r, _(r, "Add"));
		html_raw_literal(&r->body, "</details>");
	}
}

static void goals_section(struct request *r, const struct mentorship *m, const struct mentorship_details *d)
{
	web_h2(r, "goals", _(r, "Goals"));
	int may = !m->ended_on && web_can(r, (struct perm)PERM(UPDATE, MENTORSHIP));
	if (!d->ngoals)
		page_notice(r, "info", _(r, "No goal agreed yet."));
	for (size_t i = 0; i < d->ngoals; i++) {
		const struct goal *g = &d->goals[i];
		html_raw_literal(&r->body, "<section class=\"goal\"><h3>");
		html_text(&r->body, area_label(r, g->area));
		html_raw_literal(&r->body, ": ");
		html_text(&r->body, g->description);
		html_raw_literal(&r->body, " ");
		web_badge(r, "status", goal_status_label(r, g->status));
		html_raw_literal(&r->body, "</h3><ul>");
		for (size_t k = 0; k < d->nnotes; k++) {
			if (d->notes[k].goal_id != g->id)
				continue;
			struct buf t = BUF_INIT;
			page_time(&t, d->notes[k].at);
			html_raw_literal(&r->body, "<li>");
			html_text(&r->body, t.ptr);
			buf_release(&t);
			html_raw_literal(&r->body, " · ");
			html_text(&r->body, d->notes[k].user_name ? d->notes[k].user_name : "—");
			if (d->notes[k].status) {
				html_raw_literal(&r->body, " · ");
				html_text(&r->body, goal_status_label(r, d->notes[k].status));
			}
			html_raw_literal(&r->body, ": ");
			html_text(&r->body, d->notes[k].note);
			html_raw_literal(&r->body, "</li>");
		}
		html_raw_literal(&r->body, "</ul>");
		html_raw_literal(&r->body, "</section>");
	}
	/* Progress: one form for every goal still open (ids stay unique on the page). */
	size_t open = 0;
	for (size_t i = 0; i < d->ngoals; i++)
		open += !strcmp(d->goals[i].status, "agreed") || !strcmp(d->goals[i].status, "in_progress");
	if (may && open) {
		struct option *goals = arena_zalloc(&r->arena, (open + 1) * sizeof(*goals));
		size_t k = 0;
		for (size_t i = 0; i < d->ngoals; i++) {
			const struct goal *g = &d->goals[i];
			if (strcmp(g->status, "agreed") && strcmp(g->status, "in_progress"))
				continue;
			goals[k].value = web_id_text(r, g->id);
			goals[k++].label = arena_printf(&r->arena, "%s: %s", area_label(r, g->area), g->description);
		}
		html_raw_literal(&r->body, "<h3>");
		html_text(&r->body, _(r, "Record progress"));
		html_raw_literal(&r->body, "</h3>");
		form_begin(r, arena_printf(&r->arena, "/meyirim/%lld/progress", (long long)m->id));
		struct form_ctl c[] = {
			{"goal_id", _(r, "Goal"), CTL_SELECT, form_value(r, "goal_id"), goals, 1, NULL, NULL, 1},
			{"status", _(r, "Status"), CTL_SELECT, form_value(r, "status"),
			 web_options(r, goal_statuses, goal_status_label), 0, NULL, NULL, 1},
			{"note", _(r, "Progress note"), CTL_TEXT, form_value(r, "note"), NULL, 1, NULL, NULL, 0},
		};
		for (size_t i = 0; i < 3; i++)
			form_field(r, &c[i]);
		form_end(r, _(r, "Save"));
	}
	if (may) {
		html_raw_literal(&r->body, "<details><summary>");
		html_text(&r->body, _(r, "Agree a new goal"));
		html_raw_literal(&r->body, "</summary>");
		form_begin(r, arena_printf(&r->arena, "/meyirim/%lld/goals", (long long)m->id));
		struct form_ctl area = {"area", _(r, "Area"), CTL_SELECT, form_value(r, "area"),
					web_options(r, goal_areas, area_label), 1, NULL, NULL, 1};
		struct form_ctl desc = {"description", _(r, "Goal agreed with the child"), CTL_TEXT,
					form_value(r, "description"), NULL, 1, NULL, NULL, 0};
		form_field(r, &area);
		form_field(r, &desc);
		form_end(r, _(r, "Add"));
		html_raw_literal(&r->body, "</details>");
	}
}

static void contacts_section(struct request *r, const struct mentorship *m, const struct mentorship_details *d)
{
	if (!web_can(r, (struct perm)PERM(READ, CONTACT)))
		return;
	web_h2(r, "contacts", _(r, "Contacts"));
	if (!m->ended_on && web_can(r, (struct perm)PERM(CREATE, CONTACT))) {
		char today[11];
		today_text(today);
		form_begin(r, arena_printf(&r->arena, "/meyirim/%lld/contacts", (long long)m->id));
		struct form_ctl c[] = {
			{"contact_on", _(r, "Date"), CTL_DATE, form_value(r, "contact_on") ? form_value(r, "contact_on") : today,
			 NULL, 1, NULL, NULL, 0},
			{"kind", _(r, "Kind of contact"), CTL_SELECT, form_value(r, "kind"),
			 web_options(r, contact_kinds, web_contact_kind_label), 1, NULL, NULL, 1},
			{"participants", _(r, "Who took part"), CTL_TEXT, form_value(r, "participants"), NULL, 0, NULL, NULL, 0},
			{"notes", _(r, "Notes"), CTL_TEXTAREA, form_value(r, "notes"), NULL, 0, NULL, NULL, 0},
			{"next_step", _(r, "Next step"), CTL_TEXT, form_value(r, "next_step"), NULL, 0, NULL, NULL, 0},
		};
		for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
			form_field(r, &c[i]);
		form_end(r, _(r, "Log the contact"));
	}
	if (!d->ncontacts) {
		page_notice(r, "info", _(r, "No contact logged yet."));
		return;
	}
	page_scroll_begin(r, NULL);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Date"));
	page_th(r, _(r, "Kind of contact"));
	page_th(r, _(r, "Who took part"));
	page_th(r, _(r, "Notes"));
	page_th(r, _(r, "Next step"));
	page_th(r, _(r, "Logged by"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < d->ncontacts; i++) {
		const struct mentor_contact *k = &d->contacts[i];
		html_raw_literal(&r->body, "<tr>");
		page_td(r, k->contact_on);
		page_td(r, web_contact_kind_label(r, k->kind));
		page_td(r, k->participants);
		page_td(r, k->notes);
		page_td(r, k->next_step);
		page_td(r, k->created_by_name);
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
}

static void mentorship_page(struct request *r, const struct mentorship *m, const struct mentorship_details *d,
			    int status, const char *problem, const char *done)
{
	page_begin(r, web_child_name(r, m->child_surname, m->child_given_name, m->child_patronymic));
	if (problem)
		page_notice(r, "error", problem);
	else if (done)
		page_notice(r, "ok", done);
	form_errors_summary(r);
	html_raw_literal(&r->body, "<p class=\"lead\">");
	web_badge(r, "status", m->ended_on ? _(r, "ended") : _(r, "active"));
	html_raw_literal(&r->body, "</p><table class=\"facts\">");
	html_raw_literal(&r->body, "<tr><th scope=\"row\">");
	html_text(&r->body, _(r, "Child"));
	html_raw_literal(&r->body, "</th><td>");
	if (web_can(r, (struct perm)PERM(READ, CHILD))) {
		html_raw_literal(&r->body, "<a href=\"/children/");
		html_int(&r->body, m->child_id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, web_child_name(r, m->child_surname, m->child_given_name, m->child_patronymic));
		html_raw_literal(&r->body, "</a>");
	} else {
		html_text(&r->body, web_child_name(r, m->child_surname, m->child_given_name, m->child_patronymic));
	}
	html_raw_literal(&r->body, "</td></tr>");
	web_fact(r, _(r, "Care status"), web_care_status_label(r, m->child_care_status));
	web_fact(r, _(r, "Organisation"), web_org_label(r, m->organisation_name, m->organisation_name_ru));
	web_fact(r, _(r, "Since"), m->started_on);
	web_fact(r, _(r, "Ended on"), m->ended_on);
	web_fact(r, _(r, "Why it ended"), m->end_reason);
	web_fact(r, _(r, "Last contact"), m->last_contact_on);
	html_raw_literal(&r->body, "</table>");
	mentors_section(r, m, d);
	goals_section(r, m, d);
	contacts_section(r, m, d);
	if (!m->ended_on && web_can(r, (struct perm)PERM(CLOSE, MENTORSHIP))) {
		web_h2(r, "end", _(r, "End the attachment"));
		form_begin(r, arena_printf(&r->arena, "/meyirim/%lld/end", (long long)m->id));
		struct form_ctl on = {"ended_on", _(r, "Ended on"), CTL_DATE, form_value(r, "ended_on"), NULL, 0, NULL, NULL,
				      0};
		struct form_ctl why = {"reason", _(r, "Why"), CTL_TEXTAREA, form_value(r, "reason"), NULL, 1, NULL, NULL, 0};
		form_field(r, &on);
		form_field(r, &why);
		form_end(r, _(r, "End"));
	}
	page_end(r, status);
}

struct shown_again {
	struct mentorship m;
	struct mentorship_details d;
	int status;
	const char *problem;
};

static void draw_again(struct request *r, void *arg)
{
	struct shown_again *g = arg;
	mentorship_page(r, &g->m, &g->d, g->status, g->problem, NULL);
}

/* Show the attachment again (after a refused or invalid change), after an audited read: it is all of the attachment. */
static void reshow(struct request *r, int64_t id, int status, const char *problem)
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
	translate_errors(r);
	struct shown_again *g = arena_zalloc(&r->arena, sizeof(*g));
	g->m = m;
	g->d = d;
	g->status = status;
	g->problem = problem;
	api_audit_then(r, "read", "mentorship", &g->m.id, 1, "form shown again", draw_again, g);
}

struct view {
	struct actor who;
	struct mentorship m;
	struct mentorship_details d;
	const char *problem;
	int saved;
};

static int run_view_audit(struct db *db, struct write_job *job)
{
	struct view *v = job->arg;
	return mentorship_audit_read(db, &v->who, v->m.id);
}

static void viewed(struct request *r, int status)
{
	struct view *v = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	mentorship_page(r, &v->m, &v->d, 200, v->problem, v->saved ? _(r, "Saved.") : NULL);
}

const struct field web_mentorship_view_fields[] = {
	{"refused", FT_ENUM, 0, 0, 0,
	 (const char *const[]){"already_attached", "child_merged", "not_found", "ended", "before_start", "final", NULL}},
	{"saved", FT_BOOL, 0, 0, 0, NULL}, /* after a change made from the page: say it was done */
	{NULL, 0, 0, 0, 0, NULL},
};

void web_mentorship(struct request *r)
{
	struct view *v = arena_zalloc(&r->arena, sizeof(*v));
	if (mentorship_load_for(r, request_id(r, 0), (struct perm)PERM(READ, MENTORSHIP), &v->m) < 0)
		return;
	int rc = mentorship_details(r, v->m.id, &v->d);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	const char *refused = input_str(&r->in, "refused");
	v->problem = refused ? refusal_text(r, refused) : NULL;
	v->saved = input_int(&r->in, "saved", 0) != 0;
	request_actor(r, &v->who);
	r->ctx = v;
	request_write(r, run_view_audit, v, viewed);
}

void web_mentorship_action(struct request *r)
{
	const char *act = strchr(r->route->name, '.') + 1; /* meyirim.contact, meyirim.mentor, … */
	int64_t id = request_id(r, 0);
	if (r->in.nerrors) {
		struct mentorship m;
		if (mentorship_load_for(r, id, (struct perm)PERM(READ, MENTORSHIP), &m) < 0)
			return;
		reshow(r, id, 422, NULL);
		return;
	}
	struct meyirim_job *mj = !strcmp(act, "contact")	 ? meyirim_contact_job(r, id)
				 : !strcmp(act, "mentor") ? meyirim_mentor_job(r, id)
				 : !strcmp(act, "goal")	  ? meyirim_goal_job(r, id)
							  : meyirim_end_job(r, id);
	if (!mj)
		return;
	if (r->in.nerrors) {
		reshow(r, id, 422, NULL);
		return;
	}
	meyirim_start(r, mj, page_job_done);
}

const struct field web_goal_progress_fields[] = {
	{"goal_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{"status", FT_ENUM, 0, 0, 0, goal_statuses},
	{"note", FT_TEXT, F_REQUIRED, 2, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void web_goal_progress(struct request *r)
{
	int64_t id = request_id(r, 0);
	struct mentorship m;
	if (mentorship_load_for(r, id, (struct perm)PERM(UPDATE, MENTORSHIP), &m) < 0)
		return;
	struct goal g;
	int rc = r->in.nerrors ? DB_OK : db_goal_get(request_db(r), input_int(&r->in, "goal_id", 0), &r->arena, &g);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return;
	}
	if (!r->in.nerrors && (rc == DB_NOTFOUND || g.mentorship_id != id))
		input_error(&r->in, &r->arena, "goal_id", "not_found", "no such goal");
	struct meyirim_job *mj = r->in.nerrors ? NULL : meyirim_goal_progress_job(r, g.id);
	if (!mj && !r->in.nerrors)
		return;
	if (r->in.nerrors) {
		reshow(r, id, 422, NULL);
		return;
	}
	meyirim_start(r, mj, page_job_done);
}

/* ======================= alerts, figures, home ======================= */

struct alerts_view {
	struct actor who;
	struct meyirim_alerts a;
};

static int run_alerts_audit(struct db *db, struct write_job *job)
{
	struct alerts_view *v = job->arg;
	char detail[48];
	snprintf(detail, sizeof(detail), "alerts, %zu rows", v->a.nno_contact + v->a.nno_goal + v->a.nunattached);
	return audit_record(db, &v->who, "list", "mentorship", 0, detail);
}

static void alerts_shown(struct request *r, int status)
{
	struct alerts_view *v = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct meyirim_alerts *a = &v->a;
	page_begin(r, _(r, "Meyirim alerts"));
	const char *no_contact = page_with_number(r, _(r, "No contact for {n} days"), a->days);
	web_h2(r, "no-contact", no_contact);
	mentorship_table(r, a->no_contact, a->nno_contact, no_contact);
	web_h2(r, "no-goal", _(r, "No goal agreed"));
	mentorship_table(r, a->no_goal, a->nno_goal, _(r, "No goal agreed"));
	if (a->sees_unattached) {
		const char *unattached = _(r, "Orphans and children without parental care with no attachment");
		web_h2(r, "unattached", unattached);
		web_child_table(r, a->unattached, a->nunattached, unattached);
	}
	page_end(r, 200);
}

/* The lists name children: on record before they are shown. */
void web_meyirim_alerts(struct request *r)
{
	struct alerts_view *v = arena_zalloc(&r->arena, sizeof(*v));
	int rc = meyirim_alerts_for(r, meyirim_alert_days(r), &v->a);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &v->who);
	r->ctx = v;
	request_write(r, run_alerts_audit, v, alerts_shown);
}

static void figure_table(struct request *r, const char *title, const char *key_label, const struct figure_row *rows,
			 size_t n, const char *(*label)(struct request *, const char *), int by_district,
			 const char *second)
{
	web_h2(r, arena_printf(&r->arena, "f%zu", r->body.len), title);
	if (!n) {
		page_notice(r, "info", _(r, "None."));
		return;
	}
	page_scroll_begin(r, title);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, key_label);
	page_th(r, _(r, "Count"));
	if (second)
		page_th(r, second);
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		html_raw_literal(&r->body, "<tr>");
		page_td(r, by_district ? web_district_of(r, rows[i].key_id) : label ? label(r, rows[i].key) : rows[i].key);
		page_td(r, page_count(r, rows[i].n));
		if (second)
			page_td(r, page_count(r, rows[i].m));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
}

void web_meyirim_campaign(struct request *r)
{
	struct meyirim_campaign c;
	int rc = meyirim_campaign_for(r, &c);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	page_begin(r, _(r, "The campaign in figures"));
	html_raw_literal(&r->body, "<ul class=\"cards\"><li><span class=\"count\">");
	html_int(&r->body, c.attached);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, _(r, "Children attached"));
	html_raw_literal(&r->body, "</strong></li><li><span class=\"count\">");
	html_int(&r->body, c.goals_reached);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, page_with_number(r, _(r, "Goals reached, of {n}"), c.goals_total));
	html_raw_literal(&r->body, "</strong></li></ul>");
	figure_table(r, _(r, "Children attached, by kind of organisation"), _(r, "Kind of organisation"), c.by_kind,
		     c.nby_kind, web_org_kind_label, 0, NULL);
	figure_table(r, _(r, "Children attached, by district"), _(r, "District"), c.by_district, c.nby_district, NULL, 1,
		     NULL);
	figure_table(r, _(r, "Contacts per month"), _(r, "Month"), c.contacts, c.ncontacts, NULL, 0, NULL);
	figure_table(r, _(r, "Goals by area"), _(r, "Area"), c.goals, c.ngoals, area_label, 0, _(r, "Reached"));
	page_end(r, 200);
}

void web_meyirim_home(struct request *r)
{
	if (!web_can(r, (struct perm)PERM(READ, MENTORSHIP)))
		return;
	struct meyirim_alerts a;
	if (meyirim_alerts_for(r, meyirim_alert_days(r), &a) || !a.visible)
		return;
	html_raw_literal(&r->body, "<h2>");
	html_text(&r->body, _(r, "Meyirim"));
	html_raw_literal(&r->body, "</h2><ul class=\"cards\"><li><a href=\"/meyirim/alerts#no-contact\"><span class=\"count\">");
	html_int(&r->body, (int64_t)a.nno_contact);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, page_with_number(r, _(r, "No contact for {n} days"), a.days));
	html_raw_literal(&r->body, "</strong></a></li><li><a href=\"/meyirim/alerts#no-goal\"><span class=\"count\">");
	html_int(&r->body, (int64_t)a.nno_goal);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, _(r, "No goal agreed"));
	html_raw_literal(&r->body, "</strong></a></li>");
	if (a.sees_unattached) {
		html_raw_literal(&r->body, "<li><a href=\"/meyirim/alerts#unattached\"><span class=\"count\">");
		html_int(&r->body, (int64_t)a.nunattached);
		html_raw_literal(&r->body, "</span><strong>");
		html_text(&r->body, _(r, "Waiting for an attachment"));
		html_raw_literal(&r->body, "</strong></a></li>");
	}
	html_raw_literal(&r->body, "</ul>");
}
