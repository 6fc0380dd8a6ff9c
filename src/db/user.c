/* Typed accessors for accounts (db.h). */
#include "db/internal.h"

/* The user columns (USER_COLUMNS order) starting at column c. */
static void read_user_at(struct db_row *row, int c, struct arena *a, struct user *u)
{
	u->id = db_col_int(row, c);
	u->login = db_col_strdup(row, c + 1, a);
	u->full_name = db_col_strdup(row, c + 2, a);
	u->role = db_col_strdup(row, c + 3, a);
	u->is_head = (int)db_col_int(row, c + 4);
	u->organisation_id = db_col_int(row, c + 5);
	u->district_id = db_col_int(row, c + 6);
	u->lang = db_col_strdup(row, c + 7, a);
	u->active = (int)db_col_int(row, c + 8);
	u->password_hash = db_col_strdup(row, c + 9, a);
	u->must_change_password = (int)db_col_int(row, c + 10);
	u->locked_until = db_col_int(row, c + 11);
	u->created_at = db_col_int(row, c + 12);
	u->updated_at = db_col_int(row, c + 13);
}

static void read_user(struct db_row *row, struct arena *a, void *out)
{
	read_user_at(row, 0, a, out);
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

int db_user_list(struct db *db, struct arena *a, struct user **items, size_t *n)
{
	void *p;
	int rc = db_get_list(db, STMT_USER_LIST, NULL, 0, read_user, sizeof(**items), a, &p, n);
	*items = p;
	return rc;
}

int db_user_list_role(struct db *db, const char *role, struct arena *a, struct user **items, size_t *n)
{
	void *p;
	int rc = db_get_list(db, STMT_USER_LIST_ROLE, (struct db_param[]){DBP_TEXT(role)}, 1, read_user, sizeof(**items), a,
			     &p, n);
	*items = p;
	return rc;
}

int db_user_update(struct db *db, const struct user *u, int64_t now)
{
	struct db_param p[] = {DBP_INT(u->id),	       DBP_TEXT(u->full_name), DBP_TEXT(u->role),
			       DBP_INT(u->is_head),    DBP_ID(u->organisation_id), DBP_ID(u->district_id),
			       DBP_TEXT(u->lang),      DBP_INT(u->active),     DBP_INT(now)};
	int64_t changed = 0;
	int rc = db_run_changes(db, STMT_USER_UPDATE, p, 9, &changed);
	return rc ? rc : changed ? DB_OK : DB_NOTFOUND;
}

int db_user_set_password(struct db *db, int64_t id, const char *hash, int must_change, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_TEXT(hash), DBP_INT(must_change), DBP_INT(now)};
	int64_t changed = 0;
	int rc = db_run_changes(db, STMT_USER_SET_PASSWORD, p, 4, &changed);
	return rc ? rc : changed ? DB_OK : DB_NOTFOUND;
}

int db_user_set_lang(struct db *db, int64_t id, const char *lang, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_TEXT(lang), DBP_INT(now)};
	return db_run(db, STMT_USER_SET_LANG, p, 3, NULL, NULL);
}

int db_user_set_active(struct db *db, int64_t id, int active, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_INT(active), DBP_INT(now)};
	int64_t changed = 0;
	int rc = db_run_changes(db, STMT_USER_SET_ACTIVE, p, 3, &changed);
	return rc ? rc : changed ? DB_OK : DB_NOTFOUND;
}

int db_user_lock(struct db *db, int64_t id, int64_t until)
{
	return db_run(db, STMT_USER_LOCK, (struct db_param[]){DBP_INT(id), DBP_INT(until)}, 2, NULL, NULL);
}

/* --- sessions --- */

int db_session_insert(struct db *db, const unsigned char *token_hash, size_t hlen, int64_t user_id, const char *csrf,
		      int64_t now, const char *client, int64_t *id)
{
	struct db_param p[] = {DBP_BLOB(token_hash, hlen), DBP_INT(user_id), DBP_TEXT(csrf), DBP_INT(now),
			       DBP_TEXT(client)};
	return db_run_int(db, STMT_SESSION_INSERT, p, 5, id);
}

static void read_session(struct db_row *row, struct arena *a, void *out)
{
	struct session *s = out;
	s->id = db_col_int(row, 0);
	s->csrf = db_col_strdup(row, 1, a);
	s->created_at = db_col_int(row, 2);
	s->last_seen_at = db_col_int(row, 3);
	read_user_at(row, 4, a, &s->user);
}

int db_session_lookup(struct db *db, const unsigned char *token_hash, size_t hlen, struct arena *a,
		      struct session *out)
{
	return db_get_one(db, STMT_SESSION_LOOKUP, (struct db_param[]){DBP_BLOB(token_hash, hlen)}, 1, read_session, a,
			  out);
}

int db_session_touch(struct db *db, int64_t id, int64_t now)
{
	return db_run(db, STMT_SESSION_TOUCH, (struct db_param[]){DBP_INT(id), DBP_INT(now)}, 2, NULL, NULL);
}

int db_session_end(struct db *db, int64_t id, int64_t now)
{
	return db_run(db, STMT_SESSION_END, (struct db_param[]){DBP_INT(id), DBP_INT(now)}, 2, NULL, NULL);
}

int db_session_end_others(struct db *db, int64_t user_id, int64_t keep_id, int64_t now)
{
	struct db_param p[] = {DBP_INT(user_id), DBP_INT(keep_id), DBP_INT(now)};
	return db_run(db, STMT_SESSION_END_OTHERS, p, 3, NULL, NULL);
}

/* --- API tokens --- */

int db_token_insert(struct db *db, const unsigned char *token_hash, size_t hlen, int64_t user_id, const char *label,
		    int64_t now, int64_t expires_at, int64_t *id)
{
	struct db_param p[] = {DBP_BLOB(token_hash, hlen), DBP_INT(user_id), DBP_TEXT(label), DBP_INT(now),
			       expires_at ? DBP_INT(expires_at) : DBP_NULL};
	return db_run_int(db, STMT_TOKEN_INSERT, p, 5, id);
}

static void read_token_lookup(struct db_row *row, struct arena *a, void *out)
{
	struct api_token *t = out;
	t->id = db_col_int(row, 0);
	t->expires_at = db_col_int(row, 1);
	t->revoked_at = db_col_int(row, 2);
	read_user_at(row, 3, a, &t->user);
	t->login = t->user.login;
}

int db_token_lookup(struct db *db, const unsigned char *token_hash, size_t hlen, struct arena *a,
		    struct api_token *out)
{
	return db_get_one(db, STMT_TOKEN_LOOKUP, (struct db_param[]){DBP_BLOB(token_hash, hlen)}, 1, read_token_lookup,
			  a, out);
}

static void read_token_list(struct db_row *row, struct arena *a, void *out)
{
	struct api_token *t = out;
	t->id = db_col_int(row, 0);
	t->login = db_col_strdup(row, 1, a);
	t->label = db_col_strdup(row, 2, a);
	t->created_at = db_col_int(row, 3);
	t->expires_at = db_col_int(row, 4);
	t->revoked_at = db_col_int(row, 5);
}

int db_token_list(struct db *db, int64_t user_id, struct arena *a, struct api_token **items, size_t *n)
{
	void *p;
	int rc = db_get_list(db, STMT_TOKEN_LIST, (struct db_param[]){DBP_INT(user_id)}, 1, read_token_list,
			     sizeof(**items), a, &p, n);
	*items = p;
	return rc;
}

int db_token_revoke(struct db *db, int64_t id, int64_t now)
{
	int64_t changed = 0;
	int rc = db_run_changes(db, STMT_TOKEN_REVOKE, (struct db_param[]){DBP_INT(id), DBP_INT(now)}, 2, &changed);
	return rc ? rc : changed ? DB_OK : DB_NOTFOUND;
}

/* --- failed logins --- */

int db_login_failure_insert(struct db *db, const char *login, const char *client, int64_t at)
{
	struct db_param p[] = {DBP_TEXT(login), DBP_TEXT(client), DBP_INT(at)};
	return db_run(db, STMT_FAILURE_INSERT, p, 3, NULL, NULL);
}

int db_login_failure_count_login(struct db *db, const char *login, int64_t since, int64_t *n)
{
	return db_run_int(db, STMT_FAILURE_COUNT_LOGIN, (struct db_param[]){DBP_TEXT(login), DBP_INT(since)}, 2, n);
}

int db_login_failure_count_client(struct db *db, const char *client, int64_t since, int64_t *n)
{
	return db_run_int(db, STMT_FAILURE_COUNT_CLIENT, (struct db_param[]){DBP_TEXT(client), DBP_INT(since)}, 2, n);
}

int db_login_failure_clear(struct db *db, const char *login)
{
	return db_run(db, STMT_FAILURE_CLEAR_LOGIN, (struct db_param[]){DBP_TEXT(login)}, 1, NULL, NULL);
}

int db_login_failure_prune(struct db *db, int64_t before)
{
	return db_run(db, STMT_FAILURE_PRUNE, (struct db_param[]){DBP_INT(before)}, 1, NULL, NULL);
}

/* --- grants --- */

int db_grant_insert(struct db *db, int64_t user_id, const char *resource, int64_t resource_id, const char *reason,
		    int64_t now, int64_t expires_at, int64_t *id)
{
	struct db_param p[] = {DBP_INT(user_id), DBP_TEXT(resource), DBP_INT(resource_id),
			       DBP_TEXT(reason), DBP_INT(now),	     DBP_INT(expires_at)};
	return db_run_int(db, STMT_GRANT_INSERT, p, 6, id);
}

int db_grant_check(struct db *db, int64_t user_id, const char *resource, int64_t resource_id, int64_t now, int *ok)
{
	int64_t n = 0;
	struct db_param p[] = {DBP_INT(user_id), DBP_TEXT(resource), DBP_INT(resource_id), DBP_INT(now)};
	int rc = db_run_int(db, STMT_GRANT_CHECK, p, 4, &n);
	*ok = n > 0;
	return rc;
}
