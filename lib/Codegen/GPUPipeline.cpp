//===- GPUPipeline.cpp - ds (tensors) to PTX for NVIDIA GPUs --------------===//
//
// Stages (see GPUPipeline.h):
//  1. ds -> linalg on tensors, elementwise fusion (the same kernels as the
//     CPU pipeline before its CPU-specific tiling), every math function as
//     arithmetic (ds-gpu-approximate-math);
//  2. bufferization with results as out-params; matmul-like products as
//     shared-memory tiled launches with their fills and elementwise
//     epilogues fused (ds-gpu-tile-contractions; products of FP16 weights
//     on tensor cores from sm_80 on); reductions over the innermost dim
//     as a block per row (ds-gpu-reduce-rows); the intermediates planned
//     into one arena (a device buffer at run time);
//  3. each fused loop nest -> scf.parallel (parallel dims first:
//     ds-gpu-parallel-dims-first) -> one gpu.launch
//     (ds-gpu-map-parallel-loops), outlined into one kernel module;
//  4. the kernel module -> NVVM (libdevice calls replaced by intrinsics:
//     no CUDA toolkit needed) -> PTX through LLVM's NVPTX back end
//     (gpu-module-to-binary{format=isa}).
//
//===----------------------------------------------------------------------===//

#include "deepseek/Codegen/GPUPipeline.h"
#include "deepseek/Passes.h"
#include "PipelineStages.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace {

/// {0}: threads per block, {1}: kernel name prefix. The constants and index
/// arithmetic are sunk into each launch last (canonicalize hoists constants
/// out of it again, and gpu-kernel-outlining does not sink): otherwise they
/// become kernel parameters, and each tile size a 64-bit division by a
/// value only known at run time.
constexpr const char *kKernels =
    "func.func(ds-strided-copy-to-linalg,ds-gpu-parallel-dims-first,"
    "convert-linalg-to-parallel-loops,canonicalize,"
    "ds-gpu-map-parallel-loops{{block-size={0}},convert-parallel-loops-to-gpu,"
    "canonicalize,gpu-launch-sink-index-computations),"
    "gpu-kernel-outlining,"
    "ds-gpu-merge-kernel-modules{{symbol={1}}";

/// {0}: chip, {1}: PTX ISA feature, {2}: -O level, {3}: isa (PTX) or llvm.
constexpr const char *kDevice =
    "nvvm-attach-target{{chip={0} features={1} O={2}},"
    "gpu.module(ds-gpu-align-workgroup-buffers,convert-scf-to-cf,expand-strided-metadata,lower-affine,convert-nvgpu-to-nvvm,"
    "convert-gpu-to-nvvm{{use-bare-ptr-memref-call-conv=true},convert-nvvm-to-llvm,"
    "ds-gpu-math-to-intrinsics,"
    "canonicalize,cse,"
    "reconcile-unrealized-casts),"
    "gpu-module-to-binary{{format={3}}";

/// The compute capability of sm_<NN>, or 0. sm_90a is sm_90 with its
/// architecture-specific instructions (wgmma): PTX for it runs on sm_90
/// devices only.
unsigned computeCapability(llvm::StringRef chip) {
  unsigned value = 0;
  if (!chip.consume_front("sm_") || (chip.consume_back("a") && chip != "90") ||
      chip.getAsInteger(10, value))
    return 0;
  return value;
}

/// Whether |chip| names Hopper's architecture-specific features.
bool hasWarpgroupMMA(llvm::StringRef chip) { return chip == "sm_90a"; }

} // namespace

static const unsigned kSupportedCapabilities[] = {70, 72, 75, 80, 86, 87, 89, 90};

bool mlir::ds::isSupportedGPUChip(llvm::StringRef chip) {
  return llvm::is_contained(kSupportedCapabilities, computeCapability(chip));
}

std::string mlir::ds::supportedGPUChips() {
  std::string text;
  for (unsigned capability : kSupportedCapabilities)
    text += (text.empty() ? "sm_" : ", sm_") + std::to_string(capability);
  return text + ", sm_90a";
}

LogicalResult mlir::ds::buildGPUCodegenPipeline(OpPassManager &pm,
                                                const GPUPipelineOptions &options) {
  OpPassManager &fn = pm.nest<func::FuncOp>();
  addDSToLinalgPasses(fn, /*fuse=*/true, options.disabled);
  // Math functions as arithmetic: no libm or libdevice to link.
  fn.addPass(createDSGPUApproximateMath());
  // FP16 weights widened as the tiled products stage them, not by a
  // kernel of their own on every run.
  DSFuseElementwiseOptions widen;
  widen.widenIntoContractions = true;
  fn.addPass(createDSFuseElementwise(widen));
  // Each product accumulates in place from a fill of its own (no copies).
  fn.addPass(createDSUnshareFills());
  // PTX 8.0 covers every supported chip up to sm_90 (CUDA 12.0 drivers on).
  std::string device = llvm::formatv(kDevice, options.chip, "+ptx80", options.optLevel,
                                     options.llvmKernels ? "llvm" : "isa");
  std::string kernels = llvm::formatv(kKernels, options.blockSize, options.symbol);
  // mma.sync m16n8k16 (f16 operands, f32 accumulators) is sm_80's;
  // warpgroup MMAs (wgmma) are sm_90a's. Row reductions (LayerNorm,
  // softmax) as a block per row.
  std::string tile = llvm::formatv(
      "func.func(ds-gpu-tile-contractions{{tensor-cores={0} wgmma={1}},ds-gpu-reduce-rows)",
      computeCapability(options.chip) >= 80, hasWarpgroupMMA(options.chip));
  // No deallocation: every intermediate is in the planned arena.
  // Products tiled (and their fills and epilogues fused) while each
  // intermediate is its own alloc: the plan then sees every buffer the
  // fused kernel touches live at its launch.
  if (failed(parsePassPipeline(bufferizePipeline(/*poisonLifetimes=*/false, /*deallocate=*/false,
                                                 tile),
                               pm)) ||
      failed(parsePassPipeline(kernels, pm)) ||
      failed(parsePassPipeline(device, pm)))
    return failure();
  return success();
}

LogicalResult mlir::ds::buildGPUHostPipeline(OpPassManager &pm, const GPUPipelineOptions &options,
                                             int64_t numInputs) {
  // The model instance's device buffers and the run's stream, then the CPU
  // pipeline's lowering with the launches as mgpu* runtime calls.
  std::string host = llvm::formatv("ds-gpu-host-buffers{{num-inputs={0}},"
                                   "func.func(gpu-async-region)",
                                   numInputs)
                         .str();
  if (failed(parsePassPipeline(host, pm)) ||
      failed(parsePassPipeline(toLLVMPipeline(/*gpuLaunches=*/true), pm)))
    return failure();
  addEntryPoint(pm, options.symbol);
  return success();
}

/// The one object of the one gpu.binary in |module|, in |format| (|what|
/// names it for the error).
static FailureOr<gpu::ObjectAttr> kernelObject(ModuleOp module, gpu::CompilationTarget format,
                                               StringRef what) {
  SmallVector<gpu::BinaryOp> binaries(module.getOps<gpu::BinaryOp>());
  if (binaries.size() != 1)
    return emitError(module.getLoc())
           << "expected one gpu.binary after GPU code generation, found " << binaries.size();
  ArrayAttr objects = binaries.front().getObjects();
  auto object = objects.size() == 1 ? dyn_cast<gpu::ObjectAttr>(objects[0]) : nullptr;
  if (!object || object.getFormat() != format)
    return binaries.front().emitOpError("holds no ") << what;
  return object;
}

/// A model without kernels: its outputs are constants or its inputs.
static bool launchesNoKernel(ModuleOp module) {
  return module.getOps<gpu::BinaryOp>().empty() &&
         !module.walk([](gpu::LaunchFuncOp) { return WalkResult::interrupt(); }).wasInterrupted();
}

FailureOr<std::string> mlir::ds::extractPTX(ModuleOp module, llvm::StringRef chip) {
  if (launchesNoKernel(module)) // an empty PTX module
    return llvm::formatv(".version 8.0\n.target {0}\n.address_size 64\n", chip).str();
  FailureOr<gpu::ObjectAttr> object =
      kernelObject(module, gpu::CompilationTarget::Assembly, "PTX assembly");
  if (failed(object))
    return failure();
  return object->getObject().getValue().str();
}

FailureOr<std::string> mlir::ds::extractKernelLLVMIR(ModuleOp module) {
  if (launchesNoKernel(module))
    return std::string("; no kernels\n");
  FailureOr<gpu::ObjectAttr> object =
      kernelObject(module, gpu::CompilationTarget::Offload, "LLVM bitcode");
  if (failed(object))
    return failure();
  llvm::LLVMContext context;
  auto buffer = llvm::MemoryBuffer::getMemBuffer(object->getObject().getValue(), "kernels",
                                                 /*RequiresNullTerminator=*/false);
  llvm::Expected<std::unique_ptr<llvm::Module>> kernels =
      llvm::parseBitcodeFile(buffer->getMemBufferRef(), context);
  if (!kernels)
    return emitError(module.getLoc(), "the kernels' LLVM bitcode is unreadable: ")
           << llvm::toString(kernels.takeError());
  std::string text;
  llvm::raw_string_ostream os(text);
  (*kernels)->print(os, nullptr);
  return text;
}

void mlir::ds::registerGPUCodegenInterfaces(DialectRegistry &registry) {
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  // #gpu.select_object: embeds the PTX and loads it in a global constructor.
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
  registerNVVMDialectTranslation(registry);
}

namespace {
struct GPUCodegenCLOptions : public PassPipelineOptions<GPUCodegenCLOptions> {
  Option<std::string> symbol{*this, "symbol", llvm::cl::desc("kernel name prefix"),
                             llvm::cl::init("model")};
  Option<std::string> chip{*this, "chip", llvm::cl::desc("sm_70 .. sm_90"),
                           llvm::cl::init("sm_90")};
};
} // namespace

void mlir::ds::registerGPUCodegenPipeline() {
  PassPipelineRegistration<GPUCodegenCLOptions>(
      "ds-gpu-codegen", "Lower a ds model function to PTX kernels in a gpu.binary",
      [](OpPassManager &pm, const GPUCodegenCLOptions &cl) {
        GPUPipelineOptions options;
        options.symbol = cl.symbol;
        options.chip = cl.chip;
        (void)buildGPUCodegenPipeline(pm, options);
      });
}
