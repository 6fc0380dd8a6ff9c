/* qorgau backup FILE | restore FILE: a consistent copy of a SQLite database while it serves, and back. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "cli/commands.h"
#include "db/db.h"

/* The file a sqlite: URL names, or NULL for another backend. */
static const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : NULL;
}

/* Open path as a database and check it is sound and of this program's schema. */
static int check_copy(const char *path, const struct config *cfg, const char *name)
{
	char url[1100];
	snprintf(url, sizeof(url), "sqlite:%s", path);
	struct db *db = NULL;
	struct buf err = BUF_INIT, report = BUF_INIT;
	int status = 1;
	if (db_open(url, DB_MODE_READ, cfg->db_busy_timeout_ms, &db, &err) != DB_OK ||
	    db_check_schema(db, &err) != DB_OK) {
		fprintf(stderr, "qorgau %s: the copy is not usable: %s\n", name, err.ptr ? err.ptr : "?");
		goto out;
	}
	if (db_integrity_check(db, &report) != DB_OK) {
		fprintf(stderr, "qorgau %s: the copy fails its integrity check: %s\n", name, report.ptr ? report.ptr : "?");
		goto out;
	}
	status = 0;
out:
	db_close(db);
	buf_release(&err);
	buf_release(&report);
	return status;
}

int cmd_backup(int argc, char **argv)
{
	const struct command_spec spec = {
		"backup", "FILE",
		"Copy the SQLite database into FILE (a new file), consistently, while the server goes on serving.\n"
		"Keep the key file with it: sealed fields cannot be read without it. PostgreSQL: use pg_dump.",
		CFG_FOR_DATA, NULL, 1, 1};
	struct config cfg;
	char **pos;
	int npos, status = 1;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	struct db *db = NULL;
	struct buf err = BUF_INIT;
	struct stat st;
	const char *file = pos[0];
	if (!sqlite_path(cfg.database)) {
		fprintf(stderr, "qorgau backup: PostgreSQL databases are backed up with its own tools (pg_dump)\n");
		goto out;
	}
	if (stat(file, &st) == 0) {
		fprintf(stderr, "qorgau backup: '%s' exists: a backup never overwrites a file\n", file);
		status = 2;
		goto out;
	}
	if (db_open(cfg.database, DB_MODE_READ, cfg.db_busy_timeout_ms, &db, &err) != DB_OK ||
	    db_check_schema(db, &err) != DB_OK || db_backup(db, file, 0, &err) != DB_OK) {
		fprintf(stderr, "qorgau backup: %s\n", err.ptr ? err.ptr : db_errmsg(db));
		remove(file);
		goto out;
	}
	db_close(db);
	db = NULL;
	if (check_copy(file, &cfg, "backup") != 0) {
		remove(file);
		goto out;
	}
	char key[1024];
	config_key_path(&cfg, key, sizeof(key));
	if (stat(file, &st) == 0)
		printf("qorgau: backup written to %s (%lld bytes); keep the key file %s with it\n", file,
		       (long long)st.st_size, key);
	status = 0;
out:
	db_close(db);
	buf_release(&err);
	free(pos);
	config_release(&cfg);
	return status;
}

int cmd_restore(int argc, char **argv)
{
	const struct command_spec spec = {
		"restore", "FILE",
		"Make a new SQLite database (--database, which must not exist yet) from the backup FILE.\n"
		"Put the backup's key file where the settings expect it (key_file) before serving.",
		CFG_FOR_DATA, NULL, 1, 1};
	struct config cfg;
	char **pos;
	int npos, status = 1;
	int rc = args_parse(&spec, argc, argv, &cfg, &pos, &npos);
	if (rc != ARGS_OK)
		return rc == ARGS_EXIT_OK ? 0 : 2;
	struct db *db = NULL;
	struct buf err = BUF_INIT;
	struct stat st;
	const char *target = sqlite_path(cfg.database), *file = pos[0];
	if (!target) {
		fprintf(stderr, "qorgau restore: PostgreSQL databases are restored with its own tools (pg_restore)\n");
		goto out;
	}
	if (stat(file, &st) != 0) {
		fprintf(stderr, "qorgau restore: cannot read '%s': %s\n", file, strerror(errno));
		status = 2;
		goto out;
	}
	if (stat(target, &st) == 0) {
		fprintf(stderr, "qorgau restore: '%s' exists: stop the server and move the old database away first\n",
			target);
		status = 2;
		goto out;
	}
	if (check_copy(file, &cfg, "restore") != 0)
		goto out;
	if (db_open(cfg.database, DB_MODE_CREATE, cfg.db_busy_timeout_ms, &db, &err) != DB_OK ||
	    db_backup(db, file, 1, &err) != DB_OK) {
		fprintf(stderr, "qorgau restore: %s\n", err.ptr ? err.ptr : db_errmsg(db));
		goto out;
	}
	db_close(db);
	db = NULL;
	if (check_copy(target, &cfg, "restore") != 0)
		goto out;
	printf("qorgau: database %s restored from %s\n", target, file);
	status = 0;
out:
	db_close(db);
	buf_release(&err);
	free(pos);
	config_release(&cfg);
	return status;
}
