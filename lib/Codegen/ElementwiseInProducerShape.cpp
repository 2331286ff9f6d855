//===- ElementwiseInProducerShape.cpp - elementwise ops in a product's shape ===//

#include "ElementwiseInProducerShape.h"

#include "deepseek/Transforms/StaticReshape.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace {

/// |value| with the collapse/expand ops that produced it looked through.
Value reshapeRoot(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(def))
      break;
    value = def->getOperand(0);
  }
  return value;
}

/// |value| viewed as |shape| (same element count).
Value reshapeTo(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  return ds::reshapeTo(b, loc, value, RankedTensorType::get(shape, type.getElementType()));
}

struct ElementwiseInProducerShape : OpRewritePattern<linalg::GenericOp> {
  ElementwiseInProducerShape(MLIRContext *ctx, std::function<bool(Value)> isProducer)
      : OpRewritePattern(ctx), isProducer(std::move(isProducer)) {}

  LogicalResult matchAndRewrite(linalg::GenericOp op, PatternRewriter &rewriter) const override {
    if (op.getNumReductionLoops() != 0 || op.hasIndexSemantics() || op.getNumDpsInits() != 1)
      return rewriter.notifyMatchFailure(op, "not a one-result elementwise op");
    auto outType = dyn_cast<RankedTensorType>(op.getResult(0).getType());
    if (!outType || !outType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "result shape not static");
    for (AffineMap map : op.getIndexingMapsArray())
      if (!map.isIdentity())
        return rewriter.notifyMatchFailure(op, "an operand is not read where it is written");
    for (OpOperand &operand : op->getOpOperands()) {
      auto type = dyn_cast<RankedTensorType>(operand.get().getType());
      if (!type || type.getShape() != outType.getShape())
        return rewriter.notifyMatchFailure(op, "operands of different shapes");
    }
    // The first input that is a product's result behind reshapes, in a
    // different shape (one already in that shape fuses without this).
    Value producer;
    for (OpOperand *input : op.getDpsInputOperands()) {
      Value root = reshapeRoot(input->get());
      auto rootType = dyn_cast<RankedTensorType>(root.getType());
      if (root == input->get() || !rootType || !rootType.hasStaticShape() ||
          rootType.getShape() == outType.getShape() ||
          rootType.getNumElements() != outType.getNumElements() || !isProducer(root))
        continue;
      producer = root;
      break;
    }
    if (!producer)
      return rewriter.notifyMatchFailure(op, "no input is a reshaped product");

    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = cast<RankedTensorType>(producer.getType()).getShape();
    SmallVector<Value> inputs;
    for (OpOperand *input : op.getDpsInputOperands())
      inputs.push_back(reshapeRoot(input->get()) == producer
                           ? producer
                           : reshapeTo(rewriter, loc, input->get(), shape));
    Value init = op.getDpsInitOperand(0)->get();
    if (auto empty = init.getDefiningOp<tensor::EmptyOp>())
      init = tensor::EmptyOp::create(rewriter, loc, shape, outType.getElementType());
    else
      init = reshapeTo(rewriter, loc, init, shape);
    auto identity = rewriter.getMultiDimIdentityMap(shape.size());
    SmallVector<AffineMap> maps(inputs.size() + 1, identity);
    SmallVector<utils::IteratorType> iterators(shape.size(), utils::IteratorType::parallel);
    auto reshaped = linalg::GenericOp::create(rewriter, loc, TypeRange{init.getType()}, inputs,
                                              ValueRange{init}, maps, iterators);
    rewriter.inlineRegionBefore(op.getRegion(), reshaped.getRegion(), reshaped.getRegion().end());
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reshaped.getResult(0), outType.getShape()));
    return success();
  }

  std::function<bool(Value)> isProducer;
};

} // namespace

void mlir::ds::populateElementwiseInProducerShapePatterns(RewritePatternSet &patterns,
                                                          std::function<bool(Value)> isProducer) {
  patterns.add<ElementwiseInProducerShape>(patterns.getContext(), std::move(isProducer));
}
