//===- deepseek-cross-compile.cpp - one static executable for an armv8 board ===//
//
//   deepseek-cross-compile --input MODEL --output BIN --target armv8
//       [--cpu cortex-a72|cortex-a76|neoverse-n1|...] [--features +dotprod,...]
//       [--threads N] [--mean R,G,B] [--std R,G,B] [--layout NCHW|NHWC]
//       [--input-shape NAME=DIMS]... [-O0..-O3]
//
// A thin driver over the pipeline of `deepseek-compile --target armv8 --emit
// exe`: graph optimization, code generation for the board's CPU, and one
// statically linked aarch64 Linux ELF (generated code, weights, libdsrt built
// for aarch64, the executables' `main`). Nothing is written unless everything
// succeeded.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Driver/Compiler.h"
#include "deepseek/Driver/Emitter.h"
#include "deepseek/Driver/ToolSupport.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::ds;

namespace {
int fail(const std::string &message, int code) {
  llvm::errs() << "deepseek-cross-compile: error: " << message << "\n";
  return code;
}
} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-cross-compile: one static ARMv8 (aarch64 Linux) executable per model"};
  std::string model, output, target = "armv8", cpu = "cortex-a72", features;
  std::vector<std::string> inputShapes, constantInputs;
  int optLevel = 2, threads = 0;
  app.add_option("--input", model, "the model: ONNX, TorchScript (.pt) or ds IR (.mlir/.mlirbc, or "
                 "deepseek-optimize's optimized.pt), told by content")
      ->required();
  app.add_option("--output", output, "the executable to write")->required();
  app.add_option("--target", target, "armv8 (aarch64 Linux)")->capture_default_str();
  app.add_option("--cpu", cpu, "the board's CPU (cortex-a72: Raspberry Pi 4B)")
      ->capture_default_str();
  app.add_option("--features", features, "extra CPU features, e.g. +dotprod");
  app.add_option("--input-shape", inputShapes,
                 "NAME=DIMS or DIMS by position: fix an input's shape "
                 "(1x3x224x224)");
  app.add_option("--constant-input", constantInputs,
                 "NAME=FILE.pb: bind a run-time shape/parameter input as a constant");
  app.add_option("-O", optLevel, "optimization level, -O0 .. -O3")->capture_default_str();
  app.add_option("--threads", threads,
                 "threads the executable uses when run without --threads (0 = all cores)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024));
  std::string mean, stdDev, layout;
  app.add_option("--mean", mean, "per-channel mean subtracted from image inputs scaled to "
                                 "[0, 1] (default ImageNet's 0.485,0.456,0.406)");
  app.add_option("--std", stdDev, "per-channel divisor of image inputs (default "
                                  "0.229,0.224,0.225)");
  app.add_option("--layout", layout, "image inputs as NCHW (default) or NHWC");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  if (target != "armv8" && target != "aarch64" && target != "arm64")
    return fail("--target " + target + ": deepseek-cross-compile builds armv8 executables "
                "(use deepseek-compile for x86_64)", 2);
  if (optLevel < 0 || optLevel > 3)
    return fail("-O" + std::to_string(optLevel) + ": expected -O0 .. -O3", 2);
  if (!llvm::sys::fs::exists(model))
    return fail(model + ": no such file", 2);

  deepseek::onnx_import::ImportOptions importOptions;
  std::string error;
  if (!parseImportFlags(inputShapes, constantInputs, importOptions, error))
    return fail(error, 2);
  CompileOptions options;
  options.target.target = "armv8";
  options.target.cpu = cpu;
  options.target.features = features;
  options.target.optLevel = optLevel;
  options.optimize = optLevel > 0;
  options.optimizeGraph = optLevel > 0;
  options.threads = threads;
  if (!parseImageFlags(mean, stdDev, layout, options.image, error))
    return fail(error, 2);
  // Refuse a bad --cpu or --features before the (possibly long) lowering.
  if (!createTargetMachine(options.target, error))
    return fail(error, 2);

  MLIRContext context;
  registerCompilerDialects(context);
  ScopedDiagnosticHandler handler(&context, [](Diagnostic &diag) {
    printDiagnostic(diag);
    return success();
  });
  OwningOpRef<ModuleOp> module = loadModel(context, model, importOptions);
  if (!module)
    return 1;
  FailureOr<ModelInterface> interface = lowerToLLVMDialect(*module, options);
  if (failed(interface))
    return 1;
  std::string toolDir = toolDirectory(argv[0], (void *)&fail);
  if (!emitArtifacts(*module, *interface, options, EmitKind::Executable, output, toolDir, error))
    return fail(error, 1);
  return 0;
}
