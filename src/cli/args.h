/*
 * Command-line parsing shared by every command: --name VALUE and
 * --name=VALUE, the settings' flags (config.h), --config FILE, --help.
 * Unknown options are usage errors (exit status 2).
 */
#ifndef QORGAU_CLI_ARGS_H
#define QORGAU_CLI_ARGS_H

#include "core/config.h"

struct opt {
	const char *name;    /* without "--" */
	const char *metavar; /* NULL: a flag without a value */
	const char *help;
	const char **value;  /* where the value goes (options with a value) */
	int *flag;           /* set to 1 (flags) */
};

struct command_spec {
	const char *name;    /* "serve", "user add" */
	const char *args;    /* positional arguments for the usage line, or NULL */
	const char *summary; /* one line */
	unsigned cfg_mask;   /* CFG_FOR_* settings it takes; 0 = none */
	const struct opt *opts;
	int min_positional, max_positional;
};

enum { ARGS_OK = 0, ARGS_EXIT_OK = -1, ARGS_USAGE = 2 };

/*
 * Parse argv[0..argc) (the words after the command name). With a cfg_mask,
 * loads cfg from defaults, file, environment and flags. Returns ARGS_OK,
 * ARGS_EXIT_OK after printing --help, or ARGS_USAGE after printing an error.
 * Positional arguments are left in *pos (pointers into argv).
 */
int args_parse(const struct command_spec *spec, int argc, char **argv, struct config *cfg, char ***pos, int *npos);

/* Print the command's --help text to stdout. */
void args_help(const struct command_spec *spec);

#endif
