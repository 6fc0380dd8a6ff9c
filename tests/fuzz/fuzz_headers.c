/*
 * Fuzz target: the request headers we parse ourselves: Cookie (cookie_get
 * in src/http/cookie.c, for the session, language and sign-in cookies) and
 * Accept-Language (page_choose_language in src/web/page.c).
 *
 * Input: header lines "name: value", one per line, as h2o hands them over
 * (names lowercased, the spaces after the colon dropped). Only the first
 * header of a name counts, as with request_header().
 */
#include <ctype.h>
#include <h2o.h>

#include "core/i18n.h"
#include "fuzz.h"
#include "http/cookie.h"
#include "http/request.h"
#include "web/page.h"

static void add_headers(h2o_req_t *req, const uint8_t *data, size_t size)
{
	while (size) {
		const char *line;
		size_t n = fuzz_take(&data, &size, '\n', &line);
		const char *colon = memchr(line, ':', n);
		if (!colon || colon == line)
			continue;
		size_t nlen = (size_t)(colon - line);
		char *name = h2o_mem_alloc_pool(&req->pool, nlen);
		for (size_t i = 0; i < nlen; i++)
			name[i] = (char)h2o_tolower(line[i]);
		const char *value = colon + 1;
		size_t vlen = n - nlen - 1;
		while (vlen && (*value == ' ' || *value == '\t'))
			value++, vlen--;
		h2o_add_header_by_str(&req->pool, &req->headers, name, nlen, 1, NULL, value, vlen);
	}
}

/* A value cookie_get returns is a token of 1 to 128 bytes inside the header, right after "name=". */
static void check_cookie(struct request *r, const char *name)
{
	size_t hlen = 0, len = 0;
	const char *h = request_header(r, "cookie", &hlen);
	const char *v = cookie_get(r, name, &len);
	if (!v)
		return;
	size_t nlen = strlen(name);
	if (!h || v < h + nlen + 1 || v + len > h + hlen || len == 0 || len > 128)
		fuzz_fail("cookie %s: value outside the header or of length %zu", name, len);
	if (memcmp(v - nlen - 1, name, nlen) != 0 || v[-1] != '=')
		fuzz_fail("cookie %s: value not after its name", name);
	for (size_t i = 0; i < len; i++)
		if (!(isalnum((unsigned char)v[i]) || v[i] == '-' || v[i] == '_'))
			fuzz_fail("cookie %s: byte 0x%02x in the value", name, (unsigned char)v[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	h2o_req_t *req = calloc(1, sizeof(*req));
	struct request r;
	if (!req)
		abort();
	h2o_mem_init_pool(&req->pool);
	add_headers(req, data, size);
	memset(&r, 0, sizeof(r));
	r.req = req;
	arena_init(&r.arena);

	check_cookie(&r, SESSION_COOKIE);
	check_cookie(&r, LANG_COOKIE);
	check_cookie(&r, PRELOGIN_COOKIE);
	page_choose_language(&r);
	if (r.lang >= LANG_COUNT)
		fuzz_fail("language %d", (int)r.lang);

	arena_release(&r.arena);
	h2o_mem_clear_pool(&req->pool);
	free(req);
	return 0;
}
