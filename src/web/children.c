/*
 * Pages for the children registry: search and list, registration with the
 * "did you mean" step, the child's record (audited), editing, merging two
 * records of one child, break the glass.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/time.h"
#include "domain/child.h"
#include "domain/child_index.h"
#include "domain/deadlines.h"
#include "domain/meyirim.h"
#include "web/page.h"
#include "web/web.h"

static const char *sex_label(struct request *r, const char *v)
{
	return !v ? NULL : !strcmp(v, "M") ? _(r, "male") : _(r, "female");
}

const char *web_care_status_label(struct request *r, const char *v)
{
	if (!v)
		return NULL;
	static const struct {
		const char *v, *label;
	} labels[] = {
		{"orphan", N_("orphan")},
		{"without_parental_care", N_("without parental care")},
		{"under_guardianship", N_("under guardianship")},
		{"in_institution", N_("in an institution")},
		{"foster_family", N_("in a foster family")},
		{"with_family", N_("with the family")},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].v, v))
			return _(r, labels[i].label);
	return v;
}

/* "Surname Given Patronymic" as written. */
const char *web_child_name(struct request *r, const char *surname, const char *given, const char *patronymic)
{
	return arena_printf(&r->arena, "%s %s%s%s", surname ? surname : "", given ? given : "", patronymic ? " " : "",
			    patronymic ? patronymic : "");
}

static void child_link(struct request *r, const struct child *c)
{
	html_raw_literal(&r->body, "<a href=\"/children/");
	html_int(&r->body, c->id);
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, web_child_name(r, c->surname, c->given_name, c->patronymic));
	html_raw_literal(&r->body, "</a>");
}

/* Page wording for the codes the checks set. */
static void translate_errors(struct request *r)
{
	for (size_t i = 0; i < r->in.nerrors; i++) {
		struct input_error *e = &r->in.errors[i];
		if (!strcmp(e->code, "invalid_iin"))
			e->message = _(r, "This is not a valid IIN: 12 digits whose last one is the check digit.");
		else if (!strcmp(e->code, "in_future"))
			e->message = _(r, "This date is in the future.");
		else if (!strcmp(e->code, "too_old"))
			e->message = _(r, "This date is too long ago.");
		else if (!strcmp(e->code, "invalid_phone"))
			e->message = _(r, "This is not a phone number.");
		else if (!strcmp(e->code, "not_found"))
			e->message = _(r, "It does not exist any more; choose again.");
	}
}

/* ======================= list and search ======================= */

const struct field web_child_list_fields[] = {
	{"q", FT_LINE, 0, 1, 200, NULL},
	{"care_status", FT_ENUM, 0, 0, 0, care_statuses},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"attached", FT_ENUM, 0, 0, 0, (const char *const[]){"yes", "no", NULL}},
	{"limit", FT_INT, 0, 1, 500, NULL},
	{"after", FT_LINE, 0, 1, 200, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void web_child_table(struct request *r, const struct child *items, size_t n, const char *label)
{
	if (!n) {
		page_notice(r, "info", _(r, "No children match."));
		return;
	}
	page_scroll_begin(r, label);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Full name"));
	page_th(r, _(r, "Birth date"));
	page_th(r, _(r, "District"));
	page_th(r, _(r, "Care status"));
	page_th(r, _(r, "Meyirim"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct child *c = &items[i];
		html_raw_literal(&r->body, "<tr><td>");
		child_link(r, c);
		html_raw_literal(&r->body, "</td>");
		page_td(r, c->birth_date);
		page_td(r, web_district_of(r, c->district_id));
		page_td(r, web_care_status_label(r, c->care_status));
		page_td(r, web_org_label(r, c->organisation_name, c->organisation_name_ru));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
}

struct child_listing {
	struct actor who;
	struct child *items;
	size_t n;
	int limit;
	int search;
};

static int run_list_audit(struct db *db, struct write_job *job)
{
	struct child_listing *l = job->arg;
	char detail[48];
	snprintf(detail, sizeof(detail), "%s, %zu rows", l->search ? "search" : "list", l->n);
	return audit_record(db, &l->who, "list", "child", 0, detail);
}

static void filters_form(struct request *r)
{
	form_get_begun(r);
	html_raw_literal(&r->body, "<form method=\"get\" action=\"/children\" class=\"filters\" role=\"search\">");
	struct form_ctl q = {"q", _(r, "Name, IIN or birth date"), CTL_TEXT, form_value(r, "q"), NULL, 0,
			     _(r, "Any script and spelling, with or without the Kazakh letters."), "off", 0};
	form_field(r, &q);
	struct form_ctl cs = {"care_status", _(r, "Care status"), CTL_SELECT, form_value(r, "care_status"),
			      web_options(r, care_statuses, web_care_status_label), 0, NULL, NULL, 1};
	form_field(r, &cs);
	struct form_ctl d = {"district_id", _(r, "District"), CTL_SELECT, form_value(r, "district_id"),
			     web_district_options(r), 0, NULL, NULL, 1};
	form_field(r, &d);
	const struct option att[] = {{"yes", _(r, "attached")}, {"no", _(r, "not attached")}, {0, 0}};
	struct form_ctl a = {"attached", _(r, "Meyirim"), CTL_SELECT, form_value(r, "attached"), att, 0, NULL, NULL, 1};
	form_field(r, &a);
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>");
}

static void list_shown(struct request *r, int status)
{
	struct child_listing *l = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	page_begin(r, _(r, "Children"));
	if (web_can(r, (struct perm)PERM(CREATE, CHILD)))
		page_link_button(r, "/children/new", _(r, "Register a child"));
	filters_form(r);
	/* The same children as a file: every page of the list, or the search's rows, with the filters. */
	struct buf q = BUF_INIT;
	static const char *const filters[] = {"q", "care_status", "district_id", "attached", NULL};
	page_carry_filters(r, filters, &q);
	page_export_links(r, "children", q.len ? q.ptr : "");
	buf_release(&q);
	web_child_table(r, l->items, l->n, NULL);
	if (!l->search && l->n == (size_t)l->limit) {
		const struct child *last = &l->items[l->n - 1];
		struct buf href = BUF_INIT;
		buf_printf(&href, "/children?after=");
		html_url_arg(&href, name_cursor_text(&r->arena, last->surname_key, last->given_key, last->id));
		static const char *const keep[] = {"care_status", "district_id", "attached", NULL};
		page_carry_filters(r, keep, &href);
		page_link_button(r, href.ptr, _(r, "Next page"));
		buf_release(&href);
	}
	page_end(r, 200);
}

void web_children(struct request *r)
{
	struct child_listing *l = arena_zalloc(&r->arena, sizeof(*l));
	l->limit = (int)input_int(&r->in, "limit", 50);
	const char *q = input_str(&r->in, "q");
	struct child_filter f;
	memset(&f, 0, sizeof(f));
	f.care_status = input_str(&r->in, "care_status");
	f.district_id = input_int(&r->in, "district_id", 0);
	f.attached = input_str(&r->in, "attached");
	f.limit = l->limit;
	int rc;
	if (q) {
		l->search = 1;
		rc = child_search_for(r, q, &f, l->limit, &l->items, &l->n, NULL);
	} else {
		name_cursor_parse(input_str(&r->in, "after"), &f.after); /* a bad cursor: the first page */
		rc = child_list_for(r, &f, &l->items, &l->n);
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &l->who);
	r->ctx = l;
	request_write(r, run_list_audit, l, list_shown);
}

/* ======================= the form: register and edit ======================= */

static void child_form_fields(struct request *r, const struct child *c, const char *iin)
{
	int posted = form_value(r, "surname") != NULL;
#define VAL(name, dflt) (posted ? form_value(r, name) : (dflt))
	struct form_ctl ctls[] = {
		{"surname", _(r, "Surname"), CTL_TEXT, VAL("surname", c ? c->surname : NULL), NULL, 1, NULL, "off", 0},
		{"given_name", _(r, "Given name"), CTL_TEXT, VAL("given_name", c ? c->given_name : NULL), NULL, 1, NULL, "off",
		 0},
		{"patronymic", _(r, "Patronymic"), CTL_TEXT, VAL("patronymic", c ? c->patronymic : NULL), NULL, 0, NULL, "off",
		 0},
		{"iin", _(r, "IIN"), CTL_TEXT, VAL("iin", iin), NULL, 0, _(r, "12 digits, if known."), "off", 0},
		{"birth_date", _(r, "Birth date"), CTL_DATE, VAL("birth_date", c ? c->birth_date : NULL), NULL, 0, NULL,
		 NULL, 0},
		{"sex", _(r, "Sex"), CTL_SELECT, VAL("sex", c ? c->sex : NULL),
		 (const struct option[]){{"F", _(r, "female")}, {"M", _(r, "male")}, {0, 0}}, 0, NULL, NULL, 1},
		{"district_id", _(r, "District"), CTL_SELECT,
		 VAL("district_id", web_id_text(r, c ? c->district_id : r->user.district_id)), web_district_options(r), 1,
		 NULL, NULL, 1},
		{"care_status", _(r, "Care status"), CTL_SELECT, VAL("care_status", c ? c->care_status : NULL),
		 web_options(r, care_statuses, web_care_status_label), 1, NULL, NULL, 1},
		{"institution", _(r, "Institution"), CTL_TEXT, VAL("institution", c ? c->institution : NULL), NULL, 0,
		 _(r, "Children's home, boarding school, or other institution."), NULL, 0},
		{"guardian.name", _(r, "Guardian"), CTL_TEXT, VAL("guardian.name", c ? c->guardian_name : NULL), NULL, 0,
		 NULL, "off", 0},
		{"guardian.phone", _(r, "Guardian's phone"), CTL_TEL, VAL("guardian.phone", c ? c->guardian_phone : NULL),
		 NULL, 0, NULL, "off", 0},
		{"school", _(r, "School or college"), CTL_TEXT, VAL("school", c ? c->school : NULL), NULL, 0, NULL, NULL, 0},
		{"notes", _(r, "Notes"), CTL_TEXTAREA, VAL("notes", c ? c->notes : NULL), NULL, 0, NULL, NULL, 0},
	};
#undef VAL
	for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
		form_field(r, &ctls[i]);
}

/* A form that shows a child's record (its IIN, guardian, notes; other children's names): drawn after an audited read. */
struct child_form {
	struct child c;
	int status;
	const char *problem;
	struct child *others; /* the merge form's likely duplicates, or the "did you mean" candidates */
	size_t nothers;
};

/* The form; with candidates (or confirm set), the "did you mean" step before it. */
static void new_form(struct request *r, int status, const struct child *candidates, size_t ncandidates, int confirm)
{
	page_begin(r, _(r, "Register a child"));
	form_errors_summary(r);
	if (ncandidates) {
		page_notice(r, "info", _(r, "Did you mean one of these children? A child with this name and birth date is registered already."));
		web_child_table(r, candidates, ncandidates, NULL);
	} else if (confirm) {
		page_notice(r, "info", _(r, "A child with this name and birth date is registered already, outside your scope. Ask the department, or confirm that this is a different child."));
	}
	form_begin(r, "/children/new");
	child_form_fields(r, NULL, NULL);
	if (confirm) {
		struct form_ctl confirm_ctl = {"confirm_new", _(r, "This is a different child: register anyway"), CTL_CHECKBOX,
					   NULL, NULL, 1, NULL, NULL, 0};
		form_field(r, &confirm_ctl);
	}
	form_end(r, _(r, "Register"));
	page_end(r, status);
}

/* The children a new record may duplicate, drawn after the reads of them. */
static void draw_candidates(struct request *r, void *arg)
{
	struct child_form *v = arg;
	new_form(r, 409, v->others, v->nothers, 1);
}

void web_child_new(struct request *r)
{
	new_form(r, 200, NULL, 0, 0);
}

static void child_registered(struct request *r, int status)
{
	struct child_job *cj = r->ctx;
	buf_release(&child_job_draft(cj)->sealed);
	if (status == DB_CONSTRAINT) {
		input_error(&r->in, &r->arena, "iin", "duplicate_iin", _(r, "Another child has this IIN."));
		new_form(r, 409, NULL, 0, 0);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/children/%lld?saved=1", (long long)child_job_id(cj)));
}

/* The candidates of a draft that the caller may see, as rows for the table. */
static struct child *visible_candidates(struct request *r, const struct child_draft *d, size_t *n)
{
	struct child *out = arena_alloc(&r->arena, (d->ncandidates + 1) * sizeof(*out));
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, CHILD));
	*n = 0;
	for (size_t i = 0; i < d->ncandidates; i++) {
		int visible = 0, grant = 0;
		if (db_child_get(request_db(r), d->candidates[i], &r->arena, &out[*n]) == DB_OK &&
		    child_visible(request_db(r), &f, &out[*n], time_now(), &visible, &grant) == DB_OK && visible && !grant)
			(*n)++;
	}
	return out;
}

void web_child_create(struct request *r)
{
	struct child_job *cj = r->in.nerrors ? NULL : child_register_job(r);
	if (!cj && !r->in.nerrors)
		return; /* answered */
	struct child_draft *d = cj ? child_job_draft(cj) : NULL;
	if (d && d->iin_owner)
		input_error(&r->in, &r->arena, "iin", "duplicate_iin", _(r, "Another child has this IIN."));
	if (r->in.nerrors) {
		if (d)
			buf_release(&d->sealed);
		translate_errors(r);
		new_form(r, 422, NULL, 0, 0);
		return;
	}
	if (d->ncandidates && !input_int(&r->in, "confirm_new", 0)) {
		struct child_form *v = arena_zalloc(&r->arena, sizeof(*v));
		v->others = visible_candidates(r, d, &v->nothers);
		buf_release(&d->sealed);
		int64_t *ids = arena_alloc(&r->arena, (v->nothers + 1) * sizeof(*ids));
		for (size_t i = 0; i < v->nothers; i++)
			ids[i] = v->others[i].id;
		api_audit_then(r, "read", "child", ids, v->nothers, "duplicate check", draw_candidates, v);
		return;
	}
	child_register_start(r, cj, child_registered);
}

/* ======================= one child ======================= */

static void appeals_section(struct request *r, const struct appeal *a, size_t n)
{
	web_h2(r, "appeals", _(r, "Appeals about the child"));
	if (!n) {
		page_notice(r, "info", _(r, "None that you may see."));
		return;
	}
	html_raw_literal(&r->body, "<ul>");
	for (size_t i = 0; i < n; i++) {
		html_raw_literal(&r->body, "<li><a href=\"/appeals/");
		html_int(&r->body, a[i].id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, a[i].number);
		html_raw_literal(&r->body, "</a> · ");
		html_text(&r->body, web_category_label(r, a[i].category));
		html_raw_literal(&r->body, " · ");
		html_text(&r->body, web_status_label(r, a[i].status));
		html_raw_literal(&r->body, "</li>");
	}
	html_raw_literal(&r->body, "</ul>");
}

static void meyirim_section(struct request *r, const struct child *c)
{
	int sees = web_can(r, (struct perm)PERM(READ, MENTORSHIP));
	if (!sees && !web_can(r, (struct perm)PERM(CREATE, MENTORSHIP)))
		return;
	web_h2(r, "meyirim", _(r, "Meyirim"));
	struct mentorship *items;
	size_t n = 0;
	if (db_mentorship_of_child(request_db(r), c->id, &r->arena, &items, &n))
		n = 0;
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, MENTORSHIP));
	if (n) {
		html_raw_literal(&r->body, "<ul>");
		for (size_t i = 0; i < n; i++) {
			html_raw_literal(&r->body, "<li>");
			if (mentorship_visible(&f, &items[i])) {
				html_raw_literal(&r->body, "<a href=\"/meyirim/");
				html_int(&r->body, items[i].id);
				html_raw_literal(&r->body, "\">");
				html_text(&r->body, web_org_label(r, items[i].organisation_name, items[i].organisation_name_ru));
				html_raw_literal(&r->body, "</a>");
			} else {
				html_text(&r->body, web_org_label(r, items[i].organisation_name, items[i].organisation_name_ru));
			}
			html_raw_literal(&r->body, " · ");
			html_text(&r->body, items[i].started_on);
			html_raw_literal(&r->body, " – ");
			html_text(&r->body, items[i].ended_on ? items[i].ended_on : _(r, "now"));
			html_raw_literal(&r->body, "</li>");
		}
		html_raw_literal(&r->body, "</ul>");
	} else {
		page_notice(r, "info", child_eligible(c->care_status) ? _(r, "Not attached yet: the campaign is for this child.")
								     : _(r, "Not attached."));
	}
	if (!c->mentorship_id && !c->merged_into && web_can(r, (struct perm)PERM(CREATE, MENTORSHIP)))
		page_link_button(r, arena_printf(&r->arena, "/meyirim/new?child_id=%lld", (long long)c->id),
				 _(r, "Attach to an organisation"));
}

static const char *event_label(struct request *r, const char *action)
{
	static const struct {
		const char *v, *label;
	} labels[] = {
		{"registered", N_("registered")},
		{"updated", N_("changed")},
		{"merged_into", N_("merged into another record")},
		{"merged_from", N_("a duplicate record merged in")},
		{"attached", N_("attached to an organisation")},
		{"attachment_ended", N_("attachment ended")},
	};
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].v, action))
			return _(r, labels[i].label);
	return action;
}

/* The names of changed fields ("surname, guardian.phone"), as the form labels them. */
static const char *field_labels(struct request *r, const char *list)
{
	static const struct {
		const char *v, *label;
	} labels[] = {
		{"surname", N_("Surname")},	  {"given_name", N_("Given name")},
		{"patronymic", N_("Patronymic")}, {"iin", N_("IIN")},
		{"birth_date", N_("Birth date")}, {"sex", N_("Sex")},
		{"district_id", N_("District")},  {"care_status", N_("Care status")},
		{"institution", N_("Institution")}, {"guardian.name", N_("Guardian")},
		{"guardian.phone", N_("Guardian's phone")}, {"school", N_("School or college")},
		{"notes", N_("Notes")},
	};
	struct buf b = BUF_INIT;
	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ",");
		const char *name = p, *label = NULL;
		while (n && name[n - 1] == ' ')
			n--;
		for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]) && !label; i++)
			if (strlen(labels[i].v) == n && !strncmp(labels[i].v, name, n))
				label = _(r, labels[i].label);
		if (b.len)
			buf_adds(&b, ", ");
		if (label)
			buf_adds(&b, label);
		else
			buf_add(&b, name, n);
		p += strcspn(p, ",");
		while (*p == ',' || *p == ' ')
			p++;
	}
	const char *out = arena_strdup(&r->arena, b.ptr ? b.ptr : "");
	buf_release(&b);
	return out;
}

/*
 * An entry's detail in the reader's words: the fields a change touched,
 * the record merged in or into (its number, and what it brought), the
 * organisation of an attachment. Any other detail as recorded.
 */
static const char *event_detail(struct request *r, const struct child_event *e)
{
	const char *d = e->detail;
	long long id;
	int used = 0;
	if (!d)
		return "";
	if (!strcmp(e->action, "updated"))
		return field_labels(r, d);
	if (!strcmp(e->action, "merged_into") && sscanf(d, "into %lld%n", &id, &used) == 1 && !d[used])
		return page_with_number(r, _(r, "into record {n}"), id);
	if (!strcmp(e->action, "merged_from") && sscanf(d, "from %lld%n", &id, &used) == 1) {
		const char *from = page_with_number(r, _(r, "from record {n}"), id);
		if (!d[used])
			return from;
		if (!strncmp(d + used, "; taken: ", 9))
			return arena_printf(&r->arena, "%s; %s %s", from, _(r, "taken from it:"), field_labels(r, d + used + 9));
	}
	if (!strcmp(e->action, "attached") && sscanf(d, "to organisation %lld%n", &id, &used) == 1 && !d[used]) {
		const char *org = web_org_name(r, id);
		return org ? org : d;
	}
	return d;
}

static void history_section(struct request *r, const struct child *c)
{
	struct child_event *ev;
	size_t n;
	if (db_child_events(request_db(r), c->id, &r->arena, &ev, &n) || !n)
		return;
	web_h2(r, "history", _(r, "History"));
	page_scroll_begin(r, NULL);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "When"));
	page_th(r, _(r, "Who"));
	page_th(r, _(r, "What"));
	page_th(r, _(r, "Details"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		struct buf t = BUF_INIT;
		page_time(&t, ev[i].at);
		html_raw_literal(&r->body, "<tr>");
		page_td(r, t.ptr);
		buf_release(&t);
		page_td(r, ev[i].user_name);
		page_td(r, event_label(r, ev[i].action));
		page_td(r, event_detail(r, &ev[i]));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
}

static void child_page(struct request *r, const struct child *c, const struct appeal *appeals, size_t nappeals,
		       const char *notice)
{
	page_begin(r, web_child_name(r, c->surname, c->given_name, c->patronymic));
	if (notice)
		page_notice(r, "ok", notice);
	if (c->merged_into) {
		html_raw_literal(&r->body, "<div class=\"notice info\" role=\"status\">");
		html_text(&r->body, _(r, "This record was merged into another record of the same child:"));
		html_raw_literal(&r->body, " <a href=\"/children/");
		html_int(&r->body, c->merged_into);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, _(r, "open it"));
		html_raw_literal(&r->body, "</a></div>");
	}
	char iin[13];
	int has_iin = c->iin_sealed && child_iin_open(c, iin) == 0;
	struct iin_hint hint;
	memset(&hint, 0, sizeof(hint));
	if (has_iin)
		child_iin_problem(iin, c->birth_date, c->sex, &hint);
	if (hint.birth_differs)
		page_notice(r, "info", arena_printf(&r->arena, "%s %s", _(r, "The IIN encodes another birth date:"),
						    hint.iin_birth));
	if (hint.sex_differs)
		page_notice(r, "info", _(r, "The IIN encodes the other sex. Since 2013 this can be right; check the documents."));
	html_raw_literal(&r->body, "<p class=\"lead\">");
	web_badge(r, "status", web_care_status_label(r, c->care_status));
	if (child_eligible(c->care_status) && !c->mentorship_id) {
		html_raw_literal(&r->body, " ");
		web_badge(r, "overdue", _(r, "no Meyirim attachment"));
	}
	html_raw_literal(&r->body, "</p><table class=\"facts\">");
	web_fact(r, _(r, "IIN"), has_iin ? iin : NULL);
	web_fact(r, _(r, "Birth date"), c->birth_date);
	web_fact(r, _(r, "Sex"), sex_label(r, c->sex));
	web_fact(r, _(r, "District"), web_district_of(r, c->district_id));
	web_fact(r, _(r, "Institution"), c->institution);
	web_fact(r, _(r, "Guardian"), c->guardian_name);
	web_fact(r, _(r, "Guardian's phone"), c->guardian_phone);
	web_fact(r, _(r, "School or college"), c->school);
	web_fact(r, _(r, "Notes"), c->notes);
	html_raw_literal(&r->body, "</table>");
	if (!c->merged_into) {
		html_raw_literal(&r->body, "<p class=\"actions\">");
		if (web_can(r, (struct perm)PERM(UPDATE, CHILD))) {
			html_raw_literal(&r->body, "<a class=\"button\" href=\"/children/");
			html_int(&r->body, c->id);
			html_raw_literal(&r->body, "/edit\">");
			html_text(&r->body, _(r, "Edit"));
			html_raw_literal(&r->body, "</a> ");
		}
		if (web_can(r, (struct perm)PERM(MERGE, CHILD))) {
			html_raw_literal(&r->body, "<a class=\"button\" href=\"/children/");
			html_int(&r->body, c->id);
			html_raw_literal(&r->body, "/merge\">");
			html_text(&r->body, _(r, "Merge a duplicate record into this one"));
			html_raw_literal(&r->body, "</a>");
		}
		html_raw_literal(&r->body, "</p>");
	}
	appeals_section(r, appeals, nappeals);
	meyirim_section(r, c);
	history_section(r, c);
	page_end(r, 200);
}

struct child_view {
	struct actor who;
	struct child c;
	struct appeal *appeals;
	size_t nappeals;
	int grant;
	int saved;
};

static int run_view_audit(struct db *db, struct write_job *job)
{
	struct child_view *v = job->arg;
	return child_audit_read(db, &v->who, v->c.id, v->grant ? "break the glass" : NULL);
}

static void viewed(struct request *r, int status)
{
	struct child_view *v = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	child_page(r, &v->c, v->appeals, v->nappeals, v->saved ? _(r, "Saved.") : NULL);
}

/* Load for a page; outside the scope, offer to break the glass (reading) or say nothing is there. */
static int load_for_page(struct request *r, int64_t id, struct perm perm, struct child *c, int *grant)
{
	int rc = db_child_get(request_db(r), id, &r->arena, c);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	struct scope_filter f = request_scope(r, perm);
	int visible = 0;
	if ((rc = child_visible(request_db(r), &f, c, time_now(), &visible, grant)) != DB_OK) {
		respond_db_error(r, rc);
		return -1;
	}
	if (*grant && perm.action != ACT_READ)
		visible = 0;
	if (!visible) {
		if (perm.action == ACT_READ && web_can(r, (struct perm)PERM(CREATE, ACCESS_GRANT)))
			respond_redirect(r, arena_printf(&r->arena, "/children/%lld/access", (long long)id));
		else
			respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return -1;
	}
	return 0;
}

const struct field web_child_view_fields[] = {
	{"saved", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void web_child(struct request *r)
{
	struct child_view *v = arena_zalloc(&r->arena, sizeof(*v));
	if (load_for_page(r, request_id(r, 0), (struct perm)PERM(READ, CHILD), &v->c, &v->grant) < 0)
		return;
	int rc = child_appeals_for(r, v->c.id, &v->appeals, &v->nappeals);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &v->who);
	v->saved = input_int(&r->in, "saved", 0) != 0;
	r->ctx = v;
	request_write(r, run_view_audit, v, viewed);
}

/* ---------- edit ---------- */

static void edit_form(struct request *r, const struct child *c, int status)
{
	char iin[13];
	int has_iin = c->iin_sealed && child_iin_open(c, iin) == 0;
	page_begin(r, arena_printf(&r->arena, "%s: %s", _(r, "Edit"),
				   web_child_name(r, c->surname, c->given_name, c->patronymic)));
	form_errors_summary(r);
	form_begin(r, arena_printf(&r->arena, "/children/%lld/edit", (long long)c->id));
	child_form_fields(r, c, has_iin ? iin : NULL);
	form_end(r, _(r, "Save"));
	page_end(r, status);
}

static void draw_edit(struct request *r, void *arg)
{
	struct child_form *v = arg;
	edit_form(r, &v->c, v->status);
}

static void show_edit(struct request *r, const struct child *c, int status)
{
	struct child_form *v = arena_zalloc(&r->arena, sizeof(*v));
	v->c = *c;
	v->status = status;
	api_audit_then(r, "read", "child", &v->c.id, 1, "edit form", draw_edit, v);
}

void web_child_edit(struct request *r)
{
	struct child c;
	int grant = 0;
	if (load_for_page(r, request_id(r, 0), (struct perm)PERM(UPDATE, CHILD), &c, &grant) < 0)
		return;
	if (c.merged_into) {
		respond_redirect(r, arena_printf(&r->arena, "/children/%lld", (long long)c.id));
		return;
	}
	show_edit(r, &c, 200);
}

static void child_updated(struct request *r, int status)
{
	struct child_job *cj = r->ctx;
	buf_release(&child_job_draft(cj)->sealed);
	if (status == DB_CONSTRAINT || status == DB_NOTFOUND) {
		respond_redirect(r, arena_printf(&r->arena, "/children/%lld", (long long)child_job_id(cj)));
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, arena_printf(&r->arena, "/children/%lld?saved=1", (long long)child_job_id(cj)));
}

void web_child_update(struct request *r)
{
	int64_t id = request_id(r, 0);
	struct child before;
	int grant = 0;
	if (load_for_page(r, id, (struct perm)PERM(UPDATE, CHILD), &before, &grant) < 0)
		return;
	struct child_job *cj = r->in.nerrors ? NULL : child_update_job(r, id, CHILD_DRAFT_REPLACE);
	if (!cj && !r->in.nerrors)
		return;
	struct child_draft *d = cj ? child_job_draft(cj) : NULL;
	if (d && d->iin_owner)
		input_error(&r->in, &r->arena, "iin", "duplicate_iin", _(r, "Another child has this IIN."));
	if (r->in.nerrors) {
		if (d)
			buf_release(&d->sealed);
		translate_errors(r);
		show_edit(r, &before, 422);
		return;
	}
	child_update_start(r, cj, child_updated);
}

/* ---------- merge ---------- */

/*
 * The records that may be the same child (names within a letter, either
 * order, the same birth date), those the worker may merge: one button each
 * on the form, so nobody has to copy a number out of an address.
 */
static struct child *likely_duplicates(struct request *r, const struct child *c, size_t *n)
{
	int64_t *ids = NULL;
	size_t nids = 0;
	if (child_index_duplicates(request_db(r), c->surname_key, c->given_key, c->birth_date, c->id, &r->arena, &ids,
				   &nids) != DB_OK)
		nids = 0;
	struct child *out = arena_alloc(&r->arena, (nids < 20 ? nids : 20) * sizeof(*out) + 1);
	struct scope_filter f = request_scope(r, (struct perm)PERM(MERGE, CHILD));
	*n = 0;
	for (size_t i = 0; i < nids && *n < 20; i++) {
		struct child *o = &out[*n];
		int visible = 0, grant = 0;
		if (db_child_get(request_db(r), ids[i], &r->arena, o) == DB_OK && !o->merged_into &&
		    child_visible(request_db(r), &f, o, time_now(), &visible, &grant) == DB_OK && visible && !grant)
			(*n)++;
	}
	return out;
}

static void draw_merge(struct request *r, void *arg)
{
	struct child_form *v = arg;
	const struct child *c = &v->c;
	page_begin(r, arena_printf(&r->arena, "%s: %s", _(r, "Merge records"),
				   web_child_name(r, c->surname, c->given_name, c->patronymic)));
	if (v->problem)
		page_notice(r, "error", v->problem);
	form_errors_summary(r);
	html_raw_literal(&r->body, "<p>");
	html_text(&r->body, _(r, "When one child was registered twice, merge the duplicate record into this one: its appeals and Meyirim attachments move here, its IIN too if this record has none, and the duplicate keeps its history with a pointer to this record."));
	html_raw_literal(&r->body, "</p>");
	const char *action = arena_printf(&r->arena, "/children/%lld/merge", (long long)c->id);
	if (v->nothers) {
		web_h2(r, "likely", _(r, "Records that may be the same child"));
		html_raw_literal(&r->body, "<ul class=\"candidates\">");
	}
	for (size_t i = 0; i < v->nothers; i++) {
		const struct child *o = &v->others[i];
		html_raw_literal(&r->body, "<li><a href=\"/children/");
		html_int(&r->body, o->id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, web_child_name(r, o->surname, o->given_name, o->patronymic));
		html_raw_literal(&r->body, "</a> · ");
		html_text(&r->body, o->birth_date ? o->birth_date : "—");
		html_raw_literal(&r->body, " · ");
		html_text(&r->body, web_district_of(r, o->district_id));
		html_raw_literal(&r->body, " · №");
		html_int(&r->body, o->id);
		html_raw_literal(&r->body, " ");
		form_button_field(r, action, _(r, "Merge it into this record"),
				  _(r, "Merge that record into this one? Its appeals and attachments move here."), "duplicate_id",
				  web_id_text(r, o->id));
		html_raw_literal(&r->body, "</li>");
	}
	if (v->nothers)
		html_raw_literal(&r->body, "</ul>");
	web_h2(r, "by-number", v->nothers ? _(r, "Another record") : _(r, "The duplicate record"));
	form_begin(r, action);
	struct form_ctl dup = {"duplicate_id", _(r, "Number of the duplicate record"), CTL_NUMBER,
			       form_value(r, "duplicate_id"), NULL, 1,
			       _(r, "The number at the end of its address: /children/NUMBER."), NULL, 0};
	form_field(r, &dup);
	form_end(r, _(r, "Merge"));
	page_end(r, v->status);
}

/* The merge form, after the reads of this record and of the likely duplicates it lists. */
static void merge_form(struct request *r, const struct child *c, int status, const char *problem)
{
	struct child_form *v = arena_zalloc(&r->arena, sizeof(*v));
	v->c = *c;
	v->status = status;
	v->problem = problem;
	v->others = likely_duplicates(r, c, &v->nothers);
	int64_t *ids = arena_alloc(&r->arena, (v->nothers + 1) * sizeof(*ids));
	ids[0] = c->id;
	for (size_t i = 0; i < v->nothers; i++)
		ids[i + 1] = v->others[i].id;
	api_audit_then(r, "read", "child", ids, v->nothers + 1, "merge candidates", draw_merge, v);
}

void web_child_merge_page(struct request *r)
{
	struct child c;
	int grant = 0;
	if (load_for_page(r, request_id(r, 0), (struct perm)PERM(MERGE, CHILD), &c, &grant) < 0)
		return;
	merge_form(r, &c, 200, NULL);
}

static void merged(struct request *r, int status)
{
	struct child_job *cj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	const char *why = child_merge_refusal(cj);
	if (!why) {
		respond_redirect(r, arena_printf(&r->arena, "/children/%lld?saved=1", (long long)child_job_id(cj)));
		return;
	}
	struct child c;
	if (db_child_get(request_db(r), child_job_id(cj), &r->arena, &c)) {
		respond_db_error(r, DB_ERROR);
		return;
	}
	const char *text = !strcmp(why, "both_attached")
				   ? _(r, "Both records have an active Meyirim attachment: end one of them first.")
			   : !strcmp(why, "same") ? _(r, "A record cannot be merged with itself.")
						  : _(r, "One of the records was merged already.");
	merge_form(r, &c, 409, text);
}

void web_child_merge(struct request *r)
{
	int64_t id = request_id(r, 0);
	struct child c;
	int grant = 0;
	if (load_for_page(r, id, (struct perm)PERM(MERGE, CHILD), &c, &grant) < 0)
		return;
	if (r->in.nerrors) {
		merge_form(r, &c, 422, NULL);
		return;
	}
	int64_t dup = input_int(&r->in, "duplicate_id", 0);
	if (dup == id) {
		merge_form(r, &c, 422, _(r, "A record cannot be merged with itself."));
		return;
	}
	/* A duplicate the caller cannot see is "not found", on the form. */
	struct child other;
	int visible = 0, og = 0;
	struct scope_filter f = request_scope(r, (struct perm)PERM(MERGE, CHILD));
	int rc = db_child_get(request_db(r), dup, &r->arena, &other);
	if (!rc)
		rc = child_visible(request_db(r), &f, &other, time_now(), &visible, &og);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return;
	}
	if (rc == DB_NOTFOUND || !visible || og) {
		input_error(&r->in, &r->arena, "duplicate_id", "not_found", _(r, "There is no such record."));
		merge_form(r, &c, 422, NULL);
		return;
	}
	struct child_job *cj = child_merge_job(r, id, dup);
	if (cj)
		child_merge_start(r, cj, merged);
}
