//===- Compiler.h - the one pipeline every tool calls -------------*- C++ -*-===//
//
// deepseek-compile, deepseek-run and the conformance runner share these steps:
// load a model into a ds-level module, lower it to the LLVM dialect (reading its
// interface first), then either translate and emit object code or JIT it.
//
//===----------------------------------------------------------------------===//
#ifndef DEEPSEEK_DRIVER_COMPILER_H
#define DEEPSEEK_DRIVER_COMPILER_H

#include "deepseek/Target/ModelInterface.h"
#include "deepseek/Target/TargetMachine.h"
#include "deepseek/Transforms/GraphPipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <memory>

struct dsrt_model_desc;

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace mlir::ds {

struct CompileOptions {
  TargetOptions target;
  /// C identifier prefix of the generated symbols; derived from the model name
  /// when empty.
  std::string symbol;
  /// Fusion, loop order and parallel loops (off at -O0 and for --reference).
  bool optimize = true;
  /// Graph optimization (ds-optimize-graph) before lowering; off at -O0 and
  /// for --reference, or when the caller already ran optimizeGraph.
  bool optimizeGraph = true;
  /// Passes of either pipeline turned off by name (--disable-pass).
  DisabledPasses disabled;
  /// --sanitize address: AddressSanitizer-instrumented model code, the arena
  /// poisoned outside the planned lifetimes, executables linked with ASan.
  bool sanitizeAddress = false;
  /// --emit exe: how the executable reads image files, and its thread count
  /// when run without --threads (0 = all cores).
  ImagePreprocess image;
  int threads = 0;
};

/// What lowerToLLVMDialect counted on the way.
struct CompileStats {
  /// Loop nests left after fusion (linalg ops on tensors before bufferization):
  /// each reads and writes memory once.
  int64_t kernels = 0;
  /// Intermediate memory in bytes: every buffer apart (naive), the planned
  /// arena, and the most bytes live at once (no plan can do better).
  int64_t naiveSize = 0, arenaSize = 0, lowerBound = 0;
};

/// Registers every dialect, interface and translation the pipeline needs.
void registerCompilerDialects(MLIRContext &context);

/// Runs the graph optimization pipeline on the ds-level |module| in place,
/// for |target| (which 8-bit products its kernels have).
LogicalResult optimizeGraph(ModuleOp module, const DisabledPasses &disabled,
                            const TargetOptions &target = {});

/// What deepseek's kernels use on a target CPU.
struct TargetKernels {
  /// x86-64 with AVX-512 VNNI: u8 x s8 products as vpdpbusd. Elsewhere an
  /// 8-bit product of u8 inputs would be a plain integer loop nest, slower
  /// than the float convolution, so those stay float.
  bool vnni = false;
  /// armv8: s8 x s8 products as register tiles of...
  bool signedProducts = false;
  /// ...sdot with dotprod; otherwise widening multiplies summed in pairs in
  /// 16 bits (smull, addp, sadalp), which need weights without -128.
  bool sdot = false;
  /// Vector register width the register tiles are sized for.
  int64_t vectorBits = 512;
};

/// The kernels for |target| (the defaults when it cannot be created).
TargetKernels targetKernels(const TargetOptions &target);

/// The number of each ds op (constants and names excluded) in |module|.
std::map<std::string, int64_t> countGraphOps(ModuleOp module);

/// Lowers the ds-level |module| in place to the LLVM dialect (optimizing the
/// graph first when options.optimizeGraph) and returns the interface of its
/// model function (read before lowering).
FailureOr<ModelInterface> lowerToLLVMDialect(ModuleOp module, const CompileOptions &options,
                                             CompileStats *stats = nullptr);

/// Compiles the ds-level |module| (in place) for --target nvptx: its kernels
/// as one PTX module for options.target.cpu (an sm_XX chip; default sm_90),
/// returned as text.
FailureOr<std::string> compileToPTX(ModuleOp module, const CompileOptions &options);

/// The same kernels as NVPTX LLVM IR (text), before LLVM's NVPTX back end.
FailureOr<std::string> compileToKernelLLVMIR(ModuleOp module, const CompileOptions &options);

/// Lowers the ds-level |module| in place for --target nvptx with host code:
/// kernels for |chip| embedded as PTX, the host side in the LLVM dialect for
/// options.target (the host CPU), launching them through libdsrt_cuda. The
/// interface says cuda (DSRT_MODEL_CUDA); the arena lives on the device.
FailureOr<ModelInterface> lowerToLLVMDialectForGPU(ModuleOp module, const CompileOptions &options,
                                                   StringRef chip);

/// LLVM IR of a lowered module, plus the model descriptor global.
std::unique_ptr<llvm::Module> translateToLLVMIR(ModuleOp lowered, llvm::LLVMContext &context,
                                                const ModelInterface &interface);

/// A model compiled in memory by MLIR's ExecutionEngine (ORC JIT) for this
/// machine; its descriptor is the same struct an object file exports.
class JITModel {
public:
  static FailureOr<std::unique_ptr<JITModel>> create(ModuleOp lowered,
                                                     const ModelInterface &interface,
                                                     int optLevel);
  ~JITModel();
  const dsrt_model_desc *descriptor() const { return desc; }

private:
  JITModel() = default;
  std::unique_ptr<ExecutionEngine> engine;
  const dsrt_model_desc *desc = nullptr;
};

} // namespace mlir::ds

#endif // DEEPSEEK_DRIVER_COMPILER_H
