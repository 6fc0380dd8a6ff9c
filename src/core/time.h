/*
 * Dates and times: civil-date arithmetic (proleptic Gregorian, no time
 * zone database needed), the clock, and local dates at a fixed UTC offset
 * (Kazakhstan keeps UTC+5 everywhere since 1 March 2024; configurable).
 */
#ifndef QORGAU_CORE_TIME_H
#define QORGAU_CORE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 for a civil date. */
int64_t days_from_civil(int y, int m, int d);
/* The civil date of a day number. */
void civil_from_days(int64_t days, int *y, int *m, int *d);
int days_in_month(int y, int m);
/* 0 = Monday … 6 = Sunday. */
int weekday_from_days(int64_t days);

/* Seconds since the epoch (wall clock). */
int64_t time_now(void);
/* Monotonic nanoseconds, for durations. */
uint64_t time_mono_ns(void);

/* Format a day number as YYYY-MM-DD into out (>= 11 bytes). */
void date_format(int64_t days, char *out);
/* Parse s[0..n) as YYYY-MM-DD, a real date in 1900–2200; 0 on success, -1 otherwise. */
int date_parse(const char *s, size_t n, int *y, int *m, int *d);
/* Parse a NUL-terminated YYYY-MM-DD into a day number; -1 on failure. */
int date_to_days(const char *s, int64_t *days);

#endif
