/* Bump allocator for request- and command-lifetime memory (arena.h). */
#include "core/arena.h"

#include <stdarg.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

struct arena_block {
	struct arena_block *next;
	size_t size;
	alignas(max_align_t) unsigned char data[];
};

enum { ARENA_BLOCK = 8192 - sizeof(struct arena_block) };

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena_init(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (!n)
		n = align;
	if (!a->head || a->used + n > a->head->size) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		struct arena_block *b = xmalloc(sizeof(*b) + size);
		b->size = size;
		if (a->head && n > ARENA_BLOCK) {
			/* A large one-off: keep the current block as head for small allocations. */
			b->next = a->head->next;
			a->head->next = b;
			a->total += size;
			return b->data;
		}
		b->next = a->head;
		a->head = b;
		a->used = 0;
		a->total += size;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return p;
}

void *arena_grow_array(struct arena *a, void *items, size_t n, size_t *cap, size_t elem)
{
	if (n < *cap)
		return items;
	size_t newcap = *cap ? *cap * 2 : 16;
	void *bigger = arena_alloc(a, newcap * elem);
	if (n)
		memcpy(bigger, items, n * elem);
	*cap = newcap;
	return bigger;
}
