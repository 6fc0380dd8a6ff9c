/*
 * A full disk: the database on a small file system of its own (tmpfs,
 * mounted by the test; it needs root, as CI has). SQLite's file lives
 * there; PostgreSQL's database is made in a tablespace there (the test
 * server's write-ahead log stays on its own disk, as a real server's
 * would). Writes fail with 503 and a clear message, nothing already
 * committed is damaged, and writes succeed again once space returns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/testlib.h"

static char mnt[512], tablespace[64], pg_db[600];
static int mounted;

static int start(void **state)
{
	(void)state;
	/* Its own folder, not in the test's scratch one: PostgreSQL's server runs as another user and must reach it. */
	snprintf(mnt, sizeof(mnt), "/tmp/qorgau-disk.XXXXXX");
	if (!mkdtemp(mnt))
		return -1;
	/* PostgreSQL's database starts as a copy of its template (some 8 MB): room for that, then some. */
	if (mount("tmpfs", mnt, "tmpfs", 0, tl_is_pg() ? "size=24m" : "size=3m") == 0)
		mounted = 1;
	if (mounted && tl_is_pg()) {
		/* The tablespace's folder belongs to the server's own user. */
		struct stat st;
		const char *data = getenv("QORGAU_TEST_PG_DATA");
		if (!data || stat(data, &st) != 0 || chown(mnt, st.st_uid, st.st_gid) != 0)
			return -1;
		snprintf(tablespace, sizeof(tablespace), "qt_disk_%d", (int)getpid());
		char sql[700];
		snprintf(sql, sizeof(sql), "CREATE TABLESPACE %s LOCATION '%s'", tablespace, mnt);
		if (tl_sql(tl_pg_admin_url(), sql) != 0)
			return -1;
	}
	return 0;
}

static int stop(void **state)
{
	(void)state;
	if (tablespace[0]) {
		char sql[700];
		/* The database goes first (its files are in the tablespace): postgresql://user@/NAME?host=… */
		const char *name = pg_db[0] ? strstr(pg_db, "@/") : NULL;
		if (name) {
			snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %.*s WITH (FORCE)", (int)strcspn(name + 2, "?"),
				 name + 2);
			tl_sql(tl_pg_admin_url(), sql);
		}
		snprintf(sql, sizeof(sql), "DROP TABLESPACE IF EXISTS %s", tablespace);
		tl_sql(tl_pg_admin_url(), sql);
	}
	if (mounted)
		umount2(mnt, MNT_DETACH);
	rmdir(mnt);
	return 0;
}

static const char *appeal_body = "{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\", "
				 "\"name\": \"Гүлнар Серікова\"}, \"category\": \"bullying\", \"risk\": \"medium\", "
				 "\"district_id\": 1, \"summary\": \"Мектепте балаға күн көрсетпейді, сабаққа барғысы келмейді. "
				 "Ата-анасы мектепке барып сөйлесті, бірақ ештеңе өзгерген жоқ.\"}";

static void test_full_disk(void **state)
{
	(void)state;
	if (!mounted) {
		/* Without root there is no small file system to fill; say so rather than pretend. */
		if (geteuid() == 0)
			fail_msg("cannot mount a tmpfs at %s", mnt);
		printf("disk: skipped, mounting a small file system needs root\n");
		return;
	}
	char url[600], filler[600];
	if (tl_is_pg()) {
		snprintf(pg_db, sizeof(pg_db), "%s", tl_new_database_in(tablespace));
		snprintf(url, sizeof(url), "%s", pg_db);
	} else
		snprintf(url, sizeof(url), "sqlite:%s/q.db", mnt);
	snprintf(filler, sizeof(filler), "%s/filler", mnt);
	struct tl_run run;
	const char *init[] = {"init", "--database", url, NULL};
	tl_run_qorgau(&run, NULL, NULL, init);
	assert_int_equal(run.status, 0);
	char pw[64];
	const char *p = strstr(run.out.ptr, "one-time password '");
	assert_non_null(p);
	p += strlen("one-time password '");
	snprintf(pw, sizeof(pw), "%.*s", (int)strcspn(p, "'"), p);
	tl_run_release(&run);

	struct tl_server server;
	struct tl_client admin, coord;
	tl_server_start(&server, url, NULL);
	tl_admin_session(&admin, server.port, pw);
	tl_create_user(&admin, "coord", "coordinator", "Strong-Pass-2026", NULL);
	assert_int_equal(tl_login(&coord, server.port, "coord", "Strong-Pass-2026"), 200);

	/* Leave a little room, then write until the disk is full. */
	FILE *f = fopen(filler, "w");
	assert_non_null(f);
	static char block[4096];
	memset(block, 'x', sizeof(block));
	while (fwrite(block, 1, sizeof(block), f) == sizeof(block) && fflush(f) == 0)
		;
	fclose(f);
	struct stat st;
	assert_int_equal(stat(filler, &st), 0);
	assert_int_equal(truncate(filler, st.st_size > 256 * 1024 ? st.st_size - 256 * 1024 : 0), 0);
	long long acknowledged = 0;
	int full = 0, status = 0;
	for (int i = 0; i < 5000 && !full; i++) {
		json_t *j = tl_api_json(&coord, "POST", "/api/v1/appeals", appeal_body, &status);
		if (status == 201) {
			acknowledged++;
		} else {
			assert_int_equal(status, 503);
			json_t *err = json_object_get(j, "error");
			assert_string_equal(json_string_value(json_object_get(err, "code")), "unavailable");
			assert_non_null(strstr(json_string_value(json_object_get(err, "message")), "storage is full"));
			full = 1;
		}
		json_decref(j);
	}
	assert_true(full);
	assert_true(acknowledged > 0);
	/* It stays refused while full; the server keeps answering. */
	json_t *j = tl_api_json(&coord, "POST", "/api/v1/appeals", appeal_body, &status);
	assert_int_equal(status, 503);
	json_decref(j);
	struct tl_response r;
	assert_int_equal(tl_http(server.port, "GET", "/healthz", NULL, NULL, &r), 0);
	assert_int_equal(r.status, 200);
	tl_response_release(&r);

	/* Space returns: writes go through again. */
	assert_int_equal(unlink(filler), 0);
	j = tl_api_json(&coord, "POST", "/api/v1/appeals", appeal_body, &status);
	assert_int_equal(status, 201);
	json_decref(j);
	acknowledged++;
	assert_int_equal(tl_server_stop(&server), 0);

	/* Nothing committed was damaged: every acknowledged appeal, a sound file, an intact audit chain. */
	assert_int_equal(tl_sql_int(url, "SELECT count(*) FROM appeal"), acknowledged);
	if (!tl_is_pg()) {
		struct buf rows = BUF_INIT;
		tl_sql_rows(url, "PRAGMA integrity_check", &rows);
		assert_string_equal(rows.ptr, "ok\n");
		buf_release(&rows);
	}
	const char *verify[] = {"audit", "verify", "--database", url, NULL};
	tl_run_qorgau(&run, NULL, NULL, verify);
	if (run.status != 0)
		fail_msg("audit verify: %s %s", run.out.ptr, run.err.ptr);
	tl_run_release(&run);
	printf("disk: %lld appeals acknowledged around a full disk, all present (%s)\n", acknowledged, tl_backend());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_disk),
	};
	return cmocka_run_group_tests_name(tl_backend(), tests, start, stop);
}
