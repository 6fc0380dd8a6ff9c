/*
 * Appeals over the API, as each role: intake and its legal dates, bad
 * input, sealed summaries and search, the state machine, extensions,
 * forwarding, consultations and their notes, referrals, scopes and break
 * the glass, audit of reads, ordering and pages. Both backends.
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

#include "core/calendar.h"
#include "core/time.h"
#include "lib/testlib.h"

static struct tl_server server;
static const char *db;
static struct tl_client admin, coord, coord_d2, psy_a, psy_b, head, prosecutor, ombudsman, school;
static int64_t psy_a_id, psy_b_id, org_prosecutor, org_ombudsman, org_school;

static int64_t make_org(const char *name, const char *kind)
{
	char body[256];
	int status;
	snprintf(body, sizeof(body), "{\"name\": \"%s\", \"kind\": \"%s\", \"district_id\": 1}", name, kind);
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
	org_prosecutor = make_org("Абай облысының прокуратурасы", "prosecutor");
	org_ombudsman = make_org("Бала құқықтары жөніндегі уәкіл", "ombudsman");
	org_school = make_org("№12 мектеп-гимназия", "school");
	person(&coord, "coord", "coordinator", NULL);
	person(&coord_d2, "coordtwo", "coordinator", "\"district_id\": 2");
	psy_a_id = person(&psy_a, "psya", "psychologist", NULL);
	psy_b_id = person(&psy_b, "psyb", "psychologist", NULL);
	person(&head, "headpsy", "psychologist", "\"head\": true");
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_prosecutor);
	person(&prosecutor, "prok", "prosecutor", extra);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_ombudsman);
	person(&ombudsman, "ombud", "ombudsman", extra);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_school);
	person(&school, "school12", "school", extra);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

/* POST an appeal: a typical one, with fields (JSON members) replacing its own. */
static json_t *register_appeal(struct tl_client *c, const char *fields, int *status)
{
	json_t *base = json_loads("{\"channel\": \"helpline_111\", \"kind\": \"report\", \"applicant\": "
				  "{\"type\": \"parent\", \"name\": \"Әсемгүл Жанбұлатқызы\", \"phone\": \"+7 701 234 56 78\"}, "
				  "\"category\": \"bullying\", \"risk\": \"medium\", \"district_id\": 1, "
				  "\"summary\": \"Мектепте балаларымызды мазақтайды\"}",
				  0, NULL);
	if (fields) {
		char wrapped[4096];
		snprintf(wrapped, sizeof(wrapped), "{%s}", fields);
		json_error_t err;
		json_t *extra = json_loads(wrapped, 0, &err);
		if (!extra)
			fail_msg("bad test fields %s: %s", fields, err.text);
		json_object_update(base, extra);
		json_decref(extra);
	}
	char *body = json_dumps(base, 0);
	json_t *out = tl_api_json(c, "POST", "/api/v1/appeals", body, status);
	free(body);
	json_decref(base);
	return out;
}

static int64_t new_appeal(struct tl_client *c, const char *fields)
{
	int status;
	json_t *j = register_appeal(c, fields, &status);
	if (status != 201)
		fail_msg("register: %d %s", status, tl_error_code(j));
	int64_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return id;
}

/* GET a page as a signed-in browser would (the client's session cookie); the status. */
static int page_as(struct tl_client *c, const char *path, struct tl_response *r)
{
	char h[256];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", c->cookie);
	tl_http(server.port, "GET", path, h, NULL, r);
	return r->status;
}

/* Today in Kazakhstan (UTC+5), as the server counts it. */
static int64_t today_days_for_test(void)
{
	return ((int64_t)time(NULL) + 5 * 3600) / 86400;
}

static const char *str(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));
	return s ? s : "";
}

static void expect(struct tl_client *c, const char *method, const char *path, const char *body, int status,
		   const char *code)
{
	int got;
	json_t *j = tl_api_json(c, method, path, body, &got);
	if (got != status || (code && strcmp(tl_error_code(j), code)))
		fail_msg("%s %s: got %d %s, want %d %s", method, path, got, tl_error_code(j), status, code ? code : "");
	json_decref(j);
}

static void test_intake_and_dates(void **state)
{
	(void)state;
	int status;
	/* Received on Saturday 21 March 2026, in Nauryz: registered on Thursday the 26th. */
	json_t *j = register_appeal(&coord, "\"received_at\": \"2026-03-21T10:00:00+05:00\"", &status);
	assert_int_equal(status, 201);
	const char *number = str(j, "number");
	assert_int_equal(strlen(number), 13);
	assert_memory_equal(number, "A-2026-", 7);
	assert_string_equal(str(j, "registered_on"), "2026-03-26");
	assert_string_equal(str(j, "due_on"), "2026-04-16");
	assert_string_equal(str(j, "forward_due_on"), "2026-03-31");
	assert_string_equal(str(j, "status"), "registered");
	assert_string_equal(str(j, "received_at"), "2026-03-21T10:00:00+05:00");
	assert_true(json_is_true(json_object_get(j, "overdue")));
	json_decref(j);
	/* A later one gets the next number of its year. */
	j = register_appeal(&coord, "\"received_at\": \"2026-01-01T23:30:00+05:00\"", &status);
	assert_int_equal(status, 201);
	assert_memory_equal(str(j, "number"), "A-2026-", 7); /* New Year's Day is registered on 5 January */
	assert_string_equal(str(j, "registered_on"), "2026-01-05");
	json_decref(j);
	/* The year of the number is the year of registration: 31 December 2025 was a working day. */
	j = register_appeal(&coord, "\"received_at\": \"2025-12-31T10:00:00+05:00\"", &status);
	assert_memory_equal(str(j, "number"), "A-2025-", 7);
	assert_string_equal(str(j, "registered_on"), "2025-12-31");
	json_decref(j);
}

static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	static const struct {
		const char *fields;
		int status;
		const char *code;
	} cases[] = {
		{"\"category\": \"gossip\"", 422, "invalid_choice"},
		{"\"risk\": \"extreme\"", 422, "invalid_choice"},
		{"\"received_at\": \"2099-01-01T00:00\"", 422, "in_future"},
		{"\"received_at\": \"yesterday\"", 422, "invalid_datetime"},
		{"\"district_id\": 999", 422, "not_found"},
		{"\"district_id\": 0", 422, "out_of_range"},
		{"\"colour\": \"red\"", 400, "unknown_field"},
		{"\"sensitive\": \"yes\"", 422, "invalid_type"},
	};
	long long before = tl_sql_int(db, "SELECT count(*) FROM appeal");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int status;
		json_t *j = register_appeal(&coord, cases[i].fields, &status);
		if (status != cases[i].status || strcmp(tl_error_code(j), cases[i].code))
			fail_msg("case %zu (%s): %d %s", i, cases[i].fields, status, tl_error_code(j));
		json_decref(j);
	}
	/* Whole bodies that break a rule between fields. */
	static const struct {
		const char *body, *code;
	} bodies[] = {
		{"{\"channel\": \"phone\", \"kind\": \"request\", \"applicant\": {\"type\": \"anonymous\"}, "
		 "\"category\": \"legal_question\", \"risk\": \"low\", \"district_id\": 1, \"summary\": \"a question\"}",
		 "anonymous_not_allowed"},
		{"{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"anonymous\", \"name\": \"Иван\"}, "
		 "\"category\": \"neglect\", \"risk\": \"high\", \"district_id\": 1, \"summary\": \"x\"}",
		 "anonymous_with_name"},
		{"{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\"}, "
		 "\"category\": \"neglect\", \"risk\": \"high\", \"district_id\": 1, \"summary\": \"x\"}",
		 "required"},
		{"{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\", \"name\": \"Айжан\", "
		 "\"phone\": \"call me\"}, \"category\": \"neglect\", \"risk\": \"high\", \"district_id\": 1, \"summary\": \"x\"}",
		 "invalid_phone"},
		{"{\"channel\": \"pigeon\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\", \"name\": \"Айжан\"}, "
		 "\"category\": \"neglect\", \"risk\": \"high\", \"district_id\": 1, \"summary\": \"x\"}",
		 "invalid_choice"},
		{"{\"kind\": \"report\"}", "required"},
		{"[]", "invalid_json"},
		/* null is absent, for an object too; a string where an object goes is the wrong type. */
		{"{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": null, \"category\": \"neglect\", "
		 "\"risk\": \"high\", \"district_id\": 1, \"summary\": \"x\"}",
		 "required"},
		{"{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": \"parent\", \"category\": \"neglect\", "
		 "\"risk\": \"high\", \"district_id\": 1, \"summary\": \"x\"}",
		 "invalid_type"},
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		int status;
		json_t *j = tl_api_json(&coord, "POST", "/api/v1/appeals", bodies[i].body, &status);
		if (strcmp(tl_error_code(j), bodies[i].code))
			fail_msg("body %zu: %d %s, want %s", i, status, tl_error_code(j), bodies[i].code);
		assert_true(status == 400 || status == 422);
		json_decref(j);
	}
	/* Too long a summary, counted in characters. */
	struct buf big = BUF_INIT;
	buf_adds(&big, "\"summary\": \"");
	for (int i = 0; i < 5001; i++)
		buf_adds(&big, "ә");
	buf_adds(&big, "\"");
	int status;
	json_t *j = tl_api_json(&coord, "POST", "/api/v1/appeals", NULL, &status);
	json_decref(j);
	char *body = malloc(big.len + 512);
	sprintf(body, "{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"child\", \"name\": "
		      "\"Аян\"}, \"category\": \"neglect\", \"risk\": \"high\", \"district_id\": 1, %s}", big.ptr);
	j = tl_api_json(&coord, "POST", "/api/v1/appeals", body, &status);
	assert_int_equal(status, 422);
	assert_string_equal(tl_error_code(j), "too_long");
	json_decref(j);
	free(body);
	buf_release(&big);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM appeal"), before);
	/*
	 * A write's fields come from its body, never from the address (where a
	 * password would stay in logs): a query on a write is refused and
	 * changes nothing; an empty body sent as JSON is no body.
	 */
	int64_t id = new_appeal(&coord, NULL);
	char p[128], sql[128];
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld/flag?flagged=true&reason=from+the+address", (long long)id);
	j = tl_api_json(&ombudsman, "POST", p, NULL, &status);
	assert_int_equal(status, 400);
	assert_string_equal(tl_error_code(j), "unknown_field");
	json_decref(j);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal WHERE id = %lld AND flagged = 1", (long long)id);
	assert_int_equal(tl_sql_int(db, sql), 0);
	struct tl_response r;
	assert_int_equal(tl_api(&admin, "POST", "/api/v1/session?login=coord&password=Strong-Pass-2026", NULL, &r), 400);
	tl_response_release(&r);
	int64_t user = tl_create_user(&admin, "emptybody", "coordinator", "Strong-Pass-2026", NULL);
	snprintf(p, sizeof(p), "/api/v1/users/%lld/password", (long long)user);
	assert_int_equal(tl_api(&admin, "POST", p, "", &r), 200); /* Content-Type: application/json, Content-Length: 0 */
	tl_response_release(&r);
}

static void test_sealed_summary_and_search(void **state)
{
	(void)state;
	int status;
	json_t *j = register_appeal(&coord,
				    "\"sensitive\": true, \"summary\": \"Жасөспірім суицид туралы жазды: құпиясөзқорғау\", "
				    "\"category\": \"suicide_risk\", \"risk\": \"critical\"",
				    &status);
	assert_int_equal(status, 201);
	int64_t id = json_integer_value(json_object_get(j, "id"));
	assert_string_equal(str(j, "summary"), "Жасөспірім суицид туралы жазды: құпиясөзқорғау");
	assert_true(json_is_true(json_object_get(j, "critical")));
	json_decref(j);
	/* Nothing of it in the clear in the database: not the summary, not its words. */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal WHERE id = %lld AND summary IS NULL AND summary_sealed IS NOT NULL",
		 (long long)id);
	assert_int_equal(tl_sql_int(db, sql), 1);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM appeal WHERE summary LIKE '%құпиясөз%'"), 0);
	/* Yet its words are found, inflected, through the keyed index. */
	j = tl_api_json(&coord, "GET", "/api/v1/appeals?q=%D1%81%D1%83%D0%B8%D1%86%D0%B8%D0%B4", NULL, &status);
	assert_int_equal(status, 200);
	int found = 0;
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(j, "items"), i, it) found |= json_integer_value(json_object_get(it, "id")) == id;
	assert_true(found);
	json_decref(j);
	/* Kazakh inflection: "балалар" finds "балаларымызды"; the applicant's name in another script. */
	j = tl_api_json(&coord, "GET", "/api/v1/appeals?q=%D0%B1%D0%B0%D0%BB%D0%B0%D0%BB%D0%B0%D1%80", NULL, &status);
	assert_true(json_array_size(json_object_get(j, "items")) > 0);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/appeals?q=Asemgul", NULL, &status);
	assert_true(json_array_size(json_object_get(j, "items")) > 0);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/appeals?q=nothingmatchesthis", NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	/* A hyphenated word is found as written: the query parts words as the summaries' are. */
	int64_t hy = new_appeal(&coord, "\"summary\": \"Ата-анасы ажырасып жатыр, бала қатты уайымдайды\"");
	char hq[160];
	char *enc = tl_urlencode("ата-анасы ажырасып");
	snprintf(hq, sizeof(hq), "/api/v1/appeals?q=%s", enc);
	free(enc);
	j = tl_api_json(&coord, "GET", hq, NULL, &status);
	found = 0;
	json_array_foreach(json_object_get(j, "items"), i, it) found |= json_integer_value(json_object_get(it, "id")) == hy;
	assert_true(found);
	json_decref(j);
	/* By number. */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", (long long)id);
	j = tl_api_json(&coord, "GET", path, NULL, &status);
	char q[128];
	snprintf(q, sizeof(q), "/api/v1/appeals?q=%s", str(j, "number"));
	json_decref(j);
	j = tl_api_json(&coord, "GET", q, NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
}

static void test_state_machine(void **state)
{
	(void)state;
	int64_t id = new_appeal(&coord, NULL);
	char p[128], body[128];
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld/transition", (long long)id);
	int status;
	json_t *j = tl_api_json(&coord, "POST", p, "{\"to\": \"closed\"}", &status);
	assert_int_equal(status, 409);
	assert_string_equal(tl_error_code(j), "invalid_transition");
	json_t *allowed = json_object_get(json_object_get(j, "error"), "allowed");
	assert_int_equal(json_array_size(allowed), 1);
	assert_string_equal(json_string_value(json_array_get(allowed, 0)), "rejected");
	json_decref(j);
	expect(&coord, "POST", p, "{\"to\": \"rejected\"}", 422, "reason_required");
	char ap[128];
	snprintf(ap, sizeof(ap), "/api/v1/appeals/%lld/assign", (long long)id);
	expect(&coord, "POST", ap, "{\"psychologist_id\": 1}", 422, "not_a_psychologist");
	snprintf(body, sizeof(body), "{\"psychologist_id\": %lld}", (long long)psy_a_id);
	expect(&coord, "POST", ap, body, 200, NULL);
	/* The psychologist works it; only a coordinator reopens. */
	expect(&psy_a, "POST", p, "{\"to\": \"in_progress\"}", 200, NULL);
	/* No referral yet: refused, and "referred" is not among the ways on (a client retrying would loop). */
	j = tl_api_json(&psy_a, "POST", p, "{\"to\": \"referred\"}", &status);
	assert_int_equal(status, 409);
	assert_string_equal(tl_error_code(j), "invalid_transition");
	allowed = json_object_get(json_object_get(j, "error"), "allowed");
	assert_true(json_array_size(allowed) > 0);
	for (size_t k = 0; k < json_array_size(allowed); k++)
		assert_string_not_equal(json_string_value(json_array_get(allowed, k)), "referred");
	json_decref(j);
	/* Nor after any other refusal, nor on the page's list of statuses. */
	j = tl_api_json(&psy_a, "POST", p, "{\"to\": \"closed\"}", &status);
	assert_int_equal(status, 409);
	allowed = json_object_get(json_object_get(j, "error"), "allowed");
	assert_true(json_array_size(allowed) > 0);
	for (size_t k = 0; k < json_array_size(allowed); k++)
		assert_string_not_equal(json_string_value(json_array_get(allowed, k)), "referred");
	json_decref(j);
	{
		char page[96];
		snprintf(page, sizeof(page), "/appeals/%lld", (long long)id);
		struct tl_response pr;
		assert_int_equal(page_as(&coord, page, &pr), 200);
		const char *sel = strstr(pr.body.ptr, "name=\"to\"");
		assert_non_null(sel);
		const char *end = strstr(sel, "</select>");
		const char *referred = strstr(sel, "value=\"referred\"");
		assert_true(!referred || referred > end);
		tl_response_release(&pr);
	}
	expect(&psy_a, "POST", p, "{\"to\": \"resolved\", \"reason\": \"Отбасымен жұмыс жүргізілді\"}", 200, NULL);
	expect(&psy_a, "POST", p, "{\"to\": \"closed\"}", 200, NULL);
	{
		/* A consultation sent from the page to a closed appeal: refused and said so, not "Saved.". */
		char cp[96], h[256], form[256], held[32];
		time_t t = time(NULL) + 5 * 3600;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(held, sizeof(held), "%Y-%m-%dT%H:%M", &tm);
		snprintf(cp, sizeof(cp), "/appeals/%lld/consultations", (long long)id);
		snprintf(h, sizeof(h), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded", psy_a.cookie);
		snprintf(form, sizeof(form), "held_at=%s&duration_min=30&format=phone&_csrf=%s", held, psy_a.csrf);
		long long before = tl_sql_int(db, "SELECT count(*) FROM consultation");
		struct tl_response cr;
		tl_http(server.port, "POST", cp, h, form, &cr);
		assert_int_equal(cr.status, 409);
		tl_response_release(&cr);
		assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM consultation"), before);
	}
	expect(&psy_a, "POST", p, "{\"to\": \"in_progress\", \"reason\": \"again\"}", 409, "invalid_transition");
	expect(&coord, "POST", p, "{\"to\": \"in_progress\"}", 422, "reason_required");
	expect(&coord, "POST", p, "{\"to\": \"in_progress\", \"reason\": \"Жаңа мән-жайлар анықталды\"}", 200, NULL);
	expect(&psy_b, "POST", p, "{\"to\": \"resolved\"}", 404, "not_found"); /* not hers */
	expect(&coord, "POST", p, "{\"to\": \"teleported\"}", 422, "invalid_choice");
	/* Every change is in the history. */
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld/history", (long long)id);
	j = tl_api_json(&coord, "GET", p, NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 6); /* registered, assigned, in progress, resolved, closed, reopened */
	json_decref(j);
}

static void test_extension_and_forwarding(void **state)
{
	(void)state;
	int64_t id = new_appeal(&coord, NULL);
	char p[128];
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld", (long long)id);
	int status;
	json_t *j = tl_api_json(&coord, "GET", p, NULL, &status);
	char due[11], reg[11];
	snprintf(due, sizeof(due), "%s", str(j, "due_on"));
	snprintf(reg, sizeof(reg), "%s", str(j, "registered_on"));
	json_decref(j);
	int64_t regd, dued;
	date_to_days(reg, &regd);
	date_to_days(due, &dued);
	char body[256], ext[128], day[11];
	snprintf(ext, sizeof(ext), "/api/v1/appeals/%lld/extend", (long long)id);
	snprintf(body, sizeof(body), "{\"until\": \"%s\", \"reason\": \"Сараптама қажет\"}", due);
	expect(&coord, "POST", ext, body, 422, "not_later");
	date_format(date_add_months(regd, 2) + 1, day);
	snprintf(body, sizeof(body), "{\"until\": \"%s\", \"reason\": \"Сараптама қажет\"}", day);
	expect(&coord, "POST", ext, body, 422, "beyond_two_months");
	int64_t sat = dued + 1;
	while (weekday_from_days(sat) != 5)
		sat++;
	date_format(sat, day);
	snprintf(body, sizeof(body), "{\"until\": \"%s\", \"reason\": \"Сараптама қажет\"}", day);
	expect(&coord, "POST", ext, body, 422, "not_a_working_day");
	expect(&psy_a, "POST", ext, body, 403, "forbidden"); /* only the head extends */
	/*
	 * The first working day after it: the Monday, unless a holiday moved
	 * there (2 January on a Saturday makes the 4th a day off); the server's
	 * calendar says which, and refuses the others as not working days.
	 */
	j = NULL;
	for (int64_t d = sat + 2; d < sat + 12; d++) {
		date_format(d, day);
		snprintf(body, sizeof(body), "{\"until\": \"%s\", \"reason\": \"Сараптама қажет\"}", day);
		json_decref(j);
		j = tl_api_json(&head, "POST", ext, body, &status);
		if (status != 422 || strcmp(tl_error_code(j), "not_a_working_day"))
			break;
	}
	assert_int_equal(status, 200);
	assert_string_equal(str(j, "due_on"), day);
	assert_string_equal(str(j, "extended_until"), day);
	char day_extended[11];
	snprintf(day_extended, sizeof(day_extended), "%s", day);
	assert_true(strlen(str(j, "notify_applicant_by")) == 10);
	json_decref(j);
	char nt[128];
	snprintf(nt, sizeof(nt), "/api/v1/appeals/%lld/notified", (long long)id);
	expect(&coord, "POST", nt, "{\"on\": \"2099-01-01\"}", 422, "in_future");
	date_format(today_days_for_test(), day);
	snprintf(body, sizeof(body), "{\"on\": \"%s\"}", day);
	expect(&coord, "POST", nt, body, 200, NULL);
	/* Forwarding closes it here and says where it went. */
	char fw[128];
	snprintf(fw, sizeof(fw), "/api/v1/appeals/%lld/forward", (long long)id);
	expect(&coord, "POST", fw, "{\"organisation_id\": 99999}", 422, "not_found");
	snprintf(body, sizeof(body), "{\"organisation_id\": %lld, \"note\": \"Құзыреті бойынша\"}", (long long)org_prosecutor);
	j = tl_api_json(&coord, "POST", fw, body, &status);
	assert_int_equal(status, 200);
	assert_string_equal(str(j, "status"), "closed");
	assert_int_equal(json_integer_value(json_object_get(j, "forwarded_to")), org_prosecutor);
	json_decref(j);
	expect(&coord, "POST", fw, body, 409, "invalid_transition");
	/* The history keeps the new due date with the reason, and the body it went to with the note. */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal_event WHERE appeal_id = %lld AND action = 'extended' "
				   "AND detail LIKE 'until=____-__-__ Сараптама қажет'", (long long)id);
	assert_int_equal(tl_sql_int(db, sql), 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal_event WHERE appeal_id = %lld AND action = 'forwarded' "
				   "AND detail = 'organisation=%lld Құзыреті бойынша'", (long long)id, (long long)org_prosecutor);
	assert_int_equal(tl_sql_int(db, sql), 1);
	/* The page says them in words: the date the deadline moved to, the body by its name. */
	char h[256], page[64], want[160];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s; qorgau_lang=kk", coord.cookie);
	snprintf(page, sizeof(page), "/appeals/%lld", (long long)id);
	struct tl_response r;
	tl_http(server.port, "GET", page, h, NULL, &r);
	assert_int_equal(r.status, 200);
	snprintf(want, sizeof(want), ": %s дейін; Сараптама қажет</li>", day_extended);
	assert_non_null(strstr(r.body.ptr, want));
	assert_null(strstr(r.body.ptr, "until="));
	assert_null(strstr(r.body.ptr, "organisation="));
	tl_response_release(&r);
}

static void test_consultations_and_notes(void **state)
{
	(void)state;
	int64_t id = new_appeal(&coord, "\"category\": \"family_conflict\", \"received_at\": \"2026-03-01T09:00\"");
	char p[128], body[512];
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld/assign", (long long)id);
	snprintf(body, sizeof(body), "{\"psychologist_id\": %lld}", (long long)psy_a_id);
	expect(&head, "POST", p, body, 200, NULL);
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld/consultations", (long long)id);
	const char *good = "{\"held_at\": \"2026-03-02T10:00:00+05:00\", \"duration_min\": 50, \"format\": \"in_person\", "
			   "\"participants\": \"бала, анасы\", \"notes\": \"Бала ұйқысыз, қорқыныш белгілері бар\", "
			   "\"next_at\": \"2026-03-09T10:00:00+05:00\"}";
	/* Not her appeal: another psychologist cannot even see it. */
	expect(&psy_b, "POST", p, good, 404, "not_found");
	expect(&coord, "POST", p, good, 403, "forbidden");
	expect(&psy_a, "POST", p,
	       "{\"held_at\": \"2099-03-02T10:00\", \"duration_min\": 50, \"format\": \"in_person\"}", 422,
	       "in_future");
	expect(&psy_a, "POST", p,
	       "{\"held_at\": \"2026-03-02T10:00\", \"duration_min\": 1000, \"format\": \"in_person\"}", 422,
	       "out_of_range");
	/* Long before the appeal came in: it would count in a past period's figures (a week of slack is fine). */
	expect(&psy_a, "POST", p, "{\"held_at\": \"2026-02-01T10:00\", \"duration_min\": 50, \"format\": \"phone\"}", 422,
	       "before_received");
	expect(&psy_a, "POST", p, "{\"held_at\": \"1990-01-01T10:00\", \"duration_min\": 50, \"format\": \"phone\"}", 422,
	       "before_received");
	expect(&psy_a, "POST", p,
	       "{\"held_at\": \"2026-03-02T10:00\", \"duration_min\": 50, \"format\": \"telepathy\"}", 422,
	       "invalid_choice");
	expect(&psy_a, "POST", p,
	       "{\"held_at\": \"2026-03-02T10:00\", \"duration_min\": 50, \"format\": \"phone\", \"next_at\": "
	       "\"2026-03-01T10:00\"}",
	       422, "not_after");
	int status;
	json_t *j = tl_api_json(&psy_a, "POST", p, good, &status);
	assert_int_equal(status, 201);
	assert_string_equal(str(j, "notes"), "Бала ұйқысыз, қорқыныш белгілері бар");
	json_decref(j);
	/* The first consultation put the appeal in progress. */
	char ap[128];
	snprintf(ap, sizeof(ap), "/api/v1/appeals/%lld", (long long)id);
	j = tl_api_json(&psy_a, "GET", ap, NULL, &status);
	assert_string_equal(str(j, "status"), "in_progress");
	json_decref(j);
	/* Notes: the author and the head psychologist read them; the coordinator sees the consultation only. */
	static struct tl_client *const readers[] = {&psy_a, &head};
	for (int i = 0; i < 2; i++) {
		j = tl_api_json(readers[i], "GET", p, NULL, &status);
		assert_int_equal(status, 200);
		json_t *c = json_array_get(json_object_get(j, "items"), 0);
		assert_string_equal(str(c, "notes"), "Бала ұйқысыз, қорқыныш белгілері бар");
		json_decref(j);
	}
	j = tl_api_json(&coord, "GET", p, NULL, &status);
	assert_int_equal(status, 200);
	json_t *c = json_array_get(json_object_get(j, "items"), 0);
	assert_null(json_object_get(c, "notes"));
	assert_true(json_is_true(json_object_get(c, "has_notes")));
	json_decref(j);
	expect(&admin, "GET", p, NULL, 403, "forbidden");
	expect(&psy_b, "GET", p, NULL, 404, "not_found");
	/* Never in the clear in the database. */
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM consultation WHERE notes_sealed IS NULL"), 0);
}

static void test_referrals(void **state)
{
	(void)state;
	int64_t id = new_appeal(&coord, "\"category\": \"neglect\", \"risk\": \"high\"");
	char p[128], ap[128], body[512];
	snprintf(ap, sizeof(ap), "/api/v1/appeals/%lld", (long long)id);
	/* Neither the prosecutor's office (not about violence) nor the commissioner sees it yet. */
	expect(&prosecutor, "GET", ap, NULL, 404, "not_found");
	expect(&ombudsman, "GET", ap, NULL, 404, "not_found");
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld/referrals", (long long)id);
	snprintf(body, sizeof(body), "{\"organisation_id\": %lld, \"reason\": \"Ата-ананың міндеттерін орындамауы\", "
				     "\"consent\": \"not_required\"}", (long long)org_ombudsman);
	expect(&coord, "POST", p, body, 422, "required"); /* no legal ground */
	snprintf(body, sizeof(body), "{\"organisation_id\": %lld, \"reason\": \"Ата-ананың міндеттерін орындамауы\", "
				     "\"consent\": \"given\", \"due_on\": \"2001-01-01\"}", (long long)org_ombudsman);
	expect(&coord, "POST", p, body, 422, "in_past");
	snprintf(body, sizeof(body), "{\"organisation_id\": %lld, \"reason\": \"Ата-ананың міндеттерін орындамауы\", "
				     "\"consent\": \"not_required\", \"legal_ground\": \"Кодекс о браке и семье, ст. 139\"}",
		 (long long)org_ombudsman);
	int status;
	json_t *j = tl_api_json(&coord, "POST", p, body, &status);
	assert_int_equal(status, 201);
	int64_t rid = json_integer_value(json_object_get(j, "id"));
	assert_string_equal(str(j, "status"), "pending");
	assert_int_equal(strlen(str(j, "due_on")), 10);
	json_decref(j);
	/* Now the commissioner sees it, lists it, and answers; the prosecutor's office still does not. */
	expect(&ombudsman, "GET", ap, NULL, 200, NULL);
	expect(&prosecutor, "GET", ap, NULL, 404, "not_found");
	j = tl_api_json(&ombudsman, "GET", "/api/v1/appeals", NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	j = tl_api_json(&ombudsman, "GET", "/api/v1/referrals", NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	char ans[128];
	snprintf(ans, sizeof(ans), "/api/v1/referrals/%lld/answer", (long long)rid);
	expect(&prosecutor, "POST", ans, "{\"status\": \"accepted\"}", 404, "not_found");
	expect(&ombudsman, "POST", ans, "{\"status\": \"done\"}", 409, "invalid_transition");
	expect(&ombudsman, "POST", ans, "{\"status\": \"rejected\"}", 422, "answer_required");
	expect(&ombudsman, "POST", ans, "{\"status\": \"accepted\"}", 200, NULL);
	/* Done says what was done. */
	expect(&ombudsman, "POST", ans, "{\"status\": \"done\"}", 422, "answer_required");
	expect(&ombudsman, "POST", ans, "{\"status\": \"done\", \"answer\": \"Отбасы тексерілді\"}", 200, NULL);
	expect(&ombudsman, "POST", ans, "{\"status\": \"accepted\"}", 409, "invalid_transition");
	/* The commissioner may flag it for review, with a reason. */
	char fl[128];
	snprintf(fl, sizeof(fl), "/api/v1/appeals/%lld/flag", (long long)id);
	expect(&ombudsman, "POST", fl, "{\"flagged\": true}", 422, "reason_required");
	expect(&ombudsman, "POST", fl, "{\"flagged\": true, \"reason\": \"Мерзімі бұзылуы мүмкін\"}", 200, NULL);
	expect(&psy_a, "POST", fl, "{\"flagged\": false}", 403, "forbidden");
	/* A referral in progress puts an appeal in progress into "referred"; revoking takes access away. */
	int64_t id2 = new_appeal(&coord, "\"category\": \"neglect\"");
	char p2[128];
	snprintf(p2, sizeof(p2), "/api/v1/appeals/%lld/assign", (long long)id2);
	snprintf(body, sizeof(body), "{\"psychologist_id\": %lld}", (long long)psy_a_id);
	expect(&coord, "POST", p2, body, 200, NULL);
	snprintf(p2, sizeof(p2), "/api/v1/appeals/%lld/transition", (long long)id2);
	expect(&psy_a, "POST", p2, "{\"to\": \"in_progress\"}", 200, NULL);
	snprintf(p2, sizeof(p2), "/api/v1/appeals/%lld/referrals", (long long)id2);
	snprintf(body, sizeof(body), "{\"organisation_id\": %lld, \"reason\": \"Полицияның тексеруі қажет\", "
				     "\"consent\": \"given\"}", (long long)org_ombudsman);
	j = tl_api_json(&psy_a, "POST", p2, body, &status);
	assert_int_equal(status, 201);
	rid = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(p2, sizeof(p2), "/api/v1/appeals/%lld", (long long)id2);
	j = tl_api_json(&psy_a, "GET", p2, NULL, &status);
	assert_string_equal(str(j, "status"), "referred");
	json_decref(j);
	expect(&ombudsman, "GET", p2, NULL, 200, NULL);
	snprintf(ans, sizeof(ans), "/api/v1/referrals/%lld/answer", (long long)rid);
	expect(&psy_a, "POST", ans, "{\"status\": \"revoked\"}", 200, NULL);
	expect(&ombudsman, "GET", p2, NULL, 404, "not_found");
	/* The page's history tells it in words, in the reader's language: who it was assigned to and
	 * where it was referred, by name, never by the ids the entries keep. */
	char h[160], page[64];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", coord.cookie);
	snprintf(page, sizeof(page), "/appeals/%lld", (long long)id2);
	struct tl_response r;
	tl_http(server.port, "GET", page, h, NULL, &r);
	assert_int_equal(r.status, 200);
	const char *hist = strstr(r.body.ptr, "<ol class=\"history\">");
	assert_non_null(hist);
	assert_non_null(strstr(hist, "Тағайындалды ("));
	assert_non_null(strstr(hist, "): Test psya</li>"));
	assert_non_null(strstr(hist, "Жолдама жіберілді: Бала құқықтары жөніндегі уәкіл"));
	assert_non_null(strstr(hist, "Жолдама жіберілді"));
	assert_non_null(strstr(hist, "Жолдамаға жауап берілді"));
	assert_null(strstr(hist, "user="));
	assert_null(strstr(hist, "referral="));
	assert_null(strstr(hist, "organisation="));
	tl_response_release(&r);
	/* The inbox as a file: the same referrals as the list, its own organisation's only. */
	struct tl_client *const inboxes[] = {&ombudsman, &prosecutor, &coord, &psy_a};
	for (int k = 0; k < 4; k++) {
		j = tl_api_json(inboxes[k], "GET", "/api/v1/referrals", NULL, &status);
		long long listed = (long long)json_array_size(json_object_get(j, "items"));
		json_decref(j);
		/* Whoever may not read the inbox may not export it either. */
		assert_int_equal(tl_api(inboxes[k], "GET", "/api/v1/reports/referrals.csv", NULL, &r), status);
		if (status != 200) {
			assert_int_equal(status, 403);
			tl_response_release(&r);
			continue;
		}
		long long rows = -1;
		for (const char *q = r.body.ptr; (q = strstr(q, "\r\n")); q += 2)
			rows++;
		assert_int_equal(rows, listed);
		if (k == 0) {
			assert_true(rows >= 2);
			assert_non_null(strstr(r.body.ptr, "Полицияның тексеруі қажет"));
		}
		tl_response_release(&r);
	}
}

static void test_scopes_and_break_the_glass(void **state)
{
	(void)state;
	int64_t in_d1 = new_appeal(&coord, NULL);
	int64_t in_d2 = new_appeal(&coord, "\"district_id\": 2");
	int64_t violence = new_appeal(&coord, "\"category\": \"physical_violence\", \"risk\": \"high\"");
	char p[128];
	int status;
	/* The district-limited coordinator lists only district 2. */
	json_t *j = tl_api_json(&coord_d2, "GET", "/api/v1/appeals?limit=500", NULL, &status);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(j, "items"), i, it)
	assert_int_equal(json_integer_value(json_object_get(it, "district_id")), 2);
	assert_true(json_array_size(json_object_get(j, "items")) >= 1);
	json_decref(j);
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld", (long long)in_d2);
	expect(&coord_d2, "GET", p, NULL, 200, NULL);
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld", (long long)in_d1);
	expect(&coord_d2, "GET", p, NULL, 403, "outside_scope");
	/* Break the glass: a reason, an hour, on record. */
	char body[256];
	snprintf(body, sizeof(body), "{\"resource\": \"appeal\", \"resource_id\": %lld, \"reason\": \"short\"}",
		 (long long)in_d1);
	expect(&coord_d2, "POST", "/api/v1/access-grants", body, 422, "too_short");
	snprintf(body, sizeof(body), "{\"resource\": \"appeal\", \"resource_id\": %lld, \"reason\": \"Бала біздің "
				     "ауданға көшіп келді, ісі қажет\"}", (long long)in_d1);
	expect(&psy_a, "POST", "/api/v1/access-grants", body, 403, "forbidden");
	expect(&coord_d2, "POST", "/api/v1/access-grants", body, 201, NULL);
	expect(&coord_d2, "GET", p, NULL, 200, NULL);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'break_glass'") >= 1);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'read' AND detail = 'break the glass'") >= 1);
	/* Reading only: no changes through the glass. */
	char tr[128];
	snprintf(tr, sizeof(tr), "/api/v1/appeals/%lld/transition", (long long)in_d1);
	expect(&coord_d2, "POST", tr, "{\"to\": \"rejected\", \"reason\": \"test\"}", 404, "not_found");
	snprintf(body, sizeof(body), "{\"resource\": \"appeal\", \"resource_id\": %lld, \"reason\": \"Менің "
				     "ауданымдағы өтініш екен\"}", (long long)in_d2);
	expect(&coord_d2, "POST", "/api/v1/access-grants", body, 409, "within_scope");
	expect(&coord_d2, "POST", "/api/v1/access-grants",
	       "{\"resource\": \"appeal\", \"resource_id\": 999999, \"reason\": \"жоқ өтініш іздеймін\"}", 404,
	       "not_found");
	/* The prosecutor's office sees violence without a referral; a school sees what it registered. */
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld", (long long)violence);
	expect(&prosecutor, "GET", p, NULL, 200, NULL);
	int64_t from_school = new_appeal(&school, "\"channel\": \"school\"");
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld", (long long)from_school);
	expect(&school, "GET", p, NULL, 200, NULL);
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld", (long long)in_d1);
	expect(&school, "GET", p, NULL, 404, "not_found");
	j = tl_api_json(&school, "GET", "/api/v1/appeals", NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	json_decref(j);
	/* A psychologist lists only her own. */
	j = tl_api_json(&psy_b, "GET", "/api/v1/appeals", NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	/* No case contents for the administrator. */
	expect(&admin, "GET", "/api/v1/appeals", NULL, 403, "forbidden");
	expect(&admin, "GET", p, NULL, 403, "forbidden");
}

static void test_reads_are_audited(void **state)
{
	(void)state;
	int64_t id = new_appeal(&coord, NULL);
	char p[128], sql[256];
	snprintf(p, sizeof(p), "/api/v1/appeals/%lld", (long long)id);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE action = 'read' AND resource = 'appeal' AND resource_id = %lld",
		 (long long)id);
	long long before = tl_sql_int(db, sql);
	expect(&coord, "GET", p, NULL, 200, NULL);
	expect(&head, "GET", p, NULL, 200, NULL);
	/* The row is there as soon as the reply is: it was durable first. */
	assert_int_equal(tl_sql_int(db, sql), before + 2);
	expect(&psy_b, "GET", p, NULL, 404, NULL); /* refused: not a read */
	assert_int_equal(tl_sql_int(db, sql), before + 2);
	long long lists = tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'list'");
	expect(&coord, "GET", "/api/v1/appeals", NULL, 200, NULL);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'list'"), lists + 1);
	/*
	 * The appeal's page shown again after a refused form is all of the
	 * appeal (the applicant, the summary, notes): a read as the page is.
	 */
	char h[256], form[256];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded", coord.cookie);
	snprintf(form, sizeof(form), "to=bogus&_csrf=%s", coord.csrf);
	snprintf(p, sizeof(p), "/appeals/%lld/transition", (long long)id);
	struct tl_response r;
	tl_http(server.port, "POST", p, h, form, &r);
	assert_int_equal(r.status, 422);
	tl_response_release(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE action = 'read' AND resource = 'appeal' AND "
				   "resource_id = %lld AND detail = 'form shown again'", (long long)id);
	assert_int_equal(tl_sql_int(db, sql), 1);
	/* The referrals sent to an organisation name children: its inbox is audited, in the API and on the page. */
	const char *inbox = "SELECT count(*) FROM audit_log WHERE action = 'list' AND resource = 'referral'";
	long long inboxes = tl_sql_int(db, inbox);
	expect(&ombudsman, "GET", "/api/v1/referrals", NULL, 200, NULL);
	assert_int_equal(tl_sql_int(db, inbox), inboxes + 1);
	assert_int_equal(page_as(&ombudsman, "/referrals", &r), 200);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, inbox), inboxes + 2);
	/* The deadlines page is a list of appeals, the slip a read of one: audited as the others. */
	lists = tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'list' AND resource = 'appeal'");
	assert_int_equal(page_as(&coord, "/deadlines", &r), 200);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'list' AND resource = 'appeal'"),
			 lists + 1);
	snprintf(p, sizeof(p), "/appeals/%lld/slip", (long long)id);
	assert_int_equal(page_as(&coord, p, &r), 200);
	tl_response_release(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_log WHERE action = 'read' AND resource = 'appeal' AND "
				   "resource_id = %lld AND detail = 'slip'", (long long)id);
	assert_int_equal(tl_sql_int(db, sql), 1);
}

static void test_order_pages_and_deadlines(void **state)
{
	(void)state;
	/* Critical first in every list; keyset pages walk everything once. */
	new_appeal(&coord, "\"risk\": \"low\", \"district_id\": 3");
	int64_t crit = new_appeal(&coord, "\"category\": \"suicide_risk\", \"risk\": \"high\", \"district_id\": 3");
	int status;
	json_t *j = tl_api_json(&coord, "GET", "/api/v1/appeals?district_id=3&status=open", NULL, &status);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")), crit);
	json_decref(j);
	long long total = tl_sql_int(db, "SELECT count(*) FROM appeal");
	char path[256] = "/api/v1/appeals?limit=3";
	int seen = 0, pages = 0, last_prio = 1000;
	for (;;) {
		j = tl_api_json(&coord, "GET", path, NULL, &status);
		assert_int_equal(status, 200);
		size_t i;
		json_t *it;
		json_array_foreach(json_object_get(j, "items"), i, it)
		{
			int crit_now = json_is_true(json_object_get(it, "critical"));
			(void)crit_now;
			seen++;
		}
		const char *next = json_string_value(json_object_get(j, "next"));
		pages++;
		if (!next) {
			json_decref(j);
			break;
		}
		snprintf(path, sizeof(path), "/api/v1/appeals?limit=3&after=%s", next);
		json_decref(j);
		assert_true(pages < 100);
	}
	(void)last_prio;
	assert_int_equal(seen, total);
	expect(&coord, "GET", "/api/v1/appeals?after=garbage", NULL, 422, "invalid");
	/* Only a cursor as a page wrote it: a real date, nothing after the id. */
	expect(&coord, "GET", "/api/v1/appeals?after=1.2026-01-01.5.6", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=1.2026-13-01.5", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=1.2026-02-30.5", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=-1.2026-02-03.5", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=1.2026-02-03.%2B5", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=%091.2026-02-03.5", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=001.2026-02-03.05", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=4294967297.2026-02-03.5", NULL, 422, "invalid");
	expect(&coord, "GET", "/api/v1/appeals?after=1.2026-02-03.5", NULL, 200, NULL);
	expect(&coord, "GET", "/api/v1/appeals?status=lost", NULL, 422, "invalid_choice");
	expect(&coord, "GET", "/api/v1/appeals?limit=501", NULL, 422, "out_of_range");
	/* An appeal received long ago is overdue, and listed so. */
	int64_t old = new_appeal(&coord, "\"received_at\": \"2026-01-12T09:00:00+05:00\", \"district_id\": 4");
	j = tl_api_json(&coord, "GET", "/api/v1/appeals?overdue=true&district_id=4", NULL, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")), old);
	json_decref(j);
}

static void test_calendar_import(void **state)
{
	(void)state;
	expect(&psy_a, "POST", "/api/v1/calendar", "{\"text\": \"*-01-01 holiday x\"}", 403, "forbidden");
	int status;
	json_t *j = tl_api_json(&coord, "POST", "/api/v1/calendar",
				"{\"text\": \"*-01-01 holiday Жаңа жыл\\n2027-13-01 holiday bad\\n\"}", &status);
	assert_int_equal(status, 422);
	assert_string_equal(tl_error_code(j), "invalid_calendar");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "line 2"));
	json_decref(j);
	long long entries = tl_sql_int(db, "SELECT count(*) FROM calendar_entry");
	assert_true(entries > 10); /* unchanged */
	/*
	 * A file of comments only would take every holiday away; a coordinator
	 * limited to a district may not replace the region's calendar. Neither
	 * changes it, in the API or on the command line.
	 */
	expect(&coord, "POST", "/api/v1/calendar", "{\"text\": \"# only a comment\\n\"}", 422, "invalid_calendar");
	expect(&coord, "POST", "/api/v1/calendar", "{\"text\": \"2027-01-09 workday\\n\"}", 422, "invalid_calendar");
	expect(&coord_d2, "POST", "/api/v1/calendar", "{\"text\": \"*-01-01 holiday Жаңа жыл\\n\"}", 403, "outside_scope");
	char empty[256];
	snprintf(empty, sizeof(empty), "%s/empty-calendar.txt", tl_tmpdir());
	FILE *f = fopen(empty, "w");
	assert_non_null(f);
	fputs("# nothing\n", f);
	fclose(f);
	struct tl_run cli;
	tl_run_qorgau(&cli, NULL, NULL, (const char *const[]){"calendar", "import", empty, "--database", db, NULL});
	assert_int_equal(cli.status, 2);
	assert_non_null(strstr(cli.err.ptr, "remove every holiday"));
	tl_run_release(&cli);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM calendar_entry"), entries);
	/* A new day off takes effect at once. */
	j = tl_api_json(&coord, "GET", "/api/v1/calendar?year=2027", NULL, &status);
	size_t before = json_array_size(json_object_get(j, "days_off"));
	json_decref(j);
	struct tl_response r;
	tl_api(&coord, "GET", "/api/v1/calendar?year=2027", NULL, &r);
	tl_response_release(&r);
	j = tl_api_json(&coord, "POST", "/api/v1/calendar",
			"{\"text\": \"*-01-01 holiday Жаңа жыл\\n2027-06-15 dayoff Тест\\n\"}", &status);
	assert_int_equal(status, 200);
	size_t after = json_array_size(json_object_get(j, "days_off"));
	json_decref(j);
	assert_true(after != before);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM calendar_entry"), 2);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE resource = 'calendar'") >= 1, 1);
	/* Put the real one back for whatever runs next. */
	struct tl_run run;
	tl_run_qorgau(&run, NULL, NULL,
		      (const char *const[]){"calendar", "import", "share/calendar-kz.txt", "--database", db, NULL});
	tl_run_release(&run);
}

static void test_pages(void **state)
{
	(void)state;
	int64_t id = new_appeal(&coord, "\"applicant\": {\"type\": \"parent\", \"name\": \"Иван <b>Петров</b>\", "
					 "\"lang\": \"ru\"}");
	char h[256];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", coord.cookie);
	char paths[8][96];
	snprintf(paths[0], 96, "/appeals");
	snprintf(paths[1], 96, "/appeals?status=open&category=bullying&overdue=true");
	snprintf(paths[2], 96, "/appeals/new");
	snprintf(paths[3], 96, "/appeals/%lld", (long long)id);
	snprintf(paths[4], 96, "/appeals/%lld/slip", (long long)id);
	snprintf(paths[5], 96, "/deadlines");
	snprintf(paths[6], 96, "/caseload?psychologist_id=%lld", (long long)psy_a_id);
	snprintf(paths[7], 96, "/calendar");
	for (int i = 0; i < 8; i++) {
		struct tl_response r;
		tl_http(server.port, "GET", paths[i], h, NULL, &r);
		if (r.status != 200)
			fail_msg("%s: %d", paths[i], r.status);
		assert_null(strstr(r.body.ptr, "<b>Петров"));
		if (i == 4) {
			/* The slip is in the applicant's language. */
			assert_non_null(strstr(r.body.ptr, "Талон о регистрации"));
			/*
			 * It fits a phone, leads back to the appeal, names the body
			 * that received it, and writes dates as papers do (DD.MM.YYYY).
			 */
			assert_non_null(strstr(r.body.ptr, "name=\"viewport\""));
			char back[64], sql[128], regd[16] = "";
			snprintf(back, sizeof(back), "href=\"/appeals/%lld\"", (long long)id);
			assert_non_null(strstr(r.body.ptr, back));
			snprintf(sql, sizeof(sql), "SELECT COALESCE(NULLIF(o.name_ru, ''), o.name) FROM appeal a JOIN organisation o ON o.id = a.created_org "
						   "WHERE a.id = %lld", (long long)id);
			struct buf org = BUF_INIT;
			tl_sql_rows(db, sql, &org);
			/* (A coordinator of no organisation registered it here: then nothing to name.) */
			if (org.len > 1) {
				org.ptr[strcspn(org.ptr, "\n")] = 0;
				if (!strstr(r.body.ptr, org.ptr))
					fail_msg("the slip does not name '%s'", org.ptr);
			}
			buf_release(&org);
			snprintf(sql, sizeof(sql), "SELECT registered_on FROM appeal WHERE id = %lld", (long long)id);
			struct buf iso = BUF_INIT;
			tl_sql_rows(db, sql, &iso);
			assert_true(iso.len >= 10);
			snprintf(regd, sizeof(regd), "%.2s.%.2s.%.4s", iso.ptr + 8, iso.ptr + 5, iso.ptr);
			buf_release(&iso);
			assert_non_null(strstr(r.body.ptr, regd));
			assert_non_null(strstr(r.body.ptr, "lang=\"ru\""));
		}
		if (i == 2) {
			/*
			 * Nothing that matters is chosen for the worker on a new appeal: an
			 * appeal sent with only its summary is not registered as "low risk,
			 * bullying, by phone" in the first district of the list.
			 */
			static const char *const chosen_by_hand[] = {"channel", "applicant.type", "category", "risk",
								     "district_id"};
			for (size_t k = 0; k < sizeof(chosen_by_hand) / sizeof(chosen_by_hand[0]); k++) {
				char name[64];
				snprintf(name, sizeof(name), "name=\"%s\"", chosen_by_hand[k]);
				const char *sel = strstr(r.body.ptr, name);
				assert_non_null(sel);
				const char *end = strstr(sel, "</select>"), *first = strstr(sel, "<option");
				const char *selected = strstr(sel, " selected");
				if (!first || strncmp(first, "<option value=\"\">—</option>", 29) || (selected && selected < end))
					fail_msg("new appeal: '%s' starts chosen", chosen_by_hand[k]);
			}
		}
		tl_response_release(&r);
	}
	{
		/* An appeal a school registered: its slip names the school, the body that received it. */
		int64_t sid = new_appeal(&school, "\"channel\": \"school\"");
		char sp[96];
		snprintf(sp, sizeof(sp), "/appeals/%lld/slip", (long long)sid);
		struct tl_response sr;
		assert_int_equal(page_as(&school, sp, &sr), 200);
		assert_non_null(strstr(sr.body.ptr, "№12 мектеп-гимназия"));
		tl_response_release(&sr);
	}
	/* A form with mistakes comes back with them marked and the input kept. */
	struct tl_response r;
	char p0[96];
	char form[512];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded", coord.cookie);
	snprintf(form, sizeof(form), "channel=phone&kind=report&applicant.type=anonymous&applicant.name=Kept+Name"
				     "&category=legal_question&risk=low&district_id=1&summary=Kept+summary&_csrf=%s",
		 coord.csrf);
	tl_http(server.port, "POST", "/appeals/new", h, form, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.ptr, "Kept summary"));
	assert_non_null(strstr(r.body.ptr, "aria-invalid"));
	tl_response_release(&r);
	snprintf(form, sizeof(form), "channel=walk_in&kind=application&applicant.type=child&applicant.name=Аружан"
				     "&category=bullying&risk=medium&district_id=1&summary=Сыныптастары+мазақтайды&_csrf=%s",
		 coord.csrf);
	long long before = tl_sql_int(db, "SELECT count(*) FROM appeal");
	tl_http(server.port, "POST", "/appeals/new", h, form, &r);
	assert_int_equal(r.status, 303);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM appeal"), before + 1);
	/* A referral sent without its organisation comes back with its text and its error in the
	 * referral form only, not in the other forms that also have a "reason". */
	snprintf(p0, sizeof(p0), "/appeals/%lld/referrals", (long long)id);
	snprintf(form, sizeof(form), "reason=%%D0%%9E%%D1%%81%%D0%%BE%%D0%%B1%%D0%%B0%%D1%%8F+%%D0%%BF%%D1%%80%%D0%%B8%%D1%%87%%D0%%B8%%D0%%BD%%D0%%B0"
				     "&consent=given&_csrf=%s", coord.csrf);
	tl_http(server.port, "POST", p0, h, form, &r);
	assert_int_equal(r.status, 422);
	const char *first = strstr(r.body.ptr, "Особая причина");
	assert_non_null(first);
	assert_null(strstr(first + 1, "Особая причина"));
	/* The one marked field is in the referral form. */
	const char *invalid = strstr(r.body.ptr, "aria-invalid");
	assert_non_null(invalid);
	assert_null(strstr(invalid + 1, "aria-invalid"));
	const char *refer = strstr(r.body.ptr, "/referrals\" novalidate>");
	assert_non_null(refer);
	assert_true(invalid > refer);
	/* That field takes the focus (it may be screens below the notice), and only it. */
	const char *focus = strstr(r.body.ptr, " autofocus");
	assert_non_null(focus);
	assert_null(strstr(focus + 1, " autofocus"));
	assert_true(focus > invalid && focus < strchr(invalid, '>'));
	tl_response_release(&r);
	/*
	 * Nothing is chosen for the worker in the referral and forwarding forms:
	 * not the organisation, and above all not the parent's consent; a referral
	 * sent without a consent chosen is refused and records nothing.
	 */
	snprintf(p0, sizeof(p0), "/appeals/%lld", (long long)id);
	tl_http(server.port, "GET", p0, h, NULL, &r);
	assert_int_equal(r.status, 200);
	const char *consent = strstr(r.body.ptr, "name=\"consent\"");
	assert_non_null(consent);
	const char *consent_end = strstr(consent, "</select>");
	assert_non_null(consent_end);
	assert_non_null(strstr(consent, "<option value=\"\">—</option><option value=\"given\">"));
	const char *selected = strstr(consent, " selected");
	assert_true(!selected || selected > consent_end);
	for (const char *f = r.body.ptr; (f = strstr(f, "name=\"organisation_id\"")); f++) {
		const char *gt = strchr(f, '>');
		assert_non_null(gt);
		assert_int_equal(strncmp(gt, "><option value=\"\">—</option>", 30), 0);
		const char *end = strstr(f, "</select>");
		selected = strstr(f, " selected");
		assert_true(!selected || selected > end);
	}
	tl_response_release(&r);
	long long referrals = tl_sql_int(db, "SELECT count(*) FROM referral");
	snprintf(p0, sizeof(p0), "/appeals/%lld/referrals", (long long)id);
	snprintf(form, sizeof(form), "organisation_id=%lld&reason=Check&consent=&_csrf=%s",
		 tl_sql_int(db, "SELECT min(id) FROM organisation"), coord.csrf);
	tl_http(server.port, "POST", p0, h, form, &r);
	assert_int_equal(r.status, 422);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM referral"), referrals);
	/* A change made from the appeal's page says it was done. */
	snprintf(p0, sizeof(p0), "/appeals/%lld/notified", (long long)id);
	/* Told on the day it was registered (the server's day, which need not be this machine's). */
	char sql[128];
	struct buf on = BUF_INIT;
	snprintf(sql, sizeof(sql), "SELECT registered_on FROM appeal WHERE id = %lld", (long long)id);
	tl_sql_rows(db, sql, &on);
	snprintf(form, sizeof(form), "on=%.10s&_csrf=%s", on.ptr, coord.csrf);
	buf_release(&on);
	tl_http(server.port, "POST", p0, h, form, &r);
	assert_int_equal(r.status, 303);
	char saved_at[128];
	assert_true(tl_response_header(&r, "location", saved_at, sizeof(saved_at)));
	snprintf(p0, sizeof(p0), "/appeals/%lld?saved=1", (long long)id);
	assert_string_equal(saved_at, p0);
	tl_response_release(&r);
	tl_http(server.port, "GET", p0, h, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.ptr, "Сақталды."));
	tl_response_release(&r);
	/*
	 * Every mistake at once: a kind that is none (the fields' own check), an
	 * anonymous legal question and a date next year (the appeal's rules), in
	 * one answer rather than one round after another.
	 */
	snprintf(form, sizeof(form), "channel=walk_in&kind=nonsense&applicant.type=anonymous&applicant.phone=abc"
				     "&category=legal_question&risk=low&district_id=1&summary=Rounds"
				     "&received_at=2099-01-01T10:00&_csrf=%s",
		 coord.csrf);
	tl_http(server.port, "POST", "/appeals/new", h, form, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.ptr, "name=\"applicant.phone\" autocomplete=\"off\" aria-invalid=\"true\""));
	assert_non_null(strstr(r.body.ptr, "name=\"applicant.type\" required aria-invalid=\"true\""));
	assert_non_null(strstr(r.body.ptr, "name=\"received_at\" aria-invalid=\"true\""));
	assert_non_null(strstr(r.body.ptr, "name=\"kind\" required aria-invalid=\"true\""));
	/* "abc" is no phone number (not "too short"). */
	assert_non_null(strstr(r.body.ptr, "Бұл телефон нөмірі емес."));
	tl_response_release(&r);
	/* With a referral still open, the forwarding form says that forwarding closes the appeal. */
	{
		char api[96], body[256];
		snprintf(api, sizeof(api), "/api/v1/appeals/%lld/referrals", (long long)id);
		snprintf(body, sizeof(body), "{\"organisation_id\": %lld, \"reason\": \"Тексеру\", \"consent\": \"given\"}",
			 (long long)org_prosecutor);
		int st;
		json_t *rj = tl_api_json(&coord, "POST", api, body, &st);
		assert_int_equal(st, 201);
		json_decref(rj);
		char pg[96], hh[256];
		snprintf(pg, sizeof(pg), "/appeals/%lld", (long long)id);
		snprintf(hh, sizeof(hh), "Cookie: qorgau_session=%s; qorgau_lang=kk", coord.cookie);
		tl_http(server.port, "GET", pg, hh, NULL, &r);
		assert_int_equal(r.status, 200);
		const char *warn = strstr(r.body.ptr, "Осы өтініш бойынша 1 жолдама әлі ашық");
		const char *fwd = strstr(r.body.ptr, "/forward\"");
		assert_true(warn && fwd && fwd < warn);
		tl_response_release(&r);
	}
	/* An extension with no reason and a date past the two months: both said at once. */
	{
		char hh[512], ext[96];
		snprintf(hh, sizeof(hh), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded",
			 head.cookie);
		snprintf(ext, sizeof(ext), "/appeals/%lld/extend", (long long)id);
		snprintf(form, sizeof(form), "until=2099-01-05&reason=&_csrf=%s", head.csrf);
		tl_http(server.port, "POST", ext, hh, form, &r);
		assert_int_equal(r.status, 422);
		assert_non_null(strstr(r.body.ptr, "name=\"until\" required aria-invalid=\"true\""));
		assert_non_null(strstr(r.body.ptr, "name=\"reason\" required aria-invalid=\"true\""));
		tl_response_release(&r);
	}
	/* A date out of its bounds says which bounds; a number out of its range says the range. */
	snprintf(p0, sizeof(p0), "/appeals/%lld/notified", (long long)id);
	snprintf(form, sizeof(form), "on=2099-01-01&_csrf=%s", coord.csrf);
	tl_http(server.port, "POST", p0, h, form, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.ptr, "Тіркелген күн мен бүгінгі күн аралығында."));
	tl_response_release(&r);
	snprintf(form, sizeof(form), "planned_pupils=100000&_csrf=%s", coord.csrf);
	tl_http(server.port, "POST", "/lessons/new", h, form, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.ptr, "1 мен 2000 аралығында болсын."));
	tl_response_release(&r);
	/* An appeal with its risk left unchosen is refused, its risk marked, nothing registered. */
	snprintf(form, sizeof(form), "channel=walk_in&kind=application&applicant.type=child&applicant.name=Аружан"
				     "&category=bullying&risk=&district_id=1&summary=Unchosen+risk&_csrf=%s",
		 coord.csrf);
	before = tl_sql_int(db, "SELECT count(*) FROM appeal");
	tl_http(server.port, "POST", "/appeals/new", h, form, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.ptr, "name=\"risk\" required aria-invalid=\"true\""));
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM appeal"), before);
	/* Outside the scope, the page offers to break the glass. */
	char p[96];
	snprintf(p, sizeof(p), "/appeals/%lld", (long long)id);
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", coord_d2.cookie);
	tl_http(server.port, "GET", p, h, NULL, &r);
	assert_int_equal(r.status, 303);
	char loc[128];
	assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
	assert_non_null(strstr(loc, "/access"));
	tl_response_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intake_and_dates),
		cmocka_unit_test(test_bad_input_changes_nothing),
		cmocka_unit_test(test_sealed_summary_and_search),
		cmocka_unit_test(test_state_machine),
		cmocka_unit_test(test_extension_and_forwarding),
		cmocka_unit_test(test_consultations_and_notes),
		cmocka_unit_test(test_referrals),
		cmocka_unit_test(test_scopes_and_break_the_glass),
		cmocka_unit_test(test_reads_are_audited),
		cmocka_unit_test(test_order_pages_and_deadlines),
		cmocka_unit_test(test_calendar_import),
		cmocka_unit_test(test_pages),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
