/* JSON endpoint handlers, one file per resource; the route table names them. */
#ifndef QORGAU_API_API_H
#define QORGAU_API_API_H

#include "http/request.h"

/* health.c */
void api_healthz(struct request *r);
void api_metrics(struct request *r);

/* districts.c */
extern const struct field district_fields[];
void api_districts_list(struct request *r);
void api_district_get(struct request *r);
void api_district_create(struct request *r);

#endif
