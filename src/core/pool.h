/*
 * A small pool of threads for CPU-heavy work that must not run on an event
 * loop (password hashing). Jobs run in any order; each job's notify is
 * called on the pool thread when it is done and must only hand the job
 * back to its owner.
 */
#ifndef QORGAU_CORE_POOL_H
#define QORGAU_CORE_POOL_H

struct pool_job {
	void (*run)(struct pool_job *job);
	void (*notify)(struct pool_job *job);
	void *arg;
	struct pool_job *next; /* private */
};

struct pool;

struct pool *pool_start(int threads);
void pool_submit(struct pool *p, struct pool_job *job);
/* Finish every queued job, then stop the threads. */
void pool_stop(struct pool *p);

#endif
