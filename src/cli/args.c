/* Command-line parsing (args.h). */
#include "cli/args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/mem.h"

extern char **environ;

void args_help(const struct command_spec *spec)
{
	struct buf b = BUF_INIT;
	buf_printf(&b, "Usage: qorgau %s [OPTIONS]%s%s\n%s\n\nOptions:\n", spec->name, spec->args ? " " : "",
		   spec->args ? spec->args : "", spec->summary);
	for (const struct opt *o = spec->opts; o && o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
		buf_printf(&b, "  %-30s %s\n", left, o->help);
	}
	if (spec->cfg_mask) {
		buf_printf(&b, "  %-30s %s\n", "--config FILE", "read settings from an INI file (also QORGAU_CONFIG)");
		config_flags_help(&b, spec->cfg_mask);
	}
	buf_printf(&b, "  %-30s %s\n", "-h, --help", "show this help");
	if (spec->cfg_mask)
		buf_adds(&b, "\nSettings come from the --config file, then QORGAU_* environment variables, then\n"
			     "options; later ones win. See docs/qorgau.ini.example.\n");
	fputs(b.ptr, stdout);
	buf_release(&b);
}

static void usage_error(const struct command_spec *spec, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void usage_error(const struct command_spec *spec, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "qorgau %s: ", spec->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'qorgau %s --help'.\n", spec->name);
}

static const struct opt *find_opt(const struct command_spec *spec, const char *name, size_t n)
{
	for (const struct opt *o = spec->opts; o && o->name; o++)
		if (strlen(o->name) == n && memcmp(o->name, name, n) == 0)
			return o;
	return NULL;
}

/* Whether the option --name, written without "=value", takes the next word as its value. */
static int takes_value(const struct command_spec *spec, const char *name, size_t nlen)
{
	if (spec->cfg_mask && nlen == 6 && !memcmp(name, "config", 6))
		return 1;
	const struct opt *o = find_opt(spec, name, nlen);
	if (o)
		return o->metavar != NULL;
	char flag[64];
	if (!spec->cfg_mask || nlen >= sizeof(flag))
		return 0;
	memcpy(flag, name, nlen);
	flag[nlen] = '\0';
	return config_flag_lookup(flag, spec->cfg_mask) == 0;
}

int args_parse(const struct command_spec *spec, int argc, char **argv, struct config *cfg, char ***pos, int *npos)
{
	struct buf err = BUF_INIT;
	const char *config_file = getenv("QORGAU_CONFIG");
	int rc = ARGS_USAGE;

	*pos = xcalloc((size_t)argc + 1, sizeof(char *));
	*npos = 0;
	/* First pass: --help anywhere wins. */
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			args_help(spec);
			free(*pos);
			*pos = NULL;
			return ARGS_EXIT_OK;
		}
	}
	/*
	 * The settings file, before anything else loads: the --config the options
	 * name, read as the parse below reads them (a word another option takes
	 * as its value is not an option: `--label --config` labels, `--config
	 * --config F` names the file "--config" and leaves F a positional).
	 */
	for (int i = 0; spec->cfg_mask && i < argc && strcmp(argv[i], "--"); i++) {
		if (argv[i][0] != '-' || argv[i][1] != '-')
			continue;
		const char *name = argv[i] + 2, *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		if (nlen == 6 && !memcmp(name, "config", 6))
			config_file = eq ? eq + 1 : i + 1 < argc ? argv[i + 1] : config_file;
		if (!eq && takes_value(spec, name, nlen))
			i++;
	}
	if (spec->cfg_mask) {
		config_defaults(cfg);
		if (config_load_file(cfg, config_file, &err) < 0 || config_load_env(cfg, environ, &err) < 0) {
			fprintf(stderr, "qorgau %s: %s\n", spec->name, err.ptr);
			goto out;
		}
	}

	int only_positional = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (only_positional || a[0] != '-' || !strcmp(a, "-")) {
			(*pos)[(*npos)++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_positional = 1;
			continue;
		}
		if (a[1] != '-') {
			usage_error(spec, "unknown option '%s'", a);
			goto out;
		}
		const char *name = a + 2;
		const char *eq = strchr(name, '=');
		size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
		const char *value = eq ? eq + 1 : NULL;

		if (spec->cfg_mask && nlen == 6 && !memcmp(name, "config", 6)) {
			if (!value && ++i >= argc) {
				usage_error(spec, "option '%s' needs a value", a);
				goto out;
			}
			continue; /* loaded above */
		}
		const struct opt *o = find_opt(spec, name, nlen);
		if (o) {
			if (!o->metavar) {
				if (value) {
					usage_error(spec, "option '--%s' takes no value", o->name);
					goto out;
				}
				*o->flag = 1;
				continue;
			}
			if (!value) {
				if (i + 1 >= argc) {
					usage_error(spec, "option '%s' needs a value", a);
					goto out;
				}
				value = argv[++i];
			}
			*o->value = value;
			continue;
		}
		if (spec->cfg_mask) {
			char flag[64];
			if (nlen >= sizeof(flag)) {
				usage_error(spec, "unknown option '%s'", a);
				goto out;
			}
			memcpy(flag, name, nlen);
			flag[nlen] = '\0';
			int kind = config_flag_lookup(flag, spec->cfg_mask);
			if (kind >= 0) {
				if (!value && kind == 0) {
					if (i + 1 >= argc) {
						usage_error(spec, "option '%s' needs a value", a);
						goto out;
					}
					value = argv[++i];
				}
				if (config_set_flag(cfg, spec->cfg_mask, flag, value, &err) < 0) {
					fprintf(stderr, "qorgau %s: %s\n", spec->name, err.ptr);
					goto out;
				}
				continue;
			}
		}
		usage_error(spec, "unknown option '%s'", a);
		goto out;
	}
	if (*npos < spec->min_positional) {
		usage_error(spec, "missing argument: %s", spec->args ? spec->args : "");
		goto out;
	}
	if (*npos > spec->max_positional) {
		usage_error(spec, "unexpected argument '%s'", (*pos)[spec->max_positional]);
		goto out;
	}
	log_set_level((enum log_level)(spec->cfg_mask ? cfg->log_level : LOG_INFO));
	rc = ARGS_OK;
out:
	buf_release(&err);
	if (rc != ARGS_OK) {
		if (spec->cfg_mask)
			config_release(cfg);
		free(*pos);
		*pos = NULL;
		*npos = 0;
	}
	return rc;
}
