/*
 * The prevention programme over the API, as each role: schools taking
 * part, lecturers and the prosecutor's approvals, scheduling without double
 * booking or unapproved lecturers, outcomes and attendance, the lecturer's
 * iCalendar feed (RFC 5545), events, coverage figures. Bad input changes
 * nothing. Both backends.
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

#include "lib/testlib.h"

static struct tl_server server;
static const char *db;
static struct tl_client admin, coord, prosecutor, school_a, school_b, lecturer, ombudsman;
static int64_t org_a, org_b, lecturer_user;

static int64_t make_org(const char *name, const char *kind, int district)
{
	char body[256];
	int status;
	snprintf(body, sizeof(body), "{\"name\": \"%s\", \"kind\": \"%s\", \"district_id\": %d}", name, kind, district);
	json_t *j = tl_api_json(&admin, "POST", "/api/v1/organisations", body, &status);
	assert_int_equal(status, 201);
	int64_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

static int64_t person(struct tl_client *c, const char *login, const char *role, const char *extra)
{
	int64_t id = tl_create_user(&admin, login, role, "Strong-Pass-2026", extra);
	assert_int_equal(tl_login(c, server.port, login, "Strong-Pass-2026"), 200);
	return id;
}

static int start(void **state)
{
	(void)state;
	char pw[64], extra[128];
	db = tl_init_database(pw, sizeof(pw));
	tl_server_start(&server, db, NULL);
	tl_admin_session(&admin, server.port, pw);
	org_a = make_org("№12 мектеп-гимназия", "school", 1);
	org_b = make_org("№3 мектеп", "school", 1);
	person(&coord, "coord", "coordinator", NULL);
	person(&prosecutor, "prok", "prosecutor", NULL);
	person(&ombudsman, "ombud", "ombudsman", NULL);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_a);
	person(&school_a, "schoola", "school", extra);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_b);
	person(&school_b, "schoolb", "school", extra);
	lecturer_user = person(&lecturer, "lect", "lecturer", NULL);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

static json_t *api(struct tl_client *c, const char *method, const char *path, const char *body, int *status)
{
	return tl_api_json(c, method, path, body, status);
}

static int64_t num(json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

static const char *str(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));
	return s ? s : "";
}

/* expect: POST and check the status (and error code if given); returns the id of a success. */
static int64_t expect(struct tl_client *c, const char *path, const char *body, int want, const char *code)
{
	int status;
	json_t *j = api(c, "POST", path, body, &status);
	if (status != want)
		fail_msg("POST %s: %d %s (wanted %d)", path, status, tl_error_code(j), want);
	if (code && strcmp(tl_error_code(j), code))
		fail_msg("POST %s: code %s (wanted %s)", path, tl_error_code(j), code);
	int64_t id = num(j, "id");
	json_decref(j);
	return id;
}

/* A local time (UTC+5) days from now at hh:mm, as RFC 3339. */
static void at(int days, int hh, int mm, char out[32])
{
	time_t t = time(NULL) + 5 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = 0;
	strftime(out, 32, "%Y-%m-%dT%H:%M:00+05:00", &tm);
}

static void day(int days, char out[11])
{
	time_t t = time(NULL) + 5 * 3600 + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int64_t l1, l2, lesson_a;

static void test_schools_and_lecturers(void **state)
{
	(void)state;
	char path[96], body[512];
	snprintf(path, sizeof(path), "/api/v1/schools/%lld", (long long)org_a);
	expect(&coord, path, "{\"pupils\": 600, \"in_programme\": true}", 200, NULL);
	expect(&school_a, path, "{\"pupils\": 612}", 200, NULL);
	expect(&school_a, path, "{\"pupils\": -1}", 422, NULL);
	snprintf(path, sizeof(path), "/api/v1/schools/%lld", (long long)org_b);
	expect(&school_a, path, "{\"pupils\": 10}", 404, NULL); /* another school's */
	expect(&lecturer, path, "{\"pupils\": 10}", 403, NULL);
	int status;
	json_t *j = api(&school_a, "GET", "/api/v1/schools", NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	assert_int_equal(num(json_array_get(json_object_get(j, "items"), 0), "pupils"), 612);
	json_decref(j);

	/* Lecturers: the department or the prosecutor's office adds them; only the prosecutor approves. */
	snprintf(body, sizeof(body),
		 "{\"full_name\": \"Ерлан Сапаров\", \"agency\": \"juvenile_police\", \"position\": \"аға инспектор\", "
		 "\"phone\": \"+7 701 555 44 33\", \"user_id\": %lld}",
		 (long long)lecturer_user);
	l1 = expect(&coord, "/api/v1/lecturers", body, 201, NULL);
	l2 = expect(&prosecutor, "/api/v1/lecturers", "{\"full_name\": \"Гүлнар Ахметова\", \"agency\": \"prosecutor\"}", 201,
		    NULL);
	expect(&coord, "/api/v1/lecturers", "{\"full_name\": \"Х\", \"agency\": \"wizard\"}", 422, NULL);
	expect(&school_a, "/api/v1/lecturers", "{\"full_name\": \"Ас Қар\", \"agency\": \"police\"}", 403, NULL);
	snprintf(body, sizeof(body), "{\"full_name\": \"Біреу\", \"agency\": \"police\", \"user_id\": %lld}",
		 (long long)lecturer_user);
	expect(&coord, "/api/v1/lecturers", body, 409, "user_taken");
	char until[11], order[11], past[11];
	day(365, until);
	day(-3, order);
	day(-1, past);
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld/approve", (long long)l1);
	snprintf(body, sizeof(body), "{\"order_number\": \"12-П\", \"order_date\": \"%s\", \"valid_until\": \"%s\"}", order,
		 until);
	expect(&coord, path, body, 403, NULL);
	char bad[256];
	snprintf(bad, sizeof(bad), "{\"order_number\": \"12-П\", \"order_date\": \"%s\", \"valid_until\": \"%s\"}", order,
		 past);
	expect(&prosecutor, path, bad, 422, NULL);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM lecturer_approval"), 0);
	expect(&prosecutor, path, body, 200, NULL);
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld", (long long)l1);
	j = api(&lecturer, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_true(json_is_true(json_object_get(j, "approved")));
	assert_int_equal(json_array_size(json_object_get(j, "approvals")), 1);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld", (long long)l2);
	j = api(&lecturer, "GET", path, NULL, &status);
	assert_int_equal(status, 404); /* a lecturer sees only themselves */
	json_decref(j);
}

static void lesson_body(char *out, size_t n, int64_t school, int64_t lect, const char *when, int minutes,
			const char *klass, int pupils)
{
	snprintf(out, n,
		 "{\"school_id\": %lld, \"lecturer_id\": %lld, \"starts_at\": \"%s\", \"duration_min\": %d, "
		 "\"class_name\": \"%s\", \"topic\": \"bullying\", \"planned_pupils\": %d}",
		 (long long)school, (long long)lect, when, minutes, klass, pupils);
}

static void test_scheduling(void **state)
{
	(void)state;
	char when[32], body[512];
	long long before = tl_sql_int(db, "SELECT count(*) FROM lesson");
	at(7, 10, 0, when);
	/* An unapproved lecturer cannot be scheduled. */
	lesson_body(body, sizeof(body), org_a, l2, when, 45, "7 А", 28);
	expect(&coord, "/api/v1/lessons", body, 409, "not_approved");
	lesson_body(body, sizeof(body), org_a, l1, when, 45, "7 А", 28);
	lesson_a = expect(&coord, "/api/v1/lessons", body, 201, NULL);
	/* The same lecturer at an overlapping time, anywhere: no. */
	at(7, 10, 30, when);
	lesson_body(body, sizeof(body), org_a, l1, when, 45, "8 Б", 25);
	expect(&coord, "/api/v1/lessons", body, 409, "lecturer_busy");
	/* The same class at that time with another (approved) lecturer: no; "7а" is "7 А". */
	char path[96], until[11], order[11], approve[256];
	day(200, until);
	day(0, order);
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld/approve", (long long)l2);
	snprintf(approve, sizeof(approve), "{\"order_number\": \"15-П\", \"order_date\": \"%s\", \"valid_until\": \"%s\"}",
		 order, until);
	expect(&prosecutor, path, approve, 200, NULL);
	lesson_body(body, sizeof(body), org_a, l2, when, 45, "7а", 25);
	expect(&coord, "/api/v1/lessons", body, 409, "class_busy");
	lesson_body(body, sizeof(body), org_a, l2, when, 45, "9 В", 25);
	expect(&school_a, "/api/v1/lessons", body, 201, NULL);
	/* Right after the first one ends: fine. */
	at(7, 10, 45, when);
	lesson_body(body, sizeof(body), org_a, l1, when, 45, "7 А", 28);
	expect(&coord, "/api/v1/lessons", body, 201, NULL);
	/* Bad input. */
	lesson_body(body, sizeof(body), org_b, l1, when, 45, "5 А", 20);
	expect(&coord, "/api/v1/lessons", body, 422, NULL); /* school B is not in the programme */
	lesson_body(body, sizeof(body), org_b, l1, when, 45, "5 А", 20);
	expect(&school_a, "/api/v1/lessons", body, 422, NULL); /* another school */
	at(-3, 10, 0, when);
	lesson_body(body, sizeof(body), org_a, l1, when, 45, "5 А", 20);
	expect(&coord, "/api/v1/lessons", body, 422, NULL); /* in the past */
	at(9, 10, 0, when);
	lesson_body(body, sizeof(body), org_a, l1, when, 600, "5 А", 20);
	expect(&coord, "/api/v1/lessons", body, 422, NULL); /* ten hours */
	lesson_body(body, sizeof(body), org_a, l1, when, 45, "5 А", 5000);
	expect(&coord, "/api/v1/lessons", body, 422, NULL);
	lesson_body(body, sizeof(body), org_a, 999, when, 45, "5 А", 20);
	expect(&coord, "/api/v1/lessons", body, 422, NULL);
	expect(&lecturer, "/api/v1/lessons", body, 403, NULL);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM lesson"), before + 3);
	/* A reschedule keeps the lesson at its school: another school is refused and nothing moves. */
	snprintf(path, sizeof(path), "/api/v1/lessons/%lld", (long long)lesson_a);
	lesson_body(body, sizeof(body), org_b, l1, when, 45, "7 А", 28);
	expect(&coord, path, body, 422, "school_changed");
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT school_id FROM lesson WHERE id = %lld", (long long)lesson_a);
	assert_int_equal(tl_sql_int(db, sql), org_a);
}

static void test_outcomes_and_confirmation(void **state)
{
	(void)state;
	char path[96], when[32], body[512];
	snprintf(path, sizeof(path), "/api/v1/lessons/%lld/outcome", (long long)lesson_a);
	expect(&school_a, path, "{\"status\": \"held\", \"attended\": 25}", 422, "in_future");
	expect(&school_b, path, "{\"status\": \"held\", \"attended\": 25}", 404, NULL);
	expect(&school_a, path, "{\"status\": \"cancelled\"}", 422, NULL); /* a reason is needed */
	/* A lesson that has begun: recorded, within the class's size. */
	time_t now = time(NULL) - 20 * 60;
	struct tm tm;
	time_t local = now + 5 * 3600;
	gmtime_r(&local, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:00+05:00", &tm);
	lesson_body(body, sizeof(body), org_a, l2, when, 45, "10 А", 30);
	int64_t now_lesson = expect(&school_a, "/api/v1/lessons", body, 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/lessons/%lld/outcome", (long long)now_lesson);
	expect(&school_a, path, "{\"status\": \"held\", \"attended\": 31}", 422, "above_class_size");
	expect(&school_a, path, "{\"status\": \"held\", \"attended\": 27, \"note\": \"Белсенді сынып\"}", 200, NULL);
	/* Held may be recorded again (the attendance corrected); a lesson held cannot be cancelled. */
	expect(&school_a, path, "{\"status\": \"held\", \"attended\": 26}", 200, NULL); /* the note stays */
	expect(&school_a, path, "{\"status\": \"cancelled\", \"cancel_reason\": \"ауырды\"}", 409, "not_planned");
	char sql[192];
	snprintf(sql, sizeof(sql), "SELECT attended FROM lesson WHERE id = %lld AND status = 'held' AND note = 'Белсенді сынып'",
		 (long long)now_lesson);
	assert_int_equal(tl_sql_int(db, sql), 26);
	/* A lesson cancelled that took place after all: held, its reason cleared. */
	now = time(NULL) - 50 * 60;
	local = now + 5 * 3600;
	gmtime_r(&local, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:00+05:00", &tm);
	lesson_body(body, sizeof(body), org_a, l1, when, 25, "10 Б", 30);
	char p2[96];
	snprintf(p2, sizeof(p2), "/api/v1/lessons/%lld/outcome", (long long)expect(&school_a, "/api/v1/lessons", body, 201, NULL));
	expect(&school_a, p2, "{\"status\": \"cancelled\", \"cancel_reason\": \"карантин\"}", 200, NULL);
	expect(&school_a, p2, "{\"status\": \"held\", \"attended\": 20}", 200, NULL);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM lesson WHERE class_name = '10 Б' AND status = 'held' AND "
				   "cancel_reason IS NULL AND attended = 20");
	assert_int_equal(tl_sql_int(db, sql), 1);
	snprintf(path, sizeof(path), "/api/v1/lessons/%lld/feedback", (long long)now_lesson);
	expect(&school_a, path, "{\"feedback\": \"Оқушыларға ұнады\"}", 200, NULL);
	/* The lecturer confirms their own lesson, never another's. */
	snprintf(path, sizeof(path), "/api/v1/lessons/%lld/confirm", (long long)lesson_a);
	expect(&lecturer, path, NULL, 200, NULL);
	snprintf(path, sizeof(path), "/api/v1/lessons/%lld/confirm", (long long)now_lesson);
	expect(&lecturer, path, NULL, 404, NULL);
	int status;
	json_t *j = api(&lecturer, "GET", "/api/v1/lessons", NULL, &status);
	json_t *items = json_object_get(j, "items");
	assert_true(json_array_size(items) >= 1);
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_int_equal(num(json_array_get(items, i), "lecturer_id"), l1);
	json_decref(j);
	/* Revoking the approval flags the lecturer's future lessons. */
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld/revoke", (long long)l1);
	expect(&coord, path, "{\"reason\": \"қызметтен кетті\"}", 403, NULL);
	expect(&prosecutor, path, "{\"reason\": \"қызметтен кетті\"}", 200, NULL);
	expect(&prosecutor, path, "{\"reason\": \"қайта\"}", 409, "nothing_to_revoke");
	snprintf(path, sizeof(path), "/api/v1/lessons/%lld", (long long)lesson_a);
	j = api(&coord, "GET", path, NULL, &status);
	assert_true(json_is_true(json_object_get(j, "flagged")));
	json_decref(j);
	/* And it can no longer be scheduled. */
	at(20, 12, 0, when);
	lesson_body(body, sizeof(body), org_a, l1, when, 45, "6 А", 20);
	expect(&coord, "/api/v1/lessons", body, 409, "not_approved");
}

/* ---------- the iCalendar feed ---------- */

static void test_ics(void **state)
{
	(void)state;
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld/feed", (long long)l1);
	int status;
	json_t *j = api(&lecturer, "POST", path, NULL, &status);
	assert_int_equal(status, 200);
	char feed[160];
	snprintf(feed, sizeof(feed), "%s", str(j, "path"));
	json_decref(j);
	assert_non_null(strstr(feed, "/ics/"));
	struct tl_response r;
	assert_int_equal(tl_http(server.port, "GET", feed, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	char ct[128];
	assert_true(tl_response_header(&r, "content-type", ct, sizeof(ct)));
	assert_non_null(strstr(ct, "text/calendar"));
	const char *b = r.body.ptr;
	assert_int_equal(strncmp(b, "BEGIN:VCALENDAR\r\n", 17), 0);
	assert_non_null(strstr(b, "VERSION:2.0\r\n"));
	assert_non_null(strstr(b, "END:VCALENDAR\r\n"));
	/* RFC 5545: CRLF only, lines of at most 75 octets, UTC times. */
	int events = 0;
	for (const char *line = b; *line;) {
		const char *end = strstr(line, "\r\n");
		assert_non_null(end);
		assert_true(end - line <= 75);
		assert_null(memchr(line, '\n', (size_t)(end - line)));
		if (!strncmp(line, "BEGIN:VEVENT", 12))
			events++;
		if (!strncmp(line, "DTSTART:", 8))
			assert_true(end - line == 24 && line[23] == 'Z');
		line = end + 2;
	}
	assert_true(events >= 2);
	assert_non_null(strstr(b, "STATUS:CONFIRMED"));
	tl_response_release(&r);
	/* A wrong secret, and the old one after a rotation, find nothing. */
	assert_int_equal(tl_http(server.port, "GET", "/ics/notatoken.ics", NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	tl_response_release(&r);
	j = api(&coord, "POST", path, NULL, &status);
	assert_int_equal(status, 200);
	json_decref(j);
	assert_int_equal(tl_http(server.port, "GET", feed, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	tl_response_release(&r);
	/* The feed answers while its lecturer's account is active, not after it is disabled. */
	struct tl_client gone;
	int64_t gone_user = person(&gone, "lectgone", "lecturer", NULL);
	char body[256], until[11], order[11];
	snprintf(body, sizeof(body), "{\"full_name\": \"Асқар Бекұлы\", \"agency\": \"police\", \"user_id\": %lld}",
		 (long long)gone_user);
	int64_t lg = expect(&coord, "/api/v1/lecturers", body, 201, NULL);
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld/feed", (long long)lg);
	j = api(&coord, "POST", path, NULL, &status);
	assert_int_equal(status, 200);
	snprintf(feed, sizeof(feed), "%s", str(j, "path"));
	json_decref(j);
	day(100, until);
	day(-1, order);
	snprintf(path, sizeof(path), "/api/v1/lecturers/%lld/approve", (long long)lg);
	snprintf(body, sizeof(body), "{\"order_number\": \"31-П\", \"order_date\": \"%s\", \"valid_until\": \"%s\"}",
		 order, until);
	expect(&prosecutor, path, body, 200, NULL);
	assert_int_equal(tl_http(server.port, "GET", feed, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	tl_response_release(&r);
	snprintf(path, sizeof(path), "/api/v1/users/%lld", (long long)gone_user);
	expect(&admin, path, "{\"active\": false}", 200, NULL);
	assert_int_equal(tl_http(server.port, "GET", feed, NULL, NULL, &r), 0);
	assert_int_equal(r.status, 404);
	tl_response_release(&r);
}

/* ---------- events and coverage ---------- */

static void test_events_and_coverage(void **state)
{
	(void)state;
	char body[512], past[11], future[11];
	day(-10, past);
	day(10, future);
	snprintf(body, sizeof(body),
		 "{\"title\": \"«Балалық шақ – қауіпсіз»\", \"kind\": \"campaign\", \"held_on\": \"%s\", \"district_id\": 1, "
		 "\"organiser\": \"support_centre\", \"participants\": 340, \"partners\": \"полиция, прокуратура\"}",
		 past);
	int64_t ev = expect(&coord, "/api/v1/events", body, 201, NULL);
	assert_true(ev > 0);
	snprintf(body, sizeof(body),
		 "{\"title\": \"Ата-аналар жиналысы\", \"kind\": \"parents_meeting\", \"held_on\": \"%s\", \"district_id\": 1, "
		 "\"organiser\": \"school\", \"participants\": 80}",
		 past);
	expect(&school_a, "/api/v1/events", body, 201, NULL);
	long long before = tl_sql_int(db, "SELECT count(*) FROM prevention_event");
	snprintf(body, sizeof(body),
		 "{\"title\": \"Болашақ\", \"kind\": \"training\", \"held_on\": \"%s\", \"district_id\": 1, "
		 "\"organiser\": \"support_centre\", \"participants\": 50}",
		 future);
	expect(&coord, "/api/v1/events", body, 422, NULL);
	expect(&coord, "/api/v1/events", "{\"title\": \"Бір\", \"kind\": \"rave\", \"held_on\": \"2026-01-01\", "
				       "\"district_id\": 1, \"organiser\": \"school\", \"participants\": 1}",
	       422, NULL);
	expect(&lecturer, "/api/v1/events", "{}", 403, NULL);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM prevention_event"), before);
	/* A school sees its own events. */
	int status;
	json_t *j = api(&school_a, "GET", "/api/v1/events", NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);

	/* Coverage agrees with counts made here. */
	char from[11], to[11], path[128];
	day(-100, from);
	day(100, to);
	snprintf(path, sizeof(path), "/api/v1/programme/coverage?from=%s&to=%s", from, to);
	j = api(&prosecutor, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(num(j, "lessons_held"), tl_sql_int(db, "SELECT count(*) FROM lesson WHERE status = 'held'"));
	assert_int_equal(num(j, "lessons_planned"), tl_sql_int(db, "SELECT count(*) FROM lesson WHERE status = 'planned'"));
	assert_int_equal(num(j, "pupils_reached"),
			 tl_sql_int(db, "SELECT COALESCE(sum(attended), 0) FROM lesson WHERE status = 'held'"));
	assert_int_equal(num(j, "schools_in_programme"), 1);
	assert_int_equal(num(j, "schools_covered"), 1);
	assert_int_equal(num(j, "events"), 2);
	assert_int_equal(num(j, "event_participants"), 420);
	json_decref(j);
	/* The headline figures agree too: region, the schools' district, another district, a school's own. */
	static const char *const scopes[] = {"", "&district_id=1", "&district_id=2"};
	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "/api/v1/reports/summary?from=%s&to=%s%s", from, to, scopes[k]);
		j = api(&coord, "GET", path, NULL, &status);
		assert_int_equal(status, 200);
		assert_int_equal(num(j, "lessons_held"),
				 k == 2 ? 0 : tl_sql_int(db, "SELECT count(*) FROM lesson WHERE status = 'held'"));
		assert_int_equal(num(j, "pupils_reached"),
				 k == 2 ? 0 : tl_sql_int(db, "SELECT COALESCE(sum(attended), 0) FROM lesson WHERE status = 'held'"));
		assert_int_equal(num(j, "schools_covered"), k == 2 ? 0 : 1);
		json_decref(j);
	}
	snprintf(path, sizeof(path), "/api/v1/reports/summary?from=%s&to=%s", from, to);
	j = api(&school_a, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	snprintf(body, sizeof(body), "SELECT count(*) FROM lesson WHERE status = 'held' AND school_id = %lld", (long long)org_a);
	assert_int_equal(num(j, "lessons_held"), tl_sql_int(db, body));
	assert_true(num(j, "lessons_held") > 0);
	json_decref(j);
	j = api(&school_b, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(num(j, "lessons_held"), 0);
	assert_int_equal(num(j, "schools_covered"), 0);
	json_decref(j);
	j = api(&coord, "GET", "/api/v1/programme/coverage?from=2026-05-01&to=2026-01-01", NULL, &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = api(&lecturer, "GET", "/api/v1/programme/coverage", NULL, &status);
	assert_int_equal(status, 403);
	json_decref(j);
}


/* ---------- exports of the programme's lists ---------- */

/* Data rows of a CSV export (lines after the header), or -1 unless 200. */
static long long export_rows(struct tl_client *c, const char *path, struct tl_response *r)
{
	if (tl_api(c, "GET", path, NULL, r) != 200)
		return -1;
	assert_int_equal(memcmp(r->body.ptr, "\xEF\xBB\xBF", 3), 0);
	long long rows = -1;
	for (const char *p = r->body.ptr; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	return rows;
}

/* Items of a JSON list, the export's independent witness. */
static long long list_items(struct tl_client *c, const char *path)
{
	int status;
	json_t *j = api(c, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	long long n = (long long)json_array_size(json_object_get(j, "items"));
	json_decref(j);
	return n;
}

static void test_exports(void **state)
{
	(void)state;
	struct tl_response r;
	static const char *const school_filters[] = {"", "?in_programme=yes", "?in_programme=no", "?district_id=1"};
	for (int k = 0; k < 4; k++) {
		char ex[96], li[96];
		snprintf(ex, sizeof(ex), "/api/v1/reports/schools.csv%s", school_filters[k]);
		snprintf(li, sizeof(li), "/api/v1/schools%s", school_filters[k]);
		assert_int_equal(export_rows(&coord, ex, &r), list_items(&coord, li));
		if (k == 0)
			assert_true(strstr(r.body.ptr, "\r\nid,") == NULL &&
				    !strncmp(r.body.ptr + 3, "id,name,kind,district_id,active,pupils,in_programme,", 52));
		tl_response_release(&r);
	}
	assert_int_equal(export_rows(&coord, "/api/v1/reports/schools.csv", &r),
			 tl_sql_int(db, "SELECT count(*) FROM organisation WHERE kind IN ('school', 'college')"));
	tl_response_release(&r);
	/* A school: its own row. */
	assert_int_equal(export_rows(&school_a, "/api/v1/reports/schools.csv", &r), 1);
	char row[48];
	snprintf(row, sizeof(row), "\r\n%lld,", (long long)org_a);
	assert_non_null(strstr(r.body.ptr, row));
	tl_response_release(&r);
	assert_int_equal(tl_api(&coord, "GET", "/api/v1/reports/schools.csv?in_programme=maybe", NULL, &r), 422);
	tl_response_release(&r);

	/* Lecturers: everyone for the programme's people, a lecturer their own; approvals as of today. */
	long long lecturers = list_items(&coord, "/api/v1/lecturers");
	assert_true(lecturers > 1);
	assert_int_equal(export_rows(&coord, "/api/v1/reports/lecturers.csv", &r), lecturers);
	assert_non_null(strstr(r.body.ptr, ",revoked,"));
	assert_non_null(strstr(r.body.ptr, ",valid,"));
	tl_response_release(&r);
	assert_int_equal(export_rows(&lecturer, "/api/v1/reports/lecturers.csv", &r), 1);
	tl_response_release(&r);
	assert_int_equal(tl_api(&lecturer, "GET", "/api/v1/reports/lecturers.xlsx", NULL, &r), 200);
	assert_true(r.body.len > 4 && !memcmp(r.body.ptr, "PK\x03\x04", 4));
	tl_response_release(&r);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = 'lecturers'") >= 3);

	/* Events read in pages: 2,345 on three days (ties on the day broken by id), each once, in order. */
	assert_int_equal(tl_sql(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2345) "
				    "INSERT INTO prevention_event (title, kind, held_on, district_id, organiser, participants, "
				    "created_at, updated_at) SELECT 'Акция', 'campaign', CASE i % 3 WHEN 0 THEN '2025-03-01' "
				    "WHEN 1 THEN '2025-03-02' ELSE '2025-03-03' END, 2, 'police', i, 0, 0 FROM n"),
			 0);
	long long want = tl_sql_int(db, "SELECT count(*) FROM prevention_event WHERE district_id = 2 "
					"AND held_on >= '2025-01-01' AND held_on <= '2025-12-31'");
	assert_true(want >= 2345);
	assert_int_equal(export_rows(&coord, "/api/v1/reports/events.csv?from=2025-01-01&to=2025-12-31&district_id=2", &r),
			 want);
	/* id,held_on,…: newest day first, within a day the higher id first, no id twice. */
	const char *line = strstr(r.body.ptr, "\r\n") + 2;
	long long prev_id = -1, rows = 0;
	char prev_day[11] = "9999-12-31";
	for (; *line; line = strstr(line, "\r\n") + 2, rows++) {
		long long id = atoll(line);
		const char *day = strchr(line, ',') + 1;
		int cmp = strncmp(day, prev_day, 10);
		assert_true(cmp < 0 || (cmp == 0 && id < prev_id));
		memcpy(prev_day, day, 10);
		prev_id = id;
	}
	assert_int_equal(rows, want);
	tl_response_release(&r);
}

/* ---------- pages ---------- */

static int page(struct tl_client *c, const char *path, const char *lang, struct tl_response *r)
{
	char h[512];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s; qorgau_lang=%s", c->cookie, lang);
	if (tl_http(server.port, "GET", path, h, NULL, r) < 0)
		fail_msg("GET %s failed", path);
	return r->status;
}

static int form(struct tl_client *c, const char *path, const char *body, struct tl_response *r)
{
	char h[512], full[2048];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded", c->cookie);
	snprintf(full, sizeof(full), "%s%s_csrf=%s", body, *body ? "&" : "", c->csrf);
	if (tl_http(server.port, "POST", path, h, full, r) < 0)
		fail_msg("POST %s failed", path);
	return r->status;
}

static void test_pages(void **state)
{
	(void)state;
	struct tl_response r;
	char path[96];
	static const char *const langs[] = {"kk", "ru"};
	for (int l = 0; l < 2; l++) {
		snprintf(path, sizeof(path), "/lessons/%lld", (long long)lesson_a);
		const char *paths[] = {"/lessons", "/lessons/new", "/schools", "/lecturers", "/events", "/programme", path, "/"};
		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
			if (page(&coord, paths[i], langs[l], &r) != 200)
				fail_msg("%s: %d", paths[i], r.status);
			else
				tl_response_release(&r);
	}
	/* The month shows the lesson; the lecturer sees only their own. */
	assert_int_equal(page(&coord, "/lessons?month=2099-13", "kk", &r), 200); /* a bad month: this one */
	tl_response_release(&r);
	assert_int_equal(page(&school_b, path, "kk", &r), 404);
	tl_response_release(&r);
	assert_int_equal(page(&ombudsman, "/programme", "ru", &r), 200);
	tl_response_release(&r);
	/* A school records feedback through the form; errors come back on the page. */
	snprintf(path, sizeof(path), "/lessons/%lld/feedback", (long long)lesson_a);
	assert_int_equal(form(&school_a, path, "feedback=Жақсы+өтті", &r), 303);
	tl_response_release(&r);
	assert_int_equal(form(&school_a, path, "feedback=", &r), 422);
	tl_response_release(&r);
	snprintf(path, sizeof(path), "/lessons/%lld/outcome", (long long)lesson_a);
	assert_int_equal(form(&school_a, path, "status=held&attended=20", &r), 409); /* not begun */
	tl_response_release(&r);
	/* A new calendar address is shown once, on the lecturer's page. */
	snprintf(path, sizeof(path), "/lecturers/%lld/feed", (long long)l1);
	assert_int_equal(form(&lecturer, path, "", &r), 200);
	assert_non_null(strstr(r.body.ptr, "/ics/"));
	tl_response_release(&r);
	/* Schools: unticking takes a school out of the programme. */
	snprintf(path, sizeof(path), "/schools/%lld", (long long)org_b);
	assert_int_equal(form(&coord, path, "pupils=450&in_programme=on", &r), 303);
	tl_response_release(&r);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT in_programme FROM school_profile WHERE organisation_id = %lld", (long long)org_b);
	assert_int_equal(tl_sql_int(db, sql), 1);
	assert_int_equal(form(&coord, path, "pupils=450", &r), 303);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, sql), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schools_and_lecturers),
		cmocka_unit_test(test_scheduling),
		cmocka_unit_test(test_outcomes_and_confirmation),
		cmocka_unit_test(test_ics),
		cmocka_unit_test(test_events_and_coverage),
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_pages),
	};
	return cmocka_run_group_tests_name(tl_backend(), tests, start, stop);
}
