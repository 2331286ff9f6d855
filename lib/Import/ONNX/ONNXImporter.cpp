//===- ONNXImporter.cpp - the importer's public entry points --------------===//

#include "deepseek/Import/ONNX/ONNXImporter.h"

#include "GraphImporter.h"
#include "deepseek/Import/ONNX/ModelLoader.h"
#include "deepseek/Import/ONNX/InferencePrechecks.h"
#include "NodeContext.h"

#include "deepseek/Dialect/DS/IR/DSDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Location.h"

#include <algorithm>
#include <exception>
#include <functional>

using namespace mlir;

namespace deepseek::onnx_import {

void registerImportDialects(DialectRegistry &registry) {
  registry.insert<ds::DSDialect, func::FuncDialect, quant::QuantDialect>();
}

namespace {
/// Reports a loader error (whose text starts with the path) at the file.
OwningOpRef<ModuleOp> reportLoadError(Location fileLoc, llvm::StringRef path,
                                      llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  llvm::StringRef text(message);
  text.consume_front((path + ": ").str());
  emitError(fileLoc) << text;
  return nullptr;
}
} // namespace

std::vector<std::string> supportedOperators() {
  std::vector<std::string> names;
  for (const auto &entry : converters())
    names.push_back(entry.getKey().str());
  std::sort(names.begin(), names.end());
  return names;
}

namespace {
OwningOpRef<ModuleOp> importLoaded(MLIRContext &context, llvm::StringRef path,
                                   const ImportOptions &options,
                                   const std::function<llvm::Expected<std::shared_ptr<onnx::ModelProto>>()> &load) {
  DialectRegistry registry;
  registerImportDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  Location fileLoc = FileLineColLoc::get(&context, path, 0, 0);
  try {
    llvm::Expected<std::shared_ptr<onnx::ModelProto>> model = load();
    if (!model)
      return reportLoadError(fileLoc, path, model.takeError());
    // Unsupported operators are reported before conversion, in the opset the
    // user's model has (and before the converter trips over a custom domain).
    if (failed(checkAllOpsSupported(**model, fileLoc)))
      return nullptr;
    ImportOptions named = options;
    if (llvm::Error error = nameInputShapes(**model, path, named))
      return reportLoadError(fileLoc, path, std::move(error));
    if (llvm::Error error = bindConstantInputs(**model, path, named))
      return reportLoadError(fileLoc, path, std::move(error));
    if (llvm::Error error = normalizeModel(**model, path, named))
      return reportLoadError(fileLoc, path, std::move(error));
    GraphImporter importer(context, std::move(*model), path, named);
    return importer.run();
  } catch (const std::exception &e) {
    // libonnx and protobuf report some problems by throwing; none may escape.
    emitError(fileLoc) << "ONNX library error: " << e.what();
    return nullptr;
  }
}
} // namespace

OwningOpRef<ModuleOp> importONNXFile(MLIRContext &context, llvm::StringRef path,
                                     const ImportOptions &options) {
  return importLoaded(context, path, options, [&] { return readModel(path, options); });
}

OwningOpRef<ModuleOp> importONNXModel(MLIRContext &context,
                                      std::shared_ptr<onnx::ModelProto> model,
                                      llvm::StringRef path, const ImportOptions &options) {
  return importLoaded(context, path, options,
                      [&]() -> llvm::Expected<std::shared_ptr<onnx::ModelProto>> {
                        // Models rewritten in memory get the checks readModel
                        // gives files before libonnx sees them.
                        if (llvm::Error error = checkBeforeInference(model->graph(), path))
                          return std::move(error);
                        return model;
                      });
}

std::string describeLocation(Location loc) {
  std::string out;
  llvm::raw_string_ostream os(out);
  auto node = dyn_cast<NameLoc>(loc);
  if (node) {
    if (auto opType = dyn_cast<NameLoc>(node.getChildLoc())) {
      if (auto file = dyn_cast<FileLineColLoc>(opType.getChildLoc())) {
        os << file.getFilename().getValue() << ": node '" << node.getName().getValue()
           << "' (" << opType.getName().getValue() << ")";
        return out;
      }
    }
    if (auto file = dyn_cast<FileLineColLoc>(node.getChildLoc())) {
      os << file.getFilename().getValue() << ": initializer '"
         << node.getName().getValue() << "'";
      return out;
    }
  }
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    os << file.getFilename().getValue();
    if (file.getLine() != 0)
      os << ":" << file.getLine() << ":" << file.getColumn();
    return out;
  }
  loc.print(os);
  return out;
}

} // namespace deepseek::onnx_import
