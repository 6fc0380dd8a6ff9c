/*
 * struct arena: a bump allocator for memory that lives as long as one
 * request or one command. Everything allocated from an arena is freed at
 * once by arena_release(); nothing is freed individually.
 *
 * arena_init() allocates nothing. Allocation failure is fatal (mem.h).
 */
#ifndef QORGAU_CORE_ARENA_H
#define QORGAU_CORE_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used;  /* bytes used in head */
	size_t total; /* bytes allocated from the system, for metrics */
};

void arena_init(struct arena *a);
void arena_release(struct arena *a);
/* n bytes aligned for any type; contents undefined. */
void *arena_alloc(struct arena *a, size_t n);
/* n zeroed bytes. */
void *arena_zalloc(struct arena *a, size_t n);
/* Copy of s[0..n) with a NUL after it. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Copy of a NUL-terminated string; NULL stays NULL. */
char *arena_strdup(struct arena *a, const char *s);
/*
 * Make room for one more element in an arena-backed array of n elements of
 * size elem with capacity *cap; returns the (possibly moved) array.
 */
void *arena_grow_array(struct arena *a, void *items, size_t n, size_t *cap, size_t elem);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
