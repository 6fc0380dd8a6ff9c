/* Per-thread request counters and their Prometheus rendering (metrics.h). */
#include "http/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "db/writer.h"
#include "http/router.h"

const int metric_status_codes[METRIC_STATUSES] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404,
						  405, 409, 413, 415, 422, 429, 431, 500, 502, 503, 0};
const double metric_bucket_bounds[METRIC_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
						     0.05,   0.1,     0.25,   0.5,   1.0,    2.5,   0};

void thread_metrics_init(struct thread_metrics *m)
{
	m->routes = xcalloc(route_count + 1, sizeof(*m->routes));
	atomic_init(&m->inflight, 0);
}

void thread_metrics_release(struct thread_metrics *m)
{
	free(m->routes);
	m->routes = NULL;
}

/* Only this thread writes the counter: a relaxed load and store is enough. */
static inline void bump(_Atomic uint64_t *c, uint64_t by)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + by, memory_order_relaxed);
}

void metrics_record(struct thread_metrics *m, size_t route, int status, uint64_t duration_us)
{
	struct route_metrics *rm = &m->routes[route];
	int si = METRIC_STATUSES - 1;
	for (int i = 0; i < METRIC_STATUSES - 1; i++)
		if (metric_status_codes[i] == status) {
			si = i;
			break;
		}
	bump(&rm->by_status[si], 1);
	double secs = (double)duration_us / 1e6;
	int b = METRIC_BUCKETS - 1;
	for (int i = 0; i < METRIC_BUCKETS - 1; i++)
		if (secs <= metric_bucket_bounds[i]) {
			b = i;
			break;
		}
	bump(&rm->latency[b], 1);
	bump(&rm->latency_sum_us, duration_us);
}

static uint64_t load(_Atomic uint64_t *c)
{
	return atomic_load_explicit(c, memory_order_relaxed);
}

static const char *route_label(size_t i)
{
	return i < route_count ? routes[i].name : "none";
}

void metrics_render(struct buf *out, struct thread_metrics *threads, size_t nthreads, const struct writer_stats *ws,
		    int64_t db_bytes)
{
	buf_adds(out, "# HELP qorgau_http_requests_total HTTP requests answered, by route and status.\n"
		      "# TYPE qorgau_http_requests_total counter\n");
	for (size_t r = 0; r <= route_count; r++) {
		for (int s = 0; s < METRIC_STATUSES; s++) {
			uint64_t n = 0;
			for (size_t t = 0; t < nthreads; t++)
				n += load(&threads[t].routes[r].by_status[s]);
			if (!n)
				continue;
			if (metric_status_codes[s])
				buf_printf(out, "qorgau_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n", route_label(r),
					   metric_status_codes[s], (unsigned long long)n);
			else
				buf_printf(out, "qorgau_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
					   route_label(r), (unsigned long long)n);
		}
	}
	buf_adds(out, "# HELP qorgau_http_request_duration_seconds Time from request to reply, by route.\n"
		      "# TYPE qorgau_http_request_duration_seconds histogram\n");
	for (size_t r = 0; r <= route_count; r++) {
		uint64_t total = 0, sum_us = 0, cum = 0;
		uint64_t buckets[METRIC_BUCKETS] = {0};
		for (size_t t = 0; t < nthreads; t++) {
			for (int b = 0; b < METRIC_BUCKETS; b++)
				buckets[b] += load(&threads[t].routes[r].latency[b]);
			sum_us += load(&threads[t].routes[r].latency_sum_us);
		}
		for (int b = 0; b < METRIC_BUCKETS; b++)
			total += buckets[b];
		if (!total)
			continue;
		for (int b = 0; b < METRIC_BUCKETS; b++) {
			cum += buckets[b];
			if (b == METRIC_BUCKETS - 1)
				buf_printf(out, "qorgau_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n",
					   route_label(r), (unsigned long long)cum);
			else
				buf_printf(out, "qorgau_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
					   route_label(r), metric_bucket_bounds[b], (unsigned long long)cum);
		}
		buf_printf(out, "qorgau_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n", route_label(r),
			   (double)sum_us / 1e6);
		buf_printf(out, "qorgau_http_request_duration_seconds_count{route=\"%s\"} %llu\n", route_label(r),
			   (unsigned long long)total);
	}
	uint64_t inflight = 0;
	for (size_t t = 0; t < nthreads; t++)
		inflight += load(&threads[t].inflight);
	buf_printf(out,
		   "# HELP qorgau_http_requests_in_flight Requests being handled now.\n"
		   "# TYPE qorgau_http_requests_in_flight gauge\nqorgau_http_requests_in_flight %llu\n",
		   (unsigned long long)inflight);
	if (ws) {
		static const char *const le[] = {"1", "2", "4", "8", "16", "32", "64", "128", "256", "512", "+Inf"};
		buf_printf(out,
			   "# HELP qorgau_writer_queue_depth Write jobs waiting for the writer.\n"
			   "# TYPE qorgau_writer_queue_depth gauge\nqorgau_writer_queue_depth %llu\n"
			   "# HELP qorgau_writer_jobs_total Write jobs run, and those that failed.\n"
			   "# TYPE qorgau_writer_jobs_total counter\nqorgau_writer_jobs_total %llu\n"
			   "# TYPE qorgau_writer_jobs_failed_total counter\nqorgau_writer_jobs_failed_total %llu\n"
			   "# HELP qorgau_writer_commits_failed_total Batches whose commit failed.\n"
			   "# TYPE qorgau_writer_commits_failed_total counter\nqorgau_writer_commits_failed_total %llu\n"
			   "# HELP qorgau_writer_batch_size Write jobs per group commit.\n"
			   "# TYPE qorgau_writer_batch_size histogram\n",
			   (unsigned long long)ws->queue_depth, (unsigned long long)ws->jobs,
			   (unsigned long long)ws->failed_jobs, (unsigned long long)ws->failed_commits);
		uint64_t cum = 0;
		for (int b = 0; b < 11; b++) {
			cum += ws->batch_hist[b];
			buf_printf(out, "qorgau_writer_batch_size_bucket{le=\"%s\"} %llu\n", le[b], (unsigned long long)cum);
		}
		buf_printf(out, "qorgau_writer_batch_size_sum %llu\nqorgau_writer_batch_size_count %llu\n",
			   (unsigned long long)ws->batch_sum, (unsigned long long)ws->batches);
	}
	if (db_bytes >= 0)
		buf_printf(out,
			   "# HELP qorgau_database_size_bytes Size of the database.\n"
			   "# TYPE qorgau_database_size_bytes gauge\nqorgau_database_size_bytes %lld\n",
			   (long long)db_bytes);
}
