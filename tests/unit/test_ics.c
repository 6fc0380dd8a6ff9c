/* Unit tests: the iCalendar writer (line endings, folding, TEXT escaping, UTC times, fields). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/ics.h"

/* ---- independent readers of the output ---- */

/* Whether s[0..n) is strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
static int valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t len;
		uint32_t v;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			len = 2, v = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			len = 3, v = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			len = 4, v = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			v = v << 6 | (s[i + k] & 0x3f);
		}
		static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
		if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Check the physical lines of a whole calendar: each ends with CRLF, no CR
 * or LF appears elsewhere, none is longer than 75 octets, each is valid UTF-8.
 */
static void assert_physical_lines(const struct buf *b)
{
	const char *s = b->ptr;
	size_t n = b->len;
	assert_true(n >= 2);
	assert_memory_equal(s + n - 2, "\r\n", 2);
	size_t start = 0, lineno = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			fail_msg("line %zu: LF without CR", lineno);
		if (s[i] != '\r')
			continue;
		if (i + 1 >= n || s[i + 1] != '\n')
			fail_msg("line %zu: CR without LF", lineno);
		size_t len = i - start;
		if (len > 75)
			fail_msg("line %zu: %zu octets: %.*s", lineno, len, (int)len, s + start);
		if (!valid_utf8((const unsigned char *)s + start, len))
			fail_msg("line %zu: invalid UTF-8: %.*s", lineno, (int)len, s + start);
		i++;
		start = i + 1;
		lineno++;
	}
}

/* Unfold (RFC 5545 3.1): a CRLF followed by one space or tab is removed. Caller frees. */
static char *unfold(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1);
	assert_non_null(out);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n' && (s[i + 2] == ' ' || s[i + 2] == '\t')) {
			i += 2;
			continue;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return out;
}

/* The raw (still escaped) value of the only content line "NAME:…" in an unfolded calendar, or NULL. */
static char *raw_value(const char *unfolded, const char *name)
{
	size_t nl = strlen(name);
	char *found = NULL;
	const char *p = unfolded;
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		if ((size_t)(eol - p) > nl && !strncmp(p, name, nl) && p[nl] == ':') {
			if (found)
				fail_msg("property %s appears twice", name);
			found = strndup(p + nl + 1, (size_t)(eol - p) - nl - 1);
			assert_non_null(found);
		}
		p = eol + 2;
	}
	return found;
}

/* Undo TEXT escaping; fails on a backslash that is not one of \\ \; \, \n \N. Caller frees. */
static char *unescape(const char *s)
{
	char *out = malloc(strlen(s) + 1);
	assert_non_null(out);
	size_t o = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == ';' || s[i] == ',')
			fail_msg("unescaped '%c' in TEXT value: %s", s[i], s);
		if (s[i] != '\\') {
			out[o++] = s[i];
			continue;
		}
		i++;
		switch (s[i]) {
		case '\\': out[o++] = '\\'; break;
		case ';': out[o++] = ';'; break;
		case ',': out[o++] = ','; break;
		case 'n':
		case 'N': out[o++] = '\n'; break;
		default: fail_msg("bad escape '\\%c' in: %s", s[i], s);
		}
	}
	out[o] = '\0';
	return out;
}

/* The unescaped value of property name in calendar b, compared with want (NULL: absent). */
static void assert_text_value(const struct buf *b, const char *name, const char *want)
{
	char *u = unfold(b->ptr);
	char *raw = raw_value(u, name);
	if (!want) {
		if (raw)
			fail_msg("%s should be absent, is '%s'", name, raw);
	} else {
		if (!raw)
			fail_msg("%s missing", name);
		char *got = unescape(raw);
		if (strcmp(got, want))
			fail_msg("%s: got '%s', want '%s'", name, got, want);
		free(got);
	}
	free(raw);
	free(u);
}

/* The escaped value of property name as written (after unfolding), compared with want. */
static void assert_raw_value(const struct buf *b, const char *name, const char *want)
{
	char *u = unfold(b->ptr);
	char *raw = raw_value(u, name);
	if (!raw)
		fail_msg("%s missing", name);
	if (strcmp(raw, want))
		fail_msg("%s: got '%s', want '%s'", name, raw, want);
	free(raw);
	free(u);
}

static size_t count(const char *hay, const char *needle)
{
	size_t k = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		k++;
	return k;
}

static const struct ics_event lesson = {
	.uid = "lesson-42@qorgau.kz",
	.stamp = 1767225599,  /* 2025-12-31 23:59:59 UTC */
	.start = 1788233400,  /* 2026-09-01 03:30:00 UTC */
	.end = 1788238200,    /* 2026-09-01 04:50:00 UTC */
	.summary = "Балалардың құқықтарын қорғау",
	.location = "Ауд. 305",
	.description = "Тақырып: кіріспе",
	.sequence = 2,
};

/* A one-event calendar of e into b. */
static void write_one(struct buf *b, const struct ics_event *e)
{
	buf_reset(b);
	ics_begin(b, "-//Qorgau//Lessons//KK", "Сабақ кестесі");
	ics_event(b, e);
	ics_end(b);
}

/* ---- tests ---- */

/* The whole calendar of one plain event, byte for byte. */
static void test_exact_output(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	write_one(&b, &lesson);
	assert_string_equal(b.ptr,
		"BEGIN:VCALENDAR\r\n"
		"VERSION:2.0\r\n"
		"PRODID:-//Qorgau//Lessons//KK\r\n"
		"CALSCALE:GREGORIAN\r\n"
		"METHOD:PUBLISH\r\n"
		"X-WR-CALNAME:Сабақ кестесі\r\n"
		"BEGIN:VEVENT\r\n"
		"UID:lesson-42@qorgau.kz\r\n"
		"DTSTAMP:20251231T235959Z\r\n"
		"DTSTART:20260901T033000Z\r\n"
		"DTEND:20260901T045000Z\r\n"
		"SUMMARY:Балалардың құқықтарын қорғау\r\n"
		"LOCATION:Ауд. 305\r\n"
		"DESCRIPTION:Тақырып: кіріспе\r\n"
		"STATUS:CONFIRMED\r\n"
		"SEQUENCE:2\r\n"
		"END:VEVENT\r\n"
		"END:VCALENDAR\r\n");
	assert_physical_lines(&b);
	buf_release(&b);
}

static void test_structure(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	ics_begin(&b, "-//Qorgau//Lessons//RU", "Расписание");
	for (int i = 0; i < 3; i++)
		ics_event(&b, &lesson);
	ics_end(&b);
	assert_physical_lines(&b);
	assert_true(!strncmp(b.ptr, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30));
	const char *tail = "END:VCALENDAR\r\n";
	assert_string_equal(b.ptr + b.len - strlen(tail), tail);
	assert_int_equal(count(b.ptr, "\r\nBEGIN:VEVENT\r\n"), 3);
	assert_int_equal(count(b.ptr, "\r\nEND:VEVENT\r\n"), 3);
	assert_int_equal(count(b.ptr, "BEGIN:VCALENDAR"), 1);
	assert_int_equal(count(b.ptr, "\r\nCALSCALE:GREGORIAN\r\n"), 1);
	assert_int_equal(count(b.ptr, "\r\nMETHOD:PUBLISH\r\n"), 1);
	char *u = unfold(b.ptr);
	char *prodid = raw_value(u, "PRODID");
	assert_non_null(prodid);
	assert_string_equal(prodid, "-//Qorgau//Lessons//RU");
	free(prodid);
	free(u);
	assert_text_value(&b, "X-WR-CALNAME", "Расписание");
	buf_release(&b);
}

static void test_escaping(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct ics_event e = lesson;
	e.summary = "a,b;c\\d:e\"f";
	e.description = "one\ntwo\r\nthree\rfour";
	e.location = "\\n is not a newline";
	write_one(&b, &e);
	assert_physical_lines(&b);
	assert_raw_value(&b, "SUMMARY", "a\\,b\\;c\\\\d:e\"f");
	assert_raw_value(&b, "DESCRIPTION", "one\\ntwo\\nthreefour");
	assert_raw_value(&b, "LOCATION", "\\\\n is not a newline");
	assert_text_value(&b, "SUMMARY", "a,b;c\\d:e\"f");
	assert_text_value(&b, "DESCRIPTION", "one\ntwo\nthreefour");
	assert_text_value(&b, "LOCATION", "\\n is not a newline");
	/* Escaping applies to every TEXT property, not only the event's. */
	buf_reset(&b);
	ics_begin(&b, "-//A,B;C//EN", "x\ny");
	ics_end(&b);
	assert_raw_value(&b, "PRODID", "-//A\\,B\\;C//EN");
	assert_raw_value(&b, "X-WR-CALNAME", "x\\ny");
	buf_release(&b);
}

/* A 100-octet ASCII value: the first physical line has exactly 75 octets, the next starts with a space. */
static void test_fold_position(void **state)
{
	(void)state;
	char text[101];
	memset(text, 'x', 100);
	text[100] = '\0';
	struct buf b = BUF_INIT;
	ics_prop_text(&b, "SUMMARY", text);
	const char *crlf = strstr(b.ptr, "\r\n");
	assert_non_null(crlf);
	assert_int_equal(crlf - b.ptr, 75);
	assert_int_equal(crlf[2], ' ');
	assert_int_equal(b.len, 8 + 100 + 2 + 3); /* "SUMMARY:", text, one fold, final CRLF */
	char *u = unfold(b.ptr);
	assert_int_equal(strlen(u), 8 + 100 + 2);
	free(u);
	/* Exactly 75 octets needs no fold. */
	buf_reset(&b);
	text[75 - 8] = '\0';
	ics_prop_text(&b, "SUMMARY", text);
	assert_int_equal(b.len, 77);
	assert_int_equal(count(b.ptr, "\r\n"), 1);
	buf_release(&b);
}

/*
 * Long multi-byte texts, shifted by 0–7 ASCII octets so that fold points fall
 * on every position inside 2-, 3- and 4-byte sequences and escape pairs:
 * every physical line stays within 75 octets and valid UTF-8, and unfolding
 * then unescaping gives back the text.
 */
static void test_fold_utf8_round_trip(void **state)
{
	(void)state;
	static const char *const pieces[] = {
		"Қазақстан Республикасындағы балалардың құқықтарын қорғау жөніндегі дәріс, ",
		"Защита прав детей; семинар для социальных педагогов\\психологов, ",
		"€ три байта € ", "😀 четыре 😀", "ә\nі\r\nң",
	};
	struct buf text = BUF_INIT, b = BUF_INIT;
	for (size_t shift = 0; shift < 8; shift++) {
		buf_reset(&text);
		for (size_t k = 0; k < shift; k++)
			buf_addc(&text, 'a');
		for (int rep = 0; rep < 6; rep++)
			for (size_t p = 0; p < sizeof(pieces) / sizeof(pieces[0]); p++)
				buf_adds(&text, pieces[p]);
		struct ics_event e = lesson;
		e.summary = text.ptr;
		e.description = text.ptr; /* other name lengths move the fold points too */
		e.location = text.ptr;
		write_one(&b, &e);
		assert_physical_lines(&b);
		assert_true(count(b.ptr, "\r\n ") > 20); /* folding really happened */

		/* What the unescape must give back: CR LF read as one newline. */
		struct buf want = BUF_INIT;
		for (const char *s = text.ptr; *s; s++)
			if (!(s[0] == '\r' && s[1] == '\n'))
				buf_addc(&want, *s);
		assert_text_value(&b, "SUMMARY", want.ptr);
		assert_text_value(&b, "DESCRIPTION", want.ptr);
		assert_text_value(&b, "LOCATION", want.ptr);
		buf_release(&want);
	}
	buf_release(&text);
	buf_release(&b);
}

static void test_utc_times(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	ics_prop_time(&b, "DTSTART", 0);
	ics_prop_time(&b, "DTSTART", 1709251199); /* a leap day's last second */
	ics_prop_time(&b, "DTSTART", 1709251200);
	ics_prop_time(&b, "DTSTART", -1);         /* before 1970 still works */
	ics_prop_time(&b, "DTSTART", INT64_MIN);  /* out of range: clamped, no crash */
	ics_prop_time(&b, "DTSTART", INT64_MAX);
	assert_string_equal(b.ptr,
		"DTSTART:19700101T000000Z\r\n"
		"DTSTART:20240229T235959Z\r\n"
		"DTSTART:20240301T000000Z\r\n"
		"DTSTART:19691231T235959Z\r\n"
		"DTSTART:00000101T000000Z\r\n"
		"DTSTART:99991231T235959Z\r\n");
	buf_reset(&b);
	write_one(&b, &lesson);
	assert_raw_value(&b, "DTSTAMP", "20251231T235959Z");
	assert_raw_value(&b, "DTSTART", "20260901T033000Z");
	assert_raw_value(&b, "DTEND", "20260901T045000Z");
	buf_release(&b);
}

static void test_status_and_sequence(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct ics_event e = lesson;
	e.cancelled = 1;
	e.sequence = 7;
	write_one(&b, &e);
	assert_raw_value(&b, "STATUS", "CANCELLED");
	assert_raw_value(&b, "SEQUENCE", "7");
	e.cancelled = 0;
	e.sequence = -3;
	write_one(&b, &e);
	assert_raw_value(&b, "STATUS", "CONFIRMED");
	assert_raw_value(&b, "SEQUENCE", "0");
	buf_release(&b);
}

static void test_null_fields_omitted(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct ics_event e = lesson;
	e.summary = NULL;
	e.location = NULL;
	e.description = NULL;
	ics_begin(&b, "-//Qorgau//Lessons//EN", NULL);
	ics_event(&b, &e);
	ics_end(&b);
	assert_physical_lines(&b);
	assert_null(strstr(b.ptr, "SUMMARY"));
	assert_null(strstr(b.ptr, "LOCATION"));
	assert_null(strstr(b.ptr, "DESCRIPTION"));
	assert_null(strstr(b.ptr, "X-WR-CALNAME"));
	assert_raw_value(&b, "UID", "lesson-42@qorgau.kz");
	/* An empty string is a value, not an absence. */
	e.summary = "";
	write_one(&b, &e);
	assert_non_null(strstr(b.ptr, "\r\nSUMMARY:\r\n"));
	buf_release(&b);
}

static void test_control_characters_dropped(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct ics_event e = lesson;
	e.summary = "a\x01" "b\x1b[31mc\x7f" "d\te\x0b" "f\x0cg\x1fh\xc2\x85i";
	e.description = "bad \xff\xfe utf-8 \xd0";
	write_one(&b, &e);
	assert_physical_lines(&b);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char c = (unsigned char)b.ptr[i];
		if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
			fail_msg("control character 0x%02x at %zu", c, i);
	}
	assert_null(strstr(b.ptr, "\xc2\x85"));
	assert_text_value(&b, "SUMMARY", "ab[31mcd\tefghi");
	/* Invalid UTF-8 becomes U+FFFD, one per bad byte. */
	assert_text_value(&b, "DESCRIPTION", "bad \xef\xbf\xbd\xef\xbf\xbd utf-8 \xef\xbf\xbd");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_output),
		cmocka_unit_test(test_structure),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_fold_position),
		cmocka_unit_test(test_fold_utf8_round_trip),
		cmocka_unit_test(test_utc_times),
		cmocka_unit_test(test_status_and_sequence),
		cmocka_unit_test(test_null_fields_omitted),
		cmocka_unit_test(test_control_characters_dropped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
