/* GET /healthz (no database work: the benchmark floor) and GET /metrics. */
#include <string.h>

#include "api/api.h"
#include "http/server.h"

void api_healthz(struct request *r)
{
	static const char ok[] = "{\"status\":\"ok\"}";
	buf_add(&r->body, ok, sizeof(ok) - 1);
	respond_json(r, 200);
}

void api_metrics(struct request *r)
{
	struct server *s = r->w->server;
	struct writer_stats ws;
	writer_get_stats(s->writer, &ws);
	int64_t bytes = -1;
	if (db_size_bytes(request_db(r), &bytes) != DB_OK)
		bytes = -1;
	struct thread_metrics tm[256];
	int n = s->nworkers < 256 ? s->nworkers : 256;
	for (int i = 0; i < n; i++)
		tm[i] = s->workers[i].metrics;
	metrics_render(&r->body, tm, (size_t)n, &ws, bytes);
	respond(r, 200, "text/plain; version=0.0.4; charset=utf-8");
}
