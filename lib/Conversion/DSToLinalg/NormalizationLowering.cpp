//===- NormalizationLowering.cpp - softmax family and layer_norm ----------===//
//
// Numerically stable forms: softmax subtracts the row maximum before exp;
// layer_norm computes the variance from the centered values (two passes), not
// as E[x^2] - E[x]^2, which cancels badly in fp32.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

/// |x| reduced over |axes| with |combine|, reshaped to keepdims form so it
/// broadcasts against |x| in elementwise ops.
Value reduceKeepDims(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> axes, Value init,
                     function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(x.getType());
  Value reduced = buildReduction(b, loc, x, axes, init, combine);
  return reshapeTo(b, loc, reduced, keepDimsType(type, axes));
}

} // namespace

Value mlir::ds::lowering::buildSoftmax(OpBuilder &b, Location loc, Value x, int64_t axis,
                                       bool isLog) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elem = type.getElementType();
  Value max = reduceKeepDims(b, loc, x, {axis}, lowestValue(b, loc, elem),
                             [](OpBuilder &nb, Location l, Value v, Value acc) {
                               return maximum(nb, l, acc, v);
                             });
  Value shifted = buildElementwise(b, loc, type, {x, max},
                                   [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                     return arith::SubFOp::create(nb, l, a[0], a[1]);
                                   });
  Value exps = buildElementwise(b, loc, type, shifted,
                                [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                                  return math::ExpOp::create(nb, l, a[0]);
                                });
  Value sum = reduceKeepDims(b, loc, exps, {axis}, scalarConstant(b, loc, elem, 0),
                             [](OpBuilder &nb, Location l, Value v, Value acc) {
                               return add(nb, l, acc, v);
                             });
  if (isLog)
    return buildElementwise(b, loc, type, {shifted, sum},
                            [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                              return arith::SubFOp::create(nb, l, a[0],
                                                           math::LogOp::create(nb, l, a[1]));
                            });
  return buildElementwise(b, loc, type, {exps, sum},
                          [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                            return arith::DivFOp::create(nb, l, a[0], a[1]);
                          });
}

namespace {

template <typename OpTy, bool IsLog>
struct SoftmaxLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    rewriter.replaceOp(op, buildSoftmax(rewriter, op.getLoc(), op.getInput(),
                                        positiveAxis(op.getAxis(), type.getRank()), IsLog));
    return success();
  }
};

/// hardmax: 1 where the index along the axis is the (first) arg max.
struct HardmaxLowering : OpRewritePattern<HardmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(HardmaxOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t axis = positiveAxis(op.getAxis(), type.getRank());
    auto idxType = keepDimsType(RankedTensorType::get(type.getShape(), rewriter.getI64Type()),
                                {axis});
    Value argMax = ArgMaxOp::create(rewriter, loc, idxType, op.getInput(),
                                    rewriter.getI64IntegerAttr(axis),
                                    rewriter.getBoolAttr(true), rewriter.getBoolAttr(false));
    Type elem = type.getElementType();
    Value result = buildElementwise(
        rewriter, loc, type, argMax, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                               linalg::IndexOp::create(b, l, axis));
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, a[0]);
          return arith::SelectOp::create(b, l, hit, scalarConstant(b, l, elem, 1),
                                         scalarConstant(b, l, elem, 0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormLowering : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type elem = type.getElementType();
    int64_t axis = positiveAxis(op.getAxis(), type.getRank());
    SmallVector<int64_t> axes;
    int64_t count = 1;
    for (int64_t d = axis; d < type.getRank(); ++d) {
      axes.push_back(d);
      count *= type.getDimSize(d);
    }
    Value zero = scalarConstant(rewriter, loc, elem, 0);
    auto sumOf = [&](Value v) {
      return reduceKeepDims(rewriter, loc, v, axes, zero,
                            [](OpBuilder &b, Location l, Value x, Value acc) {
                              return add(b, l, acc, x);
                            });
    };
    Value mean = divideByConstant(rewriter, loc, sumOf(op.getInput()), count);
    Value centered = buildElementwise(rewriter, loc, type, {op.getInput(), mean},
                                      [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                        return arith::SubFOp::create(b, l, a[0], a[1]);
                                      });
    Value squares = buildElementwise(rewriter, loc, type, centered,
                                     [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                       return arith::MulFOp::create(b, l, a[0], a[0]);
                                     });
    Value variance = divideByConstant(rewriter, loc, sumOf(squares), count);
    double eps = op.getEpsilon().convertToFloat();
    SmallVector<Value> operands{centered, variance, op.getScale()};
    if (op.getBias())
      operands.push_back(op.getBias());
    bool hasBias = bool(op.getBias());
    Value result = buildElementwise(
        rewriter, loc, type, operands, [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value invStd = math::RsqrtOp::create(
              b, l, arith::AddFOp::create(b, l, a[1], scalarConstant(b, l, elem, eps)));
          Value y = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, a[0], invStd), a[2]);
          return hasBias ? Value(arith::AddFOp::create(b, l, y, a[3])) : y;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateNormalizationLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<SoftmaxOp, false>, SoftmaxLowering<LogSoftmaxOp, true>,
               HardmaxLowering, LayerNormLowering>(patterns.getContext());
}
