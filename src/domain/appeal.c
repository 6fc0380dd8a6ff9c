/* Appeals: values, the state machine, scopes and changes (appeal.h). */
#include "domain/appeal.h"

#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/time.h"
#include "domain/deadlines.h"
#include "text/stem.h"

const char *const appeal_channels[] = {"helpline_111", "phone", "walk_in", "online", "letter", "school", NULL};
const char *const appeal_kinds[] = {"application", "complaint", "proposal", "request", "response", "report", NULL};
const char *const applicant_types[] = {"child", "parent", "guardian", "teacher", "other", "anonymous", NULL};
const char *const appeal_categories[] = {"bullying",	    "physical_violence", "sexual_violence",
					 "neglect",	    "family_conflict",	 "suicide_risk",
					 "psychological_support", "legal_question", "other", NULL};
const char *const appeal_risks[] = {"low", "medium", "high", "critical", NULL};
const char *const appeal_statuses[] = {"registered", "assigned", "in_progress", "referred",
				       "resolved",   "closed",	 "rejected",	NULL};
const char *const consultation_formats[] = {"in_person", "phone", "online", NULL};
const char *const referral_consents[] = {"given", "not_required", NULL};
const char *const referral_answers[] = {"accepted", "rejected", "done", "revoked", NULL};

static int is(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

int appeal_is_open(const char *status)
{
	return is(status, "registered") || is(status, "assigned") || is(status, "in_progress") || is(status, "referred");
}

int appeal_is_critical(const char *risk, const char *category)
{
	return is(risk, "critical") || is(category, "suicide_risk") || is(category, "sexual_violence");
}

int appeal_risk_rank(const char *risk)
{
	return is(risk, "critical") ? 4 : is(risk, "high") ? 3 : is(risk, "medium") ? 2 : 1;
}

int appeal_prio(const char *status, const char *risk, const char *category)
{
	return (appeal_is_open(status) ? 100 : 0) + (appeal_is_critical(risk, category) ? 10 : 0) + appeal_risk_rank(risk);
}

int appeal_anonymous_allowed(const char *category, const char *risk)
{
	return is(category, "physical_violence") || is(category, "sexual_violence") || is(category, "suicide_risk") ||
	       is(category, "neglect") || is(category, "bullying") || is(risk, "high") || is(risk, "critical");
}

int appeal_next_states(const char *status, int may_reopen, const char *next[8])
{
	int n = 0;
	if (is(status, "registered")) {
		next[n++] = "rejected";
	} else if (is(status, "assigned")) {
		next[n++] = "in_progress";
		next[n++] = "rejected";
	} else if (is(status, "in_progress")) {
		next[n++] = "referred";
		next[n++] = "resolved";
		next[n++] = "rejected";
	} else if (is(status, "referred")) {
		next[n++] = "in_progress";
		next[n++] = "resolved";
	} else if (is(status, "resolved")) {
		next[n++] = "closed";
		if (may_reopen)
			next[n++] = "in_progress";
	} else if (is(status, "closed")) {
		if (may_reopen)
			next[n++] = "in_progress";
	}
	return n;
}

struct appeal_scope appeal_scope_for(const struct appeal_viewer *v)
{
	struct appeal_scope s = {APPEAL_SCOPE_NONE, 0};
	switch (v->scope) {
	case SCOPE_REGION:
		s.kind = APPEAL_SCOPE_REGION;
		break;
	case SCOPE_DISTRICT:
		s.kind = APPEAL_SCOPE_DISTRICT;
		s.id = v->district_id;
		break;
	case SCOPE_OWN:
		s.kind = APPEAL_SCOPE_ASSIGNEE;
		s.id = v->user_id;
		break;
	case SCOPE_ORG:
		/* What "its organisation's appeals" means depends on the role. */
		s.id = v->organisation_id;
		if (v->role == ROLE_SCHOOL)
			s.kind = APPEAL_SCOPE_ORG;
		else if (v->role == ROLE_PROSECUTOR)
			s.kind = APPEAL_SCOPE_PROSECUTOR;
		else
			s.kind = APPEAL_SCOPE_RECIPIENT;
		if (!s.id)
			s.kind = APPEAL_SCOPE_NONE;
		break;
	default:
		break;
	}
	return s;
}

int appeal_visible(struct db *db, const struct appeal_viewer *v, const struct appeal *a, int64_t now, int *yes,
		   int *by_grant)
{
	struct appeal_scope s = appeal_scope_for(v);
	int referred = 0, rc;
	*yes = 0;
	*by_grant = 0;
	switch (s.kind) {
	case APPEAL_SCOPE_REGION:
		*yes = 1;
		break;
	case APPEAL_SCOPE_DISTRICT:
		*yes = a->district_id == s.id;
		break;
	case APPEAL_SCOPE_ASSIGNEE:
		*yes = a->assignee_id == s.id;
		break;
	case APPEAL_SCOPE_ORG:
		*yes = a->created_org == s.id;
		break;
	case APPEAL_SCOPE_PROSECUTOR:
		if (is(a->category, "physical_violence") || is(a->category, "sexual_violence")) {
			*yes = 1;
			break;
		}
		/* Or referred to the prosecutor's office: */
		/* fall through */
	case APPEAL_SCOPE_RECIPIENT:
		if ((rc = db_appeal_referred_to(db, a->id, s.id, &referred)) != DB_OK)
			return rc;
		*yes = referred;
		break;
	default:
		break;
	}
	if (*yes || !v->user_id)
		return DB_OK;
	/* Outside the scope: a live break-the-glass grant opens this one record. */
	int granted = 0;
	if ((rc = db_grant_check(db, v->user_id, "appeal", a->id, now, &granted)) != DB_OK)
		return rc;
	*yes = *by_grant = granted;
	return DB_OK;
}

static void day_of(int64_t t, int offset, char out[11])
{
	int64_t local = t + offset;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	date_format(days, out);
}

void appeal_dates(const struct calendar *cal, int64_t received_at, int utc_offset, char registered_on[11],
		  char due_on[11], char forward_due_on[11])
{
	char received[11];
	int64_t day;
	day_of(received_at, utc_offset, received);
	date_to_days(received, &day);
	/* Received on a day off: registered on the next working day (APPC art. 63). */
	int64_t reg = calendar_next_working(cal, day);
	date_format(reg, registered_on);
	date_format(calendar_add_working_days(cal, reg, APPEAL_DUE_DAYS), due_on);
	date_format(calendar_add_working_days(cal, reg, APPEAL_FORWARD_DAYS), forward_due_on);
}

struct term_list {
	struct arena *ar;
	int64_t *items;
	size_t n, cap;
};

static void collect_term(const char *term, size_t len, void *arg)
{
	struct term_list *t = arg;
	t->items = arena_grow_array(t->ar, t->items, t->n, &t->cap, sizeof(*t->items));
	t->items[t->n++] = search_term_hash(term, len);
}

void appeal_terms(struct arena *ar, const char *text, int64_t **terms, size_t *n)
{
	struct term_list t = {ar, NULL, 0, 0};
	text_terms(text, strlen(text), collect_term, &t);
	*terms = t.items;
	*n = t.n;
}

static int event(struct db *db, const struct actor *who, int64_t id, const char *action, const char *from,
		 const char *to, const char *detail)
{
	return db_appeal_event_add(db, id, time_now(), who->user_id, action, from, to, detail);
}

int appeal_count_received(struct db *db, const char *day, int64_t district_id, const char *category,
			  const char *channel, const char *kind, const char *risk, int64_t n)
{
	int rc = db_appeal_stat_add(db, day, district_id, "received", "", n);
	if (!rc)
		rc = db_appeal_stat_add(db, day, district_id, "category", category, n);
	if (!rc)
		rc = db_appeal_stat_add(db, day, district_id, "channel", channel, n);
	if (!rc)
		rc = db_appeal_stat_add(db, day, district_id, "kind", kind, n);
	if (!rc)
		rc = db_appeal_stat_add(db, day, district_id, "risk", risk, n);
	return rc;
}

int appeal_register(struct db *db, const struct actor *who, struct appeal *a, const int64_t *terms, size_t nterms,
		    char number[24])
{
	int year = 0, month, day;
	int64_t seq;
	date_parse(a->registered_on, strlen(a->registered_on), &year, &month, &day);
	int rc = db_appeal_next_number(db, year, &seq);
	if (rc)
		return rc;
	snprintf(number, 24, "A-%04d-%06lld", year, (long long)seq);
	a->number = number;
	a->status = "registered";
	a->prio = appeal_prio(a->status, a->risk, a->category);
	if ((rc = db_appeal_insert(db, a)) != DB_OK)
		return rc;
	if ((rc = event(db, who, a->id, "registered", NULL, "registered", NULL)) != DB_OK)
		return rc;
	for (size_t i = 0; i < nterms; i++)
		if ((rc = db_appeal_term_add(db, a->id, terms[i])) != DB_OK)
			return rc;
	if ((rc = appeal_count_received(db, a->registered_on, a->district_id, a->category, a->channel, a->kind, a->risk,
					1)))
		return rc;
	return audit_record(db, who, "create", "appeal", a->id, a->number);
}

/* Load the appeal inside the transaction: decisions are made on what is committed. */
static int load(struct db *db, int64_t id, struct arena *a, struct appeal *out)
{
	return db_appeal_get(db, id, a, out);
}

static void refuse(struct appeal_change *out, const char *from, int may_reopen)
{
	out->refused = 1;
	out->from = from;
	out->nnext = appeal_next_states(from, may_reopen, out->next);
}

/* Strings that outlive the arena: the canonical state names. */
static const char *state_name(const char *s)
{
	for (const char *const *p = appeal_statuses; *p; p++)
		if (is(*p, s))
			return *p;
	return NULL;
}

int appeal_assign(struct db *db, const struct actor *who, int64_t id, int64_t psychologist_id,
		  struct appeal_change *out)
{
	struct arena a;
	struct appeal ap;
	arena_init(&a);
	memset(out, 0, sizeof(*out));
	int rc = load(db, id, &a, &ap);
	if (rc)
		goto done;
	if (!appeal_is_open(ap.status)) {
		refuse(out, ap.status, 0);
		goto done;
	}
	out->from = state_name(ap.status);
	out->to = is(ap.status, "registered") ? "assigned" : out->from;
	rc = db_appeal_assign(db, id, psychologist_id, out->to, appeal_prio(out->to, ap.risk, ap.category), time_now());
	char detail[48];
	snprintf(detail, sizeof(detail), "user=%lld", (long long)psychologist_id);
	if (!rc)
		rc = event(db, who, id, "assigned", ap.status, out->to, detail);
	if (!rc)
		rc = audit_record(db, who, "assign", "appeal", id, detail);
done:
	arena_release(&a);
	return rc;
}

int appeal_ways_on(struct db *db, int64_t id, const char *status, int may_reopen, const char *next[8], int *n)
{
	*n = appeal_next_states(status, may_reopen, next);
	int64_t open = -1;
	int k = 0;
	for (int i = 0; i < *n; i++) {
		if (is(next[i], "referred") && open < 0) {
			int rc = db_referral_open_count(db, id, &open);
			if (rc)
				return rc;
		}
		if (!is(next[i], "referred") || open > 0)
			next[k++] = next[i];
	}
	*n = k;
	return DB_OK;
}

int appeal_transition(struct db *db, const struct actor *who, int64_t id, const char *to, const char *reason,
		      int may_reopen, struct appeal_change *out)
{
	struct arena a;
	struct appeal ap;
	arena_init(&a);
	memset(out, 0, sizeof(*out));
	int rc = load(db, id, &a, &ap);
	if (rc)
		goto done;
	const char *from = state_name(ap.status);
	const char *next[8];
	int n = 0, ok = 0;
	if ((rc = appeal_ways_on(db, id, from, may_reopen, next, &n)) != DB_OK)
		goto done;
	for (int i = 0; i < n; i++)
		ok |= is(next[i], to);
	if (!ok) {
		refuse(out, from, may_reopen);
		/* The ways on as they are for this appeal (no "referred" without a referral under way). */
		out->nnext = n;
		for (int i = 0; i < n; i++)
			out->next[i] = next[i];
		goto done;
	}
	out->from = from;
	out->to = state_name(to);
	rc = db_appeal_set_status(db, id, to, reason, appeal_prio(to, ap.risk, ap.category), time_now());
	/* Resolutions are counted on the day they happen, and uncounted if the appeal is reopened. */
	if (!rc && is(to, "resolved")) {
		char today[11];
		today_text(today);
		rc = db_appeal_set_resolved(db, id, today);
		if (!rc)
			rc = db_appeal_stat_add(db, today, ap.district_id, "resolved", "", 1);
	} else if (!rc && appeal_is_open(to) && ap.resolved_on) {
		rc = db_appeal_set_resolved(db, id, NULL);
		if (!rc)
			rc = db_appeal_stat_add(db, ap.resolved_on, ap.district_id, "resolved", "", -1);
	}
	const char *action = appeal_is_open(to) && !appeal_is_open(from) ? "reopened" : "status";
	if (!rc)
		rc = event(db, who, id, action, from, to, reason);
	if (!rc)
		rc = audit_record(db, who, action, "appeal", id, to);
done:
	arena_release(&a);
	return rc;
}

int appeal_extend(struct db *db, const struct actor *who, int64_t id, const char *until, const char *reason,
		  const char *notify_by, struct appeal_change *out)
{
	struct arena a;
	struct appeal ap;
	arena_init(&a);
	memset(out, 0, sizeof(*out));
	int rc = load(db, id, &a, &ap);
	if (rc)
		goto done;
	if (!appeal_is_open(ap.status)) {
		refuse(out, state_name(ap.status), 0);
		goto done;
	}
	rc = db_appeal_extend(db, id, until, reason, notify_by, time_now());
	char detail[64];
	snprintf(detail, sizeof(detail), "%s → %s", ap.due_on, until);
	/* The history keeps the new date with the reason: "until=YYYY-MM-DD reason". */
	struct buf said = BUF_INIT;
	buf_printf(&said, "until=%s %s", until, reason ? reason : "");
	if (!rc)
		rc = event(db, who, id, "extended", NULL, NULL, said.ptr);
	buf_release(&said);
	if (!rc)
		rc = audit_record(db, who, "extend", "appeal", id, detail);
done:
	arena_release(&a);
	return rc;
}

int appeal_forward(struct db *db, const struct actor *who, int64_t id, int64_t org, const char *today,
		   const char *note, struct appeal_change *out)
{
	struct arena a;
	struct appeal ap;
	arena_init(&a);
	memset(out, 0, sizeof(*out));
	int rc = load(db, id, &a, &ap);
	if (rc)
		goto done;
	if (!appeal_is_open(ap.status)) {
		refuse(out, state_name(ap.status), 0);
		goto done;
	}
	out->from = state_name(ap.status);
	out->to = "closed";
	rc = db_appeal_forward(db, id, org, today, note ? note : "forwarded", appeal_prio("closed", ap.risk, ap.category),
			       time_now());
	char detail[48];
	snprintf(detail, sizeof(detail), "organisation=%lld", (long long)org);
	/* The history keeps the body it went to with the note: "organisation=ID note". */
	struct buf said = BUF_INIT;
	buf_printf(&said, "organisation=%lld %s", (long long)org, note ? note : "");
	if (!rc)
		rc = event(db, who, id, "forwarded", out->from, "closed", said.ptr);
	buf_release(&said);
	if (!rc)
		rc = audit_record(db, who, "forward", "appeal", id, detail);
done:
	arena_release(&a);
	return rc;
}

int appeal_notified(struct db *db, const struct actor *who, int64_t id, const char *on)
{
	int rc = db_appeal_notified(db, id, on, time_now());
	if (!rc)
		rc = event(db, who, id, "applicant_notified", NULL, NULL, on);
	return rc ? rc : audit_record(db, who, "update", "appeal", id, "applicant notified");
}

int appeal_set_flag(struct db *db, const struct actor *who, int64_t id, int flagged, const char *reason)
{
	int rc = db_appeal_flag(db, id, flagged, time_now());
	if (!rc)
		rc = event(db, who, id, flagged ? "flagged" : "unflagged", NULL, NULL, reason);
	return rc ? rc : audit_record(db, who, flagged ? "flag" : "unflag", "appeal", id, NULL);
}

int appeal_consult(struct db *db, const struct actor *who, struct consultation *c, struct appeal_change *out)
{
	struct arena a;
	struct appeal ap;
	arena_init(&a);
	memset(out, 0, sizeof(*out));
	int rc = load(db, c->appeal_id, &a, &ap);
	if (rc)
		goto done;
	if (!appeal_is_open(ap.status)) {
		refuse(out, state_name(ap.status), 0);
		goto done;
	}
	if ((rc = db_consultation_insert(db, c)) != DB_OK)
		goto done;
	char held[11];
	date_format(local_days(c->held_at), held);
	if ((rc = db_appeal_stat_add(db, held, ap.district_id, "consultation", "", 1)) != DB_OK)
		goto done;
	if (is(ap.status, "assigned")) {
		out->from = "assigned";
		out->to = "in_progress";
		rc = db_appeal_set_status(db, ap.id, "in_progress", NULL, appeal_prio("in_progress", ap.risk, ap.category),
					  time_now());
		if (!rc)
			rc = event(db, who, ap.id, "status", "assigned", "in_progress", NULL);
	}
	char detail[48];
	snprintf(detail, sizeof(detail), "consultation=%lld", (long long)c->id);
	if (!rc)
		rc = event(db, who, ap.id, "consultation", NULL, NULL, detail);
	if (!rc)
		rc = audit_record(db, who, "create", "consultation", c->id, ap.number);
done:
	arena_release(&a);
	return rc;
}

int appeal_refer(struct db *db, const struct actor *who, struct referral *r, struct appeal_change *out)
{
	struct arena a;
	struct appeal ap;
	arena_init(&a);
	memset(out, 0, sizeof(*out));
	int rc = load(db, r->appeal_id, &a, &ap);
	if (rc)
		goto done;
	if (!appeal_is_open(ap.status)) {
		refuse(out, state_name(ap.status), 0);
		goto done;
	}
	if ((rc = db_referral_insert(db, r)) != DB_OK)
		goto done;
	if (is(ap.status, "in_progress")) {
		out->from = "in_progress";
		out->to = "referred";
		rc = db_appeal_set_status(db, ap.id, "referred", NULL, appeal_prio("referred", ap.risk, ap.category),
					  time_now());
		if (!rc)
			rc = event(db, who, ap.id, "status", "in_progress", "referred", NULL);
	}
	char detail[64];
	snprintf(detail, sizeof(detail), "referral=%lld organisation=%lld", (long long)r->id, (long long)r->to_org);
	if (!rc)
		rc = event(db, who, ap.id, "referred", NULL, NULL, detail);
	if (!rc)
		rc = audit_record(db, who, "create", "referral", r->id, ap.number);
done:
	arena_release(&a);
	return rc;
}

int referral_answer(struct db *db, const struct actor *who, int64_t referral_id, const char *status,
		    const char *answer, struct appeal_change *out)
{
	struct arena a;
	struct referral r;
	arena_init(&a);
	memset(out, 0, sizeof(*out));
	int rc = db_referral_get(db, referral_id, &a, &r);
	if (rc)
		goto done;
	/* pending → accepted | rejected | revoked; accepted → done | revoked. */
	int ok = (is(r.status, "pending") && (is(status, "accepted") || is(status, "rejected") || is(status, "revoked"))) ||
		 (is(r.status, "accepted") && (is(status, "done") || is(status, "revoked")));
	if (!ok) {
		out->refused = 1;
		out->from = is(r.status, "pending") ? "pending" : is(r.status, "accepted") ? "accepted" : "final";
		if (is(r.status, "pending")) {
			out->next[0] = "accepted", out->next[1] = "rejected", out->next[2] = "revoked";
			out->nnext = 3;
		} else if (is(r.status, "accepted")) {
			out->next[0] = "done", out->next[1] = "revoked";
			out->nnext = 2;
		}
		goto done;
	}
	rc = db_referral_answer(db, referral_id, status, answer, who->user_id, time_now());
	char detail[64];
	snprintf(detail, sizeof(detail), "referral=%lld %s", (long long)referral_id, status);
	if (!rc)
		rc = event(db, who, r.appeal_id, "referral_answered", NULL, NULL, detail);
	if (!rc)
		rc = audit_record(db, who, is(status, "revoked") ? "revoke" : "answer", "referral", referral_id, status);
done:
	arena_release(&a);
	return rc;
}

int appeal_audit_read(struct db *db, const struct actor *who, int64_t id, const char *detail)
{
	return audit_record(db, who, "read", "appeal", id, detail);
}
