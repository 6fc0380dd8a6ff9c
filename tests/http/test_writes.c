/*
 * Durable writes through the whole stack: many connections writing at
 * once are all committed (group commit), a failing write does not take the
 * others with it, and SIGTERM finishes the writes in flight.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/testlib.h"

enum { WRITERS = 16, EACH = 25 };

struct writer_arg {
	struct tl_client *c;
	int index;
	int ok, conflicts, other;
	int first_failure;
};

static void *write_orgs(void *p)
{
	struct writer_arg *w = p;
	for (int i = 0; i < EACH; i++) {
		char body[256];
		int status;
		/* Every 10th write of writer 0 repeats a district code: it must fail alone. */
		if (w->index == 0 && i % 10 == 5)
			snprintf(body, sizeof(body), "{\"code\": \"semey\", \"name_kk\": \"Қайталау\", \"name_ru\": \"Повтор\", "
						     "\"name_en\": \"Repeat\", \"kind\": \"city\"}");
		else
			snprintf(body, sizeof(body), "{\"code\": \"w%d-%d\", \"name_kk\": \"Аудан %d\", \"name_ru\": \"Район %d\", "
						     "\"name_en\": \"District %d\", \"kind\": \"district\"}",
				 w->index, i, i, i, i);
		json_t *j = tl_api_json(w->c, "POST", "/api/v1/districts", body, &status);
		json_decref(j);
		if (status == 201)
			w->ok++;
		else if (status == 409)
			w->conflicts++;
		else {
			w->other++;
			if (!w->first_failure)
				w->first_failure = status;
		}
	}
	return NULL;
}

static void test_concurrent_writes_all_durable(void **state)
{
	(void)state;
	char pw[64];
	const char *db = tl_init_database(pw, sizeof(pw));
	struct tl_server s;
	tl_server_start(&s, db, NULL);
	struct tl_client admin;
	tl_admin_session(&admin, s.port, pw);
	pthread_t th[WRITERS];
	struct writer_arg args[WRITERS];
	for (int i = 0; i < WRITERS; i++) {
		args[i] = (struct writer_arg){&admin, i, 0, 0, 0, 0};
		pthread_create(&th[i], NULL, write_orgs, &args[i]);
	}
	int ok = 0, conflicts = 0, other = 0;
	for (int i = 0; i < WRITERS; i++) {
		pthread_join(th[i], NULL);
		ok += args[i].ok;
		conflicts += args[i].conflicts;
		other += args[i].other;
		if (args[i].first_failure)
			fprintf(stderr, "writer %d: status %d\n", i, args[i].first_failure);
	}
	assert_int_equal(other, 0);
	int repeats = 0;
	for (int i = 0; i < EACH; i++)
		repeats += i % 10 == 5;
	assert_int_equal(conflicts, repeats);
	assert_int_equal(ok, WRITERS * EACH - repeats);
	/* Every acknowledged write is there (12 seeded districts besides), each with its audit row. */
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM district WHERE code LIKE 'w%'"), ok);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM audit_log WHERE resource = 'district' AND action = 'create'"),
			 ok);
	/* And they were group-committed: fewer commits than writes. */
	struct tl_response r;
	tl_http(s.port, "GET", "/metrics", NULL, NULL, &r);
	const char *c = strstr(r.body.ptr, "qorgau_writer_batch_size_count ");
	assert_non_null(c);
	long batches = strtol(c + strlen("qorgau_writer_batch_size_count "), NULL, 10);
	const char *sum = strstr(r.body.ptr, "qorgau_writer_batch_size_sum ");
	long jobs = strtol(sum + strlen("qorgau_writer_batch_size_sum "), NULL, 10);
	assert_true(jobs >= WRITERS * EACH);
	assert_true(batches < jobs);
	tl_response_release(&r);
	assert_int_equal(tl_server_stop(&s), 0);
	struct tl_run run;
	tl_run_qorgau(&run, NULL, NULL, (const char *const[]){"audit", "verify", "--database", db, NULL});
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
}

struct burst {
	int port;
	const char *token;
	atomic_int ok;
	int refused;
};

static void *burst_writes(void *p)
{
	struct burst *b = p;
	struct tl_client c = {.port = b->port};
	snprintf(c.token, sizeof(c.token), "%s", b->token);
	for (int i = 0; i < 200; i++) {
		char body[160];
		int status;
		snprintf(body, sizeof(body), "{\"name\": \"Shutdown org %d-%d\", \"kind\": \"other\"}", (int)(uintptr_t)p % 1000,
			 i);
		json_t *j = tl_api_json(&c, "POST", "/api/v1/organisations", body, &status);
		json_decref(j);
		if (status == 201)
			atomic_fetch_add(&b->ok, 1);
		else
			b->refused++;
		if (status == 0)
			break; /* the server has gone */
	}
	return NULL;
}

/* SIGTERM in the middle of writes: every write answered 201 is in the database, and the exit is clean. */
static void test_shutdown_finishes_writes(void **state)
{
	(void)state;
	char pw[64];
	const char *db = tl_init_database(pw, sizeof(pw));
	struct tl_run run;
	tl_run_qorgau(&run, "Shutdown-Operator-1\n", NULL,
		      (const char *const[]){"user", "passwd", "--login", "admin", "--database", db, NULL});
	tl_run_release(&run);
	tl_run_qorgau(&run, NULL, NULL, (const char *const[]){"token", "create", "--user", "admin", "--database", db, NULL});
	char token[64];
	snprintf(token, sizeof(token), "%.*s", 43, run.out.ptr);
	tl_run_release(&run);
	struct tl_server s;
	tl_server_start(&s, db, NULL);
	pthread_t th[4];
	struct burst b[4];
	for (int i = 0; i < 4; i++) {
		b[i].port = s.port;
		b[i].token = token;
		atomic_init(&b[i].ok, 0);
		b[i].refused = 0;
		pthread_create(&th[i], NULL, burst_writes, &b[i]);
	}
	/* Stop in the middle of the writes: once some have been acknowledged (however slow the machine), not at a set time. */
	for (int waited = 0; waited < 10000 && !atomic_load(&b[0].ok) && !atomic_load(&b[1].ok); waited += 10)
		usleep(10000);
	usleep(20000);
	assert_int_equal(tl_server_stop(&s), 0);
	int ok = 0;
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		ok += atomic_load(&b[i].ok);
	}
	assert_true(ok > 0);
	assert_int_equal(tl_sql_int(db, "SELECT count(*) FROM organisation WHERE name LIKE 'Shutdown org%'"), ok);
	tl_run_qorgau(&run, NULL, NULL, (const char *const[]){"audit", "verify", "--database", db, NULL});
	assert_int_equal(run.status, 0);
	tl_run_release(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_writes_all_durable),
		cmocka_unit_test(test_shutdown_finishes_writes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
