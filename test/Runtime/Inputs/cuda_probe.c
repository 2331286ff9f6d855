/* Calls libdsrt's CUDA backend the way generated host code and the runtime
 * do, and prints what it reports: on a machine without a usable GPU every
 * call must return quietly, with the reason in dsrt_cuda_last_error. */
#include "dsrt/dsrt_cuda.h"

#include <stdio.h>

int main(void) {
  char err[256] = "";
  int status = dsrt_cuda_init(0, err, sizeof err);
  printf("init: %d %s\n", status, err);
  void *module = mgpuModuleLoadJIT((void *)".version 8.0\n", 3);
  void *function = mgpuModuleGetFunction(module, "model_k0");
  void *stream = mgpuStreamCreate();
  void *buffer = mgpuMemAlloc(64, stream, 0);
  float host[16] = {0};
  mgpuMemcpy(buffer, host, sizeof host, stream);
  mgpuLaunchKernel(function, 1, 1, 1, 16, 1, 1, 0, stream, NULL, NULL, 0);
  mgpuStreamSynchronize(stream);
  mgpuMemFree(buffer, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  printf("module: %p function: %p stream: %p buffer: %p\n", module, function, stream, buffer);
  const char *last = dsrt_cuda_last_error();
  printf("last error: %s\n", last ? last : "(none)");
  return 0;
}
