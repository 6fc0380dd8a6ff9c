/*
 * Strict UTF-8: decoding rejects overlong forms, surrogates and code points
 * beyond U+10FFFF, so validated text is safe to store, compare and print.
 */
#ifndef QORGAU_TEXT_UTF8_H
#define QORGAU_TEXT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s[0..n); returns its length, or 0 if invalid. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp into out (4 bytes room); returns the length (0 for an invalid cp). */
size_t utf8_encode(uint32_t cp, char *out);
/* Whether all of s[0..n) is valid UTF-8. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8 text. */
size_t utf8_length(const char *s, size_t n);

#endif
