/*
 * Plausible names for demo and benchmark data: Kazakh, Russian and Korean
 * names of the region, in Kazakh Cyrillic, Russian-style Cyrillic or
 * passport Latin, as the registry meets them, from a seeded generator so
 * that the same seed gives the same people.
 */
#ifndef QORGAU_DOMAIN_DEMO_NAMES_H
#define QORGAU_DOMAIN_DEMO_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* The parts of one child's name, in its script. */
struct demo_name {
	struct buf surname, given, patronymic;
};

/* xorshift64*: the next number of a non-zero state. */
uint64_t demo_next(uint64_t *state);
/* A number in [0, n). */
size_t demo_pick(uint64_t *state, size_t n);
/* One child's name (the buffers are appended to). */
void demo_child_name(uint64_t *rng, int female, struct demo_name *nm);
/* A Kazakh or Russian adult's full name, as written in Kazakh Cyrillic or Russian. */
void demo_adult_name(uint64_t *rng, struct buf *out);

extern const char *const demo_care_statuses[];
extern const size_t demo_ncare_statuses;

#endif
