/* Password rules, signing in and sessions (account.h). */
#include "domain/account.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/i18n.h"
#include "core/time.h"
#include "domain/audit.h"
#include "text/utf8.h"

/* Case-folded copy (malloc'd) for case-insensitive comparisons in any script. */
static char *fold(const char *s)
{
	utf8proc_uint8_t *out = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
			 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
		return NULL;
	return (char *)out;
}

const char *password_problem(const char *password, const char *login, const char *full_name)
{
	size_t n = strlen(password);
	size_t chars = utf8_valid(password, n) ? utf8_length(password, n) : n;
	if (chars < PASSWORD_MIN_CHARS)
		return "password_too_short";
	if (chars > PASSWORD_MAX_CHARS)
		return "password_too_long";
	const char *problem = NULL;
	char *fp = fold(password);
	if (!fp)
		return "password_too_simple";
	if (login && strlen(login) >= 3) {
		char *fl = fold(login);
		if (fl && strstr(fp, fl))
			problem = "password_contains_login";
		free(fl);
	}
	if (!problem && full_name) {
		/* Any word of the name, three letters or longer. */
		char *fn = fold(full_name);
		for (char *w = fn ? strtok(fn, " -.,'") : NULL; w && !problem; w = strtok(NULL, " -.,'"))
			if (utf8_length(w, strlen(w)) >= 3 && strstr(fp, w))
				problem = "password_contains_name";
		free(fn);
	}
	if (!problem) {
		/* At least four different characters: "aaaaaaaaaa" and "1212121212" are refused. */
		char seen[PASSWORD_MAX_CHARS * 4][4];
		int distinct = 0;
		for (size_t i = 0; fp[i] && distinct < 4;) {
			uint32_t cp;
			size_t len = utf8_decode(fp + i, strlen(fp + i), &cp);
			if (!len)
				len = 1;
			int known = 0;
			for (int k = 0; k < distinct; k++)
				if (!memcmp(seen[k], fp + i, len < 4 ? len : 4))
					known = 1;
			if (!known) {
				memset(seen[distinct], 0, 4);
				memcpy(seen[distinct], fp + i, len < 4 ? len : 4);
				distinct++;
			}
			i += len;
		}
		if (distinct < 4)
			problem = "password_too_simple";
	}
	free(fp);
	return problem;
}

const char *password_problem_text(const char *code)
{
	if (!code)
		return "";
	if (!strcmp(code, "password_too_short"))
		return N_("The password must be at least 10 characters long.");
	if (!strcmp(code, "password_too_long"))
		return N_("The password must be at most 128 characters long.");
	if (!strcmp(code, "password_contains_login"))
		return N_("The password must not contain the login.");
	if (!strcmp(code, "password_contains_name"))
		return N_("The password must not contain the person's name.");
	return N_("The password is too simple: use more different characters.");
}

int login_is_valid(const char *login)
{
	size_t n = strlen(login);
	if (n < 3 || n > 64 || !(login[0] >= 'a' && login[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

enum login_result login_precheck(struct db *db, const struct login_policy *pol, const char *login,
				 const char *client, int64_t now, struct arena *a, struct user *user, int *db_status)
{
	int64_t n = 0;
	int rc;
	memset(user, 0, sizeof(*user));
	*db_status = DB_OK;
	if ((rc = db_login_failure_count_client(db, client, now - pol->window, &n)) != DB_OK)
		goto fail;
	if (n >= pol->client_max_failures)
		return LOGIN_THROTTLED;
	rc = db_user_get_by_login(db, login, a, user);
	if (rc == DB_NOTFOUND)
		memset(user, 0, sizeof(*user));
	else if (rc != DB_OK)
		goto fail;
	if (user->id && user->locked_until > now)
		return LOGIN_LOCKED;
	/* Unknown logins lock the same way, so the answer never tells whether a login exists. */
	if ((rc = db_login_failure_count_login(db, login, now - pol->window, &n)) != DB_OK)
		goto fail;
	if (n >= pol->max_failures)
		return LOGIN_LOCKED;
	return LOGIN_OK;
fail:
	*db_status = rc;
	return LOGIN_ERROR;
}

int login_reserve(struct db *db, struct login_attempt *at)
{
	int64_t now = time_now(), n = 0;
	int rc;
	if ((rc = db_login_failure_count_client(db, at->client, now - at->policy.window, &n)) != DB_OK)
		return rc;
	if (n >= at->policy.client_max_failures)
		at->refused = LOGIN_THROTTLED;
	if (!at->refused && at->user_id) {
		struct arena a;
		struct user u;
		arena_init(&a);
		rc = db_user_get(db, at->user_id, &a, &u);
		int64_t locked_until = rc == DB_OK ? u.locked_until : 0;
		arena_release(&a);
		if (rc != DB_OK && rc != DB_NOTFOUND)
			return rc;
		if (locked_until > now)
			at->refused = LOGIN_LOCKED;
	}
	if (!at->refused) {
		if ((rc = db_login_failure_count_login(db, at->login, now - at->policy.window, &n)) != DB_OK)
			return rc;
		if (n >= at->policy.max_failures)
			at->refused = LOGIN_LOCKED;
	}
	if (at->refused)
		return login_record(db, at);
	return db_login_failure_insert(db, at->login, at->client, now);
}

int login_record(struct db *db, struct login_attempt *at)
{
	int64_t now = time_now();
	struct audit_event ev = {
		.user_id = at->user_id,
		.role = at->role,
		.resource = "session",
		.client = at->client,
	};
	int rc;
	static int64_t last_prune;

	/* Old failures are only kept as long as they can count (writer thread only: no lock needed). */
	if (now - last_prune > 3600) {
		if ((rc = db_login_failure_prune(db, now - 86400)) != DB_OK)
			return rc;
		last_prune = now;
	}
	if (at->refused != LOGIN_OK) {
		at->result = at->refused;
		ev.action = "login_refused";
		ev.outcome = "denied";
		ev.detail = at->refused == LOGIN_LOCKED ? "account locked" : "too many failures from this address";
		return audit_append(db, &ev, now);
	}
	if (!at->password_ok) {
		at->result = LOGIN_BAD; /* its failure was recorded by login_reserve */
		ev.action = "login_failed";
		ev.outcome = "denied";
		ev.detail = !at->user_id ? "unknown login" : at->disabled ? "account disabled" : "wrong password";
		if ((rc = audit_append(db, &ev, now)) != DB_OK)
			return rc;
		int64_t n = 0;
		if ((rc = db_login_failure_count_login(db, at->login, now - at->policy.window, &n)) != DB_OK)
			return rc;
		if (at->user_id && n >= at->policy.max_failures) {
			if ((rc = db_user_lock(db, at->user_id, now + at->policy.lockout)) != DB_OK)
				return rc;
			ev.action = "account_locked";
			ev.resource = "user";
			ev.resource_id = at->user_id;
			ev.detail = "too many failed sign-ins";
			return audit_append(db, &ev, now);
		}
		return DB_OK;
	}
	unsigned char hash[TOKEN_HASH_BYTES];
	token_new(at->token);
	token_new(at->csrf);
	token_hash(at->token, strlen(at->token), hash);
	if ((rc = db_login_failure_clear(db, at->login)) != DB_OK)
		return rc;
	if ((rc = db_session_insert(db, hash, sizeof(hash), at->user_id, at->csrf, now, at->client, &at->session_id)) !=
	    DB_OK)
		return rc;
	at->result = LOGIN_OK;
	ev.action = "login";
	ev.outcome = "ok";
	ev.resource_id = at->session_id;
	return audit_append(db, &ev, now);
}

int session_close(struct db *db, int64_t session_id, int64_t user_id, const char *role, const char *client)
{
	int64_t now = time_now();
	int rc = db_session_end(db, session_id, now);
	if (rc)
		return rc;
	struct audit_event ev = {
		.user_id = user_id,
		.role = role,
		.action = "logout",
		.resource = "session",
		.resource_id = session_id,
		.client = client,
		.outcome = "ok",
	};
	return audit_append(db, &ev, now);
}

int account_create(struct db *db, const struct actor *who, struct user *u)
{
	int rc = db_user_insert(db, u);
	if (rc)
		return rc;
	char detail[64];
	snprintf(detail, sizeof(detail), "role=%s", u->role);
	return audit_record(db, who, "create", "user", u->id, detail);
}

int account_update(struct db *db, const struct actor *who, const struct user *u)
{
	int64_t now = time_now();
	int rc = db_user_update(db, u, now);
	if (rc)
		return rc;
	if (!u->active && (rc = db_session_end_others(db, u->id, 0, now)) != DB_OK)
		return rc;
	char detail[96];
	snprintf(detail, sizeof(detail), "role=%s active=%d", u->role, u->active);
	return audit_record(db, who, "update", "user", u->id, detail);
}

int account_set_password(struct db *db, const struct actor *who, int64_t user_id, const char *hash, int must_change,
			 int64_t keep_session)
{
	int64_t now = time_now();
	int rc = db_user_set_password(db, user_id, hash, must_change, now);
	if (rc)
		return rc;
	if ((rc = db_session_end_others(db, user_id, must_change ? 0 : keep_session, now)) != DB_OK)
		return rc;
	return audit_record(db, who, must_change ? "password_reset" : "password_change", "user", user_id, NULL);
}

int account_set_lang(struct db *db, const struct actor *who, int64_t user_id, const char *lang)
{
	int rc = db_user_set_lang(db, user_id, lang, time_now());
	if (rc)
		return rc;
	return audit_record(db, who, "update", "user", user_id, "lang");
}

int account_set_active(struct db *db, const struct actor *who, int64_t user_id, int active)
{
	int64_t now = time_now();
	int rc = db_user_set_active(db, user_id, active, now);
	if (rc)
		return rc;
	if (!active && (rc = db_session_end_others(db, user_id, 0, now)) != DB_OK)
		return rc;
	return audit_record(db, who, active ? "enable" : "disable", "user", user_id, NULL);
}

int account_validate(struct db *db, const struct user *u, const char **field, const char **code)
{
	struct arena a;
	int rc = DB_OK;
	*field = NULL;
	*code = NULL;
	enum role role = role_parse(u->role);
	if (role == ROLE_NONE) {
		*field = "role", *code = "invalid_choice";
		return DB_OK;
	}
	if (u->is_head && role != ROLE_PSYCHOLOGIST) {
		*field = "head", *code = "head_only_for_psychologists";
		return DB_OK;
	}
	if ((role == ROLE_SCHOOL || role == ROLE_MENTOR_ORG) && !u->organisation_id) {
		*field = "organisation_id", *code = "organisation_required";
		return DB_OK;
	}
	arena_init(&a);
	if (u->organisation_id) {
		struct organisation o;
		rc = db_org_get(db, u->organisation_id, &a, &o);
		if (rc == DB_NOTFOUND) {
			*field = "organisation_id", *code = "not_found";
			rc = DB_OK;
		}
	}
	if (!rc && !*code && u->district_id) {
		struct district d;
		rc = db_district_get(db, u->district_id, &a, &d);
		if (rc == DB_NOTFOUND) {
			*field = "district_id", *code = "not_found";
			rc = DB_OK;
		}
	}
	arena_release(&a);
	return rc;
}
