/* Alphabetical order per language (collate.h). */
#include "text/collate.h"

#include <string.h>

#include "text/utf8.h"

/* The lower-case alphabets, in order. */
static const char kk_alphabet[] = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
static const char ru_alphabet[] = "аәбвгғдеёжзиійкқлмнңоөпрстуұүфхһцчшщъыьэюя";

static uint32_t lower(uint32_t c)
{
	if (c >= 0x410 && c <= 0x42f)
		return c + 0x20; /* А–Я */
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50; /* Ѐ–Џ (Ё, І) */
	if (c >= 0x490 && c <= 0x4ff && !(c & 1))
		return c + 1; /* Ғ Қ Ң Ү Ұ Һ Ә Ө: upper case is even */
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	return c;
}

/*
 * A letter's place: spaces and signs first (by code point), then digits,
 * then Latin letters, then the alphabet's Cyrillic letters, then anything else.
 */
static uint32_t rank(const char *alphabet, uint32_t c)
{
	c = lower(c);
	if (c < 0x80 && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9'))
		return c;
	if ((c >= 0xa0 && c < 0xc0) || (c >= 0x2000 && c < 0x2c00))
		return 0x80 + (c & 0x7f); /* № « » — and their kin: signs too */
	if (c >= '0' && c <= '9')
		return 0x100 + c;
	if (c >= 'a' && c <= 'z')
		return 0x200 + c;
	uint32_t i = 0;
	for (size_t at = 0, n = strlen(alphabet); at < n; i++) {
		uint32_t a;
		size_t len = utf8_decode(alphabet + at, n - at, &a);
		if (a == c)
			return 0x300 + i;
		at += len;
	}
	return 0x400 + c;
}

int text_collate(enum lang lang, const char *a, const char *b)
{
	const char *alphabet = lang == LANG_KK ? kk_alphabet : ru_alphabet;
	size_t na = strlen(a), nb = strlen(b);
	int tie = 0; /* the first difference of case, for a tie */
	while (na && nb) {
		/* Numbers by their value, so that school №2 comes before №10. */
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			size_t da = 0, db = 0;
			while (da < na && a[da] == '0')
				da++;
			while (db < nb && b[db] == '0')
				db++;
			size_t ea = da, eb = db;
			while (ea < na && a[ea] >= '0' && a[ea] <= '9')
				ea++;
			while (eb < nb && b[eb] >= '0' && b[eb] <= '9')
				eb++;
			if (ea - da != eb - db)
				return ea - da < eb - db ? -1 : 1;
			int c = memcmp(a + da, b + db, ea - da);
			if (c)
				return c < 0 ? -1 : 1;
			if (!tie && ea != eb)
				tie = ea < eb ? -1 : 1; /* 7 before 07 */
			a += ea, na -= ea;
			b += eb, nb -= eb;
			continue;
		}
		uint32_t ca, cb;
		size_t la = utf8_decode(a, na, &ca), lb = utf8_decode(b, nb, &cb);
		if (!la || !lb)
			return strcmp(a, b);
		uint32_t ra = rank(alphabet, ca), rb = rank(alphabet, cb);
		if (ra != rb)
			return ra < rb ? -1 : 1;
		if (!tie && ca != cb)
			tie = ca < cb ? -1 : 1;
		a += la, na -= la;
		b += lb, nb -= lb;
	}
	if (na || nb)
		return na ? 1 : -1;
	return tie;
}
