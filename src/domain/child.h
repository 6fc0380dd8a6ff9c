/*
 * Children: the registry's rules. Allowed values, the IIN (checked by its
 * check digit; a birth date or sex that disagrees is a warning, never an
 * error), the name keys stored beside the names, who sees which child,
 * and the changes (register, update, merge), each run inside a writer job
 * with the child's history and the audit row.
 */
#ifndef QORGAU_DOMAIN_CHILD_H
#define QORGAU_DOMAIN_CHILD_H

#include <stdint.h>

#include "core/buf.h"
#include "db/db.h"
#include "domain/audit.h"
#include "domain/authz.h"

extern const char *const care_statuses[];
extern const char *const child_sexes[];

/* Orphans and children without parental care: whom the Meyirim campaign is for. */
int child_eligible(const char *care_status);

/* Disagreements between an IIN and the birth date and sex given with it. */
struct iin_hint {
	int birth_differs;
	int sex_differs;
	char iin_birth[11]; /* the date the IIN encodes, "" when none */
	char iin_sex;       /* 'M', 'F' or 0 */
};

/*
 * Check an IIN as typed: 0 when valid (hints filled), otherwise a reason
 * code ("malformed", "bad_checksum").
 */
const char *child_iin_problem(const char *iin, const char *birth_date, const char *sex, struct iin_hint *hint);
/* The keyed hash that stands for an IIN in the database. */
int64_t child_iin_hash(const char *iin);
/* Seal an IIN for storage; open one (0 on success). */
void child_iin_seal(const char *iin, struct buf *out);
int child_iin_open(const struct child *c, char out[13]);

/* Fill the name keys of c (strings in ar). */
void child_set_keys(struct child *c, struct arena *ar);

/* The scope a caller's child lists and searches cover. */
struct child_scope child_scope_for(const struct scope_filter *f);
/* Whether the caller may open the child: its scope, or a live break-the-glass grant. */
int child_visible(struct db *db, const struct scope_filter *f, const struct child *c, int64_t now, int *yes,
		  int *by_grant);

/* Register: change number, row, history, audit. c->id is set. */
int child_register(struct db *db, const struct actor *who, struct child *c);
/* Update every field (the caller loaded and changed it); fields: which ones changed, for the history. */
int child_update(struct db *db, const struct actor *who, struct child *c, const char *fields);

struct child_merge_result {
	const char *refused; /* NULL, or why: "same", "merged", "both_attached", "not_found" */
};
/*
 * Merge `from` into `into`: appeals and attachments move, an IIN that only
 * `from` had moves with them, `from` keeps its history and points at `into`.
 */
int child_merge(struct db *db, const struct actor *who, int64_t from, int64_t into, struct child_merge_result *out);

/* A record of an audited read of a child (the reply waits for it). */
int child_audit_read(struct db *db, const struct actor *who, int64_t id, const char *detail);
/* Bump the change number of a child whose attachment changed (the name index keeps the organisation). */
int child_touch(struct db *db, int64_t id);

#endif
