/*
 * Replay a fuzz target without libFuzzer: run LLVMFuzzerTestOneInput once on
 * every file of the directories (or the files) named on the command line,
 * in name order, and print "replayed N inputs". `make check` runs it over
 * each target's seed corpus and crash regressions; a crash, a sanitizer
 * report or a broken invariant fails it.
 *
 *   replay DIR_OR_FILE...
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

/* Set by the sanitizers' runtime when one is linked in; absent otherwise. */
extern void __sanitizer_set_death_callback(void (*callback)(void)) __attribute__((weak));

/*
 * UBSan halts by abort() rather than by its own exit, so that the SIGABRT
 * handler below can name the input (the sanitizers' death callback is
 * ASan's; GCC's UBSan runtime keeps its own). UBSAN_OPTIONS still wins.
 */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "abort_on_error=1";
}

/* The input being run, named when the process dies on it. */
static char replay_current[4096];

static void replay_say_current(void)
{
	static const char prefix[] = "replay: crashed on input ";
	if (!replay_current[0])
		return;
	/* Only write(2): this may run inside a signal handler. */
	ssize_t rc = write(STDERR_FILENO, prefix, sizeof(prefix) - 1);
	rc = write(STDERR_FILENO, replay_current, strlen(replay_current));
	rc = write(STDERR_FILENO, "\n", 1);
	(void)rc;
}

static void replay_on_signal(int sig)
{
	replay_say_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The whole file, malloc'd (at least one byte, so data is never NULL); NULL with errno on failure. */
static uint8_t *replay_read(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	uint8_t *data = malloc(cap);
	if (!data)
		abort();
	for (;;) {
		n += fread(data + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		data = realloc(data, cap);
		if (!data)
			abort();
	}
	int failed = ferror(f);
	fclose(f);
	if (failed) {
		free(data);
		errno = EIO;
		return NULL;
	}
	*size = n;
	return data;
}

static int replay_file(const char *path)
{
	size_t size;
	uint8_t *data = replay_read(path, &size);
	if (!data) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
		return -1;
	}
	snprintf(replay_current, sizeof(replay_current), "%s", path);
	/* A copy of exactly size bytes, so that reading past the input is caught. */
	uint8_t *exact = malloc(size ? size : 1);
	if (!exact)
		abort();
	if (size)
		memcpy(exact, data, size);
	free(data);
	LLVMFuzzerTestOneInput(exact, size);
	free(exact);
	replay_current[0] = '\0';
	return 0;
}

/* Replay every regular file of dir whose name does not start with a dot; returns how many, or -1. */
static long replay_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot list '%s': %s\n", dir, strerror(errno));
		return -1;
	}
	long count = 0;
	int failed = 0;
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && !failed && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) < 0)
				failed = 1;
			else
				count++;
		}
		free(names[i]);
	}
	free(names);
	return failed ? -1 : count;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	/* Under a sanitizer its own handlers report faults (and then call us); aborts are ours. */
	signal(SIGABRT, replay_on_signal);
	if (__sanitizer_set_death_callback) {
		__sanitizer_set_death_callback(replay_say_current);
	} else {
		signal(SIGSEGV, replay_on_signal);
		signal(SIGBUS, replay_on_signal);
		signal(SIGFPE, replay_on_signal);
		signal(SIGILL, replay_on_signal);
	}
	long total = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long n;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: cannot read '%s': %s\n", argv[i], strerror(errno));
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) < 0 ? -1 : 1;
		if (n < 0)
			return 1;
		total += n;
	}
	printf("replayed %ld inputs\n", total);
	return 0;
}
