//===- InMemoryModel.h - an ONNX model compiled and run in-process --*- C++ -*-===//
//
// deepseek-optimize runs models (the FP32 model for calibration, both models
// to compare them) through deepseek's own pipeline, JIT-compiled for this
// machine, and libdsrt, as deepseek-run does.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_LIB_OPTIMIZE_INMEMORYMODEL_H
#define DEEPSEEK_LIB_OPTIMIZE_INMEMORYMODEL_H

#include "deepseek/Driver/Compiler.h"
#include "deepseek/Optimize/Quantization.h"

#include "dsrt/dsrt_io.h"
#include "mlir/IR/MLIRContext.h"

#include <memory>
#include <vector>

namespace deepseek::optimize {

/// An error with |message| (the library's errors are text for the user).
inline llvm::Error optimizeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message.str());
}

/// Host tensors freed on destruction.
struct Tensors {
  std::vector<dsrt_host_tensor> list;
  Tensors() = default;
  Tensors(const Tensors &) = delete;
  Tensors &operator=(const Tensors &) = delete;
  ~Tensors();
};

class InMemoryModel {
public:
  /// Compiles |model| (a copy is imported) with input shapes fixed to those
  /// of |sample|'s tensors (an image input keeps its declared shape, batch
  /// 1). |what| names the model in errors; image samples become tensors as
  /// |image| says.
  static llvm::Expected<std::unique_ptr<InMemoryModel>>
  compile(const onnx::ModelProto &model, const std::string &path, const Sample &sample,
          const std::string &what,
          const dsrt_image_preprocess &image = dsrt_imagenet_preprocess);

  /// Runs one sample; |outputs| gets one tensor per model output.
  llvm::Error run(const Sample &sample, int threads, Tensors &outputs);

  /// The median milliseconds of |runs| runs on |sample| (read once), after
  /// one warm-up run.
  llvm::Expected<double> medianLatency(const Sample &sample, int threads, int runs);

  const dsrt_model_desc *descriptor() const { return jit->descriptor(); }

private:
  /// The sample's files read (tensors) or decoded (images) as inputs.
  llvm::Error loadSample(const Sample &sample, Tensors &inputs) const;

  mlir::MLIRContext context;
  std::unique_ptr<mlir::ds::JITModel> jit;
  dsrt_image_preprocess image = dsrt_imagenet_preprocess;
};

} // namespace deepseek::optimize

#endif // DEEPSEEK_LIB_OPTIMIZE_INMEMORYMODEL_H
