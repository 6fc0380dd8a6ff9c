/*
 * IIN (ЖСН / ИИН): the 12-digit individual identification number.
 *
 * Digits 1–6 are YYMMDD of birth, digit 7 gives the century and sex
 * (1/2 → 1800s, 3/4 → 1900s, 5/6 → 2000s; odd = male), digits 8–11 a
 * serial, digit 12 a check digit: weights 1..11 over digits 1–11, sum mod
 * 11; if that is 10, weights 3,4,5,6,7,8,9,10,11,1,2, sum mod 11; if still
 * 10 the number is invalid. Since 2013 the date and sex need not match the
 * person: a mismatch is a hint, never an error.
 */
#ifndef QORGAU_TEXT_IIN_H
#define QORGAU_TEXT_IIN_H

#include <stddef.h>

enum iin_status {
	IIN_VALID = 0,
	IIN_MALFORMED,    /* not exactly 12 ASCII digits */
	IIN_BAD_CHECKSUM, /* the check digit does not match (or cannot be computed) */
};

struct iin_info {
	int has_date; /* the first digits form a real date with a known century */
	int year, month, day;
	char sex; /* 'M', 'F', or 0 when the 7th digit says neither */
};

/*
 * Check s[0..n); fills info (may be NULL) when the number is valid and
 * zeroes it otherwise. A valid number whose 7th digit is not 1-6 has
 * sex 0 and has_date 0; one whose date part is not a real date keeps its
 * sex and has has_date 0 (year, month and day are then 0).
 */
enum iin_status iin_check(const char *s, size_t n, struct iin_info *info);

#endif
