/*
 * Accounts and access: signing in and out, lockout and throttling, password
 * rules, sessions and their timeouts, CSRF, API tokens, roles, the audit
 * chain and its tamper detection. Both backends.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/testlib.h"

static struct tl_server server;
static struct tl_client admin;
static char admin_pw[64];
static const char *db;

static int start(void **state)
{
	(void)state;
	db = tl_init_database(admin_pw, sizeof(admin_pw));
	static const char *const extra[] = {"--login-client-max-failures", "1000", NULL};
	tl_server_start(&server, db, extra);
	tl_admin_session(&admin, server.port, admin_pw);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

static void expect(struct tl_client *c, const char *method, const char *path, const char *body, int status,
		   const char *code)
{
	int got;
	json_t *j = tl_api_json(c, method, path, body, &got);
	if (got != status || (code && strcmp(tl_error_code(j), code)))
		fail_msg("%s %s: got %d %s, want %d %s", method, path, got, tl_error_code(j), status, code ? code : "");
	json_decref(j);
}

static void test_login_logout(void **state)
{
	(void)state;
	tl_create_user(&admin, "coord1", "coordinator", "Koordinator-2026", NULL);
	struct tl_response r;
	tl_http(server.port, "POST", "/api/v1/session", "Content-Type: application/json",
		"{\"login\": \"coord1\", \"password\": \"Koordinator-2026\"}", &r);
	assert_int_equal(r.status, 200);
	char v[512];
	assert_true(tl_response_header(&r, "set-cookie", v, sizeof(v)));
	assert_non_null(strstr(v, "HttpOnly"));
	assert_non_null(strstr(v, "SameSite=Strict"));
	assert_non_null(strstr(v, "Path=/"));
	assert_null(strstr(v, "Secure")); /* not behind HTTPS here */
	tl_response_release(&r);

	struct tl_client c;
	assert_int_equal(tl_login(&c, server.port, "coord1", "Koordinator-2026"), 200);
	assert_true(strlen(c.cookie) >= 43);
	int status;
	json_t *me = tl_api_json(&c, "GET", "/api/v1/me", NULL, &status);
	assert_int_equal(status, 200);
	assert_string_equal(json_string_value(json_object_get(me, "role")), "coordinator");
	json_decref(me);
	/* Signing out ends the session on the server: the same cookie is refused afterwards. */
	expect(&c, "DELETE", "/api/v1/session", NULL, 204, NULL);
	expect(&c, "GET", "/api/v1/me", NULL, 401, "session_expired");
}

/* Wrong password and unknown login get the very same answer. */
static void test_login_errors_reveal_nothing(void **state)
{
	(void)state;
	struct tl_response a, b;
	tl_http(server.port, "POST", "/api/v1/session", "Content-Type: application/json",
		"{\"login\": \"coord1\", \"password\": \"wrong-password-1\"}", &a);
	tl_http(server.port, "POST", "/api/v1/session", "Content-Type: application/json",
		"{\"login\": \"nobody-at-all\", \"password\": \"wrong-password-1\"}", &b);
	assert_int_equal(a.status, 401);
	assert_int_equal(b.status, 401);
	assert_string_equal(a.body.ptr, b.body.ptr);
	tl_response_release(&a);
	tl_response_release(&b);
	/* Bad input is refused before any check, with a clear code. */
	struct tl_client anon = {.port = server.port};
	expect(&anon, "POST", "/api/v1/session", "{\"login\": \"x\"}", 422, "required");
	expect(&anon, "POST", "/api/v1/session", "{\"login\": \"x\", \"password\": \"y\", \"otp\": 1}", 400,
	       "unknown_field");
	expect(&anon, "POST", "/api/v1/session", "not json", 400, "invalid_json");
	struct tl_response r;
	tl_http(server.port, "POST", "/api/v1/session", "Content-Type: text/plain", "login=x", &r);
	assert_int_equal(r.status, 415);
	tl_response_release(&r);
}

/* Twelve threads guess the current password of one session at once. */
struct burst {
	struct tl_client c;
	pthread_mutex_t lock;
	int wrong, locked;
};

static void *burst_guess(void *arg)
{
	struct burst *b = arg;
	struct tl_response r;
	tl_api(&b->c, "POST", "/api/v1/me/password",
	       "{\"current_password\": \"a-wrong-guess\", \"new_password\": \"Another-Pass-2026\"}", &r);
	pthread_mutex_lock(&b->lock);
	b->wrong += r.status == 422;
	b->locked += r.status == 429;
	pthread_mutex_unlock(&b->lock);
	tl_response_release(&r);
	return NULL;
}

static void test_lockout(void **state)
{
	(void)state;
	tl_create_user(&admin, "locky", "psychologist", "Psych0logist-A", NULL);
	struct tl_client c;
	for (int i = 0; i < 6; i++)
		assert_int_equal(tl_login(&c, server.port, "locky", "not-the-password"), 401);
	/* Locked now: even the right password is refused, with 429. */
	struct tl_response r;
	tl_http(server.port, "POST", "/api/v1/session", "Content-Type: application/json",
		"{\"login\": \"locky\", \"password\": \"Psych0logist-A\"}", &r);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body.ptr, "account_locked"));
	char v[64];
	assert_true(tl_response_header(&r, "retry-after", v, sizeof(v)));
	tl_response_release(&r);
	/* An unknown login locks the same way, so locking tells nothing either. */
	for (int i = 0; i < 6; i++)
		assert_int_equal(tl_login(&c, server.port, "ghost-user", "not-the-password"), 401);
	assert_int_equal(tl_login(&c, server.port, "ghost-user", "not-the-password"), 429);
	/* An administrator's reset unlocks the account. */
	int status;
	json_t *users = tl_api_json(&admin, "GET", "/api/v1/users", NULL, &status);
	int64_t id = 0;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(users, "items"), i, u)
	if (!strcmp(json_string_value(json_object_get(u, "login")), "locky"))
		id = json_integer_value(json_object_get(u, "id"));
	json_decref(users);
	assert_true(id > 0);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/users/%lld/password", (long long)id);
	json_t *reset = tl_api_json(&admin, "POST", path, NULL, &status);
	assert_int_equal(status, 200);
	const char *pw = json_string_value(json_object_get(reset, "password"));
	assert_non_null(pw);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM app_user WHERE login = 'locky' AND locked_until = 0"), 1);
	json_decref(reset);
	/*
	 * A session left open is no way to guess the password without end: a
	 * wrong current password counts as a failed sign-in, and as many lock
	 * the account; then even the right one is refused, and sign-in too.
	 */
	tl_create_user(&admin, "guessed", "psychologist", "Psych0logist-G", NULL);
	struct tl_client g;
	assert_int_equal(tl_login(&g, server.port, "guessed", "Psych0logist-G"), 200);
	for (int k = 0; k < 6; k++)
		expect(&g, "POST", "/api/v1/me/password",
		       "{\"current_password\": \"guess-number-x\", \"new_password\": \"Another-Pass-2026\"}", 422,
		       "wrong_password");
	expect(&g, "POST", "/api/v1/me/password",
	       "{\"current_password\": \"Psych0logist-G\", \"new_password\": \"Another-Pass-2026\"}", 429,
	       "account_locked");
	assert_int_equal(tl_login(&c, server.port, "guessed", "Psych0logist-G"), 429);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'account_locked' AND detail = "
					"'too many wrong current passwords'"),
			 1);
	/*
	 * Guesses sent all at once are counted one after another: of twelve,
	 * as many as the limit are checked, the others refused unchecked.
	 */
	tl_create_user(&admin, "burst", "psychologist", "Psych0logist-B", NULL);
	struct burst b = {.lock = PTHREAD_MUTEX_INITIALIZER};
	assert_int_equal(tl_login(&b.c, server.port, "burst", "Psych0logist-B"), 200);
	pthread_t th[12];
	for (int k = 0; k < 12; k++)
		assert_int_equal(pthread_create(&th[k], NULL, burst_guess, &b), 0);
	for (int k = 0; k < 12; k++)
		pthread_join(th[k], NULL);
	if (b.wrong != 6 || b.locked != 6)
		fail_msg("a burst of 12 guesses: %d checked (wrong), %d refused as locked; want 6 and 6", b.wrong, b.locked);
	/* A head psychologist signs in as what every other row of the log calls them. */
	tl_create_user(&admin, "headsign", "psychologist", "Psych0logist-H", "\"head\": true");
	assert_int_equal(tl_login(&g, server.port, "headsign", "Psych0logist-H"), 200);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log a JOIN app_user u ON u.id = a.user_id WHERE "
					"u.login = 'headsign' AND a.action = 'login' AND a.role = 'head_psychologist'"),
			 1);
}

static void test_client_throttle(void **state)
{
	(void)state;
	struct tl_server s;
	const char *d = tl_init_database(NULL, 0);
	static const char *const extra[] = {"--login-client-max-failures", "5", NULL};
	tl_server_start(&s, d, extra);
	struct tl_client c;
	char login[32];
	for (int i = 0; i < 5; i++) {
		snprintf(login, sizeof(login), "user%d", i);
		assert_int_equal(tl_login(&c, s.port, login, "bad-password-x"), 401);
	}
	/* Any account now: this address has used its attempts. */
	struct tl_response r;
	tl_http(s.port, "POST", "/api/v1/session", "Content-Type: application/json",
		"{\"login\": \"admin\", \"password\": \"whatever-it-is\"}", &r);
	assert_int_equal(r.status, 429);
	assert_non_null(strstr(r.body.ptr, "too_many_attempts"));
	tl_response_release(&r);
	assert_int_equal(tl_server_stop(&s), 0);
}

static void test_password_rules(void **state)
{
	(void)state;
	static const struct {
		const char *password, *code;
	} cases[] = {
		{"short1!", "password_too_short"},
		{"rulesuser-and-more", "password_contains_login"},
		{"Zhanbulatkyzy-2026", "password_contains_name"},
		{"aaaaaaaaaaaa", "password_too_simple"},
		{"ababababab", "password_too_simple"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char body[512];
		snprintf(body, sizeof(body),
			 "{\"login\": \"rulesuser\", \"full_name\": \"Asemgul Zhanbulatkyzy\", \"role\": \"psychologist\", "
			 "\"password\": \"%s\"}",
			 cases[i].password);
		expect(&admin, "POST", "/api/v1/users", body, 422, cases[i].code);
	}
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM app_user WHERE login = 'rulesuser'"), 0);
	/* Case does not hide the login: "RULESUSER" is found in any script's case folding. */
	expect(&admin, "POST", "/api/v1/users",
	       "{\"login\": \"rulesuser\", \"full_name\": \"Асемгүл\", \"role\": \"psychologist\", \"password\": "
	       "\"x-RULESUSER-1\"}",
	       422, "password_contains_login");
	expect(&admin, "POST", "/api/v1/users",
	       "{\"login\": \"rulesuser\", \"full_name\": \"Асемгүл Жанбұлатқызы\", \"role\": \"psychologist\", "
	       "\"password\": \"ЖАНБҰЛАТҚЫЗЫ-19\"}",
	       422, "password_contains_name");
}

static void test_must_change_and_other_sessions(void **state)
{
	(void)state;
	int status;
	/* No password given: a one-time one, shown once. */
	json_t *j = tl_api_json(&admin, "POST", "/api/v1/users",
				"{\"login\": \"newbie\", \"full_name\": \"Дана Серікова\", \"role\": \"ombudsman\"}", &status);
	assert_int_equal(status, 201);
	char pw[64];
	snprintf(pw, sizeof(pw), "%s", json_string_value(json_object_get(j, "password")));
	assert_true(json_is_true(json_object_get(json_object_get(j, "user"), "must_change_password")));
	json_decref(j);

	struct tl_client a, b;
	assert_int_equal(tl_login(&a, server.port, "newbie", pw), 200);
	assert_int_equal(tl_login(&b, server.port, "newbie", pw), 200);
	/* Until the password is changed, only one's own account is reachable. */
	expect(&a, "GET", "/api/v1/audit", NULL, 403, "password_change_required");
	expect(&a, "GET", "/api/v1/me", NULL, 200, NULL);
	char body[256];
	snprintf(body, sizeof(body), "{\"current_password\": \"%s\", \"new_password\": \"newbie\"}", pw);
	expect(&a, "POST", "/api/v1/me/password", body, 422, "password_too_short");
	snprintf(body, sizeof(body), "{\"current_password\": \"wrong-one-xyz\", \"new_password\": \"Dana-Ombudsman-7\"}");
	expect(&a, "POST", "/api/v1/me/password", body, 422, "wrong_password");
	snprintf(body, sizeof(body), "{\"current_password\": \"%s\", \"new_password\": \"Dana-Ombudsman-7\"}", pw);
	expect(&a, "POST", "/api/v1/me/password", body, 204, NULL);
	/* The session that changed it goes on; the other one has ended. */
	expect(&a, "GET", "/api/v1/me", NULL, 200, NULL);
	expect(&b, "GET", "/api/v1/me", NULL, 401, "session_expired");
	assert_int_equal(tl_login(&b, server.port, "newbie", pw), 401);
	assert_int_equal(tl_login(&b, server.port, "newbie", "Dana-Ombudsman-7"), 200);
}

static void test_session_timeouts(void **state)
{
	(void)state;
	struct tl_server s;
	char pw[64];
	const char *d = tl_init_database(pw, sizeof(pw));
	static const char *const extra[] = {"--session-idle-timeout", "2s", "--session-max-age", "5s", NULL};
	tl_server_start(&s, d, extra);
	struct tl_client a;
	tl_admin_session(&a, s.port, pw);
	/* Idle for longer than 2 s: over. */
	sleep(3);
	expect(&a, "GET", "/api/v1/me", NULL, 401, "session_expired");
	/* Active every second: lives until the absolute limit of 5 s. */
	assert_int_equal(tl_login(&a, s.port, "admin", "Adm1n-Passw0rd!"), 200);
	for (int i = 0; i < 4; i++) {
		sleep(1);
		expect(&a, "GET", "/api/v1/me", NULL, 200, NULL);
	}
	sleep(2);
	expect(&a, "GET", "/api/v1/me", NULL, 401, "session_expired");
	/* A page asks the person to sign in again. */
	struct tl_response r;
	char h[256];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", a.cookie);
	tl_http(s.port, "GET", "/", h, NULL, &r);
	assert_int_equal(r.status, 303);
	char loc[128];
	assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
	assert_string_equal(loc, "/login?expired=1");
	tl_response_release(&r);
	assert_int_equal(tl_server_stop(&s), 0);
}

static void test_csrf(void **state)
{
	(void)state;
	struct tl_client c = admin;
	/* Cookie-authenticated writes need X-CSRF-Token. */
	c.csrf[0] = '\0';
	expect(&c, "POST", "/api/v1/organisations", "{\"name\": \"Мектеп №1\", \"kind\": \"school\"}", 403, "csrf");
	snprintf(c.csrf, sizeof(c.csrf), "%s", "not-the-token-not-the-token-not-the-token00");
	expect(&c, "POST", "/api/v1/organisations", "{\"name\": \"Мектеп №1\", \"kind\": \"school\"}", 403, "csrf");
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM organisation WHERE name = 'Мектеп №1'"), 0);
	expect(&admin, "POST", "/api/v1/organisations", "{\"name\": \"Мектеп №1\", \"kind\": \"school\"}", 201, NULL);
	/* A form without the token is refused too. */
	struct tl_response r;
	char h[256];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded",
		 admin.cookie);
	tl_http(server.port, "POST", "/admin/organisations/new", h, "name=Hacked&kind=school", &r);
	assert_int_equal(r.status, 403);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM organisation WHERE name = 'Hacked'"), 0);
	/* With it, the same form works. */
	char body[256];
	snprintf(body, sizeof(body), "name=Formed&kind=school&_csrf=%s", admin.csrf);
	tl_http(server.port, "POST", "/admin/organisations/new", h, body, &r);
	assert_int_equal(r.status, 303);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM organisation WHERE name = 'Formed'"), 1);
}

static void run_cli(const char *const *args, struct tl_run *run)
{
	tl_run_qorgau(run, NULL, NULL, args);
}

static void test_api_tokens(void **state)
{
	(void)state;
	tl_create_user(&admin, "prosec", "prosecutor", "Prokuratura-2026", NULL);
	struct tl_run run;
	run_cli((const char *const[]){"token", "create", "--user", "prosec", "--database", db, NULL}, &run);
	assert_int_equal(run.status, 0);
	struct tl_client t = {.port = server.port};
	assert_int_equal(strlen(run.out.ptr), 44); /* the token and a newline, nothing else */
	memcpy(t.token, run.out.ptr, 43);
	tl_run_release(&run);
	expect(&t, "GET", "/api/v1/audit", NULL, 200, NULL);
	/* Bearer writes need no CSRF token (no ambient cookie). */
	expect(&t, "GET", "/api/v1/users", NULL, 403, "forbidden");
	/* The database keeps only a hash. */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM api_token WHERE token_hash = '%s'", t.token);
	assert_int_equal(tl_sql_int(db, sql), 0);

	run_cli((const char *const[]){"token", "list", "--database", db, NULL}, &run);
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out.ptr, "prosec"));
	assert_null(strstr(run.out.ptr, t.token));
	tl_run_release(&run);
	long long id = tl_sql_int(db, "SELECT max(id) FROM api_token");
	char ids[32];
	snprintf(ids, sizeof(ids), "%lld", id);
	run_cli((const char *const[]){"token", "revoke", ids, "--database", db, NULL}, &run);
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
	expect(&t, "GET", "/api/v1/audit", NULL, 401, "invalid_token");
	run_cli((const char *const[]){"token", "revoke", ids, "--database", db, NULL}, &run);
	assert_int_equal(run.status, 1); /* revoked already */
	tl_run_release(&run);

	/* Expired and garbage tokens, and tokens of disabled users. */
	run_cli((const char *const[]){"token", "create", "--user", "prosec", "--expires", "1", "--database", db, NULL},
		&run);
	memcpy(t.token, run.out.ptr, 43);
	tl_run_release(&run);
	expect(&t, "GET", "/api/v1/audit", NULL, 200, NULL);
	assert_int_equal(tl_sql(db, "UPDATE api_token SET expires_at = 1 WHERE revoked_at IS NULL"), 0);
	expect(&t, "GET", "/api/v1/audit", NULL, 401, "invalid_token");
	snprintf(t.token, sizeof(t.token), "short");
	expect(&t, "GET", "/api/v1/audit", NULL, 401, "invalid_token");
	run_cli((const char *const[]){"token", "create", "--user", "prosec", "--database", db, NULL}, &run);
	memcpy(t.token, run.out.ptr, 43);
	t.token[43] = '\0';
	tl_run_release(&run);
	run_cli((const char *const[]){"user", "disable", "--login", "prosec", "--database", db, NULL}, &run);
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
	expect(&t, "GET", "/api/v1/audit", NULL, 401, "invalid_token");
	run_cli((const char *const[]){"token", "create", "--user", "nobody", "--database", db, NULL}, &run);
	assert_int_not_equal(run.status, 0);
	tl_run_release(&run);
	run_cli((const char *const[]){"token", "create", "--user", "admin", "--expires", "-3", "--database", db, NULL},
		&run);
	assert_int_equal(run.status, 2);
	tl_run_release(&run);
}

/* Each role reaches what it is granted and nothing else. */
static void test_roles(void **state)
{
	(void)state;
	static const struct {
		const char *role, *extra;
		int users, audit, perms, orgs_write, districts_write;
	} roles[] = {
		{"coordinator", NULL, 403, 403, 403, 201, 403},
		{"psychologist", NULL, 403, 403, 403, 403, 403},
		{"psychologist", "\"head\": true", 403, 403, 403, 403, 403},
		{"prosecutor", NULL, 403, 200, 403, 403, 403},
		{"ombudsman", NULL, 403, 403, 403, 403, 403},
		{"lecturer", NULL, 403, 403, 403, 403, 403},
	};
	for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		char login[32];
		snprintf(login, sizeof(login), "role%zu", i);
		tl_create_user(&admin, login, roles[i].role, "Role-Password-99", roles[i].extra);
		struct tl_client c;
		assert_int_equal(tl_login(&c, server.port, login, "Role-Password-99"), 200);
		expect(&c, "GET", "/api/v1/users", NULL, roles[i].users, NULL);
		expect(&c, "GET", "/api/v1/users/1", NULL, roles[i].users == 200 ? 200 : 403, NULL);
		expect(&c, "GET", "/api/v1/audit", NULL, roles[i].audit, NULL);
		expect(&c, "GET", "/api/v1/permissions", NULL, roles[i].perms, NULL);
		expect(&c, "GET", "/api/v1/districts", NULL, 200, NULL);
		expect(&c, "POST", "/api/v1/organisations", "{\"name\": \"Org of a role\", \"kind\": \"other\"}",
		       roles[i].orgs_write, NULL);
		expect(&c, "POST", "/api/v1/districts",
		       "{\"code\": \"zz\", \"name_kk\": \"zz\", \"name_ru\": \"zz\", \"name_en\": \"zz\", \"kind\": \"city\"}",
		       roles[i].districts_write, NULL);
		/* Pages follow the same table. */
		struct tl_response r;
		char h[256];
		snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", c.cookie);
		tl_http(server.port, "GET", "/admin/users", h, NULL, &r);
		assert_int_equal(r.status, 403);
		tl_response_release(&r);
		tl_http(server.port, "GET", "/audit", h, NULL, &r);
		assert_int_equal(r.status, roles[i].audit);
		tl_response_release(&r);
	}
	struct tl_client anon = {.port = server.port};
	expect(&anon, "GET", "/api/v1/me", NULL, 401, "unauthenticated");
	expect(&anon, "GET", "/api/v1/districts", NULL, 401, "unauthenticated");
	expect(&admin, "GET", "/api/v1/users", NULL, 200, NULL);
	expect(&admin, "GET", "/api/v1/users/999999", NULL, 404, "not_found");
}

static void test_admin_rules(void **state)
{
	(void)state;
	/* The last active administrator cannot be demoted or disabled. */
	expect(&admin, "POST", "/api/v1/users/1", "{\"active\": false}", 409, "last_admin");
	expect(&admin, "POST", "/api/v1/users/1", "{\"role\": \"coordinator\"}", 409, "last_admin");
	/* Bad references and combinations. */
	expect(&admin, "POST", "/api/v1/users",
	       "{\"login\": \"sch\", \"full_name\": \"School\", \"role\": \"school\", \"password\": \"Sch00l-Coord-1\"}", 422,
	       "organisation_required");
	expect(&admin, "POST", "/api/v1/users",
	       "{\"login\": \"sch\", \"full_name\": \"School\", \"role\": \"school\", \"organisation_id\": 9999, "
	       "\"password\": \"Sch00l-Coord-1\"}",
	       422, "not_found");
	expect(&admin, "POST", "/api/v1/users",
	       "{\"login\": \"hdx\", \"full_name\": \"Head\", \"role\": \"coordinator\", \"head\": true, \"password\": "
	       "\"Head-Coord-1234\"}",
	       422, "head_only_for_psychologists");
	expect(&admin, "POST", "/api/v1/users",
	       "{\"login\": \"Bad Login\", \"full_name\": \"Xavier\", \"role\": \"coordinator\"}", 422, "invalid_login");
	expect(&admin, "POST", "/api/v1/users", "{\"login\": \"xx1\", \"full_name\": \"Xavier\", \"role\": \"king\"}", 422,
	       "invalid_choice");
	expect(&admin, "POST", "/api/v1/users",
	       "{\"login\": \"coord1\", \"full_name\": \"Again\", \"role\": \"coordinator\", \"password\": \"Another-Pass-1\"}",
	       409, "login_taken");
	expect(&admin, "POST", "/api/v1/districts",
	       "{\"code\": \"semey\", \"name_kk\": \"a\", \"name_ru\": \"b\", \"name_en\": \"c\", \"kind\": \"city\"}", 422,
	       "too_short");
	expect(&admin, "POST", "/api/v1/districts",
	       "{\"code\": \"semey\", \"name_kk\": \"Семей\", \"name_ru\": \"Семей\", \"name_en\": \"Semey\", \"kind\": "
	       "\"city\"}",
	       409, "duplicate");
	expect(&admin, "POST", "/api/v1/organisations", "{\"name\": \"X org\", \"kind\": \"school\", \"district_id\": 999}",
	       422, "not_found");
}

static void test_audit_chain(void **state)
{
	(void)state;
	/* What happened above is on record. */
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'login'") >= 3);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'login_failed'") >= 6);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'logout'") >= 1);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'account_locked'") >= 1);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'password_change'") >= 1);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'create' AND resource = 'user'") >= 3);
	int status;
	json_t *j = tl_api_json(&admin, "GET", "/api/v1/audit?action=login_failed&limit=2", NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
	assert_non_null(json_string_value(json_object_get(j, "next")));
	json_decref(j);

	struct tl_run run;
	run_cli((const char *const[]){"audit", "verify", "--database", db, NULL}, &run);
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out.ptr, "intact"));
	tl_run_release(&run);

	/* The database itself refuses to change audit rows. */
	assert_int_not_equal(tl_sql(db, "UPDATE audit_log SET detail = 'x' WHERE id = 3"), 0);
	assert_int_not_equal(tl_sql(db, "DELETE FROM audit_log WHERE id = 3"), 0);
	/* Someone with full database access edits a row anyway: verify names it. */
	if (tl_is_pg())
		assert_int_equal(tl_sql(db, "DROP TRIGGER audit_log_no_change ON audit_log"), 0);
	else
		assert_int_equal(tl_sql(db, "DROP TRIGGER audit_log_no_update"), 0);
	assert_int_equal(tl_sql(db, "UPDATE audit_log SET detail = 'nothing happened' WHERE id = 3"), 0);
	run_cli((const char *const[]){"audit", "verify", "--database", db, NULL}, &run);
	assert_int_equal(run.status, 1);
	assert_non_null(strstr(run.out.ptr, "BROKEN at row 3"));
	tl_run_release(&run);
}

/* Removing rows is detected too, in the middle and at the end. */
static void test_audit_deletion_detected(void **state)
{
	(void)state;
	const char *d = tl_init_database(NULL, 0);
	struct tl_run run;
	long long base = tl_sql_int(d, "SELECT count(*) FROM audit_log");
	for (int i = 0; i < 3; i++) {
		char login[16];
		snprintf(login, sizeof(login), "cli%d", i);
		tl_run_qorgau(&run, NULL, NULL,
			      (const char *const[]){"user", "add", "--login", login, "--role", "lecturer",
						    "--generate-password", "--database", d, NULL});
		assert_int_equal(run.status, 0);
		tl_run_release(&run);
	}
	run_cli((const char *const[]){"audit", "verify", "--database", d, NULL}, &run);
	assert_int_equal(run.status, 0);
	char want[32];
	snprintf(want, sizeof(want), "%lld rows", base + 3);
	assert_non_null(strstr(run.out.ptr, want));
	tl_run_release(&run);
	if (tl_is_pg())
		tl_sql(d, "DROP TRIGGER audit_log_no_change ON audit_log");
	else
		tl_sql(d, "DROP TRIGGER audit_log_no_delete");
	assert_int_equal(tl_sql(d, "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"), 0);
	run_cli((const char *const[]){"audit", "verify", "--database", d, NULL}, &run);
	assert_int_equal(run.status, 1);
	assert_non_null(strstr(run.out.ptr, "head"));
	tl_run_release(&run);
	assert_int_equal(tl_sql(d, "DELETE FROM audit_log WHERE id = 2"), 0);
	run_cli((const char *const[]){"audit", "verify", "--database", d, NULL}, &run);
	assert_int_equal(run.status, 1);
	assert_non_null(strstr(run.out.ptr, "BROKEN at row 3"));
	tl_run_release(&run);
}

static void test_cli_user_commands(void **state)
{
	(void)state;
	struct tl_run run;
	/* Password on standard input, checked by the same rules. */
	tl_run_qorgau(&run, "short\n", NULL,
		      (const char *const[]){"user", "add", "--login", "clia", "--role", "coordinator", "--database", db,
					    NULL});
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "at least 10"));
	tl_run_release(&run);
	tl_run_qorgau(&run, "Cli-Coordinator-1\n", NULL,
		      (const char *const[]){"user", "add", "--login", "clia", "--role", "coordinator", "--name",
					    "Айгүл Серікқызы", "--database", db, NULL});
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
	struct tl_client c;
	assert_int_equal(tl_login(&c, server.port, "clia", "Cli-Coordinator-1"), 200);
	tl_run_qorgau(&run, NULL, NULL,
		      (const char *const[]){"user", "add", "--login", "clia", "--role", "coordinator",
					    "--generate-password", "--database", db, NULL});
	assert_int_equal(run.status, 1);
	assert_non_null(strstr(run.err.ptr, "taken"));
	tl_run_release(&run);
	tl_run_qorgau(&run, NULL, NULL,
		      (const char *const[]){"user", "add", "--login", "clib", "--role", "emperor",
					    "--generate-password", "--database", db, NULL});
	assert_int_equal(run.status, 2);
	tl_run_release(&run);
	/* passwd ends the sessions; disable refuses sign-in; list shows the state. */
	tl_run_qorgau(&run, "Cli-Coordinator-2\n", NULL,
		      (const char *const[]){"user", "passwd", "--login", "clia", "--database", db, NULL});
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
	expect(&c, "GET", "/api/v1/me", NULL, 401, "session_expired");
	assert_int_equal(tl_login(&c, server.port, "clia", "Cli-Coordinator-2"), 200);
	tl_run_qorgau(&run, NULL, NULL, (const char *const[]){"user", "disable", "--login", "clia", "--database", db, NULL});
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
	expect(&c, "GET", "/api/v1/me", NULL, 401, NULL);
	assert_int_equal(tl_login(&c, server.port, "clia", "Cli-Coordinator-2"), 401);
	tl_run_qorgau(&run, NULL, NULL, (const char *const[]){"user", "list", "--database", db, NULL});
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out.ptr, "clia"));
	assert_non_null(strstr(run.out.ptr, "disabled"));
	tl_run_release(&run);
	for (const char *const *sub = (const char *const[]){"user", "token", "audit", NULL}; *sub; sub++) {
		tl_run_qorgau(&run, NULL, NULL, (const char *const[]){*sub, "--help", NULL});
		assert_int_equal(run.status, 0);
		tl_run_release(&run);
		tl_run_qorgau(&run, NULL, NULL, (const char *const[]){*sub, "nonsense", NULL});
		assert_int_equal(run.status, 2);
		tl_run_release(&run);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_logout),
		cmocka_unit_test(test_login_errors_reveal_nothing),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_client_throttle),
		cmocka_unit_test(test_password_rules),
		cmocka_unit_test(test_must_change_and_other_sessions),
		cmocka_unit_test(test_session_timeouts),
		cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_api_tokens),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_admin_rules),
		cmocka_unit_test(test_cli_user_commands),
		cmocka_unit_test(test_audit_chain),
		cmocka_unit_test(test_audit_deletion_detected),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
