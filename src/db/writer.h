/*
 * The writer: one thread that owns the write connection and commits every
 * write of the process in batches (group commit).
 *
 * Submitters hand it a struct write_job. The writer takes every job queued
 * while its previous commit ran, opens one transaction, runs each job in its
 * own savepoint (a job that fails is rolled back alone and gets its own
 * status; the rest still commit), commits once, and only then calls each
 * job's notify callback. So a job's notify means: durable, or failed with
 * job->status saying why.
 *
 * notify runs on the writer thread; it must only hand the job back to its
 * owner (e.g. post a message to an event loop) and never block.
 */
#ifndef QORGAU_DB_WRITER_H
#define QORGAU_DB_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct write_job;

/* Runs inside the batch transaction; returns DB_OK or a status. */
typedef int (*write_run_fn)(struct db *db, struct write_job *job);
/* Called once the job's fate is known (after commit, or after failure). */
typedef void (*write_notify_fn)(struct write_job *job);

struct write_job {
	write_run_fn run;
	write_notify_fn notify;
	void *arg;
	int status; /* set by the writer before notify */
	/* private */
	struct write_job *next;
};

struct writer_stats {
	uint64_t batches;
	uint64_t jobs;
	uint64_t failed_jobs;
	uint64_t failed_commits;
	uint64_t queue_depth;
	/* batch size histogram: counts of batches with size <= 1, 2, 4, … 512, +inf */
	uint64_t batch_hist[11];
	uint64_t batch_sum;
};

struct writer;

/* Start the writer on an open write connection (the writer owns it now). */
struct writer *writer_start(struct db *db, int batch_max);
/* Queue a job; never blocks on the database. */
void writer_submit(struct writer *w, struct write_job *job);
/* Finish every queued job, stop the thread and close the connection. */
void writer_stop(struct writer *w);
void writer_get_stats(struct writer *w, struct writer_stats *out);

/*
 * Run one job now in its own transaction on db, on the calling thread
 * (command-line tools). Returns the job's status; notify is not called.
 */
int writer_run_now(struct db *db, struct write_job *job);

#endif
