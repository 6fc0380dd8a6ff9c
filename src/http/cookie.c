/* Cookies (cookie.h). */
#include "http/cookie.h"

#include <stdio.h>
#include <string.h>

#include "http/server.h"

/* Cookie values we set are tokens; anything else is not ours and is ignored. */
static int token_chars(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return n > 0 && n <= 128;
}

const char *cookie_get(struct request *r, const char *name, size_t *len)
{
	size_t hlen;
	const char *h = request_header(r, "cookie", &hlen);
	size_t nlen = strlen(name);
	if (!h)
		return NULL;
	size_t i = 0;
	while (i < hlen) {
		while (i < hlen && (h[i] == ' ' || h[i] == ';'))
			i++;
		size_t start = i;
		while (i < hlen && h[i] != ';')
			i++;
		const char *pair = h + start;
		size_t plen = i - start;
		if (plen > nlen && memcmp(pair, name, nlen) == 0 && pair[nlen] == '=') {
			const char *v = pair + nlen + 1;
			size_t vl = plen - nlen - 1;
			if (token_chars(v, vl)) {
				*len = vl;
				return v;
			}
		}
	}
	return NULL;
}

void cookie_set(struct request *r, const char *name, const char *value, int max_age)
{
	char line[512];
	int secure = r->w->server->cfg->secure_cookies;
	if (!token_chars(value, strlen(value)) && max_age != COOKIE_DELETE)
		return;
	if (max_age == COOKIE_DELETE)
		snprintf(line, sizeof(line), "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s", name,
			 secure ? "; Secure" : "");
	else if (max_age == COOKIE_SESSION)
		snprintf(line, sizeof(line), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s", name, value,
			 secure ? "; Secure" : "");
	else
		snprintf(line, sizeof(line), "%s=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", name, value,
			 max_age, secure ? "; Secure" : "");
	response_header(r, "set-cookie", line);
}
