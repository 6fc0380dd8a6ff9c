/* GET /audit: the audit log with filters, newest first, for administrators and the prosecutor's office. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "web/page.h"
#include "web/web.h"

static const char *outcome_label(struct request *r, const char *o)
{
	if (!o)
		return "";
	if (!strcmp(o, "ok"))
		return _(r, "done");
	if (!strcmp(o, "denied"))
		return _(r, "refused");
	return o;
}

/*
 * What the codes of the log mean, for the people who read it (the API and
 * the exported files keep the codes). A code not here is shown as it is.
 */
struct code_label {
	const char *code, *label;
};

static const struct code_label actions[] = {
	{"login", N_("sign-in")},
	{"logout", N_("sign-out")},
	{"login_failed", N_("failed sign-in")},
	{"login_refused", N_("sign-in refused")},
	{"account_locked", N_("account locked")},
	{"read", N_("view")},
	{"list", N_("list view")},
	{"export", N_("export to a file")},
	{"break_glass", N_("emergency access")},
	{"create", N_("creation")},
	{"update", N_("change")},
	{"status", N_("status change")},
	{"reopened", N_("reopening")},
	{"assign", N_("assignment")},
	{"forward", N_("forwarding")},
	{"extend", N_("deadline extension")},
	{"flag", N_("flag set")},
	{"unflag", N_("flag removed")},
	{"answer", N_("answer")},
	{"revoke", N_("revocation")},
	{"merge", N_("merge of records")},
	{"import", N_("import")},
	{"contact", N_("contact logged")},
	{"end", N_("ending")},
	{"approve", N_("approval")},
	{"confirm", N_("confirmation")},
	{"record", N_("results recorded")},
	{"feedback", N_("feedback")},
	{"rotate_feed", N_("calendar link renewed")},
	{"enable", N_("account enabled")},
	{"disable", N_("account disabled")},
	{"password_change", N_("password change")},
	{"password_reset", N_("password reset")},
	{NULL, NULL},
};

static const struct code_label resources[] = {
	{"appeal", N_("Appeal")},
	{"consultation", N_("Consultation")},
	{"referral", N_("Referral")},
	{"child", N_("Child")},
	{"mentorship", N_("Meyirim attachment")},
	{"school", N_("School")},
	{"lecturer", N_("Lecturer")},
	{"lesson", N_("Lesson")},
	{"event", N_("Prevention event")},
	{"user", N_("User")},
	{"session", N_("Session")},
	{"api_token", N_("API token")},
	{"organisation", N_("Organisation")},
	{"district", N_("District")},
	{"calendar", N_("Working calendar")},
	/* what an export names: the list it wrote */
	{"appeals", N_("Appeals")},
	{"children", N_("Children")},
	{"mentorships", N_("Meyirim")},
	{"schools", N_("Schools")},
	{"lecturers", N_("Lecturers")},
	{"lessons", N_("Lessons")},
	{"events", N_("Prevention events")},
	{"organisations", N_("Organisations")},
	{"users", N_("Users")},
	{"referrals", N_("Referrals")},
	{"audit", N_("Audit log")},
	{"summary", N_("Headline figures")},
	{"breakdown", N_("Breakdown")},
	{NULL, NULL},
};

static const char *label_of(struct request *r, const struct code_label *t, const char *code)
{
	for (; code && t->code; t++)
		if (!strcmp(t->code, code))
			return _(r, t->label);
	return code ? code : "";
}

/* The table as the options of a filter, in the request's language. */
static const struct option *options_of(struct request *r, const struct code_label *t)
{
	size_t n = 0;
	while (t[n].code)
		n++;
	struct option *o = arena_zalloc(&r->arena, (n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		o[i].value = t[i].code;
		o[i].label = _(r, t[i].label);
	}
	return o;
}

/*
 * The details most rows carry, counts of what a list or search showed
 * ("50 rows", "search, 3 rows", "alerts, 7 rows"), in the reader's words;
 * any other detail is shown as recorded (the row is hashed as it is).
 */
static const char *detail_label(struct request *r, const char *d)
{
	static const struct code_label kinds[] = {
		{"list", N_("list: {n} rows")},
		{"search", N_("search: {n} rows")},
		{"alerts", N_("alerts: {n} rows")},
		{NULL, NULL},
	};
	/* What a read of one record showed, besides the record's own page. */
	static const struct code_label shown[] = {
		{"break the glass", N_("broke the glass")},
		{"history", N_("its history")},
		{"referrals", N_("its referrals")},
		{"contacts", N_("its contacts")},
		{"edit form", N_("the edit form")},
		{"merge candidates", N_("the merge form")},
		{"duplicate check", N_("as a likely duplicate")},
		{"form shown again", N_("the page again, after a refused form")},
		{"attach form", N_("the form to attach a child")},
		{"slip", N_("its registration slip")},
		{NULL, NULL},
	};
	if (!d)
		return "";
	for (const struct code_label *k = shown; k->code; k++)
		if (!strcmp(d, k->code))
			return _(r, k->label);
	const char *comma = strchr(d, ',');
	const char *count = comma && comma[1] == ' ' ? comma + 2 : d;
	char *end;
	long n = strtol(count, &end, 10);
	if (end == count || *count == '-' || (strcmp(end, " rows") && strcmp(end, " entries")))
		return d;
	if (!comma)
		return page_with_number(r, strcmp(end, " rows") ? _(r, "{n} entries") : _(r, "{n} rows"), n);
	for (const struct code_label *k = kinds; k->code; k++)
		if (strlen(k->code) == (size_t)(comma - d) && !strncmp(k->code, d, (size_t)(comma - d)))
			return page_with_number(r, _(r, k->label), n);
	return d;
}

/* The form's filters, carried into the export and the next page. */
static const char *const filters[] = {"user_id", "resource", "resource_id", "action", "from", "to", NULL};

void web_audit(struct request *r)
{
	struct audit_filter f;
	struct audit_row *rows;
	size_t n;
	api_audit_filter(r, &f);
	int rc = db_audit_list(request_db(r), &f, &r->arena, &rows, &n);
	if (rc) {
		respond_db_error(r, rc);
		return;
	}
	page_begin(r, _(r, "Audit log"));
	html_raw_literal(&r->body, "<p>");
	html_text(&r->body, _(r, "Every sign-in, every change and every view of a child's data is recorded here. The records are chained by hashes: a changed or removed record is detected by 'qorgau audit verify'."));
	form_get_begun(r);
	html_raw_literal(&r->body, "</p><form method=\"get\" action=\"/audit\" class=\"filters\">");
	struct form_ctl ctls[] = {
		{"user_id", _(r, "User number"), CTL_NUMBER, form_value(r, "user_id"), NULL, 0, NULL, "off", 0},
		{"resource", _(r, "Record type"), CTL_SELECT, form_value(r, "resource"), options_of(r, resources), 0, NULL,
		 "off", 1},
		{"resource_id", _(r, "Record number"), CTL_NUMBER, form_value(r, "resource_id"), NULL, 0, NULL, "off", 0},
		{"action", _(r, "Action"), CTL_SELECT, form_value(r, "action"), options_of(r, actions), 0, NULL, "off", 1},
		{"from", _(r, "From"), CTL_DATE, form_value(r, "from"), NULL, 0, NULL, "off", 0},
		{"to", _(r, "To"), CTL_DATE, form_value(r, "to"), NULL, 0, NULL, "off", 0},
	};
	for (size_t i = 0; i < sizeof(ctls) / sizeof(ctls[0]); i++)
		form_field(r, &ctls[i]);
	html_raw_literal(&r->body, "<button type=\"submit\">");
	html_text(&r->body, _(r, "Show"));
	html_raw_literal(&r->body, "</button></form>\n");
	/* The same rows, all of them, as a file: the filters carried over. */
	struct buf q = BUF_INIT;
	page_carry_filters(r, filters, &q);
	page_export_links(r, "audit", q.len ? q.ptr : "");
	buf_release(&q);
	page_scroll_begin(r, NULL);
	html_raw_literal(&r->body, "<table class=\"list\"><thead><tr>");
	page_th(r, "№");
	page_th(r, _(r, "Time"));
	page_th(r, _(r, "User"));
	page_th(r, _(r, "Action"));
	page_th(r, _(r, "Record"));
	page_th(r, _(r, "Result"));
	page_th(r, _(r, "Address"));
	page_th(r, _(r, "Detail"));
	html_raw_literal(&r->body, "</tr></thead><tbody>");
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct audit_row *a = &rows[i];
		html_raw_literal(&r->body, "<tr><td>");
		html_int(&r->body, a->id);
		html_raw_literal(&r->body, "</td>");
		buf_reset(&t);
		page_time(&t, a->at);
		page_td(r, t.ptr);
		page_td(r, a->login ? arena_printf(&r->arena, "%s (%s)", a->login, a->role ? web_role_label(r, a->role) : "")
				    : (a->user_id ? arena_printf(&r->arena, "#%lld", (long long)a->user_id) : "—"));
		page_td(r, label_of(r, actions, a->action));
		const char *what = label_of(r, resources, a->resource);
		page_td(r, a->resource_id ? arena_printf(&r->arena, "%s #%lld", what, (long long)a->resource_id) : what);
		page_td(r, outcome_label(r, a->outcome));
		page_td(r, a->client);
		page_td(r, detail_label(r, a->detail));
		html_raw_literal(&r->body, "</tr>");
	}
	buf_release(&t);
	html_raw_literal(&r->body, "</tbody></table></div>");
	if (n == (size_t)f.limit && n > 0) {
		/* The next page keeps the filters and starts below the last row shown. */
		page_next_link(r, "/audit", arena_printf(&r->arena, "%lld", (long long)rows[n - 1].id), filters,
			       _(r, "Older records"));
	}
	page_end(r, 200);
}
