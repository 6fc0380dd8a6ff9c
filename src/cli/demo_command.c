/* qorgau demo [--scale N] [--seed S]: a living Abai region in a new database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/crypto.h"
#include "core/time.h"
#include "db/db.h"
#include "db/writer.h"
#include "domain/deadlines.h"
#include "domain/demo.h"
#include "domain/region.h"
#include "http/input.h"

struct init_job {
	char password[24];
	struct buf err;
};

static int run_init(struct db *db, struct write_job *job)
{
	struct init_job *ij = job->arg;
	return region_initialise(db, ij->password, sizeof(ij->password), &ij->err);
}

struct progress {
	int tty;
	uint64_t started;
	int last_pct;
	char stage[64];
	uint64_t stage_started;
};

/* A progress bar on a terminal, a line every tenth otherwise. */
static void show_progress(int64_t done, int64_t total, void *arg)
{
	struct progress *p = arg;
	if (!p->started || done == 1)
		p->started = time_mono_ns(); /* the rate of appeals, from the first */
	int pct = total ? (int)(done * 100 / total) : 100;
	double secs = (double)(time_mono_ns() - p->started) / 1e9;
	double rate = secs > 0 ? (double)done / secs : 0;
	if (p->tty) {
		char bar[41];
		int fill = pct * 40 / 100;
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(40 - fill));
		bar[40] = 0;
		fprintf(stderr, "\rappeals [%s] %3d%% %lld/%lld %.0f/s", bar, pct, (long long)done, (long long)total, rate);
		if (done == total)
			fputc('\n', stderr);
	} else if (pct / 10 != p->last_pct / 10 || done == total) {
		fprintf(stderr, "qorgau demo: appeals %lld/%lld (%d%%), %.0f/s\n", (long long)done, (long long)total, pct, rate);
	}
	p->last_pct = pct;
}

/* What the long steps after the appeals are, so that a big scale never looks stuck. */
static void show_stage(const char *what, void *arg)
{
	struct progress *p = arg;
	if (p->stage_started)
		fprintf(stderr, "qorgau demo: %s took %.1f s\n", p->stage, (double)(time_mono_ns() - p->stage_started) / 1e9);
	if (!what) {
		p->stage_started = 0;
		return;
	}
	snprintf(p->stage, sizeof(p->stage), "%s", what);
	p->stage_started = time_mono_ns();
	fprintf(stderr, "qorgau demo: %s…\n", what);
}

int cmd_demo(int argc, char **argv)
{
	const char *scale_text = NULL, *seed_text = NULL;
	const struct opt opts[] = {
		{"scale", "N", "N times the base region (1,100 appeals each); 910 makes about a million", &scale_text, NULL},
		{"seed", "S", "another seed gives another, equally plausible region (default 2026)", &seed_text, NULL},
		{0},
	};
	const struct command_spec spec = {
		"demo", NULL,
		"Fill a new database with a realistic, deterministic Abai region: organisations, one user per role,\n"
		"appeals since 2024, children and Meyirim mentors, lecturers, lessons and prevention events.\n"
		"Initialises the database first when it does not exist yet.",
		CFG_FOR_DATA, opts, 0, 0};
	struct config cfg;
	char **pos;
	int npos, status = 1, from, to;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	free(pos);
	struct demo_options o = {2026, 1, NULL, NULL, NULL};
	char *end;
	if (scale_text) {
		long v = strtol(scale_text, &end, 10);
		if (*end || end == scale_text || v < 1 || v > 10000) {
			fprintf(stderr, "qorgau demo: --scale: a whole number from 1 to 10000\n");
			config_release(&cfg);
			return 2;
		}
		o.scale = (int)v;
	}
	if (seed_text) {
		unsigned long long v = strtoull(seed_text, &end, 10);
		if (*end || end == seed_text || v == 0) {
			fprintf(stderr, "qorgau demo: --seed: a positive whole number\n");
			config_release(&cfg);
			return 2;
		}
		o.seed = v;
	}
	crypto_init();
	crypto_set_password_cost(cfg.password_cost);
	input_local_offset = cfg.utc_offset;
	deadlines_set_offset(cfg.utc_offset);
	struct buf err = BUF_INIT;
	struct init_job ij = {.err = BUF_INIT};
	struct db *db = NULL;
	char key_path[1024];
	if (db_open(cfg.database, DB_MODE_CREATE, cfg.db_busy_timeout_ms, &db, &err) != DB_OK) {
		fprintf(stderr, "qorgau demo: %s\n", err.ptr);
		goto out;
	}
	config_key_path(&cfg, key_path, sizeof(key_path));
	if (crypto_load_key(key_path, 1, &err) < 0 || db_migrate(db, &from, &to, &err) != DB_OK) {
		fprintf(stderr, "qorgau demo: %s\n", err.ptr);
		goto out;
	}
	struct write_job job = {.run = run_init, .arg = &ij};
	if (writer_run_now(db, &job) != DB_OK) {
		fprintf(stderr, "qorgau demo: %s\n", ij.err.len ? ij.err.ptr : db_errmsg(db));
		goto out;
	}
	if (deadlines_load(db, &err) != DB_OK) {
		fprintf(stderr, "qorgau demo: %s\n", err.ptr);
		goto out;
	}
	struct progress pr = {isatty(2), 0, -1, "", 0};
	o.progress = show_progress;
	o.stage = show_stage;
	o.arg = &pr;
	struct demo_result res;
	uint64_t t0 = time_mono_ns();
	if (demo_fill(db, &o, &res, &err) != DB_OK) {
		fprintf(stderr, "qorgau demo: %s\n", err.ptr);
		goto out;
	}
	double secs = (double)(time_mono_ns() - t0) / 1e9;
	printf("qorgau: demo region in %s: %lld appeals (%lld consultations, %lld referrals), %lld children "
	       "(%lld attached, %lld contacts), %lld lecturers, %lld lessons, %lld events, in %.1f s\n",
	       cfg.database, (long long)res.appeals, (long long)res.consultations, (long long)res.referrals,
	       (long long)res.children, (long long)res.mentorships, (long long)res.contacts, (long long)res.lecturers,
	       (long long)res.lessons, (long long)res.events, secs);
	printf("qorgau: children %.1f s, appeals %.1f s (%.0f appeals/s with their search terms, consultations, "
	       "referrals, report figures and indexes), prevention %.1f s\n",
	       res.children_secs, res.appeals_secs, res.appeals_secs > 0 ? (double)res.appeals / res.appeals_secs : 0,
	       res.prevention_secs);
	if (ij.password[0])
		printf("qorgau: administrator: login 'admin', one-time password '%s' (to be changed at the first sign-in)\n",
		       ij.password);
	printf("qorgau: demo accounts, all with the password '%s':\n", res.password);
	for (int i = 0; i < res.nlogins; i++)
		printf("  %-20s %s\n", res.logins[i].login, res.logins[i].role);
	status = 0;
out:
	db_close(db);
	deadlines_release();
	buf_release(&err);
	buf_release(&ij.err);
	config_release(&cfg);
	return status;
}
