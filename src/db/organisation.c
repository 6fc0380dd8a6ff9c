/* Typed accessors for organisations (db.h). */
#include "db/internal.h"

static void read_org(struct db_row *row, struct arena *a, void *out)
{
	struct organisation *o = out;
	o->id = db_col_int(row, 0);
	o->name = db_col_strdup(row, 1, a);
	o->name_ru = db_col_strdup(row, 2, a);
	o->kind = db_col_strdup(row, 3, a);
	o->district_id = db_col_int(row, 4);
	o->phone = db_col_strdup(row, 5, a);
	o->address = db_col_strdup(row, 6, a);
	o->active = (int)db_col_int(row, 7);
	o->created_at = db_col_int(row, 8);
}

int db_org_insert(struct db *db, struct organisation *o)
{
	struct db_param p[] = {DBP_TEXT(o->name),    DBP_TEXT(o->name_ru), DBP_TEXT(o->kind),
			       DBP_ID(o->district_id), DBP_TEXT(o->phone),   DBP_TEXT(o->address),
			       DBP_INT(o->active),     DBP_INT(o->created_at)};
	return db_run_int(db, STMT_ORG_INSERT, p, 8, &o->id);
}

int db_org_update(struct db *db, const struct organisation *o)
{
	struct db_param p[] = {DBP_INT(o->id),	      DBP_TEXT(o->name),  DBP_TEXT(o->name_ru),
			       DBP_TEXT(o->kind),      DBP_ID(o->district_id), DBP_TEXT(o->phone),
			       DBP_TEXT(o->address),   DBP_INT(o->active)};
	int64_t changed = 0;
	int rc = db_run_changes(db, STMT_ORG_UPDATE, p, 8, &changed);
	return rc ? rc : changed ? DB_OK : DB_NOTFOUND;
}

int db_org_get(struct db *db, int64_t id, struct arena *a, struct organisation *out)
{
	return db_get_one(db, STMT_ORG_GET, (struct db_param[]){DBP_INT(id)}, 1, read_org, a, out);
}

int db_org_list(struct db *db, const char *kind, struct arena *a, struct organisation **items, size_t *n)
{
	void *p;
	int rc = db_get_list(db, STMT_ORG_LIST, (struct db_param[]){DBP_TEXT(kind ? kind : "")}, 1, read_org,
			     sizeof(**items), a, &p, n);
	*items = p;
	return rc;
}

int db_district_update(struct db *db, const struct district *d)
{
	struct db_param p[] = {DBP_INT(d->id),	  DBP_TEXT(d->name_kk), DBP_TEXT(d->name_ru),
			       DBP_TEXT(d->name_en), DBP_TEXT(d->kind),    DBP_INT(d->active)};
	int64_t changed = 0;
	int rc = db_run_changes(db, STMT_DISTRICT_UPDATE, p, 6, &changed);
	return rc ? rc : changed ? DB_OK : DB_NOTFOUND;
}
