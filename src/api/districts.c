/* /api/v1/districts: the cities and districts of the region. */
#include <string.h>

#include "api/api.h"
#include "db/db.h"
#include "domain/lookup.h"
#include "http/json.h"

static const char *const district_kinds[] = {"city", "district", NULL};

const struct field district_fields[] = {
	{"code", FT_LINE, F_REQUIRED, 2, 40, NULL},
	{"name_kk", FT_LINE, F_REQUIRED, 2, 120, NULL},
	{"name_ru", FT_LINE, F_REQUIRED, 2, 120, NULL},
	{"name_en", FT_LINE, F_REQUIRED, 2, 120, NULL},
	{"kind", FT_ENUM, F_REQUIRED, 0, 0, district_kinds},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field district_update_fields[] = {
	{"name_kk", FT_LINE, 0, 2, 120, NULL},
	{"name_ru", FT_LINE, 0, 2, 120, NULL},
	{"name_en", FT_LINE, 0, 2, 120, NULL},
	{"kind", FT_ENUM, 0, 0, 0, district_kinds},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static void district_json(struct json *j, const struct district *d)
{
	json_object_begin(j);
	json_kv_int(j, "id", d->id);
	json_kv_str(j, "code", d->code);
	json_kv_str(j, "name_kk", d->name_kk);
	json_kv_str(j, "name_ru", d->name_ru);
	json_kv_str(j, "name_en", d->name_en);
	json_kv_str(j, "kind", d->kind);
	json_kv_bool(j, "active", d->active);
	json_object_end(j);
}

void api_districts_list(struct request *r)
{
	struct district *items;
	size_t n;
	int rc = db_district_list(request_db(r), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		district_json(&j, &items[i]);
	api_items_end(&j, NULL);
	respond_json(r, 200);
}

static void send_district(struct request *r, int64_t id, int status)
{
	struct district d;
	int rc = db_district_get(request_db(r), id, &r->arena, &d);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such district", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	district_json(&j, &d);
	respond_json(r, status);
}

void api_district_get(struct request *r)
{
	send_district(r, request_id(r, 0), 200);
}

/* A code is a short lowercase slug: it is used in URLs and imports. */
int district_code_valid(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

struct district_job {
	struct actor who;
	struct district d;
};

static int run_district_create(struct db *db, struct write_job *job)
{
	struct district_job *c = job->arg;
	return district_create(db, &c->who, &c->d);
}

static int run_district_update(struct db *db, struct write_job *job)
{
	struct district_job *c = job->arg;
	return district_update(db, &c->who, &c->d);
}

static void district_written(struct request *r, int status)
{
	struct district_job *c = r->ctx;
	if (status == DB_CONSTRAINT) {
		respond_error(r, 409, "duplicate", "a district with this code exists already", "code");
		return;
	}
	if (status == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such district", NULL);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	send_district(r, c->d.id, strcmp(r->route->name, "districts.create") ? 200 : 201);
}

void api_district_create(struct request *r)
{
	const char *code = input_str(&r->in, "code");
	if (!district_code_valid(code)) {
		respond_error(r, 422, "invalid", "code: use lowercase Latin letters, digits, - and _", "code");
		return;
	}
	struct district_job *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->d.code = code;
	c->d.name_kk = input_str(&r->in, "name_kk");
	c->d.name_ru = input_str(&r->in, "name_ru");
	c->d.name_en = input_str(&r->in, "name_en");
	c->d.kind = input_str(&r->in, "kind");
	c->d.active = 1;
	r->ctx = c;
	request_write(r, run_district_create, c, district_written);
}

void api_district_update(struct request *r)
{
	struct district_job *c = arena_zalloc(&r->arena, sizeof(*c));
	int rc = db_district_get(request_db(r), request_id(r, 0), &r->arena, &c->d);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such district", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &c->who);
	if (input_has(&r->in, "name_kk"))
		c->d.name_kk = input_str(&r->in, "name_kk");
	if (input_has(&r->in, "name_ru"))
		c->d.name_ru = input_str(&r->in, "name_ru");
	if (input_has(&r->in, "name_en"))
		c->d.name_en = input_str(&r->in, "name_en");
	if (input_has(&r->in, "kind"))
		c->d.kind = input_str(&r->in, "kind");
	c->d.active = (int)input_int(&r->in, "active", c->d.active);
	r->ctx = c;
	request_write(r, run_district_update, c, district_written);
}
