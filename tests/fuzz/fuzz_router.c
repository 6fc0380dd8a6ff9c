/*
 * Fuzz target: a request line and body through the route table, as
 * request_handle() and parse_input() in src/http/request.c take them.
 *
 * Input: "METHOD TARGET\nBODY". TARGET is the path as sent, with an
 * optional query string after the first '?'. When a route matches, the
 * query string and (for writes) the body are parsed against its declared
 * fields: JSON for JSON routes, a form for form routes, as if sent with the
 * right Content-Type.
 */
#include "fuzz.h"
#include "http/router.h"
#include "input_check.h"

/* What router.h promises about a match. */
static void check_match(const struct route_match *m, const char *method, size_t mlen)
{
	const struct route *rt = m->route;
	if (m->index >= route_count || rt != &routes[m->index])
		fuzz_fail("the match is not an entry of the table");
	int is_head = mlen == 4 && !memcmp(method, "HEAD", 4);
	if (!(strlen(rt->method) == mlen && !memcmp(rt->method, method, mlen)) && !(is_head && !strcmp(rt->method, "GET")))
		fuzz_fail("route %s matched method '%.*s'", rt->name, (int)mlen, method);
	int params = 0;
	for (const char *p = rt->pattern; *p; p++)
		params += *p == '{';
	if (m->nparams != params)
		fuzz_fail("route %s: %d parameters, pattern has %d", rt->name, m->nparams, params);
	for (int i = 0; i < m->nparams; i++) {
		if (m->strs[i] ? m->strs[i][0] == '.' || strchr(m->strs[i], '/') != NULL : m->ids[i] < 1)
			fuzz_fail("route %s: parameter %d is not a safe name or an id >= 1", rt->name, i);
	}
}

/* parse_input() of request.c, without the answering. */
static void parse_like_request(const struct route *rt, const char *method, size_t mlen, const char *query, size_t qlen,
			       const char *body, size_t blen, struct arena *a)
{
	struct input in;
	int is_get = (mlen == 3 && !memcmp(method, "GET", 3)) || (mlen == 4 && !memcmp(method, "HEAD", 4));
	input_init(&in, rt->fields, a);
	if (qlen)
		input_parse_urlencoded(&in, query, qlen, a);
	if (!is_get && !(rt->flags & ROUTE_RAW_BODY)) {
		if (rt->flags & ROUTE_JSON)
			input_parse_json(&in, body, blen, a);
		else if (rt->flags & ROUTE_FORM)
			input_parse_urlencoded(&in, body, blen, a);
	}
	if (!in.nerrors)
		input_check_required(&in, a);
	fuzz_check_input(&in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line, *method, *target;
	size_t llen = fuzz_take(&data, &size, '\n', &line);
	const uint8_t *lp = (const uint8_t *)line;
	size_t lrest = llen;
	size_t mlen = fuzz_take(&lp, &lrest, ' ', &method);
	size_t tlen = fuzz_take(&lp, &lrest, '\n', &target);
	/* h2o hands over the target as sent; the query starts at its first '?'. */
	const char *q = memchr(target, '?', tlen);
	size_t plen = q ? (size_t)(q - target) : tlen;

	router_init();
	struct arena a;
	struct route_match m;
	arena_init(&a);
	memset(&m, 0, sizeof(m));
	switch (router_match(method, mlen, target, plen, &a, &m)) {
	case MATCH_OK:
		check_match(&m, method, mlen);
		parse_like_request(m.route, method, mlen, q ? q + 1 : NULL, q ? tlen - plen - 1 : 0, (const char *)data,
				   size, &a);
		break;
	case MATCH_NO_METHOD:
		if (!m.allow[0] || strlen(m.allow) >= sizeof(m.allow))
			fuzz_fail("405 without an Allow list");
		break;
	case MATCH_NO_PATH:
		break;
	}
	arena_release(&a);
	return 0;
}
