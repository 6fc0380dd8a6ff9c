/*
 * Accounts: password rules, signing in (lockout and throttling), sessions,
 * and the changes an administrator or the user makes to an account. The
 * write_* functions run inside a writer job and record the audit row in
 * the same transaction.
 */
#ifndef QORGAU_DOMAIN_ACCOUNT_H
#define QORGAU_DOMAIN_ACCOUNT_H

#include <stdint.h>

#include "core/crypto.h"
#include "db/db.h"
#include "domain/authz.h"

enum { PASSWORD_MIN_CHARS = 10, PASSWORD_MAX_CHARS = 128 };

/*
 * NULL when the password is acceptable for this login and name; otherwise
 * a stable code: password_too_short, password_too_long,
 * password_contains_login, password_contains_name, password_too_simple.
 */
const char *password_problem(const char *password, const char *login, const char *full_name);
/* An English sentence for a password problem code. */
const char *password_problem_text(const char *code);

/* Login names: 3–64 of a-z 0-9 . _ - starting with a letter. */
int login_is_valid(const char *login);

/* Limits for signing in (from the settings). */
struct login_policy {
	int max_failures;
	int window;
	int lockout;
	int client_max_failures;
};

enum login_result {
	LOGIN_OK,
	LOGIN_BAD,       /* wrong login or password: never says which */
	LOGIN_LOCKED,    /* too many failures for this account */
	LOGIN_THROTTLED, /* too many failures from this address */
	LOGIN_ERROR,     /* storage trouble */
};

/*
 * Before the password is checked (a read): is this login or address
 * blocked? Fills *user (id 0 when unknown) and returns LOGIN_OK to go on.
 */
enum login_result login_precheck(struct db *db, const struct login_policy *pol, const char *login,
				 const char *client, int64_t now, struct arena *a, struct user *user, int *db_status);

struct login_attempt {
	/* in */
	const char *login;
	const char *client;
	int64_t user_id; /* 0 when the login is unknown */
	const char *role;
	int password_ok;
	int disabled; /* the account exists but is disabled */
	enum login_result refused; /* LOGIN_OK, or why it was refused before checking the password */
	struct login_policy policy;
	/* out */
	enum login_result result;
	int64_t session_id;
	char token[TOKEN_TEXT_LEN + 1];
	char csrf[TOKEN_TEXT_LEN + 1];
};

/*
 * The writer's check before the password is: the counts again, now with
 * every earlier attempt in (the writer is one thread, so concurrent guesses
 * see each other), and a failure recorded in advance, removed if the
 * password proves right. Sets at->refused (and audits it) when the limits
 * are reached.
 */
int login_reserve(struct db *db, struct login_attempt *at);

/* The writer half of a sign-in: the failure stands (maybe locking) or a session opens; audit either way. */
int login_record(struct db *db, struct login_attempt *at);

struct actor;

/*
 * Check an account's fields against each other and the database: the role
 * exists, the head flag is only for psychologists, school and mentor_org
 * accounts belong to an organisation, referenced rows exist. Returns DB_OK
 * with *code NULL when fine; otherwise *field and *code say what is wrong.
 */
int account_validate(struct db *db, const struct user *u, const char **field, const char **code);

/* Create an account (u->id set); audited. DB_CONSTRAINT when the login is taken. */
int account_create(struct db *db, const struct actor *who, struct user *u);
/* Update profile fields; a disabled account's sessions end. Audited. */
int account_update(struct db *db, const struct actor *who, const struct user *u);
/*
 * Set a password hash. A reset by an administrator (must_change) ends all
 * the user's sessions; the user's own change ends all but keep_session.
 */
int account_set_password(struct db *db, const struct actor *who, int64_t user_id, const char *hash, int must_change,
			 int64_t keep_session);
int account_set_lang(struct db *db, const struct actor *who, int64_t user_id, const char *lang);
int account_set_active(struct db *db, const struct actor *who, int64_t user_id, int active);

/* Sign out: end the session, audit. */
int session_close(struct db *db, int64_t session_id, int64_t user_id, const char *role, const char *client);

#endif
