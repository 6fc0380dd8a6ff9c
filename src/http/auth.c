/*
 * Authentication (session cookie or bearer token), route-level
 * authorisation and CSRF checks (auth.h).
 */
#include "http/auth.h"

#include <string.h>

#include "core/crypto.h"
#include "core/time.h"
#include "domain/account.h"
#include "http/cookie.h"
#include "http/server.h"

int auth_client_is_loopback(const struct request *r)
{
	return strncmp(r->client, "127.", 4) == 0 || strcmp(r->client, "::1") == 0 ||
	       strncmp(r->client, "::ffff:127.", 11) == 0;
}

/* Fill the principal from a user row; -1 if the account may not act. */
static int take_user(struct request *r, const struct user *u)
{
	enum role role = role_parse(u->role);
	if (!u->active || role == ROLE_NONE)
		return -1;
	r->user.user_id = u->id;
	r->user.login = u->login;
	r->user.full_name = u->full_name;
	r->user.role = role_effective(role, u->is_head);
	r->user.is_head = u->is_head;
	r->user.organisation_id = u->organisation_id;
	r->user.district_id = u->district_id;
	r->user.must_change_password = u->must_change_password;
	if (!r->lang_from_cookie && u->lang) {
		enum lang l = lang_parse(u->lang, strlen(u->lang));
		if (l != LANG_COUNT)
			r->lang = l;
	}
	return 0;
}

static int run_session_touch(struct db *db, struct write_job *job)
{
	int64_t *id = job->arg;
	return db_session_touch(db, id[0], id[1]);
}

static int bearer(struct request *r, const char *h, size_t hlen)
{
	const char *tok = h + 7;
	size_t tlen = hlen - 7;
	unsigned char hash[TOKEN_HASH_BYTES];
	struct api_token t;
	if (tlen != TOKEN_TEXT_LEN)
		goto bad;
	token_hash(tok, tlen, hash);
	int rc = db_token_lookup(request_db(r), hash, sizeof(hash), &r->arena, &t);
	if (rc == DB_NOTFOUND)
		goto bad;
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	int64_t now = time_now();
	if (t.revoked_at || (t.expires_at && t.expires_at <= now) || take_user(r, &t.user) < 0)
		goto bad;
	r->user.token_id = t.id;
	return 0;
bad:
	memset(&r->user, 0, sizeof(r->user));
	response_header(r, "www-authenticate", "Bearer");
	respond_error(r, 401, "invalid_token", "the token is unknown, revoked or expired", NULL);
	return -1;
}

int auth_identify(struct request *r)
{
	size_t hlen, clen;
	memset(&r->user, 0, sizeof(r->user));
	const char *h = request_header(r, "authorization", &hlen);
	if (h && hlen > 7 && strncasecmp(h, "Bearer ", 7) == 0)
		return bearer(r, h, hlen);

	const char *cookie = cookie_get(r, SESSION_COOKIE, &clen);
	if (!cookie)
		return 0;
	unsigned char hash[TOKEN_HASH_BYTES];
	token_hash(cookie, clen, hash);
	struct session s;
	int rc = db_session_lookup(request_db(r), hash, sizeof(hash), &r->arena, &s);
	if (rc == DB_NOTFOUND) {
		r->session_expired = 1;
		return 0;
	}
	if (rc) {
		respond_db_error(r, rc);
		return -1;
	}
	const struct config *cfg = r->w->server->cfg;
	int64_t now = time_now();
	if (now - s.last_seen_at > cfg->session_idle_timeout || now - s.created_at > cfg->session_max_age) {
		r->session_expired = 1;
		return 0;
	}
	if (take_user(r, &s.user) < 0) {
		r->session_expired = 1;
		return 0;
	}
	r->user.session_id = s.id;
	r->user.csrf = s.csrf;
	/*
	 * Record activity at most once a minute (more often only when the idle
	 * timeout is short); nobody waits for this write.
	 */
	int64_t every = cfg->session_idle_timeout / 10;
	every = every < 1 ? 1 : every > 60 ? 60 : every;
	if (now - s.last_seen_at >= every) {
		int64_t *arg = arena_alloc(&r->arena, 2 * sizeof(int64_t));
		arg[0] = s.id;
		arg[1] = now;
		request_write(r, run_session_touch, arg, NULL);
	}
	return 0;
}

/* Routes a user who must change the password may still use. */
static int allowed_before_password_change(const struct route *rt)
{
	return (rt->flags & ROUTE_BEFORE_PASSWORD) || authz_is_anonymous(rt->perm);
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
		if (!r->is_api) {
			/* A person: to the sign-in page, and back here afterwards. */
			respond_redirect(r, r->session_expired ? "/login?expired=1" : "/login");
			return -1;
		}
		respond_error(r, 401, r->session_expired ? "session_expired" : "unauthenticated",
			      r->session_expired ? "the session has ended: sign in again" : "sign in first", NULL);
		return -1;
	}
	if (r->user.must_change_password && !allowed_before_password_change(r->route)) {
		if (!r->is_api) {
			respond_redirect(r, "/account/password");
			return -1;
		}
		respond_error(r, 403, "password_change_required", "change your password first", NULL);
		return -1;
	}
	if (authz_scope(r->user.role, perm) == SCOPE_NONE) {
		respond_error(r, 403, "forbidden", _(r, "Your role may not do this."), NULL);
		return -1;
	}
	return 0;
}

static int is_safe_method(struct request *r)
{
	const char *m = r->route->method;
	return !strcmp(m, "GET") || !strcmp(m, "HEAD");
}

int auth_check_csrf(struct request *r)
{
	if (is_safe_method(r) || !r->user.session_id || (r->route->flags & ROUTE_NO_CSRF))
		return 0; /* reads, bearer tokens and anonymous requests carry no ambient authority */
	const char *sent;
	size_t slen;
	if (r->is_api) {
		sent = request_header(r, "x-csrf-token", &slen);
	} else {
		sent = r->in.csrf;
		slen = sent ? strlen(sent) : 0;
	}
	size_t want = strlen(r->user.csrf);
	if (sent && slen == want && bytes_equal(sent, r->user.csrf, want))
		return 0;
	respond_error(r, 403, "csrf", r->is_api ? "send the session's CSRF token in X-CSRF-Token"
						: _(r, "The form has expired. Go back, reload the page and try again."),
		      NULL);
	return -1;
}
