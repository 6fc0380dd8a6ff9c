/*
 * HTML output with escaping by default: one escaper per context (after
 * cgit's html_txt / html_attr / html_url_arg). The short, obvious calls
 * escape; html_raw_literal() is the one way to write markup, and takes
 * only string literals.
 */
#ifndef QORGAU_WEB_HTML_H
#define QORGAU_WEB_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Text content: & < > " ' escaped. NULL writes nothing. */
void html_text(struct buf *b, const char *s);
void html_textn(struct buf *b, const char *s, size_t n);
/* An attribute value (inside double quotes): same escaping, plus newlines. */
void html_attr(struct buf *b, const char *s);
/* A query-string argument inside an attribute: percent-encoded. */
void html_url_arg(struct buf *b, const char *s);
void html_int(struct buf *b, int64_t v);
/* Markup from the program itself: only string literals are accepted. */
#define html_raw_literal(b, lit) buf_add((b), "" lit, sizeof(lit) - 1)

#endif
