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

/*
 * Migration 7 writes three districts' Russian names as Russian does; a name
 * an administrator has changed is left alone. Run again on a database whose
 * names are as an older version seeded them.
 */
static void test_migrate_district_names(void **state)
{
	(void)state;
	const char *url = migrated_db();
	assert_int_equal(tl_sql(url, "INSERT INTO district (code, name_kk, name_ru, name_en, kind, active) VALUES "
				     "('aksuat', 'Ақсуат ауданы', 'район Ақсуат', 'Aksuat district', 'district', 1), "
				     "('makanshy', 'Мақаншы ауданы', 'Маканчи (своё)', 'Makanshy district', 'district', 1)"),
			 0);
	assert_int_equal(tl_sql(url, "UPDATE schema_version SET version = 6"), 0);
	struct db *db = open_db(url, DB_MODE_WRITE);
	struct buf err = BUF_INIT;
	int from, to;
	assert_int_equal(db_migrate(db, &from, &to, &err), DB_OK);
	assert_int_equal(from, 6);
	assert_int_equal(to, db_schema_latest());
	buf_release(&err);
	db_close(db);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM district WHERE code = 'aksuat' AND "
					 "name_ru = 'Аксуатский район'"),
			 1);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM district WHERE code = 'makanshy' AND "
					 "name_ru = 'Маканчи (своё)'"),
			 1);
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
	int *entered, *gate; /* when set: the job says it has begun, then waits for the gate to open */
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
	if (c->gate) {
		pthread_mutex_lock(c->lock);
		*c->entered = 1;
		pthread_cond_broadcast(c->cond);
		while (!*c->gate)
			pthread_cond_wait(c->cond, c->lock);
		pthread_mutex_unlock(c->lock);
	}
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

/* The kept count of attached children (0006's triggers) follows every way an attachment
 * changes: made, ended, moved with its child to another district, deleted; and the summary's
 * accessor reads it, equal to a count over the rows, region-wide and per district. */
static void check_attached(const char *url)
{
	struct db *db = open_db(url, DB_MODE_READ);
	int64_t attached, no_contact;
	assert_int_equal(db_report_attached(db, "2026-01-01", 0, 0, &attached, &no_contact), DB_OK);
	assert_int_equal(attached, tl_sql_int(url, "SELECT count(*) FROM mentorship WHERE ended_on IS NULL"));
	assert_int_equal(no_contact, tl_sql_int(url, "SELECT count(*) FROM mentorship WHERE ended_on IS NULL "
						    "AND COALESCE(last_contact_on, started_on) < '2026-01-01'"));
	for (int d = 901; d <= 902; d++) {
		char sql[160];
		assert_int_equal(db_report_attached(db, "2026-01-01", d, 0, &attached, &no_contact), DB_OK);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM mentorship WHERE ended_on IS NULL AND child_district_id = %d",
			 d);
		assert_int_equal(attached, tl_sql_int(url, sql));
	}
	db_close(db);
}

static void test_attached_count_follows_mentorships(void **state)
{
	(void)state;
	const char *url = migrated_db();
	assert_int_equal(tl_sql(url, "INSERT INTO district (id, code, name_kk, name_ru, name_en, kind) VALUES "
				     "(901, 't1', 'А', 'А', 'A', 'city'), (902, 't2', 'Б', 'Б', 'B', 'district')"),
			 0);
	assert_int_equal(tl_sql(url, "INSERT INTO organisation (id, name, kind, district_id, created_at) VALUES "
				     "(901, 'Ұйым', 'ngo', 901, 0)"),
			 0);
	char sql[512];
	for (int i = 1; i <= 6; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO child (id, surname, given_name, district_id, care_status, surname_key, given_key, "
			 "created_at, updated_at) VALUES (%d, 'Бала', 'Аты', %d, 'orphan', 'bala', 'aty', 0, 0)",
			 900 + i, i <= 4 ? 901 : 902);
		assert_int_equal(tl_sql(url, sql), 0);
		snprintf(sql, sizeof(sql),
			 "INSERT INTO mentorship (id, child_id, organisation_id, started_on, child_district_id, created_at, "
			 "updated_at) VALUES (%d, %d, 901, '2025-0%d-01', %d, 0, 0)",
			 900 + i, 900 + i, i, i <= 4 ? 901 : 902);
		assert_int_equal(tl_sql(url, sql), 0);
	}
	check_attached(url);
	assert_int_equal(tl_sql_int(url, "SELECT n FROM attached_count WHERE district_id = 901"), 4);
	/* Ended (once: ending an ended one changes nothing), contacted, moved, deleted. */
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET ended_on = '2026-02-01' WHERE id = 901"), 0);
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET ended_on = '2026-03-01' WHERE id = 901"), 0);
	check_attached(url);
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET last_contact_on = '2026-04-01' WHERE id = 902"), 0);
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET child_district_id = 902 WHERE child_id IN (903, 901)"), 0);
	check_attached(url);
	assert_int_equal(tl_sql_int(url, "SELECT n FROM attached_count WHERE district_id = 902"), 3);
	assert_int_equal(tl_sql(url, "DELETE FROM mentorship WHERE id IN (905, 901)"), 0);
	check_attached(url);
	/* A child attached again after an end counts once more; one with no district counts in the region. */
	assert_int_equal(tl_sql(url, "INSERT INTO mentorship (child_id, organisation_id, started_on, child_district_id, "
				     "created_at, updated_at) VALUES (901, 901, '2026-05-01', 901, 0, 0)"),
			 0);
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET child_district_id = NULL WHERE id = 906"), 0);
	check_attached(url);
	assert_int_equal(tl_sql_int(url, "SELECT n FROM attached_count WHERE district_id = 0"), 1);
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET child_district_id = 901 WHERE id = 906"), 0);
	check_attached(url);
	assert_int_equal(tl_sql_int(url, "SELECT n FROM attached_count WHERE district_id = 0"), 0);
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET child_district_id = NULL WHERE id = 906"), 0);
	assert_int_equal(tl_sql_int(url, "SELECT sum(n) FROM attached_count"), 5);
}

/* 0006 on a database that already has attachments: the kept count starts from the rows. */
static void test_attached_count_backfill(void **state)
{
	(void)state;
	const char *url = migrated_db();
	/* Back to version 5: what 0006 made is taken away again. */
	if (tl_is_pg())
		assert_int_equal(tl_sql(url, "DROP TRIGGER attached_count_keep ON mentorship; "
					     "DROP FUNCTION attached_count_keep(); DROP TABLE attached_count; "
					     "DROP INDEX lesson_school_held; UPDATE schema_version SET version = 5"),
				 0);
	else
		assert_int_equal(tl_sql(url, "DROP TRIGGER attached_count_insert; DROP TRIGGER attached_count_update; "
					     "DROP TRIGGER attached_count_delete; DROP TABLE attached_count; "
					     "DROP INDEX lesson_school_held; UPDATE schema_version SET version = 5"),
				 0);
	assert_int_equal(tl_sql(url, "INSERT INTO district (id, code, name_kk, name_ru, name_en, kind) VALUES "
				     "(901, 't1', 'А', 'А', 'A', 'city'), (902, 't2', 'Б', 'Б', 'B', 'district')"),
			 0);
	assert_int_equal(tl_sql(url, "INSERT INTO organisation (id, name, kind, district_id, created_at) VALUES "
				     "(901, 'Ұйым', 'ngo', 901, 0)"),
			 0);
	char sql[512];
	for (int i = 1; i <= 5; i++) {
		snprintf(sql, sizeof(sql),
			 "INSERT INTO child (id, surname, given_name, district_id, care_status, surname_key, given_key, "
			 "created_at, updated_at) VALUES (%d, 'Бала', 'Аты', 901, 'orphan', 'bala', 'aty', 0, 0)",
			 900 + i);
		assert_int_equal(tl_sql(url, sql), 0);
		/* Three active in 901, one active with no district, one ended. */
		snprintf(sql, sizeof(sql),
			 "INSERT INTO mentorship (id, child_id, organisation_id, started_on, ended_on, child_district_id, "
			 "created_at, updated_at) VALUES (%d, %d, 901, '2025-01-01', %s, %s, 0, 0)",
			 900 + i, 900 + i, i == 5 ? "'2025-06-01'" : "NULL", i == 4 ? "NULL" : "901");
		assert_int_equal(tl_sql(url, sql), 0);
	}
	struct db *db = open_db(url, DB_MODE_WRITE);
	struct buf err = BUF_INIT;
	int from, to;
	assert_int_equal(db_migrate(db, &from, &to, &err), DB_OK);
	assert_int_equal(from, 5);
	assert_int_equal(to, db_schema_latest());
	buf_release(&err);
	db_close(db);
	assert_int_equal(tl_sql_int(url, "SELECT n FROM attached_count WHERE district_id = 901"), 3);
	assert_int_equal(tl_sql_int(url, "SELECT n FROM attached_count WHERE district_id = 0"), 1);
	assert_int_equal(tl_sql_int(url, "SELECT sum(n) FROM attached_count"), 4);
	/* And the triggers keep it from there. */
	assert_int_equal(tl_sql(url, "UPDATE mentorship SET ended_on = '2026-01-01' WHERE id = 901"), 0);
	assert_int_equal(tl_sql_int(url, "SELECT n FROM attached_count WHERE district_id = 901"), 2);
}

/*
 * Bulk rows (the demo's loader): many to a statement on SQLite, COPY on
 * PostgreSQL. Text with the characters COPY escapes and bytes of every kind
 * come back as they went in; rows that refer to others go after them; the
 * identity goes on after the loader's ids; a remainder (not a full batch)
 * is written too.
 */
static void test_bulk_rows(void **state)
{
	(void)state;
	const char *url = migrated_db();
	struct db *db = open_db(url, DB_MODE_WRITE);
	struct district d = {0, "bulk-city", "Балк", "Балк", "Bulk", "city", 1};
	assert_int_equal(db_district_insert(db, &d), DB_OK);
	assert_int_equal(db_bulk_load(db, 1), DB_OK);
	assert_int_equal(db_begin_write(db), DB_OK);
	struct db_bulk *ba = NULL, *bt = NULL, *bs = NULL;
	assert_int_equal(db_bulk_open(db, BULK_APPEAL, NULL, &ba), DB_OK);
	assert_int_equal(db_bulk_open(db, BULK_APPEAL_TERM, ba, &bt), DB_OK);
	assert_int_equal(db_bulk_open(db, BULK_APPEAL_STAT, NULL, &bs), DB_OK);
	int64_t first = db_bulk_id(ba);
	static const unsigned char sealed[] = {0, '\\', '\t', '\n', 0xff, 'x', '\r', 0x80};
	static const char tricky[] = "таб\tжол\nқайту\rкері\\сызық 'дәйексөз' \\N \\x00";
	enum { N = 257 };
	for (int i = 0; i < N; i++) {
		char number[32];
		snprintf(number, sizeof(number), "B-2026-%06d", i + 1);
		struct appeal a = {0};
		a.id = db_bulk_id(ba);
		a.number = number;
		a.channel = "phone";
		a.kind = "application";
		a.applicant_type = "anonymous";
		a.applicant_lang = "kk";
		a.category = "other";
		a.risk = "low";
		a.district_id = d.id;
		a.summary = i % 2 ? tricky : NULL;
		a.summary_sealed = i % 2 ? NULL : sealed;
		a.summary_sealed_len = sizeof(sealed);
		a.sensitive = !(i % 2);
		a.received_at = 1767000000 + i;
		a.registered_on = "2026-01-02";
		a.due_on = "2026-01-20";
		a.created_at = 1767000000 + i;
		assert_int_equal(db_bulk_appeal(ba, &a), DB_OK);
		assert_int_equal(db_bulk_term(bt, 1000 + i % 3, a.id), DB_OK);
		assert_int_equal(db_bulk_stat(bs, "2026-01-02", d.id, "category", i ? number : tricky, 1), DB_OK);
	}
	/* What refers first: on PostgreSQL its flush writes the appeals before the terms. */
	assert_int_equal(db_bulk_close(bt, 1), DB_OK);
	assert_int_equal(db_bulk_close(bs, 1), DB_OK);
	assert_int_equal(db_bulk_close(ba, 1), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);
	assert_int_equal(db_bulk_load(db, 0), DB_OK);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM appeal"), N);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM appeal_term"), N);
	assert_int_equal(tl_sql_int(url, "SELECT min(id) FROM appeal"), first);
	assert_int_equal(tl_sql_int(url, "SELECT max(id) FROM appeal"), first + N - 1);
	struct arena a;
	arena_init(&a);
	struct appeal got;
	assert_int_equal(db_appeal_get(db, first + 1, &a, &got), DB_OK);
	assert_string_equal(got.summary, tricky);
	assert_int_equal(db_appeal_get(db, first + 2, &a, &got), DB_OK);
	assert_int_equal(got.summary_sealed_len, sizeof(sealed));
	assert_memory_equal(got.summary_sealed, sealed, sizeof(sealed));
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM appeal_stat"), N);
	struct buf rows = BUF_INIT;
	assert_int_equal(tl_sql_rows(url, "SELECT val FROM appeal_stat WHERE val NOT LIKE 'B-%'", &rows), 1);
	assert_int_equal(rows.len, strlen(tricky) + 1);
	assert_memory_equal(rows.ptr, tricky, strlen(tricky));
	buf_release(&rows);
	/* A row written the usual way takes the next id. */
	struct appeal next = {0};
	next.number = "B-2026-999999";
	next.channel = "phone";
	next.kind = "application";
	next.applicant_type = "anonymous";
	next.applicant_lang = "kk";
	next.category = "other";
	next.risk = "low";
	next.district_id = d.id;
	next.summary = "x";
	next.received_at = 1767000000;
	next.registered_on = "2026-01-02";
	next.due_on = "2026-01-20";
	next.created_at = 1767000000;
	assert_int_equal(db_appeal_insert(db, &next), DB_OK);
	assert_int_equal(next.id, first + N);
	/* A text left out is NULL, not empty. */
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM appeal WHERE summary IS NULL"), (N + 1) / 2);
	/* A row the table refuses (the same figure twice) is a constraint error, and the connection goes on. */
	assert_int_equal(db_bulk_load(db, 1), DB_OK);
	assert_int_equal(db_begin_write(db), DB_OK);
	assert_int_equal(db_bulk_open(db, BULK_APPEAL_STAT, NULL, &bs), DB_OK);
	for (int i = 0; i < 2; i++)
		assert_int_equal(db_bulk_stat(bs, "2026-02-02", d.id, "received", "", 1), DB_OK);
	assert_int_equal(db_bulk_close(bs, 1), DB_CONSTRAINT);
	assert_int_equal(db_rollback(db), DB_OK);
	assert_int_equal(db_bulk_load(db, 0), DB_OK);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM appeal_stat WHERE day = '2026-02-02'"), 0);
	assert_int_equal(db_appeal_get(db, first, &a, &got), DB_OK);
	arena_release(&a);
	db_close(db);
}

/*
 * The bulk loader drops a table's indexes by the names the catalogue gives:
 * a name that is not a plain schema name (one made by hand, quoted) is
 * refused before any index is dropped, never pasted into a statement.
 */
static long long goal_indexes(const char *url)
{
	return tl_sql_int(url, tl_is_pg() ? "SELECT count(*) FROM pg_indexes WHERE tablename = 'goal'"
					  : "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'goal'");
}

static void test_bulk_index_names(void **state)
{
	(void)state;
	const char *url = migrated_db();
	assert_int_equal(tl_sql(url, "CREATE INDEX \"goal; DROP TABLE goal\" ON goal(area)"), 0);
	long long before = goal_indexes(url);
	struct db *db = open_db(url, DB_MODE_WRITE);
	struct arena ar;
	arena_init(&ar);
	struct buf saved = BUF_INIT;
	assert_int_equal(db_begin_write(db), DB_OK);
	assert_int_equal(db_bulk_drop_indexes(db, "goal", NULL, &ar, &saved), DB_ERROR);
	assert_non_null(strstr(db_errmsg(db), "is not one of the schema's"));
	assert_int_equal(saved.len, 0);
	db_rollback(db);
	db_close(db);
	assert_int_equal(goal_indexes(url),
			 before);
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM goal"), 0);
	/* Without it, the table's indexes go and come back. */
	assert_int_equal(tl_sql(url, "DROP INDEX \"goal; DROP TABLE goal\""), 0);
	db = open_db(url, DB_MODE_WRITE);
	assert_int_equal(db_begin_write(db), DB_OK);
	assert_int_equal(db_bulk_drop_indexes(db, "goal", NULL, &ar, &saved), DB_OK);
	assert_true(saved.len > 0);
	assert_int_equal(db_bulk_restore_indexes(db, &saved), DB_OK);
	assert_int_equal(db_commit(db), DB_OK);
	db_close(db);
	assert_int_equal(goal_indexes(url),
			 before - 1);
	buf_release(&saved);
	arena_release(&ar);
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
	int done = 0, entered = 0, gate = 0;
	enum { N = 21 };
	struct job_ctx jobs[N];
	init_job(&jobs[0], "slow", &lock, &cond, &done);
	jobs[0].entered = &entered;
	jobs[0].gate = &gate;
	for (int i = 1; i < N; i++) {
		char code[32];
		/* Job 10 repeats job 5's code: it must fail alone. */
		snprintf(code, sizeof(code), "d%d", i == 10 ? 5 : i);
		init_job(&jobs[i], code, &lock, &cond, &done);
	}
	/* The writer is inside job 0's batch while the others queue up: they make the next batch, however slow the machine. */
	writer_submit(w, &jobs[0].job);
	pthread_mutex_lock(&lock);
	while (!entered)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	for (int i = 1; i < N; i++)
		writer_submit(w, &jobs[i].job);
	pthread_mutex_lock(&lock);
	gate = 1;
	pthread_cond_broadcast(&cond);
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
		cmocka_unit_test(test_migrate_district_names),
		cmocka_unit_test(test_district_accessors),
		cmocka_unit_test(test_attached_count_follows_mentorships),
		cmocka_unit_test(test_attached_count_backfill),
		cmocka_unit_test(test_bulk_rows),
		cmocka_unit_test(test_bulk_index_names),
		cmocka_unit_test(test_writer_concurrent_writes_are_durable),
		cmocka_unit_test(test_writer_failure_is_isolated),
		cmocka_unit_test(test_writer_stop_drains_queue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
