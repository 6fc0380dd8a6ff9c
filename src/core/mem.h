/*
 * Memory helpers and the out-of-memory policy.
 *
 * Policy: an allocation failure is fatal. It is logged and the process
 * aborts; callers never check for NULL from these functions. A server that
 * cannot allocate cannot keep its promises (durable replies, audit), so it
 * stops loudly and is restarted by its supervisor.
 */
#ifndef QORGAU_CORE_MEM_H
#define QORGAU_CORE_MEM_H

#include <stddef.h>

/* Allocate n bytes; never returns NULL. */
void *xmalloc(size_t n);
/* Allocate n zeroed elements of size sz; never returns NULL. */
void *xcalloc(size_t n, size_t sz);
/* Resize p to n bytes; never returns NULL. */
void *xrealloc(void *p, size_t n);
/* Copy a NUL-terminated string; NULL stays NULL. */
char *xstrdup(const char *s);
/* Copy n bytes of s and NUL-terminate. */
char *xstrndup(const char *s, size_t n);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
