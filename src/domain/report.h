/*
 * Reports: the headline figures of a period (the memorandum's parties
 * report them publicly), and breakdowns by category, channel, kind, risk,
 * district, month, organisation kind or topic, in the caller's scope.
 * Every figure comes from the database's indexes or from figures kept as
 * the data changes (appeal_stat), never from rows loaded into memory.
 */
#ifndef QORGAU_DOMAIN_REPORT_H
#define QORGAU_DOMAIN_REPORT_H

#include <stdint.h>

#include "db/db.h"
#include "domain/authz.h"

enum report_scope_kind { REPORT_NONE, REPORT_REGION, REPORT_DISTRICT, REPORT_ORG };

struct report_scope {
	enum report_scope_kind kind;
	int64_t district_id; /* REPORT_DISTRICT, or a district chosen within the region */
	int64_t org_id;      /* REPORT_ORG: a school or a Meyirim organisation */
};

/* The caller's scope for reports, narrowed to district_id when given (-1: outside the caller's scope). */
int report_scope_for(const struct scope_filter *f, int64_t district_id, struct report_scope *out);

/* Headline figures over days [from, to]; contact_days: "without a recent contact" means none for so many days. */
int report_summary(struct db *db, const struct report_scope *s, const char *from, const char *to, int contact_days,
		   struct summary *out);

/* What a breakdown may be by. */
extern const char *const report_breakdowns[];

/* One row of a breakdown: a label key (a stored value, a month, or a district id) and up to three figures. */
struct report_row {
	const char *key;
	int64_t key_id;
	int64_t v[3];
};

struct report_table {
	const char *by;
	const char *series[3]; /* names of the figures (English keys: received, resolved, …), NULL unused */
	int nseries;
	int key_is_district;
	struct report_row *rows;
	size_t n;
};

/* A breakdown over days [from, to]; an unknown `by` gives DB_NOTFOUND. */
int report_breakdown(struct db *db, const struct report_scope *s, const char *by, const char *from, const char *to,
		     struct arena *ar, struct report_table *out);

#endif
