/*
 * Reports over the API and pages: the summary checked against counts made
 * here from the data inserted, the scope of a district-limited coordinator
 * and of an organisation, breakdowns, CSV (RFC 4180 quoting, BOM, formula
 * neutralisation), XLSX read back, well-formed SVG charts, the quarterly
 * report, and the demo region being the same for the same seed. Both
 * backends.
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
#include <unistd.h>

#include "lib/testlib.h"

static struct tl_server server;
static const char *db;
static struct tl_client admin, coord, coord_d2, psy, school;
static int64_t psy_id, org_school;

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
	int status;
	json_t *j = tl_api_json(&admin, "POST", "/api/v1/organisations",
				"{\"name\": \"№5 мектеп\", \"kind\": \"school\", \"district_id\": 1}", &status);
	assert_int_equal(status, 201);
	org_school = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	person(&coord, "coord", "coordinator", NULL);
	person(&coord_d2, "coordtwo", "coordinator", "\"district_id\": 2");
	psy_id = person(&psy, "psy", "psychologist", NULL);
	snprintf(extra, sizeof(extra), "\"organisation_id\": %lld", (long long)org_school);
	person(&school, "school5", "school", extra);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

static int64_t num(json_t *j, const char *key)
{
	return json_integer_value(json_object_get(j, key));
}

static int64_t post_id(struct tl_client *c, const char *path, const char *body, int want)
{
	int status;
	json_t *j = tl_api_json(c, "POST", path, body, &status);
	if (status != want)
		fail_msg("POST %s: %d %s", path, status, tl_error_code(j));
	int64_t id = num(j, "id");
	json_decref(j);
	return id;
}

static int64_t appeal(struct tl_client *c, const char *category, const char *channel, int district)
{
	char body[512];
	snprintf(body, sizeof(body),
		 "{\"channel\": \"%s\", \"kind\": \"application\", \"applicant\": {\"type\": \"parent\", \"name\": "
		 "\"Гүлнар Серікова\"}, \"category\": \"%s\", \"risk\": \"medium\", \"district_id\": %d, \"summary\": "
		 "\"Балаға көмек керек\"}",
		 channel, category, district);
	return post_id(c, "/api/v1/appeals", body, 201);
}

static void today(char out[11])
{
	time_t t = time(NULL) + 5 * 3600;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---------- the summary against independent counts ---------- */

static void test_summary(void **state)
{
	(void)state;
	int64_t a1 = appeal(&coord, "bullying", "phone", 1);
	appeal(&coord, "bullying", "helpline_111", 1);
	appeal(&coord, "neglect", "walk_in", 1);
	appeal(&coord_d2, "family_conflict", "phone", 2);
	appeal(&coord_d2, "bullying", "online", 2);
	appeal(&school, "bullying", "school", 1);
	/* a1: assigned, consulted, resolved */
	char path[96], body[256];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/assign", (long long)a1);
	snprintf(body, sizeof(body), "{\"psychologist_id\": %lld}", (long long)psy_id);
	post_id(&coord, path, body, 200);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/consultations", (long long)a1);
	char day[11];
	today(day);
	char first[128];
	snprintf(first, sizeof(first), "{\"held_at\": \"%sT00:10:00+05:00\", \"duration_min\": 45, \"format\": \"in_person\"}",
		 day);
	post_id(&psy, path, first, 201);
	char when[40];
	snprintf(when, sizeof(when), "%sT00:30:00+05:00", day);
	snprintf(body, sizeof(body), "{\"held_at\": \"%s\", \"duration_min\": 30, \"format\": \"phone\"}", when);
	post_id(&psy, path, body, 201);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/transition", (long long)a1);
	post_id(&psy, path, "{\"to\": \"resolved\", \"reason\": \"Кеңес берілді\"}", 200);

	char q[160], sql[256];
	int status;
	snprintf(q, sizeof(q), "/api/v1/reports/summary?from=2026-01-01&to=%s", day);
	json_t *j = tl_api_json(&coord, "GET", q, NULL, &status);
	assert_int_equal(status, 200);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal WHERE registered_on >= '2026-01-01' AND registered_on <= '%s'",
		 day);
	assert_int_equal(num(j, "appeals_received"), tl_sql_int(db, sql));
	assert_int_equal(num(j, "appeals_resolved"), tl_sql_int(db, "SELECT count(*) FROM appeal WHERE status = 'resolved'"));
	assert_int_equal(num(j, "consultations_held"), tl_sql_int(db, "SELECT count(*) FROM consultation"));
	assert_int_equal(num(j, "appeals_overdue"), 0);
	json_decref(j);
	/* A coordinator of district 2 sees district 2 only, and no other district. */
	j = tl_api_json(&coord_d2, "GET", q, NULL, &status);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal WHERE district_id = 2 AND registered_on <= '%s'", day);
	assert_int_equal(num(j, "appeals_received"), tl_sql_int(db, sql));
	assert_int_equal(num(j, "appeals_received"), 2);
	assert_int_equal(num(j, "consultations_held"), 0);
	json_decref(j);
	snprintf(q, sizeof(q), "/api/v1/reports/summary?district_id=1");
	j = tl_api_json(&coord_d2, "GET", q, NULL, &status);
	assert_int_equal(status, 403);
	json_decref(j);
	/* A school: what it registered. */
	j = tl_api_json(&school, "GET", "/api/v1/reports/summary", NULL, &status);
	assert_int_equal(status, 200);
	assert_int_equal(num(j, "appeals_received"), 1);
	json_decref(j);
	/* No reports for a psychologist; bad periods are errors. */
	j = tl_api_json(&psy, "GET", "/api/v1/reports/summary", NULL, &status);
	assert_int_equal(status, 403);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/reports/summary?from=2026-05-01&to=2026-01-01", NULL, &status);
	assert_int_equal(status, 422);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/reports/summary?from=yesterday", NULL, &status);
	assert_int_equal(status, 422);
	json_decref(j);

	/* Breakdowns add up. */
	j = tl_api_json(&coord, "GET", "/api/v1/reports/breakdown?by=category", NULL, &status);
	assert_int_equal(status, 200);
	int64_t sum = 0, bullying = 0;
	json_t *rows = json_object_get(j, "rows");
	for (size_t i = 0; i < json_array_size(rows); i++) {
		json_t *row = json_array_get(rows, i);
		sum += num(row, "received");
		if (!strcmp(json_string_value(json_object_get(row, "key")), "bullying"))
			bullying = num(row, "received");
	}
	assert_int_equal(sum, 6);
	assert_int_equal(bullying, 4);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/reports/breakdown?by=month", NULL, &status);
	assert_int_equal(status, 200);
	json_decref(j);
	j = tl_api_json(&coord, "GET", "/api/v1/reports/breakdown?by=colour", NULL, &status);
	assert_int_equal(status, 422);
	json_decref(j);
}

/* ---------- exports ---------- */

static void test_csv(void **state)
{
	(void)state;
	post_id(&coord, "/api/v1/children",
		"{\"surname\": \"=HYPERLINK(\\\"http://x\\\")\", \"given_name\": \"Әлия, \\\"Ақ\\\"\", \"district_id\": 1, "
		"\"care_status\": \"orphan\"}",
		201);
	struct tl_response r;
	assert_int_equal(tl_api(&coord, "GET", "/api/v1/reports/children.csv", NULL, &r), 200);
	char h[160];
	assert_true(tl_response_header(&r, "content-disposition", h, sizeof(h)));
	assert_non_null(strstr(h, "attachment; filename=\"qorgau-children-"));
	const char *b = r.body.ptr;
	assert_int_equal(memcmp(b, "\xEF\xBB\xBF", 3), 0);
	assert_int_equal(strncmp(b + 3, "id,surname,given_name,", 22), 0);
	assert_non_null(strstr(b, ",\"'=HYPERLINK(\"\"http://x\"\")\",\"Әлия, \"\"Ақ\"\"\","));
	/* CRLF line ends, nothing else. */
	for (const char *p = b; *p; p++)
		if (*p == '\n')
			assert_true(p > b && p[-1] == '\r');
	tl_response_release(&r);
	/* Exports are audited; a list the caller may not see is refused. */
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = 'children'") >= 1);
	assert_int_equal(tl_api(&psy, "GET", "/api/v1/reports/lessons.csv", NULL, &r), 403);
	tl_response_release(&r);
	/* A district coordinator's appeals export holds their district only. */
	assert_int_equal(tl_api(&coord_d2, "GET", "/api/v1/reports/appeals.csv", NULL, &r), 200);
	int lines = 0;
	for (const char *line = strstr(r.body.ptr, "\r\n") + 2; *line; line = strstr(line, "\r\n") + 2) {
		/* number,registered_on,received_at,channel,kind,category,risk,status,district_id,… */
		const char *p = line;
		for (int k = 0; k < 8; k++)
			p = strchr(p, ',') + 1;
		assert_int_equal(atoi(p), 2);
		lines++;
	}
	assert_int_equal(lines, 2);
	tl_response_release(&r);
	/* The audit log as CSV for its readers, whole or filtered, the same rows as the table holds. */
	long long rows;
	const char *p;
	assert_int_equal(tl_api(&admin, "GET", "/api/v1/reports/audit.csv", NULL, &r), 200);
	rows = -1;
	for (p = r.body.ptr; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	assert_int_equal(strncmp(r.body.ptr + 3, "id,at,user_id,login,role,action,resource,resource_id,", 53), 0);
	/* Newest first, its own export row the first, then every older row once. */
	long long first = atoll(strstr(r.body.ptr, "\r\n") + 2);
	assert_int_equal(first, tl_sql_int(db, "SELECT max(id) FROM audit_log"));
	assert_non_null(strstr(strstr(r.body.ptr, "\r\n") + 2, ",export,audit,"));
	tl_response_release(&r);
	assert_true(rows > 10);
	assert_int_equal(rows, tl_sql_int(db, "SELECT count(*) FROM audit_log"));
	assert_int_equal(tl_api(&admin, "GET", "/api/v1/reports/audit.csv?action=export&resource=children", NULL, &r), 200);
	rows = -1;
	for (p = r.body.ptr; (p = strstr(p, "\r\n")); p += 2)
		rows++;
	assert_int_equal(rows, tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = 'children'"));
	assert_true(rows >= 1);
	tl_response_release(&r);
	assert_int_equal(tl_api(&coord, "GET", "/api/v1/reports/audit.csv", NULL, &r), 403);
	tl_response_release(&r);
	assert_int_equal(tl_api(&admin, "GET", "/api/v1/reports/audit.csv?from=someday", NULL, &r), 422);
	tl_response_release(&r);
	/* Organisations and accounts as files: what their lists give, to whoever may read the lists. */
	static const struct {
		const char *list, *file;
	} admin_lists[] = {
		{"/api/v1/organisations", "/api/v1/reports/organisations.csv"},
		{"/api/v1/organisations?kind=school", "/api/v1/reports/organisations.csv?kind=school"},
		{"/api/v1/users", "/api/v1/reports/users.csv"},
	};
	struct tl_client *const readers[] = {&admin, &coord, &psy};
	for (size_t k = 0; k < sizeof(admin_lists) / sizeof(admin_lists[0]); k++)
		for (int w = 0; w < 3; w++) {
			int status;
			json_t *j = tl_api_json(readers[w], "GET", admin_lists[k].list, NULL, &status);
			long long listed = (long long)json_array_size(json_object_get(j, "items"));
			json_decref(j);
			assert_int_equal(tl_api(readers[w], "GET", admin_lists[k].file, NULL, &r), status);
			if (status == 200) {
				rows = -1;
				for (p = r.body.ptr; (p = strstr(p, "\r\n")); p += 2)
					rows++;
				assert_int_equal(rows, listed);
				assert_true(rows >= 1);
				assert_null(strstr(r.body.ptr, "$argon2")); /* never a password hash */
			} else {
				assert_int_equal(status, 403);
			}
			tl_response_release(&r);
		}
	assert_int_equal(tl_api(&admin, "GET", "/api/v1/reports/organisations.csv?kind=castle", NULL, &r), 422);
	tl_response_release(&r);
	/* A breakdown as CSV. */
	assert_int_equal(tl_api(&coord, "GET", "/api/v1/reports/breakdown.csv?by=channel", NULL, &r), 200);
	assert_non_null(strstr(r.body.ptr, "channel,received\r\n"));
	tl_response_release(&r);
}

/* GET an export (200 expected) into the test's folder as name; its path in path. */
static void save_export(struct tl_client *c, const char *url, const char *name, char *path, size_t size)
{
	struct tl_response r;
	assert_int_equal(tl_api(c, "GET", url, NULL, &r), 200);
	snprintf(path, size, "%s/%s", tl_tmpdir(), name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(r.body.ptr, 1, r.body.len, f);
	fclose(f);
	tl_response_release(&r);
}

static void test_xlsx(void **state)
{
	(void)state;
	char path[512], cmd[1200];
	save_export(&coord, "/api/v1/reports/children.xlsx", "children.xlsx", path, sizeof(path));
	/* A real workbook: a zip with the sheet, the names in it, the formula kept as text. */
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/worksheets/sheet1.xml", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	struct buf xml = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&xml, chunk, n);
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(xml.ptr, "<worksheet"));
	assert_true(strstr(xml.ptr, "Әлия, &quot;Ақ&quot;") || strstr(xml.ptr, "Әлия, \"Ақ\""));
	assert_non_null(strstr(xml.ptr, "'=HYPERLINK"));
	assert_null(strstr(xml.ptr, "<f>"));
	buf_release(&xml);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/worksheets/sheet1.xml | xmllint --noout - 2>&1", path);
	assert_int_equal(system(cmd), 0);
	/* The headline figures as a workbook: numbers, not text. */
	save_export(&coord, "/api/v1/reports/summary.xlsx?from=2024-01-01", "summary.xlsx", path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/workbook.xml | grep -c 'name=\"summary\"' >/dev/null", path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "unzip -p '%s' xl/worksheets/sheet1.xml | xmllint --noout - 2>&1", path);
	assert_int_equal(system(cmd), 0);
	/* 11 figures and the district (numbers); from, to and the names are strings. */
	snprintf(cmd, sizeof(cmd), "test $(unzip -p '%s' xl/worksheets/sheet1.xml | grep -o '<c [^>]*><v>' | grep -vc 't=') -ge 11",
		 path);
	assert_int_equal(system(cmd), 0);
}

static int page(struct tl_client *c, const char *path, struct tl_response *r);

/* The summary export holds the figures GET /api/v1/reports/summary gives, for the same query and caller. */
static void summary_csv_matches(struct tl_client *c, const char *query)
{
	char path[256];
	snprintf(path, sizeof(path), "/api/v1/reports/summary%s", query);
	int status;
	json_t *j = tl_api_json(c, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	snprintf(path, sizeof(path), "/api/v1/reports/summary.csv%s", query);
	struct tl_response r;
	assert_int_equal(tl_api(c, "GET", path, NULL, &r), 200);
	assert_int_equal(strncmp(r.body.ptr, "\xEF\xBB\xBF" "figure,value\r\n", 17), 0);
	static const char *const figures[] = {"appeals_received", "appeals_resolved", "appeals_overdue",
					      "consultations_held", "prevention_events", "event_participants",
					      "schools_covered", "lessons_held", "pupils_reached", "children_attached",
					      "children_without_recent_contact"};
	long long total = 0;
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++) {
		char want[96];
		long long v = (long long)json_integer_value(json_object_get(j, figures[i]));
		total += v;
		snprintf(want, sizeof(want), "\r\n%s,%lld\r\n", figures[i], v);
		if (!strstr(r.body.ptr, want))
			fail_msg("%s: no line %s", path, want + 2);
	}
	assert_true(total > 0);
	char want[64];
	snprintf(want, sizeof(want), "\r\nfrom,%s\r\nto,%s\r\n", json_string_value(json_object_get(j, "from")),
		 json_string_value(json_object_get(j, "to")));
	assert_non_null(strstr(r.body.ptr, want));
	tl_response_release(&r);
	json_decref(j);
}

static void test_summary_export(void **state)
{
	(void)state;
	summary_csv_matches(&coord, "?from=2024-01-01");
	summary_csv_matches(&coord, "?from=2024-01-01&district_id=1");
	summary_csv_matches(&coord_d2, "?from=2024-01-01");
	/* Its scope is the summary's: another district is refused, a bad period too, a psychologist has none. */
	struct tl_response r;
	assert_int_equal(tl_api(&coord_d2, "GET", "/api/v1/reports/summary.csv?district_id=1", NULL, &r), 403);
	tl_response_release(&r);
	assert_int_equal(tl_api(&coord, "GET", "/api/v1/reports/summary.csv?from=2026-05-01&to=2026-01-01", NULL, &r),
			 422);
	tl_response_release(&r);
	assert_int_equal(tl_api(&psy, "GET", "/api/v1/reports/summary.xlsx", NULL, &r), 403);
	tl_response_release(&r);
	assert_true(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = 'summary'") >= 3);
	/* The quarterly report links its figures and each of its tables as files. */
	assert_int_equal(page(&coord, "/dashboard?from=2024-01-01", &r), 200);
	assert_non_null(strstr(r.body.ptr, "/api/v1/reports/summary.xlsx?from=2024-01-01&amp;to="));
	tl_response_release(&r);
	time_t now = time(NULL) + 5 * 3600; /* the records were made today, in this quarter (UTC+5) */
	struct tm tm;
	gmtime_r(&now, &tm);
	int year = tm.tm_year + 1900, q = tm.tm_mon / 3 + 1;
	static const char *const last_day[] = {"03-31", "06-30", "09-30", "12-31"};
	char path[128], want[200];
	snprintf(path, sizeof(path), "/reports/quarterly?year=%d&quarter=%d", year, q);
	assert_int_equal(page(&coord, path, &r), 200);
	snprintf(want, sizeof(want), "/api/v1/reports/summary.csv?from=%d-%02d-01&amp;to=%d-%s\"", year, (q - 1) * 3 + 1,
		 year, last_day[q - 1]);
	assert_non_null(strstr(r.body.ptr, want));
	snprintf(want, sizeof(want), "/api/v1/reports/breakdown.xlsx?by=category&amp;from=%d-%02d-01&amp;to=%d-%s\"",
		 year, (q - 1) * 3 + 1, year, last_day[q - 1]);
	assert_non_null(strstr(r.body.ptr, want));
	tl_response_release(&r);
}

/* ---------- pages: charts are well-formed SVG ---------- */

static int page(struct tl_client *c, const char *path, struct tl_response *r)
{
	char h[256];
	snprintf(h, sizeof(h), "Cookie: qorgau_session=%s", c->cookie);
	if (tl_http(server.port, "GET", path, h, NULL, r) < 0)
		fail_msg("GET %s failed", path);
	return r->status;
}

static void test_charts_and_pages(void **state)
{
	(void)state;
	struct tl_response r;
	assert_int_equal(page(&coord, "/dashboard?from=2024-01-01", &r), 200);
	/* Every <svg> of the page is well-formed XML. */
	int svgs = 0;
	char path[512];
	for (const char *s = strstr(r.body.ptr, "<svg"); s; s = strstr(s + 4, "<svg")) {
		const char *e = strstr(s, "</svg>");
		assert_non_null(e);
		snprintf(path, sizeof(path), "%s/chart%d.svg", tl_tmpdir(), svgs);
		FILE *f = fopen(path, "w");
		fwrite(s, 1, (size_t)(e + 6 - s), f);
		fclose(f);
		char cmd[700];
		snprintf(cmd, sizeof(cmd), "xmllint --noout '%s' 2>&1", path);
		if (system(cmd) != 0)
			fail_msg("chart %d is not well-formed XML", svgs);
		svgs++;
	}
	assert_true(svgs >= 3);
	assert_non_null(strstr(r.body.ptr, "<title id=\"c-months-t\">"));
	tl_response_release(&r);
	const char *pages[] = {"/reports", "/reports?by=district", "/reports/quarterly?year=2026&quarter=1&lang=ru",
			       "/reports/quarterly", "/"};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		if (page(&coord, pages[i], &r) != 200)
			fail_msg("%s: %d", pages[i], r.status);
		tl_response_release(&r);
	}
	/* The report in Russian for a Kazakh reader: the report is Russian, the page around it stays Kazakh. */
	assert_int_equal(page(&coord, "/reports/quarterly?year=2026&quarter=1&lang=ru", &r), 200);
	assert_non_null(strstr(r.body.ptr, "<html lang=\"kk\""));
	const char *report = strstr(r.body.ptr, "<div class=\"report\" lang=\"ru\">");
	assert_non_null(report);
	assert_non_null(strstr(report, "Основные показатели"));
	const char *nav = strstr(r.body.ptr, "<nav");
	assert_non_null(nav);
	assert_true(nav < report);
	assert_non_null(strstr(r.body.ptr, "<h1>Квартальный отчёт"));
	assert_non_null(strstr(r.body.ptr, "Есептің тілі")); /* the filter, in the reader's language */
	/*
	 * A paper: the year in its title, its period and the day it was made as
	 * papers write dates, the day's figure (overdue) marked with that day.
	 */
	assert_non_null(strstr(r.body.ptr, ", 2026</h1>"));
	assert_non_null(strstr(report, "01.01.2026 – 31.03.2026"));
	char made[64], day[11];
	today(day);
	snprintf(made, sizeof(made), "%.2s.%.2s.%.4s", day + 8, day + 5, day);
	const char *overdue = strstr(report, "Просрочено сейчас (");
	assert_non_null(overdue);
	assert_int_equal(strncmp(overdue + strlen("Просрочено сейчас ("), made, 10), 0);
	snprintf(made, sizeof(made), "Дата подготовки: %.2s.%.2s.%.4s.", day + 8, day + 5, day);
	assert_non_null(strstr(report, made));
	assert_null(strstr(report, "Предварительно")); /* that quarter is over */
	/* The Meyirim figures are the state on the quarter's last day, and say it. */
	assert_non_null(strstr(report, "(31.03.2026)"));
	tl_response_release(&r);
	assert_int_equal(page(&psy, "/dashboard", &r), 403);
	tl_response_release(&r);
	assert_int_equal(page(&coord, "/reports?by=colour", &r), 422);
	tl_response_release(&r);
}

/* ---------- the demo ---------- */

static void fingerprint(const char *url, long long out[4])
{
	out[0] = tl_sql_int(url, "SELECT count(*) FROM appeal");
	out[1] = tl_sql_int(url, "SELECT COALESCE(sum(length(applicant_name)), 0) + sum(district_id * id) FROM appeal");
	out[2] = tl_sql_int(url, "SELECT sum(length(surname) * id) FROM child");
	out[3] = tl_sql_int(url, "SELECT count(*) + sum(participants) FROM prevention_event");
}

static void test_demo_deterministic(void **state)
{
	(void)state;
	long long a[4], b[4], c[4];
	const char *url[3];
	for (int i = 0; i < 3; i++) {
		url[i] = tl_new_database();
		struct tl_run run;
		const char *args[] = {"demo", "--seed", i < 2 ? "7" : "8", "--database", url[i], NULL};
		tl_run_qorgau(&run, NULL, NULL, args);
		if (run.status != 0)
			fail_msg("demo: %d %s", run.status, run.err.ptr);
		assert_non_null(strstr(run.out.ptr, "coordinator"));
		assert_non_null(strstr(run.out.ptr, "qorgau-demo-2026"));
		/* Each long step says it began and how long it took, so a big scale never looks stuck. */
		assert_non_null(strstr(run.err.ptr, "qorgau demo: indexes of the appeals' tables…\n"));
		assert_non_null(strstr(run.err.ptr, "qorgau demo: lecturers, lessons and events took "));
		tl_run_release(&run);
	}
	fingerprint(url[0], a);
	fingerprint(url[1], b);
	fingerprint(url[2], c);
	for (int k = 0; k < 4; k++)
		assert_true(a[k] == b[k]);
	assert_int_equal(a[0], 1100);
	assert_true(a[1] != c[1] || a[2] != c[2]);
	/* The figures kept for reports agree with the rows. */
	assert_int_equal(tl_sql_int(url[0], "SELECT sum(n) FROM appeal_stat WHERE dim = 'received'"), 1100);
	assert_int_equal(tl_sql_int(url[0], "SELECT sum(n) FROM appeal_stat WHERE dim = 'consultation'"),
			 tl_sql_int(url[0], "SELECT count(*) FROM consultation"));
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM mentorship WHERE ended_on IS NULL"), 222);
	assert_int_equal(tl_sql_int(url[0], "SELECT sum(n) FROM attached_count"), 222);
	/*
	 * The loader writes rows many at a time and counts the figures itself:
	 * every figure is the count over the rows, and every row is counted.
	 */
	char sql[2048];
	snprintf(sql, sizeof(sql),
		 "SELECT registered_on d, district_id k, 'received' dim, '' v, count(*) n FROM appeal GROUP BY 1, 2 "
		 "UNION ALL SELECT registered_on, district_id, 'category', category, count(*) FROM appeal GROUP BY 1, 2, 4 "
		 "UNION ALL SELECT registered_on, district_id, 'channel', channel, count(*) FROM appeal GROUP BY 1, 2, 4 "
		 "UNION ALL SELECT registered_on, district_id, 'kind', kind, count(*) FROM appeal GROUP BY 1, 2, 4 "
		 "UNION ALL SELECT registered_on, district_id, 'risk', risk, count(*) FROM appeal GROUP BY 1, 2, 4 "
		 "UNION ALL SELECT resolved_on, district_id, 'resolved', '', count(*) FROM appeal "
		 "WHERE resolved_on IS NOT NULL GROUP BY 1, 2 "
		 "UNION ALL SELECT %s, a.district_id, 'consultation', '', count(*) FROM consultation c "
		 "JOIN appeal a ON a.id = c.appeal_id GROUP BY 1, 2",
		 tl_is_pg() ? "to_char(to_timestamp(c.held_at + 18000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
			    : "date(c.held_at + 18000, 'unixepoch')");
	char q[4096];
	snprintf(q, sizeof(q), "SELECT count(*) FROM (SELECT * FROM (%s) s EXCEPT SELECT day, district_id, dim, val, n FROM appeal_stat) x", sql);
	if (tl_sql_int(url[0], q) != 0)
		fail_msg("figures differ from the rows: %s", url[0]);
	snprintf(q, sizeof(q), "SELECT count(*) FROM (SELECT day, district_id, dim, val, n FROM appeal_stat EXCEPT SELECT * FROM (%s) s) x", sql);
	if (tl_sql_int(url[0], q) != 0)
		fail_msg("figures differ from the rows: %s", url[0]);
	assert_true(tl_sql_int(url[0], "SELECT count(*) FROM consultation") > 500);
	/* An attachment's last contact is its newest contact; each child's change number is its own. */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM mentorship m WHERE last_contact_on IS DISTINCT FROM "
					    "(SELECT max(contact_on) FROM mentor_contact k WHERE k.mentorship_id = m.id)"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(DISTINCT ver) FROM child"),
			 tl_sql_int(url[0], "SELECT count(*) FROM child"));
	assert_true(tl_sql_int(url[0], "SELECT ver FROM child_meta") >= tl_sql_int(url[0], "SELECT max(ver) FROM child"));
	/* Numbers run with the dates: a later appeal never has an earlier number within its year. */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal a JOIN appeal b ON b.id = a.id + 1 "
					    "WHERE substr(a.number, 1, 6) = substr(b.number, 1, 6) AND "
					    "(b.number < a.number OR b.received_at < a.received_at)"),
			 0);
	/* Search terms: every appeal has its summary's terms, the same for the same summary. */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal a WHERE NOT EXISTS "
					    "(SELECT 1 FROM appeal_term t WHERE t.appeal_id = a.id)"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM (SELECT summary FROM (SELECT a.summary, (SELECT "
					    "count(*) FROM appeal_term t WHERE t.appeal_id = a.id) n FROM appeal a "
					    "WHERE a.summary IS NOT NULL) x GROUP BY summary HAVING count(DISTINCT n) > 1) y"),
			 0);
	/* Consultations as the demo describes them: the k-th a few days after the appeal came, by its psychologist. */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM consultation c JOIN appeal a ON a.id = c.appeal_id "
					    "WHERE a.status NOT IN ('in_progress', 'referred', 'resolved', 'closed') "
					    "OR c.psychologist_id <> COALESCE(a.assignee_id, (SELECT id FROM app_user "
					    "WHERE login = 'head')) OR c.duration_min <> 30 + 15 * (a.id % 4) "
					    "OR (c.held_at - a.received_at) NOT IN (86400 * (1 + a.id % 3), 86400 * (5 + a.id % 3)) "
					    "OR (c.held_at - a.received_at = 86400 * (5 + a.id % 3) AND a.id % 2 = 0)"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM (SELECT appeal_id FROM consultation "
					    "GROUP BY appeal_id, held_at HAVING count(*) > 1) x"),
			 0);
	/* Referrals: pending for the appeals referred now, answered for the others; one event a registration. */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal a WHERE a.status = 'referred' AND NOT EXISTS "
					    "(SELECT 1 FROM referral r WHERE r.appeal_id = a.id AND r.status = 'pending')"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM referral r JOIN appeal a ON a.id = r.appeal_id "
					    "WHERE (r.status = 'pending') <> (a.status = 'referred') "
					    "OR (r.status = 'done' AND (r.answered_at IS NULL OR r.answer IS NULL "
					    "OR r.updated_at <> r.answered_at)) OR r.created_at < a.received_at"),
			 0);
	assert_true(tl_sql_int(url[0], "SELECT count(*) FROM referral") > 50);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal_event WHERE action = 'registered'"), 1100);
	/* Referrals reach the two overseeing bodies too, not only the police, a hospital and guardianship. */
	assert_true(tl_sql_int(url[0], "SELECT count(*) FROM referral r JOIN organisation o ON o.id = r.to_org "
				       "WHERE o.kind = 'prosecutor'") > 0);
	assert_true(tl_sql_int(url[0], "SELECT count(*) FROM referral r JOIN organisation o ON o.id = r.to_org "
				       "WHERE o.kind = 'ombudsman'") > 0);
	/*
	 * Each appeal's history is the one the real actions would have written:
	 * registered, assigned to its assignee, every status change chained from
	 * the one before and ending at its status, in time order, with an entry
	 * per consultation and per referral naming it, resolved on its day.
	 */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal a WHERE a.status <> 'registered' AND "
					    "(SELECT count(*) FROM appeal_event e WHERE e.appeal_id = a.id AND e.action = 'assigned' "
					    "AND e.detail = 'user=' || a.assignee_id) <> 1"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal a WHERE a.status IS DISTINCT FROM (SELECT "
					    "e.to_status FROM appeal_event e WHERE e.appeal_id = a.id AND e.to_status IS NOT NULL "
					    "ORDER BY e.id DESC LIMIT 1)"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal_event e WHERE e.to_status IS NOT NULL AND "
					    "e.action <> 'registered' AND e.from_status IS DISTINCT FROM (SELECT p.to_status FROM "
					    "appeal_event p WHERE p.appeal_id = e.appeal_id AND p.id < e.id AND p.to_status IS NOT NULL "
					    "ORDER BY p.id DESC LIMIT 1)"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal_event e JOIN appeal_event p ON p.appeal_id = "
					    "e.appeal_id AND p.id < e.id AND p.at > e.at"),
			 0);
	assert_true(tl_sql_int(url[0], "SELECT count(*) FROM appeal_event WHERE to_status IN ('resolved', 'closed', "
				       "'rejected', 'referred', 'in_progress')") > 500);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal_event e JOIN consultation c ON e.detail = "
					    "'consultation=' || c.id AND c.appeal_id = e.appeal_id AND c.held_at = e.at "
					    "WHERE e.action = 'consultation'"),
			 tl_sql_int(url[0], "SELECT count(*) FROM consultation"));
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal_event WHERE action = 'consultation'"),
			 tl_sql_int(url[0], "SELECT count(*) FROM consultation"));
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal_event e JOIN referral r ON e.detail = "
					    "'referral=' || r.id || ' organisation=' || r.to_org AND r.appeal_id = e.appeal_id "
					    "AND r.created_at = e.at WHERE e.action = 'referred'"),
			 tl_sql_int(url[0], "SELECT count(*) FROM referral"));
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM appeal a WHERE a.status IN ('resolved', 'closed') AND a.resolved_on IS DISTINCT "
		 "FROM (SELECT %s FROM appeal_event e WHERE e.appeal_id = a.id AND e.to_status = 'resolved')",
		 tl_is_pg() ? "to_char(to_timestamp(e.at + 18000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
			    : "date(e.at + 18000, 'unixepoch')");
	assert_int_equal(tl_sql_int(url[0], q), 0);
	/* Every Meyirim contact is recorded by the account of the organisation the child is attached to. */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM mentor_contact k JOIN mentorship m ON m.id = "
					    "k.mentorship_id LEFT JOIN app_user u ON u.id = k.created_by WHERE u.id IS NULL "
					    "OR u.organisation_id <> m.organisation_id OR u.role <> 'mentor_org'"),
			 0);
	assert_true(tl_sql_int(url[0], "SELECT count(DISTINCT created_by) FROM mentor_contact") > 10);
	/*
	 * Every organisation with attachments has its account, one each (not
	 * printed: one login per role is). An organisation the draw left without
	 * a child has its account too, so the accounts are compared with the
	 * organisations, not counted against the attachments.
	 */
	assert_int_equal(tl_sql_int(url[0], "SELECT count(DISTINCT organisation_id) FROM mentorship WHERE organisation_id "
					    "NOT IN (SELECT organisation_id FROM app_user WHERE role = 'mentor_org')"),
			 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM app_user WHERE role = 'mentor_org'"),
			 tl_sql_int(url[0], "SELECT count(DISTINCT organisation_id) FROM app_user WHERE role = 'mentor_org'"));
	/*
	 * The prevention programme runs from September 2024 to now and on: held
	 * or cancelled before today, planned from today, some in the last months
	 * and some ahead, none in the summer holidays.
	 */
	char today[11], recent[11];
	time_t t = time(NULL) + 18000, r90 = t - 90 * 86400;
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&t));
	strftime(recent, sizeof(recent), "%Y-%m-%d", gmtime(&r90));
	snprintf(q, sizeof(q), "SELECT count(*) FROM lesson WHERE (status = 'planned') <> (lesson_on >= '%s')", today);
	assert_int_equal(tl_sql_int(url[0], q), 0);
	snprintf(q, sizeof(q), "SELECT count(*) FROM lesson WHERE status = 'held' AND lesson_on >= '%s'", recent);
	assert_true(tl_sql_int(url[0], q) > 0);
	assert_true(tl_sql_int(url[0], "SELECT count(*) FROM lesson WHERE status = 'planned'") > 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM lesson WHERE lesson_on < '2024-09-01'"), 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM lesson WHERE substr(lesson_on, 6, 2) IN ('06', '07', "
					    "'08')"),
			 0);
	snprintf(q, sizeof(q),
		 "SELECT count(*) FROM prevention_event WHERE held_on < '2024-09-01' OR held_on > '%s' "
		 "OR substr(held_on, 6, 2) IN ('06', '07', '08')",
		 today);
	assert_int_equal(tl_sql_int(url[0], q), 0);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM lesson"), 110);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM prevention_event"), 40);
	/* PostgreSQL's ids go on after the loader's. */
	if (tl_is_pg()) {
		static const char *const tables[] = {"child", "mentorship", "mentor", "goal", "mentor_contact",
						     "appeal", "consultation", "referral"};
		for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
			snprintf(q, sizeof(q),
				 "SELECT count(*) FROM %s WHERE id >= "
				 "pg_sequence_last_value(pg_get_serial_sequence('%s', 'id')::regclass)",
				 tables[i], tables[i]);
			if (tl_sql_int(url[0], q) != 1)
				fail_msg("%s: the identity is not past the loaded ids", tables[i]);
		}
	}
	/* SQLite does not check references during the bulk load: every one the demo made holds. */
	if (!tl_is_pg())
		assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM pragma_foreign_key_check"), 0);
	/*
	 * Search finds an appeal by the words of its summary, as it finds one
	 * registered through the API: the loader's terms are the search's own.
	 */
	struct tl_server demo;
	tl_server_start(&demo, url[0], NULL);
	struct tl_client dc = {0};
	assert_int_equal(tl_login(&dc, demo.port, "coordinator", "qorgau-demo-2026"), 200);
	static const struct {
		const char *q, *like, *category;
	} words[] = {
		{"емтихан", "%емтихан%", "psychological_support"},
		{"синяки", "%синяки%", "physical_violence"},
		{"ажырасып", "%ажырасып%", "family_conflict"},
		{"площадки", "%площадки%", "other"},
	};
	for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
		char *qe = tl_urlencode(words[w].q);
		snprintf(q, sizeof(q), "/api/v1/appeals?q=%s&category=%s&limit=500", qe, words[w].category);
		free(qe);
		int status;
		json_t *j = tl_api_json(&dc, "GET", q, NULL, &status);
		assert_int_equal(status, 200);
		assert_null(json_string_value(json_object_get(j, "next")));
		long long found = (long long)json_array_size(json_object_get(j, "items"));
		json_decref(j);
		snprintf(q, sizeof(q), "SELECT count(*) FROM appeal WHERE category = '%s' AND summary LIKE '%s'",
			 words[w].category, words[w].like);
		long long want = tl_sql_int(url[0], q);
		if (found != want || want < 1)
			fail_msg("search '%s': %lld appeals, the summaries say %lld", words[w].q, found, want);
	}
	/*
	 * Meyirim's figures of a period gone by are as they stood on its last day
	 * (a quarterly report of last year tells last year's), counted here
	 * another way: each attachment's last contact up to that day.
	 */
	{
		int st;
		json_t *sj = tl_api_json(&dc, "GET", "/api/v1/reports/summary?from=2025-04-01&to=2025-06-30", NULL, &st);
		assert_int_equal(st, 200);
		long long attached = (long long)json_integer_value(json_object_get(sj, "children_attached"));
		long long quiet = (long long)json_integer_value(json_object_get(sj, "children_without_recent_contact"));
		json_decref(sj);
		long long want = tl_sql_int(url[0], "SELECT count(*) FROM mentorship WHERE started_on <= '2025-06-30' "
						    "AND COALESCE(ended_on, '9999-12-31') > '2025-06-30'");
		long long want_quiet = tl_sql_int(
			url[0], "SELECT count(*) FROM mentorship m LEFT JOIN (SELECT mentorship_id, max(contact_on) AS last "
				"FROM mentor_contact WHERE contact_on <= '2025-06-30' GROUP BY mentorship_id) k "
				"ON k.mentorship_id = m.id WHERE m.started_on <= '2025-06-30' "
				"AND COALESCE(m.ended_on, '9999-12-31') > '2025-06-30' "
				"AND COALESCE(k.last, m.started_on) < '2025-05-31'");
		if (attached != want || quiet != want_quiet)
			fail_msg("Meyirim on 2025-06-30: %lld attached, %lld quiet; the rows say %lld, %lld", attached, quiet,
				 want, want_quiet);
		assert_true(want > 0 && want < 222);
		/* The breakdown by kind of organisation of that period adds up to the same. */
		sj = tl_api_json(&dc, "GET", "/api/v1/reports/breakdown?by=organisation_kind&from=2025-04-01&to=2025-06-30", NULL,
				 &st);
		assert_int_equal(st, 200);
		long long by_kind = 0;
		json_t *kr = json_object_get(sj, "rows");
		for (size_t i = 0; i < json_array_size(kr); i++)
			by_kind += (long long)json_integer_value(json_object_get(json_array_get(kr, i), "children_attached"));
		json_decref(sj);
		assert_int_equal(by_kind, want);
		/* Counts as the reader's language writes them: 1 100 (no-break space) in Kazakh, 1,100 in English. */
		struct tl_response dr;
		assert_int_equal(tl_api(&dc, "GET", "/dashboard?from=2024-01-01&to=2026-12-31", NULL, &dr), 200);
		assert_non_null(strstr(dr.body.ptr, "<span class=\"count\">1\xc2\xa0" "100</span>"));
		tl_response_release(&dr);
		/* The quarterly report of that quarter heads its tables as titles. */
		struct tl_response qr;
		assert_int_equal(tl_api(&dc, "GET", "/reports/quarterly?year=2025&quarter=2", NULL, &qr), 200);
		assert_non_null(strstr(qr.body.ptr, ">Өтініштер, санат бойынша</h2>"));
		assert_non_null(strstr(qr.body.ptr, ">Кезең соңындағы бекітілген балалар, ұйым түрі бойынша</h2>"));
		tl_response_release(&qr);
	}
	/* The risk mix reads from the least to the gravest, whatever the alphabet of the codes says. */
	int status;
	json_t *j = tl_api_json(&dc, "GET", "/api/v1/reports/breakdown?by=risk&from=2024-01-01", NULL, &status);
	assert_int_equal(status, 200);
	json_t *rows = json_object_get(j, "rows");
	static const char *const gravity[] = {"low", "medium", "high", "critical"};
	assert_int_equal(json_array_size(rows), 4);
	for (size_t i = 0; i < 4; i++)
		assert_string_equal(json_string_value(json_object_get(json_array_get(rows, i), "key")), gravity[i]);
	json_decref(j);
	assert_int_equal(tl_server_stop(&demo), 0);
	/* A database with appeals is not filled again; bad options are usage errors. */
	struct tl_run run;
	const char *again[] = {"demo", "--database", url[0], NULL};
	tl_run_qorgau(&run, NULL, NULL, again);
	assert_int_equal(run.status, 1);
	assert_non_null(strstr(run.err.ptr, "holds appeals already"));
	tl_run_release(&run);
	const char *bad[] = {"demo", "--scale", "0", "--database", url[0], NULL};
	tl_run_qorgau(&run, NULL, NULL, bad);
	assert_int_equal(run.status, 2);
	tl_run_release(&run);
	assert_int_equal(tl_sql_int(url[0], "SELECT count(*) FROM appeal"), 1100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_xlsx),
		cmocka_unit_test(test_summary_export),
		cmocka_unit_test(test_charts_and_pages),
		cmocka_unit_test(test_demo_deterministic),
	};
	return cmocka_run_group_tests_name(tl_backend(), tests, start, stop);
}
