/*
 * Bench helper: fill a database with N appeals quickly (one transaction
 * per 20,000 rows), so reads and writes can be measured over a realistic
 * volume. Uses the program's own storage layer; not part of qorgau.
 *
 *   seed DATABASE_URL N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/time.h"
#include "db/db.h"
#include "domain/appeal.h"

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: seed DATABASE_URL N\n");
		return 2;
	}
	long n = atol(argv[2]);
	struct db *db;
	struct buf err = BUF_INIT;
	if (db_open(argv[1], DB_MODE_WRITE, 5000, &db, &err) != DB_OK) {
		fprintf(stderr, "seed: %s\n", err.ptr);
		return 1;
	}
	static const char *const cats[] = {"bullying", "physical_violence", "neglect", "family_conflict",
					   "psychological_support", "legal_question", "suicide_risk", "other"};
	static const char *const risks[] = {"low", "medium", "medium", "high", "critical"};
	int64_t now = time_now();
	unsigned seed = 12345;
	for (long i = 0; i < n; i++) {
		if (i % 20000 == 0 && db_begin_write(db) != DB_OK)
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
		if ((i + 1) % 20000 == 0 || i + 1 == n) {
			if (db_commit(db) != DB_OK)
				return 1;
		}
	}
	db_close(db);
	buf_release(&err);
	return 0;
}
