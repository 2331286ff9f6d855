/*===- dsrt_cuda.h - libdsrt's CUDA backend ----------------------------===*
 *
 * The NVIDIA GPU side of the runtime. It links against nothing from CUDA:
 * the driver (libcuda.so.1, or the file DSRT_CUDA_DRIVER names) is opened
 * with dlopen on first use, so a program built with it runs, and fails
 * cleanly, on machines without a GPU or driver.
 *
 * Two layers:
 *  - dsrt_cuda_init / dsrt_cuda_last_error: what a host program calls to
 *    find out whether (and why not) the GPU can be used;
 *  - the mgpu* functions MLIR's gpu-to-llvm lowering calls from generated
 *    host code (module loading, streams, launches, memory), with MLIR 22's
 *    signatures. Unlike MLIR's own wrappers they never abort: a failure is
 *    recorded as the calling thread's error (dsrt_cuda_last_error) and later
 *    calls on that thread do nothing until dsrt_cuda_clear_error.
 *
 *===--------------------------------------------------------------------===*/
#ifndef DSRT_CUDA_H
#define DSRT_CUDA_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Loads the driver, initializes it and retains the primary context of
 * device |ordinal|. Returns 0, or -1 with a message in |err| ("no CUDA
 * driver: libcuda.so.1: cannot open shared object file", "no CUDA device",
 * ...). Safe to call from several threads; the first call does the work. */
int dsrt_cuda_init(int ordinal, char *err, size_t err_size);

/* The calling thread's first error since the last clear, or NULL. */
const char *dsrt_cuda_last_error(void);
void dsrt_cuda_clear_error(void);

/* What libdsrt calls for a DSRT_MODEL_CUDA model instance. |state| is the
 * instance's device state (the dsrt_model holds it, NULL before its first
 * run): its stream and its device buffers.
 *  - prepare, before each run: clears the thread's error, makes sure the GPU
 *    is usable, creates the state on the first run and makes it the
 *    thread's running instance;
 *  - finish, after each run: reports the run's first error;
 *  - release, when the instance is closed: waits for its stream and frees
 *    its buffers and stream.
 * prepare and finish return 0, or -1 with |err| set. */
int dsrt_cuda_prepare(void **state, char *err, size_t err_size);
int dsrt_cuda_finish(void *state, char *err, size_t err_size);
void dsrt_cuda_release(void *state);

/* Called by generated host code (ds-gpu-host-buffers): the running
 * instance's device buffer for |slot| of |num_slots|, |bytes| long,
 * allocated on the instance's first run and the same pointer on every later
 * one. With |host| (a weight) the buffer is filled from it once, on the
 * instance's stream. NULL (and the thread's error set) on failure or for 0
 * bytes. */
void *dsrt_cuda_buffer(int64_t slot, int64_t num_slots, int64_t bytes, const void *host);

/* MLIR gpu-to-llvm runtime ABI (the subset deepseek's host code uses). */
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                      intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t smem,
                      void *stream, void **params, void **extra, size_t paramsCount);
/* Inside a model's run mgpuStreamCreate returns the instance's stream and
 * mgpuStreamDestroy leaves it alone: each instance has one stream, so runs
 * of different instances overlap on the GPU. */
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);
void mgpuMemset32(void *dst, unsigned int value, size_t count, void *stream);
void mgpuSetDefaultDevice(int32_t device);

#ifdef __cplusplus
}
#endif

#endif /* DSRT_CUDA_H */
