/*
 * Request metrics, kept per event-loop thread without locks (each counter
 * has one writer, its own thread; the /metrics handler sums them with
 * relaxed atomic loads) and written out in the Prometheus text format.
 */
#ifndef QORGAU_HTTP_METRICS_H
#define QORGAU_HTTP_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Status codes counted separately; anything else counts as "other". */
enum { METRIC_STATUSES = 22, METRIC_BUCKETS = 15 };

extern const int metric_status_codes[METRIC_STATUSES];
extern const double metric_bucket_bounds[METRIC_BUCKETS]; /* seconds; the last is +Inf */

struct route_metrics {
	_Atomic uint64_t by_status[METRIC_STATUSES];
	_Atomic uint64_t latency[METRIC_BUCKETS];
	_Atomic uint64_t latency_sum_us;
};

struct thread_metrics {
	struct route_metrics *routes; /* route_count + 1: the last is "no route" */
	_Atomic uint64_t inflight;
};

void thread_metrics_init(struct thread_metrics *m);
void thread_metrics_release(struct thread_metrics *m);
/* Count one finished request (route index route_count for unmatched). */
void metrics_record(struct thread_metrics *m, size_t route, int status, uint64_t duration_us);

struct writer_stats;
/* Write everything in Prometheus text format. */
void metrics_render(struct buf *out, struct thread_metrics *threads, size_t nthreads, const struct writer_stats *ws,
		    int64_t db_bytes);

#endif
