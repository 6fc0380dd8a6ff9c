/*
 * qorgau: the child-protection case system of a region, in one program.
 * This file only dispatches to the commands (src/cli/).
 */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"serve", cmd_serve, "serve the web pages and the JSON API"},
	{"init", cmd_init, "create and initialise the database, and the first administrator"},
	{"migrate", cmd_migrate, "bring the database schema up to date"},
	{"user", cmd_user, "add, change, disable and list accounts"},
	{"token", cmd_token, "create, list and revoke API tokens"},
	{"audit", cmd_audit, "verify the audit log's hash chain"},
	{"calendar", cmd_calendar, "import or show the working-day calendar"},
	{"demo", cmd_demo, "fill a new database with a living demo region"},
	{"backup", cmd_backup, "copy the SQLite database consistently while it serves"},
	{"restore", cmd_restore, "make a new SQLite database from a backup"},
	{"version", cmd_version, "print the version"},
};

static void usage(FILE *out)
{
	fprintf(out, "Usage: qorgau COMMAND [OPTIONS]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nEach command takes --help. See also docs/qorgau.ini.example.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(name, "--version"))
		name = "version";
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(name, commands[i].name))
			return commands[i].run(argc - 2, argv + 2);
	fprintf(stderr, "qorgau: unknown command '%s'\n", name);
	usage(stderr);
	return 2;
}
