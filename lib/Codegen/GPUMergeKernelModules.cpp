//===- GPUMergeKernelModules.cpp - the ds-gpu-merge-kernel-modules pass ---===//
//
// gpu-kernel-outlining makes one gpu.module per kernel, every kernel named
// after its function; the runtime loads one PTX module per model, whose
// kernels need distinct names. This pass gathers them into
// `@<symbol>_kernels` as `<symbol>_k<N>`, numbered in launch order.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/IR/SymbolTable.h"

#include <string>

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUMERGEKERNELMODULES
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// Moves |op| to the end of |module|'s body.
void moveInto(Operation *op, gpu::GPUModuleOp module) {
  Block *body = module.getBody();
  if (!body->empty() && body->back().hasTrait<OpTrait::IsTerminator>())
    op->moveBefore(&body->back());
  else
    op->moveBefore(body, body->end());
}

struct DSGPUMergeKernelModulesPass
    : public ds::impl::DSGPUMergeKernelModulesBase<DSGPUMergeKernelModulesPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    SmallVector<gpu::GPUModuleOp> modules(module.getOps<gpu::GPUModuleOp>());
    if (modules.empty())
      return;
    std::string name = symbol + "_kernels";
    if (SymbolTable::lookupSymbolIn(module, name)) {
      emitError(module.getLoc()) << "a symbol named '" << name << "' already exists";
      return signalPassFailure();
    }
    OpBuilder builder(modules.front());
    auto merged = gpu::GPUModuleOp::create(builder, modules.front().getLoc(), name);
    int64_t next = 0;
    auto take = [&](gpu::GPUFuncOp kernel) {
      kernel.setName(symbol + "_k" + std::to_string(next++));
      moveInto(kernel, merged);
      return SymbolRefAttr::get(ctx, name, {FlatSymbolRefAttr::get(kernel.getNameAttr())});
    };
    SmallVector<gpu::LaunchFuncOp> launches;
    module.walk([&](gpu::LaunchFuncOp launch) { launches.push_back(launch); });
    DenseMap<Attribute, SymbolRefAttr> renamed;
    for (gpu::LaunchFuncOp launch : launches) {
      SymbolRefAttr kernel = launch.getKernelAttr();
      auto [it, inserted] = renamed.try_emplace(kernel, nullptr);
      if (inserted) {
        auto func = SymbolTable::lookupNearestSymbolFrom<gpu::GPUFuncOp>(module, kernel);
        if (!func || func->getParentOp() == merged) {
          launch.emitOpError("launches ") << kernel << ", which is not an outlined kernel";
          return signalPassFailure();
        }
        it->second = take(func);
      }
      launch.setKernelAttr(it->second);
    }
    // Kernels nobody launches still go into the module; anything else a
    // kernel module holds (declarations) once.
    for (gpu::GPUModuleOp old : modules) {
      for (Operation &op : llvm::make_early_inc_range(old.getBody()->without_terminator())) {
        if (auto kernel = dyn_cast<gpu::GPUFuncOp>(op)) {
          take(kernel);
          continue;
        }
        auto symbolOp = dyn_cast<SymbolOpInterface>(op);
        if (symbolOp && SymbolTable::lookupSymbolIn(merged, symbolOp.getNameAttr()))
          continue;
        moveInto(&op, merged);
      }
      old.erase();
    }
  }
};

} // namespace
