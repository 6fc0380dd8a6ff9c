/* Shared page pieces: language choice and error pages (page.h). */
#include "web/page.h"

#include <string.h>

#include "web/html.h"

void page_choose_language(struct request *r)
{
	r->lang = LANG_KK;
}

void page_error(struct request *r, int status, const char *code, const char *message)
{
	buf_reset(&r->body);
	buf_printf(&r->body, "<!doctype html>\n<html lang=\"kk\"><head><meta charset=\"utf-8\"><title>%d</title></head>"
			     "<body><h1>%d</h1><p>", status, status);
	html_text(&r->body, message);
	buf_adds(&r->body, "</p><p><small>");
	html_text(&r->body, code);
	buf_adds(&r->body, "</small></p></body></html>\n");
	respond(r, status, "text/html; charset=utf-8");
}
