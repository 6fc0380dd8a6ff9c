/* The group-committing writer thread (writer.h). */
#include "db/writer.h"

#include "db/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/mem.h"

/*
 * With a backend that can defer its sync (SQLite), commits go to a second
 * thread, the syncer, which fsyncs the log once for every batch committed
 * while it was busy and then tells their jobs: the writer runs the next
 * batch while the disk works on the last one.
 */
struct syncer {
	pthread_t thread;
	char path[4096];
	int fd;
	struct write_job *head, **tail; /* committed, waiting for the disk */
	int stopping;
	pthread_cond_t wake;
};

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
	int deferred; /* a syncer makes commits durable */
	struct syncer sync;
};

static void notify_all(struct write_job *j)
{
	while (j) {
		struct write_job *next = j->next; /* notify may free the job */
		j->next = NULL;
		j->notify(j);
		j = next;
	}
}

/* fsync the log; opened on first use, when the first commit has created it. */
static int sync_log(struct syncer *s)
{
	if (s->fd < 0)
		s->fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0 || fdatasync(s->fd) != 0) {
		log_error("msg=\"cannot make commits durable\" file=\"%s\" error=\"%s\"", s->path, strerror(errno));
		return DB_IO;
	}
	return DB_OK;
}

static void *syncer_main(void *arg)
{
	struct writer *w = arg;
	struct syncer *s = &w->sync;
	pthread_setname_np(pthread_self(), "qorgau-sync");
	for (;;) {
		pthread_mutex_lock(&w->lock);
		while (!s->head && !s->stopping)
			pthread_cond_wait(&s->wake, &w->lock);
		struct write_job *jobs = s->head;
		s->head = NULL;
		s->tail = &s->head;
		int stop = s->stopping && !jobs;
		pthread_mutex_unlock(&w->lock);
		if (stop)
			return NULL;
		int rc = sync_log(s);
		if (rc != DB_OK)
			for (struct write_job *j = jobs; j; j = j->next)
				if (j->status == DB_OK)
					j->status = rc;
		notify_all(jobs);
	}
}

/* Hand a committed batch to the syncer (its order is kept: fsync covers all before). */
static void to_syncer(struct writer *w, struct write_job *batch)
{
	struct write_job *last = batch;
	while (last->next)
		last = last->next;
	pthread_mutex_lock(&w->lock);
	*w->sync.tail = batch;
	w->sync.tail = &last->next;
	pthread_cond_signal(&w->sync.wake);
	pthread_mutex_unlock(&w->lock);
}

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

/*
 * Run every job of the batch in one transaction. Optimistically first,
 * without savepoints (they cost as much as a small job); if any job fails,
 * roll back and run the batch again with each job in its own savepoint, so
 * that the failing job is undone alone and the others still commit.
 * Jobs only write to the database and to their own result fields, so
 * running one again is harmless.
 */
static int run_jobs(struct db *db, struct write_job *batch, int isolated)
{
	int rc = db_begin_write(db);
	for (struct write_job *j = batch; j; j = j->next) {
		if (rc != DB_OK) {
			j->status = rc;
			continue;
		}
		if (!isolated) {
			j->status = j->run(db, j);
			if (j->status != DB_OK)
				return -1; /* retry isolated */
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
	return rc;
}

static void run_batch(struct writer *w, struct write_job *batch, size_t n)
{
	struct db *db = w->db;
	int rc = run_jobs(db, batch, 0);
	int alone_failed = 0;
	if (rc < 0) {
		db_rollback(db);
		if (n == 1)
			alone_failed = 1; /* its own status says why; nothing else to keep */
		else
			rc = run_jobs(db, batch, 1);
	}
	if (alone_failed) {
		rc = DB_OK;
	} else if (rc == DB_OK) {
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

	/* Failed batches are final; committed ones wait for the disk when a syncer runs. */
	if (w->deferred && rc == DB_OK && !alone_failed)
		to_syncer(w, batch);
	else
		notify_all(batch);
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	pthread_setname_np(pthread_self(), "qorgau-writer");
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
	w->sync.fd = -1;
	w->sync.tail = &w->sync.head;
	pthread_cond_init(&w->sync.wake, NULL);
	if (db->ops->defer_sync && db->ops->defer_sync(db, w->sync.path, sizeof(w->sync.path)) == 0) {
		w->deferred = 1;
		if (pthread_create(&w->sync.thread, NULL, syncer_main, w) != 0) {
			log_error("msg=\"cannot start the syncer thread\"");
			abort();
		}
	}
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
	if (w->deferred) {
		pthread_mutex_lock(&w->lock);
		w->sync.stopping = 1;
		pthread_cond_signal(&w->sync.wake);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->sync.thread, NULL);
		if (w->sync.fd >= 0)
			close(w->sync.fd);
	}
	pthread_cond_destroy(&w->sync.wake);
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
