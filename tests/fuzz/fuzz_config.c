/*
 * Fuzz target: settings (src/core/config.c) from every place an operator
 * writes them: the INI file (config_load_file, through inih), QORGAU_*
 * environment variables (config_load_env) and --flags (config_set_flag),
 * and the duration and size syntax they share.
 *
 * Input: the INI file. Its lines are also tried as environment entries
 * ("QORGAU_THREADS=4"), as flags ("--threads=4") and as durations and
 * sizes, so that one corpus feeds every loader.
 */
#include <unistd.h>

#include "core/config.h"
#include "fuzz.h"

static char ini_path[64];
static int ini_fd = -1;

static void remove_ini(void)
{
	if (ini_fd >= 0) {
		close(ini_fd);
		unlink(ini_path);
	}
}

/* config_load_file reads a path: one scratch file per process, rewritten for each input. */
static void write_ini(const uint8_t *data, size_t size)
{
	if (ini_fd < 0) {
		const char *dir = getenv("TMPDIR");
		snprintf(ini_path, sizeof(ini_path), "%s/qorgau-fuzz-XXXXXX", dir && strlen(dir) < 32 ? dir : "/tmp");
		ini_fd = mkstemp(ini_path);
		if (ini_fd < 0)
			fuzz_fail("cannot create a scratch file in '%s'", ini_path);
		atexit(remove_ini);
	}
	if (ftruncate(ini_fd, 0) < 0 || (size && pwrite(ini_fd, data, size, 0) != (ssize_t)size))
		fuzz_fail("cannot write the scratch file '%s'", ini_path);
}

/* What the settings table allows, for whatever source set it. */
static void check_config(const struct config *c)
{
	char key[4096];
	if (!c->database || !c->listen || !c->key_file)
		fuzz_fail("a string setting is NULL");
	if (c->listen_port < 0 || c->listen_port > 65535 || strnlen(c->listen_host, sizeof(c->listen_host)) == sizeof(c->listen_host))
		fuzz_fail("listen %s:%d", c->listen_host, c->listen_port);
	if (c->threads < 0 || c->threads > 256 || c->db_batch_max < 1 || c->max_body_size < 1024 ||
	    c->max_header_size < 1024 || c->max_header_size > 256 * 1024 || c->session_idle_timeout < 1 ||
	    c->password_cost < 0 || c->password_cost > 2 || c->contact_alert_days < 1)
		fuzz_fail("a setting outside its range");
	if (c->utc_offset < -(14 * 3600 + 59 * 60) || c->utc_offset > 14 * 3600 + 59 * 60 || c->utc_offset % 60)
		fuzz_fail("utc_offset %d", c->utc_offset);
	config_key_path(c, key, sizeof(key));
}

/* An offset is taken only as written in the help: +HH:MM or -HH:MM. */
static void check_offset_text(const char *v)
{
	if (strlen(v) != 6 || (v[0] != '+' && v[0] != '-') || v[3] != ':' ||
	    strspn(v + 1, "0123456789") != 2 || strspn(v + 4, "0123456789") != 2)
		fuzz_fail("utc-offset '%s' taken", v);
}

/* One line as an environment entry, a flag, a duration and a size. */
static void try_line(struct config *cfg, char *line)
{
	struct buf err = BUF_INIT;
	char *env[2] = {line, NULL};
	int rc = config_load_env(cfg, env, &err);
	if (rc < 0 && !err.len)
		fuzz_fail("an environment error without a message");
	if (rc == 0 && !strncmp(line, "QORGAU_UTC_OFFSET=", 18))
		check_offset_text(line + 18);
	buf_reset(&err);
	if (!strncmp(line, "--", 2)) {
		char *eq = strchr(line, '=');
		if (eq)
			*eq = '\0';
		rc = config_set_flag(cfg, CFG_FOR_DATA | CFG_FOR_SERVE, line + 2, eq ? eq + 1 : NULL, &err);
		if (rc < 0 && !err.len)
			fuzz_fail("a flag error without a message");
		if (rc == 1 && !strcmp(line + 2, "utc-offset"))
			check_offset_text(eq ? eq + 1 : "true");
		if (eq)
			*eq = '=';
	}
	long long secs;
	size_t bytes;
	if (config_parse_duration(line, &secs) == 0 && secs < 0)
		fuzz_fail("duration '%s' is %lld seconds", line, secs);
	(void)config_parse_size(line, &bytes);
	buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct buf err = BUF_INIT;
	write_ini(data, size);
	config_defaults(&cfg);
	if (config_load_file(&cfg, ini_path, &err) < 0 && !err.len)
		fuzz_fail("a file error without a message");
	check_config(&cfg);

	char *text = fuzz_strndup(data, size);
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		try_line(&cfg, line);
	}
	check_config(&cfg);
	free(text);
	config_release(&cfg);
	buf_release(&err);
	return 0;
}
