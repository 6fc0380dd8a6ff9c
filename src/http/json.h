/*
 * A small streaming JSON writer into a struct buf. Commas and nesting are
 * tracked for the caller; strings are escaped (control characters, quotes,
 * backslash, and <, >, & and U+2028/2029 so output is safe to embed), and
 * invalid UTF-8 is replaced by U+FFFD so the output is always valid JSON.
 */
#ifndef QORGAU_HTTP_JSON_H
#define QORGAU_HTTP_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct json {
	struct buf *b;
	int depth;
	uint64_t has_items; /* bit d: the container at depth d has an item */
	int after_key;
};

void json_init(struct json *j, struct buf *b);
void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_int(struct json *j, int64_t v);
void json_real(struct json *j, double v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);
/* NULL writes null. */
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t n);
/* Already-valid JSON text (a literal or another writer's output). */
void json_raw(struct json *j, const char *text, size_t n);

/* key + value in one call. */
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_str(struct json *j, const char *key, const char *s);
void json_kv_bool(struct json *j, const char *key, int v);
void json_kv_null(struct json *j, const char *key);
/* Writes null when v <= 0 (optional references). */
void json_kv_id(struct json *j, const char *key, int64_t v);

/* Append s as a JSON string literal (with quotes) to b. */
void json_escape(struct buf *b, const char *s, size_t n);

#endif
