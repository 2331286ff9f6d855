//===- ModelLoader.h - read, check and normalize an ONNX model ------*- C++ -*-===//
#ifndef DEEPSEEK_IMPORT_ONNX_MODELLOADER_H
#define DEEPSEEK_IMPORT_ONNX_MODELLOADER_H

#include "deepseek/Import/ONNX/ONNXImporter.h"

#include "onnx/onnx_pb.h"
#include "llvm/Support/Error.h"

#include <memory>

namespace deepseek::onnx_import {

/// Reads |path| (binary protobuf, ONNX textual syntax for `.onnxtxt`, or a
/// TorchScript archive, recognized by its content, converted with the input
/// shapes of |options|) and runs the ONNX checker and checkBeforeInference. The error text names the
/// file and what is wrong.
llvm::Expected<std::shared_ptr<onnx::ModelProto>>
readModel(llvm::StringRef path, const ImportOptions &options = ImportOptions());

/// Moves |options.positionalInputShapes| to |options.inputShapes| under the
/// names of the graph's inputs (those that are not initializers), in order.
llvm::Error nameInputShapes(const onnx::ModelProto &model, llvm::StringRef path,
                            ImportOptions &options);

/// Turns the graph inputs named in |options.constantInputs| into initializers
/// holding the TensorProto read from each file, after checking that its type
/// and shape fit the input's declaration.
llvm::Error bindConstantInputs(onnx::ModelProto &model, llvm::StringRef path,
                               const ImportOptions &options);

/// Converts |model| (any opset the ONNX version converter handles, 1 and up) to
/// |options.targetOpset| and runs ONNX shape inference in
/// strict mode, so every value has a type. The error names the failing stage.
/// libonnx runs in a child process (IsolatedProcess.h): its crash on a
/// malformed model is an error too.
llvm::Error normalizeModel(onnx::ModelProto &model, llvm::StringRef path,
                           const ImportOptions &options);

} // namespace deepseek::onnx_import

#endif // DEEPSEEK_IMPORT_ONNX_MODELLOADER_H
