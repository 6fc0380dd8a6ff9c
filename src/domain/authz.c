/* The grant table: role × (action, resource) → scope (authz.h). */
#include "domain/authz.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_NONE] = NULL,
	[ROLE_ADMIN] = "admin",
	[ROLE_COORDINATOR] = "coordinator",
	[ROLE_PSYCHOLOGIST] = "psychologist",
	[ROLE_PROSECUTOR] = "prosecutor",
	[ROLE_OMBUDSMAN] = "ombudsman",
	[ROLE_SCHOOL] = "school",
	[ROLE_MENTOR_ORG] = "mentor_org",
	[ROLE_LECTURER] = "lecturer",
	[ROLE_HEAD_PSYCHOLOGIST] = "head_psychologist",
};

static const char *const resource_names[RES_COUNT] = {
	[RES_PUBLIC] = "public",
	[RES_METRICS] = "metrics",
	[RES_SELF] = "own account",
	[RES_DISTRICT] = "district",
	[RES_ORGANISATION] = "organisation",
	[RES_USER] = "user",
	[RES_AUDIT] = "audit log",
	[RES_PERMISSIONS] = "permissions",
	[RES_ACCESS_GRANT] = "break the glass",
	[RES_APPEAL] = "appeal",
	[RES_CONSULTATION] = "consultation",
	[RES_CONSULTATION_NOTES] = "consultation notes",
	[RES_REFERRAL] = "referral",
	[RES_CALENDAR] = "calendar",
	[RES_CHILD] = "child",
	[RES_MENTORSHIP] = "Meyirim attachment",
	[RES_CONTACT] = "mentor contact",
	[RES_REPORT] = "reports",
	[RES_SCHOOL] = "school",
	[RES_LECTURER] = "lecturer",
	[RES_LESSON] = "lesson",
	[RES_EVENT] = "prevention event",
};

static const char *const action_names[ACT_COUNT] = {
	[ACT_READ] = "read",
	[ACT_CREATE] = "create",
	[ACT_UPDATE] = "update",
	[ACT_ASSIGN] = "assign",
	[ACT_EXTEND] = "extend",
	[ACT_REOPEN] = "reopen",
	[ACT_FORWARD] = "forward",
	[ACT_FLAG] = "flag",
	[ACT_ANSWER] = "answer",
	[ACT_MERGE] = "merge",
	[ACT_CLOSE] = "end",
	[ACT_APPROVE] = "approve",
	[ACT_RECORD] = "record",
	[ACT_CONFIRM] = "confirm",
};

/* Shorthands for the grant table. */
#define N SCOPE_NONE
#define O SCOPE_OWN
#define G SCOPE_ORG
#define D SCOPE_DISTRICT
#define R SCOPE_REGION

/*
 * grants[resource][action][role]. Columns: none, admin, coordinator,
 * psychologist, prosecutor, ombudsman, school, mentor_org, lecturer,
 * head psychologist. Coordinators limited to a district get D where R is
 * written (see authz_scope).
 */
static const unsigned char grants[RES_COUNT][ACT_COUNT][ROLE_COUNT] = {
	/*                                 -  adm coo psy pro omb sch men lec hps */
	[RES_SELF] = {
		[ACT_READ] =             {N, O, O, O, O, O, O, O, O, O},
		[ACT_UPDATE] =           {N, O, O, O, O, O, O, O, O, O},
	},
	[RES_DISTRICT] = {
		[ACT_READ] =             {N, R, R, R, R, R, R, R, R, R},
		[ACT_CREATE] =           {N, R, N, N, N, N, N, N, N, N},
		[ACT_UPDATE] =           {N, R, N, N, N, N, N, N, N, N},
	},
	[RES_ORGANISATION] = {
		[ACT_READ] =             {N, R, R, R, R, R, R, R, R, R},
		[ACT_CREATE] =           {N, R, R, N, N, N, N, N, N, N},
		[ACT_UPDATE] =           {N, R, R, N, N, N, N, N, N, N},
	},
	[RES_USER] = {
		[ACT_READ] =             {N, R, N, N, N, N, N, N, N, N},
		[ACT_CREATE] =           {N, R, N, N, N, N, N, N, N, N},
		[ACT_UPDATE] =           {N, R, N, N, N, N, N, N, N, N},
	},
	[RES_AUDIT] = {
		[ACT_READ] =             {N, R, N, N, R, N, N, N, N, N},
	},
	[RES_PERMISSIONS] = {
		[ACT_READ] =             {N, R, N, N, N, N, N, N, N, N},
	},
	[RES_ACCESS_GRANT] = {
		[ACT_CREATE] =           {N, N, R, N, N, N, N, N, N, R},
	},
	/*
	 * Appeals: "own" is a psychologist's assigned appeals; "organisation"
	 * is, for a school, what it registered, for the prosecutor's office
	 * what was referred to it or is about violence, for the commissioner
	 * what was referred to it.
	 */
	[RES_APPEAL] = {
		[ACT_READ] =             {N, N, R, O, G, G, G, N, N, R},
		[ACT_CREATE] =           {N, N, R, R, N, N, G, N, N, R},
		[ACT_UPDATE] =           {N, N, R, O, N, N, N, N, N, R},
		[ACT_ASSIGN] =           {N, N, R, N, N, N, N, N, N, R},
		[ACT_EXTEND] =           {N, N, R, N, N, N, N, N, N, R},
		[ACT_REOPEN] =           {N, N, R, N, N, N, N, N, N, N},
		[ACT_FORWARD] =          {N, N, R, N, N, N, N, N, N, R},
		[ACT_FLAG] =             {N, N, R, N, N, G, N, N, N, N},
	},
	[RES_CONSULTATION] = {
		[ACT_READ] =             {N, N, R, O, N, N, N, N, N, R},
		[ACT_CREATE] =           {N, N, N, O, N, N, N, N, N, R},
	},
	/* Notes: their author and head psychologists only; never administrators or coordinators. */
	[RES_CONSULTATION_NOTES] = {
		[ACT_READ] =             {N, N, N, O, N, N, N, N, N, R},
	},
	[RES_REFERRAL] = {
		[ACT_READ] =             {N, N, R, O, G, G, N, N, N, R},
		[ACT_CREATE] =           {N, N, R, O, N, N, N, N, N, R},
		[ACT_UPDATE] =           {N, N, R, O, N, N, N, N, N, R},
		[ACT_ANSWER] =           {N, N, G, G, G, G, G, G, N, G},
	},
	[RES_CALENDAR] = {
		[ACT_READ] =             {N, R, R, R, R, R, R, R, R, R},
		[ACT_UPDATE] =           {N, R, R, N, N, N, N, N, N, N},
	},
	/*
	 * Children: a psychologist's own are those of the appeals assigned to
	 * them; a Meyirim coordinator's organisation, those attached to it.
	 */
	[RES_CHILD] = {
		[ACT_READ] =             {N, N, R, O, N, N, N, G, N, R},
		[ACT_CREATE] =           {N, N, R, N, N, N, N, N, N, R},
		[ACT_UPDATE] =           {N, N, R, N, N, N, N, N, N, R},
		[ACT_MERGE] =            {N, N, R, N, N, N, N, N, N, N},
	},
	[RES_MENTORSHIP] = {
		[ACT_READ] =             {N, N, R, N, N, N, N, G, N, N},
		[ACT_CREATE] =           {N, N, R, N, N, N, N, N, N, N},
		[ACT_UPDATE] =           {N, N, R, N, N, N, N, G, N, N},
		[ACT_CLOSE] =            {N, N, R, N, N, N, N, N, N, N},
	},
	[RES_CONTACT] = {
		[ACT_READ] =             {N, N, R, N, N, N, N, G, N, N},
		[ACT_CREATE] =           {N, N, R, N, N, N, N, G, N, N},
	},
	/* Figures: a school and a Meyirim organisation see their own. */
	[RES_REPORT] = {
		[ACT_READ] =             {N, N, R, N, R, R, G, G, N, R},
	},
	/*
	 * The prevention programme: a school's coordinator keeps its own school's
	 * figures and lessons; a lecturer sees and confirms the lessons they give;
	 * only the prosecutor's office approves lecturers.
	 */
	[RES_SCHOOL] = {
		[ACT_READ] =             {N, R, R, N, R, R, G, N, R, N},
		[ACT_UPDATE] =           {N, R, R, N, N, N, G, N, N, N},
	},
	[RES_LECTURER] = {
		[ACT_READ] =             {N, R, R, N, R, N, R, N, O, N},
		[ACT_CREATE] =           {N, N, R, N, R, N, N, N, N, N},
		[ACT_UPDATE] =           {N, N, R, N, R, N, N, N, O, N},
		[ACT_APPROVE] =          {N, N, N, N, R, N, N, N, N, N},
	},
	[RES_LESSON] = {
		[ACT_READ] =             {N, N, R, N, R, R, G, N, O, N},
		[ACT_CREATE] =           {N, N, R, N, N, N, G, N, N, N},
		[ACT_UPDATE] =           {N, N, R, N, N, N, G, N, N, N},
		[ACT_RECORD] =           {N, N, R, N, N, N, G, N, N, N},
		[ACT_CONFIRM] =          {N, N, N, N, N, N, N, N, O, N},
	},
	[RES_EVENT] = {
		[ACT_READ] =             {N, N, R, R, R, R, G, N, N, R},
		[ACT_CREATE] =           {N, N, R, R, N, N, G, N, N, R},
		[ACT_UPDATE] =           {N, N, R, R, N, N, G, N, N, R},
	},
};

#undef N
#undef O
#undef G
#undef D
#undef R

const char *role_name(enum role role)
{
	return role > ROLE_NONE && role < ROLE_COUNT ? role_names[role] : NULL;
}

enum role role_parse(const char *s)
{
	for (int r = ROLE_FIRST; r <= ROLE_LAST_STORED; r++)
		if (s && strcmp(s, role_names[r]) == 0)
			return (enum role)r;
	return ROLE_NONE;
}

enum role role_effective(enum role role, int is_head)
{
	return role == ROLE_PSYCHOLOGIST && is_head ? ROLE_HEAD_PSYCHOLOGIST : role;
}

const char *resource_name(enum resource res)
{
	return res < RES_COUNT ? resource_names[res] : "?";
}

const char *action_name(enum action act)
{
	return act < ACT_COUNT ? action_names[act] : "?";
}

const char *scope_name(enum scope scope)
{
	static const char *const names[] = {"none", "own", "organisation", "district", "region"};
	return scope <= SCOPE_REGION ? names[scope] : "?";
}

int authz_is_anonymous(struct perm perm)
{
	return perm.resource == RES_PUBLIC || perm.resource == RES_METRICS;
}

enum scope authz_scope(enum role role, struct perm perm)
{
	if (authz_is_anonymous(perm))
		return SCOPE_REGION;
	if (perm.resource >= RES_COUNT || perm.action >= ACT_COUNT || role >= ROLE_COUNT)
		return SCOPE_NONE;
	return (enum scope)grants[perm.resource][perm.action][role];
}
