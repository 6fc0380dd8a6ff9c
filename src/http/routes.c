/*
 * The route table: every URL the program answers (router.h). Keep related
 * routes together; the access-matrix test walks this table.
 */
#include "api/api.h"
#include "http/router.h"

#define API (ROUTE_API)
#define API_WRITE (ROUTE_API | ROUTE_JSON)

const struct route routes[] = {
	{"GET", "/healthz", api_healthz, PERM(READ, PUBLIC), NULL, API | ROUTE_NO_LOG, "healthz"},
	{"GET", "/metrics", api_metrics, PERM(READ, METRICS), NULL, API | ROUTE_NO_LOG, "metrics"},

	{"GET", "/api/v1/districts", api_districts_list, PERM(READ, DISTRICT), NULL, API, "districts.list"},
	{"POST", "/api/v1/districts", api_district_create, PERM(CREATE, DISTRICT), district_fields, API_WRITE,
	 "districts.create"},
	{"GET", "/api/v1/districts/{id}", api_district_get, PERM(READ, DISTRICT), NULL, API, "districts.get"},
};

const size_t route_count = sizeof(routes) / sizeof(routes[0]);
