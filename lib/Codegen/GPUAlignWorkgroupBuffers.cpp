//===- GPUAlignWorkgroupBuffers.cpp - ds-gpu-align-workgroup-buffers ------===//
//
// Shared-memory buffers (gpu.func workgroup attributions) get their element
// type's alignment when lowered to NVVM globals, 2 bytes for f16. wgmma's
// matrix descriptors hold bits 4..17 of a shared address, so the core
// matrices they describe, and therefore the buffer, must be 16-byte
// aligned; `llvm.align` on the attribution is what the lowering honours.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSGPUALIGNWORKGROUPBUFFERS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

constexpr int64_t kAlignment = 16;

struct DSGPUAlignWorkgroupBuffersPass
    : public ds::impl::DSGPUAlignWorkgroupBuffersBase<DSGPUAlignWorkgroupBuffersPass> {
  void runOnOperation() override {
    StringRef name = LLVM::LLVMDialect::getAlignAttrName();
    Builder builder(&getContext());
    getOperation().walk([&](gpu::GPUFuncOp func) {
      for (unsigned i = 0; i < func.getNumWorkgroupAttributions(); ++i) {
        auto align = dyn_cast_or_null<IntegerAttr>(func.getWorkgroupAttributionAttr(i, name));
        if (!align || align.getInt() < kAlignment)
          func.setWorkgroupAttributionAttr(i, builder.getStringAttr(name),
                                           builder.getI64IntegerAttr(kAlignment));
      }
    });
  }
};

} // namespace
