/* SVG bar charts (chart.h). */
#include "web/chart.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "web/html.h"

/*
 * Text is never measured by the browser (no JavaScript), so the layout
 * estimates it: every character is taken as GLYPH em wide, which is about
 * the widest average of the sans-serif faces the page asks for on Cyrillic
 * and digits (DejaVu, Noto, Roboto), so the estimate errs on the wide side.
 * A line of text occupies ASCENT em above its baseline and DESCENT em
 * below (room for Қ's tail and the accents of Ә, Ё), and lines are LINE_EM
 * apart. tests/unit/test_chart.c checks the output with the same figures.
 */
#define GLYPH 0.64
#define ASCENT 0.85
#define DESCENT 0.25
#define LINE_EM 1.25

/* Font sizes, also written on each <text> so that a chart saved on its own draws as laid out. */
enum { FS_LABEL = 11, FS_TICK = 11, FS_AXIS = 12 };

/*
 * The width is fixed (the page scales the figure to its column, so a wider
 * viewBox would only shrink the text); the height grows with the labels.
 */
enum { W = 720, TOP = 16, RIGHT = 12, PLOT_H = 212 };

/* Category labels: up to three lines under a column, two beside a horizontal bar. */
enum { MAX_LINES = 3, ROW_LINES = 2 };
/* The margin of horizontal bars' labels, in characters: past it they wrap, then shorten. */
enum { ROW_LABEL_COLS = 30 };
/* Labels turned upright under narrow columns: only short ones (months, codes) read well so. */
enum { UPRIGHT_COLS = 12 };

static double text_w(size_t chars, int fs)
{
	return (double)chars * GLYPH * fs;
}

static double line_h(int fs)
{
	return LINE_EM * fs;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Characters, not bytes: continuation bytes of UTF-8 are not counted. */
static size_t u8_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xC0) != 0x80;
	return k;
}

/* Bytes of the first k characters of s (at most n), never ending inside a character. */
static size_t u8_prefix(const char *s, size_t n, size_t k)
{
	size_t i = 0;
	for (; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && k-- == 0)
			break;
	return i;
}

/* A label broken into lines that fit a given number of characters. */
struct wrapped {
	struct {
		const char *p;
		size_t n;
	} line[MAX_LINES];
	int nlines;
	int shortened;	/* the last line ends with an ellipsis: the full text goes in a <title> */
	int broke_word; /* a word was longer than a line */
	size_t widest;	/* characters of the longest line, the ellipsis counted */
};

/*
 * Greedy wrapping at spaces into at most max_lines lines of cols
 * characters. A word longer than a line is cut (and noted, so that the
 * caller can choose another layout); when the text does not fit, the last
 * line ends with an ellipsis instead of what is left.
 */
static void wrap(const char *s, size_t cols, int max_lines, struct wrapped *w)
{
	if (cols < 2)
		cols = 2;
	memset(w, 0, sizeof(*w));
	if (!s)
		return;
	const char *end = s + strlen(s);
	while (s < end && w->nlines < max_lines) {
		while (s < end && is_space(*s))
			s++;
		if (s == end)
			break;
		/* Trailing spaces of the label are not part of any line. */
		const char *e = end;
		while (e > s && is_space(e[-1]))
			e--;
		size_t rest = (size_t)(e - s), take;
		if (u8_chars(s, rest) <= cols) {
			take = rest;
		} else if (w->nlines == max_lines - 1) {
			/* The last line: as much as fits beside the ellipsis. */
			take = u8_prefix(s, rest, cols - 1);
			while (take > 0 && is_space(s[take - 1]))
				take--;
			w->shortened = 1;
		} else {
			/* Break at the last space that leaves the line within cols. */
			size_t fit = u8_prefix(s, rest, cols), brk = 0;
			for (size_t i = 1; i <= fit && i < rest; i++)
				if (is_space(s[i]))
					brk = i;
			if (brk) {
				take = brk;
				while (take > 0 && is_space(s[take - 1]))
					take--;
			} else {
				take = fit;
				w->broke_word = 1;
			}
		}
		w->line[w->nlines].p = s;
		w->line[w->nlines].n = take;
		size_t chars = u8_chars(s, take) + (w->shortened ? 1 : 0);
		if (chars > w->widest)
			w->widest = chars;
		w->nlines++;
		s += take;
		if (w->shortened)
			break;
	}
}

static void num(struct buf *b, int64_t v)
{
	buf_printf(b, "%" PRId64, v);
}

static size_t num_chars(int64_t v)
{
	char tmp[24];
	int k = snprintf(tmp, sizeof(tmp), "%" PRId64, v);
	return k > 0 ? (size_t)k : 1;
}

/*
 * A text of one or more lines. The first line's baseline is at (x, y) and
 * the others follow LINE_EM below; upright turns it a quarter to read from
 * bottom to top about (x, y). The full text goes in a <title> so that a
 * shortened label still shows whole on hover and to assistive technology.
 */
static void text_lines(struct buf *b, const char *cls, int fs, const char *anchor, double x, double y, int upright,
		       const struct wrapped *w, const char *full)
{
	buf_printf(b, "<text class=\"%s\" font-size=\"%d\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"", cls, fs, x, y,
		   anchor);
	if (upright)
		buf_printf(b, " transform=\"rotate(-90 %.1f %.1f)\"", x, y);
	html_raw_literal(b, "><title>");
	html_text(b, full);
	html_raw_literal(b, "</title>");
	for (int l = 0; l < w->nlines; l++) {
		buf_printf(b, "<tspan x=\"%.1f\" y=\"%.1f\">", x, y + line_h(fs) * l);
		html_textn(b, w->line[l].p, w->line[l].n);
		if (w->shortened && l == w->nlines - 1)
			html_raw_literal(b, "\u2026");
		html_raw_literal(b, "</tspan>");
	}
	html_raw_literal(b, "</text>");
}

/* A round step for the axis: 1, 2, 5 × 10^k, giving about five ticks. */
static int64_t nice_step(int64_t max)
{
	int64_t step = 1;
	while (step * 5 < max) {
		if (step * 2 * 5 >= max)
			return step * 2;
		if (step * 5 * 5 >= max)
			return step * 5;
		step *= 10;
	}
	return step;
}

/* The title of one bar segment: category, series, value. */
static void bar_title(struct buf *b, const struct chart *c, size_t i, int s, int64_t v)
{
	html_raw_literal(b, "<title>");
	html_text(b, c->labels[i]);
	if (c->nseries > 1) {
		html_raw_literal(b, ", ");
		html_text(b, c->series_names[s]);
	}
	html_raw_literal(b, ": ");
	num(b, v);
	html_raw_literal(b, "</title></rect>");
}

/*
 * How the categories are laid out. Columns with the labels beneath,
 * wrapped, when every label fits its column without cutting a word;
 * columns with short labels turned upright when the columns are too
 * narrow for them to lie; otherwise horizontal bars, the labels in a
 * left margin as wide as the longest needs (up to ROW_LABEL_COLS).
 */
enum layout { COLUMNS, UPRIGHT, ROWS };

static void svg_open(struct buf *b, const struct chart *c, double h)
{
	buf_printf(b, "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" ", W,
		   (int)(h + 0.999));
	html_raw_literal(b, "role=\"img\" aria-labelledby=\"");
	html_attr(b, c->id);
	html_raw_literal(b, "-t\"><title id=\"");
	html_attr(b, c->id);
	html_raw_literal(b, "-t\">");
	html_text(b, c->title);
	html_raw_literal(b, "</title>");
}

void chart_bars(struct buf *b, const struct chart *c)
{
	int64_t max = 0;
	for (size_t i = 0; i < c->n; i++) {
		int64_t sum = 0;
		for (int s = 0; s < c->nseries; s++)
			sum += c->values[s][i] > 0 ? c->values[s][i] : 0;
		if (sum > max)
			max = sum;
	}
	int64_t step = nice_step(max ? max : 1), top = ((max + step - 1) / step) * step;
	if (top == 0)
		top = step;
	double tick_w = text_w(num_chars(top), FS_TICK);
	const double cw = GLYPH * FS_LABEL;

	/* Columns: the left margin holds the upright axis title (x ≈ 4..17) and the tick numbers. */
	double left = 26 + tick_w;
	if (left < 56)
		left = 56;
	double plot_w = W - left - RIGHT;
	double slot = c->n ? plot_w / (double)c->n : plot_w;
	size_t col_cols = slot > 4 + cw ? (size_t)((slot - 4) / cw) : 1;
	enum layout lay = COLUMNS;
	int lines = 1;
	size_t longest = 0;
	for (size_t i = 0; i < c->n; i++) {
		struct wrapped w;
		wrap(c->labels[i], col_cols, MAX_LINES, &w);
		if (w.broke_word || w.shortened)
			lay = UPRIGHT;
		if (w.nlines > lines)
			lines = w.nlines;
		size_t k = c->labels[i] ? u8_chars(c->labels[i], strlen(c->labels[i])) : 0;
		if (k > longest)
			longest = k;
	}
	/* Upright labels stand side by side one line-height apart. */
	if (lay == UPRIGHT && (longest > UPRIGHT_COLS || slot < (ASCENT + DESCENT) * FS_LABEL + 4))
		lay = ROWS;

	if (lay == ROWS) {
		/* Horizontal bars: as wide a margin as the longest label needs, up to ROW_LABEL_COLS. */
		size_t widest = 1;
		for (size_t i = 0; i < c->n; i++) {
			struct wrapped w;
			wrap(c->labels[i], ROW_LABEL_COLS, ROW_LINES, &w);
			if (w.widest > widest)
				widest = w.widest;
			if (w.nlines > lines)
				lines = w.nlines;
		}
		left = 8 + text_w(widest, FS_LABEL) + 8;
		/* The last tick number is centred on the right end of the axis. */
		double right = tick_w / 2 + 4;
		if (right < RIGHT)
			right = RIGHT;
		plot_w = W - left - right;
		double row = line_h(FS_LABEL) * lines + 10;
		if (row < 24)
			row = 24;
		double bar = row * 0.65 > 20 ? 20 : row * 0.65;
		double plot_h = row * (double)c->n, axis_y = TOP + plot_h;
		double h = axis_y + 16 + DESCENT * FS_TICK + 8;
		if (c->y_label)
			h += line_h(FS_AXIS) + 4;
		svg_open(b, c, h);
		/* The value axis along the bottom: gridlines with their numbers. */
		for (int64_t v = 0; v <= top; v += step) {
			double x = left + plot_w * (double)v / (double)top;
			buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>", x, x, TOP,
				   axis_y);
			buf_printf(b, "<text class=\"tick\" font-size=\"%d\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">",
				   FS_TICK, x, axis_y + 16);
			num(b, v);
			html_raw_literal(b, "</text>");
		}
		if (c->y_label) {
			struct wrapped w;
			wrap(c->y_label, (size_t)(plot_w / (GLYPH * FS_AXIS)), 1, &w);
			text_lines(b, "axis", FS_AXIS, "middle", left + plot_w / 2,
				   axis_y + 16 + DESCENT * FS_TICK + 4 + ASCENT * FS_AXIS, 0, &w, c->y_label);
		}
		for (size_t i = 0; i < c->n; i++) {
			double y0 = TOP + row * (double)i, base = left;
			for (int s = 0; s < c->nseries; s++) {
				int64_t v = c->values[s][i];
				if (v <= 0)
					continue;
				double len = plot_w * (double)v / (double)top;
				buf_printf(b, "<rect class=\"s%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
					   s % 12, base, y0 + (row - bar) / 2, len, bar);
				bar_title(b, c, i, s, v);
				base += len;
			}
			/* The label's lines centred on the row, ending just left of the axis. */
			struct wrapped w;
			wrap(c->labels[i], ROW_LABEL_COLS, ROW_LINES, &w);
			double block = line_h(FS_LABEL) * (w.nlines - 1) + (ASCENT + DESCENT) * FS_LABEL;
			double first = y0 + (row - block) / 2 + ASCENT * FS_LABEL;
			text_lines(b, "label", FS_LABEL, "end", left - 6, first, 0, &w, c->labels[i]);
		}
		buf_printf(b, "<line class=\"axis-line\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\"/>", left, left,
			   TOP, axis_y);
	} else {
		double plot_h = PLOT_H, axis_y = TOP + plot_h, h;
		if (lay == COLUMNS)
			h = axis_y + 16 + line_h(FS_LABEL) * (lines - 1) + DESCENT * FS_LABEL + 8;
		else
			h = axis_y + 6 + text_w(longest, FS_LABEL) + 8;
		double bar = slot * 0.7;
		svg_open(b, c, h);
		/* The value axis: gridlines with their numbers, and what they count. */
		for (int64_t v = 0; v <= top; v += step) {
			double y = axis_y - plot_h * (double)v / (double)top;
			buf_printf(b, "<line class=\"grid\" x1=\"%.1f\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left, W - RIGHT,
				   y, y);
			buf_printf(b, "<text class=\"tick\" font-size=\"%d\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">",
				   FS_TICK, left - 6, y + 4);
			num(b, v);
			html_raw_literal(b, "</text>");
		}
		if (c->y_label) {
			struct wrapped w;
			wrap(c->y_label, (size_t)((plot_h - 4) / (GLYPH * FS_AXIS)), 1, &w);
			text_lines(b, "axis", FS_AXIS, "middle", 14, TOP + plot_h / 2, 1, &w, c->y_label);
		}
		for (size_t i = 0; i < c->n; i++) {
			double x = left + slot * (double)i + (slot - bar) / 2, base = axis_y;
			for (int s = 0; s < c->nseries; s++) {
				int64_t v = c->values[s][i];
				if (v <= 0)
					continue;
				double bh = plot_h * (double)v / (double)top;
				base -= bh;
				buf_printf(b, "<rect class=\"s%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">",
					   s % 12, x, base, bar, bh);
				bar_title(b, c, i, s, v);
			}
			double lx = left + slot * (double)i + slot / 2;
			struct wrapped w;
			if (lay == COLUMNS) {
				wrap(c->labels[i], col_cols, MAX_LINES, &w);
				text_lines(b, "label", FS_LABEL, "middle", lx, axis_y + 16, 0, &w, c->labels[i]);
			} else {
				/* Upright, ending under the axis, the glyphs' column centred on the bar. */
				wrap(c->labels[i], UPRIGHT_COLS, 1, &w);
				text_lines(b, "label", FS_LABEL, "end", lx + (ASCENT - DESCENT) * FS_LABEL / 2, axis_y + 6,
					   1, &w, c->labels[i]);
			}
		}
		buf_printf(b, "<line class=\"axis-line\" x1=\"%.1f\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", left, W - RIGHT,
			   axis_y, axis_y);
	}
	html_raw_literal(b, "</svg><figcaption>");
	html_text(b, c->title);
	if (c->nseries > 1) {
		html_raw_literal(b, "<span class=\"legend\">");
		for (int s = 0; s < c->nseries; s++) {
			buf_printf(b, " <span class=\"key s%d\"></span>", s % 12);
			html_text(b, c->series_names[s]);
		}
		html_raw_literal(b, "</span>");
	}
	/* The same figures as a table: for screen readers, for copying, for print. */
	html_raw_literal(b, "</figcaption><details><summary>");
	html_text(b, c->table_caption ? c->table_caption : c->title);
	html_raw_literal(b, "</summary><table class=\"list\"><thead><tr><th scope=\"col\"></th>");
	for (int s = 0; s < c->nseries; s++) {
		html_raw_literal(b, "<th scope=\"col\">");
		html_text(b, c->nseries > 1 ? c->series_names[s] : c->y_label ? c->y_label : "");
		html_raw_literal(b, "</th>");
	}
	html_raw_literal(b, "</tr></thead><tbody>");
	for (size_t i = 0; i < c->n; i++) {
		html_raw_literal(b, "<tr><th scope=\"row\">");
		html_text(b, c->labels[i]);
		html_raw_literal(b, "</th>");
		for (int s = 0; s < c->nseries; s++) {
			html_raw_literal(b, "<td>");
			num(b, c->values[s][i]);
			html_raw_literal(b, "</td>");
		}
		html_raw_literal(b, "</tr>");
	}
	html_raw_literal(b, "</tbody></table></details></figure>");
}
