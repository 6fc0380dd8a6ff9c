/* JSON endpoint handlers, one file per resource; the route table names them. */
#ifndef QORGAU_API_API_H
#define QORGAU_API_API_H

#include "db/db.h"
#include "http/json.h"
#include "db/writer.h"
#include "domain/appeal.h"
#include "domain/child.h"
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
/* Whether the caller may create or change an organisation in this district (district-limited accounts). */
int org_district_allowed(struct request *r, struct perm perm, int64_t district_id);
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
/* Send the JSON already in r->body once an audit row for it is durable (or a 503/500 instead). */
void api_respond_audited(struct request *r, const char *action, const char *resource, int64_t id, const char *detail);
/*
 * Run then(r, arg) once the audit has its rows: one of action on resource
 * for each of ids[0..n) (with detail, may be NULL), durable first; a failed
 * write answers the error instead. ids are copied; n == 0: then at once.
 * For answers and pages that show records' data outside their own audited
 * view: forms shown again, edit and merge forms, candidates, inboxes.
 */
typedef void (*api_then_fn)(struct request *r, void *arg);
void api_audit_then(struct request *r, const char *action, const char *resource, const int64_t *ids, size_t n,
		    const char *detail, api_then_fn then, void *arg);
/* The same with a status and a row for each of ids[0..n) (n == 0: no row, answered at once). */
void api_respond_audited_rows(struct request *r, int status, const char *action, const char *resource,
			      const int64_t *ids, size_t n, const char *detail);
/* key: an instant as RFC 3339 in local time ("2026-11-25T17:05:00+05:00"), null for 0. */
void api_kv_time(struct json *j, const char *key, int64_t t);
/*
 * Every list's envelope, {"items": […], "next": …}: begin opens it in body
 * and its array; end closes them with next, the cursor of the page after
 * this one (NULL: this is the last).
 */
void api_items_begin(struct json *j, struct buf *body);
void api_items_end(struct json *j, const char *next);

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
/* -1: answered (not found, refused); -2: an error of the input added to r->in, for the caller to show. */
int consultation_start(struct request *r, int64_t appeal_id, request_write_then then);
/* In a consultation's or a referral's then: whether the appeal refused it (not open); the first releases the job's sealed notes. */
int consultation_job_refused(struct request *r);
int referral_job_refused(struct request *r);
void referral_check(struct request *r);
int referral_start(struct request *r, int64_t appeal_id, request_write_then then);
int referral_answer_start(struct request *r, int64_t referral_id, request_write_then then);
void api_referral_json(struct json *j, const struct referral *rf);
int access_grant_start(struct request *r, const char *resource, int64_t id, const char *reason,
		       request_write_then then);
/* Import a calendar file: -1 with why when the text is refused, -2 when already answered (a district account). */
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

/* children.c: shared with the pages */
extern const struct field child_create_fields[], child_update_fields[], child_list_fields[], child_merge_fields[];
struct child_draft {
	struct buf sealed; /* the sealed IIN, when one was given */
	struct iin_hint hint;
	int iin_changed;
	int64_t iin_owner;   /* another child with this IIN */
	int64_t *candidates; /* possible duplicates (name and birth date) */
	size_t ncandidates;
};
struct child_job;
void api_child_brief_json(struct json *j, const struct child *c);
void api_child_json(struct request *r, struct json *j, const struct child *c, const struct appeal *appeals,
		    size_t nappeals);
/* Load a child the caller may act on with perm; -1 after answering 403/404. */
int child_load_for(struct request *r, int64_t id, struct perm perm, struct child *c, int *by_grant);
int child_appeals_for(struct request *r, int64_t child_id, struct appeal **items, size_t *n);
/* How a request's fields apply to a child: all of them, only those given (and "clear"), or the whole form. */
enum child_draft_mode { CHILD_DRAFT_CREATE, CHILD_DRAFT_PATCH, CHILD_DRAFT_REPLACE };
/* Fill c from the request; errors go to r->in; -1 after answering. */
int child_draft_from_input(struct request *r, struct child *c, enum child_draft_mode mode, struct child_draft *d);
/* -1 after answering 409 when the draft matches another child (and, for names, confirmed is 0). */
int child_check_duplicates(struct request *r, const struct child_draft *d, int confirmed);
/* Ranked search in the caller's scope, narrowed by f (may be NULL); scores may be NULL. */
int child_search_for(struct request *r, const char *q, const struct child_filter *f, int limit, struct child **items,
		     size_t *n, int **scores);
/*
 * The cursor of a list in the order of children's names (children,
 * Meyirim attachments): "surname_key.given_key.id". Parse: -1 when s is
 * not one of ours (c unset), 0 with c unset when s is NULL.
 */
int name_cursor_parse(const char *s, struct name_cursor *c);
const char *name_cursor_text(struct arena *ar, const char *surname_key, const char *given_key, int64_t id);
int child_list_for(struct request *r, struct child_filter *f, struct child **items, size_t *n);
/* The jobs behind the changes; NULL after answering. r->ctx is the job. */
struct child_job *child_register_job(struct request *r);
void child_register_start(struct request *r, struct child_job *cj, request_write_then then);
struct child_job *child_update_job(struct request *r, int64_t id, enum child_draft_mode mode);
void child_update_start(struct request *r, struct child_job *cj, request_write_then then);
struct child_job *child_merge_job(struct request *r, int64_t into, int64_t from);
void child_merge_start(struct request *r, struct child_job *cj, request_write_then then);
const char *child_merge_refusal(const struct child_job *cj);
int64_t child_job_id(const struct child_job *cj);
struct child_draft *child_job_draft(struct child_job *cj);
void api_child_create(struct request *r);
void api_child_get(struct request *r);
void api_children_list(struct request *r);
void api_child_update(struct request *r);
void api_child_merge(struct request *r);
void api_child_history(struct request *r);

/* meyirim.c: shared with the pages */
extern const struct field mentorship_create_fields[], mentorship_list_fields[], mentorship_end_fields[],
	mentor_fields[], mentor_update_fields[], goal_fields[], goal_progress_fields[], contact_fields[],
	meyirim_alert_fields[];
struct mentorship_details {
	struct mentor *mentors;
	size_t nmentors;
	struct goal *goals;
	size_t ngoals;
	struct goal_note *notes;
	size_t nnotes;
	struct mentor_contact *contacts; /* newest first */
	size_t ncontacts;
};
struct meyirim_alerts {
	int visible; /* the caller sees attachments at all */
	int days;
	char since[11];
	struct mentorship *no_contact;
	size_t nno_contact;
	struct mentorship *no_goal;
	size_t nno_goal;
	int sees_unattached;
	struct child *unattached;
	size_t nunattached;
};
struct meyirim_campaign {
	int visible;
	int64_t attached, goals_total, goals_reached;
	char since[11];
	struct figure_row *by_kind, *by_district, *contacts, *goals;
	size_t nby_kind, nby_district, ncontacts, ngoals;
};
struct meyirim_job;
void api_mentorship_brief_json(struct json *j, const struct mentorship *m);
void api_contact_json(struct json *j, const struct mentor_contact *k);
int mentorship_details(struct request *r, int64_t id, struct mentorship_details *d);
/* Load an attachment the caller may act on with perm; -1 after answering 404. */
int mentorship_load_for(struct request *r, int64_t id, struct perm perm, struct mentorship *m);
int meyirim_scope_for(struct request *r, struct perm perm, int64_t district_id, int64_t org_id,
		      struct mentorship_scope *s);
int meyirim_alert_days(struct request *r);
int meyirim_alerts_for(struct request *r, int days, struct meyirim_alerts *out);
int meyirim_campaign_for(struct request *r, struct meyirim_campaign *out);
/* The jobs behind the changes: NULL after answering; errors in r->in; r->ctx is the job. */
struct meyirim_job *meyirim_attach_job(struct request *r);
struct meyirim_job *meyirim_end_job(struct request *r, int64_t id);
struct meyirim_job *meyirim_mentor_job(struct request *r, int64_t id);
struct meyirim_job *meyirim_goal_job(struct request *r, int64_t id);
struct meyirim_job *meyirim_goal_progress_job(struct request *r, int64_t goal_id);
struct meyirim_job *meyirim_contact_job(struct request *r, int64_t id);
void meyirim_start(struct request *r, struct meyirim_job *mj, request_write_then then);
const char *meyirim_job_refusal(const struct meyirim_job *mj);
int64_t meyirim_job_id(const struct meyirim_job *mj);
void api_mentorship_create(struct request *r);
void api_mentorships_list(struct request *r);
void api_mentorship_get(struct request *r);
void api_mentorship_end(struct request *r);
void api_mentor_create(struct request *r);
void api_mentor_update(struct request *r);
void api_goal_create(struct request *r);
void api_goal_progress(struct request *r);
void api_contact_create(struct request *r);
void api_contacts_list(struct request *r);
void api_meyirim_alerts(struct request *r);
void api_meyirim_campaign(struct request *r);

/* prevention.c: shared with the pages */
extern const struct field school_list_fields[], school_update_fields[], lecturer_fields[], lecturer_update_fields[],
	approve_fields[], revoke_fields[], lesson_fields[], lesson_list_fields[], lesson_outcome_fields[],
	lesson_feedback_fields[], event_fields[], event_list_fields[], coverage_fields[];
struct coverage {
	int visible;
	char from[11], to[11];
	int64_t schools_total, schools_in_programme, schools_covered;
	int64_t planned, held, cancelled, pupils_reached, events_total, participants;
	struct coverage_row *schools, *by_district, *by_topic, *by_month, *lecturers, *events;
	size_t nschools, nby_district, nby_topic, nby_month, nlecturers, nevents;
};
struct prevention_job;
void prevention_local_day(int64_t t, char out[11]);
int64_t prevention_day_start(const char *day);
void prevention_term(char from[11], char to[11]);
int lecturer_approved(const struct lecturer *l, const char *day);
void api_school_json(struct json *j, const struct school *s);
void api_lecturer_json(struct json *j, const struct lecturer *l, const struct approval *approvals, size_t n);
void api_lesson_json(struct json *j, const struct lesson *l);
void api_event_json(struct json *j, const struct prevention_event *e);
/* Loaders that answer 404 when the record is missing or outside the caller's scope (-1). */
int school_load_for(struct request *r, int64_t id, struct perm perm, struct school *s);
int lecturer_load_for(struct request *r, int64_t id, struct perm perm, struct lecturer *l);
int lesson_load_for(struct request *r, int64_t id, struct perm perm, struct lesson *l);
int event_load_for(struct request *r, int64_t id, struct perm perm, struct prevention_event *e);
/* The schools a list or export covers: the caller's scope narrowed by district_id; -1 for none. */
int school_list_scope(struct request *r, int64_t district_id, int64_t *district, int64_t *org);
int school_list_for(struct request *r, int64_t district_id, const char *in_programme, struct school **items,
		    size_t *n);
int lesson_list_for(struct request *r, struct lesson_filter *f, struct lesson **items, size_t *n);
int event_list_for(struct request *r, int64_t district_id, const char *from, const char *to, int limit,
		   struct prevention_event **items, size_t *n);
int coverage_for(struct request *r, const char *from, const char *to, int64_t district_id, struct coverage *c);
/* Jobs behind the changes: NULL after answering; errors in r->in; r->ctx is the job. */
struct prevention_job *prevention_school_job(struct request *r, int64_t id, int whole_form);
struct prevention_job *prevention_lecturer_job(struct request *r, int64_t id); /* 0: a new one */
struct prevention_job *prevention_approve_job(struct request *r, int64_t id);
struct prevention_job *prevention_revoke_job(struct request *r, int64_t id);
struct prevention_job *prevention_feed_job(struct request *r, int64_t id);
struct prevention_job *prevention_lesson_job(struct request *r, int64_t id); /* 0: a new one */
struct prevention_job *prevention_outcome_job(struct request *r, int64_t id);
struct prevention_job *prevention_feedback_job(struct request *r, int64_t id);
struct prevention_job *prevention_confirm_job(struct request *r, int64_t id);
struct prevention_job *prevention_event_job(struct request *r, int64_t id); /* 0: a new one */
void prevention_start(struct request *r, struct prevention_job *pj, request_write_then then);
const char *prevention_job_refusal(const struct prevention_job *pj);
int64_t prevention_job_id(const struct prevention_job *pj);
const char *prevention_job_token(const struct prevention_job *pj);
void api_schools_list(struct request *r);
void api_school_get(struct request *r);
void api_school_update(struct request *r);
void api_lecturers_list(struct request *r);
void api_lecturer_get(struct request *r);
void api_lecturer_create(struct request *r);
void api_lecturer_update(struct request *r);
void api_lecturer_approve(struct request *r);
void api_lecturer_revoke(struct request *r);
void api_lecturer_feed(struct request *r);
void api_lecturer_ics(struct request *r);
void api_lessons_list(struct request *r);
void api_lesson_get(struct request *r);
void api_lesson_create(struct request *r);
void api_lesson_update(struct request *r);
void api_lesson_outcome(struct request *r);
void api_lesson_feedback(struct request *r);
void api_lesson_confirm(struct request *r);
void api_events_list(struct request *r);
void api_event_get(struct request *r);
void api_event_create(struct request *r);
void api_event_update(struct request *r);
void api_coverage(struct request *r);

/* reports.c */
extern const struct field report_fields[], breakdown_fields[];
struct report_table;
/* The period of a report (default: this year to today); -1 after answering 422. */
int report_period(struct request *r, char from[11], char to[11]);
int report_summary_for(struct request *r, const char *from, const char *to, int64_t district_id, struct summary *out);
int report_breakdown_for(struct request *r, const char *by, const char *from, const char *to, int64_t district_id,
			 struct report_table *t);
void api_report_summary(struct request *r);
void api_report_breakdown(struct request *r);
/* GET /api/v1/reports/{list}.csv|.xlsx: the list named by the route's last segment. */
void api_report_export(struct request *r);

#endif
