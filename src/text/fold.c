/*
 * Script folding (fold.h): Kazakh and Russian Cyrillic, Kazakh Latin and
 * passport Latin reduced to one ASCII spelling for search and name matching.
 */
#include "text/fold.h"

#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

#include "text/utf8.h"

/* Cyrillic а..я (U+0430..U+044F); ъ and ь carry no sound of their own. */
static const char *const fold_cyrillic[32] = {
	"a", "b", "v", "g", "d", "e", "j", "z", "i", "i", "k", "l", "m", "n", "o", "p",
	"r", "s", "t", "u", "f", "h", "ts", "ch", "sh", "sh", "", "y", "", "e", "yu", "ya",
};

struct fold_letter {
	uint32_t cp;
	const char *latin;
};

/* Lowercase letters outside а..я and ASCII that names are written with. */
static const struct fold_letter fold_letters[] = {
	{0x0451, "e"},  /* ё */
	{0x0454, "e"},  /* є */
	{0x0456, "i"},  /* і */
	{0x0457, "i"},  /* ї */
	{0x045e, "u"},  /* ў */
	{0x0491, "g"},  /* ґ */
	{0x0493, "g"},  /* ғ */
	{0x049b, "k"},  /* қ */
	{0x04a3, "n"},  /* ң */
	{0x04af, "u"},  /* ү */
	{0x04b1, "u"},  /* ұ */
	{0x04bb, "h"},  /* һ */
	{0x04d9, "a"},  /* ә */
	{0x04e9, "o"},  /* ө */
	{0x00df, "ss"}, /* ß */
	{0x00e4, "a"},  /* ä */
	{0x00e6, "ae"}, /* æ */
	{0x00e7, "ch"}, /* ç: Kazakh Latin ч */
	{0x00f0, "d"},  /* ð */
	{0x00f1, "n"},  /* ñ */
	{0x00f6, "o"},  /* ö */
	{0x00f8, "o"},  /* ø */
	{0x00fc, "u"},  /* ü */
	{0x00fe, "th"}, /* þ */
	{0x010d, "ch"}, /* č */
	{0x0111, "d"},  /* đ */
	{0x011f, "g"},  /* ğ */
	{0x0131, "y"},  /* ı: the 2021 alphabet's ы */
	{0x0142, "l"},  /* ł */
	{0x014b, "n"},  /* ŋ */
	{0x0153, "oe"}, /* œ */
	{0x015f, "sh"}, /* ş */
	{0x0161, "sh"}, /* š */
	{0x016b, "u"},  /* ū */
	{0x017e, "j"},  /* ž, as zh */
	{0x0219, "sh"}, /* ș */
	{0x0259, "a"},  /* ə: ә in the Latin drafts before 2021 */
};

struct fold_rewrite {
	const char *from, *to;
};

/* Spellings of one sound, longest first so that "shch" wins over "sh". */
static const struct fold_rewrite fold_rewrites[] = {
	{"shch", "sh"}, {"dzh", "j"}, {"sch", "sh"}, {"zh", "j"}, {"dj", "j"},
	{"kh", "h"},    {"gh", "g"},  {"ng", "n"},   {"ch", "ch"}, {"ye", "e"},
	{"c", "k"},     {"w", "v"},   {"x", "ks"},
};

static int fold_is_word_char(uint32_t cp)
{
	switch (utf8proc_category((utf8proc_int32_t)cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

static int fold_is_mark(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Locale-free lowercase; the Turkic dotted and dotless I are decided here, not by a locale. */
static uint32_t fold_lower(uint32_t cp)
{
	if (cp == 'I' || cp == 0x130)
		return 'i';
	if (cp == 0x131)
		return cp;
	return (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
}

/* The Latin spelling of a lowercase letter, or NULL if it has none of its own. */
static const char *fold_latin(uint32_t cp)
{
	if (cp >= 0x430 && cp <= 0x44f)
		return fold_cyrillic[cp - 0x430];
	for (size_t i = 0; i < sizeof fold_letters / sizeof fold_letters[0]; i++)
		if (fold_letters[i].cp == cp)
			return fold_letters[i].latin;
	return NULL;
}

/* Append a lowercase code point that is ASCII or in the tables; returns 0 if it is neither. */
static int fold_add_known(uint32_t cp, struct buf *word)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
		buf_addc(word, cp == 'q' ? 'k' : (char)cp);
		return 1;
	}
	const char *latin = fold_latin(cp);
	if (!latin)
		return 0;
	buf_adds(word, latin);
	return 1;
}

/* Other letters by their compatibility decomposition (é → e, ﬁ → fi); the rest has no ASCII form. */
static void fold_add_decomposed(uint32_t cp, struct buf *word)
{
	utf8proc_int32_t parts[8];
	int boundclass = 0;
	utf8proc_ssize_t n = utf8proc_decompose_char((utf8proc_int32_t)cp, parts, 8,
	                                             UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, &boundclass);
	if (n < 0 || n > 8)
		return;
	for (utf8proc_ssize_t i = 0; i < n; i++)
		fold_add_known(fold_lower((uint32_t)parts[i]), word);
}

/* Append the transliteration of cp to word; returns 0 if cp separates words. */
static int fold_code_point(uint32_t cp, struct buf *word)
{
	if (fold_is_mark(cp))
		return 1; /* a mark NFC could not compose still belongs to its letter */
	cp = fold_lower(cp);
	if (fold_add_known(cp, word))
		return 1;
	if (cp < 0x80 || !fold_is_word_char(cp))
		return 0;
	fold_add_decomposed(cp, word);
	return 1;
}

/* Replace the longest spelling variant starting at w[i]; returns the bytes consumed. */
static size_t fold_rewrite_at(const char *w, size_t n, size_t i, struct buf *out)
{
	for (size_t r = 0; r < sizeof fold_rewrites / sizeof fold_rewrites[0]; r++) {
		const char *from = fold_rewrites[r].from;
		size_t k = 0;
		while (from[k] && i + k < n && w[i + k] == from[k])
			k++;
		if (!from[k]) {
			buf_adds(out, fold_rewrites[r].to);
			return k;
		}
	}
	buf_addc(out, w[i]);
	return 1;
}

static int fold_is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* y beside a vowel is the й/ь glide that spellings write as i, y or not at all (Aybek, Tatiana). */
static int fold_glide_at(const char *w, size_t n, size_t i)
{
	return (i > 0 && fold_is_vowel(w[i - 1])) || (i + 1 < n && fold_is_vowel(w[i + 1]));
}

/* The canonical Latin form of one transliterated word (fold.h, "Latin canonical forms"). */
static void fold_canonical(const char *w, size_t n, struct buf *out)
{
	struct buf tmp = BUF_INIT;
	for (size_t i = 0; i < n;)
		i += fold_rewrite_at(w, n, i, &tmp);
	size_t start = out->len;
	for (size_t i = 0; i < tmp.len; i++) {
		char c = tmp.ptr[i];
		if (c == 'y' && fold_glide_at(tmp.ptr, tmp.len, i))
			c = 'i';
		int letter = c >= 'a' && c <= 'z';
		if (letter && out->len > start && out->ptr[out->len - 1] == c)
			continue;
		buf_addc(out, c);
	}
	buf_release(&tmp);
}

/* Copy s as valid UTF-8: invalid bytes and control characters become spaces. */
static void fold_sanitize(const char *s, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (!len || cp < 0x20 || cp == 0x7f) {
			buf_addc(out, ' ');
			i += len ? len : 1;
			continue;
		}
		buf_add(out, s + i, len);
		i += len;
	}
}

/* NFC so that "и" + combining breve is й; if utf8proc refuses, the sanitized text is used. */
static void fold_nfc(const char *s, size_t n, struct buf *out)
{
	struct buf clean = BUF_INIT;
	fold_sanitize(s, n, &clean);
	utf8proc_uint8_t *nfc = NULL;
	utf8proc_ssize_t len = clean.len ? utf8proc_map((const utf8proc_uint8_t *)clean.ptr,
	                                                (utf8proc_ssize_t)clean.len, &nfc,
	                                                UTF8PROC_STABLE | UTF8PROC_COMPOSE)
	                                 : 0;
	if (len > 0)
		buf_add(out, nfc, (size_t)len);
	else
		buf_add(out, clean.ptr, clean.len);
	free(nfc);
	buf_release(&clean);
}

/* Emit a finished word (if any) in canonical form, a space before all but the first. */
static void fold_flush(struct buf *word, struct buf *out, int *emitted)
{
	if (!word->len)
		return;
	if (*emitted)
		buf_addc(out, ' ');
	fold_canonical(word->ptr, word->len, out);
	*emitted = 1;
	buf_reset(word);
}

static void fold_run(const char *s, size_t n, struct buf *out, int split_words)
{
	struct buf text = BUF_INIT, word = BUF_INIT;
	int emitted = 0;
	fold_nfc(s, n, &text);
	for (size_t i = 0; i < text.len;) {
		uint32_t cp = ' ';
		size_t len = utf8_decode(text.ptr + i, text.len - i, &cp);
		i += len ? len : 1;
		if (!fold_code_point(len ? cp : ' ', &word) && split_words)
			fold_flush(&word, out, &emitted);
	}
	fold_flush(&word, out, &emitted);
	buf_release(&word);
	buf_release(&text);
}

void text_fold(const char *s, size_t n, struct buf *out)
{
	fold_run(s, n, out, 1);
}

void text_fold_word(const char *s, size_t n, struct buf *out)
{
	fold_run(s, n, out, 0);
}
