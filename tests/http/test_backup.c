/*
 * qorgau backup and restore: a copy taken while appeals are being written
 * holds every appeal acknowledged before it began, passes its integrity
 * check and the audit chain's, and serves again after a restore. Bad
 * arguments change nothing. On PostgreSQL both commands point to its own
 * tools and write nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/testlib.h"

static struct tl_server server;
static const char *db;
static struct tl_client admin, coord;

static int start(void **state)
{
	(void)state;
	char pw[64];
	db = tl_init_database(pw, sizeof(pw));
	tl_server_start(&server, db, NULL);
	tl_admin_session(&admin, server.port, pw);
	tl_create_user(&admin, "coord", "coordinator", "Strong-Pass-2026", NULL);
	assert_int_equal(tl_login(&coord, server.port, "coord", "Strong-Pass-2026"), 200);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

static atomic_int writing;
static atomic_llong acknowledged; /* the highest appeal id acknowledged so far */

static void *writer(void *arg)
{
	(void)arg;
	struct tl_client c = coord;
	while (atomic_load(&writing)) {
		int status;
		json_t *j = tl_api_json(&c, "POST", "/api/v1/appeals",
					"{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\", "
					"\"name\": \"Айжан Серікова\"}, \"category\": \"bullying\", \"risk\": \"medium\", "
					"\"district_id\": 1, \"summary\": \"Мектепте мазақтайды\"}",
					&status);
		if (status == 201) {
			long long id = json_integer_value(json_object_get(j, "id"));
			long long seen = atomic_load(&acknowledged);
			while (id > seen && !atomic_compare_exchange_weak(&acknowledged, &seen, id))
				;
		}
		json_decref(j);
	}
	return NULL;
}

static void test_backup_under_load(void **state)
{
	(void)state;
	char backup[512], restored[600], url[700];
	snprintf(backup, sizeof(backup), "%s/backup.db", tl_tmpdir());
	snprintf(restored, sizeof(restored), "%s/restored.db", tl_tmpdir());
	struct tl_run run;
	if (tl_is_pg()) {
		const char *args[] = {"backup", backup, "--database", db, NULL};
		tl_run_qorgau(&run, NULL, NULL, args);
		assert_int_equal(run.status, 1);
		assert_non_null(strstr(run.err.ptr, "pg_dump"));
		tl_run_release(&run);
		struct stat st;
		assert_int_not_equal(stat(backup, &st), 0);
		return;
	}
	atomic_store(&writing, 1);
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, writer, NULL);
	/* The backup starts while writes go on: after the first has been acknowledged, however slow the machine. */
	for (int waited = 0; waited < 10000 && atomic_load(&acknowledged) == 0; waited += 10)
		usleep(10000);
	usleep(50 * 1000);
	long long before = atomic_load(&acknowledged);
	assert_true(before > 0);
	const char *args[] = {"backup", backup, "--database", db, NULL};
	tl_run_qorgau(&run, NULL, NULL, args);
	if (run.status != 0)
		fail_msg("backup: %s", run.err.ptr);
	assert_non_null(strstr(run.out.ptr, "keep the key file"));
	tl_run_release(&run);
	usleep(100 * 1000);
	atomic_store(&writing, 0);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);

	/* Restore into a new database: everything acknowledged before the backup began is there. */
	snprintf(url, sizeof(url), "sqlite:%s", restored);
	const char *rargs[] = {"restore", backup, "--database", url, NULL};
	tl_run_qorgau(&run, NULL, NULL, rargs);
	if (run.status != 0)
		fail_msg("restore: %s", run.err.ptr);
	tl_run_release(&run);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM appeal WHERE id <= %lld", before);
	assert_int_equal(tl_sql_int(url, sql), before);
	/* The audit chain of the copy verifies (the tests' key file serves both: QORGAU_KEY_FILE). */
	const char *vargs[] = {"audit", "verify", "--database", url, NULL};
	tl_run_qorgau(&run, NULL, NULL, vargs);
	if (run.status != 0)
		fail_msg("audit verify of the restored copy: %s %s", run.out.ptr, run.err.ptr);
	tl_run_release(&run);
	/* It serves: a server starts on it and reads an appeal back. */
	struct tl_server s2;
	tl_server_start(&s2, url, NULL);
	struct tl_client c2;
	assert_int_equal(tl_login(&c2, s2.port, "coord", "Strong-Pass-2026"), 200);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", before);
	int status;
	json_t *j = tl_api_json(&c2, "GET", path, NULL, &status);
	assert_int_equal(status, 200);
	json_decref(j);
	assert_int_equal(tl_server_stop(&s2), 0);

	/* Never over an existing file; restore never over an existing database; a missing file is an error. */
	const char *again[] = {"backup", backup, "--database", db, NULL};
	tl_run_qorgau(&run, NULL, NULL, again);
	assert_int_equal(run.status, 2);
	tl_run_release(&run);
	tl_run_qorgau(&run, NULL, NULL, rargs);
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "exists"));
	tl_run_release(&run);
	const char *missing[] = {"restore", "/nonexistent/backup.db", "--database", "sqlite:/tmp/never-made.db", NULL};
	tl_run_qorgau(&run, NULL, NULL, missing);
	assert_int_equal(run.status, 2);
	tl_run_release(&run);
	struct stat st;
	assert_int_not_equal(stat("/tmp/never-made.db", &st), 0);
	/* A file that is not a database is refused, and nothing is made. */
	char junk[600], junkurl[700];
	snprintf(junk, sizeof(junk), "%s/junk.db", tl_tmpdir());
	FILE *f = fopen(junk, "w");
	fputs("not a database", f);
	fclose(f);
	snprintf(junkurl, sizeof(junkurl), "sqlite:%s/from-junk.db", tl_tmpdir());
	const char *jargs[] = {"restore", junk, "--database", junkurl, NULL};
	tl_run_qorgau(&run, NULL, NULL, jargs);
	assert_int_equal(run.status, 1);
	tl_run_release(&run);
	assert_int_not_equal(stat(junkurl + strlen("sqlite:"), &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backup_under_load),
	};
	return cmocka_run_group_tests_name(tl_backend(), tests, start, stop);
}
