/*
 * The Meyirim campaign's rules: a child attached to an organisation's
 * collective (at most one active attachment per child), named mentors,
 * goals agreed with the child and their progress, the contact log, and
 * who sees which attachments. Every change runs inside a writer job and
 * writes its audit row.
 */
#ifndef QORGAU_DOMAIN_MEYIRIM_H
#define QORGAU_DOMAIN_MEYIRIM_H

#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

extern const char *const goal_areas[];
extern const char *const goal_statuses[];
extern const char *const contact_kinds[];
/* The organisation kinds whose collectives take part. */
extern const char *const meyirim_org_kinds[];

enum { MEYIRIM_MAX_MENTORS = 5, MEYIRIM_MAX_GOALS = 5, MEYIRIM_CONTACT_ALERT_DAYS = 30 };

int meyirim_org_kind(const char *kind);
/* Whether a goal may move from one status to another. */
int goal_may_move(const char *from, const char *to);

/* The attachments a caller's lists cover; -1 when none. */
int mentorship_scope_for(const struct scope_filter *f, struct mentorship_scope *out);
/* Whether the caller may open the attachment. */
int mentorship_visible(const struct scope_filter *f, const struct mentorship *m);

/* A new attachment with its first mentors and goals. */
struct attach_draft {
	struct mentorship m;
	struct mentor mentors[MEYIRIM_MAX_MENTORS];
	int nmentors;
	struct goal goals[MEYIRIM_MAX_GOALS];
	int ngoals;
};

/*
 * The outcomes that depend on what is committed: *refused is NULL when the
 * change was made, or a reason code ("already_attached", "child_merged",
 * "not_found", "ended", "before_start", "final").
 */
int mentorship_attach(struct db *db, const struct actor *who, struct attach_draft *d, const char **refused);
int mentorship_finish(struct db *db, const struct actor *who, int64_t id, const char *on, const char *reason,
		      const char **refused);
int mentorship_add_mentor(struct db *db, const struct actor *who, struct mentor *m, const char **refused);
int mentorship_set_mentor(struct db *db, const struct actor *who, int64_t mentorship_id, int64_t mentor_id,
			  int active, const char **refused);
int mentorship_add_goal(struct db *db, const struct actor *who, struct goal *g, const char **refused);
/* Move a goal (status may be NULL to only add a note); today for reached_on. */
int mentorship_goal_progress(struct db *db, const struct actor *who, int64_t goal_id, const char *status,
			     const char *note, const char *today, const char **refused);
int mentorship_log_contact(struct db *db, const struct actor *who, struct mentor_contact *k, const char **refused);
int mentorship_audit_read(struct db *db, const struct actor *who, int64_t id);

#endif
