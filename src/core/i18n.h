/*
 * Translations: gettext .po catalogs (po/kk.po, po/ru.po, po/en.po)
 * compiled into the binary by tools/po2c. Kazakh is the default language.
 *
 * Source strings are English msgids marked with _(r, "…") (request) or
 * T(lang, "…"); xgettext extracts them (keywords _:2 and T:2) and a test
 * fails when a catalog lacks one.
 */
#ifndef QORGAU_CORE_I18N_H
#define QORGAU_CORE_I18N_H

#include <stddef.h>

/* Marks a string for translation where it is written; translate it where it is shown. */
#define N_(msgid) (msgid)

enum lang { LANG_KK, LANG_RU, LANG_EN, LANG_COUNT };

struct i18n_entry {
	const char *id;
	const char *str;
};

extern const struct i18n_entry i18n_kk[], i18n_ru[], i18n_en[];
extern const size_t i18n_kk_count, i18n_ru_count, i18n_en_count;

/* The translation of msgid, or msgid itself when the catalog lacks it. */
const char *T(enum lang lang, const char *msgid);
/* Whether the catalog of lang has msgid (tests). */
int i18n_has(enum lang lang, const char *msgid);
/* "kk", "ru", "en". */
const char *lang_code(enum lang lang);
/* LANG_COUNT when s is not a language code. */
enum lang lang_parse(const char *s, size_t n);

#endif
