/*
 * Fuzz target: the checks handlers apply to one submitted value after
 * input.c has typed it: list cursors (name_cursor_parse, read back after name_cursor_text), phone numbers
 * (phone_valid), district codes (district_code_valid), dates (date_parse,
 * date_to_days), logins (login_is_valid) and password rules
 * (password_problem). The input is the value, cut at a NUL as a parsed
 * field would be; for the password rules it is the password, and its
 * first line and the rest are also the login and the full name.
 */
#include "api/api.h"
#include "core/time.h"
#include "domain/account.h"
#include "fuzz.h"

static int cursor_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'';
}

static void check_cursor(const char *s)
{
	struct name_cursor c;
	if (name_cursor_parse(s, &c) < 0) {
		if (c.set)
			fuzz_fail("a refused cursor was taken");
		return;
	}
	if (!c.set || c.id < 1 || strnlen(c.surname_key, sizeof(c.surname_key)) == sizeof(c.surname_key) ||
	    strnlen(c.given_key, sizeof(c.given_key)) == sizeof(c.given_key))
		fuzz_fail("cursor '%s' taken without a position", s);
	for (const char *p = c.surname_key; *p; p++)
		if (!cursor_char(*p))
			fuzz_fail("cursor '%s': byte 0x%02x in the surname key", s, (unsigned char)*p);
	for (const char *p = c.given_key; *p; p++)
		if (!cursor_char(*p))
			fuzz_fail("cursor '%s': byte 0x%02x in the given-name key", s, (unsigned char)*p);
	/* What a page writes of a position reads back as that position. */
	struct arena a;
	arena_init(&a);
	struct name_cursor again;
	if (name_cursor_parse(name_cursor_text(&a, c.surname_key, c.given_key, c.id), &again) < 0 ||
	    strcmp(again.surname_key, c.surname_key) || strcmp(again.given_key, c.given_key) || again.id != c.id)
		fuzz_fail("cursor '%s' does not read back as itself", s);
	arena_release(&a);
}

static void check_date(const char *s, size_t n)
{
	int y, m, d;
	int64_t days;
	if (date_parse(s, n, &y, &m, &d) < 0) {
		if (n == strlen(s) && date_to_days(s, &days) == 0)
			fuzz_fail("date_to_days took '%s', date_parse did not", s);
		return;
	}
	char again[11];
	if (date_to_days(s, &days) < 0 && n == strlen(s))
		fuzz_fail("date_parse took '%s', date_to_days did not", s);
	date_format(days_from_civil(y, m, d), again);
	if (n != 10 || memcmp(again, s, 10) != 0)
		fuzz_fail("date '%.*s' formats back as '%s'", (int)n, s, again);
}

static void check_password(const char *s)
{
	static const char *const codes[] = {"password_too_short", "password_too_long", "password_contains_login",
					    "password_contains_name", "password_too_simple", NULL};
	const char *nl = strchr(s, '\n');
	char *login = fuzz_strndup(s, nl ? (size_t)(nl - s) : strlen(s));
	const char *name = nl ? nl + 1 : NULL;
	const char *problem = password_problem(s, login, name);
	const char *const *c = codes;
	while (problem && *c && strcmp(*c, problem))
		c++;
	if (problem && !*c)
		fuzz_fail("password_problem gave '%s'", problem);
	if (!problem && strlen(s) < PASSWORD_MIN_CHARS)
		fuzz_fail("a password of %zu bytes taken", strlen(s));
	if (!*password_problem_text(problem) != !problem)
		fuzz_fail("no text for '%s'", problem);
	size_t n = strlen(login);
	if (login_is_valid(login) && (n < 3 || n > 64 || strspn(login, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n))
		fuzz_fail("login '%s' taken", login);
	free(login);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);
	check_cursor(s);
	int digits = 0;
	for (const char *p = s; *p; p++)
		digits += *p >= '0' && *p <= '9';
	if (phone_valid(s) && (digits < 3 || digits > 15))
		fuzz_fail("phone '%s' with %d digits taken", s, digits);
	if (district_code_valid(s) && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-_") != strlen(s))
		fuzz_fail("district code '%s' taken", s);
	check_date(s, size);
	check_password(s);
	free(s);
	return 0;
}
