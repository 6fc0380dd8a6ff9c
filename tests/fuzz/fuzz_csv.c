/*
 * Fuzz target: the CSV writer (src/core/csv.c) on any fields. The row it
 * writes is read back here by an RFC 4180 reader of our own: every field
 * comes back as it went in, one that a spreadsheet would take for a
 * formula with an apostrophe before it, and nothing else is in the row.
 * Input: the fields, separated by 0x1F (a field is cut at a NUL, as the
 * writer takes C strings); a field of the one byte 0x1E is a NULL.
 */
#include "core/csv.h"
#include "fuzz.h"

enum { MAX_FIELDS = 64 };

/* Read one field at *p: its text into out; returns the byte after it (',' or '\r'), or NULL if malformed. */
static const char *read_field(const char *p, const char *end, struct buf *out)
{
	buf_reset(out);
	if (p < end && *p == '"') {
		for (p++;; p++) {
			if (p >= end)
				return NULL; /* the quote never closes */
			if (*p == '"') {
				if (p + 1 < end && p[1] == '"') {
					buf_addc(out, '"');
					p++;
					continue;
				}
				return p + 1;
			}
			buf_addc(out, *p);
		}
	}
	for (; p < end && *p != ',' && *p != '\r'; p++) {
		if (*p == '"' || *p == '\n')
			return NULL; /* unquoted, these break the row */
		buf_addc(out, *p);
	}
	return p;
}

/* What a spreadsheet may take for a formula: one of = + - @ tab CR first, after any spaces and line feeds. */
static int formula_start(const char *s)
{
	if (!s)
		return 0;
	s += strspn(s, " \n");
	return s[0] && strchr("=+-@\t\r", s[0]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *fields[MAX_FIELDS];
	int nulls[MAX_FIELDS];
	int n = 0;
	while (n < MAX_FIELDS) {
		const char *s;
		size_t len = fuzz_take(&data, &size, 0x1F, &s);
		nulls[n] = len == 1 && (unsigned char)s[0] == 0x1E;
		fields[n++] = fuzz_strndup(s, len);
		if (!size)
			break;
	}
	struct buf row = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	for (int i = 0; i < n; i++)
		csv_field(&row, nulls[i] ? NULL : fields[i], i == 0);
	csv_end_row(&row);
	const char *p = row.ptr, *end = row.ptr + row.len;
	for (int i = 0; i < n; i++) {
		p = read_field(p, end, &got);
		if (!p)
			fuzz_fail("field %d: not RFC 4180", i);
		const char *in = nulls[i] ? "" : fields[i];
		buf_reset(&want);
		if (formula_start(in))
			buf_addc(&want, '\'');
		buf_adds(&want, in);
		if (got.len != want.len || memcmp(got.ptr ? got.ptr : "", want.ptr ? want.ptr : "", got.len))
			fuzz_fail("field %d came back different (%zu bytes, want %zu)", i, got.len, want.len);
		if (csv_is_formula(in) != formula_start(in))
			fuzz_fail("field %d: csv_is_formula disagrees with the rule", i);
		if (i + 1 < n) {
			if (p >= end || *p != ',')
				fuzz_fail("field %d: no comma after it", i);
			p++;
		}
	}
	if (end - p != 2 || p[0] != '\r' || p[1] != '\n')
		fuzz_fail("the row does not end with one CRLF");
	buf_release(&row);
	buf_release(&got);
	buf_release(&want);
	for (int i = 0; i < n; i++)
		free(fields[i]);
	return 0;
}
