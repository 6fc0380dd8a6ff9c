/*
 * The request pipeline (route, authenticate, authorise, parse input, run
 * the handler) and the ways to answer (request.h).
 */
#include "http/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/mem.h"
#include "core/time.h"
#include "http/auth.h"
#include "http/internal.h"
#include "http/json.h"
#include "domain/audit.h"
#include "web/page.h"

/* Present while h2o holds the request; tells us when it lets go. */
struct request_guard {
	struct request *r;
};

static void request_free(struct request *r)
{
	if (r->cleanup)
		r->cleanup(r->cleanup_arg);
	arena_release(&r->arena);
	buf_release(&r->body);
	free(r);
}

static void request_maybe_free(struct request *r)
{
	if (!r->req && r->pending == 0)
		request_free(r);
}

static void on_request_disposed(void *p)
{
	struct request_guard *g = p;
	struct request *r = g->r;
	struct worker *w = r->w;
	atomic_store_explicit(&w->metrics.inflight,
			      atomic_load_explicit(&w->metrics.inflight, memory_order_relaxed) - 1,
			      memory_order_relaxed);
	if (!r->responded) {
		/* The client left before we answered; count it for the logs. */
		r->status = 499;
	}
	r->req = NULL;
	request_maybe_free(r);
}

void request_actor(struct request *r, struct actor *out)
{
	out->user_id = r->user.user_id;
	out->role = role_name(r->user.role);
	out->client = r->client;
}

struct scope_filter request_scope(struct request *r, struct perm perm)
{
	struct scope_filter f = {
		.scope = authz_scope(r->user.role, perm),
		.user_id = r->user.user_id,
		.organisation_id = r->user.organisation_id,
		.district_id = r->user.district_id,
	};
	if (f.scope == SCOPE_REGION && r->user.district_id)
		f.scope = SCOPE_DISTRICT;
	return f;
}

struct db *request_db(struct request *r)
{
	return r->w->db;
}

int64_t request_id(struct request *r, int i)
{
	return i < r->match.nparams ? r->match.ids[i] : 0;
}

const char *request_param(struct request *r, int i)
{
	return i < r->match.nparams ? r->match.strs[i] : NULL;
}

const char *request_path(struct request *r, size_t *len)
{
	if (!r->req) {
		*len = 0;
		return NULL;
	}
	*len = r->req->path.len;
	return r->req->path.base;
}

const char *request_header(struct request *r, const char *name, size_t *len)
{
	if (!r->req)
		return NULL;
	ssize_t i = h2o_find_header_by_str(&r->req->headers, name, strlen(name), -1);
	if (i < 0)
		return NULL;
	h2o_iovec_t v = r->req->headers.entries[i].value;
	if (len)
		*len = v.len;
	return v.base;
}

const char *request_body(struct request *r, size_t *len)
{
	if (!r->req) {
		*len = 0;
		return "";
	}
	*len = r->req->entity.len;
	return r->req->entity.base ? r->req->entity.base : "";
}

void response_header(struct request *r, const char *name, const char *value)
{
	if (!r->req)
		return;
	h2o_req_t *req = r->req;
	h2o_iovec_t n = h2o_strdup(&req->pool, name, strlen(name));
	h2o_iovec_t v = h2o_strdup(&req->pool, value, strlen(value));
	h2o_add_header_by_str(&req->pool, &req->res.headers, n.base, n.len, 1, NULL, v.base, v.len);
}

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Error";
	}
}

#define ADD_STATIC_HEADER(req, name, value)                                                                            \
	h2o_add_header_by_str(&(req)->pool, &(req)->res.headers, H2O_STRLIT(name), 0, NULL, H2O_STRLIT(value))

static void account(struct request *r)
{
	struct worker *w = r->w;
	uint64_t dur_us = (time_mono_ns() - r->started_ns) / 1000;
	metrics_record(&w->metrics, r->route ? r->route_index : route_count, r->status, dur_us);
	if (!w->server->cfg->log_requests || (r->route && (r->route->flags & ROUTE_NO_LOG)) || !r->req)
		return;
	h2o_req_t *req = r->req;
	size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
	struct log_request lr = {
		.method = req->method.base,
		.method_len = req->method.len,
		.path = req->path.base,
		.path_len = plen,
		.route = r->route ? r->route->name : "-",
		.status = r->status,
		.duration_us = dur_us,
		.user_id = r->user.user_id,
		.client = r->client,
	};
	logbuf_request(&w->log, &lr);
}

/* Status, type and the security headers every answer carries; 0 when there is nobody to answer. */
static int respond_head(struct request *r, int status, const char *content_type)
{
	if (r->responded) {
		log_error("msg=\"second reply to one request\" route=%s", r->route ? r->route->name : "-");
		return 0;
	}
	r->responded = 1;
	r->status = status;
	if (!r->req)
		return 0;
	h2o_req_t *req = r->req;
	req->res.status = status;
	req->res.reason = reason_phrase(status);
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, content_type, strlen(content_type));
	ADD_STATIC_HEADER(req, "content-security-policy",
			  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
	ADD_STATIC_HEADER(req, "x-content-type-options", "nosniff");
	ADD_STATIC_HEADER(req, "referrer-policy", "same-origin");
	ADD_STATIC_HEADER(req, "x-frame-options", "DENY");
	if (h2o_find_header(&req->res.headers, H2O_TOKEN_CACHE_CONTROL, -1) < 0)
		h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CACHE_CONTROL, NULL, H2O_STRLIT("no-store"));
	return 1;
}

void respond(struct request *r, int status, const char *content_type)
{
	if (!respond_head(r, status, content_type))
		return;
	h2o_req_t *req = r->req;
	req->res.content_length = r->body.len;
	account(r);

	static h2o_generator_t generator = {NULL, NULL};
	h2o_start_response(req, &generator);
	if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"))) {
		h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
	} else {
		h2o_iovec_t body = h2o_iovec_init(r->body.ptr, r->body.len);
		h2o_send(req, &body, 1, H2O_SEND_STATE_FINAL);
	}
}

/* --- streamed answers: exports of any size, a part at a time --- */

struct stream {
	h2o_generator_t gen; /* first: h2o hands it back */
	struct request *r;
	request_fill_fn fill;
	void *arg;
	int done;
};

static void stream_send(struct stream *st)
{
	struct request *r = st->r;
	buf_reset(&r->body);
	/* Fill until there is something to send or it is over (a part may be empty). */
	while (!st->done && r->body.len == 0)
		st->done = st->fill(r, st->arg);
	h2o_iovec_t part = h2o_iovec_init(r->body.ptr, r->body.len);
	h2o_send(r->req, &part, 1, st->done ? H2O_SEND_STATE_FINAL : H2O_SEND_STATE_IN_PROGRESS);
}

static void stream_proceed(h2o_generator_t *gen, h2o_req_t *req)
{
	(void)req;
	struct stream *st = (struct stream *)gen;
	if (st->r->req)
		stream_send(st);
}

static void stream_stop(h2o_generator_t *gen, h2o_req_t *req)
{
	(void)gen;
	(void)req; /* the client went away; the request is disposed of with h2o's */
}

void respond_stream(struct request *r, int status, const char *content_type, const char *filename,
		    request_fill_fn fill, void *arg)
{
	if (!respond_head(r, status, content_type))
		return;
	h2o_req_t *req = r->req;
	if (filename) {
		/* Our own names only (ASCII letters, digits, dots, dashes): nothing to escape, no header injection. */
		const char *v = arena_printf(&r->arena, "attachment; filename=\"%s\"", filename);
		h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-disposition"), 0, NULL, v,
				      strlen(v));
	}
	req->res.content_length = SIZE_MAX;
	account(r);
	struct stream *st = arena_zalloc(&r->arena, sizeof(*st));
	st->gen.proceed = stream_proceed;
	st->gen.stop = stream_stop;
	st->r = r;
	st->fill = fill;
	st->arg = arg;
	h2o_start_response(req, &st->gen);
	if (h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"))) {
		h2o_send(req, NULL, 0, H2O_SEND_STATE_FINAL);
		return;
	}
	stream_send(st);
}

void respond_json(struct request *r, int status)
{
	respond(r, status, "application/json; charset=utf-8");
}

void respond_error(struct request *r, int status, const char *code, const char *message, const char *field)
{
	buf_reset(&r->body);
	if (r->is_api) {
		struct json j;
		json_init(&j, &r->body);
		json_object_begin(&j);
		json_key(&j, "error");
		json_object_begin(&j);
		json_kv_str(&j, "code", code);
		json_kv_str(&j, "message", message);
		if (field)
			json_kv_str(&j, "field", field);
		json_object_end(&j);
		json_object_end(&j);
		respond_json(r, status);
		return;
	}
	page_error(r, status, code, _(r, message));
}

void respond_input_errors(struct request *r)
{
	const struct input_error *e = r->in.nerrors ? &r->in.errors[0] : NULL;
	if (!e) {
		respond_error(r, 422, "invalid", "the input is not valid", NULL);
		return;
	}
	int status = r->in.syntax_error ? 400 : 422;
	/* A 400 is said by one of its syntax errors, so that status and code agree. */
	for (size_t i = 0; r->in.syntax_error && i < r->in.nerrors; i++)
		if (input_is_syntax(r->in.errors[i].code)) {
			e = &r->in.errors[i];
			break;
		}
	if (!r->is_api) {
		page_error(r, status, e->code, _(r, "The request is not valid: check what you entered."));
		return;
	}
	buf_reset(&r->body);
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_key(&j, "error");
	json_object_begin(&j);
	json_kv_str(&j, "code", e->code);
	if (e->field)
		json_key(&j, "message"), json_str(&j, arena_printf(&r->arena, "%s: %s", e->field, e->message));
	else
		json_kv_str(&j, "message", e->message);
	if (e->field)
		json_kv_str(&j, "field", e->field);
	if (r->in.nerrors > 1) {
		json_key(&j, "details");
		json_array_begin(&j);
		for (size_t i = 0; i < r->in.nerrors; i++) {
			json_object_begin(&j);
			json_kv_str(&j, "code", r->in.errors[i].code);
			json_kv_str(&j, "message", r->in.errors[i].message);
			json_kv_str(&j, "field", r->in.errors[i].field);
			json_object_end(&j);
		}
		json_array_end(&j);
	}
	json_object_end(&j);
	json_object_end(&j);
	respond_json(r, status);
}

void respond_db_error(struct request *r, int status)
{
	if (db_status_is_unavailable(status)) {
		response_header(r, "retry-after", "5");
		respond_error(r, 503, "unavailable",
			      status == DB_FULL ? "the server's storage is full; nothing was saved, try again later"
						: "the database is unavailable; nothing was saved, try again later",
			      NULL);
		return;
	}
	log_error("msg=\"database error\" route=%s status=\"%s\" error=\"%s\"", r->route ? r->route->name : "-",
		  db_status_name(status), db_errmsg(request_db(r)));
	respond_error(r, 500, "internal", "an internal error occurred", NULL);
}

void respond_redirect(struct request *r, const char *location)
{
	/* Local paths only: never an open redirect, never CR/LF in a header. */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\' || strpbrk(location, "\r\n"))
		location = "/";
	response_header(r, "location", location);
	buf_reset(&r->body);
	respond(r, 303, "text/plain; charset=utf-8");
}

/* --- work done elsewhere (the writer, the pool), finished back on this loop --- */

struct completion {
	h2o_multithread_message_t msg;
	struct request *r;
	void (*deliver)(struct completion *c);
};

struct http_write {
	struct write_job job;
	struct completion c;
	request_write_then then;
};

struct http_offload {
	struct pool_job job;
	struct completion c;
	request_offload_then then;
};

static void post_back(struct completion *c)
{
	h2o_multithread_send_message(c->r->w->write_done_receiver, &c->msg);
}

/* Writer thread: hand the finished job back to its loop. */
static void on_write_notify(struct write_job *job)
{
	post_back(&((struct http_write *)job)->c);
}

static void deliver_write(struct completion *c)
{
	struct http_write *hw = H2O_STRUCT_FROM_MEMBER(struct http_write, c, c);
	if (hw->then)
		hw->then(c->r, hw->job.status);
}

void request_write(struct request *r, write_run_fn run, void *arg, request_write_then then)
{
	struct http_write *hw = arena_zalloc(&r->arena, sizeof(*hw));
	hw->job.run = run;
	hw->job.notify = on_write_notify;
	hw->job.arg = arg;
	hw->c.r = r;
	hw->c.deliver = deliver_write;
	hw->then = then;
	r->pending++;
	writer_submit(r->w->server->writer, &hw->job);
}

static void on_offload_notify(struct pool_job *job)
{
	post_back(&((struct http_offload *)job)->c);
}

static void deliver_offload(struct completion *c)
{
	struct http_offload *ho = H2O_STRUCT_FROM_MEMBER(struct http_offload, c, c);
	if (ho->then)
		ho->then(c->r, ho->job.arg);
}

void request_offload(struct request *r, void (*run)(struct pool_job *job), void *arg, request_offload_then then)
{
	struct http_offload *ho = arena_zalloc(&r->arena, sizeof(*ho));
	ho->job.run = run;
	ho->job.notify = on_offload_notify;
	ho->job.arg = arg;
	ho->c.r = r;
	ho->c.deliver = deliver_offload;
	ho->then = then;
	r->pending++;
	pool_submit(r->w->server->pool, &ho->job);
}

void request_on_write_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	(void)receiver;
	while (!h2o_linklist_is_empty(messages)) {
		h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
		h2o_linklist_unlink(&m->link);
		struct completion *c = H2O_STRUCT_FROM_MEMBER(struct completion, msg, m);
		struct request *r = c->r;
		r->pending--;
		if (r->req)
			c->deliver(c);
		request_maybe_free(r);
	}
}

/* --- the pipeline --- */

static size_t head_size(h2o_req_t *req)
{
	size_t n = req->method.len + req->path.len + 16;
	for (size_t i = 0; i < req->headers.size; i++)
		n += req->headers.entries[i].name->len + req->headers.entries[i].value.len + 4;
	return n;
}

static int content_type_is(h2o_req_t *req, const char *type)
{
	ssize_t i = h2o_find_header(&req->headers, H2O_TOKEN_CONTENT_TYPE, -1);
	if (i < 0)
		return 0;
	h2o_iovec_t v = req->headers.entries[i].value;
	size_t tl = strlen(type);
	return v.len >= tl && h2o_lcstris(v.base, tl, type, tl) && (v.len == tl || v.base[tl] == ';' || v.base[tl] == ' ');
}

/* Parse the declared input from the query string or the body. */
static int parse_input(struct request *r)
{
	h2o_req_t *req = r->req;
	const struct route *rt = r->route;
	int is_get = h2o_memis(req->method.base, req->method.len, H2O_STRLIT("GET")) ||
		     h2o_memis(req->method.base, req->method.len, H2O_STRLIT("HEAD"));
	input_init(&r->in, rt->fields, &r->arena);
	const char *query = req->query_at != SIZE_MAX ? req->path.base + req->query_at + 1 : NULL;
	size_t qlen = query ? req->path.len - req->query_at - 1 : 0;
	if (is_get || (rt->flags & ROUTE_RAW_BODY)) {
		if (qlen)
			input_parse_urlencoded(&r->in, query, qlen, &r->arena);
	} else {
		/*
		 * A write takes its fields from its body only: typed as JSON, and
		 * never a password in an address that proxies and logs keep.
		 */
		if (qlen)
			input_error(&r->in, &r->arena, NULL, "unknown_field",
				    "a write takes its fields in its body, not in the address");
		/* An empty body is no body, whatever its Content-Type says. */
		size_t blen = req->entity.len;
		if (blen > 0) {
			if ((rt->flags & ROUTE_JSON) && content_type_is(req, "application/json")) {
				input_parse_json(&r->in, req->entity.base, blen, &r->arena);
			} else if ((rt->flags & ROUTE_FORM) && content_type_is(req, "application/x-www-form-urlencoded")) {
				input_parse_urlencoded(&r->in, req->entity.base, blen, &r->arena);
			} else if (blen > 0) {
				respond_error(r, 415, "unsupported_media_type",
					      (rt->flags & ROUTE_JSON) ? "send the body as application/json"
								       : "send the body as a form", NULL);
				return -1;
			}
		}
	}
	/* Every mistake at once: the missing fields too, beside the wrong ones (not when the body is unreadable). */
	if (!r->in.syntax_error)
		input_check_required(&r->in, &r->arena);
	/* A page's form handler shows value errors beside the fields itself. */
	int form_shows_errors = !r->is_api && !is_get && (rt->flags & ROUTE_FORM) && !r->in.syntax_error;
	if (r->in.nerrors && !form_shows_errors) {
		respond_input_errors(r);
		return -1;
	}
	return 0;
}

static void client_address(struct request *r)
{
	struct sockaddr_storage ss;
	socklen_t len = r->req->conn->callbacks->get_peername(r->req->conn, (struct sockaddr *)&ss);
	r->client[0] = '\0';
	if (len) {
		size_t n = h2o_socket_getnumerichost((struct sockaddr *)&ss, len, r->client);
		if (n == SIZE_MAX)
			r->client[0] = '\0';
		else
			r->client[n] = '\0';
	}
}

int request_handle(struct worker *w, h2o_req_t *req)
{
	struct request *r = xcalloc(1, sizeof(*r));
	r->req = req;
	r->w = w;
	r->started_ns = time_mono_ns();
	r->lang = LANG_KK;
	arena_init(&r->arena);
	buf_init(&r->body);
	struct request_guard *g = h2o_mem_alloc_shared(&req->pool, sizeof(*g), on_request_disposed);
	g->r = r;
	atomic_store_explicit(&w->metrics.inflight, atomic_load_explicit(&w->metrics.inflight, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	client_address(r);

	size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
	/* Before the route is known, its kind by its address: the API, and the JSON probes beside it. */
	r->is_api = (plen >= 5 && memcmp(req->path.base, "/api/", 5) == 0) ||
		    (plen == 8 && memcmp(req->path.base, "/healthz", 8) == 0) ||
		    (plen == 8 && memcmp(req->path.base, "/metrics", 8) == 0);
	page_choose_language(r);

	if (head_size(req) > w->server->cfg->max_header_size) {
		respond_error(r, 431, "header_too_large", "the request head is too large", NULL);
		return 0;
	}
	switch (router_match(req->method.base, req->method.len, req->path.base, plen, &r->arena, &r->match)) {
	case MATCH_NO_PATH:
		respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
		return 0;
	case MATCH_NO_METHOD:
		response_header(r, "allow", r->match.allow);
		respond_error(r, 405, "method_not_allowed", "this address does not accept this method", NULL);
		return 0;
	case MATCH_OK:
		break;
	}
	r->route = r->match.route;
	r->route_index = r->match.index;
	r->is_api = (r->route->flags & ROUTE_API) != 0;

	if (auth_identify(r) < 0 || auth_authorize(r) < 0)
		return 0; /* answered */
	/* The API's token is a header: refuse before reading the body, so a forged request learns nothing.
	 * A form's token is a field of the body, so forms are checked once it is parsed. */
	if (r->is_api && auth_check_csrf(r) < 0)
		return 0;
	if (parse_input(r) < 0 || (!r->is_api && auth_check_csrf(r) < 0))
		return 0;
	r->route->handler(r);
	if (!r->responded && r->pending == 0) {
		log_error("msg=\"handler gave no reply\" route=%s", r->route->name);
		respond_error(r, 500, "internal", "an internal error occurred", NULL);
	}
	return 0;
}
