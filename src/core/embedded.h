/*
 * Files compiled into the binary by tools/embed (migrations, static
 * assets): one file to install, nothing to find at run time.
 */
#ifndef QORGAU_CORE_EMBEDDED_H
#define QORGAU_CORE_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* src/db/migrations/NNNN_*.sql, sorted by name. */
extern const struct embedded_file embedded_migrations[];
extern const size_t embedded_migrations_count;

/* static/ *: stylesheets, scripts, icons. */
extern const struct embedded_file embedded_static[];
extern const size_t embedded_static_count;

/* share/ *: data a fresh database starts with (the working-day calendar). */
extern const struct embedded_file embedded_data[];
extern const size_t embedded_data_count;

/* The embedded file called name, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *files, size_t n, const char *name);

#endif
