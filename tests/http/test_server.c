/*
 * The HTTP server end to end: a real qorgau serve on a loopback port and a
 * real client. Routing, error forms, limits, malformed requests, metrics,
 * logs, keep-alive, timeouts and shutdown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/testlib.h"

static struct tl_server server;

static int start(void **state)
{
	(void)state;
	const char *db = tl_init_database(NULL, 0);
	static const char *const extra[] = {"--max-body-size", "4K", "--max-header-size", "2K", "--request-timeout", "2",
					    NULL};
	tl_server_start(&server, db, extra);
	return 0;
}

static int stop(void **state)
{
	(void)state;
	assert_int_equal(tl_server_stop(&server), 0);
	return 0;
}

static void test_healthz_and_security_headers(void **state)
{
	(void)state;
	struct tl_response r;
	char v[512];
	tl_http(server.port, "GET", "/healthz", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body.ptr, "{\"status\":\"ok\"}");
	assert_true(tl_response_header(&r, "content-type", v, sizeof(v)));
	assert_non_null(strstr(v, "application/json"));
	assert_true(tl_response_header(&r, "content-security-policy", v, sizeof(v)));
	assert_non_null(strstr(v, "frame-ancestors 'none'"));
	assert_non_null(strstr(v, "script-src 'self'"));
	assert_true(tl_response_header(&r, "x-content-type-options", v, sizeof(v)));
	assert_string_equal(v, "nosniff");
	assert_true(tl_response_header(&r, "referrer-policy", v, sizeof(v)));
	assert_true(tl_response_header(&r, "cache-control", v, sizeof(v)));
	assert_string_equal(v, "no-store");
	assert_true(tl_response_header(&r, "server", v, sizeof(v)));
	assert_string_equal(v, "qorgau"); /* no version given away */
	tl_response_release(&r);

	tl_http(server.port, "HEAD", "/healthz", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_int_equal(r.body.len, 0);
	tl_response_release(&r);
}

static void test_unknown_path_and_method(void **state)
{
	(void)state;
	struct tl_response r;
	char v[256];
	tl_http(server.port, "GET", "/api/v1/nothing-here", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	json_t *j = tl_response_json(&r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "not_found");
	assert_non_null(json_string_value(json_object_get(json_object_get(j, "error"), "message")));
	json_decref(j);
	tl_response_release(&r);

	/* Outside /api/: a page for a person. */
	tl_http(server.port, "GET", "/no/such/page", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	assert_true(tl_response_header(&r, "content-type", v, sizeof(v)));
	assert_non_null(strstr(v, "text/html"));
	assert_non_null(strstr(r.body.ptr, "<!doctype html>"));
	tl_response_release(&r);

	/* The probe is JSON, its errors too (not the pages' HTML). */
	tl_http(server.port, "DELETE", "/healthz", NULL, NULL, &r);
	assert_int_equal(r.status, 405);
	assert_true(tl_response_header(&r, "allow", v, sizeof(v)));
	assert_string_equal(v, "GET, HEAD");
	j = tl_response_json(&r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
			    "method_not_allowed");
	json_decref(j);
	tl_response_release(&r);

	tl_http(server.port, "PUT", "/api/v1/districts", NULL, "{}", &r);
	assert_int_equal(r.status, 405);
	assert_true(tl_response_header(&r, "allow", v, sizeof(v)));
	assert_non_null(strstr(v, "POST"));
	j = tl_response_json(&r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
			    "method_not_allowed");
	json_decref(j);
	tl_response_release(&r);

	/* Typed parameters: a non-number id is no route at all. */
	tl_http(server.port, "GET", "/api/v1/districts/abc", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	tl_response_release(&r);
	tl_http(server.port, "GET", "/api/v1/districts/-1", NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	tl_response_release(&r);
}

static void test_limits(void **state)
{
	(void)state;
	struct tl_response r;
	/* Head over 2 KiB: 431. */
	struct buf h = BUF_INIT;
	buf_adds(&h, "X-Filler: ");
	for (int i = 0; i < 3000; i++)
		buf_addc(&h, 'a');
	tl_http(server.port, "GET", "/healthz", h.ptr, NULL, &r);
	assert_int_equal(r.status, 431);
	json_t *err = tl_response_json(&r);
	assert_string_equal(json_string_value(json_object_get(json_object_get(err, "error"), "code")), "header_too_large");
	json_decref(err);
	tl_response_release(&r);
	buf_release(&h);

	/* Body over 4 KiB: 413, before any handler runs. */
	struct buf body = BUF_INIT;
	buf_adds(&body, "{\"code\":\"");
	for (int i = 0; i < 5000; i++)
		buf_addc(&body, 'x');
	buf_adds(&body, "\"}");
	tl_http(server.port, "POST", "/api/v1/districts", "Content-Type: application/json", body.ptr, &r);
	assert_int_equal(r.status, 413);
	tl_response_release(&r);
	buf_release(&body);

	/* A body under the limit reaches the pipeline (here: refused, nobody signed in). */
	tl_http(server.port, "POST", "/api/v1/districts", "Content-Type: application/json", "{\"code\":\"x\"}", &r);
	assert_int_equal(r.status, 401);
	tl_response_release(&r);
}

static void test_malformed_requests(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"GARBAGE\r\n\r\n",
		"GET /healthz HTTP/9.9 extra\r\n\r\n",
		"GET\r\n\r\n",
		"GET /healthz HTTP/1.1\r\nBad Header Line\r\n\r\n",
		"\x01\x02\x03\x04\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tl_response r;
		tl_http_raw(server.port, bad[i], strlen(bad[i]), 3000, &r);
		if (r.status != 400)
			fail_msg("case %zu: status %d, want 400", i, r.status);
		tl_response_release(&r);
	}
	/* The server is still fine afterwards. */
	struct tl_response r;
	tl_http(server.port, "GET", "/healthz", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	tl_response_release(&r);
}

static void test_keep_alive(void **state)
{
	(void)state;
	const char *two = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
	int fd = tl_connect(server.port);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, two, strlen(two)), (ssize_t)strlen(two));
	struct buf all = BUF_INIT;
	char tmp[4096];
	ssize_t n;
	struct pollfd pfd = {fd, POLLIN, 0};
	while (poll(&pfd, 1, 3000) > 0 && (n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_add(&all, tmp, (size_t)n);
	close(fd);
	const char *first = strstr(all.ptr, "HTTP/1.1 200");
	assert_non_null(first);
	assert_non_null(strstr(first + 1, "HTTP/1.1 200"));
	buf_release(&all);
}

/* A client that sends nothing is closed after the request timeout (2 s here). */
static void test_idle_connection_is_closed(void **state)
{
	(void)state;
	int fd = tl_connect(server.port);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "GET /heal", 9), 9);
	struct pollfd pfd = {fd, POLLIN, 0};
	time_t t0 = time(NULL);
	int ready = poll(&pfd, 1, 8000);
	assert_true(ready > 0); /* closed (or answered) before 8 s */
	char tmp[256];
	ssize_t n = read(fd, tmp, sizeof(tmp));
	assert_true(n <= 0 || strstr(tmp, "HTTP/1.1") != NULL);
	assert_true(time(NULL) - t0 <= 6);
	close(fd);
	/* Meanwhile others were served. */
	struct tl_response r;
	tl_http(server.port, "GET", "/healthz", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	tl_response_release(&r);
}

static void test_metrics_and_logs(void **state)
{
	(void)state;
	struct tl_response r;
	tl_http(server.port, "GET", "/api/v1/districts?q=%D0%90%D1%81%D0%B5%D0%BC", NULL, NULL, &r);
	tl_response_release(&r);
	tl_http(server.port, "GET", "/metrics", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.ptr, "qorgau_http_requests_total{route=\"healthz\",status=\"200\"}"));
	assert_non_null(strstr(r.body.ptr, "qorgau_http_requests_total{route=\"none\",status=\"404\"}"));
	assert_non_null(strstr(r.body.ptr, "qorgau_http_request_duration_seconds_bucket{route=\"healthz\",le=\"+Inf\"}"));
	assert_non_null(strstr(r.body.ptr, "qorgau_writer_queue_depth"));
	assert_non_null(strstr(r.body.ptr, "qorgau_writer_batch_size_bucket"));
	assert_non_null(strstr(r.body.ptr, "qorgau_database_size_bytes"));
	tl_response_release(&r);
	/* Request lines are flushed every 200 ms: wait for it, for as long as a busy machine needs. */
	const char *line = "msg=request method=GET path=/api/v1/districts route=districts.list status=401";
	for (int waited = 0; waited < 10000 && !tl_server_log_contains(&server, line); waited += 50)
		usleep(50000);
	assert_true(tl_server_log_contains(&server, line));
	/* The query string (names, search words) never reaches the log. */
	assert_false(tl_server_log_contains(&server, "q="));
	assert_false(tl_server_log_contains(&server, "%D0"));
}

/* SIGTERM: the server stops accepting, finishes, and exits 0 (checked in stop()). */
static void test_shutdown_while_busy(void **state)
{
	(void)state;
	struct tl_server s2;
	const char *db = tl_init_database(NULL, 0);
	tl_server_start(&s2, db, NULL);
	/* A connection that is idle and one half-sent: neither may keep the server up. */
	int idle = tl_connect(s2.port);
	int half = tl_connect(s2.port);
	assert_int_equal(write(half, "GET /hea", 8), 8);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(tl_server_stop(&s2), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 5);
	assert_true(tl_server_log_contains(&s2, "stopped cleanly"));
	close(idle);
	close(half);
	/* Nobody listens any more. */
	assert_int_equal(tl_connect(s2.port), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz_and_security_headers),
		cmocka_unit_test(test_unknown_path_and_method),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_malformed_requests),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_idle_connection_is_closed),
		cmocka_unit_test(test_metrics_and_logs),
		cmocka_unit_test(test_shutdown_while_busy),
	};
	return cmocka_run_group_tests(tests, start, stop);
}
