/* The statement table: every SQL text of the program, indexed by enum db_stmt. */
#include "db/internal.h"

const struct db_stmt_text db_stmt_texts[STMT_COUNT] = {
#define SQL(id, text, pgtext) [STMT_##id] = {#id, text, pgtext},
#include "db/sql/all.def"
#undef SQL
};
