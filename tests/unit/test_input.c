/* Unit tests: declared input from query strings, forms and JSON; the router. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "http/input.h"
#include "http/router.h"

static const char *const colours[] = {"red", "green", NULL};

static const struct field fields[] = {
	{"n", FT_INT, 0, -5, 100, NULL},
	{"id", FT_ID, 0, 0, 0, NULL},
	{"name", FT_LINE, F_REQUIRED, 2, 10, NULL},
	{"note", FT_TEXT, 0, 0, 50, NULL},
	{"ok", FT_BOOL, 0, 0, 0, NULL},
	{"day", FT_DATE, 0, 0, 0, NULL},
	{"at", FT_DATETIME, 0, 0, 0, NULL},
	{"colour", FT_ENUM, 0, 0, 0, colours},
	{"ids", FT_ID_LIST, 0, 0, 3, NULL},
	{"applicant.type", FT_ENUM, 0, 0, 0, colours},
	{"secret", FT_SECRET, 0, 0, 64, NULL},
	{"tags", FT_ENUM_LIST, 0, 0, 0, colours},
	{"many", FT_ID_LIST, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

struct fixture {
	struct arena a;
	struct input in;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	arena_init(&f->a);
	input_init(&f->in, fields, &f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_release(&f->a);
	free(f);
	return 0;
}

static const char *first_code(struct input *in)
{
	return in->nerrors ? in->errors[0].code : "none";
}

static void test_form_values(void **state)
{
	struct fixture *f = *state;
	const char *q = "n=-5&id=12&name=+%D0%90%D1%81%D0%B5%D0%BC+&note=a%0D%0Ab&ok=on&day=2026-03-21"
			"&at=2026-03-21T10:30&colour=green&ids=1&ids=2";
	input_parse_urlencoded(&f->in, q, strlen(q), &f->a);
	input_check_required(&f->in, &f->a);
	assert_string_equal(first_code(&f->in), "none");
	assert_int_equal(input_int(&f->in, "n", 0), -5);
	assert_int_equal(input_int(&f->in, "id", 0), 12);
	assert_string_equal(input_str(&f->in, "name"), "Асем"); /* trimmed */
	assert_string_equal(input_str(&f->in, "note"), "a\nb");  /* CR LF → LF */
	assert_int_equal(input_int(&f->in, "ok", 0), 1);
	assert_string_equal(input_str(&f->in, "day"), "2026-03-21");
	/* Local time is UTC+5: 10:30 there is 05:30 UTC. */
	assert_int_equal(input_int(&f->in, "at", 0), 1774071000);
	assert_string_equal(input_str(&f->in, "colour"), "green");
	assert_int_equal(input_get(&f->in, "ids")->count, 2);
	assert_int_equal(input_get(&f->in, "ids")->ids[1], 2);
}

static void test_bad_values_are_named(void **state)
{
	static const struct {
		const char *q, *code, *field;
	} cases[] = {
		{"name=ab&n=101", "out_of_range", "n"},
		{"name=ab&n=1x", "invalid", "n"},
		{"name=ab&id=0", "out_of_range", "id"},
		{"name=a", "too_short", "name"},
		{"name=abcdefghijk", "too_long", "name"},
		{"name=a%0Ab", "invalid", "name"},
		{"name=ab&note=%01", "invalid", "note"},
		{"name=ab&ok=maybe", "invalid", "ok"},
		{"name=ab&day=2026-02-30", "invalid_date", "day"},
		{"name=ab&at=2026-02-01T25:00", "invalid_datetime", "at"},
		{"name=ab&colour=blue", "invalid_choice", "colour"},
		{"name=ab&ids=1&ids=2&ids=3&ids=4", "too_many", "ids"},
		{"name=ab&name=cd", "duplicate_field", "name"},
		{"name=ab&zzz=1", "unknown_field", "zzz"},
		{"name=%C0%80x", "invalid_encoding", "name"},
		{"name=%ZZ", "invalid_encoding", NULL},
		{"n=1", "required", "name"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		struct input in;
		arena_init(&a);
		input_init(&in, fields, &a);
		input_parse_urlencoded(&in, cases[i].q, strlen(cases[i].q), &a);
		if (!in.nerrors)
			input_check_required(&in, &a);
		if (strcmp(first_code(&in), cases[i].code))
			fail_msg("case %zu (%s): got %s, want %s", i, cases[i].q, first_code(&in), cases[i].code);
		if (cases[i].field)
			assert_string_equal(in.errors[0].field, cases[i].field);
		arena_release(&a);
	}
	(void)state;
}

static void test_json_values(void **state)
{
	struct fixture *f = *state;
	const char *body = "{\"n\": 7, \"name\": \"Әсемгүл\", \"ok\": false, \"ids\": [3, 4], "
			   "\"applicant\": {\"type\": \"red\"}, \"note\": null, \"secret\": \"  pass word  \"}";
	input_parse_json(&f->in, body, strlen(body), &f->a);
	input_check_required(&f->in, &f->a);
	assert_string_equal(first_code(&f->in), "none");
	assert_int_equal(input_int(&f->in, "n", 0), 7);
	assert_string_equal(input_str(&f->in, "name"), "Әсемгүл");
	assert_int_equal(input_int(&f->in, "ok", 1), 0);
	assert_true(input_has(&f->in, "ok"));
	assert_false(input_has(&f->in, "note"));
	assert_string_equal(input_str(&f->in, "applicant.type"), "red");
	assert_string_equal(input_str(&f->in, "secret"), "  pass word  "); /* secrets are not trimmed */
}

static void test_json_errors(void **state)
{
	static const struct {
		const char *body, *code;
		int syntax;
	} cases[] = {
		{"{", "invalid_json", 1},
		{"[1]", "invalid_json", 1},
		{"{\"name\": \"ab\", \"name\": \"cd\"}", "invalid_json", 1},
		{"{\"name\": \"ab\", \"extra\": 1}", "unknown_field", 1},
		{"{\"name\": \"ab\", \"applicant\": {\"other\": 1}}", "unknown_field", 1},
		{"{\"name\": \"ab\", \"n\": \"7\"}", "invalid_type", 0},
		{"{\"name\": 5}", "invalid_type", 0},
		{"{\"name\": \"ab\", \"ok\": 1}", "invalid_type", 0},
		{"{\"name\": \"ab\", \"ids\": [1, \"x\"]}", "invalid_type", 0},
		{"{\"name\": \"ab\", \"n\": 99999999999999999999999}", "invalid_json", 1},
		{"{\"name\": \"a\\u0000b\"}", "invalid_json", 1},
		{"{\"name\": \"ab\", \"applicant\": null}", "none", 0},
		{"{\"name\": \"ab\", \"applicant\": \"x\"}", "invalid_type", 0},
		{"{\"name\": \"ab\", \"applicant\": [1]}", "invalid_type", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		struct input in;
		arena_init(&a);
		input_init(&in, fields, &a);
		input_parse_json(&in, cases[i].body, strlen(cases[i].body), &a);
		if (strcmp(first_code(&in), cases[i].code))
			fail_msg("case %zu (%s): got %s, want %s", i, cases[i].body, first_code(&in), cases[i].code);
		assert_int_equal(in.syntax_error, cases[i].syntax);
		arena_release(&a);
	}
	(void)state;
}

/*
 * A refused request costs little whatever its size: a million-byte body of
 * unknown names stops at INPUT_MAX_ERRORS errors (it once compared every
 * name with every earlier one: minutes of a loop thread), and a long list
 * grows by doubling, not by a copy per item.
 */
static void test_big_bodies(void **state)
{
	(void)state;
	{
		/* A text is trimmed at both ends, blank lines included; its inner lines stay. */
		struct arena a;
		struct input in;
		arena_init(&a);
		input_init(&in, fields, &a);
		const char *q = "name=ab&note=%0A+%20%3D2%2B2%0Anext+line%0A%0A";
		input_parse_urlencoded(&in, q, strlen(q), &a);
		assert_int_equal(in.nerrors, 0);
		assert_string_equal(input_str(&in, "note"), "=2+2\nnext line");
		arena_release(&a);
	}
	struct buf form = BUF_INIT, json = BUF_INIT;
	buf_adds(&json, "{");
	for (int i = 0; i < 100000; i++) {
		buf_printf(&form, "%sk%d=1", i ? "&" : "", i);
		buf_printf(&json, "%s\"k%d\": 1", i ? ", " : "", i);
	}
	buf_adds(&json, "}");
	struct {
		const char *name;
		struct buf *body;
	} bodies[] = {{"form", &form}, {"json", &json}};
	for (size_t b = 0; b < 2; b++) {
		struct arena a;
		struct input in;
		arena_init(&a);
		input_init(&in, fields, &a);
		if (b == 0)
			input_parse_urlencoded(&in, form.ptr, form.len, &a);
		else
			input_parse_json(&in, json.ptr, json.len, &a);
		if (in.nerrors != INPUT_MAX_ERRORS || !in.syntax_error || strcmp(in.errors[0].code, "unknown_field"))
			fail_msg("%s: %zu errors, syntax %d", bodies[b].name, in.nerrors, in.syntax_error);
		arena_release(&a);
	}
	buf_release(&form);
	buf_release(&json);

	/* 20,000 ids: a copy per item would take 1.6 GB of the arena. */
	struct buf ids = BUF_INIT;
	for (int i = 1; i <= 20000; i++)
		buf_printf(&ids, "%smany=%d", i > 1 ? "&" : "", i);
	struct arena a;
	struct input in;
	arena_init(&a);
	input_init(&in, fields, &a);
	input_parse_urlencoded(&in, ids.ptr, ids.len, &a);
	assert_int_equal(in.nerrors, 0);
	assert_int_equal(input_get(&in, "many")->count, 20000);
	assert_int_equal(input_get(&in, "many")->ids[19999], 20000);
	if (a.total > 8u << 20)
		fail_msg("20,000 ids took %zu bytes of the arena", a.total);
	arena_release(&a);
	buf_release(&ids);

	/* A list of choices names each once. */
	arena_init(&a);
	input_init(&in, fields, &a);
	const char *twice = "tags=red&tags=green&tags=red";
	input_parse_urlencoded(&in, twice, strlen(twice), &a);
	assert_string_equal(first_code(&in), "duplicate_value");
	assert_int_equal(input_get(&in, "tags")->count, 2);
	arena_release(&a);
	arena_init(&a);
	input_init(&in, fields, &a);
	const char *jtwice = "{\"tags\": [\"red\", \"green\", \"red\", \"red\"]}";
	input_parse_json(&in, jtwice, strlen(jtwice), &a);
	assert_string_equal(first_code(&in), "duplicate_value");
	assert_int_equal(in.nerrors, 1);
	arena_release(&a);
}

static void test_router(void **state)
{
	(void)state;
	struct arena a;
	struct route_match m;
	arena_init(&a);
	router_init();
	assert_int_equal(router_match("GET", 3, "/healthz", 8, &a, &m), MATCH_OK);
	assert_string_equal(m.route->name, "healthz");
	assert_int_equal(router_match("HEAD", 4, "/healthz", 8, &a, &m), MATCH_OK);
	assert_int_equal(router_match("GET", 3, "/api/v1/districts/42", 20, &a, &m), MATCH_OK);
	assert_int_equal(m.ids[0], 42);
	assert_int_equal(router_match("GET", 3, "/api/v1/districts/0", 19, &a, &m), MATCH_NO_PATH);
	assert_int_equal(router_match("GET", 3, "/api/v1/districts/x1", 20, &a, &m), MATCH_NO_PATH);
	assert_int_equal(router_match("GET", 3, "/api/v1/districts/1/", 20, &a, &m), MATCH_NO_PATH);
	assert_int_equal(router_match("DELETE", 6, "/api/v1/districts", 17, &a, &m), MATCH_NO_METHOD);
	assert_string_equal(m.allow, "GET, HEAD, POST");
	assert_int_equal(router_match("GET", 3, "/nope", 5, &a, &m), MATCH_NO_PATH);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_form_values, setup, teardown),
		cmocka_unit_test(test_bad_values_are_named),
		cmocka_unit_test_setup_teardown(test_json_values, setup, teardown),
		cmocka_unit_test(test_json_errors),
		cmocka_unit_test(test_big_bodies),
		cmocka_unit_test(test_router),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
