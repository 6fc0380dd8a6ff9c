/*
 * Pages for the prevention programme: the lesson schedule as a month
 * calendar (region, school or lecturer), a lesson with its outcome, new
 * lessons, schools, lecturers with the prosecutor's approvals and their
 * calendar feed, prevention events, and the programme's coverage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/time.h"
#include "domain/deadlines.h"
#include "domain/prevention.h"
#include "text/collate.h"
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

const char *web_topic_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"bullying", N_("bullying")},
		{"violence", N_("violence")},
		{"cyber_safety", N_("cyber safety")},
		{"offences", N_("offences and responsibility")},
		{"drugs", N_("drugs")},
		{"road_safety", N_("road safety")},
		{"other", N_("other")},
		{NULL, NULL},
	};
	return label_of(r, l, v);
}

static const char *agency_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"police", N_("police")},
		{"juvenile_police", N_("juvenile police")},
		{"prosecutor", N_("prosecutor's office")},
		{"justice", N_("justice")},
		{"emergency", N_("emergency service")},
		{"other", N_("other")},
		{NULL, NULL},
	};
	return label_of(r, l, v);
}

static const char *lesson_status_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"planned", N_("planned")}, {"held", N_("held")}, {"cancelled", N_("cancelled")}, {NULL, NULL}};
	return label_of(r, l, v);
}

const char *web_event_kind_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"lecture", N_("lecture")},
		{"training", N_("training")},
		{"parents_meeting", N_("parents' meeting")},
		{"campaign", N_("campaign")},
		{"sports_cultural", N_("sports or cultural event")},
		{"online", N_("online event")},
		{NULL, NULL},
	};
	return label_of(r, l, v);
}

static const char *organiser_label(struct request *r, const char *v)
{
	static const struct label l[] = {
		{"support_centre", N_("the support centre")},
		{"department", N_("the children's-rights department")},
		{"school", N_("a school")},
		{"police", N_("police")},
		{"prosecutor", N_("prosecutor's office")},
		{"ombudsman", N_("the commissioner")},
		{"other", N_("other")},
		{NULL, NULL},
	};
	return label_of(r, l, v);
}

static void translate_errors(struct request *r)
{
	for (size_t i = 0; i < r->in.nerrors; i++) {
		struct input_error *e = &r->in.errors[i];
		static const struct label codes[] = {
			{"in_past", N_("This is in the past.")},
			{"in_future", N_("This date is in the future.")},
			{"too_far", N_("This is more than two years ahead.")},
			{"not_found", N_("It does not exist any more; choose again.")},
			{"not_in_programme", N_("This school does not take part in the programme.")},
			{"above_school_size", N_("More than the school's pupils.")},
			{"invalid_phone", N_("This is not a phone number.")},
			{"invalid_email", N_("This is not an e-mail address.")},
			{"not_lecturer", N_("This is not a lecturer's account.")},
			{"before_order", N_("This is before the order's date.")},
			{"outside_scope", N_("This is outside your district.")},
			{"invalid", N_("This value is not valid.")},
			{NULL, NULL},
		};
		for (const struct label *c = codes; c->v; c++)
			if (!strcmp(c->v, e->code))
				e->message = _(r, c->label);
	}
}

static const char *refusal_text(struct request *r, const char *why)
{
	static const struct label l[] = {
		{"not_approved", N_("The lecturer has no approval of the prosecutor's office valid on that day.")},
		{"lecturer_busy", N_("The lecturer has another lesson at that time.")},
		{"class_busy", N_("This class has another lesson at that time.")},
		{"not_planned", N_("The lesson was held or cancelled already.")},
		{"in_future", N_("A lesson that has not begun cannot be recorded as held.")},
		{"above_class_size", N_("More pupils attended than the class has.")},
		{"nothing_to_revoke", N_("The lecturer has no approval in force.")},
		{NULL, NULL},
	};
	const char *t = label_of(r, l, why);
	return t && t != why ? t : _(r, "It does not exist any more; choose again.");
}

static struct option *school_options(struct request *r)
{
	struct school *items;
	size_t n;
	if (school_list_for(r, 0, "yes", &items, &n))
		n = 0;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		o[i].value = web_id_text(r, items[i].id);
		o[i].label = web_org_label(r, items[i].name, items[i].name_ru);
	}
	page_sort_options(r, o);
	return o;
}

static struct option *lecturer_options(struct request *r, int approved_only)
{
	struct lecturer *items;
	size_t n;
	char today[11];
	today_text(today);
	if (db_lecturer_list(request_db(r), &r->arena, &items, &n))
		n = 0;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (approved_only && !lecturer_approved(&items[i], today))
			continue;
		o[k].value = web_id_text(r, items[i].id);
		o[k++].label = arena_printf(&r->arena, "%s (%s)", items[i].full_name, agency_label(r, items[i].agency));
	}
	return o;
}

static void time_range(struct request *r, const struct lesson *l)
{
	struct buf t = BUF_INIT;
	page_time(&t, l->starts_at);
	html_text(&r->body, t.ptr);
	buf_release(&t);
	html_raw_literal(&r->body, "–");
	struct buf e = BUF_INIT;
	page_time(&e, l->ends_at);
	html_text(&r->body, e.len > 5 ? e.ptr + e.len - 5 : e.ptr);
	buf_release(&e);
}

static void nav_links(struct request *r)
{
	static const struct {
		const char *href, *label;
		struct perm perm;
	} links[] = {
		{"/lessons", N_("Lessons"), PERM(READ, LESSON)},
		{"/lessons/new", N_("Schedule a lesson"), PERM(CREATE, LESSON)},
		{"/schools", N_("Schools"), PERM(READ, SCHOOL)},
		{"/lecturers", N_("Lecturers"), PERM(READ, LECTURER)},
		{"/events", N_("Prevention events"), PERM(READ, EVENT)},
		{"/programme", N_("Coverage"), PERM(READ, REPORT)},
	};
	html_raw_literal(&r->body, "<p class=\"actions\">");
	int first = 1;
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		if (!web_can(r, links[i].perm))
			continue;
		if (!first)
			html_raw_literal(&r->body, " · ");
		first = 0;
		html_raw_literal(&r->body, "<a href=\"");
		html_attr(&r->body, links[i].href);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, _(r, links[i].label));
		html_raw_literal(&r->body, "</a>");
	}
	html_raw_literal(&r->body, "</p>");
}

/* ======================= the schedule ======================= */

const struct field web_lessons_fields[] = {
	{"month", FT_LINE, 0, 7, 7, NULL},
	{"school_id", FT_ID, 0, 0, 0, NULL},
	{"lecturer_id", FT_ID, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static void lesson_link(struct request *r, const struct lesson *l)
{
	html_raw_literal(&r->body, "<a href=\"/lessons/");
	html_int(&r->body, l->id);
	html_raw_literal(&r->body, "\">");
	struct buf t = BUF_INIT;
	page_time(&t, l->starts_at);
	html_text(&r->body, t.len > 5 ? t.ptr + t.len - 5 : t.ptr);
	buf_release(&t);
	html_raw_literal(&r->body, " ");
	html_text(&r->body, l->class_name);
	html_raw_literal(&r->body, " · ");
	html_text(&r->body, web_org_label(r, l->school_name, l->school_name_ru));
	html_raw_literal(&r->body, "</a>");
	if (l->flagged) {
		html_raw_literal(&r->body, " ");
		web_badge(r, "overdue", _(r, "no approval"));
	} else if (strcmp(l->status, "planned")) {
		html_raw_literal(&r->body, " ");
		web_badge(r, "status", lesson_status_label(r, l->status));
	}
}

void web_lessons(struct request *r)
{
	char today[11];
	today_text(today);
	int y = 0, m = 0;
	const char *month = input_str(&r->in, "month");
	if (!month || sscanf(month, "%4d-%2d", &y, &m) != 2 || y < 2000 || y > 2100 || m < 1 || m > 12)
		sscanf(today, "%4d-%2d", &y, &m);
	int64_t first = days_from_civil(y, m, 1), ndays = days_in_month(y, m);
	char from[11], to[11];
	date_format(first, from);
	date_format(first + ndays - 1, to);
	struct lesson_filter f;
	memset(&f, 0, sizeof(f));
	f.from = prevention_day_start(from);
	f.to = prevention_day_start(to) + 86400;
	f.school_id = input_int(&r->in, "school_id", 0);
	f.lecturer_id = input_int(&r->in, "lecturer_id", 0);
	f.district_id = input_int(&r->in, "district_id", 0);
	f.limit = 2000;
	struct lesson *items;
	size_t n;
	int rc = lesson_list_for(r, &f, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	char title[32];
	snprintf(title, sizeof(title), "%04d-%02d", y, m);
	page_begin(r, arena_printf(&r->arena, "%s: %s", _(r, "Lessons"), title));
	nav_links(r);
	/* Filters and the months either side. */
	form_get_begun(r);
	html_raw_literal(&r->body, "<form method=\"get\" action=\"/lessons\" class=\"filters\">");
	struct form_ctl mon = {"month", _(r, "Month"), CTL_TEXT, title, NULL, 0, _(r, "Year and month: YYYY-MM"), NULL, 0};
	form_field(r, &mon);
	if (r->user.role != ROLE_SCHOOL) {
		struct form_ctl s = {"school_id", _(r, "School"), CTL_SELECT, form_value(r, "school_id"), school_options(r), 0,
				     NULL, NULL, 1};
		form_field(r, &s);
	}
	if (r->user.role != ROLE_LECTURER) {
		struct form_ctl l = {"lecturer_id", _(r, "Lecturer"), CTL_SELECT, form_value(r, "lecturer_id"),
				     lecturer_options(r, 0), 0, NULL, NULL, 1};
		form_field(r, &l);
		struct form_ctl d = {"district_id", _(r, "District"), CTL_SELECT, form_value(r, "district_id"),
				     web_district_options(r), 0, NULL, NULL, 1};
		form_field(r, &d);
	}
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>");
	size_t flagged = 0;
	for (size_t i = 0; i < n; i++)
		flagged += items[i].flagged;
	if (flagged)
		page_notice(r, "error", page_with_number(r, _(r, "{n} planned lessons have a lecturer whose approval has lapsed or was revoked."), (long long)flagged));
	if (!n)
		page_notice(r, "info", _(r, "No lessons this month."));
	/* The month: weeks from Monday, each day with its lessons. */
	static const char *const weekdays[] = {N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"),
					       N_("Sun")};
	page_scroll_begin(r, NULL);
	html_raw_literal(&r->body, "<table class=\"month\"><thead><tr>");
	for (int d = 0; d < 7; d++)
		page_th(r, _(r, weekdays[d]));
	html_raw_literal(&r->body, "</tr></thead><tbody><tr>");
	int lead = weekday_from_days(first);
	for (int d = 0; d < lead; d++)
		html_raw_literal(&r->body, "<td></td>");
	size_t at = 0;
	for (int64_t d = 0; d < ndays; d++) {
		if ((lead + d) % 7 == 0 && d)
			html_raw_literal(&r->body, "</tr><tr>");
		char date[11];
		date_format(first + d, date);
		/* The weekday on each day too: a phone shows the month as a list of its days with lessons. */
		html_raw_literal(&r->body, "<td data-label=\"");
		html_attr(&r->body, _(r, weekdays[(lead + d) % 7]));
		html_raw_literal(&r->body, "\"><span class=\"day\">");
		html_int(&r->body, d + 1);
		html_raw_literal(&r->body, "</span><ul>");
		for (; at < n && strcmp(items[at].lesson_on, date) <= 0; at++) {
			if (strcmp(items[at].lesson_on, date))
				continue;
			html_raw_literal(&r->body, "<li>");
			lesson_link(r, &items[at]);
			html_raw_literal(&r->body, "</li>");
		}
		html_raw_literal(&r->body, "</ul></td>");
	}
	for (int d = (int)((lead + ndays) % 7); d && d < 7; d++)
		html_raw_literal(&r->body, "<td></td>");
	html_raw_literal(&r->body, "</tr></tbody></table></div>");
	int py = m == 1 ? y - 1 : y, pm = m == 1 ? 12 : m - 1, ny = m == 12 ? y + 1 : y, nm = m == 12 ? 1 : m + 1;
	html_raw_literal(&r->body, "<p><a href=\"/lessons?month=");
	html_text(&r->body, arena_printf(&r->arena, "%04d-%02d", py, pm));
	html_raw_literal(&r->body, "\">← ");
	html_text(&r->body, _(r, "Previous month"));
	html_raw_literal(&r->body, "</a> · <a href=\"/lessons?month=");
	html_text(&r->body, arena_printf(&r->arena, "%04d-%02d", ny, nm));
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, _(r, "Next month"));
	html_raw_literal(&r->body, " →</a></p>");
	page_end(r, 200);
}

/* ---------- a new lesson ---------- */

static void lesson_form(struct request *r, int status, const char *problem)
{
	page_begin(r, _(r, "Schedule a lesson"));
	nav_links(r);
	if (problem)
		page_notice(r, "error", problem);
	form_errors_summary(r);
	form_begin(r, "/lessons/new");
	struct form_ctl ctls[] = {
		{"school_id", _(r, "School"), CTL_SELECT, form_value(r, "school_id"), school_options(r), 1, NULL, NULL, 1},
		{"lecturer_id", _(r, "Lecturer"), CTL_SELECT, form_value(r, "lecturer_id"), lecturer_options(r, 1), 1,
		 _(r, "Only lecturers with an approval of the prosecutor's office in force."), NULL, 1},
		{"starts_at", _(r, "Starts at"), CTL_DATETIME, form_value(r, "starts_at"), NULL, 1, NULL, NULL, 0},
		{"duration_min", _(r, "Duration, minutes"), CTL_NUMBER, form_value(r, "duration_min") ? form_value(r, "duration_min") : "45",
		 NULL, 1, NULL, NULL, 0},
		{"class_name", _(r, "Grade or class"), CTL_TEXT, form_value(r, "class_name"), NULL, 1, "7 А", NULL, 0},
		{"topic", _(r, "Topic"), CTL_SELECT, form_value(r, "topic"), web_options(r, lesson_topics, web_topic_label), 1,
		 NULL, NULL, 1},
		{"planned_pupils", _(r, "Pupils in the class"), CTL_NUMBER, form_value(r, "planned_pupils"), NULL, 1, NULL,
		 NULL, 0},
	};
	for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
		form_field(r, &ctls[i]);
	form_end(r, _(r, "Schedule"));
	page_end(r, status);
}

void web_lesson_new(struct request *r)
{
	lesson_form(r, 200, NULL);
}

static void lesson_scheduled(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (prevention_job_refusal(pj)) {
		lesson_form(r, 409, refusal_text(r, prevention_job_refusal(pj)));
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/lessons/%lld?saved=1", (long long)prevention_job_id(pj)));
}

void web_lesson_create(struct request *r)
{
	struct prevention_job *pj = r->in.nerrors ? NULL : prevention_lesson_job(r, 0);
	if (!pj && !r->in.nerrors)
		return;
	if (r->in.nerrors) {
		translate_errors(r);
		lesson_form(r, 422, NULL);
		return;
	}
	prevention_start(r, pj, lesson_scheduled);
}

/* ---------- one lesson ---------- */

static void lesson_page(struct request *r, const struct lesson *l, int status, const char *problem)
{
	page_begin(r, arena_printf(&r->arena, "%s %s · %s", _(r, "Lesson"), l->class_name,
				   web_org_label(r, l->school_name, l->school_name_ru)));
	nav_links(r);
	if (problem)
		page_notice(r, "error", problem);
	else if (status == 200 && r->in.nfields && input_int(&r->in, "saved", 0))
		page_notice(r, "ok", _(r, "Saved."));
	form_errors_summary(r);
	html_raw_literal(&r->body, "<p class=\"lead\">");
	web_badge(r, "status", lesson_status_label(r, l->status));
	if (l->flagged) {
		html_raw_literal(&r->body, " ");
		web_badge(r, "overdue", _(r, "the lecturer's approval has lapsed or was revoked"));
	}
	html_raw_literal(&r->body, "</p><table class=\"facts\"><tr><th scope=\"row\">");
	html_text(&r->body, _(r, "When"));
	html_raw_literal(&r->body, "</th><td>");
	time_range(r, l);
	html_raw_literal(&r->body, "</td></tr>");
	web_fact(r, _(r, "School"), web_org_label(r, l->school_name, l->school_name_ru));
	web_fact(r, _(r, "Grade or class"), l->class_name);
	web_fact(r, _(r, "Lecturer"), arena_printf(&r->arena, "%s (%s)", l->lecturer_name, agency_label(r, l->lecturer_agency)));
	web_fact(r, _(r, "Topic"), web_topic_label(r, l->topic));
	web_fact(r, _(r, "Pupils in the class"), arena_printf(&r->arena, "%lld", (long long)l->planned_pupils));
	web_fact(r, _(r, "Pupils attended"), l->attended >= 0 ? arena_printf(&r->arena, "%lld", (long long)l->attended) : NULL);
	web_fact(r, _(r, "Why it was cancelled"), l->cancel_reason);
	web_fact(r, _(r, "Notes"), l->note);
	web_fact(r, _(r, "The school's feedback"), l->feedback);
	struct buf t = BUF_INIT;
	if (l->confirmed_at)
		page_time(&t, l->confirmed_at);
	web_fact(r, _(r, "Confirmed by the lecturer"), l->confirmed_at ? t.ptr : NULL);
	buf_release(&t);
	html_raw_literal(&r->body, "</table>");
	if (!strcmp(l->status, "planned") && web_can(r, (struct perm)PERM(CONFIRM, LESSON)) && !l->confirmed_at)
		form_button(r, arena_printf(&r->arena, "/lessons/%lld/confirm", (long long)l->id), _(r, "Confirm the lesson"),
			    NULL);
	if (web_can(r, (struct perm)PERM(RECORD, LESSON))) {
		if (!strcmp(l->status, "planned")) {
			web_h2(r, "outcome", _(r, "What happened"));
			form_begin(r, arena_printf(&r->arena, "/lessons/%lld/outcome", (long long)l->id));
			const struct option outcomes[] = {{"held", _(r, "held")}, {"cancelled", _(r, "cancelled")}, {0, 0}};
			struct form_ctl c[] = {
				{"status", _(r, "Status"), CTL_SELECT, form_value(r, "status"), outcomes, 1, NULL, NULL, 1},
				{"attended", _(r, "Pupils attended"), CTL_NUMBER, form_value(r, "attended"), NULL, 0, NULL, NULL, 0},
				{"note", _(r, "Notes"), CTL_TEXTAREA, form_value(r, "note"), NULL, 0, NULL, NULL, 0},
				{"cancel_reason", _(r, "Why it was cancelled"), CTL_TEXT, form_value(r, "cancel_reason"), NULL, 0,
				 NULL, NULL, 0},
			};
			for (size_t i = 0; i < 4; i++)
				form_field(r, &c[i]);
			form_end(r, _(r, "Save"));
		}
		web_h2(r, "feedback", _(r, "The school's feedback"));
		form_begin(r, arena_printf(&r->arena, "/lessons/%lld/feedback", (long long)l->id));
		struct form_ctl fb = {"feedback", _(r, "Feedback"), CTL_TEXTAREA, form_value(r, "feedback") ? form_value(r, "feedback") : l->feedback,
				      NULL, 1, NULL, NULL, 0};
		form_field(r, &fb);
		form_end(r, _(r, "Save"));
	}
	page_end(r, status);
}

const struct field web_lesson_view_fields[] = {
	{"saved", FT_BOOL, 0, 0, 0, NULL}, /* after a change made from the page: say it was done */
	{NULL, 0, 0, 0, 0, NULL},
};

void web_lesson(struct request *r)
{
	struct lesson l;
	if (lesson_load_for(r, request_id(r, 0), (struct perm)PERM(READ, LESSON), &l) < 0)
		return;
	lesson_page(r, &l, 200, NULL);
}

static void lesson_changed(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (prevention_job_refusal(pj)) {
		struct lesson l;
		if (db_lesson_get(request_db(r), prevention_job_id(pj), &r->arena, &l)) {
			respond_db_error(r, DB_ERROR);
			return;
		}
		lesson_page(r, &l, 409, refusal_text(r, prevention_job_refusal(pj)));
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/lessons/%lld?saved=1", (long long)prevention_job_id(pj)));
}

void web_lesson_action(struct request *r)
{
	const char *act = strchr(r->route->name, '.') + 1; /* lesson.outcome, lesson.feedback, lesson.confirm */
	int64_t id = request_id(r, 0);
	struct prevention_job *pj = NULL;
	if (!r->in.nerrors)
		pj = !strcmp(act, "outcome")	? prevention_outcome_job(r, id)
		     : !strcmp(act, "feedback") ? prevention_feedback_job(r, id)
						: prevention_confirm_job(r, id);
	if (!pj && !r->in.nerrors)
		return;
	if (r->in.nerrors) {
		struct lesson l;
		if (lesson_load_for(r, id, (struct perm)PERM(READ, LESSON), &l) < 0)
			return;
		translate_errors(r);
		lesson_page(r, &l, 422, NULL);
		return;
	}
	prevention_start(r, pj, lesson_changed);
}

/* ======================= schools ======================= */

/* Schools by district, then in the reader's alphabet with numbers by value (№2 before №10). */
static int school_order(const void *a, const void *b, void *arg)
{
	struct request *r = arg;
	const struct school *x = a, *y = b;
	if (x->district_id != y->district_id)
		return x->district_id < y->district_id ? -1 : 1;
	return text_collate(r->lang, web_org_label(r, x->name, x->name_ru), web_org_label(r, y->name, y->name_ru));
}

void web_schools(struct request *r)
{
	struct school *items;
	size_t n;
	int rc = school_list_for(r, 0, NULL, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	if (n > 1)
		qsort_r(items, n, sizeof(*items), school_order, r);
	page_begin(r, _(r, "Schools"));
	nav_links(r);
	page_scroll_begin(r, NULL);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "School"));
	page_th(r, _(r, "District"));
	page_th(r, _(r, "Pupils"));
	page_th(r, _(r, "In the programme since"));
	page_th(r, _(r, "Coordinator"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	int edit = web_can(r, (struct perm)PERM(UPDATE, SCHOOL));
	for (size_t i = 0; i < n; i++) {
		const struct school *s = &items[i];
		html_raw_literal(&r->body, "<tr><td>");
		if (edit) {
			html_raw_literal(&r->body, "<a href=\"/schools/");
			html_int(&r->body, s->id);
			html_raw_literal(&r->body, "\">");
		}
		html_text(&r->body, web_org_label(r, s->name, s->name_ru));
		if (edit)
			html_raw_literal(&r->body, "</a>");
		html_raw_literal(&r->body, "</td>");
		page_td(r, web_district_of(r, s->district_id));
		page_td(r, page_count(r, s->pupils));
		page_td(r, s->in_programme ? (s->programme_since ? s->programme_since : _(r, "yes")) : NULL);
		page_td(r, web_user_name(r, s->coordinator_id));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
	page_end(r, 200);
}

static void school_form(struct request *r, const struct school *s, int status)
{
	page_begin(r, web_org_label(r, s->name, s->name_ru));
	nav_links(r);
	form_errors_summary(r);
	form_begin(r, arena_printf(&r->arena, "/schools/%lld", (long long)s->id));
	int posted = form_value(r, "pupils") != NULL;
	struct form_ctl c[] = {
		{"pupils", _(r, "Pupils"), CTL_NUMBER, posted ? form_value(r, "pupils") : arena_printf(&r->arena, "%lld", (long long)s->pupils),
		 NULL, 1, NULL, NULL, 0},
		{"in_programme", _(r, "Takes part in the prevention programme"), CTL_CHECKBOX,
		 posted ? form_value(r, "in_programme") : s->in_programme ? "on" : NULL, NULL, 0, NULL, NULL, 0},
		{"programme_since", _(r, "Since"), CTL_DATE, posted ? form_value(r, "programme_since") : s->programme_since, NULL,
		 0, NULL, NULL, 0},
	};
	for (size_t i = 0; i < 3; i++)
		form_field(r, &c[i]);
	form_end(r, _(r, "Save"));
	page_end(r, status);
}

void web_school(struct request *r)
{
	struct school s;
	if (school_load_for(r, request_id(r, 0), (struct perm)PERM(UPDATE, SCHOOL), &s) < 0)
		return;
	school_form(r, &s, 200);
}

static void school_saved(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/schools");
}

void web_school_update(struct request *r)
{
	struct school s;
	if (school_load_for(r, request_id(r, 0), (struct perm)PERM(UPDATE, SCHOOL), &s) < 0)
		return;
	if (r->in.nerrors) {
		school_form(r, &s, 422);
		return;
	}
	/* An unticked box is not sent: the form says "not in the programme". */
	struct prevention_job *pj = prevention_school_job(r, s.id, 1);
	if (!pj)
		return;
	prevention_start(r, pj, school_saved);
}

/* ======================= lecturers ======================= */

static const char *approval_text(struct request *r, const struct lecturer *l)
{
	char today[11];
	today_text(today);
	if (!l->approval_id)
		return _(r, "not approved");
	if (l->revoked_at)
		return _(r, "approval revoked");
	if (strcmp(l->valid_until, today) < 0)
		return arena_printf(&r->arena, "%s %s", _(r, "approval lapsed on"), l->valid_until);
	return arena_printf(&r->arena, "%s %s", _(r, "approved until"), l->valid_until);
}

static void lecturer_new_form(struct request *r)
{
	web_h2(r, "new", _(r, "Add a lecturer"));
	form_begin(r, "/lecturers");
	struct form_ctl c[] = {
		{"full_name", _(r, "Full name"), CTL_TEXT, form_value(r, "full_name"), NULL, 1, NULL, "off", 0},
		{"agency", _(r, "Agency"), CTL_SELECT, form_value(r, "agency"), web_options(r, lecturer_agencies, agency_label),
		 1, NULL, NULL, 1},
		{"position", _(r, "Position"), CTL_TEXT, form_value(r, "position"), NULL, 0, NULL, NULL, 0},
		{"phone", _(r, "Phone"), CTL_TEL, form_value(r, "phone"), NULL, 0, NULL, "off", 0},
		{"email", _(r, "E-mail"), CTL_TEXT, form_value(r, "email"), NULL, 0, NULL, "off", 0},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		form_field(r, &c[i]);
	form_end(r, _(r, "Add"));
}

static void lecturers_page(struct request *r, int status)
{
	struct lecturer *items;
	size_t n;
	int rc = db_lecturer_list(request_db(r), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	page_begin(r, _(r, "Lecturers"));
	nav_links(r);
	form_errors_summary(r);
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, LECTURER));
	page_scroll_begin(r, NULL);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Full name"));
	page_th(r, _(r, "Agency"));
	page_th(r, _(r, "Position"));
	page_th(r, _(r, "Approval"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct lecturer *l = &items[i];
		if (f.scope == SCOPE_OWN && l->user_id != r->user.user_id)
			continue;
		html_raw_literal(&r->body, "<tr><td><a href=\"/lecturers/");
		html_int(&r->body, l->id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, l->full_name);
		html_raw_literal(&r->body, "</a></td>");
		page_td(r, agency_label(r, l->agency));
		page_td(r, l->position);
		page_td(r, approval_text(r, l));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
	if (web_can(r, (struct perm)PERM(CREATE, LECTURER)))
		lecturer_new_form(r);
	page_end(r, status);
}

void web_lecturers(struct request *r)
{
	lecturers_page(r, 200);
}

static void lecturer_created(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/lecturers/%lld", (long long)prevention_job_id(pj)));
}

void web_lecturer_create(struct request *r)
{
	struct prevention_job *pj = r->in.nerrors ? NULL : prevention_lecturer_job(r, 0);
	if (!pj && !r->in.nerrors)
		return;
	if (r->in.nerrors) {
		translate_errors(r);
		lecturers_page(r, 422);
		return;
	}
	prevention_start(r, pj, lecturer_created);
}

static void lecturer_page(struct request *r, const struct lecturer *l, int status, const char *notice,
			  const char *feed)
{
	struct approval *ap;
	size_t n;
	if (db_approval_list(request_db(r), l->id, &r->arena, &ap, &n))
		n = 0;
	page_begin(r, l->full_name);
	nav_links(r);
	if (notice)
		page_notice(r, "error", notice);
	form_errors_summary(r);
	html_raw_literal(&r->body, "<table class=\"facts\">");
	web_fact(r, _(r, "Agency"), agency_label(r, l->agency));
	web_fact(r, _(r, "Position"), l->position);
	web_fact(r, _(r, "Phone"), l->phone);
	web_fact(r, _(r, "E-mail"), l->email);
	web_fact(r, _(r, "Approval"), approval_text(r, l));
	html_raw_literal(&r->body, "</table>");
	web_h2(r, "approvals", _(r, "Approvals of the prosecutor's office"));
	if (!n)
		page_notice(r, "info", _(r, "None."));
	html_raw_literal(&r->body, "<ul>");
	for (size_t i = 0; i < n; i++) {
		html_raw_literal(&r->body, "<li>");
		html_text(&r->body, arena_printf(&r->arena, "№ %s, %s → %s", ap[i].order_number, ap[i].order_date, ap[i].valid_until));
		if (ap[i].approved_by_name) {
			html_raw_literal(&r->body, " · ");
			html_text(&r->body, ap[i].approved_by_name);
		}
		if (ap[i].revoked_at) {
			html_raw_literal(&r->body, " · ");
			html_text(&r->body, _(r, "revoked"));
			html_raw_literal(&r->body, ": ");
			html_text(&r->body, ap[i].revoke_reason);
		}
		html_raw_literal(&r->body, "</li>");
	}
	html_raw_literal(&r->body, "</ul>");
	if (web_can(r, (struct perm)PERM(APPROVE, LECTURER))) {
		web_h2(r, "approve", _(r, "Approve"));
		form_begin(r, arena_printf(&r->arena, "/lecturers/%lld/approve", (long long)l->id));
		struct form_ctl c[] = {
			{"order_number", _(r, "Order number"), CTL_TEXT, form_value(r, "order_number"), NULL, 1, NULL, NULL, 0},
			{"order_date", _(r, "Order date"), CTL_DATE, form_value(r, "order_date"), NULL, 1, NULL, NULL, 0},
			{"valid_until", _(r, "Valid until"), CTL_DATE, form_value(r, "valid_until"), NULL, 1, NULL, NULL, 0},
		};
		for (size_t i = 0; i < 3; i++)
			form_field(r, &c[i]);
		form_end(r, _(r, "Approve"));
		if (l->approval_id && !l->revoked_at) {
			web_h2(r, "revoke", _(r, "Revoke the approval"));
			form_begin(r, arena_printf(&r->arena, "/lecturers/%lld/revoke", (long long)l->id));
			struct form_ctl why = {"reason", _(r, "Why"), CTL_TEXTAREA, form_value(r, "reason"), NULL, 1, NULL, NULL, 0};
			form_field(r, &why);
			form_end(r, _(r, "Revoke"));
		}
	}
	struct scope_filter f = request_scope(r, (struct perm)PERM(UPDATE, LECTURER));
	if (f.scope != SCOPE_NONE && (f.scope != SCOPE_OWN || l->user_id == r->user.user_id)) {
		web_h2(r, "feed", _(r, "Calendar for a phone"));
		if (feed) {
			html_raw_literal(&r->body, "<p>");
			html_text(&r->body, _(r, "Subscribe to this address in the phone's calendar. It is shown only now; keep it secret. A new address makes the old one stop working."));
			html_raw_literal(&r->body, "</p><p><code>");
			html_text(&r->body, feed);
			html_raw_literal(&r->body, "</code></p>");
		}
		form_button(r, arena_printf(&r->arena, "/lecturers/%lld/feed", (long long)l->id), _(r, "Make a new calendar address"),
			    NULL);
	}
	page_end(r, status);
}

void web_lecturer(struct request *r)
{
	struct lecturer l;
	if (lecturer_load_for(r, request_id(r, 0), (struct perm)PERM(READ, LECTURER), &l) < 0)
		return;
	lecturer_page(r, &l, 200, NULL, NULL);
}

static void lecturer_changed(struct request *r, int status)
{
	struct prevention_job *pj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct lecturer l;
	if (db_lecturer_get(request_db(r), prevention_job_id(pj), &r->arena, &l)) {
		respond_db_error(r, DB_ERROR);
		return;
	}
	const char *why = prevention_job_refusal(pj);
	if (why) {
		lecturer_page(r, &l, 409, refusal_text(r, why), NULL);
		return;
	}
	if (!strcmp(r->route->name, "lecturer.feed")) {
		/* The secret is shown once, on this answer: never in a URL of ours or a log. */
		const char *path = arena_printf(&r->arena, "/ics/%s.ics", prevention_job_token(pj));
		lecturer_page(r, &l, 200, NULL, path);
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/lecturers/%lld", (long long)l.id));
}

void web_lecturer_action(struct request *r)
{
	const char *act = strchr(r->route->name, '.') + 1; /* lecturer.approve, lecturer.revoke, lecturer.feed */
	int64_t id = request_id(r, 0);
	struct prevention_job *pj = NULL;
	if (!r->in.nerrors)
		pj = !strcmp(act, "approve")  ? prevention_approve_job(r, id)
		     : !strcmp(act, "revoke") ? prevention_revoke_job(r, id)
					      : prevention_feed_job(r, id);
	if (!pj && !r->in.nerrors)
		return;
	if (r->in.nerrors) {
		struct lecturer l;
		if (lecturer_load_for(r, id, (struct perm)PERM(READ, LECTURER), &l) < 0)
			return;
		translate_errors(r);
		lecturer_page(r, &l, 422, NULL, NULL);
		return;
	}
	prevention_start(r, pj, lecturer_changed);
}

/* ======================= events ======================= */

static void event_fields_form(struct request *r, const struct prevention_event *e)
{
	int posted = form_value(r, "title") != NULL;
#define VAL(name, dflt) (posted ? form_value(r, name) : (dflt))
	struct form_ctl c[] = {
		{"title", _(r, "Title"), CTL_TEXT, VAL("title", e ? e->title : NULL), NULL, 1, NULL, NULL, 0},
		{"kind", _(r, "Kind of event"), CTL_SELECT, VAL("kind", e ? e->kind : NULL),
		 web_options(r, event_kinds, web_event_kind_label), 1, NULL, NULL, 1},
		{"held_on", _(r, "Date"), CTL_DATE, VAL("held_on", e ? e->held_on : NULL), NULL, 1, NULL, NULL, 0},
		{"district_id", _(r, "District"), CTL_SELECT,
		 VAL("district_id", web_id_text(r, e ? e->district_id : r->user.district_id)), web_district_options(r), 1,
		 NULL, NULL, 1},
		{"place", _(r, "Place"), CTL_TEXT, VAL("place", e ? e->place : NULL), NULL, 0, NULL, NULL, 0},
		{"organiser", _(r, "Organiser"), CTL_SELECT, VAL("organiser", e ? e->organiser : NULL),
		 web_options(r, event_organisers, organiser_label), 1, NULL, NULL, 1},
		{"target_group", _(r, "Target group"), CTL_TEXT, VAL("target_group", e ? e->target_group : NULL), NULL, 0,
		 NULL, NULL, 0},
		{"participants", _(r, "Participants"), CTL_NUMBER,
		 VAL("participants", e ? arena_printf(&r->arena, "%lld", (long long)e->participants) : "0"), NULL, 1, NULL,
		 NULL, 0},
		{"partners", _(r, "Partners"), CTL_TEXT, VAL("partners", e ? e->partners : NULL), NULL, 0, NULL, NULL, 0},
		{"note", _(r, "Notes"), CTL_TEXTAREA, VAL("note", e ? e->note : NULL), NULL, 0, NULL, NULL, 0},
	};
#undef VAL
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		form_field(r, &c[i]);
}

static void events_page(struct request *r, int status)
{
	struct prevention_event *items;
	size_t n;
	int rc = event_list_for(r, 0, "0000-01-01", "9999-12-31", 500, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	page_begin(r, _(r, "Prevention events"));
	nav_links(r);
	form_errors_summary(r);
	if (!n)
		page_notice(r, "info", _(r, "None."));
	else {
		page_scroll_begin(r, NULL);
		html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
		page_th(r, _(r, "Date"));
		page_th(r, _(r, "Title"));
		page_th(r, _(r, "Kind of event"));
		page_th(r, _(r, "District"));
		page_th(r, _(r, "Participants"));
		html_raw_literal(&r->body, "</tr></thead><tbody>");
		int edit = web_can(r, (struct perm)PERM(UPDATE, EVENT));
		for (size_t i = 0; i < n; i++) {
			html_raw_literal(&r->body, "<tr>");
			page_td(r, items[i].held_on);
			html_raw_literal(&r->body, "<td>");
			if (edit) {
				html_raw_literal(&r->body, "<a href=\"/events/");
				html_int(&r->body, items[i].id);
				html_raw_literal(&r->body, "\">");
			}
			html_text(&r->body, items[i].title);
			if (edit)
				html_raw_literal(&r->body, "</a>");
			html_raw_literal(&r->body, "</td>");
			page_td(r, web_event_kind_label(r, items[i].kind));
			page_td(r, web_district_of(r, items[i].district_id));
			page_td(r, page_count(r, items[i].participants));
			html_raw_literal(&r->body, "</tr>");
		}
		html_raw_literal(&r->body, "</tbody></table></div>");
	}
	if (web_can(r, (struct perm)PERM(CREATE, EVENT))) {
		web_h2(r, "new", _(r, "Record an event"));
		form_begin(r, "/events");
		event_fields_form(r, NULL);
		form_end(r, _(r, "Save"));
	}
	page_end(r, status);
}

void web_events(struct request *r)
{
	events_page(r, 200);
}

static void event_saved(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/events");
}

static void event_edit_page(struct request *r, const struct prevention_event *e, int status)
{
	page_begin(r, e->title);
	nav_links(r);
	form_errors_summary(r);
	form_begin(r, arena_printf(&r->arena, "/events/%lld", (long long)e->id));
	event_fields_form(r, e);
	form_end(r, _(r, "Save"));
	page_end(r, status);
}

void web_event(struct request *r)
{
	struct prevention_event e;
	if (event_load_for(r, request_id(r, 0), (struct perm)PERM(UPDATE, EVENT), &e) < 0)
		return;
	event_edit_page(r, &e, 200);
}

void web_event_save(struct request *r)
{
	int64_t id = request_id(r, 0);
	struct prevention_event e;
	if (id && event_load_for(r, id, (struct perm)PERM(UPDATE, EVENT), &e) < 0)
		return;
	struct prevention_job *pj = r->in.nerrors ? NULL : prevention_event_job(r, id);
	if (!pj && !r->in.nerrors)
		return;
	if (r->in.nerrors) {
		translate_errors(r);
		if (id)
			event_edit_page(r, &e, 422);
		else
			events_page(r, 422);
		return;
	}
	prevention_start(r, pj, event_saved);
}

/* ======================= coverage ======================= */

static void coverage_table(struct request *r, const char *title, const char *key_label, const struct coverage_row *rows,
			   size_t n, const char *(*label)(struct request *, const char *), int by_district,
			   const char *const cols[4])
{
	web_h2(r, arena_printf(&r->arena, "c%zu", r->body.len), title);
	if (!n) {
		page_notice(r, "info", _(r, "None."));
		return;
	}
	page_scroll_begin(r, title);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, key_label);
	for (int k = 0; k < 4; k++)
		if (cols[k])
			page_th(r, _(r, cols[k]));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		html_raw_literal(&r->body, "<tr>");
		page_td(r, by_district ? web_district_of(r, rows[i].key_id) : label ? label(r, rows[i].key) : rows[i].key);
		const int64_t v[4] = {rows[i].a, rows[i].b, rows[i].c, rows[i].d};
		for (int k = 0; k < 4; k++)
			if (cols[k])
				page_td(r, page_count(r, v[k]));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
}

static void card(struct request *r, int64_t n, const char *label)
{
	html_raw_literal(&r->body, "<li><span class=\"count\">");
	html_int(&r->body, n);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, label);
	html_raw_literal(&r->body, "</strong></li>");
}

void web_programme(struct request *r)
{
	char from[11], to[11];
	prevention_term(from, to);
	const char *a = input_str(&r->in, "from"), *b = input_str(&r->in, "to");
	struct coverage c;
	int rc = coverage_for(r, a ? a : from, b ? b : to, input_int(&r->in, "district_id", 0), &c);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	page_begin(r, _(r, "The prevention programme: coverage"));
	nav_links(r);
	form_get_begun(r);
	html_raw_literal(&r->body, "<form method=\"get\" action=\"/programme\" class=\"filters\">");
	struct form_ctl f1 = {"from", _(r, "From"), CTL_DATE, c.from, NULL, 0, NULL, NULL, 0};
	struct form_ctl f2 = {"to", _(r, "To"), CTL_DATE, c.to, NULL, 0, NULL, NULL, 0};
	struct form_ctl f3 = {"district_id", _(r, "District"), CTL_SELECT, form_value(r, "district_id"),
			      web_district_options(r), 0, NULL, NULL, 1};
	form_field(r, &f1);
	form_field(r, &f2);
	form_field(r, &f3);
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form><ul class=\"cards\">");
	card(r, c.schools_in_programme, _(r, "Schools in the programme"));
	card(r, c.schools_covered, _(r, "Schools with a lesson held"));
	card(r, c.held, _(r, "Lessons held"));
	card(r, c.planned, _(r, "Lessons planned"));
	card(r, c.cancelled, _(r, "Lessons cancelled"));
	card(r, c.pupils_reached, _(r, "Pupils reached"));
	card(r, c.events_total, _(r, "Prevention events"));
	card(r, c.participants, _(r, "Participants"));
	html_raw_literal(&r->body, "</ul>");
	static const char *const lesson_cols[4] = {N_("Planned"), N_("Held"), N_("Cancelled"), N_("Pupils reached")};
	coverage_table(r, _(r, "Schools by district"), _(r, "District"), c.schools, c.nschools, NULL, 1,
		       (const char *const[4]){N_("Schools"), N_("In the programme"), N_("With a lesson held"), N_("Pupils")});
	coverage_table(r, _(r, "Lessons by district"), _(r, "District"), c.by_district, c.nby_district, NULL, 1, lesson_cols);
	coverage_table(r, _(r, "Lessons by topic"), _(r, "Topic"), c.by_topic, c.nby_topic, web_topic_label, 0, lesson_cols);
	coverage_table(r, _(r, "Lessons by month"), _(r, "Month"), c.by_month, c.nby_month, NULL, 0, lesson_cols);
	coverage_table(r, _(r, "Lecturers by agency"), _(r, "Agency"), c.lecturers, c.nlecturers, agency_label, 0,
		       (const char *const[4]){N_("Lecturers"), N_("Lessons held"), NULL, NULL});
	coverage_table(r, _(r, "Events by kind"), _(r, "Kind of event"), c.events, c.nevents, web_event_kind_label, 0,
		       (const char *const[4]){N_("Events"), N_("Participants"), NULL, NULL});
	page_end(r, 200);
}
