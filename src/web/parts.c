/* Small pieces shared by the pages: names of referenced records, headings, facts, badges. */
#include <string.h>

#include "api/api.h"
#include "web/page.h"
#include "web/web.h"

const char *web_id_text(struct request *r, int64_t id)
{
	return id > 0 ? arena_printf(&r->arena, "%lld", (long long)id) : NULL;
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

