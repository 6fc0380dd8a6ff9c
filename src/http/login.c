/* The sign-in flow (login.h). */
#include "http/login.h"

#include <string.h>

#include "core/time.h"
#include "domain/audit.h"
#include "http/cookie.h"
#include "http/server.h"

struct login_flow {
	struct login_attempt at;
	const char *password;
	const char *stored_hash; /* NULL: unknown login */
	login_done_fn done;
};

static int run_record(struct db *db, struct write_job *job)
{
	return login_record(db, job->arg);
}

static void recorded(struct request *r, int status)
{
	struct login_flow *f = r->ctx;
	if (status != DB_OK)
		f->at.result = LOGIN_ERROR;
	f->done(r, &f->at, status);
}

/* Pool thread: the slow part. Unknown logins cost the same as known ones. */
static void verify(struct pool_job *job)
{
	struct login_flow *f = job->arg;
	if (f->stored_hash)
		f->at.password_ok = password_verify(f->stored_hash, f->password);
	else
		password_verify_dummy(f->password);
	if (f->at.disabled)
		f->at.password_ok = 0;
}

static void verified(struct request *r, void *arg)
{
	(void)arg;
	request_write(r, run_record, &((struct login_flow *)r->ctx)->at, recorded);
}

static int run_reserve(struct db *db, struct write_job *job)
{
	return login_reserve(db, job->arg);
}

static void reserved(struct request *r, int status)
{
	struct login_flow *f = r->ctx;
	if (status != DB_OK || f->at.refused != LOGIN_OK) {
		recorded(r, status);
		return;
	}
	request_offload(r, verify, f, verified);
}

void login_start(struct request *r, const char *login, const char *password, login_done_fn done)
{
	const struct config *cfg = r->w->server->cfg;
	struct login_flow *f = arena_zalloc(&r->arena, sizeof(*f));
	struct user u;
	int dbs;
	f->done = done;
	f->password = password;
	f->at.login = login;
	f->at.client = r->client;
	f->at.policy = (struct login_policy){cfg->login_max_failures, cfg->login_window, cfg->login_lockout,
					     cfg->login_client_max_failures};
	r->ctx = f;
	enum login_result pre =
		login_precheck(request_db(r), &f->at.policy, login, r->client, time_now(), &r->arena, &u, &dbs);
	if (pre == LOGIN_ERROR) {
		f->at.result = LOGIN_ERROR;
		done(r, &f->at, dbs);
		return;
	}
	f->at.user_id = u.id;
	/* The role as every other row of the audit names it (a head psychologist's, not "psychologist"). */
	f->at.role = u.id ? role_name(role_effective(role_parse(u.role), u.is_head)) : NULL;
	f->at.disabled = u.id && !u.active;
	f->stored_hash = u.id ? u.password_hash : NULL;
	if (pre != LOGIN_OK) {
		f->at.refused = pre;
		request_write(r, run_record, &f->at, recorded);
		return;
	}
	request_write(r, run_reserve, &f->at, reserved);
}

void login_set_cookie(struct request *r, const struct login_attempt *at)
{
	cookie_set(r, SESSION_COOKIE, at->token, COOKIE_SESSION);
}

/* --- changing one's own password --- */

struct pw_change {
	struct actor who;
	const char *login;
	struct login_policy policy;
	const char *stored_hash;
	const char *current;
	const char *new_password;
	int current_ok;
	int locked; /* refused before any check: the account is locked, or its failures are at the limit */
	char hash[PASSWORD_HASH_MAX];
	int hash_failed;
	int64_t keep_session;
	void (*done)(struct request *r, struct pw_change *c, int status);
};

static void pw_verify_and_hash(struct pool_job *job)
{
	struct pw_change *c = job->arg;
	c->current_ok = password_verify(c->stored_hash, c->current);
	if (c->current_ok)
		c->hash_failed = password_hash(c->new_password, c->hash) < 0;
}

/*
 * Before the current password is checked, a failure is reserved on the
 * writer, as a sign-in reserves one: attempts sent at once are counted one
 * after another, and none is checked once the account is at its limit.
 * A change that goes through takes its reservation (and the others) back.
 */
static int run_pw_reserve(struct db *db, struct write_job *job)
{
	struct pw_change *c = job->arg;
	int64_t now = time_now(), n = 0;
	struct arena a;
	struct user u;
	arena_init(&a);
	int rc = db_user_get(db, c->who.user_id, &a, &u);
	int64_t locked_until = rc == DB_OK ? u.locked_until : 0;
	arena_release(&a);
	if (rc)
		return rc;
	if ((rc = db_login_failure_count_login(db, c->login, now - c->policy.window, &n)) != DB_OK)
		return rc;
	if (locked_until > now || n >= c->policy.max_failures) {
		c->locked = 1;
		struct audit_event ev = {c->who.user_id, c->who.role, "password_change", "user", c->who.user_id,
					 c->who.client, "denied", "account locked"};
		return audit_append(db, &ev, now);
	}
	return db_login_failure_insert(db, c->login, c->who.client, now);
}

static int run_pw_store(struct db *db, struct write_job *job)
{
	struct pw_change *c = job->arg;
	int rc = db_login_failure_clear(db, c->login);
	return rc ? rc : account_set_password(db, &c->who, c->who.user_id, c->hash, 0, c->keep_session);
}

/*
 * A wrong current password counts as a failed sign-in of the account: a
 * session left open is no way to guess the password without end. After as
 * many as lock a sign-in, the account is locked the same way.
 */
static int run_pw_refused(struct db *db, struct write_job *job)
{
	struct pw_change *c = job->arg;
	int64_t now = time_now(), n = 0;
	struct audit_event ev = {c->who.user_id, c->who.role, "password_change", "user", c->who.user_id,
				 c->who.client, "denied", "wrong current password"};
	int rc = audit_append(db, &ev, now); /* its failure was reserved before the check */
	if (!rc)
		rc = db_login_failure_count_login(db, c->login, now - c->policy.window, &n);
	if (!rc && n >= c->policy.max_failures) {
		rc = db_user_lock(db, c->who.user_id, now + c->policy.lockout);
		ev.action = "account_locked";
		ev.detail = "too many wrong current passwords";
		if (!rc)
			rc = audit_append(db, &ev, now);
	}
	return rc;
}

static void pw_stored(struct request *r, int status)
{
	struct pw_change *c = r->ctx;
	c->done(r, c, status);
}

static void pw_checked(struct request *r, void *arg)
{
	struct pw_change *c = arg;
	if (!c->current_ok) {
		request_write(r, run_pw_refused, c, pw_stored);
		return;
	}
	if (c->hash_failed) {
		c->done(r, c, DB_FULL);
		return;
	}
	request_write(r, run_pw_store, c, pw_stored);
}

static void pw_reserved(struct request *r, int status)
{
	struct pw_change *c = r->ctx;
	if (status || c->locked) {
		c->done(r, c, status);
		return;
	}
	request_offload(r, pw_verify_and_hash, c, pw_checked);
}

/* Shared by the API and the page: check rules, then verify and hash off the loop. */
const char *password_change_start(struct request *r, const char *current, const char *new_password,
				  void (*done)(struct request *r, struct pw_change *c, int status))
{
	struct user u;
	int rc = db_user_get(request_db(r), r->user.user_id, &r->arena, &u);
	if (rc)
		return "unavailable";
	const char *problem = password_problem(new_password, u.login, u.full_name);
	if (problem)
		return problem;
	if (!strcmp(current, new_password))
		return "password_unchanged";
	const struct config *cfg = r->w->server->cfg;
	struct pw_change *c = arena_zalloc(&r->arena, sizeof(*c));
	request_actor(r, &c->who);
	c->login = u.login;
	c->policy = (struct login_policy){cfg->login_max_failures, cfg->login_window, cfg->login_lockout,
					  cfg->login_client_max_failures};
	c->stored_hash = u.password_hash;
	c->current = current;
	c->new_password = new_password;
	c->keep_session = r->user.session_id;
	c->done = done;
	r->ctx = c;
	request_write(r, run_pw_reserve, c, pw_reserved);
	return NULL;
}

int password_change_ok(const struct pw_change *c)
{
	return c->current_ok;
}

int password_change_locked(const struct pw_change *c)
{
	return c->locked;
}

