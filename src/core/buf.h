/*
 * struct buf: a growable byte buffer (after git's strbuf).
 *
 * Invariants: ptr is never NULL and ptr[len] == '\0' always holds, so the
 * contents can be used as a C string when they hold no NUL bytes.
 * buf_init() allocates nothing; buf_release() frees the contents and leaves
 * an empty, reusable buffer.
 */
#ifndef QORGAU_CORE_BUF_H
#define QORGAU_CORE_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *ptr;
	size_t len;
	size_t cap; /* 0 while ptr points at the shared empty string */
};

extern char buf_empty_[1];
#define BUF_INIT {buf_empty_, 0, 0}

void buf_init(struct buf *b);
void buf_release(struct buf *b);
/* Make room for at least extra more bytes (plus the NUL). */
void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Empty the buffer, keeping its allocation. */
void buf_reset(struct buf *b);
/* Shorten to n bytes (n <= len). */
void buf_truncate(struct buf *b, size_t n);
/* Hand the allocation to the caller (always malloc'd, NUL-terminated); b is left empty. */
char *buf_detach(struct buf *b, size_t *len);

#endif
