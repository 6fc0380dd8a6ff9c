/* /api/v1/users: accounts, for administrators. */
#include <string.h>

#include "api/api.h"
#include "core/crypto.h"
#include "core/time.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "http/json.h"

const char *const role_values[] = {"admin",  "coordinator", "psychologist", "prosecutor", "ombudsman",
				   "school", "mentor_org",  "lecturer",     NULL};
const char *const lang_values[] = {"kk", "ru", "en", NULL};

const struct field user_create_fields[] = {
	{"login", FT_LINE, F_REQUIRED, 3, 64, NULL},
	{"full_name", FT_LINE, F_REQUIRED, 2, 200, NULL},
	{"role", FT_ENUM, F_REQUIRED, 0, 0, role_values},
	{"head", FT_BOOL, 0, 0, 0, NULL},
	{"organisation_id", FT_ID, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{"lang", FT_ENUM, 0, 0, 0, lang_values},
	{"password", FT_SECRET, 0, 1, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field user_update_fields[] = {
	{"full_name", FT_LINE, 0, 2, 200, NULL},
	{"role", FT_ENUM, 0, 0, 0, role_values},
	{"head", FT_BOOL, 0, 0, 0, NULL},
	{"organisation_id", FT_INT, 0, 0, INT64_MAX, NULL}, /* 0 clears */
	{"district_id", FT_INT, 0, 0, INT64_MAX, NULL},     /* 0 clears: the whole region */
	{"lang", FT_ENUM, 0, 0, 0, lang_values},
	{"active", FT_BOOL, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void api_users_list(struct request *r)
{
	struct user *items;
	size_t n;
	int rc = db_user_list(request_db(r), &r->arena, &items, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++)
		api_user_json(&j, &items[i]);
	api_items_end(&j, NULL);
	respond_json(r, 200);
}

void api_user_get(struct request *r)
{
	struct user u;
	int rc = db_user_get(request_db(r), request_id(r, 0), &r->arena, &u);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such user", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_user_json(&j, &u);
	respond_json(r, 200);
}

struct user_job {
	struct actor who;
	struct user u;
	char password[24]; /* generated one-time password, shown once */
	char hash[PASSWORD_HASH_MAX];
	int hash_failed;
	int last_admin; /* the change would leave no active administrator */
	int is_reset;
};

static int run_user_create(struct db *db, struct write_job *job)
{
	struct user_job *c = job->arg;
	return account_create(db, &c->who, &c->u);
}

static void user_written(struct request *r, int status)
{
	struct user_job *c = r->ctx;
	if (status == DB_CONSTRAINT) {
		respond_error(r, 409, "login_taken", "this login is taken", "login");
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	struct user u;
	int rc = db_user_get(request_db(r), c->u.id, &r->arena, &u);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_key(&j, "user");
	api_user_json(&j, &u);
	if (c->password[0])
		json_kv_str(&j, "password", c->password);
	json_object_end(&j);
	respond_json(r, c->is_reset ? 200 : 201);
}

static void hashed_for_create(struct request *r, void *arg)
{
	struct user_job *c = arg;
	if (c->hash_failed) {
		respond_db_error(r, DB_FULL);
		return;
	}
	c->u.password_hash = c->hash;
	request_write(r, run_user_create, c, user_written);
}

static void hash_password(struct pool_job *job)
{
	struct user_job *c = job->arg;
	const char *pw = c->u.password_hash; /* the plain password until hashed */
	c->hash_failed = password_hash(pw, c->hash) < 0;
}

static int respond_field_problem(struct request *r, int rc, const char *field, const char *code)
{
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	if (code) {
		respond_error(r, 422, code, arena_printf(&r->arena, "%s: %s", field, code), field);
		return -1;
	}
	return 0;
}

void api_user_create(struct request *r)
{
	struct user_job *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->u.login = input_str(&r->in, "login");
	c->u.full_name = input_str(&r->in, "full_name");
	c->u.role = input_str(&r->in, "role");
	c->u.is_head = (int)input_int(&r->in, "head", 0);
	c->u.organisation_id = input_int(&r->in, "organisation_id", 0);
	c->u.district_id = input_int(&r->in, "district_id", 0);
	c->u.lang = input_str(&r->in, "lang") ? input_str(&r->in, "lang") : "kk";
	c->u.active = 1;
	c->u.created_at = time_now();
	if (!login_is_valid(c->u.login)) {
		respond_error(r, 422, "invalid_login",
			      "login: 3 to 64 lowercase Latin letters, digits, '.', '_' or '-', starting with a letter",
			      "login");
		return;
	}
	const char *field, *code;
	int rc = account_validate(request_db(r), &c->u, &field, &code);
	if (respond_field_problem(r, rc, field, code) < 0)
		return;
	const char *pw = input_str(&r->in, "password");
	if (pw) {
		const char *problem = password_problem(pw, c->u.login, c->u.full_name);
		if (problem) {
			respond_error(r, 422, problem, password_problem_text(problem), "password");
			return;
		}
		c->u.must_change_password = 0;
	} else {
		/* No password given: a one-time one, changed at first sign-in. */
		password_generate(c->password, 17);
		pw = c->password;
		c->u.must_change_password = 1;
	}
	c->u.password_hash = pw;
	r->ctx = c;
	request_offload(r, hash_password, c, hashed_for_create);
}

static int run_user_update(struct db *db, struct write_job *job)
{
	struct user_job *c = job->arg;
	/* Never leave the region without an active administrator. */
	struct arena a;
	struct user before;
	arena_init(&a);
	int rc = db_user_get(db, c->u.id, &a, &before);
	if (!rc && !strcmp(before.role, "admin") && before.active && (strcmp(c->u.role, "admin") || !c->u.active)) {
		int64_t n = 0;
		rc = db_user_count_role(db, "admin", &n);
		if (!rc && n <= 1) {
			c->last_admin = 1;
			arena_release(&a);
			return DB_CONSTRAINT;
		}
	}
	arena_release(&a);
	return rc ? rc : account_update(db, &c->who, &c->u);
}

static void user_updated(struct request *r, int status)
{
	struct user_job *c = r->ctx;
	if (status == DB_CONSTRAINT && c->last_admin) {
		respond_error(r, 409, "last_admin", "this is the last active administrator: appoint another one first",
			      NULL);
		return;
	}
	if (status == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such user", NULL);
		return;
	}
	if (status) {
		respond_db_error(r, status);
		return;
	}
	api_user_get(r);
}

void api_user_update(struct request *r)
{
	struct user_job *c = arena_zalloc(&r->arena, sizeof(*c));
	int rc = db_user_get(request_db(r), request_id(r, 0), &r->arena, &c->u);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such user", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &c->who);
	if (input_has(&r->in, "full_name"))
		c->u.full_name = input_str(&r->in, "full_name");
	if (input_has(&r->in, "role"))
		c->u.role = input_str(&r->in, "role");
	c->u.is_head = (int)input_int(&r->in, "head", c->u.is_head);
	c->u.organisation_id = input_int(&r->in, "organisation_id", c->u.organisation_id);
	c->u.district_id = input_int(&r->in, "district_id", c->u.district_id);
	if (input_has(&r->in, "lang"))
		c->u.lang = input_str(&r->in, "lang");
	c->u.active = (int)input_int(&r->in, "active", c->u.active);
	/* Leaving the psychologist role drops the head flag unless it is asked for (and refused). */
	if (strcmp(c->u.role, "psychologist") && !input_int(&r->in, "head", 0))
		c->u.is_head = 0;
	const char *field, *code;
	rc = account_validate(request_db(r), &c->u, &field, &code);
	if (respond_field_problem(r, rc, field, code) < 0)
		return;
	r->ctx = c;
	request_write(r, run_user_update, c, user_updated);
}

static int run_password_reset(struct db *db, struct write_job *job)
{
	struct user_job *c = job->arg;
	return account_set_password(db, &c->who, c->u.id, c->hash, 1, 0);
}

static void reset_hashed(struct request *r, void *arg)
{
	struct user_job *c = arg;
	if (c->hash_failed) {
		respond_db_error(r, DB_FULL);
		return;
	}
	request_write(r, run_password_reset, c, user_written);
}

void api_user_reset_password(struct request *r)
{
	struct user_job *c = arena_zalloc(&r->arena, sizeof(*c));
	int rc = db_user_get(request_db(r), request_id(r, 0), &r->arena, &c->u);
	if (rc == DB_NOTFOUND) {
		respond_error(r, 404, "not_found", "no such user", NULL);
		return;
	}
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	request_actor(r, &c->who);
	c->is_reset = 1;
	password_generate(c->password, 17);
	c->u.password_hash = c->password;
	r->ctx = c;
	request_offload(r, hash_password, c, reset_hashed);
}
