/*
 * The working-day calendar in use and today's date. The server loads the
 * calendar from the database at start, and reloads it when an import
 * (from the page, or 'qorgau calendar import' in another process) bumps
 * its version. Readers get an immutable calendar; replaced ones are kept
 * until exit, so a reader never sees one freed under it.
 */
#ifndef QORGAU_DOMAIN_DEADLINES_H
#define QORGAU_DOMAIN_DEADLINES_H

#include <stdint.h>

#include "core/calendar.h"
#include "db/db.h"
#include "domain/audit.h"

/* The calendar in use (never NULL once deadlines_load succeeded). */
const struct calendar *deadlines_calendar(void);
/* Load from the database, replacing the one in use. */
int deadlines_load(struct db *db, struct buf *err);
/* Reload when the stored version differs from the loaded one. */
int deadlines_refresh(struct db *db);
/* Free every calendar ever loaded (at exit). */
void deadlines_release(void);

/* Today, in local time, as a day number, and as text. */
void deadlines_set_offset(int utc_offset);
int64_t today_days(void);
void today_text(char out[11]);
/* The local day of a Unix time. */
int64_t local_days(int64_t t);
/* The Unix time at which a local day begins. */
int64_t local_midnight(int64_t day);

/* Replace the calendar with the rules of text (the file format); audited. err says why not. */
int calendar_import(struct db *db, const struct actor *who, const char *text, size_t n, struct buf *err);
/* Put the built-in calendar in an empty database (init). */
int calendar_seed(struct db *db, const struct actor *who, struct buf *err);

#endif
