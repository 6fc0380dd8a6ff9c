/* The Meyirim campaign's rules (meyirim.h). */
#include "domain/meyirim.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/time.h"
#include "domain/child.h"

const char *const goal_areas[] = {"education", "career", "skills", "health", "other", NULL};
const char *const goal_statuses[] = {"agreed", "in_progress", "reached", "dropped", NULL};
const char *const contact_kinds[] = {"meeting",	      "call",	       "outing", "career_guidance",
				     "study_help",    "material_help", "holiday", NULL};
const char *const meyirim_org_kinds[] = {"regional_department", "akimat_department", "health", "school", "college",
					 "university", "other", NULL};

static int is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int meyirim_org_kind(const char *kind)
{
	for (const char *const *k = meyirim_org_kinds; *k; k++)
		if (is(*k, kind))
			return 1;
	return 0;
}

int goal_may_move(const char *from, const char *to)
{
	if (is(from, "agreed"))
		return is(to, "in_progress") || is(to, "reached") || is(to, "dropped");
	if (is(from, "in_progress"))
		return is(to, "reached") || is(to, "dropped");
	return 0; /* reached and dropped are final */
}

int mentorship_scope_for(const struct scope_filter *f, struct mentorship_scope *out)
{
	out->district_id = 0;
	out->organisation_id = 0;
	switch ((enum scope)f->scope) {
	case SCOPE_REGION: return 0;
	case SCOPE_DISTRICT: out->district_id = f->district_id; return 0;
	case SCOPE_ORG:
		if (!f->organisation_id)
			return -1;
		out->organisation_id = f->organisation_id;
		return 0;
	default: return -1;
	}
}

int mentorship_visible(const struct scope_filter *f, const struct mentorship *m)
{
	struct mentorship_scope s;
	if (mentorship_scope_for(f, &s) < 0)
		return 0;
	return (!s.district_id || s.district_id == m->child_district_id) &&
	       (!s.organisation_id || s.organisation_id == m->organisation_id);
}

static int record(struct db *db, const struct actor *who, const char *action, int64_t id, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int record(struct db *db, const struct actor *who, const char *action, int64_t id, const char *fmt, ...)
{
	char detail[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return audit_record(db, who, action, "mentorship", id, detail);
}

int mentorship_attach(struct db *db, const struct actor *who, struct attach_draft *d, const char **refused)
{
	struct arena ar;
	struct child c;
	*refused = NULL;
	arena_init(&ar);
	int rc = db_child_get(db, d->m.child_id, &ar, &c);
	if (rc == DB_NOTFOUND)
		*refused = "not_found";
	else if (!rc && c.merged_into)
		*refused = "child_merged";
	else if (!rc && c.mentorship_id)
		*refused = "already_attached";
	arena_release(&ar);
	if (rc && rc != DB_NOTFOUND)
		return rc;
	if (*refused)
		return DB_OK;
	int64_t now = time_now();
	d->m.created_by = who->user_id;
	d->m.created_at = now;
	if ((rc = db_mentorship_insert(db, &d->m)) != DB_OK)
		return rc;
	for (int i = 0; i < d->nmentors; i++) {
		d->mentors[i].mentorship_id = d->m.id;
		if ((rc = db_mentor_insert(db, &d->mentors[i], now)) != DB_OK)
			return rc;
	}
	for (int i = 0; i < d->ngoals; i++) {
		d->goals[i].mentorship_id = d->m.id;
		d->goals[i].agreed_on = d->m.started_on;
		d->goals[i].created_by = who->user_id;
		d->goals[i].updated_at = now;
		if ((rc = db_goal_insert(db, &d->goals[i])) != DB_OK)
			return rc;
	}
	char detail[64];
	snprintf(detail, sizeof(detail), "to organisation %lld", (long long)d->m.organisation_id);
	if ((rc = db_child_event_add(db, d->m.child_id, now, who->user_id, "attached", detail)) != DB_OK)
		return rc;
	if ((rc = child_touch(db, d->m.child_id)) != DB_OK)
		return rc;
	return record(db, who, "create", d->m.id, "child %lld, organisation %lld", (long long)d->m.child_id,
		      (long long)d->m.organisation_id);
}

/* Load an attachment inside the transaction; refused "not_found" or (if active_only) "ended". */
static int load(struct db *db, int64_t id, int active_only, struct arena *ar, struct mentorship *m,
		const char **refused)
{
	int rc = db_mentorship_get(db, id, ar, m);
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	if (!rc && active_only && m->ended_on)
		*refused = "ended";
	return rc;
}

int mentorship_finish(struct db *db, const struct actor *who, int64_t id, const char *on, const char *reason,
		      const char **refused)
{
	struct arena ar;
	struct mentorship m;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, id, 1, &ar, &m, refused);
	if (!rc && !*refused && strcmp(on, m.started_on) < 0)
		*refused = "before_start";
	int64_t child = m.child_id;
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	int64_t now = time_now();
	if ((rc = db_mentorship_end(db, id, on, reason, now)) != DB_OK)
		return rc;
	if ((rc = db_child_event_add(db, child, now, who->user_id, "attachment_ended", reason)) != DB_OK)
		return rc;
	if ((rc = child_touch(db, child)) != DB_OK)
		return rc;
	return record(db, who, "end", id, "on %s", on);
}

int mentorship_add_mentor(struct db *db, const struct actor *who, struct mentor *mt, const char **refused)
{
	struct arena ar;
	struct mentorship m;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, mt->mentorship_id, 1, &ar, &m, refused);
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	if ((rc = db_mentor_insert(db, mt, time_now())) != DB_OK)
		return rc;
	return record(db, who, "update", mt->mentorship_id, "mentor %lld added", (long long)mt->id);
}

int mentorship_set_mentor(struct db *db, const struct actor *who, int64_t mentorship_id, int64_t mentor_id,
			  int active, const char **refused)
{
	struct arena ar;
	struct mentorship m;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, mentorship_id, 1, &ar, &m, refused);
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	rc = db_mentor_set_active(db, mentorship_id, mentor_id, active);
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		return DB_OK;
	}
	if (rc)
		return rc;
	return record(db, who, "update", mentorship_id, "mentor %lld %s", (long long)mentor_id,
		      active ? "active" : "inactive");
}

int mentorship_add_goal(struct db *db, const struct actor *who, struct goal *g, const char **refused)
{
	struct arena ar;
	struct mentorship m;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, g->mentorship_id, 1, &ar, &m, refused);
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	g->created_by = who->user_id;
	g->updated_at = time_now();
	if ((rc = db_goal_insert(db, g)) != DB_OK)
		return rc;
	return record(db, who, "update", g->mentorship_id, "goal %lld agreed", (long long)g->id);
}

int mentorship_goal_progress(struct db *db, const struct actor *who, int64_t goal_id, const char *status,
			     const char *note, const char *today, const char **refused)
{
	struct arena ar;
	struct goal g;
	struct mentorship m;
	*refused = NULL;
	arena_init(&ar);
	int rc = db_goal_get(db, goal_id, &ar, &g);
	if (rc == DB_NOTFOUND) {
		*refused = "not_found";
		rc = DB_OK;
	} else if (!rc) {
		rc = load(db, g.mentorship_id, 1, &ar, &m, refused);
		if (!rc && !*refused && status && !is(status, g.status) && !goal_may_move(g.status, status))
			*refused = "final";
	}
	int64_t mentorship_id = g.mentorship_id;
	int moved = !rc && !*refused && status && !is(status, g.status);
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	int64_t now = time_now();
	if (moved && (rc = db_goal_set_status(db, goal_id, status, is(status, "reached") ? today : NULL, now)) != DB_OK)
		return rc;
	if ((rc = db_goal_note_add(db, goal_id, now, who->user_id, moved ? status : NULL, note)) != DB_OK)
		return rc;
	return record(db, who, "update", mentorship_id, "goal %lld%s%s", (long long)goal_id, moved ? " " : "",
		      moved ? status : "");
}

int mentorship_log_contact(struct db *db, const struct actor *who, struct mentor_contact *k, const char **refused)
{
	struct arena ar;
	struct mentorship m;
	*refused = NULL;
	arena_init(&ar);
	int rc = load(db, k->mentorship_id, 1, &ar, &m, refused);
	if (!rc && !*refused && strcmp(k->contact_on, m.started_on) < 0)
		*refused = "before_start";
	arena_release(&ar);
	if (rc || *refused)
		return rc;
	int64_t now = time_now();
	k->created_by = who->user_id;
	k->created_at = now;
	if ((rc = db_contact_insert(db, k)) != DB_OK)
		return rc;
	if ((rc = db_mentorship_contacted(db, k->mentorship_id, k->contact_on, now)) != DB_OK)
		return rc;
	return record(db, who, "contact", k->mentorship_id, "contact %lld", (long long)k->id);
}

int mentorship_audit_read(struct db *db, const struct actor *who, int64_t id)
{
	return audit_record(db, who, "read", "mentorship", id, NULL);
}
