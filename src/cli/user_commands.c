/* qorgau user add|passwd|disable|enable|list, token create|list|revoke, audit verify. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/crypto.h"
#include "core/i18n.h"
#include "core/time.h"
#include "domain/account.h"
#include "db/writer.h"
#include "domain/audit.h"

static const struct actor cli_actor = {0, "cli", "cli"};

/* Parse, set up crypto, open the database for writing. NULL after printing why. */
static struct db *open_for(const struct command_spec *spec, int argc, char **argv, struct config *cfg, char ***pos,
			   int *npos, int *status)
{
	int rc = args_parse(spec, argc, argv, cfg, pos, npos);
	if (rc != ARGS_OK) {
		*status = rc == ARGS_EXIT_OK ? 0 : 2;
		return NULL;
	}
	crypto_init();
	crypto_set_password_cost(cfg->password_cost);
	struct buf err = BUF_INIT;
	struct db *db = NULL;
	if (db_open(cfg->database, DB_MODE_WRITE, cfg->db_busy_timeout_ms, &db, &err) != DB_OK ||
	    db_check_schema(db, &err) != DB_OK) {
		fprintf(stderr, "qorgau %s: %s\n", spec->name, err.ptr);
		db_close(db);
		db = NULL;
		*status = 1;
		free(*pos);
		*pos = NULL;
		config_release(cfg);
	}
	buf_release(&err);
	return db;
}

static void done_with(struct db *db, struct config *cfg, char **pos)
{
	db_close(db);
	config_release(cfg);
	free(pos);
}

/* One line from standard input, without its newline; -1 if none. */
static int read_password(char *out, size_t size)
{
	if (!fgets(out, (int)size, stdin))
		return -1;
	size_t n = strcspn(out, "\r\n");
	if (out[n] == '\0' && n == size - 1)
		return -1; /* longer than we take */
	out[n] = '\0';
	return 0;
}

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || errno || *end || v < 1)
		return -1;
	*out = v;
	return 0;
}

struct user_add {
	struct user u;
};

static int run_user_add(struct db *db, struct write_job *job)
{
	struct user_add *c = job->arg;
	return account_create(db, &cli_actor, &c->u);
}

static int user_add(int argc, char **argv)
{
	const char *login = NULL, *role = NULL, *name = NULL, *org = NULL, *district = NULL, *lang = "kk";
	int head = 0, generate = 0, status = 1;
	const struct opt opts[] = {
		{"login", "LOGIN", "the login (3–64 of a-z 0-9 . _ -)", &login, NULL},
		{"role", "ROLE", "admin, coordinator, psychologist, prosecutor, ombudsman, school, mentor_org, lecturer",
		 &role, NULL},
		{"name", "NAME", "full name (default: the login)", &name, NULL},
		{"organisation", "ID", "the organisation the account belongs to", &org, NULL},
		{"district", "ID", "limit the account to one district", &district, NULL},
		{"lang", "LANG", "kk (default), ru or en", &lang, NULL},
		{"head", NULL, "a head psychologist", NULL, &head},
		{"generate-password", NULL, "make a one-time password and print it (else read one from standard input)",
		 NULL, &generate},
		{0},
	};
	const struct command_spec spec = {"user add", NULL,
					  "Add an account. The password is read from standard input, one line.",
					  CFG_FOR_DATA, opts, 0, 0};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	struct user_add c = {0};
	char password[260], hash[PASSWORD_HASH_MAX];
	const char *field, *code;
	if (!login || !login_is_valid(login)) {
		fprintf(stderr, "qorgau user add: --login: give 3 to 64 of a-z 0-9 . _ -, starting with a letter\n");
		status = 2;
		goto out;
	}
	if (!role || role_parse(role) == ROLE_NONE) {
		fprintf(stderr, "qorgau user add: --role: one of admin, coordinator, psychologist, prosecutor, ombudsman, "
				"school, mentor_org, lecturer\n");
		status = 2;
		goto out;
	}
	if (lang_parse(lang, strlen(lang)) == LANG_COUNT) {
		fprintf(stderr, "qorgau user add: --lang: kk, ru or en\n");
		status = 2;
		goto out;
	}
	c.u.login = login;
	c.u.full_name = name ? name : login;
	c.u.role = role;
	c.u.is_head = head;
	c.u.lang = lang;
	c.u.active = 1;
	c.u.created_at = time_now();
	if ((org && parse_id(org, &c.u.organisation_id) < 0) || (district && parse_id(district, &c.u.district_id) < 0)) {
		fprintf(stderr, "qorgau user add: --organisation and --district take a number\n");
		status = 2;
		goto out;
	}
	if (account_validate(db, &c.u, &field, &code) != DB_OK || code) {
		fprintf(stderr, "qorgau user add: %s: %s\n", field ? field : "account", code ? code : db_errmsg(db));
		status = code ? 2 : 1;
		goto out;
	}
	if (generate) {
		password_generate(password, 17);
		c.u.must_change_password = 1;
	} else if (read_password(password, sizeof(password)) < 0) {
		fprintf(stderr, "qorgau user add: give the password on standard input (or use --generate-password)\n");
		status = 2;
		goto out;
	} else {
		const char *problem = password_problem(password, login, c.u.full_name);
		if (problem) {
			fprintf(stderr, "qorgau user add: %s\n", password_problem_text(problem));
			status = 2;
			goto out;
		}
	}
	if (password_hash(password, hash) < 0) {
		fprintf(stderr, "qorgau user add: not enough memory to hash the password\n");
		goto out;
	}
	c.u.password_hash = hash;
	struct write_job job = {.run = run_user_add, .arg = &c};
	int rc = writer_run_now(db, &job);
	if (rc == DB_CONSTRAINT) {
		fprintf(stderr, "qorgau user add: the login '%s' is taken\n", login);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "qorgau user add: %s\n", db_errmsg(db));
		goto out;
	}
	if (generate)
		printf("%s\n", password);
	else
		printf("qorgau: user '%s' added (id %lld)\n", login, (long long)c.u.id);
	status = 0;
out:
	done_with(db, &cfg, pos);
	return status;
}

/* Find the account named by --login; prints why not. */
static int find_user(struct db *db, const char *cmd, const char *login, struct arena *a, struct user *u)
{
	if (!login) {
		fprintf(stderr, "qorgau %s: --login is required\n", cmd);
		return 2;
	}
	int rc = db_user_get_by_login(db, login, a, u);
	if (rc == DB_NOTFOUND) {
		fprintf(stderr, "qorgau %s: no user '%s'\n", cmd, login);
		return 1;
	}
	if (rc) {
		fprintf(stderr, "qorgau %s: %s\n", cmd, db_errmsg(db));
		return 1;
	}
	return 0;
}

struct passwd_job {
	int64_t user_id;
	const char *hash;
	int must_change;
	int active;
};

static int run_passwd(struct db *db, struct write_job *job)
{
	struct passwd_job *c = job->arg;
	return account_set_password(db, &cli_actor, c->user_id, c->hash, c->must_change, 0);
}

static int user_passwd(int argc, char **argv)
{
	const char *login = NULL;
	int generate = 0, temporary = 0, status = 1;
	const struct opt opts[] = {
		{"login", "LOGIN", "whose password", &login, NULL},
		{"generate-password", NULL, "make a one-time password and print it", NULL, &generate},
		{"temporary", NULL, "the user must change it at the next sign-in", NULL, &temporary},
		{0},
	};
	const struct command_spec spec = {
		"user passwd", NULL,
		"Set an account's password, read from standard input, and sign the account out everywhere.",
		CFG_FOR_DATA, opts, 0, 0};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	struct arena a;
	struct user u;
	char password[260], hash[PASSWORD_HASH_MAX];
	arena_init(&a);
	if ((status = find_user(db, spec.name, login, &a, &u)) != 0)
		goto out;
	status = 2;
	if (generate) {
		password_generate(password, 17);
		temporary = 1;
	} else if (read_password(password, sizeof(password)) < 0) {
		fprintf(stderr, "qorgau user passwd: give the password on standard input (or use --generate-password)\n");
		goto out;
	} else {
		const char *problem = password_problem(password, u.login, u.full_name);
		if (problem) {
			fprintf(stderr, "qorgau user passwd: %s\n", password_problem_text(problem));
			goto out;
		}
	}
	status = 1;
	if (password_hash(password, hash) < 0)
		goto out;
	struct passwd_job c = {u.id, hash, temporary, 1};
	struct write_job job = {.run = run_passwd, .arg = &c};
	if (writer_run_now(db, &job) != DB_OK) {
		fprintf(stderr, "qorgau user passwd: %s\n", db_errmsg(db));
		goto out;
	}
	if (generate)
		printf("%s\n", password);
	else
		printf("qorgau: password of '%s' changed\n", u.login);
	status = 0;
out:
	arena_release(&a);
	done_with(db, &cfg, pos);
	return status;
}

static int run_set_active(struct db *db, struct write_job *job)
{
	struct passwd_job *c = job->arg;
	return account_set_active(db, &cli_actor, c->user_id, c->active);
}

static int user_set_active(int argc, char **argv, int active)
{
	const char *login = NULL;
	int status = 1;
	const struct opt opts[] = {{"login", "LOGIN", "which account", &login, NULL}, {0}};
	const struct command_spec spec = {active ? "user enable" : "user disable", NULL,
					  active ? "Let a disabled account sign in again."
						 : "Stop an account from signing in; its sessions end at once.",
					  CFG_FOR_DATA, opts, 0, 0};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	struct arena a;
	struct user u;
	arena_init(&a);
	if ((status = find_user(db, spec.name, login, &a, &u)) != 0)
		goto out;
	struct passwd_job c = {u.id, NULL, 0, active};
	struct write_job job = {.run = run_set_active, .arg = &c};
	if (writer_run_now(db, &job) != DB_OK) {
		fprintf(stderr, "qorgau %s: %s\n", spec.name, db_errmsg(db));
		status = 1;
		goto out;
	}
	printf("qorgau: user '%s' %s\n", u.login, active ? "enabled" : "disabled");
out:
	arena_release(&a);
	done_with(db, &cfg, pos);
	return status;
}

static int user_list(int argc, char **argv)
{
	int status = 1;
	const struct command_spec spec = {"user list", NULL, "List the accounts.", CFG_FOR_DATA, NULL, 0, 0};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	struct arena a;
	struct user *items;
	size_t n;
	arena_init(&a);
	if (db_user_list(db, &a, &items, &n) != DB_OK) {
		fprintf(stderr, "qorgau user list: %s\n", db_errmsg(db));
		goto out;
	}
	printf("%-6s %-20s %-13s %-4s %-6s %-6s %s\n", "ID", "LOGIN", "ROLE", "HEAD", "ORG", "DISTR", "STATE");
	for (size_t i = 0; i < n; i++) {
		const struct user *u = &items[i];
		printf("%-6lld %-20s %-13s %-4s %-6lld %-6lld %s\n", (long long)u->id, u->login, u->role,
		       u->is_head ? "yes" : "-", (long long)u->organisation_id, (long long)u->district_id,
		       u->active ? "active" : "disabled");
	}
	status = 0;
out:
	arena_release(&a);
	done_with(db, &cfg, pos);
	return status;
}

int cmd_user(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "add"))
		return user_add(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "passwd"))
		return user_passwd(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "disable"))
		return user_set_active(argc - 1, argv + 1, 0);
	if (argc >= 1 && !strcmp(argv[0], "enable"))
		return user_set_active(argc - 1, argv + 1, 1);
	if (argc >= 1 && !strcmp(argv[0], "list"))
		return user_list(argc - 1, argv + 1);
	int help = argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"));
	fprintf(help ? stdout : stderr,
		"Usage: qorgau user add|passwd|disable|enable|list [OPTIONS]\n"
		"Manage accounts. Each subcommand takes --help.\n");
	if (!help && argc >= 1)
		fprintf(stderr, "qorgau user: unknown subcommand '%s'\n", argv[0]);
	return help ? 0 : 2;
}

/* --- tokens --- */

struct token_job {
	int64_t user_id;
	const char *label;
	int64_t expires_at;
	char token[TOKEN_TEXT_LEN + 1];
	int64_t id;
};

static int run_token_create(struct db *db, struct write_job *job)
{
	struct token_job *c = job->arg;
	unsigned char hash[TOKEN_HASH_BYTES];
	token_new(c->token);
	token_hash(c->token, strlen(c->token), hash);
	int rc = db_token_insert(db, hash, sizeof(hash), c->user_id, c->label, time_now(), c->expires_at, &c->id);
	return rc ? rc : audit_record(db, &cli_actor, "create", "api_token", c->id, c->label);
}

static int token_create(int argc, char **argv)
{
	const char *login = NULL, *days = NULL, *label = NULL;
	int status = 1;
	const struct opt opts[] = {
		{"user", "LOGIN", "the account the token acts as", &login, NULL},
		{"expires", "DAYS", "valid for this many days (default: until revoked)", &days, NULL},
		{"label", "TEXT", "what the token is for", &label, NULL},
		{0},
	};
	const struct command_spec spec = {"token create", NULL,
					  "Create an API token and print it (only it) on standard output; only its "
					  "hash is stored.",
					  CFG_FOR_DATA, opts, 0, 0};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	struct arena a;
	struct user u;
	arena_init(&a);
	int64_t ndays = 0;
	if (days && (parse_id(days, &ndays) < 0 || ndays > 3650)) {
		fprintf(stderr, "qorgau token create: --expires: a number of days from 1 to 3650\n");
		status = 2;
		goto out;
	}
	if ((status = find_user(db, spec.name, login, &a, &u)) != 0)
		goto out;
	status = 1;
	if (!u.active) {
		fprintf(stderr, "qorgau token create: user '%s' is disabled\n", u.login);
		goto out;
	}
	struct token_job c = {u.id, label, ndays ? time_now() + ndays * 86400 : 0, {0}, 0};
	struct write_job job = {.run = run_token_create, .arg = &c};
	if (writer_run_now(db, &job) != DB_OK) {
		fprintf(stderr, "qorgau token create: %s\n", db_errmsg(db));
		goto out;
	}
	printf("%s\n", c.token);
	status = 0;
out:
	arena_release(&a);
	done_with(db, &cfg, pos);
	return status;
}

static void print_time(int64_t t)
{
	if (!t) {
		printf("%-17s ", "-");
		return;
	}
	int64_t local = t + 5 * 3600;
	char d[11];
	date_format(local / 86400, d);
	printf("%s %02d:%02d  ", d, (int)(local % 86400 / 3600), (int)(local % 3600 / 60));
}

static int token_list(int argc, char **argv)
{
	const char *login = NULL;
	int status = 1;
	const struct opt opts[] = {{"user", "LOGIN", "only this account's tokens", &login, NULL}, {0}};
	const struct command_spec spec = {"token list", NULL, "List API tokens (never the tokens themselves).",
					  CFG_FOR_DATA, opts, 0, 0};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	struct arena a;
	struct user u = {0};
	struct api_token *items;
	size_t n;
	arena_init(&a);
	if (login && (status = find_user(db, spec.name, login, &a, &u)) != 0)
		goto out;
	status = 1;
	if (db_token_list(db, u.id, &a, &items, &n) != DB_OK) {
		fprintf(stderr, "qorgau token list: %s\n", db_errmsg(db));
		goto out;
	}
	printf("%-6s %-20s %-17s %-17s %-17s %s\n", "ID", "USER", "CREATED", "EXPIRES", "REVOKED", "LABEL");
	for (size_t i = 0; i < n; i++) {
		printf("%-6lld %-20s ", (long long)items[i].id, items[i].login);
		print_time(items[i].created_at);
		print_time(items[i].expires_at);
		print_time(items[i].revoked_at);
		printf("%s\n", items[i].label ? items[i].label : "");
	}
	status = 0;
out:
	arena_release(&a);
	done_with(db, &cfg, pos);
	return status;
}

static int run_token_revoke(struct db *db, struct write_job *job)
{
	int64_t *id = job->arg;
	int rc = db_token_revoke(db, *id, time_now());
	return rc ? rc : audit_record(db, &cli_actor, "revoke", "api_token", *id, NULL);
}

static int token_revoke(int argc, char **argv)
{
	int status = 1;
	const struct command_spec spec = {"token revoke", "ID", "Revoke an API token at once.", CFG_FOR_DATA, NULL, 1,
					  1};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	int64_t id;
	if (parse_id(pos[0], &id) < 0) {
		fprintf(stderr, "qorgau token revoke: ID must be a token number (see 'qorgau token list')\n");
		status = 2;
		goto out;
	}
	struct write_job job = {.run = run_token_revoke, .arg = &id};
	int rc = writer_run_now(db, &job);
	if (rc == DB_NOTFOUND) {
		fprintf(stderr, "qorgau token revoke: no valid token %lld\n", (long long)id);
		goto out;
	}
	if (rc) {
		fprintf(stderr, "qorgau token revoke: %s\n", db_errmsg(db));
		goto out;
	}
	printf("qorgau: token %lld revoked\n", (long long)id);
	status = 0;
out:
	done_with(db, &cfg, pos);
	return status;
}

int cmd_token(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "create"))
		return token_create(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "list"))
		return token_list(argc - 1, argv + 1);
	if (argc >= 1 && !strcmp(argv[0], "revoke"))
		return token_revoke(argc - 1, argv + 1);
	int help = argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"));
	fprintf(help ? stdout : stderr, "Usage: qorgau token create|list|revoke [OPTIONS]\n"
					"Manage API tokens (Authorization: Bearer). Each subcommand takes --help.\n");
	if (!help && argc >= 1)
		fprintf(stderr, "qorgau token: unknown subcommand '%s'\n", argv[0]);
	return help ? 0 : 2;
}

/* --- audit --- */

static int audit_verify_cmd(int argc, char **argv)
{
	int status = 1;
	const struct command_spec spec = {"audit verify", NULL,
					  "Walk the audit chain and report the first row that does not match.",
					  CFG_FOR_DATA, NULL, 0, 0};
	struct config cfg;
	char **pos;
	int npos;
	struct db *db = open_for(&spec, argc, argv, &cfg, &pos, &npos, &status);
	if (!db)
		return status;
	struct audit_report rep;
	int rc = audit_verify(db, &rep);
	if (rc) {
		fprintf(stderr, "qorgau audit verify: %s\n", db_errmsg(db));
	} else if (rep.first_bad_id) {
		printf("qorgau: audit chain BROKEN at row %lld: %s (%lld rows before it are intact)\n",
		       (long long)rep.first_bad_id, rep.problem, (long long)rep.rows);
	} else {
		printf("qorgau: audit chain intact: %lld rows\n", (long long)rep.rows);
		status = 0;
	}
	done_with(db, &cfg, pos);
	return status;
}

int cmd_audit(int argc, char **argv)
{
	if (argc >= 1 && !strcmp(argv[0], "verify"))
		return audit_verify_cmd(argc - 1, argv + 1);
	int help = argc >= 1 && (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h"));
	fprintf(help ? stdout : stderr, "Usage: qorgau audit verify [OPTIONS]\nCheck the audit log's hash chain.\n");
	if (!help && argc >= 1)
		fprintf(stderr, "qorgau audit: unknown subcommand '%s'\n", argv[0]);
	return help ? 0 : 2;
}
