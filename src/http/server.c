/* Threads, sockets, the h2o set-up and graceful shutdown (server.h). */
#include "http/internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/mem.h"
#include "core/time.h"
#include "domain/child_index.h"
#include "domain/deadlines.h"
#include "domain/region.h"
#include "http/router.h"

struct worker_loop {
	struct worker *w;
	h2o_context_t ctx;
	h2o_accept_ctx_t accept_ctx;
	h2o_socket_t *listener;
	h2o_multithread_receiver_t write_done;
	h2o_multithread_receiver_t control;
	h2o_multithread_message_t stop_msg;
	h2o_timeout_t tick;
	h2o_timeout_entry_t tick_entry;
	pthread_t thread;
	size_t open_connections;
	unsigned ticks;
};

struct app_handler {
	h2o_handler_t super;
	struct server *server;
};

static h2o_globalconf_t globalconf;

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
	(void)self;
	struct worker_loop *wl = H2O_STRUCT_FROM_MEMBER(struct worker_loop, ctx, req->conn->ctx);
	return request_handle(wl->w, req);
}

static void on_connection_closed(void *data)
{
	struct worker_loop *wl = data;
	wl->open_connections--;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
	struct worker_loop *wl = listener->data;
	if (err)
		return;
	h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
	if (!sock)
		return;
	/* Counted so shutdown can wait for every connection to be closed and freed. */
	wl->open_connections++;
	sock->on_close.cb = on_connection_closed;
	sock->on_close.data = wl;
	h2o_accept(&wl->accept_ctx, sock);
}

/* Every 200 ms: write out buffered request log lines. */
static void on_tick(h2o_timeout_entry_t *entry)
{
	struct worker_loop *wl = H2O_STRUCT_FROM_MEMBER(struct worker_loop, tick_entry, entry);
	logbuf_flush(&wl->w->log);
	/* Thread 0 notices a calendar imported by another process, every ten seconds. */
	if (wl->w->index == 0 && ++wl->ticks % 50 == 0)
		deadlines_refresh(wl->w->db);
	h2o_timeout_link(wl->ctx.loop, &wl->tick, &wl->tick_entry);
}

/* A stop message: accept nothing more, let running requests finish. */
static void on_control(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	struct worker_loop *wl = H2O_STRUCT_FROM_MEMBER(struct worker_loop, control, receiver);
	while (!h2o_linklist_is_empty(messages)) {
		h2o_multithread_message_t *m = H2O_STRUCT_FROM_MEMBER(h2o_multithread_message_t, link, messages->next);
		h2o_linklist_unlink(&m->link);
	}
	if (wl->w->stopping)
		return;
	wl->w->stopping = 1;
	if (wl->listener) {
		h2o_socket_read_stop(wl->listener);
		h2o_socket_close(wl->listener);
		wl->listener = NULL;
	}
	/*
	 * Only the flag: h2o_context_request_shutdown() would also arm an HTTP/2
	 * GOAWAY timer, and HTTP/2 is not served here (no TLS, no upgrade).
	 */
	wl->ctx.shutdown_requested = 1;
}

static void *worker_main(void *arg)
{
	struct worker_loop *wl = arg;
	struct worker *w = wl->w;
	const struct config *cfg = w->server->cfg;
	char name[16];
	snprintf(name, sizeof(name), "qorgau-loop%d", w->index);
	pthread_setname_np(pthread_self(), name);

	h2o_context_init(&wl->ctx, h2o_evloop_create(), &globalconf);
	wl->accept_ctx.ctx = &wl->ctx;
	wl->accept_ctx.hosts = globalconf.hosts;
	h2o_multithread_register_receiver(wl->ctx.queue, &wl->write_done, request_on_write_done);
	h2o_multithread_register_receiver(wl->ctx.queue, &wl->control, on_control);
	w->write_done_receiver = &wl->write_done;
	h2o_timeout_init(wl->ctx.loop, &wl->tick, 200);
	wl->tick_entry.cb = on_tick;
	h2o_timeout_link(wl->ctx.loop, &wl->tick, &wl->tick_entry);

	wl->listener = h2o_evloop_socket_create(wl->ctx.loop, w->listen_fd, H2O_SOCKET_FLAG_DONT_READ);
	wl->listener->data = wl;
	h2o_socket_read_start(wl->listener, on_accept);

	/* Tell the main thread this loop can receive messages now. */
	pthread_mutex_lock(&w->server->ready_lock);
	w->server->ready++;
	pthread_cond_broadcast(&w->server->ready_cond);
	pthread_mutex_unlock(&w->server->ready_lock);

	uint64_t deadline = 0;
	for (;;) {
		h2o_evloop_run(wl->ctx.loop, 50);
		if (!w->stopping)
			continue;
		if (!deadline)
			deadline = time_mono_ns() + (uint64_t)cfg->shutdown_timeout * 1000000000ULL;
		uint64_t inflight = atomic_load_explicit(&w->metrics.inflight, memory_order_relaxed);
		if (inflight == 0)
			break;
		if (time_mono_ns() >= deadline) {
			log_warn("msg=\"shutdown timeout: leaving requests unanswered\" thread=%d requests=%llu", w->index,
				 (unsigned long long)inflight);
			break;
		}
	}
	/*
	 * Nothing is in flight: close idle keep-alive connections by letting
	 * their idle timeout expire now, so the loop can be torn down cleanly.
	 */
	wl->ctx.http1.req_timeout.timeout = 0;
	deadline = time_mono_ns() + 1000000000ULL;
	while (wl->open_connections > 0 && time_mono_ns() < deadline)
		h2o_evloop_run(wl->ctx.loop, 10);
	if (wl->open_connections > 0)
		log_warn("msg=\"connections still open at shutdown\" thread=%d connections=%zu", w->index,
			 wl->open_connections);
	/* One more turn: the loop frees closed sockets on its next run. */
	h2o_evloop_run(wl->ctx.loop, 0);
	h2o_timeout_unlink(&wl->tick_entry);
	h2o_timeout_dispose(wl->ctx.loop, &wl->tick);
	logbuf_flush(&w->log);

	/*
	 * Tear down in this thread (h2o's event loop keeps thread-local state),
	 * but only after the writer and the pool have stopped: until then they
	 * may still post finished jobs to this loop's queue.
	 */
	struct server *s = w->server;
	pthread_mutex_lock(&s->ready_lock);
	s->drained++;
	pthread_cond_broadcast(&s->ready_cond);
	while (!s->may_dispose)
		pthread_cond_wait(&s->ready_cond, &s->ready_lock);
	pthread_mutex_unlock(&s->ready_lock);
	h2o_multithread_unregister_receiver(wl->ctx.queue, &wl->write_done);
	h2o_multithread_unregister_receiver(wl->ctx.queue, &wl->control);
	h2o_evloop_t *loop = wl->ctx.loop;
	h2o_context_dispose(&wl->ctx);
	h2o_evloop_run(loop, 0); /* frees the sockets the context closed */
	h2o_evloop_destroy(loop);
	return NULL;
}

/* A listening socket for addr:port with SO_REUSEPORT; -1 with a message on failure. */
static int open_listener(const char *host, int port, int reuseport, struct buf *err)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	memset(&ss, 0, sizeof(ss));
	if (strchr(host, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, host, &a->sin6_addr);
		sslen = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, host, &a->sin_addr);
		sslen = sizeof(*a);
	}
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		buf_printf(err, "cannot create a socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (reuseport)
		setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sslen) != 0) {
		buf_printf(err, "cannot listen on %s:%d: %s", host, port, strerror(errno));
		close(fd);
		return -1;
	}
	if (listen(fd, 1024) != 0) {
		buf_printf(err, "cannot listen on %s:%d: %s", host, port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void setup_h2o(struct server *s)
{
	const struct config *cfg = s->cfg;
	h2o_config_init(&globalconf);
	globalconf.server_name = h2o_iovec_init(H2O_STRLIT("qorgau"));
	globalconf.max_request_entity_size = cfg->max_body_size;
	globalconf.http1.req_timeout = (uint64_t)cfg->request_timeout * 1000;
	globalconf.http2.idle_timeout = (uint64_t)cfg->request_timeout * 1000;
	globalconf.http1.upgrade_to_http2 = 0;
	h2o_hostconf_t *host = h2o_config_register_host(&globalconf, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
	struct app_handler *h = (struct app_handler *)h2o_create_handler(path, sizeof(*h));
	h->super.on_req = on_req;
	h->server = s;
}

static int count_cores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int server_run(const struct config *cfg)
{
	struct server s;
	struct buf err = BUF_INIT;
	int status = 1;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	pthread_mutex_init(&s.ready_lock, NULL);
	pthread_cond_init(&s.ready_cond, NULL);
	s.nworkers = cfg->threads > 0 ? cfg->threads : count_cores();
	router_init();

	/* Block the stop signals in every thread; the main thread waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Database first: a server that cannot read or write must not listen. */
	struct db *wdb = NULL;
	if (db_open(cfg->database, DB_MODE_WRITE, cfg->db_busy_timeout_ms, &wdb, &err) != DB_OK) {
		log_error("msg=\"cannot open the database\" error=\"%s\"", err.ptr);
		goto out;
	}
	if (db_check_schema(wdb, &err) != DB_OK || key_check(wdb, 0, &err) != DB_OK ||
	    deadlines_load(wdb, &err) != DB_OK) {
		log_error("msg=\"cannot serve this database\" error=\"%s\"", err.ptr);
		fprintf(stderr, "qorgau serve: %s\n", err.ptr);
		db_close(wdb);
		goto out;
	}
	/* The children's name index, loaded now rather than by the first search. */
	if (child_index_refresh(wdb) != DB_OK)
		log_warn("msg=\"cannot load the children's name index; the first search will\" error=\"%s\"", db_errmsg(wdb));
	s.workers = xcalloc((size_t)s.nworkers, sizeof(*s.workers));
	for (int i = 0; i < s.nworkers; i++) {
		struct worker *w = &s.workers[i];
		w->server = &s;
		w->index = i;
		w->listen_fd = -1;
		logbuf_init(&w->log);
		thread_metrics_init(&w->metrics);
		if (db_open(cfg->database, DB_MODE_READ, cfg->db_busy_timeout_ms, &w->db, &err) != DB_OK) {
			log_error("msg=\"cannot open the database\" error=\"%s\"", err.ptr);
			db_close(wdb);
			goto out_workers;
		}
	}

	/*
	 * Make sure nobody else listens on the port: SO_REUSEPORT would let two
	 * servers share it silently. Then one socket per thread on the same port.
	 */
	int port = cfg->listen_port;
	int probe = open_listener(cfg->listen_host, port, 0, &err);
	if (probe < 0) {
		log_error("msg=\"cannot listen\" error=\"%s\"", err.ptr);
		db_close(wdb);
		goto out_workers;
	}
	if (port == 0)
		port = bound_port(probe);
	for (int i = 0; i < s.nworkers; i++) {
		if (i == 0) {
			/* Re-open the probe's port with SO_REUSEPORT now that it is ours. */
			close(probe);
		}
		s.workers[i].listen_fd = open_listener(cfg->listen_host, port, 1, &err);
		if (s.workers[i].listen_fd < 0) {
			log_error("msg=\"cannot listen\" error=\"%s\"", err.ptr);
			db_close(wdb);
			goto out_workers;
		}
	}
	s.port = port;

	s.writer = writer_start(wdb, cfg->db_batch_max);
	s.pool = pool_start(count_cores());
	setup_h2o(&s);
	for (int i = 0; i < s.nworkers; i++) {
		struct worker_loop *wl = xcalloc(1, sizeof(*wl));
		wl->w = &s.workers[i];
		s.workers[i].loop = wl;
		h2o_multithread_create_thread(&wl->thread, NULL, worker_main, wl);
	}
	pthread_mutex_lock(&s.ready_lock);
	while (s.ready < s.nworkers)
		pthread_cond_wait(&s.ready_cond, &s.ready_lock);
	pthread_mutex_unlock(&s.ready_lock);

	char hostbuf[80];
	if (strchr(cfg->listen_host, ':'))
		snprintf(hostbuf, sizeof(hostbuf), "[%s]", cfg->listen_host);
	else
		snprintf(hostbuf, sizeof(hostbuf), "%s", cfg->listen_host);
	printf("qorgau: serving on http://%s:%d/\n", hostbuf, port);
	fflush(stdout);
	log_info("msg=listening addr=%s:%d threads=%d database=%s", hostbuf, port, s.nworkers,
		 db_backend(wdb) == DB_SQLITE ? "sqlite" : "postgresql");

	int sig = 0;
	sigwait(&stop, &sig);
	log_info("msg=\"stopping\" signal=%s", sig == SIGTERM ? "TERM" : "INT");
	for (int i = 0; i < s.nworkers; i++) {
		struct worker_loop *wl = s.workers[i].loop;
		h2o_multithread_send_message(&wl->control, &wl->stop_msg);
	}
	pthread_mutex_lock(&s.ready_lock);
	while (s.drained < s.nworkers)
		pthread_cond_wait(&s.ready_cond, &s.ready_lock);
	pthread_mutex_unlock(&s.ready_lock);
	/* Every queued job is finished before the database closes. */
	pool_stop(s.pool);
	s.pool = NULL;
	writer_stop(s.writer);
	s.writer = NULL;
	pthread_mutex_lock(&s.ready_lock);
	s.may_dispose = 1;
	pthread_cond_broadcast(&s.ready_cond);
	pthread_mutex_unlock(&s.ready_lock);
	for (int i = 0; i < s.nworkers; i++) {
		pthread_join(s.workers[i].loop->thread, NULL);
		free(s.workers[i].loop);
		s.workers[i].loop = NULL;
	}
	h2o_config_dispose(&globalconf);
	log_info("msg=\"stopped cleanly\"");
	status = 0;

out_workers:
	for (int i = 0; s.workers && i < s.nworkers; i++) {
		struct worker *w = &s.workers[i];
		if (w->listen_fd >= 0 && status != 0)
			close(w->listen_fd);
		db_close(w->db);
		logbuf_release(&w->log);
		thread_metrics_release(&w->metrics);
	}
	free(s.workers);
out:
	child_index_reset();
	pthread_mutex_destroy(&s.ready_lock);
	pthread_cond_destroy(&s.ready_cond);
	buf_release(&err);
	return status;
}
