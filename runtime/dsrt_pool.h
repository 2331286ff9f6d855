/* dsrt_pool.h - the thread pool behind dsrt_parallel_for (internal to libdsrt).
 *
 * Each dsrt_model owns one pool; dsrt_model_run makes it the calling thread's "current
 * pool" for the duration of the run, which is how the argument-less calls that
 * generated code makes to dsrt_parallel_for find their threads. */
#ifndef DSRT_POOL_H
#define DSRT_POOL_H

typedef struct dsrt_pool dsrt_pool;

/* A pool of `threads` participants (0 = online CPUs); NULL when out of memory.
 * No thread is started until the first parallel region that needs one. */
dsrt_pool *dsrt_pool_create(int threads);
/* Joins the workers and frees the pool. NULL is a no-op. */
void dsrt_pool_destroy(dsrt_pool *pool);
/* Changes the participant count (0 = online CPUs); stops running workers if it
 * changes. Returns 0, or -1 when out of memory (the pool is then left unchanged). */
int dsrt_pool_set_threads(dsrt_pool *pool, int threads);
int dsrt_pool_threads(const dsrt_pool *pool);
/* Makes `pool` the calling thread's current pool and returns the previous one. */
dsrt_pool *dsrt_pool_swap_current(dsrt_pool *pool);

#endif /* DSRT_POOL_H */
