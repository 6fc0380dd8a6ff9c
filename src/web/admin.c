/* Pages for administrators: users, organisations, districts, permissions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/crypto.h"
#include "core/time.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/lookup.h"
#include "text/collate.h"
#include "web/page.h"
#include "web/web.h"

const char *web_org_kind_label(struct request *r, const char *kind)
{
	static const struct {
		const char *kind, *label;
	} labels[] = {
		{"department", N_("Children's rights department")},
		{"support_centre", N_("Psychological support centre")},
		{"prosecutor", N_("Prosecutor's office")},
		{"ombudsman", N_("Commissioner for children's rights")},
		{"police", N_("Police")},
		{"regional_department", N_("Regional department")},
		{"akimat_department", N_("City or district akimat department")},
		{"education", N_("Education authority")},
		{"health", N_("Health-care institution")},
		{"guardianship", N_("Guardianship authority")},
		{"school", N_("School")},
		{"college", N_("College")},
		{"university", N_("University")},
		{"ngo", N_("Non-governmental organisation")},
		{"other", N_("Other")},
	};
	for (size_t i = 0; kind && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].kind, kind))
			return _(r, labels[i].label);
	return kind ? kind : "";
}

const char *web_scope_label(struct request *r, int scope)
{
	switch (scope) {
	case SCOPE_OWN: return _(r, "own");
	case SCOPE_ORG: return _(r, "organisation");
	case SCOPE_DISTRICT: return _(r, "district");
	case SCOPE_REGION: return _(r, "region");
	default: return "—";
	}
}

const char *web_district_name(struct request *r, const struct district *d)
{
	return r->lang == LANG_RU ? d->name_ru : r->lang == LANG_EN ? d->name_en : d->name_kk;
}

/* Cities first, then districts, each in the alphabetical order of the reader's language. */
static void districts_in_order(struct request *r, struct district *d, size_t n)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0; j--) {
			int c = strcmp(d[j - 1].kind, d[j].kind);
			if (!c)
				c = text_collate(r->lang, web_district_name(r, &d[j - 1]), web_district_name(r, &d[j]));
			if (c <= 0)
				break;
			struct district x = d[j];
			d[j] = d[j - 1];
			d[j - 1] = x;
		}
}

/* Options for the district and organisation selects, from the database. */
struct option *web_district_options(struct request *r)
{
	struct district *items;
	size_t n;
	if (db_district_list(request_db(r), &r->arena, &items, &n))
		n = 0;
	districts_in_order(r, items, n);
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		o[i].value = arena_printf(&r->arena, "%lld", (long long)items[i].id);
		o[i].label = web_district_name(r, &items[i]);
	}
	return o;
}

static int org_order(const void *a, const void *b, void *arg)
{
	struct request *r = arg;
	const struct organisation *x = a, *y = b;
	return text_collate(r->lang, web_org_label(r, x->name, x->name_ru), web_org_label(r, y->name, y->name_ru));
}

/* The organisations list in the alphabetical order of the names the reader sees (Russian ones on Russian pages). */
static void orgs_in_order(struct request *r, struct organisation *items, size_t n)
{
	if (n > 1)
		qsort_r(items, n, sizeof(*items), org_order, r);
}

struct option *web_org_options(struct request *r)
{
	struct organisation *items;
	size_t n;
	if (db_org_list(request_db(r), NULL, &r->arena, &items, &n))
		n = 0;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		o[i].value = arena_printf(&r->arena, "%lld", (long long)items[i].id);
		o[i].label = web_org_label(r, items[i].name, items[i].name_ru);
	}
	page_sort_options(r, o);
	return o;
}

static const char *id_text(struct request *r, int64_t id)
{
	return id > 0 ? arena_printf(&r->arena, "%lld", (long long)id) : NULL;
}

/* ======================= users ======================= */

const struct field web_user_fields[] = {
	{"login", FT_LINE, 0, 3, 64, NULL},
	{"full_name", FT_LINE, F_REQUIRED, 2, 200, NULL},
	{"role", FT_ENUM, F_REQUIRED, 0, 0, role_values},
	{"head", FT_BOOL, 0, 0, 0, NULL},
	{"organisation_id", FT_ID, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"lang", FT_ENUM, 0, 0, 0, lang_values},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void web_users(struct request *r)
{
	struct user *items;
	size_t n;
	int rc = db_user_list(request_db(r), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	page_begin(r, _(r, "Users"));
	page_link_button(r, "/admin/users/new", _(r, "Add a user"));
	page_export_links(r, "users", "");
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Login"));
	page_th(r, _(r, "Full name"));
	page_th(r, _(r, "Role"));
	page_th(r, _(r, "State"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		const struct user *u = &items[i];
		html_raw_literal(&r->body, "<tr><td><a href=\"/admin/users/");
		html_int(&r->body, u->id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, u->login);
		html_raw_literal(&r->body, "</a></td>");
		page_td(r, u->full_name);
		page_td(r, web_role_label(r, role_name(role_effective(role_parse(u->role), u->is_head))));
		page_td(r, !u->active ? _(r, "disabled")
				 : u->locked_until > time_now() ? _(r, "locked") : _(r, "active"));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table>");
	page_end(r, 200);
}

static struct option *role_options(struct request *r)
{
	struct option *o = arena_zalloc(&r->arena, 9 * sizeof(*o));
	for (int i = 0; role_values[i]; i++) {
		o[i].value = role_values[i];
		o[i].label = web_role_label(r, role_values[i]);
	}
	return o;
}

static void user_form(struct request *r, const struct user *u, int status)
{
	int is_new = u == NULL;
	page_begin(r, is_new ? _(r, "Add a user") : u->full_name);
	form_errors_summary(r);
	int posted = r->in.nfields && r->in.v && form_value(r, "full_name");
	const char *action = is_new ? "/admin/users/new" : arena_printf(&r->arena, "/admin/users/%lld", (long long)u->id);
	form_begin(r, action);
#define VAL(name, current) (posted ? form_value(r, name) : (current))
	if (is_new) {
		struct form_ctl login = {"login", _(r, "Login"), CTL_TEXT, VAL("login", NULL), NULL, 1,
					 _(r, "Lowercase Latin letters, digits, dot, dash; it cannot be changed later."),
					 "off", 0};
		form_field(r, &login);
	}
	struct form_ctl name = {"full_name", _(r, "Full name"), CTL_TEXT, VAL("full_name", u ? u->full_name : NULL),
				NULL, 1, NULL, "off", 0};
	struct form_ctl role = {"role", _(r, "Role"), CTL_SELECT, VAL("role", u ? u->role : NULL), role_options(r), 1,
				NULL, NULL, 0};
	struct form_ctl head = {"head", _(r, "Head psychologist (sees all appeals and consultations)"), CTL_CHECKBOX,
				VAL("head", u && u->is_head ? "true" : NULL), NULL, 0, NULL, NULL, 0};
	struct form_ctl org = {"organisation_id", _(r, "Organisation"), CTL_SELECT,
			       VAL("organisation_id", u ? id_text(r, u->organisation_id) : NULL), web_org_options(r), 0,
			       _(r, "Required for school and Meyirim coordinators."), NULL, 1};
	struct form_ctl district = {"district_id", _(r, "Limited to a district"), CTL_SELECT,
				    VAL("district_id", u ? id_text(r, u->district_id) : NULL), web_district_options(r), 0,
				    _(r, "Leave empty for the whole region."), NULL, 1};
	static const struct option lang_options[] = {{"kk", "Қазақша"}, {"ru", "Русский"}, {"en", "English"}, {0, 0}};
	struct form_ctl lang = {"lang", _(r, "Language"), CTL_SELECT, VAL("lang", u ? u->lang : "kk"), lang_options, 1,
				NULL, NULL, 0};
	form_field(r, &name);
	form_field(r, &role);
	form_field(r, &head);
	form_field(r, &org);
	form_field(r, &district);
	form_field(r, &lang);
	if (!is_new) {
		struct form_ctl active = {"active", _(r, "Active (may sign in)"), CTL_CHECKBOX,
					  VAL("active", u->active ? "true" : NULL), NULL, 0, NULL, NULL, 0};
		form_field(r, &active);
	}
#undef VAL
	form_end(r, is_new ? _(r, "Add the user") : _(r, "Save"));
	if (is_new) {
		html_raw_literal(&r->body, "<p class=\"hint\">");
		html_text(&r->body, _(r, "A one-time password is shown once after saving; the user changes it at the first sign-in."));
		html_raw_literal(&r->body, "</p>");
	} else {
		html_raw_literal(&r->body, "<h2>");
		html_text(&r->body, _(r, "Password"));
		html_raw_literal(&r->body, "</h2>");
		form_button(r, arena_printf(&r->arena, "/admin/users/%lld/password", (long long)u->id),
			    _(r, "Reset the password"), _(r, "Reset this user's password and sign them out everywhere?"));
	}
	page_end(r, status);
}

void web_user_new(struct request *r)
{
	user_form(r, NULL, 200);
}

struct user_page_job {
	struct actor who;
	struct user u;
	char password[24];
	char hash[PASSWORD_HASH_MAX];
	int hash_failed;
	int last_admin;
	int is_reset;
};

/* Show a one-time password once, to hand over in person. */
static void show_password(struct request *r, const struct user_page_job *c)
{
	page_begin(r, c->u.full_name);
	page_notice(r, "ok", c->is_reset ? _(r, "The password is reset.") : _(r, "The user is added."));
	html_raw_literal(&r->body, "<p>");
	html_text(&r->body, _(r, "One-time password (shown only now; the user must change it at the first sign-in):"));
	html_raw_literal(&r->body, "</p><p class=\"secret\"><code>");
	html_text(&r->body, c->password);
	html_raw_literal(&r->body, "</code></p><p><a href=\"/admin/users\">");
	html_text(&r->body, _(r, "Back to the users"));
	html_raw_literal(&r->body, "</a></p>");
	page_end(r, 200);
}

static void hash_job(struct pool_job *job)
{
	struct user_page_job *c = job->arg;
	c->hash_failed = password_hash(c->password, c->hash) < 0;
}

static int run_create(struct db *db, struct write_job *job)
{
	struct user_page_job *c = job->arg;
	return account_create(db, &c->who, &c->u);
}

static void created(struct request *r, int status)
{
	struct user_page_job *c = r->ctx;
	if (status == DB_CONSTRAINT) {
		input_error(&r->in, &r->arena, "login", "login_taken", _(r, "This login is taken."));
		user_form(r, NULL, 409);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	show_password(r, c);
}

static void create_hashed(struct request *r, void *arg)
{
	struct user_page_job *c = arg;
	if (c->hash_failed) {
		respond_db_error(r, DB_FULL);
		return;
	}
	c->u.password_hash = c->hash;
	request_write(r, run_create, c, created);
}

/* The messages of account_validate codes, for pages. */
static const char *account_problem_text(struct request *r, const char *code)
{
	if (!strcmp(code, "head_only_for_psychologists"))
		return _(r, "Only a psychologist can be a head psychologist.");
	if (!strcmp(code, "organisation_required"))
		return _(r, "Choose the organisation this account belongs to.");
	if (!strcmp(code, "not_found"))
		return _(r, "It does not exist any more; choose again.");
	return _(r, "This value is not valid.");
}

static int check_account(struct request *r, const struct user *u)
{
	const char *field, *code;
	int rc = account_validate(request_db(r), u, &field, &code);
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	if (code)
		input_error(&r->in, &r->arena, field, code, account_problem_text(r, code));
	return 0;
}

void web_user_create(struct request *r)
{
	struct user_page_job *c = arena_zalloc(&r->arena, sizeof(*c));
	const char *login = input_str(&r->in, "login");
	if (!login)
		input_error(&r->in, &r->arena, "login", "required", "");
	else if (!login_is_valid(login))
		input_error(&r->in, &r->arena, "login", "invalid_login",
			    _(r, "Use 3 to 64 lowercase Latin letters, digits, dot, underscore or dash, starting with a letter."));
	if (r->in.nerrors) {
		user_form(r, NULL, 422);
		return;
	}
	request_actor(r, &c->who);
	c->u.login = login;
	c->u.full_name = input_str(&r->in, "full_name");
	c->u.role = input_str(&r->in, "role");
	c->u.is_head = (int)input_int(&r->in, "head", 0);
	c->u.organisation_id = input_int(&r->in, "organisation_id", 0);
	c->u.district_id = input_int(&r->in, "district_id", 0);
	c->u.lang = input_str(&r->in, "lang") ? input_str(&r->in, "lang") : "kk";
	c->u.active = 1;
	c->u.must_change_password = 1;
	c->u.created_at = time_now();
	if (check_account(r, &c->u) < 0)
		return;
	if (r->in.nerrors) {
		user_form(r, NULL, 422);
		return;
	}
	password_generate(c->password, 17);
	r->ctx = c;
	request_offload(r, hash_job, c, create_hashed);
}

static int load_user(struct request *r, struct user *u)
{
	int rc = db_user_get(request_db(r), request_id(r, 0), &r->arena, u);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	return 0;
}

void web_user_edit(struct request *r)
{
	struct user u;
	if (load_user(r, &u) == 0)
		user_form(r, &u, 200);
}

static int run_update(struct db *db, struct write_job *job)
{
	struct user_page_job *c = job->arg;
	struct arena a;
	struct user before;
	arena_init(&a);
	int rc = db_user_get(db, c->u.id, &a, &before);
	if (!rc && !strcmp(before.role, "admin") && before.active && (strcmp(c->u.role, "admin") || !c->u.active)) {
		int64_t n = 0;
		rc = db_user_count_role(db, "admin", &n);
		if (!rc && n <= 1) {
			c->last_admin = 1;
			rc = DB_CONSTRAINT;
		}
	}
	arena_release(&a);
	return rc ? rc : account_update(db, &c->who, &c->u);
}

static void updated(struct request *r, int status)
{
	struct user_page_job *c = r->ctx;
	if (status == DB_CONSTRAINT && c->last_admin) {
		input_error(&r->in, &r->arena, "role", "last_admin",
			    _(r, "This is the last active administrator: appoint another one first."));
		user_form(r, &c->u, 409);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/admin/users");
}

void web_user_update(struct request *r)
{
	struct user_page_job *c = arena_zalloc(&r->arena, sizeof(*c));
	if (load_user(r, &c->u) < 0)
		return;
	if (r->in.nerrors) {
		user_form(r, &c->u, 422);
		return;
	}
	request_actor(r, &c->who);
	c->u.full_name = input_str(&r->in, "full_name");
	c->u.role = input_str(&r->in, "role");
	c->u.is_head = (int)input_int(&r->in, "head", 0);
	c->u.organisation_id = input_int(&r->in, "organisation_id", 0);
	c->u.district_id = input_int(&r->in, "district_id", 0);
	c->u.lang = input_str(&r->in, "lang") ? input_str(&r->in, "lang") : c->u.lang;
	c->u.active = (int)input_int(&r->in, "active", 0); /* an unticked checkbox is not sent */
	if (check_account(r, &c->u) < 0)
		return;
	if (r->in.nerrors) {
		user_form(r, &c->u, 422);
		return;
	}
	r->ctx = c;
	request_write(r, run_update, c, updated);
}

static int run_reset(struct db *db, struct write_job *job)
{
	struct user_page_job *c = job->arg;
	return account_set_password(db, &c->who, c->u.id, c->hash, 1, 0);
}

static void reset_done(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	show_password(r, r->ctx);
}

static void reset_hashed(struct request *r, void *arg)
{
	struct user_page_job *c = arg;
	if (c->hash_failed) {
		respond_db_error(r, DB_FULL);
		return;
	}
	request_write(r, run_reset, c, reset_done);
}

void web_user_reset(struct request *r)
{
	struct user_page_job *c = arena_zalloc(&r->arena, sizeof(*c));
	if (load_user(r, &c->u) < 0)
		return;
	request_actor(r, &c->who);
	c->is_reset = 1;
	password_generate(c->password, 17);
	r->ctx = c;
	request_offload(r, hash_job, c, reset_hashed);
}

/* ======================= organisations ======================= */

const struct field web_org_fields[] = {
	{"name", FT_LINE, F_REQUIRED, 2, 300, NULL},
	{"name_ru", FT_LINE, 0, 2, 300, NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, org_kinds},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"phone", FT_LINE, 0, 3, 40, NULL},
	{"address", FT_LINE, 0, 3, 300, NULL},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static struct option *kind_options(struct request *r)
{
	size_t n = 0;
	while (org_kinds[n])
		n++;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		o[i].value = org_kinds[i];
		o[i].label = web_org_kind_label(r, org_kinds[i]);
	}
	return o;
}

void web_orgs(struct request *r)
{
	struct organisation *items;
	size_t n;
	int rc = db_org_list(request_db(r), input_str(&r->in, "kind"), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	orgs_in_order(r, items, n);
	page_begin(r, _(r, "Organisations"));
	if (authz_scope(r->user.role, (struct perm)PERM(CREATE, ORGANISATION)) != SCOPE_NONE)
		page_link_button(r, "/admin/organisations/new", _(r, "Add an organisation"));
	form_get_begun(r);
	html_raw_literal(&r->body, "<form method=\"get\" class=\"filters\" action=\"/admin/organisations\">");
	struct form_ctl kind = {"kind", _(r, "Kind"), CTL_SELECT, input_str(&r->in, "kind"), kind_options(r), 0, NULL,
				NULL, 1};
	form_field(r, &kind);
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>");
	const char *k = input_str(&r->in, "kind");
	if (k && *k) {
		struct buf q = BUF_INIT;
		buf_adds(&q, "?kind=");
		html_url_arg(&q, k);
		page_export_links(r, "organisations", q.ptr);
		buf_release(&q);
	} else {
		page_export_links(r, "organisations", "");
	}
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Name"));
	page_th(r, _(r, "Kind"));
	page_th(r, _(r, "Phone"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		/* Every organisation is listed (referrals go to any); a district-limited account opens its district's only. */
		if (org_district_allowed(r, (struct perm)PERM(UPDATE, ORGANISATION), items[i].district_id)) {
			html_raw_literal(&r->body, "<tr><td><a href=\"/admin/organisations/");
			html_int(&r->body, items[i].id);
			html_raw_literal(&r->body, "\">");
			html_text(&r->body, web_org_label(r, items[i].name, items[i].name_ru));
			html_raw_literal(&r->body, "</a></td>");
		} else {
			html_raw_literal(&r->body, "<tr>");
			page_td(r, web_org_label(r, items[i].name, items[i].name_ru));
		}
		page_td(r, web_org_kind_label(r, items[i].kind));
		page_td(r, items[i].phone);
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table>");
	page_end(r, 200);
}

static void org_form(struct request *r, const struct organisation *o, int status)
{
	int is_new = o == NULL;
	int posted = form_value(r, "name") != NULL;
	page_begin(r, is_new ? _(r, "Add an organisation") : o->name);
	form_errors_summary(r);
	form_begin(r, is_new ? "/admin/organisations/new"
			     : arena_printf(&r->arena, "/admin/organisations/%lld", (long long)o->id));
#define VAL(name, current) (posted ? form_value(r, name) : (current))
	struct form_ctl ctls[] = {
		{"name", _(r, "Name"), CTL_TEXT, VAL("name", o ? o->name : NULL), NULL, 1, NULL, "off", 0},
		{"name_ru", _(r, "Name in Russian"), CTL_TEXT, VAL("name_ru", o ? o->name_ru : NULL), NULL, 0, NULL, "off",
		 0},
		{"kind", _(r, "Kind"), CTL_SELECT, VAL("kind", o ? o->kind : NULL), kind_options(r), 1, NULL, NULL, 0},
		{"district_id", _(r, "District"), CTL_SELECT, VAL("district_id", o ? id_text(r, o->district_id) : NULL),
		 web_district_options(r), 0, NULL, NULL, 1},
		{"phone", _(r, "Phone"), CTL_TEL, VAL("phone", o ? o->phone : NULL), NULL, 0, NULL, "off", 0},
		{"address", _(r, "Address"), CTL_TEXT, VAL("address", o ? o->address : NULL), NULL, 0, NULL, "off", 0},
	};
	for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
		form_field(r, &ctls[i]);
	if (!is_new) {
		struct form_ctl active = {"active", _(r, "Active"), CTL_CHECKBOX, VAL("active", o->active ? "true" : NULL),
					  NULL, 0, NULL, NULL, 0};
		form_field(r, &active);
	}
#undef VAL
	form_end(r, _(r, "Save"));
	page_end(r, status);
}

void web_org_new(struct request *r)
{
	org_form(r, NULL, 200);
}

struct org_page_job {
	struct actor who;
	struct organisation o;
	int is_new;
};

static int run_org(struct db *db, struct write_job *job)
{
	struct org_page_job *c = job->arg;
	return c->is_new ? org_create(db, &c->who, &c->o) : org_update(db, &c->who, &c->o);
}

static void org_saved(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/admin/organisations");
}

static void org_from_form(struct request *r, struct organisation *o)
{
	o->name = input_str(&r->in, "name");
	o->name_ru = input_str(&r->in, "name_ru");
	o->kind = input_str(&r->in, "kind");
	o->district_id = input_int(&r->in, "district_id", 0);
	o->phone = input_str(&r->in, "phone");
	o->address = input_str(&r->in, "address");
	if (o->district_id) {
		struct district d;
		int rc = db_district_get(request_db(r), o->district_id, &r->arena, &d);
		if (rc)
			input_error(&r->in, &r->arena, "district_id", "not_found",
				    _(r, "It does not exist any more; choose again."));
	}
}

void web_org_create(struct request *r)
{
	struct org_page_job *c = arena_zalloc(&r->arena, sizeof(*c));
	if (!r->in.nerrors)
		org_from_form(r, &c->o);
	if (!r->in.nerrors && !org_district_allowed(r, (struct perm)PERM(CREATE, ORGANISATION), c->o.district_id))
		input_error(&r->in, &r->arena, "district_id", "outside_scope", _(r, "This is outside your district."));
	if (r->in.nerrors) {
		org_form(r, NULL, 422);
		return;
	}
	request_actor(r, &c->who);
	c->is_new = 1;
	c->o.active = 1;
	c->o.created_at = time_now();
	request_write(r, run_org, c, org_saved);
}

static int load_org(struct request *r, struct organisation *o)
{
	int rc = db_org_get(request_db(r), request_id(r, 0), &r->arena, o);
	if (rc == DB_OK && !org_district_allowed(r, (struct perm)PERM(UPDATE, ORGANISATION), o->district_id))
		rc = DB_NOTFOUND; /* another district's, for a district-limited account */
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	return 0;
}

void web_org_edit(struct request *r)
{
	struct organisation o;
	if (load_org(r, &o) == 0)
		org_form(r, &o, 200);
}

void web_org_update(struct request *r)
{
	struct org_page_job *c = arena_zalloc(&r->arena, sizeof(*c));
	if (load_org(r, &c->o) < 0)
		return;
	struct organisation before = c->o;
	if (!r->in.nerrors)
		org_from_form(r, &c->o);
	if (!r->in.nerrors && !org_district_allowed(r, (struct perm)PERM(UPDATE, ORGANISATION), c->o.district_id))
		input_error(&r->in, &r->arena, "district_id", "outside_scope", _(r, "This is outside your district."));
	if (r->in.nerrors) {
		org_form(r, &before, 422);
		return;
	}
	c->o.active = (int)input_int(&r->in, "active", 0);
	request_actor(r, &c->who);
	request_write(r, run_org, c, org_saved);
}

/* ======================= districts ======================= */

static const char *const district_kinds[] = {"city", "district", NULL};

const struct field web_district_fields[] = {
	{"code", FT_LINE, 0, 2, 40, NULL},
	{"name_kk", FT_LINE, F_REQUIRED, 2, 120, NULL},
	{"name_ru", FT_LINE, F_REQUIRED, 2, 120, NULL},
	{"name_en", FT_LINE, F_REQUIRED, 2, 120, NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, district_kinds},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void web_districts(struct request *r)
{
	struct district *items;
	size_t n;
	int rc = db_district_list(request_db(r), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	districts_in_order(r, items, n);
	page_begin(r, _(r, "Districts"));
	page_link_button(r, "/admin/districts/new", _(r, "Add a district"));
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, _(r, "Name"));
	page_th(r, _(r, "Kind"));
	page_th(r, _(r, "State"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (size_t i = 0; i < n; i++) {
		html_raw_literal(&r->body, "<tr><td><a href=\"/admin/districts/");
		html_int(&r->body, items[i].id);
		html_raw_literal(&r->body, "\">");
		html_text(&r->body, web_district_name(r, &items[i]));
		html_raw_literal(&r->body, "</a></td>");
		page_td(r, !strcmp(items[i].kind, "city") ? _(r, "city") : _(r, "district"));
		page_td(r, items[i].active ? _(r, "active") : _(r, "disabled"));
		html_raw_literal(&r->body, "</tr>");
	}
	html_raw_literal(&r->body, "</tbody></table>");
	page_end(r, 200);
}

static void district_form(struct request *r, const struct district *d, int status)
{
	int is_new = d == NULL;
	int posted = form_value(r, "name_kk") != NULL;
	page_begin(r, is_new ? _(r, "Add a district") : web_district_name(r, d));
	form_errors_summary(r);
	form_begin(r, is_new ? "/admin/districts/new" : arena_printf(&r->arena, "/admin/districts/%lld", (long long)d->id));
#define VAL(name, current) (posted ? form_value(r, name) : (current))
	static const struct option kinds[] = {{"city", N_("city")}, {"district", N_("district")}, {0, 0}};
	struct option *kind_opts = arena_zalloc(&r->arena, sizeof(kinds));
	for (int i = 0; i < 2; i++)
		kind_opts[i] = (struct option){kinds[i].value, _(r, kinds[i].label)};
	if (is_new) {
		struct form_ctl code = {"code", _(r, "Code"), CTL_TEXT, VAL("code", NULL), NULL, 1,
					_(r, "Short Latin name used in files, e.g. semey."), "off", 0};
		form_field(r, &code);
	}
	struct form_ctl ctls[] = {
		{"name_kk", _(r, "Name in Kazakh"), CTL_TEXT, VAL("name_kk", d ? d->name_kk : NULL), NULL, 1, NULL, "off", 0},
		{"name_ru", _(r, "Name in Russian"), CTL_TEXT, VAL("name_ru", d ? d->name_ru : NULL), NULL, 1, NULL, "off", 0},
		{"name_en", _(r, "Name in English"), CTL_TEXT, VAL("name_en", d ? d->name_en : NULL), NULL, 1, NULL, "off", 0},
		{"kind", _(r, "Kind"), CTL_SELECT, VAL("kind", d ? d->kind : NULL), kind_opts, 1, NULL, NULL, 0},
	};
	for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
		form_field(r, &ctls[i]);
	if (!is_new) {
		struct form_ctl active = {"active", _(r, "Active"), CTL_CHECKBOX, VAL("active", d->active ? "true" : NULL),
					  NULL, 0, NULL, NULL, 0};
		form_field(r, &active);
	}
#undef VAL
	form_end(r, _(r, "Save"));
	page_end(r, status);
}

void web_district_new(struct request *r)
{
	district_form(r, NULL, 200);
}

struct district_page_job {
	struct actor who;
	struct district d;
	int is_new;
};

static int run_district(struct db *db, struct write_job *job)
{
	struct district_page_job *c = job->arg;
	return c->is_new ? district_create(db, &c->who, &c->d) : district_update(db, &c->who, &c->d);
}

static void district_saved(struct request *r, int status)
{
	struct district_page_job *c = r->ctx;
	if (status == DB_CONSTRAINT) {
		input_error(&r->in, &r->arena, "code", "duplicate", _(r, "This code is taken."));
		district_form(r, c->is_new ? NULL : &c->d, 409);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	respond_redirect(r, "/admin/districts");
}

static void district_from_form(struct request *r, struct district *d)
{
	d->name_kk = input_str(&r->in, "name_kk");
	d->name_ru = input_str(&r->in, "name_ru");
	d->name_en = input_str(&r->in, "name_en");
	d->kind = input_str(&r->in, "kind");
}

void web_district_create(struct request *r)
{
	struct district_page_job *c = arena_zalloc(&r->arena, sizeof(*c));
	const char *code = input_str(&r->in, "code");
	if (!code)
		input_error(&r->in, &r->arena, "code", "required", "");
	else if (!district_code_valid(code))
		input_error(&r->in, &r->arena, "code", "invalid",
			    _(r, "Use lowercase Latin letters, digits, dash and underscore."));
	if (r->in.nerrors) {
		district_form(r, NULL, 422);
		return;
	}
	request_actor(r, &c->who);
	c->is_new = 1;
	c->d.code = code;
	district_from_form(r, &c->d);
	c->d.active = 1;
	r->ctx = c;
	request_write(r, run_district, c, district_saved);
}

void web_district_edit(struct request *r)
{
	struct district d;
	int rc = db_district_get(request_db(r), request_id(r, 0), &r->arena, &d);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	district_form(r, &d, 200);
}

void web_district_update(struct request *r)
{
	struct district_page_job *c = arena_zalloc(&r->arena, sizeof(*c));
	int rc = db_district_get(request_db(r), request_id(r, 0), &r->arena, &c->d);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	if (r->in.nerrors) {
		district_form(r, &c->d, 422);
		return;
	}
	district_from_form(r, &c->d);
	c->d.active = (int)input_int(&r->in, "active", 0);
	request_actor(r, &c->who);
	r->ctx = c;
	request_write(r, run_district, c, district_saved);
}

/* ======================= permissions ======================= */

static const char *resource_label(struct request *r, int res)
{
	static const char *const labels[RES_COUNT] = {
		[RES_SELF] = N_("Own account"),
		[RES_DISTRICT] = N_("Districts"),
		[RES_ORGANISATION] = N_("Organisations"),
		[RES_USER] = N_("Users"),
		[RES_AUDIT] = N_("Audit log"),
		[RES_PERMISSIONS] = N_("Permissions"),
		[RES_ACCESS_GRANT] = N_("Break the glass (access outside one's scope)"),
		[RES_APPEAL] = N_("Appeals"),
		[RES_CONSULTATION] = N_("Consultations"),
		[RES_CONSULTATION_NOTES] = N_("Consultation notes"),
		[RES_REFERRAL] = N_("Referrals"),
		[RES_CALENDAR] = N_("Working-day calendar"),
		[RES_CHILD] = N_("Children"),
		[RES_MENTORSHIP] = N_("Meyirim attachments, mentors and goals"),
		[RES_CONTACT] = N_("Mentor contacts"),
		[RES_REPORT] = N_("Reports and figures"),
		[RES_SCHOOL] = N_("Schools in the prevention programme"),
		[RES_LECTURER] = N_("Lecturers and their approvals"),
		[RES_LESSON] = N_("Prevention lessons"),
		[RES_EVENT] = N_("Prevention events"),
	};
	return labels[res] ? _(r, labels[res]) : resource_name((enum resource)res);
}

static const char *action_label(struct request *r, int act)
{
	static const char *const labels[ACT_COUNT] = {
		[ACT_READ] = N_("read"),
		[ACT_CREATE] = N_("create"),
		[ACT_UPDATE] = N_("change"),
		[ACT_ASSIGN] = N_("assign"),
		[ACT_EXTEND] = N_("extend the deadline"),
		[ACT_REOPEN] = N_("reopen"),
		[ACT_FORWARD] = N_("forward"),
		[ACT_FLAG] = N_("flag for review"),
		[ACT_ANSWER] = N_("answer"),
		[ACT_MERGE] = N_("merge records"),
		[ACT_CLOSE] = N_("end"),
		[ACT_APPROVE] = N_("approve or revoke"),
		[ACT_RECORD] = N_("record the outcome"),
		[ACT_CONFIRM] = N_("confirm"),
	};
	return _(r, labels[act]);
}

void web_permissions(struct request *r)
{
	page_begin(r, _(r, "Permissions"));
	html_raw_literal(&r->body, "<p>");
	html_text(&r->body, _(r, "What each role may do, and over which records: its own, its organisation's, its district's or the whole region's. Whatever is not listed is denied. An account limited to a district sees only that district where the table says region."));
	html_raw_literal(&r->body, "</p>");
	page_scroll_begin(r, NULL);
	html_raw_literal(&r->body, "<table class=\"list grid\"><thead><tr>");
	page_th(r, _(r, "What"));
	for (int role = ROLE_FIRST; role < ROLE_COUNT; role++)
		page_th(r, web_role_label(r, role_name((enum role)role)));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	for (int res = RES_SELF; res < RES_COUNT; res++) {
		for (int act = 0; act < ACT_COUNT; act++) {
			struct perm p = {(unsigned char)act, (unsigned char)res};
			int any = 0;
			for (int role = ROLE_FIRST; role < ROLE_COUNT; role++)
				any |= authz_scope((enum role)role, p) != SCOPE_NONE;
			if (!any)
				continue;
			html_raw_literal(&r->body, "<tr><th scope=\"row\">");
			html_text(&r->body, resource_label(r, res));
			html_raw_literal(&r->body, ": ");
			html_text(&r->body, action_label(r, act));
			html_raw_literal(&r->body, "</th>");
			for (int role = ROLE_FIRST; role < ROLE_COUNT; role++)
				page_td(r, web_scope_label(r, authz_scope((enum role)role, p)));
			html_raw_literal(&r->body, "</tr>");
		}
	}
	html_raw_literal(&r->body, "</tbody></table></div>");
	page_end(r, 200);
}
