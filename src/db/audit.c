/* Typed accessors for the audit chain (db.h); the hashing rules live in domain/audit.c. */
#include "db/internal.h"

struct head {
	int64_t *last_id;
	unsigned char *hash;
	int found;
};

static int on_head(struct db_row *row, void *arg)
{
	struct head *h = arg;
	size_t len;
	const void *b = db_col_blob(row, 1, &len);
	*h->last_id = db_col_int(row, 0);
	memset(h->hash, 0, AUDIT_HASH_BYTES);
	if (b && len == AUDIT_HASH_BYTES)
		memcpy(h->hash, b, AUDIT_HASH_BYTES);
	h->found = 1;
	return 1;
}

int db_audit_head_get(struct db *db, int64_t *last_id, unsigned char hash[AUDIT_HASH_BYTES])
{
	struct head h = {last_id, hash, 0};
	int rc = db_run(db, STMT_AUDIT_HEAD_GET, NULL, 0, on_head, &h);
	return rc ? rc : h.found ? DB_OK : DB_NOTFOUND;
}

int db_audit_head_set(struct db *db, int64_t last_id, const unsigned char hash[AUDIT_HASH_BYTES])
{
	struct db_param p[] = {DBP_INT(last_id), DBP_BLOB(hash, AUDIT_HASH_BYTES)};
	return db_run(db, STMT_AUDIT_HEAD_SET, p, 2, NULL, NULL);
}

int db_audit_insert(struct db *db, const struct audit_row *r)
{
	struct db_param p[] = {
		DBP_INT(r->id),		 DBP_INT(r->at),	      DBP_ID(r->user_id),
		DBP_TEXT(r->role),	 DBP_TEXT(r->action),	      DBP_TEXT(r->resource),
		DBP_ID(r->resource_id),	 DBP_TEXT(r->client),	      DBP_TEXT(r->outcome),
		DBP_TEXT(r->detail),	 DBP_BLOB(r->prev_hash, AUDIT_HASH_BYTES), DBP_BLOB(r->hash, AUDIT_HASH_BYTES),
	};
	return db_run(db, STMT_AUDIT_INSERT, p, 12, NULL, NULL);
}

static void copy_hash(struct db_row *row, int col, unsigned char out[AUDIT_HASH_BYTES])
{
	size_t len;
	const void *b = db_col_blob(row, col, &len);
	memset(out, 0, AUDIT_HASH_BYTES);
	if (b)
		memcpy(out, b, len < AUDIT_HASH_BYTES ? len : AUDIT_HASH_BYTES);
}

static void read_audit(struct db_row *row, struct arena *a, void *out)
{
	struct audit_row *r = out;
	r->id = db_col_int(row, 0);
	r->at = db_col_int(row, 1);
	r->user_id = db_col_int(row, 2);
	r->role = db_col_strdup(row, 3, a);
	r->action = db_col_strdup(row, 4, a);
	r->resource = db_col_strdup(row, 5, a);
	r->resource_id = db_col_int(row, 6);
	r->client = db_col_strdup(row, 7, a);
	r->outcome = db_col_strdup(row, 8, a);
	r->detail = db_col_strdup(row, 9, a);
	copy_hash(row, 10, r->prev_hash);
	copy_hash(row, 11, r->hash);
	r->login = db_col_strdup(row, 12, a);
}

int db_audit_list(struct db *db, const struct audit_filter *f, struct arena *a, struct audit_row **items, size_t *n)
{
	struct db_param p[] = {
		DBP_INT(f->before_id),	       DBP_INT(f->user_id),	      DBP_TEXT(f->resource ? f->resource : ""),
		DBP_INT(f->resource_id),       DBP_TEXT(f->action ? f->action : ""), DBP_INT(f->from),
		DBP_INT(f->to),		       DBP_INT(f->limit > 0 ? f->limit : 50),
	};
	void *out;
	int rc = db_get_list(db, STMT_AUDIT_LIST, p, 8, read_audit, sizeof(**items), a, &out, n);
	*items = out;
	return rc;
}

int db_audit_walk(struct db *db, int64_t after_id, int limit, struct arena *a, struct audit_row **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_AUDIT_WALK, (struct db_param[]){DBP_INT(after_id), DBP_INT(limit)}, 2,
			     read_audit, sizeof(**items), a, &out, n);
	*items = out;
	return rc;
}

int db_audit_count(struct db *db, int64_t *n)
{
	return db_run_int(db, STMT_AUDIT_COUNT, NULL, 0, n);
}
