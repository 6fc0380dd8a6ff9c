/*
 * The tamper-evident audit log. Each row's hash is BLAKE2b-256 over the
 * previous row's hash and the row's own fields, so editing, deleting,
 * inserting or reordering rows breaks the chain from that row on.
 *
 * audit_append() runs inside a write transaction (a writer job), so the
 * row is durable exactly when the change it records is.
 */
#ifndef QORGAU_DOMAIN_AUDIT_H
#define QORGAU_DOMAIN_AUDIT_H

#include <stdint.h>

#include "core/buf.h"
#include "db/db.h"

struct audit_event {
	int64_t user_id; /* 0 when nobody is signed in */
	const char *role;
	const char *action;   /* login, login_failed, logout, create, update, read, break_glass, … */
	const char *resource; /* user, session, appeal, child, … */
	int64_t resource_id;
	const char *client;
	const char *outcome; /* ok, denied, failed */
	const char *detail;  /* short, never personal data or secrets */
};

/* Append one row; at is the event time (Unix seconds). */
int audit_append(struct db *db, const struct audit_event *ev, int64_t at);

/* Who acts: the signed-in user (or a command-line operator, user_id 0). */
struct actor {
	int64_t user_id;
	const char *role;
	const char *client; /* address, or "cli" */
};

/* Record a successful action by who on a resource, now. */
int audit_record(struct db *db, const struct actor *who, const char *action, const char *resource,
		 int64_t resource_id, const char *detail);

/* Compute a row's hash from its fields and prev_hash. */
void audit_row_hash(const struct audit_row *row, unsigned char out[AUDIT_HASH_BYTES]);

struct audit_report {
	int64_t rows;
	int64_t first_bad_id; /* 0 when the chain is intact */
	const char *problem;  /* what is wrong with that row */
};

/* Walk the whole chain; DB_OK with report->first_bad_id == 0 when intact. */
int audit_verify(struct db *db, struct audit_report *report);

#endif
