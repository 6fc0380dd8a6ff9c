/*
 * The name index: every child's name keys (text/names.h), district, birth
 * date and attachment, held in memory so that a ranked search across
 * scripts and spellings, tolerant of typos, answers in a few milliseconds
 * over hundreds of thousands of children.
 *
 * The database stays the truth. Each change to a child carries a change
 * number (child.ver, from child_meta); before answering, the index reads
 * the rows changed since the last number it saw, so a search sees every
 * committed change, from this process or another.
 *
 * Ranking: each query word is scored against the best of the child's three
 * name keys: equal 100, one edit 70, two edits 45 (keys of 7 letters or
 * more; keys of 4–6 letters allow one edit, shorter ones none), a prefix of
 * 3 letters or more 60. A child must match every word; a birth date in the
 * query adds 50 when it matches. Ties go in name-key order, then by id.
 */
#ifndef QORGAU_DOMAIN_CHILD_INDEX_H
#define QORGAU_DOMAIN_CHILD_INDEX_H

#include <stdint.h>

#include "core/arena.h"
#include "db/db.h"

enum { CHILD_QUERY_WORDS = 4 };

struct child_hit {
	int64_t id;
	int score;
};

/*
 * Who may see what, for filtering hits: kind and id as in db.h's child
 * scope (CHILD_SCOPE_OWN: the children of the user's appeals, read from
 * the database first). The filter's care status, district and attached
 * ("yes"/"no") narrow the hits; its cursor and limit are not used.
 */
int child_index_search(struct db *db, const char *q, const struct child_scope *scope, const struct child_filter *f,
		       int limit, struct arena *ar, struct child_hit **hits, size_t *n);

/*
 * Children who may be the same as a new one: surname and given name keys
 * each within one edit (either order), and the same birth date when both
 * are known; without a birth date, the same keys exactly. Skips exclude.
 */
int child_index_duplicates(struct db *db, const char *surname_key, const char *given_key, const char *birth_date,
			   int64_t exclude, struct arena *ar, int64_t **ids, size_t *n);

/* Bring the index up to date now (the search does this by itself). */
int child_index_refresh(struct db *db);

/* Forget everything (tests; the next search reloads). */
void child_index_reset(void);

/* Children and distinct keys held (for metrics and tests). */
void child_index_size(int64_t *children, int64_t *keys);

#endif
