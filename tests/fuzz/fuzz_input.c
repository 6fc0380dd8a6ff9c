/*
 * Fuzz target: declared input (src/http/input.c) for every field table of
 * the route table, from JSON bodies and from forms, and url_decode().
 *
 * Input: "METHOD PATTERN\nBODY", where "POST /api/v1/appeals" names a
 * route of the table (route names are not unique; these are) and its
 * fields are the declaration. Any other first line picks one of the
 * routes that declare fields by a hash of the line, so mutated lines
 * still reach every table. BODY is parsed as a JSON object and,
 * separately, as a form; then required fields are checked and every
 * declared field is read back through the accessors, as handlers do.
 */
#include "fuzz.h"
#include "http/router.h"
#include "input_check.h"

static int names_route(const struct route *rt, const char *line, size_t n)
{
	size_t ml = strlen(rt->method);
	return n == ml + 1 + strlen(rt->pattern) && !memcmp(line, rt->method, ml) && line[ml] == ' ' &&
	       !memcmp(line + ml + 1, rt->pattern, n - ml - 1);
}

static const struct route *pick_route(const char *name, size_t n)
{
	size_t with_fields = 0;
	for (size_t i = 0; i < route_count; i++) {
		if (!routes[i].fields)
			continue;
		with_fields++;
		if (names_route(&routes[i], name, n))
			return &routes[i];
	}
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	size_t k = h % with_fields;
	for (size_t i = 0; i < route_count; i++)
		if (routes[i].fields && k-- == 0)
			return &routes[i];
	abort(); /* cannot happen: k < with_fields */
}

static void parse_one(const struct field *fields, int json, const char *body, size_t n)
{
	struct arena a;
	struct input in;
	arena_init(&a);
	input_init(&in, fields, &a);
	if (json)
		input_parse_json(&in, body, n, &a);
	else
		input_parse_urlencoded(&in, body, n, &a);
	if (!in.nerrors)
		input_check_required(&in, &a);
	fuzz_check_input(&in);
	for (size_t i = 0; i < in.nfields; i++) {
		(void)input_int(&in, fields[i].name, 0);
		(void)input_str(&in, fields[i].name);
	}
	arena_release(&a);
}

/* url_decode: no escape left undecoded, never longer than its input. */
static void check_url_decode(const char *s, size_t n)
{
	struct arena a;
	arena_init(&a);
	for (int plus = 0; plus <= 1; plus++) {
		size_t len = 0;
		char *out = url_decode(s, n, plus, &a, &len);
		if (out && (len > n || out[len] != '\0'))
			fuzz_fail("url_decode gave %zu bytes for %zu", len, n);
		if (out && plus && !memchr(s, '%', n) && memchr(out, '+', len))
			fuzz_fail("url_decode left a '+' with plus set");
	}
	arena_release(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name;
	size_t nlen = fuzz_take(&data, &size, '\n', &name);
	const struct route *rt = pick_route(name, nlen);
	parse_one(rt->fields, 1, (const char *)data, size);
	parse_one(rt->fields, 0, (const char *)data, size);
	check_url_decode((const char *)data, size);
	return 0;
}
