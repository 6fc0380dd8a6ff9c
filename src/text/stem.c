/*
 * Light stemming for search (stem.h): a suffix stripper for Kazakh, Snowball
 * for Russian, and the search terms of a text built from both.
 */
#include "text/stem.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/mem.h"
#include "text/fold.h"
#include "text/utf8.h"

enum {
	KK_MIN_STEM = 3,    /* letters a Kazakh stem always keeps */
	KK_MAX_LETTERS = 64, /* longer "words" are not Kazakh words; left as they are */
	RU_MAX_BYTES = 256,  /* the same for Snowball, which takes an int length */
	TERM_MAX = 64,
};

/* Which letter must precede a suffix: Kazakh picks the variant by the stem's last sound. */
enum kk_after { KK_ANY, KK_VOWEL, KK_CONSONANT, KK_M_NG, KK_YI };

struct kk_suffix {
	const char *text;
	enum kk_after after;
};

/* Case, possessive and plural endings; the longest that fits is stripped first. */
static const struct kk_suffix kk_suffixes[] = {
	/* locative + attributive -ғы (балалар-дағы) */
	{"ндағы", KK_YI}, {"ндегі", KK_YI}, {"дағы", KK_ANY}, {"дегі", KK_ANY},
	{"тағы", KK_ANY}, {"тегі", KK_ANY},
	/* genitive, dative, accusative, locative, ablative, instrumental */
	{"ның", KK_ANY}, {"нің", KK_ANY}, {"дың", KK_ANY}, {"дің", KK_ANY},
	{"тың", KK_ANY}, {"тің", KK_ANY},
	{"ға", KK_ANY}, {"ге", KK_ANY}, {"қа", KK_ANY}, {"ке", KK_ANY},
	{"на", KK_YI}, {"не", KK_YI}, {"а", KK_M_NG}, {"е", KK_M_NG},
	{"ны", KK_ANY}, {"ні", KK_ANY}, {"ды", KK_ANY}, {"ді", KK_ANY},
	{"ты", KK_ANY}, {"ті", KK_ANY}, {"н", KK_YI},
	{"нда", KK_YI}, {"нде", KK_YI}, {"да", KK_ANY}, {"де", KK_ANY},
	{"та", KK_ANY}, {"те", KK_ANY},
	{"нан", KK_ANY}, {"нен", KK_ANY}, {"дан", KK_ANY}, {"ден", KK_ANY},
	{"тан", KK_ANY}, {"тен", KK_ANY},
	{"мен", KK_ANY}, {"бен", KK_ANY}, {"пен", KK_ANY},
	/* "without" (қамқорлығын-сыз) */
	{"сыз", KK_ANY}, {"сіз", KK_ANY},
	/* possessive: -ым after a consonant, -м after a vowel, and so on */
	{"ымыз", KK_CONSONANT}, {"іміз", KK_CONSONANT}, {"мыз", KK_VOWEL}, {"міз", KK_VOWEL},
	{"ыңыз", KK_CONSONANT}, {"іңіз", KK_CONSONANT}, {"ңыз", KK_VOWEL}, {"ңіз", KK_VOWEL},
	{"ым", KK_CONSONANT}, {"ім", KK_CONSONANT}, {"м", KK_VOWEL},
	{"ың", KK_CONSONANT}, {"ің", KK_CONSONANT}, {"ң", KK_VOWEL},
	{"сы", KK_VOWEL}, {"сі", KK_VOWEL}, {"ы", KK_CONSONANT}, {"і", KK_CONSONANT},
	/* plural */
	{"лар", KK_ANY}, {"лер", KK_ANY}, {"дар", KK_ANY}, {"дер", KK_ANY},
	{"тар", KK_ANY}, {"тер", KK_ANY},
};

/* Words whose ending only looks like a suffix: отбасы "family" is от + басы, but no longer a possessive. */
static const char *const kk_whole_words[] = {"отбасы"};

struct kk_word {
	uint32_t cls[KK_MAX_LETTERS]; /* letters, compared in Russian-style spelling */
	size_t off[KK_MAX_LETTERS + 1]; /* byte offset of each letter, and the end */
	size_t len;
};

/* The letter as people type it on a Russian keyboard (ә→а, қ→к, і→и), so both spellings match; ң stays. */
static uint32_t kk_class(uint32_t cp)
{
	cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
	switch (cp) {
	case 0x4d9: return 0x430; /* ә → а */
	case 0x4e9: return 0x43e; /* ө → о */
	case 0x4af:               /* ү → у */
	case 0x4b1: return 0x443; /* ұ → у */
	case 0x49b: return 0x43a; /* қ → к */
	case 0x493: return 0x433; /* ғ → г */
	case 0x4bb: return 0x445; /* һ → х */
	case 0x456: return 0x438; /* і → и */
	default: return cp;
	}
}

static int kk_is_vowel(uint32_t c)
{
	static const uint32_t vowels[] = {0x430, 0x435, 0x451, 0x438, 0x43e, 0x443, 0x44b, 0x44d, 0x44e, 0x44f};
	for (size_t i = 0; i < ARRAY_SIZE(vowels); i++)
		if (vowels[i] == c)
			return 1;
	return 0;
}

/* Split valid UTF-8 of at most KK_MAX_LETTERS letters; returns 0 for anything else. */
static int kk_decode(const char *s, size_t n, struct kk_word *w)
{
	w->len = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (!len || w->len == KK_MAX_LETTERS)
			return 0;
		w->off[w->len] = i;
		w->cls[w->len++] = kk_class(cp);
		i += len;
	}
	w->off[w->len] = n;
	return 1;
}

/* Whether the first len letters of w end with the letters of the UTF-8 string text; returns its length. */
static size_t kk_ends_with(const struct kk_word *w, size_t len, const char *text)
{
	uint32_t want[8];
	size_t k = 0, tn = strlen(text);
	for (size_t i = 0; i < tn && k < ARRAY_SIZE(want);) {
		uint32_t cp = 0;
		size_t l = utf8_decode(text + i, tn - i, &cp);
		if (!l)
			return 0;
		want[k++] = kk_class(cp);
		i += l;
	}
	if (k > len)
		return 0;
	for (size_t j = 0; j < k; j++)
		if (w->cls[len - k + j] != want[j])
			return 0;
	return k;
}

static int kk_after_ok(enum kk_after after, uint32_t prev)
{
	switch (after) {
	case KK_VOWEL: return kk_is_vowel(prev);
	case KK_CONSONANT: return !kk_is_vowel(prev);
	case KK_M_NG: return prev == 0x43c || prev == 0x4a3;
	case KK_YI: return prev == 0x44b || prev == 0x438;
	default: return 1;
	}
}

/* Letters of the longest suffix that may be stripped from the first len letters; 0 if none. */
static size_t kk_strippable(const struct kk_word *w, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(kk_whole_words); i++)
		if (kk_ends_with(w, len, kk_whole_words[i]))
			return 0;
	size_t best = 0;
	for (size_t i = 0; i < ARRAY_SIZE(kk_suffixes); i++) {
		size_t k = kk_ends_with(w, len, kk_suffixes[i].text);
		if (k > best && len - k >= KK_MIN_STEM && kk_after_ok(kk_suffixes[i].after, w->cls[len - k - 1]))
			best = k;
	}
	return best;
}

/* Final б/г/ғ are п/к/қ voiced before a suffix vowel (мектебі → мектеп); undo it always, for stability. */
static const char *kk_devoiced(uint32_t cp)
{
	switch (cp) {
	case 0x431: return "п";
	case 0x433: return "к";
	case 0x493: return "қ";
	default: return NULL;
	}
}

void text_stem_kk(const char *word, size_t n, struct buf *out)
{
	struct kk_word w;
	if (!kk_decode(word, n, &w) || w.len == 0) {
		buf_add(out, word, n);
		return;
	}
	size_t len = w.len, k;
	while ((k = kk_strippable(&w, len)) > 0)
		len -= k; /* strips down to a fixed point, so a stem stems to itself */
	uint32_t last = 0;
	utf8_decode(word + w.off[len - 1], w.off[len] - w.off[len - 1], &last);
	const char *devoiced = kk_devoiced((uint32_t)utf8proc_tolower((utf8proc_int32_t)last));
	if (devoiced) {
		buf_add(out, word, w.off[len - 1]);
		buf_adds(out, devoiced);
	} else {
		buf_add(out, word, w.off[len]);
	}
}

static pthread_key_t ru_key;
static pthread_once_t ru_once = PTHREAD_ONCE_INIT;
/* Also kept here so that LeakSanitizer finds the main thread's stemmer reachable at exit. */
static __thread struct sb_stemmer *ru_stemmer;

static void ru_stemmer_free(void *stemmer)
{
	sb_stemmer_delete(stemmer);
	ru_stemmer = NULL;
}

static void ru_key_create(void)
{
	if (pthread_key_create(&ru_key, ru_stemmer_free) != 0)
		abort(); /* only when the process is out of keys: as fatal as out of memory */
}

/* This thread's Russian stemmer (Snowball objects are not thread-safe); NULL if none can be made. */
static struct sb_stemmer *ru_get(void)
{
	if (ru_stemmer)
		return ru_stemmer;
	pthread_once(&ru_once, ru_key_create);
	ru_stemmer = sb_stemmer_new("russian", "UTF_8");
	if (ru_stemmer)
		pthread_setspecific(ru_key, ru_stemmer); /* freed when the thread exits */
	return ru_stemmer;
}

/* Lowercase NFC, with ё as е as Russian is usually written; s is copied as is if utf8proc refuses it. */
static void stem_lower(const char *s, size_t n, struct buf *out)
{
	utf8proc_uint8_t *low = NULL;
	utf8proc_ssize_t len = n ? utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &low,
	                                        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD)
	                         : 0;
	size_t start = out->len;
	if (len > 0)
		buf_add(out, low, (size_t)len);
	else
		buf_add(out, s, n);
	free(low);
	for (size_t i = start; i + 1 < out->len; i++)
		if ((unsigned char)out->ptr[i] == 0xd1 && (unsigned char)out->ptr[i + 1] == 0x91)
			out->ptr[i] = (char)0xd0, out->ptr[i + 1] = (char)0xb5;
}

/* Snowball keeps the -ьм of детьми, людьми, лошадьми: give it the genitive детей, which it stems. */
static void ru_irregular_instrumental(struct buf *low)
{
	static const char ending[] = "ьми", genitive[] = "ей";
	size_t k = sizeof ending - 1;
	if (low->len > k && memcmp(low->ptr + low->len - k, ending, k) == 0) {
		buf_truncate(low, low->len - k);
		buf_adds(low, genitive);
	}
}

void text_stem_ru(const char *word, size_t n, struct buf *out)
{
	struct sb_stemmer *stemmer = ru_get();
	struct buf low = BUF_INIT;
	stem_lower(word, n, &low);
	ru_irregular_instrumental(&low);
	const sb_symbol *stem = NULL;
	if (stemmer && low.len <= RU_MAX_BYTES && utf8_valid(low.ptr, low.len))
		stem = sb_stemmer_stem(stemmer, (const sb_symbol *)low.ptr, (int)low.len);
	if (stem)
		buf_add(out, stem, (size_t)sb_stemmer_length(stemmer));
	else
		buf_add(out, low.ptr, low.len);
	buf_release(&low);
}

static int stem_is_word_char(uint32_t cp)
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

static int stem_is_mark(uint32_t cp)
{
	utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
	return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* Whether s holds at least two letters or digits: shorter words are not searched. */
static int stem_has_two_letters(const char *s, size_t n)
{
	int count = 0;
	for (size_t i = 0; i < n && count < 2;) {
		uint32_t cp;
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len && stem_is_word_char(cp))
			count++;
		i += len ? len : 1;
	}
	return count >= 2;
}

/* Fold a stem into a term and add it to out unless empty or already there; returns the new count. */
static int stem_add_term(const struct buf *stem, char out[2][65], int count)
{
	struct buf term = BUF_INIT;
	text_fold_word(stem->ptr, stem->len, &term);
	size_t len = term.len < TERM_MAX ? term.len : TERM_MAX;
	if (len && !(count == 1 && strlen(out[0]) == len && memcmp(out[0], term.ptr, len) == 0)) {
		memcpy(out[count], term.ptr, len);
		out[count][len] = '\0';
		count++;
	}
	buf_release(&term);
	return count;
}

int text_word_terms(const char *word, size_t n, char out[2][65])
{
	if (!stem_has_two_letters(word, n))
		return 0;
	struct buf low = BUF_INIT, stem = BUF_INIT;
	stem_lower(word, n, &low);
	text_stem_kk(low.ptr, low.len, &stem);
	int count = stem_add_term(&stem, out, 0);
	buf_reset(&stem);
	text_stem_ru(low.ptr, low.len, &stem);
	count = stem_add_term(&stem, out, count);
	buf_release(&stem);
	buf_release(&low);
	return count;
}

/* All terms of a text, NUL-separated, so that duplicates can be dropped after sorting. */
struct term_list {
	struct buf text;
	size_t *offsets;
	size_t count, cap;
};

static void term_list_add(struct term_list *list, const char *term)
{
	if (list->count == list->cap) {
		list->cap = list->cap ? 2 * list->cap : 64;
		list->offsets = xrealloc(list->offsets, list->cap * sizeof *list->offsets);
	}
	list->offsets[list->count++] = list->text.len;
	buf_add(&list->text, term, strlen(term) + 1);
}

static void term_list_add_word(struct term_list *list, const char *word, size_t n)
{
	char terms[2][65];
	int count = text_word_terms(word, n, terms);
	for (int i = 0; i < count; i++)
		term_list_add(list, terms[i]);
}

static int term_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Call fn once per distinct term, in byte order. */
static void term_list_emit(struct term_list *list, text_term_fn fn, void *arg)
{
	const char **terms = xmalloc((list->count ? list->count : 1) * sizeof *terms);
	for (size_t i = 0; i < list->count; i++)
		terms[i] = list->text.ptr + list->offsets[i];
	qsort(terms, list->count, sizeof *terms, term_cmp);
	for (size_t i = 0; i < list->count; i++)
		if (i == 0 || strcmp(terms[i], terms[i - 1]) != 0)
			fn(terms[i], strlen(terms[i]), arg);
	free(terms);
}

int text_next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len)
{
	size_t i = *pos;
	int in_word = 0;
	while (i < n) {
		uint32_t cp = 0;
		size_t l = utf8_decode(s + i, n - i, &cp);
		int word_char = l && (stem_is_word_char(cp) || (in_word && stem_is_mark(cp)));
		if (word_char && !in_word) {
			*start = i;
			in_word = 1;
		} else if (!word_char && in_word) {
			break;
		}
		i += l ? l : 1;
	}
	*pos = i;
	if (in_word)
		*len = i - *start;
	return in_word;
}

void text_terms(const char *s, size_t n, text_term_fn fn, void *arg)
{
	struct term_list list = {BUF_INIT, NULL, 0, 0};
	size_t pos = 0, start, len;
	while (text_next_word(s, n, &pos, &start, &len))
		term_list_add_word(&list, s + start, len);
	term_list_emit(&list, fn, arg);
	free(list.offsets);
	buf_release(&list.text);
}
