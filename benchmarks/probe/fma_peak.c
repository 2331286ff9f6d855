/* fma_peak.c - this machine's single-precision FMA ceiling, the yardstick of
 * benchmarks/model_benchmarks.py.
 *
 *   cc -O2 -march=native -pthread fma_peak.c -o fma_peak && ./fma_peak THREADS
 *
 * Each thread runs 12 independent chains of vector FMAs (enough to cover the
 * FMA latency on two ports) over the widest vectors the compiler targets with
 * -march=native, for about half a second; prints the total GFLOP/s (an FMA is
 * 2 FLOPs per lane) over all threads as "fma_peak_gflops=X". */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#elif defined(__AVX__)
#define LANES 8
#else
#define LANES 4
#endif

typedef float vec __attribute__((vector_size(LANES * sizeof(float))));

#define CHAINS 12
#define ITERS 40000000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void *chains(void *out) {
  vec acc[CHAINS], a, b;
  for (int l = 0; l < LANES; ++l) {
    a[l] = 0.999f;
    b[l] = 0.001f;
  }
  for (int i = 0; i < CHAINS; ++i)
    for (int l = 0; l < LANES; ++l)
      acc[i][l] = (float)i;
  for (long it = 0; it < ITERS; ++it)
    for (int i = 0; i < CHAINS; ++i) {
      acc[i] = acc[i] * a + b; /* contracted into one FMA (-ffp-contract=on) */
      /* Keeps each chain in its register and in order, so the loop stays 12
         independent FMAs per iteration rather than whatever the optimizer
         would make of it (without it clang 22 halves the rate). */
      __asm__ volatile("" : "+x"(acc[i]));
    }
  float sum = 0;
  for (int i = 0; i < CHAINS; ++i)
    for (int l = 0; l < LANES; ++l)
      sum += acc[i][l];
  *(float *)out = sum;
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256) {
    fprintf(stderr, "usage: %s THREADS\n", argv[0]);
    return 2;
  }
  pthread_t ids[256];
  float sums[256];
  double start = now();
  for (int t = 0; t < threads; ++t)
    pthread_create(&ids[t], NULL, chains, &sums[t]);
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  double seconds = now() - start;
  double flops = (double)threads * ITERS * CHAINS * LANES * 2;
  printf("fma_peak_gflops=%.1f lanes=%d threads=%d check=%g\n", flops / seconds / 1e9, LANES,
         threads, (double)sums[0]);
  return 0;
}
