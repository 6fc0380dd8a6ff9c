/*
 * The demo region: a realistic, deterministic Abai region for a newcomer
 * (qorgau demo, make run) and for benchmarks (--scale N). Organisations of
 * every kind, one user per role, appeals over 2024 to today with their
 * consultations and referrals, children attached to Meyirim organisations
 * with mentors, goals and contacts, lecturers (approved, lapsed, revoked),
 * lessons and prevention events. The same seed gives the same region.
 */
#ifndef QORGAU_DOMAIN_DEMO_H
#define QORGAU_DOMAIN_DEMO_H

#include <stdint.h>

#include "core/buf.h"
#include "db/db.h"

enum {
	DEMO_APPEALS = 1100,  /* per unit of scale */
	DEMO_CHILDREN = 222,  /* attached to Meyirim organisations, per unit */
	DEMO_UNATTACHED = 25, /* orphans and children without care still waiting, per unit */
	DEMO_OTHER_CHILDREN = 60,
	DEMO_LESSONS = 110,
	DEMO_EVENTS = 40,
	DEMO_MAX_LOGINS = 12,
};

struct demo_login {
	char login[32];
	char role[32];
};

struct demo_result {
	int64_t appeals, consultations, referrals, children, mentorships, contacts, lecturers, lessons, events;
	struct demo_login logins[DEMO_MAX_LOGINS];
	int nlogins;
	const char *password; /* every demo account's */
	double children_secs, appeals_secs, prevention_secs;
};

struct demo_options {
	uint64_t seed;
	int scale;
	/* Called now and then while appeals are written (done of total); may be NULL. */
	void (*progress)(int64_t done, int64_t total, void *arg);
	/* Called as each longer step begins ("indexes", …); may be NULL. */
	void (*stage)(const char *what, void *arg);
	void *arg;
};

/*
 * Fill an initialised, empty database (no appeals yet: DB_CONSTRAINT and a
 * message otherwise). Writes in transactions of a few thousand rows.
 */
int demo_fill(struct db *db, const struct demo_options *o, struct demo_result *out, struct buf *err);

#endif
