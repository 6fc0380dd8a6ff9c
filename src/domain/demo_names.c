/* Plausible names for demo and benchmark data (demo_names.h). */
#include "domain/demo_names.h"

#include <string.h>

#include "core/mem.h"
#include "text/utf8.h"


/*
 * Names as the registry meets them: Kazakh names in Kazakh Cyrillic, and
 * some of them again in Russian-style Cyrillic or passport Latin; Russian
 * and Korean names. Surnames are given in the masculine form.
 */
static const char *const kk_surnames[] = {
	"Серікбаев", "Жанбұлатов", "Ахметов", "Нұрланов", "Сейітов", "Әбдірахманов", "Қасымов", "Омаров",
	"Тоқаев", "Жұмабаев", "Есенов", "Бекмағамбетов", "Мұқанов", "Сәрсенбаев", "Қожахметов", "Ермеков",
	"Төлеуов", "Оспанов", "Смағұлов", "Байжанов", "Әлиев", "Исаев", "Жақсылықов", "Мұратов",
	"Қуанышев", "Тұрсынов", "Досмағамбетов", "Сұлтанов", "Бейсенов", "Әубәкіров", "Ибраев", "Кенжебаев",
	"Құдайбергенов", "Жүсіпов", "Рахимов", "Шәріпов", "Әбенов", "Болатов", "Асанов", "Үсенов",
	"Өтепов", "Ғабдуллин", "Нұрмағамбетов", "Жолдасбеков", "Мырзахметов", "Тәжібаев", "Қалиев", "Айтбаев",
	"Бекенов", "Дәулетов", "Ерғалиев", "Ізбасаров", "Сағынтаев", "Мамыров", "Жаңабаев", "Қайратов",
	"Әмірханов", "Мәдиев", "Оразов", "Сыздықов", "Бектұрғанов", "Жетпісбаев", "Қонаев", "Мусин",
	"Сәтбаев", "Ақылбеков", "Қабдолов", "Түсіпбеков", "Құрманғалиев", "Шоқанов", "Әуезов", "Тілеубердин",
	"Әшімов", "Байтұрсынов", "Иманбаев", "Нығметов", "Қыдырбаев", "Әбілов", "Бөкейханов", "Мақсұтов",
	"Асқарұлы", "Ержанұлы", "Бақытұлы", "Серікұлы", "Нұрланұлы", "Мұхтарұлы", "Қанатұлы", "Талғатұлы",
	"Ким", "Ли", "Пак", "Цой", "Тен", "Хан",
};

static const char *const ru_surnames[] = {
	"Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов",
	"Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
	"Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
	"Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
	"Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
	"Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
	"Шевченко", "Бондаренко", "Ткаченко", "Коваленко", "Вишневский", "Островский", "Завадский",
};

static const char *const kk_male[] = {
	"Ерлан", "Нұрлан", "Асқар", "Ержан", "Бақыт", "Серік", "Қанат", "Талғат", "Мұхтар", "Ербол",
	"Дәулет", "Айбек", "Бауыржан", "Жандос", "Нұрсұлтан", "Әлихан", "Ерасыл", "Дархан", "Ақжол", "Темірлан",
	"Арман", "Ернар", "Санжар", "Әділет", "Мағжан", "Бекзат", "Алмас", "Ислам", "Рахат", "Ілияс",
	"Жасұлан", "Абылай", "Мирас", "Нұрболат", "Ғалымжан", "Есет", "Қайрат", "Болат", "Серікбай", "Жанбұлат",
	"Тимур", "Азамат", "Ерқанат", "Ұлан", "Өмірзақ", "Сұңқар", "Аян", "Шыңғыс", "Димаш", "Әмір",
};

static const char *const kk_female[] = {
	"Әсемгүл", "Айгүл", "Жанар", "Гүлнар", "Динара", "Аружан", "Айым", "Әйгерім", "Ақбота", "Балнұр",
	"Дана", "Жансая", "Інкәр", "Камила", "Ләззат", "Меруерт", "Назерке", "Нұрай", "Сабина", "Толқын",
	"Ұлжан", "Шұғыла", "Айжан", "Ботагөз", "Гүлназ", "Жұлдыз", "Зарина", "Қарлығаш", "Маржан", "Нәзира",
	"Салтанат", "Томирис", "Әлия", "Аяулым", "Дильназ", "Еркежан", "Жібек", "Мадина", "Аиша", "Айсұлу",
	"Баян", "Гаухар", "Ақерке", "Мөлдір", "Раушан", "Сәуле", "Перизат", "Алтынай", "Көркем", "Ұлпан",
};

static const char *const ru_male[] = {
	"Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл",
	"Михаил", "Никита", "Матвей", "Роман", "Егор", "Иван", "Денис", "Евгений", "Павел", "Владимир",
	"Николай", "Тимофей", "Даниил", "Глеб", "Фёдор", "Константин",
};

static const char *const ru_female[] = {
	"Анастасия", "Мария", "Анна", "Виктория", "Екатерина", "Наталья", "Дарья", "Александра", "Полина",
	"Елизавета", "Ксения", "Ольга", "Софья", "Алина", "Вероника", "Татьяна", "Юлия", "Валерия", "Кристина",
	"Варвара", "Ульяна", "Людмила", "Ирина", "Светлана", "Алёна",
};

const char *const demo_care_statuses[] = {
	"orphan", "without_parental_care", "without_parental_care", "under_guardianship", "under_guardianship",
	"in_institution", "foster_family", "with_family", "with_family", "with_family",
};
const size_t demo_ncare_statuses = ARRAY_SIZE(demo_care_statuses);

enum script { SCRIPT_KAZAKH, SCRIPT_RUSSIAN, SCRIPT_LATIN };

/* A fixed-seed generator (splitmix64): the same rows on every run. */
uint64_t demo_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

size_t demo_pick(uint64_t *state, size_t n)
{
	return (size_t)(demo_next(state) % n);
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), k = strlen(end);
	return n >= k && strcmp(s + n - k, end) == 0;
}

/* The feminine form of a masculine surname: -ов/-ев/-ин +а, -ский → -ская, -ұлы → -қызы. */
static void surname_for_sex(const char *male, int female, struct buf *out)
{
	size_t n = strlen(male);
	if (!female) {
		buf_adds(out, male);
	} else if (ends_with(male, "ов") || ends_with(male, "ев") || ends_with(male, "ёв") || ends_with(male, "ин")) {
		buf_adds(out, male);
		buf_adds(out, "а");
	} else if (ends_with(male, "ский")) {
		buf_add(out, male, n - strlen("ий"));
		buf_adds(out, "ая");
	} else if (ends_with(male, "ұлы")) {
		buf_add(out, male, n - strlen("ұлы"));
		buf_adds(out, "қызы");
	} else {
		buf_adds(out, male);
	}
}

/* A patronymic from the father's name: Kazakh -ұлы/-қызы, or Russian -ович/-овна (-евич/-евна after й). */
static void patronymic_of(const char *father, int female, int kazakh_style, struct buf *out)
{
	size_t n = strlen(father);
	if (kazakh_style) {
		buf_adds(out, father);
		buf_adds(out, female ? "қызы" : "ұлы");
	} else if (ends_with(father, "й")) {
		buf_add(out, father, n - strlen("й"));
		buf_adds(out, female ? "евна" : "евич");
	} else {
		buf_adds(out, father);
		buf_adds(out, female ? "овна" : "ович");
	}
}

/* Kazakh letters to their Russian-style neighbours (Ә→А, Қ→К, Ұ/Ү→У, ...), others unchanged. */
static uint32_t russian_style(uint32_t cp)
{
	switch (cp) {
	case 0x04D8: return 0x0410; /* Ә */
	case 0x04D9: return 0x0430;
	case 0x0492: return 0x0413; /* Ғ */
	case 0x0493: return 0x0433;
	case 0x049A: return 0x041A; /* Қ */
	case 0x049B: return 0x043A;
	case 0x04A2: return 0x041D; /* Ң */
	case 0x04A3: return 0x043D;
	case 0x04E8: return 0x041E; /* Ө */
	case 0x04E9: return 0x043E;
	case 0x04B0: case 0x04AE: return 0x0423; /* Ұ Ү */
	case 0x04B1: case 0x04AF: return 0x0443;
	case 0x04BA: return 0x0425; /* Һ */
	case 0x04BB: return 0x0445;
	case 0x0406: return 0x0418; /* І */
	case 0x0456: return 0x0438;
	default: return cp;
	}
}

/* The lowercase of a Cyrillic letter (Russian and Kazakh); others unchanged. */
static uint32_t cyrillic_lower(uint32_t cp)
{
	if (cp >= 0x0410 && cp <= 0x042F)
		return cp + 0x20;
	if (cp >= 0x0400 && cp <= 0x040F)
		return cp + 0x50;
	if (cp >= 0x0490 && cp <= 0x04FF && cp % 2 == 0)
		return cp + 1;
	return cp;
}

struct latin_letter {
	uint32_t cp;
	const char *latin;
};

/* Passport Latin of lowercase Cyrillic letters; е is handled apart (e or ye). */
static const struct latin_letter latin_letters[] = {
	{0x0430, "a"},  {0x04D9, "a"},  {0x0431, "b"},  {0x0432, "v"},    {0x0433, "g"},  {0x0493, "g"},
	{0x0434, "d"},  {0x0451, "e"},  {0x0436, "zh"}, {0x0437, "z"},    {0x0438, "i"},  {0x0456, "i"},
	{0x0439, "y"},  {0x043A, "k"},  {0x049B, "k"},  {0x043B, "l"},    {0x043C, "m"},  {0x043D, "n"},
	{0x04A3, "n"},  {0x043E, "o"},  {0x04E9, "o"},  {0x043F, "p"},    {0x0440, "r"},  {0x0441, "s"},
	{0x0442, "t"},  {0x0443, "u"},  {0x04B1, "u"},  {0x04AF, "u"},    {0x0444, "f"},  {0x0445, "kh"},
	{0x04BB, "h"},  {0x0446, "ts"}, {0x0447, "ch"}, {0x0448, "sh"},   {0x0449, "shch"}, {0x044A, ""},
	{0x044B, "y"},  {0x044C, ""},   {0x044D, "e"},  {0x044E, "yu"},   {0x044F, "ya"},
};

static const char *latin_of(uint32_t lower)
{
	for (size_t i = 0; i < ARRAY_SIZE(latin_letters); i++)
		if (latin_letters[i].cp == lower)
			return latin_letters[i].latin;
	return NULL;
}

/* Vowels, and the signs after which е is spelt ye (Grigoryev). */
static int before_ye(uint32_t lower)
{
	static const uint32_t v[] = {0x0430, 0x04D9, 0x0435, 0x0451, 0x0438, 0x0456, 0x043E, 0x04E9, 0x0443,
				     0x04B1, 0x04AF, 0x044B, 0x044D, 0x044E, 0x044F, 0x044A, 0x044C};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		if (v[i] == lower)
			return 1;
	return 0;
}

/* Append name written in the given script (Kazakh Cyrillic in, as the lists are). */
static void spell(const char *name, enum script script, struct buf *out)
{
	size_t n = strlen(name);
	int ye = 1; /* е after a vowel, a sign or at a word's start is ye */
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(name + i, n - i, &cp);
		if (!k) { /* the lists are valid UTF-8; keep a stray byte as it is */
			buf_addc(out, name[i++]);
			continue;
		}
		i += k;
		if (script == SCRIPT_KAZAKH) {
			buf_add(out, name + i - k, k);
		} else if (script == SCRIPT_RUSSIAN) {
			char enc[4];
			buf_add(out, enc, utf8_encode(russian_style(cp), enc));
		} else {
			uint32_t lower = cyrillic_lower(cp);
			const char *lat = lower == 0x0435 ? (ye ? "ye" : "e") : latin_of(lower);
			if (!lat) { /* hyphen, space: a new word */
				buf_add(out, name + i - k, k);
				ye = 1;
				continue;
			}
			for (size_t j = 0; lat[j]; j++)
				buf_addc(out, (char)(j == 0 && lower != cp ? lat[j] - 'a' + 'A' : lat[j]));
			ye = before_ye(lower);
		}
	}
}


/*
 * One child's name: three in four Kazakh, one in five Russian, the rest
 * Korean (Russian given names); of all, 10% in Russian-style Cyrillic and
 * 5% in passport Latin; a Kazakh patronymic is -ұлы/-қызы two times in three.
 */
void demo_child_name(uint64_t *rng, int female, struct demo_name *nm)
{
	unsigned who = (unsigned)demo_pick(rng, 100);
	unsigned how = (unsigned)demo_pick(rng, 100);
	enum script script = how < 10 ? SCRIPT_RUSSIAN : how < 15 ? SCRIPT_LATIN : SCRIPT_KAZAKH;
	const char *surname, *given, *father;
	int kazakh_patronymic = 0;
	if (who < 75) {
		surname = kk_surnames[demo_pick(rng, ARRAY_SIZE(kk_surnames) - 6)]; /* the last six are Korean */
		given = female ? kk_female[demo_pick(rng, ARRAY_SIZE(kk_female))]
			       : kk_male[demo_pick(rng, ARRAY_SIZE(kk_male))];
		father = kk_male[demo_pick(rng, ARRAY_SIZE(kk_male))];
		kazakh_patronymic = demo_pick(rng, 3) < 2;
	} else {
		surname = who < 95 ? ru_surnames[demo_pick(rng, ARRAY_SIZE(ru_surnames))]
				   : kk_surnames[ARRAY_SIZE(kk_surnames) - 1 - demo_pick(rng, 6)];
		given = female ? ru_female[demo_pick(rng, ARRAY_SIZE(ru_female))]
			       : ru_male[demo_pick(rng, ARRAY_SIZE(ru_male))];
		do /* Илья and Никита make irregular patronymics: not needed here */
			father = ru_male[demo_pick(rng, ARRAY_SIZE(ru_male))];
		while (ends_with(father, "а") || ends_with(father, "я"));
	}
	struct buf tmp = BUF_INIT;
	surname_for_sex(surname, female, &tmp);
	spell(tmp.ptr, script, &nm->surname);
	spell(given, script, &nm->given);
	buf_reset(&tmp);
	patronymic_of(father, female, kazakh_patronymic, &tmp);
	spell(tmp.ptr, script, &nm->patronymic);
	buf_release(&tmp);
}


void demo_adult_name(uint64_t *rng, struct buf *out)
{
	int female = (int)demo_pick(rng, 2);
	if (demo_pick(rng, 4) < 3) {
		struct buf tmp = BUF_INIT;
		surname_for_sex(kk_surnames[demo_pick(rng, ARRAY_SIZE(kk_surnames) - 6)], female, &tmp);
		buf_printf(out, "%s %s", female ? kk_female[demo_pick(rng, ARRAY_SIZE(kk_female))]
						: kk_male[demo_pick(rng, ARRAY_SIZE(kk_male))],
			   tmp.ptr);
		buf_release(&tmp);
	} else {
		struct buf tmp = BUF_INIT;
		surname_for_sex(ru_surnames[demo_pick(rng, ARRAY_SIZE(ru_surnames))], female, &tmp);
		buf_printf(out, "%s %s", female ? ru_female[demo_pick(rng, ARRAY_SIZE(ru_female))]
						: ru_male[demo_pick(rng, ARRAY_SIZE(ru_male))],
			   tmp.ptr);
		buf_release(&tmp);
	}
}
