/*
 * The prevention programme's rules: schools taking part, lecturers and
 * the prosecutor's approvals, lessons (no unapproved lecturer, no double
 * booking of a lecturer or a class, outcomes only for lessons that have
 * begun), prevention events, and who sees which lessons. Every change runs
 * inside a writer job, so the checks see what is committed, and writes its
 * audit row.
 */
#ifndef QORGAU_DOMAIN_PREVENTION_H
#define QORGAU_DOMAIN_PREVENTION_H

#include <stdint.h>

#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

extern const char *const lecturer_agencies[];
extern const char *const lesson_topics[];
extern const char *const lesson_outcomes[]; /* held, cancelled */
extern const char *const event_kinds[];
extern const char *const event_organisers[];

enum { LESSON_MIN_MINUTES = 15, LESSON_MAX_MINUTES = 240 };

/* The class as compared for double booking: "7 А", "7а" and "7-A" are one class. */
void lesson_class_key(const char *class_name, char out[32]);

/* Which lessons a caller sees (lesson filter fields set from the scope); -1 when none. */
int lesson_scope_for(struct db *db, const struct scope_filter *f, struct lesson_filter *out);
int lesson_visible(struct db *db, const struct scope_filter *f, const struct lesson *l, int *yes);

/*
 * The changes. *refused is NULL when made, else a reason code:
 * "not_found", "not_approved", "lecturer_busy", "class_busy", "not_planned",
 * "in_future", "above_class_size", "nothing_to_revoke".
 */
int school_set_profile(struct db *db, const struct actor *who, int64_t id, int64_t pupils, int in_programme,
		       const char *since);
int lecturer_create(struct db *db, const struct actor *who, struct lecturer *l);
int lecturer_update(struct db *db, const struct actor *who, const struct lecturer *l, const char **refused);
int lecturer_approve(struct db *db, const struct actor *who, int64_t id, const char *order_number,
		     const char *order_date, const char *valid_until, const char **refused);
int lecturer_revoke(struct db *db, const struct actor *who, int64_t id, const char *reason, const char **refused);
int lecturer_set_feed(struct db *db, const struct actor *who, int64_t id, const void *hash, size_t len,
		      const char **refused);
int lesson_schedule(struct db *db, const struct actor *who, struct lesson *l, const char **refused);
int lesson_reschedule(struct db *db, const struct actor *who, struct lesson *l, const char **refused);
/* status: held (with attended) or cancelled (with a reason); now decides what "in the future" is. */
int lesson_record(struct db *db, const struct actor *who, int64_t id, const char *status, int64_t attended,
		  const char *note, const char *cancel_reason, int64_t now, const char **refused);
int lesson_set_feedback(struct db *db, const struct actor *who, int64_t id, const char *feedback,
			const char **refused);
int lesson_confirm(struct db *db, const struct actor *who, int64_t id, const char **refused);
int event_create(struct db *db, const struct actor *who, struct prevention_event *e);
int event_update(struct db *db, const struct actor *who, const struct prevention_event *e, const char **refused);

#endif
