/* SVG bar charts (chart.h). */
#include "web/chart.h"

#include <inttypes.h>
#include <stdio.h>

#include "web/html.h"

enum { W = 720, H = 300, LEFT = 56, RIGHT = 12, TOP = 16, BOTTOM = 72 };

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

static void num(struct buf *b, int64_t v)
{
	buf_printf(b, "%" PRId64, v);
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
	double plot_w = W - LEFT - RIGHT, plot_h = H - TOP - BOTTOM;
	double slot = c->n ? plot_w / (double)c->n : plot_w, bar = slot * 0.7;

	html_raw_literal(b, "<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 300\" "
			    "role=\"img\" aria-labelledby=\"");
	html_attr(b, c->id);
	html_raw_literal(b, "-t\"><title id=\"");
	html_attr(b, c->id);
	html_raw_literal(b, "-t\">");
	html_text(b, c->title);
	html_raw_literal(b, "</title>");
	/* The value axis: gridlines with their numbers, and what they count. */
	for (int64_t v = 0; v <= top; v += step) {
		double y = TOP + plot_h - plot_h * (double)v / (double)top;
		buf_printf(b, "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", LEFT, W - RIGHT, y, y);
		buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">", LEFT - 6, y + 4);
		num(b, v);
		html_raw_literal(b, "</text>");
	}
	if (c->y_label) {
		buf_printf(b, "<text class=\"axis\" transform=\"translate(14 %d) rotate(-90)\" text-anchor=\"middle\">",
			   TOP + (int)plot_h / 2);
		html_text(b, c->y_label);
		html_raw_literal(b, "</text>");
	}
	/* The bars, stacked by series, each with its own title. */
	for (size_t i = 0; i < c->n; i++) {
		double x = LEFT + slot * (double)i + (slot - bar) / 2, base = TOP + plot_h;
		for (int s = 0; s < c->nseries; s++) {
			int64_t v = c->values[s][i];
			if (v <= 0)
				continue;
			double h = plot_h * (double)v / (double)top;
			base -= h;
			buf_printf(b, "<rect class=\"s%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>", s % 12,
				   x, base, bar, h);
			html_text(b, c->labels[i]);
			if (c->nseries > 1) {
				html_raw_literal(b, ", ");
				html_text(b, c->series_names[s]);
			}
			html_raw_literal(b, ": ");
			num(b, v);
			html_raw_literal(b, "</title></rect>");
		}
		/* Category labels, slanted when there are many. */
		double lx = LEFT + slot * (double)i + slot / 2;
		if (c->n > 8)
			buf_printf(b, "<text class=\"label\" transform=\"translate(%.1f %d) rotate(-40)\" text-anchor=\"end\">",
				   lx, TOP + (int)plot_h + 14);
		else
			buf_printf(b, "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", lx,
				   TOP + (int)plot_h + 16);
		html_text(b, c->labels[i]);
		html_raw_literal(b, "</text>");
	}
	buf_printf(b, "<line class=\"axis-line\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/>", LEFT, W - RIGHT,
		   TOP + plot_h, TOP + plot_h);
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
