/* Page handlers, one file per page group; the route table names them. */
#ifndef QORGAU_WEB_WEB_H
#define QORGAU_WEB_WEB_H

#include "http/request.h"

/* static.c */
void web_static(struct request *r);

/* account.c: signing in and out, language, home, own account */
extern const struct field web_login_fields[], web_login_query[], web_lang_fields[], web_password_fields[];
void web_login_page(struct request *r);
void web_login(struct request *r);
void web_logout(struct request *r);
void web_set_lang(struct request *r);
void web_home(struct request *r);
void web_account(struct request *r);
void web_account_lang(struct request *r);
void web_password_page(struct request *r);
void web_password(struct request *r);

/* admin.c: users, organisations, districts, permissions */
extern const struct field web_user_fields[], web_org_fields[], web_district_fields[];
void web_users(struct request *r);
void web_user_new(struct request *r);
void web_user_create(struct request *r);
void web_user_edit(struct request *r);
void web_user_update(struct request *r);
void web_user_reset(struct request *r);
void web_orgs(struct request *r);
void web_org_new(struct request *r);
void web_org_create(struct request *r);
void web_org_edit(struct request *r);
void web_org_update(struct request *r);
void web_districts(struct request *r);
void web_district_new(struct request *r);
void web_district_create(struct request *r);
void web_district_edit(struct request *r);
void web_district_update(struct request *r);
void web_permissions(struct request *r);

/* audit.c */
void web_audit(struct request *r);

/* Labels for stored values, translated. */
const char *web_role_label(struct request *r, const char *role);
const char *web_org_kind_label(struct request *r, const char *kind);
const char *web_scope_label(struct request *r, int scope);

#endif
