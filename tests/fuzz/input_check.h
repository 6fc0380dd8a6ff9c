/*
 * What input.h promises about parsed values, checked after every parse by
 * fuzz_input and fuzz_router: a handler may rely on each of these, so an
 * input that breaks one is a bug even when nothing crashes.
 */
#ifndef QORGAU_TESTS_FUZZ_INPUT_CHECK_H
#define QORGAU_TESTS_FUZZ_INPUT_CHECK_H

#include "core/time.h"
#include "fuzz.h"
#include "http/input.h"
#include "text/utf8.h"

static inline int fuzz_enum_has(const struct field *f, const char *s)
{
	for (const char *const *v = f->values; v && *v; v++)
		if (!strcmp(*v, s))
			return 1;
	return 0;
}

/* Clean text: valid UTF-8, no C0 or C1 controls but those a field type allows, trimmed. */
static inline void fuzz_check_text(const struct field *f, const struct field_value *v)
{
	if (!v->s || strlen(v->s) != v->len || v->len == 0 || !utf8_valid(v->s, v->len))
		fuzz_fail("field '%s': text is missing, empty, of the wrong length or not UTF-8", f->name);
	if (f->type == FT_SECRET)
		return;
	size_t chars = utf8_length(v->s, v->len);
	if ((f->max && chars > (size_t)f->max) || (f->min && chars < (size_t)f->min))
		fuzz_fail("field '%s': %zu characters, outside [%lld, %lld]", f->name, chars, (long long)f->min,
			  (long long)f->max);
	for (size_t i = 0; i < v->len; i++) {
		unsigned char c = (unsigned char)v->s[i];
		int allowed = f->type == FT_TEXT && (c == '\n' || c == '\t');
		if ((c < 0x20 || c == 0x7f) && !allowed)
			fuzz_fail("field '%s': control byte 0x%02x at %zu", f->name, c, i);
		if (c == 0xc2 && i + 1 < v->len && (unsigned char)v->s[i + 1] < 0xa0)
			fuzz_fail("field '%s': C1 control at %zu", f->name, i);
	}
	char last = v->s[v->len - 1];
	if (last == ' ' || last == '\t' || last == '\n')
		fuzz_fail("field '%s': trailing white space", f->name);
	if (f->type == FT_LINE && (v->s[0] == ' ' || v->s[0] == '\t'))
		fuzz_fail("field '%s': leading white space", f->name);
}

static inline void fuzz_check_value(const struct field *f, const struct field_value *v)
{
	int y, m, d;
	switch (f->type) {
	case FT_INT:
		if (v->i < f->min || v->i > f->max)
			fuzz_fail("field '%s': %lld outside [%lld, %lld]", f->name, (long long)v->i, (long long)f->min,
				  (long long)f->max);
		break;
	case FT_ID:
		if (v->i < 1)
			fuzz_fail("field '%s': id %lld", f->name, (long long)v->i);
		break;
	case FT_LINE:
	case FT_TEXT:
	case FT_SECRET:
		fuzz_check_text(f, v);
		break;
	case FT_BOOL:
		if (v->i != 0 && v->i != 1)
			fuzz_fail("field '%s': boolean %lld", f->name, (long long)v->i);
		break;
	case FT_DATE:
		if (!v->s || date_parse(v->s, v->len, &y, &m, &d) < 0)
			fuzz_fail("field '%s': not a date", f->name);
		break;
	case FT_DATETIME:
		break; /* any instant */
	case FT_ENUM:
		if (!v->s || !fuzz_enum_has(f, v->s))
			fuzz_fail("field '%s': not one of its values", f->name);
		break;
	case FT_ID_LIST:
		if (f->max && v->count > (size_t)f->max)
			fuzz_fail("field '%s': %zu ids, more than %lld", f->name, v->count, (long long)f->max);
		for (size_t i = 0; i < v->count; i++)
			if (v->ids[i] < 1)
				fuzz_fail("field '%s': id %lld in the list", f->name, (long long)v->ids[i]);
		break;
	case FT_ENUM_LIST:
		for (size_t i = 0; i < v->count; i++)
			if (!fuzz_enum_has(f, v->strs[i]))
				fuzz_fail("field '%s': list item not one of its values", f->name);
		break;
	}
}

/* Every value present is valid for its declaration; errors are complete; accessors find every field. */
static inline void fuzz_check_input(const struct input *in)
{
	if (in->syntax_error && !in->nerrors)
		fuzz_fail("a syntax error without an error");
	for (size_t i = 0; i < in->nerrors; i++)
		if (!in->errors[i].code || !in->errors[i].message)
			fuzz_fail("error %zu has no code or no message", i);
	for (size_t i = 0; i < in->nfields; i++) {
		const struct field *f = &in->fields[i];
		const struct field_value *v = input_get(in, f->name);
		if (v->present && v == &in->v[i])
			fuzz_check_value(f, v);
		(void)input_has(in, f->name);
	}
}

#endif
