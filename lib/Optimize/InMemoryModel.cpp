//===- InMemoryModel.cpp - an ONNX model compiled and run in-process -----===//

#include "InMemoryModel.h"

#include <cmath>
#include <cstdint>

#include "deepseek/Driver/ToolSupport.h"
#include "deepseek/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/Diagnostics.h"

#include <algorithm>
#include <chrono>

using namespace mlir;
using namespace mlir::ds;

namespace deepseek::optimize {

Tensors::~Tensors() {
  for (dsrt_host_tensor &t : list)
    dsrt_tensor_free(&t);
}

llvm::Expected<std::unique_ptr<InMemoryModel>>
InMemoryModel::compile(const onnx::ModelProto &model, const std::string &path,
                       const Sample &sample, const std::string &what,
                       const dsrt_image_preprocess &image) {
  auto copy = std::make_shared<onnx::ModelProto>(model);
  deepseek::onnx_import::ImportOptions importOptions;
  // Graph inputs that are not initializers, in order: the sample's files.
  std::vector<const onnx::ValueInfoProto *> inputs;
  std::set<std::string> initializers;
  for (const onnx::TensorProto &t : copy->graph().initializer())
    initializers.insert(t.name());
  for (const onnx::ValueInfoProto &v : copy->graph().input())
    if (!initializers.count(v.name()))
      inputs.push_back(&v);
  std::vector<std::string> inputNames;
  for (const onnx::ValueInfoProto *v : inputs)
    inputNames.push_back(v->name());
  if (inputNames.size() != sample.size())
    return optimizeError(what + ": the model has " + llvm::Twine(inputNames.size()) + " inputs, the "
                "sample " + llvm::Twine(sample.size()) + " files");
  char err[512];
  for (size_t i = 0; i < sample.size(); ++i) {
    const onnx::TensorShapeProto &declared = inputs[i]->type().tensor_type().shape();
    if (dsrt_is_image_path(sample[i].c_str())) {
      // An image is resized to the input's own shape: the batch may be
      // dynamic (one image), the channels, height and width may not.
      std::vector<int64_t> dims;
      for (int d = 0; d < declared.dim_size(); ++d) {
        if (declared.dim(d).has_dim_value())
          dims.push_back(declared.dim(d).dim_value());
        else if (d == 0)
          dims.push_back(1);
        else
          return optimizeError(what + ": sample " + sample[i] + " is an image, but input '" +
                               inputNames[i] + "' has no fixed size in dim " +
                               llvm::Twine(d) + " (images need [N, C, H, W] or [N, H, W, C])");
      }
      importOptions.inputShapes[inputNames[i]].assign(dims.begin(), dims.end());
      continue;
    }
    dsrt_host_tensor t{};
    if (dsrt_tensor_load(sample[i].c_str(), &t, err, sizeof err) != DSRT_OK)
      return optimizeError(err);
    // The sample must fit the declared shape (a dynamic dim takes its size).
    bool fits = declared.dim_size() == t.rank;
    for (int d = 0; fits && d < t.rank; ++d)
      fits = !declared.dim(d).has_dim_value() || declared.dim(d).dim_value() == t.dims[d];
    std::string shape;
    for (int d = 0; d < t.rank; ++d)
      shape += (d ? "x" : "") + std::to_string(t.dims[d]);
    importOptions.inputShapes[inputNames[i]].assign(t.dims, t.dims + t.rank);
    dsrt_tensor_free(&t);
    if (!fits) {
      std::string want;
      for (int d = 0; d < declared.dim_size(); ++d)
        want += (d ? "x" : "") + (declared.dim(d).has_dim_value()
                                      ? std::to_string(declared.dim(d).dim_value())
                                      : declared.dim(d).dim_param().empty()
                                            ? std::string("?")
                                            : declared.dim(d).dim_param());
      return optimizeError(what + ": sample " + sample[i] + " has shape " + shape + ", but input '" +
                  inputNames[i] + "' is declared " + want);
    }
  }
  std::unique_ptr<InMemoryModel> result(new InMemoryModel());
  result->image = image;
  registerCompilerDialects(result->context);
  std::string diagnostics;
  ScopedDiagnosticHandler handler(&result->context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      diagnostics += "  " + deepseek::onnx_import::describeLocation(diag.getLocation()) +
                     ": " + diag.str() + "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module =
      deepseek::onnx_import::importONNXModel(result->context, copy, path, importOptions);
  if (!module)
    return optimizeError(what + ": cannot import the model:\n" + diagnostics);
  CompileOptions options;
  FailureOr<ModelInterface> interface = lowerToLLVMDialect(*module, options);
  if (failed(interface))
    return optimizeError(what + ": cannot compile the model:\n" + diagnostics);
  auto jit = JITModel::create(*module, *interface, options.target.optLevel);
  if (failed(jit))
    return optimizeError(what + ": cannot JIT-compile the model:\n" + diagnostics);
  result->jit = std::move(*jit);
  return result;
}

llvm::Error InMemoryModel::loadSample(const Sample &sample, Tensors &inputs) const {
  inputs.list.assign(sample.size(), dsrt_host_tensor{});
  char err[512];
  const dsrt_model_desc *desc = descriptor();
  for (size_t i = 0; i < sample.size(); ++i) {
    const char *file = sample[i].c_str();
    dsrt_status status =
        dsrt_is_image_path(file) && i < desc->num_inputs
            ? dsrt_image_load(file, &desc->inputs[i], &image, &inputs.list[i], err, sizeof err)
            : dsrt_tensor_load(file, &inputs.list[i], err, sizeof err);
    if (status != DSRT_OK)
      return optimizeError(err);
    // A NaN or infinity would poison calibrated ranges (and every statistic
    // taken from the runs) without a word.
    const dsrt_host_tensor &t = inputs.list[i];
    size_t bad = SIZE_MAX;
    if (t.dtype == DSRT_FLOAT32) {
      const float *v = static_cast<const float *>(t.data);
      for (size_t k = 0; k < t.size_bytes / sizeof(float) && bad == SIZE_MAX; ++k)
        if (!std::isfinite(v[k]))
          bad = k;
    } else if (t.dtype == DSRT_FLOAT64) {
      const double *v = static_cast<const double *>(t.data);
      for (size_t k = 0; k < t.size_bytes / sizeof(double) && bad == SIZE_MAX; ++k)
        if (!std::isfinite(v[k]))
          bad = k;
    }
    if (bad != SIZE_MAX)
      return optimizeError(std::string(file) + ": element " + std::to_string(bad) +
                           " is not finite (NaN or Inf); samples must hold finite numbers");
  }
  return llvm::Error::success();
}

llvm::Expected<double> InMemoryModel::medianLatency(const Sample &sample, int threads,
                                                     int runs) {
  Tensors inputs;
  if (llvm::Error e = loadSample(sample, inputs))
    return std::move(e);
  std::vector<double> times;
  for (int r = 0; r <= runs; ++r) {
    Tensors outputs;
    std::string error;
    auto start = std::chrono::steady_clock::now();
    if (!runOnce(descriptor(), inputs.list, outputs.list, threads, error))
      return optimizeError("sample " + sample.front() + ": " + error);
    std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    if (r > 0) // the first run warms up
      times.push_back(took.count());
  }
  std::sort(times.begin(), times.end());
  return times.empty() ? 0.0 : times[times.size() / 2];
}

llvm::Error InMemoryModel::run(const Sample &sample, int threads, Tensors &outputs) {
  Tensors inputs;
  if (llvm::Error e = loadSample(sample, inputs))
    return e;
  std::string error;
  if (!runOnce(descriptor(), inputs.list, outputs.list, threads, error))
    return optimizeError("sample " + sample.front() + ": " + error);
  return llvm::Error::success();
}

} // namespace deepseek::optimize
