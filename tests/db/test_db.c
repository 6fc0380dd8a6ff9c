/*
 * Storage tests, run on SQLite and PostgreSQL: migrations and schema
 * checks, typed accessors, and the group-committing writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/writer.h"
#include "lib/testlib.h"

static struct db *open_db(const char *url, enum db_mode mode)
{
	struct db *db = NULL;
	struct buf err = BUF_INIT;
	if (db_open(url, mode, 5000, &db, &err) != DB_OK)
		fail_msg("db_open %s: %s", url, err.ptr);
	buf_release(&err);
	return db;
}

static const char *migrated_db(void)
{
	const char *url = tl_new_database();
	struct db *db = open_db(url, DB_MODE_CREATE);
	struct buf err = BUF_INIT;
	int from, to;
	assert_int_equal(db_migrate(db, &from, &to, &err), DB_OK);
	assert_int_equal(from, 0);
	assert_int_equal(to, db_schema_latest());
	buf_release(&err);
	db_close(db);
	return url;
}

static void test_migrate_and_check_schema(void **state)
{
	(void)state;
	const char *url = tl_new_database();
	struct db *db = open_db(url, DB_MODE_CREATE);
	struct buf err = BUF_INIT;
	int from, to, v;
	/* An empty database is refused by the schema check. */
	assert_int_not_equal(db_check_schema(db, &err), DB_OK);
	assert_non_null(strstr(err.ptr, "qorgau init"));
	buf_reset(&err);
	assert_int_equal(db_migrate(db, &from, &to, &err), DB_OK);
	assert_int_equal(db_schema_version(db, &v), DB_OK);
	assert_int_equal(v, db_schema_latest());
	assert_int_equal(db_check_schema(db, &err), DB_OK);
	/* Migrating again changes nothing. */
	assert_int_equal(db_migrate(db, &from, &to, &err), DB_OK);
	assert_int_equal(from, to);
	db_close(db);

	/* A database from a newer program is refused, by check and by migrate. */
	char sql[64];
	snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %d", db_schema_latest() + 1);
	assert_int_equal(tl_sql(url, sql), 0);
	db = open_db(url, DB_MODE_WRITE);
	buf_reset(&err);
	assert_int_not_equal(db_check_schema(db, &err), DB_OK);
	assert_non_null(strstr(err.ptr, "newer than this program"));
	buf_reset(&err);
	assert_int_not_equal(db_migrate(db, &from, &to, &err), DB_OK);
	assert_non_null(strstr(err.ptr, "newer than this program"));
	db_close(db);
	buf_release(&err);
}

static void test_district_accessors(void **state)
{
	(void)state;
	const char *url = migrated_db();
	struct db *db = open_db(url, DB_MODE_WRITE);
	struct arena a;
	arena_init(&a);
	struct district d = {0, "test-city", "Тест қаласы", "город Тест", "Test city", "city", 1};
	assert_int_equal(db_district_insert(db, &d), DB_OK);
	assert_true(d.id > 0);
	struct district dup = d;
	assert_int_equal(db_district_insert(db, &dup), DB_CONSTRAINT);
	struct district got;
	assert_int_equal(db_district_get(db, d.id, &a, &got), DB_OK);
	assert_string_equal(got.name_kk, "Тест қаласы");
	assert_int_equal(db_district_get(db, d.id + 1000, &a, &got), DB_NOTFOUND);
	struct district *items;
	size_t n;
	assert_int_equal(db_district_list(db, &a, &items, &n), DB_OK);
	assert_int_equal(n, 1);
	/* A bad check value is a constraint error, not a crash. */
	struct district bad = {0, "x-1", "x", "x", "x", "village", 1};
	assert_int_equal(db_district_insert(db, &bad), DB_CONSTRAINT);
	arena_release(&a);
	db_close(db);
}

/* --- the writer --- */

struct job_ctx {
	struct write_job job;
	struct district d;
	char code[32];
	int sleep_ms;
	pthread_mutex_t *lock;
	pthread_cond_t *cond;
	int *done;
	int notified_status;
};

static int run_insert(struct db *db, struct write_job *job)
{
	struct job_ctx *c = job->arg;
	if (c->sleep_ms)
		usleep((useconds_t)c->sleep_ms * 1000);
	return db_district_insert(db, &c->d);
}

static void notify(struct write_job *job)
{
	struct job_ctx *c = job->arg;
	pthread_mutex_lock(c->lock);
	c->notified_status = job->status;
	(*c->done)++;
	pthread_cond_broadcast(c->cond);
	pthread_mutex_unlock(c->lock);
}

enum { THREADS = 8, PER_THREAD = 50 };

struct submitter {
	struct writer *w;
	struct job_ctx *jobs;
	int from, count;
};

static void *submit_many(void *arg)
{
	struct submitter *s = arg;
	for (int i = s->from; i < s->from + s->count; i++)
		writer_submit(s->w, &s->jobs[i].job);
	return NULL;
}

static void init_job(struct job_ctx *c, const char *code, pthread_mutex_t *lock, pthread_cond_t *cond, int *done)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->code, sizeof(c->code), "%s", code);
	c->d = (struct district){0, c->code, "a", "b", "c", "district", 1};
	c->job.run = run_insert;
	c->job.notify = notify;
	c->job.arg = c;
	c->lock = lock;
	c->cond = cond;
	c->done = done;
	c->notified_status = -1;
}

/* Many threads write at once: every job is notified, every success is durable, batches form. */
static void test_writer_concurrent_writes_are_durable(void **state)
{
	(void)state;
	const char *url = migrated_db();
	struct writer *w = writer_start(open_db(url, DB_MODE_WRITE), 512);
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	int done = 0;
	int total = THREADS * PER_THREAD;
	struct job_ctx *jobs = calloc((size_t)total, sizeof(*jobs));
	for (int i = 0; i < total; i++) {
		char code[32];
		snprintf(code, sizeof(code), "c%d", i);
		init_job(&jobs[i], code, &lock, &cond, &done);
	}
	jobs[0].sleep_ms = 100; /* hold the first batch so the others queue up behind it */
	pthread_t th[THREADS];
	struct submitter subs[THREADS];
	for (int t = 0; t < THREADS; t++) {
		subs[t] = (struct submitter){w, jobs, t * PER_THREAD, PER_THREAD};
		pthread_create(&th[t], NULL, submit_many, &subs[t]);
	}
	for (int t = 0; t < THREADS; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_lock(&lock);
	while (done < total)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);

	struct writer_stats st;
	writer_get_stats(w, &st);
	assert_int_equal(st.jobs, total);
	assert_int_equal(st.failed_jobs, 0);
	assert_true(st.batches < (uint64_t)total); /* group commit happened */
	for (int i = 0; i < total; i++)
		assert_int_equal(jobs[i].notified_status, DB_OK);
	writer_stop(w);
	/* Read back through a fresh connection: all there. */
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM district"), total);
	free(jobs);
}

/* One failing job in a batch gets its own error; the rest of its batch commits. */
static void test_writer_failure_is_isolated(void **state)
{
	(void)state;
	const char *url = migrated_db();
	struct writer *w = writer_start(open_db(url, DB_MODE_WRITE), 512);
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	int done = 0;
	enum { N = 21 };
	struct job_ctx jobs[N];
	init_job(&jobs[0], "slow", &lock, &cond, &done);
	jobs[0].sleep_ms = 150;
	for (int i = 1; i < N; i++) {
		char code[32];
		/* Job 10 repeats job 5's code: it must fail alone. */
		snprintf(code, sizeof(code), "d%d", i == 10 ? 5 : i);
		init_job(&jobs[i], code, &lock, &cond, &done);
	}
	writer_submit(w, &jobs[0].job);
	usleep(30000); /* the writer is now inside job 0's batch */
	for (int i = 1; i < N; i++)
		writer_submit(w, &jobs[i].job);
	pthread_mutex_lock(&lock);
	while (done < N)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	struct writer_stats st;
	writer_get_stats(w, &st);
	writer_stop(w);
	assert_int_equal(st.batches, 2); /* job 0 alone, then the 20 others together */
	assert_int_equal(st.failed_jobs, 1);
	assert_int_equal(jobs[10].notified_status, DB_CONSTRAINT);
	for (int i = 0; i < N; i++)
		if (i != 10)
			assert_int_equal(jobs[i].notified_status, DB_OK);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM district"), N - 1);
}

/* Stopping the writer finishes what is queued before closing. */
static void test_writer_stop_drains_queue(void **state)
{
	(void)state;
	const char *url = migrated_db();
	struct writer *w = writer_start(open_db(url, DB_MODE_WRITE), 4);
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	int done = 0;
	enum { N = 30 };
	struct job_ctx jobs[N];
	for (int i = 0; i < N; i++) {
		char code[32];
		snprintf(code, sizeof(code), "s%d", i);
		init_job(&jobs[i], code, &lock, &cond, &done);
		writer_submit(w, &jobs[i].job);
	}
	writer_stop(w);
	assert_int_equal(done, N);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM district"), N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_migrate_and_check_schema),
		cmocka_unit_test(test_district_accessors),
		cmocka_unit_test(test_writer_concurrent_writes_are_durable),
		cmocka_unit_test(test_writer_failure_is_isolated),
		cmocka_unit_test(test_writer_stop_drains_queue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
