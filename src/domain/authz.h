/*
 * Who may do what. A permission is an action on a resource; each role is
 * granted a scope for it (own, organisation, district, region) in one
 * table (authz.c). Anything not granted is denied.
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
	ROLE_COUNT
};

enum resource {
	RES_PUBLIC,  /* anyone, signed in or not */
	RES_METRICS, /* loopback clients, or anyone when metrics_public is set */
	RES_SELF,    /* any signed-in user, about themselves */
	RES_DISTRICT,
	RES_COUNT
};

enum action { ACT_READ, ACT_CREATE, ACT_UPDATE, ACT_COUNT };

enum scope { SCOPE_NONE = 0, SCOPE_OWN, SCOPE_ORG, SCOPE_DISTRICT, SCOPE_REGION };

struct perm {
	unsigned char action;
	unsigned char resource;
};

#define PERM(a, r) {ACT_##a, RES_##r}

/* The role's name as stored and shown ("admin", …); NULL for ROLE_NONE. */
const char *role_name(enum role role);
/* ROLE_NONE when s names no role. */
enum role role_parse(const char *s);
const char *resource_name(enum resource res);
const char *action_name(enum action act);
const char *scope_name(enum scope scope);

/* The scope a role holds for a permission (SCOPE_NONE = denied). */
enum scope authz_scope(enum role role, struct perm perm);
/* Whether the permission needs no signed-in user. */
int authz_is_anonymous(struct perm perm);

#endif
