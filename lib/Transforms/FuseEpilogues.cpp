//===- FuseEpilogues.cpp - the ds-fuse-epilogues pass ---------------------===//
//
// ds.conv, ds.gemm and ds.matmul compute activation(product + bias + residual)
// in one kernel. This pass moves the Adds and the activation that follow a
// product into that epilogue, one step at a time, so that Conv + BN + ReLU
// (after ds-fold-batch-norm) and ResNet's Conv + Add + ReLU each become one op.
//
//===----------------------------------------------------------------------===//

#include "GraphMatchers.h"

#include "deepseek/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace mlir::ds {
#define GEN_PASS_DEF_DSFUSEEPILOGUES
#include "ds/Passes.h.inc"
} // namespace mlir::ds

using namespace mlir;
using namespace mlir::ds;
using namespace mlir::ds::graph;

namespace {

/// The epilogue parts of one contraction, read and written uniformly.
struct Epilogue {
  Value bias, residual;
  ActivationAttr activation;
};

Epilogue epilogueOf(Operation *op) {
  if (auto conv = dyn_cast<ConvOp>(op))
    return {conv.getBias(), conv.getResidual(), conv.getActivationAttr()};
  if (auto gemm = dyn_cast<GemmOp>(op))
    return {gemm.getC(), gemm.getResidual(), gemm.getActivationAttr()};
  auto matmul = cast<MatMulOp>(op);
  return {matmul.getBias(), matmul.getResidual(), matmul.getActivationAttr()};
}

/// A copy of the contraction |op| with epilogue |e|, placed at |at| (the consumer
/// being absorbed, after every operand it gains).
Value rebuild(PatternRewriter &rewriter, Operation *op, Operation *at, const Epilogue &e) {
  rewriter.setInsertionPoint(at);
  Location loc = rewriter.getFusedLoc({op->getLoc(), at->getLoc()});
  if (auto conv = dyn_cast<ConvOp>(op))
    return ConvOp::create(rewriter, loc, conv.getType(), conv.getInput(), conv.getWeight(),
                          e.bias, e.residual, conv.getStridesAttr(), conv.getPadsAttr(),
                          conv.getDilationsAttr(), conv.getGroupAttr(), e.activation);
  if (auto gemm = dyn_cast<GemmOp>(op))
    return GemmOp::create(rewriter, loc, gemm.getType(), gemm.getA(), gemm.getB(), e.bias,
                          e.residual, gemm.getAlphaAttr(),
                          e.bias == gemm.getC() ? gemm.getBetaAttr()
                                                : rewriter.getF32FloatAttr(1.0f),
                          gemm.getTransAAttr(), gemm.getTransBAttr(), e.activation);
  auto matmul = cast<MatMulOp>(op);
  return MatMulOp::create(rewriter, loc, matmul.getType(), matmul.getLhs(), matmul.getRhs(),
                          e.bias, e.residual, e.activation);
}

/// The single-use conv/gemm/matmul producing |value|, if any.
Operation *contractionProducer(Value value) {
  if (!value || !value.hasOneUse())
    return nullptr;
  Operation *op = value.getDefiningOp();
  return isa_and_present<ConvOp, GemmOp, MatMulOp>(op) ? op : nullptr;
}

/// |addend| as the op's bias. Conv: a constant with one value per output
/// channel, laid out along dim 1 ([M], [M, 1, 1], [1, M, 1, 1]), reshaped to
/// [M]. Gemm/matmul: a constant that broadcasts to the result (the add's type
/// equals the product's, so it does not grow it).
Value asBias(PatternRewriter &rewriter, Operation *op, Value addend) {
  if (!matchPattern(addend, m_Constant()))
    return nullptr;
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  auto type = cast<RankedTensorType>(addend.getType());
  if (!isa<ConvOp>(op))
    return addend;
  int64_t channels = resultType.getDimSize(1);
  int64_t offset = resultType.getRank() - type.getRank();
  if (offset < 0 || type.getNumElements() != channels)
    return nullptr;
  for (auto [i, size] : llvm::enumerate(type.getShape()))
    if (size != 1 && offset + static_cast<int64_t>(i) != 1)
      return nullptr;
  auto biasType = RankedTensorType::get({channels}, type.getElementType());
  if (type == biasType)
    return addend;
  return ReshapeOp::create(rewriter, addend.getLoc(), biasType, addend).getResult();
}

/// add(product, x) -> product with bias x (per-channel constant) or residual
/// x (the result's shape).
struct FuseAdd : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AddOp add, PatternRewriter &rewriter) const override {
    for (auto [value, other] : {std::pair(add.getLhs(), add.getRhs()), {add.getRhs(), add.getLhs()}}) {
      Operation *op = contractionProducer(value);
      if (!op || add.getType() != value.getType())
        continue;
      Epilogue e = epilogueOf(op);
      if (e.activation)
        continue; // act(p) + x is not act(p + x)
      if (!e.bias && !e.residual) {
        if (Value bias = asBias(rewriter, op, other)) {
          e.bias = bias;
          rewriter.replaceOp(add, rebuild(rewriter, op, add, e));
          rewriter.eraseOp(op);
          return success();
        }
      }
      if (!e.residual && other.getType() == add.getType() && other != value) {
        e.residual = other;
        rewriter.replaceOp(add, rebuild(rewriter, op, add, e));
        rewriter.eraseOp(op);
        return success();
      }
    }
    return rewriter.notifyMatchFailure(add, "no fusible product operand");
  }
};

/// The epilogue activation an elementwise op computes, if it is one.
ActivationAttr activationOf(Operation *op) {
  MLIRContext *ctx = op->getContext();
  auto get = [&](ActivationKind kind, float alpha = 0, float beta = 0) {
    return ActivationAttr::get(ctx, kind, alpha, beta);
  };
  if (isa<ReluOp>(op))
    return get(ActivationKind::Relu);
  if (auto clip = dyn_cast<ClipOp>(op)) {
    float lo = clip.getMin() ? clip.getMin()->convertToFloat()
                             : -std::numeric_limits<float>::infinity();
    float hi = clip.getMax() ? clip.getMax()->convertToFloat()
                             : std::numeric_limits<float>::infinity();
    return get(ActivationKind::Clip, lo, hi);
  }
  if (auto leaky = dyn_cast<LeakyReluOp>(op))
    return get(ActivationKind::LeakyRelu, leaky.getAlpha().convertToFloat());
  if (isa<SigmoidOp>(op))
    return get(ActivationKind::Sigmoid);
  if (auto hard = dyn_cast<HardSigmoidOp>(op))
    return get(ActivationKind::HardSigmoid, hard.getAlpha().convertToFloat(),
               hard.getBeta().convertToFloat());
  if (isa<HardSwishOp>(op))
    return get(ActivationKind::HardSwish);
  if (isa<SiluOp>(op))
    return get(ActivationKind::Silu);
  if (auto gelu = dyn_cast<GeluOp>(op))
    return get(gelu.getApproximate() == GeluApproximation::Tanh ? ActivationKind::GeluTanh
                                                                : ActivationKind::Gelu);
  if (isa<TanhOp>(op))
    return get(ActivationKind::Tanh);
  return nullptr;
}

/// act(product) -> product with that activation.
struct FuseActivation : RewritePattern {
  FuseActivation(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}
  LogicalResult matchAndRewrite(Operation *act, PatternRewriter &rewriter) const override {
    if (act->getNumOperands() != 1 || act->getNumResults() != 1)
      return failure();
    ActivationAttr activation = activationOf(act);
    Operation *op = contractionProducer(act->getOperand(0));
    if (!activation || !op ||
        !isa<FloatType>(cast<RankedTensorType>(act->getResult(0).getType()).getElementType()))
      return failure();
    Epilogue e = epilogueOf(op);
    if (e.activation)
      return rewriter.notifyMatchFailure(act, "the product already has an activation");
    e.activation = activation;
    rewriter.replaceOp(act, rebuild(rewriter, op, act, e));
    rewriter.eraseOp(op);
    return success();
  }
};

struct DSFuseEpiloguesPass : public ds::impl::DSFuseEpiloguesBase<DSFuseEpiloguesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseAdd>(&getContext());
    patterns.add<FuseActivation>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
