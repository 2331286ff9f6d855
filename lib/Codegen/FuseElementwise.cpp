//===- FuseElementwise.cpp - the ds-fuse-elementwise pass ------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSFUSEELEMENTWISE
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// The operations in |op|'s body (the fused body's size after fusing).
unsigned bodySize(linalg::LinalgOp op) {
  return op->getNumRegions() ? op->getRegion(0).front().getOperations().size() : 0;
}

/// True when |op|'s body is one arith.extf of its only input.
bool onlyWidens(linalg::LinalgOp op) {
  if (bodySize(op) != 2 || op.getNumDpsInputs() != 1 || op.getNumReductionLoops() != 0)
    return false;
  Block &body = op->getRegion(0).front();
  auto extend = dyn_cast<arith::ExtFOp>(&body.front());
  return extend && extend.getIn() == body.getArgument(0);
}

struct DSFuseElementwisePass
    : public ds::impl::DSFuseElementwiseBase<DSFuseElementwisePass> {
  using DSFuseElementwiseBase::DSFuseElementwiseBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::ControlFusionFn control = [&](OpOperand *fused) {
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      auto producer = fused->get().getDefiningOp<linalg::LinalgOp>();
      if (consumer && consumer.getNumReductionLoops() != 0 && widenIntoContractions &&
          producer && onlyWidens(producer))
        return fused->get().hasOneUse();
      if (!consumer || consumer.getNumReductionLoops() != 0)
        return false;
      if (producer && bodySize(producer) + bodySize(consumer) > maxBodyOps)
        return false;
      // A producer with other users stays materialized for them, so fusing
      // it duplicates its work and its reads. Measured on BERT-base: fusing
      // multi-use producers (softmax's exp, read by the sum and the division;
      // the bias + residual epilogue read by LayerNorm's three passes) made
      // it 10-35% slower than not fusing at all.
      return fused->get().hasOneUse();
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
