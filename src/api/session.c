/* /api/v1/session (sign in and out) and /api/v1/me (the caller's own account). */
#include <string.h>

#include "api/api.h"
#include "core/config.h"
#include "http/server.h"
#include "core/time.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "http/cookie.h"
#include "http/json.h"
#include "http/login.h"

const struct field session_fields[] = {
	{"login", FT_LINE, F_REQUIRED, 1, 64, NULL},
	{"password", FT_SECRET, F_REQUIRED, 1, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

void api_user_json(struct json *j, const struct user *u)
{
	json_object_begin(j);
	json_kv_int(j, "id", u->id);
	json_kv_str(j, "login", u->login);
	json_kv_str(j, "full_name", u->full_name);
	json_kv_str(j, "role", u->role);
	json_kv_bool(j, "head", u->is_head);
	json_kv_id(j, "organisation_id", u->organisation_id);
	json_kv_id(j, "district_id", u->district_id);
	json_kv_str(j, "lang", u->lang);
	json_kv_bool(j, "active", u->active);
	json_kv_bool(j, "must_change_password", u->must_change_password);
	json_object_end(j);
}

/* The login answer: user and CSRF token, or a reason that never says whether the login exists. */
static void signed_in(struct request *r, struct login_attempt *at, int db_status)
{
	switch (at->result) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD:
		respond_error(r, 401, "invalid_credentials", "the login or the password is wrong", NULL);
		return;
	case LOGIN_LOCKED:
		response_header(r, "retry-after", arena_printf(&r->arena, "%lld", (long long)r->w->server->cfg->login_lockout));
		respond_error(r, 429, "account_locked",
			      "too many failed sign-ins: this account is locked for a while, try again later", NULL);
		return;
	case LOGIN_THROTTLED:
		response_header(r, "retry-after", arena_printf(&r->arena, "%lld", (long long)r->w->server->cfg->login_window));
		respond_error(r, 429, "too_many_attempts", "too many failed sign-ins from this address, try again later",
			      NULL);
		return;
	default:
		respond_db_error(r, db_status ? db_status : DB_ERROR);
		return;
	}
	struct user u;
	int rc = db_user_get(request_db(r), at->user_id, &r->arena, &u);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	login_set_cookie(r, at);
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_key(&j, "user");
	api_user_json(&j, &u);
	json_kv_str(&j, "csrf", at->csrf);
	json_object_end(&j);
	respond_json(r, 200);
}

void api_session_create(struct request *r)
{
	login_start(r, input_str(&r->in, "login"), input_str(&r->in, "password"), signed_in);
}

struct close_ctx {
	int64_t session_id;
	struct actor who;
};

static int run_close(struct db *db, struct write_job *job)
{
	struct close_ctx *c = job->arg;
	return session_close(db, c->session_id, c->who.user_id, c->who.role, c->who.client);
}

static void closed(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	cookie_set(r, SESSION_COOKIE, "", COOKIE_DELETE);
	respond(r, 204, "application/json");
}

void api_session_delete(struct request *r)
{
	if (!r->user.session_id) {
		respond_error(r, 400, "not_a_session", "a bearer token is not a session: revoke it instead", NULL);
		return;
	}
	struct close_ctx *c = arena_zalloc(&r->arena, sizeof(*c));
	c->session_id = r->user.session_id;
	request_actor(r, &c->who);
	request_write(r, run_close, c, closed);
}

void api_me(struct request *r)
{
	struct user u;
	int rc = db_user_get(request_db(r), r->user.user_id, &r->arena, &u);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	struct json j;
	json_init(&j, &r->body);
	api_user_json(&j, &u);
	respond_json(r, 200);
}

static const char *const langs[] = {"kk", "ru", "en", NULL};

const struct field me_fields[] = {
	{"lang", FT_ENUM, F_REQUIRED, 0, 0, langs},
	{NULL, 0, 0, 0, 0, NULL},
};

struct lang_ctx {
	struct actor who;
	const char *lang;
};

static int run_set_lang(struct db *db, struct write_job *job)
{
	struct lang_ctx *c = job->arg;
	return account_set_lang(db, &c->who, c->who.user_id, c->lang);
}

static void lang_set(struct request *r, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	api_me(r);
}

void api_me_update(struct request *r)
{
	struct lang_ctx *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->lang = input_str(&r->in, "lang");
	request_write(r, run_set_lang, c, lang_set);
}

/* --- changing one's own password --- */

const struct field password_fields[] = {
	{"current_password", FT_SECRET, F_REQUIRED, 1, 256, NULL},
	{"new_password", FT_SECRET, F_REQUIRED, 1, 256, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static void api_pw_done(struct request *r, struct pw_change *c, int status)
{
	if (status) {
		respond_db_error(r, status);
		return;
	}
	if (password_change_locked(c)) {
		response_header(r, "retry-after", arena_printf(&r->arena, "%lld", (long long)r->w->server->cfg->login_lockout));
		respond_error(r, 429, "account_locked", "too many wrong passwords: the account is locked for a while", NULL);
		return;
	}
	if (!password_change_ok(c)) {
		respond_error(r, 422, "wrong_password", "the current password is wrong", "current_password");
		return;
	}
	respond(r, 204, "application/json");
}

void api_me_password(struct request *r)
{
	const char *problem = password_change_start(r, input_str(&r->in, "current_password"),
						    input_str(&r->in, "new_password"), api_pw_done);
	if (!problem)
		return;
	if (!strcmp(problem, "unavailable")) {
		respond_db_error(r, DB_UNAVAILABLE);
		return;
	}
	respond_error(r, 422, problem,
		      !strcmp(problem, "password_unchanged") ? "the new password is the same as the current one"
							     : password_problem_text(problem),
		      "new_password");
}
