/*
 * iCalendar (RFC 5545) writer, for lecturers' lesson schedules.
 *
 * Appends a VCALENDAR to a struct buf:
 *
 *	ics_begin(&b, "-//Qorgau//Lessons//KK", "Сабақтар");
 *	ics_event(&b, &ev);   (any number)
 *	ics_end(&b);
 *
 * Guarantees of the output: every line ends with CRLF and there is no other
 * CR or LF; no physical line is longer than 75 octets (content lines are
 * folded with CRLF + space, never inside a UTF-8 sequence or an escape);
 * TEXT values escape \ ; , and newlines; control characters other than tab
 * are dropped and invalid UTF-8 becomes U+FFFD, so every physical line is
 * valid UTF-8. Times are written in UTC (YYYYMMDDTHHMMSSZ).
 */
#ifndef QORGAU_CORE_ICS_H
#define QORGAU_CORE_ICS_H

#include <stdint.h>

#include "core/buf.h"

/* One VEVENT. Text fields are UTF-8; a NULL text field is left out. */
struct ics_event {
	const char *uid;         /* required by RFC 5545; globally unique and stable */
	int64_t stamp;           /* DTSTAMP: when this version was made, Unix seconds */
	int64_t start;           /* DTSTART, Unix seconds */
	int64_t end;             /* DTEND, Unix seconds */
	const char *summary;
	const char *location;
	const char *description;
	int cancelled;           /* STATUS:CANCELLED instead of STATUS:CONFIRMED */
	int sequence;            /* revision number; raise it on every change (negative: 0) */
};

/*
 * BEGIN:VCALENDAR, VERSION:2.0, PRODID, CALSCALE:GREGORIAN, METHOD:PUBLISH
 * and X-WR-CALNAME (left out when calname is NULL).
 */
void ics_begin(struct buf *b, const char *prodid, const char *calname);
/* A VEVENT with the fields of e. */
void ics_event(struct buf *b, const struct ics_event *e);
/* END:VCALENDAR. */
void ics_end(struct buf *b);

/*
 * One content line "NAME:value" with value escaped as TEXT and folded.
 * name is trusted (a property name from the program: letters, digits, '-');
 * a NULL value writes nothing.
 */
void ics_prop_text(struct buf *b, const char *name, const char *value);
/* One content line "NAME:YYYYMMDDTHHMMSSZ"; times outside years 0000–9999 are clamped. */
void ics_prop_time(struct buf *b, const char *name, int64_t t);

#endif
