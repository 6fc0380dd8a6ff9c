/* libsodium wrappers (crypto.h). */
#include "core/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* The data key and the search-index key derived from it; set once at start-up. */
static unsigned char data_key[crypto_aead_xchacha20poly1305_ietf_KEYBYTES];
static unsigned char index_key[crypto_generichash_KEYBYTES];
static int key_loaded;

static int read_key_file(const char *path, unsigned char key[32], struct buf *err)
{
	char text[100];
	FILE *f = fopen(path, "r");
	if (!f) {
		buf_printf(err, "cannot read the key file '%s': %s", path, strerror(errno));
		return -1;
	}
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
	size_t bin_len = 0;
	if (n != 64 || sodium_hex2bin(key, 32, text, n, NULL, &bin_len, NULL) != 0 || bin_len != 32) {
		buf_printf(err, "the key file '%s' is not 64 hexadecimal digits", path);
		return -1;
	}
	return 0;
}

static int write_key_file(const char *path, struct buf *err)
{
	unsigned char key[32];
	char hex[65];
	randombytes_buf(key, sizeof(key));
	sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
	sodium_memzero(key, sizeof(key));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		buf_printf(err, "cannot create the key file '%s': %s", path, strerror(errno));
		return -1;
	}
	int ok = write(fd, hex, 64) == 64 && write(fd, "\n", 1) == 1 && fsync(fd) == 0;
	close(fd);
	sodium_memzero(hex, sizeof(hex));
	if (!ok) {
		buf_printf(err, "cannot write the key file '%s'", path);
		unlink(path);
		return -1;
	}
	return 0;
}

int crypto_load_key(const char *path, int create, struct buf *err)
{
	struct stat st;
	if (create && stat(path, &st) != 0 && errno == ENOENT && write_key_file(path, err) < 0)
		return -1;
	if (stat(path, &st) == 0 && (st.st_mode & 077))
		log_warn("msg=\"the key file can be read by others: chmod 600 it\" path=\"%s\"", path);
	unsigned char key[32];
	if (read_key_file(path, key, err) < 0)
		return -1;
	memcpy(data_key, key, sizeof(data_key));
	crypto_generichash(index_key, sizeof(index_key), (const unsigned char *)"qorgau-search-index-v1", 22, key,
			   sizeof(key));
	sodium_memzero(key, sizeof(key));
	key_loaded = 1;
	return 0;
}

int crypto_has_key(void)
{
	return key_loaded;
}

void seal(const char *plain, size_t n, const char *ad, struct buf *out)
{
	unsigned char nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	randombytes_buf(nonce, sizeof(nonce));
	buf_reset(out);
	buf_grow(out, sizeof(nonce) + n + crypto_aead_xchacha20poly1305_ietf_ABYTES);
	memcpy(out->ptr, nonce, sizeof(nonce));
	unsigned long long clen = 0;
	crypto_aead_xchacha20poly1305_ietf_encrypt((unsigned char *)out->ptr + sizeof(nonce), &clen,
						   (const unsigned char *)plain, n, (const unsigned char *)ad,
						   strlen(ad), NULL, nonce, data_key);
	out->len = sizeof(nonce) + (size_t)clen;
	out->ptr[out->len] = '\0';
}

int unseal(const void *sealed, size_t n, const char *ad, struct buf *out)
{
	const size_t nb = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
	buf_reset(out);
	if (n < nb + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return -1;
	buf_grow(out, n);
	unsigned long long plen = 0;
	const unsigned char *s = sealed;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out->ptr, &plen, NULL, s + nb, n - nb,
						       (const unsigned char *)ad, strlen(ad), s, data_key) != 0)
		return -1;
	out->len = (size_t)plen;
	out->ptr[out->len] = '\0';
	return 0;
}

int64_t search_term_hash(const char *term, size_t n)
{
	unsigned char h[8];
	crypto_generichash(h, sizeof(h), (const unsigned char *)term, n, index_key, sizeof(index_key));
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | h[i];
	return (int64_t)(v >> 1); /* non-negative: sorts alike in both databases */
}
