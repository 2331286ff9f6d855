//===- ModelInterface.h - what a compiled model exposes ----------*- C++ -*-===//
//
// The inputs and outputs of a model as the runtime sees them (names, ONNX
// dtypes, static shapes), read from the ds-level model function before it is
// lowered, and the code that emits them: the `dsrt_model_desc` global in the
// object (the layout of include/dsrt/dsrt.h), the C header, and the `main` of
// a standalone executable.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_TARGET_MODELINTERFACE_H
#define DEEPSEEK_TARGET_MODELINTERFACE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace llvm {
class Module;
class raw_ostream;
} // namespace llvm

namespace mlir::ds {

struct TensorInterface {
  std::string name;
  int32_t dtype = 0; ///< dsrt_dtype (ONNX TensorProto.DataType numbering)
  std::vector<int64_t> dims;
  int64_t sizeBytes = 0;
};

struct ModelInterface {
  std::string modelName; ///< the model's own name (ONNX graph name)
  std::string symbol;    ///< C identifier prefix: <symbol>_model, <symbol>_run
  std::vector<TensorInterface> inputs, outputs;
  uint64_t arenaSize = 0;
  /// The run function launches CUDA kernels (--target nvptx): the
  /// descriptor says so (DSRT_MODEL_CUDA) and executables link libdsrt_cuda.
  bool cuda = false;
};

/// The dsrt dtype of an MLIR element type, or 0 when the runtime has none.
int32_t dsrtDTypeOf(Type elementType);

/// A valid C identifier made from |name| ("resnet-50" -> "resnet_50").
std::string sanitizeSymbol(StringRef name);

/// Reads the interface of |module|'s `@main` (ds level, static shapes). Fails
/// with a diagnostic on dynamic shapes or element types the runtime lacks.
FailureOr<ModelInterface> describeModel(ModuleOp module, StringRef symbol);

/// Adds `const dsrt_model_desc <symbol>_model` (pointing at `<symbol>_run`).
void emitModelDescriptor(llvm::Module &module, const ModelInterface &interface);

/// How the executable turns an image file into its input (dsrt_image_preprocess):
/// x = (pixel / 255 - mean[c]) / std[c], NCHW or NHWC. ImageNet's by default.
struct ImagePreprocess {
  float mean[3] = {0.485f, 0.456f, 0.406f};
  float std[3] = {0.229f, 0.224f, 0.225f};
  bool nhwc = false;
};

/// Adds `int main(int argc, char **argv)` calling `dsrt_main_ex(argc, argv,
/// &<symbol>_model, &<symbol>_config)`, with |image| and the default thread
/// count |threads| (0 = all cores) baked in as that dsrt_exe_config.
void emitExecutableMain(llvm::Module &module, const ModelInterface &interface,
                        const ImagePreprocess &image, int threads);

/// Writes the C header declaring `<symbol>_model` with the model's inputs and
/// outputs in comments and index macros.
void emitHeader(llvm::raw_ostream &os, const ModelInterface &interface);

} // namespace mlir::ds

#endif // DEEPSEEK_TARGET_MODELINTERFACE_H
