/*===- dsrt_cuda.c - libdsrt's CUDA backend (see dsrt_cuda.h) ----------===*
 *
 * The driver API is reached through function pointers from dlopen/dlsym
 * (the declarations below are the driver's documented C ABI, restated so
 * that building needs no CUDA header). One primary context per process,
 * made current on each calling thread before every driver call.
 *
 *===--------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "dsrt/dsrt_cuda.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult; /* CUDA_SUCCESS = 0 */
typedef int CUdevice;
typedef void *CUcontext, *CUmodule, *CUfunction, *CUstream;
typedef unsigned long long CUdeviceptr;

enum { kCudaErrorStubLibrary = 34, kCudaErrorNoDevice = 100, kCudaStreamNonBlocking = 1 };

static struct {
  CUresult (*init)(unsigned);
  CUresult (*deviceGetCount)(int *);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*ctxSetCurrent)(CUcontext);
  CUresult (*getErrorString)(CUresult, const char **);
  CUresult (*moduleLoadData)(CUmodule *, const void *);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, CUstream, void **, void **);
  CUresult (*streamCreate)(CUstream *, unsigned);
  CUresult (*streamDestroy)(CUstream);
  CUresult (*streamSynchronize)(CUstream);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memFree)(CUdeviceptr);
  CUresult (*memcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*memsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
} cu;

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ordinal;
static CUcontext g_context;
static char g_init_error[256]; /* empty when the GPU is usable */
/* Why the kernels' module did not load: it is loaded by a constructor at
 * program start, long before a run could report it. */
static char g_load_error[512];
static _Thread_local char t_error[512];

static void set_thread_error(const char *format, ...) {
  if (t_error[0])
    return; /* keep the first error */
  va_list args;
  va_start(args, format);
  vsnprintf(t_error, sizeof t_error, format, args);
  va_end(args);
}

static const char *describe(CUresult status) {
  const char *text = NULL;
  if (cu.getErrorString && cu.getErrorString(status, &text) == 0 && text)
    return text;
  return "unknown CUDA error";
}

static void load_driver(void) {
  const char *path = getenv("DSRT_CUDA_DRIVER");
  if (!path || !*path)
    path = "libcuda.so.1";
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    snprintf(g_init_error, sizeof g_init_error, "no CUDA driver: %s", dlerror());
    return;
  }
#define DSRT_CU(field, symbol)                                                                  \
  if (!(*(void **)&cu.field = dlsym(lib, symbol))) {                                           \
    snprintf(g_init_error, sizeof g_init_error, "no CUDA driver: %s lacks %s", path, symbol);   \
    return;                                                                                    \
  }
  DSRT_CU(init, "cuInit")
  DSRT_CU(deviceGetCount, "cuDeviceGetCount")
  DSRT_CU(deviceGet, "cuDeviceGet")
  DSRT_CU(primaryCtxRetain, "cuDevicePrimaryCtxRetain")
  DSRT_CU(ctxSetCurrent, "cuCtxSetCurrent")
  DSRT_CU(getErrorString, "cuGetErrorString")
  DSRT_CU(moduleLoadData, "cuModuleLoadData")
  DSRT_CU(moduleUnload, "cuModuleUnload")
  DSRT_CU(moduleGetFunction, "cuModuleGetFunction")
  DSRT_CU(launchKernel, "cuLaunchKernel")
  DSRT_CU(streamCreate, "cuStreamCreate")
  DSRT_CU(streamDestroy, "cuStreamDestroy_v2")
  DSRT_CU(streamSynchronize, "cuStreamSynchronize")
  DSRT_CU(memAlloc, "cuMemAlloc_v2")
  DSRT_CU(memFree, "cuMemFree_v2")
  DSRT_CU(memcpyAsync, "cuMemcpyAsync")
  DSRT_CU(memsetD32Async, "cuMemsetD32Async")
#undef DSRT_CU
  CUresult status = cu.init(0);
  int count = 0;
  if (status == kCudaErrorNoDevice ||
      (status == 0 && (cu.deviceGetCount(&count) != 0 || count == 0))) {
    snprintf(g_init_error, sizeof g_init_error, "no CUDA device");
    return;
  }
  if (status == kCudaErrorStubLibrary) {
    snprintf(g_init_error, sizeof g_init_error,
             "no CUDA driver: %s is the CUDA toolkit's stub library, not a driver", path);
    return;
  }
  if (status != 0) {
    snprintf(g_init_error, sizeof g_init_error, "cuInit failed: %s", describe(status));
    return;
  }
  if (g_ordinal < 0 || g_ordinal >= count) {
    snprintf(g_init_error, sizeof g_init_error, "no CUDA device %d (%d present)", g_ordinal,
             count);
    return;
  }
  CUdevice device;
  if ((status = cu.deviceGet(&device, g_ordinal)) != 0 ||
      (status = cu.primaryCtxRetain(&g_context, device)) != 0)
    snprintf(g_init_error, sizeof g_init_error, "CUDA device %d: %s", g_ordinal,
             describe(status));
}

int dsrt_cuda_init(int ordinal, char *err, size_t err_size) {
  g_ordinal = ordinal;
  pthread_once(&g_once, load_driver);
  if (g_init_error[0]) {
    if (err && err_size)
      snprintf(err, err_size, "%s", g_init_error);
    return -1;
  }
  return 0;
}

const char *dsrt_cuda_last_error(void) { return t_error[0] ? t_error : NULL; }
void dsrt_cuda_clear_error(void) { t_error[0] = 0; }

/* True when the calling thread may go on: the driver is up, its context is
 * current and no earlier call on this thread failed. */
static int ready(void) {
  if (t_error[0])
    return 0;
  char err[256];
  if (dsrt_cuda_init(g_ordinal, err, sizeof err) != 0) {
    set_thread_error("%s", err);
    return 0;
  }
  CUresult status = cu.ctxSetCurrent(g_context);
  if (status != 0) {
    set_thread_error("cuCtxSetCurrent: %s", describe(status));
    return 0;
  }
  return 1;
}

/* Records |status| as the thread's error when it is one; true on success. */
static int check(CUresult status, const char *what) {
  if (status == 0)
    return 1;
  set_thread_error("%s: %s", what, describe(status));
  return 0;
}

void mgpuSetDefaultDevice(int32_t device) { g_ordinal = device; }

void *mgpuModuleLoad(void *data, size_t size) {
  (void)size;
  CUmodule module = NULL;
  if (!ready()) {
    snprintf(g_load_error, sizeof g_load_error, "%s", t_error);
    dsrt_cuda_clear_error();
    return NULL;
  }
  CUresult status = cu.moduleLoadData(&module, data);
  if (status != 0) {
    snprintf(g_load_error, sizeof g_load_error, "loading the model's kernels: %s",
             describe(status));
    return NULL;
  }
  return module;
}

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  (void)optLevel; /* the driver's default PTX JIT level */
  return mgpuModuleLoad(data, 0);
}

void mgpuModuleUnload(void *module) {
  /* At exit: nothing to report to, so no error is recorded. */
  if (module && !g_init_error[0] && cu.ctxSetCurrent(g_context) == 0)
    cu.moduleUnload(module);
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CUfunction function = NULL;
  if (!ready())
    return NULL;
  if (!module) {
    set_thread_error("kernel %s: %s", name,
                     g_load_error[0] ? g_load_error : "the model's kernels were not loaded");
    return NULL;
  }
  char what[160];
  snprintf(what, sizeof what, "kernel %s", name);
  if (!check(cu.moduleGetFunction(&function, module, name), what))
    function = NULL;
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                      intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t smem,
                      void *stream, void **params, void **extra, size_t paramsCount) {
  (void)paramsCount;
  if (!ready() || !function)
    return;
  check(cu.launchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, smem, stream,
                        params, extra),
        "kernel launch");
}

/* A model instance's device state (dsrt_cuda_prepare .. dsrt_cuda_release):
 * its stream and its buffers, one per slot of the generated host code. */
typedef struct dsrt_cuda_slot {
  CUdeviceptr pointer;
  int64_t bytes;
  int uploaded; /* a weight: its bytes are on the device */
} dsrt_cuda_slot;

typedef struct dsrt_cuda_instance {
  CUstream stream;
  int64_t num_slots;
  dsrt_cuda_slot *slots;
  struct dsrt_cuda_instance *outer; /* the instance running when this run began */
} dsrt_cuda_instance;

/* The instance whose run is on this thread's stack (dsrt_model_run). */
static _Thread_local dsrt_cuda_instance *t_instance;

void *mgpuStreamCreate(void) {
  /* Inside a model's run: that instance's stream, so that its runs queue
   * in order and other instances' runs overlap with them. */
  if (t_instance && t_instance->stream)
    return t_instance->stream;
  CUstream stream = NULL;
  if (ready() && !check(cu.streamCreate(&stream, kCudaStreamNonBlocking), "cuStreamCreate"))
    stream = NULL;
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  if (t_instance && stream == t_instance->stream)
    return; /* the instance's: kept until dsrt_cuda_release */
  if (stream && !g_init_error[0] && cu.ctxSetCurrent(g_context) == 0)
    cu.streamDestroy(stream);
}

void mgpuStreamSynchronize(void *stream) {
  if (ready())
    check(cu.streamSynchronize(stream), "cuStreamSynchronize");
}

void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared) {
  (void)stream;
  CUdeviceptr pointer = 0;
  if (isHostShared) {
    set_thread_error("host-shared GPU allocations are not supported");
    return NULL;
  }
  if (ready() && bytes && !check(cu.memAlloc(&pointer, bytes), "cuMemAlloc"))
    pointer = 0;
  return (void *)(uintptr_t)pointer;
}

void mgpuMemFree(void *ptr, void *stream) {
  (void)stream;
  if (ptr && ready())
    check(cu.memFree((CUdeviceptr)(uintptr_t)ptr), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  /* Unified addressing: the driver tells host from device pointers. */
  if (ready())
    check(cu.memcpyAsync((CUdeviceptr)(uintptr_t)dst, (CUdeviceptr)(uintptr_t)src, bytes, stream),
          "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream) {
  if (ready())
    check(cu.memsetD32Async((CUdeviceptr)(uintptr_t)dst, value, count, stream),
          "cuMemsetD32Async");
}

void *dsrt_cuda_buffer(int64_t slot, int64_t num_slots, int64_t bytes, const void *host) {
  dsrt_cuda_instance *instance = t_instance;
  if (!ready())
    return NULL;
  if (!instance) {
    set_thread_error("dsrt_cuda_buffer called outside dsrt_model_run");
    return NULL;
  }
  if (!instance->slots) {
    if (num_slots <= 0 || !(instance->slots = calloc((size_t)num_slots, sizeof *instance->slots))) {
      set_thread_error("out of memory for %lld device buffer slots", (long long)num_slots);
      return NULL;
    }
    instance->num_slots = num_slots;
  }
  if (num_slots != instance->num_slots || slot < 0 || slot >= num_slots || bytes < 0) {
    set_thread_error("device buffer slot %lld of %lld (%lld bytes) does not match the model's %lld",
                     (long long)slot, (long long)num_slots, (long long)bytes,
                     (long long)instance->num_slots);
    return NULL;
  }
  dsrt_cuda_slot *buffer = &instance->slots[slot];
  if (bytes == 0)
    return NULL; /* an empty tensor: no kernel reads it */
  if (!buffer->pointer) {
    char what[96];
    snprintf(what, sizeof what, "cuMemAlloc of %lld bytes", (long long)bytes);
    if (!check(cu.memAlloc(&buffer->pointer, (size_t)bytes), what)) {
      buffer->pointer = 0;
      return NULL;
    }
    buffer->bytes = bytes;
  } else if (buffer->bytes != bytes) {
    set_thread_error("device buffer slot %lld holds %lld bytes, the run asks for %lld",
                     (long long)slot, (long long)buffer->bytes, (long long)bytes);
    return NULL;
  }
  if (host && !buffer->uploaded) {
    /* On the instance's stream: ordered before the run's launches. */
    if (!check(cu.memcpyAsync(buffer->pointer, (CUdeviceptr)(uintptr_t)host, (size_t)bytes,
                              instance->stream),
               "uploading a weight"))
      return NULL;
    buffer->uploaded = 1;
  }
  return (void *)(uintptr_t)buffer->pointer;
}

/* libdsrt's hooks (dsrt.c) around the run of a DSRT_MODEL_CUDA model. */
int dsrt_cuda_prepare(void **state, char *err, size_t err_size) {
  dsrt_cuda_clear_error();
  if (dsrt_cuda_init(g_ordinal, err, err_size) != 0)
    return -1;
  dsrt_cuda_instance *instance = *state;
  if (!instance) {
    CUresult status = cu.ctxSetCurrent(g_context);
    if (status == 0) {
      if (!(instance = calloc(1, sizeof *instance))) {
        snprintf(err, err_size, "out of memory");
        return -1;
      }
      status = cu.streamCreate(&instance->stream, kCudaStreamNonBlocking);
    }
    if (status != 0) {
      free(instance);
      snprintf(err, err_size, "creating the model's CUDA stream: %s", describe(status));
      return -1;
    }
    *state = instance;
  }
  instance->outer = t_instance;
  t_instance = instance;
  return 0;
}

int dsrt_cuda_finish(void *state, char *err, size_t err_size) {
  dsrt_cuda_instance *instance = state;
  t_instance = instance->outer;
  const char *error = dsrt_cuda_last_error();
  if (!error)
    return 0;
  /* The weights may not have arrived: upload them again next run. */
  for (int64_t i = 0; i < instance->num_slots; ++i)
    instance->slots[i].uploaded = 0;
  snprintf(err, err_size, "%s", error);
  dsrt_cuda_clear_error();
  return -1;
}

void dsrt_cuda_release(void *state) {
  dsrt_cuda_instance *instance = state;
  if (!instance)
    return;
  /* Nothing to report to: a failing driver leaves the memory to the
   * context's teardown. */
  if (!g_init_error[0] && cu.ctxSetCurrent(g_context) == 0) {
    cu.streamSynchronize(instance->stream);
    for (int64_t i = 0; i < instance->num_slots; ++i)
      if (instance->slots[i].pointer)
        cu.memFree(instance->slots[i].pointer);
    cu.streamDestroy(instance->stream);
  }
  free(instance->slots);
  free(instance);
}
