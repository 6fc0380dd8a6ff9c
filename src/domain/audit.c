/* Hash-chained audit rows: appending and verifying (audit.h). */
#include "domain/audit.h"

#include <sodium.h>
#include <string.h>

#include "core/arena.h"
#include "core/time.h"

static void put_u64(crypto_generichash_state *st, uint64_t v)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (56 - 8 * i));
	crypto_generichash_update(st, b, 8);
}

/* Length-prefixed, so field boundaries cannot be shifted; NULL differs from "". */
static void put_str(crypto_generichash_state *st, const char *s)
{
	if (!s) {
		put_u64(st, UINT64_MAX);
		return;
	}
	size_t n = strlen(s);
	put_u64(st, n);
	crypto_generichash_update(st, (const unsigned char *)s, n);
}

void audit_row_hash(const struct audit_row *r, unsigned char out[AUDIT_HASH_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, (const unsigned char *)"qorgau-audit-v1", 15, AUDIT_HASH_BYTES);
	crypto_generichash_update(&st, r->prev_hash, AUDIT_HASH_BYTES);
	put_u64(&st, (uint64_t)r->id);
	put_u64(&st, (uint64_t)r->at);
	put_u64(&st, (uint64_t)r->user_id);
	put_str(&st, r->role);
	put_str(&st, r->action);
	put_str(&st, r->resource);
	put_u64(&st, (uint64_t)r->resource_id);
	put_str(&st, r->client);
	put_str(&st, r->outcome);
	put_str(&st, r->detail);
	crypto_generichash_final(&st, out, AUDIT_HASH_BYTES);
}

int audit_append(struct db *db, const struct audit_event *ev, int64_t at)
{
	struct audit_row row;
	memset(&row, 0, sizeof(row));
	int64_t last_id;
	int rc = db_audit_head(db, &last_id, row.prev_hash);
	if (rc)
		return rc == DB_NOTFOUND ? DB_ERROR : rc;
	row.id = last_id + 1;
	row.at = at;
	row.user_id = ev->user_id;
	row.role = ev->role;
	row.action = ev->action;
	row.resource = ev->resource;
	row.resource_id = ev->resource_id;
	row.client = ev->client && *ev->client ? ev->client : NULL;
	row.outcome = ev->outcome ? ev->outcome : "ok";
	row.detail = ev->detail;
	audit_row_hash(&row, row.hash);
	if ((rc = db_audit_insert(db, &row)) != DB_OK)
		return rc;
	db_audit_head_advance(db, row.id, row.hash);
	return DB_OK;
}

int audit_record(struct db *db, const struct actor *who, const char *action, const char *resource,
		 int64_t resource_id, const char *detail)
{
	struct audit_event ev = {
		.user_id = who->user_id,
		.role = who->role,
		.action = action,
		.resource = resource,
		.resource_id = resource_id,
		.client = who->client,
		.outcome = "ok",
		.detail = detail,
	};
	return audit_append(db, &ev, time_now());
}

int audit_verify(struct db *db, struct audit_report *report)
{
	unsigned char expect_prev[AUDIT_HASH_BYTES] = {0};
	int64_t after = 0, expect_id = 1;
	memset(report, 0, sizeof(*report));
	for (;;) {
		struct arena a;
		struct audit_row *rows;
		size_t n;
		arena_init(&a);
		int rc = db_audit_walk(db, after, 1000, &a, &rows, &n);
		if (rc) {
			arena_release(&a);
			return rc;
		}
		for (size_t i = 0; i < n; i++) {
			const struct audit_row *r = &rows[i];
			unsigned char h[AUDIT_HASH_BYTES];
			const char *problem = NULL;
			if (r->id != expect_id)
				problem = r->id > expect_id ? "rows are missing before this one" : "row ids out of order";
			else if (memcmp(r->prev_hash, expect_prev, AUDIT_HASH_BYTES) != 0)
				problem = "its link to the previous row does not match";
			else {
				audit_row_hash(r, h);
				if (memcmp(h, r->hash, AUDIT_HASH_BYTES) != 0)
					problem = "its contents do not match its hash";
			}
			if (problem) {
				report->first_bad_id = r->id;
				report->problem = problem;
				arena_release(&a);
				return DB_OK;
			}
			memcpy(expect_prev, r->hash, AUDIT_HASH_BYTES);
			expect_id++;
			report->rows++;
			after = r->id;
		}
		arena_release(&a);
		if (n < 1000)
			break;
	}
	/* The head must point at the last row: rows cut off the end are detected here. */
	int64_t last_id;
	unsigned char head[AUDIT_HASH_BYTES];
	int rc = db_audit_head_get(db, &last_id, head);
	if (rc)
		return rc;
	if (last_id != expect_id - 1 || memcmp(head, expect_prev, AUDIT_HASH_BYTES) != 0) {
		report->first_bad_id = expect_id;
		report->problem = "the chain's head does not match its last row (rows removed from the end?)";
	}
	return DB_OK;
}
