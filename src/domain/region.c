/* Seeding a fresh database (region.h). */
#include "domain/region.h"

#include <string.h>

#include "core/crypto.h"
#include "core/mem.h"
#include "core/time.h"
#include "domain/audit.h"
#include "domain/deadlines.h"

static const struct district abai_districts[] = {
	{0, "semey", "Семей қаласы", "город Семей", "Semey city", "city", 1},
	{0, "kurchatov", "Курчатов қаласы", "город Курчатов", "Kurchatov city", "city", 1},
	{0, "abai", "Абай ауданы", "Абайский район", "Abai district", "district", 1},
	{0, "ayagoz", "Аягөз ауданы", "Аягозский район", "Ayagoz district", "district", 1},
	{0, "aksuat", "Ақсуат ауданы", "Аксуатский район", "Aksuat district", "district", 1},
	{0, "beskaragai", "Бесқарағай ауданы", "Бескарагайский район", "Beskaragai district", "district", 1},
	{0, "borodulikha", "Бородулиха ауданы", "Бородулихинский район", "Borodulikha district", "district", 1},
	{0, "zharma", "Жарма ауданы", "Жарминский район", "Zharma district", "district", 1},
	{0, "kokpekti", "Көкпекті ауданы", "Кокпектинский район", "Kokpekti district", "district", 1},
	{0, "urzhar", "Үржар ауданы", "Урджарский район", "Urzhar district", "district", 1},
	{0, "makanshy", "Мақаншы ауданы", "Маканчинский район", "Makanshy district", "district", 1},
	{0, "zhanasemey", "Жаңасемей ауданы", "Жанасемейский район", "Zhanasemey district", "district", 1},
};

int region_initialise(struct db *db, char *password, size_t password_size, struct buf *err)
{
	int64_t n = 0;
	int rc;
	static const struct actor seed_actor = {0, "cli", "cli"};
	password[0] = '\0';
	if ((rc = key_check(db, 1, err)) != DB_OK || (rc = calendar_seed(db, &seed_actor, err)) != DB_OK)
		return rc;
	if ((rc = db_district_count(db, &n)) != DB_OK) {
		buf_printf(err, "cannot count districts: %s", db_errmsg(db));
		return rc;
	}
	for (size_t i = 0; n == 0 && i < ARRAY_SIZE(abai_districts); i++) {
		struct district d = abai_districts[i];
		if ((rc = db_district_insert(db, &d)) != DB_OK) {
			buf_printf(err, "cannot add district '%s': %s", d.code, db_errmsg(db));
			return rc;
		}
	}
	if ((rc = db_user_count_role(db, "admin", &n)) != DB_OK) {
		buf_printf(err, "cannot count administrators: %s", db_errmsg(db));
		return rc;
	}
	if (n > 0)
		return DB_OK;
	char hash[PASSWORD_HASH_MAX];
	password_generate(password, password_size < 17 ? password_size : 17);
	if (password_hash(password, hash) < 0) {
		buf_printf(err, "not enough memory to hash a password");
		return DB_ERROR;
	}
	struct user u = {
		.login = "admin",
		.full_name = "Administrator",
		.role = "admin",
		.lang = "kk",
		.active = 1,
		.password_hash = hash,
		.must_change_password = 1,
		.created_at = time_now(),
	};
	rc = db_user_insert(db, &u);
	if (rc == DB_CONSTRAINT) {
		/* A disabled "admin" exists: leave accounts alone, the operator decides. */
		buf_printf(err, "a user 'admin' exists but no administrator is active: use 'qorgau user' to fix it");
		return rc;
	}
	if (rc != DB_OK) {
		buf_printf(err, "cannot create the first administrator: %s", db_errmsg(db));
		return rc;
	}
	static const struct actor init_actor = {0, "cli", "cli"};
	return audit_record(db, &init_actor, "create", "user", u.id, "first administrator (qorgau init)");
}

static const char key_check_text[] = "qorgau key check v1";

int key_check(struct db *db, int create, struct buf *err)
{
	struct arena a;
	const void *sealed;
	size_t len;
	arena_init(&a);
	int rc = db_key_check_get(db, &a, &sealed, &len);
	if (rc == DB_NOTFOUND && create) {
		struct buf b = BUF_INIT;
		seal(key_check_text, sizeof(key_check_text) - 1, "key_check", &b);
		rc = db_key_check_set(db, b.ptr, b.len);
		buf_release(&b);
	} else if (rc == DB_NOTFOUND) {
		buf_printf(err, "the database has no key check: run 'qorgau init' once");
		rc = DB_ERROR;
	} else if (rc == DB_OK) {
		struct buf plain = BUF_INIT;
		if (unseal(sealed, len, "key_check", &plain) < 0 || strcmp(plain.ptr, key_check_text)) {
			buf_printf(err, "the key file does not fit this database: sealed data could not be read with it");
			rc = DB_ERROR;
		}
		buf_release(&plain);
	}
	arena_release(&a);
	return rc;
}
