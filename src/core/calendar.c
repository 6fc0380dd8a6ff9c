/* The working-day calendar (calendar.h). */
#include "core/calendar.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/time.h"

enum { FIRST_YEAR = 1990, LAST_YEAR = 2100 };

/* One byte per day: what the day is. */
enum day_state { D_WORK = 0, D_WEEKEND, D_HOLIDAY, D_DAYOFF, D_CARRIED, D_WORKDAY };

struct calendar {
	int64_t first; /* day number of FIRST_YEAR-01-01 */
	size_t ndays;
	unsigned char *state;
	const char **names; /* per day, the rule's name (owned by rules copy) or NULL */
	struct calendar_rule *rules;
	size_t nrules;
};

static const char *const kind_names[] = {"holiday", "religious", "dayoff", "workday"};

int calendar_rules_days_off(const struct calendar_rule *rules, size_t n)
{
	int k = 0;
	for (size_t i = 0; i < n; i++)
		k += rules[i].kind != CAL_WORKDAY;
	return k;
}

const char *calendar_kind_name(enum calendar_kind kind)
{
	return kind <= CAL_WORKDAY ? kind_names[kind] : "?";
}

void calendar_rule_date(const struct calendar_rule *r, char out[11])
{
	if (r->year)
		snprintf(out, 11, "%04d-%02d-%02d", r->year, r->month, r->day);
	else
		snprintf(out, 11, "*-%02d-%02d", r->month, r->day);
}

static int parse_rule(const char *line, struct calendar_rule *r, const char **why)
{
	char date[16], kind[16];
	int used = 0;
	memset(r, 0, sizeof(*r));
	if (sscanf(line, "%15s %15s %n", date, kind, &used) < 2)
		return *why = "expected: DATE KIND [NAME]", -1;
	if (date[0] == '*') {
		int m, d;
		char tail;
		if (strlen(date) != 7 || !isdigit((unsigned char)date[2]) || !isdigit((unsigned char)date[3]) ||
		    !isdigit((unsigned char)date[5]) || !isdigit((unsigned char)date[6]) ||
		    sscanf(date, "*-%2d-%2d%c", &m, &d, &tail) != 2 || m < 1 || m > 12 || d < 1 ||
		    d > days_in_month(2024, m))
			return *why = "the date must be YYYY-MM-DD or *-MM-DD", -1;
		r->month = m, r->day = d;
	} else {
		if (date_parse(date, strlen(date), &r->year, &r->month, &r->day) < 0)
			return *why = "the date must be YYYY-MM-DD or *-MM-DD", -1;
		if (r->year < FIRST_YEAR || r->year > LAST_YEAR)
			return *why = "the year must be from 1990 to 2100", -1;
	}
	size_t k;
	for (k = 0; k < 4; k++)
		if (!strcmp(kind, kind_names[k]))
			break;
	if (k == 4)
		return *why = "the kind must be holiday, religious, dayoff or workday", -1;
	r->kind = (enum calendar_kind)k;
	if (r->kind == CAL_WORKDAY && !r->year)
		return *why = "a working weekend day is decreed for one date, not every year", -1;
	const char *name = used ? line + used : "";
	size_t nlen = strlen(name);
	while (nlen && isspace((unsigned char)name[nlen - 1]))
		nlen--;
	if (nlen >= sizeof(r->name))
		return *why = "the name is too long (255 bytes at most)", -1;
	memcpy(r->name, name, nlen);
	r->name[nlen] = '\0';
	return 0;
}

int calendar_parse(const char *text, size_t n, struct calendar_rule **rules, size_t *count, struct buf *err)
{
	struct calendar_rule *out = NULL;
	size_t nout = 0, cap = 0;
	int lineno = 0;
	size_t i = 0;
	*rules = NULL;
	*count = 0;
	if (n >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		i = 3; /* a byte-order mark from a spreadsheet */
	while (i < n) {
		lineno++;
		const char *eol = memchr(text + i, '\n', n - i);
		size_t len = eol ? (size_t)(eol - (text + i)) : n - i;
		char line[512];
		if (len >= sizeof(line) || memchr(text + i, '\0', len)) {
			buf_printf(err, "line %d: %s", lineno, len >= sizeof(line) ? "too long" : "contains a NUL byte");
			free(out);
			return -1;
		}
		memcpy(line, text + i, len);
		line[len] = '\0';
		i += len + (eol ? 1 : 0);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		const char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		const char *why;
		if (nout == cap) {
			cap = cap ? cap * 2 : 64;
			out = xrealloc(out, cap * sizeof(*out));
		}
		if (parse_rule(p, &out[nout], &why) < 0) {
			buf_printf(err, "line %d: %s", lineno, why);
			free(out);
			return -1;
		}
		nout++;
	}
	*rules = out;
	*count = nout;
	return 0;
}

static size_t index_of(const struct calendar *c, int64_t day, int *inside)
{
	int64_t k = day - c->first;
	*inside = k >= 0 && (size_t)k < c->ndays;
	return *inside ? (size_t)k : 0;
}

static void mark(struct calendar *c, int64_t day, enum day_state st, const char *name)
{
	int inside;
	size_t k = index_of(c, day, &inside);
	if (!inside)
		return;
	c->state[k] = (unsigned char)st;
	if (name && *name)
		c->names[k] = name;
}

static int is_off(const struct calendar *c, size_t k)
{
	return c->state[k] != D_WORK && c->state[k] != D_WORKDAY;
}

struct calendar *calendar_build(const struct calendar_rule *rules, size_t count)
{
	struct calendar *c = xcalloc(1, sizeof(*c));
	c->first = days_from_civil(FIRST_YEAR, 1, 1);
	c->ndays = (size_t)(days_from_civil(LAST_YEAR + 1, 1, 1) - c->first);
	c->state = xcalloc(c->ndays, 1);
	c->names = xcalloc(c->ndays, sizeof(*c->names));
	c->rules = xmalloc((count ? count : 1) * sizeof(*rules));
	if (count)
		memcpy(c->rules, rules, count * sizeof(*rules));
	c->nrules = count;
	for (size_t k = 0; k < c->ndays; k++)
		if (weekday_from_days(c->first + (int64_t)k) >= 5)
			c->state[k] = D_WEEKEND;

	/* Decreed working days and days off first, then the holidays. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < count; i++) {
			const struct calendar_rule *r = &c->rules[i];
			int is_holiday = r->kind == CAL_HOLIDAY || r->kind == CAL_RELIGIOUS;
			if ((pass == 0) == is_holiday)
				continue;
			for (int y = r->year ? r->year : FIRST_YEAR; y <= (r->year ? r->year : LAST_YEAR); y++) {
				if (r->day > days_in_month(y, r->month))
					continue; /* 29 February in a common year */
				int64_t d = days_from_civil(y, r->month, r->day);
				enum day_state st = r->kind == CAL_WORKDAY ? D_WORKDAY
						    : r->kind == CAL_DAYOFF ? D_DAYOFF
									    : D_HOLIDAY;
				mark(c, d, st, r->name);
			}
		}
	}
	/*
	 * A non-religious holiday on a Saturday or Sunday moves to the next
	 * working day. Walk the days in date order so consecutive holidays
	 * (Nauryz) carry to consecutive working days.
	 */
	for (size_t k = 0; k < c->ndays; k++) {
		if (c->state[k] != D_HOLIDAY || weekday_from_days(c->first + (int64_t)k) < 5)
			continue;
		/* Religious holidays do not move: find whether a non-religious rule made this day. */
		int64_t d = c->first + (int64_t)k;
		int y, m, dd, movable = 0;
		civil_from_days(d, &y, &m, &dd);
		for (size_t i = 0; i < count && !movable; i++) {
			const struct calendar_rule *r = &c->rules[i];
			if (r->kind == CAL_HOLIDAY && r->month == m && r->day == dd && (!r->year || r->year == y))
				movable = 1;
		}
		if (!movable)
			continue;
		size_t j = k + 1;
		while (j < c->ndays && is_off(c, j))
			j++;
		if (j < c->ndays) {
			c->state[j] = D_CARRIED;
			c->names[j] = c->names[k];
		}
	}
	return c;
}

void calendar_free(struct calendar *c)
{
	if (!c)
		return;
	free(c->state);
	free(c->names);
	free(c->rules);
	free(c);
}

int calendar_is_working(const struct calendar *c, int64_t day)
{
	int inside;
	size_t k = index_of(c, day, &inside);
	if (!inside)
		return weekday_from_days(day) < 5; /* outside the table: weekends only */
	return !is_off(c, k);
}

int64_t calendar_next_working(const struct calendar *c, int64_t day)
{
	while (!calendar_is_working(c, day))
		day++;
	return day;
}

int64_t calendar_add_working_days(const struct calendar *c, int64_t day, int n)
{
	while (n > 0) {
		day++;
		if (calendar_is_working(c, day))
			n--;
	}
	return day;
}

int calendar_working_days_between(const struct calendar *c, int64_t a, int64_t b)
{
	int sign = 1, n = 0;
	if (b < a) {
		int64_t t = a;
		a = b;
		b = t;
		sign = -1;
	}
	for (int64_t d = a + 1; d <= b; d++)
		n += calendar_is_working(c, d);
	return sign * n;
}

const char *calendar_day_name(const struct calendar *c, int64_t day)
{
	int inside;
	size_t k = index_of(c, day, &inside);
	if (calendar_is_working(c, day))
		return NULL;
	if (!inside || c->state[k] == D_WEEKEND)
		return "weekend";
	return c->names[k] ? c->names[k] : calendar_kind_name(c->state[k] == D_HOLIDAY ? CAL_HOLIDAY : CAL_DAYOFF);
}

int64_t date_add_months(int64_t day, int months)
{
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	int total = y * 12 + (m - 1) + months;
	y = total / 12;
	m = total % 12 + 1;
	int dim = days_in_month(y, m);
	return days_from_civil(y, m, d > dim ? dim : d);
}
