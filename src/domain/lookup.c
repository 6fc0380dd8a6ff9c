/* Districts and organisations (lookup.h). */
#include "domain/lookup.h"

#include <string.h>

const char *const org_kinds[] = {
	"department",	      /* the children's-rights department */
	"support_centre",     /* the psychological support centre */
	"prosecutor",	      /* the prosecutor's office */
	"ombudsman",	      /* the commissioner for children's rights */
	"police",
	"regional_department", /* other departments of the regional administration */
	"akimat_department",   /* city and district akimat departments */
	"education",
	"health",
	"guardianship",
	"school",
	"college",
	"university",
	"ngo",
	"other",
	NULL,
};

int org_kind_valid(const char *kind)
{
	for (const char *const *k = org_kinds; kind && *k; k++)
		if (!strcmp(*k, kind))
			return 1;
	return 0;
}

int district_create(struct db *db, const struct actor *who, struct district *d)
{
	int rc = db_district_insert(db, d);
	return rc ? rc : audit_record(db, who, "create", "district", d->id, d->code);
}

int district_update(struct db *db, const struct actor *who, const struct district *d)
{
	int rc = db_district_update(db, d);
	return rc ? rc : audit_record(db, who, "update", "district", d->id, d->code);
}

int org_create(struct db *db, const struct actor *who, struct organisation *o)
{
	int rc = db_org_insert(db, o);
	return rc ? rc : audit_record(db, who, "create", "organisation", o->id, o->kind);
}

int org_update(struct db *db, const struct actor *who, const struct organisation *o)
{
	int rc = db_org_update(db, o);
	return rc ? rc : audit_record(db, who, "update", "organisation", o->id, o->kind);
}
