/* dsrt_pool.c - the pthread pool behind dsrt_parallel_for.
 *
 * Design: one job at a time per pool. The caller publishes (fn, ctx, n, parts, chunks)
 * under the mutex and bumps `generation`; workers 1..parts-1 wake on `work_cv` and,
 * like the caller, take chunks from `next` until none is left; whoever finishes the
 * last chunk signals `done_cv`. Before sleeping, a worker spins a little while on
 * `generation` and the caller on the chunks finishing (kDsrtSpins pause instructions,
 * about a millisecond): a model's kernels follow each other within microseconds, and
 * a condition-variable wake-up per kernel made two threads slower than one on
 * MobileNetV3 and SqueezeNet. An idle pool still sleeps and costs no CPU. Work is handed out in contiguous chunks, kDsrtChunksPerThread
 * per participant, from a counter that carries the job's generation: on a shared
 * machine a thread can be descheduled mid-kernel, and with one static chunk each the
 * others waited for it (ResNet-50 on two threads ran at 32 or at 47 ms depending on
 * the neighbours). A participant that wakes after every chunk is taken does nothing;
 * the caller waits for the chunks, not for the workers, and a late worker cannot take
 * a chunk of a later job (the generation in the counter no longer matches). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE /* _SC_NPROCESSORS_ONLN */
#endif

#include "dsrt_pool.h"

#include "dsrt/dsrt.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

/* Spin-wait iterations before blocking (each one a pause/yield hint). */
enum { kDsrtSpins = 1 << 14 };
/* Chunks per participant: enough to rebalance around one descheduled thread, few
 * enough that each chunk stays a contiguous run of rows. */
enum { kDsrtChunksPerThread = 4 };

static inline void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

typedef void (*dsrt_chunk_fn)(void *ctx, int64_t begin, int64_t end);

typedef struct dsrt_worker {
  struct dsrt_pool *pool;
  int index; /* 1..threads-1; chunk 0 belongs to the caller */
} dsrt_worker;

struct dsrt_pool {
  int threads;           /* participants, caller included */
  int started;           /* workers running (<= threads - 1) */
  pthread_t *tids;       /* threads - 1 entries */
  dsrt_worker *workers;  /* threads - 1 entries */
  pthread_mutex_t mu;
  pthread_cond_t work_cv; /* a new job or stop */
  pthread_cond_t done_cv; /* every chunk finished */
  _Atomic uint64_t generation; /* bumped per job (under mu), polled while spinning */
  uint64_t start_gen;     /* generation when the workers were started */
  _Atomic int stop;
  /* The current job; read by the workers under mu. */
  dsrt_chunk_fn fn;
  void *ctx;
  int64_t n;
  int parts;              /* participants, caller included */
  int64_t chunks;         /* n split into this many contiguous chunks */
  /* (generation << 32) | next chunk to take: a chunk is taken only while the
   * generation is the job's own. */
  _Atomic uint64_t next;
  _Atomic int64_t done;   /* chunks finished */
};

static _Thread_local dsrt_pool *current_pool;
/* Set while this thread runs a chunk, so nested parallel regions run serially instead
 * of republishing a job on a pool that is busy with this one. */
static _Thread_local int in_parallel;

static int online_cpus(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : (n > 1024 ? 1024 : (int)n);
}

/* Chunk i of n split into parts: sizes differ by at most one, no overflow. */
static void chunk_range(int64_t n, int parts, int i, int64_t *begin, int64_t *end) {
  int64_t base = n / parts, rem = n % parts;
  *begin = i * base + (i < rem ? i : rem);
  *end = *begin + base + (i < rem ? 1 : 0);
}

/* Takes and runs chunks of job |gen| until none is left; returns how many it ran. */
static int64_t run_chunks(dsrt_pool *p, uint64_t gen, dsrt_chunk_fn fn, void *ctx, int64_t n,
                          int64_t chunks) {
  int64_t ran = 0;
  uint64_t v = atomic_load_explicit(&p->next, memory_order_acquire);
  for (;;) {
    if ((v >> 32) != (gen & 0xffffffffu) || (int64_t)(v & 0xffffffffu) >= chunks)
      break;
    if (!atomic_compare_exchange_weak_explicit(&p->next, &v, v + 1, memory_order_acq_rel,
                                               memory_order_acquire))
      continue;
    int64_t begin, end;
    chunk_range(n, (int)chunks, (int)(v & 0xffffffffu), &begin, &end);
    fn(ctx, begin, end);
    ++ran;
    v = atomic_load_explicit(&p->next, memory_order_acquire);
  }
  return ran;
}

static void *worker_main(void *arg) {
  dsrt_worker *w = (dsrt_worker *)arg;
  dsrt_pool *p = w->pool;
  uint64_t seen = p->start_gen;
  for (;;) {
    for (int i = 0; i < kDsrtSpins && atomic_load_explicit(&p->generation, memory_order_acquire) ==
                                          seen && !atomic_load(&p->stop);
         ++i)
      cpu_relax();
    /* The job's fields are read under mu, where the caller wrote them. */
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->generation == seen)
      pthread_cond_wait(&p->work_cv, &p->mu);
    if (p->stop) {
      pthread_mutex_unlock(&p->mu);
      break;
    }
    seen = p->generation;
    int needed = w->index < p->parts;
    dsrt_chunk_fn fn = p->fn;
    void *ctx = p->ctx;
    int64_t n = p->n, chunks = p->chunks;
    pthread_mutex_unlock(&p->mu);
    if (!needed)
      continue;
    in_parallel = 1;
    int64_t ran = run_chunks(p, seen, fn, ctx, n, chunks);
    in_parallel = 0;
    if (ran > 0 && atomic_fetch_add(&p->done, ran) + ran == chunks) {
      /* Signalled under mu, so a caller between its check and its wait cannot miss it. */
      pthread_mutex_lock(&p->mu);
      pthread_cond_signal(&p->done_cv);
      pthread_mutex_unlock(&p->mu);
    }
  }
  return NULL;
}

/* Joins all workers; the pool can start them again later. */
static void stop_workers(dsrt_pool *p) {
  if (p->started == 0)
    return;
  pthread_mutex_lock(&p->mu);
  p->stop = 1;
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);
  for (int i = 0; i < p->started; ++i)
    pthread_join(p->tids[i], NULL);
  p->started = 0;
  p->stop = 0;
}

/* Starts the workers on first use. If the system refuses a thread, the pool simply
 * runs with the ones it got. */
static void start_workers(dsrt_pool *p) {
  p->start_gen = p->generation;
  for (int i = 0; i < p->threads - 1; ++i) {
    p->workers[i].pool = p;
    p->workers[i].index = i + 1;
    if (pthread_create(&p->tids[i], NULL, worker_main, &p->workers[i]) != 0)
      break;
    p->started = i + 1;
  }
}

dsrt_pool *dsrt_pool_create(int threads) {
  dsrt_pool *p = (dsrt_pool *)calloc(1, sizeof(*p));
  if (!p)
    return NULL;
  pthread_mutex_init(&p->mu, NULL);
  pthread_cond_init(&p->work_cv, NULL);
  pthread_cond_init(&p->done_cv, NULL);
  p->threads = 1;
  if (dsrt_pool_set_threads(p, threads) != 0) {
    dsrt_pool_destroy(p);
    return NULL;
  }
  return p;
}

void dsrt_pool_destroy(dsrt_pool *p) {
  if (!p)
    return;
  stop_workers(p);
  pthread_cond_destroy(&p->done_cv);
  pthread_cond_destroy(&p->work_cv);
  pthread_mutex_destroy(&p->mu);
  free(p->tids);
  free(p->workers);
  free(p);
}

int dsrt_pool_set_threads(dsrt_pool *p, int threads) {
  if (threads <= 0)
    threads = online_cpus();
  if (threads == p->threads && (threads == 1 || p->tids))
    return 0;
  /* Allocate first so that failure leaves the pool as it was. */
  pthread_t *tids = NULL;
  dsrt_worker *workers = NULL;
  if (threads > 1) {
    tids = (pthread_t *)calloc((size_t)threads - 1, sizeof(*tids));
    workers = (dsrt_worker *)calloc((size_t)threads - 1, sizeof(*workers));
    if (!tids || !workers) {
      free(tids);
      free(workers);
      return -1;
    }
  }
  stop_workers(p);
  free(p->tids);
  free(p->workers);
  p->tids = tids;
  p->workers = workers;
  p->threads = threads;
  return 0;
}

int dsrt_pool_threads(const dsrt_pool *p) { return p->threads; }

dsrt_pool *dsrt_pool_swap_current(dsrt_pool *pool) {
  dsrt_pool *old = current_pool;
  current_pool = pool;
  return old;
}

void dsrt_parallel_for(int64_t n, dsrt_chunk_fn fn, void *ctx) {
  if (n <= 0)
    return;
  dsrt_pool *p = current_pool;
  if (!p || p->threads <= 1 || n == 1 || in_parallel) {
    fn(ctx, 0, n);
    return;
  }
  if (p->started == 0)
    start_workers(p);
  int parts = p->started + 1;
  if ((int64_t)parts > n)
    parts = (int)n;
  if (parts <= 1) {
    fn(ctx, 0, n);
    return;
  }

  int64_t chunks = (int64_t)parts * kDsrtChunksPerThread;
  if (chunks > n)
    chunks = n;
  pthread_mutex_lock(&p->mu);
  p->fn = fn;
  p->ctx = ctx;
  p->n = n;
  p->parts = parts;
  p->chunks = chunks;
  atomic_store(&p->done, 0);
  p->generation++;
  uint64_t gen = p->generation;
  atomic_store_explicit(&p->next, (gen & 0xffffffffu) << 32, memory_order_release);
  pthread_cond_broadcast(&p->work_cv);
  pthread_mutex_unlock(&p->mu);

  in_parallel = 1;
  int64_t ran = run_chunks(p, gen, fn, ctx, n, chunks);
  in_parallel = 0;
  if (atomic_fetch_add(&p->done, ran) + ran == chunks)
    return;
  for (int i = 0; i < kDsrtSpins && atomic_load(&p->done) < chunks; ++i)
    cpu_relax();
  pthread_mutex_lock(&p->mu);
  while (atomic_load(&p->done) < chunks)
    pthread_cond_wait(&p->done_cv, &p->mu);
  pthread_mutex_unlock(&p->mu);
}
