/*
 * The route table: every URL the program answers (router.h). Keep related
 * routes together; the access-matrix test walks this table.
 */
#include "api/api.h"
#include "http/router.h"
#include "web/web.h"

#define API (ROUTE_API)
#define API_WRITE (ROUTE_API | ROUTE_JSON)
#define PAGE 0
#define FORM (ROUTE_FORM)
#define PW ROUTE_BEFORE_PASSWORD

const struct route routes[] = {
	{"GET", "/healthz", api_healthz, PERM(READ, PUBLIC), NULL, API | ROUTE_NO_LOG, "healthz"},
	{"GET", "/metrics", api_metrics, PERM(READ, METRICS), NULL, API | ROUTE_NO_LOG, "metrics"},

	/* JSON API: session and own account */
	{"POST", "/api/v1/session", api_session_create, PERM(CREATE, PUBLIC), session_fields, API_WRITE | ROUTE_NO_CSRF,
	 "session.create"},
	{"DELETE", "/api/v1/session", api_session_delete, PERM(UPDATE, SELF), NULL, API | PW, "session.delete"},
	{"GET", "/api/v1/me", api_me, PERM(READ, SELF), NULL, API | PW, "me.get"},
	{"POST", "/api/v1/me", api_me_update, PERM(UPDATE, SELF), me_fields, API_WRITE | PW, "me.update"},
	{"POST", "/api/v1/me/password", api_me_password, PERM(UPDATE, SELF), password_fields, API_WRITE | PW,
	 "me.password"},

	/* JSON API: administration */
	{"GET", "/api/v1/users", api_users_list, PERM(READ, USER), NULL, API, "users.list"},
	{"POST", "/api/v1/users", api_user_create, PERM(CREATE, USER), user_create_fields, API_WRITE, "users.create"},
	{"GET", "/api/v1/users/{id}", api_user_get, PERM(READ, USER), NULL, API, "users.get"},
	{"POST", "/api/v1/users/{id}", api_user_update, PERM(UPDATE, USER), user_update_fields, API_WRITE,
	 "users.update"},
	{"POST", "/api/v1/users/{id}/password", api_user_reset_password, PERM(UPDATE, USER), NULL, API_WRITE,
	 "users.reset_password"},
	{"GET", "/api/v1/districts", api_districts_list, PERM(READ, DISTRICT), NULL, API, "districts.list"},
	{"POST", "/api/v1/districts", api_district_create, PERM(CREATE, DISTRICT), district_fields, API_WRITE,
	 "districts.create"},
	{"GET", "/api/v1/districts/{id}", api_district_get, PERM(READ, DISTRICT), NULL, API, "districts.get"},
	{"POST", "/api/v1/districts/{id}", api_district_update, PERM(UPDATE, DISTRICT), district_update_fields,
	 API_WRITE, "districts.update"},
	{"GET", "/api/v1/organisations", api_orgs_list, PERM(READ, ORGANISATION), org_list_fields, API, "orgs.list"},
	{"POST", "/api/v1/organisations", api_org_create, PERM(CREATE, ORGANISATION), org_fields, API_WRITE,
	 "orgs.create"},
	{"GET", "/api/v1/organisations/{id}", api_org_get, PERM(READ, ORGANISATION), NULL, API, "orgs.get"},
	{"POST", "/api/v1/organisations/{id}", api_org_update, PERM(UPDATE, ORGANISATION), org_update_fields, API_WRITE,
	 "orgs.update"},
	{"GET", "/api/v1/audit", api_audit_list, PERM(READ, AUDIT), audit_list_fields, API, "audit.list"},
	{"GET", "/api/v1/permissions", api_permissions, PERM(READ, PERMISSIONS), NULL, API, "permissions"},

	/* Pages */
	{"GET", "/static/{file}", web_static, PERM(READ, PUBLIC), NULL, PAGE | ROUTE_NO_LOG, "static"},
	{"GET", "/login", web_login_page, PERM(READ, PUBLIC), web_login_query, PAGE, "login.page"},
	{"POST", "/login", web_login, PERM(CREATE, PUBLIC), web_login_fields, FORM | ROUTE_NO_CSRF, "login"},
	{"POST", "/logout", web_logout, PERM(UPDATE, SELF), NULL, FORM | PW, "logout"},
	{"POST", "/lang", web_set_lang, PERM(UPDATE, PUBLIC), web_lang_fields, FORM, "lang"},
	{"GET", "/", web_home, PERM(READ, SELF), NULL, PAGE, "home"},
	{"GET", "/account", web_account, PERM(READ, SELF), NULL, PAGE, "account"},
	{"POST", "/account/lang", web_account_lang, PERM(UPDATE, SELF), web_lang_fields, FORM | PW, "account.lang"},
	{"GET", "/account/password", web_password_page, PERM(READ, SELF), NULL, PAGE | PW, "password.page"},
	{"POST", "/account/password", web_password, PERM(UPDATE, SELF), web_password_fields, FORM | PW, "password"},
	{"GET", "/admin/users", web_users, PERM(READ, USER), NULL, PAGE, "admin.users"},
	{"GET", "/admin/users/new", web_user_new, PERM(CREATE, USER), NULL, PAGE, "admin.user_new"},
	{"POST", "/admin/users/new", web_user_create, PERM(CREATE, USER), web_user_fields, FORM, "admin.user_create"},
	{"GET", "/admin/users/{id}", web_user_edit, PERM(UPDATE, USER), NULL, PAGE, "admin.user_edit"},
	{"POST", "/admin/users/{id}", web_user_update, PERM(UPDATE, USER), web_user_fields, FORM, "admin.user_update"},
	{"POST", "/admin/users/{id}/password", web_user_reset, PERM(UPDATE, USER), NULL, FORM, "admin.user_reset"},
	{"GET", "/admin/organisations", web_orgs, PERM(READ, ORGANISATION), org_list_fields, PAGE, "admin.orgs"},
	{"GET", "/admin/organisations/new", web_org_new, PERM(CREATE, ORGANISATION), NULL, PAGE, "admin.org_new"},
	{"POST", "/admin/organisations/new", web_org_create, PERM(CREATE, ORGANISATION), web_org_fields, FORM,
	 "admin.org_create"},
	{"GET", "/admin/organisations/{id}", web_org_edit, PERM(UPDATE, ORGANISATION), NULL, PAGE, "admin.org_edit"},
	{"POST", "/admin/organisations/{id}", web_org_update, PERM(UPDATE, ORGANISATION), web_org_fields, FORM,
	 "admin.org_update"},
	{"GET", "/admin/districts", web_districts, PERM(READ, DISTRICT), NULL, PAGE, "admin.districts"},
	{"GET", "/admin/districts/new", web_district_new, PERM(CREATE, DISTRICT), NULL, PAGE, "admin.district_new"},
	{"POST", "/admin/districts/new", web_district_create, PERM(CREATE, DISTRICT), web_district_fields, FORM,
	 "admin.district_create"},
	{"GET", "/admin/districts/{id}", web_district_edit, PERM(UPDATE, DISTRICT), NULL, PAGE, "admin.district_edit"},
	{"POST", "/admin/districts/{id}", web_district_update, PERM(UPDATE, DISTRICT), web_district_fields, FORM,
	 "admin.district_update"},
	{"GET", "/admin/permissions", web_permissions, PERM(READ, PERMISSIONS), NULL, PAGE, "admin.permissions"},
	{"GET", "/audit", web_audit, PERM(READ, AUDIT), audit_list_fields, PAGE, "audit"},
};

const size_t route_count = sizeof(routes) / sizeof(routes[0]);
