/* Typed accessors for accounts (db.h). */
#include "db/internal.h"

static void read_user(struct db_row *row, struct arena *a, void *out)
{
	struct user *u = out;
	u->id = db_col_int(row, 0);
	u->login = db_col_strdup(row, 1, a);
	u->full_name = db_col_strdup(row, 2, a);
	u->role = db_col_strdup(row, 3, a);
	u->is_head = (int)db_col_int(row, 4);
	u->organisation_id = db_col_int(row, 5);
	u->district_id = db_col_int(row, 6);
	u->lang = db_col_strdup(row, 7, a);
	u->active = (int)db_col_int(row, 8);
	u->password_hash = db_col_strdup(row, 9, a);
	u->must_change_password = (int)db_col_int(row, 10);
	u->locked_until = db_col_int(row, 11);
	u->created_at = db_col_int(row, 12);
	u->updated_at = db_col_int(row, 13);
}

int db_user_insert(struct db *db, struct user *u)
{
	struct db_param p[] = {
		DBP_TEXT(u->login),
		DBP_TEXT(u->full_name),
		DBP_TEXT(u->role),
		DBP_INT(u->is_head),
		DBP_ID(u->organisation_id),
		DBP_ID(u->district_id),
		DBP_TEXT(u->lang ? u->lang : "kk"),
		DBP_INT(u->active),
		DBP_TEXT(u->password_hash),
		DBP_INT(u->must_change_password),
		DBP_INT(u->created_at),
	};
	return db_run_int(db, STMT_USER_INSERT, p, 11, &u->id);
}

int db_user_count(struct db *db, int64_t *n)
{
	return db_run_int(db, STMT_USER_COUNT, NULL, 0, n);
}

int db_user_count_role(struct db *db, const char *role, int64_t *n)
{
	return db_run_int(db, STMT_USER_COUNT_ROLE, (struct db_param[]){DBP_TEXT(role)}, 1, n);
}

int db_user_get(struct db *db, int64_t id, struct arena *a, struct user *out)
{
	return db_get_one(db, STMT_USER_GET, (struct db_param[]){DBP_INT(id)}, 1, read_user, a, out);
}

int db_user_get_by_login(struct db *db, const char *login, struct arena *a, struct user *out)
{
	return db_get_one(db, STMT_USER_GET_BY_LOGIN, (struct db_param[]){DBP_TEXT(login)}, 1, read_user, a, out);
}
