/*
 * The working-day calendar: which days count for legal deadlines.
 *
 * Kept as data (share/calendar-kz.txt seeds it; operators import updates):
 * Saturdays and Sundays are days off unless decreed working days; public
 * holidays are days off, and a non-religious one that falls on a weekend
 * makes the next working day a day off; decreed transfers add days off and
 * working weekend days.
 *
 * A struct calendar is immutable once built, so any number of threads may
 * read it. Days are day numbers (core/time.h, days since 1970-01-01).
 */
#ifndef QORGAU_CORE_CALENDAR_H
#define QORGAU_CORE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum calendar_kind { CAL_HOLIDAY, CAL_RELIGIOUS, CAL_DAYOFF, CAL_WORKDAY };

struct calendar_rule {
	int year; /* 0: every year */
	int month, day;
	enum calendar_kind kind;
	char name[256];
};

/* The rules' own text form: "2025-01-03" or "*-01-01". */
void calendar_rule_date(const struct calendar_rule *r, char out[11]);
const char *calendar_kind_name(enum calendar_kind kind);

/*
 * Parse the calendar file format (see share/calendar-kz.txt). On an error
 * returns -1 with "line N: why" in err and nothing in *rules.
 */
int calendar_parse(const char *text, size_t n, struct calendar_rule **rules, size_t *count, struct buf *err);

struct calendar;

/* Build the day table for the years this program deals with (1990–2100). */
struct calendar *calendar_build(const struct calendar_rule *rules, size_t count);
void calendar_free(struct calendar *c);

int calendar_is_working(const struct calendar *c, int64_t day);
/* day itself when it is a working day, else the next one. */
int64_t calendar_next_working(const struct calendar *c, int64_t day);
/*
 * The n-th working day after day (the period starts the day after:
 * 15 working days from a Monday with no holidays is the Monday three weeks on).
 */
int64_t calendar_add_working_days(const struct calendar *c, int64_t day, int n);
/* Working days from a (exclusive) to b (inclusive); negative when b is before a. */
int calendar_working_days_between(const struct calendar *c, int64_t a, int64_t b);
/* Why a day is off, for pages: the rule's name, "weekend", or NULL for a working day. */
const char *calendar_day_name(const struct calendar *c, int64_t day);

/* The same date n months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
int64_t date_add_months(int64_t day, int months);

/* How many of rules[0..n) make a day off (holiday, religious feast, day off). */
int calendar_rules_days_off(const struct calendar_rule *rules, size_t n);
/* Why a calendar file without a day off is refused: it would remove every holiday. */
#define CALENDAR_EMPTY_MESSAGE "the file has no day off: it would remove every holiday"

#endif
