//===- Fidelity.cpp - how closely a rewritten model follows the original ===//

#include "InMemoryModel.h"

#include <algorithm>
#include <cmath>

namespace deepseek::optimize {

llvm::Expected<Fidelity> compareModels(const onnx::ModelProto &original,
                                       const onnx::ModelProto &rewritten,
                                       const std::string &path,
                                       const std::vector<Sample> &samples, int threads,
                                       int latencyRuns, const dsrt_image_preprocess &image) {
  Fidelity f;
  if (samples.empty())
    return f;
  auto reference =
      InMemoryModel::compile(original, path, samples.front(), "the original model", image);
  if (!reference)
    return reference.takeError();
  auto candidate =
      InMemoryModel::compile(rewritten, path, samples.front(), "the rewritten model", image);
  if (!candidate)
    return candidate.takeError();
  double cosineSum = 0;
  for (const Sample &sample : samples) {
    Tensors a, b;
    if (llvm::Error e = (*reference)->run(sample, threads, a))
      return std::move(e);
    if (llvm::Error e = (*candidate)->run(sample, threads, b))
      return std::move(e);
    const dsrt_host_tensor &x = a.list.front(), &y = b.list.front();
    size_t n = dsrt_tensor_numel(&x);
    if (n != dsrt_tensor_numel(&y))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "the rewritten model's first output has another size");
    double dot = 0, xx = 0, yy = 0;
    for (size_t i = 0; i < n; ++i) {
      double u = dsrt_tensor_get_f64(&x, i), v = dsrt_tensor_get_f64(&y, i);
      dot += u * v;
      xx += u * u;
      yy += v * v;
      f.maxAbsDiff = std::max(f.maxAbsDiff, std::fabs(u - v));
    }
    double cosine = xx > 0 && yy > 0 ? dot / std::sqrt(xx * yy) : (xx == yy ? 1.0 : 0.0);
    cosineSum += cosine;
    f.minCosine = std::min(f.minCosine, cosine);
    ++f.samples;
    // Class scores: [N, C] (or [C]) with C > 1; argmax per row.
    if (x.rank >= 1 && x.rank <= 2 && x.dims[x.rank - 1] > 1) {
      size_t classes = x.dims[x.rank - 1], rows = n / classes;
      for (size_t r = 0; r < rows; ++r) {
        size_t ax = 0, ay = 0;
        for (size_t c = 1; c < classes; ++c) {
          if (dsrt_tensor_get_f64(&x, r * classes + c) > dsrt_tensor_get_f64(&x, r * classes + ax))
            ax = c;
          if (dsrt_tensor_get_f64(&y, r * classes + c) > dsrt_tensor_get_f64(&y, r * classes + ay))
            ay = c;
        }
        ++f.rows;
        f.top1Agree += ax == ay;
      }
    }
  }
  f.meanCosine = cosineSum / static_cast<double>(f.samples);
  if (latencyRuns > 0) {
    auto before = (*reference)->medianLatency(samples.front(), threads, latencyRuns);
    if (!before)
      return before.takeError();
    auto after = (*candidate)->medianLatency(samples.front(), threads, latencyRuns);
    if (!after)
      return after.takeError();
    f.originalMs = *before;
    f.rewrittenMs = *after;
  }
  return f;
}

} // namespace deepseek::optimize
