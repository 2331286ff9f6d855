//===- PipelineStages.h - stages the CPU and GPU pipelines share -*- C++ -*-===//
//
// Both code generation pipelines (CPUPipeline.cpp, GPUPipeline.cpp) start
// from the same fused linalg kernels, bufferize and plan memory the same
// way and lower their host code through the same passes; these build those
// stages once.
//
//===----------------------------------------------------------------------===//

#ifndef DEEPSEEK_LIB_CODEGEN_PIPELINESTAGES_H
#define DEEPSEEK_LIB_CODEGEN_PIPELINESTAGES_H

#include "deepseek/Transforms/GraphPipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <string>

namespace mlir::ds {

/// convert-ds-to-linalg, canonicalize, cse; with |fuse| then elementwise
/// fusion (unless disabled), canonicalize, cse.
void addDSToLinalgPasses(OpPassManager &fn, bool fuse, const DisabledPasses &disabled);

/// Bufferization with results as out-params and the intermediates planned
/// into the arena (|poisonLifetimes|: ASan builds), then with |deallocate|
/// buffer-deallocation-pipeline; as pass pipeline text. |beforePlan| (pass
/// pipeline text) runs on the buffers before the plan, while each
/// intermediate is still its own memref.alloc.
std::string bufferizePipeline(bool poisonLifetimes, bool deallocate,
                              llvm::StringRef beforePlan = "");

/// Every dialect left to the LLVM dialect, memrefs as bare pointers; with
/// |gpuLaunches| the launches, GPU allocations and copies become calls of
/// the mgpu* runtime functions (gpu-to-llvm). Pass pipeline text.
std::string toLLVMPipeline(bool gpuLaunches);

/// True when ds-cpu-plan-memory gave the model function of |module| an
/// arena as its last argument: it records `ds.arena_size` always, and adds
/// the argument only when there are intermediates (a size above 0).
bool hasArenaArgument(ModuleOp module);

/// ds-cpu-entry-point: the packed `<symbol>_run(buffers, arena)` wrapper.
void addEntryPoint(OpPassManager &pm, StringRef symbol);

} // namespace mlir::ds

#endif // DEEPSEEK_LIB_CODEGEN_PIPELINESTAGES_H
