/*
 * Pages: the shared layout, the language of a request, and error pages.
 */
#ifndef QORGAU_WEB_PAGE_H
#define QORGAU_WEB_PAGE_H

#include "http/request.h"

/* Set r->lang from the lang cookie, then Accept-Language, else Kazakh. */
void page_choose_language(struct request *r);
/* A whole error page for a person, in r->lang. */
void page_error(struct request *r, int status, const char *code, const char *message);

#endif
