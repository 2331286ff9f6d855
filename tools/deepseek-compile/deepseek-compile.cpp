//===- deepseek-compile.cpp - compile a model ahead of time ----------------===//
//
//   deepseek-compile MODEL -o OUT [--emit obj|lib|exe|asm|llvm|mlir|mlirbc]
//       [--target x86_64|armv8] [--cpu NAME] [--name SYMBOL] [-O0..-O3]
//       [--input-shape NAME=DIMS]... [--constant-input NAME=FILE.pb]...
//       [--stats] [--disable-pass NAME]...
//
// mlir/mlirbc write the graph-level ds IR after graph optimization (at -O0:
// as imported); every other kind runs the code generation pipeline and writes
// native code (see Driver/Emitter.h for the files each kind produces). Nothing
// is written unless everything succeeded.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Driver/Compiler.h"
#include "deepseek/Codegen/GPUPipeline.h"
#include "deepseek/Driver/Emitter.h"
#include "deepseek/Driver/ToolSupport.h"

#include "mlir/Bytecode/BytecodeWriter.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/Error.h"
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
  llvm::errs() << "deepseek-compile: error: " << message << "\n";
  return code;
}

/// Writes the graph-level ds IR (text or bytecode) atomically.
int writeIR(ModuleOp module, const std::string &output, bool bytecode, bool elideWeights) {
  llvm::Error written = llvm::writeToOutput(output, [&](llvm::raw_ostream &os) -> llvm::Error {
    if (bytecode) {
      if (failed(writeBytecodeToFile(module, os)))
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

/// --stats: op counts per ds op, most frequent first, on one line.
void printOpCounts(llvm::raw_ostream &os, StringRef when,
                   const std::map<std::string, int64_t> &counts) {
  int64_t total = 0;
  std::vector<std::pair<int64_t, std::string>> sorted;
  for (const auto &[name, count] : counts) {
    total += count;
    sorted.push_back({-count, name});
  }
  llvm::sort(sorted);
  os << "ops " << when << ": " << total;
  const char *sep = " (";
  for (const auto &[negCount, name] : sorted) {
    os << sep << name << " " << -negCount;
    sep = ", ";
  }
  os << (sorted.empty() ? "" : ")") << "\n";
}

/// The names --disable-pass accepts.
bool isKnownPass(StringRef name) {
  return name == "ds-fuse-elementwise" || llvm::is_contained(graphOptimizationPassNames(), name);
}

} // namespace

int main(int argc, char **argv) {
  CLI::App app{"deepseek-compile: compile a neural-network model ahead of time"};
  std::string model, output, emit = "obj", target = "x86_64", cpu, symbol;
  std::vector<std::string> inputShapes, constantInputs;
  std::vector<std::string> disabledPasses;
  bool elideWeights = false, stats = false;
  int optLevel = 2;
  app.add_option("MODEL", model, "the model: ONNX (.onnx, .onnxtxt), TorchScript (.pt) or ds IR (.mlir, "
                                 ".mlirbc), told by content")
      ->required();
  app.add_option("-o,--output", output,
                 "output path ('-' = stdout for mlir); obj/lib also write OUT.h");
  app.add_option("--emit", emit,
                 "obj (OUT.o + OUT.h) | lib (OUT.a + OUT.h) | exe | asm | llvm | "
                 "mlir | mlirbc (graph-level ds IR) | ptx (--target nvptx: the kernels) | "
                 "gpu-llvm (--target nvptx: the kernels as NVPTX LLVM IR)")
      ->capture_default_str();
  app.add_option("--target", target, "x86_64 | armv8 | nvptx")
      ->capture_default_str();
  app.add_option("--cpu", cpu,
                 "target CPU (x86_64 default: native; armv8: cortex-a72) or GPU "
                 "(nvptx: sm_70 .. sm_90, or sm_90a for Hopper's warpgroup MMAs; default sm_90)");
  app.add_option("--name", symbol,
                 "C symbol prefix: <name>_model, <name>_run (default: the model's name)");
  app.add_option("-O", optLevel, "optimization level, -O0 .. -O3")->capture_default_str();
  std::string mean, stdDev, layout;
  app.add_option("--mean", mean, "--emit exe: per-channel mean subtracted from image inputs "
                                 "scaled to [0, 1] (default ImageNet's 0.485,0.456,0.406)");
  app.add_option("--std", stdDev, "--emit exe: per-channel divisor of image inputs (default "
                                  "0.229,0.224,0.225)");
  app.add_option("--layout", layout, "--emit exe: image inputs as NCHW (default) or NHWC");
  app.add_option("--input-shape", inputShapes,
                 "fix a graph input's shape, NAME=1x3x224x224 or 1x3x224x224 by "
                 "position (repeatable)");
  app.add_option("--constant-input", constantInputs,
                 "replace a graph input by the tensor in an ONNX TensorProto file, "
                 "NAME=FILE.pb (repeatable)");
  app.add_flag("--stats", stats,
               "print the op counts before and after graph optimization and the number "
               "of kernels emitted (to stderr)");
  app.add_option("--disable-pass", disabledPasses,
                 "turn off one optimization pass by name (repeatable): canonicalize, cse, "
                 "ds-fold-batch-norm, ds-recognize-layer-norm, ds-recognize-activations, "
                 "ds-recognize-attention, ds-fuse-epilogues, ds-fuse-quantized-convs, ds-fuse-elementwise");
  std::string sanitize;
  app.add_option("--sanitize", sanitize,
                 "address: AddressSanitizer-instrumented model code with the arena poisoned "
                 "outside the planned buffer lifetimes (exe links the ASan runtime; link obj/lib "
                 "with -fsanitize=address)");
  app.add_flag("--elide-weights", elideWeights,
               "--emit mlir: print weight blobs as placeholders (not reloadable)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    return app.exit(e);
  }
  if (optLevel < 0 || optLevel > 3)
    return fail("-O expects 0, 1, 2 or 3", 2);
  DisabledPasses disabled;
  for (const std::string &name : disabledPasses) {
    if (!isKnownPass(name))
      return fail("--disable-pass " + name + " is not one of the optimization passes (see --help)",
                  2);
    disabled.insert(name);
  }
  if (!sanitize.empty() && sanitize != "address")
    return fail("--sanitize " + sanitize + " is not supported (only 'address')", 2);
  bool irOutput = emit == "mlir" || emit == "mlirbc";
  bool gpu = target == "nvptx";
  std::optional<EmitKind> kind = parseEmitKind(emit);
  bool kernelsOnly = emit == "ptx" || emit == "gpu-llvm";
  if (!irOutput && !kind && !kernelsOnly)
    return fail("--emit " + emit +
                    " is not one of obj, lib, exe, asm, llvm, ptx, gpu-llvm, mlir, mlirbc",
                2);
  if (kernelsOnly && !gpu)
    return fail("--emit " + emit + " needs --target nvptx", 2);
  if (gpu && !cpu.empty() && !isSupportedGPUChip(cpu))
    return fail("--cpu " + cpu + " is not a supported GPU architecture (" +
                    supportedGPUChips() + ")",
                2);
  if (!gpu && tripleForTarget(target).empty())
    return fail("unknown --target '" + target + "' (expected x86_64, armv8 or nvptx)", 2);
  if (output.empty())
    output = irOutput ? "-"
                      : llvm::sys::path::stem(model).str() +
                            (emit == "ptx" ? ".ptx" : emit == "gpu-llvm" ? ".ll" : "");
  if (!irOutput && output == "-")
    return fail("--emit " + emit + " needs an output path (-o)", 2);

  deepseek::onnx_import::ImportOptions importOptions;
  std::string error;
  if (!parseImportFlags(inputShapes, constantInputs, importOptions, error))
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
  if (stats)
    printOpCounts(llvm::errs(), "before graph optimization", countGraphOps(*module));
  TargetOptions graphTarget;
  graphTarget.target = target;
  graphTarget.cpu = cpu;
  if (optLevel > 0 && failed(optimizeGraph(*module, disabled, graphTarget)))
    return 1;
  if (stats)
    printOpCounts(llvm::errs(), "after graph optimization", countGraphOps(*module));
  if (irOutput)
    return writeIR(*module, output, emit == "mlirbc", elideWeights);

  CompileOptions options;
  options.target.target = target;
  options.target.cpu = cpu;
  options.target.optLevel = optLevel;
  options.symbol = symbol.empty() ? "" : sanitizeSymbol(symbol);
  options.optimize = optLevel > 0;
  options.optimizeGraph = false; // done above
  options.disabled = disabled;
  options.sanitizeAddress = sanitize == "address";
  if (gpu && options.sanitizeAddress)
    return fail("--sanitize is for CPU targets", 2);
  if (kernelsOnly) {
    FailureOr<std::string> kernels = emit == "ptx" ? compileToPTX(*module, options)
                                                   : compileToKernelLLVMIR(*module, options);
    if (failed(kernels))
      return 1;
    if (llvm::Error e = llvm::writeToOutput(output, [&](llvm::raw_ostream &os) {
          os << *kernels;
          return llvm::Error::success();
        }))
      return fail(output + ": " + llvm::toString(std::move(e)), 1);
    return 0;
  }
  if (!parseImageFlags(mean, stdDev, layout, options.image, error))
    return fail(error, 2);
  // nvptx: the host code is for this machine's CPU, the kernels for --cpu.
  if (gpu) {
    options.target.target = "x86_64";
    options.target.cpu = "";
  }
  // Refuse a bad --cpu before the (possibly long) lowering.
  if (!createTargetMachine(options.target, error))
    return fail(error, 2);
  CompileStats compileStats;
  FailureOr<ModelInterface> interface =
      gpu ? lowerToLLVMDialectForGPU(*module, options, cpu)
          : lowerToLLVMDialect(*module, options, &compileStats);
  if (failed(interface))
    return 1;
  if (stats) {
    llvm::errs() << "kernels emitted: " << compileStats.kernels << "\n";
    llvm::errs() << "intermediates naive: " << compileStats.naiveSize << " bytes\n";
    llvm::errs() << "intermediates arena: " << compileStats.arenaSize << " bytes\n";
    llvm::errs() << "intermediates lower bound: " << compileStats.lowerBound << " bytes\n";
  }
  std::string toolDir = toolDirectory(argv[0], (void *)&fail);
  if (!emitArtifacts(*module, *interface, options, *kind, output, toolDir, error))
    return fail(error, 1);
  return 0;
}
