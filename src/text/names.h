/*
 * Name keys: the parts of a person's name reduced to a base form that is
 * the same however the name was spelt, so that "Әсемгүл Жанбұлатқызы",
 * "Асемгуль Жанбулатовна" and "Asemgul Zhanbulatkyzy" match.
 *
 * A key is the folded form (fold.h) of the whole part with its word
 * separators removed ("Асқар ұлы" = Асқарұлы, "Әсем-Гүл" = Әсемгүл), then
 * one ending removed, longest first, keeping at least two letters:
 * -ов/-ев/-ова/-ева/-ин/-ина, -ұлы/-қызы, -ович/-евич/-овна/-евна/-ич/
 * -ична (ov ev ova eva in ina uly kyzy ovich evich ovna evna ich ichna
 * after folding); -ская becomes -ский. An -ев ending after a vowel leaves
 * an i for the й that Russian spelling swallowed, so Серікбай, Серікбаев
 * and Serikbayeva all key as "serikbai".
 *
 * Every part and every query word is reduced by the same list of endings.
 * A query word does not say which part it is, and parts do not keep to
 * their custom: Амина is a given name that ends in -ина, Богданович a
 * surname that ends in -ович, and Асқарұлы is a common surname as well as
 * a patronymic. With one rule, a query word's key equals the key of the
 * part it was meant for. Keys are at most NAME_KEY_MAX - 1 bytes of ASCII.
 */
#ifndef QORGAU_TEXT_NAMES_H
#define QORGAU_TEXT_NAMES_H

#include <stddef.h>

enum { NAME_KEY_MAX = 64 };

struct name_key {
	char surname[NAME_KEY_MAX];
	char given[NAME_KEY_MAX];
	char patronymic[NAME_KEY_MAX]; /* "" when none */
};

/* Keys of a name given in parts; any part may be NULL. */
void name_key(const char *surname, const char *given, const char *patronymic, struct name_key *out);
/* The key of a single surname / given name / patronymic word (or two words: "Жанбұлат қызы"); NULL gives "". */
void name_key_surname(const char *s, char out[NAME_KEY_MAX]);
void name_key_given(const char *s, char out[NAME_KEY_MAX]);
void name_key_patronymic(const char *s, char out[NAME_KEY_MAX]);

/*
 * Split a free-text query ("Жанбұлатқызы Әсемгүл", "asemgul") into word
 * keys usable against any part: each word is folded and reduced as above;
 * a hyphen joins ("Әсем-Гүл" is one word, as in its part key), and a
 * separate "ұлы"/"қызы" after another word belongs to that word and gives
 * no key of its own. Returns the number of words written (at most
 * max), each NUL-terminated in out[i].
 */
int name_query_keys(const char *q, char out[][NAME_KEY_MAX], int max);

/*
 * The folded form of a part with its separators removed but its ending
 * kept ("Жанбұлатқызы" = zhanbulatkyzy): what typo tolerance compares,
 * since a typo in an ending would otherwise leave the reduced keys apart.
 */
void name_part_folded(const char *s, char out[NAME_KEY_MAX]);

/*
 * As name_query_keys, and also each word's folded form with its ending
 * kept (a separate "ұлы"/"қызы" joined to the word before it), as
 * name_part_folded gives for a part.
 */
int name_query_words(const char *q, char keys[][NAME_KEY_MAX], char folded[][NAME_KEY_MAX], int max);

/*
 * Optimal string alignment distance (Damerau–Levenshtein with adjacent
 * transpositions) between two NUL-terminated ASCII keys (NULL counts as
 * ""); returns max + 1 as soon as the distance is known to exceed max.
 * Only cells within max of the diagonal are computed, so long strings
 * cost O(length * max). Never reads beyond the strings.
 */
int text_edit_distance(const char *a, const char *b, int max);

#endif
