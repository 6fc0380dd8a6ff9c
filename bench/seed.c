/*
 * Bench helper: fill a database quickly (one transaction per 20,000 rows),
 * so reads and writes can be measured over a realistic volume. Uses the
 * program's own storage layer; not part of qorgau.
 *
 *   seed DATABASE_URL N             N appeals
 *   seed DATABASE_URL children N    N children with realistic names
 *
 * Both are deterministic: the same N gives the same rows, so a bench can
 * name the children it looks for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/mem.h"
#include "core/time.h"
#include "db/db.h"
#include "domain/appeal.h"
#include "domain/child.h"
#include "domain/demo_names.h"
#include "text/utf8.h"

enum { SEED_BATCH = 20000 };

/* N appeals spread over 1000 days from 2024, every category, risk and district. */
static int seed_appeals(struct db *db, long n)
{
	static const char *const cats[] = {"bullying", "physical_violence", "neglect", "family_conflict",
					   "psychological_support", "legal_question", "suicide_risk", "other"};
	static const char *const risks[] = {"low", "medium", "medium", "high", "critical"};
	int64_t now = time_now();
	unsigned seed = 12345;
	for (long i = 0; i < n; i++) {
		if (i % SEED_BATCH == 0 && db_begin_write(db) != DB_OK)
			return 1;
		seed = seed * 1103515245u + 12345u;
		int64_t day = days_from_civil(2024, 1, 1) + (int64_t)(seed % 1000);
		char reg[11], due[11], number[48];
		date_format(day, reg);
		date_format(day + 21, due);
		int year, m, d;
		civil_from_days(day, &year, &m, &d);
		snprintf(number, sizeof(number), "B-%04d-%07ld", year, i + 1);
		struct appeal a = {0};
		a.number = number;
		a.channel = "helpline_111";
		a.kind = "report";
		a.applicant_type = "parent";
		a.applicant_name = "Bench Applicant";
		a.applicant_lang = "kk";
		a.category = cats[seed % 8];
		a.risk = risks[(seed >> 8) % 5];
		a.prio = appeal_prio("registered", a.risk, a.category);
		a.district_id = 1 + (int64_t)((seed >> 16) % 12);
		a.summary = "Бала мектепте қорқады";
		a.received_at = day * 86400;
		a.registered_on = reg;
		a.due_on = due;
		a.forward_due_on = reg;
		a.created_at = now;
		if (db_appeal_insert(db, &a) != DB_OK) {
			fprintf(stderr, "seed: %s\n", db_errmsg(db));
			return 1;
		}
		if ((i + 1) % SEED_BATCH == 0 || i + 1 == n) {
			if (db_commit(db) != DB_OK)
				return 1;
		}
	}
	return 0;
}
/*
 * N children over districts 1..12, born 2008–2025, every care status.
 * Each takes its own change number (child_meta.ver) as a registration
 * does, so the server's name index loads them all.
 */
static int seed_children(struct db *db, long n)
{
	uint64_t rng = 20250101;
	int64_t now = time_now();
	int64_t first = days_from_civil(2008, 1, 1), days = days_from_civil(2026, 1, 1) - first;
	struct demo_name nm = {BUF_INIT, BUF_INIT, BUF_INIT};
	struct arena ar;
	arena_init(&ar);
	for (long i = 0; i < n; i++) {
		if (i % SEED_BATCH == 0 && db_begin_write(db) != DB_OK)
			return 1;
		int female = (int)demo_pick(&rng, 2);
		buf_reset(&nm.surname);
		buf_reset(&nm.given);
		buf_reset(&nm.patronymic);
		demo_child_name(&rng, female, &nm);
		char birth[11];
		date_format(first + (int64_t)demo_pick(&rng, (size_t)days), birth);
		struct child c = {0};
		c.surname = nm.surname.ptr;
		c.given_name = nm.given.ptr;
		c.patronymic = nm.patronymic.ptr;
		c.birth_date = birth;
		c.sex = female ? "F" : "M";
		c.district_id = 1 + (int64_t)demo_pick(&rng, 12);
		c.care_status = demo_care_statuses[demo_pick(&rng, demo_ncare_statuses)];
		c.created_at = c.updated_at = now;
		child_set_keys(&c, &ar);
		if (db_child_next_ver(db, &c.ver) != DB_OK || db_child_insert(db, &c) != DB_OK) {
			fprintf(stderr, "seed: %s\n", db_errmsg(db));
			return 1;
		}
		if ((i + 1) % SEED_BATCH == 0 || i + 1 == n) {
			if (db_commit(db) != DB_OK)
				return 1;
			arena_release(&ar);
			arena_init(&ar);
		}
	}
	arena_release(&ar);
	buf_release(&nm.surname);
	buf_release(&nm.given);
	buf_release(&nm.patronymic);
	return 0;
}

int main(int argc, char **argv)
{
	int children = argc == 4 && strcmp(argv[2], "children") == 0;
	if (argc != 3 && !children) {
		fprintf(stderr, "usage: seed DATABASE_URL N\n       seed DATABASE_URL children N\n");
		return 2;
	}
	char *end;
	long n = strtol(argv[argc - 1], &end, 10);
	if (*end || n <= 0) {
		fprintf(stderr, "seed: N must be a positive number, not '%s'\n", argv[argc - 1]);
		return 2;
	}
	struct db *db;
	struct buf err = BUF_INIT;
	if (db_open(argv[1], DB_MODE_WRITE, 5000, &db, &err) != DB_OK) {
		fprintf(stderr, "seed: %s\n", err.ptr);
		return 1;
	}
	int rc = children ? seed_children(db, n) : seed_appeals(db, n);
	db_close(db);
	buf_release(&err);
	return rc;
}
