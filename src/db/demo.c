/* Bulk loading of the demo region (db.h). */
#include "db/internal.h"

int db_demo_begin(struct db *db)
{
	int rc = db_run(db, STMT_DEMO_TEMPLATES_CREATE, NULL, 0, NULL, NULL);
	return rc ? rc : db_run(db, STMT_DEMO_APPEAL_TEMPLATES_CREATE, NULL, 0, NULL, NULL);
}

int db_demo_template_term(struct db *db, int tpl, int64_t term)
{
	return db_run(db, STMT_DEMO_TEMPLATE_TERM, (struct db_param[]){DBP_INT(tpl), DBP_INT(term)}, 2, NULL, NULL);
}

int db_demo_appeal_template(struct db *db, int64_t appeal_id, int tpl)
{
	return db_run(db, STMT_DEMO_APPEAL_TEMPLATE, (struct db_param[]){DBP_INT(appeal_id), DBP_INT(tpl)}, 2, NULL, NULL);
}

int db_demo_finish(struct db *db, int64_t now, int64_t head, int utc_offset, int64_t *consultations)
{
	int rc = db_run(db, STMT_DEMO_TERMS, NULL, 0, NULL, NULL);
	for (int k = 0; !rc && k < 2; k++)
		rc = db_run(db, STMT_DEMO_CONSULTATIONS, (struct db_param[]){DBP_INT(k), DBP_INT(now), DBP_INT(head)}, 3, NULL,
			    NULL);
	if (!rc)
		rc = db_run(db, STMT_DEMO_STAT_RECEIVED, NULL, 0, NULL, NULL);
	if (!rc)
		rc = db_run(db, STMT_DEMO_STAT_CONSULTATIONS, (struct db_param[]){DBP_INT(utc_offset)}, 1, NULL, NULL);
	if (!rc)
		rc = db_run_int(db, STMT_DEMO_CONSULTATION_COUNT, NULL, 0, consultations);
	if (!rc)
		rc = db_run(db, STMT_DEMO_TEMPLATES_DROP, NULL, 0, NULL, NULL);
	if (!rc)
		rc = db_run(db, STMT_DEMO_APPEAL_TEMPLATES_DROP, NULL, 0, NULL, NULL);
	return rc;
}
