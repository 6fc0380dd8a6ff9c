/* The region a fresh database starts with: Abai region's cities and districts. */
#ifndef QORGAU_DOMAIN_REGION_H
#define QORGAU_DOMAIN_REGION_H

#include "core/buf.h"
#include "db/db.h"

/*
 * Initialise an empty database (inside the caller's transaction): seed the
 * districts if there are none, and create the first administrator if there
 * is no active one, writing a one-time password into password (>= 17 bytes;
 * empty when no administrator was created).
 */
int region_initialise(struct db *db, char *password, size_t password_size, struct buf *err);

/*
 * Check that the loaded data key is the one this database was sealed with
 * (a sealed known text); with create, store the check when there is none.
 */
int key_check(struct db *db, int create, struct buf *err);

#endif
