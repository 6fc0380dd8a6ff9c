/*
 * Fuzz target: IIN checks (src/text/iin.c) on any bytes, against the rule
 * as iin.h states it, computed here independently.
 */
#include "fuzz.h"
#include "text/iin.h"

/* The rule of iin.h: weights 1..11, else 3..11,1,2; a second 10 is invalid. */
static enum iin_status expected_status(const uint8_t *s, size_t n)
{
	static const int first[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
	static const int second[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
	if (n != 12)
		return IIN_MALFORMED;
	for (size_t i = 0; i < 12; i++)
		if (s[i] < '0' || s[i] > '9')
			return IIN_MALFORMED;
	int sum = 0;
	for (int i = 0; i < 11; i++)
		sum += (s[i] - '0') * first[i];
	if (sum % 11 == 10) {
		sum = 0;
		for (int i = 0; i < 11; i++)
			sum += (s[i] - '0') * second[i];
	}
	return sum % 11 != 10 && sum % 11 == s[11] - '0' ? IIN_VALID : IIN_BAD_CHECKSUM;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct iin_info info;
	memset(&info, 0x55, sizeof(info)); /* iin_check must set every field */
	enum iin_status st = iin_check((const char *)data, size, &info);
	if (st != iin_check((const char *)data, size, NULL))
		fuzz_fail("the status depends on whether info is asked for");
	if (st != expected_status(data, size))
		fuzz_fail("status %d, the rule gives %d", (int)st, (int)expected_status(data, size));
	if (st != IIN_VALID) {
		if (info.has_date || info.year || info.month || info.day || info.sex)
			fuzz_fail("info not zeroed for an invalid number");
		return 0;
	}
	int century = data[6] - '0';
	char sex = century >= 1 && century <= 6 ? (century % 2 ? 'M' : 'F') : 0;
	if (info.sex != sex)
		fuzz_fail("sex '%c' for century digit %d", info.sex ? info.sex : '0', century);
	if (info.has_date) {
		int year = 1800 + 100 * ((century - 1) / 2) + (data[0] - '0') * 10 + (data[1] - '0');
		if (!sex || info.year != year || info.month != (data[2] - '0') * 10 + (data[3] - '0') ||
		    info.day != (data[4] - '0') * 10 + (data[5] - '0') || info.month < 1 || info.month > 12 ||
		    info.day < 1 || info.day > 31)
			fuzz_fail("date %04d-%02d-%02d does not match the number", info.year, info.month, info.day);
	} else if (info.year || info.month || info.day) {
		fuzz_fail("a date without has_date");
	}
	return 0;
}
