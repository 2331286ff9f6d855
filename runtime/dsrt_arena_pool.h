/* dsrt_arena_pool.h - the arena pool's side that dsrt.c uses (internal to libdsrt).
 *
 * The public half (create, release, bytes) is in dsrt.h. A pool is reference counted:
 * the creator holds one reference and every model using it another, so it is freed
 * when the last of them lets go, whatever the order. */
#ifndef DSRT_ARENA_POOL_H
#define DSRT_ARENA_POOL_H

#include "dsrt/dsrt.h"

#include <stddef.h>

/* Takes a reference for a model that needs arenas of `bytes`: grows every arena to
 * that size first (waiting until none is in use). DSRT_OK, or DSRT_ERR_OUT_OF_MEMORY
 * with the pool unchanged and no reference taken. */
dsrt_status dsrt_arena_pool_attach(dsrt_arena_pool *pool, size_t bytes);
/* Drops a model's reference (the pool may be freed). */
void dsrt_arena_pool_detach(dsrt_arena_pool *pool);
/* A free arena for one run, waiting while all are in use; never allocates. */
void *dsrt_arena_pool_acquire(dsrt_arena_pool *pool);
/* Returns the arena of a finished run and wakes one waiting run. */
void dsrt_arena_pool_give_back(dsrt_arena_pool *pool, void *arena);

#endif /* DSRT_ARENA_POOL_H */
