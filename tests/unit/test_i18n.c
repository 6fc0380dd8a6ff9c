/*
 * The catalogs: every string the code marks for translation (extracted by
 * xgettext into build/gen/qorgau.pot) has a translation in kk, ru and en,
 * and placeholders survive translation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/i18n.h"

/* Unescape a .pot string literal's contents in place. */
static void unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s == '\\' && s[1]) {
			s++;
			*o++ = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

/* Call fn for each msgid of the template. */
static int each_msgid(const char *path, void (*fn)(const char *id, void *arg), void *arg)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[4096];
	struct buf id = BUF_INIT;
	int in_id = 0, n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "msgid \"", 7)) {
			buf_reset(&id);
			char *q = strrchr(line + 7, '"');
			buf_add(&id, line + 7, q ? (size_t)(q - line - 7) : 0);
			in_id = 1;
		} else if (in_id && line[0] == '"') {
			char *q = strrchr(line + 1, '"');
			buf_add(&id, line + 1, q ? (size_t)(q - line - 1) : 0);
		} else if (!strncmp(line, "msgstr", 6) && in_id) {
			in_id = 0;
			unescape(id.ptr);
			if (id.ptr[0]) {
				fn(id.ptr, arg);
				n++;
			}
		}
	}
	fclose(f);
	buf_release(&id);
	return n;
}

struct check {
	int missing;
};

static void check_one(const char *id, void *arg)
{
	struct check *c = arg;
	for (int l = 0; l < LANG_COUNT; l++) {
		if (!i18n_has((enum lang)l, id)) {
			fprintf(stderr, "po/%s.po lacks a translation of \"%s\"\n", lang_code((enum lang)l), id);
			c->missing++;
			continue;
		}
		if (strstr(id, "{n}") && !strstr(T((enum lang)l, id), "{n}")) {
			fprintf(stderr, "po/%s.po: the translation of \"%s\" lost {n}\n", lang_code((enum lang)l), id);
			c->missing++;
		}
	}
}

static void test_every_marked_string_is_translated(void **state)
{
	(void)state;
	const char *pot = getenv("QORGAU_POT");
	struct check c = {0};
	int n = each_msgid(pot ? pot : "build/gen/qorgau.pot", check_one, &c);
	if (n < 0)
		fail_msg("cannot read the template (QORGAU_POT or build/gen/qorgau.pot)");
	assert_true(n > 100); /* the template really was extracted */
	if (c.missing)
		fail_msg("%d translations missing or broken", c.missing);
}

static void test_lookup_and_fallback(void **state)
{
	(void)state;
	assert_string_equal(T(LANG_KK, "Sign in"), "Кіру");
	assert_string_equal(T(LANG_RU, "Sign in"), "Войти");
	assert_string_equal(T(LANG_EN, "Sign in"), "Sign in");
	/* A string no catalog has comes back as it is. */
	assert_string_equal(T(LANG_KK, "no such msgid"), "no such msgid");
	assert_int_equal(lang_parse("ru", 2), LANG_RU);
	assert_int_equal(lang_parse("de", 2), LANG_COUNT);
	assert_int_equal(lang_parse("r", 1), LANG_COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_marked_string_is_translated),
		cmocka_unit_test(test_lookup_and_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
