/* Small pieces shared by the pages: names of referenced records, headings, facts, badges. */
#include <string.h>

#include "api/api.h"
#include "domain/audit.h"
#include "web/page.h"
#include "web/web.h"

const char *web_id_text(struct request *r, int64_t id)
{
	return id > 0 ? arena_printf(&r->arena, "%lld", (long long)id) : NULL;
}

struct page_reads {
	struct actor who;
	const char *action, *resource, *detail;
	int64_t *ids;
	size_t n;
	web_draw_fn draw;
	void *arg;
};

static int run_reads(struct db *db, struct write_job *job)
{
	struct page_reads *p = job->arg;
	int rc = DB_OK;
	for (size_t i = 0; !rc && i < p->n; i++)
		rc = audit_record(db, &p->who, p->action, p->resource, p->ids[i], p->detail);
	return rc;
}

static void reads_done(struct request *r, int status)
{
	struct page_reads *p = r->ctx;
	if (status) {
		respond_db_error(r, status);
		return;
	}
	p->draw(r, p->arg);
}

void web_audit_then(struct request *r, const char *action, const char *resource, const int64_t *ids, size_t n,
		    const char *detail, web_draw_fn draw, void *arg)
{
	if (!n) {
		draw(r, arg);
		return;
	}
	struct page_reads *p = arena_zalloc(&r->arena, sizeof(*p));
	request_actor(r, &p->who);
	p->action = action;
	p->resource = resource;
	p->detail = detail;
	p->ids = arena_alloc(&r->arena, n * sizeof(*ids));
	memcpy(p->ids, ids, n * sizeof(*ids));
	p->n = n;
	p->draw = draw;
	p->arg = arg;
	r->ctx = p;
	request_write(r, run_reads, p, reads_done);
}

const char *web_paper_date(struct request *r, const char *iso)
{
	if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-')
		return iso;
	return arena_printf(&r->arena, "%.2s.%.2s.%.4s%s", iso + 8, iso + 5, iso, iso + 10);
}

const char *web_user_name(struct request *r, int64_t id)
{
	struct user u;
	if (!id || db_user_get(request_db(r), id, &r->arena, &u))
		return NULL;
	return u.full_name;
}

const char *web_org_name(struct request *r, int64_t id)
{
	struct organisation o;
	if (!id || db_org_get(request_db(r), id, &r->arena, &o))
		return NULL;
	return web_org_label(r, o.name, o.name_ru);
}

const char *web_org_label(struct request *r, const char *name, const char *name_ru)
{
	return r->lang == LANG_RU && name_ru && *name_ru ? name_ru : name;
}

const char *web_district_of(struct request *r, int64_t id)
{
	struct district d;
	if (!id || db_district_get(request_db(r), id, &r->arena, &d))
		return NULL;
	return web_district_name(r, &d);
}

int web_can(struct request *r, struct perm p)
{
	return authz_scope(r->user.role, p) != SCOPE_NONE;
}

void web_h2(struct request *r, const char *id, const char *text)
{
	html_raw_literal(&r->body, "<h2 id=\"");
	html_attr(&r->body, id);
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, text);
	html_raw_literal(&r->body, "</h2>");
}

void web_fact(struct request *r, const char *label, const char *value)
{
	html_raw_literal(&r->body, "<tr><th scope=\"row\">");
	html_text(&r->body, label);
	html_raw_literal(&r->body, "</th><td>");
	html_text(&r->body, value && *value ? value : "—");
	html_raw_literal(&r->body, "</td></tr>");
}

void web_badge(struct request *r, const char *cls, const char *text)
{
	html_raw_literal(&r->body, "<span class=\"badge ");
	html_attr(&r->body, cls);
	html_raw_literal(&r->body, "\">");
	html_text(&r->body, text);
	html_raw_literal(&r->body, "</span>");
}

