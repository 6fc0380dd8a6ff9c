/*
 * The floor: a bare libh2o server answering {"status":"ok"} on every path,
 * with the same threads, SO_REUSEPORT sockets and h2o version as qorgau.
 * What qorgau's /healthz reaches is compared with this.
 *
 *   hello PORT THREADS
 */
#define H2O_USE_LIBUV 0
#include <h2o.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static h2o_globalconf_t config;
static int port;

struct loop {
	h2o_context_t ctx;
	h2o_accept_ctx_t accept;
};

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
	(void)self;
	static h2o_generator_t gen = {NULL, NULL};
	static const char body[] = "{\"status\":\"ok\"}";
	req->res.status = 200;
	req->res.reason = "OK";
	h2o_add_header(&req->pool, &req->res.headers, H2O_TOKEN_CONTENT_TYPE, NULL, H2O_STRLIT("application/json"));
	req->res.content_length = sizeof(body) - 1;
	h2o_start_response(req, &gen);
	h2o_iovec_t b = h2o_iovec_init(body, sizeof(body) - 1);
	h2o_send(req, &b, 1, H2O_SEND_STATE_FINAL);
	return 0;
}

static void on_accept(h2o_socket_t *listener, const char *err)
{
	struct loop *l = listener->data;
	if (err)
		return;
	h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
	if (sock)
		h2o_accept(&l->accept, sock);
}

static void *run(void *arg)
{
	(void)arg;
	struct loop *l = calloc(1, sizeof(*l));
	h2o_context_init(&l->ctx, h2o_evloop_create(), &config);
	l->accept.ctx = &l->ctx;
	l->accept.hosts = config.hosts;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr.s_addr = htonl(0x7f000001)};
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024)) {
		perror("listen");
		exit(1);
	}
	h2o_socket_t *s = h2o_evloop_socket_create(l->ctx.loop, fd, H2O_SOCKET_FLAG_DONT_READ);
	s->data = l;
	h2o_socket_read_start(s, on_accept);
	for (;;)
		h2o_evloop_run(l->ctx.loop, INT32_MAX);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: hello PORT THREADS\n");
		return 2;
	}
	port = atoi(argv[1]);
	int threads = atoi(argv[2]);
	signal(SIGPIPE, SIG_IGN);
	h2o_config_init(&config);
	h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	h2o_pathconf_t *path = h2o_config_register_path(host, "/", 0);
	h2o_create_handler(path, sizeof(h2o_handler_t))->on_req = on_req;
	pthread_t t;
	for (int i = 0; i < threads; i++)
		pthread_create(&t, NULL, run, NULL);
	printf("hello: serving on 127.0.0.1:%d\n", port);
	fflush(stdout);
	pause();
	return 0;
}
