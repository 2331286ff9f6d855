//===- GeneratedInputs.cpp - inputs for models without data ---------------===//
//
// Pruning needs no data, but its summary compares the pruned model with the
// original (agreement, latency). Without --calibration those runs use
// seeded uniform inputs of the model's declared shapes.
//
//===----------------------------------------------------------------------===//

#include "InMemoryModel.h"

#include "deepseek/Optimize/Pruning.h"

#include "llvm/Support/Path.h"

#include <random>
#include <set>

namespace deepseek::optimize {

llvm::Expected<Sample> generateSample(const onnx::ModelProto &model, const std::string &folder,
                                      unsigned seed) {
  std::set<std::string> initializers;
  for (const onnx::TensorProto &t : model.graph().initializer())
    initializers.insert(t.name());
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
  Sample sample;
  for (const onnx::ValueInfoProto &input : model.graph().input()) {
    if (initializers.count(input.name()))
      continue;
    const onnx::TypeProto::Tensor &type = input.type().tensor_type();
    if (type.elem_type() != onnx::TensorProto::FLOAT)
      return optimizeError("input '" + input.name() + "' is not float: generated inputs need float "
                  "inputs (give --calibration data)");
    if (type.shape().dim_size() > DSRT_MAX_RANK)
      return optimizeError("input '" + input.name() + "' has rank " +
                           std::to_string(type.shape().dim_size()) + ", more than " +
                           std::to_string(DSRT_MAX_RANK));
    dsrt_host_tensor t{};
    t.dtype = DSRT_FLOAT32;
    t.rank = type.shape().dim_size();
    int64_t count = 1;
    for (int d = 0; d < t.rank; ++d) {
      const auto &dim = type.shape().dim(d);
      t.dims[d] = dim.has_dim_value() ? dim.dim_value() : 1;
      count *= t.dims[d];
    }
    std::vector<float> values(count);
    for (float &v : values)
      v = uniform(rng);
    t.data = values.data();
    t.size_bytes = values.size() * sizeof(float);
    llvm::SmallString<256> path(folder);
    llvm::sys::path::append(path, "input" + std::to_string(sample.size()) + ".npy");
    char err[512];
    if (dsrt_tensor_save(path.c_str(), &t, err, sizeof err) != DSRT_OK)
      return optimizeError(err);
    sample.push_back(path.str().str());
  }
  return sample;
}

} // namespace deepseek::optimize
