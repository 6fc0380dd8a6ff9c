/*
 * One HTTP request as handlers see it, and the ways to answer it.
 *
 * A struct request lives from the moment h2o hands us a request until both
 * h2o is done with it (the reply is sent or the client left) and no write
 * job of ours is still running for it. Memory for the reply (r->body) and
 * everything in r->arena stay valid that long, so replies are sent without
 * copying.
 *
 * A handler answers synchronously (respond_*), or starts a durable write
 * with request_write() and answers from its completion callback, which
 * runs on the same event-loop thread after the commit.
 */
#ifndef QORGAU_HTTP_REQUEST_H
#define QORGAU_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"
#include "core/pool.h"
#include "db/writer.h"
#include "domain/authz.h"
#include "http/input.h"
#include "http/router.h"

struct worker;
struct h2o_req_t;
struct st_h2o_req_t;


/* The signed-in user, if any (user_id 0 = anonymous). */
struct principal {
	int64_t user_id;
	const char *login;
	const char *full_name;
	enum role role;
	int is_head;
	int64_t organisation_id;
	int64_t district_id;
	int must_change_password;
	int64_t session_id; /* 0 for bearer tokens */
	int64_t token_id;
	const char *csrf;   /* the session's CSRF token */
};

struct request {
	struct st_h2o_req_t *req; /* NULL once h2o is done with the request */
	struct worker *w;
	struct arena arena;
	const struct route *route;
	size_t route_index;
	struct route_match match;
	struct input in;
	struct principal user;
	enum lang lang;
	int lang_from_cookie;
	int session_expired; /* a session cookie came, but its session is over */
	int is_api;
	int status;
	int responded;
	int pending; /* write jobs in flight */
	const char *title; /* the page's title (page_begin), which names its scrolling tables */
	int forms; /* <form>s begun on this page, so that each form's ids are its own */
	int form_foreign; /* the form being written is not the one this POST sent: none of its values or errors */
	int error_focused; /* a field in error has taken the focus (the first one does) */
	uint64_t started_ns;
	char client[48];
	struct buf body;
	void *ctx; /* the handler's own state between a write and its reply */
	/* Called when the request is freed, however it ended (a file to close). */
	void (*cleanup)(void *arg);
	void *cleanup_arg;
};

struct actor;
/* The caller as an audit actor. */
void request_actor(struct request *r, struct actor *out);
/*
 * The scope r's user holds for perm, narrowed to the user's district when
 * the account is limited to one.
 */
struct scope_filter request_scope(struct request *r, struct perm perm);

/* Translate a source string into the request's language. */
#define _(r, msgid) T((r)->lang, (msgid))

/* The database connection of this request's thread (reads). */
struct db *request_db(struct request *r);
/* Path parameter i ({id} segments in order). */
int64_t request_id(struct request *r, int i);
const char *request_param(struct request *r, int i);
/* The request's path with its query string, as sent. */
const char *request_path(struct request *r, size_t *len);
/* A request header's value, or NULL. */
const char *request_header(struct request *r, const char *name, size_t *len);
/* The request body as received. */
const char *request_body(struct request *r, size_t *len);

/* Add a response header (name and value copied). */
void response_header(struct request *r, const char *name, const char *value);

/* Send r->body with the given status and content type. */
void respond(struct request *r, int status, const char *content_type);
/* Send r->body as application/json. */
void respond_json(struct request *r, int status);
/*
 * An error: JSON {"error": {...}} on API routes, a plain page elsewhere.
 * field may be NULL.
 */
void respond_error(struct request *r, int status, const char *code, const char *message, const char *field);
/* The first error of r->in (400 for syntax, 422 for values). */
void respond_input_errors(struct request *r);
/* 503 for a database status that means "try later", else 500. */
void respond_db_error(struct request *r, int status);
/* 303 See Other to a local path. */
void respond_redirect(struct request *r, const char *location);

/*
 * A reply streamed a part at a time (exports of any size): fill appends the
 * next part to r->body and returns 1 once it has written the last one. It
 * is called again only when the previous part has gone out, so memory stays
 * bounded. filename (our own ASCII names only) makes it a download.
 */
typedef int (*request_fill_fn)(struct request *r, void *arg);
void respond_stream(struct request *r, int status, const char *content_type, const char *filename,
		    request_fill_fn fill, void *arg);

typedef void (*request_write_then)(struct request *r, int status);
/*
 * Run job code in the writer (group commit). then() runs on this thread
 * once the write is durable or has failed; it is not called if the client
 * has gone by then (the write still happened).
 */
void request_write(struct request *r, write_run_fn run, void *arg, request_write_then then);

typedef void (*request_offload_then)(struct request *r, void *arg);
/*
 * Run CPU-heavy work (password hashing) on the thread pool, then then()
 * on this thread, unless the client has gone.
 */
void request_offload(struct request *r, void (*run)(struct pool_job *job), void *arg, request_offload_then then);

#endif
