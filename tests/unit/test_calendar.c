/* Unit tests: the working-day calendar and legal deadlines (share/calendar-kz.txt and synthetic ones). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/time.h"

#define X30 "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
#define X300 X30 X30 X30 X30 X30 X30 X30 X30 X30 X30

static struct calendar *kz;

static int64_t D(const char *s)
{
	int64_t d;
	if (date_to_days(s, &d) < 0)
		fail_msg("bad date in test: %s", s);
	return d;
}

static void assert_day(int64_t got, const char *want)
{
	char s[11];
	date_format(got, s);
	if (strcmp(s, want))
		fail_msg("got %s, want %s", s, want);
}

static int load_kz(void **state)
{
	(void)state;
	FILE *f = fopen("share/calendar-kz.txt", "r");
	if (!f)
		return -1;
	char text[16384];
	size_t n = fread(text, 1, sizeof(text), f);
	fclose(f);
	struct calendar_rule *rules;
	size_t count;
	struct buf err = BUF_INIT;
	if (calendar_parse(text, n, &rules, &count, &err) < 0) {
		fprintf(stderr, "%s\n", err.ptr);
		return -1;
	}
	kz = calendar_build(rules, count);
	free(rules);
	buf_release(&err);
	return 0;
}

static int free_kz(void **state)
{
	(void)state;
	calendar_free(kz);
	return 0;
}

/* 15 working days from a Monday, nothing in between: the Monday three weeks later. */
static void test_fifteen_days_plain(void **state)
{
	(void)state;
	assert_day(calendar_add_working_days(kz, D("2026-11-23"), 15), "2026-12-14");
	assert_day(calendar_add_working_days(kz, D("2026-11-27"), 15), "2026-12-21"); /* a Friday, across 16 Dec */
}

static void test_across_year_end(void **state)
{
	(void)state;
	/* 1–2 January, the weekend, and Orthodox Christmas on 7 January. */
	assert_day(calendar_add_working_days(kz, D("2025-12-22"), 15), "2026-01-15");
	assert_false(calendar_is_working(kz, D("2026-01-01")));
	assert_false(calendar_is_working(kz, D("2026-01-07")));
	assert_true(calendar_is_working(kz, D("2026-01-05")));
}

static void test_nauryz(void **state)
{
	(void)state;
	/* 2026: 21–22 March are Saturday and Sunday: 24 and 25 March are days off too. */
	for (const char *const *d = (const char *const[]){"2026-03-21", "2026-03-22", "2026-03-23", "2026-03-24",
							   "2026-03-25", NULL};
	     *d; d++)
		if (calendar_is_working(kz, D(*d)))
			fail_msg("%s should be a day off", *d);
	assert_true(calendar_is_working(kz, D("2026-03-26")));
	assert_day(calendar_add_working_days(kz, D("2026-03-20"), 15), "2026-04-15");
	/* 2024: 23 March a Saturday: Monday the 25th off. */
	assert_false(calendar_is_working(kz, D("2024-03-25")));
	assert_true(calendar_is_working(kz, D("2024-03-26")));
	/* Received on a Saturday of Nauryz: registered on the next working day. */
	assert_day(calendar_next_working(kz, D("2026-03-21")), "2026-03-26");
}

static void test_transferred_day(void **state)
{
	(void)state;
	/* 2025: the day off moved from Sunday 5 January to Friday 3 January. */
	assert_false(calendar_is_working(kz, D("2025-01-03")));
	assert_true(calendar_is_working(kz, D("2025-01-05")));
	assert_day(calendar_add_working_days(kz, D("2024-12-30"), 15), "2025-01-23");
	assert_day(calendar_add_working_days(kz, D("2025-01-02"), 1), "2025-01-05");
}

static void test_religious_holiday_does_not_move(void **state)
{
	(void)state;
	/* Kurban Ait 2024 fell on Sunday 16 June: Monday 17 June is a working day. */
	assert_true(calendar_is_working(kz, D("2024-06-17")));
	/* Republic Day 2026 is a Sunday: Monday 26 October is off. */
	assert_false(calendar_is_working(kz, D("2026-10-26")));
	assert_string_equal(calendar_day_name(kz, D("2026-05-27")), "Құрбан айт / Курбан айт");
	assert_string_equal(calendar_day_name(kz, D("2026-11-28")), "weekend");
	assert_null(calendar_day_name(kz, D("2026-11-25")));
}

static void test_extension_cap(void **state)
{
	(void)state;
	/* At most two months from registration, clamped to the end of the month. */
	assert_day(date_add_months(D("2026-01-31"), 2), "2026-03-31");
	assert_day(date_add_months(D("2025-12-31"), 2), "2026-02-28");
	assert_day(date_add_months(D("2023-12-30"), 2), "2024-02-29");
	assert_day(date_add_months(D("2026-11-25"), 2), "2027-01-25");
	/* The applicant is told within 3 working days of the decision. */
	assert_day(calendar_add_working_days(kz, D("2026-12-15"), 3), "2026-12-21"); /* 16 December and a weekend */
}

static void test_counting_between(void **state)
{
	(void)state;
	assert_int_equal(calendar_working_days_between(kz, D("2026-11-23"), D("2026-12-14")), 15);
	assert_int_equal(calendar_working_days_between(kz, D("2026-12-14"), D("2026-11-23")), -15);
	assert_int_equal(calendar_working_days_between(kz, D("2026-11-28"), D("2026-11-29")), 0);
}

/* A synthetic calendar: the rules, not the data, are under test. */
static void test_synthetic_rules(void **state)
{
	(void)state;
	const char *text = "\xef\xbb\xbf# test\r\n*-06-10 holiday Test day\n2030-06-15 religious Feast\n"
			   "2030-06-14 dayoff Bridge\n2030-06-16 workday Make-up Sunday\n";
	struct calendar_rule *rules;
	size_t n;
	struct buf err = BUF_INIT;
	assert_int_equal(calendar_parse(text, strlen(text), &rules, &n, &err), 0);
	assert_int_equal(n, 4);
	struct calendar *c = calendar_build(rules, n);
	/* 2029-06-10 is a Sunday: Monday the 11th is off. 2030-06-10 is a Monday: nothing moves. */
	assert_false(calendar_is_working(c, D("2029-06-11")));
	assert_true(calendar_is_working(c, D("2030-06-11")));
	assert_false(calendar_is_working(c, D("2030-06-14")));
	assert_false(calendar_is_working(c, D("2030-06-15"))); /* Saturday and religious */
	assert_true(calendar_is_working(c, D("2030-06-16")));  /* a working Sunday */
	assert_true(calendar_is_working(c, D("2030-06-17")));  /* the religious Saturday did not move */
	/* Outside the table: weekends only. */
	assert_false(calendar_is_working(c, D("2200-01-04"))); /* a Saturday */
	calendar_free(c);
	free(rules);
	buf_release(&err);
}

static void test_parse_errors_name_the_line(void **state)
{
	(void)state;
	static const struct {
		const char *text, *why;
	} cases[] = {
		{"*-01-01 holiday ok\n2026-02-30 holiday bad\n", "line 2: the date must be"},
		{"2026-01-01\n", "line 1: expected"},
		{"2026-01-01 party x\n", "line 1: the kind must be"},
		{"*-+1-01 holiday x\n", "line 1: the date must be"},
		{"*- 1-01 holiday x\n", "line 1: the date must be"},
		{"*-13-01 holiday x\n", "line 1: the date must be"},
		{"*-02-30 holiday x\n", "line 1: the date must be"},
		{"1950-01-01 holiday x\n", "line 1: the year must be"},
		{"*-01-10 workday x\n", "line 1: a working weekend day"},
		{"*-01-01 holiday " X300 "\n",
		 "line 1: the name is too long"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct calendar_rule *rules = (void *)1;
		size_t n = 99;
		struct buf err = BUF_INIT;
		assert_int_equal(calendar_parse(cases[i].text, strlen(cases[i].text), &rules, &n, &err), -1);
		if (!strstr(err.ptr, cases[i].why))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.ptr, cases[i].why);
		assert_null(rules);
		assert_int_equal(n, 0);
		buf_release(&err);
	}
	char nul[] = "*-01-01 holiday a\0b\n";
	struct calendar_rule *rules;
	size_t n;
	struct buf err = BUF_INIT;
	assert_int_equal(calendar_parse(nul, sizeof(nul) - 1, &rules, &n, &err), -1);
	buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifteen_days_plain),
		cmocka_unit_test(test_across_year_end),
		cmocka_unit_test(test_nauryz),
		cmocka_unit_test(test_transferred_day),
		cmocka_unit_test(test_religious_holiday_does_not_move),
		cmocka_unit_test(test_extension_cap),
		cmocka_unit_test(test_counting_between),
		cmocka_unit_test(test_synthetic_rules),
		cmocka_unit_test(test_parse_errors_name_the_line),
	};
	return cmocka_run_group_tests(tests, load_kz, free_kz);
}
