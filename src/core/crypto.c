/* libsodium wrappers (crypto.h). */
#include "core/crypto.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

/* argon2id cost: interactive limits keep a login well under a second on a small machine. */
static unsigned long long pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
static size_t pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;

void crypto_set_password_cost(int cost)
{
	if (cost == 1) {
		pw_ops = crypto_pwhash_OPSLIMIT_MODERATE;
		pw_mem = crypto_pwhash_MEMLIMIT_MODERATE;
	} else if (cost == 2) {
		pw_ops = crypto_pwhash_OPSLIMIT_MIN;
		pw_mem = crypto_pwhash_MEMLIMIT_MIN;
	} else {
		pw_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		pw_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	}
}

void crypto_init(void)
{
	if (sodium_init() < 0) {
		log_error("msg=\"libsodium cannot initialise\"");
		abort();
	}
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	return crypto_pwhash_str(out, password, strlen(password), pw_ops, pw_mem) == 0 ? 0 : -1;
}

int password_verify(const char *stored_hash, const char *password)
{
	return crypto_pwhash_str_verify(stored_hash, password, strlen(password)) == 0;
}

void password_verify_dummy(const char *password)
{
	static char dummy[PASSWORD_HASH_MAX];
	static int ready;
	if (!ready) {
		/* Racing threads compute the same kind of hash; either result serves. */
		char tmp[PASSWORD_HASH_MAX];
		if (password_hash("qorgau-dummy-password", tmp) == 0) {
			memcpy(dummy, tmp, sizeof(dummy));
			ready = 1;
		}
	}
	if (ready && crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
		log_debug("msg=\"dummy password matched\"");
}

void random_bytes(void *out, size_t n)
{
	randombytes_buf(out, n);
}

void token_new(char out[TOKEN_TEXT_LEN + 1])
{
	unsigned char raw[TOKEN_BYTES];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, TOKEN_TEXT_LEN + 1, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void token_hash(const char *token, size_t len, unsigned char out[TOKEN_HASH_BYTES])
{
	crypto_generichash(out, TOKEN_HASH_BYTES, (const unsigned char *)token, len, NULL, 0);
}

void password_generate(char *out, size_t n)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
	for (size_t i = 0; i + 1 < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	if (n)
		out[n - 1] = '\0';
}

int bytes_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void hex_encode(struct buf *b, const void *data, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = data;
	buf_grow(b, n * 2);
	for (size_t i = 0; i < n; i++) {
		buf_addc(b, hex[p[i] >> 4]);
		buf_addc(b, hex[p[i] & 15]);
	}
}
