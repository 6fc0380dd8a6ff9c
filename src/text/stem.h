/*
 * Light stemming for search in appeal texts written in Kazakh and Russian.
 *
 * Kazakh has no Snowball stemmer: text_stem_kk() strips, repeatedly and
 * from the end, case endings, possessive and plural suffixes
 * (бала-лар-ымыз-дағы → бала), keeping at least three letters of stem.
 * It strips until nothing more fits, so a stem stems to itself and the
 * nominative meets its inflected forms; a final б/г/ғ becomes п/к/қ
 * (мектебі → мектеп). Suffixes match Russian-keyboard spellings too
 * (дагы for дағы). A few words whose ending only looks like a suffix are
 * kept whole (отбасы, "family", is not the possessive of отба).
 * Russian words go through Snowball's Russian stemmer (libstemmer), after
 * lowercasing, ё → е, and a final -ьми → -ей (Snowball leaves детьми as
 * детьм but stems детей to дет).
 *
 * A word's search terms are its folded stems (fold.h): the Kazakh stem and
 * the Russian stem of the word (one term when they fold alike). Queries
 * use the same function, so "балаларымыздағы" finds "балалар" and
 * "детьми" finds "дети".
 */
#ifndef QORGAU_TEXT_STEM_H
#define QORGAU_TEXT_STEM_H

#include <stddef.h>

#include "core/buf.h"

/*
 * Stem a lowercase Kazakh Cyrillic word (UTF-8); appends the stem (a prefix
 * of the word, its last letter possibly devoiced) to out. Invalid UTF-8 and
 * words over 64 letters are appended unchanged.
 */
void text_stem_kk(const char *word, size_t n, struct buf *out);
/* Stem a Russian word (UTF-8, any case); appends the lowercase stem to out (the lowercased word if it cannot be stemmed). */
void text_stem_ru(const char *word, size_t n, struct buf *out);

/*
 * Call fn once per distinct search term of the text (folded, stemmed,
 * ASCII, at most 64 bytes, words of fewer than two letters skipped), in
 * byte order. Words are runs of letters and digits: a hyphen separates
 * (зорлық-зомбылық is two words). Thread-safe: each thread gets its own
 * Snowball stemmer, freed when the thread exits. Any bytes are accepted.
 */
/*
 * The next word of s[*pos..n) as the terms count words (letters and digits;
 * a hyphen, a dash or any other sign parts them): 1 with its start and
 * length, *pos past it; 0 when none is left.
 */
int text_next_word(const char *s, size_t n, size_t *pos, size_t *start, size_t *len);
typedef void (*text_term_fn)(const char *term, size_t len, void *arg);
void text_terms(const char *s, size_t n, text_term_fn fn, void *arg);

/*
 * The terms of one query word, for matching (the same terms text_terms
 * gives for that word): up to 2 terms into out[][65]; returns how many,
 * 0 for a word of fewer than two letters.
 */
int text_word_terms(const char *word, size_t n, char out[2][65]);

#endif
