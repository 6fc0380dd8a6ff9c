/*
 * Unit tests: the SVG charts (web/chart.c) with long Kazakh and Russian
 * labels. The SVG is read back as text: every <text> and its <tspan>
 * lines become boxes estimated as chart.c estimates them (characters, not
 * bytes, times an average glyph width), and no box may overlap another
 * or leave the viewBox; each label keeps its full text in a <title>, and
 * what is shown is the label, whole or cut short with an ellipsis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "web/chart.h"

/* The estimate of chart.c: em-widths per character, ascent and descent. */
#define GLYPH 0.64
#define ASCENT 0.85
#define DESCENT 0.25
#define EPS 0.05

struct box {
	double x0, y0, x1, y1;
	int elem; /* the <text> it belongs to */
};

enum { MAX_BOXES = 4096, MAX_TEXTS = 1024 };

struct svg {
	double w, h;
	struct box box[MAX_BOXES];
	int nbox;
	/* Per <text class="label">: its <title> (unescaped) and its lines joined by spaces. */
	char *title[MAX_TEXTS], *shown[MAX_TEXTS];
	int upright[MAX_TEXTS];
	int nlabel;
	int ntext;
};

/* The value of attribute name in the tag [tag, end), or NULL. */
static int attr(const char *tag, const char *end, const char *name, char *out, size_t outsz)
{
	char pat[64];
	snprintf(pat, sizeof(pat), " %s=\"", name);
	const char *p = strstr(tag, pat);
	if (!p || p >= end)
		return 0;
	p += strlen(pat);
	const char *q = strchr(p, '"');
	if (!q || q >= end || (size_t)(q - p) >= outsz)
		return 0;
	memcpy(out, p, (size_t)(q - p));
	out[q - p] = '\0';
	return 1;
}

static double attr_num(const char *tag, const char *end, const char *name, int *ok)
{
	char v[64];
	if (!attr(tag, end, name, v, sizeof(v))) {
		*ok = 0;
		return 0;
	}
	return strtod(v, NULL);
}

/* Unescape the five entities html_text writes; anything else is kept as is. */
static void unescape(const char *s, size_t n, struct buf *out)
{
	static const struct {
		const char *ent, *ch;
	} ents[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		for (; k < sizeof(ents) / sizeof(ents[0]); k++)
			if (!strncmp(s + i, ents[k].ent, strlen(ents[k].ent)))
				break;
		if (k < sizeof(ents) / sizeof(ents[0])) {
			buf_adds(out, ents[k].ch);
			i += strlen(ents[k].ent);
		} else {
			buf_addc(out, s[i++]);
		}
	}
}

static size_t u8_chars(const char *s)
{
	size_t k = 0;
	for (; *s; s++)
		k += ((unsigned char)*s & 0xC0) != 0x80;
	return k;
}

/* A transform of the forms chart.c may write: translate(tx ty), rotate(deg [cx cy]), or both, in that order. */
struct turn {
	double tx, ty, deg, cx, cy;
};

static int parse_transform(const char *s, struct turn *t)
{
	memset(t, 0, sizeof(*t));
	int k = 0;
	if (sscanf(s, " translate(%lf %lf)%n", &t->tx, &t->ty, &k) == 2)
		s += k;
	if (!*s)
		return 1;
	k = 0;
	if (sscanf(s, " rotate(%lf %lf %lf)%n", &t->deg, &t->cx, &t->cy, &k) == 3 && k)
		return !s[k];
	k = 0;
	if (sscanf(s, " rotate(%lf)%n", &t->deg, &k) == 1 && k)
		return !s[k];
	return 0;
}

/* Sine and cosine by their series (the tests link without libm); a in [-2π, 2π] is plenty. */
static void sin_cos(double a, double *s, double *c)
{
	double term_s = a, term_c = 1;
	*s = 0, *c = 0;
	for (int k = 0; k < 30; k++) {
		*s += term_s;
		*c += term_c;
		term_s *= -a * a / ((2 * k + 2) * (2 * k + 3));
		term_c *= -a * a / ((2 * k + 1) * (2 * k + 2));
	}
}

/* A point of the text's own coordinates in the viewBox. */
static void turn_point(const struct turn *t, double x, double y, double *ox, double *oy)
{
	double c, s;
	sin_cos(t->deg * 3.14159265358979323846 / 180, &s, &c);
	double dx = x - t->cx, dy = y - t->cy;
	*ox = t->tx + t->cx + dx * c - dy * s;
	*oy = t->ty + t->cy + dx * s + dy * c;
}

/* A line of text at (x, y) as a box: the bounds of its four corners once turned. */
static void add_box(struct svg *g, int elem, const char *anchor, int fs, double x, double y, const char *text,
		    const struct turn *t)
{
	double w = (double)u8_chars(text) * GLYPH * fs;
	double x0 = !strcmp(anchor, "end") ? x - w : !strcmp(anchor, "middle") ? x - w / 2 : x;
	double xs[2] = {x0, x0 + w}, ys[2] = {y - ASCENT * fs, y + DESCENT * fs};
	struct box b = {1e9, 1e9, -1e9, -1e9, elem};
	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			double px, py;
			turn_point(t, xs[i], ys[j], &px, &py);
			b.x0 = px < b.x0 ? px : b.x0;
			b.x1 = px > b.x1 ? px : b.x1;
			b.y0 = py < b.y0 ? py : b.y0;
			b.y1 = py > b.y1 ? py : b.y1;
		}
	assert_true(g->nbox < MAX_BOXES);
	g->box[g->nbox++] = b;
}

/* Read the first <svg> of html into g. */
static void read_svg(const char *html, struct svg *g)
{
	memset(g, 0, sizeof(*g));
	const char *svg = strstr(html, "<svg"), *svg_end = strstr(html, "</svg>");
	assert_non_null(svg);
	assert_non_null(svg_end);
	double vx, vy;
	const char *vb = strstr(svg, "viewBox=\"");
	assert_non_null(vb);
	assert_int_equal(sscanf(vb, "viewBox=\"%lf %lf %lf %lf\"", &vx, &vy, &g->w, &g->h), 4);
	assert_true(vx == 0 && vy == 0);
	for (const char *t = strstr(svg, "<text"); t && t < svg_end; t = strstr(t + 5, "<text")) {
		const char *open_end = strchr(t, '>'), *close = strstr(t, "</text>");
		assert_non_null(open_end);
		assert_non_null(close);
		int ok = 1, elem = g->ntext++;
		char cls[32] = "", anchor[16] = "start", transform[128] = "";
		attr(t, open_end, "class", cls, sizeof(cls));
		attr(t, open_end, "text-anchor", anchor, sizeof(anchor));
		/* Without a font-size of its own, the one the stylesheet gives the class. */
		int fs = !strcmp(cls, "axis") ? 12 : 11;
		char fsv[16];
		if (attr(t, open_end, "font-size", fsv, sizeof(fsv)))
			fs = atoi(fsv);
		struct turn turn = {0, 0, 0, 0, 0};
		if (attr(t, open_end, "transform", transform, sizeof(transform)) && !parse_transform(transform, &turn))
			fail_msg("a text turned in a way the test cannot follow: %s", transform);
		/* Upright: a quarter turn, reading from bottom to top. */
		int upright = turn.deg == -90;
		const char *body = open_end + 1;
		struct buf title = BUF_INIT, shown = BUF_INIT, line = BUF_INIT;
		int has_title = !strncmp(body, "<title>", 7);
		if (has_title) {
			const char *te = strstr(body, "</title>");
			assert_non_null(te);
			unescape(body + 7, (size_t)(te - body - 7), &title);
			body = te + 8;
		}
		if (strncmp(body, "<tspan", 6) != 0) {
			/* One line in the <text> itself. */
			/* x and y default to 0, as in SVG. */
			double x = attr_num(t, open_end, "x", &ok), y = attr_num(t, open_end, "y", &ok);
			unescape(body, (size_t)(close - body), &line);
			assert_null(strchr(line.ptr, '<'));
			add_box(g, elem, anchor, fs, x, y, line.ptr, &turn);
			buf_adds(&shown, line.ptr);
		}
		for (const char *s = strstr(body, "<tspan"); s && s < close; s = strstr(s + 6, "<tspan")) {
			const char *se = strchr(s, '>'), *sc = strstr(s, "</tspan>");
			double x = attr_num(s, se, "x", &ok), y = attr_num(s, se, "y", &ok);
			assert_true(ok);
			buf_reset(&line);
			unescape(se + 1, (size_t)(sc - se - 1), &line);
			add_box(g, elem, anchor, fs, x, y, line.ptr, &turn);
			if (shown.len)
				buf_addc(&shown, ' ');
			buf_adds(&shown, line.ptr);
		}
		if (!strcmp(cls, "label")) {
			assert_true(g->nlabel < MAX_TEXTS);
			g->title[g->nlabel] = has_title ? buf_detach(&title, NULL) : NULL;
			g->shown[g->nlabel] = buf_detach(&shown, NULL);
			g->upright[g->nlabel] = upright;
			g->nlabel++;
		}
		buf_release(&title);
		buf_release(&shown);
		buf_release(&line);
	}
}

static void free_svg(struct svg *g)
{
	for (int i = 0; i < g->nlabel; i++) {
		free(g->title[i]);
		free(g->shown[i]);
	}
}

/* Spaces runs as one space, none at the ends: how the label reads once wrapped. */
static void squeeze(const char *s, struct buf *out)
{
	int space = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = out->len > 0;
			continue;
		}
		if (space)
			buf_addc(out, ' ');
		space = 0;
		buf_addc(out, *s);
	}
}

/* The geometry and the texts of a chart drawn from c. */
static void check_chart(const struct chart *c, int expect_upright)
{
	struct buf b = BUF_INIT;
	chart_bars(&b, c);
	struct svg *g = malloc(sizeof(*g));
	assert_non_null(g);
	read_svg(b.ptr, g);
	/* Every box inside the viewBox. */
	for (int i = 0; i < g->nbox; i++) {
		const struct box *x = &g->box[i];
		if (x->x0 < -EPS || x->y0 < -EPS || x->x1 > g->w + EPS || x->y1 > g->h + EPS)
			fail_msg("%s: text %d at [%.1f %.1f]-[%.1f %.1f] leaves the viewBox %.0fx%.0f", c->id, x->elem,
				 x->x0, x->y0, x->x1, x->y1, g->w, g->h);
	}
	/* No two texts overlap. */
	for (int i = 0; i < g->nbox; i++)
		for (int j = i + 1; j < g->nbox; j++) {
			const struct box *p = &g->box[i], *q = &g->box[j];
			if (p->elem == q->elem)
				continue;
			if (p->x0 < q->x1 - EPS && q->x0 < p->x1 - EPS && p->y0 < q->y1 - EPS && q->y0 < p->y1 - EPS)
				fail_msg("%s: texts %d [%.1f %.1f]-[%.1f %.1f] and %d [%.1f %.1f]-[%.1f %.1f] overlap", c->id,
					 p->elem, p->x0, p->y0, p->x1, p->y1, q->elem, q->x0, q->y0, q->x1, q->y1);
		}
	/* One label per category, in order, each with its full text in a <title>, shown whole or cut with an ellipsis. */
	assert_int_equal(g->nlabel, (int)c->n);
	for (size_t i = 0; i < c->n; i++) {
		if (!g->title[i] || strcmp(g->title[i], c->labels[i]))
			fail_msg("%s: label %zu has title '%s', want '%s'", c->id, i, g->title[i] ? g->title[i] : "(none)",
				 c->labels[i]);
		struct buf want = BUF_INIT;
		squeeze(c->labels[i], &want);
		const char *shown = g->shown[i];
		size_t n = strlen(shown);
		static const char ell[] = "\xe2\x80\xa6";
		if (strcmp(shown, want.ptr)) {
			if (n < 3 || strcmp(shown + n - 3, ell))
				fail_msg("%s: label %zu shows '%s' for '%s'", c->id, i, shown, want.ptr);
			/* Cut short: what shows is the start of the label (a line break may stand for a space or a cut). */
			size_t k = 0, m = 0;
			while (k < n - 3 && m < want.len) {
				if (shown[k] == want.ptr[m]) {
					k++, m++;
				} else if (shown[k] == ' ') {
					k++;
				} else {
					fail_msg("%s: label %zu shows '%s', not the start of '%s'", c->id, i, shown, want.ptr);
				}
			}
			assert_true(k == n - 3);
			assert_true(m < want.len);
		}
		buf_release(&want);
		if (expect_upright >= 0 && g->upright[i] != expect_upright)
			fail_msg("%s: label %zu is %s", c->id, i, g->upright[i] ? "upright" : "lying");
	}
	/* Well-formed XML, when xmllint is there to say so. */
	if (system("command -v xmllint >/dev/null 2>&1") == 0) {
		char path[] = "/tmp/test_chart_XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		FILE *f = fdopen(fd, "w");
		const char *s = strstr(b.ptr, "<svg"), *e = strstr(b.ptr, "</svg>");
		fwrite(s, 1, (size_t)(e + 6 - s), f);
		fclose(f);
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "xmllint --noout '%s'", path);
		int rc = system(cmd);
		unlink(path);
		if (rc != 0)
			fail_msg("%s: the SVG is not well-formed", c->id);
	}
	free_svg(g);
	free(g);
	buf_release(&b);
}

/* ---- the charts ---- */

static const int64_t ones[64] = {3, 17, 250, 9, 41, 1, 77, 120, 5, 8, 64, 33, 2, 11, 90, 4,
				 3, 17, 250, 9, 41, 1, 77, 120, 5, 8, 64, 33, 2, 11, 90, 4,
				 3, 17, 250, 9, 41, 1, 77, 120, 5, 8, 64, 33, 2, 11, 90, 4,
				 3, 17, 250, 9, 41, 1, 77, 120, 5, 8, 64, 33, 2, 11, 90, 4};

/* The crawl's case: kinds of organisation, "Қала немесе аудан әкімдігінің бөлімі" beside "Колледж". */
static void test_organisation_kinds_kk(void **state)
{
	(void)state;
	static const char *const labels[] = {"Мектеп", "Қала немесе аудан әкімдігінің бөлімі", "Колледж",
					     "Балаларды қолдау орталығы", "Мектепке дейінгі ұйым",
					     "Басқа ұйым"};
	struct chart c = {"kinds", "Бекітілген балалар, ұйым түрі бойынша", "Балалар", labels, 6,
			  {"Балалар"}, {ones}, 1, "Кесте"};
	check_chart(&c, 0);
}

/* Categories in Russian with three series stacked, as in /reports. */
static void test_categories_ru(void **state)
{
	(void)state;
	static const char *const labels[] = {
		"Семейный конфликт",
		"Психологическая поддержка",
		"Жестокое обращение с ребёнком в семье",
		"Буллинг и кибербуллинг в образовательной организации",
		"Суицидальное поведение",
		"Консультация по вопросам опеки и попечительства",
		"Другое",
		"Жаңасемей ауданы",
		"Трудная жизненная ситуация",
		"Нарушение прав ребёнка на образование",
		"Безнадзорность",
		"Правовая консультация",
	};
	static const int64_t a[12] = {12, 40, 7, 3, 0, 19, 5, 8, 2, 1, 6, 30}, b2[12] = {4, 1, 0, 9, 2, 3, 1, 7, 0, 0, 2, 2},
			     c3[12] = {100, 0, 3, 2, 1, 1, 0, 0, 0, 4, 4, 1};
	struct chart c = {"cats", "Обращения по категориям", NULL, labels, 12, {"Новые", "В работе", "Закрытые"},
			  {a, b2, c3}, 3, NULL};
	check_chart(&c, -1);
	c.nseries = 1;
	c.y_label = "Количество поступивших обращений граждан и организаций за выбранный период";
	check_chart(&c, -1);
	c.n = 5;
	check_chart(&c, -1);
}

/* Two years of months: short labels, many columns. */
static void test_months(void **state)
{
	(void)state;
	char names[28][16];
	const char *labels[28];
	for (int i = 0; i < 28; i++) {
		snprintf(names[i], sizeof(names[i]), "%04d-%02d", 2024 + i / 12, i % 12 + 1);
		labels[i] = names[i];
	}
	struct chart c = {"months", "Айына кездесулер", "Кездесулер", labels, 28, {"Кездесулер"}, {ones}, 1, NULL};
	check_chart(&c, 1);
	/* A year's months lie flat under their columns. */
	c.n = 12;
	check_chart(&c, 0);
	c.n = 3;
	check_chart(&c, 0);
	c.n = 1;
	check_chart(&c, 0);
}

/* Districts, many and long, and labels no line can hold. */
static void test_extremes(void **state)
{
	(void)state;
	static char words[1024], word[1024];
	words[0] = word[0] = '\0';
	for (int i = 0; i < 30; i++)
		strcat(words, "әкімдігінің ");
	for (int i = 0; i < 20; i++)
		strcat(word, "Қызылордаоблысы");
	const char *labels[64];
	static const char *const names[] = {"Жаңасемей ауданы", "Абай ауданы", "Аягөз ауданы", "Бесқарағай ауданы",
					    "Бородулиха ауданы", "Жарма ауданы", "Көкпекті ауданы", "Семей қаласы"};
	for (int i = 0; i < 64; i++)
		labels[i] = names[i % 8];
	labels[3] = words;
	labels[5] = word;
	labels[6] = "A & B <\"quoted\"> 'single'";
	labels[7] = "";
	static const int64_t big[64] = {123456789, 5, 0, -3};
	struct chart c = {"d", "Аудандар", "Өтініштер саны", labels, 64, {"Өтініштер"}, {big}, 1, NULL};
	for (size_t n = 1; n <= 64; n = n * 2 + 1) {
		c.n = n;
		check_chart(&c, -1);
	}
	/* The same values several series deep. */
	c.values[1] = ones;
	c.values[2] = ones;
	c.series_names[1] = "Екі";
	c.series_names[2] = "Үш";
	c.nseries = 3;
	c.n = 20;
	check_chart(&c, -1);
}

/* No categories at all: still a well-formed, empty chart. */
static void test_empty(void **state)
{
	(void)state;
	struct chart c = {"e", "Бос", "Сан", NULL, 0, {"Сан"}, {ones}, 1, NULL};
	check_chart(&c, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_organisation_kinds_kk), cmocka_unit_test(test_categories_ru),
		cmocka_unit_test(test_months),		      cmocka_unit_test(test_extremes),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
