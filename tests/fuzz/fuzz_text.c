/*
 * Fuzz target: search text on any bytes: script folding (src/text/fold.c),
 * Kazakh and Russian stemming and search terms (src/text/stem.c), and
 * strict UTF-8 (src/text/utf8.c). The headers promise that any bytes are
 * accepted and nothing beyond n is read; the checks below hold them to
 * what they say the output is.
 */
#include "fuzz.h"
#include "text/fold.h"
#include "text/stem.h"
#include "text/utf8.h"

static void check_ascii(const char *what, const char *s, size_t n, int spaces)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (spaces && c == ' ');
		if (!ok)
			fuzz_fail("%s: byte 0x%02x at %zu", what, c, i);
		if (c == ' ' && (i == 0 || i + 1 == n || s[i - 1] == ' '))
			fuzz_fail("%s: a space at the edge or doubled at %zu", what, i);
	}
}

/* Decoding walks valid text to its end, and encoding gives back the same bytes. */
static void check_utf8(const char *s, size_t n)
{
	size_t i = 0, letters = 0;
	int valid = 1;
	while (i < n) {
		uint32_t cp = 0;
		char again[4];
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (!len) {
			valid = 0;
			i++;
			continue;
		}
		if (len > n - i || utf8_encode(cp, again) != len || memcmp(again, s + i, len) != 0)
			fuzz_fail("utf8: U+%04X at %zu does not encode back to its %zu bytes", (unsigned)cp, i, len);
		i += len;
		letters++;
	}
	if (utf8_valid(s, n) != valid)
		fuzz_fail("utf8_valid disagrees with utf8_decode");
	if (valid && utf8_length(s, n) != letters)
		fuzz_fail("utf8_length %zu, decoded %zu", utf8_length(s, n), letters);
}

struct terms_seen {
	char last[65];
	size_t count;
};

static void on_term(const char *term, size_t len, void *arg)
{
	struct terms_seen *seen = arg;
	if (len == 0 || len > 64 || strlen(term) != len)
		fuzz_fail("text_terms: a term of %zu bytes", len);
	check_ascii("text_terms", term, len, 0);
	if (seen->count && strcmp(seen->last, term) >= 0)
		fuzz_fail("text_terms: '%s' after '%s', not in byte order or repeated", term, seen->last);
	memcpy(seen->last, term, len + 1);
	seen->count++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	struct buf out = BUF_INIT;

	text_fold(s, size, &out);
	check_ascii("text_fold", out.ptr, out.len, 1);
	buf_reset(&out);
	text_fold_word(s, size, &out);
	check_ascii("text_fold_word", out.ptr, out.len, 0);

	buf_reset(&out);
	text_stem_kk(s, size, &out);
	if (out.len > size)
		fuzz_fail("text_stem_kk: %zu bytes from %zu", out.len, size);
	buf_reset(&out);
	text_stem_ru(s, size, &out);

	struct terms_seen seen = {"", 0};
	text_terms(s, size, on_term, &seen);
	char terms[2][65];
	int count = text_word_terms(s, size, terms);
	if (count < 0 || count > 2)
		fuzz_fail("text_word_terms: %d terms", count);
	for (int i = 0; i < count; i++)
		check_ascii("text_word_terms", terms[i], strlen(terms[i]), 0);

	check_utf8(s, size);
	buf_release(&out);
	return 0;
}
