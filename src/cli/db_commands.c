/* qorgau serve | init | migrate | version. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "core/crypto.h"
#include "core/log.h"
#include "db/db.h"
#include "db/writer.h"
#include "domain/deadlines.h"
#include "domain/region.h"
#include "http/input.h"
#include "http/server.h"

#define QORGAU_VERSION "0.1.0"

int cmd_serve(int argc, char **argv)
{
	static const struct command_spec spec = {
		"serve", NULL, "Serve the web pages and the JSON API until SIGTERM or SIGINT.",
		CFG_FOR_DATA | CFG_FOR_SERVE, NULL, 0, 0,
	};
	struct config cfg;
	char **pos;
	int npos;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	free(pos);
	crypto_init();
	crypto_set_password_cost(cfg.password_cost);
	input_local_offset = cfg.utc_offset;
	deadlines_set_offset(cfg.utc_offset);
	char key_path[1024];
	struct buf err = BUF_INIT;
	config_key_path(&cfg, key_path, sizeof(key_path));
	if (crypto_load_key(key_path, 0, &err) < 0) {
		fprintf(stderr, "qorgau serve: %s\n", err.ptr);
		buf_release(&err);
		config_release(&cfg);
		return 1;
	}
	buf_release(&err);
	int status = server_run(&cfg);
	deadlines_release();
	config_release(&cfg);
	return status;
}

struct init_job {
	char password[24];
	struct buf err;
};

static int run_init(struct db *db, struct write_job *job)
{
	struct init_job *ij = job->arg;
	return region_initialise(db, ij->password, sizeof(ij->password), &ij->err);
}

int cmd_init(int argc, char **argv)
{
	static const struct command_spec spec = {
		"init", NULL,
		"Create the database if needed, bring its schema up to date, seed the region's districts\n"
		"and create the first administrator (its one-time password is printed once).",
		CFG_FOR_DATA, NULL, 0, 0,
	};
	struct config cfg;
	char **pos;
	int npos, from, to;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	free(pos);
	crypto_init();
	crypto_set_password_cost(cfg.password_cost);

	struct buf err = BUF_INIT;
	struct db *db = NULL;
	struct init_job ij = {.err = BUF_INIT};
	int status = 1;
	char key_path[1024];
	if (db_open(cfg.database, DB_MODE_CREATE, cfg.db_busy_timeout_ms, &db, &err) != DB_OK) {
		fprintf(stderr, "qorgau init: %s\n", err.ptr);
		goto out;
	}
	config_key_path(&cfg, key_path, sizeof(key_path));
	if (crypto_load_key(key_path, 1, &err) < 0) {
		fprintf(stderr, "qorgau init: %s\n", err.ptr);
		goto out;
	}
	if (db_migrate(db, &from, &to, &err) != DB_OK) {
		fprintf(stderr, "qorgau init: %s\n", err.ptr);
		goto out;
	}
	struct write_job job = {.run = run_init, .arg = &ij};
	if (writer_run_now(db, &job) != DB_OK) {
		fprintf(stderr, "qorgau init: %s\n", ij.err.len ? ij.err.ptr : db_errmsg(db));
		goto out;
	}
	printf("qorgau: database %s is ready (schema version %d)\n", cfg.database, to);
	if (ij.password[0])
		printf("qorgau: first administrator: login 'admin', one-time password '%s'\n"
		       "qorgau: the password must be changed at the first sign-in; it is not shown again\n",
		       ij.password);
	status = 0;
out:
	db_close(db);
	buf_release(&err);
	buf_release(&ij.err);
	config_release(&cfg);
	return status;
}

int cmd_migrate(int argc, char **argv)
{
	static const struct command_spec spec = {
		"migrate", NULL, "Apply the schema migrations this program has and the database lacks.",
		CFG_FOR_DATA, NULL, 0, 0,
	};
	struct config cfg;
	char **pos;
	int npos, from = 0, to = 0;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	free(pos);
	struct buf err = BUF_INIT;
	struct db *db = NULL;
	int status = 1;
	if (db_open(cfg.database, DB_MODE_WRITE, cfg.db_busy_timeout_ms, &db, &err) != DB_OK) {
		fprintf(stderr, "qorgau migrate: %s\n", err.ptr);
		goto out;
	}
	if (db_migrate(db, &from, &to, &err) != DB_OK) {
		fprintf(stderr, "qorgau migrate: %s\n", err.ptr);
		goto out;
	}
	if (from == to)
		printf("qorgau: schema is up to date (version %d)\n", to);
	else
		printf("qorgau: schema migrated from version %d to %d\n", from, to);
	status = 0;
out:
	db_close(db);
	buf_release(&err);
	config_release(&cfg);
	return status;
}

int cmd_version(int argc, char **argv)
{
	static const struct command_spec spec = {
		"version", NULL, "Print the program's version and the versions it was built with.", 0, NULL, 0, 0,
	};
	char **pos;
	int npos;
	int rc = args_parse(&spec, argc, argv, NULL, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	free(pos);
	printf("qorgau %s (schema %d, SQLite %s)\n", QORGAU_VERSION, db_schema_latest(), sqlite3_libversion());
	return 0;
}
