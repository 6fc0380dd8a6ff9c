/*
 * Children and the Meyirim campaign over the API, as each role: register
 * with the IIN rules and the duplicate check, ranked search across scripts
 * and typos, scopes and break the glass, audit of views, merge, and the
 * campaign's attachments, mentors, goals, contacts, alerts and figures.
 * Bad input changes nothing. Both backends.
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
static struct tl_client admin, coord, coord_d2, head, psy, mentor_a, mentor_b, prosecutor;
static int64_t org_a, org_b, org_police, psy_id;

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
	org_a = make_org("Абай облысы денсаулық сақтау басқармасы", "regional_department", 1);
	org_b = make_org("Семей қалалық №2 аурухана", "health", 2);
	org_police = make_org("Семей қалалық полиция басқармасы", "police", 1);
	person(&coord, "coord", "coordinator", NULL);
	person(&coord_d2, "coordtwo", "coordinator", "\"district_id\": 2");
	person(&head, "headpsy", "psychologist", "\"head\": true");
	psy_id = person(&psy, "psy", "psychologist", NULL);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_a);
	person(&mentor_a, "mentora", "mentor_org", extra);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_b);
	person(&mentor_b, "mentorb", "mentor_org", extra);
	person(&prosecutor, "prok", "prosecutor", NULL);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

/* A valid IIN for a birth date (YYMMDD), century-and-sex digit and serial, computed independently. */
static void make_iin(char out[13], const char *yymmdd, int c7, int serial)
{
	int d[12];
	snprintf(out, 13, "%s%d%04d0", yymmdd, c7, serial);
	for (int tries = 0; tries < 10000; tries++) {
		for (int i = 0; i < 11; i++)
			d[i] = out[i] - '0';
		int sum = 0;
		for (int i = 0; i < 11; i++)
			sum += d[i] * (i + 1);
		int check = sum % 11;
		if (check == 10) {
			static const int w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
			sum = 0;
			for (int i = 0; i < 11; i++)
				sum += d[i] * w2[i];
			check = sum % 11;
		}
		if (check < 10) {
			out[11] = (char)('0' + check);
			return;
		}
		serial++;
		snprintf(out, 13, "%s%d%04d0", yymmdd, c7, serial % 10000);
	}
	fail_msg("no valid IIN");
}

static const char *str(json_t *j, const char *key)
{
	const char *s = json_string_value(json_object_get(j, key));
	return s ? s : "";
}

static int64_t num(json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

static json_t *post(struct tl_client *c, const char *path, const char *body, int *status)
{
	return tl_api_json(c, "POST", path, body, status);
}

static int64_t new_child(struct tl_client *c, const char *body)
{
	int status;
	json_t *j = post(c, "/api/v1/children", body, &status);
	if (status != 201)
		fail_msg("register child: %d %s", status, tl_error_code(j));
	int64_t id = num(j, "id");
	json_decref(j);
	return id;
}

static long long children_count(void)
{
	return tl_sql_int(db, "SELECT count(*) FROM child");
}

/* Whether a list/search answer contains the child. */
static int has_item(json_t *j, int64_t id)
{
	json_t *items = json_object_get(j, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		if (num(json_array_get(items, i), "id") == id)
			return 1;
	return 0;
}

static json_t *search(struct tl_client *c, const char *q, int *status)
{
	char path[512], *enc = tl_urlencode(q);
	snprintf(path, sizeof(path), "/api/v1/children?q=%s", enc);
	free(enc);
	return tl_api_json(c, "GET", path, NULL, status);
}

static void date_days_ago(int days, char out[11])
{
	time_t t = time(NULL) + 5 * 3600 - (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---------- registration and the IIN ---------- */

static void test_register_and_iin(void **state)
{
	(void)state;
	int status;
	long long before = children_count();
	/* 061211600012: a girl born 11.12.2006; another birth date and sex are warnings, not errors. */
	json_t *j = post(&coord,
			 "/api/v1/children",
			 "{\"surname\": \"Нұрланова\", \"given_name\": \"Аружан\", \"iin\": \"061211600012\", "
			 "\"birth_date\": \"2007-01-15\", \"sex\": \"M\", \"district_id\": 1, \"care_status\": \"orphan\", "
			 "\"institution\": \"Семей балалар үйі\", \"guardian\": {\"name\": \"Сәуле Нұрланқызы\", "
			 "\"phone\": \"+7 705 111 22 33\"}}",
			 &status);
	assert_int_equal(status, 201);
	assert_string_equal(str(j, "iin"), "061211600012");
	assert_true(json_is_true(json_object_get(j, "eligible")));
	json_t *w = json_object_get(j, "warnings");
	assert_int_equal(json_array_size(w), 2);
	assert_string_equal(str(json_array_get(w, 0), "code"), "iin_birth_date_differs");
	assert_string_equal(str(json_array_get(w, 0), "iin_birth_date"), "2006-12-11");
	assert_string_equal(str(json_array_get(w, 1), "code"), "iin_sex_differs");
	assert_string_equal(str(json_object_get(j, "guardian"), "phone"), "+7 705 111 22 33");
	json_decref(j);
	assert_int_equal(children_count(), before + 1);
	/* The IIN is not stored in the clear. */
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM child WHERE CAST(iin_sealed AS TEXT) LIKE '%061211600012%'"),
			 0);

	/* Bad input: each a clear error naming the field, nothing stored. */
	static const struct {
		const char *body, *field, *code;
	} bad[] = {
		{"\"iin\": \"061211600013\"", "iin", "invalid_iin"},
		{"\"iin\": \"06121160001\"", "iin", "invalid_iin"},
		{"\"iin\": \"0612116000AB\"", "iin", "invalid_iin"},
		{"\"birth_date\": \"2099-01-01\"", "birth_date", "in_future"},
		{"\"birth_date\": \"2014-02-30\"", "birth_date", "invalid_date"},
		{"\"care_status\": \"adopted_by_aliens\"", "care_status", "invalid_choice"},
		{"\"sex\": \"X\"", "sex", "invalid_choice"},
		{"\"district_id\": 999", "district_id", "not_found"},
		{"\"guardian\": {\"phone\": \"call me\"}", "guardian.phone", "invalid_phone"},
		{"\"nickname\": \"Ару\"", "nickname", "unknown_field"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *body = tl_json_merge("{\"surname\": \"Қасымова\", \"given_name\": \"Дана\", \"district_id\": 1, "
					   "\"care_status\": \"orphan\"}",
					   bad[i].body);
		j = post(&coord, "/api/v1/children", body, &status);
		free(body);
		if (status != (strcmp(bad[i].code, "unknown_field") ? 422 : 400))
			fail_msg("case %zu: status %d", i, status);
		json_t *err = json_object_get(j, "error");
		const char *code = str(err, "code"), *field = str(err, "field");
		json_t *details = json_object_get(err, "details");
		int found = !strcmp(field, bad[i].field) && !strcmp(code, bad[i].code);
		for (size_t k = 0; !found && k < json_array_size(details); k++) {
			json_t *d = json_array_get(details, k);
			found = !strcmp(str(d, "field"), bad[i].field) && !strcmp(str(d, "code"), bad[i].code);
		}
		if (!found)
			fail_msg("case %zu: got %s on %s", i, code, field);
		json_decref(j);
	}
	/* A coordinator limited to a district registers children of that district only. */
	j = post(&coord_d2, "/api/v1/children", "{\"surname\": \"Әлиева\", \"given_name\": \"Дана\", \"district_id\": 1, "
						 "\"care_status\": \"orphan\"}", &status);
	assert_int_equal(status, 422);
	assert_string_equal(str(json_object_get(j, "error"), "field"), "district_id");
	json_decref(j);
	/* Missing required fields. */
	j = post(&coord, "/api/v1/children", "{\"surname\": \"Қасымова\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	assert_int_equal(children_count(), before + 1);
	/* Roles without the permission. */
	j = post(&psy, "/api/v1/children", "{\"surname\": \"А\", \"given_name\": \"Б\", \"district_id\": 1, "
					    "\"care_status\": \"orphan\"}", &status);
	assert_int_equal(status, 403);
	json_decref(j);
	j = post(&admin, "/api/v1/children", "{\"surname\": \"А\", \"given_name\": \"Б\", \"district_id\": 1, "
					      "\"care_status\": \"orphan\"}", &status);
	assert_int_equal(status, 403);
	json_decref(j);
	assert_int_equal(children_count(), before + 1);
}

/* ---------- duplicates ---------- */

static void test_duplicates(void **state)
{
	(void)state;
	int status;
	char iin[13], body[512];
	make_iin(iin, "140503", 6, 1234);
	snprintf(body, sizeof(body),
		 "{\"surname\": \"Жанбұлатқызы\", \"given_name\": \"Әсемгүл\", \"birth_date\": \"2014-05-03\", "
		 "\"iin\": \"%s\", \"district_id\": 1, \"care_status\": \"without_parental_care\"}",
		 iin);
	int64_t first = new_child(&coord, body);
	long long before = children_count();

	/* The same girl in Russian-style spelling: did you mean? */
	const char *again = "{\"surname\": \"Жанбулатова\", \"given_name\": \"Асемгуль\", \"birth_date\": \"2014-05-03\", "
			    "\"district_id\": 1, \"care_status\": \"orphan\"}";
	json_t *j = post(&coord, "/api/v1/children", again, &status);
	assert_int_equal(status, 409);
	json_t *err = json_object_get(j, "error");
	assert_string_equal(str(err, "code"), "possible_duplicate");
	json_t *cands = json_object_get(err, "candidates");
	assert_int_equal(json_array_size(cands), 1);
	assert_int_equal(num(json_array_get(cands, 0), "id"), first);
	assert_string_equal(str(json_array_get(cands, 0), "given_name"), "Әсемгүл");
	json_decref(j);
	assert_int_equal(children_count(), before);

	/* Passport Latin, one typo: still a candidate. */
	j = post(&coord, "/api/v1/children",
		 "{\"surname\": \"Zhanbulatkyzy\", \"given_name\": \"Asemgull\", \"birth_date\": \"2014-05-03\", "
		 "\"district_id\": 1, \"care_status\": \"orphan\"}",
		 &status);
	assert_int_equal(status, 409);
	json_decref(j);

	/* A district coordinator sees that a candidate exists, not who it is. */
	j = post(&coord_d2, "/api/v1/children",
		 "{\"surname\": \"Жанбулатова\", \"given_name\": \"Асемгуль\", \"birth_date\": \"2014-05-03\", "
		 "\"district_id\": 2, \"care_status\": \"orphan\"}",
		 &status);
	assert_int_equal(status, 409);
	json_t *c0 = json_array_get(json_object_get(json_object_get(j, "error"), "candidates"), 0);
	assert_true(json_is_true(json_object_get(c0, "outside_scope")));
	assert_null(json_object_get(c0, "given_name"));
	json_decref(j);

	/* Another birth date: a different child. */
	j = post(&coord, "/api/v1/children",
		 "{\"surname\": \"Жанбулатова\", \"given_name\": \"Асемгуль\", \"birth_date\": \"2015-09-01\", "
		 "\"district_id\": 1, \"care_status\": \"orphan\"}",
		 &status);
	assert_int_equal(status, 201);
	json_decref(j);

	/* Confirmed as a different child. */
	char confirmed[512];
	snprintf(confirmed, sizeof(confirmed), "%.*s, \"confirm_new\": true}", (int)strlen(again) - 1, again);
	j = post(&coord, "/api/v1/children", confirmed, &status);
	assert_int_equal(status, 201);
	json_decref(j);

	/* The same IIN: never, confirmed or not. */
	snprintf(body, sizeof(body),
		 "{\"surname\": \"Сергеева\", \"given_name\": \"Анна\", \"iin\": \"%s\", \"district_id\": 1, "
		 "\"care_status\": \"orphan\", \"confirm_new\": true}",
		 iin);
	j = post(&coord, "/api/v1/children", body, &status);
	assert_int_equal(status, 409);
	assert_string_equal(tl_error_code(j), "duplicate_iin");
	json_decref(j);
	assert_int_equal(children_count(), before + 2);
}

/* ---------- search ---------- */

static void test_search(void **state)
{
	(void)state;
	int status;
	int64_t id = new_child(&coord, "{\"surname\": \"Серікбаев\", \"given_name\": \"Нұрсұлтан\", \"patronymic\": "
				       "\"Асқарұлы\", \"birth_date\": \"2012-03-21\", \"district_id\": 1, "
				       "\"care_status\": \"under_guardianship\"}");
	int64_t other = new_child(&coord, "{\"surname\": \"Серікова\", \"given_name\": \"Нұргүл\", \"birth_date\": "
					  "\"2011-07-02\", \"district_id\": 1, \"care_status\": \"with_family\"}");
	static const char *const finds[] = {
		"Серікбаев Нұрсұлтан", /* as written */
		"Серикбаев Нурсултан", /* Russian-style */
		"Serikbayev Nursultan", /* passport Latin */
		"Serikbaev Nūrsūltan",  /* 2021 Latin */
		"Нурсултан Асқарұлы",  /* given name and patronymic, any order */
		"Серикбаева",          /* a feminine form of the surname */
		"Серкбаев Нурсултн",   /* a typo in each word */
		"Serikbayev 2012-03-21",
		"21.03.2012",
	};
	for (size_t i = 0; i < sizeof(finds) / sizeof(finds[0]); i++) {
		json_t *j = search(&coord, finds[i], &status);
		assert_int_equal(status, 200);
		if (!has_item(j, id))
			fail_msg("'%s' did not find the child", finds[i]);
		json_decref(j);
	}
	/* Typos in an ending or a short base (Полина's key is "pol"), and Айым written Ayym. */
	int64_t polina = new_child(&coord, "{\"surname\": \"Волкова\", \"given_name\": \"Полина\", \"district_id\": 1, "
					   "\"care_status\": \"with_family\"}");
	int64_t aiym = new_child(&coord, "{\"surname\": \"Асанова\", \"given_name\": \"Айым\", \"birth_date\": "
					 "\"2013-06-14\", \"district_id\": 1, \"care_status\": \"orphan\"}");
	const struct {
		const char *q;
		int64_t *id;
	} typos[] = {
		{"Поина Волкова", &polina},
		{"Полина Влкова", &polina},
		{"Volkova Polina", &polina},
		{"Asanova Ayym 2013-06-14", &aiym},
		{"Асанва Айым", &aiym},
	};
	for (size_t i = 0; i < sizeof(typos) / sizeof(typos[0]); i++) {
		json_t *t = search(&coord, typos[i].q, &status);
		if (!has_item(t, *typos[i].id))
			fail_msg("'%s' did not find the child", typos[i].q);
		json_decref(t);
	}
	/* Ranking: the exact name first, and every word must match. */
	json_t *j = search(&coord, "Серікбаев Нұрсұлтан", &status);
	assert_int_equal(num(json_array_get(json_object_get(j, "items"), 0), "id"), id);
	assert_false(has_item(j, other));
	json_decref(j);
	j = search(&coord, "Серікбаев Мирас", &status);
	assert_false(has_item(j, id));
	json_decref(j);

	/* By IIN. */
	char iin[13], body[512];
	make_iin(iin, "100101", 5, 4321);
	snprintf(body, sizeof(body),
		 "{\"surname\": \"Оспанов\", \"given_name\": \"Ерлан\", \"iin\": \"%s\", \"birth_date\": \"2010-01-01\", "
		 "\"sex\": \"M\", \"district_id\": 1, \"care_status\": \"in_institution\"}",
		 iin);
	int64_t ospanov = new_child(&coord, body);
	j = search(&coord, iin, &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
	assert_true(has_item(j, ospanov));
	assert_int_equal(num(json_array_get(json_object_get(j, "items"), 0), "score"), 1000);
	json_decref(j);
	/* Filters narrow a search. */
	j = tl_api_json(&coord, "GET", "/api/v1/children?q=Serikbayev&care_status=under_guardianship", NULL, &status);
	assert_true(has_item(j, id));
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/children?q=Serikbayev&care_status=orphan", NULL, &status);
	assert_false(has_item(j, id));
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/children?q=Serikbayev&district_id=2", NULL, &status);
	assert_false(has_item(j, id));
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/children?q=Serikbayev&attached=no", NULL, &status);
	assert_true(has_item(j, id));
	json_decref(j);

	/* A search exported is the search: the same children in the same ranked order, filters and all. */
	static const char *const searches[] = {"q=Serikbayev", "q=Serikbayev&care_status=orphan",
					       "q=%D0%9E%D1%81%D0%BF%D0%B0%D0%BD%D0%BE%D0%B2"};
	long long exports = tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = 'children'");
	for (size_t k = 0; k < sizeof(searches) / sizeof(searches[0]); k++) {
		char path[256];
		snprintf(path, sizeof(path), "/api/v1/children?%s&limit=500", searches[k]);
		j = tl_api_json(&coord, "GET", path, NULL, &status);
		assert_int_equal(status, 200);
		json_t *items = json_object_get(j, "items");
		snprintf(path, sizeof(path), "/api/v1/reports/children.csv?%s", searches[k]);
		struct tl_response r;
		assert_int_equal(tl_api(&coord, "GET", path, NULL, &r), 200);
		size_t row = 0;
		for (const char *p = strstr(r.body.ptr, "\r\n"); p && p[2]; p = strstr(p + 2, "\r\n"), row++) {
			if (row >= json_array_size(items))
				fail_msg("%s: more rows than the search", path);
			assert_int_equal(atoll(p + 2), num(json_array_get(items, row), "id"));
		}
		assert_int_equal(row, json_array_size(items));
		if (k == 0)
			assert_true(row > 0);
		tl_response_release(&r);
		json_decref(j);
	}
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = 'children'"),
			 exports + 3);

	/* Searches and lists are audited. */
	long long audited = tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE resource = 'child' AND action = 'list'");
	j = search(&coord, "Оспанов", &status);
	json_decref(j);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE resource = 'child' AND action = 'list'"),
			 audited + 1);

	/* A search has one ranked page; bad filters are errors. */
	j = tl_api_json(&coord, "GET", "/api/v1/children?q=x&after=a.b.1", NULL, &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/children?care_status=lost", NULL, &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/children?after=not-a-cursor", NULL, &status);
	assert_int_equal(status, 422);
	json_decref(j);
}

static void test_list_pages(void **state)
{
	(void)state;
	int status;
	/* A name with nothing to fold sorts first with empty keys; its cursor still works. */
	new_child(&coord, "{\"surname\": \"№\", \"given_name\": \"李\", \"district_id\": 1, \"care_status\": \"orphan\", "
			  "\"confirm_new\": true}");
	new_child(&coord, "{\"surname\": \"№\", \"given_name\": \"李\", \"district_id\": 1, \"care_status\": \"orphan\"}");
	/* Walk the whole list two at a time: every child once, none twice. */
	long long total = tl_sql_int(db, "SELECT count(*) FROM child WHERE merged_into IS NULL");
	char path[256] = "/api/v1/children?limit=2";
	long long seen = 0;
	int64_t ids[1000];
	for (int page = 0; page < 500; page++) {
		json_t *j = tl_api_json(&coord, "GET", path, NULL, &status);
		assert_int_equal(status, 200);
		json_t *items = json_object_get(j, "items");
		for (size_t i = 0; i < json_array_size(items); i++) {
			int64_t id = num(json_array_get(items, i), "id");
			for (long long k = 0; k < seen; k++)
				assert_true(ids[k] != id);
			ids[seen++] = id;
		}
		const char *next = json_string_value(json_object_get(j, "next"));
		if (!next) {
			json_decref(j);
			break;
		}
		char *enc = tl_urlencode(next);
		snprintf(path, sizeof(path), "/api/v1/children?limit=2&after=%s", enc);
		free(enc);
		json_decref(j);
	}
	assert_int_equal(seen, total);
	/* A district coordinator's list holds only their district. */
	json_t *j = tl_api_json(&coord_d2, "GET", "/api/v1/children?limit=500", NULL, &status);
	json_t *items = json_object_get(j, "items");
	for (size_t i = 0; i < json_array_size(items); i++)
		assert_int_equal(num(json_array_get(items, i), "district_id"), 2);
	json_decref(j);
}

/* ---------- scopes, break the glass, audit of views ---------- */

static void test_scopes(void **state)
{
	(void)state;
	int status;
	int64_t id = new_child(&coord, "{\"surname\": \"Төлегенова\", \"given_name\": \"Мадина\", \"birth_date\": "
				       "\"2013-11-30\", \"district_id\": 1, \"care_status\": \"foster_family\"}");
	char path[64], body[256];
	snprintf(path, sizeof(path), "/api/v1/children/%lld", (long long)id);
	char sql[256];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit_log WHERE action = 'read' AND resource = 'child' AND resource_id = %lld",
		 (long long)id);
	long long reads = tl_sql_int(db, sql);

	json_t *j = tl_api_json(&coord, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_string_equal(str(j, "surname"), "Төлегенова");
	json_decref(j);
	assert_int_equal(tl_sql_int(db, sql), reads + 1);
	j = tl_api_json(&head, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	json_decref(j);

	/* Out of scope: a coordinator of another district may break the glass; others learn nothing. */
	j = tl_api_json(&coord_d2, "GET", path, NULL, &status);
	assert_int_equal(status, 403);
	assert_string_equal(tl_error_code(j), "outside_scope");
	assert_null(json_object_get(j, "surname"));
	json_decref(j);
	j = tl_api_json(&psy, "GET", path, NULL, &status);
	assert_int_equal(status, 404);
	json_decref(j);
	j = tl_api_json(&mentor_a, "GET", path, NULL, &status);
	assert_int_equal(status, 404);
	json_decref(j);
	j = tl_api_json(&admin, "GET", path, NULL, &status);
	assert_int_equal(status, 403);
	json_decref(j);
	j = tl_api_json(&prosecutor, "GET", path, NULL, &status);
	assert_int_equal(status, 403);
	json_decref(j);
	j = tl_api_json(&coord_d2, "GET", "/api/v1/children/999999", NULL, &status);
	assert_int_equal(status, 404);
	json_decref(j);

	snprintf(body, sizeof(body), "{\"resource\": \"child\", \"resource_id\": %lld, \"reason\": "
				     "\"Бала біздің ауданға көшіп келді, құжаттарын тексеру керек\"}", (long long)id);
	j = post(&coord_d2, "/api/v1/access-grants", body, &status);
	assert_int_equal(status, 201);
	json_decref(j);
	j = tl_api_json(&coord_d2, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	json_decref(j);
	/* The grant opens the record for reading only. */
	j = post(&coord_d2, path, "{\"school\": \"№5 мектеп\"}", &status);
	assert_int_equal(status, 404);
	json_decref(j);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'break_glass' AND resource = 'child'") >= 1);
	/* Nor may it link the child to an appeal. */
	snprintf(body, sizeof(body),
		 "{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"anonymous\"}, "
		 "\"child_id\": %lld, \"category\": \"bullying\", \"risk\": \"high\", \"district_id\": 2, "
		 "\"summary\": \"x\"}",
		 (long long)id);
	j = post(&coord_d2, "/api/v1/appeals", body, &status);
	assert_int_equal(status, 422);
	json_decref(j);
	snprintf(body, sizeof(body), "{\"resource\": \"child\", \"resource_id\": %lld, \"reason\": "
				     "\"Бала біздің ауданға көшіп келді, құжаттарын тексеру керек\"}", (long long)id);
	/* Within scope already: no glass to break. */
	j = post(&coord, "/api/v1/access-grants", body, &status);
	assert_int_equal(status, 409);
	json_decref(j);

	/* A psychologist sees the children of the appeals assigned to them. */
	snprintf(body, sizeof(body),
		 "{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"teacher\", \"name\": "
		 "\"Гүлнар Мұхтарқызы\"}, \"child_id\": %lld, \"category\": \"bullying\", \"risk\": \"medium\", "
		 "\"district_id\": 1, \"summary\": \"Сыныптастары мазақтайды\"}",
		 (long long)id);
	j = post(&coord, "/api/v1/appeals", body, &status);
	assert_int_equal(status, 201);
	int64_t appeal = num(j, "id");
	json_decref(j);
	char apath[96];
	snprintf(apath, sizeof(apath), "/api/v1/appeals/%lld/assign", (long long)appeal);
	snprintf(body, sizeof(body), "{\"psychologist_id\": %lld}", (long long)psy_id);
	j = post(&coord, apath, body, &status);
	assert_int_equal(status, 200);
	json_decref(j);
	j = tl_api_json(&psy, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "appeals")), 1);
	json_decref(j);
	j = search(&psy, "Толегенова", &status);
	assert_true(has_item(j, id));
	json_decref(j);
	j = search(&psy, "Серікбаев", &status);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
	json_decref(j);
	/* A psychologist may not change the registry. */
	j = post(&psy, path, "{\"school\": \"№5 мектеп\"}", &status);
	assert_int_equal(status, 403);
	json_decref(j);

	/* An appeal cannot point at a child that does not exist. */
	j = post(&coord, "/api/v1/appeals",
		 "{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"anonymous\"}, "
		 "\"child_id\": 999999, \"category\": \"bullying\", \"risk\": \"high\", \"district_id\": 1, "
		 "\"summary\": \"x\"}",
		 &status);
	assert_int_equal(status, 422);
	json_decref(j);
}

/* ---------- update and history ---------- */

static void test_update(void **state)
{
	(void)state;
	int status;
	int64_t id = new_child(&coord, "{\"surname\": \"Иванова\", \"given_name\": \"Алиса\", \"district_id\": 1, "
				       "\"care_status\": \"with_family\"}");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/children/%lld", (long long)id);
	json_t *j = post(&coord, path, "{\"care_status\": \"without_parental_care\", \"school\": \"№12 гимназия\"}", &status);
	assert_int_equal(status, 200);
	assert_string_equal(str(j, "care_status"), "without_parental_care");
	assert_string_equal(str(j, "surname"), "Иванова");
	json_decref(j);
	/* A new name is found under its new spelling. */
	j = post(&coord, path, "{\"surname\": \"Ахметова\"}", &status);
	assert_int_equal(status, 200);
	json_decref(j);
	j = search(&coord, "Akhmetova Alisa", &status);
	assert_true(has_item(j, id));
	json_decref(j);
	j = search(&coord, "Иванова Алиса", &status);
	assert_false(has_item(j, id));
	json_decref(j);

	/* Bad changes change nothing. */
	j = post(&coord, path, "{\"iin\": \"123\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = post(&coord, path, "{\"birth_date\": \"2999-01-01\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = post(&coord, path, "{}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = tl_api_json(&coord, "GET", path, NULL, &status);
	assert_string_equal(str(j, "surname"), "Ахметова");
	assert_true(json_is_null(json_object_get(j, "birth_date")));
	json_decref(j);

	/* Clearing a field takes "clear"; an unknown name there is an error. */
	j = post(&coord, path, "{\"clear\": [\"school\"]}", &status);
	assert_int_equal(status, 200);
	assert_true(json_is_null(json_object_get(j, "school")));
	assert_string_equal(str(j, "surname"), "Ахметова");
	json_decref(j);
	j = post(&coord, path, "{\"clear\": [\"surname\"]}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	/* Moving a child out of a district coordinator's district is refused. */
	j = post(&coord_d2, "/api/v1/children", "{\"surname\": \"Нұров\", \"given_name\": \"Ерасыл\", \"district_id\": 2, "
						 "\"care_status\": \"with_family\"}", &status);
	assert_int_equal(status, 201);
	char moved[96];
	snprintf(moved, sizeof(moved), "/api/v1/children/%lld", (long long)num(j, "id"));
	json_decref(j);
	j = post(&coord_d2, moved, "{\"district_id\": 1}", &status);
	assert_int_equal(status, 422);
	json_decref(j);

	snprintf(path, sizeof(path), "/api/v1/children/%lld/history", (long long)id);
	j = tl_api_json(&coord, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	json_t *items = json_object_get(j, "items");
	assert_int_equal(json_array_size(items), 4);
	assert_string_equal(str(json_array_get(items, 0), "action"), "registered");
	assert_string_equal(str(json_array_get(items, 1), "detail"), "care_status, school");
	json_decref(j);
}

/* ---------- the Meyirim campaign ---------- */

static int64_t attach(struct tl_client *c, int64_t child, int64_t org, const char *extra, int *status)
{
	char body[1024];
	snprintf(body, sizeof(body),
		 "{\"child_id\": %lld, \"organisation_id\": %lld, \"mentors\": [{\"name\": \"Айгүл Серікқызы\", "
		 "\"position\": \"бөлім басшысы\", \"phone\": \"+7 701 000 11 22\"}]%s%s}",
		 (long long)child, (long long)org, extra ? ", " : "", extra ? extra : "");
	json_t *j = post(c, "/api/v1/mentorships", body, status);
	int64_t id = *status == 201 ? num(j, "id") : 0;
	json_decref(j);
	return id;
}

static void test_meyirim(void **state)
{
	(void)state;
	int status;
	char started[11], path[320], body[512], day[11];
	date_days_ago(60, started);
	int64_t child = new_child(&coord, "{\"surname\": \"Бекова\", \"given_name\": \"Айым\", \"birth_date\": "
					  "\"2010-04-04\", \"district_id\": 1, \"care_status\": \"orphan\"}");
	int64_t lonely = new_child(&coord, "{\"surname\": \"Мұратов\", \"given_name\": \"Ислам\", \"birth_date\": "
					   "\"2009-08-08\", \"district_id\": 1, \"care_status\": \"orphan\"}");
	long long before = tl_sql_int(db, "SELECT count(*) FROM mentorship");

	/* Bad attachments: nothing stored. */
	json_t *j = post(&coord, "/api/v1/mentorships",
			 "{\"child_id\": 1, \"organisation_id\": 1, \"mentors\": [{\"name\": \"А\"}]}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	attach(&coord, child, org_police, NULL, &status);
	assert_int_equal(status, 422); /* the police do not take part in Meyirim */
	snprintf(body, sizeof(body), "\"goals\": [{\"area\": \"romance\", \"description\": \"x\"}]");
	attach(&coord, child, org_a, body, &status);
	assert_int_equal(status, 422);
	attach(&coord, child, org_a, "\"started_on\": \"2099-01-01\"", &status);
	assert_int_equal(status, 422);
	snprintf(body, sizeof(body), "{\"child_id\": %lld, \"organisation_id\": %lld}", (long long)child, (long long)org_a);
	j = post(&coord, "/api/v1/mentorships", body, &status);
	assert_int_equal(status, 422); /* no mentor */
	json_decref(j);
	attach(&mentor_a, child, org_a, NULL, &status);
	assert_int_equal(status, 403); /* attaching is the department's */
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM mentorship"), before);

	snprintf(body, sizeof(body), "\"started_on\": \"%s\", \"goals\": [{\"area\": \"education\", \"description\": "
				     "\"ҰБТ-ға дайындалу\"}, {\"area\": \"career\", \"description\": \"Мамандық таңдау\"}]",
		 started);
	int64_t m = attach(&coord, child, org_a, body, &status);
	assert_int_equal(status, 201);
	/* One active attachment per child. */
	attach(&coord, child, org_b, NULL, &status);
	assert_int_equal(status, 409);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM mentorship"), before + 1);

	/* The organisation's coordinator now sees the child, and only in their organisation. */
	j = search(&mentor_a, "Бекова Айым", &status);
	assert_true(has_item(j, child));
	json_decref(j);
	j = search(&mentor_b, "Бекова Айым", &status);
	assert_false(has_item(j, child));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld", (long long)m);
	j = tl_api_json(&mentor_a, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "mentors")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "goals")), 2);
	int64_t goal = num(json_array_get(json_object_get(j, "goals"), 0), "id");
	json_decref(j);
	j = tl_api_json(&mentor_b, "GET", path, NULL, &status);
	assert_int_equal(status, 404);
	json_decref(j);

	/* Alerts: no contact in 30 days; the unattached orphan. */
	j = tl_api_json(&coord, "GET", "/api/v1/meyirim/alerts", NULL, &status);
	assert_int_equal(status, 200);
	int found = 0;
	json_t *list = json_object_get(j, "no_contact");
	for (size_t i = 0; i < json_array_size(list); i++)
		found |= num(json_array_get(list, i), "id") == m;
	assert_true(found);
	found = 0;
	list = json_object_get(j, "unattached");
	for (size_t i = 0; i < json_array_size(list); i++)
		found |= num(json_array_get(list, i), "id") == lonely;
	assert_true(found);
	json_decref(j);

	/* Contacts: by the organisation's own coordinator; never by another organisation's. */
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld/contacts", (long long)m);
	long long contacts = tl_sql_int(db, "SELECT count(*) FROM mentor_contact");
	date_days_ago(2, day);
	snprintf(body, sizeof(body), "{\"contact_on\": \"%s\", \"kind\": \"career_guidance\", \"participants\": "
				     "\"Айгүл Серікқызы, Айым\", \"next_step\": \"колледжге бару\"}", day);
	j = post(&mentor_b, path, body, &status);
	assert_int_equal(status, 404);
	json_decref(j);
	j = post(&mentor_a, path, "{\"contact_on\": \"2099-01-01\", \"kind\": \"call\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = post(&mentor_a, path, "{\"contact_on\": \"2001-01-01\", \"kind\": \"call\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = post(&mentor_a, path, "{\"contact_on\": \"2001-01-01\", \"kind\": \"seance\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM mentor_contact"), contacts);
	j = post(&mentor_a, path, body, &status);
	assert_int_equal(status, 201);
	assert_string_equal(str(j, "kind"), "career_guidance");
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/meyirim/alerts", NULL, &status);
	list = json_object_get(j, "no_contact");
	for (size_t i = 0; i < json_array_size(list); i++)
		assert_true(num(json_array_get(list, i), "id") != m);
	json_decref(j);
	/* A Meyirim coordinator's alerts: their own, and no registry-wide list. */
	j = tl_api_json(&mentor_b, "GET", "/api/v1/meyirim/alerts", NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "no_contact")), 0);
	assert_true(json_is_null(json_object_get(j, "unattached")));
	json_decref(j);

	/* Goals: reached with a note; a reached goal does not move again. */
	snprintf(path, sizeof(path), "/api/v1/goals/%lld", (long long)goal);
	j = post(&mentor_a, path, "{\"status\": \"reached\", \"note\": \"ҰБТ 110 балл\"}", &status);
	assert_int_equal(status, 200);
	json_decref(j);
	j = post(&mentor_a, path, "{\"status\": \"in_progress\", \"note\": \"қайта\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = post(&mentor_b, path, "{\"note\": \"бөгде\"}", &status);
	assert_int_equal(status, 404);
	json_decref(j);

	/* A second mentor. */
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld/mentors", (long long)m);
	j = post(&mentor_a, path, "{\"name\": \"Бауыржан Әлиев\", \"position\": \"дәрігер\"}", &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "mentors")), 2);
	json_decref(j);

	/* Figures. */
	j = tl_api_json(&coord, "GET", "/api/v1/meyirim/campaign", NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(num(j, "children_attached"), tl_sql_int(db, "SELECT count(*) FROM mentorship WHERE ended_on IS NULL"));
	assert_int_equal(num(j, "goals_reached"), tl_sql_int(db, "SELECT count(*) FROM goal WHERE status = 'reached'"));
	json_decref(j);

	/* End: then no more contacts, and the child may be attached elsewhere. */
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld/end", (long long)m);
	j = post(&mentor_a, path, "{\"reason\": \"колледжге түсті\"}", &status);
	assert_int_equal(status, 403);
	json_decref(j);
	j = post(&coord, path, "{\"ended_on\": \"2001-01-01\", \"reason\": \"қате\"}", &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = post(&coord, path, "{\"reason\": \"колледжге түсті\"}", &status);
	assert_int_equal(status, 200);
	assert_false(json_is_true(json_object_get(j, "active")));
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld/contacts", (long long)m);
	j = post(&mentor_a, path, body, &status);
	assert_int_equal(status, 422);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/mentorships/%lld/mentors/1", (long long)m);
	j = post(&coord, path, "{\"active\": false}", &status);
	assert_int_equal(status, 409);
	json_decref(j);
	int64_t m2 = attach(&coord, child, org_b, NULL, &status);
	assert_int_equal(status, 201);
	assert_true(m2 > m);
	/* An attachment without a goal is an alert. */
	j = tl_api_json(&coord, "GET", "/api/v1/meyirim/alerts", NULL, &status);
	found = 0;
	list = json_object_get(j, "no_goal");
	for (size_t i = 0; i < json_array_size(list); i++)
		found |= num(json_array_get(list, i), "id") == m2;
	assert_true(found);
	json_decref(j);
	/* The first organisation no longer sees the child. */
	j = search(&mentor_a, "Бекова Айым", &status);
	assert_false(has_item(j, child));
	json_decref(j);

	/* The Meyirim list as CSV and XLSX, in each caller's scope, the same as counted here. */
	char org_a_rows[96], org_b_rows[96], other_org[48];
	snprintf(org_a_rows, sizeof(org_a_rows), "SELECT count(*) FROM mentorship WHERE organisation_id = %lld",
		 (long long)org_a);
	snprintf(org_b_rows, sizeof(org_b_rows), "SELECT count(*) FROM mentorship WHERE organisation_id = %lld",
		 (long long)org_b);
	snprintf(other_org, sizeof(other_org), "?organisation_id=%lld", (long long)org_b);
	const struct {
		struct tl_client *who;
		const char *query;
		int status;
		const char *sql; /* the rows it must hold */
	} exports[] = {
		{&coord, "", 200, "SELECT count(*) FROM mentorship WHERE ended_on IS NULL"},
		{&coord, "?state=all", 200, "SELECT count(*) FROM mentorship"},
		{&coord, "?state=ended&district_id=1", 200,
		 "SELECT count(*) FROM mentorship m JOIN child c ON c.id = m.child_id WHERE m.ended_on IS NOT NULL "
		 "AND c.district_id = 1"},
		{&mentor_a, "?state=all", 200, org_a_rows},
		{&mentor_b, "?state=all", 200, org_b_rows},
		{&coord_d2, "?state=all", 200,
		 "SELECT count(*) FROM mentorship m JOIN child c ON c.id = m.child_id WHERE c.district_id = 2"},
		{&coord_d2, "?district_id=1", 403, NULL},
		{&mentor_a, other_org, 403, NULL},
		{&coord, "?state=lost", 422, NULL},
		{&psy, "", 403, NULL},
	};
	for (size_t e = 0; e < sizeof(exports) / sizeof(exports[0]); e++) {
		snprintf(path, sizeof(path), "/api/v1/reports/mentorships.csv%s", exports[e].query);
		struct tl_response r;
		int got = tl_api(exports[e].who, "GET", path, NULL, &r);
		if (got != exports[e].status)
			fail_msg("%s: %d, expected %d", path, got, exports[e].status);
		if (exports[e].sql) {
			assert_int_equal(memcmp(r.body.ptr, "\xEF\xBB\xBF", 3), 0);
			assert_int_equal(strncmp(r.body.ptr + 3, "id,child_id,surname,given_name,", 31), 0);
			long long rows = -1; /* the header */
			for (const char *p = r.body.ptr; (p = strstr(p, "\r\n")); p += 2)
				rows++;
			if (rows != tl_sql_int(db, exports[e].sql))
				fail_msg("%s: %lld rows, expected %lld", path, rows, tl_sql_int(db, exports[e].sql));
			/* Only the other district's coordinator has nothing to see here. */
			if (exports[e].who != &coord_d2 && rows < 1)
				fail_msg("%s: no rows", path);
		}
		tl_response_release(&r);
	}
	/* The active one is there, with its child and organisation; the ended one is not. */
	struct tl_response r;
	assert_int_equal(tl_api(&coord, "GET", "/api/v1/reports/mentorships.csv", NULL, &r), 200);
	snprintf(body, sizeof(body), "\r\n%lld,%lld,Бекова,Айым,", (long long)m2, (long long)child);
	assert_non_null(strstr(r.body.ptr, body));
	snprintf(body, sizeof(body), "\r\n%lld,", (long long)m);
	assert_null(strstr(r.body.ptr, body));
	tl_response_release(&r);
	assert_int_equal(tl_api(&mentor_b, "GET", "/api/v1/reports/mentorships.xlsx", NULL, &r), 200);
	assert_true(r.body.len > 4 && !memcmp(r.body.ptr, "PK\x03\x04", 4));
	tl_response_release(&r);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = 'mentorships'") >= 2);
	/* Two children of the same name, each attached: the order must still be whole across pages. */
	for (int k = 0; k < 2; k++) {
		snprintf(body, sizeof(body),
			 "{\"surname\": \"Бірдей\", \"given_name\": \"Есім\", \"birth_date\": \"2011-0%d-0%d\", "
			 "\"district_id\": 1, \"care_status\": \"orphan\"}",
			 k + 1, k + 2);
		attach(&coord, new_child(&coord, body), org_a, NULL, &status);
		assert_int_equal(status, 201);
	}
	/* The list in pages of one: every attachment in the scope once, in the order of the names. */
	const struct {
		struct tl_client *who;
		const char *sql;
	} pages[] = {
		{&coord, "SELECT count(*) FROM mentorship"},
		{&mentor_a, org_a_rows},
		{&coord_d2, "SELECT count(*) FROM mentorship m JOIN child c ON c.id = m.child_id WHERE c.district_id = 2"},
	};
	for (size_t k = 0; k < sizeof(pages) / sizeof(pages[0]); k++) {
		long long seen = 0, last = 0;
		char after[160] = "";
		/* The whole list on one page, to compare the pages with. */
		j = tl_api_json(pages[k].who, "GET", "/api/v1/mentorships?state=all&limit=500", NULL, &status);
		assert_int_equal(status, 200);
		json_t *whole = json_incref(json_object_get(j, "items"));
		json_decref(j);
		for (int guard = 0; guard < 100; guard++) {
			snprintf(path, sizeof(path), "/api/v1/mentorships?state=all&limit=1%s%s", *after ? "&after=" : "", after);
			j = tl_api_json(pages[k].who, "GET", path, NULL, &status);
			assert_int_equal(status, 200);
			json_t *items = json_object_get(j, "items");
			assert_true(json_array_size(items) <= 1);
			if (json_array_size(items)) {
				long long id = (long long)json_integer_value(json_object_get(json_array_get(items, 0), "id"));
				long long want = (long long)json_integer_value(
					json_object_get(json_array_get(whole, (size_t)seen), "id"));
				if (id != want)
					fail_msg("paging %zu: row %lld is %lld, the whole list has %lld", k, seen, id, want);
				last = id;
				seen++;
			}
			const char *next = json_string_value(json_object_get(j, "next"));
			if (!next) {
				json_decref(j);
				break;
			}
			/* The cursor is the row's place: its child's name keys and its id. */
			const char *dot = strrchr(next, '.');
			assert_non_null(dot);
			assert_int_equal(atoll(dot + 1), last);
			snprintf(after, sizeof(after), "%s", next);
			json_decref(j);
		}
		if (seen != tl_sql_int(db, pages[k].sql) || (size_t)seen != json_array_size(whole))
			fail_msg("paging %zu: %lld attachments, expected %lld", k, seen, tl_sql_int(db, pages[k].sql));
		json_decref(whole);
	}
	/*
	 * A rename between two pages moves the child, not the place the next
	 * page starts from: nothing between is skipped (an attachment id as the
	 * cursor would start the next page after the new name).
	 */
	j = tl_api_json(&coord, "GET", "/api/v1/mentorships?state=all&limit=500", NULL, &status);
	json_t *whole = json_incref(json_object_get(j, "items"));
	json_decref(j);
	assert_true(json_array_size(whole) >= 3);
	j = tl_api_json(&coord, "GET", "/api/v1/mentorships?state=all&limit=1", NULL, &status);
	assert_int_equal(status, 200);
	char cursor[160];
	snprintf(cursor, sizeof(cursor), "%s", json_string_value(json_object_get(j, "next")));
	json_decref(j);
	/* The first row's child takes a name that sorts after every other; the next page starts at the next child. */
	json_int_t moved = json_integer_value(json_object_get(json_array_get(whole, 0), "child_id")), want = 0;
	for (size_t k = 1; k < json_array_size(whole) && !want; k++)
		if (json_integer_value(json_object_get(json_array_get(whole, k), "child_id")) != moved)
			want = json_integer_value(json_object_get(json_array_get(whole, k), "id"));
	assert_true(want > 0);
	snprintf(path, sizeof(path), "/api/v1/children/%lld", (long long)moved);
	j = post(&coord, path, "{\"surname\": \"Зызыкова\"}", &status);
	assert_int_equal(status, 200);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/mentorships?state=all&limit=1&after=%s", cursor);
	j = tl_api_json(&coord, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")), want);
	json_decref(j);
	json_decref(whole);
	/* A cursor is a place in the names, not a row: one from another scope shows only rows of the caller's own. */
	j = tl_api_json(&mentor_b, "GET", "/api/v1/mentorships?state=all&after=a.a.1", NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(json_array_size(json_object_get(j, "items")), tl_sql_int(db, org_b_rows));
	json_decref(j);
	/* What is not a cursor is refused, an attachment's bare id (the old cursor) included. */
	static const char *const not_cursors[] = {"999999", "%2Fetc", "a.b.0", "a.b.-1", "A.b.1", "a.b", "a.b.1x",
						  "a.b.99999999999999999999", "a%20b.c.1"};
	for (size_t k = 0; k < sizeof(not_cursors) / sizeof(not_cursors[0]); k++) {
		snprintf(path, sizeof(path), "/api/v1/mentorships?state=all&after=%s", not_cursors[k]);
		j = tl_api_json(&mentor_a, "GET", path, NULL, &status);
		if (status != 422)
			fail_msg("after=%s: %d, expected 422", not_cursors[k], status);
		assert_string_equal(tl_error_code(j), "invalid");
		json_decref(j);
	}
	/* The page, given such a cursor, starts at the beginning. */
	assert_int_equal(tl_api(&coord, "GET", "/meyirim?after=zz", NULL, &r), 200);
	tl_response_release(&r);
	snprintf(path, sizeof(path), "/meyirim?state=all&after=%lld", (long long)m);
	assert_int_equal(tl_api(&mentor_b, "GET", path, NULL, &r), 200);
	tl_response_release(&r);
	/* The children export takes the list's "attached" filter, as the list does. */
	static const char *const attached[] = {"yes", "no"};
	for (int k = 0; k < 2; k++) {
		char ex[96];
		snprintf(path, sizeof(path), "/api/v1/children?attached=%s&limit=500", attached[k]);
		j = tl_api_json(&coord, "GET", path, NULL, &status);
		assert_int_equal(status, 200);
		long long listed = (long long)json_array_size(json_object_get(j, "items"));
		assert_null(json_string_value(json_object_get(j, "next"))); /* all on one page */
		json_decref(j);
		snprintf(ex, sizeof(ex), "/api/v1/reports/children.csv?attached=%s", attached[k]);
		assert_int_equal(tl_api(&coord, "GET", ex, NULL, &r), 200);
		long long rows = -1;
		for (const char *p = r.body.ptr; (p = strstr(p, "\r\n")); p += 2)
			rows++;
		assert_int_equal(rows, listed);
		assert_true(rows > 0);
		tl_response_release(&r);
	}
}

/* ---------- merge ---------- */

static void test_merge(void **state)
{
	(void)state;
	int status;
	char iin[13], body[512], path[128];
	make_iin(iin, "120909", 5, 77);
	snprintf(body, sizeof(body),
		 "{\"surname\": \"Әбдірахманов\", \"given_name\": \"Алихан\", \"birth_date\": \"2012-09-09\", "
		 "\"district_id\": 1, \"care_status\": \"orphan\"}");
	int64_t a = new_child(&coord, body);
	snprintf(body, sizeof(body),
		 "{\"surname\": \"Abdrakhmanov\", \"given_name\": \"Alikhan\", \"birth_date\": \"2012-09-09\", "
		 "\"iin\": \"%s\", \"district_id\": 1, \"care_status\": \"orphan\", \"confirm_new\": true, "
		 "\"school\": \"№5 мектеп\"}",
		 iin);
	int64_t b = new_child(&coord, body);
	/* B has an appeal and an attachment. */
	snprintf(body, sizeof(body),
		 "{\"channel\": \"walk_in\", \"kind\": \"application\", \"applicant\": {\"type\": \"guardian\", "
		 "\"name\": \"Гүлмира Әбдірахманова\"}, \"child_id\": %lld, \"category\": \"psychological_support\", "
		 "\"risk\": \"low\", \"district_id\": 1, \"summary\": \"Кеңес керек\"}",
		 (long long)b);
	json_t *j = post(&coord, "/api/v1/appeals", body, &status);
	assert_int_equal(status, 201);
	int64_t appeal = num(j, "id");
	json_decref(j);
	int64_t mb = attach(&coord, b, org_a, NULL, &status);
	assert_int_equal(status, 201);
	int64_t ma = attach(&coord, a, org_b, NULL, &status);
	assert_int_equal(status, 201);

	snprintf(path, sizeof(path), "/api/v1/children/%lld/merge", (long long)a);
	snprintf(body, sizeof(body), "{\"duplicate_id\": %lld}", (long long)b);
	/* Only a coordinator merges; two active attachments must be settled first; not with itself. */
	j = post(&head, path, body, &status);
	assert_int_equal(status, 403);
	json_decref(j);
	j = post(&coord, path, body, &status);
	assert_int_equal(status, 409);
	assert_string_equal(tl_error_code(j), "both_attached");
	json_decref(j);
	char self[64];
	snprintf(self, sizeof(self), "{\"duplicate_id\": %lld}", (long long)a);
	j = post(&coord, path, self, &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = post(&coord, path, "{\"duplicate_id\": 999999}", &status);
	assert_int_equal(status, 404);
	json_decref(j);
	char end[96];
	snprintf(end, sizeof(end), "/api/v1/mentorships/%lld/end", (long long)ma);
	j = post(&coord, end, "{\"reason\": \"бір бала екі рет тіркелген\"}", &status);
	assert_int_equal(status, 200);
	json_decref(j);

	j = post(&coord, path, body, &status);
	assert_int_equal(status, 200);
	/* A keeps its name, gains B's IIN, appeal and attachment, and what only B knew (its school). */
	assert_string_equal(str(j, "surname"), "Әбдірахманов");
	assert_string_equal(str(j, "iin"), iin);
	assert_string_equal(str(j, "school"), "№5 мектеп");
	assert_int_equal(json_array_size(json_object_get(j, "appeals")), 1);
	assert_int_equal(num(json_object_get(j, "attachment"), "id"), mb);
	json_decref(j);
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT child_id FROM appeal WHERE id = %lld", (long long)appeal);
	assert_int_equal(tl_sql_int(db, sql), a);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM mentorship WHERE child_id = %lld", (long long)a);
	assert_int_equal(tl_sql_int(db, sql), 2);

	/* B remains, pointing at A, out of lists and searches; it cannot be changed or merged again. */
	snprintf(path, sizeof(path), "/api/v1/children/%lld", (long long)b);
	j = tl_api_json(&coord, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(num(j, "merged_into"), a);
	json_decref(j);
	j = search(&coord, "Abdrakhmanov Alikhan", &status);
	assert_true(has_item(j, a));
	assert_false(has_item(j, b));
	json_decref(j);
	j = search(&coord, iin, &status);
	assert_true(has_item(j, a));
	json_decref(j);
	j = post(&coord, path, "{\"school\": \"№1\"}", &status);
	assert_int_equal(status, 409);
	json_decref(j);
	snprintf(path, sizeof(path), "/api/v1/children/%lld/history", (long long)b);
	j = tl_api_json(&coord, "GET", path, NULL, &status);
	json_t *items = json_object_get(j, "items");
	assert_string_equal(str(json_array_get(items, json_array_size(items) - 1), "action"), "merged_into");
	json_decref(j);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'merge' AND resource = 'child'") >= 1);
}


/* ---------- pages ---------- */

/* GET a page as a client (cookie), in a language; returns the status, body in r. */
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
	char h[512], *full = malloc(strlen(body) + 128);
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s\r\nContent-Type: application/x-www-form-urlencoded", c->cookie);
	sprintf(full, "%s&_csrf=%s", body, c->csrf);
	if (tl_http(server.port, "POST", path, h, full, r) < 0)
		fail_msg("POST %s failed", path);
	free(full);
	return r->status;
}

/*
 * The merge page offers the records that may be the same child, each with
 * its own button; the button merges, and a record of another district is
 * not offered to a district's coordinator.
 */
static void test_merge_page(void **state)
{
	(void)state;
	struct tl_response r;
	int64_t a = new_child(&coord, "{\"surname\": \"Серікбаева\", \"given_name\": \"Назерке\", \"birth_date\": "
				      "\"2013-03-03\", \"district_id\": 1, \"care_status\": \"orphan\"}");
	int64_t b = new_child(&coord, "{\"surname\": \"Серикбаева\", \"given_name\": \"Назерке\", \"birth_date\": "
				      "\"2013-03-03\", \"district_id\": 1, \"care_status\": \"orphan\", \"confirm_new\": true}");
	int64_t other = new_child(&coord, "{\"surname\": \"Серікбаева\", \"given_name\": \"Назерке\", \"birth_date\": "
					  "\"2014-04-04\", \"district_id\": 1, \"care_status\": \"orphan\"}");
	char path[96], want[160];
	snprintf(path, sizeof(path), "/children/%lld/merge", (long long)a);
	assert_int_equal(page(&coord, path, "kk", &r), 200);
	assert_non_null(strstr(r.body.ptr, "Сол бала болуы мүмкін жазбалар"));
	snprintf(want, sizeof(want), "name=\"duplicate_id\" value=\"%lld\">", (long long)b);
	assert_non_null(strstr(r.body.ptr, want));
	/* Born on another day: not the same child. */
	snprintf(want, sizeof(want), "name=\"duplicate_id\" value=\"%lld\">", (long long)other);
	assert_null(strstr(r.body.ptr, want));
	tl_response_release(&r);
	/* A coordinator of another district is offered nothing of district 1. */
	int st = page(&coord_d2, path, "kk", &r);
	assert_true(st == 404 || st == 303 || st == 200);
	snprintf(want, sizeof(want), "name=\"duplicate_id\" value=\"%lld\">", (long long)b);
	assert_null(strstr(r.body.ptr, want));
	tl_response_release(&r);
	/* A change names in the history only the fields whose value changed, not all those sent. */
	char api[64];
	snprintf(api, sizeof(api), "/api/v1/children/%lld", (long long)b);
	int status;
	json_t *j = post(&coord, api, "{\"surname\": \"Серикбаева\", \"school\": \"№9 мектеп\"}", &status);
	assert_int_equal(status, 200);
	json_decref(j);
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM child_event WHERE child_id = %lld AND action = 'updated' "
				   "AND detail = 'school'", (long long)b);
	assert_int_equal(tl_sql_int(db, sql), 1);
	char body[64];
	snprintf(body, sizeof(body), "duplicate_id=%lld", (long long)b);
	assert_int_equal(form(&coord, path, body, &r), 303);
	tl_response_release(&r);
	snprintf(sql, sizeof(sql), "SELECT merged_into FROM child WHERE id = %lld", (long long)b);
	assert_int_equal(tl_sql_int(db, sql), a);
	/* The history says it in the reader's words: the record merged in by its number, what came with it. */
	snprintf(path, sizeof(path), "/children/%lld", (long long)a);
	assert_int_equal(page(&coord, path, "kk", &r), 200);
	snprintf(want, sizeof(want), "<td>№%lld жазбадан; одан алынғаны: Мектеп немесе колледж</td>", (long long)b);
	if (!strstr(r.body.ptr, want))
		fail_msg("history of %lld: no '%s'", (long long)a, want);
	assert_null(strstr(r.body.ptr, "<td>from "));
	tl_response_release(&r);
}

/* GET a page as c in Kazakh, which must answer 200; whether it shows text. */
static int page_shows(struct tl_client *c, const char *path, const char *text)
{
	struct tl_response r;
	if (page(c, path, "kk", &r) != 200)
		fail_msg("%s: %d", path, r.status);
	int shows = strstr(r.body.ptr, text) != NULL;
	tl_response_release(&r);
	return shows;
}

/* Audit rows of reads of a record with a detail, by whom. */
static long long reads(const char *resource, int64_t id, const char *detail, const char *login)
{
	char sql[512];
	snprintf(sql, sizeof(sql),
		 "SELECT count(*) FROM audit_log a JOIN app_user u ON u.id = a.user_id WHERE a.action = 'read' AND "
		 "a.resource = '%s' AND a.resource_id = %lld AND a.detail = '%s' AND u.login = '%s'",
		 resource, (long long)id, detail, login);
	return tl_sql_int(db, sql);
}

/*
 * Every page that shows a child's record reads it through the audit, not
 * only the record's own page: the edit form (IIN, guardian, notes), the
 * merge form and the records it lists, the "did you mean" step, the attach
 * form naming the child, an attachment's page shown again after a refused
 * form; and only what the worker may see is named at all.
 */
static void test_pages_audit_reads(void **state)
{
	(void)state;
	struct tl_response r;
	char iin[13], body[512], path[128];
	make_iin(iin, "120505", 6, 4321);
	snprintf(body, sizeof(body),
		 "{\"surname\": \"Төлегенова\", \"given_name\": \"Айару\", \"birth_date\": \"2012-05-05\", \"iin\": \"%s\", "
		 "\"district_id\": 1, \"care_status\": \"orphan\"}", iin);
	int64_t a = new_child(&coord, body);
	int64_t b = new_child(&coord, "{\"surname\": \"Тулегенова\", \"given_name\": \"Айару\", \"birth_date\": "
				      "\"2012-05-05\", \"district_id\": 1, \"care_status\": \"orphan\", \"confirm_new\": true}");
	/* The edit form, and the same form refused. */
	snprintf(path, sizeof(path), "/children/%lld/edit", (long long)a);
	assert_true(page_shows(&coord, path, iin));
	assert_int_equal(reads("child", a, "edit form", "coord"), 1);
	assert_int_equal(form(&coord, path, "surname=&given_name=Айару&district_id=1&care_status=orphan", &r), 422);
	assert_non_null(strstr(r.body.ptr, "Төлегенова"));
	tl_response_release(&r);
	assert_int_equal(reads("child", a, "edit form", "coord"), 2);
	/* The merge form: this record and the likely duplicate it names. */
	snprintf(path, sizeof(path), "/children/%lld/merge", (long long)a);
	assert_true(page_shows(&coord, path, "Тулегенова"));
	assert_int_equal(reads("child", a, "merge candidates", "coord"), 1);
	assert_int_equal(reads("child", b, "merge candidates", "coord"), 1);
	/* "Did you mean": on the page and in the API, each child shown is a read. */
	assert_int_equal(form(&coord, "/children/new",
			      "surname=Tolegenova&given_name=Ayaru&birth_date=2012-05-05&district_id=1&care_status=orphan", &r),
			 409);
	tl_response_release(&r);
	assert_int_equal(reads("child", a, "duplicate check", "coord"), 1);
	assert_int_equal(reads("child", b, "duplicate check", "coord"), 1);
	int status;
	json_t *j = post(&coord, "/api/v1/children", "{\"surname\": \"Tolegenova\", \"given_name\": \"Ayaru\", \"birth_date\": "
						  "\"2012-05-05\", \"district_id\": 1, \"care_status\": \"orphan\"}", &status);
	assert_int_equal(status, 409);
	json_decref(j);
	assert_int_equal(reads("child", a, "duplicate check", "coord"), 2);
	/* A coordinator of district 2 sees neither in full: no read, and the candidates say only "outside". */
	j = post(&coord_d2, "/api/v1/children", "{\"surname\": \"Tolegenova\", \"given_name\": \"Ayaru\", \"birth_date\": "
						"\"2012-05-05\", \"district_id\": 2, \"care_status\": \"orphan\"}", &status);
	assert_int_equal(status, 409);
	char *text = json_dumps(j, 0);
	assert_null(strstr(text, "Төлегенова"));
	free(text);
	json_decref(j);
	assert_int_equal(reads("child", a, "duplicate check", "coordtwo"), 0);
	/* The attach form names the child only to whom may see it, and reads it. */
	snprintf(path, sizeof(path), "/meyirim/new?child_id=%lld", (long long)a);
	assert_false(page_shows(&coord_d2, path, "Төлегенова"));
	assert_int_equal(reads("child", a, "attach form", "coordtwo"), 0);
	assert_true(page_shows(&coord, path, "Төлегенова"));
	assert_int_equal(reads("child", a, "attach form", "coord"), 1);
	/* An attachment's page shown again after a refused contact is a read of it. */
	snprintf(body, sizeof(body), "child_id=%lld&organisation_id=%lld&mentors.0.name=Сая+Бекқызы", (long long)a,
		 (long long)org_a);
	char loc[160];
	assert_int_equal(form(&coord, "/meyirim/new", body, &r), 303);
	assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
	tl_response_release(&r);
	int64_t m = atoll(loc + strlen("/meyirim/"));
	snprintf(path, sizeof(path), "/meyirim/%lld/contacts", (long long)m);
	assert_int_equal(form(&mentor_a, path, "contact_on=2099-01-01&kind=meeting", &r), 422);
	assert_non_null(strstr(r.body.ptr, "Төлегенова"));
	tl_response_release(&r);
	assert_int_equal(reads("mentorship", m, "form shown again", "mentora"), 1);
}

static void test_pages(void **state)
{
	(void)state;
	struct tl_response r;
	int64_t id = new_child(&coord, "{\"surname\": \"Қалиева\", \"given_name\": \"Жұлдыз\", \"birth_date\": "
				       "\"2011-02-02\", \"school\": \"<b>№7</b>\", \"district_id\": 1, \"care_status\": \"orphan\"}");
	char path[128], loc[160];
	/* List, search and the record, in Kazakh and Russian; names are escaped. */
	static const char *const langs[] = {"kk", "ru"};
	for (int l = 0; l < 2; l++) {
		assert_int_equal(page(&coord, "/children", langs[l], &r), 200);
		tl_response_release(&r);
		assert_int_equal(page(&coord, "/children?q=Kalieva+Zhuldyz", langs[l], &r), 200);
		assert_non_null(strstr(r.body.ptr, "Қалиева Жұлдыз"));
		/* The search, as a file: the export link carries it. */
		assert_non_null(strstr(r.body.ptr, "/api/v1/reports/children.csv?q=Kalieva%20Zhuldyz\""));
		tl_response_release(&r);
		snprintf(path, sizeof(path), "/children/%lld", (long long)id);
		assert_int_equal(page(&coord, path, langs[l], &r), 200);
		assert_non_null(strstr(r.body.ptr, l ? "сирота" : "жетім"));
		assert_null(strstr(r.body.ptr, "<b>№7"));
		assert_non_null(strstr(r.body.ptr, "&lt;b&gt;№7"));
		tl_response_release(&r);
		for (const char *const *p = (const char *const[]){"/children/new", "/meyirim", "/meyirim/new", "/meyirim/alerts",
								   "/meyirim/campaign", "/", NULL};
		     *p; p++) {
			if (page(&coord, *p, langs[l], &r) != 200)
				fail_msg("%s: %d", *p, r.status);
			tl_response_release(&r);
		}
	}
	/* Registration: errors kept on the form; the "did you mean" step; then confirmed. */
	long long before = children_count();
	assert_int_equal(form(&coord, "/children/new", "surname=Ержанов&given_name=Тимур&iin=123&district_id=1&care_status=orphan", &r),
			 422);
	assert_non_null(strstr(r.body.ptr, "Ержанов"));
	assert_non_null(strstr(r.body.ptr, "aria-invalid"));
	tl_response_release(&r);
	assert_int_equal(form(&coord, "/children/new",
			      "surname=Kalieva&given_name=Zhuldyz&birth_date=2011-02-02&district_id=1&care_status=orphan", &r),
			 409);
	snprintf(path, sizeof(path), "href=\"/children/%lld\"", (long long)id);
	assert_non_null(strstr(r.body.ptr, path));
	assert_non_null(strstr(r.body.ptr, "confirm_new"));
	tl_response_release(&r);
	assert_int_equal(children_count(), before);
	assert_int_equal(form(&coord, "/children/new",
			      "surname=Kalieva&given_name=Zhuldyz&birth_date=2011-02-02&district_id=1&care_status=orphan"
			      "&confirm_new=on",
			      &r),
			 303);
	assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
	tl_response_release(&r);
	assert_int_equal(children_count(), before + 1);
	/* Edit through the page. */
	snprintf(path, sizeof(path), "/children/%lld/edit", (long long)id);
	assert_int_equal(form(&coord, path, "surname=Қалиева&given_name=Жұлдыз&district_id=1&care_status=orphan&school=№7", &r),
			 303);
	tl_response_release(&r);
	/* Attach through the page, log a contact, record progress, see the alerts clear. */
	char body[512];
	snprintf(body, sizeof(body),
		 "child_id=%lld&organisation_id=%lld&mentors.0.name=Сая+Бекқызы&goals.0.area=skills"
		 "&goals.0.description=Тамақ+дайындау",
		 (long long)id, (long long)org_a);
	assert_int_equal(form(&coord, "/meyirim/new", body, &r), 303);
	assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
	tl_response_release(&r);
	int64_t m = atoll(loc + strlen("/meyirim/"));
	assert_true(m > 0);
	snprintf(path, sizeof(path), "/meyirim/%lld", (long long)m);
	assert_int_equal(page(&mentor_a, path, "kk", &r), 200);
	assert_non_null(strstr(r.body.ptr, "Тамақ дайындау"));
	tl_response_release(&r);
	assert_int_equal(page(&mentor_b, path, "kk", &r), 404);
	tl_response_release(&r);
	snprintf(path, sizeof(path), "/meyirim/%lld/contacts", (long long)m);
	assert_int_equal(form(&mentor_a, path, "contact_on=2099-01-01&kind=meeting", &r), 422);
	tl_response_release(&r);
	char today[11];
	date_days_ago(0, today);
	snprintf(body, sizeof(body), "contact_on=%s&kind=holiday&participants=Сая", today);
	assert_int_equal(form(&mentor_a, path, body, &r), 303);
	tl_response_release(&r);
	assert_int_equal(form(&mentor_b, path, body, &r), 404);
	tl_response_release(&r);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT id FROM goal WHERE mentorship_id = %lld", (long long)m);
	long long goal = tl_sql_int(db, sql);
	snprintf(path, sizeof(path), "/meyirim/%lld/progress", (long long)m);
	snprintf(body, sizeof(body), "goal_id=%lld&status=in_progress&note=Бірінші+сабақ", goal);
	assert_int_equal(form(&mentor_a, path, body, &r), 303);
	tl_response_release(&r);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM goal WHERE id = %lld AND status = 'in_progress'", goal);
	assert_int_equal(tl_sql_int(db, sql), 1);
	/* The Meyirim coordinator's home shows their alerts. */
	assert_int_equal(page(&mentor_a, "/", "ru", &r), 200);
	assert_non_null(strstr(r.body.ptr, "/meyirim/alerts"));
	tl_response_release(&r);
	/* Out of scope: the page offers the glass to a coordinator, nothing to others. */
	snprintf(path, sizeof(path), "/children/%lld", (long long)id);
	assert_int_equal(page(&coord_d2, path, "kk", &r), 303);
	assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
	assert_non_null(strstr(loc, "/access"));
	tl_response_release(&r);
	assert_int_equal(page(&mentor_b, path, "kk", &r), 404);
	tl_response_release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_and_iin),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_list_pages),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_meyirim),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_page),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_pages_audit_reads),
	};
	return cmocka_run_group_tests_name(tl_backend(), tests, start, stop);
}
