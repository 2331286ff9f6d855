//===- RecognizeActivations.cpp - the ds-recognize-activations pass -------===//
//
// PyTorch exports F.gelu and hand-written GELUs (BERT, GPT-2) as five to eight
// primitive ops, and SiLU/HardSwish sometimes as a product with a gate. As
// single ops they are one pass over memory, and they can become a fused
// epilogue of the matmul or conv before them.
//
//===----------------------------------------------------------------------===//

#include "GraphMatchers.h"

#include "deepseek/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::ds {
#define GEN_PASS_DEF_DSRECOGNIZEACTIVATIONS
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::graph;

namespace {

/// |value| is |x| divided by sqrt(2) or multiplied by 1/sqrt(2).
bool isXOverSqrt2(Value value, Value &x) {
  if (auto div = singleUseProducer<DivOp>(value)) {
    if (isSplatFloat(div.getRhs(), std::sqrt(2.0))) {
      x = div.getLhs();
      return true;
    }
    return false;
  }
  if (auto mul = singleUseProducer<MulOp>(value)) {
    for (auto [a, b] : {std::pair(mul.getLhs(), mul.getRhs()), {mul.getRhs(), mul.getLhs()}})
      if (isSplatFloat(b, 1.0 / std::sqrt(2.0))) {
        x = a;
        return true;
      }
  }
  return false;
}

/// |value| is x * x * x (pow(x, 3) or a product of three x).
bool isCube(Value value, Value x) {
  if (auto pow = singleUseProducer<PowOp>(value))
    return pow.getLhs() == x && isSplatFloat(pow.getRhs(), 3.0);
  auto mul = singleUseProducer<MulOp>(value);
  if (!mul)
    return false;
  SmallVector<Value> factors = productFactors(mul);
  return factors.size() == 3 && llvm::all_of(factors, [&](Value f) { return f == x; });
}

/// |value| is sqrt(2/pi) * (x + 0.044715 * x^3), binding x.
bool isTanhArgument(Value value, Value &x) {
  auto outer = singleUseProducer<MulOp>(value);
  if (!outer)
    return false;
  SmallVector<Value> factors = productFactors(outer);
  if (factors.size() != 2)
    return false;
  for (int i = 0; i < 2; ++i) {
    if (!isSplatFloat(factors[i], std::sqrt(2.0 / M_PI)))
      continue;
    auto sum = singleUseProducer<AddOp>(factors[1 - i]);
    if (!sum)
      return false;
    for (auto [candidate, cubic] :
         {std::pair(sum.getLhs(), sum.getRhs()), {sum.getRhs(), sum.getLhs()}}) {
      auto scaled = singleUseProducer<MulOp>(cubic);
      if (!scaled)
        continue;
      SmallVector<Value> terms = productFactors(scaled);
      if (terms.size() != 2)
        continue;
      for (int j = 0; j < 2; ++j)
        if (isSplatFloat(terms[j], 0.044715) && isCube(terms[1 - j], candidate)) {
          x = candidate;
          return true;
        }
    }
  }
  return false;
}

/// |value| is 1 + erf(x / sqrt 2) (approximation None) or
/// 1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)) (Tanh), binding x.
std::optional<GeluApproximation> isOnePlusGeluGate(Value value, Value &x) {
  auto sum = singleUseProducer<AddOp>(value);
  if (!sum)
    return std::nullopt;
  for (auto [one, gate] : {std::pair(sum.getLhs(), sum.getRhs()), {sum.getRhs(), sum.getLhs()}}) {
    if (!isSplatFloat(one, 1.0))
      continue;
    if (auto erf = singleUseProducer<ErfOp>(gate))
      if (isXOverSqrt2(erf.getInput(), x))
        return GeluApproximation::None;
    if (auto tanh = singleUseProducer<TanhOp>(gate))
      if (isTanhArgument(tanh.getInput(), x))
        return GeluApproximation::Tanh;
  }
  return std::nullopt;
}

/// The product {x, 0.5, 1 + gate(x)} in any association.
struct RecognizeGelu : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp root, PatternRewriter &rewriter) const override {
    SmallVector<Value> factors = productFactors(root);
    if (factors.size() != 3)
      return failure();
    for (int gate = 0; gate < 3; ++gate) {
      Value x;
      std::optional<GeluApproximation> kind = isOnePlusGeluGate(factors[gate], x);
      if (!kind || x.getType() != root.getType())
        continue;
      int a = (gate + 1) % 3, b = (gate + 2) % 3;
      bool halfAndX = (factors[a] == x && isSplatFloat(factors[b], 0.5)) ||
                      (factors[b] == x && isSplatFloat(factors[a], 0.5));
      if (!halfAndX)
        continue;
      rewriter.replaceOpWithNewOp<GeluOp>(
          root, root.getType(), x, GeluApproximationAttr::get(getContext(), *kind));
      return success();
    }
    return rewriter.notifyMatchFailure(root, "not a GELU product");
  }
};

/// x * sigmoid(x) -> silu(x); x * hard_sigmoid(x; 1/6, 1/2) -> hard_swish(x).
struct RecognizeGatedActivation : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp root, PatternRewriter &rewriter) const override {
    for (auto [x, gate] : {std::pair(root.getLhs(), root.getRhs()), {root.getRhs(), root.getLhs()}}) {
      if (x.getType() != root.getType())
        continue;
      if (auto sigmoid = singleUseProducer<SigmoidOp>(gate); sigmoid && sigmoid.getInput() == x) {
        rewriter.replaceOpWithNewOp<SiluOp>(root, x);
        return success();
      }
      if (auto hard = singleUseProducer<HardSigmoidOp>(gate);
          hard && hard.getInput() == x &&
          std::fabs(hard.getAlpha().convertToDouble() - 1.0 / 6.0) < 1e-5 &&
          std::fabs(hard.getBeta().convertToDouble() - 0.5) < 1e-6) {
        rewriter.replaceOpWithNewOp<HardSwishOp>(root, x);
        return success();
      }
    }
    return rewriter.notifyMatchFailure(root, "not x times a gate of x");
  }
};

struct DSRecognizeActivationsPass
    : public ds::impl::DSRecognizeActivationsBase<DSRecognizeActivationsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RecognizeGelu, RecognizeGatedActivation>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
