/* Reading the Cookie header and writing Set-Cookie. */
#ifndef QORGAU_HTTP_COOKIE_H
#define QORGAU_HTTP_COOKIE_H

#include <stddef.h>

#include "http/request.h"

#define SESSION_COOKIE "qorgau_session"
#define LANG_COOKIE "qorgau_lang"
#define PRELOGIN_COOKIE "qorgau_pre" /* double-submit CSRF token for the sign-in form */

/* The value of cookie name (not NUL-terminated), or NULL. Values with odd bytes are ignored. */
const char *cookie_get(struct request *r, const char *name, size_t *len);

enum { COOKIE_SESSION = -1, COOKIE_DELETE = 0 };
/*
 * Set a cookie on the response: Path=/, HttpOnly, SameSite=Strict, Secure
 * when configured. max_age: COOKIE_SESSION (browser session), COOKIE_DELETE,
 * or seconds. value must be a token (letters, digits, - _).
 */
void cookie_set(struct request *r, const char *name, const char *value, int max_age);

#endif
