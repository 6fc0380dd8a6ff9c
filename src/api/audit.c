/* GET /api/v1/audit: the audit log, newest first, for administrators and the prosecutor's office. */
#include <string.h>

#include "api/api.h"
#include "core/crypto.h"
#include "core/time.h"
#include "http/json.h"

const struct field audit_list_fields[] = {
	{"user_id", FT_ID, 0, 0, 0, NULL},
	{"resource", FT_LINE, 0, 1, 40, NULL},
	{"resource_id", FT_ID, 0, 0, 0, NULL},
	{"action", FT_LINE, 0, 1, 40, NULL},
	{"from", FT_DATE, 0, 0, 0, NULL},
	{"to", FT_DATE, 0, 0, 0, NULL},
	{"limit", FT_INT, 0, 1, 500, NULL},
	{"after", FT_ID, 0, 0, 0, NULL},
	{NULL, 0, 0, 0, 0, NULL},
};

/* Local midnight of a YYYY-MM-DD date as Unix seconds. */
int64_t local_day_start(const char *date)
{
	int64_t days;
	if (!date || date_to_days(date, &days) < 0)
		return 0;
	return days * 86400 - input_local_offset;
}

int api_audit_filter(struct request *r, struct audit_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->before_id = input_int(&r->in, "after", 0);
	f->user_id = input_int(&r->in, "user_id", 0);
	f->resource = input_str(&r->in, "resource");
	f->resource_id = input_int(&r->in, "resource_id", 0);
	f->action = input_str(&r->in, "action");
	f->from = local_day_start(input_str(&r->in, "from"));
	f->to = input_has(&r->in, "to") ? local_day_start(input_str(&r->in, "to")) + 86400 : 0;
	f->limit = (int)input_int(&r->in, "limit", 50);
	return 0;
}

void api_audit_list(struct request *r)
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
	struct json j;
	struct buf hex = BUF_INIT;
	api_items_begin(&j, &r->body);
	for (size_t i = 0; i < n; i++) {
		const struct audit_row *a = &rows[i];
		json_object_begin(&j);
		json_kv_int(&j, "id", a->id);
		api_kv_time(&j, "at", a->at);
		json_kv_id(&j, "user_id", a->user_id);
		json_kv_str(&j, "login", a->login);
		json_kv_str(&j, "role", a->role);
		json_kv_str(&j, "action", a->action);
		json_kv_str(&j, "resource", a->resource);
		json_kv_id(&j, "resource_id", a->resource_id);
		json_kv_str(&j, "client", a->client);
		json_kv_str(&j, "outcome", a->outcome);
		json_kv_str(&j, "detail", a->detail);
		buf_reset(&hex);
		hex_encode(&hex, a->hash, AUDIT_HASH_BYTES);
		json_kv_str(&j, "hash", hex.ptr);
		json_object_end(&j);
	}
	api_items_end(&j, n == (size_t)f.limit && n > 0 ? arena_printf(&r->arena, "%lld", (long long)rows[n - 1].id)
							   : NULL);
	buf_release(&hex);
	respond_json(r, 200);
}

void api_permissions(struct request *r)
{
	struct json j;
	json_init(&j, &r->body);
	json_object_begin(&j);
	json_key(&j, "roles");
	json_array_begin(&j);
	for (int role = ROLE_FIRST; role < ROLE_COUNT; role++)
		json_str(&j, role_name((enum role)role));
	json_array_end(&j);
	json_key(&j, "grants");
	json_array_begin(&j);
	for (int res = RES_SELF; res < RES_COUNT; res++) {
		for (int act = 0; act < ACT_COUNT; act++) {
			struct perm p = {(unsigned char)act, (unsigned char)res};
			int any = 0;
			for (int role = ROLE_FIRST; role < ROLE_COUNT; role++)
				any |= authz_scope((enum role)role, p) != SCOPE_NONE;
			if (!any)
				continue;
			json_object_begin(&j);
			json_kv_str(&j, "resource", resource_name((enum resource)res));
			json_kv_str(&j, "action", action_name((enum action)act));
			json_key(&j, "scopes");
			json_object_begin(&j);
			for (int role = ROLE_FIRST; role < ROLE_COUNT; role++)
				json_kv_str(&j, role_name((enum role)role), scope_name(authz_scope((enum role)role, p)));
			json_object_end(&j);
			json_object_end(&j);
		}
	}
	json_array_end(&j);
	json_object_end(&j);
	respond_json(r, 200);
}
