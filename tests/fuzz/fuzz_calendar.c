/*
 * Fuzz target: the working-day calendar file (src/core/calendar.c), as
 * `qorgau calendar import` and the Calendar page take it from a person.
 *
 * A file that parses must give rules that are valid, that read back the
 * same after being written out again, and that build a calendar whose
 * working-day arithmetic agrees with itself.
 */
#include "core/calendar.h"
#include "core/time.h"
#include "fuzz.h"

static void check_rule(const struct calendar_rule *r)
{
	if (r->kind > CAL_WORKDAY || r->month < 1 || r->month > 12 || r->day < 1 ||
	    r->day > days_in_month(r->year ? r->year : 2024, r->month))
		fuzz_fail("rule %d-%d-%d of kind %d", r->year, r->month, r->day, (int)r->kind);
	if (r->year && (r->year < 1990 || r->year > 2100))
		fuzz_fail("rule year %d", r->year);
	if (!r->year && r->kind == CAL_WORKDAY)
		fuzz_fail("a yearly working weekend day");
	if (strnlen(r->name, sizeof(r->name)) == sizeof(r->name))
		fuzz_fail("a rule name without its NUL");
}

/* Write the rules out in the file format and parse them again. */
static void check_round_trip(const struct calendar_rule *rules, size_t count)
{
	struct buf text = BUF_INIT, err = BUF_INIT;
	for (size_t i = 0; i < count; i++) {
		char date[11];
		calendar_rule_date(&rules[i], date);
		buf_printf(&text, "%s %s %s\n", date, calendar_kind_name(rules[i].kind), rules[i].name);
	}
	struct calendar_rule *again;
	size_t n;
	if (calendar_parse(text.ptr, text.len, &again, &n, &err) < 0)
		fuzz_fail("rules written out do not parse: %s", err.ptr);
	if (n != count)
		fuzz_fail("%zu rules written, %zu read back", count, n);
	for (size_t i = 0; i < n; i++)
		if (again[i].year != rules[i].year || again[i].month != rules[i].month || again[i].day != rules[i].day ||
		    again[i].kind != rules[i].kind || strcmp(again[i].name, rules[i].name) != 0)
			fuzz_fail("rule %zu reads back different", i);
	free(again);
	buf_release(&text);
	buf_release(&err);
}

/* Working-day arithmetic from a few days the input picks (in and around the table's years). */
static void check_calendar(const struct calendar *c, const uint8_t *data, size_t size)
{
	int64_t first = days_from_civil(1989, 12, 1), span = days_from_civil(2101, 2, 1) - first;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	for (int k = 0; k < 4; k++, h = h * 1103515245u + 12345u) {
		int64_t day = first + (int64_t)(h % (uint32_t)span);
		int n = (int)(h >> 24) % 40;
		int64_t next = calendar_next_working(c, day);
		if (next < day || !calendar_is_working(c, next))
			fuzz_fail("next working day of %lld is %lld", (long long)day, (long long)next);
		if ((calendar_day_name(c, day) == NULL) != calendar_is_working(c, day))
			fuzz_fail("day %lld: a name if and only if it is off", (long long)day);
		int64_t later = calendar_add_working_days(c, day, n);
		if (calendar_working_days_between(c, day, later) != n ||
		    calendar_working_days_between(c, later, day) != -n)
			fuzz_fail("%d working days from %lld end on %lld", n, (long long)day, (long long)later);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar_rule *rules;
	size_t count;
	struct buf err = BUF_INIT;
	if (calendar_parse((const char *)data, size, &rules, &count, &err) < 0) {
		if (rules || count || strncmp(err.ptr, "line ", 5) != 0)
			fuzz_fail("a failed parse left rules or no \"line N:\" message");
		buf_release(&err);
		return 0;
	}
	for (size_t i = 0; i < count; i++)
		check_rule(&rules[i]);
	check_round_trip(rules, count);
	struct calendar *c = calendar_build(rules, count);
	check_calendar(c, data, size);
	calendar_free(c);
	free(rules);
	buf_release(&err);
	return 0;
}
