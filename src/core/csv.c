/* CSV writing (csv.h). */
#include "core/csv.h"

#include <inttypes.h>
#include <string.h>

void csv_bom(struct buf *b)
{
	buf_add(b, "\xEF\xBB\xBF", 3);
}

int csv_is_formula(const char *s)
{
	if (!s)
		return 0;
	/* A spreadsheet told to trim spaces on import sees what follows them. */
	while (*s == ' ' || *s == '\n')
		s++;
	return *s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r';
}

void csv_field(struct buf *b, const char *s, int first)
{
	if (!first)
		buf_addc(b, ',');
	if (!s)
		return;
	int formula = csv_is_formula(s);
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addc(b, '"');
	if (formula)
		buf_addc(b, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_addc(b, '"');
		buf_addc(b, *p);
	}
	buf_addc(b, '"');
}

void csv_int(struct buf *b, int64_t v, int first)
{
	if (!first)
		buf_addc(b, ',');
	buf_printf(b, "%" PRId64, v);
}

void csv_end_row(struct buf *b)
{
	buf_add(b, "\r\n", 2);
}
