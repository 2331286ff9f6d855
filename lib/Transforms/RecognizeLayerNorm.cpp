//===- RecognizeLayerNorm.cpp - the ds-recognize-layer-norm pass ----------===//
//
// Before opset 17 ONNX had no LayerNormalization; exporters spell it as
// ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add: nine kernels and
// five full passes over the activations. ds.layer_norm lowers to two
// reductions and one normalizing pass.
//
//===----------------------------------------------------------------------===//

#include "GraphMatchers.h"

#include "deepseek/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::ds {
#define GEN_PASS_DEF_DSRECOGNIZELAYERNORM
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::graph;

namespace {

/// The first normalized dimension when |axes| are exactly the trailing dims
/// of a rank-|rank| tensor and the mean keeps them; nullopt otherwise.
std::optional<int64_t> trailingAxis(ReduceMeanOp mean, int64_t rank) {
  ArrayRef<int64_t> axes = mean.getAxes();
  if (axes.empty() || !mean.getKeepdims())
    return std::nullopt;
  for (auto [i, axis] : llvm::enumerate(axes))
    if ((axis < 0 ? axis + rank : axis) != rank - static_cast<int64_t>(axes.size()) +
                                               static_cast<int64_t>(i))
      return std::nullopt;
  return rank - static_cast<int64_t>(axes.size());
}

/// |value| is d * d or pow(d, 2).
bool isSquareOf(Value value, Value d) {
  if (auto pow = singleUseProducer<PowOp>(value))
    return pow.getLhs() == d && isSplatFloat(pow.getRhs(), 2.0);
  if (auto mul = singleUseProducer<MulOp>(value))
    return mul.getLhs() == d && mul.getRhs() == d;
  return false;
}

/// True when |param| broadcasts onto the dims from |axis| on of |type| alone
/// (it must not add or broadcast leading dimensions).
bool isNormalizedParam(Value param, RankedTensorType type, int64_t axis) {
  auto p = dyn_cast<RankedTensorType>(param.getType());
  if (!p || p.getElementType() != type.getElementType())
    return false;
  ArrayRef<int64_t> normalized = type.getShape().drop_front(axis);
  ArrayRef<int64_t> shape = p.getShape();
  // Leading size-1 dims ([1, 1, 768] against [1, 128, 768]) broadcast to nothing.
  while (shape.size() > normalized.size() && shape.front() == 1)
    shape = shape.drop_front();
  if (shape.size() > normalized.size())
    return false;
  for (auto [s, n] : llvm::zip(llvm::reverse(shape), llvm::reverse(normalized)))
    if (s != 1 && s != n)
      return false;
  return true;
}

struct RecognizeLayerNorm : OpRewritePattern<DivOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DivOp div, PatternRewriter &rewriter) const override {
    // div = d / sqrt(mean(d^2) + eps), d = x - mean(x)
    auto type = cast<RankedTensorType>(div.getType());
    auto sub = div.getLhs().getDefiningOp<SubOp>();
    auto sqrt = singleUseProducer<SqrtOp>(div.getRhs());
    if (!sub || !sqrt || sub.getType() != type)
      return failure();
    Value x = sub.getLhs();
    auto mean = singleUseProducer<ReduceMeanOp>(sub.getRhs());
    if (!mean || mean.getInput() != x || x.getType() != type)
      return failure();
    std::optional<int64_t> axis = trailingAxis(mean, type.getRank());
    auto addEps = singleUseProducer<AddOp>(sqrt.getInput());
    if (!axis || !addEps)
      return failure();
    std::optional<double> eps = getSplatFloat(addEps.getRhs());
    Value variance = addEps.getLhs();
    if (!eps) {
      eps = getSplatFloat(addEps.getLhs());
      variance = addEps.getRhs();
    }
    auto varMean = singleUseProducer<ReduceMeanOp>(variance);
    if (!eps || !varMean || varMean.getAxes() != mean.getAxes() ||
        !varMean.getKeepdims() || !isSquareOf(varMean.getInput(), sub))
      return failure();
    // d feeds the square and the division, nothing else.
    if (llvm::any_of(sub->getUsers(), [&](Operation *user) {
          return user != div.getOperation() && user != varMean.getInput().getDefiningOp();
        }))
      return failure();

    // Optional affine tail: * gamma, then + beta, each the only user of the
    // value before it.
    auto onlyUser = [](Value v) -> Operation * {
      return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
    };
    Value result = div, scale, bias;
    if (auto mul = dyn_cast_or_null<MulOp>(onlyUser(div)); mul && mul.getType() == type) {
      Value other = mul.getLhs() == div.getResult() ? mul.getRhs() : mul.getLhs();
      if (isNormalizedParam(other, type, *axis)) {
        scale = other;
        result = mul;
        if (auto add = dyn_cast_or_null<AddOp>(onlyUser(mul)); add && add.getType() == type) {
          Value b = add.getLhs() == mul.getResult() ? add.getRhs() : add.getLhs();
          if (isNormalizedParam(b, type, *axis)) {
            bias = b;
            result = add;
          }
        }
      }
    }
    Location loc = div.getLoc();
    Operation *root = result.getDefiningOp();
    rewriter.setInsertionPoint(root);
    if (!scale) {
      if (!type.getElementType().isF32())
        return rewriter.notifyMatchFailure(div, "no scale, and not f32 to make one");
      scale = createF32Constant(rewriter, loc, RankedTensorType::get({}, type.getElementType()),
                                {1.0f});
    }
    // ds.layer_norm wants the parameters shaped like (a suffix of) the
    // normalized dims; drop the leading ones.
    auto trimmed = [&](Value param) -> Value {
      auto p = cast<RankedTensorType>(param.getType());
      int64_t normalizedRank = type.getRank() - *axis;
      if (p.getRank() <= normalizedRank)
        return param;
      auto t = RankedTensorType::get(p.getShape().take_back(normalizedRank), p.getElementType());
      return ReshapeOp::create(rewriter, loc, t, param);
    };
    scale = trimmed(scale);
    if (bias)
      bias = trimmed(bias);
    rewriter.replaceOpWithNewOp<LayerNormOp>(root, type, x, scale, bias,
                                             rewriter.getI64IntegerAttr(*axis),
                                             rewriter.getF32FloatAttr(*eps));
    return success();
  }
};

struct DSRecognizeLayerNormPass
    : public ds::impl::DSRecognizeLayerNormBase<DSRecognizeLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeLayerNorm>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
