/* The prevention programme's rules (prevention.h). */
#include "domain/prevention.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/time.h"
#include "text/fold.h"

const char *const lecturer_agencies[] = {"police", "juvenile_police", "prosecutor", "justice", "emergency", "other",
					 NULL};
const char *const lesson_topics[] = {"bullying", "violence", "cyber_safety", "offences", "drugs", "road_safety",
				     "other", NULL};
const char *const lesson_outcomes[] = {"held", "cancelled", NULL};
const char *const event_kinds[] = {"lecture", "training", "parents_meeting", "campaign", "sports_cultural", "online",
				   NULL};
const char *const event_organisers[] = {"support_centre", "department", "school", "police", "prosecutor",
					"ombudsman", "other", NULL};

void lesson_class_key(const char *class_name, char out[32])
{
	struct buf folded = BUF_INIT;
	size_t n = 0;
	text_fold(class_name ? class_name : "", class_name ? strlen(class_name) : 0, &folded);
	for (size_t i = 0; i < folded.len && n < 31; i++) {
		char c = folded.ptr[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
	}
	out[n] = 0;
	buf_release(&folded);
}

int lesson_scope_for(struct db *db, const struct scope_filter *f, struct lesson_filter *out)
{
	switch ((enum scope)f->scope) {
	case SCOPE_REGION: return 0;
	case SCOPE_DISTRICT: out->district_id = f->district_id; return 0;
	case SCOPE_ORG:
		if (!f->organisation_id)
			return -1;
		out->school_id = f->organisation_id;
		return 0;
	case SCOPE_OWN: {
		/* A lecturer: the lessons they give. */
		struct arena ar;
		struct lecturer l;
		arena_init(&ar);
		int rc = db_lecturer_by_user(db, f->user_id, &ar, &l);
		arena_release(&ar);
		if (rc)
			return -1;
		out->lecturer_id = l.id;
		return 0;
	}
	case SCOPE_NONE: break;
	}
	return -1;
}

int lesson_visible(struct db *db, const struct scope_filter *f, const struct lesson *l, int *yes)
{
	struct lesson_filter s;
	memset(&s, 0, sizeof(s));
	*yes = 0;
	if (lesson_scope_for(db, f, &s) < 0)
		return DB_OK;
	*yes = (!s.district_id || s.district_id == l->district_id) && (!s.school_id || s.school_id == l->school_id) &&
	       (!s.lecturer_id || s.lecturer_id == l->lecturer_id);
	return DB_OK;
}

static int record(struct db *db, const struct actor *who, const char *action, const char *resource, int64_t id,
		  const char *detail)
{
	return audit_record(db, who, action, resource, id, detail);
}

int school_set_profile(struct db *db, const struct actor *who, int64_t id, int64_t pupils, int in_programme,
		       const char *since)
{
	int rc = db_school_profile_set(db, id, pupils, in_programme, since, time_now());
	return rc ? rc : record(db, who, "update", "school", id, in_programme ? "in the programme" : "not in the programme");
}

int lecturer_create(struct db *db, const struct actor *who, struct lecturer *l)
{
	int rc = db_lecturer_insert(db, l, who->user_id, time_now());
	return rc ? rc : record(db, who, "create", "lecturer", l->id, l->agency);
}

int lecturer_update(struct db *db, const struct actor *who, const struct lecturer *l, const char **refused)
{
	*refused = NULL;
	int rc = db_lecturer_update(db, l, time_now());
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	return rc ? rc : record(db, who, "update", "lecturer", l->id, NULL);
}

/* Whether the lecturer exists (refused "not_found" otherwise). */
static int lecturer_exists(struct db *db, int64_t id, const char **refused)
{
	struct arena ar;
	struct lecturer l;
	arena_init(&ar);
	int rc = db_lecturer_get(db, id, &ar, &l);
	arena_release(&ar);
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	return rc;
}

int lecturer_approve(struct db *db, const struct actor *who, int64_t id, const char *order_number,
		     const char *order_date, const char *valid_until, const char **refused)
{
	*refused = NULL;
	int rc = lecturer_exists(db, id, refused);
	if (rc || *refused)
		return rc;
	int64_t approval;
	if ((rc = db_approval_insert(db, id, order_number, order_date, valid_until, who->user_id, time_now(),
				     &approval)) != DB_OK)
		return rc;
	char detail[96];
	snprintf(detail, sizeof(detail), "order %.40s of %s, until %s", order_number, order_date, valid_until);
	return record(db, who, "approve", "lecturer", id, detail);
}

int lecturer_revoke(struct db *db, const struct actor *who, int64_t id, const char *reason, const char **refused)
{
	*refused = NULL;
	int rc = lecturer_exists(db, id, refused);
	if (rc || *refused)
		return rc;
	rc = db_approval_revoke(db, id, who->user_id, reason, time_now());
	if (rc == DB_NOTFOUND) {
		*refused = "nothing_to_revoke";
		return DB_OK;
	}
	return rc ? rc : record(db, who, "revoke", "lecturer", id, NULL);
}

int lecturer_set_feed(struct db *db, const struct actor *who, int64_t id, const void *hash, size_t len,
		      const char **refused)
{
	*refused = NULL;
	int rc = db_lecturer_set_feed(db, id, hash, len, time_now());
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	return rc ? rc : record(db, who, "rotate_feed", "lecturer", id, NULL);
}

/* The rules every schedule obeys, checked on what is committed. */
static int schedule_checks(struct db *db, const struct lesson *l, int64_t except, const char **refused)
{
	int approved = 0;
	int rc = db_lecturer_approved_on(db, l->lecturer_id, l->lesson_on, &approved);
	if (rc)
		return rc;
	if (!approved) {
		*refused = "not_approved";
		return DB_OK;
	}
	int64_t busy = 0, klass = 0;
	if ((rc = db_lesson_overlaps(db, l, except, &busy, &klass)) != DB_OK)
		return rc;
	if (busy)
		*refused = "lecturer_busy";
	else if (klass)
		*refused = "class_busy";
	return DB_OK;
}

int lesson_schedule(struct db *db, const struct actor *who, struct lesson *l, const char **refused)
{
	*refused = NULL;
	int rc = schedule_checks(db, l, 0, refused);
	if (rc || *refused)
		return rc;
	if ((rc = db_lesson_insert(db, l, who->user_id, time_now())) != DB_OK)
		return rc;
	char detail[80];
	snprintf(detail, sizeof(detail), "school %lld, lecturer %lld, %s", (long long)l->school_id,
		 (long long)l->lecturer_id, l->lesson_on);
	return record(db, who, "create", "lesson", l->id, detail);
}

/* The lesson as committed; refused "not_found" when there is none. */
static int load(struct db *db, int64_t id, struct arena *ar, struct lesson *l, const char **refused)
{
	int rc = db_lesson_get(db, id, ar, l);
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	return rc;
}

int lesson_reschedule(struct db *db, const struct actor *who, struct lesson *l, const char **refused)
{
	struct arena ar;
	struct lesson now;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, l->id, &ar, &now, refused);
	if (!rc && !*refused && strcmp(now.status, "planned"))
		*refused = "not_planned";
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	if ((rc = schedule_checks(db, l, l->id, refused)) != DB_OK || *refused)
		return rc;
	if ((rc = db_lesson_reschedule(db, l, time_now())) != DB_OK)
		return rc;
	return record(db, who, "update", "lesson", l->id, l->lesson_on);
}

int lesson_record(struct db *db, const struct actor *who, int64_t id, const char *status, int64_t attended,
		  const char *note, const char *cancel_reason, int64_t now, const char **refused)
{
	struct arena ar;
	struct lesson l;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, id, &ar, &l, refused);
	if (!rc && !*refused) {
		if (!strcmp(status, "held") && l.starts_at > now)
			*refused = "in_future";
		else if (!strcmp(status, "held") && attended > l.planned_pupils)
			*refused = "above_class_size";
		else if (strcmp(status, "held") && strcmp(l.status, "planned"))
			*refused = "not_planned"; /* only a planned lesson is cancelled */
		/*
		 * "held" may come again (attendance corrected) and after a
		 * cancellation (it took place after all; the reason is cleared).
		 */
	}
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	int held = !strcmp(status, "held");
	if ((rc = db_lesson_outcome(db, id, status, held ? attended : -1, note, held ? NULL : cancel_reason,
				    time_now())) != DB_OK)
		return rc;
	char detail[48];
	snprintf(detail, sizeof(detail), held ? "held, %lld pupils" : "cancelled", (long long)attended);
	return record(db, who, "record", "lesson", id, detail);
}

int lesson_set_feedback(struct db *db, const struct actor *who, int64_t id, const char *feedback,
			const char **refused)
{
	*refused = NULL;
	int rc = db_lesson_feedback(db, id, feedback, time_now());
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	return rc ? rc : record(db, who, "feedback", "lesson", id, NULL);
}

int lesson_confirm(struct db *db, const struct actor *who, int64_t id, const char **refused)
{
	struct arena ar;
	struct lesson l;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, id, &ar, &l, refused);
	if (!rc && !*refused && strcmp(l.status, "planned"))
		*refused = "not_planned";
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	if ((rc = db_lesson_confirm(db, id, time_now())) != DB_OK)
		return rc;
	return record(db, who, "confirm", "lesson", id, NULL);
}

int event_create(struct db *db, const struct actor *who, struct prevention_event *e)
{
	e->created_by = who->user_id;
	int rc = db_event_insert(db, e, time_now());
	return rc ? rc : record(db, who, "create", "event", e->id, e->kind);
}

int event_update(struct db *db, const struct actor *who, const struct prevention_event *e, const char **refused)
{
	*refused = NULL;
	int rc = db_event_update(db, e, time_now());
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	return rc ? rc : record(db, who, "update", "event", e->id, NULL);
}
