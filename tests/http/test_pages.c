/*
 * The pages as a browser sees them: languages, the sign-in form, forms that
 * keep what was typed and say what is wrong, escaping of stored text, static
 * files and redirects. Both backends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/testlib.h"

static struct tl_server server;
static struct tl_client admin;
static const char *db;

/* A tiny browser: the cookies it was given, sent back on every request. */
struct browser {
	char session[128];
	char pre[128];
	char lang[8];
	char csrf[64]; /* from the last page's hidden field */
};

static void take_cookie(const struct tl_response *r, const char *name, char *out, size_t outlen)
{
	char needle[64];
	snprintf(needle, sizeof(needle), "\r\nset-cookie: %s=", name);
	const char *p = r->head.ptr;
	while ((p = strcasestr(p, needle)) != NULL) {
		p += strlen(needle);
		size_t n = strcspn(p, ";\r");
		if (n < outlen) {
			memcpy(out, p, n);
			out[n] = '\0';
		}
	}
}

static void take_csrf(const struct tl_response *r, struct browser *b)
{
	const char *p = strstr(r->body.ptr, "name=\"_csrf\" value=\"");
	if (!p)
		return;
	p += strlen("name=\"_csrf\" value=\"");
	size_t n = strcspn(p, "\"");
	if (n < sizeof(b->csrf)) {
		memcpy(b->csrf, p, n);
		b->csrf[n] = '\0';
	}
}

static int go(struct browser *b, const char *method, const char *path, const char *form, const char *extra_header,
	      struct tl_response *r)
{
	char h[1024];
	size_t n = (size_t)snprintf(h, sizeof(h), "Cookie: qorgau_session=%s; qorgau_pre=%s%s%s", b->session, b->pre,
				    b->lang[0] ? "; qorgau_lang=" : "", b->lang);
	if (form)
		n += (size_t)snprintf(h + n, sizeof(h) - n, "\r\nContent-Type: application/x-www-form-urlencoded");
	if (extra_header)
		snprintf(h + n, sizeof(h) - n, "\r\n%s", extra_header);
	tl_http(server.port, method, path, h, form, r);
	take_cookie(r, "qorgau_session", b->session, sizeof(b->session));
	take_cookie(r, "qorgau_pre", b->pre, sizeof(b->pre));
	take_cookie(r, "qorgau_lang", b->lang, sizeof(b->lang));
	take_csrf(r, b);
	return r->status;
}

static int start(void **state)
{
	(void)state;
	char pw[64];
	db = tl_init_database(pw, sizeof(pw));
	tl_server_start(&server, db, NULL);
	tl_admin_session(&admin, server.port, pw);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

static void sign_in(struct browser *b, const char *login, const char *password)
{
	struct tl_response r;
	assert_int_equal(go(b, "GET", "/login", NULL, NULL, &r), 200);
	tl_response_release(&r);
	char form[256];
	snprintf(form, sizeof(form), "login=%s&password=%s&_csrf=%s", login, password, b->csrf);
	assert_int_equal(go(b, "POST", "/login", form, NULL, &r), 303);
	tl_response_release(&r);
	assert_true(b->session[0]);
	/* The session's CSRF token comes with the next page. */
	assert_int_equal(go(b, "GET", "/account/password", NULL, NULL, &r), 200);
	tl_response_release(&r);
}

/* The administrator b adds a school through the form (name_ru and district may be NULL/0). */
static void add_school(struct browser *b, const char *name, const char *name_ru, int64_t district)
{
	char *n = tl_urlencode(name), *nr = tl_urlencode(name_ru ? name_ru : "");
	char form[768], where[32] = "";
	if (district)
		snprintf(where, sizeof(where), "&district_id=%lld", (long long)district);
	snprintf(form, sizeof(form), "name=%s%s%s&kind=school%s&_csrf=%s", n, name_ru ? "&name_ru=" : "", nr, where,
		 b->csrf);
	free(n);
	free(nr);
	struct tl_response r;
	assert_int_equal(go(b, "POST", "/admin/organisations/new", form, NULL, &r), 303);
	tl_response_release(&r);
}

static void test_language_choice(void **state)
{
	(void)state;
	struct browser b = {0};
	struct tl_response r;
	go(&b, "GET", "/login", NULL, NULL, &r);
	assert_non_null(strstr(r.body.ptr, "<html lang=\"kk\""));
	assert_non_null(strstr(r.body.ptr, "Кіру"));
	tl_response_release(&r);
	go(&b, "GET", "/login", NULL, "Accept-Language: ru-RU,ru;q=0.9,en;q=0.8", &r);
	assert_non_null(strstr(r.body.ptr, "<html lang=\"ru\""));
	assert_non_null(strstr(r.body.ptr, "Войти"));
	tl_response_release(&r);
	go(&b, "GET", "/login", NULL, "Accept-Language: de-DE, en;q=0.5", &r);
	assert_non_null(strstr(r.body.ptr, "<html lang=\"en\""));
	tl_response_release(&r);
	/* The switch sets a cookie that wins over Accept-Language, and goes back where it was. */
	assert_int_equal(go(&b, "POST", "/lang", "lang=en&next=%2Flogin", NULL, &r), 303);
	char loc[256];
	assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
	assert_string_equal(loc, "/login");
	tl_response_release(&r);
	assert_string_equal(b.lang, "en");
	go(&b, "GET", "/login", NULL, "Accept-Language: ru", &r);
	assert_non_null(strstr(r.body.ptr, "Sign in"));
	tl_response_release(&r);
	/* Never an open redirect, never a header split. */
	static const char *const bad_next[] = {"next=%2F%2Fevil.example", "next=https%3A%2F%2Fevil.example",
					       "next=%2Fok%0D%0ASet-Cookie%3A+x%3D1", "next=%2F%5Cevil.example"};
	for (size_t i = 0; i < sizeof(bad_next) / sizeof(bad_next[0]); i++) {
		char form[128];
		snprintf(form, sizeof(form), "lang=ru&%s", bad_next[i]);
		go(&b, "POST", "/lang", form, NULL, &r);
		if (r.status == 303) {
			assert_true(tl_response_header(&r, "location", loc, sizeof(loc)));
			assert_string_equal(loc, "/");
		} else {
			assert_int_equal(r.status, 400); /* a control character: refused outright */
		}
		assert_null(strstr(r.head.ptr, "x=1"));
		tl_response_release(&r);
	}
	go(&b, "POST", "/lang", "lang=de", NULL, &r);
	assert_true(r.status == 400 || r.status == 422);
	tl_response_release(&r);
}

static void test_sign_in_form(void **state)
{
	(void)state;
	tl_create_user(&admin, "psy", "psychologist", "Psixolog-Parol-1", "\"lang\": \"ru\"");
	struct browser b = {0};
	struct tl_response r;
	/* Without the form's token (a forged cross-site post): refused. */
	assert_int_equal(go(&b, "POST", "/login", "login=psy&password=Psixolog-Parol-1", NULL, &r), 403);
	assert_false(b.session[0]);
	tl_response_release(&r);
	go(&b, "GET", "/login", NULL, NULL, &r);
	tl_response_release(&r);
	char form[256];
	snprintf(form, sizeof(form), "login=psy&password=wrong-password-1&_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", "/login", form, NULL, &r), 401);
	assert_non_null(strstr(r.body.ptr, "Логин немесе құпиясөз қате."));
	assert_non_null(strstr(r.body.ptr, "value=\"psy\"")); /* the login is kept, the password is not */
	assert_null(strstr(r.body.ptr, "wrong-password-1"));
	tl_response_release(&r);
	sign_in(&b, "psy", "Psixolog-Parol-1");
	/* The profile's language applies once signed in (no language cookie here). */
	assert_int_equal(go(&b, "GET", "/", NULL, NULL, &r), 200);
	assert_non_null(strstr(r.body.ptr, "<html lang=\"ru\""));
	assert_non_null(strstr(r.body.ptr, "Главная"));
	assert_non_null(strstr(r.body.ptr, "Test psy"));
	tl_response_release(&r);
	/* Switching while signed in keeps the choice in the profile too. */
	char lang[128];
	snprintf(lang, sizeof(lang), "lang=kk&next=%%2F&_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", "/lang", lang, NULL, &r), 303);
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM app_user WHERE login = 'psy' AND lang = 'kk'"), 1);
	/* Sign out is a form with the token; then the pages send one to sign in. */
	char out[128];
	snprintf(out, sizeof(out), "_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", "/logout", out, NULL, &r), 303);
	tl_response_release(&r);
	assert_int_equal(go(&b, "GET", "/", NULL, NULL, &r), 303);
	tl_response_release(&r);
}

static void test_admin_pages_render(void **state)
{
	(void)state;
	struct browser b = {0};
	sign_in(&b, "admin", "Adm1n-Passw0rd!");
	static const char *const pages[] = {"/",
					    "/account",
					    "/account/password",
					    "/admin/users",
					    "/admin/users/new",
					    "/admin/users/1",
					    "/admin/organisations",
					    "/admin/organisations?kind=school",
					    "/admin/organisations/new",
					    "/admin/districts",
					    "/admin/districts/new",
					    "/admin/districts/1",
					    "/admin/permissions",
					    "/audit",
					    "/audit?action=login&from=2020-01-01"};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		struct tl_response r;
		int status = go(&b, "GET", pages[i], NULL, NULL, &r);
		if (status != 200)
			fail_msg("%s: %d", pages[i], status);
		char v[512];
		assert_true(tl_response_header(&r, "content-security-policy", v, sizeof(v)));
		assert_non_null(strstr(v, "frame-ancestors 'none'"));
		assert_non_null(strstr(r.body.ptr, "</html>"));
		/* No inline script anywhere: the policy forbids it. */
		assert_null(strstr(r.body.ptr, "<script>"));
		assert_null(strstr(r.body.ptr, "onclick="));
		/* The filtered audit log offers itself as a file with the same filters. */
		if (strstr(pages[i], "/audit?")) {
			assert_non_null(strstr(r.body.ptr, "href=\"/api/v1/reports/audit.csv?action=login&amp;from=2020-01-01\""));
			/* The log in the reader's language (Kazakh here): what happened and to what, not the stored codes. */
			assert_non_null(strstr(r.body.ptr, "<td>жүйеге кіру</td>"));
			assert_non_null(strstr(r.body.ptr, "<td>Сеанс #"));
			assert_null(strstr(r.body.ptr, "<td>login</td>"));
			assert_non_null(strstr(r.body.ptr, "<option value=\"login\" selected>жүйеге кіру</option>"));
		}
		/* Districts in the Kazakh alphabet (cities first): Ақсуат before Аягөз, Жаңасемей before Жарма. */
		if (!strcmp(pages[i], "/admin/districts")) {
			const char *aks = strstr(r.body.ptr, "Ақсуат ауданы"), *aya = strstr(r.body.ptr, "Аягөз ауданы");
			const char *zha = strstr(r.body.ptr, "Жаңасемей ауданы"), *zhr = strstr(r.body.ptr, "Жарма ауданы");
			const char *kur = strstr(r.body.ptr, "Курчатов қаласы");
			assert_true(aks && aya && zha && zhr && kur);
			assert_true(kur < aks && aks < aya && zha < zhr);
		}
		if (!strcmp(pages[i], "/admin/users"))
			assert_non_null(strstr(r.body.ptr, "href=\"/api/v1/reports/users.xlsx\""));
		if (!strcmp(pages[i], "/admin/organisations?kind=school"))
			assert_non_null(strstr(r.body.ptr, "href=\"/api/v1/reports/organisations.csv?kind=school\""));
		tl_response_release(&r);
	}
	struct tl_response r;
	assert_int_equal(go(&b, "GET", "/admin/users/99999", NULL, NULL, &r), 404);
	/* The message as a sentence on the page (the API's start in lower case). */
	assert_non_null(strstr(r.body.ptr, "Бұл мекенжайда ештеңе жоқ"));
	/* Every page names its icon, and the icon is there. */
	assert_non_null(strstr(r.body.ptr, "<link rel=\"icon\" href=\"/static/qorgau.svg\" type=\"image/svg+xml\">"));
	tl_response_release(&r);
	assert_int_equal(go(&b, "GET", "/static/qorgau.svg", NULL, NULL, &r), 200);
	char type[64];
	assert_true(tl_response_header(&r, "content-type", type, sizeof(type)));
	assert_string_equal(type, "image/svg+xml");
	assert_non_null(strstr(r.body.ptr, "<svg"));
	tl_response_release(&r);
	assert_int_equal(go(&b, "GET", "/audit?from=not-a-date", NULL, NULL, &r), 422);
	tl_response_release(&r);
}

/* Markup typed into a form comes back as text on every page that shows it. */
static void test_stored_markup_is_escaped(void **state)
{
	(void)state;
	struct browser b = {0};
	sign_in(&b, "admin", "Adm1n-Passw0rd!");
	struct tl_response r;
	char form[512];
	snprintf(form, sizeof(form), "name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&kind=school&_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", "/admin/organisations/new", form, NULL, &r), 303);
	tl_response_release(&r);
	tl_create_user(&admin, "xss", "coordinator", "Coordin-Pass-77", NULL);
	long long id = tl_sql_int(db, "SELECT id FROM app_user WHERE login = 'xss'");
	char path[64];
	snprintf(path, sizeof(path), "/admin/users/%lld", id);
	snprintf(form, sizeof(form), "full_name=%%22%%3E%%3Cimg+src%%3Dx+onerror%%3Dalert(1)%%3E&role=coordinator&lang=kk"
				     "&active=true&_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", path, form, NULL, &r), 303);
	tl_response_release(&r);
	static const char *const pages[] = {"/admin/organisations", "/admin/users", "/admin/users/new", "/audit"};
	for (size_t i = 0; i < 4; i++) {
		go(&b, "GET", pages[i], NULL, NULL, &r);
		assert_int_equal(r.status, 200);
		assert_null(strstr(r.body.ptr, "<script>alert"));
		assert_null(strstr(r.body.ptr, "<img src=x"));
		tl_response_release(&r);
	}
	go(&b, "GET", "/admin/organisations", NULL, NULL, &r);
	assert_non_null(strstr(r.body.ptr, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	tl_response_release(&r);
	go(&b, "GET", path, NULL, NULL, &r);
	assert_non_null(strstr(r.body.ptr, "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
	tl_response_release(&r);
}

static void test_form_errors_keep_input(void **state)
{
	(void)state;
	struct browser b = {0};
	sign_in(&b, "admin", "Adm1n-Passw0rd!");
	strcpy(b.lang, "ru");
	struct tl_response r;
	char form[512];
	snprintf(form, sizeof(form), "login=Bad+Login&full_name=&role=coordinator&lang=kk&_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", "/admin/users/new", form, NULL, &r), 422);
	assert_non_null(strstr(r.body.ptr, "Исправьте отмеченные поля."));
	assert_non_null(strstr(r.body.ptr, "Заполните это поле."));
	assert_non_null(strstr(r.body.ptr, "value=\"Bad Login\""));
	assert_non_null(strstr(r.body.ptr, "aria-invalid=\"true\""));
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM app_user WHERE full_name = ''"), 0);
	/* A school coordinator without a school: the field says why. */
	snprintf(form, sizeof(form), "login=schoolx&full_name=Школа&role=school&lang=kk&_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", "/admin/users/new", form, NULL, &r), 422);
	assert_non_null(strstr(r.body.ptr, "Выберите организацию"));
	tl_response_release(&r);
	/* A good one: the one-time password is shown once. */
	snprintf(form, sizeof(form), "login=goodone&full_name=Берік+Ахметов&role=coordinator&lang=kk&_csrf=%s", b.csrf);
	assert_int_equal(go(&b, "POST", "/admin/users/new", form, NULL, &r), 200);
	assert_non_null(strstr(r.body.ptr, "class=\"secret\""));
	tl_response_release(&r);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM app_user WHERE login = 'goodone' AND must_change_password = 1"),
			 1);
	/* Too long a name, counted in characters of any script. */
	struct buf longname = BUF_INIT;
	for (int i = 0; i < 201; i++)
		buf_adds(&longname, "%D2%9A"); /* Қ */
	char *big = malloc(longname.len + 200);
	sprintf(big, "full_name=%s&role=coordinator&lang=kk&active=true&_csrf=%s", longname.ptr, b.csrf);
	assert_int_equal(go(&b, "POST", "/admin/users/1", big, NULL, &r), 422);
	assert_non_null(strstr(r.body.ptr, "не более 200 символов"));
	tl_response_release(&r);
	free(big);
	buf_release(&longname);
}

static void test_static_files(void **state)
{
	(void)state;
	struct tl_response r;
	char v[128];
	tl_http(server.port, "GET", "/static/qorgau.css", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_true(tl_response_header(&r, "content-type", v, sizeof(v)));
	assert_non_null(strstr(v, "text/css"));
	tl_response_release(&r);
	static const char *const bad[] = {"/static/../src/main.c", "/static/%2e%2e%2fMakefile", "/static/.hidden",
					  "/static/nope.css", "/static/qorgau.css/x", "/static/"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tl_http(server.port, "GET", bad[i], NULL, NULL, &r);
		if (r.status != 404)
			fail_msg("%s: %d", bad[i], r.status);
		tl_response_release(&r);
	}
}

/* An administrator's first sign-in goes straight to the password change. */
static void test_first_sign_in_forces_password_change(void **state)
{
	(void)state;
	int status;
	json_t *j = tl_api_json(&admin, "POST", "/api/v1/users",
				"{\"login\": \"fresh\", \"full_name\": \"Жаңа Қызметкер\", \"role\": \"coordinator\"}",
				&status);
	assert_int_equal(status, 201);
	char pw[64];
	snprintf(pw, sizeof(pw), "%s", json_string_value(json_object_get(j, "password")));
	json_decref(j);
	struct browser b = {0};
	sign_in(&b, "fresh", pw);
	struct tl_response r;
	assert_int_equal(go(&b, "GET", "/", NULL, NULL, &r), 303);
	char loc[128];
	tl_response_header(&r, "location", loc, sizeof(loc));
	assert_string_equal(loc, "/account/password");
	tl_response_release(&r);
	assert_int_equal(go(&b, "GET", "/account/password", NULL, NULL, &r), 200);
	tl_response_release(&r);
	char form[256];
	snprintf(form, sizeof(form), "current_password=%s&new_password=Zhana-Parol-99&new_password_again=Zhana-Parol-98"
				     "&_csrf=%s", pw, b.csrf);
	assert_int_equal(go(&b, "POST", "/account/password", form, NULL, &r), 422);
	assert_non_null(strstr(r.body.ptr, "Екі жаңа құпиясөз сәйкес емес."));
	tl_response_release(&r);
	/* A new password too short and not repeated right: both said at once. */
	snprintf(form, sizeof(form), "current_password=%s&new_password=short&new_password_again=shorter&_csrf=%s", pw,
		 b.csrf);
	assert_int_equal(go(&b, "POST", "/account/password", form, NULL, &r), 422);
	assert_non_null(strstr(r.body.ptr, "Екі жаңа құпиясөз сәйкес емес."));
	assert_non_null(strstr(r.body.ptr, "name=\"new_password\" required autocomplete=\"new-password\" aria-invalid=\"true\""));
	tl_response_release(&r);
	snprintf(form, sizeof(form), "current_password=%s&new_password=Zhana-Parol-99&new_password_again=Zhana-Parol-99"
				     "&_csrf=%s", pw, b.csrf);
	assert_int_equal(go(&b, "POST", "/account/password", form, NULL, &r), 200);
	tl_response_release(&r);
	assert_int_equal(go(&b, "GET", "/", NULL, NULL, &r), 200);
	tl_response_release(&r);
}

/*
 * A coordinator limited to a district sees every organisation (referrals go
 * to any) but links only those of the district, the ones they may open:
 * no link leads to "not found".
 */
static void test_district_coordinator_org_links(void **state)
{
	(void)state;
	struct browser b = {0};
	sign_in(&b, "admin", "Adm1n-Passw0rd!");
	struct tl_response r;
	char form[512];
	add_school(&b, "Own district school", NULL, 2);
	add_school(&b, "Other district school", NULL, 1);
	int status;
	json_t *j = tl_api_json(&admin, "POST", "/api/v1/users",
				"{\"login\": \"coord2\", \"full_name\": \"Аудан Үйлестірушісі\", \"role\": \"coordinator\", "
				"\"district_id\": 2}",
				&status);
	assert_int_equal(status, 201);
	char pw[64];
	snprintf(pw, sizeof(pw), "%s", json_string_value(json_object_get(j, "password")));
	json_decref(j);
	struct browser c = {0};
	sign_in(&c, "coord2", pw);
	snprintf(form, sizeof(form), "current_password=%s&new_password=Audan-Parol-42&new_password_again=Audan-Parol-42"
				     "&_csrf=%s", pw, c.csrf);
	assert_int_equal(go(&c, "POST", "/account/password", form, NULL, &r), 200);
	tl_response_release(&r);
	assert_int_equal(go(&c, "GET", "/admin/organisations", NULL, NULL, &r), 200);
	assert_non_null(strstr(r.body.ptr, "Own district school"));
	assert_non_null(strstr(r.body.ptr, "<td>Other district school</td>"));
	/* Every link on the page opens. */
	int links = 0;
	for (const char *p = r.body.ptr; (p = strstr(p, "href=\"/admin/organisations/")); p++) {
		char path[64];
		p += strlen("href=\"");
		snprintf(path, sizeof(path), "%.*s", (int)strcspn(p, "\""), p);
		if (!strcmp(path, "/admin/organisations/new"))
			continue;
		struct tl_response o;
		if (go(&c, "GET", path, NULL, NULL, &o) != 200)
			fail_msg("%s: %d", path, o.status);
		tl_response_release(&o);
		links++;
	}
	tl_response_release(&r);
	assert_int_equal(links, tl_sql_int(db, "SELECT count(*) FROM organisation WHERE district_id = 2"));
	assert_true(links >= 1);
	/* Their list of children is on record; the log shows it in the reader's words, the role by its name. */
	assert_int_equal(go(&c, "GET", "/children", NULL, NULL, &r), 200);
	tl_response_release(&r);
	assert_int_equal(go(&b, "GET", "/audit?action=list", NULL, NULL, &r), 200);
	assert_non_null(strstr(r.body.ptr, "<td>coord2 (Балалар құқықтары басқармасының үйлестірушісі)</td>"));
	assert_non_null(strstr(r.body.ptr, "<td>тізім: 0 жол</td>"));
	assert_null(strstr(r.body.ptr, "rows</td>"));
	assert_null(strstr(r.body.ptr, "(coordinator)"));
	tl_response_release(&r);
}

/* An organisation is named in Russian on Russian pages when it has a Russian name, in its own name otherwise. */
static void test_org_names_in_russian(void **state)
{
	(void)state;
	struct browser b = {0};
	sign_in(&b, "admin", "Adm1n-Passw0rd!");
	struct tl_response r;
	add_school(&b, "Шәкәрім мектебі", "Школа Шакарима", 0);
	/* In the Kazakh alphabet, not the order of code points: Ақсу before Аягөз (қ comes before я). */
	static const char *const pair[] = {"Аягөз мектебі", "Ақсу мектебі", "№10 мектеп", "№2 мектеп"};
	for (size_t i = 0; i < 4; i++)
		add_school(&b, pair[i], NULL, 0);
	strcpy(b.lang, "kk");
	assert_int_equal(go(&b, "GET", "/admin/organisations", NULL, NULL, &r), 200);
	const char *aksu = strstr(r.body.ptr, "Ақсу мектебі"), *ayagoz = strstr(r.body.ptr, "Аягөз мектебі");
	assert_true(aksu && ayagoz && aksu < ayagoz);
	/* Numbers by their value: №2 before №10. */
	const char *n2 = strstr(r.body.ptr, "№2 мектеп"), *n10 = strstr(r.body.ptr, "№10 мектеп");
	assert_true(n2 && n10 && n2 < n10);
	tl_response_release(&r);
	static const char *const pages[] = {"/admin/organisations", "/admin/users/new"};
	for (size_t i = 0; i < 2; i++) {
		strcpy(b.lang, "ru");
		assert_int_equal(go(&b, "GET", pages[i], NULL, NULL, &r), 200);
		if (!strstr(r.body.ptr, "Школа Шакарима") || strstr(r.body.ptr, "Шәкәрім мектебі"))
			fail_msg("%s in Russian: not by its Russian name", pages[i]);
		tl_response_release(&r);
		strcpy(b.lang, "kk");
		assert_int_equal(go(&b, "GET", pages[i], NULL, NULL, &r), 200);
		if (!strstr(r.body.ptr, "Шәкәрім мектебі") || strstr(r.body.ptr, "Школа Шакарима"))
			fail_msg("%s in Kazakh: not by its own name", pages[i]);
		tl_response_release(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_language_choice),
		cmocka_unit_test(test_sign_in_form),
		cmocka_unit_test(test_admin_pages_render),
		cmocka_unit_test(test_stored_markup_is_escaped),
		cmocka_unit_test(test_form_errors_keep_input),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_first_sign_in_forces_password_change),
		cmocka_unit_test(test_district_coordinator_org_links),
		cmocka_unit_test(test_org_names_in_russian),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
