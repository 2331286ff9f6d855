//===- UnshareFills.cpp - the ds-unshare-fills pass -----------------------===//
//
// After CSE one linalg.fill (the zeros a matmul or convolution accumulates
// into) often initializes several ops. Each of them writes its init, so
// one-shot bufferization gives all but one a buffer of its own and a
// memref.copy of the filled one: ResNet-50 has 50 such copies. A fill
// per use (on its own tensor.empty, placed just before the use) lets each
// op accumulate in place, and lets the GPU's tiled products start their
// accumulators at the fill's value instead of reading them from memory.
//
//===----------------------------------------------------------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSUNSHAREFILLS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

struct DSUnshareFillsPass : public ds::impl::DSUnshareFillsBase<DSUnshareFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics() && !fill->getResult(0).hasOneUse() &&
          !fill->getResult(0).use_empty())
        fills.push_back(fill);
    });
    OpBuilder builder(&getContext());
    // Every use gets a fill of its own, right before it; the original goes.
    for (linalg::FillOp fill : fills) {
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : fill->getResult(0).getUses())
        uses.push_back(&use);
      Value init = fill.getOutputs()[0];
      auto empty = init.getDefiningOp<tensor::EmptyOp>();
      for (OpOperand *use : uses) {
        builder.setInsertionPoint(use->getOwner());
        IRMapping mapping;
        if (empty)
          mapping.map(init, builder.clone(*empty)->getResult(0));
        use->set(builder.clone(*fill, mapping)->getResult(0));
      }
      fill->erase();
      if (empty && empty->use_empty())
        empty->erase();
    }
  }
};

} // namespace
