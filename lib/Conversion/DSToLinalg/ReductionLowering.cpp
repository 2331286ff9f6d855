//===- ReductionLowering.cpp - reductions, arg reductions, cum_sum --------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

enum class ReduceKind { Sum, Mean, Max, Min, Prod, L2 };

SmallVector<int64_t> normalizedAxes(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> result;
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      result.push_back(d);
  for (int64_t a : axes)
    result.push_back(a < 0 ? a + rank : a);
  llvm::sort(result);
  result.erase(std::unique(result.begin(), result.end()), result.end());
  return result;
}

template <typename OpTy, ReduceKind Kind>
struct ReduceLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = outType.getElementType();
    SmallVector<int64_t> axes = normalizedAxes(op.getAxes(), inType.getRank());
    int64_t count = 1;
    for (int64_t a : axes)
      count *= inType.getDimSize(a);
    bool isUnsigned = isUnsignedOp(op);
    Value init;
    switch (Kind) {
    case ReduceKind::Max:
      init = lowestValue(rewriter, loc, elem, isUnsigned);
      break;
    case ReduceKind::Min:
      init = highestValue(rewriter, loc, elem, isUnsigned);
      break;
    case ReduceKind::Prod:
      init = scalarConstant(rewriter, loc, elem, 1);
      break;
    default:
      init = scalarConstant(rewriter, loc, elem, 0);
    }
    Value reduced = buildReduction(
        rewriter, loc, op.getInput(), axes, init,
        [&](OpBuilder &b, Location l, Value x, Value acc) -> Value {
          switch (Kind) {
          case ReduceKind::Max:
            return maximum(b, l, acc, x, isUnsigned);
          case ReduceKind::Min:
            return minimum(b, l, acc, x, isUnsigned);
          case ReduceKind::Prod:
            return mul(b, l, acc, x);
          case ReduceKind::L2:
            return add(b, l, acc, mul(b, l, x, x));
          default:
            return add(b, l, acc, x);
          }
        });
    if (Kind == ReduceKind::Mean)
      reduced = divideByConstant(rewriter, loc, reduced, count);
    if (Kind == ReduceKind::L2)
      reduced = buildElementwise(rewriter, loc, cast<RankedTensorType>(reduced.getType()),
                                 reduced, [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                   return math::SqrtOp::create(b, l, a[0]);
                                 });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, reduced, outType));
    return success();
  }
};

/// arg_max / arg_min: one linalg.generic with two outputs (best value, its
/// index) reducing the axis; ties keep the first index unless
/// select_last_index.
template <typename OpTy, bool IsMax>
struct ArgReduceLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    Type elem = inType.getElementType();
    int64_t rank = inType.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    bool last = op.getSelectLastIndex();
    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (d == axis)
        continue;
      shape.push_back(inType.getDimSize(d));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    auto valType = RankedTensorType::get(shape, elem);
    auto idxType = RankedTensorType::get(shape, rewriter.getI64Type());
    bool isUnsigned = isUnsignedOp(op);
    Value vals = filledTensor(rewriter, loc, valType,
                              IsMax ? lowestValue(rewriter, loc, elem, isUnsigned)
                                    : highestValue(rewriter, loc, elem, isUnsigned));
    Value idxs = filledTensor(rewriter, loc, idxType, scalarConstant(rewriter, loc,
                                                                      rewriter.getI64Type(), -1));
    AffineMap outMap = AffineMap::get(rank, 0, outExprs, ctx);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valType, idxType}, ValueRange{op.getInput()},
        ValueRange{vals, idxs},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank), outMap, outMap},
        iterators, [&](OpBuilder &b, Location l, ValueRange a) {
          Value x = a[0], best = a[1], bestIdx = a[2];
          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(),
                                               linalg::IndexOp::create(b, l, axis));
          Value better = strictlyBefore(b, l, x, best, IsMax, isUnsigned);
          Value equal = equalTo(b, l, x, best);
          // The first element always wins (covers all -inf / all +inf rows).
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, bestIdx,
                                              scalarConstant(b, l, b.getI64Type(), 0));
          Value take = arith::OrIOp::create(b, l, better, first);
          if (last)
            take = arith::OrIOp::create(b, l, take, equal);
          linalg::YieldOp::create(b, l,
                                  ValueRange{arith::SelectOp::create(b, l, take, x, best),
                                             arith::SelectOp::create(b, l, take, i, bestIdx)});
        });
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, generic.getResult(1), outType));
    return success();
  }
};

/// cum_sum as a masked contraction over (..., i, j): out[i] = sum_j x[j] where
/// j <= i (j < i when exclusive; mirrored when reverse). Quadratic in the axis
/// length, which is short in the models that use it.
struct CumSumLowering : OpRewritePattern<CumSumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CumSumOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    Type elem = type.getElementType();
    // Loop rank is the tensor rank + 1: the extra last loop j runs over the axis.
    SmallVector<AffineExpr> inExprs, outExprs;
    for (int64_t d = 0; d < rank; ++d) {
      inExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
      outExprs.push_back(getAffineDimExpr(d, ctx));
    }
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    Value init = filledTensor(rewriter, loc, type, scalarConstant(rewriter, loc, elem, 0));
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, ValueRange{op.getInput()}, ValueRange{init},
            SmallVector<AffineMap>{AffineMap::get(rank + 1, 0, inExprs, ctx),
                                   AffineMap::get(rank + 1, 0, outExprs, ctx)},
            iterators,
            [&](OpBuilder &b, Location l, ValueRange a) {
              Value i = linalg::IndexOp::create(b, l, axis);
              Value j = linalg::IndexOp::create(b, l, rank);
              arith::CmpIPredicate pred =
                  reverse ? (exclusive ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::uge)
                          : (exclusive ? arith::CmpIPredicate::ult : arith::CmpIPredicate::ule);
              Value inRange = arith::CmpIOp::create(b, l, pred, j, i);
              Value term = arith::SelectOp::create(b, l, inRange, a[0],
                                                   scalarConstant(b, l, elem, 0));
              linalg::YieldOp::create(b, l, add(b, l, a[1], term));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateReductionLoweringPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<ReduceProdOp, ReduceKind::Prod>,
               ReduceLowering<ReduceL2Op, ReduceKind::L2>, ArgReduceLowering<ArgMaxOp, true>,
               ArgReduceLowering<ArgMinOp, false>, CumSumLowering>(ctx);
}
