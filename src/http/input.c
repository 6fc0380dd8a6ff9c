/* Parsing query strings, form bodies and JSON bodies into declared, typed fields (input.h). */
#include "http/input.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "text/utf8.h"

int input_local_offset = 5 * 3600;

void input_init(struct input *in, const struct field *fields, struct arena *a)
{
	memset(in, 0, sizeof(*in));
	in->fields = fields;
	if (fields)
		while (fields[in->nfields].name)
			in->nfields++;
	in->v = arena_zalloc(a, (in->nfields ? in->nfields : 1) * sizeof(*in->v));
}

int input_is_syntax(const char *code)
{
	return !strcmp(code, "unknown_field") || !strcmp(code, "duplicate_field") || !strcmp(code, "invalid_json") ||
	       !strcmp(code, "invalid_encoding");
}

void input_error(struct input *in, struct arena *a, const char *field, const char *code, const char *message)
{
	if (input_is_syntax(code))
		in->syntax_error = 1;
	if (in->nerrors >= INPUT_MAX_ERRORS)
		return;
	/* Keep the first error per field: it is the one a person needs to fix first. */
	for (size_t i = 0; field && i < in->nerrors; i++)
		if (in->errors[i].field && strcmp(in->errors[i].field, field) == 0)
			return;
	in->errors = arena_grow_array(a, in->errors, in->nerrors, &in->caperrors, sizeof(*in->errors));
	struct input_error *e = &in->errors[in->nerrors++];
	e->field = field ? arena_strdup(a, field) : NULL;
	e->code = code;
	e->message = message;
	e->limit = 0;
}

static int find_field(const struct input *in, const char *name, size_t n)
{
	for (size_t i = 0; i < in->nfields; i++)
		if (strlen(in->fields[i].name) == n && memcmp(in->fields[i].name, name, n) == 0)
			return (int)i;
	return -1;
}

const struct field_value *input_get(const struct input *in, const char *name)
{
	int i = find_field(in, name, strlen(name));
	if (i < 0) {
		log_error("msg=\"handler asked for an undeclared field\" field=%s", name);
		abort();
	}
	return &in->v[i];
}

int input_has(const struct input *in, const char *name)
{
	return input_get(in, name)->present;
}

int64_t input_int(const struct input *in, const char *name, int64_t dflt)
{
	const struct field_value *v = input_get(in, name);
	return v->present ? v->i : dflt;
}

const char *input_str(const struct input *in, const char *name)
{
	const struct field_value *v = input_get(in, name);
	return v->present ? v->s : NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *url_decode(const char *s, size_t n, int plus, struct arena *a, size_t *outlen)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			out[o++] = ' ';
		} else {
			out[o++] = c;
		}
	}
	out[o] = '\0';
	if (outlen)
		*outlen = o;
	return out;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM] → Unix seconds. */
static int datetime_parse(const char *s, size_t n, int64_t *out)
{
	int y, mo, d, h, mi, sec = 0, off = input_local_offset;
	if (n < 16 || date_parse(s, 10, &y, &mo, &d) < 0 || (s[10] != 'T' && s[10] != ' ') || s[13] != ':')
		return -1;
	if (digits(s + 11, 2, &h) < 0 || digits(s + 14, 2, &mi) < 0 || h > 23 || mi > 59)
		return -1;
	size_t i = 16;
	if (i < n && s[i] == ':') {
		if (n < 19 || digits(s + 17, 2, &sec) < 0 || sec > 59)
			return -1;
		i = 19;
		if (i < n && s[i] == '.') { /* fractions are dropped */
			i++;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
		}
	}
	if (i < n) {
		if (s[i] == 'Z' || s[i] == 'z') {
			off = 0;
			i++;
		} else if (s[i] == '+' || s[i] == '-') {
			int oh, om;
			if (n - i != 6 || s[i + 3] != ':' || digits(s + i + 1, 2, &oh) < 0 || digits(s + i + 4, 2, &om) < 0 ||
			    oh > 14 || om > 59)
				return -1;
			off = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
			i += 6;
		}
	}
	if (i != n)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return 0;
}

static int parse_int_text(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 19)
		return -1;
	size_t i = 0;
	int neg = 0;
	if (s[0] == '-') {
		neg = 1;
		i = 1;
		if (n == 1)
			return -1;
	}
	int64_t v = 0;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return -1; /* beyond any range a field allows */
		v = v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return 0;
}

/* Check text and bring it to canonical form: NFC, controls refused, lines trimmed. */
static int clean_text(const struct field *f, const char *s, size_t n, struct arena *a, const char **out, size_t *outlen,
		      const char **code, const char **why)
{
	if (!utf8_valid(s, n)) {
		*code = "invalid_encoding";
		*why = "text must be UTF-8";
		return -1;
	}
	if (f->type == FT_SECRET) {
		if (memchr(s, '\0', n)) {
			*code = "invalid";
			*why = "must not contain NUL";
			return -1;
		}
		*out = arena_strndup(a, s, n);
		*outlen = n;
		return 0;
	}
	int ascii = 1;
	char *tmp = arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80)
			ascii = 0;
		if (c == '\r' && f->type == FT_TEXT) {
			if (i + 1 < n && s[i + 1] == '\n')
				continue;
			c = '\n';
		}
		if (c < 0x20 || c == 0x7f) {
			if (!(f->type == FT_TEXT && (c == '\n' || c == '\t'))) {
				*code = "invalid";
				*why = f->type == FT_LINE ? "must be one line without control characters"
							  : "must not contain control characters";
				return -1;
			}
		}
		/* C1 controls (U+0080–U+009F) are two bytes: C2 80–C2 9F. */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0) {
			*code = "invalid";
			*why = "must not contain control characters";
			return -1;
		}
		tmp[o++] = (char)c;
	}
	tmp[o] = '\0';
	const char *t = tmp;
	size_t tl = o;
	if (!ascii) {
		utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)tmp);
		if (!nfc) {
			*code = "invalid_encoding";
			*why = "text could not be normalised";
			return -1;
		}
		t = arena_strdup(a, (const char *)nfc);
		tl = strlen(t);
		free(nfc);
	}
	/* Trim whitespace at both ends: spaces (lines), blank lines too (texts). */
	while (tl && (t[tl - 1] == ' ' || t[tl - 1] == '\t' || t[tl - 1] == '\n'))
		tl--;
	while (tl && (*t == ' ' || *t == '\t' || (f->type == FT_TEXT && *t == '\n')))
		t++, tl--;
	*out = arena_strndup(a, t, tl);
	*outlen = tl;
	return 0;
}

static int enum_ok(const struct field *f, const char *s)
{
	for (const char *const *v = f->values; v && *v; v++)
		if (strcmp(*v, s) == 0)
			return 1;
	return 0;
}


/*
 * Set one value from text (forms, query strings, JSON strings). For lists
 * the value is appended.
 */
static void set_from_text(struct input *in, struct arena *a, int idx, const char *s, size_t n)
{
	const struct field *f = &in->fields[idx];
	struct field_value *v = &in->v[idx];
	const char *code = "invalid", *why = NULL;
	int64_t iv;

	int is_list = f->type == FT_ID_LIST || f->type == FT_ENUM_LIST;
	if (f->type != FT_SECRET && !v->raw && n <= 100000)
		v->raw = arena_strndup(a, s, n);
	if (v->present && !is_list) {
		input_error(in, a, f->name, "duplicate_field", "the field is given more than once");
		return;
	}
	switch (f->type) {
	case FT_INT:
	case FT_ID: {
		int64_t lo = f->type == FT_ID ? 1 : f->min, hi = f->type == FT_ID ? INT64_MAX : f->max;
		if (n == 0)
			return; /* empty form input: absent */
		if (parse_int_text(s, n, &iv) < 0) {
			input_error(in, a, f->name, "invalid", "must be a whole number");
			return;
		}
		if (iv < lo || iv > hi) {
			input_error(in, a, f->name, "out_of_range",
				    arena_printf(a, "must be from %lld to %lld", (long long)lo, (long long)hi));
			return;
		}
		v->i = iv;
		break;
	}
	case FT_LINE:
	case FT_TEXT:
	case FT_SECRET: {
		const char *t;
		size_t tl;
		if (clean_text(f, s, n, a, &t, &tl, &code, &why) < 0) {
			input_error(in, a, f->name, code, why);
			return;
		}
		if (tl == 0)
			return; /* empty: absent */
		size_t chars = utf8_length(t, tl);
		if (f->max && chars > (size_t)f->max) {
			input_error(in, a, f->name, "too_long", arena_printf(a, "must be at most %lld characters", (long long)f->max));
			return;
		}
		if (f->min && chars < (size_t)f->min) {
			input_error(in, a, f->name, "too_short", arena_printf(a, "must be at least %lld characters", (long long)f->min));
			return;
		}
		v->s = t;
		v->len = tl;
		break;
	}
	case FT_BOOL: {
		static const char *const yes[] = {"1", "true", "on", "yes"};
		static const char *const no[] = {"0", "false", "off", "no"};
		int found = 0;
		for (size_t i = 0; i < 4 && !found; i++) {
			if (strlen(yes[i]) == n && memcmp(s, yes[i], n) == 0)
				v->i = 1, found = 1;
			else if (strlen(no[i]) == n && memcmp(s, no[i], n) == 0)
				v->i = 0, found = 1;
		}
		if (!found) {
			input_error(in, a, f->name, "invalid", "must be true or false");
			return;
		}
		break;
	}
	case FT_DATE: {
		int y, m, d;
		if (n == 0)
			return;
		if (date_parse(s, n, &y, &m, &d) < 0) {
			input_error(in, a, f->name, "invalid_date", "must be a date, YYYY-MM-DD");
			return;
		}
		v->s = arena_strndup(a, s, n);
		v->len = n;
		break;
	}
	case FT_DATETIME:
		if (n == 0)
			return;
		if (datetime_parse(s, n, &iv) < 0) {
			input_error(in, a, f->name, "invalid_datetime", "must be a date and time, YYYY-MM-DDTHH:MM");
			return;
		}
		v->i = iv;
		break;
	case FT_ENUM:
	case FT_ENUM_LIST: {
		if (n == 0)
			return;
		char *t = arena_strndup(a, s, n);
		if (memchr(s, '\0', n) || !enum_ok(f, t)) {
			input_error(in, a, f->name, "invalid_choice", "is not one of the allowed values");
			return;
		}
		if (f->type == FT_ENUM) {
			v->s = t;
			v->len = n;
		} else {
			/* Each value once: a list is then never longer than its choices. */
			for (size_t k = 0; k < v->count; k++)
				if (!strcmp(v->strs[k], t)) {
					input_error(in, a, f->name, "duplicate_value", "names a value twice");
					return;
				}
			v->strs = arena_grow_array(a, (void *)v->strs, v->count, &v->cap, sizeof(*v->strs));
			v->strs[v->count++] = t;
		}
		break;
	}
	case FT_ID_LIST: {
		if (n == 0)
			return;
		if (parse_int_text(s, n, &iv) < 0 || iv < 1) {
			input_error(in, a, f->name, "invalid", "must be a list of ids");
			return;
		}
		if (f->max && v->count >= (size_t)f->max) {
			input_error(in, a, f->name, "too_many", arena_printf(a, "must have at most %lld items", (long long)f->max));
			return;
		}
		v->ids = arena_grow_array(a, v->ids, v->count, &v->cap, sizeof(*v->ids));
		v->ids[v->count++] = iv;
		break;
	}
	}
	v->present = 1;
}

void input_parse_urlencoded(struct input *in, const char *s, size_t n, struct arena *a)
{
	size_t i = 0;
	while (i < n && in->nerrors < INPUT_MAX_ERRORS) {
		size_t end = i;
		while (end < n && s[end] != '&')
			end++;
		if (end > i) {
			const char *eq = memchr(s + i, '=', end - i);
			size_t klen = eq ? (size_t)(eq - (s + i)) : end - i;
			size_t keylen, vallen;
			char *key = url_decode(s + i, klen, 1, a, &keylen);
			char *val = eq ? url_decode(eq + 1, (size_t)(s + end - eq - 1), 1, a, &vallen) : arena_strdup(a, "");
			if (!eq)
				vallen = 0;
			if (!key || !val) {
				input_error(in, a, NULL, "invalid_encoding", "a field has a bad %-escape");
				return;
			}
			if (keylen == 5 && !memcmp(key, "_csrf", 5)) {
				in->csrf = val;
				i = end + 1;
				continue;
			}
			int idx = memchr(key, '\0', keylen) ? -1 : find_field(in, key, keylen);
			if (idx < 0) {
				/* Only printable names are quoted back. */
				int printable = keylen <= 64 && utf8_valid(key, keylen);
				for (size_t k = 0; printable && k < keylen; k++)
					if ((unsigned char)key[k] < 0x20)
						printable = 0;
				input_error(in, a, printable ? key : NULL, "unknown_field", "this field is not accepted here");
			} else {
				set_from_text(in, a, idx, val, vallen);
			}
		}
		i = end + 1;
	}
}

static void walk_value(struct input *in, struct arena *a, const char *name, json_t *val, int depth);

static void walk_object(struct input *in, struct arena *a, const char *prefix, json_t *obj, int depth)
{
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val)
	{
		if (in->nerrors >= INPUT_MAX_ERRORS)
			return;
		char *name = prefix ? arena_printf(a, "%s.%s", prefix, key) : arena_strdup(a, key);
		walk_value(in, a, name, val, depth);
	}
}

/* Whether some declared field's name starts with prefix followed by a dot. */
static int fields_under(const struct input *in, const char *prefix)
{
	size_t plen = strlen(prefix);
	for (size_t i = 0; i < in->nfields; i++)
		if (strncmp(in->fields[i].name, prefix, plen) == 0 && in->fields[i].name[plen] == '.')
			return 1;
	return 0;
}

/*
 * A list of objects fills indexed names: "mentors": [{"name": …}] gives
 * "mentors.0.name", as a form posts it; items beyond the declared ones are
 * an error.
 */
static void walk_list(struct input *in, struct arena *a, const char *name, json_t *val, int depth)
{
	size_t i;
	json_t *item;
	json_array_foreach(val, i, item)
	{
		char *prefix = arena_printf(a, "%s.%zu", name, i);
		if (!fields_under(in, prefix)) {
			input_error(in, a, name, "too_many", "has too many items");
			return;
		}
		if (!json_is_object(item)) {
			input_error(in, a, name, "invalid_type", "has an item of the wrong type");
			return;
		}
		walk_object(in, a, prefix, item, depth + 1);
	}
}

static void walk_value(struct input *in, struct arena *a, const char *name, json_t *val, int depth)
{
	int idx = find_field(in, name, strlen(name));
	if (idx < 0) {
		/* An object is fine if some declared field lives under it; a list if its items do. */
		int list = depth < 2 && fields_under(in, arena_printf(a, "%s.0", name));
		if (json_is_array(val) && list) {
			walk_list(in, a, name, val, depth);
			return;
		}
		if (list && !json_is_null(val)) {
			input_error(in, a, name, "invalid_type", "must be a list");
			return;
		}
		if (depth < 3 && fields_under(in, name)) {
			/* An object of declared fields: null is absent, as for any field; anything else is the wrong type. */
			if (json_is_object(val))
				walk_object(in, a, name, val, depth + 1);
			else if (!json_is_null(val))
				input_error(in, a, name, "invalid_type", "must be an object");
			return;
		}
		input_error(in, a, strlen(name) <= 64 && utf8_valid(name, strlen(name)) ? name : NULL, "unknown_field",
			    "this field is not accepted here");
		return;
	}
	const struct field *f = &in->fields[idx];
	char tmp[32];
	switch (json_typeof(val)) {
	case JSON_NULL:
		return; /* null: absent */
	case JSON_STRING:
		if (f->type == FT_INT || f->type == FT_ID || f->type == FT_BOOL || f->type == FT_ID_LIST) {
			input_error(in, a, f->name, "invalid_type",
				    f->type == FT_BOOL ? "must be true or false" : "must be a number, not a string");
			return;
		}
		set_from_text(in, a, idx, json_string_value(val), json_string_length(val));
		return;
	case JSON_INTEGER:
		if (f->type != FT_INT && f->type != FT_ID && f->type != FT_ID_LIST) {
			input_error(in, a, f->name, "invalid_type", "must be a string");
			return;
		}
		snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(val));
		set_from_text(in, a, idx, tmp, strlen(tmp));
		return;
	case JSON_TRUE:
	case JSON_FALSE:
		if (f->type != FT_BOOL) {
			input_error(in, a, f->name, "invalid_type", "must not be true or false");
			return;
		}
		set_from_text(in, a, idx, json_is_true(val) ? "true" : "false", json_is_true(val) ? 4 : 5);
		return;
	case JSON_ARRAY: {
		if (f->type != FT_ID_LIST && f->type != FT_ENUM_LIST) {
			input_error(in, a, f->name, "invalid_type", "must not be a list");
			return;
		}
		size_t i;
		json_t *item;
		in->v[idx].present = 1; /* an empty list is still given */
		json_array_foreach(val, i, item)
		{
			if (f->type == FT_ID_LIST && json_is_integer(item)) {
				snprintf(tmp, sizeof(tmp), "%lld", (long long)json_integer_value(item));
				set_from_text(in, a, idx, tmp, strlen(tmp));
			} else if (f->type == FT_ENUM_LIST && json_is_string(item)) {
				set_from_text(in, a, idx, json_string_value(item), json_string_length(item));
			} else {
				input_error(in, a, f->name, "invalid_type", "has an item of the wrong type");
				return;
			}
		}
		return;
	}
	default:
		input_error(in, a, f->name, "invalid_type", "has the wrong type");
		return;
	}
}

void input_parse_json(struct input *in, const char *s, size_t n, struct arena *a)
{
	json_error_t err;
	json_t *root = json_loadb(s, n, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		input_error(in, a, NULL, "invalid_json", arena_printf(a, "the body is not valid JSON: %s", err.text));
		return;
	}
	if (!json_is_object(root)) {
		input_error(in, a, NULL, "invalid_json", "the body must be a JSON object");
		json_decref(root);
		return;
	}
	walk_object(in, a, NULL, root, 0);
	json_decref(root);
}

void input_check_required(struct input *in, struct arena *a)
{
	for (size_t i = 0; i < in->nfields; i++)
		if ((in->fields[i].flags & F_REQUIRED) && !in->v[i].present)
			input_error(in, a, in->fields[i].name, "required", "is required");
}
