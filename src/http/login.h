/*
 * Signing in, shared by the JSON API and the sign-in page: checks for
 * lockout and throttling, verifies the password on the thread pool (never
 * on an event loop), then records the outcome through the writer.
 */
#ifndef QORGAU_HTTP_LOGIN_H
#define QORGAU_HTTP_LOGIN_H

#include "domain/account.h"
#include "http/request.h"

/* Called once the attempt is settled; db_status is non-zero when storage failed (answer 503). */
typedef void (*login_done_fn)(struct request *r, struct login_attempt *at, int db_status);

void login_start(struct request *r, const char *login, const char *password, login_done_fn done);
/* Set the session cookie for a successful attempt. */
void login_set_cookie(struct request *r, const struct login_attempt *at);

/*
 * Changing one's own password, shared by the API and the account page.
 * Checks the rules at once and returns a problem code (password_problem()
 * codes, "password_unchanged" or "unavailable"); otherwise NULL, and
 * done() runs once the current password was verified and, if right, the
 * new hash stored (other sessions end).
 */
struct pw_change;
typedef void (*password_change_done)(struct request *r, struct pw_change *c, int status);
const char *password_change_start(struct request *r, const char *current, const char *new_password,
				  password_change_done done);
/* Whether the current password given was right. */
int password_change_ok(const struct pw_change *c);
/* Whether it was refused before any check: the account is locked (or at its limit of failures). */
int password_change_locked(const struct pw_change *c);

#endif
