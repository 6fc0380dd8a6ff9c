/*
 * Fuzz target: the command-line parser of every `qorgau` command
 * (src/cli/args.c, args_parse), on the specs of real commands (user add,
 * token create, backup, serve, version, ...) and two made-up ones with
 * several positionals, each with its settings flags (config.h) or none.
 *
 * Each parse is checked against a model of args.h and of the --help text
 * written here: --help or -h before a "--" word prints the help and nothing
 * else counts; "--" ends the options; --name VALUE and --name=VALUE; flags
 * take no value; a later value wins over an earlier one (options, settings
 * flags, --config); unknown options, missing values and positionals out of
 * [min, max] are usage errors; settings come from the defaults, then the
 * --config file, then QORGAU_* variables, then the flags in their order.
 * Independently of the model: the status is ARGS_OK, ARGS_EXIT_OK or
 * ARGS_USAGE; every positional is a word of argv and every value a word of
 * argv or the text after its '='; flags are 0 or 1; argv is left as it
 * was; the help goes to standard output, an error to standard error, and
 * a good parse prints nothing; on a failure *pos holds nothing (callers
 * return without freeing it).
 *
 * Input: the words of argv, separated by NUL bytes (empty words, non-UTF-8
 * and long words allowed; the empty input is no words). The same argv is
 * parsed for every spec.
 *
 * Nothing outside the target is read. QORGAU_* variables are removed at
 * start-up, and each parse sees an environment of ours (environ is swapped
 * for the call): QORGAU_DB_BUSY_TIMEOUT_MS, to check the order file <
 * environment < flags, and for half the specs QORGAU_CONFIG naming env.ini,
 * which --config overrides. The file named after --config or --config= is
 * replaced by one of ours (good.ini; bad.ini, with a bad value; a
 * missing.ini that does not exist: the word names one of the last two when
 * it contains "bad" or "missing"), except the empty word and a word starting
 * with '-' that names no file, which no parse can open. Our files are in
 * memory (memfd).
 */
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/args.h"
#include "core/config.h"
#include "core/log.h"
#include "fuzz.h"

enum { MAX_WORDS = 256, MAX_OPTS = 16 };

/* --- The command specs: those of src/cli/, and two made-up ones ------------ */

struct spec_case {
	struct command_spec spec;
	const char *const *defaults; /* per option: its value before parsing (NULL: none) */
	int env_config;              /* parsed with QORGAU_CONFIG set (to env.ini) */
};

static const char *v_user_add[6];
static int f_user_add[2];
static const struct opt user_add_opts[] = {
	{"login", "LOGIN", "the login", &v_user_add[0], NULL},
	{"role", "ROLE", "admin, coordinator, ...", &v_user_add[1], NULL},
	{"name", "NAME", "full name (default: the login)", &v_user_add[2], NULL},
	{"organisation", "ID", "the organisation the account belongs to", &v_user_add[3], NULL},
	{"district", "ID", "limit the account to one district", &v_user_add[4], NULL},
	{"lang", "LANG", "kk (default), ru or en", &v_user_add[5], NULL},
	{"head", NULL, "a head psychologist", NULL, &f_user_add[0]},
	{"generate-password", NULL, "make a one-time password and print it", NULL, &f_user_add[1]},
	{0},
};
static const char lang_default[] = "kk";
static const char *const user_add_defaults[] = {NULL, NULL, NULL, NULL, NULL, lang_default, NULL, NULL};

static const char *v_user_passwd[1];
static int f_user_passwd[2];
static const struct opt user_passwd_opts[] = {
	{"login", "LOGIN", "whose password", &v_user_passwd[0], NULL},
	{"generate-password", NULL, "make a one-time password and print it", NULL, &f_user_passwd[0]},
	{"temporary", NULL, "the user must change it at the next sign-in", NULL, &f_user_passwd[1]},
	{0},
};

static const char *v_token_create[3];
static const struct opt token_create_opts[] = {
	{"user", "LOGIN", "the account the token acts as", &v_token_create[0], NULL},
	{"expires", "DAYS", "valid for this many days", &v_token_create[1], NULL},
	{"label", "TEXT", "what the token is for", &v_token_create[2], NULL},
	{0},
};

static const char *v_demo[2];
static const struct opt demo_opts[] = {
	{"scale", "N", "N times the base region", &v_demo[0], NULL},
	{"seed", "S", "another seed gives another region", &v_demo[1], NULL},
	{0},
};

static const char *v_copy[1];
static int f_copy[2];
static const struct opt copy_opts[] = {
	{"into", "DIR", "where the copies go", &v_copy[0], NULL},
	{"dry-run", NULL, "say what would be done", NULL, &f_copy[0]},
	{"force", NULL, "replace files that exist", NULL, &f_copy[1]},
	{0},
};

static const char *v_echo[1];
static int f_echo[1];
static const struct opt echo_opts[] = {
	{"format", "FMT", "text or json", &v_echo[0], NULL},
	{"verbose", NULL, "say more", NULL, &f_echo[0]},
	{0},
};

static const struct spec_case cases[] = {
	{{"user add", NULL, "Add an account.", CFG_FOR_DATA, user_add_opts, 0, 0}, user_add_defaults},
	{{"user passwd", NULL, "Set an account's password.", CFG_FOR_DATA, user_passwd_opts, 0, 0}, NULL, 1},
	{{"token create", NULL, "Create an API token.", CFG_FOR_DATA, token_create_opts, 0, 0}, NULL, 1},
	{{"token revoke", "ID", "Revoke an API token at once.", CFG_FOR_DATA, NULL, 1, 1}, NULL, 1},
	{{"backup", "FILE", "Copy the SQLite database into FILE.", CFG_FOR_DATA, NULL, 1, 1}, NULL},
	{{"demo", NULL, "Fill a new database.", CFG_FOR_DATA, demo_opts, 0, 0}, NULL, 1},
	{{"serve", NULL, "Serve the web pages and the JSON API.", CFG_FOR_DATA | CFG_FOR_SERVE, NULL, 0, 0}, NULL},
	{{"version", NULL, "Print the program's version.", 0, NULL, 0, 0}, NULL},
	{{"fuzz copy", "SRC... [DST]", "Copy (made up: one to three positionals).", CFG_FOR_SERVE, copy_opts, 1, 3},
	 NULL, 1},
	{{"fuzz echo", "[WORD...]", "Echo (made up: no settings).", 0, echo_opts, 0, 3}, NULL},
};

static const char *opt_default(const struct spec_case *sc, int i)
{
	return sc->defaults ? sc->defaults[i] : NULL;
}

/* What a command does before parsing: its variables hold their defaults. */
static void reset_outputs(const struct spec_case *sc)
{
	for (int i = 0; sc->spec.opts && sc->spec.opts[i].name; i++) {
		if (sc->spec.opts[i].value)
			*sc->spec.opts[i].value = opt_default(sc, i);
		if (sc->spec.opts[i].flag)
			*sc->spec.opts[i].flag = 0;
	}
}

/* --- Our settings files and environment --------------------------------- */

/*
 * The files live in memory (memfd), named by /proc/self/fd/N, so that
 * nothing is left behind by a process that ends without atexit (libFuzzer's
 * fork mode, a crash). The missing one is in /proc/self/fd/, where no file
 * can be made.
 */
static char good_ini[64], bad_ini[64], env_ini[64];
static const char missing_ini[] = "/proc/self/fd/missing.ini";
static const char good_text[] = "; fuzz_args: a good settings file\n"
				"[database]\nurl = sqlite:/nonexistent/fuzz-args.db\nbusy_timeout_ms = 1200\n"
				"[server]\nthreads = 3\nlisten = 127.0.0.1:9090\n"
				"[log]\nlevel = warn\n"
				"[security]\npassword_cost = minimum\n";
static const char bad_text[] = "[server]\nthreads = many\n";
static const char env_text[] = "[server]\nthreads = 5\n[security]\nlogin_window = 10m\n"
			       "[database]\nbusy_timeout_ms = 1500\n";

/*
 * The environment args_parse sees: environ is pointed at one of these for
 * each parse (and back after it), so nothing of the caller's environment
 * counts. The busy timeout beats those of the files and loses to a flag.
 */
static char env_busy[] = "QORGAU_DB_BUSY_TIMEOUT_MS=2500";
static char env_config[96];
static char *env_plain[] = {env_busy, NULL};
static char *env_with_config[] = {env_config, env_busy, NULL};

static void memory_file(char *path, size_t size, const char *name, const char *text)
{
	int fd = memfd_create(name, 0);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fuzz_fail("cannot make the in-memory file %s: %s", name, strerror(errno));
	snprintf(path, size, "/proc/self/fd/%d", fd);
	FILE *f = fopen(path, "r");
	if (!f || fgetc(f) != text[0])
		fuzz_fail("cannot read %s back through %s", name, path);
	fclose(f);
}

static void setup(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	/* No QORGAU_* variable of the caller's (each parse sees ours anyway). */
	for (int again = 1; again;) {
		again = 0;
		for (char **e = environ; *e; e++) {
			if (strncmp(*e, "QORGAU_", 7))
				continue;
			char *name = fuzz_strndup(*e, strcspn(*e, "="));
			if (unsetenv(name) < 0)
				fuzz_fail("cannot unset %s", name);
			free(name);
			again = 1;
			break;
		}
	}
	if (getenv("QORGAU_CONFIG"))
		fuzz_fail("QORGAU_CONFIG is still set");
	memory_file(good_ini, sizeof(good_ini), "good.ini", good_text);
	memory_file(bad_ini, sizeof(bad_ini), "bad.ini", bad_text);
	memory_file(env_ini, sizeof(env_ini), "env.ini", env_text);
	snprintf(env_config, sizeof(env_config), "QORGAU_CONFIG=%s", env_ini);
	if (access(missing_ini, F_OK) == 0)
		fuzz_fail("%s exists", missing_ini);
}

/* A word that a parse may open as the settings file: ours instead, or NULL to keep it. */
static const char *our_file(const char *word)
{
	if (!*word || (word[0] == '-' && access(word, F_OK) < 0))
		return NULL;
	if (strstr(word, "missing"))
		return missing_ini;
	return strstr(word, "bad") ? bad_ini : good_ini;
}

/* Replace every word that could be read as a settings file (see the top). */
static void control_config_words(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			const char *f = our_file(argv[i + 1]);
			if (f) {
				free(argv[i + 1]);
				argv[i + 1] = fuzz_strndup(f, strlen(f));
			}
		}
		if (!strncmp(argv[i], "--config=", 9)) {
			const char *f = our_file(argv[i] + 9);
			if (f) {
				size_t n = strlen(f);
				char *w = malloc(9 + n + 1);
				if (!w)
					abort();
				memcpy(w, "--config=", 9);
				memcpy(w + 9, f, n + 1);
				free(argv[i]);
				argv[i] = w;
			}
		}
	}
}

/* --- The model -------------------------------------------------------------- */

struct setting_flag {
	char *name;        /* malloc'd, without "--" */
	const char *value; /* NULL: a boolean without a value */
};

struct expect {
	int rc;
	int npos;
	int pos[MAX_WORDS];            /* indexes into argv */
	const char *value[MAX_OPTS];   /* per option, as the command's variable should hold it */
	int flag[MAX_OPTS];
	const char *config;            /* the settings file to read, or NULL */
	int nset;
	struct setting_flag set[MAX_WORDS];
	struct config cfg;             /* the settings, when rc is ARGS_OK and the spec takes some */
};

static const struct opt *model_find(const struct command_spec *spec, const char *name, size_t n, int *index)
{
	for (int i = 0; spec->opts && spec->opts[i].name; i++) {
		if (strlen(spec->opts[i].name) == n && !strncmp(spec->opts[i].name, name, n)) {
			*index = i;
			return &spec->opts[i];
		}
	}
	return NULL;
}

/* The settings: defaults, file, our environment, flags. 0, or -1 where args_parse must refuse. */
static int model_settings(const struct command_spec *spec, struct expect *e)
{
	struct buf err = BUF_INIT;
	int rc = 0;
	config_defaults(&e->cfg);
	if (config_load_file(&e->cfg, e->config, &err) < 0 || config_load_env(&e->cfg, env_plain, &err) < 0)
		rc = -1;
	for (int i = 0; !rc && i < e->nset; i++)
		if (config_set_flag(&e->cfg, spec->cfg_mask, e->set[i].name, e->set[i].value, &err) != 1)
			rc = -1;
	buf_release(&err);
	if (rc)
		config_release(&e->cfg);
	return rc;
}

/* What args_parse must do with argv for this spec. */
static void model(const struct spec_case *sc, int argc, char **argv, struct expect *e)
{
	const struct command_spec *spec = &sc->spec;
	e->rc = ARGS_USAGE;
	e->npos = 0;
	e->config = sc->env_config ? env_ini : NULL; /* QORGAU_CONFIG, unless --config */
	e->nset = 0;
	for (int i = 0; spec->opts && spec->opts[i].name; i++) {
		e->value[i] = opt_default(sc, i);
		e->flag[i] = 0;
	}
	/* --help anywhere before a "--" word wins, even as the value of an option. */
	for (int i = 0; i < argc && strcmp(argv[i], "--"); i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			e->rc = ARGS_EXIT_OK;
			return;
		}
	}
	int options_over = 0;
	for (int i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (options_over || w[0] != '-' || w[1] == '\0') {
			e->pos[e->npos++] = i;
			continue;
		}
		if (w[1] != '-')
			return; /* -x */
		if (w[2] == '\0') {
			options_over = 1;
			continue;
		}
		const char *name = w + 2;
		size_t nlen = strcspn(name, "=");
		const char *value = name[nlen] ? name + nlen + 1 : NULL;
		int k;
		const struct opt *o;
		if (spec->cfg_mask && nlen == 6 && !strncmp(name, "config", 6)) {
			if (!value && i + 1 == argc)
				return;
			e->config = value ? value : argv[++i];
		} else if ((o = model_find(spec, name, nlen, &k)) != NULL) {
			if (!o->metavar) {
				if (value)
					return; /* a flag given a value */
				e->flag[k] = 1;
				continue;
			}
			if (!value && i + 1 == argc)
				return;
			e->value[k] = value ? value : argv[++i];
		} else {
			if (!spec->cfg_mask)
				return;
			char *flag = fuzz_strndup(name, nlen);
			int kind = config_flag_lookup(flag, spec->cfg_mask);
			if (kind < 0 || (kind == 0 && !value && i + 1 == argc)) {
				free(flag);
				return;
			}
			e->set[e->nset].name = flag;
			e->set[e->nset++].value = (value || kind == 1) ? value : argv[++i];
		}
	}
	if (e->npos < spec->min_positional || e->npos > spec->max_positional)
		return;
	if (spec->cfg_mask) {
		if (model_settings(spec, e) < 0)
			return;
	}
	e->rc = ARGS_OK;
}

static void model_release(struct expect *e)
{
	for (int i = 0; i < e->nset; i++)
		free(e->set[i].name);
	e->nset = 0;
}

/* --- The checks ------------------------------------------------------------- */

/* The word that p starts, or -1. */
static int word_at(int argc, char **argv, const char *p)
{
	for (int k = 0; k < argc; k++)
		if (p == argv[k])
			return k;
	return -1;
}

/* Whether p points into a word of argv (its terminating NUL included: "--name="). */
static int inside_argv(int argc, char **argv, const char *p)
{
	for (int k = 0; k < argc; k++)
		if (p >= argv[k] && p <= argv[k] + strlen(argv[k]))
			return 1;
	return 0;
}

static void same_settings(const char *cmd, const struct config *got, const struct config *want)
{
#define SAME_STR(f)                                                                                                \
	if (!got->f || strcmp(got->f, want->f))                                                                    \
	fuzz_fail("%s: setting " #f " is '%s', want '%s'", cmd, got->f ? got->f : "(null)", want->f)
#define SAME_NUM(f)                                                                                                \
	if (got->f != want->f)                                                                                     \
	fuzz_fail("%s: setting " #f " is %lld, want %lld", cmd, (long long)got->f, (long long)want->f)
	SAME_STR(database);
	SAME_NUM(db_batch_max);
	SAME_NUM(db_busy_timeout_ms);
	SAME_STR(listen);
	SAME_STR(listen_host);
	SAME_NUM(listen_port);
	SAME_NUM(threads);
	SAME_NUM(max_body_size);
	SAME_NUM(max_header_size);
	SAME_NUM(request_timeout);
	SAME_NUM(shutdown_timeout);
	SAME_NUM(metrics_public);
	SAME_NUM(log_level);
	SAME_NUM(log_requests);
	SAME_NUM(session_idle_timeout);
	SAME_NUM(session_max_age);
	SAME_NUM(login_max_failures);
	SAME_NUM(login_window);
	SAME_NUM(login_lockout);
	SAME_NUM(login_client_max_failures);
	SAME_NUM(password_cost);
	SAME_NUM(secure_cookies);
	SAME_STR(key_file);
	SAME_NUM(utc_offset);
	SAME_NUM(contact_alert_days);
#undef SAME_STR
#undef SAME_NUM
}

/* Standard output and error of one parse, caught in memory (glibc lets stdout and stderr be assigned). */
struct capture {
	FILE *saved_out, *saved_err, *out, *err;
	char *out_text, *err_text;
	size_t out_len, err_len;
};

static void capture_begin(struct capture *c)
{
	c->out_text = c->err_text = NULL;
	c->out = open_memstream(&c->out_text, &c->out_len);
	c->err = open_memstream(&c->err_text, &c->err_len);
	if (!c->out || !c->err)
		abort();
	c->saved_out = stdout;
	c->saved_err = stderr;
	stdout = c->out;
	stderr = c->err;
}

static void capture_end(struct capture *c)
{
	stdout = c->saved_out;
	stderr = c->saved_err;
	if (fclose(c->out) || fclose(c->err))
		abort();
}

static void capture_release(struct capture *c)
{
	free(c->out_text);
	free(c->err_text);
}

static const char *status_name(int rc)
{
	return rc == ARGS_OK ? "ARGS_OK" : rc == ARGS_EXIT_OK ? "ARGS_EXIT_OK" : rc == ARGS_USAGE ? "ARGS_USAGE" : "?";
}

/* Sentinel log level: args_parse sets the level only when it succeeds. */
#define LEVEL_BEFORE LOG_ERROR

static struct expect want;

static void run_case(const struct spec_case *sc, int argc, char **argv)
{
	const struct command_spec *spec = &sc->spec;
	const char *cmd = spec->name;
	struct config cfg;
	char **pos = NULL;
	int npos = -1;
	struct capture cap;

	memset(&cfg, 0, sizeof(cfg));
	reset_outputs(sc);
	log_set_level(LEVEL_BEFORE);
	char **saved_environ = environ;
	environ = sc->env_config ? env_with_config : env_plain;
	capture_begin(&cap);
	int rc = args_parse(spec, argc, argv, spec->cfg_mask ? &cfg : NULL, &pos, &npos);
	capture_end(&cap);
	environ = saved_environ;
	enum log_level level = log_get_level();
	log_set_level(LOG_INFO);

	if (rc != ARGS_OK && rc != ARGS_EXIT_OK && rc != ARGS_USAGE)
		fuzz_fail("%s: args_parse returned %d", cmd, rc);

	/* Independent of the model: where the outputs point. */
	int nopts = 0;
	for (const struct opt *o = spec->opts; o && o->name; o++, nopts++) {
		if (o->flag && *o->flag != 0 && *o->flag != 1)
			fuzz_fail("%s: flag --%s is %d after %s", cmd, o->name, *o->flag, status_name(rc));
		if (o->value && *o->value != opt_default(sc, nopts) && !inside_argv(argc, argv, *o->value))
			fuzz_fail("%s: --%s's value points outside argv after %s", cmd, o->name, status_name(rc));
		if (rc == ARGS_EXIT_OK && ((o->value && *o->value != opt_default(sc, nopts)) || (o->flag && *o->flag)))
			fuzz_fail("%s: --%s was set although --help was given", cmd, o->name);
	}
	if (rc == ARGS_OK) {
		if (npos < spec->min_positional || npos > spec->max_positional)
			fuzz_fail("%s: %d positionals, the spec allows %d to %d", cmd, npos, spec->min_positional,
				  spec->max_positional);
		if (npos > 0 && !pos)
			fuzz_fail("%s: %d positionals and no array", cmd, npos);
		for (int i = 0; i < npos; i++)
			if (word_at(argc, argv, pos[i]) < 0)
				fuzz_fail("%s: positional %d is not a word of argv", cmd, i);
		if (cap.out_len || cap.err_len)
			fuzz_fail("%s: a good parse printed %zu bytes to stdout and %zu to stderr", cmd, cap.out_len,
				  cap.err_len);
	} else {
		if (pos)
			fuzz_fail("%s: *pos is set after %s (callers do not free it)", cmd, status_name(rc));
		if (level != LEVEL_BEFORE)
			fuzz_fail("%s: the log level changed to %d after %s", cmd, (int)level, status_name(rc));
	}
	if (rc == ARGS_EXIT_OK) {
		char head[128];
		snprintf(head, sizeof(head), "Usage: qorgau %s ", cmd);
		if (cap.out_len < strlen(head) || strncmp(cap.out_text, head, strlen(head)) || cap.err_len)
			fuzz_fail("%s: --help did not print the usage to stdout only", cmd);
		for (const struct opt *o = spec->opts; o && o->name; o++) {
			char opt[80];
			snprintf(opt, sizeof(opt), "--%s", o->name);
			if (!strstr(cap.out_text, opt))
				fuzz_fail("%s: --help does not list %s", cmd, opt);
		}
		if (!strstr(cap.out_text, "--help") || (spec->cfg_mask != 0) != (strstr(cap.out_text, "--config FILE") != NULL))
			fuzz_fail("%s: --help does not list --help, or lists --config wrongly", cmd);
	}
	if (rc == ARGS_USAGE) {
		char head[128];
		snprintf(head, sizeof(head), "qorgau %s: ", cmd);
		if (cap.err_len <= strlen(head) || strncmp(cap.err_text, head, strlen(head)) ||
		    cap.err_text[cap.err_len - 1] != '\n' || cap.out_len)
			fuzz_fail("%s: a usage error did not print 'qorgau %s: ...' to stderr only", cmd, cmd);
	}

	/* Against the model. */
	model(sc, argc, argv, &want);
	if (rc != want.rc)
		fuzz_fail("%s: args_parse returned %s, want %s", cmd, status_name(rc), status_name(want.rc));
	if (rc == ARGS_OK) {
		if (npos != want.npos)
			fuzz_fail("%s: %d positionals, want %d", cmd, npos, want.npos);
		for (int i = 0; i < npos; i++)
			if (pos[i] != argv[want.pos[i]])
				fuzz_fail("%s: positional %d is word %d of argv, want word %d", cmd, i,
					  word_at(argc, argv, pos[i]), want.pos[i]);
		for (int i = 0; i < nopts; i++) {
			const struct opt *o = &spec->opts[i];
			if (o->value && *o->value != want.value[i])
				fuzz_fail("%s: --%s is '%s', want '%s' (the last one given)", cmd, o->name,
					  *o->value ? *o->value : "(null)", want.value[i] ? want.value[i] : "(null)");
			if (o->flag && *o->flag != want.flag[i])
				fuzz_fail("%s: flag --%s is %d, want %d", cmd, o->name, *o->flag, want.flag[i]);
		}
		if (spec->cfg_mask) {
			same_settings(cmd, &cfg, &want.cfg);
			if ((int)level != want.cfg.log_level)
				fuzz_fail("%s: the log level is %d, the settings say %d", cmd, (int)level, want.cfg.log_level);
			config_release(&want.cfg);
			config_release(&cfg);
		} else if (level != LOG_INFO) {
			fuzz_fail("%s: the log level is %d without settings, want info", cmd, (int)level);
		}
		free(pos);
	}
	model_release(&want);
	capture_release(&cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS + 1], *before[MAX_WORDS], *text[MAX_WORDS];
	int argc = 0;

	setup();
	while (size && argc < MAX_WORDS) {
		const char *s;
		size_t n = fuzz_take(&data, &size, 0x00, &s);
		argv[argc++] = fuzz_strndup(s, n);
	}
	argv[argc] = NULL;
	control_config_words(argc, argv);
	for (int i = 0; i < argc; i++) {
		before[i] = argv[i];
		text[i] = fuzz_strndup(argv[i], strlen(argv[i]));
	}

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		run_case(&cases[c], argc, argv);
		for (int i = 0; i < argc; i++)
			if (argv[i] != before[i] || strcmp(argv[i], text[i]))
				fuzz_fail("%s: word %d of argv was changed", cases[c].spec.name, i);
		if (argv[argc])
			fuzz_fail("%s: argv[argc] was changed", cases[c].spec.name);
	}

	for (int i = 0; i < argc; i++) {
		free(argv[i]);
		free(text[i]);
	}
	return 0;
}
