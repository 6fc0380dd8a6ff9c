/* The group-committing writer thread (writer.h). */
#include "db/writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"

struct writer {
	struct db *db;
	int batch_max;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct write_job *head, **tail;
	size_t queued;
	int stopping;
	struct writer_stats stats;
};

static int hist_bucket(size_t n)
{
	int b = 0;
	size_t limit = 1;
	while (b < 10 && n > limit) {
		limit *= 2;
		b++;
	}
	return n > 512 ? 10 : b;
}

/* Run a batch in one transaction, each job in a savepoint. */
static void run_batch(struct writer *w, struct write_job *batch, size_t n)
{
	struct db *db = w->db;
	int rc = db_begin_write(db);
	for (struct write_job *j = batch; j; j = j->next) {
		if (rc != DB_OK) {
			j->status = rc;
			continue;
		}
		rc = db_savepoint(db);
		if (rc != DB_OK) {
			j->status = rc;
			continue;
		}
		j->status = j->run(db, j);
		/* A failed job is undone alone; if even that fails, the batch is lost. */
		rc = j->status == DB_OK ? db_savepoint_release(db) : db_savepoint_rollback(db);
		if (rc != DB_OK && j->status == DB_OK)
			j->status = rc;
	}
	if (rc == DB_OK) {
		rc = db_commit(db);
		if (rc != DB_OK)
			log_error("msg=\"commit failed\" status=\"%s\" error=\"%s\"", db_status_name(rc), db_errmsg(db));
	} else {
		log_error("msg=\"batch aborted\" status=\"%s\" error=\"%s\"", db_status_name(rc), db_errmsg(db));
	}
	if (rc != DB_OK) {
		db_rollback(db);
		for (struct write_job *j = batch; j; j = j->next)
			if (j->status == DB_OK)
				j->status = rc;
	}

	pthread_mutex_lock(&w->lock);
	w->stats.batches++;
	w->stats.jobs += n;
	w->stats.batch_sum += n;
	w->stats.batch_hist[hist_bucket(n)]++;
	if (rc != DB_OK)
		w->stats.failed_commits++;
	for (struct write_job *j = batch; j; j = j->next)
		if (j->status != DB_OK)
			w->stats.failed_jobs++;
	pthread_mutex_unlock(&w->lock);

	struct write_job *j = batch;
	while (j) {
		struct write_job *next = j->next; /* notify may free the job */
		j->next = NULL;
		j->notify(j);
		j = next;
	}
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!w->head && !w->stopping)
			pthread_cond_wait(&w->wake, &w->lock);
		if (!w->head && w->stopping) {
			pthread_mutex_unlock(&w->lock);
			break;
		}
		/* Take up to batch_max jobs: everything that queued while we committed. */
		struct write_job *batch = w->head, *last = w->head;
		size_t n = 1;
		while (last->next && n < (size_t)w->batch_max) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = &w->head;
		last->next = NULL;
		w->queued -= n;
		w->stats.queue_depth = w->queued;
		pthread_mutex_unlock(&w->lock);
		run_batch(w, batch, n);
	}
	return NULL;
}

struct writer *writer_start(struct db *db, int batch_max)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	w->db = db;
	w->batch_max = batch_max > 0 ? batch_max : 1;
	w->tail = &w->head;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		log_error("msg=\"cannot start the writer thread\"");
		abort();
	}
	return w;
}

void writer_submit(struct writer *w, struct write_job *job)
{
	job->next = NULL;
	job->status = DB_OK;
	pthread_mutex_lock(&w->lock);
	*w->tail = job;
	w->tail = &job->next;
	w->queued++;
	w->stats.queue_depth = w->queued;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void writer_stop(struct writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->wake);
	free(w);
}

void writer_get_stats(struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	pthread_mutex_unlock(&w->lock);
}

int writer_run_now(struct db *db, struct write_job *job)
{
	int rc = db_begin_write(db);
	if (rc != DB_OK)
		return rc;
	rc = job->run(db, job);
	if (rc == DB_OK)
		rc = db_commit(db);
	if (rc != DB_OK)
		db_rollback(db);
	job->status = rc;
	return rc;
}
