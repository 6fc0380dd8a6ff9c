/*
 * Appeals (өтініш): the rules of their life. Values allowed for each
 * field, the state machine, priorities (critical first everywhere), who
 * sees which appeals, and the changes, each of which runs inside a writer
 * job, keeps the appeal's history and writes the audit row.
 */
#ifndef QORGAU_DOMAIN_APPEAL_H
#define QORGAU_DOMAIN_APPEAL_H

#include <stdint.h>

#include "core/calendar.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

extern const char *const appeal_channels[];
extern const char *const appeal_kinds[];
extern const char *const applicant_types[];
extern const char *const appeal_categories[];
extern const char *const appeal_risks[];
extern const char *const appeal_statuses[];
extern const char *const consultation_formats[];
extern const char *const referral_consents[];
extern const char *const referral_answers[];

enum {
	APPEAL_DUE_DAYS = 15,     /* working days to answer (APPC art. 76) */
	APPEAL_EXTEND_MONTHS = 2, /* the longest extension, from registration */
	APPEAL_NOTIFY_DAYS = 3,   /* working days to tell the applicant of an extension or forwarding */
	APPEAL_FORWARD_DAYS = 3,  /* working days to forward an appeal sent to the wrong body (art. 65) */
	REFERRAL_DUE_DAYS = 10,   /* default working days for an answer to a referral */
};

int appeal_is_open(const char *status);
/* Suicide risk, sexual violence or critical risk: first in every list. */
int appeal_is_critical(const char *risk, const char *category);
/* 1 (low, or unknown) to 4 (critical). */
int appeal_risk_rank(const char *risk);
/* List order key: open before closed, then critical, then risk. */
int appeal_prio(const char *status, const char *risk, const char *category);
/*
 * The states this appeal may move to from status: appeal_next_states(), and
 * "referred" only while a referral of it is under way. next holds 8.
 */
int appeal_ways_on(struct db *db, int64_t id, const char *status, int may_reopen, const char *next[8], int *n);
/* Anonymous appeals are accepted only for reports of violence or risk. */
int appeal_anonymous_allowed(const char *category, const char *risk);

/*
 * The states an appeal may move to from status through a transition (not
 * assignment). may_reopen: the caller may reopen (coordinators). Writes up
 * to 8 names into next; returns how many.
 */
int appeal_next_states(const char *status, int may_reopen, const char *next[8]);

/* Who is asking, as far as appeals care. */
struct appeal_viewer {
	int64_t user_id;
	enum role role;
	int64_t organisation_id;
	int64_t district_id;
	enum scope scope; /* the caller's scope for reading appeals (authz) */
};

/* The list scope for a viewer (APPEAL_SCOPE_NONE: sees no appeals). */
struct appeal_scope appeal_scope_for(const struct appeal_viewer *v);
/* Whether the viewer may open this appeal (the same rule as the list, plus break-the-glass grants). */
int appeal_visible(struct db *db, const struct appeal_viewer *v, const struct appeal *a, int64_t now, int *yes,
		   int *by_grant);

/* Dates of a new appeal from the moment it was received (local offset in seconds). */
void appeal_dates(const struct calendar *cal, int64_t received_at, int utc_offset, char registered_on[11],
		  char due_on[11], char forward_due_on[11]);

/*
 * The keyed search terms of a text (summary words, names), computed before
 * the write so the writer only stores them. *terms is in the arena.
 */
void appeal_terms(struct arena *ar, const char *text, int64_t **terms, size_t *n);
/* Count n appeals received on day in the report figures (in all, and by category, channel, kind and risk). */
int appeal_count_received(struct db *db, const char *day, int64_t district_id, const char *category,
			  const char *channel, const char *kind, const char *risk, int64_t n);
/* Register: number, history, search terms, figures, audit. a->id and a->number are set. */
int appeal_register(struct db *db, const struct actor *who, struct appeal *a, const int64_t *terms, size_t nterms,
		    char number[24]);

/* The outcome of a change that depends on the appeal's current state. */
struct appeal_change {
	int refused;         /* 1: not allowed from the current state */
	const char *from;    /* the state it was in */
	const char *next[8]; /* where it could go instead */
	int nnext;
	const char *to; /* the state it is in now */
};

int appeal_assign(struct db *db, const struct actor *who, int64_t id, int64_t psychologist_id,
		  struct appeal_change *out);
int appeal_transition(struct db *db, const struct actor *who, int64_t id, const char *to, const char *reason,
		      int may_reopen, struct appeal_change *out);
int appeal_extend(struct db *db, const struct actor *who, int64_t id, const char *until, const char *reason,
		  const char *notify_by, struct appeal_change *out);
int appeal_forward(struct db *db, const struct actor *who, int64_t id, int64_t org, const char *today,
		   const char *note, struct appeal_change *out);
int appeal_notified(struct db *db, const struct actor *who, int64_t id, const char *on);
int appeal_set_flag(struct db *db, const struct actor *who, int64_t id, int flagged, const char *reason);
/* A consultation; an assigned appeal moves to in_progress with its first one. */
int appeal_consult(struct db *db, const struct actor *who, struct consultation *c, struct appeal_change *out);
/* A referral; an appeal in progress moves to referred. */
int appeal_refer(struct db *db, const struct actor *who, struct referral *r, struct appeal_change *out);
/* Answer (accepted, rejected, done) or revoke a referral. */
int referral_answer(struct db *db, const struct actor *who, int64_t referral_id, const char *status,
		    const char *answer, struct appeal_change *out);
/* A record of an audited read of an appeal (the reply waits for it). */
int appeal_audit_read(struct db *db, const struct actor *who, int64_t id, const char *detail);

#endif
