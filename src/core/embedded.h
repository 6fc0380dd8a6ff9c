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

#endif
