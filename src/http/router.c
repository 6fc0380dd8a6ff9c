/* Matching requests against the route table (router.h). */
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

enum seg_kind { SEG_LITERAL, SEG_ID, SEG_NAME };

struct segment {
	enum seg_kind kind;
	const char *text; /* literal text */
	size_t len;
};

struct compiled {
	int nseg;
	struct segment seg[ROUTE_MAX_SEGMENTS];
};

static struct compiled *compiled;

static void compile(const struct route *rt, struct compiled *c)
{
	const char *p = rt->pattern;
	if (*p != '/')
		goto bad;
	c->nseg = 0;
	if (p[1] == '\0')
		return; /* "/" has no segments */
	while (*p == '/') {
		p++;
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (c->nseg == ROUTE_MAX_SEGMENTS || len == 0)
			goto bad;
		struct segment *s = &c->seg[c->nseg++];
		if (p[0] == '{') {
			if (len == 4 && memcmp(p, "{id}", 4) == 0)
				s->kind = SEG_ID;
			else if (p[len - 1] == '}')
				s->kind = SEG_NAME;
			else
				goto bad;
		} else {
			s->kind = SEG_LITERAL;
			s->text = p;
			s->len = len;
		}
		p += len;
	}
	return;
bad:
	log_error("msg=\"malformed route pattern\" pattern=\"%s\"", rt->pattern);
	abort();
}

void router_init(void)
{
	if (compiled)
		return;
	compiled = calloc(route_count, sizeof(*compiled));
	if (!compiled)
		abort();
	for (size_t i = 0; i < route_count; i++)
		compile(&routes[i], &compiled[i]);
}

/* A safe name segment: letters, digits, '-', '_', '.', not starting with '.'. */
static int safe_name(const char *s, size_t n)
{
	if (n == 0 || n > 128 || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

static int parse_id(const char *s, size_t n, int64_t *out)
{
	if (n == 0 || n > 18 || s[0] == '0')
		return 0;
	int64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

/* Match path segments against one compiled pattern. */
static int match_path(const struct compiled *c, const char *path, size_t plen, struct arena *a, struct route_match *m)
{
	int seg = 0;
	size_t i = 0;
	m->nparams = 0;
	if (plen == 1 && path[0] == '/')
		return c->nseg == 0;
	while (i < plen) {
		if (path[i] != '/')
			return 0;
		i++;
		size_t start = i;
		while (i < plen && path[i] != '/')
			i++;
		size_t len = i - start;
		if (seg >= c->nseg)
			return 0;
		const struct segment *s = &c->seg[seg++];
		const char *p = path + start;
		switch (s->kind) {
		case SEG_LITERAL:
			if (len != s->len || memcmp(p, s->text, len) != 0)
				return 0;
			break;
		case SEG_ID:
			if (!parse_id(p, len, &m->ids[m->nparams]))
				return 0;
			m->strs[m->nparams++] = NULL;
			break;
		case SEG_NAME:
			if (!safe_name(p, len))
				return 0;
			m->ids[m->nparams] = 0;
			m->strs[m->nparams++] = arena_strndup(a, p, len);
			break;
		}
	}
	return seg == c->nseg;
}

enum route_match_result router_match(const char *method, size_t mlen, const char *path, size_t plen,
				     struct arena *a, struct route_match *m)
{
	int path_found = 0;
	int is_head = mlen == 4 && memcmp(method, "HEAD", 4) == 0;
	m->allow[0] = '\0';
	for (size_t i = 0; i < route_count; i++) {
		if (!match_path(&compiled[i], path, plen, a, m))
			continue;
		const char *rm = routes[i].method;
		if ((strlen(rm) == mlen && memcmp(rm, method, mlen) == 0) || (is_head && strcmp(rm, "GET") == 0)) {
			m->route = &routes[i];
			m->index = i;
			return MATCH_OK;
		}
		/* Collect the methods this path allows, for the Allow header. */
		if (!strstr(m->allow, rm)) {
			size_t used = strlen(m->allow);
			snprintf(m->allow + used, sizeof(m->allow) - used, "%s%s", used ? ", " : "", rm);
			if (!strcmp(rm, "GET") && !strstr(m->allow, "HEAD")) {
				used = strlen(m->allow);
				snprintf(m->allow + used, sizeof(m->allow) - used, ", HEAD");
			}
		}
		path_found = 1;
	}
	return path_found ? MATCH_NO_METHOD : MATCH_NO_PATH;
}
