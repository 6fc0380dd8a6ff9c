/*
 * Name keys (names.h): surnames, given names and patronymics reduced to one
 * form across scripts and naming customs, and the distance between keys.
 */
#include "text/names.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/mem.h"
#include "text/fold.h"

enum { NAMES_MIN_KEY = 2 };

struct names_ending {
	const char *end, *base;
};

/*
 * Endings that Russian and Kazakh custom add to a base name, after folding,
 * longest first so that -ovich is not taken for -ov or -ich.
 */
static const struct names_ending names_endings[] = {
	{"skaia", "ski"}, {"ovich", ""}, {"evich", ""}, {"ichna", ""}, {"kyzy", ""}, {"ovna", ""},
	{"evna", ""},     {"ova", ""},   {"eva", ""},   {"ina", ""},   {"uly", ""},  {"ich", ""},
	{"ov", ""},       {"ev", ""},    {"in", ""},
};

static int names_is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static int names_ends_with(const char *w, size_t n, const char *end)
{
	size_t k = strlen(end);
	return n >= k && memcmp(w + n - k, end, k) == 0;
}

/*
 * Append the folded word w without its ending (the feminine -ская becomes
 * -ский). After a vowel, Russian -ев has swallowed a й: Серікбай + ев =
 * Серікбаев, so the й comes back as i.
 */
static void names_reduce(const char *w, size_t n, struct buf *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(names_endings); i++) {
		const char *end = names_endings[i].end;
		size_t k = strlen(end);
		if (!names_ends_with(w, n, end) || n - k < NAMES_MIN_KEY)
			continue;
		buf_add(out, w, n - k);
		buf_adds(out, names_endings[i].base);
		if (end[0] == 'e' && names_is_vowel(w[n - k - 1]))
			buf_addc(out, 'i');
		return;
	}
	buf_add(out, w, n);
}

/* Copy a key into a fixed array, cut to NAME_KEY_MAX - 1 bytes. */
static void names_copy(const char *key, size_t n, char out[NAME_KEY_MAX])
{
	if (n > NAME_KEY_MAX - 1)
		n = NAME_KEY_MAX - 1;
	memcpy(out, key, n);
	out[n] = '\0';
}

/* Separators are dropped before reducing: "Асқар ұлы" is Асқарұлы, "Әсем-Гүл" is Әсемгүл. */
static void names_part_key(const char *s, char out[NAME_KEY_MAX])
{
	out[0] = '\0';
	if (!s)
		return;
	struct buf folded = BUF_INIT, key = BUF_INIT;
	text_fold_word(s, strlen(s), &folded);
	names_reduce(folded.ptr, folded.len, &key);
	names_copy(key.ptr, key.len, out);
	buf_release(&key);
	buf_release(&folded);
}

void name_key_surname(const char *s, char out[NAME_KEY_MAX])
{
	names_part_key(s, out);
}

void name_key_given(const char *s, char out[NAME_KEY_MAX])
{
	names_part_key(s, out);
}

void name_key_patronymic(const char *s, char out[NAME_KEY_MAX])
{
	names_part_key(s, out);
}

void name_key(const char *surname, const char *given, const char *patronymic, struct name_key *out)
{
	name_key_surname(surname, out->surname);
	name_key_given(given, out->given);
	name_key_patronymic(patronymic, out->patronymic);
}

/* The second word of "Жанбұлат қызы": part of the word before it. */
static int names_is_bound_word(const char *w, size_t n)
{
	return (n == 3 && memcmp(w, "uly", 3) == 0) || (n == 4 && memcmp(w, "kyzy", 4) == 0);
}

void name_part_folded(const char *s, char out[NAME_KEY_MAX])
{
	out[0] = '\0';
	if (!s)
		return;
	struct buf folded = BUF_INIT;
	text_fold_word(s, strlen(s), &folded);
	names_copy(folded.ptr, folded.len, out);
	buf_release(&folded);
}

int name_query_keys(const char *q, char out[][NAME_KEY_MAX], int max)
{
	return name_query_words(q, out, NULL, max);
}

int name_query_words(const char *q, char out[][NAME_KEY_MAX], char folded_out[][NAME_KEY_MAX], int max)
{
	if (!q || max <= 0)
		return 0;
	struct buf joined = BUF_INIT, folded = BUF_INIT, key = BUF_INIT;
	/* A hyphen joins (Әсем-Гүл is one name), and so does an apostrophe (O'Brien, Ja’nar, Шаһ’ар). */
	for (const char *p = q; *p; p++) {
		if (*p == '-' || *p == '\'' || *p == '`')
			continue;
		if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
		    ((unsigned char)p[2] == 0x98 || (unsigned char)p[2] == 0x99)) {
			p += 2; /* ‘ ’ */
			continue;
		}
		if ((unsigned char)p[0] == 0xCA && ((unsigned char)p[1] == 0xBC || (unsigned char)p[1] == 0xBB)) {
			p += 1; /* ʼ ʻ */
			continue;
		}
		buf_addc(&joined, *p);
	}
	text_fold(joined.ptr, joined.len, &folded);
	int count = 0;
	for (size_t i = 0; i < folded.len && count < max;) {
		size_t n = strcspn(folded.ptr + i, " ");
		if (!(count > 0 && names_is_bound_word(folded.ptr + i, n))) {
			buf_reset(&key);
			names_reduce(folded.ptr + i, n, &key);
			if (folded_out)
				names_copy(folded.ptr + i, n, folded_out[count]);
			names_copy(key.ptr, key.len, out[count++]);
		} else if (folded_out) {
			/* "Жанбұлат қызы": the folded form is one word, as the part's */
			size_t have = strlen(folded_out[count - 1]);
			if (have + n < NAME_KEY_MAX) {
				memcpy(folded_out[count - 1] + have, folded.ptr + i, n);
				folded_out[count - 1][have + n] = '\0';
			}
		}
		i += n + 1;
	}
	buf_release(&key);
	buf_release(&folded);
	buf_release(&joined);
	return count;
}

static size_t names_min(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* max + 1 without overflow. */
static int names_over(int max)
{
	return max < INT_MAX ? max + 1 : INT_MAX;
}

/*
 * One row of the distance table, only within lim of the diagonal (cells
 * farther away exceed lim anyway); returns the row's smallest value.
 */
static size_t names_row(const char *a, const char *b, size_t i, size_t lb, size_t lim,
                        const size_t *pp, const size_t *prev, size_t *cur)
{
	size_t inf = lim + 1;
	size_t lo = i > lim ? i - lim : 1, hi = names_min(lb, i + lim);
	cur[0] = names_min(i, inf);
	if (lo > 1)
		cur[lo - 1] = inf;
	size_t best = cur[0];
	for (size_t j = lo; j <= hi; j++) {
		size_t v = names_min(prev[j] + 1, cur[j - 1] + 1);
		v = names_min(v, prev[j - 1] + (a[i - 1] != b[j - 1]));
		if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
			v = names_min(v, pp[j - 2] + 1);
		cur[j] = names_min(v, inf);
		best = names_min(best, cur[j]);
	}
	if (hi < lb)
		cur[hi + 1] = inf;
	return best;
}

int text_edit_distance(const char *a, const char *b, int max)
{
	if (max < 0)
		return max + 1;
	a = a ? a : "";
	b = b ? b : "";
	size_t la = strlen(a), lb = strlen(b);
	size_t longer = la > lb ? la : lb, diff = la > lb ? la - lb : lb - la;
	if (diff > (size_t)max)
		return names_over(max);
	size_t lim = names_min((size_t)max, longer), inf = lim + 1;
	size_t small[3 * NAME_KEY_MAX];
	size_t *rows = 3 * (lb + 1) <= ARRAY_SIZE(small) ? small : xmalloc(3 * (lb + 1) * sizeof *rows);
	size_t *pp = rows, *prev = rows + lb + 1, *cur = rows + 2 * (lb + 1);
	for (size_t j = 0; j <= lb; j++)
		prev[j] = names_min(j, inf);
	size_t d = la == 0 ? prev[lb] : inf;
	for (size_t i = 1; i <= la; i++) {
		if (names_row(a, b, i, lb, lim, pp, prev, cur) > lim)
			break;
		if (i == la)
			d = cur[lb];
		size_t *t = pp;
		pp = prev, prev = cur, cur = t;
	}
	if (rows != small)
		free(rows);
	return d > lim ? names_over(max) : (int)d;
}
