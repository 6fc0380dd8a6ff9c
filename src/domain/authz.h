/*
 * Who may do what. A permission is an action on a resource; each role is
 * granted a scope for it (own, organisation, district, region) in one
 * table (authz.c), shown to administrators on the permissions page.
 * Anything not granted is denied.
 *
 * A head psychologist is a psychologist with the head flag; the table has
 * a column of its own for it (ROLE_HEAD_PSYCHOLOGIST, never stored).
 */
#ifndef QORGAU_DOMAIN_AUTHZ_H
#define QORGAU_DOMAIN_AUTHZ_H

#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_ADMIN,
	ROLE_COORDINATOR,
	ROLE_PSYCHOLOGIST,
	ROLE_PROSECUTOR,
	ROLE_OMBUDSMAN,
	ROLE_SCHOOL,
	ROLE_MENTOR_ORG,
	ROLE_LECTURER,
	ROLE_HEAD_PSYCHOLOGIST, /* effective role of a psychologist with the head flag */
	ROLE_COUNT
};

enum resource {
	RES_PUBLIC,  /* anyone, signed in or not */
	RES_METRICS, /* loopback clients, or anyone when metrics_public is set */
	RES_SELF,    /* any signed-in user, about their own account */
	RES_DISTRICT,
	RES_ORGANISATION,
	RES_USER,
	RES_AUDIT,
	RES_PERMISSIONS,
	RES_ACCESS_GRANT, /* break the glass */
	RES_APPEAL,
	RES_CONSULTATION,       /* when, how long, who took part */
	RES_CONSULTATION_NOTES, /* what was said: the most sensitive data */
	RES_REFERRAL,
	RES_CALENDAR,
	RES_CHILD,      /* the children registry: identifiable data */
	RES_MENTORSHIP, /* Meyirim attachments, their mentors and goals */
	RES_CONTACT,    /* the Meyirim contact log */
	RES_REPORT,     /* figures, campaign and programme pages */
	RES_SCHOOL,     /* a school's part in the prevention programme */
	RES_LECTURER,   /* law-enforcement lecturers and their approvals */
	RES_LESSON,     /* prevention lessons in schools */
	RES_EVENT,      /* large prevention events */
	RES_COUNT
};

enum action {
	ACT_READ,
	ACT_CREATE,
	ACT_UPDATE,
	ACT_ASSIGN,
	ACT_EXTEND,
	ACT_REOPEN,
	ACT_FORWARD,
	ACT_FLAG,
	ACT_ANSWER, /* answer a referral addressed to one's organisation */
	ACT_MERGE,  /* merge two records of one child */
	ACT_CLOSE,  /* end an attachment */
	ACT_APPROVE, /* a prosecutor's approval of a lecturer, or its revocation */
	ACT_RECORD,  /* record what happened: a lesson held or cancelled, attendance, feedback */
	ACT_CONFIRM, /* a lecturer confirms a lesson */
	ACT_COUNT
};

enum scope { SCOPE_NONE = 0, SCOPE_OWN, SCOPE_ORG, SCOPE_DISTRICT, SCOPE_REGION };

struct perm {
	unsigned char action;
	unsigned char resource;
};

#define PERM(a, r) {ACT_##a, RES_##r}

/* The stored roles, in table order (admin … lecturer). */
enum { ROLE_FIRST = ROLE_ADMIN, ROLE_LAST_STORED = ROLE_LECTURER };

/* The role's name as stored and shown ("admin", …); NULL for ROLE_NONE. */
const char *role_name(enum role role);
/* ROLE_NONE when s names no stored role. */
enum role role_parse(const char *s);
/* The table column for a user: head psychologists have their own. */
enum role role_effective(enum role role, int is_head);
const char *resource_name(enum resource res);
const char *action_name(enum action act);
const char *scope_name(enum scope scope);

/* The scope an (effective) role holds for a permission (SCOPE_NONE = denied). */
enum scope authz_scope(enum role role, struct perm perm);
/* Whether the permission needs no signed-in user. */
int authz_is_anonymous(struct perm perm);

/*
 * The scope a caller's list queries are filtered by, as plain values: the
 * caller's own id, organisation and district go with the scope, and the
 * SQL keeps the rows that scope covers.
 */
struct scope_filter {
	int scope; /* enum scope */
	int64_t user_id;
	int64_t organisation_id;
	int64_t district_id;
};

#endif
