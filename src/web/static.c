/* GET /static/{file}: stylesheets, scripts and icons compiled into the binary. */
#include <string.h>

#include "core/embedded.h"
#include "web/web.h"

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".ico"))
		return "image/x-icon";
	return "application/octet-stream";
}

void web_static(struct request *r)
{
	const char *name = request_param(r, 0);
	for (size_t i = 0; i < embedded_static_count; i++) {
		if (strcmp(embedded_static[i].name, name))
			continue;
		buf_add(&r->body, embedded_static[i].data, embedded_static[i].len);
		response_header(r, "cache-control", "public, max-age=3600");
		respond(r, 200, content_type(name));
		return;
	}
	respond_error(r, 404, "not_found", "there is nothing at this address", NULL);
}
