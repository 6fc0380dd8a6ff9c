/*
 * The access matrix, generated from the route table (routes[], router.h):
 * every route × every principal against the declared policy (authz_scope,
 * authz.c). A new route is checked as soon as it is in the table.
 *
 * Principals: one signed-in user per stored role (and a head psychologist
 * and a coordinator limited to district 1); nobody (no credentials); a
 * cookie that never was a session; a real session whose idle timeout has
 * passed; a user disabled after signing in; a user who must still change
 * a one-time password.
 *
 * What each must get (auth_authorize and auth_check_csrf, http/auth.c):
 *   - public routes (RES_PUBLIC; RES_METRICS, as we ask from loopback):
 *     never 401 or 403, whoever asks;
 *   - anyone else without a live session: 401 on the API ("unauthenticated",
 *     or "session_expired" when a cookie was sent), a 303 to /login on pages;
 *   - a user who must change the password, on a route without
 *     ROUTE_BEFORE_PASSWORD: 403 "password_change_required" on the API, a
 *     303 to /account/password on pages;
 *   - a signed-in user whose role the policy grants nothing
 *     (authz_scope == SCOPE_NONE): 403, and nothing else — not 404, not 422,
 *     never 2xx;
 *   - a signed-in user the policy grants: never 401 or 403 (and no server
 *     error): the answer may be 200, 201, 204, 303, 400, 404, 409, 422…, as
 *     the handler decides about the record and the (empty) input.
 * Writes carry an empty JSON object ({}) on the API, with X-CSRF-Token for
 * a cookie session, or an empty form with the _csrf field on pages.
 *
 * Then the scoped reads and writes by id: a second ("foreign") set of
 * records belongs to another organisation, district, psychologist and
 * lecturer, and all its free texts carry one word (MARK). A principal whose
 * scope for the route is own, organisation or district (a coordinator
 * limited to a district) gets 403 or 404 for them, or an input error
 * (400, 422), or on a page the offer to break the glass — never a 2xx,
 * never another 3xx, and never an answer that shows any of the record.
 * Writes are sent twice: empty, and with plausible input built from the
 * route's declared fields, so that they reach the handler's own checks.
 * Lists and exports of those resources show such a caller none of them.
 *
 * Last, break the glass: a coordinator limited to district 1 is granted
 * the foreign appeal and child; reads of them open, and no change goes
 * through (a grant is for reading only).
 *
 * Every wrong answer is listed (route, principal, status, what was
 * expected) before the test fails. Both backends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/authz.h"
#include "http/router.h"
#include "lib/testlib.h"

#define PASSWORD "Strong-Pass-2026"

static struct tl_server server;
static const char *db;
static struct tl_client admin;

/* ---------- principals ---------- */

enum principal_kind {
	P_USER,        /* signed in, active, password changed */
	P_MUST_CHANGE, /* signed in with a one-time password */
	P_ANONYMOUS,   /* no credentials at all */
	P_NO_SESSION,  /* sends a cookie that names no live session */
};

struct principal {
	const char *name;
	enum principal_kind kind;
	enum role role; /* effective (head psychologist has its own column) */
	int district;   /* limited to this district (0: the whole region) */
	const char *login;
	char password[64];
	struct tl_client c;
};

enum {
	PR_ADMIN,
	PR_COORD,
	PR_COORD_D1,
	PR_PSY,
	PR_HEAD,
	PR_PROSECUTOR,
	PR_OMBUDSMAN,
	PR_SCHOOL,
	PR_MENTOR,
	PR_LECTURER,
	PR_MUST_CHANGE,
	PR_ANONYMOUS,
	PR_UNKNOWN_COOKIE,
	PR_EXPIRED,
	PR_DISABLED,
	PR_COUNT
};

static struct principal who[PR_COUNT] = {
	[PR_ADMIN] = {"admin", P_USER, ROLE_ADMIN, 0, "admin", "", {0}},
	[PR_COORD] = {"coordinator", P_USER, ROLE_COORDINATOR, 0, "coord", PASSWORD, {0}},
	[PR_COORD_D1] = {"coordinator(d1)", P_USER, ROLE_COORDINATOR, 1, "coordone", PASSWORD, {0}},
	[PR_PSY] = {"psychologist", P_USER, ROLE_PSYCHOLOGIST, 0, "psy", PASSWORD, {0}},
	[PR_HEAD] = {"head_psychologist", P_USER, ROLE_HEAD_PSYCHOLOGIST, 0, "headpsy", PASSWORD, {0}},
	[PR_PROSECUTOR] = {"prosecutor", P_USER, ROLE_PROSECUTOR, 0, "prok", PASSWORD, {0}},
	[PR_OMBUDSMAN] = {"ombudsman", P_USER, ROLE_OMBUDSMAN, 0, "ombud", PASSWORD, {0}},
	[PR_SCHOOL] = {"school", P_USER, ROLE_SCHOOL, 0, "schoola", PASSWORD, {0}},
	[PR_MENTOR] = {"mentor_org", P_USER, ROLE_MENTOR_ORG, 0, "mentora", PASSWORD, {0}},
	[PR_LECTURER] = {"lecturer", P_USER, ROLE_LECTURER, 0, "lect", PASSWORD, {0}},
	[PR_MUST_CHANGE] = {"must_change(coord)", P_MUST_CHANGE, ROLE_COORDINATOR, 0, "fresh", "", {0}},
	[PR_ANONYMOUS] = {"anonymous", P_ANONYMOUS, ROLE_NONE, 0, NULL, "", {0}},
	[PR_UNKNOWN_COOKIE] = {"unknown_cookie", P_NO_SESSION, ROLE_NONE, 0, NULL, "", {0}},
	[PR_EXPIRED] = {"expired(coord)", P_NO_SESSION, ROLE_COORDINATOR, 0, "idle", PASSWORD, {0}},
	[PR_DISABLED] = {"disabled(coord)", P_NO_SESSION, ROLE_COORDINATOR, 0, "gone", PASSWORD, {0}},
};

/* Routes that end the caller's session: the principal signs in again afterwards. */
static int signs_out(const struct route *rt)
{
	return !strcmp(rt->name, "session.delete") || !strcmp(rt->name, "logout");
}

static void sign_in(struct principal *p)
{
	if (tl_login(&p->c, server.port, p->login, p->password) != 200)
		fail_msg("%s cannot sign in", p->name);
}

/* ---------- records addressed by id ---------- */

enum kind { K_NONE, K_USER, K_DISTRICT, K_ORG, K_APPEAL, K_REFERRAL, K_CHILD, K_MENTORSHIP, K_GOAL,
	    K_SCHOOL, K_LECTURER, K_LESSON, K_EVENT, K_COUNT };

/*
 * How a district scope (a coordinator limited to a district) bounds a kind
 * of record. Lecturers and accounts have no district; districts and
 * organisations are read region-wide (the names every form offers) but
 * changed only within one's district.
 */
enum district_bound { BOUND_NEVER, BOUND_ALWAYS, BOUND_WRITES };

/* The first path segment (after /api/v1 or /admin) names the kind of record an {id} is. */
static const struct {
	const char *segment;
	enum kind kind;
	enum district_bound bound;
} kinds[] = {
	{"users", K_USER, BOUND_NEVER},		{"districts", K_DISTRICT, BOUND_NEVER},
	{"organisations", K_ORG, BOUND_WRITES}, {"appeals", K_APPEAL, BOUND_ALWAYS},
	{"referrals", K_REFERRAL, BOUND_ALWAYS}, {"children", K_CHILD, BOUND_ALWAYS},
	{"mentorships", K_MENTORSHIP, BOUND_ALWAYS}, {"meyirim", K_MENTORSHIP, BOUND_ALWAYS},
	{"goals", K_GOAL, BOUND_ALWAYS},	{"schools", K_SCHOOL, BOUND_ALWAYS},
	{"lecturers", K_LECTURER, BOUND_NEVER}, {"lessons", K_LESSON, BOUND_ALWAYS},
	{"events", K_EVENT, BOUND_ALWAYS},
};

struct record_set {
	int64_t id[K_COUNT];
	int64_t mentor;       /* the second {id} of /mentorships/{id}/mentors/{id} */
	int64_t psychologist; /* the appeal's */
	int district;
};

/* home: in the principals' district and organisations; foreign: another's. */
static struct record_set home, foreign;

/*
 * Every free text of the foreign records carries this word; no answer about
 * them to an outsider may. The foreign lecturer's name carries another:
 * lecturers are people most roles may read region-wide (MARK_LECTURER).
 */
#define MARK "Жасырын"
#define MARK_LECTURER "Бөтен"

/* The free texts of a record set. */
struct texts {
	const char *surname, *applicant, *summary, *reason, *mentor, *goal, *lecturer, *klass, *event;
};

static const struct texts home_texts = {
	"Нұрланова",	     "Сәуле Нұрланқызы", "Баланы мазақтайды", "Отбасын тексеру қажет", "Айгүл Серікқызы",
	"ҰБТ-ға дайындалу", "Ерлан Сапаров",	   "7 А",		     "Ата-аналар жиналысы",
};
static const struct texts foreign_texts = {
	MARK "ова",	      MARK " Сәуле",	      MARK " мәтін: бөгде аудан", MARK " себеп: тексеру",
	MARK " Тәлімгер", MARK " мақсат",	      MARK_LECTURER " Лектор",	   "9 " MARK,
	MARK " жиналыс",
};

/* An id no record has, for routes whose {id} the test does not know. */
#define NO_SUCH_ID 999999

/* The index in kinds[] of the record a pattern's {id} names (-1: none we know). */
static int kind_index(const char *pattern)
{
	const char *p = pattern;
	while (*p == '/') {
		p++;
		size_t n = strcspn(p, "/");
		if ((n == 3 && !strncmp(p, "api", 3)) || (n == 2 && !strncmp(p, "v1", 2)) ||
		    (n == 5 && !strncmp(p, "admin", 5))) {
			p += n;
			continue;
		}
		for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strlen(kinds[i].segment) == n && !strncmp(p, kinds[i].segment, n))
				return (int)i;
		return -1;
	}
	return -1;
}

/* The pattern with its parameters filled from a record set; returns whether it has an {id}. */
static int fill(const char *pattern, const struct record_set *rs, char *out, size_t outlen)
{
	int k = kind_index(pattern), nids = 0;
	size_t o = 0;
	for (const char *p = pattern; *p && o + 32 < outlen;) {
		if (*p != '{') {
			out[o++] = *p++;
			continue;
		}
		const char *end = strchr(p, '}');
		assert_non_null(end);
		size_t n = (size_t)(end - p - 1);
		const char *name = p + 1;
		p = end + 1;
		if (n == 2 && !strncmp(name, "id", 2)) {
			int64_t id = NO_SUCH_ID;
			if (nids == 0 && k >= 0 && rs->id[kinds[k].kind])
				id = rs->id[kinds[k].kind];
			else if (nids == 1 && k >= 0 && kinds[k].kind == K_MENTORSHIP && rs->mentor)
				id = rs->mentor;
			o += (size_t)snprintf(out + o, outlen - o, "%lld", (long long)id);
			nids++;
		} else if (n == 4 && !strncmp(name, "file", 4)) {
			o += (size_t)snprintf(out + o, outlen - o, "qorgau.css");
		} else {
			/* {name}: a calendar address nobody was given. */
			o += (size_t)snprintf(out + o, outlen - o, "0123456789abcdef0123456789abcdef.ics");
		}
	}
	out[o] = '\0';
	return nids > 0;
}

/* ---------- requests ---------- */

static int is_read(const struct route *rt)
{
	return !strcmp(rt->method, "GET") || !strcmp(rt->method, "HEAD");
}

/* The sign-in form's CSRF token is a double-submitted pre-login cookie (web/account.c): we bring both. */
#define PRELOGIN "matrixprelogintoken0123456789"

/*
 * One request as the principal: its cookie and CSRF token, and for writes
 * fields (JSON members, or form fields without the _csrf) or, when fields
 * is NULL, an empty body of the route's kind.
 */
static void send_as(const struct principal *p, const struct route *rt, const char *path, const char *fields,
		    struct tl_response *resp)
{
	char headers[512];
	struct buf body = BUF_INIT;
	const char *b = NULL;
	int prelogin = !(rt->flags & ROUTE_API) && (rt->flags & ROUTE_NO_CSRF);
	size_t n = 0;
	headers[0] = '\0';
	if (p->c.cookie[0] || prelogin)
		n += (size_t)snprintf(headers + n, sizeof(headers) - n, "Cookie: %s%s%s%s\r\n",
				      p->c.cookie[0] ? "qorgau_session=" : "", p->c.cookie,
				      p->c.cookie[0] && prelogin ? "; " : "", prelogin ? "qorgau_pre=" PRELOGIN : "");
	if (!is_read(rt)) {
		if (rt->flags & ROUTE_API) {
			if (p->c.csrf[0])
				n += (size_t)snprintf(headers + n, sizeof(headers) - n, "X-CSRF-Token: %s\r\n", p->c.csrf);
			if (rt->flags & ROUTE_JSON) {
				n += (size_t)snprintf(headers + n, sizeof(headers) - n, "Content-Type: application/json\r\n");
				buf_printf(&body, "{%s}", fields ? fields : "");
				b = body.ptr;
			}
		} else if (rt->flags & ROUTE_FORM) {
			n += (size_t)snprintf(headers + n, sizeof(headers) - n,
					      "Content-Type: application/x-www-form-urlencoded\r\n");
			buf_printf(&body, "_csrf=%s%s%s", prelogin ? PRELOGIN : p->c.csrf, fields && *fields ? "&" : "",
				   fields ? fields : "");
			b = body.ptr;
		}
	}
	if (n >= 2)
		headers[n - 2] = '\0';
	if (tl_http(server.port, rt->method, path, headers, b, resp) != 0)
		resp->status = 0;
	buf_release(&body);
}

/* An id for a body field, by its name, from a record set (NO_SUCH_ID when we have none). */
static int64_t field_id(const char *name, const struct record_set *rs)
{
	static const struct {
		const char *name;
		enum kind kind;
	} ids[] = {
		{"child_id", K_CHILD},	   {"duplicate_id", K_CHILD}, {"organisation_id", K_ORG}, {"school_id", K_SCHOOL},
		{"lecturer_id", K_LECTURER}, {"goal_id", K_GOAL},	  {"resource_id", K_APPEAL},
	};
	if (!strcmp(name, "district_id"))
		return rs->district;
	if (!strcmp(name, "psychologist_id"))
		return rs->psychologist;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (!strcmp(name, ids[i].name) && rs->id[ids[i].kind])
			return rs->id[ids[i].kind];
	return NO_SUCH_ID;
}

static void day(int days, char out[11]);

/*
 * Input a careful client might send to a write: every declared field but
 * lists and nested ones, with a value of its type within its limits, ids
 * from the record set. An empty body stops at the first required field;
 * this one reaches the handler's own checks (and the record's scope).
 * Caller frees.
 */
static char *plausible_fields(const struct route *rt, const struct record_set *rs)
{
	struct buf out = BUF_INIT;
	int json = (rt->flags & ROUTE_API) != 0;
	for (const struct field *f = rt->fields; f && f->name; f++) {
		char v[128];
		int quoted = 1;
		if (strchr(f->name, '.') || f->type == FT_ID_LIST || f->type == FT_ENUM_LIST)
			continue;
		switch (f->type) {
		case FT_INT: {
			size_t len = strlen(f->name);
			int64_t i = f->min > 1 ? f->min : f->max >= 1 ? 1 : f->min;
			if (len > 3 && !strcmp(f->name + len - 3, "_id"))
				i = field_id(f->name, rs); /* an id given as a number (0 clears) */
			snprintf(v, sizeof(v), "%lld", (long long)i);
			quoted = 0;
			break;
		}
		case FT_ID:
			snprintf(v, sizeof(v), "%lld", (long long)field_id(f->name, rs));
			quoted = 0;
			break;
		case FT_BOOL:
			snprintf(v, sizeof(v), "%s", json ? "true" : "1");
			quoted = 0;
			break;
		case FT_DATE:
			day(0, v);
			break;
		case FT_DATETIME: {
			char d[11];
			day(7, d);
			snprintf(v, sizeof(v), "%sT09:00:00+05:00", d);
			break;
		}
		case FT_ENUM:
			snprintf(v, sizeof(v), "%s", f->values[0]);
			break;
		case FT_SECRET:
			snprintf(v, sizeof(v), "%s", PASSWORD);
			break;
		case FT_LINE:
		case FT_TEXT:
		default: {
			size_t n = f->min > 16 ? (size_t)f->min : 16;
			if (f->max && (int64_t)n > f->max)
				n = (size_t)f->max;
			if (n >= sizeof(v))
				n = sizeof(v) - 1;
			if (strstr(f->name, "phone")) {
				snprintf(v, sizeof(v), "+7 701 000 00 00");
				break;
			}
			for (size_t i = 0; i < n; i++)
				v[i] = "accesscheck"[i % 11];
			v[n] = '\0';
			break;
		}
		}
		if (out.len)
			buf_adds(&out, json ? ", " : "&");
		if (json) {
			buf_printf(&out, quoted ? "\"%s\": \"%s\"" : "\"%s\": %s", f->name, v);
		} else {
			char *enc = tl_urlencode(v);
			buf_printf(&out, "%s=%s", f->name, enc);
			free(enc);
		}
	}
	return buf_detach(&out, NULL);
}

/* error.code of an API answer ("" if none). */
static void error_code(const struct tl_response *r, char *out, size_t outlen)
{
	json_error_t err;
	json_t *j = r->body.len ? json_loadb(r->body.ptr, r->body.len, 0, &err) : NULL;
	const char *s = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
	snprintf(out, outlen, "%s", s ? s : "");
	json_decref(j);
}

/* Whether the answer is a 303 to this path (with or without a query). */
static int redirects_to(const struct tl_response *r, const char *path)
{
	char loc[256];
	size_t n = strlen(path);
	return r->status == 303 && tl_response_header(r, "location", loc, sizeof(loc)) && !strncmp(loc, path, n) &&
	       (loc[n] == '\0' || loc[n] == '?');
}

/* ---------- the policy ---------- */

enum expect {
	E_GRANTED,         /* anything but 401/403, a redirect away, or a server error */
	E_FORBIDDEN,       /* 403 */
	E_SIGN_IN,         /* 401 on the API, 303 to /login on pages */
	E_CHANGE_PASSWORD, /* 403 password_change_required on the API, 303 to /account/password on pages */
};

static enum expect expected(const struct route *rt, const struct principal *p)
{
	if (authz_is_anonymous(rt->perm))
		return E_GRANTED; /* public, or metrics asked from loopback */
	if (p->kind == P_ANONYMOUS || p->kind == P_NO_SESSION)
		return E_SIGN_IN;
	if (p->kind == P_MUST_CHANGE && !(rt->flags & ROUTE_BEFORE_PASSWORD))
		return E_CHANGE_PASSWORD;
	return authz_scope(p->role, rt->perm) == SCOPE_NONE ? E_FORBIDDEN : E_GRANTED;
}

/* NULL if the answer fits the expectation, else what was expected. */
static const char *judge(enum expect e, const struct route *rt, const struct principal *p,
			 const struct tl_response *r)
{
	int api = (rt->flags & ROUTE_API) != 0;
	char code[64];
	error_code(r, code, sizeof(code));
	switch (e) {
	case E_GRANTED:
		if (r->status == 0 || r->status >= 500)
			return "an answer (granted), not a server error";
		if (r->status == 401 || r->status == 403)
			return "not 401/403 (the policy grants it)";
		/* Signing out ends on the sign-in page; nothing else may send a granted user there. */
		if ((redirects_to(r, "/login") && !signs_out(rt)) || redirects_to(r, "/account/password"))
			return "no redirect away (the policy grants it)";
		return NULL;
	case E_FORBIDDEN:
		if (r->status != 403)
			return "403 (the policy grants this role nothing here)";
		if (api && strcmp(code, "forbidden"))
			return "403 forbidden";
		return NULL;
	case E_SIGN_IN:
		if (!api) {
			if (!redirects_to(r, "/login"))
				return "303 to /login";
			return NULL;
		}
		if (r->status != 401)
			return "401";
		if (strcmp(code, p->kind == P_ANONYMOUS ? "unauthenticated" : "session_expired"))
			return p->kind == P_ANONYMOUS ? "401 unauthenticated" : "401 session_expired";
		return NULL;
	case E_CHANGE_PASSWORD:
		if (!api)
			return redirects_to(r, "/account/password") ? NULL : "303 to /account/password";
		if (r->status != 403 || strcmp(code, "password_change_required"))
			return "403 password_change_required";
		return NULL;
	}
	return "?";
}

static const char *expect_name(enum expect e)
{
	static const char *const names[] = {"granted", "denied", "sign-in", "password-change"};
	return names[e];
}

/* ---------- set-up ---------- */

static json_t *call(struct tl_client *c, const char *method, const char *path, const char *body, int want)
{
	int status;
	json_t *j = tl_api_json(c, method, path, body, &status);
	if (status != want)
		fail_msg("set-up: %s %s: %d %s (wanted %d)", method, path, status, tl_error_code(j), want);
	return j;
}

static int64_t create(struct tl_client *c, const char *path, const char *body)
{
	json_t *j = call(c, "POST", path, body, 201);
	int64_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	assert_true(id > 0);
	return id;
}

static void change(struct tl_client *c, const char *path, const char *body)
{
	json_decref(call(c, "POST", path, body, 200));
}

static int64_t make_org(const char *name, const char *kind, int district)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"name\": \"%s\", \"kind\": \"%s\", \"district_id\": %d}", name, kind, district);
	return create(&admin, "/api/v1/organisations", body);
}

static int64_t make_user(struct principal *p, const char *role, const char *extra)
{
	int64_t id = tl_create_user(&admin, p->login, role, PASSWORD, extra);
	sign_in(p);
	return id;
}

/* A local (UTC+5) date days from now, and a time on it. */
static void day(int days, char out[11])
{
	time_t t = time(NULL) + 5 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void at(int days, int hh, char out[32])
{
	char d[11];
	day(days, d);
	snprintf(out, 32, "%sT%02d:00:00+05:00", d, hh);
}

/* An appeal about a child, assigned to a psychologist, referred to an organisation; fills the set. */
static void casework(struct record_set *rs, const struct texts *t, int district, const char *category,
		     int64_t psychologist, int64_t refer_to)
{
	char body[1024], path[128];
	struct tl_client *coord = &who[PR_COORD].c;
	rs->district = district;
	rs->psychologist = psychologist;
	snprintf(body, sizeof(body),
		 "{\"surname\": \"%s\", \"given_name\": \"Аружан\", \"birth_date\": \"2010-04-04\", \"district_id\": %d, "
		 "\"care_status\": \"orphan\"}",
		 t->surname, district);
	rs->id[K_CHILD] = create(coord, "/api/v1/children", body);
	snprintf(body, sizeof(body),
		 "{\"channel\": \"helpline_111\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\", \"name\": "
		 "\"%s\", \"phone\": \"+7 701 234 56 78\"}, \"child_id\": %lld, \"category\": \"%s\", "
		 "\"risk\": \"medium\", \"district_id\": %d, \"summary\": \"%s\"}",
		 t->applicant, (long long)rs->id[K_CHILD], category, district, t->summary);
	rs->id[K_APPEAL] = create(coord, "/api/v1/appeals", body);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/assign", (long long)rs->id[K_APPEAL]);
	snprintf(body, sizeof(body), "{\"psychologist_id\": %lld}", (long long)psychologist);
	change(coord, path, body);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/referrals", (long long)rs->id[K_APPEAL]);
	snprintf(body, sizeof(body), "{\"organisation_id\": %lld, \"reason\": \"%s\", \"consent\": \"given\"}",
		 (long long)refer_to, t->reason);
	rs->id[K_REFERRAL] = create(coord, path, body);
}

/* A Meyirim attachment of the set's child to an organisation, with a mentor and a goal. */
static void attachment(struct record_set *rs, const struct texts *t, int64_t org)
{
	char body[1024], path[128];
	snprintf(body, sizeof(body),
		 "{\"child_id\": %lld, \"organisation_id\": %lld, \"mentors\": [{\"name\": \"%s\"}], "
		 "\"goals\": [{\"area\": \"education\", \"description\": \"%s\"}]}",
		 (long long)rs->id[K_CHILD], (long long)org, t->mentor, t->goal);
	rs->id[K_MENTORSHIP] = create(&who[PR_COORD].c, "/api/v1/mentorships", body);
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld", (long long)rs->id[K_MENTORSHIP]);
	json_t *j = call(&who[PR_COORD].c, "GET", path, NULL, 200);
	rs->mentor = json_integer_value(json_object_get(json_array_get(json_object_get(j, "mentors"), 0), "id"));
	rs->id[K_GOAL] = json_integer_value(json_object_get(json_array_get(json_object_get(j, "goals"), 0), "id"));
	json_decref(j);
	assert_true(rs->mentor > 0 && rs->id[K_GOAL] > 0);
}

/* A school in the programme, an approved lecturer (with an account, or none) and a lesson of theirs there. */
static void prevention(struct record_set *rs, const struct texts *t, int64_t school, int64_t lecturer_user, int hour)
{
	char body[1024], path[128], order[11], until[11], when[32], user[48] = "";
	struct tl_client *coord = &who[PR_COORD].c;
	rs->id[K_SCHOOL] = school;
	snprintf(path, sizeof(path), "/api/v1/schools/%lld", (long long)school);
	change(coord, path, "{\"pupils\": 600, \"in_programme\": true}");
	if (lecturer_user)
		snprintf(user, sizeof(user), ", \"user_id\": %lld", (long long)lecturer_user);
	snprintf(body, sizeof(body), "{\"full_name\": \"%s\", \"agency\": \"juvenile_police\"%s}", t->lecturer, user);
	rs->id[K_LECTURER] = create(coord, "/api/v1/lecturers", body);
	day(-3, order);
	day(365, until);
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld/approve", (long long)rs->id[K_LECTURER]);
	snprintf(body, sizeof(body), "{\"order_number\": \"12-П\", \"order_date\": \"%s\", \"valid_until\": \"%s\"}",
		 order, until);
	change(&who[PR_PROSECUTOR].c, path, body);
	at(7, hour, when);
	snprintf(body, sizeof(body),
		 "{\"school_id\": %lld, \"lecturer_id\": %lld, \"starts_at\": \"%s\", \"duration_min\": 45, "
		 "\"class_name\": \"%s\", \"topic\": \"bullying\", \"planned_pupils\": 25}",
		 (long long)school, (long long)rs->id[K_LECTURER], when, t->klass);
	rs->id[K_LESSON] = create(coord, "/api/v1/lessons", body);
}

/* A past prevention event of a district (and an organisation, 0 for the caller's). */
static int64_t event(struct tl_client *c, const struct texts *t, int district, int64_t org)
{
	char body[512], past[11], orgs[48] = "";
	day(-10, past);
	if (org)
		snprintf(orgs, sizeof(orgs), ", \"organisation_id\": %lld", (long long)org);
	snprintf(body, sizeof(body),
		 "{\"title\": \"%s\", \"kind\": \"parents_meeting\", \"held_on\": \"%s\", \"district_id\": %d, "
		 "\"organiser\": \"school\", \"participants\": 60%s}",
		 t->event, past, district, orgs);
	return create(c, "/api/v1/events", body);
}

static int start(void **state)
{
	(void)state;
	char pw[64], extra[128], body[512];
	db = tl_init_database(pw, sizeof(pw));
	tl_server_start(&server, db, NULL);
	tl_admin_session(&admin, server.port, pw);
	who[PR_ADMIN].c = admin;
	snprintf(who[PR_ADMIN].password, sizeof(who[PR_ADMIN].password), "Adm1n-Passw0rd!");

	int64_t school_a = make_org("№12 мектеп-гимназия", "school", 1);
	int64_t school_b = make_org("№3 мектеп", "school", 2);
	int64_t health_a = make_org("Семей қалалық №1 аурухана", "health", 1);
	int64_t health_b = make_org("Аягөз аудандық аурухана", "health", 2);
	int64_t prosecutor_org = make_org("Абай облысының прокуратурасы", "prosecutor", 1);
	int64_t ombudsman_org = make_org("Бала құқықтары жөніндегі уәкіл", "ombudsman", 1);
	/* Organisations for the organisation routes alone, which the administrator's forms may change freely. */
	int64_t spare_org = make_org("Қосалқы ұйым", "ngo", 1);
	int64_t spare_org_b = make_org("Екінші қосалқы ұйым", "ngo", 2);
	int64_t spare_district = create(&admin, "/api/v1/districts",
					"{\"code\": \"spare\", \"name_kk\": \"Қосалқы\", \"name_ru\": \"Запасной\", "
					"\"name_en\": \"Spare\", \"kind\": \"district\"}");

	make_user(&who[PR_COORD], "coordinator", NULL);
	make_user(&who[PR_COORD_D1], "coordinator", "\"district_id\": 1");
	int64_t psy = make_user(&who[PR_PSY], "psychologist", NULL);
	make_user(&who[PR_HEAD], "psychologist", "\"head\": true");
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)prosecutor_org);
	make_user(&who[PR_PROSECUTOR], "prosecutor", extra);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)ombudsman_org);
	make_user(&who[PR_OMBUDSMAN], "ombudsman", extra);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)school_a);
	make_user(&who[PR_SCHOOL], "school", extra);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)health_a);
	make_user(&who[PR_MENTOR], "mentor_org", extra);
	int64_t lecturer = make_user(&who[PR_LECTURER], "lecturer", NULL);
	int64_t psy2 = tl_create_user(&admin, "psytwo", "psychologist", PASSWORD, NULL);
	int64_t victim = tl_create_user(&admin, "victim", "coordinator", PASSWORD, NULL);

	/* A one-time password: signed in, not yet changed. */
	int status;
	json_t *j = tl_api_json(&admin, "POST", "/api/v1/users",
				"{\"login\": \"fresh\", \"full_name\": \"Test fresh\", \"role\": \"coordinator\"}", &status);
	assert_int_equal(status, 201);
	snprintf(who[PR_MUST_CHANGE].password, sizeof(who[PR_MUST_CHANGE].password), "%s",
		 json_string_value(json_object_get(j, "password")));
	json_decref(j);
	sign_in(&who[PR_MUST_CHANGE]);

	/* A cookie that was never a session. */
	snprintf(who[PR_UNKNOWN_COOKIE].c.cookie, sizeof(who[PR_UNKNOWN_COOKIE].c.cookie),
		 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	who[PR_UNKNOWN_COOKIE].c.port = server.port;
	/* A session left idle past the timeout (30 minutes by default): two hours, within the 12-hour maximum age. */
	int64_t idle = make_user(&who[PR_EXPIRED], "coordinator", NULL);
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "UPDATE session SET created_at = created_at - 7200, last_seen_at = last_seen_at - 7200 WHERE user_id = %lld",
		 (long long)idle);
	assert_int_equal(tl_sql(db, sql), 0);
	/* Signed in, then disabled by the administrator. */
	int64_t gone = make_user(&who[PR_DISABLED], "coordinator", NULL);
	snprintf(body, sizeof(body), "/api/v1/users/%lld", (long long)gone);
	change(&admin, body, "{\"active\": false}");

	/* home: district 1, our organisations, our psychologist and lecturer. */
	home.id[K_USER] = victim;
	home.id[K_DISTRICT] = spare_district;
	home.id[K_ORG] = spare_org;
	casework(&home, &home_texts, 1, "physical_violence", psy, ombudsman_org);
	attachment(&home, &home_texts, health_a);
	prevention(&home, &home_texts, school_a, lecturer, 10);
	home.id[K_EVENT] = event(&who[PR_SCHOOL].c, &home_texts, 1, 0);

	/* foreign: district 2, other organisations, another psychologist and lecturer; not about violence. */
	foreign.id[K_USER] = 0; /* accounts are the administrator's, region-wide */
	foreign.id[K_DISTRICT] = 2;
	foreign.id[K_ORG] = spare_org_b;
	casework(&foreign, &foreign_texts, 2, "bullying", psy2, health_b);
	attachment(&foreign, &foreign_texts, health_b);
	prevention(&foreign, &foreign_texts, school_b, 0, 12);
	foreign.id[K_EVENT] = event(&who[PR_COORD].c, &foreign_texts, 2, school_b);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

/* ---------- the matrix ---------- */

/* ---------- records out of the principal's scope, by id ---------- */

/* The scope the server applies: a region-wide grant narrows to the district of a user limited to one. */
static enum scope effective_scope(const struct principal *p, struct perm perm)
{
	enum scope s = authz_scope(p->role, perm);
	return s == SCOPE_REGION && p->district ? SCOPE_DISTRICT : s;
}

/*
 * Whether the foreign record is outside the principal's scope for the
 * route. Own and organisation scopes never cover it (another psychologist,
 * lecturer, school, Meyirim organisation; not about violence, not referred
 * to the prosecutor's office or the commissioner). A district scope covers
 * it unless the kind is bound to districts (enum district_bound).
 */
static int out_of_scope(const struct principal *p, const struct route *rt, int k)
{
	enum scope s = effective_scope(p, rt->perm);
	if (s == SCOPE_NONE || s == SCOPE_REGION)
		return 0; /* denied outright (the matrix), or everything is in scope */
	if (s != SCOPE_DISTRICT)
		return 1;
	return kinds[k].bound == BOUND_ALWAYS || (kinds[k].bound == BOUND_WRITES && rt->perm.action != ACT_READ);
}

/* Whether a 303 is the page's offer to break the glass: to /appeals/{id}/access or /children/{id}/access. */
static int offers_glass(const struct tl_response *r, const char *path)
{
	char loc[256], want[256];
	const char *third = strchr(path + 1, '/');
	third = third ? strchr(third + 1, '/') : NULL;
	size_t n = third ? (size_t)(third - path) : strlen(path);
	snprintf(want, sizeof(want), "%.*s/access", (int)n, path);
	return r->status == 303 && tl_response_header(r, "location", loc, sizeof(loc)) && !strcmp(loc, want) &&
	       (!strncmp(path, "/appeals/", 9) || !strncmp(path, "/children/", 10));
}

/*
 * Where the answer shows a foreign record the principal may not see (NULL
 * if it does not): MARK, or the foreign lecturer's name to one who may read
 * only their own lecturer record.
 */
static const char *foreign_text(const struct principal *p, const struct tl_response *r)
{
	const char *m = memmem(r->body.ptr, r->body.len, MARK, strlen(MARK));
	if (!m && p && effective_scope(p, (struct perm)PERM(READ, LECTURER)) < SCOPE_DISTRICT)
		m = memmem(r->body.ptr, r->body.len, MARK_LECTURER, strlen(MARK_LECTURER));
	return m;
}

/* NULL if an answer about an out-of-scope record keeps it out of reach, else what is wrong. */
static const char *kept_out(const struct principal *p, const struct tl_response *r, const char *path)
{
	if (foreign_text(p, r))
		return "an answer without the record's data";
	if (r->status == 403 || r->status == 404)
		return NULL;
	/* Input refused (before the record is used: nothing of it is shown, checked above). */
	if (r->status == 400 || r->status == 422)
		return NULL;
	if (offers_glass(r, path))
		return NULL;
	return "403/404";
}

/* One line about a wrong answer (how: what was sent, or what was expected of it). */
static void describe(struct buf *out, const struct route *rt, const char *path, const struct principal *p,
		     const char *how, const struct tl_response *r, const char *want)
{
	char code[64], loc[128] = "";
	error_code(r, code, sizeof(code));
	if (r->status >= 300 && r->status < 400 && tl_response_header(r, "location", loc + 3, sizeof(loc) - 3))
		memcpy(loc, " ->", 3);
	buf_printf(out, "  %-22s %-6s %-34s %-18s %-9s got %d %s%s, expected %s\n", rt->name, rt->method, path,
		   p->name, how, r->status, code, loc, want);
	/* Where the record shows, a line of the answer around it. */
	const char *m = foreign_text(p, r);
	if (m) {
		const char *from = m, *to = m;
		while (from > r->body.ptr && m - from < 80 && from[-1] != '\n')
			from--;
		while (to < r->body.ptr + r->body.len && to - m < 80 && *to != '\n')
			to++;
		buf_printf(out, "      …%.*s…\n", (int)(to - from), from);
	}
}

/* Send a route as the principal with no input and with plausible input; count and describe what is wrong. */
static void probe(const struct route *rt, const char *path, const struct principal *p, const char *fields,
		  const char *(*check)(const struct principal *, const struct tl_response *, const char *), size_t *pairs,
		  size_t *violations, struct buf *bad)
{
	for (int pass = 0; pass < (is_read(rt) ? 1 : 2); pass++) {
		struct tl_response r;
		send_as(p, rt, path, pass ? fields : NULL, &r);
		const char *want = check(p, &r, path);
		++*pairs;
		if (want) {
			++*violations;
			describe(bad, rt, path, p, is_read(rt) ? "" : pass ? "input" : "empty", &r, want);
		}
		tl_response_release(&r);
	}
}

static void report(const char *what, size_t pairs, size_t violations, struct buf *bad)
{
	printf("access matrix: checked %zu %s\n", pairs, what);
	if (violations) {
		printf("access matrix: %zu answers break the policy:\n%s", violations, bad->ptr);
		fflush(stdout);
	}
	buf_release(bad);
	if (violations)
		fail_msg("%zu of %zu %s break the policy (listed above)", violations, pairs, what);
}

static void test_every_route_for_every_principal(void **state)
{
	(void)state;
	struct buf bad = BUF_INIT;
	size_t pairs = 0, violations = 0, by_expect[4] = {0}, granted_2xx = 0;
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		char path[256];
		fill(rt->pattern, &home, path, sizeof(path));
		for (size_t k = 0; k < PR_COUNT; k++) {
			struct principal *p = &who[k];
			enum expect e = expected(rt, p);
			struct tl_response r;
			send_as(p, rt, path, NULL, &r);
			const char *want = judge(e, rt, p, &r);
			pairs++;
			by_expect[e]++;
			granted_2xx += e == E_GRANTED && r.status >= 200 && r.status < 300;
			if (want) {
				violations++;
				describe(&bad, rt, path, p, expect_name(e), &r, want);
			}
			tl_response_release(&r);
			if (signs_out(rt) && (p->kind == P_USER || p->kind == P_MUST_CHANGE))
				sign_in(p);
		}
	}
	printf("access matrix: %zu routes × %d principals: %zu granted (%zu answered 2xx), %zu denied, "
	       "%zu sent to sign in, %zu sent to change the password\n",
	       route_count, PR_COUNT, by_expect[E_GRANTED], granted_2xx, by_expect[E_FORBIDDEN], by_expect[E_SIGN_IN],
	       by_expect[E_CHANGE_PASSWORD]);
	report("route×principal pairs", pairs, violations, &bad);
}

static void test_out_of_scope_by_id(void **state)
{
	(void)state;
	struct buf bad = BUF_INIT;
	size_t pairs = 0, violations = 0;
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		int k = kind_index(rt->pattern);
		char path[256];
		/* Break the glass is asked for precisely on records outside one's scope. */
		if (k < 0 || !foreign.id[kinds[k].kind] || rt->perm.resource == RES_ACCESS_GRANT)
			continue;
		if (!fill(rt->pattern, &foreign, path, sizeof(path)))
			continue;
		char *fields = plausible_fields(rt, &foreign);
		for (size_t w = 0; w < PR_COUNT; w++)
			if (who[w].kind == P_USER && out_of_scope(&who[w], rt, k))
				probe(rt, path, &who[w], fields, kept_out, &pairs, &violations, &bad);
		free(fields);
	}
	report("requests for records outside the caller's scope", pairs, violations, &bad);
}

/* ---------- lists and exports ---------- */

/* Resources whose lists are filtered by the caller's scope, and whose foreign records carry MARK. */
static int scoped_list(struct perm perm)
{
	switch (perm.resource) {
	case RES_APPEAL:
	case RES_CONSULTATION:
	case RES_REFERRAL:
	case RES_CHILD:
	case RES_MENTORSHIP:
	case RES_CONTACT:
	case RES_LECTURER:
	case RES_LESSON:
	case RES_EVENT:
		return 1;
	default:
		return 0;
	}
}

static const char *no_foreign_rows(const struct principal *p, const struct tl_response *r, const char *path)
{
	(void)path;
	return foreign_text(p, r) ? "no row outside the caller's scope" : NULL;
}

static void test_lists_keep_to_the_scope(void **state)
{
	(void)state;
	struct buf bad = BUF_INIT;
	size_t pairs = 0, violations = 0;
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		char path[256];
		if (!is_read(rt) || !scoped_list(rt->perm) || fill(rt->pattern, &home, path, sizeof(path)))
			continue;
		for (size_t w = 0; w < PR_COUNT; w++) {
			enum scope s = effective_scope(&who[w], rt->perm);
			if (who[w].kind == P_USER && s != SCOPE_NONE && s != SCOPE_REGION)
				probe(rt, path, &who[w], NULL, no_foreign_rows, &pairs, &violations, &bad);
		}
	}
	report("lists and exports for scoped callers", pairs, violations, &bad);
}

/* ---------- break the glass: reading only ---------- */

/* After breaking the glass: reads open (not 401/403/404, no server error). */
static const char *opened(const struct principal *p, const struct tl_response *r, const char *path)
{
	(void)p;
	(void)path;
	if (r->status == 0 || r->status >= 500)
		return "an answer, not a server error";
	if (r->status == 401 || r->status == 403 || r->status == 404)
		return "the record (the glass is broken)";
	return NULL;
}

/* After breaking the glass: no change goes through (the grant is for reading). */
static const char *unchanged(const struct principal *p, const struct tl_response *r, const char *path)
{
	(void)p;
	(void)path;
	if (r->status >= 200 && r->status < 400)
		return "403/404/422 (a grant opens the record for reading only)";
	if (r->status == 0 || r->status >= 500)
		return "an answer, not a server error";
	return NULL;
}

static void test_break_the_glass_is_for_reading(void **state)
{
	(void)state;
	struct principal *p = &who[PR_COORD_D1];
	char body[256];
	snprintf(body, sizeof(body),
		 "{\"resource\": \"appeal\", \"resource_id\": %lld, \"reason\": \"Бала біздің ауданға көшіп келді\"}",
		 (long long)foreign.id[K_APPEAL]);
	json_decref(call(&p->c, "POST", "/api/v1/access-grants", body, 201));
	snprintf(body, sizeof(body),
		 "{\"resource\": \"child\", \"resource_id\": %lld, \"reason\": \"Бала біздің ауданға көшіп келді\"}",
		 (long long)foreign.id[K_CHILD]);
	json_decref(call(&p->c, "POST", "/api/v1/access-grants", body, 201));

	struct buf bad = BUF_INIT;
	size_t pairs = 0, violations = 0;
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		int k = kind_index(rt->pattern);
		char path[256];
		if (k < 0 || (kinds[k].kind != K_APPEAL && kinds[k].kind != K_CHILD) ||
		    rt->perm.resource == RES_ACCESS_GRANT || effective_scope(p, rt->perm) == SCOPE_NONE)
			continue;
		if (!fill(rt->pattern, &foreign, path, sizeof(path)))
			continue;
		char *fields = plausible_fields(rt, &foreign);
		probe(rt, path, p, fields, rt->perm.action == ACT_READ ? opened : unchanged, &pairs, &violations, &bad);
		free(fields);
	}
	report("requests through a broken glass", pairs, violations, &bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_for_every_principal),
		cmocka_unit_test(test_out_of_scope_by_id),
		cmocka_unit_test(test_lists_keep_to_the_scope),
		cmocka_unit_test(test_break_the_glass_is_for_reading),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
