//===- Compiler.cpp - lowering, translation and JIT shared by the tools ----===//

#include "deepseek/Driver/Compiler.h"

#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/Target/TargetMachine.h"
#include "deepseek/Codegen/CPUPipeline.h"
#include "deepseek/Codegen/GPUPipeline.h"
#include "deepseek/Dialect/DS/IR/DSOps.h"
#include "deepseek/Target/ConstantData.h"

#include "dsrt/dsrt.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "deepseek/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/TargetSelect.h"

using namespace mlir;
using namespace mlir::ds;

void mlir::ds::registerCompilerDialects(MLIRContext &context) {
  DialectRegistry registry;
  registry.insert<DSDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerCPUCodegenInterfaces(registry);
  registerGPUCodegenInterfaces(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  context.appendDialectRegistry(registry);
  // Sub-pipelines are written in MLIR's textual pipeline syntax, which looks
  // passes up by name.
  static bool passesRegistered = [] {
    registerAllPasses();
    registerDeepSeekPasses();
    registerGraphOptimizationPipeline();
    return true;
  }();
  (void)passesRegistered;
  // Diagnostics name the op; printing the whole module after them is noise.
  context.printOpOnDiagnostic(false);
}

TargetKernels mlir::ds::targetKernels(const TargetOptions &target) {
  TargetKernels kernels;
  std::string error;
  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine(target, error);
  if (!tm)
    return kernels;
  const llvm::MCSubtargetInfo &cpu = *tm->getMCSubtargetInfo();
  if (tm->getTargetTriple().isX86()) {
    kernels.vnni = cpu.checkFeatures("+avx512vnni");
    // Without AVX-512 (AVX2: 16 registers of 256 bits; SSE: 128): smaller tiles.
    if (!cpu.checkFeatures("+avx512f"))
      kernels.vectorBits = cpu.checkFeatures("+avx") ? 256 : 128;
  } else if (tm->getTargetTriple().isAArch64()) {
    // NEON registers are 128 bits (SVE is not targeted).
    kernels.vectorBits = 128;
    kernels.signedProducts = true;
    kernels.sdot = cpu.checkFeatures("+dotprod");
  }
  return kernels;
}

LogicalResult mlir::ds::optimizeGraph(ModuleOp module, const DisabledPasses &disabled,
                                      const TargetOptions &target) {
  PassManager pm(module->getContext());
  TargetKernels kernels = targetKernels(target);
  buildGraphOptimizationPipeline(pm, disabled, kernels.vnni, kernels.signedProducts,
                                 kernels.signedProducts && !kernels.sdot);
  return pm.run(module);
}

/// The C symbol prefix for |module|: options.symbol, else the model's name.
static std::string modelSymbol(ModuleOp module, const CompileOptions &options) {
  if (!options.symbol.empty())
    return options.symbol;
  auto name = module->getAttrOfType<StringAttr>("ds.model_name");
  return sanitizeSymbol(name && !name.getValue().empty() ? name.getValue() : "model");
}

/// Removes the `ds.name` argument and result attributes of |module|'s
/// `@main`: the names live on in the descriptor, and LLVM has no use for
/// them as argument attributes (and warns about unknown ones).
static void dropNameAttributes(ModuleOp module) {
  auto fn = module.lookupSymbol<func::FuncOp>("main");
  auto name = StringAttr::get(module->getContext(), "ds.name");
  for (unsigned i = 0; i < fn.getNumArguments(); ++i)
    fn.removeArgAttr(i, name);
  for (unsigned i = 0; i < fn.getNumResults(); ++i)
    fn.removeResultAttr(i, name);
}

/// The GPU pipeline's options for |module|, |chip| checked; the model's
/// interface (which refuses dynamic shapes with the CPU path's message) and
/// the graph optimized.
static FailureOr<std::pair<GPUPipelineOptions, ModelInterface>>
prepareForGPU(ModuleOp module, const CompileOptions &options, StringRef chip) {
  GPUPipelineOptions gpu;
  gpu.symbol = modelSymbol(module, options);
  gpu.chip = chip.empty() ? "sm_90" : chip.str();
  gpu.disabled = options.disabled;
  gpu.optLevel = std::max(options.target.optLevel, 1);
  if (!isSupportedGPUChip(gpu.chip))
    return emitError(module.getLoc()) << "unsupported GPU architecture '" << gpu.chip
                                      << "' (expected one of " << supportedGPUChips() << ")";
  FailureOr<ModelInterface> interface = describeModel(module, gpu.symbol);
  if (failed(interface))
    return failure();
  TargetOptions graphTarget;
  graphTarget.target = "nvptx";
  if (options.optimizeGraph && failed(optimizeGraph(module, options.disabled, graphTarget)))
    return failure();
  return std::make_pair(gpu, *interface);
}

FailureOr<std::string> mlir::ds::compileToPTX(ModuleOp module, const CompileOptions &options) {
  auto prepared = prepareForGPU(module, options, options.target.cpu);
  if (failed(prepared))
    return failure();
  PassManager pm(module->getContext());
  if (failed(buildGPUCodegenPipeline(pm, prepared->first)) || failed(pm.run(module)))
    return failure();
  return extractPTX(module, prepared->first.chip);
}

FailureOr<std::string> mlir::ds::compileToKernelLLVMIR(ModuleOp module,
                                                       const CompileOptions &options) {
  auto prepared = prepareForGPU(module, options, options.target.cpu);
  if (failed(prepared))
    return failure();
  prepared->first.llvmKernels = true;
  PassManager pm(module->getContext());
  if (failed(buildGPUCodegenPipeline(pm, prepared->first)) || failed(pm.run(module)))
    return failure();
  return extractKernelLLVMIR(module);
}

FailureOr<ModelInterface> mlir::ds::lowerToLLVMDialectForGPU(ModuleOp module,
                                                             const CompileOptions &options,
                                                             StringRef chip) {
  auto prepared = prepareForGPU(module, options, chip);
  if (failed(prepared))
    return failure();
  auto [gpu, interface] = *prepared;
  dropNameAttributes(module);
  PassManager pm(module->getContext());
  if (failed(buildGPUCodegenPipeline(pm, gpu)) ||
      failed(buildGPUHostPipeline(pm, gpu, interface.inputs.size())) || failed(pm.run(module)))
    return failure();
  interface.cuda = true;
  interface.arenaSize = 0; // the arena is a device buffer the host code allocates
  return interface;
}

std::map<std::string, int64_t> mlir::ds::countGraphOps(ModuleOp module) {
  std::map<std::string, int64_t> counts;
  module.walk([&](Operation *op) {
    if (!isa<DSDialect>(op->getDialect()) || isa<ConstantOp>(op))
      return;
    ++counts[op->getName().getStringRef().str()];
  });
  return counts;
}

FailureOr<ModelInterface> mlir::ds::lowerToLLVMDialect(ModuleOp module,
                                                       const CompileOptions &options,
                                                       CompileStats *stats) {
  std::string symbol = modelSymbol(module, options);
  FailureOr<ModelInterface> interface = describeModel(module, symbol);
  if (failed(interface))
    return failure();
  dropNameAttributes(module);
  if (options.optimizeGraph && failed(optimizeGraph(module, options.disabled, options.target)))
    return failure();
  CPUPipelineOptions pipeline;
  pipeline.symbol = symbol;
  pipeline.optimize = options.optimize;
  pipeline.disabled = options.disabled;
  pipeline.sanitizeAddress = options.sanitizeAddress;
  TargetKernels kernels = targetKernels(options.target);
  pipeline.vnni = kernels.vnni;
  pipeline.signedProducts = kernels.signedProducts;
  pipeline.sdot = kernels.sdot;
  pipeline.vectorBits = kernels.vectorBits;
  PassManager tensors(module->getContext());
  buildCPUTensorPipeline(tensors, pipeline);
  if (failed(tensors.run(module)))
    return failure();
  if (stats) {
    stats->kernels = 0;
    // Top-level loop nests of the model functions: linalg ops and the loops
    // that register tiling already produced.
    module.walk([&](func::FuncOp fn) {
      for (Operation &op : fn.getBody().getOps())
        if (isa<linalg::LinalgOp, LoopLikeOpInterface>(op))
          ++stats->kernels;
    });
  }
  PassManager buffers(module->getContext());
  if (failed(buildCPUBufferPipeline(buffers, pipeline)))
    return module.emitError("internal error: the CPU pipeline did not parse");
  if (failed(buffers.run(module)))
    return failure();
  // The arena is known once ds-cpu-plan-memory has run.
  if (auto arena = module->getAttrOfType<IntegerAttr>("ds.arena_size"))
    interface->arenaSize = arena.getInt();
  if (stats) {
    auto read = [&](StringRef name) -> int64_t {
      auto attr = module->getAttrOfType<IntegerAttr>(name);
      return attr ? attr.getInt() : 0;
    };
    stats->arenaSize = read("ds.arena_size");
    stats->naiveSize = read("ds.arena_naive_size");
    stats->lowerBound = read("ds.arena_lower_bound");
  }
  return interface;
}

std::unique_ptr<llvm::Module> mlir::ds::translateToLLVMIR(ModuleOp lowered,
                                                          llvm::LLVMContext &context,
                                                          const ModelInterface &interface) {
  std::vector<DetachedConstant> constants = detachConstantData(lowered);
  std::unique_ptr<llvm::Module> module = translateModuleToLLVMIR(lowered, context);
  if (!module)
    return nullptr;
  attachConstantData(*module, constants);
  emitModelDescriptor(*module, interface);
  return module;
}

FailureOr<std::unique_ptr<JITModel>> mlir::ds::JITModel::create(ModuleOp lowered,
                                                               const ModelInterface &interface,
                                                               int optLevel) {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
  auto builder = [&](Operation *op, llvm::LLVMContext &context) {
    return translateToLLVMIR(cast<ModuleOp>(op), context, interface);
  };
  auto transformer = makeOptimizingTransformer(std::max(0, std::min(optLevel, 3)), 0, nullptr);
  ExecutionEngineOptions options;
  options.llvmModuleBuilder = builder;
  options.transformer = transformer;
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  auto engine = ExecutionEngine::create(lowered, options);
  if (!engine)
    return lowered.emitError("JIT compilation failed: ")
           << llvm::toString(engine.takeError());
  // Generated code calls back into the runtime linked into this process.
  (*engine)->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    map[interner("dsrt_parallel_for")] = {llvm::orc::ExecutorAddr::fromPtr(&dsrt_parallel_for),
                                          llvm::JITSymbolFlags::Exported};
    return map;
  });
  auto address = (*engine)->lookup(interface.symbol + "_model");
  if (!address)
    return lowered.emitError("JIT: no model descriptor: ")
           << llvm::toString(address.takeError());
  std::unique_ptr<JITModel> model(new JITModel());
  model->engine = std::move(*engine);
  model->desc = static_cast<const dsrt_model_desc *>(*address);
  return model;
}

mlir::ds::JITModel::~JITModel() = default;
