/*
 * Helpers for tests: a scratch folder, a fresh database on the backend
 * under test (QORGAU_TEST_BACKEND=sqlite|pg), running the qorgau binary,
 * starting a real server on a free loopback port, and a small HTTP client
 * that can also send malformed bytes.
 *
 * Include after <cmocka.h>'s prerequisites (stdarg, stddef, setjmp).
 */
#ifndef QORGAU_TESTLIB_H
#define QORGAU_TESTLIB_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/buf.h"

/* "sqlite" or "pg". */
const char *tl_backend(void);
int tl_is_pg(void);
/* A scratch folder for this test process, removed at exit. */
const char *tl_tmpdir(void);
/* A new, empty database URL on the backend under test. */
const char *tl_new_database(void);
/* PostgreSQL: a new, empty database in the tablespace named, dropped at exit. */
const char *tl_new_database_in(const char *tablespace);
/* PostgreSQL: the URL of the test server's maintenance database, as its superuser. */
const char *tl_pg_admin_url(void);
/* The qorgau binary under test (QORGAU_BIN, else build/qorgau). */
const char *tl_qorgau_bin(void);

struct tl_run {
	int status; /* exit status, or 128+signal */
	struct buf out;
	struct buf err;
};
/* Run qorgau with args (NULL-terminated), optional stdin text; env entries "K=V" added. */
void tl_run_qorgau(struct tl_run *run, const char *stdin_text, const char *const *env, const char *const *args);
void tl_run_release(struct tl_run *run);

/* Run literal SQL on a database URL directly (not through qorgau); returns 0 on success. */
int tl_sql(const char *url, const char *sql);
/* Run a query returning one integer; fails the test on error. */
long long tl_sql_int(const char *url, const char *sql);
/*
 * Run a query and append every row to out as text: columns joined by a tab,
 * each row ending in a newline, NULL as an empty field. Returns the number
 * of rows; fails the test on error.
 */
long tl_sql_rows(const char *url, const char *sql, struct buf *out);

/* An initialised database: runs qorgau init; the admin's one-time password goes to admin_password (if non-NULL). */
const char *tl_init_database(char *admin_password, size_t size);

struct tl_server {
	pid_t pid;
	int port;
	char database[512];
	char logpath[512];
};
/* Start qorgau serve on 127.0.0.1:0 with extra args (NULL-terminated; may be NULL). */
void tl_server_start(struct tl_server *s, const char *database, const char *const *extra);
/* SIGTERM and wait; returns the exit status. */
int tl_server_stop(struct tl_server *s);
/* SIGKILL and reap, as a crash would (no clean shutdown); returns the exit status (128+9). */
int tl_server_kill(struct tl_server *s);
/* Whether the server log contains text. */
int tl_server_log_contains(struct tl_server *s, const char *text);

struct tl_response {
	int status;
	struct buf head; /* status line and headers */
	struct buf body;
};
void tl_response_release(struct tl_response *r);
/* A header value (case-insensitive name) copied into out; returns 0 if absent. */
int tl_response_header(const struct tl_response *r, const char *name, char *out, size_t outlen);
/* Parse the body as JSON (fails the test if it is not). */
json_t *tl_response_json(const struct tl_response *r);

/*
 * One request on a new connection. headers: extra header lines joined by
 * "\r\n" (may be NULL). body may be NULL.
 */
int tl_http(int port, const char *method, const char *path, const char *headers, const char *body,
	    struct tl_response *resp);
/* Send raw bytes and read whatever comes back until the server closes or timeout_ms passes. */
int tl_http_raw(int port, const void *data, size_t len, int timeout_ms, struct tl_response *resp);
/* A connected socket to the server, for tests that hold connections. */
int tl_connect(int port);

/* A client with a session cookie and CSRF token, or a bearer token. */
struct tl_client {
	int port;
	char cookie[128]; /* the session token */
	char csrf[64];
	char token[64]; /* bearer */
};

/* Sign in through the API; returns the HTTP status (200 fills cookie and csrf). */
int tl_login(struct tl_client *c, int port, const char *login, const char *password);
/*
 * A JSON API request as this client: cookie (with X-CSRF-Token on writes)
 * or bearer token; body is JSON text or NULL. Returns the status.
 */
int tl_api(struct tl_client *c, const char *method, const char *path, const char *body, struct tl_response *resp);
/* Like tl_api, returning the parsed body (caller json_decref) and the status in *status. */
json_t *tl_api_json(struct tl_client *c, const char *method, const char *path, const char *body, int *status);
/* error.code of a JSON error body ("" if none; valid until j is freed). */
const char *tl_error_code(json_t *j);
/*
 * Create a user through the API as admin (who must be signed in, password
 * changed); returns the new id. extra: more JSON members (may be NULL).
 */
int64_t tl_create_user(struct tl_client *admin, const char *login, const char *role, const char *password,
		       const char *extra);
/* The admin account of a fresh database, signed in with a permanent password. */
void tl_admin_session(struct tl_client *admin, int port, const char *one_time_password);

/* Percent-encode s for a query string (caller frees). */
char *tl_urlencode(const char *s);
/* A JSON object from base with the members of extra ("\"k\": v, …" without braces) replacing its own; caller frees. */
char *tl_json_merge(const char *base, const char *extra);

#endif
