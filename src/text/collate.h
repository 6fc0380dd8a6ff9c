/*
 * Alphabetical order of names as a reader of each language expects it:
 * Kazakh's alphabet puts Ә after А, Қ after К, І after Ы (А Ә Б В Г Ғ Д Е Ё
 * Ж З И Й К Қ Л М Н Ң О Ө П Р С Т У Ұ Ү Ф Х Һ Ц Ч Ш Щ Ъ Ы І Ь Э Ю Я), where
 * the order of code points (and so SQL's plain text order) puts every
 * Kazakh letter after Я. Russian's alphabet, with the Kazakh letters beside
 * the letters they come from. Case is ignored, then decides a tie; a run
 * of digits counts as its number (№2 before №10).
 */
#ifndef QORGAU_TEXT_COLLATE_H
#define QORGAU_TEXT_COLLATE_H

#include "core/i18n.h"

/* <0, 0 or >0 as a sorts before, with or after b for readers of lang. Invalid UTF-8 sorts by its bytes. */
int text_collate(enum lang lang, const char *a, const char *b);

#endif
