/*
 * /api/v1/children: register (with the duplicate check), read, search,
 * list, update and merge children. Every view is audited before the
 * reply. The checks here are shared with the pages (web/children.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/time.h"
#include "domain/child.h"
#include "domain/child_index.h"
#include "domain/deadlines.h"
#include "http/json.h"

/* ---------- fields ---------- */

#define CHILD_FIELDS(req)                                                     \
	{"surname", FT_LINE, req, 1, 100, NULL},                              \
	{"given_name", FT_LINE, req, 1, 100, NULL},                           \
	{"patronymic", FT_LINE, 0, 1, 100, NULL},                             \
	{"iin", FT_LINE, 0, 1, 20, NULL},                                     \
	{"birth_date", FT_DATE, 0, 0, 0, NULL},                               \
	{"sex", FT_ENUM, 0, 0, 0, child_sexes},                               \
	{"district_id", FT_ID, req, 0, 0, NULL},                              \
	{"care_status", FT_ENUM, req, 0, 0, care_statuses},                   \
	{"institution", FT_LINE, 0, 1, 200, NULL},                            \
	{"guardian.name", FT_LINE, 0, 2, 200, NULL},                          \
	{"guardian.phone", FT_LINE, 0, 5, 30, NULL},                          \
	{"school", FT_LINE, 0, 1, 200, NULL},                                 \
	{"notes", FT_TEXT, 0, 1, 5000, NULL}

const struct field child_create_fields[] = {
	CHILD_FIELDS(F_REQUIRED),
	{"confirm_new", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* The optional fields a change may clear (JSON null and "" mean "not given"). */
static const char *const clearable[] = {"patronymic", "iin",		 "birth_date", "sex",   "institution",
					"guardian.name", "guardian.phone", "school",	   "notes", NULL};

const struct field child_update_fields[] = {
	CHILD_FIELDS(0),
	{"clear", FT_ENUM_LIST, 0, 0, 0, clearable},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field child_list_fields[] = {
	{"q", FT_LINE, 0, 1, 200, NULL},
	{"care_status", FT_ENUM, 0, 0, 0, care_statuses},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"attached", FT_ENUM, 0, 0, 0, (const char *const[]){"yes", "no", NULL}},
	{"limit", FT_INT, 0, 1, 500, NULL},
	{"after", FT_LINE, 0, 1, 200, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field child_merge_fields[] = {
	{"duplicate_id", FT_ID, F_REQUIRED, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* ---------- JSON ---------- */

static void kv_opt(struct json *j, const char *key, const char *s)
{
	if (s)
		json_kv_str(j, key, s);
	else
		json_kv_null(j, key);
}

/* The IIN's disagreements with the birth date and sex, as warnings. */
static void warnings_json(struct json *j, const struct iin_hint *h)
{
	json_key(j, "warnings");
	json_array_begin(j);
	if (h->birth_differs) {
		json_object_begin(j);
		json_kv_str(j, "field", "birth_date");
		json_kv_str(j, "code", "iin_birth_date_differs");
		json_kv_str(j, "message", "the IIN encodes another birth date; since 2013 this can be right");
		json_kv_str(j, "iin_birth_date", h->iin_birth);
		json_object_end(j);
	}
	if (h->sex_differs) {
		json_object_begin(j);
		json_kv_str(j, "field", "sex");
		json_kv_str(j, "code", "iin_sex_differs");
		json_kv_str(j, "message", "the IIN encodes the other sex; since 2013 this can be right");
		json_object_end(j);
	}
	json_array_end(j);
}

void api_child_brief_json(struct json *j, const struct child *c)
{
	json_kv_int(j, "id", c->id);
	json_kv_str(j, "surname", c->surname);
	json_kv_str(j, "given_name", c->given_name);
	kv_opt(j, "patronymic", c->patronymic);
	kv_opt(j, "birth_date", c->birth_date);
	kv_opt(j, "sex", c->sex);
	json_kv_id(j, "district_id", c->district_id);
	json_kv_str(j, "care_status", c->care_status);
	json_kv_bool(j, "eligible", child_eligible(c->care_status));
	json_key(j, "attachment");
	if (c->mentorship_id) {
		json_object_begin(j);
		json_kv_int(j, "id", c->mentorship_id);
		json_kv_int(j, "organisation_id", c->organisation_id);
		json_kv_str(j, "organisation_name", c->organisation_name);
		json_object_end(j);
	} else {
		json_null(j);
	}
	json_kv_id(j, "merged_into", c->merged_into);
}

void api_child_json(struct request *r, struct json *j, const struct child *c, const struct appeal *appeals,
		    size_t nappeals)
{
	(void)r;
	char iin[13];
	struct iin_hint hint;
	memset(&hint, 0, sizeof(hint));
	int has_iin = c->iin_sealed && child_iin_open(c, iin) == 0;
	if (has_iin)
		child_iin_problem(iin, c->birth_date, c->sex, &hint);
	json_object_begin(j);
	api_child_brief_json(j, c);
	kv_opt(j, "iin", has_iin ? iin : NULL);
	kv_opt(j, "institution", c->institution);
	json_key(j, "guardian");
	json_object_begin(j);
	kv_opt(j, "name", c->guardian_name);
	kv_opt(j, "phone", c->guardian_phone);
	json_object_end(j);
	kv_opt(j, "school", c->school);
	kv_opt(j, "notes", c->notes);
	json_key(j, "appeals");
	json_array_begin(j);
	for (size_t i = 0; i < nappeals; i++) {
		json_object_begin(j);
		json_kv_int(j, "id", appeals[i].id);
		json_kv_str(j, "number", appeals[i].number);
		json_kv_str(j, "status", appeals[i].status);
		json_kv_str(j, "category", appeals[i].category);
		json_kv_str(j, "registered_on", appeals[i].registered_on);
		json_object_end(j);
	}
	json_array_end(j);
	warnings_json(j, &hint);
	api_kv_time(j, "created_at", c->created_at);
	api_kv_time(j, "updated_at", c->updated_at);
	json_object_end(j);
}

/* ---------- loading a child the caller may act on ---------- */

int child_load_for(struct request *r, int64_t id, struct perm perm, struct child *c, int *by_grant)
{
	int rc = db_child_get(request_db(r), id, &r->arena, c);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such child", NULL);
		return -1;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	struct scope_filter f = request_scope(r, perm);
	int visible = 0, grant = 0;
	rc = child_visible(request_db(r), &f, c, time_now(), &visible, &grant);
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	if (grant && perm.action != ACT_READ)
		visible = 0; /* a break-the-glass grant opens a record for reading only */
	if (!visible) {
		struct perm glass = PERM(CREATE, ACCESS_GRANT);
		if (perm.action == ACT_READ && authz_scope(r->user.role, glass) != SCOPE_NONE)
			respond_error(r, 403, "outside_scope",
				      "this child is outside your scope: to open the record, give a reason (break the glass)",
				      NULL);
		else
			respond_error(r, 404, "not_found", "no such child", NULL);
		return -1;
	}
	if (by_grant)
		*by_grant = grant;
	return 0;
}

/* The appeals about a child that the caller may see. */
int child_appeals_for(struct request *r, int64_t child_id, struct appeal **items, size_t *n)
{
	*items = NULL;
	*n = 0;
	struct appeal_viewer v;
	appeal_viewer_of(r, (struct perm)PERM(READ, APPEAL), &v);
	struct appeal_scope scope = appeal_scope_for(&v);
	if (scope.kind == APPEAL_SCOPE_NONE)
		return DB_OK;
	struct appeal_filter f;
	memset(&f, 0, sizeof(f));
	f.child_id = child_id;
	f.limit = 100;
	return db_appeal_list(request_db(r), &scope, &f, &r->arena, items, n);
}

/* ---------- the draft: what a new or changed child says ---------- */

/* Whether a change asks to clear the field. */
static int clears(struct request *r, const char *name)
{
	const struct field_value *v = input_get(&r->in, "clear");
	for (size_t i = 0; v && v->present && i < v->count; i++)
		if (!strcmp(v->strs[i], name))
			return 1;
	return 0;
}

static const char *opt_str(struct request *r, const char *name, const char *old, enum child_draft_mode mode)
{
	if (mode != CHILD_DRAFT_PATCH || input_has(&r->in, name))
		return input_str(&r->in, name);
	return clears(r, name) ? NULL : old;
}

int child_draft_from_input(struct request *r, struct child *c, enum child_draft_mode mode, struct child_draft *d)
{
	int creating = mode == CHILD_DRAFT_CREATE;
	int64_t old_district = c->district_id;
	memset(d, 0, sizeof(*d));
	buf_init(&d->sealed);
	c->surname = opt_str(r, "surname", c->surname, mode);
	c->given_name = opt_str(r, "given_name", c->given_name, mode);
	c->patronymic = opt_str(r, "patronymic", c->patronymic, mode);
	c->birth_date = opt_str(r, "birth_date", c->birth_date, mode);
	c->sex = opt_str(r, "sex", c->sex, mode);
	if (mode != CHILD_DRAFT_PATCH || input_has(&r->in, "district_id"))
		c->district_id = input_int(&r->in, "district_id", 0);
	c->care_status = opt_str(r, "care_status", c->care_status, mode);
	c->institution = opt_str(r, "institution", c->institution, mode);
	c->guardian_name = opt_str(r, "guardian.name", c->guardian_name, mode);
	c->guardian_phone = opt_str(r, "guardian.phone", c->guardian_phone, mode);
	c->school = opt_str(r, "school", c->school, mode);
	c->notes = opt_str(r, "notes", c->notes, mode);
	/* A whole form (the page) must still hold what every child has. */
	if (mode == CHILD_DRAFT_REPLACE) {
		static const char *const must[] = {"surname", "given_name", "care_status", "district_id", NULL};
		for (const char *const *m = must; *m; m++)
			if (!input_has(&r->in, *m))
				input_error(&r->in, &r->arena, *m, "required", "is required");
		if (r->in.nerrors)
			return 0;
	}

	char today[11];
	today_text(today);
	if (c->birth_date && strcmp(c->birth_date, today) > 0)
		input_error(&r->in, &r->arena, "birth_date", "in_future", "is in the future");
	else if (c->birth_date && strcmp(c->birth_date, "1990-01-01") < 0)
		input_error(&r->in, &r->arena, "birth_date", "too_old", "is before 1990");
	if (c->guardian_phone && !phone_valid(c->guardian_phone))
		input_error(&r->in, &r->arena, "guardian.phone", "invalid_phone", "is not a phone number");
	int iin_given = input_has(&r->in, "iin");
	int iin_cleared = !iin_given && ((mode == CHILD_DRAFT_PATCH && clears(r, "iin")) ||
					 (mode == CHILD_DRAFT_REPLACE && c->iin_hash));
	if (iin_given || iin_cleared) {
		const char *iin = iin_given ? input_str(&r->in, "iin") : NULL;
		const char *why = iin ? child_iin_problem(iin, c->birth_date, c->sex, &d->hint) : NULL;
		if (why && !strcmp(why, "malformed"))
			input_error(&r->in, &r->arena, "iin", "invalid_iin", "must be exactly 12 digits");
		else if (why)
			input_error(&r->in, &r->arena, "iin", "invalid_iin", "is not a valid IIN: its check digit does not match");
		else if (iin) {
			c->iin_hash = child_iin_hash(iin);
			child_iin_seal(iin, &d->sealed);
			c->iin_sealed = d->sealed.ptr;
			c->iin_sealed_len = d->sealed.len;
		} else {
			c->iin_hash = 0; /* cleared */
			c->iin_sealed = NULL;
			c->iin_sealed_len = 0;
		}
		d->iin_changed = 1;
	} else if (c->iin_sealed) {
		char iin[13];
		if (child_iin_open(c, iin) == 0)
			child_iin_problem(iin, c->birth_date, c->sex, &d->hint);
	}
	if (creating || c->district_id != old_district) {
		/* Someone limited to a district registers and moves children in that district only. */
		struct scope_filter sf = request_scope(r, creating ? (struct perm)PERM(CREATE, CHILD)
								     : (struct perm)PERM(UPDATE, CHILD));
		if (sf.scope == SCOPE_DISTRICT && c->district_id != sf.district_id)
			input_error(&r->in, &r->arena, "district_id", "outside_scope", "is outside your district");
		struct district dist;
		int rc = db_district_get(request_db(r), c->district_id, &r->arena, &dist);
		if (rc == DB_NOTFOUND)
			input_error(&r->in, &r->arena, "district_id", "not_found", "no such district");
		else if (rc) {
			respond_db_error(r, rc);
			return -1;
		}
	}
	if (r->in.nerrors)
		return 0;
	child_set_keys(c, &r->arena);
	/* An IIN names one child only. */
	if (c->iin_hash && d->iin_changed) {
		struct child other;
		int rc = db_child_by_iin(request_db(r), c->iin_hash, &r->arena, &other);
		if (rc == DB_OK && other.id != c->id) {
			d->iin_owner = other.id;
			return 0;
		}
		if (rc && rc != DB_NOTFOUND) {
			respond_db_error(r, rc);
			return -1;
		}
	}
	if (creating) {
		int rc = child_index_duplicates(request_db(r), c->surname_key, c->given_key, c->birth_date, 0, &r->arena,
						&d->candidates, &d->ncandidates);
		if (rc) {
			respond_db_error(r, rc);
			return -1;
		}
	}
	return 0;
}

/* 409 with the children the new one may be: in full where the caller may see them. */
static void respond_duplicates(struct request *r, const char *code, const char *message, const int64_t *ids, size_t n)
{
	buf_reset(&r->body);
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_key(&j, "error");
	json_object_begin(&j);
	json_kv_str(&j, "code", code);
	json_kv_str(&j, "message", message);
	json_key(&j, "candidates");
	json_array_begin(&j);
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, CHILD));
	int64_t *shown = arena_alloc(&r->arena, (n + 1) * sizeof(*shown));
	size_t nshown = 0;
	for (size_t i = 0; i < n; i++) {
		struct child c;
		int visible = 0, grant = 0;
		if (db_child_get(request_db(r), ids[i], &r->arena, &c) != DB_OK)
			continue;
		child_visible(request_db(r), &f, &c, time_now(), &visible, &grant);
		/* As on the page: a record open only through a grant is not shown in full here. */
		visible = visible && !grant;
		json_object_begin(&j);
		if (visible)
			shown[nshown++] = c.id;
		if (visible) {
			api_child_brief_json(&j, &c);
		} else {
			json_kv_int(&j, "id", c.id);
			json_kv_id(&j, "district_id", c.district_id);
			json_kv_bool(&j, "outside_scope", 1);
		}
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_object_end(&j);
	/* The candidates shown in full are reads of their records. */
	api_respond_audited_rows(r, 409, "read", "child", shown, nshown, "duplicate check");
}

/* ---------- register ---------- */

struct child_job {
	struct actor who;
	struct child c;
	struct child_draft d;
	const char *fields;  /* the fields the request gives (none: nothing to change) */
	const char *changed; /* of them, those whose value changes: the history's */
	int64_t other;
	struct child_merge_result merge;
};

static int run_register(struct db *db, struct write_job *job)
{
	struct child_job *cj = job->arg;
	return child_register(db, &cj->who, &cj->c);
}

static void send_child(struct request *r, int64_t id, int status)
{
	struct child c;
	int rc = db_child_get(request_db(r), id, &r->arena, &c);
	struct appeal *appeals = NULL;
	size_t nappeals = 0;
	if (!rc)
		rc = child_appeals_for(r, id, &appeals, &nappeals);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_child_json(r, &j, &c, appeals, nappeals);
	respond_json(r, status);
}

static void child_written(struct request *r, int status)
{
	struct child_job *cj = r->ctx;
	buf_release(&cj->d.sealed);
	if (status == DB_CONSTRAINT) {
		respond_error(r, 409, "duplicate_iin", "another child has this IIN", "iin");
		return;
	}
	if (status == DB_NOTFOUND) {
		respond_error(r, 409, "merged", "this record was merged into another", NULL);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	send_child(r, cj->c.id, cj->fields ? 200 : 201);
}

int child_check_duplicates(struct request *r, const struct child_draft *d, int confirmed)
{
	if (d->iin_owner) {
		respond_duplicates(r, "duplicate_iin", "another child has this IIN", &d->iin_owner, 1);
		return -1;
	}
	if (d->ncandidates && !confirmed) {
		respond_duplicates(r, "possible_duplicate",
				   "a child with this name and birth date is registered already; "
				   "send confirm_new: true if this is a different child",
				   d->candidates, d->ncandidates);
		return -1;
	}
	return 0;
}

struct child_job *child_register_job(struct request *r)
{
	struct child_job *cj = arena_zalloc(&r->arena, sizeof(*cj));
	request_actor(r, &cj->who);
	cj->c.created_at = cj->c.updated_at = time_now();
	if (child_draft_from_input(r, &cj->c, CHILD_DRAFT_CREATE, &cj->d) < 0)
		return NULL;
	r->ctx = cj;
	return cj;
}

void child_register_start(struct request *r, struct child_job *cj, request_write_then then)
{
	request_write(r, run_register, cj, then);
}

void api_child_create(struct request *r)
{
	struct child_job *cj = child_register_job(r);
	if (!cj)
		return;
	if (r->in.nerrors) {
		buf_release(&cj->d.sealed);
		respond_input_errors(r);
		return;
	}
	if (child_check_duplicates(r, &cj->d, (int)input_int(&r->in, "confirm_new", 0)) < 0) {
		buf_release(&cj->d.sealed);
		return;
	}
	child_register_start(r, cj, child_written);
}

/* ---------- read ---------- */

struct child_read {
	struct actor who;
	struct child c;
	const char *detail;
	struct appeal *appeals;
	size_t nappeals;
};

static int run_read_audit(struct db *db, struct write_job *job)
{
	struct child_read *cr = job->arg;
	return child_audit_read(db, &cr->who, cr->c.id, cr->detail);
}

static void read_audited(struct request *r, int status)
{
	struct child_read *cr = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_child_json(r, &j, &cr->c, cr->appeals, cr->nappeals);
	respond_json(r, 200);
}

void api_child_get(struct request *r)
{
	struct child_read *cr = arena_zalloc(&r->arena, sizeof(*cr));
	int grant = 0;
	if (child_load_for(r, request_id(r, 0), (struct perm)PERM(READ, CHILD), &cr->c, &grant) < 0)
		return;
	int rc = child_appeals_for(r, cr->c.id, &cr->appeals, &cr->nappeals);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &cr->who);
	cr->detail = grant ? "break the glass" : NULL;
	r->ctx = cr;
	request_write(r, run_read_audit, cr, read_audited);
}

/* ---------- list and search ---------- */

/*
 * "surname_key.given_key.id": where the next page starts. Keys are ASCII
 * without dots and may be empty (a name with no letters we fold).
 */
int name_cursor_parse(const char *s, struct name_cursor *c)
{
	const char *d1 = s ? strchr(s, '.') : NULL, *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	memset(c, 0, sizeof(*c));
	if (!s)
		return 0;
	if (!d2 || (size_t)(d1 - s) >= sizeof(c->surname_key) || (size_t)(d2 - d1 - 1) >= sizeof(c->given_key))
		return -1;
	for (const char *p = s; p < d2; p++)
		if (p != d1 && !((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '\''))
			return -1;
	if (!(d2[1] >= '1' && d2[1] <= '9'))
		return -1;
	char *end;
	errno = 0;
	long long id = strtoll(d2 + 1, &end, 10);
	if (*end || errno)
		return -1;
	c->set = 1;
	memcpy(c->surname_key, s, (size_t)(d1 - s));
	memcpy(c->given_key, d1 + 1, (size_t)(d2 - d1 - 1));
	c->id = id;
	return 0;
}

const char *name_cursor_text(struct arena *ar, const char *surname_key, const char *given_key, int64_t id)
{
	return arena_printf(ar, "%s.%s.%lld", surname_key, given_key, (long long)id);
}

int child_search_for(struct request *r, const char *q, const struct child_filter *f, int limit, struct child **items,
		     size_t *n, int **scores)
{
	struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, CHILD));
	struct child_scope scope = child_scope_for(&sf);
	*items = NULL;
	*n = 0;
	if (scores)
		*scores = NULL;
	/* Twelve digits: an IIN, looked up by its keyed hash. */
	size_t ql = strlen(q);
	if (ql == 12 && strspn(q, "0123456789") == 12) {
		struct child *c = arena_zalloc(&r->arena, sizeof(*c));
		int visible = 0, grant = 0;
		int rc = db_child_by_iin(request_db(r), child_iin_hash(q), &r->arena, c);
		if (rc == DB_NOTFOUND)
			return DB_OK;
		if (!rc)
			rc = child_visible(request_db(r), &sf, c, time_now(), &visible, &grant);
		if (rc)
			return rc;
		if (visible && !grant && !c->merged_into) {
			*items = c;
			*n = 1;
			if (scores) {
				*scores = arena_alloc(&r->arena, sizeof(**scores));
				**scores = 1000; /* an IIN names one child */
			}
		}
		return DB_OK;
	}
	struct child_hit *hits;
	size_t nhits;
	int rc = child_index_search(request_db(r), q, &scope, f, limit, &r->arena, &hits, &nhits);
	if (rc)
		return rc;
	struct child *out = arena_alloc(&r->arena, (nhits ? nhits : 1) * sizeof(*out));
	int *sc = arena_alloc(&r->arena, (nhits ? nhits : 1) * sizeof(*sc));
	size_t k = 0;
	for (size_t i = 0; i < nhits; i++) {
		rc = db_child_get(request_db(r), hits[i].id, &r->arena, &out[k]);
		if (rc == DB_NOTFOUND)
			continue;
		if (rc)
			return rc;
		sc[k++] = hits[i].score;
	}
	*items = out;
	*n = k;
	if (scores)
		*scores = sc;
	return DB_OK;
}

int child_list_for(struct request *r, struct child_filter *f, struct child **items, size_t *n)
{
	struct scope_filter sf = request_scope(r, (struct perm)PERM(READ, CHILD));
	struct child_scope scope = child_scope_for(&sf);
	return db_child_list(request_db(r), &scope, f, &r->arena, items, n);
}

struct child_list {
	struct actor who;
	struct child *items;
	int *scores;
	size_t n;
	int limit;
	int search;
};

static int run_list_audit(struct db *db, struct write_job *job)
{
	struct child_list *cl = job->arg;
	char detail[48];
	snprintf(detail, sizeof(detail), "%s, %zu rows", cl->search ? "search" : "list", cl->n);
	return audit_record(db, &cl->who, "list", "child", 0, detail);
}

static void list_audited(struct request *r, int status)
{
	struct child_list *cl = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < cl->n; i++) {
		json_object_begin(&j);
		api_child_brief_json(&j, &cl->items[i]);
		if (cl->scores)
			json_kv_int(&j, "score", cl->scores[i]);
		json_object_end(&j);
	}
	const struct child *last = !cl->search && cl->n == (size_t)cl->limit && cl->n ? &cl->items[cl->n - 1] : NULL;
	api_items_end(&j, last ? name_cursor_text(&r->arena, last->surname_key, last->given_key, last->id) : NULL);
	respond_json(r, 200);
}

void api_children_list(struct request *r)
{
	struct child_list *cl = arena_zalloc(&r->arena, sizeof(*cl));
	cl->limit = (int)input_int(&r->in, "limit", 50);
	const char *q = input_str(&r->in, "q");
	int rc;
	struct child_filter f;
	memset(&f, 0, sizeof(f));
	f.care_status = input_str(&r->in, "care_status");
	f.district_id = input_int(&r->in, "district_id", 0);
	f.attached = input_str(&r->in, "attached");
	f.limit = cl->limit;
	if (q) {
		if (input_has(&r->in, "after")) {
			respond_error(r, 422, "invalid", "after: a search is ranked and has one page; raise limit instead",
				      "after");
			return;
		}
		cl->search = 1;
		rc = child_search_for(r, q, &f, cl->limit, &cl->items, &cl->n, &cl->scores);
	} else {
		if (name_cursor_parse(input_str(&r->in, "after"), &f.after) < 0) {
			respond_error(r, 422, "invalid", "after: not a cursor from a previous page", "after");
			return;
		}
		rc = child_list_for(r, &f, &cl->items, &cl->n);
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &cl->who);
	r->ctx = cl;
	request_write(r, run_list_audit, cl, list_audited);
}

/* ---------- update ---------- */

static int run_update(struct db *db, struct write_job *job)
{
	struct child_job *cj = job->arg;
	return child_update(db, &cj->who, &cj->c, cj->changed);
}

/* The names of the fields a request changes, for the history (never their values). */
static const char *changed_fields(struct request *r)
{
	struct buf b = BUF_INIT;
	for (const struct field *f = child_update_fields; f->name; f++)
		if (strcmp(f->name, "clear") && (input_has(&r->in, f->name) || clears(r, f->name)))
			buf_printf(&b, "%s%s", b.len ? ", " : "", f->name);
	const char *out = arena_strndup(&r->arena, b.ptr ? b.ptr : "", b.len);
	buf_release(&b);
	return out;
}

static int same_text(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/* The fields whose value a change really changes (a form sends them all), by the names of the input. */
static const char *really_changed(struct request *r, const struct child *was, const struct child *now)
{
	struct buf b = BUF_INIT;
#define CHANGED(name, differs)                                                                                          \
	if (differs)                                                                                                   \
		buf_printf(&b, "%s%s", b.len ? ", " : "", name);
	CHANGED("surname", !same_text(was->surname, now->surname))
	CHANGED("given_name", !same_text(was->given_name, now->given_name))
	CHANGED("patronymic", !same_text(was->patronymic, now->patronymic))
	CHANGED("iin", was->iin_hash != now->iin_hash)
	CHANGED("birth_date", !same_text(was->birth_date, now->birth_date))
	CHANGED("sex", !same_text(was->sex, now->sex))
	CHANGED("district_id", was->district_id != now->district_id)
	CHANGED("care_status", !same_text(was->care_status, now->care_status))
	CHANGED("institution", !same_text(was->institution, now->institution))
	CHANGED("guardian.name", !same_text(was->guardian_name, now->guardian_name))
	CHANGED("guardian.phone", !same_text(was->guardian_phone, now->guardian_phone))
	CHANGED("school", !same_text(was->school, now->school))
	CHANGED("notes", !same_text(was->notes, now->notes))
#undef CHANGED
	const char *out = arena_strndup(&r->arena, b.ptr ? b.ptr : "", b.len);
	buf_release(&b);
	return out;
}

struct child_job *child_update_job(struct request *r, int64_t id, enum child_draft_mode mode)
{
	struct child_job *cj = arena_zalloc(&r->arena, sizeof(*cj));
	if (child_load_for(r, id, (struct perm)PERM(UPDATE, CHILD), &cj->c, NULL) < 0)
		return NULL;
	if (cj->c.merged_into) {
		respond_error(r, 409, "merged", "this record was merged into another: change that one", NULL);
		return NULL;
	}
	request_actor(r, &cj->who);
	cj->c.updated_at = time_now();
	cj->fields = changed_fields(r);
	const struct child was = cj->c;
	if (child_draft_from_input(r, &cj->c, mode, &cj->d) < 0)
		return NULL;
	cj->changed = really_changed(r, &was, &cj->c);
	r->ctx = cj;
	return cj;
}

void child_update_start(struct request *r, struct child_job *cj, request_write_then then)
{
	request_write(r, run_update, cj, then);
}

void api_child_update(struct request *r)
{
	struct child_job *cj = child_update_job(r, request_id(r, 0), CHILD_DRAFT_PATCH);
	if (!cj)
		return;
	if (r->in.nerrors) {
		buf_release(&cj->d.sealed);
		respond_input_errors(r);
		return;
	}
	if (!*cj->fields) {
		buf_release(&cj->d.sealed);
		respond_error(r, 422, "nothing_to_change", "give at least one field to change", NULL);
		return;
	}
	if (child_check_duplicates(r, &cj->d, 1) < 0) {
		buf_release(&cj->d.sealed);
		return;
	}
	child_update_start(r, cj, child_written);
}

/* ---------- merge ---------- */

static int run_merge(struct db *db, struct write_job *job)
{
	struct child_job *cj = job->arg;
	return child_merge(db, &cj->who, cj->other, cj->c.id, &cj->merge);
}

static void merged(struct request *r, int status)
{
	struct child_job *cj = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	const char *why = cj->merge.refused;
	if (why && !strcmp(why, "both_attached"))
		respond_error(r, 409, "both_attached",
			      "both records have an active Meyirim attachment: end one of them before merging", NULL);
	else if (why && !strcmp(why, "same"))
		respond_error(r, 422, "same_child", "a record cannot be merged with itself", "duplicate_id");
	else if (why && !strcmp(why, "merged"))
		respond_error(r, 409, "merged", "one of the records was merged already", NULL);
	else if (why)
		respond_error(r, 404, "not_found", "no such child", "duplicate_id");
	else
		send_child(r, cj->c.id, 200);
}

struct child_job *child_merge_job(struct request *r, int64_t into, int64_t from)
{
	struct child_job *cj = arena_zalloc(&r->arena, sizeof(*cj));
	struct child other;
	if (child_load_for(r, into, (struct perm)PERM(MERGE, CHILD), &cj->c, NULL) < 0)
		return NULL;
	int rc = db_child_get(request_db(r), from, &r->arena, &other);
	int visible = 0, grant = 0;
	struct scope_filter f = request_scope(r, (struct perm)PERM(MERGE, CHILD));
	if (!rc)
		rc = child_visible(request_db(r), &f, &other, time_now(), &visible, &grant);
	if (rc && rc != DB_NOTFOUND) {
		respond_db_error(r, rc);
		return NULL;
	}
	if (rc == DB_NOTFOUND || !visible || grant) {
		respond_error(r, 404, "not_found", "no such child", "duplicate_id");
		return NULL;
	}
	request_actor(r, &cj->who);
	cj->other = from;
	r->ctx = cj;
	return cj;
}

void child_merge_start(struct request *r, struct child_job *cj, request_write_then then)
{
	request_write(r, run_merge, cj, then);
}

void api_child_merge(struct request *r)
{
	struct child_job *cj = child_merge_job(r, request_id(r, 0), input_int(&r->in, "duplicate_id", 0));
	if (cj)
		child_merge_start(r, cj, merged);
}

const char *child_merge_refusal(const struct child_job *cj)
{
	return cj->merge.refused;
}

int64_t child_job_id(const struct child_job *cj)
{
	return cj->c.id;
}

struct child_draft *child_job_draft(struct child_job *cj)
{
	return &cj->d;
}

/* ---------- history ---------- */

void api_child_history(struct request *r)
{
	struct child c;
	if (child_load_for(r, request_id(r, 0), (struct perm)PERM(READ, CHILD), &c, NULL) < 0)
		return;
	struct child_event *ev;
	size_t n;
	int rc = db_child_events(request_db(r), c.id, &r->arena, &ev, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(&j);
		json_kv_int(&j, "id", ev[i].id);
		api_kv_time(&j, "at", ev[i].at);
		json_kv_id(&j, "user_id", ev[i].user_id);
		kv_opt(&j, "user_name", ev[i].user_name);
		json_kv_str(&j, "action", ev[i].action);
		kv_opt(&j, "detail", ev[i].detail);
		json_object_end(&j);
	}
	api_items_end(&j, NULL);
	api_respond_audited(r, "read", "child", c.id, "history");
}
