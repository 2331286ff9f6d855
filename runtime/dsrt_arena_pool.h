/* dsrt_arena_pool.h - the arena pool's side that dsrt.c uses (internal to libdsrt).
 *
 * The public half (create, release, bytes) is in dsrt.h. A pool is reference counted:
 * the creator holds one reference and every model using it another, so it is freed
 * when the last of them lets go, whatever the order. */
#ifndef DSRT_ARENA_POOL_H
#define DSRT_ARENA_POOL_H

#include "dsrt/dsrt.h"

#include <stddef.h>
#include <stdint.h>

/* Every arena, the model's own or a pool's, is aligned to this. */
#define DSRT_ARENA_ALIGN 64

/* |need| bytes rounded up to the alignment (aligned_alloc wants a multiple of
 * it); 0 when that does not fit in size_t. */
static inline size_t dsrt_arena_bytes(uint64_t need) {
  if (need > (uint64_t)(SIZE_MAX - (DSRT_ARENA_ALIGN - 1)))
    return 0;
  return (size_t)((need + DSRT_ARENA_ALIGN - 1) & ~(uint64_t)(DSRT_ARENA_ALIGN - 1));
}

/* Takes a reference for a model that needs arenas of `need` bytes (> 0): grows every
 * arena to that size first (waiting until none is in use). DSRT_OK, or
 * DSRT_ERR_OUT_OF_MEMORY with the pool unchanged and no reference taken. */
dsrt_status dsrt_arena_pool_attach(dsrt_arena_pool *pool, uint64_t need);
/* Drops a model's reference (the pool may be freed). */
void dsrt_arena_pool_detach(dsrt_arena_pool *pool);
/* A free arena for one run, waiting while all are in use; never allocates. */
void *dsrt_arena_pool_acquire(dsrt_arena_pool *pool);
/* Returns the arena of a finished run and wakes one waiting run. */
void dsrt_arena_pool_give_back(dsrt_arena_pool *pool, void *arena);

#endif /* DSRT_ARENA_POOL_H */
