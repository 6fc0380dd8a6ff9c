/* Looking up files compiled into the binary (embedded.h). */
#include "core/embedded.h"

#include <string.h>

const struct embedded_file *embedded_find(const struct embedded_file *files, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
}
