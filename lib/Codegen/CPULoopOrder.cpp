//===- CPULoopOrder.cpp - the ds-cpu-loop-order pass -----------------------===//

#include "deepseek/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSCPULOOPORDER
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;

namespace {

/// The loop order that runs reductions before the output's contiguous dim, or
/// nothing when the op should keep its order.
std::optional<SmallVector<unsigned>> vectorFriendlyOrder(linalg::GenericOp op) {
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (!llvm::is_contained(iterators, utils::IteratorType::reduction) ||
      op.getNumDpsInits() != 1)
    return std::nullopt;
  AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (outMap.getNumResults() == 0)
    return std::nullopt;
  auto inner = dyn_cast<AffineDimExpr>(outMap.getResults().back());
  if (!inner || iterators[inner.getPosition()] != utils::IteratorType::parallel)
    return std::nullopt;
  unsigned p = inner.getPosition();
  // Worth it only if some input also streams along p (otherwise the inner loop
  // would stride through every input).
  bool inputStreams = llvm::any_of(op.getDpsInputOperands(), [&](OpOperand *input) {
    AffineMap map = op.getMatchingIndexingMap(input);
    return map.getNumResults() > 0 && map.getResults().back().isFunctionOfDim(p);
  });
  if (!inputStreams)
    return std::nullopt;
  SmallVector<unsigned> order;
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (iterators[d] == utils::IteratorType::parallel && d != p)
      order.push_back(d);
  for (unsigned d = 0; d < iterators.size(); ++d)
    if (iterators[d] == utils::IteratorType::reduction)
      order.push_back(d);
  order.push_back(p);
  if (llvm::equal(order, llvm::seq<unsigned>(0, iterators.size())))
    return std::nullopt;
  return order;
}

struct DSCPULoopOrderPass : public ds::impl::DSCPULoopOrderBase<DSCPULoopOrderPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::LinalgOp> convs;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::ConvolutionOpInterface>(op.getOperation()) && !isa<linalg::GenericOp>(op))
        convs.push_back(op);
    });
    for (linalg::LinalgOp op : convs) {
      rewriter.setInsertionPoint(op);
      (void)linalg::generalizeNamedOp(rewriter, op);
    }
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) { generics.push_back(op); });
    for (linalg::GenericOp op : generics) {
      std::optional<SmallVector<unsigned>> order = vectorFriendlyOrder(op);
      if (!order)
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::GenericOp> reordered = linalg::interchangeGenericOp(rewriter, op, *order);
      if (failed(reordered))
        continue;
      // Multiply-accumulate bodies may fuse into FMAs.
      reordered->getBody()->walk([&](Operation *inner) {
        if (auto fm = dyn_cast<arith::ArithFastMathInterface>(inner))
          if (isa<arith::MulFOp, arith::AddFOp>(inner))
            inner->setAttr(fm.getFastMathAttrName(),
                           arith::FastMathFlagsAttr::get(&getContext(),
                                                         arith::FastMathFlags::contract));
      });
    }
  }
};

} // namespace
