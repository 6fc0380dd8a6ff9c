/*
 * Charts drawn by the server as SVG: bars, stacked when there are several
 * series, with a title, axis labels, a <title> on every bar for screen
 * readers and tooltips, and the figures again as a table beneath. No
 * JavaScript; readable when printed. Every text goes through the escapers.
 */
#ifndef QORGAU_WEB_CHART_H
#define QORGAU_WEB_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

enum { CHART_MAX_SERIES = 12 };

struct chart {
	const char *id;	     /* unique on the page: ids of the title and description */
	const char *title;   /* already translated */
	const char *y_label; /* what the numbers count */
	const char *const *labels; /* one per bar (category axis) */
	size_t n;
	const char *series_names[CHART_MAX_SERIES];
	const int64_t *values[CHART_MAX_SERIES]; /* values[s][i] */
	int nseries;
	const char *table_caption; /* the summary of the data table, translated */
};

/* Append the chart (an SVG figure with its data table) to b. */
void chart_bars(struct buf *b, const struct chart *c);

#endif
