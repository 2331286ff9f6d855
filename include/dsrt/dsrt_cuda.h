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

/* What libdsrt's dsrt_model_run calls around a DSRT_MODEL_CUDA model's run:
 * prepare (clears the thread's error, makes sure the GPU is usable) and
 * finish (reports the first error of the run). 0 or -1 with |err| set. */
int dsrt_cuda_prepare(char *err, size_t err_size);
int dsrt_cuda_finish(char *err, size_t err_size);

/* MLIR gpu-to-llvm runtime ABI (the subset deepseek's host code uses). */
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY, intptr_t gridZ,
                      intptr_t blockX, intptr_t blockY, intptr_t blockZ, int32_t smem,
                      void *stream, void **params, void **extra, size_t paramsCount);
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
