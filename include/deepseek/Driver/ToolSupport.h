//===- ToolSupport.h - what every command-line tool shares -------*- C++ -*-===//
#ifndef DEEPSEEK_DRIVER_TOOLSUPPORT_H
#define DEEPSEEK_DRIVER_TOOLSUPPORT_H

#include "deepseek/Import/ONNX/ONNXImporter.h"
#include "deepseek/Target/ModelInterface.h"

#include "dsrt/dsrt_io.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace mlir::ds {

/// Fills |options| from the tools' repeatable import flags: --input-shape
/// "NAME=1x3x224x224" (a dim may be `?` to stay dynamic) and --constant-input
/// "NAME=FILE.pb". Returns false with |error| set on the first malformed one.
bool parseImportFlags(const std::vector<std::string> &inputShapes,
                      const std::vector<std::string> &constantInputs,
                      deepseek::onnx_import::ImportOptions &options, std::string &error);

/// Parses --mean/--std ("0.485,0.456,0.406", or one value for every channel;
/// empty: keep |image|'s) and --layout (NCHW or NHWC; empty: keep) into
/// |image|. Returns false with |error| set on a bad value.
bool parseImageFlags(const std::string &mean, const std::string &std, const std::string &layout,
                     ImagePreprocess &image, std::string &error);

/// The folder of the running tool (the runtime libraries are found from it,
/// in ../lib); |anchor| is the address of any function of the tool.
std::string toolDirectory(const char *argv0, void *anchor);

/// Prints |diag| (and its notes) as "file:line:col: error: message" with ONNX
/// node names where the location carries them.
void printDiagnostic(Diagnostic &diag);

/// Loads a model: .onnx / .onnxtxt through the importer, .mlir / .mlirbc as ds
/// IR. Errors go to the context's diagnostic handler; returns null on failure.
OwningOpRef<ModuleOp> loadModel(MLIRContext &context, llvm::StringRef path,
                                const deepseek::onnx_import::ImportOptions &options);

/// The numpy.allclose criterion, element by element: |a - e| <= atol + rtol * |e|
/// (NaN matches NaN, infinities must be equal).
struct Comparison {
  bool ok = false;
  double maxAbsDiff = 0; ///< over finite pairs
  double maxAbsRef = 0;
  size_t mismatches = 0;
  size_t firstMismatch = 0;
  std::string problem; ///< set when dtype or shape differ
};
Comparison compareTensors(const dsrt_host_tensor &actual, const dsrt_host_tensor &expected,
                          double rtol, double atol);

/// Runs |desc| once on |inputs| into freshly allocated |outputs| with |threads|
/// (0 = all cores). Returns false with |error| set on any failure.
bool runOnce(const dsrt_model_desc *desc, std::vector<dsrt_host_tensor> &inputs,
             std::vector<dsrt_host_tensor> &outputs, int threads, std::string &error);

} // namespace mlir::ds

#endif // DEEPSEEK_DRIVER_TOOLSUPPORT_H
