/* Pages: sign in and out, the language switch, home, and one's own account. */
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "api/api.h"
#include "core/time.h"
#include "domain/account.h"
#include "domain/appeal.h"
#include "domain/deadlines.h"
#include "domain/audit.h"
#include "http/cookie.h"
#include "http/login.h"
#include "http/server.h"
#include "domain/report.h"
#include "web/page.h"
#include "web/web.h"

const struct field web_login_fields[] = {
	{"login", FT_LINE, F_REQUIRED, 1, 64, NULL},
	{"password", FT_SECRET, F_REQUIRED, 1, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field web_login_query[] = {
	{"expired", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static void login_form(struct request *r, int status, const char *problem)
{
	char pre[TOKEN_TEXT_LEN + 1];
	token_new(pre);
	cookie_set(r, PRELOGIN_COOKIE, pre, COOKIE_SESSION);
	page_begin(r, _(r, "Sign in"));
	if (problem)
		page_notice(r, "error", problem);
	else if (r->session_expired || (r->in.nfields && input_int(&r->in, "expired", 0)))
		page_notice(r, "info", _(r, "Your session has ended. Sign in again."));
	html_raw_literal(&r->body, "<div class=\"narrow\">");
	form_begin(r, "/login");
	html_raw_literal(&r->body, "<input type=\"hidden\" name=\"_csrf\" value=\"");
	html_attr(&r->body, pre);
	html_raw_literal(&r->body, "\">");
	struct form_ctl login = {"login", _(r, "Login"), CTL_TEXT, form_value(r, "login"), NULL, 1, NULL, "username", 0};
	struct form_ctl password = {"password", _(r, "Password"), CTL_PASSWORD, NULL, NULL, 1, NULL, "current-password",
				    0};
	form_field(r, &login);
	form_field(r, &password);
	form_end(r, _(r, "Sign in"));
	html_raw_literal(&r->body, "</div>");
	page_end(r, status);
}

void web_login_page(struct request *r)
{
	if (r->user.user_id) {
		respond_redirect(r, "/");
		return;
	}
	login_form(r, 200, NULL);
}

static void signed_in(struct request *r, struct login_attempt *at, int db_status)
{
	switch (at->result) {
	case LOGIN_OK:
		login_set_cookie(r, at);
		cookie_set(r, PRELOGIN_COOKIE, "", COOKIE_DELETE);
		respond_redirect(r, "/");
		return;
	case LOGIN_BAD:
		login_form(r, 401, _(r, "The login or the password is wrong."));
		return;
	case LOGIN_LOCKED:
		login_form(r, 429, page_with_number(r, _(r, "Too many failed attempts: this account is locked. Try again in {n} min."),
						    (r->w->server->cfg->login_lockout + 59) / 60));
		return;
	case LOGIN_THROTTLED:
		login_form(r, 429, _(r, "Too many failed attempts from this computer. Try again later."));
		return;
	default:
		respond_db_error(r, db_status ? db_status : DB_ERROR);
	}
}

void web_login(struct request *r)
{
	/* The sign-in form's CSRF token is the double-submitted pre-login cookie. */
	size_t n;
	const char *pre = cookie_get(r, PRELOGIN_COOKIE, &n);
	if (!pre || !r->in.csrf || strlen(r->in.csrf) != n || !bytes_equal(pre, r->in.csrf, n)) {
		login_form(r, 403, _(r, "The form has expired. Go back, reload the page and try again."));
		return;
	}
	if (r->in.nerrors) {
		login_form(r, 422, _(r, "Enter the login and the password."));
		return;
	}
	login_start(r, input_str(&r->in, "login"), input_str(&r->in, "password"), signed_in);
}

struct close_ctx {
	struct actor who;
	int64_t session_id;
};

static int run_logout(struct db *db, struct write_job *job)
{
	struct close_ctx *c = job->arg;
	return session_close(db, c->session_id, c->who.user_id, c->who.role, c->who.client);
}

static void logged_out(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	cookie_set(r, SESSION_COOKIE, "", COOKIE_DELETE);
	respond_redirect(r, "/login");
}

void web_logout(struct request *r)
{
	if (!r->user.session_id) {
		respond_redirect(r, "/login");
		return;
	}
	struct close_ctx *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->session_id = r->user.session_id;
	request_write(r, run_logout, c, logged_out);
}

/* --- language --- */

static const char *const langs[] = {"kk", "ru", "en", NULL};

const struct field web_lang_fields[] = {
	{"lang", FT_ENUM, F_REQUIRED, 0, 0, langs},
	{"next", FT_LINE, 0, 1, 2000, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

struct lang_ctx {
	struct actor who;
	const char *lang;
	const char *next;
};

static int run_lang(struct db *db, struct write_job *job)
{
	struct lang_ctx *c = job->arg;
	return account_set_lang(db, &c->who, c->who.user_id, c->lang);
}

static void lang_saved(struct request *r, int status)
{
	struct lang_ctx *c = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, c->next);
}

void web_set_lang(struct request *r)
{
	struct lang_ctx *c = arena_zalloc(&r->arena, sizeof(*c));
	if (r->in.nerrors) {
		respond_error(r, 400, "invalid", "choose kk, ru or en", NULL);
		return;
	}
	c->lang = input_str(&r->in, "lang");
	c->next = input_str(&r->in, "next") ? input_str(&r->in, "next") : "/";
	cookie_set(r, LANG_COOKIE, c->lang, 365 * 86400);
	if (!r->user.user_id) {
		respond_redirect(r, c->next);
		return;
	}
	request_actor(r, &c->who);
	r->ctx = c;
	request_write(r, run_lang, c, lang_saved);
}

void web_account_lang(struct request *r)
{
	web_set_lang(r);
}

/* --- home and account --- */

const char *web_role_label(struct request *r, const char *role)
{
	static const struct {
		const char *role, *label;
	} labels[] = {
		{"admin", N_("Administrator")},
		{"coordinator", N_("Coordinator of the children's rights department")},
		{"psychologist", N_("Psychologist")},
		{"head_psychologist", N_("Head psychologist")},
		{"prosecutor", N_("Prosecutor's office")},
		{"ombudsman", N_("Commissioner for children's rights")},
		{"school", N_("School coordinator")},
		{"mentor_org", N_("Meyirim coordinator of an organisation")},
		{"lecturer", N_("Lecturer")},
	};
	for (size_t i = 0; role && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].role, role))
			return _(r, labels[i].label);
	return role ? role : "";
}

struct home_link {
	const char *href;
	const char *title;
	const char *text;
	struct perm perm;
};

static const struct home_link home_links[] = {
	{"/appeals/new", N_("Register an appeal"), N_("A new appeal from any channel, with its legal deadline."),
	 PERM(CREATE, APPEAL)},
	{"/appeals?status=open", N_("Open appeals"), N_("Critical ones first, then by risk and due date."),
	 PERM(READ, APPEAL)},
	{"/caseload", N_("Caseload"), N_("The open appeals of a psychologist."), PERM(READ, CONSULTATION)},
	{"/referrals", N_("Referrals to us"), N_("Appeals referred to your organisation, to answer."),
	 PERM(ANSWER, REFERRAL)},
	{"/children", N_("Children"), N_("The registry: search by name in any script, by IIN or birth date."),
	 PERM(READ, CHILD)},
	{"/meyirim", N_("Meyirim"), N_("Children attached to organisations, their mentors, goals and contacts."),
	 PERM(READ, MENTORSHIP)},
	{"/meyirim/campaign", N_("The campaign in figures"), N_("Children attached, contacts per month, goals reached."),
	 PERM(READ, REPORT)},
	{"/lessons", N_("Prevention lessons"), N_("The schedule of lessons in schools, by month, school or lecturer."),
	 PERM(READ, LESSON)},
	{"/events", N_("Prevention events"), N_("Large prevention events and their participants."), PERM(READ, EVENT)},
	{"/programme", N_("Coverage"), N_("Schools reached, lessons held, pupils, lecturers, events."), PERM(READ, REPORT)},
	{"/calendar", N_("Working-day calendar"), N_("Public holidays and transfers that legal deadlines count with."),
	 PERM(UPDATE, CALENDAR)},
	{"/admin/users", N_("Users"), N_("Accounts, roles and access of the people who use Qorgau."), PERM(READ, USER)},
	{"/admin/organisations", N_("Organisations"),
	 N_("The department, the support centre, schools and the other organisations."), PERM(UPDATE, ORGANISATION)},
	{"/admin/districts", N_("Districts"), N_("The cities and districts of the region."), PERM(UPDATE, DISTRICT)},
	{"/admin/permissions", N_("Permissions"), N_("Which role may do what, and in which scope."),
	 PERM(READ, PERMISSIONS)},
	{"/audit", N_("Audit log"), N_("Who did what and when, in a tamper-evident record."), PERM(READ, AUDIT)},
	{"/account", N_("My account"), N_("Your details, language and password."), PERM(READ, SELF)},
};

/* Overdue and due-soon counts in the caller's scope, as links to the lists. */
static void deadline_badges(struct request *r)
{
	if (authz_scope(r->user.role, (struct perm)PERM(READ, APPEAL)) == SCOPE_NONE)
		return;
	struct appeal_viewer v;
	appeal_viewer_of(r, (struct perm)PERM(READ, APPEAL), &v);
	struct appeal_scope scope = appeal_scope_for(&v);
	char today[11], yesterday[11], soon[11];
	today_text(today);
	date_format(today_days() - 1, yesterday);
	date_format(calendar_add_working_days(deadlines_calendar(), today_days(), 3), soon);
	struct appeal_filter over = {.status = "open", .due_to = yesterday};
	struct appeal_filter near = {.status = "open", .due_from = today, .due_to = soon};
	struct appeal_filter open = {.status = "open"};
	int64_t n_over = 0, n_near = 0, n_open = 0;
	if (db_appeal_count(request_db(r), &scope, &over, &n_over) || db_appeal_count(request_db(r), &scope, &near, &n_near) ||
	    db_appeal_count(request_db(r), &scope, &open, &n_open))
		return;
	html_raw_literal(&r->body, "<ul class=\"cards\"><li><a href=\"/appeals?overdue=true\"><span class=\"count\">");
	html_int(&r->body, n_over);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, _(r, "Overdue"));
	html_raw_literal(&r->body, "</strong></a></li><li><a href=\"/appeals?due_soon=true\"><span class=\"count\">");
	html_int(&r->body, n_near);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, _(r, "Due within three working days"));
	html_raw_literal(&r->body, "</strong></a></li><li><a href=\"/appeals?status=open\"><span class=\"count\">");
	html_int(&r->body, n_open);
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, _(r, "Open appeals"));
	html_raw_literal(&r->body, "</strong></a></li></ul>");
}

void web_home(struct request *r)
{
	page_begin(r, _(r, "Home"));
	html_raw_literal(&r->body, "<p class=\"lead\">");
	html_text(&r->body, r->user.full_name);
	html_raw_literal(&r->body, " · ");
	html_text(&r->body, web_role_label(r, role_name(r->user.role)));
	html_raw_literal(&r->body, "</p>\n");
	deadline_badges(r);
	/* The year's headline figures, in the caller's scope, for those who see reports. */
	if (authz_scope(r->user.role, (struct perm)PERM(READ, REPORT)) != SCOPE_NONE) {
		char from[11], to[11];
		today_text(to);
		snprintf(from, sizeof(from), "%.4s-01-01", to);
		struct summary s;
		struct scope_filter f = request_scope(r, (struct perm)PERM(READ, REPORT));
		struct report_scope rs;
		if (report_scope_for(&f, 0, &rs) == 0 &&
		    report_summary(request_db(r), &rs, from, to, 30, &s) == DB_OK) {
			html_raw_literal(&r->body, "<h2><a href=\"/dashboard\">");
			html_text(&r->body, page_with_number(r, _(r, "The year {n} in figures"), (to[0] - '0') * 1000 + (to[1] - '0') * 100 + (to[2] - '0') * 10 + (to[3] - '0')));
			html_raw_literal(&r->body, "</a></h2>");
			web_summary_cards(r, &s);
		}
	}
	web_meyirim_home(r);
	html_raw_literal(&r->body, "<ul class=\"cards\">");
	for (size_t i = 0; i < sizeof(home_links) / sizeof(home_links[0]); i++) {
		const struct home_link *l = &home_links[i];
		if (authz_scope(r->user.role, l->perm) == SCOPE_NONE)
			continue;
		html_raw_literal(&r->body, "<li><a href=\"");
		html_attr(&r->body, l->href);
		html_raw_literal(&r->body, "\"><strong>");
		html_text(&r->body, _(r, l->title));
		html_raw_literal(&r->body, "</strong><span>");
		html_text(&r->body, _(r, l->text));
		html_raw_literal(&r->body, "</span></a></li>");
	}
	html_raw_literal(&r->body, "</ul>\n");
	page_end(r, 200);
}

static void row(struct request *r, const char *label, const char *value)
{
	html_raw_literal(&r->body, "<tr><th scope=\"row\">");
	html_text(&r->body, label);
	html_raw_literal(&r->body, "</th><td>");
	html_text(&r->body, value && *value ? value : "—");
	html_raw_literal(&r->body, "</td></tr>");
}

void web_account(struct request *r)
{
	struct user u;
	int rc = db_user_get(request_db(r), r->user.user_id, &r->arena, &u);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	const char *org = NULL, *district = NULL;
	struct organisation o;
	struct district d;
	if (u.organisation_id && !db_org_get(request_db(r), u.organisation_id, &r->arena, &o))
		org = web_org_label(r, o.name, o.name_ru);
	if (u.district_id && !db_district_get(request_db(r), u.district_id, &r->arena, &d))
		district = r->lang == LANG_RU ? d.name_ru : r->lang == LANG_EN ? d.name_en : d.name_kk;
	page_begin(r, _(r, "My account"));
	html_raw_literal(&r->body, "<table class=\"facts\">");
	row(r, _(r, "Full name"), u.full_name);
	row(r, _(r, "Login"), u.login);
	row(r, _(r, "Role"), web_role_label(r, role_name(r->user.role)));
	row(r, _(r, "Organisation"), org);
	row(r, _(r, "District"), district ? district : _(r, "The whole region"));
	html_raw_literal(&r->body, "</table>\n<h2>");
	html_text(&r->body, _(r, "Language"));
	html_raw_literal(&r->body, "</h2>");
	static const struct option lang_options[] = {{"kk", "Қазақша"}, {"ru", "Русский"}, {"en", "English"}, {0, 0}};
	form_begin(r, "/account/lang");
	struct form_ctl lang = {"lang", _(r, "Language of the pages"), CTL_SELECT, u.lang, lang_options, 1, NULL, NULL,
				0};
	form_field(r, &lang);
	struct form_ctl next = {"next", "", CTL_HIDDEN, "/account", NULL, 0, NULL, NULL, 0};
	form_field(r, &next);
	form_end(r, _(r, "Save"));
	html_raw_literal(&r->body, "<h2>");
	html_text(&r->body, _(r, "Password"));
	html_raw_literal(&r->body, "</h2><p><a href=\"/account/password\">");
	html_text(&r->body, _(r, "Change the password"));
	html_raw_literal(&r->body, "</a></p>");
	page_end(r, 200);
}

/* --- changing one's password --- */

const struct field web_password_fields[] = {
	{"current_password", FT_SECRET, F_REQUIRED, 1, 256, NULL},
	{"new_password", FT_SECRET, F_REQUIRED, 1, 256, NULL},
	{"new_password_again", FT_SECRET, F_REQUIRED, 1, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static void password_form(struct request *r, int status)
{
	page_begin(r, _(r, "Change the password"));
	if (r->user.must_change_password)
		page_notice(r, "info", _(r, "Choose a new password before you go on."));
	form_errors_summary(r);
	html_raw_literal(&r->body, "<div class=\"narrow\">");
	form_begin(r, "/account/password");
	struct form_ctl cur = {"current_password", _(r, "Current password"), CTL_PASSWORD, NULL, NULL, 1, NULL,
			       "current-password", 0};
	struct form_ctl nw = {"new_password", _(r, "New password"), CTL_PASSWORD, NULL, NULL, 1,
			      _(r, "At least 10 characters; not your login or name."), "new-password", 0};
	struct form_ctl again = {"new_password_again", _(r, "New password again"), CTL_PASSWORD, NULL, NULL, 1, NULL,
				 "new-password", 0};
	form_field(r, &cur);
	form_field(r, &nw);
	form_field(r, &again);
	form_end(r, _(r, "Change the password"));
	html_raw_literal(&r->body, "</div>");
	page_end(r, status);
}

void web_password_page(struct request *r)
{
	password_form(r, 200);
}

static void password_done(struct request *r, struct pw_change *c, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (password_change_locked(c)) {
		input_error(&r->in, &r->arena, "current_password", "account_locked",
			    _(r, "Too many wrong passwords: the account is locked for a while. Try again later."));
		password_form(r, 429);
		return;
	}
	if (!password_change_ok(c)) {
		input_error(&r->in, &r->arena, "current_password", "wrong_password",
			    _(r, "The current password is wrong."));
		password_form(r, 422);
		return;
	}
	r->user.must_change_password = 0;
	page_begin(r, _(r, "Change the password"));
	page_notice(r, "ok", _(r, "The password is changed. Your other sessions have been signed out."));
	html_raw_literal(&r->body, "<p><a href=\"/\">");
	html_text(&r->body, _(r, "Back to the home page"));
	html_raw_literal(&r->body, "</a></p>");
	page_end(r, 200);
}

void web_password(struct request *r)
{
	if (r->in.nerrors) {
		password_form(r, 422);
		return;
	}
	const char *nw = input_str(&r->in, "new_password");
	if (strcmp(nw, input_str(&r->in, "new_password_again"))) {
		input_error(&r->in, &r->arena, "new_password_again", "mismatch", _(r, "The two new passwords differ."));
		/* The new password's own rules are said with it, not in the next round. */
		const char *rule = password_problem(nw, r->user.login ? r->user.login : "",
						    r->user.full_name ? r->user.full_name : "");
		if (rule)
			input_error(&r->in, &r->arena, "new_password", rule, "");
		password_form(r, 422);
		return;
	}
	const char *problem = password_change_start(r, input_str(&r->in, "current_password"), nw, password_done);
	if (!problem)
		return;
	if (!strcmp(problem, "unavailable")) {
		respond_db_error(r, DB_UNAVAILABLE);
		return;
	}
	input_error(&r->in, &r->arena, "new_password", problem, "");
	password_form(r, 422);
}
