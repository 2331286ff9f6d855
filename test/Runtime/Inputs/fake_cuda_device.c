/* A stand-in for libcuda.so.1 that has one "device" whose memory is host
 * memory: allocations are malloc, copies are memcpy. It exists to test
 * libdsrt's driver protocol on machines without a GPU: which buffers a
 * model instance allocates, when weights are uploaded, that streams and
 * buffers are freed. Kernel launches do nothing (no PTX runs here, and a
 * model's outputs are meaningless), unless DSRT_EMU_KERNELS names the
 * model's kernels compiled for the CPU by scripts/gpu_emulate.py: then each
 * launch runs the kernel's every thread on the CPU: one at a time, or as
 * fibers of their block when the kernel has barriers.
 *
 * At exit it prints its counts to stderr:
 *   fake-cuda: alloc=N bytes=B free=N copies=N copied=B launches=N streams=N destroyed=N
 *              h2d=N d2h=N d2d=N   (copies by direction: host to device, ...)
 *   fake-cuda: stream 1 launches=N          (one line per stream created)
 * With FAKE_CUDA_TRACE set it also prints each allocation and copy; with
 * FAKE_CUDA_FAIL_ALLOC=K its K-th cuMemAlloc fails (out of memory). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

static long allocs, frees, copies, launches, streams, destroyed;
static long copies_h2d, copies_d2h, copies_d2d;

/* The live allocations, to tell device pointers from host ones. */
enum { kMaxAllocations = 65536 };
static struct { char *begin; size_t bytes; } live[kMaxAllocations];
static int num_live;

static int is_device(const void *pointer) {
  for (int i = 0; i < num_live; ++i)
    if ((const char *)pointer >= live[i].begin &&
        (const char *)pointer < live[i].begin + live[i].bytes)
      return 1;
  return 0;
}
static unsigned long long alloc_bytes, copied_bytes;
enum { kMaxStreams = 8 };
static long stream_launches[kMaxStreams + 1]; /* by stream number, 1..kMaxStreams */

static int tracing(void) { return getenv("FAKE_CUDA_TRACE") != NULL; }

CUresult cuInit(unsigned flags) { (void)flags; return 0; }
CUresult cuDeviceGetCount(int *count) { *count = 1; return 0; }
CUresult cuDeviceGet(int *device, int ordinal) { *device = ordinal; return 0; }
CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  static int primary;
  *context = &primary;
  return 0;
}
CUresult cuCtxSetCurrent(void *context) { (void)context; return 0; }
/* The emulated kernels (DSRT_EMU_KERNELS): <kernel>__emu(void **params)
 * entry points and the thread ids' setter; a kernel with barriers
 * (<kernel>__emu_barriers defined) runs block by block through the
 * library's dsemu_run_block, its threads as fibers. */
typedef void (*emu_entry)(void **params);
typedef void (*emu_set_ids)(const unsigned[3], const unsigned[3], const unsigned[3],
                            const unsigned[3]);
typedef void (*emu_run_block)(emu_entry, void **, const unsigned[3], const unsigned[3],
                              const unsigned[3]);
static void *emu_library;
static emu_set_ids set_ids;
static emu_run_block run_block;
static int module_tag;

/* A function handle: the entry point and whether it waits at barriers.
 * Instances on several host threads look kernels up at once. */
enum { kMaxKernels = 8192 };
static struct emu_kernel { emu_entry entry; int barriers; } emu_kernels[kMaxKernels];
static int num_emu_kernels;
static pthread_mutex_t emu_kernels_lock = PTHREAD_MUTEX_INITIALIZER;

CUresult cuModuleLoadData(void **module, const void *image) {
  (void)image;
  const char *kernels = getenv("DSRT_EMU_KERNELS");
  if (kernels && !emu_library) {
    if (!(emu_library = dlopen(kernels, RTLD_NOW | RTLD_LOCAL)) ||
        !(*(void **)&set_ids = dlsym(emu_library, "dsemu_set_ids")) ||
        !(*(void **)&run_block = dlsym(emu_library, "dsemu_run_block"))) {
      fprintf(stderr, "fake-cuda: %s\n", dlerror());
      return 200; /* CUDA_ERROR_INVALID_IMAGE */
    }
  }
  *module = &module_tag;
  return 0;
}
CUresult cuModuleUnload(void *module) { (void)module; return 0; }
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  (void)module;
  *function = (void *)name;
  if (!emu_library)
    return 0;
  char entry[256], barriers[256];
  snprintf(entry, sizeof entry, "%s__emu", name);
  snprintf(barriers, sizeof barriers, "%s__emu_barriers", name);
  emu_entry found;
  if (!(*(void **)&found = dlsym(emu_library, entry)))
    return 500; /* CUDA_ERROR_NOT_FOUND */
  CUresult result = 0;
  pthread_mutex_lock(&emu_kernels_lock);
  int i = 0;
  while (i < num_emu_kernels && emu_kernels[i].entry != found)
    ++i;
  if (i == num_emu_kernels && num_emu_kernels < kMaxKernels) {
    emu_kernels[i].entry = found;
    emu_kernels[i].barriers = dlsym(emu_library, barriers) != NULL;
    ++num_emu_kernels;
  }
  if (i < num_emu_kernels)
    *function = &emu_kernels[i];
  else
    result = 2; /* out of handles */
  pthread_mutex_unlock(&emu_kernels_lock);
  return result;
}
CUresult cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                        unsigned by, unsigned bz, unsigned smem, void *stream, void **params,
                        void **extra) {
  (void)smem, (void)extra;
  ++launches;
  if (emu_library) {
    const struct emu_kernel *kernel = f;
    const unsigned grid[3] = {gx, gy, gz}, block[3] = {bx, by, bz};
    unsigned b[3], t[3];
    for (b[2] = 0; b[2] < gz; ++b[2])
      for (b[1] = 0; b[1] < gy; ++b[1])
        for (b[0] = 0; b[0] < gx; ++b[0]) {
          if (kernel->barriers) {
            run_block(kernel->entry, params, block, b, grid);
            continue;
          }
          for (t[2] = 0; t[2] < bz; ++t[2])
            for (t[1] = 0; t[1] < by; ++t[1])
              for (t[0] = 0; t[0] < bx; ++t[0]) {
                set_ids(t, block, b, grid);
                kernel->entry(params);
              }
        }
  }
  uintptr_t number = (uintptr_t)stream;
  if (number >= 1 && number <= kMaxStreams)
    ++stream_launches[number];
  return 0;
}
CUresult cuStreamCreate(void **stream, unsigned flags) {
  (void)flags;
  ++streams;
  *stream = (void *)(uintptr_t)streams; /* stream N is the N-th created */
  return 0;
}
CUresult cuStreamDestroy_v2(void *stream) { (void)stream; ++destroyed; return 0; }
CUresult cuStreamSynchronize(void *stream) { (void)stream; return 0; }
CUresult cuMemAlloc_v2(CUdeviceptr *pointer, size_t bytes) {
  static long calls;
  const char *fail = getenv("FAKE_CUDA_FAIL_ALLOC");
  if (fail && atol(fail) == ++calls)
    return 2;
  void *memory = malloc(bytes);
  if (!memory || num_live == kMaxAllocations) {
    free(memory);
    return 2; /* CUDA_ERROR_OUT_OF_MEMORY */
  }
  live[num_live].begin = memory;
  live[num_live++].bytes = bytes;
  ++allocs;
  alloc_bytes += bytes;
  if (tracing())
    fprintf(stderr, "fake-cuda: cuMemAlloc %zu\n", bytes);
  *pointer = (CUdeviceptr)memory;
  return 0;
}
CUresult cuMemFree_v2(CUdeviceptr pointer) {
  ++frees;
  for (int i = 0; i < num_live; ++i)
    if (live[i].begin == (char *)pointer) {
      live[i] = live[--num_live];
      break;
    }
  free((void *)pointer);
  return 0;
}
CUresult cuMemcpyAsync(CUdeviceptr dst, CUdeviceptr src, size_t bytes, void *stream) {
  (void)stream;
  ++copies;
  copied_bytes += bytes;
  int from_device = is_device((const void *)src), to_device = is_device((const void *)dst);
  copies_d2d += from_device && to_device;
  copies_h2d += !from_device && to_device;
  copies_d2h += from_device && !to_device;
  if (tracing())
    fprintf(stderr, "fake-cuda: cuMemcpyAsync %zu\n", bytes);
  memmove((void *)dst, (const void *)src, bytes);
  return 0;
}
CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned value, size_t count, void *stream) {
  (void)stream;
  unsigned *words = (unsigned *)dst;
  for (size_t i = 0; i < count; ++i)
    words[i] = value;
  return 0;
}
CUresult cuGetErrorString(CUresult status, const char **text) {
  *text = status == 2 ? "out of memory" : "error";
  return 0;
}

__attribute__((destructor)) static void report(void) {
  fprintf(stderr,
          "fake-cuda: alloc=%ld bytes=%llu free=%ld copies=%ld copied=%llu launches=%ld "
          "streams=%ld destroyed=%ld h2d=%ld d2h=%ld d2d=%ld\n",
          allocs, alloc_bytes, frees, copies, copied_bytes, launches, streams, destroyed,
          copies_h2d, copies_d2h, copies_d2d);
  for (long i = 1; i <= streams && i <= kMaxStreams; ++i)
    fprintf(stderr, "fake-cuda: stream %ld launches=%ld\n", i, stream_launches[i]);
}
