/* JSON endpoint handlers, one file per resource; the route table names them. */
#ifndef QORGAU_API_API_H
#define QORGAU_API_API_H

#include "db/db.h"
#include "http/json.h"
#include "http/request.h"

extern const char *const role_values[];
extern const char *const lang_values[];

/* health.c */
void api_healthz(struct request *r);
void api_metrics(struct request *r);

/* session.c */
extern const struct field session_fields[], me_fields[], password_fields[];
void api_user_json(struct json *j, const struct user *u);
void api_session_create(struct request *r);
void api_session_delete(struct request *r);
void api_me(struct request *r);
void api_me_update(struct request *r);
void api_me_password(struct request *r);

/* users.c */
extern const struct field user_create_fields[], user_update_fields[];
void api_users_list(struct request *r);
void api_user_get(struct request *r);
void api_user_create(struct request *r);
void api_user_update(struct request *r);
void api_user_reset_password(struct request *r);

/* districts.c */
extern const struct field district_fields[], district_update_fields[];
int district_code_valid(const char *code);
void api_districts_list(struct request *r);
void api_district_get(struct request *r);
void api_district_create(struct request *r);
void api_district_update(struct request *r);

/* organisations.c */
extern const struct field org_fields[], org_update_fields[], org_list_fields[];
void api_org_json(struct json *j, const struct organisation *o);
void api_orgs_list(struct request *r);
void api_org_get(struct request *r);
void api_org_create(struct request *r);
void api_org_update(struct request *r);

/* audit.c */
extern const struct field audit_list_fields[];
int64_t local_day_start(const char *date);
int api_audit_filter(struct request *r, struct audit_filter *f);
void api_audit_list(struct request *r);
void api_permissions(struct request *r);

#endif
