// ToyModels.h - hand-written model descriptors standing in for compiler output, so the
// runtime can be tested without the compiler.
#ifndef DEEPSEEK_TEST_RUNTIME_TOYMODELS_H
#define DEEPSEEK_TEST_RUNTIME_TOYMODELS_H

#include "dsrt/dsrt.h"

namespace toy {

// y = x + 1 over float32 [2, 3]; counts its runs and remembers the arena it got.
inline int addOneRuns = 0;
inline void *addOneArena = nullptr;
inline void addOneRun(void **buffers, void *arena) {
  const float *x = static_cast<const float *>(buffers[0]);
  float *y = static_cast<float *>(buffers[1]);
  for (int i = 0; i < 6; ++i)
    y[i] = x[i] + 1.0f;
  addOneArena = arena;
  ++addOneRuns;
}
inline const int64_t kDims23[] = {2, 3};
inline const dsrt_tensor_desc kAddOneIn[] = {{"x", DSRT_FLOAT32, 2, kDims23, 24}};
inline const dsrt_tensor_desc kAddOneOut[] = {{"y", DSRT_FLOAT32, 2, kDims23, 24}};
inline const dsrt_model_desc kAddOne = {DSRT_ABI_VERSION, 1, 1, 0, "add_one", kAddOneIn,
                                        kAddOneOut, 0, addOneRun};

// A "classifier": scores = x over float32 [1, 10].
inline void copyRun(void **buffers, void *) {
  const float *x = static_cast<const float *>(buffers[0]);
  float *y = static_cast<float *>(buffers[1]);
  for (int i = 0; i < 10; ++i)
    y[i] = x[i];
}
inline const int64_t kDims110[] = {1, 10};
inline const dsrt_tensor_desc kClsIn[] = {{"pixels", DSRT_FLOAT32, 2, kDims110, 40}};
inline const dsrt_tensor_desc kClsOut[] = {{"scores", DSRT_FLOAT32, 2, kDims110, 40}};
inline const dsrt_model_desc kClassifier = {DSRT_ABI_VERSION, 1, 1, 0, "cls", kClsIn,
                                            kClsOut, 0, copyRun};

} // namespace toy

#endif
