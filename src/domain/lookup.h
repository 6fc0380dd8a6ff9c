/* Lookup data an administrator edits: districts and organisations (audited changes). */
#ifndef QORGAU_DOMAIN_LOOKUP_H
#define QORGAU_DOMAIN_LOOKUP_H

#include "db/db.h"
#include "domain/audit.h"

/* Organisation kinds, NULL-terminated, in the order forms list them. */
extern const char *const org_kinds[];
/* Whether kind is one of org_kinds. */
int org_kind_valid(const char *kind);

int district_create(struct db *db, const struct actor *who, struct district *d);
int district_update(struct db *db, const struct actor *who, const struct district *d);
int org_create(struct db *db, const struct actor *who, struct organisation *o);
int org_update(struct db *db, const struct actor *who, const struct organisation *o);

#endif
