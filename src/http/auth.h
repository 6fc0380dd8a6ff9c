/*
 * Authentication (who is calling: session cookie or bearer token) and the
 * route-level authorisation check (may this caller use this route at all).
 * Row-level scope is applied by the handlers' queries (authz.h scopes).
 */
#ifndef QORGAU_HTTP_AUTH_H
#define QORGAU_HTTP_AUTH_H

#include "http/request.h"

/* Fill r->user from the request's credentials; -1 when it has answered (bad credentials). */
int auth_identify(struct request *r);
/* Check r->route's permission for r->user; -1 when it has answered (401/403). */
int auth_authorize(struct request *r);
/* For writes with a session cookie: the CSRF token must come back; -1 when it has answered 403. */
int auth_check_csrf(struct request *r);
/* Whether the client address is loopback (127.0.0.0/8 or ::1). */
int auth_client_is_loopback(const struct request *r);

#endif
