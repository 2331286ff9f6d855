//===- deepseek-compile.cpp - model -> ds IR (more targets to come) ------===//
//
//   deepseek-compile MODEL -o OUT [--emit mlir|mlirbc] [--input-shape NAME=DIMS]...
//
// Today this driver imports a model and writes its graph-level ds IR. Code
// generation (--emit obj|exe|lib|asm|llvm|ptx) is not implemented yet and is
// refused with a clear message rather than faked.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Import/ONNX/ONNXImporter.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

using namespace mlir;

namespace {

/// Parses "NAME=1x3x224x224" (a dimension may be written `?` to stay dynamic).
bool parseInputShape(llvm::StringRef spec, deepseek::onnx_import::ImportOptions &options,
                     std::string &error) {
  auto [name, dims] = spec.rsplit('=');
  if (name.empty() || dims.empty() || !spec.contains('=')) {
    error = "--input-shape expects NAME=DIMS such as input=1x3x224x224, got '" +
            spec.str() + "'";
    return false;
  }
  llvm::SmallVector<llvm::StringRef> parts;
  dims.split(parts, 'x');
  llvm::SmallVector<int64_t> shape;
  for (llvm::StringRef part : parts) {
    int64_t dim;
    if (part == "?") {
      shape.push_back(ShapedType::kDynamic);
    } else if (part.getAsInteger(10, dim) || dim < 0) {
      error = "--input-shape '" + spec.str() + "': '" + part.str() +
              "' is not a dimension (a non-negative integer or ?)";
      return false;
    } else {
      shape.push_back(dim);
    }
  }
  options.inputShapes[name] = shape;
  return true;
}

void printDiagnostic(Diagnostic &diag) {
  const char *severity = diag.getSeverity() == DiagnosticSeverity::Error     ? "error"
                         : diag.getSeverity() == DiagnosticSeverity::Warning ? "warning"
                                                                             : "note";
  llvm::errs() << deepseek::onnx_import::describeLocation(diag.getLocation()) << ": "
               << severity << ": " << diag.str() << "\n";
  for (Diagnostic &note : diag.getNotes())
    printDiagnostic(note);
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-compile: compile a neural-network model ahead of time.\n"
               "Today it imports ONNX models and writes their ds IR (--emit mlir)."};
  std::string model, output = "-", emit = "obj", target = "x86_64";
  std::vector<std::string> inputShapes, constantInputs;
  bool elideWeights = false;
  app.add_option("MODEL", model, "the model: .onnx, or .onnxtxt (ONNX textual syntax)")
      ->required();
  app.add_option("-o,--output", output, "output file ('-' for standard output)");
  app.add_option("--emit", emit,
                 "what to write: mlir | mlirbc (obj, exe, lib, asm, llvm "
                 "and ptx are not implemented yet)")
      ->capture_default_str();
  app.add_option("--target", target,
                 "x86_64 | armv8 | nvptx (code generation is not "
                 "implemented yet)")
      ->capture_default_str();
  app.add_option("--input-shape", inputShapes,
                 "fix a graph input's shape, NAME=1x3x224x224 (repeatable)");
  app.add_option("--constant-input", constantInputs,
                 "replace a graph input by the tensor in an ONNX TensorProto file, "
                 "NAME=FILE.pb (repeatable)");
  app.add_flag("--elide-weights", elideWeights,
               "print weight blobs as placeholders (readable, but not reloadable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }

  if (emit != "mlir" && emit != "mlirbc") {
    llvm::errs() << "deepseek-compile: error: --emit " << emit
                 << " is not implemented yet; this version writes ds IR with --emit mlir "
                    "or --emit mlirbc\n";
    return 2;
  }

  deepseek::onnx_import::ImportOptions options;
  for (const std::string &spec : inputShapes) {
    std::string error;
    if (!parseInputShape(spec, options, error)) {
      llvm::errs() << "deepseek-compile: error: " << error << "\n";
      return 2;
    }
  }

  for (const std::string &spec : constantInputs) {
    auto [name, file] = llvm::StringRef(spec).split('=');
    if (name.empty() || file.empty()) {
      llvm::errs() << "deepseek-compile: error: --constant-input expects NAME=FILE.pb, "
                      "got '"
                   << spec << "'\n";
      return 2;
    }
    options.constantInputs[name] = file.str();
  }

  MLIRContext context;
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });
  llvm::StringRef ext = llvm::sys::path::extension(model);
  if (ext != ".onnx" && ext != ".onnxtxt") {
    llvm::errs() << model << ": error: unsupported model format '" << ext
                 << "'; expected .onnx or .onnxtxt (TorchScript .pt is not supported "
                    "yet)\n";
    return 1;
  }
  OwningOpRef<ModuleOp> module =
      deepseek::onnx_import::importONNXFile(context, model, options);
  if (!module)
    return 1;

  // Written to a temporary file and renamed, so a failure never leaves a partial
  // output or destroys an existing file.
  llvm::Error written =
      llvm::writeToOutput(output, [&](llvm::raw_ostream &os) -> llvm::Error {
        if (emit == "mlirbc") {
          if (failed(writeBytecodeToFile(*module, os)))
            return llvm::createStringError("failed to write bytecode");
          return llvm::Error::success();
        }
        OpPrintingFlags flags;
        if (elideWeights)
          flags.elideLargeResourceString(64);
        module->print(os, flags);
        return llvm::Error::success();
      });
  if (written) {
    llvm::errs() << output << ": error: " << llvm::toString(std::move(written)) << "\n";
    return 1;
  }
  return 0;
}
