/*
 * What every fuzz target shares: the libFuzzer entry point (declared here
 * for -Wmissing-prototypes) and small helpers to cut the input into the
 * NUL-terminated strings our parsers take.
 *
 * A target is built either with clang -fsanitize=fuzzer (libFuzzer's own
 * main) or with replay.c, which feeds it the committed corpus and
 * regression inputs in `make check`. A target reports a broken invariant
 * with fuzz_fail(), which aborts so that both count it as a crash.
 */
#ifndef QORGAU_TESTS_FUZZ_H
#define QORGAU_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'd copy of s[0..n) with a NUL after it (NUL bytes inside are kept). */
static inline char *fuzz_strndup(const void *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		abort();
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/*
 * Take the text before the next occurrence of sep from *data, *size (the
 * whole rest when there is none) and step past it; returns its length.
 */
static inline size_t fuzz_take(const uint8_t **data, size_t *size, uint8_t sep, const char **out)
{
	const uint8_t *end = memchr(*data, sep, *size);
	size_t n = end ? (size_t)(end - *data) : *size;
	*out = (const char *)*data;
	*data += n + (end ? 1 : 0);
	*size -= n + (end ? 1 : 0);
	return n;
}

/* A broken invariant: say which, then abort so that the fuzzer keeps the input. */
#define fuzz_fail(...)                                                                                             \
	do {                                                                                                         \
		fprintf(stderr, "fuzz invariant broken (%s:%d): ", __FILE__, __LINE__);                                  \
		fprintf(stderr, __VA_ARGS__);                                                                            \
		fputc('\n', stderr);                                                                                     \
		abort();                                                                                                 \
	} while (0)

#endif
