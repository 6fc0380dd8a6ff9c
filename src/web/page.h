/*
 * Pages: the shared layout (header, navigation by role, language switch),
 * forms that keep what was typed and show each field's error, tables, and
 * error pages. Every text goes through the HTML escapers (html.h) and the
 * translations (_()).
 */
#ifndef QORGAU_WEB_PAGE_H
#define QORGAU_WEB_PAGE_H

#include "http/request.h"
#include "web/html.h"

/* Set r->lang from the lang cookie, then Accept-Language, else Kazakh. */
void page_choose_language(struct request *r);
/* A whole error page for a person, in r->lang. */
void page_error(struct request *r, int status, const char *code, const char *message);

/* Start a page: everything up to and including <main>, with an <h1>. */
void page_begin(struct request *r, const char *title);
/* Close the page and send it. */
void page_end(struct request *r, int status);
/* A notice box: kind "ok", "error" or "info". */
void page_notice(struct request *r, const char *kind, const char *text);

/* --- forms --- */

struct option {
	const char *value;
	const char *label;
};

enum control { CTL_TEXT, CTL_PASSWORD, CTL_NUMBER, CTL_DATE, CTL_DATETIME, CTL_TEXTAREA, CTL_SELECT, CTL_CHECKBOX,
	       CTL_HIDDEN, CTL_TEL };

struct form_ctl {
	const char *name;
	const char *label; /* already translated */
	enum control type;
	const char *value; /* current value (kept after an error) */
	const struct option *options; /* CTL_SELECT: ends with a NULL value */
	int required;
	const char *hint;
	const char *autocomplete;
	int empty_option; /* CTL_SELECT: offer "—" for none */
};

/* <div class="scroll"> around a wide table: focusable, a region named by label (the table's
 * heading where a page has several), or by the page's title when label is NULL. */
void page_scroll_begin(struct request *r, const char *label);
/* "Export: CSV · XLSX" for /api/v1/reports/WHAT.{csv,xlsx}QUERY (QUERY "" or "?a=b&…", URL-encoded). */
void page_export_links(struct request *r, const char *what, const char *query);
/*
 * <p><a href="path?after=…&…">label →</a></p>: the page after this one,
 * starting after the cursor, with the request's values of the fields in
 * keep (NULL-terminated) carried over.
 */
void page_next_link(struct request *r, const char *path, const char *after, const char *const *keep,
		    const char *label);
/* Append to query the request's values of the fields in keep (NULL-terminated), "?k=v&…", percent-encoded. */
void page_carry_filters(struct request *r, const char *const *keep, struct buf *query);
/* Count a <form method="get"> a page wrote itself (a filter), so that its fields' ids are its own. */
void form_get_begun(struct request *r);
/* <form method="post"> with the CSRF token (or the sign-in form's own). */
void form_begin(struct request *r, const char *action);
void form_field(struct request *r, const struct form_ctl *c);
/* The submit button and </form>. */
void form_end(struct request *r, const char *submit_label);
/* A one-button form (sign out, reset password), with an optional confirmation text. */
void form_button(struct request *r, const char *action, const char *label, const char *confirm);
/* The same, sending one more field name=value with the button. */
void form_button_field(struct request *r, const char *action, const char *label, const char *confirm, const char *name,
		       const char *value);
/* The submitted value of a field (the raw text of the form), for redisplay. */
const char *form_value(struct request *r, const char *name);
/* A person's sentence for r->in's error on this field, or NULL. */
const char *form_error_text(struct request *r, const char *field);
/* Show every error that is not tied to a visible field. */
void form_errors_summary(struct request *r);

/* A table header cell (scope=col) and a data cell ("—" for empty text). */
void page_th(struct request *r, const char *label);
void page_td(struct request *r, const char *text);
/* A link styled as a button, in its own paragraph. */
void page_link_button(struct request *r, const char *href, const char *label);

/* text with "{n}" replaced by n (translations carry the placeholder). */
const char *page_with_number(struct request *r, const char *text, long long n);
/* Sort the options of a select (ended by a NULL value) by their labels, in the reader's alphabet. */
void page_sort_options(struct request *r, struct option *o);
/* A count as the reader's language writes it: 12 604 (kk, ru: groups of three, no-break spaces), 12,604 (en). */
const char *page_count(struct request *r, long long n);
/* Local date and time (UTC+5 by default) of a Unix time, "2026-11-25 17:05". */
void page_time(struct buf *b, int64_t t);

#endif
