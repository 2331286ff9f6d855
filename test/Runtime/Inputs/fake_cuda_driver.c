/* A stand-in for libcuda.so.1 on a machine whose driver sees no GPU: every
 * entry point libdsrt looks up exists, and cuInit answers
 * CUDA_ERROR_NO_DEVICE (100) as the real driver does there. Built with
 * -DMISSING_LAUNCH it lacks cuLaunchKernel (a driver too old or broken). */
typedef int CUresult;
#define ENTRY(name) CUresult name() { return 100; }
ENTRY(cuInit)
ENTRY(cuDeviceGetCount)
ENTRY(cuDeviceGet)
ENTRY(cuDevicePrimaryCtxRetain)
ENTRY(cuCtxSetCurrent)
ENTRY(cuModuleLoadData)
ENTRY(cuModuleUnload)
ENTRY(cuModuleGetFunction)
#ifndef MISSING_LAUNCH
ENTRY(cuLaunchKernel)
#endif
ENTRY(cuStreamCreate)
ENTRY(cuStreamDestroy_v2)
ENTRY(cuStreamSynchronize)
ENTRY(cuMemAlloc_v2)
ENTRY(cuMemFree_v2)
ENTRY(cuMemcpyAsync)
ENTRY(cuMemsetD32Async)
CUresult cuGetErrorString(CUresult status, const char **text) {
  *text = status == 100 ? "no CUDA-capable device is detected" : "error";
  return 0;
}
