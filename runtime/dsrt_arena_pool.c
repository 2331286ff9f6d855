/* dsrt_arena_pool.c - arenas shared by model instances that take turns.
 *
 * Each model opened by itself owns an arena of its planned size. A pool holds
 * `count` arenas, each as large as the largest need of the models attached to it;
 * a run borrows one for its duration. With count = 1 (models that never run at the
 * same time, e.g. the stages of a pipeline on one thread) the intermediates of all
 * the models cost one arena; with count = N, up to N runs proceed at once and the
 * others wait. Growing happens at attach time only, so runs never allocate. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt_arena_pool.h"

#include <pthread.h>
#include <stdlib.h>

struct dsrt_arena_pool {
  pthread_mutex_t lock;
  pthread_cond_t returned; /* an arena came back */
  int count;               /* arenas */
  void **arenas;           /* count arenas of `bytes` each (NULL while bytes is 0) */
  void **free_stack;       /* the arenas not lent out: free_stack[0 .. num_free) */
  int num_free;
  size_t bytes;
  int refs;                /* the creator's hold plus one per attached model */
};

dsrt_status dsrt_arena_pool_create(int arenas, dsrt_arena_pool **out) {
  if (!out)
    return DSRT_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (arenas < 1 || arenas > 1024)
    return DSRT_ERR_INVALID_ARGUMENT;
  dsrt_arena_pool *p = (dsrt_arena_pool *)calloc(1, sizeof(*p));
  if (!p)
    return DSRT_ERR_OUT_OF_MEMORY;
  p->arenas = (void **)calloc((size_t)arenas, sizeof(void *));
  p->free_stack = (void **)calloc((size_t)arenas, sizeof(void *));
  int have_lock = p->arenas && p->free_stack && pthread_mutex_init(&p->lock, NULL) == 0;
  if (!have_lock || pthread_cond_init(&p->returned, NULL) != 0) {
    if (have_lock)
      pthread_mutex_destroy(&p->lock);
    free(p->arenas);
    free(p->free_stack);
    free(p);
    return DSRT_ERR_OUT_OF_MEMORY;
  }
  p->count = arenas;
  p->refs = 1;
  *out = p;
  return DSRT_OK;
}

static void free_pool(dsrt_arena_pool *p) {
  for (int i = 0; i < p->count; ++i)
    free(p->arenas[i]);
  pthread_cond_destroy(&p->returned);
  pthread_mutex_destroy(&p->lock);
  free(p->arenas);
  free(p->free_stack);
  free(p);
}

/* Drops one reference; frees the pool with the last. */
static void unref(dsrt_arena_pool *p) {
  pthread_mutex_lock(&p->lock);
  int last = --p->refs == 0;
  pthread_mutex_unlock(&p->lock);
  if (last)
    free_pool(p);
}

void dsrt_arena_pool_release(dsrt_arena_pool *pool) {
  if (pool)
    unref(pool);
}

size_t dsrt_arena_pool_bytes(dsrt_arena_pool *p) {
  if (!p)
    return 0;
  pthread_mutex_lock(&p->lock);
  size_t total = p->bytes * (size_t)p->count;
  pthread_mutex_unlock(&p->lock);
  return total;
}

dsrt_status dsrt_arena_pool_attach(dsrt_arena_pool *p, uint64_t need) {
  size_t bytes = dsrt_arena_bytes(need);
  if (bytes == 0)
    return DSRT_ERR_OUT_OF_MEMORY;
  pthread_mutex_lock(&p->lock);
  if (bytes > p->bytes) {
    /* Grow all arenas at once, when none is lent out, keeping the old ones until
       every new one is allocated (so failure leaves the pool as it was). */
    while (p->num_free != (p->bytes ? p->count : 0))
      pthread_cond_wait(&p->returned, &p->lock);
    void **fresh = (void **)calloc((size_t)p->count, sizeof(void *));
    int ok = fresh != NULL;
    for (int i = 0; ok && i < p->count; ++i)
      ok = (fresh[i] = aligned_alloc(DSRT_ARENA_ALIGN, bytes)) != NULL;
    if (!ok) {
      for (int i = 0; fresh && i < p->count; ++i)
        free(fresh[i]);
      free(fresh);
      pthread_mutex_unlock(&p->lock);
      return DSRT_ERR_OUT_OF_MEMORY;
    }
    for (int i = 0; i < p->count; ++i) {
      free(p->arenas[i]);
      p->arenas[i] = p->free_stack[i] = fresh[i];
    }
    free(fresh);
    p->num_free = p->count;
    p->bytes = bytes;
  }
  ++p->refs;
  pthread_mutex_unlock(&p->lock);
  return DSRT_OK;
}

void dsrt_arena_pool_detach(dsrt_arena_pool *pool) { unref(pool); }

void *dsrt_arena_pool_acquire(dsrt_arena_pool *p) {
  pthread_mutex_lock(&p->lock);
  while (p->num_free == 0)
    pthread_cond_wait(&p->returned, &p->lock);
  void *arena = p->free_stack[--p->num_free];
  pthread_mutex_unlock(&p->lock);
  return arena;
}

void dsrt_arena_pool_give_back(dsrt_arena_pool *p, void *arena) {
  pthread_mutex_lock(&p->lock);
  p->free_stack[p->num_free++] = arena;
  /* Broadcast: a waiting attach needs every arena back, a run needs one. */
  pthread_cond_broadcast(&p->returned);
  pthread_mutex_unlock(&p->lock);
}
