//===- ONNXImporter.h - ONNX model -> ds dialect --------------------*- C++ -*-===//
//
// The public entry point of the ONNX importer. It deliberately exposes no ONNX or
// protobuf types: callers (tools, the pipeline) are compiled like MLIR, without
// exceptions, while the importer itself is compiled with them and catches every
// libonnx exception at this boundary.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_IMPORT_ONNX_ONNXIMPORTER_H
#define DEEPSEEK_IMPORT_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <memory>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace deepseek::onnx_import {

struct ImportOptions {
  /// Shapes that replace the declared shapes of graph inputs, by input name
  /// (`--input-shape NAME=1x3x224x224`): how a dynamic batch becomes static.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Shapes for the graph inputs in order (`--input-shape 1x3x224x224`), for
  /// inputs not named in |inputShapes|.
  llvm::SmallVector<llvm::SmallVector<int64_t>> positionalInputShapes;
  /// Graph inputs replaced by constants read from ONNX TensorProto files
  /// (`--constant-input NAME=FILE.pb`): how shape, axis or parameter inputs
  /// that a model takes at run time become compile-time constants.
  llvm::StringMap<std::string> constantInputs;
  /// The default-domain opset the model is converted to before mapping.
  int64_t targetOpset = 17;
  /// Tensors with at most this many elements become readable `dense` literals;
  /// larger ones `dense_resource` blobs.
  int64_t inlineElementLimit = 16;
};

/// Imports the model at |path| (`.onnx` binary protobuf, or `.onnxtxt` in ONNX's
/// textual syntax) into a new module holding one `func.func @main`. On failure it
/// returns null after emitting errors through |context|'s diagnostic engine; each
/// error's location names the file and, where there is one, the node and its op
/// type (see describeLocation).
mlir::OwningOpRef<mlir::ModuleOp> importONNXFile(mlir::MLIRContext &context,
                                                 llvm::StringRef path,
                                                 const ImportOptions &options);

/// "model.onnx: node 'conv1' (Conv)" for a location the importer created, or the
/// printed location otherwise: how tools prefix the importer's diagnostics.
/// Imports a model already in memory (deepseek-optimize's rewritten models);
/// |path| names it in diagnostics. The model is normalized in place.
mlir::OwningOpRef<mlir::ModuleOp> importONNXModel(mlir::MLIRContext &context,
                                                  std::shared_ptr<onnx::ModelProto> model,
                                                  llvm::StringRef path,
                                                  const ImportOptions &options);

std::string describeLocation(mlir::Location loc);

/// The ONNX operators (default domain) the importer has a converter for, sorted.
std::vector<std::string> supportedOperators();

/// The dialects the importer creates ops of, to load into a context up front.
void registerImportDialects(mlir::DialectRegistry &registry);

} // namespace deepseek::onnx_import

#endif // DEEPSEEK_IMPORT_ONNX_ONNXIMPORTER_H
