//===- ScatterLowering.cpp - scatter_elements, scatter_nd, max_unpool -----===//
//
// A scatter writes where its indices say, in update order (later updates win
// when reduction = none, as ONNX's reference does), so it is a serial loop nest
// over the updates threading the result tensor through scf.for iter_args:
// extract the update, compute the target index (negative indices count from
// the end, then clamped into range), combine with the old element when there
// is a reduction, tensor.insert. Bufferization turns the chain into in-place
// stores on one copy of `data`.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

/// |current| with |update| stored at |target|, combined with the element
/// already there when the scatter has a reduction.
Value storeUpdate(OpBuilder &b, Location loc, ScatterReduction reduction, Value current,
                  ValueRange target, Value update, bool isUnsigned) {
  if (reduction != ScatterReduction::None) {
    Value old = tensor::ExtractOp::create(b, loc, current, target);
    switch (reduction) {
    case ScatterReduction::Add:
      update = add(b, loc, old, update);
      break;
    case ScatterReduction::Mul:
      update = mul(b, loc, old, update);
      break;
    case ScatterReduction::Max:
      update = maximum(b, loc, old, update, isUnsigned);
      break;
    case ScatterReduction::Min:
      update = minimum(b, loc, old, update, isUnsigned);
      break;
    case ScatterReduction::None:
      break;
    }
  }
  return tensor::InsertOp::create(b, loc, update, current, target);
}

/// Loops over every position of |shape| threading |init| through iter_args;
/// |body|(builder, position, current) returns the next value.
Value forEachPosition(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value init,
                      function_ref<Value(OpBuilder &, ValueRange, Value)> body,
                      SmallVectorImpl<Value> &position) {
  if (position.size() == shape.size())
    return body(b, position, init);
  int64_t d = position.size();
  auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); };
  auto loop = scf::ForOp::create(
      b, loc, c(0), c(shape[d]), c(1), ValueRange{init},
      [&](OpBuilder &nb, Location nloc, Value iv, ValueRange args) {
        position.push_back(iv);
        Value next = forEachPosition(nb, nloc, shape, args[0], body, position);
        position.pop_back();
        scf::YieldOp::create(nb, nloc, next);
      });
  return loop.getResult(0);
}

struct ScatterElementsLowering : OpRewritePattern<ScatterElementsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScatterElementsOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto updType = cast<RankedTensorType>(op.getUpdates().getType());
    int64_t rank = dataType.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    ScatterReduction reduction = op.getReduction();
    bool isUnsigned = isUnsignedOp(op);
    Value indices = op.getIndices(), updates = op.getUpdates();
    SmallVector<Value> position;
    Value result = forEachPosition(
        rewriter, op.getLoc(), updType.getShape(), op.getData(),
        [&](OpBuilder &b, ValueRange pos, Value current) -> Value {
          Location l = op.getLoc();
          Value update = tensor::ExtractOp::create(b, l, updates, pos);
          SmallVector<Value> target(pos);
          target[axis] = clampedIndex(b, l, tensor::ExtractOp::create(b, l, indices, pos),
                                     dataType.getDimSize(axis));
          return storeUpdate(b, l, reduction, current, target, update, isUnsigned);
        },
        position);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ScatterNDLowering : OpRewritePattern<ScatterNDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScatterNDOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto idxType = cast<RankedTensorType>(op.getIndices().getType());
    auto updType = cast<RankedTensorType>(op.getUpdates().getType());
    int64_t q = idxType.getRank(), k = idxType.getDimSize(q - 1);
    ScatterReduction reduction = op.getReduction();
    bool isUnsigned = isUnsignedOp(op);
    Value indices = op.getIndices(), updates = op.getUpdates();
    SmallVector<Value> position;
    // updates[j..., r...] goes to data[indices[j..., :], r...].
    Value result = forEachPosition(
        rewriter, op.getLoc(), updType.getShape(), op.getData(),
        [&](OpBuilder &b, ValueRange pos, Value current) -> Value {
          Location l = op.getLoc();
          Value update = tensor::ExtractOp::create(b, l, updates, pos);
          SmallVector<Value> idxPos(pos.begin(), pos.begin() + (q - 1));
          idxPos.push_back(Value());
          SmallVector<Value> target;
          for (int64_t i = 0; i < k; ++i) {
            idxPos.back() = arith::ConstantIndexOp::create(b, l, i);
            target.push_back(clampedIndex(b, l, tensor::ExtractOp::create(b, l, indices, idxPos),
                                         dataType.getDimSize(i)));
          }
          target.append(pos.begin() + (q - 1), pos.end());
          return storeUpdate(b, l, reduction, current, target, update, isUnsigned);
        },
        position);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// max_unpool: a zero tensor of the result's shape, then every input element
/// stored at its index, a flat row-major position in the whole result (what
/// ONNX MaxPool's Indices output holds), later elements winning.
struct MaxUnpoolLowering : OpRewritePattern<MaxUnpoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxUnpoolOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Value zeros = filledTensor(rewriter, loc, outType,
                               scalarConstant(rewriter, loc, outType.getElementType(), 0));
    Value input = op.getInput(), indices = op.getIndices();
    SmallVector<Value> position;
    Value result = forEachPosition(
        rewriter, loc, inType.getShape(), zeros,
        [&](OpBuilder &b, ValueRange pos, Value current) -> Value {
          Value flat = clampedIndex(b, loc, tensor::ExtractOp::create(b, loc, indices, pos),
                                    outType.getNumElements());
          SmallVector<Value> target(outType.getRank());
          for (int64_t d = outType.getRank() - 1; d >= 0; --d) {
            Value size = arith::ConstantIndexOp::create(b, loc, outType.getDimSize(d));
            target[d] = arith::RemUIOp::create(b, loc, flat, size);
            flat = arith::DivUIOp::create(b, loc, flat, size);
          }
          Value value = tensor::ExtractOp::create(b, loc, input, pos);
          return tensor::InsertOp::create(b, loc, value, current, target);
        },
        position);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateScatterLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<ScatterElementsLowering, ScatterNDLowering, MaxUnpoolLowering>(
      patterns.getContext());
}
