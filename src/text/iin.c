/*
 * IIN checks (iin.h): the check digit decides validity; the birth date and
 * sex read from the number are only hints, since numbers issued after 2013
 * need not match the person.
 */
#include "text/iin.h"

#include <string.h>

enum { IIN_LEN = 12 };

/* The check digit of d[0..11), or -1 when both weightings give 10. */
static int iin_check_digit(const int d[IIN_LEN])
{
	static const int second[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
	int sum = 0;
	for (int i = 0; i < 11; i++)
		sum += d[i] * (i + 1);
	if (sum % 11 != 10)
		return sum % 11;
	sum = 0;
	for (int i = 0; i < 11; i++)
		sum += d[i] * second[i];
	return sum % 11 == 10 ? -1 : sum % 11;
}

static int iin_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int iin_real_date(int year, int month, int day)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month < 1 || month > 12 || day < 1)
		return 0;
	return day <= days[month - 1] + (month == 2 && iin_leap(year));
}

/* Birth date and sex as the number states them; both stay unknown for a century digit outside 1-6. */
static void iin_read_hints(const int d[IIN_LEN], struct iin_info *info)
{
	int century = d[6];
	if (century < 1 || century > 6)
		return;
	info->sex = century % 2 ? 'M' : 'F';
	int year = 1800 + 100 * ((century - 1) / 2) + d[0] * 10 + d[1];
	int month = d[2] * 10 + d[3], day = d[4] * 10 + d[5];
	if (!iin_real_date(year, month, day))
		return;
	info->has_date = 1;
	info->year = year, info->month = month, info->day = day;
}

enum iin_status iin_check(const char *s, size_t n, struct iin_info *info)
{
	if (info)
		memset(info, 0, sizeof *info);
	if (!s || n != IIN_LEN)
		return IIN_MALFORMED;
	int d[IIN_LEN];
	for (int i = 0; i < IIN_LEN; i++) {
		if (s[i] < '0' || s[i] > '9')
			return IIN_MALFORMED;
		d[i] = s[i] - '0';
	}
	if (iin_check_digit(d) != d[11])
		return IIN_BAD_CHECKSUM;
	if (info)
		iin_read_hints(d, info);
	return IIN_VALID;
}
