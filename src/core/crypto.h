/*
 * Thin wrappers over libsodium: password hashing (argon2id), random
 * tokens, token hashes (BLAKE2b), and sealing of sensitive fields
 * (XChaCha20-Poly1305).
 */
#ifndef QORGAU_CORE_CRYPTO_H
#define QORGAU_CORE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum {
	TOKEN_BYTES = 32,     /* 256-bit session and API tokens */
	TOKEN_TEXT_LEN = 43,  /* base64url without padding */
	TOKEN_HASH_BYTES = 32,
	PASSWORD_HASH_MAX = 128,
};

/* Initialise libsodium; aborts if it cannot (no usable randomness). */
void crypto_init(void);
/* 0 interactive (default), 1 moderate, 2 minimum (tests only). */
void crypto_set_password_cost(int cost);

/*
 * Hash a password with argon2id into out (PASSWORD_HASH_MAX bytes).
 * Returns 0, or -1 when memory for hashing is not available.
 */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* 1 when password matches the stored hash. */
int password_verify(const char *stored_hash, const char *password);
/* A dummy verification with the same cost, so unknown logins take as long as known ones. */
void password_verify_dummy(const char *password);

/* n random bytes. */
void random_bytes(void *out, size_t n);
/* A new random token as text (TOKEN_TEXT_LEN chars + NUL). */
void token_new(char out[TOKEN_TEXT_LEN + 1]);
/* BLAKE2b-256 of a token's text: what the database stores. */
void token_hash(const char *token, size_t len, unsigned char out[TOKEN_HASH_BYTES]);
/* A readable random password of n characters (no look-alike characters). */
void password_generate(char *out, size_t n);

/*
 * The data key: 32 random bytes in a file outside the database (hex, one
 * line, mode 0600). It seals sensitive fields and keys the search index.
 * With create set, a missing file is made. Returns 0, or -1 with why in err.
 */
int crypto_load_key(const char *path, int create, struct buf *err);
/* Whether a key is loaded. */
int crypto_has_key(void);

/* Seal plain text with XChaCha20-Poly1305 (nonce || ciphertext || tag); ad binds it to its use. */
void seal(const char *plain, size_t n, const char *ad, struct buf *out);
/* Open a sealed value; -1 if it was altered or sealed with another key. */
int unseal(const void *sealed, size_t n, const char *ad, struct buf *out);
/* A keyed 63-bit hash of a search term (the blind index). */
int64_t search_term_hash(const char *term, size_t n);

/* Constant-time comparison of n bytes. */
int bytes_equal(const void *a, const void *b, size_t n);
/* Lowercase hex of n bytes into b. */
void hex_encode(struct buf *b, const void *data, size_t n);

#endif
