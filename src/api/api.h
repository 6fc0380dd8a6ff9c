/* JSON endpoint handlers, one file per resource; the route table names them. */
#ifndef QORGAU_API_API_H
#define QORGAU_API_API_H

#include "db/db.h"
#include "http/json.h"
#include "db/writer.h"
#include "domain/appeal.h"
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

/* appeals.c */
struct appeal_viewer;
struct appeal_filter;
extern const struct field appeal_create_fields[], appeal_list_fields[], appeal_assign_fields[],
	appeal_transition_fields[], appeal_extend_fields[], appeal_forward_fields[], appeal_notified_fields[],
	appeal_flag_fields[];
extern const char *const appeal_status_filters[];
void appeal_viewer_of(struct request *r, struct perm perm, struct appeal_viewer *v);
/* Load an appeal the caller may act on with perm; -1 after answering 403/404. */
int appeal_load_for(struct request *r, int64_t id, struct perm perm, struct appeal *a, int *by_grant);
const char *appeal_summary(struct request *r, const struct appeal *a);
void api_appeal_json(struct request *r, struct json *j, const struct appeal *a, int with_summary);
int phone_valid(const char *s);
int appeal_draft_check(struct request *r, const char **applicant_type, const char **applicant_name, int64_t *received);
int appeal_filter_from(struct request *r, struct appeal_filter *f, const char **number);
const char *appeal_extension_problem(const struct appeal *a, const char *until);
/* key: an instant as RFC 3339 in local time ("2026-11-25T17:05:00+05:00"), null for 0. */
void api_kv_time(struct json *j, const char *key, int64_t t);

/* A change to one appeal, run by the writer; shared by the API and the pages. */
struct appeal_job {
	struct actor who;
	int64_t id;
	int64_t other; /* psychologist, organisation */
	const char *to;
	const char *text;
	const char *date;
	const char *date2;
	int may_reopen;
	int flag;
	struct appeal_change result;
	int (*apply)(struct db *db, struct appeal_job *c);
};
int appeal_job_run(struct db *db, struct write_job *job);
/* Load the appeal (perm checked) and start a job for it; NULL after answering. */
struct appeal_job *appeal_job_for(struct request *r, struct perm perm, struct appeal *a);
int appeal_apply_assign(struct db *db, struct appeal_job *c);
int appeal_apply_transition(struct db *db, struct appeal_job *c);
int appeal_apply_extend(struct db *db, struct appeal_job *c);
int appeal_apply_forward(struct db *db, struct appeal_job *c);
int appeal_apply_notified(struct db *db, struct appeal_job *c);
int appeal_apply_flag(struct db *db, struct appeal_job *c);
void api_appeal_create(struct request *r);
void api_appeal_get(struct request *r);
void api_appeals_list(struct request *r);
void api_appeal_assign(struct request *r);
void api_appeal_transition(struct request *r);
void api_appeal_extend(struct request *r);
void api_appeal_forward(struct request *r);
void api_appeal_notified(struct request *r);
void api_appeal_flag(struct request *r);
void api_appeal_history(struct request *r);

/* casework.c */
extern const struct field consultation_fields[], referral_fields[], referral_answer_fields[],
	access_grant_fields[], calendar_query[], calendar_import_fields[];
int may_read_notes(struct request *r, const struct consultation *c);
const char *consultation_notes(struct request *r, const struct consultation *c);
void consultation_check(struct request *r);
int consultation_start(struct request *r, int64_t appeal_id, request_write_then then);
void referral_check(struct request *r);
int referral_start(struct request *r, int64_t appeal_id, request_write_then then);
int referral_answer_start(struct request *r, int64_t referral_id, request_write_then then);
void api_referral_json(struct json *j, const struct referral *rf);
int access_grant_start(struct request *r, const char *resource, int64_t id, const char *reason,
		       request_write_then then);
int calendar_import_start(struct request *r, const char *text, request_write_then then, struct buf *why);
void api_consultation_create(struct request *r);
void api_consultations_list(struct request *r);
void api_referral_create(struct request *r);
void api_referrals_of_appeal(struct request *r);
void api_referrals_inbox(struct request *r);
void api_referral_answer(struct request *r);
void api_access_grant(struct request *r);
void api_calendar(struct request *r);
void api_calendar_import(struct request *r);

#endif
