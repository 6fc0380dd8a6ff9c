/*
 * Fuzz target: name keys and typo distance (src/text/names.c) on any bytes.
 *
 * Input: "SURNAME\nGIVEN\nPATRONYMIC\nQUERY" (missing parts are NULL, as
 * for a child without a patronymic). The parts are keyed, the query split
 * into word keys, and the distance between the keys checked against a
 * plain full-table computation of the same distance.
 */
#include "fuzz.h"
#include "text/names.h"

enum { QUERY_MAX = 8 };

static void check_key(const char *what, const char key[NAME_KEY_MAX])
{
	size_t n = strnlen(key, NAME_KEY_MAX);
	if (n == NAME_KEY_MAX)
		fuzz_fail("%s: key not terminated within %d bytes", what, NAME_KEY_MAX);
	for (size_t i = 0; i < n; i++)
		if (!((key[i] >= 'a' && key[i] <= 'z') || (key[i] >= '0' && key[i] <= '9')))
			fuzz_fail("%s: byte 0x%02x in the key '%s'", what, (unsigned char)key[i], key);
}

/* Optimal string alignment distance over the whole table: the reference for text_edit_distance. */
static int osa_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int *t = malloc((la + 1) * (lb + 1) * sizeof(*t));
	if (!t)
		abort();
#define T(i, j) t[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		T(i, 0) = (int)i;
	for (size_t j = 0; j <= lb; j++)
		T(0, j) = (int)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int v = T(i - 1, j) + 1;
			if (T(i, j - 1) + 1 < v)
				v = T(i, j - 1) + 1;
			if (T(i - 1, j - 1) + (a[i - 1] != b[j - 1]) < v)
				v = T(i - 1, j - 1) + (a[i - 1] != b[j - 1]);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && T(i - 2, j - 2) + 1 < v)
				v = T(i - 2, j - 2) + 1;
			T(i, j) = v;
		}
	}
	int d = T(la, lb);
#undef T
	free(t);
	return d;
}

static void check_distance(const char *a, const char *b, int max)
{
	int want = osa_distance(a, b);
	int got = text_edit_distance(a, b, max);
	if (max < 0 ? got != max + 1 : got != (want <= max ? want : max + 1))
		fuzz_fail("text_edit_distance('%s', '%s', %d) = %d, expected %d", a, b, max, got,
			  max < 0 ? max + 1 : want <= max ? want : max + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *part[4] = {NULL, NULL, NULL, NULL};
	for (int i = 0; i < 4 && size; i++) {
		const char *s;
		size_t n = fuzz_take(&data, &size, i < 3 ? '\n' : 0, &s);
		part[i] = fuzz_strndup(s, n);
	}

	struct name_key key;
	name_key(part[0], part[1], part[2], &key);
	check_key("surname", key.surname);
	check_key("given", key.given);
	check_key("patronymic", key.patronymic);
	char folded[NAME_KEY_MAX];
	name_part_folded(part[0], folded);
	check_key("folded", folded);

	char keys[QUERY_MAX][NAME_KEY_MAX], words[QUERY_MAX][NAME_KEY_MAX], only[QUERY_MAX][NAME_KEY_MAX];
	int n = name_query_words(part[3], keys, words, QUERY_MAX);
	int m = name_query_keys(part[3], only, QUERY_MAX);
	if (n < 0 || n > QUERY_MAX || n != m)
		fuzz_fail("name_query_words gave %d words, name_query_keys %d", n, m);
	for (int i = 0; i < n; i++) {
		check_key("query key", keys[i]);
		check_key("query word", words[i]);
		if (strcmp(keys[i], only[i]))
			fuzz_fail("query word %d: key '%s' and '%s'", i, keys[i], only[i]);
	}

	/* Distances between keys (the real use) and between the raw parts (any bytes up to a NUL). */
	int max = part[0] && part[0][0] ? (signed char)part[0][0] % 8 : 2;
	check_distance(key.surname, n ? keys[0] : key.given, max);
	check_distance(folded, n ? words[0] : "", 3);
	if (part[1] && part[2] && strlen(part[1]) < 200 && strlen(part[2]) < 200) {
		check_distance(part[1], part[2], max);
		check_distance(part[2], part[1], 100);
	}
	for (int i = 0; i < 4; i++)
		free(part[i]);
	return 0;
}
