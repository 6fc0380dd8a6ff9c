/* Typed accessors for districts (db.h). */
#include "db/internal.h"

static void read_district(struct db_row *row, struct arena *a, void *out)
{
	struct district *d = out;
	d->id = db_col_int(row, 0);
	d->code = db_col_strdup(row, 1, a);
	d->name_kk = db_col_strdup(row, 2, a);
	d->name_ru = db_col_strdup(row, 3, a);
	d->name_en = db_col_strdup(row, 4, a);
	d->kind = db_col_strdup(row, 5, a);
	d->active = (int)db_col_int(row, 6);
}

int db_district_get(struct db *db, int64_t id, struct arena *a, struct district *out)
{
	return db_get_one(db, STMT_DISTRICT_GET, (struct db_param[]){DBP_INT(id)}, 1, read_district, a, out);
}

int db_district_list(struct db *db, struct arena *a, struct district **items, size_t *n)
{
	void *p;
	int rc = db_get_list(db, STMT_DISTRICT_LIST, NULL, 0, read_district, sizeof(**items), a, &p, n);
	*items = p;
	return rc;
}

int db_district_insert(struct db *db, struct district *d)
{
	struct db_param p[] = {DBP_TEXT(d->code), DBP_TEXT(d->name_kk), DBP_TEXT(d->name_ru),
			       DBP_TEXT(d->name_en), DBP_TEXT(d->kind), DBP_INT(d->active)};
	return db_run_int(db, STMT_DISTRICT_INSERT, p, 6, &d->id);
}

int db_district_count(struct db *db, int64_t *n)
{
	return db_run_int(db, STMT_DISTRICT_COUNT, NULL, 0, n);
}
