//===- AttentionLowering.cpp - ds.attention -------------------------------===//
//
// softmax(Q K^T * scale + mask) V: K transposed once to [..., D, Sk] (the
// register-tiled contraction loads 16 or 32 consecutive columns of its right
// operand per step; reading K in place would make every load a strided
// gather), the Q K^T contraction, the scale and mask in one elementwise op
// that elementwise fusion merges into the softmax's max-subtract, and the P V
// contraction. Both contractions are matmul-like generics that
// ds-cpu-tile-contractions register-tiles.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::lowering;

namespace {

/// out[b..., i, j] = sum_c lhs[b..., i, c] * rhs[b..., c, j].
Value batchedProduct(OpBuilder &b, Location loc, Value lhs, Value rhs,
                     RankedTensorType outType) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = outType.getRank(), batch = rank - 2;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> lhsExprs, rhsExprs, outExprs;
  for (int64_t i = 0; i < batch; ++i) {
    lhsExprs.push_back(dim(i));
    rhsExprs.push_back(dim(i));
  }
  AffineExpr m = dim(batch), n = dim(batch + 1), k = dim(rank);
  lhsExprs.append({m, k});
  rhsExprs.append({k, n});
  for (int64_t i = 0; i < rank; ++i)
    outExprs.push_back(dim(i));
  SmallVector<AffineMap> maps{AffineMap::get(rank + 1, 0, lhsExprs, ctx),
                              AffineMap::get(rank + 1, 0, rhsExprs, ctx),
                              AffineMap::get(rank + 1, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  Type elem = outType.getElementType();
  Value init = filledTensor(b, loc, outType, scalarConstant(b, loc, elem, 0));
  return linalg::GenericOp::create(b, loc, TypeRange{outType}, ValueRange{lhs, rhs},
                                   ValueRange{init}, maps, iterators,
                                   [&](OpBuilder &nb, Location l, ValueRange args) {
                                     linalg::YieldOp::create(
                                         nb, l, add(nb, l, args[2], mul(nb, l, args[0], args[1])));
                                   })
      .getResult(0);
}

struct AttentionLowering : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op, PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(op, rewriter)))
      return failure();
    Location loc = op.getLoc();
    auto qType = cast<RankedTensorType>(op.getQuery().getType());
    auto kType = cast<RankedTensorType>(op.getKey().getType());
    int64_t rank = qType.getRank();
    SmallVector<int64_t> scoreShape(qType.getShape().drop_back());
    scoreShape.push_back(kType.getDimSize(rank - 2));
    Type elem = qType.getElementType();
    auto scoreType = RankedTensorType::get(scoreShape, elem);
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    SmallVector<int64_t> keyTShape(kType.getShape());
    std::swap(keyTShape[rank - 1], keyTShape[rank - 2]);
    auto keyTType = RankedTensorType::get(keyTShape, elem);
    Value keyT = linalg::TransposeOp::create(rewriter, loc, op.getKey(),
                                             emptyTensor(rewriter, loc, keyTType), perm)
                     .getResult()[0];
    Value scores = batchedProduct(rewriter, loc, op.getQuery(), keyT, scoreType);
    SmallVector<Value> operands{scores};
    if (op.getMask())
      operands.push_back(op.getMask());
    double scale = op.getScale().convertToFloat();
    bool hasMask = bool(op.getMask());
    Value logits = buildElementwise(
        rewriter, loc, scoreType, operands, [&](OpBuilder &b, Location l, ValueRange a) {
          Value v = scale == 1.0 ? a[0] : mul(b, l, a[0], scalarConstant(b, l, elem, scale));
          return hasMask ? add(b, l, v, a[1]) : v;
        });
    Value probs = buildSoftmax(rewriter, loc, logits, rank - 1, /*isLog=*/false);
    rewriter.replaceOp(op, batchedProduct(rewriter, loc, probs, op.getValue(),
                                          cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void mlir::ds::lowering::populateAttentionLoweringPatterns(RewritePatternSet &patterns) {
  patterns.add<AttentionLowering>(patterns.getContext());
}
