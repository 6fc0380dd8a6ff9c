/*
 * Script folding: one canonical lowercase Latin spelling for text written
 * in Kazakh Cyrillic, Russian-style Cyrillic, the 2021 Kazakh Latin
 * alphabet or passport Latin, so that "Әсемгүл", "Асемгуль", "Äsemgül"
 * and "Asemgul" all fold to "asemgul".
 *
 * Rules (applied in this order; none depends on the C locale):
 *  - Unicode NFC, then explicit lowercasing; İ and I both become i, ı becomes y
 *    (the 2021 alphabet's ı is Cyrillic ы).
 *  - Kazakh letters to their Russian-style neighbours: ә→а ө→о ү→у ұ→у қ→к
 *    ң→н ғ→г һ→х і→и; Kazakh Latin: ä→a ö→o ü→u ū→u q→k ñ→n ŋ→n ğ→g ş→sh
 *    ç→ch.
 *  - Cyrillic to Latin: а a, б b, в v, г g, д d, е e, ё e, ж j, з z, и i,
 *    й i, к k, л l, м m, н n, о o, п p, р r, с s, т t, у u, ф f, х h,
 *    ц ts, ч ch, ш sh, щ sh, ъ (dropped), ы y, ь (dropped), э e, ю yu, я ya.
 *  - Latin canonical forms, scanned left to right, longest first: shch/sch
 *    →sh, dzh/zh/dj→j, kh→h, gh→g, ng→n (passport spellings of ж х ғ ң),
 *    ye→e (Yerlan = Ерлан, Serikbayev = Серикбаев, Grigoryev = Григорьев),
 *    c (not in ch)→k, w→v, x→ks.
 *  - Then y next to a vowel (a e i o u) becomes i: it is the й glide,
 *    spelt i, y or left out (Aybek = Айбек, Tatyana = Tatiana, Dmitriy =
 *    Dmitrii = Дмитрий); this also covers the former "final iy/ii → i".
 *    Doubled letters collapse (digits do not).
 *  - Anything that is not a letter or digit separates words; words are
 *    joined by single spaces; digits are kept. Combining marks that NFC
 *    could not compose are dropped; other letters are spelt by their
 *    compatibility decomposition (é→e, ﬁ→fi) or dropped if they have no
 *    Latin form (CJK, Arabic).
 *
 * Known limit: a capital I is always i, so Kazakh Latin "QIZI" (қызы with
 * dotless ı) folds as "kizi" while "qızı" folds as "kyzy".
 *
 * Output is plain ASCII. Any input bytes are accepted: invalid UTF-8 and
 * control characters (NUL included) are treated as separators, never read
 * beyond n.
 */
#ifndef QORGAU_TEXT_FOLD_H
#define QORGAU_TEXT_FOLD_H

#include <stddef.h>

#include "core/buf.h"

/* Append the folded form of s[0..n) to out (words separated by one space). */
void text_fold(const char *s, size_t n, struct buf *out);
/* Fold one word (no separators expected; any found are dropped). */
void text_fold_word(const char *s, size_t n, struct buf *out);

#endif
