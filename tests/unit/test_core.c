/* Unit tests: buffers, arenas, UTF-8, the JSON writer, dates, settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/csv.h"
#include "core/time.h"
#include "http/json.h"
#include "text/utf8.h"

static void test_buf_grows_and_terminates(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_non_null(b.ptr);
	assert_string_equal(b.ptr, "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.ptr[b.len], '\0');
	assert_true(strncmp(b.ptr, "0,1,2,", 6) == 0);
	size_t n;
	char *p = buf_detach(&b, &n);
	assert_int_equal(strlen(p), n);
	assert_int_equal(b.len, 0);
	free(p);
	buf_truncate(&b, 10); /* on an empty buffer: nothing to do */
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void test_arena_alignment_and_large(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (int i = 0; i < 100; i++) {
		void *p = arena_alloc(&a, (size_t)(i % 7) + 1);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	}
	char *big = arena_alloc(&a, 100000);
	memset(big, 'x', 100000);
	char *s = arena_strdup(&a, "after a big one");
	assert_string_equal(s, "after a big one");
	assert_string_equal(arena_printf(&a, "%d-%s", 42, "x"), "42-x");
	arena_release(&a);
}

static void test_utf8_strict(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(utf8_decode("\xd3\x98", 2, &cp), 2); /* Ә */
	assert_int_equal(cp, 0x4d8);
	assert_int_equal(utf8_decode("\xc0\x80", 2, &cp), 0);         /* overlong NUL */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);     /* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
	assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), 0);         /* truncated */
	assert_true(utf8_valid("Әсемгүл Жанбұлатқызы", strlen("Әсемгүл Жанбұлатқызы")));
	assert_false(utf8_valid("abc\xff", 4));
	assert_int_equal(utf8_length("Әсем", strlen("Әсем")), 4);
	char out[4];
	assert_int_equal(utf8_encode(0x1f600, out), 4);
	assert_int_equal(utf8_encode(0xd800, out), 0);
}

static void test_json_writer(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	struct json j;
	json_init(&j, &b);
	json_object_begin(&j);
	json_kv_int(&j, "id", -5);
	json_kv_str(&j, "s", "a\"b\\c\n<script>\x01");
	json_kv_str(&j, "null", NULL);
	json_key(&j, "list");
	json_array_begin(&j);
	json_int(&j, 1);
	json_bool(&j, 0);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_end(&j);
	json_kv_str(&j, "bad", "x\xffy");
	json_kv_str(&j, "kk", "Қорғау");
	json_object_end(&j);
	assert_string_equal(b.ptr, "{\"id\":-5,\"s\":\"a\\\"b\\\\c\\n\\u003cscript\\u003e\\u0001\",\"null\":null,"
				   "\"list\":[1,false,{}],\"bad\":\"x\\ufffdy\",\"kk\":\"Қорғау\"}");
	buf_release(&b);
}

static void test_civil_dates(void **state)
{
	(void)state;
	assert_int_equal(days_from_civil(1970, 1, 1), 0);
	assert_int_equal(days_from_civil(2000, 3, 1), 11017);
	int y, m, d;
	civil_from_days(days_from_civil(2024, 2, 29), &y, &m, &d);
	assert_int_equal(y, 2024);
	assert_int_equal(m, 2);
	assert_int_equal(d, 29);
	assert_int_equal(weekday_from_days(days_from_civil(2026, 11, 25)), 2); /* a Wednesday */
	int64_t days;
	assert_int_equal(date_to_days("2026-03-21", &days), 0);
	char out[11];
	date_format(days, out);
	assert_string_equal(out, "2026-03-21");
	assert_int_equal(date_to_days("2025-02-29", &days), -1);
	assert_int_equal(date_to_days("2025-13-01", &days), -1);
	assert_int_equal(date_to_days("2025-1-01", &days), -1);
	assert_int_equal(date_to_days("", &days), -1);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_config_sources_and_precedence(void **state)
{
	(void)state;
	struct config cfg;
	struct buf err = BUF_INIT;
	char path[] = "/tmp/qorgau-cfg-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "[server]\nthreads = 3\nlisten = 0.0.0.0:9000\nmax_body_size = 2M\n[log]\nlevel = warn\n");
	config_defaults(&cfg);
	assert_int_equal(config_load_file(&cfg, path, &err), 0);
	assert_int_equal(cfg.threads, 3);
	assert_int_equal(cfg.listen_port, 9000);
	assert_string_equal(cfg.listen_host, "0.0.0.0");
	assert_int_equal(cfg.max_body_size, 2 * 1024 * 1024);
	/* The environment wins over the file, flags over both. */
	char *env[] = {"QORGAU_THREADS=5", "PATH=/bin", "QORGAU_UNRELATED=1", NULL};
	assert_int_equal(config_load_env(&cfg, env, &err), 0);
	assert_int_equal(cfg.threads, 5);
	assert_int_equal(config_set_flag(&cfg, CFG_FOR_SERVE | CFG_FOR_DATA, "threads", "7", &err), 1);
	assert_int_equal(cfg.threads, 7);
	assert_int_equal(config_set_flag(&cfg, CFG_FOR_DATA, "threads", "7", &err), 0); /* not for this command */
	config_release(&cfg);
	unlink(path);
	buf_release(&err);
}

/* Each bad value names the setting and the reason. */
static void test_config_errors_name_the_key(void **state)
{
	(void)state;
	static const struct {
		const char *ini, *expect;
	} cases[] = {
		{"[server]\nthreads = many\n", "[server] threads: must be a whole number"},
		{"[server]\nthreads = 999\n", "[server] threads: must be a whole number from 0 to 256"},
		{"[server]\nlisten = 127.0.0.1\n", "[server] listen: must be ADDR:PORT"},
		{"[server]\nlisten = 127.0.0.1:70000\n", "the port must be a number"},
		{"[server]\nlisten = example.com:80\n", "the address must be"},
		{"[server]\nmax_body_size = 1X\n", "[server] max_body_size: must be a size"},
		{"[server]\nmax_body_size = -1\n", "[server] max_body_size: must be a size"},
		{"[database]\nurl = mysql://x\n", "[database] url: must be sqlite:PATH or a postgresql:// URL"},
		{"[database]\nurl = sqlite:\n", "sqlite: needs a file path"},
		{"[log]\nlevel = loud\n", "[log] level: must be debug, info, warn or error"},
		{"[log]\nrequests = maybe\n", "[log] requests: must be true or false"},
		{"[server]\nthreds = 2\n", "unknown setting [server] threds"},
		{"[nosuch]\nthreads = 2\n", "unknown setting [nosuch] threads"},
		{"no section line\n", "not a valid INI line"},
	};
	char path[] = "/tmp/qorgau-cfg-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct config cfg;
		struct buf err = BUF_INIT;
		write_file(path, cases[i].ini);
		config_defaults(&cfg);
		assert_int_equal(config_load_file(&cfg, path, &err), -1);
		if (!strstr(err.ptr, cases[i].expect))
			fail_msg("case %zu: '%s' does not say '%s'", i, err.ptr, cases[i].expect);
		/* Nothing half-applied from a bad line: the defaults still hold. */
		assert_int_equal(cfg.max_body_size, 1024 * 1024);
		config_release(&cfg);
		buf_release(&err);
	}
	unlink(path);

	struct config cfg;
	struct buf err = BUF_INIT;
	config_defaults(&cfg);
	char *env[] = {"QORGAU_LISTEN=nonsense", NULL};
	assert_int_equal(config_load_env(&cfg, env, &err), -1);
	assert_non_null(strstr(err.ptr, "QORGAU_LISTEN"));
	buf_reset(&err);
	assert_int_equal(config_set_flag(&cfg, CFG_FOR_SERVE, "request-timeout", "0", &err), -1);
	assert_non_null(strstr(err.ptr, "--request-timeout"));
	assert_int_equal(config_load_file(&cfg, "/nonexistent/qorgau.ini", &err), -1);
	config_release(&cfg);
	buf_release(&err);
}

/* docs/qorgau.ini.example documents every setting and is itself valid. */
static void test_config_example_documents_everything(void **state)
{
	(void)state;
	struct config cfg;
	struct buf err = BUF_INIT;
	config_defaults(&cfg);
	if (config_load_file(&cfg, "docs/qorgau.ini.example", &err) != 0)
		fail_msg("%s", err.ptr);
	FILE *f = fopen("docs/qorgau.ini.example", "r");
	assert_non_null(f);
	struct buf text = BUF_INIT;
	char tmp[4096];
	size_t n;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_add(&text, tmp, n);
	fclose(f);
	for (size_t i = 0; i < config_setting_count(); i++) {
		const char *section, *key, *env, *flag;
		config_setting_name(i, &section, &key, &env, &flag);
		char line[128];
		snprintf(line, sizeof(line), "\n%s =", key);
		if (!strstr(text.ptr, line))
			fail_msg("docs/qorgau.ini.example does not show '%s'", key);
		if (!strstr(text.ptr, env))
			fail_msg("docs/qorgau.ini.example does not name %s", env);
	}
	buf_release(&text);
	buf_release(&err);
	config_release(&cfg);
}

static void test_size_parse(void **state)
{
	(void)state;
	size_t v;
	assert_int_equal(config_parse_size("1024", &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(config_parse_size("16K", &v), 0);
	assert_int_equal(v, 16384);
	assert_int_equal(config_parse_size("1MiB", &v), 0);
	assert_int_equal(v, 1048576);
	assert_int_equal(config_parse_size("", &v), -1);
	assert_int_equal(config_parse_size("K", &v), -1);
	assert_int_equal(config_parse_size("99999999999999999999G", &v), -1);
	/* strtoull skips white space and takes a sign: neither may slip through */
	assert_int_equal(config_parse_size("\t-18446744073709550592", &v), -1);
	assert_int_equal(config_parse_size(" 1K", &v), -1);
	assert_int_equal(config_parse_size("+1K", &v), -1);
}

/* Durations and offsets: only digits where digits belong (found by fuzz_config). */
static void test_duration_and_offset_parse(void **state)
{
	(void)state;
	long long s;
	assert_int_equal(config_parse_duration("90", &s), 0);
	assert_int_equal(s, 90);
	assert_int_equal(config_parse_duration("15m", &s), 0);
	assert_int_equal(s, 900);
	assert_int_equal(config_parse_duration("2d", &s), 0);
	assert_int_equal(s, 172800);
	assert_int_equal(config_parse_duration("\t-5", &s), -1);
	assert_int_equal(config_parse_duration("\t-106751991167301d", &s), -1);
	assert_int_equal(config_parse_duration("\n5", &s), -1);
	assert_int_equal(config_parse_duration("-5", &s), -1);
	assert_int_equal(config_parse_duration("106751991167301d", &s), -1);

	struct config cfg;
	struct buf err = BUF_INIT;
	config_defaults(&cfg);
	assert_int_equal(config_set_flag(&cfg, CFG_FOR_DATA, "utc-offset", "+06:00", &err), 1);
	assert_int_equal(cfg.utc_offset, 6 * 3600);
	assert_int_equal(config_set_flag(&cfg, CFG_FOR_DATA, "utc-offset", "-03:30", &err), 1);
	assert_int_equal(cfg.utc_offset, -(3 * 3600 + 30 * 60));
	const char *bad[] = {"+ 6:00", "++6:00", "+-5:-1", "+06:0 ", "+6:00", "05:00", "+15:00", "+05:60"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		buf_reset(&err);
		if (config_set_flag(&cfg, CFG_FOR_DATA, "utc-offset", bad[i], &err) != -1)
			fail_msg("utc-offset '%s' was accepted", bad[i]);
		assert_non_null(strstr(err.ptr, "+05:00"));
	}
	assert_int_equal(cfg.utc_offset, -(3 * 3600 + 30 * 60)); /* unchanged by the refusals */
	config_release(&cfg);
	buf_release(&err);
}

/* A cell a spreadsheet could take for a formula, also after spaces or line feeds a "trim spaces" import drops. */
static void test_csv_formulas(void **state)
{
	(void)state;
	static const char *const formulas[] = {"=1+1", "+7", "-2", "@SUM(A1)", "\tx", "\rx", "   =3+3", "\n=2+2", " \n @x"};
	static const char *const plain[] = {"", "a=b", "Әлия", "1-2", " x", "\nx", "'=1"};
	for (size_t i = 0; i < sizeof(formulas) / sizeof(formulas[0]); i++)
		if (!csv_is_formula(formulas[i]))
			fail_msg("'%s' is a formula", formulas[i]);
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (csv_is_formula(plain[i]))
			fail_msg("'%s' is not a formula", plain[i]);
	assert_false(csv_is_formula(NULL));
	struct buf b = BUF_INIT;
	csv_field(&b, "   =3+3", 1);
	assert_string_equal(b.ptr, "\"'   =3+3\"");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_grows_and_terminates),
		cmocka_unit_test(test_csv_formulas),
		cmocka_unit_test(test_arena_alignment_and_large),
		cmocka_unit_test(test_utf8_strict),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_civil_dates),
		cmocka_unit_test(test_config_sources_and_precedence),
		cmocka_unit_test(test_config_errors_name_the_key),
		cmocka_unit_test(test_config_example_documents_everything),
		cmocka_unit_test(test_size_parse),
		cmocka_unit_test(test_duration_and_offset_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
