//===- GraphImporter.h - one ONNX graph -> one func.func ------------*- C++ -*-===//
#ifndef DEEPSEEK_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
#define DEEPSEEK_LIB_IMPORT_ONNX_GRAPHIMPORTER_H

#include "deepseek/Import/ONNX/ONNXImporter.h"

#include "mlir/IR/Builders.h"
#include "onnx/onnx_pb.h"

#include <map>
#include <memory>
#include <string>

namespace deepseek::onnx_import {

/// Emits one error at |fileLoc| listing every node whose operator has no
/// converter (name, op type, domain, opset), or succeeds when there is none.
mlir::LogicalResult checkAllOpsSupported(const onnx::ModelProto &model,
                                         mlir::Location fileLoc);

/// Builds `func.func @main` from a loaded, shape-inferred model: graph inputs
/// become arguments, initializers `ds.constant`s, each node the ds ops its
/// converter emits, graph outputs the returned values.
class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &context, std::shared_ptr<const onnx::ModelProto> model,
                llvm::StringRef path, const ImportOptions &options);

  /// Imports the graph; null after emitting diagnostics on failure.
  mlir::OwningOpRef<mlir::ModuleOp> run();

  // For NodeContext.
  mlir::OpBuilder &builder() { return builder_; }
  mlir::Value lookup(const std::string &name) const;
  mlir::RankedTensorType recordedType(const std::string &name) const;
  bool isUsed(const std::string &name) const { return uses_.count(name) != 0; }
  void define(const std::string &name, mlir::Value value) { values_[name] = value; }
  /// Creates the `ds.constant` for initializer |tensor|.
  mlir::LogicalResult importInitializer(const onnx::TensorProto &tensor);
  int64_t inlineElementLimit() const { return options_.inlineElementLimit; }
  const std::shared_ptr<const onnx::ModelProto> &model() const { return model_; }

private:
  mlir::Location fileLoc() const;
  mlir::Location nodeLoc(const onnx::NodeProto &node, size_t index) const;
  mlir::LogicalResult recordValueTypes();
  mlir::LogicalResult importInitializers();
  mlir::LogicalResult importNodes();

  mlir::MLIRContext &context_;
  std::shared_ptr<const onnx::ModelProto> model_;
  std::string path_;
  const ImportOptions &options_;
  mlir::OpBuilder builder_;
  std::map<std::string, mlir::Value> values_;
  std::map<std::string, mlir::RankedTensorType> types_;
  std::map<std::string, int> uses_;
};

} // namespace deepseek::onnx_import

#endif // DEEPSEEK_LIB_IMPORT_ONNX_GRAPHIMPORTER_H
