/* The layout, forms and error pages shared by every page (page.h). */
#include "web/page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/time.h"
#include "domain/account.h"
#include "http/cookie.h"
#include "http/server.h"
#include "text/collate.h"
#include "text/utf8.h"

void page_choose_language(struct request *r)
{
	size_t n;
	const char *c = cookie_get(r, LANG_COOKIE, &n);
	r->lang = LANG_KK;
	if (c && lang_parse(c, n) != LANG_COUNT) {
		r->lang = lang_parse(c, n);
		r->lang_from_cookie = 1;
		return;
	}
	/* Accept-Language: the first of kk, ru, en in the list wins (weights ignored). */
	const char *al = request_header(r, "accept-language", &n);
	for (size_t i = 0; al && i + 1 < n; i++) {
		if ((i == 0 || al[i - 1] == ',' || al[i - 1] == ' ') && lang_parse(al + i, 2) != LANG_COUNT &&
		    (i + 2 == n || al[i + 2] == '-' || al[i + 2] == ',' || al[i + 2] == ';')) {
			r->lang = lang_parse(al + i, 2);
			return;
		}
	}
}

void page_time(struct buf *b, int64_t t)
{
	int64_t local = t + input_local_offset;
	int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
	int64_t secs = local - days * 86400;
	char d[11];
	date_format(days, d);
	buf_printf(b, "%s %02d:%02d", d, (int)(secs / 3600), (int)(secs / 60 % 60));
}

struct nav_item {
	const char *href;
	const char *label;
	struct perm perm;
};

static const struct nav_item nav[] = {
	{"/", N_("Home"), PERM(READ, SELF)},
	{"/dashboard", N_("Dashboard"), PERM(READ, REPORT)},
	{"/appeals", N_("Appeals"), PERM(READ, APPEAL)},
	{"/deadlines", N_("Deadlines"), PERM(READ, APPEAL)},
	{"/referrals", N_("Referrals to us"), PERM(ANSWER, REFERRAL)},
	{"/children", N_("Children"), PERM(READ, CHILD)},
	{"/meyirim", N_("Meyirim"), PERM(READ, MENTORSHIP)},
	{"/lessons", N_("Prevention"), PERM(READ, LESSON)},
	{"/events", N_("Prevention events"), PERM(READ, EVENT)},
	{"/admin/users", N_("Users"), PERM(READ, USER)},
	{"/admin/organisations", N_("Organisations"), PERM(UPDATE, ORGANISATION)},
	{"/admin/districts", N_("Districts"), PERM(UPDATE, DISTRICT)},
	{"/admin/permissions", N_("Permissions"), PERM(READ, PERMISSIONS)},
	{"/audit", N_("Audit log"), PERM(READ, AUDIT)},
};

static void current_path(struct request *r, struct buf *b)
{
	size_t n;
	const char *full = request_path(r, &n);
	if (full && n)
		buf_add(b, full, n);
	else
		buf_addc(b, '/');
}

static int option_order(const void *a, const void *b, void *arg)
{
	const struct option *x = a, *y = b;
	return text_collate(((struct request *)arg)->lang, x->label, y->label);
}

void page_sort_options(struct request *r, struct option *o)
{
	size_t n = 0;
	while (o[n].value)
		n++;
	if (n > 1)
		qsort_r(o, n, sizeof(*o), option_order, r);
}

const char *page_count(struct request *r, long long n)
{
	char digits[24];
	/* The size, in unsigned arithmetic so that LLONG_MIN has one too. */
	unsigned long long size = n < 0 ? (unsigned long long)(-(n + 1)) + 1 : (unsigned long long)n;
	int len = snprintf(digits, sizeof(digits), "%llu", size);
	const char *sep = r->lang == LANG_EN ? "," : "\xc2\xa0"; /* U+00A0 NO-BREAK SPACE */
	struct buf b = BUF_INIT;
	if (n < 0)
		buf_addc(&b, '-');
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf_adds(&b, sep);
		buf_addc(&b, digits[i]);
	}
	const char *out = arena_strdup(&r->arena, b.ptr);
	buf_release(&b);
	return out;
}

const char *page_with_number(struct request *r, const char *text, long long n)
{
	const char *at = strstr(text, "{n}");
	if (!at)
		return text;
	return arena_printf(&r->arena, "%.*s%lld%s", (int)(at - text), text, n, at + 3);
}

static void language_switch(struct request *r)
{
	struct buf *b = &r->body;
	static const char *const names[LANG_COUNT] = {"Қазақша", "Русский", "English"};
	html_raw_literal(b, "<form class=\"lang\" method=\"post\" action=\"/lang\">");
	if (r->user.csrf) {
		html_raw_literal(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
		html_attr(b, r->user.csrf);
		html_raw_literal(b, "\">");
	}
	html_raw_literal(b, "<input type=\"hidden\" name=\"next\" value=\"");
	struct buf path = BUF_INIT;
	current_path(r, &path);
	html_attr(b, path.ptr);
	buf_release(&path);
	html_raw_literal(b, "\">");
	for (int l = 0; l < LANG_COUNT; l++) {
		if ((enum lang)l == r->lang) {
			html_raw_literal(b, "<span aria-current=\"true\">");
			html_text(b, names[l]);
			html_raw_literal(b, "</span>");
			continue;
		}
		html_raw_literal(b, "<button type=\"submit\" name=\"lang\" value=\"");
		html_attr(b, lang_code((enum lang)l));
		html_raw_literal(b, "\" lang=\"");
		html_attr(b, lang_code((enum lang)l));
		html_raw_literal(b, "\">");
		html_text(b, names[l]);
		html_raw_literal(b, "</button>");
	}
	html_raw_literal(b, "</form>");
}

void page_begin(struct request *r, const char *title)
{
	struct buf *b = &r->body;
	buf_reset(b);
	r->title = title;
	html_raw_literal(b, "<!doctype html>\n<html lang=\"");
	html_attr(b, lang_code(r->lang));
	html_raw_literal(b, "\"><head><meta charset=\"utf-8\">"
			    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
			    "<link rel=\"stylesheet\" href=\"/static/qorgau.css\">"
			    "<link rel=\"icon\" href=\"/static/qorgau.svg\" type=\"image/svg+xml\">"
			    "<script src=\"/static/qorgau.js\" defer></script><title>");
	html_text(b, title);
	html_raw_literal(b, " — Qorgau</title></head><body>\n"
			    "<a class=\"skip\" href=\"#main\">");
	html_text(b, _(r, "Skip to content"));
	html_raw_literal(b, "</a><header class=\"top\"><a class=\"brand\" href=\"/\">Qorgau</a>");
	if (r->user.user_id) {
		html_raw_literal(b, "<nav aria-label=\"");
		html_attr(b, _(r, "Main menu"));
		html_raw_literal(b, "\"><ul>");
		for (size_t i = 0; i < sizeof(nav) / sizeof(nav[0]); i++) {
			if (authz_scope(r->user.role, nav[i].perm) == SCOPE_NONE)
				continue;
			html_raw_literal(b, "<li><a href=\"");
			html_attr(b, nav[i].href);
			html_raw_literal(b, "\">");
			html_text(b, _(r, nav[i].label));
			html_raw_literal(b, "</a></li>");
		}
		html_raw_literal(b, "</ul></nav><div class=\"who\"><a href=\"/account\">");
		html_text(b, r->user.full_name);
		html_raw_literal(b, "</a>");
		form_button(r, "/logout", _(r, "Sign out"), NULL);
		html_raw_literal(b, "</div>");
	}
	language_switch(r);
	html_raw_literal(b, "</header>\n<main id=\"main\"><h1>");
	html_text(b, title);
	html_raw_literal(b, "</h1>\n");
}

void page_end(struct request *r, int status)
{
	html_raw_literal(&r->body, "</main>\n<footer><p>Qorgau · ");
	html_text(&r->body, _(r, "Child protection case system"));
	html_raw_literal(&r->body, "</p></footer></body></html>\n");
	respond(r, status, "text/html; charset=utf-8");
}

void page_notice(struct request *r, const char *kind, const char *text)
{
	html_raw_literal(&r->body, "<p class=\"notice ");
	html_attr(&r->body, kind);
	html_raw_literal(&r->body, "\" role=\"");
	html_attr(&r->body, !strcmp(kind, "error") ? "alert" : "status");
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, text);
	html_raw_literal(&r->body, "</p>\n");
}

static const char *status_title(struct request *r, int status)
{
	switch (status) {
	case 400: return _(r, "The request is not valid");
	case 403: return _(r, "Access denied");
	case 404: return _(r, "Not found");
	case 405: return _(r, "Not allowed");
	case 409: return _(r, "Conflict");
	case 413: return _(r, "Too large");
	case 415: return _(r, "Unsupported format");
	case 422: return _(r, "The data is not valid");
	case 429: return _(r, "Too many attempts");
	case 431: return _(r, "Too large");
	case 503: return _(r, "Temporarily unavailable");
	default: return _(r, "Something went wrong");
	}
}

/* The message as a sentence on a page: the API's messages start in lower case ("there is nothing at this address"). */
static const char *as_sentence(struct request *r, const char *message)
{
	uint32_t cp;
	size_t n = message ? utf8_decode(message, strlen(message), &cp) : 0;
	if (!n)
		return message;
	char first[4];
	size_t m = utf8_encode((uint32_t)utf8proc_toupper((utf8proc_int32_t)cp), first);
	if (!m)
		return message;
	return arena_printf(&r->arena, "%.*s%s", (int)m, first, message + n);
}

void page_error(struct request *r, int status, const char *code, const char *message)
{
	(void)code;
	page_begin(r, status_title(r, status));
	page_notice(r, "error", as_sentence(r, message));
	html_raw_literal(&r->body, "<p><a href=\"/\">");
	html_text(&r->body, _(r, "Back to the home page"));
	html_raw_literal(&r->body, "</a></p>");
	page_end(r, status);
}

/* --- forms --- */

void page_scroll_begin(struct request *r, const char *label)
{
	/* A region that may scroll sideways must be reachable by keyboard and named. */
	html_raw_literal(&r->body, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
	html_attr(&r->body, label ? label : r->title ? r->title : "");
	html_raw_literal(&r->body, "\">");
}

void page_export_links(struct request *r, const char *what, const char *query)
{
	html_raw_literal(&r->body, "<p class=\"actions\">");
	html_text(&r->body, _(r, "Export:"));
	html_raw_literal(&r->body, " <a href=\"/api/v1/reports/");
	html_attr(&r->body, what);
	html_raw_literal(&r->body, ".csv");
	html_attr(&r->body, query ? query : "");
	html_raw_literal(&r->body, "\">CSV</a> · <a href=\"/api/v1/reports/");
	html_attr(&r->body, what);
	html_raw_literal(&r->body, ".xlsx");
	html_attr(&r->body, query ? query : "");
	html_raw_literal(&r->body, "\">XLSX</a></p>\n");
}

void page_carry_filters(struct request *r, const char *const *keep, struct buf *query)
{
	for (const char *const *k = keep; k && *k; k++) {
		const char *v = form_value(r, *k);
		if (!v || !*v)
			continue;
		buf_printf(query, "%s%s=", query->len ? "&" : "?", *k);
		html_url_arg(query, v);
	}
}

void page_next_link(struct request *r, const char *path, const char *after, const char *const *keep,
		    const char *label)
{
	struct buf href = BUF_INIT;
	buf_printf(&href, "%s?after=", path);
	html_url_arg(&href, after);
	page_carry_filters(r, keep, &href);
	html_raw_literal(&r->body, "<p><a href=\"");
	html_attr(&r->body, href.ptr);
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, label);
	html_raw_literal(&r->body, " →</a></p>");
	buf_release(&href);
}

void form_get_begun(struct request *r)
{
	r->forms++;
	r->form_foreign = 0;
}

void form_begin(struct request *r, const char *action)
{
	struct buf *b = &r->body;
	html_raw_literal(b, "<form method=\"post\" action=\"");
	html_attr(b, action);
	html_raw_literal(b, "\" novalidate>");
	r->forms++;
	/*
	 * A page sent back with errors may hold several forms with a field of the same name (a
	 * reason to extend, to refer, to flag): the values and errors are those of the form that
	 * was sent, the one whose action is the address this POST came to, and no other's.
	 */
	r->form_foreign = 0;
	if (r->route && !strcmp(r->route->method, "POST") && r->req) {
		size_t len;
		const char *path = request_path(r, &len);
		size_t plen = 0;
		while (plen < len && path[plen] != '?')
			plen++;
		size_t alen = strcspn(action, "?");
		r->form_foreign = alen != plen || memcmp(path, action, plen) != 0;
	}
	if (r->user.csrf) {
		html_raw_literal(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
		html_attr(b, r->user.csrf);
		html_raw_literal(b, "\">");
	}
}

void form_end(struct request *r, const char *submit_label)
{
	r->form_foreign = 0;
	html_raw_literal(&r->body, "<p class=\"actions\"><button type=\"submit\">");
	html_text(&r->body, submit_label);
	html_raw_literal(&r->body, "</button></p></form>\n");
}

void form_button(struct request *r, const char *action, const char *label, const char *confirm)
{
	form_button_field(r, action, label, confirm, NULL, NULL);
}

void form_button_field(struct request *r, const char *action, const char *label, const char *confirm, const char *name,
		       const char *value)
{
	struct buf *b = &r->body;
	html_raw_literal(b, "<form class=\"inline\" method=\"post\" action=\"");
	html_attr(b, action);
	html_raw_literal(b, "\"");
	if (confirm) {
		html_raw_literal(b, " data-confirm=\"");
		html_attr(b, confirm);
		html_raw_literal(b, "\"");
	}
	html_raw_literal(b, ">");
	if (r->user.csrf) {
		html_raw_literal(b, "<input type=\"hidden\" name=\"_csrf\" value=\"");
		html_attr(b, r->user.csrf);
		html_raw_literal(b, "\">");
	}
	if (name) {
		html_raw_literal(b, "<input type=\"hidden\" name=\"");
		html_attr(b, name);
		html_raw_literal(b, "\" value=\"");
		html_attr(b, value);
		html_raw_literal(b, "\">");
	}
	html_raw_literal(b, "<button type=\"submit\" class=\"link\">");
	html_text(b, label);
	html_raw_literal(b, "</button></form>");
}

const char *form_value(struct request *r, const char *name)
{
	if (r->form_foreign)
		return NULL;
	for (size_t i = 0; i < r->in.nfields; i++)
		if (!strcmp(r->in.fields[i].name, name))
			return r->in.v[i].raw;
	return NULL;
}

static const struct field *declared(struct request *r, const char *name)
{
	for (size_t i = 0; i < r->in.nfields; i++)
		if (!strcmp(r->in.fields[i].name, name))
			return &r->in.fields[i];
	return NULL;
}

static const char *error_text(struct request *r, const struct input_error *e)
{
	const struct field *f = e->field ? declared(r, e->field) : NULL;
	const char *c = e->code;
	if (!strcmp(c, "required"))
		return _(r, "Fill in this field.");
	/* "abc" in a phone field is no phone number, whatever its length. */
	if (f && strstr(f->name, "phone") && (!strcmp(c, "too_short") || !strcmp(c, "invalid_phone")))
		return _(r, "This is not a phone number.");
	if (!strcmp(c, "too_long") && f)
		return page_with_number(r, _(r, "Too long: at most {n} characters."), (long long)f->max);
	if (!strcmp(c, "too_short") && f)
		return page_with_number(r, _(r, "Too short: at least {n} characters."), (long long)f->min);
	if (!strcmp(c, "out_of_range") && f && (f->type == FT_INT)) {
		/* "From {min} to {max}.": the bounds the field takes, in the reader's words. */
		const char *t = _(r, "From {min} to {max}."), *lo = strstr(t, "{min}"), *hi = strstr(t, "{max}");
		if (lo && hi && lo < hi)
			return arena_printf(&r->arena, "%.*s%lld%.*s%lld%s", (int)(lo - t), t, (long long)f->min,
					    (int)(hi - lo - 5), lo + 5, (long long)f->max, hi + 5);
	}
	if (!strcmp(c, "out_of_range") || !strcmp(c, "invalid"))
		return _(r, "This value is not valid.");
	if (!strcmp(c, "invalid_date"))
		return _(r, "Enter a date as YYYY-MM-DD.");
	if (!strcmp(c, "invalid_datetime"))
		return _(r, "Enter a date and time.");
	if (!strcmp(c, "invalid_choice"))
		return _(r, "Choose one of the options.");
	if (!strcmp(c, "invalid_encoding"))
		return _(r, "The text contains characters that cannot be stored.");
	if (!strncmp(c, "password_", 9))
		return !strcmp(c, "password_unchanged") ? _(r, "The new password must differ from the current one.")
							 : _(r, password_problem_text(c));
	/* Handlers set other codes with a message that is already translated. */
	return e->message;
}

const char *form_error_text(struct request *r, const char *field)
{
	if (r->form_foreign)
		return NULL;
	for (size_t i = 0; i < r->in.nerrors; i++)
		if (r->in.errors[i].field && !strcmp(r->in.errors[i].field, field))
			return error_text(r, &r->in.errors[i]);
	return NULL;
}

void form_errors_summary(struct request *r)
{
	if (!r->in.nerrors)
		return;
	page_notice(r, "error", _(r, "Please correct the marked fields."));
}

/* An element id of a field: "f-name" (control), "e-name" (its error), "h-name" (its hint) in
 * a page's first form, "f2-name"... in later ones, so that two forms with a field of the same
 * name (a reason to extend, a reason to refer) do not share ids and each label names its own. */
static void field_id(struct buf *b, const struct request *r, char kind, const char *name)
{
	char prefix[16];
	if (r->forms > 1)
		snprintf(prefix, sizeof prefix, "%c%d-", kind, r->forms);
	else
		snprintf(prefix, sizeof prefix, "%c-", kind);
	html_attr(b, prefix);
	html_attr(b, name);
}

static void ctl_attrs(struct buf *b, struct request *r, const struct form_ctl *c, const char *err)
{
	html_raw_literal(b, " id=\"");
	field_id(b, r, 'f', c->name);
	html_raw_literal(b, "\" name=\"");
	html_attr(b, c->name);
	html_raw_literal(b, "\"");
	if (c->required)
		html_raw_literal(b, " required");
	if (c->autocomplete) {
		html_raw_literal(b, " autocomplete=\"");
		html_attr(b, c->autocomplete);
		html_raw_literal(b, "\"");
	}
	if (err) {
		html_raw_literal(b, " aria-invalid=\"true\" aria-describedby=\"");
		field_id(b, r, 'e', c->name);
		html_raw_literal(b, "\"");
		/* The first field in error takes the focus: on a long page (a phone) it may be screens below the notice. */
		if (!r->error_focused) {
			r->error_focused = 1;
			html_raw_literal(b, " autofocus");
		}
	} else if (c->hint) {
		html_raw_literal(b, " aria-describedby=\"");
		field_id(b, r, 'h', c->name);
		html_raw_literal(b, "\"");
	}
}

void form_field(struct request *r, const struct form_ctl *c)
{
	struct buf *b = &r->body;
	const char *err = form_error_text(r, c->name);
	const char *value = c->value;
	if (c->type == CTL_HIDDEN) {
		html_raw_literal(b, "<input type=\"hidden\" name=\"");
		html_attr(b, c->name);
		html_raw_literal(b, "\" value=\"");
		html_attr(b, value);
		html_raw_literal(b, "\">");
		return;
	}
	html_raw_literal(b, "<div class=\"field");
	if (err)
		html_raw_literal(b, " has-error");
	if (c->type == CTL_CHECKBOX)
		html_raw_literal(b, " check");
	html_raw_literal(b, "\">");
	if (c->type == CTL_CHECKBOX) {
		html_raw_literal(b, "<input type=\"checkbox\" value=\"true\"");
		ctl_attrs(b, r, c, err);
		if (value && (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "on")))
			html_raw_literal(b, " checked");
		html_raw_literal(b, "><label for=\"");
		field_id(b, r, 'f', c->name);
		html_raw_literal(b, "\">");
		html_text(b, c->label);
		html_raw_literal(b, "</label>");
	} else {
		html_raw_literal(b, "<label for=\"");
		field_id(b, r, 'f', c->name);
		html_raw_literal(b, "\">");
		html_text(b, c->label);
		if (c->required)
			html_raw_literal(b, " <span class=\"req\" aria-hidden=\"true\">*</span>");
		html_raw_literal(b, "</label>");
		if (c->type == CTL_TEXTAREA) {
			html_raw_literal(b, "<textarea rows=\"5\"");
			ctl_attrs(b, r, c, err);
			html_raw_literal(b, ">");
			html_text(b, value);
			html_raw_literal(b, "</textarea>");
		} else if (c->type == CTL_SELECT) {
			html_raw_literal(b, "<select");
			ctl_attrs(b, r, c, err);
			html_raw_literal(b, ">");
			if (c->empty_option)
				html_raw_literal(b, "<option value=\"\">—</option>");
			for (const struct option *o = c->options; o && o->value; o++) {
				html_raw_literal(b, "<option value=\"");
				html_attr(b, o->value);
				html_raw_literal(b, "\"");
				if (value && !strcmp(value, o->value))
					html_raw_literal(b, " selected");
				html_raw_literal(b, ">");
				html_text(b, o->label);
				html_raw_literal(b, "</option>");
			}
			html_raw_literal(b, "</select>");
		} else {
			static const char *const types[] = {[CTL_TEXT] = "text",	 [CTL_PASSWORD] = "password",
							    [CTL_NUMBER] = "number",	 [CTL_DATE] = "date",
							    [CTL_DATETIME] = "datetime-local", [CTL_TEL] = "tel"};
			html_raw_literal(b, "<input type=\"");
			html_attr(b, types[c->type]);
			html_raw_literal(b, "\"");
			ctl_attrs(b, r, c, err);
			if (value && c->type != CTL_PASSWORD) {
				html_raw_literal(b, " value=\"");
				html_attr(b, value);
				html_raw_literal(b, "\"");
			}
			html_raw_literal(b, ">");
		}
	}
	if (c->hint && !err) {
		html_raw_literal(b, "<p class=\"hint\" id=\"");
		field_id(b, r, 'h', c->name);
		html_raw_literal(b, "\">");
		html_text(b, c->hint);
		html_raw_literal(b, "</p>");
	}
	if (err) {
		html_raw_literal(b, "<p class=\"error\" id=\"");
		field_id(b, r, 'e', c->name);
		html_raw_literal(b, "\">");
		html_text(b, err);
		html_raw_literal(b, "</p>");
	}
	html_raw_literal(b, "</div>\n");
}

/* --- tables and links --- */

void page_th(struct request *r, const char *label)
{
	html_raw_literal(&r->body, "<th scope=\"col\">");
	html_text(&r->body, label);
	html_raw_literal(&r->body, "</th>");
}

void page_td(struct request *r, const char *text)
{
	html_raw_literal(&r->body, "<td>");
	html_text(&r->body, text && *text ? text : "—");
	html_raw_literal(&r->body, "</td>");
}

void page_link_button(struct request *r, const char *href, const char *label)
{
	html_raw_literal(&r->body, "<p><a class=\"button\" href=\"");
	html_attr(&r->body, href);
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, label);
	html_raw_literal(&r->body, "</a></p>");
}

