/* /api/v1/organisations. */
#include <string.h>

#include "api/api.h"
#include "core/time.h"
#include "domain/lookup.h"
#include "http/json.h"

const struct field org_fields[] = {
	{"name", FT_LINE, F_REQUIRED, 2, 300, NULL},
	{"name_ru", FT_LINE, 0, 2, 300, NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, org_kinds},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"phone", FT_LINE, 0, 3, 40, NULL},
	{"address", FT_LINE, 0, 3, 300, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field org_update_fields[] = {
	{"name", FT_LINE, 0, 2, 300, NULL},
	{"name_ru", FT_LINE, 0, 2, 300, NULL},
	{"kind", FT_ENUM, 0, 0, 0, org_kinds},
	{"district_id", FT_INT, 0, 0, INT64_MAX, NULL},
	{"phone", FT_LINE, 0, 3, 40, NULL},
	{"address", FT_LINE, 0, 3, 300, NULL},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field org_list_fields[] = {
	{"kind", FT_ENUM, 0, 0, 0, org_kinds},
	{NULL, 0, 0, 0, 0, NULL},
};

void api_org_json(struct json *j, const struct organisation *o)
{
	json_object_begin(j);
	json_kv_int(j, "id", o->id);
	json_kv_str(j, "name", o->name);
	json_kv_str(j, "name_ru", o->name_ru);
	json_kv_str(j, "kind", o->kind);
	json_kv_id(j, "district_id", o->district_id);
	json_kv_str(j, "phone", o->phone);
	json_kv_str(j, "address", o->address);
	json_kv_bool(j, "active", o->active);
	json_object_end(j);
}

void api_orgs_list(struct request *r)
{
	struct organisation *items;
	size_t n;
	int rc = db_org_list(request_db(r), input_str(&r->in, "kind"), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_org_json(&j, &items[i]);
	api_items_end(&j, NULL);
	respond_json(r, 200);
}

static void send_org(struct request *r, int64_t id, int status)
{
	struct organisation o;
	int rc = db_org_get(request_db(r), id, &r->arena, &o);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such organisation", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_org_json(&j, &o);
	respond_json(r, status);
}

void api_org_get(struct request *r)
{
	send_org(r, request_id(r, 0), 200);
}

struct org_job {
	struct actor who;
	struct organisation o;
	int created;
};

static int run_org_create(struct db *db, struct write_job *job)
{
	struct org_job *c = job->arg;
	return org_create(db, &c->who, &c->o);
}

static int run_org_update(struct db *db, struct write_job *job)
{
	struct org_job *c = job->arg;
	return org_update(db, &c->who, &c->o);
}

static void org_written(struct request *r, int status)
{
	struct org_job *c = r->ctx;
	if (status == DB_CONSTRAINT) {
		respond_error(r, 422, "not_found", "the district does not exist", "district_id");
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	send_org(r, c->o.id, c->created ? 201 : 200);
}

/*
 * Someone limited to a district changes that district's organisations
 * only: the district an organisation is in (or is moved to) must be theirs.
 */
int org_district_allowed(struct request *r, struct perm perm, int64_t district_id)
{
	struct scope_filter f = request_scope(r, perm);
	return f.scope != SCOPE_DISTRICT || district_id == f.district_id;
}

/* References must exist; a foreign-key error would only say "constraint". */
static int district_exists(struct request *r, int64_t id)
{
	struct district d;
	if (!id)
		return 1;
	int rc = db_district_get(request_db(r), id, &r->arena, &d);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 422, "not_found", "district_id: no such district", "district_id");
		return 0;
	}
	if (rc) {
		respond_db_error(r, rc);
		return 0;
	}
	return 1;
}

void api_org_create(struct request *r)
{
	struct org_job *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->created = 1;
	c->o.name = input_str(&r->in, "name");
	c->o.name_ru = input_str(&r->in, "name_ru");
	c->o.kind = input_str(&r->in, "kind");
	c->o.district_id = input_int(&r->in, "district_id", 0);
	c->o.phone = input_str(&r->in, "phone");
	c->o.address = input_str(&r->in, "address");
	c->o.active = 1;
	c->o.created_at = time_now();
	if (!org_district_allowed(r, (struct perm)PERM(CREATE, ORGANISATION), c->o.district_id)) {
		respond_error(r, 422, "outside_scope", "district_id: is outside your district", "district_id");
		return;
	}
	if (!district_exists(r, c->o.district_id))
		return;
	r->ctx = c;
	request_write(r, run_org_create, c, org_written);
}

void api_org_update(struct request *r)
{
	struct org_job *c = arena_zalloc(&r->arena, sizeof(*c));
	int rc = db_org_get(request_db(r), request_id(r, 0), &r->arena, &c->o);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such organisation", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	if (!org_district_allowed(r, (struct perm)PERM(UPDATE, ORGANISATION), c->o.district_id)) {
		respond_error(r, 404, "not_found", "no such organisation", NULL);
		return;
	}
	request_actor(r, &c->who);
	if (input_has(&r->in, "name"))
		c->o.name = input_str(&r->in, "name");
	if (input_has(&r->in, "name_ru"))
		c->o.name_ru = input_str(&r->in, "name_ru");
	if (input_has(&r->in, "kind"))
		c->o.kind = input_str(&r->in, "kind");
	c->o.district_id = input_int(&r->in, "district_id", c->o.district_id);
	if (input_has(&r->in, "phone"))
		c->o.phone = input_str(&r->in, "phone");
	if (input_has(&r->in, "address"))
		c->o.address = input_str(&r->in, "address");
	c->o.active = (int)input_int(&r->in, "active", c->o.active);
	if (!org_district_allowed(r, (struct perm)PERM(UPDATE, ORGANISATION), c->o.district_id)) {
		respond_error(r, 422, "outside_scope", "district_id: is outside your district", "district_id");
		return;
	}
	if (!district_exists(r, c->o.district_id))
		return;
	r->ctx = c;
	request_write(r, run_org_update, c, org_written);
}
