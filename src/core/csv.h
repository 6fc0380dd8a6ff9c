/*
 * CSV as RFC 4180 has it, for spreadsheets: CRLF line ends, fields quoted
 * when they hold a comma, quote, CR or LF (quotes doubled), UTF-8 with a
 * byte-order mark so Excel opens Cyrillic correctly. A field that starts
 * with = + - @ (or a tab or CR) would be a formula in a spreadsheet: it
 * gets a leading apostrophe, as OWASP advises, and shows as text.
 */
#ifndef QORGAU_CORE_CSV_H
#define QORGAU_CORE_CSV_H

#include <stdint.h>

#include "core/buf.h"

/* The UTF-8 byte-order mark that opens a file. */
void csv_bom(struct buf *b);
/* One field (NULL is empty); first: the first field of its row (no comma before it). */
void csv_field(struct buf *b, const char *s, int first);
void csv_int(struct buf *b, int64_t v, int first);
void csv_end_row(struct buf *b);
/* Whether a spreadsheet would take s for a formula. */
int csv_is_formula(const char *s);

#endif
