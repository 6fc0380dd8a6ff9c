/* qorgau calendar import FILE | show [--year Y]. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/calendar.h"
#include "core/time.h"
#include "db/writer.h"
#include "domain/deadlines.h"

static const struct actor cli_actor = {0, "cli", "cli"};

struct import {
	const char *text;
	size_t len;
	struct buf err;
};

static int run_import(struct db *db, struct write_job *job)
{
	struct import *im = job->arg;
	return calendar_import(db, &cli_actor, im->text, im->len, &im->err);
}

static int open_db(const char *name, const struct config *cfg, struct db **db)
{
	struct buf err = BUF_INIT;
	int rc = db_open(cfg->database, DB_MODE_WRITE, cfg->db_busy_timeout_ms, db, &err);
	if (rc == DB_OK)
		rc = db_check_schema(*db, &err);
	if (rc != DB_OK) {
		fprintf(stderr, "qorgau %s: %s\n", name, err.ptr);
		db_close(*db);
		*db = NULL;
	}
	buf_release(&err);
	return rc;
}

static int calendar_import_cmd(int argc, char **argv)
{
	const struct command_spec spec = {
		"calendar import", "FILE",
		"Replace the working-day calendar with FILE (see share/calendar-kz.txt for the format).\n"
		"A file with an error changes nothing; the error names the line.",
		CFG_FOR_DATA, NULL, 1, 1};
	struct config cfg;
	char **pos;
	int npos, status = 1;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	struct import im = {NULL, 0, BUF_INIT};
	struct buf text = BUF_INIT;
	struct db *db = NULL;
	FILE *f = fopen(pos[0], "rb");
	if (!f) {
		fprintf(stderr, "qorgau calendar import: cannot open '%s': %s\n", pos[0], strerror(errno));
		goto out;
	}
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && text.len < 4 * 1024 * 1024)
		buf_add(&text, chunk, n);
	fclose(f);
	struct calendar_rule *rules;
	size_t count;
	if (calendar_parse(text.ptr, text.len, &rules, &count, &im.err) < 0) {
		fprintf(stderr, "qorgau calendar import: %s: %s\n", pos[0], im.err.ptr);
		status = 2;
		goto out;
	}
	int days_off = calendar_rules_days_off(rules, count);
	free(rules);
	/* A file without a day off would take every holiday away from every deadline: refused, as the pages and the API do. */
	if (!days_off) {
		fprintf(stderr, "qorgau calendar import: %s: %s\n", pos[0], CALENDAR_EMPTY_MESSAGE);
		status = 2;
		goto out;
	}
	if (open_db(spec.name, &cfg, &db) != DB_OK)
		goto out;
	im.text = text.ptr;
	im.len = text.len;
	struct write_job job = {.run = run_import, .arg = &im};
	if (writer_run_now(db, &job) != DB_OK) {
		fprintf(stderr, "qorgau calendar import: %s\n", im.err.len ? im.err.ptr : db_errmsg(db));
		goto out;
	}
	printf("qorgau: calendar replaced: %zu entries (running servers pick it up within ten seconds)\n", count);
	status = 0;
out:
	db_close(db);
	buf_release(&text);
	buf_release(&im.err);
	free(pos);
	config_release(&cfg);
	return status;
}

static int calendar_show_cmd(int argc, char **argv)
{
	const char *year_text = NULL;
	const struct opt opts[] = {{"year", "YEAR", "the year to show (default: this year)", &year_text, NULL}, {0}};
	const struct command_spec spec = {"calendar show", NULL, "List the days off of a year.", CFG_FOR_DATA, opts, 0,
					  0};
	struct config cfg;
	char **pos;
	int npos, status = 1;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	struct db *db = NULL;
	struct buf err = BUF_INIT;
	deadlines_set_offset(cfg.utc_offset);
	int y, m, d;
	civil_from_days(today_days(), &y, &m, &d);
	if (year_text) {
		char *end;
		long v = strtol(year_text, &end, 10);
		if (*end || v < 1990 || v > 2100) {
			fprintf(stderr, "qorgau calendar show: --year: from 1990 to 2100\n");
			status = 2;
			goto out;
		}
		y = (int)v;
	}
	if (open_db(spec.name, &cfg, &db) != DB_OK || deadlines_load(db, &err) != DB_OK) {
		if (err.len)
			fprintf(stderr, "qorgau calendar show: %s\n", err.ptr);
		goto out;
	}
	const struct calendar *cal = deadlines_calendar();
	for (int64_t day = days_from_civil(y, 1, 1); day < days_from_civil(y + 1, 1, 1); day++) {
		const char *why = calendar_day_name(cal, day);
		char s[11];
		date_format(day, s);
		if (why && strcmp(why, "weekend"))
			printf("%s  off      %s\n", s, why);
		else if (!why && weekday_from_days(day) >= 5)
			printf("%s  working  (a transfer)\n", s);
	}
	status = 0;
out:
	deadlines_release();
	db_close(db);
	buf_release(&err);
	free(pos);
	config_release(&cfg);
	return status;
}

int cmd_calendar(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "import"))
		return calendar_import_cmd(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "show"))
		return calendar_show_cmd(argc - 1, argv + 1);
	int help = argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"));
	fprintf(help ? stdout : stderr, "Usage: qorgau calendar import FILE | show [--year YEAR]\n"
					"The working-day calendar legal deadlines are counted with.\n");
	if (!help && argc >= 1)
		fprintf(stderr, "qorgau calendar: unknown subcommand '%s'\n", argv[0]);
	return help ? 0 : 2;
}
