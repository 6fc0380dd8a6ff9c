/*
 * The one database interface. Everything above src/db/ talks to storage
 * through the functions declared here; sqlite.c and pg.c implement the
 * backend operations behind them, and one file per entity holds that
 * entity's typed accessors (db_<entity>_<verb>).
 *
 * Connections are not shared between threads: each event-loop thread opens
 * its own read connection, the writer thread (writer.h) owns the write
 * connection, and a command-line command opens one for itself.
 *
 * Status codes: every accessor returns DB_OK (0) or one of enum db_status.
 * DB_FULL, DB_IO and DB_UNAVAILABLE mean "try again later" (HTTP 503);
 * DB_CONSTRAINT means the data broke a uniqueness or reference rule (409).
 *
 * Strings returned by accessors are copied into the caller's arena and live
 * as long as it does.
 */
#ifndef QORGAU_DB_DB_H
#define QORGAU_DB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"

enum db_status {
	DB_OK = 0,
	DB_NOTFOUND,    /* no such row */
	DB_CONSTRAINT,  /* unique, foreign key or check constraint */
	DB_BUSY,        /* locked or serialisation failure; retry */
	DB_FULL,        /* disk full */
	DB_IO,          /* I/O error */
	DB_UNAVAILABLE, /* server unreachable (PostgreSQL) */
	DB_ERROR,       /* anything else: a bug or a corrupt database */
};

enum db_backend { DB_SQLITE, DB_PG };

/* How a connection will be used. */
enum db_mode {
	DB_MODE_READ,   /* loop-thread reads: SQLite query_only */
	DB_MODE_WRITE,  /* the writer: durable commits */
	DB_MODE_CREATE, /* init: may create the SQLite file */
};

struct db;

/*
 * Open a connection to url ("sqlite:PATH" or "postgresql://…").
 * On failure returns non-zero with a message for a person in err.
 */
int db_open(const char *url, enum db_mode mode, int busy_timeout_ms, struct db **out, struct buf *err);
void db_close(struct db *db);
enum db_backend db_backend(const struct db *db);
/* The last error's message from the backend (for logs, never for users). */
const char *db_errmsg(const struct db *db);
/* A short English name for a status, e.g. "constraint". */
const char *db_status_name(int status);
/* Whether status means "temporarily unable", i.e. an HTTP 503. */
int db_status_is_unavailable(int status);

/* Transactions. begin_write takes the write lock at once (SQLite IMMEDIATE). */
int db_begin(struct db *db);
int db_begin_write(struct db *db);
int db_commit(struct db *db);
int db_rollback(struct db *db);
int db_savepoint(struct db *db);
int db_savepoint_release(struct db *db);
int db_savepoint_rollback(struct db *db);
/*
 * Bulk loading (the demo): commits stop waiting for the disk and the
 * cache grows; off again restores durable commits. Never for real data.
 */
int db_bulk_load(struct db *db, int on);
/*
 * Drop a table's secondary indexes for a bulk load, but those named in keep
 * (NULL-terminated; NULL for none), keeping their statements in saved; remake them after.
 */
int db_bulk_drop_indexes(struct db *db, const char *table, const char *const *keep, struct arena *ar,
			 struct buf *saved);
int db_bulk_restore_indexes(struct db *db, const struct buf *saved);
/* Counts transactions begun on this connection (lets caches know a new one started). */
uint64_t db_tx_serial(const struct db *db);

/* --- schema --- */

/* Schema version stored in the database; 0 when not initialised. */
int db_schema_version(struct db *db, int *version);
/* Newest schema version this program knows. */
int db_schema_latest(void);
/* Apply pending migrations, each in its own transaction. */
int db_migrate(struct db *db, int *from, int *to, struct buf *err);
/*
 * Check that the schema is exactly what this program expects; on a
 * mismatch, explain in err (newer database: refuse; older: run migrate).
 */
int db_check_schema(struct db *db, struct buf *err);
/*
 * Copy the database into a new file at path (SQLite online backup: a
 * consistent snapshot while the server writes), or, with restore, copy the
 * file at path into this (empty) database. PostgreSQL: an error pointing
 * to pg_dump.
 */
int db_backup(struct db *db, const char *path, int restore, struct buf *err);
/* SQLite's integrity check ("ok" in report when sound; PostgreSQL: always ok). */
int db_integrity_check(struct db *db, struct buf *report);
/* Size of the database in bytes (file pages or pg_database_size). */
int db_size_bytes(struct db *db, int64_t *bytes);

/* --- districts --- */

struct district {
	int64_t id;
	const char *code; /* stable short code, e.g. "semey" */
	const char *name_kk;
	const char *name_ru;
	const char *name_en;
	const char *kind; /* city or district */
	int active;
};

int db_district_get(struct db *db, int64_t id, struct arena *a, struct district *out);
/* All districts ordered by name_kk; *items in the arena. */
int db_district_list(struct db *db, struct arena *a, struct district **items, size_t *n);
/* Insert; sets d->id. DB_CONSTRAINT when the code is taken. */
int db_district_insert(struct db *db, struct district *d);
int db_district_count(struct db *db, int64_t *n);

/* --- users --- */

struct user {
	int64_t id;
	const char *login;
	const char *full_name;
	const char *role; /* role_name() text */
	int is_head;
	int64_t organisation_id; /* 0 = none */
	int64_t district_id;     /* 0 = the whole region */
	const char *lang;        /* kk, ru or en */
	int active;
	const char *password_hash;
	int must_change_password;
	int64_t locked_until;
	int64_t created_at;
	int64_t updated_at;
};

/* Insert; sets u->id. created_at is used for both times. DB_CONSTRAINT when the login is taken. */
int db_user_insert(struct db *db, struct user *u);
int db_user_count(struct db *db, int64_t *n);
/* Active users with this role. */
int db_user_count_role(struct db *db, const char *role, int64_t *n);
int db_user_get(struct db *db, int64_t id, struct arena *a, struct user *out);
int db_user_get_by_login(struct db *db, const char *login, struct arena *a, struct user *out);
int db_user_list(struct db *db, struct arena *a, struct user **items, size_t *n);
/* Active users with a role, by name. */
int db_user_list_role(struct db *db, const char *role, struct arena *a, struct user **items, size_t *n);
/* Update the profile fields (not login or password); sets updated_at. */
int db_user_update(struct db *db, const struct user *u, int64_t now);
int db_user_set_password(struct db *db, int64_t id, const char *hash, int must_change, int64_t now);
int db_user_set_lang(struct db *db, int64_t id, const char *lang, int64_t now);
int db_user_set_active(struct db *db, int64_t id, int active, int64_t now);
int db_user_lock(struct db *db, int64_t id, int64_t until);

/* --- sessions and API tokens --- */

struct session {
	int64_t id;
	const char *csrf;
	int64_t created_at;
	int64_t last_seen_at;
	struct user user;
};

/* Insert; returns the new id in *id. token_hash is TOKEN_HASH_BYTES long. */
int db_session_insert(struct db *db, const unsigned char *token_hash, size_t hlen, int64_t user_id, const char *csrf,
		      int64_t now, const char *client, int64_t *id);
/* The open (not ended) session with this token hash. */
int db_session_lookup(struct db *db, const unsigned char *token_hash, size_t hlen, struct arena *a,
		      struct session *out);
int db_session_touch(struct db *db, int64_t id, int64_t now);
int db_session_end(struct db *db, int64_t id, int64_t now);
/* End every open session of the user except keep_id (0: all). */
int db_session_end_others(struct db *db, int64_t user_id, int64_t keep_id, int64_t now);

struct api_token {
	int64_t id;
	const char *login;
	const char *label;
	int64_t created_at;
	int64_t expires_at; /* 0 = never */
	int64_t revoked_at; /* 0 = valid */
	struct user user;   /* filled by lookup only */
};

int db_token_insert(struct db *db, const unsigned char *token_hash, size_t hlen, int64_t user_id, const char *label,
		    int64_t now, int64_t expires_at, int64_t *id);
int db_token_lookup(struct db *db, const unsigned char *token_hash, size_t hlen, struct arena *a,
		    struct api_token *out);
/* Tokens of one user, or of everyone when user_id is 0. */
int db_token_list(struct db *db, int64_t user_id, struct arena *a, struct api_token **items, size_t *n);
/* DB_NOTFOUND when there is no such valid token. */
int db_token_revoke(struct db *db, int64_t id, int64_t now);

/* --- failed logins and break-the-glass grants --- */

int db_login_failure_insert(struct db *db, const char *login, const char *client, int64_t at);
int db_login_failure_count_login(struct db *db, const char *login, int64_t since, int64_t *n);
int db_login_failure_count_client(struct db *db, const char *client, int64_t since, int64_t *n);
int db_login_failure_clear(struct db *db, const char *login);
int db_login_failure_prune(struct db *db, int64_t before);

int db_grant_insert(struct db *db, int64_t user_id, const char *resource, int64_t resource_id, const char *reason,
		    int64_t now, int64_t expires_at, int64_t *id);
/* 1 in *ok when the user holds a live grant for the record. */
int db_grant_check(struct db *db, int64_t user_id, const char *resource, int64_t resource_id, int64_t now, int *ok);

/* --- organisations --- */

struct organisation {
	int64_t id;
	const char *name; /* as the organisation writes it (usually Kazakh) */
	const char *name_ru;
	const char *kind;
	int64_t district_id;
	const char *phone;
	const char *address;
	int active;
	int64_t created_at;
};

int db_org_insert(struct db *db, struct organisation *o);
int db_org_update(struct db *db, const struct organisation *o);
int db_org_get(struct db *db, int64_t id, struct arena *a, struct organisation *out);
/* All organisations, or those of one kind (kind NULL or ""). */
int db_org_list(struct db *db, const char *kind, struct arena *a, struct organisation **items, size_t *n);
int db_district_update(struct db *db, const struct district *d);

/* --- the audit chain (rules in domain/audit.c) --- */

enum { AUDIT_HASH_BYTES = 32 };

struct audit_row {
	int64_t id;
	int64_t at;
	int64_t user_id; /* 0 = nobody signed in */
	const char *role;
	const char *action;
	const char *resource;
	int64_t resource_id;
	const char *client;
	const char *outcome;
	const char *detail;
	unsigned char prev_hash[AUDIT_HASH_BYTES];
	unsigned char hash[AUDIT_HASH_BYTES];
	const char *login; /* joined for display */
};

struct audit_filter {
	int64_t before_id; /* keyset cursor: rows with smaller ids; 0 = newest */
	int64_t user_id;
	const char *resource;
	int64_t resource_id;
	const char *action;
	int64_t from; /* at >= from */
	int64_t to;   /* at < to */
	int limit;
};

/*
 * The chain head for appending in the current transaction: read (and on
 * PostgreSQL locked) once per transaction, then kept in memory; the
 * advanced head is written to the table when the transaction commits.
 */
int db_audit_head(struct db *db, int64_t *last_id, unsigned char hash[AUDIT_HASH_BYTES]);
void db_audit_head_advance(struct db *db, int64_t last_id, const unsigned char hash[AUDIT_HASH_BYTES]);
/* The chain head as stored, locked for this transaction on PostgreSQL. */
int db_audit_head_get(struct db *db, int64_t *last_id, unsigned char hash[AUDIT_HASH_BYTES]);
int db_audit_head_set(struct db *db, int64_t last_id, const unsigned char hash[AUDIT_HASH_BYTES]);
int db_audit_insert(struct db *db, const struct audit_row *row);
int db_audit_list(struct db *db, const struct audit_filter *f, struct arena *a, struct audit_row **items, size_t *n);
/* Rows with id > after_id, oldest first, at most limit. */
int db_audit_walk(struct db *db, int64_t after_id, int limit, struct arena *a, struct audit_row **items, size_t *n);
int db_audit_count(struct db *db, int64_t *n);

/* --- appeals --- */

struct appeal {
	int64_t id;
	const char *number;
	const char *channel;
	const char *kind;
	const char *applicant_type;
	const char *applicant_name;
	const char *applicant_phone;
	const char *applicant_lang;
	int64_t child_id;
	const char *category;
	const char *risk;
	int prio;
	int64_t district_id;
	const char *summary;        /* NULL when sealed */
	const void *summary_sealed; /* sealed summary (sensitive) */
	size_t summary_sealed_len;
	int sensitive;
	int64_t received_at;
	const char *registered_on;
	const char *due_on;
	const char *status;
	int64_t assignee_id;
	const char *extended_until;
	const char *extension_reason;
	const char *notify_by;
	int64_t forwarded_to;
	const char *forward_due_on;
	const char *forwarded_on;
	const char *applicant_notified_on;
	const char *status_reason;
	int flagged;
	int64_t created_by;
	int64_t created_org;
	int64_t created_at;
	int64_t updated_at;
	const char *resolved_on; /* the day it was resolved, NULL if not (or before 0005) */
};

/* Which appeals a caller's list covers (see domain/appeal.c for who gets which). */
enum appeal_scope_kind {
	APPEAL_SCOPE_NONE,
	APPEAL_SCOPE_REGION,
	APPEAL_SCOPE_DISTRICT,   /* id = district */
	APPEAL_SCOPE_ASSIGNEE,   /* id = user: a psychologist's own */
	APPEAL_SCOPE_ORG,        /* id = organisation: registered by it (schools) */
	APPEAL_SCOPE_RECIPIENT,  /* id = organisation: referred to it */
	APPEAL_SCOPE_PROSECUTOR, /* id = organisation: referred to it, or about violence */
};

struct appeal_scope {
	enum appeal_scope_kind kind;
	int64_t id;
};

struct appeal_filter {
	const char *status; /* NULL/"" any, "open", or one status */
	const char *category;
	int64_t district_id;
	int64_t assignee_id;
	int64_t child_id;
	const char *due_from; /* YYYY-MM-DD, inclusive */
	const char *due_to;
	int nterm_words;      /* search: words (at most 3), each with two terms */
	int64_t terms[3][2];
	/* keyset cursor: rows after (prio, due_on, id) in list order */
	int has_cursor;
	int cursor_prio;
	char cursor_due[11];
	int64_t cursor_id;
	int limit;
};

int db_appeal_next_number(struct db *db, int year, int64_t *seq);
/* Insert (status registered); sets a->id. */
/* Insert with the status, assignee and resolution day a->… say (register: "registered", none). */
int db_appeal_insert(struct db *db, struct appeal *a);
/* Raise a year's number counter to at least last (bulk loads). */
int db_appeal_counter_raise(struct db *db, int year, int64_t last);
int db_appeal_get(struct db *db, int64_t id, struct arena *ar, struct appeal *out);
int db_appeal_get_by_number(struct db *db, const char *number, struct arena *ar, struct appeal *out);
int db_appeal_set_status(struct db *db, int64_t id, const char *status, const char *reason, int prio, int64_t now);
int db_appeal_assign(struct db *db, int64_t id, int64_t assignee, const char *status, int prio, int64_t now);
int db_appeal_extend(struct db *db, int64_t id, const char *until, const char *reason, const char *notify_by,
		     int64_t now);
int db_appeal_forward(struct db *db, int64_t id, int64_t org, const char *on, const char *reason, int prio,
		      int64_t now);
int db_appeal_notified(struct db *db, int64_t id, const char *on, int64_t now);
int db_appeal_flag(struct db *db, int64_t id, int flagged, int64_t now);
int db_appeal_set_child(struct db *db, int64_t id, int64_t child_id, int64_t now);
int db_appeal_list(struct db *db, const struct appeal_scope *scope, const struct appeal_filter *f, struct arena *ar,
		   struct appeal **items, size_t *n);
int db_appeal_count(struct db *db, const struct appeal_scope *scope, const struct appeal_filter *f, int64_t *n);
/* Whether a live referral of the appeal goes to the organisation. */
int db_appeal_referred_to(struct db *db, int64_t appeal_id, int64_t org_id, int *yes);
int db_appeal_term_add(struct db *db, int64_t appeal_id, int64_t term);
/* Report figures: add n to a day's count (dim "received" with val "", "category", "channel", "risk", "resolved", "consultation"). */
int db_appeal_stat_add(struct db *db, const char *day, int64_t district_id, const char *dim, const char *val,
		       int64_t n);
int db_appeal_set_resolved(struct db *db, int64_t id, const char *day);
struct stat_row {
	const char *key; /* month (YYYY-MM), or dim for totals */
	int64_t key_id;  /* district, for STAT_BY_DISTRICT */
	const char *val;
	int64_t n;
};
enum appeal_stat_group { STAT_TOTALS, STAT_BY_MONTH, STAT_BY_DISTRICT };
/*
 * Sums over days [from, to] and a district (0 = all): totals by (dim, val) of
 * one dim (NULL: the headline dims received, resolved, consultation), or one
 * dim by month or district.
 */
int db_appeal_stats(struct db *db, enum appeal_stat_group group, const char *from, const char *to,
		    int64_t district_id, const char *dim, struct arena *ar, struct stat_row **items, size_t *n);
/* Terms are removed one by one: the index is keyed by term (the old text says which). */
int db_appeal_term_remove(struct db *db, int64_t appeal_id, int64_t term);

struct appeal_event {
	int64_t id;
	int64_t at;
	int64_t user_id;
	const char *user_name;
	const char *action;
	const char *from_status;
	const char *to_status;
	const char *detail;
};

int db_appeal_event_add(struct db *db, int64_t appeal_id, int64_t at, int64_t user_id, const char *action,
			const char *from_status, const char *to_status, const char *detail);
int db_appeal_events(struct db *db, int64_t appeal_id, struct arena *ar, struct appeal_event **items, size_t *n);

struct consultation {
	int64_t id;
	int64_t appeal_id;
	int64_t psychologist_id;
	const char *psychologist_name;
	int64_t held_at;
	int duration_min;
	const char *format;
	const char *participants;
	const void *notes_sealed;
	size_t notes_sealed_len;
	int64_t next_at; /* 0 = none */
	int64_t created_at;
};

int db_consultation_insert(struct db *db, struct consultation *c);
int db_consultation_list(struct db *db, int64_t appeal_id, struct arena *ar, struct consultation **items, size_t *n);
int db_consultation_get(struct db *db, int64_t id, struct arena *ar, struct consultation *out);

struct referral {
	int64_t id;
	int64_t appeal_id;
	int64_t to_org;
	const char *to_org_name, *to_org_name_ru; /* the organisation's name, and its Russian one (read only) */
	const char *reason;
	const char *consent;
	const char *legal_ground;
	const char *status;
	const char *due_on;
	const char *answer;
	int64_t created_by;
	int64_t created_at;
	int64_t answered_by;
	int64_t answered_at;
	const char *appeal_number;
};

int db_referral_insert(struct db *db, struct referral *r);
int db_referral_get(struct db *db, int64_t id, struct arena *ar, struct referral *out);
int db_referral_list_appeal(struct db *db, int64_t appeal_id, struct arena *ar, struct referral **items, size_t *n);
int db_referral_list_to_org(struct db *db, int64_t org_id, const char *status, struct arena *ar,
			    struct referral **items, size_t *n);
int db_referral_answer(struct db *db, int64_t id, const char *status, const char *answer, int64_t by, int64_t now);
int db_referral_open_count(struct db *db, int64_t appeal_id, int64_t *n);

/* --- the calendar and the key check --- */

struct calendar_row {
	const char *day;
	const char *kind;
	const char *name;
};

int db_calendar_list(struct db *db, struct arena *ar, struct calendar_row **items, size_t *n);
/* Replace every entry (inside the caller's transaction) and bump the version. */
int db_calendar_clear(struct db *db);
int db_calendar_insert(struct db *db, const char *day, const char *kind, const char *name);
int db_calendar_bump(struct db *db, int64_t now);
int db_calendar_version(struct db *db, int64_t *version);
int db_key_check_get(struct db *db, struct arena *ar, const void **sealed, size_t *len);
int db_key_check_set(struct db *db, const void *sealed, size_t len);

/* --- children --- */

struct child {
	int64_t id;
	const char *surname;
	const char *given_name;
	const char *patronymic;
	int64_t iin_hash; /* 0 = no IIN */
	const void *iin_sealed;
	size_t iin_sealed_len;
	const char *birth_date;
	const char *sex; /* "M", "F" or NULL */
	int64_t district_id;
	const char *care_status;
	const char *institution;
	const char *guardian_name;
	const char *guardian_phone;
	const char *school;
	const char *notes;
	const char *surname_key;
	const char *given_key;
	const char *patronymic_key;
	int64_t merged_into;
	int64_t ver;
	int64_t created_by;
	int64_t created_at;
	int64_t updated_at;
	/* the active attachment, if any (read only) */
	int64_t mentorship_id;
	int64_t organisation_id;
	const char *organisation_name, *organisation_name_ru;
};

enum child_scope_kind {
	CHILD_SCOPE_NONE,
	CHILD_SCOPE_REGION,
	CHILD_SCOPE_DISTRICT, /* id = district */
	CHILD_SCOPE_ORG,      /* id = organisation: children attached to it now */
	CHILD_SCOPE_OWN,      /* id = user: children of the appeals assigned to them */
};

struct child_scope {
	enum child_scope_kind kind;
	int64_t id;
};

/*
 * Where a page of a list in the order of children's names ended: the last
 * row's name keys and id (a child's, or an attachment's). A rename between
 * two pages moves that row, not the place the next page starts from.
 */
struct name_cursor {
	int set;
	char surname_key[64];
	char given_key[64];
	int64_t id;
};

struct child_filter {
	const char *care_status; /* NULL/"" any */
	int64_t district_id;
	const char *attached; /* NULL/"" any, "yes", "no" */
	struct name_cursor after;
	int limit;
};

/* What the name index keeps of a child (domain/child_index.c). */
struct child_key_row {
	int64_t id;
	const char *surname_key;
	const char *given_key;
	const char *patronymic_key;
	const char *birth_date;
	int64_t district_id;
	const char *care_status;
	int64_t merged_into;
	int64_t ver;
	int64_t organisation_id;
	const char *surname; /* as written: the index folds them for typo tolerance */
	const char *given_name;
	const char *patronymic;
};

/* Take the next change number (orders changes for the name index). */
int db_child_next_ver(struct db *db, int64_t *ver);
int db_child_meta_ver(struct db *db, int64_t *ver);
int db_child_insert(struct db *db, struct child *c);
/* Every field but the id, history and merge state; DB_NOTFOUND if merged away. */
int db_child_update(struct db *db, const struct child *c);
int db_child_set_ver(struct db *db, int64_t id, int64_t ver);
int db_child_get(struct db *db, int64_t id, struct arena *ar, struct child *out);
int db_child_by_iin(struct db *db, int64_t iin_hash, struct arena *ar, struct child *out);
int db_child_list(struct db *db, const struct child_scope *scope, const struct child_filter *f, struct arena *ar,
		  struct child **items, size_t *n);
int db_child_changes(struct db *db, int64_t after_ver, int limit, struct arena *ar, struct child_key_row **items,
		     size_t *n);
int db_child_of_assignee(struct db *db, int64_t child_id, int64_t user_id, int *yes);
/* The children of the appeals assigned to a user. */
int db_child_ids_of_assignee(struct db *db, int64_t user_id, struct arena *ar, int64_t **ids, size_t *n);
/* Merge: from's appeals and attachments move to into; from keeps its history and points at into. */
int db_child_merge(struct db *db, int64_t from, int64_t into, int64_t ver, int64_t now);
int db_child_set_iin(struct db *db, int64_t id, int64_t iin_hash, const void *sealed, size_t sealed_len);
int db_child_unattached(struct db *db, int64_t district_id, int limit, struct arena *ar, struct child **items,
			size_t *n);

struct child_event {
	int64_t id;
	int64_t at;
	int64_t user_id;
	const char *user_name;
	const char *action;
	const char *detail;
};

int db_child_event_add(struct db *db, int64_t child_id, int64_t at, int64_t user_id, const char *action,
		       const char *detail);
int db_child_events(struct db *db, int64_t child_id, struct arena *ar, struct child_event **items, size_t *n);

/* --- Meyirim: attachments, mentors, goals, contacts --- */

struct mentorship {
	int64_t id;
	int64_t child_id;
	const char *child_surname;
	const char *child_given_name;
	const char *child_patronymic;
	int64_t child_district_id;
	const char *child_care_status;
	int64_t organisation_id;
	const char *organisation_name;
	const char *organisation_name_ru;
	const char *organisation_kind;
	const char *started_on;
	const char *ended_on; /* NULL while active */
	const char *end_reason;
	const char *last_contact_on;
	int64_t created_by;
	int64_t created_at;
	int64_t goals; /* goals not dropped */
	const char *child_surname_key, *child_given_key; /* the list's order */
};

/* Which attachments a list covers: 0 = any. */
struct mentorship_scope {
	int64_t district_id;
	int64_t organisation_id;
};

int db_mentorship_insert(struct db *db, struct mentorship *m);
int db_mentorship_get(struct db *db, int64_t id, struct arena *ar, struct mentorship *out);
int db_mentorship_of_child(struct db *db, int64_t child_id, struct arena *ar, struct mentorship **items, size_t *n);
int db_mentorship_end(struct db *db, int64_t id, const char *on, const char *reason, int64_t now);
int db_mentorship_contacted(struct db *db, int64_t id, const char *on, int64_t now);
/*
 * state: NULL/"" all, "active", "ended". A page in the order of the
 * children's names, after the place after names (NULL or unset: the first page).
 */
int db_mentorship_list(struct db *db, const struct mentorship_scope *s, const char *state,
		       const struct name_cursor *after, int limit, struct arena *ar, struct mentorship **items, size_t *n);
/* The same rows in id order, those after after_id (an export's pages). */
int db_mentorship_export(struct db *db, const struct mentorship_scope *s, const char *state, int64_t after_id,
			 int limit, struct arena *ar, struct mentorship **items, size_t *n);
/* Active attachments with no contact since `since` (YYYY-MM-DD). */
int db_mentorship_no_contact(struct db *db, const struct mentorship_scope *s, const char *since, int limit,
			     struct arena *ar, struct mentorship **items, size_t *n);
int db_mentorship_no_goal(struct db *db, const struct mentorship_scope *s, int limit, struct arena *ar,
			  struct mentorship **items, size_t *n);

struct mentor {
	int64_t id;
	int64_t mentorship_id;
	const char *name;
	const char *position;
	const char *phone;
	int active;
};

int db_mentor_insert(struct db *db, struct mentor *m, int64_t now);
int db_mentor_list(struct db *db, int64_t mentorship_id, struct arena *ar, struct mentor **items, size_t *n);
int db_mentor_set_active(struct db *db, int64_t mentorship_id, int64_t id, int active);

struct goal {
	int64_t id;
	int64_t mentorship_id;
	const char *area;
	const char *description;
	const char *status;
	const char *agreed_on;
	const char *reached_on;
	int64_t created_by;
	int64_t updated_at;
};

struct goal_note {
	int64_t id;
	int64_t goal_id;
	int64_t at;
	int64_t user_id;
	const char *user_name;
	const char *status; /* the status it moved to, if it moved */
	const char *note;
};

int db_goal_insert(struct db *db, struct goal *g);
int db_goal_get(struct db *db, int64_t id, struct arena *ar, struct goal *out);
int db_goal_list(struct db *db, int64_t mentorship_id, struct arena *ar, struct goal **items, size_t *n);
int db_goal_set_status(struct db *db, int64_t id, const char *status, const char *reached_on, int64_t now);
int db_goal_note_add(struct db *db, int64_t goal_id, int64_t at, int64_t user_id, const char *status,
		     const char *note);
/* Every note on every goal of an attachment, oldest first. */
int db_goal_notes(struct db *db, int64_t mentorship_id, struct arena *ar, struct goal_note **items, size_t *n);

struct mentor_contact {
	int64_t id;
	int64_t mentorship_id;
	const char *contact_on;
	const char *kind;
	const char *participants;
	const char *notes;
	const char *next_step;
	int64_t created_by;
	const char *created_by_name;
	int64_t created_at;
};

int db_contact_insert(struct db *db, struct mentor_contact *k);
/* Newest first. */
int db_contact_list(struct db *db, int64_t mentorship_id, int limit, struct arena *ar, struct mentor_contact **items,
		    size_t *n);

/* A figure broken down by a key: text key (kind, month, area) or an id (district). */
struct figure_row {
	const char *key;
	int64_t key_id;
	int64_t n;
	int64_t m; /* a second figure where there is one (goals reached) */
};

enum campaign_figure { CAMPAIGN_BY_KIND, CAMPAIGN_BY_KIND_AT, CAMPAIGN_BY_DISTRICT, CAMPAIGN_CONTACTS_BY_MONTH,
		       CAMPAIGN_GOALS };
/* since: for contacts by month, the first day counted; for BY_KIND_AT, the day the figures stood on (YYYY-MM-DD). */
int db_campaign_figure(struct db *db, enum campaign_figure which, const struct mentorship_scope *s, const char *since,
		       struct arena *ar, struct figure_row **items, size_t *n);

/* --- the prevention programme --- */

struct school {
	int64_t id; /* the organisation */
	const char *name, *name_ru;
	const char *kind; /* school or college */
	int64_t district_id;
	int active;
	int64_t pupils;
	int in_programme;
	const char *programme_since;
	int64_t coordinator_id; /* a school user of it, 0 = none */
};

/* in_programme: NULL/"" any, "yes", "no". */
int db_school_list(struct db *db, int64_t district_id, int64_t org_id, const char *in_programme, struct arena *ar,
		   struct school **items, size_t *n);
int db_school_get(struct db *db, int64_t id, struct arena *ar, struct school *out);
int db_school_profile_set(struct db *db, int64_t id, int64_t pupils, int in_programme, const char *since, int64_t now);

struct lecturer {
	int64_t id;
	const char *full_name;
	const char *agency;
	const char *position;
	const char *phone;
	const char *email;
	int64_t user_id;
	int64_t created_at;
	/* the latest approval (0 / NULL when none) */
	int64_t approval_id;
	const char *order_number;
	const char *order_date;
	const char *valid_until;
	int64_t revoked_at;
	const char *revoke_reason;
};

int db_lecturer_insert(struct db *db, struct lecturer *l, int64_t by, int64_t now);
int db_lecturer_update(struct db *db, const struct lecturer *l, int64_t now);
int db_lecturer_get(struct db *db, int64_t id, struct arena *ar, struct lecturer *out);
int db_lecturer_by_user(struct db *db, int64_t user_id, struct arena *ar, struct lecturer *out);
int db_lecturer_by_feed(struct db *db, const void *hash, size_t len, struct arena *ar, struct lecturer *out);
int db_lecturer_list(struct db *db, struct arena *ar, struct lecturer **items, size_t *n);
int db_lecturer_set_feed(struct db *db, int64_t id, const void *hash, size_t len, int64_t now);
/* Whether an approval, not revoked, runs until day (YYYY-MM-DD) or later. */
int db_lecturer_approved_on(struct db *db, int64_t id, const char *day, int *yes);

struct approval {
	int64_t id;
	const char *order_number;
	const char *order_date;
	const char *valid_until;
	int64_t approved_by;
	const char *approved_by_name;
	int64_t approved_at;
	int64_t revoked_at;
	const char *revoke_reason;
};

int db_approval_insert(struct db *db, int64_t lecturer_id, const char *order_number, const char *order_date,
		       const char *valid_until, int64_t by, int64_t now, int64_t *id);
/* Revoke every live approval of a lecturer; DB_NOTFOUND when there is none. */
int db_approval_revoke(struct db *db, int64_t lecturer_id, int64_t by, const char *reason, int64_t now);
int db_approval_list(struct db *db, int64_t lecturer_id, struct arena *ar, struct approval **items, size_t *n);

struct lesson {
	int64_t id;
	int64_t school_id;
	const char *school_name, *school_name_ru;
	int64_t district_id;
	int64_t lecturer_id;
	const char *lecturer_name;
	const char *lecturer_agency;
	int64_t starts_at;
	int64_t ends_at;
	const char *lesson_on;
	const char *class_name;
	const char *class_key; /* write only */
	const char *topic;
	int64_t planned_pupils;
	const char *status;
	const char *cancel_reason;
	int64_t attended; /* -1 = not recorded */
	const char *note;
	const char *feedback;
	int64_t confirmed_at;
	int64_t sequence;
	int64_t created_at;
	int flagged; /* planned, and no approval covers its day */
};

struct lesson_filter {
	int64_t school_id, lecturer_id, district_id;
	int64_t from, to; /* Unix seconds: starts in [from, to) */
	const char *status;
	int limit;
};

int db_lesson_insert(struct db *db, struct lesson *l, int64_t by, int64_t now);
int db_lesson_get(struct db *db, int64_t id, struct arena *ar, struct lesson *out);
int db_lesson_list(struct db *db, const struct lesson_filter *f, struct arena *ar, struct lesson **items, size_t *n);
/* How many other lessons (not cancelled, not `except`) of the lecturer, or of the class, overlap [start, end). */
int db_lesson_overlaps(struct db *db, const struct lesson *l, int64_t except, int64_t *lecturer, int64_t *klass);
int db_lesson_reschedule(struct db *db, const struct lesson *l, int64_t now);
int db_lesson_outcome(struct db *db, int64_t id, const char *status, int64_t attended, const char *note,
		      const char *cancel_reason, int64_t now);
int db_lesson_feedback(struct db *db, int64_t id, const char *feedback, int64_t now);
int db_lesson_confirm(struct db *db, int64_t id, int64_t now);

struct prevention_event {
	int64_t id;
	const char *title;
	const char *kind;
	const char *held_on;
	int64_t district_id;
	const char *place;
	const char *organiser;
	int64_t organisation_id;
	const char *target_group;
	int64_t participants;
	const char *partners;
	const char *note;
	int64_t created_by;
	int64_t created_at;
};

int db_event_insert(struct db *db, struct prevention_event *e, int64_t now);
int db_event_update(struct db *db, const struct prevention_event *e, int64_t now);
int db_event_get(struct db *db, int64_t id, struct arena *ar, struct prevention_event *out);
/* district, org: 0 = any. */
int db_event_list(struct db *db, int64_t district_id, int64_t org_id, const char *from, const char *to, int limit,
		  struct arena *ar, struct prevention_event **items, size_t *n);
/* The same, newest first, those before (before_day, before_id): an export's pages. */
int db_event_export(struct db *db, int64_t district_id, int64_t org_id, const char *from, const char *to,
		    const char *before_day, int64_t before_id, int limit, struct arena *ar, struct prevention_event **items,
		    size_t *n);

/* Coverage of the programme: a key (text or id) and up to four figures. */
struct coverage_row {
	const char *key;
	int64_t key_id;
	int64_t a, b, c, d;
};

enum coverage_figure {
	COVERAGE_SCHOOLS,      /* by district: schools, in the programme, with a held lesson, pupils */
	COVERAGE_BY_DISTRICT,  /* lessons planned, held, cancelled, pupils reached */
	COVERAGE_BY_TOPIC,
	COVERAGE_BY_MONTH,
	COVERAGE_LECTURERS,    /* by agency: lecturers, lessons held */
	COVERAGE_EVENTS,       /* by kind: events, participants */
};

int db_coverage(struct db *db, enum coverage_figure which, int64_t from, int64_t to, const char *from_day,
		const char *to_day, int64_t district_id, struct arena *ar, struct coverage_row **items, size_t *n);

/* --- report figures (reports/summary) --- */

struct summary {
	int64_t appeals_received, appeals_resolved, appeals_overdue, consultations_held;
	int64_t prevention_events, event_participants, schools_covered, lessons_held, pupils_reached;
	int64_t children_attached, children_without_recent_contact;
};

/* Open appeals due before today: in a district and/or registered by an organisation (0 = any). */
int db_report_overdue(struct db *db, const char *today, int64_t district_id, int64_t org_id, int64_t *n);
int db_report_org_appeals(struct db *db, int64_t org_id, const char *from, const char *to, int64_t *received,
			  int64_t *resolved);
int db_report_events(struct db *db, const char *from, const char *to, int64_t district_id, int64_t org_id,
		     int64_t *events, int64_t *participants);
int db_report_lessons(struct db *db, int64_t from, int64_t to, int64_t district_id, int64_t school_id, int64_t *held,
		      int64_t *pupils, int64_t *schools);
/* Attached now, and not contacted since `since` (YYYY-MM-DD). */
int db_report_attached(struct db *db, const char *since, int64_t district_id, int64_t org_id, int64_t *attached,
		       int64_t *no_contact);
/* The same as it stood at the end of day `at` (YYYY-MM-DD, gone by), from the rows. */
int db_report_attached_at(struct db *db, const char *since, const char *at, int64_t district_id, int64_t org_id,
			  int64_t *attached, int64_t *no_contact);

/* --- bulk loading of the demo region (domain/demo.c) --- */

/*
 * A bulk writer: rows of one table, written many to a statement. The loader
 * gives the ids (db_bulk_id is the table's next when opened). parent: the
 * writer of the rows these refer to, written first where the database checks
 * references at once (PostgreSQL). Only for a bulk load (db_bulk_load).
 */
enum db_bulk_table {
	BULK_CHILD,
	BULK_MENTORSHIP,
	BULK_MENTOR,
	BULK_GOAL,
	BULK_CONTACT,
	BULK_APPEAL,
	BULK_APPEAL_TERM,
	BULK_APPEAL_EVENT,
	BULK_CONSULTATION,
	BULK_APPEAL_STAT,
	BULK_REFERRAL,
	BULK_TABLES
};
struct db_bulk;
int db_bulk_open(struct db *db, enum db_bulk_table t, struct db_bulk *parent, struct db_bulk **out);
/* The next id not yet given in this table. */
int64_t db_bulk_id(struct db_bulk *b);
/* Writes what waits (unless !write: after a failure) and frees; NULL is fine. */
int db_bulk_close(struct db_bulk *b, int write);
int db_bulk_child(struct db_bulk *b, const struct child *c);
/* m->child_district_id and m->last_contact_on go in as given. */
int db_bulk_mentorship(struct db_bulk *b, const struct mentorship *m);
int db_bulk_mentor(struct db_bulk *b, const struct mentor *m, int64_t now);
int db_bulk_goal(struct db_bulk *b, const struct goal *g);
int db_bulk_contact(struct db_bulk *b, const struct mentor_contact *k);
int db_bulk_appeal(struct db_bulk *b, const struct appeal *a);
int db_bulk_term(struct db_bulk *b, int64_t term, int64_t appeal_id);
int db_bulk_appeal_event(struct db_bulk *b, int64_t appeal_id, int64_t at, int64_t user_id, const char *action,
			 const char *from_status, const char *to_status);
/*
 * The same with its detail ("user=ID" of an assignment, "referral=ID
 * organisation=ID", …, as domain/appeal.c writes them), so the appeal page
 * names the psychologist and the organisation.
 */
int db_bulk_appeal_event_detail(struct db_bulk *b, int64_t appeal_id, int64_t at, int64_t user_id, const char *action,
				const char *from_status, const char *to_status, const char *detail);
int db_bulk_consultation(struct db_bulk *b, const struct consultation *c);
/* r->status and r->answer as given; answered_at 0 for none. */
int db_bulk_referral(struct db_bulk *b, const struct referral *r);
int db_bulk_stat(struct db_bulk *b, const char *day, int64_t district_id, const char *dim, const char *val, int64_t n);
/* The children's change number, past ver (the last the loader gave). */
int db_demo_child_ver(struct db *db, int64_t ver);

#endif
