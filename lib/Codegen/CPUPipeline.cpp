//===- CPUPipeline.cpp - ds (tensors) to the LLVM dialect for CPUs --------===//
//
// The stages, in order (each an upstream or deepseek pass, so each can be
// tested alone with deepseek-opt):
//   1. convert-ds-to-linalg, canonicalize, cse; at -O1+ elementwise fusion,
//      erf/tanh as polynomials, register tiling of matmul-like kernels, and a loop order for the other
//      contractions that LLVM's loop vectorizer can use
//   2. one-shot bufferization across the function boundary; results become
//      caller-provided out-params (the runtime owns input and output memory)
//   3. deallocation of intermediates (until the arena planner replaces it)
//   4. accumulators hoisted into registers and vectors lowered (-O1+); linalg
//      to parallel loops, the large ones outlined onto the runtime's
//      thread pool (-O1+; serial loops otherwise), then every dialect to LLVM;
//      memrefs cross the model function as bare pointers (static shapes)
//   5. ds-cpu-entry-point: the packed `<symbol>_run(buffers, arena)` wrapper
//
//===----------------------------------------------------------------------===//

#include "deepseek/Codegen/CPUPipeline.h"
#include "PipelineStages.h"
#include "deepseek/Passes.h"

#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace {

constexpr const char *kBufferize =
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs=true modify-public-functions=true},"
    "ds-cpu-flatten-empty-buffers,"
    "BEFORE_PLAN"
    "ds-cpu-plan-memory{poison-lifetimes=POISON},"
    "canonicalize";

constexpr const char *kParallelLoops =
    "func.func(fold-memref-alias-ops,canonicalize,cse,ds-cpu-lower-vectors{sdot=SDOT},"
    "ds-cpu-prefetch-weight-panels,"
    "canonicalize,scf-forall-to-parallel,"
    "ds-strided-copy-to-linalg,convert-linalg-to-parallel-loops),"
    "ds-cpu-parallelize";

constexpr const char *kSerialLoops =
    "func.func(ds-strided-copy-to-linalg,convert-linalg-to-loops)";

/// The lowering to the LLVM dialect, before and after the point where
/// GPU host code lowers its launches (gpu-to-llvm needs the memrefs).
constexpr const char *kToLLVMHead =
    "lower-affine,"
    "convert-scf-to-cf,"
    "expand-strided-metadata,"
    "lower-affine,"
    "convert-vector-to-scf{full-unroll=true},"
    "lower-affine,"
    "convert-vector-to-llvm,";
constexpr const char *kGPUToLLVM =
    "gpu-to-llvm{use-bare-pointers-for-host=true use-bare-pointers-for-kernels=true},";
constexpr const char *kToLLVMTail =
    "finalize-memref-to-llvm,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "convert-arith-to-llvm,"
    "convert-ub-to-llvm,"
    "convert-cf-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv=true},"
    "convert-index-to-llvm,"
    "reconcile-unrealized-casts";

/// |pipeline| with its boolean option placeholder |name| set to |value|.
std::string withOption(const char *pipeline, llvm::StringRef name, bool value) {
  std::string text = pipeline;
  text.replace(text.find(name.str()), name.size(), value ? "true" : "false");
  return text;
}

/// Stage 4 with armv8's sdot lowering on or off.
std::string parallelLoopsPipeline(bool sdot) { return withOption(kParallelLoops, "SDOT", sdot); }

} // namespace

std::string mlir::ds::bufferizePipeline(bool poisonLifetimes, bool deallocate,
                                        llvm::StringRef beforePlan) {
  std::string pipeline = withOption(kBufferize, "POISON", poisonLifetimes);
  size_t hole = pipeline.find("BEFORE_PLAN");
  pipeline.replace(hole, llvm::StringRef("BEFORE_PLAN").size(),
                   beforePlan.empty() ? "" : beforePlan.str() + ",");
  return pipeline +
         (deallocate ? ",buffer-deallocation-pipeline" : "");
}

std::string mlir::ds::toLLVMPipeline(bool gpuLaunches) {
  return std::string(kToLLVMHead) + (gpuLaunches ? kGPUToLLVM : "") + kToLLVMTail;
}

void mlir::ds::addDSToLinalgPasses(OpPassManager &fn, bool fuse,
                                   const DisabledPasses &disabled) {
  fn.addPass(createConvertDSToLinalg());
  fn.addPass(createCanonicalizerPass());
  fn.addPass(createCSEPass());
  if (!fuse)
    return;
  addPassUnlessDisabled(fn, createDSFuseElementwise(), disabled);
  fn.addPass(createCanonicalizerPass());
  fn.addPass(createCSEPass());
}

void mlir::ds::addEntryPoint(OpPassManager &pm, StringRef symbol) {
  DSCPUEntryPointOptions entry;
  entry.symbol = symbol.str();
  pm.addPass(createDSCPUEntryPoint(entry));
}

void mlir::ds::registerCPUCodegenInterfaces(DialectRegistry &registry) {
  vector::registerSubsetOpInterfaceExternalModels(registry);
}

void mlir::ds::buildCPUTensorPipeline(OpPassManager &pm, const CPUPipelineOptions &options) {
  OpPassManager &fn = pm.nest<func::FuncOp>();
  addDSToLinalgPasses(fn, options.optimize, options.disabled);
  if (options.optimize) {
    fn.addPass(createDSCPUApproximateMath());
    DSCPUTileContractionsOptions tileOptions;
    tileOptions.vnni = options.vnni;
    tileOptions.signedProducts = options.signedProducts;
    tileOptions.vectorBits = options.vectorBits;
    fn.addPass(createDSCPUTileContractions(tileOptions));
    fn.addPass(createCanonicalizerPass());
    fn.addPass(createDSCPULoopOrder());
  }
}

LogicalResult mlir::ds::buildCPUBufferPipeline(OpPassManager &pm,
                                               const CPUPipelineOptions &options) {
  if (failed(parsePassPipeline(bufferizePipeline(options.sanitizeAddress, true), pm)) ||
      failed(parsePassPipeline(options.optimize ? parallelLoopsPipeline(options.sdot)
                                                : std::string(kSerialLoops),
                               pm)) ||
      failed(parsePassPipeline(toLLVMPipeline(false), pm)))
    return failure();
  pm.addPass(createDSCPUParallelTrampolines());
  addEntryPoint(pm, options.symbol);
  return success();
}

LogicalResult mlir::ds::buildCPUCodegenPipeline(OpPassManager &pm,
                                                const CPUPipelineOptions &options) {
  buildCPUTensorPipeline(pm, options);
  return buildCPUBufferPipeline(pm, options);
}

namespace {
struct CPUCodegenCLOptions : public PassPipelineOptions<CPUCodegenCLOptions> {
  Option<std::string> symbol{*this, "symbol", llvm::cl::desc("entry point prefix"),
                             llvm::cl::init("model")};
  Option<bool> optimize{*this, "optimize",
                        llvm::cl::desc("fusion, loop order and parallel loops"),
                        llvm::cl::init(true)};
};
} // namespace

void mlir::ds::registerCPUCodegenPipeline() {
  PassPipelineRegistration<CPUCodegenCLOptions>(
      "ds-cpu-codegen", "Lower a ds model function to the LLVM dialect for CPUs",
      [](OpPassManager &pm, const CPUCodegenCLOptions &cl) {
        CPUPipelineOptions options;
        options.symbol = cl.symbol;
        options.optimize = cl.optimize;
        (void)buildCPUCodegenPipeline(pm, options);
      });
  // Stages 2-3 alone (bufferization, arena, deallocation), for tests that
  // look at buffers and their reuse.
  PassPipelineRegistration<>(
      "ds-cpu-bufferize",
      "Bufferize a linalg-on-tensors model function and place its intermediates in the arena",
      [](OpPassManager &pm) { (void)parsePassPipeline(bufferizePipeline(false, true), pm); });
}
