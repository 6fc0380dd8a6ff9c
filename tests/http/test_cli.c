/* The qorgau command line: commands, --help, usage errors, bad settings, schema refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "lib/testlib.h"

#define RUN(run, ...) tl_run_qorgau((run), NULL, NULL, (const char *const[]){__VA_ARGS__, NULL})

static void test_usage_errors_exit_2(void **state)
{
	(void)state;
	struct tl_run run;
	tl_run_qorgau(&run, NULL, NULL, NULL);
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "Usage: qorgau COMMAND"));
	tl_run_release(&run);

	RUN(&run, "frobnicate");
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "unknown command 'frobnicate'"));
	tl_run_release(&run);

	RUN(&run, "serve", "--bogus");
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "unknown option '--bogus'"));
	tl_run_release(&run);

	RUN(&run, "version", "--database", "sqlite:x.db"); /* version touches no data */
	assert_int_equal(run.status, 2);
	tl_run_release(&run);

	RUN(&run, "init", "extra-argument");
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "unexpected argument"));
	tl_run_release(&run);

	RUN(&run, "serve", "--listen");
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "needs a value"));
	tl_run_release(&run);
}

static void test_every_command_has_help(void **state)
{
	(void)state;
	static const char *const commands[] = {"serve", "init", "migrate", "version"};
	struct tl_run run;
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		RUN(&run, commands[i], "--help");
		assert_int_equal(run.status, 0);
		char want[64];
		snprintf(want, sizeof(want), "Usage: qorgau %s", commands[i]);
		assert_non_null(strstr(run.out.ptr, want));
		tl_run_release(&run);
	}
	RUN(&run, "serve", "--help");
	assert_non_null(strstr(run.out.ptr, "--listen"));
	assert_non_null(strstr(run.out.ptr, "--database"));
	assert_non_null(strstr(run.out.ptr, "--threads"));
	tl_run_release(&run);
	RUN(&run, "--help");
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
	RUN(&run, "version");
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out.ptr, "qorgau "));
	tl_run_release(&run);
}

/* A bad value names the setting and stops the program before it listens. */
static void test_bad_settings_stop_before_listening(void **state)
{
	(void)state;
	const char *db = tl_init_database(NULL, 0);
	struct tl_run run;

	RUN(&run, "serve", "--database", db, "--threads", "lots");
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "--threads"));
	assert_null(strstr(run.out.ptr, "serving on"));
	tl_run_release(&run);

	tl_run_qorgau(&run, NULL, (const char *const[]){"QORGAU_LISTEN=localhost", NULL},
		      (const char *const[]){"serve", "--database", db, NULL});
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "QORGAU_LISTEN"));
	tl_run_release(&run);

	char path[512];
	snprintf(path, sizeof(path), "%s/bad.ini", tl_tmpdir());
	FILE *f = fopen(path, "w");
	fputs("[server]\nmax_body_size = huge\n", f);
	fclose(f);
	RUN(&run, "serve", "--database", db, "--config", path);
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "[server] max_body_size"));
	assert_non_null(strstr(run.err.ptr, "bad.ini:2"));
	tl_run_release(&run);

	RUN(&run, "serve", "--config", "/nonexistent.ini");
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "cannot open '/nonexistent.ini'"));
	tl_run_release(&run);

	RUN(&run, "serve", "--database", "mysql://db");
	assert_int_equal(run.status, 2);
	assert_non_null(strstr(run.err.ptr, "--database"));
	tl_run_release(&run);
}

static void test_init_is_idempotent_and_migrate_reports(void **state)
{
	(void)state;
	const char *db = tl_new_database();
	struct tl_run run;
	RUN(&run, "init", "--database", db);
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out.ptr, "one-time password"));
	tl_run_release(&run);
	/* Second time: nothing new, no second administrator or password. */
	RUN(&run, "init", "--database", db);
	assert_int_equal(run.status, 0);
	assert_null(strstr(run.out.ptr, "one-time password"));
	tl_run_release(&run);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM app_user"), 1);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM district"), 12);
	RUN(&run, "migrate", "--database", db);
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out.ptr, "up to date"));
	tl_run_release(&run);
}

static void test_serve_refuses_wrong_schema(void **state)
{
	(void)state;
	struct tl_run run;
	if (!tl_is_pg()) {
		char url[512];
		snprintf(url, sizeof(url), "sqlite:%s/missing.db", tl_tmpdir());
		RUN(&run, "serve", "--database", url, "--listen", "127.0.0.1:0");
		assert_int_equal(run.status, 1);
		assert_non_null(strstr(run.err.ptr, "qorgau init"));
		tl_run_release(&run);
	}
	const char *empty = tl_new_database();
	if (tl_is_pg()) {
		RUN(&run, "serve", "--database", empty, "--listen", "127.0.0.1:0");
		assert_int_equal(run.status, 1);
		assert_non_null(strstr(run.err.ptr, "not initialised"));
		tl_run_release(&run);
	}
	const char *db = tl_init_database(NULL, 0);
	assert_int_equal(tl_sql(db, "UPDATE schema_version SET version = version + 1"), 0);
	RUN(&run, "serve", "--database", db, "--listen", "127.0.0.1:0");
	assert_int_equal(run.status, 1);
	assert_non_null(strstr(run.err.ptr, "newer than this program"));
	assert_null(strstr(run.out.ptr, "serving on"));
	tl_run_release(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage_errors_exit_2),
		cmocka_unit_test(test_every_command_has_help),
		cmocka_unit_test(test_bad_settings_stop_before_listening),
		cmocka_unit_test(test_init_is_idempotent_and_migrate_reports),
		cmocka_unit_test(test_serve_refuses_wrong_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
