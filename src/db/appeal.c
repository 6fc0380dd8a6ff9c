/* Typed accessors for appeals, consultations, referrals and the calendar (db.h). */
#include "db/internal.h"

static void read_appeal(struct db_row *row, struct arena *a, void *out)
{
	struct appeal *p = out;
	int c = 0;
	p->id = db_col_int(row, c++);
	p->number = db_col_strdup(row, c++, a);
	p->channel = db_col_strdup(row, c++, a);
	p->kind = db_col_strdup(row, c++, a);
	p->applicant_type = db_col_strdup(row, c++, a);
	p->applicant_name = db_col_strdup(row, c++, a);
	p->applicant_phone = db_col_strdup(row, c++, a);
	p->applicant_lang = db_col_strdup(row, c++, a);
	p->child_id = db_col_int(row, c++);
	p->category = db_col_strdup(row, c++, a);
	p->risk = db_col_strdup(row, c++, a);
	p->prio = (int)db_col_int(row, c++);
	p->district_id = db_col_int(row, c++);
	p->summary = db_col_strdup(row, c++, a);
	p->summary_sealed = db_col_blobdup(row, c++, a, &p->summary_sealed_len);
	p->sensitive = (int)db_col_int(row, c++);
	p->received_at = db_col_int(row, c++);
	p->registered_on = db_col_strdup(row, c++, a);
	p->due_on = db_col_strdup(row, c++, a);
	p->status = db_col_strdup(row, c++, a);
	p->assignee_id = db_col_int(row, c++);
	p->extended_until = db_col_strdup(row, c++, a);
	p->extension_reason = db_col_strdup(row, c++, a);
	p->notify_by = db_col_strdup(row, c++, a);
	p->forwarded_to = db_col_int(row, c++);
	p->forward_due_on = db_col_strdup(row, c++, a);
	p->forwarded_on = db_col_strdup(row, c++, a);
	p->applicant_notified_on = db_col_strdup(row, c++, a);
	p->status_reason = db_col_strdup(row, c++, a);
	p->flagged = (int)db_col_int(row, c++);
	p->created_by = db_col_int(row, c++);
	p->created_org = db_col_int(row, c++);
	p->created_at = db_col_int(row, c++);
	p->updated_at = db_col_int(row, c++);
	p->resolved_on = db_col_strdup(row, c++, a);
}

int db_appeal_next_number(struct db *db, int year, int64_t *seq)
{
	return db_run_int(db, STMT_APPEAL_COUNTER_NEXT, (struct db_param[]){DBP_INT(year)}, 1, seq);
}

int db_appeal_counter_raise(struct db *db, int year, int64_t last)
{
	return db_run(db, STMT_APPEAL_COUNTER_RAISE, (struct db_param[]){DBP_INT(year), DBP_INT(last)}, 2, NULL, NULL);
}

void db_appeal_insert_params(const struct appeal *a, struct db_param p[APPEAL_INSERT_PARAMS])
{
	const struct db_param v[APPEAL_INSERT_PARAMS] = {
		DBP_TEXT(a->number),
		DBP_TEXT(a->channel),
		DBP_TEXT(a->kind),
		DBP_TEXT(a->applicant_type),
		DBP_TEXT(a->applicant_name),
		DBP_TEXT(a->applicant_phone),
		DBP_TEXT(a->applicant_lang),
		DBP_ID(a->child_id),
		DBP_TEXT(a->category),
		DBP_TEXT(a->risk),
		DBP_INT(a->prio),
		DBP_INT(a->district_id),
		DBP_TEXT(a->summary),
		a->summary_sealed ? DBP_BLOB(a->summary_sealed, a->summary_sealed_len) : DBP_NULL,
		DBP_INT(a->sensitive),
		DBP_INT(a->received_at),
		DBP_TEXT(a->registered_on),
		DBP_TEXT(a->due_on),
		DBP_TEXT(a->forward_due_on),
		DBP_ID(a->created_by),
		DBP_ID(a->created_org),
		DBP_INT(a->created_at),
		DBP_TEXT(a->status ? a->status : "registered"),
		DBP_ID(a->assignee_id),
		DBP_TEXT(a->resolved_on),
		DBP_TEXT(a->status_reason),
	};
	memcpy(p, v, sizeof(v));
}

int db_appeal_insert(struct db *db, struct appeal *a)
{
	struct db_param p[APPEAL_INSERT_PARAMS];
	db_appeal_insert_params(a, p);
	return db_run_int(db, STMT_APPEAL_INSERT, p, APPEAL_INSERT_PARAMS, &a->id);
}

int db_appeal_get(struct db *db, int64_t id, struct arena *ar, struct appeal *out)
{
	return db_get_one(db, STMT_APPEAL_GET, (struct db_param[]){DBP_INT(id)}, 1, read_appeal, ar, out);
}

int db_appeal_get_by_number(struct db *db, const char *number, struct arena *ar, struct appeal *out)
{
	return db_get_one(db, STMT_APPEAL_GET_BY_NUMBER, (struct db_param[]){DBP_TEXT(number)}, 1, read_appeal, ar, out);
}

int db_appeal_set_status(struct db *db, int64_t id, const char *status, const char *reason, int prio, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_TEXT(status), DBP_TEXT(reason), DBP_INT(prio), DBP_INT(now)};
	return db_run_one(db, STMT_APPEAL_SET_STATUS, p, 5);
}

int db_appeal_assign(struct db *db, int64_t id, int64_t assignee, const char *status, int prio, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_INT(assignee), DBP_TEXT(status), DBP_INT(prio), DBP_INT(now)};
	return db_run_one(db, STMT_APPEAL_ASSIGN, p, 5);
}

int db_appeal_extend(struct db *db, int64_t id, const char *until, const char *reason, const char *notify_by,
		     int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_TEXT(until), DBP_TEXT(reason), DBP_TEXT(notify_by), DBP_INT(now)};
	return db_run_one(db, STMT_APPEAL_EXTEND, p, 5);
}

int db_appeal_forward(struct db *db, int64_t id, int64_t org, const char *on, const char *reason, int prio,
		      int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_INT(org), DBP_TEXT(on), DBP_TEXT(reason), DBP_INT(prio), DBP_INT(now)};
	return db_run_one(db, STMT_APPEAL_FORWARD, p, 6);
}

int db_appeal_notified(struct db *db, int64_t id, const char *on, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_TEXT(on), DBP_INT(now)};
	return db_run_one(db, STMT_APPEAL_NOTIFIED, p, 3);
}

int db_appeal_flag(struct db *db, int64_t id, int flagged, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_INT(flagged), DBP_INT(now)};
	return db_run_one(db, STMT_APPEAL_FLAG, p, 3);
}

int db_appeal_set_child(struct db *db, int64_t id, int64_t child_id, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_ID(child_id), DBP_INT(now)};
	return db_run_one(db, STMT_APPEAL_SET_CHILD, p, 3);
}

/* The statement for a scope: list, search or count. */
static int scope_statement(const struct appeal_scope *s, int search, int count, enum db_stmt *out)
{
	static const enum db_stmt list[] = {0, STMT_APPEAL_LIST_REGION, STMT_APPEAL_LIST_DISTRICT,
					    STMT_APPEAL_LIST_ASSIGNEE, STMT_APPEAL_LIST_ORG, STMT_APPEAL_LIST_RECIPIENT,
					    STMT_APPEAL_LIST_PROSECUTOR};
	static const enum db_stmt find[] = {0, STMT_APPEAL_SEARCH_REGION, STMT_APPEAL_SEARCH_DISTRICT,
					    STMT_APPEAL_SEARCH_ASSIGNEE, STMT_APPEAL_SEARCH_ORG,
					    STMT_APPEAL_SEARCH_RECIPIENT, STMT_APPEAL_SEARCH_PROSECUTOR};
	static const enum db_stmt cnt[] = {0, STMT_APPEAL_COUNT_REGION, STMT_APPEAL_COUNT_DISTRICT,
					   STMT_APPEAL_COUNT_ASSIGNEE, STMT_APPEAL_COUNT_ORG, STMT_APPEAL_COUNT_RECIPIENT,
					   STMT_APPEAL_COUNT_PROSECUTOR};
	if (s->kind <= APPEAL_SCOPE_NONE || s->kind > APPEAL_SCOPE_PROSECUTOR)
		return -1;
	*out = count ? cnt[s->kind] : search ? find[s->kind] : list[s->kind];
	return 0;
}

/* Parameters shared by list, search and count; returns how many. */
static int filter_params(const struct appeal_scope *s, const struct appeal_filter *f, struct db_param *p, int search)
{
	int n = 0;
	p[n++] = DBP_TEXT(f->status ? f->status : "");
	p[n++] = DBP_TEXT(f->category ? f->category : "");
	p[n++] = DBP_INT(f->district_id);
	p[n++] = DBP_INT(f->assignee_id);
	p[n++] = DBP_INT(f->child_id);
	p[n++] = DBP_TEXT(f->due_from ? f->due_from : "");
	p[n++] = DBP_TEXT(f->due_to ? f->due_to : "");
	p[n++] = DBP_INT(f->has_cursor ? f->cursor_prio : -1);
	p[n++] = DBP_TEXT(f->has_cursor ? f->cursor_due : "");
	p[n++] = DBP_INT(f->has_cursor ? f->cursor_id : 0);
	p[n++] = DBP_INT(f->limit > 0 ? f->limit : 50);
	if (s->kind != APPEAL_SCOPE_REGION || search)
		p[n++] = DBP_INT(s->id);
	if (search) {
		/* Missing words repeat the first: intersecting a set with itself changes nothing. */
		for (int w = 0; w < 3; w++) {
			int src = w < f->nterm_words ? w : 0;
			p[n++] = DBP_INT(f->terms[src][0]);
			p[n++] = DBP_INT(f->terms[src][1]);
		}
	}
	return n;
}

int db_appeal_list(struct db *db, const struct appeal_scope *scope, const struct appeal_filter *f, struct arena *ar,
		   struct appeal **items, size_t *n)
{
	enum db_stmt st;
	int search = f->nterm_words > 0;
	*items = NULL;
	*n = 0;
	if (scope_statement(scope, search, 0, &st) < 0)
		return DB_OK; /* no scope: nothing to see */
	struct db_param p[20];
	int np = filter_params(scope, f, p, search);
	void *out;
	int rc = db_get_list(db, st, p, np, read_appeal, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_appeal_count(struct db *db, const struct appeal_scope *scope, const struct appeal_filter *f, int64_t *n)
{
	enum db_stmt st;
	*n = 0;
	if (scope_statement(scope, 0, 1, &st) < 0)
		return DB_OK;
	struct db_param p[20];
	int np = filter_params(scope, f, p, 0);
	return db_run_int(db, st, p, np, n);
}

int db_appeal_referred_to(struct db *db, int64_t appeal_id, int64_t org_id, int *yes)
{
	int64_t n = 0;
	int rc = db_run_int(db, STMT_APPEAL_REFERRED_TO_ORG, (struct db_param[]){DBP_INT(appeal_id), DBP_INT(org_id)}, 2,
			    &n);
	*yes = n > 0;
	return rc;
}

int db_appeal_term_add(struct db *db, int64_t appeal_id, int64_t term)
{
	return db_run(db, STMT_APPEAL_TERM_INSERT, (struct db_param[]){DBP_INT(term), DBP_INT(appeal_id)}, 2, NULL, NULL);
}

int db_appeal_term_remove(struct db *db, int64_t appeal_id, int64_t term)
{
	return db_run(db, STMT_APPEAL_TERM_DELETE, (struct db_param[]){DBP_INT(term), DBP_INT(appeal_id)}, 2, NULL, NULL);
}

int db_appeal_event_add(struct db *db, int64_t appeal_id, int64_t at, int64_t user_id, const char *action,
			const char *from_status, const char *to_status, const char *detail)
{
	struct db_param p[] = {DBP_INT(appeal_id),   DBP_INT(at),	     DBP_ID(user_id), DBP_TEXT(action),
			       DBP_TEXT(from_status), DBP_TEXT(to_status), DBP_TEXT(detail)};
	return db_run(db, STMT_APPEAL_EVENT_INSERT, p, 7, NULL, NULL);
}

static void read_event(struct db_row *row, struct arena *a, void *out)
{
	struct appeal_event *e = out;
	e->id = db_col_int(row, 0);
	e->at = db_col_int(row, 1);
	e->user_id = db_col_int(row, 2);
	e->user_name = db_col_strdup(row, 3, a);
	e->action = db_col_strdup(row, 4, a);
	e->from_status = db_col_strdup(row, 5, a);
	e->to_status = db_col_strdup(row, 6, a);
	e->detail = db_col_strdup(row, 7, a);
}

int db_appeal_events(struct db *db, int64_t appeal_id, struct arena *ar, struct appeal_event **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_APPEAL_EVENTS, (struct db_param[]){DBP_INT(appeal_id)}, 1, read_event,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

/* --- consultations --- */

static void read_consultation(struct db_row *row, struct arena *a, void *out)
{
	struct consultation *c = out;
	c->id = db_col_int(row, 0);
	c->appeal_id = db_col_int(row, 1);
	c->psychologist_id = db_col_int(row, 2);
	c->psychologist_name = db_col_strdup(row, 3, a);
	c->held_at = db_col_int(row, 4);
	c->duration_min = (int)db_col_int(row, 5);
	c->format = db_col_strdup(row, 6, a);
	c->participants = db_col_strdup(row, 7, a);
	c->notes_sealed = db_col_blobdup(row, 8, a, &c->notes_sealed_len);
	c->next_at = db_col_int(row, 9);
	c->created_at = db_col_int(row, 10);
}

int db_consultation_insert(struct db *db, struct consultation *c)
{
	struct db_param p[] = {
		DBP_INT(c->appeal_id),
		DBP_INT(c->psychologist_id),
		DBP_INT(c->held_at),
		DBP_INT(c->duration_min),
		DBP_TEXT(c->format),
		DBP_TEXT(c->participants),
		c->notes_sealed ? DBP_BLOB(c->notes_sealed, c->notes_sealed_len) : DBP_NULL,
		c->next_at ? DBP_INT(c->next_at) : DBP_NULL,
		DBP_INT(c->created_at),
	};
	return db_run_int(db, STMT_CONSULTATION_INSERT, p, 9, &c->id);
}

int db_consultation_list(struct db *db, int64_t appeal_id, struct arena *ar, struct consultation **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_CONSULTATION_LIST, (struct db_param[]){DBP_INT(appeal_id)}, 1, read_consultation,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_consultation_get(struct db *db, int64_t id, struct arena *ar, struct consultation *out)
{
	return db_get_one(db, STMT_CONSULTATION_GET, (struct db_param[]){DBP_INT(id)}, 1, read_consultation, ar, out);
}

/* --- referrals --- */

static void read_referral(struct db_row *row, struct arena *a, void *out)
{
	struct referral *r = out;
	r->id = db_col_int(row, 0);
	r->appeal_id = db_col_int(row, 1);
	r->to_org = db_col_int(row, 2);
	r->to_org_name = db_col_strdup(row, 3, a);
	r->reason = db_col_strdup(row, 4, a);
	r->consent = db_col_strdup(row, 5, a);
	r->legal_ground = db_col_strdup(row, 6, a);
	r->status = db_col_strdup(row, 7, a);
	r->due_on = db_col_strdup(row, 8, a);
	r->answer = db_col_strdup(row, 9, a);
	r->created_by = db_col_int(row, 10);
	r->created_at = db_col_int(row, 11);
	r->answered_by = db_col_int(row, 12);
	r->answered_at = db_col_int(row, 13);
	r->appeal_number = db_col_strdup(row, 14, a);
	r->to_org_name_ru = db_col_strdup(row, 15, a);
}

int db_referral_insert(struct db *db, struct referral *r)
{
	struct db_param p[] = {DBP_INT(r->appeal_id),	DBP_INT(r->to_org), DBP_TEXT(r->reason),
			       DBP_TEXT(r->consent),	DBP_TEXT(r->legal_ground), DBP_TEXT(r->due_on),
			       DBP_ID(r->created_by),	DBP_INT(r->created_at)};
	return db_run_int(db, STMT_REFERRAL_INSERT, p, 8, &r->id);
}

int db_referral_get(struct db *db, int64_t id, struct arena *ar, struct referral *out)
{
	return db_get_one(db, STMT_REFERRAL_GET, (struct db_param[]){DBP_INT(id)}, 1, read_referral, ar, out);
}

int db_referral_list_appeal(struct db *db, int64_t appeal_id, struct arena *ar, struct referral **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_REFERRAL_LIST_APPEAL, (struct db_param[]){DBP_INT(appeal_id)}, 1, read_referral,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_referral_list_to_org(struct db *db, int64_t org_id, const char *status, struct arena *ar,
			    struct referral **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_REFERRAL_LIST_TO_ORG,
			     (struct db_param[]){DBP_INT(org_id), DBP_TEXT(status ? status : "")}, 2, read_referral,
			     sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_referral_answer(struct db *db, int64_t id, const char *status, const char *answer, int64_t by, int64_t now)
{
	struct db_param p[] = {DBP_INT(id), DBP_TEXT(status), DBP_TEXT(answer), DBP_ID(by), DBP_INT(now)};
	return db_run_one(db, STMT_REFERRAL_ANSWER, p, 5);
}

int db_referral_open_count(struct db *db, int64_t appeal_id, int64_t *n)
{
	return db_run_int(db, STMT_REFERRAL_OPEN_COUNT, (struct db_param[]){DBP_INT(appeal_id)}, 1, n);
}

/* --- calendar and key check --- */

static void read_calendar(struct db_row *row, struct arena *a, void *out)
{
	struct calendar_row *c = out;
	c->day = db_col_strdup(row, 0, a);
	c->kind = db_col_strdup(row, 1, a);
	c->name = db_col_strdup(row, 2, a);
}

int db_calendar_list(struct db *db, struct arena *ar, struct calendar_row **items, size_t *n)
{
	void *out;
	int rc = db_get_list(db, STMT_CALENDAR_LIST, NULL, 0, read_calendar, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}

int db_calendar_clear(struct db *db)
{
	return db_run(db, STMT_CALENDAR_CLEAR, NULL, 0, NULL, NULL);
}

int db_calendar_insert(struct db *db, const char *day, const char *kind, const char *name)
{
	struct db_param p[] = {DBP_TEXT(day), DBP_TEXT(kind), DBP_TEXT(name)};
	return db_run(db, STMT_CALENDAR_INSERT, p, 3, NULL, NULL);
}

int db_calendar_bump(struct db *db, int64_t now)
{
	return db_run(db, STMT_CALENDAR_BUMP, (struct db_param[]){DBP_INT(now)}, 1, NULL, NULL);
}

int db_calendar_version(struct db *db, int64_t *version)
{
	return db_run_int(db, STMT_CALENDAR_VERSION, NULL, 0, version);
}

struct blob_out {
	struct arena *a;
	const void **p;
	size_t *len;
	int found;
};

static int on_blob(struct db_row *row, void *arg)
{
	struct blob_out *b = arg;
	*b->p = db_col_blobdup(row, 0, b->a, b->len);
	b->found = 1;
	return 1;
}

int db_key_check_get(struct db *db, struct arena *ar, const void **sealed, size_t *len)
{
	struct blob_out b = {ar, sealed, len, 0};
	*sealed = NULL;
	*len = 0;
	int rc = db_run(db, STMT_KEY_CHECK_GET, NULL, 0, on_blob, &b);
	return rc ? rc : b.found ? DB_OK : DB_NOTFOUND;
}

int db_key_check_set(struct db *db, const void *sealed, size_t len)
{
	return db_run(db, STMT_KEY_CHECK_SET, (struct db_param[]){DBP_BLOB(sealed, len)}, 1, NULL, NULL);
}

int db_appeal_stat_add(struct db *db, const char *day, int64_t district_id, const char *dim, const char *val,
		       int64_t n)
{
	struct db_param p[] = {DBP_TEXT(day), DBP_INT(district_id), DBP_TEXT(dim), DBP_TEXT(val ? val : ""), DBP_INT(n)};
	return db_run(db, STMT_APPEAL_STAT_ADD, p, 5, NULL, NULL);
}

int db_appeal_set_resolved(struct db *db, int64_t id, const char *day)
{
	return db_run_one(db, STMT_APPEAL_SET_RESOLVED, (struct db_param[]){DBP_INT(id), DBP_TEXT(day)}, 2);
}

static void read_stat(struct db_row *row, struct arena *a, void *out)
{
	struct stat_row *s = out;
	s->key = db_col_strdup(row, 0, a);
	s->key_id = db_col_int(row, 0);
	s->val = db_col_strdup(row, 1, a);
	s->n = db_col_int(row, 2);
}

int db_appeal_stats(struct db *db, enum appeal_stat_group group, const char *from, const char *to,
		    int64_t district_id, const char *dim, struct arena *ar, struct stat_row **items, size_t *n)
{
	enum db_stmt st = group == STAT_TOTALS ? (dim ? STMT_APPEAL_STAT_SUM : STMT_APPEAL_STAT_HEADLINE)
			  : group == STAT_BY_MONTH ? STMT_APPEAL_STAT_MONTHS
						   : STMT_APPEAL_STAT_DISTRICTS;
	struct db_param p[] = {DBP_TEXT(from), DBP_TEXT(to), DBP_INT(district_id), DBP_TEXT(dim ? dim : "")};
	void *out;
	int rc = db_get_list(db, st, p, 4, read_stat, sizeof(**items), ar, &out, n);
	*items = out;
	return rc;
}
