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

/* labels.c: translated labels for stored values */
const char *web_channel_label(struct request *r, const char *v);
const char *web_kind_label(struct request *r, const char *v);
const char *web_applicant_label(struct request *r, const char *v);
const char *web_category_label(struct request *r, const char *v);
const char *web_risk_label(struct request *r, const char *v);
const char *web_status_label(struct request *r, const char *v);
/* What an entry of an appeal's history says happened (appeal_event.action). */
const char *web_history_label(struct request *r, const char *v);
const char *web_format_label(struct request *r, const char *v);
const char *web_consent_label(struct request *r, const char *v);
const char *web_referral_status_label(struct request *r, const char *v);
struct option;
struct district;
struct option *web_district_options(struct request *r);
struct option *web_org_options(struct request *r);
const char *web_district_name(struct request *r, const struct district *d);
struct option *web_options(struct request *r, const char *const *values,
			   const char *(*label)(struct request *r, const char *v));

/* parts.c: pieces shared by the pages */
const char *web_id_text(struct request *r, int64_t id); /* NULL for 0 */
/* A date (YYYY-MM-DD, maybe with " HH:MM") as papers in Kazakhstan write it: 20.07.2025 13:57. */
const char *web_paper_date(struct request *r, const char *iso);
/* Pages that show records' data outside their own audited view draw through api_audit_then (api.h). */
const char *web_user_name(struct request *r, int64_t id);
const char *web_org_name(struct request *r, int64_t id);
/* An organisation's name for the reader: its Russian name on Russian pages when it has one, else its own. */
const char *web_org_label(struct request *r, const char *name, const char *name_ru);
const char *web_district_of(struct request *r, int64_t id);
struct perm;
int web_can(struct request *r, struct perm p);
void web_h2(struct request *r, const char *id, const char *text);
/* A row of a facts table: label and value ("—" when empty). */
void web_fact(struct request *r, const char *label, const char *value);
void web_badge(struct request *r, const char *cls, const char *text);

/* appeals.c */
extern const struct field web_appeal_list_fields[];
void web_appeals(struct request *r);
void web_appeal_new(struct request *r);
void web_appeal_create(struct request *r);
void web_appeal(struct request *r);
void web_appeal_slip(struct request *r);
void web_appeal_action(struct request *r);
void web_deadlines(struct request *r);
void web_caseload(struct request *r);
void web_referrals(struct request *r);
void web_referral_answer(struct request *r);
void web_calendar(struct request *r);
void web_calendar_import(struct request *r);
void web_access_page(struct request *r);
void web_access_grant(struct request *r);
void web_consultation_create(struct request *r);
void web_referral_create(struct request *r);
void web_referral_revoke(struct request *r);
extern const struct field web_appeal_view_fields[], web_referral_answer_fields[], web_calendar_fields[],
	web_access_fields[], web_caseload_fields[];

/* Labels for stored values, translated. */
const char *web_role_label(struct request *r, const char *role);
const char *web_org_kind_label(struct request *r, const char *kind);
const char *web_scope_label(struct request *r, int scope);

/* children.c */
struct child;
extern const struct field web_child_list_fields[], web_child_view_fields[];
const char *web_care_status_label(struct request *r, const char *v);
const char *web_child_name(struct request *r, const char *surname, const char *given, const char *patronymic);
/* label names the table's region (NULL: the page's title). */
void web_child_table(struct request *r, const struct child *items, size_t n, const char *label);
void web_children(struct request *r);
void web_child_new(struct request *r);
void web_child_create(struct request *r);
void web_child(struct request *r);
void web_child_edit(struct request *r);
void web_child_update(struct request *r);
void web_child_merge_page(struct request *r);
void web_child_merge(struct request *r);

/* meyirim.c */
extern const struct field web_meyirim_list_fields[], web_meyirim_new_fields[], web_mentorship_view_fields[],
	web_goal_progress_fields[];
const char *web_contact_kind_label(struct request *r, const char *v);
void web_meyirim(struct request *r);
void web_meyirim_new(struct request *r);
void web_meyirim_create(struct request *r);
void web_mentorship(struct request *r);
void web_mentorship_action(struct request *r);
void web_goal_progress(struct request *r);
void web_meyirim_alerts(struct request *r);
void web_meyirim_campaign(struct request *r);
/* The home page's Meyirim cards (alerts in the caller's scope). */
void web_meyirim_home(struct request *r);

/* prevention.c */
extern const struct field web_lessons_fields[], web_lesson_view_fields[];
const char *web_topic_label(struct request *r, const char *v);
const char *web_event_kind_label(struct request *r, const char *v);
void web_lessons(struct request *r);
void web_lesson_new(struct request *r);
void web_lesson_create(struct request *r);
void web_lesson(struct request *r);
void web_lesson_action(struct request *r);
void web_schools(struct request *r);
void web_school(struct request *r);
void web_school_update(struct request *r);
void web_lecturers(struct request *r);
void web_lecturer_create(struct request *r);
void web_lecturer(struct request *r);
void web_lecturer_action(struct request *r);
void web_events(struct request *r);
void web_event(struct request *r);
void web_event_save(struct request *r);
void web_programme(struct request *r);

/* reports.c */
struct summary;
extern const struct field web_report_fields[], web_quarterly_fields[];
void web_summary_cards(struct request *r, const struct summary *s);
void web_dashboard(struct request *r);
void web_reports(struct request *r);
void web_quarterly(struct request *r);

#endif
