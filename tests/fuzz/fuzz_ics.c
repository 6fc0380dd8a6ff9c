/*
 * Fuzz target: the iCalendar writer (src/core/ics.c) on any text and any
 * times. The calendar it writes is read back here by a reader of our own
 * that checks every promise of ics.h: each line ends with CRLF and there is
 * no other CR or LF; no physical line is longer than 75 octets; each
 * physical line is valid UTF-8 by itself (so folding split no character)
 * and no fold falls inside an escape; unfolded, each TEXT value unescapes to
 * the input text with control characters but tab dropped and invalid UTF-8
 * as U+FFFD, worked out here from the input; each time is YYYYMMDDTHHMMSSZ
 * and is the input time, clamped to the years 0000–9999; the calendar's
 * lines are the ones ics_begin lists, in its order, then each VEVENT with
 * exactly the properties of its event, then END:VCALENDAR and nothing
 * after; and the BEGIN and END lines balance.
 *
 * Input: parts separated by 0x1D. The first holds PRODID and X-WR-CALNAME,
 * each later one an event (at most MAX_EVENTS): UID, SUMMARY, LOCATION,
 * DESCRIPTION and "STAMP START END SEQUENCE CANCELLED", separated by 0x1F.
 * A text field of the one byte 0x1E, or one its part ends before, is NULL;
 * text is cut at a NUL, as the writer takes C strings. The numbers are
 * decimal, separated by spaces; strtoll saturates at the int64 limits, so
 * any too long one gives an extreme; a missing one is 0.
 */
#include <limits.h>

#include "core/ics.h"
#include "fuzz.h"

enum { MAX_EVENTS = 16, LINE_OCTETS = 75, MAX_DEPTH = 8 };

/* Text fields of an event, in the input's order. */
enum { F_UID, F_SUMMARY, F_LOCATION, F_DESCRIPTION, F_TEXTS };

/* ---------- Our own UTF-8 and calendar, so that ics.c is not checked against itself ---------- */

/*
 * Length of the well-formed UTF-8 sequence at s[0..n), its code point in
 * *cp; 0 if the bytes start none. Written after the table of well-formed
 * byte sequences of the Unicode standard (3.9, table 3-7): the narrower
 * second byte after E0, ED, F0 and F4 is what shuts out overlong forms,
 * surrogates and code points past U+10FFFF.
 */
static size_t u8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		lo = c == 0xe0 ? 0xa0 : lo;
		hi = c == 0xed ? 0x9f : hi;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		lo = c == 0xf0 ? 0x90 : lo;
		hi = c == 0xf4 ? 0x8f : hi;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	uint32_t v = c & (0x7fu >> len);
	for (size_t i = 1; i < len; i++)
		v = v << 6 | (s[i] & 0x3fu);
	*cp = v;
	return len;
}

static int u8_valid(const unsigned char *s, size_t n)
{
	uint32_t cp;
	for (size_t i = 0, len; i < n; i += len)
		if (!(len = u8_seq(s + i, n - i, &cp)))
			return 0;
	return 1;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 0000-01-01 to y-m-d (y >= 0) by counting the leap years before y: year 0 is one. */
static int64_t days_since_year0(int64_t y, int m, int d)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int64_t leaps = (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
	return 365 * y + leaps + before[m - 1] + (m > 2 && is_leap(y)) + d - 1;
}

static int64_t unix_seconds(int64_t y, int m, int d, int hh, int mm, int ss)
{
	return (days_since_year0(y, m, d) - days_since_year0(1970, 1, 1)) * 86400 + hh * 3600 + mm * 60 + ss;
}

static int days_in(int64_t y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return dm[m - 1] + (m == 2 && is_leap(y));
}

/* ---------- What the output must hold, from the input alone ---------- */

/*
 * The text a TEXT value must unescape to: CR LF and LF are newlines (a CR
 * alone is a control character, so dropped); other C0 controls but tab, DEL
 * and the C1 controls U+0080–U+009F are dropped; a byte that starts no
 * well-formed UTF-8 sequence becomes one U+FFFD (byte by byte, as ics.c
 * documents: ics.h does not say how many).
 */
static void expected_text(struct buf *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), kept = 0; /* kept: where the run of bytes that stay as they are began */
	buf_reset(out);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = u8_seq(s + i, n - i, &cp);
		if (len && (cp == '\n' || cp == '\t' || (cp >= 0x20 && cp != 0x7f && (cp < 0x80 || cp > 0x9f)))) {
			i += len;
			continue;
		}
		buf_add(out, s + kept, i - kept);
		if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
			buf_addc(out, '\n');
			i += 2;
		} else if (!len) {
			buf_adds(out, "\xef\xbf\xbd");
			i++;
		} else {
			i += len;
		}
		kept = i;
	}
	buf_add(out, s + kept, n - kept);
}

/* ---------- Reading the output back ---------- */

/*
 * The logical lines, unfolded: text holds them each ended by '\n' (the
 * physical pass has made sure no LF is left in a line); folds, the offsets
 * in text where a fold was taken out, rising (a size_t array: folds are
 * rare, and a map with a byte per byte of text was a tenth of each run
 * under libFuzzer).
 */
struct reader {
	struct buf text, folds;
	size_t pos;
	int line; /* logical line number of the last one taken, for messages */
};

/* Whether a fold was taken out just before text[at]. */
static int folded_at(const struct reader *r, size_t at)
{
	size_t lo = 0, hi = r->folds.len / sizeof(size_t);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, off;
		memcpy(&off, r->folds.ptr + mid * sizeof off, sizeof off);
		if (off == at)
			return 1;
		if (off < at)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Check the physical lines of out and unfold them into r. */
static void unfold(struct reader *r, const struct buf *out)
{
	const char *p = out->ptr, *end = out->ptr + out->len;
	int phys = 0;
	if (!out->len)
		fuzz_fail("the calendar is empty");
	while (p < end) {
		phys++;
		const char *eol = p;
		while (eol < end && *eol != '\r' && *eol != '\n')
			eol++;
		if (eol == end)
			fuzz_fail("physical line %d: the output ends without CRLF", phys);
		if (*eol == '\n')
			fuzz_fail("physical line %d: LF without CR", phys);
		if (eol + 1 == end || eol[1] != '\n')
			fuzz_fail("physical line %d: CR without LF", phys);
		size_t n = (size_t)(eol - p);
		if (n > LINE_OCTETS)
			fuzz_fail("physical line %d: %zu octets, more than %d", phys, n, LINE_OCTETS);
		if (!u8_valid((const unsigned char *)p, n))
			fuzz_fail("physical line %d: not valid UTF-8 (a character split by folding, or let through)", phys);
		if (n && (*p == ' ' || *p == '\t')) {
			/* RFC 5545 3.1: CRLF and one whitespace character are taken out when unfolding. */
			if (phys == 1)
				fuzz_fail("the first line is a continuation line");
			buf_truncate(&r->text, r->text.len - 1);
			buf_add(&r->folds, &r->text.len, sizeof r->text.len);
			buf_add(&r->text, p + 1, n - 1);
		} else {
			buf_add(&r->text, p, n);
		}
		buf_addc(&r->text, '\n');
		p = eol + 2;
	}
}

/* The next logical line: its start and length; 0 at the end. */
static int next_line(struct reader *r, size_t *start, size_t *len)
{
	if (r->pos >= r->text.len)
		return 0;
	const char *s = r->text.ptr + r->pos;
	const char *nl = memchr(s, '\n', r->text.len - r->pos);
	*start = r->pos;
	*len = (size_t)(nl - s);
	r->pos += *len + 1;
	r->line++;
	return 1;
}

/* BEGIN and END lines balance, the whole calendar is one VCALENDAR and nothing follows it. */
static void check_balance(struct reader *r)
{
	const char *open[MAX_DEPTH];
	size_t open_len[MAX_DEPTH];
	int depth = 0, closed = 0;
	size_t start, len;
	r->pos = 0;
	r->line = 0;
	while (next_line(r, &start, &len)) {
		const char *s = r->text.ptr + start;
		if (closed)
			fuzz_fail("line %d: after the calendar's END", r->line);
		if (r->line == 1 && (len != 15 || memcmp(s, "BEGIN:VCALENDAR", 15)))
			fuzz_fail("line 1 is not BEGIN:VCALENDAR");
		if (len >= 6 && !memcmp(s, "BEGIN:", 6)) {
			if (depth == MAX_DEPTH)
				fuzz_fail("line %d: BEGIN nested more than %d deep", r->line, MAX_DEPTH);
			open[depth] = s + 6;
			open_len[depth++] = len - 6;
		} else if (len >= 4 && !memcmp(s, "END:", 4)) {
			if (!depth)
				fuzz_fail("line %d: END with no BEGIN", r->line);
			depth--;
			if (len - 4 != open_len[depth] || memcmp(s + 4, open[depth], len - 4))
				fuzz_fail("line %d: END:%.*s closes BEGIN:%.*s", r->line, (int)(len - 4), s + 4,
					  (int)open_len[depth], open[depth]);
			closed = !depth;
		}
	}
	if (depth)
		fuzz_fail("%d BEGIN line(s) never closed", depth);
}

/* A content line: its name, and where its value is in the reader's text. */
struct prop {
	const char *name;
	size_t name_len, v, n;
};

static int is_named(const struct prop *p, const char *name)
{
	return p->name_len == strlen(name) && !memcmp(p->name, name, p->name_len);
}

/* Take the next logical line as NAME:VALUE; the caller says what it should have been, for the message. */
static void take_prop(struct reader *r, struct prop *p, const char *what)
{
	size_t start, len;
	if (!next_line(r, &start, &len))
		fuzz_fail("the calendar ends where %s should be", what);
	const char *s = r->text.ptr + start;
	const char *colon = memchr(s, ':', len);
	if (!colon)
		fuzz_fail("line %d: no colon (%.*s) where %s should be", r->line, (int)(len < 40 ? len : 40), s, what);
	p->name = s;
	p->name_len = (size_t)(colon - s);
	p->v = start + p->name_len + 1;
	p->n = len - p->name_len - 1;
}

static void take_named(struct reader *r, struct prop *p, const char *name)
{
	take_prop(r, p, name);
	if (!is_named(p, name))
		fuzz_fail("line %d: %.*s where %s should be", r->line, (int)p->name_len, p->name, name);
}

static void check_value(const struct reader *r, const struct prop *p, const char *value)
{
	if (p->n != strlen(value) || memcmp(r->text.ptr + p->v, value, p->n))
		fuzz_fail("line %d: %.*s:%.*s, want %s", r->line, (int)p->name_len, p->name, (int)p->n,
			  r->text.ptr + p->v, value);
}

static void expect_line(struct reader *r, const char *name, const char *value)
{
	struct prop p;
	take_named(r, &p, name);
	check_value(r, &p, value);
}

/* A TEXT value: unescaped, it must be the expected text of in. */
static void check_text(const struct reader *r, const struct prop *p, const char *in, struct buf *got, struct buf *want)
{
	const char *s = r->text.ptr;
	int nl = (int)p->name_len;
	size_t end = p->v + p->n;
	buf_reset(got);
	for (size_t i = p->v; i < end; i++) {
		/* Copy the run up to the next special character whole: byte by byte was slow under libFuzzer. */
		size_t run = i;
		while (run < end && s[run] != '\\' && s[run] != ';' && s[run] != ',')
			run++;
		buf_add(got, s + i, run - i);
		if ((i = run) == end)
			break;
		if (s[i] == ';' || s[i] == ',')
			fuzz_fail("line %d: %.*s: '%c' not escaped", r->line, nl, p->name, s[i]);
		if (i + 1 == end)
			fuzz_fail("line %d: %.*s: a lone backslash ends the value", r->line, nl, p->name);
		if (folded_at(r, i + 1))
			fuzz_fail("line %d: %.*s: a fold splits the escape at octet %zu of the value", r->line, nl, p->name,
				  i - p->v);
		i++;
		if (s[i] == 'n' || s[i] == 'N')
			buf_addc(got, '\n');
		else if (s[i] == '\\' || s[i] == ';' || s[i] == ',')
			buf_addc(got, s[i]);
		else
			fuzz_fail("line %d: %.*s: \\%c is no TEXT escape", r->line, nl, p->name, s[i]);
	}
	expected_text(want, in);
	if (got->len != want->len || memcmp(got->ptr, want->ptr, got->len)) {
		size_t at = 0;
		while (at < got->len && at < want->len && got->ptr[at] == want->ptr[at])
			at++;
		fuzz_fail("line %d: %.*s unescapes to %zu bytes, want %zu; first difference at byte %zu", r->line, nl,
			  p->name, got->len, want->len, at);
	}
}

/* A TEXT property in its place, or none when in is NULL (left out). */
static void expect_text(struct reader *r, const char *name, const char *in, struct buf *got, struct buf *want)
{
	struct prop p;
	if (!in)
		return;
	take_named(r, &p, name);
	check_text(r, &p, in, got, want);
}

/* Unix seconds of 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: ics.h clamps times to these. */
static int64_t time_lo(void)
{
	return unix_seconds(0, 1, 1, 0, 0, 0);
}

static int64_t time_hi(void)
{
	return unix_seconds(9999, 12, 31, 23, 59, 59);
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* A time: YYYYMMDDTHHMMSSZ, a real date and time of day, and the input time clamped as ics.h says. */
static void check_time(const struct reader *r, const struct prop *p, int64_t t)
{
	const char *s = r->text.ptr + p->v;
	int y, mo, d, hh, mi, ss, nl = (int)p->name_len;
	if (p->n != 16 || s[8] != 'T' || s[15] != 'Z' || !digits(s, 4, &y) || !digits(s + 4, 2, &mo) ||
	    !digits(s + 6, 2, &d) || !digits(s + 9, 2, &hh) || !digits(s + 11, 2, &mi) || !digits(s + 13, 2, &ss))
		fuzz_fail("line %d: %.*s:%.*s is not YYYYMMDDTHHMMSSZ", r->line, nl, p->name, (int)p->n, s);
	if (mo < 1 || mo > 12 || d < 1 || d > days_in(y, mo) || hh > 23 || mi > 59 || ss > 59)
		fuzz_fail("line %d: %.*s:%.16s is no real time", r->line, nl, p->name, s);
	int64_t want = t < time_lo() ? time_lo() : t > time_hi() ? time_hi() : t;
	int64_t got = unix_seconds(y, mo, d, hh, mi, ss);
	if (got != want)
		fuzz_fail("line %d: %.*s:%.16s is %lld, want %lld (from %lld)", r->line, nl, p->name, s, (long long)got,
			  (long long)want, (long long)t);
}

/* ---------- The input ---------- */

struct event {
	char *text[F_TEXTS]; /* NULL: left out */
	int64_t stamp, start, end;
	int sequence, cancelled;
};

/*
 * A VEVENT: ics.h does not say in which order its properties come (nor
 * does RFC 5545 care), so take them in any order, each once, a text one
 * only when its field is not NULL.
 */
static void expect_event(struct reader *r, const struct event *e, struct buf *got, struct buf *want)
{
	/* The text fields first, in the order of enum F_*. */
	static const char *const names[] = {"UID",     "SUMMARY", "LOCATION", "DESCRIPTION", "DTSTAMP",
					    "DTSTART", "DTEND",   "STATUS",   "SEQUENCE"};
	enum { P_STAMP = F_TEXTS, P_START, P_END, P_STATUS, P_SEQUENCE, P_COUNT };
	const int64_t times[] = {e->stamp, e->start, e->end};
	int seen[P_COUNT] = {0};
	char seq[16];
	struct prop p;
	snprintf(seq, sizeof seq, "%d", e->sequence > 0 ? e->sequence : 0);
	expect_line(r, "BEGIN", "VEVENT");
	for (;;) {
		take_prop(r, &p, "END:VEVENT");
		if (is_named(&p, "END")) {
			check_value(r, &p, "VEVENT");
			break;
		}
		int k = 0;
		while (k < P_COUNT && !is_named(&p, names[k]))
			k++;
		if (k == P_COUNT)
			fuzz_fail("line %d: %.*s in a VEVENT", r->line, (int)p.name_len, p.name);
		if (seen[k]++)
			fuzz_fail("line %d: a second %s", r->line, names[k]);
		if (k < F_TEXTS && !e->text[k])
			fuzz_fail("line %d: %s, but its field is NULL", r->line, names[k]);
		if (k < F_TEXTS)
			check_text(r, &p, e->text[k], got, want);
		else if (k <= P_END)
			check_time(r, &p, times[k - P_STAMP]);
		else if (k == P_STATUS)
			check_value(r, &p, e->cancelled ? "CANCELLED" : "CONFIRMED");
		else
			check_value(r, &p, seq);
	}
	for (int k = 0; k < P_COUNT; k++)
		if (!seen[k] && (k >= F_TEXTS || e->text[k]))
			fuzz_fail("line %d: the VEVENT has no %s", r->line, names[k]);
}

/* The next text field of a part: NULL when the part has ended or for the one byte 0x1E. */
static char *take_text(const uint8_t **data, size_t *size, int *ended)
{
	const char *s;
	if (*ended)
		return NULL;
	size_t before = *size;
	size_t n = fuzz_take(data, size, 0x1F, &s);
	/* No separator after it: the part's last field, the ones after it are missing. */
	*ended = before - *size == n;
	if (n == 1 && (unsigned char)s[0] == 0x1E)
		return NULL;
	return fuzz_strndup(s, n);
}

/* The next space-separated number of the numbers field, 0 if there is none. */
static long long take_number(const uint8_t **data, size_t *size)
{
	const char *tok;
	size_t n = fuzz_take(data, size, ' ', &tok);
	char *copy = fuzz_strndup(tok, n);
	long long v = strtoll(copy, NULL, 10);
	free(copy);
	return v;
}

static int clamp_int(long long v)
{
	return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

static void read_event(const uint8_t *data, size_t size, struct event *e)
{
	int ended = 0;
	for (int f = 0; f < F_TEXTS; f++)
		e->text[f] = take_text(&data, &size, &ended);
	const char *field = "";
	size_t n = ended ? 0 : fuzz_take(&data, &size, 0x1F, &field);
	const uint8_t *nums = (const uint8_t *)field;
	e->stamp = take_number(&nums, &n);
	e->start = take_number(&nums, &n);
	e->end = take_number(&nums, &n);
	e->sequence = clamp_int(take_number(&nums, &n));
	e->cancelled = clamp_int(take_number(&nums, &n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct event ev[MAX_EVENTS];
	int nev = 0, ended = 0;
	const char *part;
	size_t n = fuzz_take(&data, &size, 0x1D, &part);
	const uint8_t *head = (const uint8_t *)part;
	char *prodid = take_text(&head, &n, &ended);
	char *calname = take_text(&head, &n, &ended);
	while (size && nev < MAX_EVENTS) {
		n = fuzz_take(&data, &size, 0x1D, &part);
		read_event((const uint8_t *)part, n, &ev[nev++]);
	}

	struct buf out = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	ics_begin(&out, prodid, calname);
	for (int i = 0; i < nev; i++) {
		struct ics_event e = {
			.uid = ev[i].text[F_UID],
			.stamp = ev[i].stamp,
			.start = ev[i].start,
			.end = ev[i].end,
			.summary = ev[i].text[F_SUMMARY],
			.location = ev[i].text[F_LOCATION],
			.description = ev[i].text[F_DESCRIPTION],
			.cancelled = ev[i].cancelled,
			.sequence = ev[i].sequence,
		};
		ics_event(&out, &e);
	}
	ics_end(&out);

	struct reader r = {BUF_INIT, BUF_INIT, 0, 0};
	unfold(&r, &out);
	check_balance(&r);

	/* The calendar's own lines in the order ics.h lists them, the events, and nothing else. */
	r.pos = 0;
	r.line = 0;
	expect_line(&r, "BEGIN", "VCALENDAR");
	expect_line(&r, "VERSION", "2.0");
	expect_text(&r, "PRODID", prodid, &got, &want);
	expect_line(&r, "CALSCALE", "GREGORIAN");
	expect_line(&r, "METHOD", "PUBLISH");
	expect_text(&r, "X-WR-CALNAME", calname, &got, &want);
	for (int i = 0; i < nev; i++)
		expect_event(&r, &ev[i], &got, &want);
	expect_line(&r, "END", "VCALENDAR");
	if (r.pos != r.text.len)
		fuzz_fail("line %d: more after END:VCALENDAR", r.line + 1);

	buf_release(&out);
	buf_release(&got);
	buf_release(&want);
	buf_release(&r.text);
	buf_release(&r.folds);
	free(prodid);
	free(calname);
	for (int i = 0; i < nev; i++)
		for (int f = 0; f < F_TEXTS; f++)
			free(ev[i].text[f]);
	return 0;
}
