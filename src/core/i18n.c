/* Looking up compiled translations (i18n.h). */
#include "core/i18n.h"

#include <stdlib.h>
#include <string.h>

static const struct i18n_entry *catalog(enum lang lang, size_t *n)
{
	switch (lang) {
	case LANG_RU:
		*n = i18n_ru_count;
		return i18n_ru;
	case LANG_EN:
		*n = i18n_en_count;
		return i18n_en;
	default:
		*n = i18n_kk_count;
		return i18n_kk;
	}
}

static int by_id(const void *key, const void *elem)
{
	return strcmp(key, ((const struct i18n_entry *)elem)->id);
}

static const struct i18n_entry *find(enum lang lang, const char *msgid)
{
	size_t n;
	const struct i18n_entry *c = catalog(lang, &n);
	return bsearch(msgid, c, n, sizeof(*c), by_id);
}

const char *T(enum lang lang, const char *msgid)
{
	const struct i18n_entry *e = find(lang, msgid);
	return e ? e->str : msgid;
}

int i18n_has(enum lang lang, const char *msgid)
{
	return find(lang, msgid) != NULL;
}

const char *lang_code(enum lang lang)
{
	static const char *const codes[] = {"kk", "ru", "en"};
	return lang < LANG_COUNT ? codes[lang] : "kk";
}

enum lang lang_parse(const char *s, size_t n)
{
	for (int l = 0; l < LANG_COUNT; l++)
		if (n == 2 && memcmp(s, lang_code((enum lang)l), 2) == 0)
			return (enum lang)l;
	return LANG_COUNT;
}
