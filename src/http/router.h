/*
 * The route table: every URL the program answers is one entry here, with
 * its method, path pattern, handler, required permission and declared
 * input fields. Nothing is reachable that the table does not list, and the
 * access-control tests are generated from the same table.
 *
 * Patterns are literal segments and typed parameters:
 *   /api/v1/appeals/{id}      {id} is an integer id >= 1
 *   /static/{file}            {file} is one safe path segment
 */
#ifndef QORGAU_HTTP_ROUTER_H
#define QORGAU_HTTP_ROUTER_H

#include <stddef.h>
#include <stdint.h>

#include "domain/authz.h"
#include "http/input.h"

struct request;

typedef void (*route_handler)(struct request *r);

enum {
	ROUTE_API = 1 << 0,       /* JSON in and out; errors in the API's JSON form */
	ROUTE_FORM = 1 << 1,      /* accepts an application/x-www-form-urlencoded body */
	ROUTE_JSON = 1 << 2,      /* accepts an application/json body */
	ROUTE_NO_CSRF = 1 << 3,   /* a write that needs no CSRF token (login itself) */
	ROUTE_NO_LOG = 1 << 4,    /* no request log line (static assets) */
	ROUTE_RAW_BODY = 1 << 5,  /* the handler reads the body itself (file uploads) */
	ROUTE_BEFORE_PASSWORD = 1 << 6, /* usable while the user must still change a one-time password */
};

enum { ROUTE_MAX_PARAMS = 4, ROUTE_MAX_SEGMENTS = 8 };

struct route {
	const char *method;
	const char *pattern;
	route_handler handler;
	struct perm perm;
	const struct field *fields; /* query (GET) or body fields; NULL = none accepted */
	unsigned flags;
	const char *name; /* for metrics and logs */
};

extern const struct route routes[];
extern const size_t route_count;

enum route_match_result { MATCH_OK, MATCH_NO_PATH, MATCH_NO_METHOD };

struct route_match {
	const struct route *route;
	size_t index;
	int nparams;
	int64_t ids[ROUTE_MAX_PARAMS];
	const char *strs[ROUTE_MAX_PARAMS]; /* for non-id parameters, in the arena */
	char allow[64];                     /* for 405: the methods the path has */
};

/* Check the table once at start-up; aborts on a malformed pattern (a programming error). */
void router_init(void);
/* Match method and path (no query string). HEAD matches GET routes. */
enum route_match_result router_match(const char *method, size_t mlen, const char *path, size_t plen,
				     struct arena *a, struct route_match *m);

#endif
