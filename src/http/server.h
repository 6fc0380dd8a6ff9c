/*
 * The HTTP server: one h2o event loop per thread, each accepting on its own
 * SO_REUSEPORT socket, each with its own read connection to the database;
 * one writer thread for all writes (db/writer.h).
 *
 * server_run() returns after SIGTERM or SIGINT, once in-flight requests and
 * their writes are finished (or shutdown_timeout has passed) and the
 * database is closed.
 */
#ifndef QORGAU_HTTP_SERVER_H
#define QORGAU_HTTP_SERVER_H

#include <pthread.h>
#include <stddef.h>

#include "core/config.h"
#include "core/log.h"
#include "core/pool.h"
#include "db/db.h"
#include "db/writer.h"
#include "http/metrics.h"

struct server;

struct worker {
	struct server *server;
	int index;
	int listen_fd;
	struct db *db;
	struct logbuf log;
	struct thread_metrics metrics;
	int stopping;
	void *write_done_receiver; /* h2o_multithread_receiver_t: finished writes come back here */
	struct worker_loop *loop;  /* h2o state, private to server.c */
};

struct server {
	const struct config *cfg;
	struct worker *workers;
	int nworkers;
	struct writer *writer;
	struct pool *pool; /* password hashing off the event loops */
	int port; /* the port actually bound */
	pthread_mutex_t ready_lock;
	pthread_cond_t ready_cond;
	int ready;   /* loops that can take messages */
	int drained; /* loops that have finished serving */
	int may_dispose; /* the writer and pool are stopped: loops may tear down */
};

/* Serve until a stop signal; returns the process exit status. */
int server_run(const struct config *cfg);

#endif
