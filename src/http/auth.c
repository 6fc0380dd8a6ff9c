/* Authentication and route-level authorisation (auth.h). */
#include "http/auth.h"

#include <string.h>

#include "http/server.h"

int auth_client_is_loopback(const struct request *r)
{
	return strncmp(r->client, "127.", 4) == 0 || strcmp(r->client, "::1") == 0 ||
	       strncmp(r->client, "::ffff:127.", 11) == 0;
}

int auth_identify(struct request *r)
{
	memset(&r->user, 0, sizeof(r->user));
	return 0;
}

int auth_authorize(struct request *r)
{
	struct perm perm = r->route->perm;
	if (perm.resource == RES_PUBLIC)
		return 0;
	if (perm.resource == RES_METRICS) {
		if (r->w->server->cfg->metrics_public || auth_client_is_loopback(r))
			return 0;
		respond_error(r, 403, "forbidden", "metrics are served to local clients only", NULL);
		return -1;
	}
	if (!r->user.user_id) {
		respond_error(r, 401, "unauthenticated", "sign in first", NULL);
		return -1;
	}
	if (authz_scope(r->user.role, perm) == SCOPE_NONE) {
		respond_error(r, 403, "forbidden", "your role may not do this", NULL);
		return -1;
	}
	return 0;
}
