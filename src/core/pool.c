/* A fixed pool of worker threads (pool.h). */
#include "core/pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/log.h"
#include "core/mem.h"

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct pool_job *head, **tail;
	int stopping;
	int nthreads;
	pthread_t *threads;
};

static void *pool_main(void *arg)
{
	struct pool *p = arg;
	pthread_setname_np(pthread_self(), "qorgau-pool");
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->head && !p->stopping)
			pthread_cond_wait(&p->wake, &p->lock);
		struct pool_job *job = p->head;
		if (!job) {
			pthread_mutex_unlock(&p->lock);
			return NULL;
		}
		p->head = job->next;
		if (!p->head)
			p->tail = &p->head;
		pthread_mutex_unlock(&p->lock);
		job->next = NULL;
		job->run(job);
		job->notify(job);
	}
}

struct pool *pool_start(int threads)
{
	struct pool *p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->wake, NULL);
	p->tail = &p->head;
	p->nthreads = threads > 0 ? threads : 1;
	p->threads = xcalloc((size_t)p->nthreads, sizeof(*p->threads));
	for (int i = 0; i < p->nthreads; i++)
		if (pthread_create(&p->threads[i], NULL, pool_main, p) != 0) {
			log_error("msg=\"cannot start a pool thread\"");
			abort();
		}
	return p;
}

void pool_submit(struct pool *p, struct pool_job *job)
{
	job->next = NULL;
	pthread_mutex_lock(&p->lock);
	*p->tail = job;
	p->tail = &job->next;
	pthread_cond_signal(&p->wake);
	pthread_mutex_unlock(&p->lock);
}

void pool_stop(struct pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	pthread_cond_broadcast(&p->wake);
	pthread_mutex_unlock(&p->lock);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->wake);
	free(p->threads);
	free(p);
}
