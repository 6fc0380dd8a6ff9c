/*
 * Declared input: every field a route accepts is declared once with a type
 * and limits (after kcgi's kvalid tables). Query strings, form bodies and
 * JSON bodies are all parsed against the declaration into typed values;
 * undeclared fields are rejected, and handlers never see raw strings.
 *
 * JSON objects nest into dotted names: {"applicant": {"type": "child"}}
 * fills the field "applicant.type", which a form posts under that name.
 */
#ifndef QORGAU_HTTP_INPUT_H
#define QORGAU_HTTP_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

enum field_type {
	FT_INT,      /* integer within [min, max] */
	FT_ID,       /* integer id >= 1 */
	FT_LINE,     /* one line of text, trimmed, NFC; length in characters within [min, max] */
	FT_TEXT,     /* multi-line text, NFC; CR LF becomes LF */
	FT_SECRET,   /* a password: taken as given, never trimmed or normalised, never echoed */
	FT_BOOL,     /* true/false, 1/0, on/off (a checkbox) */
	FT_DATE,     /* YYYY-MM-DD, a real date */
	FT_DATETIME, /* RFC 3339 with offset, or YYYY-MM-DDTHH:MM[:SS] in local time; stored as Unix seconds */
	FT_ENUM,     /* one of values[] */
	FT_ID_LIST,  /* several ids (repeated form field or JSON array) */
	FT_ENUM_LIST,
};

enum { F_REQUIRED = 1 };

struct field {
	const char *name;
	enum field_type type;
	unsigned flags;
	int64_t min, max;
	const char *const *values; /* FT_ENUM, FT_ENUM_LIST: NULL-terminated */
};

struct field_value {
	int present;
	int64_t i;     /* FT_INT, FT_ID, FT_BOOL, FT_DATETIME */
	const char *s; /* text forms, FT_DATE, FT_ENUM; NUL-terminated, in the arena */
	size_t len;
	const char *raw; /* the text as submitted, for showing a form again (never for secrets) */
	size_t count, cap; /* lists: items, room */
	int64_t *ids;
	const char **strs;
};

struct input_error {
	const char *field; /* NULL when not about one field */
	const char *code;  /* stable snake_case code */
	const char *message; /* English, for the API and logs */
	int64_t limit;     /* for messages that quote a limit */
};

/*
 * The errors one request may collect. A body of a million bytes holds some
 * hundred thousand names: past this many errors parsing stops, so neither
 * the time nor the memory a refused request costs grows with its size.
 */
enum { INPUT_MAX_ERRORS = 32 };

struct input {
	const struct field *fields;
	size_t nfields;
	struct field_value *v;
	struct input_error *errors;
	size_t nerrors, caperrors;
	int syntax_error; /* the body or query could not be parsed at all (400) */
	const char *csrf; /* a form's _csrf field, taken aside (never a declared field) */
};

/* The seconds east of UTC used for local date-times without an offset. */
extern int input_local_offset;

/* Whether an error code says the input could not be read at all (400, not 422). */
int input_is_syntax(const char *code);

/* Prepare in for the fields (a NULL name ends the array). */
void input_init(struct input *in, const struct field *fields, struct arena *a);
/* Parse application/x-www-form-urlencoded text (also query strings). */
void input_parse_urlencoded(struct input *in, const char *s, size_t n, struct arena *a);
/* Parse a JSON object body. */
void input_parse_json(struct input *in, const char *s, size_t n, struct arena *a);
/* After parsing: report required fields that are missing. */
void input_check_required(struct input *in, struct arena *a);
/* Record an error (also used by handlers for rules beyond one field's type). */
void input_error(struct input *in, struct arena *a, const char *field, const char *code, const char *message);

/* Accessors; asking for an undeclared field is a programming error (abort). */
const struct field_value *input_get(const struct input *in, const char *name);
int input_has(const struct input *in, const char *name);
int64_t input_int(const struct input *in, const char *name, int64_t dflt);
const char *input_str(const struct input *in, const char *name);

/* Percent-decode s[0..n) ('+' as space if plus is set) into the arena; NULL on a bad escape. */
char *url_decode(const char *s, size_t n, int plus, struct arena *a, size_t *outlen);

#endif
