/*
 * What a hostile client tries (issue 8), and what the server must answer.
 *
 *  1. Stored XSS: every free text of every kind of record holds markup
 *     (<script>…, "'><img src=x onerror=…>), each with its own number;
 *     every page of the route table, as every role, must show it only
 *     escaped — and each text must show escaped somewhere (else the check
 *     could not fail). The JSON API returns the same text as JSON strings,
 *     as application/json. Reflected XSS: the markup in every query field
 *     of every GET route and in every field of every form.
 *  2. Header injection: CR/LF (and look-alikes) in redirect targets never
 *     make a header; redirects stay on this site; export file names are
 *     our own.
 *  3. Path traversal on /static (and /ics): 404, never a file.
 *  4. Session fixation: a cookie chosen before signing in is never a
 *     session; signing out ends the session on the server.
 *  5. CSRF: every form route and every cookie-authenticated API write,
 *     without the token, with a wrong one and with another session's, is
 *     refused (403) and changes nothing (the tables compared before and
 *     after).
 *  6. Sign-in throttling (a server of its own): repeated failures lock the
 *     account (429, clear message), the right password is refused while
 *     locked, an unknown login gets the same answers, a client address
 *     with too many failures is refused (and only that address), and a
 *     burst of concurrent guesses gets no more tries than one at a time.
 *  7. Slow clients (a server of its own, --request-timeout 2): headers or a
 *     body sent a byte at a time and idle connections are closed in time
 *     while other clients are answered at once; oversized bodies get 413
 *     and oversized heads 431, at once.
 *  8. SQL injection smoke: quotes, comments and stacked statements in every
 *     query field of every GET route and in path ids: 4xx or an ordinary
 *     answer with no extra rows, never a server error; the tables are all
 *     there and unchanged afterwards.
 *
 * Every finding is listed (route, input, what was seen) before a test
 * fails. Both backends.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "domain/authz.h"
#include "http/router.h"
#include "lib/testlib.h"

#define PASSWORD "Strong-Pass-2026"

static struct tl_server server;
static struct tl_server side; /* the sign-in and slow-client tests' own server */
static const char *db;

/* A failed set-up or assertion must not leave a server running. */
static void kill_leftovers(void)
{
	if (server.pid > 0)
		tl_server_kill(&server);
	if (side.pid > 0)
		tl_server_kill(&side);
}

/* ---------- findings ---------- */

struct findings {
	struct buf text;
	size_t n;
	size_t checked;
};

static void found(struct findings *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void found(struct findings *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	f->n++;
	if (f->n <= 200) { /* enough to act on */
		buf_adds(&f->text, "  ");
		buf_vprintf(&f->text, fmt, ap);
		buf_addc(&f->text, '\n');
	}
	va_end(ap);
}

/* Print what was found and fail if anything was. */
static void report(const char *what, struct findings *f)
{
	printf("attacks: %s: %zu checks, %zu findings\n", what, f->checked, f->n);
	if (f->n) {
		printf("%s%s", f->text.ptr, f->n > 200 ? "  …\n" : "");
		fflush(stdout);
	}
	size_t n = f->n, checked = f->checked;
	buf_release(&f->text);
	memset(f, 0, sizeof(*f));
	if (n)
		fail_msg("%s: %zu of %zu checks found a problem (listed above)", what, n, checked);
}

/* Up to 60 bytes either side of at, on one line, for a finding. */
static const char *excerpt(const struct buf *b, const char *at, char *out, size_t outlen)
{
	const char *from = at - 60 < b->ptr ? b->ptr : at - 60;
	const char *to = at + 60 > b->ptr + b->len ? b->ptr + b->len : at + 60;
	size_t o = 0;
	for (const char *p = from; p < to && o + 1 < outlen; p++)
		out[o++] = (*p == '\n' || *p == '\r' || *p == '\t') ? ' ' : *p;
	out[o] = '\0';
	return out;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------- the payloads ---------- */

/*
 * One planted text: markup numbered by its tag, so that each field's text
 * is recognised on its own. Brief ones fit fields of 30 characters.
 */
struct plant {
	char what[80];
	char text[100];
	char escaped[200];
	const char *page;  /* where its escaped form was first seen */
	int in_json;
};

static struct plant plants[128];
static int nplants;

static const char *plant(const char *what, int brief)
{
	if (nplants >= (int)(sizeof(plants) / sizeof(plants[0])))
		fail_msg("too many planted texts");
	struct plant *p = &plants[nplants++];
	int tag = nplants;
	snprintf(p->what, sizeof(p->what), "%s", what);
	if (brief) {
		snprintf(p->text, sizeof(p->text), "<svg/onload=alert(%d)>", tag);
		snprintf(p->escaped, sizeof(p->escaped), "&lt;svg/onload=alert(%d)&gt;", tag);
	} else {
		snprintf(p->text, sizeof(p->text), "<script>alert(%d)</script>\"'><img src=x onerror=alert(%d)>", tag,
			 tag);
		snprintf(p->escaped, sizeof(p->escaped),
			 "&lt;script&gt;alert(%d)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(%d)&gt;", tag,
			 tag);
	}
	return p->text;
}

/* For reflected XSS: not planted, never expected anywhere. */
#define REFLECT_FULL "<script>alert(900)</script>\"'><img src=x onerror=alert(900)>"
#define REFLECT_BRIEF "<svg/onload=alert(901)>"

/* Markup that must never reach a page unescaped. */
static const char *const markers[] = {"<script>alert(", "<img src=x", "<svg/onload=", NULL};

static const char *raw_marker(const struct tl_response *r)
{
	for (const char *const *m = markers; *m; m++) {
		const char *at = memmem(r->body.ptr, r->body.len, *m, strlen(*m));
		if (at)
			return at;
	}
	return NULL;
}

/* ---------- people and records ---------- */

enum { P_ADMIN, P_COORD, P_PSY, P_HEAD, P_PROSECUTOR, P_OMBUDSMAN, P_SCHOOL, P_MENTOR, P_LECTURER, P_COUNT };

struct person {
	const char *login;
	const char *role; /* as stored */
	enum role effective;
	const char *lang; /* the language cookie: each language is seen by someone */
	int64_t id;
	struct tl_client c;
};

static struct person people[P_COUNT] = {
	[P_ADMIN] = {"admin", "admin", ROLE_ADMIN, "kk", 0, {0}},
	[P_COORD] = {"xcoord", "coordinator", ROLE_COORDINATOR, "en", 0, {0}},
	[P_PSY] = {"xpsy", "psychologist", ROLE_PSYCHOLOGIST, "ru", 0, {0}},
	[P_HEAD] = {"xhead", "psychologist", ROLE_HEAD_PSYCHOLOGIST, "kk", 0, {0}},
	[P_PROSECUTOR] = {"xprok", "prosecutor", ROLE_PROSECUTOR, "ru", 0, {0}},
	[P_OMBUDSMAN] = {"xombud", "ombudsman", ROLE_OMBUDSMAN, "en", 0, {0}},
	[P_SCHOOL] = {"xschool", "school", ROLE_SCHOOL, "kk", 0, {0}},
	[P_MENTOR] = {"xmentor", "mentor_org", ROLE_MENTOR_ORG, "ru", 0, {0}},
	[P_LECTURER] = {"xlect", "lecturer", ROLE_LECTURER, "en", 0, {0}},
};

enum kind { K_USER, K_DISTRICT, K_ORG, K_APPEAL, K_REFERRAL, K_CHILD, K_MENTORSHIP, K_GOAL, K_SCHOOL, K_LECTURER,
	    K_LESSON, K_EVENT, K_COUNT };

/* The first path segment (after /api/v1 or /admin) names the kind of record an {id} is. */
static const struct {
	const char *segment;
	enum kind kind;
} kinds[] = {
	{"users", K_USER},	   {"districts", K_DISTRICT}, {"organisations", K_ORG}, {"appeals", K_APPEAL},
	{"referrals", K_REFERRAL}, {"children", K_CHILD},     {"mentorships", K_MENTORSHIP}, {"meyirim", K_MENTORSHIP},
	{"goals", K_GOAL},	   {"schools", K_SCHOOL},     {"lecturers", K_LECTURER}, {"lessons", K_LESSON},
	{"events", K_EVENT},
};

struct idset {
	int64_t id[K_COUNT];
	int64_t mentor; /* the second {id} of /mentorships/{id}/mentors/{id} */
};

/* main: the records every page is read with; alt, third: the others; forms: what forms may change. */
static struct idset main_ids, alt_ids, third_ids, form_ids;
static int64_t org_health, org_school, org_prosecutor, psy_id;
static char ics_name[80] = "0123456789abcdef0123456789abcdef.ics";

#define NO_SUCH_ID 999999

static int kind_of(const char *pattern)
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
				return (int)kinds[i].kind;
		return -1;
	}
	return -1;
}

/* The pattern with its parameters filled from a set (an id the set lacks: one nobody has). */
static void fill(const char *pattern, const struct idset *ids, char *out, size_t outlen)
{
	int k = kind_of(pattern), nids = 0;
	size_t o = 0;
	for (const char *p = pattern; *p && o + 100 < outlen;) {
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
			if (nids == 0 && k >= 0 && ids->id[k])
				id = ids->id[k];
			else if (nids == 1 && ids->mentor)
				id = ids->mentor;
			o += (size_t)snprintf(out + o, outlen - o, "%lld", (long long)id);
			nids++;
		} else if (n == 4 && !strncmp(name, "file", 4)) {
			o += (size_t)snprintf(out + o, outlen - o, "qorgau.css");
		} else {
			o += (size_t)snprintf(out + o, outlen - o, "%s", ics_name);
		}
	}
	out[o] = '\0';
}

static int is_read(const struct route *rt)
{
	return !strcmp(rt->method, "GET");
}

/* The first person whose role the policy lets use the route (coordinators first); NULL if none. */
static struct person *who_may(const struct route *rt)
{
	static const int order[] = {P_COORD,	 P_ADMIN,  P_HEAD,   P_PSY,	 P_PROSECUTOR,
				    P_OMBUDSMAN, P_SCHOOL, P_MENTOR, P_LECTURER};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct person *p = &people[order[i]];
		if (authz_is_anonymous(rt->perm) || authz_scope(p->effective, rt->perm) != SCOPE_NONE)
			return p;
	}
	return NULL;
}

/*
 * One request as a person (NULL: nobody) with their session cookie and
 * language; headers: more header lines joined by "\r\n" (may be NULL).
 */
static int as(const struct person *p, const char *lang, const char *method, const char *path, const char *headers,
	      const char *body, struct tl_response *r)
{
	char h[4096];
	size_t n = (size_t)snprintf(h, sizeof(h), "Cookie: qorgau_lang=%s%s%s", lang ? lang : p ? p->lang : "en",
				    p ? "; qorgau_session=" : "", p ? p->c.cookie : "");
	if (headers && *headers)
		snprintf(h + n, sizeof(h) - n, "\r\n%s", headers);
	if (tl_http(server.port, method, path, h, body, r) != 0)
		r->status = 0;
	return r->status;
}

/* ---------- plausible input from a route's declared fields ---------- */

static void day(int days, char out[11])
{
	time_t t = time(NULL) + 5 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int64_t field_id(const char *name, const struct idset *ids)
{
	static const struct {
		const char *name;
		enum kind kind;
	} by_name[] = {
		{"child_id", K_CHILD},	   {"duplicate_id", K_CHILD}, {"organisation_id", K_ORG}, {"school_id", K_SCHOOL},
		{"lecturer_id", K_LECTURER}, {"goal_id", K_GOAL},	  {"resource_id", K_APPEAL},
	};
	if (!strcmp(name, "district_id"))
		return 1;
	if (!strcmp(name, "psychologist_id") || !strcmp(name, "assignee_id"))
		return psy_id;
	if (!strcmp(name, "organisation_id"))
		return org_health;
	for (size_t i = 0; i < sizeof(by_name) / sizeof(by_name[0]); i++)
		if (!strcmp(name, by_name[i].name) && ids->id[by_name[i].kind])
			return ids->id[by_name[i].kind];
	return NO_SUCH_ID;
}

enum vkind { V_STRING, V_INT, V_BOOL };
struct value {
	enum vkind kind;
	char s[256];
	long long i;
};

/*
 * A value a careful client might send for a field, with markup (full, or
 * brief where the full one is too long) in free texts when given.
 */
static void plausible(const struct field *f, const struct idset *ids, const char *full, const char *brief,
		      struct value *v)
{
	static unsigned counter;
	memset(v, 0, sizeof(*v));
	v->kind = V_STRING;
	size_t len = strlen(f->name);
	switch (f->type) {
	case FT_INT:
		v->kind = V_INT;
		v->i = f->min > 1 ? f->min : f->max >= 1 ? 1 : f->min;
		if (len > 3 && !strcmp(f->name + len - 3, "_id"))
			v->i = field_id(f->name, ids);
		return;
	case FT_ID:
		v->kind = V_INT;
		v->i = field_id(f->name, ids);
		return;
	case FT_BOOL:
		v->kind = V_BOOL;
		v->i = 1;
		return;
	case FT_DATE:
		day(0, v->s);
		return;
	case FT_DATETIME: {
		char d[11];
		day(7, d);
		snprintf(v->s, sizeof(v->s), "%sT09:00:00+05:00", d);
		return;
	}
	case FT_ENUM:
		snprintf(v->s, sizeof(v->s), "%s", f->values[0]);
		return;
	case FT_SECRET:
		snprintf(v->s, sizeof(v->s), "%s", PASSWORD);
		return;
	default:
		break;
	}
	/* Lines with a format of their own get a valid one; codes and logins are unique. */
	if (strstr(f->name, "phone")) {
		snprintf(v->s, sizeof(v->s), "+7 701 000 00 00");
	} else if (strstr(f->name, "email")) {
		snprintf(v->s, sizeof(v->s), "someone@example.kz");
	} else if (!strcmp(f->name, "iin")) {
		snprintf(v->s, sizeof(v->s), "110506600017");
	} else if (!strcmp(f->name, "login") || !strcmp(f->name, "code")) {
		snprintf(v->s, sizeof(v->s), "plausible%u", counter++);
	} else if (full && (int64_t)strlen(full) <= f->max && (int64_t)strlen(full) >= f->min) {
		snprintf(v->s, sizeof(v->s), "%s", full);
	} else if (brief && (int64_t)strlen(brief) <= f->max && (int64_t)strlen(brief) >= f->min) {
		snprintf(v->s, sizeof(v->s), "%s", brief);
	} else {
		size_t n = f->min > 16 ? (size_t)f->min : 16;
		if (f->max && (int64_t)n > f->max)
			n = (size_t)f->max;
		if (n >= sizeof(v->s))
			n = sizeof(v->s) - 1;
		for (size_t i = 0; i < n; i++)
			v->s[i] = "plausible text "[i % 15];
		v->s[n] = '\0';
		if (n && v->s[n - 1] == ' ')
			v->s[n - 1] = 'x';
	}
}

/* Whether a field is left out of built input (lists; the other members of arrays). */
static int skipped(const struct field *f)
{
	if (f->type == FT_ID_LIST || f->type == FT_ENUM_LIST)
		return 1;
	for (const char *d = strchr(f->name, '.'); d; d = strchr(d + 1, '.'))
		if (d[1] >= '1' && d[1] <= '9')
			return 1;
	return 0;
}

/* Set a dotted member: "a.b" nests objects, "a.0.b" an array of objects. */
static void json_set_path(json_t *root, const char *name, json_t *value)
{
	const char *dot = strchr(name, '.');
	if (!dot) {
		json_object_set_new(root, name, value);
		return;
	}
	char key[64];
	snprintf(key, sizeof(key), "%.*s", (int)(dot - name), name);
	const char *rest = dot + 1;
	json_t *child = json_object_get(root, key);
	if (rest[0] >= '0' && rest[0] <= '9') {
		if (!child) {
			child = json_array();
			json_object_set_new(root, key, child);
		}
		size_t idx = strtoul(rest, NULL, 10);
		const char *after = strchr(rest, '.');
		while (json_array_size(child) <= idx)
			json_array_append_new(child, json_object());
		if (after)
			json_set_path(json_array_get(child, idx), after + 1, value);
		return;
	}
	if (!child) {
		child = json_object();
		json_object_set_new(root, key, child);
	}
	json_set_path(child, rest, value);
}

/* The route's input as a JSON body (caller frees). */
static char *json_input(const struct route *rt, const struct idset *ids, const char *full, const char *brief)
{
	json_t *o = json_object();
	for (const struct field *f = rt->fields; f && f->name; f++) {
		if (skipped(f))
			continue;
		struct value v;
		plausible(f, ids, full, brief, &v);
		json_set_path(o, f->name,
			      v.kind == V_INT ? json_integer(v.i) : v.kind == V_BOOL ? json_true() : json_string(v.s));
	}
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

/* The route's input as form fields, without _csrf (caller frees; "" when none). */
static char *form_input(const struct route *rt, const struct idset *ids, const char *full, const char *brief)
{
	struct buf out = BUF_INIT;
	for (const struct field *f = rt->fields; f && f->name; f++) {
		if (skipped(f))
			continue;
		struct value v;
		plausible(f, ids, full, brief, &v);
		if (out.len)
			buf_addc(&out, '&');
		if (v.kind == V_INT) {
			buf_printf(&out, "%s=%lld", f->name, v.i);
		} else if (v.kind == V_BOOL) {
			buf_printf(&out, "%s=1", f->name);
		} else {
			char *e = tl_urlencode(v.s);
			buf_printf(&out, "%s=%s", f->name, e);
			free(e);
		}
	}
	if (!out.len)
		return calloc(1, 1);
	return buf_detach(&out, NULL);
}

/* Whether a route takes free text (a line or a text field). */
static int takes_text(const struct route *rt)
{
	for (const struct field *f = rt->fields; f && f->name; f++)
		if ((f->type == FT_LINE || f->type == FT_TEXT) && !skipped(f))
			return 1;
	return 0;
}

/* ---------- set-up: records whose every free text is markup ---------- */

static json_t *call(struct tl_client *c, const char *method, const char *path, json_t *body, int want)
{
	char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	json_decref(body);
	int status;
	json_t *j = tl_api_json(c, method, path, text, &status);
	/* Set-up only: an action may answer 200 or 201, whichever it does. */
	if (status != want && !(want == 201 && status == 200)) {
		const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
		fail_msg("set-up: %s %s: %d %s (%s), wanted %d; sent %s", method, path, status, tl_error_code(j),
			 msg ? msg : "", want, text ? text : "");
	}
	free(text);
	return j;
}

static int64_t id_of(json_t *j)
{
	json_t *id = json_object_get(j, "id");
	if (!id)
		id = json_object_get(json_object_get(j, "user"), "id");
	int64_t v = json_integer_value(id);
	json_decref(j);
	assert_true(v > 0);
	return v;
}

static int64_t create(struct tl_client *c, const char *path, json_t *body)
{
	return id_of(call(c, "POST", path, body, 201));
}

static void change(struct tl_client *c, const char *path, json_t *body)
{
	json_decref(call(c, "POST", path, body, 200));
}

static void sign_in(struct person *p)
{
	int st = tl_login(&p->c, server.port, p->login, PASSWORD);
	if (st != 200)
		fail_msg("set-up: %s cannot sign in: %d", p->login, st);
}

static int64_t make_person(struct person *p, int head, int64_t org)
{
	char what[64];
	snprintf(what, sizeof(what), "full name of user %s", p->login);
	json_t *b = json_pack("{s:s, s:s, s:s, s:s}", "login", p->login, "full_name", plant(what, 0), "role", p->role,
			      "password", PASSWORD);
	if (head)
		json_object_set_new(b, "head", json_true());
	if (org)
		json_object_set_new(b, "organisation_id", json_integer(org));
	p->id = create(&people[P_ADMIN].c, "/api/v1/users", b);
	sign_in(p);
	return p->id;
}

static int64_t make_org(const char *kind, int plain)
{
	json_t *b = json_pack("{s:s, s:s, s:i}", "name", plain ? "Қосалқы ұйым" : plant("organisation name", 0), "kind",
			      kind, "district_id", 1);
	if (!plain) {
		json_object_set_new(b, "name_ru", json_string(plant("organisation name (ru)", 0)));
		json_object_set_new(b, "address", json_string(plant("organisation address", 0)));
	}
	return create(&people[P_ADMIN].c, "/api/v1/organisations", b);
}

static int64_t make_child(const char *tagword)
{
	char w[64];
#define CHILD_TEXT(field) (snprintf(w, sizeof(w), "%s child: " field, tagword), plant(w, 0))
	json_t *b = json_object();
	json_object_set_new(b, "surname", json_string(CHILD_TEXT("surname")));
	json_object_set_new(b, "given_name", json_string(CHILD_TEXT("given name")));
	json_object_set_new(b, "patronymic", json_string(CHILD_TEXT("patronymic")));
	json_object_set_new(b, "birth_date", json_string("2011-05-06"));
	json_object_set_new(b, "sex", json_string("F"));
	json_object_set_new(b, "district_id", json_integer(1));
	json_object_set_new(b, "care_status", json_string("orphan"));
	json_object_set_new(b, "institution", json_string(CHILD_TEXT("institution")));
	json_object_set_new(b, "guardian", json_pack("{s:s, s:s}", "name", CHILD_TEXT("guardian name"), "phone",
						     "+7 701 234 56 78"));
	json_object_set_new(b, "school", json_string(CHILD_TEXT("school")));
	json_object_set_new(b, "notes", json_string(CHILD_TEXT("notes")));
	json_object_set_new(b, "confirm_new", json_true());
#undef CHILD_TEXT
	return create(&people[P_COORD].c, "/api/v1/children", b);
}

static int64_t make_appeal(int64_t child, const char *category, const char *tagword)
{
	char w1[64], w2[64];
	snprintf(w1, sizeof(w1), "%s appeal: applicant name", tagword);
	snprintf(w2, sizeof(w2), "%s appeal: summary", tagword);
	const char *name = plant(w1, 0), *summary = plant(w2, 0);
	return create(&people[P_COORD].c, "/api/v1/appeals",
		      json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:I, s:s, s:s, s:i, s:s}", "channel", "helpline_111",
				"kind", "report", "applicant", "type", "parent", "name", name, "phone", "+7 701 234 56 78",
				"child_id", (json_int_t)child, "category", category, "risk", "high", "district_id", 1,
				"summary", summary));
}

/* A path from a pattern with one id (fmt: a literal with %lld). */
#define PATH(out, fmt, id) snprintf((out), sizeof(out), (fmt), (long long)(id))

/* Casework on the main appeal: assignment, a consultation, a referral and its answer, an extension, a flag. */
static void casework(int64_t appeal)
{
	char path[128], yesterday[11];
	struct tl_client *coord = &people[P_COORD].c;
	PATH(path, "/api/v1/appeals/%lld/assign", appeal);
	change(coord, path, json_pack("{s:I}", "psychologist_id", (json_int_t)psy_id));

	day(-1, yesterday);
	char held[32];
	snprintf(held, sizeof(held), "%sT10:00:00+05:00", yesterday);
	PATH(path, "/api/v1/appeals/%lld/consultations", appeal);
	const char *participants = plant("consultation participants", 0), *notes = plant("consultation notes", 0);
	json_decref(call(&people[P_PSY].c, "POST", path,
			 json_pack("{s:s, s:i, s:s, s:s, s:s}", "held_at", held, "duration_min", 45, "format", "in_person",
				   "participants", participants, "notes", notes),
			 201));

	PATH(path, "/api/v1/appeals/%lld/referrals", appeal);
	const char *reason = plant("referral reason", 0), *ground = plant("referral legal ground", 0);
	main_ids.id[K_REFERRAL] = create(coord, path,
					 json_pack("{s:I, s:s, s:s, s:s}", "organisation_id", (json_int_t)org_health, "reason",
						   reason, "consent", "given", "legal_ground", ground));
	PATH(path, "/api/v1/referrals/%lld/answer", main_ids.id[K_REFERRAL]);
	change(&people[P_MENTOR].c, path,
	       json_pack("{s:s, s:s}", "status", "accepted", "answer", plant("referral answer", 0)));

	/* An extension: to a working day after the due date, within two months. */
	PATH(path, "/api/v1/appeals/%lld", appeal);
	json_t *a = call(coord, "GET", path, NULL, 200);
	const char *due = json_string_value(json_object_get(a, "due_on"));
	assert_non_null(due);
	struct tm tm = {0};
	strptime(due, "%Y-%m-%d", &tm);
	json_decref(a);
	const char *ext_reason = plant("extension reason", 0);
	PATH(path, "/api/v1/appeals/%lld/extend", appeal);
	int extended = 0;
	for (int d = 3; d < 20 && !extended; d++) {
		struct tm t = tm;
		t.tm_mday += d;
		t.tm_hour = 12;
		time_t tt = timegm(&t);
		gmtime_r(&tt, &t);
		char until[11];
		strftime(until, sizeof(until), "%Y-%m-%d", &t);
		int status;
		json_t *b = json_pack("{s:s, s:s}", "until", until, "reason", ext_reason);
		char *body = json_dumps(b, JSON_COMPACT);
		json_decref(b);
		json_decref(tl_api_json(coord, "POST", path, body, &status));
		free(body);
		extended = status == 200;
	}
	if (!extended)
		fail_msg("set-up: no extension date was accepted");
	PATH(path, "/api/v1/appeals/%lld/flag", appeal);
	change(coord, path, json_pack("{s:b, s:s}", "flagged", 1, "reason", plant("flag reason", 0)));
}

/* A Meyirim attachment with mentors, goals, progress and a contact; another one ended. */
static void meyirim(int64_t child, int64_t child2)
{
	char path[128], yesterday[11];
	struct tl_client *coord = &people[P_COORD].c;
	const char *mname = plant("mentor name", 0), *mpos = plant("mentor position", 0);
	const char *goal = plant("goal description", 0);
	char began[11];
	day(-30, began);
	main_ids.id[K_MENTORSHIP] = create(
		coord, "/api/v1/mentorships",
		json_pack("{s:I, s:I, s:s, s:[{s:s, s:s, s:s}], s:[{s:s, s:s}]}", "child_id", (json_int_t)child,
			  "organisation_id", (json_int_t)org_health, "started_on", began, "mentors", "name", mname,
			  "position", mpos, "phone", "+7 701 000 00 00", "goals", "area", "education", "description", goal));
	PATH(path, "/api/v1/mentorships/%lld", main_ids.id[K_MENTORSHIP]);
	json_t *j = call(coord, "GET", path, NULL, 200);
	main_ids.mentor = json_integer_value(json_object_get(json_array_get(json_object_get(j, "mentors"), 0), "id"));
	main_ids.id[K_GOAL] = json_integer_value(json_object_get(json_array_get(json_object_get(j, "goals"), 0), "id"));
	json_decref(j);
	assert_true(main_ids.mentor > 0 && main_ids.id[K_GOAL] > 0);

	PATH(path, "/api/v1/mentorships/%lld/mentors", main_ids.id[K_MENTORSHIP]);
	const char *m2 = plant("second mentor name", 0), *p2 = plant("second mentor position", 0);
	json_decref(call(coord, "POST", path, json_pack("{s:s, s:s}", "name", m2, "position", p2), 201));
	PATH(path, "/api/v1/mentorships/%lld/goals", main_ids.id[K_MENTORSHIP]);
	json_decref(call(coord, "POST", path,
			 json_pack("{s:s, s:s}", "area", "career", "description", plant("second goal description", 0)),
			 201));
	PATH(path, "/api/v1/goals/%lld", main_ids.id[K_GOAL]);
	change(&people[P_MENTOR].c, path,
	       json_pack("{s:s, s:s}", "status", "in_progress", "note", plant("goal progress note", 0)));
	day(-1, yesterday);
	PATH(path, "/api/v1/mentorships/%lld/contacts", main_ids.id[K_MENTORSHIP]);
	const char *cp = plant("contact participants", 0), *cn = plant("contact notes", 0);
	const char *cs = plant("contact next step", 0);
	json_decref(call(&people[P_MENTOR].c, "POST", path,
			 json_pack("{s:s, s:s, s:s, s:s, s:s}", "contact_on", yesterday, "kind", "meeting", "participants",
				   cp, "notes", cn, "next_step", cs),
			 201));

	alt_ids.id[K_MENTORSHIP] = create(
		coord, "/api/v1/mentorships",
		json_pack("{s:I, s:I, s:[{s:s}], s:[{s:s, s:s}]}", "child_id", (json_int_t)child2, "organisation_id",
			  (json_int_t)org_health, "mentors", "name", "Айгүл Серікқызы", "goals", "area", "skills",
			  "description", "Өз бетінше өмір сүруге дайындық"));
	PATH(path, "/api/v1/mentorships/%lld/end", alt_ids.id[K_MENTORSHIP]);
	change(coord, path, json_pack("{s:s}", "reason", plant("mentorship end reason", 0)));
}

/* A school in the programme, approved lecturers, lessons (one cancelled), an event, the lecturer's feed. */
static void prevention(void)
{
	char path[128], order[11], until[11], when[32], d[11];
	struct tl_client *coord = &people[P_COORD].c, *prok = &people[P_PROSECUTOR].c;
	PATH(path, "/api/v1/schools/%lld", org_school);
	change(coord, path, json_pack("{s:i, s:b}", "pupils", 600, "in_programme", 1));

	const char *lname = plant("lecturer full name", 0), *lpos = plant("lecturer position", 0);
	main_ids.id[K_LECTURER] =
		create(coord, "/api/v1/lecturers",
		       json_pack("{s:s, s:s, s:s, s:I}", "full_name", lname, "agency", "juvenile_police", "position", lpos,
				 "user_id", (json_int_t)people[P_LECTURER].id));
	day(-3, order);
	day(365, until);
	PATH(path, "/api/v1/lecturers/%lld/approve", main_ids.id[K_LECTURER]);
	change(prok, path,
	       json_pack("{s:s, s:s, s:s}", "order_number", plant("approval order number", 1), "order_date", order,
			 "valid_until", until));

	alt_ids.id[K_LECTURER] = create(coord, "/api/v1/lecturers",
					json_pack("{s:s, s:s}", "full_name", "Ерлан Сапаров", "agency", "juvenile_police"));
	PATH(path, "/api/v1/lecturers/%lld/approve", alt_ids.id[K_LECTURER]);
	change(prok, path, json_pack("{s:s, s:s, s:s}", "order_number", "12-П", "order_date", order, "valid_until", until));
	PATH(path, "/api/v1/lecturers/%lld/revoke", alt_ids.id[K_LECTURER]);
	change(prok, path, json_pack("{s:s}", "reason", plant("lecturer revocation reason", 0)));

	day(7, d);
	snprintf(when, sizeof(when), "%sT10:00:00+05:00", d);
	const char *klass = plant("lesson class name", 1);
	main_ids.id[K_LESSON] =
		create(coord, "/api/v1/lessons",
		       json_pack("{s:I, s:I, s:s, s:i, s:s, s:s, s:i}", "school_id", (json_int_t)org_school, "lecturer_id",
				 (json_int_t)main_ids.id[K_LECTURER], "starts_at", when, "duration_min", 45, "class_name",
				 klass, "topic", "bullying", "planned_pupils", 25));
	snprintf(when, sizeof(when), "%sT12:00:00+05:00", d);
	const char *klass2 = plant("cancelled lesson class name", 1);
	alt_ids.id[K_LESSON] =
		create(coord, "/api/v1/lessons",
		       json_pack("{s:I, s:I, s:s, s:i, s:s, s:s, s:i}", "school_id", (json_int_t)org_school, "lecturer_id",
				 (json_int_t)main_ids.id[K_LECTURER], "starts_at", when, "duration_min", 45, "class_name",
				 klass2, "topic", "bullying", "planned_pupils", 25));
	PATH(path, "/api/v1/lessons/%lld/outcome", alt_ids.id[K_LESSON]);
	change(coord, path, json_pack("{s:s, s:s}", "status", "cancelled", "cancel_reason", plant("lesson cancel reason", 0)));

	PATH(path, "/api/v1/lecturers/%lld/feed", main_ids.id[K_LECTURER]);
	json_t *feed = call(coord, "POST", path, NULL, 200);
	const char *fp = json_string_value(json_object_get(feed, "path"));
	assert_non_null(fp);
	assert_true(!strncmp(fp, "/ics/", 5));
	snprintf(ics_name, sizeof(ics_name), "%s", fp + 5);
	json_decref(feed);

	day(-10, d);
	const char *title = plant("event title", 0), *place = plant("event place", 0);
	const char *target = plant("event target group", 0), *partners = plant("event partners", 0);
	const char *note = plant("event note", 0);
	json_t *ev = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:I, s:s, s:i, s:s, s:s}", "title", title, "kind",
			       "parents_meeting", "held_on", d, "district_id", 1, "place", place, "organiser", "school",
			       "organisation_id", (json_int_t)org_school, "target_group", target, "participants", 60,
			       "partners", partners, "note", note);
	main_ids.id[K_EVENT] = create(coord, "/api/v1/events", ev);
}

/* The working calendar as it is, plus a day off far ahead whose name is markup. */
static void calendar(void)
{
	struct buf rows = BUF_INIT, text = BUF_INIT;
	tl_sql_rows(db, "SELECT day, kind, name FROM calendar_entry ORDER BY id", &rows);
	for (size_t i = 0; i < rows.len; i++)
		buf_addc(&text, rows.ptr[i] == '\t' ? ' ' : rows.ptr[i]);
	buf_printf(&text, "2099-06-01 holiday %s\n", plant("calendar day name", 0));
	json_decref(call(&people[P_COORD].c, "POST", "/api/v1/calendar", json_pack("{s:s}", "text", text.ptr), 200));
	buf_release(&rows);
	buf_release(&text);
}

static int start(void **state)
{
	(void)state;
	char pw[64];
	atexit(kill_leftovers);
	db = tl_init_database(pw, sizeof(pw));
	tl_server_start(&server, db, NULL);
	tl_admin_session(&people[P_ADMIN].c, server.port, pw);
	struct tl_client *admin = &people[P_ADMIN].c;

	/* A district and organisations whose names are markup. */
	main_ids.id[K_DISTRICT] = create(
		admin, "/api/v1/districts",
		json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", "xssdistrict", "name_kk", plant("district name (kk)", 0),
			  "name_ru", plant("district name (ru)", 0), "name_en", plant("district name (en)", 0), "kind",
			  "district"));
	org_school = make_org("school", 0);
	org_health = make_org("health", 0);
	org_prosecutor = make_org("prosecutor", 1);
	int64_t org_ombudsman = make_org("ombudsman", 1);
	int64_t org_spare = make_org("ngo", 1);

	/* Everyone's full name is markup too: it heads every page they see. */
	make_person(&people[P_COORD], 0, 0);
	psy_id = make_person(&people[P_PSY], 0, 0);
	make_person(&people[P_HEAD], 1, 0);
	make_person(&people[P_PROSECUTOR], 0, org_prosecutor);
	make_person(&people[P_OMBUDSMAN], 0, org_ombudsman);
	make_person(&people[P_SCHOOL], 0, org_school);
	make_person(&people[P_MENTOR], 0, org_health);
	make_person(&people[P_LECTURER], 0, 0);
	int64_t spare_user = create(admin, "/api/v1/users",
				    json_pack("{s:s, s:s, s:s, s:s}", "login", "xspare", "full_name",
					      plant("full name of user xspare", 0), "role", "coordinator", "password", PASSWORD));

	main_ids.id[K_USER] = people[P_COORD].id;
	main_ids.id[K_ORG] = org_health;
	main_ids.id[K_SCHOOL] = org_school;
	alt_ids.id[K_USER] = spare_user;
	alt_ids.id[K_ORG] = org_school;
	alt_ids.id[K_DISTRICT] = 1;

	main_ids.id[K_CHILD] = make_child("first");
	alt_ids.id[K_CHILD] = make_child("second");
	main_ids.id[K_APPEAL] = make_appeal(main_ids.id[K_CHILD], "physical_violence", "first");
	casework(main_ids.id[K_APPEAL]);

	/* A second appeal forwarded with a note, a third rejected with a reason. */
	char path[128];
	alt_ids.id[K_APPEAL] = make_appeal(alt_ids.id[K_CHILD], "bullying", "second");
	PATH(path, "/api/v1/appeals/%lld/forward", alt_ids.id[K_APPEAL]);
	change(&people[P_COORD].c, path,
	       json_pack("{s:I, s:s}", "organisation_id", (json_int_t)org_prosecutor, "note", plant("forward note", 0)));
	int64_t third = make_appeal(alt_ids.id[K_CHILD], "neglect", "third");
	third_ids.id[K_APPEAL] = third;
	PATH(path, "/api/v1/appeals/%lld/transition", third);
	change(&people[P_COORD].c, path,
	       json_pack("{s:s, s:s}", "to", "rejected", "reason", plant("rejection reason", 0)));

	meyirim(main_ids.id[K_CHILD], alt_ids.id[K_CHILD]);
	prevention();
	calendar();

	/* What the form checks may change: spare records where a form would rewrite a shared one. */
	form_ids = main_ids;
	form_ids.id[K_USER] = spare_user;
	form_ids.id[K_ORG] = org_spare;
	form_ids.id[K_CHILD] = alt_ids.id[K_CHILD];
	alt_ids.id[K_GOAL] = main_ids.id[K_GOAL];
	alt_ids.mentor = main_ids.mentor;
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

/* ---------- 1. XSS ---------- */

static int header_is(const struct tl_response *r, const char *name, const char *prefix)
{
	char v[256];
	return tl_response_header(r, name, v, sizeof(v)) && !strncasecmp(v, prefix, strlen(prefix));
}

/* Types a browser never renders as a page (with nosniff): raw markup in them is data. */
static int is_data_type(const struct tl_response *r)
{
	static const char *const types[] = {"application/json", "text/csv", "text/calendar", "text/plain",
					    "application/vnd.openxmlformats", "text/css", "text/javascript", NULL};
	for (const char *const *t = types; *t; t++)
		if (header_is(r, "content-type", *t))
			return 1;
	return 0;
}

/* Collect the planted texts a JSON value holds as strings. */
static void json_walk(json_t *j)
{
	if (json_is_string(j)) {
		const char *s = json_string_value(j);
		for (int i = 0; i < nplants; i++)
			if (!strcmp(s, plants[i].text))
				plants[i].in_json = 1;
	} else if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) json_walk(v);
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) json_walk(v);
	}
}

/*
 * Judge one answer: no server error; nosniff always; markup raw only in
 * data types (and downloads as attachments); the API answers JSON as
 * application/json. Notes which planted texts it shows.
 */
static void judge(const char *who, const struct route *rt, const char *method, const char *path,
		  const struct tl_response *r, struct findings *f)
{
	char ex[160], ctype[128] = "";
	tl_response_header(r, "content-type", ctype, sizeof(ctype));
	f->checked++;
	if (r->status == 0 || r->status >= 500) {
		found(f, "%s %s as %s: status %d (a server error)", method, path, who, r->status);
		return;
	}
	if (!header_is(r, "x-content-type-options", "nosniff"))
		found(f, "%s %s as %s: no X-Content-Type-Options: nosniff", method, path, who);
	const char *raw = raw_marker(r);
	if (raw && !is_data_type(r))
		found(f, "%s %s as %s: raw markup in a %s answer (%d): …%s…", method, path, who,
		      ctype[0] ? ctype : "typeless", r->status, excerpt(&r->body, raw, ex, sizeof(ex)));
	if (raw && (header_is(r, "content-type", "text/csv") || header_is(r, "content-type", "application/vnd")) &&
	    !header_is(r, "content-disposition", "attachment"))
		found(f, "%s %s as %s: an export with raw markup is not an attachment", method, path, who);
	if (rt && (rt->flags & ROUTE_API) && r->body.len && strncmp(rt->name, "exports.", 8) &&
	    strcmp(rt->name, "metrics") && !header_is(r, "content-type", "application/json"))
		found(f, "%s %s as %s: an API answer as '%s', not application/json", method, path, who, ctype);
	/* Defence in depth: a page runs no inline script, is never framed, and is not kept in caches. */
	char csp[512] = "", cache[128] = "";
	tl_response_header(r, "content-security-policy", csp, sizeof(csp));
	tl_response_header(r, "cache-control", cache, sizeof(cache));
	if (header_is(r, "content-type", "text/html") &&
	    (!strstr(csp, "script-src 'self'") || strstr(csp, "unsafe-inline") || !strstr(csp, "frame-ancestors 'none'")))
		found(f, "%s %s as %s: a page with Content-Security-Policy '%s'", method, path, who, csp);
	if (rt && strcmp(rt->name, "static") && strcmp(rt->name, "lecturers.ics") && r->status == 200 &&
	    !strstr(cache, "no-store"))
		found(f, "%s %s as %s: Cache-Control '%s' on an answer with personal data (no-store expected)", method,
		      path, who, cache);
	if (header_is(r, "content-type", "text/html")) {
		for (int i = 0; i < nplants; i++)
			if (!plants[i].page && memmem(r->body.ptr, r->body.len, plants[i].escaped, strlen(plants[i].escaped)))
				plants[i].page = rt ? rt->name : "?";
	} else if (header_is(r, "content-type", "application/json") && r->body.len) {
		json_error_t err;
		json_t *j = json_loadb(r->body.ptr, r->body.len, 0, &err);
		if (!j)
			found(f, "%s %s as %s: application/json that is not JSON (%s)", method, path, who, err.text);
		json_walk(j);
		json_decref(j);
	}
}

/* GET every route of the table as a person, with the ids of a set (routes without ids: main set only). */
static void read_everything(struct person *p, const struct idset *ids, int with_ids_only, struct findings *f)
{
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		char path[256];
		if (!is_read(rt))
			continue;
		int k = kind_of(rt->pattern);
		if (with_ids_only && (k < 0 || !ids->id[k]))
			continue;
		fill(rt->pattern, ids, path, sizeof(path));
		struct tl_response r;
		as(p, NULL, "GET", path, NULL, NULL, &r);
		judge(p->login, rt, "GET", path, &r, f);
		tl_response_release(&r);
	}
}

static void test_stored_xss(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	for (int k = 0; k < P_COUNT; k++) {
		read_everything(&people[k], &main_ids, 0, &f);
		read_everything(&people[k], &alt_ids, 1, &f);
		read_everything(&people[k], &third_ids, 1, &f);
	}
	/* The day off far ahead is in that year's calendar. */
	struct tl_response r;
	as(&people[P_COORD], NULL, "GET", "/api/v1/calendar?year=2099", NULL, NULL, &r);
	for (size_t i = 0; i < route_count; i++)
		if (!strcmp(routes[i].name, "calendar.get"))
			judge(people[P_COORD].login, &routes[i], "GET", "/api/v1/calendar?year=2099", &r, &f);
	tl_response_release(&r);
	/* Each text must show somewhere, escaped, and come back from the API as the same string. */
	int shown = 0;
	for (int i = 0; i < nplants; i++) {
		struct plant *p = &plants[i];
		f.checked++;
		if (!p->page)
			found(&f, "%s (%s): its escaped form is on no page (the check cannot see it)", p->what, p->text);
		if (!p->in_json)
			found(&f, "%s: no API answer returns it as the same JSON string", p->what);
		shown += p->page != NULL;
	}
	printf("attacks: %d planted texts, %d seen escaped on pages\n", nplants, shown);
	report("stored XSS on every page, as every role", &f);
}

/* The raw request path (not percent-encoded) as some clients send it. */
static const char *const raw_paths[] = {
	"/<script>alert(902)</script>",
	"/appeals?q=<script>alert(903)</script>",
	"/children?q=\"><img%20src=x%20onerror=alert(904)>",
	"/login?next=\"><svg/onload=alert(905)>",
	"/appeals/<svg/onload=alert(906)>",
	"/static/<script>alert(907)</script>.css",
};

static void test_reflected_xss(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	char *full = tl_urlencode(REFLECT_FULL), *brief = tl_urlencode(REFLECT_BRIEF);
	int saved = 0, shown = 0;

	/* Every query field of every GET route. */
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		struct person *p = who_may(rt);
		char base[256], path[1024];
		if (!is_read(rt) || !rt->fields || !p)
			continue;
		fill(rt->pattern, &main_ids, base, sizeof(base));
		for (const struct field *fl = rt->fields; fl->name; fl++) {
			for (int b = 0; b < 2; b++) {
				snprintf(path, sizeof(path), "%s?%s=%s", base, fl->name, b ? brief : full);
				struct tl_response r;
				as(p, NULL, "GET", path, NULL, NULL, &r);
				judge(p->login, rt, "GET", path, &r, &f);
				tl_response_release(&r);
			}
		}
	}
	/* Paths with raw markup, signed in and not. */
	for (size_t i = 0; i < sizeof(raw_paths) / sizeof(raw_paths[0]); i++) {
		for (int signed_in = 0; signed_in < 2; signed_in++) {
			struct tl_response r;
			as(signed_in ? &people[P_COORD] : NULL, NULL, "GET", raw_paths[i], NULL, NULL, &r);
			judge(signed_in ? "xcoord" : "nobody", NULL, "GET", raw_paths[i], &r, &f);
			tl_response_release(&r);
		}
	}

	/*
	 * Every field of every form: all markup (refused, and shown again), then
	 * plausible input whose free texts are markup (saved, or shown again).
	 */
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		if (!(rt->flags & ROUTE_FORM) || !takes_text(rt))
			continue;
		int login = !strcmp(rt->name, "login");
		struct person *p = login ? NULL : who_may(rt);
		if (!login && !p)
			continue;
		char path[256];
		fill(rt->pattern, &form_ids, path, sizeof(path));
		for (int pass = 0; pass < 2; pass++) {
			struct buf body = BUF_INIT;
			buf_printf(&body, "_csrf=%s", login ? "reflectedprelogintoken0123456789" : p->c.csrf);
			if (pass == 0) {
				for (const struct field *fl = rt->fields; fl->name; fl++)
					if (!skipped(fl))
						buf_printf(&body, "&%s=%s", fl->name, full);
			} else {
				char *in = form_input(rt, &form_ids, REFLECT_FULL, REFLECT_BRIEF);
				if (*in)
					buf_printf(&body, "&%s", in);
				free(in);
			}
			struct tl_response r;
			if (login) /* signed out, with the pre-login cookie the token doubles */
				tl_http(server.port, "POST", path,
					"Cookie: qorgau_lang=en; qorgau_pre=reflectedprelogintoken0123456789\r\n"
					"Content-Type: application/x-www-form-urlencoded",
					body.ptr, &r);
			else
				as(p, NULL, "POST", path, "Content-Type: application/x-www-form-urlencoded", body.ptr, &r);
			judge(login ? "nobody" : p->login, rt, "POST", path, &r, &f);
			/* Only what reaches the handler is shown again; a refusal before it proves nothing. */
			if (r.status == 403 || (!login && r.status == 401))
				found(&f, "POST %s as %s: %d — the form never reached its handler", path,
				      login ? "nobody" : p->login, r.status);
			saved += r.status >= 300 && r.status < 400;
			shown += r.status >= 400 && r.status < 500;
			tl_response_release(&r);
			buf_release(&body);
		}
	}
	free(full);
	free(brief);
	printf("attacks: forms with markup: %d saved, %d shown again with an error\n", saved, shown);

	/* What the forms saved is on the pages now: read them all again. */
	for (int k = 0; k < P_COUNT; k++)
		read_everything(&people[k], &main_ids, 0, &f);
	report("reflected XSS in queries, paths and forms", &f);
}

/* ---------- 2. header injection ---------- */

/* What is wrong with a response head (NULL: nothing): CRLF line ends only, one Location, no injected header. */
static const char *head_problem(const struct tl_response *r)
{
	const char *h = r->head.ptr;
	for (size_t i = 0; i < r->head.len; i++) {
		if (h[i] == '\n' && (i == 0 || h[i - 1] != '\r'))
			return "a bare LF in the head";
		if (h[i] == '\r' && (i + 1 >= r->head.len || h[i + 1] != '\n'))
			return "a bare CR in the head";
	}
	if (strcasestr(h, "\r\nset-cookie: evil") || strcasestr(h, "\r\nx-injected"))
		return "an injected header";
	const char *first = strcasestr(h, "\r\nlocation:");
	if (first && strcasestr(first + 2, "\r\nlocation:"))
		return "two Location headers";
	return NULL;
}

/* Whether a redirect target stays on this site. */
static int local_location(const char *loc)
{
	return loc[0] == '/' && loc[1] != '/' && loc[1] != '\\' && !strpbrk(loc, "\r\n\\") &&
	       !strcasestr(loc, "evil.example");
}

static const char *const bad_next[] = {
	"%2Fok%0D%0ASet-Cookie%3A+evil%3D1",
	"%2Fok%0ASet-Cookie%3A+evil%3D1",
	"%2Fok%0DSet-Cookie%3A+evil%3D1",
	"%2Fok%0D%0A%0D%0A%3Chtml%3Eevil",
	"%2Fok%0D%0AX-Injected%3A+1",
	"%2Fok%E5%98%8A%E5%98%8DSet-Cookie%3A+evil%3D1", /* U+560A U+560D: low bytes 0A and 0D */
	"%2Fok%C2%85Set-Cookie%3A+evil%3D1",		 /* NEL */
	"%2Fok%E2%80%A8Set-Cookie%3A+evil%3D1",		 /* LINE SEPARATOR */
	"%2Fok%00Set-Cookie%3A+evil%3D1",
	"%2F%2Fevil.example",
	"%2F%2F%2Fevil.example",
	"%2F%5Cevil.example",
	"%5C%5Cevil.example",
	"https%3A%2F%2Fevil.example",
	"HTTPS%3A%2F%2Fevil.example",
	"javascript%3Aalert(1)",
	"+%2F%2Fevil.example",
	"%09%2F%2Fevil.example",
	"%2F%09%2Fevil.example",
	"%2F%0A%2Fevil.example",
	"evil.example",
};

static void check_redirect(struct findings *f, const char *who, const char *path, const char *input,
			   const struct tl_response *r)
{
	char loc[512];
	const char *problem = head_problem(r);
	f->checked++;
	if (problem)
		found(f, "POST %s as %s with %s: %s", path, who, input, problem);
	if (r->status == 0 || r->status >= 500)
		found(f, "POST %s as %s with %s: status %d", path, who, input, r->status);
	if (tl_response_header(r, "location", loc, sizeof(loc)) && !local_location(loc))
		found(f, "POST %s as %s with %s: Location '%s' leaves the site", path, who, input, loc);
}

static void test_header_injection(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	struct person *c = &people[P_COORD];
	for (size_t i = 0; i < sizeof(bad_next) / sizeof(bad_next[0]); i++) {
		char body[512];
		struct tl_response r;
		/* Signed out: no session, no token needed. */
		snprintf(body, sizeof(body), "lang=ru&next=%s", bad_next[i]);
		as(NULL, NULL, "POST", "/lang", "Content-Type: application/x-www-form-urlencoded", body, &r);
		check_redirect(&f, "nobody", "/lang", bad_next[i], &r);
		tl_response_release(&r);
		/* Signed in: the language is saved, then the same redirect. */
		const char *paths[] = {"/lang", "/account/lang"};
		for (int k = 0; k < 2; k++) {
			snprintf(body, sizeof(body), "_csrf=%s&lang=en&next=%s", c->c.csrf, bad_next[i]);
			as(c, NULL, "POST", paths[k], "Content-Type: application/x-www-form-urlencoded", body, &r);
			check_redirect(&f, c->login, paths[k], bad_next[i], &r);
			tl_response_release(&r);
		}
	}
	/* The sign-in form takes no target: whatever is added, it leads home. */
	{
		struct tl_response r;
		char loc[256] = "";
		tl_http(server.port, "POST", "/login",
			"Cookie: qorgau_pre=headerprelogintoken0123456789\r\nContent-Type: application/x-www-form-urlencoded",
			"_csrf=headerprelogintoken0123456789&login=xspare&password=" PASSWORD
			"&next=%2F%2Fevil.example%0D%0ASet-Cookie%3A+evil%3D1",
			&r);
		check_redirect(&f, "nobody", "/login", "next=//evil.example CRLF Set-Cookie", &r);
		if (tl_response_header(&r, "location", loc, sizeof(loc)) && strcmp(loc, "/"))
			found(&f, "POST /login with a next field: to '%s', expected / or a refusal", loc);
		tl_response_release(&r);
	}
	/* The check can fail: a good target is followed. */
	{
		struct tl_response r;
		char loc[256] = "";
		as(NULL, NULL, "POST", "/lang", "Content-Type: application/x-www-form-urlencoded", "lang=en&next=%2Fchildren%3Fq%3Dx",
		   &r);
		f.checked++;
		if (r.status != 303 || !tl_response_header(&r, "location", loc, sizeof(loc)) || strcmp(loc, "/children?q=x"))
			found(&f, "POST /lang with next=/children?q=x: %d to '%s', expected 303 to it", r.status, loc);
		tl_response_release(&r);
	}

	/* Redirects the server makes itself: never built from the Host header or the path. */
	static const char *const raw_requests[] = {
		"GET /appeals HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
		"GET /appeals%0D%0ASet-Cookie:%20evil=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		"GET /children?q=%0D%0ASet-Cookie:%20evil=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		"GET /login?expired=1%0D%0ASet-Cookie:%20evil=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		"GET //evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
		"GET /\\evil.example HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(raw_requests) / sizeof(raw_requests[0]); i++) {
		struct tl_response r;
		tl_http_raw(server.port, raw_requests[i], strlen(raw_requests[i]), 5000, &r);
		char first[80];
		snprintf(first, sizeof(first), "%.*s", (int)strcspn(raw_requests[i], "\r"), raw_requests[i]);
		check_redirect(&f, "nobody", first, "(raw)", &r);
		tl_response_release(&r);
	}

	/* Export file names are ours: whatever the query, the same name of the export and the day. */
	static const char *const queries[] = {
		"", "?q=%22%3B%20filename%3D%22evil.html", "?q=evil%0D%0ASet-Cookie%3A%20evil%3D1",
		"?status=open%22%0D%0AX-Injected%3A%201", "?by=category", "?by=category&district_id=1",
	};
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		if (strncmp(rt->name, "exports.", 8))
			continue;
		struct person *p = who_may(rt);
		const char *name = strrchr(rt->pattern, '/') + 1;
		const char *dot = strrchr(name, '.');
		char today[11], want[128];
		day(0, today);
		snprintf(want, sizeof(want), "attachment; filename=\"qorgau-%.*s-%s%s\"", (int)(dot - name), name, today, dot);
		int seen = 0;
		for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
			char path[512], cd[256];
			snprintf(path, sizeof(path), "%s%s", rt->pattern, queries[q]);
			struct tl_response r;
			as(p, NULL, "GET", path, NULL, NULL, &r);
			const char *problem = head_problem(&r);
			f.checked++;
			if (problem)
				found(&f, "GET %s as %s: %s", path, p->login, problem);
			if (tl_response_header(&r, "content-disposition", cd, sizeof(cd))) {
				seen = 1;
				if (strcmp(cd, want))
					found(&f, "GET %s as %s: Content-Disposition '%s', expected '%s'", path, p->login, cd, want);
			}
			if (strcasestr(r.head.ptr, "evil"))
				found(&f, "GET %s as %s: the input reached the head", path, p->login);
			tl_response_release(&r);
		}
		f.checked++;
		if (!seen)
			found(&f, "GET %s as %s: no query gave a download (the name check could not run)", rt->pattern,
			      p->login);
	}
	report("header injection and open redirects", &f);
}

/* ---------- 3. path traversal ---------- */

static void test_static_traversal(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	char *long_name = malloc(6000), *huge_name = malloc(40000);
	snprintf(long_name, 6000, "/static/%0*d.css", 5000, 0);
	memset(huge_name, 'a', 39999);
	memcpy(huge_name, "/static/", 8);
	huge_name[39999] = '\0';
	const char *const paths[] = {
		"/static/../src/main.c",	 "/static/../Makefile",		  "/static/..%2f..%2fMakefile",
		"/static/..%2F..%2Fsrc%2Fmain.c", "/static/%2e%2e/%2e%2e/Makefile", "/static/%2e%2e%2f%2e%2e%2fMakefile",
		"/static/%2e%2e",		 "/static/..",			  "/static/..%5c..%5cMakefile",
		"/static/..\\..\\Makefile",	 "/static/qorgau.css%00.txt",	  "/static/qorgau.css%00",
		"/static/.qorgau.css",		 "/static/./qorgau.css",	  "/static//qorgau.css",
		"/static/qorgau.css/",		 "/static/qorgau.css/..",	  "/static/%252e%252e%252fMakefile",
		"/static/....//....//Makefile",	 "/static/..;/Makefile",	  "/static/%c0%ae%c0%ae/Makefile",
		"/static/%u002e%u002e/Makefile", "/static/Makefile",		  "/static/main.c",
		"/static/qorgau%2Ecss",		 "/static/../static/qorgau.css",  "/./static/qorgau.css",
		"//static/qorgau.css",		 "/static/%2fetc%2fpasswd",	  "/static//etc/passwd",
		"/static/qorgau.css.",		 "/static/QORGAU.CSS",		  "/ics/../Makefile",
		"/ics/..%2f..%2fMakefile.ics",	 "/ics/.ics",			  long_name,
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct tl_response r;
		for (int head = 0; head < 2; head++) {
			as(NULL, "en", head ? "HEAD" : "GET", paths[i], NULL, NULL, &r);
			f.checked++;
			char shown[80];
			snprintf(shown, sizeof(shown), "%.70s%s", paths[i], strlen(paths[i]) > 70 ? "…" : "");
			if (r.status != 404)
				found(&f, "%s %s: %d, expected 404", head ? "HEAD" : "GET", shown, r.status);
			if (memmem(r.body.ptr, r.body.len, "PKGS", 4) || memmem(r.body.ptr, r.body.len, "int main(", 9) ||
			    memmem(r.body.ptr, r.body.len, "root:", 5) || header_is(&r, "content-type", "text/css"))
				found(&f, "%s %s: a file's content in the answer", head ? "HEAD" : "GET", shown);
			tl_response_release(&r);
		}
	}
	/* A name longer than the whole head may be: refused before any lookup. */
	{
		struct tl_response r;
		double t0 = now_s();
		as(NULL, "en", "GET", huge_name, NULL, NULL, &r);
		f.checked++;
		if (r.status != 404 && r.status != 414 && r.status != 431)
			found(&f, "GET /static/<40 000 characters>: %d, expected 404, 414 or 431", r.status);
		if (now_s() - t0 > 1.0)
			found(&f, "GET /static/<40 000 characters>: answered after %.1f s", now_s() - t0);
		tl_response_release(&r);
	}
	/* The check can fail: the real file is served. */
	{
		struct tl_response r;
		as(NULL, "en", "GET", "/static/qorgau.css", NULL, NULL, &r);
		f.checked++;
		if (r.status != 200 || !header_is(&r, "content-type", "text/css"))
			found(&f, "GET /static/qorgau.css: %d, expected the stylesheet", r.status);
		tl_response_release(&r);
	}
	free(long_name);
	free(huge_name);
	report("path traversal on static files", &f);
}

/* ---------- 4. session fixation and sign-out ---------- */

static void take_cookie(const struct tl_response *r, const char *name, char *out, size_t outlen, char *attrs,
			size_t attrslen)
{
	char needle[64];
	snprintf(needle, sizeof(needle), "\r\nset-cookie: %s=", name);
	const char *p = r->head.ptr;
	out[0] = '\0';
	while ((p = strcasestr(p, needle)) != NULL) {
		p += strlen(needle);
		size_t n = strcspn(p, ";\r");
		if (n < outlen) {
			memcpy(out, p, n);
			out[n] = '\0';
		}
		if (attrs)
			snprintf(attrs, attrslen, "%.*s", (int)strcspn(p + n, "\r"), p + n);
	}
}

/* GET /api/v1/me with a session cookie: the status. */
static int me_with(const char *cookie)
{
	char h[256];
	struct tl_response r;
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", cookie);
	tl_http(server.port, "GET", "/api/v1/me", h, NULL, &r);
	int st = r.status;
	tl_response_release(&r);
	return st;
}

/* GET / (a page) with a session cookie: the status and where it leads. */
static int home_with(const char *cookie, char *loc, size_t loclen)
{
	char h[256];
	struct tl_response r;
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", cookie);
	tl_http(server.port, "GET", "/", h, NULL, &r);
	int st = r.status;
	loc[0] = '\0';
	tl_response_header(&r, "location", loc, loclen);
	tl_response_release(&r);
	return st;
}

#define FIXED "AttackerChosenSessionValue0123456789abcdef"

static void test_session_fixation(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	struct tl_response r;
	char got[128], attrs[256], body[256], loc[256];

	/* API sign-in with a cookie the attacker chose beforehand. */
	snprintf(body, sizeof(body), "{\"login\": \"xspare\", \"password\": \"%s\"}", PASSWORD);
	tl_http(server.port, "POST", "/api/v1/session", "Cookie: qorgau_session=" FIXED "\r\nContent-Type: application/json",
		body, &r);
	take_cookie(&r, "qorgau_session", got, sizeof(got), attrs, sizeof(attrs));
	f.checked += 4;
	if (r.status != 200)
		found(&f, "POST /api/v1/session with a chosen cookie: %d, expected 200", r.status);
	if (!got[0] || !strcmp(got, FIXED))
		found(&f, "POST /api/v1/session: the session is the cookie the client chose ('%s')", got);
	if (strlen(got) < 32)
		found(&f, "POST /api/v1/session: a session token of %zu characters", strlen(got));
	if (!strcasestr(attrs, "HttpOnly") || !strcasestr(attrs, "SameSite=Strict") || !strcasestr(attrs, "Path=/"))
		found(&f, "POST /api/v1/session: session cookie attributes '%s' (HttpOnly; SameSite=Strict; Path=/ expected)",
		      attrs);
	if (got[0] && memmem(r.body.ptr, r.body.len, got, strlen(got)))
		found(&f, "POST /api/v1/session: the session token is in the body (scripts could read it)");
	tl_response_release(&r);
	f.checked += 2;
	if (me_with(FIXED) != 401)
		found(&f, "the chosen cookie is a session after the API sign-in (GET /api/v1/me: %d)", me_with(FIXED));
	if (got[0] && me_with(got) != 200)
		found(&f, "the new session does not work (GET /api/v1/me: %d)", me_with(got));

	/* The sign-in form, likewise. */
	snprintf(body, sizeof(body), "_csrf=fixationprelogin0123456789&login=xspare&password=%s", PASSWORD);
	tl_http(server.port, "POST", "/login",
		"Cookie: qorgau_session=" FIXED "; qorgau_pre=fixationprelogin0123456789\r\n"
		"Content-Type: application/x-www-form-urlencoded",
		body, &r);
	char web[128];
	take_cookie(&r, "qorgau_session", web, sizeof(web), NULL, 0);
	f.checked += 3;
	if (r.status != 303)
		found(&f, "POST /login with a chosen cookie: %d, expected 303", r.status);
	if (!web[0] || !strcmp(web, FIXED) || !strcmp(web, got))
		found(&f, "POST /login: the session cookie '%s' is not a new one", web);
	tl_response_release(&r);
	if (home_with(FIXED, loc, sizeof(loc)) != 303 || strncmp(loc, "/login", 6))
		found(&f, "the chosen cookie opens pages after signing in on the form (GET /: to '%s')", loc);

	/* Signing out ends the session on the server: the old cookie is worth nothing. */
	struct tl_client c;
	assert_int_equal(tl_login(&c, server.port, "xspare", PASSWORD), 200);
	char old[128];
	snprintf(old, sizeof(old), "%s", c.cookie);
	/* Without the token the sign-out is refused, and the session lives on. */
	snprintf(body, sizeof(body), "Cookie: qorgau_session=%s", old);
	tl_http(server.port, "DELETE", "/api/v1/session", body, NULL, &r);
	f.checked += 2;
	if (r.status != 403)
		found(&f, "DELETE /api/v1/session without the CSRF token: %d, expected 403", r.status);
	tl_response_release(&r);
	if (me_with(old) != 200)
		found(&f, "a refused sign-out ended the session anyway");
	tl_api(&c, "DELETE", "/api/v1/session", NULL, &r);
	f.checked += 3;
	if (r.status != 204)
		found(&f, "DELETE /api/v1/session: %d, expected 204", r.status);
	tl_response_release(&r);
	if (me_with(old) != 401)
		found(&f, "after DELETE /api/v1/session the old cookie still works (GET /api/v1/me: %d)", me_with(old));
	if (home_with(old, loc, sizeof(loc)) != 303 || strncmp(loc, "/login", 6))
		found(&f, "after DELETE /api/v1/session the old cookie still opens pages (to '%s')", loc);

	/* The form's sign-out, likewise. */
	assert_int_equal(tl_login(&c, server.port, "xspare", PASSWORD), 200);
	snprintf(old, sizeof(old), "%s", c.cookie);
	char h[256], form[128];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded", old);
	snprintf(form, sizeof(form), "_csrf=%s", c.csrf);
	tl_http(server.port, "POST", "/logout", h, form, &r);
	f.checked += 3;
	if (r.status != 303)
		found(&f, "POST /logout: %d, expected 303", r.status);
	tl_response_release(&r);
	if (me_with(old) != 401)
		found(&f, "after POST /logout the old cookie still works (GET /api/v1/me: %d)", me_with(old));
	if (home_with(old, loc, sizeof(loc)) != 303 || strncmp(loc, "/login", 6))
		found(&f, "after POST /logout the old cookie still opens pages (to '%s')", loc);

	/* A new password ends the other sessions of the account. */
	struct tl_client a, b;
	assert_int_equal(tl_login(&a, server.port, "xspare", PASSWORD), 200);
	assert_int_equal(tl_login(&b, server.port, "xspare", PASSWORD), 200);
	f.checked++;
	if (!strcmp(a.cookie, b.cookie) || !strcmp(a.csrf, b.csrf))
		found(&f, "two sign-ins got the same session or CSRF token");
	int st;
	json_decref(tl_api_json(&a, "POST", "/api/v1/me/password",
				"{\"current_password\": \"" PASSWORD "\", \"new_password\": \"Another-Pass-2026\"}", &st));
	f.checked += 2;
	if (st != 204)
		found(&f, "POST /api/v1/me/password: %d, expected 204", st);
	if (me_with(b.cookie) != 401)
		found(&f, "after a password change another session of the account still works");
	json_decref(tl_api_json(&a, "POST", "/api/v1/me/password",
				"{\"current_password\": \"Another-Pass-2026\", \"new_password\": \"" PASSWORD "\"}", &st));
	report("session fixation and sign-out", &f);
}

/* ---------- 5. CSRF ---------- */

static const char *const snapshot_tables[] = {
	"access_grant", "api_token", "app_user", "appeal", "appeal_event", "calendar_entry", "child", "child_event",
	"consultation", "district", "goal", "goal_note", "lecturer", "lecturer_approval", "lesson", "mentor",
	"mentor_contact", "mentorship", "organisation", "prevention_event", "referral", "school_profile", NULL,
};

/* Every row of the tables a write could change (not the audit log, not session activity). */
static void snapshot(struct buf *out)
{
	for (const char *const *t = snapshot_tables; *t; t++) {
		char sql[128];
		buf_printf(out, "== %s\n", *t);
		snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY 1", *t);
		tl_sql_rows(db, sql, out);
	}
	buf_adds(out, "== session\n");
	tl_sql_rows(db, "SELECT id, user_id, csrf, ended_at FROM session ORDER BY id", out);
}

/* The first line where two snapshots differ, with its table. */
static void snapshot_diff(struct findings *f, const char *what, const struct buf *a, const struct buf *b)
{
	const char *p = a->ptr, *q = b->ptr, *table = "?";
	char tname[64] = "?";
	while (*p && *q) {
		size_t n = strcspn(p, "\n"), m = strcspn(q, "\n");
		if (!strncmp(p, "== ", 3)) {
			snprintf(tname, sizeof(tname), "%.*s", (int)(n - 3), p + 3);
			table = tname;
		}
		if (n != m || memcmp(p, q, n)) {
			found(f, "%s: table %s changed: '%.*s' became '%.*s'", what, table, (int)(n > 120 ? 120 : n), p,
			      (int)(m > 120 ? 120 : m), q);
			return;
		}
		p += n + (p[n] ? 1 : 0);
		q += m + (q[m] ? 1 : 0);
	}
	if (*p || *q)
		found(f, "%s: table %s gained or lost rows", what, table);
}

#define WRONG_TOKEN "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

static void test_csrf(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	struct buf before = BUF_INIT, after = BUF_INIT;
	snapshot(&before);
	size_t forms = 0, api = 0;
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		if (is_read(rt) || (rt->flags & ROUTE_NO_CSRF))
			continue;
		struct person *p = who_may(rt);
		assert_non_null(p);
		/* Another signed-in person's real token: a token is good for its own session only. */
		const char *others = people[p == &people[P_ADMIN] ? P_COORD : P_ADMIN].c.csrf;
		const char *tokens[] = {NULL, WRONG_TOKEN, others, ""};
		const char *token_name[] = {"no token", "a wrong token", "another session's token", "an empty token"};
		char path[256];
		fill(rt->pattern, &form_ids, path, sizeof(path));
		int api_route = (rt->flags & ROUTE_API) != 0;
		for (int t = 0; t < 4; t++) {
			for (int empty = 0; empty < 2; empty++) {
				struct buf headers = BUF_INIT, body = BUF_INIT;
				char *in = NULL;
				if (api_route) {
					if (tokens[t])
						buf_printf(&headers, "X-CSRF-Token: %s\r\n", tokens[t]);
					if (rt->flags & ROUTE_JSON) {
						buf_adds(&headers, "Content-Type: application/json");
						in = empty ? strdup("{}") : json_input(rt, &form_ids, NULL, NULL);
						buf_adds(&body, in);
					}
				} else {
					buf_adds(&headers, "Content-Type: application/x-www-form-urlencoded");
					in = empty ? calloc(1, 1) : form_input(rt, &form_ids, NULL, NULL);
					if (tokens[t])
						buf_printf(&body, "_csrf=%s%s", tokens[t], *in ? "&" : "");
					buf_adds(&body, in);
				}
				struct tl_response r;
				as(p, "en", rt->method, path, headers.ptr, (rt->flags & (ROUTE_JSON | ROUTE_FORM)) ? body.ptr : NULL,
				   &r);
				f.checked++;
				char code[64] = "";
				if (api_route && r.body.len) {
					json_t *j = json_loadb(r.body.ptr, r.body.len, 0, NULL);
					snprintf(code, sizeof(code), "%s", j ? tl_error_code(j) : "");
					json_decref(j);
				}
				int refused_for_csrf =
					r.status == 403 &&
					(api_route ? !strcmp(code, "csrf")
						   : memmem(r.body.ptr, r.body.len, "The form has expired", 20) != NULL);
				if (!empty && !refused_for_csrf)
					found(&f, "%s %s (%s) as %s with %s: %d %s, expected 403 (CSRF)", rt->method, path,
					      rt->name, p->login, token_name[t], r.status, code);
				else if (empty && (r.status < 400 || r.status >= 500))
					found(&f, "%s %s (%s) as %s with %s and an empty body: %d, expected a refusal",
					      rt->method, path, rt->name, p->login, token_name[t], r.status);
				tl_response_release(&r);
				buf_release(&headers);
				buf_release(&body);
				free(in);
			}
		}
		api += api_route;
		forms += !api_route;
	}
	/*
	 * Signing in (the one write without a session token): the form's token
	 * is the pre-login cookie sent back; the API takes JSON only, which no
	 * cross-site form can send.
	 */
	static const struct {
		const char *cookie, *csrf, *what;
	} pre[] = {
		{NULL, NULL, "no pre-login cookie, no token"},
		{"qorgau_pre=csrfprelogintoken0123456789", NULL, "the cookie without the token"},
		{NULL, "csrfprelogintoken0123456789", "the token without the cookie"},
		{"qorgau_pre=csrfprelogintoken0123456789", "csrfprelogintoken0123456780", "a token that is not the cookie"},
	};
	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		char h[256], body[256], session[128];
		snprintf(h, sizeof(h), "Cookie: qorgau_lang=en%s%s\r\nContent-Type: application/x-www-form-urlencoded",
			 pre[i].cookie ? "; " : "", pre[i].cookie ? pre[i].cookie : "");
		snprintf(body, sizeof(body), "%s%s%slogin=xspare&password=%s", pre[i].csrf ? "_csrf=" : "",
			 pre[i].csrf ? pre[i].csrf : "", pre[i].csrf ? "&" : "", PASSWORD);
		struct tl_response r;
		tl_http(server.port, "POST", "/login", h, body, &r);
		take_cookie(&r, "qorgau_session", session, sizeof(session), NULL, 0);
		f.checked++;
		if (r.status != 403 || session[0])
			found(&f, "POST /login with %s: %d%s, expected 403 and no session", pre[i].what, r.status,
			      session[0] ? " and a session" : "");
		tl_response_release(&r);
	}
	static const char *const simple_types[] = {"text/plain", "application/x-www-form-urlencoded",
						   "multipart/form-data; boundary=x"};
	for (size_t i = 0; i < sizeof(simple_types) / sizeof(simple_types[0]); i++) {
		char h[128], session[128];
		snprintf(h, sizeof(h), "Content-Type: %s", simple_types[i]);
		struct tl_response r;
		tl_http(server.port, "POST", "/api/v1/session", h, "{\"login\": \"xspare\", \"password\": \"" PASSWORD "\"}", &r);
		take_cookie(&r, "qorgau_session", session, sizeof(session), NULL, 0);
		f.checked++;
		if (r.status != 415 || session[0])
			found(&f, "POST /api/v1/session as %s (a cross-site form can send it): %d%s, expected 415 and no session",
			      simple_types[i], r.status, session[0] ? " and a session" : "");
		tl_response_release(&r);
	}

	snapshot(&after);
	f.checked++;
	snapshot_diff(&f, "after every write without a good CSRF token", &before, &after);
	/* The sessions the refused sign-outs named still work. */
	for (int k = 0; k < P_COUNT; k++) {
		f.checked++;
		if (me_with(people[k].c.cookie) != 200)
			found(&f, "%s's session ended after refused sign-outs", people[k].login);
	}
	printf("attacks: CSRF: %zu form routes, %zu API writes\n", forms, api);
	buf_release(&before);
	buf_release(&after);
	report("CSRF on every form and cookie-authenticated API write", &f);
}

/* ---------- 6. sign-in throttling ---------- */

/* A connection to the server from a loopback address of our choice (127.0.0.x), so that addresses differ. */
static int connect_from(const char *source, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, source, &src.sin_addr);
	inet_pton(AF_INET, "127.0.0.1", &dst.sin_addr);
	if (bind(fd, (struct sockaddr *)&src, sizeof(src)) != 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst)) != 0) {
		int e = errno;
		close(fd);
		fail_msg("cannot connect from %s: %s", source, strerror(e));
	}
	return fd;
}

/* Read a whole answer (the server closes: Connection: close) into r. */
static void read_answer(int fd, int timeout_ms, struct tl_response *r)
{
	struct buf raw = BUF_INIT;
	struct pollfd pfd = {fd, POLLIN, 0};
	buf_init(&r->head);
	buf_init(&r->body);
	r->status = 0;
	while (poll(&pfd, 1, timeout_ms) > 0) {
		char tmp[8192];
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		buf_add(&raw, tmp, (size_t)n);
	}
	const char *end = strstr(raw.ptr, "\r\n\r\n");
	if (end) {
		buf_add(&r->head, raw.ptr, (size_t)(end - raw.ptr));
		sscanf(raw.ptr, "HTTP/1.%*d %d", &r->status);
		buf_add(&r->body, end + 4, raw.len - (size_t)(end + 4 - raw.ptr));
	}
	buf_release(&raw);
}

static void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* A sign-in request (API or form) as text. */
static void login_request(struct buf *req, int form, const char *login, const char *password)
{
	char body[512];
	if (form)
		snprintf(body, sizeof(body), "_csrf=burstprelogintoken0123456789&login=%s&password=%s", login, password);
	else
		snprintf(body, sizeof(body), "{\"login\": \"%s\", \"password\": \"%s\"}", login, password);
	buf_printf(req,
		   "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: %s\r\n"
		   "Cookie: qorgau_lang=en; qorgau_pre=burstprelogintoken0123456789\r\nContent-Length: %zu\r\n\r\n%s",
		   form ? "/login" : "/api/v1/session", form ? "application/x-www-form-urlencoded" : "application/json",
		   strlen(body), body);
}

struct attempt {
	int status;
	char code[40];
	char message[160];
	char retry_after[16];
	struct buf page; /* a form's answer, without its fresh token */
};

static void attempt_release(struct attempt *a)
{
	buf_release(&a->page);
}

/* Replace every occurrence of what in b by with. */
static void replace_all(struct buf *b, const char *what, const char *with)
{
	struct buf out = BUF_INIT;
	size_t wl = strlen(what);
	const char *p = b->ptr, *end = b->ptr + b->len, *at;
	while ((at = memmem(p, (size_t)(end - p), what, wl)) != NULL) {
		buf_add(&out, p, (size_t)(at - p));
		buf_adds(&out, with);
		p = at + wl;
	}
	buf_add(&out, p, (size_t)(end - p));
	buf_release(b);
	*b = out;
}

/*
 * The answer's meaning: status, error code and message, Retry-After; for
 * a form, the page with its fresh token and the login typed (shown again)
 * masked.
 */
static void take_attempt(const struct tl_response *r, int form, const char *login, struct attempt *a)
{
	memset(a, 0, sizeof(*a));
	buf_init(&a->page);
	a->status = r->status;
	tl_response_header(r, "retry-after", a->retry_after, sizeof(a->retry_after));
	if (form) {
		/* The fresh pre-login token differs on every answer. */
		const char *p = r->body.ptr, *end = r->body.ptr + r->body.len;
		while (p < end) {
			const char *v = memmem(p, (size_t)(end - p), "name=\"_csrf\" value=\"", 20);
			if (!v) {
				buf_add(&a->page, p, (size_t)(end - p));
				break;
			}
			v += 20;
			buf_add(&a->page, p, (size_t)(v - p));
			buf_adds(&a->page, "TOKEN");
			p = v + strcspn(v, "\"");
		}
		replace_all(&a->page, login, "LOGIN");
		return;
	}
	json_t *j = r->body.len ? json_loadb(r->body.ptr, r->body.len, 0, NULL) : NULL;
	const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
	snprintf(a->code, sizeof(a->code), "%s", j ? tl_error_code(j) : "");
	snprintf(a->message, sizeof(a->message), "%s", m ? m : "");
	json_decref(j);
}

static void sign_in_from(int port, const char *source, int form, const char *login, const char *password,
			 struct attempt *a)
{
	struct buf req = BUF_INIT;
	login_request(&req, form, login, password);
	int fd = connect_from(source, port);
	write_all(fd, req.ptr, req.len);
	struct tl_response r;
	read_answer(fd, 10000, &r);
	close(fd);
	take_attempt(&r, form, login, a);
	tl_response_release(&r);
	buf_release(&req);
}

/* n concurrent sign-ins from one address, all sent before any answer is read; counts answers by status. */
static void burst(int port, const char *source, int n, const char *login, int numbered, int *ok401, int *locked429,
		  int *other, struct findings *f)
{
	int fds[64];
	assert_true(n <= 64);
	for (int i = 0; i < n; i++) {
		char name[64];
		snprintf(name, sizeof(name), "%s%.0d", login, numbered ? i + 1 : 0);
		struct buf req = BUF_INIT;
		login_request(&req, 0, name, "Wrong-Guess-0000");
		fds[i] = connect_from(source, port);
		write_all(fds[i], req.ptr, req.len);
		buf_release(&req);
	}
	*ok401 = *locked429 = *other = 0;
	for (int i = 0; i < n; i++) {
		struct tl_response r;
		read_answer(fds[i], 15000, &r);
		close(fds[i]);
		if (r.status == 401)
			++*ok401;
		else if (r.status == 429)
			++*locked429;
		else {
			++*other;
			found(f, "burst from %s: an answer %d", source, r.status);
		}
		tl_response_release(&r);
	}
}

static int same_attempt(const struct attempt *a, const struct attempt *b)
{
	return a->status == b->status && !strcmp(a->code, b->code) && !strcmp(a->message, b->message) &&
	       !strcmp(a->retry_after, b->retry_after) && a->page.len == b->page.len &&
	       !memcmp(a->page.ptr, b->page.ptr, a->page.len);
}

static void describe_attempt(char *out, size_t n, const struct attempt *a)
{
	snprintf(out, n, "%d %s '%s'%s%s", a->status, a->code, a->message, a->retry_after[0] ? " retry-after " : "",
		 a->retry_after);
}

static void test_login_throttling(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	struct tl_server *s = &side;
	struct tl_client admin;
	char pw[64];
	const char *bdb = tl_init_database(pw, sizeof(pw));
	const int max_failures = 6, client_max = 30;
	const char *limits[] = {"--login-max-failures", "6", "--login-client-max-failures", "30", NULL};
	tl_server_start(s, bdb, limits);
	tl_admin_session(&admin, s->port, pw);
	const char *users[] = {"victim", "target", "bystander"};
	for (size_t i = 0; i < 3; i++)
		tl_create_user(&admin, users[i], "coordinator", PASSWORD, NULL);
	const char *A = "127.0.0.2", *B = "127.0.0.3";
	char da[256], db_[256];

	/*
	 * One at a time from A: a real account and an unknown login get the
	 * same answers, attempt by attempt: wrong, then locked.
	 */
	int failures_from_a = 0;
	for (int i = 0; i < max_failures + 3; i++) {
		struct attempt known, unknown;
		sign_in_from(s->port, A, 0, "victim", "Wrong-Guess-0000", &known);
		sign_in_from(s->port, A, 0, "ghost", "Wrong-Guess-0000", &unknown);
		failures_from_a += 2 * (known.status == 401);
		f.checked += 2;
		if (!same_attempt(&known, &unknown)) {
			describe_attempt(da, sizeof(da), &known);
			describe_attempt(db_, sizeof(db_), &unknown);
			found(&f, "attempt %d: an account and an unknown login are told apart: %s / %s", i + 1, da, db_);
		}
		int want = i < max_failures ? 401 : 429;
		if (known.status != want || (want == 429 && strcmp(known.code, "account_locked"))) {
			describe_attempt(da, sizeof(da), &known);
			found(&f, "wrong password %d for an account: %s, expected %d%s", i + 1, da, want,
			      want == 429 ? " account_locked" : "");
		}
		if (want == 429 && (!strstr(known.message, "locked") || !known.retry_after[0]))
			found(&f, "the lock's answer says nothing clear ('%s', Retry-After '%s')", known.message,
			      known.retry_after);
		attempt_release(&known);
		attempt_release(&unknown);
	}
	/* The sign-in form says the same to both, and clearly. */
	{
		struct attempt known, unknown;
		sign_in_from(s->port, A, 1, "victim", "Wrong-Guess-0000", &known);
		sign_in_from(s->port, A, 1, "ghost", "Wrong-Guess-0000", &unknown);
		f.checked += 2;
		if (known.status != 429 || !memmem(known.page.ptr, known.page.len, "locked", 6))
			found(&f, "the sign-in form for a locked account: %d, expected 429 saying it is locked", known.status);
		if (!same_attempt(&known, &unknown))
			found(&f, "the sign-in form tells a locked account from an unknown login (%d / %d, pages differ)",
			      known.status, unknown.status);
		attempt_release(&known);
		attempt_release(&unknown);
	}
	/* The right password, from anywhere, while locked: refused. */
	for (int form = 0; form < 2; form++) {
		struct attempt a;
		sign_in_from(s->port, B, form, "victim", PASSWORD, &a);
		f.checked++;
		if (a.status != 429)
			found(&f, "the right password for a locked account (%s, another address): %d, expected 429",
			      form ? "form" : "API", a.status);
		attempt_release(&a);
	}

	/* More failures from A, over many logins, until the address itself is refused. */
	int n = 0, refused_at = 0;
	while (failures_from_a < client_max + 2 && n < 40) {
		char login[32];
		snprintf(login, sizeof(login), "nobody%02d", n++);
		struct attempt a;
		sign_in_from(s->port, A, 0, login, "Wrong-Guess-0000", &a);
		if (a.status == 401)
			failures_from_a++;
		if (a.status == 429 && !refused_at) {
			refused_at = failures_from_a;
			f.checked++;
			if (strcmp(a.code, "too_many_attempts") || !a.retry_after[0])
				found(&f, "the address refusal: %d %s (Retry-After '%s'), expected too_many_attempts", a.status,
				      a.code, a.retry_after);
		}
		attempt_release(&a);
		if (refused_at)
			break;
	}
	f.checked++;
	if (refused_at != client_max)
		found(&f, "the address was refused after %d failures, expected after %d", refused_at, client_max);
	{
		struct attempt a, b;
		sign_in_from(s->port, A, 0, "bystander", PASSWORD, &a);
		sign_in_from(s->port, B, 0, "bystander", PASSWORD, &b);
		f.checked += 2;
		if (a.status != 429)
			found(&f, "the right password from a refused address: %d, expected 429", a.status);
		if (b.status != 200)
			found(&f, "the right password from another address: %d, expected 200 (the refusal is per address)",
			      b.status);
		attempt_release(&a);
		attempt_release(&b);
	}

	/*
	 * A burst: 40 guesses at once, sent before any answer. No more may be
	 * tried than one at a time would allow.
	 */
	int tried, locked, other;
	burst(s->port, "127.0.0.4", 40, "target", 0, &tried, &locked, &other, &f);
	printf("attacks: burst of 40 guesses at one account: %d checked, %d refused as locked\n", tried, locked);
	f.checked++;
	if (tried > max_failures)
		found(&f, "a burst of 40 concurrent guesses at one account: %d were checked (401), at most %d may be",
		      tried, max_failures);
	{
		struct attempt a;
		sign_in_from(s->port, "127.0.0.5", 0, "target", PASSWORD, &a);
		f.checked++;
		if (a.status != 429)
			found(&f, "after the burst the right password is accepted (%d): the account did not lock", a.status);
		attempt_release(&a);
	}
	burst(s->port, "127.0.0.6", 40, "spray", 1, &tried, &locked, &other, &f);
	printf("attacks: burst of 40 guesses at 40 logins: %d checked, %d refused\n", tried, locked);
	f.checked++;
	if (tried > client_max)
		found(&f, "a burst of 40 concurrent guesses from one address: %d were checked, at most %d may be", tried,
		      client_max);
	assert_int_equal(tl_server_stop(s), 0);
	report("sign-in throttling", &f);
}

/* ---------- 7. slow clients and limits ---------- */

static void test_slow_clients(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	struct tl_server *s = &side;
	const char *sdb = tl_init_database(NULL, 0);
	const char *extra[] = {"--request-timeout", "2", "--max-body-size", "64K", NULL};
	tl_server_start(s, sdb, extra);
	const double timeout = 2.0, slack = 1.5;

	/*
	 * Six connections trickle a header a byte every 0.4 s; one sends its
	 * head and then the body a byte at a time; one sends nothing; and 200
	 * more are opened and left silent.
	 */
	enum { TRICKLE = 6, SLOW_BODY = 6, IDLE = 7, FLOOD = 8, N = 8 + 200 };
	int fd[N];
	double opened[N], closed[N];
	const char *what[N];
	for (int i = 0; i < N; i++) {
		fd[i] = tl_connect(s->port);
		assert_true(fd[i] >= 0);
		opened[i] = now_s();
		closed[i] = 0;
		what[i] = i < TRICKLE	   ? "a header a byte at a time"
			  : i == SLOW_BODY ? "a body a byte at a time"
			  : i == IDLE	   ? "nothing"
					   : "nothing (one of 200 opened at once)";
	}
	const char *head = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
	const char *post = "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
			   "Content-Length: 400\r\n\r\n{";
	for (int i = 0; i < TRICKLE; i++)
		write_all(fd[i], head, 5); /* "GET /", the rest follows slowly */
	write_all(fd[SLOW_BODY], post, strlen(post));
	size_t sent[N] = {0};
	for (int i = 0; i < TRICKLE; i++)
		sent[i] = 5;
	double t0 = now_s(), worst = 0, last_byte = 0;
	int normal = 0, answered_early = 0;
	while (now_s() - t0 < 8.0) {
		int open = 0;
		for (int i = 0; i < N; i++) {
			if (closed[i])
				continue;
			char tmp[4096];
			ssize_t n = recv(fd[i], tmp, sizeof(tmp), MSG_DONTWAIT);
			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
				closed[i] = now_s();
				continue;
			}
			if (n > 0 && !strncmp(tmp, "HTTP/1.1 200", 12))
				answered_early = 1;
			open++;
		}
		if (!open)
			break;
		if (now_s() - last_byte >= 0.4) {
			last_byte = now_s();
			for (int i = 0; i < N; i++) {
				if (closed[i] || i >= IDLE)
					continue;
				char c = i < TRICKLE ? (sent[i] < strlen(head) ? head[sent[i]] : 'a') : ' ';
				if (send(fd[i], &c, 1, MSG_NOSIGNAL) < 0 && errno != EAGAIN)
					closed[i] = now_s();
				else
					sent[i]++;
			}
		}
		/* Meanwhile another client is answered at once. */
		struct tl_response r;
		double q0 = now_s();
		tl_http(s->port, "GET", "/healthz", NULL, NULL, &r);
		double took = now_s() - q0;
		normal++;
		if (took > worst)
			worst = took;
		f.checked++;
		if (r.status != 200)
			found(&f, "GET /healthz while slow clients wait: %d", r.status);
		tl_response_release(&r);
		usleep(100000);
	}
	int flood_open = 0, flood_late = 0;
	for (int i = 0; i < N; i++) {
		f.checked++;
		if (i >= FLOOD) {
			flood_open += !closed[i];
			flood_late += closed[i] && closed[i] - opened[i] > timeout + slack;
		} else if (!closed[i]) {
			found(&f, "a connection sending %s is still open after %.1f s (request timeout %.0f s)", what[i],
			      now_s() - opened[i], timeout);
		} else if (closed[i] - opened[i] > timeout + slack) {
			found(&f, "a connection sending %s was closed after %.1f s (request timeout %.0f s)", what[i],
			      closed[i] - opened[i], timeout);
		}
		close(fd[i]);
	}
	if (flood_open || flood_late)
		found(&f, "of 200 silent connections opened at once, %d are still open and %d closed late", flood_open,
		      flood_late);
	double first = 1e9, last = 0;
	for (int i = 0; i < N; i++)
		if (closed[i]) {
			first = closed[i] - opened[i] < first ? closed[i] - opened[i] : first;
			last = closed[i] - opened[i] > last ? closed[i] - opened[i] : last;
		}
	printf("attacks: slow clients closed after %.2f–%.2f s (request timeout %.0f s)\n", first, last, timeout);
	if (answered_early)
		found(&f, "a trickled request got an answer");
	f.checked++;
	if (worst > 1.0)
		found(&f, "a normal request took %.2f s while slow clients waited (at most 1 s)", worst);
	printf("attacks: slow clients: %d normal requests meanwhile, the slowest %.1f ms\n", normal, worst * 1000);

	/* Oversized: answered at once, without waiting for what was announced. */
	struct {
		const char *what;
		struct buf req;
		int want, alt;
	} big[4];
	memset(big, 0, sizeof(big));
	big[0].what = "Content-Length of 10 MB (limit 64K)";
	buf_printf(&big[0].req, "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
				"Content-Length: 10485760\r\n\r\n{\"login\": ");
	big[0].want = big[0].alt = 413;
	big[1].what = "a chunked body of 100K (limit 64K)";
	buf_printf(&big[1].req, "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
				"Transfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 100; i++) {
		buf_printf(&big[1].req, "400\r\n");
		for (int k = 0; k < 1024; k++)
			buf_addc(&big[1].req, 'a');
		buf_adds(&big[1].req, "\r\n");
	}
	buf_adds(&big[1].req, "0\r\n\r\n");
	big[1].want = big[1].alt = 413;
	big[2].what = "a 20K header (limit 16K)";
	buf_printf(&big[2].req, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ");
	for (int k = 0; k < 20000; k++)
		buf_addc(&big[2].req, 'b');
	buf_adds(&big[2].req, "\r\n\r\n");
	big[2].want = big[2].alt = 431;
	big[3].what = "200 headers of 100 bytes";
	buf_printf(&big[3].req, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
	for (int k = 0; k < 200; k++)
		buf_printf(&big[3].req, "X-Many-%03d: %090d\r\n", k, k);
	buf_adds(&big[3].req, "\r\n");
	big[3].want = 431;
	big[3].alt = 400;
	for (int i = 0; i < 4; i++) {
		struct tl_response r;
		double q0 = now_s();
		tl_http_raw(s->port, big[i].req.ptr, big[i].req.len, 3000, &r);
		double took = now_s() - q0;
		f.checked++;
		if (r.status != big[i].want && r.status != big[i].alt)
			found(&f, "%s: %d, expected %d", big[i].what, r.status, big[i].want);
		if (took > 1.0)
			found(&f, "%s: answered after %.2f s (at most 1 s)", big[i].what, took);
		tl_response_release(&r);
		buf_release(&big[i].req);
	}
	/* A JSON body nested 50 000 deep (a parser's stack): refused at once, and the server lives on. */
	{
		struct buf req = BUF_INIT, body = BUF_INIT;
		for (int k = 0; k < 50000; k++)
			buf_addc(&body, '[');
		buf_printf(&req, "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
				 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", body.len, body.ptr);
		struct tl_response r;
		double q0 = now_s();
		tl_http_raw(s->port, req.ptr, req.len, 3000, &r);
		f.checked++;
		if (r.status != 400)
			found(&f, "a JSON body nested 50 000 deep: %d, expected 400", r.status);
		if (now_s() - q0 > 1.0)
			found(&f, "a JSON body nested 50 000 deep: answered after %.2f s", now_s() - q0);
		tl_response_release(&r);
		tl_http(s->port, "GET", "/healthz", NULL, NULL, &r);
		f.checked++;
		if (r.status != 200)
			found(&f, "after a deeply nested JSON body the server does not answer (%d)", r.status);
		tl_response_release(&r);
		buf_release(&req);
		buf_release(&body);
	}
	/* The check can fail: a body within the limit is read and judged. */
	{
		struct buf req = BUF_INIT;
		struct buf body = BUF_INIT;
		buf_adds(&body, "{\"login\": \"");
		for (int k = 0; k < 60000; k++)
			buf_addc(&body, 'a');
		buf_adds(&body, "\"}");
		buf_printf(&req, "POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
				 "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s", body.len, body.ptr);
		buf_release(&body);
		struct tl_response r;
		tl_http_raw(s->port, req.ptr, req.len, 5000, &r);
		f.checked++;
		if (r.status == 413 || r.status == 0 || r.status >= 500)
			found(&f, "a 60K body (limit 64K): %d, expected it read (an input error)", r.status);
		else if (r.status != 422 && r.status != 400)
			found(&f, "a 60K body (limit 64K): %d, expected an input error (login too long)", r.status);
		tl_response_release(&r);
		buf_release(&req);
	}
	assert_int_equal(tl_server_stop(s), 0);
	report("slow clients and size limits", &f);
}

/* ---------- 8. SQL injection smoke ---------- */

static const char *const sqli[] = {
	"' OR '1'='1",
	"' OR 1=1 --",
	"1; DROP TABLE appeal; --",
	"'; DROP TABLE child; --",
	"%27",
	"%2527",
	"\\'",
	"\"",
	"1) OR (1=1",
	"\xe2\x80\x99 OR \xe2\x80\x99" "1\xe2\x80\x99=\xe2\x80\x99" "1", /* ’ OR ’1’=’1 */
	"\xca\xbc OR \xca\xbc" "1\xca\xbc=\xca\xbc" "1",		     /* ʼ OR ʼ1ʼ=ʼ1 */
	"\xef\xbc\x87 OR \xef\xbc\x87" "1\xef\xbc\x87=\xef\xbc\x87" "1",     /* ＇ OR ＇1＇=＇1 */
	"' UNION SELECT password_hash FROM app_user --",
	"1 UNION ALL SELECT NULL--",
	"*",
	"%",
	"_",
	"a%' OR 'x' LIKE '%",
	"\" OR \"\"=\"",
	"NEAR(",
	"1.9999-99-99.1",
	"0.----------.1",
	"1.2026-01-01.1' OR '1'='1",
	"zz.zz.1",
	"a.b.-1",
	"-1",
	"0",
	"99999999999999999999",
	"1e3",
	"0x10",
	"1 OR 1=1",
	"open' OR '1'='1",
};

/* The number of rows an answer shows: items of an API list, table rows of a page. */
static long rows_of(const struct tl_response *r)
{
	if (header_is(r, "content-type", "application/json")) {
		json_t *j = json_loadb(r->body.ptr, r->body.len, 0, NULL);
		json_t *items = json_object_get(j, "items");
		long n = json_is_array(items) ? (long)json_array_size(items) : -1;
		json_decref(j);
		return n;
	}
	long n = 0;
	for (const char *p = r->body.ptr; (p = memmem(p, r->body.len - (size_t)(p - r->body.ptr), "<tr", 3)) != NULL; p += 3)
		n++;
	return n;
}

static const char *const db_errors[] = {"syntax error", "SQLITE", "sqlite3", "ERROR:  ", "unterminated", "near \"",
					"$argon2", "pq:", "PGRES", "no such column", NULL};

static void test_sql_injection(void **state)
{
	(void)state;
	struct findings f = {BUF_INIT, 0, 0};
	struct buf before = BUF_INIT, after = BUF_INIT;
	snapshot(&before);

	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		struct person *p = who_may(rt);
		char base[256];
		if (!is_read(rt) || !rt->fields || !p)
			continue;
		fill(rt->pattern, &main_ids, base, sizeof(base));
		struct tl_response r0;
		as(p, "en", "GET", base, NULL, NULL, &r0);
		long baseline = r0.status == 200 ? rows_of(&r0) : -1;
		tl_response_release(&r0);
		for (const struct field *fl = rt->fields; fl->name; fl++) {
			for (size_t k = 0; k < sizeof(sqli) / sizeof(sqli[0]); k++) {
				char path[1024];
				char *enc = tl_urlencode(sqli[k]);
				snprintf(path, sizeof(path), "%s?%s=%s", base, fl->name, enc);
				free(enc);
				struct tl_response r;
				as(p, "en", "GET", path, NULL, NULL, &r);
				f.checked++;
				if (r.status == 0 || r.status >= 500) {
					found(&f, "GET %s (%s) as %s: %d (a server error) for %s='%s'", base, rt->name,
					      p->login, r.status, fl->name, sqli[k]);
				} else if (r.status == 200) {
					long n = rows_of(&r);
					if (baseline >= 0 && n > baseline)
						found(&f, "GET %s as %s: %s='%s' shows %ld rows, %ld without it", base, p->login,
						      fl->name, sqli[k], n, baseline);
				} else if (r.status < 400 && r.status != 303) {
					found(&f, "GET %s as %s: %s='%s': %d", base, p->login, fl->name, sqli[k], r.status);
				}
				for (const char *const *e = db_errors; *e; e++)
					if (memmem(r.body.ptr, r.body.len, *e, strlen(*e)))
						found(&f, "GET %s as %s: %s='%s': the answer shows '%s'", base, p->login, fl->name,
						      sqli[k], *e);
				tl_response_release(&r);
			}
		}
	}

	/* Ids in paths: never a record, never an error. */
	static const char *const ids[] = {"1'%20OR%20'1'='1", "1%27%20OR%20%271%27%3D%271", "1;DROP%20TABLE%20appeal",
					  "1%3B%20DROP%20TABLE%20appeal%3B--", "-1", "0", "01", "1e3", "0x1",
					  "99999999999999999999", "1%00", "1.0", "%31", "1%20", "(1)"};
	for (size_t i = 0; i < route_count; i++) {
		const struct route *rt = &routes[i];
		struct person *p = who_may(rt);
		if (!strstr(rt->pattern, "{id}") || !p)
			continue;
		for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++) {
			char path[512];
			const char *at = strstr(rt->pattern, "{id}");
			snprintf(path, sizeof(path), "%.*s%s%s", (int)(at - rt->pattern), rt->pattern, ids[k], at + 4);
			/* A second {id} (mentors): a real one. */
			char *second = strstr(path, "{id}");
			if (second) {
				char rest[256];
				snprintf(rest, sizeof(rest), "%s", second + 4);
				snprintf(second, sizeof(path) - (size_t)(second - path), "%lld%s", (long long)main_ids.mentor, rest);
			}
			struct buf headers = BUF_INIT, body = BUF_INIT;
			if (!is_read(rt) && (rt->flags & ROUTE_API)) {
				buf_printf(&headers, "X-CSRF-Token: %s", p->c.csrf);
				if (rt->flags & ROUTE_JSON) {
					buf_adds(&headers, "\r\nContent-Type: application/json");
					buf_adds(&body, "{}");
				}
			} else if (!is_read(rt)) {
				buf_adds(&headers, "Content-Type: application/x-www-form-urlencoded");
				buf_printf(&body, "_csrf=%s", p->c.csrf);
			}
			struct tl_response r;
			as(p, "en", rt->method, path, headers.ptr, body.len ? body.ptr : NULL, &r);
			f.checked++;
			if (r.status != 404)
				found(&f, "%s %s as %s: %d, expected 404", rt->method, path, p->login, r.status);
			tl_response_release(&r);
			buf_release(&headers);
			buf_release(&body);
		}
	}

	/* Every table is still there, and nothing changed by all those reads. */
	for (const char *const *t = snapshot_tables; *t; t++) {
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", *t);
		f.checked++;
		if (tl_sql(db, sql) != 0)
			found(&f, "table %s is gone", *t);
	}
	f.checked++;
	if (tl_sql(db, "SELECT count(*) FROM audit_log") != 0 || tl_sql(db, "SELECT count(*) FROM session") != 0)
		found(&f, "the audit log or the session table is gone");
	snapshot(&after);
	f.checked++;
	snapshot_diff(&f, "after the injection attempts", &before, &after);
	buf_release(&before);
	buf_release(&after);

	/* Quotes and statements in stored text are kept as text, and found by search. */
	const char *nasty = "O'Brien'); DROP TABLE child; --";
	json_t *b = json_pack("{s:s, s:s, s:s, s:i, s:s, s:b}", "surname", nasty, "given_name", "' OR '1'='1", "birth_date",
			      "2012-01-01", "district_id", 1, "care_status", "orphan", "confirm_new", 1);
	int64_t child = create(&people[P_COORD].c, "/api/v1/children", b);
	char path[256];
	PATH(path, "/api/v1/children/%lld", child);
	json_t *j = call(&people[P_COORD].c, "GET", path, NULL, 200);
	const char *back = json_string_value(json_object_get(j, "surname"));
	f.checked++;
	if (!back || strcmp(back, nasty))
		found(&f, "a surname with quotes came back as '%s'", back ? back : "(none)");
	json_decref(j);
	size_t hits[2];
	const char *queries[2] = {"OBrien", "O'Brien"};
	for (int k = 0; k < 2; k++) {
		char *q = tl_urlencode(queries[k]);
		snprintf(path, sizeof(path), "/api/v1/children?q=%s", q);
		free(q);
		j = call(&people[P_COORD].c, "GET", path, NULL, 200);
		hits[k] = json_array_size(json_object_get(j, "items"));
		json_decref(j);
	}
	f.checked++;
	if (hits[0] >= 1 && hits[1] < 1)
		found(&f, "GET /api/v1/children?q=O'Brien finds nothing, q=OBrien finds the child surnamed \"%s\": "
			  "the apostrophe in the query splits the name",
		      nasty);
	else if (hits[0] < 1)
		found(&f, "GET /api/v1/children?q=OBrien does not find the child surnamed \"%s\"", nasty);
	f.checked++;
	if (tl_sql(db, "SELECT count(*) FROM child") != 0)
		found(&f, "table child is gone after storing a surname with a DROP TABLE");
	report("SQL injection smoke", &f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stored_xss),	   cmocka_unit_test(test_reflected_xss),
		cmocka_unit_test(test_header_injection),   cmocka_unit_test(test_static_traversal),
		cmocka_unit_test(test_session_fixation),   cmocka_unit_test(test_csrf),
		cmocka_unit_test(test_sql_injection),	   cmocka_unit_test(test_login_throttling),
		cmocka_unit_test(test_slow_clients),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
