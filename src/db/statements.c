/* The statement table: every SQL text of the program, indexed by enum db_stmt. */
#include "db/internal.h"

const struct db_stmt_text db_stmt_texts[STMT_COUNT] = {
#define SQL(id, text, pgtext) [STMT_##id] = {#id, text, pgtext, 0},
#define SQL_PLAN_EACH(id, text, pgtext) [STMT_##id] = {#id, text, pgtext, 1},
#include "db/sql/all.def"
#undef SQL_PLAN_EACH
#undef SQL
};
