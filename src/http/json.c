/* Streaming JSON writer (json.h). */
#include "http/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "text/utf8.h"

void json_init(struct json *j, struct buf *b)
{
	j->b = b;
	j->depth = 0;
	j->has_items = 0;
	j->after_key = 0;
}

/* Separator before a value or key at the current depth. */
static void before_item(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0) {
		uint64_t bit = 1ULL << (j->depth & 63);
		if (j->has_items & bit)
			buf_addc(j->b, ',');
		j->has_items |= bit;
	}
}

static void open_container(struct json *j, char c)
{
	before_item(j);
	buf_addc(j->b, c);
	j->depth++;
	j->has_items &= ~(1ULL << (j->depth & 63));
}

static void close_container(struct json *j, char c)
{
	buf_addc(j->b, c);
	j->depth--;
}

void json_object_begin(struct json *j)
{
	open_container(j, '{');
}
void json_object_end(struct json *j)
{
	close_container(j, '}');
}
void json_array_begin(struct json *j)
{
	open_container(j, '[');
}
void json_array_end(struct json *j)
{
	close_container(j, ']');
}

/* Bytes that go through as they are: printable ASCII except " \ < > &. */
static int plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&';
}

void json_escape(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	buf_grow(b, n + 2);
	buf_addc(b, '"');
	size_t i = 0;
	while (i < n) {
		/* Copy runs of plain bytes at once: most text is plain. */
		size_t run = i;
		while (run < n && plain_byte((unsigned char)s[run]))
			run++;
		if (run > i) {
			buf_add(b, s + i, run - i);
			i = run;
			continue;
		}
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			switch (c) {
			case '"': buf_add(b, "\\\"", 2); break;
			case '\\': buf_add(b, "\\\\", 2); break;
			case '\n': buf_add(b, "\\n", 2); break;
			case '\r': buf_add(b, "\\r", 2); break;
			case '\t': buf_add(b, "\\t", 2); break;
			default: buf_add(b, esc, 6); break;
			}
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			buf_add(b, "\\ufffd", 6);
			i++;
			continue;
		}
		if (cp == 0x2028 || cp == 0x2029)
			buf_add(b, cp == 0x2028 ? "\\u2028" : "\\u2029", 6);
		else
			buf_add(b, s + i, len);
		i += len;
	}
	buf_addc(b, '"');
}

void json_key(struct json *j, const char *key)
{
	before_item(j);
	json_escape(j->b, key, strlen(key));
	buf_addc(j->b, ':');
	j->after_key = 1;
}

void json_int(struct json *j, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	before_item(j);
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	buf_add(j->b, p, (size_t)(tmp + sizeof(tmp) - p));
}

void json_real(struct json *j, double v)
{
	before_item(j);
	if (!isfinite(v))
		buf_adds(j->b, "null");
	else
		buf_printf(j->b, "%.10g", v);
}

void json_bool(struct json *j, int v)
{
	before_item(j);
	buf_adds(j->b, v ? "true" : "false");
}

void json_null(struct json *j)
{
	before_item(j);
	buf_adds(j->b, "null");
}

void json_str(struct json *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	json_strn(j, s, strlen(s));
}

void json_strn(struct json *j, const char *s, size_t n)
{
	before_item(j);
	json_escape(j->b, s, n);
}

void json_raw(struct json *j, const char *text, size_t n)
{
	before_item(j);
	buf_add(j->b, text, n);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_str(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

void json_kv_bool(struct json *j, const char *key, int v)
{
	json_key(j, key);
	json_bool(j, v);
}

void json_kv_null(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}

void json_kv_id(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	if (v > 0)
		json_int(j, v);
	else
		json_null(j);
}
