//===- GPUHostBuffers.cpp - the ds-gpu-host-buffers pass ------------------===//
//
// After kernel outlining the model function still hands the kernels host
// memory: its input, output and arena arguments and the weights' globals.
// This pass gives each one a device buffer (gpu.alloc) the kernels use
// instead: inputs and weights are copied in at the start of a run, outputs
// copied out before each return, and everything is freed at the end. The
// host code must not touch those buffers itself (only launches, copies and
// views may use them), which the pass checks.
//
// Weights are copied every run for now; keeping them resident per model
// instance is the next step (docs/gpu.md).
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUHOSTBUFFERS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

struct DSGPUHostBuffersPass : public ds::impl::DSGPUHostBuffersBase<DSGPUHostBuffersPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp fn = getOperation();
    if (fn.isExternal())
      return;
    auto module = fn->getParentOfType<ModuleOp>();
    bool hasArena = module && module->hasAttr("ds.arena_size");
    int64_t buffers = fn.getNumArguments() - (hasArena ? 1 : 0);
    if (numInputs < 0 || numInputs > buffers) {
      fn.emitOpError("has ") << buffers << " input and output buffers, fewer than num-inputs="
                             << static_cast<int64_t>(numInputs);
      return signalPassFailure();
    }
    Block &entry = fn.front();
    OpBuilder b(&entry, entry.begin());
    SmallVector<Value> device;
    SmallVector<std::pair<Value, Value>> outputs; // host, device
    // A device twin of |host|, copied in when |copyIn|; |host|'s other users
    // read the twin.
    auto twin = [&](Value host, bool copyIn) -> Value {
      auto type = cast<MemRefType>(host.getType());
      Location loc = host.getLoc();
      Value buffer = gpu::AllocOp::create(b, loc, type, Type(), ValueRange{}, ValueRange{},
                                          ValueRange{}, false)
                         .getMemref();
      SmallPtrSet<Operation *, 2> keep;
      if (copyIn)
        keep.insert(gpu::MemcpyOp::create(b, loc, Type(), ValueRange{}, buffer, host));
      host.replaceAllUsesExcept(buffer, keep);
      device.push_back(buffer);
      return buffer;
    };
    for (BlockArgument arg : fn.getArguments()) {
      if (!isa<MemRefType>(arg.getType()))
        continue;
      bool input = arg.getArgNumber() < numInputs;
      bool output = !input && static_cast<int64_t>(arg.getArgNumber()) < buffers;
      Value buffer = twin(arg, input);
      if (output)
        outputs.push_back({arg, buffer});
    }
    SmallVector<memref::GetGlobalOp> globals;
    fn.walk([&](memref::GetGlobalOp op) { globals.push_back(op); });
    for (memref::GetGlobalOp global : globals) {
      b.setInsertionPointAfter(global);
      twin(global.getResult(), /*copyIn=*/true);
    }
    fn.walk([&](func::ReturnOp ret) {
      b.setInsertionPoint(ret);
      for (auto [host, buffer] : outputs)
        gpu::MemcpyOp::create(b, ret.getLoc(), Type(), ValueRange{}, host, buffer);
      for (Value buffer : device)
        gpu::DeallocOp::create(b, ret.getLoc(), Type(), ValueRange{}, buffer);
    });
    if (failed(checkHostUses(device)))
      return signalPassFailure();
  }

  /// Host code may only launch kernels on, copy, free or take views of the
  /// device buffers: anything else would dereference a device address.
  LogicalResult checkHostUses(ArrayRef<Value> device) {
    SmallVector<Value> pending(device.begin(), device.end());
    while (!pending.empty()) {
      Value value = pending.pop_back_val();
      for (Operation *user : value.getUsers()) {
        if (isa<gpu::LaunchFuncOp, gpu::MemcpyOp, gpu::DeallocOp, gpu::MemsetOp>(user))
          continue;
        if (isa<ViewLikeOpInterface, memref::CastOp>(user)) {
          llvm::append_range(pending, user->getResults());
          continue;
        }
        return user->emitOpError("uses a buffer the GPU holds in host code; only kernels may "
                                 "read or write it");
      }
    }
    return success();
  }
};

} // namespace
