/* Test helpers (testlib.h). */
#include "lib/testlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <sqlite3.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "testlib: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

const char *tl_backend(void)
{
	const char *b = getenv("QORGAU_TEST_BACKEND");
	return b && !strcmp(b, "pg") ? "pg" : "sqlite";
}

int tl_is_pg(void)
{
	return !strcmp(tl_backend(), "pg");
}

static char tmpdir[256];
static char created_dbs[64][64];
static int ncreated;

static void pg_admin_url(char *out, size_t n, const char *dbname)
{
	const char *host = getenv("QORGAU_TEST_PG_HOST");
	const char *port = getenv("QORGAU_TEST_PG_PORT");
	const char *user = getenv("QORGAU_TEST_PG_USER");
	if (!host)
		die("QORGAU_TEST_BACKEND=pg needs scripts/with-postgres");
	snprintf(out, n, "postgresql://%s@/%s?host=%s&port=%s", user ? user : "qorgau", dbname, host, port ? port : "5432");
}

static void cleanup(void)
{
	if (tmpdir[0]) {
		char cmd[300];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			fprintf(stderr, "testlib: cannot remove %s\n", tmpdir);
	}
	if (ncreated) {
		char url[512];
		pg_admin_url(url, sizeof(url), "postgres");
		PGconn *c = PQconnectdb(url);
		for (int i = 0; c && PQstatus(c) == CONNECTION_OK && i < ncreated; i++) {
			char sql[128];
			snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", created_dbs[i]);
			PQclear(PQexec(c, sql));
		}
		PQfinish(c);
	}
}

const char *tl_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof(tmpdir), "/tmp/qorgau-test.XXXXXX");
		if (!mkdtemp(tmpdir))
			die("mkdtemp: %s", strerror(errno));
		atexit(cleanup);
		/* One data key for every database of this test process, kept in its scratch folder. */
		char key[300];
		snprintf(key, sizeof(key), "%s/test.key", tmpdir);
		setenv("QORGAU_KEY_FILE", key, 1);
	}
	return tmpdir;
}

const char *tl_pg_admin_url(void)
{
	static char url[512];
	pg_admin_url(url, sizeof(url), "postgres");
	return url;
}

const char *tl_new_database(void)
{
	return tl_new_database_in(NULL);
}

const char *tl_new_database_in(const char *tablespace)
{
	tl_tmpdir();
	static char url[64][512];
	static int n;
	static unsigned counter;
	if (n >= 64)
		die("too many databases in one test");
	char *out = url[n++];
	tl_tmpdir();
	if (!tl_is_pg()) {
		snprintf(out, 512, "sqlite:%s/db%u.db", tmpdir, counter++);
		return out;
	}
	char name[64], admin[512];
	snprintf(name, sizeof(name), "qt_%d_%u_%ld", (int)getpid(), counter++, (long)time(NULL) % 100000);
	pg_admin_url(admin, sizeof(admin), "postgres");
	PGconn *c = PQconnectdb(admin);
	if (PQstatus(c) != CONNECTION_OK)
		die("cannot connect to the test PostgreSQL: %s", PQerrorMessage(c));
	char sql[256];
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s%s%s", name, tablespace ? " TABLESPACE " : "",
		 tablespace ? tablespace : "");
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		die("CREATE DATABASE: %s", PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
	if (ncreated < 64)
		snprintf(created_dbs[ncreated++], 64, "%s", name);
	pg_admin_url(out, 512, name);
	return out;
}

const char *tl_qorgau_bin(void)
{
	const char *b = getenv("QORGAU_BIN");
	return b ? b : "build/qorgau";
}

static void read_all(int fd, struct buf *b)
{
	char tmp[4096];
	ssize_t n;
	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_add(b, tmp, (size_t)n);
}

void tl_run_qorgau(struct tl_run *run, const char *stdin_text, const char *const *env, const char *const *args)
{
	int in[2];
	buf_init(&run->out);
	buf_init(&run->err);
	if (pipe(in))
		die("pipe: %s", strerror(errno));
	char outpath[300], errpath[300];
	/* Files, not pipes, for output: a large output must not block the child. */
	snprintf(outpath, sizeof(outpath), "%s/run.out", tl_tmpdir());
	snprintf(errpath, sizeof(errpath), "%s/run.err", tl_tmpdir());
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int fo = open(outpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(in[0], 0);
		dup2(fo, 1);
		dup2(fe, 2);
		close(in[1]);
		for (const char *const *e = env; e && *e; e++)
			putenv((char *)(uintptr_t)*e);
		const char *argv[64];
		int n = 0;
		argv[n++] = tl_qorgau_bin();
		for (const char *const *a = args; a && *a && n < 63; a++)
			argv[n++] = *a;
		argv[n] = NULL;
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(in[0]);
	if (stdin_text) {
		size_t len = strlen(stdin_text);
		if (write(in[1], stdin_text, len) != (ssize_t)len)
			die("write stdin: %s", strerror(errno));
	}
	close(in[1]);
	int st;
	waitpid(pid, &st, 0);
	run->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	int fo = open(outpath, O_RDONLY);
	int fe = open(errpath, O_RDONLY);
	read_all(fo, &run->out);
	read_all(fe, &run->err);
	close(fo);
	close(fe);
}

void tl_run_release(struct tl_run *run)
{
	buf_release(&run->out);
	buf_release(&run->err);
}

const char *tl_init_database(char *admin_password, size_t size)
{
	const char *db = tl_new_database();
	struct tl_run run;
	const char *args[] = {"init", "--database", db, NULL};
	tl_run_qorgau(&run, NULL, NULL, args);
	if (run.status != 0)
		die("qorgau init failed (%d): %s", run.status, run.err.ptr);
	if (admin_password) {
		const char *p = strstr(run.out.ptr, "one-time password '");
		if (!p)
			die("init printed no password: %s", run.out.ptr);
		p += strlen("one-time password '");
		size_t n = strcspn(p, "'");
		if (n >= size)
			die("password too long");
		memcpy(admin_password, p, n);
		admin_password[n] = '\0';
	}
	tl_run_release(&run);
	return db;
}

void tl_server_start(struct tl_server *s, const char *database, const char *const *extra)
{
	int out[2];
	memset(s, 0, sizeof(*s));
	snprintf(s->database, sizeof(s->database), "%s", database);
	static int nserver;
	snprintf(s->logpath, sizeof(s->logpath), "%s/server%d.log", tl_tmpdir(), nserver++);
	if (pipe(out))
		die("pipe: %s", strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int fe = open(s->logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(out[1], 1);
		dup2(fe, 2);
		close(out[0]);
		const char *argv[64];
		int n = 0;
		argv[n++] = tl_qorgau_bin();
		argv[n++] = "serve";
		argv[n++] = "--database";
		argv[n++] = s->database;
		argv[n++] = "--listen";
		argv[n++] = "127.0.0.1:0";
		argv[n++] = "--threads";
		argv[n++] = "2";
		for (const char *const *a = extra; a && *a && n < 63; a++)
			argv[n++] = *a;
		argv[n] = NULL;
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(out[1]);
	s->pid = pid;
	/* Wait for "serving on http://127.0.0.1:PORT/". */
	char line[512];
	size_t len = 0;
	struct pollfd pfd = {out[0], POLLIN, 0};
	while (len < sizeof(line) - 1) {
		if (poll(&pfd, 1, 20000) <= 0)
			break;
		ssize_t n = read(out[0], line + len, 1);
		if (n <= 0)
			break;
		len++;
		if (line[len - 1] == '\n')
			break;
	}
	line[len] = '\0';
	close(out[0]);
	const char *p = strstr(line, "http://127.0.0.1:");
	if (!p) {
		int st;
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "cat '%s' >&2", s->logpath);
		if (system(cmd) != 0)
			fprintf(stderr, "(no log)\n");
		die("server did not start: '%s'", line);
	}
	s->port = atoi(p + strlen("http://127.0.0.1:"));
}

int tl_server_stop(struct tl_server *s)
{
	int st = 0;
	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int tl_server_kill(struct tl_server *s)
{
	int st = 0;
	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGKILL);
	waitpid(s->pid, &st, 0);
	s->pid = 0;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int tl_server_log_contains(struct tl_server *s, const char *text)
{
	FILE *f = fopen(s->logpath, "r");
	if (!f)
		return 0;
	struct buf b = BUF_INIT;
	read_all(fileno(f), &b);
	fclose(f);
	int found = strstr(b.ptr, text) != NULL;
	buf_release(&b);
	return found;
}

void tl_response_release(struct tl_response *r)
{
	buf_release(&r->head);
	buf_release(&r->body);
}

int tl_response_header(const struct tl_response *r, const char *name, char *out, size_t outlen)
{
	size_t nlen = strlen(name);
	const char *p = r->head.ptr;
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;
			while (*v == ' ')
				v++;
			size_t vl = strcspn(v, "\r\n");
			if (vl >= outlen)
				vl = outlen - 1;
			memcpy(out, v, vl);
			out[vl] = '\0';
			return 1;
		}
	}
	return 0;
}

json_t *tl_response_json(const struct tl_response *r)
{
	json_error_t err;
	json_t *j = json_loadb(r->body.ptr, r->body.len, 0, &err);
	if (!j)
		die("response is not JSON (%s): %.300s", err.text, r->body.ptr);
	return j;
}

int tl_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Split a raw response into head and body (Content-Length or to the end). */
static void parse_response(struct buf *raw, struct tl_response *resp)
{
	const char *end = strstr(raw->ptr, "\r\n\r\n");
	resp->status = 0;
	if (!end) {
		buf_add(&resp->head, raw->ptr, raw->len);
		return;
	}
	buf_add(&resp->head, raw->ptr, (size_t)(end - raw->ptr));
	sscanf(raw->ptr, "HTTP/1.%*d %d", &resp->status);
	const char *body = end + 4;
	size_t blen = raw->len - (size_t)(body - raw->ptr);
	char cl[32];
	if (tl_response_header(resp, "transfer-encoding", cl, sizeof(cl)) && strcasestr(cl, "chunked")) {
		/* Chunked (streamed exports): size line, data, CRLF, … until a zero size. */
		const char *p = body, *stop = body + blen;
		while (p < stop) {
			char *after;
			size_t n = (size_t)strtoull(p, &after, 16);
			const char *data = strstr(after, "\r\n");
			if (!data || n == 0)
				break;
			data += 2;
			if (data + n > stop)
				n = (size_t)(stop - data);
			buf_add(&resp->body, data, n);
			p = data + n + 2;
		}
		return;
	}
	if (tl_response_header(resp, "content-length", cl, sizeof(cl))) {
		size_t want = (size_t)strtoull(cl, NULL, 10);
		if (want < blen)
			blen = want;
	}
	buf_add(&resp->body, body, blen);
}

int tl_http_raw(int port, const void *data, size_t len, int timeout_ms, struct tl_response *resp)
{
	buf_init(&resp->head);
	buf_init(&resp->body);
	resp->status = 0;
	int fd = tl_connect(port);
	if (fd < 0)
		return -1;
	const char *p = data;
	size_t off = 0;
	while (off < len) {
		ssize_t n = write(fd, p + off, len - off);
		if (n <= 0)
			break; /* the server may close early (413): read what it said */
		off += (size_t)n;
	}
	struct buf raw = BUF_INIT;
	struct pollfd pfd = {fd, POLLIN, 0};
	for (;;) {
		if (poll(&pfd, 1, timeout_ms) <= 0)
			break;
		char tmp[8192];
		ssize_t n = read(fd, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		buf_add(&raw, tmp, (size_t)n);
		/* Stop once a whole response with Content-Length has arrived. */
		const char *hend = strstr(raw.ptr, "\r\n\r\n");
		if (hend) {
			const char *cl = strcasestr(raw.ptr, "\r\ncontent-length:");
			if (cl && cl < hend) {
				size_t want = (size_t)strtoull(cl + 17, NULL, 10);
				if (raw.len - (size_t)(hend + 4 - raw.ptr) >= want)
					break;
			}
			/* A chunked body ends with a zero-size chunk. */
			const char *te = strcasestr(raw.ptr, "\r\ntransfer-encoding: chunked");
			if (te && te < hend && raw.len >= 5 && memcmp(raw.ptr + raw.len - 5, "0\r\n\r\n", 5) == 0)
				break;
		}
	}
	close(fd);
	parse_response(&raw, resp);
	buf_release(&raw);
	return 0;
}

int tl_http(int port, const char *method, const char *path, const char *headers, const char *body,
	    struct tl_response *resp)
{
	struct buf req = BUF_INIT;
	size_t blen = body ? strlen(body) : 0;
	buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n", method, path, port);
	if (headers && *headers)
		buf_printf(&req, "%s\r\n", headers);
	if (body)
		buf_printf(&req, "Content-Length: %zu\r\n", blen);
	buf_adds(&req, "\r\n");
	if (body)
		buf_add(&req, body, blen);
	int rc = tl_http_raw(port, req.ptr, req.len, 10000, resp);
	buf_release(&req);
	return rc;
}

int tl_sql(const char *url, const char *sql)
{
	if (!strncmp(url, "sqlite:", 7)) {
		sqlite3 *h;
		if (sqlite3_open(url + 7, &h) != SQLITE_OK)
			die("cannot open %s", url);
		sqlite3_busy_timeout(h, 5000);
		char *msg = NULL;
		int rc = sqlite3_exec(h, sql, NULL, NULL, &msg);
		if (rc != SQLITE_OK)
			fprintf(stderr, "tl_sql: %s\n", msg);
		sqlite3_free(msg);
		sqlite3_close(h);
		return rc == SQLITE_OK ? 0 : -1;
	}
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK)
		die("cannot connect: %s", PQerrorMessage(c));
	PGresult *res = PQexec(c, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		fprintf(stderr, "tl_sql: %s\n", PQerrorMessage(c));
	PQclear(res);
	PQfinish(c);
	return ok ? 0 : -1;
}

long long tl_sql_int(const char *url, const char *sql)
{
	long long v = 0;
	if (!strncmp(url, "sqlite:", 7)) {
		sqlite3 *h;
		sqlite3_stmt *st;
		if (sqlite3_open(url + 7, &h) != SQLITE_OK)
			die("cannot open %s", url);
		sqlite3_busy_timeout(h, 5000);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
			die("tl_sql_int: %s: %s", sql, sqlite3_errmsg(h));
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		else
			die("tl_sql_int: no row for %s", sql);
		sqlite3_finalize(st);
		sqlite3_close(h);
		return v;
	}
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK)
		die("cannot connect: %s", PQerrorMessage(c));
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) < 1)
		die("tl_sql_int: %s: %s", sql, PQerrorMessage(c));
	v = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	PQfinish(c);
	return v;
}

long tl_sql_rows(const char *url, const char *sql, struct buf *out)
{
	long rows = 0;
	if (!strncmp(url, "sqlite:", 7)) {
		sqlite3 *h;
		sqlite3_stmt *st;
		if (sqlite3_open(url + 7, &h) != SQLITE_OK)
			die("cannot open %s", url);
		sqlite3_busy_timeout(h, 5000);
		if (sqlite3_prepare_v2(h, sql, -1, &st, NULL) != SQLITE_OK)
			die("tl_sql_rows: %s: %s", sql, sqlite3_errmsg(h));
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const unsigned char *t = sqlite3_column_text(st, i);
				if (i)
					buf_addc(out, '\t');
				if (t)
					buf_add(out, t, (size_t)sqlite3_column_bytes(st, i));
			}
			buf_addc(out, '\n');
			rows++;
		}
		if (rc != SQLITE_DONE)
			die("tl_sql_rows: %s: %s", sql, sqlite3_errmsg(h));
		sqlite3_finalize(st);
		sqlite3_close(h);
		return rows;
	}
	PGconn *c = PQconnectdb(url);
	if (PQstatus(c) != CONNECTION_OK)
		die("cannot connect: %s", PQerrorMessage(c));
	PGresult *res = PQexec(c, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		die("tl_sql_rows: %s: %s", sql, PQerrorMessage(c));
	for (int r = 0; r < PQntuples(res); r++) {
		for (int i = 0; i < PQnfields(res); i++) {
			if (i)
				buf_addc(out, '\t');
			buf_add(out, PQgetvalue(res, r, i), (size_t)PQgetlength(res, r, i));
		}
		buf_addc(out, '\n');
		rows++;
	}
	PQclear(res);
	PQfinish(c);
	return rows;
}

/* Take qorgau_session=VALUE from a response's Set-Cookie headers. */
static void take_session_cookie(const struct tl_response *r, char *out, size_t outlen)
{
	const char *p = r->head.ptr;
	while ((p = strcasestr(p, "\r\nset-cookie: qorgau_session=")) != NULL) {
		p += strlen("\r\nset-cookie: qorgau_session=");
		size_t n = strcspn(p, ";\r");
		if (n < outlen) {
			memcpy(out, p, n);
			out[n] = '\0';
		}
	}
}

int tl_login(struct tl_client *c, int port, const char *login, const char *password)
{
	struct tl_response r;
	char body[512];
	memset(c, 0, sizeof(*c));
	c->port = port;
	snprintf(body, sizeof(body), "{\"login\": \"%s\", \"password\": \"%s\"}", login, password);
	tl_http(port, "POST", "/api/v1/session", "Content-Type: application/json", body, &r);
	int status = r.status;
	if (status == 200) {
		take_session_cookie(&r, c->cookie, sizeof(c->cookie));
		json_t *j = tl_response_json(&r);
		const char *csrf = json_string_value(json_object_get(j, "csrf"));
		if (csrf)
			snprintf(c->csrf, sizeof(c->csrf), "%s", csrf);
		json_decref(j);
	}
	tl_response_release(&r);
	return status;
}

int tl_api(struct tl_client *c, const char *method, const char *path, const char *body, struct tl_response *resp)
{
	char headers[512] = "";
	size_t n = 0;
	if (c->token[0])
		n += (size_t)snprintf(headers + n, sizeof(headers) - n, "Authorization: Bearer %s\r\n", c->token);
	if (c->cookie[0])
		n += (size_t)snprintf(headers + n, sizeof(headers) - n, "Cookie: qorgau_session=%s\r\n", c->cookie);
	if (c->cookie[0] && strcmp(method, "GET") && c->csrf[0])
		n += (size_t)snprintf(headers + n, sizeof(headers) - n, "X-CSRF-Token: %s\r\n", c->csrf);
	if (body)
		n += (size_t)snprintf(headers + n, sizeof(headers) - n, "Content-Type: application/json\r\n");
	if (n >= 2)
		headers[n - 2] = '\0';
	tl_http(c->port, method, path, headers, body, resp);
	return resp->status;
}

json_t *tl_api_json(struct tl_client *c, const char *method, const char *path, const char *body, int *status)
{
	struct tl_response r;
	*status = tl_api(c, method, path, body, &r);
	json_error_t err;
	json_t *j = r.body.len ? json_loadb(r.body.ptr, r.body.len, 0, &err) : json_object();
	if (!j)
		j = json_object();
	tl_response_release(&r);
	return j;
}

const char *tl_error_code(json_t *j)
{
	const char *s = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
	return s ? s : "";
}

int64_t tl_create_user(struct tl_client *admin, const char *login, const char *role, const char *password,
		       const char *extra)
{
	char body[1024];
	int status;
	snprintf(body, sizeof(body), "{\"login\": \"%s\", \"full_name\": \"Test %s\", \"role\": \"%s\", "
				     "\"password\": \"%s\"%s%s}",
		 login, login, role, password, extra ? ", " : "", extra ? extra : "");
	json_t *j = tl_api_json(admin, "POST", "/api/v1/users", body, &status);
	if (status != 201)
		die("creating user %s: %d %s", login, status, tl_error_code(j));
	int64_t id = json_integer_value(json_object_get(json_object_get(j, "user"), "id"));
	json_decref(j);
	return id;
}

void tl_admin_session(struct tl_client *admin, int port, const char *one_time_password)
{
	if (tl_login(admin, port, "admin", one_time_password) != 200)
		die("admin cannot sign in");
	char body[256];
	int status;
	snprintf(body, sizeof(body), "{\"current_password\": \"%s\", \"new_password\": \"Adm1n-Passw0rd!\"}",
		 one_time_password);
	json_t *j = tl_api_json(admin, "POST", "/api/v1/me/password", body, &status);
	if (status != 204)
		die("admin cannot change the one-time password: %d %s", status, tl_error_code(j));
	json_decref(j);
}

char *tl_urlencode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(3 * n + 1), *o = out;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = 0;
	return out;
}

char *tl_json_merge(const char *base, const char *extra)
{
	json_error_t err;
	json_t *b = json_loads(base, 0, &err);
	if (!b)
		die("bad base JSON %s: %s", base, err.text);
	if (extra && *extra) {
		size_t n = strlen(extra) + 3;
		char *wrapped = malloc(n);
		snprintf(wrapped, n, "{%s}", extra);
		json_t *e = json_loads(wrapped, 0, &err);
		if (!e)
			die("bad extra JSON %s: %s", extra, err.text);
		json_object_update(b, e);
		json_decref(e);
		free(wrapped);
	}
	char *out = json_dumps(b, 0);
	json_decref(b);
	return out;
}
