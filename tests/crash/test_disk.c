/*
 * A full disk: the SQLite database on a small file system of its own
 * (tmpfs, mounted by the test; it needs root, as CI has). Writes fail with
 * 503 and a clear message, nothing already committed is damaged, and writes
 * succeed again once space returns. PostgreSQL keeps its data on its own
 * server's disk: this test is SQLite's.
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

static char mnt[512];
static int mounted;

static int start(void **state)
{
	(void)state;
	snprintf(mnt, sizeof(mnt), "%s/disk", tl_tmpdir());
	mkdir(mnt, 0700);
	if (!tl_is_pg() && mount("tmpfs", mnt, "tmpfs", 0, "size=3m") == 0)
		mounted = 1;
	return 0;
}

static int stop(void **state)
{
	(void)state;
	if (mounted)
		umount2(mnt, MNT_DETACH);
	return 0;
}

static const char *appeal_body = "{\"channel\": \"phone\", \"kind\": \"report\", \"applicant\": {\"type\": \"parent\", "
				 "\"name\": \"Гүлнар Серікова\"}, \"category\": \"bullying\", \"risk\": \"medium\", "
				 "\"district_id\": 1, \"summary\": \"Мектепте балаға күн көрсетпейді, сабаққа барғысы келмейді. "
				 "Ата-анасы мектепке барып сөйлесті, бірақ ештеңе өзгерген жоқ.\"}";

static void test_full_disk(void **state)
{
	(void)state;
	if (tl_is_pg()) {
		printf("disk: PostgreSQL keeps its data on its own server: nothing to fill here\n");
		return;
	}
	if (!mounted) {
		/* Without root there is no small file system to fill; say so rather than pretend. */
		if (geteuid() == 0)
			fail_msg("cannot mount a tmpfs at %s", mnt);
		printf("disk: skipped, mounting a small file system needs root\n");
		return;
	}
	char url[600], filler[600];
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
	struct buf rows = BUF_INIT;
	tl_sql_rows(url, "PRAGMA integrity_check", &rows);
	assert_string_equal(rows.ptr, "ok\n");
	buf_release(&rows);
	const char *verify[] = {"audit", "verify", "--database", url, NULL};
	tl_run_qorgau(&run, NULL, NULL, verify);
	if (run.status != 0)
		fail_msg("audit verify: %s %s", run.out.ptr, run.err.ptr);
	tl_run_release(&run);
	printf("disk: %lld appeals acknowledged around a full disk, all present\n", acknowledged);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_disk),
	};
	return cmocka_run_group_tests_name(tl_backend(), tests, start, stop);
}
