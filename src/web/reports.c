/*
 * Pages for reports: the dashboard (headline figures and charts for a
 * period and district), the report page (one breakdown as a table and a
 * chart, with CSV and XLSX exports), and the quarterly report for the
 * memorandum's three parties, printable, in Kazakh or Russian.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/time.h"
#include "domain/deadlines.h"
#include "domain/report.h"
#include "web/chart.h"
#include "web/page.h"
#include "web/web.h"

const struct field web_report_fields[] = {
	{"by", FT_ENUM, 0, 0, 0, report_breakdowns},
	{"from", FT_DATE, 0, 0, 0, NULL},
	{"to", FT_DATE, 0, 0, 0, NULL},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

const struct field web_quarterly_fields[] = {
	{"year", FT_INT, 0, 2024, 2100, NULL},
	{"quarter", FT_INT, 0, 1, 4, NULL},
	{"lang", FT_ENUM, 0, 0, 0, (const char *const[]){"kk", "ru", NULL}},
	{"district_id", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

static const char *by_label(struct request *r, const char *by)
{
	static const struct {
		const char *v, *label;
	} l[] = {
		{"category", N_("by category")},
		{"channel", N_("by channel")},
		{"kind", N_("by kind of appeal")},
		{"risk", N_("by risk")},
		{"district", N_("by district")},
		{"month", N_("by month")},
		{"organisation_kind", N_("children attached, by kind of organisation")},
		{"topic", N_("prevention lessons, by topic")},
	};
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (!strcmp(l[i].v, by))
			return _(r, l[i].label);
	return by;
}

static const char *series_label(struct request *r, const char *s)
{
	static const struct {
		const char *v, *label;
	} l[] = {
		{"received", N_("Appeals received")},
		{"resolved", N_("Appeals resolved")},
		{"consultations", N_("Consultations held")},
		{"children_attached", N_("Children attached")},
		{"lessons_not_held", N_("Lessons planned, not held")},
		{"lessons_held", N_("Lessons held")},
		{"pupils_reached", N_("Pupils reached")},
	};
	for (size_t i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (!strcmp(l[i].v, s))
			return _(r, l[i].label);
	return s;
}

/* The label of a breakdown's key, translated where it is a stored value. */
static const char *key_label(struct request *r, const char *by, const struct report_row *row, int is_district)
{
	if (is_district)
		return web_district_of(r, row->key_id) ? web_district_of(r, row->key_id) : "?";
	if (!row->key)
		return "—";
	if (!strcmp(by, "category"))
		return web_category_label(r, row->key);
	if (!strcmp(by, "channel"))
		return web_channel_label(r, row->key);
	if (!strcmp(by, "kind"))
		return web_kind_label(r, row->key);
	if (!strcmp(by, "risk"))
		return web_risk_label(r, row->key);
	if (!strcmp(by, "organisation_kind"))
		return web_org_kind_label(r, row->key);
	if (!strcmp(by, "topic"))
		return web_topic_label(r, row->key);
	return row->key;
}

/*
 * On the pages, a breakdown by a kind of thing (category, channel, kind of
 * appeal or organisation, topic) reads largest first, "other" last; months
 * stay in time, districts in the region's order, risks from low to critical.
 * (The API keeps its documented order of keys.)
 */
static int larger_first(const struct report_row *a, const struct report_row *b)
{
	int ao = a->key && !strcmp(a->key, "other"), bo = b->key && !strcmp(b->key, "other");
	if (ao != bo)
		return bo;
	if (a->v[0] != b->v[0])
		return a->v[0] > b->v[0];
	return strcmp(a->key ? a->key : "", b->key ? b->key : "") < 0;
}

static void order_for_reading(struct report_table *t)
{
	static const char *const kinds[] = {"category", "channel", "kind", "topic", "organisation_kind", NULL};
	int kind = 0;
	for (const char *const *k = kinds; *k && !kind; k++)
		kind = t->by && !strcmp(t->by, *k);
	if (!kind)
		return;
	for (size_t i = 1; i < t->n; i++)
		for (size_t j = i; j > 0 && larger_first(&t->rows[j], &t->rows[j - 1]); j--) {
			struct report_row x = t->rows[j];
			t->rows[j] = t->rows[j - 1];
			t->rows[j - 1] = x;
		}
}

static void card(struct request *r, int64_t n, const char *label, const char *href)
{
	html_raw_literal(&r->body, "<li>");
	if (href) {
		html_raw_literal(&r->body, "<a href=\"");
		html_attr(&r->body, href);
		html_raw_literal(&r->body, "\">");
	}
	html_raw_literal(&r->body, "<span class=\"count\">");
	html_text(&r->body, page_count(r, n));
	html_raw_literal(&r->body, "</span><strong>");
	html_text(&r->body, label);
	html_raw_literal(&r->body, "</strong>");
	if (href)
		html_raw_literal(&r->body, "</a>");
	html_raw_literal(&r->body, "</li>");
}

void web_summary_cards(struct request *r, const struct summary *s)
{
	html_raw_literal(&r->body, "<ul class=\"cards figures\">");
	card(r, s->appeals_received, _(r, "Appeals received"), NULL);
	card(r, s->appeals_resolved, _(r, "Appeals resolved"), NULL);
	card(r, s->appeals_overdue, _(r, "Overdue now"), web_can(r, (struct perm)PERM(READ, APPEAL)) ? "/appeals?overdue=true" : NULL);
	card(r, s->consultations_held, _(r, "Consultations held"), NULL);
	card(r, s->prevention_events, _(r, "Prevention events"), NULL);
	card(r, s->event_participants, _(r, "Participants"), NULL);
	card(r, s->schools_covered, _(r, "Schools with a lesson held"), NULL);
	card(r, s->lessons_held, _(r, "Lessons held"), NULL);
	card(r, s->pupils_reached, _(r, "Pupils reached"), NULL);
	card(r, s->children_attached, _(r, "Children attached"), NULL);
	card(r, s->children_without_recent_contact, _(r, "Without a recent contact"),
	     web_can(r, (struct perm)PERM(READ, MENTORSHIP)) ? "/meyirim/alerts" : NULL);
	html_raw_literal(&r->body, "</ul>");
}

static void period_form(struct request *r, const char *action, const char *from, const char *to, int with_by)
{
	form_get_begun(r);
	html_raw_literal(&r->body, "<form method=\"get\" action=\"");
	html_attr(&r->body, action);
	html_raw_literal(&r->body, "\" class=\"filters\">");
	if (with_by) {
		struct option *o = web_options(r, report_breakdowns, by_label);
		struct form_ctl by = {"by", _(r, "Breakdown"), CTL_SELECT, form_value(r, "by"), o, 1, NULL, NULL, 0};
		form_field(r, &by);
	}
	struct form_ctl f1 = {"from", _(r, "From"), CTL_DATE, from, NULL, 0, NULL, NULL, 0};
	struct form_ctl f2 = {"to", _(r, "To"), CTL_DATE, to, NULL, 0, NULL, NULL, 0};
	form_field(r, &f1);
	form_field(r, &f2);
	if (request_scope(r, (struct perm)PERM(READ, REPORT)).scope == SCOPE_REGION) {
		struct form_ctl d = {"district_id", _(r, "District"), CTL_SELECT, form_value(r, "district_id"),
				     web_district_options(r), 0, NULL, NULL, 1};
		form_field(r, &d);
	}
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>");
}

/* A breakdown as a chart (stacked series) and its table. */
static void breakdown_chart(struct request *r, const char *id, const char *title, const struct report_table *t,
			    const char *by)
{
	if (!t->n) {
		web_h2(r, id, title);
		page_notice(r, "info", _(r, "No figures for this period."));
		return;
	}
	const char **labels = arena_alloc(&r->arena, t->n * sizeof(*labels));
	struct chart c = {id, title, NULL, labels, t->n, {0}, {0}, t->nseries, NULL};
	for (size_t i = 0; i < t->n; i++)
		labels[i] = key_label(r, by, &t->rows[i], t->key_is_district);
	for (int s = 0; s < t->nseries; s++) {
		int64_t *v = arena_alloc(&r->arena, t->n * sizeof(*v));
		for (size_t i = 0; i < t->n; i++)
			v[i] = t->rows[i].v[s];
		c.values[s] = v;
		c.series_names[s] = series_label(r, t->series[s]);
	}
	c.y_label = t->nseries == 1 ? c.series_names[0] : NULL;
	c.table_caption = _(r, "The figures as a table");
	/* Months and districts: the first series drawn, all listed; lessons: held and not held, stacked. */
	if (!strcmp(by, "month") || !strcmp(by, "district")) {
		c.nseries = 1;
		c.y_label = c.series_names[0];
	} else if (!strcmp(by, "topic")) {
		c.nseries = 2;
		c.y_label = _(r, "Lessons");
	}
	chart_bars(&r->body, &c);
	if (c.nseries < t->nseries) {
		/* Every series in the table. */
		page_scroll_begin(r, title);
		html_raw_literal(&r->body, "<table class=\"list\"><thead><tr><th scope=\"col\"></th>");
		for (int s = 0; s < t->nseries; s++)
			page_th(r, series_label(r, t->series[s]));
		html_raw_literal(&r->body, "</tr></thead><tbody>");
		for (size_t i = 0; i < t->n; i++) {
			html_raw_literal(&r->body, "<tr><th scope=\"row\">");
			html_text(&r->body, labels[i]);
			html_raw_literal(&r->body, "</th>");
			for (int s = 0; s < t->nseries; s++)
				page_td(r, page_count(r, t->rows[i].v[s]));
			html_raw_literal(&r->body, "</tr>");
		}
		html_raw_literal(&r->body, "</tbody></table></div>");
	}
}

/* Appeals per month, one series per value of a dimension (category): a stacked chart. */
static void months_by(struct request *r, const struct report_scope *s, const char *from, const char *to,
		      const char *dim, const char *id, const char *title)
{
	struct stat_row *rows;
	size_t n;
	if (s->kind == REPORT_ORG ||
	    db_appeal_stats(request_db(r), STAT_BY_MONTH, from, to, s->district_id, dim, &r->arena, &rows, &n) || !n)
		return;
	const char *months[64], *vals[CHART_MAX_SERIES];
	size_t nm = 0;
	int nv = 0;
	for (size_t i = 0; i < n; i++) {
		size_t m = 0;
		while (m < nm && strcmp(months[m], rows[i].key))
			m++;
		if (m == nm && nm < 64)
			months[nm++] = rows[i].key;
		int v = 0;
		while (v < nv && strcmp(vals[v], rows[i].val))
			v++;
		if (v == nv && nv < CHART_MAX_SERIES)
			vals[nv++] = rows[i].val;
	}
	struct chart c = {id, title, _(r, "Appeals received"), months, nm, {0}, {0}, nv, _(r, "The figures as a table")};
	for (int v = 0; v < nv; v++) {
		int64_t *vv = arena_zalloc(&r->arena, (nm ? nm : 1) * sizeof(*vv));
		for (size_t i = 0; i < n; i++) {
			if (strcmp(rows[i].val, vals[v]))
				continue;
			for (size_t m = 0; m < nm; m++)
				if (!strcmp(months[m], rows[i].key))
					vv[m] += rows[i].n;
		}
		c.values[v] = vv;
		c.series_names[v] = !strcmp(dim, "category") ? web_category_label(r, vals[v]) : vals[v];
	}
	chart_bars(&r->body, &c);
}

static void export_links(struct request *r, const char *by, const char *from, const char *to, int64_t district)
{
	struct buf q = BUF_INIT;
	buf_printf(&q, "?by=");
	html_url_arg(&q, by);
	buf_printf(&q, "&from=%s&to=%s", from, to);
	if (district)
		buf_printf(&q, "&district_id=%lld", (long long)district);
	page_export_links(r, "breakdown", q.ptr);
	buf_release(&q);
}

/* The headline figures of the period as files (the summary export). */
static void summary_export_links(struct request *r, const char *from, const char *to, int64_t district)
{
	struct buf q = BUF_INIT;
	buf_printf(&q, "?from=%s&to=%s", from, to);
	if (district)
		buf_printf(&q, "&district_id=%lld", (long long)district);
	page_export_links(r, "summary", q.ptr);
	buf_release(&q);
}

void web_dashboard(struct request *r)
{
	char from[11], to[11];
	if (report_period(r, from, to) < 0)
		return;
	struct summary s;
	int64_t district = input_int(&r->in, "district_id", 0);
	if (report_summary_for(r, from, to, district, &s) < 0)
		return;
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, REPORT));
	struct report_scope rs;
	report_scope_for(&f, district, &rs);
	page_begin(r, _(r, "Dashboard"));
	period_form(r, "/dashboard", from, to, 0);
	web_summary_cards(r, &s);
	summary_export_links(r, from, to, district);
	html_raw_literal(&r->body, "<p class=\"actions\"><a href=\"/reports\">");
	html_text(&r->body, _(r, "Reports and exports"));
	html_raw_literal(&r->body, "</a> · <a href=\"/reports/quarterly\">");
	html_text(&r->body, _(r, "Quarterly report"));
	html_raw_literal(&r->body, "</a></p>");
	months_by(r, &rs, from, to, "category", "c-months", _(r, "Appeals per month, by category"));
	static const struct {
		const char *by, *title;
	} charts[] = {
		{"channel", N_("Appeals by channel")},
		{"district", N_("Appeals by district")},
		{"risk", N_("Risk mix")},
		{"month", N_("Consultations per month")},
		{"topic", N_("Prevention lessons: planned and held")},
		{"organisation_kind", N_("Children attached, by kind of organisation")},
	};
	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		struct report_table t;
		if (report_breakdown(request_db(r), &rs, charts[i].by, from, to, &r->arena, &t) || !t.n)
			continue;
		order_for_reading(&t);
		if (!strcmp(charts[i].by, "month")) {
			/* Consultations: the third series as the one drawn. */
			for (size_t k = 0; k < t.n; k++) {
				int64_t x = t.rows[k].v[0];
				t.rows[k].v[0] = t.rows[k].v[2];
				t.rows[k].v[2] = x;
			}
			const char *x = t.series[0];
			t.series[0] = t.series[2];
			t.series[2] = x;
		}
		breakdown_chart(r, arena_printf(&r->arena, "c-%zu", i), _(r, charts[i].title), &t, charts[i].by);
	}
	/* Meyirim contacts per month. */
	struct mentorship_scope ms = {rs.district_id, rs.org_id};
	struct figure_row *rows;
	size_t n;
	if (rs.kind != REPORT_NONE &&
	    !db_campaign_figure(request_db(r), CAMPAIGN_CONTACTS_BY_MONTH, &ms, from, &r->arena, &rows, &n) && n) {
		const char **labels = arena_alloc(&r->arena, n * sizeof(*labels));
		int64_t *v = arena_alloc(&r->arena, n * sizeof(*v));
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(rows[i].key, to) > 0)
				continue;
			labels[k] = rows[i].key;
			v[k++] = rows[i].n;
		}
		struct chart c = {"c-contacts", _(r, "Meyirim contacts per month"), _(r, "Contacts"), labels, k,
				  {_(r, "Contacts")}, {v}, 1, _(r, "The figures as a table")};
		chart_bars(&r->body, &c);
	}
	page_end(r, 200);
}

/* ======================= the report page ======================= */

void web_reports(struct request *r)
{
	char from[11], to[11];
	if (report_period(r, from, to) < 0)
		return;
	const char *by = input_str(&r->in, "by");
	if (!by)
		by = "category";
	int64_t district = input_int(&r->in, "district_id", 0);
	struct report_table t;
	if (report_breakdown_for(r, by, from, to, district, &t) < 0)
		return;
	order_for_reading(&t);
	page_begin(r, _(r, "Reports and exports"));
	period_form(r, "/reports", from, to, 1);
	breakdown_chart(r, "c-report", arena_printf(&r->arena, "%s %s – %s", by_label(r, by), from, to), &t, by);
	export_links(r, by, from, to, district);
	/* The lists, for export too. */
	static const struct {
		const char *name, *label;
		struct perm perm;
	} lists[] = {
		{"appeals", N_("Appeals"), PERM(READ, APPEAL)},
		{"children", N_("Children"), PERM(READ, CHILD)},
		{"mentorships", N_("Meyirim attachments"), PERM(READ, MENTORSHIP)},
		{"referrals", N_("Referrals to us"), PERM(ANSWER, REFERRAL)},
		{"schools", N_("Schools"), PERM(READ, SCHOOL)},
		{"lecturers", N_("Lecturers"), PERM(READ, LECTURER)},
		{"lessons", N_("Lessons"), PERM(READ, LESSON)},
		{"events", N_("Prevention events"), PERM(READ, EVENT)},
		{"organisations", N_("Organisations"), PERM(READ, ORGANISATION)},
		{"users", N_("Users"), PERM(READ, USER)},
	};
	web_h2(r, "lists", _(r, "Lists to export"));
	html_raw_literal(&r->body, "<ul>");
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (!web_can(r, lists[i].perm))
			continue;
		html_raw_literal(&r->body, "<li>");
		html_text(&r->body, _(r, lists[i].label));
		html_raw_literal(&r->body, ": <a href=\"/api/v1/reports/");
		html_attr(&r->body, lists[i].name);
		html_raw_literal(&r->body, ".csv\">CSV</a> · <a href=\"/api/v1/reports/");
		html_attr(&r->body, lists[i].name);
		html_raw_literal(&r->body, ".xlsx\">XLSX</a></li>");
	}
	html_raw_literal(&r->body, "</ul>");
	page_end(r, 200);
}

/* ======================= the quarterly report ======================= */

void web_quarterly(struct request *r)
{
	int y, m, d;
	civil_from_days(today_days(), &y, &m, &d);
	int year = (int)input_int(&r->in, "year", 0), quarter = (int)input_int(&r->in, "quarter", 0);
	if (!year || !quarter) {
		/* The last quarter that has ended. */
		quarter = (m - 1) / 3;
		year = y;
		if (quarter == 0) {
			quarter = 4;
			year--;
		}
	}
	/*
	 * The report is written in Kazakh or Russian, as its reader chooses (by
	 * default theirs, Kazakh for an English reader); the page around it (menu,
	 * filters, footer) stays in the reader's own language.
	 */
	const enum lang reader = r->lang;
	const char *lang = input_str(&r->in, "lang");
	const enum lang report = lang ? (!strcmp(lang, "ru") ? LANG_RU : LANG_KK) : reader == LANG_RU ? LANG_RU : LANG_KK;
	char from[11], to[11];
	int first_month = (quarter - 1) * 3 + 1;
	date_format(days_from_civil(year, first_month, 1), from);
	date_format(days_from_civil(year, first_month + 2, days_in_month(year, first_month + 2)), to);
	int64_t district = input_int(&r->in, "district_id", 0);
	struct summary s;
	if (report_summary_for(r, from, to, district, &s) < 0)
		return;
	struct scope_filter f = request_scope(r, (struct perm)PERM(READ, REPORT));
	struct report_scope rs;
	report_scope_for(&f, district, &rs);
	r->lang = report;
	const char *title = arena_printf(&r->arena, "%s, %d", page_with_number(r, _(r, "Quarterly report, quarter {n}"), quarter),
					 year);
	r->lang = reader;
	page_begin(r, title);
	form_get_begun(r);
	html_raw_literal(&r->body, "<form method=\"get\" action=\"/reports/quarterly\" class=\"filters noprint\">");
	struct form_ctl fy = {"year", _(r, "Year"), CTL_NUMBER, arena_printf(&r->arena, "%d", year), NULL, 1, NULL, NULL, 0};
	const struct option quarters[] = {{"1", "I"}, {"2", "II"}, {"3", "III"}, {"4", "IV"}, {0, 0}};
	struct form_ctl fq = {"quarter", _(r, "Quarter"), CTL_SELECT, arena_printf(&r->arena, "%d", quarter), quarters, 1,
			      NULL, NULL, 0};
	const struct option langs[] = {{"kk", "Қазақша"}, {"ru", "Русский"}, {0, 0}};
	struct form_ctl fl = {"lang", _(r, "Language of the report"), CTL_SELECT, report == LANG_RU ? "ru" : "kk", langs, 1,
			      NULL, NULL, 0};
	form_field(r, &fy);
	form_field(r, &fq);
	form_field(r, &fl);
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>");
	r->lang = report;
	html_raw_literal(&r->body, "<div class=\"report\" lang=\"");
	html_attr(&r->body, lang_code(report));
	html_raw_literal(&r->body, "\"><p class=\"lead\">");
	html_text(&r->body, arena_printf(&r->arena, "%s – %s", web_paper_date(r, from), web_paper_date(r, to)));
	html_raw_literal(&r->body, "</p>");
	/* A quarter not over yet prints as what it is. */
	char today[11];
	today_text(today);
	if (strcmp(to, today) >= 0)
		page_notice(r, "info", _(r, "Preliminary: the quarter is not over yet."));
	html_raw_literal(&r->body, "<p>");
	html_text(&r->body, _(r, "For the parties to the memorandum on the protection of children's rights: the regional administration (akimat), the regional prosecutor's office and the Commissioner for children's rights."));
	html_raw_literal(&r->body, "</p>");
	web_h2(r, "figures", _(r, "Headline figures"));
	html_raw_literal(&r->body, "<table class=\"facts\">");
	/*
	 * Most figures count the period; three are a state on one day, which
	 * they say: overdue appeals today, the Meyirim figures on the period's
	 * last day (today while it runs).
	 */
	const char *last = strcmp(to, today) < 0 ? to : today;
	const struct {
		const char *label;
		int64_t v;
		const char *day;
	} rows[] = {
		{N_("Appeals received"), s.appeals_received, NULL},
		{N_("Appeals resolved"), s.appeals_resolved, NULL},
		{N_("Overdue now"), s.appeals_overdue, today},
		{N_("Consultations held"), s.consultations_held, NULL},
		{N_("Prevention events"), s.prevention_events, NULL},
		{N_("Participants"), s.event_participants, NULL},
		{N_("Schools with a lesson held"), s.schools_covered, NULL},
		{N_("Lessons held"), s.lessons_held, NULL},
		{N_("Pupils reached"), s.pupils_reached, NULL},
		{N_("Children attached"), s.children_attached, last},
		{N_("Without a recent contact"), s.children_without_recent_contact, last},
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *label = _(r, rows[i].label);
		if (rows[i].day)
			label = arena_printf(&r->arena, "%s (%s)", label, web_paper_date(r, rows[i].day));
		web_fact(r, label, page_count(r, rows[i].v));
	}
	html_raw_literal(&r->body, "</table>");
	summary_export_links(r, from, to, district);
	/* Each table headed as a title, not as the report page's "by …" choice. */
	static const struct {
		const char *by, *title;
	} parts[] = {
		{"category", N_("Appeals, by category")},
		{"district", N_("Appeals by district")},
		{"topic", N_("Prevention lessons, by topic")},
		{"organisation_kind", N_("Children attached at the end of the period, by kind of organisation")},
	};
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		struct report_table t;
		if (report_breakdown(request_db(r), &rs, parts[i].by, from, to, &r->arena, &t))
			continue;
		order_for_reading(&t);
		web_h2(r, arena_printf(&r->arena, "q-%s", parts[i].by), _(r, parts[i].title));
		if (!t.n) {
			page_notice(r, "info", _(r, "No figures for this period."));
			continue;
		}
		html_raw_literal(&r->body, "<table class=\"list\"><thead><tr><th scope=\"col\"></th>");
		for (int k = 0; k < t.nseries; k++)
			page_th(r, series_label(r, t.series[k]));
		html_raw_literal(&r->body, "</tr></thead><tbody>");
		for (size_t k = 0; k < t.n; k++) {
			html_raw_literal(&r->body, "<tr><th scope=\"row\">");
			html_text(&r->body, key_label(r, parts[i].by, &t.rows[k], t.key_is_district));
			html_raw_literal(&r->body, "</th>");
			for (int v = 0; v < t.nseries; v++)
				page_td(r, page_count(r, t.rows[k].v[v]));
			html_raw_literal(&r->body, "</tr>");
		}
		html_raw_literal(&r->body, "</tbody></table>");
		export_links(r, parts[i].by, from, to, district);
	}
	html_raw_literal(&r->body, "<p class=\"signature\">");
	html_text(&r->body, _(r, "Prepared with Qorgau from the records of the region's child-protection system."));
	html_raw_literal(&r->body, " ");
	html_text(&r->body, arena_printf(&r->arena, "%s: %s.", _(r, "Prepared on"), web_paper_date(r, today)));
	html_raw_literal(&r->body, "</p></div>");
	r->lang = reader;
	page_end(r, 200);
}
