//===- RecognizeAttention.cpp - the ds-recognize-attention pass -----------===//
//
// Transformer exports compute attention as MatMul(Q, Transpose(K)), a scale
// (Div or Mul by sqrt(d)), an additive mask, Softmax and MatMul with V. As one
// ds.attention op the transposed copy of K disappears (the lowering reads K in
// place) and the scale and mask join the softmax's first pass.
//
//===----------------------------------------------------------------------===//

#include "GraphMatchers.h"

#include "deepseek/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSRECOGNIZEATTENTION
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::graph;

namespace {

bool isPlainMatMul(MatMulOp op) {
  return op && !op.getBias() && !op.getResidual() && !op.getActivationAttr();
}

/// K = transpose(K^T) over the last two dims, composed into K^T's own
/// transpose when it has one.
Value untransposeKey(PatternRewriter &rewriter, Location loc, Value keyT) {
  auto type = cast<RankedTensorType>(keyT.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> shape(type.getShape());
  std::swap(shape[rank - 1], shape[rank - 2]);
  auto keyType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<int64_t> swap = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(swap[rank - 1], swap[rank - 2]);
  Value source = keyT;
  SmallVector<int64_t> perm = swap;
  if (auto transpose = singleUseProducer<TransposeOp>(keyT)) {
    // (K^T)[i] = X[p[i]] and K[i] = K^T[swap[i]] = X[p[swap[i]]].
    ArrayRef<int64_t> p = transpose.getPerm();
    for (int64_t i = 0; i < rank; ++i)
      perm[i] = p[swap[i]];
    source = transpose.getInput();
  }
  if (llvm::equal(perm, llvm::seq<int64_t>(0, rank)))
    return source;
  return TransposeOp::create(rewriter, loc, keyType, source, rewriter.getDenseI64ArrayAttr(perm));
}

struct RecognizeAttention : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp root, PatternRewriter &rewriter) const override {
    if (!isPlainMatMul(root))
      return failure();
    auto softmax = singleUseProducer<SoftmaxOp>(root.getLhs());
    if (!softmax)
      return failure();
    auto scoresType = cast<RankedTensorType>(softmax.getType());
    int64_t rank = scoresType.getRank();
    if (rank < 2 || (softmax.getAxis() != rank - 1 && softmax.getAxis() != -1))
      return failure();
    // Walk up: [Add mask] <- [Mul/Div scale] <- MatMul(Q, K^T).
    Value cursor = softmax.getInput(), mask;
    if (auto add = singleUseProducer<AddOp>(cursor); add && add.getType() == scoresType) {
      bool lhsIsChain = isa_and_present<MatMulOp, MulOp, DivOp>(add.getLhs().getDefiningOp());
      cursor = lhsIsChain ? add.getLhs() : add.getRhs();
      mask = lhsIsChain ? add.getRhs() : add.getLhs();
    }
    double scale = 1.0;
    if (auto div = singleUseProducer<DivOp>(cursor); div && div.getType() == scoresType) {
      std::optional<double> c = getSplatFloat(div.getRhs());
      if (!c || *c == 0.0)
        return failure();
      scale = 1.0 / *c;
      cursor = div.getLhs();
    } else if (auto mul = singleUseProducer<MulOp>(cursor); mul && mul.getType() == scoresType) {
      std::optional<double> c = getSplatFloat(mul.getRhs());
      cursor = mul.getLhs();
      if (!c) {
        c = getSplatFloat(mul.getLhs());
        cursor = mul.getRhs();
      }
      if (!c)
        return failure();
      scale = *c;
    }
    auto product = singleUseProducer<MatMulOp>(cursor);
    if (!isPlainMatMul(product) || product.getType() != scoresType)
      return failure();
    Value query = product.getLhs(), keyT = product.getRhs(), value = root.getRhs();
    auto qType = cast<RankedTensorType>(query.getType());
    auto kType = cast<RankedTensorType>(keyT.getType());
    auto vType = cast<RankedTensorType>(value.getType());
    ArrayRef<int64_t> batch = scoresType.getShape().drop_back(2);
    if (qType.getRank() != rank || kType.getRank() != rank || vType.getRank() != rank ||
        qType.getShape().drop_back(2) != batch || kType.getShape().drop_back(2) != batch ||
        vType.getShape().drop_back(2) != batch)
      return rewriter.notifyMatchFailure(root, "operands need equal batch dimensions");
    if (mask && !isa<FloatType>(cast<RankedTensorType>(mask.getType()).getElementType()))
      return failure();
    Location loc = root.getLoc();
    Value key = untransposeKey(rewriter, loc, keyT);
    rewriter.replaceOpWithNewOp<AttentionOp>(root, root.getType(), query, key, value, mask,
                                             rewriter.getF32FloatAttr(scale));
    return success();
  }
};

struct DSRecognizeAttentionPass
    : public ds::impl::DSRecognizeAttentionBase<DSRecognizeAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeAttention>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
