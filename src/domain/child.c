/* The children registry's rules (child.h). */
#include "domain/child.h"

#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/time.h"
#include "text/iin.h"
#include "text/names.h"

const char *const care_statuses[] = {
	"orphan",		 /* жетім бала */
	"without_parental_care", /* ата-анасының қамқорлығынсыз қалған */
	"under_guardianship",
	"in_institution",
	"foster_family",
	"with_family",
	NULL,
};
const char *const child_sexes[] = {"M", "F", NULL};

static int is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int child_eligible(const char *care_status)
{
	return is(care_status, "orphan") || is(care_status, "without_parental_care");
}

const char *child_iin_problem(const char *iin, const char *birth_date, const char *sex, struct iin_hint *hint)
{
	struct iin_info info;
	memset(hint, 0, sizeof(*hint));
	switch (iin_check(iin, strlen(iin), &info)) {
	case IIN_MALFORMED: return "malformed";
	case IIN_BAD_CHECKSUM: return "bad_checksum";
	case IIN_VALID: break;
	}
	if (info.has_date) {
		date_format(days_from_civil(info.year, info.month, info.day), hint->iin_birth);
		hint->birth_differs = birth_date && strcmp(birth_date, hint->iin_birth) != 0;
	}
	hint->iin_sex = info.sex;
	hint->sex_differs = info.sex && sex && sex[0] != info.sex;
	return NULL;
}

int64_t child_iin_hash(const char *iin)
{
	char term[32];
	int n = snprintf(term, sizeof(term), "iin:%s", iin);
	int64_t h = search_term_hash(term, (size_t)n);
	return h ? h : 1; /* 0 means "no IIN" */
}

void child_iin_seal(const char *iin, struct buf *out)
{
	seal(iin, strlen(iin), "child_iin", out);
}

int child_iin_open(const struct child *c, char out[13])
{
	out[0] = 0;
	if (!c->iin_sealed)
		return -1;
	struct buf plain = BUF_INIT;
	int rc = unseal(c->iin_sealed, c->iin_sealed_len, "child_iin", &plain);
	if (rc == 0 && plain.len == 12) {
		memcpy(out, plain.ptr, 12);
		out[12] = 0;
	} else {
		rc = -1;
	}
	buf_release(&plain);
	return rc;
}

void child_set_keys(struct child *c, struct arena *ar)
{
	struct name_key k;
	name_key(c->surname, c->given_name, c->patronymic, &k);
	c->surname_key = arena_strdup(ar, k.surname);
	c->given_key = arena_strdup(ar, k.given);
	c->patronymic_key = arena_strdup(ar, k.patronymic);
}

struct child_scope child_scope_for(const struct scope_filter *f)
{
	struct child_scope s = {CHILD_SCOPE_NONE, 0};
	switch ((enum scope)f->scope) {
	case SCOPE_REGION: s.kind = CHILD_SCOPE_REGION; break;
	case SCOPE_DISTRICT:
		s.kind = CHILD_SCOPE_DISTRICT;
		s.id = f->district_id;
		break;
	case SCOPE_ORG:
		if (f->organisation_id) {
			s.kind = CHILD_SCOPE_ORG;
			s.id = f->organisation_id;
		}
		break;
	case SCOPE_OWN:
		s.kind = CHILD_SCOPE_OWN;
		s.id = f->user_id;
		break;
	case SCOPE_NONE: break;
	}
	return s;
}

int child_visible(struct db *db, const struct scope_filter *f, const struct child *c, int64_t now, int *yes,
		  int *by_grant)
{
	struct child_scope s = child_scope_for(f);
	int rc;
	*yes = 0;
	*by_grant = 0;
	switch (s.kind) {
	case CHILD_SCOPE_REGION: *yes = 1; break;
	case CHILD_SCOPE_DISTRICT: *yes = c->district_id == s.id; break;
	case CHILD_SCOPE_ORG: *yes = c->organisation_id == s.id; break;
	case CHILD_SCOPE_OWN:
		if ((rc = db_child_of_assignee(db, c->id, s.id, yes)) != DB_OK)
			return rc;
		break;
	case CHILD_SCOPE_NONE: break;
	}
	if (*yes || !f->user_id)
		return DB_OK;
	int granted = 0;
	if ((rc = db_grant_check(db, f->user_id, "child", c->id, now, &granted)) != DB_OK)
		return rc;
	*yes = *by_grant = granted;
	return DB_OK;
}

int child_register(struct db *db, const struct actor *who, struct child *c)
{
	int rc = db_child_next_ver(db, &c->ver);
	if (rc)
		return rc;
	c->created_by = who->user_id;
	if ((rc = db_child_insert(db, c)) != DB_OK)
		return rc;
	if ((rc = db_child_event_add(db, c->id, c->created_at, who->user_id, "registered", NULL)) != DB_OK)
		return rc;
	return audit_record(db, who, "create", "child", c->id, NULL);
}

int child_update(struct db *db, const struct actor *who, struct child *c, const char *fields)
{
	int rc = db_child_next_ver(db, &c->ver);
	if (rc)
		return rc;
	if ((rc = db_child_update(db, c)) != DB_OK)
		return rc;
	if ((rc = db_child_event_add(db, c->id, c->updated_at, who->user_id, "updated", fields)) != DB_OK)
		return rc;
	return audit_record(db, who, "update", "child", c->id, fields);
}

int child_merge(struct db *db, const struct actor *who, int64_t from, int64_t into, struct child_merge_result *out)
{
	struct arena ar;
	struct child a, b;
	int rc;
	out->refused = NULL;
	if (from == into) {
		out->refused = "same";
		return DB_OK;
	}
	arena_init(&ar);
	rc = db_child_get(db, from, &ar, &a);
	if (!rc)
		rc = db_child_get(db, into, &ar, &b);
	if (rc == DB_NOTFOUND) {
		out->refused = "not_found";
		rc = DB_OK;
		goto done;
	}
	if (rc)
		goto done;
	if (a.merged_into || b.merged_into) {
		out->refused = "merged";
		goto done;
	}
	if (a.mentorship_id && b.mentorship_id) {
		out->refused = "both_attached";
		goto done;
	}
	int64_t ver, now = time_now();
	if ((rc = db_child_next_ver(db, &ver)) != DB_OK)
		goto done;
	/* The IIN goes with the record that lives on (cleared from `from` first: it is unique). */
	if ((rc = db_child_merge(db, from, into, ver, now)) != DB_OK)
		goto done;
	if (a.iin_hash && !b.iin_hash) {
		if ((rc = db_child_set_iin(db, into, a.iin_hash, a.iin_sealed, a.iin_sealed_len)) != DB_OK)
			goto done;
		b.iin_hash = a.iin_hash;
		b.iin_sealed = a.iin_sealed;
		b.iin_sealed_len = a.iin_sealed_len;
	}
	/*
	 * What only the duplicate knew goes to the record that lives on (a
	 * guardian's phone, a school, a birth date); what both know stays as the
	 * living record has it. The duplicate keeps its own as it was.
	 */
	struct buf filled = BUF_INIT;
#define FILL(field)                                                                                                    \
	if ((!b.field || !*b.field) && a.field && *a.field) {                                                           \
		b.field = a.field;                                                                                    \
		buf_printf(&filled, "%s%s", filled.len ? ", " : "", #field);                                          \
	}
	FILL(patronymic)
	FILL(birth_date)
	FILL(sex)
	FILL(institution)
	FILL(guardian_name)
	FILL(guardian_phone)
	FILL(school)
	FILL(notes)
#undef FILL
	if (b.patronymic == a.patronymic)
		b.patronymic_key = a.patronymic_key;
	b.ver = ver;
	if (filled.len) {
		b.updated_at = now;
		rc = db_child_update(db, &b);
	}
	if (!rc)
		rc = db_child_set_ver(db, into, ver);
	char detail[160];
	snprintf(detail, sizeof(detail), "into %lld", (long long)into);
	if (!rc)
		rc = db_child_event_add(db, from, now, who->user_id, "merged_into", detail);
	snprintf(detail, sizeof(detail), "from %lld%s%s", (long long)from, filled.len ? "; taken: " : "",
		 filled.len ? filled.ptr : "");
	buf_release(&filled);
	if (rc)
		goto done;
	if ((rc = db_child_event_add(db, into, now, who->user_id, "merged_from", detail)) != DB_OK)
		goto done;
	rc = audit_record(db, who, "merge", "child", into, detail);
done:
	arena_release(&ar);
	return rc;
}

int child_audit_read(struct db *db, const struct actor *who, int64_t id, const char *detail)
{
	return audit_record(db, who, "read", "child", id, detail);
}

int child_touch(struct db *db, int64_t id)
{
	int64_t ver;
	int rc = db_child_next_ver(db, &ver);
	return rc ? rc : db_child_set_ver(db, id, ver);
}
