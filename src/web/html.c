/* Context-specific HTML escapers (html.h). */
#include "web/html.h"

#include <inttypes.h>
#include <string.h>

void html_textn(struct buf *b, const char *s, size_t n)
{
	size_t start = 0;
	buf_grow(b, n);
	for (size_t i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + start, i - start);
		buf_adds(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

void html_text(struct buf *b, const char *s)
{
	if (s)
		html_textn(b, s, strlen(s));
}

void html_attr(struct buf *b, const char *s)
{
	if (!s)
		return;
	size_t n = strlen(s), start = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
			html_textn(b, s + start, i - start);
			buf_printf(b, "&#%d;", s[i]);
			start = i + 1;
		}
	}
	html_textn(b, s + start, n - start);
}

void html_url_arg(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!s)
		return;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

void html_int(struct buf *b, int64_t v)
{
	buf_printf(b, "%" PRId64, v);
}
