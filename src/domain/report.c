/* Reports (report.h). */
#include "domain/report.h"

#include <string.h>

#include "core/time.h"
#include "domain/appeal.h"
#include "domain/deadlines.h"

const char *const report_breakdowns[] = {"category", "channel", "kind", "risk", "district", "month",
					 "organisation_kind", "topic", NULL};

int report_scope_for(const struct scope_filter *f, int64_t district_id, struct report_scope *out)
{
	memset(out, 0, sizeof(*out));
	switch ((enum scope)f->scope) {
	case SCOPE_REGION:
		out->kind = district_id ? REPORT_DISTRICT : REPORT_REGION;
		out->district_id = district_id;
		return 0;
	case SCOPE_DISTRICT:
		if (district_id && district_id != f->district_id)
			return -1;
		out->kind = REPORT_DISTRICT;
		out->district_id = f->district_id;
		return 0;
	case SCOPE_ORG:
		if (!f->organisation_id)
			return -1;
		out->kind = REPORT_ORG;
		out->org_id = f->organisation_id;
		out->district_id = 0;
		return 0;
	default: return -1;
	}
}

/* Local midnight of a day, as Unix seconds. */
static int64_t day_start(const char *day)
{
	int y, m, d;
	if (date_parse(day, strlen(day), &y, &m, &d))
		return 0;
	return local_midnight(days_from_civil(y, m, d));
}

/*
 * Whether a period ending on `to` (YYYY-MM-DD) is over: Meyirim's figures,
 * a state rather than a count, are then taken as they stood on that day.
 */
static int period_over(const char *to, int64_t *to_day)
{
	return date_to_days(to, to_day) == 0 && *to_day < today_days();
}

int report_summary(struct db *db, const struct report_scope *s, const char *from, const char *to, int contact_days,
		   struct summary *out)
{
	memset(out, 0, sizeof(*out));
	if (s->kind == REPORT_NONE)
		return DB_OK;
	char today[11], since[11];
	today_text(today);
	date_format(today_days() - contact_days, since);
	int rc;
	if (s->kind == REPORT_ORG) {
		/* An organisation's own: what it registered, its events, its lessons, its children. */
		rc = db_report_org_appeals(db, s->org_id, from, to, &out->appeals_received, &out->appeals_resolved);
	} else {
		struct arena ar;
		struct stat_row *rows;
		size_t n = 0;
		arena_init(&ar);
		rc = db_appeal_stats(db, STAT_TOTALS, from, to, s->district_id, NULL, &ar, &rows, &n);
		for (size_t i = 0; !rc && i < n; i++) {
			if (!strcmp(rows[i].key, "received"))
				out->appeals_received = rows[i].n;
			else if (!strcmp(rows[i].key, "resolved"))
				out->appeals_resolved = rows[i].n;
			else if (!strcmp(rows[i].key, "consultation"))
				out->consultations_held = rows[i].n;
		}
		arena_release(&ar);
	}
	if (!rc)
		rc = db_report_overdue(db, today, s->district_id, s->org_id, &out->appeals_overdue);
	if (!rc)
		rc = db_report_events(db, from, to, s->district_id, s->org_id, &out->prevention_events,
				      &out->event_participants);
	if (!rc)
		rc = db_report_lessons(db, day_start(from), day_start(to) + 86400, s->district_id, s->org_id,
				       &out->lessons_held, &out->pupils_reached, &out->schools_covered);
	/*
	 * Meyirim's figures are a state, not a count over the period: now, for a
	 * period that runs to today or beyond; for a period gone by, as they
	 * stood on its last day (a report of last quarter tells last quarter's).
	 */
	int64_t to_day;
	if (!rc && period_over(to, &to_day)) {
		date_format(to_day - contact_days, since);
		rc = db_report_attached_at(db, since, to, s->district_id, s->org_id, &out->children_attached,
					   &out->children_without_recent_contact);
	} else if (!rc) {
		rc = db_report_attached(db, since, s->district_id, s->org_id, &out->children_attached,
					&out->children_without_recent_contact);
	}
	return rc;
}

/* A breakdown from the kept appeal figures: one dimension by value, month or district. */
static int appeal_breakdown(struct db *db, const struct report_scope *s, const char *by, const char *from,
			    const char *to, struct arena *ar, struct report_table *out)
{
	struct stat_row *rows;
	size_t n;
	int rc;
	int by_month = !strcmp(by, "month"), by_district = !strcmp(by, "district");
	if (by_month || by_district) {
		/* Received, resolved and consultations side by side. */
		out->series[0] = "received";
		out->series[1] = "resolved";
		out->series[2] = "consultations";
		out->nseries = 3;
		out->key_is_district = by_district;
		struct report_row *t = NULL;
		size_t nt = 0, cap = 0;
		static const char *const dims[3] = {"received", "resolved", "consultation"};
		for (int k = 0; k < 3; k++) {
			rc = db_appeal_stats(db, by_month ? STAT_BY_MONTH : STAT_BY_DISTRICT, from, to, s->district_id, dims[k],
					     ar, &rows, &n);
			if (rc)
				return rc;
			for (size_t i = 0; i < n; i++) {
				size_t j = 0;
				while (j < nt && (by_month ? strcmp(t[j].key, rows[i].key) : t[j].key_id != rows[i].key_id))
					j++;
				if (j == nt) {
					t = arena_grow_array(ar, t, nt, &cap, sizeof(*t));
					memset(&t[nt], 0, sizeof(*t));
					t[nt].key = rows[i].key;
					t[nt].key_id = rows[i].key_id;
					nt++;
				}
				t[j].v[k] += rows[i].n;
			}
		}
		/* Months and districts in order. */
		for (size_t i = 1; i < nt; i++)
			for (size_t j = i; j > 0; j--) {
				int after = by_month ? strcmp(t[j - 1].key, t[j].key) > 0 : t[j - 1].key_id > t[j].key_id;
				if (!after)
					break;
				struct report_row x = t[j];
				t[j] = t[j - 1];
				t[j - 1] = x;
			}
		out->rows = t;
		out->n = nt;
		return DB_OK;
	}
	out->series[0] = "received";
	out->nseries = 1;
	rc = db_appeal_stats(db, STAT_TOTALS, from, to, s->district_id, by, ar, &rows, &n);
	if (rc)
		return rc;
	out->rows = arena_zalloc(ar, (n ? n : 1) * sizeof(*out->rows));
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].key, by))
			continue;
		struct report_row *row = &out->rows[out->n++];
		row->key = rows[i].val;
		row->v[0] = rows[i].n;
	}
	/* Risks read from the least to the gravest, not in the alphabet of their codes. */
	if (!strcmp(by, "risk"))
		for (size_t i = 1; i < out->n; i++)
			for (size_t j = i;
			     j > 0 && appeal_risk_rank(out->rows[j - 1].key) > appeal_risk_rank(out->rows[j].key); j--) {
				struct report_row x = out->rows[j];
				out->rows[j] = out->rows[j - 1];
				out->rows[j - 1] = x;
			}
	return DB_OK;
}

int report_breakdown(struct db *db, const struct report_scope *s, const char *by, const char *from, const char *to,
		     struct arena *ar, struct report_table *out)
{
	memset(out, 0, sizeof(*out));
	out->by = by;
	if (s->kind == REPORT_NONE)
		return DB_OK;
	if (!strcmp(by, "organisation_kind")) {
		/* Meyirim: children attached, by the kind of organisation; now, or on the last day of a period gone by. */
		struct mentorship_scope ms = {s->district_id, s->org_id};
		struct figure_row *rows;
		size_t n;
		int64_t to_day;
		int past = period_over(to, &to_day);
		int rc = db_campaign_figure(db, past ? CAMPAIGN_BY_KIND_AT : CAMPAIGN_BY_KIND, &ms, past ? to : NULL, ar, &rows,
					    &n);
		if (rc)
			return rc;
		out->series[0] = "children_attached";
		out->nseries = 1;
		out->rows = arena_zalloc(ar, (n ? n : 1) * sizeof(*out->rows));
		for (size_t i = 0; i < n; i++) {
			out->rows[i].key = rows[i].key;
			out->rows[i].v[0] = rows[i].n;
		}
		out->n = n;
		return DB_OK;
	}
	if (!strcmp(by, "topic")) {
		/* Prevention lessons: planned, held and pupils reached, by topic (the region's or a district's). */
		if (s->kind == REPORT_ORG)
			return DB_OK;
		struct coverage_row *rows;
		size_t n;
		int rc = db_coverage(db, COVERAGE_BY_TOPIC, day_start(from), day_start(to) + 86400, from, to, s->district_id,
				     ar, &rows, &n);
		if (rc)
			return rc;
		out->series[0] = "lessons_held";
		out->series[1] = "lessons_not_held"; /* still planned, or cancelled: held + these = all planned */
		out->series[2] = "pupils_reached";
		out->nseries = 3;
		out->rows = arena_zalloc(ar, (n ? n : 1) * sizeof(*out->rows));
		for (size_t i = 0; i < n; i++) {
			out->rows[i].key = rows[i].key;
			out->rows[i].v[0] = rows[i].b;
			out->rows[i].v[1] = rows[i].a + rows[i].c;
			out->rows[i].v[2] = rows[i].d;
		}
		out->n = n;
		return DB_OK;
	}
	for (const char *const *b = report_breakdowns; *b; b++)
		if (!strcmp(*b, by))
			return s->kind == REPORT_ORG ? DB_OK : appeal_breakdown(db, s, by, from, to, ar, out);
	return DB_NOTFOUND;
}
