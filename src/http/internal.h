/* What server.c and request.c share about h2o; nothing else includes h2o. */
#ifndef QORGAU_HTTP_INTERNAL_H
#define QORGAU_HTTP_INTERNAL_H

#define H2O_USE_LIBUV 0
#include <h2o.h>

#include "http/server.h"

/* Run the pipeline for one request h2o hands us (always returns 0: handled). */
int request_handle(struct worker *w, h2o_req_t *req);
/* Receiver callback: writes finished by the writer, back on their loop thread. */
void request_on_write_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages);

#endif
