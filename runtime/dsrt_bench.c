/* dsrt_bench.c - timing an opened model: one instance run after run, or several
 * instances running at the same time (dsrt_io.h). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "dsrt/dsrt_io.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts |ms| and returns its median. */
static double median_ms(double *ms, size_t n) {
  qsort(ms, n, sizeof(double), cmp_double);
  return n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
}

int dsrt_bench(dsrt_model *m, int runs, const dsrt_tensor *in, size_t nin, dsrt_tensor *out,
               size_t nout) {
  double *ms = (double *)malloc((size_t)runs * sizeof(double));
  if (!ms) {
    fprintf(stderr, "error: out of memory for %d timings\n", runs);
    return 1;
  }
  for (int r = 0; r < runs; ++r) {
    double t0 = now_ms();
    dsrt_status st = dsrt_model_run(m, in, nin, out, nout);
    ms[r] = now_ms() - t0;
    if (st != DSRT_OK) {
      fprintf(stderr, "error: %s\n", dsrt_model_error(m));
      free(ms);
      return 1;
    }
  }
  double median = median_ms(ms, (size_t)runs);
  printf("bench: runs=%d median=%.3f ms min=%.3f ms max=%.3f ms threads=%d\n", runs, median,
         ms[0], ms[runs - 1], dsrt_model_threads(m));
  free(ms);
  return 0;
}

/* Holds the instances' threads until every one is started, so they run together. */
typedef struct start_gate {
  pthread_mutex_t mutex;
  pthread_cond_t open;
  int opened;
  int cancelled; /* a thread could not be started: nobody runs */
} start_gate;

/* One instance of dsrt_bench_instances: its model, its outputs, its timings. */
typedef struct bench_instance {
  dsrt_model *model;
  const dsrt_tensor *in;
  size_t nin;
  dsrt_tensor *out;
  size_t nout;
  int runs;
  double *ms; /* runs timings */
  start_gate *gate;
  dsrt_status status;
} bench_instance;

static void *run_instance(void *arg) {
  bench_instance *b = (bench_instance *)arg;
  pthread_mutex_lock(&b->gate->mutex);
  while (!b->gate->opened)
    pthread_cond_wait(&b->gate->open, &b->gate->mutex);
  int cancelled = b->gate->cancelled;
  pthread_mutex_unlock(&b->gate->mutex);
  for (int r = 0; !cancelled && r < b->runs && b->status == DSRT_OK; ++r) {
    double t0 = now_ms();
    b->status = dsrt_model_run(b->model, b->in, b->nin, b->out, b->nout);
    b->ms[r] = now_ms() - t0;
  }
  return NULL;
}

static void open_gate(start_gate *gate, int cancelled) {
  pthread_mutex_lock(&gate->mutex);
  gate->opened = 1;
  gate->cancelled = cancelled;
  pthread_cond_broadcast(&gate->open);
  pthread_mutex_unlock(&gate->mutex);
}

/* Opens instance |i| (> 0) of |m|'s model with its own outputs and runs it once. */
static int prepare_instance(bench_instance *b, size_t i, dsrt_model *m, const dsrt_tensor *out) {
  for (size_t o = 0; o < b->nout; ++o) {
    b->out[o] = out[o];
    if (!(b->out[o].data = malloc(out[o].size_bytes ? out[o].size_bytes : 1))) {
      fprintf(stderr, "error: out of memory for instance %zu's outputs\n", i);
      return 1;
    }
  }
  dsrt_status st = dsrt_model_open(dsrt_model_describe(m), &b->model);
  if (st == DSRT_OK)
    st = dsrt_model_set_threads(b->model, dsrt_model_threads(m));
  if (st == DSRT_OK) /* the warm-up run (instance 0's was the caller's) */
    st = dsrt_model_run(b->model, b->in, b->nin, b->out, b->nout);
  if (st != DSRT_OK) {
    fprintf(stderr, "error: instance %zu: %s\n", i,
            b->model ? dsrt_model_error(b->model) : dsrt_status_string(st));
    return 1;
  }
  return 0;
}

int dsrt_bench_instances(dsrt_model *m, int instances, int runs, const dsrt_tensor *in,
                         size_t nin, const dsrt_tensor *out, size_t nout) {
  if (instances < 1 || runs < 1) {
    fprintf(stderr, "error: dsrt_bench_instances needs instances >= 1 and runs >= 1\n");
    return 1;
  }
  size_t k = (size_t)instances;
  bench_instance *b = (bench_instance *)calloc(k, sizeof(*b));
  pthread_t *threads = (pthread_t *)calloc(k, sizeof(*threads));
  double *ms = (double *)calloc(k * (size_t)runs, sizeof(double));
  /* Each instance writes its own outputs (instance 0 the caller's); the inputs are
   * shared, read only. */
  dsrt_tensor *outs = (dsrt_tensor *)calloc(k * (nout ? nout : 1), sizeof(*outs));
  start_gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};
  int rc = 1, started = 0;
  if (!b || !threads || !ms || !outs) {
    fprintf(stderr, "error: out of memory for %d instances\n", instances);
    goto done;
  }
  for (size_t i = 0; i < k; ++i)
    b[i] = (bench_instance){i ? NULL : m, in, nin, outs + i * nout, nout, runs,
                            ms + i * (size_t)runs, &gate, DSRT_OK};
  memcpy(b[0].out, out, nout * sizeof(*out));
  for (size_t i = 1; i < k; ++i)
    if (prepare_instance(&b[i], i, m, out) != 0)
      goto done;
  for (; started < instances; ++started)
    if (pthread_create(&threads[started], NULL, run_instance, &b[started]) != 0)
      break;
  int cancelled = started < instances;
  double t0 = now_ms();
  open_gate(&gate, cancelled);
  for (int i = 0; i < started; ++i)
    pthread_join(threads[i], NULL);
  double wall = now_ms() - t0;
  if (cancelled) {
    fprintf(stderr, "error: cannot start a thread for instance %d\n", started);
    goto done;
  }
  rc = 0;
  for (size_t i = 0; i < k; ++i)
    if (b[i].status != DSRT_OK) {
      fprintf(stderr, "error: instance %zu: %s\n", i, dsrt_model_error(b[i].model));
      rc = 1;
    }
  if (rc == 0) {
    size_t total = k * (size_t)runs;
    double median = median_ms(ms, total);
    printf("bench: instances=%d runs=%d each wall=%.3f ms throughput=%.2f runs/s "
           "median=%.3f ms min=%.3f ms max=%.3f ms threads=%d\n",
           instances, runs, wall, wall > 0 ? (double)total * 1e3 / wall : 0.0, median, ms[0],
           ms[total - 1], dsrt_model_threads(m));
  }

done:
  if (b && outs)
    for (size_t i = 1; i < k; ++i) {
      dsrt_model_close(b[i].model);
      for (size_t o = 0; o < nout; ++o)
        free(outs[i * nout + o].data);
    }
  free(b);
  free(threads);
  free(ms);
  free(outs);
  return rc;
}
