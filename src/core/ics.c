/* iCalendar (RFC 5545) writer; see ics.h for what the output guarantees. */
#include "core/ics.h"

#include <string.h>

#include "core/time.h"
#include "text/utf8.h"

/* RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break. */
#define ICS_LINE_MAX 75

/* A content line being written: where it goes and how long its physical line is so far. */
struct ics_line {
	struct buf *b;
	size_t col;
};

static void line_start(struct ics_line *l, struct buf *b, const char *name)
{
	l->b = b;
	buf_adds(b, name);
	buf_addc(b, ':');
	/* Property names come from the program and are short, so they never need folding. */
	l->col = strlen(name) + 1;
}

/*
 * Append one unit (a whole UTF-8 character or a whole escape pair), folding
 * first if it would not fit; units are never split, so neither are characters.
 */
static void line_put(struct ics_line *l, const char *s, size_t n)
{
	if (l->col + n > ICS_LINE_MAX) {
		buf_add(l->b, "\r\n ", 3);
		l->col = 1;
	}
	buf_add(l->b, s, n);
	l->col += n;
}

static void line_end(struct ics_line *l)
{
	buf_add(l->b, "\r\n", 2);
	l->col = 0;
}

/* Escape s as a TEXT value into the line (RFC 5545 3.3.11). */
static void line_text(struct ics_line *l, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str);
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c == '\r') {
			/* CR LF is one newline; a bare CR is dropped. */
			if (i + 1 < n && s[i + 1] == '\n') {
				line_put(l, "\\n", 2);
				i++;
			}
			i++;
		} else if (c == '\n') {
			line_put(l, "\\n", 2);
			i++;
		} else if (c == '\\' || c == ';' || c == ',') {
			char esc[2] = {'\\', (char)c};
			line_put(l, esc, 2);
			i++;
		} else if ((c < 0x20 && c != '\t') || c == 0x7f) {
			i++;
		} else if (c < 0x80) {
			line_put(l, (const char *)s + i, 1);
			i++;
		} else {
			uint32_t cp;
			size_t len = utf8_decode((const char *)s + i, n - i, &cp);
			if (len == 0) {
				/* Calendar clients reject invalid UTF-8: replace byte by byte. */
				line_put(l, "\xef\xbf\xbd", 3);
				i++;
			} else {
				/* C1 controls (U+0080–U+009F) are dropped like C0 ones. */
				if (cp > 0x9f)
					line_put(l, (const char *)s + i, len);
				i += len;
			}
		}
	}
}

void ics_prop_text(struct buf *b, const char *name, const char *value)
{
	if (!value)
		return;
	struct ics_line l;
	line_start(&l, b, name);
	line_text(&l, value);
	line_end(&l);
}

void ics_prop_time(struct buf *b, const char *name, int64_t t)
{
	/* YYYY has four digits: keep to 0000-01-01T00:00:00 … 9999-12-31T23:59:59. */
	const int64_t lo = days_from_civil(0, 1, 1) * 86400;
	const int64_t hi = days_from_civil(10000, 1, 1) * 86400 - 1;
	if (t < lo)
		t = lo;
	if (t > hi)
		t = hi;
	int64_t days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	buf_printf(b, "%s:%04d%02d%02dT%02d%02d%02dZ\r\n", name, y, m, d, hh, mm, ss);
}

void ics_begin(struct buf *b, const char *prodid, const char *calname)
{
	buf_adds(b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
	ics_prop_text(b, "PRODID", prodid);
	buf_adds(b, "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	ics_prop_text(b, "X-WR-CALNAME", calname);
}

void ics_event(struct buf *b, const struct ics_event *e)
{
	buf_adds(b, "BEGIN:VEVENT\r\n");
	ics_prop_text(b, "UID", e->uid);
	ics_prop_time(b, "DTSTAMP", e->stamp);
	ics_prop_time(b, "DTSTART", e->start);
	ics_prop_time(b, "DTEND", e->end);
	ics_prop_text(b, "SUMMARY", e->summary);
	ics_prop_text(b, "LOCATION", e->location);
	ics_prop_text(b, "DESCRIPTION", e->description);
	buf_adds(b, e->cancelled ? "STATUS:CANCELLED\r\n" : "STATUS:CONFIRMED\r\n");
	buf_printf(b, "SEQUENCE:%d\r\n", e->sequence > 0 ? e->sequence : 0);
	buf_adds(b, "END:VEVENT\r\n");
}

void ics_end(struct buf *b)
{
	buf_adds(b, "END:VCALENDAR\r\n");
}
