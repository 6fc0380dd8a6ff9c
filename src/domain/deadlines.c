/* The calendar in use, today, and calendar imports (deadlines.h). */
#include "domain/deadlines.h"

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/mem.h"
#include "core/time.h"

static _Atomic(struct calendar *) current;
static _Atomic int64_t current_version = -1;
static pthread_mutex_t history_lock = PTHREAD_MUTEX_INITIALIZER;
static struct calendar **history;
static size_t nhistory;
static int offset = 5 * 3600;

const struct calendar *deadlines_calendar(void)
{
	return atomic_load(&current);
}

static int rows_to_rules(const struct calendar_row *rows, size_t n, struct calendar_rule **rules, struct buf *err)
{
	struct buf text = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_printf(&text, "%s %s %s\n", rows[i].day, rows[i].kind, rows[i].name ? rows[i].name : "");
	size_t count;
	int rc = calendar_parse(text.ptr, text.len, rules, &count, err);
	buf_release(&text);
	return rc < 0 ? -1 : (int)count;
}

int deadlines_load(struct db *db, struct buf *err)
{
	struct arena a;
	struct calendar_row *rows;
	size_t n;
	int64_t version = 0;
	arena_init(&a);
	int rc = db_calendar_version(db, &version);
	if (!rc)
		rc = db_calendar_list(db, &a, &rows, &n);
	if (rc) {
		buf_printf(err, "cannot read the calendar: %s", db_errmsg(db));
		arena_release(&a);
		return rc;
	}
	struct calendar_rule *rules;
	int count = rows_to_rules(rows, n, &rules, err);
	arena_release(&a);
	if (count < 0)
		return DB_ERROR;
	struct calendar *c = calendar_build(rules, (size_t)count);
	free(rules);
	pthread_mutex_lock(&history_lock);
	history = xrealloc(history, (nhistory + 1) * sizeof(*history));
	history[nhistory++] = c;
	atomic_store(&current, c);
	atomic_store(&current_version, version);
	pthread_mutex_unlock(&history_lock);
	return DB_OK;
}

int deadlines_refresh(struct db *db)
{
	int64_t version = 0;
	int rc = db_calendar_version(db, &version);
	if (rc || version == atomic_load(&current_version))
		return rc;
	struct buf err = BUF_INIT;
	rc = deadlines_load(db, &err);
	buf_release(&err);
	return rc;
}

void deadlines_release(void)
{
	pthread_mutex_lock(&history_lock);
	for (size_t i = 0; i < nhistory; i++)
		calendar_free(history[i]);
	free(history);
	history = NULL;
	nhistory = 0;
	atomic_store(&current, NULL);
	atomic_store(&current_version, -1);
	pthread_mutex_unlock(&history_lock);
}

void deadlines_set_offset(int utc_offset)
{
	offset = utc_offset;
}

int64_t local_midnight(int64_t day)
{
	return day * 86400 - offset;
}

int64_t local_days(int64_t t)
{
	int64_t local = t + offset;
	return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

int64_t today_days(void)
{
	return local_days(time_now());
}

void today_text(char out[11])
{
	date_format(today_days(), out);
}

int calendar_import(struct db *db, const struct actor *who, const char *text, size_t n, struct buf *err)
{
	struct calendar_rule *rules;
	size_t count;
	if (calendar_parse(text, n, &rules, &count, err) < 0)
		return DB_CONSTRAINT;
	int rc = db_calendar_clear(db);
	for (size_t i = 0; i < count && !rc; i++) {
		char day[11];
		calendar_rule_date(&rules[i], day);
		rc = db_calendar_insert(db, day, calendar_kind_name(rules[i].kind), rules[i].name);
	}
	free(rules);
	if (!rc)
		rc = db_calendar_bump(db, time_now());
	if (!rc) {
		char detail[48];
		snprintf(detail, sizeof(detail), "%zu entries", count);
		rc = audit_record(db, who, "import", "calendar", 0, detail);
	}
	if (rc)
		buf_printf(err, "cannot store the calendar: %s", db_errmsg(db));
	return rc;
}

int calendar_seed(struct db *db, const struct actor *who, struct buf *err)
{
	int64_t version = 0;
	int rc = db_calendar_version(db, &version);
	if (rc || version > 0)
		return rc;
	const struct embedded_file *f = embedded_find(embedded_data, embedded_data_count, "calendar-kz.txt");
	if (!f) {
		buf_printf(err, "the built-in calendar is missing from this program");
		return DB_ERROR;
	}
	return calendar_import(db, who, (const char *)f->data, f->len, err);
}
